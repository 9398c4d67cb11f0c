// Strict schema-driven planning (engine/plan.ts, for resources without SDKv2 semantics): what becomes unknown,
// what takes a default, what forces replacement. The model's schema serves as the example, declared as a strict
// resource must declare it: an attribute with a default is optional+computed.
import t from 'tap';
import { planObject } from '../../src/engine/plan';
import { completeObject, type SchemaBlock } from '../../src/engine/schema';
import { UNKNOWN, type ObjectValue } from '../../src/values/value';
import modelSchema from '../../provider-schema/resources/aws_sagemaker_model.json';

const block = strictly((modelSchema as unknown as { block: SchemaBlock }).block);

function strictly(b: SchemaBlock): SchemaBlock {
  const attributes = Object.fromEntries(Object.entries(b.attributes ?? {}).map(([name, a]) => [name, a.default !== undefined ? { ...a, computed: true } : a]));
  if (attributes.enable_network_isolation) attributes.enable_network_isolation = { ...attributes.enable_network_isolation, computed: true, default: false };
  const blockTypes = Object.fromEntries(Object.entries(b.block_types ?? {}).map(([name, n]) => [name, { ...n, block: strictly(n.block) }]));
  return { ...b, attributes, block_types: blockTypes };
}
const config = (values: ObjectValue) => completeObject(block, values);
const container = (values: ObjectValue) => completeObject(block.block_types!.primary_container.block, values);

t.test('create: computed attributes left null become unknown; defaults apply; nothing is replaced', async (t) => {
  const { planned, requiresReplace } = planObject(block, null, config({ execution_role_arn: 'arn:aws:iam::1:role/r', primary_container: [container({ image: 'i' })] }));
  t.equal(planned.arn, UNKNOWN);
  t.equal(planned.id, UNKNOWN);
  t.equal(planned.name, UNKNOWN, 'a name left out is generated at apply');
  t.equal(planned.enable_network_isolation, false, 'default');
  t.equal((planned.primary_container as ObjectValue[])[0].mode, 'SingleModel', 'default inside a block');
  t.same(requiresReplace, []);
});

t.test('update: computed values are kept, a tag change replaces nothing', async (t) => {
  const prior = config({ id: 'm', name: 'm', arn: 'arn:x', execution_role_arn: 'r', enable_network_isolation: false, tags: { a: '1' }, primary_container: [container({ image: 'i', mode: 'SingleModel' })] });
  const { planned, requiresReplace } = planObject(block, prior, config({ execution_role_arn: 'r', tags: { a: '2' }, primary_container: [container({ image: 'i' })] }));
  t.equal(planned.arn, 'arn:x');
  t.equal(planned.name, 'm');
  t.same(planned.tags, { a: '2' });
  t.same(requiresReplace, []);
});

t.test('a changed container leaf forces replacement at its path', async (t) => {
  const prior = config({ id: 'm', name: 'm', execution_role_arn: 'r', enable_network_isolation: false, primary_container: [container({ image: 'i', mode: 'SingleModel' })] });
  const { requiresReplace } = planObject(block, prior, config({ execution_role_arn: 'r', primary_container: [container({ image: 'j' })] }));
  t.same(requiresReplace, [[{ attr: 'primary_container' }, { index: 0 }, { attr: 'image' }]]);
});

t.test('adding a container block with content replaces; the block itself is not force-new', async (t) => {
  const prior = config({ id: 'm', name: 'm', execution_role_arn: 'r', enable_network_isolation: false, container: [container({ image: 'i', mode: 'SingleModel' })] });
  const { requiresReplace } = planObject(block, prior, config({ execution_role_arn: 'r', container: [container({ image: 'i' }), container({ image: 'k' })] }));
  t.same(requiresReplace, [[{ attr: 'container' }]]);
});

t.test('an optional+computed block left out of the configuration is no change', async (t) => {
  const prior = config({
    id: 'm',
    name: 'm',
    execution_role_arn: 'r',
    enable_network_isolation: false,
    inference_execution_config: [{ mode: 'Serial' }],
    container: [container({ image: 'i', mode: 'SingleModel' })],
  });
  const { planned, requiresReplace } = planObject(block, prior, config({ execution_role_arn: 'r', container: [container({ image: 'i' })] }));
  t.same(planned.inference_execution_config, [], 'block count matches the configuration, as Terraform requires');
  t.same(requiresReplace, []);
});

t.test('vpc_config: adding it or changing a subnet replaces', async (t) => {
  const base = { id: 'm', name: 'm', execution_role_arn: 'r', enable_network_isolation: false, primary_container: [container({ image: 'i', mode: 'SingleModel' })] };
  const withVpc = config({ ...base, vpc_config: [{ subnets: ['s1'], security_group_ids: ['g1'] }] });
  t.same(planObject(block, config(base), config({ ...base, vpc_config: [{ subnets: ['s1'], security_group_ids: ['g1'] }] })).requiresReplace, [[{ attr: 'vpc_config' }]]);
  t.same(planObject(block, withVpc, config({ ...base, vpc_config: [{ subnets: ['s2'], security_group_ids: ['g1'] }] })).requiresReplace, [
    [{ attr: 'vpc_config' }, { index: 0 }, { attr: 'subnets' }],
  ]);
  t.same(planObject(block, withVpc, config({ ...base, vpc_config: [{ subnets: ['s1'], security_group_ids: ['g1'] }] })).requiresReplace, []);
});

t.test('unknown: a force-new value that becomes unknown (the role being replaced) replaces; an unknown tag does not', async (t) => {
  const prior = config({ id: 'm', name: 'm', arn: 'arn:x', execution_role_arn: 'r', enable_network_isolation: false, tags: { a: '1' }, primary_container: [container({ image: 'i', mode: 'SingleModel' })] });
  const byRole = planObject(block, prior, config({ execution_role_arn: UNKNOWN, tags: { a: '1' }, primary_container: [container({ image: 'i' })] }));
  t.equal(byRole.planned.execution_role_arn, UNKNOWN, 'planned as configured: unknown');
  t.equal(byRole.planned.arn, 'arn:x', 'computed values are kept by the strict planner (the replacement makes them unknown)');
  t.same(byRole.requiresReplace, [[{ attr: 'execution_role_arn' }]], 'unknown is never the same as the known prior');

  const byImage = planObject(block, prior, config({ execution_role_arn: 'r', tags: { a: '1' }, primary_container: [container({ image: UNKNOWN })] }));
  t.same(byImage.requiresReplace, [[{ attr: 'primary_container' }, { index: 0 }, { attr: 'image' }]], 'inside a block, at its path');
  const byHostname = planObject(block, prior, config({ execution_role_arn: 'r', tags: { a: '1' }, primary_container: [container({ image: 'i', container_hostname: UNKNOWN })] }));
  t.same(byHostname.requiresReplace, [[{ attr: 'primary_container' }, { index: 0 }, { attr: 'container_hostname' }]], 'unknown where the prior was null: a change too');

  const byTags = planObject(block, prior, config({ execution_role_arn: 'r', tags: UNKNOWN, primary_container: [container({ image: 'i' })] }));
  t.equal(byTags.planned.tags, UNKNOWN);
  t.same(byTags.requiresReplace, [], 'tags are not force-new');

  const byBlocks = planObject(block, prior, { ...config({ execution_role_arn: 'r', tags: { a: '1' } }), primary_container: UNKNOWN });
  t.equal(byBlocks.planned.primary_container, UNKNOWN, 'a dynamic block whose for_each is unknown stays unknown');
  t.same(byBlocks.requiresReplace, [[{ attr: 'primary_container' }]], 'and replaces, its content being force-new');
});

t.test('unknown: on create, an unknown configured value is planned as such and replaces nothing', async (t) => {
  const { planned, requiresReplace } = planObject(block, null, config({ execution_role_arn: UNKNOWN, primary_container: [container({ image: 'i' })] }));
  t.equal(planned.execution_role_arn, UNKNOWN);
  t.same(requiresReplace, []);
});
