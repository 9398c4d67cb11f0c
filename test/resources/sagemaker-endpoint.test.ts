// aws_sagemaker_endpoint_configuration and aws_sagemaker_endpoint through the provider engine (validate, plan, apply,
// read, import) against a scripted SageMaker (fake-sagemaker.ts): what is sent, what is waited for, what the state
// holds after success and after failure. The same behaviours through terraform and the embedded endpoint are in
// test/acceptance/sagemaker-endpoint.test.ts; against hashicorp/aws 5.100.0 in test/differential/.
import t from 'tap';
import { completeObject } from '../../src/engine/schema';
import type { ProviderEngine } from '../../src/engine/lifecycle';
import type { AwsMeta } from '../../src/aws/meta';
import { CtyNumber, UNKNOWN, isUnknown, type ObjectValue, type Value } from '../../src/values/value';
import { FakeSageMaker, awsError, engineWith } from './fake-sagemaker';

const CONFIG = 'aws_sagemaker_endpoint_configuration';
const ENDPOINT = 'aws_sagemaker_endpoint';
const signal = new AbortController().signal;

function configOf(engine: ProviderEngine<AwsMeta>, type: string, values: ObjectValue): ObjectValue {
  const block = engine.resource(type).schema.block;
  const withBlocks: ObjectValue = { ...values };
  for (const name of ['production_variants', 'shadow_production_variants']) {
    if (Array.isArray(values[name])) withBlocks[name] = (values[name] as ObjectValue[]).map((v) => completeObject(block.block_types![name].block, v));
  }
  return completeObject(block, withBlocks);
}

/** Plans and applies one resource from nothing; returns the plan and the apply's answer. */
async function create(engine: ProviderEngine<AwsMeta>, type: string, values: ObjectValue) {
  const config = configOf(engine, type, values);
  const plan = engine.planResourceChange(type, null, config, config, signal);
  t.same(plan.diagnostics, [], `${type} plans without diagnostics`);
  const applied = await engine.applyResourceChange(type, null, plan.planned, config, signal);
  return { config, plan, applied };
}

/** Plans and applies a change of an existing resource. */
async function change(engine: ProviderEngine<AwsMeta>, type: string, prior: ObjectValue, values: ObjectValue) {
  const config = configOf(engine, type, values);
  const plan = engine.planResourceChange(type, prior, config, config, signal);
  const applied = plan.requiresReplace.length === 0 ? await engine.applyResourceChange(type, prior, plan.planned, config, signal) : undefined;
  return { plan, applied };
}

const variant = { model_name: 'my-model', instance_type: 'ml.t2.medium', initial_instance_count: CtyNumber.of(1) };
const num = (v: Value) => (v instanceof CtyNumber ? v.toNumber() : v);

t.test('endpoint configuration: what is sent, and the state SDKv2 would store', async (t) => {
  const fake = new FakeSageMaker();
  const engine = await engineWith(fake, { Team: 'ml' });
  const values: ObjectValue = {
    name_prefix: 'cfg-',
    production_variants: [{ ...variant, managed_instance_scaling: [{ status: 'ENABLED', max_instance_count: CtyNumber.of(2) }] }],
    data_capture_config: [
      {
        initial_sampling_percentage: CtyNumber.of(50),
        destination_s3_uri: 's3://bucket/capture',
        capture_options: [{ capture_mode: 'Input' }],
        capture_content_type_header: [{ csv_content_types: ['text/csv'], json_content_types: null }],
      },
    ],
    tags: { Name: 'cfg' },
  };
  const { plan, applied } = await create(engine, CONFIG, values);
  const plannedVariant = (plan.planned!.production_variants as ObjectValue[])[0];
  t.equal(num(plannedVariant.initial_variant_weight), 1, 'the default weight is planned');
  t.ok(isUnknown(plannedVariant.variant_name) && isUnknown(plannedVariant.volume_size_in_gb), 'computed variant values are known after apply');
  t.same(applied.diagnostics, []);

  const sent = fake.calls.find((c) => c.operation === 'CreateEndpointConfig')!.input;
  t.match(sent.EndpointConfigName, /^cfg-\d{18}[0-9a-f]{8}$/, 'a unique name with the prefix');
  const sentVariant = (sent.ProductionVariants as ObjectValue[])[0];
  t.match(sentVariant, { ModelName: 'my-model', InstanceType: 'ml.t2.medium', InitialInstanceCount: 1, InitialVariantWeight: 1, EnableSSMAccess: false });
  t.match(sentVariant.VariantName, /^terraform-\d{18}[0-9a-f]{8}$/, 'a generated variant name');
  t.same(sentVariant.ManagedInstanceScaling, { Status: 'ENABLED', MinInstanceCount: 0, MaxInstanceCount: 2 }, 'an unset minimum is sent as 0, as hashicorp/aws does');
  t.same(sent.DataCaptureConfig, {
    InitialSamplingPercentage: 50,
    DestinationS3Uri: 's3://bucket/capture',
    CaptureOptions: [{ CaptureMode: 'Input' }],
    EnableCapture: false,
    KmsKeyId: undefined,
    CaptureContentTypeHeader: { CsvContentTypes: ['text/csv'], JsonContentTypes: undefined },
  });
  t.same(sent.Tags, [{ Key: 'Team', Value: 'ml' }, { Key: 'Name', Value: 'cfg' }], 'default tags merged with the resource tags');
  t.equal(sent.ShadowProductionVariants, undefined);

  const state = applied.state!;
  t.equal(state.id, sent.EndpointConfigName);
  t.equal(state.name_prefix, 'cfg-', 'name_prefix read back from the generated name');
  t.match(state.arn, /:endpoint-config\/cfg-/);
  t.equal(state.kms_key_arn, '');
  t.same(state.tags_all, { Team: 'ml', Name: 'cfg' });
  const stored = (state.production_variants as ObjectValue[])[0];
  t.equal(stored.variant_name, sentVariant.VariantName);
  t.equal(num(stored.volume_size_in_gb), 0, 'not returned: the zero value SDKv2 stores');
  t.same((stored.managed_instance_scaling as ObjectValue[]).map((s) => [s.status, num(s.min_instance_count), num(s.max_instance_count)]), [['ENABLED', 0, 2]]);
  t.same(stored.core_dump_config, []);

  const read = await engine.readResource(CONFIG, state, signal);
  t.same(read.state, state, 'a refresh reads the same state');
  const again = await change(engine, CONFIG, state, values);
  t.same(again.plan.diagnostics, []);
  t.equal(again.plan.planned, state, 'the same configuration plans no change');
});

t.test('endpoint configuration: any change but tags replaces it; tags change in place', async (t) => {
  const fake = new FakeSageMaker();
  const engine = await engineWith(fake);
  const { applied } = await create(engine, CONFIG, { name: 'cfg', production_variants: [variant], tags: { A: '1' } });
  const state = applied.state!;
  const variantName = (state.production_variants as ObjectValue[])[0].variant_name;
  const replaced = await change(engine, CONFIG, state, { name: 'cfg', production_variants: [{ ...variant, variant_name: variantName, instance_type: 'ml.m5.large' }], tags: { A: '1' } });
  t.same(replaced.plan.requiresReplace, [[{ attr: 'production_variants' }, { index: 0 }, { attr: 'instance_type' }]]);
  const added = await change(engine, CONFIG, state, { name: 'cfg', production_variants: [{ ...variant, variant_name: variantName }, { ...variant, variant_name: 'second' }], tags: { A: '1' } });
  t.same(added.plan.requiresReplace, [[{ attr: 'production_variants' }]], 'another variant replaces it');
  const retagged = await change(engine, CONFIG, state, { name: 'cfg', production_variants: [{ ...variant, variant_name: variantName }], tags: { A: '2' } });
  t.same(retagged.plan.requiresReplace, []);
  t.same(retagged.applied!.diagnostics, []);
  t.same(retagged.applied!.state!.tags, { A: '2' });
  t.same(fake.operations().filter((o) => /Tags$/.test(o) && o !== 'ListTags'), ['AddTags']);
  t.notOk(fake.operations().includes('UpdateEndpointConfig'), 'there is no such call');
});

t.test('endpoint configuration: a variant without model_name sends no weight, and its default weight is no change', async (t) => {
  const fake = new FakeSageMaker();
  const engine = await engineWith(fake);
  const icVariant = { instance_type: 'ml.g5.xlarge', initial_instance_count: CtyNumber.of(1), variant_name: 'ic' };
  const { plan, applied } = await create(engine, CONFIG, { name: 'ic', execution_role_arn: 'arn:aws:iam::123456789012:role/r', production_variants: [icVariant] });
  t.equal((plan.planned!.production_variants as ObjectValue[])[0].initial_variant_weight, null, 'the weight is not planned');
  const sent = (fake.calls.find((c) => c.operation === 'CreateEndpointConfig')!.input.ProductionVariants as ObjectValue[])[0];
  t.equal(sent.InitialVariantWeight, undefined);
  t.equal(sent.EnableSSMAccess, undefined);
  t.equal(sent.ModelName, undefined);
  const state = applied.state!;
  t.equal(num((state.production_variants as ObjectValue[])[0].initial_variant_weight), 0);
  const next = await change(engine, CONFIG, state, { name: 'ic', execution_role_arn: 'arn:aws:iam::123456789012:role/r', production_variants: [icVariant] });
  t.equal(next.plan.planned, state, 'no change, no replacement');

  // A model name known only at apply (a model created in the same run) is a model: the weight is planned and sent.
  const unknownModel = configOf(engine, CONFIG, { name: 'with-model', production_variants: [{ ...variant, model_name: UNKNOWN }] });
  const planned = engine.planResourceChange(CONFIG, null, unknownModel, unknownModel, signal).planned!;
  t.equal(num((planned.production_variants as ObjectValue[])[0].initial_variant_weight), 1);
});

t.test('endpoint configuration: plan-time check of capture_content_type_header, as hashicorp/aws words it', async (t) => {
  const engine = await engineWith(new FakeSageMaker());
  const config = configOf(engine, CONFIG, {
    production_variants: [variant],
    data_capture_config: [
      {
        initial_sampling_percentage: CtyNumber.of(10),
        destination_s3_uri: 's3://b/p',
        capture_options: [{ capture_mode: 'Input' }],
        capture_content_type_header: [{ csv_content_types: null, json_content_types: null }],
      },
    ],
  });
  t.same(engine.validateResourceConfig(CONFIG, config), [], 'validate accepts it');
  const plan = engine.planResourceChange(CONFIG, null, config, config, signal);
  // [5.100.0] the whole text is the summary
  t.same(
    plan.diagnostics.map((d) => d.summary),
    ['Invalid Attribute Combination\n\nAt least one attribute out of [csv_content_types, json_content_types] must be specified\n\nPath: data_capture_config.capture_content_type_header'],
  );
});

t.test('endpoint configuration: gone is removed from state; delete of a gone one succeeds; import by name', async (t) => {
  const fake = new FakeSageMaker();
  const engine = await engineWith(fake);
  const { applied } = await create(engine, CONFIG, { name: 'cfg', production_variants: [variant] });
  fake.configs.clear();
  t.equal((await engine.readResource(CONFIG, applied.state!, signal)).state, null);
  const deleted = await engine.applyResourceChange(CONFIG, applied.state!, null, null, signal);
  t.same(deleted.diagnostics, []);
  fake.failures.set('DescribeEndpointConfig', [awsError('ThrottlingException', 'Rate exceeded')]);
  const failed = await engine.readResource(CONFIG, applied.state!, signal);
  t.match(failed.diagnostics[0].summary, /^reading SageMaker AI Endpoint Configuration \(cfg\): operation error SageMaker: DescribeEndpointConfig, .*ThrottlingException: Rate exceeded$/);
  t.same(failed.state, applied.state, 'another error keeps the state');

  await create(engine, CONFIG, { name: 'imported', production_variants: [variant] });
  const imported = engine.importResourceState(CONFIG, 'imported', signal);
  t.equal(imported.state!.id, 'imported');
  t.equal(imported.state!.region, 'us-west-2');
  const read = await engine.readResource(CONFIG, imported.state!, signal);
  t.equal(read.state!.name, 'imported');
  t.equal((read.state!.production_variants as ObjectValue[])[0].model_name, 'my-model');
  t.equal(engine.importResourceState(CONFIG, 'imported@eu-west-1', signal).state!.region, 'eu-west-1', 'name@region');
});

t.test('endpoint: create waits until InService and reads it', async (t) => {
  const fake = new FakeSageMaker();
  const engine = await engineWith(fake);
  fake.script.push({ through: ['Creating', 'Creating'], settle: 'InService' });
  const { applied } = await create(engine, ENDPOINT, { name: 'ep', endpoint_config_name: 'cfg' });
  t.same(applied.diagnostics, []);
  t.match(applied.state, { id: 'ep', name: 'ep', endpoint_config_name: 'cfg', deployment_config: [] });
  t.match(applied.state!.arn, /:endpoint\/ep$/);
  t.same(fake.operations(), ['CreateEndpoint', 'DescribeEndpoint', 'DescribeEndpoint', 'DescribeEndpoint', 'DescribeEndpoint', 'ListTags'], 'three polls, then a read');
});

t.test('endpoint: a Failed endpoint is an error naming its FailureReason, and stays in the state', async (t) => {
  const fake = new FakeSageMaker();
  const engine = await engineWith(fake);
  fake.script.push({ through: ['Creating'], settle: 'Failed', failureReason: 'Image 123.dkr.ecr/none:1 does not exist.' });
  const { applied } = await create(engine, ENDPOINT, { name: 'ep', endpoint_config_name: 'cfg' });
  t.same(applied.diagnostics.map((d) => d.summary), [
    "waiting for SageMaker AI Endpoint (ep) create: unexpected state 'Failed', wanted target 'InService'. last error: Image 123.dkr.ecr/none:1 does not exist.",
  ]);
  t.match(applied.state, { id: 'ep', endpoint_config_name: 'cfg' }, 'the failed endpoint exists, so it is recorded (Terraform taints it)');
  t.match(applied.state!.arn, /:endpoint\/ep$/);
  t.notOk(fake.operations().includes('DeleteEndpoint'), 'nothing is deleted behind the user');
});

t.test('endpoint: a role SageMaker cannot assume yet: the failed endpoint is deleted and created again', async (t) => {
  const fake = new FakeSageMaker();
  const engine = await engineWith(fake);
  fake.script.push({
    through: ['Creating'],
    settle: 'Failed',
    failureReason:
      'The execution role ARN "arn:aws:iam::123456789012:role/new" is invalid. Please ensure that the role exists and that its trust relationship policy allows the action "sts:AssumeRole" for the service principal "sagemaker.amazonaws.com".',
  });
  const { applied } = await create(engine, ENDPOINT, { name: 'ep', endpoint_config_name: 'cfg' });
  t.same(applied.diagnostics, []);
  t.equal(applied.state!.id, 'ep');
  const ops = fake.operations();
  t.same(ops.filter((o) => o === 'CreateEndpoint' || o === 'DeleteEndpoint'), ['CreateEndpoint', 'DeleteEndpoint', 'CreateEndpoint']);
});

t.test('endpoint: a new endpoint configuration updates it in place and waits; tags alone do not call UpdateEndpoint', async (t) => {
  const fake = new FakeSageMaker();
  const engine = await engineWith(fake);
  const { applied } = await create(engine, ENDPOINT, { name: 'ep', endpoint_config_name: 'cfg-1' });
  fake.calls.length = 0;
  const moved = await change(engine, ENDPOINT, applied.state!, { name: 'ep', endpoint_config_name: 'cfg-2' });
  t.same(moved.plan.requiresReplace, [], 'in place');
  t.same(moved.applied!.diagnostics, []);
  t.equal(moved.applied!.state!.endpoint_config_name, 'cfg-2');
  t.same(fake.operations().slice(0, 3), ['UpdateEndpoint', 'DescribeEndpoint', 'DescribeEndpoint'], 'Updating, then InService');
  fake.calls.length = 0;
  const retagged = await change(engine, ENDPOINT, moved.applied!.state!, { name: 'ep', endpoint_config_name: 'cfg-2', tags: { A: 'b' } });
  t.same(retagged.applied!.diagnostics, []);
  t.same(fake.operations().filter((o) => o !== 'ListTags' && o !== 'DescribeEndpoint'), ['AddTags']);
  const renamed = await change(engine, ENDPOINT, moved.applied!.state!, { name: 'other', endpoint_config_name: 'cfg-2' });
  t.same(renamed.plan.requiresReplace, [[{ attr: 'name' }]]);
});

t.test('endpoint: a failed update is an error, and the state keeps the configuration the endpoint runs', async (t) => {
  const fake = new FakeSageMaker();
  const engine = await engineWith(fake);
  const { applied } = await create(engine, ENDPOINT, { name: 'ep', endpoint_config_name: 'cfg-1' });
  fake.script.push({ through: ['Updating'], settle: 'Failed', failureReason: 'Insufficient capacity.' });
  const moved = await change(engine, ENDPOINT, applied.state!, { name: 'ep', endpoint_config_name: 'cfg-2' });
  t.same(moved.applied!.diagnostics.map((d) => d.summary), [
    "waiting for SageMaker AI Endpoint (ep) update: unexpected state 'Failed', wanted target 'InService'. last error: Insufficient capacity.",
  ]);
  t.equal(moved.applied!.state!.endpoint_config_name, 'cfg-1', 'what exists, not what was planned');
});

t.test('endpoint: a read finds a Deleting endpoint gone; delete waits until it is gone, and tolerates a gone endpoint', async (t) => {
  const fake = new FakeSageMaker();
  const engine = await engineWith(fake);
  const { applied } = await create(engine, ENDPOINT, { name: 'ep', endpoint_config_name: 'cfg' });
  fake.endpoints.get('ep')!.upcoming.push('Deleting');
  t.equal((await engine.readResource(ENDPOINT, applied.state!, signal)).state, null, 'an endpoint being deleted is removed from state');

  const { applied: second } = await create(engine, ENDPOINT, { name: 'ep2', endpoint_config_name: 'cfg' });
  fake.calls.length = 0;
  const deleted = await engine.applyResourceChange(ENDPOINT, second.state!, null, null, signal);
  t.same(deleted.diagnostics, []);
  t.same(fake.operations(), ['DeleteEndpoint', 'DescribeEndpoint', 'DescribeEndpoint', 'DescribeEndpoint'], 'Deleting, Deleting, gone: the wait lasts until SageMaker no longer knows it');
  fake.endpoints.clear();
  t.same((await engine.applyResourceChange(ENDPOINT, second.state!, null, null, signal)).diagnostics, [], 'already gone');

  fake.failures.set('DeleteEndpoint', [awsError('ValidationException', 'Cannot delete: in use.')]);
  const { applied: third } = await create(engine, ENDPOINT, { name: 'ep3', endpoint_config_name: 'cfg' });
  const refused = await engine.applyResourceChange(ENDPOINT, third.state!, null, null, signal);
  t.match(refused.diagnostics[0].summary, /^deleting SageMaker AI Endpoint \(ep3\): operation error SageMaker: DeleteEndpoint, .*ValidationException: Cannot delete: in use\.$/);
  t.equal(refused.state!.id, 'ep3', 'a delete that failed keeps the endpoint in state');
});

t.test('endpoint: deployment_config is sent and read back; exactly one update policy', async (t) => {
  const fake = new FakeSageMaker();
  const engine = await engineWith(fake);
  const rolling = {
    wait_interval_in_seconds: CtyNumber.of(60),
    maximum_batch_size: [{ type: 'CAPACITY_PERCENT', value: CtyNumber.of(50) }],
    rollback_maximum_batch_size: [],
    maximum_execution_timeout_in_seconds: null,
  };
  const block = engine.resource(ENDPOINT).schema.block.block_types!.deployment_config.block;
  const deployment = [completeObject(block, { rolling_update_policy: [rolling] })];
  const { applied } = await create(engine, ENDPOINT, { name: 'ep', endpoint_config_name: 'cfg', deployment_config: deployment });
  t.same(fake.calls[0].input.DeploymentConfig, {
    BlueGreenUpdatePolicy: undefined,
    AutoRollbackConfiguration: undefined,
    RollingUpdatePolicy: { WaitIntervalInSeconds: 60, MaximumExecutionTimeoutInSeconds: undefined, MaximumBatchSize: { Type: 'CAPACITY_PERCENT', Value: 50 }, RollbackMaximumBatchSize: undefined },
  });
  const policy = ((applied.state!.deployment_config as ObjectValue[])[0].rolling_update_policy as ObjectValue[])[0];
  t.same([num(policy.wait_interval_in_seconds), num(policy.maximum_execution_timeout_in_seconds)], [60, 0], 'an unset timeout reads as 0, as in hashicorp/aws');
  const both = configOf(engine, ENDPOINT, {
    endpoint_config_name: 'cfg',
    deployment_config: [completeObject(block, { rolling_update_policy: [rolling], blue_green_update_policy: [completeObject(block.block_types!.blue_green_update_policy.block, {})] })],
  });
  t.same(engine.validateResourceConfig(ENDPOINT, both).map((d) => d.summary), ['Invalid combination of arguments', 'Invalid combination of arguments']);
});
