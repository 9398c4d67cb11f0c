// Managed policies: customer managed ones created here (with their versions), the AWS managed ones this endpoint
// knows, and what they are attached to.
import { createHash } from 'node:crypto';
import type { Backend, RequestContext } from '../context';
import { AwsError } from '../errors';
import type { QueryParams } from '../query';
import { policyKey, type StoredPolicy, type StoredRole } from '../state';
import { Violations } from '../validation';
import type { XmlValue } from '../xml';
import { checkPolicy, checkPolicyArn, checkTags, isoSeconds, MAX_MANAGED_POLICY_CHARS, MAX_POLICY_VERSIONS, MAX_TAGS, mergeTags, NAME_PATTERN, paginate, PATH_PATTERN, POLICY_ARN_PATTERN, policyName, type Result, uniqueId } from './checks';

function statementsDocument(statements: Record<string, unknown>[]): string {
  return encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2));
}

/**
 * AWS managed policies this endpoint knows, by ARN: the ones SageMaker set-ups commonly attach. Their documents
 * are abbreviated (AWS's own run to hundreds of statements); an ARN not listed here answers NoSuchEntity, as IAM
 * does for an AWS managed policy that does not exist.
 */
const AWS_MANAGED_POLICIES = new Map<string, StoredPolicy>(
  (
    [
      ['AmazonSageMakerFullAccess', '/', [{ Effect: 'Allow', Action: ['sagemaker:*'], Resource: '*' }]],
      ['AmazonSageMakerReadOnly', '/', [{ Effect: 'Allow', Action: ['sagemaker:Describe*', 'sagemaker:List*', 'sagemaker:Get*', 'sagemaker:Search'], Resource: '*' }]],
      ['AmazonS3FullAccess', '/', [{ Effect: 'Allow', Action: ['s3:*', 's3-object-lambda:*'], Resource: '*' }]],
      ['AmazonS3ReadOnlyAccess', '/', [{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*'], Resource: '*' }]],
      ['AmazonEC2ContainerRegistryReadOnly', '/', [{ Effect: 'Allow', Action: ['ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage', 'ecr:DescribeRepositories', 'ecr:DescribeImages', 'ecr:ListImages'], Resource: '*' }]],
      ['CloudWatchLogsFullAccess', '/', [{ Effect: 'Allow', Action: ['logs:*'], Resource: '*' }]],
      ['AmazonSageMakerCanvasFullAccess', '/', [{ Effect: 'Allow', Action: ['sagemaker:*', 's3:GetObject', 's3:PutObject', 's3:ListBucket'], Resource: '*' }]],
      ['AmazonSageMakerServiceCatalogProductsUseRole', '/service-role/', [{ Effect: 'Allow', Action: ['sagemaker:*', 'servicecatalog:*'], Resource: '*' }]],
    ] as const
  ).map(([name, path, statements]): [string, StoredPolicy] => {
    const arn = `arn:aws:iam::aws:policy${path}${name}`;
    const created = '2015-02-06T18:40:00Z';
    return [
      arn,
      {
        account: 'aws',
        name,
        path,
        policyId: stableId('ANPA', arn),
        arn,
        createDate: created,
        updateDate: created,
        defaultVersionId: 'v1',
        versions: [{ versionId: 'v1', document: statementsDocument(statements as unknown as Record<string, unknown>[]), createDate: created }],
        nextVersion: 2,
        tags: [],
      },
    ];
  }),
);

/** A unique id that stays the same for the same input (AWS managed policies keep their ids across restarts). */
function stableId(prefix: string, seed: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let id = prefix;
  for (const byte of createHash('sha256').update(seed).digest().subarray(0, 17)) id += alphabet[byte % alphabet.length];
  return id;
}

const noSuchManagedPolicy = (arn: string) => new AwsError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`, 404);

/** A customer managed policy of the caller's account or an AWS managed one; any other ARN names nothing. */
export function findManagedPolicy(backend: Backend, ctx: RequestContext, arn: string): StoredPolicy {
  const match = POLICY_ARN_PATTERN.exec(arn);
  const policy =
    match?.[1] === 'aws'
      ? AWS_MANAGED_POLICIES.get(arn)
      : match?.[1] === ctx.account
        ? backend.state.policies.get(policyKey(ctx.account, match[2]))
        : undefined;
  if (!policy || policy.arn !== arn) throw noSuchManagedPolicy(arn);
  return policy;
}

/** A policy the caller may change: AWS managed policies are read-only. */
export function findCustomerPolicy(backend: Backend, ctx: RequestContext, arn: string, operation: string): StoredPolicy {
  const policy = findManagedPolicy(backend, ctx, arn);
  if (policy.account === 'aws') {
    throw new AwsError('AccessDenied', `User: arn:aws:iam::${ctx.account}:root is not authorized to perform: iam:${operation} on resource: policy ${arn}`, 403);
  }
  return policy;
}

export function findPolicyVersion(policy: StoredPolicy, params: QueryParams) {
  const v = new Violations();
  const versionId = params.string('VersionId');
  if (v.required(versionId, 'versionId')) v.pattern(versionId, 'versionId', /^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/, 'v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?');
  v.throwIfAny('ValidationError');
  const version = policy.versions.find((candidate) => candidate.versionId === versionId);
  if (!version) throw new AwsError('NoSuchEntity', `Policy ${policy.arn} version ${versionId!} does not exist or is not attachable.`, 404);
  return version;
}

function rolesUsing(backend: Backend, ctx: RequestContext, arn: string): { attached: StoredRole[]; boundaries: number } {
  const roles = [...backend.state.roles.values()].filter((role) => role.account === ctx.account);
  return {
    attached: roles.filter((role) => role.attachedPolicyArns.includes(arn)),
    boundaries: roles.filter((role) => role.permissionsBoundaryArn === arn).length,
  };
}

/** A Policy element; `detailed` adds what only GetPolicy (and CreatePolicy) return: the description and tags. */
export function policyXml(backend: Backend, ctx: RequestContext, policy: StoredPolicy, detailed: boolean): XmlValue {
  const usage = rolesUsing(backend, ctx, policy.arn);
  return {
    PolicyName: policy.name,
    PolicyId: policy.policyId,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: usage.attached.length,
    PermissionsBoundaryUsageCount: usage.boundaries,
    IsAttachable: true,
    Description: detailed ? policy.description : undefined,
    CreateDate: policy.createDate,
    UpdateDate: policy.updateDate,
    Tags: detailed && policy.tags.length > 0 ? policy.tags.map((tag) => ({ Key: tag.Key, Value: tag.Value })) : undefined,
  };
}

export function versionXml(policy: StoredPolicy, version: StoredPolicy['versions'][number], withDocument: boolean): XmlValue {
  return {
    Document: withDocument ? version.document : undefined,
    VersionId: version.versionId,
    IsDefaultVersion: version.versionId === policy.defaultVersionId,
    CreateDate: version.createDate,
  };
}

/** A managed policy document: valid as a permissions policy, and within IAM's 6,144 characters (white space not counted). */
function checkManagedPolicyDocument(document: string | undefined): string {
  const encoded = checkPolicy(document, 'policyDocument', false);
  if (document!.replace(/\s/g, '').length > MAX_MANAGED_POLICY_CHARS) {
    throw new AwsError('LimitExceeded', `Cannot exceed quota for PolicySize: ${MAX_MANAGED_POLICY_CHARS}`, 409);
  }
  return encoded;
}

export function createPolicy(backend: Backend, ctx: RequestContext, params: QueryParams): Result {
  const v = new Violations();
  const name = params.string('PolicyName');
  if (v.required(name, 'policyName')) {
    v.length(name, 'policyName', 1, 128);
    v.pattern(name, 'policyName', NAME_PATTERN, '[\\w+=,.@-]+');
  }
  const path = params.string('Path') ?? '/';
  v.length(path, 'path', 1, 512);
  v.pattern(path, 'path', PATH_PATTERN, '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)');
  const description = params.string('Description');
  v.length(description, 'description', 0, 1000);
  const tags = checkTags(v, params.tags('Tags'));
  v.length(tags, 'tags', 0, MAX_TAGS);
  v.required(params.string('PolicyDocument'), 'policyDocument');
  v.throwIfAny('ValidationError');
  const document = checkManagedPolicyDocument(params.string('PolicyDocument'));
  const mergedTags = mergeTags([], tags, 'TagsPerPolicy');

  const key = policyKey(ctx.account, name!);
  if (backend.state.policies.has(key)) {
    throw new AwsError('EntityAlreadyExists', `A policy called ${name!} already exists. Duplicate names are not allowed.`, 409);
  }
  const now = isoSeconds(new Date());
  const policy: StoredPolicy = {
    account: ctx.account,
    name: name!,
    path,
    policyId: uniqueId('ANPA'),
    arn: `arn:aws:iam::${ctx.account}:policy${path}${name!}`,
    description,
    createDate: now,
    updateDate: now,
    defaultVersionId: 'v1',
    versions: [{ versionId: 'v1', document, createDate: now }],
    nextVersion: 2,
    tags: mergedTags,
  };
  backend.state.policies.set(key, policy);
  backend.changed();
  return { Policy: policyXml(backend, ctx, policy, true) };
}

export function deletePolicy(backend: Backend, ctx: RequestContext, params: QueryParams): Result {
  const policy = findCustomerPolicy(backend, ctx, checkPolicyArn(params), 'DeletePolicy');
  if (rolesUsing(backend, ctx, policy.arn).attached.length > 0) throw new AwsError('DeleteConflict', 'Cannot delete a policy attached to entities.', 409);
  if (policy.versions.length > 1) {
    throw new AwsError(
      'DeleteConflict',
      "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
      409,
    );
  }
  backend.state.policies.delete(policyKey(policy.account, policy.name));
  backend.changed();
  return undefined;
}

export function createPolicyVersion(backend: Backend, ctx: RequestContext, params: QueryParams): Result {
  const policy = findCustomerPolicy(backend, ctx, checkPolicyArn(params), 'CreatePolicyVersion');
  const document = checkManagedPolicyDocument(params.string('PolicyDocument'));
  if (policy.versions.length >= MAX_POLICY_VERSIONS) {
    throw new AwsError(
      'LimitExceeded',
      'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
      409,
    );
  }
  const now = isoSeconds(new Date());
  const version = { versionId: `v${policy.nextVersion}`, document, createDate: now };
  policy.nextVersion += 1;
  policy.versions.push(version);
  if (params.string('SetAsDefault') === 'true') policy.defaultVersionId = version.versionId;
  policy.updateDate = now;
  backend.changed();
  return { PolicyVersion: versionXml(policy, version, false) };
}

export function listPolicies(backend: Backend, ctx: RequestContext, params: QueryParams): Result {
  const v = new Violations();
  const scope = params.string('Scope') ?? 'All';
  v.oneOf(scope, 'scope', ['All', 'AWS', 'Local']);
  const usage = params.string('PolicyUsageFilter');
  v.oneOf(usage, 'policyUsageFilter', ['PermissionsPolicy', 'PermissionsBoundary']);
  v.throwIfAny('ValidationError');
  const prefix = params.string('PathPrefix') ?? '/';
  const onlyAttached = params.string('OnlyAttached') === 'true';
  const local = [...backend.state.policies.values()].filter((policy) => policy.account === ctx.account);
  const candidates = [...(scope === 'Local' ? [] : AWS_MANAGED_POLICIES.values()), ...(scope === 'AWS' ? [] : local)]
    .filter((policy) => policy.path.startsWith(prefix))
    .filter((policy) => {
      if (!onlyAttached) return true;
      const using = rolesUsing(backend, ctx, policy.arn);
      return (usage === 'PermissionsBoundary' ? using.boundaries : using.attached.length) > 0;
    })
    .sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
  const page = paginate(params, candidates, (policy) => policy.arn);
  return { Policies: page.items.map((policy) => policyXml(backend, ctx, policy, false)), IsTruncated: page.truncated, Marker: page.marker };
}

export function listEntitiesForPolicy(backend: Backend, ctx: RequestContext, params: QueryParams): Result {
  const policy = findManagedPolicy(backend, ctx, checkPolicyArn(params));
  const v = new Violations();
  const filter = params.string('EntityFilter');
  v.oneOf(filter, 'entityFilter', ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy']);
  v.throwIfAny('ValidationError');
  const prefix = params.string('PathPrefix') ?? '/';
  const roles = filter === undefined || filter === 'Role' ? rolesUsing(backend, ctx, policy.arn).attached.filter((role) => role.path.startsWith(prefix)) : [];
  const page = paginate(params, roles, (role) => role.name.toLowerCase());
  // Users and groups are not modelled: no policy is attached to one here.
  return {
    PolicyGroups: [],
    PolicyUsers: [],
    PolicyRoles: page.items.map((role) => ({ RoleName: role.name, RoleId: role.roleId })),
    IsTruncated: page.truncated,
    Marker: page.marker,
  };
}
