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

/** Bundle a file, or source text resolved from bench/, into a temp CJS file as scripts/build.mjs would. */
function bundle(entry, dir, name) {
  const outfile = join(dir, name);
  const input = typeof entry === 'string' ? { entryPoints: [entry] } : { stdin: { contents: entry.source, resolveDir: join(root, 'bench'), loader: 'js' } };
  buildSync({ ...input, outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' });
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
    const child = spawn(binary, [], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
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
      client.GetProviderSchema({}, { deadline: Date.now() + 30_000 }, (err) => {
        const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
        const rss = rssKiB(child.pid);
        client.close();
        child.once('exit', () => (err ? reject(err) : resolve({ elapsed, rss })));
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

// Phases of the provider start, in the order the binary runs them, each timed inside one fresh
// process with the same bundling. Everything up to "listen" happens before the handshake line;
// the rest overlaps with Terraform connecting.
const phaseProbe = `
const t0 = performance.now();
const marks = {};
let t = t0;
const mark = (name) => { const now = performance.now(); marks[name] = now - t; t = now; };
const fs = require('node:fs'), os = require('node:os'), path = require('node:path'), net = require('node:net');
const { generateCertificate } = require('../src/protocol/certificate');
const server = generateCertificate(); const client = generateCertificate(); mark('ECDSA key + certificate (x2)');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
const listener = net.createServer();
listener.listen(path.join(dir, 's.sock'), () => {
  mark('listen on unix socket');
  marks['= before the handshake line'] = t - t0;
  const grpc = require('@grpc/grpc-js'); mark('after handshake: require @grpc/grpc-js');
  const { serviceDefinition } = require('../src/protocol/definitions');
  const defs = ['tfplugin6.Provider', 'plugin.GRPCController', 'plugin.GRPCStdio', 'plugin.GRPCBroker', 'grpc.health.v1.Health'].map(serviceDefinition);
  mark('after handshake: service definitions');
  const s = new grpc.Server();
  for (const d of defs) s.addService(d, {});
  s.createConnectionInjector(grpc.ServerCredentials.createSsl(Buffer.from(client.certPem), [{ private_key: Buffer.from(server.keyPem), cert_chain: Buffer.from(server.certPem) }], true));
  mark('after handshake: gRPC TLS server');
  marks['node bootstrap before user code'] = t0;
  process.stdout.write(JSON.stringify(marks));
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(0);
});
`;

function runProbe(file) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('exit', () => {
      try {
        resolve(JSON.parse(out));
      } catch (err) {
        reject(err);
      }
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

  const probeFile = bundle({ source: phaseProbe }, work, 'probe.cjs');

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
    phases.push(await runProbe(probeFile));
    const f = await timeFirstRpc(env, clientCert);
    firstRpc.push(f.elapsed);
    firstRpcRss.push(f.rss);
  }

  const b = median(bare);
  const p = median(provider);
  console.log(`runs: ${runs}   node ${process.version}   binary: ${binary}`);
  console.log(`bare node -e 0 (exec -> exit):           median ${ms(b)}   min ${ms(Math.min(...bare))}`);
  console.log(`provider exec -> handshake line:         median ${ms(p)}   min ${ms(Math.min(...provider))}   (${(p / b).toFixed(2)}x bare node)`);
  console.log(`RSS at handshake:                        median ${mib(median(providerRss))}   (bare node ${mib(median(bareRss))})`);
  console.log(`provider exec -> GetProviderSchema answered: median ${ms(median(firstRpc))}   (TLS client in this process)`);
  console.log(`RSS after the first RPC:                 median ${mib(median(firstRpcRss))}`);
  console.log('phases (median, one fresh process each, same bundling):');
  for (const name of Object.keys(phases[0])) console.log(`  ${name.padEnd(38)} ${ms(median(phases.map((x) => x[name])))}`);
} finally {
  await rm(work, { recursive: true, force: true });
}
