// Validator messages. Strings marked [5.100.0] were printed by `terraform validate` with the real
// hashicorp/aws 5.100.0 provider for the same input; [v6] ones follow the v6 source where 5.100.0 differs.
import t from 'tap';
import { UNKNOWN } from '../../src/values/value';
import { goJsonSyntaxError } from '../../src/values/go-json';
import {
  getDetailedValidator,
  getValidator,
  goQuote,
  leafName,
  registeredValidatorKinds,
  registerValidator,
  runValidators,
} from '../../src/engine/validators';
import { registerAwsExtensions } from '../../src/aws/extensions';
import { parseArn, parseGoDuration } from '../../src/aws/validators';
import { check, num } from '../support/engine-validators';

registerAwsExtensions();

t.test('registry', async (t) => {
  t.ok(registeredValidatorKinds().includes('enum'));
  t.ok(registeredValidatorKinds().includes('arn'), 'registerAwsExtensions registers the AWS kinds');
  t.doesNotThrow(() => registerAwsExtensions(), 'a second call (a warm server builds one provider per launch) registers nothing twice');
  t.equal(getValidator('no_such_kind'), undefined);
  t.throws(() => registerValidator('enum', () => []), /registered twice/);
  t.throws(() => runValidators([{ kind: 'no_such_kind' }], 'x', 'a'), /unknown validator kind/);
  t.same(runValidators([{ kind: 'arn' }], UNKNOWN, 'a'), [], 'unknown values are skipped');
});

t.test('Go formatting helpers', async (t) => {
  t.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
  t.equal(goQuote('tab\there\n'), '"tab\\there\\n"');
  t.equal(goQuote('é“'), '"é“"', 'printable Unicode stays');
  t.equal(goQuote('\u00a0\u0001'), '"\\u00a0\\x01"');
  t.equal(leafName('primary_container.0.image_config.0.repository_access_mode'), 'repository_access_mode');
  t.equal(leafName('mode'), 'mode');
});

t.test('enum', async (t) => {
  const sagemakerMode = { values: ['SingleModel', 'MultiModel'], name_style: 'leaf' };
  t.same(check('enum', 'SingleModel', 'primary_container.0.mode', sagemakerMode), []);
  // [5.100.0]
  t.same(check('enum', 'Single', 'primary_container.0.mode', sagemakerMode), ['expected mode to be one of ["SingleModel" "MultiModel"], got Single']);
  t.same(check('enum', 'singlemodel', 'mode', sagemakerMode).length, 1, 'case-sensitive');
  // [5.100.0] ValidateFunc (not ValidateDiagFunc) keeps the full key.
  t.same(check('enum', 'allow', 'statement.0.effect', { values: ['Allow', 'Deny'] }), [
    'expected statement.0.effect to be one of ["Allow" "Deny"], got allow',
  ]);
  t.same(check('enum', 'allow', 'effect', { values: ['Allow', 'Deny'], ignore_case: true }), []);
});

t.test('string_length, regex, regex_not', async (t) => {
  t.same(check('string_length', 'ab', 'x', { min: 2, max: 3 }), []);
  // [5.100.0]
  t.same(check('string_length', 'y', 'assume_role.0.external_id', { min: 2, max: 1224 }), [
    'expected length of assume_role.0.external_id to be in the range (2 - 1224), got y',
  ]);
  t.same(check('string_length', 'éé', 'x', { max: 3 }).length, 1, 'lengths are UTF-8 bytes, as Go counts');
  t.same(check('regex', 'abc', 'x', { pattern: '^[a-c]+$', message: 'letters' }), []);
  t.same(check('regex', 'abd', 'x', { pattern: '^[a-c]+$', message: 'letters' }), ['invalid value for x (letters)']);
  t.same(check('regex', 'abd', 'x', { pattern: '^[a-c]+$' }), ['expected value of x to match regular expression "^[a-c]+$", got abd']);
  t.same(check('regex_not', 'a', 'x', { pattern: 'b' }), []);
  t.same(check('regex_not', 'ab', 'x', { pattern: 'b' }), ['expected value of x to not match regular expression "b", got ab']);
});

t.test('numbers and collections', async (t) => {
  t.same(check('int_between', num('3600'), 'max_session_duration', { min: 3600, max: 43200 }), []);
  // [5.100.0]
  t.same(check('int_between', num('100'), 'max_session_duration', { min: 3600, max: 43200 }), [
    'expected max_session_duration to be in the range (3600 - 43200), got 100',
  ]);
  t.same(check('int_between', num('100.5'), 'x', { min: 3600, max: 43200 }), [], 'non-integers are whole_number\'s to report');
  // [5.100.0]
  t.same(check('whole_number', num('3600.7'), 'max_session_duration'), ['Attribute must be a whole number, got 3600.7']);
  t.same(check('whole_number', num('25'), 'max_retries'), []);
  const subnets = Array.from({ length: 17 }, (_, i) => `subnet-${i}`);
  // [5.100.0] summary and detail
  t.same(getDetailedValidator('size_between')!(subnets, 'vpc_config.0.subnets', { max: 16 }), [
    { summary: 'Too many list items', detail: 'Attribute vpc_config.0.subnets supports 16 item maximum, but config has 17 declared.' },
  ]);
  t.same(check('size_between', subnets.slice(0, 16), 'vpc_config.0.subnets', { max: 16 }), []);
  t.same(check('size_between', [], 'x', { min: 1 }), ['Not enough list items']);
  // [5.100.0] elements are named <key>.<index>
  t.same(check('elements', ['arn:aws:iam::aws:policy/A', 'bad'], 'managed_policy_arns', { validators: [{ kind: 'arn' }] }), [
    '"managed_policy_arns.1" (bad) is an invalid ARN: arn: invalid prefix',
  ]);
  t.same(check('elements', ['ok', UNKNOWN, null], 'x', { validators: [{ kind: 'not_empty' }] }), [], 'unknown and null elements are skipped');
});

t.test('json_string, not_empty, empty_string', async (t) => {
  t.same(check('json_string', '{"a":[1,2]}', 'policy'), []);
  t.same(check('json_string', '[1]', 'policy'), [], 'any JSON value');
  t.same(check('json_string', '', 'policy'), [], 'the SDK normaliser accepts an empty string');
  // [5.100.0]
  t.same(check('json_string', '{bad', 'source_policy_documents.0'), [
    '"source_policy_documents.0" contains an invalid JSON: invalid character \'b\' looking for beginning of object key string',
  ]);
  t.same(check('json_string', '  ', 'source_policy_documents.4'), ['"source_policy_documents.4" contains an invalid JSON: unexpected end of JSON input']);
  t.same(check('json_string', '{"a":fals', 'policy'), ['"policy" contains an invalid JSON: invalid character \' \' in literal false (expecting \'e\')']);
  t.same(check('json_string', '{"a":1e400}', 'policy'), ['"policy" contains an invalid JSON: json: cannot unmarshal number 1e400 into Go value of type float64']);
  // [5.100.0]
  t.same(check('not_empty', '', 'inline_policy.0.name'), ['expected "inline_policy.0.name" to not be an empty string, got ']);
  t.same(check('empty_string', 'x', 'source_json'), ['expected "source_json" to be an empty string: got x']);
  t.same(check('empty_string', '', 'source_json'), []);
});

t.test('Go encoding/json syntax errors', async (t) => {
  // Each [5.100.0], as reported through the IAM policy validator.
  const cases: Array<[string, string, number]> = [
    ['{', 'unexpected end of JSON input', 1],
    ['{"a" 1}', "invalid character '1' after object key", 6],
    ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')", 9],
    ['{"a":nul}', "invalid character '}' in literal null (expecting 'l')", 9],
    ['{"a":1}x', "invalid character 'x' after top-level value", 8],
    ['{"a":"\\q"}', "invalid character 'q' in string escape code", 8],
    ['{"a":01}', "invalid character '1' after object key:value pair", 7],
    ['{"a":1.}', "invalid character '}' after decimal point in numeric literal", 8],
    ['{"a":[1 2]}', "invalid character '2' after array element", 9],
    ['{"a":"x\ty"}', "invalid character '\\t' in string literal", 8],
    ['{"a":"\\u12"}', 'invalid character \'"\' in \\u hexadecimal character escape', 11],
    ['{"a":-}', "invalid character '}' in numeric literal", 7],
    ['{"a":1e}', "invalid character '}' in exponent of numeric literal", 8],
    ['{"a":"é"}x', "invalid character 'x' after top-level value", 11],
    ["{'a':1}", "invalid character '\\'' looking for beginning of object key string", 2],
    ['{"a":[1,]}', "invalid character ']' looking for beginning of value", 9],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string", 8],
  ];
  for (const [text, message, offset] of cases) t.same(goJsonSyntaxError(text), { message, offset }, text);
  t.equal(goJsonSyntaxError('{"a":"\\u0001","b":[true,false,null,-1.5e+3]}'), null);
});

t.test('arn', async (t) => {
  for (const ok of [
    'arn:aws:iam::123456789012:role/x',
    'arn:aws:iam::123456789012:role/', // [5.100.0] accepted: the resource part is non-empty
    'arn:aws-us-gov:iam::aws:policy/A',
    'arn:aws:sagemaker:us-east-10:aws-marketplace:model-package/x', // [5.100.0] two-digit region, marketplace account
    '', // [5.100.0] accepted
  ]) {
    t.same(check('arn', ok, 'execution_role_arn'), [], ok);
  }
  // [5.100.0] every message below
  t.same(check('arn', 'notanarn', 'primary_container.0.model_package_name'), [
    '"primary_container.0.model_package_name" (notanarn) is an invalid ARN: arn: invalid prefix',
  ]);
  t.same(check('arn', 'arn:aws', 'permissions_boundary'), ['"permissions_boundary" (arn:aws) is an invalid ARN: arn: not enough sections']);
  t.same(check('arn', 'arn:aws:iam::12345:role/x', 'execution_role_arn'), [
    '"execution_role_arn" (arn:aws:iam::12345:role/x) is an invalid ARN: invalid account ID value (expecting to match regular expression: ^(aws|aws-managed|third-party|aws-marketplace|\\d{12}|cw.{10})$)',
  ]);
  t.same(check('arn', 'arn:aws:iam:us-east-1x:aws-marketplace:role/x', 'execution_role_arn'), [
    '"execution_role_arn" (arn:aws:iam:us-east-1x:aws-marketplace:role/x) is an invalid ARN: invalid region value',
  ]);
  t.same(check('arn', 'arn:aws-X:iam:us-east-1:123456789012:role/x', 'execution_role_arn'), [
    '"execution_role_arn" (arn:aws-X:iam:us-east-1:123456789012:role/x) is an invalid ARN: invalid partition value (expecting to match regular expression: ^aws(-[a-z]+)*$)',
  ]);
  t.same(check('arn', 'arn::iam::123456789012:role/x', 'execution_role_arn'), [
    '"execution_role_arn" (arn::iam::123456789012:role/x) is an invalid ARN: missing partition value',
  ]);
  t.same(check('arn', 'arn:aws:iam::123456789012:', 'x'), ['"x" (arn:aws:iam::123456789012:) is an invalid ARN: missing resource value']);
  t.same(parseArn('arn:aws:s3:::bucket:with:colons'), { partition: 'aws', service: 's3', region: '', accountId: '', resource: 'bucket:with:colons' });
});

t.test('int_at_least, int_in_slice, float_at_least (endpoint configurations and endpoints)', async (t) => {
  // [5.100.0]
  t.same(check('int_at_least', num('0'), 'production_variants.0.initial_instance_count', { min: 1 }), [
    'expected production_variants.0.initial_instance_count to be at least (1), got 0',
  ]);
  t.same(check('int_at_least', num('1'), 'x', { min: 1 }), []);
  t.same(check('int_at_least', num('0'), 'min_instance_count', { min: 0 }), [], 'the bound itself passes');
  t.same(check('int_at_least', num('0.5'), 'x', { min: 1 }), [], "non-integers are whole_number's to report");
  // [5.100.0] deployment_config...canary_size.0.value
  t.same(check('int_at_least', num('0'), 'deployment_config.0.blue_green_update_policy.0.traffic_routing_configuration.0.canary_size.0.value', { min: 1 }), [
    'expected deployment_config.0.blue_green_update_policy.0.traffic_routing_configuration.0.canary_size.0.value to be at least (1), got 0',
  ]);
  const memory = { values: [1024, 2048, 3072, 4096, 5120, 6144] };
  // [5.100.0]
  t.same(check('int_in_slice', num('1000'), 'production_variants.0.serverless_config.0.memory_size_in_mb', memory), [
    'expected production_variants.0.serverless_config.0.memory_size_in_mb to be one of [1024 2048 3072 4096 5120 6144], got 1000',
  ]);
  t.same(check('int_in_slice', num('2048'), 'x', memory), []);
  // [5.100.0] Go's %f
  t.same(check('float_at_least', num('-1'), 'production_variants.0.initial_variant_weight', { min: 0 }), [
    'expected production_variants.0.initial_variant_weight to be at least (0.000000), got -1.000000',
  ]);
  t.same(check('float_at_least', num('-0.25'), 'w', { min: 0 }), ['expected w to be at least (0.000000), got -0.250000']);
  t.same(check('float_at_least', num('0'), 'w', { min: 0 }), []);
  t.same(check('float_at_least', num('0.5'), 'w', { min: 0 }), []);
});

t.test('sagemaker_name_prefix', async (t) => {
  t.same(check('sagemaker_name_prefix', 'my-config-', 'name_prefix'), []);
  // [5.100.0] all three at once
  const bad = '-bad_prefix-that-is-way-too-long-for-the-thing-here';
  t.same(check('sagemaker_name_prefix', bad, 'name_prefix'), [
    `only alphanumeric characters and hyphens allowed in "name_prefix": "${bad}"`,
    `"name_prefix" cannot be longer than 37 characters: "${bad}"`,
    `"name_prefix" cannot begin with a hyphen: "${bad}"`,
  ]);
  t.same(check('sagemaker_name_prefix', 'p'.repeat(37), 'name_prefix'), [], '37 characters leave room for the 26 generated ones');
  t.same(check('sagemaker_name_prefix', 'p'.repeat(38), 'name_prefix').length, 1);
});

t.test('sagemaker_name, sagemaker_image, sagemaker_environment', async (t) => {
  t.same(check('sagemaker_name', 'my-model-1', 'name'), []);
  // [5.100.0]
  t.same(check('sagemaker_name', '-bad_name', 'name'), [
    'only alphanumeric characters and hyphens allowed in "name": "-bad_name"',
    '"name" cannot begin with a hyphen: "-bad_name"',
  ]);
  t.same(check('sagemaker_name', 'n'.repeat(64), 'name'), [`"name" cannot be longer than 63 characters: "${'n'.repeat(64)}"`]);
  t.same(check('sagemaker_name', '', 'name'), ['only alphanumeric characters and hyphens allowed in "name": ""']);
  t.same(check('sagemaker_name', 'a_b', 'primary_container.0.container_hostname'), [
    'only alphanumeric characters and hyphens allowed in "primary_container.0.container_hostname": "a_b"',
  ]);
  t.same(check('sagemaker_name', 'ends-', 'name'), [], 'a trailing hyphen passes (the API rejects it later)');

  t.same(check('sagemaker_image', 'a b', 'image'), [], 'the pattern is unanchored');
  // [5.100.0]
  t.same(check('sagemaker_image', '   ', 'primary_container.0.image'), ['no whitespace allowed in "primary_container.0.image": "   "']);
  t.same(check('sagemaker_image', '', 'primary_container.0.image'), ['no whitespace allowed in "primary_container.0.image": ""']);
  t.same(check('sagemaker_image', 'i'.repeat(256), 'primary_container.0.image'), [
    `"primary_container.0.image" cannot be longer than 255 characters: "${'i'.repeat(256)}"`,
  ]);

  t.same(check('sagemaker_environment', { OK_1: 'v', _x: '' }, 'environment'), []);
  // [5.100.0]
  t.same(check('sagemaker_environment', { '1A': 'v', ok_k: 'x' }, 'primary_container.0.environment'), [
    '"primary_container.0.environment" cannot begin with a digit: "1A"',
  ]);
  t.same(check('sagemaker_environment', { 'a-b': 'v'.repeat(1025) }, 'primary_container.0.environment'), [
    'only alphanumeric characters and underscore allowed in "primary_container.0.environment": "a-b"',
    `"primary_container.0.environment" cannot be longer than 1024 characters: "${'v'.repeat(1025)}"`,
  ]);
});

t.test('https_or_s3_uri [v6]', async (t) => {
  t.same(check('https_or_s3_uri', 's3://bucket/key.tar.gz', 'primary_container.0.model_data_url'), []);
  t.same(check('https_or_s3_uri', 'https://example.com', 'x'), []);
  // 5.100.0 still had the older validator ("must be a valid path" / "must be a path that starts with either s3
  // or https"); v6 uses a pattern with this message plus a 1024-byte limit.
  t.same(check('https_or_s3_uri', 'ftp://x', 'primary_container.0.model_data_url'), [
    'invalid value for primary_container.0.model_data_url (must be HTTPS or Amazon S3 URI)',
  ]);
  t.same(check('https_or_s3_uri', 's3:/nope', 'x'), ['invalid value for x (must be HTTPS or Amazon S3 URI)']);
  const long = 's3://b/' + 'k'.repeat(1100);
  t.same(check('https_or_s3_uri', long, 'x'), [`expected length of x to be in the range (0 - 1024), got ${long}`]);
});

t.test('aws_region', async (t) => {
  t.same(check('aws_region', 'us-west-2', 'region'), []);
  t.same(check('aws_region', '', 'region'), []);
  t.same(check('aws_region', 'bad', 'region'), ['"region" region name is malformed("^[a-z]{2}(-[a-z]+)+-\\\\d{1,2}$"): "bad"']);
});

t.test('iam_policy_json', async (t) => {
  t.same(check('iam_policy_json', '{"Version":"2012-10-17","Statement":[]}', 'assume_role_policy'), []);
  t.same(check('iam_policy_json', ' \n{}', 'assume_role_policy'), [], '[5.100.0] leading whitespace is tolerated');
  // [5.100.0] every message below
  const k = '"assume_role_policy"';
  t.same(check('iam_policy_json', '', 'assume_role_policy'), [`${k} is an empty string, which is not a valid JSON value`]);
  t.same(check('iam_policy_json', '[]', 'assume_role_policy'), [`${k} contains an invalid JSON policy: contains a JSON array, not a JSON object`]);
  t.same(check('iam_policy_json', ' [1]', 'assume_role_policy'), [`${k} contains an invalid JSON policy: contains a JSON array, not a JSON object`]);
  t.same(check('iam_policy_json', '1', 'assume_role_policy'), [`${k} contains an invalid JSON policy: not a JSON object`]);
  t.same(check('iam_policy_json', '"x.json"', 'assume_role_policy'), [
    `${k} contains an invalid JSON policy: contains a JSON-encoded string, not a JSON-encoded object (have you passed a JSON-encoded filename instead of the content of that file?)`,
  ]);
  t.same(check('iam_policy_json', '"{}"', 'assume_role_policy'), [
    `${k} contains an invalid JSON policy: contains a JSON-encoded string, not a JSON-encoded object (have you double-encoded your JSON data?)`,
  ]);
  t.same(check('iam_policy_json', '\t"x"', 'assume_role_policy'), [
    `${k} contains an invalid JSON policy: contains a JSON-encoded string, not a JSON-encoded object`,
  ]);
  t.same(check('iam_policy_json', '{', 'assume_role_policy'), [`${k} contains an invalid JSON policy: unexpected end of JSON input, at byte offset 1`]);
  // [5.100.0] (test/fixtures/policy-documents/assume-role-policy-validation.json)
  t.same(check('iam_policy_json', '{"a":fals', 'assume_role_policy'), [
    `${k} contains an invalid JSON policy: invalid character ' ' in literal false (expecting 'e'), at byte offset 9`,
  ]);
  t.same(check('iam_policy_json', '{"a":1e400}', 'assume_role_policy'), [
    `${k} contains an invalid JSON policy: json: cannot unmarshal number 1e400 into Go value of type float64`,
  ]);
  t.same(check('iam_policy_json', '"[1e400]"', 'assume_role_policy'), [
    `${k} contains an invalid JSON policy: contains a JSON-encoded string, not a JSON-encoded object`,
  ], 'no double-encoding hint when the inner document does not decode');
  t.same(check('iam_policy_json', '{"a":[1 2]}', 'assume_role_policy'), [
    `${k} contains an invalid JSON policy: invalid character '2' after array element, at byte offset 9`,
  ]);
  t.same(check('iam_policy_json', '{"a":1,"a":2}', 'inline_policy.0.policy'), ['"inline_policy.0.policy" contains duplicate JSON keys: duplicate key "a"']);
  t.same(check('iam_policy_json', '{"S":[{"Sid":"a","Sid":"b"}]}', 'assume_role_policy'), [`${k} contains duplicate JSON keys: duplicate key "S.0.Sid"`]);
  t.same(check('iam_policy_json', '{"S":[1,{"x":{"y":1,"y":1}}]}', 'assume_role_policy'), [
    `${k} contains duplicate JSON keys: duplicate key "S.1.x.y"`,
  ]);
  t.same(check('iam_policy_json', '{"a": "bcdef"}', 'p', { max_length: 10 }), ['Cannot exceed quota for PolicySize: 10 (actual: 13)']);
  // Go's encoder escapes <, > and & (6 bytes each), so the size counts them that way.
  t.same(check('iam_policy_json', '{"a":"<&>"}', 'p', { max_length: 20 }), ['Cannot exceed quota for PolicySize: 20 (actual: 26)']);
  t.same(check('iam_policy_json', '{"a":{"b":1},"b":{"a":[{"a":1},{"a":2}]}}', 'p'), [], 'the same key in different objects is fine');
  // [5.100.0] offsets count leading white space, and Go's white space includes U+00A0
  t.same(check('iam_policy_json', ' {"a":1,}', 'p'), [`"p" contains an invalid JSON policy: invalid character '}' looking for beginning of object key string, at byte offset 9`]);
});

t.test('IAM role names, description, path, sid', async (t) => {
  t.same(check('iam_role_name', 'my-role+=,.@_1', 'name'), []);
  // [5.100.0]
  t.same(check('iam_role_name', 'bad name!', 'name'), ['invalid value for name (must match [\\w+=,.@-])']);
  t.same(check('iam_role_name', 'n'.repeat(65), 'name'), [`expected length of name to be in the range (1 - 64), got ${'n'.repeat(65)}`]);
  const prefix = 'abcdefghij'.repeat(4);
  t.same(check('iam_role_name_prefix', prefix, 'name_prefix'), [`expected length of name_prefix to be in the range (1 - 38), got ${prefix}`]);
  t.same(check('iam_role_name_prefix', 'ab cd', 'name_prefix'), ['invalid value for name_prefix (must match [\\w+=,.@-])']);
  t.same(check('iam_role_policy_name', '', 'inline_policy.0.name'), ['expected length of inline_policy.0.name to be in the range (1 - 128), got ']);
  t.same(check('iam_role_description', 'plain text', 'description'), []);
  t.same(check('iam_role_description', 'it’s “quoted”', 'description'), [
    'invalid value for description (cannot contain specially formatted single or double quotes: [“‘])',
  ]);
  t.same(check('iam_role_description', 'x'.repeat(1001), 'description'), [`expected length of description to be in the range (0 - 1000), got ${'x'.repeat(1001)}`]);
  t.same(check('iam_role_path', '/' + 'a'.repeat(512), 'path').length, 1);
  t.same(check('iam_role_path', 'nolead', 'path'), [], '[5.100.0] no format rule on the path');
  t.same(check('iam_policy_sid', 'Allow1', 'statement.0.sid'), []);
  t.same(check('iam_policy_sid', 'a-b', 'statement.0.sid'), ['invalid value for statement.0.sid (must only include alphanumeric characters)']);
});

t.test('provider arguments', async (t) => {
  t.same(check('assume_role_duration', '1h', 'assume_role.0.duration'), []);
  t.same(check('assume_role_duration', '15m', 'assume_role.0.duration'), []);
  t.same(check('assume_role_duration', '12h', 'assume_role.0.duration'), []);
  // [5.100.0]
  t.same(check('assume_role_duration', '10', 'assume_role.0.duration'), [
    '"assume_role.0.duration" cannot be parsed as a duration: time: missing unit in duration "10"',
  ]);
  t.same(check('assume_role_duration', '1m', 'assume_role_with_web_identity.0.duration'), [
    'duration "assume_role_with_web_identity.0.duration" must be between 15 minutes (15m) and 12 hours (12h), inclusive',
  ]);
  t.same(check('assume_role_duration', '12h0m1s', 'd').length, 1);
  t.equal(parseGoDuration('1h30m'), 5400n * 1000000000n);
  t.equal(parseGoDuration('1.5h'), 5400n * 1000000000n);
  t.equal(parseGoDuration('-2µs'), -2000n);
  t.equal(parseGoDuration('abc'), 'time: invalid duration "abc"');
  t.equal(parseGoDuration('5x'), 'time: unknown unit "x" in duration "5x"');
  t.equal(parseGoDuration(''), 'time: invalid duration ""');
  t.same(check('assume_role_session_name', 'x', 'assume_role.0.session_name'), [
    'expected length of assume_role.0.session_name to be in the range (2 - 64), got x',
  ]);
  t.same(check('assume_role_source_identity', 'ok', 'assume_role.0.source_identity'), []);
  for (const ok of ['', 'true', 'false', '1', 'F', 'True']) t.same(check('nullable_bool', ok, 'skip_metadata_api_check'), [], ok);
  // [5.100.0] (the v6 SDKv2 source would say: expected skip_metadata_api_check to be one of '', 'true', or 'false', got 'maybe')
  t.same(check('nullable_bool', 'maybe', 'skip_metadata_api_check'), [
    'skip_metadata_api_check: cannot parse \'maybe\' as boolean: strconv.ParseBool: parsing "maybe": invalid syntax',
  ]);
});
