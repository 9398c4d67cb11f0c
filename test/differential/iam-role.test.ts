// aws_iam_role, ours against hashicorp/aws 5.100.0: inline policies (from a policy document, from a heredoc,
// `inline_policy {}`, left out while managed elsewhere), managed policy ARNs, permissions boundary, tags,
// name_prefix and generated names; create, no-op, update, out-of-band changes, refresh, import, a dropped block,
// destroy.
import t from 'tap';
import { AttachRolePolicyCommand, PutRolePolicyCommand, TagRoleCommand } from '@aws-sdk/client-iam';
import { trustPolicyDocument } from '../support/fixtures';
import { reimportStep, runScenario, skipDifferential, useHashicorp } from './harness';

import { ROLES, S3_READ, SAGEMAKER_FULL, OUTSIDE_POLICY, rolesConfig, type RoleVariant } from './configs';

const hashicorp = useHashicorp(t);

t.test('aws_iam_role: ours and hashicorp/aws 5.100.0 step by step', { skip: skipDifferential }, async (t) => {
  const updated: RoleVariant = { ...ROLES, description: 'second', listAction: 's3:ListAllMyBuckets', maxSession: 3600, managed: [SAGEMAKER_FULL, S3_READ], boundary: false, tags: { Team: 'ml', Stage: 'two' } };
  await runScenario(
    t,
    {
      title: 'aws_iam_role',
      steps: [
        { name: 'create', config: rolesConfig(ROLES) },
        { name: 'no change', command: 'plan', exhaustive: true },
        { name: 'update in place', config: rolesConfig(updated) },
        {
          name: 'out-of-band inline policies and tags',
          before: async ({ aws }) => {
            for (const role of ['tfdiff-outside', 'tfdiff-cleared']) {
              await aws.iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: 'outside', PolicyDocument: OUTSIDE_POLICY }));
            }
            await aws.iam.send(new TagRoleCommand({ RoleName: 'tfdiff-inline', Tags: [{ Key: 'Added', Value: 'outside' }] }));
          },
        },
        { name: 'refresh only', command: 'refresh', exhaustive: true },
        reimportStep(['aws_iam_role']),
        { name: 'inline_policy blocks left out', config: rolesConfig({ ...updated, inlineBlocks: false }) },
        { name: 'destroy', command: 'destroy' },
      ],
    },
    hashicorp(),
  );
});


// Every role of the scenario above sets force_detach_policies; hashicorp/aws detaches a role's managed policies
// before deleting it also when managed_policy_arns lists any (and deletes its inline policies when it has some),
// whatever was attached or put outside Terraform since.
t.test('aws_iam_role destroyed without force_detach_policies: ours and hashicorp/aws 5.100.0', { skip: skipDifferential }, async (t) => {
  const config = `
${trustPolicyDocument('assume')}
resource "aws_iam_role" "managed" {
  name                = "tfdiff-managed"
  assume_role_policy  = data.aws_iam_policy_document.assume.json
  managed_policy_arns = ["${SAGEMAKER_FULL}"]
}

resource "aws_iam_role" "inline" {
  name               = "tfdiff-inline-only"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  inline_policy {
    name   = "list"
    policy = ${JSON.stringify(OUTSIDE_POLICY)}
  }
}
`;
  await runScenario(
    t,
    {
      title: 'aws_iam_role without force_detach_policies',
      steps: [
        { name: 'create', config },
        {
          name: 'a policy attached and one put outside Terraform, then destroy',
          command: 'destroy',
          before: async ({ aws }) => {
            await aws.iam.send(new AttachRolePolicyCommand({ RoleName: 'tfdiff-managed', PolicyArn: S3_READ }));
            await aws.iam.send(new PutRolePolicyCommand({ RoleName: 'tfdiff-managed', PolicyName: 'outside', PolicyDocument: OUTSIDE_POLICY }));
            await aws.iam.send(new PutRolePolicyCommand({ RoleName: 'tfdiff-inline-only', PolicyName: 'outside', PolicyDocument: OUTSIDE_POLICY }));
          },
        },
      ],
    },
    hashicorp(),
  );
});
