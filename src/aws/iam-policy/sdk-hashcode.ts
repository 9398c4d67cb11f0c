// terraform-plugin-sdk's hashcode.String (the CRC-32 of a text) and the order schema.Set.List() yields a set's
// elements in, which decides the order of principals and conditions in hashicorp/aws's policy documents.

import { compareGoStrings } from '../../values/go-json';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3 polynomial) of the UTF-8 bytes of `text`, as an unsigned integer. */
export function crc32(text: string): number {
  let c = 0xffffffff;
  for (const b of new TextEncoder().encode(text)) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** terraform-plugin-sdk's hashcode.String on a 64-bit build: the CRC-32, always non-negative. */
export function sdkHashcode(text: string): number {
  return crc32(text);
}

/**
 * The order in which terraform-plugin-sdk's schema.Set.List() yields elements: by the decimal
 * string of each element's hash code, compared as strings.
 */
export function sdkSetOrder<T>(items: T[], serialize: (item: T) => string): T[] {
  return items
    .map((item) => ({ item, key: String(sdkHashcode(serialize(item))) }))
    .sort((a, b) => compareGoStrings(a.key, b.key))
    .map((e) => e.item);
}

export function dedupe(items: string[]): string[] {
  return [...new Set(items)];
}
