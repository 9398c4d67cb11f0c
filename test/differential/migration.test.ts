// Migration both ways between hashicorp/aws 5.100.0 and our provider, on one endpoint: one provider applies the
// documented example, roles with inline policies (from documents, heredocs, `inline_policy {}`, none), managed
// policies, a permissions boundary and none, descriptions and none, name_prefix, every model shape, and endpoint
// configurations and endpoints of every shape; its state
// goes to the other provider, which must plan no changes, call nothing that writes, and still plan nothing after a
// refresh; then the state goes back, and the first provider must plan no changes either.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { providerBlock, startTarget, type Target, Workspace } from '../support/terraform';
import { INFERENCE, MODELS, MODELS_PROVIDER, ROLES, documentedExample, inferenceConfig, modelsConfig, rolesConfig } from './configs';
import { skipDifferential, startHashicorpServer, type Side } from './harness';
import type { HashicorpServer } from './hashicorp-server';

/** API operations that change something; a takeover must call none of them. */
const WRITES = /^\w+\.(Create|Put|Delete|Update|Tag|Untag|Attach|Detach|Add|Remove)/;

let hashicorp: HashicorpServer | undefined;
t.before(async () => {
  if (!skipDifferential) hashicorp = await startHashicorpServer();
});
t.teardown(() => hashicorp?.stop());

function workspace(side: Side, target: Target): Workspace {
  const ws = side === 'ours' ? new Workspace('ours') : new Workspace('hashicorp', hashicorp!.env);
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

t.test('migration both ways between hashicorp/aws 5.100.0 and ours', { skip: skipDifferential }, async (t) => {
  await Promise.all([
    t.test('from hashicorp/aws to ours and back', (t) => roundTrip(t, 'hashicorp')),
    t.test('from ours to hashicorp/aws and back', (t) => roundTrip(t, 'ours')),
  ]);
});
