// Entry point of bin/terraform-provider-aws. The protocol layer does the handshake first; the engine, the
// schemas and the resources load only afterwards, while Terraform connects (every ms before the
// handshake is paid 3-5 times per terraform command).
import { servePlugin } from './protocol/server';
import type { ProviderHandlers } from './protocol/tfplugin6';

servePlugin(function loadProviderHandlers(): ProviderHandlers {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { createProviderHandlers } = require('./engine/provider-server') as typeof import('./engine/provider-server');
  const { awsProvider } = require('./aws/provider') as typeof import('./aws/provider');
  const { resources, dataSources } = require('./resources') as typeof import('./resources');
  return createProviderHandlers(awsProvider(resources, dataSources));
});
