// Delegation: the types this provider does not implement are served by the genuine hashicorp/aws 5.100.0, started by
// our provider as its child. One endpoint, one upstream (behind a wrapper that records every launch) and one schema
// cache for the whole file; the cases run in order, the first one with the cache still empty. Each launch of the
// real binary costs seconds and hundreds of MiB, so the cases share workspaces and commands where they can: the
// realistic configuration goes through both faults (embedded endpoint only) before its ordinary lifecycle. The warm
// servers (of a directory of this file's) keep children between commands (src/upstream/pool.ts): a child still
// running after a command must be one of those, parked, and none may outlive the servers.
import { GetRoleCommand, GetRolePolicyCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import t, { type Test } from 'tap';
import { ACC_TARGET, hasHashicorpMirror, terraformInBackground, uniqueName, Workspace } from '../support/terraform';
import { repoRoot } from '../support/paths';
import { ARTIFACT_KEY, AWS_MANAGED_POLICY, FUNCTION_OUTPUT, realisticConfig, type RealisticNames } from './realistic-config';
import { isAlive, providerProcesses, tmpdirForKilled, waitFor } from '../support/processes';
import { useTarget } from '../support/target';
import { directoryStatus, stopServers, warmDir } from '../support/warm';
import { childServingTheApply, countedUpstream, type CountedUpstream } from './upstream';

const APPLY = ['apply', '-auto-approve', '-input=false', '-no-color'];

/** The documented example, examples/basic/main.tf: only types this provider implements. */
const documentedExample = { 'main.tf': readFileSync(join(repoRoot, 'examples', 'basic', 'main.tf'), 'utf8') };

if (!hasHashicorpMirror()) {
  t.plan(0, 'hashicorp/aws 5.100.0 is not available (TF_ACC_HASHICORP_AWS_MIRROR)');
} else {
  const acc = useTarget(t);
  const upstream: CountedUpstream = countedUpstream();
  t.teardown(() => upstream.cleanup());
  const warm = warmDir(t);
  /** A workspace whose `var.endpoint` (the documented example's one variable) is the target. */
  // The hashicorp/aws child killed below cannot remove its socket: it lands in this file's own TMPDIR.
  const tmp = tmpdirForKilled(t);
  const workspace = (env: Record<string, string>) => new Workspace('ours', { ...env, TF_AWS_WARM_DIR: warm, TMPDIR: tmp, TF_VAR_endpoint: acc.target.url ?? '' });
  /** The realistic configuration (realistic-config.ts: the documented example with S3, IAM policies, caller
   * identity, partition, region) with hashicorp/aws's arn_parse in an output. */
  const realistic = (ws: Workspace, names: RealisticNames) => {
    writeFileSync(join(ws.dir, 'model.tar.gz'), gzipSync(Buffer.from('{"weights": [0.1, 0.2, 0.3]}\n'.repeat(50))));
    return ws.config(realisticConfig(acc.target, names, 'model.tar.gz') + FUNCTION_OUTPUT);
  };

  /** Every child still running is parked in a warm server for a later command (the servers count them each second). */
  const onlyParked = async (t: Test, when: string) => {
    const parked = () => directoryStatus(warm).servers.reduce((sum, server) => sum + (server.upstream?.parked ?? 0), 0);
    await waitFor(`the children running ${when} to be parked`, () => parked() === upstream.running().length, 30_000);
    t.pass(`every hashicorp/aws process left ${when} is parked (${upstream.running().length})`);
  };

  t.test('native-only configuration with an upstream: the child starts once, for the schema, then never (plan, apply, import)', async (t) => {
    const ws = workspace(upstream.env);
    t.teardown(() => ws.cleanup());
    ws.write(documentedExample);
    const first = await ws.planExitCode();
    t.equal(first.code, 2);
    t.match(first.output, /Plan: 2 to add/);
    t.equal(upstream.launches().length, 1, 'the first command starts hashicorp/aws to learn its schema (cache empty)');
    const second = await ws.planExitCode();
    t.match(second.output, /Plan: 2 to add/, 'the same plan');
    t.equal(upstream.launches().length, 1, 'the next command reads the schema from the cache: no launch');

    // Import of the native types with hashicorp/aws there to take them: ours imports them, the child never starts.
    await ws.apply();
    await ws.ok(['apply', '-refresh-only', '-auto-approve', '-input=false', '-no-color']); // the state in a read's form, as an import leaves it
    const before = { role: await ws.resource('aws_iam_role.example'), model: await ws.resource('aws_sagemaker_model.example') };
    await ws.ok(['state', 'rm', 'aws_iam_role.example', 'aws_sagemaker_model.example']);
    await ws.ok(['import', '-input=false', '-no-color', 'aws_iam_role.example', String(before.role.id)]);
    await ws.ok(['import', '-input=false', '-no-color', 'aws_sagemaker_model.example', String(before.model.id)]);
    t.same({ role: await ws.resource('aws_iam_role.example'), model: await ws.resource('aws_sagemaker_model.example') }, before, 'both imported as they were read');
    t.equal((await ws.planExitCode()).code, 0, 'and the plan is empty');
    t.equal(upstream.launches().length, 1, 'no launch of hashicorp/aws for the apply, the imports or the plan');
    await ws.destroy();
    await onlyParked(t, 'after the commands');
  });

  t.test('the realistic configuration: faults mid-apply, apply, outputs, empty plan, import, destroy', async (t) => {
    const name = uniqueName('tfacc-deleg');
    const names = { bucket: name, role: name, model: name };
    const ws = realistic(workspace(upstream.env), names);
    t.teardown(() => ws.cleanup());
    const iam = acc.aws.iam;

    if (ACC_TARGET === 'embedded') {
      // The inline policy's PutRolePolicy stays in flight for a while: the moment to strike, twice.
      await acc.target.admin!.faults({ latencyMs: { ms: 15_000, operation: 'IAM.PutRolePolicy' } });
      const logFile = join(ws.dir, 'provider.log');
      const applyInFlight = async () => {
        const from = readLog(logFile).length;
        const run = terraformInBackground(ws, APPLY, { TF_LOG_PROVIDER: 'trace', TF_LOG_PATH: logFile });
        await waitFor('hashicorp/aws to receive ApplyResourceChange for aws_iam_role_policy', async () =>
          readLog(logFile, from).some((l) => l.includes('@module=provider.upstream') && l.includes('tf_rpc=ApplyResourceChange') && l.includes('tf_resource_type=aws_iam_role_policy')),
        );
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        return { run, from };
      };

      // 1. The child is killed while it applies the inline policy: a clear error, the rest of the apply kept.
      const killed = await applyInFlight();
      const ours = providerProcesses(killed.run.child.pid!);
      const serving = childServingTheApply(readLog(logFile, killed.from));
      t.ok(upstream.running().includes(serving), 'the child serving the apply is known');
      process.kill(serving, 'SIGKILL');
      const afterKill = await killed.run.done;
      t.equal(afterKill.code, 1, 'terraform reports the failed apply');
      const killOutput = afterKill.stderr.replace(/[\s│]+/g, ' ');
      t.match(killOutput, /Error: hashicorp\/aws could not serve aws_iam_role_policy/);
      t.match(killOutput, /The hashicorp\/aws provider process \(5\.100\.0\) was killed by SIGKILL while serving ApplyResourceChange/);
      t.notMatch(afterKill.stderr, /Plugin did not respond|panic/, 'no crash of ours');
      const managed = (await ws.state()).values?.root_module?.resources?.map((r) => r.address) ?? [];
      t.ok(managed.includes('aws_iam_role.execution') && managed.includes('aws_s3_object.model'), 'state holds what was applied before');
      t.notOk(managed.includes('aws_iam_role_policy.logs') || managed.includes('aws_sagemaker_model.model'), 'but not the interrupted policy, nor the model waiting for it');
      await waitFor('our provider processes to exit', async () => !ours.some(isAlive), 10_000);
      await onlyParked(t, 'after the kill');

      // 2. Ctrl-C while the child applies the inline policy: StopProvider reaches it, terraform stops cleanly.
      const interrupted = await applyInFlight();
      const stopped = childServingTheApply(readLog(logFile, interrupted.from));
      process.kill(-interrupted.run.child.pid!, 'SIGINT');
      const afterInterrupt = await interrupted.run.done;
      t.equal(afterInterrupt.code, 1);
      t.match(afterInterrupt.stdout + afterInterrupt.stderr, /Interrupt received/);
      t.notMatch(afterInterrupt.stderr, /Plugin did not respond|panic/, 'no crash');
      const stop = readLog(logFile, interrupted.from).find((l) => l.includes('@module=provider.upstream') && /tf_rpc=(Stop|StopProvider)\b/.test(l));
      t.ok(stop, 'hashicorp/aws received Stop');
      await waitFor('the interrupted child to exit', () => !isAlive(stopped), 10_000);
      t.notOk(isAlive(stopped), 'a child that received StopProvider is not kept for a later command');
      await onlyParked(t, 'after the interrupt');
      await acc.target.admin!.clearFaults();
    }

    // The apply (after the faults: the next one) converges.
    await ws.apply();
    const outputs = JSON.parse((await ws.ok(['output', '-json'])).stdout) as Record<string, { value: unknown }>;
    const account = outputs.account_id!.value as string;
    t.match(account, /^\d{12}$/, 'data.aws_caller_identity');
    t.same(outputs.role!.value, { partition: 'aws', service: 'iam', region: '', account_id: account, resource: `role/${name}` }, 'provider::aws::arn_parse');
    t.match(outputs.model_arn!.value, new RegExp(`^arn:aws:sagemaker:${acc.target.region}:\\d{12}:model/${name}$`));
    const s3 = new S3Client({ ...acc.target.sdkConfig, forcePathStyle: true });
    t.teardown(() => s3.destroy());
    const artifact = await s3.send(new GetObjectCommand({ Bucket: name, Key: ARTIFACT_KEY }));
    t.same(Buffer.from(await artifact.Body!.transformToByteArray()), readFileSync(join(ws.dir, 'model.tar.gz')), 'the artifact is in the bucket');
    const attached = (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name }))).AttachedPolicies!.map((p) => p.PolicyArn).sort();
    t.same(attached, [`arn:aws:iam::aws:policy/${AWS_MANAGED_POLICY}`, outputs.policy_arn!.value].sort(), 'both managed policies are attached');
    await iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: `${name}-logs` }));
    t.equal((await ws.planExitCode()).code, 0, 'plan after apply is empty');

    const policy = await ws.resource('aws_iam_role_policy.logs');
    await ws.ok(['state', 'rm', 'aws_iam_role_policy.logs']);
    await ws.ok(['import', '-input=false', '-no-color', 'aws_iam_role_policy.logs', `${name}:${name}-logs`]);
    t.same(await ws.resource('aws_iam_role_policy.logs'), policy, 'import of a delegated resource reproduces its state');

    await ws.destroy();
    await t.rejects(iam.send(new GetRoleCommand({ RoleName: name })), { name: 'NoSuchEntityException' }, 'the role is gone');
    t.equal(await acc.aws.model(name), null, 'the model is gone');
    if (acc.target.admin) {
      const state = await acc.target.admin.state();
      t.same({ models: state.models, roles: state.roles.filter((r) => r.RoleName === name), policies: state.policies, buckets: state.buckets }, { models: [], roles: [], policies: [], buckets: [] }, 'nothing is left on the endpoint');
    }
    await onlyParked(t, 'after the commands');
    stopServers(warm);
    await waitFor('every hashicorp/aws to exit with its server', () => upstream.running().length === 0, 30_000);
    t.same(upstream.running(), [], 'no hashicorp/aws outlives the warm servers');
  });

  t.test('without an upstream: delegated types are named with the way to provide them; native types work as before', async (t) => {
    const ws = realistic(workspace({ TF_AWS_UPSTREAM_PROVIDER: 'none' }), { bucket: 'b', role: 'r', model: 'm' });
    t.teardown(() => ws.cleanup());
    const validate = await ws.run(['validate', '-no-color']);
    t.equal(validate.code, 1);
    const error = validate.stderr.replace(/\s+/g, ' ');
    t.match(
      error,
      /Error: hashicorp\/aws is needed for aws_iam_policy, aws_iam_role_policy, aws_iam_role_policy_attachment, aws_s3_bucket, aws_s3_object, data\.aws_caller_identity, data\.aws_partition, data\.aws_region/,
    );
    t.match(error, /TF_AWS_UPSTREAM_PROVIDER/);

    const native = workspace({ TF_AWS_UPSTREAM_PROVIDER: 'none' });
    t.teardown(() => native.cleanup());
    native.write(documentedExample);
    const plan = await native.run(['plan', '-input=false', '-no-color']);
    t.equal(plan.code, 0);
    t.same(plan.stdout.match(/Warning: [^\n]*/g), ['Warning: Provider development overrides are in effect'], 'no warning but the dev_overrides one');
  });
}

/** Lines of Terraform's log file from line `from` on. */
function readLog(file: string, from = 0): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(from);
  } catch {
    return [];
  }
}
