// The configurations the differential tests run through both providers, each a function of what varies between
// steps. Names are fixed: each provider has its own endpoint.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/paths';
import { IMAGE, IMAGE_2, trustPolicyDocument } from '../support/fixtures';
const BOUNDARY = 'arn:aws:iam::aws:policy/AmazonSageMakerReadOnly';
export const SAGEMAKER_FULL = 'arn:aws:iam::aws:policy/AmazonSageMakerFullAccess';
export const S3_READ = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';

export const OUTSIDE_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }] });

export interface RoleVariant {
  description: string;
  listAction: string;
  maxSession: number;
  managed: string[];
  boundary: boolean;
  tags: Record<string, string>;
  /** Whether aws_iam_role.inline keeps its inline_policy blocks. */
  inlineBlocks: boolean;
}

export const ROLES: RoleVariant = {
  description: 'first',
  listAction: 's3:ListBucket',
  maxSession: 7200,
  managed: [SAGEMAKER_FULL],
  boundary: true,
  tags: { Team: 'ml', Stage: 'one' },
  inlineBlocks: true,
};

/** Five roles: a generated name, a name_prefix, inline and managed policies with a boundary, and two for inline policies managed elsewhere. */
export function rolesConfig(v: RoleVariant): string {
  return `
${trustPolicyDocument('assume')}
data "aws_iam_policy_document" "read" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = ["arn:aws:s3:::models/*", "arn:aws:s3:::models"]
  }
}

resource "aws_iam_role" "generated" {
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role" "prefixed" {
  name_prefix        = "tfdiff-"
  description        = "${v.description}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags = {
${Object.entries(v.tags).map(([k, value]) => `    ${k} = "${value}"`).join('\n')}
  }
}

resource "aws_iam_role" "inline" {
  name                  = "tfdiff-inline"
  path                  = "/service/"
  max_session_duration  = ${v.maxSession}
  force_detach_policies = true
  ${v.boundary ? `permissions_boundary  = "${BOUNDARY}"` : ''}
  managed_policy_arns   = ${JSON.stringify(v.managed)}
  assume_role_policy    = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "Service": "sagemaker.amazonaws.com" },
      "Action": "sts:AssumeRole"
    }
  ]
}
POLICY
${
  v.inlineBlocks
    ? `  inline_policy {
    name   = "read"
    policy = data.aws_iam_policy_document.read.json
  }
  inline_policy {
    name   = "list"
    policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "${v.listAction}", "Resource": "*"}]
}
POLICY
  }`
    : ''
}
}

resource "aws_iam_role" "outside" {
  name               = "tfdiff-outside"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role" "cleared" {
  name               = "tfdiff-cleared"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  inline_policy {}
}
`;
}



export const MODELS_PROVIDER = `  default_tags {
    tags = {
      Environment = "differential"
    }
  }
  ignore_tags {
    keys = ["Ignored"]
  }`;

export interface ModelVariant {
  basicImage: string;
  tags: Record<string, string>;
  /** Whether the optional+computed blocks stay in the configuration. */
  computedBlocks: boolean;
}

/** An execution role and seven models: every container shape, VPC, data sources, placeholders, a generated name, tags. */
export function modelsConfig(v: ModelVariant): string {
  return `
${trustPolicyDocument('execution_assume')}
resource "aws_iam_role" "execution" {
  name               = "tfdiff-execution"
  assume_role_policy = data.aws_iam_policy_document.execution_assume.json
}

resource "aws_sagemaker_model" "basic" {
  name               = "tfdiff-basic"
  execution_role_arn = aws_iam_role.execution.arn
  primary_container {
    image = "${v.basicImage}"
  }
}

resource "aws_sagemaker_model" "generated" {
  execution_role_arn = aws_iam_role.execution.arn
  primary_container {
    image = "${IMAGE}"
  }
}

resource "aws_sagemaker_model" "full" {
  name                     = "tfdiff-full"
  execution_role_arn       = aws_iam_role.execution.arn
  enable_network_isolation = true
  primary_container {
    image              = "${IMAGE}"
    mode               = "MultiModel"
    container_hostname = "full"
    model_data_url     = "s3://tfdiff-models/full/"
    environment = {
      LOG_LEVEL = "debug"
      EMPTY     = ""
    }
    image_config {
      repository_access_mode = "Vpc"
      repository_auth_config {
        repository_credentials_provider_arn = "arn:aws:lambda:us-west-2:000000000000:function:credentials"
      }
    }
    multi_model_config {
      model_cache_setting = "Disabled"
    }
  }
  vpc_config {
    subnets            = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
    security_group_ids = ["sg-0a1b2c3d4e5f60001"]
  }
}

resource "aws_sagemaker_model" "serial" {
  name               = "tfdiff-serial"
  execution_role_arn = aws_iam_role.execution.arn
  container {
    image = "${IMAGE}"
  }
  container {
    image          = "${IMAGE_2}"
    model_data_url = "s3://tfdiff-models/linear.tar.gz"
  }
${v.computedBlocks ? '  inference_execution_config {\n    mode = "Serial"\n  }' : ''}
}

resource "aws_sagemaker_model" "datasource" {
  name               = "tfdiff-datasource"
  execution_role_arn = aws_iam_role.execution.arn
  primary_container {
    image = "${IMAGE}"
${
  v.computedBlocks
    ? `    model_data_source {
      s3_data_source {
        s3_uri           = "s3://tfdiff-models/prefix/"
        s3_data_type     = "S3Prefix"
        compression_type = "None"
        model_access_config {
          accept_eula = true
        }
      }
    }`
    : ''
}
  }
}

# Empty placeholders that modules pass for "not set". (An empty multi_model_config {} block would crash
# hashicorp/aws 5.100.0: provider-schema/README.md.)
resource "aws_sagemaker_model" "placeholders" {
  name               = "tfdiff-placeholders"
  execution_role_arn = aws_iam_role.execution.arn
  primary_container {
    image              = "${IMAGE}"
    environment        = {}
    model_package_name = ""
  }
}

resource "aws_sagemaker_model" "tagged" {
  name               = "tfdiff-tagged"
  execution_role_arn = aws_iam_role.execution.arn
  primary_container {
    image = "${IMAGE}"
  }
  tags = {
${Object.entries(v.tags).map(([k, value]) => `    ${k} = "${value}"`).join('\n')}
  }
}
`;
}

export const MODELS: ModelVariant = { basicImage: IMAGE, tags: { Name: 'tagged', Owner: 'team' }, computedBlocks: true };


/** The example that opens the aws_sagemaker_model documentation (examples/basic), without its provider block. */
export function documentedExample(): string {
  const text = readFileSync(join(repoRoot, 'examples/basic/main.tf'), 'utf8');
  return text.slice(text.indexOf('resource "aws_sagemaker_model" "example"'));
}
