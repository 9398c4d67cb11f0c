// awspolicyequivalence v1.7.0 (hashicorp/aws 5.100.0's), read in its public source: how each policy is prepared
// before the comparison, what a missing Statement means, and the errors it returns.
import t from 'tap';
import { comparePolicies, policiesEquivalent, policyDiffSuppressed, policyToSet } from '../../src/aws/iam-policy/equivalence';
import { errorMessage } from '../support/aws-iam-policy';

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
  t.equal(errorMessage(() => comparePolicies('[{}x', '{}')), "unmarshaling policy 1: invalid character 'x' after array element");
  t.equal(errorMessage(() => comparePolicies('[{"Version":"1"}', '{}')), 'unmarshaling policy 1: unexpected end of JSON input');
  t.equal(errorMessage(() => comparePolicies('{}', '{"Version":"1"}]')), "unmarshaling policy 2: invalid character ']' after top-level value");
  t.equal(errorMessage(() => comparePolicies('[[]]', '{}')), 'unmarshaling policy 1: json: cannot unmarshal array into Go value of type awspolicy.intermediatePolicyDocument');
  t.equal(
    errorMessage(() => comparePolicies('\ufeff{}', '{}')),
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
  t.equal(errorMessage(() => comparePolicies('{}', '{')), 'unmarshaling policy 2: unexpected end of JSON input');
  t.equal(
    errorMessage(() => comparePolicies('{}', '{"Id":true}')),
    'unmarshaling policy 2: json: cannot unmarshal bool into Go struct field intermediatePolicyDocument.Id of type string',
  );
  t.equal(errorMessage(() => comparePolicies('{}', '{"Statement":"x"}')), 'parsing policy 2: unknown statement parsing problem');
  t.equal(errorMessage(() => comparePolicies('{"Statement":5}', '{}')), 'parsing policy 1: unknown statement parsing problem');
  t.equal(errorMessage(() => comparePolicies('{"Statement":true}', '{}')), 'parsing policy 1: unknown statement parsing problem');
  // A list is decoded as a whole ("statement 1"), a single object apart ("statement 2").
  t.match(errorMessage(() => comparePolicies('{"Statement":[1]}', '{}')), /^parsing policy 1: parsing statement 1: /);
  t.match(errorMessage(() => comparePolicies('{}', '{"Statement":{"Sid":true}}')), /^parsing policy 2: parsing statement 2: /);
  t.notOk(policiesEquivalent('{}', '{"Statement":[1]}'), 'an error is no equivalence');
});

t.test('what Read stores when the policy of either side is empty', async (t) => {
  const fromIam = '{"Version":"2012-10-17","Statement":[]}';
  t.equal(policyToSet('{"Version":"2012-10-17"}', fromIam), '{"Version":"2012-10-17"}', 'the prior policy, equivalent to the one from IAM');
});

// One statement in a document; `extra` replaces or adds statement fields.
const one = (extra: object) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', ...extra }] });
// The same statement with its actions in another order, so that the documents are never identical as JSON and the
// comparison goes statement by statement.
const reordered = (extra: object) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole'], ...extra }] });

t.test('identical documents are equivalent before their statements are read', async (t) => {
  // The library compares the decoded documents first (reflect.DeepEqual), so statements it could not read compare
  // equal when they are the same.
  const broken = (action: unknown) => JSON.stringify({ Statement: [{ Sid: 1, Action: action }] });
  t.equal(comparePolicies(broken(['a', 'b']), broken(['a', 'b'])), true);
  t.equal(comparePolicies(broken({ k: [1, null, true, 'x'] }), broken({ k: [1, null, true, 'x'] })), true);
  t.equal(comparePolicies(broken(null), broken(null)), true);
  t.equal(comparePolicies(broken(0), '{"Statement":[{"Sid":1,"Action":-0}]}'), true, '0 equals -0 as float64');
  t.equal(comparePolicies('{"Statement":5}', '{"Statement":5}'), true);
  t.equal(comparePolicies('{"Statement":{"Condition":{"X":{"k":{}}}}}', '{"Statement":{"Condition":{"X":{"k":{}}}}}'), true);
  const differs = (a: unknown, b: unknown) => errorMessage(() => comparePolicies(broken(a), broken(b)));
  const unreadable = /^parsing policy 1: parsing statement 1: /;
  t.match(differs(['a'], ['a', 'b']), unreadable, 'list length');
  t.match(differs(['a', 'b'], ['a', 'c']), unreadable, 'list element');
  t.match(differs([], {}), unreadable, 'list and object');
  t.match(differs({}, []), unreadable, 'object and list');
  t.match(differs({ a: 1 }, { a: 1, b: 2 }), unreadable, 'object size');
  t.match(differs({ a: 1 }, { b: 1 }), unreadable, 'object key');
  t.match(differs({ a: 1 }, { a: 2 }), unreadable, 'object value');
  t.match(differs(null, 'x'), unreadable, 'null and a string');
  t.match(differs('x', null), unreadable, 'a string and null');
  t.match(differs(1, '1'), unreadable, 'a number and its text');
  t.match(differs('x', ['x']), unreadable, 'a string and a list');
  t.match(errorMessage(() => comparePolicies('{}', '{"Statement":5}')), /^parsing policy 2: unknown statement/, 'no Statement and a number');
  t.match(errorMessage(() => comparePolicies('{"Statement":5}', '{}')), /^parsing policy 1: unknown statement/, 'a number and no Statement');
});

t.test('the document: Version and Id, matched case-insensitively, null as absent', async (t) => {
  t.equal(comparePolicies('null', '{}'), true, 'a JSON null is an empty document');
  t.equal(comparePolicies('{}', '{"Version":""}'), true);
  t.equal(comparePolicies('{}', '{"Id":""}'), true);
  t.equal(comparePolicies('{"Version":null,"Id":null}', '{}'), true);
  t.equal(comparePolicies('{"Foo":"x","Statement":[]}', '{}'), true, 'unknown members are ignored');
  t.equal(comparePolicies('{"version":"2012-10-17","ID":"a"}', '{"Version":"2012-10-17","Id":"a"}'), true);
  t.equal(comparePolicies('{"Version":"a","Statement":[]}', '{"Id":"a"}'), false, 'Version and Id are different members');
  t.equal(comparePolicies('{"Version":"a","Statement":[]}', '{"Version":"b"}'), false);
  t.equal(comparePolicies('{"Id":"a","Statement":[]}', '{"Id":"b"}'), false);
  t.equal(errorMessage(() => comparePolicies('5', '{}')), 'unmarshaling policy 1: json: cannot unmarshal number into Go value of type awspolicy.intermediatePolicyDocument');
  t.equal(
    errorMessage(() => comparePolicies('{}', '{"Version":["x"]}')),
    'unmarshaling policy 2: json: cannot unmarshal array into Go struct field intermediatePolicyDocument.Version of type string',
  );
});

t.test('every statement field is compared, its name matched case-insensitively', async (t) => {
  const fields: Array<[string, unknown, unknown]> = [
    ['Sid', 'A', 'B'],
    ['Effect', 'Allow', 'Deny'],
    ['Action', 'a:A', 'b:B'],
    ['NotAction', 'a:A', 'b:B'],
    ['Resource', 'arn:a', 'arn:b'],
    ['NotResource', 'arn:a', 'arn:b'],
    ['Principal', { AWS: 'arn:a' }, { AWS: 'arn:b' }],
    ['NotPrincipal', { AWS: 'arn:a' }, { AWS: 'arn:b' }],
    ['Condition', { StringEquals: { k: 'a' } }, { StringEquals: { k: 'b' } }],
  ];
  const doc = (stmt: object) => JSON.stringify({ Statement: [stmt] });
  for (const [field, x, y] of fields) {
    t.equal(comparePolicies(doc({ [field]: x }), doc({ [field.toLowerCase()]: x })), true, `${field} in lower case`);
    t.equal(comparePolicies(doc({ [field]: x }), doc({ [field.toUpperCase()]: y })), false, `${field} differs`);
    t.equal(comparePolicies(doc({ [field]: x }), doc({})), false, `${field} against none`);
    t.equal(comparePolicies(doc({}), doc({ [field]: x })), false, `none against ${field}`);
  }
  t.equal(comparePolicies(doc({ Sid: null, Effect: null }), doc({ Sid: '', effect: '' })), true, 'a null Sid or Effect is empty');
  t.equal(comparePolicies(doc({ Condition: null }), doc({})), true, 'a null Condition is none');
  for (const field of ['Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal']) {
    t.equal(comparePolicies(doc({ [field]: null, Sid: 'S' }), doc({ Sid: 'S' })), true, `a null ${field} is none`);
  }
  t.equal(comparePolicies(doc({ Unknown: 1 }), doc({})), true, 'unknown fields are ignored');
  t.match(errorMessage(() => comparePolicies(doc({ Sid: true }), doc({}))), /^parsing policy 1: parsing statement 1: .*Sid/);
  t.match(errorMessage(() => comparePolicies(doc({}), doc({ Effect: 1 }))), /^parsing policy 2: parsing statement 1: .*Effect/);
  t.match(errorMessage(() => comparePolicies(doc({ Condition: 'x' }), doc({}))), /^parsing policy 1: parsing statement 1: .*Condition/);
  t.match(errorMessage(() => comparePolicies(doc({ Condition: { X: 'x' } }), doc({}))), /^parsing policy 1: parsing statement 1: .*Condition/);
  t.match(errorMessage(() => comparePolicies(doc({}), JSON.stringify({ Statement: ['x'] }))), /^parsing policy 2: parsing statement 1: /);
});

t.test('actions and resources: sets of strings, booleans and numbers as Go formats them', async (t) => {
  const eq = (x: unknown, y: unknown) => comparePolicies(one({ Action: x }), reordered({ Action: y }));
  t.equal(eq(['b', 'a'], ['a', 'b']), true);
  t.equal(eq(['a'], ['a', 'b']), false, 'a subset');
  t.equal(eq(['a', 'b'], ['a']), false, 'a superset');
  t.equal(eq(['a', 'a'], ['a', 'b']), false);
  t.equal(eq(true, 'true'), true);
  t.equal(eq([false], 'false'), true);
  t.equal(eq(5, '5'), true);
  t.equal(eq([5], ['5']), true);
  t.equal(eq(1.5, '1.5'), true);
  t.equal(eq(-2.25, '-2.25'), true);
  t.equal(eq(0, '0'), true);
  // JSON.stringify writes -0 as 0: the documents are written out.
  const negativeZero = '{"Statement":[{"Action":-0}]}';
  t.equal(comparePolicies(negativeZero, '{"Statement":[{"Action":["-0"]}]}'), true, 'Go prints negative zero with its sign');
  t.equal(comparePolicies(negativeZero, '{"Statement":[{"Action":["0"]}]}'), false);
  t.equal(comparePolicies('{"Statement":[{"Action":0}]}', '{"Statement":[{"Action":["-0"]}]}'), false);
  t.equal(eq(1e20, '100000000000000000000'), true);
  t.equal(eq(1e21, '1000000000000000000000'), true, 'no exponent, however large');
  t.equal(eq(-1e21, '-1000000000000000000000'), true);
  t.equal(eq(1.5e22, '15000000000000000000000'), true);
  t.equal(eq(0.000001, '0.000001'), true);
  t.equal(eq(1e-7, '0.0000001'), true, 'no exponent, however small');
  t.equal(eq(-1.25e-7, '-0.000000125'), true);
  t.equal(eq(0.5, '0.5'), true);
  t.equal(comparePolicies(one({ Action: [] }), reordered({ Action: null })), true, 'an empty list is no list');
  t.equal(comparePolicies(JSON.stringify({ Statement: [{ Action: [] }] }), JSON.stringify({ Statement: [{}] })), true, 'an empty list is no field');
  // A list with anything else (an object, a nested list) is no set at all: two such compare equal, not a set and one.
  t.equal(eq({}, [{}]), true);
  t.equal(eq([{}], [[]]), true);
  t.equal(eq([{}], {}), true);
  t.equal(eq(['a', {}], []), false);
  t.equal(eq({}, []), false);
  t.equal(eq([{}], ['a']), false);
  t.equal(eq(['a'], [{}]), false);
  const field = (name: string, x: unknown, y: unknown) => comparePolicies(one({ [name]: x }), reordered({ [name]: y }));
  for (const name of ['NotAction', 'Resource', 'NotResource']) {
    t.equal(field(name, ['b', 'a'], ['a', 'b']), true, `${name} order`);
    t.equal(field(name, ['a'], ['a', 'b']), false, `${name} subset`);
    t.equal(field(name, 'a', 'b'), false, `${name} differs`);
  }
});

t.test('conditions: every operator and key on both sides, values as sets', async (t) => {
  const eq = (x: unknown, y: unknown) => comparePolicies(one({ Condition: x }), reordered({ Condition: y }));
  t.equal(eq({ S: { k: ['a', 'b'] } }, { S: { k: ['b', 'a'] } }), true);
  t.equal(eq({ S: { k: ['a', 'a', 'b'] } }, { S: { k: ['a', 'b', 'b'] } }), true, 'same length, same members');
  t.equal(eq({ S: { k: ['a', 'a'] } }, { S: { k: ['a'] } }), false, 'lengths differ');
  t.equal(eq({ S: { k: ['a', 'b'] } }, { S: { k: ['a', 'c'] } }), false);
  t.equal(eq({ S: { k: 'a' } }, { T: { k: 'a' } }), false, 'another operator');
  t.equal(eq({ S: { k: 'a' } }, { S: { j: 'a' } }), false, 'another key');
  t.equal(eq({ S: { k: 'a' } }, { S: { k: 'a', j: 'b' } }), false, 'a key more');
  t.equal(eq({ S: { k: 'a', j: 'b' } }, { S: { k: 'a' } }), false, 'a key less');
  t.equal(eq({ S: { k: 'a' } }, { S: { k: 'a' }, T: { k: 'a' } }), false, 'an operator more');
  t.equal(eq({ S: { k: 'a' }, T: { k: 'b' } }, { S: { k: 'a' }, T: { k: 'b' } }), true);
  t.equal(eq({ S: null }, { S: {} }), true, 'a null operator is an empty one');
  t.equal(eq({ S: null }, {}), false);
  t.equal(eq({ S: { k: null } }, { S: { k: [] } }), true, 'a null value is an empty set');
  t.equal(eq({ S: { k: true } }, { S: { k: 'true' } }), true);
  t.equal(eq({ S: { k: {} } }, { S: { k: {} } }), false, 'values that are no set never match');
  t.equal(eq({ S: { k: [{}] } }, { S: { k: [{}] } }), false);
  t.equal(eq({ S: { k: {} } }, { S: { k: [] } }), false);
  t.equal(eq({}, {}), true);
  t.equal(comparePolicies(one({ Condition: null }), reordered({})), true);
  t.equal(comparePolicies(one({ Condition: {} }), reordered({})), false);
  t.equal(comparePolicies(one({}), reordered({ Condition: {} })), false);
});

t.test('principals: a string, or a map of sets where an account id equals its root ARN', async (t) => {
  const eq = (x: unknown, y: unknown, field = 'Principal') => comparePolicies(one({ [field]: x }), reordered({ [field]: y }));
  for (const field of ['Principal', 'NotPrincipal']) {
    t.equal(eq('*', '*', field), true, `${field}: the same string`);
    t.equal(eq({ AWS: '123456789012' }, { AWS: 'arn:aws:iam::123456789012:root' }, field), true, `${field}: account id and root ARN`);
    t.equal(eq({ AWS: 'arn:aws:iam::123456789012:root' }, { AWS: '123456789012' }, field), true, `${field}: root ARN and account id`);
    t.equal(eq({ AWS: ['a', 'b'] }, { AWS: ['b', 'a'] }, field), true, `${field}: order`);
    t.equal(eq({ AWS: ['a', 'b'] }, { AWS: ['a', 'c'] }, field), false, `${field}: members`);
    t.equal(eq({ AWS: 'a' }, {}, field), false, `${field}: a type less`);
    t.equal(eq({ AWS: 'a' }, undefined, field), false, `${field}: none`);
    t.equal(eq(undefined, { AWS: 'a' }, field), false, `${field}: none on the first side`);
    t.equal(eq(undefined, undefined, field), true, `${field}: none on either side`);
    t.equal(eq('*', { AWS: '*' }, field), false, `${field}: a string is not a map`);
  }
  t.equal(eq({ AWS: ['a', 'a'] }, { AWS: ['a'] }), false, 'sizes differ');
  t.equal(eq({ AWS: 'a' }, { AWS: 'a', Service: 's' }), false, 'a type more');
  t.equal(eq({ AWS: 'a', Service: 's' }, { AWS: 'a' }), false, 'a type less');
  t.equal(eq({ AWS: 'a' }, { Service: 'a' }), false, 'another type');
  t.equal(eq({ AWS: [], Service: 's' }, { Service: 's' }), true, 'a type without identifiers is no type');
  t.equal(eq({ AWS: { x: 1 }, Service: 's' }, { Service: 's' }), true, 'a type whose identifiers are no set is no type');
  t.equal(eq({ AWS: ['123456789012'] }, { AWS: ['arn:aws:iam::123456789012:root'] }), true);
  // Only a 12-digit account id against the root ARN of the same account in IAM.
  t.equal(eq({ AWS: '12345678901' }, { AWS: 'arn:aws:iam::12345678901:root' }), false, '11 digits');
  t.equal(eq({ AWS: 'x123456789012' }, { AWS: 'arn:aws:iam::x123456789012:root' }), false, 'a prefix');
  t.equal(eq({ AWS: '123456789012x' }, { AWS: 'arn:aws:iam::123456789012x:root' }), false, 'a suffix');
  t.equal(eq({ AWS: '123456789012' }, { AWS: 'arn:aws:sts::123456789012:root' }), false, 'another service');
  t.equal(eq({ AWS: '123456789012' }, { AWS: 'arn:aws:iam::123456789012:user/root' }), false, 'another resource');
  t.equal(eq({ AWS: '123456789012' }, { AWS: 'arn:aws:iam::123456789012:ro:ot' }), false, 'a resource with a colon');
  t.equal(eq({ AWS: '123456789012' }, { AWS: 'arn:aws:iam::210987654321:root' }), false, 'another account');
  t.equal(eq({ AWS: '123456789012' }, { AWS: 'urn:aws:iam::123456789012:root' }), false, 'no ARN');
  t.equal(eq({ AWS: 'arn:aws:iam::123456789012:root' }, { AWS: 'urn:aws:iam::123456789012:root' }), false);
  // Two principals that are neither both strings nor maps compare as two empty maps: awspolicyequivalence finds them
  // equivalent whatever they hold.
  t.equal(eq('a', 'b'), true);
  t.equal(eq('123456789012', ['arn:aws:iam::123456789012:root']), true);
  t.equal(eq(['x'], '123456789012'), true);
});

t.test('statements are matched as sets, both ways', async (t) => {
  const doc = (...actions: unknown[]) => JSON.stringify({ Statement: actions.map((Action) => ({ Effect: 'Allow', Action })) });
  t.equal(comparePolicies(doc('a', 'b'), doc('b', 'a')), true, 'order');
  t.equal(comparePolicies(doc('a', 'b'), doc('a', 'a')), false);
  t.equal(comparePolicies(doc('a', 'a'), doc('a', 'b')), false);
  t.equal(comparePolicies(doc('a', 'a'), doc(['a'], ['a'])), true);
  t.equal(comparePolicies(doc('a'), doc('a', 'a')), false, 'count');
});

t.test('what Read stores: Go trims white space, the prior policy is kept only when it is not empty', async (t) => {
  t.equal(policyToSet(' {} ', '{"Statement":[]}'), '{"Statement":[]}', 'an empty prior policy is replaced');
  t.equal(policyToSet('{}', '{"Statement":[]}'), '{"Statement":[]}');
  t.equal(policyToSet('\u0085', '{"Statement":[]}'), '{"Statement":[]}', 'U+0085 is white space for Go');
  t.equal(policyToSet('{"Statement":[]}', '\u0085'), '', 'nothing from IAM is nothing');
  t.equal(policyToSet('{"Statement":[]}', '\u00a0{}\n'), '{}');
  t.equal(errorMessage(() => policyToSet('', '{')), 'policy ({) is invalid JSON: unexpected end of JSON input');
  t.equal(
    errorMessage(() => policyToSet('{"Version":"a"}', '{"Version":1}')),
    'while checking equivalency of existing policy ({"Version":"a"}) and new policy ({"Version":1}), encountered: ' +
      'unmarshaling policy 2: json: cannot unmarshal number into Go struct field intermediatePolicyDocument.Version of type string',
  );
  t.ok(policyDiffSuppressed('\u0085', ' {}'), 'diff suppression trims as Go does');
  t.notOk(policyDiffSuppressed('\ufeff', '{}'), 'a byte order mark is no white space');
});

t.test('each statement must find its match: a looser match one way is not enough', async (t) => {
  const doc = (...statements: object[]) => JSON.stringify({ Statement: statements.map((s) => ({ Effect: 'Allow', Action: 'a:A', ...s })) });
  const p = { Principal: { AWS: 'arn:a' } };
  const n = { NotPrincipal: { AWS: 'arn:a' } };
  for (const [name, x] of [['Principal', p], ['NotPrincipal', n]] as const) {
    t.equal(comparePolicies(doc({}, x), doc(x, x)), false, `${name}: a statement without one`);
    t.equal(comparePolicies(doc(x, x), doc({}, x)), false, `${name}: a statement without one, second`);
    t.equal(comparePolicies(doc(x, {}), doc({}, {})), false, `${name}: against statements without`);
    t.equal(comparePolicies(doc({}, {}), doc(x, {})), false, `${name}: statements without against`);
  }
  const two = { Principal: { AWS: 'arn:a', Service: 's' } };
  t.equal(comparePolicies(doc(two, p), doc(p, p)), false, 'a principal type more');
  t.equal(comparePolicies(doc(p, p), doc(two, p)), false, 'a principal type less');
  const one = { Action: ['a'] };
  const both = { Action: ['a', 'b'] };
  t.equal(comparePolicies(doc(one, both), doc(both, both)), false, 'a subset of the actions');
  t.equal(comparePolicies(doc(both, both), doc(one, both)), false, 'a superset of the actions');
});

t.test('fields are not taken for one another', async (t) => {
  const doc = (stmt: object) => JSON.stringify({ Statement: [stmt] });
  const pairs: Array<[string, string, unknown]> = [
    ['Action', 'NotAction', 'a:A'],
    ['NotAction', 'Resource', 'a:A'],
    ['Resource', 'NotResource', 'arn:a'],
    ['NotResource', 'Principal', 'arn:a'],
    ['Principal', 'NotPrincipal', { AWS: 'arn:a' }],
    ['NotPrincipal', 'Condition', { AWS: { k: 'v' } }],
  ];
  for (const [x, y, value] of pairs) t.equal(comparePolicies(doc({ [x]: value }), doc({ [y]: value })), false, `${x} is not ${y}`);
});

t.test('condition keys and values that are no set', async (t) => {
  const eq = (x: unknown, y: unknown) => comparePolicies(one({ Condition: x }), reordered({ Condition: y }));
  t.equal(eq({ S: { k: [] } }, { S: { j: [] } }), false, 'another key, both empty');
  t.equal(eq({ S: { k: 'a' } }, { S: { k: {} } }), false, 'a set against no set');
  t.equal(eq({ S: { k: ['a', 'a'] } }, { S: { k: ['a', 'b'] } }), false);
  t.equal(eq({ S: { k: 'a' } }, null), false, 'conditions against none');
  t.equal(eq(null, { S: { k: 'a' } }), false, 'none against conditions');
  t.match(errorMessage(() => comparePolicies('{"Statement":[1]}', '{}')), /number/, 'the error names what it found');
});

t.test('identical documents: null, lists and objects are told apart', async (t) => {
  const broken = (action: unknown) => JSON.stringify({ Statement: [{ Sid: 1, Action: action }] });
  const unreadable = /^parsing policy 1: parsing statement 1: /;
  for (const [a, b] of [[null, {}], [{}, null], [null, []], [[], null], [[], {}], [{}, []], [[1], { 0: 1 }]]) {
    t.match(errorMessage(() => comparePolicies(broken(a), broken(b))), unreadable, `${JSON.stringify(a)} and ${JSON.stringify(b)}`);
  }
});
