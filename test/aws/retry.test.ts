// Retrying an AWS call for eventual consistency (src/aws/retry.ts): which errors are retried, how the waits grow, the
// deadline and cancellation. The clock and the timers are replaced, so the test neither waits nor depends on timing.
import t from 'tap';
import { retryWhile, sleep } from '../../src/aws/retry';
import { fakeTime } from '../support/aws-fake-time';

/** A call that fails with each of `errors` in turn, then returns 'done'. */
function failing(errors: unknown[]) {
  const calls = { count: 0 };
  const call = async () => {
    calls.count += 1;
    if (calls.count <= errors.length) throw errors[calls.count - 1];
    return 'done';
  };
  return { call, calls };
}

const retryable = (error: unknown) => (error as Error).message === 'not yet';

t.test('a call that succeeds at once is not retried', async (t) => {
  const time = fakeTime(t);
  const { call, calls } = failing([]);
  t.equal(await retryWhile(call, retryable, { timeoutMs: 60_000 }), 'done');
  t.equal(calls.count, 1);
  t.same(time.waits, []);
});

t.test('retryable errors are retried with waits from 500 ms growing by half up to 10 s', async (t) => {
  const time = fakeTime(t);
  const { call, calls } = failing(Array.from({ length: 9 }, () => new Error('not yet')));
  t.equal(await retryWhile(call, retryable, { timeoutMs: 600_000 }), 'done');
  t.equal(calls.count, 10);
  t.same(time.waits, [500, 750, 1125, 1687.5, 2531.25, 3796.875, 5695.3125, 8542.96875, 10_000]);
});

t.test('the first wait and the longest one can be chosen', async (t) => {
  const time = fakeTime(t);
  const { call } = failing(Array.from({ length: 4 }, () => new Error('not yet')));
  await retryWhile(call, retryable, { timeoutMs: 600_000, minDelayMs: 100, maxDelayMs: 200 });
  t.same(time.waits, [100, 150, 200, 200]);
});

t.test('an error that is not retryable is thrown at once', async (t) => {
  const time = fakeTime(t);
  const fatal = new Error('AccessDenied');
  const { call, calls } = failing([new Error('not yet'), fatal]);
  await t.rejects(retryWhile(call, retryable, { timeoutMs: 600_000 }), fatal);
  t.equal(calls.count, 2);
  t.same(time.waits, [500]);
});

t.test('no wait starts that would end after the deadline: the last error is thrown instead', async (t) => {
  const time = fakeTime(t);
  const last = new Error('not yet');
  const { call, calls } = failing([new Error('not yet'), new Error('not yet'), last, new Error('not yet')]);
  // 500 + 750 = 1250 ms fit in 2250 ms; the third wait (1125 ms) would end at 2375 ms.
  await t.rejects(retryWhile(call, retryable, { timeoutMs: 2250 }), last);
  t.equal(calls.count, 3);
  t.same(time.waits, [500, 750]);
});

t.test('a wait that ends exactly at the deadline is still taken', async (t) => {
  const time = fakeTime(t);
  const { call } = failing([new Error('not yet')]);
  t.equal(await retryWhile(call, retryable, { timeoutMs: 500 }), 'done');
  t.same(time.waits, [500]);
});

t.test('a cancelled operation stops retrying and throws the last error', async (t) => {
  fakeTime(t);
  const controller = new AbortController();
  const error = new Error('not yet');
  let calls = 0;
  const call = async () => {
    calls += 1;
    controller.abort();
    throw error;
  };
  await t.rejects(retryWhile(call, retryable, { timeoutMs: 600_000, signal: controller.signal }), error);
  t.equal(calls, 1);
});

t.test('sleep: ends when its timer fires, and clears the timer and its abort listener when cancelled', async (t) => {
  const time = fakeTime(t);
  await sleep(250);
  t.same(time.waits, [250]);
  t.equal(time.cleared.length, 1, 'the fired timer is cleared too (harmless)');

  time.holdTimers();
  const listeners: Array<[string, string, unknown]> = [];
  const controller = new AbortController();
  const signal = controller.signal;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((type: string, fn: () => void, options?: unknown) => {
    listeners.push(['add', type, options]);
    add(type, fn, options as { once: boolean });
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((type: string, fn: () => void) => {
    listeners.push(['remove', type, undefined]);
    remove(type, fn);
  }) as typeof signal.removeEventListener;
  const slept = sleep(3_600_000, signal);
  controller.abort();
  await slept;
  t.same(time.waits.slice(1), [3_600_000]);
  t.same(time.cleared.at(-1), { ms: 3_600_000 }, 'the pending timer is cleared');
  t.same(listeners, [
    ['add', 'abort', { once: true }],
    ['remove', 'abort', undefined],
  ]);
});
