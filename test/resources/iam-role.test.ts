// aws_iam_role through the provider engine (plan, apply, read, import) against a scripted IAM (fake-iam.ts, whose
// listings come in pages of two): what CreateRole is sent, the policies put and attached, the state read back, what
// an update sends and nothing more, what a destroy detaches with and without force_detach_policies (as hashicorp/aws
// 5.100.0 does: test/differential/ compares the same through terraform), which errors are retried.
import t from 'tap';
import { completeObject } from '../../src/engine/schema';
import type { ProviderEngine } from '../../src/engine/lifecycle';
import type { AwsMeta } from '../../src/aws/meta';
import { CtyNumber, UNKNOWN, type ObjectValue, type Value } from '../../src/values/value';
import { FakeSageMaker, awsError, engineWith } from './fake-sagemaker';
import { FakeIam } from './fake-iam';

const ROLE = 'aws_iam_role';
const signal = new AbortController().signal;
// Written as the schema's state functions store them (the trust policy's keys sorted, an inline policy's Version
// first), so that what is sent and stored is the configured text.
const TRUST = '{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"}}],"Version":"2012-10-17"}';
const TRUST_ACCOUNT = '{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"}}],"Version":"2012-10-17"}';
const policy = (action: string) => `{"Version":"2012-10-17","Statement":[{"Action":"${action}","Effect":"Allow","Resource":"*"}]}`;
const managed = (name: string) => `arn:aws:iam::aws:policy/${name}`;
const BOUNDARY = 'arn:aws:iam::123456789012:policy/boundary';
const num = (v: Value) => (v instanceof CtyNumber ? v.toNumber() : v);

async function setUp(defaultTags: Record<string, string> = {}) {
  const iam = new FakeIam();
  const engine = await engineWith(new FakeSageMaker(), defaultTags, iam);
  return { iam, engine };
}

const configOf = (engine: ProviderEngine<AwsMeta>, values: ObjectValue) => completeObject(engine.resource(ROLE).schema.block, values);

async function create(engine: ProviderEngine<AwsMeta>, values: ObjectValue) {
  const config = configOf(engine, values);
  const plan = engine.planResourceChange(ROLE, null, config, config, signal);
  const applied = plan.planned ? await engine.applyResourceChange(ROLE, null, plan.planned, config, signal) : undefined;
  return { config, plan, applied };
}

/** Plan and apply `values` over `state`: the calls made, the new state. */
async function change(engine: ProviderEngine<AwsMeta>, iam: FakeIam, state: ObjectValue, values: ObjectValue) {
  const config = configOf(engine, values);
  const plan = engine.planResourceChange(ROLE, state, config, config, signal);
  iam.calls.length = 0;
  const applied = await engine.applyResourceChange(ROLE, state, plan.planned, config, signal);
  return { plan, applied, calls: iam.calls.map((c) => [c.operation, c.input.PolicyName ?? c.input.PolicyArn ?? c.input.Description ?? c.input.MaxSessionDuration ?? c.input.PermissionsBoundary ?? c.input.TagKeys ?? c.input.Tags ?? c.input.PolicyDocument ?? c.input.RoleName]) };
}

async function destroy(engine: ProviderEngine<AwsMeta>, iam: FakeIam, state: ObjectValue) {
  iam.calls.length = 0;
  const applied = await engine.applyResourceChange(ROLE, state, null, null, signal);
  return { applied, calls: iam.calls.map((c) => [c.operation, c.input.PolicyName ?? c.input.PolicyArn ?? c.input.InstanceProfileName ?? c.input.Marker ?? null]) };
}

const INLINE = [
  { name: 'a', policy: policy('s3:GetObject') },
  { name: 'b', policy: policy('s3:PutObject') },
  { name: 'c', policy: policy('s3:ListBucket') },
];
const MANAGED = [managed('One'), managed('Two'), managed('Three')];

t.test('create: what CreateRole is sent, every policy put and attached, every page read back', async (t) => {
  const { iam, engine } = await setUp({ Team: 'ml', Name: 'default' });
  const { plan, applied } = await create(engine, {
    name: 'exec',
    path: '/svc/',
    // Formatted otherwise: stored (and sent) as the schema's state function writes it.
    assume_role_policy: JSON.stringify(JSON.parse(TRUST), null, 2),
    description: 'runs models',
    max_session_duration: CtyNumber.of(7200),
    permissions_boundary: BOUNDARY,
    inline_policy: INLINE,
    managed_policy_arns: MANAGED,
    tags: { Name: 'exec' },
  });
  t.same(plan.diagnostics.filter((d) => d.severity === 'error'), []);
  t.equal(plan.planned!.arn, UNKNOWN);
  t.same(applied!.diagnostics, []);
  t.same(iam.calls[0], {
    operation: 'CreateRole',
    input: {
      RoleName: 'exec',
      Path: '/svc/',
      AssumeRolePolicyDocument: TRUST,
      Description: 'runs models',
      MaxSessionDuration: 7200,
      PermissionsBoundary: BOUNDARY,
      Tags: [{ Key: 'Team', Value: 'ml' }, { Key: 'Name', Value: 'exec' }],
    },
  });
  t.same(iam.operations(), [
    'CreateRole',
    'PutRolePolicy', 'PutRolePolicy', 'PutRolePolicy',
    'AttachRolePolicy', 'AttachRolePolicy', 'AttachRolePolicy',
    'GetRole',
    'ListRolePolicies', 'ListRolePolicies', 'GetRolePolicy', 'GetRolePolicy', 'GetRolePolicy',
    'ListAttachedRolePolicies', 'ListAttachedRolePolicies',
  ], 'created, its policies put and attached, then read back page by page');
  t.same([...iam.roles.get('exec')!.inline], INLINE.map((p) => [p.name, p.policy]));
  t.same(iam.roles.get('exec')!.attached, MANAGED);

  const state = applied!.state!;
  t.match(state, {
    id: 'exec',
    name: 'exec',
    name_prefix: '',
    arn: 'arn:aws:iam::123456789012:role/svc/exec',
    unique_id: 'AROAEXECXXXXXXXXXXXXX'.slice(0, 21),
    create_date: '2026-01-02T03:04:05Z',
    path: '/svc/',
    description: 'runs models',
    permissions_boundary: BOUNDARY,
    force_detach_policies: false,
    assume_role_policy: TRUST,
  });
  t.equal(num(state.max_session_duration), 7200);
  t.same(state.inline_policy, INLINE);
  t.same(state.managed_policy_arns, MANAGED, 'every page of the attached policies');
  t.same(state.tags_all, { Team: 'ml', Name: 'exec' });

  const read = await engine.readResource(ROLE, state, signal);
  t.same(read.diagnostics, []);
  t.same(read.state, state, 'a refresh reads the same state');
  const config = configOf(engine, { name: 'exec', path: '/svc/', assume_role_policy: TRUST, description: 'runs models', max_session_duration: CtyNumber.of(7200), permissions_boundary: BOUNDARY, inline_policy: [...INLINE].reverse(), managed_policy_arns: [...MANAGED].reverse(), tags: { Name: 'exec' } });
  t.equal(engine.planResourceChange(ROLE, state, config, config, signal).planned, state, 'the same role, its policies in another order and formatted otherwise: no change');
});

t.test('create: a generated name from name_prefix; nothing unset is sent; the defaults read back', async (t) => {
  const { iam, engine } = await setUp();
  const { plan, applied } = await create(engine, { name_prefix: 'app-', assume_role_policy: TRUST });
  t.equal(plan.planned!.name, UNKNOWN, 'the name is known after apply');
  t.same(applied!.diagnostics, []);
  const sent = iam.calls[0].input;
  t.match(sent.RoleName, /^app-\d{18}[0-9a-f]{8}$/);
  t.same(sent, { RoleName: sent.RoleName, Path: '/', AssumeRolePolicyDocument: TRUST, Description: undefined, MaxSessionDuration: 3600, PermissionsBoundary: undefined, Tags: undefined });
  t.same(iam.operations(), ['CreateRole', 'GetRole', 'ListRolePolicies', 'ListAttachedRolePolicies'], 'no policy to put or attach');
  const state = applied!.state!;
  t.match(state, { id: sent.RoleName, name: sent.RoleName, name_prefix: 'app-', path: '/', description: '', permissions_boundary: '' });
  t.equal(num(state.max_session_duration), 3600);
  t.same(state.inline_policy, []);
  t.same(state.managed_policy_arns, []);
  t.same(state.tags_all, {});
});

t.test('create: IAM not knowing a principal yet is retried; another malformed policy is not; a lost answer adopted; a name in use reported', async (t) => {
  const { iam, engine } = await setUp();
  iam.failures.set('CreateRole', [awsError('MalformedPolicyDocument', 'Invalid principal in policy: "SERVICE":"new.amazonaws.com"')]);
  const retried = await create(engine, { name: 'later', assume_role_policy: TRUST });
  t.same(retried.applied!.diagnostics, []);
  t.equal(iam.operations().filter((o) => o === 'CreateRole').length, 2, 'created at the second attempt');

  iam.calls.length = 0;
  iam.failures.set('CreateRole', [awsError('MalformedPolicyDocument', 'Syntax errors in policy.')]);
  const malformed = await create(engine, { name: 'bad', assume_role_policy: TRUST });
  t.equal(iam.operations().filter((o) => o === 'CreateRole').length, 1, 'a policy that is wrong is not retried');
  t.match(malformed.applied!.diagnostics, [{ severity: 'error', summary: /^creating IAM Role \(bad\): .*CreateRole.*MalformedPolicyDocument: Syntax errors in policy\.$/ }]);
  t.equal(malformed.applied!.state, null, 'nothing created: nothing in the state');

  iam.calls.length = 0;
  const taken = await create(engine, { name: 'later', assume_role_policy: TRUST });
  t.equal(iam.operations().filter((o) => o === 'CreateRole').length, 1, 'a name in use is not retried');
  t.match(taken.applied!.diagnostics, [{ summary: /^creating IAM Role \(later\): .*EntityAlreadyExists: Role with name later already exists\.$/ }]);
  t.equal(taken.applied!.state, null);

  // The SDK retried CreateRole after a lost answer: IAM had created the role at the first attempt.
  const lost = Object.assign(awsError('EntityAlreadyExists', 'Role with name later already exists.'), { $metadata: { httpStatusCode: 409, requestId: 'r', attempts: 2 } });
  iam.failures.set('CreateRole', [lost]);
  const adopted = await create(engine, { name: 'later', assume_role_policy: TRUST, managed_policy_arns: [managed('One')] });
  t.same(adopted.applied!.diagnostics, []);
  t.match(adopted.applied!.state, { id: 'later', arn: 'arn:aws:iam::123456789012:role/later' }, 'its own role read back');
  t.same(adopted.applied!.state!.managed_policy_arns, [managed('One')], 'and its policies attached');
});

t.test('create: a failed read-back keeps what was created in the state', async (t) => {
  const { iam, engine } = await setUp();
  iam.failures.set('GetRole', [awsError('AccessDenied', 'not allowed')]);
  const { applied } = await create(engine, { name: 'made', assume_role_policy: TRUST });
  t.match(applied!.diagnostics, [{ summary: /^reading IAM Role \(made\): .*GetRole.*AccessDenied: not allowed$/ }]);
  t.match(applied!.state, { id: 'made', name: 'made', assume_role_policy: TRUST }, 'the role exists: it stays in the state');
  t.ok(iam.roles.has('made'));

  // A role not readable yet (eventual consistency) is read again.
  iam.failures.set('GetRole', [awsError('NoSuchEntity', 'The role with name soon cannot be found.')]);
  const soon = await create(engine, { name: 'soon', assume_role_policy: TRUST });
  t.same(soon.applied!.diagnostics, []);
  t.match(soon.applied!.state, { arn: 'arn:aws:iam::123456789012:role/soon' });
});

t.test('read: what changed outside is tracked; equivalent policy text is kept; a role gone leaves the state; another error keeps it', async (t) => {
  const { iam, engine } = await setUp();
  const { applied } = await create(engine, { name: 'r', assume_role_policy: TRUST, inline_policy: [INLINE[0]], tags: { A: '1' } });
  const state = applied!.state!;
  const remote = iam.roles.get('r')!;
  remote.inline.set('outside', policy('ec2:*'));
  remote.attached.push(managed('Outside'));
  remote.Tags.push({ Key: 'B', Value: '2' });
  remote.Description = 'set elsewhere';
  const read = (await engine.readResource(ROLE, state, signal)).state!;
  t.same(read.inline_policy, [INLINE[0], { name: 'outside', policy: policy('ec2:*') }], 'an inline policy put outside appears');
  t.same(read.managed_policy_arns, [managed('Outside')], 'an attached policy too');
  t.same(read.tags_all, { A: '1', B: '2' });
  t.equal(read.description, 'set elsewhere');
  t.equal(read.assume_role_policy, TRUST);

  // IAM's own formatting of the same trust policy keeps the stored text; another policy replaces it.
  remote.AssumeRolePolicyDocument = encodeURIComponent(JSON.stringify(JSON.parse(TRUST), null, 4));
  t.equal((await engine.readResource(ROLE, state, signal)).state!.assume_role_policy, TRUST, 'the same policy: the stored text');
  remote.AssumeRolePolicyDocument = encodeURIComponent(JSON.stringify(JSON.parse(TRUST_ACCOUNT), null, 4));
  t.equal((await engine.readResource(ROLE, state, signal)).state!.assume_role_policy, TRUST_ACCOUNT, 'another policy: what IAM has (normalised)');

  iam.failures.set('GetRole', [awsError('ServiceFailure', 'oops')]);
  const failed = await engine.readResource(ROLE, state, signal);
  t.match(failed.diagnostics, [{ summary: /^reading IAM Role \(r\): .*ServiceFailure: oops$/ }]);
  t.equal(failed.state, state, 'the state is kept as it was');
  iam.roles.delete('r');
  const gone = await engine.readResource(ROLE, state, signal);
  t.same(gone.diagnostics, []);
  t.equal(gone.state, null, 'a role deleted outside leaves the state');
});

t.test('update: each argument changed sends its own call, and nothing else', async (t) => {
  const { iam, engine } = await setUp();
  const base = { name: 'u', assume_role_policy: TRUST, description: 'one', max_session_duration: CtyNumber.of(3600), permissions_boundary: BOUNDARY, inline_policy: INLINE, managed_policy_arns: MANAGED.slice(0, 2), tags: { A: '1', B: '2' } };
  let state = (await create(engine, base)).applied!.state!;
  const reads = ['GetRole', 'ListRolePolicies', 'ListRolePolicies', 'GetRolePolicy', 'GetRolePolicy', 'GetRolePolicy', 'ListAttachedRolePolicies'];
  const after = (calls: unknown[][]) => calls.filter((c) => !reads.includes(c[0] as string));

  let step = await change(engine, iam, state, { ...base, description: 'two' });
  t.same(step.applied.diagnostics, []);
  t.same(after(step.calls), [['UpdateRoleDescription', 'two']], 'the description');
  t.equal(step.applied.state!.description, 'two');
  state = step.applied.state!;

  step = await change(engine, iam, state, { ...base, description: null, max_session_duration: CtyNumber.of(7200) });
  t.same(after(step.calls), [['UpdateRoleDescription', ''], ['UpdateRole', 7200]], 'a description removed is set to "", the session duration');
  t.equal(num(step.applied.state!.max_session_duration), 7200);
  state = step.applied.state!;

  const trust2 = TRUST_ACCOUNT;
  step = await change(engine, iam, state, { ...base, description: null, max_session_duration: CtyNumber.of(7200), assume_role_policy: trust2, permissions_boundary: null });
  t.same(after(step.calls), [['UpdateAssumeRolePolicy', trust2], ['DeleteRolePermissionsBoundary', 'u']], 'the trust policy; the boundary removed');
  t.equal(step.applied.state!.permissions_boundary, '');
  t.equal(iam.roles.get('u')!.PermissionsBoundary, undefined);
  state = step.applied.state!;

  const current = { ...base, description: null, max_session_duration: CtyNumber.of(7200), assume_role_policy: trust2, permissions_boundary: null };
  step = await change(engine, iam, state, { ...current, permissions_boundary: BOUNDARY });
  t.same(after(step.calls), [['PutRolePermissionsBoundary', BOUNDARY]], 'a boundary set');
  state = step.applied.state!;

  // b changed, c removed, d added; One kept, Two detached, Three attached.
  const inline = [INLINE[0], { name: 'b', policy: policy('s3:DeleteObject') }, { name: 'd', policy: policy('sqs:*') }];
  step = await change(engine, iam, state, { ...current, permissions_boundary: BOUNDARY, inline_policy: inline, managed_policy_arns: [MANAGED[0], MANAGED[2]] });
  t.same(after(step.calls), [
    ['DeleteRolePolicy', 'b'],
    ['DeleteRolePolicy', 'c'],
    ['PutRolePolicy', 'b'],
    ['PutRolePolicy', 'd'],
    ['DetachRolePolicy', MANAGED[1]],
    ['AttachRolePolicy', MANAGED[2]],
  ], 'what is in one set and not in the other');
  t.same([...iam.roles.get('u')!.inline], inline.map((p) => [p.name, p.policy]));
  t.same(iam.roles.get('u')!.attached, [MANAGED[0], MANAGED[2]]);
  state = step.applied.state!;

  step = await change(engine, iam, state, { ...current, permissions_boundary: BOUNDARY, inline_policy: inline, managed_policy_arns: [MANAGED[0], MANAGED[2]], tags: { A: '1', C: '3' } });
  t.same(after(step.calls), [['UntagRole', ['B']], ['TagRole', [{ Key: 'C', Value: '3' }]]], 'tags in place');
  t.same(step.applied.state!.tags_all, { A: '1', C: '3' });
  state = step.applied.state!;

  iam.failures.set('UpdateRoleDescription', [awsError('AccessDenied', 'no')]);
  step = await change(engine, iam, state, { ...current, description: 'three', permissions_boundary: BOUNDARY, inline_policy: inline, managed_policy_arns: [MANAGED[0], MANAGED[2]], tags: { A: '1', C: '3' } });
  t.match(step.applied.diagnostics, [{ summary: /^updating IAM Role \(u\): .*UpdateRoleDescription.*AccessDenied: no$/ }]);
});

t.test('delete: with managed_policy_arns and without force_detach_policies, every attached policy is detached (outside ones too) and the inline policies deleted', async (t) => {
  const { iam, engine } = await setUp();
  const { applied } = await create(engine, { name: 'd', assume_role_policy: TRUST, managed_policy_arns: [MANAGED[0]] });
  const remote = iam.roles.get('d')!;
  remote.attached.push(MANAGED[1], MANAGED[2]);
  remote.inline.set('outside', policy('ec2:*'));
  remote.profiles.push('p1', 'p2', 'p3');
  // The refresh before the destroy sees what was added outside, as terraform destroy refreshes first.
  const state = (await engine.readResource(ROLE, applied!.state!, signal)).state!;
  t.equal(state.force_detach_policies, false);
  const { applied: deleted, calls } = await destroy(engine, iam, state);
  t.same(deleted.diagnostics, []);
  t.equal(deleted.state, null);
  t.same(calls, [
    ['ListInstanceProfilesForRole', null],
    ['ListInstanceProfilesForRole', '2'],
    ['RemoveRoleFromInstanceProfile', 'p1'],
    ['RemoveRoleFromInstanceProfile', 'p2'],
    ['RemoveRoleFromInstanceProfile', 'p3'],
    ['ListAttachedRolePolicies', null],
    ['ListAttachedRolePolicies', '2'],
    ['DetachRolePolicy', MANAGED[0]],
    ['DetachRolePolicy', MANAGED[1]],
    ['DetachRolePolicy', MANAGED[2]],
    ['ListRolePolicies', null],
    ['DeleteRolePolicy', 'outside'],
    ['DeleteRole', null],
  ], 'every page listed, everything removed, then DeleteRole at once');
  t.notOk(iam.roles.has('d'));
});

t.test('delete: without managed or inline policies in the state and without force_detach_policies, no policy is listed or detached', async (t) => {
  const { iam, engine } = await setUp();
  const state = (await create(engine, { name: 'plain', assume_role_policy: TRUST })).applied!.state!;
  // Attached by another resource (aws_iam_role_policy_attachment) and detached by it before the role goes.
  iam.roles.get('plain')!.attached.push(MANAGED[0]);
  iam.failures.set('DeleteRole', [awsError('DeleteConflict', 'Cannot delete entity, must detach all policies first.')]);
  const deleting = destroy(engine, iam, state);
  iam.roles.get('plain')!.attached.length = 0;
  const { applied, calls } = await deleting;
  t.same(applied.diagnostics, []);
  t.same(calls, [['ListInstanceProfilesForRole', null], ['DeleteRole', null], ['DeleteRole', null]], 'what another resource attached is not detached; the conflict is waited out');
});

t.test('delete: force_detach_policies removes what the state does not know of', async (t) => {
  const { iam, engine } = await setUp();
  const state = (await create(engine, { name: 'f', assume_role_policy: TRUST, force_detach_policies: true })).applied!.state!;
  t.equal(state.force_detach_policies, true);
  iam.roles.get('f')!.attached.push(MANAGED[0]);
  iam.roles.get('f')!.inline.set('x', policy('ec2:*'));
  const { applied, calls } = await destroy(engine, iam, state);
  t.same(applied.diagnostics, []);
  t.same(calls, [['ListInstanceProfilesForRole', null], ['ListAttachedRolePolicies', null], ['DetachRolePolicy', MANAGED[0]], ['ListRolePolicies', null], ['DeleteRolePolicy', 'x'], ['DeleteRole', null]]);
  t.notOk(iam.roles.has('f'));
});

t.test('delete: a role already gone is no error; another error keeps the state', async (t) => {
  const { iam, engine } = await setUp();
  const state = (await create(engine, { name: 'g', assume_role_policy: TRUST })).applied!.state!;
  iam.failures.set('DeleteRole', [awsError('AccessDenied', 'no')]);
  const denied = await destroy(engine, iam, state);
  t.match(denied.applied.diagnostics, [{ summary: /^deleting IAM Role \(g\): .*DeleteRole.*AccessDenied: no$/ }]);
  t.same(denied.applied.state, state, 'a failed delete keeps the state');
  iam.roles.delete('g');
  const gone = await destroy(engine, iam, state);
  t.same(gone.applied.diagnostics, [], 'already gone');
  t.equal(gone.applied.state, null);
});

t.test('import: the name is the id, force_detach_policies false, the rest read', async (t) => {
  const { engine } = await setUp();
  await create(engine, { name: 'imported', assume_role_policy: TRUST, force_detach_policies: true, managed_policy_arns: [managed('One')], tags: { A: '1' } });
  const imported = engine.importResourceState(ROLE, 'imported', signal);
  t.match(imported.state, { id: 'imported', force_detach_policies: false });
  const read = (await engine.readResource(ROLE, imported.state!, signal)).state!;
  t.match(read, { id: 'imported', name: 'imported', force_detach_policies: false, arn: 'arn:aws:iam::123456789012:role/imported', tags_all: { A: '1' } });
  t.same(read.managed_policy_arns, [managed('One')]);
  t.equal(read.assume_role_policy, TRUST);
});
