// Every resource and data source this provider serves.
import type { DataSourceType, ResourceType } from '../engine/resource';
import type { AwsMeta } from '../aws/meta';
import { iamPolicyDocument } from './iam_policy_document';
import { iamRole } from './iam_role';
import { sagemakerModel } from './sagemaker_model';
import { sagemakerPrebuiltEcrImage } from './sagemaker_prebuilt_ecr_image';

export const resources: ResourceType<AwsMeta>[] = [sagemakerModel, iamRole];
export const dataSources: DataSourceType<AwsMeta>[] = [iamPolicyDocument, sagemakerPrebuiltEcrImage];
