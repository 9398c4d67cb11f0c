# Updates shift the traffic to the new fleet in two steps (a canary of one instance first) and roll back when the
# CloudWatch alarm fires.
resource "aws_sagemaker_endpoint" "canary" {
  name                 = "my-canary-endpoint"
  endpoint_config_name = aws_sagemaker_endpoint_configuration.canary.name

  deployment_config {
    blue_green_update_policy {
      termination_wait_in_seconds = 300

      traffic_routing_configuration {
        type                     = "CANARY"
        wait_interval_in_seconds = 600

        canary_size {
          type  = "INSTANCE_COUNT"
          value = 1
        }
      }
    }

    auto_rollback_configuration {
      alarms {
        alarm_name = "my-endpoint-errors"
      }
    }
  }
}

resource "aws_sagemaker_endpoint_configuration" "canary" {
  name_prefix = "my-canary-"

  production_variants {
    variant_name           = "AllTraffic"
    model_name             = aws_sagemaker_model.canary.name
    instance_type          = "ml.m5.large"
    initial_instance_count = 2
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_sagemaker_model" "canary" {
  name               = "my-canary-model"
  execution_role_arn = aws_iam_role.canary.arn

  primary_container {
    image = data.aws_sagemaker_prebuilt_ecr_image.kmeans.registry_path
  }
}

resource "aws_iam_role" "canary" {
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
