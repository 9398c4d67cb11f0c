// The warm server's control channel, spoken directly (the launcher's side, without bash): it proves itself first,
// serves only a launcher that knows the secret and whose build, directory and environment are the server's, and
// ends an instance when its launcher goes.
import t, { type Test } from 'tap';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { waitFor } from '../support/processes';
import { isAlive, mainJs, serverLog, warmDir } from './helpers';

const BUILD = 'test-build';
const CWD = '/nonexistent/workspace';
// The environment a server serves, as the launcher writes it (./launcher.sh: printf %q per NAME=VALUE).
const ENVIRONMENT = 'AWS_REGION=us-west-2\nHOME=/home/someone\n';

interface Started {
  dir: string;
  name: string;
  port: number;
  pid: number;
  proof: string;
  secret: string;
}

async function startServer(t: Test, dir: string): Promise<Started> {
  const name = 'test-server';
  // As the launcher starts it: detached, the environment on its stdin, its output appended to its log file.
  const child = spawn(process.execPath, [mainJs, '--warm-server', dir, name, BUILD, CWD, String(ENVIRONMENT.length)], {
    env: { ...process.env, TF_AWS_WARM_IDLE: '60' },
    stdio: ['pipe', 'ignore', openSync(join(dir, `${name}.log`), 'a')],
    detached: true,
  });
  child.stdin!.end(`${ENVIRONMENT}\n`);
  child.unref();
  const file = join(dir, `${name}.server`);
  await waitFor('the server file', async () => existsSync(file), 30_000);
  const [first, cwd] = readFileSync(file, 'utf8').split('\n');
  const [port, pid, proof, secret, build, size] = first.split(' ');
  t.same([build, size, cwd], [BUILD, String(ENVIRONMENT.length), CWD], 'the server file names its build, environment size and directory');
  t.teardown(() => {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone
    }
  });
  return { dir, name, port: Number(port), pid: Number(pid), proof, secret };
}

function privateDir(t: Test): string {
  const dir = warmDir(t);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Connect, read the proof line, send `fields` NUL-separated; resolves with everything the server sent after. */
function talk(server: Started, fields: string[], keepOpen = false): Promise<{ proof: string; reply: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    let received = '';
    let proof: string | undefined;
    socket.setEncoding('utf8');
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (proof === undefined && received.includes('\n')) {
        proof = received.slice(0, received.indexOf('\n'));
        received = received.slice(proof.length + 1);
        socket.write(fields.map((f) => `${f}\0`).join(''));
      }
      if (keepOpen && received.includes('\n')) resolve({ proof: proof!, reply: received, socket });
    });
    socket.on('close', () => resolve({ proof: proof ?? '', reply: received, socket }));
  });
}

const hello = (s: Started, overrides: { secret?: string; build?: string; cwd?: string; environment?: string } = {}) => [
  'TFAWS2',
  overrides.secret ?? s.secret,
  overrides.build ?? BUILD,
  overrides.cwd ?? CWD,
  String(process.pid),
  String(process.pid),
  'PLUGIN_PROTOCOL_VERSIONS=5,6',
  '',
  overrides.environment ?? ENVIRONMENT,
];

t.test('the server proves itself first, then refuses a wrong secret without a word', async (t) => {
  const server = await startServer(t, privateDir(t));
  const { proof, reply } = await talk(server, hello(server, { secret: 'f'.repeat(64) }));
  t.equal(proof, server.proof, 'the first line is the proof from the server file');
  t.equal(reply, '', 'a wrong secret gets nothing back');
});

t.test('another build, directory or environment is refused, and says which of them', async (t) => {
  const server = await startServer(t, privateDir(t));
  t.equal((await talk(server, hello(server, { build: 'other' }))).reply, 'ERR another build\n');
  t.equal((await talk(server, hello(server, { cwd: '/elsewhere' }))).reply, 'ERR another working directory\n');
  t.equal((await talk(server, hello(server, { environment: `${ENVIRONMENT}AWS_PROFILE=other\n` }))).reply, 'ERR another environment\n');
  t.equal((await talk(server, hello(server, { environment: ENVIRONMENT.replace('us-west-2', 'eu-west-1') }))).reply, 'ERR another environment\n');
});

t.test('a launch is answered with a handshake line; its launcher gone, its instance ends', async (t) => {
  const server = await startServer(t, privateDir(t));
  const { reply, socket } = await talk(server, hello(server), true);
  t.match(reply, /^1\|6\|unix\|[^|]+\|grpc\|\n/, 'a plaintext handshake (no PLUGIN_CLIENT_CERT was sent)');
  socket.destroy();
  await waitFor('the instance to end', async () => serverLog(server.dir).some((l) => l['@message'] === 'instance ended' && l.reason === 'stopped'), 30_000);
  t.ok(isAlive(server.pid), 'the server goes on');
});

t.test('a directory others can read is refused', async (t) => {
  const dir = privateDir(t);
  chmodSync(dir, 0o755);
  const child = spawn(process.execPath, [mainJs, '--warm-server', dir, 'test-server', BUILD, CWD, String(ENVIRONMENT.length)], { stdio: ['pipe', 'ignore', 'pipe'] });
  child.stdin!.end(`${ENVIRONMENT}\n`);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  t.equal(code, 0);
  t.match(stderr, /must be a directory of ours, mode 0700/);
  t.notOk(existsSync(join(dir, 'test-server.server')), 'no server file');
});
