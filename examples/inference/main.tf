# A model served by a real-time endpoint: the model, an endpoint configuration that hosts it on one instance, and
# the endpoint, with a provider block for the embedded local AWS endpoint (bin/local-aws). The same as
# examples/basic for the model, plus what deploys it. `make demo` runs examples/basic; this one runs the same way:
#   terraform apply -var endpoint=http://127.0.0.1:4566

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
  name               = "my-inference-model"
  execution_role_arn = aws_iam_role.example.arn

  primary_container {
    image = data.aws_sagemaker_prebuilt_ecr_image.kmeans.registry_path
  }
}

# An endpoint configuration cannot be changed, only replaced: a generated name and create_before_destroy let the
# endpoint move to the new configuration before the old one is deleted.
resource "aws_sagemaker_endpoint_configuration" "example" {
  name_prefix = "my-inference-"

  production_variants {
    variant_name           = "AllTraffic"
    model_name             = aws_sagemaker_model.example.name
    instance_type          = "ml.m5.large"
    initial_instance_count = 1
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_sagemaker_endpoint" "example" {
  name                 = "my-inference-endpoint"
  endpoint_config_name = aws_sagemaker_endpoint_configuration.example.name
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

data "aws_sagemaker_prebuilt_ecr_image" "kmeans" {
  repository_name = "kmeans"
}

output "endpoint_name" {
  value = aws_sagemaker_endpoint.example.name
}

output "endpoint_configuration_name" {
  value = aws_sagemaker_endpoint_configuration.example.name
}
