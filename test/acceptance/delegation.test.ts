// Delegation: the types this provider does not implement are served by the genuine hashicorp/aws 5.100.0, started by
// our provider as its child. One endpoint, one upstream (behind a wrapper that records every launch) and one schema
// cache for the whole file; the cases run in order, the first one with the cache still empty. Each launch of the
// real binary costs seconds and hundreds of MiB, so the cases share workspaces and commands where they can.
import { GetRoleCommand, GetRolePolicyCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { ACC_TARGET, hasHashicorpMirror, providerBlock, uniqueName, Workspace, type Target } from './harness';
import { providerProcesses, terraformInBackground, waitFor } from './reliability';
import { useTarget } from './target';
import { countedUpstream, isRunning, type CountedUpstream } from './upstream';

const APPLY = ['apply', '-auto-approve', '-input=false', '-no-color'];
const REQUIRED_PROVIDERS = 'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n';

/** The documented example (examples/basic/main.tf): only types this provider implements. */
function documentedExample(name: string): string {
  return `
resource "aws_sagemaker_model" "example" {
  name               = "${name}"
  execution_role_arn = aws_iam_role.example.arn
  primary_container {
    image = data.aws_sagemaker_prebuilt_ecr_image.test.registry_path
  }
}
resource "aws_iam_role" "example" {
  name               = "${name}"
  assume_role_policy = data.aws_iam_policy_document.assume_role.json
}
data "aws_iam_policy_document" "assume_role" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }
  }
}
data "aws_sagemaker_prebuilt_ecr_image" "test" {
  repository_name = "kmeans"
}
output "model_arn" {
  value = aws_sagemaker_model.example.arn
}
`;
}

/**
 * What a real configuration adds around it, served by hashicorp/aws: one part per concern, so that parts for more
 * types (S3 buckets and objects, managed policies) can join as the embedded endpoint learns to serve them.
 */
const delegatedParts: ((name: string) => string)[] = [
  () => `
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
output "account_id" {
  value = data.aws_caller_identity.current.account_id
}
output "role" {
  value = provider::aws::arn_parse(aws_iam_role.example.arn)
}
`,
  () => `
resource "aws_iam_role_policy_attachment" "sagemaker" {
  role       = aws_iam_role.example.name
  policy_arn = "arn:\${data.aws_partition.current.partition}:iam::aws:policy/AmazonSageMakerFullAccess"
}
`,
  (name) => `
resource "aws_iam_role_policy" "artifacts" {
  name   = "artifacts"
  role   = aws_iam_role.example.id
  policy = data.aws_iam_policy_document.artifacts.json
}
data "aws_iam_policy_document" "artifacts" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:\${data.aws_partition.current.partition}:s3:::${name}-artifacts/*"]
  }
}
`,
];

function mixedConfig(target: Target, name: string): string {
  return providerBlock(target) + REQUIRED_PROVIDERS + documentedExample(name) + delegatedParts.map((part) => part(name)).join('');
}

if (!hasHashicorpMirror()) {
  t.plan(0, 'hashicorp/aws 5.100.0 is not available (TF_ACC_HASHICORP_AWS_MIRROR)');
} else {
  const acc = useTarget(t);
  const upstream: CountedUpstream = countedUpstream();
  t.teardown(() => upstream.cleanup());

  const noneRunning = (t: Test, when: string) => t.same(upstream.running(), [], `no hashicorp/aws process left ${when}`);

  t.test('native-only configuration with an upstream: the child starts once, for the schema, then never', async (t) => {
    const ws = new Workspace('ours', upstream.env);
    t.teardown(() => ws.cleanup());
    ws.config(providerBlock(acc.target) + documentedExample(uniqueName('tfacc-native')));
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
    const name = uniqueName('tfacc-deleg');
    const ws = new Workspace('ours', upstream.env);
    t.teardown(() => ws.cleanup());
    ws.config(mixedConfig(acc.target, name));
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
    t.match(account, /^\d{12}$/, 'data.aws_caller_identity');
    t.same(outputs.role!.value, { partition: 'aws', service: 'iam', region: '', account_id: account, resource: `role/${name}` }, 'provider::aws::arn_parse');
    t.match(outputs.model_arn!.value, new RegExp(`^arn:aws:sagemaker:${acc.target.region}:\\d{12}:model/${name}$`));
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
    t.equal(await acc.aws.model(name), null, 'the model is gone');
    noneRunning(t, 'after the commands');
  });

  t.test('without an upstream: delegated types are named with the way to provide them; native types work as before', async (t) => {
    const ws = new Workspace('ours', { TF_AWS_UPSTREAM_PROVIDER: 'none' });
    t.teardown(() => ws.cleanup());
    ws.config(mixedConfig(acc.target, uniqueName('tfacc-none')));
    const validate = await ws.run(['validate', '-no-color']);
    t.equal(validate.code, 1);
    const error = validate.stderr.replace(/\s+/g, ' ');
    t.match(error, /Error: hashicorp\/aws is needed for aws_iam_role_policy, aws_iam_role_policy_attachment, data\.aws_caller_identity, data\.aws_partition/);
    t.match(error, /TF_AWS_UPSTREAM_PROVIDER/);

    ws.config(providerBlock(acc.target) + documentedExample(uniqueName('tfacc-none')));
    const plan = await ws.run(['plan', '-input=false', '-no-color']);
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
