// Ctrl-C during a large apply: SIGINT to terraform's process group (Terraform then calls StopProvider).
// Terraform exits cleanly, every model that exists remotely is in state, and the next apply finishes the rest.
import t from 'tap';
import { ACC_TARGET, providerBlock, terraformInBackground, uniqueName, Workspace } from '../support/terraform';
import { assertStateMatchesRemote, noOrphans } from '../support/state-vs-remote';
import { faultSuite } from './reliability';
import { modelsConfig } from '../support/fixtures';
import { waitFor } from '../support/processes';

const APPLY = ['apply', '-auto-approve', '-input=false', '-no-color'];

// TF_ACC_INTERRUPT_MODELS sets the size of the interrupted apply (default 50, as in the issue).
const INTERRUPT_MODELS = Number(process.env.TF_ACC_INTERRUPT_MODELS ?? 50);

if (ACC_TARGET !== 'embedded') {
  t.plan(0, 'fault injection needs the embedded endpoint');
} else {
  const s = faultSuite(t);

  t.test(`Ctrl-C during an apply of ${INTERRUPT_MODELS} models: clean exit, nothing orphaned, the next apply finishes`, async (t) => {
    const prefix = uniqueName('tfacc-int');
    const ws = new Workspace();
    t.teardown(() => ws.cleanup());
    ws.config(providerBlock(s.target) + modelsConfig(prefix, INTERRUPT_MODELS, s.role));
    await s.target.admin!.reset('calls');
    // Latency keeps calls in flight when the interrupt arrives.
    await s.target.admin!.faults({ latencyMs: 200 });
    const run = terraformInBackground(ws, [...APPLY, '-parallelism=10']);
    const creates = async () => (await s.target.admin!.calls()).counts['SageMaker.CreateModel'] ?? 0;
    await waitFor('the first CreateModel calls', async () => (await creates()) >= Math.min(10, INTERRUPT_MODELS / 2));
    process.kill(-run.child.pid!, 'SIGINT'); // Ctrl-C: the whole foreground process group
    const result = await run.done;
    t.comment(`interrupted after ${await creates()} CreateModel calls; terraform exited ${result.code}`);
    t.not(result.code, 0, 'terraform reports the interrupted apply');
    t.match(result.stdout + result.stderr, /Interrupt received|Gracefully shutting down|execution halted|operation canceled/i, 'as an interrupt');
    t.notMatch(result.stderr, /panic|Plugin did not respond|crash/i, 'without a crash');
    await s.target.admin!.clearFaults();
    const existing = await noOrphans(t, s.aws, ws, prefix);
    t.ok(existing < INTERRUPT_MODELS, `the interrupt stopped the apply part-way (${existing} of ${INTERRUPT_MODELS} made)`);

    const second = await ws.run(APPLY);
    t.equal(second.code, 0, 'the next apply finishes the rest');
    t.notMatch(second.stderr, /already existing/, 'without an "already existing" error');
    await assertStateMatchesRemote(t, ws, s.aws, prefix, INTERRUPT_MODELS);
    t.equal((await ws.planExitCode()).code, 0, 'plan is empty');
  });

}
