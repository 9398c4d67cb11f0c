// Records test/fixtures/differential/ from the real hashicorp/aws 5.100.0: what the differential tests observe of it
// in every step of every scenario (plans and states normalised as the comparison normalises them, API calls counted
// and in order, tolerated problems, errors), and the state it writes in the migration test.
//
//   node scripts/record-differential.mjs                 every scenario (minutes: hashicorp/aws is slow to serve)
//   node scripts/record-differential.mjs iam-role        the scenarios of test/differential/iam-role.test.ts only
//
// Needs `make build` and hashicorp/aws 5.100.0 where the acceptance harness finds it (TF_ACC_HASHICORP_AWS_MIRROR,
// Terraform's implied mirror directories or /opt). It runs the differential tests themselves with every step
// (TF_DIFFERENTIAL=all) and TF_DIFFERENTIAL_RECORD=1, which makes them write what the live hashicorp/aws showed
// instead of checking it against the recordings; ours is compared with it as usual, so a run that fails names what
// differs. Without the binary the tests compare ours with these files (test/differential/recordings.ts).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const named = process.argv.slice(2);
const files = readdirSync(join(root, 'test', 'differential'))
  .filter((file) => file.endsWith('.test.ts'))
  .filter((file) => named.length === 0 || named.some((name) => file.startsWith(name)))
  .map((file) => join('test', 'differential', file));
if (files.length === 0) {
  console.error(`record-differential: no test file of test/differential/ starts with ${named.join(' or ')}`);
  process.exit(2);
}

const warmDir = join(root, '.tap', 'warm');
const env = {
  ...process.env,
  TF_DIFFERENTIAL: 'all',
  TF_DIFFERENTIAL_RECORD: '1',
  TF_DIFFERENTIAL_ORACLE: 'live',
  TF_AWS_WARM_DIR: warmDir,
  CHECKPOINT_DISABLE: '1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
const run = spawnSync('npx', ['tap', ...files], { cwd: root, env, stdio: 'inherit' });
spawnSync(process.execPath, [join(root, 'bin', 'lib', 'main.js'), '--warm-stop', warmDir], { stdio: 'ignore' });
if (run.status !== 0) {
  console.error('record-differential: the run failed (see above); recordings of the scenarios that completed were written');
  process.exit(run.status ?? 1);
}
console.log(`record-differential: test/fixtures/differential/ written from ${files.length} file(s); review with git diff`);
