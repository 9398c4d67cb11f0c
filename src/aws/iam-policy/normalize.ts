// The forms in which hashicorp/aws stores policies: structure.NormalizeJsonString (compact, keys sorted),
// verify.LegacyPolicyNormalize (the same with "Version" first), and IAM's URL-encoded documents decoded.

import { goJsonMarshal, goJsonParse } from '../../values/go-json';
import { goQuote } from '../../engine/validators';

/**
 * terraform-plugin-sdk's structure.NormalizeJsonString, the StateFunc of assume_role_policy:
 * "" stays "", anything else is re-marshalled compactly by Go (keys sorted, HTML-escaped, numbers as
 * float64). Invalid JSON is returned unchanged, as the StateFunc ignores the error.
 */
export function normalizePolicyJson(policy: string): string {
  // "" needs no case of its own: it is no JSON, and is returned as it is.
  try {
    return goJsonMarshal(goJsonParse(policy));
  } catch {
    return policy;
  }
}

/**
 * verify.LegacyPolicyNormalize, the StateFunc of aws_iam_role's inline policies: normalised as above, then a
 * "Version": "2012-10-17" member moved to the front. Invalid JSON is returned unchanged.
 */
export function legacyPolicyNormalize(policy: string): string {
  if (!isValidJson(policy)) return policy; // "" included
  const moved = normalizePolicyJson(policy).replace(
    /^(\{\n?)([\s\S]*?)(,\s*)?( {2})?("Version":\s*"2012-10-17")(,)?(\n)?([\s\S]*?)(\})/,
    '$1$4$5$3$2$6$7$8$9',
  );
  return isValidJson(moved) ? moved : policy;
}

function isValidJson(text: string): boolean {
  try {
    goJsonParse(text);
    return true;
  } catch {
    return false;
  }
}

/** Go's url.QueryUnescape (IAM returns policy documents URL-encoded). Throws on a malformed escape. */
export function goQueryUnescape(s: string): string {
  const bytes: number[] = [];
  const raw = new TextEncoder().encode(s);
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === 0x25) {
      // Past the end a byte is undefined, which String.fromCharCode makes a NUL: no hex digit.
      const hex = String.fromCharCode(raw[i + 1], raw[i + 2]);
      if (!/[0-9a-fA-F]{2}/.test(hex)) {
        throw new Error(`invalid URL escape ${goQuote(new TextDecoder().decode(raw.subarray(i, i + 3)))}`);
      }
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c === 0x2b) bytes.push(0x20);
    else bytes.push(c);
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
