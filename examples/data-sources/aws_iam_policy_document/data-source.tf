data "aws_iam_policy_document" "example" {
  statement {
    sid       = "ListHomePrefix"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::my-bucket"]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      # &{...} is a policy variable: the document gets ${aws:username}.
      values = ["home/&{aws:username}/*"]
    }
  }

  statement {
    sid = "ReadWriteHome"
    actions = [
      "s3:GetObject",
      "s3:PutObject",
    ]
    resources = ["arn:aws:s3:::my-bucket/home/&{aws:username}/*"]
  }
}

# Use the document wherever a policy is expected, e.g. policy = data.aws_iam_policy_document.example.json
output "policy_json" {
  value = data.aws_iam_policy_document.example.json
}
