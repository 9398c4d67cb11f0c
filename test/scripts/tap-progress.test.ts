// `make test`'s reporter (scripts/tap-progress.mjs) adds progress and a closing summary to tap's TAP, and CI's
// reading of the run (.ci/run: "N passed, N failed, N skipped" from tap's closing counts) stays right. A scratch
// project holds four small test files (a pass, a failure, a skip, a todo) and a Makefile whose `test` runs them
// with the reporter; the repository's own .ci/run is run on it, unchanged.
import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/paths';

const FILES: Record<string, string> = {
  'test/passes.test.mjs': "import t from 'tap';\nt.test('passes', async (t) => { t.pass('one'); t.pass('two'); });\n",
  'test/fails.test.mjs': "import t from 'tap';\nt.test('fails', async (t) => { t.equal(1, 2, 'one is two'); });\n",
  'test/skips.test.mjs': "import t from 'tap';\nt.test('skipped', { skip: 'not here' }, async (t) => { t.pass('never'); });\nt.test('runs', async (t) => { t.pass('three'); });\n",
  'test/todo.test.mjs': "import t from 'tap';\nt.todo('later');\n",
};

function project(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'tap-progress-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'test'));
  mkdirSync(join(dir, '.ci'));
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  copyFileSync(join(repoRoot, '.ci/run'), join(dir, '.ci/run'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'scratch', private: true, tap: { include: ['test/**/*.test.mjs'], 'disable-coverage': true, 'allow-incomplete-coverage': true, jobs: 3 } }));
  writeFileSync(join(dir, 'Makefile'), `.PHONY: test\ntest:\n\tnpx tap --reporter=${join(repoRoot, 'scripts/tap-progress.mjs')}\n`);
  return dir;
}

/** This process's environment without what tap sets for the files it runs (a nested tap would take itself for one). */
function outsideTap(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^_?TAP/.test(name) && !name.startsWith('_TAPJS')));
}

t.test('.ci/run reads the counts through the reporter; the reporter adds progress and a summary', async (t) => {
  const dir = project(t);
  const run = spawnSync('bash', [join(dir, '.ci/run')], { cwd: dir, encoding: 'utf8', timeout: 120_000, env: outsideTap() });
  const lines = run.stdout.trimEnd().split('\n');
  t.not(run.status, 0, 'the failing file fails the run');
  t.equal(lines.at(-1), '3 passed, 1 failed, 2 skipped', "CI's line: the pass, the failure, the skip and the todo");
  t.match(run.stdout, /^ok \d+ - test\/passes\.test\.mjs/m, "tap's TAP passes through");
  t.match(run.stdout, /^# \{ total: 6, pass: 3, fail: 1, todo: 1, skip: 1 \}$/m, "tap's closing counts, as tap wrote them");
  const progress = lines.filter((line) => /^# \[\d+\/4 files, \d+s/.test(line));
  t.equal(progress.length, 4, 'a progress line as each of the four files ends');
  t.match(progress.at(-1), /^# \[4\/4 files, \d+s, 1 failed\] running: none$/, 'the last one: all done, one failed');
  t.match(run.stdout, /^# 4 test files in \d+s: 3 passed, 1 failed, 1 skipped, 1 todo$/m, 'the closing summary');
  t.match(run.stdout, /^# failed: test\/fails\.test\.mjs$/m, 'the failed file named');
  t.match(run.stdout, /^# slowest files: (test\/\w+\.test\.mjs \d+s(, |$)){4}/m, 'the files, slowest first');
  t.notMatch(lines.filter((l) => !l.startsWith('# { total')).join('\n'), /^# \{/m, 'no other line looks like the counts .ci/run reads');
});
