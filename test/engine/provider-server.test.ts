// The provider server (src/engine/provider-server.ts) as Terraform sees it: tfplugin6 requests in, tfplugin6
// answers out. Values cross the wire as msgpack (or JSON), the schema as tfplugin6 Schema messages, diagnostics with
// their attribute paths; the private data Terraform hands over comes back untouched.
import t from 'tap';
import { ResourceError, type Diagnostic } from '../../src/engine/diagnostics';
import { createProviderHandlers } from '../../src/engine/provider-server';
import type { DataSourceType, ProviderDefinition, ResourceType } from '../../src/engine/resource';
import { impliedType, type Schema } from '../../src/engine/schema';
import type * as tf from '../../src/protocol/tfplugin6';
import { decodeMsgpack, encodeJson, encodeMsgpack } from '../../src/values';
import { UNKNOWN, type CtyType, type ObjectValue, type Value } from '../../src/values/value';

type Remote = Map<string, ObjectValue>;

const resourceSchema: Schema = {
  version: 2,
  block: {
    // Not in name order: the wire schema sorts them.
    attributes: {
      name: { type: 'string', required: true, force_new: true, description: 'The **name**.', description_kind: 'markdown' },
      id: { type: 'string', computed: true },
      secret: { type: 'string', optional: true, sensitive: true, description: 'A secret.' },
      legacy: { type: 'string', optional: true, deprecated: true },
      password_wo: { type: 'string', optional: true, write_only: true },
      tags: { type: ['map', 'string'], optional: true },
    },
    block_types: {
      single_block: { nesting_mode: 'single', block: { attributes: { flag: { type: 'bool', optional: true } } } },
      a_list: { nesting_mode: 'list', min_items: 1, max_items: 3, block: { attributes: { label: { type: 'string', optional: true } } } },
      group_block: { nesting_mode: 'group', block: { attributes: { size: { type: 'number', optional: true } }, description: 'Grouped.', description_kind: 'markdown', deprecated: true } },
      map_block: { nesting_mode: 'map', block: { attributes: { value: { type: 'string', optional: true } } } },
      set_block: { nesting_mode: 'set', block: { attributes: { item: { type: 'string', optional: true } } } },
    },
  },
};
const thingType = impliedType(resourceSchema.block);

const lookupSchema: Schema = {
  version: 0,
  block: { attributes: { key: { type: 'string', optional: true }, result: { type: 'string', computed: true } } },
};
const lookupType = impliedType(lookupSchema.block);

const providerSchema: Schema = { version: 0, block: { attributes: { region: { type: 'string', optional: true } } } };
const providerType = impliedType(providerSchema.block);

/** A state or configuration of test_thing with every attribute and block present. */
function thing(values: ObjectValue): ObjectValue {
  return { id: null, name: null, secret: null, legacy: null, password_wo: null, tags: null, single_block: null, a_list: [], group_block: { size: null }, map_block: {}, set_block: [], ...values };
}

function definition(resource: Partial<ResourceType<Remote>> = {}, extra: Partial<ProviderDefinition<Remote>> = {}): ProviderDefinition<Remote> {
  const remote: Remote = new Map();
  const thingResource: ResourceType<Remote> = {
    name: 'test_thing',
    schema: resourceSchema,
    async create(context, planned) {
      const created = { ...planned, id: planned.name };
      context.meta.set(String(created.id), created);
      return created;
    },
    async read(context, current) {
      return context.meta.get(String(current.id)) ?? null;
    },
    async update(_context, _prior, planned) {
      return planned;
    },
    async delete(context, current) {
      context.meta.delete(String(current.id));
    },
    importState(_context, id) {
      return { id, name: id };
    },
    validate(config) {
      const diagnostics: Diagnostic[] = [];
      if (config.name === 'warn') diagnostics.push({ severity: 'warning', summary: 'a warning', path: [] });
      if (config.name === 'paths') {
        diagnostics.push({ severity: 'error', summary: 'bad tag', detail: 'tags need values', path: [{ attr: 'tags' }, { key: 'k' }] });
        diagnostics.push({ severity: 'warning', summary: 'bad label', path: [{ attr: 'a_list' }, { index: 1 }, { attr: 'label' }] });
      }
      return diagnostics;
    },
    ...resource,
  };
  const lookup: DataSourceType<Remote> = {
    name: 'test_lookup',
    schema: lookupSchema,
    async read(_context, config) {
      if (config.key === 'fail') throw new Error('lookup failed');
      return { ...config, result: `found ${String(config.key ?? 'nothing')}` };
    },
    validate(config) {
      return config.key === 'bad' ? [{ severity: 'error', summary: 'bad key', path: [{ attr: 'key' }] }] : [];
    },
  };
  return {
    schema: providerSchema,
    resources: [thingResource],
    dataSources: [lookup],
    async configure(config) {
      return { meta: remote, diagnostics: config.region === 'nowhere' ? [{ severity: 'error', summary: 'unknown region', detail: 'nowhere is not a region' }] : [] };
    },
    validateConfig(config) {
      return config.region === '' ? [{ severity: 'error', summary: 'empty region', path: [{ attr: 'region' }] }] : [];
    },
    ...extra,
  };
}

const context = { signal: new AbortController().signal } as tf.CallContext;

const msgpack = (value: Value, type: CtyType): tf.DynamicValue => ({ msgpack: Buffer.from(encodeMsgpack(value, type)) });
const json = (value: Value, type: CtyType): tf.DynamicValue => ({ json: Buffer.from(encodeJson(value, type)) });
function decoded(value: tf.DynamicValue | null | undefined, type: CtyType): Value {
  if (!value?.msgpack) throw new Error('expected a msgpack value');
  return decodeMsgpack(value.msgpack, type);
}

async function configured(resource: Partial<ResourceType<Remote>> = {}, extra: Partial<ProviderDefinition<Remote>> = {}) {
  const handlers = createProviderHandlers(definition(resource, extra));
  const answer = await handlers.ConfigureProvider({ config: msgpack({ region: 'here' }, providerType), terraform_version: '1.11.4', client_capabilities: null }, context);
  if ((answer.diagnostics ?? []).length > 0) throw new Error('configure failed');
  return handlers;
}

const planRequest = (prior: ObjectValue | null, config: ObjectValue | null, priorPrivate = Buffer.from('private-1')): tf.PlanResourceChangeRequest => ({
  type_name: 'test_thing',
  prior_state: prior === null ? null : msgpack(prior, thingType),
  proposed_new_state: config === null ? null : msgpack(config, thingType),
  config: config === null ? null : msgpack(config, thingType),
  prior_private: priorPrivate,
  provider_meta: null,
  client_capabilities: null,
});

t.test('metadata: the capabilities Terraform relies on and every type served', async (t) => {
  const handlers = createProviderHandlers(definition());
  t.same(await handlers.GetMetadata!({}, context), {
    server_capabilities: { plan_destroy: true, get_provider_schema_optional: true, move_resource_state: false },
    resources: [{ type_name: 'test_thing' }],
    data_sources: [{ type_name: 'test_lookup' }],
  });
  t.same(await handlers.GetFunctions!({}, context), { functions: {} }, 'no provider functions here');
});

t.test('schema: every flag of every attribute, blocks of each nesting, sorted by name', async (t) => {
  const handlers = createProviderHandlers(definition());
  const answer = (await handlers.GetProviderSchema({}, context)) as tf.GetProviderSchemaResponse;
  t.same(answer.server_capabilities, { plan_destroy: true, get_provider_schema_optional: true, move_resource_state: false });
  t.equal(answer.provider_meta, null, 'no provider_meta schema declared');
  t.same(Object.keys(answer.resource_schemas!), ['test_thing']);
  t.same(Object.keys(answer.data_source_schemas!), ['test_lookup']);
  t.same(answer.provider, {
    version: 0,
    block: {
      attributes: [
        { name: 'region', type: Buffer.from('"string"'), description: '', description_kind: 'PLAIN', required: false, optional: true, computed: false, sensitive: false, deprecated: false, write_only: false },
      ],
      block_types: [],
      description: '',
      description_kind: 'PLAIN',
      deprecated: false,
    },
  });

  const thingSchema = answer.resource_schemas!.test_thing;
  t.equal(thingSchema.version, 2);
  const attributes = thingSchema.block!.attributes!;
  t.same(attributes.map((a) => a.name), ['id', 'legacy', 'name', 'password_wo', 'secret', 'tags'], 'attributes in name order');
  const byName = Object.fromEntries(attributes.map((a) => [a.name, a]));
  t.same(byName.name, { name: 'name', type: Buffer.from('"string"'), description: 'The **name**.', description_kind: 'MARKDOWN', required: true, optional: false, computed: false, sensitive: false, deprecated: false, write_only: false });
  t.match(byName.id, { computed: true, required: false, optional: false });
  t.match(byName.secret, { sensitive: true, optional: true, description: 'A secret.', description_kind: 'PLAIN' });
  t.match(byName.legacy, { deprecated: true, sensitive: false });
  t.match(byName.password_wo, { write_only: true, deprecated: false });
  t.same(byName.tags.type, Buffer.from('["map","string"]'), 'the type as cty JSON');
  t.notOk('force_new' in byName.name, 'extension keys are not sent');

  const blocks = thingSchema.block!.block_types!;
  t.same(blocks.map((b) => [b.type_name, b.nesting, b.min_items, b.max_items]), [
    ['a_list', 'LIST', 1, 3],
    ['group_block', 'GROUP', 0, 0],
    ['map_block', 'MAP', 0, 0],
    ['set_block', 'SET', 0, 0],
    ['single_block', 'SINGLE', 0, 0],
  ]);
  t.same(blocks[1].block, {
    attributes: [{ name: 'size', type: Buffer.from('"number"'), description: '', description_kind: 'PLAIN', required: false, optional: true, computed: false, sensitive: false, deprecated: false, write_only: false }],
    block_types: [],
    description: 'Grouped.',
    description_kind: 'MARKDOWN',
    deprecated: true,
  });

  const withMeta = createProviderHandlers(definition({}, { providerMetaSchema: { version: 3, block: { attributes: { module_name: { type: 'string', optional: true } } } } }));
  const metaAnswer = (await withMeta.GetProviderSchema({}, context)) as tf.GetProviderSchemaResponse;
  t.match(metaAnswer.provider_meta, { version: 3, block: { attributes: [{ name: 'module_name', optional: true }] } });
});

t.test('validate: configurations from msgpack or JSON; diagnostics with severity, detail and path', async (t) => {
  const handlers = createProviderHandlers(definition());
  const validate = (config: tf.DynamicValue | null) => handlers.ValidateResourceConfig({ type_name: 'test_thing', config, client_capabilities: null }, context);
  t.same(await validate(msgpack(thing({ name: 'ok' }), thingType)), { diagnostics: [] });
  t.same(await validate(msgpack(thing({ name: 'paths' }), thingType)), {
    diagnostics: [
      { severity: 'ERROR', summary: 'bad tag', detail: 'tags need values', attribute: { steps: [{ attribute_name: 'tags' }, { element_key_string: 'k' }] } },
      { severity: 'WARNING', summary: 'bad label', detail: '', attribute: { steps: [{ attribute_name: 'a_list' }, { element_key_int: 1 }, { attribute_name: 'label' }] } },
    ],
  });
  t.same(await validate(json(thing({ name: 'warn' }), thingType)), { diagnostics: [{ severity: 'WARNING', summary: 'a warning', detail: '', attribute: null }] }, 'JSON too; an empty path is no attribute');
  t.same(await validate(null), { diagnostics: [] }, 'no configuration: nothing to validate');
  t.same(await validate({ msgpack: Buffer.alloc(0), json: Buffer.alloc(0) }), { diagnostics: [] }, 'empty encodings are no configuration');
  t.same(await validate({ msgpack: Buffer.alloc(0), json: Buffer.from(encodeJson(thing({ name: 'warn' }), thingType)) }), { diagnostics: [{ severity: 'WARNING', summary: 'a warning', detail: '', attribute: null }] }, 'an empty msgpack falls back to the JSON');

  const provider = (config: tf.DynamicValue | null) => handlers.ValidateProviderConfig({ config }, context);
  t.same(await provider(msgpack({ region: '' }, providerType)), { diagnostics: [{ severity: 'ERROR', summary: 'empty region', detail: '', attribute: { steps: [{ attribute_name: 'region' }] } }] });
  t.same(await provider(msgpack({ region: 'here' }, providerType)), { diagnostics: [] });
  t.same(await provider(null), { diagnostics: [] });

  const data = (config: tf.DynamicValue | null) => handlers.ValidateDataResourceConfig!({ type_name: 'test_lookup', config }, context);
  t.same(await data(msgpack({ key: 'bad', result: null }, lookupType)), { diagnostics: [{ severity: 'ERROR', summary: 'bad key', detail: '', attribute: { steps: [{ attribute_name: 'key' }] } }] });
  t.same(await data(null), { diagnostics: [] });
});

t.test('configure: its diagnostics on the wire; a missing configuration is an empty one', async (t) => {
  const handlers = createProviderHandlers(definition());
  t.same(await handlers.ConfigureProvider({ config: msgpack({ region: 'nowhere' }, providerType), terraform_version: '1.11.4', client_capabilities: null }, context), {
    diagnostics: [{ severity: 'ERROR', summary: 'unknown region', detail: 'nowhere is not a region', attribute: null }],
  });
  const seen: ObjectValue[] = [];
  const recording = createProviderHandlers(definition({}, { async configure(config) { seen.push(config); return { meta: new Map(), diagnostics: [] }; } }));
  t.same(await recording.ConfigureProvider({ config: null, terraform_version: '1.11.4', client_capabilities: null }, context), { diagnostics: [] });
  t.same(seen, [{}]);
});

t.test('upgrade: JSON state completed to the schema; other formats and newer versions refused', async (t) => {
  const handlers = await configured();
  const upgrade = (version: number, raw: string | null) =>
    handlers.UpgradeResourceState({ type_name: 'test_thing', version, raw_state: raw === null ? null : { json: Buffer.from(raw), flatmap: {} } }, context);
  const upgraded = await upgrade(1, '{"id":"a","name":"a"}');
  t.same(decoded(upgraded.upgraded_state, thingType), thing({ id: 'a', name: 'a', group_block: { size: null } }));
  t.same(upgraded.diagnostics, []);
  t.same(decoded((await upgrade(2, 'null')).upgraded_state, thingType), null, 'a null state stays null');

  const unsupported = { diagnostics: [{ severity: 'ERROR', summary: 'Unsupported state format', detail: 'Only JSON state (Terraform 0.12 and later) can be upgraded.', attribute: null }] };
  t.same(await upgrade(1, null), unsupported, 'no raw state');
  t.same(await upgrade(1, ''), unsupported, 'flatmap only');

  const newer = await upgrade(3, '{"id":"a"}');
  t.same(decoded(newer.upgraded_state, thingType), null);
  t.match(newer.diagnostics, [{ severity: 'ERROR', summary: 'Resource state is from a newer provider' }]);
});

t.test('read: the remote object, the private data unchanged; no current state reads nothing', async (t) => {
  let reads = 0;
  const handlers = await configured({
    async read(_context, current) {
      reads++;
      return { ...current, secret: 'from remote' };
    },
  });
  const privateData = Buffer.from('private-2');
  const current = thing({ id: 'a', name: 'a' });
  const answer = await handlers.ReadResource({ type_name: 'test_thing', current_state: msgpack(current, thingType), private: privateData, provider_meta: null, client_capabilities: null }, context);
  t.same(decoded(answer.new_state, thingType), { ...current, secret: 'from remote' });
  t.equal(answer.private, privateData);
  t.same(answer.diagnostics, []);

  const none = await handlers.ReadResource({ type_name: 'test_thing', current_state: null, private: privateData, provider_meta: null, client_capabilities: null }, context);
  t.same(decoded(none.new_state, thingType), null);
  t.equal(none.private, privateData);
  t.equal(reads, 1, 'no read without a current state');

  const failing = await configured({ read: async () => { throw new ResourceError('reading test_thing (a)', 'denied'); } });
  const failed = await failing.ReadResource({ type_name: 'test_thing', current_state: msgpack(current, thingType), private: privateData, provider_meta: null, client_capabilities: null }, context);
  t.same(decoded(failed.new_state, thingType), current, 'a failed read keeps the state');
  t.same(failed.diagnostics, [{ severity: 'ERROR', summary: 'reading test_thing (a)', detail: 'denied', attribute: null }]);
});

t.test('plan: the planned state, replacement paths and the prior private data', async (t) => {
  const handlers = await configured();
  const created = await handlers.PlanResourceChange(planRequest(null, thing({ name: 'a' })), context);
  t.same(decoded(created.planned_state, thingType), thing({ name: 'a', id: UNKNOWN }));
  t.same(created.requires_replace, []);
  t.same(created.planned_private, Buffer.from('private-1'));
  t.same(created.diagnostics, []);
  t.equal(created.legacy_type_system, false);

  const prior = thing({ id: 'a', name: 'a' });
  const replaced = await handlers.PlanResourceChange(planRequest(prior, thing({ name: 'b' })), context);
  t.same(replaced.requires_replace, [{ steps: [{ attribute_name: 'name' }] }]);

  const destroyed = await handlers.PlanResourceChange(planRequest(prior, null), context);
  t.same(decoded(destroyed.planned_state, thingType), null);
  t.equal(destroyed.legacy_type_system, false, 'a destroy relies on no legacy semantics');

  const invalid = await handlers.PlanResourceChange(planRequest(null, thing({ name: 'paths' })), context);
  t.same(decoded(invalid.planned_state, thingType), null);
  t.match(invalid.diagnostics, [{ severity: 'ERROR', summary: 'bad tag' }, { severity: 'WARNING', summary: 'bad label' }]);

  const sdkv2Schema: Schema = { version: 0, block: { attributes: resourceSchema.block.attributes } };
  const sdkv2Type = impliedType(sdkv2Schema.block);
  const legacy = await configured({
    sdkv2: true,
    schema: sdkv2Schema,
    planModifiers: [(_context, request) => void (request.planned = { ...request.planned, secret: 'changed by a modifier' })],
  });
  const config = { id: null, name: 'a', secret: 'configured', legacy: null, password_wo: null, tags: null };
  const legacyPlan = await legacy.PlanResourceChange({ ...planRequest(null, null), proposed_new_state: msgpack(config, sdkv2Type), config: msgpack(config, sdkv2Type) }, context);
  t.equal(legacyPlan.legacy_type_system, true, 'an SDKv2 plan that Terraform would refuse goes out flagged');
});

t.test('apply: the new state with the planned private data; failures keep what exists', async (t) => {
  const handlers = await configured();
  const config = thing({ name: 'a' });
  const planned = thing({ name: 'a', id: UNKNOWN });
  const apply = (h: tf.ProviderHandlers, prior: ObjectValue | null, plannedState: ObjectValue | null, type: CtyType = thingType, cfg: ObjectValue | null = config) =>
    h.ApplyResourceChange(
      {
        type_name: 'test_thing',
        prior_state: prior === null ? null : msgpack(prior, type),
        planned_state: plannedState === null ? null : msgpack(plannedState, type),
        config: cfg === null ? null : msgpack(cfg, type),
        planned_private: Buffer.from('planned-private'),
        provider_meta: null,
      },
      context,
    );
  const created = await apply(handlers, null, planned);
  t.same(decoded(created.new_state, thingType), thing({ name: 'a', id: 'a' }));
  t.same(created.private, Buffer.from('planned-private'));
  t.same(created.diagnostics, []);
  t.equal(created.legacy_type_system, false);

  const deleted = await apply(handlers, thing({ id: 'a', name: 'a' }), null, thingType, null);
  t.same(decoded(deleted.new_state, thingType), null);
  t.equal(deleted.legacy_type_system, false, 'a delete relies on no legacy semantics');

  const failing = await configured({ create: async () => { throw new Error('CreateThing: denied'); } });
  const failed = await apply(failing, null, planned);
  t.same(decoded(failed.new_state, thingType), null);
  t.same(failed.diagnostics, [{ severity: 'ERROR', summary: 'CreateThing: denied', detail: '', attribute: null }]);

  const sdkv2Schema: Schema = { version: 0, block: { attributes: resourceSchema.block.attributes } };
  const sdkv2Type = impliedType(sdkv2Schema.block);
  const legacy = await configured({ sdkv2: true, schema: sdkv2Schema, create: async (_context, p) => ({ ...p, id: 'a', secret: 'not as planned' }) });
  const sdkv2Config = { id: null, name: 'a', secret: 'configured', legacy: null, password_wo: null, tags: null };
  const legacyApply = await apply(legacy, null, { ...sdkv2Config, id: UNKNOWN }, sdkv2Type, sdkv2Config);
  t.equal(legacyApply.legacy_type_system, true, 'an SDKv2 result that differs from its plan goes out flagged');
});

t.test('import: the imported state under its type; a refused ID imports nothing', async (t) => {
  const handlers = await configured();
  const imported = await handlers.ImportResourceState({ type_name: 'test_thing', id: 'x', client_capabilities: null }, context);
  const resources = imported.imported_resources!;
  t.equal(resources.length, 1);
  t.equal(resources[0].type_name, 'test_thing');
  t.same(decoded(resources[0].state, thingType), thing({ id: 'x', name: 'x', a_list: null, group_block: null, map_block: null, set_block: null }));
  t.same(imported.diagnostics, []);

  const refusing = await configured({ importState: () => { throw new ResourceError('Invalid import ID', 'expected NAME'); } });
  t.same(await refusing.ImportResourceState({ type_name: 'test_thing', id: 'x/y', client_capabilities: null }, context), {
    imported_resources: [],
    diagnostics: [{ severity: 'ERROR', summary: 'Invalid import ID', detail: 'expected NAME', attribute: null }],
  });
});

t.test('data sources: read from the configuration; errors on the wire', async (t) => {
  const handlers = await configured();
  const read = (config: tf.DynamicValue | null) => handlers.ReadDataSource!({ type_name: 'test_lookup', config, provider_meta: null, client_capabilities: null }, context);
  const found = await read(msgpack({ key: 'k', result: null }, lookupType));
  t.same(decoded(found.state, lookupType), { key: 'k', result: 'found k' });
  t.same(found.diagnostics, []);
  const empty = await read(null);
  t.same(decoded(empty.state, lookupType), { key: null, result: 'found nothing' }, 'no configuration reads as an empty one');
  const failed = await read(msgpack({ key: 'fail', result: null }, lookupType));
  t.same(decoded(failed.state, lookupType), null);
  t.same(failed.diagnostics, [{ severity: 'ERROR', summary: 'lookup failed', detail: '', attribute: null }]);
});
