// The stored forms of policies in hashicorp/aws 5.100.0: verify.LegacyPolicyNormalize (aws_iam_role's inline
// policies: Go's compact JSON with a "Version": "2012-10-17" member moved to the front by a regular expression) and
// Go's url.QueryUnescape of the documents IAM returns.
import t from 'tap';
import { goQueryUnescape, legacyPolicyNormalize, normalizePolicyJson } from '../../src/aws/iam-policy/normalize';
import { errorMessage } from '../support/aws-iam-policy';

t.test('the 2012-10-17 Version moves to the front of the compact document', async (t) => {
  t.equal(legacyPolicyNormalize(''), '');
  t.equal(legacyPolicyNormalize('{'), '{', 'invalid JSON is kept as is');
  // Invalid JSON is not read further, even where moving the Version would make it valid.
  t.equal(legacyPolicyNormalize('{"a":[1,"Version":"2012-10-17"]}'), '{"a":[1,"Version":"2012-10-17"]}');
  t.equal(legacyPolicyNormalize('{ "Statement": [], "Version": "2012-10-17" }'), '{"Version":"2012-10-17","Statement":[]}');
  t.equal(
    legacyPolicyNormalize('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}],"Id":"x"}'),
    '{"Version":"2012-10-17","Id":"x","Statement":[{"Action":"s3:*","Effect":"Allow"}]}',
    'every member before it keeps its (sorted) order',
  );
  t.equal(legacyPolicyNormalize('{"A":"a b","Version":"2012-10-17"}'), '{"Version":"2012-10-17","A":"a b"}', 'white space inside strings');
  t.equal(legacyPolicyNormalize('{"Version":"2012-10-17","a":1}'), '{"Version":"2012-10-17","a":1}', 'already first');
  t.equal(legacyPolicyNormalize('{"Statement":[],"Version":"2012-10-17","a":1}'), '{"Version":"2012-10-17","Statement":[],"a":1}', 'members after it stay');
  t.equal(legacyPolicyNormalize('{"Statement":[],"Version":"2012-10-17","a":"x y"}'), '{"Version":"2012-10-17","Statement":[],"a":"x y"}', 'white space after it');
  t.equal(legacyPolicyNormalize('{"Statement":[],"Version":"2008-10-17"}'), '{"Statement":[],"Version":"2008-10-17"}', 'another version stays');
  t.equal(
    legacyPolicyNormalize('{"Statement":[],"Version":"2008-10-17","a":"2012-10-17"}'),
    '{"Statement":[],"Version":"2008-10-17","a":"2012-10-17"}',
    'only the Version member with that value',
  );
  t.equal(legacyPolicyNormalize('[{"Statement":[],"Version":"2012-10-17"}]'), '[{"Statement":[],"Version":"2012-10-17"}]', 'only at the start of an object');
  // A nested "Version": "2012-10-17" is moved out of its object; the result is no JSON, so the input is returned.
  const nested = '{"Statement":[{"Condition":{"StringEquals":{"Version":"2012-10-17"}}}]}';
  t.equal(legacyPolicyNormalize(nested), nested);
  t.equal(legacyPolicyNormalize(' ' + nested), ' ' + nested, 'the input as it was, not normalised');
});

t.test('the compact form is Go json.Marshal of the document', async (t) => {
  t.equal(normalizePolicyJson(' '), ' ', 'white space is no JSON and stays');
  t.equal(normalizePolicyJson('[ 1, {"b": null, "a": true} ]'), '[1,{"a":true,"b":null}]');
});

t.test('URL escapes as Go decodes them', async (t) => {
  t.equal(goQueryUnescape(''), '');
  t.equal(goQueryUnescape('%4a%4A%2b+'), 'JJ+ ', 'hex digits in either case, + is a space');
  t.equal(goQueryUnescape('%E2%82%AC'), '€', 'escaped UTF-8 bytes');
  t.equal(errorMessage(() => goQueryUnescape('%')), 'invalid URL escape "%"');
  t.equal(errorMessage(() => goQueryUnescape('x%4')), 'invalid URL escape "%4"');
  t.equal(errorMessage(() => goQueryUnescape('%g1')), 'invalid URL escape "%g1"');
  t.equal(errorMessage(() => goQueryUnescape('%1g')), 'invalid URL escape "%1g"');
  t.equal(errorMessage(() => goQueryUnescape('%%41')), 'invalid URL escape "%%4"', 'three bytes at most');
  t.equal(errorMessage(() => goQueryUnescape('%zz%zz')), 'invalid URL escape "%zz"', 'the first bad escape');
});
