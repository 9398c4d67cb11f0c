// XML for the AWS Query protocol: responses are small trees, so they are written by hand.
export type XmlValue = string | number | boolean | undefined | XmlValue[] | { [name: string]: XmlValue };

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

/** Text content only (no attributes are ever written), so quotes stay as they are, as in AWS's responses. */
function escapeXml(text: string): string {
  return text.replace(/[&<>\r]/g, (c) => ESCAPES[c]);
}

/** Renders one element; arrays become `<member>` lists as the Query protocol serializes them, undefined members are left out. */
function element(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return `<${name}>${value.map((item) => element('member', item)).join('')}</${name}>`;
  if (typeof value === 'object') {
    let inner = '';
    for (const [child, childValue] of Object.entries(value)) inner += element(child, childValue);
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function queryResponse(operation: string, namespace: string, result: Record<string, XmlValue> | undefined, requestId: string): string {
  const body = result === undefined ? '' : element(`${operation}Result`, result);
  return (
    `<${operation}Response xmlns="${namespace}">${body}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`
  );
}

export function queryError(namespace: string, type: string, code: string, message: string, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${namespace}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

// ---- REST-XML (S3) ----

/**
 * A REST-XML element tree. Unlike the Query protocol, S3's lists are flattened: an array renders as the element
 * repeated (`{Contents: [a, b]}` → `<Contents>a</Contents><Contents>b</Contents>`); wrapped lists are written as
 * an object holding the array (`{TagSet: {Tag: [...]}}`).
 */
function restElement(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((item) => restElement(name, item)).join('');
  if (typeof value === 'object') {
    let inner = '';
    for (const [child, childValue] of Object.entries(value)) inner += restElement(child, childValue);
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** A whole S3 response document: the XML declaration, then the root element in S3's namespace (errors have none: null). */
export function restXmlDocument(root: string, value: XmlValue, namespace: string | null = S3_NAMESPACE): string {
  const body = restElement(root, value);
  const opened = namespace ? body.replace(`<${root}>`, `<${root} xmlns="${namespace}">`) : body;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${opened}`;
}

/** A parsed request element: its name (without a namespace prefix), text and children in order. */
export interface XmlNode {
  name: string;
  text: string;
  children: XmlNode[];
}

export class XmlSyntaxError extends Error {}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    const decoded = ENTITIES[entity];
    if (decoded === undefined) throw new XmlSyntaxError(`unknown entity ${whole}`);
    return decoded;
  });
}

/**
 * Parses the small documents S3 requests carry (CreateBucketConfiguration, Tagging, Delete, ...): elements,
 * attributes (ignored), text, comments and CDATA. Anything not well-formed throws XmlSyntaxError.
 */
export function parseXml(source: string): XmlNode {
  let at = 0;
  const skipMisc = (): void => {
    for (;;) {
      const rest = source.slice(at);
      const space = /^\s+/.exec(rest);
      if (space) at += space[0].length;
      else if (rest.startsWith('<?')) at = closeAt('?>');
      else if (rest.startsWith('<!--')) at = closeAt('-->');
      else return;
    }
  };
  const closeAt = (terminator: string): number => {
    const end = source.indexOf(terminator, at);
    if (end < 0) throw new XmlSyntaxError(`unterminated ${terminator}`);
    return end + terminator.length;
  };
  const parseElement = (): XmlNode => {
    const open = /^<([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(source.slice(at));
    if (!open) throw new XmlSyntaxError(`expected an element at offset ${at}`);
    at += open[0].length;
    const qualified = open[1];
    const node: XmlNode = { name: qualified.slice(qualified.indexOf(':') + 1), text: '', children: [] };
    if (open[3] === '/') return node;
    for (;;) {
      const rest = source.slice(at);
      if (rest.startsWith(`</${qualified}`)) {
        const close = /^<\/[\w.:-]+\s*>/.exec(rest);
        if (!close) throw new XmlSyntaxError(`malformed end tag at offset ${at}`);
        at += close[0].length;
        return node;
      }
      if (rest.startsWith('</')) throw new XmlSyntaxError(`mismatched end tag at offset ${at}`);
      if (rest.startsWith('<!--')) at = closeAt('-->');
      else if (rest.startsWith('<![CDATA[')) {
        const end = closeAt(']]>');
        node.text += source.slice(at + 9, end - 3);
        at = end;
      } else if (rest.startsWith('<')) node.children.push(parseElement());
      else if (rest.length === 0) throw new XmlSyntaxError(`unclosed element ${qualified}`);
      else {
        const next = rest.indexOf('<');
        const raw = next < 0 ? rest : rest.slice(0, next);
        node.text += decodeEntities(raw);
        at += raw.length;
      }
    }
  };
  skipMisc();
  const root = parseElement();
  skipMisc();
  if (at !== source.length) throw new XmlSyntaxError('content after the root element');
  return root;
}

/** The first child named `name`, if any. */
export function child(node: XmlNode, name: string): XmlNode | undefined {
  return node.children.find((c) => c.name === name);
}

export function children(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((c) => c.name === name);
}
