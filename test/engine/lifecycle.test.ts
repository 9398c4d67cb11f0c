// The resource lifecycle (src/engine/lifecycle.ts) over a resource of this file's own, whose remote objects live in a
// Map: plan's order (validate, schema plan, plan modifiers, Terraform's check), unknown configuration, a read that
// finds the object gone, failures that keep state true to what exists, import, upgrade and data sources.
import t from 'tap';
import { ResourceError, type Diagnostic } from '../../src/engine/diagnostics';
import { ProviderEngine } from '../../src/engine/lifecycle';
import type { DataSourceType, PlanModifier, ProviderDefinition, ResourceType } from '../../src/engine/resource';
import type { Schema } from '../../src/engine/schema';
import { CtyNumber, UNKNOWN, type ObjectValue } from '../../src/values/value';

interface Meta {
  remote: Map<string, ObjectValue>;
  /** What the resource was asked to do, in order. */
  calls: string[];
}

const schema: Schema = {
  version: 1,
  block: {
    attributes: {
      id: { type: 'string', computed: true },
      name: { type: 'string', required: true, force_new: true, validators: [{ kind: 'string_length', min: 1, max: 8 }] },
      size: { type: 'number', optional: true, computed: true, default: 1 },
      note: { type: 'string', optional: true },
      arn: { type: 'string', computed: true },
    },
    block_types: {
      part: { nesting_mode: 'list', block: { attributes: { label: { type: 'string', optional: true } } } },
      extra: { nesting_mode: 'single', block: { attributes: { flag: { type: 'bool', optional: true } } } },
    },
  },
};

/** SDKv2 resources have no single blocks. */
const sdkv2Schema: Schema = { version: 1, block: { attributes: schema.block.attributes, block_types: { part: schema.block.block_types!.part } } };

const signal = new AbortController().signal;
const SIZE_1 = CtyNumber.of(1);

/** A configuration or state of the test resource: every attribute and block present. */
function object(values: ObjectValue): ObjectValue {
  return { id: null, name: null, size: null, note: null, arn: null, part: [], extra: null, ...values };
}

interface Fixture {
  engine: ProviderEngine<Meta>;
  meta: Meta;
  resource: ResourceType<Meta>;
}

function fixture(overrides: Partial<ResourceType<Meta>> = {}, configured = true): Promise<Fixture> & { unconfigured: ProviderEngine<Meta> } {
  const meta: Meta = { remote: new Map(), calls: [] };
  const resource: ResourceType<Meta> = {
    name: 'test_thing',
    schema,
    async create(context, planned) {
      context.meta.calls.push('create');
      const created = { ...planned, id: planned.name, arn: `arn:test:${String(planned.name)}` };
      context.meta.remote.set(created.id as string, created);
      return created;
    },
    async read(context, current) {
      context.meta.calls.push('read');
      return context.meta.remote.get(current.id as string) ?? null;
    },
    async update(context, _prior, planned) {
      context.meta.calls.push('update');
      context.meta.remote.set(planned.id as string, planned);
      return planned;
    },
    async delete(context, current) {
      context.meta.calls.push('delete');
      context.meta.remote.delete(current.id as string);
    },
    importState(_context, id) {
      return { id, name: id };
    },
    ...overrides,
  };
  const dataSource: DataSourceType<Meta> = {
    name: 'test_lookup',
    schema: {
      version: 0,
      block: {
        attributes: {
          key: { type: 'string', required: true, validators: [{ kind: 'enum', values: ['a', 'b'] }] },
          mode: { type: 'string', optional: true, computed: true, default: 'fast' },
          result: { type: 'string', computed: true },
        },
      },
    },
    async read(context, config) {
      context.meta.calls.push(`lookup ${String(config.key)} ${String(config.mode)}`);
      return { ...config, result: `${String(config.key)}-${String(config.mode)}` };
    },
  };
  const definition: ProviderDefinition<Meta> = {
    schema: { version: 0, block: { attributes: { fail: { type: 'bool', optional: true } } } },
    resources: [resource],
    dataSources: [dataSource],
    async configure(config) {
      const diagnostics: Diagnostic[] = config.fail === true ? [{ severity: 'error', summary: 'cannot configure' }] : [];
      return { meta, diagnostics };
    },
  };
  const engine = new ProviderEngine(definition);
  const ready = (async () => {
    if (configured) await engine.configure({ fail: null }, '1.11.4', signal);
    return { engine, meta, resource };
  })();
  return Object.assign(ready, { unconfigured: engine });
}

/** A plan modifier that records what it saw and may replace the planned object with a changed copy. */
const modifier =
  (record: string[], change?: (planned: ObjectValue) => void): PlanModifier<Meta> =>
  (_context, request) => {
    record.push(`modifier saw size=${String(request.planned.size)} id=${request.planned.id === UNKNOWN ? 'unknown' : String(request.planned.id)}`);
    if (!change) return;
    const planned = { ...request.planned };
    change(planned);
    request.planned = planned;
  };

t.test('plan: validation first; an invalid configuration is neither planned nor modified', async (t) => {
  const seen: string[] = [];
  const { engine } = await fixture({ planModifiers: [modifier(seen)] });
  const config = object({ name: 'much-too-long' });
  const result = engine.planResourceChange('test_thing', null, config, config, signal);
  t.equal(result.planned, null);
  t.match(result.diagnostics, [{ severity: 'error', summary: 'expected length of name to be in the range (1 - 8), got much-too-long', path: [{ attr: 'name' }] }]);
  t.same(seen, [], 'no modifier ran');
});

t.test('plan: the schema plan, then the modifiers, then the check on what the modifiers made', async (t) => {
  const seen: string[] = [];
  const { engine } = await fixture({ planModifiers: [modifier(seen), modifier(seen, (planned) => (planned.note = 'added by a modifier'))] });
  const config = object({ name: 'a' });
  const result = engine.planResourceChange('test_thing', null, config, config, signal);
  t.same(result.diagnostics, []);
  t.same(seen, ['modifier saw size=1 id=unknown', 'modifier saw size=1 id=unknown'], 'modifiers see the schema plan: the default, computed values unknown');
  t.equal(result.planned?.note, 'added by a modifier', "the modifier's change is the plan");
  t.equal(result.legacyTypeSystem, false, 'a strict resource never gets the legacy flag, even with a problem (Terraform reports it)');

  const sdkv2Config = object({ name: 'a', size: SIZE_1 });
  delete sdkv2Config.extra;
  const sdkv2 = await fixture({ sdkv2: true, schema: sdkv2Schema, planModifiers: [modifier([], (planned) => (planned.note = 'added by a modifier'))] });
  t.equal(sdkv2.engine.planResourceChange('test_thing', null, sdkv2Config, sdkv2Config, signal).legacyTypeSystem, true, "the check ran on the modifier's output");
  const clean = await fixture({ sdkv2: true, schema: sdkv2Schema, planModifiers: [modifier([])] });
  t.equal(clean.engine.planResourceChange('test_thing', null, sdkv2Config, sdkv2Config, signal).legacyTypeSystem, false, 'a plan without problems needs no flag');
});

t.test('plan: unknown configuration values are planned unknown, never validated', async (t) => {
  const { engine } = await fixture();
  const config = object({ name: UNKNOWN, note: UNKNOWN });
  const result = engine.planResourceChange('test_thing', null, config, config, signal);
  t.same(result.diagnostics, [], 'the validator does not see an unknown name');
  t.equal(result.planned?.name, UNKNOWN);
  t.equal(result.planned?.note, UNKNOWN);
  t.equal(result.planned?.id, UNKNOWN);

  const prior = object({ id: 'a', name: 'a', size: SIZE_1, arn: 'arn:test:a' });
  const update = engine.planResourceChange('test_thing', prior, { ...prior, name: UNKNOWN }, object({ name: UNKNOWN }), signal);
  t.same(update.requiresReplace, [[{ attr: 'name' }]], 'a force_new attribute becoming unknown forces replacement');
  t.equal(update.planned?.id, 'a', 'computed values keep the prior');
});

t.test('plan: a destroy plans null; an unconfigured provider is refused after validation', async (t) => {
  const { engine, meta } = await fixture();
  const prior = object({ id: 'a', name: 'a' });
  t.same(engine.planResourceChange('test_thing', prior, null, null, signal), { planned: null, requiresReplace: [], diagnostics: [] });
  t.same(meta.calls, []);

  const { unconfigured } = fixture({}, false);
  const invalid = object({ name: 'much-too-long' });
  t.match(unconfigured.planResourceChange('test_thing', null, invalid, invalid, signal).diagnostics, [{ summary: /^expected length of name/ }], 'validation needs no configuration');
  const valid = object({ name: 'a' });
  t.match(unconfigured.planResourceChange('test_thing', null, valid, valid, signal).diagnostics, [{ summary: 'Provider not configured' }]);
});

t.test('a failed configuration leaves the provider unconfigured', async (t) => {
  const { unconfigured: engine } = fixture({}, false);
  t.match(await engine.configure({ fail: true }, '1.11.4', signal), [{ summary: 'cannot configure' }]);
  const state = object({ id: 'a', name: 'a' });
  t.match(await engine.readResource('test_thing', state, signal), { state, diagnostics: [{ summary: 'Provider not configured' }] });
});

t.test('read: the object as it exists; gone means removed from state; a failure keeps the state', async (t) => {
  const { engine, meta } = await fixture();
  const config = object({ name: 'a' });
  const planned = engine.planResourceChange('test_thing', null, config, config, signal).planned!;
  const created = await engine.applyResourceChange('test_thing', null, planned, config, signal);
  t.same(created.diagnostics, []);
  t.match(created.state, { id: 'a', arn: 'arn:test:a', size: SIZE_1 });

  meta.remote.set('a', { ...meta.remote.get('a')!, note: 'changed outside' });
  t.equal((await engine.readResource('test_thing', created.state!, signal)).state?.note, 'changed outside', 'drift is read');

  meta.remote.delete('a');
  const gone = await engine.readResource('test_thing', created.state!, signal);
  t.same(gone, { state: null, diagnostics: [] }, 'a read that finds nothing removes the object from state, without an error');

  const failing = await fixture({ read: async () => { throw new ResourceError('reading test_thing (a)', 'AccessDenied: no'); } });
  const kept = await failing.engine.readResource('test_thing', created.state!, signal);
  t.equal(kept.state, created.state, 'the state is kept as it was');
  t.match(kept.diagnostics, [{ severity: 'error', summary: 'reading test_thing (a)', detail: 'AccessDenied: no' }]);
});

t.test('apply: a failure records what exists, nothing more and nothing less', async (t) => {
  const config = object({ name: 'a' });
  const halfway = await fixture({
    async create(context, planned) {
      const created = { ...planned, id: 'a', arn: 'arn:test:a' };
      context.meta.remote.set('a', created);
      throw new ResourceError('tagging test_thing (a)', 'Throttling', created);
    },
  });
  const planned = halfway.engine.planResourceChange('test_thing', null, config, config, signal).planned!;
  const failed = await halfway.engine.applyResourceChange('test_thing', null, planned, config, signal);
  t.match(failed.state, { id: 'a', arn: 'arn:test:a' }, 'the object created before the failure is in state: nothing orphaned');
  t.match(failed.diagnostics, [{ summary: 'tagging test_thing (a)', detail: 'Throttling' }]);

  const before = await fixture({ create: async () => { throw new Error('CreateThing: ValidationException: bad'); } });
  const none = await before.engine.applyResourceChange('test_thing', null, planned, config, signal);
  t.equal(none.state, null, 'nothing created: nothing in state');
  t.match(none.diagnostics, [{ summary: 'CreateThing: ValidationException: bad' }]);

  const prior = object({ id: 'a', name: 'a', size: SIZE_1, arn: 'arn:test:a' });
  const update = await fixture({ update: async () => { throw new Error('UpdateThing: denied'); } });
  const keptPrior = await update.engine.applyResourceChange('test_thing', prior, { ...prior, note: 'new' }, object({ name: 'a', note: 'new' }), signal);
  t.match(keptPrior.state, { id: 'a', note: null }, 'a failed update keeps the prior state');

  const deletion = await fixture({ delete: async () => { throw new Error('DeleteThing: in use'); } });
  const notDeleted = await deletion.engine.applyResourceChange('test_thing', prior, null, null, signal);
  t.match(notDeleted.state, { id: 'a' }, 'a failed delete keeps the object in state');
  const deleted = await fixture();
  deleted.meta.remote.set('a', prior);
  t.same(await deleted.engine.applyResourceChange('test_thing', prior, null, null, signal), { state: null, diagnostics: [] });
  t.same(deleted.meta.calls, ['delete']);
  t.equal(deleted.meta.remote.size, 0);
});

t.test('import: the partial state, blocks null for strict resources, empty for SDKv2 ones', async (t) => {
  const strict = await fixture();
  t.same(strict.engine.importResourceState('test_thing', 'a', signal), { state: object({ id: 'a', name: 'a', part: null }), diagnostics: [] });
  const sdkv2 = await fixture({ sdkv2: true, schema: sdkv2Schema });
  t.same(sdkv2.engine.importResourceState('test_thing', 'a', signal).state, { id: 'a', name: 'a', size: null, note: null, arn: null, part: [] });
  const refused = await fixture({ importState: () => { throw new ResourceError('Invalid import ID', 'expected NAME'); } });
  t.match(refused.engine.importResourceState('test_thing', 'x/y', signal), { state: null, diagnostics: [{ summary: 'Invalid import ID' }] });
});

t.test('upgrade: missing attributes completed; a state from a newer schema refused', async (t) => {
  const { engine } = await fixture({ upgradeState: (_context, state) => ({ ...state, size: state.size ?? SIZE_1 }) });
  t.same(engine.upgradeState('test_thing', 0, { id: 'a', name: 'a' }, signal), { state: object({ id: 'a', name: 'a', size: SIZE_1 }), diagnostics: [] });
  t.match(engine.upgradeState('test_thing', 2, { id: 'a' }, signal), { state: null, diagnostics: [{ summary: 'Resource state is from a newer provider' }] });
});

t.test('data sources: validated, then read with defaults applied', async (t) => {
  const { engine, meta } = await fixture();
  t.same(await engine.readDataSource('test_lookup', { key: 'a', mode: null, result: null }, signal), {
    state: { key: 'a', mode: 'fast', result: 'a-fast' },
    diagnostics: [],
  });
  const invalid = await engine.readDataSource('test_lookup', { key: 'z', mode: null, result: null }, signal);
  t.equal(invalid.state, null);
  t.match(invalid.diagnostics, [{ severity: 'error', path: [{ attr: 'key' }] }]);
  t.same(meta.calls, ['lookup a fast'], 'an invalid configuration is never read');
});

t.test('an unknown type is an error naming it', async (t) => {
  const { engine } = await fixture();
  t.throws(() => engine.resource('test_other'), { message: 'this provider has no resource type "test_other"' });
  t.throws(() => engine.dataSource('test_other'), { message: 'this provider has no data source "test_other"' });
});

// Null elements inside collections, as SDKv2 treats them (hashicorp/aws 5.100.0 through terraform:
// test/differential/tags-and-data-sources.test.ts): a map's are dropped as the configuration is read; a list's or
// a set's are refused, by a resource when it plans, by a data source or the provider block when they are validated.
t.test('null elements: a map reads without them; a list or set is refused, by a resource at plan', async (t) => {
  const seen: ObjectValue[] = [];
  const block: Schema['block'] = {
    attributes: {
      id: { type: 'string', computed: true },
      labels: { type: ['map', 'string'], optional: true },
      hosts: { type: ['list', 'string'], optional: true },
      zones: { type: ['set', 'string'], optional: true },
    },
    block_types: { part: { nesting_mode: 'list', block: { attributes: { env: { type: ['map', 'string'], optional: true } } } } },
  };
  const resource: ResourceType<Meta> = {
    name: 'test_labelled',
    sdkv2: true,
    schema: { version: 0, block },
    planModifiers: [(_context, request) => void seen.push(request.config)],
    async create(_context, planned, config) {
      seen.push(config);
      return { ...planned, id: 'x' };
    },
    async read(_context, current) {
      return current;
    },
    async update(_context, _prior, planned) {
      return planned;
    },
    async delete() {},
    importState(_context, id) {
      return { id };
    },
  };
  const lookup: DataSourceType<Meta> = {
    name: 'test_names',
    sdkv2: true,
    schema: { version: 0, block: { attributes: { names: { type: ['list', 'string'], optional: true }, result: { type: 'string', computed: true } } } },
    async read(_context, config) {
      return { ...config, result: 'r' };
    },
  };
  let configured: ObjectValue | undefined;
  const engine = new ProviderEngine<Meta>({
    schema: { version: 0, block: { attributes: { default_labels: { type: ['map', 'string'], optional: true }, regions: { type: ['list', 'string'], optional: true } } } },
    sdkv2: true,
    resources: [resource],
    dataSources: [lookup],
    async configure(config) {
      configured = config;
      return { meta: { remote: new Map(), calls: [] }, diagnostics: [] };
    },
  });
  const provider = { default_labels: { keep: 'k', drop: null }, regions: null };
  t.same(engine.validateProviderConfig(provider), [], 'a null provider map element is no error');
  t.same(await engine.configure(provider, '1.11.4', signal), []);
  t.same(configured!.default_labels, { keep: 'k' }, 'and the provider reads the map without it');
  t.match(engine.validateProviderConfig({ default_labels: null, regions: ['a', null] }), [{ summary: 'Null value found in list', path: [{ attr: 'regions' }, { index: 1 }] }]);

  const config = { id: null, labels: { a: 'x', b: null }, hosts: null, zones: null, part: [{ env: { K: null, L: 'v' } }] };
  t.same(engine.validateResourceConfig('test_labelled', config), []);
  const plan = engine.planResourceChange('test_labelled', null, config, config, signal);
  t.same(plan.diagnostics, []);
  t.same(plan.planned!.labels, { a: 'x' }, 'planned without the null element');
  t.same((plan.planned!.part as ObjectValue[])[0].env, { L: 'v' }, 'inside a block too');
  t.same(seen[0].labels, { a: 'x' }, 'plan modifiers read the configuration without it');
  const applied = await engine.applyResourceChange('test_labelled', null, plan.planned, config, signal);
  t.same(applied.diagnostics, []);
  t.same(seen[1].labels, { a: 'x' }, 'so does the resource, on create');
  const onlyNulls = { ...config, labels: { only: null } };
  t.equal(engine.planResourceChange('test_labelled', null, onlyNulls, onlyNulls, signal).planned!.labels, null, 'a map of nulls only is empty: null on create, as SDKv2 plans an empty map');
  const prior = { ...config, id: 'x', labels: { only: 'o' }, part: [{ env: { L: 'v' } }] };
  t.same(engine.planResourceChange('test_labelled', prior, onlyNulls, onlyNulls, signal).planned!.labels, {}, 'and {} on update');

  const withNulls = { ...config, hosts: ['h', null, null], zones: [null, 'z'] };
  t.same(engine.validateResourceConfig('test_labelled', withNulls), [], 'a resource validates a list with nulls: SDKv2 refuses them at plan');
  const refused = engine.planResourceChange('test_labelled', null, withNulls, withNulls, signal);
  t.equal(refused.planned, null, 'nothing planned');
  t.match(refused.diagnostics, [
    { severity: 'error', summary: 'Null value found in list', detail: 'Null values are not allowed for this attribute value.', path: [{ attr: 'hosts' }, { index: 1 }] },
    { summary: 'Null value found in list', path: [{ attr: 'hosts' }, { index: 2 }] },
    { summary: 'Null value found in list', path: [{ attr: 'zones' }] },
  ], 'one error per null: at its index in a list, at the attribute for a set ("list" for both, as SDKv2 words it)');
  t.equal(refused.diagnostics.length, 3);

  t.match(engine.validateDataSourceConfig('test_names', { names: [null], result: null }), [{ summary: 'Null value found in list', path: [{ attr: 'names' }, { index: 0 }] }], 'a data source refuses it when validated');
  t.match((await engine.readDataSource('test_names', { names: ['a', null], result: null }, signal)).diagnostics, [{ summary: 'Null value found in list' }], 'and when read');
});
