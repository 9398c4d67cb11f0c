// Injected faults: switched at run time through the admin API or at start by flags.

/** A fault that hits calls of one operation (`SageMaker.ListTags`) or of all, at random (`rate`) or the next N (`next`). */
export interface FaultRule {
  operation?: string;
  rate?: number;
  next?: number;
}

export type DropMoment = 'before' | 'request' | 'response';

export interface DropRule extends FaultRule {
  /** before (default): drop without performing; request: perform, then drop without answering; response: answer, then drop. */
  after?: DropMoment;
}

export interface LatencyRule {
  ms: number;
  operation?: string;
}

/** Makes the creation or update of one SageMaker endpoint fail, as a container that never passes its health check would. */
export interface EndpointFailureRule {
  /** The endpoint's name (any case, as names are unique regardless of case). */
  endpoint: string;
  /** Which deployments fail: creation, update, or both when omitted. */
  during?: 'create' | 'update';
  /** The endpoint's FailureReason; a health-check failure of its first variant when omitted. */
  reason?: string;
  /** An update rolls back to the previous deployment (InService, with the FailureReason) instead of ending Failed. */
  rollback?: boolean;
  /** Only the next N deployments fail; every one when omitted. */
  next?: number;
}

export interface FaultSettings {
  throttle: FaultRule[];
  internalError: FaultRule[];
  dropConnection: DropRule[];
  latency: LatencyRule[];
  iamPropagationSeconds: number;
  endpointFailure: EndpointFailureRule[];
}

export class FaultSpecError extends Error {}

export function noFaults(): FaultSettings {
  return { throttle: [], internalError: [], dropConnection: [], latency: [], iamPropagationSeconds: 0, endpointFailure: [] };
}

const KINDS = ['throttle', 'internalError', 'dropConnection', 'latencyMs', 'iamPropagationSeconds', 'endpointFailure'];

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseRule(kind: string, value: unknown): DropRule {
  if (!isObject(value)) throw new FaultSpecError(`${kind}: expected an object such as {"rate":0.1} or {"operation":"SageMaker.ListTags","next":3}`);
  const rule: DropRule = {};
  for (const [key, field] of Object.entries(value)) {
    if (key === 'operation') {
      if (typeof field !== 'string' || !/^(SageMaker|IAM|STS|S3)\.[A-Za-z0-9]+$/.test(field)) {
        throw new FaultSpecError(`${kind}.operation: expected "<SageMaker|IAM|STS|S3>.<Operation>", got ${JSON.stringify(field)}`);
      }
      rule.operation = field;
    } else if (key === 'rate') {
      if (typeof field !== 'number' || !(field >= 0 && field <= 1)) throw new FaultSpecError(`${kind}.rate: expected a number in 0..1`);
      rule.rate = field;
    } else if (key === 'next') {
      if (typeof field !== 'number' || !Number.isInteger(field) || field < 1) throw new FaultSpecError(`${kind}.next: expected a positive integer`);
      rule.next = field;
    } else if (key === 'after' && kind === 'dropConnection') {
      if (field !== 'before' && field !== 'request' && field !== 'response') {
        throw new FaultSpecError(`${kind}.after: expected "before", "request" or "response"`);
      }
      rule.after = field;
    } else {
      throw new FaultSpecError(`${kind}: unknown field ${JSON.stringify(key)}`);
    }
  }
  if (rule.rate === undefined && rule.next === undefined) throw new FaultSpecError(`${kind}: give "rate" or "next"`);
  return rule;
}

function parseLatency(value: unknown): LatencyRule[] {
  return asList(value).map((item) => {
    if (typeof item === 'number' && item >= 0) return { ms: item };
    if (isObject(item) && typeof item.ms === 'number' && item.ms >= 0) {
      const rule: LatencyRule = { ms: item.ms };
      if (item.operation !== undefined) rule.operation = parseRule('latencyMs', { operation: item.operation, rate: 1 }).operation;
      return rule;
    }
    throw new FaultSpecError('latencyMs: expected milliseconds (a number) or {"ms":N,"operation":"SageMaker.DescribeModel"}');
  });
}

function parseEndpointFailure(value: unknown): EndpointFailureRule {
  const example = '{"endpoint":"my-endpoint","during":"create","reason":"..."}';
  if (!isObject(value)) throw new FaultSpecError(`endpointFailure: expected an object such as ${example}`);
  const rule: EndpointFailureRule = { endpoint: '' };
  for (const [key, field] of Object.entries(value)) {
    if (key === 'endpoint') {
      if (typeof field !== 'string' || field === '') throw new FaultSpecError('endpointFailure.endpoint: expected an endpoint name');
      rule.endpoint = field;
    } else if (key === 'during') {
      if (field !== 'create' && field !== 'update') throw new FaultSpecError('endpointFailure.during: expected "create" or "update"');
      rule.during = field;
    } else if (key === 'reason') {
      if (typeof field !== 'string' || field === '') throw new FaultSpecError('endpointFailure.reason: expected a non-empty string');
      rule.reason = field;
    } else if (key === 'rollback') {
      if (typeof field !== 'boolean') throw new FaultSpecError('endpointFailure.rollback: expected true or false');
      rule.rollback = field;
    } else if (key === 'next') {
      if (typeof field !== 'number' || !Number.isInteger(field) || field < 1) throw new FaultSpecError('endpointFailure.next: expected a positive integer');
      rule.next = field;
    } else {
      throw new FaultSpecError(`endpointFailure: unknown field ${JSON.stringify(key)}`);
    }
  }
  if (rule.endpoint === '') throw new FaultSpecError(`endpointFailure: give "endpoint", as in ${example}`);
  return rule;
}

/**
 * Applies a fault request to the settings. Each kind named in the body replaces that kind's rules
 * (a kind's value is one rule or a list of rules); kinds not named are kept.
 */
export function applyFaultSpec(settings: FaultSettings, spec: unknown): void {
  if (!isObject(spec)) throw new FaultSpecError('expected a JSON object');
  for (const key of Object.keys(spec)) {
    if (!KINDS.includes(key)) throw new FaultSpecError(`unknown fault kind ${JSON.stringify(key)}; known: ${KINDS.join(', ')}`);
  }
  // Parse everything first so a bad request changes nothing.
  const next: Partial<FaultSettings> = {};
  if (spec.throttle !== undefined) next.throttle = asList(spec.throttle).map((rule) => parseRule('throttle', rule));
  if (spec.internalError !== undefined) next.internalError = asList(spec.internalError).map((rule) => parseRule('internalError', rule));
  if (spec.dropConnection !== undefined) next.dropConnection = asList(spec.dropConnection).map((rule) => parseRule('dropConnection', rule));
  if (spec.latencyMs !== undefined) next.latency = parseLatency(spec.latencyMs);
  if (spec.iamPropagationSeconds !== undefined) {
    const seconds = spec.iamPropagationSeconds;
    if (typeof seconds !== 'number' || !(seconds >= 0)) throw new FaultSpecError('iamPropagationSeconds: expected a number >= 0');
    next.iamPropagationSeconds = seconds;
  }
  if (spec.endpointFailure !== undefined) next.endpointFailure = asList(spec.endpointFailure).map(parseEndpointFailure);
  Object.assign(settings, next);
}

/** The admin API's view of the settings, in the same words a request uses. */
export function describeFaults(settings: FaultSettings): Record<string, unknown> {
  return {
    throttle: settings.throttle,
    internalError: settings.internalError,
    dropConnection: settings.dropConnection,
    latencyMs: settings.latency,
    iamPropagationSeconds: settings.iamPropagationSeconds,
    endpointFailure: settings.endpointFailure,
  };
}

/** The failure rule, if any, for a deployment of endpoint `name`; uses up one of its `next` deployments. */
export function decideEndpointFailure(settings: FaultSettings, name: string, during: 'create' | 'update'): EndpointFailureRule | undefined {
  const rules = settings.endpointFailure;
  const index = rules.findIndex((rule) => rule.endpoint.toLowerCase() === name.toLowerCase() && (rule.during === undefined || rule.during === during));
  if (index < 0) return undefined;
  const rule = rules[index];
  if (rule.next !== undefined) {
    rule.next -= 1;
    if (rule.next <= 0) rules.splice(index, 1);
  }
  return rule;
}

/** Decides whether a rule hits this call, and uses up one of its `next` calls if so. */
function hits<T extends FaultRule>(rules: T[], operation: string): T | undefined {
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (rule.operation !== undefined && rule.operation !== operation) continue;
    if (rule.next !== undefined) {
      rule.next -= 1;
      if (rule.next <= 0) rules.splice(i, 1);
      return rule;
    }
    if (rule.rate !== undefined && Math.random() < rule.rate) return rule;
  }
  return undefined;
}

export interface FaultDecision {
  latencyMs: number;
  drop?: DropMoment;
  error?: 'throttle' | 'internalError';
}

/** What happens to one call of `operation` (`Service.Operation`). */
export function decideFaults(settings: FaultSettings, operation: string): FaultDecision {
  let latencyMs = 0;
  for (const rule of settings.latency) if (rule.operation === undefined || rule.operation === operation) latencyMs += rule.ms;
  const decision: FaultDecision = { latencyMs };
  const drop = hits(settings.dropConnection, operation);
  if (drop) {
    decision.drop = drop.after ?? 'before';
    if (decision.drop === 'before') return decision;
  }
  if (hits(settings.throttle, operation)) decision.error = 'throttle';
  else if (hits(settings.internalError, operation)) decision.error = 'internalError';
  return decision;
}
