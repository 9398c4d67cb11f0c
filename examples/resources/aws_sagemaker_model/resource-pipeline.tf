# An inference pipeline: SageMaker passes each request through the containers in order.
resource "aws_sagemaker_model" "pipeline" {
  name               = "my-pipeline"
  execution_role_arn = aws_iam_role.pipeline.arn

  container {
    container_hostname = "preprocess"
    image              = data.aws_sagemaker_prebuilt_ecr_image.sklearn.registry_path
    model_data_url     = "s3://my-bucket/preprocess/model.tar.gz"

    environment = {
      SAGEMAKER_PROGRAM = "preprocess.py"
    }
  }

  container {
    container_hostname = "predict"
    image              = data.aws_sagemaker_prebuilt_ecr_image.xgboost.registry_path
    model_data_url     = "s3://my-bucket/xgboost/model.tar.gz"
  }

  inference_execution_config {
    mode = "Serial"
  }

  tags = {
    Team = "forecasting"
  }
}

resource "aws_iam_role" "pipeline" {
  name_prefix        = "sagemaker-pipeline-"
  assume_role_policy = data.aws_iam_policy_document.sagemaker_assume_role.json
}

data "aws_iam_policy_document" "sagemaker_assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }
  }
}

data "aws_sagemaker_prebuilt_ecr_image" "sklearn" {
  repository_name = "sagemaker-scikit-learn"
  image_tag       = "1.2-1"
}

data "aws_sagemaker_prebuilt_ecr_image" "xgboost" {
  repository_name = "sagemaker-xgboost"
  image_tag       = "1.7-1"
}
