// The engine behind the wire: decodes each tfplugin6 request into values, runs the lifecycle step and
// encodes the answer. Everything protocol-shaped stops here; resources only see values.
import type * as tf from '../protocol/tfplugin6';
import { decodeJson, decodeMsgpack, encodeMsgpack } from '../values';
import type { CtyType, ObjectValue, Value } from '../values/value';
import type { Path } from '../values/path';
import type { Diagnostic } from './diagnostics';
import { ProviderEngine } from './lifecycle';
import type { ProviderDefinition } from './resource';
import { impliedType, type Schema, type SchemaAttribute, type SchemaBlock, type SchemaNestedBlock } from './schema';

const SERVER_CAPABILITIES: tf.ServerCapabilities = {
  plan_destroy: true,
  get_provider_schema_optional: true,
  move_resource_state: false,
};

export function createProviderHandlers<Meta>(definition: ProviderDefinition<Meta>): tf.ProviderHandlers {
  const engine = new ProviderEngine(definition);
  let schemaResponse: tf.GetProviderSchemaResponse | undefined;
  const resourceType = (name: string) => impliedType(engine.resource(name).schema.block);

  return {
    async GetMetadata() {
      return {
        server_capabilities: SERVER_CAPABILITIES,
        resources: definition.resources.map((r) => ({ type_name: r.name })),
        data_sources: definition.dataSources.map((d) => ({ type_name: d.name })),
      };
    },

    async GetProviderSchema() {
      schemaResponse ??= {
        provider: wireSchema(definition.schema),
        provider_meta: definition.providerMetaSchema ? wireSchema(definition.providerMetaSchema) : null,
        resource_schemas: Object.fromEntries(definition.resources.map((r) => [r.name, wireSchema(r.schema)])),
        data_source_schemas: Object.fromEntries(definition.dataSources.map((d) => [d.name, wireSchema(d.schema)])),
        server_capabilities: SERVER_CAPABILITIES,
      };
      return schemaResponse;
    },

    async ValidateProviderConfig(request) {
      const config = decodeObject(request.config, impliedType(definition.schema.block));
      return { diagnostics: wireDiagnostics(config ? engine.validateProviderConfig(config) : []) };
    },

    async ValidateResourceConfig(request) {
      const config = decodeObject(request.config, resourceType(request.type_name));
      return { diagnostics: wireDiagnostics(config ? engine.validateResourceConfig(request.type_name, config) : []) };
    },

    async ValidateDataResourceConfig(request) {
      const config = decodeObject(request.config, impliedType(engine.dataSource(request.type_name).schema.block));
      return { diagnostics: wireDiagnostics(config ? engine.validateDataSourceConfig(request.type_name, config) : []) };
    },

    async ConfigureProvider(request, { signal }) {
      const config = decodeObject(request.config, impliedType(definition.schema.block)) ?? {};
      return { diagnostics: wireDiagnostics(await engine.configure(config, request.terraform_version, signal)) };
    },

    async UpgradeResourceState(request, { signal }) {
      const type = resourceType(request.type_name);
      const raw = request.raw_state?.json;
      if (!raw || raw.length === 0) {
        return { diagnostics: wireDiagnostics([{ severity: 'error', summary: 'Unsupported state format', detail: 'Only JSON state (Terraform 0.12 and later) can be upgraded.' }]) };
      }
      const stored = decodeJson(raw, type) as ObjectValue | null;
      if (stored === null) return { upgraded_state: encode(null, type) };
      const { state, diagnostics } = engine.upgradeState(request.type_name, request.version, stored, signal);
      return { upgraded_state: encode(state, type), diagnostics: wireDiagnostics(diagnostics) };
    },

    async ReadResource(request, { signal }) {
      const type = resourceType(request.type_name);
      const current = decodeObject(request.current_state, type);
      if (current === null) return { new_state: encode(null, type), private: request.private };
      const { state, diagnostics } = await engine.readResource(request.type_name, current, signal);
      return { new_state: encode(state, type), private: request.private, diagnostics: wireDiagnostics(diagnostics) };
    },

    async PlanResourceChange(request, { signal }) {
      const type = resourceType(request.type_name);
      const prior = decodeObject(request.prior_state, type);
      const proposed = decodeObject(request.proposed_new_state, type);
      const config = decodeObject(request.config, type);
      const { planned, requiresReplace, diagnostics, legacyTypeSystem } = engine.planResourceChange(request.type_name, prior, proposed, config, signal);
      return {
        planned_state: encode(planned, type),
        requires_replace: requiresReplace.map(wirePath),
        planned_private: request.prior_private,
        diagnostics: wireDiagnostics(diagnostics),
        legacy_type_system: legacyTypeSystem ?? false,
      };
    },

    async ApplyResourceChange(request, { signal }) {
      const type = resourceType(request.type_name);
      const prior = decodeObject(request.prior_state, type);
      const planned = decodeObject(request.planned_state, type);
      const config = decodeObject(request.config, type);
      const { state, diagnostics, legacyTypeSystem } = await engine.applyResourceChange(request.type_name, prior, planned, config, signal);
      return { new_state: encode(state, type), private: request.planned_private, diagnostics: wireDiagnostics(diagnostics), legacy_type_system: legacyTypeSystem ?? false };
    },

    async ImportResourceState(request, { signal }) {
      const type = resourceType(request.type_name);
      const { state, diagnostics } = engine.importResourceState(request.type_name, request.id, signal);
      return {
        imported_resources: state ? [{ type_name: request.type_name, state: encode(state, type) }] : [],
        diagnostics: wireDiagnostics(diagnostics),
      };
    },

    async ReadDataSource(request, { signal }) {
      const type = impliedType(engine.dataSource(request.type_name).schema.block);
      const config = decodeObject(request.config, type) ?? {};
      const { state, diagnostics } = await engine.readDataSource(request.type_name, config, signal);
      return { state: encode(state, type), diagnostics: wireDiagnostics(diagnostics) };
    },

    async GetFunctions() {
      return { functions: {} };
    },
  };
}

function decodeObject(value: tf.DynamicValue | null | undefined, type: CtyType): ObjectValue | null {
  if (!value) return null;
  if (value.msgpack && value.msgpack.length > 0) return decodeMsgpack(value.msgpack, type) as ObjectValue | null;
  if (value.json && value.json.length > 0) return decodeJson(value.json, type) as ObjectValue | null;
  return null;
}

function encode(value: Value, type: CtyType): tf.DynamicValue {
  return { msgpack: Buffer.from(encodeMsgpack(value, type)) };
}

function wirePath(path: Path): tf.AttributePath {
  return {
    steps: path.map((step) =>
      'attr' in step ? { attribute_name: step.attr } : 'key' in step ? { element_key_string: step.key } : { element_key_int: step.index },
    ),
  };
}

function wireDiagnostics(diagnostics: Diagnostic[]): tf.Diagnostic[] {
  return diagnostics.map((d) => ({
    severity: d.severity === 'error' ? 'ERROR' : 'WARNING',
    summary: d.summary,
    detail: d.detail ?? '',
    attribute: d.path && d.path.length > 0 ? wirePath(d.path) : null,
  }));
}

/** provider-schema/ JSON as a tfplugin6 Schema: extension keys dropped, attributes and blocks sorted. */
function wireSchema(schema: Schema): tf.Schema {
  return { version: schema.version, block: wireBlock(schema.block) };
}

function wireBlock(block: SchemaBlock): tf.SchemaBlock {
  return {
    attributes: Object.entries(block.attributes ?? {})
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, attribute]) => wireAttribute(name, attribute)),
    block_types: Object.entries(block.block_types ?? {})
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, nested]) => wireNestedBlock(name, nested)),
    description: block.description ?? '',
    description_kind: block.description_kind === 'markdown' ? 'MARKDOWN' : 'PLAIN',
    deprecated: block.deprecated ?? false,
  };
}

function wireAttribute(name: string, attribute: SchemaAttribute): tf.SchemaAttribute {
  return {
    name,
    type: Buffer.from(JSON.stringify(attribute.type)),
    description: attribute.description ?? '',
    description_kind: attribute.description_kind === 'markdown' ? 'MARKDOWN' : 'PLAIN',
    required: attribute.required ?? false,
    optional: attribute.optional ?? false,
    computed: attribute.computed ?? false,
    sensitive: attribute.sensitive ?? false,
    deprecated: attribute.deprecated ?? false,
    write_only: attribute.write_only ?? false,
  };
}

const NESTING: Record<SchemaNestedBlock['nesting_mode'], tf.SchemaNestingMode> = {
  single: 'SINGLE',
  group: 'GROUP',
  list: 'LIST',
  set: 'SET',
  map: 'MAP',
};

function wireNestedBlock(name: string, nested: SchemaNestedBlock): tf.SchemaNestedBlock {
  return {
    type_name: name,
    block: wireBlock(nested.block),
    nesting: NESTING[nested.nesting_mode],
    min_items: nested.min_items ?? 0,
    max_items: nested.max_items ?? 0,
  };
}
