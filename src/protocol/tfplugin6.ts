// TypeScript shapes of the tfplugin6 (protocol 6.8) messages, as @grpc/proto-loader decodes them with
// PROTO_LOADER_OPTIONS below, and the handler interface the rest of the provider implements.
//
// Requests are what arrives: every scalar field is present (proto3 defaults: '', 0, false, empty
// Buffer, [] and {}), absent sub-messages are null, enums are their names, int64 are JS numbers,
// bytes are Buffers. Responses are what a handler returns: any field may be omitted (the encoder
// writes the proto3 default), enums may be given by name.
import type { Logger } from './log';

export const PROTO_LOADER_OPTIONS = {
  keepCase: true,
  longs: Number,
  enums: String,
  bytes: Buffer,
  defaults: true,
  oneofs: true,
} as const;

// --- shared messages ---------------------------------------------------------------------------

/** cty value, msgpack (what Terraform always sends) or JSON. Empty/absent both = null value. */
export interface DynamicValue {
  msgpack?: Buffer;
  json?: Buffer;
}

export type DiagnosticSeverity = 'INVALID' | 'ERROR' | 'WARNING';

export interface Diagnostic {
  severity: DiagnosticSeverity;
  summary: string;
  detail?: string;
  /** Where in the configuration; Terraform points the message at that argument. */
  attribute?: AttributePath | null;
}

/** One step of an attribute path; exactly one selector is set. */
export type AttributePathStep =
  | { attribute_name: string; element_key_string?: never; element_key_int?: never; selector?: 'attribute_name' }
  | { element_key_string: string; attribute_name?: never; element_key_int?: never; selector?: 'element_key_string' }
  | { element_key_int: number; attribute_name?: never; element_key_string?: never; selector?: 'element_key_int' };

export interface AttributePath {
  steps: AttributePathStep[];
}

export interface FunctionError {
  text: string;
  function_argument?: number | null;
}

/** Stored state: JSON as written by the schema version that stored it, or pre-0.12 flatmap. */
export interface RawState {
  json: Buffer;
  flatmap: Record<string, string>;
}

export type StringKind = 'PLAIN' | 'MARKDOWN';

export interface Schema {
  version?: number;
  block?: SchemaBlock;
}

export interface SchemaBlock {
  version?: number;
  attributes?: SchemaAttribute[];
  block_types?: SchemaNestedBlock[];
  description?: string;
  description_kind?: StringKind;
  deprecated?: boolean;
}

export interface SchemaAttribute {
  name: string;
  /** cty type JSON, e.g. Buffer.from('"string"') or Buffer.from('["map","string"]'). Empty with nested_type. */
  type?: Buffer;
  nested_type?: SchemaObject | null;
  description?: string;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  description_kind?: StringKind;
  deprecated?: boolean;
  write_only?: boolean;
}

export type SchemaNestingMode = 'INVALID' | 'SINGLE' | 'LIST' | 'SET' | 'MAP' | 'GROUP';

export interface SchemaNestedBlock {
  type_name: string;
  block: SchemaBlock;
  nesting: SchemaNestingMode;
  min_items?: number;
  max_items?: number;
}

export type SchemaObjectNestingMode = 'INVALID' | 'SINGLE' | 'LIST' | 'SET' | 'MAP';

export interface SchemaObject {
  attributes: SchemaAttribute[];
  nesting: SchemaObjectNestingMode;
}

/** tfplugin6.Function (named so as not to shadow the global Function type). */
export interface FunctionDefinition {
  parameters?: FunctionParameter[];
  variadic_parameter?: FunctionParameter | null;
  return?: FunctionReturn;
  summary?: string;
  description?: string;
  description_kind?: StringKind;
  deprecation_message?: string;
}

export interface FunctionParameter {
  name: string;
  type: Buffer;
  allow_null_value?: boolean;
  allow_unknown_values?: boolean;
  description?: string;
  description_kind?: StringKind;
}

export interface FunctionReturn {
  type: Buffer;
}

export interface ServerCapabilities {
  /** Terraform calls PlanResourceChange for deletes too. */
  plan_destroy?: boolean;
  /** Terraform may skip GetProviderSchema in later processes and reuse a cached schema. */
  get_provider_schema_optional?: boolean;
  move_resource_state?: boolean;
}

export interface ClientCapabilities {
  deferral_allowed: boolean;
  write_only_attributes_allowed: boolean;
}

export type DeferredReason = 'UNKNOWN' | 'RESOURCE_CONFIG_UNKNOWN' | 'PROVIDER_CONFIG_UNKNOWN' | 'ABSENT_PREREQ';

export interface Deferred {
  reason: DeferredReason;
}

/** google.protobuf.Timestamp as decoded (seconds as a number with longs: Number). */
export interface Timestamp {
  seconds: number;
  nanos: number;
}

// --- RPC messages ------------------------------------------------------------------------------

export type GetMetadataRequest = Record<string, never>;
export interface GetMetadataResponse {
  server_capabilities?: ServerCapabilities;
  diagnostics?: Diagnostic[];
  data_sources?: { type_name: string }[];
  resources?: { type_name: string }[];
  functions?: { name: string }[];
  ephemeral_resources?: { type_name: string }[];
}

export type GetProviderSchemaRequest = Record<string, never>;
export interface GetProviderSchemaResponse {
  /** Must be present (an empty block is fine), else Terraform reports "missing provider schema". */
  provider: Schema;
  resource_schemas?: Record<string, Schema>;
  data_source_schemas?: Record<string, Schema>;
  functions?: Record<string, FunctionDefinition>;
  ephemeral_resource_schemas?: Record<string, Schema>;
  diagnostics?: Diagnostic[];
  provider_meta?: Schema | null;
  server_capabilities?: ServerCapabilities;
}

export interface ValidateProviderConfigRequest {
  config: DynamicValue | null;
}
export interface ValidateProviderConfigResponse {
  diagnostics?: Diagnostic[];
}

export interface UpgradeResourceStateRequest {
  type_name: string;
  /** schema_version recorded in the state. */
  version: number;
  raw_state: RawState | null;
}
export interface UpgradeResourceStateResponse {
  upgraded_state?: DynamicValue | null;
  diagnostics?: Diagnostic[];
}

export interface ValidateResourceConfigRequest {
  type_name: string;
  config: DynamicValue | null;
  client_capabilities: ClientCapabilities | null;
}
export interface ValidateResourceConfigResponse {
  diagnostics?: Diagnostic[];
}

export interface ValidateDataResourceConfigRequest {
  type_name: string;
  config: DynamicValue | null;
}
export interface ValidateDataResourceConfigResponse {
  diagnostics?: Diagnostic[];
}

export interface ValidateEphemeralResourceConfigRequest {
  type_name: string;
  config: DynamicValue | null;
}
export interface ValidateEphemeralResourceConfigResponse {
  diagnostics?: Diagnostic[];
}

export interface ConfigureProviderRequest {
  terraform_version: string;
  config: DynamicValue | null;
  client_capabilities: ClientCapabilities | null;
}
export interface ConfigureProviderResponse {
  diagnostics?: Diagnostic[];
}

export interface ReadResourceRequest {
  type_name: string;
  current_state: DynamicValue | null;
  private: Buffer;
  provider_meta: DynamicValue | null;
  client_capabilities: ClientCapabilities | null;
}
export interface ReadResourceResponse {
  /** Null value = the remote object is gone. */
  new_state?: DynamicValue | null;
  diagnostics?: Diagnostic[];
  /** Echo the request's `private`, or it is wiped. */
  private?: Buffer;
  deferred?: Deferred | null;
}

export interface PlanResourceChangeRequest {
  type_name: string;
  prior_state: DynamicValue | null;
  proposed_new_state: DynamicValue | null;
  config: DynamicValue | null;
  prior_private: Buffer;
  provider_meta: DynamicValue | null;
  client_capabilities: ClientCapabilities | null;
}
export interface PlanResourceChangeResponse {
  planned_state?: DynamicValue | null;
  requires_replace?: AttributePath[];
  planned_private?: Buffer;
  diagnostics?: Diagnostic[];
  /** Set by resources with SDKv2 semantics (native ones, or delegated to hashicorp/aws, whose answers carry it
   * through): Terraform then logs plan problems instead of failing. */
  legacy_type_system?: boolean;
  deferred?: Deferred | null;
}

export interface ApplyResourceChangeRequest {
  type_name: string;
  prior_state: DynamicValue | null;
  /** Null value = delete. */
  planned_state: DynamicValue | null;
  config: DynamicValue | null;
  planned_private: Buffer;
  provider_meta: DynamicValue | null;
}
export interface ApplyResourceChangeResponse {
  new_state?: DynamicValue | null;
  private?: Buffer;
  diagnostics?: Diagnostic[];
  /** Set by resources with SDKv2 semantics (native ones, or delegated to hashicorp/aws, whose answers carry it
   * through): Terraform then logs result problems instead of failing. */
  legacy_type_system?: boolean;
}

export interface ImportResourceStateRequest {
  type_name: string;
  id: string;
  client_capabilities: ClientCapabilities | null;
}
export interface ImportedResource {
  type_name: string;
  state: DynamicValue;
  private?: Buffer;
}
export interface ImportResourceStateResponse {
  imported_resources?: ImportedResource[];
  diagnostics?: Diagnostic[];
  deferred?: Deferred | null;
}

export interface MoveResourceStateRequest {
  source_provider_address: string;
  source_type_name: string;
  source_schema_version: number;
  source_state: RawState | null;
  target_type_name: string;
  source_private: Buffer;
}
export interface MoveResourceStateResponse {
  target_state?: DynamicValue | null;
  diagnostics?: Diagnostic[];
  target_private?: Buffer;
}

export interface ReadDataSourceRequest {
  type_name: string;
  config: DynamicValue | null;
  provider_meta: DynamicValue | null;
  client_capabilities: ClientCapabilities | null;
}
export interface ReadDataSourceResponse {
  state?: DynamicValue | null;
  diagnostics?: Diagnostic[];
  deferred?: Deferred | null;
}

export interface OpenEphemeralResourceRequest {
  type_name: string;
  config: DynamicValue | null;
  client_capabilities: ClientCapabilities | null;
}
export interface OpenEphemeralResourceResponse {
  diagnostics?: Diagnostic[];
  renew_at?: Timestamp | null;
  result?: DynamicValue | null;
  private?: Buffer | null;
  deferred?: Deferred | null;
}

export interface RenewEphemeralResourceRequest {
  type_name: string;
  private?: Buffer | null;
}
export interface RenewEphemeralResourceResponse {
  diagnostics?: Diagnostic[];
  renew_at?: Timestamp | null;
  private?: Buffer | null;
}

export interface CloseEphemeralResourceRequest {
  type_name: string;
  private?: Buffer | null;
}
export interface CloseEphemeralResourceResponse {
  diagnostics?: Diagnostic[];
}

export type GetFunctionsRequest = Record<string, never>;
export interface GetFunctionsResponse {
  functions?: Record<string, FunctionDefinition>;
  diagnostics?: Diagnostic[];
}

export interface CallFunctionRequest {
  name: string;
  arguments: DynamicValue[];
}
export interface CallFunctionResponse {
  result?: DynamicValue | null;
  error?: FunctionError | null;
}

// --- handlers ----------------------------------------------------------------------------------

/** Per-call context handed to every handler. */
export interface CallContext {
  /** Aborted when Terraform calls StopProvider (Ctrl-C): cancel in-flight remote work. */
  signal: AbortSignal;
  /** The RPC name, e.g. "PlanResourceChange". */
  rpc: string;
  /** Logger whose @module names the RPC. */
  log: Logger;
}

type Handler<Req, Res> = (request: Req, context: CallContext) => Promise<Res>;

/**
 * A response already encoded as the RPC's protobuf response message, sent as it is. For answers too large to
 * re-encode on every call (the merged provider schema: megabytes that encoding would take a second to produce).
 */
export class EncodedResponse {
  constructor(readonly bytes: Buffer) {}
}

/**
 * One method per tfplugin6.Provider RPC. StopProvider is answered by the protocol layer (it aborts
 * CallContext.signal, then calls `stop`), as is go-plugin's Shutdown.
 *
 * Optional RPCs, when absent, answer: GetMetadata -> gRPC UNIMPLEMENTED (Terraform then uses
 * GetProviderSchema; 1.11 never calls it); GetFunctions -> no functions; the others -> one ERROR
 * diagnostic saying the provider does not support that kind of object.
 *
 * A handler that throws (or rejects) produces a normal response carrying one ERROR diagnostic
 * "Internal provider error" with the error message as detail; the stack goes to the log.
 */
export interface ProviderHandlers {
  /** Awaited once before the first RPC is served (e.g. load schemas). */
  init?(): Promise<void>;
  /** Called after StopProvider aborted the call signal. */
  stop?(): Promise<void> | void;
  /** Called on go-plugin's Shutdown, before the process exits (waited for a bounded time): release what it holds. */
  close?(): Promise<void> | void;

  GetProviderSchema: Handler<GetProviderSchemaRequest, GetProviderSchemaResponse | EncodedResponse>;
  ValidateProviderConfig: Handler<ValidateProviderConfigRequest, ValidateProviderConfigResponse>;
  ValidateResourceConfig: Handler<ValidateResourceConfigRequest, ValidateResourceConfigResponse>;
  UpgradeResourceState: Handler<UpgradeResourceStateRequest, UpgradeResourceStateResponse>;
  ConfigureProvider: Handler<ConfigureProviderRequest, ConfigureProviderResponse>;
  ReadResource: Handler<ReadResourceRequest, ReadResourceResponse>;
  PlanResourceChange: Handler<PlanResourceChangeRequest, PlanResourceChangeResponse>;
  ApplyResourceChange: Handler<ApplyResourceChangeRequest, ApplyResourceChangeResponse>;
  ImportResourceState: Handler<ImportResourceStateRequest, ImportResourceStateResponse>;

  GetMetadata?: Handler<GetMetadataRequest, GetMetadataResponse>;
  ValidateDataResourceConfig?: Handler<ValidateDataResourceConfigRequest, ValidateDataResourceConfigResponse>;
  ReadDataSource?: Handler<ReadDataSourceRequest, ReadDataSourceResponse>;
  MoveResourceState?: Handler<MoveResourceStateRequest, MoveResourceStateResponse>;
  ValidateEphemeralResourceConfig?: Handler<ValidateEphemeralResourceConfigRequest, ValidateEphemeralResourceConfigResponse>;
  OpenEphemeralResource?: Handler<OpenEphemeralResourceRequest, OpenEphemeralResourceResponse>;
  RenewEphemeralResource?: Handler<RenewEphemeralResourceRequest, RenewEphemeralResourceResponse>;
  CloseEphemeralResource?: Handler<CloseEphemeralResourceRequest, CloseEphemeralResourceResponse>;
  GetFunctions?: Handler<GetFunctionsRequest, GetFunctionsResponse>;
  CallFunction?: Handler<CallFunctionRequest, CallFunctionResponse>;
}

/** Names of the RPCs a ProviderHandlers object may implement (everything but StopProvider). */
export const PROVIDER_RPCS = [
  'GetMetadata',
  'GetProviderSchema',
  'ValidateProviderConfig',
  'ValidateResourceConfig',
  'ValidateDataResourceConfig',
  'UpgradeResourceState',
  'ConfigureProvider',
  'ReadResource',
  'PlanResourceChange',
  'ApplyResourceChange',
  'ImportResourceState',
  'MoveResourceState',
  'ReadDataSource',
  'ValidateEphemeralResourceConfig',
  'OpenEphemeralResource',
  'RenewEphemeralResource',
  'CloseEphemeralResource',
  'GetFunctions',
  'CallFunction',
] as const satisfies readonly (keyof ProviderHandlers)[];

export type ProviderRpc = (typeof PROVIDER_RPCS)[number];

/** An ERROR diagnostic. */
export function errorDiagnostic(summary: string, detail = '', attribute?: AttributePath): Diagnostic {
  return { severity: 'ERROR', summary, detail, attribute: attribute ?? null };
}

/** A WARNING diagnostic. */
export function warningDiagnostic(summary: string, detail = '', attribute?: AttributePath): Diagnostic {
  return { severity: 'WARNING', summary, detail, attribute: attribute ?? null };
}
