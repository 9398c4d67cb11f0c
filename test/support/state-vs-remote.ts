// Nothing lost: the models in Terraform's state against the models that exist remotely (ListModels, ListTags).
import { ListModelsCommand, type ModelSummary } from '@aws-sdk/client-sagemaker';
import type { Test } from 'tap';
import type { AwsApi } from './aws';
import type { Workspace } from './terraform';

export interface StateModel {
  address: string;
  name: string;
  arn: string;
  tags_all: Record<string, string>;
  tainted: boolean;
}

/** Every aws_sagemaker_model in state (with its tainted mark), from `terraform show -json`. */
export async function stateModels(ws: Workspace): Promise<StateModel[]> {
  const state = (await ws.state()) as unknown as {
    values?: { root_module?: { resources?: { address: string; type: string; tainted?: boolean; values: Record<string, unknown> }[] } };
  };
  return (state.values?.root_module?.resources ?? [])
    .filter((r) => r.type === 'aws_sagemaker_model')
    .map((r) => ({
      address: r.address,
      name: r.values.name as string,
      arn: r.values.arn as string,
      tags_all: (r.values.tags_all ?? {}) as Record<string, string>,
      tainted: r.tainted === true,
    }));
}

/** Every model whose name starts with `prefix`, by ListModels (paginated). */
export async function remoteModels(aws: AwsApi, prefix: string): Promise<ModelSummary[]> {
  const models: ModelSummary[] = [];
  let NextToken: string | undefined;
  do {
    const page = await aws.sagemaker.send(new ListModelsCommand({ NameContains: prefix, MaxResults: 100, NextToken }));
    models.push(...(page.Models ?? []).filter((m) => m.ModelName!.startsWith(prefix)));
    NextToken = page.NextToken;
  } while (NextToken);
  return models;
}

/** Every model that exists remotely is in state (a model may be absent from both); returns how many exist. */
export async function noOrphans(t: Test, aws: AwsApi, ws: Workspace, prefix: string): Promise<number> {
  const remote = (await remoteModels(aws, prefix)).map((m) => m.ModelName!).sort();
  const inState = new Set((await stateModels(ws)).map((m) => m.name));
  t.same(
    remote.filter((name) => !inState.has(name)),
    [],
    `every model that exists remotely is in state (${remote.length} exist, ${inState.size} in state)`,
  );
  return remote.length;
}

/**
 * State and the API agree exactly: the same model names (no duplicate, no orphan, none missing), the same ARNs,
 * and each model's tags (ListTags) equal to its tags_all in state. Returns the number of models checked.
 */
export async function assertStateMatchesRemote(t: Test, ws: Workspace, aws: AwsApi, prefix: string, expected: number): Promise<number> {
  const inState = (await stateModels(ws)).filter((m) => m.name.startsWith(prefix));
  const remote = await remoteModels(aws, prefix);
  const stateNames = inState.map((m) => m.name).sort();
  const remoteNames = remote.map((m) => m.ModelName!).sort();
  t.equal(remoteNames.length, expected, `${expected} models exist remotely`);
  t.same(stateNames, remoteNames, 'the models in state are exactly the models that exist (none orphaned, none missing)');
  t.equal(new Set(remoteNames.map((n) => n.toLowerCase())).size, remoteNames.length, 'no duplicate model');
  const byName = new Map(remote.map((m) => [m.ModelName!, m]));
  const mismatches: string[] = [];
  for (const model of inState) {
    const summary = byName.get(model.name);
    if (!summary) continue;
    if (summary.ModelArn !== model.arn) mismatches.push(`${model.name}: arn ${model.arn} in state, ${summary.ModelArn} remotely`);
    const tags = await aws.tags(summary.ModelArn!);
    if (JSON.stringify(sortKeys(tags)) !== JSON.stringify(sortKeys(model.tags_all))) {
      mismatches.push(`${model.name}: tags_all ${JSON.stringify(model.tags_all)} in state, ${JSON.stringify(tags)} remotely`);
    }
  }
  t.same(mismatches, [], 'ARNs and tags agree between state and ListModels/ListTags');
  return remoteNames.length;
}

function sortKeys(tags: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).sort(([a], [b]) => a.localeCompare(b)));
}
