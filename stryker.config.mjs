// StrykerJS: mutates the provider's layers and runs the fast unit tests (no terraform, no endpoint) against each
// mutant. `make test-mutation` runs it folder by folder through scripts/mutation.mjs; to iterate on one file's
// survivors: `PATH=$PWD/.cache/node-v24.22.3/bin:$PATH npx stryker run --mutate src/values/msgpack.ts`.
// Each test file runs as `node --import tsx <file>`: tsx starts in about a third of ts-node's time (tap's own
// loader), and the run starts thousands of them.
export default {
  testRunner: 'tap',
  plugins: ['@stryker-mutator/tap-runner'],
  tap: {
    testFiles: ['test/{values,engine,aws,router,resources}/**/*.test.ts'],
    nodeArgs: ['--import', 'tsx'],
    forceBail: true,
  },
  mutate: ['src/{engine,values,router,aws,resources}/**/*.ts'],
  coverageAnalysis: 'perTest',
  // The machine is shared: one test process at a time unless STRYKER_CONCURRENCY says otherwise.
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 1),
  timeoutMS: 10000,
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
