// Schema-driven validation (src/engine/validate.ts) over a block of this file's own: where each diagnostic
// points (list index, map key, the block itself for set elements), deprecation warnings, SDKv2's relations between
// arguments (ExactlyOneOf, AtLeastOneOf, ConflictsWith) with unknown and absent values, and null elements inside
// every kind of collection.
import t from 'tap';
import { configNulls, validateObject } from '../../src/engine/validate';
import type { SchemaBlock } from '../../src/engine/schema';
import { UNKNOWN, type ObjectValue } from '../../src/values/value';

const named: SchemaBlock = { attributes: { name: { type: 'string', optional: true, validators: [{ kind: 'string_length', max: 3 }] } } };

const block: SchemaBlock = {
  attributes: {
    old: { type: 'string', optional: true, deprecation_message: 'Use new instead.' },
    a_one: { type: 'string', optional: true },
    c_one: { type: 'string', optional: true, exactly_one_of: ['b_one', 'a_one'] },
    b_one: { type: 'string', optional: true },
    x_some: { type: 'string', optional: true, at_least_one_of: ['y_some'] },
    y_some: { type: 'string', optional: true },
    mine: { type: 'string', optional: true, conflicts_with: ['theirs'] },
    theirs: { type: 'string', optional: true },
  },
  block_types: {
    items: { nesting_mode: 'list', block: named, deprecation_message: 'Use things instead.' },
    members: { nesting_mode: 'set', block: named },
    by_key: { nesting_mode: 'map', block: named },
    single: { nesting_mode: 'single', block: named, deprecation_message: 'Single is going away.' },
  },
};

/** A valid configuration: exactly one of the a/b/c group, at least one of x/y. */
function config(values: ObjectValue): ObjectValue {
  return { old: null, a_one: 'a', c_one: null, b_one: null, x_some: 'x', y_some: null, mine: null, theirs: null, items: [], members: [], by_key: {}, single: null, ...values };
}

const brief = (value: ObjectValue) => validateObject(block, value).map((d) => ({ severity: d.severity, summary: d.summary, detail: d.detail, path: d.path }));

t.test('a valid configuration has no diagnostics; nothing to validate in a null, unknown or non-object value', async (t) => {
  t.same(validateObject(block, config({})), []);
  t.same(validateObject(block, null), []);
  t.same(validateObject(block, UNKNOWN), []);
  t.same(validateObject(block, 'not an object'), []);
});

t.test('element diagnostics point at the list index, the map key, the block of a set, the single block', async (t) => {
  const long = { name: 'toolong' };
  t.same(brief(config({ items: [{ name: 'ok' }, long], members: [long], by_key: { k: long }, single: long })), [
    { severity: 'warning', summary: 'Argument is deprecated', detail: 'Use things instead.', path: [{ attr: 'items' }] },
    { severity: 'error', summary: 'expected length of items.1.name to be in the range (0 - 3), got toolong', detail: undefined, path: [{ attr: 'items' }, { index: 1 }, { attr: 'name' }] },
    { severity: 'error', summary: 'expected length of members.name to be in the range (0 - 3), got toolong', detail: undefined, path: [{ attr: 'members' }, { attr: 'name' }] },
    { severity: 'error', summary: 'expected length of by_key.k.name to be in the range (0 - 3), got toolong', detail: undefined, path: [{ attr: 'by_key' }, { key: 'k' }, { attr: 'name' }] },
    { severity: 'warning', summary: 'Argument is deprecated', detail: 'Single is going away.', path: [{ attr: 'single' }] },
    { severity: 'error', summary: 'expected length of single.name to be in the range (0 - 3), got toolong', detail: undefined, path: [{ attr: 'single' }, { attr: 'name' }] },
  ]);
});

t.test('deprecated arguments warn only when the configuration sets them', async (t) => {
  t.same(brief(config({ old: 'x' })), [{ severity: 'warning', summary: 'Argument is deprecated', detail: 'Use new instead.', path: [{ attr: 'old' }] }]);
  t.same(brief(config({ old: null, items: [], single: null })), [], 'null attribute, empty list block, absent single block');
  t.same(brief(config({ items: UNKNOWN, single: UNKNOWN })), [], 'blocks not known yet');
});

t.test('exactly one of: the group named in key order; unknown members count as neither set nor missing', async (t) => {
  const group = '`a_one,b_one,c_one`';
  t.same(brief(config({ a_one: null })), [
    { severity: 'error', summary: 'Invalid combination of arguments', detail: `"c_one": one of ${group} must be specified`, path: [{ attr: 'c_one' }] },
  ], 'reported by the key that declares the group');
  t.same(brief(config({ a_one: 'a', b_one: 'b' })).map((d) => d.detail), [`"c_one": only one of ${group} can be specified, but \`a_one,b_one\` were specified.`]);
  t.same(brief(config({ a_one: null, b_one: UNKNOWN })), [], 'one unknown, the others null: may be the one');
  t.same(brief(config({ a_one: UNKNOWN, b_one: 'b' })), [], 'an unknown does not count as specified');
});

t.test('at least one of: missing when every member is null; an unknown may be it', async (t) => {
  t.same(brief(config({ x_some: null })), [
    { severity: 'error', summary: 'Missing required argument', detail: '"x_some": one of `x_some,y_some` must be specified', path: [{ attr: 'x_some' }] },
  ]);
  t.same(brief(config({ x_some: null, y_some: 'y' })), []);
  t.same(brief(config({ x_some: null, y_some: UNKNOWN })), []);
});

t.test('conflicts: only between values that are set and known; absent keys conflict with nothing', async (t) => {
  t.same(brief(config({ mine: 'm', theirs: 't' })), [
    { severity: 'error', summary: 'Conflicting configuration arguments', detail: '"mine": conflicts with theirs', path: [{ attr: 'mine' }] },
  ]);
  t.same(brief(config({ mine: 'm', theirs: null })), []);
  t.same(brief(config({ mine: 'm', theirs: UNKNOWN })), []);
  t.same(brief(config({ mine: UNKNOWN, theirs: 't' })), []);
  const { theirs: _absent, ...withoutTheirs } = config({ mine: 'm' });
  t.same(brief(withoutTheirs), [], 'a key the value does not hold is not set');
});

t.test('null elements: refused in lists, sets and tuples at any depth, found inside maps and objects', async (t) => {
  const types: SchemaBlock = {
    attributes: {
      pair: { type: ['tuple', [['list', 'string'], 'string']], optional: true },
      nested: { type: ['list', ['list', 'string']], optional: true },
      by_key: { type: ['map', ['list', 'string']], optional: true },
      labels: { type: ['map', 'string'], optional: true },
      shape: { type: ['object', { sizes: ['set', 'number'] }], optional: true },
    },
  };
  const paths = (value: ObjectValue) => configNulls(types, value).map((d) => d.path);
  const none = { pair: null, nested: null, by_key: null, labels: null, shape: null };
  t.same(paths(none), []);
  t.same(paths({ ...none, pair: [['a', null], null] }), [
    [{ attr: 'pair' }, { index: 0 }, { index: 1 }],
    [{ attr: 'pair' }, { index: 1 }],
  ], "each tuple element by its own type");
  t.same(paths({ ...none, nested: [['a'], [null]] }), [[{ attr: 'nested' }, { index: 1 }, { index: 0 }]]);
  t.same(paths({ ...none, by_key: { k: ['a', null] } }), [[{ attr: 'by_key' }, { key: 'k' }, { index: 1 }]]);
  t.same(paths({ ...none, labels: { k: null } }), [], 'a null map element is allowed');
  t.same(paths({ ...none, shape: { sizes: [null] } }), [[{ attr: 'shape' }, { attr: 'sizes' }]], 'a set element has no address of its own');
  t.same(paths({ ...none, nested: UNKNOWN, pair: [UNKNOWN, 'a'] }), [], 'unknown collections are not looked into');
});
