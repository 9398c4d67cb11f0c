# Merging documents: the override's statement with Sid "ReadOnly" replaces the base one with the same Sid.
data "aws_iam_policy_document" "base" {
  statement {
    sid       = "ReadOnly"
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "narrower" {
  statement {
    sid       = "ReadOnly"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::my-bucket/*"]
  }
}

data "aws_iam_policy_document" "merged" {
  source_policy_documents   = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [data.aws_iam_policy_document.narrower.json]

  statement {
    sid       = "DenyDelete"
    effect    = "Deny"
    actions   = ["s3:DeleteObject"]
    resources = ["*"]
  }
}
