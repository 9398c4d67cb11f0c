// A StrykerJS test runner ("tap-in-process") that runs the tap test files inside Stryker's test-runner process
// instead of a node process per test file per mutant. Stryker compiles every mutant into the sources at once and
// picks the active one through `globalThis.__stryker__` at run time, so the sources are loaded once and each mutant
// only re-runs the test files that cover it: a few milliseconds per file instead of the ~0.5 s that starting node,
// tsx and tap costs (`make test-mutation` would take hours otherwise).
//
// How a file runs: the test files are CommonJS (tsx compiles them so), so a file is required afresh; its
// `import t from 'tap'` resolves to scripts/mutation-tap.mjs, whose `t` is a fresh tap Test for that run.
// Each mutant starts from freshly loaded sources and tests (every module of the project is taken out of require's
// cache; the packages under node_modules stay loaded, which is most of the load time): a mutant's leftovers, such as
// a cache filled while it was active, would otherwise decide later mutants' results (measured: 5 of the 60 mutants
// of src/engine/schema.ts were reported killed only because of an earlier mutant's cached type).
// A mutant in code that runs when a module loads ("static") is made active before the sources load. A test run
// that hangs is ended by Stryker's timeout, which replaces the process.
import { createRequire, registerHooks } from 'node:module';
import { glob } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PluginKind, commonTokens, declareClassPlugin, tokens } from '@stryker-mutator/api/plugin';
import { DryRunStatus, TestStatus, determineHitLimitReached, toMutantRunResult } from '@stryker-mutator/api/test-runner';

const TAP_SHIM = pathToFileURL(resolve(import.meta.dirname, 'mutation-tap.mjs')).href;

class InProcessTapRunner {
  static inject = tokens(commonTokens.options, commonTokens.logger);

  constructor(options, log) {
    this.options = options;
    this.log = log;
    this.require = createRequire(pathToFileURL(resolve('package.json')).href);
    this.loaded = false;
    this.current = undefined;
  }

  capabilities() {
    return { reloadEnvironment: true };
  }

  async init() {
    this.testFiles = [];
    for (const pattern of this.options.tapInProcess.testFiles) {
      for await (const file of glob(pattern)) this.testFiles.push(file);
    }
    this.testFiles.sort();
    registerHooks({
      resolve: (specifier, context, next) => (specifier === 'tap' ? { url: TAP_SHIM, format: 'module', shortCircuit: true } : next(specifier, context)),
    });
    // @tapjs/core first: entering through @tapjs/test trips over the two packages' import cycle.
    await import('@tapjs/core');
    ({ Test: this.Test } = await import('@tapjs/test'));
    // An error thrown outside any test's promise chain fails the file that is running, as tap does for a process.
    const fail = (error) => (this.current ? this.current.threw(error) : this.log.warn(`outside a test: ${error?.stack ?? error}`));
    process.on('uncaughtException', fail);
    process.on('unhandledRejection', fail);
  }

  get stryker() {
    globalThis.__stryker__ ??= {};
    return globalThis.__stryker__;
  }

  // Forgets every module of the project (sources, tests, JSON read through require), not the packages.
  unload() {
    const root = `${process.cwd()}/`;
    for (const path of Object.keys(this.require.cache)) {
      if (path.startsWith(root) && !path.includes('/node_modules/')) delete this.require.cache[path];
    }
    this.loaded = false;
  }

  // Loads every mutated source outside any test, so that code run at load is recorded as static coverage.
  async load() {
    if (this.loaded) return;
    for (const pattern of this.options.mutate) {
      if (pattern.startsWith('!')) continue;
      for await (const file of glob(pattern.replace(/:\d+(:\d+)?(-\d+(:\d+)?)?$/, ''))) this.require(resolve(file));
    }
    this.loaded = true;
  }

  async dryRun(options) {
    this.stryker.activeMutant = undefined;
    this.unload();
    await this.load();
    const files = options.testFiles?.length ? options.testFiles : this.testFiles;
    const tests = [];
    for (const file of files) {
      this.stryker.currentTestId = file;
      tests.push(await this.runFile(file));
    }
    this.stryker.currentTestId = undefined;
    return { status: DryRunStatus.Complete, tests, mutantCoverage: this.stryker.mutantCoverage };
  }

  async mutantRun(options) {
    const id = options.activeMutant.id;
    this.stryker.activeMutant = options.mutantActivation === 'static' ? id : undefined;
    this.unload();
    await this.load();
    this.stryker.activeMutant = id;
    this.stryker.hitLimit = options.hitLimit;
    this.stryker.hitCount = options.hitLimit === undefined ? undefined : 0;
    const tests = [];
    try {
      for (const file of options.testFilter ?? this.testFiles) {
        const result = await this.runFile(file);
        tests.push(result);
        if (result.status === TestStatus.Failed && !options.disableBail) break;
      }
    } finally {
      this.stryker.activeMutant = undefined;
    }
    const hitLimit = determineHitLimitReached(this.stryker.hitCount, this.stryker.hitLimit);
    return toMutantRunResult(hitLimit ?? { status: DryRunStatus.Complete, tests });
  }

  async runFile(file) {
    const t = new this.Test({ name: file });
    globalThis.__mutationTap = t;
    this.current = t;
    t.resume(); // the TAP text is not read: the counts and failures are taken from the Test itself
    const ended = new Promise((done) => t.once('end', done));
    const started = performance.now();
    const path = resolve(file);
    delete this.require.cache[path]; // afresh, even when another test file has required it
    try {
      this.require(path);
    } catch (error) {
      t.threw(error);
    }
    t.end();
    await ended;
    this.current = undefined;
    const result = { id: file, name: file, fileName: file, timeSpentMs: Math.round(performance.now() - started) };
    if (t.passing()) return { ...result, status: TestStatus.Success };
    const failures = t.lists.fail.map((point) => point.name).join(', ');
    return { ...result, status: TestStatus.Failed, failureMessage: failures || 'failed' };
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.TestRunner, 'tap-in-process', InProcessTapRunner)];

export const strykerValidationSchema = {
  $schema: 'http://json-schema.org/draft-07/schema',
  type: 'object',
  properties: {
    tapInProcess: {
      type: 'object',
      description: 'Options of the in-process tap runner (scripts/mutation-runner.mjs).',
      properties: { testFiles: { type: 'array', items: { type: 'string' }, description: 'Globs of the test files, from the project root.' } },
      default: {},
    },
  },
};
