// Each launch reads today's files: between two terraform commands of one shell (one environment, so one warm server
// serves both), a changed credentials file, a changed region in ~/.aws/config and a profile's new keys take effect on
// the next command, as they do with a process per launch. A relative shared_credentials_files path is the launch's
// directory's. Asserted on the embedded endpoint's call log: the access key that signed each call.
import t, { type Test } from 'tap';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IMAGE } from '../support/fixtures';
import { waitFor } from '../support/processes';
import { useTarget } from '../support/target';
import { ACC_TARGET, type Target, uniqueName, Workspace } from '../support/terraform';
import { instancesStarted, keylessProvider, liveServers, warmDir } from './helpers';

const APPLY = ['apply', '-auto-approve', '-input=false', '-no-color'];
const PLAN = ['plan', '-input=false', '-no-color'];
const DESTROY = ['destroy', '-auto-approve', '-input=false', '-no-color'];

function model(name: string, role: string): string {
  return `resource "aws_sagemaker_model" "m" {
  name               = "${name}"
  execution_role_arn = "${role}"
  primary_container {
    image = "${IMAGE}"
  }
}

output "arn" {
  value = aws_sagemaker_model.m.arn
}
`;
}

const credentials = (profile: string, key: string) => `[${profile}]\naws_access_key_id = ${key}\naws_secret_access_key = secret-of-${key}\n`;

/** The access key of every call the endpoint logged since the last reset, with how many calls each signed. */
async function signingKeys(target: Target): Promise<Record<string, number>> {
  const keys: Record<string, number> = {};
  for (const call of (await target.admin!.calls()).recent) keys[String(call.accessKeyId)] = (keys[String(call.accessKeyId)] ?? 0) + 1;
  return keys;
}

// A provider whose HOME is a scratch directory would write its compile cache there (~/.cache) as it exits, which
// can be after the test removed the directory: a directory left in /tmp. These tests are about credentials.
const NO_CACHE_IN_HOME = { NODE_DISABLE_COMPILE_CACHE: '1' };

/** A scratch directory for files the test writes (a home, shared files). */
function scratch(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'tffresh-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

if (ACC_TARGET !== 'embedded') {
  t.plan(0, "these tests read the embedded endpoint's call log");
} else {
  const acc = useTarget(t);

  /**
   * Runs `change` between two commands of one workspace and returns the keys that signed the calls of each command
   * after the first plan (which starts the server). With `warm`, checks that one server served every command.
   */
  async function acrossCommands(t: Test, ws: Workspace, dir: string, warm: boolean, change: () => void) {
    await ws.ok(PLAN);
    const server = warm ? (await waitFor('a warm server', async () => liveServers(dir).length === 1, 60_000), liveServers(dir)[0]!.pid) : undefined;
    const servedBefore = instancesStarted(dir).length;
    await acc.target.admin!.reset('calls');
    const applied = await ws.ok(APPLY);
    const before = await signingKeys(acc.target);
    change();
    await acc.target.admin!.reset('calls');
    await ws.ok(PLAN); // refreshes the model: DescribeModel, ListTags
    const refreshed = await signingKeys(acc.target);
    await acc.target.admin!.reset('calls');
    await ws.ok(DESTROY);
    const destroyed = await signingKeys(acc.target);
    if (warm) {
      t.ok(instancesStarted(dir).length - servedBefore >= 6, "the commands' launches were served warm");
      t.same(liveServers(dir).map((s) => s.pid), [server], 'all by the one server');
    } else {
      t.same(liveServers(dir), [], 'no warm server ran');
    }
    return { applied, before, refreshed, destroyed };
  }

  for (const warm of [true, false]) {
    t.test(`a rewritten AWS_SHARED_CREDENTIALS_FILE signs the next command's calls (${warm ? 'warm' : 'TF_AWS_WARM=0'})`, async (t) => {
      const dir = warmDir(t);
      const files = scratch(t);
      const file = join(files, 'credentials');
      writeFileSync(file, credentials('default', 'AKIAFILEBEFORE'));
      writeFileSync(join(files, 'config'), '');
      const ws = new Workspace('ours', {
        TF_AWS_WARM_DIR: dir,
        ...(warm ? {} : { TF_AWS_WARM: '0' }),
        AWS_SHARED_CREDENTIALS_FILE: file,
        AWS_CONFIG_FILE: join(files, 'config'),
      });
      t.teardown(() => ws.cleanup());
      ws.config(keylessProvider(acc.target, [`region = "${acc.target.region}"`]) + model(uniqueName('tfacc-fresh-file'), acc.role));
      const { before, refreshed, destroyed } = await acrossCommands(t, ws, dir, warm, () => writeFileSync(file, credentials('default', 'AKIAFILEAFTER')));
      t.same(Object.keys(before), ['AKIAFILEBEFORE'], 'the apply signed every call with the key the file held');
      t.same(Object.keys(refreshed), ['AKIAFILEAFTER'], 'after the file changed, every call of the next command was signed with its new key');
      t.same(Object.keys(destroyed), ['AKIAFILEAFTER'], 'and of the one after');
    });
  }

  t.test("a profile's new keys sign the next command's calls (profile named in the provider block)", async (t) => {
    const dir = warmDir(t);
    const home = scratch(t);
    mkdirSync(join(home, '.aws'));
    const file = join(home, '.aws', 'credentials');
    const bothProfiles = (key: string) => credentials('default', 'AKIADEFAULTPROFILE') + credentials('deploy', key);
    writeFileSync(file, bothProfiles('AKIAPROFILEBEFORE'));
    const ws = new Workspace('ours', { TF_AWS_WARM_DIR: dir, HOME: home, ...NO_CACHE_IN_HOME });
    t.teardown(() => ws.cleanup());
    ws.config(keylessProvider(acc.target, [`region = "${acc.target.region}"`, 'profile = "deploy"']) + model(uniqueName('tfacc-fresh-profile'), acc.role));
    const { before, refreshed, destroyed } = await acrossCommands(t, ws, dir, true, () => writeFileSync(file, bothProfiles('AKIAPROFILEAFTER')));
    t.same(Object.keys(before), ['AKIAPROFILEBEFORE'], "the apply signed with the named profile's key");
    t.same(Object.keys(refreshed), ['AKIAPROFILEAFTER'], "the next command signed with the profile's new key");
    t.same(Object.keys(destroyed), ['AKIAPROFILEAFTER']);
  });

  t.test("a new region in ~/.aws/config is the next command's region (no region in the provider block)", async (t) => {
    const dir = warmDir(t);
    const home = scratch(t);
    mkdirSync(join(home, '.aws'));
    const config = join(home, '.aws', 'config');
    writeFileSync(config, '[default]\nregion = us-west-2\n');
    writeFileSync(join(home, '.aws', 'credentials'), credentials('default', 'AKIAREGIONTEST'));
    const ws = new Workspace('ours', { TF_AWS_WARM_DIR: dir, HOME: home, ...NO_CACHE_IN_HOME });
    t.teardown(() => ws.cleanup());
    const name = uniqueName('tfacc-fresh-region');
    ws.config(keylessProvider(acc.target) + model(name, acc.role));
    await ws.ok(PLAN);
    await waitFor('a warm server', async () => liveServers(dir).length === 1, 60_000);
    const server = liveServers(dir)[0]!.pid;
    const servedBefore = instancesStarted(dir).length;
    await ws.ok(APPLY);
    t.match((await ws.ok(['output', '-raw', 'arn'])).stdout, /^arn:aws:sagemaker:us-west-2:/, 'created in the region the config file named');
    await ws.ok(DESTROY);

    writeFileSync(config, '[default]\nregion = eu-west-1\n');
    await ws.ok(APPLY);
    t.match((await ws.ok(['output', '-raw', 'arn'])).stdout, /^arn:aws:sagemaker:eu-west-1:/, "the next command used the file's new region");
    t.ok(instancesStarted(dir).length - servedBefore >= 6, 'served warm');
    t.same(liveServers(dir).map((s) => s.pid), [server], 'by the one server');
    await ws.ok(DESTROY);
  });

  t.test("a relative shared_credentials_files path is the launch's working directory's", async (t) => {
    const dir = warmDir(t);
    const ws = new Workspace('ours', { TF_AWS_WARM_DIR: dir });
    t.teardown(() => ws.cleanup());
    // Two configurations in subdirectories, run with -chdir from one shell: the same environment, other directories.
    // A server that serves launches from any directory (one per environment) then runs in a directory not theirs.
    const keys = { one: 'AKIADIRECTORYONE', two: 'AKIADIRECTORYTWO' };
    for (const [sub, key] of Object.entries(keys)) {
      mkdirSync(join(ws.dir, sub));
      writeFileSync(join(ws.dir, sub, 'creds'), credentials('default', key));
      writeFileSync(
        join(ws.dir, sub, 'main.tf'),
        keylessProvider(acc.target, [`region = "${acc.target.region}"`, 'shared_credentials_files = ["./creds"]']) + model(uniqueName(`tfacc-fresh-${sub}`), acc.role),
      );
    }
    await ws.ok(['-chdir=one', ...PLAN]);
    await waitFor('a warm server', async () => liveServers(dir).length >= 1, 60_000);
    await ws.ok(['-chdir=two', ...PLAN]);
    const servedBefore = instancesStarted(dir).length;
    await acc.target.admin!.reset('calls');
    await ws.ok(['-chdir=one', ...APPLY]);
    t.same(Object.keys(await signingKeys(acc.target)), [keys.one], "one/'s calls were signed with one/creds");
    await acc.target.admin!.reset('calls');
    await ws.ok(['-chdir=two', ...APPLY]);
    t.same(Object.keys(await signingKeys(acc.target)), [keys.two], "two/'s calls were signed with two/creds");
    t.ok(instancesStarted(dir).length - servedBefore >= 6, 'both applies were served warm');
    await ws.ok(['-chdir=one', ...DESTROY]);
    await ws.ok(['-chdir=two', ...DESTROY]);
  });
}
