// The router: one tfplugin6 provider made of two. The native handlers serve the types this provider implements; the
// upstream (the genuine hashicorp/aws, a child process speaking tfplugin5) serves every other type and function,
// like terraform-plugin-mux does across servers, but across protocol versions.
//
// - Schema: ours for the provider block and the native types, the upstream's (from its on-disk cache) for the
//   others, limited to the types the command can need (schema-scope.ts). Assembled from encoded bytes.
// - Requests name a type (or a function): native ones go to the native handlers, the rest to the upstream.
// - The upstream child starts on the first request that needs it; the ConfigureProvider request is remembered and
//   replayed into it (re-encoded for its provider schema) before anything else is forwarded.
// - StopProvider and Shutdown reach it; if it fails (crash, no handshake), the requests that needed it get an error
//   diagnostic that says so, and nothing waits forever.
import { pluginDescriptors } from '../protocol/definitions';
import type { Logger } from '../protocol/log';
import { EncodedResponse, errorDiagnostic, warningDiagnostic, type CallContext, type Diagnostic, type ProviderHandlers } from '../protocol/tfplugin6';
import type * as tf from '../protocol/tfplugin6';
import { UpstreamError, type Session, type Upstream } from '../upstream/upstream';
import type { ForwardedRpc } from '../upstream/tfplugin5';
import type { SchemaKind, UpstreamSchema } from '../upstream/schema-cache';
import type { NativeNames } from './missing-types';
import { reencodeConfig } from './provider-config';
import { schemaScope } from './schema-scope';
import type { RunContext } from './working-directory';

export interface RouterOptions {
  native: ProviderHandlers;
  nativeNames: NativeNames;
  upstream: Upstream;
  log: Logger;
  /** The Terraform run (working directory, command line), read when the schema is assembled. */
  run: () => RunContext;
}

/** A failure that has its own diagnostics (the upstream's ConfigureProvider errors). */
class DiagnosedFailure extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => d.summary).join('; '));
  }
}

const MSGPACK_NULL = 0xc0;

export class Router implements ProviderHandlers {
  private readonly native: ProviderHandlers;
  private readonly names: NativeNames;
  private readonly upstream: Upstream;
  private readonly log: Logger;
  private configureRequest: tf.ConfigureProviderRequest | undefined;
  /** The upstream's answer to the replayed ConfigureProvider (once per ConfigureProvider request). */
  private upstreamConfigured: Promise<Diagnostic[]> | undefined;

  constructor(private readonly options: RouterOptions) {
    this.native = options.native;
    this.names = options.nativeNames;
    this.upstream = options.upstream;
    this.log = options.log.child('router');
  }

  async init(): Promise<void> {
    await this.native.init?.();
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
    const entries = upstream.encodedEntries(
      (kind, name) => !this.isNative(kind, name) && (scope.all || kind === 'functions' || kind === 'ephemeral_resource_schemas' || scope.names.has(name)),
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
    const more = (kind: SchemaKind) => upstream.names(kind).filter((name) => !this.isNative(kind, name));
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
    const theirs = Object.entries(upstream.functions()).filter(([name]) => !this.names.functions.has(name));
    return { ...own, functions: { ...Object.fromEntries(theirs), ...own.functions } };
  }

  ValidateProviderConfig(request: tf.ValidateProviderConfigRequest, context: CallContext): Promise<tf.ValidateProviderConfigResponse> {
    return this.native.ValidateProviderConfig(request, context);
  }

  async ConfigureProvider(request: tf.ConfigureProviderRequest, context: CallContext): Promise<tf.ConfigureProviderResponse> {
    // Remembered for the upstream, which is configured when (and if) a request needs it.
    this.configureRequest = request;
    this.upstreamConfigured = undefined;
    return this.native.ConfigureProvider(request, context);
  }

  // --- calls about one type or function --------------------------------------------------------

  ValidateResourceConfig(request: tf.ValidateResourceConfigRequest, context: CallContext): Promise<tf.ValidateResourceConfigResponse> {
    return this.isNative('resource_schemas', request.type_name)
      ? this.native.ValidateResourceConfig(request, context)
      : this.forward('ValidateResourceConfig', request, request.type_name, context);
  }

  UpgradeResourceState(request: tf.UpgradeResourceStateRequest, context: CallContext): Promise<tf.UpgradeResourceStateResponse> {
    return this.isNative('resource_schemas', request.type_name)
      ? this.native.UpgradeResourceState(request, context)
      : this.forward('UpgradeResourceState', request, request.type_name, context);
  }

  ReadResource(request: tf.ReadResourceRequest, context: CallContext): Promise<tf.ReadResourceResponse> {
    return this.isNative('resource_schemas', request.type_name)
      ? this.native.ReadResource(request, context)
      : this.forward('ReadResource', request, request.type_name, context);
  }

  async PlanResourceChange(request: tf.PlanResourceChangeRequest, context: CallContext): Promise<tf.PlanResourceChangeResponse> {
    if (this.isNative('resource_schemas', request.type_name)) return this.native.PlanResourceChange(request, context);
    // We announce plan_destroy; an upstream that does not would never have been asked: plan the deletion for it,
    // as Terraform itself would have (a null plan, the private data carried over).
    if (isDestroyPlan(request)) {
      const upstream = await this.upstreamSchema(context);
      if (!(upstream instanceof Error) && !upstream.serverCapabilities.plan_destroy) {
        return { planned_state: request.proposed_new_state, planned_private: request.prior_private };
      }
    }
    return this.forward('PlanResourceChange', request, request.type_name, context);
  }

  ApplyResourceChange(request: tf.ApplyResourceChangeRequest, context: CallContext): Promise<tf.ApplyResourceChangeResponse> {
    return this.isNative('resource_schemas', request.type_name)
      ? this.native.ApplyResourceChange(request, context)
      : this.forward('ApplyResourceChange', request, request.type_name, context);
  }

  ImportResourceState(request: tf.ImportResourceStateRequest, context: CallContext): Promise<tf.ImportResourceStateResponse> {
    return this.isNative('resource_schemas', request.type_name)
      ? this.native.ImportResourceState(request, context)
      : this.forward('ImportResourceState', request, request.type_name, context);
  }

  async MoveResourceState(request: tf.MoveResourceStateRequest, context: CallContext): Promise<tf.MoveResourceStateResponse> {
    if (!this.isNative('resource_schemas', request.target_type_name)) {
      return this.forward('MoveResourceState', request, request.target_type_name, context);
    }
    if (this.native.MoveResourceState) return this.native.MoveResourceState(request, context);
    return {
      diagnostics: [
        errorDiagnostic('Unsupported operation', `This provider does not move other resource types into ${request.target_type_name}.`),
      ],
    };
  }

  ValidateDataResourceConfig(request: tf.ValidateDataResourceConfigRequest, context: CallContext): Promise<tf.ValidateDataResourceConfigResponse> {
    return this.isNative('data_source_schemas', request.type_name) && this.native.ValidateDataResourceConfig
      ? this.native.ValidateDataResourceConfig(request, context)
      : this.forward('ValidateDataResourceConfig', request, `data.${request.type_name}`, context);
  }

  ReadDataSource(request: tf.ReadDataSourceRequest, context: CallContext): Promise<tf.ReadDataSourceResponse> {
    return this.isNative('data_source_schemas', request.type_name) && this.native.ReadDataSource
      ? this.native.ReadDataSource(request, context)
      : this.forward('ReadDataSource', request, `data.${request.type_name}`, context);
  }

  ValidateEphemeralResourceConfig(
    request: tf.ValidateEphemeralResourceConfigRequest,
    context: CallContext,
  ): Promise<tf.ValidateEphemeralResourceConfigResponse> {
    return this.forward('ValidateEphemeralResourceConfig', request, `ephemeral.${request.type_name}`, context);
  }

  OpenEphemeralResource(request: tf.OpenEphemeralResourceRequest, context: CallContext): Promise<tf.OpenEphemeralResourceResponse> {
    return this.forward('OpenEphemeralResource', request, `ephemeral.${request.type_name}`, context);
  }

  RenewEphemeralResource(request: tf.RenewEphemeralResourceRequest, context: CallContext): Promise<tf.RenewEphemeralResourceResponse> {
    return this.forward('RenewEphemeralResource', request, `ephemeral.${request.type_name}`, context);
  }

  CloseEphemeralResource(request: tf.CloseEphemeralResourceRequest, context: CallContext): Promise<tf.CloseEphemeralResourceResponse> {
    return this.forward('CloseEphemeralResource', request, `ephemeral.${request.type_name}`, context);
  }

  CallFunction(request: tf.CallFunctionRequest, context: CallContext): Promise<tf.CallFunctionResponse> {
    return this.names.functions.has(request.name) && this.native.CallFunction
      ? this.native.CallFunction(request, context)
      : this.forward('CallFunction', request, `provider::aws::${request.name}`, context);
  }

  // --- the upstream ----------------------------------------------------------------------------

  private isNative(kind: SchemaKind, name: string): boolean {
    switch (kind) {
      case 'resource_schemas':
        return this.names.resources.has(name);
      case 'data_source_schemas':
        return this.names.dataSources.has(name);
      case 'functions':
        return this.names.functions.has(name);
      default:
        return false;
    }
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
    const session = await this.upstream.connect();
    const request = this.configureRequest;
    if (!request) return { session, warnings: [] };
    let first = false;
    if (!this.upstreamConfigured) {
      this.upstreamConfigured = this.configureUpstream(session, request, context);
      first = true;
    }
    const diagnostics = await this.upstreamConfigured;
    const errors = diagnostics.filter((d) => d.severity === 'ERROR');
    if (errors.length > 0) throw new DiagnosedFailure(errors);
    return { session, warnings: first ? diagnostics : [] };
  }

  private async configureUpstream(session: Session, request: tf.ConfigureProviderRequest, context: CallContext): Promise<Diagnostic[]> {
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
    const answer = (await session.call('ConfigureProvider', { ...request, config })) as tf.ConfigureProviderResponse;
    this.log.debug('upstream configured', { diagnostics: answer.diagnostics?.length ?? 0 });
    return answer.diagnostics ?? [];
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

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
