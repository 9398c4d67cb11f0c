// The aws_sagemaker_model documentation's CDKTF TypeScript example (examples/cdktf): installed with its own
// package-lock (npm ci, when needed), synthesised by running the program, applied through our provider, checked
// remotely and with an empty second plan, then destroyed. Not on real AWS: the program configures a local endpoint.
import t from 'tap';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { ACC_TARGET, Workspace } from '../support/terraform';
import { repoRoot } from '../support/paths';
import { useTarget } from '../support/target';
import { IMAGE } from '../support/fixtures';

const exampleDir = join(repoRoot, 'examples/cdktf');
const STACK = 'sagemaker-model';
const MODEL = 'my-model';
const NPM_CI_TIMEOUT_MS = 20 * 60_000;

const acc = useTarget(t);

interface Run {
  code: number;
  output: string;
}

/** Runs a command in examples/cdktf, killing it after timeoutMs; stdout and stderr together. */
function run(command: string, args: string[], env: Record<string, string>, timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: exampleDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), output });
    });
  });
}

async function ok(command: string, args: string[], env: Record<string, string> = {}, timeoutMs = 5 * 60_000): Promise<string> {
  const result = await run(command, args, env, timeoutMs);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.code}\n${result.output}`);
  return result.output;
}

/** npm ci when node_modules is missing or older than the lock file (as examples/cdktf/run.sh does). */
function depsMissing(): boolean {
  const installed = join(exampleDir, 'node_modules/.package-lock.json');
  return !existsSync(installed) || statSync(join(exampleDir, 'package-lock.json')).mtimeMs > statSync(installed).mtimeMs;
}

t.test('cdktf: the documented TypeScript program, synthesised, applied, planned empty, destroyed', { skip: ACC_TARGET === 'aws' && 'the program configures a local endpoint with test keys, not real AWS', timeout: NPM_CI_TIMEOUT_MS + 10 * 60_000 }, async (t) => {
  const started = Date.now();
  if (depsMissing()) {
    const npmStarted = Date.now();
    await ok('npm', ['ci', '--no-audit', '--no-fund'], {}, NPM_CI_TIMEOUT_MS);
    t.comment(`npm ci in examples/cdktf took ${((Date.now() - npmStarted) / 1000).toFixed(1)} s`);
  } else {
    t.comment('examples/cdktf dependencies already installed; npm ci skipped');
  }

  const ws = new Workspace();
  t.teardown(() => ws.cleanup());
  const outdir = join(ws.dir, 'cdktf.out');
  const synthStarted = Date.now();
  await ok(join(exampleDir, 'node_modules/.bin/tsc'), ['-p', '.']);
  await ok(process.execPath, ['dist/main.js'], { CDKTF_OUTDIR: outdir, LOCAL_AWS_ENDPOINT: acc.target.url! });
  t.comment(`synthesis (tsc and node dist/main.js) took ${((Date.now() - synthStarted) / 1000).toFixed(1)} s`);
  const synthesised = readFileSync(join(outdir, 'stacks', STACK, 'cdk.tf.json'), 'utf8');
  const json = JSON.parse(synthesised) as {
    terraform: { backend?: unknown; required_providers: { aws: { source: string; version: string } } };
    resource: { aws_sagemaker_model: Record<string, unknown>; aws_iam_role: Record<string, unknown> };
  };
  t.equal(json.terraform.backend, undefined, 'no backend block, so no terraform init is needed');
  t.equal(json.terraform.required_providers.aws.source, 'aws', 'the stack requires hashicorp/aws (with a version our dev override ignores)');
  t.same(Object.keys(json.resource.aws_sagemaker_model), ['example'], 'overrideLogicalId kept the documented address');
  // Terraform runs in the workspace, on the synthesised file exactly as written (the workspace holds the CLI config).
  ws.write({ 'cdk.tf.json': synthesised });

  let applied = false;
  t.teardown(async () => {
    if (applied) await ws.run(['destroy', '-auto-approve', '-input=false', '-no-color']);
  });
  applied = true;
  await ws.apply();

  const model = await ws.resource('aws_sagemaker_model.example');
  const role = await ws.resource('aws_iam_role.example');
  t.equal(model.name, MODEL);
  t.equal(model.execution_role_arn, role.arn, 'the model uses the role');

  const remote = await acc.aws.model(MODEL);
  t.equal(remote?.PrimaryContainer?.Image, IMAGE, 'the model exists remotely with the kmeans image for us-west-2');
  t.equal(remote?.ExecutionRoleArn, role.arn);
  const remoteRole = await acc.aws.iam.send(new GetRoleCommand({ RoleName: role.name as string }));
  t.equal(remoteRole.Role?.Arn, role.arn, 'the role exists remotely');

  t.equal((await ws.planExitCode()).code, 0, 'a second plan is empty');

  await ws.destroy();
  applied = false;
  t.equal(await acc.aws.model(MODEL), null, 'destroy removed the model');
  await t.rejects(acc.aws.iam.send(new GetRoleCommand({ RoleName: role.name as string })), { name: 'NoSuchEntityException' }, 'destroy removed the role');
  t.comment(`the whole test took ${((Date.now() - started) / 1000).toFixed(1)} s`);
});
