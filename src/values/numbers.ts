// Exact conversions between cty's decimal numbers and the binary forms of the wire (int64, uint64,
// float64). cty writes a float64 only when it equals the decimal exactly, so reading a float64 back
// as its exact decimal expansion recovers the original text; rounding anywhere here would surface in
// Terraform as "planned value does not match config value".
import { CtyNumber } from './value';

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** What a cty number is written as in msgpack: a JS number (int or float64), a 64-bit BigInt, or text. */
export type WireNumber = number | bigint | string;

/**
 * The msgpack form cty would choose: integers as ints (JS number when it fits 32 bits, so the encoder
 * picks the compact width; BigInt for the 64-bit range), other values exactly representable as
 * float64 as a float, everything else as decimal text.
 */
export function numberToWire(n: CtyNumber): WireNumber {
  const text = n.text;
  if (n.isInteger()) {
    const small = Number(text);
    if (small >= -0x80000000 && small <= 0xffffffff) return small;
    const big = BigInt(text);
    if (big >= INT64_MIN && big <= UINT64_MAX) return big;
  }
  return isExactDouble(text) ? Number(text) : text;
}

/** Whether the canonical decimal `text` is exactly some finite float64. */
export function isExactDouble(text: string): boolean {
  const negative = text.startsWith('-');
  const unsigned = negative ? text.slice(1) : text;
  const point = unsigned.indexOf('.');
  const fraction = point < 0 ? '' : unsigned.slice(point + 1);
  let k = fraction.length; // value = digits / 10^k = digits / (2^k * 5^k)
  if (k > 1074) return false;
  let digits = BigInt(point < 0 ? unsigned : unsigned.slice(0, point) + fraction);
  if (digits === 0n) return true;
  if (k > 0) {
    const five = 5n ** BigInt(k);
    if (digits % five !== 0n) return false;
    digits /= five;
  }
  // value = digits * 2^-k: move factors of two into the exponent, then check the significand width.
  while ((digits & 1n) === 0n) {
    digits >>= 1n;
    k--;
  }
  if (digits >= 2n ** 53n) return false;
  // The exponent -k is at least -1074 (the smallest subnormal, 2^-1074) since k started at most 1074 and
  // only went down; a 53-bit odd significand must stay below 2^1024.
  return -k + digits.toString(2).length <= 1024;
}

/** The exact decimal value of a finite double (every double has a finite decimal expansion). */
export function numberFromDouble(value: number): CtyNumber {
  if (!Number.isFinite(value)) throw new RangeError(`infinite or NaN numbers are not supported: ${value}`);
  // value = m / 2^k with m an integer (k = 0 for an integer); doubling is exact for finite non-integers.
  let m = value;
  let k = 0;
  while (!Number.isInteger(m)) {
    m *= 2;
    k++;
  }
  const negative = m < 0;
  const digits = (BigInt(Math.abs(m)) * 5n ** BigInt(k)).toString().padStart(k + 1, '0');
  const text = `${digits.slice(0, digits.length - k)}.${digits.slice(digits.length - k)}`;
  return new CtyNumber(negative ? `-${text}` : text);
}

/** A number as read from msgpack (int, 64-bit BigInt, float, or numeric text). */
export function numberFromWire(raw: number | bigint | string): CtyNumber {
  if (typeof raw === 'number') return numberFromDouble(raw);
  return new CtyNumber(String(raw)); // a 64-bit integer or numeric text
}
