import t, { type Test } from 'tap';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AddTagsCommand, CreateModelCommand, DescribeModelCommand, ListTagsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { CreatePolicyCommand, CreateRoleCommand, GetPolicyCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, GetBucketTaggingCommand, GetObjectCommand, PutBucketTaggingCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startEndpoint } from '../support/endpoint';
import { localAwsBin } from '../support/paths';
import { commandLine } from '../support/processes';
import { trustPolicyJson } from '../support/fixtures';
import { awsClientConfig } from './sdk';

const TRUST = trustPolicyJson();
const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });

const dir = mkdtempSync(join(tmpdir(), 'local-aws-state-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

// Bytes that are not UTF-8, so an object body that went through a text encoding would not survive.
const ARTIFACT = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x00, 0x80, 0x41]);

async function populate(url: string): Promise<{ arn: string; roleId: string }> {
  const iam = new IAMClient(awsClientConfig(url));
  const sm = new SageMakerClient(awsClientConfig(url, 'eu-west-1'));
  const s3 = new S3Client({ ...awsClientConfig(url, 'eu-west-1'), forcePathStyle: true });
  try {
    const role = (await iam.send(new CreateRoleCommand({ RoleName: 'kept', AssumeRolePolicyDocument: TRUST, Tags: [{ Key: 'a', Value: 'b' }] }))).Role!;
    await iam.send(new PutRolePolicyCommand({ RoleName: 'kept', PolicyName: 'inline', PolicyDocument: POLICY }));
    await iam.send(new CreatePolicyCommand({ PolicyName: 'managed', PolicyDocument: POLICY }));
    await s3.send(new CreateBucketCommand({ Bucket: 'kept-bucket', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    await s3.send(new PutBucketTaggingCommand({ Bucket: 'kept-bucket', Tagging: { TagSet: [{ Key: 'k', Value: 'v' }] } }));
    await s3.send(new PutObjectCommand({ Bucket: 'kept-bucket', Key: 'model.tar.gz', Body: ARTIFACT, Metadata: { stage: 'prod' } }));
    const { ModelArn } = await sm.send(
      new CreateModelCommand({ ModelName: 'Kept-Model', ExecutionRoleArn: role.Arn, PrimaryContainer: { Image: 'img', Environment: { K: 'v' } } }),
    );
    await sm.send(new AddTagsCommand({ ResourceArn: ModelArn, Tags: [{ Key: 'x', Value: 'y' }] }));
    return { arn: ModelArn!, roleId: role.RoleId! };
  } finally {
    iam.destroy();
    sm.destroy();
    s3.destroy();
  }
}

async function check(t: Test, url: string, expected: { arn: string; roleId: string }): Promise<void> {
  const iam = new IAMClient(awsClientConfig(url));
  const sm = new SageMakerClient(awsClientConfig(url, 'eu-west-1'));
  const s3 = new S3Client({ ...awsClientConfig(url, 'eu-west-1'), forcePathStyle: true });
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: 'kept-bucket', Key: 'model.tar.gz' }));
    t.same(Buffer.from(await object.Body!.transformToByteArray()), ARTIFACT, 'object bodies are kept byte for byte');
    t.same(object.Metadata, { stage: 'prod' });
    t.same((await s3.send(new GetBucketTaggingCommand({ Bucket: 'kept-bucket' }))).TagSet, [{ Key: 'k', Value: 'v' }]);
    t.equal((await iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::000000000000:policy/managed' }))).Policy!.PolicyName, 'managed');
    const role = (await iam.send(new GetRoleCommand({ RoleName: 'kept' }))).Role!;
    t.equal(role.RoleId, expected.roleId);
    t.same(role.Tags, [{ Key: 'a', Value: 'b' }]);
    t.equal((await iam.send(new GetRolePolicyCommand({ RoleName: 'kept', PolicyName: 'inline' }))).PolicyDocument, encodeURIComponent(POLICY));
    const model = await sm.send(new DescribeModelCommand({ ModelName: 'kept-model' }));
    t.equal(model.ModelName, 'Kept-Model');
    t.equal(model.ModelArn, expected.arn);
    t.same(model.PrimaryContainer, { Image: 'img', Environment: { K: 'v' } });
    t.same((await sm.send(new ListTagsCommand({ ResourceArn: expected.arn }))).Tags, [{ Key: 'x', Value: 'y' }]);
  } finally {
    iam.destroy();
    sm.destroy();
    s3.destroy();
  }
}

t.test('state survives a restart', async (t) => {
  const file = join(dir, 'restart.json');
  const first = await startEndpoint(['--state-file', file]);
  const expected = await populate(first.url);
  await first.stop();
  t.ok(existsSync(file));
  t.same(readdirSync(dir).filter((name) => name.includes('.tmp')), [], 'no temp file is left behind');

  const second = await startEndpoint(['--state-file', file]);
  t.teardown(() => second.stop());
  await check(t, second.url, expected);
});

t.test('every change is on disk before the answer: a killed endpoint loses nothing', async (t) => {
  const file = join(dir, 'killed.json');
  const first = await startEndpoint(['--state-file', file]);
  const expected = await populate(first.url);
  first.process.kill('SIGKILL');
  await new Promise((done) => first.process.once('exit', done));
  JSON.parse(readFileSync(file, 'utf8'));

  const second = await startEndpoint(['--state-file', file]);
  t.teardown(() => second.stop());
  await check(t, second.url, expected);
});

t.test('a reset empties the state file too', async (t) => {
  const file = join(dir, 'reset.json');
  const first = await startEndpoint(['--state-file', file]);
  await populate(first.url);
  await first.admin.reset();
  await first.stop();
  const second = await startEndpoint(['--state-file', file]);
  t.teardown(() => second.stop());
  t.same(await second.admin.state(), { models: [], endpointConfigs: [], endpoints: [], roles: [], policies: [], buckets: [] });
});

t.test('without --state-file nothing is kept', async (t) => {
  const first = await startEndpoint();
  await populate(first.url);
  await first.stop();
  const second = await startEndpoint();
  t.teardown(() => second.stop());
  t.same(await second.admin.state(), { models: [], endpointConfigs: [], endpoints: [], roles: [], policies: [], buckets: [] });
});

t.test('an unreadable state file is reported, not ignored', async (t) => {
  const file = join(dir, 'broken.json');
  writeFileSync(file, '{"version":1,"models":[');
  await t.rejects(startEndpoint(['--state-file', file]), /exited with 2 before listening[\s\S]*broken\.json/);
});

t.test('with --exit-with-stdin (as the helper starts it) the endpoint exits when its parent dies', async (t) => {
  const { spawn } = await import('node:child_process');
  // A parent that starts the endpoint the way the helper does, then is killed outright.
  const script = `const c = require('node:child_process').spawn(process.execPath, [${JSON.stringify(localAwsBin)}, '--exit-with-stdin', '--port', '0'], { stdio: ['pipe', 'inherit', 'inherit'] }); console.log('PID ' + c.pid);`;
  const parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let pid: number | undefined;
  // Neither outlives the test, whatever fails: the parent, and the endpoint while it still runs bin/local-aws.
  t.teardown(() => {
    if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL');
    if (pid !== undefined && commandLine(pid).includes(localAwsBin)) process.kill(pid, 'SIGKILL');
  });
  pid = await new Promise<number>((resolvePid, reject) => {
    const timer = setTimeout(() => reject(new Error('the endpoint did not start within 30 s')), 30_000);
    let out = '';
    parent.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /PID (\d+)[\s\S]*listening on/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolvePid(Number(match[1]));
      }
    });
  });
  parent.kill('SIGKILL');
  let alive = true;
  for (let i = 0; i < 100 && alive; i++) {
    await new Promise((done) => setTimeout(done, 100));
    try {
      process.kill(pid, 0);
    } catch {
      alive = false;
    }
  }
  t.notOk(alive, 'the orphaned endpoint is gone');
});

