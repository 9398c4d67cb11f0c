// Planning driven by the schema: from the prior state and the configuration to the planned state and the
// attribute paths that force replacement. Resource-specific adjustments (tags_all, region) come afterwards
// as plan modifiers; nothing here knows about a particular resource.
//
// The rules keep every plan valid under Terraform's strict checks (objchange.AssertPlanValid):
// - a non-computed attribute is planned as configured;
// - a computed attribute left null in the configuration keeps its prior value, takes its default, or is
//   unknown when the object (or the nested element) is new;
// - nested blocks are planned element by element and their counts always match the configuration.
import { CtyNumber, UNKNOWN, isObject, isUnknown, type CtyType, type ObjectValue, type Value } from '../values/value';
import { valuesEqual } from '../values/equality';
import type { Path } from '../values/path';
import { impliedType, type SchemaAttribute, type SchemaBlock, type SchemaNestedBlock } from './schema';

export interface PlannedObject {
  planned: ObjectValue;
  requiresReplace: Path[];
}

/** Plans an object whose configuration exists. `prior` is null on create. */
export function planObject(block: SchemaBlock, prior: ObjectValue | null, config: ObjectValue): PlannedObject {
  const requiresReplace: Path[] = [];
  const planned = planBlock(block, prior, config, [], requiresReplace);
  return { planned, requiresReplace };
}

function planBlock(block: SchemaBlock, prior: ObjectValue | null, config: ObjectValue, path: Path, replace: Path[]): ObjectValue {
  const planned: ObjectValue = {};
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    const priorValue = prior ? (prior[name] ?? null) : null;
    const value = planAttribute(attribute, prior !== null, priorValue, config[name] ?? null);
    planned[name] = value;
    if (attribute.force_new && prior !== null && changed(priorValue, value, attribute.type)) replace.push([...path, { attr: name }]);
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const blockPath: Path = [...path, { attr: name }];
    planned[name] = planNestedBlock(nested, prior ? (prior[name] ?? null) : null, prior !== null, config[name] ?? null, blockPath, replace);
  }
  return planned;
}

function planAttribute(attribute: SchemaAttribute, hasPrior: boolean, prior: Value, config: Value): Value {
  if (!attribute.computed || config !== null) return config;
  if (attribute.default !== undefined) return defaultValue(attribute);
  return hasPrior ? prior : UNKNOWN;
}

function planNestedBlock(nested: SchemaNestedBlock, prior: Value, hasPrior: boolean, config: Value, path: Path, replace: Path[]): Value {
  if (isUnknown(config)) {
    // A dynamic block whose for_each is not known yet: everything inside is decided at apply.
    if (hasPrior && forcesNew(nested)) replace.push(path);
    return config;
  }
  switch (nested.nesting_mode) {
    case 'single':
    case 'group': {
      const priorObject = isObject(prior) ? prior : null;
      if (config === null) {
        if (hasPrior && priorObject !== null && forcesNew(nested)) replace.push(path);
        return null;
      }
      return planBlock(nested.block, hasPrior ? priorObject : null, config as ObjectValue, path, replace);
    }
    case 'list': {
      const configList = (config ?? []) as ObjectValue[];
      const priorList = Array.isArray(prior) ? (prior as ObjectValue[]) : [];
      // An optional+computed block left out of the configuration is simply not tracked: no change.
      if (nested.computed && configList.length === 0) return [];
      const planned = configList.map((element, index) =>
        planBlock(nested.block, hasPrior ? (priorList[index] ?? null) : null, element, [...path, { index }], replace),
      );
      if (hasPrior && configList.length !== priorList.length) {
        const added = configList.slice(priorList.length);
        const removed = priorList.slice(configList.length);
        if (nested.force_new || [...added, ...removed].some((element) => hasForceNewContent(nested.block, element))) replace.push(path);
      }
      return planned;
    }
    case 'set': {
      const configSet = (config ?? []) as ObjectValue[];
      const priorSet = Array.isArray(prior) ? (prior as ObjectValue[]) : [];
      if (nested.computed && configSet.length === 0) return [];
      // Set elements are identified by their whole value, so an element is either kept or new.
      const planned = configSet.map((element) => {
        const match = hasPrior ? findSetMatch(nested.block, priorSet, element) : null;
        return planBlock(nested.block, match, element, path, replace);
      });
      if (hasPrior && forcesNew(nested) && !valuesEqual(planned, priorSet, ['set', blockType(nested)])) replace.push(path);
      return planned;
    }
    case 'map': {
      const configMap = (config ?? {}) as { [key: string]: ObjectValue };
      const priorMap = isObject(prior) ? (prior as { [key: string]: ObjectValue }) : {};
      const planned: ObjectValue = {};
      for (const [key, element] of Object.entries(configMap)) {
        planned[key] = planBlock(nested.block, hasPrior ? (priorMap[key] ?? null) : null, element, [...path, { key }], replace);
      }
      if (hasPrior && forcesNew(nested)) {
        for (const key of Object.keys(priorMap)) if (!(key in configMap)) replace.push([...path, { key }]);
      }
      return planned;
    }
  }
}

/** The prior set element with the same configured (non-computed) content, if any. */
function findSetMatch(block: SchemaBlock, priorSet: ObjectValue[], element: ObjectValue): ObjectValue | null {
  return (
    priorSet.find((candidate) =>
      Object.entries(block.attributes ?? {}).every(
        ([name, attribute]) => (attribute.computed && element[name] === null) || valuesEqual(candidate[name] ?? null, element[name] ?? null, attribute.type),
      ),
    ) ?? null
  );
}

function blockType(nested: SchemaNestedBlock): CtyType {
  return impliedType(nested.block);
}

/** Whether adding or removing this block (or any element of it) replaces the object. */
export function forcesNew(nested: SchemaNestedBlock): boolean {
  return nested.force_new === true || blockHasForceNew(nested.block);
}

function blockHasForceNew(block: SchemaBlock): boolean {
  return (
    Object.values(block.attributes ?? {}).some((a) => a.force_new) ||
    Object.values(block.block_types ?? {}).some((n) => forcesNew(n))
  );
}

/** SDKv2 semantics: a block element appearing or disappearing forces replacement if it carries a force-new value. */
export function hasForceNewContent(block: SchemaBlock, element: ObjectValue): boolean {
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    if (attribute.force_new && element[name] !== null && element[name] !== undefined) return true;
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const v = element[name];
    if (v === null || v === undefined) continue;
    if (isUnknown(v)) return true;
    const elements = Array.isArray(v) ? v : nested.nesting_mode === 'map' ? Object.values(v as ObjectValue) : [v];
    if (elements.length > 0 && (nested.force_new || elements.some((e) => hasForceNewContent(nested.block, e as ObjectValue)))) return true;
  }
  return false;
}

/** A change that can force replacement. Like SDKv2, null and an empty string, map or list are the same. */
function changed(prior: Value, planned: Value, type: CtyType): boolean {
  if (isUnknown(planned)) return true;
  if (isEmpty(prior) && isEmpty(planned)) return false;
  return !valuesEqual(prior, planned, type);
}

function isEmpty(v: Value): boolean {
  return v === null || v === '' || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

/** The configuration with every null attribute that has a default set to it (data sources read this). */
export function withDefaults(block: SchemaBlock, config: ObjectValue): ObjectValue {
  const result: ObjectValue = { ...config };
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    if (attribute.default !== undefined && (config[name] ?? null) === null) result[name] = defaultValue(attribute);
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const v = config[name];
    if (Array.isArray(v)) result[name] = v.map((element) => (isObject(element) ? withDefaults(nested.block, element) : element));
    else if (isObject(v) && nested.nesting_mode === 'map') {
      result[name] = Object.fromEntries(Object.entries(v).map(([key, element]) => [key, isObject(element) ? withDefaults(nested.block, element) : element]));
    } else if (isObject(v)) result[name] = withDefaults(nested.block, v);
  }
  return result;
}

/** The schema's JSON default as a value of the attribute's type. */
export function defaultValue(attribute: SchemaAttribute): Value {
  return jsonToValue(attribute.default, attribute.type);
}

function jsonToValue(json: unknown, type: CtyType): Value {
  if (json === null || json === undefined) return null;
  if (type === 'number') return CtyNumber.of(json as number | string);
  if (Array.isArray(type) && Array.isArray(json)) return json.map((e) => jsonToValue(e, type[1] as CtyType));
  // An object or map type (a valid schema gives it a JSON object).
  if (Array.isArray(type)) {
    const result: ObjectValue = {};
    for (const [k, v] of Object.entries(json as object)) result[k] = jsonToValue(v, type[0] === 'map' ? (type[1] as CtyType) : (type[1] as Record<string, CtyType>)[k]);
    return result;
  }
  return json as Value;
}
