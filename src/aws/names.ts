// Names Terraform generates for resources whose name is omitted, as the SDK's id.PrefixedUniqueId():
// the prefix ("terraform-" by default) + UTC yyyymmddhhmmss + 4 digits of fractional seconds + an 8-hex-digit
// counter, and how hashicorp/aws chooses between a configured name, a prefix and the default (create.Name).
let counter = 0;

const DEFAULT_NAME_PREFIX = 'terraform-';
/** The length of what a generated name appends to its prefix. */
export const UNIQUE_ID_SUFFIX_LENGTH = 26;

export function uniqueId(prefix = DEFAULT_NAME_PREFIX, now: Date = new Date()): string {
  counter += 1;
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const timestamp =
    `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}` +
    `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}` +
    `${pad(now.getUTCMilliseconds() * 10, 4)}`;
  return `${prefix}${timestamp}${counter.toString(16).padStart(8, '0')}`;
}

/** create.Name: the configured name, else a unique name with the configured prefix, else with "terraform-". */
export function resourceName(name: string | undefined, prefix?: string): string {
  if (name) return name;
  return uniqueId(prefix || DEFAULT_NAME_PREFIX);
}

const UNIQUE_SUFFIX = new RegExp(`[0-9A-Fa-f]{${UNIQUE_ID_SUFFIX_LENGTH}}$`);

/** create.NamePrefixFromName: the prefix of a name that ends like a generated one, else undefined. */
export function namePrefixFromName(name: string): string | undefined {
  if (!UNIQUE_SUFFIX.test(name) || name.length <= UNIQUE_ID_SUFFIX_LENGTH) return undefined;
  return name.slice(0, -UNIQUE_ID_SUFFIX_LENGTH);
}
