// Tags against default_tags and ignore_tags as they change, and the two data sources with many shapes (exhaustive
// run only: make test-differential), and null values in tags maps (every run), ours against hashicorp/aws 5.100.0.
import t from 'tap';
import { everyStep, runScenario, skipDifferential, useHashicorp } from './harness';
import { IMAGE, trustPolicyJsonencode } from '../support/fixtures';
import { S3_READ } from './configs';

const skip = skipDifferential || (!everyStep && 'exhaustive run only (make test-differential)');

const hashicorp = useHashicorp(t);

const hcl = (tags: Record<string, string> | null) =>
  tags === null ? '' : `  tags = {\n${Object.entries(tags).map(([k, v]) => `    ${JSON.stringify(k)} = ${JSON.stringify(v)}`).join('\n')}\n  }\n`;

interface Tagging {
  defaults: Record<string, string>;
  ignore: string[];
  role: Record<string, string> | null;
  model: Record<string, string> | null;
}

function provider(v: Tagging): string {
  return `  default_tags {\n${hcl(v.defaults)}  }\n  ignore_tags {\n    key_prefixes = ${JSON.stringify(v.ignore)}\n  }`;
}

function taggedConfig(v: Tagging): string {
  return `
resource "aws_iam_role" "tagged" {
  name               = "tfdiff-tagged"
  assume_role_policy = ${trustPolicyJsonencode()}
${hcl(v.role)}}

resource "aws_sagemaker_model" "tagged" {
  name               = "tfdiff-tagged"
  execution_role_arn = aws_iam_role.tagged.arn
  primary_container {
    image = "${IMAGE}"
  }
${hcl(v.model)}}
`;
}

t.test('tags with default_tags and ignore_tags', { skip }, async (t) => {
  const steps: [string, Tagging][] = [
    ['create with overlapping defaults', { defaults: { Env: 'one', Team: 'default' }, ignore: ['skip:'], role: { Team: 'role' }, model: { Team: 'default' } }],
    ['a default changes', { defaults: { Env: 'two', Team: 'default' }, ignore: ['skip:'], role: { Team: 'role' }, model: { Team: 'default' } }],
    ['empty tag values', { defaults: { Env: 'two' }, ignore: ['skip:'], role: { Team: '' }, model: { Empty: '', Kept: 'yes' } }],
    ['all resource tags removed', { defaults: { Env: 'two' }, ignore: ['skip:'], role: null, model: {} }],
    ['no defaults, an ignored key configured', { defaults: {}, ignore: ['skip:'], role: { 'skip:me': 'x', Kept: 'yes' }, model: null }],
  ];
  await runScenario(
    t,
    {
      title: 'tags',
      steps: [
        ...steps.map(([name, v]) => ({ name, config: taggedConfig(v), providerExtra: provider(v) })),
        { name: 'the plan after an ignored key was configured', command: 'plan' as const },
      ],
      deviations: [
        {
          calls: /^(IAM\.ListRoleTags|SageMaker\.ListTags)$/,
          step: /empty tag values/,
          reason: 'after a tag update left to apply (an empty value), hashicorp/aws lists the tags once more; the state is the same',
        },
        {
          resource: /^aws_iam_role\.tagged$/,
          step: /ignored key/,
          reason: 'an ignored key written in tags: hashicorp/aws drops it from state and plans to add it forever; we keep it as written (provider-schema/README.md)',
        },
        { tolerated: / aws_iam_role\.tagged \.tags other$/, step: /ignored key/, reason: 'the same' },
      ],
    },
    hashicorp(),
  );
});

// Part of every run: a null value inside a map (`tags = { k = null }`, a container's environment, default_tags),
// which SDKv2 reads as no element, and inside a set or a list, which it refuses.
t.test('null values inside maps', { skip: skipDifferential }, async (t) => {
  const hcl = (pairs: Record<string, string | null>) => Object.entries(pairs).map(([k, v]) => `    ${k} = ${v === null ? 'null' : JSON.stringify(v)}`).join('\n');
  const config = (roleTags: Record<string, string | null>, modelTags: Record<string, string | null>, environment: Record<string, string | null>, managed = '') => `
resource "aws_iam_role" "tagged" {
  name               = "tfdiff-nulls"
  assume_role_policy = ${trustPolicyJsonencode()}
${managed}
  tags = {
${hcl(roleTags)}
  }
}

resource "aws_sagemaker_model" "tagged" {
  name               = "tfdiff-nulls"
  execution_role_arn = aws_iam_role.tagged.arn
  primary_container {
    image       = "${IMAGE}"
    environment = {
${hcl(environment).replace(/^/gm, '  ')}
    }
  }
  tags = {
${hcl(modelTags)}
  }
}
`;
  await runScenario(
    t,
    {
      title: 'null values inside maps',
      provider: provider({ defaults: { Env: 'one', Override: 'default' }, ignore: [], role: null, model: null }),
      steps: [
        { name: 'create', config: config({ Team: 'ml', Unset: 'now', Override: 'role' }, { Only: 'set' }, { K: 'v' }) },
        { name: 'a tag becomes null', config: config({ Team: 'ml', Unset: null, Override: 'role' }, { Only: 'set' }, { K: 'v' }) },
        { name: 'no change', command: 'plan' },
        { name: 'every tag of a map null, and one over a default tag', config: config({ Team: 'ml', Unset: 'now', Override: null }, { Only: null }, { K: 'v' }) },
        { name: 'a null environment variable', config: config({ Team: 'ml', Unset: 'now', Override: 'role' }, { Only: 'set' }, { K: null, L: 'w' }) },
        {
          name: 'a null default tag',
          providerExtra: provider({ defaults: { Env: 'one', Override: 'default' }, ignore: [], role: null, model: null }).replace('Override = "default"', 'Override = "default"\n    Nulled = null'),
        },
        { name: 'a null in a set', fails: true, config: config({ Team: 'ml' }, {}, {}, `  managed_policy_arns = [null, "${S3_READ}"]`) },
        { name: 'the null keys left out instead', config: config({ Team: 'ml' }, {}, {}) },
      ],
    },
    hashicorp(),
  );
});

t.test('data sources: policy documents and prebuilt ECR images', { skip }, async (t) => {
  await runScenario(
    t,
    {
      title: 'data sources',
      steps: [
        {
          name: 'read',
          config: `
data "aws_iam_policy_document" "source" {
  statement {
    sid       = "Base"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::bucket/*"]
  }
}

data "aws_iam_policy_document" "full" {
  version                 = "2008-10-17"
  policy_id               = "full"
  source_policy_documents = [data.aws_iam_policy_document.source.json]
  statement {
    sid         = "Deny"
    effect      = "Deny"
    not_actions = ["iam:*"]
    not_resources = ["arn:aws:iam::*:role/keep"]
    not_principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::000000000000:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = ["us-west-2", "eu-west-1"]
    }
  }
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com", "ec2.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "override" {
  override_policy_documents = [data.aws_iam_policy_document.source.json]
  statement {
    sid     = "Base"
    actions = ["s3:PutObject"]
  }
}

data "aws_sagemaker_prebuilt_ecr_image" "default" {
  repository_name = "kmeans"
}

data "aws_sagemaker_prebuilt_ecr_image" "tagged" {
  repository_name = "sagemaker-xgboost"
  image_tag       = "1.7-1"
  region          = "eu-west-1"
}

output "documents" {
  value = [data.aws_iam_policy_document.full.json, data.aws_iam_policy_document.override.minified_json]
}
`,
        },
      ],
      deviations: [{ attribute: ['region'], type: 'aws_sagemaker_prebuilt_ecr_image', reason: 'v6: region is optional+computed (the provider region when unset)' }],
    },
    hashicorp(),
  );
});
