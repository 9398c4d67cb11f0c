// Entry point of bin/terraform-provider-aws: the launcher. It holds only the protocol layer's start-up path
// (cookie check, certificate, listen, handshake line); gRPC, the engine, the schemas and the resources are in
// ./provider-bundle, which the build emits as a second file (bin/lib/provider.js) and which is required only
// after the handshake, while Terraform connects. Every ms before the handshake is paid 3-5 times per command.
import { enableCompileCache } from './compile-cache';
import { servePlugin } from './protocol/server';
import type { ProviderHandlers } from './protocol/tfplugin6';

// Installs a hook only; the code cache is read when bin/lib/provider.js and the AWS SDK are required.
enableCompileCache();

servePlugin(function loadProviderHandlers(): ProviderHandlers {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./provider-bundle') as typeof import('./provider-bundle')).loadProviderHandlers();
});
