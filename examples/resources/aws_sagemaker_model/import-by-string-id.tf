import {
  to = aws_sagemaker_model.example
  id = "my-model"
}
