// IAM (AWS Query protocol, XML): roles, their inline and attached policies, their tags, and managed policies
// (customer managed ones created here, and a small table of AWS managed ones).
import { createHash, randomBytes } from 'node:crypto';
import type { Backend, RequestContext } from './context';
import { AwsError } from './errors';
import type { QueryParams } from './query';
import { policyKey, roleKey, type StoredPolicy, type StoredRole, type Tag } from './state';
import { Violations } from './validation';
import type { XmlValue } from './xml';

export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

type Result = Record<string, XmlValue> | undefined;

const NAME_PATTERN = /^[\w+=,.@-]+$/;
const PATH_PATTERN = /^(?:\u002F|\u002F[\u0021-\u007E]+\u002F)$/;
const POLICY_TEXT_PATTERN = /^[\u0009\u000A\u000D\u0020-\u00FF]+$/;
const DESCRIPTION_PATTERN = /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/;
const TAG_KEY_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const POLICY_ARN_PATTERN = /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/(?:[\u0021-\u007E]+\/)?([\w+=,.@-]+)$/;
const MAX_TAGS = 50;
const MAX_ATTACHED_POLICIES = 10;
const MAX_INLINE_POLICY_BYTES = 10240;
const MAX_MANAGED_POLICY_CHARS = 6144;
const MAX_POLICY_VERSIONS = 5;

const noSuchRole = (name: string) => new AwsError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);
const validationError = (message: string) => new AwsError('ValidationError', message, 400);
const malformedPolicy = (message: string) => new AwsError('MalformedPolicyDocument', message, 400);

export function handleIam(backend: Backend, ctx: RequestContext, operation: string, params: QueryParams): Result {
  switch (operation) {
    case 'CreateRole':
      return createRole(backend, ctx, params);
    case 'GetRole':
      return { Role: roleXml(findRole(backend, ctx, params), true) };
    case 'DeleteRole':
      return deleteRole(backend, ctx, params);
    case 'ListRoles':
      return listRoles(backend, ctx, params);
    case 'UpdateAssumeRolePolicy': {
      const role = findRole(backend, ctx, params);
      role.assumeRolePolicyDocument = checkPolicy(params.string('PolicyDocument'), 'policyDocument', true);
      backend.changed();
      return undefined;
    }
    case 'UpdateRole': {
      const v = new Violations();
      const description = params.string('Description');
      const maxSession = params.integer('MaxSessionDuration');
      checkDescription(v, description);
      v.range(maxSession, 'maxSessionDuration', 3600, 43200);
      v.throwIfAny('ValidationError');
      const role = findRole(backend, ctx, params);
      if (description !== undefined) role.description = description;
      if (maxSession !== undefined) role.maxSessionDuration = maxSession;
      backend.changed();
      return {};
    }
    case 'UpdateRoleDescription': {
      const v = new Violations();
      const description = params.string('Description');
      if (v.required(description, 'description')) checkDescription(v, description);
      v.throwIfAny('ValidationError');
      const role = findRole(backend, ctx, params);
      role.description = description;
      backend.changed();
      return { Role: roleXml(role, true) };
    }
    case 'PutRolePermissionsBoundary': {
      const arn = params.string('PermissionsBoundary');
      const v = new Violations();
      if (v.required(arn, 'permissionsBoundary')) v.length(arn, 'permissionsBoundary', 20, 2048);
      v.throwIfAny('ValidationError');
      const role = findRole(backend, ctx, params);
      if (!POLICY_ARN_PATTERN.test(arn!)) throw new AwsError('InvalidInput', `ARN ${arn!} is not valid.`, 400);
      role.permissionsBoundaryArn = arn;
      backend.changed();
      return undefined;
    }
    case 'DeleteRolePermissionsBoundary': {
      const role = findRole(backend, ctx, params);
      delete role.permissionsBoundaryArn;
      backend.changed();
      return undefined;
    }
    case 'TagRole':
      return tagRole(backend, ctx, params);
    case 'UntagRole':
      return untagRole(backend, ctx, params);
    case 'ListRoleTags': {
      const role = findRole(backend, ctx, params);
      const page = paginate(params, role.tags, (tag) => tag.Key);
      return { Tags: page.items.map((tag) => ({ Key: tag.Key, Value: tag.Value })), IsTruncated: page.truncated, Marker: page.marker };
    }
    case 'ListRolePolicies': {
      const role = findRole(backend, ctx, params);
      const page = paginate(params, Object.keys(role.inlinePolicies), (name) => name);
      return { PolicyNames: page.items, IsTruncated: page.truncated, Marker: page.marker };
    }
    case 'PutRolePolicy':
      return putRolePolicy(backend, ctx, params);
    case 'GetRolePolicy': {
      const policyName = checkPolicyName(params);
      const role = findRole(backend, ctx, params);
      const document = role.inlinePolicies[policyName];
      if (document === undefined) throw noSuchPolicy(policyName);
      return { RoleName: role.name, PolicyName: policyName, PolicyDocument: document };
    }
    case 'DeleteRolePolicy': {
      const policyName = checkPolicyName(params);
      const role = findRole(backend, ctx, params);
      if (role.inlinePolicies[policyName] === undefined) throw noSuchPolicy(policyName);
      delete role.inlinePolicies[policyName];
      backend.changed();
      return undefined;
    }
    case 'ListAttachedRolePolicies': {
      const role = findRole(backend, ctx, params);
      const prefix = params.string('PathPrefix') ?? '/';
      const arns = role.attachedPolicyArns.filter((arn) => policyPath(arn).startsWith(prefix));
      const page = paginate(params, arns, (arn) => arn);
      return {
        AttachedPolicies: page.items.map((arn) => ({ PolicyName: policyName(arn), PolicyArn: arn })),
        IsTruncated: page.truncated,
        Marker: page.marker,
      };
    }
    case 'AttachRolePolicy': {
      const arn = checkPolicyArn(params);
      const role = findRole(backend, ctx, params);
      findManagedPolicy(backend, ctx, arn);
      if (!role.attachedPolicyArns.includes(arn)) {
        if (role.attachedPolicyArns.length >= MAX_ATTACHED_POLICIES) {
          throw new AwsError('LimitExceeded', `Cannot exceed quota for PoliciesPerRole: ${MAX_ATTACHED_POLICIES}`, 409);
        }
        role.attachedPolicyArns.push(arn);
        backend.changed();
      }
      return undefined;
    }
    case 'DetachRolePolicy': {
      const arn = checkPolicyArn(params);
      const role = findRole(backend, ctx, params);
      if (!role.attachedPolicyArns.includes(arn)) throw new AwsError('NoSuchEntity', `Policy ${arn} was not found.`, 404);
      role.attachedPolicyArns = role.attachedPolicyArns.filter((attached) => attached !== arn);
      backend.changed();
      return undefined;
    }
    case 'ListInstanceProfilesForRole':
      // Instance profiles are not modelled: a role here is never in one.
      findRole(backend, ctx, params);
      return { InstanceProfiles: [], IsTruncated: false };
    case 'CreatePolicy':
      return createPolicy(backend, ctx, params);
    case 'GetPolicy': {
      const policy = findManagedPolicy(backend, ctx, checkPolicyArn(params));
      return { Policy: policyXml(backend, ctx, policy, true) };
    }
    case 'DeletePolicy':
      return deletePolicy(backend, ctx, params);
    case 'ListPolicies':
      return listPolicies(backend, ctx, params);
    case 'CreatePolicyVersion':
      return createPolicyVersion(backend, ctx, params);
    case 'GetPolicyVersion': {
      const policy = findManagedPolicy(backend, ctx, checkPolicyArn(params));
      const version = findPolicyVersion(policy, params);
      return { PolicyVersion: versionXml(policy, version, true) };
    }
    case 'ListPolicyVersions': {
      const policy = findManagedPolicy(backend, ctx, checkPolicyArn(params));
      // Newest first, as IAM lists them.
      const page = paginate(params, [...policy.versions].reverse(), (version) => version.versionId);
      return { Versions: page.items.map((version) => versionXml(policy, version, false)), IsTruncated: page.truncated, Marker: page.marker };
    }
    case 'DeletePolicyVersion': {
      const policy = findCustomerPolicy(backend, ctx, checkPolicyArn(params), 'DeletePolicyVersion');
      const version = findPolicyVersion(policy, params);
      if (version.versionId === policy.defaultVersionId) throw new AwsError('DeleteConflict', 'Cannot delete the default version of a policy.', 409);
      policy.versions = policy.versions.filter((v) => v !== version);
      backend.changed();
      return undefined;
    }
    case 'SetDefaultPolicyVersion': {
      const policy = findCustomerPolicy(backend, ctx, checkPolicyArn(params), 'SetDefaultPolicyVersion');
      const version = findPolicyVersion(policy, params);
      policy.defaultVersionId = version.versionId;
      policy.updateDate = isoSeconds(new Date());
      backend.changed();
      return undefined;
    }
    case 'ListEntitiesForPolicy':
      return listEntitiesForPolicy(backend, ctx, params);
    case 'TagPolicy': {
      const tags = checkTagRequest(params);
      const policy = findCustomerPolicy(backend, ctx, checkPolicyArn(params), 'TagPolicy');
      policy.tags = mergeTags(policy.tags, tags, 'TagsPerPolicy');
      backend.changed();
      return undefined;
    }
    case 'UntagPolicy': {
      const keys = checkUntagRequest(params);
      const policy = findCustomerPolicy(backend, ctx, checkPolicyArn(params), 'UntagPolicy');
      policy.tags = policy.tags.filter((tag) => !keys.has(tag.Key.toLowerCase()));
      backend.changed();
      return undefined;
    }
    case 'ListPolicyTags': {
      const policy = findManagedPolicy(backend, ctx, checkPolicyArn(params));
      const page = paginate(params, policy.tags, (tag) => tag.Key);
      return { Tags: page.items.map((tag) => ({ Key: tag.Key, Value: tag.Value })), IsTruncated: page.truncated, Marker: page.marker };
    }
    default:
      throw new AwsError('InvalidAction', `Could not find operation ${operation} for version 2010-05-08`, 400);
  }
}

function noSuchPolicy(name: string): AwsError {
  return new AwsError('NoSuchEntity', `The role policy with name ${name} cannot be found.`, 404);
}

function policyName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

function policyPath(arn: string): string {
  const resource = arn.slice(arn.indexOf(':policy') + ':policy'.length);
  return resource.slice(0, resource.lastIndexOf('/') + 1);
}

function checkRoleName(v: Violations, name: string | undefined): void {
  if (!v.required(name, 'roleName')) return;
  v.length(name, 'roleName', 1, 64);
  v.pattern(name, 'roleName', NAME_PATTERN, '[\\w+=,.@-]+');
}

function checkDescription(v: Violations, description: string | undefined): void {
  v.length(description, 'description', 0, 1000);
  v.pattern(description, 'description', DESCRIPTION_PATTERN, '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*');
}

function findRole(backend: Backend, ctx: RequestContext, params: QueryParams): StoredRole {
  const name = params.string('RoleName');
  const v = new Violations();
  checkRoleName(v, name);
  v.throwIfAny('ValidationError');
  const role = backend.state.roles.get(roleKey(ctx.account, name!));
  if (!role) throw noSuchRole(name!);
  return role;
}

/** Checks a policy document and returns it URL-encoded, the form IAM stores and returns. */
function checkPolicy(document: string | undefined, path: string, trustPolicy: boolean): string {
  const v = new Violations();
  if (v.required(document, path)) {
    v.length(document, path, 1, 131072);
    v.pattern(document, path, POLICY_TEXT_PATTERN, '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+');
  }
  v.throwIfAny('ValidationError');
  let parsed: unknown;
  try {
    parsed = JSON.parse(document!);
  } catch {
    throw malformedPolicy('This policy contains invalid Json');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw malformedPolicy('Syntax errors in policy.');
  const statements = (parsed as { Statement?: unknown }).Statement;
  const list = Array.isArray(statements) ? statements : [statements];
  if (statements === undefined || list.some((s) => typeof s !== 'object' || s === null || Array.isArray(s))) {
    throw malformedPolicy('Syntax errors in policy.');
  }
  for (const statement of list as Record<string, unknown>[]) {
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') throw malformedPolicy('Syntax errors in policy.');
    if (trustPolicy && statement.Principal === undefined && statement.NotPrincipal === undefined) {
      throw malformedPolicy('Missing required field Principal');
    }
    if (trustPolicy && statement.Resource !== undefined) throw malformedPolicy('Has prohibited field Resource');
  }
  return encodeURIComponent(document!);
}

function checkTags(v: Violations, tags: { Key: string | undefined; Value: string | undefined }[] | undefined): Tag[] {
  if (!tags) return [];
  tags.forEach((tag, index) => {
    const at = `tags.${index + 1}.member`;
    if (v.required(tag.Key, `${at}.key`)) {
      v.length(tag.Key, `${at}.key`, 1, 128);
      v.pattern(tag.Key, `${at}.key`, TAG_KEY_PATTERN, '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+');
    }
    if (v.required(tag.Value, `${at}.value`)) {
      v.length(tag.Value, `${at}.value`, 0, 256);
      v.pattern(tag.Value, `${at}.value`, TAG_VALUE_PATTERN, '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*');
    }
  });
  return tags as Tag[];
}

/** IAM tag keys are unique regardless of case; a new value for an existing key replaces it, under the newly given spelling. */
function mergeTags(existing: Tag[], added: Tag[], quota = 'TagsPerRole'): Tag[] {
  const lowered = new Set<string>();
  for (const tag of added) {
    const key = tag.Key.toLowerCase();
    if (lowered.has(key)) throw new AwsError('InvalidInput', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.', 400);
    lowered.add(key);
  }
  if (added.some((tag) => tag.Key.toLowerCase().startsWith('aws:'))) {
    throw new AwsError('InvalidInput', "User-defined tag keys can't start with 'aws:'. This prefix is reserved for AWS tags.", 400);
  }
  const merged = existing.filter((tag) => !lowered.has(tag.Key.toLowerCase()));
  merged.push(...added.map((tag) => ({ Key: tag.Key, Value: tag.Value })));
  if (merged.length > MAX_TAGS) throw new AwsError('LimitExceeded', `Cannot exceed quota for ${quota}: ${MAX_TAGS}.`, 409);
  return merged;
}

function roleXml(role: StoredRole, detailed: boolean): XmlValue {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: role.createDate,
    AssumeRolePolicyDocument: role.assumeRolePolicyDocument,
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    PermissionsBoundary: role.permissionsBoundaryArn
      ? { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: role.permissionsBoundaryArn }
      : undefined,
    Tags: detailed && role.tags.length > 0 ? role.tags.map((tag) => ({ Key: tag.Key, Value: tag.Value })) : undefined,
    RoleLastUsed: detailed ? {} : undefined,
  };
}

function uniqueId(prefix: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = randomBytes(17);
  let id = prefix;
  for (const byte of bytes) id += alphabet[byte % alphabet.length];
  return id;
}

/** IAM's timestamps: ISO 8601 to the second. */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function createRole(backend: Backend, ctx: RequestContext, params: QueryParams): Result {
  const v = new Violations();
  const name = params.string('RoleName');
  checkRoleName(v, name);
  const path = params.string('Path') ?? '/';
  v.length(path, 'path', 1, 512);
  v.pattern(path, 'path', PATH_PATTERN, '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)');
  const description = params.string('Description');
  checkDescription(v, description);
  const maxSession = params.integer('MaxSessionDuration');
  v.range(maxSession, 'maxSessionDuration', 3600, 43200);
  const boundary = params.string('PermissionsBoundary');
  v.length(boundary, 'permissionsBoundary', 20, 2048);
  const tags = checkTags(v, params.tags('Tags'));
  v.length(tags, 'tags', 0, MAX_TAGS);
  const document = params.string('AssumeRolePolicyDocument');
  v.required(document, 'assumeRolePolicyDocument');
  v.throwIfAny('ValidationError');
  if (Number.isNaN(maxSession)) throw validationError('MaxSessionDuration must be an integer.');
  if (boundary !== undefined && !POLICY_ARN_PATTERN.test(boundary)) throw new AwsError('InvalidInput', `ARN ${boundary} is not valid.`, 400);
  const encodedPolicy = checkPolicy(document, 'assumeRolePolicyDocument', true);
  const mergedTags = mergeTags([], tags);

  const key = roleKey(ctx.account, name!);
  if (backend.state.roles.has(key)) throw new AwsError('EntityAlreadyExists', `Role with name ${name!} already exists.`, 409);
  const now = new Date();
  const role: StoredRole = {
    account: ctx.account,
    name: name!,
    path,
    roleId: uniqueId('AROA'),
    arn: `arn:aws:iam::${ctx.account}:role${path}${name!}`,
    createDate: isoSeconds(now),
    createdAtMs: now.getTime(),
    assumeRolePolicyDocument: encodedPolicy,
    description,
    maxSessionDuration: maxSession ?? 3600,
    permissionsBoundaryArn: boundary,
    tags: mergedTags,
    inlinePolicies: {},
    attachedPolicyArns: [],
  };
  backend.state.roles.set(key, role);
  backend.changed();
  // CreateRole returns the tags it was given but not RoleLastUsed.
  return { Role: { ...(roleXml(role, true) as Record<string, XmlValue>), RoleLastUsed: undefined } };
}

function deleteRole(backend: Backend, ctx: RequestContext, params: QueryParams): Result {
  const role = findRole(backend, ctx, params);
  if (Object.keys(role.inlinePolicies).length > 0) {
    throw new AwsError('DeleteConflict', 'Cannot delete entity, must delete policies first.', 409);
  }
  if (role.attachedPolicyArns.length > 0) {
    throw new AwsError('DeleteConflict', 'Cannot delete entity, must detach all policies first.', 409);
  }
  backend.state.roles.delete(roleKey(role.account, role.name));
  backend.changed();
  return undefined;
}

function listRoles(backend: Backend, ctx: RequestContext, params: QueryParams): Result {
  const prefix = params.string('PathPrefix') ?? '/';
  const roles = [...backend.state.roles.values()]
    .filter((role) => role.account === ctx.account && role.path.startsWith(prefix))
    .sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
  const page = paginate(params, roles, (role) => role.name.toLowerCase());
  return { Roles: page.items.map((role) => roleXml(role, false)), IsTruncated: page.truncated, Marker: page.marker };
}

/** The Tags of a TagRole or TagPolicy request, checked. */
function checkTagRequest(params: QueryParams): Tag[] {
  const v = new Violations();
  const given = params.tags('Tags');
  if (v.required(given, 'tags')) v.length(given, 'tags', 0, MAX_TAGS);
  const tags = checkTags(v, given);
  v.throwIfAny('ValidationError');
  return tags;
}

/** The TagKeys of an UntagRole or UntagPolicy request, lower-cased (IAM tag keys ignore case). */
function checkUntagRequest(params: QueryParams): Set<string> {
  const v = new Violations();
  const keys = params.list('TagKeys');
  if (v.required(keys, 'tagKeys')) v.length(keys, 'tagKeys', 0, MAX_TAGS);
  v.throwIfAny('ValidationError');
  return new Set(keys!.map((key) => key.toLowerCase()));
}

function tagRole(backend: Backend, ctx: RequestContext, params: QueryParams): Result {
  const tags = checkTagRequest(params);
  const role = findRole(backend, ctx, params);
  role.tags = mergeTags(role.tags, tags);
  backend.changed();
  return undefined;
}

function untagRole(backend: Backend, ctx: RequestContext, params: QueryParams): Result {
  const removed = checkUntagRequest(params);
  const role = findRole(backend, ctx, params);
  role.tags = role.tags.filter((tag) => !removed.has(tag.Key.toLowerCase()));
  backend.changed();
  return undefined;
}

function checkPolicyName(params: QueryParams): string {
  const v = new Violations();
  const name = params.string('PolicyName');
  if (v.required(name, 'policyName')) {
    v.length(name, 'policyName', 1, 128);
    v.pattern(name, 'policyName', NAME_PATTERN, '[\\w+=,.@-]+');
  }
  v.throwIfAny('ValidationError');
  return name!;
}

function checkPolicyArn(params: QueryParams): string {
  const v = new Violations();
  const arn = params.string('PolicyArn');
  if (v.required(arn, 'policyArn')) v.length(arn, 'policyArn', 20, 2048);
  v.throwIfAny('ValidationError');
  if (!POLICY_ARN_PATTERN.test(arn!)) throw new AwsError('InvalidInput', `ARN ${arn!} is not valid.`, 400);
  return arn!;
}

function putRolePolicy(backend: Backend, ctx: RequestContext, params: QueryParams): Result {
  const policyName = checkPolicyName(params);
  const role = findRole(backend, ctx, params);
  const encoded = checkPolicy(params.string('PolicyDocument'), 'policyDocument', false);
  const others = Object.entries(role.inlinePolicies).filter(([name]) => name !== policyName);
  const size = others.reduce((sum, [, doc]) => sum + decodeURIComponent(doc).replace(/\s/g, '').length, 0);
  if (size + params.string('PolicyDocument')!.replace(/\s/g, '').length > MAX_INLINE_POLICY_BYTES) {
    throw new AwsError('LimitExceeded', `Maximum policy size of ${MAX_INLINE_POLICY_BYTES} bytes exceeded for role ${role.name}`, 409);
  }
  role.inlinePolicies[policyName] = encoded;
  backend.changed();
  return undefined;
}

// ---- managed policies ----

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
function findManagedPolicy(backend: Backend, ctx: RequestContext, arn: string): StoredPolicy {
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
function findCustomerPolicy(backend: Backend, ctx: RequestContext, arn: string, operation: string): StoredPolicy {
  const policy = findManagedPolicy(backend, ctx, arn);
  if (policy.account === 'aws') {
    throw new AwsError('AccessDenied', `User: arn:aws:iam::${ctx.account}:root is not authorized to perform: iam:${operation} on resource: policy ${arn}`, 403);
  }
  return policy;
}

function findPolicyVersion(policy: StoredPolicy, params: QueryParams) {
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
function policyXml(backend: Backend, ctx: RequestContext, policy: StoredPolicy, detailed: boolean): XmlValue {
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

function versionXml(policy: StoredPolicy, version: StoredPolicy['versions'][number], withDocument: boolean): XmlValue {
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

function createPolicy(backend: Backend, ctx: RequestContext, params: QueryParams): Result {
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

function deletePolicy(backend: Backend, ctx: RequestContext, params: QueryParams): Result {
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

function createPolicyVersion(backend: Backend, ctx: RequestContext, params: QueryParams): Result {
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

function listPolicies(backend: Backend, ctx: RequestContext, params: QueryParams): Result {
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

function listEntitiesForPolicy(backend: Backend, ctx: RequestContext, params: QueryParams): Result {
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

interface Page<T> {
  items: T[];
  truncated: boolean;
  marker?: string;
}

/** IAM paging: MaxItems (1..1000, default 100) and an opaque Marker naming the last item returned. */
function paginate<T>(params: QueryParams, items: T[], keyOf: (item: T) => string): Page<T> {
  const v = new Violations();
  const maxItems = params.integer('MaxItems');
  v.range(maxItems, 'maxItems', 1, 1000);
  const marker = params.string('Marker');
  v.length(marker, 'marker', 1, 320);
  v.throwIfAny('ValidationError');
  if (Number.isNaN(maxItems)) throw validationError('MaxItems must be an integer.');
  let start = 0;
  if (marker !== undefined) {
    let last: string;
    try {
      last = Buffer.from(marker, 'base64url').toString('utf8');
    } catch {
      throw validationError('Invalid Marker.');
    }
    const index = items.findIndex((item) => keyOf(item) === last);
    start = index < 0 ? items.length : index + 1;
  }
  const limit = maxItems ?? 100;
  const slice = items.slice(start, start + limit);
  const truncated = start + limit < items.length;
  return {
    items: slice,
    truncated,
    marker: truncated ? Buffer.from(keyOf(slice[slice.length - 1])).toString('base64url') : undefined,
  };
}
