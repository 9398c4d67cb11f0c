// resource "aws_iam_role": the mapping between provider-schema/resources/aws_iam_role.json and IAM's
// role API. IAM is global: no region argument. The assume-role policy is compared by meaning, not by
// bytes, as in hashicorp/aws (an equivalent policy is no change).
import type { IAMClient, Role } from '@aws-sdk/client-iam';
import type { PlanModifier, ResourceType } from '../engine/resource';
import type { Schema } from '../engine/schema';
import type { ObjectValue } from '../values/value';
import { CtyNumber } from '../values/value';
import { tagged } from '../aws/behaviours';
import { awsResourceError, isErrorCode, sdkAttempts } from '../aws/errors';
import { normalizePolicyJson, policyDiffSuppressed } from '../aws/iam-policy';
import type { AwsContext, AwsMeta } from '../aws/meta';
import { uniqueId } from '../aws/names';
import { retryWhile } from '../aws/retry';
import { iamSdk } from '../aws/sdk';
import { tagsForCreate } from '../aws/tags';
import { nonEmpty, num, objects, str, strings } from '../aws/values';
import schemaJson from '../../provider-schema/resources/aws_iam_role.json';

const THING = 'IAM Role';
const PROPAGATION_TIMEOUT_MS = 2 * 60_000;
/** Generated names: "terraform-" or the prefix, then 26 characters. */
const GENERATED_SUFFIX = /^\d{18}[0-9a-f]{8}$/;

async function iam(context: AwsContext): Promise<{ sdk: ReturnType<typeof iamSdk>; client: IAMClient }> {
  return { sdk: iamSdk(), client: await context.meta.clients.iam() };
}

/** An equivalent assume-role policy is no change: keep the prior text. */
const suppressEquivalentPolicy: PlanModifier<AwsMeta> = (_context, { prior, config, planned }) => {
  const before = prior ? str(prior.assume_role_policy) : undefined;
  const after = str(config.assume_role_policy);
  if (before !== undefined && after !== undefined && policyDiffSuppressed(before, after)) planned.assume_role_policy = before;
};

const role: ResourceType<AwsMeta> = {
  name: 'aws_iam_role',
  schema: schemaJson as unknown as Schema,
  planModifiers: [suppressEquivalentPolicy],

  async create(context, planned) {
    const name = str(planned.name) ?? uniqueId(str(planned.name_prefix) ?? 'terraform-');
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
              AssumeRolePolicyDocument: normalizePolicyJson(str(planned.assume_role_policy)!),
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
      await putInlinePolicies(context, name, [], objects(planned.inline_policy));
      await changeManagedPolicies(context, name, [], strings(planned.managed_policy_arns));
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
          () => client.send(new sdk.UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: normalizePolicyJson(str(planned.assume_role_policy)!) })),
          (error) => isErrorCode(error, 'MalformedPolicyDocument', 'Invalid principal'),
          { timeoutMs: PROPAGATION_TIMEOUT_MS, signal: context.signal },
        ),
      );
    }
    if (str(prior.description) !== str(planned.description)) {
      await call('UpdateRoleDescription', () => client.send(new sdk.UpdateRoleDescriptionCommand({ RoleName: name, Description: str(planned.description) ?? '' })));
    }
    if (num(prior.max_session_duration) !== num(planned.max_session_duration)) {
      await call('UpdateRole', () => client.send(new sdk.UpdateRoleCommand({ RoleName: name, MaxSessionDuration: num(planned.max_session_duration) })));
    }
    if (str(prior.permissions_boundary) !== str(planned.permissions_boundary)) {
      const boundary = nonEmpty(planned.permissions_boundary);
      await call(boundary ? 'PutRolePermissionsBoundary' : 'DeleteRolePermissionsBoundary', () =>
        boundary
          ? client.send(new sdk.PutRolePermissionsBoundaryCommand({ RoleName: name, PermissionsBoundary: boundary }))
          : client.send(new sdk.DeleteRolePermissionsBoundaryCommand({ RoleName: name })),
      );
    }
    await putInlinePolicies(context, name, objects(prior.inline_policy), objects(planned.inline_policy));
    await changeManagedPolicies(context, name, strings(prior.managed_policy_arns), strings(planned.managed_policy_arns));
    const refreshed = await role.read(context, planned);
    if (!refreshed) throw awsResourceError(`updating ${THING}`, name, 'IAM', 'GetRole', new Error('role not found'));
    return refreshed;
  },

  async delete(context, current) {
    const name = str(current.id)!;
    const { sdk, client } = await iam(context);
    try {
      const profiles = await client.send(new sdk.ListInstanceProfilesForRoleCommand({ RoleName: name }), { abortSignal: context.signal });
      for (const profile of profiles.InstanceProfiles ?? []) {
        await client.send(new sdk.RemoveRoleFromInstanceProfileCommand({ RoleName: name, InstanceProfileName: profile.InstanceProfileName }));
      }
      if (current.force_detach_policies === true || objects(current.inline_policy).length > 0 || strings(current.managed_policy_arns).length > 0) {
        await changeManagedPolicies(context, name, await attachedPolicyArns(context, name), []);
        await putInlinePolicies(context, name, await inlinePolicies(context, name), []);
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
    return { id, name: id };
  },
};

async function getRole(context: AwsContext, name: string): Promise<Role> {
  const { sdk, client } = await iam(context);
  return (await client.send(new sdk.GetRoleCommand({ RoleName: name }), { abortSignal: context.signal })).Role!;
}

async function flattenRole(context: AwsContext, remote: Role, known: ObjectValue): Promise<ObjectValue> {
  const name = remote.RoleName!;
  const policy = decodeURIComponent(remote.AssumeRolePolicyDocument ?? '');
  const knownPolicy = str(known.assume_role_policy);
  const prefix = generatedPrefix(name);
  return {
    ...known,
    id: name,
    name,
    name_prefix: prefix ?? null,
    arn: remote.Arn ?? null,
    unique_id: remote.RoleId ?? null,
    create_date: remote.CreateDate ? remote.CreateDate.toISOString().replace(/\.\d{3}Z$/, 'Z') : null,
    path: remote.Path ?? '/',
    description: remote.Description ?? (str(known.description) === '' ? '' : null),
    max_session_duration: CtyNumber.of(remote.MaxSessionDuration ?? 3600),
    permissions_boundary: remote.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    force_detach_policies: known.force_detach_policies ?? false,
    // The configured text stays while it means the same policy.
    assume_role_policy: knownPolicy !== undefined && policyDiffSuppressed(knownPolicy, policy) ? knownPolicy : normalizePolicyJson(policy),
    inline_policy: (await inlinePolicies(context, name)).map((p) => ({ name: p.name, policy: p.policy })),
    managed_policy_arns: await attachedPolicyArns(context, name),
  };
}

function generatedPrefix(name: string): string | undefined {
  return name.length > 26 && GENERATED_SUFFIX.test(name.slice(-26)) ? name.slice(0, -26) : undefined;
}

async function inlinePolicies(context: AwsContext, name: string): Promise<ObjectValue[]> {
  const { sdk, client } = await iam(context);
  const names = (await client.send(new sdk.ListRolePoliciesCommand({ RoleName: name }), { abortSignal: context.signal })).PolicyNames ?? [];
  const policies: ObjectValue[] = [];
  for (const policyName of names) {
    const got = await client.send(new sdk.GetRolePolicyCommand({ RoleName: name, PolicyName: policyName }), { abortSignal: context.signal });
    policies.push({ name: policyName, policy: normalizePolicyJson(decodeURIComponent(got.PolicyDocument ?? '')) });
  }
  return policies;
}

async function attachedPolicyArns(context: AwsContext, name: string): Promise<string[]> {
  const { sdk, client } = await iam(context);
  const attached = await client.send(new sdk.ListAttachedRolePoliciesCommand({ RoleName: name }), { abortSignal: context.signal });
  return (attached.AttachedPolicies ?? []).map((p) => p.PolicyArn!).filter(Boolean);
}

async function putInlinePolicies(context: AwsContext, role: string, before: ObjectValue[], after: ObjectValue[]): Promise<void> {
  const { sdk, client } = await iam(context);
  const wanted = new Map(after.filter((p) => nonEmpty(p.name)).map((p) => [str(p.name)!, str(p.policy) ?? '']));
  for (const old of before) {
    const policyName = str(old.name);
    if (policyName && !wanted.has(policyName)) {
      await client.send(new sdk.DeleteRolePolicyCommand({ RoleName: role, PolicyName: policyName }));
    }
  }
  for (const [policyName, document] of wanted) {
    const previous = before.find((p) => str(p.name) === policyName);
    if (previous && str(previous.policy) === document) continue;
    await client.send(new sdk.PutRolePolicyCommand({ RoleName: role, PolicyName: policyName, PolicyDocument: document }));
  }
}

async function changeManagedPolicies(context: AwsContext, role: string, before: string[], after: string[]): Promise<void> {
  const { sdk, client } = await iam(context);
  for (const arn of before.filter((a) => !after.includes(a))) {
    await client.send(new sdk.DetachRolePolicyCommand({ RoleName: role, PolicyArn: arn }));
  }
  for (const arn of after.filter((a) => !before.includes(a))) {
    await client.send(new sdk.AttachRolePolicyCommand({ RoleName: role, PolicyArn: arn }));
  }
}

async function listRoleTags(context: AwsContext, state: ObjectValue): Promise<Record<string, string>> {
  const { sdk, client } = await iam(context);
  const tags: Record<string, string> = {};
  let Marker: string | undefined;
  do {
    const page = await client.send(new sdk.ListRoleTagsCommand({ RoleName: str(state.id)!, Marker }), { abortSignal: context.signal });
    for (const tag of page.Tags ?? []) if (tag.Key) tags[tag.Key] = tag.Value ?? '';
    Marker = page.IsTruncated ? page.Marker : undefined;
  } while (Marker);
  return tags;
}

export const iamRole: ResourceType<AwsMeta> = tagged(role, {
  list: async (context, state) => {
    try {
      return await listRoleTags(context, state);
    } catch (error) {
      throw awsResourceError(`listing tags for ${THING}`, str(state.id) ?? '', 'IAM', 'ListRoleTags', error);
    }
  },
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

