// aws_iam_policy_document's outputs exactly as hashicorp/aws 5.100.0 renders them: statements built from the
// arguments in SDKv2's set order, merged with source and override documents, written by Go's encoder.

import { compareGoStrings, goJsonIndent, goJsonMarshal, goJsonQuote, GoObject, type GoJson } from '../../values/go-json';
import { parsePolicyDoc } from './decode';
import {
  DEFAULT_POLICY_VERSION,
  PolicyDocumentError,
  type PolicyCondition,
  type PolicyConditionInput,
  type PolicyDoc,
  type PolicyDocumentInput,
  type PolicyPrincipal,
  type PolicyPrincipalInput,
  type PolicyStatement,
  type RenderedPolicyDocument,
  type StringOrList,
} from './model';
import { dedupe, sdkHashcode, sdkSetOrder } from './sdk-hashcode';
import { validatePolicyDocumentInput } from './validation';

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
  return [...list].sort(compareGoStrings).reverse();
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
  // identifiers is a set with the SDK's default hash function (HashSchema), which hashes each string as it serializes
  // it: with its ";".
  const ids = sdkSetOrder(dedupe(p.identifiers ?? []), (s) => s + ';');
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
    return { test: c.test, variable: c.variable, values };
  });
}

function nonEmpty<T>(list: T[] | null | undefined): list is T[] {
  return list != null && list.length > 0;
}

// --- the model as Go marshals it -------------------------------------------------------------

function principalsToGo(ps: PolicyPrincipal[]): GoJson {
  if (ps.length === 1 && ps[0].type === '*') {
    const ids = ps[0].identifiers;
    if (ids === '*' || (Array.isArray(ids) && ids.length === 1 && ids[0] === '*')) return '*';
  }
  const raw = new Map<string, StringOrList>();
  for (const p of ps) {
    const existing = raw.get(p.type);
    if (Array.isArray(p.identifiers)) {
      const sorted = [...p.identifiers].sort(compareGoStrings).reverse();
      const base = existing === undefined ? [] : typeof existing === 'string' ? [existing] : existing;
      raw.set(p.type, [...base, ...sorted]);
    } else if (existing === undefined) {
      raw.set(p.type, p.identifiers);
    } else {
      raw.set(p.type, typeof existing === 'string' ? [existing, p.identifiers] : [...existing, p.identifiers]);
    }
  }
  return GoObject.of([...raw].map(([k, v]) => [k, v]));
}

function conditionsToGo(cs: PolicyCondition[]): GoJson {
  const raw = new Map<string, Map<string, string[]>>();
  for (const c of cs) {
    let vars = raw.get(c.test);
    if (!vars) raw.set(c.test, (vars = new Map()));
    const list = vars.get(c.variable) ?? [];
    vars.set(c.variable, typeof c.values === 'string' ? [...list, c.values] : [...list, ...c.values]);
  }
  return GoObject.of(
    [...raw].map(([test, vars]) => [test, GoObject.of([...vars].map(([k, v]) => [k, v.length === 1 ? v[0] : v]))]),
  );
}

/** Go marshals a struct in field order, skipping omitempty fields that are empty. */
function marshalStruct(pairs: Array<[string, GoJson]>): string {
  return '{' + pairs.map(([k, v]) => goJsonQuote(k) + ':' + goJsonMarshal(v)).join(',') + '}';
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
  if (doc.version !== '') parts.push('"Version":' + goJsonQuote(doc.version));
  if (doc.id !== '') parts.push('"Id":' + goJsonQuote(doc.id));
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
    if (!text) return; // the SDK hands "" elements over as nil (and validation refuses null ones)
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
    if (!text) return; // the SDK hands "" elements over as nil (and validation refuses null ones)
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
