resource "aws_iam_role" "example" {
  name                 = "example-role"
  description          = "Assumed by EC2 instances of the example application."
  max_session_duration = 7200

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ec2.amazonaws.com" }
    }]
  })

  tags = {
    Application = "example"
  }
}
