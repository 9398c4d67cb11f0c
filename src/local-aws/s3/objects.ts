// Objects: put, get and head (conditions, ranges, metadata, checksums), their tags, and batch deletes.
import { type ChecksumAlgorithm, checksum, md5 } from '../checksums';
import type { Backend } from '../context';
import type { ObjectAttributes, StoredBucket, StoredObject, Tag } from '../state';
import { child, children, restXmlDocument, type XmlValue } from '../xml';
import { CHECKSUM_HEADER, checkTags, parseBody, readPayload } from './payload';
import { header, httpDate, invalidArgument, invalidRequest, isoTime, malformedXml, noSuchKey, ok, S3Error, type S3Request, type S3Response } from './protocol';

const STORAGE_CLASSES = [
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'DEEP_ARCHIVE',
  'OUTPOSTS',
  'GLACIER_IR',
  'SNOW',
  'EXPRESS_ONEZONE',
];
const SSE_ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'];
/** The representation headers an object keeps and returns as they were sent. */
const KEPT_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires', 'x-amz-website-redirect-location'];
const MAX_METADATA_BYTES = 2048;

/** Versioning is not modelled: every object is its `null` version, and any other version id names nothing. */
export function versionMatches(request: S3Request): boolean {
  const versionId = request.query.get('versionId');
  return versionId === null || versionId === 'null';
}

export function findObject(bucket: StoredBucket, key: string, request: S3Request): StoredObject {
  const versionId = request.query.get('versionId');
  const object = bucket.objects.get(key);
  if (versionId !== null && versionId !== 'null') {
    throw new S3Error('NoSuchVersion', 'The specified version does not exist.', 404, { Key: key, VersionId: versionId });
  }
  if (!object) throw noSuchKey(key);
  return object;
}

/** What PutObject and CreateMultipartUpload take from headers: content type, representation headers, metadata, tags, class. */
export function objectAttributes(bucket: StoredBucket, request: S3Request): ObjectAttributes {
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    let value = header(request, name);
    // aws-chunked is the transfer's encoding, not the object's.
    if (name === 'content-encoding' && value !== undefined) {
      value = value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== 'aws-chunked')
        .join(',');
      if (value === '') value = undefined;
    }
    if (value !== undefined) headers[name] = value;
  }
  const metadata: Record<string, string> = {};
  let metadataSize = 0;
  for (const [name, value] of Object.entries(request.headers)) {
    if (!name.startsWith('x-amz-meta-') || value === undefined) continue;
    const text = Array.isArray(value) ? value.join(',') : value;
    metadata[name.slice('x-amz-meta-'.length)] = text;
    metadataSize += Buffer.byteLength(name.slice('x-amz-meta-'.length)) + Buffer.byteLength(text);
  }
  if (metadataSize > MAX_METADATA_BYTES) {
    throw new S3Error('MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size', 400, {
      Size: String(metadataSize),
      MaxSizeAllowed: String(MAX_METADATA_BYTES),
    });
  }
  const storageClass = header(request, 'x-amz-storage-class') ?? 'STANDARD';
  if (!STORAGE_CLASSES.includes(storageClass)) throw new S3Error('InvalidStorageClass', 'The storage class you specified is not valid', 400, { StorageClassRequested: storageClass });
  const serverSideEncryption = header(request, 'x-amz-server-side-encryption') ?? 'AES256';
  if (!SSE_ALGORITHMS.includes(serverSideEncryption)) {
    throw invalidArgument('The encryption method specified is not supported', 'x-amz-server-side-encryption', serverSideEncryption);
  }
  const acl = header(request, 'x-amz-acl');
  if (bucket.objectOwnership === 'BucketOwnerEnforced' && acl !== undefined && acl !== 'private' && acl !== 'bucket-owner-full-control') {
    throw new S3Error('AccessControlListNotSupported', 'The bucket does not allow ACLs', 400);
  }
  let tags: Tag[] = [];
  const tagging = header(request, 'x-amz-tagging');
  if (tagging !== undefined) {
    tags = [...new URLSearchParams(tagging)].map(([Key, Value]) => ({ Key, Value }));
    checkTags(tags, 10);
  }
  return {
    contentType: header(request, 'content-type') ?? 'binary/octet-stream',
    headers,
    metadata,
    tags,
    storageClass,
    serverSideEncryption,
  };
}

/** If-None-Match: * makes a write conditional on the key being free. */
export function checkWriteConditions(bucket: StoredBucket, key: string, request: S3Request): void {
  const ifNoneMatch = header(request, 'if-none-match');
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch !== '*') throw new S3Error('NotImplemented', 'A header you provided implies functionality that is not implemented', 501, { Header: 'If-None-Match' });
    if (bucket.objects.has(key)) throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { Condition: 'If-None-Match' });
  }
  const ifMatch = header(request, 'if-match');
  if (ifMatch !== undefined) {
    const object = bucket.objects.get(key);
    if (!object) throw noSuchKey(key);
    if (!etagMatches(ifMatch, object.etag)) throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { Condition: 'If-Match' });
  }
}

function checksumHeaders(object: Pick<StoredObject, 'checksum'>): Record<string, string> {
  const algorithm = object.checksum.algorithm as ChecksumAlgorithm;
  return { [CHECKSUM_HEADER(algorithm)]: object.checksum.value, 'x-amz-checksum-type': object.checksum.type };
}

export function putObject(backend: Backend, bucket: StoredBucket, key: string, request: S3Request): S3Response {
  const payload = readPayload(request);
  const attributes = objectAttributes(bucket, request);
  checkWriteConditions(bucket, key, request);
  // S3 gives every object a full-object checksum; CRC64NVME when the client sent none.
  const sent = payload.checksum ?? { algorithm: 'CRC64NVME' as const, value: checksum('CRC64NVME', payload.data) };
  const object: StoredObject = {
    key,
    body: payload.data,
    etag: `"${md5(payload.data).toString('hex')}"`,
    lastModified: isoTime(),
    checksum: { ...sent, type: 'FULL_OBJECT' },
    ...attributes,
  };
  bucket.objects.set(key, object);
  backend.changed();
  return ok(undefined, {
    etag: object.etag,
    'x-amz-server-side-encryption': object.serverSideEncryption,
    ...(payload.checksum ? checksumHeaders(object) : {}),
  });
}

function etagMatches(condition: string, etag: string): boolean {
  return condition.split(',').some((candidate) => {
    const trimmed = candidate.trim();
    return trimmed === '*' || trimmed === etag || `"${trimmed}"` === etag;
  });
}

export function getObject(bucket: StoredBucket, key: string, request: S3Request, head: boolean): S3Response {
  const object = findObject(bucket, key, request);
  const modified = new Date(object.lastModified);
  modified.setMilliseconds(0);
  const since = (name: string): Date | undefined => {
    const text = header(request, name);
    const date = text === undefined ? undefined : new Date(text);
    return date && !Number.isNaN(date.getTime()) ? date : undefined;
  };
  const failed = (condition: string) => new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { Condition: condition });
  const ifMatch = header(request, 'if-match');
  const ifNoneMatch = header(request, 'if-none-match');
  if (ifMatch !== undefined && !etagMatches(ifMatch, object.etag)) throw failed('If-Match');
  const unmodifiedSince = since('if-unmodified-since');
  if (ifMatch === undefined && unmodifiedSince && modified > unmodifiedSince) throw failed('If-Unmodified-Since');
  const modifiedSince = since('if-modified-since');
  if ((ifNoneMatch !== undefined && etagMatches(ifNoneMatch, object.etag)) || (ifNoneMatch === undefined && modifiedSince && modified <= modifiedSince)) {
    return { status: 304, headers: { etag: object.etag, 'last-modified': httpDate(object.lastModified) } };
  }

  const headers: Record<string, string> = {
    'accept-ranges': 'bytes',
    'last-modified': httpDate(object.lastModified),
    etag: object.etag,
    'content-type': object.contentType,
    'x-amz-server-side-encryption': object.serverSideEncryption,
    ...object.headers,
  };
  for (const [name, value] of Object.entries(object.metadata)) headers[`x-amz-meta-${name}`] = value;
  if (object.storageClass !== 'STANDARD') headers['x-amz-storage-class'] = object.storageClass;
  if (!head && object.tags.length > 0) headers['x-amz-tagging-count'] = String(object.tags.length);
  const size = object.body.length;
  const range = header(request, 'range');
  // A whole-object checksum says nothing about a range, so S3 leaves it out of ranged answers.
  if (header(request, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED' && range === undefined) Object.assign(headers, checksumHeaders(object));
  const partNumber = request.query.get('partNumber');
  if (partNumber !== null) {
    if (partNumber !== '1') throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', partNumber);
    headers['x-amz-mp-parts-count'] = String(object.partsCount ?? 1);
  }
  const match = range === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (match && (match[1] !== '' || match[2] !== '')) {
    let start: number;
    let end: number;
    if (match[1] === '') {
      start = Math.max(0, size - Number(match[2]));
      end = size - 1;
    } else {
      start = Number(match[1]);
      end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
    }
    if (start >= size || start > end) {
      throw new S3Error('InvalidRange', 'The requested range is not satisfiable', 416, { RangeRequested: range!, ActualObjectSize: String(size) });
    }
    headers['content-range'] = `bytes ${start}-${end}/${size}`;
    headers['content-length'] = String(end - start + 1);
    return { status: 206, headers, body: head ? undefined : object.body.subarray(start, end + 1) };
  }
  headers['content-length'] = String(size);
  return { status: 200, headers, body: head ? undefined : object.body };
}

export function deleteObjects(backend: Backend, bucket: StoredBucket, request: S3Request): S3Response {
  const payload = readPayload(request);
  if (header(request, 'content-md5') === undefined && payload.checksum === undefined) {
    throw invalidRequest('Missing required header for this request: Content-MD5');
  }
  const root = parseBody(payload.data, 'Delete');
  const quiet = child(root, 'Quiet')?.text.trim() === 'true';
  const targets = children(root, 'Object');
  if (targets.length === 0 || targets.length > 1000) throw malformedXml();
  const deleted: Record<string, XmlValue>[] = [];
  for (const target of targets) {
    const key = child(target, 'Key');
    if (!key) throw malformedXml();
    const versionId = child(target, 'VersionId')?.text;
    if (versionId === undefined || versionId === 'null') bucket.objects.delete(key.text);
    if (!quiet) deleted.push({ Key: key.text, VersionId: versionId });
  }
  backend.changed();
  return ok(restXmlDocument('DeleteResult', { Deleted: deleted }));
}
