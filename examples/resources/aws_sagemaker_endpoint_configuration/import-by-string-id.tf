import {
  to = aws_sagemaker_endpoint_configuration.example
  id = "my-endpoint-config"
}
