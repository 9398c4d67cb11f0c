// aws_iam_role's delete, as hashicorp/aws 5.100.0 does it: every inline policy and attachment that exists remotely
// (more than one page of them, most added outside Terraform) is removed, an item already gone is skipped, and the
// role itself is always deleted. The race is made real with the embedded endpoint: the connection of the first
// DetachRolePolicy and DeleteRolePolicy is dropped after IAM performed them, so the SDK's retry finds the item gone.
import t from 'tap';
import { AttachRolePolicyCommand, GetRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { ACC_TARGET, providerBlock, uniqueName, Workspace } from '../support/terraform';
import { trustPolicyJsonencode } from '../support/fixtures';
import { useTarget } from '../support/target';

const skip = ACC_TARGET !== 'embedded' && 'needs the embedded endpoint (its faults and call log)';
const acc = skip ? undefined : useTarget(t);

const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }] });
/** IAM lists 100 items per page by default: one more needs a second page. */
const OUTSIDE_POLICIES = 101;

t.test('destroying a role removes what exists remotely, skips what is already gone, and deletes the role', { skip }, async (t) => {
  const { target, aws } = acc!;
  const name = uniqueName('tfacc-roledel');
  const ws = new Workspace().config(`${providerBlock(target)}
resource "aws_iam_role" "test" {
  name                  = "${name}"
  force_detach_policies = true
  assume_role_policy    = ${trustPolicyJsonencode()}
  inline_policy {
    name   = "managed-here"
    policy = ${JSON.stringify(POLICY)}
  }
}
`);
  t.teardown(() => ws.cleanup());
  await ws.apply();
  for (let i = 0; i < OUTSIDE_POLICIES; i++) {
    await aws.iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: `outside-${i}`, PolicyDocument: POLICY }));
  }
  for (const arn of ['arn:aws:iam::aws:policy/AmazonSageMakerFullAccess', 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess']) {
    await aws.iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: arn }));
  }
  await target.admin!.faults({
    dropConnection: [
      { operation: 'IAM.DetachRolePolicy', next: 1, after: 'request' },
      { operation: 'IAM.DeleteRolePolicy', next: 1, after: 'request' },
    ],
  });
  await target.admin!.reset('calls');

  await ws.destroy();

  const calls = (await target.admin!.calls()).recent;
  const count = (operation: string, errorCode: string | null = null) => calls.filter((c) => c.operation === operation && c.errorCode === errorCode).length;
  t.equal(count('DetachRolePolicy', 'DroppedConnection'), 1, 'a detach was performed and its answer lost');
  t.equal(count('DetachRolePolicy', 'NoSuchEntity'), 1, 'its retry found the policy already detached');
  t.equal(count('DeleteRolePolicy', 'NoSuchEntity'), 1, 'an inline policy delete likewise');
  t.ok(calls.filter((c) => c.operation === 'ListRolePolicies').length >= 2, 'the inline policies were listed page by page');
  t.equal(count('DeleteRolePolicy') + count('DeleteRolePolicy', 'DroppedConnection'), OUTSIDE_POLICIES + 1, 'every inline policy was deleted');
  t.equal(count('DeleteRole'), 1, 'the role itself was deleted');
  await t.rejects(aws.iam.send(new GetRoleCommand({ RoleName: name })), { name: 'NoSuchEntityException' }, 'the role is gone');
  t.same((await ws.state()).values?.root_module?.resources ?? [], [], 'and out of state');
});

// hashicorp/aws 5.100.0 (the same in test/differential/iam-role.test.ts): without force_detach_policies, a role whose
// managed_policy_arns lists any has every attached policy detached first, those attached outside Terraform too, and
// its inline policies deleted when it has some; IAM refuses to delete a role that still has either.
t.test('destroying a role with managed_policy_arns and without force_detach_policies detaches what is attached', { skip }, async (t) => {
  const { target, aws } = acc!;
  const name = uniqueName('tfacc-rolenofd');
  const ws = new Workspace().config(`${providerBlock(target)}
resource "aws_iam_role" "test" {
  name                = "${name}"
  assume_role_policy  = ${trustPolicyJsonencode()}
  managed_policy_arns = ["arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"]
}
`);
  t.teardown(() => ws.cleanup());
  await ws.apply();
  t.equal((await ws.resource('aws_iam_role.test')).force_detach_policies, false, 'force_detach_policies is false');
  await aws.iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }));
  await aws.iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'outside', PolicyDocument: POLICY }));
  await target.admin!.reset('calls');

  await ws.destroy();

  const calls = (await target.admin!.calls()).recent;
  const detached = calls.filter((c) => c.operation === 'DetachRolePolicy' && c.errorCode === null).length;
  t.equal(detached, 2, 'both attached policies were detached, the one attached outside Terraform too');
  t.equal(calls.filter((c) => c.operation === 'DeleteRolePolicy' && c.errorCode === null).length, 1, 'the inline policy put outside was deleted (the refresh found it)');
  t.same(calls.filter((c) => c.operation === 'DeleteRole').map((c) => c.errorCode), [null], 'the role was deleted at the first attempt');
  await t.rejects(aws.iam.send(new GetRoleCommand({ RoleName: name })), { name: 'NoSuchEntityException' }, 'the role is gone');
});
