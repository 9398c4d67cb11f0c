// awspolicyequivalence v1.7.0 (the version in hashicorp/aws 5.100.0): whether two policies mean the same, which
// suppresses diffs of assume_role_policy and decides which text aws_iam_role's Read keeps (verify.PolicyToSet).

import { compareGoStrings, goJsonKind, goJsonMarshal, goJsonParse, GoObject, goStructField, goTypeName, type GoJson } from '../../values/go-json';
import { goTrimSpace } from './validation';

interface EqStatement {
  sid: string;
  effect: string;
  actions: GoJson | undefined;
  notActions: GoJson | undefined;
  resources: GoJson | undefined;
  notResources: GoJson | undefined;
  principals: GoJson | undefined;
  notPrincipals: GoJson | undefined;
  conditions: Map<string, Map<string, GoJson>> | null;
}

/** An error awspolicyequivalence returns instead of a verdict (messages of mapstructure are approximated). */
export class PolicyEquivalenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyEquivalenceError';
  }
}

const EquivalenceError = PolicyEquivalenceError;

/** The intermediate document: Version and Id must be strings (or null), Statement is kept raw. */
function eqIntermediate(text: string, n: number): { version: string; id: string; statement: GoJson | undefined } {
  let v: GoJson;
  try {
    v = goJsonParse(text);
  } catch (e) {
    throw new EquivalenceError(`unmarshaling policy ${n}: ${(e as Error).message}`);
  }
  const out = { version: '', id: '', statement: undefined as GoJson | undefined };
  if (v === null) return out;
  if (!(v instanceof GoObject)) {
    throw new EquivalenceError(`unmarshaling policy ${n}: json: cannot unmarshal ${goJsonKind(v)} into Go value of type awspolicy.intermediatePolicyDocument`);
  }
  for (const [key, value] of v.entries) {
    const field = goStructField(key, ['Version', 'Id', 'Statement']);
    if (field === 'Statement') out.statement = value;
    else if (field && value !== null) {
      if (typeof value !== 'string') {
        throw new EquivalenceError(
          `unmarshaling policy ${n}: json: cannot unmarshal ${goJsonKind(value)} into Go struct field intermediatePolicyDocument.${field} of type string`,
        );
      }
      if (field === 'Version') out.version = value;
      else out.id = value;
    }
  }
  return out;
}

/** mapstructure.Decode of one statement map (field names matched case-insensitively, no weak typing). */
function eqStatement(v: GoJson): EqStatement {
  if (!(v instanceof GoObject)) throw new EquivalenceError(`expected a map, got '${goJsonKind(v)}'`);
  const st: EqStatement = {
    sid: '', effect: '', actions: undefined, notActions: undefined, resources: undefined, notResources: undefined,
    principals: undefined, notPrincipals: undefined, conditions: null,
  };
  const fields = ['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition'];
  for (const [key, value] of v.entries) {
    const field = fields.find((f) => f.toLowerCase() === key.toLowerCase());
    switch (field) {
      case 'Sid':
      case 'Effect':
        if (value === null) break;
        if (typeof value !== 'string') throw new EquivalenceError(`'${field}' expected type 'string', got '${goTypeName(value)}'`);
        if (field === 'Sid') st.sid = value;
        else st.effect = value;
        break;
      case 'Action': st.actions = value ?? undefined; break;
      case 'NotAction': st.notActions = value ?? undefined; break;
      case 'Resource': st.resources = value ?? undefined; break;
      case 'NotResource': st.notResources = value ?? undefined; break;
      case 'Principal': st.principals = value ?? undefined; break;
      case 'NotPrincipal': st.notPrincipals = value ?? undefined; break;
      case 'Condition': {
        if (value === null) break;
        if (!(value instanceof GoObject)) throw new EquivalenceError(`'Condition' expected a map, got '${goJsonKind(value)}'`);
        const m = new Map<string, Map<string, GoJson>>();
        for (const [test, vars] of value.entries) {
          if (vars === null) { m.set(test, new Map()); continue; }
          if (!(vars instanceof GoObject)) throw new EquivalenceError(`'Condition[${test}]' expected a map, got '${goJsonKind(vars)}'`);
          m.set(test, new Map(vars.entries));
        }
        st.conditions = m;
        break;
      }
    }
  }
  return st;
}

/** newStringSet: undefined for "not a string set" (Go's nil), otherwise the members. */
function eqStringSet(members: GoJson | undefined): string[] | undefined {
  if (members === undefined || members === null) return [];
  const one = (x: GoJson): string | undefined =>
    typeof x === 'string' ? x : typeof x === 'boolean' ? String(x) : typeof x === 'number' ? goFormatFloatF(x) : undefined;
  if (!Array.isArray(members)) {
    const s = one(members);
    return s === undefined ? undefined : [s];
  }
  const out: string[] = [];
  for (const m of members) {
    const s = one(m);
    if (s === undefined) return undefined;
    out.push(s);
  }
  return out;
}

/** strconv.FormatFloat(f, 'f', -1, 64). */
function goFormatFloatF(n: number): string {
  if (Object.is(n, -0)) return '-0';
  // JavaScript writes these without an exponent too (0 included: the expansion below gives it as well).
  if (Math.abs(n) < 1e21 && Math.abs(n) >= 1e-6) return String(n);
  // Expand JavaScript's exponent form into plain decimal digits.
  const [mant, expPart] = n.toExponential().split('e');
  const exp = Number(expPart);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let out: string;
  if (exp >= 0) out = digits.padEnd(exp + 1, '0');
  else out = '0.' + '0'.repeat(-exp - 1) + digits;
  return (neg ? '-' : '') + out;
}

function setsEqualIgnoreOrder(a: string[] | undefined, b: string[] | undefined): boolean {
  // Go's reflect.DeepEqual distinguishes a nil slice from an empty one.
  if (a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  const x = [...a].sort(compareGoStrings);
  const y = [...b].sort(compareGoStrings);
  return x.every((v, i) => v === y[i]);
}

function stringSetEquals(a: string[] | undefined, b: string[] | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if (a.length !== b.length) return false;
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((v) => y.has(v));
}

const ACCOUNT_ID = /^[0-9]{12}$/;

/** aws-sdk-go's arn.Parse, reduced to the parts the comparison reads. */
function parseArn(s: string): { service: string; accountId: string; resource: string } | undefined {
  if (!s.startsWith('arn:')) return undefined;
  const parts = s.split(':');
  if (parts.length < 6) return undefined;
  return { service: parts[2], accountId: parts[4], resource: parts.slice(5).join(':') };
}

function stringPrincipalsEqual(a: GoJson | undefined, b: GoJson | undefined): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  if (a === b) return true;
  const rootOf = (id: string, other: string) => {
    if (!ACCOUNT_ID.test(id)) return false;
    const arn = parseArn(other);
    return arn !== undefined && arn.service === 'iam' && arn.resource === 'root' && arn.accountId === id;
  };
  return rootOf(a, b) || rootOf(b, a);
}

function principalSetEquals(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x) => b.some((y) => stringPrincipalsEqual(x, y)));
}

function mapPrincipalsEqual(a: GoJson | undefined, b: GoJson | undefined): boolean {
  const normalise = (v: GoJson | undefined) => {
    const out = new Map<string, string[]>();
    if (v instanceof GoObject) {
      for (const [k, val] of v.entries) {
        const set = eqStringSet(val);
        if (set && set.length > 0) out.set(k, set);
      }
    }
    return out;
  };
  const x = normalise(a);
  const y = normalise(b);
  for (const [k, v] of x) {
    const w = y.get(k);
    if (!w || !principalSetEquals(v, w)) return false;
  }
  for (const [k, v] of y) {
    const w = x.get(k);
    if (!w || !principalSetEquals(v, w)) return false;
  }
  return true;
}

function conditionsEqual(a: EqStatement['conditions'], b: EqStatement['conditions']): boolean {
  if (a === null || b === null) return a === b;
  // Both ways below: no need to compare the sizes first.
  const oneWay = (x: NonNullable<EqStatement['conditions']>, y: NonNullable<EqStatement['conditions']>) => {
    for (const [test, vars] of x) {
      const other = y.get(test);
      if (!other) return false;
      for (const [variable, values] of vars) {
        if (!other.has(variable)) return false;
        if (!stringSetEquals(eqStringSet(values), eqStringSet(other.get(variable)))) return false;
      }
    }
    return true;
  };
  return oneWay(a, b) && oneWay(b, a);
}

function statementsEqual(a: EqStatement, b: EqStatement): boolean {
  if (a.sid !== b.sid) return false;
  if (a.effect.toLowerCase() !== b.effect.toLowerCase()) return false;
  if (!setsEqualIgnoreOrder(eqStringSet(a.actions), eqStringSet(b.actions))) return false;
  if (!setsEqualIgnoreOrder(eqStringSet(a.notActions), eqStringSet(b.notActions))) return false;
  if (!setsEqualIgnoreOrder(eqStringSet(a.resources), eqStringSet(b.resources))) return false;
  if (!setsEqualIgnoreOrder(eqStringSet(a.notResources), eqStringSet(b.notResources))) return false;
  if (!conditionsEqual(a.conditions, b.conditions)) return false;
  if (a.principals !== undefined || b.principals !== undefined) {
    if (!(stringPrincipalsEqual(a.principals, b.principals) || mapPrincipalsEqual(a.principals, b.principals))) return false;
  }
  if (a.notPrincipals !== undefined || b.notPrincipals !== undefined) {
    if (!(stringPrincipalsEqual(a.notPrincipals, b.notPrincipals) || mapPrincipalsEqual(a.notPrincipals, b.notPrincipals))) return false;
  }
  return true;
}

function goDeepEqual(a: GoJson | undefined, b: GoJson | undefined): boolean {
  // undefined (no Statement) is no object either.
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    return a === b;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => goDeepEqual(x, b[i]));
  }
  if (a.entries.size !== b.entries.size) return false;
  for (const [k, v] of a.entries) {
    if (!b.entries.has(k) || !goDeepEqual(v, b.entries.get(k))) return false;
  }
  return true;
}

/**
 * awspolicyequivalence's preparation of each policy: white space trimmed, one pair of brackets around it removed (IAM
 * accepts a JSON list around an assume-role policy), and nothing at all read as "{}".
 */
function unwrapPolicyList(policy: string): string {
  let p = goTrimSpace(policy);
  if (p.startsWith('[') && p.endsWith(']')) p = goTrimSpace(p.slice(1, -1));
  return p === '' ? '{}' : p;
}

/** The statements of an intermediate document: none for a missing or null Statement, else a list or one object. */
function eqStatements(s: GoJson | undefined, n: number): EqStatement[] {
  // mapstructure's message is approximated; the prefixes are the library's.
  const decode = (v: GoJson, where: string) => {
    try {
      return eqStatement(v);
    } catch (e) {
      if (e instanceof EquivalenceError) throw new EquivalenceError(`parsing policy ${n}: ${where}: ${e.message}`);
      throw e;
    }
  };
  if (s === undefined || s === null) return [];
  if (Array.isArray(s)) return s.map((v) => decode(v, 'parsing statement 1'));
  if (s instanceof GoObject) return [decode(s, 'parsing statement 2')];
  throw new EquivalenceError(`parsing policy ${n}: unknown statement parsing problem`);
}

/**
 * awspolicyequivalence.PoliciesAreEquivalent (v1.7.0, the version in hashicorp/aws 5.100.0).
 * Throws PolicyEquivalenceError where that library returns an error.
 */
export function comparePolicies(a: string, b: string): boolean {
  const x = eqIntermediate(unwrapPolicyList(a), 1);
  const y = eqIntermediate(unwrapPolicyList(b), 2);
  if (x.version === y.version && x.id === y.id && goDeepEqual(x.statement, y.statement)) return true;
  const xs = eqStatements(x.statement, 1);
  const ys = eqStatements(y.statement, 2);
  if (x.version !== y.version || x.id !== y.id || xs.length !== ys.length) return false;
  return xs.every((s) => ys.some((t) => statementsEqual(s, t))) && ys.every((t) => xs.some((s) => statementsEqual(t, s)));
}

/** comparePolicies with errors read as "not equivalent", as the diff suppression does. */
export function policiesEquivalent(a: string, b: string): boolean {
  try {
    return comparePolicies(a, b);
  } catch (e) {
    if (e instanceof EquivalenceError) return false;
    throw e;
  }
}

/**
 * verify.PolicyToSet, what aws_iam_role's Read stores as assume_role_policy: the configured/prior
 * policy when the one from IAM is equivalent to it, else the one from IAM; then normalised.
 * `fromApi` is the document after URL-decoding (see goQueryUnescape).
 */
export function policyToSet(existing: string, fromApi: string): string {
  let chosen: string;
  const n = goTrimSpace(fromApi);
  const o = goTrimSpace(existing);
  if (n === '') chosen = '';
  else if (n === '{}') chosen = '{}';
  else if (o === '' || o === '{}') chosen = fromApi;
  else {
    let equivalent: boolean;
    try {
      equivalent = comparePolicies(existing, fromApi);
    } catch (e) {
      throw new PolicyEquivalenceError(
        `while checking equivalency of existing policy (${existing}) and new policy (${fromApi}), encountered: ${(e as Error).message}`,
      );
    }
    chosen = equivalent ? existing : fromApi;
  }
  if (chosen === '') return '';
  try {
    return goJsonMarshal(goJsonParse(chosen));
  } catch (e) {
    throw new PolicyEquivalenceError(`policy (${chosen}) is invalid JSON: ${(e as Error).message}`);
  }
}

/**
 * verify.SuppressEquivalentPolicyDiffs: whether a change of assume_role_policy from `old` to `next`
 * is no change at all for hashicorp/aws.
 */
export function policyDiffSuppressed(old: string, next: string): boolean {
  // hashicorp/aws first accepts any pair of "" and "{}"; awspolicyequivalence reads "" as "{}" anyway.
  return policiesEquivalent(old, next);
}
