// aws_sagemaker_endpoint at its edges, against the scripted SageMaker on the fast clock: a blue/green deployment
// configuration sent and read back whole, a changed deployment configuration alone updating the endpoint, the errors
// of each call with the operation that failed, the state after a failed wait, an update SageMaker rolled back, a delete
// whose wait fails, and how long a role SageMaker cannot assume is waited for (hashicorp/aws: IAM propagation, 2 minutes).
import t from 'tap';
import type { ProviderEngine } from '../../src/engine/lifecycle';
import type { AwsMeta } from '../../src/aws/meta';
import { CtyNumber, type ObjectValue, type Value } from '../../src/values/value';
import { FakeSageMaker, awsError, completed, engineWith } from './fake-sagemaker';
import { onFastClock } from '../support/resources-clock';

const ENDPOINT = 'aws_sagemaker_endpoint';
const signal = new AbortController().signal;
const n = (v: number) => CtyNumber.of(v);
const ROLE_NOT_ASSUMABLE =
  'The execution role ARN "arn:aws:iam::123456789012:role/new" is invalid. Please ensure that the role exists and that its trust relationship policy allows the action "sts:AssumeRole" for the service principal "sagemaker.amazonaws.com".';


async function setUp() {
  const fake = new FakeSageMaker();
  const engine = await engineWith(fake);
  return { fake, engine };
}

async function apply(engine: ProviderEngine<AwsMeta>, prior: ObjectValue | null, values: ObjectValue | null) {
  const config = values && completed(engine.resource(ENDPOINT).schema.block, values);
  const plan = config ? engine.planResourceChange(ENDPOINT, prior, config, config, signal) : null;
  if (plan && plan.diagnostics.length > 0) throw new Error(`planned with diagnostics: ${JSON.stringify(plan.diagnostics)}`);
  const { value, elapsedMs } = await onFastClock(() => engine.applyResourceChange(ENDPOINT, prior, plan ? plan.planned : null, config, signal));
  return { ...value, elapsedMs, requiresReplace: plan?.requiresReplace ?? [] };
}

const blueGreen: ObjectValue = {
  blue_green_update_policy: [
    {
      termination_wait_in_seconds: n(120),
      maximum_execution_timeout_in_seconds: n(1800),
      traffic_routing_configuration: [{ type: 'CANARY', wait_interval_in_seconds: n(300), canary_size: [{ type: 'INSTANCE_COUNT', value: n(1) }] }],
    },
  ],
  auto_rollback_configuration: [{ alarms: [{ alarm_name: 'errors' }, { alarm_name: 'latency' }] }],
};

t.test('a blue/green deployment configuration is sent whole and read back as configured', async (t) => {
  const { fake, engine } = await setUp();
  const created = await apply(engine, null, { name: 'bg', endpoint_config_name: 'cfg', deployment_config: [blueGreen] });
  t.same(created.diagnostics, []);
  t.same(fake.calls[0].input.DeploymentConfig, {
    BlueGreenUpdatePolicy: {
      TerminationWaitInSeconds: 120,
      TrafficRoutingConfiguration: { Type: 'CANARY', WaitIntervalInSeconds: 300, CanarySize: { Type: 'INSTANCE_COUNT', Value: 1 }, LinearStepSize: undefined },
      MaximumExecutionTimeoutInSeconds: 1800,
    },
    AutoRollbackConfiguration: { Alarms: [{ AlarmName: 'errors' }, { AlarmName: 'latency' }] },
    RollingUpdatePolicy: undefined,
  });
  const [deployment] = created.state!.deployment_config as ObjectValue[];
  t.same(deployment.auto_rollback_configuration, blueGreen.auto_rollback_configuration);
  t.same(deployment.rolling_update_policy, []);
  const [policy] = deployment.blue_green_update_policy as ObjectValue[];
  t.same(policy.termination_wait_in_seconds, n(120));
  t.same(policy.maximum_execution_timeout_in_seconds, n(1800));
  t.same(policy.traffic_routing_configuration, [{ type: 'CANARY', wait_interval_in_seconds: n(300), canary_size: [{ type: 'INSTANCE_COUNT', value: n(1) }], linear_step_size: [] }]);

  // What SageMaker may leave out of the deployment it describes is stored as SDKv2 stores it.
  fake.endpoints.get('bg')!.LastDeploymentConfig = {
    BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { LinearStepSize: {} } },
    AutoRollbackConfiguration: { Alarms: [{}] },
    RollingUpdatePolicy: { MaximumBatchSize: { Type: 'CAPACITY_PERCENT' } },
  };
  const read = (await engine.readResource(ENDPOINT, created.state!, signal)).state!;
  const [sparse] = read.deployment_config as ObjectValue[];
  t.same(sparse.auto_rollback_configuration, [{ alarms: [{ alarm_name: '' }] }]);
  const [sparsePolicy] = sparse.blue_green_update_policy as ObjectValue[];
  t.same(sparsePolicy.termination_wait_in_seconds, n(0));
  t.same(sparsePolicy.traffic_routing_configuration, [{ type: '', wait_interval_in_seconds: n(0), canary_size: [], linear_step_size: [{ type: '', value: n(0) }] }]);
  const [rolling] = sparse.rolling_update_policy as ObjectValue[];
  t.same(rolling.maximum_batch_size, [{ type: 'CAPACITY_PERCENT', value: n(0) }]);
  t.same(rolling.rollback_maximum_batch_size, []);
  fake.endpoints.get('bg')!.LastDeploymentConfig = { AutoRollbackConfiguration: {} };
  const noAlarms = (await engine.readResource(ENDPOINT, created.state!, signal)).state!;
  t.same((noAlarms.deployment_config as ObjectValue[])[0].auto_rollback_configuration, [{ alarms: [] }]);
  t.same((noAlarms.deployment_config as ObjectValue[])[0].blue_green_update_policy, []);
  fake.endpoints.get('bg')!.LastDeploymentConfig = { RollingUpdatePolicy: { WaitIntervalInSeconds: 30 } };
  const rollingOnly = ((await engine.readResource(ENDPOINT, created.state!, signal)).state!.deployment_config as ObjectValue[])[0];
  t.same([rollingOnly.blue_green_update_policy, rollingOnly.auto_rollback_configuration], [[], []]);
});

t.test('an automatic roll-back without alarms sends none', async (t) => {
  const { fake, engine } = await setUp();
  const created = await apply(engine, null, { name: 'ep', endpoint_config_name: 'cfg', deployment_config: [{ ...blueGreen, auto_rollback_configuration: [{}] }] });
  t.same(created.diagnostics, []);
  t.same((fake.calls[0].input.DeploymentConfig as ObjectValue).AutoRollbackConfiguration, { Alarms: undefined });
});

t.test('create: an endpoint going through a system update is waited for; one deleted as soon as it is InService is an error', async (t) => {
  const { fake, engine } = await setUp();
  fake.script.push({ through: ['Creating', 'SystemUpdating'], settle: 'InService' });
  const created = await apply(engine, null, { name: 'ep', endpoint_config_name: 'cfg' });
  t.same(created.diagnostics, []);
  t.equal(created.state!.id, 'ep');

  const send = fake.send.bind(fake);
  fake.send = async (command, options) => {
    const answer = (await send(command, options)) as ObjectValue;
    if (command.constructor.name === 'DescribeEndpointCommand' && answer.EndpointStatus === 'InService') fake.endpoints.get('ep2')!.upcoming.push('Deleting');
    return answer;
  };
  const deleting = await apply(engine, null, { name: 'ep2', endpoint_config_name: 'cfg' });
  t.same(deleting.diagnostics.map((d) => d.summary), ['reading SageMaker AI Endpoint (ep2): operation error SageMaker: DescribeEndpoint, endpoint not found']);
});

t.test('create: the state after a failed wait is what the wait saw last; nothing when the endpoint never appeared', async (t) => {
  const { fake, engine } = await setUp();
  fake.script.push({ through: ['Creating'], settle: 'Failed', failureReason: 'Image not found.' });
  const send = fake.send.bind(fake);
  fake.send = async (command, options) => {
    const answer = (await send(command, options)) as ObjectValue;
    // Once it is seen Failed, it can no longer be described: the state comes from what the wait saw.
    if (command.constructor.name === 'DescribeEndpointCommand' && answer.EndpointStatus === 'Failed') fake.failures.set('DescribeEndpoint', [awsError('AccessDeniedException', 'no describe')]);
    return answer;
  };
  const failed = await apply(engine, null, { name: 'ep', endpoint_config_name: 'cfg' });
  t.match(failed.diagnostics.map((d) => d.summary), [/unexpected state 'Failed'.*Image not found\.$/]);
  t.match(failed.state, { id: 'ep', arn: /:endpoint\/ep$/ });
  t.equal(fake.operations().filter((o) => o === 'DescribeEndpoint').length, 2, 'not described again');
  fake.send = send;
  fake.failures.delete('DescribeEndpoint');

  fake.script.push({ through: [], settle: 'Gone' });
  const never = await apply(engine, null, { name: 'never', endpoint_config_name: 'cfg' });
  t.match(never.diagnostics.map((d) => d.summary), [/^waiting for SageMaker AI Endpoint \(never\) create: couldn't find resource/]);
  t.equal(never.state, null);
});

t.test('a changed deployment configuration alone updates the endpoint; an unchanged one does not', async (t) => {
  const { fake, engine } = await setUp();
  const state = (await apply(engine, null, { name: 'ep', endpoint_config_name: 'cfg', deployment_config: [blueGreen] })).state!;
  fake.calls.length = 0;
  const same = await apply(engine, state, { name: 'ep', endpoint_config_name: 'cfg', deployment_config: [blueGreen], tags: { A: '1' } });
  t.same(same.diagnostics, []);
  t.notOk(fake.operations().includes('UpdateEndpoint'), 'tags alone: no UpdateEndpoint');
  const linear = {
    ...blueGreen,
    blue_green_update_policy: [{ ...(blueGreen.blue_green_update_policy as ObjectValue[])[0], traffic_routing_configuration: [{ type: 'LINEAR', wait_interval_in_seconds: n(60), linear_step_size: [{ type: 'CAPACITY_PERCENT', value: n(25) }] }] }],
  };
  fake.calls.length = 0;
  const changed = await apply(engine, same.state!, { name: 'ep', endpoint_config_name: 'cfg', deployment_config: [linear], tags: { A: '1' } });
  t.same(changed.requiresReplace, []);
  t.same(changed.diagnostics, []);
  const update = fake.calls.find((c) => c.operation === 'UpdateEndpoint');
  t.match(update?.input, { EndpointName: 'ep', EndpointConfigName: 'cfg', DeploymentConfig: { BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: 'LINEAR', LinearStepSize: { Type: 'CAPACITY_PERCENT', Value: 25 } } } } });
});

t.test('each call\'s error names SageMaker and the operation; the state holds what exists', async (t) => {
  const { fake, engine } = await setUp();
  fake.failures.set('CreateEndpoint', [awsError('ResourceLimitExceeded', 'too many endpoints')]);
  const refused = await apply(engine, null, { name: 'ep', endpoint_config_name: 'cfg' });
  t.same(refused.diagnostics.map((d) => d.summary), [refused.diagnostics[0].summary]);
  t.match(refused.diagnostics[0].summary, /^creating SageMaker AI Endpoint \(ep\): operation error SageMaker: CreateEndpoint, .*ResourceLimitExceeded: too many endpoints$/);
  t.equal(refused.state, null, 'nothing created');

  // The wait sees it InService; the read after it fails: the endpoint exists, so it stays in the state.
  const send = fake.send.bind(fake);
  let describes = 0;
  fake.send = async (command, options) => {
    if (command.constructor.name === 'DescribeEndpointCommand' && ++describes === 3) throw awsError('AccessDeniedException', 'no describe');
    return send(command, options);
  };
  const unread = await apply(engine, null, { name: 'ep', endpoint_config_name: 'cfg' });
  t.match(unread.diagnostics.map((d) => d.summary), [/^reading SageMaker AI Endpoint \(ep\): operation error SageMaker: DescribeEndpoint, .*AccessDeniedException: no describe$/]);
  t.match(unread.state, { id: 'ep', name: 'ep', endpoint_config_name: 'cfg' });
  fake.send = send;

  const state = (await engine.readResource(ENDPOINT, unread.state!, signal)).state!;
  t.match(state.arn, /:endpoint\/ep$/);
  fake.failures.set('DescribeEndpoint', [awsError('ThrottlingException', 'Rate exceeded')]);
  const failedRead = await engine.readResource(ENDPOINT, state, signal);
  t.match(failedRead.diagnostics.map((d) => d.summary), [/^reading SageMaker AI Endpoint \(ep\): .*DescribeEndpoint, .*ThrottlingException: Rate exceeded$/]);
  t.same(failedRead.state, state, 'another error keeps the state');
  t.equal(fake.calls.at(-1)!.abortSignal, signal, 'a read can be cancelled');

  fake.failures.set('UpdateEndpoint', [awsError('ValidationException', 'config cfg-2 not found')]);
  const notUpdated = await apply(engine, state, { name: 'ep', endpoint_config_name: 'cfg-2' });
  t.match(notUpdated.diagnostics.map((d) => d.summary), [/^updating SageMaker AI Endpoint \(ep\): operation error SageMaker: UpdateEndpoint, .*ValidationException: config cfg-2 not found$/]);
  t.equal(notUpdated.state!.endpoint_config_name, 'cfg', 'the endpoint still runs its configuration');

  // Gone once updated: the update reads nothing back.
  fake.calls.length = 0;
  fake.send = async (command, options) => {
    const answer = await send(command, options);
    if (command.constructor.name === 'DescribeEndpointCommand' && fake.calls.filter((c) => c.operation === 'DescribeEndpoint').length === 2) fake.endpoints.delete('ep');
    return answer;
  };
  const vanished = await apply(engine, state, { name: 'ep', endpoint_config_name: 'cfg-3' });
  t.same(vanished.diagnostics.map((d) => d.summary), ['reading SageMaker AI Endpoint (ep): operation error SageMaker: DescribeEndpoint, endpoint not found']);
  fake.send = send;
});

t.test('a wait that fails to read: the state is what exists then, or what was known when that cannot be read', async (t) => {
  const { fake, engine } = await setUp();
  const send = fake.send.bind(fake);
  let describes = 0;
  let failFrom = 1;
  fake.send = async (command, options) => {
    if (command.constructor.name === 'DescribeEndpointCommand' && ++describes >= failFrom && describes < failFrom + 1) throw awsError('AccessDeniedException', 'no describe');
    return send(command, options);
  };
  const created = await apply(engine, null, { name: 'ep', endpoint_config_name: 'cfg' });
  t.match(created.diagnostics.map((d) => d.summary), [/^reading SageMaker AI Endpoint \(ep\): .*AccessDeniedException: no describe$/]);
  t.match(created.state, { id: 'ep', endpoint_config_name: 'cfg' });
  t.match(created.state!.arn, /:endpoint\/ep$/, 'read again after the failure: what exists');

  describes = 0;
  failFrom = 1;
  fake.send = async (command, options) => {
    if (command.constructor.name === 'DescribeEndpointCommand') throw awsError('AccessDeniedException', 'no describe');
    return send(command, options);
  };
  const blind = await apply(engine, null, { name: 'ep2', endpoint_config_name: 'cfg' });
  t.match(blind.diagnostics.map((d) => d.summary), [/AccessDeniedException: no describe$/]);
  t.match(blind.state, { id: 'ep2', name: 'ep2', endpoint_config_name: 'cfg' }, 'unreadable: what was known, so that the endpoint is not forgotten');
  fake.send = send;
});

t.test('an update SageMaker rolled back is an error, and the state keeps the configuration the endpoint runs', async (t) => {
  const { fake, engine } = await setUp();
  const state = (await apply(engine, null, { name: 'ep', endpoint_config_name: 'cfg-1' })).state!;
  fake.script.push({ through: ['Updating'], settle: 'InService', failureReason: 'Alarm errors fired.' });
  const rolledBack = await apply(engine, state, { name: 'ep', endpoint_config_name: 'cfg-2' });
  t.same(rolledBack.diagnostics.map((d) => d.summary), ['waiting for SageMaker AI Endpoint (ep) update: rolled back to endpoint configuration "cfg-1": Alarm errors fired.']);
  t.equal(rolledBack.state!.endpoint_config_name, 'cfg-1');

  // InService on the planned configuration, with a FailureReason left from an earlier failure: a success.
  const send = fake.send.bind(fake);
  fake.send = async (command, options) => {
    const answer = (await send(command, options)) as ObjectValue;
    return command.constructor.name === 'DescribeEndpointCommand' ? { ...answer, FailureReason: 'an older failure' } : answer;
  };
  fake.script.push({ through: ['Updating'], settle: 'InService' });
  const moved = await apply(engine, state, { name: 'ep', endpoint_config_name: 'cfg-2' });
  t.same(moved.diagnostics, [], 'a FailureReason with the planned configuration is no roll-back');
  t.equal(moved.state!.endpoint_config_name, 'cfg-2');
});

t.test('delete: a wait that ends on another state is an error naming the FailureReason', async (t) => {
  const { fake, engine } = await setUp();
  const state = (await apply(engine, null, { name: 'ep', endpoint_config_name: 'cfg' })).state!;
  const send = fake.send.bind(fake);
  fake.send = async (command, options) => {
    const answer = await send(command, options);
    if (command.constructor.name === 'DeleteEndpointCommand') Object.assign(fake.endpoints.get('ep')!, { upcoming: ['Deleting'], settle: 'Failed', FailureReason: 'Deletion failed.' });
    return answer;
  };
  const deleted = await apply(engine, state, null);
  t.same(deleted.diagnostics.map((d) => d.summary), ["waiting for SageMaker AI Endpoint (ep) delete: unexpected state 'Failed', wanted target ''. last error: Deletion failed."]);
  t.same(deleted.state, state, 'it still exists: kept in the state');

  fake.send = send;
  fake.failures.set('DeleteEndpoint', [awsError('ValidationException', 'Could not find model "ep".')]);
  const other = await apply(engine, state, null);
  t.match(other.diagnostics.map((d) => d.summary), [/ValidationException: Could not find model/], 'only a missing endpoint counts as gone');
});

t.test('create: a role SageMaker never comes to assume is tried again for two minutes, then the failure reported', async (t) => {
  const { fake, engine } = await setUp();
  for (let i = 0; i < 1000; i++) fake.script.push({ through: ['Creating'], settle: 'Failed', failureReason: ROLE_NOT_ASSUMABLE });
  const created = await apply(engine, null, { name: 'ep', endpoint_config_name: 'cfg' });
  t.match(created.diagnostics.map((d) => d.summary), [/^waiting for SageMaker AI Endpoint \(ep\) create: unexpected state 'Failed'.*sts:AssumeRole/]);
  t.match(created.state, { id: 'ep' }, 'the failed endpoint exists: it is recorded');
  t.ok(fake.operations().filter((o) => o === 'CreateEndpoint').length > 2, 'created again');
  // The last attempt starts before the two minutes are up (its own wait takes well under 10 s).
  t.ok(created.elapsedMs > 2 * 60_000 - 10_000 && created.elapsedMs <= 2 * 60_000, `for two minutes (clock time ${created.elapsedMs} ms)`);
});

t.test('import: the name is the id, the rest read', async (t) => {
  const { engine } = await setUp();
  await apply(engine, null, { name: 'ep', endpoint_config_name: 'cfg', deployment_config: [blueGreen] });
  const imported = engine.importResourceState(ENDPOINT, 'ep', signal);
  t.same(imported.diagnostics, []);
  t.equal(imported.state!.id, 'ep');
  const read = (await engine.readResource(ENDPOINT, imported.state!, signal)).state!;
  t.match(read, { id: 'ep', name: 'ep', endpoint_config_name: 'cfg' });
  t.equal((read.deployment_config as Value[]).length, 1);
});
