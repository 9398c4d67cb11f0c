// The routing table: who serves each resource type, data source, ephemeral resource and function. Built once from
// the names the native handlers declare (their GetMetadata), as terraform-plugin-mux builds its table from each
// server's metadata: a name declared twice is refused, a native name is served natively (it wins over the upstream's
// type of the same name), and every other name goes to the upstream, which knows its own types and answers for
// unknown ones as hashicorp/aws does.
import type { Logger } from '../protocol/log';
import type { CallContext, ProviderHandlers } from '../protocol/tfplugin6';
import type { SchemaKind } from '../upstream/schema-cache';
import type { NativeNames } from './missing-types';

export type Route = 'native' | 'upstream';

/** How Terraform names a type or function of each kind in its messages (data.x, ephemeral.x, provider::aws::x). */
export function qualifiedName(kind: SchemaKind, name: string): string {
  switch (kind) {
    case 'resource_schemas':
      return name;
    case 'data_source_schemas':
      return `data.${name}`;
    case 'ephemeral_resource_schemas':
      return `ephemeral.${name}`;
    case 'functions':
      return `provider::aws::${name}`;
  }
}

export class RoutingTable {
  /** Names whose route was logged: each decision is logged once. */
  private readonly logged = new Set<string>();

  private constructor(
    private readonly native: Record<SchemaKind, Set<string>>,
    private readonly log: Logger,
  ) {}

  /** The table of `handlers`' names; throws when they declare a name twice or cannot declare them at all. */
  static async of(handlers: ProviderHandlers, log: Logger): Promise<RoutingTable> {
    if (!handlers.GetMetadata) throw new Error('the native handlers do not declare their names (GetMetadata)');
    const context: CallContext = { signal: new AbortController().signal, rpc: 'GetMetadata', log };
    const metadata = await handlers.GetMetadata({}, context);
    const errors = (metadata.diagnostics ?? []).filter((d) => d.severity === 'ERROR');
    if (errors.length > 0) throw new Error(`the native handlers' names are unknown: ${errors.map((d) => d.summary).join('; ')}`);
    const native: Record<SchemaKind, Set<string>> = {
      resource_schemas: new Set(),
      data_source_schemas: new Set(),
      ephemeral_resource_schemas: new Set(),
      functions: new Set(),
    };
    const claim = (kind: SchemaKind, name: string) => {
      if (native[kind].has(name)) {
        throw new Error(`${qualifiedName(kind, name)} is declared twice by the native handlers; one name must have one handler`);
      }
      native[kind].add(name);
    };
    for (const { type_name } of metadata.resources ?? []) claim('resource_schemas', type_name);
    for (const { type_name } of metadata.data_sources ?? []) claim('data_source_schemas', type_name);
    for (const { type_name } of metadata.ephemeral_resources ?? []) claim('ephemeral_resource_schemas', type_name);
    for (const { name } of metadata.functions ?? []) claim('functions', name);
    log.debug('native types', {
      resources: [...native.resource_schemas].join(','),
      data_sources: [...native.data_source_schemas].join(','),
      functions: [...native.functions].join(','),
    });
    return new RoutingTable(native, log);
  }

  /** Who serves a request about `name`: the first decision for each name is logged. */
  route(kind: SchemaKind, name: string): Route {
    const route: Route = this.isNative(kind, name) ? 'native' : 'upstream';
    this.once(`${kind} ${name}`, () => this.log.debug('routed', { name: qualifiedName(kind, name), to: route === 'native' ? 'native' : 'hashicorp/aws' }));
    return route;
  }

  isNative(kind: SchemaKind, name: string): boolean {
    return this.native[kind].has(name);
  }

  /** Whether the upstream's entry `name` is served (not replaced by a native one, which is logged once). */
  servesUpstreamEntry(kind: SchemaKind, name: string): boolean {
    if (!this.isNative(kind, name)) return true;
    this.once(`upstream ${kind} ${name}`, () => this.log.debug('native type replaces hashicorp/aws\'s', { name: qualifiedName(kind, name) }));
    return false;
  }

  /** The native names, for what needs them as sets (the missing-type check). */
  names(): NativeNames {
    return { resources: this.native.resource_schemas, dataSources: this.native.data_source_schemas, functions: this.native.functions };
  }

  private once(key: string, log: () => void): void {
    if (this.logged.has(key)) return;
    this.logged.add(key);
    log();
  }
}
