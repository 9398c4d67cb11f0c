// StrykerJS: mutates the provider's layers and runs the fast unit tests (no terraform, no endpoint) against each
// mutant. `make test-mutation` runs it folder by folder through scripts/mutation.mjs; to iterate on one file's
// survivors: `PATH=$PWD/.cache/node-v24.22.3/bin:$PATH npx stryker run --mutate src/values/msgpack.ts`.
// The test files run inside Stryker's test-runner processes (scripts/mutation-runner.mjs), which load TypeScript
// through tsx; a node process per test file per mutant (@stryker-mutator/tap-runner) made a full run take hours.
export default {
  testRunner: 'tap-in-process',
  plugins: ['./scripts/mutation-runner.mjs'],
  tapInProcess: {
    testFiles: ['test/{values,engine,aws,router,resources}/**/*.test.ts'],
  },
  testRunnerNodeArgs: ['--import', 'tsx'],
  mutate: ['src/{engine,values,router,aws,resources}/**/*.ts'],
  coverageAnalysis: 'perTest',
  // The machine is shared: one test process at a time unless STRYKER_CONCURRENCY says otherwise.
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 1),
  timeoutMS: 5000,
  // The sources stay loaded between mutants; STRYKER_MAX_REUSE=1 gives every mutant a fresh process instead, to check
  // that no mutant's leftovers (a cache filled while it was active) change another's result.
  maxTestRunnerReuse: Number(process.env.STRYKER_MAX_REUSE ?? 0),
  reporters: ['clear-text', 'progress-append-only', 'json', 'html'],
  clearTextReporter: { reportTests: false, reportMutants: false },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  incrementalFile: 'reports/mutation/incremental.json',
  // The sandbox gets what the unit tests read: sources, schemas, fixtures; not the build, docs or the Node cache.
  ignorePatterns: ['.cache', 'bin', 'docs', 'examples', 'bench', 'templates', '.tap', 'reports', 'test/acceptance', 'test/differential'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
