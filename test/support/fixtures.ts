// Configuration pieces several suites write: the image the models run, the trust policy that lets SageMaker assume
// an execution role (as JSON for SDK calls, as HCL for configurations), and configurations of roles and models.

/** The SageMaker k-means image in us-west-2 (the region of every target but real AWS's own). */
export const IMAGE = '174872318107.dkr.ecr.us-west-2.amazonaws.com/kmeans:1';
/** Another, for changes that replace a model. */
export const IMAGE_2 = '174872318107.dkr.ecr.us-west-2.amazonaws.com/linear-learner:1';

const SAGEMAKER = 'sagemaker.amazonaws.com';

/** A trust policy that lets `service` assume the role, as the JSON text IAM's CreateRole takes. */
export const trustPolicyJson = (service = SAGEMAKER): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });

/** The same trust policy as an HCL expression, for an `assume_role_policy` argument. */
export const trustPolicyJsonencode = (service = SAGEMAKER): string =>
  `jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "${service}" } }] })`;

/** The trust policy as an aws_iam_policy_document data source named `name` (read it as `data.aws_iam_policy_document.<name>.json`). */
export function trustPolicyDocument(name: string): string {
  return `data "aws_iam_policy_document" "${name}" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["${SAGEMAKER}"]
    }
  }
}
`;
}

/** An IAM role built from a policy document and one model that uses it (no provider block); `extra` goes in the model. */
export function roleAndModelHcl(name: string, extra = ''): string {
  return `${trustPolicyDocument('assume')}resource "aws_iam_role" "r" {
  name               = "${name}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}
resource "aws_sagemaker_model" "m" {
  name               = "${name}"
  execution_role_arn = aws_iam_role.r.arn
  primary_container {
    image = "${IMAGE}"
  }
${extra}}
`;
}

/** `count` models named `<prefix>-<index>`, each tagged with its index. */
export function modelsConfig(prefix: string, count: number, role: string, extraTags = ''): string {
  return `
resource "aws_sagemaker_model" "m" {
  count              = ${count}
  name               = "${prefix}-\${count.index}"
  execution_role_arn = "${role}"
  primary_container {
    image = "${IMAGE}"
  }
  tags = {
    Index = tostring(count.index)
    Suite = "reliability"
${extraTags}
  }
}
`;
}
