// The guard on the legacy type system. Like hashicorp/aws (SDKv2), our provider answers some plans and apply
// results with `legacy_type_system`, which makes Terraform tolerate what its strict checks would refuse and log
// a warning instead ("... but we are tolerating it because it is using the legacy plugin SDK"). Every
// acceptance run reads those warnings, and a problem that the emulated SDKv2 semantics do not explain fails
// the test: that is a bug hiding behind the flag.
//
// Each entry below names a resource type, an attribute path ([*] for any index) and the kind of problem, with
// the SDKv2 behaviour that explains it. The differential tests check that hashicorp/aws 5.100.0 produces each
// of them too (test/differential/).

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';

export type ProblemKind =
  /** A default planned for an attribute that 5.100.0's schema declares optional, not computed. */
  | 'default-planned'
  /** A StateFunc's normalised value planned instead of the configured text. */
  | 'normalised'
  /** An optional+computed block left out of a new object's configuration, planned unknown as a whole. */
  | 'unknown-block'
  /** An optional+computed block left out of the configuration keeps what the state holds. */
  | 'kept-block'
  /** SDKv2 stores the zero value ("", false, 0, {}) of an unset attribute, and plans it again. */
  | 'zero-value'
  /** An empty collection in the configuration of a new object, which SDKv2 plans (and stores) as null. */
  | 'empty-collection'
  /** A map configured with null elements (`tags = { k = null }`), which SDKv2 reads and plans without them. */
  | 'null-element'
  /** A set planned from the configuration and read back in the remote's form. */
  | 'set-element'
  /** A planned value that the apply result replaced (another value, not a zero value). */
  | 'changed'
  | 'other';

export interface ToleratedProblem {
  phase: 'plan' | 'apply';
  /** Resource address, e.g. aws_iam_role.example or module.m.aws_iam_role.r[0]. */
  address: string;
  /** Attribute path as Terraform prints it, e.g. .primary_container[0].mode. */
  path: string;
  problem: string;
  kind: ProblemKind;
}

const TOLERATING = /produced an (invalid plan|unexpected new value) for (\S+), but we are tolerating it because it is using the legacy plugin SDK/;
const PROBLEM = /^\s+- (\.?[^:]*): (.*)$/;

/** The tolerated problems in Terraform's log output (TF_LOG at WARN or below). */
export function toleratedProblems(log: string): ToleratedProblem[] {
  const problems: ToleratedProblem[] = [];
  let current: { phase: 'plan' | 'apply'; address: string } | undefined;
  for (const line of log.split('\n')) {
    const header = TOLERATING.exec(line);
    if (header) {
      current = { phase: header[1] === 'invalid plan' ? 'plan' : 'apply', address: header[2] };
      continue;
    }
    if (!current) continue;
    if (/^\s/.test(line)) {
      const problem = PROBLEM.exec(line);
      if (problem) problems.push({ ...current, path: problem[1], problem: problem[2], kind: kindOf(problem[2]) });
    } else {
      current = undefined;
    }
  }
  return problems;
}

const ZERO_VALUE = String.raw`cty\.(StringVal\(""\)|False|NumberIntVal\(0\)|(List|Set|Map)ValEmpty\(.*\))`;

function kindOf(problem: string): ProblemKind {
  if (new RegExp(`^planned value ${ZERO_VALUE} for a non-computed attribute$`).test(problem)) return 'zero-value';
  if (/^planned value .* for a non-computed attribute$/.test(problem)) return 'default-planned';
  if (/^planned value cty\.NullVal\(.*\) does not match config value cty\.(Map|List|Set)ValEmpty\(/.test(problem)) return 'empty-collection';
  if (/^planned value .* does not match config value cty\.MapVal\(.*cty\.NullVal\(/.test(problem)) return 'null-element';
  if (/^planned value .* does not match config value/.test(problem)) return 'normalised';
  if (problem.startsWith('attribute representing nested block must not be unknown itself')) return 'unknown-block';
  if (/count in plan \(\d+\) disagrees with count in config \(\d+\)$/.test(problem)) return 'kept-block';
  if (new RegExp(`^was null, but now ${ZERO_VALUE}$`).test(problem)) return 'zero-value';
  if (/^planned set element .* does not correlate with any element in actual/.test(problem)) return 'set-element';
  if (/^was .*, but now /.test(problem)) return 'changed';
  return 'other';
}

/** A resource type's attribute path with every index as [*]: .primary_container[*].mode. */
export function genericPath(path: string): string {
  return path.replace(/\[[^\]]*\]/g, '[*]');
}

function typeOf(address: string): string {
  const last = address.split('.').slice(-2);
  return last[0].replace(/\[.*$/, '');
}

interface Allowance {
  path: string;
  kinds: ProblemKind[];
  why: string;
}

const DEFAULTS = 'SDKv2 plans the Default of an optional attribute whose configuration is null';
const ZERO = 'SDKv2 stores "" / false / 0 / {} for an unset attribute and plans it again while the configuration leaves it null';

/** What the emulated SDKv2 semantics explain, per resource type. */
const TOLERATED: Record<string, Allowance[]> = {
  aws_iam_role: [
    { path: '.path', kinds: ['default-planned'], why: DEFAULTS },
    { path: '.force_detach_policies', kinds: ['default-planned', 'zero-value'], why: DEFAULTS },
    { path: '.max_session_duration', kinds: ['default-planned'], why: DEFAULTS },
    { path: '.assume_role_policy', kinds: ['normalised'], why: 'StateFunc: the policy is stored as normalised JSON' },
    { path: '.inline_policy', kinds: ['unknown-block', 'kept-block'], why: 'optional+computed block: unknown on create, kept when left out' },
    { path: '.description', kinds: ['zero-value'], why: ZERO },
    { path: '.permissions_boundary', kinds: ['zero-value'], why: ZERO },
    { path: '.name_prefix', kinds: ['zero-value'], why: ZERO },
    { path: '.tags', kinds: ['zero-value'], why: ZERO },
  ],
  aws_sagemaker_model: [
    ...['primary_container', 'container'].flatMap((block) => [
      { path: `.${block}[*].mode`, kinds: ['default-planned'] as ProblemKind[], why: DEFAULTS },
      { path: `.${block}[*].model_data_source`, kinds: ['unknown-block', 'kept-block'] as ProblemKind[], why: 'optional+computed block' },
      { path: `.${block}[*].additional_model_data_source`, kinds: ['unknown-block', 'kept-block'] as ProblemKind[], why: 'optional+computed block (v6)' },
    ]),
    { path: '.inference_execution_config', kinds: ['unknown-block', 'kept-block'], why: 'optional+computed block' },
    { path: '.enable_network_isolation', kinds: ['zero-value'], why: ZERO },
    { path: '.tags', kinds: ['zero-value'], why: ZERO },
  ],
  aws_sagemaker_endpoint_configuration: [
    ...['production_variants', 'shadow_production_variants'].map((block) => ({ path: `.${block}[*].initial_variant_weight`, kinds: ['default-planned'] as ProblemKind[], why: DEFAULTS })),
    { path: '.kms_key_arn', kinds: ['zero-value'], why: ZERO },
    { path: '.execution_role_arn', kinds: ['zero-value'], why: ZERO },
    { path: '.name_prefix', kinds: ['zero-value'], why: ZERO },
    { path: '.tags', kinds: ['zero-value'], why: ZERO },
  ],
  aws_sagemaker_endpoint: [
    { path: '.deployment_config[*].blue_green_update_policy[*].termination_wait_in_seconds', kinds: ['default-planned'], why: DEFAULTS },
    { path: '.endpoint_config_name', kinds: ['changed'], why: 'a failed update records the configuration the endpoint still runs, not the planned one' },
    { path: '.tags', kinds: ['zero-value'], why: ZERO },
  ],
};

/**
 * The resource types this provider implements. Problems tolerated for any other type come from the genuine
 * hashicorp/aws, which serves those types as our upstream (src/router/): its legacy SDK is the real one.
 */
let native: Set<string> | undefined;
const isNative = (type: string) =>
  (native ??= new Set(readdirSync(join(repoRoot, 'provider-schema', 'resources')).map((file) => file.replace(/\.json$/, '')))).has(type);

/**
 * The problems no allowance explains, for the types this provider implements. Three kinds are explained for all of
 * them: a zero value inside a nested block (SDKv2 stores every attribute of a block element, the unset ones as "" /
 * false / 0 / [], and {} after a refresh), an empty collection configured for a new object (planned null), and a
 * map configured with null elements (planned without them).
 */
export function unexplained(problems: ToleratedProblem[]): ToleratedProblem[] {
  return problems.filter((p) => {
    if (!isNative(typeOf(p.address))) return false;
    if (p.kind === 'zero-value' && p.path.includes('[')) return false;
    if (p.kind === 'empty-collection' || p.kind === 'null-element') return false;
    const allowed = TOLERATED[typeOf(p.address)] ?? [];
    return !allowed.some((a) => a.path === genericPath(p.path) && a.kinds.includes(p.kind));
  });
}
