// Per-model cost of the provider: N aws_sagemaker_model resources against bin/local-aws.
//
//   node bench/profile-models.mjs [--n 500] [--runs 3] [--profile] [--floor] [--out DIR] [--bin DIR]
//   node bench/profile-models.mjs --report DIR    (summarise the .cpuprofile files of an earlier --profile run)
//
// Each run applies N models, runs a refresh `terraform plan` and destroys them, timing each command (wall) and
// counting the endpoint's API calls per operation. --floor does the same with N terraform_data resources
// (Terraform's own cost). --profile starts the providers of each plan under `node --cpu-prof` (through a wrapper
// named terraform-provider-aws that dev_overrides points at: Node refuses --cpu-prof in NODE_OPTIONS) and prints the top functions and modules by self and total time,
// summed over the .cpuprofile files the first plan's provider processes wrote (kept in --out, or a temporary
// directory), and each plan's provider CPU time. --bin runs the provider of another build (default: bin/).
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { median, root } from './lib/startup.mjs';
import { admin, createExecutionRole, createWorkspace, IMAGE, log, providerBlock, startEndpoint, tempDir, terraform } from './lib/terraform.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const N = Number(option('n', '500'));
const RUNS = Number(option('runs', '1'));
const PROFILE = args.includes('--profile');
const FLOOR = args.includes('--floor');
const TOP = Number(option('top', '30'));
const TIMEOUT_MS = 15 * 60_000;

function modelsConfig(url, roleArn) {
  return `${providerBlock(url)}
resource "aws_sagemaker_model" "m" {
  count              = ${N}
  name               = "profile-\${count.index}"
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

function floorConfig(roleArn) {
  return `resource "terraform_data" "m" {
  count = ${N}
  input = {
    name               = "profile-data-\${count.index}"
    execution_role_arn = "${roleArn}"
    image              = "${IMAGE}"
    tags               = { bench = "true" }
  }
}
`;
}

const COMMANDS = {
  apply: ['apply', '-auto-approve', '-input=false', '-no-color'],
  plan: ['plan', '-detailed-exitcode', '-input=false', '-no-color'],
  destroy: ['destroy', '-auto-approve', '-input=false', '-no-color'],
};

async function run(ws, url, op, extraEnv = {}) {
  await admin(url, 'POST', '/_endpoint/reset?what=calls');
  const result = await terraform({ ...ws, env: { ...ws.env, ...extraEnv } }, COMMANDS[op], TIMEOUT_MS);
  const { counts } = await admin(url, 'GET', '/_endpoint/calls?limit=0');
  if (result.code !== 0) throw new Error(`${op} exited ${result.code}:\n${(result.stderr || result.stdout).slice(-3000)}`);
  const calls = Object.values(counts).reduce((a, b) => a + b, 0);
  log(`${op}: ${(result.wallMs / 1000).toFixed(2)} s, ${calls} API calls (${(calls / N).toFixed(2)} per model) ${JSON.stringify(counts)}`);
  return { seconds: result.wallMs / 1000, counts };
}

// --- profile summary ----------------------------------------------------------------------------------------

/** The modules of a bundle (esbuild marks each one with a `// path` comment line): line -> module. */
const bundleIndex = new Map();
function bundleModules(path) {
  let index = bundleIndex.get(path);
  if (index) return index;
  index = [];
  try {
    readFileSync(path, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const m = /^\/\/ ((?:node_modules\/)?[@\w./-]+\.(?:ts|js|mjs|cjs|json))$/.exec(line);
        if (m) index.push([i, packageOf(m[1])]);
      });
  } catch {
    // not a readable file
  }
  bundleIndex.set(path, index);
  return index;
}
function packageOf(path) {
  const nm = path.lastIndexOf('node_modules/');
  if (nm < 0) return path;
  const rest = path.slice(nm + 'node_modules/'.length).split('/');
  return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
}

/** The module a call frame belongs to: a package, a source file of ours (inside the bundles), or node's own. */
function moduleOf(callFrame) {
  const url = callFrame.url;
  if (!url) return '(native/vm)';
  if (url.startsWith('node:')) return 'node:internal';
  const path = url.replace(/^file:\/\//, '');
  if (path.includes('node_modules/')) return packageOf(path);
  const index = bundleModules(path);
  let found;
  for (const [line, module] of index) {
    if (line > callFrame.lineNumber) break;
    found = module;
  }
  return found ?? (relative(root, path) || path);
}

/** A frame's file: its path inside node_modules, else its module. */
function where(callFrame) {
  const nm = callFrame.url.lastIndexOf('node_modules/');
  return nm >= 0 ? callFrame.url.slice(nm + 'node_modules/'.length).replace('/dist-cjs/', '/') : moduleOf(callFrame);
}

/**
 * Self and total (inclusive, each frame counted once per sample) time by function and by module; `attributed`
 * charges each sample to the innermost frame that is not node's own (so node's http/crypto/stream work counts
 * towards the SDK or gRPC code that asked for it).
 */
export function summarise(profiles) {
  const byFunction = new Map();
  const byModule = new Map();
  const attributed = new Map();
  let totalUs = 0;
  const add = (map, key, field, us) => {
    let e = map.get(key);
    if (!e) map.set(key, (e = { self: 0, total: 0 }));
    e[field] += us;
  };
  for (const profile of profiles) {
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const sampleUs = new Map();
    for (let i = 0; i < profile.samples.length; i++) {
      const dt = profile.timeDeltas[i + 1] ?? 0;
      sampleUs.set(profile.samples[i], (sampleUs.get(profile.samples[i]) ?? 0) + dt);
    }
    for (const [id, us] of sampleUs) {
      const leaf = nodes.get(id);
      const name = leaf.callFrame.functionName || '(anonymous)';
      if (name === '(idle)' || name === '(program)') continue;
      totalUs += us;
      const fnKey = (cf) => `${cf.functionName || '(anonymous)'} ${where(cf)}:${cf.lineNumber + 1}`;
      add(byFunction, fnKey(leaf.callFrame), 'self', us);
      add(byModule, moduleOf(leaf.callFrame), 'self', us);
      const seenF = new Set();
      const seenM = new Set();
      let owner;
      for (let n = leaf; n; n = nodes.get(parent.get(n.id))) {
        const f = fnKey(n.callFrame);
        const m = moduleOf(n.callFrame);
        if (!owner && m !== 'node:internal' && m !== '(native/vm)') owner = m;
        if (!seenF.has(f)) {
          seenF.add(f);
          add(byFunction, f, 'total', us);
        }
        if (!seenM.has(m)) {
          seenM.add(m);
          add(byModule, m, 'total', us);
        }
      }
      add(attributed, owner ?? (name === '(garbage collector)' ? '(garbage collector)' : `node only: ${name}`), 'self', us);
    }
  }
  return { totalUs, byFunction, byModule, attributed };
}

function table(title, map, field, totalUs) {
  const rows = [...map].sort((a, b) => b[1][field] - a[1][field]).slice(0, TOP);
  const lines = [`${title} (busy CPU ${(totalUs / 1000).toFixed(0)} ms)`, '  self ms  total ms  %' + field];
  for (const [k, v] of rows) lines.push(`${(v.self / 1000).toFixed(0).padStart(8)} ${(v.total / 1000).toFixed(0).padStart(9)} ${((100 * v[field]) / totalUs).toFixed(1).padStart(5)}%  ${k}`);
  return lines.join('\n');
}

/**
 * A CLI configuration whose dev_overrides name a wrapper `terraform-provider-aws` that runs `binDir`'s provider,
 * under `node --cpu-prof` writing into `PROFILE_DIR` when that variable is set (Node refuses --cpu-prof in NODE_OPTIONS).
 */
function wrapperEnvironment(binDir) {
  const wrapperDir = tempDir('provider-wrapper-');
  const wrapper = join(wrapperDir, 'terraform-provider-aws');
  // The Node entry itself, a process per launch (the per-call work is the same on a warm server, src/warm/).
  const provider = join(binDir, 'lib', 'main.js');
  // Each provider process appends its CPU time (user + system, µs) to $CPU_USAGE_FILE when it exits.
  const preload = join(wrapperDir, 'cpu-usage.cjs');
  writeFileSync(
    preload,
    `process.on('exit', () => { const u = process.cpuUsage(); require('node:fs').appendFileSync(process.env.CPU_USAGE_FILE, (u.user + u.system) + '\\n'); });\n`,
  );
  writeFileSync(
    wrapper,
    `#!/bin/sh\nset -- -r "${preload}" "${provider}" "$@"\nif [ -n "$PROFILE_DIR" ]; then exec "${process.execPath}" --cpu-prof --cpu-prof-dir="$PROFILE_DIR" "$@"; fi\nexec "${process.execPath}" "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
  const rc = join(wrapperDir, '.terraformrc');
  writeFileSync(rc, `provider_installation {\n  dev_overrides {\n    "hashicorp/aws" = "${wrapperDir}"\n  }\n  direct {}\n}\n`);
  return { TF_CLI_CONFIG_FILE: rc, CPU_USAGE_FILE: join(wrapperDir, 'cpu-usage') };
}

/** CPU time (ms) the provider processes of a command recorded in the CPU usage file; the file is then emptied. */
function takeCpuMs(file) {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  writeFileSync(file, '');
  return text.split('\n').filter(Boolean).reduce((a, b) => a + Number(b), 0) / 1000;
}

/** CPU time of the provider processes whose profiles are in `dir` (busy samples, idle left out). */
function busyMs(dir) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  return summarise(files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')))).totalUs / 1000;
}

// --- main ---------------------------------------------------------------------------------------------------

if (option('report')) {
  // Only summarise the .cpuprofile files of an earlier run.
  report(option('report'));
  process.exit(0);
}
const url = await startEndpoint();
const roleArn = await createExecutionRole(url);
const results = { apply: [], plan: [], destroy: [] };
const ws = createWorkspace(FLOOR ? 'terraform_data' : 'ours');
writeFileSync(join(ws.dir, 'main.tf'), FLOOR ? floorConfig(roleArn) : modelsConfig(url, roleArn));
log(`N=${N}, ${RUNS} run(s), ${FLOOR ? 'terraform_data' : 'aws_sagemaker_model'}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
const BIN = resolve(option('bin', join(root, 'bin')));
const profDir = PROFILE ? (option('out') ? (mkdirSync(option('out'), { recursive: true }), option('out')) : tempDir('cpuprof-')) : undefined;
if (!FLOOR) Object.assign(ws.env, wrapperEnvironment(BIN));
const cpuMs = { apply: [], plan: [], destroy: [] };
const planBusyMs = [];
for (let r = 0; r < RUNS; r++) {
  for (const op of ['apply', 'plan', 'destroy']) {
    const runDir = PROFILE && op === 'plan' ? join(profDir, `plan-${r}`) : undefined;
    if (runDir) mkdirSync(runDir, { recursive: true });
    results[op].push((await run(ws, url, op, runDir ? { PROFILE_DIR: runDir } : {})).seconds);
    if (runDir) planBusyMs.push(busyMs(runDir));
    const cpu = FLOOR ? undefined : takeCpuMs(ws.env.CPU_USAGE_FILE);
    if (cpu !== undefined) cpuMs[op].push(cpu);
  }
}
const fmt = (xs, unit = 's', digits = 2) =>
  `${median(xs).toFixed(digits)} ${unit} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}) [${xs.map((x) => x.toFixed(digits)).join(', ')}]`;
console.log(`N=${N} ${FLOOR ? 'terraform_data' : `ours (${relative(root, BIN) || BIN})`}; load average at end ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
for (const op of ['apply', 'plan', 'destroy']) {
  const label = op === 'plan' ? 'refresh-plan' : op;
  console.log(`  ${label}: median ${fmt(results[op])}`);
  if (cpuMs[op].length) console.log(`  ${label} provider CPU (user+system of its processes${PROFILE && op === 'plan' ? ', profiled' : ''}): median ${fmt(cpuMs[op], 'ms', 0)}`);
}
if (planBusyMs.length) console.log(`  refresh-plan provider busy samples (wall time not idle, profiled): median ${fmt(planBusyMs, 'ms', 0)}`);
if (PROFILE) report(join(profDir, 'plan-0'));

function report(dir) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const profiles = files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
  const { totalUs, byFunction, byModule, attributed } = summarise(profiles);
  console.log(`\n${files.length} profile(s) of the refresh-plan's provider processes in ${dir}`);
  console.log(`\n${table('Top functions by self time', byFunction, 'self', totalUs)}`);
  console.log(`\n${table('Top functions by total time', byFunction, 'total', totalUs)}`);
  console.log(`\n${table('Modules by self time', byModule, 'self', totalUs)}`);
  console.log(`\n${table('Modules by total time', byModule, 'total', totalUs)}`);
  console.log(`\n${table("Modules with node's own work charged to their caller", attributed, 'self', totalUs)}`);
}
process.exit(0); // the endpoint's pipes would keep the process alive; the exit handler kills it
