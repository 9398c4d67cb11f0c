// Provider start-up measurement, shared by bench/startup.mjs (the detailed report) and bench/run.mjs (the
// side-by-side benchmark): time from exec to the go-plugin handshake line, RSS at that moment, the time to
// the first RPC answered over AutoMTLS, and a bare `node -e 0` measured in the same run as the floor.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { buildSync } from 'esbuild';

export const root = new URL('../..', import.meta.url).pathname;
const COOKIE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';

export const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** VmRSS of a live process in KiB (Linux). */
function rssKiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

/** Bundle a TypeScript module of this repository into a temp CJS file. */
function bundle(entry, dir, name) {
  const outfile = join(dir, name);
  buildSync({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' });
  return outfile;
}

function withTimeout(promise, ms, what, child) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => {
        child?.kill('SIGKILL');
        reject(new Error(`${what}: no answer within ${ms} ms`));
      }, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * SIGTERM (the provider removes its socket directory on it), then SIGKILL if it is still there after 5 s: a launcher
 * signalled in the instant between its handshake line and its exec of `cat` may lose the SIGTERM (bash holds
 * terminating signals after a `read -t`), and its instance would then last until this process exits.
 */
function stop(child) {
  child.kill('SIGTERM');
  const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
  child.once('exit', () => clearTimeout(kill));
}

/** CPU time (user + system, all threads) a live process has used so far, in ms (Linux, 10 ms resolution). */
function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in USER_HZ (100)
  } catch {
    return NaN;
  }
}

function timeBareNode() {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve(Number(process.hrtime.bigint() - start) / 1e6));
  });
}

function bareNodeRss() {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', 'process.stdout.write("x"); setTimeout(() => {}, 1000)'], { stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.once('data', () => {
      const rss = rssKiB(child.pid);
      child.kill('SIGKILL');
      resolve(rss);
    });
  });
}

/** exec -> handshake line on stdout; RSS at that moment. Works for any go-plugin provider binary. */
export function timeHandshake(binary, env) {
  let child;
  const measured = new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    child = spawn(binary, [], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!out.includes('\n')) reject(new Error(`${binary} exited (${code}) before the handshake`));
    });
    child.stdout.on('data', (chunk) => {
      if (out.includes('\n')) return;
      out += chunk;
      if (!out.includes('\n')) return;
      const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
      const rss = rssKiB(child.pid);
      const cpu = cpuMs(child.pid);
      child.once('exit', () => resolve({ elapsed, rss, cpu, line: out.split('\n')[0] }));
      stop(child);
    });
  });
  return withTimeout(measured, 60_000, `${binary} handshake`, child);
}

let providerClient;
function ProviderClient() {
  if (!providerClient) {
    const descriptors = JSON.parse(readFileSync(join(root, 'src/protocol/descriptors.generated.json'), 'utf8'));
    const definitions = protoLoader.fromJSON(descriptors, { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
    providerClient = grpc.makeGenericClientConstructor(definitions['tfplugin6.Provider'], 'tfplugin6.Provider');
  }
  return providerClient;
}

/** exec -> GetProviderSchema answered over AutoMTLS, as Terraform's first call; RSS after it; the provider's own start-up marks. */
function timeFirstRpc(binary, env, clientCert, { marks = true } = {}) {
  let child;
  const measured = new Promise((resolve, reject) => {
    const Client = ProviderClient();
    const start = process.hrtime.bigint();
    child = spawn(binary, [], { env: marks ? { ...env, TF_LOG_PROVIDER: 'debug' } : env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.stdout.on('data', (chunk) => {
      if (out.includes('\n')) return;
      out += chunk;
      if (!out.includes('\n')) return;
      const [, , network, address, , cert] = out.split('\n')[0].split('|');
      const padded = cert + '='.repeat((4 - (cert.length % 4)) % 4);
      const serverPem = `-----BEGIN CERTIFICATE-----\n${padded.match(/.{1,64}/g).join('\n')}\n-----END CERTIFICATE-----\n`;
      const client = new Client(network === 'unix' ? `unix:${address}` : address,
        grpc.credentials.createSsl(Buffer.from(serverPem), Buffer.from(clientCert.keyPem), Buffer.from(clientCert.certPem)),
        { 'grpc.ssl_target_name_override': 'localhost', 'grpc.default_authority': 'localhost' });
      client.GetProviderSchema({}, { deadline: Date.now() + 30_000 }, (rpcErr) => {
        const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
        const rss = rssKiB(child.pid);
        const cpu = cpuMs(child.pid);
        client.close();
        child.once('exit', () => {
          if (rpcErr) return reject(rpcErr);
          // The provider logs its own start-up marks (ms since process start) once fully loaded.
          const line = err.split('\n').find((l) => l.includes('"startup_ms"'));
          resolve({ elapsed, rss, cpu, marks: line ? JSON.parse(line).startup_ms : undefined });
        });
        stop(child);
      });
    });
  });
  return withTimeout(measured, 60_000, `${binary} first RPC`, child);
}

/** The environment Terraform gives a provider it launches, with a fresh client certificate. */
export async function pluginEnvironment(work) {
  const certModule = bundle(join(root, 'src/protocol/certificate.ts'), work, 'certificate.cjs');
  const { generateCertificate } = await import(certModule);
  const clientCert = generateCertificate(); // plays Terraform's per-launch certificate
  // A process per launch (TF_AWS_WARM=0); measureStartup measures the warm server with its own environment.
  const env = { ...process.env, TF_PLUGIN_MAGIC_COOKIE: COOKIE, PLUGIN_PROTOCOL_VERSIONS: '5,6', PLUGIN_CLIENT_CERT: clientCert.certPem, TF_AWS_WARM: '0' };
  delete env.TF_LOG;
  delete env.TF_LOG_PROVIDER;
  return { env, clientCert };
}

/**
 * Interleaved runs of bare node, exec -> handshake, and (unless `firstRpc: false`) exec -> first RPC, each for a
 * process per launch (TF_AWS_WARM=0) and for a launch served by a warm server (src/warm/, started beforehand).
 * `others` are further provider binaries (e.g. hashicorp/aws) whose exec -> handshake is measured in the same loop.
 * Returns the raw samples (ms, KiB).
 */
export async function measureStartup({ binary, runs = 20, firstRpc = true, others = {} }) {
  const work = await mkdtemp(join(tmpdir(), 'startup-bench-'));
  const warmDir = join(work, 'warm');
  try {
    const { env, clientCert } = await pluginEnvironment(work);
    const warmEnv = { ...env, TF_AWS_WARM_DIR: warmDir };
    delete warmEnv.TF_AWS_WARM;
    const r = {
      bare: [], bareRss: [], handshake: [], handshakeRss: [], handshakeCpu: [], firstRpc: [], firstRpcRss: [], firstRpcCpu: [], phases: [], others: {},
      warmHandshake: [], warmFirstRpc: [], warmServerRss: [],
    };
    for (const name of Object.keys(others)) r.others[name] = { handshake: [], handshakeRss: [] };
    await timeBareNode(); // warm the page cache
    await timeHandshake(binary, env);
    for (const other of Object.values(others)) await timeHandshake(other, env);
    // The first warm launch starts the server; the next ones are served by it.
    await timeHandshake(binary, warmEnv);
    await waitForServers(warmDir, 1);
    await timeHandshake(binary, warmEnv);
    for (let i = 0; i < runs; i++) {
      r.bare.push(await timeBareNode());
      const h = await timeHandshake(binary, env);
      r.handshake.push(h.elapsed);
      r.handshakeRss.push(h.rss);
      r.handshakeCpu.push(h.cpu);
      r.bareRss.push(await bareNodeRss());
      r.warmHandshake.push((await timeHandshake(binary, warmEnv)).elapsed);
      for (const [name, other] of Object.entries(others)) {
        const o = await timeHandshake(other, env);
        r.others[name].handshake.push(o.elapsed);
        r.others[name].handshakeRss.push(o.rss);
      }
      if (firstRpc) {
        const f = await timeFirstRpc(binary, env, clientCert);
        r.firstRpc.push(f.elapsed);
        r.firstRpcRss.push(f.rss);
        r.firstRpcCpu.push(f.cpu);
        if (f.marks) r.phases.push(f.marks);
        r.warmFirstRpc.push((await timeFirstRpc(binary, warmEnv, clientCert, { marks: false })).elapsed);
      }
    }
    r.warmServerRss = warmServers(warmDir).map((pid) => rssKiB(pid));
    return r;
  } finally {
    stopWarmServers(warmDir);
    await rm(work, { recursive: true, force: true });
  }
}

/** The pids of the warm servers a directory names (src/warm/files.ts). */
export function warmServers(dir) {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith('.server'))
      .map((name) => Number(readFileSync(join(dir, name), 'utf8').split(' ')[1]))
      .filter((pid) => pid > 0);
  } catch {
    return [];
  }
}

export async function waitForServers(dir, count, boundMs = 30_000) {
  const deadline = Date.now() + boundMs;
  while (warmServers(dir).length < count) {
    if (Date.now() > deadline) throw new Error(`no warm server in ${dir} after ${boundMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function stopWarmServers(dir) {
  spawnSync(process.execPath, [join(root, 'bin/lib/main.js'), '--warm-stop', dir], { stdio: 'ignore' });
}

/** The provider's start-up marks (ms since process start) and the step each one ends, in order. */
const STARTUP_STEPS = {
  node_bootstrap: 'Node bootstrap',
  entered: 'launcher compiled, entry reached',
  handshake: 'certificate + listen + handshake line',
  grpc_required: 'require bin/lib/provider.js (gRPC, engine, resources)',
  grpc_ready: 'service definitions + gRPC server',
  provider_loaded: 'provider handlers built (schemas)',
};

/** Median of each start-up mark; [name, label, atMs, deltaMs] rows. */
export function phaseRows(phases) {
  let previous = 0;
  const rows = [];
  for (const [name, label] of Object.entries(STARTUP_STEPS)) {
    const at = median(phases.map((x) => x[name]));
    if (!Number.isFinite(at)) continue;
    rows.push([name, label, at, at - previous]);
    previous = at;
  }
  return rows;
}
