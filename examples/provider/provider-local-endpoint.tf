variable "endpoint" {
  description = "URL of the AWS-compatible endpoint: bin/local-aws, or LocalStack."
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
