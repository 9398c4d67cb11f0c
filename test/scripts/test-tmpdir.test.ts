// scripts/test-tmpdir.sh, which `make test` runs the tests under: the command gets a TMPDIR of its own inside the
// caller's, the caller's gains nothing whatever the command leaves, and a run that passed but left something (here
// the socket directory of a real provider process killed with SIGKILL) is named and fails.
import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { providerBinary, repoRoot } from '../support/paths';
import { ensureBuilt, pluginEnv } from '../support/provider-process';

const script = join(repoRoot, 'scripts', 'test-tmpdir.sh');

/** The caller's temporary directory, empty, removed at teardown. */
function callerTmpdir(t: Test): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'tmpdir-caller-')));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function inTestTmpdir(caller: string, command: string[], env: NodeJS.ProcessEnv = {}) {
  const run = spawnSync(script, command, { encoding: 'utf8', timeout: 60_000, env: { ...process.env, TF_AWS_WARM_DIR: '', ...env, TMPDIR: caller } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

// Launches the provider as Terraform does (its own process, no warm server), reads its handshake line, kills it with
// SIGKILL (so it cannot remove its socket directory) and prints the line; exits 0.
const KILL_A_PROVIDER = `
const { spawn } = require('node:child_process');
const child = spawn(process.argv[1], [], { stdio: ['ignore', 'pipe', 'ignore'] });
let out = '';
child.stdout.on('data', (chunk) => {
  out += chunk;
  if (!out.includes('\\n')) return;
  child.kill('SIGKILL');
  child.on('exit', () => console.log(out.split('\\n')[0]));
});
`;

t.test('a provider killed with SIGKILL: its socket directory is named, the run fails, the caller\'s TMPDIR gains nothing', async (t) => {
  ensureBuilt();
  const caller = callerTmpdir(t);
  const run = inTestTmpdir(caller, [process.execPath, '-e', KILL_A_PROVIDER, providerBinary], pluginEnv());
  const socket = run.stdout.trim().split('|')[3] ?? '';
  t.match(run.stdout, /^1\|6\|unix\|/, 'the provider handshook on a unix socket');
  t.match(socket, new RegExp(`^${caller}/tftest-\\w{6}/tfprovider-\\w{6}/plugin\\.sock$`), "in a socket directory in the run's TMPDIR, inside the caller's");
  t.equal(run.status, 1, 'the command passed, but left something: the run fails');
  t.match(run.stderr, /the tests left these in their temporary directory/);
  t.match(run.stderr, new RegExp(`^  d\\S+ ${dirname(socket).split('/').at(-1)}$`, 'm'), 'the socket directory named');
  t.match(run.stderr, /^ {2}s\S+ tfprovider-\w{6}\/plugin\.sock$/m, 'and the socket in it');
  t.same(readdirSync(caller), [], "the caller's TMPDIR is as it was");
});

t.test('a run that leaves nothing keeps its status, and tooling caches are not counted', async (t) => {
  const caller = callerTmpdir(t);
  const passes = inTestTmpdir(caller, ['sh', '-c', 'mkdir "$TMPDIR/v8-compile-cache-0" && touch "$TMPDIR/v8-compile-cache-0/x" "$TMPDIR/scratch" && rm "$TMPDIR/scratch" && echo "$TMPDIR"']);
  t.equal(passes.status, 0, 'passes');
  t.match(passes.stdout.trim(), new RegExp(`^${caller}/tftest-\\w{6}$`), "the command's TMPDIR is a fresh directory in the caller's");
  t.equal(passes.stderr, '', 'nothing reported');
  const fails = inTestTmpdir(caller, ['sh', '-c', 'touch "$TMPDIR/left"; exit 3']);
  t.equal(fails.status, 3, "a failing command's status, not the leftover's");
  t.match(fails.stderr, /^ {2}-\S+ left$/m, 'what it left is named all the same');
  t.same(readdirSync(caller), [], "the caller's TMPDIR is as it was");
});
