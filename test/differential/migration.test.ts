// Migration both ways between hashicorp/aws 5.100.0 and our provider, on one endpoint: one provider applies the
// documented example, roles with inline policies (from documents, heredocs, `inline_policy {}`, none), managed
// policies, a permissions boundary and none, descriptions and none, name_prefix, every model shape, and endpoint
// configurations and endpoints of every shape; its state
// goes to the other provider, which must plan no changes, call nothing that writes, and still plan nothing after a
// refresh; then the state goes back, and the first provider must plan no changes either.
// Without hashicorp/aws, its state as recorded stands in: ours takes over that state (its identifiers, dates and
// generated names those of the objects ours created), and the state ours writes is the one it wrote.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { providerBlock, startTarget, type Target, Workspace } from '../support/terraform';
import { INFERENCE, MODELS, MODELS_PROVIDER, ROLES, documentedExample, inferenceConfig, modelsConfig, rolesConfig } from './configs';
import { applyDeviations } from './deviations';
import { GLOBAL_DEVIATIONS, normalise, oracle, recordingRun, skipDifferential, useHashicorp, type Observation, type Side } from './harness';
import { readRecordedValue, writeRecordedValue } from './recordings';

/** API operations that change something; a takeover must call none of them. */
const WRITES = /^\w+\.(Create|Put|Delete|Update|Tag|Untag|Attach|Detach|Add|Remove)/;

const hashicorp = useHashicorp(t);
/** The recording of the state hashicorp/aws wrote for this configuration. */
const RECORDED_STATE = 'migration - the state hashicorp-aws wrote';

function workspace(side: Side, target: Target): Workspace {
  const ws = side === 'ours' ? new Workspace('ours') : new Workspace('hashicorp', hashicorp()!.env);
  return ws.config(providerBlock(target, MODELS_PROVIDER) + documentedExample() + rolesConfig(ROLES) + modelsConfig(MODELS) + inferenceConfig(INFERENCE));
}

function moveState(from: Workspace, to: Workspace): void {
  copyFileSync(join(from.dir, 'terraform.tfstate'), join(to.dir, 'terraform.tfstate'));
}

/** `ws` takes over the state in it: no changes planned, nothing written, none after a refresh either. */
async function takesOver(t: Test, ws: Workspace, target: Target, what: string): Promise<void> {
  await target.admin!.reset('calls');
  const plan = await ws.planExitCode();
  t.equal(plan.code, 0, `${what}: no changes${plan.code === 0 ? '' : `\n${plan.output}`}`);
  await ws.ok(['apply', '-refresh-only', '-auto-approve', '-input=false', '-no-color']);
  const again = await ws.planExitCode();
  t.equal(again.code, 0, `${what}: no changes after its own refresh${again.code === 0 ? '' : `\n${again.output}`}`);
  const writes = (await target.admin!.calls()).recent.map((c) => `${c.service}.${c.operation}`).filter((op) => WRITES.test(op));
  t.same(writes, [], `${what}: no API call that writes`);
}

async function roundTrip(t: Test, writer: Side): Promise<void> {
  const reader: Side = writer === 'ours' ? 'hashicorp' : 'ours';
  const target = await startTarget();
  const [first, second] = [workspace(writer, target), workspace(reader, target)];
  t.teardown(async () => {
    first.cleanup();
    second.cleanup();
    await target.stop();
  });
  await first.apply();
  if (writer === 'hashicorp' && recordingRun) writeRecordedValue(RECORDED_STATE, stateFile(first));
  moveState(first, second);
  await takesOver(t, second, target, `${reader} on the state ${writer} wrote`);
  moveState(second, first);
  await takesOver(t, first, target, `${writer} on that state back from ${reader}`);
  await first.destroy();
  const left = await target.admin!.state();
  t.same(
    { models: left.models.length, endpointConfigs: left.endpointConfigs.length, endpoints: left.endpoints.length, roles: left.roles.length },
    { models: 0, endpointConfigs: 0, endpoints: 0, roles: 0 },
    'destroy left nothing behind',
  );
}

t.test('migration both ways between hashicorp/aws 5.100.0 and ours', { skip: skipDifferential || (oracle === 'recorded' && 'hashicorp/aws\'s recorded state stands in (below)') }, async (t) => {
  await Promise.all([
    t.test('from hashicorp/aws to ours and back', (t) => roundTrip(t, 'hashicorp')),
    t.test('from ours to hashicorp/aws and back', (t) => roundTrip(t, 'ours')),
  ]);
});

t.test('migration from the state hashicorp/aws 5.100.0 wrote, as recorded', { skip: skipDifferential || (oracle === 'live' && 'hashicorp/aws runs live (above)') }, async (t) => {
  const recorded = readRecordedValue<StateFile>(RECORDED_STATE);
  const target = await startTarget();
  const ws = workspace('ours', target);
  t.teardown(async () => {
    ws.cleanup();
    await target.stop();
  });
  await ws.apply();
  const ours = stateFile(ws);
  t.same(comparableState(ours), comparableState(recorded), 'ours writes the state hashicorp/aws writes (what it would take over as its own)');
  writeFileSync(join(ws.dir, 'terraform.tfstate'), JSON.stringify({ ...withIdentitiesOf(recorded, ours), lineage: ours.lineage, serial: ours.serial + 1 }));
  await takesOver(t, ws, target, 'ours on the state hashicorp/aws wrote');
  await ws.destroy();
  const left = await target.admin!.state();
  t.same({ models: left.models.length, endpointConfigs: left.endpointConfigs.length, endpoints: left.endpoints.length, roles: left.roles.length }, { models: 0, endpointConfigs: 0, endpoints: 0, roles: 0 }, 'destroy left nothing behind');
});

interface StateFile {
  lineage: string;
  serial: number;
  outputs?: Record<string, unknown>;
  resources: { mode: string; type: string; name: string; instances: { schema_version: number; attributes: Record<string, unknown> }[] }[];
}

function stateFile(ws: Workspace): StateFile {
  return JSON.parse(readFileSync(join(ws.dir, 'terraform.tfstate'), 'utf8')) as StateFile;
}

/**
 * Per managed instance (data sources are read anew by every plan): its schema version and its attributes as the
 * differential comparison sees them (deviations applied).
 */
function comparableState(state: StateFile): Record<string, unknown> {
  const observation = (values: Record<string, unknown>): Observation => ({ plan: {}, state: values, calls: {}, callSequence: [], tolerated: [], unexplained: [], errors: [] });
  const values: Record<string, unknown> = {};
  const versions: Record<string, number> = {};
  for (const resource of state.resources.filter((r) => r.mode === 'managed')) {
    resource.instances.forEach((instance, index) => {
      const address = `${resource.type}.${resource.name}[${index}]`;
      values[address] = normalise(instance.attributes);
      versions[address] = instance.schema_version;
    });
  }
  const [deviated] = applyDeviations(observation(values), observation({}), GLOBAL_DEVIATIONS, 'migration');
  return { schemaVersions: versions, attributes: deviated.state };
}

/**
 * The recorded state, with each value that differs from run to run (an identifier, a date, a generated name: what
 * the comparison normalises) taken from the state ours wrote for the same objects, so that it names what exists.
 */
function withIdentitiesOf(recorded: StateFile, ours: StateFile): StateFile {
  const find = (r: StateFile['resources'][number]) => ours.resources.find((o) => o.mode === r.mode && o.type === r.type && o.name === r.name);
  return {
    ...recorded,
    outputs: patched(recorded.outputs, ours.outputs, '') as StateFile['outputs'],
    resources: recorded.resources.map((resource) => ({
      ...resource,
      instances: resource.instances.map((instance, index) => ({
        ...instance,
        attributes: patched(instance.attributes, find(resource)?.instances[index]?.attributes, '') as Record<string, unknown>,
      })),
    })),
  };
}

function patched(recorded: unknown, ours: unknown, key: string): unknown {
  if (typeof recorded === 'string' && typeof ours === 'string') return recorded !== ours && normalise(recorded, key) === normalise(ours, key) ? ours : recorded;
  if (Array.isArray(recorded) && Array.isArray(ours)) return recorded.map((element, i) => patched(element, ours[i], key));
  if (recorded && ours && typeof recorded === 'object' && typeof ours === 'object') {
    return Object.fromEntries(Object.entries(recorded).map(([k, v]) => [k, patched(v, (ours as Record<string, unknown>)[k], k)]));
  }
  return recorded;
}
