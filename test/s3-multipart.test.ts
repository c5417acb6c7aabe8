import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
  UploadPartCopyCommand,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildSimulator, SIM_START } from '../src/aws/sim-target.js';
import { VirtualClock } from '../src/clock/index.js';
import { loadEnvironment } from '../src/env/index.js';
import { defaultCalibration, longestSeconds } from '../src/sim/calibration.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { rejection } from './support/rejection.js';

/**
 * S3 multipart upload through the SDK, over both transports: the whole
 * lifecycle (create, parts, list, complete or abort), S3's part-size and
 * ordering rules, the multipart ETag, UploadPartCopy of a byte range, and
 * the assembled object versioned and replicated as a single PUT would be
 * (SecureCart's invoices bucket replicates to us-west-2).
 */

const MiB = 1024 * 1024;
const BUCKET = 'securecart-invoices';
const DR_BUCKET = 'securecart-invoices-dr';
const repo = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/** Deterministic bytes: `size` of them, different for every `seed`. */
function bytes(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  let x = seed * 2654435761;
  for (let i = 0; i < size; i += 4) {
    x = (x * 1103515245 + 12345) >>> 0;
    out.writeUInt32LE(x, Math.min(i, size - 4));
  }
  return out;
}

async function securecart(via: TransportHarness) {
  const env = await loadEnvironment(repo('scenarios/environments/securecart.yaml'));
  if (env.target !== 'sim') throw new Error('securecart.yaml is a sim environment');
  const clock = new VirtualClock({ start: SIM_START });
  const sim = buildSimulator({ clock, seed: 42, env });
  const east = new S3Client({ ...(await via.config(sim, clock, 'us-east-1')), forcePathStyle: true });
  const west = new S3Client({ ...(await via.config(sim, clock, 'us-west-2')), forcePathStyle: true });
  return { clock, sim, east, west };
}

const failure = (promise: Promise<unknown>) => rejection(promise, S3ServiceException);

const md5 = (data: Uint8Array) => createHash('md5').update(data).digest();

describe.each(transports)('S3 multipart upload over the %s transport', (transport) => {
  const via = useTransport(transport);

  it('uploads an object in parts: listed while in progress, assembled in order with a multipart ETag, versioned and replicated', async () => {
    const { east, west, clock } = await securecart(via);
    const key = 'exports/2026-01/orders.csv';
    const { UploadId } = await east.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, ContentType: 'text/csv', Metadata: { source: 'nightly' } }));
    expect(UploadId).toMatch(/^[A-Za-z0-9._]{64}$/);
    const parts = [bytes(5 * MiB, 1), bytes(5 * MiB, 2), bytes(MiB + 123, 3)];
    // Out of order, as concurrent uploaders send them; part 2 uploaded twice, the second one wins.
    const sent = new Map<number, string>();
    for (const [number, body] of [[3, parts[2]!], [1, parts[0]!], [2, bytes(5 * MiB, 99)], [2, parts[1]!]] as const) {
      const { ETag } = await east.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: number, Body: body }));
      expect(ETag).toBe(`"${md5(body).toString('hex')}"`);
      sent.set(number, ETag!);
    }
    const listed = await east.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId }));
    expect(listed.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag])).toEqual([
      [1, 5 * MiB, sent.get(1)],
      [2, 5 * MiB, sent.get(2)],
      [3, MiB + 123, sent.get(3)],
    ]);
    expect(listed.IsTruncated).toBe(false);
    const page = await east.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId, MaxParts: 2 }));
    expect(page.Parts?.map((p) => p.PartNumber)).toEqual([1, 2]);
    expect(page.IsTruncated).toBe(true);
    expect(page.NextPartNumberMarker).toBe('2');
    const uploads = await east.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
    expect(uploads.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([[key, UploadId]]);

    const completed: CompletedPart[] = [1, 2, 3].map((n) => ({ PartNumber: n, ETag: sent.get(n) }));
    const done = await east.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: completed } }));
    const expectedEtag = `"${createHash('md5').update(Buffer.concat(parts.map(md5))).digest('hex')}-3"`;
    expect(done).toMatchObject({ Bucket: BUCKET, Key: key, ETag: expectedEtag });
    expect(done.VersionId).toMatch(/^[A-Za-z0-9._]{32}$/);
    expect((await east.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }))).Uploads ?? []).toEqual([]);

    const got = await east.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const body = Buffer.from(await got.Body!.transformToByteArray());
    expect(body.equals(Buffer.concat(parts))).toBe(true);
    expect(got).toMatchObject({ ETag: expectedEtag, ContentType: 'text/csv', Metadata: { source: 'nightly' }, VersionId: done.VersionId });

    // Replicated like any new version, after the calibrated lag.
    await clock.advance(longestSeconds(defaultCalibration['s3.replication.lag']) * 1000);
    const replica = await west.send(new HeadObjectCommand({ Bucket: DR_BUCKET, Key: key }));
    expect(replica).toMatchObject({ ETag: expectedEtag, VersionId: done.VersionId, ContentLength: parts.reduce((n, p) => n + p.length, 0) });
    expect((await east.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).ReplicationStatus).toBe('COMPLETED');
    // The replica is the same multipart object, parts and all.
    const replicaPart = await west.send(new HeadObjectCommand({ Bucket: DR_BUCKET, Key: key, PartNumber: 3 }));
    expect([replicaPart.ContentLength, replicaPart.PartsCount]).toEqual([MiB + 123, 3]);
  });

  it('reads one part of a multipart object by its number (GET and HEAD ?partNumber), and part 1 of an object written whole', async () => {
    const { east } = await securecart(via);
    const key = 'exports/parts.bin';
    const { UploadId } = await east.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
    const parts = [bytes(5 * MiB, 31), bytes(5 * MiB + 7, 32), bytes(999, 33)];
    const numbers = [1, 2, 3];
    const completed: CompletedPart[] = [];
    for (const [i, body] of parts.entries()) {
      const { ETag } = await east.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: numbers[i], Body: body }));
      completed.push({ PartNumber: numbers[i], ETag });
    }
    const done = await east.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: completed } }));

    const second = await east.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, PartNumber: 2 }));
    expect(Buffer.from(await second.Body!.transformToByteArray()).equals(parts[1]!)).toBe(true);
    expect([second.$metadata.httpStatusCode, second.PartsCount, second.ContentRange, second.ETag]).toEqual([
      206,
      3,
      `bytes ${5 * MiB}-${10 * MiB + 6}/${10 * MiB + 7 + 999}`,
      done.ETag,
    ]);
    const last = await east.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key, PartNumber: 3 }));
    expect([last.$metadata.httpStatusCode, last.ContentLength, last.PartsCount]).toEqual([206, 999, 3]);
    const missing = await failure(east.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, PartNumber: 4 })));
    expect([missing.name, missing.$metadata.httpStatusCode]).toEqual(['InvalidPartNumber', 416]);
    const both = await failure(east.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, PartNumber: 2, Range: 'bytes=0-9' })));
    expect(both.name).toBe('InvalidRequest');

    await east.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'whole.txt', Body: 'written whole' }));
    const whole = await east.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'whole.txt', PartNumber: 1 }));
    expect([await whole.Body!.transformToString(), whole.$metadata.httpStatusCode, whole.PartsCount]).toEqual(['written whole', 206, undefined]);
    expect((await failure(east.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'whole.txt', PartNumber: 2 })))).$metadata.httpStatusCode).toBe(416);
  });

  it('a new upload of an existing key is a new version on top; an aborted upload leaves nothing', async () => {
    const { east } = await securecart(via);
    const key = 'reports/q4.pdf';
    const first = await east.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'draft' }));
    const { UploadId } = await east.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
    const part = await east.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 1, Body: 'final' }));
    const done = await east.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    const versions = await east.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: key }));
    expect(versions.Versions?.map((v) => [v.VersionId, v.IsLatest])).toEqual([
      [done.VersionId, true],
      [first.VersionId, false],
    ]);

    const aborted = await east.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'scratch.bin' }));
    await east.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'scratch.bin', UploadId: aborted.UploadId, PartNumber: 1, Body: 'x' }));
    await east.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'scratch.bin', UploadId: aborted.UploadId }));
    const gone = await failure(east.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'scratch.bin', UploadId: aborted.UploadId, PartNumber: 2, Body: 'y' })));
    expect(gone.name).toBe('NoSuchUpload');
    expect(gone.$metadata.httpStatusCode).toBe(404);
    expect((await failure(east.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'scratch.bin' })))).$metadata.httpStatusCode).toBe(404);
  });

  it("refuses what S3 refuses: a part under 5 MiB that is not the last, parts out of order, a part or ETag it does not have, a part number outside 1–10000", async () => {
    const { east } = await securecart(via);
    const key = 'rules.bin';
    const { UploadId } = await east.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
    const small = await east.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 1, Body: bytes(MiB, 7) }));
    const last = await east.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 2, Body: bytes(MiB, 8) }));
    const complete = (Parts: CompletedPart[]) => east.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts } }));
    const tooSmall = await failure(complete([{ PartNumber: 1, ETag: small.ETag }, { PartNumber: 2, ETag: last.ETag }]));
    expect(tooSmall.name).toBe('EntityTooSmall');
    expect(tooSmall.$metadata.httpStatusCode).toBe(400);
    expect((await failure(complete([{ PartNumber: 2, ETag: last.ETag }, { PartNumber: 1, ETag: small.ETag }]))).name).toBe('InvalidPartOrder');
    expect((await failure(complete([{ PartNumber: 3, ETag: last.ETag }]))).name).toBe('InvalidPart');
    expect((await failure(complete([{ PartNumber: 2, ETag: small.ETag }]))).name).toBe('InvalidPart');
    const badNumber = await failure(east.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 10_001, Body: 'x' })));
    expect(badNumber.name).toBe('InvalidArgument');
    // The upload survives the refusals: a single small part is a valid (last) part.
    const ok = await complete([{ PartNumber: 2, ETag: last.ETag }]);
    expect(ok.ETag).toBe(`"${createHash('md5').update(md5(bytes(MiB, 8))).digest('hex')}-1"`);
    expect((await failure(complete([{ PartNumber: 2, ETag: last.ETag }]))).name).toBe('NoSuchUpload');
  });

  it('lists uploads in key order, a key\'s oldest first, a page at a time by NextKeyMarker and NextUploadIdMarker, and rolls keys up by delimiter', async () => {
    const { east } = await securecart(via);
    const started: [string, string][] = [];
    // Two uploads of one key begun at the same virtual instant: their ids, drawn at random, are no guide to their order.
    for (const key of ['batch/b.csv', 'batch/a.csv', 'batch/a.csv', 'batch/2026/jan.csv', 'batch/2026/feb.csv', 'other.csv']) {
      const { UploadId } = await east.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
      started.push([key, UploadId!]);
    }
    const [b, a1, a2, jan, feb] = started;
    const pages: [string, string][][] = [];
    let markers: { KeyMarker?: string; UploadIdMarker?: string } = {};
    for (;;) {
      const page = await east.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: 'batch/', MaxUploads: 2, ...markers }));
      expect(page.MaxUploads).toBe(2);
      pages.push((page.Uploads ?? []).map((u) => [u.Key!, u.UploadId!]));
      if (!page.IsTruncated) {
        expect(page.NextKeyMarker).toBeUndefined();
        break;
      }
      markers = { KeyMarker: page.NextKeyMarker!, UploadIdMarker: page.NextUploadIdMarker! };
    }
    expect(pages).toEqual([[feb, jan], [a1, a2], [b]]);

    const rolled = await east.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: 'batch/', Delimiter: '/' }));
    expect(rolled.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['batch/2026/']);
    expect(rolled.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([a1, a2, b]);
    expect(rolled.Delimiter).toBe('/');
    // A common prefix counts as one entry and is where the next page starts.
    const first = await east.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: 'batch/', Delimiter: '/', MaxUploads: 1 }));
    expect([first.CommonPrefixes?.map((p) => p.Prefix), first.Uploads ?? [], first.IsTruncated, first.NextKeyMarker]).toEqual([['batch/2026/'], [], true, 'batch/2026/']);
    const next = await east.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: 'batch/', Delimiter: '/', MaxUploads: 1, KeyMarker: first.NextKeyMarker }));
    expect(next.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([a1]);
  });

  it('pages through parts by part-number-marker', async () => {
    const { east } = await securecart(via);
    const { UploadId } = await east.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'many-parts.bin' }));
    for (const number of [7, 1, 3, 10_000, 2]) await east.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'many-parts.bin', UploadId, PartNumber: number, Body: `part ${number}` }));
    const seen: number[][] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await east.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'many-parts.bin', UploadId, MaxParts: 2, ...(marker !== undefined ? { PartNumberMarker: marker } : {}) }));
      expect(page.PartNumberMarker).toBe(marker ?? '0');
      seen.push((page.Parts ?? []).map((p) => p.PartNumber!));
      if (!page.IsTruncated) break;
      marker = page.NextPartNumberMarker;
    }
    expect(seen).toEqual([[1, 2], [3, 7], [10_000]]);
  });

  it('refuses an unknown storage class up front; a deleted bucket takes its uploads with it', async () => {
    const { east } = await securecart(via);
    const refused = await failure(east.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'cold.bin', StorageClass: 'FREEZER' as 'GLACIER' })));
    expect([refused.name, refused.$metadata.httpStatusCode]).toEqual(['InvalidStorageClass', 400]);

    await east.send(new CreateBucketCommand({ Bucket: 'securecart-scratch' }));
    const { UploadId } = await east.send(new CreateMultipartUploadCommand({ Bucket: 'securecart-scratch', Key: 'half.bin' }));
    await east.send(new UploadPartCommand({ Bucket: 'securecart-scratch', Key: 'half.bin', UploadId, PartNumber: 1, Body: 'half' }));
    // S3 deletes a bucket with uploads in progress (no objects, so it is empty).
    await east.send(new DeleteBucketCommand({ Bucket: 'securecart-scratch' }));
    await east.send(new CreateBucketCommand({ Bucket: 'securecart-scratch' }));
    expect((await east.send(new ListMultipartUploadsCommand({ Bucket: 'securecart-scratch' }))).Uploads ?? []).toEqual([]);
    expect((await failure(east.send(new ListPartsCommand({ Bucket: 'securecart-scratch', Key: 'half.bin', UploadId })))).name).toBe('NoSuchUpload');
  });

  it('copies a byte range of an existing object as a part (UploadPartCopy)', async () => {
    const { east } = await securecart(via);
    const source = bytes(6 * MiB, 11);
    await east.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'source.bin', Body: source }));
    const { UploadId } = await east.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'spliced.bin' }));
    const copied = await east.send(
      new UploadPartCopyCommand({ Bucket: BUCKET, Key: 'spliced.bin', UploadId, PartNumber: 1, CopySource: `${BUCKET}/source.bin`, CopySourceRange: `bytes=0-${5 * MiB - 1}` }),
    );
    expect(copied.CopyPartResult?.ETag).toBe(`"${md5(source.subarray(0, 5 * MiB)).toString('hex')}"`);
    expect(copied.CopySourceVersionId).toMatch(/^[A-Za-z0-9._]{32}$/);
    const tail = await east.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'spliced.bin', UploadId, PartNumber: 2, Body: 'tail' }));
    await east.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: 'spliced.bin',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: copied.CopyPartResult!.ETag }, { PartNumber: 2, ETag: tail.ETag }] },
      }),
    );
    const got = await east.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'spliced.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat([source.subarray(0, 5 * MiB), Buffer.from('tail')]))).toBe(true);
  });

  it('keeps the checksum the upload asked for: composite of the parts for CRC32, validated on GET of the whole object for CRC64NVME', async () => {
    const { east } = await securecart(via);
    for (const [algorithm, type] of [['CRC32', 'COMPOSITE'], ['CRC64NVME', 'FULL_OBJECT']] as const) {
      const key = `checksums/${algorithm}`;
      const { UploadId, ChecksumAlgorithm } = await east.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, ChecksumAlgorithm: algorithm }));
      expect(ChecksumAlgorithm).toBe(algorithm);
      const parts = [bytes(5 * MiB, 21), bytes(100, 22)];
      const sent: CompletedPart[] = [];
      for (const [i, body] of parts.entries()) {
        const part = await east.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: i + 1, Body: body, ChecksumAlgorithm: algorithm }));
        sent.push({ PartNumber: i + 1, ETag: part.ETag, [`Checksum${algorithm}`]: part[`Checksum${algorithm}`] });
      }
      if (type === 'COMPOSITE') {
        // The object's checksum is made of the parts' ones: each must be named, and be the one uploaded.
        const bare = sent.map(({ PartNumber, ETag }) => ({ PartNumber, ETag }));
        const missing = await failure(east.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: bare } })));
        expect([missing.name, missing.message]).toEqual([
          'InvalidRequest',
          'The upload was created using a crc32 checksum. The complete request must include the checksum for each part. It was missing for part 1 in the request.',
        ]);
        const swapped = sent.map((part, i) => ({ ...part, ChecksumCRC32: sent[1 - i]!.ChecksumCRC32 }));
        expect((await failure(east.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: swapped } })))).name).toBe('InvalidPart');
      }
      const done = await east.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: sent } }));
      expect(done.ChecksumType).toBe(type);
      if (type === 'COMPOSITE') expect(done.ChecksumCRC32).toMatch(/^[A-Za-z0-9+/=]+-2$/);
      const got = await east.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }));
      expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat(parts))).toBe(true);
      expect(got.ChecksumType).toBe(type);
    }
  });
});
