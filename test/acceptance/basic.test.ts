// The basic lifecycle, with hashicorp/aws's acceptance-test discipline: after each apply the plan is
// empty, a refresh changes nothing, import reproduces the state, and destroy removes the remote object.
import t from 'tap';
import { providerBlock, uniqueName, Workspace } from '../support/terraform';
import { useTarget } from '../support/target';
import { IMAGE } from '../support/fixtures';

const acc = useTarget(t);


t.test('basic: create, no diff, refresh, import, destroy', async (t) => {
  const name = uniqueName('tfacc-basic');
  const role = acc.role;
  const ws = new Workspace();
  t.teardown(() => ws.cleanup());
  ws.config(`${providerBlock(acc.target)}
resource "aws_sagemaker_model" "test" {
  name               = "${name}"
  execution_role_arn = "${role}"
  primary_container {
    image = "${IMAGE}"
  }
}
`);
  await ws.apply();
  const state = await ws.resource('aws_sagemaker_model.test');
  t.equal(state.id, name);
  t.equal(state.name, name);
  t.match(state.arn, new RegExp(`^arn:aws:sagemaker:${acc.target.region}:\\d{12}:model/${name}$`));
  t.equal(state.execution_role_arn, role);
  t.equal(state.enable_network_isolation, false);
  // As hashicorp/aws (SDKv2) stores it: "" for the strings left unset inside the block (test/differential compares).
  t.same(state.primary_container, [
    {
      image: IMAGE,
      mode: 'SingleModel',
      container_hostname: '',
      environment: null,
      model_data_url: '',
      model_package_name: '',
      inference_specification_name: '',
      image_config: [],
      model_data_source: [],
      additional_model_data_source: [],
      multi_model_config: [],
    },
  ]);
  t.same(state.tags_all, {});
  t.equal(state.region, acc.target.region);

  const remote = await acc.aws.model(name);
  t.equal(remote?.PrimaryContainer?.Image, IMAGE, 'the model exists remotely as configured');

  t.equal((await ws.planExitCode()).code, 0, 'plan after apply is empty');
  await ws.ok(['apply', '-refresh-only', '-auto-approve', '-no-color']);
  t.equal((await ws.planExitCode()).code, 0, 'plan after refresh is empty');
  const refreshed = await ws.resource('aws_sagemaker_model.test');

  await ws.ok(['state', 'rm', 'aws_sagemaker_model.test']);
  await ws.ok(['import', '-no-color', 'aws_sagemaker_model.test', name]);
  t.same(await ws.resource('aws_sagemaker_model.test'), refreshed, 'import reproduces the refreshed state exactly');
  t.equal((await ws.planExitCode()).code, 0, 'plan after import is empty');

  await ws.destroy();
  t.equal(await acc.aws.model(name), null, 'destroy removed the model');
});
