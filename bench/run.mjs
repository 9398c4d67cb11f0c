// Side-by-side benchmark: this provider, hashicorp/aws 5.100.0 and Terraform's built-in terraform_data (the
// floor), all driven by the real `terraform` binary against one embedded endpoint (bin/local-aws).
//
//   node bench/run.mjs [--quick] [--ns 1,10,100,500] [--runs R] [--providers ours,ours-cold,hashicorp,terraform_data]
//
// "ours" is the default launch path (a warm server, src/warm/, started by a first command before the measurements);
// "ours-cold" is a process per launch (TF_AWS_WARM=0). For each provider and each N: apply N aws_sagemaker_model resources, `terraform plan` on that state
// (refresh + plan) and destroy, each run several times (median, min, max). Measures wall time, the peak RSS of
// the provider processes Terraform starts (VmHWM polled from /proc), the number of provider launches, and the
// API calls per operation (the endpoint's call log, cleared before each operation). exec -> handshake comes from
// bench/lib/startup.mjs. Writes bench/results/latest.md and bench/results/time-vs-n.svg and prints the table.
// hashicorp/aws comes from the filesystem mirror the acceptance harness finds (or TF_ACC_HASHICORP_AWS_MIRROR).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { measureStartup, median, phaseRows, pluginEnvironment, root, timeHandshake, waitForServers, warmServers } from './lib/startup.mjs';
import { renderChart } from './lib/chart.mjs';
import {
  admin,
  createExecutionRole,
  createWorkspace,
  hashicorpMirror,
  IMAGE,
  log,
  providerBlock,
  startEndpoint,
  tempDir,
  terraform,
  terraformVersion,
} from './lib/terraform.mjs';

// --- options ------------------------------------------------------------------------------------------------

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const quick = args.includes('--quick');
const NS = option('ns', quick ? '1,10' : '1,10,100,500').split(',').map(Number);
const PROVIDERS = option('providers', 'ours,ours-cold,hashicorp,terraform_data').split(',');
/** Runs of apply / plan / destroy per N (a plan is repeated `planRuns` times on each applied state). */
// hashicorp/aws takes ~9 s per command even for one model (far more on a loaded machine), so it gets fewer repeats.
const RUNS = (provider, n) => {
  if (option('runs')) return Number(option('runs'));
  if (quick) return 1;
  if (provider === 'hashicorp') return n >= 500 ? 1 : n >= 10 ? 2 : 3;
  if (provider === 'ours-cold') return n >= 100 ? 1 : 3;
  return n >= 100 ? 3 : 5;
};
/** Plans per applied state: N=1 is the headline `terraform plan` of one model. */
const PLAN_RUNS = (provider, n) => (n === 1 && provider !== 'hashicorp' ? 3 : n === 1 && !quick ? 2 : n === 500 && provider === 'ours' ? 3 : 1);
/** Past this, scenarios stop repeating (each still runs once), so the full mode stays well under 25 minutes. */
const BUDGET_MS = Number(option('budget-s', quick ? '100' : '1200')) * 1000;
const STARTUP_RUNS = Number(option('startup-runs', quick ? '5' : '20'));
const HASHICORP_HANDSHAKE_RUNS = quick ? 2 : 5;
const OUT_DIR = option('out', join(root, 'bench/results'));
/** Per terraform command; 500 hashicorp/aws models on a loaded 2-vCPU machine take a few minutes. */
const timeoutFor = (n) => (n >= 500 ? 15 : n >= 100 ? 6 : 3) * 60_000;

const PROVIDER_LABEL = { ours: 'ours (warm server)', 'ours-cold': 'ours, TF_AWS_WARM=0', hashicorp: 'hashicorp/aws 5.100.0', terraform_data: 'terraform_data' };
const OPS = ['apply', 'plan', 'destroy'];
const OP_LABEL = { apply: 'apply', plan: 'refresh-plan', destroy: 'destroy' };

const providerBinary = join(root, 'bin/terraform-provider-aws');
if (!existsSync(providerBinary) || !existsSync(join(root, 'bin/local-aws'))) {
  console.error('bin/ is not built: run `make build` (or `make bench`) first');
  process.exit(1);
}

// --- terraform workspaces -----------------------------------------------------------------------------------

function configFor(provider, n, url, roleArn) {
  if (provider === 'terraform_data') {
    return `resource "terraform_data" "m" {
  count = ${n}
  input = {
    name               = "bench-data-\${count.index}"
    execution_role_arn = "${roleArn}"
    image              = "${IMAGE}"
    tags               = { bench = "true" }
  }
}
`;
  }
  const version = provider === 'hashicorp' ? '\n      version = "5.100.0"' : '';
  return `terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"${version}
    }
  }
}

${providerBlock(url)}
resource "aws_sagemaker_model" "m" {
  count              = ${n}
  name               = "bench-${provider}-\${count.index}"
  execution_role_arn = "${roleArn}"

  primary_container {
    image = "${IMAGE}"
  }

  tags = {
    bench = "true"
  }
}
`;
}

// --- the scenarios ------------------------------------------------------------------------------------------

/** samples[provider][n][op] = [{wallMs, providerPeakKiB, launches, calls}] */
const samples = {};
const failures = [];

function record(provider, n, op, result, calls) {
  const byN = ((samples[provider] ??= {})[n] ??= {});
  (byN[op] ??= []).push({ wallMs: result.wallMs, providerPeakKiB: result.providerPeakKiB, terraformPeakKiB: result.terraformPeakKiB, launches: result.launches, calls });
}

function totalCalls(counts) {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

async function operation(ws, n, op, url) {
  const base = { apply: ['apply', '-auto-approve', '-input=false', '-no-color'], plan: ['plan', '-detailed-exitcode', '-input=false', '-no-color'], destroy: ['destroy', '-auto-approve', '-input=false', '-no-color'] }[op];
  await admin(url, 'POST', '/_endpoint/reset?what=calls');
  // The warm server's peak RSS during this operation (its VmHWM reset before it) stands for "the provider process".
  const server = ws.provider === 'ours' ? warmServers(join(ws.dir, 'warm'))[0] : undefined;
  if (server) resetPeakRss(server);
  const result = await terraform(ws, base, timeoutFor(n));
  if (server) result.providerPeakKiB = peakRssKiB(server);
  const { counts } = await admin(url, 'GET', '/_endpoint/calls?limit=0');
  const ok = op === 'plan' ? result.code === 0 : result.code === 0;
  if (!ok) {
    const why = op === 'plan' && result.code === 2 ? 'plan after apply is not empty' : `exit ${result.code}`;
    failures.push(`${PROVIDER_LABEL[ws.provider]} N=${n} ${OP_LABEL[op]}: ${why}`);
    log(`  ${op} failed (${why}):\n${(result.stderr || result.stdout).slice(-2000)}`);
    return false;
  }
  record(ws.provider, n, op, result, counts);
  const rss = Number.isFinite(result.providerPeakKiB) ? `, provider peak ${(result.providerPeakKiB / 1024).toFixed(0)} MiB x${result.launches}` : '';
  log(`  ${PROVIDER_LABEL[ws.provider]} N=${n} ${OP_LABEL[op]}: ${(result.wallMs / 1000).toFixed(2)} s${rss}, ${totalCalls(counts)} API calls`);
  return true;
}

async function scenario(ws, n, url, roleArn) {
  writeFileSync(join(ws.dir, 'main.tf'), configFor(ws.provider, n, url, roleArn));
  for (let run = 0; run < RUNS(ws.provider, n); run++) {
    if (run > 0 && Date.now() - began > BUDGET_MS) {
      log(`  time budget spent: ${run} run(s) only`);
      break;
    }
    if (!(await operation(ws, n, 'apply', url))) {
      await terraform(ws, ['destroy', '-auto-approve', '-input=false', '-no-color'], timeoutFor(n)); // leave nothing behind
      return;
    }
    for (let p = 0; p < PLAN_RUNS(ws.provider, n); p++) await operation(ws, n, 'plan', url);
    if (!(await operation(ws, n, 'destroy', url))) return;
  }
}

/** Linux: writing 5 to clear_refs resets a process's VmHWM (peak RSS) to its current RSS. */
function resetPeakRss(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // not permitted here: the peak then covers the server's whole life
  }
}

function peakRssKiB(pid) {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  } catch {
    return NaN;
  }
}

/** "ours" is measured warm: a first command starts its warm server, which then serves every launch measured. */
async function startWarmServer(ws, url, roleArn) {
  writeFileSync(join(ws.dir, 'main.tf'), configFor(ws.provider, 1, url, roleArn));
  await terraform(ws, ['validate', '-no-color'], timeoutFor(1));
  await waitForServers(join(ws.dir, 'warm'), 1);
}

// --- reporting ----------------------------------------------------------------------------------------------

const stat = (xs) => (xs.length ? { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length } : undefined);
const wall = (provider, n, op) => stat((samples[provider]?.[n]?.[op] ?? []).map((s) => s.wallMs / 1000));
const peakMiB = (provider, n, op) => {
  const xs = (samples[provider]?.[n]?.[op] ?? []).map((s) => s.providerPeakKiB).filter(Number.isFinite);
  return xs.length ? Math.max(...xs) / 1024 : undefined;
};
const launches = (provider, n, op) => median((samples[provider]?.[n]?.[op] ?? []).map((s) => s.launches));
const callsOf = (provider, n, op) => {
  const last = (samples[provider]?.[n]?.[op] ?? []).at(-1);
  return last ? last.calls : undefined;
};
const secs = (s) => (s === undefined ? '—' : s.median < 10 ? s.median.toFixed(2) : s.median.toFixed(1));
const range = (s) => (s === undefined ? '' : s.n > 1 ? ` (${s.min.toFixed(2)}–${s.max.toFixed(2)})` : '');
const ratio = (a, b) => (a === undefined || b === undefined ? '—' : `${(a.median / b.median).toFixed(1)}×`);

function timeTable() {
  const rows = [
    '| N | operation | ours, warm (s) | ours, TF_AWS_WARM=0 (s) | hashicorp/aws (s) | terraform_data (s) | hashicorp ÷ ours | ours − terraform_data (s) | peak RSS ours / hashicorp (MiB) | launches ours / hashicorp | API calls ours / hashicorp |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const n of NS) {
    for (const op of OPS) {
      const [o, c, h, d] = ['ours', 'ours-cold', 'hashicorp', 'terraform_data'].map((p) => wall(p, n, op));
      if (!o && !c && !h && !d) continue;
      const mem = [peakMiB('ours', n, op), peakMiB('hashicorp', n, op)].map((x) => (x === undefined ? '—' : x.toFixed(0))).join(' / ');
      const lc = [launches('ours', n, op), launches('hashicorp', n, op)].map((x) => (Number.isFinite(x) ? x : '—')).join(' / ');
      const calls = [callsOf('ours', n, op), callsOf('hashicorp', n, op)].map((x) => (x ? totalCalls(x) : '—')).join(' / ');
      const above = o && d ? (o.median - d.median).toFixed(2) : '—';
      rows.push(`| ${n} | ${OP_LABEL[op]} | ${secs(o)}${range(o)} | ${secs(c)}${range(c)} | ${secs(h)}${range(h)} | ${secs(d)}${range(d)} | ${ratio(h, o)} | ${above} | ${mem} | ${lc} | ${calls} |`);
    }
  }
  return rows.join('\n');
}

function refreshCallsPerModel(provider, n) {
  const c = callsOf(provider, n, 'plan');
  if (!c) return undefined;
  const perModel = Object.entries(c).filter(([k]) => k.startsWith('SageMaker.'));
  return { perModel: perModel.reduce((a, [, v]) => a + v, 0) / n, detail: perModel.map(([k, v]) => `${k.slice(10)} ${v}`).join(', '), total: totalCalls(c) };
}

// Where this work started (bench/results/latest.md before the warm server, same 2-vCPU machine class): the
// "no slower than before" targets compare with these.
const BEFORE = { plan1: 1.19, coldFirstRpcMs: 289, above500: { apply: 5.0, plan: 6.0, destroy: 6.2 } };

function targets(startup) {
  const rows = ['| target | measured | status |', '|---|---|---|'];
  const add = (target, measured, met, missNote) => rows.push(`| ${target} | ${measured} | ${met === undefined ? 'not measured' : met ? '**met**' : `**missed** ${missNote}`} |`);
  const warmRpc = median(startup.warmFirstRpc);
  add('exec → first answered RPC ≤ 30 ms, for a launch served warm', `${warmRpc.toFixed(1)} ms (min ${Math.min(...startup.warmFirstRpc).toFixed(1)} ms)`, warmRpc <= 30, `by ${(warmRpc - 30).toFixed(1)} ms`);
  const o1 = wall('ours', 1, 'plan');
  const h1 = wall('hashicorp', 1, 'plan');
  const d1 = wall('terraform_data', 1, 'plan');
  add('`terraform plan` of one model ≥ 40× faster than hashicorp/aws', o1 && h1 ? `${(h1.median / o1.median).toFixed(1)}× (${h1.median.toFixed(2)} s vs ${o1.median.toFixed(2)} s)` : '—', o1 && h1 ? h1.median / o1.median >= 40 : undefined, o1 && h1 ? `(needs ${(h1.median / 40).toFixed(2)} s)` : '');
  add('`terraform plan` of one model within 0.25 s of `terraform_data`', o1 && d1 ? `+${(o1.median - d1.median).toFixed(2)} s (${o1.median.toFixed(2)} s vs ${d1.median.toFixed(2)} s)` : '—', o1 && d1 ? o1.median - d1.median <= 0.25 : undefined, o1 && d1 ? `by ${(o1.median - d1.median - 0.25).toFixed(2)} s` : '');
  for (const op of OPS) {
    const o = wall('ours', 500, op);
    const d = wall('terraform_data', 500, op);
    const above = o && d ? o.median - d.median : undefined;
    const limit = op === 'plan' ? 1.5 : BEFORE.above500[op];
    const what = op === 'plan' ? '≤ 1.5 s' : `no more than before (${BEFORE.above500[op].toFixed(1)} s)`;
    add(`500 models, ${OP_LABEL[op]}: ours − terraform_data ${what}`, above === undefined ? '—' : `${above.toFixed(2)} s (${o.median.toFixed(2)} s − ${d.median.toFixed(2)} s; before: ${BEFORE.above500[op].toFixed(1)} s)`, above === undefined ? undefined : above <= limit, above === undefined ? '' : `by ${(above - limit).toFixed(2)} s`);
  }
  const big = Math.max(...NS);
  const calls = refreshCallsPerModel('ours', big);
  add('≤ 2 API calls per model per refresh', calls ? `${calls.perModel.toFixed(2)} at N=${big} (${calls.detail})` : '—', calls ? calls.perModel <= 2 : undefined, '');
  const linear = linearity('ours');
  add('cost linear in N (ms per extra model, ours minus terraform_data)', linear.text, linear.met, linear.note);
  const c1 = wall('ours-cold', 1, 'plan');
  add(`cold path (TF_AWS_WARM=0): \`terraform plan\` of one model no slower than before (${BEFORE.plan1.toFixed(2)} s)`, c1 ? `${c1.median.toFixed(2)} s` : '—', c1 ? c1.median <= BEFORE.plan1 : undefined, c1 ? `by ${(c1.median - BEFORE.plan1).toFixed(2)} s` : '');
  const coldRpc = median(startup.firstRpc);
  add(`cold path: exec → first answered RPC no slower than before (${BEFORE.coldFirstRpcMs} ms)`, `${coldRpc.toFixed(0)} ms`, coldRpc <= BEFORE.coldFirstRpcMs, `by ${(coldRpc - BEFORE.coldFirstRpcMs).toFixed(0)} ms`);
  const rss = median(startup.handshakeRss) / 1024;
  add('cold path: RSS at handshake ≤ 50 MiB', `${rss.toFixed(1)} MiB (bare node ${(median(startup.bareRss) / 1024).toFixed(1)} MiB)`, rss <= 50, `by ${(rss - 50).toFixed(1)} MiB`);
  const planPeak = peakMiB('ours', 500, 'plan');
  add('peak RSS of the warm server during a 500-model plan ≤ 150 MiB', planPeak === undefined ? '—' : `${planPeak.toFixed(0)} MiB`, planPeak === undefined ? undefined : planPeak <= 150, `by ${((planPeak ?? 0) - 150).toFixed(0)} MiB`);
  return rows.join('\n');
}

/** Seconds per extra model between consecutive N, per operation: linear when the slope does not grow with N. */
function linearity(provider) {
  const parts = [];
  let worst = 0;
  // Terraform itself is not linear in N (its apply and destroy of terraform_data grow faster than N), so the
  // provider's own cost is ours minus terraform_data at the same N, when terraform_data ran.
  const own = (n, op) => {
    const o = wall(provider, n, op);
    const d = wall('terraform_data', n, op);
    return o && (d ? o.median - d.median : o.median);
  };
  for (const op of OPS) {
    const slopes = [];
    for (let i = 1; i < NS.length; i++) {
      const a = own(NS[i - 1], op);
      const b = own(NS[i], op);
      if (a !== undefined && b !== undefined) slopes.push({ from: NS[i - 1], to: NS[i], s: (b - a) / (NS[i] - NS[i - 1]) });
    }
    if (slopes.length < 2) continue;
    parts.push(`${OP_LABEL[op]}: ${slopes.map((x) => `${(x.s * 1000).toFixed(1)} ms`).join(' → ')}`);
    const [prev, last] = slopes.slice(-2);
    if (prev.s > 0) worst = Math.max(worst, last.s / prev.s);
  }
  if (!parts.length) return { text: `needs at least three N (ran ${NS.join(', ')})`, met: undefined };
  // The first slopes are dominated by fixed costs spread over few models; the last step must not grow much.
  return { text: `${parts.join('; ')} (between N = ${NS.join(', ')})`, met: worst <= 1.5, note: `(last step ${worst.toFixed(1)}× the one before)` };
}

function startupSection(startup, hashicorpHandshake) {
  const ms = (x) => `${x.toFixed(0)} ms`;
  const ms1 = (x) => `${x.toFixed(1)} ms`;
  const lines = [
    '| | median | min | RSS | CPU time (user+sys) |',
    '|---|---:|---:|---:|---:|',
    `| bare \`node -e 0\` (exec → exit) | ${ms(median(startup.bare))} | ${ms(Math.min(...startup.bare))} | ${(median(startup.bareRss) / 1024).toFixed(1)} MiB | |`,
    `| ours, warm: exec → handshake line | ${ms1(median(startup.warmHandshake))} | ${ms1(Math.min(...startup.warmHandshake))} | | |`,
    `| ours, warm: exec → GetProviderSchema answered | ${ms1(median(startup.warmFirstRpc))} | ${ms1(Math.min(...startup.warmFirstRpc))} | server ${(Math.max(...startup.warmServerRss, 0) / 1024).toFixed(1)} MiB | |`,
    `| ours, TF_AWS_WARM=0: exec → handshake line | ${ms(median(startup.handshake))} | ${ms(Math.min(...startup.handshake))} | ${(median(startup.handshakeRss) / 1024).toFixed(1)} MiB | ${ms(median(startup.handshakeCpu))} |`,
    `| ours, TF_AWS_WARM=0: exec → GetProviderSchema answered | ${ms(median(startup.firstRpc))} | ${ms(Math.min(...startup.firstRpc))} | ${(median(startup.firstRpcRss) / 1024).toFixed(1)} MiB | ${ms(median(startup.firstRpcCpu))} |`,
  ];
  if (hashicorpHandshake.handshake.length) {
    lines.push(`| hashicorp/aws 5.100.0: exec → handshake line | ${ms(median(hashicorpHandshake.handshake))} | ${ms(Math.min(...hashicorpHandshake.handshake))} | ${(median(hashicorpHandshake.rss) / 1024).toFixed(1)} MiB | ${ms(median(hashicorpHandshake.cpu))} |`);
  }
  lines.push('', 'Inside our provider, TF_AWS_WARM=0 (ms since process start, median of the first-RPC runs):', '', '| mark | at | step | what the step does |', '|---|---:|---:|---|');
  for (const [name, label, at, delta] of phaseRows(startup.phases)) lines.push(`| ${name} | ${at.toFixed(0)} | +${delta.toFixed(0)} | ${label} |`);
  return lines.join('\n');
}

function environmentLine(loadStart, loadEnd, versions, elapsedS) {
  return `${cpus().length} vCPU (${cpus()[0]?.model ?? 'unknown CPU'}), load average ${loadStart.toFixed(1)} at the start and ${loadEnd.toFixed(1)} at the end; ` +
    `node ${process.version}, ${versions.terraform}; mode: ${quick ? '`--quick`' : 'full'}; N = ${NS.join(', ')}; ran ${Math.round(elapsedS)} s.`;
}

// --- main ---------------------------------------------------------------------------------------------------

const began = Date.now();
const loadStart = loadavg()[0];
const versions = { terraform: await terraformVersion() };
if (!versions.terraform) {
  console.error('terraform is not on PATH');
  process.exit(1);
}

let mirror;
if (PROVIDERS.includes('hashicorp')) {
  try {
    mirror = await hashicorpMirror();
  } catch (err) {
    console.error(`${err.message}\nhashicorp/aws is left out of this run.`);
    PROVIDERS.splice(PROVIDERS.indexOf('hashicorp'), 1);
  }
}

log(`start-up: ${STARTUP_RUNS} runs`);
const startup = await measureStartup({ binary: providerBinary, runs: STARTUP_RUNS });
const hashicorpHandshake = { handshake: [], rss: [], cpu: [] };
const hashicorpBinary = mirror && join(mirror, 'registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64/terraform-provider-aws_v5.100.0_x5');
if (hashicorpBinary && existsSync(hashicorpBinary)) {
  const work = tempDir('bench-plugin-env-');
  const { env } = await pluginEnvironment(work);
  for (let i = 0; i < HASHICORP_HANDSHAKE_RUNS; i++) {
    const h = await timeHandshake(hashicorpBinary, env);
    hashicorpHandshake.handshake.push(h.elapsed);
    hashicorpHandshake.rss.push(h.rss);
    hashicorpHandshake.cpu.push(h.cpu);
  }
}
log(`  exec -> handshake: ours ${median(startup.handshake).toFixed(0)} ms, bare node ${median(startup.bare).toFixed(0)} ms` +
  (hashicorpHandshake.handshake.length ? `, hashicorp/aws ${median(hashicorpHandshake.handshake).toFixed(0)} ms` : ''));

const url = await startEndpoint();
const roleArn = await createExecutionRole(url);
log(`endpoint ${url}, execution role ${roleArn}`);

const workspaces = {};
for (const provider of PROVIDERS) workspaces[provider] = createWorkspace(provider, mirror);
if (workspaces.ours) await startWarmServer(workspaces.ours, url, roleArn);
if (workspaces.hashicorp) {
  writeFileSync(join(workspaces.hashicorp.dir, 'main.tf'), configFor('hashicorp', 1, url, roleArn));
  const init = await terraform(workspaces.hashicorp, ['init', '-input=false', '-no-color'], 5 * 60_000);
  if (init.code !== 0) {
    console.error(`terraform init for hashicorp/aws failed:\n${init.stdout}\n${init.stderr}`);
    failures.push('hashicorp/aws: terraform init failed');
    delete workspaces.hashicorp;
  } else {
    log(`hashicorp/aws: terraform init ${(init.wallMs / 1000).toFixed(1)} s`);
  }
}

// Interleave the providers at each N so that a change in machine load affects all three alike.
for (const n of NS) {
  for (const provider of PROVIDERS) {
    if (!workspaces[provider]) continue;
    log(`${PROVIDER_LABEL[provider]}, N=${n}: ${RUNS(provider, n)} run(s)`);
    await scenario(workspaces[provider], n, url, roleArn);
  }
}
const loadEnd = loadavg()[0];
const elapsedS = (Date.now() - began) / 1000;

const table = timeTable();
const markdown = `# Benchmark: ours (warm server, and TF_AWS_WARM=0) vs hashicorp/aws 5.100.0 vs terraform_data

Reproduce with \`make bench\` (full) or \`make bench-quick\` (options: the header of \`bench/run.mjs\`). Every scenario runs the real \`terraform\` (default \`-parallelism\`, 10) against one embedded endpoint
(\`bin/local-aws\`); wall times are medians in seconds with (min–max) when run more than once. "refresh-plan" is
\`terraform plan\` on the applied state (read every model, then plan: no changes). Peak RSS is the largest VmHWM of
any provider process Terraform started during the operation (for "ours, warm", the warm server's, reset before
each operation); "launches" counts the processes Terraform started; API calls come from the endpoint's call log.
"ours, warm" is the default launch path: a warm server (started by a first \`terraform validate\`) answers every launch.

${environmentLine(loadStart, loadEnd, versions, elapsedS)}

## Targets

${targets(startup)}

## Time per operation

${table}

![time vs N](time-vs-n.svg)

## Start-up

${startupSection(startup, hashicorpHandshake)}

## API calls per refresh-plan

${NS.map((n) => ['ours', 'hashicorp'].map((p) => {
  const c = callsOf(p, n, 'plan');
  return c ? `- ${PROVIDER_LABEL[p]}, N=${n}: ${Object.entries(c).map(([k, v]) => `${k} ${v}`).join(', ')}` : undefined;
}).filter(Boolean).join('\n')).filter(Boolean).join('\n')}
${failures.length ? `\n## Failures\n\n${failures.map((f) => `- ${f}`).join('\n')}\n` : ''}`;

mkdirSync(OUT_DIR, { recursive: true });
writeFileSync(join(OUT_DIR, 'latest.md'), markdown);
const series = PROVIDERS.map((p) => ({
  name: PROVIDER_LABEL[p],
  key: p,
  points: Object.fromEntries(OPS.map((op) => [op, NS.map((n) => [n, wall(p, n, op)?.median]).filter(([, y]) => y !== undefined)])),
}));
writeFileSync(join(OUT_DIR, 'time-vs-n.svg'), renderChart({ series, ops: OPS.map((op) => [op, OP_LABEL[op]]), subtitle: `${quick ? '--quick, ' : ''}${cpus().length} vCPU, load ${loadStart.toFixed(1)}` }));

console.log(`\n${targets(startup)}\n\n${table}\n`);
console.log(`wrote ${relative(process.cwd(), join(OUT_DIR, 'latest.md'))} and ${relative(process.cwd(), join(OUT_DIR, 'time-vs-n.svg'))} in ${Math.round(elapsedS)} s`);
if (failures.length) console.log(`failures:\n${failures.join('\n')}`);
// The endpoint child (and its pipes) would keep Node running: stop it and leave.
process.exit(failures.length ? 1 : 0);
