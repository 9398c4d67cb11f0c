// The SageMaker API's enumerations, taken from the AWS SDK the project installs rather than copied by hand. The
// build bundles only the SDK's generated enum module into bin/local-aws (scripts/build.mjs), so the endpoint still
// loads nothing from node_modules; importing anything else from the client here fails the build.
import {
  AsyncNotificationTopicTypes,
  CapacitySizeType,
  CaptureMode,
  EndpointConfigSortKey,
  EndpointSortKey,
  EndpointStatus,
  ManagedInstanceScalingStatus,
  OrderKey,
  ProductionVariantAcceleratorType,
  ProductionVariantInferenceAmiVersion,
  ProductionVariantInstanceType,
  RoutingStrategy,
  TrafficRoutingConfigType,
  VariantPropertyType,
} from '@aws-sdk/client-sagemaker';

const values = (enumeration: Record<string, string>): readonly string[] => Object.freeze(Object.values(enumeration));

export const INSTANCE_TYPES = values(ProductionVariantInstanceType);
export const ACCELERATOR_TYPES = values(ProductionVariantAcceleratorType);
export const INFERENCE_AMI_VERSIONS = values(ProductionVariantInferenceAmiVersion);
export const ROUTING_STRATEGIES = values(RoutingStrategy);
export const MANAGED_INSTANCE_SCALING_STATUSES = values(ManagedInstanceScalingStatus);
export const CAPTURE_MODES = values(CaptureMode);
export const ASYNC_NOTIFICATION_TOPIC_TYPES = values(AsyncNotificationTopicTypes);
export const CAPACITY_SIZE_TYPES = values(CapacitySizeType);
export const TRAFFIC_ROUTING_TYPES = values(TrafficRoutingConfigType);
export const VARIANT_PROPERTY_TYPES = values(VariantPropertyType);
export const ENDPOINT_STATUSES = values(EndpointStatus);
export const ENDPOINT_CONFIG_SORT_KEYS = values(EndpointConfigSortKey);
export const ENDPOINT_SORT_KEYS = values(EndpointSortKey);
export const ORDER_KEYS = values(OrderKey);
