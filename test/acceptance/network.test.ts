// vpc_config, enable_network_isolation and inference_execution_config: create with the acceptance discipline
// (plan empty, refresh, plan empty, import-verify, check-destroy) and the changes that must or must not replace.
import t, { type Test } from 'tap';
import { actionsOf, providerBlock, uniqueName, Workspace } from '../support/terraform';
import { useTarget } from '../support/target';
import { IMAGE, IMAGE_2 } from '../support/fixtures';

const acc = useTarget(t);

const ADDRESS = 'aws_sagemaker_model.test';
const SUBNETS = ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'];
const GROUPS = ['sg-0a1b2c3d4e5f60001', 'sg-0a1b2c3d4e5f60002'];

const PRIMARY = `  primary_container {\n    image = "${IMAGE}"\n  }`;
const TWO_CONTAINERS = `  container {
    image              = "${IMAGE}"
    container_hostname = "first"
  }
  container {
    image              = "${IMAGE_2}"
    container_hostname = "second"
  }`;

const list = (values: string[]) => `[${values.map((v) => `"${v}"`).join(', ')}]`;
const vpc = (subnets: string[], groups: string[]) =>
  `  vpc_config {\n    subnets            = ${list(subnets)}\n    security_group_ids = ${list(groups)}\n  }`;
const sorted = (values: string[] | undefined) => [...(values ?? [])].sort();

function config(name: string, ...body: string[]): string {
  return `${providerBlock(acc.target)}
resource "aws_sagemaker_model" "test" {
  name               = "${name}"
  execution_role_arn = "${acc.role}"
${body.join('\n')}
}
`;
}

function workspace(t: Test, hcl: string): Workspace {
  const ws = new Workspace();
  t.teardown(() => ws.cleanup());
  return ws.config(hcl);
}

async function destroyAndCheck(t: Test, ws: Workspace, name: string): Promise<void> {
  await ws.destroy();
  t.equal(await acc.aws.model(name), null, 'destroy removed the model');
}

/** The planned actions and replace_paths of one model for the workspace's current configuration. */
async function plannedChange(ws: Workspace, address = ADDRESS): Promise<{ actions: string[]; replacePaths: unknown[] }> {
  const plan = await ws.planJson('-refresh=false');
  const change = plan.resource_changes?.find((c) => c.address === address)?.change;
  return { actions: actionsOf(plan)[address] ?? [], replacePaths: change?.replace_paths ?? [] };
}

/** Applies the workspace's configuration and returns the SageMaker calls it made that change models. */
async function applyCountingCalls(ws: Workspace): Promise<string[] | undefined> {
  if (acc.target.admin) await acc.target.admin.reset('calls');
  await ws.apply();
  if (!acc.target.admin) return undefined;
  return (await acc.target.admin.calls()).recent
    .map((c) => `${c.service}.${c.operation}`)
    .filter((op) => /^SageMaker\.(Create|Delete)Model$/.test(op));
}

/** The attribute values of every resource in state, by address. */
async function statesByAddress(ws: Workspace): Promise<Record<string, Record<string, unknown>>> {
  return Object.fromEntries(((await ws.state()).values?.root_module?.resources ?? []).map((r) => [r.address, r.values]));
}

const IEC_SERIAL = '  inference_execution_config {\n    mode = "Serial"\n  }';

// vpc_config, enable_network_isolation and inference_execution_config, each on a model of its own in one
// workspace, so each step of the discipline is one terraform command for all three: apply, plan empty, refresh,
// plan empty, state rm + import blocks that reproduce every state exactly, plan empty. Then each model's own
// checks and changes, and one destroy.
t.test('vpc_config, enable_network_isolation, inference_execution_config: create, plan empty, refresh, import', async (t) => {
  const bodies = {
    vpc: [PRIMARY, vpc(SUBNETS, GROUPS)],
    isolated: [PRIMARY, '  enable_network_isolation = true'],
    serial: [TWO_CONTAINERS, IEC_SERIAL],
  };
  type Key = keyof typeof bodies;
  const keys = Object.keys(bodies) as Key[];
  const names: Record<Key, string> = { vpc: uniqueName('tfacc-vpc'), isolated: uniqueName('tfacc-isol'), serial: uniqueName('tfacc-iec') };
  const address = (key: Key) => `aws_sagemaker_model.${key}`;
  /** The configuration of all three models, with some bodies replaced. */
  const render = (changed: Partial<Record<Key, string[]>> = {}) =>
    providerBlock(acc.target) +
    keys
      .map(
        (key) => `
resource "aws_sagemaker_model" "${key}" {
  name               = "${names[key]}"
  execution_role_arn = "${acc.role}"
${(changed[key] ?? bodies[key]).join('\n')}
}
`,
      )
      .join('');

  const ws = workspace(t, render());
  await ws.apply();
  for (const key of keys) t.equal((await statesByAddress(ws))[address(key)]?.id, names[key], `${key}: id = name`);
  t.equal((await ws.planExitCode()).code, 0, 'plan after apply is empty');
  await ws.ok(['apply', '-refresh-only', '-auto-approve', '-no-color']);
  t.equal((await ws.planExitCode()).code, 0, 'plan after refresh is empty');
  const states = await statesByAddress(ws);

  await ws.ok(['state', 'rm', '-no-color', ...keys.map(address)]);
  ws.config(render() + keys.map((key) => `import {\n  to = ${address(key)}\n  id = "${names[key]}"\n}\n`).join(''));
  const imported = await ws.apply();
  t.match(imported.stdout, /Apply complete! Resources: 3 imported, 0 added, 0 changed, 0 destroyed\./, 'import blocks import the three models and change nothing');
  t.same(await statesByAddress(ws), states, 'the imported states equal the refreshed ones, attribute for attribute');
  ws.config(render());
  t.equal((await ws.planExitCode()).code, 0, 'plan after import is empty');

  await t.test('vpc_config: in state and remotely; reordering its sets is no change', async (t) => {
    const state = states[address('vpc')];
    t.same(state.vpc_config, [{ subnets: SUBNETS, security_group_ids: GROUPS }], 'vpc_config in state');
    const remote = await acc.aws.model(names.vpc);
    t.same(sorted(remote?.VpcConfig?.Subnets), SUBNETS, 'the stored Subnets');
    t.same(sorted(remote?.VpcConfig?.SecurityGroupIds), GROUPS, 'the stored SecurityGroupIds');

    ws.config(render({ vpc: [PRIMARY, vpc([...SUBNETS].reverse(), [...GROUPS].reverse())] }));
    t.equal((await ws.planExitCode()).code, 0, 'reordering the set elements is no change');
    ws.config(render());
  });

  await t.test('inference_execution_config Serial with two containers: in state and remotely', async (t) => {
    const state = states[address('serial')];
    t.same(state.inference_execution_config, [{ mode: 'Serial' }]);
    t.equal((state.container as unknown[]).length, 2);
    const remote = await acc.aws.model(names.serial);
    t.same(remote?.InferenceExecutionConfig, { Mode: 'Serial' }, 'the stored InferenceExecutionConfig');
    t.same(
      remote?.Containers?.map((c) => c.ContainerHostname),
      ['first', 'second'],
      'containers stored in order',
    );
  });

  await t.test('enable_network_isolation = true: in state and remotely; flipping it replaces', async (t) => {
    const name = names.isolated;
    t.equal(states[address('isolated')].enable_network_isolation, true);
    t.equal((await acc.aws.model(name))?.EnableNetworkIsolation, true, 'the stored EnableNetworkIsolation');

    ws.config(render({ isolated: [PRIMARY, '  enable_network_isolation = false'] }));
    const { actions, replacePaths } = await plannedChange(ws, address('isolated'));
    t.same(actions, ['delete', 'create'], 'true -> false replaces');
    t.same(replacePaths, [['enable_network_isolation']]);
    await ws.apply();
    t.equal((await acc.aws.model(name))?.EnableNetworkIsolation, false, 'the new model is not isolated');
    t.equal((await ws.resource(address('isolated'))).enable_network_isolation, false);
    t.equal((await ws.planExitCode()).code, 0, 'plan after the flip is empty');

    ws.config(render({ isolated: [PRIMARY] }));
    t.equal((await ws.planExitCode()).code, 0, 'false and unset are the same (default false)');
    ws.config(render());
    t.same((await plannedChange(ws, address('isolated'))).actions, ['delete', 'create'], 'false -> true replaces');
  });

  await ws.destroy();
  for (const key of keys) t.equal(await acc.aws.model(names[key]), null, `${key}: destroy removed the model`);
});

t.test('vpc_config: changing subnets replaces', async (t) => {
  const name = uniqueName('tfacc-vpcsub');
  const ws = workspace(t, config(name, PRIMARY, vpc(SUBNETS, GROUPS)));
  await ws.apply();
  const changed = [SUBNETS[0], 'subnet-0a1b2c3d4e5f60003'];
  ws.config(config(name, PRIMARY, vpc(changed, GROUPS)));
  const { actions, replacePaths } = await plannedChange(ws);
  t.same(actions, ['delete', 'create']);
  t.same(replacePaths, [['vpc_config', 0, 'subnets']], 'subnets force the replacement');
  const calls = await applyCountingCalls(ws);
  if (calls) t.same(calls, ['SageMaker.DeleteModel', 'SageMaker.CreateModel'], 'delete, then create');
  t.same(sorted((await acc.aws.model(name))?.VpcConfig?.Subnets), changed, 'the new model has the new subnets');
  t.equal((await ws.planExitCode()).code, 0, 'plan after the replacement is empty');
  await destroyAndCheck(t, ws, name);
});

t.test('vpc_config: changing security groups replaces', async (t) => {
  const name = uniqueName('tfacc-vpcsg');
  const ws = workspace(t, config(name, PRIMARY, vpc(SUBNETS, GROUPS)));
  await ws.apply();
  ws.config(config(name, PRIMARY, vpc(SUBNETS, [GROUPS[0]])));
  const { actions, replacePaths } = await plannedChange(ws);
  t.same(actions, ['delete', 'create']);
  t.same(replacePaths, [['vpc_config', 0, 'security_group_ids']], 'security_group_ids force the replacement');
  await ws.apply();
  t.same((await acc.aws.model(name))?.VpcConfig?.SecurityGroupIds, [GROUPS[0]], 'the new model has one security group');
  t.equal((await ws.planExitCode()).code, 0, 'plan after the replacement is empty');
  await destroyAndCheck(t, ws, name);
});

t.test('vpc_config: removing it replaces, adding it replaces', async (t) => {
  const name = uniqueName('tfacc-vpcrm');
  const ws = workspace(t, config(name, PRIMARY, vpc(SUBNETS, GROUPS)));
  await ws.apply();
  ws.config(config(name, PRIMARY));
  t.same((await plannedChange(ws)).actions, ['delete', 'create'], 'removing vpc_config replaces');
  await ws.apply();
  t.equal((await acc.aws.model(name))?.VpcConfig, undefined, 'the new model has no VpcConfig');
  t.same((await ws.resource(ADDRESS)).vpc_config, [], 'state has no vpc_config');
  t.equal((await ws.planExitCode()).code, 0, 'plan after removal is empty');
  ws.config(config(name, PRIMARY, vpc(SUBNETS, GROUPS)));
  t.same((await plannedChange(ws)).actions, ['delete', 'create'], 'adding vpc_config replaces');
  await destroyAndCheck(t, ws, name);
});

t.test('inference_execution_config: dropping it from the configuration is no change', async (t) => {
  const name = uniqueName('tfacc-iecdrop');
  const ws = workspace(t, config(name, TWO_CONTAINERS, '  inference_execution_config {\n    mode = "Direct"\n  }'));
  await ws.apply();
  ws.config(config(name, TWO_CONTAINERS));
  const { actions } = await plannedChange(ws);
  t.same(actions, ['no-op'], 'leaving the optional+computed block out plans nothing, as in hashicorp/aws');
  if (acc.target.admin) await acc.target.admin.reset('calls');
  await ws.apply();
  if (acc.target.admin) {
    const { counts } = await acc.target.admin.calls();
    t.equal((counts['SageMaker.CreateModel'] ?? 0) + (counts['SageMaker.DeleteModel'] ?? 0), 0, 'applying it neither creates nor deletes');
  }
  t.same((await ws.resource(ADDRESS)).inference_execution_config, [{ mode: 'Direct' }], 'state keeps the remote mode');
  await ws.ok(['apply', '-refresh-only', '-auto-approve', '-no-color']);
  t.equal((await ws.planExitCode()).code, 0, 'still no diff after refresh');
  t.same((await acc.aws.model(name))?.InferenceExecutionConfig, { Mode: 'Direct' }, 'the remote model keeps its mode');
  await destroyAndCheck(t, ws, name);
});

t.test('inference_execution_config: changing mode replaces (documented deviation)', async (t) => {
  const name = uniqueName('tfacc-iecmode');
  const ws = workspace(t, config(name, TWO_CONTAINERS, '  inference_execution_config {\n    mode = "Serial"\n  }'));
  await ws.apply();
  ws.config(config(name, TWO_CONTAINERS, '  inference_execution_config {\n    mode = "Direct"\n  }'));
  const { actions, replacePaths } = await plannedChange(ws);
  t.same(actions, ['delete', 'create'], 'Serial -> Direct replaces');
  t.same(replacePaths, [['inference_execution_config', 0, 'mode']]);
  const calls = await applyCountingCalls(ws);
  if (calls) t.same(calls, ['SageMaker.DeleteModel', 'SageMaker.CreateModel'], 'delete, then create');
  t.same((await acc.aws.model(name))?.InferenceExecutionConfig, { Mode: 'Direct' }, 'the new model runs Direct');
  t.equal((await ws.planExitCode()).code, 0, 'plan after the replacement is empty (no perpetual diff)');
  await destroyAndCheck(t, ws, name);
});
