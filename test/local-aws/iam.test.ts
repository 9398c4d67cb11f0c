import t from 'tap';
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListInstanceProfilesForRoleCommand,
  ListPoliciesCommand,
  ListPolicyTagsCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  SetDefaultPolicyVersionCommand,
  TagPolicyCommand,
  TagRoleCommand,
  UntagPolicyCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  UpdateRoleDescriptionCommand,
} from '@aws-sdk/client-iam';
import { startEndpoint, type RunningEndpoint } from '../support/endpoint';
import { trustPolicyJson } from '../support/fixtures';
import { awsClientConfig, failure } from './sdk';

const TRUST = trustPolicyJson();
const POLICY = '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]\n}';

let endpoint: RunningEndpoint;
let iam: IAMClient;

t.before(async () => {
  endpoint = await startEndpoint();
  iam = new IAMClient(awsClientConfig(endpoint.url));
});
t.teardown(async () => {
  iam.destroy();
  await endpoint.stop();
});
t.beforeEach(() => endpoint.admin.reset());

t.test('CreateRole and GetRole', async (t) => {
  const created = await iam.send(
    new CreateRoleCommand({
      RoleName: 'Exec',
      Path: '/service/',
      AssumeRolePolicyDocument: TRUST,
      Description: 'runs models',
      MaxSessionDuration: 7200,
      Tags: [{ Key: 'team', Value: 'ml' }],
    }),
  );
  const role = created.Role!;
  t.equal(role.Arn, 'arn:aws:iam::000000000000:role/service/Exec');
  t.equal(role.Path, '/service/');
  t.match(role.RoleId, /^AROA[A-Z2-7]{17}$/);
  t.ok(role.CreateDate instanceof Date);
  t.equal(role.AssumeRolePolicyDocument, encodeURIComponent(TRUST), 'policy documents come back URL-encoded');
  t.same(role.Tags, [{ Key: 'team', Value: 'ml' }]);

  const got = (await iam.send(new GetRoleCommand({ RoleName: 'exec' }))).Role!;
  t.equal(got.RoleName, 'Exec', 'lookup ignores case, the name keeps it');
  t.equal(got.Description, 'runs models');
  t.equal(got.MaxSessionDuration, 7200);
  t.equal(got.RoleId, role.RoleId);
  t.same(got.Tags, [{ Key: 'team', Value: 'ml' }]);

  const duplicate = await failure(iam.send(new CreateRoleCommand({ RoleName: 'EXEC', AssumeRolePolicyDocument: TRUST })));
  t.same(duplicate, { name: 'EntityAlreadyExistsException', message: 'Role with name EXEC already exists.', status: 409 });
  const missing = await failure(iam.send(new GetRoleCommand({ RoleName: 'nobody' })));
  t.same(missing, { name: 'NoSuchEntityException', message: 'The role with name nobody cannot be found.', status: 404 });
});

t.test('CreateRole validation', async (t) => {
  let error = await failure(iam.send(new CreateRoleCommand({ RoleName: 'bad name', AssumeRolePolicyDocument: TRUST })));
  t.equal(error.name, 'ValidationError');
  t.equal(error.status, 400);
  t.match(error.message, /^1 validation error detected: Value 'bad name' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
  error = await failure(iam.send(new CreateRoleCommand({ RoleName: 'r'.repeat(65), AssumeRolePolicyDocument: TRUST })));
  t.match(error.message, /Member must have length less than or equal to 64/);
  error = await failure(iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: '{not json' })));
  t.same(error, { name: 'MalformedPolicyDocumentException', message: 'This policy contains invalid Json', status: 400 });
  error = await failure(
    iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }) })),
  );
  t.equal(error.message, 'Missing required field Principal');
  error = await failure(iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: TRUST, MaxSessionDuration: 100 })));
  t.match(error.message, /at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600/);
  error = await failure(iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: TRUST, Path: 'nopath' })));
  t.match(error.message, /at 'path'/);
  error = await failure(iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: TRUST, Description: 'curly “quotes”' })));
  t.match(error.message, /at 'description'/);
  error = await failure(
    iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: TRUST, Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] })),
  );
  t.equal(error.name, 'InvalidInputException');
  t.equal((await endpoint.admin.state()).roles.length, 0, 'nothing was stored');
});

t.test('updates', async (t) => {
  await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: TRUST }));
  const newTrust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: ['sagemaker.amazonaws.com', 'ec2.amazonaws.com'] }, Action: 'sts:AssumeRole' }],
  });
  await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'r', PolicyDocument: newTrust }));
  await iam.send(new UpdateRoleCommand({ RoleName: 'r', MaxSessionDuration: 43200 }));
  const described = await iam.send(new UpdateRoleDescriptionCommand({ RoleName: 'r', Description: 'new words' }));
  t.equal(described.Role!.Description, 'new words');
  await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'r', PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess' }));
  let role = (await iam.send(new GetRoleCommand({ RoleName: 'r' }))).Role!;
  t.equal(decodeURIComponent(role.AssumeRolePolicyDocument!), newTrust);
  t.equal(role.MaxSessionDuration, 43200);
  t.equal(role.Description, 'new words');
  t.same(role.PermissionsBoundary, { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess' });
  await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'r' }));
  role = (await iam.send(new GetRoleCommand({ RoleName: 'r' }))).Role!;
  t.equal(role.PermissionsBoundary, undefined);
  const bad = await failure(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'r', PolicyDocument: '[' })));
  t.equal(bad.name, 'MalformedPolicyDocumentException');
  const missing = await failure(iam.send(new UpdateRoleCommand({ RoleName: 'none', MaxSessionDuration: 3600 })));
  t.equal(missing.name, 'NoSuchEntityException');
});

t.test('tags', async (t) => {
  await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: TRUST, Tags: [{ Key: 'Env', Value: 'dev' }] }));
  await iam.send(new TagRoleCommand({ RoleName: 'r', Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'owner', Value: 'me' }] }));
  t.same((await iam.send(new ListRoleTagsCommand({ RoleName: 'r' }))).Tags, [{ Key: 'env', Value: 'prod' }, { Key: 'owner', Value: 'me' }]);
  await iam.send(new UntagRoleCommand({ RoleName: 'r', TagKeys: ['OWNER'] }));
  t.same((await iam.send(new GetRoleCommand({ RoleName: 'r' }))).Role!.Tags, [{ Key: 'env', Value: 'prod' }]);
  await iam.send(new TagRoleCommand({ RoleName: 'r', Tags: Array.from({ length: 20 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }));
  const page1 = await iam.send(new ListRoleTagsCommand({ RoleName: 'r', MaxItems: 15 }));
  t.equal(page1.Tags!.length, 15);
  t.equal(page1.IsTruncated, true);
  const page2 = await iam.send(new ListRoleTagsCommand({ RoleName: 'r', MaxItems: 15, Marker: page1.Marker }));
  t.equal(page2.Tags!.length, 6);
  t.equal(page2.IsTruncated, false);
  const over = await failure(iam.send(new TagRoleCommand({ RoleName: 'r', Tags: Array.from({ length: 30 }, (_, i) => ({ Key: `x${i}`, Value: 'v' })) })));
  t.same(over, { name: 'LimitExceededException', message: 'Cannot exceed quota for TagsPerRole: 50.', status: 409 });
  const reserved = await failure(iam.send(new TagRoleCommand({ RoleName: 'r', Tags: [{ Key: 'aws:x', Value: 'v' }] })));
  t.equal(reserved.name, 'InvalidInputException');
});

t.test('inline policies', async (t) => {
  await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: TRUST }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'r', PolicyName: 'read', PolicyDocument: POLICY }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'r', PolicyName: 'write', PolicyDocument: POLICY }));
  t.same((await iam.send(new ListRolePoliciesCommand({ RoleName: 'r' }))).PolicyNames, ['read', 'write']);
  const policy = await iam.send(new GetRolePolicyCommand({ RoleName: 'r', PolicyName: 'read' }));
  t.equal(policy.RoleName, 'r');
  t.equal(policy.PolicyName, 'read');
  t.equal(policy.PolicyDocument, encodeURIComponent(POLICY), 'stored as sent, URL-encoded');
  const page = await iam.send(new ListRolePoliciesCommand({ RoleName: 'r', MaxItems: 1 }));
  t.same(page.PolicyNames, ['read']);
  t.equal(page.IsTruncated, true);
  t.same((await iam.send(new ListRolePoliciesCommand({ RoleName: 'r', Marker: page.Marker }))).PolicyNames, ['write']);

  const conflict = await failure(iam.send(new DeleteRoleCommand({ RoleName: 'r' })));
  t.same(conflict, { name: 'DeleteConflictException', message: 'Cannot delete entity, must delete policies first.', status: 409 });
  await iam.send(new DeleteRolePolicyCommand({ RoleName: 'r', PolicyName: 'read' }));
  await iam.send(new DeleteRolePolicyCommand({ RoleName: 'r', PolicyName: 'write' }));
  const gone = await failure(iam.send(new GetRolePolicyCommand({ RoleName: 'r', PolicyName: 'read' })));
  t.same(gone, { name: 'NoSuchEntityException', message: 'The role policy with name read cannot be found.', status: 404 });
  const malformed = await failure(iam.send(new PutRolePolicyCommand({ RoleName: 'r', PolicyName: 'x', PolicyDocument: 'nope' })));
  t.equal(malformed.name, 'MalformedPolicyDocumentException');
  await iam.send(new DeleteRoleCommand({ RoleName: 'r' }));
});

t.test('managed policies and instance profiles', async (t) => {
  await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: TRUST }));
  const managed = 'arn:aws:iam::aws:policy/AmazonSageMakerFullAccess';
  const custom = (await iam.send(new CreatePolicyCommand({ PolicyName: 'custom', Path: '/team/', PolicyDocument: POLICY }))).Policy!.Arn!;
  t.equal(custom, 'arn:aws:iam::000000000000:policy/team/custom');
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'r', PolicyArn: managed }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'r', PolicyArn: custom }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'r', PolicyArn: managed }));
  t.same((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'r' }))).AttachedPolicies, [
    { PolicyName: 'AmazonSageMakerFullAccess', PolicyArn: managed },
    { PolicyName: 'custom', PolicyArn: custom },
  ]);
  t.same((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'r', PathPrefix: '/team/' }))).AttachedPolicies, [
    { PolicyName: 'custom', PolicyArn: custom },
  ]);
  const conflict = await failure(iam.send(new DeleteRoleCommand({ RoleName: 'r' })));
  t.same(conflict, { name: 'DeleteConflictException', message: 'Cannot delete entity, must detach all policies first.', status: 409 });
  const badArn = await failure(iam.send(new AttachRolePolicyCommand({ RoleName: 'r', PolicyArn: 'arn:aws:s3:::some-bucket-name' })));
  t.equal(badArn.name, 'InvalidInputException');
  await iam.send(new DetachRolePolicyCommand({ RoleName: 'r', PolicyArn: managed }));
  await iam.send(new DetachRolePolicyCommand({ RoleName: 'r', PolicyArn: custom }));
  const notAttached = await failure(iam.send(new DetachRolePolicyCommand({ RoleName: 'r', PolicyArn: custom })));
  t.same(notAttached, { name: 'NoSuchEntityException', message: `Policy ${custom} was not found.`, status: 404 });
  const profiles = await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'r' }));
  t.same(profiles.InstanceProfiles, []);
  t.equal(profiles.IsTruncated, false);
  await iam.send(new DeleteRoleCommand({ RoleName: 'r' }));
  t.equal((await failure(iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'r' })))).name, 'NoSuchEntityException');
  t.equal((await failure(iam.send(new DeleteRoleCommand({ RoleName: 'r' })))).name, 'NoSuchEntityException');
});

t.test('customer managed policies: create, read, versions, tags, delete', async (t) => {
  const created = (
    await iam.send(
      new CreatePolicyCommand({ PolicyName: 'Artifacts', Path: '/ml/', Description: 'read models', PolicyDocument: POLICY, Tags: [{ Key: 'team', Value: 'ml' }] }),
    )
  ).Policy!;
  t.equal(created.Arn, 'arn:aws:iam::000000000000:policy/ml/Artifacts');
  t.match(created.PolicyId, /^ANPA[A-Z2-7]{17}$/);
  t.equal(created.DefaultVersionId, 'v1');
  t.equal(created.AttachmentCount, 0);
  t.equal(created.IsAttachable, true);
  const arn = created.Arn!;

  const duplicate = await failure(iam.send(new CreatePolicyCommand({ PolicyName: 'artifacts', PolicyDocument: POLICY })));
  t.same(duplicate, { name: 'EntityAlreadyExistsException', message: 'A policy called artifacts already exists. Duplicate names are not allowed.', status: 409 });
  const malformed = await failure(iam.send(new CreatePolicyCommand({ PolicyName: 'bad', PolicyDocument: '{"Statement": 3}' })));
  t.equal(malformed.name, 'MalformedPolicyDocumentException');

  const got = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!;
  t.equal(got.Description, 'read models');
  t.same(got.Tags, [{ Key: 'team', Value: 'ml' }]);
  const v1 = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }))).PolicyVersion!;
  t.equal(v1.Document, encodeURIComponent(POLICY), 'documents come back URL-encoded');
  t.equal(v1.IsDefaultVersion, true);

  const second = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }] });
  const v2 = (await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: second, SetAsDefault: true }))).PolicyVersion!;
  t.equal(v2.VersionId, 'v2');
  t.equal(v2.IsDefaultVersion, true);
  t.same(
    (await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions!.map((v) => [v.VersionId, v.IsDefaultVersion]),
    [
      ['v2', true],
      ['v1', false],
    ],
    'newest first',
  );
  const conflict = await failure(iam.send(new DeletePolicyCommand({ PolicyArn: arn })));
  t.same(conflict, {
    name: 'DeleteConflictException',
    message: "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
    status: 409,
  });
  const deleteDefault = await failure(iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' })));
  t.same(deleteDefault, { name: 'DeleteConflictException', message: 'Cannot delete the default version of a policy.', status: 409 });
  await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
  await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }));
  for (let i = 0; i < 4; i++) await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: second }));
  const sixth = await failure(iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: second })));
  t.equal(sixth.name, 'LimitExceededException', 'at most five versions');
  t.same(
    (await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions!.map((v) => v.VersionId),
    ['v6', 'v5', 'v4', 'v3', 'v1'],
    'version numbers are never reused',
  );
  const missingVersion = await failure(iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' })));
  t.same(missingVersion, { name: 'NoSuchEntityException', message: `Policy ${arn} version v2 does not exist or is not attachable.`, status: 404 });

  await iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: [{ Key: 'TEAM', Value: 'data' }, { Key: 'env', Value: 'dev' }] }));
  t.same((await iam.send(new ListPolicyTagsCommand({ PolicyArn: arn }))).Tags, [
    { Key: 'TEAM', Value: 'data' },
    { Key: 'env', Value: 'dev' },
  ]);
  await iam.send(new UntagPolicyCommand({ PolicyArn: arn, TagKeys: ['team'] }));
  t.same((await iam.send(new ListPolicyTagsCommand({ PolicyArn: arn }))).Tags, [{ Key: 'env', Value: 'dev' }]);

  for (const version of ['v3', 'v4', 'v5', 'v6']) await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: version }));
  await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
  const gone = await failure(iam.send(new GetPolicyCommand({ PolicyArn: arn })));
  t.same(gone, { name: 'NoSuchEntityException', message: `Policy ${arn} does not exist or is not attachable.`, status: 404 });
});

t.test('attachments: AWS managed policies, counts, entities, and the conflicts they cause', async (t) => {
  await iam.send(new CreateRoleCommand({ RoleName: 'exec', Path: '/svc/', AssumeRolePolicyDocument: TRUST }));
  const roleId = (await iam.send(new GetRoleCommand({ RoleName: 'exec' }))).Role!.RoleId;
  const custom = (await iam.send(new CreatePolicyCommand({ PolicyName: 'custom', PolicyDocument: POLICY }))).Policy!.Arn!;
  const managed = 'arn:aws:iam::aws:policy/AmazonSageMakerFullAccess';

  const unknown = 'arn:aws:iam::aws:policy/NoSuchManagedPolicy';
  t.same(await failure(iam.send(new AttachRolePolicyCommand({ RoleName: 'exec', PolicyArn: unknown }))), {
    name: 'NoSuchEntityException',
    message: `Policy ${unknown} does not exist or is not attachable.`,
    status: 404,
  });
  const otherAccount = 'arn:aws:iam::111122223333:policy/custom';
  t.equal((await failure(iam.send(new AttachRolePolicyCommand({ RoleName: 'exec', PolicyArn: otherAccount })))).name, 'NoSuchEntityException');
  const wrongPath = 'arn:aws:iam::000000000000:policy/elsewhere/custom';
  t.equal((await failure(iam.send(new AttachRolePolicyCommand({ RoleName: 'exec', PolicyArn: wrongPath })))).name, 'NoSuchEntityException', 'the path is part of the ARN');

  await iam.send(new AttachRolePolicyCommand({ RoleName: 'exec', PolicyArn: managed }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'exec', PolicyArn: custom }));
  const aws = (await iam.send(new GetPolicyCommand({ PolicyArn: managed }))).Policy!;
  t.equal(aws.PolicyName, 'AmazonSageMakerFullAccess');
  t.equal(aws.AttachmentCount, 1, 'AWS managed policies count the attachments of the calling account');
  const document = JSON.parse(decodeURIComponent((await iam.send(new GetPolicyVersionCommand({ PolicyArn: managed, VersionId: aws.DefaultVersionId }))).PolicyVersion!.Document!));
  t.equal(document.Version, '2012-10-17');
  t.equal((await iam.send(new GetPolicyCommand({ PolicyArn: custom }))).Policy!.AttachmentCount, 1);
  const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: custom }));
  t.same(entities.PolicyRoles, [{ RoleName: 'exec', RoleId: roleId }]);
  t.same(entities.PolicyUsers, []);
  t.same(entities.PolicyGroups, []);

  const local = (await iam.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies!;
  t.same(local.map((p) => p.Arn), [custom]);
  const attached = (await iam.send(new ListPoliciesCommand({ OnlyAttached: true }))).Policies!;
  t.same(attached.map((p) => p.PolicyName), ['AmazonSageMakerFullAccess', 'custom']);
  const awsScope = (await iam.send(new ListPoliciesCommand({ Scope: 'AWS' }))).Policies!;
  t.ok(awsScope.some((p) => p.Arn === managed) && awsScope.every((p) => p.Arn!.startsWith('arn:aws:iam::aws:policy/')));

  t.same(await failure(iam.send(new DeletePolicyCommand({ PolicyArn: custom }))), {
    name: 'DeleteConflictException',
    message: 'Cannot delete a policy attached to entities.',
    status: 409,
  });
  t.equal((await failure(iam.send(new DeletePolicyCommand({ PolicyArn: managed })))).name, 'AccessDenied', 'AWS managed policies are read-only');
  await iam.send(new PutRolePolicyCommand({ RoleName: 'exec', PolicyName: 'inline', PolicyDocument: POLICY }));
  t.same(await failure(iam.send(new DeleteRoleCommand({ RoleName: 'exec' }))), {
    name: 'DeleteConflictException',
    message: 'Cannot delete entity, must delete policies first.',
    status: 409,
  });
  await iam.send(new DeleteRolePolicyCommand({ RoleName: 'exec', PolicyName: 'inline' }));
  t.same(await failure(iam.send(new DeleteRoleCommand({ RoleName: 'exec' }))), {
    name: 'DeleteConflictException',
    message: 'Cannot delete entity, must detach all policies first.',
    status: 409,
  });
  await iam.send(new DetachRolePolicyCommand({ RoleName: 'exec', PolicyArn: custom }));
  await iam.send(new DetachRolePolicyCommand({ RoleName: 'exec', PolicyArn: managed }));
  await iam.send(new DeletePolicyCommand({ PolicyArn: custom }));
  await iam.send(new DeleteRoleCommand({ RoleName: 'exec' }));
  const state = await endpoint.admin.state();
  t.same([state.roles, state.policies], [[], []], 'nothing left');
});

t.test('ListRoles pages by name', async (t) => {
  for (const name of ['c', 'a', 'b']) await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: TRUST }));
  const first = await iam.send(new ListRolesCommand({ MaxItems: 2 }));
  t.same(first.Roles!.map((r) => r.RoleName), ['a', 'b']);
  t.equal(first.IsTruncated, true);
  const second = await iam.send(new ListRolesCommand({ Marker: first.Marker }));
  t.same(second.Roles!.map((r) => r.RoleName), ['c']);
  t.equal(second.IsTruncated, false);
});

t.test('roles are kept per account', async (t) => {
  await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: TRUST }));
  const other = new IAMClient(awsClientConfig(endpoint.url, 'us-east-1', '111122223333'));
  t.teardown(() => other.destroy());
  t.equal((await failure(other.send(new GetRoleCommand({ RoleName: 'r' })))).name, 'NoSuchEntityException');
  const created = await other.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: TRUST }));
  t.equal(created.Role!.Arn, 'arn:aws:iam::111122223333:role/r');
});
