// Records test/fixtures/policy-documents/ from the real hashicorp/aws provider (see record-terraform.mjs):
//   node scripts/record-policy-fixtures.mjs   (TF_PLUGIN_MIRROR=<mirror dir> to choose the mirror)
//
// Each case is an input of src/aws/iam-policy/document.ts's renderPolicyDocument; the script writes it as an
// aws_iam_policy_document data source, lets Terraform compute it, and stores the input, the HCL and
// what the provider produced (json, minified_json, id, or the error diagnostic). The
// assume_role_policy cases go through aws_iam_role's validator in the same way.

import { mkdirSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratchDir, providerBlock, requiredProviders, hclString, hclList, PROVIDER_VERSION } from './record-terraform.mjs';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'policy-documents');

const sagemakerAssumeRole = {
  statements: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['sagemaker.amazonaws.com'] }] }],
};

const sourceA = JSON.stringify({
  Version: '2008-10-17',
  Id: 'from-source',
  Statement: [
    { Sid: 'Keep', Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: '*' },
    { Sid: 'Replaced', Effect: 'Allow', Action: 's3:*', Resource: '*' },
    { Effect: 'Deny', Action: 'iam:*', Resource: '*' },
  ],
});
const sourceB = JSON.stringify({
  Statement: [{ Sid: 'Second', Effect: 'Allow', NotAction: 'ec2:*', NotResource: ['b', 'a'] }],
});

/** Successful documents: name -> input. */
const documents = {
  'docs-example-assume-role': sagemakerAssumeRole,
  'sorting-and-single-values': {
    statements: [
      {
        sid: 'Sorting',
        actions: ['s3:GetObject', 's3:ListBucket', 'ec2:Describe*', 'S3:Upper'],
        notActions: ['iam:PassRole'],
        resources: ['arn:aws:s3:::b/*', 'arn:aws:s3:::a', 'arn:aws:s3:::b'],
        notResources: ['x'],
      },
      { effect: 'Deny', notActions: ['b', 'a', 'c'], resources: ['*'] },
    ],
  },
  'principals-merge-by-type': {
    statements: [
      {
        actions: ['sts:AssumeRole'],
        principals: [
          { type: 'AWS', identifiers: ['arn:aws:iam::111111111111:root'] },
          { type: 'AWS', identifiers: ['222222222222', '333333333333'] },
          { type: 'Service', identifiers: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] },
          { type: 'AWS', identifiers: ['arn:aws:iam::444444444444:role/x'] },
          { type: 'Federated', identifiers: ['cognito-identity.amazonaws.com'] },
        ],
        notPrincipals: [
          { type: 'AWS', identifiers: ['arn:aws:iam::555555555555:user/a'] },
          { type: 'AWS', identifiers: ['arn:aws:iam::555555555555:user/b'] },
        ],
      },
    ],
  },
  'principal-wildcards': {
    statements: [
      { sid: 'Star', actions: ['s3:GetObject'], principals: [{ type: '*', identifiers: ['*'] }] },
      { sid: 'AwsStar', actions: ['s3:GetObject'], principals: [{ type: 'AWS', identifiers: ['*'] }] },
      { sid: 'StarPlus', actions: ['s3:GetObject'], principals: [{ type: '*', identifiers: ['*', 'x'] }] },
      { sid: 'StarTwice', actions: ['s3:GetObject'], principals: [{ type: '*', identifiers: ['*'] }, { type: 'AWS', identifiers: ['y'] }] },
    ],
  },
  'conditions-merge-and-order': {
    statements: [
      {
        actions: ['s3:*'],
        resources: ['*'],
        conditions: [
          { test: 'StringEquals', variable: 'aws:PrincipalTag/team', values: ['b', 'a', 'c'] },
          { test: 'StringEquals', variable: 'aws:PrincipalTag/team', values: ['z'] },
          { test: 'StringEquals', variable: 'aws:PrincipalTag/team', values: ['y', 'x'] },
          { test: 'StringLike', variable: 's3:prefix', values: ['home/'] },
          { test: 'Bool', variable: 'aws:SecureTransport', values: ['true'] },
          { test: 'ArnLike', variable: 'aws:SourceArn', values: [] },
          { test: 'StringEquals', variable: 'aws:RequestedRegion', values: ['eu-west-1'] },
        ],
      },
    ],
  },
  'variable-rewriting': {
    statements: [
      {
        actions: ['s3:&{ignored}'],
        resources: ['arn:aws:s3:::bucket/&{aws:username}/*', 'arn:aws:s3:::bucket/&{aws:userid}'],
        notResources: ['arn:aws:s3:::other/&{aws:username}'],
        principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::111111111111:user/&{aws:username}'] }],
        conditions: [{ test: 'StringLike', variable: 's3:prefix', values: ['&{aws:username}/*', 'plain', '&{a}&{b}'] }],
      },
    ],
  },
  'escaping-go-json': {
    policyId: 'id <&> \u2028 \u2029',
    statements: [
      {
        sid: 'Escapes',
        actions: ['a<b', 'c>d', 'e&f'],
        resources: ['tab\there', 'quote"back\\slash', 'ctrl\u0001\u001f\u007f', 'bell\u0008form\u000c', 'é ü 中 😀', 'line\nbreak\r'],
        conditions: [{ test: 'StringEquals', variable: 'k<>&', values: ['v\u2028', '/slash'] }],
      },
    ],
  },
  'policy-id-and-old-version': {
    policyId: 'MyPolicy',
    version: '2008-10-17',
    statements: [{ sid: '', effect: 'Deny', actions: ['*'], resources: ['*'] }],
  },
  'no-statements': {},
  'empty-statement-and-empty-strings': {
    statements: [
      {},
      { sid: 'EmptyStrings', actions: [''], resources: ['', 'a'], conditions: [{ test: 'StringEquals', variable: 'x', values: [''] }] },
      { sid: 'EmptyIdentifiers', principals: [{ type: 'AWS', identifiers: [] }] },
    ],
  },
  'source-documents-merge': {
    sourcePolicyDocuments: [sourceA, sourceB],
    statements: [
      { sid: 'Replaced', effect: 'Deny', actions: ['s3:DeleteObject'], resources: ['*'] },
      { sid: 'Own', actions: ['sqs:SendMessage'], resources: ['*'] },
      { actions: ['sns:Publish'], resources: ['*'] },
    ],
  },
  'override-documents-merge': {
    policyId: 'own-id',
    statements: [
      { sid: 'A', actions: ['s3:GetObject'], resources: ['*'] },
      { sid: 'B', actions: ['s3:PutObject'], resources: ['*'] },
    ],
    overridePolicyDocuments: [
      JSON.stringify({ Id: 'override-id', Statement: [{ Sid: 'B', Effect: 'Deny', Action: 'x:Y', Resource: 'r' }] }),
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'C', Effect: 'Allow', Action: 'c:C' }, { Effect: 'Allow', Action: 'd:D' }] }),
    ],
  },
  'source-json-go-round-trip': {
    sourcePolicyDocuments: [
      '{"version":"2012-10-17","statement":[{"sid":"Lower","effect":"Allow","action":["z:Z","a:A","m:M"],' +
        '"Resource":{"z":1.0,"a":[1e21,1e-7,-0,0.000001,123456789012345678901234,1.5e300,2.50],"m":true,"n":null,"<":"&"},' +
        '"Principal":"anything","Unknown":"dropped"},' +
        '{"Sid":"Principals","Effect":"Deny","Action":"s3:*","Principal":{"AWS":["b","c","a"],"Service":"s.amazonaws.com"},' +
        '"NotPrincipal":{"AWS":"*"},' +
        '"Condition":{"Bool":{"aws:SecureTransport":false,"aws:ViaAWSService":"true"},"NumericLessThan":{"n":5},' +
        '"StringEquals":{"k":["v2","v1"],"e":[]}}},' +
        '{"Effect":"Allow","Action":[],"NotAction":null,"Principal":{}}]}',
      '{"Statement":[{"Sid":"Escaped\\u00e9","Effect":"Allow","Action":"\\u003c\\ud83d\\ude00\\ud800x","Resource":"\\/"}]}',
    ],
  },
  'source-only-no-version': {
    version: '2008-10-17',
    sourcePolicyDocuments: ['{"Statement":[{"Effect":"Allow","Action":"a:B","Resource":"*"}]}', '{}', 'null'],
  },
  // 5.100.0 has no validator on sid (later versions require ^[a-zA-Z0-9]*$).
  'sid-with-any-characters': { statements: [{ actions: ['a:A'] }, { sid: 'not-alnum <&>', actions: ['a:A'] }] },
  'source-empty-string': { sourcePolicyDocuments: [''], overridePolicyDocuments: [''] },
  'source-empty-string-mixed': {
    sourcePolicyDocuments: ['{"Statement":[{"Sid":"A","Effect":"Allow","Action":"a:A"}]}', ''],
    overridePolicyDocuments: ['', '{"Statement":[{"Sid":"B","Effect":"Allow","Action":"b:B"}]}'],
  },
  'foreign-version-and-id-from-documents': {
    sourcePolicyDocuments: ['{"Version":"2099-01-01","Id":"src"}'],
    overridePolicyDocuments: ['{"Id":"","Version":"1999"}', '{"Statement":[{"Sid":"S","Effect":"Deny"}]}'],
    statements: [{ sid: 'S', actions: ['a:A'] }, { actions: ['b:B'] }],
  },
  'version-from-source-wins': {
    version: '2008-10-17',
    sourcePolicyDocuments: ['{"Version":"2012-10-17","Statement":[]}'],
    statements: [{ actions: ['a:A'] }],
  },
};

/** Error cases: name -> input; the recorded error is the provider's diagnostic. */
const errorDocuments = {
  'error-duplicate-sid': { statements: [{ sid: 'Same', actions: ['a:A'] }, { sid: 'Other' }, { sid: 'Same', actions: ['b:B'] }] },
  'error-duplicate-sid-across-sources': {
    sourcePolicyDocuments: ['{"Statement":[{"Sid":"X","Effect":"Allow","Action":"a:A"}]}', '{"Statement":[{"Sid":"Y"},{"Sid":"X"}]}'],
  },
  'error-duplicate-sid-within-source': { sourcePolicyDocuments: ['{"Statement":[{"Sid":"X"},{"Sid":"X"}]}'] },
  'error-old-version-variable-in-resources': { version: '2008-10-17', statements: [{ resources: ['arn:a', 'arn:&{aws:username}', 'arn:&{z}'] }] },
  'error-old-version-variable-in-not-resources': { version: '2008-10-17', statements: [{ notResources: ['arn:&{aws:username}'] }] },
  'error-old-version-variable-in-principals': {
    version: '2008-10-17',
    statements: [{ principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::1:user/&{aws:username}'] }] }],
  },
  'error-old-version-variable-in-not-principals': {
    version: '2008-10-17',
    statements: [{ notPrincipals: [{ type: 'AWS', identifiers: ['&{x}'] }] }],
  },
  'error-old-version-variable-in-condition': {
    version: '2008-10-17',
    statements: [{ conditions: [{ test: 'StringLike', variable: 's3:prefix', values: ['ok', '&{aws:username}'] }] }],
  },
  'error-source-statement-object': { sourcePolicyDocuments: ['{"Statement":{"Effect":"Allow"}}'] },
  'error-source-version-number': { sourcePolicyDocuments: ['{"Version":2012}'] },
  'error-source-sid-bool': { sourcePolicyDocuments: ['{"Statement":[{"Sid":true}]}'] },
  'error-source-principal-number': { sourcePolicyDocuments: ['{"Statement":[{"Principal":5}]}'] },
  'error-source-principal-null': { sourcePolicyDocuments: ['{"Statement":[{"Principal":null}]}'] },
  'error-source-principal-identifier-number': { sourcePolicyDocuments: ['{"Statement":[{"Principal":{"AWS":5}}]}'] },
  'error-source-top-level-array': { sourcePolicyDocuments: ['[]'] },
  'error-override-condition-string': { overridePolicyDocuments: ['{"Statement":[{"Condition":"x"}]}'] },
  'error-override-condition-inner-string': { overridePolicyDocuments: ['{"Statement":[{"Condition":{"StringEquals":"x"}}]}'] },
};

/** Validation error cases (reported before anything is read). */
const invalidDocuments = {
  'invalid-effect': { statements: [{ effect: 'allow' }] },
  'invalid-version': { version: '2010-01-01' },
  'invalid-source-json': { sourcePolicyDocuments: ['{"Statement":[]}', '{"a":tru}'] },
  'invalid-override-json': { overridePolicyDocuments: ['{'] },
  'invalid-source-json-argument': { sourceJson: '{}' },
  'invalid-override-json-argument': { overrideJson: 'x' },
  'invalid-empty-effect-and-version': { version: '', statements: [{ effect: '', actions: ['a:A'] }] },
  'invalid-null-document': { overridePolicyDocuments: ['{}', null] },
  'invalid-several-at-once': { version: '1', statements: [{ sid: 'a b', effect: 'Maybe' }] },
};

function statementHcl(st) {
  const lines = ['  statement {'];
  const attr = (k, v) => { if (v !== undefined) lines.push(`    ${k} = ${Array.isArray(v) ? hclList(v) : hclString(v)}`); };
  attr('sid', st.sid);
  attr('effect', st.effect);
  attr('actions', st.actions);
  attr('not_actions', st.notActions);
  attr('resources', st.resources);
  attr('not_resources', st.notResources);
  for (const [block, list] of [['principals', st.principals], ['not_principals', st.notPrincipals]]) {
    for (const p of list ?? []) lines.push(`    ${block} {\n      type        = ${hclString(p.type)}\n      identifiers = ${hclList(p.identifiers)}\n    }`);
  }
  for (const c of st.conditions ?? []) {
    lines.push(`    condition {\n      test     = ${hclString(c.test)}\n      variable = ${hclString(c.variable)}\n      values   = ${hclList(c.values)}\n    }`);
  }
  lines.push('  }');
  return lines.join('\n');
}

/** The data source block for an input, exactly as recorded in the fixture. */
function documentHcl(name, input) {
  const lines = [`data "aws_iam_policy_document" ${JSON.stringify(name)} {`];
  if (input.policyId !== undefined) lines.push(`  policy_id = ${hclString(input.policyId)}`);
  if (input.version !== undefined) lines.push(`  version   = ${hclString(input.version)}`);
  if (input.sourceJson !== undefined) lines.push(`  source_json = ${hclString(input.sourceJson)}`);
  if (input.overrideJson !== undefined) lines.push(`  override_json = ${hclString(input.overrideJson)}`);
  const docs = (k, list) => {
    if (list !== undefined) lines.push(`  ${k} = [${list.map((d) => (d === null ? 'null' : hclString(d))).join(', ')}]`);
  };
  docs('source_policy_documents', input.sourcePolicyDocuments);
  docs('override_policy_documents', input.overridePolicyDocuments);
  for (const st of input.statements ?? []) lines.push(statementHcl(st));
  lines.push('}');
  return lines.join('\n') + '\n';
}

/** Builds one main.tf with every case, remembering each block's line span to attribute diagnostics. */
function buildConfig(cases, withOutputs) {
  let text = requiredProviders() + providerBlock();
  const spans = [];
  for (const [name, input] of Object.entries(cases)) {
    const hcl = documentHcl(name, input);
    const start = text.split('\n').length;
    text += '\n' + hcl;
    spans.push({ name, hcl, from: start, to: text.split('\n').length });
    if (withOutputs) {
      text += `output ${JSON.stringify(name)} {\n  value = {\n    json          = data.aws_iam_policy_document.${name}.json\n    minified_json = data.aws_iam_policy_document.${name}.minified_json\n    id            = data.aws_iam_policy_document.${name}.id\n  }\n}\n`;
    }
  }
  return { text, spans };
}

function caseFor(spans, diag) {
  const line = diag.range?.start?.line;
  const span = spans.find((s) => line >= s.from && line <= s.to);
  if (!span) throw new Error('cannot attribute diagnostic: ' + JSON.stringify(diag));
  return span;
}

function writeFixture(name, fixture) {
  writeFileSync(join(outDir, `${name}.json`), JSON.stringify({ provider: `hashicorp/aws ${PROVIDER_VERSION}`, ...fixture }, null, 2) + '\n');
}

function recordDocuments() {
  const { text, spans } = buildConfig(documents, true);
  const tf = scratchDir(text);
  try {
    const apply = tf.run(['apply', '-auto-approve', '-no-color', '-input=false']);
    if (apply.status !== 0) throw new Error('apply failed:\n' + apply.stdout + apply.stderr);
    const outputs = JSON.parse(tf.run(['output', '-json']).stdout);
    for (const span of spans) {
      const v = outputs[span.name].value;
      writeFixture(span.name, { input: documents[span.name], hcl: span.hcl, json: v.json, minified_json: v.minified_json, id: v.id });
    }
  } finally {
    tf.remove();
  }
}

function recordErrors(cases, command) {
  const { text, spans } = buildConfig(cases, false);
  const tf = scratchDir(text);
  try {
    const diags = tf.diagnostics(command);
    const byCase = new Map();
    for (const d of diags) {
      const span = caseFor(spans, d);
      if (!byCase.has(span.name)) byCase.set(span.name, []);
      byCase.get(span.name).push({ summary: d.summary, detail: d.detail ?? '' });
    }
    const missing = spans.filter((s) => !byCase.has(s.name)).map((s) => s.name);
    if (missing.length) throw new Error(`no error recorded for ${missing.join(', ')}`);
    for (const span of spans) writeFixture(span.name, { input: cases[span.name], hcl: span.hcl, errors: byCase.get(span.name) });
  } finally {
    tf.remove();
  }
}

// aws_iam_role.assume_role_policy validation (verify.ValidIAMPolicyJSON): value -> error summaries.
const assumeRolePolicies = [
  '',
  ' {}',
  '\n{}',
  ' ',
  '\n',
  ' x',
  '\t[]',
  ' {"a":1,}',
  '\u00a0{}',
  '\u000b{}',
  '\u2028',
  '{}\u00a0',
  ' "{\\"a\\":1}"',
  '"policy.json"',
  JSON.stringify(JSON.stringify({ Version: '2012-10-17' })),
  '"just a string"',
  '"unterminated',
  '[]',
  'x',
  '{',
  '{"a":tru}',
  '{"a":1,}',
  '{"a":01}',
  '{"a":-}',
  '{"a":1.}',
  '{"a":1e}',
  '{"a":"\u0001"}',
  '{"a":"\\x"}',
  '{"a":"\\u12"}',
  '{"a" 1}',
  '{a:1}',
  '{"a":1} x',
  '{"a":nul}',
  '{"a":fals',
  '{"é":1}é',
  '{"a":[1 2]}',
  '{} \'',
  '{"Version":"2012-10-17","Version":"2008-10-17"}',
  '{"Statement":[{"Effect":"Allow","Effect":"Deny","Principal":{"AWS":"a","AWS":"b"}}],"Statement":[]}',
  '{"Statement":[{"Condition":{"StringEquals":{"a":"1","a":"2"},"StringLike":{"b":"1","b":"2"}}}]}',
  '{"a":{"b":{"c":{"d":1,"d":2},"e":{"f":1,"f":2}}}}',
  '{"a":[{"b":1,"b":2},{"c":1,"c":2}],"d":[[{"e":1,"e":2}]]}',
  '{"a":1e400}',
  '{"a":"\\ud800 \\u00e9"}',
  '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Principal":"*"}}',
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"sagemaker.amazonaws.com"}}]}',
  '{}',
];

function roleHcl(i, value) {
  return `resource "aws_iam_role" "r${i}" {\n  name               = "r${i}"\n  assume_role_policy = ${hclString(value)}\n}\n`;
}

function recordAssumeRolePolicies() {
  let text = requiredProviders() + providerBlock();
  const spans = [];
  assumeRolePolicies.forEach((value, i) => {
    const start = text.split('\n').length;
    text += '\n' + roleHcl(i, value);
    spans.push({ name: i, from: start, to: text.split('\n').length });
  });
  const tf = scratchDir(text);
  try {
    const diags = tf.diagnostics(['validate', '-json', '-no-color']);
    const results = assumeRolePolicies.map((value) => ({ value, errors: [] }));
    for (const d of diags) results[caseFor(spans, d).name].errors.push(d.summary);
    writeFixture('assume-role-policy-validation', { cases: results });
  } finally {
    tf.remove();
  }
}

mkdirSync(outDir, { recursive: true });
for (const f of readdirSync(outDir)) if (f.endsWith('.json')) rmSync(join(outDir, f));
recordDocuments();
recordErrors(errorDocuments, ['plan', '-json', '-no-color', '-input=false']);
recordErrors(invalidDocuments, ['validate', '-json', '-no-color']);
recordAssumeRolePolicies();
console.log('recorded into', outDir);
