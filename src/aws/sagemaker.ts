// What every SageMaker resource shares: the client of the object's Region, transparent tagging by ARN (ListTags,
// AddTags, DeleteTags) and the "Could not find ..." ValidationException SageMaker answers for a missing object.
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { ResourceType } from '../engine/resource';
import type { ObjectValue } from '../values/value';
import { regional, tagged } from './behaviours';
import { awsResourceError, isErrorCode } from './errors';
import type { AwsContext, AwsMeta } from './meta';
import { sagemakerSdk } from './sdk';
import type { Tags } from './tags';
import { str } from './values';

export interface SageMakerApi {
  sdk: ReturnType<typeof sagemakerSdk>;
  client: SageMakerClient;
}

/** The SDK module and the client of the Region the object lives in (its `region`, else the provider's). */
export async function sagemakerApi(context: AwsContext, state: ObjectValue): Promise<SageMakerApi> {
  return { sdk: sagemakerSdk(), client: await context.meta.clients.sagemaker(str(state.region) ?? context.meta.region) };
}

/** SageMaker's answer for an object that does not exist: a ValidationException "Could not find <what> ...". */
export function isNotFound(error: unknown, what: string): boolean {
  return isErrorCode(error, 'ValidationException', `Could not find ${what}`);
}

/** A SageMaker resource as hashicorp/aws registers it: tagged by its ARN, in a Region of its own (v6). */
export function sagemakerResource(resource: ResourceType<AwsMeta>, thing: string): ResourceType<AwsMeta> {
  return regional(
    tagged(resource, {
      async list(context, state) {
        try {
          return await listTags(context, state);
        } catch (error) {
          throw awsResourceError(`listing tags for ${thing}`, str(state.arn) ?? '', 'SageMaker', 'ListTags', error);
        }
      },
      update: updateTags,
    }),
  );
}

async function listTags(context: AwsContext, state: ObjectValue): Promise<Tags> {
  const { sdk, client } = await sagemakerApi(context, state);
  const tags: Tags = {};
  let NextToken: string | undefined;
  do {
    const page = await client.send(new sdk.ListTagsCommand({ ResourceArn: str(state.arn), NextToken }), { abortSignal: context.signal });
    // Later duplicates win (some emulators append instead of replacing).
    for (const tag of page.Tags ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
    NextToken = page.NextToken;
  } while (NextToken);
  return tags;
}

async function updateTags(context: AwsContext, state: ObjectValue, remove: string[], add: Tags): Promise<void> {
  const { sdk, client } = await sagemakerApi(context, state);
  const arn = str(state.arn);
  try {
    if (remove.length > 0) await client.send(new sdk.DeleteTagsCommand({ ResourceArn: arn, TagKeys: remove }));
  } catch (error) {
    throw awsResourceError(`untagging resource`, arn ?? '', 'SageMaker', 'DeleteTags', error);
  }
  try {
    const tags = Object.entries(add).map(([Key, Value]) => ({ Key, Value }));
    if (tags.length > 0) await client.send(new sdk.AddTagsCommand({ ResourceArn: arn, Tags: tags }));
  } catch (error) {
    throw awsResourceError(`tagging resource`, arn ?? '', 'SageMaker', 'AddTags', error);
  }
}

/** Tags for a Create call: the list SageMaker takes, or nothing when there are none. */
export function tagList(tags: Tags): { Key: string; Value: string }[] | undefined {
  const entries = Object.entries(tags);
  return entries.length > 0 ? entries.map(([Key, Value]) => ({ Key, Value })) : undefined;
}
