// The configuration-time checks of hashicorp/aws 5.100.0 on policies, with its exact messages:
// aws_iam_policy_document's arguments, and verify.ValidIAMPolicyJSON (assume_role_policy and inline policies),
// duplicate keys included.

import { goJsonParse, goJsonParseMembers, GoJsonSyntaxError, GoObject, type GoJson } from '../../values/go-json';
import { goQuote } from '../../engine/validators';
import { POLICY_VERSIONS, PolicyDocumentError, type AttributePathStep, type PolicyDocumentInput } from './model';

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
      if (!doc) return; // structure.NormalizeJsonString accepts ""; a null one is reported above
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
  input.statements?.forEach((st, i) => {
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
          // A value that opens with a quote and parses is a JSON string.
          const content = goJsonParse(value) as string;
          if (content.endsWith('.json')) hint = ' (have you passed a JSON-encoded filename instead of the content of that file?)';
          else {
            try {
              goJsonParse(content);
              hint = ' (have you double-encoded your JSON data?)';
            } catch {
              // not JSON inside either
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

/** Go's strings.TrimSpace. */
export function goTrimSpace(s: string): string {
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

type DupError = { path: GoStringSlice; key: string } | { errors: DupError[] };

function dupErrorText(e: DupError): string {
  if ('errors' in e) return e.errors.map(dupErrorText).join('\n');
  return `duplicate key "${[...e.path.values(), e.key].join('.')}"`;
}

function duplicateKeyError(text: string): string | undefined {
  const root = goJsonParseMembers(text);
  const check = (v: GoJson, path: GoStringSlice): DupError | undefined => {
    const errs: DupError[] = [];
    if (v instanceof GoObject) {
      const seen = new Set<string>();
      // goJsonParseMembers gives every object its members.
      for (const [key, child] of v.members!) {
        if (seen.has(key)) errs.push({ path, key });
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
    return errs.length ? { errors: errs } : undefined;
  };
  const err = check(root, GoStringSlice.nil);
  return err ? dupErrorText(err) : undefined;
}
