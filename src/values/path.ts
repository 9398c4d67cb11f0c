// Attribute paths into values, written the way Terraform prints them in diagnostics.
import { DynamicValue, isObject, Unknown, type Value } from './value';

export type PathStep = { attr: string } | { key: string } | { index: number };
export type Path = PathStep[];

/** `primary_container[0].image`, `tags["k"]`; the empty path is "". */
export function formatPath(path: readonly PathStep[]): string {
  let out = '';
  for (const step of path) {
    if ('attr' in step) out += out === '' ? step.attr : `.${step.attr}`;
    else if ('key' in step) out += `[${JSON.stringify(step.key)}]`;
    else out += `[${step.index}]`;
  }
  return out;
}

/**
 * The value at `path`, looking through dynamic values on the way (a dynamic value at the end is
 * returned as is). Returns the Unknown itself when the walk
 * reaches an unknown before the path ends (the part asked for is not known yet), and undefined
 * when the path does not exist in the value (null on the way, missing key, index out of range).
 */
export function getAtPath(value: Value, path: readonly PathStep[]): Value | undefined {
  let current: Value = value;
  for (const step of path) {
    if (current instanceof DynamicValue) current = current.value;
    if (current instanceof Unknown) return current;
    if ('index' in step) {
      if (!Array.isArray(current) || step.index < 0 || step.index >= current.length) return undefined;
      current = current[step.index];
    } else {
      const name = 'attr' in step ? step.attr : step.key;
      if (!isObject(current) || !Object.prototype.hasOwnProperty.call(current, name)) return undefined;
      current = current[name];
    }
  }
  return current;
}

/** An error about one place in a value; the message starts with the path, as cty's errors do. */
export class ValuePathError extends Error {
  constructor(
    readonly path: Path,
    readonly detail: string,
  ) {
    super(path.length === 0 ? detail : `${formatPath(path)}: ${detail}`);
    this.name = 'ValuePathError';
  }

  /** The same error one level further out. The codecs build paths this way, only when failing. */
  within(step: PathStep): ValuePathError {
    return new ValuePathError([step, ...this.path], this.detail);
  }
}
