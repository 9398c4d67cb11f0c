// Injected faults, the call log and the admin API.
import t from 'tap';
import { CreateModelCommand, DescribeModelCommand, ListTagsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { CreateRoleCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startEndpoint, type RunningEndpoint } from '../support/endpoint';
import { trustPolicyJson } from '../support/fixtures';
import { awsClientConfig } from './sdk';

const TRUST = trustPolicyJson();

let endpoint: RunningEndpoint;
let sm: SageMakerClient;
let iam: IAMClient;
let roleArn: string;

t.before(async () => {
  endpoint = await startEndpoint();
  sm = new SageMakerClient(awsClientConfig(endpoint.url));
  iam = new IAMClient(awsClientConfig(endpoint.url));
});
t.teardown(async () => {
  sm.destroy();
  iam.destroy();
  await endpoint.stop();
});
t.beforeEach(async () => {
  await endpoint.admin.reset();
  roleArn = (await iam.send(new CreateRoleCommand({ RoleName: 'exec', AssumeRolePolicyDocument: TRUST }))).Role!.Arn!;
});

async function createModel(name: string, client = sm): Promise<string> {
  const out = await client.send(new CreateModelCommand({ ModelName: name, ExecutionRoleArn: roleArn, PrimaryContainer: { Image: 'img' } }));
  return out.ModelArn!;
}

t.test('throttle the next N calls of one operation', async (t) => {
  const arn = await createModel('m');
  await endpoint.admin.faults({ throttle: { operation: 'SageMaker.ListTags', next: 3 } });
  for (let i = 0; i < 3; i++) {
    const error = await sm.send(new ListTagsCommand({ ResourceArn: arn })).catch((e) => e);
    t.equal(error.name, 'ThrottlingException');
    t.equal(error.$metadata.httpStatusCode, 400);
    t.equal(error.message, 'Rate exceeded');
  }
  await sm.send(new DescribeModelCommand({ ModelName: 'm' }));
  t.same((await sm.send(new ListTagsCommand({ ResourceArn: arn }))).Tags, [], 'the fourth call goes through');
  const calls = await endpoint.admin.calls();
  t.equal(calls.counts['SageMaker.ListTags'], 4, 'throttled calls count');
  t.same(
    calls.recent.filter((c) => c.operation === 'ListTags').map((c) => [c.status, c.errorCode]),
    [[400, 'ThrottlingException'], [400, 'ThrottlingException'], [400, 'ThrottlingException'], [200, null]],
  );
  t.same((await endpoint.admin.getFaults()).throttle, [], 'a used-up rule is gone');
});

t.test('the SDK retries throttling and the call log shows every attempt', async (t) => {
  const retrying = new SageMakerClient({ ...awsClientConfig(endpoint.url), maxAttempts: 3 });
  t.teardown(() => retrying.destroy());
  await createModel('m');
  await endpoint.admin.reset('calls');
  await endpoint.admin.faults({ throttle: { operation: 'SageMaker.DescribeModel', next: 2 } });
  const out = await retrying.send(new DescribeModelCommand({ ModelName: 'm' }));
  t.equal(out.$metadata.attempts, 3);
  t.same((await endpoint.admin.calls()).counts, { 'SageMaker.DescribeModel': 3 });
});

t.test('IAM and STS throttle with their own code', async (t) => {
  await endpoint.admin.faults({ throttle: { rate: 1 } });
  const iamError = await iam.send(new GetRoleCommand({ RoleName: 'exec' })).catch((e) => e);
  t.equal(iamError.name, 'Throttling');
  t.equal(iamError.$metadata.httpStatusCode, 400);
  const sts = new STSClient(awsClientConfig(endpoint.url));
  t.teardown(() => sts.destroy());
  t.equal((await sts.send(new GetCallerIdentityCommand({})).catch((e) => e)).name, 'Throttling');
  await endpoint.admin.faults({ throttle: { rate: 0 } });
  t.equal((await iam.send(new GetRoleCommand({ RoleName: 'exec' }))).Role!.RoleName, 'exec', 'rate 0 throttles nothing');
});

t.test('internal errors', async (t) => {
  await endpoint.admin.faults({ internalError: { operation: 'SageMaker.CreateModel', next: 1 } });
  const error = await createModel('m').catch((e) => e);
  t.equal(error.name, 'InternalFailure');
  t.equal(error.$metadata.httpStatusCode, 500);
  t.equal((await endpoint.admin.state()).models.length, 0, 'the call was not performed');
  await createModel('m');
  const iamError = await (async () => {
    await endpoint.admin.faults({ internalError: { operation: 'IAM.GetRole', next: 1 } });
    return iam.send(new GetRoleCommand({ RoleName: 'exec' })).catch((e) => e);
  })();
  t.equal(iamError.name, 'InternalFailure');
  t.equal(iamError.$metadata.httpStatusCode, 500);
});

t.test('latency: the call log shows which calls were held, and for how long', async (t) => {
  await endpoint.admin.faults({ latencyMs: [{ ms: 200, operation: 'IAM.GetRole' }, { ms: 50 }] });
  t.same((await endpoint.admin.getFaults()).latencyMs, [{ ms: 200, operation: 'IAM.GetRole' }, { ms: 50 }]);
  await endpoint.admin.reset('calls');
  t.equal((await iam.send(new GetRoleCommand({ RoleName: 'exec' }))).Role!.RoleName, 'exec', 'the held call is answered');
  await endpoint.admin.faults({ throttle: { operation: 'IAM.GetRole', next: 1 } });
  t.equal((await iam.send(new GetRoleCommand({ RoleName: 'exec' })).catch((e) => e)).name, 'Throttling', 'a fault still applies after the delay');
  await endpoint.admin.faults({ latencyMs: [] });
  await iam.send(new GetRoleCommand({ RoleName: 'exec' }));
  t.same(
    (await endpoint.admin.calls()).recent.map((c) => [c.operation, c.status, c.latencyMs]),
    [
      ['GetRole', 200, 250],
      ['GetRole', 400, 250],
      ['GetRole', 200, 0],
    ],
    'rules for the operation and for every operation add up; none once cleared',
  );
});

t.test('dropped connections', async (t) => {
  await endpoint.admin.faults({ dropConnection: { operation: 'SageMaker.CreateModel', next: 1 } });
  const before = await createModel('first').catch((e) => e);
  t.match(before, { code: 'ECONNRESET', message: 'socket hang up' }, 'the connection closes without an answer');
  t.equal((await endpoint.admin.state()).models.length, 0, '"before": not performed');

  await endpoint.admin.faults({ dropConnection: { operation: 'SageMaker.CreateModel', next: 1, after: 'request' } });
  const afterRequest = await createModel('second').catch((e) => e);
  t.match(afterRequest, { code: 'ECONNRESET', message: 'socket hang up' }, 'no answer reaches the client');
  t.same((await endpoint.admin.state()).models.map((m) => m.name), ['second'], '"request": performed all the same');

  await endpoint.admin.faults({ dropConnection: { operation: 'SageMaker.CreateModel', next: 1, after: 'response' } });
  t.match(await createModel('third'), /model\/third$/, '"response": the answer arrives before the drop');
  // The next request may race the close on the same keep-alive socket: a retrying client recovers, as clients must.
  const retrying = new SageMakerClient({ ...awsClientConfig(endpoint.url), maxAttempts: 3 });
  t.teardown(() => retrying.destroy());
  t.match(await createModel('fourth', retrying), /model\/fourth$/, 'the client reconnects');

  const recent = (await endpoint.admin.calls()).recent.filter((c) => c.operation === 'CreateModel');
  t.same(
    recent.map((c) => [c.status, c.errorCode]),
    [[0, 'DroppedConnection'], [0, 'DroppedConnection'], [200, null], [200, null]],
  );
});

t.test('IAM propagation delay', async (t) => {
  await endpoint.admin.faults({ iamPropagationSeconds: 60 });
  const fresh = (await iam.send(new CreateRoleCommand({ RoleName: 'fresh', AssumeRolePolicyDocument: TRUST }))).Role!.Arn!;
  const error = await sm
    .send(new CreateModelCommand({ ModelName: 'm', ExecutionRoleArn: fresh, PrimaryContainer: { Image: 'img' } }))
    .catch((e) => e);
  t.equal(error.name, 'ValidationException');
  t.match(error.message, new RegExp(`^Could not assume role ${fresh}\\.`));
  await endpoint.admin.faults({ iamPropagationSeconds: 0.3 });
  await new Promise((done) => setTimeout(done, 400));
  const created = await sm.send(new CreateModelCommand({ ModelName: 'm', ExecutionRoleArn: fresh, PrimaryContainer: { Image: 'img' } }));
  t.match(created.ModelArn, /model\/m$/, 'accepted once the role has propagated');
});

t.test('fault settings: show, replace per kind, reject bad input, clear', async (t) => {
  await endpoint.admin.faults({ throttle: { rate: 0.5 }, internalError: [{ operation: 'SageMaker.ListTags', next: 1 }] });
  await endpoint.admin.faults({ throttle: { operation: 'IAM.GetRole', next: 2 } });
  const shown = await endpoint.admin.getFaults();
  t.same(shown.throttle, [{ operation: 'IAM.GetRole', next: 2 }], 'a named kind is replaced');
  t.same(shown.internalError, [{ operation: 'SageMaker.ListTags', next: 1 }], 'other kinds stay');
  for (const bad of [{ throttle: { rate: 2 } }, { throttle: { operation: 'ListTags', next: 1 } }, { nonsense: 1 }, { throttle: {} }, [1]]) {
    await t.rejects(endpoint.admin.faults(bad), /HTTP 400/, JSON.stringify(bad));
  }
  t.same(await endpoint.admin.getFaults(), shown, 'bad requests changed nothing');
  await endpoint.admin.clearFaults();
  t.same(await endpoint.admin.getFaults(), { throttle: [], internalError: [], dropConnection: [], latencyMs: [], iamPropagationSeconds: 0, endpointFailure: [] });
});

t.test('call log: counts, recent with a limit, partial and full reset', async (t) => {
  await endpoint.admin.reset('calls');
  await createModel('m');
  await sm.send(new DescribeModelCommand({ ModelName: 'm' }));
  await sm.send(new DescribeModelCommand({ ModelName: 'm' }));
  await iam.send(new GetRoleCommand({ RoleName: 'exec' }));
  const calls = await endpoint.admin.calls();
  t.same(calls.counts, { 'SageMaker.CreateModel': 1, 'SageMaker.DescribeModel': 2, 'IAM.GetRole': 1 });
  t.equal(calls.recent.length, 4);
  t.same(calls.recent[0], { service: 'SageMaker', operation: 'CreateModel', status: 200, errorCode: null, latencyMs: 0, accessKeyId: 'test', time: calls.recent[0].time });
  t.ok(!Number.isNaN(Date.parse(calls.recent[0].time)));
  const last = await endpoint.admin.calls(1);
  t.same(last.recent.map((c) => c.operation), ['GetRole'], 'limit keeps the newest');
  t.same(last.counts, calls.counts, 'counts are not limited');

  await endpoint.admin.reset('calls');
  t.same(await endpoint.admin.calls(), { counts: {}, recent: [] });
  t.equal((await endpoint.admin.state()).models.length, 1, 'resetting calls keeps the state');
  await endpoint.admin.faults({ latencyMs: 1 });
  await endpoint.admin.reset();
  t.same(await endpoint.admin.state(), { models: [], endpointConfigs: [], endpoints: [], roles: [], policies: [], buckets: [] });
  t.same((await endpoint.admin.getFaults()).latencyMs, [], 'a full reset clears faults');
});

t.test('faults from flags', async (t) => {
  const flagged = await startEndpoint([
    '--throttle-rate',
    '1',
    '--faults',
    '{"internalError":{"operation":"STS.GetCallerIdentity","next":1}}',
    '--iam-propagation-seconds',
    '5',
  ]);
  t.teardown(() => flagged.stop());
  const faults = await flagged.admin.getFaults();
  t.same(faults.throttle, [{ rate: 1 }]);
  t.same(faults.internalError, [{ operation: 'STS.GetCallerIdentity', next: 1 }]);
  t.equal(faults.iamPropagationSeconds, 5);
  const sts = new STSClient(awsClientConfig(flagged.url));
  t.teardown(() => sts.destroy());
  t.equal((await sts.send(new GetCallerIdentityCommand({})).catch((e) => e)).name, 'Throttling');
});

t.test('bad flags stop the endpoint with a usage message', async (t) => {
  await t.rejects(startEndpoint(['--throttle-rate', 'lots']), /--throttle-rate needs a number in 0\.\.1/);
  await t.rejects(startEndpoint(['--no-such-flag']), /unknown argument --no-such-flag/);
});
