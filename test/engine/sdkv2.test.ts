// SDKv2 semantics (src/engine/sdkv2.ts) and the strict checks that decide the legacy flag (consistency.ts), on the
// cases the differential tests found hashicorp/aws 5.100.0 to behave this way (test/differential/).
import t from 'tap';
import { applyProblems, planProblems } from '../../src/engine/consistency';
import { normalizeNullValues, planSdkv2, registerDiffSuppress, registerStateFunc, sdkEquivalent, sdkv2StateForm } from '../../src/engine/sdkv2';
import { completeObject, type SchemaBlock } from '../../src/engine/schema';
import { CtyNumber, UNKNOWN, type ObjectValue } from '../../src/values/value';

registerStateFunc('test_upper', (v) => v.toUpperCase());
registerDiffSuppress('test_case_insensitive', (a, b) => typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase());

const block: SchemaBlock = {
  attributes: {
    id: { type: 'string', optional: true, computed: true },
    arn: { type: 'string', computed: true },
    description: { type: 'string', optional: true },
    path: { type: 'string', optional: true, default: '/' },
    shout: { type: 'string', optional: true, state_func: 'test_upper' },
    label: { type: 'string', optional: true, diff_suppress: 'test_case_insensitive' },
    labels: { type: ['map', 'string'], optional: true },
    count: { type: 'number', optional: true },
  },
  block_types: {
    tracked: {
      nesting_mode: 'set',
      computed: true,
      block: { attributes: { name: { type: 'string', optional: true }, value: { type: 'string', optional: true } } },
    },
    item: {
      nesting_mode: 'list',
      block: { attributes: { host: { type: 'string', optional: true }, env: { type: ['map', 'string'], optional: true } } },
    },
  },
};
const object = (values: ObjectValue) => completeObject(block, values);

t.test('create: defaults and StateFuncs are planned, computed values unknown, an absent optional+computed block unknown', async (t) => {
  const config = object({ shout: 'quiet' });
  const { planned } = planSdkv2(block, null, config, config);
  t.equal(planned.path, '/');
  t.equal(planned.shout, 'QUIET');
  t.equal(planned.arn, UNKNOWN);
  t.equal(planned.description, null);
  t.equal(planned.tracked, UNKNOWN);
  t.same(planProblems(block, null, config, planned).sort(), [
    '.path: planned value "/" for a non-computed attribute',
    '.shout: planned value "QUIET" does not match config value "quiet"',
    '.tracked: attribute representing nested block must not be unknown itself',
  ]);
});

t.test('update: zero values are kept, suppressed and equivalent changes keep the prior, the block left out is kept', async (t) => {
  const prior = object({
    id: 'x', arn: 'arn', description: '', path: '/', shout: 'A', label: 'Mixed', labels: {}, count: CtyNumber.of(0),
    tracked: [{ name: 'outside', value: 'v' }],
  });
  const config = object({ label: 'MIXED', shout: 'a' });
  const { planned, requiresReplace } = planSdkv2(block, prior, config, config);
  t.equal(planned, prior, 'SDKv2 answers with the prior state itself');
  t.same(requiresReplace, []);
  t.ok(planProblems(block, prior, config, planned).includes('.description: planned value "" for a non-computed attribute'));
});

t.test('update: a removed map becomes empty, a removed string null', async (t) => {
  const prior = object({ id: 'x', arn: 'arn', path: '/', description: 'd', labels: { a: '1' }, tracked: [] });
  const config = object({});
  const { planned } = planSdkv2(block, prior, config, config);
  t.same(planned.labels, {});
  t.equal(planned.description, null);
});

t.test('set block elements are planned with zero values for what they leave unset', async (t) => {
  const config = object({ tracked: [{ name: null, value: null }] });
  const { planned } = planSdkv2(block, null, config, config);
  t.same(planned.tracked, [{ name: '', value: '' }]);
});

t.test('normalizeNullValues: apply keeps a wholly known planned set and "" where the result has null', async (t) => {
  const type = ['object', { s: 'string', set: ['set', 'string'], m: ['map', 'string'] }] as const;
  const planned = { s: '', set: ['a', 'b'], m: {} };
  const result = { s: null, set: ['A'], m: null };
  t.same(normalizeNullValues(result, planned, type as never, true), { s: '', set: ['a', 'b'], m: {} });
  t.same(normalizeNullValues(result, planned, type as never, false), { s: '', set: ['A'], m: null }, 'a read keeps the new set');
});

t.test('sdkEquivalent: null equals zero values, numbers compare as float64, sets ignore order', async (t) => {
  t.ok(sdkEquivalent(null, '', 'string'));
  t.ok(sdkEquivalent(null, false, 'bool'));
  t.ok(sdkEquivalent(null, {}, ['map', 'string']));
  t.ok(sdkEquivalent(CtyNumber.of('1.0'), CtyNumber.of(1), 'number'));
  t.ok(sdkEquivalent(['a', 'b'], ['b', 'a'], ['set', 'string']));
  t.notOk(sdkEquivalent('a', 'b', 'string'));
  t.notOk(sdkEquivalent(['a'], ['a', 'b'], ['set', 'string']));
});

t.test('state form: nested block elements hold zero values; maps become empty only in what a refresh reads', async (t) => {
  const state = object({ item: [{ host: null, env: null }], description: null });
  t.same(sdkv2StateForm(block, state).item, [{ host: '', env: null }]);
  t.same(sdkv2StateForm(block, state, true).item, [{ host: '', env: {} }]);
  t.equal(sdkv2StateForm(block, state).description, null, 'top-level attributes are as the resource set them');
});

t.test('applyProblems: what Terraform would refuse without the legacy flag', async (t) => {
  const planned = object({ id: 'x', arn: UNKNOWN, description: null, tracked: [{ name: 'a', value: 'pretty' }] });
  const result = object({ id: 'x', arn: 'arn', description: '', tracked: [{ name: 'a', value: 'compact' }] });
  t.same(applyProblems(block, planned, result).sort(), [
    '.description: was null, but now ""',
    '.tracked: planned set element {"name":"a","value":"pretty"} does not correlate with any element in actual',
  ]);
  t.same(applyProblems(block, planned, { ...result, description: null, tracked: planned.tracked }), [], 'unknowns may be filled in');
});
