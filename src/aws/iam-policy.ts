// Pure IAM policy computations with byte-exact parity with hashicorp/aws 5.100.0:
// the aws_iam_policy_document data source, the assume_role_policy normalisation and validator of
// aws_iam_role, and the awspolicyequivalence comparison used for its diff suppression.
//
// The provider is written in Go, so its bytes are those of Go's encoding/json (HTML-escaping, map keys
// sorted by bytes, float64 numbers, its scanner's error messages). Documents are read with the engine's
// Go json reader; the first part of this file is Go's encoder, the rest the policy logic.

import { GoJsonDecodeError, GoJsonSyntaxError, GoObject, goJsonParse, type GoJson } from '../engine/go-json';
import { goQuote } from '../engine/validators';

// ---------------------------------------------------------------------------------------------
// Go-compatible JSON encoding
// ---------------------------------------------------------------------------------------------

/** Compares two strings the way Go compares them (UTF-8 bytes, i.e. code points). */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    // A surrogate half encodes a code point above U+FFFF, which sorts after every BMP character.
    if (xs !== ys) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

function goSort(list: string[]): string[] {
  return list.sort(compareGoStrings);
}

// --- encoder (json.Marshal / json.MarshalIndent) ---------------------------------------------

const HEX = '0123456789abcdef';

function goQuoteJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c && c !== 0x3c && c !== 0x3e && c !== 0x26) {
        out += s[i];
        continue;
      }
      switch (c) {
        case 0x22: out += '\\"'; break;
        case 0x5c: out += '\\\\'; break;
        case 0x08: out += '\\b'; break;
        case 0x0c: out += '\\f'; break;
        case 0x0a: out += '\\n'; break;
        case 0x0d: out += '\\r'; break;
        case 0x09: out += '\\t'; break;
        default: out += '\\u00' + HEX[c >> 4] + HEX[c & 0xf];
      }
      continue;
    }
    if (c === 0x2028 || c === 0x2029) {
      out += c === 0x2028 ? '\\u2028' : '\\u2029';
      continue;
    }
    if (c >= 0xd800 && c < 0xdc00) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        out += s[i] + s[i + 1];
        i++;
        continue;
      }
      out += '\\ufffd';
      continue;
    }
    if (c >= 0xdc00 && c < 0xe000) {
      // A lone surrogate cannot be UTF-8; Go would have seen an invalid byte sequence.
      out += '\\ufffd';
      continue;
    }
    out += s[i];
  }
  return out + '"';
}

function goFormatFloat(n: number): string {
  if (Object.is(n, -0)) return '-0';
  // Go switches to exponent form below 1e-6 and from 1e21, as JavaScript does, and both print the
  // shortest round-tripping digits with the exponent unpadded after Go's e-09 -> e-9 clean-up.
  return String(n);
}

/** json.Marshal of a Go value (map keys sorted, HTML-escaped). */
export function goJsonMarshal(v: GoJson): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return goFormatFloat(v);
  if (typeof v === 'string') return goQuoteJsonString(v);
  if (Array.isArray(v)) return '[' + v.map(goJsonMarshal).join(',') + ']';
  const keys = goSort([...v.entries.keys()]);
  return '{' + keys.map((k) => goQuoteJsonString(k) + ':' + goJsonMarshal(v.entries.get(k)!)).join(',') + '}';
}

/** json.Indent of compact Go output with prefix "" and the given indent (what MarshalIndent does). */
export function goJsonIndent(compact: string, indent: string): string {
  let out = '';
  let depth = 0;
  let inString = false;
  let needIndent = false;
  const newline = () => '\n' + indent.repeat(depth);
  for (let i = 0; i < compact.length; i++) {
    const ch = compact[i];
    if (inString) {
      out += ch;
      if (ch === '\\') { out += compact[++i]; continue; }
      if (ch === '"') inString = false;
      continue;
    }
    if (needIndent && ch !== ']' && ch !== '}') {
      needIndent = false;
      depth++;
      out += newline();
    }
    switch (ch) {
      case '"': inString = true; out += ch; break;
      case '{':
      case '[': out += ch; needIndent = true; break;
      case ',': out += ch + newline(); break;
      case ':': out += ': '; break;
      case '}':
      case ']':
        if (needIndent) { needIndent = false; out += ch; break; } // empty collection stays compact
        depth--;
        out += newline() + ch;
        break;
      default: out += ch;
    }
  }
  return out;
}

const goObject = (pairs: Array<[string, GoJson]>): GoObject => {
  const o = new GoObject();
  for (const [k, v] of pairs) o.entries.set(k, v);
  return o;
};

// ---------------------------------------------------------------------------------------------
// CRC-32 (IEEE), and the SDK's hashcode.String built on it
// ---------------------------------------------------------------------------------------------

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3 polynomial) of the UTF-8 bytes of `text`, as an unsigned integer. */
export function crc32(text: string | Uint8Array): number {
  const data = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** terraform-plugin-sdk's hashcode.String on a 64-bit build: the CRC-32, always non-negative. */
export function sdkHashcode(text: string): number {
  return crc32(text);
}

/**
 * The order in which terraform-plugin-sdk's schema.Set.List() yields elements: by the decimal
 * string of each element's hash code, compared as strings.
 */
function sdkSetOrder<T>(items: T[], serialize: (item: T) => string): T[] {
  return items
    .map((item) => ({ item, key: String(sdkHashcode(serialize(item))) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((e) => e.item);
}

function sdkStringSetOrder(items: string[]): string[] {
  return sdkSetOrder(dedupe(items), (s) => s);
}

function dedupe(items: string[]): string[] {
  return [...new Set(items)];
}

// ---------------------------------------------------------------------------------------------
// aws_iam_policy_document
// ---------------------------------------------------------------------------------------------

export interface PolicyPrincipalInput {
  type: string;
  identifiers: string[] | null;
}

export interface PolicyConditionInput {
  test: string;
  variable: string;
  values: string[] | null;
}

export interface PolicyStatementInput {
  sid?: string | null;
  effect?: string | null;
  actions?: string[] | null;
  notActions?: string[] | null;
  resources?: string[] | null;
  notResources?: string[] | null;
  principals?: PolicyPrincipalInput[] | null;
  notPrincipals?: PolicyPrincipalInput[] | null;
  conditions?: PolicyConditionInput[] | null;
}

export interface PolicyDocumentInput {
  policyId?: string | null;
  version?: string | null;
  sourcePolicyDocuments?: Array<string | null> | null;
  overridePolicyDocuments?: Array<string | null> | null;
  /** Deprecated arguments that hashicorp/aws only accepts empty. */
  sourceJson?: string | null;
  overrideJson?: string | null;
  statements?: PolicyStatementInput[] | null;
}

export type AttributePathStep = { attr: string } | { index: number };

/**
 * An error diagnostic of the data source. `message` is hashicorp/aws's summary text; `path` is the
 * attribute path hashicorp/aws attaches (validation errors carry one, errors raised while reading
 * carry none and get an empty path).
 */
export class PolicyDocumentError extends Error {
  constructor(message: string, readonly path: AttributePathStep[] = [], readonly detail = '') {
    super(message);
    this.name = 'PolicyDocumentError';
  }
}

export interface RenderedPolicyDocument {
  json: string;
  minifiedJson: string;
  id: string;
}

export const POLICY_VERSIONS = ['2008-10-17', '2012-10-17'] as const;
export const DEFAULT_POLICY_VERSION = '2012-10-17';

/** Go's %q for a []string, as validation.StringInSlice prints its list. */
function goQuoteList(values: readonly string[]): string {
  return '[' + values.map(goQuote).join(' ') + ']';
}

/**
 * The configuration-time checks hashicorp/aws runs on the data source's arguments (validate
 * functions of the schema), in schema order. Every error is returned, as Terraform reports all.
 */
export function validatePolicyDocumentInput(input: PolicyDocumentInput): PolicyDocumentError[] {
  const errors: PolicyDocumentError[] = [];
  const jsonList = (attr: string, list: Array<string | null> | null | undefined) => {
    if (list?.some((doc) => doc === null)) {
      errors.push(new PolicyDocumentError('Null value found in list', [{ attr }], 'Null values are not allowed for this attribute value.'));
    }
    (list ?? []).forEach((doc, i) => {
      if (doc == null || doc === '') return; // structure.NormalizeJsonString accepts ""
      try {
        goJsonParse(doc);
      } catch (e) {
        errors.push(new PolicyDocumentError(`"${attr}.${i}" contains an invalid JSON: ${(e as Error).message}`, [{ attr }, { index: i }]));
      }
    });
  };
  const mustBeEmpty = (attr: string, v: string | null | undefined) => {
    if (v != null && v !== '') {
      errors.push(new PolicyDocumentError(`expected ${goQuote(attr)} to be an empty string: got ${v}`, [{ attr }]));
    }
  };
  mustBeEmpty('override_json', input.overrideJson);
  jsonList('override_policy_documents', input.overridePolicyDocuments);
  mustBeEmpty('source_json', input.sourceJson);
  jsonList('source_policy_documents', input.sourcePolicyDocuments);
  (input.statements ?? []).forEach((st, i) => {
    const at = (attr: string): AttributePathStep[] => [{ attr: 'statement' }, { index: i }, { attr }];
    if (st.effect != null && st.effect !== 'Allow' && st.effect !== 'Deny') {
      errors.push(new PolicyDocumentError(`expected statement.${i}.effect to be one of ${goQuoteList(['Allow', 'Deny'])}, got ${st.effect}`, at('effect')));
    }
    // 5.100.0 has no validator on sid; later versions require ^[a-zA-Z0-9]*$.
  });
  if (input.version != null && !(POLICY_VERSIONS as readonly string[]).includes(input.version)) {
    errors.push(new PolicyDocumentError(`expected version to be one of ${goQuoteList(POLICY_VERSIONS)}, got ${input.version}`, [{ attr: 'version' }]));
  }
  return errors;
}

// The Go model of the provider (IAMPolicyDoc and friends), with identifiers/values either a single
// string or a list, as in Go's `any` fields.
type StringOrList = string | string[];

interface PolicyPrincipal {
  type: string;
  identifiers: StringOrList;
}

interface PolicyCondition {
  test: string;
  variable: string;
  values: StringOrList;
}

interface PolicyStatement {
  sid: string;
  effect: string;
  actions?: GoJson;
  notActions?: GoJson;
  resources?: GoJson;
  notResources?: GoJson;
  principals?: PolicyPrincipal[];
  notPrincipals?: PolicyPrincipal[];
  conditions?: PolicyCondition[];
}

interface PolicyDoc {
  version: string;
  id: string;
  statements: PolicyStatement[];
}

function mergeDoc(into: PolicyDoc, next: PolicyDoc): void {
  if (next.id.length > 0) into.id = next.id;
  if (compareGoStrings(next.version, into.version) > 0) into.version = next.version;
  for (const st of next.statements) {
    if (st.sid.length === 0) {
      into.statements.push(st);
      continue;
    }
    const i = into.statements.findIndex((s) => s.sid === st.sid);
    if (i >= 0) into.statements[i] = st;
    else into.statements.push(st);
  }
}

/** The provider's policyDecodeConfigStringList: one element stays a string, more are sorted descending. */
function decodeConfigStrings(list: string[]): StringOrList {
  if (list.length === 1) return list[0];
  return goSort([...list]).reverse();
}

function replaceVars(value: StringOrList, version: string): StringOrList {
  const one = (s: string) => {
    if (version === '2008-10-17' && s.includes('&{')) {
      throw new PolicyDocumentError(`found &{ sequence in (${s}), which is not supported in document version 2008-10-17`);
    }
    return s.split('&{').join('${');
  };
  return typeof value === 'string' ? one(value) : value.map(one);
}

function withPrefix(prefix: string, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof PolicyDocumentError) throw new PolicyDocumentError(`${prefix}: ${e.message}`, e.path);
    throw e;
  }
}

function serializePrincipalForHash(p: PolicyPrincipalInput): string {
  const ids = sdkStringSetOrder(p.identifiers ?? []);
  return `identifiers:{${ids.map((s) => s + ';').join('')}};type:${p.type};`;
}

function serializeConditionForHash(c: PolicyConditionInput): string {
  return `test:${c.test};values:(${(c.values ?? []).map((s) => s + ';').join('')});variable:${c.variable};`;
}

function makePrincipals(blocks: PolicyPrincipalInput[], version: string): PolicyPrincipal[] {
  return sdkSetOrder(blocks, serializePrincipalForHash).map((p) => {
    let identifiers: StringOrList = decodeConfigStrings(dedupe(p.identifiers ?? []));
    withPrefix('reading identifiers', () => {
      identifiers = replaceVars(identifiers, version);
    });
    return { type: p.type, identifiers };
  });
}

function makeConditions(blocks: PolicyConditionInput[], version: string): PolicyCondition[] {
  return sdkSetOrder(blocks, serializeConditionForHash).map((c) => {
    let values: StringOrList = [...(c.values ?? [])];
    withPrefix('reading values', () => {
      values = replaceVars(values, version);
    });
    if (values.length === 1 && Array.isArray(values)) values = values[0];
    return { test: c.test, variable: c.variable, values };
  });
}

function nonEmpty<T>(list: T[] | null | undefined): list is T[] {
  return list != null && list.length > 0;
}

// --- decoding a source/override JSON document into the Go model, with Go's errors -------------

const STMT_TYPE = '[]*iam.IAMPolicyStatement';

function goKind(v: GoJson): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'string';
  return Array.isArray(v) ? 'array' : 'object';
}

/** Go's %T of a value decoded into `any`. */
function goTypeName(v: GoJson): string {
  if (v === null) return '<nil>';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'string') return 'string';
  return Array.isArray(v) ? '[]interface {}' : 'map[string]interface {}';
}

/** Go's struct field matching: exact name first, then case-insensitive. */
function fieldFor(key: string, fields: readonly string[]): string | undefined {
  if (fields.includes(key)) return key;
  return fields.find((f) => f.toLowerCase() === key.toLowerCase());
}

class GoUnmarshal {
  firstError: Error | undefined;

  private save(err: Error): void {
    if (!this.firstError) this.firstError = err;
  }

  private typeError(kind: string, struct: string, field: string, type: string): void {
    this.save(new GoJsonDecodeError(`json: cannot unmarshal ${kind} into Go struct field ${struct}.${field} of type ${type}`));
  }

  doc(v: GoJson): PolicyDoc {
    const doc: PolicyDoc = { version: '', id: '', statements: [] };
    if (v === null) return doc;
    if (!(v instanceof GoObject)) {
      this.save(new GoJsonDecodeError(`json: cannot unmarshal ${goKind(v)} into Go value of type iam.IAMPolicyDoc`));
      return doc;
    }
    for (const [key, value] of v.entries) {
      const field = fieldFor(key, ['Version', 'Id', 'Statement']);
      if (field === 'Version' || field === 'Id') {
        if (value === null) continue;
        if (typeof value !== 'string') this.typeError(goKind(value), 'IAMPolicyDoc', field, 'string');
        else if (field === 'Version') doc.version = value;
        else doc.id = value;
      } else if (field === 'Statement') {
        if (value === null) { doc.statements = []; continue; }
        if (!Array.isArray(value)) { this.typeError(goKind(value), 'IAMPolicyDoc', 'Statement', STMT_TYPE); continue; }
        doc.statements = value.map((s) => this.statement(s));
      }
    }
    return doc;
  }

  private statement(v: GoJson): PolicyStatement {
    const st: PolicyStatement = { sid: '', effect: '' };
    if (v === null) {
      // A null element is a nil *IAMPolicyStatement, on which the provider crashes while merging.
      this.save(new GoJsonDecodeError('the provider crashes on a null statement (nil pointer dereference)'));
      return st;
    }
    if (!(v instanceof GoObject)) {
      this.typeError(goKind(v), 'IAMPolicyDoc', 'Statement', 'iam.IAMPolicyStatement');
      return st;
    }
    const fields = ['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition'];
    for (const [key, value] of v.entries) {
      const field = fieldFor(key, fields);
      switch (field) {
        case 'Sid':
        case 'Effect':
          if (value === null) break;
          if (typeof value !== 'string') this.typeError(goKind(value), 'IAMPolicyStatement', `Statement.${field}`, 'string');
          else if (field === 'Sid') st.sid = value;
          else st.effect = value;
          break;
        case 'Action': st.actions = value ?? undefined; break;
        case 'NotAction': st.notActions = value ?? undefined; break;
        case 'Resource': st.resources = value ?? undefined; break;
        case 'NotResource': st.notResources = value ?? undefined; break;
        case 'Principal': st.principals = this.principals(value); break;
        case 'NotPrincipal': st.notPrincipals = this.principals(value); break;
        case 'Condition': st.conditions = this.conditions(value); break;
      }
    }
    return st;
  }

  private principals(v: GoJson): PolicyPrincipal[] | undefined {
    if (typeof v === 'string') return [{ type: '*', identifiers: ['*'] }];
    if (!(v instanceof GoObject)) {
      this.save(new GoJsonDecodeError(`Unsupported data type ${goTypeName(v)} for IAMPolicyStatementPrincipalSet`));
      return undefined;
    }
    const out: PolicyPrincipal[] = [];
    for (const [type, ids] of v.entries) {
      if (typeof ids === 'string') out.push({ type, identifiers: ids });
      else if (Array.isArray(ids)) {
        if (ids.some((x) => typeof x !== 'string')) {
          this.save(new GoJsonDecodeError('the provider crashes on a non-string principal identifier (interface conversion panic)'));
          return undefined;
        }
        out.push({ type, identifiers: goSort([...(ids as string[])]) });
      } else {
        this.save(new GoJsonDecodeError(`Unsupported data type ${goTypeName(ids)} for IAMPolicyStatementPrincipalSet.Identifiers`));
        return undefined;
      }
    }
    return out.length > 0 ? out : undefined;
  }

  private conditions(v: GoJson): PolicyCondition[] | undefined {
    if (v === null) return undefined;
    if (!(v instanceof GoObject)) {
      // The decoder of the enclosing struct stamps its own context onto the nested type error.
      this.typeError(goKind(v), 'IAMPolicyStatement', 'Statement.Condition', 'map[string]map[string]interface {}');
      return undefined;
    }
    const out: PolicyCondition[] = [];
    for (const [test, vars] of v.entries) {
      if (vars === null) continue;
      if (!(vars instanceof GoObject)) {
        this.typeError(goKind(vars), 'IAMPolicyStatement', 'Statement.Condition', 'map[string]interface {}');
        return undefined;
      }
      for (const [variable, values] of vars.entries) {
        if (typeof values === 'string') out.push({ test, variable, values: [values] });
        else if (typeof values === 'boolean') out.push({ test, variable, values: values ? 'true' : 'false' });
        else if (Array.isArray(values)) {
          if (values.some((x) => typeof x !== 'string')) {
            this.save(new GoJsonDecodeError('the provider crashes on a non-string condition value (interface conversion panic)'));
            return undefined;
          }
          out.push({ test, variable, values: [...(values as string[])] });
        }
        // Numbers, objects and null are dropped silently, as the provider does.
      }
    }
    return out.length > 0 ? out : undefined;
  }
}

function parsePolicyDoc(text: string): PolicyDoc {
  const value = goJsonParse(text);
  const u = new GoUnmarshal();
  const doc = u.doc(value);
  if (u.firstError) throw u.firstError;
  return doc;
}

// --- marshalling the Go model ----------------------------------------------------------------

function principalsToGo(ps: PolicyPrincipal[]): GoJson {
  if (ps.length === 1 && ps[0].type === '*') {
    const ids = ps[0].identifiers;
    if (ids === '*' || (Array.isArray(ids) && ids.length === 1 && ids[0] === '*')) return '*';
  }
  const raw = new Map<string, StringOrList>();
  for (const p of ps) {
    const existing = raw.get(p.type);
    if (Array.isArray(p.identifiers)) {
      const sorted = goSort([...p.identifiers]).reverse();
      const base = existing === undefined ? [] : typeof existing === 'string' ? [existing] : existing;
      raw.set(p.type, [...base, ...sorted]);
    } else if (existing === undefined) {
      raw.set(p.type, p.identifiers);
    } else {
      raw.set(p.type, typeof existing === 'string' ? [existing, p.identifiers] : [...existing, p.identifiers]);
    }
  }
  return goObject([...raw].map(([k, v]) => [k, v]));
}

function conditionsToGo(cs: PolicyCondition[]): GoJson {
  const raw = new Map<string, Map<string, string[]>>();
  for (const c of cs) {
    let vars = raw.get(c.test);
    if (!vars) raw.set(c.test, (vars = new Map()));
    const list = vars.get(c.variable) ?? [];
    vars.set(c.variable, typeof c.values === 'string' ? [...list, c.values] : [...list, ...c.values]);
  }
  return goObject(
    [...raw].map(([test, vars]) => [test, goObject([...vars].map(([k, v]) => [k, v.length === 1 ? v[0] : v]))]),
  );
}

/** Go marshals a struct in field order, skipping omitempty fields that are empty. */
function marshalStruct(pairs: Array<[string, GoJson]>): string {
  return '{' + pairs.map(([k, v]) => goQuoteJsonString(k) + ':' + goJsonMarshal(v)).join(',') + '}';
}

function statementToJson(st: PolicyStatement): string {
  const pairs: Array<[string, GoJson]> = [];
  if (st.sid !== '') pairs.push(['Sid', st.sid]);
  if (st.effect !== '') pairs.push(['Effect', st.effect]);
  if (st.actions !== undefined) pairs.push(['Action', st.actions]);
  if (st.notActions !== undefined) pairs.push(['NotAction', st.notActions]);
  if (st.resources !== undefined) pairs.push(['Resource', st.resources]);
  if (st.notResources !== undefined) pairs.push(['NotResource', st.notResources]);
  if (st.principals?.length) pairs.push(['Principal', principalsToGo(st.principals)]);
  if (st.notPrincipals?.length) pairs.push(['NotPrincipal', principalsToGo(st.notPrincipals)]);
  if (st.conditions?.length) pairs.push(['Condition', conditionsToGo(st.conditions)]);
  return marshalStruct(pairs);
}

function docToCompactJson(doc: PolicyDoc): string {
  const parts: string[] = [];
  if (doc.version !== '') parts.push('"Version":' + goQuoteJsonString(doc.version));
  if (doc.id !== '') parts.push('"Id":' + goQuoteJsonString(doc.id));
  if (doc.statements.length > 0) parts.push('"Statement":[' + doc.statements.map(statementToJson).join(',') + ']');
  return '{' + parts.join(',') + '}';
}

/**
 * Computes the aws_iam_policy_document outputs exactly as hashicorp/aws does. Throws a
 * PolicyDocumentError (validation errors first, then the first error of reading).
 */
export function renderPolicyDocument(input: PolicyDocumentInput): RenderedPolicyDocument {
  const invalid = validatePolicyDocumentInput(input);
  if (invalid.length > 0) throw invalid[0];

  const merged: PolicyDoc = { version: '', id: '', statements: [] };

  const sources = input.sourcePolicyDocuments ?? [];
  const seenSourceSids = new Set<string>();
  sources.forEach((text, docIndex) => {
    if (text == null || text === '') return; // the SDK hands "" elements over as nil
    let doc: PolicyDoc;
    try {
      doc = parsePolicyDoc(text);
    } catch (e) {
      throw new PolicyDocumentError(`writing IAM Policy Document: merging source document ${docIndex}: ${(e as Error).message}`);
    }
    doc.statements.forEach((st, stmtIndex) => {
      if (st.sid === '') return;
      if (seenSourceSids.has(st.sid)) {
        throw new PolicyDocumentError(
          `writing IAM Policy Document: merging source document ${docIndex}: duplicate Sid (${st.sid}) in source_policy_documents (statement ${stmtIndex}). Remove the Sid or ensure Sids are unique.`,
        );
      }
      seenSourceSids.add(st.sid);
    });
    mergeDoc(merged, doc);
  });

  const version = input.version ?? DEFAULT_POLICY_VERSION;
  const own: PolicyDoc = { version, id: input.policyId ?? '', statements: [] };
  const seenSids = new Set<string>();
  for (const cfg of input.statements ?? []) {
    const sid = cfg.sid ?? '';
    if (seenSids.has(sid)) {
      throw new PolicyDocumentError(`writing IAM Policy Document: duplicate Sid (${sid}). Remove the Sid or ensure the Sid is unique.`);
    }
    if (sid !== '') seenSids.add(sid);
    const st: PolicyStatement = { sid, effect: cfg.effect ?? 'Allow' };
    if (nonEmpty(cfg.actions)) st.actions = decodeConfigStrings(dedupe(cfg.actions));
    if (nonEmpty(cfg.notActions)) st.notActions = decodeConfigStrings(dedupe(cfg.notActions));
    const resources = cfg.resources;
    if (nonEmpty(resources)) withPrefix('reading resources', () => { st.resources = replaceVars(decodeConfigStrings(dedupe(resources)), version); });
    const notResources = cfg.notResources;
    if (nonEmpty(notResources)) withPrefix('reading not_resources', () => { st.notResources = replaceVars(decodeConfigStrings(dedupe(notResources)), version); });
    const principals = cfg.principals;
    if (nonEmpty(principals)) withPrefix('reading principals', () => { st.principals = makePrincipals(principals, version); });
    const notPrincipals = cfg.notPrincipals;
    if (nonEmpty(notPrincipals)) withPrefix('reading not_principals', () => { st.notPrincipals = makePrincipals(notPrincipals, version); });
    const conditions = cfg.conditions;
    if (nonEmpty(conditions)) withPrefix('reading condition', () => { st.conditions = makeConditions(conditions, version); });
    own.statements.push(st);
  }
  mergeDoc(merged, own);

  (input.overridePolicyDocuments ?? []).forEach((text, docIndex) => {
    if (text == null || text === '') return; // the SDK hands "" elements over as nil
    let doc: PolicyDoc;
    try {
      doc = parsePolicyDoc(text);
    } catch (e) {
      throw new PolicyDocumentError(`writing IAM Policy Document: merging override document ${docIndex}: ${(e as Error).message}`);
    }
    mergeDoc(merged, doc);
  });

  const minifiedJson = docToCompactJson(merged);
  const json = goJsonIndent(minifiedJson, '  ');
  return { json, minifiedJson, id: String(sdkHashcode(json)) };
}

// ---------------------------------------------------------------------------------------------
// aws_iam_role.assume_role_policy: normalisation, validation, equivalence
// ---------------------------------------------------------------------------------------------

/**
 * terraform-plugin-sdk's structure.NormalizeJsonString, the StateFunc of assume_role_policy:
 * "" stays "", anything else is re-marshalled compactly by Go (keys sorted, HTML-escaped, numbers as
 * float64). Invalid JSON is returned unchanged, as the StateFunc ignores the error.
 */
export function normalizePolicyJson(policy: string): string {
  if (policy === '') return '';
  try {
    return goJsonMarshal(goJsonParse(policy));
  } catch {
    return policy;
  }
}

/**
 * verify.LegacyPolicyNormalize, the StateFunc of aws_iam_role's inline policies: normalised as above, then a
 * "Version": "2012-10-17" member moved to the front. Invalid JSON is returned unchanged.
 */
export function legacyPolicyNormalize(policy: string): string {
  if (policy === '' || !isValidJson(policy)) return policy;
  const moved = normalizePolicyJson(policy).replace(
    /^(\{\n?)([\s\S]*?)(,\s*)?( {2})?("Version":\s*"2012-10-17")(,)?(\n)?([\s\S]*?)(\})/,
    '$1$5$3$2$6$7$8$9',
  );
  return isValidJson(moved) ? moved : policy;
}

function isValidJson(text: string): boolean {
  try {
    goJsonParse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The errors hashicorp/aws's verify.ValidIAMPolicyJSON reports for `value` under attribute `key`
 * (empty when valid). Messages are the exact summaries the provider returns.
 */
export function policyJsonErrors(value: string, key = 'assume_role_policy'): string[] {
  const k = goQuote(key);
  // 5.100.0 looks at the value without surrounding (Unicode) white space for its first checks, but
  // parses the untouched value, so offsets count the leading white space.
  const trimmed = goTrimSpace(value);
  if (trimmed.length < 1) return [`${k} is an empty string, which is not a valid JSON value`];
  const first = trimmed[0];
  if (first !== '{') {
    switch (first) {
      case '"': {
        let hint = '';
        try {
          const content = goJsonParse(value);
          if (typeof content === 'string') {
            if (content.endsWith('.json')) hint = ' (have you passed a JSON-encoded filename instead of the content of that file?)';
            else {
              try {
                goJsonParse(content);
                hint = ' (have you double-encoded your JSON data?)';
              } catch {
                // not JSON inside either
              }
            }
          }
        } catch {
          // not even a JSON string
        }
        return [`${k} contains an invalid JSON policy: contains a JSON-encoded string, not a JSON-encoded object${hint}`];
      }
      case '[':
        return [`${k} contains an invalid JSON policy: contains a JSON array, not a JSON object`];
      default:
        return [`${k} contains an invalid JSON policy: not a JSON object`];
    }
  }
  try {
    goJsonParse(value);
  } catch (e) {
    const msg = e instanceof GoJsonSyntaxError ? `${e.message}, at byte offset ${e.offset}` : (e as Error).message;
    return [`${k} contains an invalid JSON policy: ${msg}`];
  }
  const dup = duplicateKeyError(value);
  if (dup) return [`${k} contains duplicate JSON keys: ${dup}`];
  return [];
}

/** Go's unicode.IsSpace set, as strings.TrimSpace uses it (unlike String.prototype.trim, no U+FEFF). */
const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

function goTrimSpace(s: string): string {
  return s.replace(GO_SPACE, '');
}

/** True when hashicorp/aws accepts `value` as an IAM policy JSON document. */
export function isValidPolicyJson(value: string): boolean {
  return policyJsonErrors(value).length === 0;
}

// aws-sdk-go-base's validation.JSONNoDuplicateKeys. Go builds each error's path with append() on a
// shared slice, so a path can be overwritten by a later sibling key before the message is printed.
// The slices are modelled with Go's backing-array semantics to reproduce those exact messages.
class GoStringSlice {
  constructor(readonly array: string[], readonly len: number, readonly cap: number) {}
  static readonly nil = new GoStringSlice([], 0, 0);
  append(s: string): GoStringSlice {
    if (this.len < this.cap) {
      this.array[this.len] = s;
      return new GoStringSlice(this.array, this.len + 1, this.cap);
    }
    const cap = this.cap === 0 ? 1 : this.cap * 2; // growth for 16-byte elements below 256
    const array = this.array.slice(0, this.len);
    array.length = cap;
    array[this.len] = s;
    return new GoStringSlice(array, this.len + 1, cap);
  }
  values(): string[] {
    return this.array.slice(0, this.len);
  }
}

type DupError = { kind: 'dup'; path: GoStringSlice; key: string } | { kind: 'join'; errors: DupError[] };

function dupErrorText(e: DupError): string {
  if (e.kind === 'join') return e.errors.map(dupErrorText).join('\n');
  return `duplicate key "${[...e.path.values(), e.key].join('.')}"`;
}

function duplicateKeyError(text: string): string | undefined {
  const root = goJsonParseWithDuplicates(text);
  const check = (v: DupJson, path: GoStringSlice): DupError | undefined => {
    const errs: DupError[] = [];
    if (v instanceof DupObject) {
      const seen = new Set<string>();
      for (const [key, child] of v.pairs) {
        if (seen.has(key)) errs.push({ kind: 'dup', path, key });
        seen.add(key);
        const inner = check(child, path.append(key));
        if (inner) errs.push(inner);
      }
    } else if (Array.isArray(v)) {
      v.forEach((child, i) => {
        const inner = check(child, path.append(String(i)));
        if (inner) errs.push(inner);
      });
    }
    return errs.length ? { kind: 'join', errors: errs } : undefined;
  };
  const err = check(root, GoStringSlice.nil);
  return err ? dupErrorText(err) : undefined;
}

class DupObject {
  readonly pairs: Array<[string, DupJson]> = [];
}
/** Only the structure matters for duplicate keys; scalars are kept as null. */
type DupJson = null | DupJson[] | DupObject;

/** Parses text Go already accepted, keeping every key of every object (decoded as Go decodes them). */
function goJsonParseWithDuplicates(s: string): DupJson {
  let i = 0;
  const ws = () => {
    while (i < s.length && ' \t\r\n'.includes(s[i])) i++;
  };
  const key = (): string => {
    const start = i++;
    while (s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
    i++;
    return goJsonParse(s.slice(start, i)) as string;
  };
  const val = (): DupJson => {
    ws();
    const c = s[i];
    if (c === '{') {
      const o = new DupObject();
      i++;
      ws();
      if (s[i] === '}') { i++; return o; }
      for (;;) {
        ws();
        const k = key();
        ws();
        i++; // ':'
        o.pairs.push([k, val()]);
        ws();
        if (s[i++] === '}') return o;
      }
    }
    if (c === '[') {
      const a: DupJson[] = [];
      i++;
      ws();
      if (s[i] === ']') { i++; return a; }
      for (;;) {
        a.push(val());
        ws();
        if (s[i++] === ']') return a;
      }
    }
    if (c === '"') {
      key();
      return null;
    }
    while (i < s.length && !' \t\r\n,]}'.includes(s[i])) i++;
    return null;
  };
  return val();
}

// --- awspolicyequivalence v1.7.0 --------------------------------------------------------------

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
function eqIntermediate(text: string): { version: string; id: string; statement: GoJson | undefined } {
  let v: GoJson;
  try {
    v = goJsonParse(text);
  } catch (e) {
    throw new EquivalenceError(`unmarshaling policy: ${(e as Error).message}`);
  }
  const out = { version: '', id: '', statement: undefined as GoJson | undefined };
  if (v === null) return out;
  if (!(v instanceof GoObject)) {
    throw new EquivalenceError(`unmarshaling policy: json: cannot unmarshal ${goKind(v)} into Go value of type awspolicy.intermediatePolicyDocument`);
  }
  for (const [key, value] of v.entries) {
    const field = fieldFor(key, ['Version', 'Id', 'Statement']);
    if (field === 'Statement') out.statement = value;
    else if (field && value !== null) {
      if (typeof value !== 'string') {
        throw new EquivalenceError(
          `unmarshaling policy: json: cannot unmarshal ${goKind(value)} into Go struct field intermediatePolicyDocument.${field} of type string`,
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
  if (!(v instanceof GoObject)) throw new EquivalenceError(`parsing statement: expected a map, got '${goKind(v)}'`);
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
        if (typeof value !== 'string') throw new EquivalenceError(`parsing statement: '${field}' expected type 'string', got '${goTypeName(value)}'`);
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
        if (!(value instanceof GoObject)) throw new EquivalenceError(`parsing statement: 'Condition' expected a map, got '${goKind(value)}'`);
        const m = new Map<string, Map<string, GoJson>>();
        for (const [test, vars] of value.entries) {
          if (vars === null) { m.set(test, new Map()); continue; }
          if (!(vars instanceof GoObject)) throw new EquivalenceError(`parsing statement: 'Condition[${test}]' expected a map, got '${goKind(vars)}'`);
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
  if (Math.abs(n) < 1e21 && (n === 0 || Math.abs(n) >= 1e-6)) return String(n);
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
  const x = goSort([...a]);
  const y = goSort([...b]);
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
  if ((a === null) !== (b === null)) return false;
  if (a === null || b === null) return true;
  if (a.size !== b.size) return false;
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
  if (a === undefined || b === undefined) return a === b;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    return typeof a === 'number' && typeof b === 'number' ? a === b : a === b;
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

/** awspolicyequivalence's handling of a one-element JSON list around the policy. */
function unwrapPolicyList(policy: string): string {
  let p = policy.trim();
  if (p.startsWith('[')) {
    p = p.replace(/\]$/, '').replace(/^\[/, '');
    if (p.trim() === '') p = '{}';
  }
  return p;
}

/**
 * awspolicyequivalence.PoliciesAreEquivalent (v1.7.0, the version in hashicorp/aws 5.100.0).
 * Throws PolicyEquivalenceError where that library returns an error.
 */
export function comparePolicies(a: string, b: string): boolean {
  const x = eqIntermediate(unwrapPolicyList(a));
  const y = eqIntermediate(unwrapPolicyList(b));
  if (x.version === y.version && x.id === y.id && goDeepEqual(x.statement, y.statement)) return true;
  const statements = (s: GoJson | undefined, n: number): EqStatement[] => {
    try {
      if (Array.isArray(s)) return s.map(eqStatement);
      if (s instanceof GoObject) return [eqStatement(s)];
      throw new EquivalenceError('Unknown error parsing statement');
    } catch (e) {
      if (e instanceof EquivalenceError) throw new EquivalenceError(`parsing policy ${n}: ${e.message}`);
      throw e;
    }
  };
  const xs = statements(x.statement, 1);
  const ys = statements(y.statement, 2);
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
  const n = fromApi.trim();
  const o = existing.trim();
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

/** Go's url.QueryUnescape (IAM returns policy documents URL-encoded). Throws on a malformed escape. */
export function goQueryUnescape(s: string): string {
  const bytes: number[] = [];
  const raw = new TextEncoder().encode(s);
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === 0x25) {
      const hex = String.fromCharCode(raw[i + 1] ?? 0, raw[i + 2] ?? 0);
      if (i + 2 >= raw.length || !/^[0-9a-fA-F]{2}$/.test(hex)) {
        let bad = new TextDecoder().decode(raw.subarray(i, Math.min(i + 3, raw.length)));
        if (bad.length > 3) bad = bad.slice(0, 3);
        throw new Error(`invalid URL escape ${goQuote(bad)}`);
      }
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c === 0x2b) bytes.push(0x20);
    else bytes.push(c);
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/**
 * verify.SuppressEquivalentPolicyDiffs: whether a change of assume_role_policy from `old` to `next`
 * is no change at all for hashicorp/aws.
 */
export function policyDiffSuppressed(old: string, next: string): boolean {
  const o = old.trim();
  const n = next.trim();
  if ((o === '' || o === '{}') && (n === '' || n === '{}')) return true;
  return policiesEquivalent(old, next);
}
