// What Terraform itself sees of the provider: `terraform validate` with a full LocalStack-style provider
// block, Terraform's own error for an unknown argument, and `terraform providers schema -json` compared
// with hashicorp/aws 5.100.0's structure and with our provider-schema/ files.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Workspace } from '../support/terraform';
import { repoRoot } from '../support/paths';
import { differences, structure, type JsonObject } from '../support/schema-structure';

const FULL_PROVIDER_BLOCK = `
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  token                       = "session"
  profile                     = "default"
  max_retries                 = 5
  retry_mode                  = "standard"
  insecure                    = false
  s3_use_path_style           = true
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  allowed_account_ids         = ["000000000000"]
  shared_config_files         = ["/dev/null"]
  shared_credentials_files    = ["/dev/null"]
  http_proxy                  = ""
  user_agent                  = ["tests/1.0"]
  assume_role {
    role_arn     = "arn:aws:iam::000000000000:role/a"
    session_name = "one"
  }
  assume_role {
    role_arn = "arn:aws:iam::000000000000:role/b"
  }
  endpoints {
    sagemaker = "http://localhost:4566"
    iam       = "http://localhost:4566"
    sts       = "http://localhost:4566"
    s3        = "http://localhost:4566"
  }
  default_tags {
    tags = { Environment = "test" }
  }
  ignore_tags {
    keys         = ["owner"]
    key_prefixes = ["kubernetes.io/"]
  }
}

resource "aws_sagemaker_model" "test" {
  name               = "validate-only"
  execution_role_arn = "arn:aws:iam::000000000000:role/r"
  primary_container {
    image = "174872318107.dkr.ecr.us-west-2.amazonaws.com/kmeans:1"
  }
}
`;

t.test('terraform validate accepts the full LocalStack-style provider block', async (t) => {
  const ws = new Workspace().config(FULL_PROVIDER_BLOCK);
  t.teardown(() => ws.cleanup());
  const result = await ws.run(['validate', '-no-color']);
  t.equal(result.code, 0, result.stdout + result.stderr);
  t.match(result.stdout, /Success! The configuration is valid/);
});

t.test('an unknown provider argument gets Terraform\'s own error', async (t) => {
  const ws = new Workspace().config(FULL_PROVIDER_BLOCK.replace('insecure ', 'no_such_argument = 1\n  insecure '));
  t.teardown(() => ws.cleanup());
  const result = await ws.run(['validate', '-no-color']);
  t.equal(result.code, 1);
  t.match(result.stderr, /Error: Unsupported argument/);
  t.match(result.stderr, /An argument named "no_such_argument" is not expected here\./);
});

t.test('terraform providers schema -json: the structure of hashicorp/aws, our descriptions, our files', async (t) => {
  const ws = new Workspace().config('resource "aws_sagemaker_model" "m" {}\n');
  t.teardown(() => ws.cleanup());
  const shown = JSON.parse((await ws.ok(['providers', 'schema', '-json'])).stdout);
  const aws = shown.provider_schemas['registry.terraform.io/hashicorp/aws'];
  t.ok(aws, 'terraform reports our provider as hashicorp/aws');

  // hashicorp/aws 5.100.0's own schemas, recorded by scripts/record-schema-fixture.mjs.
  const reference = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/aws-5.100.0-schema.json'), 'utf8'));
  const modelDiff = differences(reference.resource_schemas.aws_sagemaker_model, structure(aws.resource_schemas.aws_sagemaker_model));
  t.same(
    modelDiff,
    [
      '+ block.attributes.region',
      '+ block.block_types.container.block.block_types.additional_model_data_source',
      '+ block.block_types.primary_container.block.block_types.additional_model_data_source',
    ],
    'aws_sagemaker_model differs from 5.100.0 only by the documented v6 additions',
  );
  const providerDiff = differences(reference.provider, structure(aws.provider)).filter((d) => !d.startsWith('+ block.block_types.endpoints.block.attributes.'));
  t.same(providerDiff, [
    '+ block.attributes.access_key.sensitive',
    '+ block.attributes.secret_key.sensitive',
    '+ block.attributes.tag_policy_compliance',
    '+ block.attributes.token.sensitive',
    '+ block.attributes.user_agent',
  ]);

  // What Terraform shows is exactly our schema files, descriptions included, minus the engine's extension keys.
  const ours = (file: string) => JSON.parse(readFileSync(join(repoRoot, 'provider-schema', file), 'utf8')) as JsonObject;
  t.same(differences(structure(ours('resources/aws_sagemaker_model.json')), structure(aws.resource_schemas.aws_sagemaker_model)), []);
  t.equal(
    aws.resource_schemas.aws_sagemaker_model.block.attributes.execution_role_arn.description,
    (ours('resources/aws_sagemaker_model.json') as any).block.attributes.execution_role_arn.description,
  );
  for (const type of ['aws_sagemaker_endpoint_configuration', 'aws_sagemaker_endpoint']) {
    t.same(differences(structure(ours(`resources/${type}.json`)), structure(aws.resource_schemas[type])), [], `${type}: our file, as served`);
  }
  t.same(Object.keys(aws.resource_schemas).sort(), ['aws_iam_role', 'aws_sagemaker_endpoint', 'aws_sagemaker_endpoint_configuration', 'aws_sagemaker_model']);
  t.ok(aws.data_source_schemas.aws_iam_policy_document, 'the documented example\'s data sources are served');
});

t.test('terraform providers schema -json: a description on every attribute and block, as in provider-schema/', async (t) => {
  const ws = new Workspace().config('provider "aws" {}\n');
  t.teardown(() => ws.cleanup());
  const shown = JSON.parse((await ws.ok(['providers', 'schema', '-json'])).stdout).provider_schemas['registry.terraform.io/hashicorp/aws'];
  const ours = (file: string) => (JSON.parse(readFileSync(join(repoRoot, 'provider-schema', file), 'utf8')) as { block: DescribedBlock }).block;
  const served: [string, DescribedBlock, DescribedBlock][] = [
    ['provider', shown.provider.block, ours('provider.json')],
    ['aws_sagemaker_model', shown.resource_schemas.aws_sagemaker_model.block, ours('resources/aws_sagemaker_model.json')],
    ['aws_sagemaker_endpoint_configuration', shown.resource_schemas.aws_sagemaker_endpoint_configuration.block, ours('resources/aws_sagemaker_endpoint_configuration.json')],
    ['aws_sagemaker_endpoint', shown.resource_schemas.aws_sagemaker_endpoint.block, ours('resources/aws_sagemaker_endpoint.json')],
    ['aws_iam_role', shown.resource_schemas.aws_iam_role.block, ours('resources/aws_iam_role.json')],
    ['data.aws_iam_policy_document', shown.data_source_schemas.aws_iam_policy_document.block, ours('data-sources/aws_iam_policy_document.json')],
    ['data.aws_sagemaker_prebuilt_ecr_image', shown.data_source_schemas.aws_sagemaker_prebuilt_ecr_image.block, ours('data-sources/aws_sagemaker_prebuilt_ecr_image.json')],
  ];
  let count = 0;
  for (const [name, wire, file] of served) {
    const wrong: string[] = [];
    const compare = (w: DescribedBlock, f: DescribedBlock, prefix: string) => {
      if (!w.description || w.description !== f.description) wrong.push(prefix || '(root block)');
      for (const [key, attribute] of Object.entries(w.attributes ?? {})) {
        count++;
        if (!attribute.description || attribute.description !== f.attributes?.[key]?.description) wrong.push(prefix + key);
      }
      for (const [key, nested] of Object.entries(w.block_types ?? {})) {
        count++;
        compare(nested.block, f.block_types![key]!.block, `${prefix}${key}.`);
      }
    };
    compare(wire, file, '');
    t.same(wrong, [], `${name}: every description is shown, and is the one in provider-schema/`);
  }
  t.equal(count, 624, 'attributes and blocks compared');
});

interface DescribedBlock {
  description?: string;
  attributes?: Record<string, { description?: string }>;
  block_types?: Record<string, { block: DescribedBlock }>;
}
