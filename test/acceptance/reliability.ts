// The set-up the fault-injection acceptance tests share (faults*.test.ts, security.test.ts): an embedded endpoint of
// their own with a call log large enough to count every fault of a large apply, and counts of the faults it served.
import type { Test } from 'tap';
import { AwsApi } from '../support/aws';
import { startEndpoint } from '../support/endpoint';
import type { Target } from '../support/terraform';

/** The embedded endpoint with a call log big enough to count every fault of a large apply. */
export async function startEmbeddedTarget(): Promise<Target> {
  const region = 'us-west-2';
  const endpoint = await startEndpoint(['--call-log-size', '200000']);
  return {
    url: endpoint.url,
    region,
    admin: endpoint.admin,
    sdkConfig: { endpoint: endpoint.url, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
    stop: endpoint.stop,
  };
}

export interface Suite {
  target: Target;
  aws: AwsApi;
  /** An execution role that exists (and has propagated) before the tests start. */
  role: string;
}

/**
 * The setup of a fault-injection test file: an embedded endpoint of its own, an SDK client for checks, an
 * execution role; faults cleared after each test. The returned object is filled in before the first test.
 */
export function faultSuite(t: Test): Suite {
  const suite = {} as Suite;
  t.before(async () => {
    suite.target = await startEmbeddedTarget();
    suite.aws = new AwsApi(suite.target);
    suite.role = await suite.aws.executionRole();
  });
  t.teardown(async () => {
    suite.aws?.destroy();
    await suite.target?.stop();
  });
  t.afterEach(async () => {
    await suite.target.admin!.clearFaults();
  });
  return suite;
}

/** Counts of call-log records by error code (e.g. ThrottlingException, InternalFailure, DroppedConnection). */
export async function errorCounts(target: Target): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const call of (await target.admin!.calls()).recent) if (call.errorCode) counts[call.errorCode] = (counts[call.errorCode] ?? 0) + 1;
  return counts;
}

