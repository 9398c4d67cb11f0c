// What the benchmarks share: the embedded endpoint, temporary Terraform workspaces for this provider or for
// hashicorp/aws 5.100.0, and `terraform` runs measured from outside (wall time; peak RSS and launches of the
// provider processes Terraform starts, and of the upstream hashicorp/aws processes those start in turn).
// Everything started here is killed and every temporary directory removed when the process exits.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { buildSync } from 'esbuild';
import { root, stopWarmServers } from './startup.mjs';

export const REGION = 'us-west-2';
export const IMAGE = `174872318107.dkr.ecr.${REGION}.amazonaws.com/kmeans:1`;

// --- cleanup ------------------------------------------------------------------------------------------------

const tempDirs = [];
const liveGroups = new Set();
let endpoint;
function cleanup() {
  for (const pid of liveGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  liveGroups.clear();
  endpoint?.kill('SIGKILL');
  for (const dir of tempDirs.splice(0)) {
    if (existsSync(join(dir, 'warm'))) stopWarmServers(join(dir, 'warm'));
    rmSync(dir, { recursive: true, force: true });
  }
}
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    cleanup();
    process.exit(130);
  });
}
export const tempDir = (prefix) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
};
export const log = (...xs) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...xs);

// --- the endpoint -------------------------------------------------------------------------------------------

export function startEndpoint() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin/local-aws'), '--port', '0', '--call-log-size', '100'], { stdio: ['ignore', 'pipe', 'pipe'] });
    endpoint = child;
    let out = '';
    const timer = setTimeout(() => reject(new Error(`bin/local-aws did not start within 30 s: ${out}`)), 30_000);
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr.resume();
    child.once('exit', (code) => reject(new Error(`bin/local-aws exited (${code}) before listening: ${out}`)));
  });
}

export async function admin(url, method, path) {
  const response = await fetch(`${url}${path}`, { method, signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}: ${text}`);
  return JSON.parse(text);
}

/** Creates the models' execution role with the endpoint's IAM API (any SigV4-shaped credential is accepted). */
export async function createExecutionRole(url) {
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  });
  const body = new URLSearchParams({ Action: 'CreateRole', Version: '2010-05-08', RoleName: 'bench-sagemaker-execution', AssumeRolePolicyDocument: policy });
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      authorization: `AWS4-HMAC-SHA256 Credential=test/20250101/${REGION}/iam/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  const arn = /<Arn>([^<]+)<\/Arn>/.exec(text)?.[1];
  if (!response.ok || !arn) throw new Error(`CreateRole failed: HTTP ${response.status}: ${text}`);
  return arn;
}

// --- terraform workspaces -----------------------------------------------------------------------------------

/** A module of the tests (test/<path>.ts, e.g. acceptance/realistic-config), bundled for this script. */
export async function testModule(path) {
  const dir = tempDir('bench-module-');
  const outfile = join(dir, `${path.replaceAll('/', '-')}.cjs`);
  buildSync({ entryPoints: [join(root, `test/${path}.ts`)], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' });
  return import(outfile);
}

/** The mirror holding hashicorp/aws 5.100.0, found by the tests' own helper (test/support/terraform.ts). */
export async function hashicorpMirror() {
  return (await testModule('support/terraform')).hashicorpMirror();
}

export function providerBlock(url) {
  return `provider "aws" {
  region                      = "${REGION}"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  endpoints {
    sagemaker = "${url}"
    iam       = "${url}"
    sts       = "${url}"
  }
}
`;
}

/** A directory with its own CLI configuration: `ours` through dev_overrides, `hashicorp` from the mirror. */
export function createWorkspace(provider, mirror, env = {}) {
  const dir = tempDir(`bench-${provider}-`);
  let installation = '';
  if (provider.startsWith('ours')) installation = `provider_installation {\n  dev_overrides {\n    "hashicorp/aws" = "${join(root, 'bin')}"\n  }\n  direct {}\n}\n`;
  if (provider === 'hashicorp') {
    installation = `provider_installation {\n  filesystem_mirror {\n    path    = "${mirror}"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`;
  }
  writeFileSync(join(dir, '.terraformrc'), installation);
  // "ours" launches through its own warm servers (src/warm/), "ours-cold" as a process per launch.
  const launchPath = provider === 'ours' ? { TF_AWS_WARM_DIR: join(dir, 'warm') } : provider === 'ours-cold' ? { TF_AWS_WARM: '0' } : {};
  return { provider, dir, env: { TF_CLI_CONFIG_FILE: join(dir, '.terraformrc'), ...launchPath, ...env } };
}

// --- process sampling ---------------------------------------------------------------------------------------

function readStatus(pid) {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
}
const statusField = (status, name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);

/** Pids of the live warm servers a directory names (`<name>.server`: port, pid, build, size). */
function warmServerPids(warmDir) {
  if (!warmDir) return new Set();
  let names = [];
  try {
    names = readdirSync(warmDir).filter((name) => name.endsWith('.server'));
  } catch {
    return new Set();
  }
  const pidOf = (name) => {
    try {
      return readFileSync(join(warmDir, name), 'utf8').split(' ')[1];
    } catch {
      return undefined; // retired meanwhile
    }
  };
  return new Set(names.map(pidOf).filter(Boolean));
}

/** hashicorp/aws processes whose parent is one of the directory's warm servers (parked or serving), with their VmRSS. */
export function warmUpstreamChildren(warmDir) {
  const servers = warmServerPids(warmDir);
  const children = [];
  for (const name of readdirSync('/proc')) {
    if (name.charCodeAt(0) > 57) continue;
    const status = readStatus(name);
    if (!status || !servers.has(String(statusField(status, 'PPid')))) continue;
    children.push({ pid: Number(name), rssKiB: statusField(status, 'VmRSS') });
  }
  return children;
}

/**
 * Polls /proc for Terraform's child processes (the providers it launches) and their children (an upstream
 * hashicorp/aws started by ours), keeping each one's VmHWM (peak RSS). With a warm directory, the children its warm
 * servers start during the command count as upstream launches too (the servers host the launches). New pids are
 * checked once for their parent; known processes are read every tick.
 */
function sampleChildren(parentPid, warmDir, intervalMs = 20) {
  const seen = new Set();
  const providers = new Map(); // pid -> peak KiB
  const upstreams = new Map(); // pid -> peak KiB
  let terraformPeak = 0;
  // Children the servers had before the command are not its launches.
  for (const { pid } of warmUpstreamChildren(warmDir)) seen.add(String(pid));
  let servers = warmServerPids(warmDir);
  let ticks = 0;
  const tick = () => {
    let pids;
    try {
      pids = readdirSync('/proc');
    } catch {
      return;
    }
    // A server may start during the command (its first launches are then served by Node processes of their own).
    if (warmDir && ++ticks % 25 === 0) servers = warmServerPids(warmDir);
    for (const name of pids) {
      if (name.charCodeAt(0) > 57 || seen.has(name)) continue;
      seen.add(name);
      const status = readStatus(name);
      if (!status) continue;
      const ppid = String(statusField(status, 'PPid'));
      if (ppid === String(parentPid)) providers.set(name, 0);
      else if (providers.has(ppid) || servers.has(ppid)) upstreams.set(name, 0);
    }
    for (const group of [providers, upstreams]) {
      for (const [pid, peak] of group) {
        const status = readStatus(pid);
        if (status) group.set(pid, Math.max(peak, statusField(status, 'VmHWM') || 0));
      }
    }
    const own = readStatus(parentPid);
    if (own) terraformPeak = Math.max(terraformPeak, statusField(own, 'VmHWM') || 0);
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  const peakOf = (group) => {
    const peaks = [...group.values()].filter((x) => x > 0);
    return peaks.length ? Math.max(...peaks) : NaN;
  };
  return () => {
    clearInterval(timer);
    return {
      launches: providers.size,
      providerPeakKiB: peakOf(providers),
      upstreamLaunches: upstreams.size,
      upstreamPeakKiB: peakOf(upstreams),
      terraformPeakKiB: terraformPeak,
    };
  };
}

/** Runs terraform in its own process group; resolves with its exit code, wall time, output and the samples. */
export function terraform(ws, tfArgs, timeoutMs) {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const child = spawn('terraform', tfArgs, {
      cwd: ws.dir,
      env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_LOG: '', TF_LOG_PROVIDER: '', ...ws.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so a timeout takes the providers down with it
    });
    liveGroups.add(child.pid);
    const stop = sampleChildren(child.pid, ws.env.TF_AWS_WARM_DIR);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }, timeoutMs);
    const finish = (code) => {
      clearTimeout(timer);
      liveGroups.delete(child.pid);
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      resolve({ code: timedOut ? 'timeout' : code, wallMs, stdout, stderr, ...stop() });
    };
    child.on('error', (err) => {
      stderr += String(err);
      finish(1);
    });
    child.on('close', finish);
  });
}

/** `terraform version`'s first line, or undefined when terraform is not on PATH. */
export function terraformVersion() {
  return new Promise((resolve) => {
    const child = spawn('terraform', ['version'], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('error', () => resolve(undefined));
    child.on('close', () => resolve(out.split('\n')[0].trim()));
  });
}
