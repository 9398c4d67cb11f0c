// Configuration validation driven by the schema: validators and the conflicts/one-of rules of each
// attribute. Terraform core has already checked types, required attributes and block counts.
import { isObject, isUnknown, type CtyType, type ObjectValue, type Value } from '../values/value';
import type { Path } from '../values/path';
import { errorDiagnostic, warningDiagnostic, type Diagnostic } from './diagnostics';
import type { SchemaBlock } from './schema';
import { runValidators } from './validators';

export function validateObject(block: SchemaBlock, value: Value, path: Path = []): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  if (value === null || isUnknown(value) || !isObject(value)) return diagnostics;
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    const v = value[name] ?? null;
    const attrPath: Path = [...path, { attr: name }];
    diagnostics.push(...nullElements(attribute.type, v, attrPath));
    if (attribute.deprecation_message && v !== null) diagnostics.push(warningDiagnostic('Argument is deprecated', attribute.deprecation_message, attrPath));
    for (const failure of runValidators(attribute.validators ?? [], v, flatmapKey(attrPath))) {
      diagnostics.push(errorDiagnostic(failure.summary, failure.detail, attrPath));
    }
    diagnostics.push(...checkRelations(value, name, attribute.conflicts_with, attribute.exactly_one_of, attribute.at_least_one_of, attrPath));
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const v = value[name] ?? null;
    if (v === null || isUnknown(v)) continue;
    const blockPath: Path = [...path, { attr: name }];
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

/** SDKv2 refuses null elements in lists, sets and maps (the legacy type system has no such values). */
function nullElements(type: CtyType, value: Value, path: Path): Diagnostic[] {
  if (!Array.isArray(type) || value === null || isUnknown(value)) return [];
  const kind = type[0];
  if (kind !== 'list' && kind !== 'set' && kind !== 'map') return [];
  const elements = Array.isArray(value) ? value : Object.values(value as ObjectValue);
  if (!elements.some((e) => e === null)) return [];
  return [errorDiagnostic(`Null value found in ${kind}`, 'Null values are not allowed for this attribute value.', path)];
}

/** SDKv2 names attributes in messages by their flatmap key: "primary_container.0.image". */
function flatmapKey(path: Path): string {
  return path.map((step) => ('attr' in step ? step.attr : 'key' in step ? step.key : String(step.index))).join('.');
}

function isSet(v: Value | undefined): boolean {
  return v !== null && v !== undefined;
}

/** SDKv2's ConflictsWith / ExactlyOneOf / AtLeastOneOf, with its wording. */
function checkRelations(
  object: ObjectValue,
  name: string,
  conflictsWith: string[] = [],
  exactlyOneOf: string[] = [],
  atLeastOneOf: string[] = [],
  path: Path,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  if (isSet(object[name])) {
    for (const other of conflictsWith) {
      if (isSet(object[other])) diagnostics.push(errorDiagnostic('Conflicting configuration arguments', `"${name}": conflicts with ${other}`, path));
    }
  }
  if (exactlyOneOf.length > 0) {
    const present = exactlyOneOf.filter((k) => isSet(object[k]));
    const list = exactlyOneOf.join(',');
    // Reported once, on the first attribute of the group, as SDKv2 effectively does.
    if (exactlyOneOf[0] === name) {
      if (present.length === 0) diagnostics.push(errorDiagnostic(`"${name}": one of \`${list}\` must be specified`, undefined, path));
      else if (present.length > 1)
        diagnostics.push(
          errorDiagnostic(`"${name}": only one of \`${list}\` can be specified, but \`${present.join(',')}\` were specified.`, undefined, path),
        );
    }
  }
  if (atLeastOneOf.length > 0 && atLeastOneOf[0] === name && !atLeastOneOf.some((k) => isSet(object[k]))) {
    diagnostics.push(errorDiagnostic(`"${name}": one of \`${atLeastOneOf.join(',')}\` must be specified`, undefined, path));
  }
  return diagnostics;
}
