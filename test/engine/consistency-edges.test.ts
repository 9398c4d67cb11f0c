// Terraform's strict checks (src/engine/consistency.ts) on shapes the main tests leave out: group blocks, tuples,
// set elements holding unknowns (which excuse a change of the set's length), and how values are shown in problems.
import t from 'tap';
import { applyProblems, planProblems } from '../../src/engine/consistency';
import type { SchemaBlock } from '../../src/engine/schema';
import { UNKNOWN } from '../../src/values/value';

t.test('plan: a group block is checked inside', async (t) => {
  const block: SchemaBlock = { block_types: { g: { nesting_mode: 'group', block: { attributes: { a: { type: 'string', optional: true } } } } } };
  t.same(planProblems(block, null, { g: { a: 'x' } }, { g: { a: 'x' } }), []);
  t.same(planProblems(block, null, { g: { a: 'x' } }, { g: { a: 'y' } }), ['.g.a: planned value "y" does not match config value "x"']);
});

t.test('plan: an unknown planned for a non-computed attribute left out is shown as unknown', async (t) => {
  const block: SchemaBlock = { attributes: { a: { type: 'string', optional: true } } };
  t.same(planProblems(block, null, { a: null }, { a: UNKNOWN }), ['.a: planned value unknown for a non-computed attribute']);
});

t.test('apply: tuple elements by their own type; lists shown in full', async (t) => {
  const block: SchemaBlock = { attributes: { pair: { type: ['tuple', ['string', 'bool']], optional: true }, hosts: { type: ['list', 'string'], optional: true } } };
  t.same(applyProblems(block, { pair: ['a', true], hosts: null }, { pair: ['b', true], hosts: null }), ['.pair[0]: was "a", but now "b"']);
  t.same(applyProblems(block, { pair: null, hosts: null }, { pair: null, hosts: ['h', 'i'] }), ['.hosts: was null, but now ["h","i"]']);
});

t.test('apply: a set whose planned elements hold unknowns may change length; one of wholly known elements may not', async (t) => {
  const block: SchemaBlock = {
    block_types: {
      rule: { nesting_mode: 'set', block: { attributes: { ports: { type: ['list', 'string'], optional: true }, name: { type: 'string', optional: true } } } },
    },
  };
  const actual = { rule: [{ ports: ['80', 'a'], name: 'x' }, { ports: ['81', 'b'], name: 'y' }, { ports: ['82', 'k'], name: 'k' }] };
  t.same(applyProblems(block, { rule: [{ ports: [UNKNOWN, 'a'], name: 'x' }] }, actual), [], 'an unknown inside a list of the element');
  t.same(applyProblems(block, { rule: [{ ports: ['80', 'a'], name: UNKNOWN }] }, actual), [], 'an unknown attribute of the element');
  t.same(applyProblems(block, { rule: [{ ports: ['80', 'a'], name: UNKNOWN }, { ports: ['82', 'k'], name: 'k' }] }, actual), [], 'one element of two with an unknown');
  t.same(applyProblems(block, { rule: [{ ports: ['80', 'a'], name: 'x' }] }, actual), ['.rule: length changed from 1 to 3']);
});
