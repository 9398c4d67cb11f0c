// Lifecycle acceptance tests (hashicorp/aws TestAccSageMakerModel_basic/_disappears and friends): generated
// names, replacement on a container change, a model deleted out of band, and destroying what is already gone.
import t, { type Test } from 'tap';
import { actionsOf, providerBlock, uniqueName, Workspace } from '../support/terraform';
import { useTarget } from '../support/target';
import { IMAGE, IMAGE_2, trustPolicyJsonencode } from '../support/fixtures';

const acc = useTarget(t);

const ADDRESS = 'aws_sagemaker_model.test';

function modelConfig(role: string, image: string, name?: string): string {
  return `${providerBlock(acc.target)}
resource "aws_sagemaker_model" "test" {
${name ? `  name               = "${name}"\n` : ''}  execution_role_arn = "${role}"
  primary_container {
    image = "${image}"
  }
}
`;
}

/** hashicorp/aws's discipline after an apply: the plan is empty, a refresh changes nothing, the plan stays empty. */
async function settled(t: Test, ws: Workspace): Promise<void> {
  t.equal((await ws.planExitCode()).code, 0, 'plan after apply is empty');
  await ws.ok(['apply', '-refresh-only', '-auto-approve', '-no-color']);
  t.equal((await ws.planExitCode()).code, 0, 'plan after refresh is empty');
}

t.test('generated name: name omitted gives terraform-<timestamp><counter>, id = name', async (t) => {
  const role = acc.role;
  const ws = new Workspace();
  t.teardown(() => ws.cleanup());
  ws.config(modelConfig(role, IMAGE));

  const plan = await ws.planJson();
  t.same(actionsOf(plan), { [ADDRESS]: ['create'] });
  const change = plan.resource_changes![0].change;
  t.equal((change.after_unknown as Record<string, unknown>).name, true, 'the generated name is known only after apply');
  t.equal((change.after_unknown as Record<string, unknown>).id, true);
  await ws.ok(['apply', '-auto-approve', '-input=false', '-no-color', 'tfplan']);

  const state = await ws.resource(ADDRESS);
  t.match(state.name, /^terraform-\d{18}[0-9a-f]{8}$/);
  t.equal((state.name as string).length, 36);
  t.equal(state.id, state.name, 'id = name');
  t.match(state.arn, new RegExp(`:model/${(state.name as string).toLowerCase()}$`));
  t.equal((await acc.aws.model(state.name as string))?.PrimaryContainer?.Image, IMAGE, 'the model exists under the generated name');
  await settled(t, ws);
  const refreshed = await ws.resource(ADDRESS);
  t.same([refreshed.id, refreshed.name, refreshed.arn], [state.id, state.name, state.arn], 'refresh keeps the generated name');

  await ws.destroy();
  t.equal(await acc.aws.model(state.name as string), null, 'destroy removed the model');
});

t.test('replacement on image change: delete then create, old model gone, new one exists', async (t) => {
  const role = acc.role;
  const ws = new Workspace();
  t.teardown(() => ws.cleanup());
  ws.config(modelConfig(role, IMAGE));
  await ws.apply();
  const before = await ws.resource(ADDRESS);
  const oldName = before.name as string;

  ws.config(modelConfig(role, IMAGE_2));
  const plan = await ws.planJson();
  t.same(actionsOf(plan), { [ADDRESS]: ['delete', 'create'] }, 'an image change replaces the model');
  t.same(plan.resource_changes![0].change.replace_paths, [['primary_container', 0, 'image']], 'the image forces the replacement');
  t.equal((plan.resource_changes![0].change.after_unknown as Record<string, unknown>).name, true, 'a new name is generated');

  if (acc.target.admin) await acc.target.admin.reset('calls');
  await ws.ok(['apply', '-auto-approve', '-input=false', '-no-color', 'tfplan']);
  const after = await ws.resource(ADDRESS);
  t.not(after.name, oldName, 'the replacement has a new generated name');
  t.equal(await acc.aws.model(oldName), null, 'the old model is gone');
  t.equal((await acc.aws.model(after.name as string))?.PrimaryContainer?.Image, IMAGE_2, 'the new model exists with the new image');
  if (acc.target.admin) {
    const log = await acc.target.admin.calls();
    t.equal(log.counts['SageMaker.DeleteModel'], 1);
    t.equal(log.counts['SageMaker.CreateModel'], 1);
    const ops = log.recent.map((c) => c.operation);
    t.ok(ops.indexOf('DeleteModel') < ops.indexOf('CreateModel'), 'delete happens before create');
  }
  await settled(t, ws);

  await ws.destroy();
  t.equal(await acc.aws.model(after.name as string), null);
});

t.test('replacement keeps a configured name: the same name is deleted and created again', async (t) => {
  const name = uniqueName('tfacc-replace');
  const role = acc.role;
  const ws = new Workspace();
  t.teardown(() => ws.cleanup());
  ws.config(modelConfig(role, IMAGE, name));
  await ws.apply();
  const created = (await acc.aws.model(name))?.CreationTime;

  ws.config(modelConfig(role, IMAGE_2, name));
  const plan = await ws.planJson();
  t.same(actionsOf(plan), { [ADDRESS]: ['delete', 'create'] });
  await ws.ok(['apply', '-auto-approve', '-input=false', '-no-color', 'tfplan']);
  const remote = await acc.aws.model(name);
  t.equal(remote?.PrimaryContainer?.Image, IMAGE_2, 'the model under the same name has the new image');
  t.ok(remote?.CreationTime && created && remote.CreationTime.getTime() >= created.getTime(), 'it is a newly created model');
  t.equal((await ws.resource(ADDRESS)).name, name);
  await settled(t, ws);
  await ws.destroy();
  t.equal(await acc.aws.model(name), null);
});

t.test('a role being replaced makes the model\'s execution_role_arn unknown, which replaces the model', async (t) => {
  const [model, roleV1, roleV2] = [uniqueName('tfacc-rolerep'), uniqueName('tfacc-rolerep-a'), uniqueName('tfacc-rolerep-b')];
  const config = (roleName: string) => `${providerBlock(acc.target)}
resource "aws_iam_role" "r" {
  name               = "${roleName}"
  assume_role_policy = ${trustPolicyJsonencode()}
}
resource "aws_sagemaker_model" "test" {
  name               = "${model}"
  execution_role_arn = aws_iam_role.r.arn
  primary_container {
    image = "${IMAGE}"
  }
}
`;
  const ws = new Workspace();
  t.teardown(() => ws.cleanup());
  ws.config(config(roleV1));
  await ws.apply();
  const before = await ws.resource(ADDRESS);

  ws.config(config(roleV2));
  const plan = await ws.planJson();
  t.same(actionsOf(plan), { 'aws_iam_role.r': ['delete', 'create'], [ADDRESS]: ['delete', 'create'] }, 'a new name replaces the role, and so the model');
  const change = plan.resource_changes!.find((c) => c.address === ADDRESS)!.change;
  t.equal((change.after_unknown as Record<string, unknown>).execution_role_arn, true, 'the new role\'s ARN is known only at apply');
  t.same(change.replace_paths, [['execution_role_arn']], 'the unknown ARN is what replaces the model');
  await ws.ok(['apply', '-auto-approve', '-input=false', '-no-color', 'tfplan']);

  const after = await ws.resource(ADDRESS);
  t.match(after.execution_role_arn, new RegExp(`:role/${roleV2}$`), 'the model runs under the new role');
  t.not(after.execution_role_arn, before.execution_role_arn);
  t.equal((await acc.aws.model(model))?.ExecutionRoleArn, after.execution_role_arn, 'so does the model that exists');
  await settled(t, ws);
  await ws.destroy();
  t.equal(await acc.aws.model(model), null);
});

t.test('disappears: a model deleted out of band is planned for creation and re-created', async (t) => {
  const name = uniqueName('tfacc-disappears');
  const role = acc.role;
  const ws = new Workspace();
  t.teardown(() => ws.cleanup());
  ws.config(modelConfig(role, IMAGE, name));
  await ws.apply();
  await acc.aws.deleteModel(name);

  const plan = await ws.planJson();
  t.same(actionsOf(plan), { [ADDRESS]: ['create'] }, 'refresh dropped the gone model; the plan creates it');
  t.equal((await ws.planExitCode()).code, 2);
  const refreshed = await ws.run(['apply', '-refresh-only', '-auto-approve', '-no-color']);
  t.equal(refreshed.code, 0, 'a refresh of a vanished model is not an error');
  t.same((await ws.state()).values?.root_module?.resources ?? [], [], 'the refresh removed it from state');

  await ws.apply();
  t.equal((await acc.aws.model(name))?.PrimaryContainer?.Image, IMAGE, 'apply re-created the model');
  t.equal((await ws.resource(ADDRESS)).id, name);
  await settled(t, ws);
  await ws.destroy();
  t.equal(await acc.aws.model(name), null);
});

t.test('destroy of an already-deleted model succeeds', async (t) => {
  const name = uniqueName('tfacc-gone');
  const role = acc.role;
  const ws = new Workspace();
  t.teardown(() => ws.cleanup());
  ws.config(modelConfig(role, IMAGE, name));
  await ws.apply();
  await acc.aws.deleteModel(name);
  if (acc.target.admin) await acc.target.admin.reset('calls');

  // Without a refresh, Terraform calls DeleteModel for the model that is already gone.
  const result = await ws.run(['destroy', '-auto-approve', '-input=false', '-no-color', '-refresh=false']);
  t.equal(result.code, 0, `destroy succeeds\n${result.stdout}\n${result.stderr}`);
  t.match(result.stdout, /Destroy complete! Resources: 1 destroyed\./);
  t.same((await ws.state()).values?.root_module?.resources ?? [], [], 'state is empty');
  if (acc.target.admin) {
    const log = await acc.target.admin.calls();
    const deletes = log.recent.filter((c) => c.operation === 'DeleteModel');
    t.equal(deletes.length, 1, 'DeleteModel was called once, not retried');
    t.equal(deletes[0]?.errorCode, 'ValidationException', 'the endpoint reported the model missing');
    t.equal(log.counts['SageMaker.CreateModel'] ?? 0, 0);
  }

  // With a refresh, the plan has nothing to destroy.
  ws.config(modelConfig(acc.role, IMAGE, name));
  await ws.apply();
  await acc.aws.deleteModel(name);
  const again = await ws.destroy();
  t.match(again.stdout, /Resources: 0 destroyed\./, 'refresh found the model gone: nothing to destroy');
  t.equal(await acc.aws.model(name), null);
});
