// Delegation: the types this provider does not implement are served by the genuine hashicorp/aws 5.100.0, started by
// our provider as its child. One endpoint, one upstream (behind a wrapper that records every launch) and one schema
// cache for the whole file; the cases run in order, the first one with the cache still empty. Each launch of the
// real binary costs seconds and hundreds of MiB, so the cases share workspaces and commands where they can.
import { GetRoleCommand, GetRolePolicyCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { ACC_TARGET, hasHashicorpMirror, repoRoot, Workspace } from './harness';
import { providerProcesses, terraformInBackground, waitFor } from './reliability';
import { useTarget } from './target';
import { countedUpstream, isRunning, type CountedUpstream } from './upstream';

const APPLY = ['apply', '-auto-approve', '-input=false', '-no-color'];

/** The documented example: examples/basic/main.tf, only types this provider implements. */
const documentedExample = { 'main.tf': readFileSync(join(repoRoot, 'examples', 'basic', 'main.tf'), 'utf8') };

/**
 * The same, extended with what a real configuration has around it, in types hashicorp/aws serves: every file of
 * test/fixtures/delegation/ (one per concern, so more types can join as the embedded endpoint learns them).
 */
const extendedExample = {
  ...documentedExample,
  ...Object.fromEntries(
    readdirSync(join(repoRoot, 'test', 'fixtures', 'delegation'))
      .filter((name) => name.endsWith('.tf'))
      .map((name) => [name, readFileSync(join(repoRoot, 'test', 'fixtures', 'delegation', name), 'utf8')]),
  ),
};

if (!hasHashicorpMirror()) {
  t.plan(0, 'hashicorp/aws 5.100.0 is not available (TF_ACC_HASHICORP_AWS_MIRROR)');
} else if (ACC_TARGET === 'aws') {
  t.plan(0, 'the documented example is written for an AWS-compatible endpoint');
} else {
  const acc = useTarget(t);
  const upstream: CountedUpstream = countedUpstream();
  t.teardown(() => upstream.cleanup());
  /** A workspace whose `var.endpoint` (the example's one variable) is the target. */
  const workspace = (env: Record<string, string>) => new Workspace('ours', { ...env, TF_VAR_endpoint: acc.target.url! });

  const noneRunning = (t: Test, when: string) => t.same(upstream.running(), [], `no hashicorp/aws process left ${when}`);

  t.test('native-only configuration with an upstream: the child starts once, for the schema, then never', async (t) => {
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
    noneRunning(t, 'after the commands');
  });

  t.test('the documented example with delegated types: faults mid-apply, apply, outputs, empty plan, import, destroy', async (t) => {
    const ws = workspace(upstream.env);
    t.teardown(() => ws.cleanup());
    ws.write(extendedExample);
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
      process.kill(upstream.launches().at(-1)!, 'SIGKILL');
      const afterKill = await killed.run.done;
      t.equal(afterKill.code, 1, 'terraform reports the failed apply');
      const killOutput = afterKill.stderr.replace(/[\s│]+/g, ' ');
      t.match(killOutput, /Error: hashicorp\/aws could not serve aws_iam_role_policy/);
      t.match(killOutput, /The hashicorp\/aws provider process \(5\.100\.0\) was killed by SIGKILL while serving ApplyResourceChange/);
      t.notMatch(afterKill.stderr, /Plugin did not respond|panic/, 'no crash of ours');
      const managed = (await ws.state()).values?.root_module?.resources?.map((r) => r.address).filter((a) => !a.startsWith('data.'));
      t.same(
        managed?.sort(),
        ['aws_iam_role.example', 'aws_iam_role_policy_attachment.sagemaker', 'aws_sagemaker_model.example'],
        'state holds what was applied, not the interrupted policy',
      );
      await waitFor('our provider processes to exit', async () => !ours.some(isRunning), 10_000);
      noneRunning(t, 'after the kill');

      // 2. Ctrl-C while the child applies the inline policy: StopProvider reaches it, terraform stops cleanly.
      const interrupted = await applyInFlight();
      process.kill(-interrupted.run.child.pid!, 'SIGINT');
      const afterInterrupt = await interrupted.run.done;
      t.equal(afterInterrupt.code, 1);
      t.match(afterInterrupt.stdout + afterInterrupt.stderr, /Interrupt received/);
      t.notMatch(afterInterrupt.stderr, /Plugin did not respond|panic/, 'no crash');
      const stop = readLog(logFile, interrupted.from).find((l) => l.includes('@module=provider.upstream') && /tf_rpc=(Stop|StopProvider)\b/.test(l));
      t.ok(stop, 'hashicorp/aws received Stop');
      noneRunning(t, 'after the interrupt');
      await acc.target.admin!.clearFaults();
    }

    // The apply (after the faults: the next one) converges.
    await ws.apply();
    const outputs = JSON.parse((await ws.ok(['output', '-json'])).stdout) as Record<string, { value: unknown }>;
    const account = outputs.account_id!.value as string;
    const name = outputs.role_name!.value as string;
    t.match(account, /^\d{12}$/, 'data.aws_caller_identity');
    t.equal(outputs.partition!.value, 'aws', 'data.aws_partition');
    t.same(outputs.role!.value, { partition: 'aws', service: 'iam', region: '', account_id: account, resource: `role/${name}` }, 'provider::aws::arn_parse');
    t.match(outputs.model_arn!.value, /^arn:aws:sagemaker:us-west-2:\d{12}:model\/my-model$/);
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name }));
    t.same(attached.AttachedPolicies?.map((p) => p.PolicyArn), ['arn:aws:iam::aws:policy/AmazonSageMakerFullAccess'], 'the policy is attached');
    const inline = await iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: 'artifacts' }));
    t.match(decodeURIComponent(inline.PolicyDocument!), /s3:GetObject/, 'the inline policy exists');
    t.equal((await ws.planExitCode()).code, 0, 'plan after apply is empty');

    const policy = await ws.resource('aws_iam_role_policy.artifacts');
    await ws.ok(['state', 'rm', 'aws_iam_role_policy.artifacts']);
    await ws.ok(['import', '-input=false', '-no-color', 'aws_iam_role_policy.artifacts', `${name}:artifacts`]);
    t.same(await ws.resource('aws_iam_role_policy.artifacts'), policy, 'import of a delegated resource reproduces its state');

    await ws.destroy();
    await t.rejects(iam.send(new GetRoleCommand({ RoleName: name })), { name: 'NoSuchEntityException' }, 'the role is gone');
    t.equal(await acc.aws.model('my-model'), null, 'the model is gone');
    noneRunning(t, 'after the commands');
  });

  t.test('without an upstream: delegated types are named with the way to provide them; native types work as before', async (t) => {
    const ws = workspace({ TF_AWS_UPSTREAM_PROVIDER: 'none' });
    t.teardown(() => ws.cleanup());
    ws.write(extendedExample);
    const validate = await ws.run(['validate', '-no-color']);
    t.equal(validate.code, 1);
    const error = validate.stderr.replace(/\s+/g, ' ');
    t.match(error, /Error: hashicorp\/aws is needed for aws_iam_role_policy, aws_iam_role_policy_attachment, data\.aws_caller_identity, data\.aws_partition/);
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
