// Tag acceptance tests (hashicorp/aws TestAccSageMakerModel_tags and the generic tags/default_tags/ignore_tags
// cases): in-place updates through AddTags/DeleteTags, default_tags merging, ignore_tags, the TF_AWS_* env forms
// and out-of-band drift.
import t, { type Test } from 'tap';
import { actionsOf, type PlanJson, providerBlock, uniqueName, Workspace } from '../support/terraform';
import { useTarget } from '../support/target';
import { IMAGE } from '../support/fixtures';

const acc = useTarget(t);

const ADDRESS = 'aws_sagemaker_model.test';

function hclMap(tags: Record<string, string>): string {
  return `{\n${Object.entries(tags)
    .map(([k, v]) => `    ${JSON.stringify(k)} = ${JSON.stringify(v)}`)
    .join('\n')}\n  }`;
}

interface Options {
  tags?: Record<string, string>;
  defaultTags?: Record<string, string>;
  ignoreKeys?: string[];
  ignorePrefixes?: string[];
}

function config(name: string, o: Options = {}): string {
  let extra = '';
  if (o.defaultTags) extra += `  default_tags {\n    tags = ${hclMap(o.defaultTags).replace(/\n/g, '\n  ')}\n  }\n`;
  if (o.ignoreKeys || o.ignorePrefixes) {
    extra += '  ignore_tags {\n';
    if (o.ignoreKeys) extra += `    keys = ${JSON.stringify(o.ignoreKeys)}\n`;
    if (o.ignorePrefixes) extra += `    key_prefixes = ${JSON.stringify(o.ignorePrefixes)}\n`;
    extra += '  }\n';
  }
  return `${providerBlock(acc.target, extra)}
resource "aws_sagemaker_model" "test" {
  name               = "${name}"
  execution_role_arn = "${acc.role}"
  primary_container {
    image = "${IMAGE}"
  }
${o.tags ? `  tags = ${hclMap(o.tags)}\n` : ''}}
`;
}

/** After an apply: the plan is empty, a refresh changes nothing, the plan stays empty. */
async function settled(t: Test, ws: Workspace): Promise<void> {
  t.equal((await ws.planExitCode()).code, 0, 'plan after apply is empty');
  await ws.ok(['apply', '-refresh-only', '-auto-approve', '-no-color']);
  t.equal((await ws.planExitCode()).code, 0, 'plan after refresh is empty');
}

function change(plan: PlanJson): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const c = plan.resource_changes!.find((r) => r.address === ADDRESS)!.change;
  return { before: c.before as Record<string, unknown>, after: c.after as Record<string, unknown> };
}

async function applyPlan(ws: Workspace): Promise<void> {
  await ws.ok(['apply', '-auto-approve', '-input=false', '-no-color', 'tfplan']);
}

async function resetCalls(): Promise<void> {
  if (acc.target.admin) await acc.target.admin.reset('calls');
}

async function counts(): Promise<Record<string, number>> {
  return (await acc.target.admin!.calls()).counts;
}

function newWorkspace(t: Test, env: Record<string, string> = {}): Workspace {
  const ws = new Workspace('ours', env);
  t.teardown(() => ws.cleanup());
  return ws;
}

const arns = new WeakMap<Workspace, string>();

/** The model's tags as the API lists them (the ARN is read from state once per workspace: it never changes here). */
async function remoteTags(ws: Workspace): Promise<Record<string, string>> {
  if (!arns.has(ws)) arns.set(ws, (await ws.resource(ADDRESS)).arn as string);
  return acc.aws.tags(arns.get(ws)!);
}

t.test('tags: add, update and remove in place with AddTags/DeleteTags', async (t) => {
  const name = uniqueName('tfacc-tags');
  const ws = newWorkspace(t);
  ws.config(config(name, { tags: { key1: 'value1' } }));
  await ws.apply();
  let state = await ws.resource(ADDRESS);
  t.same(state.tags, { key1: 'value1' });
  t.same(state.tags_all, { key1: 'value1' });
  t.same(await remoteTags(ws), { key1: 'value1' }, 'tags are sent with CreateModel');
  await settled(t, ws);

  // add key2, update key1
  ws.config(config(name, { tags: { key1: 'updated1', key2: 'value2' } }));
  let plan = await ws.planJson();
  t.same(actionsOf(plan), { [ADDRESS]: ['update'] }, 'a tag change is an in-place update');
  t.same(change(plan).after.tags, { key1: 'updated1', key2: 'value2' });
  t.same(change(plan).after.tags_all, { key1: 'updated1', key2: 'value2' });
  await resetCalls();
  await applyPlan(ws);
  state = await ws.resource(ADDRESS);
  t.same(state.tags, { key1: 'updated1', key2: 'value2' });
  t.same(state.tags_all, { key1: 'updated1', key2: 'value2' });
  t.same(await remoteTags(ws), { key1: 'updated1', key2: 'value2' });
  if (acc.target.admin) {
    const c = await counts();
    t.equal(c['SageMaker.AddTags'], 1, 'one AddTags for the new and changed keys');
    t.equal(c['SageMaker.DeleteTags'] ?? 0, 0, 'nothing removed, no DeleteTags');
    t.equal(c['SageMaker.CreateModel'] ?? 0, 0, 'no CreateModel a second time');
    t.equal(c['SageMaker.DeleteModel'] ?? 0, 0);
  }
  await settled(t, ws);

  // import-verify: the tags come back exactly from ListTags
  await ws.ok(['state', 'rm', ADDRESS]);
  await ws.ok(['import', '-no-color', '-input=false', ADDRESS, name]);
  t.same(await ws.resource(ADDRESS), state, 'import reproduces the state, tags included');
  t.equal((await ws.planExitCode()).code, 0, 'plan after import is empty');

  // remove key1
  ws.config(config(name, { tags: { key2: 'value2' } }));
  plan = await ws.planJson();
  t.same(actionsOf(plan), { [ADDRESS]: ['update'] });
  await resetCalls();
  await applyPlan(ws);
  t.same((await ws.resource(ADDRESS)).tags, { key2: 'value2' });
  t.same(await remoteTags(ws), { key2: 'value2' });
  if (acc.target.admin) {
    const c = await counts();
    t.equal(c['SageMaker.DeleteTags'], 1, 'one DeleteTags for the removed key');
    t.equal(c['SageMaker.AddTags'] ?? 0, 0, 'nothing added, no AddTags');
    t.equal(c['SageMaker.CreateModel'] ?? 0, 0);
  }
  await settled(t, ws);

  // remove the tags argument altogether
  ws.config(config(name));
  plan = await ws.planJson();
  t.same(actionsOf(plan), { [ADDRESS]: ['update'] });
  await applyPlan(ws);
  state = await ws.resource(ADDRESS);
  t.same(state.tags, {}, 'SDKv2 plans a removed map as an empty one');
  t.same(state.tags_all, {});
  t.same(await remoteTags(ws), {});
  await settled(t, ws);
  await ws.destroy();
  t.equal(await acc.aws.model(name), null);
});

t.test('default_tags only: tags null, tags_all = the defaults', async (t) => {
  const name = uniqueName('tfacc-deftags');
  const ws = newWorkspace(t);
  const defaults = { Environment: 'test', Owner: 'team-a' };
  ws.config(config(name, { defaultTags: defaults }));
  const plan = await ws.planJson();
  t.same(change(plan).after.tags_all, defaults, 'tags_all is known at plan time');
  await applyPlan(ws);
  const state = await ws.resource(ADDRESS);
  t.equal(state.tags, null);
  t.same(state.tags_all, defaults);
  t.same(await remoteTags(ws), defaults, 'default tags are sent with CreateModel');
  await settled(t, ws);
  const refreshed = await ws.resource(ADDRESS);
  t.same([refreshed.tags, refreshed.tags_all], [{}, defaults], 'a refresh stores "no tags" as {}, as SDKv2 does');
  await ws.destroy();
});

t.test('default_tags overlap: the resource value wins; a tag equal to a default stays in tags only when configured', async (t) => {
  const name = uniqueName('tfacc-overlap');
  const ws = newWorkspace(t);
  const defaultTags = { Environment: 'test', Team: 'platform' };
  ws.config(config(name, { defaultTags, tags: { Environment: 'prod', Team: 'platform', Name: 'model' } }));
  await ws.apply();
  let state = await ws.resource(ADDRESS);
  t.same(state.tags, { Environment: 'prod', Team: 'platform', Name: 'model' }, 'configured tags, including the one equal to a default');
  t.same(state.tags_all, { Environment: 'prod', Team: 'platform', Name: 'model' }, 'the resource value overrides the default');
  t.same(await remoteTags(ws), { Environment: 'prod', Team: 'platform', Name: 'model' });
  await settled(t, ws);

  // Drop Team (equal to a default) and Environment (overriding a default) from the resource tags.
  ws.config(config(name, { defaultTags, tags: { Name: 'model' } }));
  const plan = await ws.planJson();
  t.same(actionsOf(plan), { [ADDRESS]: ['update'] });
  t.same(change(plan).after.tags, { Name: 'model' });
  t.same(change(plan).after.tags_all, { Environment: 'test', Team: 'platform', Name: 'model' }, 'the defaults come back in tags_all');
  await resetCalls();
  await applyPlan(ws);
  state = await ws.resource(ADDRESS);
  t.same(state.tags, { Name: 'model' }, 'a tag equal to a default is no longer in tags when not configured');
  t.same(state.tags_all, { Environment: 'test', Team: 'platform', Name: 'model' });
  t.same(await remoteTags(ws), { Environment: 'test', Team: 'platform', Name: 'model' });
  if (acc.target.admin) {
    const c = await counts();
    t.equal(c['SageMaker.AddTags'], 1, 'AddTags for the changed Environment value');
    t.equal(c['SageMaker.DeleteTags'] ?? 0, 0, 'Team stays: no DeleteTags');
  }
  await settled(t, ws);
  await ws.destroy();
});

t.test('changing only default_tags is an in-place update of tags_all only', async (t) => {
  const name = uniqueName('tfacc-defchange');
  const ws = newWorkspace(t);
  ws.config(config(name, { defaultTags: { Environment: 'test' }, tags: { Name: 'model' } }));
  await ws.apply();
  await settled(t, ws);

  // A new default key: only tags_all changes.
  ws.config(config(name, { defaultTags: { Environment: 'test', CostCenter: '42' }, tags: { Name: 'model' } }));
  let plan = await ws.planJson();
  t.same(actionsOf(plan), { [ADDRESS]: ['update'] });
  let { before, after } = change(plan);
  t.same(before.tags, { Name: 'model' });
  t.same(after.tags, { Name: 'model' }, 'tags do not change');
  t.same(before.tags_all, { Environment: 'test', Name: 'model' });
  t.same(after.tags_all, { Environment: 'test', CostCenter: '42', Name: 'model' }, 'tags_all changes');
  await resetCalls();
  await applyPlan(ws);
  let state = await ws.resource(ADDRESS);
  t.same(state.tags, { Name: 'model' });
  t.same(state.tags_all, { Environment: 'test', CostCenter: '42', Name: 'model' });
  t.same(await remoteTags(ws), { Environment: 'test', CostCenter: '42', Name: 'model' });
  if (acc.target.admin) {
    const c = await counts();
    t.equal(c['SageMaker.AddTags'], 1);
    t.equal(c['SageMaker.DeleteTags'] ?? 0, 0);
    t.equal(c['SageMaker.CreateModel'] ?? 0, 0, 'no replacement');
  }
  await settled(t, ws);

  // A changed default value. The refresh reads the remote Environment=test under the new defaults, where it no
  // longer equals a default, so the prior tags show it (hashicorp/aws 5.100.0 plans exactly this); apply
  // converges.
  ws.config(config(name, { defaultTags: { Environment: 'staging', CostCenter: '42' }, tags: { Name: 'model' } }));
  plan = await ws.planJson();
  t.same(actionsOf(plan), { [ADDRESS]: ['update'] });
  ({ before, after } = change(plan));
  t.same(before.tags, { Environment: 'test', Name: 'model' });
  t.same(after.tags, { Name: 'model' });
  t.same(after.tags_all, { Environment: 'staging', CostCenter: '42', Name: 'model' });
  await resetCalls();
  await applyPlan(ws);
  state = await ws.resource(ADDRESS);
  t.same(state.tags, { Name: 'model' });
  t.same(state.tags_all, { Environment: 'staging', CostCenter: '42', Name: 'model' });
  t.same(await remoteTags(ws), { Environment: 'staging', CostCenter: '42', Name: 'model' });
  if (acc.target.admin) {
    const c = await counts();
    t.equal(c['SageMaker.AddTags'], 1);
    t.equal(c['SageMaker.DeleteTags'] ?? 0, 0);
  }
  await settled(t, ws);

  // Removing a default tag deletes it remotely.
  ws.config(config(name, { defaultTags: { Environment: 'staging' }, tags: { Name: 'model' } }));
  t.same(actionsOf(await ws.planJson()), { [ADDRESS]: ['update'] });
  await resetCalls();
  await applyPlan(ws);
  t.same(await remoteTags(ws), { Environment: 'staging', Name: 'model' });
  if (acc.target.admin) t.equal((await counts())['SageMaker.DeleteTags'], 1);
  await settled(t, ws);
  await ws.destroy();
});

t.test('ignore_tags keys and key_prefixes: matching remote tags never show and never diff', async (t) => {
  const name = uniqueName('tfacc-ignore');
  const ws = newWorkspace(t);
  const ignore = { ignoreKeys: ['IgnoredKey'], ignorePrefixes: ['ignored-prefix:'] };
  ws.config(config(name, { ...ignore, tags: { Name: 'model' } }));
  await ws.apply();
  const arn = (await ws.resource(ADDRESS)).arn as string;
  await acc.aws.addTags(arn, { IgnoredKey: 'x', 'ignored-prefix:one': 'y', 'ignored-prefix:two': 'z' });

  t.equal((await ws.planExitCode()).code, 0, 'ignored remote tags produce no diff');
  await ws.ok(['apply', '-refresh-only', '-auto-approve', '-no-color']);
  const state = await ws.resource(ADDRESS);
  t.same(state.tags, { Name: 'model' }, 'ignored tags are not in tags');
  t.same(state.tags_all, { Name: 'model' }, 'ignored tags are not in tags_all');
  t.equal((await ws.planExitCode()).code, 0);

  // A tag change still leaves the ignored remote tags alone.
  ws.config(config(name, { ...ignore, tags: { Name: 'renamed' } }));
  const plan = await ws.planJson();
  t.same(actionsOf(plan), { [ADDRESS]: ['update'] });
  t.same(change(plan).before.tags_all, { Name: 'model' });
  await resetCalls();
  await applyPlan(ws);
  t.same(await acc.aws.tags(arn), { Name: 'renamed', IgnoredKey: 'x', 'ignored-prefix:one': 'y', 'ignored-prefix:two': 'z' }, 'ignored tags stay remotely');
  if (acc.target.admin) t.equal((await counts())['SageMaker.DeleteTags'] ?? 0, 0, 'ignored tags are never deleted');
  await settled(t, ws);

  // Without ignore_tags they show up as drift.
  ws.config(config(name, { tags: { Name: 'renamed' } }));
  const drift = await ws.planJson();
  t.same(actionsOf(drift), { [ADDRESS]: ['update'] }, 'without ignore_tags the extra tags are drift');
  await ws.destroy();
});

t.test('an aws: tag key in the configuration is not sent, as in hashicorp/aws, and the plan settles', async (t) => {
  // hashicorp/aws 5.100.0 drops it from CreateModel/AddTags too, but then plans "+ aws:team" on every run;
  // we keep it in tags as configured (provider-schema/README.md, "Deliberate differences").
  const name = uniqueName('tfacc-awskey');
  const ws = newWorkspace(t);
  ws.config(config(name, { tags: { Team: 'y', 'aws:team': 'x' } }));
  await ws.apply();
  const state = await ws.resource(ADDRESS);
  t.same(state.tags, { Team: 'y', 'aws:team': 'x' }, 'tags as configured');
  t.same(state.tags_all, { Team: 'y' }, 'tags_all holds what was sent');
  t.same(await remoteTags(ws), { Team: 'y' }, 'the aws: key was not sent');
  await settled(t, ws);
  await ws.destroy();
});

t.test('TF_AWS_DEFAULT_TAGS_<key> and TF_AWS_IGNORE_TAGS_KEYS from the environment', async (t) => {
  const name = uniqueName('tfacc-envtags');
  const ws = newWorkspace(t, { TF_AWS_DEFAULT_TAGS_Environment: 'from-env', TF_AWS_DEFAULT_TAGS_Team: 'env-team', TF_AWS_IGNORE_TAGS_KEYS: 'OobOne,OobTwo' });
  // The configuration wins over the environment on a key clash.
  ws.config(config(name, { defaultTags: { Team: 'config-team' }, tags: { Name: 'model' } }));
  await ws.apply();
  const state = await ws.resource(ADDRESS);
  t.same(state.tags, { Name: 'model' });
  t.same(state.tags_all, { Environment: 'from-env', Team: 'config-team', Name: 'model' });
  t.same(await remoteTags(ws), { Environment: 'from-env', Team: 'config-team', Name: 'model' });
  await settled(t, ws);

  await acc.aws.addTags(state.arn as string, { OobOne: '1', OobTwo: '2' });
  t.equal((await ws.planExitCode()).code, 0, 'keys ignored through the environment produce no diff');
  await ws.ok(['apply', '-refresh-only', '-auto-approve', '-no-color']);
  t.same((await ws.resource(ADDRESS)).tags_all, { Environment: 'from-env', Team: 'config-team', Name: 'model' });
  t.equal((await ws.planExitCode()).code, 0);
  await ws.destroy();
});

t.test('out-of-band tag drift: an added tag is planned for removal and apply removes it', async (t) => {
  const name = uniqueName('tfacc-drift');
  const ws = newWorkspace(t);
  ws.config(config(name, { tags: { Name: 'model' } }));
  await ws.apply();
  const arn = (await ws.resource(ADDRESS)).arn as string;
  await acc.aws.addTags(arn, { Drift: 'oob' });

  const plan = await ws.planJson();
  t.same(actionsOf(plan), { [ADDRESS]: ['update'] });
  t.same(change(plan).before.tags, { Name: 'model', Drift: 'oob' }, 'refresh brought the out-of-band tag into state');
  t.same(change(plan).after.tags, { Name: 'model' });
  t.same(change(plan).after.tags_all, { Name: 'model' });
  await resetCalls();
  await applyPlan(ws);
  t.same(await acc.aws.tags(arn), { Name: 'model' }, 'apply removed the tag remotely');
  if (acc.target.admin) {
    const c = await counts();
    t.equal(c['SageMaker.DeleteTags'], 1);
    t.equal(c['SageMaker.AddTags'] ?? 0, 0);
    t.equal(c['SageMaker.CreateModel'] ?? 0, 0);
  }
  await settled(t, ws);
  await ws.destroy();
});

t.test('a tag with an empty value is sent and settles', async (t) => {
  const name = uniqueName('tfacc-emptytag');
  const ws = newWorkspace(t);
  ws.config(config(name, { defaultTags: { Environment: 'test' }, tags: { Empty: '', Name: 'model' } }));
  await ws.apply();
  const state = await ws.resource(ADDRESS);
  t.same(state.tags, { Empty: '', Name: 'model' });
  t.same(state.tags_all, { Empty: '', Environment: 'test', Name: 'model' });
  t.same(await remoteTags(ws), { Empty: '', Environment: 'test', Name: 'model' }, 'the empty value is sent');
  await settled(t, ws);
  await ws.destroy();
});

t.test(
  'a tag with an empty value plans tags_all as unknown',
  {},
  async (t) => {
    const ws = newWorkspace(t);
    ws.config(config(uniqueName('tfacc-emptytag'), { defaultTags: { Environment: 'test' }, tags: { Empty: '', Name: 'model' } }));
    const c = (await ws.planJson()).resource_changes!.find((r) => r.address === ADDRESS)!.change;
    t.same((c.after as Record<string, unknown>).tags, { Empty: '', Name: 'model' });
    t.equal((c.after_unknown as Record<string, unknown>).tags_all, true, 'tags_all is unknown until apply');
  },
);
