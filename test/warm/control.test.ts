// The warm server's control channel, spoken directly (the launcher's side, without bash): the server says nothing
// first, takes a launch only from a file only the user can have written (and deletes it), answers with the launch's
// nonce and the handshake line, refuses another build or environment, sheds idle and garbage connections, refuses a
// directory that is not private (at start and later), retires over its memory bound, and leaves no file behind.
import t, { type Test } from 'tap';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, linkSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bounded, waitFor } from '../support/processes';
import { createAttacker, noAttackerReason } from './attacker';
import { directoryStatus, isAlive, mainJs, serverLog, warmDir } from './helpers';

const BUILD = 'test-build';
// The environment a server serves, as the launcher writes it (./launcher.sh: printf %q per NAME=VALUE).
const ENVIRONMENT = 'AWS_REGION=us-west-2\nHOME=/home/someone\n';
const CWD = '/nonexistent/workspace';
const IS_ROOT = process.getuid?.() === 0;

interface Started {
  dir: string;
  name: string;
  port: number;
  pid: number;
}

/** Start a server as the launcher does: in its directory, named first in its environment, the rest on stdin. */
function spawnServer(dir: string, env: Record<string, string> = {}) {
  const name = randomBytes(12).toString('hex');
  const child = spawn(process.execPath, [mainJs, '--warm-server'], {
    cwd: dir,
    env: { TF_AWS_WARM_SERVER: name, ...process.env, TF_AWS_WARM_IDLE: '60', ...env },
    stdio: ['pipe', 'ignore', openSync(join(dir, `${name}.log`), 'a')],
    detached: true,
  });
  child.stdin!.end(`${BUILD} ${ENVIRONMENT.length} 022\n${dir}\n${ENVIRONMENT}\n`);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { name, child, exited };
}

async function startServer(t: Test, dir: string, env: Record<string, string> = {}): Promise<Started> {
  const { name, child } = spawnServer(dir, env);
  child.unref();
  // SIGTERM, not SIGKILL: a server that exits removes the socket directories (tfprovider-*) of the instances it
  // still runs; SIGKILL only for one that does not exit. (Polled: the child is unref'd, its exit keeps nothing alive.)
  t.teardown(async () => {
    if (!isAlive(child.pid!)) return;
    child.kill('SIGTERM');
    await waitFor('the server to exit on SIGTERM', () => !isAlive(child.pid!), 10_000).catch(() => child.kill('SIGKILL'));
  });
  const file = join(dir, `${name}.server`);
  await waitFor('the server file', async () => existsSync(file), 30_000);
  const [port, pid, build, size] = readFileSync(file, 'utf8').trim().split(' ');
  t.same([build, size], [BUILD, String(ENVIRONMENT.length)], 'the server file names its build and environment size, and nothing else');
  return { dir, name, port: Number(port), pid: Number(pid) };
}

function privateDir(t: Test): string {
  const dir = warmDir(t);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

interface LaunchFields {
  build?: string;
  environment?: string;
  cwd?: string;
}

/** A launch file as the launcher writes it (0600, created exclusively under a random name). */
function writeLaunch(dir: string, fields: LaunchFields = {}, mode = 0o600): { name: string; nonce: string } {
  const name = `${randomBytes(16).toString('hex')}.launch`;
  const nonce = randomBytes(16).toString('hex');
  const content = ['TFAWS3', nonce, fields.build ?? BUILD, fields.cwd ?? CWD, String(process.pid), String(process.pid), 'PLUGIN_PROTOCOL_VERSIONS=5,6', '', fields.environment ?? ENVIRONMENT];
  writeFileSync(join(dir, name), content.map((f) => `${f}\0`).join(''), { mode, flag: 'wx' });
  chmodSync(join(dir, name), mode);
  return { name, nonce };
}

interface Exchange {
  /** Everything the server sent (until it closed, or until its first line with keepOpen). */
  reply: string;
  /** Whether the server closed the connection. */
  closed: boolean;
  socket: Socket;
}

/** Connect, send `line` (if any) and collect the answer; every call is bounded. */
function exchange(port: number, line: string | undefined, { keepOpen = false, boundMs = 10_000 } = {}): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${boundMs} ms (got ${JSON.stringify(reply)})`));
    }, boundMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => line !== undefined && socket.write(line));
    socket.on('error', () => {});
    socket.on('data', (chunk: string) => {
      reply += chunk;
      if (keepOpen && reply.includes('\n')) {
        clearTimeout(timer);
        resolve({ reply, closed: false, socket });
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ reply, closed: true, socket });
    });
  });
}

const launchFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.launch'));

t.test('a launch file is answered with its nonce and a handshake line, and deleted; its launcher gone, its instance ends', async (t) => {
  const server = await startServer(t, privateDir(t));
  const { name, nonce } = writeLaunch(server.dir);
  const { reply, socket } = await exchange(server.port, `${name}\n`, { keepOpen: true });
  t.match(reply, new RegExp(`^${nonce} 1\\|6\\|unix\\|[^|]+\\|grpc\\|\\n$`), 'the nonce, then a plaintext handshake (no PLUGIN_CLIENT_CERT was sent)');
  t.same(launchFiles(server.dir), [], 'the launch file was deleted as it was read');
  socket.destroy();
  await waitFor('the instance to end', async () => serverLog(server.dir).some((l) => l['@message'] === 'instance ended' && l.reason === 'stopped'), 30_000);
  t.ok(isAlive(server.pid), 'the server goes on');
  const started = serverLog(server.dir).find((l) => l['@message'] === 'instance started');
  t.equal(started?.cwd, CWD, 'the instance was given the launch\'s working directory');
});

t.test('the server says nothing first: a silent connection is closed after a second with nothing sent', async (t) => {
  const server = await startServer(t, privateDir(t));
  const { reply, closed } = await exchange(server.port, undefined);
  t.ok(closed, 'closed by the server');
  t.equal(reply, '', 'nothing to record');
});

t.test('another build or environment is refused, and the launch file is deleted all the same', async (t) => {
  const server = await startServer(t, privateDir(t));
  for (const [fields, expected] of [
    [{ build: 'other' }, 'ERR another build\n'],
    [{ environment: `${ENVIRONMENT}AWS_PROFILE=other\n` }, 'ERR another environment\n'],
    [{ environment: ENVIRONMENT.replace('us-west-2', 'eu-west-1') }, 'ERR another environment\n'],
  ] as const) {
    const { name, nonce } = writeLaunch(server.dir, fields);
    const { reply } = await exchange(server.port, `${name}\n`);
    t.equal(reply, expected);
    t.notOk(reply.includes(nonce), 'no nonce in a refusal');
  }
  t.same(launchFiles(server.dir), [], 'no launch file left');
  // Another working directory is not another server: the directory is the launch's.
  const { name, nonce } = writeLaunch(server.dir, { cwd: '/elsewhere' });
  const { reply, socket } = await exchange(server.port, `${name}\n`, { keepOpen: true });
  t.match(reply, new RegExp(`^${nonce} 1\\|6\\|`), 'a launch from another directory is served');
  socket.destroy();
});

t.test('only a file only the user can have written is taken; the server never blocks on one', async (t) => {
  const server = await startServer(t, privateDir(t));
  const dir = server.dir;
  const valid = writeLaunch(dir);
  const cases: [string, string][] = [];
  cases.push(['a path, not a name', `../${valid.name}`]);
  cases.push(['a name of another form', 'server.launch']);
  cases.push(['a name no file has', `${randomBytes(16).toString('hex')}.launch`]);
  cases.push(['a file others can read', writeLaunch(dir, {}, 0o644).name]);
  const linked = `${randomBytes(16).toString('hex')}.launch`;
  symlinkSync(valid.name, join(dir, linked));
  cases.push(['a symlink to a launch file', linked]);
  const hardLinked = writeLaunch(dir);
  linkSync(join(dir, hardLinked.name), join(dir, 'second-link'));
  cases.push(['a file with another link', hardLinked.name]);
  const fifo = `${randomBytes(16).toString('hex')}.launch`;
  (await import('node:child_process')).execFileSync('mkfifo', ['-m', '600', join(dir, fifo)]);
  cases.push(['a FIFO', fifo]);
  if (IS_ROOT) {
    const foreign = writeLaunch(dir);
    chownSync(join(dir, foreign.name), 65534, 65534);
    cases.push(['a file of another user\'s', foreign.name]);
  }
  for (const [what, name] of cases) {
    const { reply } = await exchange(server.port, `${name}\n`);
    t.notMatch(reply, /\|/, `${what}: no handshake line`);
    t.notOk(reply.includes(valid.nonce), `${what}: no nonce`);
  }
  const { reply, socket } = await exchange(server.port, `${valid.name}\n`, { keepOpen: true });
  t.match(reply, new RegExp(`^${valid.nonce} 1\\|6\\|`), 'the server still serves a valid launch (it neither blocked nor consumed it)');
  socket.destroy();
  // A name is used once: replayed, it finds nothing.
  t.notMatch((await exchange(server.port, `${valid.name}\n`)).reply, /\|/, 'a replayed name gets no handshake');
});

t.test('a valid launch named by another user\'s connection (a relay) gets nothing', { skip: noAttackerReason() }, async (t) => {
  const attacker = createAttacker(t);
  const server = await startServer(t, privateDir(t));
  const { name, nonce } = writeLaunch(server.dir);
  const relay = attacker.run('connect', { port: server.port, line: `${name}\n` });
  await relay.waitFor((r) => r.event === 'closed');
  t.same(relay.reports.filter((r) => r.event === 'data'), [], 'the relaying user received not a byte');
  t.ok(serverLog(server.dir).some((l) => l['@message'].includes('not the user\'s')), 'the server says it dropped a connection of another user');
  // The user's own launches are served as before.
  const next = writeLaunch(server.dir);
  const { reply, socket } = await exchange(server.port, `${next.name}\n`, { keepOpen: true });
  t.match(reply, new RegExp(`^${next.nonce} 1\\|6\\|`));
  t.notOk(reply.includes(nonce));
  socket.destroy();
});

t.test('idle and garbage connections are shed; a launch among them is served', async (t) => {
  const server = await startServer(t, privateDir(t));
  const idle: Socket[] = [];
  const closedEarly: boolean[] = [];
  let bytesToIdle = 0;
  t.teardown(() => idle.forEach((s) => s.destroy()));
  // More idle connections than the server keeps waiting at once (256): the oldest are closed.
  for (let i = 0; i < 400; i++) {
    const socket = connect(server.port, '127.0.0.1');
    socket.on('error', () => {});
    socket.on('data', (chunk) => (bytesToIdle += chunk.length));
    socket.on('close', () => (closedEarly[i] = true));
    idle.push(socket);
    if (i % 50 === 0) await new Promise((r) => setImmediate(r));
  }
  const garbage = await Promise.all(['x'.repeat(4096), '\n', 'GET / HTTP/1.0\r\n\r\n', '\0\0\0\n', `${'0'.repeat(32)}.launch\nmore\n`].map((junk) => exchange(server.port, junk)));
  t.same(garbage.map((g) => g.reply.includes('|')), [false, false, false, false, false], 'garbage gets no handshake line');
  const { name, nonce } = writeLaunch(server.dir);
  const { reply, socket } = await exchange(server.port, `${name}\n`, { keepOpen: true });
  t.match(reply, new RegExp(`^${nonce} 1\\|6\\|`), 'the launch is served');
  socket.destroy();
  await waitFor('the idle connections to be closed', async () => closedEarly.filter(Boolean).length === 400, 15_000);
  t.pass('every idle connection was closed by the server (the oldest to make room, the others after a second)');
  t.equal(bytesToIdle, 0, 'no idle connection was sent a byte');
});

t.test('a directory others can read is refused at start: no server file, no log, one refusal mark', async (t) => {
  const dir = privateDir(t);
  chmodSync(dir, 0o755);
  const { name, exited } = spawnServer(dir);
  t.equal(await bounded(exited, 30_000, 'the refusing server to exit'), 0);
  t.same(readdirSync(dir), ['refused'], 'only the refusal mark is left');
  t.match(readFileSync(join(dir, 'refused'), 'utf8'), /^\d+ its mode is 0755, not 0700\n$/, 'it says until when, and why');
  t.notOk(existsSync(join(dir, `${name}.server`)));
  t.match(directoryStatus(dir).refused?.reason, /0755/, '--warm-status shows the refusal');
});

t.test('a location whose parent others can write to (without the sticky bit) is refused', async (t) => {
  const base = mkdtempSync(join(tmpdir(), 'tfwarm-open-'));
  t.teardown(() => rmSync(base, { recursive: true, force: true }));
  chmodSync(base, 0o777);
  const dir = join(base, 'servers');
  mkdirSync(dir, { mode: 0o700 });
  const { exited } = spawnServer(dir);
  t.equal(await bounded(exited, 30_000, 'the refusing server to exit'), 0);
  t.match(readFileSync(join(dir, 'refused'), 'utf8'), new RegExp(`^\\d+ ${base} can be written by others\\n$`));
  t.same(readdirSync(dir), ['refused']);
});

t.test('a directory that stops being private: the server serves no more launches, exits and removes its files', async (t) => {
  const server = await startServer(t, privateDir(t));
  chmodSync(server.dir, 0o750);
  const { name } = writeLaunch(server.dir);
  const { reply } = await exchange(server.port, `${name}\n`).catch(() => ({ reply: '' }));
  t.notMatch(reply, /\|/, 'no handshake line');
  await waitFor('the server to exit', async () => !isAlive(server.pid), 30_000);
  t.same(readdirSync(server.dir).filter((f) => /\.(server|starting|status)$/.test(f)), [], 'its .server, .starting and .status files are gone');
  t.match(readFileSync(join(server.dir, 'refused'), 'utf8'), /its mode is 0750/);
});

t.test('over its memory bound, a server takes no more launches and exits once idle, its files removed', async (t) => {
  const server = await startServer(t, privateDir(t), { TF_AWS_WARM_MAX_RSS: '1' });
  await waitFor('the server to exit', async () => !isAlive(server.pid), 30_000);
  t.ok(serverLog(server.dir).some((l) => l['@message'] === 'serving no new launches' && l.reason === 'over its memory bound'), 'it said why');
  t.same(readdirSync(server.dir).filter((f) => !f.endsWith('.log')), [], 'nothing but its log is left');
});

t.test('SIGTERM: the server exits and removes its files', async (t) => {
  const server = await startServer(t, privateDir(t));
  t.equal(directoryStatus(server.dir).servers[0]?.state, 'listening');
  process.kill(server.pid, 'SIGTERM');
  await waitFor('the server to exit', async () => !isAlive(server.pid), 30_000);
  t.same(readdirSync(server.dir).filter((f) => !f.endsWith('.log')), [], 'nothing but its log is left');
});
