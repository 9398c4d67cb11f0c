// The provider process killed (SIGKILL) mid-apply: the next apply converges. Models whose creation answer
// died with the provider are unknown to Terraform; the next apply names each collision (with the import
// command to use), and importing them reconciles state with what exists.
import t from 'tap';
import { ACC_TARGET, providerBlock, terraformInBackground, uniqueName, Workspace } from '../support/terraform';
import { assertStateMatchesRemote, remoteModels, stateModels } from '../support/state-vs-remote';
import { faultSuite } from './reliability';
import { modelsConfig } from '../support/fixtures';
import { providerProcesses, waitFor } from '../support/processes';

const APPLY = ['apply', '-auto-approve', '-input=false', '-no-color'];

// TF_ACC_INTERRUPT_MODELS sets the size of the interrupted apply (default 50, as in the issue).
const INTERRUPT_MODELS = Number(process.env.TF_ACC_INTERRUPT_MODELS ?? 50);

if (ACC_TARGET !== 'embedded') {
  t.plan(0, 'fault injection needs the embedded endpoint');
} else {
  const s = faultSuite(t);

  t.test(`the provider killed (SIGKILL) during an apply of ${INTERRUPT_MODELS} models: the next apply converges`, async (t) => {
    const prefix = uniqueName('tfacc-kill');
    const ws = new Workspace();
    t.teardown(() => ws.cleanup());
    ws.config(providerBlock(s.target) + modelsConfig(prefix, INTERRUPT_MODELS, s.role));
    await s.target.admin!.reset('calls');
    await s.target.admin!.faults({ latencyMs: 200 });
    const run = terraformInBackground(ws, [...APPLY, '-parallelism=10']);
    const creates = async () => (await s.target.admin!.calls()).counts['SageMaker.CreateModel'] ?? 0;
    await waitFor('the first CreateModel calls', async () => (await creates()) >= Math.min(10, INTERRUPT_MODELS / 2));
    const providers = providerProcesses(run.child.pid!);
    t.ok(providers.length >= 1, `found the provider process(es) ${providers.join(', ')}`);
    for (const pid of providers) process.kill(pid, 'SIGKILL');
    const result = await run.done;
    t.not(result.code, 0, 'terraform reports the failed apply');
    await s.target.admin!.clearFaults();
    const remote = new Set((await remoteModels(s.aws, prefix)).map((m) => m.ModelName!));
    const inState = new Set((await stateModels(ws)).map((m) => m.name));
    const unknown = [...remote].filter((n) => !inState.has(n));
    t.comment(`after the kill: ${remote.size} models exist, ${inState.size} in state, ${unknown.length} created but unknown to Terraform`);

    // The next apply either converges at once, or names each collision; importing those models reconciles.
    let second = await ws.run(APPLY);
    if (second.code !== 0) {
      const collisions = [...second.stderr.matchAll(/Cannot create already existing model "arn:[^"]*:model\/([^"]+)"/g)].map((m) => m[1]);
      const errors = [...second.stderr.matchAll(/^│ Error: /gm)].length || [...second.stderr.matchAll(/^Error: /gm)].length;
      t.equal(collisions.length, errors, 'every error of the next apply explains itself as a name collision');
      t.match(second.stderr.replace(/[\s│]+/g, ' '), /import it: terraform import <resource address>/, 'and says how to adopt the model');
      t.same(
        collisions.sort(),
        unknown.map((n) => n.toLowerCase()).sort(),
        'exactly the models created but unknown to Terraform collide',
      );
      for (const name of unknown) {
        const index = name.slice(prefix.length + 1);
        await ws.ok(['import', '-input=false', '-no-color', `aws_sagemaker_model.m[${index}]`, name]);
      }
      second = await ws.run(APPLY);
    }
    t.equal(second.code, 0, 'the apply converges');
    await assertStateMatchesRemote(t, ws, s.aws, prefix, INTERRUPT_MODELS);
    t.equal((await ws.planExitCode()).code, 0, 'plan is empty');
  });
}
