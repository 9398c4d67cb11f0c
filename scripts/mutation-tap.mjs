// The `tap` a test file imports when scripts/mutation-runner.mjs runs it inside the runner's own process: every
// property is the current run's Test object's (a fresh one per file and run), so one cached module serves them all.
export default new Proxy(
  {},
  {
    get(_, property) {
      const current = globalThis.__mutationTap;
      const value = current[property];
      return typeof value === 'function' ? value.bind(current) : value;
    },
  },
);
