// Malformed, mistyped, oversized and unknown requests must never crash the endpoint or change what it stores.
import t from 'tap';
import { connect } from 'node:net';
import { CreateModelCommand, DescribeModelCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { awsClientConfig, startEndpoint, type RunningEndpoint } from './helpers';

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const auth = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`;

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

// FUZZ_SEED replays or varies a run.
const SEED = Number(process.env.FUZZ_SEED ?? 20240611);
const next = random(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];

// Names that are invalid or name nothing that exists, so no fuzzed call can succeed in changing the state.
const BAD_NAMES: unknown[] = [123, null, '', '-x', 'no-such-model', {}, [], 'a'.repeat(100), '../etc', '__proto__', true, 1.5];
const BAD_ROLE_ARNS: unknown[] = [42, '', 'arn:aws:iam::000000000000:role/absent', 'arn:aws:iam::x:role/y', { a: 1 }, ['arn']];

function junk(depth = 0): unknown {
  const kind = Math.floor(next() * (depth > 2 ? 6 : 9));
  switch (kind) {
    case 0:
      return null;
    case 1:
      return next() < 0.5;
    case 2:
      return Math.floor(next() * 2e9) - 1e9;
    case 3:
      return next() * 1e6;
    case 4:
      return 'x'.repeat(Math.floor(next() * 300));
    case 5:
      return pick(['', 'aws:tag', '\u0000\u0001', '%zz', '<xml/>', '"quoted"', 'ünïcødé', '__proto__', 'constructor']);
    case 6:
      return Array.from({ length: Math.floor(next() * 4) }, () => junk(depth + 1));
    default: {
      const keys = ['Image', 'Key', 'Value', 'Mode', 'Environment', 'Subnets', 'SecurityGroupIds', '__proto__', 'constructor', 'x'];
      return Object.fromEntries(Array.from({ length: Math.floor(next() * 4) }, () => [pick(keys), junk(depth + 1)]));
    }
  }
}

function sageMakerBody(operation: string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const fields = ['PrimaryContainer', 'Containers', 'Tags', 'VpcConfig', 'InferenceExecutionConfig', 'EnableNetworkIsolation', 'MaxResults', 'NextToken', 'SortBy', 'NameContains', 'CreationTimeBefore', 'TagKeys'];
  for (const field of fields) if (next() < 0.4) body[field] = junk();
  body.ModelName = pick(BAD_NAMES);
  body.ResourceArn = pick([...BAD_NAMES, 'arn:aws:sagemaker:us-east-1:000000000000:model/absent']);
  if (operation === 'CreateModel') body.ExecutionRoleArn = pick(BAD_ROLE_ARNS);
  return body;
}

function iamBody(): string {
  const params = new URLSearchParams();
  params.set('Action', pick(['CreateRole', 'GetRole', 'DeleteRole', 'UpdateRole', 'TagRole', 'UntagRole', 'PutRolePolicy', 'DeleteRolePolicy', 'AttachRolePolicy', 'DetachRolePolicy', 'ListRoleTags', 'UpdateAssumeRolePolicy', 'NoSuchAction', 'constructor', '']));
  params.set('Version', '2010-05-08');
  if (next() < 0.9) params.set('RoleName', pick(['', 'bad name', 'r'.repeat(65), 'ü', '%', 'absent-role']));
  const candidates: [string, () => string][] = [
    ['AssumeRolePolicyDocument', () => pick(['{', '[]', '{}', 'null', '{"Statement":1}', TRUST.slice(0, 20)])],
    ['PolicyDocument', () => pick(['{', '{"Version":"2012-10-17"}', '\u0000'])],
    ['MaxSessionDuration', () => pick(['abc', '-1', '1e9', '3600.5'])],
    ['MaxItems', () => pick(['abc', '0', '100000'])],
    ['Marker', () => pick(['', '!!!', 'x'.repeat(400)])],
    ['Tags.member.1.Key', () => pick(['', 'aws:x', 'k'.repeat(200)])],
    ['Tags.member.99999999999999999999.Value', () => 'v'],
    ['TagKeys.member.x', () => 'k'],
    ['PolicyArn', () => pick(['', 'arn', 'arn:aws:iam::aws:policy/absent'])],
    ['Path', () => pick(['', 'no-slash', '/ok/'])],
  ];
  for (const [name, value] of candidates) if (next() < 0.3) params.set(name, value());
  return params.toString();
}

let endpoint: RunningEndpoint;

t.before(async () => {
  endpoint = await startEndpoint();
});
t.teardown(() => endpoint.stop());

t.test(`fuzzed requests leave the state intact (seed ${SEED})`, async (t) => {
  const config = awsClientConfig(endpoint.url);
  const iam = new IAMClient(config);
  const sm = new SageMakerClient(config);
  t.teardown(() => {
    iam.destroy();
    sm.destroy();
  });
  const role = (await iam.send(new CreateRoleCommand({ RoleName: 'exec', AssumeRolePolicyDocument: TRUST, Tags: [{ Key: 't', Value: 'v' }] }))).Role!;
  await sm.send(new CreateModelCommand({ ModelName: 'keep', ExecutionRoleArn: role.Arn, PrimaryContainer: { Image: 'img' }, Tags: [{ Key: 'a', Value: 'b' }] }));
  const before = await endpoint.admin.state();

  const statuses = new Map<number, number>();
  const unexpected: string[] = [];
  const send = async (init: RequestInit): Promise<void> => {
    const response = await fetch(endpoint.url, { method: 'POST', ...init });
    const text = await response.text();
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    const readOnly = /"?(ListModels|DescribeModel|ListTags)/.test(String((init.headers as Record<string, string>)['x-amz-target']));
    if ((response.status === 200 && !readOnly) || response.status >= 500) {
      const target = (init.headers as Record<string, string>)['x-amz-target'] ?? '';
      unexpected.push(`${response.status} ${target} ${String(init.body).slice(0, 300)} -> ${text.slice(0, 300)}`);
    }
  };
  const json = (target: string, body: string | Uint8Array) =>
    send({ headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, authorization: auth('sagemaker') }, body });
  const sageMakerOps = ['CreateModel', 'DescribeModel', 'DeleteModel', 'ListModels', 'AddTags', 'DeleteTags', 'ListTags'];

  // Malformed JSON and bodies that are JSON but not objects.
  for (const body of ['{', '}', 'null', '[]', '"text"', '42', 'true', '{"ModelName":', '\u0000\u0001\u0002', '{"a":1}{"b":2}']) {
    await json(pick(sageMakerOps.map((op) => `SageMaker.${op}`)), body);
  }
  // Random bytes.
  for (let i = 0; i < 20; i++) {
    await json('SageMaker.CreateModel', Uint8Array.from({ length: 64 }, () => Math.floor(next() * 256)));
  }
  // Unknown and odd operations, on both protocols.
  for (const target of ['SageMaker.', 'SageMaker.CreateEndpoint', 'SageMaker.toString', 'SageMaker.__proto__', 'SageMaker.constructor', 'DynamoDB_20120810.GetItem', '']) {
    await json(target, '{}');
  }
  // Structured junk with the right operation names.
  for (let i = 0; i < 400; i++) {
    const op = pick(sageMakerOps);
    await json(`SageMaker.${op}`, JSON.stringify(sageMakerBody(op)));
  }
  for (let i = 0; i < 300; i++) {
    await send({ headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth('iam') }, body: iamBody() });
  }
  for (const body of ['Action=AssumeRole&Version=2011-06-15&RoleArn=x&RoleSessionName=', 'Action=AssumeRole&Version=2011-06-15&DurationSeconds=abc', '%%%']) {
    await send({ headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth('sts') }, body });
  }
  // A body over the limit is refused without being parsed. The endpoint reads the whole body before it answers,
  // so the upload completes and the answer always arrives (a reset connection fails the test).
  const huge = await fetch(endpoint.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'SageMaker.CreateModel', authorization: auth('sagemaker') },
    body: `{"ModelName":"${'a'.repeat(9 * 1024 * 1024)}"}`,
  });
  t.equal(huge.status, 413, 'an oversized body gets 413');
  t.same(await huge.json(), { __type: 'SerializationException', message: 'Request body is larger than 8388608 bytes' }, 'with the AWS error shape');
  // Bytes that are not HTTP at all.
  await new Promise<void>((done) => {
    const socket = connect(endpoint.port, '127.0.0.1', () => socket.end('\u0000garbage\r\n\r\nGET / HTTP/9.9\r\n\r\n'));
    socket.on('error', () => done());
    socket.on('close', () => done());
    socket.resume();
  });

  t.same(unexpected, [], `no fuzzed request changed anything or failed inside (statuses: ${JSON.stringify([...statuses])})`);
  t.same(await endpoint.admin.state(), before, 'the stored state is unchanged');
  const model = await sm.send(new DescribeModelCommand({ ModelName: 'keep' }));
  t.same(model.PrimaryContainer, { Image: 'img' }, 'and the endpoint still answers');
  t.ok(endpoint.process.exitCode === null, 'the process is alive');
});
