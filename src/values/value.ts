// The one value model of the provider, after go-cty: every value has a type, and null and unknown
// are first-class states of any type.
//
// Types are written exactly as cty's JSON type syntax, so the wire form and the in-memory form are
// the same thing: "string", ["list","string"], ["object",{"a":"number"}], ...

export type PrimitiveType = 'string' | 'number' | 'bool';
export type CtyType =
  | PrimitiveType
  | 'dynamic'
  | ['list', CtyType]
  | ['set', CtyType]
  | ['map', CtyType]
  | ['object', { [attr: string]: CtyType }]
  | ['object', { [attr: string]: CtyType }, string[]]
  | ['tuple', CtyType[]];

/** Refinements Terraform may attach to an unknown value (cty >= 1.13, msgpack extension 0x0c). */
export interface Refinements {
  /** false = "definitely not null". */
  nullable?: boolean;
  stringPrefix?: string;
  numberLowerBound?: [CtyNumber, boolean];
  numberUpperBound?: [CtyNumber, boolean];
  collectionLengthLowerBound?: number;
  collectionLengthUpperBound?: number;
}

/** A value not known until apply. */
export class Unknown {
  constructor(readonly refinements?: Refinements) {}
}
export const UNKNOWN = new Unknown();

/**
 * An arbitrary-precision decimal, kept as canonical decimal text ("42", "-7", "3.14",
 * "12345678901234567890123"): cty numbers must never be rounded through a JS double.
 */
export class CtyNumber {
  readonly text: string;
  constructor(text: string) {
    this.text = canonicalDecimal(text);
  }
  static of(n: number | bigint | string): CtyNumber {
    if (typeof n === 'number') {
      if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
      return new CtyNumber(numberToPlainDecimal(n));
    }
    return new CtyNumber(String(n));
  }
  /** The nearest JS number (exact for integers up to 2^53). */
  toNumber(): number {
    return Number(this.text);
  }
  isInteger(): boolean {
    return !this.text.includes('.');
  }
  equals(other: CtyNumber): boolean {
    return this.text === other.text;
  }
  toString(): string {
    return this.text;
  }
}

/** A value of the "dynamic" pseudo-type once known: it carries its own concrete type. */
export class DynamicValue {
  constructor(
    readonly type: CtyType,
    readonly value: Value,
  ) {}
}

export type ObjectValue = { [attr: string]: Value };
/**
 * null: null of the type at hand. Unknown: not known yet (possibly refined).
 * string | boolean | CtyNumber: primitives. Value[]: list, set (order meaningless) or tuple.
 * ObjectValue: object (every attribute present) or map. DynamicValue: a known value of type "dynamic".
 */
export type Value = null | Unknown | string | boolean | CtyNumber | DynamicValue | Value[] | ObjectValue;

export function isUnknown(v: Value): v is Unknown {
  return v instanceof Unknown;
}
export function isObject(v: Value): v is ObjectValue {
  return (
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    !(v instanceof Unknown) &&
    !(v instanceof CtyNumber) &&
    !(v instanceof DynamicValue)
  );
}

const DECIMAL = /^([+-])?(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** "1.50" -> "1.5", "-0" -> "0", "1e3" -> "1000", "0012" -> "12". Throws on non-numbers. */
function canonicalDecimal(text: string): string {
  const m = DECIMAL.exec(text);
  if (!m) throw new RangeError(`not a decimal number: ${JSON.stringify(text)}`);
  const [, sign, intPart, fracPart = '', exp = '0'] = m;
  let digits = intPart + fracPart;
  let point = intPart.length + Number(exp); // position of the decimal point within digits
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits = digits + '0'.repeat(point - digits.length);
  let whole = digits.slice(0, point).replace(/^0+/, '') || '0';
  const frac = digits.slice(point).replace(/0+$/, '');
  const negative = sign === '-' && (whole !== '0' || frac !== '');
  return (negative ? '-' : '') + whole + (frac ? '.' + frac : '');
}

function numberToPlainDecimal(n: number): string {
  // String(n) may use exponent notation (1e+21, 5e-7); canonicalDecimal expands it exactly.
  return canonicalDecimal(String(n));
}
