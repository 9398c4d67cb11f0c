// Import acceptance tests: `terraform import` by name and by `name@region` (v6 region suffix), an `import {}`
// block with `-generate-config-out`, and importing a model that does not exist.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { SageMakerClient, DescribeModelCommand } from '@aws-sdk/client-sagemaker';
import { actionsOf, providerBlock, uniqueName, Workspace } from '../support/terraform';
import { IMAGE } from '../support/fixtures';
import { useTarget } from '../support/target';

const acc = useTarget(t);

const ADDRESS = 'aws_sagemaker_model.test';
const OTHER_REGION = 'us-east-1';

function resourceBlock(name: string, extra = ''): string {
  return `resource "aws_sagemaker_model" "test" {
  name               = "${name}"
  execution_role_arn = "${acc.role}"
${extra}  primary_container {
    image = "${IMAGE}"
    environment = {
      TEST = "import"
    }
  }
  tags = {
    Name = "${name}"
  }
}
`;
}

function newWorkspace(t: Test): Workspace {
  const ws = new Workspace();
  t.teardown(() => ws.cleanup());
  return ws;
}

/** Creates the model with Terraform in its own workspace; returns its state (the importing workspace destroys it). */
async function created(t: Test, name: string, extra = ''): Promise<{ state: Record<string, unknown> }> {
  const owner = newWorkspace(t);
  owner.config(`${providerBlock(acc.target)}\n${resourceBlock(name, extra)}`);
  await owner.apply();
  return { state: await owner.resource(ADDRESS) };
}

t.test('import by name reproduces the state exactly', async (t) => {
  const name = uniqueName('tfacc-import');
  const { state } = await created(t, name);

  const ws = newWorkspace(t);
  ws.config(`${providerBlock(acc.target)}\n${resourceBlock(name)}`);
  const result = await ws.ok(['import', '-no-color', '-input=false', ADDRESS, name]);
  t.match(result.stdout, /Import successful!/);
  const imported = await ws.resource(ADDRESS);
  t.same(imported, state, 'every attribute matches the state of the workspace that created it');
  t.equal(imported.id, name);
  t.equal(imported.region, acc.target.region, 'region is the provider region without a suffix');
  t.equal((await ws.planExitCode()).code, 0, 'plan after import is empty');
  await ws.ok(['apply', '-refresh-only', '-auto-approve', '-no-color']);
  t.equal((await ws.planExitCode()).code, 0, 'plan after refresh is empty');

  await ws.destroy();
  t.equal(await acc.aws.model(name), null);
});

t.test('import by name@region puts the suffix in region and the name in id', async (t) => {
  const name = uniqueName('tfacc-import-region');
  const extra = `  region             = "${OTHER_REGION}"\n`;
  const { state } = await created(t, name, extra);
  t.equal(state.region, OTHER_REGION);
  t.match(state.arn, new RegExp(`^arn:aws:sagemaker:${OTHER_REGION}:`));
  t.equal(await acc.aws.model(name), null, `the model is not in the provider region ${acc.target.region}`);

  const ws = newWorkspace(t);
  ws.config(`${providerBlock(acc.target)}\n${resourceBlock(name, extra)}`);
  await ws.ok(['import', '-no-color', '-input=false', ADDRESS, `${name}@${OTHER_REGION}`]);
  const imported = await ws.resource(ADDRESS);
  t.equal(imported.id, name, 'the id is the name without the suffix');
  t.equal(imported.name, name);
  t.equal(imported.region, OTHER_REGION, 'region in state is the suffix');
  t.same(imported, state, 'import reproduces the state');
  t.equal((await ws.planExitCode()).code, 0, 'plan after import is empty');

  await ws.destroy();
  const regional = new SageMakerClient({ ...acc.target.sdkConfig, region: OTHER_REGION });
  t.teardown(() => regional.destroy());
  await t.rejects(regional.send(new DescribeModelCommand({ ModelName: name })), { name: 'ValidationException' }, 'destroy removed it in its region');
});

t.test('import {} block with -generate-config-out: the generated config applies with no changes', async (t) => {
  const name = uniqueName('tfacc-genconf');
  const { state } = await created(t, name);

  const ws = newWorkspace(t);
  ws.config(`${providerBlock(acc.target)}
import {
  to = ${ADDRESS}
  id = "${name}"
}
`);
  const plan = await ws.run(['plan', '-input=false', '-no-color', '-generate-config-out=generated.tf']);
  t.equal(plan.code, 0, `plan generates the configuration\n${plan.stdout}\n${plan.stderr}`);
  t.match(plan.stdout, /Plan: 1 to import, 0 to add, 0 to change, 0 to destroy\./);
  const generated = readFileSync(join(ws.dir, 'generated.tf'), 'utf8');
  t.match(generated, /resource "aws_sagemaker_model" "test" \{/);
  t.match(generated, new RegExp(`name\\s+= "${name}"`));
  t.match(generated, new RegExp(`execution_role_arn\\s+= "${acc.role}"`));
  t.match(generated, new RegExp(`image\\s+= "${IMAGE}"`));

  const importPlan = await ws.planJson();
  t.same(actionsOf(importPlan), { [ADDRESS]: ['no-op'] }, 'the import changes nothing');
  const apply = await ws.ok(['apply', '-auto-approve', '-input=false', '-no-color', 'tfplan']);
  t.match(apply.stdout, /Apply complete! Resources: 1 imported, 0 added, 0 changed, 0 destroyed\./);
  t.same(await ws.resource(ADDRESS), state, 'the imported state equals the original');
  t.equal((await ws.planExitCode()).code, 0, 'plan after the import is empty');
  await ws.ok(['apply', '-refresh-only', '-auto-approve', '-no-color']);
  t.equal((await ws.planExitCode()).code, 0, 'plan after refresh is empty');

  await ws.destroy();
  t.equal(await acc.aws.model(name), null);
});

t.test('importing a missing model fails with "Cannot import non-existent remote object"', async (t) => {
  const name = uniqueName('tfacc-missing');
  const ws = newWorkspace(t);
  ws.config(`${providerBlock(acc.target)}\n${resourceBlock(name)}`);
  if (acc.target.admin) await acc.target.admin.reset('calls');
  const result = await ws.run(['import', '-no-color', '-input=false', ADDRESS, name]);
  t.equal(result.code, 1);
  t.match(result.stderr, /Error: Cannot import non-existent remote object/);
  t.match(
    result.stderr.replace(/\s+/g, ' '),
    `While attempting to import an existing object to "${ADDRESS}", the provider detected that no object exists with the given id.`,
  );
  t.same((await ws.state()).values?.root_module?.resources ?? [], [], 'nothing was added to state');
  if (acc.target.admin) {
    const c = (await acc.target.admin.calls()).counts;
    t.ok((c['SageMaker.DescribeModel'] ?? 0) >= 1, 'the import looked the model up');
    t.equal(c['SageMaker.CreateModel'] ?? 0, 0);
  }

  // The same through an import block.
  ws.config(`${providerBlock(acc.target)}\n${resourceBlock(name)}\nimport {\n  to = ${ADDRESS}\n  id = "${name}"\n}\n`);
  const plan = await ws.run(['plan', '-input=false', '-no-color']);
  t.equal(plan.code, 1);
  t.match(plan.stderr, /Error: Cannot import non-existent remote object/);
});
