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
import { currentRun, type Launch } from './router/working-directory';
import { currentContext, discoverUpstream } from './upstream/discovery';
import { log as rootLog } from './protocol/log';
import type { ProviderHandlers } from './protocol/tfplugin6';

import { runWarmCommand } from './warm/main';
import { credentialProviderSdk, httpHandlerSdk, iamSdk, sagemakerSdk, stsSdk } from './aws/sdk';

export { PluginServices } from './protocol/services';

export function loadProviderHandlers(launch: Launch): ProviderHandlers {
  const definition = awsProvider(resources, dataSources);
  const native = withFunctions(createProviderHandlers(definition), awsFunctions);
  const discovery = discoverUpstream({ ...currentContext(), env: launch.env, cwd: launch.cwd, self: launch.executable });
  return routedProvider(
    native,
    discovery,
    launch.log ?? rootLog,
    () => currentRun(launch.terraformPid, launch.cwd, launch.env),
  );
}

/** `--warm-server …`, `--warm-stop`, `--warm-status`: the warm server (src/warm/) serving launches with these handlers. */
export function warmMain(args: string[]): void {
  runWarmCommand(args, {
    loadProviderHandlers,
    // What a fresh process would load on its first calls, loaded while the server waits for its first launch.
    preload: () => [sagemakerSdk, iamSdk, stsSdk, credentialProviderSdk, httpHandlerSdk].forEach((load) => load()),
  });
}
