data "aws_sagemaker_prebuilt_ecr_image" "xgboost" {
  repository_name = "sagemaker-xgboost"
  image_tag       = "1.7-1"
}

# For example 246618743249.dkr.ecr.us-west-2.amazonaws.com/sagemaker-xgboost:1.7-1 in us-west-2
output "xgboost_image" {
  value = data.aws_sagemaker_prebuilt_ecr_image.xgboost.registry_path
}
