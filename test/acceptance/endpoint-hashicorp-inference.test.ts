// The real hashicorp/aws 5.100.0 against the embedded endpoint, for SageMaker inference: a model, endpoint
// configurations and an endpoint are created; tags are updated and the endpoint moves to another configuration; a
// configuration it uses is replaced (create_before_destroy); both types import without a difference; an endpoint
// whose creation fails and one whose update fails report their FailureReason; destroy leaves nothing behind.
// Few commands: each hashicorp/aws launch costs seconds. Instead of a plan after each step, the plan of the next
// apply checks that the step converged (its counts would show any leftover difference).
import t from 'tap';
import { DescribeEndpointCommand, DescribeEndpointConfigCommand, type DescribeEndpointCommandOutput } from '@aws-sdk/client-sagemaker';
import { AwsApi } from '../support/aws';
import { trustPolicyJsonencode } from '../support/fixtures';
import { waitFor } from '../support/processes';
import { hasHashicorpMirror, providerBlock, startTarget, uniqueName, Workspace, type Target } from '../support/terraform';

const IMAGE = '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-inference:2.1.0-cpu-py310';

interface Step {
  /** The endpoint's configuration: "a" or "b". */
  endpointConfig: 'a' | 'b';
  endpointTags: Record<string, string>;
  configTags: Record<string, string>;
  /** Instance type of configuration b; changing it replaces b. */
  bInstanceType?: string;
  /** Adds an endpoint that the endpoint's fault makes fail at creation. */
  broken?: boolean;
}

function hcl(tags: Record<string, string>): string {
  return `{\n${Object.entries(tags).map(([key, value]) => `    ${key} = "${value}"`).join('\n')}\n  }`;
}

const deploymentConfig = `
  deployment_config {
    blue_green_update_policy {
      traffic_routing_configuration {
        type                     = "LINEAR"
        wait_interval_in_seconds = 60

        linear_step_size {
          type  = "INSTANCE_COUNT"
          value = 1
        }
      }
    }

    auto_rollback_configuration {
      alarms {
        alarm_name = "endpoint-errors"
      }
    }
  }`;

const configA = (name: string, tags: Record<string, string>) => `
resource "aws_sagemaker_endpoint_configuration" "a" {
  name = "${name}-a"

  production_variants {
    variant_name           = "variant-1"
    model_name             = aws_sagemaker_model.test.name
    initial_instance_count = 2
    initial_variant_weight = 1
    instance_type          = "ml.t2.medium"
  }

  data_capture_config {
    initial_sampling_percentage = 50
    destination_s3_uri          = "s3://${name}-capture/prefix"

    capture_options {
      capture_mode = "Input"
    }
    capture_options {
      capture_mode = "Output"
    }

    capture_content_type_header {
      json_content_types = ["application/json"]
    }
  }

  tags = ${hcl(tags)}
}
`;

function config(target: Target, name: string, step: Step): string {
  const endpointConfigName = step.endpointConfig === 'a' ? 'aws_sagemaker_endpoint_configuration.a.name' : 'aws_sagemaker_endpoint_configuration.b.name';
  return `${providerBlock(target)}
resource "aws_iam_role" "test" {
  name = "${name}"
  assume_role_policy = ${trustPolicyJsonencode()}
}

resource "aws_sagemaker_model" "test" {
  name               = "${name}"
  execution_role_arn = aws_iam_role.test.arn

  primary_container {
    image = "${IMAGE}"
  }
}
${configA(name, step.configTags)}
resource "aws_sagemaker_endpoint_configuration" "b" {
  name_prefix = "${name}-b-"

  production_variants {
    model_name             = aws_sagemaker_model.test.name
    initial_instance_count = 1
    instance_type          = "${step.bInstanceType ?? 'ml.m5.large'}"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_sagemaker_endpoint" "test" {
  name                 = "${name}"
  endpoint_config_name = ${endpointConfigName}
${deploymentConfig}

  tags = ${hcl(step.endpointTags)}
}
${
  step.broken
    ? `
resource "aws_sagemaker_endpoint" "broken" {
  name                 = "${name}-broken"
  endpoint_config_name = aws_sagemaker_endpoint_configuration.a.name
}
`
    : ''
}`;
}

t.test('hashicorp/aws 5.100.0: SageMaker endpoint configurations and endpoints against the embedded endpoint', { skip: !hasHashicorpMirror() && 'no hashicorp/aws mirror' }, async (t) => {
  const target: Target = await startTarget();
  const aws = new AwsApi(target);
  t.teardown(async () => {
    aws.destroy();
    await target.stop();
  });
  if (!target.admin) {
    t.comment('needs the embedded endpoint (fault injection, call log)');
    return;
  }
  const name = uniqueName('tfacc-inf');
  const describe = (endpoint: string): Promise<DescribeEndpointCommandOutput> => aws.sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpoint }));
  const ws = new Workspace('hashicorp');
  t.teardown(() => ws.cleanup());

  // 1. Create everything: the endpoint waits for InService.
  ws.config(config(target, name, { endpointConfig: 'a', endpointTags: { foo: 'bar' }, configTags: { Name: 'a' } }));
  await ws.apply();
  let endpoint = await describe(name);
  t.equal(endpoint.EndpointStatus, 'InService');
  t.equal(endpoint.EndpointConfigName, `${name}-a`);
  t.equal(endpoint.ProductionVariants![0].CurrentInstanceCount, 2);
  t.same(await aws.tags(endpoint.EndpointArn!), { foo: 'bar' });
  const resources = Object.fromEntries(((await ws.state()).values?.root_module?.resources ?? []).map((r) => [r.address, r.values]));
  const state = resources['aws_sagemaker_endpoint.test'];
  t.match(state, { arn: endpoint.EndpointArn, name, endpoint_config_name: `${name}-a` });
  t.match(state.deployment_config, [{ blue_green_update_policy: [{ termination_wait_in_seconds: 0, traffic_routing_configuration: [{ type: 'LINEAR', linear_step_size: [{ type: 'INSTANCE_COUNT', value: 1 }] }] }] }], 'deployment_config read back from LastDeploymentConfig');
  const bName = resources['aws_sagemaker_endpoint_configuration.b'].name as string;
  t.match(bName, new RegExp(`^${name}-b-\\d{26}$`), 'name_prefix');

  // 2. Tags change on both types (added, changed, removed), and the endpoint moves to configuration b (Updating,
  // then InService).
  ws.config(config(target, name, { endpointConfig: 'b', endpointTags: { env: 'test' }, configTags: { Name: 'a2', team: 'ml' } }));
  const updated = await ws.apply();
  t.match(updated.stdout, 'Apply complete! Resources: 0 added, 2 changed, 0 destroyed.', 'step 1 had converged: only the two updates');
  endpoint = await describe(name);
  t.equal(endpoint.EndpointConfigName, bName);
  t.equal(endpoint.EndpointStatus, 'InService');
  t.same(await aws.tags(endpoint.EndpointArn!), { env: 'test' });
  const describedA = await aws.sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: `${name}-a` }));
  t.same(await aws.tags(describedA.EndpointConfigArn!), { Name: 'a2', team: 'ml' });

  // 3. A change that replaces configuration b, which the endpoint uses: create the new one, update the endpoint, delete the old.
  ws.config(config(target, name, { endpointConfig: 'b', endpointTags: { env: 'test' }, configTags: { Name: 'a2', team: 'ml' }, bInstanceType: 'ml.c5.large' }));
  const replaced = await ws.apply();
  t.match(replaced.stdout, 'must be replaced');
  t.match(replaced.stdout, 'Apply complete! Resources: 1 added, 1 changed, 1 destroyed.', 'step 2 had converged');
  endpoint = await describe(name);
  const newBName = endpoint.EndpointConfigName!;
  t.match(newBName, new RegExp(`^${name}-b-\\d{26}$`));
  t.not(newBName, bName, 'the endpoint was updated to the replacement before the old one went');
  t.equal(endpoint.FailureReason, undefined);
  const oldGone = await aws.sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: bName })).catch((error: Error) => error);
  t.match((oldGone as Error).message, /^Could not find endpoint configuration/);

  // 4. Import both types into another workspace: the plan must read them exactly as configured.
  const importer = new Workspace('hashicorp');
  t.teardown(() => importer.cleanup());
  importer.config(`${providerBlock(target)}
resource "aws_sagemaker_model" "test" {
  name               = "${name}"
  execution_role_arn = "${(await aws.model(name))!.ExecutionRoleArn}"

  primary_container {
    image = "${IMAGE}"
  }
}
${configA(name, { Name: 'a2', team: 'ml' })}
resource "aws_sagemaker_endpoint" "test" {
  name                 = "${name}"
  endpoint_config_name = "${newBName}"
${deploymentConfig}

  tags = ${hcl({ env: 'test' })}
}
import {
  to = aws_sagemaker_endpoint_configuration.a
  id = "${name}-a"
}
import {
  to = aws_sagemaker_endpoint.test
  id = "${name}"
}
import {
  to = aws_sagemaker_model.test
  id = "${name}"
}
`);
  const imported = await importer.planExitCode();
  t.match(imported.output, 'Plan: 3 to import, 0 to add, 0 to change, 0 to destroy.', 'all three import without a difference');

  // 5. Failures: a new endpoint whose creation fails, and an update of the endpoint that fails.
  const updateReason = 'The primary container for production variant variant-1 did not pass the ping health check.';
  await target.admin.faults({
    endpointFailure: [
      { endpoint: `${name}-broken`, during: 'create', reason: 'Failed to download model data for the test.' },
      { endpoint: name, during: 'update', reason: updateReason },
    ],
  });
  ws.config(config(target, name, { endpointConfig: 'a', endpointTags: { env: 'test' }, configTags: { Name: 'a2', team: 'ml' }, bInstanceType: 'ml.c5.large', broken: true }));
  const failed = await ws.run(['apply', '-auto-approve', '-input=false', '-no-color']);
  t.not(failed.code, 0, 'the apply fails');
  const output = failed.stdout + failed.stderr;
  t.match(output, 'Plan: 1 to add, 1 to change, 0 to destroy.', 'step 3 had converged');
  t.match(output, `(${name}-broken) create: unexpected state 'Failed', wanted target 'InService'. last error: Failed to download model data for the test.`);
  t.match(output, `(${name}) update: unexpected state 'Failed', wanted target 'InService'. last error: ${updateReason}`);
  t.match(await describe(`${name}-broken`), { EndpointStatus: 'Failed', FailureReason: 'Failed to download model data for the test.' });

  // 6. Destroy: the failed endpoints too (in state, tainted), and nothing is left.
  await ws.destroy();
  const calls = await target.admin.calls();
  t.same(calls.recent.filter((call) => call.status >= 500 || call.status === 0), [], 'every call was answered by an implemented operation');
  for (const operation of ['CreateEndpointConfig', 'DescribeEndpointConfig', 'DeleteEndpointConfig', 'CreateEndpoint', 'DescribeEndpoint', 'UpdateEndpoint', 'DeleteEndpoint', 'AddTags', 'DeleteTags', 'ListTags']) {
    t.ok(calls.counts[`SageMaker.${operation}`], `SageMaker.${operation} was called`);
  }
  // hashicorp/aws's delete stops waiting once an endpoint is Deleting; the endpoint finishes it after its transition time.
  const admin = target.admin;
  await waitFor('the deleted endpoints to be gone', async () => (await admin.state()).endpoints.length === 0, 10_000);
  const left = await admin.state();
  t.same({ models: left.models, endpointConfigs: left.endpointConfigs, endpoints: left.endpoints }, { models: [], endpointConfigs: [], endpoints: [] }, 'nothing is left on the endpoint');
});
