// Starts bin/local-aws as a child process for a test and talks to its admin API.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CallRecord } from '../../src/local-aws/call-log';
import { localAwsBin, repoRoot } from './paths';

export interface CallLog {
  /** Keyed `<Service>.<Operation>`, e.g. `SageMaker.CreateModel`. */
  counts: Record<string, number>;
  recent: CallRecord[];
}

export interface EndpointAdmin {
  calls(limit?: number): Promise<CallLog>;
  /** Clears everything (models, roles, tags, faults, calls), or only the call log with 'calls'. */
  reset(what?: 'calls'): Promise<void>;
  /** POST /_endpoint/faults: each kind named replaces that kind's rules; returns the settings now in force. */
  faults(body: unknown): Promise<Record<string, unknown>>;
  getFaults(): Promise<Record<string, unknown>>;
  clearFaults(): Promise<void>;
  /** Everything stored: models, endpoint configurations, endpoints, roles, managed policies, buckets (objects without bodies). */
  state(): Promise<EndpointState>;
}

export interface EndpointState {
  models: Record<string, unknown>[];
  endpointConfigs: Record<string, unknown>[];
  endpoints: Record<string, unknown>[];
  roles: Record<string, unknown>[];
  policies: Record<string, unknown>[];
  buckets: (Record<string, unknown> & { name: string; objects: (Record<string, unknown> & { key: string; size: number })[] })[];
}

export interface RunningEndpoint {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
  admin: EndpointAdmin;
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** Builds bin/ once when bin/local-aws is missing; test files run in parallel, so a lock directory keeps it to one build. */
async function ensureBuilt(): Promise<void> {
  if (existsSync(localAwsBin)) return;
  const lock = join(repoRoot, '.local-aws-build.lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test file is building; a lock older than two minutes belongs to a build that died.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 120_000) rmdirSync(lock);
      } catch {
        // the lock went away meanwhile
      }
      await sleep(200);
      if (existsSync(localAwsBin)) return;
    }
  }
  try {
    if (!existsSync(localAwsBin)) {
      const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, encoding: 'utf8' });
      // The build bundles every executable; another one failing must not stop tests of this one.
      if (!existsSync(localAwsBin)) throw new Error(`node scripts/build.mjs did not produce bin/local-aws:\n${build.stderr}`);
    }
  } finally {
    rmdirSync(lock);
  }
}

async function adminRequest(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}: ${text}`);
  return JSON.parse(text);
}

/** Starts `bin/local-aws --port 0 ...args` and resolves once it prints `listening on`. */
export async function startEndpoint(args: string[] = []): Promise<RunningEndpoint> {
  await ensureBuilt();
  const fullArgs = args.includes('--port') || args.some((arg) => arg.startsWith('--port=')) ? args : ['--port', '0', ...args];
  // stdin stays open for the child's life: if this process dies in any way, the pipe closes and the endpoint exits.
  const child = spawn(process.execPath, [localAwsBin, '--exit-with-stdin', ...fullArgs], { stdio: ['pipe', 'pipe', 'pipe'] });
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`bin/local-aws did not start within 20 s\n${stdout}${stderr}`)), 20_000);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      stdout += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bin/local-aws exited with ${String(code)} before listening\n${stdout}${stderr}`));
    });
  });
  // Keep draining stdout so the child never blocks on a full pipe.
  child.stdout!.resume();

  const stop = async (): Promise<void> => {
    process.off('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  const admin: EndpointAdmin = {
    calls: (limit) => adminRequest(url, 'GET', `/_endpoint/calls${limit === undefined ? '' : `?limit=${limit}`}`) as Promise<CallLog>,
    reset: async (what) => {
      await adminRequest(url, 'POST', `/_endpoint/reset${what ? `?what=${what}` : ''}`);
    },
    faults: (body) => adminRequest(url, 'POST', '/_endpoint/faults', body) as Promise<Record<string, unknown>>,
    getFaults: () => adminRequest(url, 'GET', '/_endpoint/faults') as Promise<Record<string, unknown>>,
    clearFaults: async () => {
      await adminRequest(url, 'DELETE', '/_endpoint/faults');
    },
    state: () => adminRequest(url, 'GET', '/_endpoint/state') as ReturnType<EndpointAdmin['state']>,
  };

  return { url, port: Number(new URL(url).port), process: child, stop, admin };
}
