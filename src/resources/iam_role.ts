// resource "aws_iam_role": the mapping between provider-schema/resources/aws_iam_role.json and IAM's
// role API, as hashicorp/aws 5.100.0 (SDKv2) does it. IAM is global: no region argument. The policies are
// stored normalised and compared by meaning (the schema's state_func / diff_suppress), inline policies left
// out of the configuration are tracked as they exist (optional+computed), and tags come from GetRole.
import type { IAMClient, Role } from '@aws-sdk/client-iam';
import type { ResourceType } from '../engine/resource';
import type { Schema } from '../engine/schema';
import type { ObjectValue } from '../values/value';
import { CtyNumber, isUnknown } from '../values/value';
import { tagged } from '../aws/behaviours';
import { awsResourceError, isErrorCode, sdkAttempts } from '../aws/errors';
import { policyToSet } from '../aws/iam-policy/equivalence';
import { goQueryUnescape, legacyPolicyNormalize } from '../aws/iam-policy/normalize';
import type { AwsContext, AwsMeta } from '../aws/meta';
import { namePrefixFromName, resourceName } from '../aws/names';
import { retryWhile } from '../aws/retry';
import { iamSdk } from '../aws/sdk';
import { inlinePoliciesEquivalent, namedPolicies, type NamedPolicy } from '../aws/sdkv2-functions';
import { tagsForCreate } from '../aws/tags';
import { nonEmpty, num, objects, str, strings } from '../aws/values';
import schemaJson from '../../provider-schema/resources/aws_iam_role.json';

const THING = 'IAM Role';
const PROPAGATION_TIMEOUT_MS = 2 * 60_000;

async function iam(context: AwsContext): Promise<{ sdk: ReturnType<typeof iamSdk>; client: IAMClient }> {
  return { sdk: iamSdk(), client: await context.meta.clients.iam() };
}

const role: ResourceType<AwsMeta> = {
  name: 'aws_iam_role',
  schema: schemaJson as unknown as Schema,
  sdkv2: true,

  async create(context, planned) {
    const name = resourceName(str(planned.name), str(planned.name_prefix));
    const { sdk, client } = await iam(context);
    const tags = tagsForCreate(planned, context.meta.defaultTags);
    try {
      // IAM may not know a service principal or a just-created role yet: retry while it says so.
      await retryWhile(
        () =>
          client.send(
            new sdk.CreateRoleCommand({
              RoleName: name,
              Path: str(planned.path),
              AssumeRolePolicyDocument: str(planned.assume_role_policy),
              Description: nonEmpty(planned.description),
              MaxSessionDuration: num(planned.max_session_duration),
              PermissionsBoundary: nonEmpty(planned.permissions_boundary),
              Tags: Object.keys(tags).length > 0 ? Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) : undefined,
            }),
          ),
        (error) => isErrorCode(error, 'MalformedPolicyDocument', 'Invalid principal') || isErrorCode(error, 'ConcurrentModification'),
        { timeoutMs: PROPAGATION_TIMEOUT_MS, signal: context.signal },
      );
    } catch (error) {
      // A retried request whose first attempt reached IAM but whose answer was lost finds its own role.
      if (!(isErrorCode(error, 'EntityAlreadyExists') && sdkAttempts(error) > 1)) {
        throw awsResourceError(`creating ${THING}`, name, 'IAM', 'CreateRole', error);
      }
    }
    const created: ObjectValue = { ...planned, id: name, name };
    try {
      await putInlinePolicies(context, name, namedPolicies(planned.inline_policy));
      await attachPolicies(context, name, strings(planned.managed_policy_arns));
      // A new role may not be readable at once (eventual consistency).
      const found = await retryWhile(() => getRole(context, name), (error) => isErrorCode(error, 'NoSuchEntity'), {
        timeoutMs: PROPAGATION_TIMEOUT_MS,
        signal: context.signal,
      });
      return await flattenRole(context, found, created);
    } catch (error) {
      throw awsResourceError(`reading ${THING}`, name, 'IAM', 'GetRole', error).withState(created);
    }
  },

  async read(context, current) {
    const name = str(current.id) ?? str(current.name)!;
    try {
      return await flattenRole(context, await getRole(context, name), current);
    } catch (error) {
      if (isErrorCode(error, 'NoSuchEntity')) return null;
      throw awsResourceError(`reading ${THING}`, name, 'IAM', 'GetRole', error);
    }
  },

  async update(context, prior, planned) {
    const name = str(prior.id)!;
    const { sdk, client } = await iam(context);
    // Mutating calls are never aborted half-way: Terraform would lose track of what changed.
    const call = async (operation: string, run: () => Promise<unknown>) => {
      try {
        await run();
      } catch (error) {
        throw awsResourceError(`updating ${THING}`, name, 'IAM', operation, error);
      }
    };
    if (str(prior.assume_role_policy) !== str(planned.assume_role_policy)) {
      await call('UpdateAssumeRolePolicy', () =>
        retryWhile(
          () => client.send(new sdk.UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: str(planned.assume_role_policy) })),
          (error) => isErrorCode(error, 'MalformedPolicyDocument', 'Invalid principal'),
          { timeoutMs: PROPAGATION_TIMEOUT_MS, signal: context.signal },
        ),
      );
    }
    if ((str(prior.description) ?? '') !== (str(planned.description) ?? '')) {
      await call('UpdateRoleDescription', () => client.send(new sdk.UpdateRoleDescriptionCommand({ RoleName: name, Description: str(planned.description) ?? '' })));
    }
    if (num(prior.max_session_duration) !== num(planned.max_session_duration)) {
      await call('UpdateRole', () => client.send(new sdk.UpdateRoleCommand({ RoleName: name, MaxSessionDuration: num(planned.max_session_duration) })));
    }
    if ((str(prior.permissions_boundary) ?? '') !== (str(planned.permissions_boundary) ?? '')) {
      const boundary = nonEmpty(planned.permissions_boundary);
      await call(boundary ? 'PutRolePermissionsBoundary' : 'DeleteRolePermissionsBoundary', () =>
        boundary
          ? client.send(new sdk.PutRolePermissionsBoundaryCommand({ RoleName: name, PermissionsBoundary: boundary }))
          : client.send(new sdk.DeleteRolePermissionsBoundaryCommand({ RoleName: name })),
      );
    }
    const [before, after] = [namedPolicies(prior.inline_policy), namedPolicies(planned.inline_policy)];
    if (!inlinePoliciesEquivalent(before, after)) {
      // As SDKv2 computes it: what is in one set and not (identically) in the other.
      const same = (a: NamedPolicy) => (b: NamedPolicy) => a.name === b.name && a.policy === b.policy;
      await deleteInlinePolicies(context, name, before.filter((p) => !after.some(same(p))).map((p) => p.name));
      await putInlinePolicies(context, name, after.filter((p) => !before.some(same(p))));
    }
    const [attached, wanted] = [strings(prior.managed_policy_arns), strings(planned.managed_policy_arns)];
    await detachPolicies(context, name, attached.filter((arn) => !wanted.includes(arn)));
    await attachPolicies(context, name, wanted.filter((arn) => !attached.includes(arn)));
    const refreshed = await role.read(context, planned);
    if (!refreshed) throw awsResourceError(`updating ${THING}`, name, 'IAM', 'GetRole', new Error('role not found'));
    return refreshed;
  },

  async delete(context, current) {
    const name = str(current.id)!;
    const { sdk, client } = await iam(context);
    const forceDetach = current.force_detach_policies === true;
    try {
      for (const profile of await listAll(context, name, 'ListInstanceProfilesForRole')) {
        await skipGone(client.send(new sdk.RemoveRoleFromInstanceProfileCommand({ RoleName: name, InstanceProfileName: profile })));
      }
      if (forceDetach || strings(current.managed_policy_arns).length > 0) {
        await detachPolicies(context, name, await listAll(context, name, 'ListAttachedRolePolicies'));
      }
      if (forceDetach || objects(current.inline_policy).length > 0) {
        await deleteInlinePolicies(context, name, await listAll(context, name, 'ListRolePolicies'));
      }
      await retryWhile(() => client.send(new sdk.DeleteRoleCommand({ RoleName: name })), (error) => isErrorCode(error, 'DeleteConflict'), {
        timeoutMs: PROPAGATION_TIMEOUT_MS,
        signal: context.signal,
      });
    } catch (error) {
      if (isErrorCode(error, 'NoSuchEntity')) return;
      throw awsResourceError(`deleting ${THING}`, name, 'IAM', 'DeleteRole', error);
    }
  },

  importState(_context, id) {
    return { id, force_detach_policies: false };
  },
};

async function getRole(context: AwsContext, name: string): Promise<Role> {
  const { sdk, client } = await iam(context);
  return (await client.send(new sdk.GetRoleCommand({ RoleName: name }), { abortSignal: context.signal })).Role!;
}

/**
 * GetRole and the role's policies as state; `tags_all` carries the role's tags for the tagging behaviour.
 * Values IAM leaves out are stored as SDKv2 stores them: "" for strings.
 */
async function flattenRole(context: AwsContext, remote: Role, known: ObjectValue): Promise<ObjectValue> {
  const name = remote.RoleName!;
  const inline = await inlinePolicies(context, name);
  const knownInline = known.inline_policy ?? null;
  return {
    ...known,
    id: name,
    name,
    name_prefix: namePrefixFromName(name) ?? '',
    arn: remote.Arn ?? null,
    unique_id: remote.RoleId ?? null,
    create_date: remote.CreateDate ? remote.CreateDate.toISOString().replace(/\.\d{3}Z$/, 'Z') : null,
    path: remote.Path ?? '/',
    description: remote.Description ?? '',
    max_session_duration: CtyNumber.of(remote.MaxSessionDuration ?? 3600),
    permissions_boundary: remote.PermissionsBoundary?.PermissionsBoundaryArn ?? '',
    force_detach_policies: known.force_detach_policies ?? false,
    // The stored text stays while IAM's means the same policy.
    assume_role_policy: policyToSet(str(known.assume_role_policy) ?? '', goQueryUnescape(remote.AssumeRolePolicyDocument ?? '')),
    inline_policy:
      !isUnknown(knownInline) && inlinePoliciesEquivalent(inline, namedPolicies(knownInline))
        ? knownInline
        : inline.map((p) => ({ name: p.name, policy: legacyPolicyNormalize(p.policy) })),
    managed_policy_arns: await listAll(context, name, 'ListAttachedRolePolicies'),
    tags_all: Object.fromEntries((remote.Tags ?? []).filter((tag) => tag.Key).map((tag) => [tag.Key!, tag.Value ?? ''])),
  };
}

type RoleListing = 'ListRolePolicies' | 'ListAttachedRolePolicies' | 'ListInstanceProfilesForRole';

/** Every page of one of the role's listings: policy names, attached policy ARNs or instance profile names. */
async function listAll(context: AwsContext, role: string, listing: RoleListing): Promise<string[]> {
  const { sdk, client } = await iam(context);
  const items: string[] = [];
  let Marker: string | undefined;
  do {
    const input = { RoleName: role, Marker };
    const options = { abortSignal: context.signal };
    if (listing === 'ListRolePolicies') {
      const page = await client.send(new sdk.ListRolePoliciesCommand(input), options);
      items.push(...(page.PolicyNames ?? []));
      Marker = page.IsTruncated ? page.Marker : undefined;
    } else if (listing === 'ListAttachedRolePolicies') {
      const page = await client.send(new sdk.ListAttachedRolePoliciesCommand(input), options);
      items.push(...(page.AttachedPolicies ?? []).map((p) => p.PolicyArn!).filter(Boolean));
      Marker = page.IsTruncated ? page.Marker : undefined;
    } else {
      const page = await client.send(new sdk.ListInstanceProfilesForRoleCommand(input), options);
      items.push(...(page.InstanceProfiles ?? []).map((p) => p.InstanceProfileName!).filter(Boolean));
      Marker = page.IsTruncated ? page.Marker : undefined;
    }
  } while (Marker);
  return items;
}

async function inlinePolicies(context: AwsContext, role: string): Promise<NamedPolicy[]> {
  const { sdk, client } = await iam(context);
  const policies: NamedPolicy[] = [];
  for (const policyName of await listAll(context, role, 'ListRolePolicies')) {
    const got = await client.send(new sdk.GetRolePolicyCommand({ RoleName: role, PolicyName: policyName }), { abortSignal: context.signal });
    policies.push({ name: policyName, policy: goQueryUnescape(got.PolicyDocument ?? '') });
  }
  return policies;
}

async function putInlinePolicies(context: AwsContext, role: string, policies: NamedPolicy[]): Promise<void> {
  const { sdk, client } = await iam(context);
  for (const { name, policy } of policies) {
    await client.send(new sdk.PutRolePolicyCommand({ RoleName: role, PolicyName: name, PolicyDocument: policy }));
  }
}

async function deleteInlinePolicies(context: AwsContext, role: string, names: string[]): Promise<void> {
  const { sdk, client } = await iam(context);
  for (const name of names) await skipGone(client.send(new sdk.DeleteRolePolicyCommand({ RoleName: role, PolicyName: name })));
}

async function attachPolicies(context: AwsContext, role: string, arns: string[]): Promise<void> {
  const { sdk, client } = await iam(context);
  for (const arn of arns) await client.send(new sdk.AttachRolePolicyCommand({ RoleName: role, PolicyArn: arn }));
}

async function detachPolicies(context: AwsContext, role: string, arns: string[]): Promise<void> {
  const { sdk, client } = await iam(context);
  for (const arn of arns) await skipGone(client.send(new sdk.DetachRolePolicyCommand({ RoleName: role, PolicyArn: arn })));
}

/** A clean-up call whose item is already gone has nothing left to do. */
async function skipGone(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (!isErrorCode(error, 'NoSuchEntity')) throw error;
  }
}

export const iamRole: ResourceType<AwsMeta> = tagged(role, {
  async update(context, state, remove, add) {
    const { sdk, client } = await iam(context);
    const name = str(state.id)!;
    try {
      if (remove.length > 0) await client.send(new sdk.UntagRoleCommand({ RoleName: name, TagKeys: remove }));
      const tags = Object.entries(add).map(([Key, Value]) => ({ Key, Value }));
      if (tags.length > 0) await client.send(new sdk.TagRoleCommand({ RoleName: name, Tags: tags }));
    } catch (error) {
      throw awsResourceError(`updating tags of ${THING}`, name, 'IAM', remove.length ? 'UntagRole' : 'TagRole', error);
    }
  },
});

