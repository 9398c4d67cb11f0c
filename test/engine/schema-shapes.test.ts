// The values a schema implies (src/engine/schema.ts) for every nesting mode: the cty type, the empty object, an
// object completed from a partial state; and defaults applied inside blocks of every nesting mode (plan.ts
// withDefaults, what data sources read).
import t from 'tap';
import { withDefaults } from '../../src/engine/plan';
import { completeObject, emptyObject, impliedType, type SchemaBlock } from '../../src/engine/schema';
import { CtyNumber } from '../../src/values/value';

const inner: SchemaBlock = { attributes: { n: { type: 'number', optional: true, default: 5 }, s: { type: 'string', optional: true } } };
const block: SchemaBlock = {
  attributes: { top: { type: 'string', optional: true, default: 'dflt' } },
  block_types: {
    one: { nesting_mode: 'single', block: inner },
    grouped: { nesting_mode: 'group', block: inner },
    many: { nesting_mode: 'list', block: inner },
    unordered: { nesting_mode: 'set', block: inner },
    keyed: { nesting_mode: 'map', block: inner },
  },
};
const innerType = ['object', { n: 'number', s: 'string' }];

t.test('the implied type of each nesting mode', async (t) => {
  t.same(impliedType(block), [
    'object',
    { top: 'string', one: innerType, grouped: innerType, many: ['list', innerType], unordered: ['set', innerType], keyed: ['map', innerType] },
  ]);
});

t.test('an empty object: single blocks null, group blocks an empty object, collections empty', async (t) => {
  t.strictSame(emptyObject(block), { top: null, one: null, grouped: { n: null, s: null }, many: [], unordered: [], keyed: {} });
  t.equal(completeObject(block, { one: null }).one, null, 'an absent single block is null, not undefined');
});

t.test('a completed object: every attribute, map block elements completed too', async (t) => {
  t.same(completeObject(block, {}), emptyObject(block));
  t.same(completeObject(block, { keyed: { a: { s: 'x' } }, one: { n: CtyNumber.of(1) }, many: [{}] }), {
    top: null,
    one: { n: CtyNumber.of(1), s: null },
    grouped: { n: null, s: null },
    many: [{ n: null, s: null }],
    unordered: [],
    keyed: { a: { n: null, s: 'x' } },
  });
});

t.test('defaults inside every kind of block, configured values kept', async (t) => {
  const five = CtyNumber.of(5);
  t.same(
    withDefaults(block, { top: null, one: { n: null, s: 'a' }, grouped: { n: null, s: null }, many: [{ n: null, s: null }], unordered: [{ n: CtyNumber.of(2), s: null }], keyed: { k: { n: null, s: 'b' } } }),
    { top: 'dflt', one: { n: five, s: 'a' }, grouped: { n: five, s: null }, many: [{ n: five, s: null }], unordered: [{ n: CtyNumber.of(2), s: null }], keyed: { k: { n: five, s: 'b' } } },
  );
  t.same(withDefaults(block, { top: 'mine', one: null, grouped: { n: null, s: null }, many: [], unordered: [], keyed: {} }).keyed, {}, 'an empty map block stays empty');
});
