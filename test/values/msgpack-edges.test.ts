// cty msgpack at its edges: values that do not fit their type (each refused with its path and what was expected),
// bytes Terraform could send in other valid forms (a string as bin, a length bound as uint64), and unknown-value
// refinements that are malformed, unknown or on the wrong type. The bytes follow the msgpack spec and go-cty's
// msgpack package (marshal.go, unmarshal.go, unknown_refinement.go).
import t from 'tap';
import { decodeMsgpack, encodeMsgpack, DynamicValue, Unknown, UNKNOWN, type CtyType } from '../../src/values';
import { fromHex, hex, num, utf8Hex } from './fixtures/hex';

/** The refinement extension (type 0x0c) of `mapHex`, as ext8. */
const refined = (mapHex: string) => `c7${(mapHex.length / 2).toString(16).padStart(2, '0')}0c${mapHex}`;

t.test('encoding: a value that does not fit its type is refused with its path', async (t) => {
  t.throws(() => encodeMsgpack('true', 'bool'), { name: 'ValuePathError', message: 'bool value expected' });
  t.throws(() => encodeMsgpack(['a', 'b'], ['tuple', ['string']]), { message: 'tuple value expected' }, 'a tuple of another length');
  t.throws(() => encodeMsgpack('a', ['tuple', ['string']]), { message: /^tuple.* value expected$/ }, 'not a tuple');
  t.throws(() => encodeMsgpack(['a', true], ['tuple', ['string', 'string']]), { message: '[1]: string value expected' });
  t.throws(() => encodeMsgpack(['a', 'b'], ['map', 'string']), { message: 'map of string value expected' }, 'a list for a map');
  t.throws(() => encodeMsgpack('x', ['object', { a: 'string' }]), { message: /^object.* value expected$/ }, 'a string for an object');
  t.throws(() => encodeMsgpack(['a', 1 as never], ['list', 'string']), { message: '[1]: string value expected' }, 'a list element');
  t.throws(() => encodeMsgpack('ab', ['list', 'string']), { message: /^list of string value expected$/ }, 'a string for a list');
  t.throws(() => encodeMsgpack({ a: 'b' }, ['set', 'string']), { message: /^set of string value expected$/ }, 'a map for a set');
  t.throws(() => encodeMsgpack('hi', 'dynamic'), { message: 'a known value of type dynamic must be a DynamicValue carrying its type' });
});

t.test('encoding: a map key "__proto__" is written as an ordinary key', async (t) => {
  const value = JSON.parse('{"__proto__":"x","a":"y"}') as Record<string, string>;
  t.equal(hex(encodeMsgpack(value, ['map', 'string'])), '82a95f5f70726f746f5f5fa178a161a179');
  t.equal(hex(encodeMsgpack({ m: value }, ['object', { m: ['map', 'string'] }])), '81a16d82a95f5f70726f746f5f5fa178a161a179', 'inside an object');
});

t.test('encoding: dynamic values of every primitive type name it', async (t) => {
  t.equal(hex(encodeMsgpack(new DynamicValue('number', num('1')), 'dynamic')), '92c408' + utf8Hex('"number"') + '01');
  t.equal(hex(encodeMsgpack(new DynamicValue('bool', true), 'dynamic')), '92c406' + utf8Hex('"bool"') + 'c3');
  t.equal(hex(encodeMsgpack(new DynamicValue('string', 'x'), 'dynamic')), '92c408' + utf8Hex('"string"') + 'a178');
});

t.test('encoding: each refinement only where cty writes it', async (t) => {
  // Number bounds belong to numbers, length bounds to lists, sets and maps; elsewhere they are left out.
  t.equal(hex(encodeMsgpack(new Unknown({ numberLowerBound: [num('1'), true] }), 'string')), 'd40000', 'a number bound on a string');
  t.equal(hex(encodeMsgpack(new Unknown({ nullable: false, collectionLengthLowerBound: 1 }), 'string')), refined('8101c2'), 'a length bound on a string');
  t.equal(hex(encodeMsgpack(new Unknown({ collectionLengthLowerBound: 1 }), ['map', 'string'])), refined('810501'), 'a map');
  t.equal(hex(encodeMsgpack(new Unknown({ collectionLengthLowerBound: 1 }), ['set', 'string'])), refined('810501'), 'a set');
  t.equal(hex(encodeMsgpack(new Unknown({ collectionLengthLowerBound: 1 }), ['object', { a: 'string' }])), 'd40000', 'an object has no length');
  t.equal(hex(encodeMsgpack(new Unknown({ collectionLengthUpperBound: 3 }), ['list', 'string'])), refined('810603'), 'an upper bound alone');
  t.equal(hex(encodeMsgpack(new Unknown({ collectionLengthUpperBound: 0 }), ['list', 'string'])), refined('810600'), 'an upper bound of 0');
  t.equal(hex(encodeMsgpack(new Unknown({ collectionLengthLowerBound: 2 }), ['list', 'string'])), refined('810502'), 'a lower bound alone');
  // Bounds past 32 bits are written as 64-bit integers, and read back exactly.
  const big = new Unknown({ numberLowerBound: [num('9007199254740993'), true] });
  const bytes = hex(encodeMsgpack(big, 'number'));
  t.equal(bytes, refined('810392cf0020000000000001c3'));
  t.same((decodeMsgpack(fromHex(bytes), 'number') as Unknown).refinements, big.refinements);
});

t.test('decoding: what does not fit the type is refused with its path', async (t) => {
  t.throws(() => decodeMsgpack(fromHex('a474727565'), 'bool'), { name: 'ValuePathError', message: 'bool is required' });
  t.throws(() => decodeMsgpack(fromHex('c3'), 'number'), { message: 'number is required' });
  t.throws(() => decodeMsgpack(fromHex('91a131'), 'number'), { message: /^number is required$/ }, 'a list for a number');
  t.throws(() => decodeMsgpack(fromHex('a178'), ['list', 'string']), { message: 'a list is required' });
  t.throws(() => decodeMsgpack(fromHex('a178'), ['set', 'string']), { message: 'a set is required' });
  t.throws(() => decodeMsgpack(fromHex('a178'), ['tuple', ['string']]), { message: 'a tuple is required' });
  t.throws(() => decodeMsgpack(fromHex('91a178'), ['map', 'string']), { message: 'a map is required' });
  t.throws(() => decodeMsgpack(fromHex('c40161'), ['map', 'string']), { message: 'a map is required' }, 'bin is no map');
  t.throws(() => decodeMsgpack(fromHex('91a178'), ['object', { a: 'string' }]), { message: 'an object is required' });
  t.throws(() => decodeMsgpack(fromHex('92a178c3'), ['list', 'string']), { message: '[1]: string is required' });
  t.throws(() => decodeMsgpack(fromHex('92a178c3'), ['tuple', ['string', 'string']]), { message: '[1]: string is required' });
  t.throws(() => decodeMsgpack(fromHex('c401ff'), 'string'), { message: 'invalid UTF-8 text' });
  t.throws(() => decodeMsgpack(fromHex('9205c0'), 'dynamic'), { message: 'invalid type of dynamic value: type must be JSON text' });
});

t.test('decoding: a string may come as bin', async (t) => {
  t.equal(decodeMsgpack(fromHex('c4026869'), 'string'), 'hi');
  t.same(decodeMsgpack(fromHex('92c4026869a178'), ['list', 'string']), ['hi', 'x']);
});

t.test('decoding refinements: unknown keys ignored, "definitely null" dropped, bounds in every integer form', async (t) => {
  t.equal(decodeMsgpack(fromHex(refined('810901')), 'string'), UNKNOWN, 'only an unknown key: a plain unknown');
  t.equal(decodeMsgpack(fromHex(refined('8101c3')), 'string'), UNKNOWN, 'nullness true says nothing more');
  t.same((decodeMsgpack(fromHex(refined('8105cf0000000000000002')), ['list', 'string']) as Unknown).refinements, { collectionLengthLowerBound: 2 }, 'a uint64 length');
  t.same((decodeMsgpack(fromHex(refined('8103' + '92cf0000000000000005c2')), 'number') as Unknown).refinements, { numberLowerBound: [num('5'), false] }, 'a uint64 bound');
  // The largest payload cty reads: 1024 bytes.
  const prefix = 'a'.repeat(1019);
  const payload = '8102da03fb' + utf8Hex(prefix);
  t.same((decodeMsgpack(fromHex(`c80400 0c${payload}`), 'string') as Unknown).refinements, { stringPrefix: prefix });
});

t.test('decoding refinements: malformed ones are refused', async (t) => {
  const refusal = (mapHex: string, type: CtyType, detail: string) =>
    t.throws(() => decodeMsgpack(fromHex(refined(mapHex)), type), { name: 'ValuePathError', message: `failed to decode msgpack extension body: ${detail}` }, detail);
  refusal('810101', 'string', 'null refinement is not boolean');
  refusal('810201', 'string', 'string prefix refinement is not string');
  refusal('8105c3', ['list', 'string'], 'length bound refinement must be integer');
  const bound = 'number bound refinement must be [number, bool] array';
  refusal('810301', 'number', bound);
  refusal('81039101', 'number', bound);
  refusal('8103920101', 'number', bound);
  refusal('810392c3c3', 'number', bound);
  refusal('810392a3616263c3', 'number', bound);
  refusal('81039301c301', 'number', bound);
  refusal('81039291a131c3', 'number', bound);
  t.throws(() => decodeMsgpack(fromHex('d50cc100'), 'string'), { message: /^failed to decode msgpack extension body$/ }, 'not msgpack');
  t.throws(() => decodeMsgpack(fromHex('d50cc0c0'), 'string'), { message: /^failed to decode msgpack extension body: not a map$/ }, 'nil');
});
