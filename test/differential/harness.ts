// Differential tests: the same configurations and command sequences run through our provider and through the
// real hashicorp/aws 5.100.0, each against its own embedded endpoint, and what a user can observe is compared
// step by step: the plan (`terraform show -json`), the state, the API calls each command made, and the problems
// Terraform tolerated under the legacy type system. Differences that are deliberate are listed in
// deviations.ts with their reason; any other difference fails. Where hashicorp/aws is not installed, its side is
// what it showed when recorded (recordings.ts, test/fixtures/differential/); where it is, the live run also
// re-checks those recordings.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Test } from 'tap';
import { AwsApi } from '../support/aws';
import { ACC_TARGET, hasHashicorpMirror, providerBlock, startTarget, type Target, Workspace } from '../support/terraform';
import { genericPath, unexplained, type ToleratedProblem } from '../support/legacy-sdk';
import { V6_ADDITIONS, applyDeviations, type Deviation } from './deviations';
import { startHashicorpServer, type HashicorpServer } from './hashicorp-server';
import { comparable, hasRecording, readRecording, writeRecording, type RecordedStep } from './recordings';

/** `make test-differential` sets TF_DIFFERENTIAL=all: every step and every scenario; else a representative part. */
const exhaustive = process.env.TF_DIFFERENTIAL === 'all';

/**
 * Where hashicorp/aws's side comes from: the binary when it is installed ('live'), else its recordings ('recorded');
 * TF_DIFFERENTIAL_ORACLE=recorded takes the recordings anyway (to run what a contributor without the binary runs).
 */
export const oracle: 'live' | 'recorded' = process.env.TF_DIFFERENTIAL_ORACLE === 'recorded' || !hasHashicorpMirror() ? 'recorded' : 'live';

/** TF_DIFFERENTIAL_RECORD=1 (scripts/record-differential.mjs): an exhaustive live run that writes the recordings. */
export const recordingRun = process.env.TF_DIFFERENTIAL_RECORD === '1';
if (recordingRun && (oracle !== 'live' || !exhaustive)) throw new Error('TF_DIFFERENTIAL_RECORD=1 needs hashicorp/aws 5.100.0 and TF_DIFFERENTIAL=all');

/** Against the recordings every step runs (ours alone is quick); live, every step only in the exhaustive run. */
export const everyStep = exhaustive || oracle === 'recorded';

export const skipDifferential = ACC_TARGET !== 'embedded' ? 'needs the embedded endpoint (its call log)' : false;

/** hashicorp/aws 5.100.0 for a test file: one long-lived process when it runs live (none with the recordings). */
export function useHashicorp(t: Test): () => HashicorpServer | undefined {
  let server: HashicorpServer | undefined;
  t.before(async () => {
    if (!skipDifferential && oracle === 'live') server = await startHashicorpServer();
  });
  t.teardown(() => server?.stop());
  return () => server;
}

export type Side = 'ours' | 'hashicorp';

/** What a step may do to the remote objects outside Terraform, on each side's own endpoint. */
export interface SideContext {
  side: Side;
  target: Target;
  aws: AwsApi;
  workspace: Workspace;
}

export interface Step {
  name: string;
  /** Only in the exhaustive run (`make test-differential`); `make test` runs the other steps. */
  exhaustive?: boolean;
  /** The configuration (without the provider block) from this step on; the previous one when absent. */
  config?: string;
  /** Provider-block content for this step's configuration, instead of the scenario's. */
  providerExtra?: string;
  /** Runs before the step's command, on each side (out-of-band changes, `state rm`, ...). */
  before?: (side: SideContext) => Promise<void>;
  /** plan+apply (default), plan only, a refresh-only apply, or a destroy. */
  command?: 'apply' | 'plan' | 'refresh' | 'destroy';
  /** The step's command is expected to fail on both sides (errors are compared instead of the state). */
  fails?: boolean;
}

/** What one side showed in one step, normalised for comparison. */
export interface Observation {
  /** Planned actions and values per address (`terraform show -json` of the saved plan). */
  plan: Record<string, unknown>;
  /** Attribute values per address, from the state file, after the step. */
  state: Record<string, unknown>;
  /** API calls of the step's commands, `Service.Operation` -> count (failed calls as `...!ErrorCode`). */
  calls: Record<string, number>;
  /** The calls in order (kept for studying a difference; not compared, parallel walks reorder them). */
  callSequence: string[];
  /** Tolerated legacy-type-system problems: `phase address path kind`. */
  tolerated: string[];
  /** Tolerated problems that test/support/legacy-sdk.ts does not explain. */
  unexplained: string[];
  /** Error summaries when the step failed. */
  errors: string[];
}

/** One side's run: its endpoint, SDK clients and workspace. */
class SideRun {
  private constructor(
    readonly side: Side,
    readonly target: Target,
    readonly aws: AwsApi,
    readonly workspace: Workspace,
    private readonly providerExtra: string,
  ) {}

  static async start(side: Side, providerExtra: string, hashicorp: HashicorpServer | undefined, endpointArgs: string[] = []): Promise<SideRun> {
    const target = await startTarget(endpointArgs);
    const aws = new AwsApi(target);
    const workspace = side === 'ours' ? new Workspace('ours') : new Workspace('hashicorp', hashicorp!.env);
    workspace.guard = false;
    return new SideRun(side, target, aws, workspace, providerExtra);
  }

  async step(step: Step): Promise<Observation> {
    const ws = this.workspace;
    if (step.config !== undefined) ws.config(providerBlock(this.target, step.providerExtra ?? this.providerExtra) + step.config);
    await this.target.admin!.reset('calls');
    if (step.before) await step.before({ side: this.side, target: this.target, aws: this.aws, workspace: ws });
    await this.target.admin!.reset('calls');
    const tolerated: ToleratedProblem[] = [];
    const errors: string[] = [];
    let plan: Record<string, unknown> = {};
    const command = step.command ?? 'apply';
    const planArgs = command === 'refresh' ? ['-refresh-only'] : command === 'destroy' ? ['-destroy'] : [];
    const planned = await ws.run(['plan', '-out=tfplan', '-input=false', '-no-color', '-detailed-exitcode', ...planArgs]);
    tolerated.push(...(planned.tolerated ?? []));
    if (planned.code === 1) {
      errors.push(...errorSummaries(planned.stdout + planned.stderr));
    } else {
      plan = planChanges(JSON.parse((await ws.ok(['show', '-json', 'tfplan'])).stdout));
      if (planned.code === 2 && command !== 'plan') {
        const applied = await ws.run(['apply', '-input=false', '-no-color', 'tfplan']);
        tolerated.push(...(applied.tolerated ?? []));
        if (applied.code !== 0) errors.push(...errorSummaries(applied.stdout + applied.stderr));
      }
    }
    if (errors.length > 0 && !step.fails) throw new Error(`${this.side}: step "${step.name}" failed:\n${errors.join('\n')}`);
    return {
      plan,
      state: stateValues(ws.dir),
      ...(await this.calls()),
      tolerated: describe(tolerated),
      unexplained: describe(unexplained(tolerated)),
      errors,
    };
  }

  private async calls(): Promise<{ calls: Record<string, number>; callSequence: string[] }> {
    const recent = (await this.target.admin!.calls()).recent;
    const sequence = recent.map((call) => `${call.service}.${call.operation}${call.errorCode ? `!${call.errorCode}` : ''}`);
    const calls: Record<string, number> = {};
    for (const key of sequence) calls[key] = (calls[key] ?? 0) + 1;
    return { calls, callSequence: sequence };
  }

  /** Destroys what the scenario left, then stops the side's endpoint and removes its workspace. */
  async finish(): Promise<void> {
    try {
      await this.workspace.run(['destroy', '-auto-approve', '-input=false', '-no-color']).catch(() => undefined);
    } finally {
      this.aws.destroy();
      this.workspace.cleanup();
      await this.target.stop();
    }
  }
}

/**
 * A step that forgets the resources of the given types (`terraform state rm`) and imports them again with
 * `import {}` blocks by their id, as a user adopting existing objects would.
 */
export function reimportStep(types: string[]): Step {
  return {
    name: `import ${types.join(', ')}`,
    async before({ workspace }) {
      const state = await workspace.state();
      const blocks: string[] = [];
      for (const resource of state.values?.root_module?.resources ?? []) {
        if (!types.some((type) => resource.address.startsWith(`${type}.`))) continue;
        await workspace.ok(['state', 'rm', resource.address]);
        blocks.push(`import {\n  to = ${resource.address}\n  id = ${JSON.stringify(importId(resource.values))}\n}\n`);
      }
      workspace.write({ 'imports.tf': blocks.join('\n') });
    },
  };
}

/** The import ID hashicorp/aws documents for our native types: the id (the name). */
function importId(values: Record<string, unknown>): string {
  return String(values.id);
}

export interface Scenario {
  title: string;
  /** Extra provider-block content (default_tags, ignore_tags...). */
  provider?: string;
  steps: Step[];
  deviations?: Deviation[];
  /** Flags for both sides' embedded endpoints (e.g. `--transition-seconds 0`). */
  endpointArgs?: string[];
}

/**
 * Runs a scenario on both sides at once (each side has its own endpoint, so names can be the same) and compares
 * every step; with the recordings, runs ours alone and compares it with what hashicorp/aws showed. Resources left
 * at the end are destroyed.
 */
export async function runScenario(t: Test, scenario: Scenario, hashicorp: HashicorpServer | undefined): Promise<void> {
  if (oracle === 'recorded') return replayScenario(t, scenario);
  const [ours, theirs] = await Promise.all([
    SideRun.start('ours', scenario.provider ?? '', undefined, scenario.endpointArgs),
    SideRun.start('hashicorp', scenario.provider ?? '', hashicorp, scenario.endpointArgs),
  ]);
  const observed: (RecordedStep | undefined)[] = [];
  try {
    for (const [index, step] of scenario.steps.entries()) {
      if (step.exhaustive && !everyStep) {
        observed.push(undefined);
        continue;
      }
      const [mine, oracleSide] = await Promise.all([ours.step(step), theirs.step(step)]);
      observed.push({ step: step.name, observation: oracleSide });
      dump(scenario, index, step, { ours: mine, hashicorp: oracleSide });
      await t.test(step.name, async (t) => compare(t, mine, oracleSide, [...GLOBAL_DEVIATIONS, ...(scenario.deviations ?? [])], step.name));
    }
  } finally {
    await Promise.all([ours, theirs].map((side) => side.finish()));
  }
  if (recordingRun) writeRecording(scenario.title, observed as RecordedStep[]);
  else await t.test('the recording of hashicorp/aws is current', async (t) => checkRecording(t, scenario, observed));
}

/** Ours alone, each step compared with the recorded hashicorp/aws side of the same step. */
async function replayScenario(t: Test, scenario: Scenario): Promise<void> {
  const recorded = readRecording(scenario.title).steps;
  t.same(recorded.map((r) => r.step), scenario.steps.map((s) => s.name), `the recording has the scenario's steps (else re-record: scripts/record-differential.mjs)`);
  const ours = await SideRun.start('ours', scenario.provider ?? '', undefined, scenario.endpointArgs);
  try {
    for (const [index, step] of scenario.steps.entries()) {
      const mine = await ours.step(step);
      const oracleSide = recorded[index]?.observation;
      dump(scenario, index, step, { ours: mine, hashicorp: oracleSide });
      await t.test(`${step.name} (hashicorp/aws as recorded)`, async (t) => {
        if (!oracleSide) return t.fail(`no recorded step ${index + 1} "${step.name}"`);
        compare(t, mine, oracleSide, [...GLOBAL_DEVIATIONS, ...(scenario.deviations ?? [])], step.name);
      });
    }
  } finally {
    await ours.finish();
  }
}

/**
 * The live hashicorp/aws showed what its recording holds, step by step, up to the first step this run left out
 * (the steps after it start from another state).
 */
function checkRecording(t: Test, scenario: Scenario, observed: (RecordedStep | undefined)[]): void {
  if (!hasRecording(scenario.title)) {
    t.fail(`no recording of "${scenario.title}": run scripts/record-differential.mjs`);
    return;
  }
  const recorded = readRecording(scenario.title).steps;
  t.same(recorded.map((r) => r.step), scenario.steps.map((s) => s.name), 'the recording has the scenario\'s steps');
  for (const [index, live] of observed.entries()) {
    if (!live) break;
    t.same(comparable(live.observation), recorded[index] ? comparable(recorded[index].observation) : undefined, `${live.step}: as recorded (else re-record: scripts/record-differential.mjs)`);
  }
}

/** TF_DIFFERENTIAL_DUMP=<dir>: every step's observations as JSON files, to study a difference. */
function dump(scenario: Scenario, index: number, step: Step, observations: Record<Side, Observation | undefined>): void {
  const dir = process.env.TF_DIFFERENTIAL_DUMP;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const file = `${scenario.title}-${String(index + 1).padStart(2, '0')}-${step.name}`.replace(/[^\w.-]+/g, '_');
  writeFileSync(join(dir, `${file}.json`), JSON.stringify(observations, null, 2));
}

function compare(t: Test, ours: Observation, theirs: Observation, deviations: Deviation[], step: string): void {
  const [mine, oracle] = applyDeviations(ours, theirs, deviations, step);
  t.same(mine.errors, oracle.errors, 'the same errors');
  t.same(mine.plan, oracle.plan, 'the same plan');
  t.same(mine.state, oracle.state, 'the same state');
  t.same(mine.calls, oracle.calls, 'the same API calls');
  t.same(mine.tolerated, oracle.tolerated, 'the same problems tolerated under the legacy type system');
  t.same(ours.unexplained, [], 'every problem tolerated for ours is explained in test/support/legacy-sdk.ts');
}

/** Differences every scenario has, whatever it does. */
export const GLOBAL_DEVIATIONS: Deviation[] = [...V6_ADDITIONS];

// --- normalisation -------------------------------------------------------------------------------

/** Values that differ between any two runs: generated name suffixes, timestamps, IAM unique ids. */
export function normalise(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (key === 'create_date') return '<timestamp>';
    if (key === 'unique_id') return '<unique-id>';
    return value.replace(/\d{18}[0-9a-f]{8}/g, '<generated>');
  }
  if (Array.isArray(value)) return value.map((v) => normalise(v, key));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v, k)]));
  }
  return value;
}

interface PlanJson {
  resource_changes?: { address: string; change: Record<string, unknown> }[];
}

function planChanges(plan: PlanJson): Record<string, unknown> {
  return Object.fromEntries(
    (plan.resource_changes ?? [])
      .filter((c) => !c.address.startsWith('data.'))
      .map((c) => {
        const { actions, before, after, after_unknown, replace_paths } = c.change;
        return [c.address, normalise({ actions, before, after, after_unknown, replace_paths: replace_paths ?? [] })];
      }),
  );
}

interface StateFile {
  resources?: { mode: string; type: string; name: string; instances: { index_key?: string | number; attributes: Record<string, unknown> }[] }[];
}

function stateValues(dir: string): Record<string, unknown> {
  let state: StateFile;
  try {
    state = JSON.parse(readFileSync(join(dir, 'terraform.tfstate'), 'utf8')) as StateFile;
  } catch {
    return {};
  }
  const values: Record<string, unknown> = {};
  for (const resource of state.resources ?? []) {
    const mode = resource.mode === 'data' ? 'data.' : '';
    for (const instance of resource.instances) {
      const key = instance.index_key === undefined ? '' : `[${JSON.stringify(instance.index_key)}]`;
      values[`${mode}${resource.type}.${resource.name}${key}`] = normalise(instance.attributes);
    }
  }
  return values;
}

function describe(problems: ToleratedProblem[]): string[] {
  return [...new Set(problems.map((p) => `${p.phase} ${p.address} ${genericPath(p.path)} ${p.kind}`))].sort();
}

function errorSummaries(output: string): string[] {
  return [...output.matchAll(/^(?:│ )?Error: (.*)$/gm)].map((m) => m[1].trim()).sort();
}

