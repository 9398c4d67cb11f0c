// Delegation benchmark: what handing the other hashicorp/aws types to the genuine provider costs.
//
//   node bench/delegation.mjs [--runs R] [--out DIR]
//
// 1. A native-only configuration (the documented example, examples/basic/main.tf, applied): `terraform plan` with no upstream, with an
//    upstream configured (schema cache warm: the usual case), with the upstream's schema cache cold (the first
//    command after a new binary), and with every upstream schema served (what a merged schema of all 2,141 types
//    costs Terraform: forced with TF_CLI_ARGS_plan=-state=terraform.tfstate, which makes the router serve them all).
// 2. A mixed configuration, the acceptance tests' realistic one (the documented example's model and role with an S3
//    bucket and objects, managed and inline policies, caller identity, partition, region) and provider::aws::arn_parse:
//    apply, refresh-plan and destroy through our provider with the warm server's pool of hashicorp/aws children
//    (src/upstream/pool.ts), with the pool off (TF_AWS_WARM_UPSTREAM=0: a child per launch that needs one), and
//    through hashicorp/aws 5.100.0 alone; the resident memory of the children parked after each command. One cycle
//    per variant first fills the pool (and every cache), as the commands before would have.
// Runs are interleaved so load changes hit every variant alike. Writes bench/results/delegation.md: the table and
// the targets of issue 23 (mixed refresh-plan >= 15x faster than hashicorp/aws alone and within 0.3 s of the native-only
// plan; mixed apply and destroy >= 15x faster), met or missed and by how much.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { cpus, loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { median, root } from './lib/startup.mjs';
import { createWorkspace, hashicorpMirror, log, REGION, startEndpoint, tempDir, terraform, terraformVersion, testModule, warmUpstreamChildren } from './lib/terraform.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const RUNS = Number(option('runs', '5'));
const MIXED_RUNS = Number(option('mixed-runs', '3'));
const OUT_DIR = option('out', join(root, 'bench/results'));
const TIMEOUT = 5 * 60_000;
const APPLY = ['apply', '-auto-approve', '-input=false', '-no-color'];
const PLAN = ['plan', '-detailed-exitcode', '-input=false', '-no-color'];
const DESTROY = ['destroy', '-auto-approve', '-input=false', '-no-color'];

/** The documented example (examples/basic/main.tf): native types only; its one variable is the endpoint. */
const documentedExample = readFileSync(join(root, 'examples/basic/main.tf'), 'utf8');
/** The acceptance tests' realistic configuration, with hashicorp/aws's arn_parse in an output. */
const { realisticConfig, FUNCTION_OUTPUT } = await testModule('acceptance/realistic-config');

/** samples[variant][op] = [result] */
const samples = {};
const failures = [];

async function measure(variant, ws, op, tfArgs, okCodes = [0]) {
  const result = await terraform(ws, tfArgs, TIMEOUT);
  if (!okCodes.includes(result.code)) {
    failures.push(`${variant} ${op}: exit ${result.code}`);
    log(`  ${variant} ${op} failed (exit ${result.code}):\n${(result.stderr || result.stdout).slice(-2000)}`);
    return undefined;
  }
  ((samples[variant] ??= {})[op] ??= []).push(result);
  log(`  ${variant} ${op}: ${(result.wallMs / 1000).toFixed(2)} s, terraform peak ${(result.terraformPeakKiB / 1024).toFixed(0)} MiB, ` +
    `${result.launches} provider launch(es), ${result.upstreamLaunches} upstream launch(es)`);
  return result;
}

const began = Date.now();
const loadStart = loadavg()[0];
const version = await terraformVersion();
if (!version) {
  console.error('terraform is not on PATH');
  process.exit(1);
}
const mirror = await hashicorpMirror();
const url = await startEndpoint();
const cache = tempDir('bench-delegation-cache-');
// Every variant of ours shares one XDG_CACHE_HOME (the V8 code cache lives there too); the upstream's schema cache
// is in it, so "cold" clears just that. The example's one variable is the endpoint.
const ours = (env) => createWorkspace('ours', mirror, { XDG_CACHE_HOME: cache, TF_VAR_endpoint: url, ...env });
const upstreamEnv = { TF_AWS_UPSTREAM_PROVIDER: mirror };

// --- 1. native-only -------------------------------------------------------------------------------------------

log('native-only configuration');
const native = ours({ TF_AWS_UPSTREAM_PROVIDER: 'none' });
writeFileSync(join(native.dir, 'main.tf'), documentedExample);
if ((await terraform(native, APPLY, TIMEOUT)).code !== 0) throw new Error('applying the native-only configuration failed');
const nativeVariants = {
  'no upstream': { TF_AWS_UPSTREAM_PROVIDER: 'none' },
  'upstream configured': upstreamEnv,
  'upstream, every schema served': { ...upstreamEnv, TF_CLI_ARGS_plan: '-state=terraform.tfstate' },
};
const withEnv = (env) => ({ ...native, env: { ...native.env, ...env } });
// Warm-up: the first runs fill the V8 code cache and the upstream schema cache (the cold case is measured below).
for (const env of Object.values(nativeVariants)) await terraform(withEnv(env), PLAN, TIMEOUT);
for (let run = 0; run < RUNS; run++) {
  for (const [variant, env] of Object.entries(nativeVariants)) await measure(`native: ${variant}`, withEnv(env), 'refresh-plan', PLAN);
}
for (let run = 0; run < 2; run++) {
  rmSync(join(cache, 'terraform-provider-aws-ts', 'upstream-schemas'), { recursive: true, force: true });
  await measure('native: upstream configured, schema cache cold', withEnv(upstreamEnv), 'refresh-plan', PLAN);
}
await terraform(native, DESTROY, TIMEOUT);

// --- 2. mixed -------------------------------------------------------------------------------------------------

log('mixed configuration');
const MIXED = {
  'ours, pool': () => ours(upstreamEnv),
  'ours, pool off': () => ours({ ...upstreamEnv, TF_AWS_WARM_UPSTREAM: '0' }),
  'hashicorp/aws 5.100.0 alone': () => createWorkspace('hashicorp', mirror),
};
const mixed = Object.fromEntries(Object.entries(MIXED).map(([variant, make]) => [variant, make()]));
for (const [variant, ws] of Object.entries(mixed)) {
  const name = `bench-mixed-${variant.replace(/[^a-z0-9]+/g, '-').replace(/-+$/, '')}`.slice(0, 40);
  writeFileSync(join(ws.dir, 'model.tar.gz'), gzipSync(Buffer.from('{"weights": [0.1, 0.2, 0.3]}\n'.repeat(50))));
  writeFileSync(join(ws.dir, 'main.tf'), realisticConfig({ url, region: REGION }, { bucket: name, role: name, model: name }, 'model.tar.gz') + FUNCTION_OUTPUT);
}
if ((await terraform(mixed['hashicorp/aws 5.100.0 alone'], ['init', '-input=false', '-no-color'], TIMEOUT)).code !== 0) throw new Error('terraform init for hashicorp/aws failed');
/** parked[variant][op]: the hashicorp/aws children a variant's warm servers keep after each command, with their RSS. */
const parked = {};
const cycle = async (variant, ws, measured) => {
  const run = async (op, tfArgs) => {
    const result = measured ? await measure(`mixed: ${variant}`, ws, op, tfArgs) : await terraform(ws, tfArgs, TIMEOUT);
    if (measured && result && ws.env.TF_AWS_WARM_DIR) ((parked[`mixed: ${variant}`] ??= {})[op] ??= []).push(warmUpstreamChildren(ws.env.TF_AWS_WARM_DIR));
    return measured ? result : result.code === 0;
  };
  if (!(await run('apply', APPLY))) return void (await terraform(ws, DESTROY, TIMEOUT));
  await run('refresh-plan', PLAN);
  await run('destroy', DESTROY);
};
// The first cycle starts the warm servers and fills the pool, as earlier commands of the user's would have.
for (const [variant, ws] of Object.entries(mixed)) if (variant.startsWith('ours')) await cycle(variant, ws, false);
for (let run = 0; run < MIXED_RUNS; run++) {
  for (const [variant, ws] of Object.entries(mixed)) await cycle(variant, ws, true);
}

// --- report ---------------------------------------------------------------------------------------------------

const loadEnd = loadavg()[0];
const elapsedS = (Date.now() - began) / 1000;
const secs = (xs) => {
  const s = xs.map((r) => r.wallMs / 1000);
  return s.length > 1 ? `${median(s).toFixed(2)} (${Math.min(...s).toFixed(2)}–${Math.max(...s).toFixed(2)})` : s.length ? median(s).toFixed(2) : '—';
};
const mib = (xs, key) => {
  const v = xs.map((r) => r[key]).filter(Number.isFinite);
  return v.length ? (Math.max(...v) / 1024).toFixed(0) : '—';
};
const count = (xs, key) => (xs.length ? median(xs.map((r) => r[key])) : '—');
/** Parked children after the command: how many, and their RSS together (the largest of the runs). */
const parkedAfter = (variant, op) => {
  const snapshots = parked[variant]?.[op];
  if (!snapshots?.length) return '—';
  const worst = snapshots.reduce((a, b) => (sum(b) > sum(a) ? b : a));
  return `${worst.length} / ${(sum(worst) / 1024).toFixed(0)}`;
};
const sum = (children) => children.reduce((total, child) => total + (child.rssKiB || 0), 0);
const rows = [
  '| variant | operation | wall (s): median (min–max) | runs | terraform peak RSS (MiB) | provider launches | upstream launches | peak RSS provider / upstream (MiB) | parked after: children / RSS (MiB) |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|',
];
for (const [variant, ops] of Object.entries(samples)) {
  for (const [op, xs] of Object.entries(ops)) {
    rows.push(
      `| ${variant} | ${op} | ${secs(xs)} | ${xs.length} | ${mib(xs, 'terraformPeakKiB')} | ${count(xs, 'launches')} | ${count(xs, 'upstreamLaunches')} | ${mib(xs, 'providerPeakKiB')} / ${mib(xs, 'upstreamPeakKiB')} | ${parkedAfter(variant, op)} |`,
    );
  }
}
const table = rows.join('\n');

// The targets: each met or missed, and by how much.
const wall = (variant, op) => median((samples[variant]?.[op] ?? []).map((r) => r.wallMs / 1000));
const pool = 'mixed: ours, pool';
const alone = 'mixed: hashicorp/aws 5.100.0 alone';
const targetRows = ['| target | measured | status |', '|---|---|---|'];
for (const op of ['refresh-plan', 'apply', 'destroy']) {
  const ratio = wall(alone, op) / wall(pool, op);
  const needed = wall(alone, op) / 15;
  targetRows.push(
    `| mixed ${op} ≥ 15× faster than hashicorp/aws alone | ${ratio.toFixed(1)}× (${wall(alone, op).toFixed(2)} s vs ${wall(pool, op).toFixed(2)} s) | ${ratio >= 15 ? '**met**' : `**missed** (needs ${needed.toFixed(2)} s, ${(wall(pool, op) - needed).toFixed(2)} s less)`} |`,
  );
}
const nativePlan = wall('native: upstream configured', 'refresh-plan');
const above = wall(pool, 'refresh-plan') - nativePlan;
targetRows.push(
  `| mixed refresh-plan within 0.3 s of the native-only plan | +${above.toFixed(2)} s (${wall(pool, 'refresh-plan').toFixed(2)} s vs ${nativePlan.toFixed(2)} s) | ${above <= 0.3 ? '**met**' : `**missed** by ${(above - 0.3).toFixed(2)} s`} |`,
);
const targets = targetRows.join('\n');
const markdown = `# Benchmark: delegation to hashicorp/aws 5.100.0

Reproduce with \`make bench-delegation\` (options: the header of \`bench/delegation.mjs\`). The real \`terraform\` against
one embedded endpoint (\`bin/local-aws\`); "refresh-plan" is \`terraform plan\` on the applied state. Peak RSS is the
largest VmHWM of the terraform process, of any provider process it started, and of any upstream hashicorp/aws process
our provider started; launches count those processes.

${cpus().length} vCPU (${cpus()[0]?.model ?? 'unknown CPU'}), load average ${loadStart.toFixed(1)} at the start and ${loadEnd.toFixed(1)} at the end;
node ${process.version}, ${version}; ${RUNS} native runs, ${MIXED_RUNS} mixed runs per variant; ran ${Math.round(elapsedS)} s.

${targets}

${table}

"ours, pool" is the default: the warm server keeps the hashicorp/aws children of ended launches and gives them to later
launches with the same configuration (src/upstream/pool.ts); "ours, pool off" is \`TF_AWS_WARM_UPSTREAM=0\` (a child
per launch that needs one, started at ConfigureProvider when the command names delegated types). Upstream launches
count the hashicorp/aws processes started during the command, by our launches or by their warm server; "parked after"
the children the variant's warm servers keep once the command has ended (VmRSS).
${failures.length ? `\n## Failures\n\n${failures.map((f) => `- ${f}`).join('\n')}\n` : ''}`;
mkdirSync(OUT_DIR, { recursive: true });
writeFileSync(join(OUT_DIR, 'delegation.md'), markdown);
console.log(`\n${targets}\n\n${table}\n`);
console.log(`wrote ${relative(process.cwd(), join(OUT_DIR, 'delegation.md'))} in ${Math.round(elapsedS)} s`);
process.exit(failures.length ? 1 : 0);
