// Build: precompile the protobuf descriptors, then bundle each executable into one file.
// Terraform starts the provider 3-5 times per command, so the bundle is what keeps startup short:
// no .proto parsing and no module resolution before the handshake.
import { build } from 'esbuild';
import protobuf from 'protobufjs';
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const protoDir = join(root, 'proto');

const protos = readdirSync(protoDir).filter((f) => f.endsWith('.proto')).map((f) => join(protoDir, f));
const descriptorRoot = new protobuf.Root().loadSync(protos, { keepCase: true });
writeFileSync(join(root, 'src/protocol/descriptors.generated.json'), JSON.stringify(descriptorRoot.toJSON()));

mkdirSync(join(root, 'bin'), { recursive: true });
const executables = [
  { entry: 'src/main.ts', out: 'bin/terraform-provider-aws' },
  { entry: 'src/local-aws/main.ts', out: 'bin/local-aws' },
];
await Promise.all(
  executables.map(({ entry, out }) =>
    build({
      entryPoints: [join(root, entry)],
      outfile: join(root, out),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      banner: { js: '#!/usr/bin/env node' },
      // The AWS SDK stays in node_modules: it is loaded lazily, after the handshake, and only when needed.
      external: ['@aws-sdk/*', '@smithy/*'],
      sourcemap: false,
      legalComments: 'none',
      logLevel: 'warning',
    }).then(() => chmodSync(join(root, out), 0o755)),
  ),
);
