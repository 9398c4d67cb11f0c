// Entry point of bin/lib/provider.js: everything the plugin entry (src/main.ts, bin/lib/main.js) needs only after the
// handshake line is out — grpc-js and the service definitions, then the engine, schemas and resources, the provider
// functions, and the router that hands every other hashicorp/aws type to the genuine provider — and the warm server,
// which hosts many launches' provider instances in one process (src/warm/).
// Keeping it in a second bundle means Node does not even parse it before the handshake (scripts/build.mjs).
import { createProviderHandlers } from './engine/provider-server';
import { awsProvider } from './aws/provider';
import { awsFunctions, withFunctions } from './functions';
import { resources, dataSources } from './resources';
import { routedProvider } from './router';
import type { Launch } from './protocol/launch';
import type { ProviderHandlers } from './protocol/tfplugin6';

import { runWarmCommand, type PoolSettings } from './warm/main';
import { httpHandlerSdk, iamSdk, iniCredentialsSdk, sagemakerSdk, sharedConfigSdk, stsSdk } from './aws/sdk';
import { hashicorpAwsInputs } from './aws/upstream-inputs';
import { UpstreamPool } from './upstream/pool';
import type { Session } from './upstream/upstream';

export { PluginServices } from './protocol/services';
export { setProcessLogThreshold } from './protocol/log';

/**
 * The provider one launch gets: everything it reads of the environment, directory and files is the launch's. In a
 * warm server, its hashicorp/aws child may come from, and go back to, the server's pool.
 */
export function loadProviderHandlers(launch: Launch, pool?: UpstreamPool<Session>): ProviderHandlers {
  const native = withFunctions(createProviderHandlers(awsProvider(resources, dataSources, launch)), awsFunctions);
  return routedProvider(native, launch, { pool, configurationInputs: (config) => hashicorpAwsInputs(config, launch) });
}

/** `--warm-server …`, `--warm-stop`, `--warm-status`: the warm server (src/warm/) serving launches with these handlers. */
export function warmMain(args: string[]): void {
  runWarmCommand(args, (settings: PoolSettings | undefined) => {
    const pool = settings && new UpstreamPool<Session>(settings);
    return {
      loadProviderHandlers: (launch) => loadProviderHandlers(launch, pool),
      // What a fresh process would load on its first calls, loaded while the server waits for its first launch.
      preload: () => [sagemakerSdk, iamSdk, stsSdk, sharedConfigSdk, iniCredentialsSdk, httpHandlerSdk].forEach((load) => load()),
      upstreamPool: pool,
    };
  });
}
