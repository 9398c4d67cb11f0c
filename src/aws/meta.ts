// What a configured AWS provider hands to every operation.
import type { OperationContext } from '../engine/resource';
import type { AwsClients } from './clients';
import type { Partition } from './partitions';
import type { AwsSettings, IgnoreTags } from './settings';
import type { Tags } from './tags';

export interface AwsMeta {
  settings: AwsSettings;
  region: string;
  partition: Partition;
  /** Unknown when skip_requesting_account_id is set. */
  accountId?: string;
  defaultTags: Tags;
  ignoreTags: IgnoreTags;
  clients: AwsClients;
}

export type AwsContext = OperationContext<AwsMeta>;
