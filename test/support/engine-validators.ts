// Helpers of the engine's validator tests (test/engine/validators*.test.ts).
import { getValidator } from '../../src/engine/validators';
import { CtyNumber, type Value } from '../../src/values/value';

/** The summaries the validator of `kind` reports for `value` of the attribute `name`. */
export function check(kind: string, value: Value, name: string, args: Record<string, unknown> = {}): string[] {
  const validator = getValidator(kind);
  if (!validator) throw new Error(`kind ${kind} is not registered`);
  return validator(value, name, { kind, ...args });
}

/** A number value from its decimal text. */
export const num = (n: string) => new CtyNumber(n);
