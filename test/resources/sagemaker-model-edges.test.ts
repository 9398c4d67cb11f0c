// aws_sagemaker_model at its edges, against the scripted SageMaker on the fast clock: the errors name SageMaker and the
// operation that failed; how long CreateModel is retried while the role cannot be assumed (IAM propagation, 2 minutes)
// and DeleteModel while the model is in use (5 minutes); a retried create that finds its own model; the container check
// over absent and unknown blocks; what a description may leave out of a container.
import t from 'tap';
import { completeObject } from '../../src/engine/schema';
import type { ProviderEngine } from '../../src/engine/lifecycle';
import type { AwsMeta } from '../../src/aws/meta';
import { UNKNOWN, type ObjectValue } from '../../src/values/value';
import { FakeSageMaker, awsError, engineWith } from './fake-sagemaker';
import { onFastClock } from '../support/resources-clock';

const MODEL = 'aws_sagemaker_model';
const ROLE = 'arn:aws:iam::123456789012:role/exec';
const IMAGE = '174872318107.dkr.ecr.us-west-2.amazonaws.com/kmeans:1';
const signal = new AbortController().signal;
const NOT_ASSUMABLE = () => awsError('ValidationException', 'Could not assume role arn:aws:iam::123456789012:role/exec.');

async function setUp() {
  const fake = new FakeSageMaker();
  const engine = await engineWith(fake);
  return { fake, engine };
}

const configOf = (engine: ProviderEngine<AwsMeta>, values: ObjectValue) => completeObject(engine.resource(MODEL).schema.block, values);

async function apply(engine: ProviderEngine<AwsMeta>, prior: ObjectValue | null, values: ObjectValue | null) {
  const config = values && configOf(engine, values);
  const planned = config ? engine.planResourceChange(MODEL, prior, config, config, signal).planned : null;
  const { value, elapsedMs } = await onFastClock(() => engine.applyResourceChange(MODEL, prior, planned, config, signal));
  return { ...value, elapsedMs };
}

const model = (name: string): ObjectValue => ({ name, execution_role_arn: ROLE, primary_container: [{ image: IMAGE }] });

t.test('errors name SageMaker and the operation that failed', async (t) => {
  const { fake, engine } = await setUp();
  fake.failures.set('DescribeModel', [awsError('ThrottlingException', 'slow down')]);
  const unread = await apply(engine, null, model('m'));
  t.match(unread.diagnostics.map((d) => d.summary), [/^reading SageMaker AI Model \(m\): operation error SageMaker: DescribeModel, .*ThrottlingException: slow down$/]);
  const state = (await engine.readResource(MODEL, unread.state!, signal)).state!;
  t.equal(fake.calls.at(-2)!.abortSignal, signal, 'a read can be cancelled');

  fake.failures.set('DescribeModel', [awsError('InternalFailure', 'oops')]);
  t.match((await engine.readResource(MODEL, state, signal)).diagnostics.map((d) => d.summary), [/^reading SageMaker AI Model \(m\): operation error SageMaker: DescribeModel, .*InternalFailure: oops$/]);

  fake.failures.set('DeleteModel', [awsError('AccessDeniedException', 'no')]);
  t.match((await apply(engine, state, null)).diagnostics.map((d) => d.summary), [/^deleting SageMaker AI Model \(m\): operation error SageMaker: DeleteModel, .*AccessDeniedException: no$/]);
  fake.failures.set('DeleteModel', [awsError('ValidationException', 'Could not find endpoint "m".')]);
  const other = await apply(engine, state, null);
  t.match(other.diagnostics.map((d) => d.summary), [/DeleteModel, .*Could not find endpoint/], 'only a missing model counts as gone');
  t.same(other.state, state);

  const config = configOf(engine, { ...model('m'), tags: { A: '1' } });
  const plan = engine.planResourceChange(MODEL, state, config, config, signal);
  fake.models.delete('m');
  const vanished = await engine.applyResourceChange(MODEL, state, plan.planned, config, signal);
  t.same(vanished.diagnostics.map((d) => d.summary), ['updating SageMaker AI Model (m): operation error SageMaker: DescribeModel, model not found']);
});

t.test('create: a role never assumable is retried for two minutes, then reported', async (t) => {
  const { fake, engine } = await setUp();
  fake.failures.set('CreateModel', Array.from({ length: 1000 }, NOT_ASSUMABLE));
  const created = await apply(engine, null, model('never'));
  t.match(created.diagnostics.map((d) => d.summary), [/^creating SageMaker AI Model \(never\): .*CreateModel, .*ValidationException: Could not assume role/]);
  t.equal(created.state, null);
  t.ok(fake.operations().filter((o) => o === 'CreateModel').length > 2);
  t.ok(created.elapsedMs > 2 * 60_000 - 10_000 && created.elapsedMs <= 2 * 60_000, `for two minutes (clock time ${created.elapsedMs} ms)`);
});

t.test('create: a retry that finds the model its earlier attempt made adopts it', async (t) => {
  const { fake, engine } = await setUp();
  // The first attempt's answer (a role not assumable yet) came after SageMaker had made the model after all.
  const send = fake.send.bind(fake);
  fake.send = async (command, options) => {
    if (command.constructor.name === 'CreateModelCommand' && fake.operations().filter((o) => o === 'CreateModel').length === 0) {
      await send(command, options);
      throw NOT_ASSUMABLE();
    }
    return send(command, options);
  };
  const created = await apply(engine, null, model('mine'));
  t.same(created.diagnostics, []);
  t.match(created.state, { id: 'mine', arn: /:model\/mine$/ });
  t.same(fake.operations().filter((o) => o === 'CreateModel').length, 2);
});

t.test('delete: a model still in use is retried for five minutes, then reported', async (t) => {
  const { fake, engine } = await setUp();
  const state = (await apply(engine, null, model('busy'))).state!;
  fake.failures.set('DeleteModel', Array.from({ length: 1000 }, () => awsError('ResourceNotFound', 'in use')));
  const deleted = await apply(engine, state, null);
  t.match(deleted.diagnostics.map((d) => d.summary), [/^deleting SageMaker AI Model \(busy\): .*DeleteModel, .*ResourceNotFound: in use$/]);
  t.same(deleted.state, state);
  t.ok(deleted.elapsedMs > 5 * 60_000 - 10_000 && deleted.elapsedMs <= 5 * 60_000, `for five minutes (clock time ${deleted.elapsedMs} ms)`);
});

t.test('validate: a container block absent (null) or known only at apply', async (t) => {
  const { engine } = await setUp();
  const errors = (values: ObjectValue) => engine.validateResourceConfig(MODEL, { ...configOf(engine, { execution_role_arn: ROLE }), ...values }).map((d) => d.summary);
  t.same(errors({ primary_container: null, container: null }), ['Missing container definition']);
  t.same(errors({ primary_container: null, container: [] }), ['Missing container definition']);
  t.same(errors({ primary_container: [], container: null }), ['Missing container definition']);
  t.same(errors({ primary_container: [], container: UNKNOWN }), [], 'containers known at apply may hold one');
});

t.test('create: an empty environment is not sent', async (t) => {
  const { fake, engine } = await setUp();
  await apply(engine, null, { ...model('env'), primary_container: [{ image: IMAGE, environment: {} }] });
  const sent = fake.calls.find((c) => c.operation === 'CreateModel')!.input;
  t.equal((sent.PrimaryContainer as ObjectValue).Environment, undefined);
});

t.test('read: what a description leaves out of a container is absent', async (t) => {
  const { fake, engine } = await setUp();
  const state = (await apply(engine, null, model('sparse'))).state!;
  const stored = fake.models.get('sparse')!;
  fake.described.set('sparse', {
    ...stored,
    VpcConfig: { Subnets: [] },
    PrimaryContainer: {
      ModelPackageName: 'arn:aws:sagemaker:us-west-2:123456789012:model-package/p/1',
      InferenceSpecificationName: 'spec',
      ImageConfig: { RepositoryAccessMode: 'Platform' },
      ModelDataSource: {},
      AdditionalModelDataSources: [{ ChannelName: 'extra' }, { ChannelName: 'raw', S3DataSource: { S3Uri: 's3://b/raw/', S3DataType: 'S3Prefix', CompressionType: 'None' } }],
    },
  });
  const read = (await engine.readResource(MODEL, state, signal)).state!;
  t.same(read.vpc_config, [], 'a VPC without subnets or security groups is none');
  const [container] = read.primary_container as ObjectValue[];
  t.match(container, { model_package_name: 'arn:aws:sagemaker:us-west-2:123456789012:model-package/p/1', inference_specification_name: 'spec' });
  t.same(container.image_config, [{ repository_access_mode: 'Platform', repository_auth_config: [] }]);
  t.same(container.model_data_source, []);
  fake.described.set('sparse', { ...stored, PrimaryContainer: { Image: IMAGE } });
  const [bare] = (await engine.readResource(MODEL, state, signal)).state!.primary_container as ObjectValue[];
  t.same([bare.image_config, bare.model_data_source, bare.additional_model_data_source, bare.multi_model_config], [[], [], [], []], 'a container with an image only');
  t.same(container.additional_model_data_source, [
    { channel_name: 'extra', s3_data_source: [] },
    { channel_name: 'raw', s3_data_source: [{ s3_uri: 's3://b/raw/', s3_data_type: 'S3Prefix', compression_type: 'None', model_access_config: [] }] },
  ]);
});
