// A clock for the resources' unit tests, whose retries and waits (src/aws/retry.ts, src/aws/waiter.ts) sleep with
// setTimeout and measure time with Date.now(). While work runs on it, every timer fires on the next turn of the event
// loop and moves the clock forward by its delay: a two-minute retry takes no real time, and the time it would have
// taken is measured. Only timers created meanwhile are affected: the test runner's own were made before.

/** Clock time after which a wait is taken to have no time limit at all: its next timer fails instead of firing. */
const NO_LIMIT_MS = 2 * 60 * 60_000;

let running = 0;
let elapsedMs = 0;
const realSetTimeout = globalThis.setTimeout;
const realNow = Date.now;

function fastSetTimeout(callback: (...args: unknown[]) => void, ms = 0, ...args: unknown[]) {
  if (elapsedMs + ms > NO_LIMIT_MS) throw new Error(`still waiting after ${NO_LIMIT_MS / 3_600_000} hours of clock time`);
  elapsedMs += Math.max(0, ms);
  return realSetTimeout(callback, 0, ...args);
}

/** Runs `work` on the fast clock (calls may nest or overlap): its value and the clock time it took. */
export async function onFastClock<T>(work: () => Promise<T>): Promise<{ value: T; elapsedMs: number }> {
  if (running++ === 0) {
    elapsedMs = 0;
    Date.now = () => realNow() + elapsedMs;
    globalThis.setTimeout = fastSetTimeout as typeof setTimeout;
  }
  const start = elapsedMs;
  try {
    const value = await work();
    return { value, elapsedMs: elapsedMs - start };
  } finally {
    if (--running === 0) {
      globalThis.setTimeout = realSetTimeout;
      Date.now = realNow;
    }
  }
}
