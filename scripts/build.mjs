// Build: precompile the protobuf descriptors, then bundle each executable into one file.
// Terraform starts the provider 3-5 times per command, so the bundle is what keeps startup short:
// no .proto parsing and no module resolution before the handshake.
import { build } from 'esbuild';
import protobuf from 'protobufjs';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const protoDir = join(root, 'proto');

// Two descriptor sets: what the provider serves (tfplugin6, go-plugin, health), read at every start, and
// tfplugin5, which only the upstream client needs (src/upstream/), so that a start without delegation never parses it.
const UPSTREAM_PROTOS = ['tfplugin5.8.proto'];
const protos = readdirSync(protoDir).filter((f) => f.endsWith('.proto'));
const writeDescriptors = (files, out) => {
  const descriptorRoot = new protobuf.Root().loadSync(files.map((f) => join(protoDir, f)), { keepCase: true });
  writeFileSync(join(root, out), JSON.stringify(descriptorRoot.toJSON()));
};
writeDescriptors(protos.filter((f) => !UPSTREAM_PROTOS.includes(f)), 'src/protocol/descriptors.generated.json');
writeDescriptors(UPSTREAM_PROTOS, 'src/upstream/tfplugin5.generated.json');

mkdirSync(join(root, 'bin/lib'), { recursive: true });

// The provider is three files. bin/terraform-provider-aws is the launcher, a bash script (src/warm/launcher.sh) that
// hands the launch to a warm server when one runs and otherwise starts Node on bin/lib/main.js. That entry holds only
// what the handshake needs (src/main.ts and the protocol layer's start-up path); its lazy requires — instance.ts's
// './services' and main.ts's './provider-bundle' — are both answered at run time by bin/lib/provider.js, which
// exports both. Node then parses ~60 KB instead of ~1.5 MB before the handshake. bin/lib/ because dev_overrides runs
// the first file in bin/ whose name starts with terraform-provider-aws.
const SECOND_BUNDLE = './provider.js';
const launcherSplit = {
  name: 'launcher-split',
  setup(b) {
    b.onResolve({ filter: /^\.\/(services|provider-bundle)$/ }, (a) =>
      a.kind === 'require-call' ? { path: SECOND_BUNDLE, external: true } : undefined,
    );
  },
};

// bin/local-aws takes the SageMaker API's enumerations from the SDK's generated enum module
// (src/local-aws/sagemaker/enums.ts), bundled: the endpoint stays one file that loads nothing from node_modules.
const sageMakerEnums = {
  name: 'sagemaker-enums',
  setup(b) {
    const enums = createRequire(import.meta.url).resolve('@aws-sdk/client-sagemaker/dist-es/models/enums.js');
    b.onResolve({ filter: /^@aws-sdk\/client-sagemaker$/ }, () => ({ path: enums }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // The AWS SDK stays in node_modules: it is loaded lazily, after the handshake, and only when needed.
  external: ['@aws-sdk/*', '@smithy/*'],
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};
const executables = [
  { entry: 'src/main.ts', out: 'bin/lib/main.js', executable: false, plugins: [launcherSplit] },
  // import() of the external SDK becomes require(): a native import() of a CommonJS package goes through Node's
  // ESM loader, which lexes every CommonJS file for its exports and doubles the SDK's load time (~150 ms CPU).
  { entry: 'src/provider-bundle.ts', out: 'bin/lib/provider.js', executable: false, supported: { 'dynamic-import': false } },
  { entry: 'src/local-aws/main.ts', out: 'bin/local-aws', plugins: [sageMakerEnums] },
];
const results = await Promise.all(
  executables.map(({ entry, out, plugins = [], executable = true, supported }) =>
    build({
      ...common,
      entryPoints: [join(root, entry)],
      outfile: join(root, out),
      plugins,
      supported,
      banner: executable ? { js: '#!/usr/bin/env node' } : undefined,
    }).then((result) => {
      if (executable) chmodSync(join(root, out), 0o755);
      return result;
    }),
  ),
);

// The plugin entry must stay small: fail the build if gRPC, protobufjs or the engine leak into it.
const launcherInputs = Object.keys(results[0].metafile.inputs);
const leaked = launcherInputs.filter((input) => !/^src\/(main\.ts|compile-cache\.ts|protocol\/(server|instance|handshake|certificate|log)\.ts)$/.test(input));
if (leaked.length) throw new Error(`bin/lib/main.js must hold only the handshake path; it also pulls in: ${leaked.join(', ')}`);

// The launcher, with the build's identity: a warm server serves only launchers of the build it runs (src/warm/).
const buildId = createHash('sha256')
  .update(readFileSync(join(root, 'bin/lib/main.js')))
  .update(readFileSync(join(root, 'bin/lib/provider.js')))
  .digest('hex')
  .slice(0, 32);
const launcher = readFileSync(join(root, 'src/warm/launcher.sh'), 'utf8').replace('tfaws_build=@BUILD_ID@', `tfaws_build=${buildId}`);
// Written aside and renamed: Terraform may be running the old launcher right now.
writeFileSync(join(root, 'bin/terraform-provider-aws.new'), launcher, { mode: 0o755 });
renameSync(join(root, 'bin/terraform-provider-aws.new'), join(root, 'bin/terraform-provider-aws'));
