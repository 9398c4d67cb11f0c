// Small readers for configuration values, so AWS code reads like the schema it maps.
import { CtyNumber, isObject, isUnknown, type ObjectValue, type Value } from '../values/value';

export function str(v: Value | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** A string that is set and not empty (SDKv2 treats "" as unset). */
export function nonEmpty(v: Value | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function bool(v: Value | undefined): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

export function num(v: Value | undefined): number | undefined {
  return v instanceof CtyNumber ? v.toNumber() : undefined;
}

/** A number the API gets only when above zero (SDKv2 cannot tell an unset integer from 0). */
export function positive(v: Value | undefined): number | undefined {
  const n = num(v);
  return n !== undefined && n > 0 ? n : undefined;
}

/** An API number as a value: null when the API left it out. */
export function numberValue(n: number | undefined): Value {
  return n === undefined ? null : CtyNumber.of(n);
}

function list(v: Value | undefined): Value[] {
  return Array.isArray(v) ? v : [];
}

export function objects(v: Value | undefined): ObjectValue[] {
  return list(v).filter(isObject);
}

/** The first element of a list block with max_items = 1, if present. */
export function first(v: Value | undefined): ObjectValue | undefined {
  return objects(v)[0];
}

export function strings(v: Value | undefined): string[] {
  return list(v).filter((e): e is string => typeof e === 'string');
}

/** A map(string) as a plain record; undefined when null or unknown. */
export function stringMap(v: Value | undefined): Record<string, string> | undefined {
  if (v === undefined || !isObject(v) || isUnknown(v)) return undefined;
  const result: Record<string, string> = {};
  for (const [k, e] of Object.entries(v)) if (typeof e === 'string') result[k] = e;
  return result;
}

/** A plain record as a map(string) value, or null when empty and `nullWhenEmpty`. */
export function mapValue(record: Record<string, string> | undefined, nullWhenEmpty = true): Value {
  if (!record || (nullWhenEmpty && Object.keys(record).length === 0)) return nullWhenEmpty ? null : {};
  return { ...record };
}
