// The router room's entry: with hashicorp/aws found, a router that serves its types too; without it (disabled,
// unusable, not found), the native handlers, whose ValidateProviderConfig names the configured types that would need
// it and why it is missing. And the Terraform run a launch serves, read from its parent's command line.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { Launch } from '../../src/protocol/launch';
import { Logger } from '../../src/protocol/log';
import { warningDiagnostic, type CallContext, type ProviderHandlers, type Schema } from '../../src/protocol/tfplugin6';
import { routedProvider } from '../../src/router';
import { runOf } from '../../src/router/working-directory';
import type { Discovery } from '../../src/upstream/discovery';
import { binaryIdentity, schemaCacheDir, storeSchema } from '../../src/upstream/schema-cache';

const dir = mkdtempSync(join(tmpdir(), 'routed-provider-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const schema: Schema = { version: 0, block: { attributes: [{ name: 'id', type: Buffer.from('"string"'), computed: true }] } };
const NATIVE_NOTE = warningDiagnostic('a native note');

function capturingLog(): { log: Logger; lines: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  return { log: new Logger('provider', 'debug', (line) => lines.push(line)), lines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

function nativeHandlers() {
  const received: string[] = [];
  const handlers = {
    async init() {
      received.push('init');
    },
    async GetMetadata() {
      received.push('GetMetadata');
      return { resources: [{ type_name: 'aws_iam_role' }], data_sources: [{ type_name: 'aws_iam_policy_document' }], functions: [{ name: 'arn_parse' }] };
    },
    async GetProviderSchema() {
      return { provider: schema, resource_schemas: { aws_iam_role: schema }, data_source_schemas: { aws_iam_policy_document: schema }, functions: {} };
    },
    async ValidateProviderConfig() {
      received.push('ValidateProviderConfig');
      return { diagnostics: [NATIVE_NOTE] };
    },
  } as unknown as ProviderHandlers;
  return { handlers, received };
}

/** A launch in a fresh directory holding `files`; its Terraform is a process that is gone. */
function launchWith(files: Record<string, string>, log: Logger): Launch {
  const cwd = mkdtempSync(join(dir, 'launch-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(cwd, name), text);
  return { terraformPid: 2 ** 22 + 1, cwd, env: { HOME: cwd, XDG_CACHE_HOME: join(cwd, 'cache') }, executable: '/nonexistent', log };
}

const context = (log: Logger): CallContext => ({ signal: new AbortController().signal, rpc: 'test', log });
const MIXED = 'resource "aws_iam_role" "r" {}\nresource "aws_s3_bucket" "b" {}\ndata "aws_caller_identity" "me" {}\n';

t.test('with hashicorp/aws found: a router that serves its types, from its cached schema', async (t) => {
  const { log, lines } = capturingLog();
  const launch = launchWith({ 'main.tf': MIXED }, log);
  const binary = join(launch.cwd, 'terraform-provider-aws_v5.100.0_x5');
  writeFileSync(binary, '#!/bin/sh\nexit 3\n', { mode: 0o755 });
  storeSchema(schemaCacheDir(launch), binaryIdentity(binary), { provider: schema, resource_schemas: { aws_s3_bucket: schema, aws_iam_role: schema } });
  const found = { path: binary, version: '5.100.0', reason: 'the plugin cache' };
  const native = nativeHandlers();
  const provider = routedProvider(native.handlers, launch, { discovery: { kind: 'found', binary: found, candidates: [found, { ...found, version: '5.99.0' }] } });
  const metadata = await provider.GetMetadata!({}, context(log));
  t.same(metadata.resources, [{ type_name: 'aws_iam_role' }, { type_name: 'aws_s3_bucket' }], "the upstream's types after the native ones");
  t.match(lines().filter((l) => l['@message'] === 'upstream hashicorp/aws found'), [
    { '@level': 'info', '@module': 'provider.router', path: binary, version: '5.100.0', reason: 'the plugin cache', candidates: 2 },
  ]);
  t.same(await provider.ValidateProviderConfig({ config: null }, context(log)), { diagnostics: [NATIVE_NOTE] }, 'the native validation, no missing-type check');
  await provider.stop?.();
  await provider.close?.();
});

t.test('without hashicorp/aws: the configured types it would serve are named at ValidateProviderConfig, with why it is missing', async (t) => {
  const cases: [Discovery, RegExp, string, string][] = [
    [{ kind: 'disabled' }, /which is not available: TF_AWS_UPSTREAM_PROVIDER is set to none\./, 'debug', 'delegation disabled (TF_AWS_UPSTREAM_PROVIDER=none)'],
    [{ kind: 'invalid', message: 'TF_AWS_UPSTREAM_PROVIDER names /x, which does not exist.' }, /which is not available: TF_AWS_UPSTREAM_PROVIDER names \/x, which does not exist\./, 'warn', 'upstream hashicorp/aws unusable'],
    [{ kind: 'none', searched: ['/plugins'] }, /which it could not find\./, 'debug', 'no upstream hashicorp/aws found'],
  ];
  for (const [discovery, why, level, message] of cases) {
    const { log, lines } = capturingLog();
    const native = nativeHandlers();
    const provider = routedProvider(native.handlers, launchWith({ 'main.tf': MIXED }, log), { discovery });
    await provider.init!();
    const answer = await provider.ValidateProviderConfig({ config: null }, context(log));
    t.equal(answer.diagnostics?.length, 2, discovery.kind);
    t.same(answer.diagnostics![0], NATIVE_NOTE, 'the native answer first');
    t.match(answer.diagnostics![1], { severity: 'ERROR', summary: 'hashicorp/aws is needed for aws_s3_bucket, data.aws_caller_identity', detail: why });
    t.same(native.received, ['init', 'GetMetadata', 'ValidateProviderConfig'], 'the native names are read once, at init');
    const logged = lines().find((l) => l['@message'] === message);
    t.match(logged, { '@level': level, '@module': 'provider.router' }, `${discovery.kind} is logged`);
    if (discovery.kind === 'invalid') t.equal(logged?.problem, discovery.message);
    if (discovery.kind === 'none') t.same(logged?.searched, ['/plugins']);
  }
});

t.test('without hashicorp/aws, a configuration of native types validates as the native handlers say', async (t) => {
  const native = nativeHandlers();
  const quiet = new Logger('provider', 'off');
  const provider = routedProvider(native.handlers, launchWith({ 'main.tf': 'resource "aws_iam_role" "r" {}\n' }, quiet), { discovery: { kind: 'none', searched: [] } });
  t.same(await provider.ValidateProviderConfig({ config: null }, context(quiet)), { diagnostics: [NATIVE_NOTE] });
  t.same(native.received, ['ValidateProviderConfig', 'GetMetadata'], 'without init, the names are read when needed');
  const { init: _, ...bare } = native.handlers as unknown as Record<string, unknown>;
  const withoutInit = routedProvider(bare as unknown as ProviderHandlers, launchWith({}, quiet), { discovery: { kind: 'disabled' } });
  await t.resolves(withoutInit.init!(), 'native handlers need no init');
  const answer = await withoutInit.ValidateProviderConfig({ config: null }, context(quiet));
  t.same(answer, { diagnostics: [NATIVE_NOTE] });
});

t.test('a native answer without diagnostics gets the missing-type error alone', async (t) => {
  const native = nativeHandlers();
  const quiet = new Logger('provider', 'off');
  const handlers = { ...native.handlers, ValidateProviderConfig: async () => ({}) } as ProviderHandlers;
  const provider = routedProvider(handlers, launchWith({ 'main.tf': MIXED }, quiet), { discovery: { kind: 'disabled' } });
  const answer = await provider.ValidateProviderConfig({ config: null }, context(quiet));
  t.match(answer.diagnostics, [{ summary: 'hashicorp/aws is needed for aws_s3_bucket, data.aws_caller_identity' }]);
  t.equal(answer.diagnostics?.length, 1);
});

t.test("the run of a launch: its directory, environment and its Terraform's command line", async (t) => {
  const cwd = join(dir, 'run');
  mkdirSync(cwd);
  // A stand-in for Terraform whose argv has an empty argument in the middle, which is kept.
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', '', 'plan'], { stdio: 'ignore' });
  t.teardown(() => child.kill());
  await new Promise((resolve) => child.once('spawn', resolve));
  const env = { TF_LOG: 'off' };
  t.same(runOf({ terraformPid: child.pid!, cwd, env }), { cwd, env, command: [process.execPath, '-e', 'setTimeout(() => {}, 60000)', '', 'plan'] });
  t.same(runOf({ terraformPid: 2 ** 22 + 1, cwd, env }), { cwd, env, command: undefined }, 'a process that is gone: no command line');
  // Elsewhere than Linux there is no /proc to read it from.
  const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
  Object.defineProperty(process, 'platform', { ...platform, value: 'darwin' });
  try {
    t.equal(runOf({ terraformPid: child.pid!, cwd, env }).command, undefined, 'not on Linux: no command line');
  } finally {
    Object.defineProperty(process, 'platform', platform);
  }
});
