// Go's encoding/json writer: json.Marshal of a value decoded into `any` (map keys sorted by their bytes, strings
// HTML-escaped, numbers as float64) and json.Indent, byte for byte. Providers are written in Go, and what they store
// in state is what Go wrote.

import type { GoJson } from './reader';

/** Compares two strings the way Go compares them (UTF-8 bytes, i.e. code points). */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    // A surrogate half encodes a code point above U+FFFF, which sorts after every BMP character.
    if (xs !== ys) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

const HEX = '0123456789abcdef';

/** A string as json.Marshal writes it: HTML-escaped (<, >, &), U+2028 and U+2029 escaped, invalid UTF-16 as U+FFFD. */
export function goJsonQuote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c && c !== 0x3c && c !== 0x3e && c !== 0x26) {
        out += s[i];
        continue;
      }
      switch (c) {
        case 0x22: out += '\\"'; break;
        case 0x5c: out += '\\\\'; break;
        case 0x08: out += '\\b'; break;
        case 0x0c: out += '\\f'; break;
        case 0x0a: out += '\\n'; break;
        case 0x0d: out += '\\r'; break;
        case 0x09: out += '\\t'; break;
        default: out += '\\u00' + HEX[c >> 4] + HEX[c & 0xf];
      }
      continue;
    }
    if (c === 0x2028 || c === 0x2029) {
      out += c === 0x2028 ? '\\u2028' : '\\u2029';
      continue;
    }
    if (c >= 0xd800 && c < 0xdc00) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        out += s[i] + s[i + 1];
        i++;
        continue;
      }
      out += '\\ufffd';
      continue;
    }
    if (c >= 0xdc00 && c < 0xe000) {
      // A lone surrogate cannot be UTF-8; Go would have seen an invalid byte sequence.
      out += '\\ufffd';
      continue;
    }
    out += s[i];
  }
  return out + '"';
}

function goFormatFloat(n: number): string {
  if (Object.is(n, -0)) return '-0';
  // Go switches to exponent form below 1e-6 and from 1e21, as JavaScript does, and both print the
  // shortest round-tripping digits with the exponent unpadded after Go's e-09 -> e-9 clean-up.
  return String(n);
}

/** json.Marshal of a Go value (map keys sorted, HTML-escaped). */
export function goJsonMarshal(v: GoJson): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return goFormatFloat(v);
  if (typeof v === 'string') return goJsonQuote(v);
  if (Array.isArray(v)) return '[' + v.map(goJsonMarshal).join(',') + ']';
  const keys = [...v.entries.keys()].sort(compareGoStrings);
  return '{' + keys.map((k) => goJsonQuote(k) + ':' + goJsonMarshal(v.entries.get(k)!)).join(',') + '}';
}

/** json.Indent of compact Go output with prefix "" and the given indent (what MarshalIndent does). */
export function goJsonIndent(compact: string, indent: string): string {
  let out = '';
  let depth = 0;
  let inString = false;
  let needIndent = false;
  const newline = () => '\n' + indent.repeat(depth);
  for (let i = 0; i < compact.length; i++) {
    const ch = compact[i];
    if (inString) {
      out += ch;
      if (ch === '\\') { out += compact[++i]; continue; }
      if (ch === '"') inString = false;
      continue;
    }
    if (needIndent && ch !== ']' && ch !== '}') {
      needIndent = false;
      depth++;
      out += newline();
    }
    switch (ch) {
      case '"': inString = true; out += ch; break;
      case '{':
      case '[': out += ch; needIndent = true; break;
      case ',': out += ch + newline(); break;
      case ':': out += ': '; break;
      case '}':
      case ']':
        if (needIndent) { needIndent = false; out += ch; break; } // empty collection stays compact
        depth--;
        out += newline() + ch;
        break;
      default: out += ch;
    }
  }
  return out;
}
