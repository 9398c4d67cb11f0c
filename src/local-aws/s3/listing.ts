// ListObjects, ListObjectsV2 and ListObjectVersions: prefixes, delimiters, markers and continuation tokens.
import { type ChecksumAlgorithm, checksum } from '../checksums';
import type { ChecksumType, StoredBucket, StoredObject } from '../state';
import { restXmlDocument } from '../xml';
import { canonicalId, invalidArgument, ok, type S3Request, type S3Response } from './protocol';

function maxKeys(request: S3Request): number {
  const text = request.query.get('max-keys');
  if (text === null) return 1000;
  if (!/^\d+$/.test(text)) throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', text);
  return Math.min(Number(text), 1000);
}

function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function listObjects(bucket: StoredBucket, operation: 'ListObjects' | 'ListObjectsV2' | 'ListObjectVersions', request: S3Request): S3Response {
  const q = request.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const limit = maxKeys(request);
  const urlEncoded = q.get('encoding-type');
  if (urlEncoded !== null && urlEncoded !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', urlEncoded);
  const encode = (text: string) => (urlEncoded ? encodeURIComponent(text).replace(/%2F/g, '/') : text);

  let after = '';
  let continuation: string | undefined;
  if (operation === 'ListObjectsV2') {
    continuation = q.get('continuation-token') ?? undefined;
    if (continuation !== undefined) {
      after = Buffer.from(continuation, 'base64').toString('utf8');
      if (Buffer.from(after, 'utf8').toString('base64') !== continuation) {
        throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', continuation);
      }
    } else after = q.get('start-after') ?? '';
  } else {
    after = q.get(operation === 'ListObjects' ? 'marker' : 'key-marker') ?? '';
  }

  // Keys in UTF-8 binary order, as S3 lists them, each either listed or folded into a common prefix.
  const keys = [...bucket.objects.keys()].filter((key) => key.startsWith(prefix) && compareKeys(key, after) > 0).sort(compareKeys);
  const contents: StoredObject[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  let last = '';
  for (const key of keys) {
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    const common = cut >= 0 ? key.slice(0, cut + delimiter.length) : undefined;
    // A common prefix is listed once; one up to the marker was listed on an earlier page.
    if (common !== undefined && (prefixes[prefixes.length - 1] === common || compareKeys(common, after) <= 0)) continue;
    if (contents.length + prefixes.length >= limit) {
      truncated = true;
      break;
    }
    if (common !== undefined) {
      prefixes.push(common);
      last = common;
    } else {
      contents.push(bucket.objects.get(key)!);
      last = key;
    }
  }
  const nextMarker = truncated ? last : undefined;
  const owner = { ID: canonicalId(bucket.account) };
  const commonPrefixes = prefixes.map((p) => ({ Prefix: encode(p) }));
  const checksumFields = (object: StoredObject) => ({ ChecksumAlgorithm: object.checksum.algorithm, ChecksumType: object.checksum.type });

  if (operation === 'ListObjectVersions') {
    return ok(
      restXmlDocument('ListVersionsResult', {
        Name: bucket.name,
        Prefix: encode(prefix),
        KeyMarker: encode(q.get('key-marker') ?? ''),
        VersionIdMarker: q.get('version-id-marker') ?? '',
        NextKeyMarker: truncated ? encode(last) : undefined,
        NextVersionIdMarker: truncated ? 'null' : undefined,
        MaxKeys: limit,
        Delimiter: delimiter ? encode(delimiter) : undefined,
        EncodingType: urlEncoded ?? undefined,
        IsTruncated: truncated,
        Version: contents.map((object) => ({
          Key: encode(object.key),
          VersionId: 'null',
          IsLatest: true,
          LastModified: object.lastModified,
          ETag: object.etag,
          ...checksumFields(object),
          Size: object.body.length,
          Owner: owner,
          StorageClass: object.storageClass,
        })),
        CommonPrefixes: commonPrefixes,
      }),
    );
  }
  const entries = contents.map((object) => ({
    Key: encode(object.key),
    LastModified: object.lastModified,
    ETag: object.etag,
    ...checksumFields(object),
    Size: object.body.length,
    Owner: operation === 'ListObjects' || q.get('fetch-owner') === 'true' ? owner : undefined,
    StorageClass: object.storageClass,
  }));
  if (operation === 'ListObjects') {
    return ok(
      restXmlDocument('ListBucketResult', {
        Name: bucket.name,
        Prefix: encode(prefix),
        Marker: encode(q.get('marker') ?? ''),
        NextMarker: truncated && delimiter ? encode(last) : undefined,
        MaxKeys: limit,
        Delimiter: delimiter ? encode(delimiter) : undefined,
        EncodingType: urlEncoded ?? undefined,
        IsTruncated: truncated,
        Contents: entries,
        CommonPrefixes: commonPrefixes,
      }),
    );
  }
  return ok(
    restXmlDocument('ListBucketResult', {
      Name: bucket.name,
      Prefix: encode(prefix),
      ContinuationToken: continuation,
      NextContinuationToken: nextMarker !== undefined ? Buffer.from(nextMarker, 'utf8').toString('base64') : undefined,
      KeyCount: contents.length + prefixes.length,
      MaxKeys: limit,
      Delimiter: delimiter ? encode(delimiter) : undefined,
      EncodingType: urlEncoded ?? undefined,
      IsTruncated: truncated,
      StartAfter: q.has('start-after') ? encode(q.get('start-after')!) : undefined,
      Contents: entries,
      CommonPrefixes: commonPrefixes,
    }),
  );
}
