// Terraform's checks of a provider's answers as engine/consistency.ts reproduces them: objchange.AssertPlanValid for
// plans, objchange.AssertObjectCompatible for apply results. For each rule, an answer that passes and one that fails.
import t from 'tap';
import { applyProblems, planProblems } from '../../src/engine/consistency';
import { completeObject, type SchemaBlock } from '../../src/engine/schema';
import { CtyNumber, UNKNOWN, type ObjectValue } from '../../src/values/value';

const block: SchemaBlock = {
  attributes: {
    id: { type: 'string', computed: true },
    name: { type: 'string', required: true },
    description: { type: 'string', optional: true },
    mode: { type: 'string', optional: true, computed: true },
    tags: { type: ['map', 'string'], optional: true },
    ports: { type: ['list', 'number'], optional: true },
    labels: { type: ['set', 'string'], optional: true },
  },
  block_types: {
    vpc: { nesting_mode: 'single', block: { attributes: { subnet: { type: 'string', optional: true }, arn: { type: 'string', computed: true } } } },
    container: { nesting_mode: 'list', block: { attributes: { image: { type: 'string', optional: true }, mode: { type: 'string', optional: true } } } },
    rule: { nesting_mode: 'set', block: { attributes: { port: { type: 'number', optional: true } } } },
  },
};
const object = (values: ObjectValue) => completeObject(block, values);

t.test('plan: an object planned absent while the configuration wants it', async (t) => {
  const config = object({ name: 'a' });
  t.same(planProblems(block, null, config, null), ['planned for absence but config wants existence']);
  t.same(planProblems(block, null, config, object({ name: 'a', id: UNKNOWN, mode: UNKNOWN })), [], 'planned present: fine');
});

t.test('plan: a configured value is planned as configured', async (t) => {
  const config = object({ name: 'a', description: 'configured' });
  t.same(planProblems(block, null, config, object({ name: 'a', description: 'configured' })), []);
  t.same(planProblems(block, null, config, object({ name: 'a', description: 'changed' })), [
    '.description: planned value "changed" does not match config value "configured"',
  ]);
  t.same(planProblems(block, null, object({ name: 'a', ports: [CtyNumber.of(1)] }), object({ name: 'a', ports: [CtyNumber.of(2)] })), [
    '.ports: planned value [2] does not match config value [1]',
  ], 'collections too');
});

t.test('plan: the prior value may stand for an equivalent configured value', async (t) => {
  const prior = object({ id: 'x', name: 'a', description: 'Mixed' });
  t.same(planProblems(block, prior, object({ name: 'a', description: 'MIXED' }), prior), [], 'prior kept over a configured value');
  t.same(planProblems(block, prior, object({ name: 'a', description: null }), prior), [
    '.description: planned value "Mixed" for a non-computed attribute',
  ], 'but not when the configuration unsets it');
  t.same(planProblems(block, null, object({ name: 'a', description: 'MIXED' }), object({ name: 'a', description: 'Mixed' })), [
    '.description: planned value "Mixed" does not match config value "MIXED"',
  ], 'nor without a prior value');
});

t.test('plan: computed attributes', async (t) => {
  const config = object({ name: 'a' });
  t.same(planProblems(block, null, config, object({ name: 'a', id: 'anything', mode: UNKNOWN })), [], 'computed-only: any value; optional+computed left null: any value');
  t.same(planProblems(block, null, config, object({ name: 'a', mode: 'default' })), [], 'optional+computed: a default');
  t.same(planProblems(block, null, object({ name: 'a', mode: 'set' }), object({ name: 'a', mode: 'other' })), [
    '.mode: planned value "other" does not match config value "set"',
  ], 'optional+computed, configured: as configured');
  t.same(planProblems(block, null, config, object({ name: 'a', description: '' })), [
    '.description: planned value "" for a non-computed attribute',
  ], 'an optional attribute left null stays null');
  t.same(planProblems(block, null, config, object({ name: 'a', tags: {} })), ['.tags: planned value {} for a non-computed attribute']);
});

t.test('plan: a nested block is never unknown as a whole', async (t) => {
  const config = object({ name: 'a' });
  t.same(planProblems(block, null, config, { ...object({ name: 'a' }), container: UNKNOWN }), [
    '.container: attribute representing nested block must not be unknown itself',
  ]);
  t.same(planProblems(block, null, config, object({ name: 'a' })), []);
  t.same(planProblems(block, null, { ...config, container: UNKNOWN }, { ...object({ name: 'a' }), container: [] }), [], 'an unknown configured block (dynamic) is not checked');
});

t.test('plan: a single block is present as configured, and checked inside', async (t) => {
  const config = object({ name: 'a', vpc: { subnet: 's', arn: null } });
  t.same(planProblems(block, null, config, object({ name: 'a', vpc: { subnet: 's', arn: UNKNOWN } })), []);
  t.same(planProblems(block, null, config, object({ name: 'a' })), ['.vpc: block presence in plan disagrees with config']);
  t.same(planProblems(block, null, object({ name: 'a' }), object({ name: 'a', vpc: { subnet: null, arn: UNKNOWN } })), [
    '.vpc: block presence in plan disagrees with config',
  ]);
  t.same(planProblems(block, null, config, object({ name: 'a', vpc: { subnet: 'other', arn: UNKNOWN } })), [
    '.vpc.subnet: planned value "other" does not match config value "s"',
  ]);
});

t.test('plan: list and set blocks have the configured count; list elements are checked at their index', async (t) => {
  const config = object({ name: 'a', container: [{ image: 'i', mode: null }, { image: 'j', mode: null }], rule: [{ port: CtyNumber.of(80) }] });
  t.same(planProblems(block, null, config, config), []);
  t.same(planProblems(block, null, config, { ...config, container: [{ image: 'i', mode: null }] }), [
    '.container: block count in plan (1) disagrees with count in config (2)',
  ]);
  t.same(planProblems(block, null, config, { ...config, rule: [] }), ['.rule: block count in plan (0) disagrees with count in config (1)']);
  t.same(planProblems(block, null, config, { ...config, container: [{ image: 'i', mode: null }, { image: 'j', mode: 'single' }] }), [
    '.container[1].mode: planned value "single" for a non-computed attribute',
  ]);
  const prior = { ...config, id: 'x', container: [{ image: 'i', mode: 'Kept' }, { image: 'j', mode: null }] };
  t.same(
    planProblems(block, prior, { ...config, container: [{ image: 'i', mode: 'KEPT' }, { image: 'j', mode: null }] }, prior),
    [],
    "each element's prior counts for that element",
  );
});

t.test('apply: the object exists as planned', async (t) => {
  const planned = object({ name: 'a', id: UNKNOWN });
  t.same(applyProblems(block, planned, null), ['the object was planned to be present']);
  t.same(applyProblems(block, null, object({ name: 'a' })), ['the object was planned to be absent']);
  t.same(applyProblems(block, null, null), [], 'a deletion');
});

t.test('apply: unknowns may become anything, known values stay', async (t) => {
  const planned = object({ name: 'a', id: UNKNOWN, mode: UNKNOWN });
  t.same(applyProblems(block, planned, object({ name: 'a', id: 'x', mode: 'm' })), []);
  t.same(applyProblems(block, planned, object({ name: 'b', id: 'x', mode: 'm' })), ['.name: was "a", but now "b"']);
  t.same(applyProblems(block, object({ name: 'a', id: 'x' }), object({ name: 'a', id: UNKNOWN })), ['.id: was known, but now unknown']);
  t.same(applyProblems(block, object({ name: 'a', description: null }), object({ name: 'a', description: '' })), ['.description: was null, but now ""']);
  t.same(applyProblems(block, { ...planned, vpc: UNKNOWN }, object({ name: 'a', id: 'x', vpc: { subnet: 's', arn: 'arn' } })), [], 'an unknown block too');
});

t.test('apply: maps keep their keys, lists their length, nested values their values', async (t) => {
  const planned = object({ name: 'a', tags: { A: '1' }, ports: [CtyNumber.of(1)], container: [{ image: 'i', mode: null }] });
  t.same(applyProblems(block, planned, planned), []);
  t.same(applyProblems(block, planned, { ...planned, tags: { A: '1', B: '2' } }), ['.tags["B"]: element appeared']);
  t.same(applyProblems(block, planned, { ...planned, tags: {} }), ['.tags["A"]: element vanished']);
  t.same(applyProblems(block, planned, { ...planned, tags: { A: '2' } }), ['.tags["A"]: was "1", but now "2"']);
  t.same(applyProblems(block, planned, { ...planned, ports: [CtyNumber.of(1), CtyNumber.of(2)] }), ['.ports: length changed from 1 to 2']);
  t.same(applyProblems(block, planned, { ...planned, container: [{ image: 'j', mode: null }] }), ['.container[0].image: was "i", but now "j"']);
  t.same(applyProblems(block, planned, { ...planned, ports: [CtyNumber.of('1.0')] }), [], 'numbers compare by value');
});

t.test('apply: each planned set element correlates with an actual one', async (t) => {
  const planned = object({ name: 'a', labels: ['x', 'y'] });
  t.same(applyProblems(block, planned, { ...planned, labels: ['y', 'x'] }), [], 'order does not matter');
  t.same(applyProblems(block, planned, { ...planned, labels: ['x', 'z'] }), ['.labels: planned set element "y" does not correlate with any element in actual']);
  t.same(applyProblems(block, planned, { ...planned, labels: ['x', 'y', 'z'] }), ['.labels: length changed from 2 to 3']);
  const withUnknown = object({ name: 'a', rule: [{ port: UNKNOWN }] });
  t.same(applyProblems(block, withUnknown, { ...withUnknown, rule: [{ port: CtyNumber.of(80) }, { port: CtyNumber.of(443) }] }), [], 'an element with unknowns may stand for several');
  t.same(applyProblems(block, object({ name: 'a', rule: [{ port: CtyNumber.of(22) }] }), object({ name: 'a', rule: [{ port: CtyNumber.of(80) }] })), [
    '.rule: planned set element {"port":22} does not correlate with any element in actual',
  ]);
});
