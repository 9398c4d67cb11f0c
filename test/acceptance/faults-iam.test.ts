// IAM propagation: an execution role created in the same apply cannot be assumed by SageMaker at once.
// CreateModel is retried until it can; beyond the provider's limit the error names the cause.
import t from 'tap';
import { ACC_TARGET, providerBlock, uniqueName, Workspace } from '../support/terraform';
import { assertStateMatchesRemote, remoteModels, stateModels } from '../support/state-vs-remote';
import { faultSuite } from './reliability';
import { roleAndModelHcl } from '../support/fixtures';

if (ACC_TARGET !== 'embedded') {
  t.plan(0, 'fault injection needs the embedded endpoint');
} else {
  const s = faultSuite(t);
  const roleAndModel = (name: string) => providerBlock(s.target) + roleAndModelHcl(name);

  t.test('a role made in the same apply cannot be assumed for 20 s: CreateModel is retried and the apply succeeds', async (t) => {
    const name = uniqueName('tfacc-iamprop');
    const ws = new Workspace();
    t.teardown(() => ws.cleanup());
    ws.config(roleAndModel(name));
    await s.target.admin!.reset('calls');
    await s.target.admin!.faults({ iamPropagationSeconds: 20 });
    await ws.apply();
    const creates = (await s.target.admin!.calls()).recent.filter((c) => c.operation === 'CreateModel');
    const refused = creates.filter((c) => c.errorCode === 'ValidationException').length;
    t.ok(refused >= 1, `CreateModel was refused while IAM propagated (${refused} times)`);
    t.equal(creates.at(-1)?.status, 200, 'then it succeeded');
    t.equal(creates.filter((c) => c.status === 200).length, 1, 'one model created');
    t.equal((await ws.planExitCode()).code, 0, 'plan after apply is empty');
    await assertStateMatchesRemote(t, ws, s.aws, name, 1);
  });

  t.test(
    'IAM propagation beyond the 2-minute limit: the error names the cause',
    {
      skip:
        process.env.TF_ACC_SLOW === '1'
          ? false
          : 'takes over 2 minutes: the provider has no test-only override of its IAM propagation timeout; set TF_ACC_SLOW=1 to run it',
    },
    async (t) => {
      const name = uniqueName('tfacc-iamslow');
      const ws = new Workspace();
      t.teardown(() => ws.cleanup());
      ws.config(roleAndModel(name));
      await s.target.admin!.faults({ iamPropagationSeconds: 600 });
      const apply = await ws.run(['apply', '-auto-approve', '-input=false', '-no-color']);
      t.equal(apply.code, 1, 'apply fails');
      t.match(
        apply.stderr.replace(/[\s│]+/g, ' '),
        /Error: creating SageMaker AI Model \(tfacc-iamslow-[^)]+\): operation error SageMaker: CreateModel, .*ValidationException: Could not assume role/,
      );
      t.same(await remoteModels(s.aws, name), [], 'no model was created');
      t.same((await stateModels(ws)).map((m) => m.name), [], 'and none is in state');
    },
  );
}
