// STS, the wire formats themselves, signing requirements and the health check.
import t from 'tap';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeModelCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { startEndpoint, type RunningEndpoint } from '../support/endpoint';
import { awsClientConfig } from './sdk';

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' }],
});
const FAKE_AUTH = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`;

let endpoint: RunningEndpoint;

t.before(async () => {
  endpoint = await startEndpoint();
});
t.teardown(() => endpoint.stop());
t.beforeEach(() => endpoint.admin.reset());

t.test('GetCallerIdentity', async (t) => {
  const sts = new STSClient(awsClientConfig(endpoint.url));
  t.teardown(() => sts.destroy());
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  t.equal(identity.Account, '000000000000');
  t.equal(identity.Arn, 'arn:aws:iam::000000000000:root');
  t.ok(identity.UserId);
  const numbered = new STSClient(awsClientConfig(endpoint.url, 'us-east-1', '123456789012'));
  t.teardown(() => numbered.destroy());
  t.equal((await numbered.send(new GetCallerIdentityCommand({}))).Account, '123456789012', 'a 12-digit access key names the account');
});

t.test('AssumeRole hands out credentials that act as the role', async (t) => {
  const config = awsClientConfig(endpoint.url, 'us-east-1', '444455556666');
  const iam = new IAMClient(config);
  const sts = new STSClient(config);
  t.teardown(() => {
    iam.destroy();
    sts.destroy();
  });
  const role = (await iam.send(new CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: TRUST }))).Role!;
  const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'tf-session', DurationSeconds: 900 }));
  t.match(assumed.Credentials!.AccessKeyId, /^ASIA[A-Z0-9]{16}$/);
  t.ok(assumed.Credentials!.SessionToken);
  t.ok(assumed.Credentials!.Expiration!.getTime() > Date.now());
  t.equal(assumed.AssumedRoleUser!.Arn, 'arn:aws:sts::444455556666:assumed-role/deployer/tf-session');
  t.equal(assumed.AssumedRoleUser!.AssumedRoleId, `${role.RoleId}:tf-session`);

  const asRole = new STSClient({
    ...awsClientConfig(endpoint.url),
    credentials: {
      accessKeyId: assumed.Credentials!.AccessKeyId!,
      secretAccessKey: assumed.Credentials!.SecretAccessKey!,
      sessionToken: assumed.Credentials!.SessionToken!,
    },
  });
  t.teardown(() => asRole.destroy());
  const identity = await asRole.send(new GetCallerIdentityCommand({}));
  t.equal(identity.Account, '444455556666');
  t.equal(identity.Arn, 'arn:aws:sts::444455556666:assumed-role/deployer/tf-session');

  const missing = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::444455556666:role/none', RoleSessionName: 's1' })).catch((e) => e);
  t.equal(missing.name, 'AccessDenied');
  t.equal(missing.$metadata.httpStatusCode, 403);
  const tooLong = await sts.send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 's1', DurationSeconds: 7200 })).catch((e) => e);
  t.equal(tooLong.message, 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
});

t.test('unsigned requests get AWS errors', async (t) => {
  const sagemaker = await fetch(endpoint.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'SageMaker.ListModels' },
    body: '{}',
  });
  t.equal(sagemaker.status, 400);
  t.equal(sagemaker.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
  t.same(await sagemaker.json(), { __type: 'MissingAuthenticationTokenException', message: 'Request is missing Authentication Token' });

  const sts = await fetch(endpoint.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
  });
  t.equal(sts.status, 403);
  const xml = await sts.text();
  t.match(xml, /^<ErrorResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>MissingAuthenticationToken<\/Code>/);

  const malformed = await fetch(endpoint.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'SageMaker.ListModels', authorization: 'Bearer nothing' },
    body: '{}',
  });
  t.equal(malformed.status, 400);
  t.equal(((await malformed.json()) as { __type: string }).__type, 'IncompleteSignatureException');

  const calls = await endpoint.admin.calls();
  t.equal(calls.counts['SageMaker.ListModels'], 2, 'rejected calls are logged');
  t.equal(calls.counts['STS.GetCallerIdentity'], 1);
});

t.test('wire formats', async (t) => {
  const json = await fetch(endpoint.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'SageMaker.DescribeModel', authorization: FAKE_AUTH('sagemaker') },
    body: '{"ModelName":"absent"}',
  });
  t.equal(json.status, 400);
  t.equal(json.headers.get('content-type'), 'application/x-amz-json-1.1');
  t.equal(json.headers.get('x-amzn-errortype'), 'ValidationException');
  t.ok(json.headers.get('x-amzn-requestid'));
  t.same(await json.json(), { __type: 'ValidationException', message: 'Could not find model "arn:aws:sagemaker:us-east-1:000000000000:model/absent".' });

  const xml = await fetch(endpoint.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: FAKE_AUTH('iam') },
    body: 'Action=GetRole&Version=2010-05-08&RoleName=%3Cx%3E',
  });
  t.equal(xml.status, 400, 'an invalid name is a validation error');
  const text = await xml.text();
  t.match(text, /<Code>ValidationError<\/Code><Message>1 validation error detected: Value '&lt;x&gt;' at 'roleName'/);

  const ok = await fetch(endpoint.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: FAKE_AUTH('sts') },
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
  });
  t.equal(ok.status, 200);
  t.match(await ok.text(), /^<GetCallerIdentityResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><GetCallerIdentityResult><UserId>/);

  const unknownAction = await fetch(endpoint.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: FAKE_AUTH('iam') },
    body: 'Action=CreateUser&Version=2010-05-08&UserName=u',
  });
  t.equal(unknownAction.status, 400);
  t.match(await unknownAction.text(), /<Code>InvalidAction<\/Code>/);

  const unknownOperation = await fetch(endpoint.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'SageMaker.CreateTrainingJob', authorization: FAKE_AUTH('sagemaker') },
    body: '{}',
  });
  t.equal(unknownOperation.status, 400);
  t.equal(((await unknownOperation.json()) as { __type: string }).__type, 'UnknownOperationException');
});

t.test('SDK errors carry the SageMaker code', async (t) => {
  const sm = new SageMakerClient(awsClientConfig(endpoint.url));
  t.teardown(() => sm.destroy());
  const error = await sm.send(new DescribeModelCommand({ ModelName: 'absent' })).catch((e) => e);
  t.equal(error.name, 'ValidationException');
  t.equal(error.$fault, 'client');
});

t.test('health check in LocalStack form', async (t) => {
  const health = await fetch(`${endpoint.url}/_localstack/health`);
  t.equal(health.status, 200);
  const body = (await health.json()) as { services: Record<string, string> };
  t.same(body.services, { iam: 'running', s3: 'running', sagemaker: 'running', sts: 'running' });
});
