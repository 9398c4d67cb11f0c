// SDKv2 semantics (src/engine/sdkv2.ts) and the strict checks that decide the legacy flag (consistency.ts), on the
// cases the differential tests found hashicorp/aws 5.100.0 to behave this way (test/differential/).
import t from 'tap';
import { applyProblems, planProblems } from '../../src/engine/consistency';
import { normalizeNullValues, planSdkv2, registerDiffSuppress, registerStateFunc, sdkEquivalent, sdkv2StateForm } from '../../src/engine/sdkv2';
import { completeObject, type SchemaBlock } from '../../src/engine/schema';
import { CtyNumber, UNKNOWN, type ObjectValue } from '../../src/values/value';
import modelSchema from '../../provider-schema/resources/aws_sagemaker_model.json';

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

// --- unknown values: a configuration that refers to what is being replaced --------------------------------------

const modelBlock = (modelSchema as unknown as { block: SchemaBlock }).block;
const model = (values: ObjectValue) => completeObject(modelBlock, values);
const container = (values: ObjectValue) => completeObject(modelBlock.block_types!.primary_container.block, values);
const priorModel = sdkv2StateForm(modelBlock, model({
  id: 'm', name: 'm', arn: 'arn:aws:sagemaker:us-east-1:1:model/m', execution_role_arn: 'arn:aws:iam::1:role/old',
  enable_network_isolation: false, tags: { Team: 'ml' }, tags_all: { Team: 'ml' },
  primary_container: [container({ image: 'img:1', mode: 'SingleModel', environment: { K: 'v' } })],
  inference_execution_config: [], vpc_config: [],
}));

t.test('unknown: the role of a model being replaced makes execution_role_arn unknown, which replaces the model', async (t) => {
  const config = model({ execution_role_arn: UNKNOWN, tags: { Team: 'ml' }, primary_container: [container({ image: 'img:1', environment: { K: 'v' } })] });
  const { planned, requiresReplace } = planSdkv2(modelBlock, priorModel, config, { ...config, arn: priorModel.arn, id: 'm', name: 'm' });
  t.equal(planned.execution_role_arn, UNKNOWN, 'planned unknown, to be known at apply');
  t.same(requiresReplace, [[{ attr: 'execution_role_arn' }]], 'and the model replaced: a known prior is not an unknown');
  t.equal(planned.name, 'm', 'what does not change is kept');
});

t.test('unknown: an unknown force-new value inside a block replaces at its path; an unknown tag replaces nothing', async (t) => {
  const image = model({ execution_role_arn: priorModel.execution_role_arn, tags: { Team: 'ml' }, primary_container: [container({ image: UNKNOWN, environment: { K: 'v' } })] });
  const byImage = planSdkv2(modelBlock, priorModel, image, image);
  t.equal((byImage.planned.primary_container as ObjectValue[])[0].image, UNKNOWN);
  t.same(byImage.requiresReplace, [[{ attr: 'primary_container' }, { index: 0 }, { attr: 'image' }]]);

  const tag = model({ execution_role_arn: priorModel.execution_role_arn, tags: UNKNOWN, primary_container: [container({ image: 'img:1', environment: { K: 'v' } })] });
  const byTag = planSdkv2(modelBlock, priorModel, tag, tag);
  t.equal(byTag.planned.tags, UNKNOWN, 'tags unknown: a change to come');
  t.same(byTag.requiresReplace, [], 'but tags do not force a new model');

  const blocks = { ...model({ execution_role_arn: priorModel.execution_role_arn, tags: { Team: 'ml' } }), primary_container: UNKNOWN };
  const byBlocks = planSdkv2(modelBlock, priorModel, blocks, blocks);
  t.equal(byBlocks.planned.primary_container, UNKNOWN, 'a dynamic block of unknown count stays unknown');
  t.same(byBlocks.requiresReplace, [[{ attr: 'primary_container' }]], 'and replaces: its content forces a new model');
});

t.test('unknown: on create, an unknown configured value stays unknown and nothing is replaced', async (t) => {
  const config = model({ execution_role_arn: UNKNOWN, primary_container: [container({ image: 'img:1' })] });
  const { planned, requiresReplace } = planSdkv2(modelBlock, null, config, config);
  t.equal(planned.execution_role_arn, UNKNOWN);
  t.equal(planned.arn, UNKNOWN);
  t.same(requiresReplace, []);
});

t.test('sdkEquivalent with unknowns: unknown equals only unknown, never a known value, null or a zero value', async (t) => {
  t.ok(sdkEquivalent(UNKNOWN, UNKNOWN, 'string'));
  t.notOk(sdkEquivalent(UNKNOWN, 'arn:aws:iam::1:role/old', 'string'));
  t.notOk(sdkEquivalent('arn:aws:iam::1:role/old', UNKNOWN, 'string'));
  t.notOk(sdkEquivalent(null, UNKNOWN, 'string'), 'null is not an unknown');
  t.notOk(sdkEquivalent('', UNKNOWN, 'string'), 'nor is a zero value');
  t.notOk(sdkEquivalent({ K: 'v' }, { K: UNKNOWN }, ['map', 'string']), 'inside a map');
  t.notOk(sdkEquivalent(['a'], [UNKNOWN], ['set', 'string']), 'inside a set');
  t.notOk(sdkEquivalent([{ image: 'i' }], [{ image: UNKNOWN }], ['list', ['object', { image: 'string' }]]), 'inside a block');
});

t.test('normalizeNullValues with unknowns: a plan keeps what Terraform proposed unknown; apply does not', async (t) => {
  t.equal(normalizeNullValues(null, UNKNOWN, 'string', false), UNKNOWN, 'planned null where proposed unknown: unknown');
  t.equal(normalizeNullValues(null, UNKNOWN, 'string', true), null, 'applied: the result stands');
  t.equal(normalizeNullValues('x', UNKNOWN, 'string', false), 'x', 'a planned value stands');
  t.equal(normalizeNullValues(UNKNOWN, 'x', 'string', false), UNKNOWN, 'an unknown plan is not filled from the proposal');
  t.same(normalizeNullValues(null, [UNKNOWN, UNKNOWN], ['list', 'string'], false), [UNKNOWN, UNKNOWN], 'a list of unknowns proposed for a null plan');
  t.equal(normalizeNullValues(null, [UNKNOWN, 'x'], ['list', 'string'], false), null, 'not when some are known');
});
