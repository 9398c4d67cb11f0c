// Tags, default_tags and ignore_tags: the algebra of hashicorp/aws's transparent tagging.
//   tags_all = ignore(merge(default_tags, tags))    (planned; a resource tag wins over a default one)
//   tags     = what the configuration wrote         (defaults show only in tags_all)
// Keys starting with "aws:" belong to AWS and are never sent, removed or shown in tags_all. One written in the
// configuration is kept in `tags` as written (as ignored keys are): hashicorp/aws accepts it and drops it
// silently, and a strict plan must find `tags` as configured after apply.
import { UNKNOWN, isObject, type ObjectValue, type Value } from '../values/value';
import { isWhollyKnown } from '../values/equality';
import type { IgnoreTags } from './settings';
import { stringMap } from './values';

export type Tags = Record<string, string>;

function isSystemKey(key: string): boolean {
  return key.toLowerCase().startsWith('aws:');
}

function isIgnored(key: string, ignore: IgnoreTags): boolean {
  return ignore.keys.has(key) || ignore.keyPrefixes.some((prefix) => key.startsWith(prefix));
}

function without(tags: Tags, drop: (key: string) => boolean): Tags {
  return Object.fromEntries(Object.entries(tags).filter(([key]) => !drop(key)));
}

/** The planned tags_all for a configured `tags` value: never aws: keys, which are never sent. */
export function plannedTagsAll(configTags: Value, defaultTags: Tags, ignore: IgnoreTags): Value {
  if (!isWhollyKnown(configTags)) return UNKNOWN;
  const merged = { ...defaultTags, ...(stringMap(configTags) ?? {}) };
  return without(merged, (key) => isSystemKey(key) || isIgnored(key, ignore));
}

/** Tags to send on create: defaults merged with the resource's tags; ignore_tags does not apply here. */
export function tagsForCreate(planned: ObjectValue, defaultTags: Tags): Tags {
  return without({ ...defaultTags, ...(stringMap(planned.tags) ?? {}) }, isSystemKey);
}

/** What an update must remove and add to go from the old tags_all to the new one. */
export function tagChanges(oldAll: Value, newAll: Value): { remove: string[]; add: Tags } {
  const before = stringMap(oldAll) ?? {};
  const after = stringMap(newAll) ?? {};
  return {
    remove: Object.keys(before).filter((key) => !(key in after) && !isSystemKey(key)),
    add: without(
      Object.fromEntries(Object.entries(after).filter(([key, value]) => before[key] !== value)),
      isSystemKey,
    ),
  };
}

/**
 * `tags` and `tags_all` from the tags that exist remotely. `known` is the state the caller already holds
 * (the plan after an apply, the prior state on refresh): it decides whether a tag equal to a default was
 * written in the configuration, keeps ignored tags as configured, and whether "no tags" is null or {}.
 * `refresh`: SDKv2 reads (refresh, import) store "no tags" as {}, whatever the state held.
 */
export function tagsFromRemote(remote: Tags, defaultTags: Tags, ignore: IgnoreTags, known: ObjectValue | null, refresh = false): { tags: Value; tags_all: Value } {
  const visible = without(remote, (key) => isSystemKey(key) || isIgnored(key, ignore));
  const knownTags = (known && stringMap(known.tags)) ?? {};
  const tags: Tags = {};
  for (const [key, value] of Object.entries(visible)) {
    const isDefault = defaultTags[key] === value;
    if (!isDefault || knownTags[key] === value) tags[key] = value;
  }
  for (const [key, value] of Object.entries(knownTags)) if (isSystemKey(key) || isIgnored(key, ignore)) tags[key] = value;
  const priorWasEmptyMap = known !== null && isObject(known.tags) && Object.keys(known.tags).length === 0;
  return {
    tags: Object.keys(tags).length > 0 ? tags : priorWasEmptyMap || refresh ? {} : null,
    tags_all: visible,
  };
}
