// aws_sagemaker_endpoint_configuration and aws_sagemaker_endpoint, ours against hashicorp/aws 5.100.0: every block
// of a variant, shadow variants, data capture, serverless and asynchronous configurations, a blue/green deployment
// configuration, generated names; create, no-op, tags in place, a configuration replaced (create_before_destroy) and
// the endpoint moved to it, the endpoint moved to another configuration, objects deleted and tags added outside
// Terraform, refresh, a Failed endpoint (fault injection) and its replacement, import, destroy. Endpoints settle at their next read (--transition-seconds 0), so both sides
// make the same calls while waiting.
import t from 'tap';
import { AddTagsCommand, DeleteEndpointCommand, DeleteEndpointConfigCommand } from '@aws-sdk/client-sagemaker';
import { reimportStep, runScenario, skipDifferential, useHashicorp } from './harness';
import { INFERENCE, MODELS_PROVIDER, inferenceConfig } from './configs';

const hashicorp = useHashicorp(t);

t.test('endpoint configurations and endpoints: ours and hashicorp/aws 5.100.0 step by step', { skip: skipDifferential }, async (t) => {
  const retagged = { ...INFERENCE, configTags: { Name: 'main', Owner: 'other', Empty: '' }, endpointTags: { Name: 'renamed' } };
  const replaced = { ...retagged, instanceType: 'ml.c5.large' };
  const moved = { ...replaced, runs: 'serverless' as const };
  await runScenario(
    t,
    {
      title: 'aws_sagemaker_endpoint',
      provider: MODELS_PROVIDER,
      endpointArgs: ['--transition-seconds', '0'],
      deviations: [
        { calls: /^SageMaker\.ListTags$/, step: /tag/, reason: 'after changing tags, hashicorp/aws lists them twice; we read them once' },
        {
          attribute: ['arn'],
          type: 'aws_sagemaker_endpoint',
          step: /^a Failed endpoint$/,
          reason: 'a Failed endpoint is recorded as SageMaker last described it, ARN included; hashicorp/aws records its id with a null ARN',
        },
      ],
      steps: [
        { name: 'create', config: inferenceConfig(INFERENCE) },
        { name: 'no change', command: 'plan', exhaustive: true },
        { name: 'tags in place', config: inferenceConfig(retagged), exhaustive: true },
        { name: 'configuration replaced, endpoint moved to it', config: inferenceConfig(replaced) },
        { name: 'endpoint moved to another configuration', config: inferenceConfig(moved), exhaustive: true },
        {
          name: 'out-of-band deletions and tag',
          exhaustive: true,
          before: async ({ aws, workspace }) => {
            const state = await workspace.state();
            const values = (address: string) => state.values!.root_module!.resources!.find((r) => r.address === address)!.values;
            await aws.sagemaker.send(new DeleteEndpointCommand({ EndpointName: values('aws_sagemaker_endpoint.generated').name as string }));
            await aws.sagemaker.send(new DeleteEndpointConfigCommand({ EndpointConfigName: 'tfdiff-full-config' }));
            await aws.sagemaker.send(new AddTagsCommand({ ResourceArn: values('aws_sagemaker_endpoint.main').arn as string, Tags: [{ Key: 'Added', Value: 'outside' }, { Key: 'Ignored', Value: 'x' }] }));
          },
        },
        { name: 'refresh only', command: 'refresh', exhaustive: true },
        {
          name: 'a Failed endpoint',
          exhaustive: true,
          fails: true,
          config: inferenceConfig({ ...moved, failing: true }),
          before: async ({ target }) => {
            await target.admin!.faults({ endpointFailure: { endpoint: 'tfdiff-failing', during: 'create', reason: 'The image could not be pulled.', next: 1 } });
          },
        },
        { name: 'the Failed endpoint replaced', exhaustive: true },
        reimportStep(['aws_sagemaker_endpoint_configuration', 'aws_sagemaker_endpoint']),
        { name: 'destroy', command: 'destroy' },
      ],
    },
    hashicorp(),
  );
});
