// The resource lifecycle over decoded values: validate, upgrade, read, plan, apply, import.
// It dispatches to the resource's API mapping and keeps every answer consistent with the schema and
// with Terraform's rules, so resources never deal with protocol details.
import { isObject, type ObjectValue, type Value } from '../values/value';
import type { Path } from '../values/path';
import { diagnosticsOf, errorDiagnostic, hasErrors, ResourceError, type Diagnostic } from './diagnostics';
import { applyProblems, planProblems } from './consistency';
import { planObject, withDefaults } from './plan';
import type { DataSourceType, OperationContext, ProviderDefinition, ResourceType } from './resource';
import { completeObject, emptyObject, impliedType, type SchemaBlock } from './schema';
import { normalizeNullValues, planSdkv2, sdkv2StateForm, withoutNullMapElements } from './sdkv2';
import { configNulls, validateObject } from './validate';
import { log } from '../protocol/log';

const engineLog = log.child('engine');

export interface StateResult {
  state: ObjectValue | null;
  diagnostics: Diagnostic[];
  /** The answer relies on the legacy type system (SDKv2 semantics that Terraform's strict checks refuse). */
  legacyTypeSystem?: boolean;
}

export interface PlanResult {
  planned: ObjectValue | null;
  requiresReplace: Path[];
  diagnostics: Diagnostic[];
  legacyTypeSystem?: boolean;
}

export class ProviderEngine<Meta> {
  private readonly resources = new Map<string, ResourceType<Meta>>();
  private readonly dataSources = new Map<string, DataSourceType<Meta>>();
  private meta: Meta | undefined;

  constructor(readonly definition: ProviderDefinition<Meta>) {
    for (const resource of definition.resources) this.resources.set(resource.name, resource);
    for (const dataSource of definition.dataSources) this.dataSources.set(dataSource.name, dataSource);
  }

  resource(typeName: string): ResourceType<Meta> {
    const resource = this.resources.get(typeName);
    if (!resource) throw new Error(`this provider has no resource type "${typeName}"`);
    return resource;
  }

  dataSource(typeName: string): DataSourceType<Meta> {
    const dataSource = this.dataSources.get(typeName);
    if (!dataSource) throw new Error(`this provider has no data source "${typeName}"`);
    return dataSource;
  }

  validateProviderConfig(raw: ObjectValue): Diagnostic[] {
    const nulls = configNulls(this.definition.schema.block, raw);
    if (nulls.length > 0) return nulls;
    const config = readConfig(this.definition, raw);
    return [...validateObject(this.definition.schema.block, config), ...(this.definition.validateConfig?.(config) ?? [])];
  }

  validateResourceConfig(typeName: string, raw: ObjectValue): Diagnostic[] {
    const resource = this.resource(typeName);
    const config = readConfig(resource, raw);
    return [...validateObject(resource.schema.block, config), ...(resource.validate?.(config) ?? [])];
  }

  validateDataSourceConfig(typeName: string, raw: ObjectValue): Diagnostic[] {
    const dataSource = this.dataSource(typeName);
    const nulls = configNulls(dataSource.schema.block, raw);
    if (nulls.length > 0) return nulls;
    const config = readConfig(dataSource, raw);
    return [...validateObject(dataSource.schema.block, config), ...(dataSource.validate?.(config) ?? [])];
  }

  async configure(raw: ObjectValue, terraformVersion: string, signal: AbortSignal): Promise<Diagnostic[]> {
    const nulls = configNulls(this.definition.schema.block, raw);
    if (nulls.length > 0) return nulls;
    const { meta, diagnostics } = await this.definition.configure(readConfig(this.definition, raw), terraformVersion, signal);
    if (!hasErrors(diagnostics)) this.meta = meta;
    return diagnostics;
  }

  /** Stored state (cty JSON already decoded) brought to the current schema. */
  upgradeState(typeName: string, version: number, state: ObjectValue, signal: AbortSignal): StateResult {
    const resource = this.resource(typeName);
    if (version > resource.schema.version) {
      return {
        state: null,
        diagnostics: [
          errorDiagnostic(
            'Resource state is from a newer provider',
            `The stored state of this ${typeName} has schema version ${version}, but this provider knows versions up to ${resource.schema.version}.`,
          ),
        ],
      };
    }
    let upgraded = completeObject(resource.schema.block, state);
    if (resource.upgradeState) upgraded = resource.upgradeState(this.meta === undefined ? undefined : this.context(signal), upgraded);
    return { state: upgraded, diagnostics: [] };
  }

  async readResource(typeName: string, current: ObjectValue, signal: AbortSignal): Promise<StateResult> {
    const resource = this.resource(typeName);
    const context = this.requireContext(signal);
    if ('diagnostics' in context) return { state: current, diagnostics: context.diagnostics };
    try {
      const next = await resource.read(context, current);
      if (next === null) {
        engineLog.info(`${typeName} no longer exists remotely; removing it from state`, { id: idOf(current) });
        return { state: null, diagnostics: [] };
      }
      const block = resource.schema.block;
      const state = resource.sdkv2
        ? (normalizeNullValues(sdkv2StateForm(block, completeObject(block, next), true), current, impliedType(block), false) as ObjectValue)
        : alignWithKnown(block, current, completeObject(block, next));
      return { state, diagnostics: [] };
    } catch (error) {
      return { state: current, diagnostics: diagnosticsOf(error) };
    }
  }

  planResourceChange(typeName: string, prior: ObjectValue | null, proposed: ObjectValue | null, raw: ObjectValue | null, signal: AbortSignal): PlanResult {
    const resource = this.resource(typeName);
    if (proposed === null || raw === null) return { planned: null, requiresReplace: [], diagnostics: [] };
    // As SDKv2: a resource's null list elements are refused when it plans (not when it validates), before anything else.
    const nulls = configNulls(resource.schema.block, raw);
    if (nulls.length > 0) return { planned: null, requiresReplace: [], diagnostics: nulls };
    const diagnostics = this.validateResourceConfig(typeName, raw);
    const config = readConfig(resource, raw);
    if (hasErrors(diagnostics)) return { planned: null, requiresReplace: [], diagnostics };
    const context = this.requireContext(signal);
    if ('diagnostics' in context) return { planned: null, requiresReplace: [], diagnostics: context.diagnostics };
    const block = resource.schema.block;
    const { planned, requiresReplace } = resource.sdkv2 ? planSdkv2(block, prior, config, proposed) : planObject(block, prior, config);
    const request = { prior, config, planned, requiresReplace };
    for (const modifier of resource.planModifiers ?? []) diagnostics.push(...(modifier(context, request) ?? []));
    return { planned: request.planned, requiresReplace: request.requiresReplace, diagnostics, legacyTypeSystem: this.tolerated(resource, 'plan', planProblems(block, prior, config, request.planned)) };
  }

  async applyResourceChange(
    typeName: string,
    prior: ObjectValue | null,
    planned: ObjectValue | null,
    raw: ObjectValue | null,
    signal: AbortSignal,
  ): Promise<StateResult> {
    const resource = this.resource(typeName);
    const config = raw === null ? null : readConfig(resource, raw);
    const context = this.requireContext(signal);
    if ('diagnostics' in context) return { state: prior, diagnostics: context.diagnostics };
    const block = resource.schema.block;
    try {
      const action = planned === null ? 'delete' : prior === null ? 'create' : 'update';
      engineLog.debug(`${action} ${typeName}`, { id: idOf(prior) ?? idOf(planned) });
      if (planned === null) {
        if (prior !== null) await resource.delete(context, prior);
        return { state: null, diagnostics: [] };
      }
      const next =
        prior === null ? await resource.create(context, planned, config ?? planned) : await resource.update(context, prior, planned, config ?? planned);
      const state = this.afterApply(resource, planned, next);
      return { state, diagnostics: [], legacyTypeSystem: this.tolerated(resource, 'apply', applyProblems(block, planned, state)) };
    } catch (error) {
      engineLog.debug(`apply of ${typeName} failed`, { error: error instanceof Error ? error.message : String(error) });
      // On failure Terraform keeps what we return: the remote object as far as it is known, else the prior state.
      const partial = error instanceof ResourceError && error.state !== undefined ? error.state : prior;
      const state = partial === null ? null : this.afterApply(resource, planned ?? partial, partial);
      return { state, diagnostics: diagnosticsOf(error), legacyTypeSystem: this.tolerated(resource, 'apply', applyProblems(block, planned, state)) };
    }
  }

  /** The state to record after an apply: what the resource returned, in the form the plan already had. */
  private afterApply(resource: ResourceType<Meta>, planned: ObjectValue, next: ObjectValue): ObjectValue {
    const block = resource.schema.block;
    if (resource.sdkv2) return normalizeNullValues(sdkv2StateForm(block, completeObject(block, next)), planned, impliedType(block), true) as ObjectValue;
    return alignWithKnown(block, planned, completeObject(block, next));
  }

  /**
   * Whether an answer with these strict-check problems goes out with legacy_type_system: only for SDKv2 resources,
   * whose semantics produce them; for the others they are bugs that Terraform must report.
   */
  private tolerated(resource: ResourceType<Meta>, answer: 'plan' | 'apply', problems: string[]): boolean {
    if (problems.length === 0) return false;
    engineLog.debug(`${resource.name} ${answer} relies on the legacy type system`, { sdkv2: resource.sdkv2 === true, problems });
    return resource.sdkv2 === true;
  }

  importResourceState(typeName: string, id: string, signal: AbortSignal): StateResult {
    const resource = this.resource(typeName);
    const context = this.requireContext(signal);
    if ('diagnostics' in context) return { state: null, diagnostics: context.diagnostics };
    try {
      const imported = resource.importState(context, id);
      // SDKv2 imports with empty blocks; otherwise blocks stay null so that the read adopts whatever exists remotely.
      const state = resource.sdkv2 ? { ...emptyObject(resource.schema.block), ...imported } : nullObject(resource.schema.block, imported);
      return { state, diagnostics: [] };
    } catch (error) {
      return { state: null, diagnostics: diagnosticsOf(error) };
    }
  }

  async readDataSource(typeName: string, raw: ObjectValue, signal: AbortSignal): Promise<StateResult> {
    const dataSource = this.dataSource(typeName);
    const diagnostics = this.validateDataSourceConfig(typeName, raw);
    const config = readConfig(dataSource, raw);
    if (hasErrors(diagnostics)) return { state: null, diagnostics };
    const context = this.requireContext(signal);
    if ('diagnostics' in context) return { state: null, diagnostics: context.diagnostics };
    try {
      const block = dataSource.schema.block;
      const state = completeObject(block, await dataSource.read(context, withDefaults(block, config)));
      return { state: dataSource.sdkv2 ? sdkv2StateForm(block, state) : state, diagnostics };
    } catch (error) {
      return { state: null, diagnostics: [...diagnostics, ...diagnosticsOf(error)] };
    }
  }

  private context(signal: AbortSignal): OperationContext<Meta> {
    return { meta: this.meta as Meta, signal };
  }

  private requireContext(signal: AbortSignal): OperationContext<Meta> | { diagnostics: Diagnostic[] } {
    if (this.meta === undefined) {
      return { diagnostics: [errorDiagnostic('Provider not configured', 'ConfigureProvider must succeed before this operation.')] };
    }
    return this.context(signal);
  }
}

/** A configuration as the provider reads it: through SDKv2's shim for what hashicorp/aws implements with SDKv2. */
function readConfig(reader: { sdkv2?: boolean; schema: { block: SchemaBlock } }, config: ObjectValue): ObjectValue {
  return reader.sdkv2 ? (withoutNullMapElements(config, impliedType(reader.schema.block)) as ObjectValue) : config;
}

function idOf(state: ObjectValue | null): string | null {
  return state && typeof state.id === 'string' ? state.id : null;
}

/**
 * Aligns a state read from the remote with the state Terraform already holds (the plan after an apply, the
 * prior state on refresh), where the two mean the same thing:
 * - optional+computed blocks that the known state does not track (an empty list or set there, because the
 *   configuration left them out) stay untracked, whatever the remote reports;
 * - an empty string, map or list that the API does not echo (SDKv2 treats "" and {} as unset) stays as
 *   configured instead of becoming null.
 * Both keep plans free of spurious diffs and apply results consistent with their plans.
 */
function alignWithKnown(block: SchemaBlock, known: Value, next: ObjectValue): ObjectValue {
  if (!isObject(known)) return next;
  for (const name of Object.keys(block.attributes ?? {})) {
    if (next[name] === null && isEmptyValue(known[name])) next[name] = known[name];
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const knownValue = known[name];
    const nextValue = next[name];
    if (nested.computed && Array.isArray(knownValue) && knownValue.length === 0) {
      next[name] = [];
      continue;
    }
    if (nested.nesting_mode === 'list' && Array.isArray(knownValue) && Array.isArray(nextValue)) {
      nextValue.forEach((element, index) => {
        if (index < knownValue.length && isObject(element)) alignWithKnown(nested.block, knownValue[index], element);
      });
    } else if ((nested.nesting_mode === 'single' || nested.nesting_mode === 'group') && isObject(nextValue)) {
      alignWithKnown(nested.block, knownValue ?? null, nextValue);
    }
  }
  return next;
}

function isEmptyValue(v: Value | undefined): boolean {
  if (v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return v !== undefined && isObject(v) && Object.keys(v).length === 0;
}

/** An object with every attribute and block null, except the given values. */
function nullObject(block: SchemaBlock, values: ObjectValue): ObjectValue {
  const object: ObjectValue = {};
  for (const name of Object.keys(block.attributes ?? {})) object[name] = values[name] ?? null;
  for (const name of Object.keys(block.block_types ?? {})) object[name] = values[name] ?? null;
  return object;
}
