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

/** An execution role SageMaker can assume, aws_iam_role.<name> named tfdiff-<name>, and its trust policy document. */
function executionRole(name: string): string {
  return `
${trustPolicyDocument(`${name}_assume`)}
resource "aws_iam_role" "${name}" {
  name               = "tfdiff-${name}"
  assume_role_policy = data.aws_iam_policy_document.${name}_assume.json
}
`;
}

/** An execution role and seven models: every container shape, VPC, data sources, placeholders, a generated name, tags. */
export function modelsConfig(v: ModelVariant): string {
  return `${executionRole('execution')}
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


export interface InferenceVariant {
  /** Instance type of the main configuration's first variant: a change replaces that configuration. */
  instanceType: string;
  configTags: Record<string, string>;
  endpointTags: Record<string, string>;
  /** The configuration aws_sagemaker_endpoint.main runs. */
  runs: 'main' | 'serverless';
  /** Adds aws_sagemaker_endpoint.failing (named tfdiff-failing, for fault injection). */
  failing?: boolean;
}

export const INFERENCE: InferenceVariant = {
  instanceType: 'ml.t2.medium',
  configTags: { Name: 'main', Owner: 'team' },
  endpointTags: { Name: 'endpoint' },
  runs: 'main',
};

const tagsBlock = (tags: Record<string, string>) =>
  `  tags = {\n${Object.entries(tags).map(([k, value]) => `    ${k} = "${value}"`).join('\n')}\n  }`;

/**
 * A model behind four endpoint configurations (a generated name with create_before_destroy; every block of a
 * variant with a shadow variant and data capture; serverless; asynchronous) and two endpoints (named, with a
 * blue/green deployment configuration and tags; a generated name).
 */
export function inferenceConfig(v: InferenceVariant): string {
  return `${executionRole('inference')}
resource "aws_sagemaker_model" "inference" {
  name               = "tfdiff-inference"
  execution_role_arn = aws_iam_role.inference.arn
  primary_container {
    image = "${IMAGE}"
  }
}

resource "aws_sagemaker_endpoint_configuration" "main" {
  name_prefix = "tfdiff-"
  production_variants {
    variant_name           = "primary"
    model_name             = aws_sagemaker_model.inference.name
    instance_type          = "${v.instanceType}"
    initial_instance_count = 1
    initial_variant_weight = 0.5
  }
  production_variants {
    model_name             = aws_sagemaker_model.inference.name
    instance_type          = "ml.m5.large"
    initial_instance_count = 1
  }
${tagsBlock(v.configTags)}
  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_sagemaker_endpoint_configuration" "full" {
  name        = "tfdiff-full-config"
  kms_key_arn = "arn:aws:kms:us-west-2:000000000000:key/11111111-2222-3333-4444-555555555555"
  production_variants {
    variant_name                                      = "full"
    model_name                                        = aws_sagemaker_model.inference.name
    instance_type                                     = "ml.m5.xlarge"
    initial_instance_count                            = 2
    container_startup_health_check_timeout_in_seconds = 600
    model_data_download_timeout_in_seconds            = 900
    volume_size_in_gb                                 = 30
    enable_ssm_access                                 = true
    managed_instance_scaling {
      status             = "ENABLED"
      min_instance_count = 1
      max_instance_count = 4
    }
    routing_config {
      routing_strategy = "LEAST_OUTSTANDING_REQUESTS"
    }
    core_dump_config {
      destination_s3_uri = "s3://tfdiff-dumps/full"
      kms_key_id         = "arn:aws:kms:us-west-2:000000000000:key/11111111-2222-3333-4444-555555555555"
    }
  }
  shadow_production_variants {
    variant_name           = "shadow"
    model_name             = aws_sagemaker_model.inference.name
    instance_type          = "ml.m5.large"
    initial_instance_count = 1
  }
  data_capture_config {
    enable_capture              = true
    initial_sampling_percentage = 50
    destination_s3_uri          = "s3://tfdiff-capture/full"
    capture_options {
      capture_mode = "Input"
    }
    capture_options {
      capture_mode = "Output"
    }
    capture_content_type_header {
      csv_content_types  = ["text/csv"]
      json_content_types = ["application/json", "application/jsonlines"]
    }
  }
}

resource "aws_sagemaker_endpoint_configuration" "serverless" {
  name = "tfdiff-serverless"
  production_variants {
    variant_name = "serverless"
    model_name   = aws_sagemaker_model.inference.name
    serverless_config {
      max_concurrency         = 5
      memory_size_in_mb       = 2048
      provisioned_concurrency = 1
    }
  }
}

resource "aws_sagemaker_endpoint_configuration" "async" {
  name = "tfdiff-async"
  production_variants {
    variant_name           = "async"
    model_name             = aws_sagemaker_model.inference.name
    instance_type          = "ml.m5.large"
    initial_instance_count = 1
  }
  async_inference_config {
    client_config {
      max_concurrent_invocations_per_instance = 4
    }
    output_config {
      s3_output_path  = "s3://tfdiff-async/output"
      s3_failure_path = "s3://tfdiff-async/failure"
      notification_config {
        success_topic                 = "arn:aws:sns:us-west-2:000000000000:success"
        error_topic                   = "arn:aws:sns:us-west-2:000000000000:error"
        include_inference_response_in = ["SUCCESS_NOTIFICATION_TOPIC"]
      }
    }
  }
}

resource "aws_sagemaker_endpoint" "main" {
  name                 = "tfdiff-endpoint"
  endpoint_config_name = aws_sagemaker_endpoint_configuration.${v.runs}.name
  deployment_config {
    blue_green_update_policy {
      traffic_routing_configuration {
        type                     = "ALL_AT_ONCE"
        wait_interval_in_seconds = 0
      }
    }
    auto_rollback_configuration {
      alarms {
        alarm_name = "tfdiff-errors"
      }
    }
  }
${tagsBlock(v.endpointTags)}
}

resource "aws_sagemaker_endpoint" "generated" {
  endpoint_config_name = aws_sagemaker_endpoint_configuration.async.name
}
${v.failing ? '\nresource "aws_sagemaker_endpoint" "failing" {\n  name                 = "tfdiff-failing"\n  endpoint_config_name = aws_sagemaker_endpoint_configuration.serverless.name\n}\n' : ''}`;
}

/** The example that opens the aws_sagemaker_model documentation (examples/basic), without its provider block. */
export function documentedExample(): string {
  const text = readFileSync(join(repoRoot, 'examples/basic/main.tf'), 'utf8');
  return text.slice(text.indexOf('resource "aws_sagemaker_model" "example"'));
}
