// What IAM checks in a request and how it answers: its patterns and quotas, names, descriptions, policy documents,
// tags, paging, and the ids and timestamps it hands out.
import { randomBytes } from 'node:crypto';
import { AwsError } from '../errors';
import type { QueryParams } from '../query';
import type { Tag } from '../state';
import { Violations } from '../validation';
import type { XmlValue } from '../xml';

export type Result = Record<string, XmlValue> | undefined;

export const NAME_PATTERN = /^[\w+=,.@-]+$/;
export const PATH_PATTERN = /^(?:\u002F|\u002F[\u0021-\u007E]+\u002F)$/;
const POLICY_TEXT_PATTERN = /^[\u0009\u000A\u000D\u0020-\u00FF]+$/;
const DESCRIPTION_PATTERN = /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/;
const TAG_KEY_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
export const POLICY_ARN_PATTERN = /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/(?:[\u0021-\u007E]+\/)?([\w+=,.@-]+)$/;
export const MAX_TAGS = 50;
export const MAX_ATTACHED_POLICIES = 10;
export const MAX_INLINE_POLICY_BYTES = 10240;
export const MAX_MANAGED_POLICY_CHARS = 6144;
export const MAX_POLICY_VERSIONS = 5;

export const noSuchRole = (name: string) => new AwsError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);
export const validationError = (message: string) => new AwsError('ValidationError', message, 400);
const malformedPolicy = (message: string) => new AwsError('MalformedPolicyDocument', message, 400);

export function noSuchPolicy(name: string): AwsError {
  return new AwsError('NoSuchEntity', `The role policy with name ${name} cannot be found.`, 404);
}

export function policyName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

export function policyPath(arn: string): string {
  const resource = arn.slice(arn.indexOf(':policy') + ':policy'.length);
  return resource.slice(0, resource.lastIndexOf('/') + 1);
}

export function checkRoleName(v: Violations, name: string | undefined): void {
  if (!v.required(name, 'roleName')) return;
  v.length(name, 'roleName', 1, 64);
  v.pattern(name, 'roleName', NAME_PATTERN, '[\\w+=,.@-]+');
}

export function checkDescription(v: Violations, description: string | undefined): void {
  v.length(description, 'description', 0, 1000);
  v.pattern(description, 'description', DESCRIPTION_PATTERN, '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*');
}

export function checkPolicy(document: string | undefined, path: string, trustPolicy: boolean): string {
  const v = new Violations();
  if (v.required(document, path)) {
    v.length(document, path, 1, 131072);
    v.pattern(document, path, POLICY_TEXT_PATTERN, '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+');
  }
  v.throwIfAny('ValidationError');
  let parsed: unknown;
  try {
    parsed = JSON.parse(document!);
  } catch {
    throw malformedPolicy('This policy contains invalid Json');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw malformedPolicy('Syntax errors in policy.');
  const statements = (parsed as { Statement?: unknown }).Statement;
  const list = Array.isArray(statements) ? statements : [statements];
  if (statements === undefined || list.some((s) => typeof s !== 'object' || s === null || Array.isArray(s))) {
    throw malformedPolicy('Syntax errors in policy.');
  }
  for (const statement of list as Record<string, unknown>[]) {
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') throw malformedPolicy('Syntax errors in policy.');
    if (trustPolicy && statement.Principal === undefined && statement.NotPrincipal === undefined) {
      throw malformedPolicy('Missing required field Principal');
    }
    if (trustPolicy && statement.Resource !== undefined) throw malformedPolicy('Has prohibited field Resource');
  }
  return encodeURIComponent(document!);
}

export function checkTags(v: Violations, tags: { Key: string | undefined; Value: string | undefined }[] | undefined): Tag[] {
  if (!tags) return [];
  tags.forEach((tag, index) => {
    const at = `tags.${index + 1}.member`;
    if (v.required(tag.Key, `${at}.key`)) {
      v.length(tag.Key, `${at}.key`, 1, 128);
      v.pattern(tag.Key, `${at}.key`, TAG_KEY_PATTERN, '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+');
    }
    if (v.required(tag.Value, `${at}.value`)) {
      v.length(tag.Value, `${at}.value`, 0, 256);
      v.pattern(tag.Value, `${at}.value`, TAG_VALUE_PATTERN, '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*');
    }
  });
  return tags as Tag[];
}

/** IAM tag keys are unique regardless of case; a new value for an existing key replaces it, under the newly given spelling. */
export function mergeTags(existing: Tag[], added: Tag[], quota = 'TagsPerRole'): Tag[] {
  const lowered = new Set<string>();
  for (const tag of added) {
    const key = tag.Key.toLowerCase();
    if (lowered.has(key)) throw new AwsError('InvalidInput', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.', 400);
    lowered.add(key);
  }
  if (added.some((tag) => tag.Key.toLowerCase().startsWith('aws:'))) {
    throw new AwsError('InvalidInput', "User-defined tag keys can't start with 'aws:'. This prefix is reserved for AWS tags.", 400);
  }
  const merged = existing.filter((tag) => !lowered.has(tag.Key.toLowerCase()));
  merged.push(...added.map((tag) => ({ Key: tag.Key, Value: tag.Value })));
  if (merged.length > MAX_TAGS) throw new AwsError('LimitExceeded', `Cannot exceed quota for ${quota}: ${MAX_TAGS}.`, 409);
  return merged;
}

export function uniqueId(prefix: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = randomBytes(17);
  let id = prefix;
  for (const byte of bytes) id += alphabet[byte % alphabet.length];
  return id;
}

/** IAM's timestamps: ISO 8601 to the second. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function checkTagRequest(params: QueryParams): Tag[] {
  const v = new Violations();
  const given = params.tags('Tags');
  if (v.required(given, 'tags')) v.length(given, 'tags', 0, MAX_TAGS);
  const tags = checkTags(v, given);
  v.throwIfAny('ValidationError');
  return tags;
}

/** The TagKeys of an UntagRole or UntagPolicy request, lower-cased (IAM tag keys ignore case). */
export function checkUntagRequest(params: QueryParams): Set<string> {
  const v = new Violations();
  const keys = params.list('TagKeys');
  if (v.required(keys, 'tagKeys')) v.length(keys, 'tagKeys', 0, MAX_TAGS);
  v.throwIfAny('ValidationError');
  return new Set(keys!.map((key) => key.toLowerCase()));
}

export function checkPolicyName(params: QueryParams): string {
  const v = new Violations();
  const name = params.string('PolicyName');
  if (v.required(name, 'policyName')) {
    v.length(name, 'policyName', 1, 128);
    v.pattern(name, 'policyName', NAME_PATTERN, '[\\w+=,.@-]+');
  }
  v.throwIfAny('ValidationError');
  return name!;
}

export function checkPolicyArn(params: QueryParams): string {
  const v = new Violations();
  const arn = params.string('PolicyArn');
  if (v.required(arn, 'policyArn')) v.length(arn, 'policyArn', 20, 2048);
  v.throwIfAny('ValidationError');
  if (!POLICY_ARN_PATTERN.test(arn!)) throw new AwsError('InvalidInput', `ARN ${arn!} is not valid.`, 400);
  return arn!;
}

interface Page<T> {
  items: T[];
  truncated: boolean;
  marker?: string;
}

/** IAM paging: MaxItems (1..1000, default 100) and an opaque Marker naming the last item returned. */
export function paginate<T>(params: QueryParams, items: T[], keyOf: (item: T) => string): Page<T> {
  const v = new Violations();
  const maxItems = params.integer('MaxItems');
  v.range(maxItems, 'maxItems', 1, 1000);
  const marker = params.string('Marker');
  v.length(marker, 'marker', 1, 320);
  v.throwIfAny('ValidationError');
  if (Number.isNaN(maxItems)) throw validationError('MaxItems must be an integer.');
  let start = 0;
  if (marker !== undefined) {
    let last: string;
    try {
      last = Buffer.from(marker, 'base64url').toString('utf8');
    } catch {
      throw validationError('Invalid Marker.');
    }
    const index = items.findIndex((item) => keyOf(item) === last);
    start = index < 0 ? items.length : index + 1;
  }
  const limit = maxItems ?? 100;
  const slice = items.slice(start, start + limit);
  const truncated = start + limit < items.length;
  return {
    items: slice,
    truncated,
    marker: truncated ? Buffer.from(keyOf(slice[slice.length - 1])).toString('base64url') : undefined,
  };
}
