// aws_iam_policy_document against outputs recorded once from hashicorp/aws 5.100.0
// (scripts/record-policy-fixtures.mjs).
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderPolicyDocument } from '../../src/aws/iam-policy/document';
import { PolicyDocumentError, type PolicyDocumentInput, type PolicyStatementInput } from '../../src/aws/iam-policy/model';
import { crc32 } from '../../src/aws/iam-policy/sdk-hashcode';
import { validatePolicyDocumentInput } from '../../src/aws/iam-policy/validation';

const dir = join(__dirname, '..', 'fixtures', 'policy-documents');

interface DocumentFixture {
  input: PolicyDocumentInput;
  hcl: string;
  json?: string;
  minified_json?: string;
  id?: string;
  errors?: Array<{ summary: string; detail: string }>;
}

const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'assume-role-policy-validation.json')
  .map((f) => ({ name: f.replace(/\.json$/, ''), ...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as DocumentFixture) }));

t.ok(fixtures.filter((f) => f.json !== undefined).length >= 12, 'at least 12 recorded documents');

for (const fx of fixtures.filter((f) => f.json !== undefined)) {
  t.test(`document ${fx.name}`, async (t) => {
    t.same(validatePolicyDocumentInput(fx.input), [], 'passes validation');
    const out = renderPolicyDocument(fx.input);
    t.equal(out.json, fx.json, 'json bytes');
    t.equal(out.minifiedJson, fx.minified_json, 'minified_json bytes');
    t.equal(out.id, fx.id, 'id');
  });
}

for (const fx of fixtures.filter((f) => f.name.startsWith('invalid-'))) {
  t.test(`validation ${fx.name}`, async (t) => {
    // The SDK walks the schema as a Go map, so the order of several errors varies from run to run.
    const bySummary = (a: { summary: string }, b: { summary: string }) => (a.summary < b.summary ? -1 : 1);
    const errors = validatePolicyDocumentInput(fx.input);
    t.same(errors.map((e) => ({ summary: e.message, detail: e.detail })).sort(bySummary), [...fx.errors!].sort(bySummary), 'every validation error');
    t.throws(() => renderPolicyDocument(fx.input), PolicyDocumentError, 'render refuses the input');
  });
}

for (const fx of fixtures.filter((f) => f.name.startsWith('error-'))) {
  t.test(`read error ${fx.name}`, async (t) => {
    t.same(validatePolicyDocumentInput(fx.input), [], 'passes validation');
    let caught: unknown;
    try {
      renderPolicyDocument(fx.input);
    } catch (e) {
      caught = e;
    }
    t.ok(caught instanceof PolicyDocumentError, 'throws a PolicyDocumentError');
    const err = caught as PolicyDocumentError;
    t.equal(err.message, fx.errors![0].summary);
    t.equal(err.detail, fx.errors![0].detail);
    t.same(err.path, [], 'read errors carry no attribute path');
  });
}

t.test('validation errors carry the attribute path', async (t) => {
  const errors = validatePolicyDocumentInput({
    version: 'x',
    sourcePolicyDocuments: ['{}', '{'],
    statements: [{}, { effect: 'allow' }],
  });
  t.same(
    errors.map((e) => e.path),
    [
      [{ attr: 'source_policy_documents' }, { index: 1 }],
      [{ attr: 'statement' }, { index: 1 }, { attr: 'effect' }],
      [{ attr: 'version' }],
    ],
  );
});

// Terraform hands sets over in its own order; the result must not depend on it.
function reversedSets(input: PolicyDocumentInput): PolicyDocumentInput {
  const rev = <T>(l: T[] | null | undefined) => (l ? [...l].reverse() : l);
  const stmt = (s: PolicyStatementInput): PolicyStatementInput => ({
    ...s,
    actions: rev(s.actions),
    notActions: rev(s.notActions),
    resources: rev(s.resources),
    notResources: rev(s.notResources),
    principals: rev(s.principals)?.map((p) => ({ ...p, identifiers: rev(p.identifiers) ?? null })),
    notPrincipals: rev(s.notPrincipals)?.map((p) => ({ ...p, identifiers: rev(p.identifiers) ?? null })),
    conditions: rev(s.conditions),
  });
  return { ...input, statements: input.statements?.map(stmt) };
}

t.test('set arguments are order-independent', async (t) => {
  for (const fx of fixtures.filter((f) => f.json !== undefined)) {
    t.equal(renderPolicyDocument(reversedSets(fx.input)).json, fx.json, fx.name);
  }
});

t.test('nulls from Terraform are treated as absent', async (t) => {
  const out = renderPolicyDocument({
    policyId: null,
    version: null,
    sourcePolicyDocuments: null,
    overridePolicyDocuments: null,
    statements: [{ sid: null, effect: null, actions: ['a:A'], notActions: null, resources: null, principals: null, conditions: null }],
  });
  t.equal(out.minifiedJson, '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a:A"}]}');
  const blocks = (identifiers: string[] | null, values: string[] | null) =>
    renderPolicyDocument({
      statements: [
        {
          actions: ['a:A'],
          // Blocks of other types and tests, so that the order of the blocks shows too.
          principals: [{ type: 'AWS', identifiers }, { type: 'Service', identifiers: ['svc'] }, { type: 'Federated', identifiers: ['y'] }],
          conditions: [{ test: 'T', variable: 'v', values }, { test: 'U', variable: 'w', values: ['x'] }, { test: 'T', variable: 'w', values: ['z'] }],
        },
      ],
    }).minifiedJson;
  t.equal(blocks(null, null), blocks([], []), 'null identifiers and values are empty ones');
});

t.test('id is the decimal CRC-32 of json', async (t) => {
  t.equal(crc32(''), 0);
  t.equal(crc32('123456789'), 0xcbf43926, 'the standard check value');
  const out = renderPolicyDocument({ statements: [{ actions: ['x:Y'] }] });
  t.equal(out.id, String(crc32(out.json)));
});
