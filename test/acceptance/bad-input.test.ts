// Bad input refused before anything is written (aws_sagemaker_model): invalid configurations that invalid.test.ts does
// not cover, each its own test, asserting hashicorp/aws's diagnostic text (our own where marked: a deliberate
// difference), the line it points at, and that the endpoint's call log shows no write. `terraform validate` for static values; apply where the check needs the
// provider's configuration or a variable.
import { CONTAINER, model, runCases, type Case } from './bad-input';
import { IMAGE } from '../support/fixtures';

const cases: Record<string, Case> = {
  // ---- ours, not hashicorp/aws's (provider-schema/README.md, "Deliberate differences") ----
  'no container at all': {
    hcl: model(''),
    at: 'resource "aws_sagemaker_model" "test"',
    errors: ['Missing container definition'],
    detail: 'A SageMaker model needs a "primary_container" block or at least one "container" block.',
  },

  // ---- names and other SageMaker names ----
  'name with a dot and a space': {
    hcl: model(CONTAINER, '"my model.v1"'),
    at: 'my model.v1',
    errors: ['only alphanumeric characters and hyphens allowed in "name": "my model.v1"'],
  },
  'container_hostname too long, in primary_container': {
    hcl: model(`  primary_container {\n    image              = "${IMAGE}"\n    container_hostname = "${'h'.repeat(64)}"\n  }\n`),
    at: 'container_hostname',
    errors: [`"primary_container.0.container_hostname" cannot be longer than 63 characters: "${'h'.repeat(64)}"`],
  },
  'inference_specification_name with a leading hyphen': {
    hcl: model(`  container {\n    image                        = "${IMAGE}"\n    inference_specification_name = "-spec"\n  }\n`),
    at: 'inference_specification_name',
    errors: ['"container.0.inference_specification_name" cannot begin with a hyphen: "-spec"'],
  },
  'image longer than 255 characters': {
    hcl: model(`  primary_container {\n    image = "${'i'.repeat(256)}"\n  }\n`),
    at: 'image = "iii',
    errors: [`"primary_container.0.image" cannot be longer than 255 characters: "${'i'.repeat(256)}"`],
  },
  // ---- every ARN argument ----
  'execution_role_arn with a bad partition': {
    hcl: model(CONTAINER).replace('"ROLE"', '"arn:amazon:iam::123456789012:role/r"'),
    at: 'arn:amazon:iam',
    errors: ['"execution_role_arn" (arn:amazon:iam::123456789012:role/r) is an invalid ARN: invalid partition value (expecting to match regular expression: ^aws(-[a-z]+)*$)'],
  },
  'execution_role_arn with a malformed region': {
    hcl: model(CONTAINER).replace('"ROLE"', '"arn:aws:iam:uswest2:123456789012:role/r"'),
    at: 'arn:aws:iam:uswest2',
    errors: ['"execution_role_arn" (arn:aws:iam:uswest2:123456789012:role/r) is an invalid ARN: invalid region value'],
  },
  'execution_role_arn without a resource': {
    hcl: model(CONTAINER).replace('"ROLE"', '"arn:aws:iam::123456789012:"'),
    at: 'arn:aws:iam::123456789012:"',
    errors: ['"execution_role_arn" (arn:aws:iam::123456789012:) is an invalid ARN: missing resource value'],
  },
  'model_package_name with a bad account, in primary_container': {
    hcl: model(`  primary_container {\n    model_package_name = "arn:aws:sagemaker:us-west-2:12:model-package/p"\n  }\n`),
    at: 'model_package_name',
    errors: [
      '"primary_container.0.model_package_name" (arn:aws:sagemaker:us-west-2:12:model-package/p) is an invalid ARN: invalid account ID value (expecting to match regular expression: ^(aws|aws-managed|third-party|aws-marketplace|\\d{12}|cw.{10})$)',
    ],
  },
  'repository_credentials_provider_arn that is not an ARN': {
    hcl: model(
      `  primary_container {\n    image = "${IMAGE}"\n    image_config {\n      repository_access_mode = "Vpc"\n      repository_auth_config {\n        repository_credentials_provider_arn = "my-lambda"\n      }\n    }\n  }\n`,
    ),
    at: 'repository_credentials_provider_arn',
    errors: ['"primary_container.0.image_config.0.repository_auth_config.0.repository_credentials_provider_arn" (my-lambda) is an invalid ARN: arn: invalid prefix'],
  },
  // ---- every enum not covered elsewhere ----
  'container mode': {
    hcl: model(`  container {\n    image = "${IMAGE}"\n    mode  = "multimodel"\n  }\n`),
    at: 'mode  = "multimodel"',
    errors: ['expected mode to be one of ["SingleModel" "MultiModel"], got multimodel'],
  },
  'container repository_access_mode': {
    hcl: model(`  container {\n    image = "${IMAGE}"\n    image_config {\n      repository_access_mode = "VPC"\n    }\n  }\n`),
    at: 'repository_access_mode',
    errors: ['expected repository_access_mode to be one of ["Platform" "Vpc"], got VPC'],
  },
  'container multi_model_config model_cache_setting': {
    hcl: model(`  container {\n    image = "${IMAGE}"\n    mode  = "MultiModel"\n    multi_model_config {\n      model_cache_setting = "enabled"\n    }\n  }\n`),
    at: 'model_cache_setting',
    errors: ['expected model_cache_setting to be one of ["Enabled" "Disabled"], got enabled'],
  },
  'model_data_source compression_type': {
    hcl: model(
      `  primary_container {\n    image = "${IMAGE}"\n    model_data_source {\n      s3_data_source {\n        s3_uri           = "s3://bucket/model/"\n        s3_data_type     = "S3Prefix"\n        compression_type = "Zip"\n      }\n    }\n  }\n`,
    ),
    at: 'compression_type = "Zip"',
    errors: ['expected compression_type to be one of ["None" "Gzip"], got Zip'],
  },
  'additional_model_data_source s3_data_type': {
    hcl: model(
      `  container {\n    image = "${IMAGE}"\n    additional_model_data_source {\n      channel_name = "extra"\n      s3_data_source {\n        s3_uri           = "s3://bucket/extra/"\n        s3_data_type     = "S3File"\n        compression_type = "None"\n      }\n    }\n  }\n`,
    ),
    at: 's3_data_type     = "S3File"',
    errors: ['expected s3_data_type to be one of ["S3Prefix" "S3Object"], got S3File'],
  },
  // ---- environment keys and sizes ----
  'environment value over 1024 characters': {
    hcl: model(`  primary_container {\n    image       = "${IMAGE}"\n    environment = { BIG = "${'v'.repeat(1025)}" }\n  }\n`),
    at: 'environment = {',
    errors: [`"primary_container.0.environment" cannot be longer than 1024 characters: "${'v'.repeat(1025)}"`],
  },
  'environment key over 1024 characters': {
    hcl: model(`  container {\n    image       = "${IMAGE}"\n    environment = { ${'K'.repeat(1025)} = "v" }\n  }\n`),
    at: 'environment = {',
    errors: [`"container.0.environment" cannot be longer than 1024 characters: "${'K'.repeat(1025)}"`],
  },
  'environment key with a dot': {
    hcl: model(`  primary_container {\n    image       = "${IMAGE}"\n    environment = { "SAGEMAKER.PROGRAM" = "x" }\n  }\n`),
    at: 'environment = {',
    errors: ['only alphanumeric characters and underscore allowed in "primary_container.0.environment": "SAGEMAKER.PROGRAM"'],
  },
  // ---- URI schemes ----
  'container model_data_url over plain http': {
    hcl: model(`  container {\n    image          = "${IMAGE}"\n    model_data_url = "http://bucket.example/model.tar.gz"\n  }\n`),
    at: 'model_data_url',
    errors: ['invalid value for container.0.model_data_url (must be HTTPS or Amazon S3 URI)'],
  },
  'model_data_source s3_uri with a gs:// scheme': {
    hcl: model(
      `  primary_container {\n    image = "${IMAGE}"\n    model_data_source {\n      s3_data_source {\n        s3_uri           = "gs://bucket/model/"\n        s3_data_type     = "S3Prefix"\n        compression_type = "None"\n      }\n    }\n  }\n`,
    ),
    at: 's3_uri',
    errors: ['invalid value for primary_container.0.model_data_source.0.s3_data_source.0.s3_uri (must be HTTPS or Amazon S3 URI)'],
  },
  'additional_model_data_source s3_uri that is a local path': {
    hcl: model(
      `  container {\n    image = "${IMAGE}"\n    additional_model_data_source {\n      channel_name = "extra"\n      s3_data_source {\n        s3_uri           = "/models/extra"\n        s3_data_type     = "S3Prefix"\n        compression_type = "None"\n      }\n    }\n  }\n`,
    ),
    at: 's3_uri',
    errors: ['invalid value for container.0.additional_model_data_source.0.s3_data_source.0.s3_uri (must be HTTPS or Amazon S3 URI)'],
  },
  // ---- counts ----
  'two primary_container blocks': {
    hcl: model(CONTAINER + CONTAINER),
    at: 'primary_container {',
    atOccurrence: 2,
    terraformCheck: true,
    errors: ['Too many primary_container blocks'],
    detail: 'No more than 1 "primary_container" blocks are allowed',
  },
  'too many subnets from a variable (not known at validate)': {
    hcl: `variable "subnets" {\n  type = list(string)\n}\n${model(`${CONTAINER}  vpc_config {\n    subnets            = var.subnets\n    security_group_ids = ["sg-1"]\n  }\n`)}`,
    args: ['-var', `subnets=${JSON.stringify(Array.from({ length: 20 }, (_, i) => `subnet-${i}`))}`],
    at: 'subnets            = var.subnets',
    errors: ['Too many list items'],
    detail: 'Attribute vpc_config.0.subnets supports 16 item maximum, but config has 20 declared.',
    via: 'apply',
  },
  // ---- region ----
  'region not in the provider partition': {
    hcl: model(`${CONTAINER}  region = "cn-north-1"\n`),
    at: 'region = "cn-north-1"',
    errors: ['Invalid region value'],
    detail: 'Region "cn-north-1" is not in the partition "aws".',
    via: 'apply',
  },
};

runCases(cases);
