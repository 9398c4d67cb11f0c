// S3's side of the HTTP exchange: one request as the front hands it over, the answer, the operation a method and
// path name, S3's errors (with the elements its <Error> adds), and the answers every operation shares.
import type { IncomingHttpHeaders } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { digest } from '../checksums';
import type { Backend } from '../context';
import { AwsError } from '../errors';
import type { StoredBucket } from '../state';
import { restXmlDocument } from '../xml';

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

const noSuchBucket = (bucket: string) => new S3Error('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });
export const noSuchKey = (key: string) => new S3Error('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
export const malformedXml = () =>
  new S3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
export const invalidArgument = (message: string, name: string, value: string) =>
  new S3Error('InvalidArgument', message, 400, { ArgumentName: name, ArgumentValue: value });
export const invalidRequest = (message: string) => new S3Error('InvalidRequest', message, 400);
export const notConfigured = (code: string, message: string, bucket: string) => new S3Error(code, message, 404, { BucketName: bucket });

export function notImplemented(): S3Error {
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

/** A request header as one string (a repeated header's values joined with commas, as HTTP allows). */
export function header(request: S3Request, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** A stable canonical user id per account (S3 owners are named by 64 hex digits). */
export function canonicalId(account: string): string {
  return createHash('sha256').update(`local-aws canonical user ${account}`).digest('hex');
}

export const isoTime = (date: Date = new Date()) => date.toISOString();
export const httpDate = (iso: string) => new Date(iso).toUTCString();

export function ok(body?: string, headers: Record<string, string> = {}): S3Response {
  return body === undefined ? { status: 200, headers } : { status: 200, headers: { 'content-type': 'application/xml', ...headers }, body };
}

export const noContent = (headers: Record<string, string> = {}): S3Response => ({ status: 204, headers });

export function findBucket(backend: Backend, name: string): StoredBucket {
  const bucket = backend.state.buckets.get(name);
  if (!bucket) throw noSuchBucket(name);
  return bucket;
}
