# A serverless variant (no instances to choose), with the requests and responses captured to S3 as JSON.
resource "aws_sagemaker_endpoint_configuration" "serverless" {
  name_prefix = "my-serverless-"

  production_variants {
    variant_name = "AllTraffic"
    model_name   = aws_sagemaker_model.serverless.name

    serverless_config {
      max_concurrency   = 10
      memory_size_in_mb = 2048
    }
  }

  data_capture_config {
    enable_capture              = true
    initial_sampling_percentage = 20
    destination_s3_uri          = "s3://my-bucket/capture"

    capture_options {
      capture_mode = "InputAndOutput"
    }

    capture_content_type_header {
      json_content_types = ["application/json"]
    }
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_sagemaker_model" "serverless" {
  name               = "my-serverless-model"
  execution_role_arn = aws_iam_role.serverless.arn

  primary_container {
    image = data.aws_sagemaker_prebuilt_ecr_image.xgboost.registry_path
  }
}

resource "aws_iam_role" "serverless" {
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

data "aws_sagemaker_prebuilt_ecr_image" "xgboost" {
  repository_name = "sagemaker-xgboost"
  image_tag       = "1.7-1"
}
