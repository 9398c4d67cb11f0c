// The plugin process: go-plugin's launch contract (magic cookie, protocol version, the handshake line on stdout) and
// the process's lifecycle (Shutdown, signals, parent death) around one provider instance (./instance.ts).
import { readFileSync, writeSync } from 'node:fs';
import type { Environment } from './launch';
import { hasMagicCookie, negotiateProtocolVersion, NOT_A_PLUGIN_MESSAGE, type ListenAddress } from './handshake';
import { ProviderInstance, type LoadHandlers } from './instance';
import { log as rootLog, type Logger } from './log';

export type { LoadHandlers } from './instance';

export interface ServeOptions {
  /** Defaults to process.argv.slice(2); `--debug` selects debug/reattach mode. */
  args?: string[];
  /** The launch's environment: go-plugin's cookie, protocol versions and client certificate are read from it. */
  env: Environment;
  /** Provider address printed in debug mode's TF_REATTACH_PROVIDERS. */
  providerAddress?: string;
  logger?: Logger;
}

/** Milliseconds since process start at each start-up step, logged at debug level (see bench/startup.mjs). */
const startupMarks: Record<string, number> = {};

const DEFAULT_PROVIDER_ADDRESS = 'registry.terraform.io/hashicorp/aws';
const PARENT_CHECK_INTERVAL_MS = 1000;

/**
 * Run the provider as a go-plugin server. The process then ends on Shutdown, on parent death, on
 * SIGTERM, or (with --debug) on Ctrl-C. `loadHandlers` is called once, after the handshake line.
 */
export function servePlugin(loadHandlers: LoadHandlers, options: ServeOptions): void {
  startupMarks.entered = performance.now();
  const { env } = options;
  const args = options.args ?? process.argv.slice(2);
  const debug = args.includes('--debug');
  const log = (options.logger ?? rootLog).child('protocol');

  if (!debug) {
    if (!hasMagicCookie(env)) {
      process.stderr.write(NOT_A_PLUGIN_MESSAGE);
      process.exit(1);
    }
    const version = negotiateProtocolVersion(env);
    if (version instanceof Error) {
      log.error(version.message);
      process.stderr.write(`${version.message}\n`);
      process.exit(1);
    }
  }

  // Terraform takes the first stdout line as the handshake and drops the rest; keep every stray
  // write (console.log from a dependency, ...) away from stdout.
  const stderrWrite = process.stderr.write.bind(process.stderr);
  process.stdout.write = stderrWrite as typeof process.stdout.write;

  const providerAddress = options.providerAddress ?? DEFAULT_PROVIDER_ADDRESS;
  let exiting = false;
  const exit = (code: number) => {
    if (exiting) return;
    exiting = true;
    instance.removeSocket();
    process.exit(code);
  };
  const instance = new ProviderInstance({
    loadHandlers,
    log,
    env,
    debug,
    marks: startupMarks,
    announce: (listen, line) => writeStdout(debug ? reattachInstructions(listen, providerAddress) : line),
    onEnded: () => exit(0),
  });
  installProcessHandlers(log, debug, exit, () => instance.removeSocket());
  instance.start().catch((err: unknown) => {
    log.error('plugin server failed to start', { error: err });
    process.stderr.write(`failed to start the provider plugin server: ${errorMessage(err)}\n`);
    exit(1);
  });
}

/** Write to file descriptor 1 directly: the only way to the real stdout once it is redirected. */
function writeStdout(text: string): void {
  writeSync(1, text);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function reattachInstructions(listen: ListenAddress, providerAddress: string): string {
  const reattach = {
    [providerAddress]: {
      Protocol: 'grpc',
      ProtocolVersion: 6,
      Pid: process.pid,
      Test: true,
      Addr: { Network: listen.network, String: listen.address },
    },
  };
  return (
    `Provider started in debug mode (plaintext gRPC, pid ${process.pid}).\n` +
    'To attach Terraform, run it with this environment variable set:\n\n' +
    `\tTF_REATTACH_PROVIDERS='${JSON.stringify(reattach)}'\n\n` +
    'Press Ctrl-C to stop the provider.\n'
  );
}

function installProcessHandlers(log: Logger, debug: boolean, exit: (code: number) => void, removeSocket: () => void): void {
  process.on('exit', removeSocket);
  process.on('SIGTERM', () => exit(143));
  process.on('uncaughtException', (err) => {
    log.error('uncaught exception', { error: err.stack ?? err.message });
    process.stderr.write(`${err.stack ?? err.message}\n`);
    exit(1);
  });

  if (debug) {
    process.on('SIGINT', () => exit(0));
    return;
  }
  // Ctrl-C reaches the whole process group; Terraform handles it by calling StopProvider and then
  // Shutdown, so the provider itself must survive the signal.
  process.on('SIGINT', () => log.debug('SIGINT ignored; waiting for StopProvider/Shutdown'));

  const parent = process.ppid;
  setInterval(() => {
    if (!isAlive(parent)) {
      log.warn('parent process exited; shutting down', { ppid: parent });
      exit(0);
    }
  }, PARENT_CHECK_INTERVAL_MS).unref();
}

/**
 * Whether a process still runs (process.ppid is fixed at start-up in Node 20, so the original parent is probed). A
 * zombie, exited but not yet reaped by its parent, does not.
 */
export function isAlive(pid: number): boolean {
  if (pid <= 1) return true;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return !/^\d+ \(.*\) Z /s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc: signal 0 is all there is
  }
}
