import t from 'tap';
import {
  containsUnknown,
  DynamicValue,
  isWhollyKnown,
  Unknown,
  UNKNOWN,
  valuesEqual,
  type CtyType,
} from '../../src/values';
import { num } from './fixtures/hex';

t.test('primitives and numbers by canonical text', async (t) => {
  t.ok(valuesEqual('a', 'a', 'string'));
  t.notOk(valuesEqual('a', 'b', 'string'));
  t.notOk(valuesEqual('a', null, 'string'));
  t.ok(valuesEqual(null, null, 'string'));
  t.ok(valuesEqual(num('1.50'), num('1.5'), 'number'));
  t.ok(valuesEqual(num('12345678901234567890123'), num('12345678901234567890123'), 'number'));
  t.notOk(valuesEqual(num('9007199254740993'), num('9007199254740992'), 'number'), 'no rounding through doubles');
  t.notOk(valuesEqual(true, false, 'bool'));
});

t.test('unknowns equal other unknowns only', async (t) => {
  t.ok(valuesEqual(UNKNOWN, new Unknown({ nullable: false }), 'string'), 'refinements ignored');
  t.notOk(valuesEqual(UNKNOWN, 'a', 'string'));
  t.notOk(valuesEqual(null, UNKNOWN, 'string'));
  t.notOk(valuesEqual(['a'], UNKNOWN, ['list', 'string']));
});

t.test('lists are ordered, sets are not', async (t) => {
  t.notOk(valuesEqual(['a', 'b'], ['b', 'a'], ['list', 'string']));
  t.ok(valuesEqual(['a', 'b'], ['b', 'a'], ['set', 'string']));
  t.notOk(valuesEqual(['a', 'a', 'b'], ['a', 'b', 'b'], ['set', 'string']), 'multiplicity counts');
  t.notOk(valuesEqual([], null, ['set', 'string']), 'empty is not null');
  const blocks: CtyType = ['set', ['object', { n: 'number', s: ['set', 'string'] }]];
  t.ok(
    valuesEqual(
      [{ n: num('1'), s: ['x', 'y'] }, { n: num('2'), s: [] }],
      [{ n: num('2'), s: [] }, { n: num('1.0'), s: ['y', 'x'] }],
      blocks,
    ),
  );
  t.notOk(valuesEqual([{ n: num('1'), s: ['x'] }], [{ n: num('1'), s: ['y'] }], blocks));
  t.ok(valuesEqual([num('1'), num('2')], [num('2.0'), num('1')], ['set', 'number']), 'numbers by value in sets');
});

t.test('maps and objects', async (t) => {
  const map: CtyType = ['map', 'string'];
  t.ok(valuesEqual({ a: '1', b: '2' }, { b: '2', a: '1' }, map));
  t.notOk(valuesEqual({ a: '1' }, { a: '1', b: '2' }, map));
  t.notOk(valuesEqual({}, null, map));
  const object: CtyType = ['object', { a: 'string', b: ['list', 'string'] }];
  t.ok(valuesEqual({ a: 'x', b: null }, { a: 'x' }, object), 'an absent attribute counts as null');
  t.notOk(valuesEqual({ a: 'x', b: [] }, { a: 'x', b: null }, object));
});

t.test('dynamic values compare types and values', async (t) => {
  t.ok(valuesEqual(new DynamicValue(['list', 'string'], ['a']), new DynamicValue(['list', 'string'], ['a']), 'dynamic'));
  t.notOk(valuesEqual(new DynamicValue(['list', 'string'], ['a']), new DynamicValue(['set', 'string'], ['a']), 'dynamic'));
  t.notOk(valuesEqual(new DynamicValue('string', null), null, 'dynamic'), 'typed null differs from untyped null');
});

t.test('isWhollyKnown / containsUnknown look everywhere', async (t) => {
  t.ok(isWhollyKnown({ a: [num('1')], b: { c: 'x' }, d: null }));
  t.ok(containsUnknown({ a: [num('1'), UNKNOWN] }));
  t.ok(containsUnknown({ b: { c: new Unknown({ stringPrefix: 'x' }) } }));
  t.ok(containsUnknown(new DynamicValue(['list', 'string'], [UNKNOWN])));
  t.notOk(isWhollyKnown(UNKNOWN));
  t.ok(isWhollyKnown(null));
});
