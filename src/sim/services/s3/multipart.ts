import { createHash } from 'node:crypto';
import type { EpochMs } from '../../../clock/types.js';
import type { CallContext, Rng, SimWorld } from '../../types.js';
import { checksumAlgorithms, computeChecksum, md5Hex } from './checksums.js';
import { S3Error, s3Errors } from './errors.js';
import { compareKeys, verifyIntegrity, type S3Model } from './model.js';
import type { Bucket, ChecksumAlgorithm, IntegrityClaims, ObjectHeaders, ObjectVersion, StoredChecksum, Tag } from './types.js';

/** S3's multipart limits (Amazon S3 User Guide, "Amazon S3 multipart upload limits"). */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
export const MAX_PART_BYTES = 5 * 1024 * 1024 * 1024;
export const MAX_PARTS = 10_000;
const MAX_LIST = 1000;
const UPLOAD_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';

export interface Part {
  number: number;
  body: Uint8Array;
  /** Quoted hex MD5 of the part. */
  etag: string;
  lastModified: EpochMs;
  /** The part's checksum in the upload's algorithm (the client's, else computed). */
  checksum?: string;
}

export interface Upload {
  id: string;
  bucket: string;
  key: string;
  initiated: EpochMs;
  initiator: { arn: string; role: string };
  headers: ObjectHeaders;
  metadata: Record<string, string>;
  storageClass: string;
  tags: Tag[];
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType: 'FULL_OBJECT' | 'COMPOSITE';
  parts: Map<number, Part>;
}

export interface CreateUploadInput {
  bucket: string;
  key: string;
  headers: Partial<ObjectHeaders>;
  metadata: Record<string, string>;
  storageClass?: string;
  tags?: Tag[];
  checksumAlgorithm?: string;
  checksumType?: string;
}

export interface CompletedPartInput {
  partNumber?: number;
  etag?: string;
  /** The part's checksums as the request lists them (`<ChecksumCRC32>` …), by algorithm. */
  checksums?: Partial<Record<ChecksumAlgorithm, string>>;
}

export interface PartsPage {
  items: Part[];
  truncated: boolean;
  /** The last part number listed, where ListParts resumes (part-number-marker). */
  next?: { partNumber: number };
}

/**
 * S3 multipart uploads on the S3 model: CreateMultipartUpload,
 * UploadPart(Copy), CompleteMultipartUpload, AbortMultipartUpload,
 * ListParts and ListMultipartUploads, with S3's rules (part numbers 1 to
 * 10,000, every part but the last at least 5 MiB, parts listed in order and
 * by their ETags), multipart ETags (the MD5 of the parts' MD5s, `-N`) and
 * checksums (a composite of the parts', or of the whole object). The
 * assembled object is committed as a single PUT is: a new version, replicated.
 */
export class MultipartUploads {
  private readonly uploads = new Map<string, Upload>();
  private readonly ids: Rng;

  constructor(
    private readonly model: S3Model,
    private readonly world: SimWorld,
  ) {
    this.ids = world.rng.fork('s3:multipart-upload-ids');
    // S3 deletes a bucket that has uploads in progress, and they go with it: a bucket of the same name made later starts with none.
    world.onEvent((event) => {
      if (event.kind !== 's3.bucket.deleted') return;
      for (const [id, upload] of this.uploads) if (upload.bucket === event.detail['bucket']) this.uploads.delete(id);
    });
  }

  private now(): EpochMs {
    return this.world.clock.now();
  }

  private upload(bucket: Bucket, key: string, uploadId: string): Upload {
    const upload = this.uploads.get(uploadId);
    if (!upload || upload.bucket !== bucket.name || upload.key !== key) throw noSuchUpload(uploadId);
    return upload;
  }

  create(ctx: CallContext, input: CreateUploadInput): Upload {
    const bucket = this.model.bucketForCall(ctx, input.bucket);
    this.model.checkNewObject(input.key, input.storageClass);
    let algorithm: ChecksumAlgorithm | undefined;
    if (input.checksumAlgorithm !== undefined) {
      const upper = input.checksumAlgorithm.toUpperCase();
      if (!(checksumAlgorithms as readonly string[]).includes(upper)) {
        throw s3Errors.invalidRequest('Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]');
      }
      algorithm = upper as ChecksumAlgorithm;
    }
    // CRC64NVME checksums are of the whole object only; SHA ones of the parts only; CRC32(C) either, composite unless asked.
    const type = (input.checksumType?.toUpperCase() ?? (algorithm === undefined || algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE')) as Upload['checksumType'];
    if (type !== 'FULL_OBJECT' && type !== 'COMPOSITE') throw s3Errors.invalidRequest(`Value for x-amz-checksum-type header is invalid: ${input.checksumType}`);
    if ((type === 'FULL_OBJECT' && (algorithm === 'SHA1' || algorithm === 'SHA256')) || (type === 'COMPOSITE' && algorithm === 'CRC64NVME')) {
      throw s3Errors.invalidRequest(`The ${type} checksum type cannot be used with the ${algorithm} checksum algorithm.`);
    }
    const id = this.ids.alnum(64, UPLOAD_ID_ALPHABET);
    const upload: Upload = {
      id,
      bucket: bucket.name,
      key: input.key,
      initiated: this.now(),
      initiator: { arn: ctx.identity.arn, role: ctx.identity.role },
      headers: { contentType: 'binary/octet-stream', ...input.headers },
      metadata: { ...input.metadata },
      storageClass: input.storageClass ?? 'STANDARD',
      tags: [...(input.tags ?? [])],
      ...(algorithm !== undefined ? { checksumAlgorithm: algorithm } : {}),
      checksumType: type,
      parts: new Map(),
    };
    this.uploads.set(id, upload);
    this.world.emit('s3.multipart.created', { bucket: bucket.name, key: input.key, uploadId: id });
    return upload;
  }

  private checkPartNumber(partNumber: number | undefined): number {
    if (partNumber === undefined || !Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PARTS) {
      throw s3Errors.invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', String(partNumber ?? ''));
    }
    return partNumber;
  }

  /** A part's body, checked against what the request claims; a later part of the same number replaces it. */
  uploadPart(ctx: CallContext, input: { bucket: string; key: string; uploadId: string; partNumber?: number; body: Uint8Array; integrity: IntegrityClaims }): { upload: Upload; part: Part } {
    const bucket = this.model.bucketForCall(ctx, input.bucket);
    const upload = this.upload(bucket, input.key, input.uploadId);
    const number = this.checkPartNumber(input.partNumber);
    if (input.body.byteLength > MAX_PART_BYTES) throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400);
    verifyIntegrity(input.body, input.integrity);
    const algorithm = upload.checksumAlgorithm;
    if (algorithm !== undefined) {
      const sent = Object.keys(input.integrity.checksums).find((a) => a !== algorithm);
      if (sent !== undefined && input.integrity.checksums[algorithm] === undefined) {
        throw s3Errors.invalidRequest(`Checksum Type mismatch occurred, expected checksum Type: ${algorithm.toLowerCase()}, actual checksum Type: ${sent.toLowerCase()}`);
      }
    }
    return { upload, part: this.addPart(upload, number, input.body, algorithm !== undefined ? (input.integrity.checksums[algorithm] ?? computeChecksum(algorithm, input.body)) : undefined) };
  }

  /** UploadPartCopy: a part copied from an object (or a byte range of it). */
  uploadPartCopy(
    ctx: CallContext,
    input: { bucket: string; key: string; uploadId: string; partNumber?: number; copySource: string; copySourceRange?: string },
  ): { upload: Upload; part: Part; sourceVersionId?: string } {
    const bucket = this.model.bucketForCall(ctx, input.bucket);
    const upload = this.upload(bucket, input.key, input.uploadId);
    const number = this.checkPartNumber(input.partNumber);
    const source = this.model.copySourceFor(ctx, input.copySource, bucket);
    let body = source.version.body;
    if (input.copySourceRange !== undefined) {
      const match = /^bytes=(\d+)-(\d+)$/.exec(input.copySourceRange);
      const start = match ? Number(match[1]) : NaN;
      const end = match ? Number(match[2]) : NaN;
      if (!match || start > end || end >= body.byteLength) {
        throw s3Errors.invalidArgument(
          'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
          'x-amz-copy-source-range',
          input.copySourceRange,
        );
      }
      body = body.subarray(start, end + 1);
    }
    const algorithm = upload.checksumAlgorithm;
    const part = this.addPart(upload, number, body, algorithm !== undefined ? computeChecksum(algorithm, body) : undefined);
    return { upload, part, ...(source.bucket.versioning !== undefined ? { sourceVersionId: source.version.versionId } : {}) };
  }

  private addPart(upload: Upload, number: number, body: Uint8Array, checksum: string | undefined): Part {
    const part: Part = { number, body: new Uint8Array(body), etag: `"${md5Hex(body)}"`, lastModified: this.now(), ...(checksum !== undefined ? { checksum } : {}) };
    upload.parts.set(number, part);
    return part;
  }

  /**
   * Assemble the listed parts, in order, into the object: every part but
   * the last at least 5 MiB, each named by its number and ETag. The
   * upload is gone afterwards; its unlisted parts with it.
   */
  complete(ctx: CallContext, input: { bucket: string; key: string; uploadId: string; parts: CompletedPartInput[]; ifNoneMatch?: string }): { bucket: Bucket; version: ObjectVersion } {
    const bucket = this.model.bucketForCall(ctx, input.bucket);
    const upload = this.upload(bucket, input.key, input.uploadId);
    if (input.parts.length === 0) throw new S3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
    const chosen: Part[] = [];
    let previous = 0;
    for (const listed of input.parts) {
      const number = this.checkPartNumber(listed.partNumber);
      if (number <= previous) throw new S3Error('InvalidPartOrder', 'The list of parts was not in ascending order. The parts list must be specified in order by part number.', 400);
      previous = number;
      const part = upload.parts.get(number);
      if (!part || listed.etag === undefined || stripQuotes(listed.etag) !== stripQuotes(part.etag)) throw invalidPart(upload, number, listed.etag);
      const algorithm = upload.checksumAlgorithm;
      const claimed = algorithm !== undefined ? listed.checksums?.[algorithm] : undefined;
      if (algorithm !== undefined && upload.checksumType === 'COMPOSITE' && claimed === undefined) {
        // The object's checksum is made of the parts' ones, so S3 wants each named (boto/s3transfer#241 shows the wording).
        throw s3Errors.invalidRequest(
          `The upload was created using a ${algorithm.toLowerCase()} checksum. The complete request must include the checksum for each part. It was missing for part ${number} in the request.`,
        );
      }
      if (claimed !== undefined && claimed !== part.checksum) throw invalidPart(upload, number, listed.etag);
      chosen.push(part);
    }
    chosen.slice(0, -1).forEach((part) => {
      if (part.body.byteLength < MIN_PART_BYTES) {
        throw new S3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', 400, {
          ProposedSize: String(part.body.byteLength),
          MinSizeAllowed: String(MIN_PART_BYTES),
          PartNumber: String(part.number),
          ETag: part.etag,
        });
      }
    });
    if (input.ifNoneMatch !== undefined && input.ifNoneMatch === '*' && this.model.hasObject(bucket.name, upload.key)) throw s3Errors.preconditionFailed('If-None-Match');
    const body = Buffer.concat(chosen.map((p) => p.body));
    const etag = `"${createHash('md5').update(Buffer.concat(chosen.map((p) => Buffer.from(stripQuotes(p.etag), 'hex')))).digest('hex')}-${chosen.length}"`;
    const version = this.model.commitAssembled(
      bucket,
      upload.key,
      body,
      {
        headers: upload.headers,
        metadata: upload.metadata,
        storageClass: upload.storageClass,
        tags: upload.tags,
        checksum: this.checksumOf(upload, chosen, body),
        partSizes: chosen.map((p) => p.body.byteLength),
      },
      etag,
    );
    this.uploads.delete(upload.id);
    this.world.emit('s3.multipart.completed', { bucket: bucket.name, key: upload.key, uploadId: upload.id, parts: chosen.length, size: body.byteLength });
    return { bucket, version };
  }

  /** The object's checksum: the upload's algorithm over the whole object, or over the parts' checksums (`…-N`). */
  private checksumOf(upload: Upload, parts: readonly Part[], body: Uint8Array): StoredChecksum {
    const algorithm = upload.checksumAlgorithm;
    if (algorithm === undefined) return { algorithm: 'CRC64NVME', value: computeChecksum('CRC64NVME', body), type: 'FULL_OBJECT' };
    if (upload.checksumType === 'FULL_OBJECT') return { algorithm, value: computeChecksum(algorithm, body), type: 'FULL_OBJECT' };
    const joined = Buffer.concat(parts.map((p) => Buffer.from(p.checksum ?? computeChecksum(algorithm, p.body), 'base64')));
    return { algorithm, value: `${computeChecksum(algorithm, joined)}-${parts.length}`, type: 'COMPOSITE' };
  }

  abort(ctx: CallContext, input: { bucket: string; key: string; uploadId: string }): void {
    const bucket = this.model.bucketForCall(ctx, input.bucket);
    const upload = this.upload(bucket, input.key, input.uploadId);
    this.uploads.delete(upload.id);
    this.world.emit('s3.multipart.aborted', { bucket: bucket.name, key: upload.key, uploadId: upload.id });
  }

  listParts(ctx: CallContext, input: { bucket: string; key: string; uploadId: string; maxParts?: number; partNumberMarker?: number }): { upload: Upload; page: PartsPage; maxParts: number } {
    const bucket = this.model.bucketForCall(ctx, input.bucket);
    const upload = this.upload(bucket, input.key, input.uploadId);
    const maxParts = Math.min(input.maxParts ?? MAX_LIST, MAX_LIST);
    if (maxParts < 0) throw s3Errors.invalidArgument('Argument max-parts must be an integer between 0 and 2147483647', 'max-parts', String(input.maxParts));
    const after = input.partNumberMarker ?? 0;
    const parts = [...upload.parts.values()].filter((p) => p.number > after).sort((a, b) => a.number - b.number);
    const items = parts.slice(0, maxParts);
    const truncated = parts.length > items.length;
    return { upload, maxParts, page: { items, truncated, ...(truncated ? { next: { partNumber: items[items.length - 1]?.number ?? after } } : {}) } };
  }

  /**
   * ListMultipartUploads: in key order (UTF-8 binary, as S3 lists keys), a
   * key's uploads oldest first; with a delimiter, keys past the prefix that
   * hold it roll up into one common prefix each. The markers name the last
   * entry returned: key-marker alone resumes after that key (or common
   * prefix), key-marker with upload-id-marker after that upload of the key.
   */
  listUploads(
    ctx: CallContext,
    input: { bucket: string; prefix?: string; delimiter?: string; keyMarker?: string; uploadIdMarker?: string; maxUploads?: number },
  ): { bucket: Bucket; uploads: Upload[]; commonPrefixes: string[]; truncated: boolean; next?: { key: string; uploadId?: string }; maxUploads: number } {
    const bucket = this.model.bucketForCall(ctx, input.bucket);
    if (input.maxUploads !== undefined && input.maxUploads < 0) {
      throw s3Errors.invalidArgument('Argument max-uploads must be an integer between 0 and 2147483647', 'max-uploads', String(input.maxUploads));
    }
    const maxUploads = Math.min(input.maxUploads ?? MAX_LIST, MAX_LIST);
    const prefix = input.prefix ?? '';
    const keyMarker = input.keyMarker || undefined;
    const uploadIdMarker = keyMarker !== undefined ? input.uploadIdMarker || undefined : undefined;
    const all = [...this.uploads.values()]
      .filter((u) => u.bucket === bucket.name && u.key.startsWith(prefix))
      // A stable sort of the map's creation order: uploads begun at the same virtual instant stay in the order they began.
      .sort((a, b) => compareKeys(a.key, b.key) || a.initiated - b.initiated);
    let start = 0;
    if (keyMarker !== undefined) {
      // After the upload the markers name while it is in progress; once it is gone, by S3's documented rule (upload ids greater than the marker).
      const at = uploadIdMarker === undefined ? -1 : all.findIndex((u) => u.key === keyMarker && u.id === uploadIdMarker);
      start = at >= 0 ? at + 1 : all.findIndex((u) => compareKeys(u.key, keyMarker) > 0 || (u.key === keyMarker && uploadIdMarker !== undefined && u.id > uploadIdMarker));
      if (start < 0) start = all.length;
    }
    const uploads: Upload[] = [];
    const commonPrefixes: string[] = [];
    let next: { key: string; uploadId?: string } | undefined;
    let truncated = false;
    for (const upload of all.slice(start)) {
      const rolled = rollUp(upload.key, prefix, input.delimiter);
      // A common prefix the marker names was listed on an earlier page; one just listed covers this key too.
      if (rolled !== undefined && (rolled === keyMarker || rolled === commonPrefixes[commonPrefixes.length - 1])) continue;
      if (uploads.length + commonPrefixes.length >= maxUploads) {
        truncated = true;
        break;
      }
      if (rolled !== undefined) {
        commonPrefixes.push(rolled);
        next = { key: rolled };
      } else {
        uploads.push(upload);
        next = { key: upload.key, uploadId: upload.id };
      }
    }
    return { bucket, uploads, commonPrefixes, truncated, ...(truncated && next ? { next } : {}), maxUploads };
  }
}

/** The common prefix `key` rolls up into under `prefix` and `delimiter`, if any. */
function rollUp(key: string, prefix: string, delimiter: string | undefined): string | undefined {
  if (!delimiter) return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? undefined : key.slice(0, at + delimiter.length);
}

function noSuchUpload(uploadId: string): S3Error {
  return new S3Error(
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    404,
    { UploadId: uploadId },
  );
}

/** A listed part the upload does not have: no such number, or another ETag (or checksum) than the one uploaded. */
function invalidPart(upload: Upload, partNumber: number, etag: string | undefined): S3Error {
  return new S3Error(
    'InvalidPart',
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    400,
    { UploadId: upload.id, PartNumber: String(partNumber), ...(etag !== undefined ? { ETag: etag } : {}) },
  );
}

function stripQuotes(etag: string): string {
  return etag.trim().replace(/^"|"$/g, '');
}
