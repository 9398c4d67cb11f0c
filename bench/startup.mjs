// Provider start-up: time from exec to the go-plugin handshake line, and RSS at that moment, next to
// a bare `node -e 0` measured in the same run. Terraform starts the provider 3-5 times per command,
// so this is paid several times per plan. Also breaks the provider's time down by phase.
// Usage: node bench/startup.mjs [--runs 20] [--binary bin/terraform-provider-aws]
// Reports numbers only; no pass/fail.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { buildSync } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(option('runs', '20'));
const binary = option('binary', join(root, 'bin/terraform-provider-aws'));
if (!existsSync(binary)) {
  console.error(`${binary} not found: run \`make build\` first`);
  process.exit(1);
}

const descriptors = JSON.parse(readFileSync(join(root, 'src/protocol/descriptors.generated.json'), 'utf8'));
const definitions = protoLoader.fromJSON(descriptors, { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
const ProviderClient = grpc.makeGenericClientConstructor(definitions['tfplugin6.Provider'], 'tfplugin6.Provider');

const COOKIE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => `${x.toFixed(1)} ms`;
const mib = (kib) => `${(kib / 1024).toFixed(1)} MiB`;

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

/** exec -> GetProviderSchema answered over AutoMTLS, as Terraform's first call; RSS after it. */
function timeFirstRpc(env, clientCert) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(binary, [], { env: { ...env, TF_LOG_PROVIDER: 'debug' }, stdio: ['ignore', 'pipe', 'pipe'] });
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
      const client = new ProviderClient(network === 'unix' ? `unix:${address}` : address,
        grpc.credentials.createSsl(Buffer.from(serverPem), Buffer.from(clientCert.keyPem), Buffer.from(clientCert.certPem)),
        { 'grpc.ssl_target_name_override': 'localhost', 'grpc.default_authority': 'localhost' });
      client.GetProviderSchema({}, { deadline: Date.now() + 30_000 }, (rpcErr) => {
        const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
        const rss = rssKiB(child.pid);
        client.close();
        child.once('exit', () => {
          if (rpcErr) return reject(rpcErr);
          // The provider logs its own start-up marks (ms since process start) once fully loaded.
          const line = err.split('\n').find((l) => l.includes('"startup_ms"'));
          resolve({ elapsed, rss, marks: line ? JSON.parse(line).startup_ms : undefined });
        });
        child.kill('SIGTERM');
      });
    });
  });
}

function timeHandshake(env) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(binary, [], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!out.includes('\n')) reject(new Error(`provider exited (${code}) before the handshake`));
    });
    child.stdout.on('data', (chunk) => {
      if (out.includes('\n')) return;
      out += chunk;
      if (!out.includes('\n')) return;
      const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
      const rss = rssKiB(child.pid);
      child.once('exit', () => resolve({ elapsed, rss, line: out.split('\n')[0] }));
      child.kill('SIGTERM'); // the provider removes its socket directory on SIGTERM
    });
  });
}

const work = await mkdtemp(join(tmpdir(), 'startup-bench-'));
try {
  const certModule = bundle(join(root, 'src/protocol/certificate.ts'), work, 'certificate.cjs');
  const { generateCertificate } = await import(certModule);
  const clientCert = generateCertificate(); // plays Terraform's per-launch certificate
  const env = {
    ...process.env,
    TF_PLUGIN_MAGIC_COOKIE: COOKIE,
    PLUGIN_PROTOCOL_VERSIONS: '5,6',
    PLUGIN_CLIENT_CERT: clientCert.certPem,
  };
  delete env.TF_LOG;
  delete env.TF_LOG_PROVIDER;


  const bare = [];
  const provider = [];
  const providerRss = [];
  const bareRss = [];
  const phases = [];
  const firstRpc = [];
  const firstRpcRss = [];
  await timeBareNode(); // warm the page cache
  await timeHandshake(env);
  for (let i = 0; i < runs; i++) {
    bare.push(await timeBareNode());
    const h = await timeHandshake(env);
    provider.push(h.elapsed);
    providerRss.push(h.rss);
    bareRss.push(await bareNodeRss());
    const f = await timeFirstRpc(env, clientCert);
    firstRpc.push(f.elapsed);
    firstRpcRss.push(f.rss);
    if (f.marks) phases.push(f.marks);
  }

  const b = median(bare);
  const p = median(provider);
  console.log(`runs: ${runs}   node ${process.version}   binary: ${binary}`);
  console.log(`bare node -e 0 (exec -> exit):           median ${ms(b)}   min ${ms(Math.min(...bare))}`);
  console.log(`provider exec -> handshake line:         median ${ms(p)}   min ${ms(Math.min(...provider))}   (${(p / b).toFixed(2)}x bare node)`);
  console.log(`RSS at handshake:                        median ${mib(median(providerRss))}   (bare node ${mib(median(bareRss))})`);
  console.log(`provider exec -> GetProviderSchema answered: median ${ms(median(firstRpc))}   (TLS client in this process)`);
  console.log(`RSS after the first RPC:                 median ${mib(median(firstRpcRss))}`);
  console.log('inside the provider, ms since process start (median), and the step each mark ends:');
  const steps = {
    node_bootstrap: 'Node bootstrap',
    entered: 'bundle compiled, entry reached',
    handshake: 'certificate + listen + handshake line',
    grpc_required: 'require grpc-js and the service module',
    grpc_ready: 'service definitions + gRPC server',
    provider_loaded: 'provider handlers loaded (engine, schemas)',
  };
  let previous = 0;
  for (const [name, label] of Object.entries(steps)) {
    const at = median(phases.map((x) => x[name]));
    console.log(`  ${name.padEnd(16)} ${ms(at).padStart(9)}   +${ms(at - previous).padStart(9)}  ${label}`);
    previous = at;
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
