// aws_iam_role against the scripted IAM at its edges: what IAM may leave out of its answers, the errors a create,
// update or delete retries, skips or reports (with the operation that failed), and a role gone during an update.
import t from 'tap';
import { completeObject } from '../../src/engine/schema';
import type { ProviderEngine } from '../../src/engine/lifecycle';
import type { AwsMeta } from '../../src/aws/meta';
import { CtyNumber, type ObjectValue, type Value } from '../../src/values/value';
import { FakeSageMaker, awsError, engineWith } from './fake-sagemaker';
import { FakeIam } from './fake-iam';

const ROLE = 'aws_iam_role';
const signal = new AbortController().signal;
const TRUST = '{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"}}],"Version":"2012-10-17"}';
const TRUST_ACCOUNT = '{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"}}],"Version":"2012-10-17"}';
const POLICY = '{"Version":"2012-10-17","Statement":[{"Action":"s3:GetObject","Effect":"Allow","Resource":"*"}]}';
const MANAGED = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const num = (v: Value) => (v instanceof CtyNumber ? v.toNumber() : v);

async function setUp() {
  const iam = new FakeIam();
  const engine = await engineWith(new FakeSageMaker(), {}, iam);
  return { iam, engine };
}

const configOf = (engine: ProviderEngine<AwsMeta>, values: ObjectValue) => completeObject(engine.resource(ROLE).schema.block, values);

async function create(engine: ProviderEngine<AwsMeta>, values: ObjectValue) {
  const config = configOf(engine, values);
  const plan = engine.planResourceChange(ROLE, null, config, config, signal);
  return engine.applyResourceChange(ROLE, null, plan.planned, config, signal);
}

async function update(engine: ProviderEngine<AwsMeta>, state: ObjectValue, values: ObjectValue) {
  const config = configOf(engine, values);
  const plan = engine.planResourceChange(ROLE, state, config, config, signal);
  return engine.applyResourceChange(ROLE, state, plan.planned, config, signal);
}

t.test('read: what IAM leaves out of GetRole is stored as SDKv2 stores it', async (t) => {
  const { iam, engine } = await setUp();
  const state = (await create(engine, { name: 'sparse', assume_role_policy: TRUST, inline_policy: [{ name: 'p', policy: POLICY }] })).state!;
  const remote = iam.roles.get('sparse')! as unknown as Record<string, unknown>;
  for (const field of ['Path', 'Description', 'MaxSessionDuration', 'CreateDate', 'PermissionsBoundary']) remote[field] = undefined;
  remote.Tags = [{ Key: 'kept', Value: 'v' }, { Value: 'no key' }, { Key: 'empty' }];
  const read = (await engine.readResource(ROLE, state, signal)).state!;
  t.match(read, { path: '/', description: '', permissions_boundary: '', create_date: null });
  t.equal(num(read.max_session_duration), 3600, 'the API\'s default session duration');
  t.same(read.tags_all, { kept: 'v', empty: '' }, 'a tag without a key is dropped, one without a value is ""');
});

t.test('create: a concurrent modification is retried', async (t) => {
  const { iam, engine } = await setUp();
  iam.failures.set('CreateRole', [awsError('ConcurrentModification', 'Rate exceeded for the role.')]);
  const created = await create(engine, { name: 'busy', assume_role_policy: TRUST });
  t.same(created.diagnostics, []);
  t.equal(iam.operations().filter((o) => o === 'CreateRole').length, 2);
});

t.test('update: a trust policy naming a principal IAM does not know yet is retried; another error is reported with its operation', async (t) => {
  const { iam, engine } = await setUp();
  const state = (await create(engine, { name: 'u', assume_role_policy: TRUST, tags: { a: '1' } })).state!;
  iam.failures.set('UpdateAssumeRolePolicy', [awsError('MalformedPolicyDocument', 'Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:root"')]);
  const retried = await update(engine, state, { name: 'u', assume_role_policy: TRUST_ACCOUNT, tags: { a: '1' } });
  t.same(retried.diagnostics, []);
  t.equal(iam.operations().filter((o) => o === 'UpdateAssumeRolePolicy').length, 2);
  const next = retried.state!;

  iam.failures.set('UpdateRole', [awsError('LimitExceeded', 'too long')]);
  t.match((await update(engine, next, { name: 'u', assume_role_policy: TRUST_ACCOUNT, max_session_duration: CtyNumber.of(7200), tags: { a: '1' } })).diagnostics, [
    { summary: /^updating IAM Role \(u\): operation error IAM: UpdateRole, .*LimitExceeded: too long$/ },
  ]);
  iam.failures.set('PutRolePermissionsBoundary', [awsError('AccessDenied', 'no')]);
  t.match((await update(engine, next, { name: 'u', assume_role_policy: TRUST_ACCOUNT, permissions_boundary: 'arn:aws:iam::123456789012:policy/b', tags: { a: '1' } })).diagnostics, [
    { summary: /^updating IAM Role \(u\): operation error IAM: PutRolePermissionsBoundary, .*AccessDenied: no$/ },
  ]);
  iam.failures.set('UntagRole', [awsError('AccessDenied', 'no untag')]);
  t.match((await update(engine, next, { name: 'u', assume_role_policy: TRUST_ACCOUNT, tags: {} })).diagnostics, [
    { summary: /^updating tags of IAM Role \(u\): operation error IAM: UntagRole, .*AccessDenied: no untag$/ },
  ], 'the tag removal names UntagRole');
  iam.failures.set('TagRole', [awsError('AccessDenied', 'no tag')]);
  t.match((await update(engine, next, { name: 'u', assume_role_policy: TRUST_ACCOUNT, tags: { a: '1', b: '2' } })).diagnostics, [
    { summary: /^updating tags of IAM Role \(u\): operation error IAM: TagRole, .*AccessDenied: no tag$/ },
  ], 'the tag addition names TagRole');
});

t.test('update: a role deleted during the update is an error', async (t) => {
  const { iam, engine } = await setUp();
  const state = (await create(engine, { name: 'gone', assume_role_policy: TRUST, description: 'one' })).state!;
  const config = configOf(engine, { name: 'gone', assume_role_policy: TRUST, description: 'two' });
  const plan = engine.planResourceChange(ROLE, state, config, config, signal);
  // The description is updated, then the role disappears before it is read back.
  const send = iam.send.bind(iam);
  iam.send = async (command) => {
    const answer = await send(command);
    if (command.constructor.name === 'UpdateRoleDescriptionCommand') iam.roles.delete('gone');
    return answer;
  };
  const applied = await engine.applyResourceChange(ROLE, state, plan.planned, config, signal);
  t.match(applied.diagnostics, [{ summary: /^updating IAM Role \(gone\): operation error IAM: GetRole, role not found$/ }]);
});

t.test('delete: what is already gone is skipped; another error fails the delete and keeps the state', async (t) => {
  const { iam, engine } = await setUp();
  const state = (await create(engine, { name: 'd', assume_role_policy: TRUST, managed_policy_arns: [MANAGED], inline_policy: [{ name: 'p', policy: POLICY }] })).state!;
  iam.roles.get('d')!.profiles.push('profile');
  // Each clean-up call finds its item gone (removed by someone else in between): nothing to do.
  const gone = (what: string) => awsError('NoSuchEntity', `${what} cannot be found.`);
  iam.failures.set('RemoveRoleFromInstanceProfile', [gone('The instance profile')]);
  iam.failures.set('DetachRolePolicy', [gone('The policy')]);
  iam.failures.set('DeleteRolePolicy', [gone('The role policy')]);
  const send = iam.send.bind(iam);
  iam.send = async (command) => {
    // The fake holds them still: what the failure says is gone is taken away before DeleteRole.
    if (command.constructor.name === 'DeleteRoleCommand') Object.assign(iam.roles.get('d')!, { profiles: [], attached: [], inline: new Map() });
    return send(command);
  };
  const deleted = await engine.applyResourceChange(ROLE, state, null, null, signal);
  t.same(deleted.diagnostics, []);
  t.equal(deleted.state, null);

  const { iam: iam2, engine: engine2 } = await setUp();
  const kept = (await create(engine2, { name: 'k', assume_role_policy: TRUST, managed_policy_arns: [MANAGED] })).state!;
  iam2.failures.set('DetachRolePolicy', [awsError('AccessDenied', 'not yours')]);
  const denied = await engine2.applyResourceChange(ROLE, kept, null, null, signal);
  t.match(denied.diagnostics, [{ summary: /^deleting IAM Role \(k\): operation error IAM: DeleteRole, .*AccessDenied: not yours$/ }]);
  t.same(denied.state, kept);
  t.ok(iam2.roles.has('k'), 'the role is still there');
});

t.test('every error names IAM and the operation that failed', async (t) => {
  const { iam, engine } = await setUp();
  const prefix = (action: string, name: string, operation: string) => new RegExp(`^${action} IAM Role \\(${name}\\): operation error IAM: ${operation}, https response error StatusCode: 400, RequestID: req-1, api error AccessDenied: no$`);
  const denied = (operation: string) => iam.failures.set(operation, [awsError('AccessDenied', 'no')]);
  denied('CreateRole');
  t.match((await create(engine, { name: 'c', assume_role_policy: TRUST })).diagnostics, [{ summary: prefix('creating', 'c', 'CreateRole') }]);
  denied('GetRole');
  t.match((await create(engine, { name: 'r', assume_role_policy: TRUST })).diagnostics, [{ summary: prefix('reading', 'r', 'GetRole') }], 'the read-back');
  const state = (await create(engine, { name: 'e', assume_role_policy: TRUST, description: 'one' })).state!;
  denied('GetRole');
  t.match((await engine.readResource(ROLE, state, signal)).diagnostics, [{ summary: prefix('reading', 'e', 'GetRole') }], 'a refresh');
  denied('UpdateAssumeRolePolicy');
  t.match((await update(engine, state, { name: 'e', assume_role_policy: TRUST_ACCOUNT, description: 'one' })).diagnostics, [{ summary: prefix('updating', 'e', 'UpdateAssumeRolePolicy') }]);
  denied('UpdateRoleDescription');
  t.match((await update(engine, state, { name: 'e', assume_role_policy: TRUST, description: 'two' })).diagnostics, [{ summary: prefix('updating', 'e', 'UpdateRoleDescription') }]);
  const bounded = (await update(engine, state, { name: 'e', assume_role_policy: TRUST, description: 'one', permissions_boundary: 'arn:aws:iam::123456789012:policy/b' })).state!;
  denied('DeleteRolePermissionsBoundary');
  t.match((await update(engine, bounded, { name: 'e', assume_role_policy: TRUST, description: 'one' })).diagnostics, [{ summary: prefix('updating', 'e', 'DeleteRolePermissionsBoundary') }]);
  denied('DeleteRole');
  t.match((await engine.applyResourceChange(ROLE, state, null, null, signal)).diagnostics, [{ summary: prefix('deleting', 'e', 'DeleteRole') }]);
});

t.test('update: only the calls a change needs (tags added only, removed only, a description or boundary left out; an inline policy renamed)', async (t) => {
  const { iam, engine } = await setUp();
  const base = { name: 'o', assume_role_policy: TRUST, tags: { a: '1' }, inline_policy: [{ name: 'p', policy: POLICY }] };
  let state = (await create(engine, base)).state!;
  const writes = () => iam.operations().filter((o) => !/^(Get|List)/.test(o));
  iam.calls.length = 0;
  state = (await update(engine, state, { ...base, tags: { a: '1', b: '2' } })).state!;
  t.same(writes(), ['TagRole'], 'a tag added: no UntagRole');
  iam.calls.length = 0;
  state = (await update(engine, state, { ...base, tags: { a: '1' } })).state!;
  t.same(writes(), ['UntagRole'], 'a tag removed: no TagRole');
  iam.calls.length = 0;
  state = (await update(engine, state, { ...base, assume_role_policy: TRUST_ACCOUNT })).state!;
  t.same(writes(), ['UpdateAssumeRolePolicy'], 'no description nor boundary in the configuration or the state: neither is touched');
  iam.calls.length = 0;
  state = (await update(engine, state, { ...base, assume_role_policy: TRUST_ACCOUNT, inline_policy: [{ name: 'q', policy: POLICY }] })).state!;
  t.same(iam.calls.filter((c) => /RolePolicy$/.test(c.operation) && !c.operation.startsWith('Get')).map((c) => [c.operation, c.input.PolicyName]), [['DeleteRolePolicy', 'p'], ['PutRolePolicy', 'q']], 'the same document under another name');
  t.same([...iam.roles.get('o')!.inline.keys()], ['q']);
});

t.test('read: inline policies as the state holds them: [] stays [], a document IAM writes otherwise but means the same keeps the configured text', async (t) => {
  const { iam, engine } = await setUp();
  const plain = (await create(engine, { name: 'n', assume_role_policy: TRUST })).state!;
  t.same((await engine.readResource(ROLE, plain, signal)).state!.inline_policy, []);
  const state = (await create(engine, { name: 'i', assume_role_policy: TRUST, inline_policy: [{ name: 'p', policy: POLICY }] })).state!;
  iam.roles.get('i')!.inline.set('p', '{"Version":"2012-10-17","Statement":[{"Action":["s3:GetObject"],"Effect":"Allow","Resource":["*"]}]}');
  t.same((await engine.readResource(ROLE, state, signal)).state!.inline_policy, [{ name: 'p', policy: POLICY }]);
});

t.test('reads can be cancelled: every read call carries the operation\'s signal', async (t) => {
  const { iam, engine } = await setUp();
  const state = (await create(engine, { name: 's', assume_role_policy: TRUST, inline_policy: [{ name: 'p', policy: POLICY }] })).state!;
  iam.calls.length = 0;
  await engine.readResource(ROLE, state, signal);
  const reads = iam.calls.filter((c) => /^(Get|List)/.test(c.operation));
  t.same(reads.map((c) => c.operation), ['GetRole', 'ListRolePolicies', 'GetRolePolicy', 'ListAttachedRolePolicies']);
  t.ok(reads.every((c) => c.abortSignal instanceof AbortSignal), 'each with a signal');
});

t.test('read: a state without force_detach_policies (one imported from elsewhere) reads it as false, its default', async (t) => {
  const { engine } = await setUp();
  const state = (await create(engine, { name: 'f', assume_role_policy: TRUST, force_detach_policies: true })).state!;
  t.equal((await engine.readResource(ROLE, state, signal)).state!.force_detach_policies, true, 'as the state holds it');
  t.equal((await engine.readResource(ROLE, { ...state, force_detach_policies: null }, signal)).state!.force_detach_policies, false);
});
