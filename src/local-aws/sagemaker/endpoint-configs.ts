// SageMaker endpoint configurations: CreateEndpointConfig, DescribeEndpointConfig, DeleteEndpointConfig and
// ListEndpointConfigs, with the API model's input rules and SageMaker's own (variants, data capture, async inference).
import type { Backend, RequestContext } from '../context';
import { sageMakerValidation } from '../errors';
import { sageMakerKey, type StoredEndpointConfig, type Tag } from '../state';
import { type Shape, Violations } from '../validation';
import {
  ACCELERATOR_TYPES,
  ASYNC_NOTIFICATION_TOPIC_TYPES,
  CAPTURE_MODES,
  ENDPOINT_CONFIG_SORT_KEYS,
  INFERENCE_AMI_VERSIONS,
  INSTANCE_TYPES,
  MANAGED_INSTANCE_SCALING_STATUSES,
  ORDER_KEYS,
  ROUTING_STRATEGIES,
} from './enums';
import {
  checkListInput,
  checkName,
  checkTags,
  type Handler,
  type Input,
  listPage,
  listShape,
  mergeTags,
  type Output,
  rejectReservedTagKeys,
  requestedName,
  sageMakerArn,
  tagShape,
  UNBOUNDED,
  UNBOUNDED_NAME_PATTERN_TEXT,
  type Where,
} from './shared';

const S3_URI_PATTERN = /^(https|s3):\/\/([^/])\/?(.*)$/;
const S3_URI_PATTERN_TEXT = '^(https|s3)://([^/])/?(.*)$';
const KMS_KEY_PATTERN = /^[a-zA-Z0-9:/_-]*$/;
const KMS_KEY_PATTERN_TEXT = '[a-zA-Z0-9:/_-]*';
const CONTENT_TYPE_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9])*\/[a-zA-Z0-9](-*[a-zA-Z0-9.])*$/;
const CONTENT_TYPE_PATTERN_TEXT = '^[a-zA-Z0-9](-*[a-zA-Z0-9])*\\/[a-zA-Z0-9](-*[a-zA-Z0-9.])*';

// ---- request shapes (JSON types, checked before anything else) ----

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

export const endpointConfigShapes: Record<string, Shape> = {
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
};

/** The CreateEndpointConfig fields that DescribeEndpointConfig returns as they were sent. */
const ECHOED_CONFIG_FIELDS = ['ProductionVariants', 'ShadowProductionVariants', 'DataCaptureConfig', 'KmsKeyId', 'AsyncInferenceConfig'] as const;

export const endpointConfigHandlers: Record<string, Handler> = {
  CreateEndpointConfig: createEndpointConfig,
  DescribeEndpointConfig: describeEndpointConfig,
  DeleteEndpointConfig: deleteEndpointConfig,
  ListEndpointConfigs: listEndpointConfigs,
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

export function endpointConfigArn(ctx: Where, name: string): string {
  return sageMakerArn(ctx, 'endpoint-config', name);
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
