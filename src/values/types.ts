// Helpers over CtyType (cty's JSON type syntax). Types are plain data, so these are cheap and
// allocation-free; derived facts that cost something (sorted attribute names, JSON text) are
// cached per type object so that the codecs never re-derive them per call.
import type { CtyType, PrimitiveType } from './value';

type ObjectAttrs = { [attr: string]: CtyType };
export type ObjectType = ['object', ObjectAttrs] | ['object', ObjectAttrs, string[]];
export type CollectionType = ['list', CtyType] | ['set', CtyType] | ['map', CtyType];

/** Validates a decoded cty type JSON value (e.g. from a schema or a dynamic value) and returns it typed. */
export function parseType(json: unknown): CtyType {
  if (json === 'string' || json === 'number' || json === 'bool' || json === 'dynamic') return json;
  if (!Array.isArray(json)) throw new TypeError(`invalid cty type: ${JSON.stringify(json)}`);
  const [kind, arg] = json;
  switch (kind) {
    case 'list':
    case 'set':
    case 'map':
      if (json.length !== 2) break;
      return [kind, parseType(arg)];
    case 'tuple':
      if (json.length !== 2 || !Array.isArray(arg)) break;
      return ['tuple', arg.map(parseType)];
    case 'object': {
      if (json.length > 3 || arg === null || typeof arg !== 'object' || Array.isArray(arg)) break;
      const attrs: ObjectAttrs = {};
      for (const name of Object.keys(arg)) attrs[name] = parseType((arg as Record<string, unknown>)[name]);
      if (json.length === 2) return ['object', attrs];
      const optional = json[2];
      if (!Array.isArray(optional) || !optional.every((n) => typeof n === 'string' && n in attrs)) break;
      return ['object', attrs, [...optional].sort()];
    }
  }
  throw new TypeError(`invalid cty type: ${JSON.stringify(json)}`);
}

const parsedTypeText = new Map<string, CtyType>();
const PARSED_TYPE_CACHE_LIMIT = 1000;

/** parseType of JSON text, memoised: dynamic values repeat the same few type texts. */
export function parseTypeJson(text: string): CtyType {
  let type = parsedTypeText.get(text);
  if (type === undefined) {
    type = parseType(JSON.parse(text));
    if (parsedTypeText.size >= PARSED_TYPE_CACHE_LIMIT) parsedTypeText.clear();
    parsedTypeText.set(text, type);
  }
  return type;
}

export function isPrimitive(type: CtyType): type is PrimitiveType {
  return type === 'string' || type === 'number' || type === 'bool';
}

function isObjectType(type: CtyType): type is ObjectType {
  return Array.isArray(type) && type[0] === 'object';
}

/** list, set or map: the types with a single element type. */
function isCollectionType(type: CtyType): type is CollectionType {
  return Array.isArray(type) && (type[0] === 'list' || type[0] === 'set' || type[0] === 'map');
}

/** Element type of a list, set or map. */
export function elementType(type: CtyType): CtyType {
  if (isCollectionType(type)) return type[1];
  throw new TypeError(`${typeToString(type)} has no element type`);
}

export function objectAttributeTypes(type: CtyType): { readonly [attr: string]: CtyType } {
  if (isObjectType(type)) return type[1];
  throw new TypeError(`${typeToString(type)} is not an object type`);
}

const sortedNamesCache = new WeakMap<object, readonly string[]>();

/** The object type's attribute names in the order cty writes them (sorted). Cached per type. */
export function sortedAttributeNames(type: ObjectType): readonly string[] {
  let names = sortedNamesCache.get(type[1]);
  if (names === undefined) {
    names = Object.keys(type[1]).sort();
    sortedNamesCache.set(type[1], names);
  }
  return names;
}

export function typeEquals(a: CtyType, b: CtyType): boolean {
  if (a === b) return true;
  if (typeof a === 'string' || typeof b === 'string') return false;
  if (a[0] !== b[0]) return false;
  switch (a[0]) {
    case 'list':
    case 'set':
    case 'map':
      return typeEquals(a[1], b[1] as CtyType);
    case 'tuple': {
      const be = b[1] as CtyType[];
      return a[1].length === be.length && a[1].every((t, i) => typeEquals(t, be[i]));
    }
    case 'object': {
      const aa = a[1];
      const ba = b[1] as ObjectAttrs;
      const names = Object.keys(aa);
      if (names.length !== Object.keys(ba).length) return false;
      for (const n of names) if (!(n in ba) || !typeEquals(aa[n], ba[n])) return false;
      const ao = a.length === 3 ? a[2] : [];
      const bo = b.length === 3 ? (b[2] as string[]) : [];
      return ao.length === bo.length && ao.every((n) => bo.includes(n));
    }
  }
}

/** cty's friendly type name, for messages: "string", "list of string", "map of number", "object". */
export function typeToString(type: CtyType): string {
  if (typeof type === 'string') return type;
  switch (type[0]) {
    case 'list':
    case 'set':
    case 'map':
      return `${type[0]} of ${typeToString(type[1])}`;
    default:
      return type[0];
  }
}

const typeJsonCache = new WeakMap<object, string>();

/** The type's cty JSON text with object attributes in sorted order, as cty writes it. Cached. */
export function typeToJson(type: CtyType): string {
  if (typeof type === 'string') return `"${type}"`;
  let text = typeJsonCache.get(type);
  if (text === undefined) {
    text = buildTypeJson(type);
    typeJsonCache.set(type, text);
  }
  return text;
}

function buildTypeJson(type: Exclude<CtyType, string>): string {
  switch (type[0]) {
    case 'list':
    case 'set':
    case 'map':
      return `["${type[0]}",${typeToJson(type[1])}]`;
    case 'tuple':
      return `["tuple",[${type[1].map(typeToJson).join(',')}]]`;
    case 'object': {
      const attrs = sortedAttributeNames(type)
        .map((n) => `${JSON.stringify(n)}:${typeToJson(type[1][n])}`)
        .join(',');
      const optional = type.length === 3 ? `,${JSON.stringify([...type[2]].sort())}` : '';
      return `["object",{${attrs}}${optional}]`;
    }
  }
}
