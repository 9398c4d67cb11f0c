// The v6 <-> v5 translation: for every forwarded RPC, field by field, nothing Terraform sends is lost on the way to
// hashicorp/aws and nothing it answers is lost on the way back; and real messages survive the trip byte for byte.
import t from 'tap';
import * as protobuf from 'protobufjs/light';
import protocolDescriptors from '../../src/protocol/descriptors.generated.json';
import { pluginDescriptors } from '../../src/protocol/definitions';
import upstreamDescriptors from '../../src/upstream/tfplugin5.generated.json';
import { ANSWER_FIELDS_DROPPED, tfplugin5, V5_RPC } from '../../src/upstream/tfplugin5';

const v6 = protobuf.Root.fromJSON(protocolDescriptors as protobuf.INamespace).lookupService('tfplugin6.Provider');
const v5 = protobuf.Root.fromJSON(upstreamDescriptors as protobuf.INamespace).lookupService('tfplugin5.Provider');

function method(service: protobuf.Service, name: string): protobuf.Method {
  const found = service.methods[name]!;
  found.resolve();
  return found;
}

/** Fields of `from` (recursively, by name) that `to` lacks or types differently; paths like "config.msgpack". */
function lost(from: protobuf.Type, to: protobuf.Type, prefix = '', seen = new Set<string>()): string[] {
  const key = `${from.fullName}>${to.fullName}`;
  if (seen.has(key)) return [];
  seen.add(key);
  const out: string[] = [];
  for (const field of from.fieldsArray) {
    field.resolve();
    const path = `${prefix}${field.name}`;
    const other = to.fields[field.name];
    if (!other) {
      out.push(path);
      continue;
    }
    other.resolve();
    const keyType = (f: protobuf.Field) => (f as protobuf.Field & { keyType?: string }).keyType;
    if (field.repeated !== other.repeated || field.map !== other.map || keyType(field) !== keyType(other)) out.push(`${path} (shape)`);
    else if (field.resolvedType instanceof protobuf.Type && other.resolvedType instanceof protobuf.Type) out.push(...lost(field.resolvedType, other.resolvedType, `${path}.`, seen));
    else if (field.resolvedType instanceof protobuf.Enum && other.resolvedType instanceof protobuf.Enum) {
      for (const name of Object.keys(field.resolvedType.values)) if (!(name in other.resolvedType.values)) out.push(`${path}=${name}`);
    } else if (field.type !== other.type) out.push(`${path} (${field.type} vs ${other.type})`);
  }
  return out;
}

t.test('every tfplugin6 RPC has a tfplugin5 counterpart, and each is mapped once', async (t) => {
  t.same(Object.keys(V5_RPC).sort(), v6.methodsArray.map((m) => m.name).sort());
  t.same(Object.values(V5_RPC).sort(), v5.methodsArray.map((m) => m.name).sort());
});

for (const [rpc6, rpc5] of Object.entries(V5_RPC)) {
  t.test(`${rpc6} -> ${rpc5}`, async (t) => {
    const m6 = method(v6, rpc6);
    const m5 = method(v5, rpc5);
    t.same(lost(m6.resolvedRequestType!, m5.resolvedRequestType!), [], 'the request reaches hashicorp/aws whole');
    const dropped = ANSWER_FIELDS_DROPPED[rpc6 as keyof typeof V5_RPC] ?? [];
    t.same(lost(m5.resolvedResponseType!, m6.resolvedResponseType!), dropped, dropped.length ? `the answer comes back whole but for ${dropped}` : 'the answer comes back whole');
  });
}

t.test('a plan request and its answer make the round trip with their bytes intact', async (t) => {
  const state = Buffer.from([0x81, 0xa2, 0x69, 0x64, 0xa1, 0x78]); // {"id": "x"} in msgpack
  const request = {
    type_name: 'aws_iam_role_policy',
    prior_state: { msgpack: state },
    proposed_new_state: { msgpack: state },
    config: { msgpack: state },
    prior_private: Buffer.from('{"schema_version":"0"}'),
    provider_meta: null,
    client_capabilities: { deferral_allowed: true, write_only_attributes_allowed: true },
  };
  // Terraform's bytes -> our server's object -> the child's bytes -> the child's object.
  const received = pluginDescriptors.decode('tfplugin6.PlanResourceChange.Request', pluginDescriptors.encode('tfplugin6.PlanResourceChange.Request', request));
  const atChild = tfplugin5.decode('tfplugin5.PlanResourceChange.Request', tfplugin5.encode('tfplugin5.PlanResourceChange.Request', received as object));
  t.match(atChild, request);

  const answer = {
    planned_state: { msgpack: state },
    requires_replace: [{ steps: [{ attribute_name: 'name' }, { element_key_int: 2 }, { element_key_string: 'k' }] }],
    planned_private: Buffer.from('p'),
    diagnostics: [{ severity: 'WARNING', summary: 's', detail: 'd', attribute: { steps: [{ attribute_name: 'policy' }] } }],
    legacy_type_system: true,
    deferred: { reason: 'ABSENT_PREREQ' },
  };
  const fromChild = tfplugin5.decode('tfplugin5.PlanResourceChange.Response', tfplugin5.encode('tfplugin5.PlanResourceChange.Response', answer));
  const atTerraform = pluginDescriptors.decode('tfplugin6.PlanResourceChange.Response', pluginDescriptors.encode('tfplugin6.PlanResourceChange.Response', fromChild as object));
  t.match(atTerraform, answer);
});

t.test('a schema attribute keeps write_only although its field number differs (10 in v5, 11 in v6)', async (t) => {
  const schema = {
    resource_schemas: {
      aws_x: { version: 2, block: { attributes: [{ name: 'secret', type: Buffer.from('"string"'), optional: true, sensitive: true, write_only: true }] } },
    },
  };
  const fromChild = tfplugin5.decode('tfplugin5.GetProviderSchema.Response', tfplugin5.encode('tfplugin5.GetProviderSchema.Response', schema));
  const atTerraform = pluginDescriptors.decode('tfplugin6.GetProviderSchema.Response', pluginDescriptors.encode('tfplugin6.GetProviderSchema.Response', fromChild as object));
  t.match(atTerraform, schema);
  t.notOk(lost(method(v6, 'GetProviderSchema').resolvedResponseType!, method(v5, 'GetSchema').resolvedResponseType!).includes('resource_schemas.block.attributes.write_only'));
});
