resource "aws_sagemaker_endpoint_configuration" "example" {
  name = "my-endpoint-config"

  production_variants {
    variant_name           = "AllTraffic"
    model_name             = aws_sagemaker_model.example.name
    instance_type          = "ml.m5.large"
    initial_instance_count = 1
  }

  tags = {
    Team = "forecasting"
  }
}

resource "aws_sagemaker_model" "example" {
  name               = "my-endpoint-config-model"
  execution_role_arn = aws_iam_role.example.arn

  primary_container {
    image = data.aws_sagemaker_prebuilt_ecr_image.kmeans.registry_path
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

data "aws_sagemaker_prebuilt_ecr_image" "kmeans" {
  repository_name = "kmeans"
}
