// Every resource and data source this provider serves.
import type { DataSourceType, ResourceType } from '../engine/resource';
import type { AwsMeta } from '../aws/meta';
import { sagemakerModel } from './sagemaker_model';

export const resources: ResourceType<AwsMeta>[] = [sagemakerModel];
export const dataSources: DataSourceType<AwsMeta>[] = [];
