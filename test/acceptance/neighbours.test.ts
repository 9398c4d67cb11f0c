// The documented example's neighbours through real terraform: aws_iam_policy_document renders the exact bytes
// hashicorp/aws 5.100.0 renders (fixtures recorded from it), aws_sagemaker_prebuilt_ecr_image gives its paths,
// and aws_iam_role goes through its whole lifecycle.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { providerBlock, uniqueName, Workspace } from '../support/terraform';
import { repoRoot } from '../support/paths';
import { trustPolicyJsonencode } from '../support/fixtures';
import { useTarget } from '../support/target';

const acc = useTarget(t);

interface PolicyFixture {
  hcl: string;
  json?: string;
  minified_json?: string;
  id?: string;
  errors?: { summary: string; detail: string }[];
}
const fixtureDir = join(repoRoot, 'test/fixtures/policy-documents');
const fixtures = readdirSync(fixtureDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ name: f.replace(/\.json$/, ''), ...(JSON.parse(readFileSync(join(fixtureDir, f), 'utf8')) as PolicyFixture) }))
  .filter((f) => typeof f.hcl === 'string');

t.test('aws_iam_policy_document: json, minified_json and id are byte-identical to hashicorp/aws 5.100.0', async (t) => {
  const rendered = fixtures.filter((f) => f.json !== undefined);
  t.ok(rendered.length >= 10, `${rendered.length} documents`);
  const outputs = rendered
    .map((f) => `output "${f.name}" {\n  value = {\n    json = data.aws_iam_policy_document.${f.name}.json\n    minified_json = data.aws_iam_policy_document.${f.name}.minified_json\n    id = data.aws_iam_policy_document.${f.name}.id\n  }\n}\n`)
    .join('\n');
  const ws = new Workspace().config(`${providerBlock(acc.target)}\n${rendered.map((f) => f.hcl).join('\n')}\n${outputs}`);
  t.teardown(() => ws.cleanup());
  await ws.apply();
  const shown = JSON.parse((await ws.ok(['output', '-json'])).stdout) as Record<string, { value: { json: string; minified_json: string; id: string } }>;
  for (const f of rendered) {
    t.equal(shown[f.name].value.json, f.json, `${f.name}: json`);
    t.equal(shown[f.name].value.minified_json, f.minified_json, `${f.name}: minified_json`);
    t.equal(shown[f.name].value.id, f.id, `${f.name}: id`);
  }
});

t.test('aws_iam_policy_document: invalid documents fail with hashicorp/aws 5.100.0\'s messages', async (t) => {
  const failing = fixtures.filter((f) => f.errors !== undefined && f.errors.length > 0);
  t.ok(failing.length >= 10, `${failing.length} invalid documents`);
  // A few at a time: each is its own configuration, so one error cannot hide another.
  for (let i = 0; i < failing.length; i += 4) {
    await Promise.all(
      failing.slice(i, i + 4).map(async (f) => {
        const ws = new Workspace().config(`${providerBlock(acc.target)}\n${f.hcl}`);
        try {
          const result = await ws.run(['plan', '-no-color', '-input=false']);
          t.equal(result.code, 1, `${f.name}: plan fails`);
          const output = result.stderr.replace(/\n│? ?/g, ' ').replace(/\s+/g, ' ');
          for (const error of f.errors!) t.ok(output.includes(error.summary.replace(/\s+/g, ' ')), `${f.name}: ${error.summary}`);
        } finally {
          ws.cleanup();
        }
      }),
    );
  }
});

t.test('aws_sagemaker_prebuilt_ecr_image: every repository in a sample of regions, as hashicorp/aws 5.100.0', async (t) => {
  const recorded = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/prebuilt-ecr/registry-paths.json'), 'utf8')) as {
    byRegionArgument: Record<string, Record<string, string | { error: string }>>;
  };
  const regions = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-northeast-1', 'cn-north-1', 'us-gov-west-1'];
  const cases = regions.flatMap((region) =>
    Object.entries(recorded.byRegionArgument[region])
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
      .map(([repository, path], i) => ({ key: `r_${region.replace(/-/g, '_')}_${i}`, region, repository, path })),
  );
  const hcl = cases
    .map((c) => `data "aws_sagemaker_prebuilt_ecr_image" "${c.key}" {\n  repository_name = "${c.repository}"\n  region = "${c.region}"\n}\n`)
    .join('');
  const ws = new Workspace().config(
    `${providerBlock(acc.target)}\n${hcl}\noutput "paths" {\n  value = {\n${cases.map((c) => `    ${c.key} = data.aws_sagemaker_prebuilt_ecr_image.${c.key}.registry_path`).join('\n')}\n  }\n}\n` +
      `data "aws_sagemaker_prebuilt_ecr_image" "docs" {\n  repository_name = "kmeans"\n}\noutput "docs" {\n  value = data.aws_sagemaker_prebuilt_ecr_image.docs\n}\n`,
  );
  t.teardown(() => ws.cleanup());
  await ws.apply();
  const shown = JSON.parse((await ws.ok(['output', '-json'])).stdout);
  let mismatches = 0;
  for (const c of cases) if (shown.paths.value[c.key] !== c.path) mismatches++;
  t.equal(mismatches, 0, `${cases.length} registry paths equal hashicorp/aws's`);
  t.same(shown.docs.value, {
    id: '174872318107',
    registry_id: '174872318107',
    registry_path: '174872318107.dkr.ecr.us-west-2.amazonaws.com/kmeans:1',
    repository_name: 'kmeans',
    image_tag: '1',
    region: acc.target.region,
    dns_suffix: null,
  });
});

t.test('aws_iam_role: create, update policy/description/tags in place, import, destroy', async (t) => {
  const name = uniqueName('tfacc-role');
  const policy = trustPolicyJsonencode;
  const config = (service: string, description: string, tags: string) => `${providerBlock(acc.target)}
resource "aws_iam_role" "test" {
  name               = "${name}"
  description        = "${description}"
  assume_role_policy = ${policy(service)}
  tags               = ${tags}
}
`;
  const ws = new Workspace();
  t.teardown(() => ws.cleanup());
  await ws.config(config('sagemaker.amazonaws.com', 'first', '{ team = "a" }')).apply();
  const created = await ws.resource('aws_iam_role.test');
  t.equal(created.name, name);
  t.equal(created.arn, `arn:aws:iam::000000000000:role/${name}`.replace('000000000000', String(created.arn).split(':')[4]));
  t.equal(created.path, '/');
  t.equal(created.max_session_duration, 3600);
  t.equal(created.name_prefix, '', 'SDKv2 stores "" when the name is not generated');
  t.same(created.tags, { team: 'a' });
  t.equal((await ws.planExitCode()).code, 0, 'no diff after create');

  // The same policy written differently is no change.
  await ws.write({
    'main.tf': config('sagemaker.amazonaws.com', 'first', '{ team = "a" }').replace(
      policy('sagemaker.amazonaws.com'),
      `<<EOF\n{"Statement":[{"Principal":{"Service":["sagemaker.amazonaws.com"]},"Action":["sts:AssumeRole"],"Effect":"Allow"}],"Version":"2012-10-17"}\nEOF`,
    ),
  });
  t.equal((await ws.planExitCode()).code, 0, 'an equivalent policy document is no change');

  await ws.config(config('ec2.amazonaws.com', 'second', '{ team = "b", extra = "x" }')).apply();
  const updated = await ws.resource('aws_iam_role.test');
  t.equal(updated.unique_id, created.unique_id, 'updated in place, not replaced');
  t.equal(updated.description, 'second');
  t.match(String(updated.assume_role_policy), /ec2\.amazonaws\.com/);
  t.same(updated.tags, { team: 'b', extra: 'x' });
  const remote = await acc.aws.iam.send(new GetRoleCommand({ RoleName: name }));
  t.match(decodeURIComponent(remote.Role!.AssumeRolePolicyDocument!), /ec2\.amazonaws\.com/, 'the remote policy changed');
  t.equal(remote.Role!.Description, 'second');
  t.equal((await ws.planExitCode()).code, 0, 'no diff after update');

  await ws.ok(['state', 'rm', 'aws_iam_role.test']);
  await ws.ok(['import', '-no-color', 'aws_iam_role.test', name]);
  t.equal((await ws.planExitCode()).code, 0, 'no diff after import');

  await ws.destroy();
  await t.rejects(acc.aws.iam.send(new GetRoleCommand({ RoleName: name })), { name: 'NoSuchEntityException' }, 'destroy removed the role');
});
