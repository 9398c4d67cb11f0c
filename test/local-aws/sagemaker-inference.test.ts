// SageMaker endpoint configurations and endpoints through the AWS SDK v3 client: what is stored and returned, the
// API's validation errors, the status transitions, injected failures, persistence, tags and list pagination.
// Two endpoints make the transitions deterministic: `fast` completes a deployment at its next read
// (--transition-seconds 0) and `slow` never within a test (3600 s); one test runs the default delay to its end.
import t, { type Test } from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddTagsCommand,
  CreateEndpointCommand,
  type CreateEndpointCommandInput,
  CreateEndpointConfigCommand,
  type CreateEndpointConfigCommandInput,
  CreateModelCommand,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DeleteTagsCommand,
  DescribeEndpointCommand,
  type DescribeEndpointCommandOutput,
  DescribeEndpointConfigCommand,
  ListEndpointConfigsCommand,
  ListEndpointsCommand,
  ListTagsCommand,
  ProductionVariantInstanceType,
  type ProductionVariant,
  SageMakerClient,
  UpdateEndpointCommand,
  type UpdateEndpointCommandInput,
} from '@aws-sdk/client-sagemaker';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { startEndpoint, type RunningEndpoint } from '../support/endpoint';
import { trustPolicyJson } from '../support/fixtures';
import { awsClientConfig, failure } from './sdk';

const TRUST = trustPolicyJson();
const IMAGE = '123456789012.dkr.ecr.us-west-2.amazonaws.com/serve:1.2';
const ARN = 'arn:aws:sagemaker:us-west-2:000000000000';

const dir = mkdtempSync(join(tmpdir(), 'local-aws-inference-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

interface Running {
  endpoint: RunningEndpoint;
  sm: SageMakerClient;
}

async function start(args: string[]): Promise<Running> {
  const endpoint = await startEndpoint(args);
  return { endpoint, sm: new SageMakerClient(awsClientConfig(endpoint.url, 'us-west-2')) };
}

async function stop(running: Running): Promise<void> {
  running.sm.destroy();
  await running.endpoint.stop();
}

let fast: Running;
let slow: Running;

t.before(async () => {
  [fast, slow] = await Promise.all([start(['--transition-seconds', '0']), start(['--transition-seconds', '3600'])]);
});
t.teardown(async () => {
  await Promise.all([stop(fast), stop(slow)]);
});
t.beforeEach(async () => {
  await Promise.all([fast.endpoint.admin.reset(), slow.endpoint.admin.reset()]);
});

/** A role and models `names` on the endpoint behind `sm`. */
async function models(running: Running, ...names: string[]): Promise<void> {
  const iam = new IAMClient(awsClientConfig(running.endpoint.url));
  try {
    const role = (await iam.send(new CreateRoleCommand({ RoleName: 'exec', AssumeRolePolicyDocument: TRUST }))).Role!;
    for (const name of names) {
      await running.sm.send(new CreateModelCommand({ ModelName: name, ExecutionRoleArn: role.Arn, PrimaryContainer: { Image: IMAGE } }));
    }
  } finally {
    iam.destroy();
  }
}

/** An instance-based variant; overrides set to undefined remove a member. */
function variant(overrides: Partial<ProductionVariant> = {}): ProductionVariant {
  const all = { VariantName: 'AllTraffic', ModelName: 'm', InitialInstanceCount: 2, InstanceType: 'ml.m5.large', InitialVariantWeight: 1, ...overrides };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined)) as unknown as ProductionVariant;
}

function createConfig(sm: SageMakerClient, input: Partial<CreateEndpointConfigCommandInput> & { EndpointConfigName: string }) {
  return sm.send(new CreateEndpointConfigCommand({ ProductionVariants: [variant()], ...input }));
}

function createEndpoint(sm: SageMakerClient, input: CreateEndpointCommandInput) {
  return sm.send(new CreateEndpointCommand(input));
}

const describe = (sm: SageMakerClient, name: string) => sm.send(new DescribeEndpointCommand({ EndpointName: name }));

t.test('CreateEndpointConfig stores what was sent and DescribeEndpointConfig returns exactly that', async (t) => {
  await models(fast, 'm', 'shadow-model');
  const production = variant({
    ContainerStartupHealthCheckTimeoutInSeconds: 600,
    ModelDataDownloadTimeoutInSeconds: 900,
    VolumeSizeInGB: 30,
    EnableSSMAccess: false,
    ManagedInstanceScaling: { Status: 'ENABLED', MinInstanceCount: 1, MaxInstanceCount: 4 },
    RoutingConfig: { RoutingStrategy: 'LEAST_OUTSTANDING_REQUESTS' },
    CoreDumpConfig: { DestinationS3Uri: 's3://dumps/core', KmsKeyId: 'arn:aws:kms:us-west-2:000000000000:key/k' },
  });
  const shadow = variant({ VariantName: 'Shadow', ModelName: 'shadow-model', InitialVariantWeight: 0.5, InitialInstanceCount: 1 });
  const dataCapture = {
    EnableCapture: true,
    InitialSamplingPercentage: 50,
    DestinationS3Uri: 's3://capture/prefix',
    CaptureOptions: [{ CaptureMode: 'Input' as const }, { CaptureMode: 'Output' as const }],
    CaptureContentTypeHeader: { JsonContentTypes: ['application/json'] },
  };
  const asyncInference = {
    ClientConfig: { MaxConcurrentInvocationsPerInstance: 4 },
    OutputConfig: {
      S3OutputPath: 's3://async/out',
      S3FailurePath: 's3://async/failed',
      NotificationConfig: { SuccessTopic: 'arn:aws:sns:us-west-2:000000000000:ok', IncludeInferenceResponseIn: ['SUCCESS_NOTIFICATION_TOPIC' as const] },
    },
  };
  const created = await createConfig(fast.sm, {
    EndpointConfigName: 'My-Config',
    ProductionVariants: [production],
    ShadowProductionVariants: [shadow],
    DataCaptureConfig: dataCapture,
    AsyncInferenceConfig: asyncInference,
    KmsKeyId: 'alias/volumes',
    Tags: [{ Key: 'team', Value: 'ml' }],
  });
  t.equal(created.EndpointConfigArn, `${ARN}:endpoint-config/my-config`, 'the ARN holds the lower-cased name');

  const described = await fast.sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: 'my-config' }));
  t.equal(described.EndpointConfigName, 'My-Config', 'found regardless of case; the name keeps its case');
  t.equal(described.EndpointConfigArn, created.EndpointConfigArn);
  t.same(described.ProductionVariants, [production]);
  t.same(described.ShadowProductionVariants, [shadow]);
  t.same(described.DataCaptureConfig, dataCapture);
  t.same(described.AsyncInferenceConfig, asyncInference);
  t.equal(described.KmsKeyId, 'alias/volumes');
  t.ok(described.CreationTime instanceof Date && Math.abs(described.CreationTime.getTime() - Date.now()) < 60_000, 'CreationTime is now');

  const serverless = variant({ VariantName: 'Serverless', InstanceType: undefined, InitialInstanceCount: undefined, ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5, ProvisionedConcurrency: 1 } });
  await createConfig(fast.sm, { EndpointConfigName: 'serverless', ProductionVariants: [serverless] });
  const plain = await fast.sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: 'serverless' }));
  t.same(plain.ProductionVariants, [serverless]);
  t.equal(plain.DataCaptureConfig, undefined, 'no DataCaptureConfig when none was sent');
  t.equal(plain.AsyncInferenceConfig, undefined);
  t.equal(plain.KmsKeyId, undefined);
  t.equal(plain.ShadowProductionVariants, undefined);
});

t.test('endpoint configurations: duplicates, missing models and missing configurations', async (t) => {
  await models(fast, 'm');
  await createConfig(fast.sm, { EndpointConfigName: 'Dup' });
  const duplicate = await failure(createConfig(fast.sm, { EndpointConfigName: 'dup' }));
  t.same(duplicate, {
    name: 'ValidationException',
    message: `Cannot create already existing endpoint configuration "${ARN}:endpoint-config/dup".`,
    status: 400,
  });
  const noModel = await failure(createConfig(fast.sm, { EndpointConfigName: 'orphan', ProductionVariants: [variant({ ModelName: 'Absent' })] }));
  t.equal(noModel.name, 'ValidationException');
  t.equal(noModel.message, `Could not find model "${ARN}:model/absent".`);
  const noShadowModel = await failure(
    createConfig(fast.sm, { EndpointConfigName: 'orphan', ShadowProductionVariants: [variant({ VariantName: 'S', ModelName: 'gone' })] }),
  );
  t.equal(noShadowModel.message, `Could not find model "${ARN}:model/gone".`, 'shadow variants name existing models too');

  for (const call of [
    fast.sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: 'none' })),
    fast.sm.send(new DeleteEndpointConfigCommand({ EndpointConfigName: 'none' })),
    createEndpoint(fast.sm, { EndpointName: 'e', EndpointConfigName: 'none' }),
  ]) {
    t.same(await failure(call), { name: 'ValidationException', message: `Could not find endpoint configuration "${ARN}:endpoint-config/none".`, status: 400 });
  }
  await fast.sm.send(new DeleteEndpointConfigCommand({ EndpointConfigName: 'DUP' }));
  t.match((await failure(fast.sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: 'Dup' })))).message, /^Could not find endpoint configuration/);
  t.same((await fast.endpoint.admin.state()).endpointConfigs, [], 'only valid configurations were stored, and the deleted one is gone');
});

t.test('endpoint configurations: the API model constraints, with AWS wording', async (t) => {
  await models(fast, 'm');
  const create = (input: Record<string, unknown>) => failure(fast.sm.send(new CreateEndpointConfigCommand({ EndpointConfigName: 'c', ...input } as never)));

  let error = await create({ EndpointConfigName: 'bad_name', ProductionVariants: [variant()] });
  t.equal(
    error.message,
    "1 validation error detected: Value 'bad_name' at 'endpointConfigName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
  );
  error = await create({ EndpointConfigName: 'a'.repeat(64), ProductionVariants: [variant()] });
  t.match(error.message, /at 'endpointConfigName' failed to satisfy constraint: Member must have length less than or equal to 63/);
  error = await create({});
  t.equal(error.message, "1 validation error detected: Value null at 'productionVariants' failed to satisfy constraint: Member must not be null");
  error = await create({ ProductionVariants: [] });
  t.match(error.message, /at 'productionVariants' failed to satisfy constraint: Member must have length greater than or equal to 1/);
  error = await create({ ProductionVariants: Array.from({ length: 11 }, (_, i) => variant({ VariantName: `v${i}` })) });
  t.match(error.message, /at 'productionVariants' failed to satisfy constraint: Member must have length less than or equal to 10/);

  error = await create({ ProductionVariants: [variant({ InstanceType: 'ml.fake.large' as never, ModelName: 'ENTER MODEL NAME', InitialInstanceCount: 0 })] });
  t.match(error.message, /^3 validation errors detected: /);
  t.match(error.message, "Value 'ml.fake.large' at 'productionVariants.1.member.instanceType' failed to satisfy constraint: Member must satisfy enum value set: [");
  t.match(error.message, "Value 'ENTER MODEL NAME' at 'productionVariants.1.member.modelName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9])*");
  t.match(error.message, "Value '0' at 'productionVariants.1.member.initialInstanceCount' failed to satisfy constraint: Member must have value greater than or equal to 1");

  error = await create({
    ProductionVariants: [
      variant({
        InitialVariantWeight: -1,
        AcceleratorType: 'ml.eia9.huge' as never,
        VolumeSizeInGB: 513,
        ModelDataDownloadTimeoutInSeconds: 59,
        ContainerStartupHealthCheckTimeoutInSeconds: 3601,
        RoutingConfig: { RoutingStrategy: 'ROUND_ROBIN' as never },
        ManagedInstanceScaling: { Status: 'ON' as never, MaxInstanceCount: 0 },
        CoreDumpConfig: { DestinationS3Uri: 'ftp://x' },
      }),
    ],
  });
  for (const path of ['initialVariantWeight', 'acceleratorType', 'volumeSizeInGB', 'modelDataDownloadTimeoutInSeconds', 'containerStartupHealthCheckTimeoutInSeconds', 'routingConfig.routingStrategy', 'managedInstanceScaling.status', 'managedInstanceScaling.maxInstanceCount', 'coreDumpConfig.destinationS3Uri']) {
    t.match(error.message, `at 'productionVariants.1.member.${path}' failed to satisfy constraint`, path);
  }
  t.match(error.message, /^9 validation errors detected/);

  error = await create({ ProductionVariants: [variant({ InstanceType: undefined, InitialInstanceCount: undefined, ServerlessConfig: { MemorySizeInMB: 512, MaxConcurrency: 201 } })] });
  t.match(error.message, "at 'productionVariants.1.member.serverlessConfig.memorySizeInMB' failed to satisfy constraint: Member must have value greater than or equal to 1024");
  t.match(error.message, "at 'productionVariants.1.member.serverlessConfig.maxConcurrency' failed to satisfy constraint: Member must have value less than or equal to 200");

  error = await create({
    ProductionVariants: [variant()],
    DataCaptureConfig: { InitialSamplingPercentage: 101, DestinationS3Uri: 'bucket/prefix', CaptureOptions: [{ CaptureMode: 'Everything' }], CaptureContentTypeHeader: { CsvContentTypes: ['text'] } },
    KmsKeyId: 'has spaces',
    AsyncInferenceConfig: { ClientConfig: { MaxConcurrentInvocationsPerInstance: 1001 } },
  });
  for (const path of [
    'dataCaptureConfig.initialSamplingPercentage',
    'dataCaptureConfig.destinationS3Uri',
    'dataCaptureConfig.captureOptions.1.member.captureMode',
    'dataCaptureConfig.captureContentTypeHeader.csvContentTypes.1.member',
    'kmsKeyId',
    'asyncInferenceConfig.clientConfig.maxConcurrentInvocationsPerInstance',
  ]) {
    t.match(error.message, `at '${path}' failed to satisfy constraint`, path);
  }
  t.match(error.message, "Value null at 'asyncInferenceConfig.outputConfig' failed to satisfy constraint: Member must not be null");

  const wrongType = await failure(fast.sm.send(new CreateEndpointConfigCommand({ EndpointConfigName: 'c', ProductionVariants: [{ ...variant(), InitialInstanceCount: 'two' as never }] })));
  t.equal(wrongType.name, 'SerializationException', 'a value of the wrong JSON type is refused before validation');
  t.same((await fast.endpoint.admin.state()).endpointConfigs, [], 'nothing was stored');
});

t.test('endpoint configurations: serverless or instances, unique variant names, shadow variants', async (t) => {
  await models(fast, 'm');
  const create = (input: Partial<CreateEndpointConfigCommandInput>) => failure(createConfig(fast.sm, { EndpointConfigName: 'c', ...input }));
  const serverlessConfig = { MemorySizeInMB: 1024, MaxConcurrency: 1 };

  let error = await create({ ProductionVariants: [variant({ ServerlessConfig: serverlessConfig })] });
  t.equal(error.name, 'ValidationException');
  t.equal(error.message, 'ProductionVariant AllTraffic cannot specify both ServerlessConfig and InstanceType or InitialInstanceCount.');
  error = await create({ ProductionVariants: [variant({ InstanceType: undefined, InitialInstanceCount: undefined, ServerlessConfig: serverlessConfig, VariantName: 'ok' }), variant({ VariantName: 'half', InitialInstanceCount: undefined })] });
  t.equal(error.message, 'ProductionVariant half must specify either ServerlessConfig or both InstanceType and InitialInstanceCount.');
  error = await create({ ProductionVariants: [variant(), variant()] });
  t.equal(error.message, 'The variant name AllTraffic is used more than once. Variant names must be unique within an endpoint configuration.');
  error = await create({ ShadowProductionVariants: [variant()] });
  t.match(error.message, /The variant name AllTraffic is used more than once/, 'shadow and production variants share one namespace');
  error = await create({ ProductionVariants: [variant(), variant({ VariantName: 'b' })], ShadowProductionVariants: [variant({ VariantName: 's' })] });
  t.equal(error.message, 'An endpoint configuration with ShadowProductionVariants must have exactly one production variant and one shadow variant.');
  error = await create({ Tags: [{ Key: 'aws:owner', Value: 'x' }] });
  t.match(error.message, /reserved/);

  // Every instance type of the API model is accepted: the table comes from the SDK, not from a copy.
  const types = Object.values(ProductionVariantInstanceType);
  const last = types[types.length - 1];
  await createConfig(fast.sm, { EndpointConfigName: 'newest-type', ProductionVariants: [variant({ InstanceType: last })] });
  t.equal((await fast.sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: 'newest-type' }))).ProductionVariants![0].InstanceType, last);
});

t.test('an endpoint goes Creating → InService and then describes what it runs', async (t) => {
  await Promise.all([models(fast, 'm'), models(slow, 'm')]);
  const deploymentConfig = {
    BlueGreenUpdatePolicy: {
      TrafficRoutingConfiguration: { Type: 'CANARY' as const, WaitIntervalInSeconds: 60, CanarySize: { Type: 'CAPACITY_PERCENT' as const, Value: 10 } },
      TerminationWaitInSeconds: 0,
      MaximumExecutionTimeoutInSeconds: 1800,
    },
    AutoRollbackConfiguration: { Alarms: [{ AlarmName: 'errors' }] },
  };
  const dataCapture = { InitialSamplingPercentage: 20, DestinationS3Uri: 's3://capture/x', CaptureOptions: [{ CaptureMode: 'Input' as const }] };
  for (const { sm } of [fast, slow]) {
    await createConfig(sm, {
      EndpointConfigName: 'cfg',
      ProductionVariants: [variant({ InitialVariantWeight: 0.75, AcceleratorType: 'ml.eia2.medium' }), variant({ VariantName: 'Serverless', InstanceType: undefined, InitialInstanceCount: undefined, ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 3 } })],
      DataCaptureConfig: dataCapture,
    });
    const created = await createEndpoint(sm, { EndpointName: 'My-Endpoint', EndpointConfigName: 'cfg', DeploymentConfig: deploymentConfig, Tags: [{ Key: 'a', Value: 'b' }] });
    t.equal(created.EndpointArn, `${ARN}:endpoint/my-endpoint`);
  }

  const creating = await describe(slow.sm, 'my-endpoint');
  t.equal(creating.EndpointStatus, 'Creating');
  t.equal(creating.EndpointName, 'My-Endpoint');
  t.equal(creating.EndpointConfigName, 'cfg');
  t.equal(creating.ProductionVariants, undefined, 'nothing is deployed yet');
  t.equal(creating.FailureReason, undefined);
  t.same(creating.LastDeploymentConfig, deploymentConfig);
  const pending = creating.PendingDeploymentSummary!;
  t.equal(pending.EndpointConfigName, 'cfg');
  t.equal(pending.ProductionVariants!.length, 2);
  t.match(pending.ProductionVariants![0], { VariantName: 'AllTraffic', DesiredWeight: 0.75, DesiredInstanceCount: 2, InstanceType: 'ml.m5.large', AcceleratorType: 'ml.eia2.medium' });
  t.equal(pending.ProductionVariants![0].VariantStatus![0].Status, 'Creating');
  t.equal(pending.ProductionVariants![0].CurrentInstanceCount, undefined, 'nothing runs yet');
  t.same(pending.ProductionVariants![1].DesiredServerlessConfig, { MemorySizeInMB: 2048, MaxConcurrency: 3 });
  t.same((await slow.sm.send(new ListEndpointsCommand({}))).Endpoints!.map((e) => e.EndpointStatus), ['Creating']);

  const inService = await describe(fast.sm, 'My-Endpoint');
  t.equal(inService.EndpointStatus, 'InService');
  t.equal(inService.PendingDeploymentSummary, undefined);
  t.same(inService.LastDeploymentConfig, deploymentConfig);
  const [instances, serverless] = inService.ProductionVariants!;
  t.match(instances, { VariantName: 'AllTraffic', CurrentWeight: 0.75, DesiredWeight: 0.75, CurrentInstanceCount: 2, DesiredInstanceCount: 2 });
  t.equal(instances.DeployedImages!.length, 1);
  t.equal(instances.DeployedImages![0].SpecifiedImage, IMAGE);
  t.match(instances.DeployedImages![0].ResolvedImage, /^123456789012\.dkr\.ecr\.us-west-2\.amazonaws\.com\/serve@sha256:[0-9a-f]{64}$/, 'the tag is resolved to a digest');
  t.ok(instances.DeployedImages![0].ResolutionTime instanceof Date);
  t.match(serverless, { VariantName: 'Serverless', CurrentWeight: 1, DesiredWeight: 1, CurrentServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 3 } });
  t.equal(serverless.CurrentInstanceCount, undefined, 'a serverless variant has no instances');
  t.same(inService.DataCaptureConfig, { EnableCapture: true, CaptureStatus: 'Started', CurrentSamplingPercentage: 20, DestinationS3Uri: 's3://capture/x' });
  t.ok(inService.LastModifiedTime!.getTime() >= inService.CreationTime!.getTime());

  const duplicate = await failure(createEndpoint(fast.sm, { EndpointName: 'my-endpoint', EndpointConfigName: 'cfg' }));
  t.same(duplicate, { name: 'ValidationException', message: `Cannot create already existing endpoint "${ARN}:endpoint/my-endpoint".`, status: 400 });
});

t.test('the default transition delay ends in InService without anything else reading the endpoint', async (t) => {
  const running = await start([]);
  t.teardown(() => stop(running));
  await models(running, 'm');
  await createConfig(running.sm, { EndpointConfigName: 'cfg' });
  await createEndpoint(running.sm, { EndpointName: 'e', EndpointConfigName: 'cfg' });
  let status: string | undefined;
  for (let i = 0; i < 100 && status !== 'InService'; i++) {
    status = (await describe(running.sm, 'e')).EndpointStatus;
    if (status !== 'InService') await new Promise((done) => setTimeout(done, 100));
  }
  t.equal(status, 'InService');
});

t.test('endpoint input validation', async (t) => {
  await models(fast, 'm');
  await createConfig(fast.sm, { EndpointConfigName: 'cfg' });
  const create = (input: Record<string, unknown>) => failure(fast.sm.send(new CreateEndpointCommand({ EndpointName: 'e', EndpointConfigName: 'cfg', ...input } as never)));
  let error = await create({ EndpointName: 'e!' });
  t.equal(error.message, "1 validation error detected: Value 'e!' at 'endpointName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9])*");
  error = await create({
    DeploymentConfig: {
      BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: 'SOMETIMES', WaitIntervalInSeconds: 3601 }, TerminationWaitInSeconds: -1, MaximumExecutionTimeoutInSeconds: 599 },
      AutoRollbackConfiguration: { Alarms: [{ AlarmName: '   ' }] },
    },
  });
  for (const path of [
    'deploymentConfig.blueGreenUpdatePolicy.trafficRoutingConfiguration.type',
    'deploymentConfig.blueGreenUpdatePolicy.trafficRoutingConfiguration.waitIntervalInSeconds',
    'deploymentConfig.blueGreenUpdatePolicy.terminationWaitInSeconds',
    'deploymentConfig.blueGreenUpdatePolicy.maximumExecutionTimeoutInSeconds',
    'deploymentConfig.autoRollbackConfiguration.alarms.1.member.alarmName',
  ]) {
    t.match(error.message, `at '${path}' failed to satisfy constraint`, path);
  }
  error = await create({ DeploymentConfig: { RollingUpdatePolicy: { WaitIntervalInSeconds: 5, MaximumBatchSize: { Type: 'INSTANCE_COUNT', Value: 0 } } } });
  t.match(error.message, "at 'deploymentConfig.rollingUpdatePolicy.maximumBatchSize.value' failed to satisfy constraint: Member must have value greater than or equal to 1");
  const routing = { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 0 };
  error = await create({ DeploymentConfig: { BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: routing }, RollingUpdatePolicy: { WaitIntervalInSeconds: 5, MaximumBatchSize: { Type: 'INSTANCE_COUNT', Value: 1 } } } });
  t.equal(error.message, 'Only one of BlueGreenUpdatePolicy and RollingUpdatePolicy can be specified in the DeploymentConfig.');
  error = await create({ DeploymentConfig: { BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { ...routing, Type: 'LINEAR' } } } });
  t.equal(error.message, 'LinearStepSize must be specified when the TrafficRoutingConfiguration type is LINEAR.');
  t.same((await fast.endpoint.admin.state()).endpoints, [], 'nothing was stored');

  for (const call of [describe(fast.sm, 'none'), fast.sm.send(new DeleteEndpointCommand({ EndpointName: 'none' })), fast.sm.send(new UpdateEndpointCommand({ EndpointName: 'none', EndpointConfigName: 'cfg' }))]) {
    t.same(await failure(call), { name: 'ValidationException', message: `Could not find endpoint "${ARN}:endpoint/none".`, status: 400 });
  }
});

t.test('UpdateEndpoint deploys a new configuration: Updating → InService', async (t) => {
  const file = join(dir, 'update.json');
  const first = await start(['--transition-seconds', '0', '--state-file', file]);
  await models(first, 'm', 'm2');
  await createConfig(first.sm, { EndpointConfigName: 'a' });
  await createConfig(first.sm, { EndpointConfigName: 'b', ProductionVariants: [variant({ VariantName: 'Next', ModelName: 'm2', InitialInstanceCount: 1, InstanceType: 'ml.c5.large' })] });
  await createEndpoint(first.sm, { EndpointName: 'e', EndpointConfigName: 'a' });
  t.equal((await describe(first.sm, 'e')).EndpointStatus, 'InService');
  await stop(first);

  // The same state, served by an endpoint whose deployments take an hour: the update stays under way.
  const slowUpdate = await start(['--transition-seconds', '3600', '--state-file', file]);
  t.teardown(() => stop(slowUpdate));
  await slowUpdate.sm.send(new UpdateEndpointCommand({ EndpointName: 'e', EndpointConfigName: 'b' }));
  const updating = await describe(slowUpdate.sm, 'e');
  t.equal(updating.EndpointStatus, 'Updating');
  t.equal(updating.EndpointConfigName, 'a', 'the running configuration until the update completes');
  t.equal(updating.ProductionVariants![0].VariantName, 'AllTraffic', 'the running variants keep serving');
  t.equal(updating.PendingDeploymentSummary!.EndpointConfigName, 'b');
  t.match(updating.PendingDeploymentSummary!.ProductionVariants![0], { VariantName: 'Next', DesiredInstanceCount: 1, InstanceType: 'ml.c5.large', VariantStatus: [{ Status: 'Updating' }] });
  const again = await failure(slowUpdate.sm.send(new UpdateEndpointCommand({ EndpointName: 'e', EndpointConfigName: 'a' })));
  t.same(again, { name: 'ValidationException', message: `Cannot update in-progress endpoint "${ARN}:endpoint/e".`, status: 400 });

  const { sm } = fast;
  await models(fast, 'm', 'm2');
  await createConfig(sm, { EndpointConfigName: 'a' });
  await createConfig(sm, { EndpointConfigName: 'b', ProductionVariants: [variant({ VariantName: 'Next', ModelName: 'm2', InitialInstanceCount: 1 })] });
  await createEndpoint(sm, { EndpointName: 'e', EndpointConfigName: 'a' });
  await describe(sm, 'e');
  const updated = await sm.send(new UpdateEndpointCommand({ EndpointName: 'e', EndpointConfigName: 'b' }));
  t.equal(updated.EndpointArn, `${ARN}:endpoint/e`);
  const done = await describe(sm, 'e');
  t.equal(done.EndpointStatus, 'InService');
  t.equal(done.EndpointConfigName, 'b');
  t.same(done.ProductionVariants!.map((v) => [v.VariantName, v.CurrentInstanceCount]), [['Next', 1]]);
  t.equal(done.PendingDeploymentSummary, undefined);
  t.same(await failure(sm.send(new UpdateEndpointCommand({ EndpointName: 'e', EndpointConfigName: 'none' }))), {
    name: 'ValidationException',
    message: `Could not find endpoint configuration "${ARN}:endpoint-config/none".`,
    status: 400,
  });
});

t.test('UpdateEndpoint: RetainAllVariantProperties, ExcludeRetainedVariantProperties, RetainDeploymentConfig', async (t) => {
  const { sm } = fast;
  await models(fast, 'm');
  const capture = { InitialSamplingPercentage: 10, DestinationS3Uri: 's3://capture/a', CaptureOptions: [{ CaptureMode: 'Input' as const }] };
  await createConfig(sm, { EndpointConfigName: 'a', ProductionVariants: [variant({ InitialInstanceCount: 3, InitialVariantWeight: 2 })], DataCaptureConfig: capture });
  await createConfig(sm, {
    EndpointConfigName: 'b',
    ProductionVariants: [variant({ InitialInstanceCount: 1, InitialVariantWeight: 0.5 })],
    DataCaptureConfig: { ...capture, InitialSamplingPercentage: 90 },
  });
  const deploymentConfig = { RollingUpdatePolicy: { MaximumBatchSize: { Type: 'INSTANCE_COUNT' as const, Value: 1 }, WaitIntervalInSeconds: 30 } };
  await createEndpoint(sm, { EndpointName: 'e', EndpointConfigName: 'a', DeploymentConfig: deploymentConfig });
  await describe(sm, 'e');

  const update = async (input: Omit<UpdateEndpointCommandInput, 'EndpointName'>): Promise<DescribeEndpointCommandOutput> => {
    await sm.send(new UpdateEndpointCommand({ EndpointName: 'e', ...input }));
    return describe(sm, 'e');
  };
  let described = await update({ EndpointConfigName: 'b', RetainAllVariantProperties: true, RetainDeploymentConfig: true });
  t.match(described.ProductionVariants![0], { DesiredInstanceCount: 3, DesiredWeight: 2 }, 'the running instance count and weight are kept');
  t.equal(described.DataCaptureConfig!.CurrentSamplingPercentage, 10, 'and the running data capture');
  t.same(described.LastDeploymentConfig, deploymentConfig, 'RetainDeploymentConfig keeps the last deployment configuration');

  described = await update({ EndpointConfigName: 'a', RetainAllVariantProperties: true, ExcludeRetainedVariantProperties: [{ VariantPropertyType: 'DesiredWeight' }] });
  t.match(described.ProductionVariants![0], { DesiredInstanceCount: 3, DesiredWeight: 2 }, 'an excluded property comes from the new configuration (a: weight 2)');
  described = await update({ EndpointConfigName: 'b', RetainAllVariantProperties: true, ExcludeRetainedVariantProperties: [{ VariantPropertyType: 'DesiredWeight' }, { VariantPropertyType: 'DataCaptureConfig' }] });
  t.match(described.ProductionVariants![0], { DesiredInstanceCount: 3, DesiredWeight: 0.5 });
  t.equal(described.DataCaptureConfig!.CurrentSamplingPercentage, 90);
  t.equal(described.LastDeploymentConfig, undefined, 'without RetainDeploymentConfig or a DeploymentConfig, none is kept');

  described = await update({ EndpointConfigName: 'a' });
  t.match(described.ProductionVariants![0], { DesiredInstanceCount: 3, DesiredWeight: 2, CurrentInstanceCount: 3 }, 'without retention the configuration decides');
  const invalid = await failure(sm.send(new UpdateEndpointCommand({ EndpointName: 'e', EndpointConfigName: 'b', ExcludeRetainedVariantProperties: [{ VariantPropertyType: 'Colour' as never }] })));
  t.match(invalid.message, "at 'excludeRetainedVariantProperties.1.member.variantPropertyType' failed to satisfy constraint: Member must satisfy enum value set: [");
});

t.test('a configuration in use can be deleted, as in SageMaker; an update then fails and the endpoint keeps running', async (t) => {
  const { sm } = fast;
  await models(fast, 'm');
  await createConfig(sm, { EndpointConfigName: 'old' });
  await createConfig(sm, { EndpointConfigName: 'new' });
  await createEndpoint(sm, { EndpointName: 'e', EndpointConfigName: 'old' });
  t.equal((await describe(sm, 'e')).EndpointStatus, 'InService');
  await sm.send(new DeleteEndpointConfigCommand({ EndpointConfigName: 'old' }));
  const running = await describe(sm, 'e');
  t.equal(running.EndpointConfigName, 'old', 'the endpoint still names the configuration it runs');
  t.equal(running.ProductionVariants![0].CurrentInstanceCount, 2);

  await sm.send(new UpdateEndpointCommand({ EndpointName: 'e', EndpointConfigName: 'new' }));
  const after = await describe(sm, 'e');
  t.equal(after.EndpointStatus, 'InService', 'rolled back to what it ran');
  t.equal(after.EndpointConfigName, 'old');
  t.equal(after.FailureReason, `Could not find endpoint configuration "${ARN}:endpoint-config/old".`);
});

t.test('DeleteEndpoint: Deleting → gone', async (t) => {
  await Promise.all([models(fast, 'm'), models(slow, 'm')]);
  for (const { sm } of [fast, slow]) {
    await createConfig(sm, { EndpointConfigName: 'cfg' });
    await createEndpoint(sm, { EndpointName: 'e', EndpointConfigName: 'cfg' });
    await sm.send(new DeleteEndpointCommand({ EndpointName: 'E' }));
  }
  const deleting = await describe(slow.sm, 'e');
  t.equal(deleting.EndpointStatus, 'Deleting', 'even one still Creating can be deleted');
  t.equal(deleting.PendingDeploymentSummary, undefined);
  await slow.sm.send(new DeleteEndpointCommand({ EndpointName: 'e' }));
  t.equal((await describe(slow.sm, 'e')).EndpointStatus, 'Deleting', 'a second DeleteEndpoint changes nothing');
  const taken = await failure(createEndpoint(slow.sm, { EndpointName: 'e', EndpointConfigName: 'cfg' }));
  t.match(taken.message, /^Cannot create already existing endpoint/, 'the name stays taken while Deleting');

  const gone = await failure(describe(fast.sm, 'e'));
  t.same(gone, { name: 'ValidationException', message: `Could not find endpoint "${ARN}:endpoint/e".`, status: 400 });
  t.same((await fast.endpoint.admin.state()).endpoints, []);
  await createEndpoint(fast.sm, { EndpointName: 'e', EndpointConfigName: 'cfg' });
  t.equal((await describe(fast.sm, 'e')).EndpointStatus, 'InService', 'the name can be used again');
});

t.test('injected failures: creation and update end Failed with a FailureReason, or an update rolls back', async (t) => {
  const { sm, endpoint } = fast;
  await models(fast, 'm');
  await createConfig(sm, { EndpointConfigName: 'cfg' });
  await createConfig(sm, { EndpointConfigName: 'cfg2', ProductionVariants: [variant({ VariantName: 'Blue' })] });
  await endpoint.admin.faults({
    endpointFailure: [
      { endpoint: 'Broken', during: 'create' },
      { endpoint: 'custom', reason: 'Image pull failed.', next: 1 },
      { endpoint: 'flaky', during: 'update' },
      { endpoint: 'undone', during: 'update', rollback: true, reason: 'Alarm errors fired.' },
    ],
  });

  await createEndpoint(sm, { EndpointName: 'broken', EndpointConfigName: 'cfg' });
  const broken = await describe(sm, 'broken');
  t.equal(broken.EndpointStatus, 'Failed');
  t.equal(broken.FailureReason, 'The primary container for production variant AllTraffic did not pass the ping health check. Please check CloudWatch logs for this endpoint.');
  t.equal(broken.ProductionVariants, undefined, 'nothing was deployed');
  t.same(await failure(sm.send(new UpdateEndpointCommand({ EndpointName: 'broken', EndpointConfigName: 'cfg' }))), {
    name: 'ValidationException',
    message: `Cannot update failed endpoint "${ARN}:endpoint/broken". Delete the endpoint and create it again.`,
    status: 400,
  });
  await sm.send(new DeleteEndpointCommand({ EndpointName: 'broken' }));
  t.match((await failure(describe(sm, 'broken'))).message, /^Could not find endpoint/, 'a failed endpoint can be deleted');

  await createEndpoint(sm, { EndpointName: 'custom', EndpointConfigName: 'cfg' });
  t.match(await describe(sm, 'custom'), { EndpointStatus: 'Failed', FailureReason: 'Image pull failed.' });
  await sm.send(new DeleteEndpointCommand({ EndpointName: 'custom' }));
  await createEndpoint(sm, { EndpointName: 'custom', EndpointConfigName: 'cfg' });
  t.equal((await describe(sm, 'custom')).EndpointStatus, 'InService', '`next: 1` fails one deployment only');

  await createEndpoint(sm, { EndpointName: 'flaky', EndpointConfigName: 'cfg' });
  t.equal((await describe(sm, 'flaky')).EndpointStatus, 'InService', 'a rule for updates leaves creation alone');
  await sm.send(new UpdateEndpointCommand({ EndpointName: 'flaky', EndpointConfigName: 'cfg2' }));
  const flaky = await describe(sm, 'flaky');
  t.match(flaky, { EndpointStatus: 'Failed', EndpointConfigName: 'cfg' });
  t.match(flaky.FailureReason, /production variant Blue did not pass the ping health check/, 'the reason names the new deployment');

  await createEndpoint(sm, { EndpointName: 'undone', EndpointConfigName: 'cfg' });
  await describe(sm, 'undone');
  await sm.send(new UpdateEndpointCommand({ EndpointName: 'undone', EndpointConfigName: 'cfg2' }));
  const undone = await describe(sm, 'undone');
  t.match(undone, { EndpointStatus: 'InService', EndpointConfigName: 'cfg', FailureReason: 'Alarm errors fired.' });
  t.equal(undone.ProductionVariants![0].VariantName, 'AllTraffic', 'the previous deployment keeps serving');

  const faults = await endpoint.admin.getFaults();
  t.same((faults.endpointFailure as { endpoint: string }[]).map((rule) => rule.endpoint), ['Broken', 'flaky', 'undone'], 'a used-up rule is gone');
  for (const bad of [{ endpointFailure: { during: 'create' } }, { endpointFailure: { endpoint: 'e', during: 'delete' } }, { endpointFailure: { endpoint: 'e', colour: 1 } }]) {
    await t.rejects(endpoint.admin.faults(bad), /HTTP 400/, JSON.stringify(bad));
  }
});

t.test('tags on endpoint configurations and endpoints', async (t) => {
  const { sm } = fast;
  await models(fast, 'm');
  const { EndpointConfigArn: configArn } = await createConfig(sm, { EndpointConfigName: 'cfg', Tags: [{ Key: 'a', Value: '1' }] });
  const { EndpointArn: endpointArn } = await createEndpoint(sm, { EndpointName: 'e', EndpointConfigName: 'cfg', Tags: [{ Key: 'x', Value: '1' }] });
  for (const [arn, first] of [[configArn!, 'a'], [endpointArn!, 'x']] as const) {
    await sm.send(new AddTagsCommand({ ResourceArn: arn, Tags: [{ Key: first, Value: '2' }, { Key: 'env', Value: 'test' }] }));
    t.same((await sm.send(new ListTagsCommand({ ResourceArn: arn }))).Tags, [{ Key: first, Value: '2' }, { Key: 'env', Value: 'test' }], arn);
    await sm.send(new DeleteTagsCommand({ ResourceArn: arn, TagKeys: [first] }));
    t.same((await sm.send(new ListTagsCommand({ ResourceArn: arn }))).Tags, [{ Key: 'env', Value: 'test' }], arn);
  }
  const missingEndpoint = await failure(sm.send(new ListTagsCommand({ ResourceArn: `${ARN}:endpoint/none` })));
  t.same(missingEndpoint, { name: 'ValidationException', message: `Could not find endpoint "${ARN}:endpoint/none".`, status: 400 });
  const missingConfig = await failure(sm.send(new AddTagsCommand({ ResourceArn: `${ARN}:endpoint-config/none`, Tags: [{ Key: 'k', Value: 'v' }] })));
  t.equal(missingConfig.message, `Could not find endpoint configuration "${ARN}:endpoint-config/none".`);
});

t.test('ListEndpointConfigs and ListEndpoints: paging, filters, sorting', async (t) => {
  const { sm } = fast;
  await models(fast, 'm');
  const names = ['alpha', 'Bravo', 'charlie', 'delta', 'echo-alpha'];
  for (const name of names) {
    await createConfig(sm, { EndpointConfigName: name });
    await createEndpoint(sm, { EndpointName: name, EndpointConfigName: name });
    await new Promise((done) => setTimeout(done, 5));
  }
  await fast.endpoint.admin.faults({ endpointFailure: { endpoint: 'zulu' } });
  await createConfig(sm, { EndpointConfigName: 'zulu' });
  await createEndpoint(sm, { EndpointName: 'zulu', EndpointConfigName: 'zulu' });

  const configs = await sm.send(new ListEndpointConfigsCommand({}));
  t.same(configs.EndpointConfigs!.map((c) => c.EndpointConfigName), [...names, 'zulu'].reverse(), 'newest first');
  t.equal(configs.EndpointConfigs![0].EndpointConfigArn, `${ARN}:endpoint-config/zulu`);
  t.ok(configs.EndpointConfigs![0].CreationTime instanceof Date);

  const seen: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await sm.send(new ListEndpointConfigsCommand({ SortBy: 'Name', SortOrder: 'Ascending', MaxResults: 2, NextToken: token }));
    seen.push(...page.EndpointConfigs!.map((c) => c.EndpointConfigName!));
    token = page.NextToken;
    pages++;
  } while (token);
  t.equal(pages, 3);
  t.same(seen, ['alpha', 'Bravo', 'charlie', 'delta', 'echo-alpha', 'zulu'], 'names sort regardless of case');
  t.same((await sm.send(new ListEndpointConfigsCommand({ NameContains: 'ALPHA', SortBy: 'Name', SortOrder: 'Ascending' }))).EndpointConfigs!.map((c) => c.EndpointConfigName), ['alpha', 'echo-alpha']);

  const endpoints = await sm.send(new ListEndpointsCommand({ SortBy: 'Name', SortOrder: 'Descending', MaxResults: 4 }));
  t.same(endpoints.Endpoints!.map((e) => e.EndpointName), ['zulu', 'echo-alpha', 'delta', 'charlie']);
  t.match(endpoints.Endpoints![0], { EndpointArn: `${ARN}:endpoint/zulu`, EndpointStatus: 'Failed' });
  t.ok(endpoints.Endpoints![0].LastModifiedTime instanceof Date);
  const rest = await sm.send(new ListEndpointsCommand({ SortBy: 'Name', SortOrder: 'Descending', MaxResults: 4, NextToken: endpoints.NextToken }));
  t.same(rest.Endpoints!.map((e) => e.EndpointName), ['Bravo', 'alpha']);
  t.equal(rest.NextToken, undefined);
  t.same((await sm.send(new ListEndpointsCommand({ StatusEquals: 'Failed' }))).Endpoints!.map((e) => e.EndpointName), ['zulu']);
  t.same((await sm.send(new ListEndpointsCommand({ SortBy: 'Status', SortOrder: 'Ascending', MaxResults: 1 }))).Endpoints!.map((e) => e.EndpointStatus), ['Failed']);

  const badSort = await failure(sm.send(new ListEndpointsCommand({ SortBy: 'Size' as never })));
  t.match(badSort.message, "at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: [");
  const badStatus = await failure(sm.send(new ListEndpointsCommand({ StatusEquals: 'Asleep' as never })));
  t.match(badStatus.message, "at 'statusEquals' failed to satisfy constraint");
  const badSize = await failure(sm.send(new ListEndpointConfigsCommand({ MaxResults: 0 })));
  t.match(badSize.message, "at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1");
});

async function checkPersisted(t: Test, running: Running): Promise<void> {
  const config = await running.sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: 'kept' }));
  t.same(config.ProductionVariants, [variant()]);
  t.same((await running.sm.send(new ListTagsCommand({ ResourceArn: config.EndpointConfigArn }))).Tags, [{ Key: 'k', Value: 'v' }]);
  const endpoint = await describe(running.sm, 'kept');
  t.equal(endpoint.EndpointConfigName, 'kept');
  t.same((await running.sm.send(new ListTagsCommand({ ResourceArn: endpoint.EndpointArn }))).Tags, [{ Key: 'e', Value: '1' }]);
}

t.test('configurations, endpoints and deployments under way survive a restart', async (t) => {
  const file = join(dir, 'restart.json');
  const first = await start(['--transition-seconds', '2', '--state-file', file]);
  await models(first, 'm');
  await createConfig(first.sm, { EndpointConfigName: 'kept', Tags: [{ Key: 'k', Value: 'v' }] });
  await createEndpoint(first.sm, { EndpointName: 'kept', EndpointConfigName: 'kept', Tags: [{ Key: 'e', Value: '1' }] });
  await first.endpoint.admin.faults({ endpointFailure: { endpoint: 'doomed' } });
  await createEndpoint(first.sm, { EndpointName: 'doomed', EndpointConfigName: 'kept' });
  t.equal((await describe(first.sm, 'kept')).EndpointStatus, 'Creating');
  await stop(first);

  // Restarted with deployments that would take an hour: those already started keep their own end and outcome.
  const second = await start(['--transition-seconds', '3600', '--state-file', file]);
  t.teardown(() => stop(second));
  await checkPersisted(t, second);
  let statuses: (string | undefined)[] = [];
  for (let i = 0; i < 60; i++) {
    statuses = [(await describe(second.sm, 'kept')).EndpointStatus, (await describe(second.sm, 'doomed')).EndpointStatus];
    if (statuses[0] !== 'Creating' && statuses[1] !== 'Creating') break;
    await new Promise((done) => setTimeout(done, 100));
  }
  t.same(statuses, ['InService', 'Failed'], 'the creation started before the restart completed, and the injected failure was kept');
  t.match((await describe(second.sm, 'doomed')).FailureReason, /did not pass the ping health check/);
});

t.test('a deleted model leaves the configuration that names it, and its endpoint runs what it deployed', async (t) => {
  const { sm } = fast;
  await models(fast, 'm');
  await createConfig(sm, { EndpointConfigName: 'cfg' });
  await createEndpoint(sm, { EndpointName: 'e', EndpointConfigName: 'cfg' });
  await describe(sm, 'e');
  await sm.send(new DeleteModelCommand({ ModelName: 'm' }));
  t.equal((await sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: 'cfg' }))).ProductionVariants![0].ModelName, 'm');
  t.equal((await describe(sm, 'e')).ProductionVariants![0].DeployedImages![0].SpecifiedImage, IMAGE);
});
