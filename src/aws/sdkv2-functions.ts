// hashicorp/aws's StateFuncs and DiffSuppressFuncs, named in provider-schema/ (`state_func`, `diff_suppress`);
// extensions.ts registers them into the engine's SDKv2 semantics (engine/sdkv2.ts).
import type { DiffSuppressFunc, StateFunc } from '../engine/sdkv2';
import type { Value } from '../values/value';
import { isObject } from '../values/value';
import { policiesEquivalent, policyDiffSuppressed } from './iam-policy/equivalence';
import { legacyPolicyNormalize, normalizePolicyJson } from './iam-policy/normalize';

export const STATE_FUNCS: Record<string, StateFunc> = {
  json_normalize: normalizePolicyJson,
  legacy_policy_normalize: legacyPolicyNormalize,
};

export const DIFF_SUPPRESS_FUNCS: Record<string, DiffSuppressFunc> = {
  equivalent_policy: (prior, planned) => typeof prior === 'string' && typeof planned === 'string' && policyDiffSuppressed(prior, planned),
  /** aws_iam_role.inline_policy: the same policy names with equivalent documents are no change. */
  equivalent_inline_policies: (prior, planned) => inlinePoliciesEquivalent(namedPolicies(prior), namedPolicies(planned)),
  /**
   * aws_sagemaker_endpoint_configuration's `initial_variant_weight` of a variant without `model_name` (its models are
   * inference components): SageMaker keeps no weight for it, so the schema's default of 1 is never a change. A name
   * that is only known at apply is not "without" one (hashicorp/aws v6 reads it as empty and hides the weight).
   */
  unset_without_model_name: (_prior, _planned, variant) => variant.model_name === null || variant.model_name === '',
};

export interface NamedPolicy {
  name: string;
  policy: string;
}

/** The inline policies a set of `inline_policy` blocks stands for (a block without a name stands for none). */
export function namedPolicies(blocks: Value): NamedPolicy[] {
  if (!Array.isArray(blocks)) return [];
  return blocks
    .filter(isObject)
    .filter((block) => typeof block.name === 'string' && block.name !== '')
    .map((block) => ({ name: block.name as string, policy: typeof block.policy === 'string' ? block.policy : '' }));
}

/** hashicorp/aws's inlinePoliciesEquivalent: same names, and each name's documents equivalent. */
export function inlinePoliciesEquivalent(a: NamedPolicy[], b: NamedPolicy[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x) => {
    const y = b.find((candidate) => candidate.name === x.name);
    return y !== undefined && policiesEquivalent(x.policy, y.policy);
  });
}
