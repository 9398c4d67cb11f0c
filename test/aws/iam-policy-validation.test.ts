// aws_iam_policy_document's argument checks (the attribute paths of their diagnostics), the source and override
// documents refused where hashicorp/aws 5.100.0 would crash, and Go's white space in the policy comparisons.
import t from 'tap';
import { renderPolicyDocument } from '../../src/aws/iam-policy/document';
import { comparePolicies, policiesEquivalent, policyToSet } from '../../src/aws/iam-policy/equivalence';
import { PolicyDocumentError } from '../../src/aws/iam-policy/model';
import { validatePolicyDocumentInput } from '../../src/aws/iam-policy/validation';

t.test('each argument error points at its attribute', async (t) => {
  const paths = (input: Parameters<typeof validatePolicyDocumentInput>[0]) => validatePolicyDocumentInput(input).map((e) => e.path);
  t.same(paths({ sourcePolicyDocuments: [null] }), [[{ attr: 'source_policy_documents' }]], 'a null document: the list');
  t.same(paths({ overridePolicyDocuments: ['{}', null] }), [[{ attr: 'override_policy_documents' }]]);
  t.same(paths({ sourceJson: '{}' }), [[{ attr: 'source_json' }]]);
  t.same(paths({ overrideJson: 'x' }), [[{ attr: 'override_json' }]]);
});

t.test('what the checks accept', async (t) => {
  t.same(validatePolicyDocumentInput({ sourceJson: '', overrideJson: '' }), [], 'the deprecated arguments, empty');
  t.same(validatePolicyDocumentInput({ sourceJson: null, overrideJson: null, statements: null }), []);
  t.same(validatePolicyDocumentInput({ statements: [{ effect: 'Allow' }, { effect: 'Deny' }, { effect: null }] }), [], 'both effects');
  t.same(validatePolicyDocumentInput({ sourcePolicyDocuments: ['', '{}'], overridePolicyDocuments: [''] }), [], 'empty documents');
  t.same(validatePolicyDocumentInput({ version: '2008-10-17' }), []);
});

t.test('documents on which hashicorp/aws crashes are refused with an error', async (t) => {
  const refused = (doc: string) => {
    try {
      renderPolicyDocument({ sourcePolicyDocuments: [doc] });
    } catch (e) {
      return e instanceof PolicyDocumentError ? e.message : `not a PolicyDocumentError: ${(e as Error).message}`;
    }
    return 'accepted';
  };
  t.match(refused('{"Statement":[null]}'), /^writing IAM Policy Document: merging source document 0: .*null statement/);
  t.match(refused('{"Statement":[{"Principal":{"AWS":["a",5]}}]}'), /^writing IAM Policy Document: merging source document 0: .*non-string principal identifier/);
  t.match(refused('{"Statement":[{"Condition":{"StringEquals":{"k":["a",true]}}}]}'), /^writing IAM Policy Document: merging source document 0: .*non-string condition value/);
  t.equal(refused('{"Statement":[{"Effect":"Allow","Principal":{"AWS":["a","b"]},"Condition":{"S":{"k":["a","b"],"n":5}}}]}'), 'accepted');
});

t.test('Go trims white space at both ends only', async (t) => {
  t.equal(comparePolicies('{"Id":"a b"}', '{"Id":"ab"}'), false);
  t.equal(comparePolicies(' \n {"Id":"a"} \t ', '{"Id":"a"}'), true);
  t.equal(comparePolicies('  [ {"Id":"a"} ]  ', '{"Id":"a"}'), true);
  t.equal(policyToSet('{"Id":"a"}', ' \n\t '), '', 'nothing from IAM');
  t.equal(policyToSet(' \n\t ', '{"Id":"a"}'), '{"Id":"a"}', 'nothing before');
  t.equal(policiesEquivalent('{}', '{'), false, 'an error reads as not equivalent');
  t.equal(comparePolicies('\v{}\v', '{}'), true, 'a vertical tab is white space');
  t.throws(() => policyToSet('{"Id":"V"}V', '{"Id":"a"}'), { message: /^while checking equivalency/ }, 'a letter is not');
});
