// Just enough of HCL's lexical structure to read a few things out of Terraform's files without a parser: the code
// of a file with its comments and heredoc bodies blanked out (quoted strings kept, since block labels are quoted
// strings), and quoted-string literals. Used for CLI configuration paths and for block headers in *.tf files.

/**
 * The text with every comment (`#`, `//`, `/* *\/`) and every heredoc body replaced by spaces (newlines kept, so
 * line structure survives). Quoted strings, with their escapes and `${...}` interpolations (which may hold
 * strings of their own), are skipped over intact, so a `#` or `/*` inside a string is not taken for a comment.
 */
export function codeOnly(text: string): string {
  const out = text.split('');
  const blank = (from: number, to: number) => {
    for (let i = from; i < to && i < out.length; i++) if (out[i] !== '\n') out[i] = ' ';
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '"') {
      i = skipQuoted(text, i);
    } else if (c === '#' || (c === '/' && next === '/')) {
      const end = lineEnd(text, i);
      blank(i, end);
      i = end;
    } else if (c === '/' && next === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? text.length : close + 2;
      blank(i, end);
      i = end;
    } else if (c === '<' && next === '<') {
      const heredoc = /^<<-?([A-Za-z_][\w-]*)[ \t]*\r?\n/.exec(text.slice(i, i + 200));
      if (!heredoc) {
        i += 2;
        continue;
      }
      const bodyStart = i + heredoc[0].length;
      const end = heredocEnd(text, bodyStart, heredoc[1]!);
      blank(bodyStart, end);
      i = end;
    } else {
      i++;
    }
  }
  return out.join('');
}

/** Index just past the quoted string starting at `start` (a `"`). */
function skipQuoted(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else if (c === '\n') return i; // unterminated: HCL strings do not span lines
    else if ((c === '$' || c === '%') && text[i + 1] === '{') {
      if (text[i - 1] === c && text[i - 2] !== c) i += 2; // $${ and %%{ are literal
      else i = skipTemplateExpression(text, i + 2);
    } else i++;
  }
  return i;
}

/** Index just past the `}` closing a `${` / `%{` whose content starts at `start`. */
function skipTemplateExpression(text: string, start: number): number {
  let depth = 1;
  let i = start;
  while (i < text.length && depth > 0) {
    const c = text[i]!;
    if (c === '"') i = skipQuoted(text, i);
    else {
      if (c === '{') depth++;
      else if (c === '}') depth--;
      i++;
    }
  }
  return i;
}

function lineEnd(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  return newline < 0 ? text.length : newline;
}

/** Index of the end of the heredoc's closing marker line (or the end of the text). */
function heredocEnd(text: string, bodyStart: number, marker: string): number {
  let lineStart = bodyStart;
  while (lineStart < text.length) {
    const end = lineEnd(text, lineStart);
    if (text.slice(lineStart, end).trim() === marker) return end;
    lineStart = end + 1;
  }
  return text.length;
}

/** The value of an HCL quoted-string literal (the text between the quotes), with its escapes resolved. */
export function unquote(literal: string): string {
  return literal.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, escape: string) => {
    switch (escape[0]) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'u':
      case 'U':
        return String.fromCodePoint(Number.parseInt(escape.slice(1), 16));
      default:
        return escape;
    }
  });
}

/** A quoted string: its text between the quotes, escapes unresolved. */
export const QUOTED = String.raw`"((?:[^"\\\n]|\\.)*)"`;
