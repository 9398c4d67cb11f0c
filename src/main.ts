// Entry point of bin/terraform-provider-aws: the protocol layer does the handshake first, then loads
// the provider engine while Terraform connects.
import { servePlugin } from './protocol/server';
import { createStubHandlers } from './protocol/stub-handlers';
import type { ProviderHandlers } from './protocol/tfplugin6';

servePlugin(loadProviderHandlers);

function loadProviderHandlers(): ProviderHandlers {
  // esbuild bundles this require when the module exists and leaves it to fail at run time
  // (inside the try) while it does not; only a missing module falls back to the stub.
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('./engine/provider-server').createProviderHandlers();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || !String(err).includes('provider-server')) throw err;
    return createStubHandlers();
  }
}
