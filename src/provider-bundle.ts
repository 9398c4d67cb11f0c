// Entry point of bin/lib/provider.js: everything the launcher (src/main.ts, bin/terraform-provider-aws) needs only
// after the handshake line is out — grpc-js and the service definitions, then the engine, schemas and resources.
// Keeping it in a second bundle means Node does not even parse it before the handshake (scripts/build.mjs).
import { createProviderHandlers } from './engine/provider-server';
import { awsProvider } from './aws/provider';
import { resources, dataSources } from './resources';
import type { ProviderHandlers } from './protocol/tfplugin6';

export { PluginServices } from './protocol/services';

export function loadProviderHandlers(): ProviderHandlers {
  return createProviderHandlers(awsProvider(resources, dataSources));
}
