// resource "aws_sagemaker_endpoint_configuration": the mapping between
// provider-schema/resources/aws_sagemaker_endpoint_configuration.json and SageMaker's CreateEndpointConfig /
// DescribeEndpointConfig / DeleteEndpointConfig, as hashicorp/aws v6 does it. Everything but the tags forces
// replacement, so there is no update call; planning, validation, region and tags come from the engine and the AWS
// behaviours.
import type {
  AsyncInferenceConfig,
  CreateEndpointConfigInput,
  DataCaptureConfig,
  DescribeEndpointConfigOutput,
  ProductionVariant,
} from '@aws-sdk/client-sagemaker';
import { errorDiagnostic, type Diagnostic } from '../engine/diagnostics';
import type { ResourceType } from '../engine/resource';
import type { Schema } from '../engine/schema';
import { CtyNumber, isUnknown, type ObjectValue, type Value } from '../values/value';
import { awsResourceError } from '../aws/errors';
import type { AwsMeta } from '../aws/meta';
import { namePrefixFromName, resourceName, uniqueId } from '../aws/names';
import { isNotFound, sagemakerApi, sagemakerResource, tagList } from '../aws/sagemaker';
import { tagsForCreate } from '../aws/tags';
import { bool, first, nonEmpty, num, numberValue, objects, positive, str, strings } from '../aws/values';
import schemaJson from '../../provider-schema/resources/aws_sagemaker_endpoint_configuration.json';

const THING = 'SageMaker AI Endpoint Configuration';
const NOT_FOUND = 'endpoint configuration';

const endpointConfiguration: ResourceType<AwsMeta> = {
  name: 'aws_sagemaker_endpoint_configuration',
  sdkv2: true,
  schema: schemaJson as unknown as Schema,
  planModifiers: [(_context, { config }) => contentTypeHeaderProblems(config)],

  async create(context, planned) {
    const name = resourceName(str(planned.name), str(planned.name_prefix));
    const { sdk, client } = await sagemakerApi(context, planned);
    const input: CreateEndpointConfigInput = {
      EndpointConfigName: name,
      ProductionVariants: objects(planned.production_variants).map(expandVariant),
      Tags: tagList(tagsForCreate(planned, context.meta.defaultTags)),
      AsyncInferenceConfig: expandAsyncInference(first(planned.async_inference_config)),
      DataCaptureConfig: expandDataCapture(first(planned.data_capture_config)),
      ExecutionRoleArn: nonEmpty(planned.execution_role_arn),
      KmsKeyId: nonEmpty(planned.kms_key_arn),
      ShadowProductionVariants: objects(planned.shadow_production_variants).length > 0 ? objects(planned.shadow_production_variants).map(expandVariant) : undefined,
    };
    // Never aborted half-way (Ctrl-C): an abandoned request may still create the configuration.
    try {
      await client.send(new sdk.CreateEndpointConfigCommand(input));
    } catch (error) {
      throw awsResourceError(`creating ${THING}`, name, 'SageMaker', 'CreateEndpointConfig', error);
    }
    const created: ObjectValue = { ...planned, id: name, name };
    try {
      return flatten(await client.send(new sdk.DescribeEndpointConfigCommand({ EndpointConfigName: name })), created);
    } catch (error) {
      throw awsResourceError(`reading ${THING}`, name, 'SageMaker', 'DescribeEndpointConfig', error).withState({ ...created, arn: null });
    }
  },

  async read(context, current) {
    const name = str(current.id) ?? str(current.name)!;
    const { sdk, client } = await sagemakerApi(context, current);
    try {
      return flatten(await client.send(new sdk.DescribeEndpointConfigCommand({ EndpointConfigName: name }), { abortSignal: context.signal }), current);
    } catch (error) {
      if (isNotFound(error, NOT_FOUND)) return null;
      throw awsResourceError(`reading ${THING}`, name, 'SageMaker', 'DescribeEndpointConfig', error);
    }
  },

  // Tags only: everything else forces replacement, and the tagging behaviour applies tag changes.
  async update(context, _prior, planned) {
    const refreshed = await endpointConfiguration.read(context, planned);
    if (!refreshed) throw awsResourceError(`reading ${THING}`, str(planned.id)!, 'SageMaker', 'DescribeEndpointConfig', new Error('endpoint configuration not found'));
    return refreshed;
  },

  async delete(context, current) {
    const name = str(current.id)!;
    const { sdk, client } = await sagemakerApi(context, current);
    try {
      await client.send(new sdk.DeleteEndpointConfigCommand({ EndpointConfigName: name }));
    } catch (error) {
      if (isNotFound(error, NOT_FOUND)) return;
      throw awsResourceError(`deleting ${THING}`, name, 'SageMaker', 'DeleteEndpointConfig', error);
    }
  },

  importState(_context, id) {
    return { id };
  },
};

/**
 * hashicorp/aws's plan-time check (CustomizeDiff): a `capture_content_type_header` block needs one of its lists. It
 * fails the plan as one error without an attribute path, worded as hashicorp/aws words it.
 */
function contentTypeHeaderProblems(config: ObjectValue): Diagnostic[] {
  const capture = config.data_capture_config;
  if (!Array.isArray(capture)) return [];
  for (const element of capture) {
    if (element === null || isUnknown(element) || !Array.isArray((element as ObjectValue).capture_content_type_header)) continue;
    for (const header of (element as ObjectValue).capture_content_type_header as Value[]) {
      if (header === null || isUnknown(header)) continue;
      const { csv_content_types: csv, json_content_types: json } = header as ObjectValue;
      if ((csv ?? null) !== null || (json ?? null) !== null) continue;
      return [
        errorDiagnostic(
          'Invalid Attribute Combination\n\nAt least one attribute out of [csv_content_types, json_content_types] must be specified\n\n' +
            'Path: data_capture_config.capture_content_type_header',
        ),
      ];
    }
  }
  return [];
}

// ---- Terraform -> API ------------------------------------------------------------------------------

/** What hashicorp/aws sends for a variant: weight and SSM access only with a model, positive numbers only. */
function expandVariant(variant: ObjectValue): ProductionVariant {
  const modelName = nonEmpty(variant.model_name);
  const routing = first(variant.routing_config);
  const serverless = first(variant.serverless_config);
  const coreDump = first(variant.core_dump_config);
  const scaling = first(variant.managed_instance_scaling);
  const reservation = first(variant.capacity_reservation_config);
  return {
    ModelName: modelName,
    // The schema's default weight, also when an unknown model name left it out of the plan.
    InitialVariantWeight: modelName ? (num(variant.initial_variant_weight) ?? 1) : undefined,
    EnableSSMAccess: modelName ? (bool(variant.enable_ssm_access) ?? false) : undefined,
    InitialInstanceCount: positive(variant.initial_instance_count),
    ContainerStartupHealthCheckTimeoutInSeconds: positive(variant.container_startup_health_check_timeout_in_seconds),
    ModelDataDownloadTimeoutInSeconds: positive(variant.model_data_download_timeout_in_seconds),
    VolumeSizeInGB: positive(variant.volume_size_in_gb),
    InstanceType: nonEmpty(variant.instance_type) as ProductionVariant['InstanceType'],
    VariantName: nonEmpty(variant.variant_name) ?? uniqueId(),
    AcceleratorType: nonEmpty(variant.accelerator_type) as ProductionVariant['AcceleratorType'],
    RoutingConfig: routing && { RoutingStrategy: nonEmpty(routing.routing_strategy) as 'LEAST_OUTSTANDING_REQUESTS' },
    ServerlessConfig: serverless && {
      MaxConcurrency: num(serverless.max_concurrency),
      MemorySizeInMB: num(serverless.memory_size_in_mb),
      ProvisionedConcurrency: positive(serverless.provisioned_concurrency),
    },
    CoreDumpConfig: coreDump && { DestinationS3Uri: str(coreDump.destination_s3_uri) ?? '', KmsKeyId: str(coreDump.kms_key_id) ?? '' },
    ManagedInstanceScaling: scaling && {
      Status: nonEmpty(scaling.status) as 'ENABLED' | 'DISABLED' | undefined,
      MinInstanceCount: num(scaling.min_instance_count) ?? 0,
      MaxInstanceCount: positive(scaling.max_instance_count),
    },
    InferenceAmiVersion: nonEmpty(variant.inference_ami_version) as ProductionVariant['InferenceAmiVersion'],
    CapacityReservationConfig: reservation && {
      CapacityReservationPreference: nonEmpty(reservation.capacity_reservation_preference) as 'capacity-reservations-only' | undefined,
      MlReservationArn: str(reservation.ml_reservation_arn) ?? '',
    },
  };
}

function expandDataCapture(capture: ObjectValue | undefined): DataCaptureConfig | undefined {
  if (!capture) return undefined;
  const header = first(capture.capture_content_type_header);
  const csv = strings(header?.csv_content_types);
  const json = strings(header?.json_content_types);
  return {
    InitialSamplingPercentage: num(capture.initial_sampling_percentage),
    DestinationS3Uri: str(capture.destination_s3_uri),
    CaptureOptions: objects(capture.capture_options).map((option) => ({ CaptureMode: str(option.capture_mode) as 'Input' })),
    EnableCapture: bool(capture.enable_capture) ?? false,
    KmsKeyId: nonEmpty(capture.kms_key_id),
    CaptureContentTypeHeader: header && {
      CsvContentTypes: csv.length > 0 ? csv : undefined,
      JsonContentTypes: json.length > 0 ? json : undefined,
    },
  };
}

function expandAsyncInference(async: ObjectValue | undefined): AsyncInferenceConfig | undefined {
  if (!async) return undefined;
  const clientConfig = first(async.client_config);
  const output = first(async.output_config);
  const notification = output && first(output.notification_config);
  const includeIn = strings(notification?.include_inference_response_in);
  return {
    ClientConfig: clientConfig && { MaxConcurrentInvocationsPerInstance: num(clientConfig.max_concurrent_invocations_per_instance) },
    OutputConfig: output && {
      S3OutputPath: str(output.s3_output_path),
      KmsKeyId: nonEmpty(output.kms_key_id),
      S3FailurePath: nonEmpty(output.s3_failure_path),
      NotificationConfig: notification && {
        ErrorTopic: nonEmpty(notification.error_topic),
        SuccessTopic: nonEmpty(notification.success_topic),
        IncludeInferenceResponseIn: includeIn.length > 0 ? (includeIn as ('SUCCESS_NOTIFICATION_TOPIC' | 'ERROR_NOTIFICATION_TOPIC')[]) : undefined,
      },
    },
  };
}

// ---- API -> Terraform ------------------------------------------------------------------------------

/** DescribeEndpointConfig as state. `known` supplies what the API does not return (region, tags). */
function flatten(output: DescribeEndpointConfigOutput, known: ObjectValue): ObjectValue {
  const name = output.EndpointConfigName ?? null;
  return {
    ...known,
    id: name,
    name,
    name_prefix: (name && namePrefixFromName(name)) ?? '',
    arn: output.EndpointConfigArn ?? null,
    async_inference_config: output.AsyncInferenceConfig ? [flattenAsyncInference(output.AsyncInferenceConfig)] : [],
    data_capture_config: output.DataCaptureConfig ? [flattenDataCapture(output.DataCaptureConfig)] : [],
    execution_role_arn: output.ExecutionRoleArn ?? '',
    kms_key_arn: output.KmsKeyId ?? '',
    production_variants: (output.ProductionVariants ?? []).map(flattenVariant),
    shadow_production_variants: (output.ShadowProductionVariants ?? []).map(flattenVariant),
  };
}

function flattenVariant(variant: ProductionVariant): ObjectValue {
  const withModel = Boolean(variant.ModelName);
  const routing = variant.RoutingConfig;
  const serverless = variant.ServerlessConfig;
  const coreDump = variant.CoreDumpConfig;
  const scaling = variant.ManagedInstanceScaling;
  const reservation = variant.CapacityReservationConfig;
  return {
    accelerator_type: variant.AcceleratorType ?? '',
    instance_type: variant.InstanceType ?? '',
    inference_ami_version: variant.InferenceAmiVersion ?? '',
    variant_name: variant.VariantName ?? '',
    // hashicorp/aws reads the model-related values only for a variant that has a model.
    model_name: withModel ? variant.ModelName! : null,
    initial_variant_weight: withModel ? numberValue(variant.InitialVariantWeight) : null,
    enable_ssm_access: withModel ? (variant.EnableSSMAccess ?? null) : null,
    initial_instance_count: numberValue(variant.InitialInstanceCount),
    container_startup_health_check_timeout_in_seconds: numberValue(variant.ContainerStartupHealthCheckTimeoutInSeconds),
    model_data_download_timeout_in_seconds: numberValue(variant.ModelDataDownloadTimeoutInSeconds),
    volume_size_in_gb: numberValue(variant.VolumeSizeInGB),
    routing_config: routing ? [{ routing_strategy: routing.RoutingStrategy ?? '' }] : [],
    serverless_config: serverless
      ? [
          {
            max_concurrency: numberValue(serverless.MaxConcurrency),
            memory_size_in_mb: numberValue(serverless.MemorySizeInMB),
            provisioned_concurrency: numberValue(serverless.ProvisionedConcurrency),
          },
        ]
      : [],
    core_dump_config: coreDump ? [{ destination_s3_uri: coreDump.DestinationS3Uri ?? null, kms_key_id: coreDump.KmsKeyId ?? null }] : [],
    managed_instance_scaling: scaling
      ? [{ status: scaling.Status || null, min_instance_count: numberValue(scaling.MinInstanceCount), max_instance_count: numberValue(scaling.MaxInstanceCount) }]
      : [],
    capacity_reservation_config: reservation
      ? [{ capacity_reservation_preference: reservation.CapacityReservationPreference || null, ml_reservation_arn: reservation.MlReservationArn ?? null }]
      : [],
  };
}

function flattenDataCapture(capture: DataCaptureConfig): ObjectValue {
  const header = capture.CaptureContentTypeHeader;
  return {
    initial_sampling_percentage: CtyNumber.of(capture.InitialSamplingPercentage ?? 0),
    destination_s3_uri: capture.DestinationS3Uri ?? '',
    capture_options: (capture.CaptureOptions ?? []).map((option) => ({ capture_mode: option.CaptureMode ?? '' })),
    enable_capture: capture.EnableCapture ?? null,
    kms_key_id: capture.KmsKeyId ?? null,
    capture_content_type_header: header
      ? [{ csv_content_types: header.CsvContentTypes ? [...header.CsvContentTypes] : null, json_content_types: header.JsonContentTypes ? [...header.JsonContentTypes] : null }]
      : [],
  };
}

function flattenAsyncInference(async: AsyncInferenceConfig): ObjectValue {
  const clientConfig = async.ClientConfig;
  const output = async.OutputConfig;
  const notification = output?.NotificationConfig;
  return {
    client_config: clientConfig ? [{ max_concurrent_invocations_per_instance: numberValue(clientConfig.MaxConcurrentInvocationsPerInstance) }] : [],
    output_config: output
      ? [
          {
            s3_output_path: output.S3OutputPath ?? '',
            kms_key_id: output.KmsKeyId ?? null,
            s3_failure_path: output.S3FailurePath ?? null,
            notification_config: notification
              ? [
                  {
                    error_topic: notification.ErrorTopic ?? null,
                    success_topic: notification.SuccessTopic ?? null,
                    include_inference_response_in: notification.IncludeInferenceResponseIn ? [...notification.IncludeInferenceResponseIn] : null,
                  },
                ]
              : [],
          },
        ]
      : [],
  };
}

export const sagemakerEndpointConfiguration: ResourceType<AwsMeta> = sagemakerResource(endpointConfiguration, THING);
