// Retrying an AWS call while a condition holds, for eventual consistency (e.g. an IAM role that
// SageMaker cannot assume yet). The SDK's own retry strategy already covers throttling and 5xx.

export interface RetryOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** First wait; each next wait grows by half, up to maxDelayMs. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

export async function retryWhile<T>(call: () => Promise<T>, shouldRetry: (error: unknown) => boolean, options: RetryOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let delay = options.minDelayMs ?? 500;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (!shouldRetry(error) || Date.now() + delay > deadline || options.signal?.aborted) throw error;
    }
    await sleep(delay, options.signal);
    delay = Math.min(delay * 1.5, options.maxDelayMs ?? 10_000);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
