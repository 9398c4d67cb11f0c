// aws_sagemaker_endpoint_configuration with every block set: what CreateEndpointConfig is sent, and that what
// SageMaker describes is read back as configured (nothing lost); its errors with the operation that failed; and the
// plan-time check of capture_content_type_header over unknown and null blocks. Against the scripted SageMaker.
import t from 'tap';
import type { ProviderEngine } from '../../src/engine/lifecycle';
import type { AwsMeta } from '../../src/aws/meta';
import { CtyNumber, UNKNOWN, type ObjectValue, type Value } from '../../src/values/value';
import { FakeSageMaker, awsError, completed, engineWith } from './fake-sagemaker';

const CONFIG = 'aws_sagemaker_endpoint_configuration';
const signal = new AbortController().signal;
const n = (v: number) => CtyNumber.of(v);
const ROLE = 'arn:aws:iam::123456789012:role/exec';
const KEY = 'arn:aws:kms:us-west-2:123456789012:key/k';


async function setUp() {
  const fake = new FakeSageMaker();
  const engine = await engineWith(fake);
  const configOf = (values: ObjectValue) => completed(engine.resource(CONFIG).schema.block, values);
  return { fake, engine, configOf };
}

async function create(engine: ProviderEngine<AwsMeta>, config: ObjectValue) {
  const plan = engine.planResourceChange(CONFIG, null, config, config, signal);
  if (plan.diagnostics.length > 0) throw new Error(`planned with diagnostics: ${JSON.stringify(plan.diagnostics)}`);
  return engine.applyResourceChange(CONFIG, null, plan.planned, config, signal);
}

const everything: ObjectValue = {
  name: 'full',
  tags: { Team: 'ml' },
  execution_role_arn: ROLE,
  kms_key_arn: KEY,
  production_variants: [
    {
      variant_name: 'main',
      model_name: 'm',
      instance_type: 'ml.g5.xlarge',
      accelerator_type: 'ml.eia2.medium',
      inference_ami_version: 'al2-ami-sagemaker-inference-gpu-2',
      initial_instance_count: n(2),
      initial_variant_weight: n(0.5),
      enable_ssm_access: true,
      container_startup_health_check_timeout_in_seconds: n(600),
      model_data_download_timeout_in_seconds: n(900),
      volume_size_in_gb: n(64),
      routing_config: [{ routing_strategy: 'RANDOM' }],
      core_dump_config: [{ destination_s3_uri: 's3://b/dumps', kms_key_id: KEY }],
      managed_instance_scaling: [{ status: 'ENABLED', min_instance_count: n(1), max_instance_count: n(4) }],
      capacity_reservation_config: [{ capacity_reservation_preference: 'capacity-reservations-only', ml_reservation_arn: 'arn:aws:sagemaker:us-west-2:123456789012:reservation/r' }],
    },
    { variant_name: 'serverless', model_name: 'm', serverless_config: [{ max_concurrency: n(5), memory_size_in_mb: n(2048), provisioned_concurrency: n(1) }] },
  ],
  shadow_production_variants: [{ variant_name: 'shadow', model_name: 'm2', instance_type: 'ml.m5.large', initial_instance_count: n(1), initial_variant_weight: n(1) }],
  async_inference_config: [
    {
      client_config: [{ max_concurrent_invocations_per_instance: n(4) }],
      output_config: [
        {
          s3_output_path: 's3://b/out',
          s3_failure_path: 's3://b/failed',
          kms_key_id: KEY,
          notification_config: [{ error_topic: 'arn:aws:sns:us-west-2:123456789012:e', success_topic: 'arn:aws:sns:us-west-2:123456789012:s', include_inference_response_in: ['SUCCESS_NOTIFICATION_TOPIC'] }],
        },
      ],
    },
  ],
  data_capture_config: [
    {
      enable_capture: true,
      initial_sampling_percentage: n(20),
      destination_s3_uri: 's3://b/capture',
      kms_key_id: KEY,
      capture_options: [{ capture_mode: 'Input' }, { capture_mode: 'Output' }],
      capture_content_type_header: [{ csv_content_types: null, json_content_types: ['application/json'] }],
    },
  ],
};

t.test('every block is sent as configured, and read back as configured', async (t) => {
  const { fake, engine, configOf } = await setUp();
  const applied = await create(engine, configOf(everything));
  t.same(applied.diagnostics, []);
  const sent = fake.calls.find((c) => c.operation === 'CreateEndpointConfig')!.input;
  t.same(sent, {
    EndpointConfigName: 'full',
    ProductionVariants: [
      {
        ModelName: 'm',
        InitialVariantWeight: 0.5,
        EnableSSMAccess: true,
        InitialInstanceCount: 2,
        ContainerStartupHealthCheckTimeoutInSeconds: 600,
        ModelDataDownloadTimeoutInSeconds: 900,
        VolumeSizeInGB: 64,
        InstanceType: 'ml.g5.xlarge',
        VariantName: 'main',
        AcceleratorType: 'ml.eia2.medium',
        RoutingConfig: { RoutingStrategy: 'RANDOM' },
        ServerlessConfig: undefined,
        CoreDumpConfig: { DestinationS3Uri: 's3://b/dumps', KmsKeyId: KEY },
        ManagedInstanceScaling: { Status: 'ENABLED', MinInstanceCount: 1, MaxInstanceCount: 4 },
        InferenceAmiVersion: 'al2-ami-sagemaker-inference-gpu-2',
        CapacityReservationConfig: { CapacityReservationPreference: 'capacity-reservations-only', MlReservationArn: 'arn:aws:sagemaker:us-west-2:123456789012:reservation/r' },
      },
      {
        ModelName: 'm',
        InitialVariantWeight: 1,
        EnableSSMAccess: false,
        InitialInstanceCount: undefined,
        ContainerStartupHealthCheckTimeoutInSeconds: undefined,
        ModelDataDownloadTimeoutInSeconds: undefined,
        VolumeSizeInGB: undefined,
        InstanceType: undefined,
        VariantName: 'serverless',
        AcceleratorType: undefined,
        RoutingConfig: undefined,
        ServerlessConfig: { MaxConcurrency: 5, MemorySizeInMB: 2048, ProvisionedConcurrency: 1 },
        CoreDumpConfig: undefined,
        ManagedInstanceScaling: undefined,
        InferenceAmiVersion: undefined,
        CapacityReservationConfig: undefined,
      },
    ],
    Tags: [{ Key: 'Team', Value: 'ml' }],
    AsyncInferenceConfig: {
      ClientConfig: { MaxConcurrentInvocationsPerInstance: 4 },
      OutputConfig: {
        S3OutputPath: 's3://b/out',
        KmsKeyId: KEY,
        S3FailurePath: 's3://b/failed',
        NotificationConfig: { ErrorTopic: 'arn:aws:sns:us-west-2:123456789012:e', SuccessTopic: 'arn:aws:sns:us-west-2:123456789012:s', IncludeInferenceResponseIn: ['SUCCESS_NOTIFICATION_TOPIC'] },
      },
    },
    DataCaptureConfig: {
      InitialSamplingPercentage: 20,
      DestinationS3Uri: 's3://b/capture',
      CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
      EnableCapture: true,
      KmsKeyId: KEY,
      CaptureContentTypeHeader: { CsvContentTypes: undefined, JsonContentTypes: ['application/json'] },
    },
    ExecutionRoleArn: ROLE,
    KmsKeyId: KEY,
    ShadowProductionVariants: [
      {
        ModelName: 'm2',
        InitialVariantWeight: 1,
        EnableSSMAccess: false,
        InitialInstanceCount: 1,
        ContainerStartupHealthCheckTimeoutInSeconds: undefined,
        ModelDataDownloadTimeoutInSeconds: undefined,
        VolumeSizeInGB: undefined,
        InstanceType: 'ml.m5.large',
        VariantName: 'shadow',
        AcceleratorType: undefined,
        RoutingConfig: undefined,
        ServerlessConfig: undefined,
        CoreDumpConfig: undefined,
        ManagedInstanceScaling: undefined,
        InferenceAmiVersion: undefined,
        CapacityReservationConfig: undefined,
      },
    ],
  });

  const state = applied.state!;
  t.match(state, { id: 'full', name: 'full', name_prefix: '', execution_role_arn: ROLE, kms_key_arn: KEY });
  t.same(state.async_inference_config, everything.async_inference_config, 'async_inference_config read back as configured');
  // An unset set is stored empty, as SDKv2 stores it.
  const capture = (everything.data_capture_config as ObjectValue[])[0];
  t.same(state.data_capture_config, [{ ...capture, capture_content_type_header: [{ csv_content_types: [], json_content_types: ['application/json'] }] }], 'data_capture_config read back as configured');
  const [main, serverless] = state.production_variants as ObjectValue[];
  t.match(main, { ...(everything.production_variants as ObjectValue[])[0] }, 'every field of a variant read back');
  t.match(serverless, { serverless_config: (everything.production_variants as ObjectValue[])[1].serverless_config, routing_config: [], core_dump_config: [], managed_instance_scaling: [], capacity_reservation_config: [] });
  t.match(serverless, { instance_type: '', accelerator_type: '', inference_ami_version: '', enable_ssm_access: false });
  t.match((state.shadow_production_variants as ObjectValue[])[0], { variant_name: 'shadow', model_name: 'm2', instance_type: 'ml.m5.large' });

  const read = await engine.readResource(CONFIG, state, signal);
  t.same(read.state, state, 'a refresh reads the same state');
  const replan = engine.planResourceChange(CONFIG, state, configOf(everything), configOf(everything), signal);
  t.equal(replan.planned, state, 'and plans no change');
});

t.test('optional inner blocks left out are not sent, and read back absent', async (t) => {
  const { fake, engine, configOf } = await setUp();
  const applied = await create(
    engine,
    configOf({
      name: 'lean',
      production_variants: [{ model_name: 'm', instance_type: 'ml.m5.large' }],
      async_inference_config: [{ client_config: [{ max_concurrent_invocations_per_instance: n(2) }] }],
      data_capture_config: [{ initial_sampling_percentage: n(10), destination_s3_uri: 's3://b/c', capture_options: [{ capture_mode: 'Input' }] }],
    }),
  );
  t.same(applied.diagnostics, []);
  const sent = fake.calls.find((c) => c.operation === 'CreateEndpointConfig')!.input;
  t.same(sent.AsyncInferenceConfig, { ClientConfig: { MaxConcurrentInvocationsPerInstance: 2 }, OutputConfig: undefined });
  t.same((sent.DataCaptureConfig as ObjectValue).CaptureContentTypeHeader, undefined);
  t.same(applied.state!.async_inference_config, [{ client_config: [{ max_concurrent_invocations_per_instance: n(2) }], output_config: [] }]);

  const withOutput = await create(
    engine,
    configOf({
      name: 'quiet',
      production_variants: [{ model_name: 'm', instance_type: 'ml.m5.large' }],
      async_inference_config: [{ output_config: [{ s3_output_path: 's3://b/out', notification_config: [{ error_topic: 'arn:aws:sns:us-west-2:123456789012:e' }] }] }],
    }),
  );
  t.same(withOutput.diagnostics, []);
  const output = ((fake.calls.filter((c) => c.operation === 'CreateEndpointConfig').at(-1)!.input.AsyncInferenceConfig as ObjectValue).OutputConfig as ObjectValue);
  t.same(output.NotificationConfig, { ErrorTopic: 'arn:aws:sns:us-west-2:123456789012:e', SuccessTopic: undefined, IncludeInferenceResponseIn: undefined }, 'an empty list is not sent');
  await create(engine, configOf({ name: 'silent', production_variants: [{ model_name: 'm', instance_type: 'ml.m5.large' }], async_inference_config: [{ output_config: [{ s3_output_path: 's3://b/out' }] }] }));
  const silent = ((fake.calls.filter((c) => c.operation === 'CreateEndpointConfig').at(-1)!.input.AsyncInferenceConfig as ObjectValue).OutputConfig as ObjectValue);
  t.equal(silent.NotificationConfig, undefined);
});

t.test('what SageMaker leaves out of a description is read as SDKv2 stores it', async (t) => {
  const { fake, engine, configOf } = await setUp();
  const state = (await create(engine, configOf(everything))).state!;
  const stored = fake.configs.get('full')!;
  const variants = stored.ProductionVariants as Record<string, unknown>[];
  variants[0] = { VariantName: undefined, ModelName: undefined, RoutingConfig: {}, CoreDumpConfig: {}, CapacityReservationConfig: {}, ManagedInstanceScaling: { Status: '' } };
  stored.DataCaptureConfig = { CaptureContentTypeHeader: {}, CaptureOptions: [{}] };
  stored.AsyncInferenceConfig = { OutputConfig: { NotificationConfig: {} } };
  const read = (await engine.readResource(CONFIG, state, signal)).state!;
  // The values are stored as SDKv2 stores them (the zero value of their type for what is absent).
  t.match((read.production_variants as ObjectValue[])[0], {
    variant_name: '',
    model_name: '',
    enable_ssm_access: false,
    routing_config: [{ routing_strategy: '' }],
    core_dump_config: [{ destination_s3_uri: '', kms_key_id: '' }],
    capacity_reservation_config: [{ capacity_reservation_preference: '', ml_reservation_arn: '' }],
    managed_instance_scaling: [{ status: '' }],
  });
  t.equal(Number(((read.production_variants as ObjectValue[])[0].initial_variant_weight as CtyNumber).toNumber()), 0);
  t.same(read.data_capture_config, [
    {
      initial_sampling_percentage: n(0),
      destination_s3_uri: '',
      capture_options: [{ capture_mode: '' }],
      enable_capture: false,
      kms_key_id: '',
      capture_content_type_header: [{ csv_content_types: [], json_content_types: [] }],
    },
  ]);
  t.same(read.async_inference_config, [
    { client_config: [], output_config: [{ s3_output_path: '', kms_key_id: '', s3_failure_path: '', notification_config: [{ error_topic: '', success_topic: '', include_inference_response_in: [] }] }] },
  ]);
});

t.test('errors name SageMaker and the operation that failed; a failed read-back keeps the configuration in the state', async (t) => {
  const { fake, engine, configOf } = await setUp();
  const config = configOf({ name: 'c', production_variants: [{ model_name: 'm', instance_type: 'ml.m5.large' }] });
  fake.failures.set('CreateEndpointConfig', [awsError('ResourceLimitExceeded', 'too many')]);
  const refused = await create(engine, config);
  t.match(refused.diagnostics, [{ summary: /^creating SageMaker AI Endpoint Configuration \(c\): operation error SageMaker: CreateEndpointConfig, .*ResourceLimitExceeded: too many$/ }]);
  t.equal(refused.state, null);

  fake.failures.set('DescribeEndpointConfig', [awsError('AccessDeniedException', 'no describe')]);
  const unread = await create(engine, config);
  t.match(unread.diagnostics, [{ summary: /^reading SageMaker AI Endpoint Configuration \(c\): operation error SageMaker: DescribeEndpointConfig, .*AccessDeniedException: no describe$/ }]);
  t.match(unread.state, { id: 'c', name: 'c', arn: null }, 'it exists: kept in the state, its ARN not known');
  t.ok(fake.configs.has('c'));

  const state = (await engine.readResource(CONFIG, unread.state!, signal)).state!;
  t.equal(state.execution_role_arn, '');
  const reads = fake.calls.filter((c) => c.operation === 'DescribeEndpointConfig');
  t.equal(reads.at(-1)!.abortSignal, signal, 'a read can be cancelled');

  fake.failures.set('DeleteEndpointConfig', [awsError('AccessDeniedException', 'no delete')]);
  const undeleted = await engine.applyResourceChange(CONFIG, state, null, null, signal);
  t.match(undeleted.diagnostics, [{ summary: /^deleting SageMaker AI Endpoint Configuration \(c\): operation error SageMaker: DeleteEndpointConfig, .*AccessDeniedException: no delete$/ }]);
  t.same(undeleted.state, state, 'a failed delete keeps the state');
  const deleted = await engine.applyResourceChange(CONFIG, state, null, null, signal);
  t.same(deleted.diagnostics, []);
  t.equal(deleted.state, null);
  t.notOk(fake.configs.has('c'), 'deleted');
  t.same(fake.calls.at(-1)!.input, { EndpointConfigName: 'c' });
  fake.failures.set('DeleteEndpointConfig', [awsError('ValidationException', 'Could not find model "c".')]);
  const other = await engine.applyResourceChange(CONFIG, state, null, null, signal);
  t.match(other.diagnostics, [{ summary: /ValidationException: Could not find model/ }], 'only a missing endpoint configuration counts as gone');

  // A tags-only update reads the configuration back; gone by then, it is an error.
  const again = (await create(engine, config)).state!;
  const retag = configOf({ name: 'c', production_variants: [{ model_name: 'm', instance_type: 'ml.m5.large', variant_name: (again.production_variants as ObjectValue[])[0].variant_name }], tags: { A: '1' } });
  const plan = engine.planResourceChange(CONFIG, again, retag, retag, signal);
  fake.configs.delete('c');
  const vanished = await engine.applyResourceChange(CONFIG, again, plan.planned, retag, signal);
  t.same(vanished.diagnostics.map((d) => d.summary), ['reading SageMaker AI Endpoint Configuration (c): operation error SageMaker: DescribeEndpointConfig, endpoint configuration not found']);
});

t.test('plan: capture_content_type_header needs one of its lists, known or not yet; an absent block is not judged', async (t) => {
  const { engine, configOf } = await setUp();
  const capture = (header: Value[] | null, rest: ObjectValue = {}) => ({
    production_variants: [{ model_name: 'm', instance_type: 'ml.m5.large' }],
    data_capture_config: [{ initial_sampling_percentage: n(10), destination_s3_uri: 's3://b/p', capture_options: [{ capture_mode: 'Input' }], capture_content_type_header: header, ...rest }],
  });
  const problems = (values: ObjectValue, header?: Value[]) => {
    const config = configOf(values);
    if (header) ((config.data_capture_config as ObjectValue[])[0] as ObjectValue).capture_content_type_header = header;
    const errors = engine.planResourceChange(CONFIG, null, config, config, signal).diagnostics.filter((d) => d.severity === 'error');
    return errors.length;
  };
  t.equal(problems(capture([{ csv_content_types: null, json_content_types: null }])), 1, 'neither list');
  t.equal(problems(capture([{ csv_content_types: ['text/csv'], json_content_types: null }])), 0, 'csv only');
  t.equal(problems(capture([{ csv_content_types: null, json_content_types: ['application/json'] }])), 0, 'json only');
  t.equal(problems(capture([{ csv_content_types: UNKNOWN, json_content_types: null }])), 0, 'a list known at apply');
  t.equal(problems(capture([{ csv_content_types: null, json_content_types: UNKNOWN }])), 0, 'the other list known at apply');
  t.equal(problems(capture([])), 0, 'no header block');
  t.equal(problems(capture(null)), 0, 'no header block (null)');
  t.equal(problems({ ...capture(null), data_capture_config: null }), 0, 'no capture block');
  t.equal(problems(capture([]), [null as unknown as Value, { csv_content_types: null, json_content_types: null }]), 1, 'a null header block skipped, the next judged');
});
