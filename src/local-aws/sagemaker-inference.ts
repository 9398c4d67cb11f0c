// SageMaker inference: endpoint configurations (CreateEndpointConfig, DescribeEndpointConfig, DeleteEndpointConfig,
// ListEndpointConfigs) and endpoints (CreateEndpoint, DescribeEndpoint, UpdateEndpoint, DeleteEndpoint, ListEndpoints).
// An endpoint's status advances with time when it is read (Creating → InService, Updating → InService, Deleting →
// gone), so nothing runs in the background and an endpoint restarted on its state file continues where it stopped.
import { createHash } from 'node:crypto';
import type { Backend, RequestContext } from './context';
import { sageMakerValidation } from './errors';
import {
  ACCELERATOR_TYPES,
  ASYNC_NOTIFICATION_TOPIC_TYPES,
  CAPACITY_SIZE_TYPES,
  CAPTURE_MODES,
  ENDPOINT_CONFIG_SORT_KEYS,
  ENDPOINT_SORT_KEYS,
  ENDPOINT_STATUSES,
  INFERENCE_AMI_VERSIONS,
  INSTANCE_TYPES,
  MANAGED_INSTANCE_SCALING_STATUSES,
  ORDER_KEYS,
  ROUTING_STRATEGIES,
  TRAFFIC_ROUTING_TYPES,
  VARIANT_PROPERTY_TYPES,
} from './sagemaker-enums';
import {
  checkListInput,
  checkName,
  checkTags,
  type Input,
  listPage,
  listShape,
  mergeTags,
  type Output,
  rejectReservedTagKeys,
  requestedName,
  sageMakerArn,
  tagShape,
} from './sagemaker-shared';
import {
  type EndpointDeployment,
  type EndpointTransition,
  sageMakerKey,
  type StoredEndpoint,
  type StoredEndpointConfig,
  type StoredModel,
  type Tag,
} from './state';
import { type Shape, Violations } from './validation';

type Where = { account: string; region: string };

// The API model words some name patterns without the length bound; the bound is checked all the same (63).
const UNBOUNDED_NAME_PATTERN_TEXT = '^[a-zA-Z0-9](-*[a-zA-Z0-9])*';
const S3_URI_PATTERN = /^(https|s3):\/\/([^/])\/?(.*)$/;
const S3_URI_PATTERN_TEXT = '^(https|s3)://([^/])/?(.*)$';
const KMS_KEY_PATTERN = /^[a-zA-Z0-9:/_-]*$/;
const KMS_KEY_PATTERN_TEXT = '[a-zA-Z0-9:/_-]*';
const CONTENT_TYPE_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9])*\/[a-zA-Z0-9](-*[a-zA-Z0-9.])*$/;
const CONTENT_TYPE_PATTERN_TEXT = '^[a-zA-Z0-9](-*[a-zA-Z0-9])*\\/[a-zA-Z0-9](-*[a-zA-Z0-9.])*';
const ALARM_NAME_PATTERN = /^(?!\s*$).+$/;
const ALARM_NAME_PATTERN_TEXT = '^(?!\\s*$).+';
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

// ---- request shapes (JSON types, checked before anything else) ----

const capacitySizeShape: Shape = { struct: { Type: 'string', Value: 'integer' } };
const deploymentConfigShape: Shape = {
  struct: {
    BlueGreenUpdatePolicy: {
      struct: {
        TrafficRoutingConfiguration: {
          struct: { Type: 'string', WaitIntervalInSeconds: 'integer', CanarySize: capacitySizeShape, LinearStepSize: capacitySizeShape },
        },
        TerminationWaitInSeconds: 'integer',
        MaximumExecutionTimeoutInSeconds: 'integer',
      },
    },
    RollingUpdatePolicy: {
      struct: {
        MaximumBatchSize: capacitySizeShape,
        WaitIntervalInSeconds: 'integer',
        MaximumExecutionTimeoutInSeconds: 'integer',
        RollbackMaximumBatchSize: capacitySizeShape,
      },
    },
    AutoRollbackConfiguration: { struct: { Alarms: { list: { struct: { AlarmName: 'string' } } } } },
  },
};
const productionVariantShape: Shape = {
  struct: {
    VariantName: 'string',
    ModelName: 'string',
    InitialInstanceCount: 'integer',
    InstanceType: 'string',
    InitialVariantWeight: 'float',
    AcceleratorType: 'string',
    CoreDumpConfig: { struct: { DestinationS3Uri: 'string', KmsKeyId: 'string' } },
    ServerlessConfig: { struct: { MemorySizeInMB: 'integer', MaxConcurrency: 'integer', ProvisionedConcurrency: 'integer' } },
    VolumeSizeInGB: 'integer',
    ModelDataDownloadTimeoutInSeconds: 'integer',
    ContainerStartupHealthCheckTimeoutInSeconds: 'integer',
    EnableSSMAccess: 'boolean',
    ManagedInstanceScaling: { struct: { Status: 'string', MinInstanceCount: 'integer', MaxInstanceCount: 'integer' } },
    RoutingConfig: { struct: { RoutingStrategy: 'string' } },
    InferenceAmiVersion: 'string',
  },
};
const dataCaptureConfigShape: Shape = {
  struct: {
    EnableCapture: 'boolean',
    InitialSamplingPercentage: 'integer',
    DestinationS3Uri: 'string',
    KmsKeyId: 'string',
    CaptureOptions: { list: { struct: { CaptureMode: 'string' } } },
    CaptureContentTypeHeader: { struct: { CsvContentTypes: { list: 'string' }, JsonContentTypes: { list: 'string' } } },
  },
};
const asyncInferenceConfigShape: Shape = {
  struct: {
    ClientConfig: { struct: { MaxConcurrentInvocationsPerInstance: 'integer' } },
    OutputConfig: {
      struct: {
        KmsKeyId: 'string',
        S3OutputPath: 'string',
        S3FailurePath: 'string',
        NotificationConfig: { struct: { SuccessTopic: 'string', ErrorTopic: 'string', IncludeInferenceResponseIn: { list: 'string' } } },
      },
    },
  },
};

export const inferenceShapes: Record<string, Shape> = {
  CreateEndpointConfig: {
    struct: {
      EndpointConfigName: 'string',
      ProductionVariants: { list: productionVariantShape },
      ShadowProductionVariants: { list: productionVariantShape },
      DataCaptureConfig: dataCaptureConfigShape,
      KmsKeyId: 'string',
      AsyncInferenceConfig: asyncInferenceConfigShape,
      Tags: { list: tagShape },
    },
  },
  DescribeEndpointConfig: { struct: { EndpointConfigName: 'string' } },
  DeleteEndpointConfig: { struct: { EndpointConfigName: 'string' } },
  ListEndpointConfigs: { struct: listShape },
  CreateEndpoint: {
    struct: { EndpointName: 'string', EndpointConfigName: 'string', DeploymentConfig: deploymentConfigShape, Tags: { list: tagShape } },
  },
  DescribeEndpoint: { struct: { EndpointName: 'string' } },
  UpdateEndpoint: {
    struct: {
      EndpointName: 'string',
      EndpointConfigName: 'string',
      RetainAllVariantProperties: 'boolean',
      ExcludeRetainedVariantProperties: { list: { struct: { VariantPropertyType: 'string' } } },
      DeploymentConfig: deploymentConfigShape,
      RetainDeploymentConfig: 'boolean',
    },
  },
  DeleteEndpoint: { struct: { EndpointName: 'string' } },
  ListEndpoints: {
    struct: { ...listShape, LastModifiedTimeBefore: 'timestamp', LastModifiedTimeAfter: 'timestamp', StatusEquals: 'string' },
  },
};

/** The CreateEndpointConfig fields that DescribeEndpointConfig returns as they were sent. */
const ECHOED_CONFIG_FIELDS = ['ProductionVariants', 'ShadowProductionVariants', 'DataCaptureConfig', 'KmsKeyId', 'AsyncInferenceConfig'] as const;

type Handler = (backend: Backend, ctx: RequestContext, input: Input) => Output;

export const inferenceHandlers: Record<string, Handler> = {
  CreateEndpointConfig: createEndpointConfig,
  DescribeEndpointConfig: describeEndpointConfig,
  DeleteEndpointConfig: deleteEndpointConfig,
  ListEndpointConfigs: listEndpointConfigs,
  CreateEndpoint: createEndpoint,
  DescribeEndpoint: describeEndpoint,
  UpdateEndpoint: updateEndpoint,
  DeleteEndpoint: deleteEndpoint,
  ListEndpoints: listEndpoints,
};

// ---- input checks ----

function checkS3Uri(v: Violations, uri: unknown, path: string, required: boolean): void {
  if (required ? !v.required(uri, path) : uri === undefined) return;
  v.length(uri as string, path, 0, 512);
  v.pattern(uri as string, path, S3_URI_PATTERN, S3_URI_PATTERN_TEXT);
}

function checkKmsKey(v: Violations, key: unknown, path: string): void {
  v.length(key as string | undefined, path, 0, 2048);
  v.pattern(key as string | undefined, path, KMS_KEY_PATTERN, KMS_KEY_PATTERN_TEXT);
}

function checkProductionVariant(v: Violations, variant: Input, path: string): void {
  checkName(v, variant.VariantName, `${path}.variantName`);
  checkName(v, variant.ModelName, `${path}.modelName`, UNBOUNDED_NAME_PATTERN_TEXT);
  v.range(variant.InitialInstanceCount as number | undefined, `${path}.initialInstanceCount`, 1, UNBOUNDED);
  v.oneOf(variant.InstanceType as string | undefined, `${path}.instanceType`, INSTANCE_TYPES);
  v.range(variant.InitialVariantWeight as number | undefined, `${path}.initialVariantWeight`, 0, UNBOUNDED);
  v.oneOf(variant.AcceleratorType as string | undefined, `${path}.acceleratorType`, ACCELERATOR_TYPES);
  v.range(variant.VolumeSizeInGB as number | undefined, `${path}.volumeSizeInGB`, 1, 512);
  v.range(variant.ModelDataDownloadTimeoutInSeconds as number | undefined, `${path}.modelDataDownloadTimeoutInSeconds`, 60, 3600);
  const startup = variant.ContainerStartupHealthCheckTimeoutInSeconds as number | undefined;
  v.range(startup, `${path}.containerStartupHealthCheckTimeoutInSeconds`, 60, 3600);
  v.oneOf(variant.InferenceAmiVersion as string | undefined, `${path}.inferenceAmiVersion`, INFERENCE_AMI_VERSIONS);
  const coreDump = variant.CoreDumpConfig as Input | undefined;
  if (coreDump) {
    checkS3Uri(v, coreDump.DestinationS3Uri, `${path}.coreDumpConfig.destinationS3Uri`, true);
    checkKmsKey(v, coreDump.KmsKeyId, `${path}.coreDumpConfig.kmsKeyId`);
  }
  const serverless = variant.ServerlessConfig as Input | undefined;
  if (serverless) {
    const at = `${path}.serverlessConfig`;
    if (v.required(serverless.MemorySizeInMB, `${at}.memorySizeInMB`)) v.range(serverless.MemorySizeInMB as number, `${at}.memorySizeInMB`, 1024, 6144);
    if (v.required(serverless.MaxConcurrency, `${at}.maxConcurrency`)) v.range(serverless.MaxConcurrency as number, `${at}.maxConcurrency`, 1, 200);
    v.range(serverless.ProvisionedConcurrency as number | undefined, `${at}.provisionedConcurrency`, 1, 200);
  }
  const scaling = variant.ManagedInstanceScaling as Input | undefined;
  if (scaling) {
    const at = `${path}.managedInstanceScaling`;
    v.oneOf(scaling.Status as string | undefined, `${at}.status`, MANAGED_INSTANCE_SCALING_STATUSES);
    v.range(scaling.MinInstanceCount as number | undefined, `${at}.minInstanceCount`, 0, UNBOUNDED);
    v.range(scaling.MaxInstanceCount as number | undefined, `${at}.maxInstanceCount`, 1, UNBOUNDED);
  }
  const routing = variant.RoutingConfig as Input | undefined;
  if (routing) v.oneOf(routing.RoutingStrategy as string | undefined, `${path}.routingConfig.routingStrategy`, ROUTING_STRATEGIES);
}

function checkVariants(v: Violations, variants: Input[] | undefined, path: string, required: boolean): void {
  if (required ? !v.required(variants, path) : variants === undefined) return;
  v.length(variants, path, 1, 10);
  variants!.forEach((variant, index) => checkProductionVariant(v, variant, `${path}.${index + 1}.member`));
}

function checkDataCaptureConfig(v: Violations, capture: Input | undefined): void {
  if (!capture) return;
  const path = 'dataCaptureConfig';
  const sampling = capture.InitialSamplingPercentage as number | undefined;
  if (v.required(sampling, `${path}.initialSamplingPercentage`)) v.range(sampling, `${path}.initialSamplingPercentage`, 0, 100);
  checkS3Uri(v, capture.DestinationS3Uri, `${path}.destinationS3Uri`, true);
  checkKmsKey(v, capture.KmsKeyId, `${path}.kmsKeyId`);
  const options = capture.CaptureOptions as Input[] | undefined;
  if (v.required(options, `${path}.captureOptions`)) {
    v.length(options, `${path}.captureOptions`, 1, 32);
    options!.forEach((option, index) => {
      const at = `${path}.captureOptions.${index + 1}.member.captureMode`;
      if (v.required(option.CaptureMode, at)) v.oneOf(option.CaptureMode as string, at, CAPTURE_MODES);
    });
  }
  const header = capture.CaptureContentTypeHeader as Input | undefined;
  for (const list of ['CsvContentTypes', 'JsonContentTypes'] as const) {
    const types = header?.[list] as string[] | undefined;
    if (!types) continue;
    const at = `${path}.captureContentTypeHeader.${list.charAt(0).toLowerCase()}${list.slice(1)}`;
    v.length(types, at, 1, 10);
    types.forEach((type, index) => {
      v.length(type, `${at}.${index + 1}.member`, 1, 256);
      v.pattern(type, `${at}.${index + 1}.member`, CONTENT_TYPE_PATTERN, CONTENT_TYPE_PATTERN_TEXT);
    });
  }
}

function checkAsyncInferenceConfig(v: Violations, config: Input | undefined): void {
  if (!config) return;
  const path = 'asyncInferenceConfig';
  const client = config.ClientConfig as Input | undefined;
  const invocations = client?.MaxConcurrentInvocationsPerInstance as number | undefined;
  v.range(invocations, `${path}.clientConfig.maxConcurrentInvocationsPerInstance`, 1, 1000);
  const output = config.OutputConfig as Input | undefined;
  if (!v.required(output, `${path}.outputConfig`)) return;
  checkKmsKey(v, output!.KmsKeyId, `${path}.outputConfig.kmsKeyId`);
  checkS3Uri(v, output!.S3OutputPath, `${path}.outputConfig.s3OutputPath`, false);
  checkS3Uri(v, output!.S3FailurePath, `${path}.outputConfig.s3FailurePath`, false);
  const notification = output!.NotificationConfig as Input | undefined;
  if (notification) {
    const at = `${path}.outputConfig.notificationConfig`;
    v.length(notification.SuccessTopic as string | undefined, `${at}.successTopic`, 0, 2048);
    v.length(notification.ErrorTopic as string | undefined, `${at}.errorTopic`, 0, 2048);
    (notification.IncludeInferenceResponseIn as string[] | undefined)?.forEach((topic, index) => {
      v.oneOf(topic, `${at}.includeInferenceResponseIn.${index + 1}.member`, ASYNC_NOTIFICATION_TOPIC_TYPES);
    });
  }
}

function checkCapacitySize(v: Violations, size: Input | undefined, path: string, required: boolean): void {
  if (required ? !v.required(size, path) : size === undefined) return;
  if (v.required(size!.Type, `${path}.type`)) v.oneOf(size!.Type as string, `${path}.type`, CAPACITY_SIZE_TYPES);
  if (v.required(size!.Value, `${path}.value`)) v.range(size!.Value as number, `${path}.value`, 1, UNBOUNDED);
}

function checkDeploymentConfig(v: Violations, config: Input | undefined): void {
  if (!config) return;
  const path = 'deploymentConfig';
  const blueGreen = config.BlueGreenUpdatePolicy as Input | undefined;
  if (blueGreen) {
    const at = `${path}.blueGreenUpdatePolicy`;
    const routing = blueGreen.TrafficRoutingConfiguration as Input | undefined;
    if (v.required(routing, `${at}.trafficRoutingConfiguration`)) {
      const r = `${at}.trafficRoutingConfiguration`;
      if (v.required(routing!.Type, `${r}.type`)) v.oneOf(routing!.Type as string, `${r}.type`, TRAFFIC_ROUTING_TYPES);
      if (v.required(routing!.WaitIntervalInSeconds, `${r}.waitIntervalInSeconds`)) {
        v.range(routing!.WaitIntervalInSeconds as number, `${r}.waitIntervalInSeconds`, 0, 3600);
      }
      checkCapacitySize(v, routing!.CanarySize as Input | undefined, `${r}.canarySize`, false);
      checkCapacitySize(v, routing!.LinearStepSize as Input | undefined, `${r}.linearStepSize`, false);
    }
    v.range(blueGreen.TerminationWaitInSeconds as number | undefined, `${at}.terminationWaitInSeconds`, 0, 3600);
    v.range(blueGreen.MaximumExecutionTimeoutInSeconds as number | undefined, `${at}.maximumExecutionTimeoutInSeconds`, 600, 28800);
  }
  const rolling = config.RollingUpdatePolicy as Input | undefined;
  if (rolling) {
    const at = `${path}.rollingUpdatePolicy`;
    checkCapacitySize(v, rolling.MaximumBatchSize as Input | undefined, `${at}.maximumBatchSize`, true);
    if (v.required(rolling.WaitIntervalInSeconds, `${at}.waitIntervalInSeconds`)) {
      v.range(rolling.WaitIntervalInSeconds as number, `${at}.waitIntervalInSeconds`, 0, 3600);
    }
    v.range(rolling.MaximumExecutionTimeoutInSeconds as number | undefined, `${at}.maximumExecutionTimeoutInSeconds`, 600, 28800);
    checkCapacitySize(v, rolling.RollbackMaximumBatchSize as Input | undefined, `${at}.rollbackMaximumBatchSize`, false);
  }
  const alarms = (config.AutoRollbackConfiguration as Input | undefined)?.Alarms as Input[] | undefined;
  if (alarms) {
    const at = `${path}.autoRollbackConfiguration.alarms`;
    v.length(alarms, at, 1, 10);
    alarms.forEach((alarm, index) => {
      const name = `${at}.${index + 1}.member.alarmName`;
      if (!v.required(alarm.AlarmName, name)) return;
      v.length(alarm.AlarmName as string, name, 1, 255);
      v.pattern(alarm.AlarmName as string, name, ALARM_NAME_PATTERN, ALARM_NAME_PATTERN_TEXT);
    });
  }
}

/** The rules SageMaker applies beyond the API model's constraints (their texts are our own where AWS's are unknown). */
function checkDeploymentConfigRules(config: Input | undefined): void {
  if (!config) return;
  if (config.BlueGreenUpdatePolicy && config.RollingUpdatePolicy) {
    throw sageMakerValidation('Only one of BlueGreenUpdatePolicy and RollingUpdatePolicy can be specified in the DeploymentConfig.');
  }
  const routing = (config.BlueGreenUpdatePolicy as Input | undefined)?.TrafficRoutingConfiguration as Input | undefined;
  if (routing?.Type === 'CANARY' && !routing.CanarySize) {
    throw sageMakerValidation('CanarySize must be specified when the TrafficRoutingConfiguration type is CANARY.');
  }
  if (routing?.Type === 'LINEAR' && !routing.LinearStepSize) {
    throw sageMakerValidation('LinearStepSize must be specified when the TrafficRoutingConfiguration type is LINEAR.');
  }
}

function checkVariantRules(production: Input[], shadow: Input[] | undefined): void {
  const all = [...production, ...(shadow ?? [])];
  for (const variant of all) {
    const name = variant.VariantName as string;
    const serverless = variant.ServerlessConfig !== undefined;
    const instance = variant.InstanceType !== undefined || variant.InitialInstanceCount !== undefined;
    if (serverless && instance) {
      throw sageMakerValidation(`ProductionVariant ${name} cannot specify both ServerlessConfig and InstanceType or InitialInstanceCount.`);
    }
    if (!serverless && (variant.InstanceType === undefined || variant.InitialInstanceCount === undefined)) {
      throw sageMakerValidation(`ProductionVariant ${name} must specify either ServerlessConfig or both InstanceType and InitialInstanceCount.`);
    }
  }
  const seen = new Set<string>();
  for (const variant of all) {
    const name = variant.VariantName as string;
    if (seen.has(name)) throw sageMakerValidation(`The variant name ${name} is used more than once. Variant names must be unique within an endpoint configuration.`);
    seen.add(name);
  }
  if (shadow && (production.length !== 1 || shadow.length !== 1)) {
    throw sageMakerValidation('An endpoint configuration with ShadowProductionVariants must have exactly one production variant and one shadow variant.');
  }
}

// ---- endpoint configurations ----

function endpointConfigArn(ctx: Where, name: string): string {
  return sageMakerArn(ctx, 'endpoint-config', name);
}

function endpointArn(ctx: Where, name: string): string {
  return sageMakerArn(ctx, 'endpoint', name);
}

export function findEndpointConfig(backend: Backend, ctx: Where, name: string): StoredEndpointConfig {
  const config = backend.state.endpointConfigs.get(sageMakerKey(ctx.account, ctx.region, name));
  if (!config) throw sageMakerValidation(`Could not find endpoint configuration "${endpointConfigArn(ctx, name)}".`);
  return config;
}

function createEndpointConfig(backend: Backend, ctx: RequestContext, input: Input): Output {
  const v = new Violations();
  checkName(v, input.EndpointConfigName, 'endpointConfigName');
  const production = input.ProductionVariants as Input[] | undefined;
  const shadow = input.ShadowProductionVariants as Input[] | undefined;
  checkVariants(v, production, 'productionVariants', true);
  checkVariants(v, shadow, 'shadowProductionVariants', false);
  checkDataCaptureConfig(v, input.DataCaptureConfig as Input | undefined);
  checkKmsKey(v, input.KmsKeyId, 'kmsKeyId');
  checkAsyncInferenceConfig(v, input.AsyncInferenceConfig as Input | undefined);
  const tags = input.Tags as Tag[] | undefined;
  checkTags(v, tags, 'tags');
  v.throwIfAny('ValidationException');
  checkVariantRules(production!, shadow);
  if (tags) rejectReservedTagKeys(tags.map((tag) => tag.Key));

  const name = input.EndpointConfigName as string;
  const arn = endpointConfigArn(ctx, name);
  const key = sageMakerKey(ctx.account, ctx.region, name);
  if (backend.state.endpointConfigs.has(key)) throw sageMakerValidation(`Cannot create already existing endpoint configuration "${arn}".`);
  for (const variant of [...production!, ...(shadow ?? [])]) {
    const modelName = variant.ModelName as string;
    if (!backend.state.models.has(sageMakerKey(ctx.account, ctx.region, modelName))) {
      throw sageMakerValidation(`Could not find model "${sageMakerArn(ctx, 'model', modelName)}".`);
    }
  }

  const spec: Record<string, unknown> = {};
  for (const field of ECHOED_CONFIG_FIELDS) if (input[field] !== undefined) spec[field] = input[field];
  backend.state.endpointConfigs.set(key, {
    account: ctx.account,
    region: ctx.region,
    name,
    arn,
    creationTime: Date.now() / 1000,
    spec,
    tags: mergeTags([], tags ?? []),
  });
  backend.changed();
  return { EndpointConfigArn: arn };
}

function describeEndpointConfig(backend: Backend, ctx: RequestContext, input: Input): Output {
  const config = findEndpointConfig(backend, ctx, requestedName(input, 'EndpointConfigName', 'endpointConfigName'));
  return { EndpointConfigName: config.name, EndpointConfigArn: config.arn, ...config.spec, CreationTime: config.creationTime };
}

/** SageMaker deletes a configuration even while endpoints use it: they keep running what they deployed. */
function deleteEndpointConfig(backend: Backend, ctx: RequestContext, input: Input): Output {
  const config = findEndpointConfig(backend, ctx, requestedName(input, 'EndpointConfigName', 'endpointConfigName'));
  backend.state.endpointConfigs.delete(sageMakerKey(config.account, config.region, config.name));
  backend.changed();
  return {};
}

function listEndpointConfigs(backend: Backend, ctx: RequestContext, input: Input): Output {
  const v = new Violations();
  checkListInput(v, input, ENDPOINT_CONFIG_SORT_KEYS, ORDER_KEYS);
  v.throwIfAny('ValidationException');
  return listPage(backend.state.endpointConfigs.values(), ctx, input, 'EndpointConfigs', (config) => ({
    EndpointConfigName: config.name,
    EndpointConfigArn: config.arn,
    CreationTime: config.creationTime,
  }));
}

// ---- deployments: what an endpoint runs ----

/** The images a model's containers run, as DescribeEndpoint reports them: the tag resolved to a (made-up, stable) digest. */
function deployedImages(model: StoredModel | undefined, now: number): Record<string, unknown>[] {
  if (!model) return [];
  const containers = [model.spec.PrimaryContainer, ...((model.spec.Containers as unknown[] | undefined) ?? [])] as (Input | undefined)[];
  return containers
    .map((container) => container?.Image)
    .filter((image): image is string => typeof image === 'string')
    .map((image) => {
      const lastSlash = image.lastIndexOf('/');
      const tagAt = image.indexOf(':', lastSlash + 1);
      const repository = image.includes('@') ? image.slice(0, image.indexOf('@')) : tagAt < 0 ? image : image.slice(0, tagAt);
      const resolved = image.includes('@sha256:') ? image : `${repository}@sha256:${createHash('sha256').update(image).digest('hex')}`;
      return { SpecifiedImage: image, ResolvedImage: resolved, ResolutionTime: now };
    });
}

/** Which properties an UpdateEndpoint with RetainAllVariantProperties keeps from the running endpoint. */
interface Retained {
  current: EndpointDeployment;
  excluded: Set<string>;
}

/** A ProductionVariantSummary for one variant of a configuration being deployed. */
function variantSummary(backend: Backend, ctx: Where, variant: Input, now: number, retained?: Retained): Record<string, unknown> {
  const name = variant.VariantName as string;
  const current = retained?.current.productionVariants.find((summary) => summary.VariantName === name);
  let weight = (variant.InitialVariantWeight as number | undefined) ?? 1;
  if (current && !retained!.excluded.has('DesiredWeight')) weight = current.DesiredWeight as number;
  const summary: Record<string, unknown> = {
    VariantName: name,
    DeployedImages: deployedImages(backend.state.models.get(sageMakerKey(ctx.account, ctx.region, variant.ModelName as string)), now),
    CurrentWeight: weight,
    DesiredWeight: weight,
  };
  if (variant.ServerlessConfig) {
    summary.CurrentServerlessConfig = variant.ServerlessConfig;
    summary.DesiredServerlessConfig = variant.ServerlessConfig;
  } else {
    let count = variant.InitialInstanceCount as number;
    if (current?.DesiredInstanceCount !== undefined && !retained!.excluded.has('DesiredInstanceCount')) count = current.DesiredInstanceCount as number;
    summary.CurrentInstanceCount = count;
    summary.DesiredInstanceCount = count;
  }
  if (variant.ManagedInstanceScaling) summary.ManagedInstanceScaling = variant.ManagedInstanceScaling;
  if (variant.RoutingConfig) summary.RoutingConfig = variant.RoutingConfig;
  return summary;
}

/** DescribeEndpoint's DataCaptureConfig (a DataCaptureConfigSummary) for a configuration's DataCaptureConfig. */
function dataCaptureSummary(capture: Input): Record<string, unknown> {
  const enabled = capture.EnableCapture !== false;
  const summary: Record<string, unknown> = {
    EnableCapture: enabled,
    CaptureStatus: enabled ? 'Started' : 'Stopped',
    CurrentSamplingPercentage: capture.InitialSamplingPercentage,
    DestinationS3Uri: capture.DestinationS3Uri,
  };
  if (capture.KmsKeyId !== undefined) summary.KmsKeyId = capture.KmsKeyId;
  return summary;
}

function deploymentOf(backend: Backend, ctx: Where, config: StoredEndpointConfig, retained?: Retained): EndpointDeployment {
  const now = Date.now() / 1000;
  const production = config.spec.ProductionVariants as Input[];
  const shadow = config.spec.ShadowProductionVariants as Input[] | undefined;
  const deployment: EndpointDeployment = {
    configName: config.name,
    productionVariants: production.map((variant) => variantSummary(backend, ctx, variant, now, retained)),
    instanceTypes: Object.fromEntries(
      [...production, ...(shadow ?? [])].map((variant) => [
        variant.VariantName as string,
        { InstanceType: variant.InstanceType as string | undefined, AcceleratorType: variant.AcceleratorType as string | undefined },
      ]),
    ),
  };
  if (shadow) deployment.shadowProductionVariants = shadow.map((variant) => variantSummary(backend, ctx, variant, now));
  const capture = config.spec.DataCaptureConfig as Input | undefined;
  if (retained?.current.dataCaptureConfig && !retained.excluded.has('DataCaptureConfig')) deployment.dataCaptureConfig = retained.current.dataCaptureConfig;
  else if (capture) deployment.dataCaptureConfig = dataCaptureSummary(capture);
  if (config.spec.AsyncInferenceConfig) deployment.asyncInferenceConfig = config.spec.AsyncInferenceConfig as Record<string, unknown>;
  return deployment;
}

/** What a health-check failure of a deployment's first variant looks like in DescribeEndpoint. */
function healthCheckFailure(deployment: EndpointDeployment): string {
  const variant = deployment.productionVariants[0]?.VariantName as string;
  return `The primary container for production variant ${variant} did not pass the ping health check. Please check CloudWatch logs for this endpoint.`;
}

// ---- endpoints ----

/** Completes every deployment whose time has come: the status advances when the endpoint is read, no timer involved. */
export function settleEndpoints(backend: Backend): void {
  const now = Date.now();
  let changed = false;
  for (const [key, endpoint] of backend.state.endpoints) {
    const transition = endpoint.transition;
    if (!transition || now < transition.endsAtMs) continue;
    changed = true;
    delete endpoint.transition;
    endpoint.lastModifiedTime = transition.endsAtMs / 1000;
    if (transition.kind === 'delete') {
      backend.state.endpoints.delete(key);
    } else if (transition.failureReason !== undefined) {
      endpoint.failureReason = transition.failureReason;
      endpoint.status = transition.rollback ? 'InService' : 'Failed';
    } else {
      endpoint.status = 'InService';
      endpoint.configName = transition.deployment!.configName;
      endpoint.deployed = transition.deployment;
      endpoint.lastDeploymentConfig = transition.deploymentConfig;
      delete endpoint.failureReason;
    }
  }
  if (changed) backend.changed();
}

export function findEndpoint(backend: Backend, ctx: Where, name: string): StoredEndpoint {
  settleEndpoints(backend);
  const endpoint = backend.state.endpoints.get(sageMakerKey(ctx.account, ctx.region, name));
  if (!endpoint) throw sageMakerValidation(`Could not find endpoint "${endpointArn(ctx, name)}".`);
  return endpoint;
}

/** A deployment starting now, failing as an injected fault says. */
function startDeployment(
  backend: Backend,
  endpoint: StoredEndpoint,
  kind: 'create' | 'update',
  deployment: EndpointDeployment,
  deploymentConfig: Record<string, unknown> | undefined,
  failureReason?: string,
): EndpointTransition {
  const now = Date.now();
  const transition: EndpointTransition = { kind, startedAtMs: now, endsAtMs: now + backend.transitionMs, deployment };
  if (deploymentConfig) transition.deploymentConfig = deploymentConfig;
  const fault = backend.endpointFailure(endpoint.name, kind);
  if (failureReason !== undefined) {
    transition.failureReason = failureReason;
    transition.rollback = true;
  } else if (fault) {
    transition.failureReason = fault.reason ?? healthCheckFailure(deployment);
    if (kind === 'update' && fault.rollback) transition.rollback = true;
  }
  return transition;
}

function createEndpoint(backend: Backend, ctx: RequestContext, input: Input): Output {
  const v = new Violations();
  checkName(v, input.EndpointName, 'endpointName', UNBOUNDED_NAME_PATTERN_TEXT);
  checkName(v, input.EndpointConfigName, 'endpointConfigName');
  checkDeploymentConfig(v, input.DeploymentConfig as Input | undefined);
  const tags = input.Tags as Tag[] | undefined;
  checkTags(v, tags, 'tags');
  v.throwIfAny('ValidationException');
  checkDeploymentConfigRules(input.DeploymentConfig as Input | undefined);
  if (tags) rejectReservedTagKeys(tags.map((tag) => tag.Key));

  settleEndpoints(backend);
  const name = input.EndpointName as string;
  const arn = endpointArn(ctx, name);
  const key = sageMakerKey(ctx.account, ctx.region, name);
  if (backend.state.endpoints.has(key)) throw sageMakerValidation(`Cannot create already existing endpoint "${arn}".`);
  const config = findEndpointConfig(backend, ctx, input.EndpointConfigName as string);

  const now = Date.now() / 1000;
  const endpoint: StoredEndpoint = {
    account: ctx.account,
    region: ctx.region,
    name,
    arn,
    creationTime: now,
    lastModifiedTime: now,
    status: 'Creating',
    configName: config.name,
    tags: mergeTags([], tags ?? []),
  };
  const deploymentConfig = input.DeploymentConfig as Record<string, unknown> | undefined;
  if (deploymentConfig) endpoint.lastDeploymentConfig = deploymentConfig;
  endpoint.transition = startDeployment(backend, endpoint, 'create', deploymentOf(backend, ctx, config), deploymentConfig);
  backend.state.endpoints.set(key, endpoint);
  backend.changed();
  return { EndpointArn: arn };
}

/** PendingDeploymentSummary: the deployment under way, as DescribeEndpoint shows it while Creating or Updating. */
function pendingSummary(transition: EndpointTransition): Record<string, unknown> {
  const deployment = transition.deployment!;
  const status = [{ Status: transition.kind === 'create' ? 'Creating' : 'Updating', StartTime: transition.startedAtMs / 1000 }];
  const pending = (summary: Record<string, unknown>): Record<string, unknown> => {
    const { CurrentWeight, CurrentInstanceCount, CurrentServerlessConfig, ...desired } = summary;
    return { ...desired, ...deployment.instanceTypes[summary.VariantName as string], VariantStatus: status };
  };
  const output: Record<string, unknown> = {
    EndpointConfigName: deployment.configName,
    ProductionVariants: deployment.productionVariants.map(pending),
    StartTime: transition.startedAtMs / 1000,
  };
  if (deployment.shadowProductionVariants) output.ShadowProductionVariants = deployment.shadowProductionVariants.map(pending);
  return output;
}

function describeEndpoint(backend: Backend, ctx: RequestContext, input: Input): Output {
  const endpoint = findEndpoint(backend, ctx, requestedName(input, 'EndpointName', 'endpointName', UNBOUNDED_NAME_PATTERN_TEXT));
  const output: Output = {
    EndpointName: endpoint.name,
    EndpointArn: endpoint.arn,
    EndpointConfigName: endpoint.configName,
    EndpointStatus: endpoint.status,
    CreationTime: endpoint.creationTime,
    LastModifiedTime: endpoint.lastModifiedTime,
  };
  const deployed = endpoint.deployed;
  if (deployed) {
    output.ProductionVariants = deployed.productionVariants;
    if (deployed.shadowProductionVariants) output.ShadowProductionVariants = deployed.shadowProductionVariants;
    if (deployed.dataCaptureConfig) output.DataCaptureConfig = deployed.dataCaptureConfig;
    if (deployed.asyncInferenceConfig) output.AsyncInferenceConfig = deployed.asyncInferenceConfig;
  }
  if (endpoint.failureReason !== undefined) output.FailureReason = endpoint.failureReason;
  if (endpoint.lastDeploymentConfig) output.LastDeploymentConfig = endpoint.lastDeploymentConfig;
  const transition = endpoint.transition;
  if (transition && transition.kind !== 'delete') output.PendingDeploymentSummary = pendingSummary(transition);
  return output;
}

function updateEndpoint(backend: Backend, ctx: RequestContext, input: Input): Output {
  const v = new Violations();
  checkName(v, input.EndpointName, 'endpointName', UNBOUNDED_NAME_PATTERN_TEXT);
  checkName(v, input.EndpointConfigName, 'endpointConfigName');
  const excluded = input.ExcludeRetainedVariantProperties as Input[] | undefined;
  if (excluded) {
    v.length(excluded, 'excludeRetainedVariantProperties', 0, 3);
    excluded.forEach((property, index) => {
      const at = `excludeRetainedVariantProperties.${index + 1}.member.variantPropertyType`;
      if (v.required(property.VariantPropertyType, at)) v.oneOf(property.VariantPropertyType as string, at, VARIANT_PROPERTY_TYPES);
    });
  }
  checkDeploymentConfig(v, input.DeploymentConfig as Input | undefined);
  v.throwIfAny('ValidationException');
  checkDeploymentConfigRules(input.DeploymentConfig as Input | undefined);

  const endpoint = findEndpoint(backend, ctx, input.EndpointName as string);
  if (endpoint.status === 'Failed') {
    throw sageMakerValidation(`Cannot update failed endpoint "${endpoint.arn}". Delete the endpoint and create it again.`);
  }
  if (endpoint.status !== 'InService') throw sageMakerValidation(`Cannot update in-progress endpoint "${endpoint.arn}".`);
  const config = findEndpointConfig(backend, ctx, input.EndpointConfigName as string);

  const retained: Retained | undefined =
    input.RetainAllVariantProperties === true && endpoint.deployed
      ? { current: endpoint.deployed, excluded: new Set((excluded ?? []).map((property) => property.VariantPropertyType as string)) }
      : undefined;
  const deploymentConfig =
    (input.DeploymentConfig as Record<string, unknown> | undefined) ?? (input.RetainDeploymentConfig === true ? endpoint.lastDeploymentConfig : undefined);
  // SageMaker reads the running configuration again during an update: when it was deleted, the update fails and the
  // endpoint stays on what it runs, InService, with the reason.
  const running = backend.state.endpointConfigs.get(sageMakerKey(endpoint.account, endpoint.region, endpoint.configName));
  const missing = running ? undefined : `Could not find endpoint configuration "${endpointConfigArn(ctx, endpoint.configName)}".`;
  endpoint.transition = startDeployment(backend, endpoint, 'update', deploymentOf(backend, ctx, config, retained), deploymentConfig, missing);
  endpoint.status = 'Updating';
  endpoint.lastModifiedTime = Date.now() / 1000;
  backend.changed();
  return { EndpointArn: endpoint.arn };
}

/** Deleting an endpoint is allowed in any status; while Deleting, a second DeleteEndpoint changes nothing. */
function deleteEndpoint(backend: Backend, ctx: RequestContext, input: Input): Output {
  const endpoint = findEndpoint(backend, ctx, requestedName(input, 'EndpointName', 'endpointName', UNBOUNDED_NAME_PATTERN_TEXT));
  if (endpoint.status === 'Deleting') return {};
  const now = Date.now();
  endpoint.status = 'Deleting';
  endpoint.lastModifiedTime = now / 1000;
  endpoint.transition = { kind: 'delete', startedAtMs: now, endsAtMs: now + backend.transitionMs };
  backend.changed();
  return {};
}

function listEndpoints(backend: Backend, ctx: RequestContext, input: Input): Output {
  const v = new Violations();
  checkListInput(v, input, ENDPOINT_SORT_KEYS, ORDER_KEYS);
  v.oneOf(input.StatusEquals as string | undefined, 'statusEquals', ENDPOINT_STATUSES);
  v.throwIfAny('ValidationException');
  settleEndpoints(backend);
  const modifiedBefore = input.LastModifiedTimeBefore as number | undefined;
  const modifiedAfter = input.LastModifiedTimeAfter as number | undefined;
  const endpoints = [...backend.state.endpoints.values()].filter(
    (endpoint) =>
      (input.StatusEquals === undefined || endpoint.status === input.StatusEquals) &&
      (modifiedBefore === undefined || endpoint.lastModifiedTime < modifiedBefore) &&
      (modifiedAfter === undefined || endpoint.lastModifiedTime > modifiedAfter),
  );
  const sortValue = (endpoint: StoredEndpoint): string | number =>
    input.SortBy === 'Name' ? endpoint.name.toLowerCase() : input.SortBy === 'Status' ? endpoint.status : endpoint.creationTime;
  const summary = (endpoint: StoredEndpoint): Output => ({
    EndpointName: endpoint.name,
    EndpointArn: endpoint.arn,
    CreationTime: endpoint.creationTime,
    LastModifiedTime: endpoint.lastModifiedTime,
    EndpointStatus: endpoint.status,
  });
  return listPage(endpoints, ctx, input, 'Endpoints', summary, sortValue);
}
