// Mutation testing (`make test-mutation`): StrykerJS on each of the provider's layers in turn, against the fast
// unit tests (stryker.config.mjs), then bench/results/mutation.md from the folders' JSON reports.
//
//   node scripts/mutation.mjs                      every folder, every mutant (hours on 2 vCPU)
//   node scripts/mutation.mjs --incremental values only the mutants whose code or tests changed since the last run
//   node scripts/mutation.mjs src/values/msgpack.ts only these files (each in its folder's report)
//   node scripts/mutation.mjs --report             rewrite bench/results/mutation.md from the reports on disk
//
// Needs Node.js 22 or later (Stryker 10): `make test-mutation` runs it on the Node 24 of `make test-node24`.
// Reports go to reports/mutation/<folder>/ (not committed: each JSON report embeds every mutated source file).
// Survivors that no test can kill are listed with their reason in scripts/mutation-equivalents/<folder>.json.
import { readFileSync, readdirSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import os from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const FOLDERS = ['engine', 'values', 'router', 'aws', 'resources'];
const TARGET = 85;
const NOTES_MARKER = '<!-- notes: kept as written when the report is regenerated -->';
const reportDir = (folder) => join(root, 'reports/mutation', folder);

const args = process.argv.slice(2);
const incremental = args.includes('--incremental');
const reportOnly = args.includes('--report');
// Each argument is a folder (every file of it) or a file; files are mutated in their folder's run.
const named = args.filter((a) => !a.startsWith('--')).map((a) => a.replace(/^src\//, '').replace(/\/$/, ''));
const mutateOf = new Map();
for (const name of named) {
  const [folder, ...rest] = name.split('/');
  if (!FOLDERS.includes(folder)) fail(`unknown folder ${folder} (one of ${FOLDERS.join(', ')})`);
  if (rest.length > 0 && !existsSync(join(root, 'src', name))) fail(`no file src/${name}`);
  // null: the whole folder.
  const files = mutateOf.has(folder) ? mutateOf.get(folder) : [];
  mutateOf.set(folder, rest.length === 0 || files === null ? null : [...files, `src/${name}`]);
}
const folders = named.length > 0 ? [...mutateOf.keys()] : FOLDERS;

function fail(message) {
  console.error(`mutation: ${message}`);
  process.exit(2);
}

if (!reportOnly) {
  if (Number(process.versions.node.split('.')[0]) < 22) fail(`Stryker 10 needs Node.js 22 or later (this is ${process.version}); run \`make test-mutation\``);
  process.chdir(root);
  const { Stryker } = await import('@stryker-mutator/core');
  const { default: config } = await import(pathToFileURL(join(root, 'stryker.config.mjs')).href);
  for (const folder of folders) {
    const started = Date.now();
    console.log(`\n== mutation testing src/${folder} (${incremental ? 'incremental' : 'every mutant'}) ==`);
    const dir = reportDir(folder);
    mkdirSync(dir, { recursive: true });
    const mutate = mutateOf.get(folder) ?? [`src/${folder}/**/*.ts`];
    // A full run starts afresh: results of other files left in the incremental file would be reported as this run's.
    if (!incremental) rmSync(join(dir, 'incremental.json'), { force: true });
    writeFileSync(join(dir, 'mutated.json'), `${JSON.stringify(mutate)}\n`);
    await new Stryker({
      mutate,
      // A folder's mutants face its own unit tests: what its layer promises is tested at that layer (and each
      // mutant runs a few test files, not every file that happens to reach the code).
      tapInProcess: { testFiles: [`test/${folder}/**/*.test.ts`] },
      jsonReporter: { fileName: join(dir, 'mutation.json') },
      htmlReporter: { fileName: join(dir, 'index.html') },
      // The incremental file is written by every run, so that the next --incremental run starts from this one.
      incremental: true,
      force: !incremental,
      incrementalFile: join(dir, 'incremental.json'),
    }).runMutationTest();
    console.log(`src/${folder}: ${Math.round((Date.now() - started) / 1000)} s`);
  }
}

writeReport();

function writeReport() {
  // One file per folder (or part of one, e.g. aws-iam-policy.json), so that work on different folders never conflicts.
  const equivalentsDir = join(root, 'scripts/mutation-equivalents');
  const equivalents = readdirSync(equivalentsDir).filter((f) => f.endsWith('.json')).sort().flatMap((f) => JSON.parse(readFileSync(join(equivalentsDir, f), 'utf8')));
  const used = new Set();
  const rows = [];
  const unexplained = [];
  const explained = [];
  const totals = { detected: 0, survived: 0, equivalent: 0, errors: 0, ignored: 0 };
  for (const folder of FOLDERS) {
    const file = join(reportDir(folder), 'mutation.json');
    if (!existsSync(file)) {
      rows.push(`| src/${folder} | not run | | | | | | | |`);
      continue;
    }
    const report = JSON.parse(readFileSync(file, 'utf8'));
    const counts = { detected: 0, survived: 0, equivalent: 0, errors: 0, ignored: 0 };
    // The files this folder's last run mutated (a run of some files reports only those).
    const mutatedFile = join(reportDir(folder), 'mutated.json');
    const patterns = existsSync(mutatedFile) ? JSON.parse(readFileSync(mutatedFile, 'utf8')) : [`src/${folder}/**/*.ts`];
    const inRun = (path) => patterns.some((p) => (p.endsWith('**/*.ts') ? path.startsWith(p.slice(0, -'**/*.ts'.length)) : path === p));
    const files = Object.entries(report.files).filter(([path]) => inRun(path));
    for (const [path, { source, mutants }] of files) {
      const lines = source.split('\n');
      for (const m of mutants) {
        if (m.status === 'Killed' || m.status === 'Timeout') counts.detected++;
        else if (m.status === 'CompileError' || m.status === 'RuntimeError') counts.errors++;
        else if (m.status === 'Ignored') counts.ignored++;
        else if (m.status === 'Survived' || m.status === 'NoCoverage') {
          const line = lines[m.location.start.line - 1].trim();
          const entry = { path, line: m.location.start.line, column: m.location.start.column, mutator: m.mutatorName, replacement: m.replacement, status: m.status, source: line };
          const index = equivalents.findIndex((e) => e.file === path && e.mutator === m.mutatorName && e.replacement === m.replacement && line.includes(e.line));
          if (index >= 0) {
            used.add(index);
            counts.equivalent++;
            explained.push({ ...entry, reason: equivalents[index].reason });
          } else {
            counts.survived++;
            unexplained.push(entry);
          }
        }
      }
    }
    for (const key of Object.keys(totals)) totals[key] += counts[key];
    const mutated = files.map(([path]) => path);
    // A run of the whole folder is named as such (files without mutants, such as index.ts, are not in the report).
    const whole = patterns.includes(`src/${folder}/**/*.ts`);
    const all = readdirSync(join(root, 'src', folder), { recursive: true }).filter((f) => f.endsWith('.ts'));
    rows.push(row(whole ? `src/${folder}` : `src/${folder} (${mutated.map((f) => f.replace(`src/${folder}/`, '')).join(', ')}: ${mutated.length} of its ${all.length} files)`, counts));
  }
  rows.push(row('**all five**', totals));
  const stale = equivalents.filter((_, i) => !used.has(i));

  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const out = [
    '# Mutation testing',
    '',
    `StrykerJS ${strykerVersion()} (\`make test-mutation\`, scripts/mutation.mjs) on \`src/engine\`, \`src/values\`, \`src/router\`,`,
    '`src/aws` and `src/resources`, each folder against its own unit tests (`src/values` against `test/values`, and so',
    'on: no terraform, no embedded endpoint). A mutant is *detected* when a test fails (or times out) with it in',
    'place. The score is detected / (detected + survived + not covered); a survivor listed in',
    '`scripts/mutation-equivalents/<folder>.json` (a change no test can observe, with the reason) is counted apart, and the',
    `score without them is the second figure. Target: ${TARGET}% of the second figure on each folder.`,
    '',
    `Written ${when} UTC on ${os.cpus().length} vCPU (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node.js ${process.version}. The HTML report of each folder is`,
    'written to `reports/mutation/<folder>/index.html` (not committed).',
    '',
    '| folder | mutants | detected | survived | equivalent | errors | score | score, equivalents apart | target |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows,
    '',
    `## Survivors not explained (${unexplained.length})`,
    '',
    ...(unexplained.length === 0 ? ['None.'] : unexplained.map((s) => `- \`${s.path}:${s.line}:${s.column}\` ${s.mutator} (${s.status}): \`${clip(s.source)}\` → \`${clip(s.replacement)}\``)),
    '',
    `## Equivalent mutants (${explained.length})`,
    '',
    ...(explained.length === 0 ? ['None.'] : explained.map((s) => `- \`${s.path}:${s.line}\` ${s.mutator}: \`${clip(s.source)}\` → \`${clip(s.replacement)}\`. ${s.reason}`)),
    '',
  ];
  if (stale.length > 0) out.push(`## Entries of scripts/mutation-equivalents/ that matched nothing (${stale.length})`, '', ...stale.map((e) => `- ${e.file}: ${e.mutator} \`${e.line}\` → \`${e.replacement}\``), '');
  // What the run's author wrote after the notes marker (how the run was scoped, why a target is missed) is kept.
  const file = join(root, 'bench/results/mutation.md');
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const notes = previous.includes(NOTES_MARKER) ? previous.slice(previous.indexOf(NOTES_MARKER)) : `${NOTES_MARKER}\n`;
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(file, `${out.join('\n')}\n${notes}`);
  console.log(`\nbench/results/mutation.md: ${rows.at(-1)}`);
}

function row(name, c) {
  const total = c.detected + c.survived + c.equivalent;
  const pct = (n, d) => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`);
  const score = c.detected + c.survived === 0 ? undefined : (100 * c.detected) / (c.detected + c.survived);
  const target = score === undefined ? '' : score >= TARGET ? 'met' : 'missed';
  return `| ${name} | ${total + c.errors + c.ignored} | ${c.detected} | ${c.survived} | ${c.equivalent} | ${c.errors} | ${pct(c.detected, total)} | ${pct(c.detected, c.detected + c.survived)} | ${target} |`;
}

function clip(text) {
  const flat = text.replace(/\s+/g, ' ').replace(/`/g, "'");
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

function strykerVersion() {
  return JSON.parse(readFileSync(join(root, 'node_modules/@stryker-mutator/core/package.json'), 'utf8')).version;
}
