// Configuration validation driven by the schema: validators and the conflicts/one-of rules of each
// attribute. Terraform core has already checked types, required attributes and block counts.
import { isObject, isUnknown, type CtyType, type ObjectValue, type Value } from '../values/value';
import type { Path } from '../values/path';
import { errorDiagnostic, warningDiagnostic, type Diagnostic } from './diagnostics';
import { impliedType, type SchemaBlock } from './schema';
import { runValidators } from './validators';

export function validateObject(block: SchemaBlock, value: Value, path: Path = []): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  // Null, unknown (a block not known yet) or not an object: nothing to validate.
  if (!isObject(value)) return diagnostics;
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    const v = value[name] ?? null;
    const attrPath: Path = [...path, { attr: name }];
    // As SDKv2: a key that breaks a relation is reported for that and not validated further.
    const relations = checkRelations(value, name, attribute, path);
    if (relations.length > 0) {
      diagnostics.push(...relations);
      continue;
    }
    if (attribute.deprecation_message && v !== null) diagnostics.push(warningDiagnostic('Argument is deprecated', attribute.deprecation_message, attrPath));
    for (const failure of runValidators(attribute.validators ?? [], v, flatmapKey(attrPath))) {
      diagnostics.push(errorDiagnostic(failure.summary, failure.detail, attrPath));
    }
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const v = value[name] ?? null;
    const blockPath: Path = [...path, { attr: name }];
    const relations = checkRelations(value, name, nested, path);
    if (relations.length > 0) {
      diagnostics.push(...relations);
      continue;
    }
    if (v === null || isUnknown(v)) continue;
    const present = Array.isArray(v) ? v.length > 0 : true;
    if (nested.deprecation_message && present) diagnostics.push(warningDiagnostic('Argument is deprecated', nested.deprecation_message, blockPath));
    if (Array.isArray(v)) {
      // Set elements have no stable address; their diagnostics point at the block.
      v.forEach((element, index) =>
        diagnostics.push(...validateObject(nested.block, element, nested.nesting_mode === 'set' ? blockPath : [...blockPath, { index }])),
      );
    } else if (nested.nesting_mode === 'map') {
      for (const [key, element] of Object.entries(v as ObjectValue))
        diagnostics.push(...validateObject(nested.block, element, [...blockPath, { key }]));
    } else {
      diagnostics.push(...validateObject(nested.block, v, blockPath));
    }
  }
  return diagnostics;
}

/**
 * SDKv2's validateConfigNulls, which it runs before anything else on a provider or data source configuration and on
 * a resource's proposed new state when it plans: a null element of a list, set or tuple is refused, each one ("Null
 * value found in list" for all three, at the element of a list or tuple, at the attribute for a set, whose elements
 * have no address). A map may hold nulls: SDKv2 reads the configuration without them (sdkv2.ts).
 */
export function configNulls(block: SchemaBlock, config: ObjectValue): Diagnostic[] {
  return nullElements(impliedType(block), config, []);
}

function nullElements(type: CtyType, value: Value, path: Path): Diagnostic[] {
  if (!Array.isArray(type) || value === null || isUnknown(value)) return [];
  const [kind, inner] = type;
  if (kind === 'list' || kind === 'set' || kind === 'tuple') {
    return (value as Value[]).flatMap((element, index) => {
      const at: Path = kind === 'set' ? path : [...path, { index }];
      if (element === null) return [errorDiagnostic('Null value found in list', 'Null values are not allowed for this attribute value.', at)];
      return nullElements(kind === 'tuple' ? (inner as CtyType[])[index] : (inner as CtyType), element, at);
    });
  }
  if (kind === 'map') return Object.entries(value as ObjectValue).flatMap(([key, element]) => nullElements(inner as CtyType, element, [...path, { key }]));
  if (kind === 'object') {
    return Object.entries(inner as Record<string, CtyType>).flatMap(([name, t]) => nullElements(t, (value as ObjectValue)[name] ?? null, [...path, { attr: name }]));
  }
  return [];
}

/** SDKv2 names attributes in messages by their flatmap key: "primary_container.0.image". */
function flatmapKey(path: Path): string {
  return path.map((step) => ('attr' in step ? step.attr : 'key' in step ? step.key : String(step.index))).join('.');
}

/** Whether SDKv2 finds the key in the configuration: a value, or at least one block. */
function isSet(v: Value | undefined): boolean {
  if (v === null || v === undefined) return false;
  return !Array.isArray(v) || v.length > 0;
}

interface Relations {
  conflicts_with?: string[];
  exactly_one_of?: string[];
  at_least_one_of?: string[];
}

/**
 * SDKv2's ExactlyOneOf, AtLeastOneOf and ConflictsWith of one key, in SDKv2's order and wording. Keys are named by
 * their flatmap path (as hashicorp/aws declares them: `deployment_config.0.rolling_update_policy`), the group
 * sorted; the schema names siblings. An unknown member counts as neither set nor missing.
 */
function checkRelations(object: ObjectValue, name: string, relations: Relations, parent: Path): Diagnostic[] {
  const path: Path = [...parent, { attr: name }];
  const key = flatmapKey(path);
  const keyOf = (sibling: string) => flatmapKey([...parent, { attr: sibling }]);
  const group = (siblings: string[]) => [...new Set([...siblings, name])].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const unknown = (sibling: string) => isUnknown(object[sibling] ?? null);
  if (relations.exactly_one_of?.length) {
    const members = group(relations.exactly_one_of);
    const specified = members.filter((m) => !unknown(m) && isSet(object[m]));
    const list = members.map(keyOf).join(',');
    if (specified.length === 0 && !members.some(unknown)) {
      return [errorDiagnostic('Invalid combination of arguments', `"${key}": one of \`${list}\` must be specified`, path)];
    }
    if (specified.length > 1) {
      return [
        errorDiagnostic(
          'Invalid combination of arguments',
          `"${key}": only one of \`${list}\` can be specified, but \`${specified.map(keyOf).join(',')}\` were specified.`,
          path,
        ),
      ];
    }
  }
  if (relations.at_least_one_of?.length) {
    const members = group(relations.at_least_one_of);
    if (!members.some((m) => unknown(m) || isSet(object[m]))) {
      return [errorDiagnostic('Missing required argument', `"${key}": one of \`${members.map(keyOf).join(',')}\` must be specified`, path)];
    }
  }
  if (isSet(object[name]) && !unknown(name)) {
    for (const other of relations.conflicts_with ?? []) {
      if (isSet(object[other]) && !unknown(other)) {
        return [errorDiagnostic('Conflicting configuration arguments', `"${key}": conflicts with ${keyOf(other)}`, path)];
      }
    }
  }
  return [];
}
