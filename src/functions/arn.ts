// hashicorp/aws's three provider functions, which are pure: ARNs taken apart and put together exactly as the
// AWS SDK for Go v2's arn package does (its error texts included), so they never need the upstream provider.

export interface ArnParts {
  partition: string;
  service: string;
  region: string;
  account_id: string;
  resource: string;
}

/** arn.Parse: "arn:" then five ':'-separated sections, the last one taking the rest (colons included). */
export function parseArn(text: string): ArnParts | Error {
  if (!text.startsWith('arn:')) return new Error('arn: invalid prefix');
  const sections = splitN(text, ':', 6);
  if (sections.length !== 6) return new Error('arn: not enough sections');
  const [, partition, service, region, account_id, resource] = sections as [string, string, string, string, string, string];
  return { partition, service, region, account_id, resource };
}

/** arn.ARN.String(): no validation at all. */
export function buildArn(parts: ArnParts): string {
  return `arn:${parts.partition}:${parts.service}:${parts.region}:${parts.account_id}:${parts.resource}`;
}

/** An IAM role ARN without the role's path: arn:aws:iam::123456789012:role/a/b/name -> ...:role/name. */
export function trimIamRolePath(text: string): string | Error {
  const arn = parseArn(text);
  if (arn instanceof Error) return arn;
  if (arn.service !== 'iam') return new Error('service must be "iam"');
  if (arn.region !== '') return new Error('region must be empty');
  if (!arn.resource.startsWith('role/')) return new Error('resource must begin with "role/"');
  const segments = arn.resource.split('/');
  return buildArn({ ...arn, resource: `role/${segments[segments.length - 1]}` });
}

/** Go's strings.SplitN for n > 0: at most n parts, the last one unsplit. */
function splitN(text: string, separator: string, n: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (parts.length < n - 1) {
    const at = rest.indexOf(separator);
    if (at < 0) break;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + separator.length);
  }
  parts.push(rest);
  return parts;
}
