// Nested blocks whose number or content is unknown at plan time, through terraform against the embedded endpoint:
// a `dynamic` block whose for_each depends on a value known only after apply (terraform_data's output), and unknown
// attribute values inside nested blocks. hashicorp/aws (SDKv2) plans these without error, deferring the checks on the
// unknown values to apply; the apply then runs them on the known values.
import t, { type Test } from 'tap';
import { Workspace, actionsOf, providerBlock, uniqueName, type PlanJson } from '../support/terraform';
import { useTarget } from '../support/target';
import { IMAGE } from '../support/fixtures';

const acc = useTarget(t);
const CONFIG = 'aws_sagemaker_endpoint_configuration.test';

/**
 * Plans `hcl` (the configuration planned for creation while terraform_data.gate's output is unknown), applies that
 * plan, hands the plan and the applied configuration to `check`, then asserts the next plan is empty and destroys.
 */
async function planApplyDestroy(t: Test, hcl: string, check: (plan: PlanJson, config: Record<string, unknown>) => Promise<void> | void): Promise<void> {
  const ws = new Workspace();
  t.teardown(() => ws.cleanup());
  ws.config(hcl);
  const plan = await ws.planJson();
  t.same(actionsOf(plan)[CONFIG], ['create'], 'the configuration is planned');
  await ws.ok(['apply', '-auto-approve', '-input=false', '-no-color', 'tfplan']);
  await check(plan, await ws.resource(CONFIG));
  t.equal((await ws.planExitCode()).code, 0, 'plan after apply is empty');
  await ws.destroy();
}

/** terraform_data.gate, whose output is unknown until it is applied, and the model the variants run. */
function gatedModel(model: string, gate: string): string {
  return `${providerBlock(acc.target)}
resource "terraform_data" "gate" {
  input = "${gate}"
}

resource "aws_sagemaker_model" "test" {
  name               = "${model}"
  execution_role_arn = "${acc.role}"
  primary_container {
    image = "${IMAGE}"
  }
}
`;
}

/** A model and an endpoint configuration whose capture blocks depend on terraform_data.gate (unknown until applied). */
function configuration(model: string, gate: string): string {
  return `${gatedModel(model, gate)}
resource "aws_sagemaker_endpoint_configuration" "test" {
  production_variants {
    model_name             = aws_sagemaker_model.test.name
    instance_type          = "ml.t2.medium"
    initial_instance_count = 1
    variant_name           = terraform_data.gate.output == null ? "none" : "v-\${terraform_data.gate.output}"
  }

  dynamic "data_capture_config" {
    for_each = terraform_data.gate.output == null ? [] : [terraform_data.gate.output]
    content {
      initial_sampling_percentage = 50
      destination_s3_uri          = "s3://capture-bucket/\${data_capture_config.value}"
      capture_options {
        capture_mode = "Input"
      }
      dynamic "capture_content_type_header" {
        for_each = terraform_data.gate.output == null ? [] : [1]
        content {
          json_content_types = [terraform_data.gate.output == null ? "none" : "application/json"]
        }
      }
    }
  }
}
`;
}

t.test('dynamic blocks with an unknown for_each and unknown values inside nested blocks plan and apply', (t) =>
  planApplyDestroy(t, configuration(uniqueName('tfacc-model'), 'gate'), async (plan, config) => {
    const change = plan.resource_changes!.find((c) => c.address === CONFIG)!.change as { after_unknown?: Record<string, unknown> };
    t.equal(change.after_unknown?.data_capture_config, true, 'the whole data_capture_config list is unknown at plan time');
    t.match(config.production_variants, [{ variant_name: 'v-gate' }]);
    t.match(config.data_capture_config, [
      { destination_s3_uri: 's3://capture-bucket/gate', capture_content_type_header: [{ json_content_types: ['application/json'] }] },
    ]);
    const remote = await acc.aws.endpointConfig(config.name as string);
    t.equal(remote?.DataCaptureConfig?.DestinationS3Uri, 's3://capture-bucket/gate', 'sent to SageMaker as known after apply');
  }),
);

/** Known blocks holding unknown values: a capture_content_type_header whose lists are unknown as a whole, and a variant count from a dynamic block. */
function unknownContent(model: string, gate: string): string {
  return `${gatedModel(model, gate)}
resource "aws_sagemaker_endpoint_configuration" "test" {
  dynamic "production_variants" {
    for_each = terraform_data.gate.output == null ? [] : ["one"]
    content {
      model_name             = aws_sagemaker_model.test.name
      instance_type          = "ml.t2.medium"
      initial_instance_count = 1
      variant_name           = production_variants.value
    }
  }

  data_capture_config {
    initial_sampling_percentage = 50
    destination_s3_uri          = "s3://capture-bucket/known"
    capture_options {
      capture_mode = "Input"
    }
    capture_content_type_header {
      json_content_types = terraform_data.gate.output == null ? null : ["application/json"]
      csv_content_types  = terraform_data.gate.output == null ? null : ["text/csv"]
    }
  }
}
`;
}

t.test('known blocks with unknown lists inside: no "at least one of" error at plan time', (t) =>
  planApplyDestroy(t, unknownContent(uniqueName('tfacc-model'), 'gate'), (_plan, config) => {
    t.match(config.production_variants, [{ variant_name: 'one' }]);
    t.match(config.data_capture_config, [{ capture_content_type_header: [{ json_content_types: ['application/json'], csv_content_types: ['text/csv'] }] }]);
  }),
);

/** A known block holding a dynamic block with an unknown for_each, and a header with one unknown list and the other unset. */
function unknownInside(model: string, gate: string): string {
  return `${gatedModel(model, gate)}
resource "aws_sagemaker_endpoint_configuration" "test" {
  production_variants {
    model_name             = aws_sagemaker_model.test.name
    instance_type          = "ml.t2.medium"
    initial_instance_count = 1
    dynamic "routing_config" {
      for_each = terraform_data.gate.output == null ? [] : ["LEAST_OUTSTANDING_REQUESTS"]
      content {
        routing_strategy = routing_config.value
      }
    }
  }

  data_capture_config {
    initial_sampling_percentage = 50
    destination_s3_uri          = "s3://capture-bucket/known"
    dynamic "capture_options" {
      for_each = terraform_data.gate.output == null ? [] : ["Input", "Output"]
      content {
        capture_mode = capture_options.value
      }
    }
    capture_content_type_header {
      json_content_types = terraform_data.gate.output == null ? null : ["application/json"]
    }
  }
}
`;
}

t.test('dynamic blocks with an unknown for_each inside known blocks, one unknown list of a pair', (t) =>
  planApplyDestroy(t, unknownInside(uniqueName('tfacc-model'), 'gate'), (_plan, config) => {
    t.match(config.production_variants, [{ routing_config: [{ routing_strategy: 'LEAST_OUTSTANDING_REQUESTS' }] }]);
    t.match(config.data_capture_config, [
      { capture_options: [{ capture_mode: 'Input' }, { capture_mode: 'Output' }], capture_content_type_header: [{ json_content_types: ['application/json'] }] },
    ]);
  }),
);
