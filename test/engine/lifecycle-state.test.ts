// The resource lifecycle (src/engine/lifecycle.ts), continued: what the engine hands a resource (configuration
// or plan), the state it records after a read or an apply (aligned with what Terraform already holds, in SDKv2's
// form for SDKv2 resources), every operation refused before configuration, and what it logs at debug level.
import t from 'tap';
import { ResourceError, type Diagnostic } from '../../src/engine/diagnostics';
import { ProviderEngine } from '../../src/engine/lifecycle';
import type { ProviderDefinition, ResourceType } from '../../src/engine/resource';
import type { Schema, SchemaBlock } from '../../src/engine/schema';
import { log, routeLogs, setProcessLogThreshold } from '../../src/protocol/log';
import { CtyNumber, UNKNOWN, type ObjectValue } from '../../src/values/value';

interface Meta {
  calls: string[];
}

const block: SchemaBlock = {
  attributes: {
    id: { type: 'string', computed: true },
    name: { type: 'string', required: true, validators: [{ kind: 'string_length', min: 1, max: 8 }] },
    note: { type: 'string', optional: true },
    tags: { type: ['map', 'string'], optional: true },
    hosts: { type: ['list', 'string'], optional: true },
  },
  block_types: {
    part: { nesting_mode: 'list', block: { attributes: { label: { type: 'string', optional: true }, size: { type: 'number', optional: true } } } },
    settings: { nesting_mode: 'single', block: { attributes: { mode: { type: 'string', optional: true } } } },
    grouped: { nesting_mode: 'group', block: { attributes: { level: { type: 'string', optional: true } } } },
    // Optional+computed blocks that the API fills in when the configuration leaves them out.
    rules: { nesting_mode: 'list', computed: true, block: { attributes: { rule: { type: 'string', optional: true } } } },
    extras: { nesting_mode: 'set', computed: true, block: { attributes: { extra: { type: 'string', optional: true } } } },
    // A set's elements have no position to match them by.
    labels: { nesting_mode: 'set', block: { attributes: { text: { type: 'string', optional: true } } } },
  },
};
const schema: Schema = { version: 1, block };

const signal = new AbortController().signal;

/** A value of the test block: every attribute and block present. */
function object(values: ObjectValue): ObjectValue {
  return { id: null, name: null, note: null, tags: null, hosts: null, part: [], settings: null, grouped: { level: null }, rules: [], extras: [], labels: [], ...values };
}

interface Setup {
  engine: ProviderEngine<Meta>;
  meta: Meta;
  /** What each operation of the resource was given, in order. */
  given: { operation: string; values: (ObjectValue | null)[] }[];
}

/** An engine over one resource whose operations record what they were given and answer with it (or as overridden). */
async function setup(overrides: Partial<ResourceType<Meta>> = {}, options: { configure?: boolean; provider?: Partial<ProviderDefinition<Meta>> } = {}): Promise<Setup> {
  const meta: Meta = { calls: [] };
  const given: Setup['given'] = [];
  const resource: ResourceType<Meta> = {
    name: 'test_thing',
    schema,
    async create(_context, planned, config) {
      given.push({ operation: 'create', values: [planned, config] });
      return { ...planned, id: 'i-1' };
    },
    async read(_context, current) {
      given.push({ operation: 'read', values: [current] });
      return current;
    },
    async update(_context, prior, planned, config) {
      given.push({ operation: 'update', values: [prior, planned, config] });
      return planned;
    },
    async delete(_context, current) {
      given.push({ operation: 'delete', values: [current] });
    },
    importState(_context, id) {
      return { id, name: id };
    },
    ...overrides,
  };
  const engine = new ProviderEngine<Meta>({
    schema: {
      version: 0,
      block: { attributes: { region: { type: 'string', optional: true, validators: [{ kind: 'enum', values: ['eu', 'us'] }] }, zones: { type: ['list', 'string'], optional: true } } },
    },
    resources: [resource],
    dataSources: [
      {
        name: 'test_lookup',
        schema: { version: 0, block: { attributes: { key: { type: 'string', optional: true } } } },
        async read(_context, config) {
          if (config.key === 'fail') throw new ResourceError('reading test_lookup', 'NotFound');
          return config;
        },
        validate: (config) => (config.key === 'odd' ? [{ severity: 'warning', summary: 'odd key' }] : []),
      },
    ],
    async configure() {
      return { meta, diagnostics: [] };
    },
    ...options.provider,
  });
  if (options.configure !== false) await engine.configure({ region: null, zones: null }, '1.11.4', signal);
  return { engine, meta, given };
}

/** The engine's log records while `run` runs, at debug level. */
async function logged(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const threshold = log.threshold;
  setProcessLogThreshold('debug');
  routeLogs(() => (line) => void lines.push(line));
  try {
    await run();
  } finally {
    setProcessLogThreshold(threshold);
    routeLogs(() => undefined);
  }
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((record) => record['@module'] === 'provider.engine');
}

t.test('provider configuration: validated against the schema and by the provider; null list elements refused first', async (t) => {
  const checked: ObjectValue[] = [];
  const { engine } = await setup({}, { configure: false, provider: { validateConfig: (config) => (checked.push(config), config.region === 'us' ? [{ severity: 'warning', summary: 'us is far' }] : []) } });
  t.match(engine.validateProviderConfig({ region: 'mars', zones: null }), [{ severity: 'error', path: [{ attr: 'region' }] }], 'a schema validator speaks');
  t.same(engine.validateProviderConfig({ region: 'us', zones: null }), [{ severity: 'warning', summary: 'us is far' }], "the provider's own check speaks");
  t.match(engine.validateProviderConfig({ region: 'mars', zones: ['a', null] }), [{ summary: 'Null value found in list', path: [{ attr: 'zones' }, { index: 1 }] }]);
  t.equal(checked.length, 2, 'a configuration with nulls goes no further');

  let configured = 0;
  const counting = await setup({}, { configure: false, provider: { async configure() { configured++; return { meta: { calls: [] }, diagnostics: [] }; } } });
  t.match(await counting.engine.configure({ region: null, zones: [null] }, '1.11.4', signal), [{ summary: 'Null value found in list' }]);
  t.equal(configured, 0, 'nor is the provider configured with it');
  t.match(await counting.engine.readResource('test_thing', object({ id: 'a' }), signal), { diagnostics: [{ summary: 'Provider not configured' }] });
});

t.test('every operation on remote objects is refused before the provider is configured', async (t) => {
  const { engine, given } = await setup({}, { configure: false });
  const notConfigured: Diagnostic = { severity: 'error', summary: 'Provider not configured', detail: 'ConfigureProvider must succeed before this operation.', path: undefined };
  const prior = object({ id: 'a', name: 'a' });
  t.same(await engine.readResource('test_thing', prior, signal), { state: prior, diagnostics: [notConfigured] });
  t.same(engine.planResourceChange('test_thing', null, object({ name: 'a' }), object({ name: 'a' }), signal), { planned: null, requiresReplace: [], diagnostics: [notConfigured] });
  t.same(await engine.applyResourceChange('test_thing', prior, object({ id: 'a', name: 'a', note: 'n' }), object({ name: 'a', note: 'n' }), signal), { state: prior, diagnostics: [notConfigured] }, 'apply keeps the prior state');
  t.same(engine.importResourceState('test_thing', 'a', signal), { state: null, diagnostics: [notConfigured] });
  t.same(await engine.readDataSource('test_lookup', { key: 'k' }, signal), { state: null, diagnostics: [notConfigured] });
  t.same(given, [], 'the resource was never called');
});

t.test('plan: every refusal plans nothing and replaces nothing', async (t) => {
  const { engine } = await setup();
  const invalid = object({ name: 'much-too-long' });
  t.match(engine.planResourceChange('test_thing', null, invalid, invalid, signal), { planned: null, requiresReplace: [], diagnostics: [{ severity: 'error' }] });
  t.same(engine.planResourceChange('test_thing', null, invalid, invalid, signal).requiresReplace, []);
  const nulls = object({ name: 'a', hosts: [null] });
  t.same(engine.planResourceChange('test_thing', null, nulls, nulls, signal).requiresReplace, []);
  t.match(engine.planResourceChange('test_thing', null, nulls, nulls, signal).diagnostics, [{ summary: 'Null value found in list' }]);
  const prior = object({ id: 'a', name: 'a' });
  t.same(engine.planResourceChange('test_thing', prior, null, object({ name: 'a' }), signal), { planned: null, requiresReplace: [], diagnostics: [] }, 'no proposed state: a destroy');
  t.same(engine.planResourceChange('test_thing', prior, object({ name: 'a' }), null, signal), { planned: null, requiresReplace: [], diagnostics: [] }, 'no configuration: a destroy');
});

t.test('apply: the resource gets the configuration, or the plan where Terraform sent none', async (t) => {
  const { engine, given } = await setup();
  const config = object({ name: 'a', note: 'n' });
  const planned = object({ name: 'a', note: 'n', id: UNKNOWN });
  await engine.applyResourceChange('test_thing', null, planned, config, signal);
  t.same(given.at(-1), { operation: 'create', values: [planned, config] });
  await engine.applyResourceChange('test_thing', null, planned, null, signal);
  t.same(given.at(-1), { operation: 'create', values: [planned, planned] });
  const prior = object({ id: 'i-1', name: 'a' });
  const update = object({ id: 'i-1', name: 'a', note: 'n' });
  await engine.applyResourceChange('test_thing', prior, update, config, signal);
  t.same(given.at(-1), { operation: 'update', values: [prior, update, config] });
  await engine.applyResourceChange('test_thing', prior, update, null, signal);
  t.same(given.at(-1), { operation: 'update', values: [prior, update, update] });

  const calls = given.length;
  t.same(await engine.applyResourceChange('test_thing', null, null, null, signal), { state: null, diagnostics: [] }, 'nothing before, nothing after: nothing to do');
  t.equal(given.length, calls, 'no delete without a prior object');
});

t.test('apply failures: only a ResourceError says which object exists', async (t) => {
  const prior = object({ id: 'i-1', name: 'a', note: 'old' });
  const planned = object({ id: 'i-1', name: 'a', note: 'new' });
  const withoutState = await setup({ update: async () => { throw new ResourceError('updating test_thing (i-1)', 'Throttling'); } });
  const failed = await withoutState.engine.applyResourceChange('test_thing', prior, planned, object({ name: 'a', note: 'new' }), signal);
  t.same(failed.state, prior, 'a ResourceError that knows no state keeps the prior');
  t.match(failed.diagnostics, [{ summary: 'updating test_thing (i-1)', detail: 'Throttling' }]);

  const stray = await setup({ update: async () => { throw Object.assign(new Error('UpdateThing: denied'), { state: object({ id: 'other' }) }); } });
  const strayFailed = await stray.engine.applyResourceChange('test_thing', prior, planned, object({ name: 'a', note: 'new' }), signal);
  t.same(strayFailed.state, prior, "another error's state field is not taken for the remote object");

  const halfway = await setup({
    create: async (_context, p) => {
      throw new ResourceError('tagging test_thing (i-1)', 'Throttling', { ...p, id: 'i-1', note: null, tags: null });
    },
  });
  const config = object({ name: 'a', note: '', tags: {} });
  const created = await halfway.engine.applyResourceChange('test_thing', null, { ...config, id: UNKNOWN }, config, signal);
  t.same(created.state, object({ id: 'i-1', name: 'a', note: '', tags: {} }), 'the partial state is aligned with the plan: the empty values configured stay');

  const notDeleted = await setup({ delete: async () => { throw new Error('DeleteThing: in use'); } });
  const kept = await notDeleted.engine.applyResourceChange('test_thing', prior, null, null, signal);
  t.same(kept.state, prior, 'a failed delete keeps the object as it was');
});

t.test('read and apply: values the API does not echo stay as Terraform knows them', async (t) => {
  const { engine } = await setup({
    // The API drops empty values and reports every optional+computed block it has.
    async read(_context, current) {
      return {
        ...current,
        note: null,
        tags: null,
        hosts: null,
        part: (current.part as ObjectValue[]).map((p) => ({ ...p, label: null })),
        settings: { mode: null },
        grouped: { level: null },
        rules: [{ rule: 'from the API' }],
        extras: [{ extra: 'from the API' }],
        labels: (current.labels as ObjectValue[]).map(() => ({ text: null })),
      };
    },
  });
  const current = object({
    id: 'i-1',
    name: 'a',
    note: '',
    tags: {},
    hosts: [],
    part: [{ label: '', size: null }],
    settings: { mode: '' },
    grouped: { level: '' },
    rules: [],
    extras: [],
  });
  const read = await engine.readResource('test_thing', current, signal);
  t.same(read.diagnostics, []);
  t.same(read.state, current, 'empty strings, maps and lists, in blocks too; blocks the configuration leaves to the API stay untracked');
  const inSet = await engine.readResource('test_thing', { ...current, labels: [{ text: '' }] }, signal);
  t.same(inSet.state?.labels, [{ text: null }], 'but not in the elements of a set block');

  const tracked = object({ id: 'i-1', name: 'a', note: 'x', tags: { k: 'v' }, hosts: ['h'], part: [{ label: 'l', size: null }], settings: null, grouped: { level: 'g' }, rules: [{ rule: 'mine' }], extras: [{ extra: 'mine' }] });
  t.same((await engine.readResource('test_thing', tracked, signal)).state, {
    ...tracked,
    settings: { mode: null },
    note: null,
    tags: null,
    hosts: null,
    part: [{ label: null, size: null }],
    grouped: { level: null },
    rules: [{ rule: 'from the API' }],
    extras: [{ extra: 'from the API' }],
  }, 'values that were not empty are drift: the remote wins');

  const longer = await setup({
    async read(_context, current) {
      return { ...current, part: [{ label: null, size: null }, { label: null, size: null }] };
    },
  });
  t.same((await longer.engine.readResource('test_thing', object({ id: 'i-1', name: 'a', part: [{ label: '', size: null }] }), signal)).state?.part, [{ label: '', size: null }, { label: null, size: null }], 'an element the state did not have is read as it is');
  const added = await setup({ async read(_context, current) { return { ...current, part: [{ label: 'added', size: null }] }; } });
  t.same((await added.engine.readResource('test_thing', object({ id: 'i-1', name: 'a', part: [] }), signal)).state?.part, [{ label: 'added', size: null }], 'a block the configuration owns shows what was added remotely');
  const remoteValues = await setup({ async read(_context, current) { return { ...current, note: 'remote', tags: { a: 'b' } }; } });
  t.same((await remoteValues.engine.readResource('test_thing', object({ id: 'i-1', name: 'a', note: '', tags: {} }), signal)).state, object({ id: 'i-1', name: 'a', note: 'remote', tags: { a: 'b' } }), 'what the API reports replaces an empty value');

  const applied = await setup({ async create(_context, planned) { return { ...planned, id: 'i-1', note: null, tags: null, settings: { mode: null } }; } });
  const config = object({ name: 'a', note: '', tags: {}, settings: { mode: '' } });
  const created = await applied.engine.applyResourceChange('test_thing', null, { ...config, id: UNKNOWN }, config, signal);
  t.same(created.state, { ...config, id: 'i-1' }, 'after an apply, the plan is what Terraform knows');
});

t.test('SDKv2 resources: state in SDKv2 form after an apply; strict ones as returned', async (t) => {
  const sdkv2Block: SchemaBlock = { attributes: block.attributes, block_types: { part: block.block_types!.part } };
  const returning = (sdkv2: boolean) =>
    setup({ sdkv2, schema: { version: 1, block: sdkv2Block }, async create(_context, planned) { return { ...planned, id: 'i-1', part: [{ label: null, size: null }] }; } });
  const config = { id: null, name: 'a', note: null, tags: null, hosts: null, part: [{ label: null, size: null }] };
  const sdkv2 = await returning(true);
  t.same((await sdkv2.engine.applyResourceChange('test_thing', null, { ...config, id: UNKNOWN }, config, signal)).state?.part, [{ label: '', size: CtyNumber.of(0) }], 'block attributes zero-filled');
  const strict = await returning(false);
  t.same((await strict.engine.applyResourceChange('test_thing', null, { ...config, id: UNKNOWN }, config, signal)).state?.part, [{ label: null, size: null }]);
});

t.test('import: the values the resource gives, blocks included; the rest null', async (t) => {
  const { engine } = await setup({ importState: (_context, id) => ({ id, name: id, part: [{ label: 'x', size: null }], settings: { mode: 'm' } }) });
  t.same(engine.importResourceState('test_thing', 'a', signal), {
    state: { id: 'a', name: 'a', note: null, tags: null, hosts: null, part: [{ label: 'x', size: null }], settings: { mode: 'm' }, grouped: null, rules: null, extras: null, labels: null },
    diagnostics: [],
  });
});

t.test('upgrade: the current version is accepted; the resource adjusts with the context once configured', async (t) => {
  const contexts: unknown[] = [];
  const overrides: Partial<ResourceType<Meta>> = { upgradeState: (context, state) => (contexts.push(context === undefined ? 'no context' : context.meta), state) };
  const unconfigured = await setup(overrides, { configure: false });
  t.same(unconfigured.engine.upgradeState('test_thing', 1, { id: 'a', name: 'a' }, signal), { state: object({ id: 'a', name: 'a', grouped: { level: null } }), diagnostics: [] }, 'the schema version itself is no newer version');
  const configured = await setup(overrides);
  configured.engine.upgradeState('test_thing', 0, { id: 'a', name: 'a' }, signal);
  t.same(contexts, ['no context', configured.meta], 'no context before configuration, the provider meta after');
  t.same(configured.engine.upgradeState('test_thing', 2, { id: 'a' }, signal).diagnostics, [
    { severity: 'error', summary: 'Resource state is from a newer provider', detail: 'The stored state of this test_thing has schema version 2, but this provider knows versions up to 1.', path: undefined },
  ]);
});

t.test('data sources: a failed read keeps the validation warnings with its error', async (t) => {
  const { engine } = await setup();
  t.same(await engine.readDataSource('test_lookup', { key: 'odd' }, signal), { state: { key: 'odd' }, diagnostics: [{ severity: 'warning', summary: 'odd key' }] });
  const failed = await engine.readDataSource('test_lookup', { key: 'fail' }, signal);
  t.same(failed, { state: null, diagnostics: [{ severity: 'error', summary: 'reading test_lookup', detail: 'NotFound', path: undefined }] });
});

t.test('debug logs: each apply, a vanished object, a failure, an answer relying on the legacy type system', async (t) => {
  const { engine } = await setup({ async read() { return null; } });
  const prior = object({ id: 'i-1', name: 'a' });
  const records = await logged(async () => {
    await engine.applyResourceChange('test_thing', null, object({ name: 'a', id: UNKNOWN }), object({ name: 'a' }), signal);
    await engine.applyResourceChange('test_thing', prior, object({ id: 'i-1', name: 'a', note: 'n' }), object({ name: 'a', note: 'n' }), signal);
    await engine.applyResourceChange('test_thing', prior, null, null, signal);
    await engine.readResource('test_thing', prior, signal);
  });
  t.match(records, [
    { '@level': 'debug', '@message': 'create test_thing', id: null },
    { '@level': 'debug', '@message': 'update test_thing', id: 'i-1' },
    { '@level': 'debug', '@message': 'delete test_thing', id: 'i-1' },
    { '@level': 'info', '@message': 'test_thing no longer exists remotely; removing it from state', id: 'i-1' },
  ]);
  t.equal(records.length, 4);

  const planned = object({ name: 'a', id: 'p-1' });
  const byPlan = await logged(() => engine.applyResourceChange('test_thing', null, planned, object({ name: 'a' }), signal));
  t.match(byPlan, [{ '@message': 'create test_thing', id: 'p-1' }], "a create names the planned id when it is known");

  const failing = await setup({ create: async () => { throw new Error('CreateThing: denied'); } });
  const failure = await logged(() => failing.engine.applyResourceChange('test_thing', null, object({ name: 'a', id: UNKNOWN }), object({ name: 'a' }), signal));
  t.match(failure, [{ '@message': 'create test_thing' }, { '@level': 'debug', '@message': 'apply of test_thing failed', error: 'CreateThing: denied' }]);
  const thrown = await setup({ create: async () => { throw 'a string'; } });
  t.match(await logged(() => thrown.engine.applyResourceChange('test_thing', null, object({ name: 'a', id: UNKNOWN }), object({ name: 'a' }), signal)), [{}, { error: 'a string' }]);

  for (const sdkv2 of [true, false]) {
    const changing = await setup({ sdkv2, schema: { version: 1, block: { attributes: block.attributes } }, async create(_context, p) { return { ...p, id: 'i-1', note: 'not as planned' }; } });
    const config = { id: null, name: 'a', note: 'n', tags: null, hosts: null };
    const legacy = await logged(() => changing.engine.applyResourceChange('test_thing', null, { ...config, id: UNKNOWN }, config, signal));
    t.match(legacy[1], { '@level': 'debug', '@message': 'test_thing apply relies on the legacy type system', sdkv2, problems: [/note/] });
    const halfway = await setup({ sdkv2, schema: { version: 1, block: { attributes: block.attributes } }, async create(_context, p) { throw new ResourceError('tagging', 'denied', { ...p, id: 'i-1', note: 'not as planned' }); } });
    const failed = await logged(() => halfway.engine.applyResourceChange('test_thing', null, { ...config, id: UNKNOWN }, config, signal));
    t.match(failed.at(-1), { '@message': 'test_thing apply relies on the legacy type system', sdkv2 }, 'a failed apply too');
    const modified = await setup({ sdkv2, schema: { version: 1, block: { attributes: block.attributes } }, planModifiers: [(_c, request) => void (request.planned = { ...request.planned, note: 'changed' })] });
    const plan = await logged(async () => modified.engine.planResourceChange('test_thing', null, config, config, signal));
    t.match(plan, [{ '@message': 'test_thing plan relies on the legacy type system', sdkv2 }]);
  }
});
