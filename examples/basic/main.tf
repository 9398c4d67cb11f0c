# The example that opens the aws_sagemaker_model documentation, in HCL, with a provider block for the
# embedded local AWS endpoint (bin/local-aws). `make demo` runs it end to end.

variable "endpoint" {
  description = "URL of the AWS-compatible endpoint (the embedded one, or LocalStack)."
  type        = string
  default     = "http://127.0.0.1:4566"
}

provider "aws" {
  region                      = "us-west-2"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true

  endpoints {
    iam       = var.endpoint
    sagemaker = var.endpoint
    sts       = var.endpoint
  }
}

resource "aws_sagemaker_model" "example" {
  name               = "my-model"
  execution_role_arn = aws_iam_role.example.arn

  primary_container {
    image = data.aws_sagemaker_prebuilt_ecr_image.test.registry_path
  }
}

resource "aws_iam_role" "example" {
  assume_role_policy = data.aws_iam_policy_document.assume_role.json
}

data "aws_iam_policy_document" "assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }
  }
}

data "aws_sagemaker_prebuilt_ecr_image" "test" {
  repository_name = "kmeans"
}

output "model_arn" {
  value = aws_sagemaker_model.example.arn
}

output "role_name" {
  value = aws_iam_role.example.name
}

output "image" {
  value = data.aws_sagemaker_prebuilt_ecr_image.test.registry_path
}
