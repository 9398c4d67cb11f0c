// The router room's entry: find the upstream, then route between it and the native handlers — or, without an
// upstream, serve the native handlers as they are, explaining in ValidateProviderConfig which configured types
// would need hashicorp/aws. Everything it looks at belongs to the launch: its directory, environment and Terraform.
import type { Launch } from '../protocol/launch';
import type { Logger } from '../protocol/log';
import type { ProviderHandlers } from '../protocol/tfplugin6';
import { discoverUpstream, discoveryContext, type Discovery } from '../upstream/discovery';
import { schemaCacheDir } from '../upstream/schema-cache';
import type { UpstreamPool } from '../upstream/pool';
import { Upstream, type ConfigurationInputs, type Session } from '../upstream/upstream';
import type { ObjectValue } from '../values';
import { declaredTypes, missingTypeDiagnostics } from './missing-types';
import { Router } from './router';
import { RoutingTable } from './table';
import { configurationFiles, runOf, type RunContext } from './working-directory';

export interface RoutingOptions {
  /** A warm server's parked hashicorp/aws children (src/upstream/pool.ts). */
  pool?: UpstreamPool<Session>;
  /** What hashicorp/aws reads when configured with a provider block (our schema's value), for keeping it configured. */
  configurationInputs?: (config: ObjectValue) => Promise<ConfigurationInputs>;
  discovery?: Discovery;
}

export function routedProvider(native: ProviderHandlers, launch: Launch, options: RoutingOptions = {}): ProviderHandlers {
  const { pool, configurationInputs } = options;
  const discovery = options.discovery ?? discoverUpstream(discoveryContext(launch));
  const { log } = launch;
  const routerLog = log.child('router');
  const run = () => runOf(launch);
  switch (discovery.kind) {
    case 'found': {
      const { binary, candidates } = discovery;
      routerLog.info('upstream hashicorp/aws found', { path: binary.path, version: binary.version, reason: binary.reason, candidates: candidates.length });
      const upstream = new Upstream({ binary, log, cacheDir: schemaCacheDir(launch), env: launch.env, cwd: launch.cwd, pool });
      return new Router({ native, upstream, log, run, configurationInputs: pool ? configurationInputs : undefined });
    }
    case 'disabled':
      routerLog.debug('delegation disabled (TF_AWS_UPSTREAM_PROVIDER=none)');
      return withMissingTypeCheck(native, 'TF_AWS_UPSTREAM_PROVIDER is set to none.', run, routerLog);
    case 'invalid':
      routerLog.warn('upstream hashicorp/aws unusable', { problem: discovery.message });
      return withMissingTypeCheck(native, discovery.message, run, routerLog);
    case 'none':
      routerLog.debug('no upstream hashicorp/aws found', { searched: discovery.searched });
      return withMissingTypeCheck(native, undefined, run, routerLog);
  }
}

/** The native handlers, whose ValidateProviderConfig also reports configured types that would need hashicorp/aws. */
function withMissingTypeCheck(native: ProviderHandlers, problem: string | undefined, run: () => RunContext, log: Logger): ProviderHandlers {
  let table: Promise<RoutingTable> | undefined;
  const names = async () => (await (table ??= RoutingTable.of(native, log))).names();
  return {
    ...native,
    async init() {
      await native.init?.();
      await names();
    },
    async ValidateProviderConfig(request, context) {
      const answer = await native.ValidateProviderConfig(request, context);
      const missing = missingTypeDiagnostics(declaredTypes(configurationFiles(run())), await names(), problem);
      return missing.length === 0 ? answer : { ...answer, diagnostics: [...(answer.diagnostics ?? []), ...missing] };
    },
  };
}
