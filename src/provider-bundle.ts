// Entry point of bin/lib/provider.js: everything the launcher (src/main.ts, bin/terraform-provider-aws) needs only
// after the handshake line is out — grpc-js and the service definitions, then the engine, schemas and resources,
// the provider functions, and the router that hands every other hashicorp/aws type to the genuine provider.
// Keeping it in a second bundle means Node does not even parse it before the handshake (scripts/build.mjs).
import { createProviderHandlers } from './engine/provider-server';
import { awsProvider } from './aws/provider';
import { awsFunctions, withFunctions } from './functions';
import { resources, dataSources } from './resources';
import { routedProvider } from './router';
import type { ProviderHandlers } from './protocol/tfplugin6';

export { PluginServices } from './protocol/services';

export function loadProviderHandlers(): ProviderHandlers {
  const definition = awsProvider(resources, dataSources);
  const native = withFunctions(createProviderHandlers(definition), awsFunctions);
  return routedProvider(native, {
    resources: new Set(definition.resources.map((r) => r.name)),
    dataSources: new Set(definition.dataSources.map((d) => d.name)),
    functions: new Set(Object.keys(awsFunctions)),
  });
}
