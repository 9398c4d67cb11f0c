// The request body as S3 reads it: aws-chunked encoding, Content-MD5, x-amz-content-sha256 and the flexible
// checksums, then its XML (tag sets included).
import { CHECKSUM_ALGORITHMS, type ChecksumAlgorithm, checksum, digest, md5, sha256Hex } from '../checksums';
import type { Tag } from '../state';
import { child, children, parseXml, XmlSyntaxError, type XmlNode } from '../xml';
import { header, invalidRequest, malformedXml, S3Error, type S3Request } from './protocol';

interface Payload {
  data: Buffer;
  /** The checksum the client sent (header or trailer), already verified. */
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
}

/** Decodes an `aws-chunked` body: `<hex size>[;chunk-signature=...]\r\n<data>\r\n` ... `0\r\n<trailers>\r\n\r\n`. */
function decodeChunked(body: Buffer): { data: Buffer; trailers: Map<string, string> } {
  const incomplete = () => new S3Error('IncompleteBody', 'The request body terminated unexpectedly', 400);
  const chunks: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) throw incomplete();
    const sizeText = body.subarray(at, lineEnd).toString('latin1').split(';')[0].trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw invalidRequest('Invalid chunk size in the aws-chunked encoded body.');
    const size = parseInt(sizeText, 16);
    at = lineEnd + 2;
    if (size === 0) break;
    if (at + size + 2 > body.length || body.subarray(at + size, at + size + 2).toString('latin1') !== '\r\n') throw incomplete();
    chunks.push(body.subarray(at, at + size));
    at += size + 2;
  }
  const trailers = new Map<string, string>();
  for (const line of body.subarray(at).toString('latin1').split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon < 0) throw invalidRequest('Malformed trailer in the aws-chunked encoded body.');
    trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { data: Buffer.concat(chunks), trailers };
}

export const CHECKSUM_HEADER = (algorithm: ChecksumAlgorithm) => `x-amz-checksum-${algorithm.toLowerCase()}`;

export function readPayload(request: S3Request): Payload {
  const contentSha256 = header(request, 'x-amz-content-sha256');
  const encoding = header(request, 'content-encoding') ?? '';
  let data = request.body;
  let trailers = new Map<string, string>();
  if (encoding.split(',').some((part) => part.trim() === 'aws-chunked') || contentSha256?.startsWith('STREAMING-')) {
    ({ data, trailers } = decodeChunked(request.body));
    const declared = header(request, 'x-amz-decoded-content-length');
    if (declared !== undefined && Number(declared) !== data.length) {
      throw new S3Error('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header', 400);
    }
  } else if (contentSha256 !== undefined && /^[0-9a-f]{64}$/i.test(contentSha256)) {
    const computed = sha256Hex(data);
    if (computed !== contentSha256.toLowerCase()) {
      throw new S3Error('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", 400, {
        ClientComputedContentSHA256: contentSha256,
        S3ComputedContentSHA256: computed,
      });
    }
  }

  const contentMd5 = header(request, 'content-md5');
  if (contentMd5 !== undefined) {
    const given = Buffer.from(contentMd5, 'base64');
    if (given.length !== 16 || given.toString('base64') !== contentMd5) throw new S3Error('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400, { 'Content-MD5': contentMd5 });
    if (!given.equals(md5(data))) {
      throw new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400, {
        ExpectedDigest: contentMd5,
        CalculatedDigest: md5(data).toString('base64'),
      });
    }
  }

  const given: { algorithm: ChecksumAlgorithm; value: string }[] = [];
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const name = CHECKSUM_HEADER(algorithm);
    const value = header(request, name) ?? trailers.get(name);
    if (value !== undefined) given.push({ algorithm, value });
  }
  if (given.length > 1) throw invalidRequest('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  const announced = header(request, 'x-amz-sdk-checksum-algorithm');
  if (given.length === 0) {
    if (announced !== undefined && header(request, 'x-amz-trailer') === undefined) {
      throw invalidRequest('x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.');
    }
    return { data };
  }
  const [sent] = given;
  if (announced !== undefined && announced.toUpperCase() !== sent.algorithm) {
    throw invalidRequest(`Value for x-amz-sdk-checksum-algorithm header is invalid.`);
  }
  const computed = checksum(sent.algorithm, data);
  if (computed !== sent.value) {
    const decoded = Buffer.from(sent.value, 'base64');
    if (decoded.length !== digest(sent.algorithm, Buffer.alloc(0)).length || decoded.toString('base64') !== sent.value) {
      throw invalidRequest(`Value for ${CHECKSUM_HEADER(sent.algorithm)} header is invalid.`);
    }
    throw new S3Error('BadDigest', `The ${sent.algorithm} you specified did not match the calculated checksum.`, 400);
  }
  return { data, checksum: sent };
}

export function parseBody(data: Buffer, root: string): XmlNode {
  let node: XmlNode;
  try {
    node = parseXml(data.toString('utf8'));
  } catch (error) {
    if (error instanceof XmlSyntaxError) throw malformedXml();
    throw error;
  }
  if (node.name !== root) throw malformedXml();
  return node;
}

/** A `<Tagging><TagSet><Tag>` body, checked as S3 checks bucket (at most 50) and object (at most 10) tags. */
export function readTagging(data: Buffer, maxTags: number): Tag[] {
  const tagging = parseBody(data, 'Tagging');
  const tagSet = child(tagging, 'TagSet');
  if (!tagSet) throw malformedXml();
  const tags: Tag[] = [];
  for (const node of children(tagSet, 'Tag')) {
    const key = child(node, 'Key');
    const value = child(node, 'Value');
    if (!key || !value) throw malformedXml();
    tags.push({ Key: key.text, Value: value.text });
  }
  checkTags(tags, maxTags);
  return tags;
}

export function checkTags(tags: Tag[], maxTags: number): void {
  if (tags.length > maxTags) {
    throw maxTags === 10
      ? new S3Error('BadRequest', 'Object tags cannot be greater than 10', 400)
      : new S3Error('InvalidTag', 'Bucket tag count cannot be greater than 50', 400);
  }
  const seen = new Set<string>();
  for (const tag of tags) {
    if ([...tag.Key].length < 1 || [...tag.Key].length > 128) {
      throw new S3Error('InvalidTag', 'The TagKey you have provided is invalid', 400, { TagKey: tag.Key });
    }
    if ([...tag.Value].length > 256) throw new S3Error('InvalidTag', 'The TagValue you have provided is invalid', 400, { TagKey: tag.Key, TagValue: tag.Value });
    if (tag.Key.toLowerCase().startsWith('aws:')) throw new S3Error('InvalidTag', 'System tags cannot be added/updated by requester', 400);
    if (seen.has(tag.Key)) throw new S3Error('InvalidTag', 'Cannot provide multiple Tags with the same key', 400, { TagKey: tag.Key });
    seen.add(tag.Key);
  }
}
