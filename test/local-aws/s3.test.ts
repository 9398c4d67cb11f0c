// S3 through the AWS SDK v3 (path-style), and the wire details SDKs rely on: XML errors, checksums, aws-chunked bodies.
import t from 'tap';
import { createHash } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  DeleteObjectTaggingCommand,
  GetBucketAccelerateConfigurationCommand,
  GetBucketAclCommand,
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  GetBucketRequestPaymentCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetBucketWebsiteCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  GetObjectTaggingCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketCorsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { startEndpoint, type RunningEndpoint } from '../support/endpoint';
import { awsClientConfig, failure } from './sdk';

let endpoint: RunningEndpoint;
let s3: S3Client;
const REGION = 'us-west-2';

function client(region = REGION, accessKeyId = 'test'): S3Client {
  return new S3Client({ ...awsClientConfig(endpoint.url, region, accessKeyId), forcePathStyle: true });
}

async function bodyOf(response: { Body?: { transformToByteArray(): Promise<Uint8Array> } }): Promise<Buffer> {
  return Buffer.from(await response.Body!.transformToByteArray());
}

const md5Hex = (data: Buffer | string) => createHash('md5').update(data).digest('hex');
const AUTH = `AWS4-HMAC-SHA256 Credential=test/20240101/${REGION}/s3/aws4_request, SignedHeaders=host, Signature=00`;

async function newBucket(name = 'models'): Promise<string> {
  await s3.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: REGION } }));
  return name;
}

t.before(async () => {
  endpoint = await startEndpoint();
  s3 = client();
});
t.teardown(async () => {
  s3.destroy();
  await endpoint.stop();
});
t.beforeEach(() => endpoint.admin.reset());

t.test('CreateBucket: location constraints, names, ownership of the global namespace', async (t) => {
  await newBucket('artifacts');
  const head = await s3.send(new HeadBucketCommand({ Bucket: 'artifacts' }));
  t.equal(head.BucketRegion, REGION);
  t.equal((await s3.send(new GetBucketLocationCommand({ Bucket: 'artifacts' }))).LocationConstraint, REGION);

  // The SDK fills in the client's region as the constraint, so the unspecified one goes on the wire by hand.
  const unspecified = await fetch(`${endpoint.url}/other`, { method: 'PUT', headers: { authorization: AUTH } });
  t.equal(unspecified.status, 400);
  t.match(
    await unspecified.text(),
    '<Code>IllegalLocationConstraintException</Code><Message>The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.</Message>',
  );
  t.equal(
    (await failure(s3.send(new CreateBucketCommand({ Bucket: 'other', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })))).message,
    'The eu-west-1 location constraint is incompatible for the region specific endpoint this request was sent to.',
  );
  t.same(await failure(s3.send(new CreateBucketCommand({ Bucket: 'artifacts', CreateBucketConfiguration: { LocationConstraint: REGION } }))), {
    name: 'BucketAlreadyOwnedByYou',
    message: 'Your previous request to create the named bucket succeeded and you already own it.',
    status: 409,
  });
  const stranger = client(REGION, '111122223333');
  t.teardown(() => stranger.destroy());
  t.equal(
    (await failure(stranger.send(new CreateBucketCommand({ Bucket: 'artifacts', CreateBucketConfiguration: { LocationConstraint: REGION } })))).name,
    'BucketAlreadyExists',
    'bucket names are global',
  );
  for (const bad of ['UpperCase', 'ab', 'a..b', '192.168.0.1', '-dash']) {
    const error = await failure(s3.send(new CreateBucketCommand({ Bucket: bad, CreateBucketConfiguration: { LocationConstraint: REGION } })));
    t.equal(error.name, 'InvalidBucketName', bad);
  }

  const east = client('us-east-1');
  t.teardown(() => east.destroy());
  await east.send(new CreateBucketCommand({ Bucket: 'east-bucket' }));
  t.equal((await east.send(new GetBucketLocationCommand({ Bucket: 'east-bucket' }))).LocationConstraint, undefined, 'us-east-1 is the empty constraint');
  await east.send(new CreateBucketCommand({ Bucket: 'east-bucket' }));
  t.pass('us-east-1 keeps its legacy answer to re-creating an owned bucket');

  const listed = await s3.send(new ListBucketsCommand({}));
  t.same(listed.Buckets!.map((b) => [b.Name, b.BucketRegion]), [
    ['artifacts', REGION],
    ['east-bucket', 'us-east-1'],
  ]);
  t.match(listed.Owner!.ID, /^[0-9a-f]{64}$/);
  t.same((await stranger.send(new ListBucketsCommand({}))).Buckets ?? [], [], 'each account lists its own buckets');
});

t.test('a new bucket answers every sub-configuration as AWS does', async (t) => {
  const Bucket = await newBucket();
  const notFound = async (promise: Promise<unknown>) => {
    const error = await failure(promise);
    t.equal(error.status, 404, error.name);
    return error.name;
  };
  t.equal(await notFound(s3.send(new GetBucketTaggingCommand({ Bucket }))), 'NoSuchTagSet');
  t.equal(await notFound(s3.send(new GetBucketPolicyCommand({ Bucket }))), 'NoSuchBucketPolicy');
  t.equal(await notFound(s3.send(new GetBucketCorsCommand({ Bucket }))), 'NoSuchCORSConfiguration');
  t.equal(await notFound(s3.send(new GetBucketWebsiteCommand({ Bucket }))), 'NoSuchWebsiteConfiguration');
  t.equal(await notFound(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))), 'NoSuchLifecycleConfiguration');
  t.equal(await notFound(s3.send(new GetBucketReplicationCommand({ Bucket }))), 'ReplicationConfigurationNotFoundError');
  t.equal(await notFound(s3.send(new GetObjectLockConfigurationCommand({ Bucket }))), 'ObjectLockConfigurationNotFoundError');

  const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket }));
  t.same([versioning.Status, versioning.MFADelete], [undefined, undefined], 'versioning never configured');
  t.equal((await s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket }))).Status, undefined);
  t.equal((await s3.send(new GetBucketRequestPaymentCommand({ Bucket }))).Payer, 'BucketOwner');
  t.equal((await s3.send(new GetBucketLoggingCommand({ Bucket }))).LoggingEnabled, undefined);
  const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket }));
  t.same(encryption.ServerSideEncryptionConfiguration!.Rules, [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }]);
  t.same((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls!.Rules, [{ ObjectOwnership: 'BucketOwnerEnforced' }]);
  t.same((await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration, {
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: true,
  });
  const acl = await s3.send(new GetBucketAclCommand({ Bucket }));
  t.same(acl.Grants, [{ Grantee: { ID: acl.Owner!.ID, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' }]);

  const unsupported = await failure(
    s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }] } })),
  );
  t.same([unsupported.name, unsupported.status], ['NotImplemented', 501], 'what is not modelled says so');

  const missing = await failure(s3.send(new GetBucketTaggingCommand({ Bucket: 'no-such-bucket' })));
  t.same(missing, { name: 'NoSuchBucket', message: 'The specified bucket does not exist', status: 404 });
  t.same((await failure(s3.send(new HeadBucketCommand({ Bucket: 'no-such-bucket' })))).status, 404);
});

t.test('bucket tags and policy', async (t) => {
  const Bucket = await newBucket();
  await s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'team', Value: 'ml' }, { Key: 'empty', Value: '' }] } }));
  t.same((await s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet, [
    { Key: 'team', Value: 'ml' },
    { Key: 'empty', Value: '' },
  ]);
  const system = await failure(s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'aws:owner', Value: 'x' }] } })));
  t.same(system, { name: 'InvalidTag', message: 'System tags cannot be added/updated by requester', status: 400 });
  const duplicate = await failure(s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] } })));
  t.equal(duplicate.message, 'Cannot provide multiple Tags with the same key');
  await s3.send(new DeleteBucketTaggingCommand({ Bucket }));
  t.equal((await failure(s3.send(new GetBucketTaggingCommand({ Bucket })))).name, 'NoSuchTagSet');

  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `arn:aws:s3:::${Bucket}/*` }] });
  await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: policy }));
  t.equal((await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy, policy);
  t.equal((await failure(s3.send(new PutBucketPolicyCommand({ Bucket, Policy: 'not json' })))).name, 'MalformedPolicy');
  await s3.send(new DeleteBucketPolicyCommand({ Bucket }));
  t.equal((await failure(s3.send(new GetBucketPolicyCommand({ Bucket })))).name, 'NoSuchBucketPolicy');
});

t.test('PutObject, GetObject, HeadObject: body, ETag, headers, metadata, checksums', async (t) => {
  const Bucket = await newBucket();
  const Body = Buffer.from('model weights \u00e9\n');
  const put = await s3.send(
    new PutObjectCommand({
      Bucket,
      Key: 'models/v1/model.tar.gz',
      Body,
      ContentType: 'application/gzip',
      CacheControl: 'max-age=60',
      Metadata: { stage: 'prod' },
      Tagging: 'kind=model&owner=ml%20team',
    }),
  );
  t.equal(put.ETag, `"${md5Hex(Body)}"`, 'the ETag is the MD5 of the body');
  t.equal(put.ServerSideEncryption, 'AES256');
  t.ok(put.ChecksumCRC32, 'the SDK sent a CRC32 checksum, and the endpoint confirmed it');

  const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'models/v1/model.tar.gz' }));
  t.same(await bodyOf(got), Body);
  t.equal(got.ContentType, 'application/gzip');
  t.equal(got.CacheControl, 'max-age=60');
  t.equal(got.ContentLength, Body.length);
  t.same(got.Metadata, { stage: 'prod' });
  t.equal(got.TagCount, 2);
  t.ok(got.LastModified instanceof Date);

  const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'models/v1/model.tar.gz', ChecksumMode: 'ENABLED' }));
  t.equal(head.ETag, put.ETag);
  t.equal(head.ChecksumCRC32, put.ChecksumCRC32, 'checksums come back when asked for');
  t.equal(head.ChecksumType, 'FULL_OBJECT');
  t.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: 'models/v1/model.tar.gz' }))).ChecksumCRC32, undefined, 'and only then');

  await s3.send(new PutObjectCommand({ Bucket, Key: 'plain', Body: 'x', ChecksumAlgorithm: 'SHA256' }));
  const plain = await s3.send(new HeadObjectCommand({ Bucket, Key: 'plain', ChecksumMode: 'ENABLED' }));
  t.equal(plain.ChecksumSHA256, createHash('sha256').update('x').digest('base64'));

  const ranged = await s3.send(new GetObjectCommand({ Bucket, Key: 'models/v1/model.tar.gz', Range: 'bytes=0-4' }));
  t.equal((await bodyOf(ranged)).toString(), 'model');
  t.equal(ranged.ContentRange, `bytes 0-4/${Body.length}`);
  t.equal((await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'plain', Range: 'bytes=5-9' })))).name, 'InvalidRange');

  t.same(await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'absent' }))), {
    name: 'NoSuchKey',
    message: 'The specified key does not exist.',
    status: 404,
  });
  t.same((await failure(s3.send(new HeadObjectCommand({ Bucket, Key: 'absent' })))).name, 'NotFound', 'HEAD errors have no body');
  t.equal((await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'plain', IfMatch: '"0000"' })))).name, 'PreconditionFailed');
  t.equal((await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'plain', IfNoneMatch: `"${md5Hex('x')}"` })))).status, 304);
  t.equal((await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'plain', Body: 'y', IfNoneMatch: '*' })))).name, 'PreconditionFailed');

  const badChecksum = await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'bad', Body: 'abc', ChecksumSHA256: createHash('sha256').update('xyz').digest('base64') })));
  t.same(badChecksum, { name: 'BadDigest', message: 'The SHA256 you specified did not match the calculated checksum.', status: 400 });
  const badMd5 = await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'bad', Body: 'abc', ContentMD5: createHash('md5').update('xyz').digest('base64') })));
  t.same([badMd5.name, badMd5.message], ['BadDigest', 'The Content-MD5 you specified did not match what we received.']);
  t.equal((await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'bad', Body: 'abc', ACL: 'public-read' })))).name, 'AccessControlListNotSupported');
  t.equal((await failure(s3.send(new PutObjectCommand({ Bucket: 'no-such-bucket', Key: 'k', Body: 'abc' })))).name, 'NoSuchBucket');
});

t.test('object tags', async (t) => {
  const Bucket = await newBucket();
  await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'v' }));
  t.same((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'k' }))).TagSet, [], 'an untagged object has an empty tag set, not an error');
  await s3.send(new PutObjectTaggingCommand({ Bucket, Key: 'k', Tagging: { TagSet: [{ Key: 'a', Value: '1' }] } }));
  t.same((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'k' }))).TagSet, [{ Key: 'a', Value: '1' }]);
  const eleven = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  t.same(await failure(s3.send(new PutObjectTaggingCommand({ Bucket, Key: 'k', Tagging: { TagSet: eleven } }))), {
    name: 'BadRequest',
    message: 'Object tags cannot be greater than 10',
    status: 400,
  });
  await s3.send(new DeleteObjectTaggingCommand({ Bucket, Key: 'k' }));
  t.same((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'k' }))).TagSet, []);
  t.equal((await failure(s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'absent' })))).name, 'NoSuchKey');
});

t.test('listing: V2 with prefixes, delimiters and continuation, V1, versions', async (t) => {
  const Bucket = await newBucket();
  for (const Key of ['a/1', 'a/2', 'b/1', 'c', 'd e+f']) await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));

  const all = await s3.send(new ListObjectsV2Command({ Bucket }));
  t.same(all.Contents!.map((o) => o.Key), ['a/1', 'a/2', 'b/1', 'c', 'd e+f']);
  t.equal(all.KeyCount, 5);
  t.equal(all.Contents![0].ETag, `"${md5Hex('a/1')}"`);
  t.equal(all.Contents![0].Size, 3);

  const folded = await s3.send(new ListObjectsV2Command({ Bucket, Delimiter: '/' }));
  t.same(folded.CommonPrefixes!.map((p) => p.Prefix), ['a/', 'b/']);
  t.same(folded.Contents!.map((o) => o.Key), ['c', 'd e+f']);

  const keys: string[] = [];
  let ContinuationToken: string | undefined;
  let pages = 0;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket, Delimiter: '/', MaxKeys: 1, ContinuationToken }));
    keys.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix!), ...(page.Contents ?? []).map((o) => o.Key!));
    ContinuationToken = page.NextContinuationToken;
    pages++;
  } while (ContinuationToken);
  t.same(keys, ['a/', 'b/', 'c', 'd e+f'], 'a common prefix is listed once across pages');
  t.equal(pages, 4);

  t.same((await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'a/', StartAfter: 'a/1' }))).Contents!.map((o) => o.Key), ['a/2']);
  const v1 = await s3.send(new ListObjectsCommand({ Bucket, Marker: 'b/1' }));
  t.same(v1.Contents!.map((o) => o.Key), ['c', 'd e+f']);
  t.ok(v1.Contents![0].Owner?.ID, 'ListObjects (V1) names the owner');

  const versions = await s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: 'a/' }));
  t.same(versions.Versions!.map((v) => [v.Key, v.VersionId, v.IsLatest]), [
    ['a/1', 'null', true],
    ['a/2', 'null', true],
  ]);
  t.same(versions.DeleteMarkers ?? [], []);
});

t.test('deleting objects and buckets', async (t) => {
  const Bucket = await newBucket();
  for (const Key of ['x', 'y', 'z']) await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
  t.same(await failure(s3.send(new DeleteBucketCommand({ Bucket }))), {
    name: 'BucketNotEmpty',
    message: 'The bucket you tried to delete is not empty',
    status: 409,
  });
  await s3.send(new DeleteObjectCommand({ Bucket, Key: 'x' }));
  await s3.send(new DeleteObjectCommand({ Bucket, Key: 'x' }));
  t.pass('deleting an absent key succeeds');
  const deleted = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'y' }, { Key: 'z', VersionId: 'null' }, { Key: 'never' }] } }));
  t.same(deleted.Deleted!.map((d) => d.Key), ['y', 'z', 'never']);
  t.same(deleted.Errors ?? [], []);
  const quiet = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'gone' }], Quiet: true } }));
  t.same(quiet.Deleted ?? [], [], 'Quiet reports errors only');
  await s3.send(new DeleteBucketCommand({ Bucket }));
  t.equal((await failure(s3.send(new HeadBucketCommand({ Bucket })))).status, 404);
  t.same((await endpoint.admin.state()).buckets, []);
});

t.test('multipart uploads', async (t) => {
  const Bucket = await newBucket();
  const Key = 'big/model.bin';
  const first = Buffer.alloc(5 * 1024 * 1024, 1);
  const second = Buffer.from('tail');
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key, ContentType: 'application/x-model', ChecksumAlgorithm: 'CRC32' }));
  const one = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: first, ChecksumAlgorithm: 'CRC32' }));
  const two = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 2, Body: second, ChecksumAlgorithm: 'CRC32' }));
  t.equal(one.ETag, `"${md5Hex(first)}"`);

  const wrongOrder = await failure(
    s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 2, ETag: two.ETag }, { PartNumber: 1, ETag: one.ETag }] },
      }),
    ),
  );
  t.equal(wrongOrder.name, 'InvalidPartOrder');
  const wrongEtag = await failure(
    s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: two.ETag }] } })),
  );
  t.equal(wrongEtag.name, 'InvalidPart');

  const done = await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket,
      Key,
      UploadId,
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: one.ETag, ChecksumCRC32: one.ChecksumCRC32 }, { PartNumber: 2, ETag: two.ETag, ChecksumCRC32: two.ChecksumCRC32 }] },
    }),
  );
  const partMd5s = Buffer.concat([createHash('md5').update(first).digest(), createHash('md5').update(second).digest()]);
  t.equal(done.ETag, `"${md5Hex(partMd5s)}-2"`, 'a multipart ETag is the MD5 of the part MD5s, then the part count');
  t.match(done.ChecksumCRC32, /^[A-Za-z0-9+/]+=*-2$/, 'a composite checksum');
  const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
  t.equal(got.ContentType, 'application/x-model');
  t.same(await bodyOf(got), Buffer.concat([first, second]));
  t.equal((await failure(s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 3, Body: 'x' })))).name, 'NoSuchUpload', 'a completed upload is gone');

  const small = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'small' }));
  const p1 = await s3.send(new UploadPartCommand({ Bucket, Key: 'small', UploadId: small.UploadId, PartNumber: 1, Body: 'a' }));
  const p2 = await s3.send(new UploadPartCommand({ Bucket, Key: 'small', UploadId: small.UploadId, PartNumber: 2, Body: 'b' }));
  const tooSmall = await failure(
    s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: 'small',
        UploadId: small.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] },
      }),
    ),
  );
  t.same([tooSmall.name, tooSmall.message], ['EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.']);
  await s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'small', UploadId: small.UploadId }));
  t.equal((await failure(s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'small', UploadId: small.UploadId })))).name, 'NoSuchUpload');
});

t.test('raw wire: aws-chunked bodies with checksum trailers, XML errors, signing', async (t) => {
  await newBucket('raw');
  const chunked = (data: string, trailer: string) => `${data.length.toString(16)}\r\n${data}\r\n0\r\n${trailer}\r\n\r\n`;
  const crc32 = (data: string) => {
    const value = Buffer.alloc(4);
    value.writeUInt32BE(zlibCrc32(data) >>> 0);
    return value.toString('base64');
  };
  const headers = {
    authorization: AUTH,
    'content-encoding': 'aws-chunked',
    'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    'x-amz-decoded-content-length': '5',
    'x-amz-trailer': 'x-amz-checksum-crc32',
  };
  // A binary body, so fetch adds no Content-Type of its own.
  const put = await fetch(`${endpoint.url}/raw/chunked.txt`, { method: 'PUT', headers, body: Buffer.from(chunked('hello', `x-amz-checksum-crc32:${crc32('hello')}`)) });
  t.equal(put.status, 200);
  t.equal(put.headers.get('x-amz-checksum-crc32'), crc32('hello'));
  const get = await fetch(`${endpoint.url}/raw/chunked.txt`, { headers: { authorization: AUTH } });
  t.equal(await get.text(), 'hello', 'the chunk framing is not part of the object');
  t.equal(get.headers.get('content-encoding'), null, 'aws-chunked is not kept as the object\'s encoding');
  t.equal(get.headers.get('content-type'), 'binary/octet-stream', "S3's content type for an object sent without one");

  const bad = await fetch(`${endpoint.url}/raw/bad.txt`, { method: 'PUT', headers, body: chunked('hello', `x-amz-checksum-crc32:${crc32('jello')}`) });
  t.equal(bad.status, 400);
  const text = await bad.text();
  t.match(text, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<Error><Code>BadDigest<\/Code><Message>The CRC32 you specified did not match the calculated checksum\.<\/Message><RequestId>[0-9A-F]{16}<\/RequestId><HostId>/);
  t.match(bad.headers.get('x-amz-request-id'), /^[0-9A-F]{16}$/);

  const shaMismatch = await fetch(`${endpoint.url}/raw/sha.txt`, {
    method: 'PUT',
    headers: { authorization: AUTH, 'x-amz-content-sha256': createHash('sha256').update('other').digest('hex') },
    body: 'data',
  });
  t.match(await shaMismatch.text(), /<Code>XAmzContentSHA256Mismatch<\/Code>/);

  const unsigned = await fetch(`${endpoint.url}/raw/chunked.txt`);
  t.equal(unsigned.status, 403);
  t.match(await unsigned.text(), /<Code>AccessDenied<\/Code><Message>Access Denied<\/Message>/);
  const malformedNew = await fetch(`${endpoint.url}/fresh-bucket`, { method: 'PUT', headers: { authorization: AUTH }, body: '<CreateBucketConfiguration><LocationConstraint>' });
  t.match(await malformedNew.text(), /<Code>MalformedXML<\/Code>/);
  const post = await fetch(`${endpoint.url}/raw`, { method: 'POST', headers: { authorization: AUTH } });
  t.equal(post.status, 405);
  t.match(await post.text(), /<Code>MethodNotAllowed<\/Code>/);
});

t.test('S3 calls are logged and take faults, in S3\'s own error codes', async (t) => {
  const Bucket = await newBucket();
  await endpoint.admin.faults({ throttle: { operation: 'S3.PutObject', next: 1 }, internalError: { operation: 'S3.HeadObject', next: 1 } });
  const slow = await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'v' })));
  t.same([slow.name, slow.status], ['SlowDown', 503]);
  await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'v' }));
  t.equal((await failure(s3.send(new HeadObjectCommand({ Bucket, Key: 'k' })))).status, 500);
  const calls = await endpoint.admin.calls();
  t.equal(calls.counts['S3.PutObject'], 2);
  t.same(
    calls.recent.filter((c) => c.operation === 'PutObject').map((c) => [c.service, c.status, c.errorCode]),
    [
      ['S3', 503, 'SlowDown'],
      ['S3', 200, null],
    ],
  );
  const state = await endpoint.admin.state();
  t.same(
    state.buckets.map((b) => [b.name, b.region, b.objects.map((o) => [o.key, o.size, o.etag])]),
    [[Bucket, REGION, [['k', 1, `"${md5Hex('v')}"`]]]],
    'the admin state lists buckets and objects (without bodies)',
  );
});
