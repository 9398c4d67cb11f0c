// cty's msgpack encoding of values (what Terraform sends and accepts in DynamicValue.msgpack).
// The wire form is type-directed: the same bytes mean different values for different types, so
// both directions walk the value alongside its type. Values are first mapped to plain msgpack data
// (sorted object keys, numbers in cty's chosen width, unknowns as extensions), then written by
// @msgpack/msgpack; decoding reads plain data and converts it in place.
import { Decoder, Encoder, ExtData, ExtensionCodec } from '@msgpack/msgpack';
import { numberFromWire, numberToWire } from './numbers';
import { ValuePathError } from './path';
import { parseTypeJson, sortedAttributeNames, typeToJson, typeToString } from './types';
import {
  CtyNumber,
  DynamicValue,
  isObject,
  Unknown,
  UNKNOWN,
  type CtyType,
  type ObjectValue,
  type Refinements,
  type Value,
} from './value';

/** Extension type of an unknown without refinements (cty writes it as fixext1 `d4 00 00`). */
const UNKNOWN_EXT = 0;
/** Extension type of an unknown whose payload is a map of refinements. */
const REFINED_UNKNOWN_EXT = 0x0c;
/** cty rejects refinement payloads above this size. */
const MAX_REFINEMENT_PAYLOAD = 1024;
/** Refinement map keys (small ints so they encode as positive fixints). */
const enum RefinementKey {
  Nullness = 1,
  StringPrefix = 2,
  NumberLowerBound = 3,
  NumberUpperBound = 4,
  LengthLowerBound = 5,
  LengthUpperBound = 6,
}
/** Terraform values nest deeply (blocks in blocks in dynamic values); the encoder default is 100. */
const MAX_DEPTH = 10_000;

class RefinedUnknownPayload {
  constructor(readonly payload: Uint8Array) {}
}

const PLAIN_UNKNOWN_PAYLOAD = new Uint8Array([0]);
const extensionCodec = new ExtensionCodec();
extensionCodec.register({
  type: UNKNOWN_EXT,
  encode: (input) => (input instanceof Unknown ? PLAIN_UNKNOWN_PAYLOAD : null),
  decode: (data, extType) => new ExtData(extType, data),
});
extensionCodec.register({
  type: REFINED_UNKNOWN_EXT,
  encode: (input) => (input instanceof RefinedUnknownPayload ? input.payload : null),
  decode: (data, extType) => new ExtData(extType, data),
});
// The library decodes extension -1 as a timestamp; in cty every extension is an unknown.
extensionCodec.register({ type: -1, encode: () => null, decode: (data, extType) => new ExtData(extType, data) });

const encoder = new Encoder({ extensionCodec, useBigInt64: true, maxDepth: MAX_DEPTH });
const decoder = new Decoder({ extensionCodec, useBigInt64: true });
const plainEncoder = new Encoder({ useBigInt64: true });
const plainDecoder = new Decoder({ useBigInt64: true });
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Encodes `value` of `type` as cty msgpack. Throws ValuePathError when the value does not fit the type. */
export function encodeMsgpack(value: Value, type: CtyType): Uint8Array {
  return encoder.encode(toWire(value, type));
}

/**
 * Decodes cty msgpack of `type`. Object attributes absent from the bytes become null; an attribute
 * the type does not have is an error. Refined unknowns keep their refinements.
 */
export function decodeMsgpack(bytes: Uint8Array, type: CtyType): Value {
  let raw: unknown;
  try {
    raw = decoder.decode(bytes);
  } catch (e) {
    throw new ValuePathError([], `invalid msgpack: ${(e as Error).message}`);
  }
  return fromWire(raw, type);
}

// ---------------------------------------------------------------------------------------------
// Encoding

function toWire(value: Value, type: CtyType): unknown {
  if (value === null) return null;
  if (value instanceof Unknown) return unknownToWire(value, type);
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        if (typeof value !== 'string') throw mismatch(type);
        return value;
      case 'bool':
        if (typeof value !== 'boolean') throw mismatch(type);
        return value;
      case 'number':
        if (!(value instanceof CtyNumber)) throw mismatch(type);
        return numberToWire(value);
      case 'dynamic':
        if (!(value instanceof DynamicValue)) {
          throw new ValuePathError([], 'a known value of type dynamic must be a DynamicValue carrying its type');
        }
        return [typeJsonBytes(value.type), toWire(value.value, value.type)];
    }
  }
  switch (type[0]) {
    case 'list':
    case 'set': {
      if (!Array.isArray(value)) throw mismatch(type);
      const elementType = type[1];
      const out = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) {
        try {
          out[i] = toWire(value[i], elementType);
        } catch (e) {
          throw within(e, { index: i });
        }
      }
      return out;
    }
    case 'tuple': {
      const elementTypes = type[1];
      if (!Array.isArray(value) || value.length !== elementTypes.length) throw mismatch(type);
      const out = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) {
        try {
          out[i] = toWire(value[i], elementTypes[i]);
        } catch (e) {
          throw within(e, { index: i });
        }
      }
      return out;
    }
    case 'map': {
      if (!isObject(value)) throw mismatch(type);
      const elementType = type[1];
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value).sort()) {
        try {
          setOwn(out, key, toWire(value[key], elementType));
        } catch (e) {
          throw within(e, { key });
        }
      }
      return out;
    }
    case 'object': {
      if (!isObject(value)) throw mismatch(type);
      const attrs = type[1];
      const out: Record<string, unknown> = {};
      for (const name of sortedAttributeNames(type)) {
        const attr = value[name];
        try {
          setOwn(out, name, attr === undefined ? null : toWire(attr, attrs[name]));
        } catch (e) {
          throw within(e, { attr: name });
        }
      }
      return out;
    }
  }
}

function unknownToWire(value: Unknown, type: CtyType): unknown {
  const refinements = value.refinements;
  if (refinements === undefined || type === 'dynamic') return UNKNOWN;
  const payload = encodeRefinements(refinements, type);
  return payload === undefined ? UNKNOWN : new RefinedUnknownPayload(payload);
}

/** The refinement map cty would write for `type`, or undefined when nothing applies to it. */
function encodeRefinements(r: Refinements, type: CtyType): Uint8Array | undefined {
  const parts: Uint8Array[] = [];
  const entry = (key: RefinementKey, v: unknown) => {
    parts.push(new Uint8Array([key]), plainEncoder.encode(v));
  };
  if (r.nullable === false) entry(RefinementKey.Nullness, false);
  if (type === 'string' && r.stringPrefix) entry(RefinementKey.StringPrefix, r.stringPrefix);
  if (type === 'number') {
    if (r.numberLowerBound) entry(RefinementKey.NumberLowerBound, boundToWire(r.numberLowerBound));
    if (r.numberUpperBound) entry(RefinementKey.NumberUpperBound, boundToWire(r.numberUpperBound));
  }
  if (Array.isArray(type) && (type[0] === 'list' || type[0] === 'set' || type[0] === 'map')) {
    if (r.collectionLengthLowerBound) entry(RefinementKey.LengthLowerBound, r.collectionLengthLowerBound);
    if (r.collectionLengthUpperBound !== undefined) {
      entry(RefinementKey.LengthUpperBound, r.collectionLengthUpperBound);
    }
  }
  if (parts.length === 0) return undefined;
  const entries = parts.length / 2; // at most 6, so the map header is a fixmap
  const size = 1 + parts.reduce((sum, p) => sum + p.length, 0);
  const payload = new Uint8Array(size);
  payload[0] = 0x80 | entries;
  let offset = 1;
  for (const p of parts) {
    payload.set(p, offset);
    offset += p.length;
  }
  return payload;
}

function boundToWire([bound, inclusive]: [CtyNumber, boolean]): unknown[] {
  return [numberToWire(bound), inclusive];
}

const primitiveTypeBytes: Record<string, Uint8Array> = {
  string: utf8.encode('"string"'),
  number: utf8.encode('"number"'),
  bool: utf8.encode('"bool"'),
  dynamic: utf8.encode('"dynamic"'),
};
const typeBytesCache = new WeakMap<object, Uint8Array>();

/** cty writes the type of a dynamic value as its JSON text in a msgpack bin. */
function typeJsonBytes(type: CtyType): Uint8Array {
  if (typeof type === 'string') return primitiveTypeBytes[type];
  let bytes = typeBytesCache.get(type);
  if (bytes === undefined) {
    bytes = utf8.encode(typeToJson(type));
    typeBytesCache.set(type, bytes);
  }
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// Decoding (converts the freshly decoded data in place: it belongs to nobody else)

function fromWire(raw: unknown, type: CtyType): Value {
  if (raw === null || raw === undefined) return null;
  if (raw instanceof ExtData) return unknownFromWire(raw, type);
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        if (typeof raw === 'string') return raw;
        if (raw instanceof Uint8Array) return decodeUtf8(raw);
        throw required('string');
      case 'bool':
        if (typeof raw !== 'boolean') throw required('bool');
        return raw;
      case 'number':
        if (typeof raw !== 'number' && typeof raw !== 'bigint' && typeof raw !== 'string') throw required('number');
        try {
          return numberFromWire(raw);
        } catch {
          throw required('number');
        }
      case 'dynamic':
        return dynamicFromWire(raw);
    }
  }
  switch (type[0]) {
    case 'list':
    case 'set': {
      if (!Array.isArray(raw)) throw new ValuePathError([], `a ${type[0]} is required`);
      const elementType = type[1];
      for (let i = 0; i < raw.length; i++) {
        try {
          raw[i] = fromWire(raw[i], elementType);
        } catch (e) {
          throw within(e, { index: i });
        }
      }
      return raw as Value[];
    }
    case 'tuple': {
      const elementTypes = type[1];
      if (!Array.isArray(raw)) throw new ValuePathError([], 'a tuple is required');
      if (raw.length !== elementTypes.length) {
        throw new ValuePathError([], `a tuple of length ${elementTypes.length} is required`);
      }
      for (let i = 0; i < raw.length; i++) {
        try {
          raw[i] = fromWire(raw[i], elementTypes[i]);
        } catch (e) {
          throw within(e, { index: i });
        }
      }
      return raw as Value[];
    }
    case 'map': {
      if (!isPlainRecord(raw)) throw new ValuePathError([], 'a map is required');
      const elementType = type[1];
      for (const key of Object.keys(raw)) {
        try {
          raw[key] = fromWire(raw[key], elementType);
        } catch (e) {
          throw within(e, { key });
        }
      }
      return raw as ObjectValue;
    }
    case 'object': {
      if (!isPlainRecord(raw)) throw new ValuePathError([], 'an object is required');
      const attrs = type[1];
      for (const name of Object.keys(raw)) {
        if (!Object.prototype.hasOwnProperty.call(attrs, name)) {
          throw new ValuePathError([{ attr: name }], 'unsupported attribute');
        }
      }
      for (const name of sortedAttributeNames(type)) {
        try {
          raw[name] = fromWire(raw[name], attrs[name]);
        } catch (e) {
          throw within(e, { attr: name });
        }
      }
      return raw as ObjectValue;
    }
  }
}

function dynamicFromWire(raw: unknown): Value {
  if (!Array.isArray(raw) || raw.length !== 2) {
    throw new ValuePathError([], 'dynamic value array must have exactly two elements');
  }
  const [typeJson, inner] = raw;
  let type: CtyType;
  try {
    if (typeJson instanceof Uint8Array) type = parseTypeJson(decodeUtf8(typeJson));
    else if (typeof typeJson === 'string') type = parseTypeJson(typeJson);
    else throw new TypeError('type must be JSON text');
  } catch (e) {
    throw new ValuePathError([], `invalid type of dynamic value: ${(e as Error).message}`);
  }
  return new DynamicValue(type, fromWire(inner, type));
}

function unknownFromWire(ext: ExtData, type: CtyType): Unknown {
  const data = ext.data as Uint8Array;
  if (data.length <= 1) return UNKNOWN; // cty ignores the type code of short extensions
  if (ext.type !== REFINED_UNKNOWN_EXT) {
    throw new ValuePathError([], `unsupported extension type 0x${(ext.type & 0xff).toString(16).padStart(2, '0')} with len ${data.length}`);
  }
  if (data.length > MAX_REFINEMENT_PAYLOAD) throw new ValuePathError([], 'oversize unknown value refinement');
  if (type === 'dynamic') return UNKNOWN; // cty does not refine dynamic values
  let map: unknown;
  try {
    // cty allows trailing bytes after the map for future use, so read only the first item.
    map = plainDecoder.decodeMulti(data).next().value;
  } catch {
    throw new ValuePathError([], 'failed to decode msgpack extension body');
  }
  if (!isPlainRecord(map)) throw new ValuePathError([], 'failed to decode msgpack extension body: not a map');
  const refinements: Refinements = {};
  let any = false;
  for (const key of Object.keys(map)) {
    const v = map[key];
    switch (Number(key)) {
      case RefinementKey.Nullness:
        if (typeof v !== 'boolean') throw badRefinement('null refinement is not boolean');
        // true would mean "definitely null", which cty collapses to a known null; nothing to keep.
        if (!v) {
          refinements.nullable = false;
          any = true;
        }
        break;
      case RefinementKey.StringPrefix:
        if (typeof v !== 'string') throw badRefinement('string prefix refinement is not string');
        refinements.stringPrefix = v;
        any = true;
        break;
      case RefinementKey.NumberLowerBound:
      case RefinementKey.NumberUpperBound: {
        const bound = boundFromWire(v);
        if (Number(key) === RefinementKey.NumberLowerBound) refinements.numberLowerBound = bound;
        else refinements.numberUpperBound = bound;
        any = true;
        break;
      }
      case RefinementKey.LengthLowerBound:
      case RefinementKey.LengthUpperBound: {
        if (typeof v !== 'number' && typeof v !== 'bigint') throw badRefinement('length bound refinement must be integer');
        if (Number(key) === RefinementKey.LengthLowerBound) refinements.collectionLengthLowerBound = Number(v);
        else refinements.collectionLengthUpperBound = Number(v);
        any = true;
        break;
      }
      // Unknown keys are ignored, as cty does, to allow future refinements.
    }
  }
  return any ? new Unknown(refinements) : UNKNOWN;
}

function boundFromWire(v: unknown): [CtyNumber, boolean] {
  if (
    !Array.isArray(v) ||
    v.length !== 2 ||
    typeof v[1] !== 'boolean' ||
    !(typeof v[0] === 'number' || typeof v[0] === 'bigint' || typeof v[0] === 'string')
  ) {
    throw badRefinement('number bound refinement must be [number, bool] array');
  }
  try {
    return [numberFromWire(v[0]), v[1]];
  } catch {
    throw badRefinement('number bound refinement must be [number, bool] array');
  }
}

// ---------------------------------------------------------------------------------------------

function isPlainRecord(raw: unknown): raw is Record<string, unknown> {
  return raw !== null && typeof raw === 'object' && !Array.isArray(raw) && !(raw instanceof Uint8Array) && !(raw instanceof ExtData);
}

/** Assignment that stays a plain property even for the key "__proto__". */
function setOwn(target: Record<string, unknown>, key: string, v: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value: v, enumerable: true, writable: true, configurable: true });
  else target[key] = v;
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    throw new ValuePathError([], 'invalid UTF-8 text');
  }
}

function mismatch(type: CtyType): ValuePathError {
  return new ValuePathError([], `${typeToString(type)} value expected`);
}

function required(what: string): ValuePathError {
  return new ValuePathError([], `${what} is required`);
}

function badRefinement(detail: string): ValuePathError {
  return new ValuePathError([], `failed to decode msgpack extension body: ${detail}`);
}

function within(e: unknown, step: ConstructorParameters<typeof ValuePathError>[0][number]): unknown {
  return e instanceof ValuePathError ? e.within(step) : e;
}
