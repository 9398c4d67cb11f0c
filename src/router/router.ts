// The router: one tfplugin6 provider made of two. The native handlers serve the types this provider implements; the
// upstream (the genuine hashicorp/aws, a child process speaking tfplugin5) serves every other type and function,
// like terraform-plugin-mux does across servers, but across protocol versions.
//
// - Schema: ours for the provider block and the native types, the upstream's (from its on-disk cache) for the
//   others, limited to the types the command can need (schema-scope.ts). Assembled from encoded bytes.
// - Requests name a type (or a function): the routing table (table.ts), built once from the native handlers' names,
//   sends native ones to the native handlers and the rest to the upstream.
// - The upstream child starts on the first request that needs it, or at ConfigureProvider when the types the command
//   names include delegated ones (so that its start overlaps Terraform's own work); the ConfigureProvider request is
//   remembered and replayed into it (re-encoded for its provider schema) before anything else is forwarded. In a
//   warm server the child may be a parked one (src/upstream/pool.ts) already configured with the same request.
// - StopProvider and Shutdown reach it; if it fails (crash, no handshake), the requests that needed it get an error
//   diagnostic that says so, and nothing waits forever.
import { pluginDescriptors } from '../protocol/definitions';
import type { Logger } from '../protocol/log';
import { EncodedResponse, errorDiagnostic, warningDiagnostic, type CallContext, type Diagnostic, type ProviderHandlers } from '../protocol/tfplugin6';
import type * as tf from '../protocol/tfplugin6';
import { UpstreamError, type ConfigurationInputs, type Session, type Upstream } from '../upstream/upstream';
import type { ForwardedRpc } from '../upstream/tfplugin5';
import type { SchemaKind, UpstreamSchema } from '../upstream/schema-cache';
import { decodeMsgpack, type ObjectValue } from '../values';
import { declaredTypes } from './missing-types';
import { impliedType, reencodeConfig } from './provider-config';
import { schemaScope } from './schema-scope';
import { qualifiedName, RoutingTable } from './table';
import { configurationFiles, type RunContext } from './working-directory';

/** What the router uses of the upstream (an Upstream; the tests give it a fake). */
export type UpstreamProvider = Pick<Upstream, 'binary' | 'schema' | 'connect' | 'configure' | 'stop' | 'close'>;

export interface RouterOptions {
  /** The native handlers; their GetMetadata names what they serve. */
  native: ProviderHandlers;
  upstream: UpstreamProvider;
  log: Logger;
  /** The Terraform run (working directory, command line), read when the schema is assembled. */
  run: () => RunContext;
  /**
   * What hashicorp/aws reads when configured with the provider block (our schema's value), for keeping a configured
   * child for later launches; without it, no configured child is kept.
   */
  configurationInputs?: (config: ObjectValue) => Promise<ConfigurationInputs>;
}

/** A failure that has its own diagnostics (the upstream's ConfigureProvider errors). */
class DiagnosedFailure extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => d.summary).join('; '));
  }
}

const MSGPACK_NULL = 0xc0;

/** The RPCs about one resource type, data source, ephemeral resource or function. */
type RoutedRpc =
  | 'ValidateResourceConfig'
  | 'UpgradeResourceState'
  | 'ReadResource'
  | 'PlanResourceChange'
  | 'ApplyResourceChange'
  | 'ImportResourceState'
  | 'MoveResourceState'
  | 'ValidateDataResourceConfig'
  | 'ReadDataSource'
  | 'ValidateEphemeralResourceConfig'
  | 'OpenEphemeralResource'
  | 'RenewEphemeralResource'
  | 'CloseEphemeralResource'
  | 'CallFunction';
type RequestOf<R extends RoutedRpc> = Parameters<NonNullable<ProviderHandlers[R]>>[0];
type ResponseOf<R extends RoutedRpc> = Awaited<ReturnType<NonNullable<ProviderHandlers[R]>>>;
interface Route<R extends RoutedRpc> {
  kind: SchemaKind;
  /** The name the request is about. */
  name: (request: RequestOf<R>) => string;
}

const typeName = { name: (request: { type_name: string }) => request.type_name };
const resource = { kind: 'resource_schemas', ...typeName } as const;
const dataSource = { kind: 'data_source_schemas', ...typeName } as const;
const ephemeral = { kind: 'ephemeral_resource_schemas', ...typeName } as const;

/** What each routed RPC is about: the kind of name, and where its request holds it. */
const ROUTES: { [R in RoutedRpc]: Route<R> } = {
  ValidateResourceConfig: resource,
  UpgradeResourceState: resource,
  ReadResource: resource,
  PlanResourceChange: resource,
  ApplyResourceChange: resource,
  ImportResourceState: resource,
  // A move is served by whoever serves the type it moves into.
  MoveResourceState: { kind: 'resource_schemas', name: (request) => request.target_type_name },
  ValidateDataResourceConfig: dataSource,
  ReadDataSource: dataSource,
  ValidateEphemeralResourceConfig: ephemeral,
  OpenEphemeralResource: ephemeral,
  RenewEphemeralResource: ephemeral,
  CloseEphemeralResource: ephemeral,
  CallFunction: { kind: 'functions', name: (request) => request.name },
};

export class Router implements ProviderHandlers {
  private readonly native: ProviderHandlers;
  private tableBuilt: Promise<RoutingTable> | undefined;
  private readonly upstream: UpstreamProvider;
  private readonly log: Logger;
  private configureRequest: tf.ConfigureProviderRequest | undefined;
  /** The upstream's answer to the replayed ConfigureProvider (once per ConfigureProvider request). */
  private upstreamConfigured: Promise<Diagnostic[]> | undefined;
  /** Its warnings are shown once, with the first forwarded answer after it. */
  private configureWarningsShown = false;
  /** Deciding whether to start the upstream at ConfigureProvider (a forwarded request waits for the decision). */
  private earlyStart: Promise<void> | undefined;

  constructor(private readonly options: RouterOptions) {
    this.native = options.native;
    this.upstream = options.upstream;
    this.log = options.log.child('router');
  }

  async init(): Promise<void> {
    await this.native.init?.();
    await this.table();
  }

  async stop(): Promise<void> {
    await Promise.all([this.native.stop?.(), this.upstream.stop()]);
  }

  async close(): Promise<void> {
    await this.upstream.close();
  }

  // --- provider-level calls ----------------------------------------------------------------------

  async GetProviderSchema(request: tf.GetProviderSchemaRequest, context: CallContext): Promise<tf.GetProviderSchemaResponse | EncodedResponse> {
    const own = (await this.native.GetProviderSchema(request, context)) as tf.GetProviderSchemaResponse;
    const upstream = await this.upstreamSchema(context);
    if (upstream instanceof Error) {
      return { ...own, diagnostics: [...(own.diagnostics ?? []), unavailableWarning(upstream.message)] };
    }
    const scope = schemaScope(this.options.run());
    const table = await this.table();
    const entries = upstream.encodedEntries(
      (kind, name) =>
        (scope.all || kind === 'functions' || kind === 'ephemeral_resource_schemas' || scope.names.has(name)) && table.servesUpstreamEntry(kind, name),
    );
    context.log.debug('merged schema', {
      upstream_entries: entries.length,
      scope: scope.all ? `all types: ${scope.reason}` : 'types named in the configuration and state',
    });
    const ours = pluginDescriptors.encode('tfplugin6.GetProviderSchema.Response', { ...own, server_capabilities: this.capabilities(upstream) });
    // Concatenated protobuf messages are one message whose map entries are all of theirs.
    return new EncodedResponse(Buffer.concat([...entries, ours]));
  }

  async GetMetadata(request: tf.GetMetadataRequest, context: CallContext): Promise<tf.GetMetadataResponse> {
    const own = (await this.native.GetMetadata?.(request, context)) ?? {};
    const upstream = await this.upstreamSchema(context);
    if (upstream instanceof Error) return { ...own, diagnostics: [...(own.diagnostics ?? []), unavailableWarning(upstream.message)] };
    const table = await this.table();
    const more = (kind: SchemaKind) => upstream.names(kind).filter((name) => table.servesUpstreamEntry(kind, name));
    return {
      ...own,
      server_capabilities: this.capabilities(upstream),
      resources: [...(own.resources ?? []), ...more('resource_schemas').map((type_name) => ({ type_name }))],
      data_sources: [...(own.data_sources ?? []), ...more('data_source_schemas').map((type_name) => ({ type_name }))],
      ephemeral_resources: [...(own.ephemeral_resources ?? []), ...more('ephemeral_resource_schemas').map((type_name) => ({ type_name }))],
      functions: [...(own.functions ?? []), ...more('functions').map((name) => ({ name }))],
    };
  }

  async GetFunctions(request: tf.GetFunctionsRequest, context: CallContext): Promise<tf.GetFunctionsResponse> {
    const own = (await this.native.GetFunctions?.(request, context)) ?? { functions: {} };
    const upstream = await this.upstreamSchema(context);
    if (upstream instanceof Error) return own;
    const table = await this.table();
    const theirs = Object.entries(upstream.functions()).filter(([name]) => table.servesUpstreamEntry('functions', name));
    return { ...own, functions: { ...Object.fromEntries(theirs), ...own.functions } };
  }

  ValidateProviderConfig(request: tf.ValidateProviderConfigRequest, context: CallContext): Promise<tf.ValidateProviderConfigResponse> {
    return this.native.ValidateProviderConfig(request, context);
  }

  async ConfigureProvider(request: tf.ConfigureProviderRequest, context: CallContext): Promise<tf.ConfigureProviderResponse> {
    // Remembered for the upstream, which is configured when a request needs it, or now when the command names
    // delegated types: then its start and configuration overlap ours and Terraform's.
    this.configureRequest = request;
    this.upstreamConfigured = undefined;
    this.earlyStart = this.delegatesInScope(context).then(
      (delegates) => {
        if (delegates && this.configureRequest === request && !this.upstreamConfigured) this.startConfiguring(request, context);
      },
      (err: unknown) => context.log.debug('the upstream was not started early', { error: errorMessage(err) }),
    );
    return this.native.ConfigureProvider(request, context);
  }

  // --- calls about one type or function: routed by the table -----------------------------------

  ValidateResourceConfig(request: tf.ValidateResourceConfigRequest, context: CallContext): Promise<tf.ValidateResourceConfigResponse> {
    return this.dispatch('ValidateResourceConfig', request, context);
  }

  UpgradeResourceState(request: tf.UpgradeResourceStateRequest, context: CallContext): Promise<tf.UpgradeResourceStateResponse> {
    return this.dispatch('UpgradeResourceState', request, context);
  }

  ReadResource(request: tf.ReadResourceRequest, context: CallContext): Promise<tf.ReadResourceResponse> {
    return this.dispatch('ReadResource', request, context);
  }

  async PlanResourceChange(request: tf.PlanResourceChangeRequest, context: CallContext): Promise<tf.PlanResourceChangeResponse> {
    // We announce plan_destroy; an upstream that does not would never have been asked: plan the deletion for it,
    // as Terraform itself would have (a null plan, the private data carried over).
    if (isDestroyPlan(request) && (await this.table()).route('resource_schemas', request.type_name) === 'upstream') {
      const upstream = await this.upstreamSchema(context);
      if (!(upstream instanceof Error) && !upstream.serverCapabilities.plan_destroy) {
        return { planned_state: request.proposed_new_state, planned_private: request.prior_private };
      }
    }
    return this.dispatch('PlanResourceChange', request, context);
  }

  ApplyResourceChange(request: tf.ApplyResourceChangeRequest, context: CallContext): Promise<tf.ApplyResourceChangeResponse> {
    return this.dispatch('ApplyResourceChange', request, context);
  }

  ImportResourceState(request: tf.ImportResourceStateRequest, context: CallContext): Promise<tf.ImportResourceStateResponse> {
    return this.dispatch('ImportResourceState', request, context);
  }

  MoveResourceState(request: tf.MoveResourceStateRequest, context: CallContext): Promise<tf.MoveResourceStateResponse> {
    return this.dispatch('MoveResourceState', request, context);
  }

  ValidateDataResourceConfig(request: tf.ValidateDataResourceConfigRequest, context: CallContext): Promise<tf.ValidateDataResourceConfigResponse> {
    return this.dispatch('ValidateDataResourceConfig', request, context);
  }

  ReadDataSource(request: tf.ReadDataSourceRequest, context: CallContext): Promise<tf.ReadDataSourceResponse> {
    return this.dispatch('ReadDataSource', request, context);
  }

  ValidateEphemeralResourceConfig(
    request: tf.ValidateEphemeralResourceConfigRequest,
    context: CallContext,
  ): Promise<tf.ValidateEphemeralResourceConfigResponse> {
    return this.dispatch('ValidateEphemeralResourceConfig', request, context);
  }

  OpenEphemeralResource(request: tf.OpenEphemeralResourceRequest, context: CallContext): Promise<tf.OpenEphemeralResourceResponse> {
    return this.dispatch('OpenEphemeralResource', request, context);
  }

  RenewEphemeralResource(request: tf.RenewEphemeralResourceRequest, context: CallContext): Promise<tf.RenewEphemeralResourceResponse> {
    return this.dispatch('RenewEphemeralResource', request, context);
  }

  CloseEphemeralResource(request: tf.CloseEphemeralResourceRequest, context: CallContext): Promise<tf.CloseEphemeralResourceResponse> {
    return this.dispatch('CloseEphemeralResource', request, context);
  }

  CallFunction(request: tf.CallFunctionRequest, context: CallContext): Promise<tf.CallFunctionResponse> {
    return this.dispatch('CallFunction', request, context);
  }

  /** The native handler of `rpc` when the table routes the request's name to it, else the upstream. */
  private async dispatch<R extends RoutedRpc>(rpc: R, request: RequestOf<R>, context: CallContext): Promise<ResponseOf<R>> {
    const { kind, name } = ROUTES[rpc] as Route<R>;
    const typeName = name(request);
    const what = qualifiedName(kind, typeName);
    if ((await this.table()).route(kind, typeName) === 'upstream') return this.forward<ResponseOf<R>>(rpc, request, what, context);
    const handler = this.native[rpc] as ((request: RequestOf<R>, context: CallContext) => Promise<ResponseOf<R>>) | undefined;
    if (handler) return handler.call(this.native, request, context);
    const detail = rpc === 'MoveResourceState' ? `This provider does not move other resource types into ${typeName}.` : `This provider does not implement ${rpc} for ${what}.`;
    return failure(rpc, [errorDiagnostic('Unsupported operation', detail)]) as ResponseOf<R>;
  }

  // --- the upstream ----------------------------------------------------------------------------

  /** The routing table, built once (at init, or by the first call that needs it). */
  private table(): Promise<RoutingTable> {
    this.tableBuilt ??= RoutingTable.of(this.native, this.log);
    return this.tableBuilt;
  }

  private capabilities(upstream: UpstreamSchema): tf.ServerCapabilities {
    return {
      // Ours need it; for an upstream without it, PlanResourceChange answers destroy plans itself.
      plan_destroy: true,
      // Both schemas are known without the child: any process can answer from the cache.
      get_provider_schema_optional: true,
      // Moves into native types are answered with a clear error; into upstream types, by the upstream.
      move_resource_state: upstream.serverCapabilities.move_resource_state ?? false,
    };
  }

  private async upstreamSchema(context: CallContext): Promise<UpstreamSchema | Error> {
    try {
      return await this.upstream.schema();
    } catch (err) {
      context.log.warn('upstream schema unavailable', { error: errorMessage(err) });
      return err instanceof Error ? err : new Error(String(err));
    }
  }

  /** Forward a request about `what` to the upstream; failures become the answer's error. */
  private async forward<T>(rpc: ForwardedRpc, request: object, what: string, context: CallContext): Promise<T> {
    const started = performance.now();
    try {
      const { session, warnings } = await this.configuredSession(context);
      const answer = await session.call(rpc, request);
      context.log.debug('forwarded to the upstream', { type: what, ms: Math.round(performance.now() - started) });
      if (warnings.length > 0 && Array.isArray(answer.diagnostics)) answer.diagnostics = [...(answer.diagnostics as Diagnostic[]), ...warnings];
      return answer as T;
    } catch (err) {
      if (err instanceof DiagnosedFailure) return failure(rpc, err.diagnostics) as T;
      if (!(err instanceof UpstreamError)) throw err;
      context.log.error('upstream request failed', { type: what, error: err.message });
      return failure(rpc, [errorDiagnostic(`hashicorp/aws could not serve ${what}`, err.message)]) as T;
    }
  }

  /**
   * The running upstream, configured with the remembered ConfigureProvider request (if there is one yet), and the
   * warnings of that configuration still to be shown (once, with the first answer after it).
   */
  private async configuredSession(context: CallContext): Promise<{ session: Session; warnings: Diagnostic[] }> {
    await this.earlyStart;
    const request = this.configureRequest;
    if (!request) return { session: await this.upstream.connect(), warnings: [] };
    if (!this.upstreamConfigured) this.startConfiguring(request, context);
    const diagnostics = await this.upstreamConfigured!;
    const errors = diagnostics.filter((d) => d.severity === 'ERROR');
    if (errors.length > 0) throw new DiagnosedFailure(errors);
    const first = !this.configureWarningsShown;
    this.configureWarningsShown = true;
    return { session: await this.upstream.connect(), warnings: first ? diagnostics : [] };
  }

  private startConfiguring(request: tf.ConfigureProviderRequest, context: CallContext): void {
    this.configureWarningsShown = false;
    this.upstreamConfigured = this.configureUpstream(request, context);
    // Started ahead of any request: its failure is reported by the requests that need it.
    this.upstreamConfigured.catch(() => undefined);
  }

  /** Whether the types the command names (configuration and state) include one hashicorp/aws serves. */
  private async delegatesInScope(context: CallContext): Promise<boolean> {
    const table = await this.table();
    const run = this.options.run();
    const scope = schemaScope(run);
    // Without the state, the configuration's blocks: a type only in the state starts the child when it is needed.
    const words = scope.all ? declaredResourcesAndDataSources(run) : [...scope.names];
    const kinds = ['resource_schemas', 'data_source_schemas'] as const;
    const others = words.filter((name) => !kinds.some((kind) => table.isNative(kind, name)));
    // Only then is the upstream's schema read: a configuration of native types never reads it here.
    if (others.length === 0) return false;
    const upstream = await this.upstreamSchema(context);
    return !(upstream instanceof Error) && others.some((name) => kinds.some((kind) => upstream.has(kind, name)));
  }

  private async configureUpstream(request: tf.ConfigureProviderRequest, context: CallContext): Promise<Diagnostic[]> {
    const own = (await this.native.GetProviderSchema({}, context)) as tf.GetProviderSchemaResponse;
    const theirs = (await this.upstream.schema()).providerSchema();
    const { config, unsupported } = reencodeConfig(request.config, own.provider.block ?? {}, theirs.block ?? {});
    if (unsupported.length > 0) {
      const version = this.upstream.binary.version ? ` ${this.upstream.binary.version}` : '';
      return [
        errorDiagnostic(
          `Provider argument not supported by hashicorp/aws${version}`,
          `The provider "aws" block sets ${unsupported.join(', ')}, which the hashicorp/aws provider${version} ` +
            `(${this.upstream.binary.path}) that serves the types this provider does not implement does not know. ` +
            'Remove the argument, or make a hashicorp/aws version that supports it available.',
        ),
      ];
    }
    const inputs = await this.configurationInputs(request, own.provider.block ?? {});
    const diagnostics = await this.upstream.configure({ ...request, config }, inputs);
    this.log.debug('upstream configured', { diagnostics: diagnostics.length });
    return diagnostics;
  }

  /** What hashicorp/aws reads when configured with this request, when configured children may be kept. */
  private async configurationInputs(request: tf.ConfigureProviderRequest, block: tf.SchemaBlock): Promise<ConfigurationInputs | undefined> {
    const inputs = this.options.configurationInputs;
    if (!inputs || !request.config?.msgpack?.length) return undefined;
    try {
      return await inputs(decodeMsgpack(request.config.msgpack, impliedType(block)) as ObjectValue);
    } catch (err) {
      return { refused: `its inputs could not be read: ${errorMessage(err)}` };
    }
  }

}

function unavailableWarning(message: string): Diagnostic {
  return warningDiagnostic(
    'hashicorp/aws is unavailable',
    `Only the types this provider implements itself can be used: the hashicorp/aws provider that serves the others failed. ${message}`,
  );
}

/** An answer to `rpc` that carries only these diagnostics (CallFunction has a function error instead). */
function failure(rpc: ForwardedRpc, diagnostics: Diagnostic[]): unknown {
  if (rpc === 'CallFunction') return { error: { text: diagnostics.map((d) => `${d.summary}: ${d.detail ?? ''}`).join('\n') } };
  return { diagnostics };
}

/** PlanResourceChange for a deletion: the proposed new state is null. */
function isDestroyPlan(request: tf.PlanResourceChangeRequest): boolean {
  const proposed = request.proposed_new_state?.msgpack;
  return !!proposed && proposed.length === 1 && proposed[0] === MSGPACK_NULL;
}

function declaredResourcesAndDataSources(run: RunContext): string[] {
  const { resources, dataSources } = declaredTypes(configurationFiles(run));
  return [...resources, ...dataSources];
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
