// The warm server's commands, run as bin/lib/main.js --warm-…:
//   --warm-server DIR NAME BUILD_ID CWD SIZE   serve launches (started detached by the launcher, ./launcher.sh, with the
//                                              environment it serves on stdin)
//   --warm-stop [DIR]                    stop every warm server of this user (tests, the demo, by hand)
//   --warm-status [DIR]                  list them as JSON
import { readFileSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive } from '../protocol/server';
import type { ProviderHandlers } from '../protocol/tfplugin6';
import type { Launch } from '../protocol/launch';
import { defaultWarmDir, listServers, logFile } from './files';
import { WarmServer } from './server';

export interface WarmProvider {
  loadProviderHandlers(launch: Launch): ProviderHandlers;
  preload(): void;
}

const DEFAULT_IDLE_SECONDS = 600;
const MAX_LOG_BYTES = 1 << 20;

export function runWarmCommand(args: string[], provider: WarmProvider): void {
  const [command, ...rest] = args;
  switch (command) {
    case '--warm-server':
      return void serve(rest, provider);
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

async function serve([dir, name, buildId, cwd, environmentSize]: string[], provider: WarmProvider): Promise<void> {
  if (!dir || !name || !buildId || !cwd || !environmentSize) {
    process.stderr.write('usage: --warm-server DIR NAME BUILD_ID CWD SIZE, with the environment on stdin\n');
    process.exit(2);
  }
  // The launcher's here-string adds a newline to what it wrote.
  const environment = readFileSync(0, 'utf8').replace(/\n$/, '');
  if ((statSync(logFile(dir, name), { throwIfNoEntry: false })?.size ?? 0) > MAX_LOG_BYTES) truncateSync(logFile(dir, name));
  // Nothing of ours belongs on stdout (it is a log); keep dependencies' stray writes with the log.
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  const idleSeconds = Number(process.env.TF_AWS_WARM_IDLE || DEFAULT_IDLE_SECONDS);
  const server = new WarmServer({
    dir,
    name,
    buildId,
    cwd,
    environment,
    environmentSize,
    // This code runs from bin/lib/provider.js; the launcher is bin/terraform-provider-aws.
    executable: join(__dirname, '..', 'terraform-provider-aws'),
    buildFile: __filename,
    idleMs: (Number.isFinite(idleSeconds) && idleSeconds > 0 ? idleSeconds : DEFAULT_IDLE_SECONDS) * 1000,
    ...provider,
  });
  process.on('SIGTERM', () => server.shutdown('SIGTERM'));
  process.on('SIGINT', () => server.shutdown('SIGINT'));
  process.on('SIGHUP', () => {});
  process.on('uncaughtException', (err) => {
    process.stderr.write(`uncaught exception: ${err.stack ?? err.message}\n`);
    server.shutdown('uncaught exception', 1);
  });
  if (!(await server.start())) process.exit(0);
}

function status(dir: string) {
  return listServers(dir).map((server) => ({ ...server, alive: isAlive(server.pid) }));
}

/** SIGTERM every server (listening or starting), then SIGKILL what remains after 3 s. */
async function stopAll(dir: string): Promise<number> {
  const pids = new Set(listServers(dir).map((s) => s.pid));
  const running = [...pids].filter((pid) => pid !== process.pid && isAlive(pid));
  for (const pid of running) signal(pid, 'SIGTERM');
  for (let waited = 0; waited < 3000 && running.some(isAlive); waited += 50) await new Promise((r) => setTimeout(r, 50));
  for (const pid of running.filter(isAlive)) signal(pid, 'SIGKILL');
  return running.length;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone already
  }
}
