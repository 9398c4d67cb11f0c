// Terraform's own view of a schema (what `terraform providers schema -json` shows, minus descriptions), and a
// readable list of the differences between two schemas. Shared by the schema tests.
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const EXTENSION_KEYS = new Set(['force_new', 'default', 'validators', 'conflicts_with', 'exactly_one_of', 'at_least_one_of', 'deprecation_message', 'state_func', 'diff_suppress']);

/** Terraform's own structure only: no descriptions, no deprecation flags, no extension keys. */
export function structure(schema: JsonObject): JsonObject {
  const block = (b: JsonObject): JsonObject => {
    const out: JsonObject = {};
    if (b.attributes) {
      out.attributes = Object.fromEntries(
        Object.entries(b.attributes as JsonObject).map(([name, a]) => [
          name,
          Object.fromEntries(Object.entries(a as JsonObject).filter(([k]) => !EXTENSION_KEYS.has(k) && !k.startsWith('description') && k !== 'deprecated')),
        ]),
      );
    }
    if (b.block_types) {
      out.block_types = Object.fromEntries(
        Object.entries(b.block_types as JsonObject).map(([name, n]) => {
          const nested = n as JsonObject;
          const kept: JsonObject = { nesting_mode: nested.nesting_mode, block: block(nested.block as JsonObject) };
          if (nested.min_items !== undefined) kept.min_items = nested.min_items;
          if (nested.max_items !== undefined) kept.max_items = nested.max_items;
          return [name, kept];
        }),
      );
    }
    return out;
  };
  return { version: schema.version, block: block(schema.block as JsonObject) };
}

/** Differences as `+ path`, `- path` and `~ path: before -> after` lines. */
export function differences(before: Json, after: Json, where = ''): string[] {
  const isObj = (v: Json): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObj(before) && isObj(after)) {
    const out: string[] = [];
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      const p = where ? `${where}.${key}` : key;
      if (!(key in after)) out.push(`- ${p}`);
      else if (!(key in before)) out.push(`+ ${p}`);
      else out.push(...differences(before[key], after[key], p));
    }
    return out;
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [`~ ${where}: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`];
}

