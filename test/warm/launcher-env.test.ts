// The launcher is a bash script running in the user's environment: its own variables must not change what the
// provider sees. A user's exported BUILD_ID (Jenkins sets one), dir, name or environment reaches the Node process
// (cold) and the server it starts (the environment on its stdin) unchanged. `node` here is a stand-in on PATH that
// records what it was given, so the launch never gets further than the exec.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/paths';

const launcher = join(repoRoot, 'bin', 'terraform-provider-aws');
const COOKIE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';

t.test("the user's variables named like the launcher's reach the provider unchanged", async (t) => {
  const scratch = mkdtempSync(join(tmpdir(), 'tfwarm-env-'));
  t.teardown(() => rmSync(scratch, { recursive: true, force: true }));
  const bin = join(scratch, 'bin');
  const records = join(scratch, 'records');
  execFileSync('mkdir', ['-m', '700', bin, records, join(scratch, 'warm')]);
  // Each "node" writes its environment and its stdin to files of its own, then marks them complete, and exits.
  writeFileSync(
    join(bin, 'node'),
    `#!/bin/sh\nenv -0 > "${records}/$$.env"\ncat > "${records}/$$.stdin"\n: > "${records}/$$.done"\n`,
  );
  chmodSync(join(bin, 'node'), 0o755);

  const userVariables = { BUILD_ID: 'jenkins-42', dir: 'my dir', name: 'my name', environment: 'staging', cwd: 'mine', here: 'there' };
  execFileSync(launcher, [], {
    cwd: scratch,
    input: '',
    timeout: 20_000,
    env: {
      PATH: `${bin}:${process.env.PATH}`,
      HOME: scratch,
      TF_PLUGIN_MAGIC_COOKIE: COOKIE,
      TF_AWS_WARM_DIR: join(scratch, 'warm'),
      ...userVariables,
    },
  });
  // The server the launcher starts is detached: wait (bounded) until both stand-ins have written everything.
  for (let waited = 0; readdirSync(records).filter((f) => f.endsWith('.done')).length < 2 && waited < 30_000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const launches = readdirSync(records)
    .filter((file) => file.endsWith('.done'))
    .map((file) => ({
      env: Object.fromEntries(
        readFileSync(join(records, file.replace(/\.done$/, '.env')), 'utf8')
          .split('\0')
          .filter(Boolean)
          .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
      ),
      stdin: readFileSync(join(records, file.replace(/\.done$/, '.stdin')), 'utf8'),
    }));
  const cold = launches.find((launch) => !launch.env.TF_AWS_WARM_SERVER);
  const server = launches.find((launch) => launch.env.TF_AWS_WARM_SERVER);
  t.ok(cold, 'the launch ran cold');
  t.ok(server, 'a server was started');
  for (const [name, value] of Object.entries(userVariables)) {
    t.equal(cold?.env[name], value, `${name} reaches the cold provider as the user set it`);
    t.equal(server?.env[name], value, `${name} reaches the server's process as the user set it`);
    t.match(server?.stdin ?? '', new RegExp(`^${name}=${value.replace(' ', '\\\\ ')}$`, 'm'), `${name} is in the environment the server is to serve`);
  }
});
