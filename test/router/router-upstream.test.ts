// The router and its upstream, with a fake upstream that records what reaches it: the remembered ConfigureProvider
// replayed into it (re-encoded for its provider block, once, before the first forwarded request), what its answer's
// warnings and errors become, the provider arguments it cannot take, the inputs kept for a configured child, the
// early start at ConfigureProvider, the merged function list and metadata, and the failures of forwarded requests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { Logger } from '../../src/protocol/log';
import { errorDiagnostic, warningDiagnostic, type CallContext, type Diagnostic, type ProviderHandlers, type Schema } from '../../src/protocol/tfplugin6';
import { impliedType } from '../../src/router/provider-config';
import { Router, type RouterOptions, type UpstreamProvider } from '../../src/router/router';
import type { RunContext } from '../../src/router/working-directory';
import { binaryIdentity, storeSchema, type UpstreamSchema } from '../../src/upstream/schema-cache';
import { UpstreamError, type ConfigurationInputs, type Session } from '../../src/upstream/upstream';
import { decodeMsgpack, encodeMsgpack, type Value } from '../../src/values';

const dir = mkdtempSync(join(tmpdir(), 'router-upstream-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const attribute = (name: string) => ({ name, type: Buffer.from('"string"'), optional: true });
const schema: Schema = { version: 0, block: { attributes: [attribute('id')] } };
// Ours knows user_agent, which the upstream's provider block lacks.
const OUR_PROVIDER: Schema = { version: 0, block: { attributes: [attribute('region'), attribute('user_agent'), attribute('new_argument')] } };
const THEIR_PROVIDER: Schema = { version: 0, block: { attributes: [attribute('region')] } };

const theirs = (server_capabilities: object = { plan_destroy: true, move_resource_state: true }) =>
  storeSchema(join(dir, `cache-${Math.random()}`), binaryIdentity(process.execPath), {
    provider: THEIR_PROVIDER,
    resource_schemas: { aws_iam_role: schema, aws_s3_bucket: schema },
    data_source_schemas: { aws_caller_identity: schema },
    ephemeral_resource_schemas: { aws_secretsmanager_secret_version: schema },
    functions: { arn_parse: { summary: 'theirs' }, trim_iam_role_path: { summary: 'theirs' } },
    server_capabilities,
  });
const SCHEMA = theirs();

const quiet = new Logger('provider', 'off');
const context = (log: Logger = quiet): CallContext => ({ signal: new AbortController().signal, rpc: 'test', log });

function capturingLog(): { log: Logger; lines: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  return { log: new Logger('provider', 'debug', (line) => lines.push(line)), lines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** Native handlers serving aws_iam_role and arn_parse; what they receive is recorded. */
function nativeHandlers(overrides: Partial<Record<string, unknown>> = {}) {
  const received: string[] = [];
  const handlers = {
    async GetProviderSchema() {
      return { provider: OUR_PROVIDER, resource_schemas: { aws_iam_role: schema }, data_source_schemas: {}, functions: {} };
    },
    async GetMetadata() {
      return { resources: [{ type_name: 'aws_iam_role' }], functions: [{ name: 'arn_parse' }], diagnostics: [warningDiagnostic('native metadata note')] };
    },
    async GetFunctions() {
      return { functions: { arn_parse: { summary: 'ours' } } };
    },
    async ConfigureProvider() {
      received.push('ConfigureProvider');
      return { diagnostics: [] };
    },
    async PlanResourceChange(request: { type_name: string }) {
      received.push(`PlanResourceChange ${request.type_name}`);
      return { answeredBy: 'native' };
    },
    async stop() {
      received.push('stop');
    },
    ...overrides,
  } as unknown as ProviderHandlers;
  return { handlers, received };
}

interface FakeOptions {
  configure?: (request: { config?: { msgpack?: Buffer } }, inputs: ConfigurationInputs | undefined) => Promise<Diagnostic[]>;
  call?: (rpc: string, request: Record<string, unknown>) => Promise<Record<string, unknown>>;
  schema?: () => Promise<UpstreamSchema>;
  version?: string;
}

/** An upstream that records its configurations, calls, schema reads and stops. */
function fakeUpstream(options: FakeOptions = {}) {
  const configured: { config: Value; inputs: ConfigurationInputs | undefined }[] = [];
  const calls: string[] = [];
  const events: string[] = [];
  let schemaReads = 0;
  const session = {
    async call(rpc: string, request: Record<string, unknown>) {
      calls.push(`${rpc} ${String(request.type_name ?? request.name)}`);
      return options.call ? options.call(rpc, request) : { diagnostics: [] };
    },
  } as unknown as Session;
  const upstream: UpstreamProvider = {
    binary: { path: '/plugins/terraform-provider-aws_v5.100.0_x5', version: options.version, reason: 'test' },
    schema: async () => {
      schemaReads++;
      return options.schema ? options.schema() : SCHEMA;
    },
    connect: async () => session,
    configure: async (request: { config?: { msgpack?: Buffer } }, inputs) => {
      const config = request.config?.msgpack?.length ? decodeMsgpack(request.config.msgpack, impliedType(THEIR_PROVIDER.block!)) : null;
      configured.push({ config, inputs });
      return options.configure ? options.configure(request, inputs) : [];
    },
    stop: async () => {
      events.push('upstream stop');
    },
    close: async () => {
      events.push('upstream close');
    },
  } as UpstreamProvider;
  return { upstream, configured, calls, events, schemaReads: () => schemaReads };
}

/** A directory holding `files`, and the run of `command` in it. */
function runIn(files: Record<string, string>, command: string[] | undefined = undefined): () => RunContext {
  const cwd = mkdtempSync(join(dir, 'run-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(cwd, name, '..'), { recursive: true });
    writeFileSync(join(cwd, name), text);
  }
  return () => ({ cwd, env: {}, command });
}

function router(fake: ReturnType<typeof fakeUpstream>, more: Partial<RouterOptions> = {}): Router {
  return new Router({ native: nativeHandlers().handlers, upstream: fake.upstream, log: quiet, run: runIn({}), ...more });
}

const providerConfig = (region: string | null, user_agent: string | null = null, new_argument: string | null = null) => ({
  config: { msgpack: Buffer.from(encodeMsgpack({ region, user_agent, new_argument }, impliedType(OUR_PROVIDER.block!))) },
  terraform_version: '1.11.4',
  client_capabilities: null,
});
const OBJECT = { msgpack: Buffer.from([0x81, 0xa2, 0x69, 0x64, 0xa1, 0x78]) }; // {"id": "x"}
const read = (type_name = 'aws_s3_bucket') => ({ type_name, current_state: OBJECT, private: Buffer.alloc(0), provider_meta: null, client_capabilities: null });
const callFunction = (name: string) => ({ name, arguments: [] });

/** Calls `rpc` of the router (any request shape: the fakes read only names). */
function call(r: Router, rpc: string, request: object, log: Logger = quiet): Promise<Record<string, unknown>> {
  return (r as unknown as Record<string, (request: object, context: CallContext) => Promise<Record<string, unknown>>>)[rpc]!.call(r, request, context(log));
}

/** The router's decision at ConfigureProvider (no request waits for it here). */
async function settled(r: Router): Promise<void> {
  const internals = r as unknown as { earlyStart?: Promise<void>; upstreamConfigured?: Promise<unknown> };
  await internals.earlyStart;
  await internals.upstreamConfigured?.catch(() => undefined);
}

t.test('ConfigureProvider is replayed into the upstream once, re-encoded for its provider block; its warnings come with the first answer', async (t) => {
  const fake = fakeUpstream({ configure: async () => [warningDiagnostic('Deprecated argument', 'region is old')] });
  const r = router(fake);
  await call(r, 'ConfigureProvider', providerConfig('us-west-2'));
  await settled(r);
  t.same(fake.configured, [], 'a run naming no delegated type does not configure it ahead of a request');

  t.same(await call(r, 'ReadResource', read()), { diagnostics: [warningDiagnostic('Deprecated argument', 'region is old')] }, 'the first answer carries the warnings');
  t.same(await call(r, 'ReadResource', read()), { diagnostics: [] }, 'later answers do not');
  t.same(fake.configured, [{ config: { region: 'us-west-2' }, inputs: undefined }], 'configured once, with its own provider block');
  t.same(fake.calls, ['ReadResource aws_s3_bucket', 'ReadResource aws_s3_bucket']);

  // A new ConfigureProvider is replayed again, and its warnings shown again.
  await call(r, 'ConfigureProvider', providerConfig('eu-west-1'));
  t.same(await call(r, 'ReadResource', read()), { diagnostics: [warningDiagnostic('Deprecated argument', 'region is old')] });
  t.same(fake.configured.map((c) => c.config), [{ region: 'us-west-2' }, { region: 'eu-west-1' }]);
});

t.test('warnings go only into answers that have diagnostics (CallFunction has none)', async (t) => {
  const fake = fakeUpstream({ configure: async () => [warningDiagnostic('w')], call: async () => ({ result: { msgpack: Buffer.from([0xc0]) } }) });
  const r = router(fake);
  await call(r, 'ConfigureProvider', providerConfig('us-west-2'));
  t.same(await call(r, 'CallFunction', callFunction('trim_iam_role_path')), { result: { msgpack: Buffer.from([0xc0]) } });
});

t.test('before any ConfigureProvider, requests reach the upstream unconfigured and as they were answered', async (t) => {
  const fake = fakeUpstream();
  const { log, lines } = capturingLog();
  const r = router(fake, { log });
  const before = performance.now();
  t.same(await call(r, 'ReadResource', read(), log), { diagnostics: [] });
  const elapsed = performance.now() - before;
  t.same(fake.configured, [], 'nothing to replay');
  const forwarded = lines().filter((l) => l['@message'] === 'forwarded to the upstream');
  t.equal(forwarded.length, 1, 'each forwarded request is logged');
  t.equal(forwarded[0]!.type, 'aws_s3_bucket');
  t.ok((forwarded[0]!.ms as number) >= 0 && (forwarded[0]!.ms as number) <= Math.ceil(elapsed), 'with how long it took');
});

t.test("the upstream's configuration errors answer every forwarded request, which it never receives", async (t) => {
  const failed = errorDiagnostic('Invalid provider configuration', 'No valid credential sources found');
  const bare = { severity: 'ERROR', summary: 'Second problem' } as Diagnostic;
  const fake = fakeUpstream({ configure: async () => [warningDiagnostic('a warning'), failed, bare] });
  const r = router(fake);
  await call(r, 'ConfigureProvider', providerConfig('us-west-2'));
  t.same(await call(r, 'ReadResource', read()), { diagnostics: [failed, bare] }, 'the errors as they were, without the warning');
  t.same(await call(r, 'CallFunction', callFunction('trim_iam_role_path')), {
    error: { text: 'Invalid provider configuration: No valid credential sources found\nSecond problem: ' },
  });
  t.same(fake.calls, [], 'nothing was forwarded');
  t.equal(fake.configured.length, 1, 'the configuration is not retried for each request');
});

t.test('a set provider argument the upstream does not know refuses the delegated requests, naming it and the binary', async (t) => {
  const fake = fakeUpstream({ version: '5.100.0' });
  const r = router(fake);
  await call(r, 'ConfigureProvider', providerConfig('us-west-2', 'me/1.0'));
  t.same(await call(r, 'ReadResource', read()), {
    diagnostics: [
      errorDiagnostic(
        'Provider argument not supported by hashicorp/aws 5.100.0',
        'The provider "aws" block sets user_agent, which the hashicorp/aws provider 5.100.0 (/plugins/terraform-provider-aws_v5.100.0_x5) ' +
          'that serves the types this provider does not implement does not know. Remove the argument, or make a hashicorp/aws version that supports it available.',
      ),
    ],
  });
  t.same(fake.configured, [], 'the upstream is not configured without it');
  t.same(fake.calls, []);

  const two = router(fakeUpstream({ version: '5.100.0' }));
  await call(two, 'ConfigureProvider', providerConfig(null, 'me/1.0', 'x'));
  t.match(await call(two, 'ReadResource', read()), { diagnostics: [{ detail: /^The provider "aws" block sets new_argument, user_agent, which/ }] }, 'every one is named');

  const unversioned = fakeUpstream();
  const other = router(unversioned);
  await call(other, 'ConfigureProvider', providerConfig(null, 'me/1.0'));
  t.match(await call(other, 'ReadResource', read()), {
    diagnostics: [{ summary: 'Provider argument not supported by hashicorp/aws', detail: /^The provider "aws" block sets user_agent, which the hashicorp\/aws provider \(\/plugins/ }],
  }, 'without a known version, none is named');
});

t.test("what hashicorp/aws reads when configured is handed to the upstream with the configuration (our schema's value)", async (t) => {
  const seen: unknown[] = [];
  const inputs = async (config: unknown) => {
    seen.push(config);
    return { files: ['/home/u/.aws/config'] };
  };
  const fake = fakeUpstream();
  const r = router(fake, { configurationInputs: inputs });
  await call(r, 'ConfigureProvider', providerConfig('us-west-2'));
  await call(r, 'ReadResource', read());
  t.same(seen, [{ region: 'us-west-2', user_agent: null, new_argument: null }]);
  t.same(fake.configured[0]!.inputs, { files: ['/home/u/.aws/config'] });

  const failing = fakeUpstream();
  const f = router(failing, { configurationInputs: async () => Promise.reject(new Error('no HOME')) });
  await call(f, 'ConfigureProvider', providerConfig('us-west-2'));
  await call(f, 'ReadResource', read());
  t.same(failing.configured[0]!.inputs, { refused: 'its inputs could not be read: no HOME' }, 'inputs that cannot be read refuse keeping the child');

  const empty = fakeUpstream();
  seen.length = 0;
  const e = router(empty, { configurationInputs: inputs });
  await call(e, 'ConfigureProvider', { config: { msgpack: Buffer.alloc(0) }, terraform_version: '1.11.4', client_capabilities: null });
  await call(e, 'ReadResource', read());
  t.same(seen, [], 'no configuration, nothing to read');
  t.equal(empty.configured[0]!.inputs, undefined);

  const bare = router(fakeUpstream(), { configurationInputs: inputs });
  await call(bare, 'ConfigureProvider', { config: {}, terraform_version: '1.11.4', client_capabilities: null });
  t.same(await call(bare, 'ReadResource', read()), { diagnostics: [] }, 'nor with a configuration without its bytes');

  const none = { config: null, terraform_version: '1.11.4', client_capabilities: null };
  const n = router(fakeUpstream(), { configurationInputs: inputs });
  await call(n, 'ConfigureProvider', none);
  t.same(await call(n, 'ReadResource', read()), { diagnostics: [] }, 'nor with a null configuration');
  t.same(seen, []);
});

t.test('failures of a forwarded request: an upstream error is a diagnostic naming the type, anything else is thrown', async (t) => {
  const fake = fakeUpstream({
    call: async (rpc) => {
      if (rpc === 'ReadResource') throw new UpstreamError('the plugin exited (code 2)');
      throw new TypeError('a bug');
    },
  });
  const { log, lines } = capturingLog();
  const r = router(fake, { log });
  t.same(await call(r, 'ReadResource', read(), log), { diagnostics: [errorDiagnostic('hashicorp/aws could not serve aws_s3_bucket', 'the plugin exited (code 2)')] });
  t.match(lines().filter((l) => l['@level'] === 'error'), [{ '@message': 'upstream request failed', type: 'aws_s3_bucket', error: 'the plugin exited (code 2)' }]);
  await t.rejects(call(r, 'ReadDataSource', { type_name: 'aws_caller_identity', config: OBJECT }, log), TypeError);
});

t.test('started at ConfigureProvider only when the run names a type hashicorp/aws serves and the router does not', async (t) => {
  const decide = async (files: Record<string, string>, command: string[] | undefined, options: FakeOptions = {}) => {
    const fake = fakeUpstream(options);
    const r = router(fake, { run: runIn(files, command) });
    await call(r, 'ConfigureProvider', providerConfig('us-west-2'));
    await settled(r);
    return { configured: fake.configured.length, schemaReads: fake.schemaReads() };
  };
  // Every schema in scope (no readable command line): the configuration's blocks decide.
  t.same(await decide({ 'main.tf': 'resource "aws_s3_bucket" "b" {}\n' }, undefined), { configured: 1, schemaReads: 2 }, 'a delegated resource');
  t.same(await decide({ 'main.tf': 'data "aws_caller_identity" "me" {}\n' }, undefined), { configured: 1, schemaReads: 2 }, 'a delegated data source');
  t.same(await decide({ 'main.tf': 'resource "aws_iam_role" "r" {}\n' }, undefined), { configured: 0, schemaReads: 0 }, 'a native type, which hashicorp/aws also has: its schema is not even read');
  t.same(await decide({ 'terraform.tfstate': '{"resources":[{"type":"aws_s3_bucket"}]}' }, undefined), { configured: 0, schemaReads: 0 }, 'a type only in the state waits for its request');
  // A scoped command: the words of the configuration and state decide.
  t.same(await decide({ 'main.tf': 'output "o" { value = "aws_not_a_type" }\n' }, ['terraform', 'plan']), { configured: 0, schemaReads: 1 }, 'a word hashicorp/aws does not serve');
  t.same(await decide({ 'terraform.tfstate': '{"resources":[{"type":"aws_s3_bucket"}]}' }, ['terraform', 'plan']), { configured: 1, schemaReads: 2 }, 'in scope, the state counts');
  t.same(await decide({ 'main.tf': 'resource "aws_s3_bucket" "b" { x = "aws_not_a_type" }\n' }, ['terraform', 'plan']), { configured: 1, schemaReads: 2 }, 'one served word is enough');
  t.same(await decide({ 'main.tf': 'resource "aws_s3_bucket" "b" {}\n' }, undefined, { schema: async () => Promise.reject(new UpstreamError('no schema')) }), { configured: 0, schemaReads: 1 }, 'not when its schema cannot be had');
});

t.test('a failure deciding whether to start early is logged, and the requests still work', async (t) => {
  const fake = fakeUpstream();
  const { log, lines } = capturingLog();
  let runs = 0;
  const r = router(fake, {
    run: () => {
      if (runs++ === 0) throw new Error('cwd vanished');
      return { cwd: dir, env: {}, command: undefined };
    },
  });
  await call(r, 'ConfigureProvider', providerConfig('us-west-2'), log);
  await settled(r);
  t.match(lines().filter((l) => l['@message'] === 'the upstream was not started early'), [{ '@level': 'debug', error: 'cwd vanished' }]);
  t.same(await call(r, 'ReadResource', read()), { diagnostics: [] });
  t.equal(fake.configured.length, 1);
});

t.test('an early configuration that fails is reported by the requests that need it, never as an unhandled rejection', async (t) => {
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', record);
  t.teardown(() => process.off('unhandledRejection', record));
  const fake = fakeUpstream({ configure: async () => Promise.reject(new UpstreamError('exited before the handshake')) });
  const r = router(fake, { run: runIn({ 'main.tf': 'resource "aws_s3_bucket" "b" {}\n' }) });
  await call(r, 'ConfigureProvider', providerConfig('us-west-2'));
  await (r as unknown as { earlyStart: Promise<void> }).earlyStart;
  await new Promise((resolve) => setTimeout(resolve, 10));
  t.same(unhandled, []);
  t.same(await call(r, 'ReadResource', read()), { diagnostics: [errorDiagnostic('hashicorp/aws could not serve aws_s3_bucket', 'exited before the handshake')] });
});

t.test("functions: the upstream's, with the native ones winning; only the native ones without the upstream", async (t) => {
  const r = router(fakeUpstream());
  const merged = (await call(r, 'GetFunctions', {})).functions as Record<string, { summary: string }>;
  t.same(Object.keys(merged).sort(), ['arn_parse', 'trim_iam_role_path']);
  t.equal(merged.arn_parse!.summary, 'ours');
  t.equal(merged.trim_iam_role_path!.summary, 'theirs');

  const { log, lines } = capturingLog();
  const broken = fakeUpstream({ schema: async () => Promise.reject(new UpstreamError('no handshake')) });
  const b = router(broken, { log });
  t.same(await call(b, 'GetFunctions', {}, log), { functions: { arn_parse: { summary: 'ours' } } });
  t.match(lines().filter((l) => l['@level'] === 'warn'), [{ '@message': 'upstream schema unavailable', error: 'no handshake' }]);

  const { GetFunctions: _, ...withoutFunctions } = nativeHandlers().handlers as unknown as Record<string, unknown>;
  const w = new Router({ native: withoutFunctions as unknown as ProviderHandlers, upstream: fakeUpstream().upstream, log: quiet, run: runIn({}) });
  const theirsOnly = (await call(w, 'GetFunctions', {})).functions as Record<string, { summary: string }>;
  t.same(Object.keys(theirsOnly), ['trim_iam_role_path'], 'native handlers without functions');
  t.equal(theirsOnly.trim_iam_role_path!.summary, 'theirs');
});

t.test('metadata: every kind merged; without the upstream, the native names and a warning', async (t) => {
  const r = router(fakeUpstream());
  t.same(await call(r, 'GetMetadata', {}), {
    diagnostics: [warningDiagnostic('native metadata note')],
    server_capabilities: { plan_destroy: true, get_provider_schema_optional: true, move_resource_state: true },
    resources: [{ type_name: 'aws_iam_role' }, { type_name: 'aws_s3_bucket' }],
    data_sources: [{ type_name: 'aws_caller_identity' }],
    ephemeral_resources: [{ type_name: 'aws_secretsmanager_secret_version' }],
    functions: [{ name: 'arn_parse' }, { name: 'trim_iam_role_path' }],
  });
  const noMoves = router(fakeUpstream({ schema: async () => theirs({ plan_destroy: true }) }));
  t.match(await call(noMoves, 'GetMetadata', {}), { server_capabilities: { move_resource_state: false } }, 'moves only when the upstream moves');

  const broken = router(fakeUpstream({ schema: async () => Promise.reject(new UpstreamError('no handshake')) }));
  const answer = await call(broken, 'GetMetadata', {});
  t.same(answer.resources, [{ type_name: 'aws_iam_role' }]);
  t.match(answer.diagnostics, [{ summary: 'native metadata note' }, { severity: 'WARNING', summary: 'hashicorp/aws is unavailable', detail: /failed\. no handshake$/ }]);

  const { GetMetadata: _, ...nameless } = nativeHandlers().handlers as unknown as Record<string, unknown>;
  const n = new Router({ native: nameless as unknown as ProviderHandlers, upstream: fakeUpstream().upstream, log: quiet, run: runIn({}) });
  await t.rejects(call(n, 'GetMetadata', {}), { message: 'the native handlers do not declare their names (GetMetadata)' });
});

t.test('the merged schema logs which types it holds', async (t) => {
  const scoped = capturingLog();
  await call(router(fakeUpstream(), { log: scoped.log, run: runIn({ 'main.tf': '' }, ['terraform', 'plan']) }), 'GetProviderSchema', {}, scoped.log);
  const merged = (lines: Record<string, unknown>[]) => lines.filter((l) => l['@message'] === 'merged schema');
  // The configuration names nothing: their ephemeral resource and the function the router does not serve.
  t.match(merged(scoped.lines()), [{ scope: 'types named in the configuration and state', upstream_entries: 2 }]);
  const all = capturingLog();
  await call(router(fakeUpstream(), { log: all.log, run: runIn({}, ['terraform', 'providers', 'schema']) }), 'GetProviderSchema', {}, all.log);
  t.match(merged(all.lines()), [{ scope: 'all types: terraform providers may ask about any type', upstream_entries: 4 }]);
});

t.test('deletions the upstream cannot plan are planned for it; every other plan goes where its type is served', async (t) => {
  const fake = fakeUpstream({ schema: async () => theirs({ plan_destroy: false }), call: async () => ({ answeredBy: 'upstream' }) });
  const native = nativeHandlers();
  const r = new Router({ native: native.handlers, upstream: fake.upstream, log: quiet, run: runIn({}) });
  const plan = (type_name: string, proposed: Buffer | null) => ({
    type_name,
    prior_state: OBJECT,
    proposed_new_state: proposed && { msgpack: proposed },
    config: OBJECT,
    prior_private: Buffer.from('p'),
    provider_meta: null,
    client_capabilities: null,
  });
  t.same(await call(r, 'PlanResourceChange', plan('aws_s3_bucket', Buffer.from([0xc0]))), { planned_state: { msgpack: Buffer.from([0xc0]) }, planned_private: Buffer.from('p') });
  t.same(await call(r, 'PlanResourceChange', plan('aws_iam_role', Buffer.from([0xc0]))), { answeredBy: 'native' }, 'a native deletion is the native handlers\'');
  t.same(native.received, ['PlanResourceChange aws_iam_role']);
  t.same(await call(r, 'PlanResourceChange', plan('aws_s3_bucket', Buffer.from([0x80]))), { answeredBy: 'upstream' }, 'a one-byte object is no deletion');
  t.same(await call(r, 'PlanResourceChange', plan('aws_s3_bucket', null)), { answeredBy: 'upstream' }, 'nor is a request without a proposed state');
  t.same(fake.calls, ['PlanResourceChange aws_s3_bucket', 'PlanResourceChange aws_s3_bucket']);
});

t.test('a native type without a handler for the request: an error saying so', async (t) => {
  const r = router(fakeUpstream());
  t.same(await call(r, 'ReadResource', read('aws_iam_role')), { diagnostics: [errorDiagnostic('Unsupported operation', 'This provider does not implement ReadResource for aws_iam_role.')] });
  t.same(await call(r, 'MoveResourceState', { source_type_name: 'aws_s3_bucket', target_type_name: 'aws_iam_role' }), {
    diagnostics: [errorDiagnostic('Unsupported operation', 'This provider does not move other resource types into aws_iam_role.')],
  });
});

t.test('stop reaches the native handlers and the upstream; close, the upstream', async (t: Test) => {
  const fake = fakeUpstream();
  const native = nativeHandlers();
  const r = new Router({ native: native.handlers, upstream: fake.upstream, log: quiet, run: runIn({}) });
  await r.stop();
  t.same(native.received, ['stop']);
  t.same(fake.events, ['upstream stop']);
  await r.close();
  t.same(fake.events, ['upstream stop', 'upstream close']);
});

t.test('only the newest ConfigureProvider is replayed early', async (t) => {
  const fake = fakeUpstream();
  const r = router(fake, { run: runIn({ 'main.tf': 'resource "aws_s3_bucket" "b" {}\n' }) });
  const first = call(r, 'ConfigureProvider', providerConfig('us-west-2'));
  const second = call(r, 'ConfigureProvider', providerConfig('eu-west-1'));
  await Promise.all([first, second]);
  await settled(r);
  t.same(fake.configured.map((c) => c.config), [{ region: 'eu-west-1' }]);
  t.same(await call(r, 'ReadResource', read()), { diagnostics: [] });
  t.equal(fake.configured.length, 1);
});

t.test("the upstream's configuration is logged by the router", async (t) => {
  const { log, lines } = capturingLog();
  const r = router(fakeUpstream({ configure: async () => [warningDiagnostic('w')] }), { log });
  await call(r, 'ConfigureProvider', providerConfig('us-west-2'), log);
  await call(r, 'ReadResource', read(), log);
  t.match(lines().filter((l) => l['@message'] === 'upstream configured'), [{ '@level': 'debug', '@module': 'provider.router', diagnostics: 1 }]);
});

t.test('ValidateProviderConfig is the native handlers\' alone', async (t) => {
  const fake = fakeUpstream();
  const native = nativeHandlers({ ValidateProviderConfig: async () => ({ diagnostics: [warningDiagnostic('native validation')] }) });
  const r = new Router({ native: native.handlers, upstream: fake.upstream, log: quiet, run: runIn({}) });
  t.same(await call(r, 'ValidateProviderConfig', { config: null }), { diagnostics: [warningDiagnostic('native validation')] });
  t.equal(fake.schemaReads(), 0);
});

t.test('native handlers that declare no list or diagnostics of some kind', async (t) => {
  const bare = nativeHandlers({ GetMetadata: async () => ({ resources: [{ type_name: 'aws_iam_role' }] }) });
  const ok = new Router({ native: bare.handlers, upstream: fakeUpstream().upstream, log: quiet, run: runIn({}) });
  t.match(await call(ok, 'GetMetadata', {}), {
    resources: [{ type_name: 'aws_iam_role' }, { type_name: 'aws_s3_bucket' }],
    functions: [{ name: 'arn_parse' }, { name: 'trim_iam_role_path' }],
  });
  const empty = new Router({ native: nativeHandlers({ GetMetadata: async () => ({}) }).handlers, upstream: fakeUpstream().upstream, log: quiet, run: runIn({}) });
  const all = await call(empty, 'GetMetadata', {});
  t.same(all.resources, [{ type_name: 'aws_iam_role' }, { type_name: 'aws_s3_bucket' }]);
  t.same(all.functions, [{ name: 'arn_parse' }, { name: 'trim_iam_role_path' }]);
  const failing = { schema: async () => Promise.reject(new UpstreamError('no handshake')) };
  const broken = new Router({ native: bare.handlers, upstream: fakeUpstream(failing).upstream, log: quiet, run: runIn({}) });
  t.match(await call(broken, 'GetMetadata', {}), { diagnostics: [{ summary: 'hashicorp/aws is unavailable' }] });
  t.equal(((await call(broken, 'GetMetadata', {})).diagnostics as unknown[]).length, 1, 'the warning alone');
  const { GetFunctions: _, ...withoutFunctions } = nativeHandlers().handlers as unknown as Record<string, unknown>;
  const none = new Router({ native: withoutFunctions as unknown as ProviderHandlers, upstream: fakeUpstream(failing).upstream, log: quiet, run: runIn({}) });
  t.same(await call(none, 'GetFunctions', {}), { functions: {} }, 'no functions at all: an empty list');
});
