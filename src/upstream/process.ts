// The hashicorp/aws child process, from our side of go-plugin: we are its client, as Terraform is ours.
//
// Launch: the magic cookie, PLUGIN_PROTOCOL_VERSIONS=5 and our own client certificate (AutoMTLS) in the
// environment; the child prints `1|5|unix|<socket>|grpc|<server cert>` on stdout and serves gRPC there.
// Its stderr (two plain lines, then hclog JSON) is passed on to ours, marked as the upstream's, so TF_LOG shows it.
//
// It must never outlive us. On Linux it is started through util-linux's `setpriv --pdeathsig KILL`, so the kernel
// kills it when we die, however we die (even SIGKILL). Without setpriv a small shell watchdog polls our pid and kills
// it within a second (on Windows, which has neither, it is started directly). Whatever the guard, a normal exit of
// ours kills it at once (the 'exit' handler).
// A killed child cannot remove its unix socket (go-plugin's plugin<N> in its TMPDIR): whenever we kill one, we remove
// it (only SIGKILL of ours, which takes the child with it, leaves one).
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, lstatSync, rmSync, constants as fsConstants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../protocol/handshake';
import type { Environment } from '../protocol/launch';
import type { Logger, LogLevel } from '../protocol/log';

/** go-plugin's default: the handshake line must arrive within a minute. */
const DEFAULT_START_TIMEOUT_MS = 60_000;
const UPSTREAM_PROTOCOL_VERSION = '5';

export interface Handshake {
  network: 'unix' | 'tcp';
  address: string;
  /** DER of the child's server certificate, the only root we trust for its TLS. */
  serverCertDer: Buffer;
}

export interface StartOptions {
  binary: string;
  /** PEM of our client certificate: the only CA the child accepts. */
  clientCertPem: string;
  /** The launch's environment and working directory: the child's, as Terraform would have given them to it. */
  env: Environment;
  cwd: string;
  log: Logger;
  startTimeoutMs?: number;
  /** How the child is tied to our lifetime; `auto` = setpriv where available, else the shell watchdog (none on Windows). */
  guard?: 'auto' | 'setpriv' | 'watchdog' | 'none';
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A failure of the upstream process, phrased for the user (it becomes a diagnostic). */
export class UpstreamError extends Error {}

/** A running child that has completed its handshake. */
export class UpstreamProcess {
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<Exit>;
  private exit: Exit | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly handshake: Handshake,
    exited: Promise<Exit>,
    private readonly killGroup: boolean,
    private readonly output: LogTarget,
    private readonly socket: SocketOfChild,
  ) {
    this.exited = exited.then((exit) => (this.exit = exit));
  }

  /** Where its stderr goes from now on (a parked child serves one launch after another: src/upstream/pool.ts). */
  logTo(log: Logger): void {
    this.output.upstream = log.child('upstream');
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** How it ended, once it has. */
  get exitStatus(): Exit | undefined {
    return this.exit;
  }

  kill(): void {
    if (this.exit) return;
    killNow(this.child, this.killGroup, this.socket);
  }

  /** Start the binary and wait for its handshake line. Rejects with an UpstreamError. */
  static start(options: StartOptions): Promise<UpstreamProcess> {
    const { binary, log } = options;
    const setpriv = setprivPath(options.env.PATH);
    const guard = options.guard && options.guard !== 'auto' ? options.guard : setpriv ? 'setpriv' : process.platform === 'win32' ? 'none' : 'watchdog';
    const env = {
      ...options.env,
      [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
      PLUGIN_PROTOCOL_VERSIONS: UPSTREAM_PROTOCOL_VERSION,
      PLUGIN_CLIENT_CERT: options.clientCertPem,
    };
    const [command, args]: [string, string[]] =
      guard === 'setpriv'
        ? [setpriv ?? 'setpriv', ['--pdeathsig', 'KILL', '--', binary]]
        : guard === 'watchdog'
          ? ['/bin/sh', ['-c', WATCHDOG_SCRIPT, 'upstream-watchdog', binary, String(process.pid)]]
          : [binary, []];

    return new Promise((resolve, reject) => {
      const started = performance.now();
      // The watchdog runs in its own process group, so that killing the group takes the binary with it.
      const child = spawn(command, args, { env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: guard === 'watchdog' });
      const killGroup = guard === 'watchdog';
      const socket: SocketOfChild = {};
      const killOnExit = () => killNow(child, killGroup, socket);
      process.on('exit', killOnExit);
      const exited = new Promise<Exit>((done) =>
        child.once('exit', (code, signal) => {
          process.off('exit', killOnExit);
          done({ code, signal });
        }),
      );

      const stderrTail: string[] = [];
      const output: LogTarget = { upstream: log.child('upstream') };
      forwardStderr(child, output, stderrTail);

      let settled = false;
      const fail = (message: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        killNow(child, killGroup, socket);
        const tail = stderrTail.filter((line) => !line.startsWith('{')).slice(-5).join('\n');
        reject(new UpstreamError(tail ? `${message}\nIts last output:\n${tail}` : message));
      };
      const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
      const timer = setTimeout(() => fail(`${binary} printed no handshake within ${timeoutMs / 1000} s; it was stopped.`), timeoutMs);
      child.once('error', (err) => fail(`could not start ${binary}: ${err.message}`));
      void exited.then(({ code, signal }) =>
        fail(`${binary} exited (${signal ? `signal ${signal}` : `code ${code}`}) before completing the plugin handshake.`),
      );

      let stdout = '';
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (chunk: string) => {
        if (settled) return; // go-plugin writes nothing else on stdout; the rest is drained and dropped
        stdout += chunk;
        const newline = stdout.indexOf('\n');
        if (newline < 0) return;
        const parsed = parseHandshake(stdout.slice(0, newline).trim());
        if (parsed instanceof Error) return fail(`${binary}: ${parsed.message}`);
        settled = true;
        clearTimeout(timer);
        if (parsed.network === 'unix') socket.path = parsed.address;
        log.debug('upstream handshake', { pid: child.pid, ms: Math.round(performance.now() - started), network: parsed.network });
        resolve(new UpstreamProcess(child, parsed, exited, killGroup, output, socket));
      });
    });
  }
}

/**
 * Runs the binary ($1) in the background and kills it as soon as our process ($2) is gone; exits with its status.
 * Used where setpriv is not available (not Linux, or no util-linux).
 */
const WATCHDOG_SCRIPT = `"$1" & child=$!
while kill -0 "$child" 2>/dev/null; do
  if ! kill -0 "$2" 2>/dev/null; then kill -9 "$child" 2>/dev/null; exit 1; fi
  sleep 1
done
wait "$child"`;

/** The unix socket the child announced in its handshake, once it has. */
interface SocketOfChild {
  path?: string;
}

function killNow(child: ChildProcess, group: boolean, socket: SocketOfChild): void {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    process.kill(group ? -child.pid : child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  removeSocket(socket.path);
}

/** Removes what the child announced only if it is a socket of ours: a path it printed is not trusted further. */
function removeSocket(path: string | undefined): void {
  if (!path || !isAbsolute(path)) return;
  try {
    const stat = lstatSync(path);
    if (stat.isSocket() && stat.uid === process.getuid?.()) rmSync(path, { force: true });
  } catch {
    // gone already, or never made
  }
}

/** util-linux's setpriv on the launch's PATH (Linux only), or null. */
function setprivPath(path: string | undefined): string | null {
  if (process.platform !== 'linux') return null;
  // Relative entries would be looked up in our own directory, not the launch's: only absolute ones are searched.
  for (const dir of (path || '/usr/bin:/bin').split(delimiter).filter(isAbsolute)) {
    const candidate = join(dir, 'setpriv');
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** `CORE|APP|NETWORK|ADDR|PROTOCOL|CERT`, as a go-plugin server prints it; an Error says what is wrong. */
export function parseHandshake(line: string): Handshake | Error {
  const fields = line.split('|');
  if (fields.length < 6) return new Error(`unexpected plugin handshake line: ${JSON.stringify(line.slice(0, 200))}`);
  const [core, app, network, address, protocol, cert] = fields as [string, string, string, string, string, string];
  if (core !== '1') return new Error(`incompatible go-plugin core protocol version ${core} (expected 1)`);
  if (app !== UPSTREAM_PROTOCOL_VERSION) {
    return new Error(`answered with plugin protocol ${app}; only protocol ${UPSTREAM_PROTOCOL_VERSION} providers can serve delegated types`);
  }
  if (network !== 'unix' && network !== 'tcp') return new Error(`unsupported network ${JSON.stringify(network)} in its handshake`);
  if (protocol !== 'grpc') return new Error(`speaks ${JSON.stringify(protocol)}, not grpc`);
  if (!cert) return new Error('offered no TLS certificate although a client certificate was given');
  return { network, address, serverCertDer: Buffer.from(cert, 'base64') };
}

const HCLOG_LEVEL = /"@level":"(trace|debug|info|warn|error)"/;
const PLAIN_LEVEL = /^\[(TRACE|DEBUG|INFO|WARN|ERROR)\]\s*/;

/** The logger the child's output goes to; it changes when a parked child is taken by another launch. */
interface LogTarget {
  upstream: Logger;
}

/**
 * Pass the child's stderr lines on as our own log records: hclog JSON lines keep their fields, `@module` placed
 * under ours (`provider.upstream.sdk.proto`); plain lines become records at their `[LEVEL]` prefix's level (else debug). Lines below
 * our log level are dropped here (the child logs everything; Terraform would drop them anyway). The last lines
 * are kept in `tail` for error messages.
 */
function forwardStderr(child: ChildProcess, output: LogTarget, tail: string[]): void {
  let pending = '';
  const line = (text: string) => {
    const upstreamLog = output.upstream;
    if (text === '') return;
    tail.push(text.length > 500 ? `${text.slice(0, 500)}…` : text);
    if (tail.length > 20) tail.shift();
    if (text.startsWith('{')) {
      // Most lines are trace records: skip parsing those our level drops.
      const level = HCLOG_LEVEL.exec(text)?.[1] as LogLevel | undefined;
      if (!upstreamLog.enabled(level ?? 'debug')) return;
      try {
        upstreamLog.forward(JSON.parse(text) as Record<string, unknown>);
        return;
      } catch {
        // not JSON after all: passed on as a plain line
      }
    }
    const prefix = PLAIN_LEVEL.exec(text);
    const level = (prefix?.[1]?.toLowerCase() ?? 'debug') as LogLevel;
    upstreamLog[level](prefix ? text.slice(prefix[0].length) : text);
  };
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      line(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
    }
  });
  child.stderr!.on('end', () => line(pending));
}
