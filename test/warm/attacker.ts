// Another local user, for the warm server's attack tests: created for the test with useradd (root only; the tests
// that need one are skipped with the reason otherwise) and removed after it. Its processes are Node scripts run with
// setpriv under its uid, knowing everything but the user's private files; each reports what it received on stdout,
// one JSON object a line, so that the tests can assert on the bytes the attacker got.
import type { Test } from 'tap';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface Report {
  event: string;
  [key: string]: unknown;
}

export interface AttackerProcess {
  child: ChildProcess;
  reports: Report[];
  /** Resolves with the first report `match` accepts (bounded, like every wait in these tests). */
  waitFor(match: (report: Report) => boolean, boundMs?: number): Promise<Report>;
  /** SIGKILL it (by its pid) and wait for it to exit. */
  stop(): Promise<void>;
}

export interface Attacker {
  name: string;
  uid: number;
  gid: number;
  /** Run one of the scripts below as the attacker: `mode` and its JSON arguments. */
  run(mode: Mode, args: Record<string, unknown>): AttackerProcess;
}

type Mode = 'squat' | 'connect' | 'flood' | 'swap' | 'watch' | 'idle';

/** Why the attacker tests cannot run here, or undefined. */
export function noAttackerReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'creating a second user needs root';
  try {
    execFileSync('sh', ['-c', 'command -v useradd && command -v userdel && command -v setpriv'], { stdio: 'ignore' });
  } catch {
    return 'useradd, userdel or setpriv is missing';
  }
  return undefined;
}

/** A fresh user for this test, removed (with every process it still runs that the test started) at teardown. */
export function createAttacker(t: Test): Attacker {
  const name = `tfatk${randomBytes(4).toString('hex')}`;
  execFileSync('useradd', ['--system', '--no-create-home', '--user-group', '--shell', '/usr/sbin/nologin', name], { stdio: 'ignore', timeout: 30_000 });
  const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
  const started: AttackerProcess[] = [];
  t.teardown(async () => {
    for (const process of started) await process.stop();
    execFileSync('userdel', [name], { stdio: 'ignore', timeout: 30_000 });
  });
  return {
    name,
    uid,
    gid,
    run(mode, args) {
      const child = spawn('setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--', process.execPath, '-e', SCRIPT, mode, JSON.stringify(args)], {
        stdio: ['ignore', 'pipe', 'pipe'],
        cwd: '/',
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      });
      const reports: Report[] = [];
      const waiters = new Set<() => void>();
      let buffered = '';
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        buffered += chunk;
        for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
          reports.push(JSON.parse(buffered.slice(0, nl)) as Report);
          buffered = buffered.slice(nl + 1);
        }
        for (const wake of waiters) wake();
      });
      let stderr = '';
      child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const attackerProcess: AttackerProcess = {
        child,
        reports,
        waitFor(match, boundMs = 30_000) {
          return new Promise((resolve, reject) => {
            const check = () => {
              const found = reports.find(match);
              if (!found) return;
              clearTimeout(timer);
              waiters.delete(check);
              resolve(found);
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              reject(new Error(`the attacker's ${mode} did not report in ${boundMs} ms (stderr: ${stderr.slice(-500)})`));
            }, boundMs);
            waiters.add(check);
            check();
          });
        },
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          await exited;
        },
      };
      started.push(attackerProcess);
      return attackerProcess;
    },
  };
}

/**
 * The attacker's scripts (plain Node, no modules of ours). Every byte received is reported as `data` (utf8 and hex);
 * a line that looks like a launch file's name is tried (`open`, with the error code it got).
 *   squat   {port, reply?}      bind a port (a dead server's), answer `reply` (recorded bytes) to whatever comes
 *   connect {port, line}        connect, send `line`, report what comes back until the server closes
 *   flood   {port, idle}        hold `idle` idle connections (reopened when closed) and send garbage in a loop
 *   swap    {base, a, b}        swap directories <base>/<a> and <base>/<b> by renames, as fast as it can
 *   watch   {dir}               read every file that appears in `dir`, over and over (what it can read is `data`)
 *   idle    {}                  do nothing (a live process of another user, whose pid a stale file can name)
 */
const SCRIPT = String.raw`
const net = require('net'), fs = require('fs'), path = require('path');
const [mode, json] = process.argv.slice(1);
const args = JSON.parse(json);
const report = (event, fields = {}) => process.stdout.write(JSON.stringify({ event, ...fields }) + '\n');
const received = (socket, chunk) => {
  report('data', { text: chunk.toString('utf8'), hex: chunk.toString('hex') });
  for (const line of chunk.toString('utf8').split('\n')) {
    if (!/\.launch$/.test(line) || !args.dir) continue;
    try { fs.readFileSync(path.join(args.dir, line)); report('open', { name: line, code: 'read' }); }
    catch (err) { report('open', { name: line, code: err.code }); }
  }
};
if (mode === 'squat') {
  const server = net.createServer((socket) => {
    report('connection');
    socket.on('error', () => {});
    socket.on('data', (chunk) => { received(socket, chunk); if (args.reply) socket.write(Buffer.from(args.reply, 'hex')); });
  });
  server.listen({ host: '127.0.0.1', port: args.port }, () => report('listening', { port: server.address().port }));
  server.on('error', (err) => report('error', { code: err.code }));
} else if (mode === 'connect') {
  const socket = net.connect(args.port, '127.0.0.1', () => { report('connected'); socket.write(args.line); });
  socket.on('data', (chunk) => received(socket, chunk));
  socket.on('error', (err) => report('error', { code: err.code }));
  socket.on('close', () => report('closed'));
} else if (mode === 'flood') {
  let opened = 0, closedByServer = 0, garbage = 0;
  const idle = () => {
    const socket = net.connect(args.port, '127.0.0.1', () => opened++);
    socket.on('data', (chunk) => received(socket, chunk));
    socket.on('error', () => {});
    socket.on('close', () => { closedByServer++; setImmediate(idle); });
  };
  for (let i = 0; i < args.idle; i++) idle();
  const junk = ['\n', 'x'.repeat(4096), '../../etc/passwd\n', '00000000000000000000000000000000.launch\n', 'GET / HTTP/1.0\r\n\r\n', '\0\0\0'];
  const spray = () => {
    const socket = net.connect(args.port, '127.0.0.1', () => socket.write(junk[garbage++ % junk.length]));
    socket.on('data', (chunk) => received(socket, chunk));
    socket.on('error', () => {});
    socket.on('close', () => setImmediate(spray));
  };
  for (let i = 0; i < 8; i++) spray();
  setInterval(() => report('counts', { opened, closedByServer, garbage }), 500);
} else if (mode === 'swap') {
  const a = path.join(args.base, args.a), b = path.join(args.base, args.b), t = path.join(args.base, '.swap');
  let swaps = 0;
  setInterval(() => report('swaps', { swaps }), 500);
  const loop = () => {
    for (let i = 0; i < 200; i++) {
      try { fs.renameSync(a, t); fs.renameSync(b, a); fs.renameSync(t, b); swaps++; } catch { try { fs.renameSync(t, b); } catch {} }
    }
    setImmediate(loop);
  };
  loop();
} else if (mode === 'watch') {
  const seen = new Set();
  let rounds = 0;
  setInterval(() => report('rounds', { rounds }), 500);
  const loop = () => {
    let names = [];
    try { names = fs.readdirSync(args.dir); } catch {}
    for (const name of names) {
      try {
        const content = fs.readFileSync(path.join(args.dir, name));
        const key = name + ':' + content.toString('hex');
        if (!seen.has(key)) { seen.add(key); report('data', { name, text: content.toString('utf8'), hex: content.toString('hex') }); }
      } catch {}
    }
    rounds++;
    setTimeout(loop, 2);
  };
  loop();
} else {
  report('idle', { pid: process.pid });
  setInterval(() => {}, 1 << 30);
}
`;
