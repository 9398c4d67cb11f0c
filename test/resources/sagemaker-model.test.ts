// aws_sagemaker_model through the provider engine (validate, plan, apply, read, import) against a scripted SageMaker
// (fake-sagemaker.ts): what CreateModel is sent, what the state holds, which errors are retried, what is kept after a
// failure. The same behaviours through terraform and the embedded endpoint are in test/acceptance/; against
// hashicorp/aws 5.100.0 in test/differential/sagemaker-model.test.ts.
import t from 'tap';
import { completeObject } from '../../src/engine/schema';
import type { ProviderEngine } from '../../src/engine/lifecycle';
import type { AwsMeta } from '../../src/aws/meta';
import { UNKNOWN, type ObjectValue } from '../../src/values/value';
import { FakeSageMaker, awsError, engineWith } from './fake-sagemaker';

const MODEL = 'aws_sagemaker_model';
const ROLE = 'arn:aws:iam::123456789012:role/exec';
const IMAGE = '174872318107.dkr.ecr.us-west-2.amazonaws.com/kmeans:1';
const signal = new AbortController().signal;

const configOf = (engine: ProviderEngine<AwsMeta>, values: ObjectValue) => completeObject(engine.resource(MODEL).schema.block, values);

async function create(engine: ProviderEngine<AwsMeta>, values: ObjectValue) {
  const config = configOf(engine, values);
  const plan = engine.planResourceChange(MODEL, null, config, config, signal);
  const applied = plan.planned ? await engine.applyResourceChange(MODEL, null, plan.planned, config, signal) : undefined;
  return { config, plan, applied };
}

const s3Source = (uri: string) => [{ s3_uri: uri, s3_data_type: 'S3Prefix', compression_type: 'None', model_access_config: [{ accept_eula: true }] }];

const FULL_CONTAINER: ObjectValue = {
  image: IMAGE,
  mode: 'MultiModel',
  container_hostname: 'host',
  model_data_url: 's3://models/full/',
  environment: { LOG_LEVEL: 'debug', EMPTY: '' },
  image_config: [{ repository_access_mode: 'Vpc', repository_auth_config: [{ repository_credentials_provider_arn: 'arn:aws:lambda:us-west-2:123456789012:function:creds' }] }],
  model_data_source: [{ s3_data_source: s3Source('s3://models/prefix/') }],
  additional_model_data_source: [{ channel_name: 'extra', s3_data_source: s3Source('s3://models/extra/') }],
  multi_model_config: [{ model_cache_setting: 'Disabled' }],
};

t.test('create: every argument sent as CreateModel takes it, and the state read back', async (t) => {
  const fake = new FakeSageMaker();
  const engine = await engineWith(fake, { Team: 'ml', Name: 'default' });
  const { plan, applied } = await create(engine, {
    name: 'full',
    execution_role_arn: ROLE,
    enable_network_isolation: true,
    primary_container: [FULL_CONTAINER],
    vpc_config: [{ subnets: ['subnet-1', 'subnet-2'], security_group_ids: ['sg-1'] }],
    tags: { Name: 'full' },
  });
  t.same(plan.diagnostics, []);
  t.equal(plan.planned!.arn, UNKNOWN, 'the ARN is known after apply');
  t.same(plan.planned!.tags_all, { Team: 'ml', Name: 'full' }, 'a resource tag wins over a default one');
  t.same(applied!.diagnostics, []);
  t.same(fake.operations(), ['CreateModel', 'DescribeModel', 'ListTags'], 'created, read back, its tags listed');
  const sent = fake.calls[0].input;
  t.same(sent, {
    ModelName: 'full',
    ExecutionRoleArn: ROLE,
    PrimaryContainer: {
      Image: IMAGE,
      Mode: 'MultiModel',
      ContainerHostname: 'host',
      ModelDataUrl: 's3://models/full/',
      ModelPackageName: undefined,
      InferenceSpecificationName: undefined,
      Environment: { LOG_LEVEL: 'debug', EMPTY: '' },
      ImageConfig: { RepositoryAccessMode: 'Vpc', RepositoryAuthConfig: { RepositoryCredentialsProviderArn: 'arn:aws:lambda:us-west-2:123456789012:function:creds' } },
      ModelDataSource: { S3DataSource: { S3Uri: 's3://models/prefix/', S3DataType: 'S3Prefix', CompressionType: 'None', ModelAccessConfig: { AcceptEula: true } } },
      AdditionalModelDataSources: [
        { ChannelName: 'extra', S3DataSource: { S3Uri: 's3://models/extra/', S3DataType: 'S3Prefix', CompressionType: 'None', ModelAccessConfig: { AcceptEula: true } } },
      ],
      MultiModelConfig: { ModelCacheSetting: 'Disabled' },
    },
    Containers: undefined,
    VpcConfig: { SecurityGroupIds: ['sg-1'], Subnets: ['subnet-1', 'subnet-2'] },
    EnableNetworkIsolation: true,
    InferenceExecutionConfig: undefined,
    Tags: [{ Key: 'Team', Value: 'ml' }, { Key: 'Name', Value: 'full' }],
  });

  const state = applied!.state!;
  t.equal(state.id, 'full');
  t.equal(state.arn, 'arn:aws:sagemaker:us-west-2:123456789012:model/full');
  t.equal(state.execution_role_arn, ROLE);
  t.equal(state.enable_network_isolation, true);
  const container = (state.primary_container as ObjectValue[])[0];
  t.match(container, { image: IMAGE, mode: 'MultiModel', container_hostname: 'host', model_data_url: 's3://models/full/', model_package_name: '', inference_specification_name: '' });
  t.same(container.environment, { LOG_LEVEL: 'debug', EMPTY: '' });
  t.same(container.image_config, [{ repository_access_mode: 'Vpc', repository_auth_config: [{ repository_credentials_provider_arn: 'arn:aws:lambda:us-west-2:123456789012:function:creds' }] }]);
  t.same(container.model_data_source, [{ s3_data_source: s3Source('s3://models/prefix/') }]);
  t.same(container.additional_model_data_source, [{ channel_name: 'extra', s3_data_source: s3Source('s3://models/extra/') }]);
  t.same(container.multi_model_config, [{ model_cache_setting: 'Disabled' }]);
  t.same(state.vpc_config, [{ subnets: ['subnet-1', 'subnet-2'], security_group_ids: ['sg-1'] }]);
  t.same(state.container, []);
  t.same(state.inference_execution_config, []);
  t.same(state.tags_all, { Team: 'ml', Name: 'full' });

  const read = await engine.readResource(MODEL, state, signal);
  t.same(read.state, state, 'a refresh reads the same state');
  const again = configOf(engine, { name: 'full', execution_role_arn: ROLE, enable_network_isolation: true, primary_container: [FULL_CONTAINER], vpc_config: [{ subnets: ['subnet-2', 'subnet-1'], security_group_ids: ['sg-1'] }], tags: { Name: 'full' } });
  t.equal(engine.planResourceChange(MODEL, state, again, again, signal).planned, state, 'the same configuration plans no change (the subnets in another order too)');
});

t.test('create: serial containers, a generated name, the smallest container; nothing unset is sent', async (t) => {
  const fake = new FakeSageMaker();
  const engine = await engineWith(fake);
  const { plan, applied } = await create(engine, {
    execution_role_arn: ROLE,
    container: [{ image: IMAGE }, { image: `${IMAGE}-2`, model_data_url: 's3://models/two.tar.gz', environment: {} }],
    inference_execution_config: [{ mode: 'Serial' }],
  });
  t.equal(plan.planned!.name, UNKNOWN, 'a name left out is generated at apply');
  t.same(applied!.diagnostics, []);
  const sent = fake.calls[0].input;
  t.match(sent.ModelName, /^terraform-\d{18}[0-9a-f]{8}$/);
  t.equal(applied!.state!.name, sent.ModelName);
  t.equal(applied!.state!.id, sent.ModelName);
  t.same(sent.Containers, [
    { Image: IMAGE, Mode: 'SingleModel', ContainerHostname: undefined, ModelDataUrl: undefined, ModelPackageName: undefined, InferenceSpecificationName: undefined, Environment: undefined, ImageConfig: undefined, ModelDataSource: undefined, AdditionalModelDataSources: undefined, MultiModelConfig: undefined },
    { Image: `${IMAGE}-2`, Mode: 'SingleModel', ContainerHostname: undefined, ModelDataUrl: 's3://models/two.tar.gz', ModelPackageName: undefined, InferenceSpecificationName: undefined, Environment: undefined, ImageConfig: undefined, ModelDataSource: undefined, AdditionalModelDataSources: undefined, MultiModelConfig: undefined },
  ], 'the default mode sent, an empty environment not');
  t.equal(sent.PrimaryContainer, undefined);
  t.same(sent.InferenceExecutionConfig, { Mode: 'Serial' });
  t.equal(sent.EnableNetworkIsolation, undefined, 'false is not sent');
  t.equal(sent.VpcConfig, undefined);
  t.equal(sent.Tags, undefined, 'no tags, no Tags');
  const state = applied!.state!;
  t.same((state.container as ObjectValue[]).map((c) => [c.image, c.mode, c.model_data_url]), [[IMAGE, 'SingleModel', ''], [`${IMAGE}-2`, 'SingleModel', 's3://models/two.tar.gz']]);
  t.same(state.inference_execution_config, [{ mode: 'Serial' }]);
  t.equal(state.enable_network_isolation, false);
  t.same(state.primary_container, []);
});

t.test('validate: a model needs a primary_container or a container', async (t) => {
  const engine = await engineWith(new FakeSageMaker());
  t.match(engine.validateResourceConfig(MODEL, configOf(engine, { execution_role_arn: ROLE })), [
    { severity: 'error', summary: 'Missing container definition', detail: 'A SageMaker model needs a "primary_container" block or at least one "container" block.', path: [{ attr: 'primary_container' }] },
  ]);
  t.same(engine.validateResourceConfig(MODEL, configOf(engine, { execution_role_arn: ROLE, primary_container: [{ image: IMAGE }] })), []);
  t.same(engine.validateResourceConfig(MODEL, configOf(engine, { execution_role_arn: ROLE, container: [{ image: IMAGE }] })), []);
  t.same(engine.validateResourceConfig(MODEL, { ...configOf(engine, { execution_role_arn: ROLE }), primary_container: UNKNOWN }), [], 'blocks not known yet may hold one');
});

t.test('create: SageMaker refusing a role it cannot assume yet is retried; a name in use is not', async (t) => {
  const fake = new FakeSageMaker();
  const engine = await engineWith(fake);
  fake.failures.set('CreateModel', [awsError('ValidationException', 'Could not assume role arn:aws:iam::123456789012:role/exec.')]);
  const retried = await create(engine, { name: 'later', execution_role_arn: ROLE, primary_container: [{ image: IMAGE }] });
  t.same(retried.applied!.diagnostics, []);
  t.same(fake.operations().filter((o) => o === 'CreateModel').length, 2, 'created at the second attempt');

  const taken = await create(engine, { name: 'later', execution_role_arn: ROLE, primary_container: [{ image: IMAGE }] });
  t.equal(fake.operations().filter((o) => o === 'CreateModel').length, 3, 'a name in use is not retried');
  t.match(taken.applied!.diagnostics, [
    {
      severity: 'error',
      summary: /^creating SageMaker AI Model \(later\): operation error SageMaker: CreateModel, https response error StatusCode: 400, RequestID: req-1, api error ValidationException: Cannot create already existing model/,
      detail: /A SageMaker model named "later" already exists and is not in this Terraform state[\s\S]*terraform import <resource address> later$/,
    },
  ]);
  t.equal(taken.applied!.state, null, 'nothing created: nothing in the state');

  fake.failures.set('CreateModel', [awsError('AccessDeniedException', 'not allowed')]);
  const denied = await create(engine, { name: 'denied', execution_role_arn: ROLE, primary_container: [{ image: IMAGE }] });
  t.match(denied.applied!.diagnostics, [{ summary: /api error AccessDeniedException: not allowed$/, detail: undefined }], 'another error is reported as it is, without the hint');
});

t.test('create: a retried call that finds its own model (its first answer lost) adopts it', async (t) => {
  const fake = new FakeSageMaker();
  const engine = await engineWith(fake);
  // The SDK retried CreateModel after a lost answer: SageMaker had created the model at the first attempt.
  const lost = Object.assign(awsError('ValidationException', 'Cannot create already existing model "x".'), { $metadata: { httpStatusCode: 400, requestId: 'r', attempts: 2 } });
  fake.failures.set('CreateModel', [lost]);
  fake.models.set('mine', { ModelName: 'mine', ModelArn: 'arn:aws:sagemaker:us-west-2:123456789012:model/mine', ExecutionRoleArn: ROLE, PrimaryContainer: { Image: IMAGE } });
  const { applied } = await create(engine, { name: 'mine', execution_role_arn: ROLE, primary_container: [{ image: IMAGE }] });
  t.same(applied!.diagnostics, []);
  t.equal(applied!.state!.arn, 'arn:aws:sagemaker:us-west-2:123456789012:model/mine', 'the model read back');
});

t.test('create: a failed read-back keeps what was created in the state, without its ARN', async (t) => {
  const fake = new FakeSageMaker();
  const engine = await engineWith(fake);
  fake.failures.set('DescribeModel', [awsError('ThrottlingException', 'slow down')]);
  const { applied } = await create(engine, { name: 'created', execution_role_arn: ROLE, primary_container: [{ image: IMAGE }] });
  t.match(applied!.diagnostics, [{ summary: /^reading SageMaker AI Model \(created\): .*DescribeModel.*ThrottlingException: slow down$/ }]);
  t.match(applied!.state, { id: 'created', name: 'created', arn: null, execution_role_arn: ROLE }, 'the model exists: it stays in the state');
  t.ok(fake.models.has('created'));
});

t.test('read: a model gone is removed from the state; another error keeps it', async (t) => {
  const fake = new FakeSageMaker();
  const engine = await engineWith(fake);
  const { applied } = await create(engine, { name: 'm', execution_role_arn: ROLE, primary_container: [{ image: IMAGE }] });
  const state = applied!.state!;
  fake.failures.set('DescribeModel', [awsError('InternalFailure', 'oops')]);
  const failed = await engine.readResource(MODEL, state, signal);
  t.match(failed.diagnostics, [{ summary: /^reading SageMaker AI Model \(m\): .*InternalFailure: oops$/ }]);
  t.equal(failed.state, state, 'the state is kept as it was');
  fake.models.delete('m');
  const gone = await engine.readResource(MODEL, state, signal);
  t.same(gone.diagnostics, []);
  t.equal(gone.state, null);
});

t.test('read: what emulators built on moto answer for structures never set ({}) is absent', async (t) => {
  const fake = new FakeSageMaker();
  const engine = await engineWith(fake);
  const { applied } = await create(engine, { name: 'moto', execution_role_arn: ROLE, container: [{ image: IMAGE }] });
  const stored = fake.models.get('moto')!;
  fake.described.set('moto', { ...stored, PrimaryContainer: {}, VpcConfig: {}, Containers: [{ Image: IMAGE }] });
  const read = await engine.readResource(MODEL, applied!.state!, signal);
  t.same(read.state!.primary_container, []);
  t.same(read.state!.vpc_config, []);
  t.same((read.state!.container as ObjectValue[])[0].mode, 'SingleModel', 'a mode left out is the API\'s default');
  fake.described.set('moto', { ...stored, VpcConfig: { Subnets: ['s'], SecurityGroupIds: [] } });
  t.same((await engine.readResource(MODEL, applied!.state!, signal)).state!.vpc_config, [{ subnets: ['s'], security_group_ids: [] }], 'a VPC with subnets is kept');
  fake.described.set('moto', { ...stored, VpcConfig: { SecurityGroupIds: ['g'] }, EnableNetworkIsolation: undefined, InferenceExecutionConfig: {} });
  const other = (await engine.readResource(MODEL, applied!.state!, signal)).state!;
  t.same(other.vpc_config, [{ subnets: [], security_group_ids: ['g'] }], 'a VPC with security groups only is kept too');
  t.equal(other.enable_network_isolation, false);
  t.same(other.inference_execution_config, [], 'an execution config without a mode is none');
});

t.test('update: tags change in place, the model read back', async (t) => {
  const fake = new FakeSageMaker();
  const engine = await engineWith(fake);
  const { applied } = await create(engine, { name: 'm', execution_role_arn: ROLE, primary_container: [{ image: IMAGE }], tags: { A: '1', B: '2' } });
  const state = applied!.state!;
  fake.calls.length = 0;
  const config = configOf(engine, { name: 'm', execution_role_arn: ROLE, primary_container: [{ image: IMAGE }], tags: { A: '1', C: '3' } });
  const plan = engine.planResourceChange(MODEL, state, config, config, signal);
  t.same(plan.requiresReplace, []);
  const updated = await engine.applyResourceChange(MODEL, state, plan.planned, config, signal);
  t.same(updated.diagnostics, []);
  t.same(fake.calls.map((c) => [c.operation, c.input.TagKeys ?? c.input.Tags ?? c.input.ModelName ?? c.input.ResourceArn]), [
    ['DeleteTags', ['B']],
    ['AddTags', [{ Key: 'C', Value: '3' }]],
    ['DescribeModel', 'm'],
    ['ListTags', 'arn:aws:sagemaker:us-west-2:123456789012:model/m'],
  ]);
  t.same(updated.state!.tags_all, { A: '1', C: '3' });
  fake.models.delete('m');
  const vanished = await engine.applyResourceChange(MODEL, updated.state, { ...plan.planned!, tags: { A: '9' }, tags_all: { A: '9' } }, config, signal);
  t.match(vanished.diagnostics, [{ summary: /^updating SageMaker AI Model \(m\): .*DescribeModel, model not found$/ }], 'a model gone during the update is an error');
});

t.test('delete: deleted; a model already gone is no error; a model still in use is retried; another error is', async (t) => {
  const fake = new FakeSageMaker();
  const engine = await engineWith(fake);
  const { applied } = await create(engine, { name: 'm', execution_role_arn: ROLE, primary_container: [{ image: IMAGE }] });
  const state = applied!.state!;
  fake.failures.set('DeleteModel', [awsError('ResourceNotFound', 'in use')]);
  const deleted = await engine.applyResourceChange(MODEL, state, null, null, signal);
  t.same(deleted.diagnostics, []);
  t.equal(deleted.state, null);
  t.same(fake.operations().filter((o) => o === 'DeleteModel').length, 2, 'the ResourceNotFound answer was retried');
  t.notOk(fake.models.has('m'));
  const again = await engine.applyResourceChange(MODEL, state, null, null, signal);
  t.same(again.diagnostics, [], 'already gone');
  fake.models.set('m', { ModelName: 'm' });
  fake.failures.set('DeleteModel', [awsError('AccessDeniedException', 'no')]);
  const denied = await engine.applyResourceChange(MODEL, state, null, null, signal);
  t.match(denied.diagnostics, [{ summary: /^deleting SageMaker AI Model \(m\): .*AccessDeniedException: no$/ }]);
  t.same(denied.state, state, 'a failed delete keeps the state');
});

t.test('import: the name is the id', async (t) => {
  const fake = new FakeSageMaker();
  const engine = await engineWith(fake);
  await create(engine, { name: 'imported', execution_role_arn: ROLE, primary_container: [{ image: IMAGE }], tags: { A: '1' } });
  const imported = engine.importResourceState(MODEL, 'imported', signal);
  t.match(imported.state, { id: 'imported', name: 'imported' });
  const read = await engine.readResource(MODEL, imported.state!, signal);
  t.match(read.state, { id: 'imported', name: 'imported', execution_role_arn: ROLE, tags: { A: '1' }, tags_all: { A: '1' } });
});
