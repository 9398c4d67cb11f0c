// Bad input refused before anything is written: aws_iam_role, aws_iam_policy_document, and malformed values that
// arrive from variables or from other resources (unknown at plan, refused at apply with the same message, before
// any write).
import { ASSUME, CONTAINER, iamRole, model, runCases, type Case } from './bad-input';
import { IMAGE } from '../support/fixtures';

const cases: Record<string, Case> = {
  // ---- IAM role ARNs and policy document enums ----
  'aws_iam_role permissions_boundary that is not an ARN': {
    hcl: iamRole('  name                 = "NAME"\n  permissions_boundary = "boundary"'),
    address: 'aws_iam_role.test',
    at: 'permissions_boundary',
    errors: ['"permissions_boundary" (boundary) is an invalid ARN: arn: invalid prefix'],
  },
  'aws_iam_policy_document statement effect': {
    hcl: `data "aws_iam_policy_document" "test" {\n  statement {\n    effect    = "Permit"\n    actions   = ["s3:GetObject"]\n    resources = ["*"]\n  }\n}\n`,
    address: 'data.aws_iam_policy_document.test',
    at: 'effect    = "Permit"',
    errors: ['expected statement.0.effect to be one of ["Allow" "Deny"], got Permit'],
  },
  'aws_iam_policy_document version': {
    hcl: `data "aws_iam_policy_document" "test" {\n  version = "2020-01-01"\n  statement {\n    actions   = ["s3:GetObject"]\n    resources = ["*"]\n  }\n}\n`,
    address: 'data.aws_iam_policy_document.test',
    at: 'version = "2020-01-01"',
    errors: ['expected version to be one of ["2008-10-17" "2012-10-17"], got 2020-01-01'],
  },
  // ---- policy documents ----
  'duplicate Sids in a policy document': {
    hcl: `data "aws_iam_policy_document" "test" {\n  statement {\n    sid       = "Same"\n    actions   = ["s3:GetObject"]\n    resources = ["*"]\n  }\n  statement {\n    sid       = "Same"\n    actions   = ["s3:PutObject"]\n    resources = ["*"]\n  }\n}\n${iamRole('  name = "NAME"').replace(ASSUME, 'data.aws_iam_policy_document.test.json')}`,
    address: 'data.aws_iam_policy_document.test',
    at: 'data "aws_iam_policy_document" "test" {',
    errors: ['writing IAM Policy Document: duplicate Sid (Same). Remove the Sid or ensure the Sid is unique.'],
    via: 'apply',
  },
  // ---- IAM role ----
  'IAM role name of 65 characters': {
    hcl: iamRole(`  name = "${'r'.repeat(65)}"`),
    address: 'aws_iam_role.test',
    at: 'name = "rrr',
    errors: ['expected length of name to be in the range (1 - 64), got ' + 'r'.repeat(65)],
  },
  'IAM role name_prefix of 39 characters': {
    hcl: iamRole(`  name_prefix = "${'p'.repeat(39)}"`),
    address: 'aws_iam_role.test',
    at: 'name_prefix',
    errors: ['expected length of name_prefix to be in the range (1 - 38), got ' + 'p'.repeat(39)],
  },
  'IAM role name with a slash': {
    hcl: iamRole('  name = "team/role"'),
    address: 'aws_iam_role.test',
    at: 'team/role',
    errors: ['invalid value for name (must match [\\w+=,.@-])'],
  },
  'IAM role max_session_duration below an hour': {
    hcl: iamRole('  name                 = "NAME"\n  max_session_duration = 600'),
    address: 'aws_iam_role.test',
    at: 'max_session_duration',
    errors: ['expected max_session_duration to be in the range (3600 - 43200), got 600'],
  },
  'IAM role assume_role_policy that is a JSON array': {
    hcl: `resource "aws_iam_role" "test" {\n  name               = "NAME"\n  assume_role_policy = "[]"\n}\n`,
    address: 'aws_iam_role.test',
    at: 'assume_role_policy = "[]"',
    errors: ['"assume_role_policy" contains an invalid JSON policy: contains a JSON array, not a JSON object'],
  },
  'IAM role description with curly quotes': {
    hcl: iamRole('  name        = "NAME"\n  description = "the “model” role"'),
    address: 'aws_iam_role.test',
    at: 'description',
    errors: ['invalid value for description (cannot contain specially formatted single or double quotes: [“‘])'],
  },
  'IAM role with both name and name_prefix': {
    hcl: iamRole('  name        = "NAME"\n  name_prefix = "pre"'),
    address: 'aws_iam_role.test',
    at: ['name        =', 'name_prefix ='],
    errors: ['Conflicting configuration arguments', 'Conflicting configuration arguments'],
    detail: '"name_prefix": conflicts with name',
  },
  // ---- malformed values arriving from variables ----
  'a bad name from -var (known at plan, not at validate)': {
    hcl: `variable "name" {\n  type = string\n}\n${model(CONTAINER, 'var.name')}`,
    args: ['-var', 'name=bad_name!'],
    at: 'name               = var.name',
    errors: ['only alphanumeric characters and hyphens allowed in "name": "bad_name!"'],
    via: 'apply',
  },
  'a bad name unknown at plan (from another resource): refused at apply with the same message': {
    hcl: `resource "terraform_data" "name" {\n  input = "bad_name!"\n}\n${model(CONTAINER, 'terraform_data.name.output')}`,
    at: 'name               = terraform_data.name.output',
    errors: ['only alphanumeric characters and hyphens allowed in "name": "bad_name!"'],
    via: 'apply',
  },
  'a bad execution_role_arn unknown at plan: refused at apply with the same message': {
    hcl: `resource "terraform_data" "arn" {\n  input = "notanarn"\n}\n${model(CONTAINER).replace('"ROLE"', 'terraform_data.arn.output')}`,
    at: 'execution_role_arn = terraform_data.arn.output',
    errors: ['"execution_role_arn" (notanarn) is an invalid ARN: arn: invalid prefix'],
    via: 'apply',
  },
  'a bad environment key from a map variable': {
    hcl: `variable "env" {\n  type = map(string)\n}\n${model(`  primary_container {\n    image       = "${IMAGE}"\n    environment = var.env\n  }\n`)}`,
    args: ['-var', 'env={"9LIVES"="x"}'],
    at: 'environment = var.env',
    errors: ['"primary_container.0.environment" cannot begin with a digit: "9LIVES"'],
    via: 'apply',
  },
  'an IAM role name too long, unknown at plan': {
    hcl: `resource "terraform_data" "n" {\n  input = "${'n'.repeat(70)}"\n}\n${iamRole('  name = terraform_data.n.output')}`,
    address: 'aws_iam_role.test',
    at: 'name = terraform_data.n.output',
    errors: ['expected length of name to be in the range (1 - 64), got ' + 'n'.repeat(70)],
    via: 'apply',
  },
};

runCases(cases);
