// aws_iam_role, ours against hashicorp/aws 5.100.0: inline policies (from a policy document, from a heredoc,
// `inline_policy {}`, left out while managed elsewhere), managed policy ARNs, permissions boundary, tags,
// name_prefix and generated names; create, no-op, update, out-of-band changes, refresh, import, a dropped block,
// destroy.
import t from 'tap';
import { PutRolePolicyCommand, TagRoleCommand } from '@aws-sdk/client-iam';
import { reimportStep, runScenario, skipDifferential, startHashicorpServer } from './harness';
import type { HashicorpServer } from './hashicorp-server';

import { ROLES, S3_READ, SAGEMAKER_FULL, OUTSIDE_POLICY, rolesConfig, type RoleVariant } from './configs';

let hashicorp: HashicorpServer | undefined;
t.before(async () => {
  if (!skipDifferential) hashicorp = await startHashicorpServer();
});
t.teardown(() => hashicorp?.stop());

t.test('aws_iam_role: ours and hashicorp/aws 5.100.0 step by step', { skip: skipDifferential }, async (t) => {
  const updated: RoleVariant = { ...ROLES, description: 'second', listAction: 's3:ListAllMyBuckets', maxSession: 3600, managed: [SAGEMAKER_FULL, S3_READ], boundary: false, tags: { Team: 'ml', Stage: 'two' } };
  await runScenario(
    t,
    {
      title: 'aws_iam_role',
      steps: [
        { name: 'create', config: rolesConfig(ROLES) },
        { name: 'no change', command: 'plan' },
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
        { name: 'refresh only', command: 'refresh' },
        reimportStep(['aws_iam_role']),
        { name: 'inline_policy blocks left out', config: rolesConfig({ ...updated, inlineBlocks: false }) },
        { name: 'destroy', command: 'destroy' },
      ],
    },
    hashicorp!,
  );
});

