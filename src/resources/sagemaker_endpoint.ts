// resource "aws_sagemaker_endpoint": the mapping between provider-schema/resources/aws_sagemaker_endpoint.json and
// SageMaker's CreateEndpoint / DescribeEndpoint / UpdateEndpoint / DeleteEndpoint, as hashicorp/aws v6 does it:
// create and update wait until the endpoint is InService (60 minutes), delete until it is gone (10 minutes); a read
// of an endpoint that is Deleting finds it gone. A Failed endpoint is an error naming SageMaker's FailureReason, and stays
// in the state (tainted) because it exists.
import type { AutoRollbackConfig, CapacitySize, DeploymentConfig, DescribeEndpointOutput, RollingUpdatePolicy, TrafficRoutingConfig } from '@aws-sdk/client-sagemaker';
import { ResourceError } from '../engine/diagnostics';
import type { OperationContext, ResourceType } from '../engine/resource';
import type { Schema } from '../engine/schema';
import { CtyNumber, type ObjectValue, type Value } from '../values/value';
import { awsResourceError, errorMessage } from '../aws/errors';
import type { AwsContext, AwsMeta } from '../aws/meta';
import { resourceName } from '../aws/names';
import { isNotFound, sagemakerApi, sagemakerResource, tagList } from '../aws/sagemaker';
import { tagsForCreate } from '../aws/tags';
import { WaitError, waitForState } from '../aws/waiter';
import { first, num, numberValue, objects, positive, str } from '../aws/values';
import schemaJson from '../../provider-schema/resources/aws_sagemaker_endpoint.json';

const THING = 'SageMaker AI Endpoint';
const NOT_FOUND = 'endpoint';
const IN_SERVICE_TIMEOUT_MS = 60 * 60_000;
const DELETED_TIMEOUT_MS = 10 * 60_000;
const IAM_PROPAGATION_TIMEOUT_MS = 2 * 60_000;
/** SageMaker's FailureReason while a new execution role cannot be assumed yet: hashicorp/aws deletes and retries. */
const ROLE_NOT_ASSUMABLE =
  'Please ensure that the role exists and that its trust relationship policy allows the action "sts:AssumeRole" for the service principal "sagemaker.amazonaws.com"';

const endpoint: ResourceType<AwsMeta> = {
  name: 'aws_sagemaker_endpoint',
  sdkv2: true,
  schema: schemaJson as unknown as Schema,

  async create(context, planned) {
    const name = resourceName(str(planned.name));
    const { sdk, client } = await sagemakerApi(context, planned);
    const created: ObjectValue = { ...planned, id: name, name };
    const deadline = Date.now() + IAM_PROPAGATION_TIMEOUT_MS;
    for (;;) {
      // Never aborted half-way (Ctrl-C): an abandoned request may still create the endpoint.
      try {
        await client.send(
          new sdk.CreateEndpointCommand({
            EndpointName: name,
            EndpointConfigName: str(planned.endpoint_config_name),
            DeploymentConfig: expandDeploymentConfig(first(planned.deployment_config)),
            Tags: tagList(tagsForCreate(planned, context.meta.defaultTags)),
          }),
        );
      } catch (error) {
        throw awsResourceError(`creating ${THING}`, name, 'SageMaker', 'CreateEndpoint', error);
      }
      try {
        await waitInService(context, created, name);
      } catch (error) {
        // The endpoint exists (Failed, or still on its way): it is recorded, so nothing is orphaned.
        const failure = waitFailure('create', name, error);
        const retry = error instanceof WaitError && errorMessage(error).includes(ROLE_NOT_ASSUMABLE) && Date.now() < deadline && !context.signal.aborted;
        if (!retry) throw failure.withState(await stateAfterFailure(context, created, error));
        // The new execution role cannot be assumed yet: delete the failed endpoint and create it again.
        await deleteEndpoint(context, created);
        continue;
      }
      // Read once more, as hashicorp/aws does after its wait.
      const found = await findEndpoint(context, created, name).catch((error: unknown) => {
        throw awsResourceError(`reading ${THING}`, name, 'SageMaker', 'DescribeEndpoint', error).withState(created);
      });
      if (!found) throw awsResourceError(`reading ${THING}`, name, 'SageMaker', 'DescribeEndpoint', new Error('endpoint not found'));
      return flatten(found, created);
    }
  },

  async read(context, current) {
    const name = str(current.id) ?? str(current.name)!;
    const found = await findEndpoint(context, current, name, context.signal);
    return found && flatten(found, current);
  },

  async update(context, prior, planned) {
    const name = str(prior.id)!;
    if (str(prior.endpoint_config_name) !== str(planned.endpoint_config_name) || !sameDeploymentConfig(prior, planned)) {
      const { sdk, client } = await sagemakerApi(context, planned);
      try {
        await client.send(
          new sdk.UpdateEndpointCommand({
            EndpointName: name,
            EndpointConfigName: str(planned.endpoint_config_name),
            DeploymentConfig: expandDeploymentConfig(first(planned.deployment_config)),
          }),
        );
      } catch (error) {
        throw awsResourceError(`updating ${THING}`, name, 'SageMaker', 'UpdateEndpoint', error);
      }
      let updated: DescribeEndpointOutput | null;
      try {
        updated = await waitInService(context, planned, name);
      } catch (error) {
        // The state records what the endpoint runs now (a failed update leaves the previous configuration).
        throw waitFailure('update', name, error).withState(await stateAfterFailure(context, prior, error));
      }
      // SageMaker rolls a failed update of a live endpoint back: InService again, on the previous configuration, with
      // a FailureReason. hashicorp/aws reports success there (and plans the update again); we report the failure.
      if (updated && updated.EndpointConfigName !== str(planned.endpoint_config_name) && updated.FailureReason) {
        throw waitFailure('update', name, new Error(`rolled back to endpoint configuration "${updated.EndpointConfigName}": ${updated.FailureReason}`)).withState(
          flatten(updated, prior),
        );
      }
    }
    const refreshed = await endpoint.read(context, planned);
    if (!refreshed) throw awsResourceError(`reading ${THING}`, name, 'SageMaker', 'DescribeEndpoint', new Error('endpoint not found'));
    return refreshed;
  },

  async delete(context, current) {
    await deleteEndpoint(context, current);
  },

  importState(_context, id) {
    return { id };
  },
};

/** DescribeEndpoint, or null when the endpoint does not exist or is being deleted (hashicorp/aws: both are gone). */
async function findEndpoint(context: AwsContext, state: ObjectValue, name: string, signal?: AbortSignal): Promise<DescribeEndpointOutput | null> {
  const output = await describeEndpoint(context, state, name, signal);
  return output?.EndpointStatus === 'Deleting' ? null : output;
}

/** DescribeEndpoint, or null when SageMaker no longer knows the endpoint. */
async function describeEndpoint(context: AwsContext, state: ObjectValue, name: string, signal?: AbortSignal): Promise<DescribeEndpointOutput | null> {
  const { sdk, client } = await sagemakerApi(context, state);
  try {
    return await client.send(new sdk.DescribeEndpointCommand({ EndpointName: name }), { abortSignal: signal });
  } catch (error) {
    if (isNotFound(error, NOT_FOUND)) return null;
    throw awsResourceError(`reading ${THING}`, name, 'SageMaker', 'DescribeEndpoint', error);
  }
}

function waitInService(context: OperationContext<AwsMeta>, state: ObjectValue, name: string): Promise<DescribeEndpointOutput | null> {
  return waitForState({
    refresh: async () => {
      const found = await findEndpoint(context, state, name);
      return found && { state: found.EndpointStatus ?? '', value: found };
    },
    pending: ['Creating', 'Updating', 'SystemUpdating'],
    target: ['InService'],
    timeoutMs: IN_SERVICE_TIMEOUT_MS,
    signal: context.signal,
    reason: (found) => found.FailureReason,
  });
}

async function deleteEndpoint(context: AwsContext, current: ObjectValue): Promise<void> {
  const name = str(current.id)!;
  const { sdk, client } = await sagemakerApi(context, current);
  try {
    await client.send(new sdk.DeleteEndpointCommand({ EndpointName: name }));
  } catch (error) {
    if (isNotFound(error, NOT_FOUND)) return;
    throw awsResourceError(`deleting ${THING}`, name, 'SageMaker', 'DeleteEndpoint', error);
  }
  try {
    // Until SageMaker no longer knows it: hashicorp/aws stops at Deleting, and a replacement under the same name then
    // fails ("Cannot create already existing endpoint") while the old one is still being deleted.
    await waitForState({
      refresh: async () => {
        const found = await describeEndpoint(context, current, name);
        return found && { state: found.EndpointStatus ?? '', value: found };
      },
      pending: ['Deleting'],
      target: [],
      timeoutMs: DELETED_TIMEOUT_MS,
      signal: context.signal,
      reason: (found) => found.FailureReason,
    });
  } catch (error) {
    throw waitFailure('delete', name, error);
  }
}

/** "waiting for SageMaker AI Endpoint (<name>) <create|update|delete>: <what the wait saw>". */
function waitFailure(action: string, name: string, error: unknown): ResourceError {
  if (error instanceof ResourceError) return error;
  return new ResourceError(`waiting for ${THING} (${name}) ${action}: ${errorMessage(error)}`);
}

/** The state of an endpoint after a failed wait: what the wait saw last, else what exists now, or nothing when it is gone. */
async function stateAfterFailure(context: AwsContext, known: ObjectValue, error: unknown): Promise<ObjectValue | null> {
  if (error instanceof WaitError && error.last) return flatten(error.last.value as DescribeEndpointOutput, known);
  try {
    const found = await findEndpoint(context, known, str(known.id)!);
    return found ? flatten(found, known) : null;
  } catch {
    // Unreadable now: keep what is known, so that the endpoint is not forgotten.
    return known;
  }
}

function sameDeploymentConfig(prior: ObjectValue, planned: ObjectValue): boolean {
  return JSON.stringify(expandDeploymentConfig(first(prior.deployment_config))) === JSON.stringify(expandDeploymentConfig(first(planned.deployment_config)));
}

// ---- Terraform -> API ------------------------------------------------------------------------------

function expandDeploymentConfig(config: ObjectValue | undefined): DeploymentConfig | undefined {
  if (!config) return undefined;
  const blueGreen = first(config.blue_green_update_policy);
  const rollback = first(config.auto_rollback_configuration);
  const rolling = first(config.rolling_update_policy);
  return {
    BlueGreenUpdatePolicy: blueGreen && {
      TerminationWaitInSeconds: num(blueGreen.termination_wait_in_seconds) ?? 0,
      TrafficRoutingConfiguration: expandTrafficRouting(first(blueGreen.traffic_routing_configuration)),
      MaximumExecutionTimeoutInSeconds: positive(blueGreen.maximum_execution_timeout_in_seconds),
    },
    AutoRollbackConfiguration: rollback && expandAutoRollback(rollback),
    RollingUpdatePolicy: rolling && expandRollingUpdate(rolling),
  };
}

function expandTrafficRouting(routing: ObjectValue | undefined): TrafficRoutingConfig | undefined {
  if (!routing) return undefined;
  return {
    Type: str(routing.type) as TrafficRoutingConfig['Type'],
    WaitIntervalInSeconds: num(routing.wait_interval_in_seconds) ?? 0,
    CanarySize: expandCapacity(first(routing.canary_size)),
    LinearStepSize: expandCapacity(first(routing.linear_step_size)),
  };
}

function expandAutoRollback(rollback: ObjectValue): AutoRollbackConfig {
  const alarms = objects(rollback.alarms).map((alarm) => ({ AlarmName: str(alarm.alarm_name) }));
  return { Alarms: alarms.length > 0 ? alarms : undefined };
}

function expandRollingUpdate(rolling: ObjectValue): RollingUpdatePolicy {
  return {
    WaitIntervalInSeconds: num(rolling.wait_interval_in_seconds) ?? 0,
    MaximumExecutionTimeoutInSeconds: positive(rolling.maximum_execution_timeout_in_seconds),
    MaximumBatchSize: expandCapacity(first(rolling.maximum_batch_size)),
    RollbackMaximumBatchSize: expandCapacity(first(rolling.rollback_maximum_batch_size)),
  };
}

function expandCapacity(capacity: ObjectValue | undefined): CapacitySize | undefined {
  return capacity && { Type: str(capacity.type) as CapacitySize['Type'], Value: num(capacity.value) ?? 0 };
}

// ---- API -> Terraform ------------------------------------------------------------------------------

/** DescribeEndpoint as state; the deployment configuration is the last one SageMaker deployed with. */
function flatten(output: DescribeEndpointOutput, known: ObjectValue): ObjectValue {
  const name = output.EndpointName ?? null;
  const deployment = output.LastDeploymentConfig;
  return {
    ...known,
    id: name,
    name,
    arn: output.EndpointArn ?? null,
    endpoint_config_name: output.EndpointConfigName ?? '',
    deployment_config: deployment ? [flattenDeploymentConfig(deployment)] : [],
  };
}

function flattenDeploymentConfig(deployment: DeploymentConfig): ObjectValue {
  const blueGreen = deployment.BlueGreenUpdatePolicy;
  const rolling = deployment.RollingUpdatePolicy;
  const routing = blueGreen?.TrafficRoutingConfiguration;
  return {
    blue_green_update_policy: blueGreen
      ? [
          {
            termination_wait_in_seconds: CtyNumber.of(blueGreen.TerminationWaitInSeconds ?? 0),
            maximum_execution_timeout_in_seconds: numberValue(blueGreen.MaximumExecutionTimeoutInSeconds),
            traffic_routing_configuration: routing
              ? [
                  {
                    type: routing.Type ?? '',
                    wait_interval_in_seconds: CtyNumber.of(routing.WaitIntervalInSeconds ?? 0),
                    canary_size: flattenCapacity(routing.CanarySize),
                    linear_step_size: flattenCapacity(routing.LinearStepSize),
                  },
                ]
              : [],
          },
        ]
      : [],
    auto_rollback_configuration: deployment.AutoRollbackConfiguration
      ? [{ alarms: (deployment.AutoRollbackConfiguration.Alarms ?? []).map((alarm) => ({ alarm_name: alarm.AlarmName ?? '' })) }]
      : [],
    rolling_update_policy: rolling
      ? [
          {
            maximum_execution_timeout_in_seconds: CtyNumber.of(rolling.MaximumExecutionTimeoutInSeconds ?? 0),
            wait_interval_in_seconds: CtyNumber.of(rolling.WaitIntervalInSeconds ?? 0),
            maximum_batch_size: flattenCapacity(rolling.MaximumBatchSize),
            rollback_maximum_batch_size: flattenCapacity(rolling.RollbackMaximumBatchSize),
          },
        ]
      : [],
  };
}

function flattenCapacity(capacity: CapacitySize | undefined): Value {
  return capacity ? [{ type: capacity.Type ?? '', value: CtyNumber.of(capacity.Value ?? 0) }] : [];
}

export const sagemakerEndpoint: ResourceType<AwsMeta> = sagemakerResource(endpoint, THING);
