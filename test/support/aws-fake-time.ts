// A fake clock and timers for the AWS layer's unit tests: setTimeout fires at once (or never, once held), records the
// wait it was asked for and moves Date.now() on by it, so that waits and deadlines are tested without waiting.
/** Timers that fire at once and record the waits asked for; a clock that moves only when told. */
export function fakeTime(t: { teardown(fn: () => void): void }) {
  const real = { setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout, now: Date.now };
  const waits: number[] = [];
  const cleared: unknown[] = [];
  let now = 1_000_000;
  let fire = true;
  globalThis.setTimeout = ((fn: () => void, ms: number) => {
    waits.push(ms);
    now += ms;
    const handle = { ms };
    if (fire) queueMicrotask(fn);
    return handle;
  }) as unknown as typeof setTimeout;
  globalThis.clearTimeout = ((handle: unknown) => void cleared.push(handle)) as typeof clearTimeout;
  Date.now = () => now;
  t.teardown(() => {
    globalThis.setTimeout = real.setTimeout;
    globalThis.clearTimeout = real.clearTimeout;
    Date.now = real.now;
  });
  return {
    waits,
    cleared,
    advance: (ms: number) => (now += ms),
    holdTimers: () => (fire = false),
  };
}

