import { checksumAlgorithms, checksumHeader } from './checksums.js';
import { s3Errors } from './errors.js';
import type { Upload } from './multipart.js';
import {
  bucketOf,
  bucketResource,
  checkExpectedOwner,
  encoderOf,
  header,
  keyOf,
  metadataOf,
  objectHeadersOf,
  objectResources,
  ownerOf,
  queryInteger,
  queryString,
  requireBody,
  taggingHeader,
  versionIdHeader,
  xmlHeaders,
  type S3Operation,
} from './operation.js';
import { integrityOf } from './wire.js';

/**
 * S3's multipart upload operations (CreateMultipartUpload … ListMultipartUploads):
 * rows of the operation table in binding.ts, over the uploads in multipart.ts.
 */
export const multipartOperations: S3Operation[] = [
  {
    operation: 'CreateMultipartUpload',
    method: 'POST',
    path: '/{Bucket}/{Key+}?uploads',
    responseRoot: 'InitiateMultipartUploadResult',
    handle: (_model, call) => {
      const key = keyOf(call);
      checkExpectedOwner(call);
      const storageClass = header(call, 'x-amz-storage-class');
      const tags = taggingHeader(header(call, 'x-amz-tagging'));
      const checksumAlgorithm = header(call, 'x-amz-checksum-algorithm');
      const checksumType = header(call, 'x-amz-checksum-type');
      const upload = call.multipart.create(call.ctx, {
        bucket: bucketOf(call),
        key,
        headers: objectHeadersOf(call, header(call, 'content-encoding')),
        metadata: metadataOf(call.input.headers),
        ...(storageClass !== undefined ? { storageClass } : {}),
        ...(tags !== undefined ? { tags } : {}),
        ...(checksumAlgorithm !== undefined ? { checksumAlgorithm } : {}),
        ...(checksumType !== undefined ? { checksumType } : {}),
      });
      return {
        headers: {
          ...xmlHeaders,
          'x-amz-server-side-encryption': 'AES256',
          ...(upload.checksumAlgorithm !== undefined ? { 'x-amz-checksum-algorithm': upload.checksumAlgorithm, 'x-amz-checksum-type': upload.checksumType } : {}),
        },
        body: { Bucket: upload.bucket, Key: upload.key, UploadId: upload.id },
        resources: objectResources(upload.bucket, key),
      };
    },
  },
  {
    operation: 'UploadPart',
    method: 'PUT',
    path: '/{Bucket}/{Key+}?partNumber&uploadId',
    responseRoot: null,
    rawPayload: true,
    handle: (_model, call) => {
      const key = keyOf(call);
      checkExpectedOwner(call);
      const { upload, part } = call.multipart.uploadPart(call.ctx, {
        bucket: bucketOf(call),
        key,
        uploadId: queryString(call, 'uploadId') ?? '',
        partNumber: queryInteger(call, 'partNumber'),
        body: call.payload.body,
        integrity: integrityOf(call.input.headers, call.payload.trailers),
      });
      return {
        headers: {
          etag: part.etag,
          'x-amz-server-side-encryption': 'AES256',
          ...(upload.checksumAlgorithm !== undefined && part.checksum !== undefined ? { [checksumHeader(upload.checksumAlgorithm)]: part.checksum } : {}),
        },
        resources: objectResources(upload.bucket, key),
      };
    },
  },
  {
    // Same method, path and query as UploadPart; the x-amz-copy-source header tells them apart (see operationOf).
    operation: 'UploadPartCopy',
    method: 'PUT',
    path: '/{Bucket}/{Key+}?partNumber&uploadId&x-id=UploadPartCopy',
    responseRoot: 'CopyPartResult',
    handle: (_model, call) => {
      const key = keyOf(call);
      checkExpectedOwner(call);
      const copySource = header(call, 'x-amz-copy-source');
      if (copySource === undefined) throw s3Errors.invalidArgument('Copy Source must mention the source bucket and key: sourcebucket/sourcekey', 'x-amz-copy-source');
      const range = header(call, 'x-amz-copy-source-range');
      const { upload, part, sourceVersionId } = call.multipart.uploadPartCopy(call.ctx, {
        bucket: bucketOf(call),
        key,
        uploadId: queryString(call, 'uploadId') ?? '',
        partNumber: queryInteger(call, 'partNumber'),
        copySource,
        ...(range !== undefined ? { copySourceRange: range } : {}),
      });
      return {
        headers: { ...xmlHeaders, 'x-amz-server-side-encryption': 'AES256', ...(sourceVersionId !== undefined ? { 'x-amz-copy-source-version-id': sourceVersionId } : {}) },
        body: {
          ETag: part.etag,
          LastModified: new Date(part.lastModified),
          ...(upload.checksumAlgorithm !== undefined && part.checksum !== undefined ? { [`Checksum${upload.checksumAlgorithm}`]: part.checksum } : {}),
        },
        resources: objectResources(upload.bucket, key),
      };
    },
  },
  {
    operation: 'CompleteMultipartUpload',
    method: 'POST',
    path: '/{Bucket}/{Key+}?uploadId',
    responseRoot: 'CompleteMultipartUploadResult',
    requestRoot: 'CompleteMultipartUpload',
    handle: (model, call) => {
      const key = keyOf(call);
      checkExpectedOwner(call);
      const body = requireBody(call, 'CompleteMultipartUpload');
      const parts = (body.has('Part') ? body.required('Part', (r, n) => r.objectList(n)) : []).map((part) => {
        const partNumber = part.integer('PartNumber');
        const etag = part.string('ETag');
        const checksums = Object.fromEntries(checksumAlgorithms.flatMap((a) => (part.has(`Checksum${a}`) ? [[a, part.string(`Checksum${a}`)!]] : [])));
        return { ...(partNumber !== undefined ? { partNumber } : {}), ...(etag !== undefined ? { etag } : {}), checksums };
      });
      const ifNoneMatch = header(call, 'if-none-match');
      const { bucket, version } = call.multipart.complete(call.ctx, {
        bucket: bucketOf(call),
        key,
        uploadId: queryString(call, 'uploadId') ?? '',
        parts,
        ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}),
      });
      return {
        headers: { ...xmlHeaders, 'x-amz-server-side-encryption': 'AES256', ...versionIdHeader(bucket, version.versionId) },
        body: {
          Location: `https://${bucket.name}.s3.${bucket.region}.amazonaws.com/${encodeURIComponent(key).replace(/%2F/g, '/')}`,
          Bucket: bucket.name,
          Key: key,
          ETag: version.etag,
          [`Checksum${version.checksum.algorithm}`]: version.checksum.value,
          ChecksumType: version.checksum.type ?? 'FULL_OBJECT',
        },
        resources: objectResources(bucket.name, key),
      };
    },
  },
  {
    operation: 'AbortMultipartUpload',
    method: 'DELETE',
    path: '/{Bucket}/{Key+}?uploadId',
    successStatus: 204,
    responseRoot: null,
    handle: (_model, call) => {
      const key = keyOf(call);
      checkExpectedOwner(call);
      call.multipart.abort(call.ctx, { bucket: bucketOf(call), key, uploadId: queryString(call, 'uploadId') ?? '' });
      return { resources: objectResources(bucketOf(call), key) };
    },
  },
  {
    operation: 'ListParts',
    method: 'GET',
    path: '/{Bucket}/{Key+}?uploadId',
    responseRoot: 'ListPartsResult',
    handle: (model, call) => {
      const key = keyOf(call);
      const maxParts = queryInteger(call, 'max-parts');
      const marker = queryInteger(call, 'part-number-marker');
      const { upload, page, maxParts: max } = call.multipart.listParts(call.ctx, {
        bucket: bucketOf(call),
        key,
        uploadId: queryString(call, 'uploadId') ?? '',
        ...(maxParts !== undefined ? { maxParts } : {}),
        ...(marker !== undefined ? { partNumberMarker: marker } : {}),
      });
      const owner = { ID: model.canonicalUserId(call.ctx.accountId) };
      return {
        headers: xmlHeaders,
        body: {
          Bucket: upload.bucket,
          Key: upload.key,
          UploadId: upload.id,
          PartNumberMarker: marker ?? 0,
          NextPartNumberMarker: page.next?.partNumber,
          MaxParts: max,
          IsTruncated: page.truncated,
          Part: page.items.map((part) => ({
            PartNumber: part.number,
            LastModified: new Date(part.lastModified),
            ETag: part.etag,
            Size: part.body.byteLength,
            ...(upload.checksumAlgorithm !== undefined && part.checksum !== undefined ? { [`Checksum${upload.checksumAlgorithm}`]: part.checksum } : {}),
          })),
          Initiator: { ID: upload.initiator.arn, DisplayName: upload.initiator.role },
          Owner: owner,
          StorageClass: upload.storageClass,
          ChecksumAlgorithm: upload.checksumAlgorithm,
          ChecksumType: upload.checksumAlgorithm !== undefined ? upload.checksumType : undefined,
        },
        resources: objectResources(upload.bucket, key),
      };
    },
  },
  {
    operation: 'ListMultipartUploads',
    method: 'GET',
    path: '/{Bucket}?uploads',
    responseRoot: 'ListMultipartUploadsResult',
    handle: (model, call) => {
      const { encode, encodingType } = encoderOf(call);
      const prefix = queryString(call, 'prefix');
      const delimiter = queryString(call, 'delimiter') || undefined;
      const keyMarker = queryString(call, 'key-marker');
      const uploadIdMarker = queryString(call, 'upload-id-marker');
      const maxUploads = queryInteger(call, 'max-uploads');
      const result = call.multipart.listUploads(call.ctx, {
        bucket: bucketOf(call),
        ...(prefix !== undefined ? { prefix } : {}),
        ...(delimiter !== undefined ? { delimiter } : {}),
        ...(keyMarker !== undefined ? { keyMarker } : {}),
        ...(uploadIdMarker !== undefined ? { uploadIdMarker } : {}),
        ...(maxUploads !== undefined ? { maxUploads } : {}),
      });
      const bucket = result.bucket;
      const owner = ownerOf(model, bucket);
      return {
        headers: xmlHeaders,
        body: {
          Bucket: bucket.name,
          KeyMarker: encode(keyMarker ?? ''),
          UploadIdMarker: uploadIdMarker ?? '',
          NextKeyMarker: result.next === undefined ? undefined : encode(result.next.key),
          NextUploadIdMarker: result.next?.uploadId,
          Prefix: encode(prefix ?? ''),
          Delimiter: delimiter === undefined ? undefined : encode(delimiter),
          MaxUploads: result.maxUploads,
          EncodingType: encodingType,
          IsTruncated: result.truncated,
          Upload: result.uploads.map((upload: Upload) => ({
            Key: encode(upload.key),
            UploadId: upload.id,
            Initiator: { ID: upload.initiator.arn, DisplayName: upload.initiator.role },
            Owner: owner,
            StorageClass: upload.storageClass,
            Initiated: new Date(upload.initiated),
            ChecksumAlgorithm: upload.checksumAlgorithm,
            ChecksumType: upload.checksumAlgorithm !== undefined ? upload.checksumType : undefined,
          })),
          CommonPrefixes: result.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
        },
        resources: bucketResource(bucket.name),
      };
    },
  },
];
