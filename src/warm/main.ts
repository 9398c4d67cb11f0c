// The warm server's commands, run as bin/lib/main.js --warm-…:
//   --warm-server          serve launches; started detached by the launcher (./launcher.sh) in the server's
//                          directory, named by TF_AWS_WARM_SERVER (first in its environment), with the rest on stdin:
//                          "build size umask", the directory's path, then the environment it serves. Nothing another
//                          user can read (its arguments) says which build, directory or environment it serves.
//   --warm-stop [DIR]      stop every warm server of this user in DIR (tests, the demo, by hand)
//   --warm-status [DIR]    list them as JSON: build, directories served, instances, resident memory
// Neither command signals or reports a process it has not verified to be a live warm server of this user.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ProviderHandlers } from '../protocol/tfplugin6';
import type { Launch } from '../protocol/launch';
import { Logger } from '../protocol/log';
import {
  defaultWarmDir,
  isWarmServer,
  logFile,
  readRefusal,
  readServerStatus,
  SERVER_NAME,
  SERVER_NAME_VARIABLE,
  serverFiles,
  sweep,
} from './files';
import { WarmServer, type KeptChildren } from './server';

/** What a server serves its launches with, made once per server. */
export interface WarmProvider {
  loadProviderHandlers(launch: Launch): ProviderHandlers;
  preload(): void;
  /** The hashicorp/aws children kept between launches, when they are. */
  upstreamPool?: KeptChildren;
}

/** How the server keeps hashicorp/aws children between launches (src/upstream/pool.ts); undefined: it does not. */
export interface PoolSettings {
  maxChildren: number;
  maxRssBytes: number;
  idleMs: number;
  log: Logger;
}

const DEFAULT_IDLE_SECONDS = 600;
const DEFAULT_MAX_RSS_MIB = 512;
const DEFAULT_UPSTREAM_CHILDREN = 4;
const DEFAULT_UPSTREAM_RSS_MIB = 1536;

export function runWarmCommand(args: string[], openProvider: (pool: PoolSettings | undefined) => WarmProvider): void {
  const [command, ...rest] = args;
  switch (command) {
    case '--warm-server':
      return void serve(rest, openProvider);
    case '--warm-stop':
      return void stopAll(rest[0] ?? defaultWarmDir()).then((n) => process.stdout.write(`stopped ${n} warm server(s)\n`));
    case '--warm-status':
      process.stdout.write(`${JSON.stringify(status(rest[0] ?? defaultWarmDir()), null, 2)}\n`);
      return;
    default:
      process.stderr.write(`unknown command ${command}; expected --warm-server, --warm-stop or --warm-status\n`);
      process.exitCode = 2;
  }
}

interface ServerInput {
  buildId: string;
  environmentSize: string;
  umask: number;
  dir: string;
  environment: Buffer;
}

/** "build size umask\n" + "dir\n" + the environment (and the newline the launcher's here-string adds). */
function parseInput(input: Buffer): ServerInput | undefined {
  const first = input.indexOf(10);
  const second = input.indexOf(10, first + 1);
  if (first < 0 || second < 0) return undefined;
  const [buildId, environmentSize, umask] = input.subarray(0, first).toString('utf8').split(' ');
  const dir = input.subarray(first + 1, second).toString('utf8');
  let environment = input.subarray(second + 1);
  if (environment.at(-1) === 10) environment = environment.subarray(0, -1);
  if (!buildId || !/^\d+$/.test(environmentSize ?? '') || !/^[0-7]{1,4}$/.test(umask ?? '') || !dir.startsWith('/')) return undefined;
  return { buildId, environmentSize: environmentSize!, umask: parseInt(umask!, 8), dir, environment };
}

async function serve(args: string[], openProvider: (pool: PoolSettings | undefined) => WarmProvider): Promise<void> {
  const name = process.env[SERVER_NAME_VARIABLE] ?? '';
  const input = SERVER_NAME.test(name) && args.length === 0 ? parseInput(readFileSync(0)) : undefined;
  if (!input) {
    process.stderr.write(`usage: ${SERVER_NAME_VARIABLE}=<name> --warm-server, in the server's directory, with "build size umask", the directory and the environment on stdin\n`);
    process.exit(2);
  }
  // The launcher narrowed its umask to make its files; the instances make the user's files with the user's.
  process.umask(input.umask);
  // Nothing of ours belongs on stdout (it is a log); keep dependencies' stray writes with the log.
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  const idleMs = positiveSetting('TF_AWS_WARM_IDLE', DEFAULT_IDLE_SECONDS) * 1000;
  // Parked hashicorp/aws children: TF_AWS_WARM_UPSTREAM=0 turns them off; they are shut down after the idle time.
  const pool: PoolSettings | undefined =
    process.env.TF_AWS_WARM_UPSTREAM === '0'
      ? undefined
      : {
          maxChildren: positiveSetting('TF_AWS_WARM_UPSTREAM_MAX', DEFAULT_UPSTREAM_CHILDREN),
          maxRssBytes: positiveSetting('TF_AWS_WARM_UPSTREAM_MAX_RSS', DEFAULT_UPSTREAM_RSS_MIB) * (1 << 20),
          idleMs,
          log: new Logger('warm-server.upstream', 'info', (line) => process.stderr.write(line), { pid: process.pid }),
        };
  const server = new WarmServer({
    ...input,
    name,
    // This code runs from bin/lib/provider.js; the launcher is bin/terraform-provider-aws.
    executable: join(__dirname, '..', 'terraform-provider-aws'),
    buildFile: __filename,
    idleMs,
    maxRssBytes: positiveSetting('TF_AWS_WARM_MAX_RSS', DEFAULT_MAX_RSS_MIB) * (1 << 20),
    ...openProvider(pool),
  });
  // Every way out this process controls leaves no file a launcher would trust.
  process.on('exit', () => server.removeFiles());
  process.on('SIGTERM', () => server.shutdown('SIGTERM'));
  process.on('SIGINT', () => server.shutdown('SIGINT'));
  process.on('SIGHUP', () => {});
  // A launcher at the user's bound of servers makes room: this one was idle longest.
  process.on('SIGUSR2', () => server.retireWhenIdle('making room for another server'));
  process.on('uncaughtException', (err) => {
    process.stderr.write(`uncaught exception: ${err.stack ?? err.message}\n`);
    server.shutdown('uncaught exception', 1);
  });
  try {
    if (await server.start()) return;
    // Refused: the directory's `refused` file says why; leave nothing else.
    rmSync(logFile(name), { force: true });
    process.exit(0);
  } catch (err) {
    process.stderr.write(`the warm server could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

function positiveSetting(variable: string, fallback: number): number {
  const value = Number(process.env[variable] || fallback);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

function status(dir: string) {
  const refusal = readRefusal(dir);
  return {
    dir,
    refused: refusal && refusal.until * 1000 > Date.now() ? { until: new Date(refusal.until * 1000).toISOString(), reason: refusal.reason } : null,
    servers: serverFiles(dir).map(({ name, pid, port, state }) => {
      if (!isWarmServer(pid, name)) return { name, pid, port, state: 'stale', alive: false };
      const own = readServerStatus(dir, name);
      return {
        name,
        pid,
        port,
        state: own?.retiring ? 'retiring' : state,
        alive: true,
        build: own?.build,
        rssMiB: residentMiB(pid),
        instances: own?.instances ?? 0,
        launches: own?.launches ?? 0,
        directories: own?.directories ?? [],
        ...(own?.upstream ? { upstream: own.upstream } : {}),
        ...(own?.retiring ? { retiring: own.retiring } : {}),
      };
    }),
  };
}

/** SIGTERM every verified server (listening or starting), SIGKILL what still is one after 3 s, then sweep. */
async function stopAll(dir: string): Promise<number> {
  const ours = () => serverFiles(dir).filter((s) => s.pid !== process.pid && isWarmServer(s.pid, s.name));
  const targets = ours();
  for (const { pid } of targets) signal(pid, 'SIGTERM');
  for (let waited = 0; waited < 3000 && ours().some((s) => targets.some((t) => t.name === s.name)); waited += 50) {
    await new Promise((r) => setTimeout(r, 50));
  }
  // Checked again: a pid that exited meanwhile may already be someone else's.
  for (const { pid, name } of targets) if (isWarmServer(pid, name)) signal(pid, 'SIGKILL');
  await new Promise((r) => setTimeout(r, targets.length ? 100 : 0));
  // Nothing is starting any more as far as this command is concerned: no grace for .starting files.
  sweep(dir, new Set(), 0);
  return targets.length;
}

function residentMiB(pid: number): number | undefined {
  try {
    const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib ? Math.round(Number(kib) / 102.4) / 10 : undefined;
  } catch {
    return undefined;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone already
  }
}
