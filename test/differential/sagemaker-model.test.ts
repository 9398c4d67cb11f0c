// aws_sagemaker_model, ours against hashicorp/aws 5.100.0: every container shape, VPC, network isolation,
// inference execution config, model data sources, generated names, tags with default_tags and ignore_tags;
// create, no-op, update and replacement, out-of-band changes (a tag, a deleted model), refresh, import,
// optional+computed blocks left out, destroy.
import t from 'tap';
import { AddTagsCommand, DeleteModelCommand } from '@aws-sdk/client-sagemaker';
import { reimportStep, runScenario, skipDifferential, useHashicorp } from './harness';

import { IMAGE_2 } from '../support/fixtures';
import { MODELS, MODELS_PROVIDER, modelsConfig, type ModelVariant } from './configs';

const hashicorp = useHashicorp(t);

t.test('aws_sagemaker_model: ours and hashicorp/aws 5.100.0 step by step', { skip: skipDifferential }, async (t) => {
  const updated: ModelVariant = { ...MODELS, basicImage: IMAGE_2, tags: { Name: 'tagged', Owner: 'other', Empty: '' } };
  await runScenario(
    t,
    {
      title: 'aws_sagemaker_model',
      provider: MODELS_PROVIDER,
      deviations: [
        {
          calls: /^SageMaker\.ListTags$/,
          step: /tag/,
          reason: 'after changing tags, hashicorp/aws lists them twice; we read them once',
        },
      ],
      steps: [
        { name: 'create', config: modelsConfig(MODELS) },
        { name: 'no change', command: 'plan', exhaustive: true },
        { name: 'tags in place, image replaced', config: modelsConfig(updated) },
        {
          name: 'out-of-band tag and deletion',
          before: async ({ aws, workspace }) => {
            const state = await workspace.state();
            const arn = (address: string) => state.values!.root_module!.resources!.find((r) => r.address === address)!.values.arn as string;
            await aws.sagemaker.send(new AddTagsCommand({ ResourceArn: arn('aws_sagemaker_model.tagged'), Tags: [{ Key: 'Added', Value: 'outside' }, { Key: 'Ignored', Value: 'x' }] }));
            const generated = state.values!.root_module!.resources!.find((r) => r.address === 'aws_sagemaker_model.generated')!.values.name as string;
            await aws.sagemaker.send(new DeleteModelCommand({ ModelName: generated }));
          },
        },
        { name: 'refresh only', command: 'refresh', exhaustive: true },
        reimportStep(['aws_sagemaker_model']),
        { name: 'optional+computed blocks left out', config: modelsConfig({ ...updated, computedBlocks: false }) },
        { name: 'destroy', command: 'destroy' },
      ],
    },
    hashicorp(),
  );
});
