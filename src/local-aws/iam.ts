// IAM (AWS Query protocol, XML): roles, their inline and attached policies, and their tags.
import { randomBytes } from 'node:crypto';
import type { Backend, RequestContext } from './context';
import { AwsError } from './errors';
import type { QueryParams } from './query';
import { roleKey, type StoredRole, type Tag } from './state';
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

const noSuchRole = (name: string) => new AwsError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);
const validationError = (message: string) => new AwsError('ValidationError', message, 400);
const malformedPolicy = (message: string) => new AwsError('MalformedPolicyDocument', message, 400);

export const iamOperations = [
  'CreateRole',
  'GetRole',
  'DeleteRole',
  'ListRoles',
  'UpdateAssumeRolePolicy',
  'UpdateRole',
  'UpdateRoleDescription',
  'PutRolePermissionsBoundary',
  'DeleteRolePermissionsBoundary',
  'TagRole',
  'UntagRole',
  'ListRoleTags',
  'ListRolePolicies',
  'PutRolePolicy',
  'GetRolePolicy',
  'DeleteRolePolicy',
  'ListAttachedRolePolicies',
  'AttachRolePolicy',
  'DetachRolePolicy',
  'ListInstanceProfilesForRole',
];

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
function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
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
  if (merged.length > MAX_TAGS) throw new AwsError('LimitExceeded', `Cannot exceed quota for TagsPerRole: ${MAX_TAGS}.`, 409);
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
    createDate: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
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

function tagRole(backend: Backend, ctx: RequestContext, params: QueryParams): Result {
  const v = new Violations();
  const given = params.tags('Tags');
  if (v.required(given, 'tags')) v.length(given, 'tags', 0, MAX_TAGS);
  const tags = checkTags(v, given);
  v.throwIfAny('ValidationError');
  const role = findRole(backend, ctx, params);
  role.tags = mergeTags(role.tags, tags);
  backend.changed();
  return undefined;
}

function untagRole(backend: Backend, ctx: RequestContext, params: QueryParams): Result {
  const v = new Violations();
  const keys = params.list('TagKeys');
  if (v.required(keys, 'tagKeys')) v.length(keys, 'tagKeys', 0, MAX_TAGS);
  v.throwIfAny('ValidationError');
  const role = findRole(backend, ctx, params);
  const removed = new Set(keys!.map((key) => key.toLowerCase()));
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
