// Strict planning (engine/plan.ts) of every nesting mode on small schemas of its own: single and group blocks, sets
// matched by their configured content, maps by key, lists that grow or shrink; blocks not known yet; what counts as
// no change for a force-new value (SDKv2's null = "" = [] = {}); defaults, also inside blocks and of every type.
import t from 'tap';
import { defaultValue, forcesNew, hasForceNewContent, planObject, withDefaults } from '../../src/engine/plan';
import type { NestingMode, SchemaBlock, SchemaNestedBlock } from '../../src/engine/schema';
import { CtyNumber, UNKNOWN, type ObjectValue } from '../../src/values/value';

/** A block with a configured force-new `key`, a computed `id`, and an optional `note` that replaces nothing. */
const element: SchemaBlock = {
  attributes: {
    key: { type: 'string', optional: true, force_new: true },
    id: { type: 'string', computed: true },
    note: { type: 'string', optional: true },
  },
};
const quiet: SchemaBlock = { attributes: { note: { type: 'string', optional: true }, id: { type: 'string', computed: true } } };
const withBlock = (mode: NestingMode, inner: SchemaBlock = element, extra: Partial<SchemaNestedBlock> = {}): SchemaBlock => ({
  attributes: { name: { type: 'string', optional: true } },
  block_types: { b: { nesting_mode: mode, block: inner, ...extra } },
});
const el = (values: ObjectValue): ObjectValue => ({ key: null, id: null, note: null, ...values });

t.test('single and group blocks: planned with their prior; removed with force-new content replaces', async (t) => {
  for (const mode of ['single', 'group'] as const) {
    const block = withBlock(mode);
    const prior = { name: 'n', b: el({ key: 'k', id: 'i-1' }) };
    const kept = planObject(block, prior, { name: 'n', b: el({ key: 'k' }) });
    t.same(kept.planned.b, el({ key: 'k', id: 'i-1' }), `${mode}: the computed id kept from the prior block`);
    t.same(kept.requiresReplace, []);
    const created = planObject(block, null, { name: 'n', b: el({ key: 'k' }) });
    t.equal((created.planned.b as ObjectValue).id, UNKNOWN, `${mode}: a new block's computed id is unknown`);
    const removed = planObject(block, prior, { name: 'n', b: null });
    t.equal(removed.planned.b, null);
    t.same(removed.requiresReplace, [[{ attr: 'b' }]], `${mode}: removing a block with force-new content replaces`);
    t.same(planObject(withBlock(mode, quiet), { name: 'n', b: { note: 'x', id: 'i' } }, { name: 'n', b: null }).requiresReplace, [], `${mode}: removing one without replaces nothing`);
    t.same(planObject(block, { name: 'n', b: null }, { name: 'n', b: null }).requiresReplace, [], `${mode}: absent before and after`);
    const changedKey = planObject(block, prior, { name: 'n', b: el({ key: 'other' }) });
    t.same(changedKey.requiresReplace, [[{ attr: 'b' }, { attr: 'key' }]], `${mode}: a force-new leaf changed replaces at its path`);
  }
});

t.test('set blocks: elements matched by configured content keep their computed values; a changed force-new set replaces', async (t) => {
  const block = withBlock('set');
  const prior = { name: 'n', b: [el({ key: 'a', id: 'i-a' }), el({ key: 'b', id: 'i-b' })] };
  const same = planObject(block, prior, { name: 'n', b: [el({ key: 'b' }), el({ key: 'a' })] });
  t.same(same.planned.b, [el({ key: 'b', id: 'i-b' }), el({ key: 'a', id: 'i-a' })], 'each element found by its content, its id kept');
  t.same(same.requiresReplace, []);
  const grown = planObject(block, prior, { name: 'n', b: [el({ key: 'a' }), el({ key: 'c' })] });
  t.same(grown.planned.b, [el({ key: 'a', id: 'i-a' }), el({ key: 'c', id: UNKNOWN })], 'a new element: its id unknown');
  t.same(grown.requiresReplace, [[{ attr: 'b' }]], 'the set changed: replaced');
  const created = planObject(block, null, { name: 'n', b: [el({ key: 'a' })] });
  t.same(created.planned.b, [el({ key: 'a', id: UNKNOWN })]);
  t.same(created.requiresReplace, []);
  const configuredId = planObject(block, prior, { name: 'n', b: [el({ key: 'a', id: 'i-a' })] });
  t.same((configuredId.planned.b as ObjectValue[])[0].id, 'i-a', 'a computed attribute set in the configuration must match too');
  const quietSet = withBlock('set', quiet);
  t.same(planObject(quietSet, { name: 'n', b: [{ note: 'x', id: 'i' }] }, { name: 'n', b: [{ note: 'y', id: null }] }).requiresReplace, [], 'nothing force-new: no replacement');
  const computedSet = withBlock('set', element, { computed: true });
  t.same(planObject(computedSet, prior, { name: 'n', b: [] }).planned.b, [], 'an optional+computed set left out is not tracked');
  t.same(planObject(computedSet, prior, { name: 'n', b: [] }).requiresReplace, []);
});

t.test('map blocks: planned by key; a key removed from a force-new map replaces at that key', async (t) => {
  const block = withBlock('map');
  const prior = { name: 'n', b: { x: el({ key: 'k', id: 'i-x' }), y: el({ key: 'k', id: 'i-y' }) } };
  const planned = planObject(block, prior, { name: 'n', b: { x: el({ key: 'k' }), z: el({ key: 'k' }) } });
  t.same(planned.planned.b, { x: el({ key: 'k', id: 'i-x' }), z: el({ key: 'k', id: UNKNOWN }) });
  t.same(planned.requiresReplace, [[{ attr: 'b' }, { key: 'y' }]]);
  t.same(planObject(block, null, { name: 'n', b: { x: el({ key: 'k' }) } }).requiresReplace, [], 'on create nothing is replaced');
  t.same(planObject(withBlock('map', quiet), { name: 'n', b: { y: { note: 'a', id: 'i' } } }, { name: 'n', b: {} }).requiresReplace, [], 'nothing force-new');
  t.same(planObject(block, { name: 'n', b: null }, { name: 'n', b: null }).planned.b, {}, 'absent: an empty map');
});

t.test('list blocks: growing or shrinking replaces only with force-new content or a force-new block', async (t) => {
  const block = withBlock('list');
  const prior = { name: 'n', b: [el({ key: 'a', id: 'i-a' })] };
  t.same(planObject(block, prior, { name: 'n', b: [el({ key: 'a' }), el({ note: 'only a note' })] }).requiresReplace, [], 'an element added without force-new content');
  t.same(planObject(block, prior, { name: 'n', b: [el({ key: 'a' }), el({ key: 'b' })] }).requiresReplace, [[{ attr: 'b' }]], 'one added with it');
  t.same(planObject(block, prior, { name: 'n', b: [] }).requiresReplace, [[{ attr: 'b' }]], 'one removed with it');
  t.same(planObject(block, { name: 'n', b: [el({ note: 'x' })] }, { name: 'n', b: [] }).requiresReplace, [], 'one removed without it');
  const forceNewBlock = withBlock('list', quiet, { force_new: true });
  t.same(planObject(forceNewBlock, { name: 'n', b: [] }, { name: 'n', b: [{ note: 'x', id: null }] }).requiresReplace, [[{ attr: 'b' }]], 'a force-new block');
  t.same(planObject(forceNewBlock, { name: 'n', b: [{ note: 'x', id: 'i' }] }, { name: 'n', b: [{ note: 'x', id: null }] }).requiresReplace, [], 'the same count: nothing added or removed');
  t.same(planObject(forceNewBlock, null, { name: 'n', b: [{ note: 'x', id: null }] }).requiresReplace, [], 'on create nothing is replaced');
  t.same(planObject(block, { name: 'n', b: null }, { name: 'n', b: null }).planned.b, [], 'absent: an empty list');
  t.same(planObject(block, { name: 'n', b: null }, { name: 'n', b: [el({ key: 'a' })] }).requiresReplace, [[{ attr: 'b' }]], 'absent before, then one with force-new content');
});

t.test('a block not known yet (a dynamic block): kept unknown; it replaces only an existing object, and only when force-new', async (t) => {
  const block = withBlock('list');
  t.same(planObject(block, { name: 'n', b: [] }, { name: 'n', b: UNKNOWN }).requiresReplace, [[{ attr: 'b' }]]);
  t.equal(planObject(block, { name: 'n', b: [] }, { name: 'n', b: UNKNOWN }).planned.b, UNKNOWN);
  t.same(planObject(block, null, { name: 'n', b: UNKNOWN }).requiresReplace, [], 'on create');
  t.same(planObject(withBlock('list', quiet), { name: 'n', b: [] }, { name: 'n', b: UNKNOWN }).requiresReplace, [], 'nothing force-new inside');
});

t.test('force-new attributes: null, "", [] and {} are the same; unknown always replaces', async (t) => {
  const block: SchemaBlock = {
    attributes: {
      s: { type: 'string', optional: true, force_new: true },
      l: { type: ['list', 'string'], optional: true, force_new: true },
      m: { type: ['map', 'string'], optional: true, force_new: true },
      c: { type: 'string', optional: true, computed: true, force_new: true },
    },
  };
  const base = { s: null, l: null, m: null, c: 'x' };
  t.same(planObject(block, { ...base, s: '', l: [], m: {} }, base).requiresReplace, [], 'empty to null');
  t.same(planObject(block, base, { ...base, s: '', l: [], m: {} }).requiresReplace, [], 'null to empty');
  t.same(planObject(block, base, { ...base, s: 'a' }).requiresReplace, [[{ attr: 's' }]]);
  t.same(planObject(block, base, { ...base, l: ['a'] }).requiresReplace, [[{ attr: 'l' }]]);
  t.same(planObject(block, base, { ...base, m: { a: 'b' } }).requiresReplace, [[{ attr: 'm' }]]);
  t.same(planObject(block, base, { ...base, s: UNKNOWN }).requiresReplace, [[{ attr: 's' }]], 'unknown');
  t.same(planObject(block, base, { ...base, c: null }).requiresReplace, [], 'a computed value left out keeps its prior value');
  const configured = planObject(block, base, { ...base, c: 'y' });
  t.equal(configured.planned.c, 'y', 'a computed value configured is planned as configured');
  t.same(configured.requiresReplace, [[{ attr: 'c' }]]);
  t.same(planObject(block, null, { ...base, s: UNKNOWN }).requiresReplace, [], 'nothing to replace on create');
});

t.test('hasForceNewContent and forcesNew look into nested blocks of every kind', async (t) => {
  const outer = (mode: NestingMode, extra: Partial<SchemaNestedBlock> = {}): SchemaBlock => ({ attributes: { a: { type: 'string', optional: true } }, block_types: { inner: { nesting_mode: mode, block: element, ...extra } } });
  t.equal(hasForceNewContent(outer('list'), { a: 'x', inner: [] }), false, 'an empty list');
  t.equal(hasForceNewContent(outer('list'), { a: 'x', inner: null }), false, 'a null block');
  t.equal(hasForceNewContent(outer('list'), { a: 'x', inner: [el({ note: 'n' })] }), false, 'an element without force-new values');
  t.equal(hasForceNewContent(outer('list'), { a: 'x', inner: [el({ key: 'k' })] }), true, 'an element with one');
  t.equal(hasForceNewContent(outer('list'), { a: 'x', inner: UNKNOWN }), true, 'a block not known yet');
  t.equal(hasForceNewContent(outer('map'), { a: 'x', inner: { m: el({ key: 'k' }) } }), true, 'a map element with one');
  t.equal(hasForceNewContent(outer('map'), { a: 'x', inner: { m: el({ note: 'n' }) } }), false, 'a map element without');
  t.equal(hasForceNewContent(outer('single'), { a: 'x', inner: el({ key: 'k' }) }), true, 'a single block with one');
  t.equal(hasForceNewContent(outer('list', { block: quiet, force_new: true }), { a: 'x', inner: [{ note: 'n', id: null }] }), true, 'an element of a force-new block');
  t.equal(hasForceNewContent(element, { key: undefined as never, id: null, note: 'x' }), false, 'a force-new value absent');
  t.equal(forcesNew({ nesting_mode: 'list', block: quiet }), false);
  t.equal(forcesNew({ nesting_mode: 'list', block: quiet, force_new: true }), true);
  t.equal(forcesNew({ nesting_mode: 'list', block: element }), true, 'a force-new attribute inside');
  t.equal(forcesNew({ nesting_mode: 'list', block: { block_types: { deeper: { nesting_mode: 'set', block: element } } } }), true, 'two levels down');
});

t.test('defaults: of every type, planned for null only, also inside blocks (withDefaults)', async (t) => {
  t.same(defaultValue({ type: 'number', default: 3600 }), CtyNumber.of(3600));
  t.same(defaultValue({ type: 'string', default: 'x' }), 'x');
  t.same(defaultValue({ type: 'bool', default: false }), false);
  t.same(defaultValue({ type: ['list', 'number'], default: [1, 2] }), [CtyNumber.of(1), CtyNumber.of(2)]);
  t.same(defaultValue({ type: ['map', 'number'], default: { a: 1 } }), { a: CtyNumber.of(1) });
  t.same(defaultValue({ type: ['object', { n: 'number', s: 'string' }], default: { n: 2, s: 'v' } }), { n: CtyNumber.of(2), s: 'v' });
  t.equal(defaultValue({ type: 'string', default: null }), null);
  const block: SchemaBlock = {
    attributes: { d: { type: 'string', optional: true, default: 'dflt' }, plain: { type: 'string', optional: true } },
    block_types: {
      l: { nesting_mode: 'list', block: { attributes: { n: { type: 'number', optional: true, default: 5 } } } },
      s: { nesting_mode: 'single', block: { attributes: { b: { type: 'bool', optional: true, default: true } } } },
    },
  };
  t.same(withDefaults(block, { d: null, plain: null, l: [{ n: null }, { n: CtyNumber.of(1) }], s: { b: null } }), {
    d: 'dflt',
    plain: null,
    l: [{ n: CtyNumber.of(5) }, { n: CtyNumber.of(1) }],
    s: { b: true },
  });
  t.same(withDefaults(block, { d: 'mine', plain: null, l: null, s: null }), { d: 'mine', plain: null, l: null, s: null }, 'a configured value wins');
  const planned = planObject(block, null, { d: null, plain: null, l: [{ n: null }], s: null }).planned;
  t.equal(planned.d, null, 'a default is planned only for optional+computed attributes');
});

t.test('edges of block planning: computed blocks configured, elements with some force-new content, set matching on every attribute, paths inside map elements', async (t) => {
  const computedList = withBlock('list', element, { computed: true });
  t.same(planObject(computedList, null, { name: 'n', b: [el({ key: 'a' })] }).planned.b, [el({ key: 'a', id: UNKNOWN })], 'an optional+computed list configured is planned');
  const computedSet = withBlock('set', element, { computed: true });
  t.same(planObject(computedSet, null, { name: 'n', b: [el({ key: 'a' })] }).planned.b, [el({ key: 'a', id: UNKNOWN })], 'an optional+computed set configured is planned');
  const list = withBlock('list');
  t.same(planObject(list, { name: 'n', b: [] }, { name: 'n', b: [el({ note: 'x' }), el({ key: 'k' })] }).requiresReplace, [[{ attr: 'b' }]], 'one of the added elements has force-new content');
  const set = withBlock('set');
  t.same(planObject(set, { name: 'n', b: null }, { name: 'n', b: null }).requiresReplace, [], 'a set absent before and after');
  t.same(planObject(set, { name: 'n', b: null }, { name: 'n', b: null }).planned.b, []);
  // A prior element matches only when every configured attribute is equal, a non-computed one left null included.
  const prior = { name: 'n', b: [el({ key: 'a', note: 'x', id: 'i-a' })] };
  t.same((planObject(set, prior, { name: 'n', b: [el({ key: 'a' })] }).planned.b as ObjectValue[])[0].id, UNKNOWN, 'a note removed: a new element');
  const twoComputed: SchemaBlock = { attributes: { key: { type: 'string', optional: true }, id: { type: 'string', optional: true, computed: true }, arn: { type: 'string', computed: true } } };
  const twoPrior = { name: 'n', b: [{ key: 'a', id: 'i-a', arn: 'arn-a' }] };
  t.same(planObject(withBlock('set', twoComputed), twoPrior, { name: 'n', b: [{ key: 'a', id: 'other', arn: null }] }).planned.b, [{ key: 'a', id: 'other', arn: UNKNOWN }], 'a computed attribute configured otherwise: a new element');
  const map = withBlock('map');
  t.same(planObject(map, { name: 'n', b: { x: el({ key: 'k', id: 'i' }) } }, { name: 'n', b: { x: el({ key: 'other' }) } }).requiresReplace, [[{ attr: 'b' }, { key: 'x' }, { attr: 'key' }]], 'a leaf inside a map element');
});

t.test('edges of hasForceNewContent: a nested block left out, empty, or with only some elements carrying force-new values', async (t) => {
  const outer = (extra: Partial<SchemaNestedBlock> = {}): SchemaBlock => ({ attributes: { a: { type: 'string', optional: true } }, block_types: { inner: { nesting_mode: 'list', block: element, ...extra } } });
  t.equal(hasForceNewContent(outer(), { a: 'x' }), false, 'the nested block absent from the element');
  t.equal(hasForceNewContent(outer({ force_new: true }), { a: 'x', inner: [] }), false, 'a force-new block with no element');
  t.equal(hasForceNewContent(outer(), { a: 'x', inner: [el({ note: 'n' }), el({ key: 'k' })] }), true, 'one element of two with a force-new value');
});
