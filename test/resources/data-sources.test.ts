// The two data sources through the provider engine, against what hashicorp/aws 5.100.0 answered for the same
// configurations (test/fixtures/policy-documents/, test/fixtures/prebuilt-ecr/, recorded by scripts/record-*.mjs):
// aws_iam_policy_document's json, minified_json and id, and its errors with their attribute paths;
// aws_sagemaker_prebuilt_ecr_image's registry path, in the region argument or the provider's, with the DNS suffix of
// the provider's partition unless one is given.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { completeObject } from '../../src/engine/schema';
import type { ProviderEngine } from '../../src/engine/lifecycle';
import type { AwsMeta } from '../../src/aws/meta';
import type { PolicyDocumentInput, PolicyPrincipalInput } from '../../src/aws/iam-policy/model';
import type { ObjectValue } from '../../src/values/value';
import { FakeSageMaker, engineWith } from './fake-sagemaker';

const signal = new AbortController().signal;
const fixtures = join(__dirname, '..', 'fixtures');
const load = <T>(path: string): T => JSON.parse(readFileSync(join(fixtures, path), 'utf8')) as T;

interface DocumentFixture {
  input: PolicyDocumentInput;
  json?: string;
  minified_json?: string;
  id?: string;
  errors?: { summary: string; detail: string }[];
}

const POLICY = 'aws_iam_policy_document';
const IMAGE = 'aws_sagemaker_prebuilt_ecr_image';

async function read(engine: ProviderEngine<AwsMeta>, type: string, values: ObjectValue) {
  return engine.readDataSource(type, completeObject(engine.dataSource(type).schema.block, values), signal);
}

/** The data source's configuration written from the recorded arguments (the fixture's HCL, as values). */
function policyConfig(input: PolicyDocumentInput): ObjectValue {
  const principals = (list: PolicyPrincipalInput[] | null | undefined) => (list ?? []).map((p) => ({ type: p.type, identifiers: p.identifiers }));
  return {
    policy_id: input.policyId ?? null,
    version: input.version ?? null,
    source_policy_documents: input.sourcePolicyDocuments ?? null,
    override_policy_documents: input.overridePolicyDocuments ?? null,
    source_json: input.sourceJson ?? null,
    override_json: input.overrideJson ?? null,
    statement: (input.statements ?? []).map((s) => ({
      sid: s.sid ?? null,
      effect: s.effect ?? null,
      actions: s.actions ?? null,
      not_actions: s.notActions ?? null,
      resources: s.resources ?? null,
      not_resources: s.notResources ?? null,
      principals: principals(s.principals),
      not_principals: principals(s.notPrincipals),
      condition: (s.conditions ?? []).map((c) => ({ test: c.test, variable: c.variable, values: c.values })),
    })),
  };
}

const documents = readdirSync(join(fixtures, 'policy-documents'))
  .filter((f) => f.endsWith('.json') && f !== 'assume-role-policy-validation.json')
  .map((f) => ({ name: f.replace(/\.json$/, ''), ...load<DocumentFixture>(join('policy-documents', f)) }));

t.test('aws_iam_policy_document: every recorded document, byte for byte, with its id', async (t) => {
  const engine = await engineWith(new FakeSageMaker());
  const rendered = documents.filter((d) => d.json !== undefined);
  t.ok(rendered.length >= 12);
  for (const fixture of rendered) {
    const { state, diagnostics } = await read(engine, POLICY, policyConfig(fixture.input));
    t.same(diagnostics, [], fixture.name);
    t.match(state, { json: fixture.json, minified_json: fixture.minified_json, id: fixture.id }, fixture.name);
  }
});

t.test('aws_iam_policy_document: an error while rendering is hashicorp/aws\'s, without an attribute path', async (t) => {
  const engine = await engineWith(new FakeSageMaker());
  const failing = documents.filter((d) => d.name.startsWith('error-'));
  t.ok(failing.length >= 5);
  for (const fixture of failing) {
    const { state, diagnostics } = await read(engine, POLICY, policyConfig(fixture.input));
    t.equal(state, null, fixture.name);
    const [{ summary, detail }] = fixture.errors!;
    t.same(diagnostics, [{ severity: 'error', summary, detail: detail || undefined, path: [] }], fixture.name);
  }
});

t.test('aws_iam_policy_document: invalid arguments are reported as hashicorp/aws reports them, every one', async (t) => {
  const engine = await engineWith(new FakeSageMaker());
  const invalid = documents.filter((d) => d.name.startsWith('invalid-'));
  t.ok(invalid.length >= 5);
  for (const fixture of invalid) {
    const { state, diagnostics } = await read(engine, POLICY, policyConfig(fixture.input));
    t.equal(state, null, fixture.name);
    // The recordings hold the errors (a deprecated argument's warning apart).
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const sorted = (list: { summary: string; detail?: string }[]) => list.map((d) => [d.summary, d.detail || '']).sort();
    t.same(sorted(errors), sorted(fixture.errors!), fixture.name);
    t.ok(errors.every((d) => (d.path ?? []).length > 0), `${fixture.name}: each on its attribute`);
  }
});

interface Recorded {
  providerRegion: string;
  byRegionArgument: Record<string, Record<string, string | { error: string }>>;
  byProviderRegion: Record<string, Record<string, string | { error: string }>>;
}

t.test('aws_sagemaker_prebuilt_ecr_image: the registry of the region argument, else of the provider\'s region', async (t) => {
  const paths = load<Recorded>('prebuilt-ecr/registry-paths.json');
  const inProviderRegion = await engineWith(new FakeSageMaker(), {}, undefined, paths.providerRegion);
  const [region, byRepository] = Object.entries(paths.byRegionArgument).find(([, repos]) => Object.values(repos).some((p) => typeof p === 'string'))!;
  const [repository, path] = Object.entries(byRepository).find(([, p]) => typeof p === 'string') as [string, string];
  const { state, diagnostics } = await read(inProviderRegion, IMAGE, { repository_name: repository, region });
  t.same(diagnostics, []);
  t.match(state, { region, registry_path: path, id: path.split('.')[0], registry_id: path.split('.')[0] });

  const [providerRegion, byRepositoryHere] = Object.entries(paths.byProviderRegion).find(([, repos]) => Object.values(repos).some((p) => typeof p === 'string'))!;
  const [repositoryHere, pathHere] = Object.entries(byRepositoryHere).find(([, p]) => typeof p === 'string') as [string, string];
  const here = await engineWith(new FakeSageMaker(), {}, undefined, providerRegion);
  const read2 = await read(here, IMAGE, { repository_name: repositoryHere });
  t.same(read2.diagnostics, []);
  t.match(read2.state, { region: providerRegion, registry_path: pathHere });
});

t.test('aws_sagemaker_prebuilt_ecr_image: a repository without a registry in the region is an error', async (t) => {
  const paths = load<Recorded>('prebuilt-ecr/registry-paths.json');
  const [region, byRepository] = Object.entries(paths.byRegionArgument).find(([, repos]) => Object.values(repos).some((p) => typeof p !== 'string'))!;
  const [repository, recorded] = Object.entries(byRepository).find(([, p]) => typeof p !== 'string') as [string, { error: string }];
  const engine = await engineWith(new FakeSageMaker(), {}, undefined, paths.providerRegion);
  const { state, diagnostics } = await read(engine, IMAGE, { repository_name: repository, region });
  t.equal(state, null);
  t.same(diagnostics.map((d) => [d.severity, d.summary]), [['error', 'reading SageMaker AI Prebuilt ECR Image']]);
  t.ok(recorded.error.includes(diagnostics[0].detail!), `the detail is hashicorp/aws's: ${diagnostics[0].detail}`);
});

t.test('aws_sagemaker_prebuilt_ecr_image: the DNS suffix is the provider partition\'s, whatever the region; or the one given', async (t) => {
  const suffixes = load<{ byProviderRegion: Record<string, string>; explicitArguments: { id: string; registryId: string; registryPath: string } }>('prebuilt-ecr/dns-suffixes.json');
  for (const [providerRegion, suffix] of Object.entries(suffixes.byProviderRegion)) {
    const engine = await engineWith(new FakeSageMaker(), {}, undefined, providerRegion);
    const { state } = await read(engine, IMAGE, { repository_name: 'kmeans', region: 'us-west-2' });
    t.equal(state!.registry_path, `174872318107.dkr.ecr.us-west-2.${suffix}/kmeans:1`, providerRegion);
  }
  const engine = await engineWith(new FakeSageMaker(), {}, undefined, 'us-east-1');
  const { state } = await read(engine, IMAGE, { repository_name: 'sagemaker-xgboost', image_tag: '1.7-1', dns_suffix: 'example.test', region: 'eu-west-1' });
  const explicit = suffixes.explicitArguments;
  t.match(state, { id: explicit.id, registry_id: explicit.registryId, registry_path: explicit.registryPath, dns_suffix: 'example.test' });
});
