terraform import aws_sagemaker_model.example my-model
