// Terraform's own checks of a provider's answers (objchange.AssertPlanValid for plans, AssertObjectCompatible
// for apply results), reproduced so that the provider knows which answers need `legacy_type_system`: only
// those of SDKv2 resources that break a strict rule get the flag, and the problems are logged. An answer of a
// strict resource with a problem is a bug; it goes out without the flag, and Terraform reports it.
import { CtyNumber, DynamicValue, isObject, isUnknown, type CtyType, type ObjectValue, type Value } from '../values/value';
import { valuesEqual } from '../values/equality';
import { formatPath, type Path } from '../values/path';
import { impliedType, type SchemaAttribute, type SchemaBlock } from './schema';

/** Why a planned object would fail Terraform's strict plan check (empty when it passes). */
export function planProblems(block: SchemaBlock, prior: ObjectValue | null, config: ObjectValue, planned: ObjectValue | null): string[] {
  if (planned === null) return ['planned for absence but config wants existence'];
  const problems: string[] = [];
  checkPlannedBlock(block, prior, config, planned, [], problems);
  return problems;
}

function checkPlannedBlock(block: SchemaBlock, prior: ObjectValue | null, config: ObjectValue, planned: ObjectValue, path: Path, problems: string[]): void {
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    const problem = plannedAttributeProblem(attribute, prior ? (prior[name] ?? null) : null, config[name] ?? null, planned[name] ?? null);
    if (problem) problems.push(`${where([...path, { attr: name }])}: ${problem}`);
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const blockPath: Path = [...path, { attr: name }];
    const [p, c, v] = [prior ? (prior[name] ?? null) : null, config[name] ?? null, planned[name] ?? null];
    if (isUnknown(v)) {
      problems.push(`${where(blockPath)}: attribute representing nested block must not be unknown itself`);
      continue;
    }
    if (isUnknown(c)) continue;
    if (nested.nesting_mode === 'single' || nested.nesting_mode === 'group') {
      if ((c === null) !== (v === null)) problems.push(`${where(blockPath)}: block presence in plan disagrees with config`);
      else if (isObject(v) && isObject(c)) checkPlannedBlock(nested.block, isObject(p) ? p : null, c, v, blockPath, problems);
      continue;
    }
    const planList = collection(v);
    const configList = collection(c);
    if (planList.length !== configList.length) {
      problems.push(`${where(blockPath)}: block count in plan (${planList.length}) disagrees with count in config (${configList.length})`);
      continue;
    }
    if (nested.nesting_mode === 'list') {
      const priorList = collection(p);
      planList.forEach((element, index) =>
        checkPlannedBlock(nested.block, (priorList[index] as ObjectValue) ?? null, configList[index] as ObjectValue, element as ObjectValue, [...blockPath, { index }], problems),
      );
    }
  }
}

function plannedAttributeProblem(attribute: SchemaAttribute, prior: Value, config: Value, planned: Value): string | undefined {
  const type = attribute.type;
  if (same(planned, config, type)) return undefined;
  if (prior !== null && config !== null && same(planned, prior, type)) return undefined;
  if (attribute.computed && !attribute.optional) return undefined;
  if (config === null && attribute.computed) return undefined;
  if (config === null) return `planned value ${show(planned)} for a non-computed attribute`;
  return `planned value ${show(planned)} does not match config value ${show(config)}`;
}

/** Why an apply result would fail Terraform's strict check against its plan (empty when it passes). */
export function applyProblems(block: SchemaBlock, planned: ObjectValue | null, actual: ObjectValue | null): string[] {
  if ((planned === null) !== (actual === null)) return ['the object was planned to be ' + (planned === null ? 'absent' : 'present')];
  if (planned === null || actual === null) return [];
  const problems: string[] = [];
  compatible(planned, actual, impliedType(block), [], problems);
  return problems;
}

function compatible(planned: Value, actual: Value, type: CtyType, path: Path, problems: string[]): void {
  if (isUnknown(planned)) return;
  if (isUnknown(actual)) {
    problems.push(`${where(path)}: was known, but now unknown`);
    return;
  }
  if (planned === null || actual === null || !Array.isArray(type)) {
    if (!same(planned, actual, type)) problems.push(`${where(path)}: was ${show(planned)}, but now ${show(actual)}`);
    return;
  }
  switch (type[0]) {
    case 'object': {
      for (const [name, t] of Object.entries(type[1] as Record<string, CtyType>)) {
        compatible((planned as ObjectValue)[name] ?? null, (actual as ObjectValue)[name] ?? null, t, [...path, { attr: name }], problems);
      }
      return;
    }
    case 'map': {
      const [p, a] = [planned as ObjectValue, actual as ObjectValue];
      for (const key of new Set([...Object.keys(p), ...Object.keys(a)])) {
        if (!(key in a) || !(key in p)) problems.push(`${where([...path, { key }])}: element ${key in p ? 'vanished' : 'appeared'}`);
        else compatible(p[key], a[key], type[1] as CtyType, [...path, { key }], problems);
      }
      return;
    }
    case 'list':
    case 'tuple': {
      const [p, a] = [planned as Value[], actual as Value[]];
      if (p.length !== a.length) {
        problems.push(`${where(path)}: length changed from ${p.length} to ${a.length}`);
        return;
      }
      p.forEach((element, index) => compatible(element, a[index], type[0] === 'list' ? (type[1] as CtyType) : (type[1] as CtyType[])[index], [...path, { index }], problems));
      return;
    }
    case 'set': {
      const [p, a] = [planned as Value[], actual as Value[]];
      for (const element of p) {
        const correlates = a.some((candidate) => {
          const found: string[] = [];
          compatible(element, candidate, type[1] as CtyType, [], found);
          return found.length === 0;
        });
        if (!correlates) problems.push(`${where(path)}: planned set element ${show(element)} does not correlate with any element in actual`);
      }
      if (p.length !== a.length && p.every((element) => !containsUnknownShallow(element))) {
        problems.push(`${where(path)}: length changed from ${p.length} to ${a.length}`);
      }
      return;
    }
  }
}

function containsUnknownShallow(v: Value): boolean {
  if (isUnknown(v)) return true;
  if (Array.isArray(v)) return v.some(containsUnknownShallow);
  if (isObject(v)) return Object.values(v).some(containsUnknownShallow);
  return false;
}

function collection(v: Value): Value[] {
  if (Array.isArray(v)) return v;
  if (isObject(v)) return Object.values(v);
  return [];
}

function same(a: Value, b: Value, type: CtyType): boolean {
  return valuesEqual(a, b, type);
}

function where(path: Path): string {
  return `.${formatPath(path)}`;
}

/** A value in a problem's text: JSON-like, numbers as their decimal text, unknowns as `unknown`. */
function show(v: Value): string {
  if (v === null) return 'null';
  if (isUnknown(v)) return 'unknown';
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof CtyNumber) return v.text;
  if (typeof v === 'boolean') return String(v);
  if (v instanceof DynamicValue) return show(v.value);
  if (Array.isArray(v)) return `[${v.map(show).join(',')}]`;
  return `{${Object.entries(v).map(([key, value]) => `${JSON.stringify(key)}:${show(value)}`).join(',')}}`;
}
