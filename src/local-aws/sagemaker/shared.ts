// What the SageMaker resources share: name and tag rules, ARNs, and the paging and sorting of the List operations.
import type { Backend, RequestContext } from '../context';
import { sageMakerValidation } from '../errors';
import type { Tag } from '../state';
import { type Shape, Violations } from '../validation';

export type Input = Record<string, unknown>;
export type Output = Record<string, unknown>;
export type Handler = (backend: Backend, ctx: RequestContext, input: Input) => Output;
/** Where a resource lives: its ARN and its key in the state. */
export type Where = { account: string; region: string };

const NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const NAME_PATTERN_TEXT = '^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}';
const NAME_CONTAINS_PATTERN = /^[a-zA-Z0-9-]+$/;
const TAG_PATTERN = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;
const TAG_PATTERN_TEXT = '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$';
export const MAX_TAGS = 50;
// The API model words some name patterns without the length bound; the bound is checked all the same (63).
export const UNBOUNDED_NAME_PATTERN_TEXT = '^[a-zA-Z0-9](-*[a-zA-Z0-9])*';
/** The upper bound of a range the API model leaves open. */
export const UNBOUNDED = Number.MAX_SAFE_INTEGER;

export const tagShape: Shape = { struct: { Key: 'string', Value: 'string' } };

/** The members every List operation of these resources takes (each adds its own filters). */
export const listShape = {
  SortBy: 'string',
  SortOrder: 'string',
  NextToken: 'string',
  MaxResults: 'integer',
  NameContains: 'string',
  CreationTimeBefore: 'timestamp',
  CreationTimeAfter: 'timestamp',
} as const satisfies Record<string, Shape>;

/** SageMaker lower-cases the name in the ARN: `arn:aws:sagemaker:<region>:<account>:<type>/<name>`. */
export function sageMakerArn(ctx: Where, type: 'model' | 'endpoint-config' | 'endpoint', name: string): string {
  return `arn:aws:sagemaker:${ctx.region}:${ctx.account}:${type}/${name.toLowerCase()}`;
}

/** A required resource name: at most 63 characters of letters, digits and inner hyphens. */
export function checkName(v: Violations, name: unknown, path: string, patternText = NAME_PATTERN_TEXT): void {
  if (!v.required(name, path)) return;
  v.length(name as string, path, 0, 63);
  v.pattern(name as string, path, NAME_PATTERN, patternText);
}

/** The name a Describe or Delete request gives in `member`, checked as the API does (`path` in its messages). */
export function requestedName(input: Input, member: string, path: string, patternText = NAME_PATTERN_TEXT): string {
  const v = new Violations();
  checkName(v, input[member], path, patternText);
  v.throwIfAny('ValidationException');
  return input[member] as string;
}

export function checkTags(v: Violations, tags: Tag[] | undefined, path: string): void {
  if (!tags) return;
  v.length(tags, path, 0, MAX_TAGS);
  tags.forEach((tag, index) => {
    const at = `${path}.${index + 1}.member`;
    if (v.required(tag.Key, `${at}.key`)) {
      v.length(tag.Key, `${at}.key`, 1, 128);
      v.pattern(tag.Key, `${at}.key`, TAG_PATTERN, TAG_PATTERN_TEXT);
    }
    if (v.required(tag.Value, `${at}.value`)) {
      v.length(tag.Value, `${at}.value`, 0, 256);
      v.pattern(tag.Value, `${at}.value`, TAG_PATTERN, TAG_PATTERN_TEXT);
    }
  });
}

export function checkTagKeys(v: Violations, keys: string[] | undefined, path: string): void {
  if (!v.required(keys, path)) return;
  v.length(keys, path, 1, 50);
  keys!.forEach((key, index) => {
    v.length(key, `${path}.${index + 1}.member`, 1, 128);
    v.pattern(key, `${path}.${index + 1}.member`, TAG_PATTERN, TAG_PATTERN_TEXT);
  });
}

export function rejectReservedTagKeys(keys: string[]): void {
  const reserved = keys.find((key) => key.toLowerCase().startsWith('aws:'));
  if (reserved !== undefined) {
    throw sageMakerValidation(`Tag keys beginning with 'aws:' are reserved for system use: ${reserved}`);
  }
}

/** Adds or overwrites tags by key, keeping the order in which keys were first added. */
export function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const byKey = new Map(existing.map((tag) => [tag.Key, tag.Value]));
  for (const tag of added) byKey.set(tag.Key, tag.Value);
  return [...byKey].map(([Key, Value]) => ({ Key, Value }));
}

interface PageToken {
  /** Sort value of the last item returned. */
  s: string | number;
  /** Lower-cased name of the last item returned (the tie-breaker). */
  n: string;
}

export function encodeToken(token: PageToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64');
}

export function decodeToken(text: string): PageToken {
  try {
    const token = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as PageToken;
    if (typeof token.n === 'string' && (typeof token.s === 'string' || typeof token.s === 'number')) return token;
  } catch {
    // falls through to the AWS error below
  }
  throw sageMakerValidation('Invalid pagination token.');
}

/** Checks the members of `listShape`; `sortKeys` are the operation's SortBy values. */
export function checkListInput(v: Violations, input: Input, sortKeys: readonly string[], orderKeys: readonly string[]): void {
  v.oneOf(input.SortBy as string | undefined, 'sortBy', sortKeys);
  v.oneOf(input.SortOrder as string | undefined, 'sortOrder', orderKeys);
  v.length(input.NextToken as string | undefined, 'nextToken', 0, 8192);
  v.range(input.MaxResults as number | undefined, 'maxResults', 1, 100);
  const nameContains = input.NameContains as string | undefined;
  v.length(nameContains, 'nameContains', 0, 63);
  v.pattern(nameContains, 'nameContains', NAME_CONTAINS_PATTERN, '[a-zA-Z0-9-]+');
}

export interface Listed {
  account: string;
  region: string;
  name: string;
  creationTime: number;
}

/**
 * One page of a List operation over the caller's resources of one kind: filters by NameContains and creation time,
 * sorts by `sortValue` (default: Name or CreationTime as SortBy says; the name breaks ties, regardless of case), and
 * resumes after the item a NextToken names. MaxResults defaults to 10, as in SageMaker. Returns the operation's
 * output: the page under `key`, mapped by `summary`, and NextToken when more remain.
 */
export function listPage<T extends Listed>(
  items: Iterable<T>,
  ctx: { account: string; region: string },
  input: Input,
  key: string,
  summary: (item: T) => Output,
  sortValue: (item: T) => string | number = (item) => (input.SortBy === 'Name' ? item.name.toLowerCase() : item.creationTime),
): Output {
  const needle = (input.NameContains as string | undefined)?.toLowerCase();
  const before = input.CreationTimeBefore as number | undefined;
  const after = input.CreationTimeAfter as number | undefined;
  const direction = input.SortOrder === 'Ascending' ? 1 : -1;
  const compare = (aValue: string | number, aName: string, bValue: string | number, bName: string): number => {
    const primary = aValue < bValue ? -1 : aValue > bValue ? 1 : 0;
    const secondary = aName < bName ? -1 : aName > bName ? 1 : 0;
    return direction * (primary || secondary);
  };
  const matching = [...items].filter(
    (item) =>
      item.account === ctx.account &&
      item.region === ctx.region &&
      (needle === undefined || item.name.toLowerCase().includes(needle)) &&
      (before === undefined || item.creationTime < before) &&
      (after === undefined || item.creationTime > after),
  );
  matching.sort((a, b) => compare(sortValue(a), a.name.toLowerCase(), sortValue(b), b.name.toLowerCase()));

  const limit = (input.MaxResults as number | undefined) ?? 10;
  let start = 0;
  if (input.NextToken) {
    const token = decodeToken(input.NextToken as string);
    start = matching.findIndex((item) => compare(sortValue(item), item.name.toLowerCase(), token.s, token.n) > 0);
    if (start < 0) start = matching.length;
  }
  const page = matching.slice(start, start + limit);
  const output: Output = { [key]: page.map(summary) };
  if (start + limit < matching.length) {
    const last = page[page.length - 1];
    output.NextToken = encodeToken({ s: sortValue(last), n: last.name.toLowerCase() });
  }
  return output;
}
