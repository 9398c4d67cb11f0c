// The AWS validator kinds of provider-schema/, called directly: their bounds (the last value that passes and the first
// that fails), each rule's own message, and that every rule of a value is reported, as SDKv2 does. Messages follow
// hashicorp/aws (internal/verify, internal/service/sagemaker/validate.go, internal/service/iam) and Go's
// time.ParseDuration; test/engine/validators.test.ts holds the strings recorded from `terraform validate`.
import t from 'tap';
import { CtyNumber, DynamicValue, UNKNOWN, type Value } from '../../src/values/value';
import { AWS_VALIDATORS, parseArn, parseGoDuration } from '../../src/aws/validators';

function check(kind: string, value: Value, name = 'attr', args: Record<string, unknown> = {}): string[] {
  const validator = AWS_VALIDATORS[kind];
  if (!validator) throw new Error(`no AWS validator ${kind}`);
  return validator(value, name, { kind, ...args });
}

const STRING_KINDS = [
  'arn',
  'sagemaker_name',
  'sagemaker_name_prefix',
  'sagemaker_image',
  'aws_region',
  'iam_policy_json',
  'assume_role_duration',
  'nullable_bool',
];

t.test('a value that is not a string is refused with the SDK type error; a dynamic string is read through', async (t) => {
  for (const kind of STRING_KINDS) {
    t.same(check(kind, CtyNumber.of(1), 'some.0.attr'), ['expected type of some.0.attr to be string'], kind);
    t.same(check(kind, true, 'b'), ['expected type of b to be string'], kind);
  }
  t.same(check('arn', new DynamicValue('string', 'arn:aws:iam::123456789012:role/x')), []);
  t.same(check('arn', new DynamicValue('string', 'nope'), 'a'), ['"a" (nope) is an invalid ARN: arn: invalid prefix']);
  t.same(check('sagemaker_name', new DynamicValue('string', new DynamicValue('string', 'a_b')), 'n'), ['only alphanumeric characters and hyphens allowed in "n": "a_b"']);
});

t.test('parseArn: the prefix, at least six sections, and a resource that keeps its colons', async (t) => {
  t.equal(parseArn('aws:iam::123456789012:role/x'), 'arn: invalid prefix');
  t.equal(parseArn('ARN:aws:iam::123456789012:role/x'), 'arn: invalid prefix');
  t.equal(parseArn('arn:aws:s3::b'), 'arn: not enough sections');
  t.same(parseArn('arn:aws:s3:::b'), { partition: 'aws', service: 's3', region: '', accountId: '', resource: 'b' });
  t.same(parseArn('arn:p:svc:r:a:res:x:y'), { partition: 'p', service: 'svc', region: 'r', accountId: 'a', resource: 'res:x:y' });
});

t.test('arn: partition, region and account patterns, anchored at both ends', async (t) => {
  const arnWith = (partition: string, region: string, account: string, resource = 'role/x') => `arn:${partition}:iam:${region}:${account}:${resource}`;
  for (const partition of ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso-b']) t.same(check('arn', arnWith(partition, '', '123456789012')), [], partition);
  for (const region of ['', 'us-east-1', 'us-east-10', 'us-gov-west-1', 'eu-isoe-west-1']) t.same(check('arn', arnWith('aws', region, '123456789012')), [], region);
  for (const account of ['', 'aws', 'aws-managed', 'third-party', 'aws-marketplace', '123456789012', 'cw0123456789']) {
    t.same(check('arn', arnWith('aws', 'us-east-1', account)), [], account);
  }
  const partitionError = (s: string) => `"a" (${s}) is an invalid ARN: invalid partition value (expecting to match regular expression: ^aws(-[a-z]+)*$)`;
  for (const partition of ['xaws', 'awsx', 'aws-', 'aws-1', 'aws-CN']) {
    const s = arnWith(partition, '', '123456789012');
    t.same(check('arn', s, 'a'), [partitionError(s)], partition);
  }
  for (const region of ['xus-east-1', 'us-east-1x', 'us-east-123', 'u-east-1', 'us--1', 'us-east-', 'useast-1', 'US-east-1']) {
    const s = arnWith('aws', region, '123456789012');
    t.same(check('arn', s, 'a'), [`"a" (${s}) is an invalid ARN: invalid region value`], region);
  }
  const accountError = (s: string) =>
    `"a" (${s}) is an invalid ARN: invalid account ID value (expecting to match regular expression: ^(aws|aws-managed|third-party|aws-marketplace|\\d{12}|cw.{10})$)`;
  for (const account of ['12345678901', '1234567890123', 'x123456789012', 'cw012345678', 'cw01234567890', 'xaws', 'awsx', 'aws-managedx', 'x-third-party']) {
    const s = arnWith('aws', '', account);
    t.same(check('arn', s, 'a'), [accountError(s)], account);
  }
});

t.test('arn: every broken section is reported, a missing partition once', async (t) => {
  const s = 'arn:aws-X:iam:bad:1:';
  t.same(check('arn', s, 'role_arn'), [
    `"role_arn" (${s}) is an invalid ARN: invalid partition value (expecting to match regular expression: ^aws(-[a-z]+)*$)`,
    `"role_arn" (${s}) is an invalid ARN: invalid region value`,
    `"role_arn" (${s}) is an invalid ARN: invalid account ID value (expecting to match regular expression: ^(aws|aws-managed|third-party|aws-marketplace|\\d{12}|cw.{10})$)`,
    `"role_arn" (${s}) is an invalid ARN: missing resource value`,
  ]);
  t.same(check('arn', 'arn::iam:::r', 'x'), ['"x" (arn::iam:::r) is an invalid ARN: missing partition value']);
  t.same(check('arn', 'arn:aws:s3::b', 'x'), ['"x" (arn:aws:s3::b) is an invalid ARN: arn: not enough sections']);
  t.same(check('arn', ''), [], 'an empty ARN is left to the API');
});

t.test('sagemaker_name: characters, 63 bytes, no leading hyphen', async (t) => {
  t.same(check('sagemaker_name', 'A-z-0-9'), []);
  t.same(check('sagemaker_name', 'n'.repeat(63)), []);
  t.same(check('sagemaker_name', 'n'.repeat(64), 'name'), [`"name" cannot be longer than 63 characters: "${'n'.repeat(64)}"`]);
  t.same(check('sagemaker_name', '-a', 'name'), ['"name" cannot begin with a hyphen: "-a"']);
  t.same(check('sagemaker_name', 'a.b', 'name'), ['only alphanumeric characters and hyphens allowed in "name": "a.b"']);
  t.same(check('sagemaker_name', 'ok\n', 'name'), ['only alphanumeric characters and hyphens allowed in "name": "ok\\n"'], 'anchored at the end');
  const bad = `-${'é'.repeat(32)}`;
  t.same(check('sagemaker_name', bad, 'name'), [
    `only alphanumeric characters and hyphens allowed in "name": "${bad}"`,
    `"name" cannot be longer than 63 characters: "${bad}"`,
    `"name" cannot begin with a hyphen: "${bad}"`,
  ], 'every rule reported, the length counted in bytes');
});

t.test('sagemaker_name_prefix: as a name, but 37 bytes to leave room for a generated suffix', async (t) => {
  t.same(check('sagemaker_name_prefix', 'p'.repeat(37)), []);
  t.same(check('sagemaker_name_prefix', 'p'.repeat(38), 'name_prefix'), [`"name_prefix" cannot be longer than 37 characters: "${'p'.repeat(38)}"`]);
  t.same(check('sagemaker_name_prefix', '-p', 'name_prefix'), ['"name_prefix" cannot begin with a hyphen: "-p"']);
  t.same(check('sagemaker_name_prefix', 'p_', 'name_prefix'), ['only alphanumeric characters and hyphens allowed in "name_prefix": "p_"']);
  t.same(check('sagemaker_name_prefix', '', 'name_prefix'), ['only alphanumeric characters and hyphens allowed in "name_prefix": ""']);
});

t.test('sagemaker_image: something not white space, 255 bytes', async (t) => {
  t.same(check('sagemaker_image', ' x '), []);
  t.same(check('sagemaker_image', 'i'.repeat(255)), []);
  t.same(check('sagemaker_image', 'i'.repeat(256), 'image'), [`"image" cannot be longer than 255 characters: "${'i'.repeat(256)}"`]);
  t.same(check('sagemaker_image', '\t', 'image'), ['no whitespace allowed in "image": "\\t"']);
});

t.test('sagemaker_environment: key characters and lengths, value lengths, in key order', async (t) => {
  t.same(check('sagemaker_environment', null), []);
  t.same(check('sagemaker_environment', UNKNOWN), []);
  t.same(check('sagemaker_environment', 'not a map'), []);
  t.same(check('sagemaker_environment', { K: UNKNOWN, ['k'.repeat(1024)]: 'v'.repeat(1024) }), [], '1024 bytes each pass; an unknown value is not checked');
  const longKey = 'k'.repeat(1025);
  t.same(check('sagemaker_environment', { z_ok: 'v', [longKey]: 'v', '9a': 'v'.repeat(1025), 'b-c': 'v' }, 'environment'), [
    `"environment" cannot be longer than 1024 characters: "${'v'.repeat(1025)}"`,
    '"environment" cannot begin with a digit: "9a"',
    'only alphanumeric characters and underscore allowed in "environment": "b-c"',
    `"environment" cannot be longer than 1024 characters: "${longKey}"`,
  ], 'every rule of every key, by key');
  t.same(check('sagemaker_environment', { 'x\n': 'v' }, 'e'), ['only alphanumeric characters and underscore allowed in "e": "x\\n"']);
});

t.test('https_or_s3_uri: an https:// or s3:// URI with a host, 1024 bytes', async (t) => {
  for (const ok of ['s3://b', 's3://b/', 'https://h/k/x.tar.gz']) t.same(check('https_or_s3_uri', ok), [], ok);
  for (const bad of ['http://h/k', 's3:///k', 'xs3://b/k', 'S3://b']) {
    t.same(check('https_or_s3_uri', bad, 'model_data_url'), ['invalid value for model_data_url (must be HTTPS or Amazon S3 URI)'], bad);
  }
  const max = `s3://b/${'k'.repeat(1024 - 7)}`;
  t.same(check('https_or_s3_uri', max), []);
  t.same(check('https_or_s3_uri', `${max}k`, 'u'), [`expected length of u to be in the range (0 - 1024), got ${max}k`]);
});

t.test('aws_region: empty or a region name', async (t) => {
  for (const ok of ['', 'us-east-1', 'us-gov-west-1', 'ap-southeast-10']) t.same(check('aws_region', ok), [], ok);
  for (const bad of ['us-east-100', 'xus-east-1', 'us-east-1 ', 'us-east']) {
    t.same(check('aws_region', bad, 'region'), [`"region" region name is malformed("^[a-z]{2}(-[a-z]+)+-\\\\d{1,2}$"): "${bad}"`], bad);
  }
});

t.test('iam_policy_json: syntax first, then the compact size against max_length when one is given', async (t) => {
  const doc = '{ "b": 1, "a": "x" }'; // compact: {"a":"x","b":1}, 15 bytes
  t.same(check('iam_policy_json', doc, 'policy', { max_length: 15 }), []);
  t.same(check('iam_policy_json', doc, 'policy', { max_length: 14 }), ['Cannot exceed quota for PolicySize: 14 (actual: 15)']);
  t.same(check('iam_policy_json', doc, 'policy', { max_length: '1' }), [], 'a max_length that is not a number sets no limit');
  t.same(check('iam_policy_json', '{"a":', 'policy', { max_length: 1 }), ['"policy" contains an invalid JSON policy: unexpected end of JSON input, at byte offset 5']);
});

t.test('IAM names, prefixes, policy names, descriptions and paths: their bounds and patterns', async (t) => {
  const length = (name: string, min: number, max: number, got: string) => `expected length of ${name} to be in the range (${min} - ${max}), got ${got}`;
  const pattern = (name: string) => `invalid value for ${name} (must match [\\w+=,.@-])`;
  const cases: Array<[kind: string, min: number, max: number]> = [
    ['iam_role_name', 1, 64],
    ['iam_role_name_prefix', 1, 38],
    ['iam_role_policy_name', 1, 128],
  ];
  for (const [kind, min, max] of cases) {
    t.same(check(kind, 'a'.repeat(max), 'n'), [], `${kind} ${max}`);
    t.same(check(kind, 'a'.repeat(max + 1), 'n'), [length('n', min, max, 'a'.repeat(max + 1))], `${kind} ${max + 1}`);
    t.same(check(kind, '', 'n'), [length('n', min, max, '')], `${kind} empty`);
    t.same(check(kind, 'a/b', 'n'), [pattern('n')], `${kind} pattern`);
    t.same(check(kind, '/'.repeat(max + 1), 'n'), [length('n', min, max, '/'.repeat(max + 1)), pattern('n')], `${kind} both rules`);
  }
  t.same(check('iam_role_description', ''), []);
  t.same(check('iam_role_description', 'd'.repeat(1000)), []);
  t.same(check('iam_role_description', 'd'.repeat(1001), 'description'), [length('description', 0, 1000, 'd'.repeat(1001))]);
  for (const quote of ['‘', '“']) {
    t.same(check('iam_role_description', `a ${quote}b`, 'description'), ['invalid value for description (cannot contain specially formatted single or double quotes: [“‘])'], quote);
  }
  t.same(check('iam_role_description', 'it\'s "plain"'), []);
  t.same(check('iam_role_path', ''), []);
  t.same(check('iam_role_path', 'p'.repeat(512)), []);
  t.same(check('iam_role_path', 'p'.repeat(513), 'path'), [length('path', 0, 512, 'p'.repeat(513))]);
  t.same(check('iam_policy_sid', ''), []);
  t.same(check('iam_policy_sid', 'a_b', 'sid'), ['invalid value for sid (must only include alphanumeric characters)']);
});

t.test('assume_role session_name and source_identity: 2 to 64 characters', async (t) => {
  for (const kind of ['assume_role_session_name', 'assume_role_source_identity']) {
    t.same(check(kind, 'ab'), [], kind);
    t.same(check(kind, 's'.repeat(64)), [], kind);
    t.same(check(kind, 's'.repeat(65), 'n'), [`expected length of n to be in the range (2 - 64), got ${'s'.repeat(65)}`], kind);
    t.same(check(kind, 'a', 'n'), ['expected length of n to be in the range (2 - 64), got a'], kind);
  }
});

t.test('nullable_bool: the strings Go strconv.ParseBool accepts, and empty', async (t) => {
  for (const ok of ['', '1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False']) t.same(check('nullable_bool', ok), [], ok);
  for (const bad of ['tRUE', 'yes', ' true']) {
    t.same(check('nullable_bool', bad, 'skip'), [`skip: cannot parse '${bad}' as boolean: strconv.ParseBool: parsing "${bad}": invalid syntax`], bad);
  }
});

const SECOND = 1_000_000_000n;
const MAX_INT64 = (1n << 63n) - 1n;

t.test('parseGoDuration: units, signs, fractions and sums as Go parses them', async (t) => {
  t.equal(parseGoDuration('0'), 0n);
  t.equal(parseGoDuration('-0'), 0n);
  t.equal(parseGoDuration('+0'), 0n);
  t.equal(parseGoDuration('+5s'), 5n * SECOND);
  t.equal(parseGoDuration('-5s'), -5n * SECOND);
  t.equal(parseGoDuration('1h2m3s4ms5us6ns'), 3723n * SECOND + 4_005_006n);
  t.equal(parseGoDuration('7µs'), 7000n, 'micro sign');
  t.equal(parseGoDuration('7μs'), 7000n, 'Greek mu');
  t.equal(parseGoDuration('.5s'), SECOND / 2n);
  t.equal(parseGoDuration('5.s'), 5n * SECOND, 'a point without a fraction');
  t.equal(parseGoDuration('1.25m'), 75n * SECOND);
  t.equal(parseGoDuration('0.000001ms'), 1n);
  t.equal(parseGoDuration('1m1m'), 120n * SECOND, 'repeated units add up');
});

t.test('parseGoDuration: the errors of time.ParseDuration, with its quoting', async (t) => {
  for (const bad of ['', '+', '-', '.', '.s', 's', '1s.', '-x', '--1s']) t.equal(parseGoDuration(bad), `time: invalid duration "${bad}"`, bad);
  t.equal(parseGoDuration('10'), 'time: missing unit in duration "10"');
  t.equal(parseGoDuration('1h1'), 'time: missing unit in duration "1h1"');
  t.equal(parseGoDuration('2d'), 'time: unknown unit "d" in duration "2d"');
  t.equal(parseGoDuration('1s-1s'), 'time: unknown unit "s-" in duration "1s-1s"', 'a unit runs to the next digit or point');
  t.equal(parseGoDuration('2 s'), 'time: unknown unit " s" in duration "2 s"');
  t.equal(parseGoDuration('1é'), 'time: unknown unit "\\xc3\\xa9" in duration "1\\xc3\\xa9"', 'non-ASCII bytes as \\x escapes');
  t.equal(parseGoDuration('1\t'), 'time: unknown unit "\\x09" in duration "1\\x09"', 'control characters too');
  t.equal(parseGoDuration('1"\\'), 'time: unknown unit "\\"\\\\" in duration "1\\"\\\\"');
  t.equal(parseGoDuration('x~'), 'time: invalid duration "x~"', 'printable ASCII as is');
});

t.test('parseGoDuration: the int64 range of nanoseconds', async (t) => {
  t.equal(parseGoDuration(`${MAX_INT64}ns`), MAX_INT64);
  t.equal(parseGoDuration(`${MAX_INT64 + 1n}ns`), `time: invalid duration "${MAX_INT64 + 1n}ns"`);
  t.equal(parseGoDuration(`-${MAX_INT64 + 1n}ns`), -(MAX_INT64 + 1n), 'the most negative duration');
  t.equal(parseGoDuration(`${MAX_INT64 + 2n}ns`), `time: invalid duration "${MAX_INT64 + 2n}ns"`);
  t.equal(parseGoDuration(`-${MAX_INT64 + 2n}ns`), `time: invalid duration "-${MAX_INT64 + 2n}ns"`);
  t.equal(parseGoDuration('2562047h'), 2562047n * 3600n * SECOND);
  t.equal(parseGoDuration('2562048h'), 'time: invalid duration "2562048h"', 'the unit overflows');
  t.equal(parseGoDuration('2562047.9h'), 'time: invalid duration "2562047.9h"', 'the fraction overflows');
  t.equal(parseGoDuration('2562047h48m'), 'time: invalid duration "2562047h48m"', 'the sum overflows');
  t.equal(parseGoDuration('-2562047h47m16.854775808s'), -(MAX_INT64 + 1n));
});

t.test('assume_role_duration: 15 minutes to 12 hours, inclusive', async (t) => {
  const range = (name: string) => [`duration "${name}" must be between 15 minutes (15m) and 12 hours (12h), inclusive`];
  for (const ok of ['15m', '900s', '12h', '11h59m59.999s']) t.same(check('assume_role_duration', ok), [], ok);
  for (const bad of ['14m59s', '12h0m0.000000001s', '12h1ns', '-1h', '0']) t.same(check('assume_role_duration', bad, 'd'), range('d'), bad);
  t.same(check('assume_role_duration', '1y', 'd'), ['"d" cannot be parsed as a duration: time: unknown unit "y" in duration "1y"']);
});
