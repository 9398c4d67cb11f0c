// Emulators built on moto (LocalStack) describe a model with `PrimaryContainer: {}` and `VpcConfig: {}` when
// those were never set. We read them as absent, so plans stay empty; hashicorp/aws 5.100.0 plans a replacement
// on every run against such an endpoint.
import t from 'tap';
import { ACC_TARGET, actionsOf, hasHashicorpMirror, providerBlock, uniqueName, Workspace } from '../support/terraform';
import { useTarget } from '../support/target';

if (ACC_TARGET !== 'embedded') {
  t.test('moto-compatible reads', { skip: 'needs the embedded endpoint in moto-compatible mode' }, async () => undefined);
} else {
  const acc = useTarget(t, ['--moto-compat']);

  const config = (role: string, name: string) => `${providerBlock(acc.target)}
resource "aws_sagemaker_model" "test" {
  name               = "${name}"
  execution_role_arn = "${role}"
  container {
    image = "174872318107.dkr.ecr.us-west-2.amazonaws.com/kmeans:1"
  }
}
`;

  t.test('empty PrimaryContainer and VpcConfig structures are read as absent', async (t) => {
    const name = uniqueName('tfacc-moto');
    const role = acc.role;
    const ws = new Workspace().config(config(role, name));
    t.teardown(() => ws.cleanup());
    await ws.apply();
    const remote = await acc.aws.model(name);
    t.same(remote?.PrimaryContainer, {}, 'the endpoint answers like moto');
    t.same(remote?.VpcConfig, {});
    const state = await ws.resource('aws_sagemaker_model.test');
    t.same(state.primary_container, []);
    t.same(state.vpc_config, []);
    t.equal((await ws.planExitCode()).code, 0, 'no diff after apply');
    await ws.ok(['state', 'rm', 'aws_sagemaker_model.test']);
    await ws.ok(['import', '-no-color', 'aws_sagemaker_model.test', name]);
    t.equal((await ws.planExitCode()).code, 0, 'no diff after import');
    await ws.destroy();
  });

  t.test('hashicorp/aws 5.100.0 replaces the same model on every plan against this endpoint', { skip: !hasHashicorpMirror() && 'no hashicorp/aws mirror' }, async (t) => {
    const name = uniqueName('tfacc-moto-real');
    const role = acc.role;
    const ws = new Workspace('hashicorp').config(config(role, name));
    t.teardown(() => ws.cleanup());
    await ws.apply();
    t.same(actionsOf(await ws.planJson())['aws_sagemaker_model.test'], ['delete', 'create'], 'the behaviour our provider fixes');
    await ws.destroy();
  });
}
