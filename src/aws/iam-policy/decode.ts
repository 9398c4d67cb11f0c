// A source or override policy document decoded into hashicorp/aws's Go model as json.Unmarshal does it, with the
// errors Go reports (and the provider's own, where it crashes on input Go accepts).

import { compareGoStrings, GoJsonDecodeError, goJsonKind, goJsonParse, GoObject, goStructField, goTypeName, type GoJson } from '../../values/go-json';
import type { PolicyCondition, PolicyDoc, PolicyPrincipal, PolicyStatement } from './model';

const STMT_TYPE = '[]*iam.IAMPolicyStatement';

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
      this.save(new GoJsonDecodeError(`json: cannot unmarshal ${goJsonKind(v)} into Go value of type iam.IAMPolicyDoc`));
      return doc;
    }
    for (const [key, value] of v.entries) {
      const field = goStructField(key, ['Version', 'Id', 'Statement']);
      if (field === 'Version' || field === 'Id') {
        if (value === null) continue;
        if (typeof value !== 'string') this.typeError(goJsonKind(value), 'IAMPolicyDoc', field, 'string');
        else if (field === 'Version') doc.version = value;
        else doc.id = value;
      } else if (field === 'Statement') {
        if (value === null) { doc.statements = []; continue; }
        if (!Array.isArray(value)) { this.typeError(goJsonKind(value), 'IAMPolicyDoc', 'Statement', STMT_TYPE); continue; }
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
      this.typeError(goJsonKind(v), 'IAMPolicyDoc', 'Statement', 'iam.IAMPolicyStatement');
      return st;
    }
    const fields = ['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition'];
    for (const [key, value] of v.entries) {
      const field = goStructField(key, fields);
      switch (field) {
        case 'Sid':
        case 'Effect':
          if (value === null) break;
          if (typeof value !== 'string') this.typeError(goJsonKind(value), 'IAMPolicyStatement', `Statement.${field}`, 'string');
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
        // Their order is the encoder's business (principalsToGo sorts them).
        out.push({ type, identifiers: ids as string[] });
      } else {
        this.save(new GoJsonDecodeError(`Unsupported data type ${goTypeName(ids)} for IAMPolicyStatementPrincipalSet.Identifiers`));
        return undefined;
      }
    }
    return out; // an empty list renders as no Principal at all
  }

  private conditions(v: GoJson): PolicyCondition[] | undefined {
    if (v === null) return undefined;
    if (!(v instanceof GoObject)) {
      // The decoder of the enclosing struct stamps its own context onto the nested type error.
      this.typeError(goJsonKind(v), 'IAMPolicyStatement', 'Statement.Condition', 'map[string]map[string]interface {}');
      return undefined;
    }
    const out: PolicyCondition[] = [];
    for (const [test, vars] of v.entries) {
      if (vars === null) continue;
      if (!(vars instanceof GoObject)) {
        this.typeError(goJsonKind(vars), 'IAMPolicyStatement', 'Statement.Condition', 'map[string]interface {}');
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
    return out; // an empty list renders as no Condition at all
  }
}

/** A source or override document as the provider's model; throws Go's (or the provider's) first error. */
export function parsePolicyDoc(text: string): PolicyDoc {
  const value = goJsonParse(text);
  const u = new GoUnmarshal();
  const doc = u.doc(value);
  if (u.firstError) throw u.firstError;
  return doc;
}
