// cty JSON at the edges: each kind of mismatch between a value and its type when writing, each
// conversion and error when reading, and the parser's error messages with their offsets.
import t from 'tap';
import { CtyNumber, decodeJson, DynamicValue, encodeJson, UNKNOWN, type CtyType, type ObjectValue, type Value } from '../../src/values';
import { num } from './fixtures/hex';
import { errorOf } from '../support/values-error-of';

t.test('booleans both ways', async (t) => {
  t.equal(encodeJson(true, 'bool'), 'true');
  t.equal(encodeJson(false, 'bool'), 'false');
  t.same(decodeJson('[true,false,null]', ['list', 'bool']), [true, false, null]);
  t.same(decodeJson('["true","false"]', ['list', 'bool']), [true, false], 'the strings cty converts');
  t.same(decodeJson('[true,false]', ['list', 'string']), ['true', 'false']);
  t.equal(errorOf(() => decodeJson('"yes"', 'bool')), 'ValuePathError: bool is required');
});

t.test('writing a value of another shape than its type names the type', async (t) => {
  const cases: Array<[Value, CtyType, string]> = [
    [num('1'), 'string', 'string value expected'],
    ['true', 'bool', 'bool value expected'],
    ['1', 'number', 'number value expected'],
    ['x', 'dynamic', 'a known value of type dynamic must be a DynamicValue carrying its type'],
    ['ab', ['list', 'string'], 'list of string value expected'],
    ['ab', ['set', 'string'], 'set of string value expected'],
    [['a'], ['tuple', ['string', 'string']], 'tuple value expected'],
    [['a', 'b', 'c'], ['tuple', ['string', 'string']], 'tuple value expected'],
    [['x'], ['map', 'string'], 'map of string value expected'],
    [['x'], ['object', {}], 'object value expected'],
  ];
  for (const [value, type, message] of cases) {
    t.equal(errorOf(() => encodeJson(value, type)), `ValuePathError: ${message}`);
  }
  t.equal(encodeJson(['a', num('2')], ['tuple', ['string', 'number']]), '["a",2]');
});

t.test('errors inside a map name the key', async (t) => {
  t.equal(errorOf(() => encodeJson({ k: UNKNOWN }, ['map', 'string'])), 'ValuePathError: ["k"]: value is not known');
  t.equal(errorOf(() => encodeJson({ a: 'x', b: 1 as unknown as Value }, ['map', 'string'])), 'ValuePathError: ["b"]: string value expected');
  t.equal(errorOf(() => decodeJson('{"k":1}', ['map', 'bool'])), 'ValuePathError: ["k"]: bool is required');
});

t.test('reading: each element of a map is converted to the element type', async (t) => {
  const map = decodeJson('{"a":1.50,"b":"2e1"}', ['map', 'number']) as ObjectValue;
  t.ok(map.a instanceof CtyNumber && map.b instanceof CtyNumber);
  t.equal((map.a as CtyNumber).text, '1.5');
  t.equal((map.b as CtyNumber).text, '20');
  const odd = decodeJson('{"__proto__":1.50}', ['map', 'number']) as ObjectValue;
  t.ok(Object.prototype.hasOwnProperty.call(odd, '__proto__'));
  t.equal((Object.getOwnPropertyDescriptor(odd, '__proto__')!.value as CtyNumber).text, '1.5', 'the "__proto__" key too');
});

t.test('reading a number: its text, a numeric string, or an error', async (t) => {
  t.equal(errorOf(() => decodeJson('"abc"', 'number')), 'ValuePathError: a number is required, got "abc"');
  t.equal(errorOf(() => decodeJson('true', 'number')), 'ValuePathError: number is required');
  t.equal(errorOf(() => decodeJson('[1]', 'number')), 'ValuePathError: number is required');
  t.equal((decodeJson('1e+5', 'number') as CtyNumber).text, '100000');
  t.equal((decodeJson('1E-2', 'number') as CtyNumber).text, '0.01');
  t.equal((decodeJson('1e10', 'number') as CtyNumber).text, '10000000000');
  t.equal((decodeJson('-0.5e-10', 'number') as CtyNumber).text, '-0.00000000005');
});

t.test('reading JSON of the wrong shape names what was needed', async (t) => {
  const cases: Array<[string, CtyType, string]> = [
    ['{}', ['list', 'string'], 'need JSON array for list'],
    ['"ab"', ['set', 'string'], 'need JSON array for set'],
    ['{}', ['tuple', []], 'need JSON array for tuple'],
    ['[]', ['map', 'string'], 'need JSON object for map'],
    ['1', ['map', 'string'], 'need JSON object for map'],
    ['[]', ['object', {}], 'need JSON object for object'],
    ['"x"', ['object', {}], 'need JSON object for object'],
    ['[1]', 'dynamic', 'need JSON object for dynamically-typed value'],
    ['5', 'dynamic', 'need JSON object for dynamically-typed value'],
    ['{"value":1,"type":5}', 'dynamic', 'invalid type of dynamic value: numbers are not types'],
  ];
  for (const [text, type, message] of cases) t.equal(errorOf(() => decodeJson(text, type)), `ValuePathError: ${message}`, text);
  t.same(decodeJson('{"value":[1],"type":["list","number"]}', 'dynamic'), new DynamicValue(['list', 'number'], [num('1')]));
});

t.test('parser errors say what and where', async (t) => {
  const cases: Array<[string, string]> = [
    ['', 'invalid JSON at offset 0: unexpected end of JSON input'],
    ['  ', 'invalid JSON at offset 2: unexpected end of JSON input'],
    ['x', 'invalid JSON at offset 0: unexpected character'],
    ['[1,+2]', 'invalid JSON at offset 3: unexpected character'],
    ['tru', 'invalid JSON at offset 0: unexpected character'],
    ['nul ', 'invalid JSON at offset 0: unexpected character'],
    ['fals', 'invalid JSON at offset 0: unexpected character'],
    ['[1] x', 'invalid JSON at offset 4: unexpected data after the JSON value'],
    ['{1:2}', 'invalid JSON at offset 1: expected a string key'],
    ['{"a":1, 2:3}', 'invalid JSON at offset 8: expected a string key'],
    ['{"a" 1}', "invalid JSON at offset 5: expected ':'"],
    ['{"a":1 "b":2}', "invalid JSON at offset 7: expected ',' or '}'"],
    ['{"a":1', "invalid JSON at offset 6: expected ',' or '}'"],
    ['[1 2]', "invalid JSON at offset 3: expected ',' or ']'"],
    ['[1', "invalid JSON at offset 2: expected ',' or ']'"],
    ['"abc', 'invalid JSON at offset 0: unterminated string'],
    ['"a\tb"', 'invalid JSON at offset 2: control character in string'],
    ['["ok", "a\nb"]', 'invalid JSON at offset 9: control character in string'],
    ['"\\x"', 'invalid JSON at offset 0: invalid escape in string'],
    ['-', 'invalid JSON at offset 0: invalid number'],
    ['[-x]', 'invalid JSON at offset 1: invalid number'],
  ];
  for (const [text, message] of cases) t.equal(errorOf(() => decodeJson(text, ['list', 'number'])), `SyntaxError: ${message}`, JSON.stringify(text));
});

t.test('white space anywhere between tokens, and spaces inside strings', async (t) => {
  t.same(decodeJson('{ }', ['map', 'string']), {});
  t.same(decodeJson('[ ]', ['list', 'string']), []);
  t.same(decodeJson('{ "a" : "x y" , "b" :"z" }', ['map', 'string']), { a: 'x y', b: 'z' });
  t.same(decodeJson('[ "a" , "b" ]', ['list', 'string']), ['a', 'b']);
  t.equal(decodeJson('" "', 'string'), ' ');
  t.equal(decodeJson('false', 'bool'), false);
});
