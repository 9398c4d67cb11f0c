// The warm server's pool of parked hashicorp/aws children (src/upstream/pool.ts), through terraform: a later command
// reuses a child only when it would be what a fresh one is. Each workspace logs every command to one file (the same
// environment for all its commands, so one warm server serves them all), in which the provider says which child each
// launch got: a fresh one ("upstream handshake"), a parked one ("reusing a parked hashicorp/aws"), and which children
// it configured afresh. The wrapper of test/acceptance/upstream.ts records every start of the real binary. Ctrl-C
// during a delegated apply retires the child serving it (it received StopProvider), as does a launch killed while its
// child serves a request, and the next apply converges.
// hashicorp/aws 5.100.0 costs seconds and ~300 MiB per start: the cases share the few workspaces they need.
import { GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { trustPolicyJsonencode } from '../support/fixtures';
import { isAlive, providerProcesses, tmpdirForKilled, waitFor } from '../support/processes';
import { useTarget } from '../support/target';
import { ACC_TARGET, hasHashicorpMirror, providerBlock, terraformInBackground, type Target, uniqueName, Workspace } from '../support/terraform';
import { directoryStatus, keylessProvider, stopServers, warmDir } from '../support/warm';
import { childServingTheApply, countedUpstream } from './upstream';

const PLAN = ['plan', '-input=false', '-no-color'];
const APPLY = ['apply', '-auto-approve', '-input=false', '-no-color'];

/** Data sources only hashicorp/aws serves: each command needs a configured child, and changes nothing. */
const DATA_SOURCES = `
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
output "account" {
  value = data.aws_caller_identity.current.account_id
}
output "region" {
  value = data.aws_region.current.name
}
`;

/** What the provider said about its hashicorp/aws children during one command. */
interface ChildrenOfCommand {
  /** Pids of children started for the command. */
  started: number[];
  /** Pids of parked children taken, and whether each was taken configured (its Configure not sent again). */
  reused: { pid: number; configured: boolean }[];
  /** Pids of children that got a ConfigureProvider during the command. */
  configured: number[];
  output: string;
}

if (!hasHashicorpMirror()) {
  t.plan(0, 'hashicorp/aws 5.100.0 is not available (TF_ACC_HASHICORP_AWS_MIRROR)');
} else if (ACC_TARGET !== 'embedded') {
  t.plan(0, "these tests read the embedded endpoint's call log");
} else {
  const acc = useTarget(t);
  const upstream = countedUpstream();
  t.teardown(() => upstream.cleanup());
  const warm = warmDir(t);
  // The children of the server killed below cannot remove their sockets: they land in this file's own TMPDIR.
  const tmp = tmpdirForKilled(t);

  /** A workspace whose every command logs to one file and uses this file's warm servers. */
  const workspace = (t: Test, env: Record<string, string> = {}) => {
    const ws = new Workspace('ours', { ...upstream.env, TF_AWS_WARM_DIR: warm, TMPDIR: tmp, TF_LOG: 'WARN', TF_LOG_PROVIDER: 'debug', ...env });
    ws.env.TF_LOG_PATH = join(ws.dir, 'terraform.log');
    t.teardown(() => ws.cleanup());
    return ws;
  };

  /** Runs a command; what the provider said about its children meanwhile. */
  async function command(ws: Workspace, args: string[], extraEnv: Record<string, string> = {}): Promise<ChildrenOfCommand> {
    const from = logLines(ws).length;
    const { stdout } = await ws.ok(args, extraEnv);
    const lines = logLines(ws).slice(from);
    const pidOf = (line: string) => Number(/\bpid=(\d+)/.exec(line)?.[1]);
    return {
      started: lines.filter((l) => l.includes('upstream handshake:')).map(pidOf),
      reused: lines.filter((l) => l.includes('reusing a parked hashicorp/aws')).map((l) => ({ pid: pidOf(l), configured: /\bconfigured=true\b/.test(l) })),
      configured: lines.filter((l) => l.includes('hashicorp/aws configured:')).map(pidOf),
      output: stdout,
    };
  }

  /** The children parked by the servers of this file, as --warm-status counts them (updated each second). */
  const parked = () => directoryStatus(warm).servers.reduce((sum, server) => sum + (server.upstream?.parked ?? 0), 0);
  const parentOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);

  /** Runs plans until one starts no child: the pool then holds what a plan needs (an unconfigured and a configured child). */
  async function settle(ws: Workspace): Promise<void> {
    for (let i = 0; i < 3; i++) if ((await command(ws, PLAN)).started.length === 0) return;
    throw new Error('three plans in a row each started hashicorp/aws');
  }

  t.test('a second command reuses the children of the first, configured as they were', async (t) => {
    const ws = workspace(t);
    ws.config(providerBlock(acc.target) + DATA_SOURCES);
    const first = await command(ws, PLAN);
    t.ok(first.started.length >= 1, 'the first plan starts hashicorp/aws');
    await settle(ws);

    const running = upstream.running();
    const launched = upstream.launches().length;
    const again = await command(ws, PLAN);
    t.same(again.started, [], 'the next plan starts no hashicorp/aws');
    t.equal(upstream.launches().length, launched, 'not one launch of the binary');
    t.ok(
      again.reused.some((r) => r.configured),
      'its plan walk took a child configured with the same provider block, and did not configure it again',
    );
    t.same(again.configured, [], 'no child was configured during the command');
    t.same(upstream.running(), running, 'the same processes run after it');
    const servers = directoryStatus(warm).servers.filter((s) => s.alive).map((s) => s.pid);
    t.ok(running.every((pid) => servers.includes(parentOf(pid))), 'each a child of the warm server');
    await waitFor('the status to count the parked children', () => parked() === running.length, 10_000);
  });

  t.test('a changed provider block, credentials file or environment gets a child configured afresh', async (t) => {
    const ws = workspace(t);
    const credentials = join(ws.dir, 'credentials');
    writeFileSync(credentials, '[pool]\naws_access_key_id = AKIDPOOLAAAA\naws_secret_access_key = secret-a\n');
    const block = (region: string) => keylessProvider(acc.target, [`region = "${region}"`, 'shared_credentials_files = ["./credentials"]', 'profile = "pool"']);
    ws.config(block('us-west-2') + DATA_SOURCES);
    await command(ws, PLAN);
    await settle(ws);

    // The same configuration: the configured child signs with the key it read.
    await acc.target.admin!.reset('calls');
    const same = await command(ws, PLAN);
    t.ok(same.reused.some((r) => r.configured), 'unchanged: the configured child is reused');
    t.same(await stsKeys(acc.target), ['AKIDPOOLAAAA']);

    // The credentials file rewritten in place with a key of the same length, its times put back.
    const { atime, mtime } = statSync(credentials);
    writeFileSync(credentials, '[pool]\naws_access_key_id = AKIDPOOLBBBB\naws_secret_access_key = secret-b\n');
    utimesSync(credentials, atime, mtime);
    await acc.target.admin!.reset('calls');
    const rotated = await command(ws, PLAN);
    t.notOk(rotated.reused.some((r) => r.configured), 'a configured child is not reused once the credentials file changed');
    t.ok(rotated.configured.length >= 1, 'a child is configured afresh');
    t.same(await stsKeys(acc.target), ['AKIDPOOLBBBB'], 'hashicorp/aws signs with the new key');

    // Another region in the provider block.
    ws.config(block('eu-west-1') + DATA_SOURCES);
    const moved = await command(ws, APPLY);
    t.notOk(moved.reused.some((r) => r.configured && rotated.configured.includes(r.pid)), 'the child configured for us-west-2 is not taken');
    t.equal(JSON.parse((await ws.ok(['output', '-json'])).stdout).region.value, 'eu-west-1', 'data.aws_region says the new region');

    // Another environment: another warm server, whose children are its own.
    const firstServers = upstream.running();
    const elsewhere = await command(ws, PLAN, { TF_AWS_POOL_TEST_MARK: 'another environment' });
    t.ok(elsewhere.started.length >= 1, 'another environment starts its own hashicorp/aws');
    t.notOk(elsewhere.reused.some((r) => firstServers.includes(r.pid)), 'and takes no child of the first server');
  });

  t.test('two aliases at once get two children, each configured with its own provider block', async (t) => {
    // An apply of two provider configurations keeps six children (an unconfigured one for validation, one
    // configured for the plan and one for the apply, per alias): more than the default bound of four.
    const ws = workspace(t, { TF_AWS_WARM_UPSTREAM_MAX: '6', TF_AWS_WARM_UPSTREAM_MAX_RSS: '4096' });
    const east = providerBlock(acc.target).replace('provider "aws" {', 'provider "aws" {\n  alias = "east"').replace(/region\s*=\s*"[^"]*"/, 'region = "us-east-1"');
    ws.config(`${providerBlock(acc.target)}${east}
data "aws_region" "west" {}
data "aws_region" "east" {
  provider = aws.east
}
output "regions" {
  value = [data.aws_region.west.name, data.aws_region.east.name]
}
`);
    const first = await command(ws, APPLY);
    t.ok(new Set(first.configured).size >= 2, 'two children were configured');
    for (let i = 0; i < 3; i++) {
      const settling = await command(ws, APPLY);
      t.comment(`started ${JSON.stringify(settling.started)}, reused ${JSON.stringify(settling.reused)}`);
      if (settling.started.length === 0) break;
    }
    // (Whether a validation launch finds an unconfigured child free depends on how Terraform overlaps the aliases'
    // validations; the configured children are what this case is about.)
    const again = await command(ws, APPLY);
    t.comment(`started ${JSON.stringify(again.started)}, reused ${JSON.stringify(again.reused)}`);
    const configuredPids = new Set(again.reused.filter((r) => r.configured).map((r) => r.pid));
    t.ok(configuredPids.size >= 2, 'it took two configured children, one per alias');
    t.same(again.configured, [], 'and configured none afresh: each alias got a child configured with its own block');
    t.same(JSON.parse((await ws.ok(['output', '-json'])).stdout).regions.value, ['us-west-2', 'us-east-1'], 'each alias was served in its own region');
  });

  /**
   * An apply of a role's inline policy, served by a child taken from the pool, struck by `interrupt` (given
   * terraform's pid) while hashicorp/aws's PutRolePolicy is held in flight: what terraform answered, and the child.
   */
  async function interruptedPolicyApply(t: Test, name: string, interrupt: (terraformPid: number) => void) {
    // Trace logs name the RPCs hashicorp/aws receives (every command of this workspace: one environment, one server).
    const ws = workspace(t, { TF_LOG_PROVIDER: 'trace' });
    ws.config(`${providerBlock(acc.target)}${rolePolicyConfig(name)}`);
    await settle(ws);
    await acc.target.admin!.faults({ latencyMs: { ms: 15_000, operation: 'IAM.PutRolePolicy' } });
    t.teardown(() => acc.target.admin!.clearFaults());
    const from = logLines(ws).length;
    const run = terraformInBackground(ws, APPLY);
    await waitFor('hashicorp/aws to receive ApplyResourceChange for aws_iam_role_policy', () => applyingRolePolicy(ws, from), 60_000);
    const serving = childServingTheApply(logLines(ws).slice(from));
    t.ok(upstream.running().includes(serving), 'the child serving the apply is known');
    interrupt(run.child.pid!);
    const result = await run.done;
    await acc.target.admin!.clearFaults();
    return { ws, serving, result };
  }

  /** The next apply converges without the child that was retired: the inline policy exists, the plan is empty. */
  async function nextApplyConverges(t: Test, ws: Workspace, name: string, retired: number): Promise<void> {
    const next = await command(ws, APPLY);
    t.notOk(next.reused.some((r) => r.pid === retired), 'the next apply does not get the retired child');
    t.match(next.output, /Apply complete!/, 'the next apply converges');
    const policy = await acc.aws.iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: `${name}-logs` }));
    t.match(decodeURIComponent(policy.PolicyDocument!), /logs:PutLogEvents/, 'the inline policy exists remotely');
    t.equal((await ws.planExitCode()).code, 0, 'and the plan after it is empty');
    await ws.destroy();
  }

  t.test('Ctrl-C during a delegated apply: the child serving it is not kept, and the next apply converges', async (t) => {
    const name = uniqueName('tfacc-pool');
    // Ctrl-C: SIGINT to the whole foreground process group.
    const { ws, serving, result } = await interruptedPolicyApply(t, name, (terraform) => process.kill(-terraform, 'SIGINT'));
    t.equal(result.code, 1, 'terraform reports the interrupted apply');
    t.match(result.stdout + result.stderr, /Interrupt received/);
    t.notMatch(result.stderr, /Plugin did not respond|panic/, 'no crash');
    await waitFor('the interrupted child to exit', () => !isAlive(serving), 10_000);
    t.notOk(isAlive(serving), 'the child that received StopProvider is shut down, not parked');
    await nextApplyConverges(t, ws, name, serving);
  });

  t.test('a launch killed while hashicorp/aws serves it: the child is not kept, and the next apply converges', async (t) => {
    const name = uniqueName('tfacc-pool-kill');
    // The provider processes Terraform started (launchers, whose instances the warm server runs) die: the instance
    // ends as a killed process would, with hashicorp/aws's PutRolePolicy still in flight.
    const { ws, serving, result } = await interruptedPolicyApply(t, name, (terraform) => {
      for (const pid of providerProcesses(terraform)) process.kill(pid, 'SIGKILL');
    });
    t.not(result.code, 0, 'terraform reports the failed apply');
    await waitFor('the child that was serving the killed launch to exit', () => !isAlive(serving), 30_000);
    t.notOk(isAlive(serving), 'a child whose launch was killed mid-request is shut down, not parked');
    await nextApplyConverges(t, ws, name, serving);
  });

  t.test('no child outlives its server: idle expiry, and a server killed outright', async (t) => {
    // A server of its own (another environment), with a short idle time: it exits, and its children with it. (Short,
    // but longer than a plan on a loaded machine, so that the children of the second plan are still parked here.)
    const idle = workspace(t, { TF_AWS_WARM_IDLE: '15' });
    idle.config(providerBlock(acc.target) + DATA_SOURCES);
    // The first launch of a new environment is served cold while its server starts: the second plan is all warm.
    await command(idle, PLAN);
    await command(idle, PLAN);
    const itsChildren = upstream.running().filter((pid) => serverHasIdle(pid, '15'));
    t.ok(itsChildren.length >= 1, 'the idle server parked children');
    await waitFor('the idle server and its children to exit', () => !itsChildren.some(isAlive), 60_000);

    // The other servers' children: SIGKILL to one server takes its children (the kernel kills them, see process.ts).
    const servers = directoryStatus(warm).servers.filter((s) => s.alive);
    const victim = servers.find((s) => upstream.running().some((pid) => parentOf(pid) === s.pid));
    t.ok(victim, 'a server with parked children');
    const children = upstream.running().filter((pid) => parentOf(pid) === victim!.pid);
    process.kill(victim!.pid, 'SIGKILL');
    await waitFor('the killed server\'s children to exit', () => !children.some(isAlive), 30_000);
    t.pass(`${children.length} parked children died with their server`);

    // And --warm-stop stops the rest, children included.
    stopServers(warm);
    await waitFor('every hashicorp/aws to exit', () => upstream.running().length === 0, 30_000);
    t.same(upstream.running(), [], 'no hashicorp/aws outlives the warm servers');
  });

  /** Whether hashicorp/aws `pid` is a child of a server started with TF_AWS_WARM_IDLE=`idle`. */
  function serverHasIdle(pid: number, idle: string): boolean {
    try {
      return readFileSync(`/proc/${parentOf(pid)}/environ`, 'utf8').split('\0').includes(`TF_AWS_WARM_IDLE=${idle}`);
    } catch {
      return false;
    }
  }
}

/** A role (ours) and its inline policy (hashicorp/aws's: PutRolePolicy, which may be repeated). */
function rolePolicyConfig(name: string): string {
  return `
resource "aws_iam_role" "role" {
  name = "${name}"
  assume_role_policy = ${trustPolicyJsonencode()}
}
resource "aws_iam_role_policy" "logs" {
  name = "${name}-logs"
  role = aws_iam_role.role.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["logs:PutLogEvents"], Resource = "*" }]
  })
}
`;
}

/** Whether the trace log, from line `from` on, shows hashicorp/aws receiving the inline policy's ApplyResourceChange. */
function applyingRolePolicy(ws: Workspace, from: number): boolean {
  return logLines(ws)
    .slice(from)
    .some((l) => l.includes('@module=provider.upstream') && l.includes('tf_rpc=ApplyResourceChange') && l.includes('tf_resource_type=aws_iam_role_policy'));
}

function logLines(ws: Workspace): string[] {
  try {
    return readFileSync(ws.env.TF_LOG_PATH!, 'utf8').split('\n');
  } catch {
    return [];
  }
}

/** The access keys that signed the STS calls since the call log was reset (hashicorp/aws's data.aws_caller_identity). */
async function stsKeys(target: Target): Promise<string[]> {
  const calls = (await target.admin!.calls()).recent.filter((call) => call.service === 'STS');
  return [...new Set(calls.map((call) => String(call.accessKeyId)))];
}
