// Dropped connections mid-call and a partial failure (CreateModel succeeds, ListTags fails beyond the SDK's
// retries). Each model ends created-and-in-state or absent, never created-and-unknown to Terraform, and the next
// apply converges without a duplicate or an "already existing" error.
import t from 'tap';
import { ACC_TARGET, providerBlock, uniqueName, Workspace } from '../support/terraform';
import { assertStateMatchesRemote, noOrphans, remoteModels, stateModels } from '../support/state-vs-remote';
import { faultSuite } from './reliability';
import { IMAGE } from '../support/fixtures';

const APPLY = ['apply', '-auto-approve', '-input=false', '-no-color'];

if (ACC_TARGET !== 'embedded') {
  t.plan(0, 'fault injection needs the embedded endpoint');
} else {
  const s = faultSuite(t);


  const oneModel = (name: string, extra = '') => `${providerBlock(s.target, extra)}
resource "aws_sagemaker_model" "m" {
  name               = "${name}"
  execution_role_arn = "${s.role}"
  primary_container {
    image = "${IMAGE}"
  }
  tags = {
    Suite = "reliability"
  }
}
`;
  for (const [operation, after] of [
    ['CreateModel', 'request'],
    ['CreateModel', 'response'],
    ['DescribeModel', 'request'],
  ] as const) {
    t.test(`connection dropped after the ${after} of ${operation}: created-and-in-state or absent, then converges`, async (t) => {
      const name = uniqueName('tfacc-drop');
      const ws = new Workspace();
      t.teardown(() => ws.cleanup());
      ws.config(oneModel(name));
      await s.target.admin!.reset('calls');
      await s.target.admin!.faults({ dropConnection: { operation: `SageMaker.${operation}`, next: 1, after } });
      const first = await ws.run(APPLY);
      const faults = (await s.target.admin!.getFaults()) as { dropConnection: unknown[] };
      t.same(faults.dropConnection, [], 'the connection was dropped (the fault is used up)');
      t.comment(`first apply exited ${first.code}${first.code ? `: ${first.stderr.trim().split('\n').slice(0, 3).join(' ')}` : ''}`);
      await s.target.admin!.clearFaults();
      await noOrphans(t, s.aws, ws, name);

      const second = await ws.run(APPLY);
      t.equal(second.code, 0, 'the next apply succeeds');
      t.notMatch(second.stderr, /already existing/, 'without an "already existing" error');
      await assertStateMatchesRemote(t, ws, s.aws, name, 1);
      t.equal((await ws.planExitCode()).code, 0, 'plan is empty');
    });
  }

  t.test('connection dropped after the request of DeleteModel: destroy still ends with the model gone', async (t) => {
    const name = uniqueName('tfacc-dropdel');
    const ws = new Workspace();
    t.teardown(() => ws.cleanup());
    ws.config(oneModel(name));
    await ws.apply();
    await s.target.admin!.faults({ dropConnection: { operation: 'SageMaker.DeleteModel', next: 1, after: 'request' } });
    const destroy = await ws.run(['destroy', '-auto-approve', '-input=false', '-no-color']);
    t.equal(destroy.code, 0, 'destroy succeeds (the retried DeleteModel finds the model gone)');
    t.same(await remoteModels(s.aws, name), [], 'the model is gone');
    t.same(await stateModels(ws), [], 'and out of state');
  });

  t.test('partial failure: CreateModel succeeds, ListTags fails beyond max_retries → tainted in state, next apply converges', async (t) => {
    const name = uniqueName('tfacc-partial');
    const ws = new Workspace();
    t.teardown(() => ws.cleanup());
    ws.config(oneModel(name, '  max_retries = 2'));
    await s.target.admin!.reset('calls');
    // max_retries = 2: three attempts, all failing.
    await s.target.admin!.faults({ internalError: { operation: 'SageMaker.ListTags', next: 3 } });
    const first = await ws.run(APPLY);
    t.equal(first.code, 1, 'the apply fails');
    t.match(first.stderr, /ListTags/, 'naming the failed ListTags');
    t.match(first.stderr, /InternalFailure/, 'and its AWS error');
    const listTags = (await s.target.admin!.calls()).recent.filter((c) => c.operation === 'ListTags');
    t.equal(listTags.length, 3, 'ListTags was tried 1 + max_retries times');
    const state = await stateModels(ws);
    t.equal(state.length, 1, 'the created model is in state');
    t.equal(state[0]?.tainted, true, 'tainted, as hashicorp/aws leaves it');
    t.equal(state[0]?.name, name);
    await noOrphans(t, s.aws, ws, name);

    const second = await ws.run(APPLY);
    t.equal(second.code, 0, 'the next apply succeeds');
    t.match(second.stdout, /1 added, 0 changed, 1 destroyed/, 'replacing the tainted model');
    await assertStateMatchesRemote(t, ws, s.aws, name, 1);
    t.equal((await ws.planExitCode()).code, 0, 'plan is empty');
  });

}
