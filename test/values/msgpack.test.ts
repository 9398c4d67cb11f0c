import t, { type Test } from 'tap';
import {
  CtyNumber,
  decodeMsgpack,
  DynamicValue,
  encodeMsgpack,
  Unknown,
  UNKNOWN,
  ValuePathError,
  type CtyType,
  type Value,
} from '../../src/values';
import { fromHex, hex, num, utf8Hex } from './fixtures/hex';

/** Encoding gives exactly `bytes`, and decoding `bytes` gives back an equal value. */
function bothWays(tt: Test, value: Value, type: CtyType, bytes: string, name: string): void {
  tt.equal(hex(encodeMsgpack(value, type)), bytes, `${name}: encode`);
  tt.same(decodeMsgpack(fromHex(bytes), type), value, `${name}: decode`);
}

t.test('null of any type is nil', async (t) => {
  bothWays(t, null, 'string', 'c0', 'string');
  bothWays(t, null, ['list', 'string'], 'c0', 'list');
  bothWays(t, null, ['object', { a: 'string' }], 'c0', 'object');
  bothWays(t, null, 'dynamic', 'c0', 'dynamic');
});

t.test('plain unknown is fixext1 type 0', async (t) => {
  t.equal(hex(encodeMsgpack(UNKNOWN, 'string')), 'd40000');
  t.equal(hex(encodeMsgpack(UNKNOWN, ['object', { a: 'number' }])), 'd40000');
  const decoded = decodeMsgpack(fromHex('d40000'), 'string');
  t.ok(decoded instanceof Unknown);
  t.equal((decoded as Unknown).refinements, undefined);
  // cty reads any extension of length 0 or 1 as a plain unknown, whatever its type code.
  t.ok(decodeMsgpack(fromHex('c70000'), 'number') instanceof Unknown, 'ext8 of length 0');
  t.ok(decodeMsgpack(fromHex('d40500'), 'number') instanceof Unknown, 'other type code');
  t.ok(decodeMsgpack(fromHex('d4ff00'), 'number') instanceof Unknown, 'type -1 is no timestamp here');
  t.throws(() => decodeMsgpack(fromHex('d6ff00000000'), 'number'), /unsupported extension type 0xff/);
});

t.test('refined unknown: ext 0x0c with a small-int keyed map', async (t) => {
  // As Terraform sent it for name = "x-${aws_sagemaker_model.m.arn}": {1: false, 2: "x-"}.
  const observed = 'c7070c8201c202a2782d';
  const decoded = decodeMsgpack(fromHex(observed), 'string');
  t.ok(decoded instanceof Unknown);
  t.same((decoded as Unknown).refinements, { nullable: false, stringPrefix: 'x-' });
  t.equal(hex(encodeMsgpack(decoded, 'string')), observed, 'encodes back to the same bytes');

  const numberUnknown = new Unknown({
    nullable: false,
    numberLowerBound: [num('0'), true],
    numberUpperBound: [num('3.14'), false],
  });
  // {1: false, 3: [0, true], 4: ["3.14", false]}
  const numberBytes = 'c70f0c83' + '01c2' + '0392' + '00c3' + '0492' + 'a4' + utf8Hex('3.14') + 'c2';
  t.equal(hex(encodeMsgpack(numberUnknown, 'number')), numberBytes);
  t.same((decodeMsgpack(fromHex(numberBytes), 'number') as Unknown).refinements, numberUnknown.refinements);

  const listUnknown = new Unknown({ collectionLengthLowerBound: 1, collectionLengthUpperBound: 3 });
  const listBytes = hex(encodeMsgpack(listUnknown, ['list', 'string']));
  t.equal(listBytes, 'c7050c8205010603', '{5: 1, 6: 3}');
  t.same((decodeMsgpack(fromHex(listBytes), ['list', 'string']) as Unknown).refinements, listUnknown.refinements);
});

t.test('refinements that cannot be written stay plain unknowns', async (t) => {
  t.equal(hex(encodeMsgpack(new Unknown({}), 'string')), 'd40000', 'empty refinements');
  t.equal(hex(encodeMsgpack(new Unknown({ stringPrefix: 'x' }), 'number')), 'd40000', 'prefix on a number');
  t.equal(hex(encodeMsgpack(new Unknown({ stringPrefix: '' }), 'string')), 'd40000', 'empty prefix');
  t.equal(hex(encodeMsgpack(new Unknown({ nullable: false }), 'dynamic')), 'd40000', 'dynamic is never refined');
  t.equal(hex(encodeMsgpack(new Unknown({ nullable: true }), 'string')), 'd40000', 'nullable is the default');
  const decoded = decodeMsgpack(fromHex('c7070c8201c202a2782d'), 'dynamic');
  t.ok(decoded instanceof Unknown);
  t.equal((decoded as Unknown).refinements, undefined, 'refinements of a dynamic are dropped, as cty does');
});

t.test('malformed unknown extensions are rejected', async (t) => {
  t.throws(() => decodeMsgpack(fromHex('d50500ff'), 'string'), /unsupported extension type 0x05/);
  t.throws(() => decodeMsgpack(fromHex('d50c01c2'), 'string'), /not a map/);
  const oversize = 'c80401' + '0c' + '81' + '02' + 'da03fc' + '61'.repeat(0x3fc);
  t.throws(() => decodeMsgpack(fromHex(oversize), 'string'), /oversize unknown value refinement/);
});

t.test('numbers as observed from Terraform: fixint, fixint, str, str, uint64', async (t) => {
  const type: CtyType = ['list', 'number'];
  const value = ['42', '-7', '3.14', '12345678901234567890123', '9007199254740993'].map(num);
  const bytes = '95' + '2a' + 'f9' + 'a4' + utf8Hex('3.14') + 'b7' + utf8Hex('12345678901234567890123') + 'cf0020000000000001';
  bothWays(t, value, type, bytes, 'observed list');
});

t.test('integer widths follow the compact encoding', async (t) => {
  const cases: [string, string][] = [
    ['0', '00'],
    ['127', '7f'],
    ['128', 'cc80'],
    ['65535', 'cdffff'],
    ['65536', 'ce00010000'],
    ['4294967295', 'ceffffffff'],
    ['4294967296', 'cf0000000100000000'],
    ['-32', 'e0'],
    ['-33', 'd0df'],
    ['-129', 'd1ff7f'],
    ['-32769', 'd2ffff7fff'],
    ['-2147483649', 'd3ffffffff7fffffff'],
    ['-9223372036854775808', 'd38000000000000000'],
    ['9223372036854775807', 'cf7fffffffffffffff'],
    ['18446744073709551615', 'cfffffffffffffffff'],
  ];
  for (const [text, bytes] of cases) bothWays(t, num(text), 'number', bytes, text);
});

t.test('non-integers: exact float64 when possible, else decimal text', async (t) => {
  bothWays(t, num('0.5'), 'number', 'cb3fe0000000000000', '0.5');
  bothWays(t, num('-2.75'), 'number', 'cbc006000000000000', '-2.75');
  bothWays(t, num('0.1'), 'number', 'a3' + utf8Hex('0.1'), '0.1 is not a binary fraction');
  // 2^-30 is exact in binary; its shortest JS spelling (9.313225746154785e-10) is not its value.
  bothWays(t, num('0.000000000931322574615478515625'), 'number', 'cb3e10000000000000', '2^-30');
  // Integers beyond uint64: float64 if exact, as cty does, else text.
  bothWays(t, num('100000000000000000000'), 'number', 'cb4415af1d78b58c40', '1e20');
  bothWays(t, num('18446744073709551617'), 'number', 'b4' + utf8Hex('18446744073709551617'), '2^64+1');
});

t.test('number decoding accepts every form cty accepts, without rounding', async (t) => {
  const decode = (bytes: string) => (decodeMsgpack(fromHex(bytes), 'number') as CtyNumber).text;
  t.equal(decode('ca3f000000'), '0.5', 'float32');
  t.equal(decode('ca3dcccccd'), '0.100000001490116119384765625', 'float32 0.1 is its exact value');
  t.equal(decode('a3' + utf8Hex('1e3')), '1000', 'numeric string with exponent');
  t.equal(decode('a4' + utf8Hex('1.50')), '1.5', 'numeric string is canonicalised');
  t.equal(decode('cb43e0000000000000'), '9223372036854775808', 'float64 2^63 is exact');
  t.equal(decode('d3fffffffffffffff9'), '-7', 'int64 holding a small value');
  t.throws(() => decode('a3' + utf8Hex('abc')), /number is required/);
  t.throws(() => decode('c3'), /number is required/);
  t.throws(() => decode('cb7ff0000000000000'), /number is required/, 'infinity has no decimal form');
});

t.test('dynamic: [type JSON as bin, value]', async (t) => {
  bothWays(t, new DynamicValue('string', 'hi'), 'dynamic', '92c408' + utf8Hex('"string"') + 'a26869', 'string');
  bothWays(t, new DynamicValue('string', null), 'dynamic', '92c408' + utf8Hex('"string"') + 'c0', 'typed null');
  bothWays(t, null, 'dynamic', 'c0', 'null of unknown type');
  bothWays(t, UNKNOWN, 'dynamic', 'd40000', 'wholly unknown');
  const listType: CtyType = ['list', 'number'];
  const typeJson = '["list","number"]';
  bothWays(
    t,
    new DynamicValue(listType, [num('1'), UNKNOWN]),
    'dynamic',
    '92c4' + typeJson.length.toString(16) + utf8Hex(typeJson) + '9201d40000',
    'list with an unknown',
  );
  const objectType: CtyType = ['object', { z: 'bool', a: 'string' }];
  const objectJson = '["object",{"a":"string","z":"bool"}]';
  t.equal(
    hex(encodeMsgpack(new DynamicValue(objectType, { z: true, a: 'x' }), 'dynamic')),
    '92c4' + objectJson.length.toString(16) + utf8Hex(objectJson) + '82a161a178a17ac3',
    'type JSON and value keys are sorted',
  );
  t.same(
    decodeMsgpack(fromHex('92a8' + utf8Hex('"string"') + 'a26869'), 'dynamic'),
    new DynamicValue('string', 'hi'),
    'type JSON as str is accepted too',
  );
  t.throws(() => encodeMsgpack('hi', 'dynamic'), ValuePathError, 'a known dynamic needs its type');
  t.throws(() => decodeMsgpack(fromHex('91c0'), 'dynamic'), /exactly two elements/);
  t.throws(() => decodeMsgpack(fromHex('92a3' + utf8Hex('"x"') + 'c0'), 'dynamic'), /invalid type/);
});

t.test('collections, objects and tuples nest', async (t) => {
  const type: CtyType = [
    'object',
    { d: ['tuple', ['string', 'number']], a: ['list', 'string'], c: ['map', 'bool'], b: ['set', 'number'] },
  ];
  const value = { d: ['x', num('1')], c: { z: true, y: false }, b: [num('2'), num('1')], a: ['p', 'q'] };
  const bytes = '84' + 'a161' + '92a170a171' + 'a162' + '920201' + 'a163' + '82a179c2a17ac3' + 'a164' + '92a17801';
  t.equal(hex(encodeMsgpack(value, type)), bytes, 'object and map keys written sorted');
  t.same(decodeMsgpack(fromHex(bytes), type), value);

  const blocks: CtyType = ['list', ['object', { image: 'string', env: ['map', 'string'] }]];
  const blockValue = [{ image: 'img', env: { K: 'v' } }, { image: 'i2', env: null }];
  const blockBytes = '92' + '82a3656e7681a14ba176a5696d616765a3696d67' + '82a3656e76c0a5696d616765a26932';
  t.equal(hex(encodeMsgpack(blockValue, blocks)), blockBytes);
  t.same(decodeMsgpack(fromHex(blockBytes), blocks), blockValue);
});

t.test('null, empty list and empty map stay apart', async (t) => {
  bothWays(t, [], ['list', 'string'], '90', 'empty list');
  bothWays(t, null, ['list', 'string'], 'c0', 'null list');
  bothWays(t, {}, ['map', 'string'], '80', 'empty map');
  bothWays(t, null, ['map', 'string'], 'c0', 'null map');
  bothWays(t, [], ['set', 'string'], '90', 'empty set');
  const type: CtyType = ['object', { l: ['list', 'string'], m: ['map', 'string'] }];
  t.same(decodeMsgpack(fromHex('82a16c90a16dc0'), type), { l: [], m: null });
  t.same(decodeMsgpack(fromHex('82a16cc0a16d80'), type), { l: null, m: {} });
});

t.test('objects: every attribute written; missing ones decode as null, extra ones fail', async (t) => {
  const type: CtyType = ['object', { a: 'string', b: 'string' }];
  t.equal(hex(encodeMsgpack({ a: 'x' }, type)), '82a161a178a162c0', 'absent attribute written as nil');
  t.same(decodeMsgpack(fromHex('81a161a178'), type), { a: 'x', b: null });
  t.throws(() => decodeMsgpack(fromHex('83a161a178a162c0a17ac0'), type), {
    name: 'ValuePathError',
    message: 'z: unsupported attribute',
  });
});

t.test('type mismatches name the path', async (t) => {
  const type: CtyType = ['object', { tags: ['map', 'string'], items: ['list', ['object', { n: 'number' }]] }];
  t.throws(() => encodeMsgpack({ tags: { k: true }, items: [] }, type), { message: 'tags["k"]: string value expected' });
  t.throws(() => encodeMsgpack({ tags: {}, items: [{ n: 'x' }] }, type), { message: 'items[0].n: number value expected' });
  t.throws(() => decodeMsgpack(fromHex('82a47461677381a16bc3a56974656d7390'), type), {
    message: 'tags["k"]: string is required',
  });
  t.throws(() => decodeMsgpack(fromHex('92a178a179'), ['tuple', ['string']]), /tuple of length 1/);
});

t.test('malformed msgpack is a ValuePathError', async (t) => {
  t.throws(() => decodeMsgpack(fromHex('92a178'), ['list', 'string']), { name: 'ValuePathError', message: /invalid msgpack/ });
  t.throws(() => decodeMsgpack(fromHex('a178c0'), 'string'), { message: /invalid msgpack/ }, 'trailing bytes');
});

// Nulls inside collections are values of their own: `tags = { k = null }` reaches a provider as a map whose element
// is nil, and must come back as such. The bytes follow the msgpack spec and go-cty's encoder (keys sorted, every
// element written): fixmap/fixarray headers, fixstr keys, c0 for nil.
t.test('nulls inside maps, lists, sets, tuples and objects are written and read as nil', async (t) => {
  bothWays(t, { k: null }, ['map', 'string'], '81a16bc0', 'tags = { k = null }');
  bothWays(t, { a: 'x', k: null, z: 'y' }, ['map', 'string'], '83a161a178a16bc0a17aa179', 'a null among other tags');
  bothWays(t, [null, 'a', null], ['list', 'string'], '93c0a161c0', 'list');
  bothWays(t, [null, 'a'], ['set', 'string'], '92c0a161', 'set');
  bothWays(t, [null, num('1')], ['tuple', ['string', 'number']], '92c001', 'tuple');
  bothWays(t, { a: null, b: 'x' }, ['object', { a: 'string', b: 'string' }], '82a161c0a162a178', 'object attribute');
  bothWays(t, { m: { k: null }, l: [null] }, ['object', { l: ['list', 'string'], m: ['map', 'string'] }], '82a16c91c0a16d81a16bc0', 'nested');
  bothWays(t, [{ env: { K: null } }], ['list', ['object', { env: ['map', 'string'] }]], '9181a3656e7681a14bc0', 'a block element\'s map');
  bothWays(t, { k: [null] }, ['map', ['list', 'bool']], '81a16b91c0', 'a map of lists');
  bothWays(t, new DynamicValue(['map', 'string'], { k: null }), 'dynamic', '92c410' + utf8Hex('["map","string"]') + '81a16bc0', 'in a dynamic value');
  t.same(decodeMsgpack(fromHex('81a16bd40000'), ['map', 'string']), { k: UNKNOWN }, 'unknown and null stay apart inside a map');
  t.same(decodeMsgpack(fromHex('81a16bc0'), ['map', 'string']), { k: null });
});
