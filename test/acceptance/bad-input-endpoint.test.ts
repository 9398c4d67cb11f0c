// Bad input refused before anything is written, for aws_sagemaker_endpoint_configuration and aws_sagemaker_endpoint:
// hashicorp/aws's diagnostic texts (as 5.100.0 printed them for the same configurations), the line each points at,
// and no write in the endpoint's call log. `terraform validate` for static values; the plan-time check of
// capture_content_type_header through apply.
import { runCases, type Case } from './bad-input';

const CONFIG = 'aws_sagemaker_endpoint_configuration.test';
const ENDPOINT = 'aws_sagemaker_endpoint.test';

const configuration = (variant: string, rest = '') =>
  `resource "aws_sagemaker_endpoint_configuration" "test" {\n  production_variants {\n    model_name             = "NAME"\n${variant}  }\n${rest}}\n`;
const instance = '    instance_type          = "ml.t2.medium"\n    initial_instance_count = 1\n';
const endpoint = (deployment: string, name = '"NAME"') =>
  `resource "aws_sagemaker_endpoint" "test" {\n  name                 = ${name}\n  endpoint_config_name = "cfg"\n${deployment}}\n`;
const capacity = (block: string, value = 1) => `        ${block} {\n          type  = "INSTANCE_COUNT"\n          value = ${value}\n        }\n`;
const blueGreen = (routing = '') =>
  `    blue_green_update_policy {\n      traffic_routing_configuration {\n        type                     = "ALL_AT_ONCE"\n        wait_interval_in_seconds = 0\n${routing}      }\n    }\n`;
const rolling = `    rolling_update_policy {\n      wait_interval_in_seconds = 0\n      maximum_batch_size {\n        type  = "INSTANCE_COUNT"\n        value = 1\n      }\n    }\n`;
const ONE_OF = '`deployment_config.0.blue_green_update_policy,deployment_config.0.rolling_update_policy`';

const cases: Record<string, Case> = {
  'an instance type SageMaker does not have': {
    hcl: configuration('    instance_type          = "ml.bogus"\n    initial_instance_count = 1\n'),
    address: CONFIG,
    at: 'ml.bogus',
    errors: [/^expected instance_type to be one of \["ml\.t2\.medium" "ml\.t2\.large" .* "ml\.p5\.4xlarge"\], got ml\.bogus$/],
  },
  'a negative variant weight': {
    hcl: configuration(`${instance}    initial_variant_weight = -1\n`),
    address: CONFIG,
    at: 'initial_variant_weight',
    errors: ['expected production_variants.0.initial_variant_weight to be at least (0.000000), got -1.000000'],
  },
  'an instance count of 0': {
    hcl: configuration('    instance_type          = "ml.t2.medium"\n    initial_instance_count = 0\n'),
    address: CONFIG,
    at: 'initial_instance_count',
    errors: ['expected production_variants.0.initial_instance_count to be at least (1), got 0'],
  },
  'a fractional instance count': {
    hcl: configuration('    instance_type          = "ml.t2.medium"\n    initial_instance_count = 1.5\n'),
    address: CONFIG,
    at: 'initial_instance_count',
    errors: ['Attribute must be a whole number, got 1.5'],
  },
  'serverless memory that is not offered': {
    hcl: configuration('    serverless_config {\n      max_concurrency   = 1\n      memory_size_in_mb = 1000\n    }\n'),
    address: CONFIG,
    at: 'memory_size_in_mb',
    errors: ['expected production_variants.0.serverless_config.0.memory_size_in_mb to be one of [1024 2048 3072 4096 5120 6144], got 1000'],
  },
  'a name prefix with three faults': {
    hcl: configuration(instance, '  name_prefix = "-bad_prefix-that-is-way-too-long-for-the-thing-here"\n'),
    address: CONFIG,
    at: 'name_prefix',
    errors: [
      'only alphanumeric characters and hyphens allowed in "name_prefix": "-bad_prefix-that-is-way-too-long-for-the-thing-here"',
      '"name_prefix" cannot be longer than 37 characters: "-bad_prefix-that-is-way-too-long-for-the-thing-here"',
      '"name_prefix" cannot begin with a hyphen: "-bad_prefix-that-is-way-too-long-for-the-thing-here"',
    ],
  },
  'both name and name_prefix': {
    hcl: configuration(instance, '  name        = "cfg"\n  name_prefix = "cfg-"\n'),
    address: CONFIG,
    at: ['name        =', 'name_prefix'],
    errors: ['Conflicting configuration arguments', 'Conflicting configuration arguments'],
    detail: '"name": conflicts with name_prefix',
  },
  'data capture to a URI that is not S3 nor HTTPS, with a capture mode that does not exist': {
    hcl: configuration(
      instance,
      '  data_capture_config {\n    initial_sampling_percentage = 10\n    destination_s3_uri          = "ftp://x"\n    capture_options {\n      capture_mode = "Both"\n    }\n  }\n',
    ),
    address: CONFIG,
    at: ['ftp://x', 'capture_mode'],
    errors: ['expected value of data_capture_config.0.destination_s3_uri to match regular expression "^(https|s3)://([^/])/?(.*)$", got ftp://x', 'expected capture_mode to be one of ["Input" "Output" "InputAndOutput"], got Both'],
  },
  'a capture_content_type_header without content types (a plan-time check)': {
    hcl: configuration(
      instance,
      '  data_capture_config {\n    initial_sampling_percentage = 10\n    destination_s3_uri          = "s3://bucket/capture"\n    capture_options {\n      capture_mode = "Input"\n    }\n    capture_content_type_header {\n    }\n  }\n',
    ),
    address: CONFIG,
    via: 'apply',
    at: 'resource "aws_sagemaker_endpoint_configuration" "test"',
    errors: ['Invalid Attribute Combination'],
    detail: 'At least one attribute out of [csv_content_types, json_content_types] must be specified Path: data_capture_config.capture_content_type_header',
  },
  'an endpoint name with an underscore': {
    hcl: endpoint('', '"bad_name"'),
    address: ENDPOINT,
    at: 'bad_name',
    errors: ['only alphanumeric characters and hyphens allowed in "name": "bad_name"'],
  },
  'both update policies': {
    hcl: endpoint(`  deployment_config {\n${blueGreen()}${rolling}  }\n`),
    address: ENDPOINT,
    at: ['blue_green_update_policy {', 'rolling_update_policy {'],
    errors: ['Invalid combination of arguments', 'Invalid combination of arguments'],
    detail: `"deployment_config.0.blue_green_update_policy": only one of ${ONE_OF} can be specified, but ${ONE_OF} were specified.`,
  },
  'a deployment configuration with neither update policy': {
    hcl: endpoint('  deployment_config {\n    auto_rollback_configuration {\n      alarms {\n        alarm_name = "errors"\n      }\n    }\n  }\n'),
    address: ENDPOINT,
    at: 'deployment_config {',
    errors: ['Invalid combination of arguments', 'Invalid combination of arguments'],
    detail: `"deployment_config.0.rolling_update_policy": one of ${ONE_OF} must be specified`,
  },
  'a canary of size 0 and an unknown routing type': {
    hcl: endpoint(`  deployment_config {\n${blueGreen(capacity('canary_size', 0)).replace('ALL_AT_ONCE', 'SOME')}  }\n`),
    address: ENDPOINT,
    at: ['"SOME"', 'value = 0'],
    errors: [
      'expected type to be one of ["ALL_AT_ONCE" "CANARY" "LINEAR"], got SOME',
      'expected deployment_config.0.blue_green_update_policy.0.traffic_routing_configuration.0.canary_size.0.value to be at least (1), got 0',
    ],
  },
};

runCases(cases);
