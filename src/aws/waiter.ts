// Waiting for a remote object to reach a state, as the SDK's StateChangeConf does for hashicorp/aws: poll with a
// growing interval (at once, then 200 ms doubling up to 10 s), succeed on a target state (or on absence when there is no
// target), keep going on a pending one, fail on anything else, and time out. The errors read as hashicorp/aws's:
//   unexpected state 'Failed', wanted target 'InService'. last error: <reason>
//   timeout while waiting for state to become 'InService' (last state: 'Creating', timeout: 1h0m0s)
import { sleep } from './retry';

export interface Observed<T> {
  state: string;
  value: T;
}

export interface WaitOptions<T> {
  /** The object's current state, or null when it does not exist (it may be about to, or have just gone). */
  refresh(): Promise<Observed<T> | null>;
  pending: string[];
  /** The states that end the wait; empty: wait until the object is gone. */
  target: string[];
  timeoutMs: number;
  /** Ends the wait early with "context canceled" (Terraform's Ctrl-C). */
  signal?: AbortSignal;
  /** Why the object is where it is (e.g. a FailureReason): the "last error" of an unexpected state or a timeout. */
  reason?(value: T): string | undefined;
  /** Absences tolerated while waiting for a target state (StateChangeConf's NotFoundChecks). */
  notFoundChecks?: number;
  /** The base of the intervals (100 ms: the first one is twice that) and the longest one (10 s), for tests. */
  minIntervalMs?: number;
  maxIntervalMs?: number;
}

/** A wait that ended without reaching its target; `last` is what was seen last (null: nothing, or gone). */
export class WaitError<T> extends Error {
  constructor(
    message: string,
    readonly last: Observed<T> | null,
  ) {
    super(message);
  }
}

/** Polls until a target state (the object), absence with no target (null), or a WaitError. */
export async function waitForState<T>(options: WaitOptions<T>): Promise<T | null> {
  const deadline = Date.now() + options.timeoutMs;
  const notFoundChecks = options.notFoundChecks ?? 20;
  let interval = 0;
  let notFound = 0;
  let last: Observed<T> | null = null;
  for (;;) {
    if (interval > 0) {
      const remaining = deadline - Date.now();
      await sleep(Math.max(0, Math.min(interval, remaining)), options.signal);
    }
    if (options.signal?.aborted) throw new WaitError('context canceled', last);
    if (Date.now() >= deadline) throw new WaitError(timeoutMessage(options, last), last);
    // StateChangeConf: the first refresh at once, then 2 × 100 ms, doubling, at most 10 s.
    interval = Math.min((interval || (options.minIntervalMs ?? 100)) * 2, options.maxIntervalMs ?? 10_000);

    const observed = await options.refresh();
    if (observed === null) {
      if (options.target.length === 0) return null;
      notFound += 1;
      if (notFound > notFoundChecks) throw new WaitError(`couldn't find resource (${notFound} retries)`, last);
      continue;
    }
    notFound = 0;
    last = observed;
    if (options.target.includes(observed.state)) return observed.value;
    if (!options.pending.includes(observed.state)) {
      const reason = options.reason?.(observed.value);
      throw new WaitError(
        `unexpected state '${observed.state}', wanted target '${options.target.join(', ')}'${reason ? `. last error: ${reason}` : ''}`,
        observed,
      );
    }
  }
}

function timeoutMessage<T>(options: WaitOptions<T>, last: Observed<T> | null): string {
  const expected = options.target.length > 0 ? `state to become '${options.target.join(', ')}'` : 'resource to be gone';
  const extra = [...(last ? [`last state: '${last.state}'`] : []), `timeout: ${goDuration(options.timeoutMs)}`];
  const reason = last && options.reason?.(last.value);
  return `timeout while waiting for ${expected} (${extra.join(', ')})${reason ? `: ${reason}` : ''}`;
}

/** Go's time.Duration String() for whole milliseconds: "1h0m0s", "10m0s", "1.5s", "250ms". */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  const secondsText = `${Number.isInteger(seconds) ? seconds : String(seconds)}s`;
  if (hours > 0) return `${hours}h${minutes}m${secondsText}`;
  if (minutes > 0) return `${minutes}m${secondsText}`;
  return secondsText;
}
