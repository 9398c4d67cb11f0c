terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

# Credentials come from the usual places: environment variables, shared configuration files, or
# an instance or container role.
provider "aws" {
  region = "us-west-2"
}
