// hashicorp/aws's StateFuncs and DiffSuppressFuncs (src/aws/sdkv2-functions.ts), and their registration into the
// engine under the names provider-schema/ uses (src/aws/extensions.ts).
import t from 'tap';
import { isRegistered } from '../../src/engine/sdkv2';
import { getValidator } from '../../src/engine/validators';
import { registerAwsExtensions } from '../../src/aws/extensions';
import { DIFF_SUPPRESS_FUNCS, inlinePoliciesEquivalent, namedPolicies, STATE_FUNCS } from '../../src/aws/sdkv2-functions';
import { UNKNOWN } from '../../src/values/value';

const allow = (action: string) => `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"${action}","Resource":"*"}]}`;
const allowSpaced = (action: string) => `{ "Statement": [ { "Resource": "*", "Action": ["${action}"], "Effect": "Allow" } ], "Version": "2012-10-17" }`;

t.test('registerAwsExtensions registers every AWS validator, StateFunc and DiffSuppressFunc, and may be called again', async (t) => {
  registerAwsExtensions();
  registerAwsExtensions();
  t.ok(getValidator('arn'));
  t.ok(getValidator('nullable_bool'));
  for (const name of Object.keys(STATE_FUNCS)) t.ok(isRegistered('state_func', name), name);
  for (const name of Object.keys(DIFF_SUPPRESS_FUNCS)) t.ok(isRegistered('diff_suppress', name), name);
  t.same(getValidator('arn')!('nope', 'a', { kind: 'arn' }), ['"a" (nope) is an invalid ARN: arn: invalid prefix'], 'the AWS validator itself');
});

t.test('json_normalize and legacy_policy_normalize are the policy normalisations', async (t) => {
  t.equal(STATE_FUNCS.json_normalize!('{ "b": 1, "a": 2 }'), '{"a":2,"b":1}');
  t.equal(STATE_FUNCS.legacy_policy_normalize!('{"Statement":[],"Version":"2012-10-17"}'), '{"Version":"2012-10-17","Statement":[]}');
});

t.test('equivalent_policy: two equivalent policy documents are no change; anything but two strings is one', async (t) => {
  const suppress = DIFF_SUPPRESS_FUNCS.equivalent_policy!;
  t.ok(suppress(allow('s3:GetObject'), allowSpaced('s3:GetObject'), {}));
  t.notOk(suppress(allow('s3:GetObject'), allow('s3:PutObject'), {}));
  t.ok(suppress('', '{}', {}), 'empty and {} are both no policy');
  t.notOk(suppress(null, allow('s3:GetObject'), {}), 'a create');
  t.notOk(suppress(allow('s3:GetObject'), UNKNOWN, {}));
});

t.test('equivalent_inline_policies: the same names with equivalent documents are no change', async (t) => {
  const suppress = DIFF_SUPPRESS_FUNCS.equivalent_inline_policies!;
  const prior = [{ name: 'a', policy: allow('s3:GetObject') }, { name: 'b', policy: allow('sqs:*') }];
  t.ok(suppress(prior, [{ name: 'b', policy: allowSpaced('sqs:*') }, { name: 'a', policy: allowSpaced('s3:GetObject') }], {}));
  t.notOk(suppress(prior, [{ name: 'a', policy: allow('s3:GetObject') }, { name: 'b', policy: allow('sns:*') }], {}));
  t.notOk(suppress(prior, [{ name: 'a', policy: allow('s3:GetObject') }, { name: 'c', policy: allow('sqs:*') }], {}));
  t.notOk(suppress(prior, [{ name: 'a', policy: allow('s3:GetObject') }], {}));
  t.ok(suppress(null, [{ name: '', policy: '' }], {}), 'a block without a name stands for no policy');
});

t.test('unset_without_model_name: the variant weight is no change only for a variant without a model name', async (t) => {
  const suppress = DIFF_SUPPRESS_FUNCS.unset_without_model_name!;
  t.ok(suppress(null, null, { model_name: null }));
  t.ok(suppress(null, null, { model_name: '' }));
  t.notOk(suppress(null, null, { model_name: 'm' }));
  t.notOk(suppress(null, null, { model_name: UNKNOWN }), 'a name known only at apply is a name');
});

t.test('namedPolicies: the named blocks, a missing policy read as empty', async (t) => {
  t.same(namedPolicies([{ name: 'a', policy: 'p' }, { name: '', policy: 'q' }, { name: null, policy: 'r' }, null, { name: 'b', policy: null }]), [
    { name: 'a', policy: 'p' },
    { name: 'b', policy: '' },
  ]);
  t.same(namedPolicies(null), []);
  t.same(namedPolicies(UNKNOWN), []);
});

t.test('inlinePoliciesEquivalent: as many policies, each name found with an equivalent document', async (t) => {
  t.ok(inlinePoliciesEquivalent([], []));
  t.notOk(inlinePoliciesEquivalent([{ name: 'a', policy: allow('x:y') }], []));
  t.notOk(inlinePoliciesEquivalent([], [{ name: 'a', policy: allow('x:y') }]));
  t.ok(inlinePoliciesEquivalent([{ name: 'a', policy: allow('x:y') }], [{ name: 'a', policy: allowSpaced('x:y') }]));
  t.notOk(inlinePoliciesEquivalent([{ name: 'a', policy: allow('x:y') }], [{ name: 'b', policy: allow('x:y') }]));
  t.notOk(inlinePoliciesEquivalent([{ name: 'a', policy: allow('x:y') }], [{ name: 'a', policy: 'not json' }]));
});
