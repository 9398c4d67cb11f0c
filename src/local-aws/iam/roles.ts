// Roles: create, find, list, delete, tag, and their inline policies.
import type { Backend, RequestContext } from '../context';
import { AwsError } from '../errors';
import type { QueryParams } from '../query';
import { roleKey, type StoredRole } from '../state';
import { Violations } from '../validation';
import type { XmlValue } from '../xml';
import { checkDescription, checkPolicy, checkPolicyName, checkRoleName, checkTagRequest, checkTags, checkUntagRequest, isoSeconds, MAX_INLINE_POLICY_BYTES, MAX_TAGS, mergeTags, noSuchRole, paginate, PATH_PATTERN, POLICY_ARN_PATTERN, policyName, type Result, uniqueId, validationError } from './checks';

export function findRole(backend: Backend, ctx: RequestContext, params: QueryParams): StoredRole {
  const name = params.string('RoleName');
  const v = new Violations();
  checkRoleName(v, name);
  v.throwIfAny('ValidationError');
  const role = backend.state.roles.get(roleKey(ctx.account, name!));
  if (!role) throw noSuchRole(name!);
  return role;
}

/** Checks a policy document and returns it URL-encoded, the form IAM stores and returns. */

export function roleXml(role: StoredRole, detailed: boolean): XmlValue {
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

export function createRole(backend: Backend, ctx: RequestContext, params: QueryParams): Result {
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

export function deleteRole(backend: Backend, ctx: RequestContext, params: QueryParams): Result {
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

export function listRoles(backend: Backend, ctx: RequestContext, params: QueryParams): Result {
  const prefix = params.string('PathPrefix') ?? '/';
  const roles = [...backend.state.roles.values()]
    .filter((role) => role.account === ctx.account && role.path.startsWith(prefix))
    .sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
  const page = paginate(params, roles, (role) => role.name.toLowerCase());
  return { Roles: page.items.map((role) => roleXml(role, false)), IsTruncated: page.truncated, Marker: page.marker };
}

/** The Tags of a TagRole or TagPolicy request, checked. */

export function tagRole(backend: Backend, ctx: RequestContext, params: QueryParams): Result {
  const tags = checkTagRequest(params);
  const role = findRole(backend, ctx, params);
  role.tags = mergeTags(role.tags, tags);
  backend.changed();
  return undefined;
}

export function untagRole(backend: Backend, ctx: RequestContext, params: QueryParams): Result {
  const removed = checkUntagRequest(params);
  const role = findRole(backend, ctx, params);
  role.tags = role.tags.filter((tag) => !removed.has(tag.Key.toLowerCase()));
  backend.changed();
  return undefined;
}

export function putRolePolicy(backend: Backend, ctx: RequestContext, params: QueryParams): Result {
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
