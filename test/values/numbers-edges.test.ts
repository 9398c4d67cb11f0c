// cty numbers: canonical decimal text, conversions from JS numbers, the exactness test that decides
// between float64 and text on the wire, and the compact integer widths cty's msgpack encoder picks.
import t from 'tap';
import { CtyNumber, decodeJson, decodeMsgpack, encodeMsgpack, isExactDouble, isUnknown, numberFromDouble, UNKNOWN } from '../../src/values';
import { fromHex, hex, num, utf8Hex } from './fixtures/hex';
import { errorOf } from '../support/values-error-of';

t.test('canonical decimal text', async (t) => {
  t.equal(num('0012').text, '12', 'leading zeros dropped');
  t.equal(num('000.5').text, '0.5');
  t.equal(num('1.500').text, '1.5', 'trailing zeros dropped');
  t.equal(num('1.000').text, '1');
  t.equal(num('-0').text, '0', 'zero has no sign');
  t.equal(num('-0.000').text, '0');
  t.equal(num('-0.5').text, '-0.5');
  t.equal(num('-12').text, '-12');
  t.equal(num('+12').text, '12');
  t.equal(num('12').text, '12');
  t.equal(num('1e10').text, '10000000000');
  t.equal(num('1.5e-3').text, '0.0015');
  t.equal(num('125e-2').text, '1.25');
  t.equal(num('1.').text, '1');
});

t.test('text that is not a decimal number is rejected, as cty does', async (t) => {
  for (const text of ['abc', '12abc', 'x12', '', '1e', '1.2.3', ' 12', '12 ', '--1', '0x10', 'Infinity']) {
    t.equal(errorOf(() => num(text)), `RangeError: not a decimal number: ${JSON.stringify(text)}`, JSON.stringify(text));
  }
  t.equal(errorOf(() => decodeJson('" 12"', 'number')), 'ValuePathError: a number is required, got " 12"');
});

t.test('CtyNumber.of, toNumber, equals, toString', async (t) => {
  t.equal(CtyNumber.of(1.5).text, '1.5');
  t.equal(CtyNumber.of(-7).text, '-7');
  t.equal(CtyNumber.of(1e21).text, '1000000000000000000000', 'no exponent form');
  t.equal(CtyNumber.of(5e-7).text, '0.0000005');
  t.equal(CtyNumber.of(12345678901234567890n).text, '12345678901234567890');
  t.equal(CtyNumber.of('1.50').text, '1.5');
  t.equal(errorOf(() => CtyNumber.of(Infinity)), 'RangeError: not a finite number: Infinity');
  t.equal(errorOf(() => CtyNumber.of(NaN)), 'RangeError: not a finite number: NaN');
  t.equal(num('1.5').toNumber(), 1.5);
  t.equal(num('-12').toNumber(), -12);
  t.equal(num('1.50').equals(num('1.5')), true);
  t.equal(num('1.5').equals(num('1.51')), false);
  t.equal(num('2').toString(), '2');
  t.equal(`${num('0.10')}`, '0.1');
  t.equal(isUnknown(UNKNOWN), true);
  t.equal(isUnknown(null), false);
  t.equal(isUnknown('x'), false);
});

t.test('isExactDouble at the ends of the float64 range', async (t) => {
  const smallest = numberFromDouble(2 ** -1074).text;
  t.equal(isExactDouble(smallest), true, 'the smallest subnormal, 2^-1074');
  t.equal(isExactDouble('-' + smallest), true);
  t.equal(isExactDouble('0.' + '0'.repeat(1074) + '1'), false, 'more fraction digits than any double has');
  t.equal(isExactDouble(String(2n ** 1023n)), true, '2^1023');
  t.equal(isExactDouble(String(2n ** 1024n)), false, '2^1024 is beyond the largest double');
  t.equal(isExactDouble(String(2n ** 53n + 1n)), false);
  t.equal(isExactDouble(String(2n ** 53n)), true);
  t.equal(isExactDouble('0.25'), true);
  t.equal(isExactDouble('3'), true);
  t.equal(errorOf(() => numberFromDouble(-Infinity)), 'RangeError: infinite or NaN numbers are not supported: -Infinity');
  t.equal(errorOf(() => numberFromDouble(NaN)), 'RangeError: infinite or NaN numbers are not supported: NaN');
});

t.test('numberFromDouble of integers and negative fractions', async (t) => {
  t.equal(numberFromDouble(0).text, '0');
  t.equal(numberFromDouble(-0).text, '0');
  t.equal(numberFromDouble(-3).text, '-3');
  t.equal(numberFromDouble(2 ** 60).text, '1152921504606846976');
  t.equal(numberFromDouble(-(2 ** 60)).text, '-1152921504606846976');
  t.equal(numberFromDouble(-0.75).text, '-0.75');
  t.equal(numberFromDouble(1.5).text, '1.5');
});

t.test('integers take the compact msgpack width whatever their sign, as cty (vmihailenco/msgpack EncodeInt) writes them', async (t) => {
  const cases: Array<[string, string]> = [
    ['-2147483648', 'd280000000'],
    ['-1000000000', 'd2c4653600'],
    ['-2147483649', 'd3ffffffff7fffffff'],
    ['-9223372036854775809', 'b4' + utf8Hex('-9223372036854775809')],
  ];
  for (const [text, bytes] of cases) {
    t.equal(hex(encodeMsgpack(num(text), 'number')), bytes, text);
    t.equal((decodeMsgpack(fromHex(bytes), 'number') as CtyNumber).text, text, `${text} read back`);
  }
});

t.test('only msgpack numbers and numeric strings read as numbers', async (t) => {
  t.equal(errorOf(() => decodeMsgpack(fromHex('9101'), 'number')), 'ValuePathError: number is required', 'an array holding a number');
  t.equal(errorOf(() => decodeMsgpack(fromHex('c3'), 'number')), 'ValuePathError: number is required', 'a boolean');
  t.equal(errorOf(() => decodeMsgpack(fromHex('c40131'), 'number')), 'ValuePathError: number is required', 'binary data');
  t.equal(errorOf(() => decodeMsgpack(fromHex('a3616263'), 'number')), 'ValuePathError: number is required', 'a string that is no number');
  t.equal((decodeMsgpack(fromHex('a3312e35'), 'number') as CtyNumber).text, '1.5', 'a numeric string');
});
