// Input checks with the wording of AWS's generated validators, and type checks of JSON request bodies.
import { AwsError, constraintViolations } from './errors';

function render(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Collects constraint violations the way AWS does (all of them, in one message). */
export class Violations {
  private readonly list: string[] = [];

  private add(value: unknown, path: string, constraint: string): void {
    const shown = value === undefined || value === null ? 'null' : `'${render(value)}'`;
    this.list.push(`Value ${shown} at '${path}' failed to satisfy constraint: Member must ${constraint}`);
  }

  required(value: unknown, path: string): boolean {
    if (value === undefined || value === null) {
      this.add(value, path, 'not be null');
      return false;
    }
    return true;
  }

  length(value: string | unknown[] | undefined, path: string, min: number, max: number): void {
    if (value === undefined) return;
    const size = typeof value === 'string' ? [...value].length : value.length;
    if (size < min) this.add(value, path, `have length greater than or equal to ${min}`);
    else if (size > max) this.add(value, path, `have length less than or equal to ${max}`);
  }

  pattern(value: string | undefined, path: string, pattern: RegExp, shown: string = pattern.source): void {
    if (value === undefined) return;
    if (!pattern.test(value)) this.add(value, path, `satisfy regular expression pattern: ${shown}`);
  }

  oneOf(value: string | undefined, path: string, allowed: readonly string[]): void {
    if (value === undefined) return;
    if (!allowed.includes(value)) this.add(value, path, `satisfy enum value set: [${allowed.join(', ')}]`);
  }

  range(value: number | undefined, path: string, min: number, max: number): void {
    if (value === undefined) return;
    if (value < min) this.add(value, path, `have value greater than or equal to ${min}`);
    else if (value > max) this.add(value, path, `have value less than or equal to ${max}`);
  }

  throwIfAny(code: string): void {
    if (this.list.length > 0) throw new AwsError(code, constraintViolations(this.list), 400);
  }
}

/** A JSON shape: what type each member of a request must have on the wire. */
export type Shape =
  | 'string'
  | 'boolean'
  | 'integer'
  | 'float'
  | 'timestamp'
  | { list: Shape }
  | { map: Shape }
  | { struct: Record<string, Shape> };

function serializationError(path: string, expected: string): AwsError {
  return new AwsError('SerializationException', `Expected ${expected} at '${path}'`, 400);
}

/** Rejects values of the wrong JSON type, as the AWS JSON protocol deserializer does. Unknown members are ignored, as AWS does. */
export function checkShape(value: unknown, shape: Shape, path: string): void {
  if (value === null || value === undefined) return;
  if (shape === 'string') {
    if (typeof value !== 'string') throw serializationError(path, 'a string');
  } else if (shape === 'boolean') {
    if (typeof value !== 'boolean') throw serializationError(path, 'a boolean');
  } else if (shape === 'integer') {
    if (typeof value !== 'number' || !Number.isInteger(value)) throw serializationError(path, 'an integer');
  } else if (shape === 'float') {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw serializationError(path, 'a number');
  } else if (shape === 'timestamp') {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw serializationError(path, 'a timestamp');
  } else if ('list' in shape) {
    if (!Array.isArray(value)) throw serializationError(path, 'a list');
    value.forEach((item, index) => {
      if (item === null) throw serializationError(`${path}.${index + 1}.member`, 'a value, not null,');
      checkShape(item, shape.list, `${path}.${index + 1}.member`);
    });
  } else if ('map' in shape) {
    if (!isPlainObject(value)) throw serializationError(path, 'a map');
    for (const [key, item] of Object.entries(value)) checkShape(item, shape.map, `${path}.${key}`);
  } else {
    if (!isPlainObject(value)) throw serializationError(path, 'a structure');
    for (const [member, memberShape] of Object.entries(shape.struct)) {
      if (Object.prototype.hasOwnProperty.call(value, member)) checkShape(value[member], memberShape, joinPath(path, member));
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** AWS names members in validation messages in lower camel case: `primaryContainer.image`. */
function joinPath(parent: string, member: string): string {
  const name = member.charAt(0).toLowerCase() + member.slice(1);
  return parent ? `${parent}.${name}` : name;
}

/** In AWS JSON a member set to null is the same as an absent one; removing them keeps every later check simple. */
export function dropNullMembers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNullMembers);
  if (!isPlainObject(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    // defineProperty, so a member named __proto__ stays a plain member.
    if (member !== null) Object.defineProperty(result, key, { value: dropNullMembers(member), enumerable: true, writable: true, configurable: true });
  }
  return result;
}
