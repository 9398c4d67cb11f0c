// Entry point of bin/lib/main.js, which the launcher (bin/terraform-provider-aws, src/warm/launcher.sh) runs when no
// warm server answers. It holds only the protocol layer's start-up path (cookie check, certificate, listen, handshake
// line); gRPC, the engine, the schemas, the resources and the warm server are in ./provider-bundle, which the build
// emits as a second file (bin/lib/provider.js) and which is required only after the handshake, while Terraform
// connects. Every ms before the handshake is paid 3-5 times per command.
import { join } from 'node:path';
import { enableCompileCache } from './compile-cache';
import type { Launch } from './protocol/launch';
import { log, setProcessLogThreshold, thresholdFromEnv } from './protocol/log';
import { servePlugin } from './protocol/server';
import type { ProviderHandlers } from './protocol/tfplugin6';

type ProviderBundle = typeof import('./provider-bundle');

// Installs a hook only; the code cache is read when bin/lib/provider.js and the AWS SDK are required.
enableCompileCache();

// The threshold of the process's own loggers (an instance's follow its launch), in this bundle and in the second one,
// which has a copy of the logging module of its own.
const logThreshold = thresholdFromEnv(process.env);
setProcessLogThreshold(logThreshold);
let loaded: ProviderBundle | undefined;
function providerBundle(): ProviderBundle {
  if (loaded) return loaded;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded = require('./provider-bundle') as ProviderBundle;
  loaded.setProcessLogThreshold(logThreshold);
  return loaded;
}

const args = process.argv.slice(2);
if (args[0]?.startsWith('--warm-')) {
  // The warm server and its control commands (src/warm/), started by the launcher or by hand.
  providerBundle().warmMain(args);
} else {
  // A process per launch: the one place where the launch is the process.
  const launch: Launch = {
    terraformPid: process.ppid,
    cwd: process.cwd(),
    env: { ...process.env },
    // bin/lib/main.js is run by bin/terraform-provider-aws.
    executable: join(__dirname, '..', 'terraform-provider-aws'),
    log,
  };
  servePlugin(function loadProviderHandlers(): ProviderHandlers {
    return providerBundle().loadProviderHandlers(launch);
  }, { env: launch.env, logger: launch.log });
}
