// S3 (REST-XML, path-style addressing): buckets, objects with their metadata, tags and checksums, multipart uploads.
// The bucket sub-configurations that are not modelled answer as a new bucket does in AWS today (no CORS, website,
// lifecycle, replication, Object Lock, policy or tag set; default SSE-S3 encryption; BucketOwnerEnforced ownership).
// This file routes each operation and serves the buckets; listing.ts, objects.ts and multipart.ts serve the rest.
import type { Backend, RequestContext } from '../context';
import type { StoredBucket, Tag } from '../state';
import { child, restXmlDocument } from '../xml';
import { listObjects } from './listing';
import { completeMultipartUpload, createMultipartUpload, findUpload, uploadPart } from './multipart';
import { deleteObjects, findObject, getObject, putObject, versionMatches } from './objects';
import { parseBody, readPayload, readTagging } from './payload';
import { canonicalId, findBucket, header, invalidArgument, isoTime, noContent, notConfigured, notImplemented, ok, S3Error, type S3Request, type S3Response } from './protocol';

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

/** What GET /_endpoint/state shows of a bucket: everything but object bodies. */
export function describeBucket(bucket: StoredBucket): Record<string, unknown> {
  return {
    ...bucket,
    objects: [...bucket.objects.values()].map(({ body, ...object }) => ({ ...object, size: body.length })),
  };
}
