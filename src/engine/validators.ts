// Attribute validators named by `validators: [{kind, ...args}]` in provider-schema/, and the generic kinds
// with the wording of terraform-plugin-sdk v2's helper/validation (users compare these messages with the
// real provider's, so the Go formatting is reproduced: %q quoting, byte lengths, encoding/json errors).
import { CtyNumber, DynamicValue, isObject, isUnknown, type Value } from '../values/value';
import { goJsonUnmarshalError } from '../values/go-json';

/** Returns error summaries; empty means valid. Called only with known, non-null values. */
export type Validator = (value: Value, attributeName: string, args: Record<string, unknown>) => string[];

/** A failure with Terraform's summary/detail split, for the few SDKv2 checks that use a detail. */
export interface ValidationFailure {
  summary: string;
  detail?: string;
}
export type DetailedValidator = (value: Value, attributeName: string, args: Record<string, unknown>) => ValidationFailure[];

const registry = new Map<string, DetailedValidator>();

export function registerValidator(kind: string, validator: Validator): void {
  registerDetailedValidator(kind, (value, name, args) => validator(value, name, args).map((summary) => ({ summary })));
}

function registerDetailedValidator(kind: string, validator: DetailedValidator): void {
  if (registry.has(kind)) throw new Error(`validator kind "${kind}" registered twice`);
  registry.set(kind, validator);
}

/** The validator of a kind, reporting summaries only; undefined when the kind is unknown. */
export function getValidator(kind: string): Validator | undefined {
  const detailed = registry.get(kind);
  return detailed && ((value, name, args) => detailed(value, name, args).map((failure) => failure.summary));
}

export function getDetailedValidator(kind: string): DetailedValidator | undefined {
  return registry.get(kind);
}

export function registeredValidatorKinds(): string[] {
  return [...registry.keys()].sort();
}

/** Runs a list of validator specs (as found in a schema) on one value. */
export function runValidators(specs: ReadonlyArray<{ kind: string }>, value: Value, attributeName: string): ValidationFailure[] {
  const failures: ValidationFailure[] = [];
  if (value === null || isUnknown(value)) return failures;
  for (const spec of specs) {
    const validator = registry.get(spec.kind);
    if (!validator) throw new Error(`unknown validator kind "${spec.kind}"`);
    failures.push(...validator(value, attributeName, spec as Record<string, unknown>));
  }
  return failures;
}

// ---- Go formatting helpers ----

/** Go's strconv.Quote (what fmt's %q prints for a string). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp < 0x7f || isGoPrintable(ch)) out += ch;
    else if (cp > 0xffff) out += '\\U' + cp.toString(16).padStart(8, '0');
    else out += '\\u' + cp.toString(16).padStart(4, '0');
  }
  return out + '"';
}

const GO_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
function isGoPrintable(ch: string): boolean {
  return GO_PRINTABLE.test(ch);
}

/** Length as Go's len() counts it: UTF-8 bytes. */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** The last named segment of a flatmap key: "primary_container.0.mode" -> "mode". */
export function leafName(attributeName: string): string {
  const parts = attributeName.split('.');
  for (let i = parts.length - 1; i >= 0; i--) if (!/^\d+$/.test(parts[i])) return parts[i];
  return attributeName;
}

function displayName(attributeName: string, args: Record<string, unknown>): string {
  return args.name_style === 'leaf' ? leafName(attributeName) : attributeName;
}

function numberArg(args: Record<string, unknown>, key: string): number | undefined {
  const v = args[key];
  return typeof v === 'number' ? v : undefined;
}

function asString(value: Value): string | undefined {
  if (value instanceof DynamicValue) return asString(value.value);
  return typeof value === 'string' ? value : undefined;
}

/** Compiles a Go RE2 pattern for JavaScript. The patterns in our schemas use the common subset. */
function goRegExp(pattern: string): RegExp {
  return new RegExp(pattern, 'u');
}

// ---- generic kinds ----

/** validation.StringInSlice (case-sensitive unless ignore_case). */
const enumValidator: Validator = (value, attributeName, args) => {
  const s = asString(value);
  if (s === undefined) return [`expected type of ${attributeName} to be string`];
  const values = (args.values as string[]) ?? [];
  const ok = args.ignore_case ? values.some((v) => v.toLowerCase() === s.toLowerCase()) : values.includes(s);
  if (ok) return [];
  return [`expected ${displayName(attributeName, args)} to be one of [${values.map(goQuote).join(' ')}], got ${s}`];
};

/** validation.StringLenBetween (Go counts bytes). */
const stringLength: Validator = (value, attributeName, args) => {
  const s = asString(value);
  if (s === undefined) return [`expected type of ${attributeName} to be string`];
  const min = numberArg(args, 'min') ?? 0;
  const max = numberArg(args, 'max') ?? Number.MAX_SAFE_INTEGER;
  const length = byteLength(s);
  if (length < min || length > max) return [`expected length of ${displayName(attributeName, args)} to be in the range (${min} - ${max}), got ${s}`];
  return [];
};

/** validation.StringMatch. */
const regex: Validator = (value, attributeName, args) => {
  const s = asString(value);
  if (s === undefined) return [`expected type of ${attributeName} to be string`];
  const pattern = String(args.pattern);
  if (goRegExp(pattern).test(s)) return [];
  const message = typeof args.message === 'string' ? args.message : '';
  const name = displayName(attributeName, args);
  return [message ? `invalid value for ${name} (${message})` : `expected value of ${name} to match regular expression ${goQuote(pattern)}, got ${s}`];
};

/** validation.StringDoesNotMatch. */
const regexNot: Validator = (value, attributeName, args) => {
  const s = asString(value);
  if (s === undefined) return [`expected type of ${attributeName} to be string`];
  const pattern = String(args.pattern);
  if (!goRegExp(pattern).test(s)) return [];
  const message = typeof args.message === 'string' ? args.message : '';
  const name = displayName(attributeName, args);
  return [message ? `invalid value for ${name} (${message})` : `expected value of ${name} to not match regular expression ${goQuote(pattern)}, got ${s}`];
};

/** SDKv2's own check on a TypeInt attribute. */
const wholeNumber: Validator = (value) => {
  if (!(value instanceof CtyNumber)) return [];
  return value.isInteger() ? [] : [`Attribute must be a whole number, got ${value.text}`];
};

/** validation.IntBetween. Non-integers are left to whole_number, as SDKv2 stops at that check. */
const intBetween: Validator = (value, attributeName, args) => {
  if (!(value instanceof CtyNumber)) return [`expected type of ${attributeName} to be integer`];
  if (!value.isInteger()) return [];
  const min = numberArg(args, 'min') ?? Number.MIN_SAFE_INTEGER;
  const max = numberArg(args, 'max') ?? Number.MAX_SAFE_INTEGER;
  const n = BigInt(value.text);
  if (n < BigInt(min) || n > BigInt(max)) return [`expected ${displayName(attributeName, args)} to be in the range (${min} - ${max}), got ${value.text}`];
  return [];
};

/** validation.IntAtLeast. Non-integers are left to whole_number. */
const intAtLeast: Validator = (value, attributeName, args) => {
  if (!(value instanceof CtyNumber)) return [`expected type of ${attributeName} to be integer`];
  if (!value.isInteger()) return [];
  const min = numberArg(args, 'min') ?? 0;
  if (BigInt(value.text) < BigInt(min)) return [`expected ${displayName(attributeName, args)} to be at least (${min}), got ${value.text}`];
  return [];
};

/** validation.IntInSlice: `%v` of the allowed values, `%d` of the value. */
const intInSlice: Validator = (value, attributeName, args) => {
  if (!(value instanceof CtyNumber)) return [`expected type of ${attributeName} to be an integer`];
  if (!value.isInteger()) return [];
  const values = (args.values as number[]) ?? [];
  if (values.some((v) => BigInt(v) === BigInt(value.text))) return [];
  return [`expected ${displayName(attributeName, args)} to be one of [${values.join(' ')}], got ${value.text}`];
};

/** validation.FloatAtLeast: both numbers as Go's %f prints them (six decimals). */
const floatAtLeast: Validator = (value, attributeName, args) => {
  if (!(value instanceof CtyNumber)) return [`expected type of ${attributeName} to be float64`];
  const min = numberArg(args, 'min') ?? 0;
  const n = value.toNumber();
  if (n < min) return [`expected ${displayName(attributeName, args)} to be at least (${min.toFixed(6)}), got ${n.toFixed(6)}`];
  return [];
};

/** SDKv2 MinItems/MaxItems on a collection attribute (checked by the SDK, not by Terraform core). */
const sizeBetween: DetailedValidator = (value, attributeName, args) => {
  const size = Array.isArray(value) ? value.length : value !== null && isObject(value) ? Object.keys(value).length : undefined;
  if (size === undefined) return [];
  const min = numberArg(args, 'min');
  const max = numberArg(args, 'max');
  if (min !== undefined && size < min) {
    return [{ summary: 'Not enough list items', detail: `Attribute ${attributeName} requires ${min} item minimum, but config has only ${size} declared.` }];
  }
  if (max !== undefined && size > max) {
    return [{ summary: 'Too many list items', detail: `Attribute ${attributeName} supports ${max} item maximum, but config has ${size} declared.` }];
  }
  return [];
};

/**
 * validation.StringIsJSON: structure.NormalizeJsonString, i.e. json.Unmarshal, whose errors include numbers
 * beyond float64. An empty string passes: the normaliser accepts it.
 */
const jsonString: Validator = (value, attributeName) => {
  const s = asString(value);
  if (s === undefined) return [`expected type of ${attributeName} to be string`];
  if (s === '') return [];
  const error = goJsonUnmarshalError(s);
  return error ? [`${goQuote(attributeName)} contains an invalid JSON: ${error.message}`] : [];
};

/** validation.StringIsNotEmpty. */
const notEmpty: Validator = (value, attributeName) => {
  const s = asString(value);
  if (s === undefined) return [`expected type of ${goQuote(attributeName)} to be string`];
  return s === '' ? [`expected ${goQuote(attributeName)} to not be an empty string, got ${s}`] : [];
};

/** validation.StringIsEmpty. */
const emptyString: Validator = (value, attributeName) => {
  const s = asString(value);
  if (s === undefined) return [`expected type of ${goQuote(attributeName)} to be string`];
  return s === '' ? [] : [`expected ${goQuote(attributeName)} to be an empty string: got ${s}`];
};

/** Applies `validators` to each element of a list, set or map, named `<key>.<index>` as SDKv2 does. */
const elements: DetailedValidator = (value, attributeName, args) => {
  const specs = (args.validators as Array<{ kind: string }>) ?? [];
  const failures: ValidationFailure[] = [];
  const entries: Array<[string, Value]> = Array.isArray(value)
    ? value.map((element, index) => [String(index), element])
    : value !== null && isObject(value)
      ? Object.entries(value)
      : [];
  for (const [key, element] of entries) failures.push(...runValidators(specs, element, `${attributeName}.${key}`));
  return failures;
};

registerValidator('enum', enumValidator);
registerValidator('string_length', stringLength);
registerValidator('regex', regex);
registerValidator('regex_not', regexNot);
registerValidator('whole_number', wholeNumber);
registerValidator('int_between', intBetween);
registerValidator('int_at_least', intAtLeast);
registerValidator('int_in_slice', intInSlice);
registerValidator('float_at_least', floatAtLeast);
registerDetailedValidator('size_between', sizeBetween);
registerValidator('json_string', jsonString);
registerValidator('not_empty', notEmpty);
registerValidator('empty_string', emptyString);
registerDetailedValidator('elements', elements);
