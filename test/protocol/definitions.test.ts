// The server's own service definitions must decode and encode exactly like @grpc/proto-loader with
// PROTO_LOADER_OPTIONS, since tfplugin6.ts documents the shapes in those terms.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as protoLoader from '@grpc/proto-loader';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { serviceDefinition } from '../../src/protocol/definitions';
import { PROTO_LOADER_OPTIONS } from '../../src/protocol/tfplugin6';
import { ensureBuilt } from '../support/provider-process';
import { repoRoot } from '../support/paths';

t.before(() => ensureBuilt());

const reference = () =>
  protoLoader.fromJSON(JSON.parse(readFileSync(join(repoRoot, 'src/protocol/descriptors.generated.json'), 'utf8')), PROTO_LOADER_OPTIONS);

t.test('same methods, paths and streaming flags as proto-loader', async (t) => {
  const ref = reference();
  for (const name of ['tfplugin6.Provider', 'plugin.GRPCController', 'plugin.GRPCStdio', 'plugin.GRPCBroker', 'grpc.health.v1.Health']) {
    const ours = serviceDefinition(name);
    const theirs = ref[name] as ServiceDefinition;
    t.same(Object.keys(ours).sort(), Object.keys(theirs).sort(), `${name} methods`);
    for (const [method, def] of Object.entries(theirs)) {
      t.match(ours[method], { path: def.path, requestStream: def.requestStream, responseStream: def.responseStream });
    }
  }
  t.equal(serviceDefinition('tfplugin6.Provider').PlanResourceChange!.path, '/tfplugin6.Provider/PlanResourceChange');
});

t.test('requests decode to the same objects', async (t) => {
  const ours = serviceDefinition('tfplugin6.Provider');
  const theirs = reference()['tfplugin6.Provider'] as ServiceDefinition;
  const samples: [string, object][] = [
    ['PlanResourceChange', { type_name: 'aws_sagemaker_model', prior_state: { msgpack: Buffer.from([0xc0]) }, prior_private: Buffer.from('x'), client_capabilities: { deferral_allowed: true } }],
    ['UpgradeResourceState', { type_name: 'aws_sagemaker_model', version: 2, raw_state: { json: Buffer.from('{"a":1}'), flatmap: { a: '1' } } }],
    ['ConfigureProvider', { terraform_version: '1.11.4' }],
    ['ImportResourceState', { type_name: 't', id: 'abc' }],
    ['RenewEphemeralResource', { type_name: 't', private: Buffer.from([1, 2]) }],
    ['CallFunction', { name: 'f', arguments: [{ json: Buffer.from('1') }] }],
  ];
  for (const [rpc, request] of samples) {
    const bytes = theirs[rpc]!.requestSerialize(request);
    t.same(ours[rpc]!.requestSerialize(request), bytes, `${rpc} encodes identically`);
    t.same(ours[rpc]!.requestDeserialize(bytes), theirs[rpc]!.requestDeserialize(bytes), `${rpc} decodes identically`);
  }
  const plan = ours.PlanResourceChange!.requestDeserialize(theirs.PlanResourceChange!.requestSerialize({ type_name: 'x' })) as Record<string, unknown>;
  t.equal(plan.prior_state, null, 'absent message fields are null');
  t.same(plan.prior_private, Buffer.alloc(0), 'absent bytes are empty Buffers');
});

t.test('responses encode to the same bytes', async (t) => {
  const ours = serviceDefinition('tfplugin6.Provider');
  const theirs = reference()['tfplugin6.Provider'] as ServiceDefinition;
  const responses: [string, object][] = [
    [
      'PlanResourceChange',
      {
        planned_state: { msgpack: Buffer.from([0x80]) },
        requires_replace: [{ steps: [{ attribute_name: 'name' }, { element_key_int: 3 }, { element_key_string: 'k' }] }],
        diagnostics: [{ severity: 'WARNING', summary: 's', detail: 'd', attribute: { steps: [{ attribute_name: 'tags' }] } }],
      },
    ],
    [
      'GetProviderSchema',
      {
        provider: { block: { attributes: [{ name: 'region', type: Buffer.from('"string"'), optional: true, description_kind: 'MARKDOWN' }] } },
        resource_schemas: { aws_x: { version: 1, block: { block_types: [{ type_name: 'b', nesting: 'LIST', block: {} }] } } },
        server_capabilities: { plan_destroy: true },
      },
    ],
  ];
  for (const [rpc, response] of responses) {
    const bytes = theirs[rpc]!.responseSerialize(response);
    t.same(ours[rpc]!.responseSerialize(response), bytes, `${rpc} encodes identically`);
    t.same(ours[rpc]!.responseDeserialize(bytes), theirs[rpc]!.responseDeserialize(bytes));
  }
  const step = (ours.PlanResourceChange!.responseDeserialize(theirs.PlanResourceChange!.responseSerialize(responses[0]![1])) as {
    requires_replace: { steps: object[] }[];
  }).requires_replace[0]!.steps[1];
  t.match(step, { element_key_int: 3, selector: 'element_key_int' }, 'oneof selector named');
});
