// Records test/fixtures/functions/hashicorp-aws-5.100.0.json from the real hashicorp/aws provider:
//   TF_AWS_UPSTREAM_PROVIDER=<binary, or a directory/mirror holding it> node scripts/record-function-fixtures.mjs
//
// Starts the binary through this repository's own upstream client (src/upstream/, bundled on the fly) and asks it
// directly: CallFunction for every case below, then GetSchema for the definitions, storing the raw answer (the
// result value, or the function error's text and argument index) that test/functions/functions.test.ts compares
// ours with. Nothing here is used by the tests.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { decode, encode } from '@msgpack/msgpack';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outFile = join(root, 'test', 'fixtures', 'functions', 'hashicorp-aws-5.100.0.json');

const cases = {
  arn_parse: [
    ['arn:aws:iam::123456789012:role/path/to/role'],
    ['arn:aws:s3:::bucket/key:with:colons'],
    ['arn:aws-us-gov:ec2:us-gov-west-1:123456789012:instance/i-0123456789abcdef0'],
    ['arn:aws:sns:us-east-1:123456789012:topic'],
    ['arn:::::'],
    ['arn:aws:s3:::bücket/ключ'],
    ['arn::::'],
    ['arn:aws:iam:123'],
    [''],
    ['ARN:aws:iam::123456789012:role/x'],
    ['not-an-arn'],
  ],
  arn_build: [
    ['aws', 'iam', '', '123456789012', 'role/x'],
    ['', '', '', '', ''],
    ['aws', 's3', '', '', 'bucket/key:with:colons'],
    ['a:b', 'c', 'd', 'e', 'f'],
  ],
  trim_iam_role_path: [
    ['arn:aws:iam::123456789012:role/path/to/role'],
    ['arn:aws:iam::123456789012:role/role'],
    ['arn:aws-cn:iam::123456789012:role/service-role/x'],
    ['arn:aws:iam::123456789012:role/'],
    ['arn:aws:iam::123456789012:role/a/b/'],
    ['arn:aws:s3:::bucket'],
    ['arn:aws:iam:us-east-1:123456789012:role/x'],
    ['arn:aws:iam::123456789012:user/x'],
    ['arn:aws:iam'],
    ['bad'],
  ],
};

// The upstream room, bundled from source for this script.
const scratch = mkdtempSync(join(tmpdir(), 'record-functions-'));
const bundle = join(scratch, 'upstream.cjs');
buildSync({
  stdin: {
    contents: `export { Upstream } from './src/upstream/upstream'; export { discoverUpstream, discoveryContext } from './src/upstream/discovery'; export { Logger } from './src/protocol/log';`,
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: bundle,
  logLevel: 'warning',
});
const { Upstream, discoverUpstream, discoveryContext, Logger } = createRequire(import.meta.url)(bundle);

// This script is its own launch: its environment and directory.
const launch = { env: process.env, cwd: process.cwd(), executable: join(root, 'bin', 'terraform-provider-aws') };
const found = discoverUpstream(discoveryContext(launch));
if (found.kind !== 'found') throw new Error('set TF_AWS_UPSTREAM_PROVIDER to the hashicorp/aws 5.100.0 binary (or a mirror holding it)');
if (found.binary.version !== '5.100.0') throw new Error(`found hashicorp/aws ${found.binary.version}, not 5.100.0`);
const upstream = new Upstream({ binary: found.binary, log: new Logger('record', 'warn'), cacheDir: scratch, env: launch.env, cwd: launch.cwd });
try {
  const session = await upstream.connect();
  const calls = [];
  for (const [name, list] of Object.entries(cases)) {
    for (const args of list) {
      const answer = await session.call('CallFunction', { name, arguments: args.map((arg) => ({ msgpack: Buffer.from(encode(arg)) })) });
      const call = { function: name, arguments: args };
      if (answer.error) call.error = { text: answer.error.text, function_argument: answer.error.function_argument ?? null };
      else call.result = decode(answer.result.msgpack);
      calls.push(call);
    }
  }
  // The definitions as Terraform gets them, from GetSchema. (Not GetFunctions: after it, 5.100.0's mux server answers
  // every CallFunction with "Duplicate function" errors, so it must not come first either.)
  const functions = (await upstream.schema()).functions();
  const definitions = JSON.parse(JSON.stringify(functions, (key, value) => (value?.type === 'Buffer' ? Buffer.from(value.data).toString('utf8') : value)));
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, `${JSON.stringify({ provider: `hashicorp/aws ${found.binary.version}`, definitions, calls }, null, 2)}\n`);
  console.log(`wrote ${calls.length} calls to ${outFile}`);
} finally {
  await upstream.close();
  rmSync(scratch, { recursive: true, force: true });
}
