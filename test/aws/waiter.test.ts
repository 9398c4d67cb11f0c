// The StateChangeConf-like waiter (src/aws/waiter.ts): what ends a wait, and the errors as hashicorp/aws words them.
import t from 'tap';
import { WaitError, goDuration, waitForState, type Observed } from '../../src/aws/waiter';

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

t.test('a stop request (Ctrl-C) ends the wait as a canceled context', async (t) => {
  const controller = new AbortController();
  const stuck = sequence(seen('Creating'));
  setTimeout(() => controller.abort(), 30);
  const started = Date.now();
  const error = await waitForState({ refresh: stuck.refresh, pending: ['Creating'], target: ['InService'], timeoutMs: 600_000, signal: controller.signal }).catch(
    (e: Error) => e.message,
  );
  t.equal(error, 'context canceled');
  t.ok(Date.now() - started < 60_000, 'without waiting for the 10-minute timeout');
});

t.test('polling starts at once, then waits at least 200 ms, then at least 400 ms', async (t) => {
  const times: number[] = [];
  const start = Date.now();
  let n = 0;
  await waitForState({
    refresh: async () => {
      times.push(Date.now() - start);
      return ++n < 3 ? seen('Creating') : seen('InService');
    },
    pending: ['Creating'],
    target: ['InService'],
    timeoutMs: 10_000,
  });
  t.ok(times[0] < 100, 'the first refresh is immediate');
  t.ok(times[1] - times[0] >= 190, 'then 200 ms');
  t.ok(times[2] - times[1] >= 390, 'then 400 ms');
});

t.test("Go's duration text", async (t) => {
  t.equal(goDuration(60 * 60_000), '1h0m0s');
  t.equal(goDuration(10 * 60_000), '10m0s');
  t.equal(goDuration(90_000), '1m30s');
  t.equal(goDuration(1500), '1.5s');
  t.equal(goDuration(250), '250ms');
});
