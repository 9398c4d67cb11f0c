// The schema format of provider-schema/: Terraform's `providers schema -json` shape, plus a few extension
// keys that only this engine reads (force_new, default, validators, conflicts_with, computed blocks).
import { isObject, isUnknown, type CtyType, type ObjectValue, type Value } from '../values/value';

export interface ValidatorSpec {
  kind: string;
  [arg: string]: unknown;
}

export interface SchemaAttribute {
  type: CtyType;
  description?: string;
  description_kind?: 'plain' | 'markdown';
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  deprecated?: boolean;
  write_only?: boolean;
  // Extensions:
  /** A change of this value (prior vs planned) requires replacing the object. */
  force_new?: boolean;
  /** Planned when the configuration leaves the attribute null (the attribute is then optional+computed). */
  default?: unknown;
  validators?: ValidatorSpec[];
  conflicts_with?: string[];
  exactly_one_of?: string[];
  at_least_one_of?: string[];
  /** Shown as an "Argument is deprecated" warning when the configuration sets the attribute. */
  deprecation_message?: string;
  /** SDKv2 StateFunc (registered in engine/sdkv2.ts): the value stored for a configured string. */
  state_func?: string;
  /** SDKv2 DiffSuppressFunc (registered in engine/sdkv2.ts): a change it accepts keeps the prior value. */
  diff_suppress?: string;
}

export type NestingMode = 'single' | 'group' | 'list' | 'set' | 'map';

export interface SchemaNestedBlock {
  nesting_mode: NestingMode;
  block: SchemaBlock;
  min_items?: number;
  max_items?: number;
  // Extensions:
  /** Adding or removing elements requires replacement. */
  force_new?: boolean;
  /** Optional+computed in the SDKv2 sense: leaving it out of the configuration is not a change. */
  computed?: boolean;
  /** Shown as an "Argument is deprecated" warning when the configuration has the block. */
  deprecation_message?: string;
  /** SDKv2 DiffSuppressFunc on the whole block (registered in engine/sdkv2.ts). */
  diff_suppress?: string;
  /** SDKv2 ExactlyOneOf on a block: sibling attribute or block names, this one included. */
  exactly_one_of?: string[];
}

export interface SchemaBlock {
  attributes?: { [name: string]: SchemaAttribute };
  block_types?: { [name: string]: SchemaNestedBlock };
  description?: string;
  description_kind?: 'plain' | 'markdown';
  deprecated?: boolean;
}

export interface Schema {
  version: number;
  block: SchemaBlock;
}

const impliedTypes = new WeakMap<SchemaBlock, CtyType>();

/** The object type a block's values have (cached: schemas are static). */
export function impliedType(block: SchemaBlock): CtyType {
  let type = impliedTypes.get(block);
  if (type) return type;
  const attrs: { [name: string]: CtyType } = {};
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) attrs[name] = attribute.type;
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const element = impliedType(nested.block);
    switch (nested.nesting_mode) {
      case 'single':
      case 'group':
        attrs[name] = element;
        break;
      case 'list':
        attrs[name] = ['list', element];
        break;
      case 'set':
        attrs[name] = ['set', element];
        break;
      case 'map':
        attrs[name] = ['map', element];
        break;
    }
  }
  type = ['object', attrs];
  impliedTypes.set(block, type);
  return type;
}

/** An object of the block's type with every attribute null and every list/set block empty. */
export function emptyObject(block: SchemaBlock): ObjectValue {
  const object: ObjectValue = {};
  for (const name of Object.keys(block.attributes ?? {})) object[name] = null;
  for (const [name, nested] of Object.entries(block.block_types ?? {})) object[name] = emptyBlockValue(nested);
  return object;
}

/** What an absent nested block is in a value: null for single blocks, an empty collection otherwise. */
function emptyBlockValue(nested: SchemaNestedBlock): Value {
  switch (nested.nesting_mode) {
    case 'list':
    case 'set':
      return [];
    case 'map':
      return {};
    case 'group':
      return emptyObject(nested.block);
    case 'single':
      return null;
  }
}

/**
 * Completes an object to its block: missing attributes become null, null list/set blocks become empty
 * (states written by other providers or by older schemas may lack either).
 */
export function completeObject(block: SchemaBlock, value: ObjectValue): ObjectValue {
  const result: ObjectValue = {};
  for (const name of Object.keys(block.attributes ?? {})) result[name] = value[name] ?? null;
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const v = value[name];
    if (v === null || v === undefined) {
      result[name] = emptyBlockValue(nested);
    } else if (isUnknown(v)) {
      // A block not known yet (a dynamic block whose for_each is unknown) stays unknown, not an object of nulls.
      result[name] = v;
    } else if (Array.isArray(v)) {
      result[name] = v.map((element) => completeElement(nested.block, element));
    } else if (nested.nesting_mode === 'map') {
      const map: ObjectValue = {};
      for (const [key, element] of Object.entries(v as ObjectValue)) map[key] = completeElement(nested.block, element);
      result[name] = map;
    } else {
      result[name] = completeObject(nested.block, v as ObjectValue);
    }
  }
  return result;
}

/** A block element completed; an unknown or null one is kept as it is. */
function completeElement(block: SchemaBlock, element: Value): Value {
  return isObject(element) ? completeObject(block, element) : element;
}
