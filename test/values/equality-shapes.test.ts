// valuesEqual and containsUnknown beyond the common cases: tuples, sets with repeated or colliding
// elements, maps that differ by one key or value, and values whose shape is not the type's.
import t from 'tap';
import { containsUnknown, CtyNumber, DynamicValue, isWhollyKnown, Unknown, UNKNOWN, valuesEqual, type CtyType, type Value } from '../../src/values';
import { num } from './fixtures/hex';

t.test('a comparison answers true or false, never anything else', async (t) => {
  for (const [a, b, type] of [
    ['a', 'b', 'string'],
    [true, false, 'bool'],
    [num('1'), num('2'), 'number'],
    [['a'], ['b'], ['list', 'string']],
    [{ a: '1' }, { a: '2' }, ['map', 'string']],
  ] as Array<[Value, Value, CtyType]>) {
    t.equal(valuesEqual(a, b, type), false, `${JSON.stringify(type)} unequal`);
    t.equal(valuesEqual(a, a, type), true, `${JSON.stringify(type)} equal`);
  }
  t.equal(valuesEqual('a', 'a'.slice(0), 'string'), true);
  t.equal(valuesEqual(false, false, 'bool'), true);
});

t.test('tuples compare element by element under each element type', async (t) => {
  const type: CtyType = ['tuple', ['string', 'number', ['set', 'string']]];
  t.equal(valuesEqual(['a', num('1.0'), ['x', 'y']], ['a', num('1'), ['y', 'x']], type), true);
  t.equal(valuesEqual(['a', num('1'), ['x']], ['a', num('2'), ['x']], type), false, 'a number differs');
  t.equal(valuesEqual(['a', num('1'), ['x']], ['b', num('1'), ['x']], type), false, 'the first element differs');
  t.equal(valuesEqual(['a', num('1'), ['x']], ['a', num('1'), ['x', 'y']], type), false, 'the last element differs');
  t.equal(valuesEqual([], [], ['tuple', []]), true);
  t.equal(valuesEqual(['a', UNKNOWN], ['a', new Unknown()], ['tuple', ['string', 'string']]), true, 'unknown elements');
  t.equal(valuesEqual(['a', UNKNOWN], ['a', 'b'], ['tuple', ['string', 'string']]), false);
  t.equal(valuesEqual(['a'], ['a', 'b'], ['tuple', ['string', 'string']]), false, 'lengths differ');
  t.equal(valuesEqual(['a', 'b'], ['a'], ['tuple', ['string', 'string']]), false);
});

t.test('lists of different lengths differ, whichever is longer', async (t) => {
  t.equal(valuesEqual(['a'], ['a', 'b'], ['list', 'string']), false);
  t.equal(valuesEqual(['a', 'b'], ['a'], ['list', 'string']), false);
  t.equal(valuesEqual([], ['a'], ['list', 'string']), false);
  t.equal(valuesEqual(['a', 'b'], ['a', 'c'], ['list', 'string']), false, 'the last element differs');
  t.equal(valuesEqual([num('1'), num('2')], [num('1.0'), num('2')], ['list', 'number']), true, 'elements under the element type');
  t.equal(valuesEqual([{ n: num('1') }], [{ n: num('1.0') }], ['list', ['object', { n: 'number' }]]), true);
});

t.test('sets compare as multisets, each element matched once', async (t) => {
  t.equal(valuesEqual(['a', 'b'], ['a'], ['set', 'string']), false, 'an extra element');
  t.equal(valuesEqual(['a'], ['a', 'b'], ['set', 'string']), false);
  t.equal(valuesEqual([num('1'), num('2')], [num('1'), num('3')], ['set', 'number']), false, 'numbers by their value');
  t.equal(valuesEqual([num('10'), num('2')], [num('2'), num('1e1')], ['set', 'number']), true);
  t.equal(valuesEqual([true, false], [false, true], ['set', 'bool']), true);
  t.equal(valuesEqual([true, null], [false, null], ['set', 'bool']), false);
  const objects: CtyType = ['set', ['object', { n: 'number' }]];
  t.equal(valuesEqual([{ n: num('1') }], [{ n: num('1') }, { n: num('1') }], objects), false, 'an extra structured element');
  t.equal(
    valuesEqual([{ n: num('1') }, { n: num('1') }], [{ n: num('1') }, { n: num('2') }], objects),
    false,
    'an element of b matches one element of a only',
  );
  t.equal(valuesEqual([{ n: num('1') }, { n: num('2') }], [{ n: num('2') }, { n: num('1') }], objects), true);
});

t.test('in a set, null, unknown and strings that spell them stay distinct', async (t) => {
  const strings: CtyType = ['set', 'string'];
  t.equal(valuesEqual([null, 'x'], ['null', 'x'], strings), false);
  t.equal(valuesEqual(['null', 'x'], [null, 'x'], strings), false);
  t.equal(valuesEqual([UNKNOWN, 'x'], ['unknown', 'x'], strings), false);
  t.equal(valuesEqual([UNKNOWN, 'x'], ['[object Object]', 'x'], strings), false);
  t.equal(valuesEqual([UNKNOWN, null], [null, new Unknown({ nullable: false })], strings), true, 'unknowns match unknowns');
  t.equal(valuesEqual([null, null], [null, UNKNOWN], strings), false);
  t.equal(valuesEqual(['', 'a'], ['a', ''], strings), true);
});

t.test('maps differ by a key or a value', async (t) => {
  const map: CtyType = ['map', 'string'];
  t.equal(valuesEqual({ a: '1' }, { a: '2' }, map), false, 'a value');
  t.equal(valuesEqual({ a: '1' }, { b: '1' }, map), false, 'a key');
  t.equal(valuesEqual({ a: '1', b: '2' }, { a: '1', c: '2' }, map), false);
  t.equal(valuesEqual({ a: null }, { b: null }, map), false, 'a null element still has its key');
  t.equal(valuesEqual({}, {}, map), true);
});

t.test('a value whose shape is not the type is equal to nothing but itself', async (t) => {
  const cases: Array<[Value, Value, CtyType]> = [
    [{ text: '1' }, num('1'), 'number'],
    [num('1'), { text: '1' }, 'number'],
    [{ type: 'string', value: 'x' }, new DynamicValue('string', 'x'), 'dynamic'],
    [new DynamicValue('string', 'x'), { type: 'string', value: 'x' }, 'dynamic'],
    ['ab', ['a', 'b'], ['list', 'string']],
    [['a', 'b'], 'ab', ['list', 'string']],
    ['ab', ['a', 'b'], ['tuple', ['string', 'string']]],
    [['a', 'b'], 'ab', ['tuple', ['string', 'string']]],
    ['ab', ['a', 'b'], ['set', 'string']],
    [['a', 'b'], 'ab', ['set', 'string']],
    [['x'], { 0: 'x' }, ['map', 'string']],
    [{ 0: 'x' }, ['x'], ['map', 'string']],
    [[], {}, ['object', {}]],
    [{}, [], ['object', {}]],
  ];
  for (const [a, b, type] of cases) t.equal(valuesEqual(a, b, type), false, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
});

t.test('containsUnknown looks through every kind of value', async (t) => {
  t.equal(containsUnknown('abc'), false, 'a string');
  t.equal(containsUnknown(num('12')), false, 'a number');
  t.equal(containsUnknown(true), false);
  t.equal(containsUnknown(null), false);
  t.equal(containsUnknown(['a', [null, ['b', UNKNOWN]]]), true, 'nested lists');
  t.equal(containsUnknown(['a', [null, ['b']]]), false);
  t.equal(containsUnknown([{ a: 'x' }, { b: new Unknown({ nullable: false }) }]), true, 'objects in a list');
  t.equal(containsUnknown(new DynamicValue('string', 'x')), false);
  t.equal(containsUnknown(new DynamicValue('dynamic', new DynamicValue('string', UNKNOWN))), true, 'a dynamic value in a dynamic value');
  t.equal(isWhollyKnown(new DynamicValue(['object', { a: 'string' }], { a: 'x' })), true);
  t.equal(isWhollyKnown([CtyNumber.of(1), 'x']), true);
});
