// Structural equality of values and unknown-ness checks.
import { isPrimitive, typeEquals } from './types';
import { CtyNumber, DynamicValue, isObject, Unknown, type CtyType, type ObjectValue, type Value } from './value';

/**
 * Structural equality under `type`: numbers by canonical text, sets as unordered collections
 * (with multiplicity), object attributes absent from a record count as null.
 *
 * Unknowns: an Unknown equals any other Unknown (refinements ignored) and nothing else. This says
 * "both sides are still unknown", the comparison a planner needs ("did this planned value
 * change?"); it does not claim the eventual values will be equal.
 */
export function valuesEqual(a: Value, b: Value, type: CtyType): boolean {
  if (a === b) return true;
  if (a instanceof Unknown || b instanceof Unknown) return a instanceof Unknown && b instanceof Unknown;
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
      case 'bool':
        return false; // primitives equal only by identity, checked above
      case 'number':
        return a instanceof CtyNumber && b instanceof CtyNumber && a.text === b.text;
      case 'dynamic':
        return (
          a instanceof DynamicValue &&
          b instanceof DynamicValue &&
          typeEquals(a.type, b.type) &&
          valuesEqual(a.value, b.value, a.type)
        );
    }
  }
  switch (type[0]) {
    case 'list': {
      if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
      for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i], type[1])) return false;
      return true;
    }
    case 'tuple': {
      if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
      for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i], type[1][i])) return false;
      return true;
    }
    case 'set':
      return Array.isArray(a) && Array.isArray(b) && setsEqual(a, b, type[1]);
    case 'map': {
      if (!isObject(a) || !isObject(b)) return false;
      const keys = Object.keys(a);
      if (keys.length !== Object.keys(b).length) return false;
      for (const k of keys) {
        if (!Object.prototype.hasOwnProperty.call(b, k) || !valuesEqual(a[k], b[k], type[1])) return false;
      }
      return true;
    }
    case 'object': {
      if (!isObject(a) || !isObject(b)) return false;
      const attrs = type[1];
      for (const name in attrs) {
        if (!valuesEqual(attrOrNull(a, name), attrOrNull(b, name), attrs[name])) return false;
      }
      return true;
    }
  }
}

function attrOrNull(o: ObjectValue, name: string): Value {
  const v = o[name];
  return v === undefined ? null : v;
}

function setsEqual(a: Value[], b: Value[], elementType: CtyType): boolean {
  if (a.length !== b.length) return false;
  if (isPrimitive(elementType)) {
    // Count occurrences by a key that is unique per primitive value (and per null/unknown).
    const counts = new Map<string, number>();
    for (const v of a) counts.set(primitiveKey(v), (counts.get(primitiveKey(v)) ?? 0) + 1);
    for (const v of b) {
      const key = primitiveKey(v);
      const n = counts.get(key);
      if (!n) return false;
      counts.set(key, n - 1);
    }
    return true;
  }
  // Structured elements: pair each element of a with a distinct equal element of b. Sets here are small.
  const used = new Array<boolean>(b.length).fill(false);
  outer: for (const x of a) {
    for (let j = 0; j < b.length; j++) {
      if (!used[j] && valuesEqual(x, b[j], elementType)) {
        used[j] = true;
        continue outer;
      }
    }
    return false;
  }
  return true;
}

/** A key unique per value among the elements of one primitive type (a number by its canonical text). */
function primitiveKey(v: Value): string {
  if (v === null) return 'null';
  if (v instanceof Unknown) return 'unknown';
  return '=' + String(v);
}

/** Whether `v` contains no Unknown anywhere (looking into collections, objects and dynamic values). */
export function isWhollyKnown(v: Value): boolean {
  return !containsUnknown(v);
}

export function containsUnknown(v: Value): boolean {
  if (v === null || typeof v !== 'object' || v instanceof CtyNumber) return false;
  if (v instanceof Unknown) return true;
  if (v instanceof DynamicValue) return containsUnknown(v.value);
  // The elements of a list, set or tuple, or the attributes of an object or map.
  for (const k in v) if (containsUnknown((v as ObjectValue)[k])) return true;
  return false;
}
