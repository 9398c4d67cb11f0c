// The routing table with an upstream present: every request about a native type or function (resources, data
// sources, import, upgrade, move, functions) reaches the native handlers and never the upstream, though the upstream
// knows the same names (as hashicorp/aws does); every other name reaches the upstream; names declared twice by the
// native handlers are refused; each decision is logged once.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { awsProvider } from '../../src/aws/provider';
import { createProviderHandlers } from '../../src/engine/provider-server';
import { awsFunctions, withFunctions } from '../../src/functions';
import type { Launch } from '../../src/protocol/launch';
import { Logger } from '../../src/protocol/log';
import { dataSources, resources } from '../../src/resources';
import type { CallContext, GetMetadataResponse, ProviderHandlers, Schema } from '../../src/protocol/tfplugin6';
import { Router, type UpstreamProvider } from '../../src/router/router';
import { binaryIdentity, storeSchema } from '../../src/upstream/schema-cache';
import type { Session } from '../../src/upstream/upstream';
import { repoRoot } from '../support/paths';

const dir = mkdtempSync(join(tmpdir(), 'routing-table-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const NATIVE_RESOURCES = ['aws_iam_role', 'aws_sagemaker_model'];
const NATIVE_DATA_SOURCES = ['aws_iam_policy_document', 'aws_sagemaker_prebuilt_ecr_image'];
const NATIVE_FUNCTIONS = ['arn_parse', 'arn_build'];

const schema: Schema = { version: 0, block: { attributes: [{ name: 'id', type: Buffer.from('"string"'), computed: true }] } };
const byName = (names: string[]) => Object.fromEntries(names.map((name) => [name, schema]));
// The upstream's schema holds the native names too, as hashicorp/aws's does, and more.
const upstreamSchema = storeSchema(join(dir, 'cache'), binaryIdentity(process.execPath), {
  provider: schema,
  resource_schemas: byName([...NATIVE_RESOURCES, 'aws_s3_bucket']),
  data_source_schemas: byName([...NATIVE_DATA_SOURCES, 'aws_caller_identity']),
  ephemeral_resource_schemas: byName(['aws_secretsmanager_secret_version']),
  functions: { ...Object.fromEntries(NATIVE_FUNCTIONS.map((name) => [name, { summary: 'theirs' }])), trim_iam_role_path: { summary: 'theirs' } },
  server_capabilities: { plan_destroy: true, get_provider_schema_optional: true, move_resource_state: true },
});

interface Received {
  rpc: string;
  request: unknown;
}

/** Native handlers that record every request and answer each with an object of their own. */
function nativeHandlers(metadata: GetMetadataResponse = {
  resources: NATIVE_RESOURCES.map((type_name) => ({ type_name })),
  data_sources: NATIVE_DATA_SOURCES.map((type_name) => ({ type_name })),
  functions: NATIVE_FUNCTIONS.map((name) => ({ name })),
}): { handlers: ProviderHandlers; received: Received[]; metadataCalls: () => number } {
  const received: Received[] = [];
  let metadataCalls = 0;
  const handlers = new Proxy({} as ProviderHandlers, {
    get(_, rpc: string) {
      if (rpc === 'then' || rpc === 'init' || rpc === 'stop' || rpc === 'close') return undefined;
      if (rpc === 'GetMetadata') {
        return async () => {
          metadataCalls++;
          return metadata;
        };
      }
      return async (request: unknown) => {
        received.push({ rpc, request });
        return { answeredBy: 'native', rpc };
      };
    },
  });
  return { handlers, received, metadataCalls: () => metadataCalls };
}

/** An upstream that records what reaches it; `forbidden` names fail the test if a request about them does. */
function fakeUpstream(t: Test, forbidden: Set<string>): { upstream: UpstreamProvider; received: Received[]; started: () => boolean } {
  const received: Received[] = [];
  let started = false;
  const session = {
    async call(rpc: string, request: Record<string, unknown>) {
      const name = String(request.type_name ?? request.target_type_name ?? request.name);
      if (forbidden.has(name)) t.fail(`${rpc} for the native ${name} reached the upstream`);
      received.push({ rpc, request });
      return { answeredBy: 'upstream', rpc, diagnostics: [] };
    },
  } as unknown as Session;
  const upstream: UpstreamProvider = {
    binary: { path: process.execPath, version: '5.100.0', reason: 'test' },
    schema: async () => upstreamSchema,
    connect: async () => {
      started = true;
      return session;
    },
    configure: async () => {
      started = true;
      return [];
    },
    stop: async () => undefined,
    close: async () => undefined,
  };
  return { upstream, received, started: () => started };
}

const NULL = { msgpack: Buffer.from([0xc0]) };
const OBJECT = { msgpack: Buffer.from([0x81, 0xa2, 0x69, 0x64, 0xa1, 0x78]) }; // {"id": "x"}

/** Every routed RPC, with a request about `name` of the kind it takes. */
function requestsAbout(kind: 'resource' | 'data' | 'ephemeral' | 'function', name: string): [string, object][] {
  switch (kind) {
    case 'resource':
      return [
        ['ValidateResourceConfig', { type_name: name, config: OBJECT }],
        ['UpgradeResourceState', { type_name: name, version: 0, raw_state: { json: Buffer.from('{"id":"x"}') } }],
        ['ReadResource', { type_name: name, current_state: OBJECT }],
        ['PlanResourceChange', { type_name: name, prior_state: NULL, proposed_new_state: OBJECT, config: OBJECT }],
        ['PlanResourceChange', { type_name: name, prior_state: OBJECT, proposed_new_state: NULL, config: NULL }],
        ['ApplyResourceChange', { type_name: name, prior_state: NULL, planned_state: OBJECT, config: OBJECT }],
        ['ImportResourceState', { type_name: name, id: 'x' }],
        ['MoveResourceState', { source_type_name: 'aws_s3_bucket', target_type_name: name, source_state: { json: Buffer.from('{}') } }],
      ];
    case 'data':
      return [
        ['ValidateDataResourceConfig', { type_name: name, config: OBJECT }],
        ['ReadDataSource', { type_name: name, config: OBJECT }],
      ];
    case 'ephemeral':
      return [
        ['ValidateEphemeralResourceConfig', { type_name: name, config: OBJECT }],
        ['OpenEphemeralResource', { type_name: name, config: OBJECT }],
        ['RenewEphemeralResource', { type_name: name, private: Buffer.from('p') }],
        ['CloseEphemeralResource', { type_name: name, private: Buffer.from('p') }],
      ];
    case 'function':
      return [['CallFunction', { name, arguments: [] }]];
  }
}

const NATIVE_REQUESTS = [
  ...NATIVE_RESOURCES.flatMap((name) => requestsAbout('resource', name)),
  ...NATIVE_DATA_SOURCES.flatMap((name) => requestsAbout('data', name)),
  ...NATIVE_FUNCTIONS.flatMap((name) => requestsAbout('function', name)),
];

function call(router: Router, rpc: string, request: object, log: Logger): Promise<unknown> {
  const context: CallContext = { signal: new AbortController().signal, rpc, log };
  return (router as unknown as Record<string, (request: object, context: CallContext) => Promise<unknown>>)[rpc]!.call(router, request, context);
}

function capturingLog(): { log: Logger; lines: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  return { log: new Logger('provider', 'debug', (line) => lines.push(line)), lines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

t.test('every request about a native type or function goes to the native handlers, never to the upstream', async (t) => {
  const native = nativeHandlers();
  const forbidden = new Set([...NATIVE_RESOURCES, ...NATIVE_DATA_SOURCES, ...NATIVE_FUNCTIONS]);
  const fake = fakeUpstream(t, forbidden);
  const { log, lines } = capturingLog();
  const router = new Router({ native: native.handlers, upstream: fake.upstream, log, run: () => ({ cwd: dir, env: {}, command: ['terraform', 'apply'] }) });
  await router.init();

  for (const [rpc, request] of NATIVE_REQUESTS) {
    t.same(await call(router, rpc, request, log), { answeredBy: 'native', rpc }, `${rpc} ${JSON.stringify(request).slice(0, 60)}: the native answer`);
  }
  t.equal(native.received.length, NATIVE_REQUESTS.length, 'the native handlers received every request');
  native.received.forEach((r, i) => {
    t.equal(r.rpc, NATIVE_REQUESTS[i]![0]);
    t.equal(r.request, NATIVE_REQUESTS[i]![1], 'the request itself, untouched');
  });
  t.same(fake.received, [], 'nothing reached the upstream');
  t.notOk(fake.started(), 'the upstream was never started');
  t.equal(native.metadataCalls(), 1, 'the table was built once');

  const routed = lines().filter((l) => l['@message'] === 'routed');
  t.same(
    routed.map((l) => l.name).sort(),
    [...NATIVE_RESOURCES, ...NATIVE_DATA_SOURCES.map((n) => `data.${n}`), ...NATIVE_FUNCTIONS.map((n) => `provider::aws::${n}`)].sort(),
    'each decision logged once, though every resource type had eight requests',
  );
  t.ok(routed.every((l) => l.to === 'native' && l['@level'] === 'debug'));
});

t.test('every other name goes to the upstream: its types, its functions, names nobody knows', async (t) => {
  const native = nativeHandlers();
  const fake = fakeUpstream(t, new Set([...NATIVE_RESOURCES, ...NATIVE_DATA_SOURCES, ...NATIVE_FUNCTIONS]));
  const { log, lines } = capturingLog();
  const router = new Router({ native: native.handlers, upstream: fake.upstream, log, run: () => ({ cwd: dir, env: {}, command: ['terraform', 'apply'] }) });
  const requests = [
    ...requestsAbout('resource', 'aws_s3_bucket'),
    ...requestsAbout('resource', 'aws_not_a_type'),
    ...requestsAbout('data', 'aws_caller_identity'),
    ...requestsAbout('data', 'aws_not_a_data_source'),
    ...requestsAbout('ephemeral', 'aws_secretsmanager_secret_version'),
    ...requestsAbout('function', 'trim_iam_role_path'),
    ...requestsAbout('function', 'not_a_function'),
    // A move out of a native type into one of the upstream's is the upstream's.
    ['MoveResourceState', { source_type_name: 'aws_iam_role', target_type_name: 'aws_s3_bucket', source_state: { json: Buffer.from('{}') } }],
  ] as [string, object][];
  for (const [rpc, request] of requests) {
    t.match(await call(router, rpc, request, log), { answeredBy: 'upstream', rpc }, `${rpc} ${JSON.stringify(request).slice(0, 60)}: the upstream's answer`);
  }
  t.same(native.received, [], 'nothing reached the native handlers');
  t.same(
    fake.received.map((r) => r.rpc),
    requests.map(([rpc]) => rpc),
    'the upstream received every request, in order',
  );
  fake.received.forEach((r, i) => t.equal(r.request, requests[i]![1], 'the request itself'));
  const upstreamRoutes = lines().filter((l) => l['@message'] === 'routed' && l.to === 'hashicorp/aws');
  t.same(
    upstreamRoutes.map((l) => l.name),
    ['aws_s3_bucket', 'aws_not_a_type', 'data.aws_caller_identity', 'data.aws_not_a_data_source', 'ephemeral.aws_secretsmanager_secret_version', 'provider::aws::trim_iam_role_path', 'provider::aws::not_a_function'],
    'each decision logged once',
  );
});

t.test("the merged schema and function list: native names replace the upstream's", async (t) => {
  const native = nativeHandlers();
  const fake = fakeUpstream(t, new Set());
  const { log, lines } = capturingLog();
  const router = new Router({ native: native.handlers, upstream: fake.upstream, log, run: () => ({ cwd: dir, env: {}, command: ['terraform', 'apply'] }) });
  const metadata = (await call(router, 'GetMetadata', {}, log)) as GetMetadataResponse;
  t.same(metadata.resources?.map((r) => r.type_name), [...NATIVE_RESOURCES, 'aws_s3_bucket'], 'each resource type once, the native ones first');
  t.same(metadata.data_sources?.map((d) => d.type_name), [...NATIVE_DATA_SOURCES, 'aws_caller_identity']);
  t.same(metadata.functions?.map((f) => f.name), [...NATIVE_FUNCTIONS, 'trim_iam_role_path']);
  const replaced = lines().filter((l) => l['@message'] === "native type replaces hashicorp/aws's").map((l) => l.name);
  t.same(replaced.sort(), [...NATIVE_RESOURCES, ...NATIVE_DATA_SOURCES.map((n) => `data.${n}`), ...NATIVE_FUNCTIONS.map((n) => `provider::aws::${n}`)].sort(), 'each replacement logged');
  await call(router, 'GetMetadata', {}, log);
  t.equal(lines().filter((l) => l['@message'] === "native type replaces hashicorp/aws's").length, replaced.length, '... once');
});

t.test('a name the native handlers declare twice is refused', async (t) => {
  const twice = (metadata: GetMetadataResponse) => {
    const fake = fakeUpstream(t, new Set());
    return new Router({ native: nativeHandlers(metadata).handlers, upstream: fake.upstream, log: new Logger('provider', 'off'), run: () => ({ cwd: dir, env: {}, command: [] }) });
  };
  await t.rejects(
    twice({ resources: [{ type_name: 'aws_iam_role' }, { type_name: 'aws_sagemaker_model' }, { type_name: 'aws_iam_role' }] }).init(),
    { message: 'aws_iam_role is declared twice by the native handlers; one name must have one handler' },
  );
  await t.rejects(twice({ functions: [{ name: 'arn_parse' }, { name: 'arn_parse' }] }).init(), { message: /^provider::aws::arn_parse is declared twice/ });
  const router = twice({ data_sources: [{ type_name: 'aws_iam_policy_document' }, { type_name: 'aws_iam_policy_document' }] });
  await t.rejects(call(router, 'ReadDataSource', { type_name: 'aws_iam_policy_document' }, new Logger('provider', 'off')), {
    message: /^data.aws_iam_policy_document is declared twice/,
  }, 'a request before init() meets the same refusal');
  await t.resolves(twice({ resources: [{ type_name: 'aws_iam_role' }], data_sources: [{ type_name: 'aws_iam_role' }] }).init(), 'a resource and a data source may share a name');
});

// The product's own native handlers (as src/provider-bundle.ts composes them) behind the router, with an upstream
// whose schema knows every one of their names (as hashicorp/aws's does): each native resource, data source and
// function is routed to them, the endpoint configurations and endpoints as much as the first types; a type added to
// the native handlers is covered without changing this test.
t.test('the product: every native type and function is served natively with an upstream present', async (t) => {
  const quiet = new Logger('provider', 'off');
  const launch: Launch = { terraformPid: process.pid, cwd: dir, env: { HOME: dir }, executable: '/nonexistent', log: quiet };
  const product = withFunctions(createProviderHandlers(awsProvider(resources, dataSources, launch)), awsFunctions);
  const metadata = await product.GetMetadata!({}, { signal: new AbortController().signal, rpc: 'GetMetadata', log: quiet });
  const served = {
    resources: metadata.resources!.map((r) => r.type_name!).sort(),
    dataSources: metadata.data_sources!.map((d) => d.type_name!).sort(),
    functions: metadata.functions!.map((f) => f.name!).sort(),
  };
  const schemaFiles = (kind: string) => readdirSync(join(repoRoot, 'provider-schema', kind)).map((f) => f.replace(/\.json$/, '')).sort();
  t.same(served, { resources: schemaFiles('resources'), dataSources: schemaFiles('data-sources'), functions: Object.keys(awsFunctions).sort() }, 'the native handlers serve every type of provider-schema/ and every function');
  t.ok(served.resources.includes('aws_sagemaker_endpoint') && served.resources.includes('aws_sagemaker_endpoint_configuration'));

  // Every RPC of the product's handlers is recorded; GetMetadata answers as the product does, so the table is the real one.
  const received: Received[] = [];
  const native = new Proxy(product, {
    get(target, rpc: string) {
      if (rpc === 'GetMetadata' || typeof target[rpc as keyof ProviderHandlers] !== 'function') return target[rpc as keyof ProviderHandlers];
      return async (request: unknown) => {
        received.push({ rpc, request });
        return { answeredBy: 'native', rpc };
      };
    },
  });
  const cache = join(dir, 'product-cache');
  const everything = storeSchema(cache, binaryIdentity(process.execPath), {
    provider: schema,
    resource_schemas: byName([...served.resources, 'aws_s3_bucket']),
    data_source_schemas: byName([...served.dataSources, 'aws_caller_identity']),
    ephemeral_resource_schemas: {},
    functions: Object.fromEntries([...served.functions, 'trim_iam_role_path'].map((name) => [name, { summary: 'theirs' }])),
    server_capabilities: { plan_destroy: true, get_provider_schema_optional: true, move_resource_state: true },
  });
  const fake = fakeUpstream(t, new Set([...served.resources, ...served.dataSources, ...served.functions]));
  const router = new Router({ native, upstream: { ...fake.upstream, schema: async () => everything }, log: quiet, run: () => ({ cwd: dir, env: {}, command: ['terraform', 'apply'] }) });
  await router.init();
  const requests = [
    ...served.resources.flatMap((name) => requestsAbout('resource', name)),
    ...served.dataSources.flatMap((name) => requestsAbout('data', name)),
    ...served.functions.flatMap((name) => requestsAbout('function', name)),
  ];
  for (const [rpc, request] of requests) {
    const answer = await call(router, rpc, request, quiet);
    // The native handlers move nothing into their types: a move is answered on their behalf, never by hashicorp/aws.
    if (rpc === 'MoveResourceState') t.match(answer, { diagnostics: [{ summary: 'Unsupported operation', detail: /^This provider does not move other resource types into aws_/ }] }, 'MoveResourceState refused natively');
    else t.same(answer, { answeredBy: 'native', rpc }, `${rpc} ${JSON.stringify(request).slice(0, 70)}`);
  }
  const handled = requests.filter(([rpc]) => rpc !== 'MoveResourceState');
  t.same(received.map((r) => r.request), handled.map(([, request]) => request), 'the native handlers received every other request, in order');
  t.same(fake.received, [], 'nothing reached the upstream');
  t.notOk(fake.started(), 'which was never started');
  t.match(await call(router, 'ReadResource', { type_name: 'aws_s3_bucket', current_state: OBJECT }, quiet), { answeredBy: 'upstream' }, 'while its own types go to it');
});
