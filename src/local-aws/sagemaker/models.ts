// SageMaker models: CreateModel, DescribeModel, DeleteModel and ListModels, with the API model's input rules and
// what SageMaker checks when it creates a model (its containers, and that it can assume the execution role).
import type { Backend, RequestContext } from '../context';
import { AwsError, sageMakerValidation } from '../errors';
import { roleKey, sageMakerKey, type StoredModel, type Tag } from '../state';
import { type Shape, Violations } from '../validation';
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
  type Where,
} from './shared';

const ROLE_ARN_PATTERN = /^arn:aws[a-z\-]*:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
const ROLE_ARN_PATTERN_TEXT = '^arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+$';
const MODEL_DATA_URL_PATTERN = /^(https|s3):\/\/([^/]+)\/?(.*)$/;
const IMAGE_PATTERN = /^[\S]+$/;
const ENV_KEY_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const SECURITY_GROUP_PATTERN = /^[-0-9a-zA-Z]+$/;

const s3DataSourceShape: Shape = {
  struct: {
    S3Uri: 'string',
    S3DataType: 'string',
    CompressionType: 'string',
    ModelAccessConfig: { struct: { AcceptEula: 'boolean' } },
    HubAccessConfig: { struct: { HubContentArn: 'string' } },
    ManifestS3Uri: 'string',
    ETag: 'string',
    ManifestEtag: 'string',
  },
};
const containerShape: Shape = {
  struct: {
    ContainerHostname: 'string',
    Image: 'string',
    ImageConfig: {
      struct: { RepositoryAccessMode: 'string', RepositoryAuthConfig: { struct: { RepositoryCredentialsProviderArn: 'string' } } },
    },
    Mode: 'string',
    ModelDataUrl: 'string',
    ModelDataSource: { struct: { S3DataSource: s3DataSourceShape } },
    AdditionalModelDataSources: { list: { struct: { ChannelName: 'string', S3DataSource: s3DataSourceShape } } },
    Environment: { map: 'string' },
    ModelPackageName: 'string',
    InferenceSpecificationName: 'string',
    MultiModelConfig: { struct: { ModelCacheSetting: 'string' } },
  },
};

export const modelShapes: Record<string, Shape> = {
  CreateModel: {
    struct: {
      ModelName: 'string',
      PrimaryContainer: containerShape,
      Containers: { list: containerShape },
      InferenceExecutionConfig: { struct: { Mode: 'string' } },
      ExecutionRoleArn: 'string',
      Tags: { list: tagShape },
      VpcConfig: { struct: { SecurityGroupIds: { list: 'string' }, Subnets: { list: 'string' } } },
      EnableNetworkIsolation: 'boolean',
    },
  },
  DescribeModel: { struct: { ModelName: 'string' } },
  DeleteModel: { struct: { ModelName: 'string' } },
  ListModels: { struct: listShape },
};

/** The fields of CreateModel that DescribeModel returns as they were sent. */
const ECHOED_FIELDS = ['PrimaryContainer', 'Containers', 'InferenceExecutionConfig', 'ExecutionRoleArn', 'VpcConfig'] as const;

export const modelHandlers: Record<string, Handler> = {
  CreateModel: createModel,
  DescribeModel: describeModel,
  DeleteModel: deleteModel,
  ListModels: listModels,
};

function modelArn(ctx: Where, name: string): string {
  return sageMakerArn(ctx, 'model', name);
}

function checkS3DataSource(v: Violations, source: Input | undefined, path: string): void {
  if (!source) return;
  if (v.required(source.S3Uri, `${path}.s3Uri`)) {
    v.length(source.S3Uri as string, `${path}.s3Uri`, 0, 1024);
    v.pattern(source.S3Uri as string, `${path}.s3Uri`, MODEL_DATA_URL_PATTERN, '^(https|s3)://([^/]+)/?(.*)$');
  }
  if (v.required(source.S3DataType, `${path}.s3DataType`)) v.oneOf(source.S3DataType as string, `${path}.s3DataType`, ['S3Prefix', 'S3Object']);
  if (v.required(source.CompressionType, `${path}.compressionType`)) {
    v.oneOf(source.CompressionType as string, `${path}.compressionType`, ['None', 'Gzip']);
  }
  const access = source.ModelAccessConfig as Input | undefined;
  if (access) v.required(access.AcceptEula, `${path}.modelAccessConfig.acceptEula`);
}

function checkContainer(v: Violations, container: Input, path: string): void {
  const hostname = container.ContainerHostname as string | undefined;
  if (hostname !== undefined) checkName(v, hostname, `${path}.containerHostname`);
  const image = container.Image as string | undefined;
  v.length(image, `${path}.image`, 0, 255);
  v.pattern(image, `${path}.image`, IMAGE_PATTERN, '[\\S]+');
  v.oneOf(container.Mode as string | undefined, `${path}.mode`, ['SingleModel', 'MultiModel']);
  const url = container.ModelDataUrl as string | undefined;
  v.length(url, `${path}.modelDataUrl`, 0, 1024);
  v.pattern(url, `${path}.modelDataUrl`, MODEL_DATA_URL_PATTERN, '^(https|s3)://([^/]+)/?(.*)$');
  const environment = container.Environment as Record<string, string> | undefined;
  if (environment) {
    const keys = Object.keys(environment);
    if (keys.length > 100) v.length(keys, `${path}.environment`, 0, 100);
    for (const key of keys) {
      v.length(key, `${path}.environment.${key}.key`, 0, 1024);
      v.pattern(key, `${path}.environment.${key}.key`, ENV_KEY_PATTERN, '[a-zA-Z_][a-zA-Z0-9_]*');
      v.length(environment[key], `${path}.environment.${key}.value`, 0, 1024);
    }
  }
  const imageConfig = container.ImageConfig as Input | undefined;
  if (imageConfig && v.required(imageConfig.RepositoryAccessMode, `${path}.imageConfig.repositoryAccessMode`)) {
    v.oneOf(imageConfig.RepositoryAccessMode as string, `${path}.imageConfig.repositoryAccessMode`, ['Platform', 'Vpc']);
  }
  const multiModel = container.MultiModelConfig as Input | undefined;
  if (multiModel) v.oneOf(multiModel.ModelCacheSetting as string | undefined, `${path}.multiModelConfig.modelCacheSetting`, ['Enabled', 'Disabled']);
  const dataSource = container.ModelDataSource as Input | undefined;
  if (dataSource) checkS3DataSource(v, dataSource.S3DataSource as Input | undefined, `${path}.modelDataSource.s3DataSource`);
  const additional = container.AdditionalModelDataSources as Input[] | undefined;
  additional?.forEach((source, index) => {
    const at = `${path}.additionalModelDataSources.${index + 1}.member`;
    if (v.required(source.ChannelName, `${at}.channelName`)) v.length(source.ChannelName as string, `${at}.channelName`, 1, 64);
    if (v.required(source.S3DataSource, `${at}.s3DataSource`)) checkS3DataSource(v, source.S3DataSource as Input, `${at}.s3DataSource`);
  });
}

function assumeRoleFailure(roleArn: string): AwsError {
  return sageMakerValidation(
    `Could not assume role ${roleArn}. Please ensure that the role exists and allows principal 'sagemaker.amazonaws.com' to assume the role.`,
  );
}

/** SageMaker assumes the execution role at CreateModel: the role must exist and, after creation, IAM must have propagated it. */
function checkRoleAssumable(backend: Backend, roleArn: string): void {
  const match = /^arn:aws[a-z-]*:iam::(\d{12}):role(\/(?:.*\/)?)([^/]+)$/.exec(roleArn);
  if (!match) throw assumeRoleFailure(roleArn);
  const [, account, path, name] = match;
  const role = backend.state.roles.get(roleKey(account, name));
  if (!role || role.path !== path) throw assumeRoleFailure(roleArn);
  const propagationMs = backend.iamPropagationSeconds() * 1000;
  if (propagationMs > 0 && Date.now() - role.createdAtMs < propagationMs) throw assumeRoleFailure(roleArn);
}

function createModel(backend: Backend, ctx: RequestContext, input: Input): Output {
  const v = new Violations();
  checkName(v, input.ModelName, 'modelName');
  const roleArn = input.ExecutionRoleArn as string | undefined;
  v.length(roleArn, 'executionRoleArn', 20, 2048);
  v.pattern(roleArn, 'executionRoleArn', ROLE_ARN_PATTERN, ROLE_ARN_PATTERN_TEXT);
  if (input.PrimaryContainer) checkContainer(v, input.PrimaryContainer as Input, 'primaryContainer');
  const containers = input.Containers as Input[] | undefined;
  if (containers) {
    v.length(containers, 'containers', 0, 15);
    containers.forEach((container, index) => checkContainer(v, container, `containers.${index + 1}.member`));
  }
  const execution = input.InferenceExecutionConfig as Input | undefined;
  if (execution && v.required(execution.Mode, 'inferenceExecutionConfig.mode')) {
    v.oneOf(execution.Mode as string, 'inferenceExecutionConfig.mode', ['Serial', 'Direct']);
  }
  const vpc = input.VpcConfig as Input | undefined;
  if (vpc) {
    const groups = vpc.SecurityGroupIds as string[] | undefined;
    if (v.required(groups, 'vpcConfig.securityGroupIds')) {
      v.length(groups, 'vpcConfig.securityGroupIds', 1, 5);
      groups!.forEach((id, index) => {
        v.length(id, `vpcConfig.securityGroupIds.${index + 1}.member`, 0, 32);
        v.pattern(id, `vpcConfig.securityGroupIds.${index + 1}.member`, SECURITY_GROUP_PATTERN, '[-0-9a-zA-Z]+');
      });
    }
    const subnets = vpc.Subnets as string[] | undefined;
    if (v.required(subnets, 'vpcConfig.subnets')) {
      v.length(subnets, 'vpcConfig.subnets', 1, 16);
      subnets!.forEach((id, index) => {
        v.length(id, `vpcConfig.subnets.${index + 1}.member`, 0, 32);
        v.pattern(id, `vpcConfig.subnets.${index + 1}.member`, SECURITY_GROUP_PATTERN, '[-0-9a-zA-Z]+');
      });
    }
  }
  const tags = input.Tags as Tag[] | undefined;
  checkTags(v, tags, 'tags');
  v.throwIfAny('ValidationException');

  if (input.PrimaryContainer && containers) {
    throw sageMakerValidation('Only one of PrimaryContainer or Containers can be specified.');
  }
  if (!input.PrimaryContainer && !containers) {
    throw sageMakerValidation('Either PrimaryContainer or Containers must be specified.');
  }
  if (containers && containers.length === 0) {
    throw sageMakerValidation('Containers must contain at least one container.');
  }
  if (tags) rejectReservedTagKeys(tags.map((tag) => tag.Key));

  const name = input.ModelName as string;
  const arn = modelArn(ctx, name);
  const key = sageMakerKey(ctx.account, ctx.region, name);
  if (backend.state.models.has(key)) throw sageMakerValidation(`Cannot create already existing model "${arn}".`);
  if (roleArn !== undefined) checkRoleAssumable(backend, roleArn);

  const spec: Record<string, unknown> = {};
  for (const field of ECHOED_FIELDS) if (input[field] !== undefined && input[field] !== null) spec[field] = input[field];
  const model: StoredModel = {
    account: ctx.account,
    region: ctx.region,
    name,
    arn,
    creationTime: Date.now() / 1000,
    spec,
    enableNetworkIsolation: input.EnableNetworkIsolation === true,
    tags: mergeTags([], tags ?? []),
  };
  backend.state.models.set(key, model);
  backend.changed();
  return { ModelArn: arn };
}

function findModel(backend: Backend, ctx: Where, name: string): StoredModel {
  const model = backend.state.models.get(sageMakerKey(ctx.account, ctx.region, name));
  if (!model) throw sageMakerValidation(`Could not find model "${modelArn(ctx, name)}".`);
  return model;
}

function describeModel(backend: Backend, ctx: RequestContext, input: Input): Output {
  const model = findModel(backend, ctx, requestedName(input, 'ModelName', 'modelName'));
  // moto (behind LocalStack) answers {} for structures that were never set.
  const motoEmpty = backend.motoCompat ? { PrimaryContainer: {}, VpcConfig: {} } : {};
  return {
    ModelName: model.name,
    ...motoEmpty,
    ...model.spec,
    CreationTime: model.creationTime,
    ModelArn: model.arn,
    EnableNetworkIsolation: model.enableNetworkIsolation,
  };
}

function deleteModel(backend: Backend, ctx: RequestContext, input: Input): Output {
  const model = findModel(backend, ctx, requestedName(input, 'ModelName', 'modelName'));
  backend.state.models.delete(sageMakerKey(model.account, model.region, model.name));
  backend.changed();
  return {};
}

function listModels(backend: Backend, ctx: RequestContext, input: Input): Output {
  const v = new Violations();
  checkListInput(v, input, ['Name', 'CreationTime'], ['Ascending', 'Descending']);
  v.throwIfAny('ValidationException');
  return listPage(backend.state.models.values(), ctx, input, 'Models', (model) => ({ ModelName: model.name, ModelArn: model.arn, CreationTime: model.creationTime }));
}
