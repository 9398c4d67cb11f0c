// cty's JSON encoding of values (DynamicValue.json, and the raw state of UpgradeResourceState).
// JSON numbers are arbitrary-precision decimals here, so decoding uses a small parser of our own
// that keeps each number's text instead of JSON.parse, which would round big integers and long
// decimals through a double.
import { ValuePathError, type PathStep } from './path';
import { parseType, sortedAttributeNames, typeToJson, typeToString } from './types';
import { CtyNumber, DynamicValue, isObject, Unknown, type CtyType, type ObjectValue, type Value } from './value';

/** Encodes a wholly known value as cty JSON. Unknowns cannot be expressed: throws ValuePathError. */
export function encodeJson(value: Value, type: CtyType): string {
  return write(value, type);
}

/**
 * Decodes cty JSON of `type`, numbers exact. Object attributes absent from the text become null;
 * an attribute the type does not have is an error naming it.
 */
export function decodeJson(text: string | Uint8Array, type: CtyType): Value {
  const source = typeof text === 'string' ? text : utf8.decode(text);
  const raw = new JsonParser(source).parseDocument();
  return convert(raw, type);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

// ---------------------------------------------------------------------------------------------
// Encoding

function write(value: Value, type: CtyType): string {
  if (value === null) return 'null';
  if (value instanceof Unknown) throw new ValuePathError([], 'value is not known');
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        if (typeof value !== 'string') throw mismatch(type);
        return JSON.stringify(value);
      case 'bool':
        if (typeof value !== 'boolean') throw mismatch(type);
        return value ? 'true' : 'false';
      case 'number':
        if (!(value instanceof CtyNumber)) throw mismatch(type);
        return value.text;
      case 'dynamic':
        if (!(value instanceof DynamicValue)) {
          throw new ValuePathError([], 'a known value of type dynamic must be a DynamicValue carrying its type');
        }
        return `{"value":${write(value.value, value.type)},"type":${typeToJson(value.type)}}`;
    }
  }
  switch (type[0]) {
    case 'list':
    case 'set':
    case 'tuple': {
      if (!Array.isArray(value)) throw mismatch(type);
      if (type[0] === 'tuple' && value.length !== type[1].length) throw mismatch(type);
      const parts = new Array<string>(value.length);
      for (let i = 0; i < value.length; i++) {
        const elementType = type[0] === 'tuple' ? type[1][i] : type[1];
        try {
          parts[i] = write(value[i], elementType);
        } catch (e) {
          throw within(e, { index: i });
        }
      }
      return `[${parts.join(',')}]`;
    }
    case 'map': {
      if (!isObject(value)) throw mismatch(type);
      const parts: string[] = [];
      for (const key of Object.keys(value).sort()) {
        try {
          parts.push(`${JSON.stringify(key)}:${write(value[key], type[1])}`);
        } catch (e) {
          throw within(e, { key });
        }
      }
      return `{${parts.join(',')}}`;
    }
    case 'object': {
      if (!isObject(value)) throw mismatch(type);
      const attrs = type[1];
      const parts: string[] = [];
      for (const name of sortedAttributeNames(type)) {
        const attr = value[name];
        try {
          parts.push(`${JSON.stringify(name)}:${attr === undefined ? 'null' : write(attr, attrs[name])}`);
        } catch (e) {
          throw within(e, { attr: name });
        }
      }
      return `{${parts.join(',')}}`;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Decoding: parse to plain data (numbers as JsonNumber), then convert by type in place.

class JsonNumber {
  constructor(readonly text: string) {}
}
type Json = null | boolean | string | JsonNumber | Json[] | { [k: string]: Json };

function convert(raw: Json, type: CtyType): Value {
  if (raw === null) return null;
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        if (typeof raw === 'string') return raw;
        if (raw instanceof JsonNumber) return raw.text; // cty accepts a number where a string is wanted
        if (typeof raw === 'boolean') return raw ? 'true' : 'false';
        throw required('string');
      case 'bool':
        if (typeof raw === 'boolean') return raw;
        if (raw === 'true' || raw === 'false') return raw === 'true';
        throw required('bool');
      case 'number':
        if (raw instanceof JsonNumber) return new CtyNumber(raw.text);
        if (typeof raw === 'string') {
          try {
            return new CtyNumber(raw);
          } catch {
            throw new ValuePathError([], `a number is required, got ${JSON.stringify(raw)}`);
          }
        }
        throw required('number');
      case 'dynamic':
        return convertDynamic(raw);
    }
  }
  switch (type[0]) {
    case 'list':
    case 'set':
    case 'tuple': {
      if (!Array.isArray(raw)) throw new ValuePathError([], `need JSON array for ${type[0]}`);
      if (type[0] === 'tuple' && raw.length !== type[1].length) {
        throw new ValuePathError([], `a tuple of length ${type[1].length} is required`);
      }
      const out = raw as unknown as Value[];
      for (let i = 0; i < raw.length; i++) {
        try {
          out[i] = convert(raw[i], type[0] === 'tuple' ? type[1][i] : type[1]);
        } catch (e) {
          throw within(e, { index: i });
        }
      }
      return out;
    }
    case 'map': {
      if (!isRecord(raw)) throw new ValuePathError([], 'need JSON object for map');
      const out = raw as unknown as ObjectValue;
      for (const key of Object.keys(raw)) {
        try {
          out[key] = convert(raw[key], type[1]);
        } catch (e) {
          throw within(e, { key });
        }
      }
      return out;
    }
    case 'object': {
      if (!isRecord(raw)) throw new ValuePathError([], 'need JSON object for object');
      const attrs = type[1];
      for (const name of Object.keys(raw)) {
        if (!Object.prototype.hasOwnProperty.call(attrs, name)) {
          throw new ValuePathError([], `unsupported attribute ${JSON.stringify(name)}`);
        }
      }
      const out = raw as unknown as ObjectValue;
      for (const name of sortedAttributeNames(type)) {
        const attr = raw[name];
        try {
          out[name] = attr === undefined ? null : convert(attr, attrs[name]);
        } catch (e) {
          throw within(e, { attr: name });
        }
      }
      return out;
    }
  }
}

function convertDynamic(raw: Json): Value {
  if (!isRecord(raw)) throw new ValuePathError([], 'need JSON object for dynamically-typed value');
  for (const key of Object.keys(raw)) {
    if (key !== 'value' && key !== 'type') {
      throw new ValuePathError([], `invalid key ${JSON.stringify(key)} in dynamically-typed value`);
    }
  }
  if (raw.type === undefined) throw new ValuePathError([], 'missing type in dynamically-typed value');
  if (raw.value === undefined) throw new ValuePathError([], 'missing value in dynamically-typed value');
  let type: CtyType;
  try {
    type = parseType(plainTypeJson(raw.type));
  } catch (e) {
    throw new ValuePathError([], `invalid type of dynamic value: ${(e as Error).message}`);
  }
  return new DynamicValue(type, convert(raw.value, type));
}

/** Type JSON never holds numbers; turn parsed data into what parseType expects. */
function plainTypeJson(raw: Json): unknown {
  if (raw instanceof JsonNumber) throw new TypeError('numbers are not types');
  return raw;
}

function isRecord(raw: Json): raw is { [k: string]: Json } {
  return raw !== null && typeof raw === 'object' && !Array.isArray(raw) && !(raw instanceof JsonNumber);
}

const enum Char {
  Tab = 0x09,
  Newline = 0x0a,
  Return = 0x0d,
  Space = 0x20,
  Quote = 0x22,
  Comma = 0x2c,
  Minus = 0x2d,
  Colon = 0x3a,
  OpenBracket = 0x5b,
  Backslash = 0x5c,
  CloseBracket = 0x5d,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** A strict RFC 8259 parser that keeps numbers as text. */
class JsonParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseDocument(): Json {
    const value = this.parseValue();
    this.skipSpace();
    if (this.pos !== this.text.length) this.fail('unexpected data after the JSON value');
    return value;
  }

  private parseValue(): Json {
    this.skipSpace();
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case Char.OpenBrace:
        return this.parseObject();
      case Char.OpenBracket:
        return this.parseArray();
      case Char.Quote:
        return this.parseString();
      case 0x74: // t
        return this.literal('true', true);
      case 0x66: // f
        return this.literal('false', false);
      case 0x6e: // n
        return this.literal('null', null);
      default:
        if (c === Char.Minus || (c >= 0x30 && c <= 0x39)) return this.parseNumber();
        return this.fail(Number.isNaN(c) ? 'unexpected end of JSON input' : 'unexpected character');
    }
  }

  private parseObject(): Json {
    this.pos++; // {
    const out: { [k: string]: Json } = {};
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === Char.CloseBrace) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) !== Char.Quote) this.fail('expected a string key');
      const key = this.parseString();
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) !== Char.Colon) this.fail("expected ':'");
      this.pos++;
      const value = this.parseValue();
      if (key === '__proto__') {
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      } else {
        out[key] = value;
      }
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos++);
      if (c === Char.CloseBrace) return out;
      if (c !== Char.Comma) this.fail("expected ',' or '}'", -1);
    }
  }

  private parseArray(): Json {
    this.pos++; // [
    const out: Json[] = [];
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === Char.CloseBracket) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.parseValue());
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos++);
      if (c === Char.CloseBracket) return out;
      if (c !== Char.Comma) this.fail("expected ',' or ']'", -1);
    }
  }

  private parseString(): string {
    const start = this.pos; // at the opening quote
    let i = start + 1;
    let escaped = false;
    for (;;) {
      const c = this.text.charCodeAt(i);
      if (c === Char.Quote) break;
      if (Number.isNaN(c)) this.fail('unterminated string');
      if (c < 0x20) {
        this.pos = i;
        this.fail('control character in string');
      }
      if (c === Char.Backslash) {
        escaped = true;
        i++;
      }
      i++;
    }
    this.pos = i + 1;
    if (!escaped) return this.text.slice(start + 1, i);
    try {
      return JSON.parse(this.text.slice(start, i + 1)) as string; // native handling of escapes
    } catch {
      this.pos = start;
      return this.fail('invalid escape in string');
    }
  }

  private parseNumber(): JsonNumber {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (!m) return this.fail('invalid number');
    this.pos += m[0].length;
    return new JsonNumber(m[0]);
  }

  private literal<T extends Json>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail('unexpected character');
    this.pos += word.length;
    return value;
  }

  private skipSpace(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== Char.Space && c !== Char.Newline && c !== Char.Return && c !== Char.Tab) return;
      this.pos++;
    }
  }

  private fail(message: string, offset = 0): never {
    throw new SyntaxError(`invalid JSON at offset ${this.pos + offset}: ${message}`);
  }
}

// ---------------------------------------------------------------------------------------------

function mismatch(type: CtyType): ValuePathError {
  return new ValuePathError([], `${typeToString(type)} value expected`);
}

function required(what: string): ValuePathError {
  return new ValuePathError([], `${what} is required`);
}

function within(e: unknown, step: PathStep): unknown {
  return e instanceof ValuePathError ? e.within(step) : e;
}
