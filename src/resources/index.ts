// Every resource and data source this provider serves.
import type { DataSourceType, ResourceType } from '../engine/resource';
import type { AwsMeta } from '../aws/meta';
import { iamPolicyDocument } from './iam_policy_document';
import { iamRole } from './iam_role';
import { sagemakerEndpoint } from './sagemaker_endpoint';
import { sagemakerEndpointConfiguration } from './sagemaker_endpoint_configuration';
import { sagemakerModel } from './sagemaker_model';
import { sagemakerPrebuiltEcrImage } from './sagemaker_prebuilt_ecr_image';

export const resources: ResourceType<AwsMeta>[] = [sagemakerModel, sagemakerEndpointConfiguration, sagemakerEndpoint, iamRole];
export const dataSources: DataSourceType<AwsMeta>[] = [iamPolicyDocument, sagemakerPrebuiltEcrImage];
