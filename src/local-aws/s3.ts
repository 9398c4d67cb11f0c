// S3 (REST-XML, path-style addressing): buckets, objects with their metadata, tags and checksums, multipart uploads.
// The bucket sub-configurations that are not modelled answer as a new bucket does in AWS today (no CORS, website,
// lifecycle, replication, Object Lock, policy or tag set; default SSE-S3 encryption; BucketOwnerEnforced ownership).
import type { IncomingHttpHeaders } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { CHECKSUM_ALGORITHMS, type ChecksumAlgorithm, checksum, digest, isChecksumAlgorithm, md5, sha256Hex } from './checksums';
import type { Backend, RequestContext } from './context';
import { AwsError } from './errors';
import type { ChecksumType, MultipartUpload, ObjectAttributes, StoredBucket, StoredObject, Tag, UploadedPart } from './state';
import { child, children, parseXml, restXmlDocument, XmlSyntaxError, type XmlNode, type XmlValue } from './xml';

/** One S3 request as the HTTP front hands it over: path-style, `/bucket/key`, the key already URL-decoded. */
export interface S3Request {
  method: string;
  bucket?: string;
  key?: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** `http://host:port`, for the Location of completed uploads. */
  origin: string;
}

export interface S3Response {
  status: number;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** An S3 error: its code, message and status, plus the elements S3 adds to its `<Error>` (BucketName, Key, ...). */
export class S3Error extends AwsError {
  constructor(
    code: string,
    message: string,
    status: number,
    readonly details: Record<string, string> = {},
  ) {
    super(code, message, status);
  }
}

// ---- operation names ----

/** Bucket sub-resources: the operation each method names (an empty entry: the method is not allowed on it). */
const BUCKET_SUBRESOURCES: Record<string, { GET?: string; PUT?: string; DELETE?: string; POST?: string }> = {
  accelerate: { GET: 'GetBucketAccelerateConfiguration', PUT: 'PutBucketAccelerateConfiguration' },
  acl: { GET: 'GetBucketAcl', PUT: 'PutBucketAcl' },
  analytics: { GET: 'GetBucketAnalyticsConfiguration', PUT: 'PutBucketAnalyticsConfiguration', DELETE: 'DeleteBucketAnalyticsConfiguration' },
  cors: { GET: 'GetBucketCors', PUT: 'PutBucketCors', DELETE: 'DeleteBucketCors' },
  delete: { POST: 'DeleteObjects' },
  encryption: { GET: 'GetBucketEncryption', PUT: 'PutBucketEncryption', DELETE: 'DeleteBucketEncryption' },
  'intelligent-tiering': {
    GET: 'GetBucketIntelligentTieringConfiguration',
    PUT: 'PutBucketIntelligentTieringConfiguration',
    DELETE: 'DeleteBucketIntelligentTieringConfiguration',
  },
  inventory: { GET: 'GetBucketInventoryConfiguration', PUT: 'PutBucketInventoryConfiguration', DELETE: 'DeleteBucketInventoryConfiguration' },
  lifecycle: { GET: 'GetBucketLifecycleConfiguration', PUT: 'PutBucketLifecycleConfiguration', DELETE: 'DeleteBucketLifecycle' },
  location: { GET: 'GetBucketLocation' },
  logging: { GET: 'GetBucketLogging', PUT: 'PutBucketLogging' },
  metrics: { GET: 'GetBucketMetricsConfiguration', PUT: 'PutBucketMetricsConfiguration', DELETE: 'DeleteBucketMetricsConfiguration' },
  notification: { GET: 'GetBucketNotificationConfiguration', PUT: 'PutBucketNotificationConfiguration' },
  'object-lock': { GET: 'GetObjectLockConfiguration', PUT: 'PutObjectLockConfiguration' },
  ownershipControls: { GET: 'GetBucketOwnershipControls', PUT: 'PutBucketOwnershipControls', DELETE: 'DeleteBucketOwnershipControls' },
  policy: { GET: 'GetBucketPolicy', PUT: 'PutBucketPolicy', DELETE: 'DeleteBucketPolicy' },
  policyStatus: { GET: 'GetBucketPolicyStatus' },
  publicAccessBlock: { GET: 'GetPublicAccessBlock', PUT: 'PutPublicAccessBlock', DELETE: 'DeletePublicAccessBlock' },
  replication: { GET: 'GetBucketReplication', PUT: 'PutBucketReplication', DELETE: 'DeleteBucketReplication' },
  requestPayment: { GET: 'GetBucketRequestPayment', PUT: 'PutBucketRequestPayment' },
  tagging: { GET: 'GetBucketTagging', PUT: 'PutBucketTagging', DELETE: 'DeleteBucketTagging' },
  uploads: { GET: 'ListMultipartUploads' },
  versioning: { GET: 'GetBucketVersioning', PUT: 'PutBucketVersioning' },
  versions: { GET: 'ListObjectVersions' },
  website: { GET: 'GetBucketWebsite', PUT: 'PutBucketWebsite', DELETE: 'DeleteBucketWebsite' },
};

const OBJECT_SUBRESOURCES: Record<string, { GET?: string; PUT?: string; DELETE?: string; POST?: string }> = {
  acl: { GET: 'GetObjectAcl', PUT: 'PutObjectAcl' },
  attributes: { GET: 'GetObjectAttributes' },
  'legal-hold': { GET: 'GetObjectLegalHold', PUT: 'PutObjectLegalHold' },
  restore: { POST: 'RestoreObject' },
  retention: { GET: 'GetObjectRetention', PUT: 'PutObjectRetention' },
  select: { POST: 'SelectObjectContent' },
  tagging: { GET: 'GetObjectTagging', PUT: 'PutObjectTagging', DELETE: 'DeleteObjectTagging' },
  uploads: { POST: 'CreateMultipartUpload' },
};

const BUCKET_OPERATIONS: Record<string, string> = { GET: 'ListObjects', PUT: 'CreateBucket', DELETE: 'DeleteBucket', HEAD: 'HeadBucket' };
const OBJECT_OPERATIONS: Record<string, string> = { GET: 'GetObject', PUT: 'PutObject', DELETE: 'DeleteObject', HEAD: 'HeadObject' };

/** The S3 API operation a request names, from its method, path and sub-resource; '' when it names none. */
export function s3Operation(request: Pick<S3Request, 'method' | 'bucket' | 'key' | 'query' | 'headers'>): string {
  const { method, bucket, key, query } = request;
  if (bucket === undefined) return method === 'GET' ? 'ListBuckets' : '';
  const table = key === undefined ? BUCKET_SUBRESOURCES : OBJECT_SUBRESOURCES;
  for (const name of query.keys()) {
    const entry = Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
    if (entry) return entry[method as keyof typeof entry] ?? '';
  }
  if (key === undefined) {
    if (method === 'GET' && query.get('list-type') === '2') return 'ListObjectsV2';
    return BUCKET_OPERATIONS[method] ?? '';
  }
  if (query.has('uploadId')) {
    if (method === 'PUT') return request.headers['x-amz-copy-source'] ? 'UploadPartCopy' : 'UploadPart';
    return ({ GET: 'ListParts', POST: 'CompleteMultipartUpload', DELETE: 'AbortMultipartUpload' } as Record<string, string>)[method] ?? '';
  }
  if (method === 'PUT' && request.headers['x-amz-copy-source']) return 'CopyObject';
  return OBJECT_OPERATIONS[method] ?? '';
}

// ---- errors ----

const noSuchBucket = (bucket: string) => new S3Error('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });
const noSuchKey = (key: string) => new S3Error('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
const malformedXml = () =>
  new S3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
const invalidArgument = (message: string, name: string, value: string) =>
  new S3Error('InvalidArgument', message, 400, { ArgumentName: name, ArgumentValue: value });
const invalidRequest = (message: string) => new S3Error('InvalidRequest', message, 400);
const notConfigured = (code: string, message: string, bucket: string) => new S3Error(code, message, 404, { BucketName: bucket });

function notImplemented(): S3Error {
  return new S3Error('NotImplemented', 'A header you provided implies functionality that is not implemented', 501);
}

/** The XML body of an S3 error (HEAD answers carry none). */
export function s3ErrorDocument(error: AwsError, requestId: string): string {
  const details = error instanceof S3Error ? error.details : {};
  return restXmlDocument('Error', { Code: error.code, Message: error.message, ...details, RequestId: requestId, HostId: hostId(requestId) }, null);
}

/** S3 request ids are 16 hex digits. */
export function s3RequestId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

/** S3's second request id (x-amz-id-2): opaque base64. */
export function hostId(requestId: string): string {
  return createHash('sha256').update(requestId).digest('base64');
}

// ---- the request body: aws-chunked encoding, Content-MD5, x-amz-content-sha256 and flexible checksums ----

interface Payload {
  data: Buffer;
  /** The checksum the client sent (header or trailer), already verified. */
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
}

function header(request: S3Request, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
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

const CHECKSUM_HEADER = (algorithm: ChecksumAlgorithm) => `x-amz-checksum-${algorithm.toLowerCase()}`;

function readPayload(request: S3Request): Payload {
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

function parseBody(data: Buffer, root: string): XmlNode {
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

// ---- shared answers ----

/** A stable canonical user id per account (S3 owners are named by 64 hex digits). */
function canonicalId(account: string): string {
  return createHash('sha256').update(`local-aws canonical user ${account}`).digest('hex');
}

const isoTime = (date: Date = new Date()) => date.toISOString();
const httpDate = (iso: string) => new Date(iso).toUTCString();

function ok(body?: string, headers: Record<string, string> = {}): S3Response {
  return body === undefined ? { status: 200, headers } : { status: 200, headers: { 'content-type': 'application/xml', ...headers }, body };
}

const noContent = (headers: Record<string, string> = {}): S3Response => ({ status: 204, headers });

function findBucket(backend: Backend, name: string): StoredBucket {
  const bucket = backend.state.buckets.get(name);
  if (!bucket) throw noSuchBucket(name);
  return bucket;
}

// ---- the handler ----

export function handleS3(backend: Backend, ctx: RequestContext, operation: string, request: S3Request): S3Response {
  const bucketName = request.bucket;
  if (operation === 'ListBuckets') return listBuckets(backend, ctx);
  if (bucketName === undefined || operation === '') {
    throw new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, {
      Method: request.method,
      ResourceType: bucketName === undefined ? 'SERVICE' : request.key === undefined ? 'BUCKET' : 'OBJECT',
    });
  }
  if (operation === 'CreateBucket') return createBucket(backend, ctx, request, bucketName);
  if (!IMPLEMENTED.has(operation)) throw notImplemented();
  const bucket = findBucket(backend, bucketName);
  const key = request.key ?? '';
  switch (operation) {
    case 'HeadBucket':
      return ok(undefined, { 'x-amz-bucket-region': bucket.region, 'x-amz-access-point-alias': 'false' });
    case 'DeleteBucket':
      if (bucket.objects.size > 0) throw new S3Error('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, { BucketName: bucket.name });
      backend.state.buckets.delete(bucket.name);
      for (const [id, upload] of backend.state.uploads) if (upload.bucket === bucket.name) backend.state.uploads.delete(id);
      backend.changed();
      return noContent();
    case 'GetBucketLocation':
      // us-east-1 is the empty location constraint.
      return ok(restXmlDocument('LocationConstraint', bucket.region === 'us-east-1' ? '' : bucket.region));
    case 'ListObjects':
    case 'ListObjectsV2':
    case 'ListObjectVersions':
      return listObjects(bucket, operation, request);
    case 'GetBucketTagging':
      if (!bucket.tags) throw notConfigured('NoSuchTagSet', 'The TagSet does not exist', bucket.name);
      return ok(restXmlDocument('Tagging', { TagSet: { Tag: bucket.tags.map((tag) => ({ Key: tag.Key, Value: tag.Value })) } }));
    case 'PutBucketTagging': {
      const tags = readTagging(readPayload(request).data, 50);
      bucket.tags = tags;
      backend.changed();
      return noContent();
    }
    case 'DeleteBucketTagging':
      delete bucket.tags;
      backend.changed();
      return noContent();
    case 'GetBucketPolicy':
      if (bucket.policy === undefined) throw notConfigured('NoSuchBucketPolicy', 'The bucket policy does not exist', bucket.name);
      return { status: 200, headers: { 'content-type': 'application/json' }, body: bucket.policy };
    case 'PutBucketPolicy': {
      const text = readPayload(request).data.toString('utf8');
      try {
        const parsed: unknown = JSON.parse(text);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      } catch {
        throw new S3Error('MalformedPolicy', 'Policies must be valid JSON and the first byte must be \'{\'', 400);
      }
      bucket.policy = text;
      backend.changed();
      return noContent();
    }
    case 'DeleteBucketPolicy':
      delete bucket.policy;
      backend.changed();
      return noContent();
    case 'GetBucketAcl':
      return ok(ownerOnlyAcl(bucket.account));
    case 'GetBucketCors':
      throw notConfigured('NoSuchCORSConfiguration', 'The CORS configuration does not exist', bucket.name);
    case 'GetBucketWebsite':
      throw notConfigured('NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration', bucket.name);
    case 'GetBucketLifecycleConfiguration':
      throw notConfigured('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', bucket.name);
    case 'GetBucketReplication':
      throw notConfigured('ReplicationConfigurationNotFoundError', 'The replication configuration was not found', bucket.name);
    case 'GetObjectLockConfiguration':
      if (!bucket.objectLockEnabled) {
        throw notConfigured('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', bucket.name);
      }
      return ok(restXmlDocument('ObjectLockConfiguration', { ObjectLockEnabled: 'Enabled' }));
    case 'GetBucketVersioning':
      // Object Lock turns versioning on for good; otherwise a bucket that never had versioning configured says nothing.
      return ok(restXmlDocument('VersioningConfiguration', bucket.objectLockEnabled ? { Status: 'Enabled' } : {}));
    case 'GetBucketAccelerateConfiguration':
      return ok(restXmlDocument('AccelerateConfiguration', {}));
    case 'GetBucketRequestPayment':
      return ok(restXmlDocument('RequestPaymentConfiguration', { Payer: 'BucketOwner' }));
    case 'GetBucketLogging':
      return ok(restXmlDocument('BucketLoggingStatus', {}));
    case 'GetBucketEncryption':
      // Every bucket has SSE-S3 default encryption since January 2023.
      return ok(
        restXmlDocument('ServerSideEncryptionConfiguration', {
          Rule: { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false },
        }),
      );
    case 'GetBucketOwnershipControls':
      return ok(restXmlDocument('OwnershipControls', { Rule: { ObjectOwnership: bucket.objectOwnership } }));
    case 'GetPublicAccessBlock':
      // New buckets block all public access since April 2023.
      return ok(
        restXmlDocument('PublicAccessBlockConfiguration', {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        }),
      );
    case 'DeleteObjects':
      return deleteObjects(backend, bucket, request);
    case 'PutObject':
      return putObject(backend, bucket, key, request);
    case 'GetObject':
    case 'HeadObject':
      return getObject(bucket, key, request, operation === 'HeadObject');
    case 'DeleteObject':
      if (versionMatches(request) && bucket.objects.delete(key)) backend.changed();
      return noContent();
    case 'GetObjectTagging': {
      const object = findObject(bucket, key, request);
      return ok(restXmlDocument('Tagging', { TagSet: { Tag: object.tags.map((tag) => ({ Key: tag.Key, Value: tag.Value })) } }));
    }
    case 'PutObjectTagging': {
      const object = findObject(bucket, key, request);
      object.tags = readTagging(readPayload(request).data, 10);
      backend.changed();
      return ok();
    }
    case 'DeleteObjectTagging':
      findObject(bucket, key, request).tags = [];
      backend.changed();
      return noContent();
    case 'CreateMultipartUpload':
      return createMultipartUpload(backend, bucket, key, request);
    case 'UploadPart':
      return uploadPart(backend, bucket, key, request);
    case 'CompleteMultipartUpload':
      return completeMultipartUpload(backend, bucket, key, request);
    case 'AbortMultipartUpload':
      findUpload(backend, bucket, key, request);
      backend.state.uploads.delete(request.query.get('uploadId')!);
      return noContent();
    default:
      throw notImplemented();
  }
}

const IMPLEMENTED = new Set([
  'HeadBucket',
  'DeleteBucket',
  'GetBucketLocation',
  'ListObjects',
  'ListObjectsV2',
  'ListObjectVersions',
  'GetBucketTagging',
  'PutBucketTagging',
  'DeleteBucketTagging',
  'GetBucketPolicy',
  'PutBucketPolicy',
  'DeleteBucketPolicy',
  'GetBucketAcl',
  'GetBucketCors',
  'GetBucketWebsite',
  'GetBucketLifecycleConfiguration',
  'GetBucketReplication',
  'GetObjectLockConfiguration',
  'GetBucketVersioning',
  'GetBucketAccelerateConfiguration',
  'GetBucketRequestPayment',
  'GetBucketLogging',
  'GetBucketEncryption',
  'GetBucketOwnershipControls',
  'GetPublicAccessBlock',
  'DeleteObjects',
  'PutObject',
  'GetObject',
  'HeadObject',
  'DeleteObject',
  'GetObjectTagging',
  'PutObjectTagging',
  'DeleteObjectTagging',
  'CreateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
]);

// ---- buckets ----

function listBuckets(backend: Backend, ctx: RequestContext): S3Response {
  const owned = [...backend.state.buckets.values()].filter((bucket) => bucket.account === ctx.account).sort((a, b) => (a.name < b.name ? -1 : 1));
  return ok(
    restXmlDocument('ListAllMyBucketsResult', {
      Owner: { ID: canonicalId(ctx.account) },
      Buckets: { Bucket: owned.map((bucket) => ({ Name: bucket.name, CreationDate: bucket.creationDate, BucketRegion: bucket.region })) },
    }),
  );
}

/** S3's general purpose bucket naming rules. */
function validBucketName(name: string): boolean {
  return (
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !name.startsWith('xn--') &&
    !name.startsWith('sthree-') &&
    !name.endsWith('-s3alias') &&
    !name.endsWith('--ol-s3')
  );
}

const OBJECT_OWNERSHIP = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'];

function createBucket(backend: Backend, ctx: RequestContext, request: S3Request, name: string): S3Response {
  if (!validBucketName(name)) throw new S3Error('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: name });
  const payload = readPayload(request);
  let constraint: string | undefined;
  if (payload.data.length > 0) {
    const config = parseBody(payload.data, 'CreateBucketConfiguration');
    constraint = child(config, 'LocationConstraint')?.text;
  }
  if (constraint === 'us-east-1') {
    throw new S3Error('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400, { LocationConstraint: constraint });
  }
  // Outside us-east-1, the location constraint must name the region the request was sent to.
  if (ctx.region !== 'us-east-1' && constraint !== ctx.region) {
    throw new S3Error(
      'IllegalLocationConstraintException',
      `The ${constraint ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`,
      400,
    );
  }
  const ownership = header(request, 'x-amz-object-ownership') ?? 'BucketOwnerEnforced';
  if (!OBJECT_OWNERSHIP.includes(ownership)) throw invalidArgument('Invalid x-amz-object-ownership header', 'x-amz-object-ownership', ownership);
  const acl = header(request, 'x-amz-acl');
  if (ownership === 'BucketOwnerEnforced' && acl !== undefined && acl !== 'private' && acl !== 'bucket-owner-full-control') {
    throw new S3Error('InvalidBucketAclWithObjectOwnership', "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting", 400);
  }

  const existing = backend.state.buckets.get(name);
  if (existing) {
    if (existing.account !== ctx.account) {
      throw new S3Error(
        'BucketAlreadyExists',
        'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
        409,
        { BucketName: name },
      );
    }
    // us-east-1 keeps its legacy answer: creating a bucket you already own there succeeds.
    if (existing.region === 'us-east-1' && ctx.region === 'us-east-1') return ok(undefined, { location: `/${name}` });
    throw new S3Error('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409, {
      BucketName: name,
    });
  }
  backend.state.buckets.set(name, {
    name,
    account: ctx.account,
    region: constraint ?? 'us-east-1',
    creationDate: isoTime(),
    objectOwnership: ownership,
    objectLockEnabled: header(request, 'x-amz-bucket-object-lock-enabled')?.toLowerCase() === 'true',
    objects: new Map(),
  });
  backend.changed();
  return ok(undefined, { location: `/${name}` });
}

function ownerOnlyAcl(account: string): string {
  const id = canonicalId(account);
  // Written by hand: the Grantee carries an xsi:type attribute, which the element writer does not produce.
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
    `<Owner><ID>${id}</ID></Owner><AccessControlList><Grant>` +
    `<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>${id}</ID></Grantee>` +
    `<Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>`
  );
}

/** A `<Tagging><TagSet><Tag>` body, checked as S3 checks bucket (at most 50) and object (at most 10) tags. */
function readTagging(data: Buffer, maxTags: number): Tag[] {
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

function checkTags(tags: Tag[], maxTags: number): void {
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

// ---- listing ----

function maxKeys(request: S3Request): number {
  const text = request.query.get('max-keys');
  if (text === null) return 1000;
  if (!/^\d+$/.test(text)) throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', text);
  return Math.min(Number(text), 1000);
}

function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function listObjects(bucket: StoredBucket, operation: 'ListObjects' | 'ListObjectsV2' | 'ListObjectVersions', request: S3Request): S3Response {
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

// ---- objects ----

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
function versionMatches(request: S3Request): boolean {
  const versionId = request.query.get('versionId');
  return versionId === null || versionId === 'null';
}

function findObject(bucket: StoredBucket, key: string, request: S3Request): StoredObject {
  const versionId = request.query.get('versionId');
  const object = bucket.objects.get(key);
  if (versionId !== null && versionId !== 'null') {
    throw new S3Error('NoSuchVersion', 'The specified version does not exist.', 404, { Key: key, VersionId: versionId });
  }
  if (!object) throw noSuchKey(key);
  return object;
}

/** What PutObject and CreateMultipartUpload take from headers: content type, representation headers, metadata, tags, class. */
function objectAttributes(bucket: StoredBucket, request: S3Request): ObjectAttributes {
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
function checkWriteConditions(bucket: StoredBucket, key: string, request: S3Request): void {
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

function putObject(backend: Backend, bucket: StoredBucket, key: string, request: S3Request): S3Response {
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

function getObject(bucket: StoredBucket, key: string, request: S3Request, head: boolean): S3Response {
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

function deleteObjects(backend: Backend, bucket: StoredBucket, request: S3Request): S3Response {
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

// ---- multipart uploads ----

const MIN_PART_BYTES = 5 * 1024 * 1024;

function findUpload(backend: Backend, bucket: StoredBucket, key: string, request: S3Request): MultipartUpload {
  const id = request.query.get('uploadId') ?? '';
  const upload = backend.state.uploads.get(id);
  if (!upload || upload.bucket !== bucket.name || upload.key !== key) {
    throw new S3Error(
      'NoSuchUpload',
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      404,
      { UploadId: id },
    );
  }
  return upload;
}

function createMultipartUpload(backend: Backend, bucket: StoredBucket, key: string, request: S3Request): S3Response {
  const attributes = objectAttributes(bucket, request);
  const algorithmText = header(request, 'x-amz-checksum-algorithm')?.toUpperCase();
  if (algorithmText !== undefined && !isChecksumAlgorithm(algorithmText)) {
    throw invalidRequest('Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]');
  }
  const typeText = header(request, 'x-amz-checksum-type')?.toUpperCase();
  if (typeText !== undefined && typeText !== 'COMPOSITE' && typeText !== 'FULL_OBJECT') {
    throw invalidRequest('Value for x-amz-checksum-type header is invalid.');
  }
  const algorithm = algorithmText as ChecksumAlgorithm | undefined;
  // SHA checksums combine only part by part; CRC64NVME only over the whole object.
  const type: ChecksumType = typeText ?? (algorithm === undefined || algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE');
  if ((type === 'FULL_OBJECT' && algorithm?.startsWith('SHA')) || (type === 'COMPOSITE' && algorithm === 'CRC64NVME')) {
    throw invalidRequest(`The ${type} checksum type cannot be used with the ${algorithm!.toLowerCase()} checksum algorithm.`);
  }
  const id = randomBytes(48).toString('base64url');
  backend.state.uploads.set(id, { bucket: bucket.name, key, attributes, checksumAlgorithm: algorithm, checksumType: type, parts: new Map() });
  const headers: Record<string, string> = {};
  if (algorithm) {
    headers['x-amz-checksum-algorithm'] = algorithm;
    headers['x-amz-checksum-type'] = type;
  }
  return ok(restXmlDocument('InitiateMultipartUploadResult', { Bucket: bucket.name, Key: key, UploadId: id }), headers);
}

function partNumberOf(text: string | null): number {
  const number = Number(text);
  if (text === null || !/^\d+$/.test(text) || number < 1 || number > 10000) {
    throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', text ?? '');
  }
  return number;
}

function uploadPart(backend: Backend, bucket: StoredBucket, key: string, request: S3Request): S3Response {
  const upload = findUpload(backend, bucket, key, request);
  const number = partNumberOf(request.query.get('partNumber'));
  const payload = readPayload(request);
  if (upload.checksumAlgorithm && payload.checksum && payload.checksum.algorithm !== upload.checksumAlgorithm) {
    throw invalidRequest(`Checksum Type mismatch occurred, expected checksum Type: ${upload.checksumAlgorithm.toLowerCase()}, actual checksum Type: ${payload.checksum.algorithm.toLowerCase()}`);
  }
  const part: UploadedPart = { data: payload.data, etag: `"${md5(payload.data).toString('hex')}"` };
  upload.parts.set(number, part);
  const headers: Record<string, string> = { etag: part.etag, 'x-amz-server-side-encryption': upload.attributes.serverSideEncryption };
  if (payload.checksum) headers[CHECKSUM_HEADER(payload.checksum.algorithm)] = payload.checksum.value;
  return ok(undefined, headers);
}

function completeMultipartUpload(backend: Backend, bucket: StoredBucket, key: string, request: S3Request): S3Response {
  const upload = findUpload(backend, bucket, key, request);
  const root = parseBody(readPayload(request).data, 'CompleteMultipartUpload');
  const listed = children(root, 'Part');
  if (listed.length === 0) throw malformedXml();
  const invalidPart = () =>
    new S3Error('InvalidPart', "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.", 400);
  const chosen: UploadedPart[] = [];
  let previous = 0;
  for (const node of listed) {
    const numberText = child(node, 'PartNumber')?.text.trim();
    const etag = child(node, 'ETag')?.text.trim();
    if (numberText === undefined || etag === undefined) throw malformedXml();
    const number = partNumberOf(numberText);
    if (number <= previous) throw new S3Error('InvalidPartOrder', 'The list of parts was not in ascending order. The parts list must be specified in order by part number.', 400);
    previous = number;
    const part = upload.parts.get(number);
    if (!part || (etag !== part.etag && `"${etag}"` !== part.etag)) throw invalidPart();
    // A part checksum named in the list must be the part's own.
    for (const algorithm of CHECKSUM_ALGORITHMS) {
      const listedChecksum = child(node, `Checksum${algorithm}`)?.text.trim();
      if (listedChecksum !== undefined && listedChecksum !== checksum(algorithm, part.data)) throw invalidPart();
    }
    chosen.push(part);
  }
  chosen.forEach((part, index) => {
    if (index < chosen.length - 1 && part.data.length < MIN_PART_BYTES) {
      throw new S3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', 400, {
        ProposedSize: String(part.data.length),
        MinSizeAllowed: String(MIN_PART_BYTES),
      });
    }
  });
  checkWriteConditions(bucket, key, request);

  const body = Buffer.concat(chosen.map((part) => part.data));
  const etag = `"${md5(Buffer.concat(chosen.map((part) => Buffer.from(part.etag.slice(1, -1), 'hex')))).toString('hex')}-${chosen.length}"`;
  const algorithm = (upload.checksumAlgorithm as ChecksumAlgorithm | undefined) ?? 'CRC64NVME';
  const value =
    upload.checksumType === 'COMPOSITE'
      ? `${digest(algorithm, Buffer.concat(chosen.map((part) => digest(algorithm, part.data)))).toString('base64')}-${chosen.length}`
      : checksum(algorithm, body);
  const object: StoredObject = {
    key,
    body,
    etag,
    lastModified: isoTime(),
    checksum: { algorithm, value, type: upload.checksumType },
    partsCount: chosen.length,
    ...upload.attributes,
  };
  bucket.objects.set(key, object);
  backend.state.uploads.delete(request.query.get('uploadId')!);
  backend.changed();
  const reported = upload.checksumAlgorithm ? { [`Checksum${algorithm}`]: value, ChecksumType: upload.checksumType } : {};
  return ok(
    restXmlDocument('CompleteMultipartUploadResult', {
      Location: `${request.origin}/${bucket.name}/${encodeURIComponent(key).replace(/%2F/g, '/')}`,
      Bucket: bucket.name,
      Key: key,
      ETag: etag,
      ...reported,
    }),
    { 'x-amz-server-side-encryption': object.serverSideEncryption },
  );
}

/** What GET /_endpoint/state shows of a bucket: everything but object bodies. */
export function describeBucket(bucket: StoredBucket): Record<string, unknown> {
  return {
    ...bucket,
    objects: [...bucket.objects.values()].map(({ body, ...object }) => ({ ...object, size: body.length })),
  };
}
