// A realistic SageMaker configuration: the documented aws_sagemaker_model example plus what a real deployment
// puts around it — an S3 bucket holding the model artifact (from a file) and its inference settings (from
// content), a customer managed IAM policy and an AWS managed one attached to the execution role, an inline role
// policy, and the caller identity, partition and region data sources. Shared by the tests that run it through
// hashicorp/aws 5.100.0 and through our provider.
import { trustPolicyDocument } from '../support/fixtures';
import { providerBlock, type Target } from '../support/terraform';

export interface RealisticNames {
  /** The S3 bucket (globally unique, lower case). */
  bucket: string;
  /** The execution role, the customer managed policy (`<role>-artifacts`) and the inline policy (`<role>-logs`). */
  role: string;
  model: string;
}

/** The AWS managed policy the execution role gets besides the customer managed one. */
export const AWS_MANAGED_POLICY = 'AmazonSageMakerFullAccess';
export const ARTIFACT_KEY = 'models/model.tar.gz';
/** A second object, written from `content` rather than a file. */
export const CONFIG_KEY = 'models/inference.json';

/**
 * The configuration, provider block included. `artifactPath` is the local file uploaded as the model artifact;
 * a relative path is resolved from the working directory.
 */
export function realisticConfig(target: Target, names: RealisticNames, artifactPath: string): string {
  return `${providerBlock(target)}
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

data "aws_sagemaker_prebuilt_ecr_image" "kmeans" {
  repository_name = "kmeans"
}

resource "aws_s3_bucket" "artifacts" {
  bucket        = "${names.bucket}"
  force_destroy = true
  tags = {
    Purpose = "model-artifacts"
  }
}

resource "aws_s3_object" "model" {
  bucket = aws_s3_bucket.artifacts.id
  key    = "${ARTIFACT_KEY}"
  source = "${artifactPath}"
  etag   = filemd5("${artifactPath}")
  tags = {
    Kind = "model"
  }
}

resource "aws_s3_object" "inference_config" {
  bucket       = aws_s3_bucket.artifacts.id
  key          = "${CONFIG_KEY}"
  content      = jsonencode({ instance_type = "ml.m5.large", max_payload_mb = 6 })
  content_type = "application/json"
}

${trustPolicyDocument('assume_role')}
resource "aws_iam_role" "execution" {
  name               = "${names.role}"
  assume_role_policy = data.aws_iam_policy_document.assume_role.json
}

data "aws_iam_policy_document" "artifacts" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["\${aws_s3_bucket.artifacts.arn}/*"]
  }
  statement {
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.artifacts.arn]
  }
}

resource "aws_iam_policy" "artifacts" {
  name        = "${names.role}-artifacts"
  description = "Read the model artifacts"
  policy      = data.aws_iam_policy_document.artifacts.json
  tags = {
    Purpose = "model-artifacts"
  }
}

resource "aws_iam_role_policy_attachment" "artifacts" {
  role       = aws_iam_role.execution.name
  policy_arn = aws_iam_policy.artifacts.arn
}

resource "aws_iam_role_policy_attachment" "sagemaker" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:\${data.aws_partition.current.partition}:iam::aws:policy/${AWS_MANAGED_POLICY}"
}

resource "aws_iam_role_policy" "logs" {
  name = "${names.role}-logs"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "arn:\${data.aws_partition.current.partition}:logs:\${data.aws_region.current.name}:\${data.aws_caller_identity.current.account_id}:log-group:/aws/sagemaker/*"
    }]
  })
}

resource "aws_sagemaker_model" "model" {
  name               = "${names.model}"
  execution_role_arn = aws_iam_role.execution.arn

  primary_container {
    image          = data.aws_sagemaker_prebuilt_ecr_image.kmeans.registry_path
    model_data_url = "s3://\${aws_s3_object.model.bucket}/\${aws_s3_object.model.key}"
  }

  # The role must hold its permissions before SageMaker validates it.
  depends_on = [aws_iam_role_policy_attachment.artifacts, aws_iam_role_policy_attachment.sagemaker, aws_iam_role_policy.logs]
}

output "account_id" {
  value = data.aws_caller_identity.current.account_id
}

output "model_arn" {
  value = aws_sagemaker_model.model.arn
}

output "policy_arn" {
  value = aws_iam_policy.artifacts.arn
}

output "artifact_etag" {
  value = aws_s3_object.model.etag
}
`;
}

/**
 * hashicorp/aws's provider function arn_parse in an output, to add to the realistic configuration (a provider
 * function needs its provider in required_providers).
 */
export const FUNCTION_OUTPUT = `
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
output "role" {
  value = provider::aws::arn_parse(aws_iam_role.execution.arn)
}
`;
