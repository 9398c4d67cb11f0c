import t from 'tap';
import {
  CtyNumber,
  decodeJson,
  DynamicValue,
  encodeJson,
  Unknown,
  UNKNOWN,
  ValuePathError,
  type CtyType,
  type ObjectValue,
} from '../../src/values';
import { num } from './fixtures/hex';

t.test('big integers and long decimals are exact both ways', async (t) => {
  const type: CtyType = ['list', 'number'];
  const text = '[42,-7,3.14,12345678901234567890123,9007199254740993,0.1000000000000000000000000001,-9223372036854775809]';
  const value = decodeJson(text, type) as CtyNumber[];
  t.same(
    value.map((n) => n.text),
    ['42', '-7', '3.14', '12345678901234567890123', '9007199254740993', '0.1000000000000000000000000001', '-9223372036854775809'],
  );
  t.equal(encodeJson(value, type), text);
  t.equal((decodeJson('1.50e3', 'number') as CtyNumber).text, '1500', 'exponents are expanded');
  t.equal(encodeJson(num('1e-7'), 'number'), '0.0000001', 'numbers are written in plain decimal');
});

t.test('dynamic values are {"value", "type"} objects', async (t) => {
  const text = '{"value":{"a":[1,null]},"type":["object",{"a":["list","number"]}]}';
  const value = decodeJson(text, 'dynamic');
  t.same(value, new DynamicValue(['object', { a: ['list', 'number'] }], { a: [num('1'), null] }));
  t.equal(encodeJson(value, 'dynamic'), text);
  t.same(decodeJson('{"type":"string","value":"x"}', 'dynamic'), new DynamicValue('string', 'x'), 'key order is free');
  t.same(decodeJson('{"value":null,"type":"string"}', 'dynamic'), new DynamicValue('string', null), 'typed null');
  t.equal(decodeJson('null', 'dynamic'), null);
  t.throws(() => decodeJson('{"value":1}', 'dynamic'), /missing type/);
  t.throws(() => decodeJson('{"type":"number"}', 'dynamic'), /missing value/);
  t.throws(() => decodeJson('{"value":1,"type":"number","x":1}', 'dynamic'), /invalid key "x"/);
  t.throws(() => decodeJson('"x"', 'dynamic'), /need JSON object/);
  t.throws(() => decodeJson('{"value":1,"type":"nope"}', 'dynamic'), /invalid type/);
});

t.test('unknown values cannot be written as JSON', async (t) => {
  const type: CtyType = ['object', { a: ['object', { b: ['list', 'string'] }] }];
  t.throws(() => encodeJson({ a: { b: ['x', UNKNOWN] } }, type), {
    name: 'ValuePathError',
    message: 'a.b[1]: value is not known',
  });
  t.throws(() => encodeJson(new Unknown({ nullable: false }), 'string'), { message: 'value is not known' });
});

t.test('objects: missing attributes become null, extra attributes are named', async (t) => {
  const type: CtyType = ['object', { a: 'string', b: ['list', 'string'], c: ['map', 'string'] }];
  t.same(decodeJson('{"a":"x"}', type), { a: 'x', b: null, c: null });
  t.throws(() => decodeJson('{"a":"x","zz":1}', type), { message: 'unsupported attribute "zz"' });
  t.throws(() => decodeJson('{"b":["x",{}]}', type), { message: 'b[1]: string is required' });
  t.equal(encodeJson({ c: { y: '2', x: '1' }, a: 'x', b: [] }, type), '{"a":"x","b":[],"c":{"x":"1","y":"2"}}');
  t.equal(encodeJson({ a: 'x' }, type), '{"a":"x","b":null,"c":null}', 'absent attributes written as null');
});

t.test('null, empty list and empty map stay apart', async (t) => {
  const type: CtyType = ['object', { l: ['list', 'string'], m: ['map', 'string'], s: ['set', 'string'] }];
  const a = decodeJson('{"l":[],"m":null,"s":null}', type);
  const b = decodeJson('{"l":null,"m":{},"s":[]}', type);
  t.same(a, { l: [], m: null, s: null });
  t.same(b, { l: null, m: {}, s: [] });
  t.equal(encodeJson(a, type), '{"l":[],"m":null,"s":null}');
  t.equal(encodeJson(b, type), '{"l":null,"m":{},"s":[]}');
});

t.test('primitive conversions cty accepts in JSON', async (t) => {
  t.equal(decodeJson('12', 'string'), '12', 'number token where a string is wanted keeps its text');
  t.equal(decodeJson('true', 'string'), 'true');
  t.equal((decodeJson('"12.0"', 'number') as CtyNumber).text, '12', 'numeric string where a number is wanted');
  t.equal(decodeJson('"false"', 'bool'), false);
  t.throws(() => decodeJson('"abc"', 'number'), /number is required/);
  t.throws(() => decodeJson('1', 'bool'), /bool is required/);
  t.throws(() => decodeJson('[1]', ['tuple', ['number', 'number']]), /tuple of length 2/);
});

t.test('strings: escapes, unicode, bytes input', async (t) => {
  t.equal(decodeJson('"a\\"b\\u00e9\\ud83d\\ude00\\n"', 'string'), 'a"bé😀\n');
  t.equal(decodeJson(Buffer.from('"héllo"', 'utf8'), 'string'), 'héllo');
  t.equal(encodeJson('a"b\n', 'string'), '"a\\"b\\n"');
  const map = decodeJson('{"__proto__":"x"}', ['map', 'string']) as ObjectValue;
  t.equal(Object.getPrototypeOf(map), Object.prototype, 'a "__proto__" key does not change the prototype');
  t.same(Object.keys(map), ['__proto__']);
});

t.test('malformed JSON is a SyntaxError', async (t) => {
  for (const bad of ['', '{"a":1,}', '[1 2]', 'tru', '"abc', '01', '1.', '{"a"}', '[1] x', '"\\x"', '"a\tb"']) {
    t.throws(() => decodeJson(bad, ['map', 'number']), SyntaxError, JSON.stringify(bad));
  }
  t.notOk(decodeJson(' \n\t{ "a" : 1 } \r\n', ['map', 'number']) instanceof ValuePathError, 'whitespace is fine');
});

// What terraform.tfstate and `terraform show -json` hold for `tags = { k = null }`: a map whose element is null.
t.test('nulls inside maps, lists, sets, tuples and objects are written and read as null', async (t) => {
  const cases: [unknown, CtyType, string][] = [
    [{ k: null }, ['map', 'string'], '{"k":null}'],
    [{ a: 'x', k: null }, ['map', 'string'], '{"a":"x","k":null}'],
    [[null, 'a', null], ['list', 'string'], '[null,"a",null]'],
    [[null, 'a'], ['set', 'string'], '[null,"a"]'],
    [[null, num('1')], ['tuple', ['string', 'number']], '[null,1]'],
    [{ a: null, b: 'x' }, ['object', { a: 'string', b: 'string' }], '{"a":null,"b":"x"}'],
    [[{ env: { K: null } }], ['list', ['object', { env: ['map', 'string'] }]], '[{"env":{"K":null}}]'],
    [{ k: [null] }, ['map', ['list', 'bool']], '{"k":[null]}'],
  ];
  for (const [value, type, text] of cases) {
    t.equal(encodeJson(value as ObjectValue, type), text, `encode ${text}`);
    t.same(decodeJson(text, type), value, `decode ${text}`);
  }
  t.same(decodeJson('{"value":{"k":null},"type":["map","string"]}', 'dynamic'), new DynamicValue(['map', 'string'], { k: null }), 'in a dynamic value');
  t.equal(encodeJson(new DynamicValue(['map', 'string'], { k: null }), 'dynamic'), '{"value":{"k":null},"type":["map","string"]}');
});
