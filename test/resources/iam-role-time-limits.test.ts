// How long aws_iam_role waits out IAM's eventual consistency: as hashicorp/aws 5.100.0 (its IAM propagationTimeout),
// each retried call (CreateRole while a principal is unknown, the read-back while the new role is not found,
// UpdateAssumeRolePolicy, DeleteRole while something is still attached) is retried for up to two minutes, then the
// last error is reported. On the fast clock (test/support/resources-clock.ts): no real time passes.
import t, { type Test } from 'tap';
import { completeObject } from '../../src/engine/schema';
import type { ProviderEngine } from '../../src/engine/lifecycle';
import type { AwsMeta } from '../../src/aws/meta';
import type { ObjectValue } from '../../src/values/value';
import { FakeSageMaker, awsError, engineWith } from './fake-sagemaker';
import { FakeIam } from './fake-iam';
import { onFastClock } from '../support/resources-clock';

const ROLE = 'aws_iam_role';
const signal = new AbortController().signal;
const TRUST = '{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"}}],"Version":"2012-10-17"}';
const TRUST_ACCOUNT = '{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"}}],"Version":"2012-10-17"}';
const TWO_MINUTES = 2 * 60_000;
/** The retry's waits grow to 10 s: the last attempt comes within 10 s of the limit. */
const LAST_WAIT_MS = 10_000;

async function setUp() {
  const iam = new FakeIam();
  const engine = await engineWith(new FakeSageMaker(), {}, iam);
  return { iam, engine };
}

/** Plans and applies `values` over `prior` (null: a create; values null: a destroy), timed on the fast clock. */
async function apply(engine: ProviderEngine<AwsMeta>, prior: ObjectValue | null, values: ObjectValue | null) {
  const config = values && completeObject(engine.resource(ROLE).schema.block, values);
  const planned = config ? engine.planResourceChange(ROLE, prior, config, config, signal).planned : null;
  const { value, elapsedMs } = await onFastClock(() => engine.applyResourceChange(ROLE, prior, planned, config, signal));
  return { ...value, elapsedMs };
}

/** `operation` answers `error` at every attempt (far more attempts than two minutes allow). */
const always = (iam: FakeIam, operation: string, error: () => Error) => iam.failures.set(operation, Array.from({ length: 1000 }, error));
const attempts = (iam: FakeIam, operation: string) => iam.operations().filter((o) => o === operation).length;

function withinTheLimit(t: Test, elapsedMs: number) {
  t.ok(elapsedMs > TWO_MINUTES - LAST_WAIT_MS && elapsedMs <= TWO_MINUTES, `retried for two minutes (clock time ${elapsedMs} ms), not longer`);
}

t.test('create: a principal IAM never comes to know is retried for two minutes, then reported', async (t) => {
  const { iam, engine } = await setUp();
  always(iam, 'CreateRole', () => awsError('MalformedPolicyDocument', 'Invalid principal in policy: "SERVICE":"new.amazonaws.com"'));
  const created = await apply(engine, null, { name: 'never', assume_role_policy: TRUST });
  t.match(created.diagnostics, [{ summary: /^creating IAM Role \(never\): .*CreateRole.*MalformedPolicyDocument: Invalid principal in policy/ }]);
  t.equal(created.state, null, 'nothing created');
  t.ok(attempts(iam, 'CreateRole') > 2, 'retried');
  withinTheLimit(t, created.elapsedMs);
});

t.test('create: a concurrent modification that never ends is retried for two minutes', async (t) => {
  const { iam, engine } = await setUp();
  always(iam, 'CreateRole', () => awsError('ConcurrentModification', 'Rate exceeded for the role.'));
  const created = await apply(engine, null, { name: 'busy', assume_role_policy: TRUST });
  t.match(created.diagnostics, [{ summary: /ConcurrentModification: Rate exceeded for the role\.$/ }]);
  withinTheLimit(t, created.elapsedMs);
});

t.test('create: a role never readable is read again for two minutes, then reported and kept in the state', async (t) => {
  const { iam, engine } = await setUp();
  always(iam, 'GetRole', () => awsError('NoSuchEntity', 'The role with name late cannot be found.'));
  const created = await apply(engine, null, { name: 'late', assume_role_policy: TRUST });
  t.match(created.diagnostics, [{ summary: /^reading IAM Role \(late\): .*GetRole.*NoSuchEntity: The role with name late cannot be found\.$/ }]);
  t.match(created.state, { id: 'late', name: 'late' }, 'the role was created: it stays in the state');
  t.ok(attempts(iam, 'GetRole') > 2, 'read again');
  withinTheLimit(t, created.elapsedMs);
});

t.test('update: a trust policy naming a principal IAM never comes to know is retried for two minutes', async (t) => {
  const { iam, engine } = await setUp();
  const state = (await apply(engine, null, { name: 'u', assume_role_policy: TRUST })).state!;
  always(iam, 'UpdateAssumeRolePolicy', () => awsError('MalformedPolicyDocument', 'Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:root"'));
  const updated = await apply(engine, state, { name: 'u', assume_role_policy: TRUST_ACCOUNT });
  t.match(updated.diagnostics, [{ summary: /^updating IAM Role \(u\): .*UpdateAssumeRolePolicy.*MalformedPolicyDocument: Invalid principal in policy/ }]);
  t.ok(attempts(iam, 'UpdateAssumeRolePolicy') > 2, 'retried');
  withinTheLimit(t, updated.elapsedMs);
});

t.test('delete: a policy another resource never detaches is waited for two minutes, then the conflict reported', async (t) => {
  const { iam, engine } = await setUp();
  const state = (await apply(engine, null, { name: 'held', assume_role_policy: TRUST })).state!;
  // Attached outside this resource (e.g. aws_iam_role_policy_attachment): not this resource's to detach.
  iam.roles.get('held')!.attached.push('arn:aws:iam::aws:policy/ReadOnlyAccess');
  const deleted = await apply(engine, state, null);
  t.match(deleted.diagnostics, [{ summary: /^deleting IAM Role \(held\): .*DeleteRole.*DeleteConflict: Cannot delete entity, must detach all policies first\.$/ }]);
  t.same(deleted.state, state, 'the role is still there: it stays in the state');
  t.ok(attempts(iam, 'DeleteRole') > 2, 'retried');
  withinTheLimit(t, deleted.elapsedMs);
});

t.test('a retry stops when Terraform cancels the operation', async (t) => {
  const { iam, engine } = await setUp();
  always(iam, 'CreateRole', () => awsError('MalformedPolicyDocument', 'Invalid principal in policy: "SERVICE":"new.amazonaws.com"'));
  const config = completeObject(engine.resource(ROLE).schema.block, { name: 'stopped', assume_role_policy: TRUST });
  const planned = engine.planResourceChange(ROLE, null, config, config, signal).planned;
  const cancel = new AbortController();
  const send = iam.send.bind(iam);
  iam.send = async (command, options) => {
    if (attempts(iam, 'CreateRole') === 3) cancel.abort();
    return send(command, options);
  };
  const { value: created } = await onFastClock(() => engine.applyResourceChange(ROLE, null, planned, config, cancel.signal));
  t.match(created.diagnostics, [{ summary: /MalformedPolicyDocument: Invalid principal in policy/ }]);
  t.equal(attempts(iam, 'CreateRole'), 4, 'no attempt after the cancellation');
});
