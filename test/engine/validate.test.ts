// Schema-driven validation of relations between arguments (src/engine/validate.ts), with SDKv2's wording and
// order. Texts marked [5.100.0] were printed by `terraform validate` with hashicorp/aws 5.100.0.
import t from 'tap';
import { validateObject } from '../../src/engine/validate';
import { completeObject, type SchemaBlock } from '../../src/engine/schema';
import { CtyNumber, UNKNOWN, type ObjectValue } from '../../src/values/value';
import { registerAwsExtensions } from '../../src/aws/extensions';
import endpointSchema from '../../provider-schema/resources/aws_sagemaker_endpoint.json';
import configSchema from '../../provider-schema/resources/aws_sagemaker_endpoint_configuration.json';

registerAwsExtensions();

const endpoint = (endpointSchema as unknown as { block: SchemaBlock }).block;
const deployment = (blocks: ObjectValue) => completeObject(endpoint, { endpoint_config_name: 'x', deployment_config: [completeObject(endpoint.block_types!.deployment_config.block, blocks)] });
const capacity = { type: 'INSTANCE_COUNT', value: CtyNumber.of(1) };
const blueGreen = { traffic_routing_configuration: [{ type: 'ALL_AT_ONCE', wait_interval_in_seconds: CtyNumber.of(0), canary_size: [], linear_step_size: [] }], termination_wait_in_seconds: CtyNumber.of(4000), maximum_execution_timeout_in_seconds: null };
const rolling = { wait_interval_in_seconds: CtyNumber.of(1), maximum_batch_size: [capacity], rollback_maximum_batch_size: [], maximum_execution_timeout_in_seconds: null };
const describe = (config: ObjectValue) => validateObject(endpoint, config).map((d) => ({ summary: d.summary, detail: d.detail, path: JSON.stringify(d.path) }));
const policyPath = (name: string) => JSON.stringify([{ attr: 'deployment_config' }, { index: 0 }, { attr: name }]);

t.test('exactly one of two blocks: both present is an error on each, and their content is not validated', async (t) => {
  const only = '`deployment_config.0.blue_green_update_policy,deployment_config.0.rolling_update_policy`';
  // [5.100.0]
  t.same(describe(deployment({ blue_green_update_policy: [blueGreen], rolling_update_policy: [rolling] })), [
    {
      summary: 'Invalid combination of arguments',
      detail: `"deployment_config.0.blue_green_update_policy": only one of ${only} can be specified, but ${only} were specified.`,
      path: policyPath('blue_green_update_policy'),
    },
    {
      summary: 'Invalid combination of arguments',
      detail: `"deployment_config.0.rolling_update_policy": only one of ${only} can be specified, but ${only} were specified.`,
      path: policyPath('rolling_update_policy'),
    },
  ]);
});

t.test('exactly one of two blocks: neither is an error on each', async (t) => {
  const only = '`deployment_config.0.blue_green_update_policy,deployment_config.0.rolling_update_policy`';
  // [5.100.0]
  t.same(describe(deployment({})).map((d) => d.detail), [
    `"deployment_config.0.blue_green_update_policy": one of ${only} must be specified`,
    `"deployment_config.0.rolling_update_policy": one of ${only} must be specified`,
  ]);
});

t.test('exactly one of two blocks: one is fine, and its content is validated', async (t) => {
  // [5.100.0]
  t.same(describe(deployment({ blue_green_update_policy: [blueGreen] })).map((d) => d.summary), [
    'expected deployment_config.0.blue_green_update_policy.0.termination_wait_in_seconds to be in the range (0 - 3600), got 4000',
  ]);
  t.same(describe(deployment({ rolling_update_policy: [rolling] })), []);
  t.same(describe(deployment({ blue_green_update_policy: UNKNOWN })), [], 'an unknown block (dynamic, for_each not known yet) is neither set nor missing');
});

t.test('conflicting arguments: reported on each, named by their keys, and not validated further', async (t) => {
  const config = (configSchema as unknown as { block: SchemaBlock }).block;
  const variant = completeObject(config.block_types!.production_variants.block, { model_name: 'm', instance_type: 'ml.m5.large', initial_instance_count: CtyNumber.of(1) });
  const both = completeObject(config, { name: 'bad_name', name_prefix: 'x', production_variants: [variant] });
  // [5.100.0]
  t.same(
    validateObject(config, both).map((d) => [d.summary, d.detail]),
    [
      ['Conflicting configuration arguments', '"name": conflicts with name_prefix'],
      ['Conflicting configuration arguments', '"name_prefix": conflicts with name'],
    ],
    'the invalid name is not reported besides the conflict',
  );
  t.same(validateObject(config, { ...both, name_prefix: UNKNOWN }).map((d) => d.summary), ['only alphanumeric characters and hyphens allowed in "name": "bad_name"'], 'an unknown value conflicts with nothing yet');
});
