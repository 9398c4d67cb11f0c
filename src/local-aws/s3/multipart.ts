// Multipart uploads: create, upload parts, complete, abort.
import { randomBytes } from 'node:crypto';
import { CHECKSUM_ALGORITHMS, type ChecksumAlgorithm, checksum, digest, isChecksumAlgorithm, md5 } from '../checksums';
import type { Backend } from '../context';
import type { ChecksumType, MultipartUpload, StoredBucket, StoredObject, UploadedPart } from '../state';
import { child, children, restXmlDocument } from '../xml';
import { checkWriteConditions, objectAttributes } from './objects';
import { CHECKSUM_HEADER, parseBody, readPayload } from './payload';
import { header, invalidArgument, invalidRequest, isoTime, malformedXml, ok, S3Error, type S3Request, type S3Response } from './protocol';

const MIN_PART_BYTES = 5 * 1024 * 1024;

export function findUpload(backend: Backend, bucket: StoredBucket, key: string, request: S3Request): MultipartUpload {
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

export function createMultipartUpload(backend: Backend, bucket: StoredBucket, key: string, request: S3Request): S3Response {
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

export function uploadPart(backend: Backend, bucket: StoredBucket, key: string, request: S3Request): S3Response {
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

export function completeMultipartUpload(backend: Backend, bucket: StoredBucket, key: string, request: S3Request): S3Response {
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
