// Faults survived at scale: a large apply with real terraform while the embedded endpoint throttles, fails with
// 5xx and adds latency; then out-of-band deletions and tag changes on the same models. After each step the state
// and the API (ListModels / ListTags) agree exactly and the next plan is empty.
//
// TF_ACC_FAULT_MODELS sets how many models (default 200, the figure).
import t from 'tap';
import { DeleteTagsCommand } from '@aws-sdk/client-sagemaker';
import { ACC_TARGET, actionsOf, providerBlock, uniqueName, Workspace } from '../support/terraform';
import { assertStateMatchesRemote, stateModels } from '../support/state-vs-remote';
import { errorCounts, faultSuite } from './reliability';
import { modelsConfig } from '../support/fixtures';

const MODELS = Number(process.env.TF_ACC_FAULT_MODELS ?? 200);

if (ACC_TARGET !== 'embedded') {
  t.plan(0, 'fault injection needs the embedded endpoint');
} else {
  const s = faultSuite(t);
  const prefix = uniqueName('tfacc-flt');
  const ws = new Workspace();
  t.teardown(() => ws.cleanup());
  let applied = false;

  t.test(`throttling 10% + 5xx 5% + 200 ms latency: ${MODELS} models at -parallelism=20`, async (t) => {
    ws.config(providerBlock(s.target) + modelsConfig(prefix, MODELS, s.role));
    await s.target.admin!.reset('calls');
    await s.target.admin!.faults({ throttle: { rate: 0.1 }, internalError: { rate: 0.05 }, latencyMs: 200 });

    const apply = await ws.run(['apply', '-auto-approve', '-input=false', '-no-color', '-parallelism=20']);
    t.equal(apply.code, 0, 'apply succeeds under faults');
    t.notMatch(apply.stdout + apply.stderr, /Throttling|Rate exceeded|InternalFailure/, 'no fault surfaces while retries remain');
    t.match(apply.stdout, `Apply complete! Resources: ${MODELS} added, 0 changed, 0 destroyed.`);
    t.equal((await ws.planExitCode('-parallelism=20')).code, 0, 'a second plan (still under faults) is empty');

    const injected = await errorCounts(s.target);
    t.ok((injected.ThrottlingException ?? 0) > 0, `throttled calls: ${injected.ThrottlingException ?? 0}`);
    t.ok((injected.InternalFailure ?? 0) > 0, `5xx calls: ${injected.InternalFailure ?? 0}`);
    t.comment(`faults injected: ${JSON.stringify(injected)}`);
    await s.target.admin!.clearFaults();
    const log = await s.target.admin!.calls();
    t.comment(`call counts: ${JSON.stringify(log.counts)}`);
    t.equal(log.recent.filter((c) => c.operation === 'CreateModel' && c.status === 200).length, MODELS, 'exactly one successful CreateModel per model');
    await assertStateMatchesRemote(t, ws, s.aws, prefix, MODELS);
    applied = true;
  });

  t.test('out-of-band deletions and tag changes at scale: one plan shows exactly those re-creates and tag fixes', async (t) => {
    if (!applied) return t.fail('needs the models of the previous test');
    const models = await stateModels(ws);
    const byIndex = (i: number) => models.find((m) => m.name === `${prefix}-${i}`)!;
    // A quarter of the models changed out of band: an eighth deleted, an eighth re-tagged three different ways.
    const eighth = Math.max(1, Math.floor(MODELS / 8));
    const deleted = Array.from({ length: eighth }, (_, k) => k * 8);
    const retagged = Array.from({ length: eighth }, (_, k) => k * 8 + 3);
    for (const i of deleted) await s.aws.deleteModel(byIndex(i).name);
    for (const [k, i] of retagged.entries()) {
      const arn = byIndex(i).arn;
      if (k % 3 === 0) await s.aws.addTags(arn, { Rogue: 'added-out-of-band' });
      else if (k % 3 === 1) await s.aws.addTags(arn, { Suite: 'changed-out-of-band' });
      else await s.aws.sagemaker.send(new DeleteTagsCommand({ ResourceArn: arn, TagKeys: ['Suite'] }));
    }

    const plan = await ws.planJson('-parallelism=20');
    const changes = Object.entries(actionsOf(plan)).filter(([, actions]) => actions.join() !== 'no-op');
    const expected = [
      ...deleted.map((i) => [`aws_sagemaker_model.m[${i}]`, ['create']]),
      ...retagged.map((i) => [`aws_sagemaker_model.m[${i}]`, ['update']]),
    ].sort(([a], [b]) => String(a).localeCompare(String(b)));
    t.same(changes.sort(([a], [b]) => a.localeCompare(b)), expected, `exactly ${deleted.length} re-creates and ${retagged.length} tag fixes`);
    for (const change of plan.resource_changes ?? []) {
      if (change.change.actions.join() !== 'update') continue;
      const after = change.change.after as { tags_all: Record<string, string> };
      t.same(Object.keys(after.tags_all).sort(), ['Index', 'Suite'], `${change.address}: the fix restores the configured tags`);
    }

    await ws.ok(['apply', '-auto-approve', '-input=false', '-no-color', '-parallelism=20']);
    await assertStateMatchesRemote(t, ws, s.aws, prefix, MODELS);
    t.equal((await ws.planExitCode('-parallelism=20')).code, 0, 'plan is empty');
  });
}
