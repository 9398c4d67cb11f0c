// The behaviours hashicorp/aws wraps around a resource (src/aws/behaviours.ts), on a resource that only records what
// it is asked: v6's `region` argument, and transparent tagging — tags_all as verify.SetTagsDiff plans it, tags changed
// in place by the resource's tagging API, tags read back after every operation.
import t from 'tap';
import type { ObjectValue } from '../../src/values/value';
import { UNKNOWN } from '../../src/values/value';
import type { PlanRequest, ResourceType } from '../../src/engine/resource';
import { ResourceError } from '../../src/engine/diagnostics';
import { regional, tagged, type Tagging } from '../../src/aws/behaviours';
import type { AwsContext, AwsMeta } from '../../src/aws/meta';
import { partitionOfRegion } from '../../src/aws/partitions';
import type { Tags } from '../../src/aws/tags';

function context(overrides: Partial<AwsMeta> = {}): AwsContext {
  const meta = {
    region: 'us-east-1',
    partition: partitionOfRegion('us-east-1'),
    defaultTags: {},
    ignoreTags: { keys: new Set<string>(), keyPrefixes: [] },
    ...overrides,
  } as AwsMeta;
  return { meta, signal: new AbortController().signal };
}

/** A resource whose operations return what they are given (or `remote`), recording each call. */
function recordingResource(overrides: Partial<ResourceType<AwsMeta>> = {}) {
  const calls: Array<[string, ...unknown[]]> = [];
  const resource: ResourceType<AwsMeta> = {
    name: 'aws_thing',
    schema: {} as ResourceType<AwsMeta>['schema'],
    async create(_c, planned) {
      calls.push(['create', planned]);
      return { ...planned, id: 'thing-1' };
    },
    async read(_c, current) {
      calls.push(['read', current]);
      return { ...current };
    },
    async update(_c, prior, planned) {
      calls.push(['update', prior, planned]);
      return { ...planned };
    },
    async delete() {},
    importState(_c, id) {
      calls.push(['import', id]);
      return { id };
    },
    ...overrides,
  };
  return { resource, calls };
}

function plan(resource: ResourceType<AwsMeta>, ctx: AwsContext, request: Partial<PlanRequest>) {
  const full: PlanRequest = { prior: null, config: {}, planned: {}, requiresReplace: [], ...request };
  const diagnostics = (resource.planModifiers ?? []).flatMap((modify) => modify(ctx, full) ?? []);
  return { ...full, diagnostics };
}

t.test('region defaults to the provider region and may be set', async (t) => {
  const { resource } = recordingResource();
  const wrapped = regional(resource);
  t.equal(plan(wrapped, context(), { planned: { region: UNKNOWN } }).planned.region, 'us-east-1');
  t.equal(plan(wrapped, context(), { config: { region: 'eu-west-1' }, planned: { region: UNKNOWN } }).planned.region, 'eu-west-1');
});

t.test("a region outside the provider's partition is refused at plan", async (t) => {
  const { resource } = recordingResource();
  const result = plan(regional(resource), context(), { config: { region: 'cn-north-1' } });
  t.same(result.diagnostics.map((d) => [d.severity, d.summary, d.detail, d.path]), [
    ['error', 'Invalid region value', 'Region "cn-north-1" is not in the partition "aws".', [{ attr: 'region' }]],
  ]);
  t.same(result.requiresReplace, []);
});

t.test('a change of region replaces the object; the same region, or none before, does not', async (t) => {
  const wrapped = regional(recordingResource().resource);
  t.same(plan(wrapped, context(), { prior: { region: 'us-west-2' }, config: {} }).requiresReplace, [[{ attr: 'region' }]]);
  t.same(plan(wrapped, context(), { prior: { region: 'us-east-1' }, config: {} }).requiresReplace, []);
  t.same(plan(wrapped, context(), { prior: { region: null }, config: {} }).requiresReplace, [], 'a state from before v6');
  t.same(plan(wrapped, context(), { prior: null, config: { region: 'us-west-2' } }).requiresReplace, []);
});

t.test("the resource's own plan modifiers run first", async (t) => {
  const seen: unknown[] = [];
  const { resource } = recordingResource({ planModifiers: [(_c, r) => void seen.push(r.planned.region)] });
  plan(regional(resource), context(), { planned: { region: UNKNOWN } });
  t.equal(seen.length, 1);
  t.equal(seen[0], UNKNOWN, 'before the region is planned');
  const wrapped = regional(resource);
  t.equal(wrapped.planModifiers?.length, 2);
});

t.test('reads keep the state region, else take the provider region; a gone object stays gone', async (t) => {
  const { resource } = recordingResource();
  const wrapped = regional(resource);
  t.same(await wrapped.read(context(), { id: 'x', region: 'eu-west-1' }), { id: 'x', region: 'eu-west-1' });
  t.same(await wrapped.read(context(), { id: 'x', region: null }), { id: 'x', region: 'us-east-1' });
  const gone = regional(recordingResource({ read: async () => null }).resource);
  t.equal(await gone.read(context(), { id: 'x', region: 'eu-west-1' }), null);
});

t.test('an upgraded state without region gets the provider region when there is a provider', async (t) => {
  const wrapped = regional(recordingResource().resource);
  t.same(wrapped.upgradeState!(context(), { id: 'x', region: null }), { id: 'x', region: 'us-east-1' });
  t.same(wrapped.upgradeState!(context(), { id: 'x', region: 'eu-west-1' }), { id: 'x', region: 'eu-west-1' });
  t.same(wrapped.upgradeState!(undefined, { id: 'x', region: null }), { id: 'x', region: null });
  const own = regional(recordingResource({ upgradeState: (_c, s) => ({ ...s, upgraded: true }) }).resource);
  t.same(own.upgradeState!(context(), { id: 'x', region: null }), { id: 'x', region: 'us-east-1', upgraded: true });
});

t.test('an import ID may end with @<region>', async (t) => {
  const { resource, calls } = recordingResource();
  const wrapped = regional(resource);
  t.same(wrapped.importState(context(), 'model-1@eu-west-2'), { id: 'model-1', region: 'eu-west-2' });
  t.same(wrapped.importState(context(), 'model-1'), { id: 'model-1', region: 'us-east-1' });
  t.same(wrapped.importState(context(), 'a@b@us-gov-west-1'), { id: 'a@b', region: 'us-gov-west-1' });
  t.same(wrapped.importState(context(), 'user@example.com'), { id: 'user@example.com', region: 'us-east-1' }, 'not a region');
  t.same(wrapped.importState(context(), '@us-west-2'), { id: '@us-west-2', region: 'us-east-1' }, 'nothing before the @');
  t.same(wrapped.importState(context(), 'x@us-west-2x'), { id: 'x@us-west-2x', region: 'us-east-1' });
  t.same(calls.map((c) => c[1]), ['model-1', 'model-1', 'a@b', 'user@example.com', '@us-west-2', 'x@us-west-2x']);
});

/** Tagging by an API of its own, over a map of remote tags. */
function remoteTagging(remote: Tags) {
  const updates: Array<{ remove: string[]; add: Tags }> = [];
  const tagging: Tagging = {
    async list() {
      return { ...remote };
    },
    async update(_c, _state, remove, add) {
      updates.push({ remove, add });
      for (const key of remove) delete remote[key];
      Object.assign(remote, add);
    },
  };
  return { tagging, updates };
}

function planTags(request: Partial<PlanRequest>, meta: Partial<AwsMeta> = {}) {
  const wrapped = tagged(recordingResource().resource, remoteTagging({}).tagging);
  return plan(wrapped, context(meta), request).planned.tags_all;
}

t.test('tags_all is planned as the merged tags when tags are known and change', async (t) => {
  const defaultTags = { env: 'prod', team: 'x' };
  t.same(planTags({ planned: { tags: { a: '1', env: 'dev' }, tags_all: UNKNOWN } }, { defaultTags }), { env: 'dev', team: 'x', a: '1' }, 'create');
  t.same(planTags({ prior: { tags: { a: '1' }, tags_all: { a: '1' } }, planned: { tags: null, tags_all: { a: '1' } } }), {}, 'to no tags at all');
  t.same(planTags({ prior: { tags: { a: '1' } }, planned: { tags: null, tags_all: { a: '1' } } }, { defaultTags }), defaultTags, 'to the defaults alone');
  t.same(planTags({ planned: { tags_all: UNKNOWN } }, { defaultTags }), defaultTags, 'no tags attribute at all reads as null');
});

t.test('tags_all is unknown when tags are not wholly known', async (t) => {
  t.equal(planTags({ planned: { tags: UNKNOWN, tags_all: { a: '1' } } }), UNKNOWN);
  t.equal(planTags({ prior: { tags: { a: '1' } }, planned: { tags: { a: UNKNOWN }, tags_all: { a: '1' } } }), UNKNOWN);
});

t.test('a changed tag with an empty value leaves tags_all to apply, unless the merged tags have no empty value', async (t) => {
  t.equal(planTags({ planned: { tags: { a: '' }, tags_all: UNKNOWN } }, { defaultTags: { env: 'p' } }), UNKNOWN);
  t.equal(planTags({ prior: { tags: { a: '1' } }, planned: { tags: { a: '' }, tags_all: { a: '1' } } }), UNKNOWN);
  const ignoreTags = { keys: new Set(['a']), keyPrefixes: [] };
  t.same(planTags({ planned: { tags: { a: '' }, tags_all: UNKNOWN } }, { defaultTags: { env: 'p' }, ignoreTags }), { env: 'p' }, 'the empty one is ignored');
  t.same(planTags({ planned: { tags: { a: '' }, tags_all: UNKNOWN } }, { ignoreTags }), {}, 'nothing left at all');
  t.same(planTags({ planned: { tags: { a: '1' }, tags_all: UNKNOWN } }, { defaultTags: { env: '' } }), { env: '', a: '1' }, 'an empty default does not');
});

t.test('unchanged tags: tags_all follows the merged tags when they have values, else stays unless it differs', async (t) => {
  const prior = { tags: { a: '1' }, tags_all: { a: '1' } };
  t.same(planTags({ prior, planned: { tags: { a: '1' }, tags_all: { a: '1' } } }, { defaultTags: { env: 'p' } }), { env: 'p', a: '1' }, 'a new default');
  t.same(planTags({ prior: { tags: null }, planned: { tags: {}, tags_all: { old: 'x' } } }), { old: 'x' }, 'no tags, before and after (null and {} are the same to SDKv2)');
  const withEmpty = { tags: { a: '' }, tags_all: { a: '' } };
  t.same(planTags({ prior: withEmpty, planned: { tags: { a: '' }, tags_all: { a: '' } } }), { a: '' }, 'an empty value, as before');
  t.equal(planTags({ prior: withEmpty, planned: { tags: { a: '' }, tags_all: { a: '' } } }, { defaultTags: { b: '2' } }), UNKNOWN, 'an empty value and a new default');
  t.equal(planTags({ prior: withEmpty, planned: { tags: { a: '' } } }), UNKNOWN, 'an empty value and no planned tags_all');
});

t.test('create reads the tags back: those written in tags, every visible one in tags_all', async (t) => {
  const remote = { a: '1', env: 'prod', 'aws:sys': 'x' };
  const { resource, calls } = recordingResource();
  const wrapped = tagged(resource, remoteTagging(remote).tagging);
  const state = await wrapped.create(context({ defaultTags: { env: 'prod' } }), { tags: { a: '1' }, tags_all: { a: '1', env: 'prod' } }, {});
  t.same(state, { id: 'thing-1', tags: { a: '1' }, tags_all: { a: '1', env: 'prod' } });
  t.equal(calls[0]![0], 'create');
});

t.test('a resource without its own tag listing reads tags_all from its own state', async (t) => {
  const wrapped = tagged(recordingResource().resource, { update: async () => {} });
  t.same(await wrapped.read(context(), { id: 'x', tags: null, tags_all: { b: '2' } }), { id: 'x', tags: { b: '2' }, tags_all: { b: '2' } });
});

t.test('a failure to read the tags of a created object keeps the object in the error, to be tainted', async (t) => {
  const tagging: Tagging = {
    list: async () => {
      throw new ResourceError('listing tags for thing (arn:x): denied');
    },
    update: async () => {},
  };
  const wrapped = tagged(recordingResource().resource, tagging);
  const error = await wrapped.create(context(), { tags: null }, {}).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.type(error, ResourceError);
  const failure = error as ResourceError;
  t.same(failure.diagnostics.map((d) => [d.summary, d.detail]), [['reading tags of aws_thing (thing-1)', 'listing tags for thing (arn:x): denied']]);
  t.same(failure.state, { tags: null, id: 'thing-1' });
});

t.test('a refresh stores "no tags" as {} for an SDKv2 resource, and keeps null otherwise', async (t) => {
  const sdkv2 = tagged(recordingResource({ sdkv2: true }).resource, remoteTagging({}).tagging);
  t.same(await sdkv2.read(context(), { id: 'x', tags: null, tags_all: {} }), { id: 'x', tags: {}, tags_all: {} });
  const strict = tagged(recordingResource().resource, remoteTagging({}).tagging);
  t.same(await strict.read(context(), { id: 'x', tags: null, tags_all: {} }), { id: 'x', tags: null, tags_all: {} });
  const gone = tagged(recordingResource({ read: async () => null }).resource, remoteTagging({}).tagging);
  t.equal(await gone.read(context(), { id: 'x' }), null);
});

t.test('an update changes exactly the tags that differ, before the resource update, then reads them back', async (t) => {
  const remote = { a: '1', b: '2', c: '3' };
  const { tagging, updates } = remoteTagging(remote);
  const { resource, calls } = recordingResource();
  const wrapped = tagged(resource, tagging);
  const prior = { id: 'x', tags: { a: '1', b: '2', c: '3' }, tags_all: { a: '1', b: '2', c: '3' } };
  const planned = { id: 'x', tags: { a: '1', b: 'two', d: '4' }, tags_all: { a: '1', b: 'two', d: '4' } };
  const state = await wrapped.update(context(), prior, planned, {});
  t.same(updates, [{ remove: ['c'], add: { b: 'two', d: '4' } }]);
  t.same(state, planned);
  t.equal(calls.length, 1);
});

t.test('an update with tags_all left to apply changes the tags to the merged ones known now', async (t) => {
  const { tagging, updates } = remoteTagging({ a: '1' });
  const wrapped = tagged(recordingResource().resource, tagging);
  await wrapped.update(context({ defaultTags: { env: 'p' } }), { tags: { a: '1' }, tags_all: { a: '1' } }, { tags: { a: '' }, tags_all: UNKNOWN }, {});
  t.same(updates, [{ remove: [], add: { env: 'p', a: '' } }]);
});

t.test('an update with the same tags_all calls no tagging API', async (t) => {
  const { tagging, updates } = remoteTagging({ a: '1' });
  const wrapped = tagged(recordingResource().resource, tagging);
  const state = await wrapped.update(context(), { tags: { a: '1' }, tags_all: { a: '1' } }, { tags: { a: '1' }, tags_all: { a: '1' }, other: 'new' }, {});
  t.same(updates, []);
  t.same(state, { tags: { a: '1' }, tags_all: { a: '1' }, other: 'new' });
});
