// aws_sagemaker_endpoint_configuration and aws_sagemaker_endpoint through terraform against the embedded endpoint
// (hashicorp/aws's TestAccSageMakerEndpoint* and TestAccSageMakerEndpointConfiguration* discipline): create, empty
// plans, tags in place, a replacement of the configuration that moves the endpoint (create_before_destroy), an
// endpoint moved to another configuration, import, destroy; a Failed endpoint and a failed update (fault injection),
// objects deleted and tags changed outside Terraform; and the whole chain with no hashicorp/aws binary at all.
import t, { type Test } from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACC_TARGET, Workspace, actionsOf as allActions, providerBlock, uniqueName, type PlanJson } from '../support/terraform';
import { useTarget } from '../support/target';
import { IMAGE } from '../support/fixtures';
import { repoRoot } from '../support/paths';

const acc = useTarget(t);
const needsFaults = { skip: ACC_TARGET !== 'embedded' ? 'needs the embedded endpoint (fault injection)' : false };

const CONFIG = 'aws_sagemaker_endpoint_configuration.test';
const OTHER = 'aws_sagemaker_endpoint_configuration.other';
const ENDPOINT = 'aws_sagemaker_endpoint.test';

interface Options {
  instanceType?: string;
  configTags?: Record<string, string>;
  endpointTags?: Record<string, string>;
  /** Which configuration the endpoint runs; `other` adds a second configuration. */
  runs?: 'test' | 'other';
}

function hclMap(tags: Record<string, string> | undefined): string {
  if (!tags) return '';
  return `  tags = {\n${Object.entries(tags).map(([k, v]) => `    ${k} = "${v}"\n`).join('')}  }\n`;
}

/** A model, its endpoint configuration (generated names, create_before_destroy as hashicorp/aws advises) and an endpoint. */
function inference(names: { model: string; endpoint: string }, o: Options = {}): string {
  const variant = (instanceType: string) =>
    `  production_variants {\n    model_name             = aws_sagemaker_model.test.name\n    instance_type          = "${instanceType}"\n    initial_instance_count = 1\n  }\n`;
  return `${providerBlock(acc.target)}
resource "aws_sagemaker_model" "test" {
  name               = "${names.model}"
  execution_role_arn = "${acc.role}"
  primary_container {
    image = "${IMAGE}"
  }
}

resource "aws_sagemaker_endpoint_configuration" "test" {
  name_prefix = "tfacc-"
${variant(o.instanceType ?? 'ml.t2.medium')}${hclMap(o.configTags)}
  lifecycle {
    create_before_destroy = true
  }
}
${o.runs === 'other' ? `\nresource "aws_sagemaker_endpoint_configuration" "other" {\n${variant('ml.m5.large')}}\n` : ''}
resource "aws_sagemaker_endpoint" "test" {
  name                 = "${names.endpoint}"
  endpoint_config_name = aws_sagemaker_endpoint_configuration.${o.runs ?? 'test'}.name
${hclMap(o.endpointTags)}}
`;
}

/** The planned actions of the resources that change. */
function actionsOf(plan: PlanJson): Record<string, string[]> {
  return Object.fromEntries(Object.entries(allActions(plan)).filter(([, actions]) => actions.join() !== 'no-op'));
}

function newNames() {
  return { model: uniqueName('tfacc-model'), endpoint: uniqueName('tfacc-ep') };
}

/** hashicorp/aws's discipline after an apply: the plan is empty, a refresh changes nothing, the plan stays empty. */
async function settled(t: Test, ws: Workspace): Promise<void> {
  t.equal((await ws.planExitCode()).code, 0, 'plan after apply is empty');
  await ws.ok(['apply', '-refresh-only', '-auto-approve', '-no-color']);
  t.equal((await ws.planExitCode()).code, 0, 'plan after refresh is empty');
}

/** The SageMaker calls of the last command, in order (the embedded endpoint's call log). */
async function sagemakerCalls(): Promise<string[]> {
  return (await acc.target.admin!.calls()).recent.filter((c) => c.service === 'SageMaker').map((c) => c.operation);
}

/** Waits until SageMaker no longer knows the endpoint (DeleteEndpoint ends after its transition); whether it is gone. */
async function untilGone(name: string): Promise<boolean> {
  for (let i = 0; i < 100 && (await acc.aws.endpoint(name)) !== null; i++) await new Promise((r) => setTimeout(r, 100));
  return (await acc.aws.endpoint(name)) === null;
}

function tfstate(ws: Workspace): { resources: { type: string; name: string; instances: { status?: string; attributes: Record<string, unknown> }[] }[] } {
  return JSON.parse(readFileSync(join(ws.dir, 'terraform.tfstate'), 'utf8'));
}

t.test('create, tags in place, a replaced configuration, another configuration, import, destroy', async (t) => {
  const names = newNames();
  const ws = new Workspace();
  t.teardown(() => ws.cleanup());

  ws.config(inference(names, { configTags: { Name: 'first' }, endpointTags: { Name: 'ep' } }));
  await ws.apply();
  const config = await ws.resource(CONFIG);
  const endpoint = await ws.resource(ENDPOINT);
  t.match(config.name, /^tfacc-\d{18}[0-9a-f]{8}$/, 'a name with the prefix');
  t.equal(config.name_prefix, 'tfacc-');
  t.match(config.arn, new RegExp(`:endpoint-config/${(config.name as string).toLowerCase()}$`));
  t.match(config.production_variants, [{ model_name: names.model, instance_type: 'ml.t2.medium', initial_instance_count: 1, initial_variant_weight: 1 }]);
  t.match((config.production_variants as Record<string, unknown>[])[0].variant_name, /^terraform-/, 'a generated variant name');
  t.same([endpoint.id, endpoint.name, endpoint.endpoint_config_name], [names.endpoint, names.endpoint, config.name]);
  t.same(endpoint.tags_all, { Name: 'ep' });
  const remote = await acc.aws.endpoint(names.endpoint);
  t.equal(remote?.EndpointStatus, 'InService', 'create waited until the endpoint is InService');
  t.equal(remote?.EndpointConfigName, config.name);
  t.equal((await acc.aws.endpointConfig(config.name as string))?.ProductionVariants?.[0]?.ModelName, names.model);
  await settled(t, ws);

  // Tags change in place, on both; nothing is replaced or redeployed.
  ws.config(inference(names, { configTags: { Name: 'second', Team: 'ml' }, endpointTags: { Name: 'ep2' } }));
  const retag = await ws.planJson();
  t.same(actionsOf(retag), { [CONFIG]: ['update'], [ENDPOINT]: ['update'] });
  if (acc.target.admin) await acc.target.admin.reset('calls');
  await ws.ok(['apply', '-auto-approve', '-input=false', '-no-color', 'tfplan']);
  t.same(await acc.aws.tags(config.arn as string), { Name: 'second', Team: 'ml' });
  t.same(await acc.aws.tags(endpoint.arn as string), { Name: 'ep2' });
  if (acc.target.admin) t.notOk((await sagemakerCalls()).some((op) => /^(Create|Update|Delete)Endpoint/.test(op)), 'no endpoint or configuration call but tags');
  await settled(t, ws);

  // A new instance type replaces the configuration: the new one first, the endpoint moved to it, the old one deleted.
  ws.config(inference(names, { instanceType: 'ml.m5.large', configTags: { Name: 'second', Team: 'ml' }, endpointTags: { Name: 'ep2' } }));
  const replace = await ws.planJson();
  t.same(actionsOf(replace), { [CONFIG]: ['create', 'delete'], [ENDPOINT]: ['update'] }, 'create_before_destroy');
  t.same(replace.resource_changes!.find((c) => c.address === CONFIG)!.change.replace_paths, [['production_variants', 0, 'instance_type']]);
  if (acc.target.admin) await acc.target.admin.reset('calls');
  await ws.ok(['apply', '-auto-approve', '-input=false', '-no-color', 'tfplan']);
  const replaced = await ws.resource(CONFIG);
  t.not(replaced.name, config.name, 'a new generated name');
  t.equal((await acc.aws.endpoint(names.endpoint))?.EndpointConfigName, replaced.name, 'the endpoint runs the new configuration');
  t.equal((await acc.aws.endpoint(names.endpoint))?.EndpointStatus, 'InService', 'the update waited until InService again');
  t.equal(await acc.aws.endpointConfig(config.name as string), null, 'the old configuration is gone');
  if (acc.target.admin) {
    const calls = await sagemakerCalls();
    const order = ['CreateEndpointConfig', 'UpdateEndpoint', 'DeleteEndpointConfig'].map((op) => calls.indexOf(op));
    t.ok(order.every((i, n) => i >= 0 && (n === 0 || i > order[n - 1])), `create, update the endpoint, then delete: ${calls.join(' ')}`);
  }
  await settled(t, ws);

  // The endpoint moved to another configuration: updated in place.
  ws.config(inference(names, { instanceType: 'ml.m5.large', configTags: { Name: 'second', Team: 'ml' }, endpointTags: { Name: 'ep2' }, runs: 'other' }));
  const move = await ws.planJson();
  t.same(actionsOf(move), { [OTHER]: ['create'], [ENDPOINT]: ['update'] });
  await ws.ok(['apply', '-auto-approve', '-input=false', '-no-color', 'tfplan']);
  const other = await ws.resource(OTHER);
  t.match(other.name, /^terraform-\d{18}[0-9a-f]{8}$/, 'no name nor prefix: terraform-');
  t.equal((await acc.aws.endpoint(names.endpoint))?.EndpointConfigName, other.name);
  await settled(t, ws);

  // Import by name reproduces the refreshed state.
  const refreshed = { config: await ws.resource(CONFIG), endpoint: await ws.resource(ENDPOINT) };
  await ws.ok(['state', 'rm', CONFIG, ENDPOINT]);
  await ws.ok(['import', '-no-color', CONFIG, refreshed.config.name as string]);
  await ws.ok(['import', '-no-color', ENDPOINT, `${names.endpoint}@${acc.target.region}`]);
  t.same(await ws.resource(CONFIG), refreshed.config, 'the imported configuration is the refreshed one');
  t.same(await ws.resource(ENDPOINT), refreshed.endpoint, 'the imported endpoint (name@region) is the refreshed one');
  t.equal((await ws.planExitCode()).code, 0, 'plan after import is empty');

  await ws.destroy();
  t.equal(await acc.aws.endpoint(names.endpoint), null, 'destroy waited until the endpoint was gone');
  t.equal(await acc.aws.endpointConfig(replaced.name as string), null, 'and the configurations');
  t.equal(await acc.aws.endpointConfig(other.name as string), null);
});

t.test('a Failed endpoint: the FailureReason in the error, the endpoint in state (tainted), replaced by the next apply', needsFaults, async (t) => {
  const names = newNames();
  const ws = new Workspace();
  t.teardown(() => ws.cleanup());
  const reason = 'The primary container for production variant AllTraffic did not pass the ping health check.';
  await acc.target.admin!.faults({ endpointFailure: { endpoint: names.endpoint, during: 'create', reason, next: 1 } });
  ws.config(inference(names));
  const failed = await ws.run(['apply', '-auto-approve', '-input=false', '-no-color']);
  t.equal(failed.code, 1, 'apply fails');
  t.match(failed.stdout + failed.stderr, `waiting for SageMaker AI Endpoint (${names.endpoint}) create: unexpected state 'Failed', wanted target 'InService'. last error: ${reason}`);
  const remote = await acc.aws.endpoint(names.endpoint);
  t.equal(remote?.EndpointStatus, 'Failed');
  const recorded = tfstate(ws).resources.find((r) => r.type === 'aws_sagemaker_endpoint')!.instances[0];
  t.equal(recorded.status, 'tainted', 'recorded, and tainted');
  t.same([recorded.attributes.id, recorded.attributes.arn], [names.endpoint, remote?.EndpointArn], 'the state names what exists');

  const replan = await ws.planJson();
  t.same(actionsOf(replan), { [ENDPOINT]: ['delete', 'create'] }, 'the tainted endpoint is replaced');
  await ws.ok(['apply', '-auto-approve', '-input=false', '-no-color', 'tfplan']);
  t.equal((await acc.aws.endpoint(names.endpoint))?.EndpointStatus, 'InService');
  await settled(t, ws);
  await ws.destroy();
});

t.test('a failed update: rolled back or Failed, the error names the reason and the state keeps what the endpoint runs', needsFaults, async (t) => {
  const names = newNames();
  const ws = new Workspace();
  t.teardown(() => ws.cleanup());
  ws.config(inference(names));
  await ws.apply();
  const before = await ws.resource(ENDPOINT);

  // SageMaker rolls a failed update of a live endpoint back to its previous configuration.
  const reason = 'Not enough capacity for ml.m5.large.';
  await acc.target.admin!.faults({ endpointFailure: { endpoint: names.endpoint, during: 'update', reason, rollback: true, next: 1 } });
  ws.config(inference(names, { runs: 'other' }));
  const rolledBack = await ws.run(['apply', '-auto-approve', '-input=false', '-no-color']);
  t.equal(rolledBack.code, 1, 'apply fails');
  t.match(
    (rolledBack.stdout + rolledBack.stderr).replace(/\s+/g, ' '),
    `waiting for SageMaker AI Endpoint (${names.endpoint}) update: rolled back to endpoint configuration "${String(before.endpoint_config_name)}": ${reason}`,
  );
  const remote = await acc.aws.endpoint(names.endpoint);
  t.equal(remote?.EndpointStatus, 'InService');
  t.equal((await ws.resource(ENDPOINT)).endpoint_config_name, remote?.EndpointConfigName, 'the state matches what the endpoint runs');
  t.equal(remote?.EndpointConfigName, before.endpoint_config_name, 'the previous configuration');
  t.same(actionsOf(await ws.planJson()), { [ENDPOINT]: ['update'] }, 'the next plan tries again');

  // An update that leaves the endpoint Failed.
  await acc.target.admin!.faults({ endpointFailure: { endpoint: names.endpoint, during: 'update', reason, next: 1 } });
  const failed = await ws.run(['apply', '-auto-approve', '-input=false', '-no-color']);
  t.equal(failed.code, 1);
  t.match(
    (failed.stdout + failed.stderr).replace(/\s+/g, ' '),
    `waiting for SageMaker AI Endpoint (${names.endpoint}) update: unexpected state 'Failed', wanted target 'InService'. last error: ${reason}`,
  );
  const failedRemote = await acc.aws.endpoint(names.endpoint);
  t.equal(failedRemote?.EndpointStatus, 'Failed');
  t.equal((await ws.resource(ENDPOINT)).endpoint_config_name, failedRemote?.EndpointConfigName, 'the state matches the endpoint');
  await ws.destroy();
  t.equal(await acc.aws.endpoint(names.endpoint), null, 'a Failed endpoint is destroyed');
});

t.test('deleted outside Terraform: both are planned for creation and created again', async (t) => {
  const names = newNames();
  const ws = new Workspace();
  t.teardown(() => ws.cleanup());
  ws.config(inference(names));
  await ws.apply();
  const config = await ws.resource(CONFIG);
  await acc.aws.deleteEndpoint(names.endpoint);
  await untilGone(names.endpoint);
  await acc.aws.deleteEndpointConfig(config.name as string);
  const plan = await ws.planJson();
  t.same(actionsOf(plan), { [CONFIG]: ['create'], [ENDPOINT]: ['create'] }, 'refresh removed both from state');
  await ws.ok(['apply', '-auto-approve', '-input=false', '-no-color', 'tfplan']);
  t.equal((await acc.aws.endpoint(names.endpoint))?.EndpointStatus, 'InService');
  t.equal((await acc.aws.endpoint(names.endpoint))?.EndpointConfigName, (await ws.resource(CONFIG)).name);
  await settled(t, ws);
  await ws.destroy();
});

t.test('tags changed outside Terraform: the plan restores them in place', async (t) => {
  const names = newNames();
  const ws = new Workspace();
  t.teardown(() => ws.cleanup());
  ws.config(inference(names, { configTags: { Name: 'cfg' }, endpointTags: { Name: 'ep' } }));
  await ws.apply();
  const [config, endpoint] = [await ws.resource(CONFIG), await ws.resource(ENDPOINT)];
  await acc.aws.addTags(config.arn as string, { Added: 'outside' });
  await acc.aws.addTags(endpoint.arn as string, { Name: 'changed' });
  const plan = await ws.planJson();
  t.same(actionsOf(plan), { [CONFIG]: ['update'], [ENDPOINT]: ['update'] }, 'drift is an in-place update, never a replacement');
  await ws.ok(['apply', '-auto-approve', '-input=false', '-no-color', 'tfplan']);
  t.same(await acc.aws.tags(config.arn as string), { Name: 'cfg' });
  t.same(await acc.aws.tags(endpoint.arn as string), { Name: 'ep' });
  await settled(t, ws);
  await ws.destroy();
});

t.test('a variant weight a 32-bit float cannot hold (0.1) is stored as written, and the plan stays empty', async (t) => {
  const names = newNames();
  const ws = new Workspace();
  t.teardown(() => ws.cleanup());
  ws.config(inference(names).replace('    initial_instance_count = 1\n', '    initial_instance_count = 1\n    initial_variant_weight = 0.1\n'));
  await ws.apply();
  const variants = (await ws.resource(CONFIG)).production_variants as Record<string, unknown>[];
  t.equal(variants[0].initial_variant_weight, 0.1, 'not 0.10000000149011612 (hashicorp/aws then replaces it on every plan)');
  await settled(t, ws);
  await ws.destroy();
});

t.test('with no hashicorp/aws binary (TF_AWS_UPSTREAM_PROVIDER=none): a model, a configuration and an endpoint apply, plan empty, import and destroy', async (t) => {
  const names = newNames();
  const ws = new Workspace('ours', { TF_AWS_UPSTREAM_PROVIDER: 'none' });
  t.teardown(() => ws.cleanup());
  ws.config(inference(names));
  const applied = await ws.apply();
  t.match(applied.stdout, /Apply complete! Resources: 3 added/);
  t.equal((await ws.planExitCode()).code, 0, 'the plan after apply is empty');
  const config = await ws.resource(CONFIG);
  await ws.ok(['state', 'rm', 'aws_sagemaker_model.test', CONFIG, ENDPOINT]);
  ws.write({
    'imports.tf': [
      ['aws_sagemaker_model.test', names.model],
      [CONFIG, config.name as string],
      [ENDPOINT, names.endpoint],
    ]
      .map(([to, id]) => `import {\n  to = ${to}\n  id = "${id}"\n}\n`)
      .join('\n'),
  });
  const imported = await ws.apply();
  t.match(imported.stdout, /Apply complete! Resources: 3 imported, 0 added, 0 changed, 0 destroyed/);
  t.equal((await ws.planExitCode()).code, 0, 'the plan after import is empty');
  await ws.destroy();
  t.equal(await acc.aws.endpoint(names.endpoint), null);
  t.equal(await acc.aws.endpointConfig(config.name as string), null);
  t.equal(await acc.aws.model(names.model), null);
});

t.test('examples/inference: the documented model, endpoint configuration and endpoint apply, plan empty and destroy', { skip: ACC_TARGET === 'aws' ? 'the example is for a local endpoint' : false }, async (t) => {
  const ws = new Workspace('ours', { TF_VAR_endpoint: acc.target.url! });
  t.teardown(() => ws.cleanup());
  ws.config(readFileSync(join(repoRoot, 'examples/inference/main.tf'), 'utf8'));
  await ws.apply();
  const endpointName = (await ws.resource('aws_sagemaker_endpoint.example')).name as string;
  t.equal((await acc.aws.endpoint(endpointName))?.EndpointStatus, 'InService');
  t.equal((await ws.planExitCode()).code, 0, 'the plan after apply is empty');
  await ws.destroy();
  t.equal(await acc.aws.endpoint(endpointName), null);
});
