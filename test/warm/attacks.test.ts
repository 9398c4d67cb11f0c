// The warm path under attack, through terraform. The attacker is a real second local user (created for the test;
// these tests are skipped, with the reason, where that needs a root the run does not have): it knows everything but
// the user's private files. Each test asserts on the bytes the attacker received (no environment variable, no
// secret, no certificate; a replayed answer not accepted) and that terraform still works, served cold or warm.
//
// The user's configuration uses a native data source and no AWS call, so that a plan shows the provider's own work
// (the rendered policy) without an endpoint; its environment carries credentials the attacker must never see.
import t, { type Test } from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { providerBinDir } from '../support/paths';
import { bounded, waitFor } from '../support/processes';
import { createAttacker, noAttackerReason, type Attacker, type AttackerProcess } from './attacker';
import { directoryStatus, instancesStarted, isAlive, liveServers, serverLog, servers, stopServers, warmDir } from './helpers';

const SECRET = `victim-secret-${randomBytes(8).toString('hex')}`;
const TOKEN = `victim-token-${randomBytes(8).toString('hex')}`;
const KEY = 'AKIAVICTIMWARMKEY001';
const MARKER = `bucket-${randomBytes(4).toString('hex')}`;
const withoutAttacker = noAttackerReason();
const scratch = mkdtempSync(join(tmpdir(), 'tfwarm-attacks-'));
chmodSync(scratch, 0o755);
t.teardown(() => rmSync(scratch, { recursive: true, force: true }));
const cliConfig = join(scratch, 'terraformrc');
writeFileSync(cliConfig, `provider_installation {\n  dev_overrides {\n    "hashicorp/aws" = "${providerBinDir}"\n  }\n  direct {}\n}\n`);

const CONFIG = `provider "aws" {
  region                      = "us-west-2"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::${MARKER}/*"]
  }
}

output "policy" {
  value = data.aws_iam_policy_document.p.json
}
`;

/** A working directory with `files` (main.tf: the configuration above). */
function workingDirectory(files: Record<string, string> = { 'main.tf': CONFIG }): string {
  const dir = mkdtempSync(join(scratch, 'work-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** The user's shell: its credentials, its warm directory; the same object for every run that shares a server. */
function userEnv(warm: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_AWS_WARM_DIR: warm,
    TF_AWS_WARM_IDLE: '120',
    TF_AWS_UPSTREAM_PROVIDER: 'none',
    AWS_ACCESS_KEY_ID: KEY,
    AWS_SECRET_ACCESS_KEY: SECRET,
    AWS_SESSION_TOKEN: TOKEN,
    ...extra,
  };
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  pid: number;
}

/** Run terraform (bounded: killed after `boundMs`). */
function terraform(cwd: string, args: string[], env: Record<string, string>, boundMs = 180_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', args, {
      cwd,
      env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_LOG: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`terraform ${args.join(' ')} did not finish in ${boundMs} ms`));
    }, boundMs);
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr, pid: child.pid! });
    });
  });
}

const PLAN = ['plan', '-input=false', '-no-color'];

/** A plan that works: the provider rendered the policy. */
async function planWorks(t: Test, cwd: string, env: Record<string, string>, what: string): Promise<Run> {
  const run = await terraform(cwd, PLAN, env);
  t.equal(run.code, 0, `${what}: the plan succeeds${run.code ? `\n${run.stdout}\n${run.stderr}` : ''}`);
  t.match(run.stdout, /s3:GetObject/, `${what}: with the provider's own work in it`);
  return run;
}

/** A private warm directory and a server in it, started by a first plan. */
async function warmServer(t: Test, cwd: string, env: Record<string, string>) {
  await planWorks(t, cwd, env, 'the first plan');
  await waitFor('a warm server', async () => liveServers(env.TF_AWS_WARM_DIR!).length === 1, 60_000);
  const server = liveServers(env.TF_AWS_WARM_DIR!)[0]!;
  const run = await planWorks(t, cwd, env, 'the next plan');
  t.ok(launchesServed(env.TF_AWS_WARM_DIR!, run.pid) >= 2, 'served by the warm server');
  return server;
}

const launchesServed = (warm: string, terraformPid: number) => instancesStarted(warm).filter((l) => l.terraform_pid === terraformPid).length;

/** Every byte the attacker's processes received, and the assertion that none of it is of value. */
function assertNothingOfValue(t: Test, processes: AttackerProcess[], what: string): string {
  const bytes = processes.flatMap((p) => p.reports.filter((r) => r.event === 'data').map((r) => String(r.text))).join('');
  for (const secret of [SECRET, TOKEN, KEY, 'CERTIFICATE', 'PLUGIN_', 'AWS_', '|grpc|']) t.notOk(bytes.includes(secret), `${what}: the attacker got no ${secret}`);
  return bytes;
}

/** A free loopback port (bound, then released). */
function freePort(): Promise<number> {
  const port = new Promise<number>((resolve) => {
    const server = createServer().listen({ host: '127.0.0.1', port: 0 }, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
  return bounded(port, 10_000, 'a free port');
}

function sleeper(t: Test): ChildProcess {
  const child = spawn('sleep', ['600'], { stdio: 'ignore' });
  t.teardown(() => child.kill('SIGKILL'));
  return child;
}

const withAttacker = (name: string, body: (t: Test, attacker: Attacker) => Promise<void>) =>
  t.test(name, { skip: withoutAttacker }, async (t) => body(t, createAttacker(t)));

withAttacker('a stale server file whose pid another process now has, its port squatted: never dialled; the plan works', async (t, attacker) => {
  const warm = warmDir(t);
  const cwd = workingDirectory();
  const env = userEnv(warm);
  const server = await warmServer(t, cwd, env);
  // Killed as the OOM killer would: its files stay.
  process.kill(server.pid, 'SIGKILL');
  await waitFor('the server to die', async () => !isAlive(server.pid), 30_000);
  const squatter = attacker.run('squat', { port: server.port, dir: warm });
  await squatter.waitFor((r) => r.event === 'listening');
  // The dead server's pid now belongs to another process: rather than fork until one gets it, the file is made to
  // name one (the same to the launcher, which reads only the file): a process of the attacker's, then one of the
  // user's own.
  const idle = attacker.run('idle', {});
  const attackerPid = Number((await idle.waitFor((r) => r.event === 'idle')).pid);
  const usersOwn = sleeper(t);
  const stale = join(warm, `${server.name}.server`);
  const size = readFileSync(stale, 'utf8').trim().split(' ')[3];
  for (const [whose, pid] of [['another user\'s', attackerPid], ['the user\'s own', usersOwn.pid!]] as const) {
    writeFileSync(stale, `${server.port} ${pid} ${server.build} ${size}\n`, { mode: 0o600 });
    await planWorks(t, cwd, env, `its pid ${whose}`);
    // By the launcher that meets it, or else by the next server's sweep (a launcher stops at the first live server).
    await waitFor('the stale file to be removed', async () => !existsSync(stale), 20_000);
    t.pass(`its pid ${whose}: the stale file was removed`);
  }
  t.same(squatter.reports.filter((r) => r.event === 'connection'), [], 'the squatter never got a connection');
  assertNothingOfValue(t, [squatter], 'squatter');
  t.ok(isAlive(attackerPid) && isAlive(usersOwn.pid!), 'and neither process was signalled');
});

withAttacker('a recorded answer replayed by a squatter the launcher dials: a name it cannot open, and the replay refused', async (t, attacker) => {
  const warm = warmDir(t);
  const cwd = workingDirectory();
  const env = userEnv(warm);
  const server = await warmServer(t, cwd, env);
  const file = join(warm, `${server.name}.server`);
  const original = readFileSync(file, 'utf8');
  const pointAt = (port: number) => writeFileSync(file, original.replace(/^\d+ /, `${port} `), { mode: 0o600 });

  // What an observer of a real exchange would have: the launcher's bytes and the server's answer, recorded by a
  // proxy the launcher is pointed at (the strongest position, and more than a local user gets).
  const recorded = { launcher: '', server: '' };
  const proxy: Server = createServer((client: Socket) => {
    const upstream = connect(server.port, '127.0.0.1');
    client.on('data', (c) => ((recorded.launcher += c.toString('latin1')), upstream.write(c)));
    upstream.on('data', (c) => ((recorded.server += c.toString('latin1')), client.write(c)));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => {});
    upstream.on('error', () => {});
  });
  await new Promise<void>((resolve) => proxy.listen({ host: '127.0.0.1', port: 0 }, resolve));
  t.teardown(() => proxy.close());
  pointAt((proxy.address() as { port: number }).port);
  await planWorks(t, cwd, env, 'through the recording proxy');
  const answer = recorded.server.slice(0, recorded.server.indexOf('\n') + 1);
  t.match(answer, /^[0-9a-f]{32} 1\|6\|unix\|/, 'a real answer was recorded');
  t.match(recorded.launcher, /^([0-9a-f]{32}\.launch\n)+$/, 'the launchers sent only file names');

  // The squatter, dialled because the file names the live server, replays the recorded answer.
  const port = await freePort();
  const squatter = attacker.run('squat', { port, dir: warm, reply: Buffer.from(answer, 'latin1').toString('hex') });
  await squatter.waitFor((r) => r.event === 'listening');
  pointAt(port);
  await planWorks(t, cwd, env, 'with the squatter answering');
  pointAt(server.port);
  const bytes = assertNothingOfValue(t, [squatter], 'squatter');
  t.match(bytes, /^([0-9a-f]{32}\.launch\n)+$/, 'it got launch file names and nothing else');
  const opens = squatter.reports.filter((r) => r.event === 'open');
  t.ok(opens.length > 0 && opens.every((r) => r.code === 'EACCES'), `and could open none of them (${opens.map((r) => r.code).join(', ')})`);
  t.same(readdirSync(warm).filter((f) => f.endsWith('.launch')), [], 'no launch file was left behind');

  // The launcher's recorded bytes, replayed to the real server by the attacker: nothing comes back.
  const replay = attacker.run('connect', { port: server.port, line: recorded.launcher.split('\n')[0] + '\n' });
  await replay.waitFor((r) => r.event === 'closed');
  assertNothingOfValue(t, [replay], 'replay to the server');
  t.same(replay.reports.filter((r) => r.event === 'data'), [], 'the server sent the replayed name nothing');
  await planWorks(t, cwd, env, 'afterwards');
});

withAttacker('a 0777 warm directory: served cold, no server started, nothing piles up, the attacker\'s server file not dialled', async (t, attacker) => {
  const warm = warmDir(t);
  mkdirSync(warm, { recursive: true });
  chmodSync(warm, 0o777);
  chmodSync(dirname(warm), 0o755);
  const cwd = workingDirectory();
  const env = userEnv(warm);
  const port = await freePort();
  const squatter = attacker.run('squat', { port, dir: warm });
  await squatter.waitFor((r) => r.event === 'listening');
  // It reads whatever appears there, all along.
  const watcher = attacker.run('watch', { dir: warm });
  await watcher.waitFor((r) => r.event === 'rounds' && Number(r.rounds) > 0);
  const idle = attacker.run('idle', {});
  const attackerPid = Number((await idle.waitFor((r) => r.event === 'idle')).pid);
  // A server file of the attacker's, as the issue's attack wrote it (it can read nothing of the user's now).
  const planted = join(warm, `${'a'.repeat(24)}.server`);
  writeFileSync(planted, `${port} ${attackerPid} ${'0'.repeat(32)} 1\n`, { mode: 0o644 });
  chownSync(planted, attacker.uid, attacker.gid);
  for (let i = 1; i <= 3; i++) await planWorks(t, cwd, env, `plan ${i}`);
  await waitFor('the refused server to be gone', async () => servers(warm).length === 0, 30_000);
  t.same(readdirSync(warm).sort(), [`${'a'.repeat(24)}.server`, 'refused'], 'only the attacker\'s file and one refusal mark are there');
  t.match(directoryStatus(warm).refused?.reason, /mode is 0777/, 'refused for its mode');
  t.same(squatter.reports.filter((r) => r.event === 'connection'), [], 'the attacker\'s server file was not dialled');
  await watcher.stop();
  const read = watcher.reports.filter((r) => r.event === 'data').map((r) => String(r.name));
  t.same([...new Set(read)], [`${'a'.repeat(24)}.server`], `of the user's files the attacker read none (it read: ${read.join(', ')})`);
  assertNothingOfValue(t, [squatter, watcher], 'the attacker');
});

withAttacker('a warm directory of another user\'s: served cold, nothing written into it, its server file not dialled', async (t, attacker) => {
  const warm = warmDir(t);
  mkdirSync(warm, { recursive: true });
  chmodSync(warm, 0o777);
  chmodSync(dirname(warm), 0o755);
  chownSync(warm, attacker.uid, attacker.gid);
  const port = await freePort();
  const squatter = attacker.run('squat', { port, dir: warm });
  await squatter.waitFor((r) => r.event === 'listening');
  const idle = attacker.run('idle', {});
  const attackerPid = Number((await idle.waitFor((r) => r.event === 'idle')).pid);
  const planted = join(warm, `${'b'.repeat(24)}.server`);
  writeFileSync(planted, `${port} ${attackerPid} ${'0'.repeat(32)} 1\n`);
  chownSync(planted, attacker.uid, attacker.gid);
  await planWorks(t, workingDirectory(), userEnv(warm), 'the plan');
  t.same(readdirSync(warm), [`${'b'.repeat(24)}.server`], 'nothing of the user\'s was written there');
  t.same(squatter.reports.filter((r) => r.event === 'connection'), [], 'not dialled');
});

withAttacker('the warm directory\'s parent swapped in a loop by the attacker during launches: nothing reaches it, terraform works', async (t, attacker) => {
  const base = mkdtempSync(join(scratch, 'swap-'));
  chmodSync(base, 0o777);
  chownSync(base, attacker.uid, attacker.gid);
  // The user's directory, and the attacker's look-alike holding a server file of its own.
  mkdirSync(join(base, 'real', 'warm'), { recursive: true, mode: 0o700 });
  const evil = join(base, 'evil', 'warm');
  mkdirSync(evil, { recursive: true });
  const port = await freePort();
  const squatter = attacker.run('squat', { port, dir: evil });
  await squatter.waitFor((r) => r.event === 'listening');
  const idle = attacker.run('idle', {});
  const attackerPid = Number((await idle.waitFor((r) => r.event === 'idle')).pid);
  writeFileSync(join(evil, `${'c'.repeat(24)}.server`), `${port} ${attackerPid} ${'0'.repeat(32)} 1\n`);
  for (const path of [join(base, 'evil'), evil, join(evil, `${'c'.repeat(24)}.server`)]) {
    chmodSync(path, lstatSync(path).isDirectory() ? 0o777 : 0o644);
    chownSync(path, attacker.uid, attacker.gid);
  }
  const warm = join(base, 'real', 'warm');
  const env = userEnv(warm);
  const swapper = attacker.run('swap', { base, a: 'real', b: 'evil' });
  await swapper.waitFor((r) => r.event === 'swaps' && Number(r.swaps) > 0);
  const cwd = workingDirectory();
  for (let i = 1; i <= 3; i++) await planWorks(t, cwd, env, `plan ${i}, during the swaps`);
  await swapper.stop();
  t.ok(swapper.reports.some((r) => r.event === 'swaps' && Number(r.swaps) > 100), 'the directories were swapped all along');
  t.same(squatter.reports.filter((r) => r.event === 'connection'), [], 'the attacker\'s server file was never dialled');
  assertNothingOfValue(t, [squatter], 'squatter');
  // Whatever the swaps did, nothing the attacker can read holds anything of the user's.
  for (const file of walk(base)) {
    const stat = statSync(file);
    const readable = stat.uid === attacker.uid || (stat.mode & 0o004) !== 0;
    if (readable && stat.isFile()) t.notMatch(readFileSync(file, 'latin1'), new RegExp(`${SECRET}|${TOKEN}|CERTIFICATE`), `${file} holds nothing of value`);
  }
  for (const dir of [join(base, 'real', 'warm'), join(base, 'evil', 'warm')]) {
    await waitFor('no server of the user\'s there', async () => servers(dir).length === 0, 30_000);
    stopServers(dir);
  }
});

t.test('files naming a killed server that no one reaped (a zombie): not trusted, removed; a new server starts', async (t) => {
  const warm = warmDir(t);
  const cwd = workingDirectory();
  const env = userEnv(warm);
  const server = await warmServer(t, cwd, env);
  const [, , build, size] = readFileSync(join(warm, `${server.name}.server`), 'utf8').trim().split(' ');
  process.kill(server.pid, 'SIGTERM');
  await waitFor('the server to exit', async () => !isAlive(server.pid), 30_000);
  // A zombie: a child of a process that never reaps it.
  const parent = spawn('bash', ['-c', 'sleep 0 & echo $!; exec sleep 600'], { stdio: ['ignore', 'pipe', 'ignore'] });
  t.teardown(() => parent.kill('SIGKILL'));
  const zombie = Number(await bounded(new Promise<string>((resolve) => parent.stdout!.once('data', (c: Buffer) => resolve(c.toString()))), 10_000, 'the zombie\'s pid'));
  await waitFor('the zombie', async () => /^\d+ \(.*\) Z /s.test(readFileSync(`/proc/${zombie}/stat`, 'utf8')), 10_000);
  const connections: Socket[] = [];
  const listener = createServer((socket) => connections.push(socket.on('error', () => {})));
  await new Promise<void>((resolve) => listener.listen({ host: '127.0.0.1', port: 0 }, resolve));
  t.teardown(() => listener.close());
  const names = { server: `${'5'.repeat(24)}.server`, starting: `${'6'.repeat(24)}.starting` };
  writeFileSync(join(warm, names.server), `${(listener.address() as { port: number }).port} ${zombie} ${build} ${size}\n`, { mode: 0o600 });
  writeFileSync(join(warm, names.starting), `${zombie}\n`, { mode: 0o600 });
  await planWorks(t, cwd, env, 'the plan');
  t.equal(connections.length, 0, 'the zombie\'s port was not dialled');
  t.notOk(existsSync(join(warm, names.server)) || existsSync(join(warm, names.starting)), 'both files were removed');
  await waitFor('a new server', async () => liveServers(warm).length === 1, 60_000);
  t.pass('and a new server was started (the zombie was not taken for one starting)');
});

t.test('--warm-stop and --warm-status with stale files naming live unrelated processes: nothing is signalled', async (t) => {
  const warm = warmDir(t);
  const env = userEnv(warm);
  const server = await warmServer(t, workingDirectory(), env);
  // A warm server of another directory (another environment): a pid that is a warm server, but not these files'.
  const otherWarm = warmDir(t);
  const other = await warmServer(t, workingDirectory(), userEnv(otherWarm, { AWS_REGION: 'eu-west-1' }));
  const usersOwn = sleeper(t);
  const unrelated: [string, number][] = [
    [`${'1'.repeat(24)}.server`, usersOwn.pid!],
    [`${'2'.repeat(24)}.starting`, 1],
    [`${'3'.repeat(24)}.server`, other.pid],
  ];
  const attacker = withoutAttacker ? undefined : createAttacker(t);
  if (attacker) {
    const idle = attacker.run('idle', {});
    unrelated.push([`${'4'.repeat(24)}.starting`, Number((await idle.waitFor((r) => r.event === 'idle')).pid)]);
  }
  for (const [file, pid] of unrelated) writeFileSync(join(warm, file), file.endsWith('.server') ? `${server.port} ${pid} ${server.build} 1\n` : `${pid}\n`, { mode: 0o600 });

  const listed = directoryStatus(warm).servers;
  t.same(listed.filter((s) => s.alive).map((s) => s.pid), [server.pid], '--warm-status: the one live server');
  t.same(listed.filter((s) => !s.alive).map((s) => s.state), unrelated.map(() => 'stale'), 'and the stale files as stale');
  const stopped = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [join(providerBinDir, 'lib', 'main.js'), '--warm-stop', warm], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error('--warm-stop did not finish')), 30_000);
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.on('close', () => (clearTimeout(timer), resolve(out)));
  });
  t.equal(stopped, 'stopped 1 warm server(s)\n');
  t.notOk(isAlive(server.pid), 'its server was stopped');
  for (const [file, pid] of unrelated) t.ok(isAlive(pid), `the process ${file} named (${pid}) is alive`);
  t.ok(liveServers(otherWarm).some((s) => s.pid === other.pid), 'the other directory\'s server still serves');
  t.same(readdirSync(warm).filter((f) => !f.endsWith('.log')), [], 'and the stale files are gone');
});

t.test('many working directories, one environment: one server serves them all, each launch in its own directory', async (t) => {
  const warm = warmDir(t);
  const env = userEnv(warm);
  const types = ['aws_s3_bucket', 'aws_sqs_queue', 'aws_sns_topic', 'aws_dynamodb_table'];
  const dirs = types.map((type) => workingDirectory({ 'main.tf': `${CONFIG}\nresource "${type}" "x" {}\n` }));
  await warmServer(t, workingDirectory(), env);
  const runs = await Promise.all(dirs.map((dir) => terraform(dir, ['validate', '-no-color'], env)));
  runs.forEach((run, i) => {
    const [type] = [types[i]!];
    t.equal(run.code, 1, `${type}: validate fails`);
    t.match(run.stderr, new RegExp(`hashicorp/aws is needed for ${type}\\b`), `${type}: the error names this directory's type`);
    for (const other of types.filter((o) => o !== type)) t.notOk(run.stderr.includes(other), `${type}: and no other directory's`);
    t.ok(launchesServed(warm, run.pid) >= 1, `${type}: served warm`);
    t.ok(instancesStarted(warm).filter((l) => l.terraform_pid === run.pid).every((l) => l.cwd === dirs[i]), `${type}: with its own working directory`);
  });
  t.equal(servers(warm).length, 1, 'one server');
  await waitFor('--warm-status to list the directories served', async () => dirs.every((d) => liveServers(warm)[0]?.directories?.includes(d)), 10_000);
  t.pass('--warm-status lists the directories it served');
});

withAttacker('a flood of idle and garbage connections to the server during a plan: the plan is served warm', async (t, attacker) => {
  const warm = warmDir(t);
  const cwd = workingDirectory();
  const env = userEnv(warm);
  const server = await warmServer(t, cwd, env);
  const baseline = launchesServed(warm, (await planWorks(t, cwd, env, 'without the flood')).pid);
  const flood = attacker.run('flood', { port: server.port, dir: warm, idle: 600 });
  await flood.waitFor((r) => r.event === 'counts' && Number(r.opened) >= 600 && Number(r.garbage) >= 50);
  const run = await planWorks(t, cwd, env, 'during the flood');
  t.equal(launchesServed(warm, run.pid), baseline, `every launch was served warm (${baseline})`);
  t.ok(flood.reports.some((r) => r.event === 'counts' && Number(r.closedByServer) > 0), 'the server closed flood connections');
  assertNothingOfValue(t, [flood], 'flood');
  t.same(flood.reports.filter((r) => r.event === 'data'), [], 'and sent them nothing');
});

t.test('an environment over the bound (1 MiB): served cold, no server started', async (t) => {
  const warm = warmDir(t);
  const big: Record<string, string> = {};
  for (let i = 0; i < 9; i++) big[`TF_WARM_TEST_LARGE_${i}`] = 'x'.repeat(120 * 1024);
  const env = userEnv(warm, big);
  const cwd = workingDirectory();
  for (let i = 1; i <= 2; i++) await planWorks(t, cwd, env, `plan ${i}`);
  t.same(servers(warm), [], 'no server');
  t.same(existsSync(warm) ? readdirSync(warm) : [], [], 'and no file');
});

t.test('at most TF_AWS_WARM_MAX_SERVERS servers: the one idle longest makes room for another environment', async (t) => {
  const warm = warmDir(t);
  const cwd = workingDirectory();
  const first = await warmServer(t, cwd, userEnv(warm, { TF_AWS_WARM_MAX_SERVERS: '1' }));
  const second = await warmServer(t, cwd, userEnv(warm, { TF_AWS_WARM_MAX_SERVERS: '1', AWS_REGION: 'eu-west-1' }));
  t.not(second.pid, first.pid, 'the other environment has a server of its own');
  await waitFor('the first server to exit', async () => !isAlive(first.pid), 30_000);
  t.ok(serverLog(warm).some((l) => l.pid === first.pid && l.reason === 'making room for another server'), 'the first retired to make room');
  t.same(servers(warm).map((s) => s.pid), [second.pid], 'one server at a time');
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return lstatSync(path).isDirectory() ? [path, ...walk(path)] : [path];
  });
}
