// The AWS validator kinds used in provider-schema/, with hashicorp/aws's exact messages (checked against
// `terraform validate` with the real 5.100.0 provider where the two agree; see test/engine/validators.test.ts).
// extensions.ts registers them into the engine's registry.
import { DynamicValue, isObject, type Value } from '../values/value';
import { byteLength, getValidator, goQuote, type Validator } from '../engine/validators';
import { goJsonMarshal, goJsonParse } from '../values/go-json';
import { policyJsonErrors } from './iam-policy/validation';
import { UNIQUE_ID_SUFFIX_LENGTH } from './names';

function asString(value: Value): string | undefined {
  if (value instanceof DynamicValue) return asString(value.value);
  return typeof value === 'string' ? value : undefined;
}

function typeError(attributeName: string): string[] {
  return [`expected type of ${attributeName} to be string`];
}

/** Several validators in a row, every failure reported (SDKv2 validation.All). */
function all(...specs: Array<Record<string, unknown> & { kind: string }>): Validator {
  return (value, attributeName) =>
    specs.flatMap((spec) => {
      const validator = getValidator(spec.kind);
      if (!validator) throw new Error(`unknown validator kind "${spec.kind}"`);
      return validator(value, attributeName, spec);
    });
}

// ---- ARN (internal/verify ValidARN as served by hashicorp/aws) ----

const ARN_PARTITION_PATTERN = '^aws(-[a-z]+)*$';
const ARN_REGION_PATTERN = '^[a-z]{2}(-[a-z]+)+-\\d{1,2}$';
const ARN_ACCOUNT_ID_PATTERN = '^(aws|aws-managed|third-party|aws-marketplace|\\d{12}|cw.{10})$';

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

/** The AWS SDK's arn.Parse: an error text, or the six sections (the resource keeps its colons). */
export function parseArn(text: string): ParsedArn | string {
  if (!text.startsWith('arn:')) return 'arn: invalid prefix';
  const sections = text.split(':');
  if (sections.length < 6) return 'arn: not enough sections';
  const [, partition, service, region, accountId] = sections;
  return { partition, service, region, accountId, resource: sections.slice(5).join(':') };
}

const arn: Validator = (value, attributeName) => {
  const s = asString(value);
  if (s === undefined) return typeError(attributeName);
  if (s === '') return [];
  const prefix = `${goQuote(attributeName)} (${s}) is an invalid ARN`;
  const parsed = parseArn(s);
  if (typeof parsed === 'string') return [`${prefix}: ${parsed}`];
  const errors: string[] = [];
  if (parsed.partition === '') errors.push(`${prefix}: missing partition value`);
  else if (!new RegExp(ARN_PARTITION_PATTERN).test(parsed.partition))
    errors.push(`${prefix}: invalid partition value (expecting to match regular expression: ${ARN_PARTITION_PATTERN})`);
  if (parsed.region !== '' && !new RegExp(ARN_REGION_PATTERN).test(parsed.region)) errors.push(`${prefix}: invalid region value`);
  if (parsed.accountId !== '' && !new RegExp(ARN_ACCOUNT_ID_PATTERN).test(parsed.accountId))
    errors.push(`${prefix}: invalid account ID value (expecting to match regular expression: ${ARN_ACCOUNT_ID_PATTERN})`);
  if (parsed.resource === '') errors.push(`${prefix}: missing resource value`);
  return errors;
};

// ---- SageMaker (internal/service/sagemaker/validate.go) ----

/** Model names, container host names, inference specification names. */
const sagemakerName: Validator = (value, attributeName) => {
  const s = asString(value);
  if (s === undefined) return typeError(attributeName);
  const errors: string[] = [];
  const k = goQuote(attributeName);
  if (!/^[0-9A-Za-z-]+$/.test(s)) errors.push(`only alphanumeric characters and hyphens allowed in ${k}: ${goQuote(s)}`);
  if (byteLength(s) > 63) errors.push(`${k} cannot be longer than 63 characters: ${goQuote(s)}`);
  if (s.startsWith('-')) errors.push(`${k} cannot begin with a hyphen: ${goQuote(s)}`);
  return errors;
};

/** A prefix of generated SageMaker names: as a name, but short enough for the 26 characters appended to it. */
const sagemakerNamePrefix: Validator = (value, attributeName) => {
  const s = asString(value);
  if (s === undefined) return typeError(attributeName);
  const errors: string[] = [];
  const k = goQuote(attributeName);
  const maxLength = 63 - UNIQUE_ID_SUFFIX_LENGTH;
  if (!/^[0-9A-Za-z-]+$/.test(s)) errors.push(`only alphanumeric characters and hyphens allowed in ${k}: ${goQuote(s)}`);
  if (byteLength(s) > maxLength) errors.push(`${k} cannot be longer than ${maxLength} characters: ${goQuote(s)}`);
  if (s.startsWith('-')) errors.push(`${k} cannot begin with a hyphen: ${goQuote(s)}`);
  return errors;
};

/** The pattern is unanchored, so only an all-whitespace (or empty) image fails it. */
const sagemakerImage: Validator = (value, attributeName) => {
  const s = asString(value);
  if (s === undefined) return typeError(attributeName);
  const errors: string[] = [];
  const k = goQuote(attributeName);
  if (!/\S+/.test(s)) errors.push(`no whitespace allowed in ${k}: ${goQuote(s)}`);
  if (byteLength(s) > 255) errors.push(`${k} cannot be longer than 255 characters: ${goQuote(s)}`);
  return errors;
};

const sagemakerEnvironment: Validator = (value, attributeName) => {
  if (value === null || !isObject(value)) return [];
  const errors: string[] = [];
  const k = goQuote(attributeName);
  // Go ranges over a map in random order; sorted keys keep our output stable.
  for (const key of Object.keys(value).sort()) {
    const entry = asString(value[key]);
    if (!/^[0-9A-Za-z_]+$/.test(key)) errors.push(`only alphanumeric characters and underscore allowed in ${k}: ${goQuote(key)}`);
    if (byteLength(key) > 1024) errors.push(`${k} cannot be longer than 1024 characters: ${goQuote(key)}`);
    if (entry !== undefined && byteLength(entry) > 1024) errors.push(`${k} cannot be longer than 1024 characters: ${goQuote(entry)}`);
    if (/^[0-9]/.test(key)) errors.push(`${k} cannot begin with a digit: ${goQuote(key)}`);
  }
  return errors;
};

// ---- Regions ----

const awsRegion: Validator = (value, attributeName) => {
  const s = asString(value);
  if (s === undefined) return typeError(attributeName);
  if (s === '' || new RegExp(ARN_REGION_PATTERN).test(s)) return [];
  return [`${goQuote(attributeName)} region name is malformed(${goQuote(ARN_REGION_PATTERN)}): ${goQuote(s)}`];
};

// ---- IAM policies ----

/**
 * verify.ValidIAMPolicyJSON as hashicorp/aws 5.100.0 behaves: leading whitespace is tolerated, the document
 * must be a JSON object with valid syntax and no duplicate keys. `max_length` (optional) caps the
 * normalised (compact) size.
 */
const iamPolicyJson: Validator = (value, attributeName, args) => {
  const raw = asString(value);
  if (raw === undefined) return typeError(attributeName);
  // The same checks, texts and byte offsets as the policy documents hashicorp/aws was recorded with.
  const errors = policyJsonErrors(raw, attributeName);
  if (errors.length > 0) return errors;
  const maxLength = typeof args.max_length === 'number' ? args.max_length : undefined;
  if (maxLength !== undefined) {
    // structure.NormalizeJsonString: Go's compact json.Marshal (sorted keys, HTML-escaped).
    const normalised = byteLength(goJsonMarshal(goJsonParse(raw)));
    if (normalised > maxLength) return [`Cannot exceed quota for PolicySize: ${maxLength} (actual: ${normalised})`];
  }
  return [];
};

// ---- IAM roles (internal/service/iam) ----

const IAM_NAME_PATTERN = { kind: 'regex', pattern: '^[\\w+=,.@-]*$', message: 'must match [\\w+=,.@-]' };
const iamRoleName = all({ kind: 'string_length', min: 1, max: 64 }, IAM_NAME_PATTERN);
// 64 minus the 26 characters of a generated suffix.
const iamRoleNamePrefix = all({ kind: 'string_length', min: 1, max: 38 }, IAM_NAME_PATTERN);
const iamRolePolicyName = all({ kind: 'string_length', min: 1, max: 128 }, IAM_NAME_PATTERN);
// hashicorp/aws also applies an unanchored `[\p{L}...]*` pattern, which every string matches.
const iamRoleDescription = all(
  { kind: 'string_length', min: 0, max: 1000 },
  { kind: 'regex_not', pattern: '[“‘]', message: 'cannot contain specially formatted single or double quotes: [“‘]' },
);
const iamRolePath = all({ kind: 'string_length', min: 0, max: 512 });
/** The alphanumeric Sid rule of hashicorp/aws 5.82-5.83 (reverted since); not used by our schemas. */
const iamPolicySid = all({ kind: 'regex', pattern: '^[a-zA-Z0-9]*$', message: 'must only include alphanumeric characters' });

// ---- Provider assume_role ----

const DURATION_UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  'µs': 1000n, // U+00B5
  'μs': 1000n, // U+03BC
  ms: 1000000n,
  s: 1000000000n,
  m: 60n * 1000000000n,
  h: 3600n * 1000000000n,
};
const MAX_DURATION = 1n << 63n;

/** The quoting of Go's time package (non-ASCII bytes as \x escapes). */
function timeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x80 || cp < 0x20) for (const b of Buffer.from(ch, 'utf8')) out += '\\x' + b.toString(16).padStart(2, '0');
    else out += ch === '"' || ch === '\\' ? '\\' + ch : ch;
  }
  return out + '"';
}

/** Go's time.ParseDuration: nanoseconds, or the error text. */
export function parseGoDuration(text: string): bigint | string {
  const invalid = `time: invalid duration ${timeQuote(text)}`;
  let s = text;
  let negative = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return invalid;
  let total = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || (s[0] >= '0' && s[0] <= '9'))) return invalid;
    const intMatch = /^[0-9]*/.exec(s)![0];
    s = s.slice(intMatch.length);
    let whole = intMatch === '' ? 0n : BigInt(intMatch);
    if (whole > MAX_DURATION) return invalid;
    let fraction = '';
    let hasFraction = false;
    if (s[0] === '.') {
      s = s.slice(1);
      fraction = /^[0-9]*/.exec(s)![0];
      s = s.slice(fraction.length);
      hasFraction = fraction !== '';
    }
    if (intMatch === '' && !hasFraction) return invalid;
    const unitMatch = /^[^0-9.]*/.exec(s)![0];
    if (unitMatch === '') return `time: missing unit in duration ${timeQuote(text)}`;
    s = s.slice(unitMatch.length);
    const unit = DURATION_UNITS[unitMatch];
    if (unit === undefined) return `time: unknown unit ${timeQuote(unitMatch)} in duration ${timeQuote(text)}`;
    if (whole > MAX_DURATION / unit) return invalid;
    whole *= unit;
    if (hasFraction) whole += BigInt(Math.floor(Number('0.' + fraction) * Number(unit)));
    if (whole > MAX_DURATION) return invalid;
    total += whole;
    if (total > MAX_DURATION) return invalid;
  }
  if (!negative && total > MAX_DURATION - 1n) return invalid;
  return negative ? -total : total;
}

const assumeRoleDuration: Validator = (value, attributeName) => {
  const s = asString(value);
  if (s === undefined) return typeError(attributeName);
  const parsed = parseGoDuration(s);
  if (typeof parsed === 'string') return [`${goQuote(attributeName)} cannot be parsed as a duration: ${parsed}`];
  const minute = 60n * 1000000000n;
  // Go compares float minutes/hours; exact nanoseconds give the same answer at these bounds.
  if (parsed < 15n * minute || parsed > 12n * 60n * minute) {
    return [`duration ${goQuote(attributeName)} must be between 15 minutes (15m) and 12 hours (12h), inclusive`];
  }
  return [];
};

// Both also carry an unanchored pattern that every string matches.
const assumeRoleSessionName = all({ kind: 'string_length', min: 2, max: 64 });
const assumeRoleSourceIdentity = all({ kind: 'string_length', min: 2, max: 64 });

/** A boolean written as a string ("nullable bool"): empty, or anything Go's strconv.ParseBool accepts. */
const GO_BOOLEANS = ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'];
const nullableBool: Validator = (value, attributeName) => {
  const s = asString(value);
  if (s === undefined) return typeError(attributeName);
  if (s === '' || GO_BOOLEANS.includes(s)) return [];
  return [`${attributeName}: cannot parse '${s}' as boolean: strconv.ParseBool: parsing ${goQuote(s)}: invalid syntax`];
};

/** The AWS validator kinds provider-schema/ names, registered into the engine by extensions.ts. */
export const AWS_VALIDATORS: Record<string, Validator> = {
  arn,
  sagemaker_name: sagemakerName,
  sagemaker_name_prefix: sagemakerNamePrefix,
  sagemaker_image: sagemakerImage,
  sagemaker_environment: sagemakerEnvironment,
  https_or_s3_uri: all(
    { kind: 'regex', pattern: '^(https|s3)://([^/]+)/?(.*)$', message: 'must be HTTPS or Amazon S3 URI' },
    { kind: 'string_length', min: 0, max: 1024 },
  ),
  aws_region: awsRegion,
  iam_policy_json: iamPolicyJson,
  iam_role_name: iamRoleName,
  iam_role_name_prefix: iamRoleNamePrefix,
  iam_role_policy_name: iamRolePolicyName,
  iam_role_description: iamRoleDescription,
  iam_role_path: iamRolePath,
  iam_policy_sid: iamPolicySid,
  assume_role_duration: assumeRoleDuration,
  assume_role_session_name: assumeRoleSessionName,
  assume_role_source_identity: assumeRoleSourceIdentity,
  nullable_bool: nullableBool,
};
