// SageMaker endpoints: CreateEndpoint, DescribeEndpoint, UpdateEndpoint, DeleteEndpoint and ListEndpoints.
// An endpoint's status advances with time when it is read (Creating → InService, Updating → InService, Deleting →
// gone), so nothing runs in the background and an endpoint restarted on its state file continues where it stopped.
import { createHash } from 'node:crypto';
import type { Backend, RequestContext } from '../context';
import { sageMakerValidation } from '../errors';
import {
  type EndpointDeployment,
  type EndpointTransition,
  sageMakerKey,
  type StoredEndpoint,
  type StoredEndpointConfig,
  type StoredModel,
  type Tag,
} from '../state';
import { type Shape, Violations } from '../validation';
import { endpointConfigArn, findEndpointConfig } from './endpoint-configs';
import { CAPACITY_SIZE_TYPES, ENDPOINT_SORT_KEYS, ENDPOINT_STATUSES, ORDER_KEYS, TRAFFIC_ROUTING_TYPES, VARIANT_PROPERTY_TYPES } from './enums';
import {
  checkListInput,
  checkName,
  checkTags,
  type Handler,
  type Input,
  listPage,
  listShape,
  mergeTags,
  type Output,
  rejectReservedTagKeys,
  requestedName,
  sageMakerArn,
  tagShape,
  UNBOUNDED,
  UNBOUNDED_NAME_PATTERN_TEXT,
  type Where,
} from './shared';

const ALARM_NAME_PATTERN = /^(?!\s*$).+$/;
const ALARM_NAME_PATTERN_TEXT = '^(?!\\s*$).+';

// ---- request shapes (JSON types, checked before anything else) ----

const capacitySizeShape: Shape = { struct: { Type: 'string', Value: 'integer' } };
const deploymentConfigShape: Shape = {
  struct: {
    BlueGreenUpdatePolicy: {
      struct: {
        TrafficRoutingConfiguration: {
          struct: { Type: 'string', WaitIntervalInSeconds: 'integer', CanarySize: capacitySizeShape, LinearStepSize: capacitySizeShape },
        },
        TerminationWaitInSeconds: 'integer',
        MaximumExecutionTimeoutInSeconds: 'integer',
      },
    },
    RollingUpdatePolicy: {
      struct: {
        MaximumBatchSize: capacitySizeShape,
        WaitIntervalInSeconds: 'integer',
        MaximumExecutionTimeoutInSeconds: 'integer',
        RollbackMaximumBatchSize: capacitySizeShape,
      },
    },
    AutoRollbackConfiguration: { struct: { Alarms: { list: { struct: { AlarmName: 'string' } } } } },
  },
};

export const endpointShapes: Record<string, Shape> = {
  CreateEndpoint: {
    struct: { EndpointName: 'string', EndpointConfigName: 'string', DeploymentConfig: deploymentConfigShape, Tags: { list: tagShape } },
  },
  DescribeEndpoint: { struct: { EndpointName: 'string' } },
  UpdateEndpoint: {
    struct: {
      EndpointName: 'string',
      EndpointConfigName: 'string',
      RetainAllVariantProperties: 'boolean',
      ExcludeRetainedVariantProperties: { list: { struct: { VariantPropertyType: 'string' } } },
      DeploymentConfig: deploymentConfigShape,
      RetainDeploymentConfig: 'boolean',
    },
  },
  DeleteEndpoint: { struct: { EndpointName: 'string' } },
  ListEndpoints: {
    struct: { ...listShape, LastModifiedTimeBefore: 'timestamp', LastModifiedTimeAfter: 'timestamp', StatusEquals: 'string' },
  },
};

export const endpointHandlers: Record<string, Handler> = {
  CreateEndpoint: createEndpoint,
  DescribeEndpoint: describeEndpoint,
  UpdateEndpoint: updateEndpoint,
  DeleteEndpoint: deleteEndpoint,
  ListEndpoints: listEndpoints,
};

// ---- input checks ----

function checkCapacitySize(v: Violations, size: Input | undefined, path: string, required: boolean): void {
  if (required ? !v.required(size, path) : size === undefined) return;
  if (v.required(size!.Type, `${path}.type`)) v.oneOf(size!.Type as string, `${path}.type`, CAPACITY_SIZE_TYPES);
  if (v.required(size!.Value, `${path}.value`)) v.range(size!.Value as number, `${path}.value`, 1, UNBOUNDED);
}

function checkDeploymentConfig(v: Violations, config: Input | undefined): void {
  if (!config) return;
  const path = 'deploymentConfig';
  const blueGreen = config.BlueGreenUpdatePolicy as Input | undefined;
  if (blueGreen) {
    const at = `${path}.blueGreenUpdatePolicy`;
    const routing = blueGreen.TrafficRoutingConfiguration as Input | undefined;
    if (v.required(routing, `${at}.trafficRoutingConfiguration`)) {
      const r = `${at}.trafficRoutingConfiguration`;
      if (v.required(routing!.Type, `${r}.type`)) v.oneOf(routing!.Type as string, `${r}.type`, TRAFFIC_ROUTING_TYPES);
      if (v.required(routing!.WaitIntervalInSeconds, `${r}.waitIntervalInSeconds`)) {
        v.range(routing!.WaitIntervalInSeconds as number, `${r}.waitIntervalInSeconds`, 0, 3600);
      }
      checkCapacitySize(v, routing!.CanarySize as Input | undefined, `${r}.canarySize`, false);
      checkCapacitySize(v, routing!.LinearStepSize as Input | undefined, `${r}.linearStepSize`, false);
    }
    v.range(blueGreen.TerminationWaitInSeconds as number | undefined, `${at}.terminationWaitInSeconds`, 0, 3600);
    v.range(blueGreen.MaximumExecutionTimeoutInSeconds as number | undefined, `${at}.maximumExecutionTimeoutInSeconds`, 600, 28800);
  }
  const rolling = config.RollingUpdatePolicy as Input | undefined;
  if (rolling) {
    const at = `${path}.rollingUpdatePolicy`;
    checkCapacitySize(v, rolling.MaximumBatchSize as Input | undefined, `${at}.maximumBatchSize`, true);
    if (v.required(rolling.WaitIntervalInSeconds, `${at}.waitIntervalInSeconds`)) {
      v.range(rolling.WaitIntervalInSeconds as number, `${at}.waitIntervalInSeconds`, 0, 3600);
    }
    v.range(rolling.MaximumExecutionTimeoutInSeconds as number | undefined, `${at}.maximumExecutionTimeoutInSeconds`, 600, 28800);
    checkCapacitySize(v, rolling.RollbackMaximumBatchSize as Input | undefined, `${at}.rollbackMaximumBatchSize`, false);
  }
  const alarms = (config.AutoRollbackConfiguration as Input | undefined)?.Alarms as Input[] | undefined;
  if (alarms) {
    const at = `${path}.autoRollbackConfiguration.alarms`;
    v.length(alarms, at, 1, 10);
    alarms.forEach((alarm, index) => {
      const name = `${at}.${index + 1}.member.alarmName`;
      if (!v.required(alarm.AlarmName, name)) return;
      v.length(alarm.AlarmName as string, name, 1, 255);
      v.pattern(alarm.AlarmName as string, name, ALARM_NAME_PATTERN, ALARM_NAME_PATTERN_TEXT);
    });
  }
}

/** The rules SageMaker applies beyond the API model's constraints (their texts are our own where AWS's are unknown). */
function checkDeploymentConfigRules(config: Input | undefined): void {
  if (!config) return;
  if (config.BlueGreenUpdatePolicy && config.RollingUpdatePolicy) {
    throw sageMakerValidation('Only one of BlueGreenUpdatePolicy and RollingUpdatePolicy can be specified in the DeploymentConfig.');
  }
  const routing = (config.BlueGreenUpdatePolicy as Input | undefined)?.TrafficRoutingConfiguration as Input | undefined;
  if (routing?.Type === 'CANARY' && !routing.CanarySize) {
    throw sageMakerValidation('CanarySize must be specified when the TrafficRoutingConfiguration type is CANARY.');
  }
  if (routing?.Type === 'LINEAR' && !routing.LinearStepSize) {
    throw sageMakerValidation('LinearStepSize must be specified when the TrafficRoutingConfiguration type is LINEAR.');
  }
}

function endpointArn(ctx: Where, name: string): string {
  return sageMakerArn(ctx, 'endpoint', name);
}

// ---- deployments: what an endpoint runs ----

/** The images a model's containers run, as DescribeEndpoint reports them: the tag resolved to a (made-up, stable) digest. */
function deployedImages(model: StoredModel | undefined, now: number): Record<string, unknown>[] {
  if (!model) return [];
  const containers = [model.spec.PrimaryContainer, ...((model.spec.Containers as unknown[] | undefined) ?? [])] as (Input | undefined)[];
  return containers
    .map((container) => container?.Image)
    .filter((image): image is string => typeof image === 'string')
    .map((image) => {
      const lastSlash = image.lastIndexOf('/');
      const tagAt = image.indexOf(':', lastSlash + 1);
      const repository = image.includes('@') ? image.slice(0, image.indexOf('@')) : tagAt < 0 ? image : image.slice(0, tagAt);
      const resolved = image.includes('@sha256:') ? image : `${repository}@sha256:${createHash('sha256').update(image).digest('hex')}`;
      return { SpecifiedImage: image, ResolvedImage: resolved, ResolutionTime: now };
    });
}

/** Which properties an UpdateEndpoint with RetainAllVariantProperties keeps from the running endpoint. */
interface Retained {
  current: EndpointDeployment;
  excluded: Set<string>;
}

/** A ProductionVariantSummary for one variant of a configuration being deployed. */
function variantSummary(backend: Backend, ctx: Where, variant: Input, now: number, retained?: Retained): Record<string, unknown> {
  const name = variant.VariantName as string;
  const current = retained?.current.productionVariants.find((summary) => summary.VariantName === name);
  let weight = (variant.InitialVariantWeight as number | undefined) ?? 1;
  if (current && !retained!.excluded.has('DesiredWeight')) weight = current.DesiredWeight as number;
  const summary: Record<string, unknown> = {
    VariantName: name,
    DeployedImages: deployedImages(backend.state.models.get(sageMakerKey(ctx.account, ctx.region, variant.ModelName as string)), now),
    CurrentWeight: weight,
    DesiredWeight: weight,
  };
  if (variant.ServerlessConfig) {
    summary.CurrentServerlessConfig = variant.ServerlessConfig;
    summary.DesiredServerlessConfig = variant.ServerlessConfig;
  } else {
    let count = variant.InitialInstanceCount as number;
    if (current?.DesiredInstanceCount !== undefined && !retained!.excluded.has('DesiredInstanceCount')) count = current.DesiredInstanceCount as number;
    summary.CurrentInstanceCount = count;
    summary.DesiredInstanceCount = count;
  }
  if (variant.ManagedInstanceScaling) summary.ManagedInstanceScaling = variant.ManagedInstanceScaling;
  if (variant.RoutingConfig) summary.RoutingConfig = variant.RoutingConfig;
  return summary;
}

/** DescribeEndpoint's DataCaptureConfig (a DataCaptureConfigSummary) for a configuration's DataCaptureConfig. */
function dataCaptureSummary(capture: Input): Record<string, unknown> {
  const enabled = capture.EnableCapture !== false;
  const summary: Record<string, unknown> = {
    EnableCapture: enabled,
    CaptureStatus: enabled ? 'Started' : 'Stopped',
    CurrentSamplingPercentage: capture.InitialSamplingPercentage,
    DestinationS3Uri: capture.DestinationS3Uri,
  };
  if (capture.KmsKeyId !== undefined) summary.KmsKeyId = capture.KmsKeyId;
  return summary;
}

function deploymentOf(backend: Backend, ctx: Where, config: StoredEndpointConfig, retained?: Retained): EndpointDeployment {
  const now = Date.now() / 1000;
  const production = config.spec.ProductionVariants as Input[];
  const shadow = config.spec.ShadowProductionVariants as Input[] | undefined;
  const deployment: EndpointDeployment = {
    configName: config.name,
    productionVariants: production.map((variant) => variantSummary(backend, ctx, variant, now, retained)),
    instanceTypes: Object.fromEntries(
      [...production, ...(shadow ?? [])].map((variant) => [
        variant.VariantName as string,
        { InstanceType: variant.InstanceType as string | undefined, AcceleratorType: variant.AcceleratorType as string | undefined },
      ]),
    ),
  };
  if (shadow) deployment.shadowProductionVariants = shadow.map((variant) => variantSummary(backend, ctx, variant, now));
  const capture = config.spec.DataCaptureConfig as Input | undefined;
  if (retained?.current.dataCaptureConfig && !retained.excluded.has('DataCaptureConfig')) deployment.dataCaptureConfig = retained.current.dataCaptureConfig;
  else if (capture) deployment.dataCaptureConfig = dataCaptureSummary(capture);
  if (config.spec.AsyncInferenceConfig) deployment.asyncInferenceConfig = config.spec.AsyncInferenceConfig as Record<string, unknown>;
  return deployment;
}

/** What a health-check failure of a deployment's first variant looks like in DescribeEndpoint. */
function healthCheckFailure(deployment: EndpointDeployment): string {
  const variant = deployment.productionVariants[0]?.VariantName as string;
  return `The primary container for production variant ${variant} did not pass the ping health check. Please check CloudWatch logs for this endpoint.`;
}

// ---- endpoints ----

/** Completes every deployment whose time has come: the status advances when the endpoint is read, no timer involved. */
export function settleEndpoints(backend: Backend): void {
  const now = Date.now();
  let changed = false;
  for (const [key, endpoint] of backend.state.endpoints) {
    const transition = endpoint.transition;
    if (!transition || now < transition.endsAtMs) continue;
    changed = true;
    delete endpoint.transition;
    endpoint.lastModifiedTime = transition.endsAtMs / 1000;
    if (transition.kind === 'delete') {
      backend.state.endpoints.delete(key);
    } else if (transition.failureReason !== undefined) {
      endpoint.failureReason = transition.failureReason;
      endpoint.status = transition.rollback ? 'InService' : 'Failed';
    } else {
      endpoint.status = 'InService';
      endpoint.configName = transition.deployment!.configName;
      endpoint.deployed = transition.deployment;
      endpoint.lastDeploymentConfig = transition.deploymentConfig;
      delete endpoint.failureReason;
    }
  }
  if (changed) backend.changed();
}

export function findEndpoint(backend: Backend, ctx: Where, name: string): StoredEndpoint {
  settleEndpoints(backend);
  const endpoint = backend.state.endpoints.get(sageMakerKey(ctx.account, ctx.region, name));
  if (!endpoint) throw sageMakerValidation(`Could not find endpoint "${endpointArn(ctx, name)}".`);
  return endpoint;
}

/** A deployment starting now, failing as an injected fault says. */
function startDeployment(
  backend: Backend,
  endpoint: StoredEndpoint,
  kind: 'create' | 'update',
  deployment: EndpointDeployment,
  deploymentConfig: Record<string, unknown> | undefined,
  failureReason?: string,
): EndpointTransition {
  const now = Date.now();
  const transition: EndpointTransition = { kind, startedAtMs: now, endsAtMs: now + backend.transitionMs, deployment };
  if (deploymentConfig) transition.deploymentConfig = deploymentConfig;
  const fault = backend.endpointFailure(endpoint.name, kind);
  if (failureReason !== undefined) {
    transition.failureReason = failureReason;
    transition.rollback = true;
  } else if (fault) {
    transition.failureReason = fault.reason ?? healthCheckFailure(deployment);
    if (kind === 'update' && fault.rollback) transition.rollback = true;
  }
  return transition;
}

function createEndpoint(backend: Backend, ctx: RequestContext, input: Input): Output {
  const v = new Violations();
  checkName(v, input.EndpointName, 'endpointName', UNBOUNDED_NAME_PATTERN_TEXT);
  checkName(v, input.EndpointConfigName, 'endpointConfigName');
  checkDeploymentConfig(v, input.DeploymentConfig as Input | undefined);
  const tags = input.Tags as Tag[] | undefined;
  checkTags(v, tags, 'tags');
  v.throwIfAny('ValidationException');
  checkDeploymentConfigRules(input.DeploymentConfig as Input | undefined);
  if (tags) rejectReservedTagKeys(tags.map((tag) => tag.Key));

  settleEndpoints(backend);
  const name = input.EndpointName as string;
  const arn = endpointArn(ctx, name);
  const key = sageMakerKey(ctx.account, ctx.region, name);
  if (backend.state.endpoints.has(key)) throw sageMakerValidation(`Cannot create already existing endpoint "${arn}".`);
  const config = findEndpointConfig(backend, ctx, input.EndpointConfigName as string);

  const now = Date.now() / 1000;
  const endpoint: StoredEndpoint = {
    account: ctx.account,
    region: ctx.region,
    name,
    arn,
    creationTime: now,
    lastModifiedTime: now,
    status: 'Creating',
    configName: config.name,
    tags: mergeTags([], tags ?? []),
  };
  const deploymentConfig = input.DeploymentConfig as Record<string, unknown> | undefined;
  if (deploymentConfig) endpoint.lastDeploymentConfig = deploymentConfig;
  endpoint.transition = startDeployment(backend, endpoint, 'create', deploymentOf(backend, ctx, config), deploymentConfig);
  backend.state.endpoints.set(key, endpoint);
  backend.changed();
  return { EndpointArn: arn };
}

/** PendingDeploymentSummary: the deployment under way, as DescribeEndpoint shows it while Creating or Updating. */
function pendingSummary(transition: EndpointTransition): Record<string, unknown> {
  const deployment = transition.deployment!;
  const status = [{ Status: transition.kind === 'create' ? 'Creating' : 'Updating', StartTime: transition.startedAtMs / 1000 }];
  const pending = (summary: Record<string, unknown>): Record<string, unknown> => {
    const { CurrentWeight, CurrentInstanceCount, CurrentServerlessConfig, ...desired } = summary;
    return { ...desired, ...deployment.instanceTypes[summary.VariantName as string], VariantStatus: status };
  };
  const output: Record<string, unknown> = {
    EndpointConfigName: deployment.configName,
    ProductionVariants: deployment.productionVariants.map(pending),
    StartTime: transition.startedAtMs / 1000,
  };
  if (deployment.shadowProductionVariants) output.ShadowProductionVariants = deployment.shadowProductionVariants.map(pending);
  return output;
}

function describeEndpoint(backend: Backend, ctx: RequestContext, input: Input): Output {
  const endpoint = findEndpoint(backend, ctx, requestedName(input, 'EndpointName', 'endpointName', UNBOUNDED_NAME_PATTERN_TEXT));
  const output: Output = {
    EndpointName: endpoint.name,
    EndpointArn: endpoint.arn,
    EndpointConfigName: endpoint.configName,
    EndpointStatus: endpoint.status,
    CreationTime: endpoint.creationTime,
    LastModifiedTime: endpoint.lastModifiedTime,
  };
  const deployed = endpoint.deployed;
  if (deployed) {
    output.ProductionVariants = deployed.productionVariants;
    if (deployed.shadowProductionVariants) output.ShadowProductionVariants = deployed.shadowProductionVariants;
    if (deployed.dataCaptureConfig) output.DataCaptureConfig = deployed.dataCaptureConfig;
    if (deployed.asyncInferenceConfig) output.AsyncInferenceConfig = deployed.asyncInferenceConfig;
  }
  if (endpoint.failureReason !== undefined) output.FailureReason = endpoint.failureReason;
  if (endpoint.lastDeploymentConfig) output.LastDeploymentConfig = endpoint.lastDeploymentConfig;
  const transition = endpoint.transition;
  if (transition && transition.kind !== 'delete') output.PendingDeploymentSummary = pendingSummary(transition);
  return output;
}

function updateEndpoint(backend: Backend, ctx: RequestContext, input: Input): Output {
  const v = new Violations();
  checkName(v, input.EndpointName, 'endpointName', UNBOUNDED_NAME_PATTERN_TEXT);
  checkName(v, input.EndpointConfigName, 'endpointConfigName');
  const excluded = input.ExcludeRetainedVariantProperties as Input[] | undefined;
  if (excluded) {
    v.length(excluded, 'excludeRetainedVariantProperties', 0, 3);
    excluded.forEach((property, index) => {
      const at = `excludeRetainedVariantProperties.${index + 1}.member.variantPropertyType`;
      if (v.required(property.VariantPropertyType, at)) v.oneOf(property.VariantPropertyType as string, at, VARIANT_PROPERTY_TYPES);
    });
  }
  checkDeploymentConfig(v, input.DeploymentConfig as Input | undefined);
  v.throwIfAny('ValidationException');
  checkDeploymentConfigRules(input.DeploymentConfig as Input | undefined);

  const endpoint = findEndpoint(backend, ctx, input.EndpointName as string);
  if (endpoint.status === 'Failed') {
    throw sageMakerValidation(`Cannot update failed endpoint "${endpoint.arn}". Delete the endpoint and create it again.`);
  }
  if (endpoint.status !== 'InService') throw sageMakerValidation(`Cannot update in-progress endpoint "${endpoint.arn}".`);
  const config = findEndpointConfig(backend, ctx, input.EndpointConfigName as string);

  const retained: Retained | undefined =
    input.RetainAllVariantProperties === true && endpoint.deployed
      ? { current: endpoint.deployed, excluded: new Set((excluded ?? []).map((property) => property.VariantPropertyType as string)) }
      : undefined;
  const deploymentConfig =
    (input.DeploymentConfig as Record<string, unknown> | undefined) ?? (input.RetainDeploymentConfig === true ? endpoint.lastDeploymentConfig : undefined);
  // SageMaker reads the running configuration again during an update: when it was deleted, the update fails and the
  // endpoint stays on what it runs, InService, with the reason.
  const running = backend.state.endpointConfigs.get(sageMakerKey(endpoint.account, endpoint.region, endpoint.configName));
  const missing = running ? undefined : `Could not find endpoint configuration "${endpointConfigArn(ctx, endpoint.configName)}".`;
  endpoint.transition = startDeployment(backend, endpoint, 'update', deploymentOf(backend, ctx, config, retained), deploymentConfig, missing);
  endpoint.status = 'Updating';
  endpoint.lastModifiedTime = Date.now() / 1000;
  backend.changed();
  return { EndpointArn: endpoint.arn };
}

/** Deleting an endpoint is allowed in any status; while Deleting, a second DeleteEndpoint changes nothing. */
function deleteEndpoint(backend: Backend, ctx: RequestContext, input: Input): Output {
  const endpoint = findEndpoint(backend, ctx, requestedName(input, 'EndpointName', 'endpointName', UNBOUNDED_NAME_PATTERN_TEXT));
  if (endpoint.status === 'Deleting') return {};
  const now = Date.now();
  endpoint.status = 'Deleting';
  endpoint.lastModifiedTime = now / 1000;
  endpoint.transition = { kind: 'delete', startedAtMs: now, endsAtMs: now + backend.transitionMs };
  backend.changed();
  return {};
}

function listEndpoints(backend: Backend, ctx: RequestContext, input: Input): Output {
  const v = new Violations();
  checkListInput(v, input, ENDPOINT_SORT_KEYS, ORDER_KEYS);
  v.oneOf(input.StatusEquals as string | undefined, 'statusEquals', ENDPOINT_STATUSES);
  v.throwIfAny('ValidationException');
  settleEndpoints(backend);
  const modifiedBefore = input.LastModifiedTimeBefore as number | undefined;
  const modifiedAfter = input.LastModifiedTimeAfter as number | undefined;
  const endpoints = [...backend.state.endpoints.values()].filter(
    (endpoint) =>
      (input.StatusEquals === undefined || endpoint.status === input.StatusEquals) &&
      (modifiedBefore === undefined || endpoint.lastModifiedTime < modifiedBefore) &&
      (modifiedAfter === undefined || endpoint.lastModifiedTime > modifiedAfter),
  );
  const sortValue = (endpoint: StoredEndpoint): string | number =>
    input.SortBy === 'Name' ? endpoint.name.toLowerCase() : input.SortBy === 'Status' ? endpoint.status : endpoint.creationTime;
  const summary = (endpoint: StoredEndpoint): Output => ({
    EndpointName: endpoint.name,
    EndpointArn: endpoint.arn,
    CreationTime: endpoint.creationTime,
    LastModifiedTime: endpoint.lastModifiedTime,
    EndpointStatus: endpoint.status,
  });
  return listPage(endpoints, ctx, input, 'Endpoints', summary, sortValue);
}
