// What a provider, a resource and a data source supply to the engine. A resource supplies its schema
// and its API mapping (create, read, update, delete, import); the engine does everything else.
import type { ObjectValue } from '../values/value';
import type { Path } from '../values/path';
import type { Diagnostic } from './diagnostics';
import type { Schema } from './schema';

export interface OperationContext<Meta> {
  /** What ConfigureProvider produced (clients, region, default tags...). */
  meta: Meta;
  /** Fires when Terraform asks the provider to stop (Ctrl-C). */
  signal: AbortSignal;
}

/** One step of planning, after the schema-driven plan: may change `planned` and `requiresReplace`. */
export interface PlanRequest {
  prior: ObjectValue | null;
  config: ObjectValue;
  planned: ObjectValue;
  requiresReplace: Path[];
}
export type PlanModifier<Meta> = (context: OperationContext<Meta>, request: PlanRequest) => Diagnostic[] | void;

export interface ResourceType<Meta> {
  name: string;
  schema: Schema;
  /**
   * The resource's hashicorp/aws implementation is SDKv2-based: plan, apply and read follow SDKv2's semantics
   * (engine/sdkv2.ts) instead of the strict ones (engine/plan.ts).
   */
  sdkv2?: boolean;
  /** Creates the remote object; returns the new state (normally by reading it back). */
  create(context: OperationContext<Meta>, planned: ObjectValue, config: ObjectValue): Promise<ObjectValue>;
  /** Returns the remote object's state, or null when it no longer exists. */
  read(context: OperationContext<Meta>, current: ObjectValue): Promise<ObjectValue | null>;
  update(context: OperationContext<Meta>, prior: ObjectValue, planned: ObjectValue, config: ObjectValue): Promise<ObjectValue>;
  delete(context: OperationContext<Meta>, current: ObjectValue): Promise<void>;
  /** The partial state an import ID stands for; Terraform reads the rest right after. */
  importState(context: OperationContext<Meta>, id: string): ObjectValue;
  /** Checks across attributes, beyond each attribute's own validators. */
  validate?(config: ObjectValue): Diagnostic[];
  planModifiers?: PlanModifier<Meta>[];
  /** Adjusts a state read or upgraded from storage (e.g. values absent from older providers' states). */
  upgradeState?(context: OperationContext<Meta> | undefined, state: ObjectValue): ObjectValue;
}

export interface DataSourceType<Meta> {
  name: string;
  schema: Schema;
  /** SDKv2-based in hashicorp/aws: the result is stored in SDKv2's form (engine/sdkv2.ts sdkv2StateForm). */
  sdkv2?: boolean;
  read(context: OperationContext<Meta>, config: ObjectValue): Promise<ObjectValue>;
  validate?(config: ObjectValue): Diagnostic[];
}

export interface ProviderDefinition<Meta> {
  schema: Schema;
  /** The provider block is SDKv2's in hashicorp/aws: read as SDKv2 reads a configuration (engine/sdkv2.ts). */
  sdkv2?: boolean;
  providerMetaSchema?: Schema;
  resources: ResourceType<Meta>[];
  dataSources: DataSourceType<Meta>[];
  /** Builds what operations need from the provider block; may be called more than once per process. */
  configure(config: ObjectValue, terraformVersion: string, signal: AbortSignal): Promise<{ meta: Meta; diagnostics: Diagnostic[] }>;
  validateConfig?(config: ObjectValue): Diagnostic[];
}
