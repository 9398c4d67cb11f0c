// More of Terraform's strict checks (src/engine/consistency.ts): blocks not known yet, set blocks (no positions),
// map blocks (counted by keys), the prior value only standing for an equivalent configured one, apply results that
// vanished, and how booleans and dynamic values are shown; plus defaults of null (plan.ts defaultValue).
import t from 'tap';
import { applyProblems, planProblems } from '../../src/engine/consistency';
import { defaultValue } from '../../src/engine/plan';
import type { SchemaBlock } from '../../src/engine/schema';
import { CtyNumber, DynamicValue, UNKNOWN } from '../../src/values/value';

const inner: SchemaBlock = { attributes: { a: { type: 'string', optional: true } } };

t.test('plan: blocks', async (t) => {
  const block: SchemaBlock = { block_types: { l: { nesting_mode: 'list', block: inner }, s: { nesting_mode: 'set', block: inner }, m: { nesting_mode: 'map', block: inner } } };
  const none = { l: [], s: [], m: {} };
  t.same(planProblems(block, null, { ...none, l: UNKNOWN }, { ...none, l: [{ a: 'x' }] }), [], 'a block not known yet may be planned as anything');
  t.same(planProblems(block, null, { ...none, s: [{ a: 'x' }] }, { ...none, s: [{ a: 'y' }] }), [], 'set elements have no position to compare by');
  t.same(planProblems(block, null, { ...none, l: null }, none), [], 'a list block left out is no element');
  t.same(planProblems(block, null, { ...none, m: { k1: { a: 'x' }, k2: { a: 'y' } } }, { ...none, m: { k1: { a: 'x' } } }), ['.m: block count in plan (1) disagrees with count in config (2)']);
});

t.test('plan: the prior value stands only for an equivalent configured value', async (t) => {
  const block: SchemaBlock = { attributes: { a: { type: 'string', optional: true } } };
  t.same(planProblems(block, { a: 'prior' }, { a: 'configured' }, { a: 'planned' }), ['.a: planned value "planned" does not match config value "configured"']);
  t.same(planProblems(block, { a: null }, { a: 'configured' }, { a: null }), ['.a: planned value null does not match config value "configured"'], 'nor does a prior null');
});

t.test('apply: a value that vanished; booleans and dynamic values shown as values', async (t) => {
  const block: SchemaBlock = { attributes: { hosts: { type: ['list', 'string'], optional: true }, on: { type: 'bool', optional: true }, any: { type: 'dynamic', optional: true } } };
  const planned = { hosts: ['a'], on: true, any: new DynamicValue('string', 'x') };
  t.same(applyProblems(block, planned, { hosts: null, on: false, any: new DynamicValue('string', 'y') }), [
    '.hosts: was ["a"], but now null',
    '.on: was true, but now false',
    '.any: was "x", but now "y"',
  ]);
});

t.test('defaults: a null or missing default is null, of any type', async (t) => {
  t.equal(defaultValue({ type: 'number', default: null }), null);
  t.equal(defaultValue({ type: 'number' }), null);
  t.same(defaultValue({ type: ['list', 'number'], default: [1, null] }), [CtyNumber.of(1), null]);
});
