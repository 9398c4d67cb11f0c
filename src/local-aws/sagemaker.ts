// SageMaker (AWS JSON 1.1): the model operations and their tags, with the API's own input rules and messages.
import type { Backend, RequestContext } from './context';
import { AwsError, sageMakerValidation } from './errors';
import { modelKey, roleKey, type StoredModel, type Tag } from './state';
import { checkShape, dropNullMembers, type Shape, Violations } from './validation';

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;

const NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const NAME_PATTERN_TEXT = '^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}';
const ROLE_ARN_PATTERN = /^arn:aws[a-z\-]*:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
const ROLE_ARN_PATTERN_TEXT = '^arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+$';
const RESOURCE_ARN_PATTERN = /^arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:[0-9]{12}:.+$/;
const RESOURCE_ARN_PATTERN_TEXT = 'arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:.+';
const MODEL_DATA_URL_PATTERN = /^(https|s3):\/\/([^/]+)\/?(.*)$/;
const IMAGE_PATTERN = /^[\S]+$/;
const ENV_KEY_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TAG_PATTERN = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;
const TAG_PATTERN_TEXT = '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$';
const SECURITY_GROUP_PATTERN = /^[-0-9a-zA-Z]+$/;
const NAME_CONTAINS_PATTERN = /^[a-zA-Z0-9-]+$/;
const MAX_TAGS = 50;

const tagShape: Shape = { struct: { Key: 'string', Value: 'string' } };
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
const shapes: Record<string, Shape> = {
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
  ListModels: {
    struct: {
      SortBy: 'string',
      SortOrder: 'string',
      NextToken: 'string',
      MaxResults: 'integer',
      NameContains: 'string',
      CreationTimeBefore: 'timestamp',
      CreationTimeAfter: 'timestamp',
    },
  },
  AddTags: { struct: { ResourceArn: 'string', Tags: { list: tagShape } } },
  DeleteTags: { struct: { ResourceArn: 'string', TagKeys: { list: 'string' } } },
  ListTags: { struct: { ResourceArn: 'string', NextToken: 'string', MaxResults: 'integer' } },
};

/** The fields of CreateModel that DescribeModel returns as they were sent. */
const ECHOED_FIELDS = ['PrimaryContainer', 'Containers', 'InferenceExecutionConfig', 'ExecutionRoleArn', 'VpcConfig'] as const;

export function handleSageMaker(backend: Backend, ctx: RequestContext, operation: string, input: Input): Output {
  const shape = Object.prototype.hasOwnProperty.call(shapes, operation) ? shapes[operation] : undefined;
  if (!shape) throw new AwsError('UnknownOperationException', '', 400);
  checkShape(input, shape, '');
  input = dropNullMembers(input) as Input;
  switch (operation) {
    case 'CreateModel':
      return createModel(backend, ctx, input);
    case 'DescribeModel':
      return describeModel(backend, ctx, input);
    case 'DeleteModel':
      return deleteModel(backend, ctx, input);
    case 'ListModels':
      return listModels(backend, ctx, input);
    case 'AddTags':
      return addTags(backend, ctx, input);
    case 'DeleteTags':
      return deleteTags(backend, ctx, input);
    default:
      return listTags(backend, ctx, input);
  }
}

function modelArn(ctx: { account: string; region: string }, name: string): string {
  // SageMaker lower-cases the name in the ARN.
  return `arn:aws:sagemaker:${ctx.region}:${ctx.account}:model/${name.toLowerCase()}`;
}

function checkModelName(v: Violations, name: unknown): void {
  if (!v.required(name, 'modelName')) return;
  v.length(name as string, 'modelName', 0, 63);
  v.pattern(name as string, 'modelName', NAME_PATTERN, NAME_PATTERN_TEXT);
}

function checkTags(v: Violations, tags: Tag[] | undefined, path: string): void {
  if (!tags) return;
  v.length(tags, path, 0, MAX_TAGS);
  tags.forEach((tag, index) => {
    const at = `${path}.${index + 1}.member`;
    if (v.required(tag.Key, `${at}.key`)) {
      v.length(tag.Key, `${at}.key`, 1, 128);
      v.pattern(tag.Key, `${at}.key`, TAG_PATTERN, TAG_PATTERN_TEXT);
    }
    if (v.required(tag.Value, `${at}.value`)) {
      v.length(tag.Value, `${at}.value`, 0, 256);
      v.pattern(tag.Value, `${at}.value`, TAG_PATTERN, TAG_PATTERN_TEXT);
    }
  });
}

function rejectReservedTagKeys(keys: string[]): void {
  const reserved = keys.find((key) => key.toLowerCase().startsWith('aws:'));
  if (reserved !== undefined) {
    throw sageMakerValidation(`Tag keys beginning with 'aws:' are reserved for system use: ${reserved}`);
  }
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
  v.length(hostname, `${path}.containerHostname`, 0, 63);
  v.pattern(hostname, `${path}.containerHostname`, NAME_PATTERN, NAME_PATTERN_TEXT);
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
  checkModelName(v, input.ModelName);
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
  const key = modelKey(ctx.account, ctx.region, name);
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

function findModel(backend: Backend, ctx: RequestContext, name: string): StoredModel {
  const model = backend.state.models.get(modelKey(ctx.account, ctx.region, name));
  if (!model) throw sageMakerValidation(`Could not find model "${modelArn(ctx, name)}".`);
  return model;
}

function describeModel(backend: Backend, ctx: RequestContext, input: Input): Output {
  const v = new Violations();
  checkModelName(v, input.ModelName);
  v.throwIfAny('ValidationException');
  const model = findModel(backend, ctx, input.ModelName as string);
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
  const v = new Violations();
  checkModelName(v, input.ModelName);
  v.throwIfAny('ValidationException');
  const model = findModel(backend, ctx, input.ModelName as string);
  backend.state.models.delete(modelKey(model.account, model.region, model.name));
  backend.changed();
  return {};
}

interface PageToken {
  /** Sort value of the last item returned. */
  s: string | number;
  /** Lower-cased name of the last item returned (the tie-breaker). */
  n: string;
}

function encodeToken(token: PageToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64');
}

function decodeToken(text: string): PageToken {
  try {
    const token = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as PageToken;
    if (typeof token.n === 'string' && (typeof token.s === 'string' || typeof token.s === 'number')) return token;
  } catch {
    // falls through to the AWS error below
  }
  throw sageMakerValidation('Invalid pagination token.');
}

function listModels(backend: Backend, ctx: RequestContext, input: Input): Output {
  const v = new Violations();
  const sortBy = (input.SortBy as string | undefined) ?? 'CreationTime';
  const sortOrder = (input.SortOrder as string | undefined) ?? 'Descending';
  v.oneOf(input.SortBy as string | undefined, 'sortBy', ['Name', 'CreationTime']);
  v.oneOf(input.SortOrder as string | undefined, 'sortOrder', ['Ascending', 'Descending']);
  v.length(input.NextToken as string | undefined, 'nextToken', 0, 8192);
  v.range(input.MaxResults as number | undefined, 'maxResults', 1, 100);
  const nameContains = input.NameContains as string | undefined;
  v.length(nameContains, 'nameContains', 0, 63);
  v.pattern(nameContains, 'nameContains', NAME_CONTAINS_PATTERN, '[a-zA-Z0-9-]+');
  v.throwIfAny('ValidationException');

  const limit = (input.MaxResults as number | undefined) ?? 10;
  const before = input.CreationTimeBefore as number | undefined;
  const after = input.CreationTimeAfter as number | undefined;
  const needle = nameContains?.toLowerCase();
  const sortValue = (model: StoredModel): string | number => (sortBy === 'Name' ? model.name.toLowerCase() : model.creationTime);
  const direction = sortOrder === 'Ascending' ? 1 : -1;
  const compare = (aValue: string | number, aName: string, bValue: string | number, bName: string): number => {
    const primary = aValue < bValue ? -1 : aValue > bValue ? 1 : 0;
    const secondary = aName < bName ? -1 : aName > bName ? 1 : 0;
    return direction * (primary || secondary);
  };

  const matching = [...backend.state.models.values()].filter(
    (model) =>
      model.account === ctx.account &&
      model.region === ctx.region &&
      (needle === undefined || model.name.toLowerCase().includes(needle)) &&
      (before === undefined || model.creationTime < before) &&
      (after === undefined || model.creationTime > after),
  );
  matching.sort((a, b) => compare(sortValue(a), a.name.toLowerCase(), sortValue(b), b.name.toLowerCase()));

  let start = 0;
  if (input.NextToken) {
    const token = decodeToken(input.NextToken as string);
    start = matching.findIndex((model) => compare(sortValue(model), model.name.toLowerCase(), token.s, token.n) > 0);
    if (start < 0) start = matching.length;
  }
  const page = matching.slice(start, start + limit);
  const output: Output = {
    Models: page.map((model) => ({ ModelName: model.name, ModelArn: model.arn, CreationTime: model.creationTime })),
  };
  if (start + limit < matching.length) {
    const last = page[page.length - 1];
    output.NextToken = encodeToken({ s: sortValue(last), n: last.name.toLowerCase() });
  }
  return output;
}

function checkResourceArn(v: Violations, arn: unknown): void {
  if (!v.required(arn, 'resourceArn')) return;
  v.length(arn as string, 'resourceArn', 0, 256);
  v.pattern(arn as string, 'resourceArn', RESOURCE_ARN_PATTERN, RESOURCE_ARN_PATTERN_TEXT);
}

/** Tags belong to a resource; this endpoint holds models only, so an ARN names a model or nothing. */
function findTaggedResource(backend: Backend, arn: string): StoredModel {
  const match = /^arn:aws[a-z-]*:sagemaker:([a-z0-9-]*):(\d{12}):model\/(.+)$/.exec(arn);
  const model = match ? backend.state.models.get(modelKey(match[2], match[1], match[3])) : undefined;
  if (!model) throw sageMakerValidation(`Could not find model "${arn}".`);
  return model;
}

/** Adds or overwrites tags by key, keeping the order in which keys were first added. */
function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const byKey = new Map(existing.map((tag) => [tag.Key, tag.Value]));
  for (const tag of added) byKey.set(tag.Key, tag.Value);
  return [...byKey].map(([Key, Value]) => ({ Key, Value }));
}

function addTags(backend: Backend, ctx: RequestContext, input: Input): Output {
  const v = new Violations();
  checkResourceArn(v, input.ResourceArn);
  const tags = input.Tags as Tag[] | undefined;
  if (v.required(tags, 'tags')) checkTags(v, tags, 'tags');
  v.throwIfAny('ValidationException');
  rejectReservedTagKeys(tags!.map((tag) => tag.Key));
  const model = findTaggedResource(backend, input.ResourceArn as string);
  const merged = mergeTags(model.tags, tags!);
  if (merged.length > MAX_TAGS) {
    throw sageMakerValidation(`Cannot add tags: a resource can have at most ${MAX_TAGS} tags, and this request would leave ${merged.length}.`);
  }
  model.tags = merged;
  backend.changed();
  return { Tags: tags };
}

function deleteTags(backend: Backend, ctx: RequestContext, input: Input): Output {
  const v = new Violations();
  checkResourceArn(v, input.ResourceArn);
  const keys = input.TagKeys as string[] | undefined;
  if (v.required(keys, 'tagKeys')) {
    v.length(keys, 'tagKeys', 1, 50);
    keys!.forEach((key, index) => {
      v.length(key, `tagKeys.${index + 1}.member`, 1, 128);
      v.pattern(key, `tagKeys.${index + 1}.member`, TAG_PATTERN, TAG_PATTERN_TEXT);
    });
  }
  v.throwIfAny('ValidationException');
  rejectReservedTagKeys(keys!);
  const model = findTaggedResource(backend, input.ResourceArn as string);
  const removed = new Set(keys);
  model.tags = model.tags.filter((tag) => !removed.has(tag.Key));
  backend.changed();
  return {};
}

function listTags(backend: Backend, ctx: RequestContext, input: Input): Output {
  const v = new Violations();
  checkResourceArn(v, input.ResourceArn);
  v.length(input.NextToken as string | undefined, 'nextToken', 0, 8192);
  v.range(input.MaxResults as number | undefined, 'maxResults', 50, 100);
  v.throwIfAny('ValidationException');
  const model = findTaggedResource(backend, input.ResourceArn as string);
  const limit = (input.MaxResults as number | undefined) ?? 50;
  let start = 0;
  if (input.NextToken) {
    const token = decodeToken(input.NextToken as string);
    start = model.tags.findIndex((tag) => tag.Key === token.n);
    start = start < 0 ? model.tags.length : start + 1;
  }
  const page = model.tags.slice(start, start + limit);
  const output: Output = { Tags: page };
  if (start + limit < model.tags.length) output.NextToken = encodeToken({ s: 0, n: page[page.length - 1].Key });
  return output;
}
