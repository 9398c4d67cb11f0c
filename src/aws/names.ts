// Names Terraform generates for resources whose name is omitted, as the SDK's id.UniqueId():
// "terraform-" + UTC yyyymmddhhmmss + 4 digits of fractional seconds + an 8-hex-digit counter.
let counter = 0;

export function uniqueId(prefix = 'terraform-', now: Date = new Date()): string {
  counter += 1;
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const timestamp =
    `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}` +
    `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}` +
    `${pad(now.getUTCMilliseconds() * 10, 4)}`;
  return `${prefix}${timestamp}${counter.toString(16).padStart(8, '0')}`;
}
