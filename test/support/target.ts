// The per-file set-up most acceptance tests share: a target endpoint started before the first test, an SDK
// client for checks, an execution role; both stopped after the last test.
import type { Test } from 'tap';
import { AwsApi } from './aws';
import { startTarget, type Target } from './terraform';

export interface TargetSetup {
  readonly target: Target;
  readonly aws: AwsApi;
  /** An execution role SageMaker can use (created once, reused after). */
  readonly role: string;
}

/**
 * Starts the target (with `endpointArgs` for the embedded endpoint) before the first test of `t` and stops it
 * after the last. The returned object's getters are usable from the first test on.
 */
export function useTarget(t: Test, endpointArgs: string[] = []): TargetSetup {
  let target: Target | undefined;
  let aws: AwsApi | undefined;
  let role: string | undefined;
  t.before(async () => {
    target = await startTarget(endpointArgs);
    aws = new AwsApi(target);
    role = await aws.executionRole();
  });
  t.teardown(async () => {
    aws?.destroy();
    await target?.stop();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not set up yet: use it from a test, not at load time`);
    return value;
  };
  return {
    get target() {
      return ready(target, 'target');
    },
    get aws() {
      return ready(aws, 'aws');
    },
    get role() {
      return ready(role, 'role');
    },
  };
}
