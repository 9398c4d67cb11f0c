// SDKv2 semantics, for resources whose hashicorp/aws implementation is built on terraform-plugin-sdk/v2.
//
// Users see what SDKv2 does, and SDKv2 does things Terraform's strict rules cannot express: it plans the Default
// of an attribute the schema calls optional, stores a StateFunc's normalised value instead of the configured
// text, keeps an optional+computed block the configuration leaves out, writes "" for unset strings, and reads
// "" / 0 / false / empty collections as "not set". Terraform accepts such answers only with `legacy_type_system`
// (see consistency.ts for when the adapter sets it). This module reproduces the outcomes of SDKv2's plan
// (schemaMap.Diff, diff.Apply, normalizeNullValues, ValuesSDKEquivalent) and of its apply and read
// normalisation, driven by the schema and its extension keys (`default`, `state_func`, `diff_suppress`, computed
// blocks).
import { CtyNumber, UNKNOWN, isObject, isUnknown, type CtyType, type ObjectValue, type Value } from '../values/value';
import { isWhollyKnown } from '../values/equality';
import type { Path } from '../values/path';
import { defaultValue, forcesNew, hasForceNewContent, type PlannedObject } from './plan';
import { impliedType, type SchemaAttribute, type SchemaBlock, type SchemaNestedBlock } from './schema';

/** A StateFunc: the value stored for a configured value (e.g. normalised JSON). */
export type StateFunc = (value: string) => string;
/**
 * A DiffSuppressFunc: whether the change from the prior value to the planned one is no change. `siblings` is the
 * configuration of the block that holds the attribute (what SDKv2's function reads through its ResourceData).
 * On create, `prior` is null.
 */
export type DiffSuppressFunc = (prior: Value, planned: Value, siblings: ObjectValue) => boolean;

const stateFuncs = new Map<string, StateFunc>();
const diffSuppressors = new Map<string, DiffSuppressFunc>();

export function registerStateFunc(name: string, fn: StateFunc): void {
  if (stateFuncs.has(name)) throw new Error(`state_func "${name}" registered twice`);
  stateFuncs.set(name, fn);
}

export function registerDiffSuppress(name: string, fn: DiffSuppressFunc): void {
  if (diffSuppressors.has(name)) throw new Error(`diff_suppress "${name}" registered twice`);
  diffSuppressors.set(name, fn);
}

export function isRegistered(kind: 'state_func' | 'diff_suppress', name: string): boolean {
  return (kind === 'state_func' ? stateFuncs : diffSuppressors).has(name);
}

function stateFunc(name: string): StateFunc {
  const fn = stateFuncs.get(name);
  if (!fn) throw new Error(`no state_func "${name}" is registered`);
  return fn;
}

function diffSuppress(name: string): DiffSuppressFunc {
  const fn = diffSuppressors.get(name);
  if (!fn) throw new Error(`no diff_suppress "${name}" is registered`);
  return fn;
}

/**
 * Plans an object the way SDKv2 does. `prior` is null on create; `proposed` is Terraform's proposed new state
 * (the configuration, with prior values for computed attributes it leaves null).
 */
export function planSdkv2(block: SchemaBlock, prior: ObjectValue | null, config: ObjectValue, proposed: ObjectValue): PlannedObject {
  const requiresReplace: Path[] = [];
  let planned = planBlock(block, prior, config, prior !== null, [], requiresReplace);
  planned = normalizeNullValues(planned, proposed, impliedType(block), false) as ObjectValue;
  // SDKv2 answers with the prior state itself when the plan only differs from it in ways it ignores.
  if (prior !== null && sdkEquivalent(prior, planned, impliedType(block))) return { planned: prior, requiresReplace: [] };
  return { planned, requiresReplace };
}

function planBlock(block: SchemaBlock, prior: ObjectValue | null, config: ObjectValue, hasPrior: boolean, path: Path, replace: Path[]): ObjectValue {
  const planned: ObjectValue = {};
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    const priorValue = hasPrior && prior ? (prior[name] ?? null) : null;
    const value = planAttribute(attribute, hasPrior, priorValue, config[name] ?? null, config);
    planned[name] = value;
    if (attribute.force_new && hasPrior && !sdkEquivalent(priorValue, value, attribute.type)) replace.push([...path, { attr: name }]);
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const priorValue = hasPrior && prior ? (prior[name] ?? null) : null;
    planned[name] = planNestedBlock(nested, hasPrior, priorValue, config[name] ?? null, [...path, { attr: name }], replace);
  }
  return planned;
}

function planAttribute(attribute: SchemaAttribute, hasPrior: boolean, prior: Value, config: Value, siblings: ObjectValue): Value {
  if (isUnknown(config)) return config;
  let value: Value = config;
  if (value === null && attribute.default !== undefined) value = defaultValue(attribute);
  if (typeof value === 'string' && attribute.state_func) value = stateFunc(attribute.state_func)(value);
  if (!hasPrior) {
    // A suppressed diff leaves the attribute out of the new object's plan.
    if (attribute.diff_suppress && value !== null && diffSuppress(attribute.diff_suppress)(null, value, siblings)) return null;
    if (value === null && attribute.computed) return UNKNOWN;
    // An empty collection makes no diff entry on create, so SDKv2 plans it null.
    return isEmptyCollection(value) && !attribute.computed ? null : value;
  }
  if (value === null) {
    // Left out: a computed attribute keeps what it has; a removed value goes, unless it was a zero value anyway
    // (a removed collection leaves an empty one: SDKv2 plans its count as 0).
    if (attribute.computed) return prior;
    if (isNullOrZero(prior, attribute.type)) return prior;
    return emptyCollection(attribute.type);
  }
  if (sdkEquivalent(prior, value, attribute.type)) return prior;
  if (attribute.diff_suppress && prior !== null && diffSuppress(attribute.diff_suppress)(prior, value, siblings)) return prior;
  return value;
}

function planNestedBlock(nested: SchemaNestedBlock, hasPrior: boolean, prior: Value, config: Value, path: Path, replace: Path[]): Value {
  if (isUnknown(config)) {
    if (hasPrior && forcesNew(nested)) replace.push(path);
    return config;
  }
  if (nested.nesting_mode !== 'list' && nested.nesting_mode !== 'set') {
    throw new Error(`SDKv2 has no ${nested.nesting_mode} blocks`);
  }
  const configElements = (config ?? []) as ObjectValue[];
  const priorElements = Array.isArray(prior) ? (prior as ObjectValue[]) : [];
  if (configElements.length === 0 && nested.computed) {
    // Optional+computed and left out: whatever exists is kept (and is not known yet on create).
    return hasPrior ? prior : UNKNOWN;
  }
  let planned: Value;
  if (nested.nesting_mode === 'list') {
    planned = configElements.map((element, index) =>
      planBlock(nested.block, priorElements[index] ?? null, element, hasPrior && index < priorElements.length, [...path, { index }], replace),
    );
  } else {
    // Set elements have no identity but their content: each is planned as new, then the set as a whole is
    // compared with the prior one.
    // SDKv2 writes every attribute of a changed set element, so unset ones are planned as zero values.
    planned = configElements.map((element) => zeroFilled(nested.block, planBlock(nested.block, null, element, false, path, replace)));
    if (hasPrior && nested.diff_suppress && diffSuppress(nested.diff_suppress)(prior, planned, {})) return prior;
  }
  if (hasPrior && sdkEquivalent(prior, planned, [nested.nesting_mode, impliedType(nested.block)])) return prior;
  if (hasPrior && configElements.length !== priorElements.length) {
    const changedElements = [...configElements.slice(priorElements.length), ...priorElements.slice(configElements.length)];
    if (nested.force_new || changedElements.some((element) => hasForceNewContent(nested.block, element))) replace.push(path);
  }
  return planned;
}

// --- hcl2shim.ConfigValueFromHCL2 -------------------------------------------------------------------

/**
 * A configuration as SDKv2 reads it: a null element of a map is no element, at any depth (`tags = { k = null }` is
 * `tags = {}`). Null elements of lists and sets are refused at validation instead (validate.ts).
 */
export function withoutNullMapElements(value: Value, type: CtyType): Value {
  if (value === null || isUnknown(value) || !Array.isArray(type)) return value;
  switch (type[0]) {
    case 'map': {
      const result: ObjectValue = {};
      for (const [key, element] of Object.entries(value as ObjectValue)) {
        if (element !== null) result[key] = withoutNullMapElements(element, type[1] as CtyType);
      }
      return result;
    }
    case 'object': {
      const attributes = type[1] as Record<string, CtyType>;
      const result: ObjectValue = { ...(value as ObjectValue) };
      for (const [name, attributeType] of Object.entries(attributes)) result[name] = withoutNullMapElements(result[name] ?? null, attributeType);
      return result;
    }
    case 'list':
    case 'set':
      return (value as Value[]).map((element) => withoutNullMapElements(element, type[1] as CtyType));
    case 'tuple':
      return (value as Value[]).map((element, index) => withoutNullMapElements(element, (type[1] as CtyType[])[index]));
    default:
      return value;
  }
}

// --- SDKv2's normalizeNullValues ---------------------------------------------------------------------

/**
 * terraform-plugin-sdk's normalizeNullValues: where `dst` (a new plan or state) and `src` (what Terraform
 * proposed, or the plan being applied, or the prior state on refresh) differ only in null versus empty, keep the
 * form Terraform already has; on apply, a wholly known planned set is what was applied.
 */
export function normalizeNullValues(dst: Value, src: Value, type: CtyType, apply: boolean): Value {
  if (src !== null && isUnknown(src)) return dst === null && !apply ? src : dst;
  const collection = Array.isArray(type) && (type[0] === 'list' || type[0] === 'set' || type[0] === 'map');
  if (collection && apply) {
    if (src === null && isEmptyCollection(dst)) return dst;
    if (isEmptyCollection(src) && dst === null) return src;
  }
  if (src === null || isUnknown(dst)) return dst;
  if (type === 'string') return dst === null && src === '' ? src : dst;
  if (!Array.isArray(type)) return dst;
  switch (type[0]) {
    case 'object':
    case 'map': {
      const srcMap = src as ObjectValue;
      const dstMap: ObjectValue = dst === null ? {} : { ...(dst as ObjectValue) };
      const elementType = (key: string): CtyType => (type[0] === 'map' ? (type[1] as CtyType) : (type[1] as Record<string, CtyType>)[key]);
      for (const [key, value] of Object.entries(srcMap)) {
        if (!(key in dstMap) && type[0] === 'map') continue;
        dstMap[key] = normalizeNullValues(dstMap[key] ?? null, value, elementType(key), apply);
      }
      if (Object.keys(dstMap).length === 0) return dst === null && isWhollyKnown(src) && apply ? src : dst;
      if (type[0] === 'map' && dst === null) return dst;
      return dstMap;
    }
    case 'set':
      return isWhollyKnown(src) && apply ? src : dst;
    case 'list': {
      const srcList = src as Value[];
      if (dst === null) {
        if (apply && isWhollyKnown(src) && srcList.length === 0) return src;
        if (!apply && srcList.length > 0 && srcList.every((v) => isUnknown(v))) return src;
        return dst;
      }
      const dstList = dst as Value[];
      if (srcList.length !== dstList.length || srcList.length === 0) return dst;
      return dstList.map((element, i) => normalizeNullValues(element, srcList[i], type[1] as CtyType, apply));
    }
    default:
      return dst;
  }
}

function emptyCollection(type: CtyType): Value {
  if (!Array.isArray(type)) return null;
  if (type[0] === 'map') return {};
  return type[0] === 'list' || type[0] === 'set' ? [] : null;
}

function isEmptyCollection(v: Value): boolean {
  return v !== null && !isUnknown(v) && (Array.isArray(v) ? v.length === 0 : isObject(v) && Object.keys(v).length === 0);
}

// --- hcl2shim.ValuesSDKEquivalent -------------------------------------------------------------------

/**
 * Whether SDKv2 sees no difference between `a` and `b`: null equals a zero value ("", 0, false, an empty
 * collection), numbers compare as float64, sets ignore order.
 */
export function sdkEquivalent(a: Value, b: Value, type: CtyType): boolean {
  if (a === b) return true;
  if (isUnknown(a) || isUnknown(b)) return isUnknown(a) && isUnknown(b);
  if (isNullOrZero(a, type) && isNullOrZero(b, type)) return true;
  if (a === null || b === null) return false;
  if (type === 'number') return a instanceof CtyNumber && b instanceof CtyNumber && Number(a.text) === Number(b.text);
  if (!Array.isArray(type)) return false;
  switch (type[0]) {
    case 'object': {
      const attrs = type[1] as Record<string, CtyType>;
      return Object.entries(attrs).every(([name, t]) => sdkEquivalent((a as ObjectValue)[name] ?? null, (b as ObjectValue)[name] ?? null, t));
    }
    case 'map': {
      const [x, y] = [a as ObjectValue, b as ObjectValue];
      const keys = Object.keys(x);
      return keys.length === Object.keys(y).length && keys.every((k) => k in y && sdkEquivalent(x[k], y[k], type[1] as CtyType));
    }
    case 'list':
    case 'tuple': {
      const [x, y] = [a as Value[], b as Value[]];
      const elementType = (i: number): CtyType => (type[0] === 'list' ? (type[1] as CtyType) : (type[1] as CtyType[])[i]);
      return x.length === y.length && x.every((v, i) => sdkEquivalent(v, y[i], elementType(i)));
    }
    case 'set': {
      const [x, y] = [a as Value[], b as Value[]];
      const used = new Array<boolean>(y.length).fill(false);
      return (
        x.length === y.length &&
        x.every((v) => {
          const j = y.findIndex((w, k) => !used[k] && sdkEquivalent(v, w, type[1] as CtyType));
          if (j < 0) return false;
          used[j] = true;
          return true;
        })
      );
    }
    default:
      return false;
  }
}

function isNullOrZero(v: Value, type: CtyType): boolean {
  if (v === null) return true;
  if (isUnknown(v)) return false;
  if (type === 'string') return v === '';
  if (type === 'bool') return v === false;
  if (type === 'number') return v instanceof CtyNumber && Number(v.text) === 0;
  if (Array.isArray(type)) {
    if (type[0] === 'object') return Object.entries(type[1] as Record<string, CtyType>).every(([k, t]) => isNullOrZero((v as ObjectValue)[k] ?? null, t));
    if (Array.isArray(v)) return v.length === 0;
    return isObject(v) && Object.keys(v).length === 0;
  }
  return false;
}

// --- SDKv2's state writer ---------------------------------------------------------------------------

/**
 * An object in the form SDKv2 stores it: every attribute of a nested block element holds a value, its zero value
 * ("", false, 0, an empty list or set) when unset; maps stay null, except in what a refresh read (`refresh`),
 * where they are empty. Top-level attributes are as the resource set them.
 */
export function sdkv2StateForm(block: SchemaBlock, value: ObjectValue, refresh = false): ObjectValue {
  const result: ObjectValue = { ...value };
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const elements = result[name];
    if (Array.isArray(elements)) result[name] = elements.map((element) => (isObject(element) ? zeroFilled(nested.block, element, refresh) : element));
  }
  return result;
}

function zeroFilled(block: SchemaBlock, element: ObjectValue, refresh = false): ObjectValue {
  const result = sdkv2StateForm(block, element, refresh);
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    if ((result[name] ?? null) === null) result[name] = zeroValue(attribute.type, refresh);
  }
  return result;
}

function zeroValue(type: CtyType, refresh: boolean): Value {
  if (type === 'string') return '';
  if (type === 'bool') return false;
  if (type === 'number') return CtyNumber.of(0);
  if (Array.isArray(type) && (type[0] === 'list' || type[0] === 'set')) return [];
  if (Array.isArray(type) && type[0] === 'map' && refresh) return {};
  return null;
}
