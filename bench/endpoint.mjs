// Requests per second of bin/local-aws with the AWS SDK v3 as client, on loopback. No pass/fail: it prints figures.
//   node bench/endpoint.mjs [--requests N] [--concurrency C] [--url http://127.0.0.1:4566]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(join(root, 'package.json'));
const { SageMakerClient, CreateModelCommand, DescribeModelCommand, ListTagsCommand } = require('@aws-sdk/client-sagemaker');
const { IAMClient, CreateRoleCommand, GetRoleCommand } = require('@aws-sdk/client-iam');

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? fallback : process.argv[index + 1];
}
const requests = Number(option('requests', 20000));
const concurrency = Number(option('concurrency', 16));
let url = option('url', undefined);

let child;
if (!url) {
  const bin = join(root, 'bin/local-aws');
  if (!existsSync(bin)) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  child = spawn(process.execPath, [bin, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`bin/local-aws exited with ${code}`)));
  });
  child.stdout.resume();
}

const config = { endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 1 };
const sm = new SageMakerClient(config);
const iam = new IAMClient(config);
const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const suffix = Date.now().toString(36);
const role = await iam.send(new CreateRoleCommand({ RoleName: `bench-${suffix}`, AssumeRolePolicyDocument: trust }));
const model = await sm.send(
  new CreateModelCommand({ ModelName: `bench-${suffix}`, ExecutionRoleArn: role.Role.Arn, PrimaryContainer: { Image: 'img' }, Tags: [{ Key: 'k', Value: 'v' }] }),
);

/** CPU seconds used so far by the endpoint process (Linux /proc; undefined elsewhere or for --url). */
function endpointCpuSeconds() {
  if (!child) return undefined;
  try {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return undefined;
  }
}

/** Runs `count` calls with `concurrency` in flight; returns calls per second. */
async function measure(label, call) {
  for (let i = 0; i < 200; i++) await call(); // warm-up: sockets, JIT
  let issued = 0;
  const cpuBefore = endpointCpuSeconds();
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (issued < requests) {
        issued++;
        await call();
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rate = requests / seconds;
  const cpuAfter = endpointCpuSeconds();
  // The endpoint's own CPU time per call bounds what it could serve if the client were free.
  const serverCost =
    cpuBefore === undefined || cpuAfter === undefined
      ? ''
      : `; endpoint CPU ${(((cpuAfter - cpuBefore) / requests) * 1e6).toFixed(0)} µs/call (${((cpuAfter - cpuBefore) / seconds * 100).toFixed(0)}% of a core), capacity ≈ ${(requests / (cpuAfter - cpuBefore)).toFixed(0)} req/s per core`;
  console.log(`${label.padEnd(26)} ${requests} calls, ${concurrency} in flight: ${rate.toFixed(0)} req/s${serverCost}`);
  return rate;
}

await measure('SageMaker DescribeModel', () => sm.send(new DescribeModelCommand({ ModelName: `bench-${suffix}` })));
await measure('SageMaker ListTags', () => sm.send(new ListTagsCommand({ ResourceArn: model.ModelArn })));
await measure('IAM GetRole (Query/XML)', () => iam.send(new GetRoleCommand({ RoleName: `bench-${suffix}` })));

sm.destroy();
iam.destroy();
if (child) child.kill('SIGTERM');
