// IAM (AWS Query protocol, XML): roles, their inline and attached policies, their tags, and managed policies
// (customer managed ones created here, and a small table of AWS managed ones). This file routes each operation;
// roles.ts and managed-policies.ts hold the longer ones, checks.ts what they check.
import type { Backend, RequestContext } from '../context';
import { AwsError } from '../errors';
import type { QueryParams } from '../query';
import { Violations } from '../validation';
import { checkDescription, checkPolicy, checkPolicyArn, checkPolicyName, checkTagRequest, checkUntagRequest, isoSeconds, MAX_ATTACHED_POLICIES, mergeTags, noSuchPolicy, paginate, POLICY_ARN_PATTERN, policyName, policyPath, type Result } from './checks';
import { createPolicy, createPolicyVersion, deletePolicy, findCustomerPolicy, findManagedPolicy, findPolicyVersion, listEntitiesForPolicy, listPolicies, policyXml, versionXml } from './managed-policies';
import { createRole, deleteRole, findRole, listRoles, putRolePolicy, roleXml, tagRole, untagRole } from './roles';

export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

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
