// Behaviours hashicorp/aws adds around every regional or tagged resource, as wrappers around a
// resource's API mapping: the `region` argument of v6, and transparent tagging (tags / tags_all).
import { UNKNOWN, isUnknown, type ObjectValue } from '../values/value';
import { isWhollyKnown, valuesEqual } from '../values/equality';
import { sdkEquivalent } from '../engine/sdkv2';
import type { PlanModifier, ResourceType } from '../engine/resource';
import { diagnosticsOf, errorDiagnostic, ResourceError } from '../engine/diagnostics';
import type { AwsContext, AwsMeta } from './meta';
import { isRegionInPartition } from './partitions';
import { plannedTagsAll, tagChanges, tagsFromRemote, type Tags } from './tags';
import { str, stringMap } from './values';

const IMPORT_ID_WITH_REGION = /^(.+)@([a-z]{2}(-[a-z]+)+-\d{1,2})$/;

/** v6's top-level `region`: defaults to the provider's region, replaces the object when it changes. */
export function regional(resource: ResourceType<AwsMeta>): ResourceType<AwsMeta> {
  const planRegion: PlanModifier<AwsMeta> = ({ meta }, request) => {
    const region = str(request.config.region) ?? meta.region;
    request.planned.region = region;
    if (!isRegionInPartition(region, meta.partition)) {
      return [errorDiagnostic(`Invalid region value`, `Region "${region}" is not in the partition "${meta.partition.id}".`, [{ attr: 'region' }])];
    }
    const priorRegion = request.prior ? str(request.prior.region) : undefined;
    if (priorRegion !== undefined && priorRegion !== region) request.requiresReplace.push([{ attr: 'region' }]);
  };
  return {
    ...resource,
    planModifiers: [...(resource.planModifiers ?? []), planRegion],
    async read(context, current) {
      const next = await resource.read(context, current);
      if (next) next.region = str(current.region) ?? context.meta.region;
      return next;
    },
    upgradeState(context, state) {
      const upgraded = resource.upgradeState ? resource.upgradeState(context, state) : state;
      if (upgraded.region === null && context) upgraded.region = context.meta.region;
      return upgraded;
    },
    importState(context, id) {
      const match = IMPORT_ID_WITH_REGION.exec(id);
      const state = resource.importState(context, match ? match[1] : id);
      state.region = match ? match[2] : context.meta.region;
      return state;
    },
  };
}

/**
 * How a resource lists and changes its tags, by its own API. Without `list`, the resource's own reads return the
 * remote tags in `tags_all` (APIs such as IAM's GetRole include them).
 */
export interface Tagging {
  list?(context: AwsContext, state: ObjectValue): Promise<Tags>;
  update(context: AwsContext, state: ObjectValue, remove: string[], add: Tags): Promise<void>;
}

/** Transparent tagging: plans tags_all, applies tag changes in place, reads tags back after every operation. */
export function tagged(resource: ResourceType<AwsMeta>, tagging: Tagging): ResourceType<AwsMeta> {
  // hashicorp/aws's CustomizeDiff for tags_all (verify.SetTagsDiff): known when the merged tags are, else left
  // to apply; the plan's own value (the prior, or unknown on create) stays otherwise.
  const planTagsAll: PlanModifier<AwsMeta> = ({ meta }, { prior, planned }) => {
    const tags = planned.tags ?? null;
    if (!isWhollyKnown(tags)) {
      planned.tags_all = UNKNOWN;
      return;
    }
    const all = plannedTagsAll(tags, meta.defaultTags, meta.ignoreTags) as Tags;
    const size = Object.keys(all).length;
    const allHaveValues = !Object.values(all).includes('');
    if (!sdkEquivalent(prior?.tags ?? null, tags, ['map', 'string'])) {
      const newHaveValues = !Object.values(stringMap(tags) ?? {}).includes('');
      if (!newHaveValues) planned.tags_all = UNKNOWN;
      if (size === 0 || newHaveValues || allHaveValues) planned.tags_all = all;
    } else if (size > 0 && allHaveValues) {
      planned.tags_all = all;
    } else if (size > 0 && !allHaveValues && !valuesEqual(planned.tags_all ?? null, all, ['map', 'string'])) {
      planned.tags_all = UNKNOWN;
    }
  };
  async function withRemoteTags(context: AwsContext, state: ObjectValue, known: ObjectValue | null, refresh = false): Promise<ObjectValue> {
    const remote = tagging.list ? await tagging.list(context, state) : (stringMap(state.tags_all) ?? {});
    return { ...state, ...tagsFromRemote(remote, context.meta.defaultTags, context.meta.ignoreTags, known, refresh && resource.sdkv2) };
  }
  return {
    ...resource,
    planModifiers: [...(resource.planModifiers ?? []), planTagsAll],
    async create(context, planned, config) {
      const created = await resource.create(context, planned, config);
      try {
        return await withRemoteTags(context, created, planned);
      } catch (error) {
        // The object exists: record it (Terraform marks it tainted) rather than orphan it.
        throw new ResourceError(`reading tags of ${resource.name} (${str(created.id)})`, diagnosticsOf(error)[0].summary, created);
      }
    },
    async read(context, current) {
      const next = await resource.read(context, current);
      return next && withRemoteTags(context, next, current, true);
    },
    async update(context, prior, planned, config) {
      // tags_all left to apply (an empty tag value, a change to no tags) is the merged tags, as known now.
      const wanted = isUnknown(planned.tags_all) ? plannedTagsAll(planned.tags ?? null, context.meta.defaultTags, context.meta.ignoreTags) : planned.tags_all;
      if (!valuesEqual(prior.tags_all, wanted, ['map', 'string'])) {
        const { remove, add } = tagChanges(prior.tags_all, wanted);
        await tagging.update(context, prior, remove, add);
      }
      const updated = await resource.update(context, prior, planned, config);
      return withRemoteTags(context, updated, planned);
    },
  };
}
