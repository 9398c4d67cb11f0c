// The deliberate differences between our provider and hashicorp/aws 5.100.0 that the differential tests
// accept, each with its reason (provider-schema/README.md lists the same, for users). A deviation removes what it
// names from both sides before they are compared; everything else must be identical.
import type { Observation } from './harness';

export type Deviation =
  | {
      /** An attribute (path of names; `*` for every element of a list or set) of a resource type, everywhere. */
      attribute: string[];
      type: string;
      /** Only in steps whose name matches. */
      step?: RegExp;
      reason: string;
    }
  | { calls: RegExp; step?: RegExp; reason: string }
  /** A whole resource (plan and state), by address. */
  | { resource: RegExp; step?: RegExp; reason: string }
  | { tolerated: RegExp; step?: RegExp; reason: string };

/** Copies of both observations with what the deviations name removed. */
export function applyDeviations(ours: Observation, theirs: Observation, deviations: Deviation[], step: string): [Observation, Observation] {
  const [a, b] = [structuredClone(ours), structuredClone(theirs)];
  for (const deviation of deviations) {
    if (deviation.step && !deviation.step.test(step)) continue;
    for (const o of [a, b]) {
      if ('attribute' in deviation) {
        for (const [address, values] of Object.entries(o.state)) {
          if (typeOf(address) === deviation.type) removePath(values, deviation.attribute);
        }
        for (const [address, change] of Object.entries(o.plan)) {
          if (typeOf(address) !== deviation.type) continue;
          const c = change as Record<string, unknown>;
          for (const key of ['before', 'after', 'after_unknown']) removePath(c[key], deviation.attribute);
        }
      } else if ('resource' in deviation) {
        for (const address of Object.keys(o.state)) if (deviation.resource.test(address)) delete o.state[address];
        for (const address of Object.keys(o.plan)) if (deviation.resource.test(address)) delete o.plan[address];
      } else if ('calls' in deviation) {
        for (const key of Object.keys(o.calls)) if (deviation.calls.test(key)) delete o.calls[key];
      } else {
        o.tolerated = o.tolerated.filter((p) => !deviation.tolerated.test(p));
      }
    }
  }
  return [a, b];
}

function typeOf(address: string): string {
  return address.split('.').slice(-2)[0];
}

function removePath(value: unknown, path: string[]): void {
  if (!value || typeof value !== 'object' || path.length === 0) return;
  const [head, ...rest] = path;
  if (head === '*') {
    if (Array.isArray(value)) for (const element of value) removePath(element, rest);
    return;
  }
  const object = value as Record<string, unknown>;
  if (rest.length === 0) delete object[head];
  else removePath(object[head], rest);
}

/** The v6 line's additions, absent from 5.100.0. */
export const V6_ADDITIONS: Deviation[] = [
  { attribute: ['region'], type: 'aws_sagemaker_model', reason: 'v6 adds a top-level region argument to regional resources' },
  ...['primary_container', 'container'].map((block) => ({
    attribute: [block, '*', 'additional_model_data_source'],
    type: 'aws_sagemaker_model',
    reason: 'v6 adds additional_model_data_source to both container shapes',
  })),
  { tolerated: / aws_sagemaker_model\.\S+ \.(primary_container|container)\[\*\]\.additional_model_data_source /, reason: 'v6 adds additional_model_data_source (optional+computed)' },
  ...['aws_sagemaker_endpoint_configuration', 'aws_sagemaker_endpoint'].map((type) => ({ attribute: ['region'], type, reason: 'v6 adds a top-level region argument to regional resources' })),
  { attribute: ['execution_role_arn'], type: 'aws_sagemaker_endpoint_configuration', reason: 'v6 adds execution_role_arn (inference components)' },
  ...['production_variants', 'shadow_production_variants'].map((block) => ({
    attribute: [block, '*', 'capacity_reservation_config'],
    type: 'aws_sagemaker_endpoint_configuration',
    reason: 'v6 adds capacity_reservation_config to both variant shapes',
  })),
  { tolerated: / aws_sagemaker_endpoint_configuration\.\S+ \.execution_role_arn zero-value$/, reason: 'v6 adds execution_role_arn, read back as "" as SDKv2 stores an unset string' },
];
