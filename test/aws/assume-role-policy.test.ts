// aws_iam_role.assume_role_policy: the validator (recorded from hashicorp/aws 5.100.0), the stored
// normal form (structure.NormalizeJsonString) and the equivalence of awspolicyequivalence v1.7.0.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { comparePolicies, policiesEquivalent, policyDiffSuppressed, PolicyEquivalenceError, policyToSet } from '../../src/aws/iam-policy/equivalence';
import { goQueryUnescape, normalizePolicyJson } from '../../src/aws/iam-policy/normalize';
import { isValidPolicyJson, policyJsonErrors } from '../../src/aws/iam-policy/validation';
import { goJsonParse, GoJsonSyntaxError } from '../../src/values/go-json';

const recorded = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'policy-documents', 'assume-role-policy-validation.json'), 'utf8'),
) as { cases: Array<{ value: string; errors: string[] }> };

t.test('validator messages equal the recorded ones', async (t) => {
  t.ok(recorded.cases.length > 30);
  // Test names stay ASCII: a raw U+2028 would break the TAP stream.
  const label = (v: string) => JSON.stringify(v).replace(/[^\x20-\x7e]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  for (const c of recorded.cases) {
    t.same(policyJsonErrors(c.value), c.errors, label(c.value));
    t.equal(isValidPolicyJson(c.value), c.errors.length === 0);
  }
});

t.test('the attribute name is part of the message', async (t) => {
  t.same(policyJsonErrors('[]', 'policy'), ['"policy" contains an invalid JSON policy: contains a JSON array, not a JSON object']);
});

t.test('Go scanner errors and offsets', async (t) => {
  const err = (s: string) => {
    try {
      goJsonParse(s);
    } catch (e) {
      return e instanceof GoJsonSyntaxError ? `${e.message} @${e.offset}` : `other: ${(e as Error).message}`;
    }
    return 'ok';
  };
  t.equal(err(''), 'unexpected end of JSON input @0');
  t.equal(err('   '), 'unexpected end of JSON input @3');
  t.equal(err('[1,]'), "invalid character ']' looking for beginning of value @4");
  t.equal(err('{"a":1 "b"}'), 'invalid character \'"\' after object key:value pair @8');
  t.equal(err('[1]]'), "invalid character ']' after top-level value @4");
  t.equal(err('"\u0080"'), 'ok', 'bytes above 0x1f are allowed in strings');
  t.equal(err('\u00ff'), "invalid character 'Ã' looking for beginning of value @1");
  t.equal(err('1e400'), 'other: json: cannot unmarshal number 1e400 into Go value of type float64');
  t.equal(err('[-0.0e-0]'), 'ok');
});

t.test('normalised form is Go json.Marshal of the decoded document', async (t) => {
  t.equal(normalizePolicyJson(''), '');
  t.equal(normalizePolicyJson('not json'), 'not json', 'invalid input is kept as is');
  t.equal(
    normalizePolicyJson('{ "Version": "2012-10-17",\n "Statement": [ { "Principal": {"Service": "sagemaker.amazonaws.com"}, "Effect": "Allow", "Action": "sts:AssumeRole" } ] }'),
    '{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"}}],"Version":"2012-10-17"}',
  );
  t.equal(
    normalizePolicyJson('{"n":[1.0, 2.50, 1e21, 1e-7, 0.000001, -0, 1E+2, 123456789012345678901234]}'),
    '{"n":[1,2.5,1e+21,1e-7,0.000001,-0,100,1.2345678901234569e+23]}',
  );
  t.equal(normalizePolicyJson('{"s":"<&>\\u2028\\u2029\\b\\f\\u0001\\/é"}'), '{"s":"\\u003c\\u0026\\u003e\\u2028\\u2029\\b\\f\\u0001/é"}');
  t.equal(normalizePolicyJson('{"s":"\\ud83d\\ude00 \\ud800 \\udc00x"}'), '{"s":"😀 \ufffd \ufffdx"}', 'broken surrogates become U+FFFD');
  t.equal(normalizePolicyJson('{"b":1,"a":2,"b":3}'), '{"a":2,"b":3}', 'the last duplicate key wins');
  t.equal(normalizePolicyJson('{"é":1,"z":2,"Z":3,"😀":4,"\uffff":5}'), '{"Z":3,"z":2,"é":1,"\uffff":5,"😀":4}', 'keys in UTF-8 byte order');
});

const base = (stmt: object, extra: object = {}) => JSON.stringify({ Version: '2012-10-17', ...extra, Statement: [stmt] });

t.test('equivalent policies', async (t) => {
  const a = { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'sagemaker.amazonaws.com' } };
  t.ok(policiesEquivalent(base(a), base({ ...a, Action: ['sts:AssumeRole'] })), 'one-element array equals the scalar');
  t.ok(policiesEquivalent(base(a), base({ ...a, Principal: { Service: ['sagemaker.amazonaws.com'] } })), 'same for principals');
  t.ok(policiesEquivalent(base({ ...a, Action: ['b', 'a'] }), base({ ...a, Action: ['a', 'b'] })), 'action order');
  t.ok(policiesEquivalent(base({ ...a, Resource: ['r2', 'r1'] }), base({ ...a, Resource: ['r1', 'r2'] })), 'resource order');
  t.ok(policiesEquivalent(base(a), base({ ...a, Effect: 'allow' })), 'effect case-insensitive');
  t.ok(policiesEquivalent(base(a), '  ' + JSON.stringify({ Statement: a, Version: '2012-10-17' }) + '\n'), 'a single statement object');
  t.ok(policiesEquivalent('[' + base(a) + ']', base(a)), 'a one-element list around the policy');
  t.ok(
    policiesEquivalent(base({ ...a, Principal: { AWS: '123456789012' } }), base({ ...a, Principal: { AWS: 'arn:aws:iam::123456789012:root' } })),
    'account id equals its root ARN',
  );
  t.ok(
    policiesEquivalent(base({ ...a, Condition: { Bool: { 'aws:SecureTransport': true } } }), base({ ...a, Condition: { Bool: { 'aws:SecureTransport': 'true' } } })),
    'bool condition equals its string',
  );
  t.ok(policiesEquivalent(base({ ...a, Condition: { N: { n: 5 } } }), base({ ...a, Condition: { N: { n: '5' } } })), 'number condition equals its string');
  t.ok(policiesEquivalent(base({ ...a, action: 'sts:AssumeRole', Action: undefined }), base(a)), 'field names are case-insensitive');
  t.ok(policiesEquivalent(base(a), base({ ...a, Action: 'sts:AssumeRole', Sid: '' })), 'empty Sid equals none');
  t.ok(policiesEquivalent(base({ ...a, Principal: '*' }), base({ ...a, Principal: '*' })));
});

t.test('different policies', async (t) => {
  const a = { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'sagemaker.amazonaws.com' } };
  t.notOk(policiesEquivalent(base({ ...a, Principal: '*' }), base({ ...a, Principal: { AWS: '*' } })), '"*" is not {"AWS":"*"}');
  t.notOk(policiesEquivalent(base(a), base(a, { Version: '2008-10-17' })), 'version');
  t.notOk(policiesEquivalent(base(a), base(a, { Id: 'x' })), 'id');
  t.notOk(policiesEquivalent(base(a), base({ ...a, Sid: 'S' })), 'sid');
  t.notOk(policiesEquivalent(base(a), base({ ...a, Effect: 'Deny' })), 'effect');
  t.notOk(policiesEquivalent(base(a), base({ ...a, Condition: {} })), 'an empty Condition is not a missing one');
  t.notOk(policiesEquivalent(base({ ...a, Action: ['a', 'a'] }), base({ ...a, Action: ['a', 'b'] })), 'duplicates count');
  t.notOk(policiesEquivalent(base(a), JSON.stringify({ Version: '2012-10-17', Statement: [a, a] })), 'statement count');
  t.notOk(policiesEquivalent(base(a), '{'), 'invalid JSON');
  t.notOk(policiesEquivalent('{"Version":"2012-10-17"}', '{"Version":"2012-10-17","Id":"x"}'), 'no statements and different ids');
  t.ok(policiesEquivalent('{"Version":"2012-10-17"}', '{"Version":"2012-10-17"}'), 'identical documents without statements');
  t.notOk(policiesEquivalent('{"Version":2012}', '{"Version":2012}'), 'a non-string Version is an error');
});

t.test('diff suppression of assume_role_policy', async (t) => {
  t.ok(policyDiffSuppressed('', '{}'));
  t.ok(policyDiffSuppressed(' {} ', ''));
  t.notOk(policyDiffSuppressed('', '{"Version":"2012-10-17"}'));
  t.ok(
    policyDiffSuppressed(
      '{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"}}],"Version":"2012-10-17"}',
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:AssumeRole"],"Principal":{"Service":"sagemaker.amazonaws.com"}}]}',
    ),
  );
});

t.test('what Read stores: the prior policy when equivalent, else the one from IAM, normalised', async (t) => {
  const configured = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:AssumeRole"],"Principal":{"Service":"sagemaker.amazonaws.com"}}]}';
  const fromIam = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}';
  t.equal(
    policyToSet(configured, fromIam),
    '{"Statement":[{"Action":["sts:AssumeRole"],"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"}}],"Version":"2012-10-17"}',
    'keeps the configured form (normalised)',
  );
  const changed = fromIam.replace('sagemaker', 'ec2');
  t.equal(policyToSet(configured, changed), normalizePolicyJson(changed), 'takes the new document when it differs');
  t.equal(policyToSet('', fromIam), normalizePolicyJson(fromIam), 'nothing before: the document from IAM');
  t.equal(policyToSet(configured, ' '), '');
  t.equal(policyToSet(configured, '{}'), '{}');
  t.throws(() => policyToSet(configured, '{"Version":1}'), PolicyEquivalenceError);
});

t.test('equivalence errors', async (t) => {
  t.throws(() => comparePolicies('{', '{}'), { message: 'unmarshaling policy 1: unexpected end of JSON input' });
  t.throws(() => comparePolicies('{"Version":1}', '{}'), {
    message: 'unmarshaling policy 1: json: cannot unmarshal number into Go struct field intermediatePolicyDocument.Version of type string',
  });
  t.throws(() => comparePolicies('{"Statement":5}', '{}'), { message: 'parsing policy 1: unknown statement parsing problem' });
  t.throws(() => comparePolicies('{"Statement":[]}', '{"Statement":"x"}'), { message: 'parsing policy 2: unknown statement parsing problem' });
});

t.test('IAM URL-encoded documents are decoded as Go url.QueryUnescape does', async (t) => {
  t.equal(goQueryUnescape('%7B%22Version%22%3A%222012-10-17%22%7D'), '{"Version":"2012-10-17"}');
  t.equal(goQueryUnescape('a+b%20c%C3%A9'), 'a b cé');
  t.throws(() => goQueryUnescape('%zz'), { message: 'invalid URL escape "%zz"' });
  t.throws(() => goQueryUnescape('ab%4'), { message: 'invalid URL escape "%4"' });
});
