// Go's encoding/json reader: json.Unmarshal into `any`, with the exact texts and byte offsets of the
// errors Go reports. Providers are written in Go, and users compare our messages with theirs.
//
// Go first runs its scanner over the whole input (checkValid) and only decodes input the scanner
// accepted, so a syntax error anywhere wins over a decoding error such as an out-of-range number.
// This reader does both in one pass over the UTF-8 bytes: syntax errors are thrown where the scanner
// stops, decoding errors are kept until the end, and the syntax-only check is the same pass with
// value building switched off.

/** A decoded JSON value as Go's json.Unmarshal into `any` produces it (objects keep a Map; numbers are float64). */
export type GoJson = null | boolean | number | string | GoJson[] | GoObject;
export class GoObject {
  /** The members as Go's map holds them: the last of duplicate keys wins. */
  readonly entries = new Map<string, GoJson>();
  /** Every member in input order, duplicates included; only from goJsonParseMembers. */
  members?: Array<[string, GoJson]>;

  static of(pairs: Array<[string, GoJson]>): GoObject {
    const o = new GoObject();
    for (const [k, v] of pairs) o.entries.set(k, v);
    return o;
  }
}

/** Go's json.SyntaxError: message plus the byte offset Go reports. */
export class GoJsonSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

/** Go's json.UnmarshalTypeError (or any other error Go's decoder returns), message only. */
export class GoJsonDecodeError extends Error {}

export interface JsonSyntaxError {
  message: string;
  /** As Go's SyntaxError.Offset: bytes read when the error was detected. */
  offset: number;
}

/** Go's json.Unmarshal into `any`: throws GoJsonSyntaxError / GoJsonDecodeError with Go's messages. */
export function goJsonParse(text: string): GoJson {
  return new GoJsonReader(utf8.encode(text), 'value').document();
}

/**
 * goJsonParse that also keeps every member of every object in `members`, duplicate keys included: what a walk
 * over json.Decoder's tokens sees (aws-sdk-go-base's duplicate-key check is one).
 */
export function goJsonParseMembers(text: string): GoJson {
  return new GoJsonReader(utf8.encode(text), 'members').document();
}

/**
 * The syntax error Go's scanner reports for `text` (what json.Valid checks), or null when the syntax is
 * valid, e.g. `invalid character '}' looking for beginning of object key string` at offset 8.
 * Decoding errors (numbers beyond float64) are not syntax errors and are not reported here.
 */
export function goJsonSyntaxError(text: string): JsonSyntaxError | null {
  try {
    new GoJsonReader(utf8.encode(text), 'syntax').document();
    return null;
  } catch (e) {
    if (e instanceof GoJsonSyntaxError) return { message: e.message, offset: e.offset };
    throw e;
  }
}

/** The error json.Unmarshal into `any` returns for `text`: its message, and its offset for a syntax error. */
export function goJsonUnmarshalError(text: string): { message: string; offset?: number } | null {
  try {
    goJsonParse(text);
    return null;
  } catch (e) {
    if (e instanceof GoJsonSyntaxError) return { message: e.message, offset: e.offset };
    if (e instanceof GoJsonDecodeError) return { message: e.message };
    throw e;
  }
}

// --- the reader ----------------------------------------------------------------------------------

const utf8 = new TextEncoder();
// Input comes from a JavaScript string, so its bytes are always well-formed UTF-8 (a lone surrogate
// is encoded as U+FFFD, which is also what Go makes of it).
const utf8Decoder = new TextDecoder('utf-8');

/** Go's scanner limit on nested arrays and objects. */
const MAX_NESTING_DEPTH = 10000;

// Reading past the end of the input gives undefined, which none of these tests accepts: a loop over
// bytes that one of them must accept stops at the end without a bounds check of its own.
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

const CONTEXT_VALUE = 'looking for beginning of value';
const CONTEXT_KEY = 'looking for beginning of object key string';
const CONTEXT_ESCAPE = 'in string escape code';
const CONTEXT_HEX = 'in \\u hexadecimal character escape';
const CONTEXT_NUMBER = 'in numeric literal';
const CONTEXT_DECIMAL = 'after decimal point in numeric literal';
const CONTEXT_EXPONENT = 'in exponent of numeric literal';

/** An array or object being read; an object remembers the key whose value comes next. */
type Frame = { array: GoJson[] | null } | { object: GoObject | null; key: string };

/** What a read builds: nothing (the syntax check), Go's values, or Go's values with every object member kept. */
type ReadMode = 'syntax' | 'value' | 'members';

class GoJsonReader {
  private pos = 0;
  /** The first decoding error, reported only if the whole input is syntactically valid (Go's saveError). */
  private decodeError: GoJsonDecodeError | null = null;
  private readonly build: boolean;

  constructor(
    private readonly data: Uint8Array,
    private readonly mode: ReadMode,
  ) {
    this.build = mode !== 'syntax';
  }

  private newObject(): GoObject | null {
    if (!this.build) return null;
    const o = new GoObject();
    if (this.mode === 'members') o.members = [];
    return o;
  }

  /** A byte the scanner rejects: Go names it and counts the bytes read up to and including it. */
  private fail(context: string): never {
    throw new GoJsonSyntaxError(`invalid character ${quoteChar(this.data[this.pos])} ${context}`, this.pos + 1);
  }

  /**
   * The end of the input. Go's scanner then feeds itself one space: a state that rejects it reports
   * that space (`context`), any other state reports the unexpected end.
   */
  private end(context?: string): never {
    const message = context === undefined ? 'unexpected end of JSON input' : `invalid character ' ' ${context}`;
    throw new GoJsonSyntaxError(message, this.data.length);
  }

  /** Skips white space and returns the next byte; at the end of the input, fails with `context` as end() does. */
  private next(context?: string): number {
    const data = this.data;
    while (isSpace(data[this.pos])) this.pos++;
    if (this.pos >= data.length) this.end(context);
    return data[this.pos];
  }

  document(): GoJson {
    const stack: Frame[] = [];
    let value: GoJson;
    for (;;) {
      // A value starts here (after `[`, `,` in an array, or `:`).
      const c = this.next();
      if (c === 0x7b || c === 0x5b) {
        if (stack.length + 1 > MAX_NESTING_DEPTH) this.fail('exceeded max depth');
        this.pos++;
        const frame: Frame = c === 0x7b ? { object: this.newObject(), key: '' } : { array: this.build ? [] : null };
        if (this.next() !== (c === 0x7b ? 0x7d : 0x5d)) {
          if ('object' in frame) frame.key = this.key();
          stack.push(frame);
          continue;
        }
        this.pos++;
        value = 'array' in frame ? frame.array : frame.object;
      } else {
        value = this.scalar(c);
      }
      // A value ended: add it to its container and read what follows, closing containers as they end.
      for (;;) {
        const frame = stack[stack.length - 1];
        if (frame === undefined) {
          while (isSpace(this.data[this.pos])) this.pos++;
          if (this.pos < this.data.length) this.fail('after top-level value');
          if (this.decodeError) throw this.decodeError;
          return value;
        }
        const d = this.next();
        if ('array' in frame) {
          frame.array?.push(value);
          if (d === 0x2c) {
            this.pos++;
            break;
          }
          if (d !== 0x5d) this.fail('after array element');
          value = frame.array;
        } else {
          frame.object?.entries.set(frame.key, value);
          frame.object?.members?.push([frame.key, value]);
          if (d === 0x2c) {
            this.pos++;
            frame.key = this.key();
            break;
          }
          if (d !== 0x7d) this.fail('after object key:value pair');
          value = frame.object;
        }
        this.pos++;
        stack.pop();
      }
    }
  }

  /** An object key and its colon, leaving the position on the value. */
  private key(): string {
    if (this.next() !== 0x22) this.fail(CONTEXT_KEY);
    const key = this.string();
    if (this.next() !== 0x3a) this.fail('after object key');
    this.pos++;
    return key;
  }

  private scalar(c: number): GoJson {
    switch (c) {
      case 0x22: return this.string();
      case 0x74: return this.literal('true', true);
      case 0x66: return this.literal('false', false);
      case 0x6e: return this.literal('null', null);
    }
    if (c === 0x2d || isDigit(c)) return this.number();
    this.fail(CONTEXT_VALUE);
  }

  private literal<T extends GoJson>(word: string, value: T): T {
    const data = this.data;
    this.pos++;
    for (let k = 1; k < word.length; k++, this.pos++) {
      const context = `in literal ${word} (expecting '${word[k]}')`;
      if (this.pos >= data.length) this.end(context);
      if (data[this.pos] !== word.charCodeAt(k)) this.fail(context);
    }
    return value;
  }

  /** Reads a number as Go's scanner does (a leading 0 ends the integer part); decodes it as float64. */
  private number(): number {
    const data = this.data;
    const start = this.pos;
    const digit = (context: string) => {
      if (this.pos >= data.length) this.end(context);
      if (!isDigit(data[this.pos])) this.fail(context);
      while (isDigit(data[this.pos])) this.pos++;
    };
    if (data[this.pos] === 0x2d) this.pos++;
    if (data[this.pos] === 0x30) this.pos++;
    else digit(CONTEXT_NUMBER);
    if (data[this.pos] === 0x2e) {
      this.pos++;
      digit(CONTEXT_DECIMAL);
    }
    if (data[this.pos] === 0x65 || data[this.pos] === 0x45) {
      this.pos++;
      if (data[this.pos] === 0x2b || data[this.pos] === 0x2d) this.pos++;
      digit(CONTEXT_EXPONENT);
    }
    if (!this.build) return 0;
    const text = utf8Decoder.decode(data.subarray(start, this.pos));
    // strconv.ParseFloat rounds as Number() does; out of float64 range it fails, and Go's decoder
    // saves the error and goes on.
    const n = Number(text);
    if (!Number.isFinite(n)) {
      this.decodeError ??= new GoJsonDecodeError(`json: cannot unmarshal number ${text} into Go value of type float64`);
    }
    return n;
  }

  /** Reads a string literal as Go's scanner checks it and its decoder (unquote) decodes it. */
  private string(): string {
    const data = this.data;
    this.pos++;
    let out = '';
    let runStart = this.pos;
    for (;;) {
      if (this.pos >= data.length) this.end();
      const c = data[this.pos];
      if (c === 0x22) {
        if (this.build) out += utf8Decoder.decode(data.subarray(runStart, this.pos));
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail('in string literal');
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      if (this.build) out += utf8Decoder.decode(data.subarray(runStart, this.pos));
      this.pos++;
      if (this.pos >= data.length) this.end(CONTEXT_ESCAPE);
      const e = data[this.pos++];
      switch (e) {
        case 0x22: out += '"'; break;
        case 0x5c: out += '\\'; break;
        case 0x2f: out += '/'; break;
        case 0x62: out += '\b'; break;
        case 0x66: out += '\f'; break;
        case 0x6e: out += '\n'; break;
        case 0x72: out += '\r'; break;
        case 0x74: out += '\t'; break;
        case 0x75: out += this.unicodeEscape(); break;
        default:
          this.pos--;
          this.fail(CONTEXT_ESCAPE);
      }
      runStart = this.pos;
    }
  }

  /** The rest of a \u escape (after the u), with Go's pairing of surrogates. */
  private unicodeEscape(): string {
    const data = this.data;
    const hi = this.hex4();
    if (hi < 0xd800 || hi >= 0xe000) return String.fromCharCode(hi);
    // A high surrogate pairs only with an immediately following \u escape of a low surrogate; any
    // other surrogate becomes U+FFFD and what follows is read on its own.
    if (hi < 0xdc00 && data[this.pos] === 0x5c && data[this.pos + 1] === 0x75) {
      const next = this.pos;
      this.pos += 2;
      // A following escape that is not four hex digits is a syntax error whichever way it is read.
      const lo = this.hex4();
      if (lo >= 0xdc00 && lo < 0xe000) return String.fromCharCode(hi, lo);
      this.pos = next;
    }
    return '\ufffd';
  }

  /** The four hex digits of a \u escape. */
  private hex4(): number {
    const data = this.data;
    let n = 0;
    for (let k = 0; k < 4; k++, this.pos++) {
      if (this.pos >= data.length) this.end(CONTEXT_HEX);
      const c = data[this.pos];
      if (!isHex(c)) this.fail(CONTEXT_HEX);
      n = n * 16 + parseInt(String.fromCharCode(c), 16);
    }
    return n;
  }
}

// --- how Go's decoder names what it found ------------------------------------------------------

/** The JSON kind Go's UnmarshalTypeError names: "cannot unmarshal <kind> into Go value of type ...". */
export function goJsonKind(v: GoJson): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'string';
  return Array.isArray(v) ? 'array' : 'object';
}

/** Go's %T of a value decoded into `any`. */
export function goTypeName(v: GoJson): string {
  if (v === null) return '<nil>';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'string') return 'string';
  return Array.isArray(v) ? '[]interface {}' : 'map[string]interface {}';
}

/** The struct field a JSON key decodes into, as Go matches them: the exact name first, then case-insensitively. */
export function goStructField(key: string, fields: readonly string[]): string | undefined {
  if (fields.includes(key)) return key;
  return fields.find((f) => f.toLowerCase() === key.toLowerCase());
}

// --- how Go names an offending byte -------------------------------------------------------------

/**
 * Go's json quoteChar: the byte as a rune (so 0xC3 is 'Ã'), quoted by strconv.Quote between single
 * quotes, except that a single quote is escaped and a double quote is not.
 */
function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  let inner: string;
  switch (c) {
    case 0x07: inner = '\\a'; break;
    case 0x08: inner = '\\b'; break;
    case 0x0c: inner = '\\f'; break;
    case 0x0a: inner = '\\n'; break;
    case 0x0d: inner = '\\r'; break;
    case 0x09: inner = '\\t'; break;
    case 0x0b: inner = '\\v'; break;
    case 0x5c: inner = '\\\\'; break;
    default:
      // The reader reports a byte at the start of the input or after an ASCII byte: ASCII, or the lead
      // byte of a UTF-8 sequence (0xC2..0xF4), a printable Latin-1 rune. Of these strconv.IsPrint
      // rejects only the other control characters and DEL.
      inner = c < 0x20 || c === 0x7f ? '\\x' + c.toString(16).padStart(2, '0') : String.fromCharCode(c);
  }
  return `'${inner}'`;
}
