// resource "aws_sagemaker_model": the mapping between provider-schema/resources/aws_sagemaker_model.json
// and SageMaker's CreateModel / DescribeModel / DeleteModel. Planning, validation, region and tags come
// from the engine and the AWS behaviours; only the API mapping lives here.
import type {
  AdditionalModelDataSource,
  ContainerDefinition,
  CreateModelInput,
  DescribeModelOutput,
  S3ModelDataSource,
} from '@aws-sdk/client-sagemaker';
import { errorDiagnostic } from '../engine/diagnostics';
import type { ResourceType } from '../engine/resource';
import type { Schema } from '../engine/schema';
import type { ObjectValue } from '../values/value';
import { awsResourceError, errorMessage, isErrorCode, sdkAttempts } from '../aws/errors';
import type { AwsMeta } from '../aws/meta';
import { resourceName } from '../aws/names';
import { retryWhile } from '../aws/retry';
import { isNotFound, sagemakerApi, sagemakerResource, tagList } from '../aws/sagemaker';
import { tagsForCreate } from '../aws/tags';
import { bool, first, mapValue, nonEmpty, objects, str, stringMap, strings } from '../aws/values';
import schemaJson from '../../provider-schema/resources/aws_sagemaker_model.json';

const schema = schemaJson as unknown as Schema;
const THING = 'SageMaker AI Model';
const IAM_PROPAGATION_TIMEOUT_MS = 2 * 60_000;
const DELETE_TIMEOUT_MS = 5 * 60_000;

const model: ResourceType<AwsMeta> = {
  name: 'aws_sagemaker_model',
  sdkv2: true,
  schema,

  validate(config) {
    const hasPrimary = Array.isArray(config.primary_container) ? config.primary_container.length > 0 : config.primary_container !== null;
    const hasContainers = Array.isArray(config.container) ? config.container.length > 0 : config.container !== null;
    if (hasPrimary || hasContainers) return [];
    return [
      errorDiagnostic(
        'Missing container definition',
        'A SageMaker model needs a "primary_container" block or at least one "container" block.',
        [{ attr: 'primary_container' }],
      ),
    ];
  },

  async create(context, planned) {
    const name = resourceName(str(planned.name));
    const { sdk: sagemaker, client: api } = await sagemakerApi(context, planned);
    const tags = tagsForCreate(planned, context.meta.defaultTags);
    const input: CreateModelInput = {
      ModelName: name,
      ExecutionRoleArn: str(planned.execution_role_arn),
      PrimaryContainer: first(planned.primary_container) && expandContainer(first(planned.primary_container)!),
      Containers: objects(planned.container).length > 0 ? objects(planned.container).map(expandContainer) : undefined,
      VpcConfig: first(planned.vpc_config) && {
        SecurityGroupIds: strings(first(planned.vpc_config)!.security_group_ids),
        Subnets: strings(first(planned.vpc_config)!.subnets),
      },
      EnableNetworkIsolation: bool(planned.enable_network_isolation) === true ? true : undefined,
      InferenceExecutionConfig: first(planned.inference_execution_config) && {
        Mode: str(first(planned.inference_execution_config)!.mode) as 'Serial' | 'Direct',
      },
      Tags: tagList(tags),
    };
    // Mutating calls are never aborted half-way (Ctrl-C): an abandoned request may still create the model,
    // and a model Terraform does not know about is an orphan. Stopping only ends the retry loop.
    let attempts = 0;
    try {
      // SageMaker answers ValidationException while the new execution role cannot be assumed yet.
      await retryWhile(
        async () => {
          attempts += 1;
          return api.send(new sagemaker.CreateModelCommand(input));
        },
        isRetryableCreateError,
        { timeoutMs: IAM_PROPAGATION_TIMEOUT_MS, signal: context.signal },
      );
    } catch (error) {
      // A retried request whose first attempt reached SageMaker but whose answer was lost finds its own model.
      if (!(isAlreadyExists(error) && (attempts > 1 || sdkAttempts(error) > 1))) {
        throw awsResourceError(`creating ${THING}`, name, 'SageMaker', 'CreateModel', error, alreadyExistsHint(error, name));
      }
    }
    const created: ObjectValue = { ...planned, id: name, name };
    try {
      const output = await api.send(new sagemaker.DescribeModelCommand({ ModelName: name }));
      return flattenModel(output, created);
    } catch (error) {
      throw awsResourceError(`reading ${THING}`, name, 'SageMaker', 'DescribeModel', error).withState({ ...created, arn: null });
    }
  },

  async read(context, current) {
    const name = str(current.id) ?? str(current.name)!;
    const { sdk: sagemaker, client: api } = await sagemakerApi(context, current);
    try {
      const output = await api.send(new sagemaker.DescribeModelCommand({ ModelName: name }), { abortSignal: context.signal });
      return flattenModel(output, current);
    } catch (error) {
      // SageMaker reports a missing model as a ValidationException ("Could not find model ...").
      if (isErrorCode(error, 'ValidationException')) return null;
      throw awsResourceError(`reading ${THING}`, name, 'SageMaker', 'DescribeModel', error);
    }
  },

  // Everything but the tags forces replacement, and tags are applied by the tagging behaviour.
  async update(context, _prior, planned) {
    const refreshed = await model.read(context, planned);
    if (!refreshed) throw awsResourceError(`updating ${THING}`, str(planned.id)!, 'SageMaker', 'DescribeModel', new Error('model not found'));
    return refreshed;
  },

  async delete(context, current) {
    const name = str(current.id)!;
    const { sdk: sagemaker, client: api } = await sagemakerApi(context, current);
    try {
      await retryWhile(
        () => api.send(new sagemaker.DeleteModelCommand({ ModelName: name })),
        (error) => isErrorCode(error, 'ResourceNotFound'),
        { timeoutMs: DELETE_TIMEOUT_MS, signal: context.signal },
      );
    } catch (error) {
      if (isNotFound(error, 'model')) return;
      throw awsResourceError(`deleting ${THING}`, name, 'SageMaker', 'DeleteModel', error);
    }
  },

  importState(_context, id) {
    return { id, name: id };
  },
};

/** hashicorp/aws retries every ValidationException of CreateModel; a name clash can never succeed later. */
function isRetryableCreateError(error: unknown): boolean {
  return isErrorCode(error, 'ValidationException') && !isAlreadyExists(error);
}

function isAlreadyExists(error: unknown): boolean {
  return isErrorCode(error, 'ValidationException') && errorMessage(error).includes('already exist');
}

function alreadyExistsHint(error: unknown, name: string): string | undefined {
  if (!isAlreadyExists(error)) return undefined;
  return (
    `A SageMaker model named "${name}" already exists and is not in this Terraform state (for example, created by an ` +
    `apply that was interrupted). To manage it with this configuration, import it: terraform import <resource address> ${name}`
  );
}

function expandContainer(container: ObjectValue): ContainerDefinition {
  const environment = stringMap(container.environment);
  const imageConfig = first(container.image_config);
  const authConfig = imageConfig && first(imageConfig.repository_auth_config);
  const dataSource = first(container.model_data_source);
  const multiModel = first(container.multi_model_config);
  const additional = objects(container.additional_model_data_source);
  return {
    Image: nonEmpty(container.image),
    Mode: nonEmpty(container.mode) as ContainerDefinition['Mode'],
    ContainerHostname: nonEmpty(container.container_hostname),
    ModelDataUrl: nonEmpty(container.model_data_url),
    ModelPackageName: nonEmpty(container.model_package_name),
    InferenceSpecificationName: nonEmpty(container.inference_specification_name),
    Environment: environment && Object.keys(environment).length > 0 ? environment : undefined,
    ImageConfig: imageConfig && {
      RepositoryAccessMode: str(imageConfig.repository_access_mode) as 'Platform' | 'Vpc',
      RepositoryAuthConfig: authConfig && { RepositoryCredentialsProviderArn: str(authConfig.repository_credentials_provider_arn) },
    },
    ModelDataSource: dataSource && { S3DataSource: expandS3DataSource(first(dataSource.s3_data_source)!) },
    AdditionalModelDataSources:
      additional.length > 0
        ? additional.map(
            (source): AdditionalModelDataSource => ({
              ChannelName: str(source.channel_name),
              S3DataSource: expandS3DataSource(first(source.s3_data_source)!),
            }),
          )
        : undefined,
    MultiModelConfig: multiModel && { ModelCacheSetting: nonEmpty(multiModel.model_cache_setting) as 'Enabled' | 'Disabled' | undefined },
  };
}

function expandS3DataSource(source: ObjectValue): S3ModelDataSource {
  const access = first(source.model_access_config);
  return {
    S3Uri: str(source.s3_uri),
    S3DataType: str(source.s3_data_type) as S3ModelDataSource['S3DataType'],
    CompressionType: str(source.compression_type) as S3ModelDataSource['CompressionType'],
    ModelAccessConfig: access && { AcceptEula: bool(access.accept_eula) },
  };
}

/** DescribeModel as state. `known` supplies what the API does not return (region, tags). */
function flattenModel(output: DescribeModelOutput, known: ObjectValue): ObjectValue {
  // Emulators built on moto answer {} for structures that were never set: those mean "absent".
  const primary = output.PrimaryContainer && Object.keys(output.PrimaryContainer).length > 0 ? output.PrimaryContainer : undefined;
  const vpc = output.VpcConfig && (output.VpcConfig.Subnets?.length || output.VpcConfig.SecurityGroupIds?.length) ? output.VpcConfig : undefined;
  return {
    ...known,
    id: output.ModelName ?? null,
    name: output.ModelName ?? null,
    arn: output.ModelArn ?? null,
    execution_role_arn: output.ExecutionRoleArn ?? null,
    enable_network_isolation: output.EnableNetworkIsolation ?? false,
    primary_container: primary ? [flattenContainer(primary)] : [],
    container: (output.Containers ?? []).map(flattenContainer),
    vpc_config: vpc ? [{ subnets: [...(vpc.Subnets ?? [])], security_group_ids: [...(vpc.SecurityGroupIds ?? [])] }] : [],
    inference_execution_config: output.InferenceExecutionConfig?.Mode ? [{ mode: output.InferenceExecutionConfig.Mode }] : [],
  };
}

function flattenContainer(container: ContainerDefinition): ObjectValue {
  const auth = container.ImageConfig?.RepositoryAuthConfig;
  return {
    image: container.Image ?? null,
    // The API's own default when a response leaves the mode out.
    mode: container.Mode ?? 'SingleModel',
    container_hostname: container.ContainerHostname ?? null,
    model_data_url: container.ModelDataUrl ?? null,
    model_package_name: container.ModelPackageName ?? null,
    inference_specification_name: container.InferenceSpecificationName ?? null,
    environment: mapValue(container.Environment),
    image_config: container.ImageConfig
      ? [
          {
            repository_access_mode: container.ImageConfig.RepositoryAccessMode ?? null,
            repository_auth_config: auth?.RepositoryCredentialsProviderArn
              ? [{ repository_credentials_provider_arn: auth.RepositoryCredentialsProviderArn }]
              : [],
          },
        ]
      : [],
    model_data_source: container.ModelDataSource?.S3DataSource ? [{ s3_data_source: [flattenS3DataSource(container.ModelDataSource.S3DataSource)] }] : [],
    additional_model_data_source: (container.AdditionalModelDataSources ?? []).map((source) => ({
      channel_name: source.ChannelName ?? null,
      s3_data_source: source.S3DataSource ? [flattenS3DataSource(source.S3DataSource)] : [],
    })),
    multi_model_config: container.MultiModelConfig ? [{ model_cache_setting: container.MultiModelConfig.ModelCacheSetting ?? null }] : [],
  };
}

function flattenS3DataSource(source: S3ModelDataSource): ObjectValue {
  return {
    s3_uri: source.S3Uri ?? null,
    s3_data_type: source.S3DataType ?? null,
    compression_type: source.CompressionType ?? null,
    model_access_config: source.ModelAccessConfig ? [{ accept_eula: source.ModelAccessConfig.AcceptEula ?? false }] : [],
  };
}

export const sagemakerModel: ResourceType<AwsMeta> = sagemakerResource(model, THING);
