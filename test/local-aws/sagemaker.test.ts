import t from 'tap';
import {
  AddTagsCommand,
  CreateModelCommand,
  DeleteModelCommand,
  DeleteTagsCommand,
  DescribeModelCommand,
  ListModelsCommand,
  ListTagsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { startEndpoint, type RunningEndpoint } from '../support/endpoint';
import { trustPolicyJson } from '../support/fixtures';
import { awsClientConfig, failure } from './sdk';

const TRUST = trustPolicyJson();

let endpoint: RunningEndpoint;
let sm: SageMakerClient;
let iam: IAMClient;
let roleArn: string;

t.before(async () => {
  endpoint = await startEndpoint();
  sm = new SageMakerClient(awsClientConfig(endpoint.url, 'us-west-2'));
  iam = new IAMClient(awsClientConfig(endpoint.url));
});
t.teardown(async () => {
  sm.destroy();
  iam.destroy();
  await endpoint.stop();
});
t.beforeEach(async () => {
  await endpoint.admin.reset();
  const role = await iam.send(new CreateRoleCommand({ RoleName: 'sm-exec', AssumeRolePolicyDocument: TRUST }));
  roleArn = role.Role!.Arn!;
});

t.test('CreateModel stores what was sent and DescribeModel returns exactly that', async (t) => {
  const created = await sm.send(
    new CreateModelCommand({
      ModelName: 'My-Model',
      ExecutionRoleArn: roleArn,
      PrimaryContainer: { Image: '123456789012.dkr.ecr.us-west-2.amazonaws.com/img:1', Environment: { A_B: '1' }, Mode: 'SingleModel' },
      Tags: [{ Key: 'team', Value: 'ml' }],
    }),
  );
  t.equal(created.ModelArn, 'arn:aws:sagemaker:us-west-2:000000000000:model/my-model', 'the ARN holds the lower-cased name');
  const described = await sm.send(new DescribeModelCommand({ ModelName: 'My-Model' }));
  t.equal(described.ModelName, 'My-Model', 'the name keeps its case');
  t.equal(described.ModelArn, created.ModelArn);
  t.same(described.PrimaryContainer, {
    Image: '123456789012.dkr.ecr.us-west-2.amazonaws.com/img:1',
    Environment: { A_B: '1' },
    Mode: 'SingleModel',
  });
  t.equal(described.ExecutionRoleArn, roleArn);
  t.equal(described.EnableNetworkIsolation, false);
  t.ok(described.CreationTime instanceof Date && Math.abs(described.CreationTime.getTime() - Date.now()) < 60_000, 'CreationTime is now');
  t.equal(described.VpcConfig, undefined, 'no VpcConfig when none was sent');
  t.equal(described.Containers, undefined, 'no Containers when none were sent');
  t.equal(described.InferenceExecutionConfig, undefined);
});

t.test('DescribeModel carries CreationTime as epoch seconds on the wire', async (t) => {
  await sm.send(new CreateModelCommand({ ModelName: 'wire', ExecutionRoleArn: roleArn, PrimaryContainer: { Image: 'img' } }));
  const { state } = { state: await endpoint.admin.state() };
  t.type(state.models[0].creationTime, 'number');
  t.ok((state.models[0].creationTime as number) < 1e11, 'seconds, not milliseconds');
});

t.test('Containers, VPC, inference execution and network isolation are echoed', async (t) => {
  await sm.send(
    new CreateModelCommand({
      ModelName: 'multi',
      ExecutionRoleArn: roleArn,
      Containers: [{ Image: 'a', ContainerHostname: 'first' }, { Image: 'b' }],
      InferenceExecutionConfig: { Mode: 'Direct' },
      VpcConfig: { SecurityGroupIds: ['sg-1'], Subnets: ['subnet-1', 'subnet-2'] },
      EnableNetworkIsolation: true,
    }),
  );
  const described = await sm.send(new DescribeModelCommand({ ModelName: 'multi' }));
  t.same(described.Containers, [{ Image: 'a', ContainerHostname: 'first' }, { Image: 'b' }]);
  t.equal(described.PrimaryContainer, undefined);
  t.same(described.InferenceExecutionConfig, { Mode: 'Direct' });
  t.same(described.VpcConfig, { SecurityGroupIds: ['sg-1'], Subnets: ['subnet-1', 'subnet-2'] });
  t.equal(described.EnableNetworkIsolation, true);
});

t.test('names are unique regardless of case', async (t) => {
  await sm.send(new CreateModelCommand({ ModelName: 'Dup', ExecutionRoleArn: roleArn, PrimaryContainer: { Image: 'img' } }));
  const error = await failure(sm.send(new CreateModelCommand({ ModelName: 'dup', ExecutionRoleArn: roleArn, PrimaryContainer: { Image: 'img' } })));
  t.equal(error.name, 'ValidationException');
  t.equal(error.status, 400);
  t.equal(error.message, 'Cannot create already existing model "arn:aws:sagemaker:us-west-2:000000000000:model/dup".');
  const described = await sm.send(new DescribeModelCommand({ ModelName: 'DUP' }));
  t.equal(described.ModelName, 'Dup');
});

t.test('missing models', async (t) => {
  const describe = await failure(sm.send(new DescribeModelCommand({ ModelName: 'nope' })));
  t.same(describe, {
    name: 'ValidationException',
    message: 'Could not find model "arn:aws:sagemaker:us-west-2:000000000000:model/nope".',
    status: 400,
  });
  const remove = await failure(sm.send(new DeleteModelCommand({ ModelName: 'nope' })));
  t.equal(remove.name, 'ValidationException');
  t.match(remove.message, /^Could not find model/);
});

t.test('DeleteModel removes the model', async (t) => {
  await sm.send(new CreateModelCommand({ ModelName: 'gone', ExecutionRoleArn: roleArn, PrimaryContainer: { Image: 'img' } }));
  await sm.send(new DeleteModelCommand({ ModelName: 'GONE' }));
  const error = await failure(sm.send(new DescribeModelCommand({ ModelName: 'gone' })));
  t.equal(error.name, 'ValidationException');
});

t.test('models are kept per region', async (t) => {
  await sm.send(new CreateModelCommand({ ModelName: 'regional', ExecutionRoleArn: roleArn, PrimaryContainer: { Image: 'img' } }));
  const east = new SageMakerClient(awsClientConfig(endpoint.url, 'us-east-1'));
  t.teardown(() => east.destroy());
  const error = await failure(east.send(new DescribeModelCommand({ ModelName: 'regional' })));
  t.match(error.message, /arn:aws:sagemaker:us-east-1:000000000000:model\/regional/);
  const created = await east.send(new CreateModelCommand({ ModelName: 'regional', ExecutionRoleArn: roleArn, PrimaryContainer: { Image: 'img' } }));
  t.equal(created.ModelArn, 'arn:aws:sagemaker:us-east-1:000000000000:model/regional');
});

t.test('input validation', async (t) => {
  const create = (input: Record<string, unknown>) => failure(sm.send(new CreateModelCommand(input as never)));
  let error = await create({ ModelName: '-bad', ExecutionRoleArn: roleArn, PrimaryContainer: { Image: 'i' } });
  t.equal(error.name, 'ValidationException');
  t.equal(
    error.message,
    "1 validation error detected: Value '-bad' at 'modelName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
  );
  error = await create({ ModelName: 'a'.repeat(64), ExecutionRoleArn: roleArn, PrimaryContainer: { Image: 'i' } });
  t.match(error.message, /Member must have length less than or equal to 63/);
  error = await create({ ModelName: 'trailing-', ExecutionRoleArn: roleArn, PrimaryContainer: { Image: 'i' } });
  t.match(error.message, /regular expression pattern/);
  error = await create({ ModelName: 'ok', ExecutionRoleArn: 'not-an-arn-at-all-really', PrimaryContainer: { Image: 'i' } });
  t.match(error.message, /at 'executionRoleArn' failed to satisfy constraint: Member must satisfy regular expression pattern/);
  error = await create({ ModelName: 'ok', ExecutionRoleArn: roleArn, PrimaryContainer: { Image: 'i' }, Containers: [{ Image: 'j' }] });
  t.equal(error.message, 'Only one of PrimaryContainer or Containers can be specified.');
  error = await create({ ModelName: 'ok', ExecutionRoleArn: roleArn });
  t.equal(error.message, 'Either PrimaryContainer or Containers must be specified.');
  error = await create({ ModelName: 'ok', ExecutionRoleArn: roleArn, PrimaryContainer: { Image: 'has space', Mode: 'Other', ModelDataUrl: 'ftp://x' } });
  t.match(error.message, /^3 validation errors detected: /);
  t.match(error.message, /at 'primaryContainer.image'/);
  t.match(error.message, /Member must satisfy enum value set: \[SingleModel, MultiModel\]/);
  t.match(error.message, /at 'primaryContainer.modelDataUrl'/);
  error = await create({ ModelName: 'ok', ExecutionRoleArn: roleArn, PrimaryContainer: { Image: 'i' }, VpcConfig: { SecurityGroupIds: [], Subnets: ['s'] } });
  t.match(error.message, /at 'vpcConfig.securityGroupIds' failed to satisfy constraint: Member must have length greater than or equal to 1/);
  error = await create({ ModelName: 'ok', ExecutionRoleArn: roleArn, PrimaryContainer: { Image: 'i', Environment: { '1BAD': 'x' } } });
  t.match(error.message, /primaryContainer.environment.1BAD.key/);
  t.equal((await endpoint.admin.state()).models.length, 0, 'nothing was stored');
});

t.test('CreateModel needs an execution role that exists', async (t) => {
  const missing = 'arn:aws:iam::000000000000:role/missing';
  const error = await failure(sm.send(new CreateModelCommand({ ModelName: 'm', ExecutionRoleArn: missing, PrimaryContainer: { Image: 'i' } })));
  t.equal(error.name, 'ValidationException');
  t.equal(
    error.message,
    `Could not assume role ${missing}. Please ensure that the role exists and allows principal 'sagemaker.amazonaws.com' to assume the role.`,
  );
  const wrongPath = await failure(
    sm.send(new CreateModelCommand({ ModelName: 'm', ExecutionRoleArn: 'arn:aws:iam::000000000000:role/other/sm-exec', PrimaryContainer: { Image: 'i' } })),
  );
  t.match(wrongPath.message, /^Could not assume role/);
});

t.test('tags: add, overwrite, delete, list and limits', async (t) => {
  const { ModelArn: arn } = await sm.send(
    new CreateModelCommand({ ModelName: 'tagged', ExecutionRoleArn: roleArn, PrimaryContainer: { Image: 'i' }, Tags: [{ Key: 'a', Value: '1' }] }),
  );
  const added = await sm.send(new AddTagsCommand({ ResourceArn: arn, Tags: [{ Key: 'a', Value: '2' }, { Key: 'b', Value: '' }] }));
  t.same(added.Tags, [{ Key: 'a', Value: '2' }, { Key: 'b', Value: '' }]);
  t.same((await sm.send(new ListTagsCommand({ ResourceArn: arn }))).Tags, [{ Key: 'a', Value: '2' }, { Key: 'b', Value: '' }], 'an existing key is overwritten');
  await sm.send(new DeleteTagsCommand({ ResourceArn: arn, TagKeys: ['a', 'absent'] }));
  t.same((await sm.send(new ListTagsCommand({ ResourceArn: arn }))).Tags, [{ Key: 'b', Value: '' }]);

  const reserved = await failure(sm.send(new AddTagsCommand({ ResourceArn: arn, Tags: [{ Key: 'aws:x', Value: 'v' }] })));
  t.equal(reserved.name, 'ValidationException');
  t.match(reserved.message, /aws:/);
  const longKey = await failure(sm.send(new AddTagsCommand({ ResourceArn: arn, Tags: [{ Key: 'k'.repeat(129), Value: 'v' }] })));
  t.match(longKey.message, /at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128/);
  const longValue = await failure(sm.send(new AddTagsCommand({ ResourceArn: arn, Tags: [{ Key: 'k', Value: 'v'.repeat(257) }] })));
  t.match(longValue.message, /at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256/);
  const tooManyInOneCall = await failure(
    sm.send(new AddTagsCommand({ ResourceArn: arn, Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) })),
  );
  t.match(tooManyInOneCall.message, /at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50/);
  await sm.send(new AddTagsCommand({ ResourceArn: arn, Tags: Array.from({ length: 49 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }));
  const overTotal = await failure(sm.send(new AddTagsCommand({ ResourceArn: arn, Tags: [{ Key: 'one-more', Value: 'v' }] })));
  t.match(overTotal.message, /at most 50 tags/);
  const all = await sm.send(new ListTagsCommand({ ResourceArn: arn, MaxResults: 50 }));
  t.equal(all.Tags!.length, 50);
  t.equal(all.NextToken, undefined);
  const smallPage = await failure(sm.send(new ListTagsCommand({ ResourceArn: arn, MaxResults: 10 })));
  t.match(smallPage.message, /at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 50/);

  const missing = await failure(sm.send(new ListTagsCommand({ ResourceArn: 'arn:aws:sagemaker:us-west-2:000000000000:model/none' })));
  t.equal(missing.name, 'ValidationException');
  const badArn = await failure(sm.send(new ListTagsCommand({ ResourceArn: 'arn:aws:s3:::bucket' })));
  t.match(badArn.message, /at 'resourceArn'/);
});

t.test('ListModels: paging, NameContains, sorting, time filters', async (t) => {
  const names = ['alpha', 'Bravo', 'charlie', 'delta', 'echo-alpha'];
  for (const name of names) {
    await sm.send(new CreateModelCommand({ ModelName: name, ExecutionRoleArn: roleArn, PrimaryContainer: { Image: 'i' } }));
    await new Promise((done) => setTimeout(done, 5));
  }
  const all = await sm.send(new ListModelsCommand({}));
  t.same(all.Models!.map((m) => m.ModelName), [...names].reverse(), 'default: newest first');
  const byName = await sm.send(new ListModelsCommand({ SortBy: 'Name', SortOrder: 'Ascending' }));
  t.same(byName.Models!.map((m) => m.ModelName), ['alpha', 'Bravo', 'charlie', 'delta', 'echo-alpha'], 'name sort ignores case');

  const seen: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await sm.send(new ListModelsCommand({ SortBy: 'Name', SortOrder: 'Descending', MaxResults: 2, NextToken: token }));
    seen.push(...page.Models!.map((m) => m.ModelName!));
    token = page.NextToken;
    pages++;
  } while (token);
  t.equal(pages, 3);
  t.same(seen, ['echo-alpha', 'delta', 'charlie', 'Bravo', 'alpha']);

  const contains = await sm.send(new ListModelsCommand({ NameContains: 'ALPHA', SortBy: 'Name', SortOrder: 'Ascending' }));
  t.same(contains.Models!.map((m) => m.ModelName), ['alpha', 'echo-alpha']);
  t.ok(contains.Models![0].ModelArn!.endsWith(':model/alpha'));
  t.ok(contains.Models![0].CreationTime instanceof Date);

  const third = all.Models!.find((m) => m.ModelName === 'charlie')!.CreationTime!;
  const before = await sm.send(new ListModelsCommand({ CreationTimeBefore: third, SortOrder: 'Ascending' }));
  t.same(before.Models!.map((m) => m.ModelName), ['alpha', 'Bravo']);
  const after = await sm.send(new ListModelsCommand({ CreationTimeAfter: third, SortOrder: 'Ascending' }));
  t.same(after.Models!.map((m) => m.ModelName), ['delta', 'echo-alpha']);

  const badSize = await failure(sm.send(new ListModelsCommand({ MaxResults: 101 })));
  t.match(badSize.message, /at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100/);
  const badSort = await failure(sm.send(new ListModelsCommand({ SortBy: 'Size' as never })));
  t.match(badSort.message, /Member must satisfy enum value set: \[Name, CreationTime\]/);
  const badToken = await failure(sm.send(new ListModelsCommand({ NextToken: 'garbage' })));
  t.equal(badToken.name, 'ValidationException');
});

t.test('the default page of ListModels holds 10', async (t) => {
  for (let i = 0; i < 12; i++) {
    await sm.send(new CreateModelCommand({ ModelName: `m${i}`, ExecutionRoleArn: roleArn, PrimaryContainer: { Image: 'i' } }));
  }
  const page = await sm.send(new ListModelsCommand({}));
  t.equal(page.Models!.length, 10);
  t.ok(page.NextToken);
  const rest = await sm.send(new ListModelsCommand({ NextToken: page.NextToken }));
  t.equal(rest.Models!.length, 2);
  t.equal(rest.NextToken, undefined);
});
