// SDKv2 semantics (src/engine/sdkv2.ts) at their edges: the registries of StateFuncs and DiffSuppressFuncs, blocks
// whose element count changes (which replaces when the added or removed elements hold force-new content), removed
// collections, null map elements in every container, null-versus-empty normalisation of lists and objects, and the
// zero values SDKv2 writes into block elements.
import t from 'tap';
import { normalizeNullValues, planSdkv2, registerDiffSuppress, registerStateFunc, sdkEquivalent, sdkv2StateForm, withoutNullMapElements } from '../../src/engine/sdkv2';
import { completeObject, type SchemaBlock } from '../../src/engine/schema';
import { CtyNumber, UNKNOWN, type ObjectValue } from '../../src/values/value';

t.test('registries: a name is registered once; a schema naming an unregistered function is a programming error', async (t) => {
  registerStateFunc('edges_lower', (v) => v.toLowerCase());
  t.throws(() => registerStateFunc('edges_lower', (v) => v), { message: 'state_func "edges_lower" registered twice' });
  registerDiffSuppress('edges_always', () => true);
  t.throws(() => registerDiffSuppress('edges_always', () => false), { message: 'diff_suppress "edges_always" registered twice' });
  const withStateFunc: SchemaBlock = { attributes: { name: { type: 'string', optional: true, state_func: 'edges_missing' } } };
  t.throws(() => planSdkv2(withStateFunc, null, { name: 'a' }, { name: 'a' }), { message: 'no state_func "edges_missing" is registered' });
  const withSuppress: SchemaBlock = { attributes: { name: { type: 'string', optional: true, diff_suppress: 'edges_missing' } } };
  t.throws(() => planSdkv2(withSuppress, null, { name: 'a' }, { name: 'a' }), { message: 'no diff_suppress "edges_missing" is registered' });
});

t.test('SDKv2 has only list and set blocks', async (t) => {
  const single: SchemaBlock = { block_types: { one: { nesting_mode: 'single', block: { attributes: { a: { type: 'string', optional: true } } } } } };
  t.throws(() => planSdkv2(single, null, { one: { a: 'x' } }, { one: { a: 'x' } }), { message: 'SDKv2 has no single blocks' });
});

t.test('a block whose element count changes replaces when the elements added or removed hold force-new content', async (t) => {
  const element = { attributes: { image: { type: 'string' as const, optional: true, force_new: true }, note: { type: 'string' as const, optional: true } } };
  const block: SchemaBlock = {
    block_types: {
      container: { nesting_mode: 'list', block: element },
      whole: { nesting_mode: 'list', force_new: true, block: { attributes: { note: { type: 'string', optional: true } } } },
      notes: { nesting_mode: 'list', block: { attributes: { note: { type: 'string', optional: true } } } },
    },
  };
  const value = (values: ObjectValue) => completeObject(block, values);
  const prior = value({ container: [{ image: 'a', note: null }], whole: [], notes: [] });
  const replaces = (config: ObjectValue) => planSdkv2(block, prior, config, config).requiresReplace;
  t.same(replaces(value({ container: [{ image: 'a', note: null }, { image: 'b', note: null }] })), [[{ attr: 'container' }]], 'an element added with a force-new value');
  t.same(replaces(value({ container: [] })), [[{ attr: 'container' }]], 'an element removed with one');
  t.same(replaces(value({ container: [{ image: 'a', note: null }, { image: null, note: 'n' }] })), [], 'an element added without');
  t.same(replaces(value({ container: [{ image: 'a', note: null }], whole: [{ note: 'n' }] })), [[{ attr: 'whole' }]], 'a force-new block replaces on any count change');
  t.same(replaces(value({ container: [{ image: 'a', note: null }], notes: [{ note: 'n' }] })), [], 'another block does not');
});

t.test('a removed list attribute is planned empty; a removed string null', async (t) => {
  const block: SchemaBlock = { attributes: { hosts: { type: ['list', 'string'], optional: true }, zones: { type: ['set', 'string'], optional: true }, note: { type: 'string', optional: true } } };
  const prior = { hosts: ['a'], zones: ['z'], note: 'n' };
  const config = { hosts: null, zones: null, note: null };
  t.same(planSdkv2(block, prior, config, config).planned, { hosts: [], zones: [], note: null });
});

t.test('null map elements are dropped inside sets and tuples too; other values are as they are', async (t) => {
  t.same(withoutNullMapElements([{ a: 'x', b: null }], ['set', ['map', 'string']]), [{ a: 'x' }]);
  t.same(withoutNullMapElements([{ a: null }, 'keep'], ['tuple', [['map', 'string'], 'string']]), [{}, 'keep']);
  t.same(withoutNullMapElements(UNKNOWN, ['map', 'string']), UNKNOWN);
  t.equal(withoutNullMapElements('text', 'string'), 'text');
});

t.test('normalizeNullValues: objects and lists element by element; an empty known list stays on apply', async (t) => {
  t.same(normalizeNullValues({ a: null, b: 'x' }, { a: '', b: 'y' }, ['object', { a: 'string', b: 'string' }], false), { a: '', b: 'x' }, '"" kept where the new value is null');
  t.same(normalizeNullValues({ a: null }, { a: '', extra: 'e' }, ['map', 'string'], false), { a: '' }, 'a map: only the keys it has');
  t.same(normalizeNullValues(null, [], ['list', 'string'], true), [], 'apply: the planned empty list');
  t.equal(normalizeNullValues(null, ['a'], ['list', 'string'], true), null, 'apply: a planned list with elements is not invented');
  t.same(normalizeNullValues([null], [''], ['list', 'string'], false), [''], 'element by element');
  t.same(normalizeNullValues([null, true], ['', true], ['tuple', ['string', 'bool']], false), [null, true], 'a tuple is taken as it is');
});

t.test('sdkEquivalent: an object with an unknown attribute is not a zero value; dynamic values compare as they are', async (t) => {
  t.equal(sdkEquivalent(null, { a: UNKNOWN }, ['object', { a: 'string' }]), false);
  t.equal(sdkEquivalent(null, { a: '' }, ['object', { a: 'string' }]), true, 'an object of zero values is null');
  t.equal(sdkEquivalent(null, 'x', 'dynamic'), false);
  t.equal(sdkEquivalent(null, null, 'dynamic'), true);
});

t.test('state form: zero values of every type in block elements', async (t) => {
  const block: SchemaBlock = {
    block_types: {
      item: {
        nesting_mode: 'list',
        block: { attributes: { flag: { type: 'bool', optional: true }, hosts: { type: ['list', 'string'], optional: true }, size: { type: 'number', optional: true }, name: { type: 'string', optional: true } } },
      },
    },
  };
  t.same(sdkv2StateForm(block, { item: [{ flag: null, hosts: null, size: null, name: null }] }), { item: [{ flag: false, hosts: [], size: CtyNumber.of(0), name: '' }] });
});
