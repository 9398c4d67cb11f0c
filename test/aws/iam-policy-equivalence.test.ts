// awspolicyequivalence v1.7.0 (hashicorp/aws 5.100.0's), read in its public source: how each policy is prepared
// before the comparison, what a missing Statement means, and the errors it returns.
import t from 'tap';
import { comparePolicies, policiesEquivalent, policyDiffSuppressed, policyToSet } from '../../src/aws/iam-policy/equivalence';

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

t.test('an empty policy (after white space and one pair of brackets are removed) reads as {}', async (t) => {
  t.equal(comparePolicies('', '{}'), true);
  t.equal(comparePolicies('{}', ' \n\t'), true);
  t.equal(comparePolicies(' ', '{"Statement":null}'), true, 'a null Statement is no Statement');
  t.equal(comparePolicies('[]', '{}'), true);
  t.equal(comparePolicies('[ ]', '[{}]'), true);
  t.equal(comparePolicies('\u00a0{}\u2028', '{}'), true, "Go's white space includes NBSP and the line separator");
  t.equal(comparePolicies('', '{"Version":"2012-10-17"}'), false);
});

t.test('brackets are removed only when they open and close the policy', async (t) => {
  t.equal(message(() => comparePolicies('[{"Version":"1"}', '{}')), 'unmarshaling policy 1: unexpected end of JSON input');
  t.equal(message(() => comparePolicies('{}', '{"Version":"1"}]')), "unmarshaling policy 2: invalid character ']' after top-level value");
  t.equal(message(() => comparePolicies('[[]]', '{}')), 'unmarshaling policy 1: json: cannot unmarshal array into Go value of type awspolicy.intermediatePolicyDocument');
  t.equal(
    message(() => comparePolicies('\ufeff{}', '{}')),
    "unmarshaling policy 1: invalid character 'ï' looking for beginning of value",
    'a byte order mark is not white space for Go',
  );
});

t.test('a missing Statement equals an empty list of statements', async (t) => {
  t.equal(comparePolicies('{"Version":"2012-10-17"}', '{"Version":"2012-10-17","Statement":[]}'), true);
  t.equal(comparePolicies('{"Version":"2012-10-17","Statement":[]}', '{"Version":"2012-10-17","Statement":null}'), true);
  t.equal(comparePolicies('{"Statement":[]}', '{"Statement":[{"Effect":"Allow"}]}'), false);
  t.ok(policyDiffSuppressed('{"Version":"2012-10-17","Statement":[]}', '{"Version":"2012-10-17"}'));
});

t.test('errors name the policy (1 or 2) and the statement form', async (t) => {
  t.equal(message(() => comparePolicies('{}', '{')), 'unmarshaling policy 2: unexpected end of JSON input');
  t.equal(
    message(() => comparePolicies('{}', '{"Id":true}')),
    'unmarshaling policy 2: json: cannot unmarshal bool into Go struct field intermediatePolicyDocument.Id of type string',
  );
  t.equal(message(() => comparePolicies('{}', '{"Statement":"x"}')), 'parsing policy 2: unknown statement parsing problem');
  t.equal(message(() => comparePolicies('{"Statement":5}', '{}')), 'parsing policy 1: unknown statement parsing problem');
  t.equal(message(() => comparePolicies('{"Statement":true}', '{}')), 'parsing policy 1: unknown statement parsing problem');
  // A list is decoded as a whole ("statement 1"), a single object apart ("statement 2").
  t.match(message(() => comparePolicies('{"Statement":[1]}', '{}')), /^parsing policy 1: parsing statement 1: /);
  t.match(message(() => comparePolicies('{}', '{"Statement":{"Sid":true}}')), /^parsing policy 2: parsing statement 2: /);
  t.notOk(policiesEquivalent('{}', '{"Statement":[1]}'), 'an error is no equivalence');
});

t.test('what Read stores when the policy of either side is empty', async (t) => {
  const fromIam = '{"Version":"2012-10-17","Statement":[]}';
  t.equal(policyToSet('{"Version":"2012-10-17"}', fromIam), '{"Version":"2012-10-17"}', 'the prior policy, equivalent to the one from IAM');
});
