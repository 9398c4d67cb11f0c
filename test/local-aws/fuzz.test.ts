// Malformed, mistyped, oversized and unknown requests must never crash the endpoint or change what it stores.
import t from 'tap';
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  DescribeModelCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startEndpoint, type RunningEndpoint } from '../support/endpoint';
import { trustPolicyJson } from '../support/fixtures';
import { awsClientConfig } from './sdk';

const TRUST = trustPolicyJson();
const auth = (service: string, region = 'us-east-1') =>
  `AWS4-HMAC-SHA256 Credential=test/20240101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=00`;

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
  const fields = ['PrimaryContainer', 'Containers', 'Tags', 'VpcConfig', 'InferenceExecutionConfig', 'EnableNetworkIsolation', 'MaxResults', 'NextToken', 'SortBy', 'NameContains', 'CreationTimeBefore', 'TagKeys',
    'ProductionVariants', 'ShadowProductionVariants', 'DataCaptureConfig', 'AsyncInferenceConfig', 'KmsKeyId', 'DeploymentConfig', 'RetainAllVariantProperties', 'ExcludeRetainedVariantProperties', 'StatusEquals'];
  for (const field of fields) if (next() < 0.4) body[field] = junk();
  body.ModelName = pick(BAD_NAMES);
  body.EndpointName = pick(BAD_NAMES);
  body.EndpointConfigName = pick(BAD_NAMES);
  body.ResourceArn = pick([...BAD_NAMES, 'arn:aws:sagemaker:us-east-1:000000000000:model/absent', 'arn:aws:sagemaker:us-east-1:000000000000:endpoint/absent']);
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

/**
 * A random S3 request: reads may address the kept bucket; writes only buckets that do not exist or cannot, signed
 * for eu-west-1 so that creating one needs a location constraint no fuzzed body gives.
 */
function s3Request(): { method: string; path: string; headers: Record<string, string>; body?: Uint8Array | string } {
  const method = pick(['GET', 'HEAD', 'PUT', 'POST', 'DELETE']);
  const read = method === 'GET' || method === 'HEAD';
  const bucket = pick(read ? ['keep-bucket', 'absent-bucket', 'Bad_Name', '%zz', 'a'] : ['absent-bucket', 'Bad_Name', '%zz', 'a', 'xn--bucket']);
  const key = pick(['', '/keep-key', '/k/%C3%BC', '/%', '/..', `/${'x'.repeat(1100)}`, '/a%2Fb']);
  const sub = pick(['', '?tagging', '?acl', '?uploads', '?uploadId=zzz&partNumber=1', '?delete', '?versioning', '?list-type=2&max-keys=abc',
    '?list-type=2&continuation-token=%%%', '?partNumber=0', '?encoding-type=bad', '?location', '?versions&key-marker=\u0000', '?cors', '?constructor']);
  const headers: Record<string, string> = { authorization: auth('s3', 'eu-west-1') };
  const optional: [string, () => string][] = [
    ['content-md5', () => pick(['', 'abc', '1B2M2Y8AsgTpgAmY7PhCfg=='])],
    ['x-amz-checksum-crc32', () => pick(['AAAAAA==', '!!', ''])],
    ['x-amz-checksum-sha256', () => 'AAAA'],
    ['content-encoding', () => 'aws-chunked'],
    ['x-amz-decoded-content-length', () => pick(['5', '-1', 'x'])],
    ['x-amz-content-sha256', () => pick(['STREAMING-UNSIGNED-PAYLOAD-TRAILER', '0'.repeat(64), 'UNSIGNED-PAYLOAD'])],
    ['x-amz-sdk-checksum-algorithm', () => pick(['CRC32', 'MD4'])],
    ['range', () => pick(['bytes=9-1', 'bytes=-', 'lines=1-2', 'bytes=0-0'])],
    ['if-match', () => pick(['*', '"x"', ''])],
    ['x-amz-tagging', () => pick(['a=1&a=2', 'aws:x=1', '%%%'])],
    ['x-amz-storage-class', () => pick(['NOPE', 'GLACIER'])],
    ['x-amz-copy-source', () => '/keep-bucket/keep-key'],
  ];
  for (const [name, value] of optional) if (next() < 0.2) headers[name] = value();
  const body = pick<string | Uint8Array | undefined>([
    undefined,
    '',
    '<',
    '<Tagging><TagSet><Tag><Key>aws:x</Key><Value/></Tag></TagSet></Tagging>',
    '<Delete></Delete>',
    '<CompleteMultipartUpload><Part><PartNumber>x</PartNumber></Part></CompleteMultipartUpload>',
    '5\r\nhel',
    '<CreateBucketConfiguration><LocationConstraint>mars-1</LocationConstraint></CreateBucketConfiguration>',
    Uint8Array.from({ length: 32 }, () => Math.floor(next() * 256)),
  ]);
  return { method, path: `/${bucket}${key}${sub}`, headers, body: read ? undefined : body };
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
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  t.teardown(() => {
    iam.destroy();
    sm.destroy();
    s3.destroy();
  });
  const role = (await iam.send(new CreateRoleCommand({ RoleName: 'exec', AssumeRolePolicyDocument: TRUST, Tags: [{ Key: 't', Value: 'v' }] }))).Role!;
  await s3.send(new CreateBucketCommand({ Bucket: 'keep-bucket' }));
  await s3.send(new PutObjectCommand({ Bucket: 'keep-bucket', Key: 'keep-key', Body: 'kept', Tagging: 'a=b' }));
  await sm.send(new CreateModelCommand({ ModelName: 'keep', ExecutionRoleArn: role.Arn, PrimaryContainer: { Image: 'img' }, Tags: [{ Key: 'a', Value: 'b' }] }));
  const variant = { VariantName: 'v', ModelName: 'keep', InstanceType: 'ml.m5.large' as const, InitialInstanceCount: 1 };
  await sm.send(new CreateEndpointConfigCommand({ EndpointConfigName: 'keep-config', ProductionVariants: [variant] }));
  await sm.send(new CreateEndpointCommand({ EndpointName: 'keep-endpoint', EndpointConfigName: 'keep-config' }));
  // The endpoint's creation completes first, so that only a fuzzed call could change the state from here on.
  for (let i = 0; i < 100 && (await sm.send(new DescribeEndpointCommand({ EndpointName: 'keep-endpoint' }))).EndpointStatus !== 'InService'; i++) {
    await new Promise((done) => setTimeout(done, 50));
  }
  const before = await endpoint.admin.state();
  t.equal((before.endpoints[0] as { status: string }).status, 'InService');

  const statuses = new Map<number, number>();
  const unexpected: string[] = [];
  const send = async (init: RequestInit): Promise<void> => {
    const response = await fetch(endpoint.url, { method: 'POST', ...init });
    const text = await response.text();
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    const readOnly = /"?(List\w+|Describe\w+)/.test(String((init.headers as Record<string, string>)['x-amz-target']));
    if ((response.status === 200 && !readOnly) || response.status >= 500) {
      const target = (init.headers as Record<string, string>)['x-amz-target'] ?? '';
      unexpected.push(`${response.status} ${target} ${String(init.body).slice(0, 300)} -> ${text.slice(0, 300)}`);
    }
  };
  const json = (target: string, body: string | Uint8Array) =>
    send({ headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, authorization: auth('sagemaker') }, body });
  const sageMakerOps = ['CreateModel', 'DescribeModel', 'DeleteModel', 'ListModels', 'AddTags', 'DeleteTags', 'ListTags',
    'CreateEndpointConfig', 'DescribeEndpointConfig', 'DeleteEndpointConfig', 'ListEndpointConfigs', 'CreateEndpoint', 'DescribeEndpoint', 'UpdateEndpoint', 'DeleteEndpoint', 'ListEndpoints'];

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
  // S3: junk paths, sub-resources, headers and bodies; writes that could succeed only address absent buckets.
  for (let i = 0; i < 300; i++) {
    const request = s3Request();
    const response = await fetch(`${endpoint.url}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
    const text = await response.text();
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    const write = request.method !== 'GET' && request.method !== 'HEAD';
    if ((write && response.status < 300) || (response.status >= 500 && response.status !== 501)) {
      unexpected.push(`${response.status} ${request.method} ${request.path} ${JSON.stringify(request.headers)} -> ${text.slice(0, 300)}`);
    }
  }
  // Writes to the kept bucket whose integrity checks fail change nothing.
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');
  const spoiled: [string, string, Record<string, string>, string][] = [
    ['PUT', '/keep-bucket/keep-key', { 'content-md5': '1B2M2Y8AsgTpgAmY7PhCfg==' }, 'changed'],
    ['PUT', '/keep-bucket/keep-key', { 'x-amz-checksum-crc32': 'AAAAAA==' }, 'changed'],
    ['PUT', '/keep-bucket/keep-key', { 'x-amz-content-sha256': sha('other') }, 'changed'],
    ['PUT', '/keep-bucket/keep-key', { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '7' }, '7\r\nchanged\r\n'],
    ['PUT', '/keep-bucket/keep-key', { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '7' }, '7\r\nchanged\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n'],
    ['PUT', '/keep-bucket/keep-key?tagging', {}, '<Tagging><TagSet><Tag><Key>aws:x</Key><Value>1</Value></Tag></TagSet></Tagging>'],
    ['PUT', '/keep-bucket/keep-key?tagging', {}, '<Tagging><TagSet>'],
    ['PUT', '/keep-bucket?tagging', {}, '<Tagging/>'],
    ['POST', '/keep-bucket?delete', {}, '<Delete><Object><Key>keep-key</Key></Object></Delete>'],
    ['POST', '/keep-bucket?delete', { 'content-md5': '1B2M2Y8AsgTpgAmY7PhCfg==' }, '<Delete><Object><Key>keep-key</Key></Object></Delete>'],
    ['PUT', '/keep-bucket/other', { 'x-amz-storage-class': 'NOPE' }, 'x'],
    ['PUT', '/keep-bucket/other', { 'x-amz-acl': 'public-read' }, 'x'],
    ['PUT', '/keep-bucket/other', { 'if-none-match': '"etag"' }, 'x'],
    ['PUT', '/keep-bucket/keep-key', { 'if-none-match': '*' }, 'x'],
    ['DELETE', '/keep-bucket', {}, ''],
  ];
  for (const [method, path, headers, body] of spoiled) {
    const response = await fetch(`${endpoint.url}${path}`, { method, headers: { authorization: auth('s3'), ...headers }, body: method === 'DELETE' ? undefined : body });
    const text = await response.text();
    if (response.status < 400 || response.status === 500) unexpected.push(`${response.status} ${method} ${path} ${JSON.stringify(headers)} -> ${text.slice(0, 300)}`);
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
    socket.setTimeout(30_000, () => socket.destroy());
    socket.on('error', () => done());
    socket.on('close', () => done());
    socket.resume();
  });

  t.same(unexpected, [], `no fuzzed request changed anything or failed inside (statuses: ${JSON.stringify([...statuses])})`);
  t.same(await endpoint.admin.state(), before, 'the stored state is unchanged');
  const object = await fetch(`${endpoint.url}/keep-bucket/keep-key`, { headers: { authorization: auth('s3') } });
  t.equal(await object.text(), 'kept', 'the kept object is intact');
  const model = await sm.send(new DescribeModelCommand({ ModelName: 'keep' }));
  t.same(model.PrimaryContainer, { Image: 'img' }, 'and the endpoint still answers');
  t.ok(endpoint.process.exitCode === null, 'the process is alive');
});
