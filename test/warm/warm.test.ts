// The warm server through terraform: launches served by a warm server behave as fresh processes do — each its own
// instance and credentials, its logs under TF_LOG, its end when its launcher dies — and servers come and go as they
// should (per environment, idle exit, a rebuilt provider, TF_AWS_WARM=0, a server killed mid-apply).
import t, { type Test } from 'tap';
import type { AwsApi } from '../support/aws';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACC_TARGET, type Target, terraformInBackground, uniqueName, Workspace } from '../support/terraform';
import { providerBinDir, repoRoot } from '../support/paths';
import { assertStateMatchesRemote } from '../support/state-vs-remote';
import { IMAGE, modelsConfig } from '../support/fixtures';
import { providerProcesses, tmpdirForKilled, waitFor } from '../support/processes';
import { useTarget } from '../support/target';
import { instancesStarted, isAlive, keylessProvider, liveServers, serverLog, serverOf, servers, warmDir } from './helpers';

const APPLY = ['apply', '-auto-approve', '-input=false', '-no-color'];
const PLAN = ['plan', '-input=false', '-no-color'];

/** A provider block that takes its credentials from the environment, as a user's usually does. */
const envCredentialsProvider = (target: Target, alias?: string) => keylessProvider(target, [...(alias ? [`alias = "${alias}"`] : []), `region = "${target.region}"`]);

function model(name: string, role: string, provider?: string): string {
  return `resource "aws_sagemaker_model" "${name.replace(/[^a-z0-9]/gi, '_')}" {
  ${provider ? `provider = aws.${provider}` : ''}
  name               = "${name}"
  execution_role_arn = "${role}"
  primary_container {
    image = "${IMAGE}"
  }
}
`;
}

/** Which access keys signed the CreateModel calls of the endpoint's call log, with counts. */
async function createModelKeys(target: Target): Promise<Record<string, number>> {
  const keys: Record<string, number> = {};
  for (const call of (await target.admin!.calls()).recent) {
    if (call.operation === 'CreateModel') keys[String(call.accessKeyId)] = (keys[String(call.accessKeyId)] ?? 0) + 1;
  }
  return keys;
}

async function oneLiveServer(dir: string): Promise<number> {
  await waitFor('a warm server', async () => liveServers(dir).length === 1, 60_000);
  return liveServers(dir)[0].pid;
}

if (ACC_TARGET !== 'embedded') {
  t.plan(0, 'the warm-server tests read the embedded endpoint\'s call log');
} else {
  const acc = useTarget(t);

  t.test('a command\'s launches are served by one warm server, one instance each', async (t) => {
    const dir = warmDir(t);
    const ws = new Workspace('ours', { TF_AWS_WARM_DIR: dir });
    t.teardown(() => ws.cleanup());
    const name = uniqueName('tfacc-warm');
    ws.config(envCredentialsProvider(acc.target) + model(name, acc.role));
    const env = { AWS_ACCESS_KEY_ID: 'AKIAWARMBASIC', AWS_SECRET_ACCESS_KEY: 'test' };
    await ws.ok(PLAN, env);
    const pid = await oneLiveServer(dir);
    const before = instancesStarted(dir).length;
    await ws.ok(APPLY, env);
    const during = instancesStarted(dir).slice(before);
    t.ok(during.length >= 4, `the apply's launches were served warm (${during.length} instances)`);
    t.same(new Set(during.map((l) => l.launch)).size, during.length, 'each launch had an instance of its own');
    t.same(liveServers(dir).map((s) => s.pid), [pid], 'by the same server');
    t.equal((await ws.run([...PLAN, '-detailed-exitcode'], env)).code, 0, 'and the plan after the apply is empty');
    await ws.ok(['destroy', '-auto-approve', '-input=false', '-no-color'], env);
  });

  t.test('two runs at once with different credentials: each is signed with its own', async (t) => {
    const dir = warmDir(t);
    await acc.target.admin!.reset('calls');
    const runs = ['AKIAWARMRUNONE', 'AKIAWARMRUNTWO'].map((key) => {
      const ws = new Workspace('ours', { TF_AWS_WARM_DIR: dir, AWS_ACCESS_KEY_ID: key, AWS_SECRET_ACCESS_KEY: 'test' });
      t.teardown(() => ws.cleanup());
      ws.config(envCredentialsProvider(acc.target) + model(uniqueName('tfacc-warm-cred'), acc.role));
      return ws;
    });
    // Warm both servers first, so that the applies below run entirely on warm instances.
    await Promise.all(runs.map((ws) => ws.ok(PLAN)));
    await waitFor('two warm servers', async () => liveServers(dir).length === 2, 60_000);
    await Promise.all(runs.map((ws) => ws.apply()));
    t.same(await createModelKeys(acc.target), { AKIAWARMRUNONE: 1, AKIAWARMRUNTWO: 1 }, 'each model was created with its run\'s access key');
    t.equal(liveServers(dir).length, 2, 'environments that differ are served by different servers');
    await Promise.all(runs.map((ws) => ws.destroy()));
  });

  t.test('provider aliases in one configuration get separate instances', async (t) => {
    const dir = warmDir(t);
    const ws = new Workspace('ours', { TF_AWS_WARM_DIR: dir });
    t.teardown(() => ws.cleanup());
    const withKeys = (block: string, key: string) => block.replace('skip_credentials_validation', `access_key = "${key}"\n  secret_key = "test"\n  skip_credentials_validation`);
    ws.config(
      withKeys(envCredentialsProvider(acc.target), 'AKIAWARMDEFAULT') +
        withKeys(envCredentialsProvider(acc.target, 'second'), 'AKIAWARMSECOND') +
        model(uniqueName('tfacc-warm-a'), acc.role) +
        model(uniqueName('tfacc-warm-b'), acc.role, 'second'),
    );
    await ws.ok(PLAN);
    await oneLiveServer(dir);
    await acc.target.admin!.reset('calls');
    const before = instancesStarted(dir).length;
    await ws.apply();
    t.same(await createModelKeys(acc.target), { AKIAWARMDEFAULT: 1, AKIAWARMSECOND: 1 }, 'each alias signed with its own configuration');
    const during = instancesStarted(dir).slice(before);
    t.ok(during.some((l) => (l.running ?? 0) >= 2), 'the two aliases ran as two instances at once');
    await ws.destroy();
  });

  t.test('logs under TF_LOG reach terraform from a warm instance, and only there', async (t) => {
    const dir = warmDir(t);
    const ws = new Workspace('ours', { TF_AWS_WARM_DIR: dir });
    t.teardown(() => ws.cleanup());
    ws.config(envCredentialsProvider(acc.target) + model(uniqueName('tfacc-warm-log'), acc.role));
    const env = { TF_LOG: 'debug', AWS_ACCESS_KEY_ID: 'AKIAWARMLOG', AWS_SECRET_ACCESS_KEY: 'test' };
    await ws.ok(PLAN, env);
    await oneLiveServer(dir);
    const before = instancesStarted(dir).length;
    const result = await ws.ok(APPLY, env);
    t.ok(instancesStarted(dir).length - before >= 4, 'the apply was served warm');
    const lines = result.stderr.split('\n').filter((l) => l.includes('provider.terraform-provider-aws'));
    t.ok(lines.some((l) => /plugin server listening/.test(l)), 'the protocol layer\'s lines are there');
    t.ok(lines.some((l) => /@module=provider\.aws .*operation=CreateModel|operation=CreateModel.*@module=provider\.aws/.test(l) || (/AWS call/.test(l) && /CreateModel/.test(l))), 'and the AWS calls the provider made');
    t.ok(lines.some((l) => /@module=provider\.engine/.test(l)), 'and the engine\'s lines');
    t.notOk(result.stderr.includes('AKIAWARMLOG'), 'no access key in the log');
    const leaked = serverLog(dir).filter((l) => l['@module'] !== 'warm-server');
    t.same(leaked.map((l) => l['@message']), [], 'none of the instances\' lines went to the server\'s own log');
    await ws.ok(['destroy', '-auto-approve', '-input=false', '-no-color'], env);
  });

  t.test('an idle server exits and removes its files', async (t) => {
    const dir = warmDir(t);
    const ws = new Workspace('ours', { TF_AWS_WARM_DIR: dir, TF_AWS_WARM_IDLE: '1' });
    t.teardown(() => ws.cleanup());
    ws.config(envCredentialsProvider(acc.target));
    await ws.ok(PLAN, { AWS_ACCESS_KEY_ID: 'AKIAWARMIDLE', AWS_SECRET_ACCESS_KEY: 'test' });
    await waitFor('the server to go idle and exit', async () => servers(dir).length === 0 && serverLog(dir).some((l) => l.reason === 'idle'), 60_000);
    t.pass('the server exited after its idle time, its server file gone');
  });

  t.test('TF_AWS_WARM=0: every launch is a process of its own, no server', async (t) => {
    const dir = warmDir(t);
    const ws = new Workspace('ours', { TF_AWS_WARM_DIR: dir, TF_AWS_WARM: '0', AWS_ACCESS_KEY_ID: 'AKIAWARMOFF', AWS_SECRET_ACCESS_KEY: 'test' });
    t.teardown(() => ws.cleanup());
    ws.config(envCredentialsProvider(acc.target) + model(uniqueName('tfacc-cold'), acc.role));
    await ws.apply();
    t.equal((await ws.planExitCode()).code, 0);
    await ws.destroy();
    t.same(servers(dir), [], 'no warm server was started');
  });

  t.test('a rebuilt provider is not served by the old build\'s server', async (t) => {
    const dir = warmDir(t);
    // Inside the repository, so that the copy finds node_modules as bin/ does.
    mkdirSync(join(repoRoot, '.tap'), { recursive: true });
    const copy = mkdtempSync(join(repoRoot, '.tap', 'warm-bin-'));
    t.teardown(() => rmSync(copy, { recursive: true, force: true }));
    cpSync(providerBinDir, copy, { recursive: true });
    const ws = new Workspace('ours', { TF_AWS_WARM_DIR: dir });
    t.teardown(() => ws.cleanup());
    const rc = join(ws.dir, '.terraformrc');
    writeFileSync(rc, readFileSync(rc, 'utf8').replace(providerBinDir, copy));
    ws.config(envCredentialsProvider(acc.target));
    const env = { AWS_ACCESS_KEY_ID: 'AKIAWARMBUILD', AWS_SECRET_ACCESS_KEY: 'test' };
    await ws.ok(PLAN, env);
    const old = await oneLiveServer(dir);

    // A new build: new bundles and a launcher that names them.
    const launcher = join(copy, 'terraform-provider-aws');
    writeFileSync(launcher, readFileSync(launcher, 'utf8').replace(/^tfaws_build=.*$/m, 'tfaws_build=rebuilt'));
    const bundle = join(copy, 'lib', 'provider.js');
    copyFileSync(bundle, `${bundle}.tmp`);
    writeFileSync(`${bundle}.tmp`, '\n// rebuilt\n', { flag: 'a' });
    renameSync(`${bundle}.tmp`, bundle);

    await ws.ok(PLAN, env);
    await waitFor('the old server to retire', async () => !isAlive(old), 60_000);
    t.ok(serverLog(dir).some((l) => l.pid === old && l.reason === 'build replaced'), 'it said why it exited');
    const now = liveServers(dir);
    t.equal(now.length, 1, 'one server runs: the new build\'s');
    t.not(now[0]?.pid, old);
  });

  /**
   * Ten models to apply in a workspace with a warm directory of its own, the server warmed by a plan in the apply's
   * environment, and the apply started with CreateModel slowed down: returns once the first CreateModel arrived.
   */
  async function applyInFlight(t: Test, prefix: string, accessKey: string) {
    const dir = warmDir(t);
    const ws = new Workspace('ours', { TF_AWS_WARM_DIR: dir, TMPDIR: tmpdirForKilled(t), AWS_ACCESS_KEY_ID: accessKey, AWS_SECRET_ACCESS_KEY: 'test' });
    t.teardown(() => ws.cleanup());
    ws.config(envCredentialsProvider(acc.target) + modelsConfig(prefix, 10, acc.role));
    await terraformInBackground(ws, PLAN).done;
    const server = await oneLiveServer(dir);
    await acc.target.admin!.reset('calls');
    await acc.target.admin!.faults({ latencyMs: 300 });
    t.teardown(() => acc.target.admin!.clearFaults());
    const run = terraformInBackground(ws, [...APPLY, '-parallelism=2']);
    await waitFor('the first CreateModel call', async () => ((await acc.target.admin!.calls()).counts['SageMaker.CreateModel'] ?? 0) >= 1);
    t.equal(serverOf(dir, run.child.pid!), server, 'the apply is served warm');
    return { dir, ws, server, run };
  }

  t.test('the launcher killed mid-apply ends its instance; the server goes on and the next apply converges', async (t) => {
    const prefix = uniqueName('tfacc-warm-kill');
    const { dir, ws, server, run } = await applyInFlight(t, prefix, 'AKIAWARMKILL');
    const launchers = providerProcesses(run.child.pid!);
    t.ok(launchers.length >= 1, `found the launcher(s) ${launchers.join(', ')}`);
    for (const pid of launchers) process.kill(pid, 'SIGKILL');
    t.not((await run.done).code, 0, 'terraform reports the failed apply');
    await waitFor('the instance to end', async () => serverLog(dir).some((l) => l['@message'] === 'instance ended' && l.reason === 'stopped'), 60_000);
    t.ok(isAlive(server), 'the server itself goes on');
    await acc.target.admin!.clearFaults();
    await convergeAfterInterruption(t, ws, acc.aws, prefix, 10);
  });

  t.test('the server killed mid-apply: the next apply starts a new one and converges', async (t) => {
    const prefix = uniqueName('tfacc-warm-srv');
    const { dir, ws, server, run } = await applyInFlight(t, prefix, 'AKIAWARMSRV');
    process.kill(server, 'SIGKILL');
    t.not((await run.done).code, 0, 'terraform reports the failed apply');
    await acc.target.admin!.clearFaults();
    // The next command, in the same environment: a new server, then the apply converges.
    await terraformInBackground(ws, PLAN).done;
    const next = await oneLiveServer(dir);
    t.not(next, server, 'a new server serves the workspace');
    await convergeAfterInterruption(t, ws, acc.aws, prefix, 10);
  });
}

/**
 * After an interrupted apply: the next apply converges, or names the models whose creation answer was lost
 * (as after a killed provider process); importing those reconciles. Then state matches what exists.
 */
async function convergeAfterInterruption(t: Test, ws: Workspace, aws: AwsApi, prefix: string, count: number): Promise<void> {
  let next = await ws.run(APPLY);
  if (next.code !== 0) {
    const lost = [...next.stderr.matchAll(/Cannot create already existing model "arn:[^"]*:model\/([^"]+)"/g)].map((m) => m[1]);
    t.ok(lost.length > 0, `the failed apply names the models it lost track of: ${lost.join(', ')}`);
    for (const name of lost) await ws.ok(['import', '-input=false', '-no-color', `aws_sagemaker_model.m[${name.slice(prefix.length + 1)}]`, name]);
    next = await ws.run(APPLY);
  }
  t.equal(next.code, 0, 'the apply converges');
  await assertStateMatchesRemote(t, ws, aws, prefix, count);
  t.equal((await ws.planExitCode()).code, 0, 'plan is empty');
}
