// aws_iam_role's destroy when its clean-up calls find their item already gone: the role itself is still deleted (a
// NoSuchEntity about an instance profile or a policy is not about the role). And an update's trust policy that IAM
// finds malformed for another reason than an unknown principal is not retried.
import t from 'tap';
import { completeObject } from '../../src/engine/schema';
import { FakeSageMaker, awsError, engineWith } from './fake-sagemaker';
import { FakeIam } from './fake-iam';

const ROLE = 'aws_iam_role';
const signal = new AbortController().signal;
const TRUST = '{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"}}],"Version":"2012-10-17"}';
const TRUST_ACCOUNT = '{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"}}],"Version":"2012-10-17"}';

t.test('delete: clean-up calls finding their item gone do not stop the role being deleted', async (t) => {
  for (const operation of ['RemoveRoleFromInstanceProfile', 'DetachRolePolicy']) {
    const iam = new FakeIam();
    const engine = await engineWith(new FakeSageMaker(), {}, iam);
    const config = completeObject(engine.resource(ROLE).schema.block, { name: 'd', assume_role_policy: TRUST, force_detach_policies: true });
    const plan = engine.planResourceChange(ROLE, null, config, config, signal);
    const state = (await engine.applyResourceChange(ROLE, null, plan.planned, config, signal)).state!;
    if (operation === 'RemoveRoleFromInstanceProfile') iam.roles.get('d')!.profiles.push('profile');
    else iam.roles.get('d')!.attached.push('arn:aws:iam::aws:policy/ReadOnlyAccess');
    // Gone by the time the call is made: IAM answers NoSuchEntity (and the fake lets the item go before DeleteRole).
    iam.failures.set(operation, [awsError('NoSuchEntity', 'cannot be found')]);
    const send = iam.send.bind(iam);
    iam.send = async (command, options) => {
      if (command.constructor.name === 'DeleteRoleCommand') Object.assign(iam.roles.get('d')!, { profiles: [], attached: [] });
      return send(command, options);
    };
    const deleted = await engine.applyResourceChange(ROLE, state, null, null, signal);
    t.same(deleted.diagnostics, [], operation);
    t.ok(iam.operations().includes('DeleteRole'), `${operation} gone: DeleteRole is still called`);
    t.notOk(iam.roles.has('d'), `${operation} gone: the role is deleted`);
  }
});

t.test('update: a trust policy IAM finds malformed otherwise is not retried', async (t) => {
  const iam = new FakeIam();
  const engine = await engineWith(new FakeSageMaker(), {}, iam);
  const first = completeObject(engine.resource(ROLE).schema.block, { name: 'u', assume_role_policy: TRUST });
  const state = (await engine.applyResourceChange(ROLE, null, engine.planResourceChange(ROLE, null, first, first, signal).planned, first, signal)).state!;
  const next = completeObject(engine.resource(ROLE).schema.block, { name: 'u', assume_role_policy: TRUST_ACCOUNT });
  iam.failures.set('UpdateAssumeRolePolicy', [awsError('MalformedPolicyDocument', 'Syntax errors in policy.')]);
  const applied = await engine.applyResourceChange(ROLE, state, engine.planResourceChange(ROLE, state, next, next, signal).planned, next, signal);
  t.match(applied.diagnostics, [{ summary: /MalformedPolicyDocument: Syntax errors in policy\.$/ }]);
  t.equal(iam.operations().filter((o) => o === 'UpdateAssumeRolePolicy').length, 1);
});
