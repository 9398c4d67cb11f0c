// What every SageMaker resource shares (src/aws/sagemaker.ts), against a client that answers from memory: the client
// of the object's Region, tags listed page by page and changed by ARN, and SageMaker's "Could not find" errors.
import t from 'tap';
import type { ObjectValue } from '../../src/values/value';
import type { ResourceType } from '../../src/engine/resource';
import { ResourceError } from '../../src/engine/diagnostics';
import { isNotFound, sagemakerApi, sagemakerResource, tagList } from '../../src/aws/sagemaker';
import type { AwsContext, AwsMeta } from '../../src/aws/meta';
import { partitionOfRegion } from '../../src/aws/partitions';

interface Sent {
  region: string;
  command: string;
  input: Record<string, unknown>;
}

/** SageMaker clients per Region that record each command and answer with `answer`. */
function fakeSageMaker(answer: (command: string, input: Record<string, unknown>) => unknown) {
  const sent: Sent[] = [];
  const clients = {
    async sagemaker(region: string) {
      return {
        async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
          const name = command.constructor.name.replace(/Command$/, '');
          sent.push({ region, command: name, input: command.input });
          const result = answer(name, command.input);
          if (result instanceof Error) throw result;
          return result;
        },
      };
    },
  };
  const meta = {
    region: 'us-east-1',
    partition: partitionOfRegion('us-east-1'),
    defaultTags: {},
    ignoreTags: { keys: new Set<string>(), keyPrefixes: [] },
    clients,
  } as unknown as AwsMeta;
  const context: AwsContext = { meta, signal: new AbortController().signal };
  return { context, sent };
}

function apiError(name: string, message: string) {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400, requestId: 'req' } });
}

function model(overrides: Partial<ResourceType<AwsMeta>> = {}): ResourceType<AwsMeta> {
  return {
    name: 'aws_sagemaker_model',
    schema: {} as ResourceType<AwsMeta>['schema'],
    create: async (_c, planned) => ({ ...planned, arn: 'arn:aws:sagemaker:us-east-1:123456789012:model/m' }),
    read: async (_c, current) => ({ ...current }),
    update: async (_c, _prior, planned) => ({ ...planned }),
    delete: async () => {},
    importState: (_c, id) => ({ name: id }),
    ...overrides,
  };
}

t.test("the client is the object's Region's, else the provider's", async (t) => {
  const { context, sent } = fakeSageMaker(() => ({}));
  const inOwnRegion = await sagemakerApi(context, { region: 'eu-west-1' });
  await inOwnRegion.client.send(new inOwnRegion.sdk.DescribeModelCommand({ ModelName: 'm' }));
  const inProviderRegion = await sagemakerApi(context, { region: null });
  await inProviderRegion.client.send(new inProviderRegion.sdk.DescribeModelCommand({ ModelName: 'm' }));
  t.same(sent.map((s) => s.region), ['eu-west-1', 'us-east-1']);
});

t.test('a missing object is a ValidationException saying "Could not find" what was asked', async (t) => {
  t.ok(isNotFound(apiError('ValidationException', 'Could not find model "arn:...:model/m".'), 'model'));
  t.notOk(isNotFound(apiError('ValidationException', 'Could not find endpoint "e".'), 'model'));
  t.notOk(isNotFound(apiError('ValidationException', 'Image is invalid'), 'model'));
  t.notOk(isNotFound(apiError('ResourceNotFound', 'Could not find model "m".'), 'model'));
});

t.test('tagList: the tags as SageMaker takes them, or nothing', async (t) => {
  t.same(tagList({ a: '1', b: '' }), [
    { Key: 'a', Value: '1' },
    { Key: 'b', Value: '' },
  ]);
  t.equal(tagList({}), undefined);
});

t.test('tags are read page by page by ARN, in the object Region; a later duplicate wins', async (t) => {
  const pages: Record<string, unknown> = {
    first: { Tags: [{ Key: 'a', Value: '1' }, { Key: 'b' }], NextToken: 'two' },
    two: { Tags: [{ Value: 'keyless' }, { Key: 'a', Value: 'again' }], NextToken: 'three' },
    three: {},
  };
  const { context, sent } = fakeSageMaker((_command, input) => pages[(input.NextToken as string | undefined) ?? 'first']);
  const resource = sagemakerResource(model(), 'SageMaker AI Model');
  const state = await resource.read(context, { arn: 'arn:m', region: 'eu-west-1', tags: null, tags_all: null });
  t.same(state?.tags_all, { a: 'again', b: '' });
  t.same(
    sent.map((s) => [s.region, s.command, s.input]),
    [
      ['eu-west-1', 'ListTags', { ResourceArn: 'arn:m', NextToken: undefined }],
      ['eu-west-1', 'ListTags', { ResourceArn: 'arn:m', NextToken: 'two' }],
      ['eu-west-1', 'ListTags', { ResourceArn: 'arn:m', NextToken: 'three' }],
    ],
  );
  t.equal(state?.region, 'eu-west-1', 'the resource is regional');
});

t.test('a failed tag listing names the object and keeps the AWS error', async (t) => {
  const { context } = fakeSageMaker(() => apiError('AccessDeniedException', 'not allowed'));
  const resource = sagemakerResource(model(), 'SageMaker AI Model');
  const error = (await resource.read(context, { arn: 'arn:m' }).catch((e: unknown) => e)) as ResourceError;
  t.type(error, ResourceError);
  t.equal(
    error.diagnostics[0]!.summary,
    'listing tags for SageMaker AI Model (arn:m): operation error SageMaker: ListTags, https response error StatusCode: 400, RequestID: req, api error AccessDeniedException: not allowed',
  );
  const noArn = (await resource.read(context, { arn: null }).catch((e: unknown) => e)) as ResourceError;
  t.match(noArn.diagnostics[0]!.summary, /^listing tags for SageMaker AI Model \(\): /);
});

t.test('tag changes delete the removed keys, then add the new values, by ARN; nothing is sent for no change', async (t) => {
  const { context, sent } = fakeSageMaker((command) => (command === 'ListTags' ? { Tags: [] } : {}));
  const resource = sagemakerResource(model(), 'SageMaker AI Model');
  const prior = { arn: 'arn:m', region: 'us-east-1', tags: { a: '1', b: '2' }, tags_all: { a: '1', b: '2' } };
  await resource.update(context, prior, { ...prior, tags: { b: 'two', c: '3' }, tags_all: { b: 'two', c: '3' } }, {});
  t.same(
    sent.filter((s) => s.command !== 'ListTags').map((s) => [s.command, s.input]),
    [
      ['DeleteTags', { ResourceArn: 'arn:m', TagKeys: ['a'] }],
      ['AddTags', { ResourceArn: 'arn:m', Tags: [{ Key: 'b', Value: 'two' }, { Key: 'c', Value: '3' }] }],
    ],
  );
  sent.length = 0;
  await resource.update(context, prior, { ...prior, tags: { a: '1' }, tags_all: { a: '1' } }, {});
  t.same(sent.filter((s) => s.command !== 'ListTags').map((s) => s.command), ['DeleteTags'], 'a removal alone');
  sent.length = 0;
  await resource.update(context, prior, { ...prior, tags: { a: '1', b: '2', c: '3' }, tags_all: { a: '1', b: '2', c: '3' } }, {});
  t.same(sent.filter((s) => s.command !== 'ListTags').map((s) => s.command), ['AddTags'], 'an addition alone');
});

t.test('a failed tag change says which call failed, with the AWS error', async (t) => {
  const prior: ObjectValue = { arn: 'arn:m', tags: { a: '1' }, tags_all: { a: '1' } };
  for (const [failing, planned, summary] of [
    ['DeleteTags', { tags: null, tags_all: {} }, 'untagging resource (arn:m): operation error SageMaker: DeleteTags'],
    ['AddTags', { tags: { a: '2' }, tags_all: { a: '2' } }, 'tagging resource (arn:m): operation error SageMaker: AddTags'],
  ] as const) {
    const { context } = fakeSageMaker((command) => (command === failing ? apiError('ThrottlingException', 'slow down') : { Tags: [] }));
    const resource = sagemakerResource(model(), 'SageMaker AI Model');
    const error = (await resource.update(context, prior, { ...prior, ...planned }, {}).catch((e: unknown) => e)) as ResourceError;
    t.type(error, ResourceError, failing);
    t.equal(error.diagnostics[0]!.summary, `${summary}, https response error StatusCode: 400, RequestID: req, api error ThrottlingException: slow down`, failing);
  }
  const { context } = fakeSageMaker((command) => (command === 'AddTags' ? apiError('ThrottlingException', 'slow down') : { Tags: [] }));
  const error = (await sagemakerResource(model(), 'x').update(context, { tags_all: {} }, { tags: { a: '1' }, tags_all: { a: '1' } }, {}).catch((e: unknown) => e)) as ResourceError;
  t.match(error.diagnostics[0]!.summary, /^tagging resource \(\): /, 'an object without an ARN yet');
});
