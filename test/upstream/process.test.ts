// The upstream child process with fake go-plugin children (shell scripts): the handshake, its stderr passed on as
// our log, every way of failing to start (crash, wrong protocol, no handshake in time), and a child that never
// outlives us, even when we are SIGKILLed, under either guard.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import t from 'tap';
import { Logger } from '../../src/protocol/log';
import { parseHandshake, UpstreamError, UpstreamProcess } from '../../src/upstream/process';
import { commandLine, isAlive as alive } from '../support/processes';

const dir = mkdtempSync(join(tmpdir(), 'upstream-process-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const CERT = Buffer.from('fake certificate').toString('base64').replace(/=+$/, '');
function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}
// A well-behaved child: checks what go-plugin's server checks, logs like hashicorp/aws, then serves "forever".
const ok = script(
  'ok.sh',
  `[ "$TF_PLUGIN_MAGIC_COOKIE" = d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2 ] || exit 9
[ "$PLUGIN_PROTOCOL_VERSIONS" = 5 ] || exit 8
case "$PLUGIN_CLIENT_CERT" in -----BEGIN*) ;; *) exit 7 ;; esac
echo "Starting fake provider..." >&2
echo '{"@level":"info","@message":"configuring server","@module":"sdk.proto","@timestamp":"2026-01-01T00:00:00.000000Z","secret_key":"hunter2"}' >&2
echo '{"@level":"trace","@message":"too detailed","@timestamp":"2026-01-01T00:00:00.000000Z"}' >&2
[ -n "$PID_FILE" ] && echo $$ > "$PID_FILE"
echo "1|5|unix|/tmp/fake-plugin.sock|grpc|${CERT}"
exec sleep 600`,
);

function capture(threshold: 'debug' | 'info' = 'debug'): { log: Logger; lines: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  return { log: new Logger('provider', threshold, (line) => lines.push(line)), lines: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

t.test('handshake, and the child stderr passed on as our log records', async (t) => {
  const { log, lines } = capture();
  const child = await UpstreamProcess.start({ binary: ok, clientCertPem: '-----BEGIN CERTIFICATE-----\n', log, env: process.env, cwd: dir });
  t.teardown(() => child.kill());
  t.same(child.handshake, { network: 'unix', address: '/tmp/fake-plugin.sock', serverCertDer: Buffer.from('fake certificate') });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const records = lines().filter((r) => String(r['@module']).startsWith('provider.upstream'));
  t.match(records, [
    { '@level': 'debug', '@message': 'Starting fake provider...', '@module': 'provider.upstream' },
    { '@level': 'info', '@message': 'configuring server', '@module': 'provider.upstream.sdk.proto', '@timestamp': '2026-01-01T00:00:00.000000Z', secret_key: '[REDACTED]' },
  ]);
  t.equal(records.length, 2, 'the trace record is below our level');
  child.kill();
  t.equal((await child.exited).signal, 'SIGKILL');
});

t.test("the child runs in the launch's directory with the launch's environment, not ours", async (t) => {
  const { log } = capture();
  const launchDir = mkdtempSync(join(tmpdir(), 'upstream-launch-'));
  t.teardown(() => rmSync(launchDir, { recursive: true, force: true }));
  const seen = join(dir, 'seen.txt');
  const binary = script('where.sh', `echo "$(pwd -P) $LAUNCH_ONLY_VARIABLE $PLUGIN_PROTOCOL_VERSIONS" > ${seen}\necho "1|5|unix|/tmp/x|grpc|${CERT}"\nexec sleep 600`);
  const child = await UpstreamProcess.start({ binary, clientCertPem: '-----BEGIN', log, env: { PATH: process.env.PATH, LAUNCH_ONLY_VARIABLE: 'from-the-launch' }, cwd: launchDir });
  t.teardown(() => child.kill());
  t.equal(readFileSync(seen, 'utf8').trim(), `${realpathSync(launchDir)} from-the-launch 5`);
  t.not(realpathSync(launchDir), realpathSync(process.cwd()), 'a directory other than the process\'s own');
});

t.test('failures to start are UpstreamErrors that say what happened', async (t) => {
  const { log } = capture();
  const start = (binary: string, startTimeoutMs?: number) => UpstreamProcess.start({ binary, clientCertPem: '-----BEGIN', log, startTimeoutMs, env: process.env, cwd: dir });
  await t.rejects(start(script('crash.sh', 'echo "panic: no credentials" >&2\nexit 3')), {
    constructor: UpstreamError,
    message: /exited \(code 3\) before completing the plugin handshake\.\nIts last output:\npanic: no credentials/,
  });
  await t.rejects(start(script('v6.sh', `echo "1|6|unix|/tmp/x|grpc|${CERT}"\nexec sleep 600`)), { message: /plugin protocol 6; only protocol 5/ });
  await t.rejects(start(script('garbage.sh', 'echo "hello world"\nexec sleep 600')), { message: /unexpected plugin handshake line: "hello world"/ });
  await t.rejects(start(script('plain.sh', 'echo "1|5|unix|/tmp/x|grpc|"\nexec sleep 600')), { message: /no TLS certificate/ });
  const pidFile = join(dir, 'silent.pid');
  await t.rejects(start(script('silent.sh', `echo $$ > ${pidFile}\nexec sleep 600`), 500), { message: /printed no handshake within 0.5 s; it was stopped/ });
  await t.rejects(start(join(dir, 'missing')), { message: /exited|could not start/ });
  t.notOk(alive(Number(readFileSync(pidFile, 'utf8'))), 'the silent child was killed');
});

// A child that listens on a real unix socket (or, with FILE_INSTEAD=1, announces a regular file) at $SOCKET.
const listening = script(
  'listening.sh',
  `if [ "$FILE_INSTEAD" = 1 ]; then : > "$SOCKET"; echo "1|5|unix|$SOCKET|grpc|${CERT}"; exec sleep 600; fi
exec "${process.execPath}" -e "require('node:net').createServer().listen(process.argv[1], () => console.log('1|5|unix|' + process.argv[1] + '|grpc|${CERT}'))" "$SOCKET"`,
);

t.test('a child we kill cannot remove its socket: we do; a path it names that is not a socket stays', async (t) => {
  const { log } = capture();
  const start = (env: NodeJS.ProcessEnv) => UpstreamProcess.start({ binary: listening, clientCertPem: '-----BEGIN', log, env: { ...process.env, ...env }, cwd: dir });
  const socket = join(dir, 'plugin123');
  const child = await start({ SOCKET: socket });
  t.teardown(() => child.kill());
  t.equal(child.handshake.address, socket);
  t.ok(lstatSync(socket).isSocket(), 'the child listens on its socket');
  child.kill();
  t.equal((await child.exited).signal, 'SIGKILL');
  t.notOk(existsSync(socket), 'the socket is gone with the child');

  const file = join(dir, 'not-a-socket');
  const liar = await start({ SOCKET: file, FILE_INSTEAD: '1' });
  t.teardown(() => liar.kill());
  liar.kill();
  await liar.exited;
  t.ok(lstatSync(file).isFile(), 'a regular file the child named is left alone');
});

t.test('parseHandshake reads go-plugin lines', async (t) => {
  t.same(parseHandshake(`1|5|tcp|127.0.0.1:1234|grpc|${CERT}`), { network: 'tcp', address: '127.0.0.1:1234', serverCertDer: Buffer.from('fake certificate') });
  t.match(parseHandshake(`2|5|unix|/x|grpc|${CERT}`), { message: /core protocol version 2/ });
  t.match(parseHandshake(`1|5|unix|/x|netrpc|${CERT}`), { message: /not grpc/ });
});

// A parent process of our own that starts the fake child, reports the child's pid, and waits to be killed.
const parentScript = join(dir, 'parent.js');
buildSync({
  stdin: {
    contents: `
      import { readFileSync } from 'node:fs';
      import { UpstreamProcess } from './src/upstream/process';
      import { Logger } from './src/protocol/log';
      const [binary, guard, pidFile] = process.argv.slice(2);
      UpstreamProcess.start({ binary, clientCertPem: '-----BEGIN', log: new Logger('p', 'off'), guard, env: { ...process.env, PID_FILE: pidFile }, cwd: process.cwd() })
        .then(() => console.log('ready ' + readFileSync(pidFile, 'utf8').trim()));
      setInterval(() => {}, 1000);`,
    resolveDir: join(__dirname, '..', '..'),
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: parentScript,
  logLevel: 'error',
});

for (const guard of ['setpriv', 'watchdog'] as const) {
  t.test(`${guard}: the child dies with us, even when we are SIGKILLed`, { skip: guard === 'setpriv' && process.platform !== 'linux' }, async (t) => {
    const pidFile = join(dir, `${guard}.pid`);
    const parent = spawn(process.execPath, [parentScript, ok, guard, pidFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    let childPid: number | undefined;
    // Neither outlives the test, whatever fails: the parent, and the child while it is still the fake upstream (ok.sh execs sleep).
    t.teardown(() => {
      if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL');
      if (childPid !== undefined && alive(childPid) && commandLine(childPid).startsWith('sleep 600')) process.kill(childPid, 'SIGKILL');
    });
    childPid = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the parent did not report its child within 30 s')), 30_000);
      parent.stdout.on('data', (chunk: Buffer) => {
        const match = /ready (\d+)/.exec(chunk.toString());
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      parent.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`parent exited (${code})`));
      });
    });
    t.ok(alive(childPid), `child ${childPid} runs`);
    parent.kill('SIGKILL');
    const gone = await waitUntil(() => !alive(childPid), 5_000);
    t.ok(gone, `child ${childPid} is gone after the parent was killed`);
  });
}


async function waitUntil(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}
