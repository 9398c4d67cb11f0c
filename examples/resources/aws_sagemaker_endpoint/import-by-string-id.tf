import {
  to = aws_sagemaker_endpoint.example
  id = "my-endpoint"
}
