// SageMaker (AWS JSON 1.1): the operations' dispatch, and tags on models, endpoint configurations and endpoints.
// Each kind of resource has its file: models.ts, endpoint-configs.ts, endpoints.ts.
import type { Backend, RequestContext } from '../context';
import { AwsError, sageMakerValidation } from '../errors';
import { sageMakerKey, type Tag } from '../state';
import { checkShape, dropNullMembers, type Shape, Violations } from '../validation';
import { endpointConfigHandlers, endpointConfigShapes, findEndpointConfig } from './endpoint-configs';
import { endpointHandlers, endpointShapes, findEndpoint } from './endpoints';
import { modelHandlers, modelShapes } from './models';
import { checkTagKeys, checkTags, decodeToken, encodeToken, type Handler, type Input, MAX_TAGS, mergeTags, type Output, rejectReservedTagKeys, tagShape } from './shared';

const RESOURCE_ARN_PATTERN = /^arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:[0-9]{12}:.+$/;
const RESOURCE_ARN_PATTERN_TEXT = 'arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:.+';

const shapes: Record<string, Shape> = {
  ...modelShapes,
  ...endpointConfigShapes,
  ...endpointShapes,
  AddTags: { struct: { ResourceArn: 'string', Tags: { list: tagShape } } },
  DeleteTags: { struct: { ResourceArn: 'string', TagKeys: { list: 'string' } } },
  ListTags: { struct: { ResourceArn: 'string', NextToken: 'string', MaxResults: 'integer' } },
};

const handlers: Record<string, Handler> = {
  ...modelHandlers,
  ...endpointConfigHandlers,
  ...endpointHandlers,
  AddTags: addTags,
  DeleteTags: deleteTags,
  ListTags: listTags,
};

export function handleSageMaker(backend: Backend, ctx: RequestContext, operation: string, input: Input): Output {
  const shape = Object.prototype.hasOwnProperty.call(shapes, operation) ? shapes[operation] : undefined;
  if (!shape) throw new AwsError('UnknownOperationException', '', 400);
  checkShape(input, shape, '');
  return handlers[operation](backend, ctx, dropNullMembers(input) as Input);
}

function checkResourceArn(v: Violations, arn: unknown): void {
  if (!v.required(arn, 'resourceArn')) return;
  v.length(arn as string, 'resourceArn', 0, 256);
  v.pattern(arn as string, 'resourceArn', RESOURCE_ARN_PATTERN, RESOURCE_ARN_PATTERN_TEXT);
}

/** Tags belong to a model, an endpoint configuration or an endpoint, named by its ARN. */
function findTaggedResource(backend: Backend, arn: string): { tags: Tag[] } {
  const match = /^arn:aws[a-z-]*:sagemaker:([a-z0-9-]*):(\d{12}):(model|endpoint-config|endpoint)\/(.+)$/.exec(arn);
  if (match) {
    const [, region, account, type, name] = match;
    const where = { account, region };
    if (type === 'endpoint-config') return findEndpointConfig(backend, where, name);
    if (type === 'endpoint') return findEndpoint(backend, where, name);
    const model = backend.state.models.get(sageMakerKey(account, region, name));
    if (model) return model;
  }
  throw sageMakerValidation(`Could not find model "${arn}".`);
}

function addTags(backend: Backend, ctx: RequestContext, input: Input): Output {
  const v = new Violations();
  checkResourceArn(v, input.ResourceArn);
  const tags = input.Tags as Tag[] | undefined;
  if (v.required(tags, 'tags')) checkTags(v, tags, 'tags');
  v.throwIfAny('ValidationException');
  rejectReservedTagKeys(tags!.map((tag) => tag.Key));
  const resource = findTaggedResource(backend, input.ResourceArn as string);
  const merged = mergeTags(resource.tags, tags!);
  if (merged.length > MAX_TAGS) {
    throw sageMakerValidation(`Cannot add tags: a resource can have at most ${MAX_TAGS} tags, and this request would leave ${merged.length}.`);
  }
  resource.tags = merged;
  backend.changed();
  return { Tags: tags };
}

function deleteTags(backend: Backend, ctx: RequestContext, input: Input): Output {
  const v = new Violations();
  checkResourceArn(v, input.ResourceArn);
  const keys = input.TagKeys as string[] | undefined;
  checkTagKeys(v, keys, 'tagKeys');
  v.throwIfAny('ValidationException');
  rejectReservedTagKeys(keys!);
  const resource = findTaggedResource(backend, input.ResourceArn as string);
  const removed = new Set(keys);
  resource.tags = resource.tags.filter((tag) => !removed.has(tag.Key));
  backend.changed();
  return {};
}

function listTags(backend: Backend, ctx: RequestContext, input: Input): Output {
  const v = new Violations();
  checkResourceArn(v, input.ResourceArn);
  v.length(input.NextToken as string | undefined, 'nextToken', 0, 8192);
  v.range(input.MaxResults as number | undefined, 'maxResults', 50, 100);
  v.throwIfAny('ValidationException');
  const { tags } = findTaggedResource(backend, input.ResourceArn as string);
  const limit = (input.MaxResults as number | undefined) ?? 50;
  let start = 0;
  if (input.NextToken) {
    const token = decodeToken(input.NextToken as string);
    start = tags.findIndex((tag) => tag.Key === token.n);
    start = start < 0 ? tags.length : start + 1;
  }
  const page = tags.slice(start, start + limit);
  const output: Output = { Tags: page };
  if (start + limit < tags.length) output.NextToken = encodeToken({ s: 0, n: page[page.length - 1].Key });
  return output;
}
