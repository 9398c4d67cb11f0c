// The provider block's configuration, re-encoded for the upstream. Terraform sends it with our provider schema
// (hashicorp/aws's v6 line); the upstream child knows its own (5.100.0 lacks, e.g., user_agent and some endpoints).
// Arguments the child does not know are dropped when unset and refused when set: silently ignoring a setting
// (an endpoint, a credential source) would send the delegated types' calls somewhere else than configured.
import { decodeMsgpack, encodeMsgpack, formatPath, isObject, parseTypeJson, Unknown, type CtyType, type ObjectValue, type Path, type Value } from '../values';
import type * as tf from '../protocol/tfplugin6';

export interface Reencoded {
  config?: tf.DynamicValue;
  /** Paths (as Terraform prints them) of set arguments the upstream does not know. */
  unsupported: string[];
}

/** Re-encode a configuration given for the block `from` as a value of the block `to`. */
export function reencodeConfig(config: tf.DynamicValue | null, from: tf.SchemaBlock, to: tf.SchemaBlock): Reencoded {
  if (!config?.msgpack || config.msgpack.length === 0) return { config: config ?? undefined, unsupported: [] };
  const value = decodeMsgpack(config.msgpack, impliedType(from));
  const unsupported: Path[] = [];
  const reshaped = reshapeBlock(value, from, to, [], unsupported);
  return { config: { msgpack: Buffer.from(encodeMsgpack(reshaped, impliedType(to))) }, unsupported: unsupported.map(formatPath) };
}

function reshapeBlock(value: Value, from: tf.SchemaBlock, to: tf.SchemaBlock, path: Path, unsupported: Path[]): Value {
  if (value === null || value instanceof Unknown) return value;
  const object = value as ObjectValue;
  const out: ObjectValue = {};
  for (const attribute of to.attributes ?? []) out[attribute.name] = object[attribute.name] ?? null;
  for (const nested of to.block_types ?? []) {
    const ours = (from.block_types ?? []).find((b) => b.type_name === nested.type_name);
    const given = ours ? object[nested.type_name] : undefined;
    out[nested.type_name] = given === undefined ? emptyNested(nested) : reshapeNested(given, ours!, nested, [...path, { attr: nested.type_name }], unsupported);
  }
  const known = new Set([...(to.attributes ?? []).map((a) => a.name), ...(to.block_types ?? []).map((b) => b.type_name)]);
  for (const [name, given] of Object.entries(object)) {
    if (!known.has(name) && isSet(given)) unsupported.push([...path, { attr: name }]);
  }
  return out;
}

function reshapeNested(value: Value, from: tf.SchemaNestedBlock, to: tf.SchemaNestedBlock, path: Path, unsupported: Path[]): Value {
  if (value === null || value instanceof Unknown) return value;
  switch (to.nesting) {
    case 'LIST':
    case 'SET':
      return (value as Value[]).map((element, index) => reshapeBlock(element, from.block, to.block, [...path, { index }], unsupported));
    case 'MAP':
      return Object.fromEntries(
        Object.entries(value as ObjectValue).map(([key, element]) => [key, reshapeBlock(element, from.block, to.block, [...path, { key }], unsupported)]),
      );
    default:
      return reshapeBlock(value, from.block, to.block, path, unsupported);
  }
}

/** A nested block the configuration cannot have set: no blocks (a group block: its attributes all null). */
function emptyNested(nested: tf.SchemaNestedBlock): Value {
  switch (nested.nesting) {
    case 'LIST':
    case 'SET':
      return [];
    case 'MAP':
      return {};
    case 'GROUP':
      return reshapeBlock({}, nested.block, nested.block, [], []);
    default:
      return null;
  }
}

/** Set in the configuration: not null, and not an empty collection of blocks. */
function isSet(value: Value): boolean {
  if (value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value)) return Object.values(value).some(isSet);
  return true;
}

const impliedTypes = new WeakMap<tf.SchemaBlock, CtyType>();

/** The object type of a block's values, from its wire schema (attribute types are cty type JSON). */
export function impliedType(block: tf.SchemaBlock): CtyType {
  let type = impliedTypes.get(block);
  if (type) return type;
  const attributes: Record<string, CtyType> = {};
  for (const attribute of block.attributes ?? []) {
    attributes[attribute.name] = attribute.nested_type ? nestedAttributeType(attribute.nested_type) : parseTypeJson(attribute.type!.toString('utf8'));
  }
  for (const nested of block.block_types ?? []) {
    const element = impliedType(nested.block);
    attributes[nested.type_name] = nested.nesting === 'LIST' ? ['list', element] : nested.nesting === 'SET' ? ['set', element] : nested.nesting === 'MAP' ? ['map', element] : element;
  }
  type = ['object', attributes];
  impliedTypes.set(block, type);
  return type;
}

function nestedAttributeType(object: tf.SchemaObject): CtyType {
  const element = impliedType({ attributes: object.attributes });
  return object.nesting === 'LIST' ? ['list', element] : object.nesting === 'SET' ? ['set', element] : object.nesting === 'MAP' ? ['map', element] : element;
}
