// The router without the real hashicorp/aws: a schema cache prepared from a synthetic GetSchema answer, and fake
// upstream binaries that fail. The merged schema (what is served, what wins, which capabilities), the routing by
// type and function name, the diagnostics when the upstream cannot start, and its start at ConfigureProvider when the
// configuration names a delegated type.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { pluginDescriptors } from '../../src/protocol/definitions';
import { Logger } from '../../src/protocol/log';
import { EncodedResponse, type CallContext, type GetProviderSchemaResponse, type ProviderHandlers, type Schema } from '../../src/protocol/tfplugin6';
import { Router } from '../../src/router/router';
import { binaryIdentity, storeSchema } from '../../src/upstream/schema-cache';
import { Upstream } from '../../src/upstream/upstream';
import { encodeMsgpack } from '../../src/values';

const dir = mkdtempSync(join(tmpdir(), 'router-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const log = new Logger('provider', 'off');
const context: CallContext = { signal: new AbortController().signal, rpc: 'test', log };

const schema = (attribute: string): Schema => ({ version: 0, block: { attributes: [{ name: attribute, type: Buffer.from('"string"'), optional: true }] } });
const calls: string[] = [];
const native = {
  async GetProviderSchema() {
    return {
      provider: schema('ours'),
      resource_schemas: { aws_iam_role: schema('native_role') },
      data_source_schemas: { aws_iam_policy_document: schema('native_document') },
      functions: {},
      server_capabilities: { plan_destroy: true, get_provider_schema_optional: true, move_resource_state: false },
    };
  },
  async GetMetadata() {
    return { resources: [{ type_name: 'aws_iam_role' }], data_sources: [{ type_name: 'aws_iam_policy_document' }], functions: [{ name: 'arn_parse' }] };
  },
  async ValidateResourceConfig(request: { type_name: string }) {
    calls.push(`native ValidateResourceConfig ${request.type_name}`);
    return { diagnostics: [] };
  },
  async CallFunction(request: { name: string }) {
    calls.push(`native CallFunction ${request.name}`);
    return { result: { msgpack: Buffer.from([0xc0]) } };
  },
  async ConfigureProvider() {
    calls.push('native ConfigureProvider');
    return { diagnostics: [] };
  },
} as unknown as ProviderHandlers;

function binary(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

function router(binaryPath: string, cacheDir: string, workdir = dir, startTimeoutMs = 5_000): Router {
  const upstream = new Upstream({ binary: { path: binaryPath, version: '5.100.0', reason: 'test' }, log, cacheDir, startTimeoutMs, env: process.env, cwd: workdir });
  return new Router({ native, upstream, log, run: () => ({ cwd: workdir, env: {}, command: ['terraform', 'plan'] }) });
}

t.test('the merged schema: ours wins, only the types the run names, every function and ephemeral resource', async (t) => {
  // A binary that must never start: its schema is in the cache.
  const upstreamBinary = binary('never-started.sh', 'exit 99');
  const cacheDir = join(dir, 'cache');
  storeSchema(cacheDir, binaryIdentity(upstreamBinary), {
    provider: schema('theirs'),
    resource_schemas: { aws_iam_role: schema('their_role'), aws_s3_bucket: schema('bucket'), aws_vpc: schema('vpc') },
    data_source_schemas: { aws_iam_policy_document: schema('their_document'), aws_caller_identity: schema('account_id') },
    ephemeral_resource_schemas: { aws_secretsmanager_secret_version: schema('secret') },
    functions: { arn_parse: { summary: 'theirs' }, new_function: { summary: 'new' } },
    server_capabilities: { plan_destroy: true, get_provider_schema_optional: true, move_resource_state: true },
  });
  const workdir = join(dir, 'work');
  mkdirSync(workdir);
  writeFileSync(join(workdir, 'main.tf'), 'resource "aws_iam_role" "r" {}\nresource "aws_s3_bucket" "b" {}\n');
  writeFileSync(join(workdir, 'terraform.tfstate'), JSON.stringify({ resources: [{ type: 'aws_caller_identity', mode: 'data' }] }));

  const answer = await router(upstreamBinary, cacheDir, workdir).GetProviderSchema({}, context);
  t.ok(answer instanceof EncodedResponse, 'already encoded');
  const merged = pluginDescriptors.decode('tfplugin6.GetProviderSchema.Response', (answer as EncodedResponse).bytes) as GetProviderSchemaResponse;
  const attributeOf = (s: Schema | undefined) => s?.block?.attributes?.[0]?.name;
  t.equal(attributeOf(merged.provider), 'ours', 'the provider block is ours');
  t.same(Object.keys(merged.resource_schemas!).sort(), ['aws_iam_role', 'aws_s3_bucket'], 'aws_vpc is named nowhere in the run');
  t.equal(attributeOf(merged.resource_schemas!.aws_iam_role), 'native_role', 'a native type replaces theirs');
  t.same(Object.keys(merged.data_source_schemas!).sort(), ['aws_caller_identity', 'aws_iam_policy_document'], 'the state names aws_caller_identity');
  t.equal(attributeOf(merged.data_source_schemas!.aws_iam_policy_document), 'native_document');
  t.same(Object.keys(merged.ephemeral_resource_schemas!), ['aws_secretsmanager_secret_version']);
  t.same(Object.keys(merged.functions!).sort(), ['new_function'], 'their functions but the native ones');
  t.same(merged.server_capabilities, { plan_destroy: true, get_provider_schema_optional: true, move_resource_state: true });

  const all = await router(upstreamBinary, cacheDir, workdir).GetMetadata({}, context);
  t.same(all.resources?.map((r) => r.type_name).sort(), ['aws_iam_role', 'aws_s3_bucket', 'aws_vpc'], 'GetMetadata lists every type, once');
});

t.test('requests are routed by type and function name; a failed start is a diagnostic on the request that needed it', async (t) => {
  const crash = binary('crash.sh', 'echo "panic: cannot start" >&2\nexit 3');
  const cacheDir = join(dir, 'cache-crash');
  storeSchema(cacheDir, binaryIdentity(crash), { provider: schema('theirs'), resource_schemas: { aws_s3_bucket: schema('bucket') } });
  const r = router(crash, cacheDir);
  calls.length = 0;
  t.same(await r.ValidateResourceConfig({ type_name: 'aws_iam_role', config: null, client_capabilities: null }, context), { diagnostics: [] });
  t.same(await r.CallFunction({ name: 'arn_parse', arguments: [] }, context), { result: { msgpack: Buffer.from([0xc0]) } });
  t.same(calls, ['native ValidateResourceConfig aws_iam_role', 'native CallFunction arn_parse'], 'native names go to the native handlers');

  const delegated = await r.ValidateResourceConfig({ type_name: 'aws_s3_bucket', config: null, client_capabilities: null }, context);
  t.match(delegated.diagnostics, [
    { severity: 'ERROR', summary: 'hashicorp/aws could not serve aws_s3_bucket', detail: /exited \(code 3\) before completing the plugin handshake\.\nIts last output:\npanic: cannot start/ },
  ]);
  const fn = await r.CallFunction({ name: 'new_function', arguments: [] }, context);
  t.match(fn.error?.text, /hashicorp\/aws could not serve provider::aws::new_function/, 'a function error for CallFunction');
  await r.stop();
  await r.close();
});

t.test('an upstream whose schema cannot be had leaves the native schema, with a warning', async (t) => {
  // A child that never prints its handshake: a short start timeout stands for the real one (its length is the
  // upstream's business; what counts here is that the router answers, with the reason, instead of waiting).
  const silent = binary('silent.sh', 'exec sleep 600');
  const answer = (await router(silent, join(dir, 'cache-empty'), dir, 200).GetProviderSchema({}, context)) as GetProviderSchemaResponse;
  t.same(Object.keys(answer.resource_schemas ?? {}), ['aws_iam_role']);
  t.match(answer.diagnostics, [{ severity: 'WARNING', summary: 'hashicorp/aws is unavailable', detail: /printed no handshake within 0\.2 s/ }]);
});

t.test('started at ConfigureProvider when the configuration names a delegated type, and only then', async (t) => {
  const configure = { config: { msgpack: Buffer.from(encodeMsgpack({ ours: null }, ['object', { ours: 'string' }])) }, terraform_version: '1.11.4', client_capabilities: null };
  /** Configures a router for `config` with a binary that records each start (then fails its handshake); its starts. */
  const starts = async (name: string, config: string) => {
    const marker = join(dir, `${name}-starts`);
    const recording = binary(`${name}.sh`, `echo started >> '${marker}'\nexit 3`);
    const cacheDir = join(dir, `cache-${name}`);
    storeSchema(cacheDir, binaryIdentity(recording), { provider: schema('ours'), resource_schemas: { aws_s3_bucket: schema('bucket') } });
    const workdir = join(dir, name);
    mkdirSync(workdir);
    writeFileSync(join(workdir, 'main.tf'), config);
    const r = router(recording, cacheDir, workdir);
    t.teardown(() => r.close());
    calls.length = 0;
    t.same(await r.ConfigureProvider(configure as never, context), { diagnostics: [] }, 'the native configuration answers at once');
    t.same(calls, ['native ConfigureProvider']);
    // No request waits for the decision here: wait for it, and for the configuration it started, if any.
    const internals = r as unknown as { earlyStart: Promise<void>; upstreamConfigured?: Promise<unknown> };
    await internals.earlyStart;
    await internals.upstreamConfigured?.catch(() => undefined);
    return existsSync(marker) ? readFileSync(marker, 'utf8').split('\n').filter(Boolean).length : 0;
  };
  t.equal(await starts('native-only', 'resource "aws_iam_role" "r" {}\n'), 0, 'native types only: hashicorp/aws is not started');
  t.equal(
    await starts('mixed', 'resource "aws_iam_role" "r" {}\nresource "aws_s3_bucket" "b" {}\n'),
    1,
    'a delegated type in the configuration: started at ConfigureProvider, before any request needs it',
  );
});

t.test('an upstream without plan_destroy: its deletions are planned without asking it, as Terraform would', async (t) => {
  const crash = binary('crash-again.sh', 'exit 3');
  const cacheDir = join(dir, 'cache-no-plan-destroy');
  storeSchema(cacheDir, binaryIdentity(crash), { provider: schema('theirs'), resource_schemas: { aws_s3_bucket: schema('bucket') }, server_capabilities: { plan_destroy: false } });
  const destroy = {
    type_name: 'aws_s3_bucket',
    prior_state: { msgpack: Buffer.from([0x81, 0xa6, 0x62, 0x75, 0x63, 0x6b, 0x65, 0x74, 0xa1, 0x62]) },
    proposed_new_state: { msgpack: Buffer.from([0xc0]) },
    config: { msgpack: Buffer.from([0xc0]) },
    prior_private: Buffer.from('private'),
    provider_meta: null,
    client_capabilities: null,
  };
  t.same(await router(crash, cacheDir).PlanResourceChange(destroy, context), { planned_state: destroy.proposed_new_state, planned_private: Buffer.from('private') });
  const update = await router(crash, cacheDir).PlanResourceChange({ ...destroy, proposed_new_state: destroy.prior_state }, context);
  t.match(update.diagnostics, [{ summary: 'hashicorp/aws could not serve aws_s3_bucket' }], 'anything else is still asked of it');
});
