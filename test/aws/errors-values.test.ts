// The AWS layer's small readers: AWS errors as diagnostics (src/aws/errors.ts), configuration values as plain data
// (src/aws/values.ts) and regions' partitions (src/aws/partitions.ts).
import t from 'tap';
import { ResourceError } from '../../src/engine/diagnostics';
import { awsResourceError, describeAwsError, errorMessage, isErrorCode, sdkAttempts } from '../../src/aws/errors';
import { bool, first, mapValue, nonEmpty, num, numberValue, objects, positive, str, stringMap, strings } from '../../src/aws/values';
import { dnsSuffixForRegion, isRegionInPartition, partitionOfRegion } from '../../src/aws/partitions';
import { CtyNumber, UNKNOWN, type Value } from '../../src/values/value';

/** An error as the AWS SDK v3 throws it for an API error response. */
function apiError(name: string, message: string, metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number }) {
  return Object.assign(new Error(message), { name, ...(metadata && { $metadata: metadata }) });
}

t.test('an error code is Code, else code, else the name', async (t) => {
  t.ok(isErrorCode({ Code: 'NoSuchEntity', code: 'other', name: 'Error' }, 'NoSuchEntity'));
  t.notOk(isErrorCode({ Code: 'NoSuchEntity', name: 'Error' }, 'Error'));
  t.ok(isErrorCode({ code: 'Throttling', name: 'Error' }, 'Throttling'));
  t.notOk(isErrorCode({ code: 'Throttling', name: 'Error' }, 'Error'));
  t.ok(isErrorCode(apiError('ValidationException', 'Could not find model x'), 'ValidationException'));
  t.notOk(isErrorCode(undefined, 'ValidationException'));
  t.notOk(isErrorCode(null, 'ValidationException'));
});

t.test('a code can be required to come with a message that contains some text', async (t) => {
  const error = apiError('ValidationException', 'Could not find model "m".');
  t.ok(isErrorCode(error, 'ValidationException', 'Could not find model'));
  t.notOk(isErrorCode(error, 'ValidationException', 'Could not find endpoint'));
  t.notOk(isErrorCode(error, 'ResourceNotFound', 'Could not find model'));
  t.ok(isErrorCode(error, 'ValidationException', ''));
});

t.test('an error message is the message, or the thrown value as text', async (t) => {
  t.equal(errorMessage(new Error('boom')), 'boom');
  t.equal(errorMessage('plain text'), 'plain text');
  t.equal(errorMessage(undefined), 'undefined');
  t.equal(errorMessage({ message: '' }), '');
});

t.test('an AWS error reads as hashicorp/aws prints it: operation, status, request id, code and message', async (t) => {
  t.equal(
    describeAwsError('SageMaker', 'CreateModel', apiError('ValidationException', 'bad image', { httpStatusCode: 400, requestId: 'req-1' })),
    'operation error SageMaker: CreateModel, https response error StatusCode: 400, RequestID: req-1, api error ValidationException: bad image',
  );
  t.equal(
    describeAwsError('IAM', 'GetRole', apiError('NoSuchEntity', 'gone', { httpStatusCode: 404 })),
    'operation error IAM: GetRole, https response error StatusCode: 404, RequestID: , api error NoSuchEntity: gone',
  );
  t.equal(describeAwsError('STS', 'GetCallerIdentity', new Error('connect ECONNREFUSED')), 'operation error STS: GetCallerIdentity, connect ECONNREFUSED');
  t.equal(describeAwsError('STS', 'GetCallerIdentity', apiError('X', 'no status', {})), 'operation error STS: GetCallerIdentity, no status');
  t.equal(describeAwsError('STS', 'GetCallerIdentity', undefined), 'operation error STS: GetCallerIdentity, undefined');
});

t.test('a failed call becomes a resource error naming what was done to which object; a resource error passes through', async (t) => {
  const error = awsResourceError('creating SageMaker AI Model', 'm1', 'SageMaker', 'CreateModel', apiError('ValidationException', 'no', { httpStatusCode: 400, requestId: 'r' }), 'more');
  t.type(error, ResourceError);
  t.same(error.diagnostics.map((d) => [d.summary, d.detail]), [
    ['creating SageMaker AI Model (m1): operation error SageMaker: CreateModel, https response error StatusCode: 400, RequestID: r, api error ValidationException: no', 'more'],
  ]);
  const original = new ResourceError('already described');
  t.equal(awsResourceError('x', 'y', 'S', 'O', original), original);
});

t.test('the attempts the SDK made: from the error metadata, else one', async (t) => {
  t.equal(sdkAttempts(apiError('Throttling', 'slow down', { attempts: 4 })), 4);
  t.equal(sdkAttempts(apiError('Throttling', 'slow down', {})), 1);
  t.equal(sdkAttempts(new Error('x')), 1);
  t.equal(sdkAttempts(undefined), 1);
});

t.test('configuration readers take only values of their type', async (t) => {
  t.equal(str('a'), 'a');
  t.equal(str(''), '');
  t.equal(str(CtyNumber.of(1)), undefined);
  t.equal(str(UNKNOWN), undefined);
  t.equal(nonEmpty('a'), 'a');
  t.equal(nonEmpty(''), undefined, 'SDKv2 reads "" as unset');
  t.equal(nonEmpty(null), undefined);
  t.equal(bool(false), false);
  t.equal(bool(true), true);
  t.equal(bool('true'), undefined);
  t.equal(num(CtyNumber.of(2.5)), 2.5);
  t.equal(num('2'), undefined);
  t.equal(num(null), undefined);
});

t.test('positive: numbers above zero only (SDKv2 cannot tell an unset integer from 0)', async (t) => {
  t.equal(positive(CtyNumber.of(1)), 1);
  t.equal(positive(CtyNumber.of(0.5)), 0.5);
  t.equal(positive(CtyNumber.of(0)), undefined);
  t.equal(positive(CtyNumber.of(-3)), undefined);
  t.equal(positive(null), undefined);
});

t.test('numberValue: null when the API left the number out', async (t) => {
  t.equal(numberValue(undefined), null);
  t.same(numberValue(0), CtyNumber.of(0));
  t.same(numberValue(42), CtyNumber.of(42));
});

t.test('lists: objects, the first block, strings; anything else reads as empty', async (t) => {
  const blocks: Value[] = [{ a: 'x' }, null, 'text', { b: 'y' }];
  t.same(objects(blocks), [{ a: 'x' }, { b: 'y' }]);
  t.same(objects(null), []);
  t.same(objects(UNKNOWN), []);
  t.same(first(blocks), { a: 'x' });
  t.equal(first([]), undefined);
  t.equal(first(undefined), undefined);
  t.same(strings(['a', null, 'b', CtyNumber.of(1), UNKNOWN]), ['a', 'b']);
  t.same(strings('a'), []);
});

t.test('stringMap: the known string entries of a map; undefined when the map is null, unknown or not a map', async (t) => {
  t.same(stringMap({ a: '1', b: null, c: UNKNOWN, d: '' }), { a: '1', d: '' });
  t.same(stringMap({}), {});
  t.equal(stringMap(undefined), undefined);
  t.equal(stringMap(null), undefined);
  t.equal(stringMap(UNKNOWN), undefined);
  t.equal(stringMap('a'), undefined);
});

t.test('mapValue: a copy of the record; an empty or absent one is null unless asked otherwise', async (t) => {
  const record = { a: '1' };
  const value = mapValue(record);
  t.same(value, { a: '1' });
  t.not(value, record, 'a copy');
  t.equal(mapValue({}), null);
  t.equal(mapValue(undefined), null);
  t.same(mapValue({}, false), {});
  t.same(mapValue(undefined, false), {});
  t.same(mapValue({ a: '1' }, false), { a: '1' });
});

t.test('a region belongs to the partition whose pattern matches it as a whole; any other to aws', async (t) => {
  const cases: Array<[region: string, id: string, dnsSuffix: string]> = [
    ['us-east-1', 'aws', 'amazonaws.com'],
    ['mx-central-1', 'aws', 'amazonaws.com'],
    ['cn-north-1', 'aws-cn', 'amazonaws.com.cn'],
    ['cn-northwest-1', 'aws-cn', 'amazonaws.com.cn'],
    ['us-gov-west-1', 'aws-us-gov', 'amazonaws.com'],
    ['us-iso-east-1', 'aws-iso', 'c2s.ic.gov'],
    ['us-isob-east-1', 'aws-iso-b', 'sc2s.sgov.gov'],
    ['eu-isoe-west-1', 'aws-iso-e', 'cloud.adc-e.uk'],
    ['us-isof-south-1', 'aws-iso-f', 'csp.hci.ic.gov'],
    ['eusc-de-east-1', 'aws-eusc', 'amazonaws.eu'],
  ];
  for (const [region, id, dnsSuffix] of cases) {
    t.equal(partitionOfRegion(region).id, id, region);
    t.equal(dnsSuffixForRegion(region), dnsSuffix, region);
    t.ok(isRegionInPartition(region, partitionOfRegion(region)), region);
  }
  for (const region of ['xcn-north-1', 'cn-north-1x', 'cn-north-', 'cn--1', 'xus-gov-west-1', 'us-gov-west-1x', 'us-iso-east-x', 'us-isob-east-1x', 'xeu-isoe-west-1', 'us-isof-south-1 ', 'eusc-fr-east-1', 'xeusc-de-east-1']) {
    t.equal(partitionOfRegion(region).id, 'aws', `${region} falls back to aws`);
  }
  t.equal(dnsSuffixForRegion('nowhere'), 'amazonaws.com');
});

t.test('isRegionInPartition: the commercial partition takes only its own region names', async (t) => {
  const aws = partitionOfRegion('us-east-1');
  for (const region of ['us-east-1', 'eu-west-3', 'ap-south-2', 'sa-east-1', 'ca-west-1', 'me-central-1', 'af-south-1', 'il-central-1', 'mx-central-1']) {
    t.ok(isRegionInPartition(region, aws), region);
  }
  for (const region of ['cn-north-1', 'xx-east-1', 'xus-east-1', 'us-east-1x', 'us--1', 'us-east-', 'us-east-x']) t.notOk(isRegionInPartition(region, aws), region);
  t.notOk(isRegionInPartition('us-east-1', partitionOfRegion('cn-north-1')));
});
