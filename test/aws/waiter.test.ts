// The StateChangeConf-like waiter (src/aws/waiter.ts): what ends a wait, and the errors as hashicorp/aws words them.
import t from 'tap';
import { WaitError, goDuration, waitForState, type Observed } from '../../src/aws/waiter';
import { fakeTime } from '../support/aws-fake-time';

/** A refresh that answers the given observations in turn (the last one repeats), counting its calls. */
function sequence(...answers: (Observed<string> | null)[]) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    refresh: async () => answers[Math.min(calls++, answers.length - 1)],
  };
}
const seen = (state: string, value = state): Observed<string> => ({ state, value });
const fast = { minIntervalMs: 1, maxIntervalMs: 4 };

t.test('pending states are waited through until a target state, whose object is returned', async (t) => {
  const remote = sequence(seen('Creating'), seen('Creating'), seen('InService', 'the endpoint'));
  const result = await waitForState({ ...fast, refresh: remote.refresh, pending: ['Creating'], target: ['InService'], timeoutMs: 5000 });
  t.equal(result, 'the endpoint');
  t.equal(remote.calls, 3);
});

t.test('an unexpected state fails at once, with the reason as the last error', async (t) => {
  const remote = sequence(seen('Creating'), seen('Failed', 'Image not found'));
  const error = await waitForState({
    ...fast,
    refresh: remote.refresh,
    pending: ['Creating', 'Updating'],
    target: ['InService'],
    timeoutMs: 5000,
    reason: (value) => value,
  }).catch((e: unknown) => e);
  t.ok(error instanceof WaitError);
  t.equal((error as Error).message, "unexpected state 'Failed', wanted target 'InService'. last error: Image not found");
  t.same((error as WaitError<string>).last, seen('Failed', 'Image not found'), 'the failed object is kept for the state');
  const noReason = await waitForState({ ...fast, refresh: sequence(seen('OutOfService')).refresh, pending: [], target: ['InService'], timeoutMs: 5000 }).catch(
    (e: Error) => e.message,
  );
  t.equal(noReason, "unexpected state 'OutOfService', wanted target 'InService'");
});

t.test('with no target, absence ends the wait; with a target, a long absence is an error', async (t) => {
  const deleting = sequence(seen('Deleting'), seen('Deleting'), null);
  t.equal(await waitForState({ ...fast, refresh: deleting.refresh, pending: ['Deleting'], target: [], timeoutMs: 5000 }), null);
  t.equal(deleting.calls, 3);
  const appearing = sequence(null, null, seen('InService', 'late'));
  t.equal(await waitForState({ ...fast, refresh: appearing.refresh, pending: [], target: ['InService'], timeoutMs: 5000 }), 'late', 'a short absence is tolerated');
  const never = sequence(null);
  const error = await waitForState({ ...fast, refresh: never.refresh, pending: [], target: ['InService'], timeoutMs: 5000, notFoundChecks: 3 }).catch((e: Error) => e.message);
  t.equal(error, "couldn't find resource (4 retries)");
});

t.test('a timeout names the expected state, the last state, the timeout and the reason', async (t) => {
  const stuck = sequence(seen('Creating', 'still provisioning'));
  const error = await waitForState({ ...fast, refresh: stuck.refresh, pending: ['Creating'], target: ['InService'], timeoutMs: 30, reason: (v) => v }).catch(
    (e: Error) => e.message,
  );
  t.equal(error, "timeout while waiting for state to become 'InService' (last state: 'Creating', timeout: 30ms): still provisioning");
  const gone = await waitForState({ ...fast, refresh: sequence(seen('Deleting')).refresh, pending: ['Deleting'], target: [], timeoutMs: 20 }).catch((e: Error) => e.message);
  t.equal(gone, "timeout while waiting for resource to be gone (last state: 'Deleting', timeout: 20ms)");
});

t.test('a stop request (Ctrl-C) ends the wait as a canceled context, with the last state seen', async (t) => {
  fakeTime(t);
  const controller = new AbortController();
  let calls = 0;
  const refresh = async () => {
    calls += 1;
    controller.abort();
    return seen('Creating');
  };
  const error = await waitForState({ refresh, pending: ['Creating'], target: ['InService'], timeoutMs: 600_000, signal: controller.signal }).catch((e: unknown) => e);
  t.type(error, WaitError);
  t.equal((error as WaitError<string>).message, 'context canceled');
  t.same((error as WaitError<string>).last, seen('Creating'));
  t.equal(calls, 1);
  const before = new AbortController();
  before.abort();
  const never = sequence(seen('Creating'));
  t.equal(await waitForState({ refresh: never.refresh, pending: ['Creating'], target: ['InService'], timeoutMs: 1000, signal: before.signal }).catch((e: Error) => e.message), 'context canceled');
  t.equal(never.calls, 0, 'a wait stopped before it starts asks nothing');
});

t.test('polling starts at once, then waits 200 ms, doubling up to 10 s', async (t) => {
  const time = fakeTime(t);
  const states = sequence(...Array.from({ length: 8 }, () => seen('Creating')), seen('InService', 'ready'));
  t.equal(await waitForState({ refresh: states.refresh, pending: ['Creating'], target: ['InService'], timeoutMs: 3_600_000 }), 'ready');
  t.same(time.waits, [200, 400, 800, 1600, 3200, 6400, 10_000, 10_000]);
});

t.test('the intervals can be chosen, and the last one is cut short by the deadline', async (t) => {
  const time = fakeTime(t);
  const states = sequence(seen('Creating'), seen('Creating'), seen('Creating'), seen('Creating'), seen('InService'));
  await waitForState({ refresh: states.refresh, pending: ['Creating'], target: ['InService'], timeoutMs: 3_600_000, minIntervalMs: 50, maxIntervalMs: 300 });
  t.same(time.waits, [100, 200, 300, 300]);
  const late = fakeTime(t);
  const stuck = sequence(seen('Creating'));
  const error = await waitForState({ refresh: stuck.refresh, pending: ['Creating'], target: ['InService'], timeoutMs: 1000 }).catch((e: Error) => e.message);
  t.same(late.waits, [200, 400, 400], 'the third wait ends at the deadline');
  t.equal(stuck.calls, 3, 'no refresh once the deadline has come');
  t.equal(error, "timeout while waiting for state to become 'InService' (last state: 'Creating', timeout: 1s)");
});

t.test('a timeout before any state was seen names no last state; an empty reason adds nothing', async (t) => {
  fakeTime(t);
  const absent = sequence(null);
  const error = await waitForState({ refresh: absent.refresh, pending: [], target: ['A', 'B'], timeoutMs: 1000, reason: () => '' }).catch((e: Error) => e.message);
  t.equal(error, "timeout while waiting for state to become 'A, B' (timeout: 1s)");
  const unexpected = await waitForState({ refresh: sequence(seen('Failed')).refresh, pending: [], target: ['A', 'B'], timeoutMs: 1000, reason: () => '' }).catch((e: Error) => e.message);
  t.equal(unexpected, "unexpected state 'Failed', wanted target 'A, B'");
});

t.test('absences: counted only while in a row, and the count is in the error', async (t) => {
  fakeTime(t);
  const flapping = sequence(null, null, seen('Creating'), null, null, seen('InService', 'up'));
  t.equal(await waitForState({ refresh: flapping.refresh, pending: ['Creating'], target: ['InService'], timeoutMs: 3_600_000, notFoundChecks: 2 }), 'up');
  const gone = sequence(seen('Creating'), null);
  const error = await waitForState({ refresh: gone.refresh, pending: ['Creating'], target: ['InService'], timeoutMs: 3_600_000, notFoundChecks: 2 }).catch((e: unknown) => e);
  t.equal((error as Error).message, "couldn't find resource (3 retries)");
  t.same((error as WaitError<string>).last, seen('Creating'));
  const defaultChecks = sequence(null);
  await waitForState({ refresh: defaultChecks.refresh, pending: [], target: ['InService'], timeoutMs: 3_600_000 }).catch(() => undefined);
  t.equal(defaultChecks.calls, 21, '20 absences tolerated by default');
});

t.test("Go's duration text", async (t) => {
  t.equal(goDuration(60 * 60_000), '1h0m0s');
  t.equal(goDuration(10 * 60_000), '10m0s');
  t.equal(goDuration(90_000), '1m30s');
  t.equal(goDuration(1500), '1.5s');
  t.equal(goDuration(250), '250ms');
  t.equal(goDuration(0), '0s');
  t.equal(goDuration(999), '999ms');
  t.equal(goDuration(1000), '1s');
  t.equal(goDuration(61_000), '1m1s');
  t.equal(goDuration(3_600_000 + 1500), '1h0m1.5s');
  t.equal(goDuration(2 * 3_600_000 + 5 * 60_000), '2h5m0s');
});
