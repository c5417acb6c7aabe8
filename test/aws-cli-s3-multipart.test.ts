import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliServer } from './support/aws-cli.js';

/** Each step spawns the CLI (a Python process, a second or more on a loaded machine); the sequences make many. */
const CLI_TIMEOUT = 180_000;

/**
 * The real AWS CLI v2 against `gameday sim serve` for issue 13's S3 part:
 * `aws s3 cp` of a 20 MiB file goes up as a multipart upload (the CLI's
 * threshold and part size are 8 MiB), its parts readable one by one
 * (`head-object --part-number`), and comes back down in ranged GETs, byte
 * for byte; `s3api` drives the rest of the lifecycle (upload-part,
 * list-parts, abort) and list-multipart-uploads, whose markers the CLI's
 * paginator follows. Skipped, saying why, where no AWS CLI v2 is installed.
 */

const credentials = { accessKeyId: 'AKIACLIV2TEST0000003', secretAccessKey: 'gameday-sim-secret' };
const BUCKET = 'securecart-invoices';
const MiB = 1024 * 1024;
const CHUNK = 8 * MiB;

  // Path-style addressing: the sim answers on 127.0.0.1, which no bucket name can prefix. The multipart
  // settings are the CLI's defaults, written down so the expected ETag does not hang on a future default.
const cliServer = useCliServer('test/aws-cli-s3-multipart.test.ts', { credentials, config: '[default]\ns3 =\n    addressing_style = path\n    multipart_threshold = 8MB\n    multipart_chunksize = 8MB\n', region: 'us-east-1', timeoutMs: 120_000 });
const { cli } = cliServer;
const aws = <T>(...args: string[]) => cliServer.aws<T>(...args);

/** Deterministic bytes: `size` of them, different for every `seed`. */
function bytes(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i + 4 <= size; i += 4) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out.writeUInt32LE(x, i);
  }
  return out;
}

const md5 = (data: Uint8Array) => createHash('md5').update(data).digest();

/** S3's ETag of an object uploaded in parts of `partSize`: the MD5 of the parts' MD5s, and their count. */
function multipartEtag(data: Buffer, partSize: number): string {
  const parts: Buffer[] = [];
  for (let at = 0; at < data.length; at += partSize) parts.push(md5(data.subarray(at, at + partSize)));
  return `"${createHash('md5').update(Buffer.concat(parts)).digest('hex')}-${parts.length}"`;
}

interface Upload {
  Key: string;
  UploadId: string;
}

describe.skipIf(!cli.path)(`the AWS CLI v2's S3 multipart upload against gameday sim serve (${cli.why})`, () => {
  it('aws s3 cp puts a 20 MiB file up in parts and gets the same bytes back down', async () => {
    const original = bytes(20 * MiB, 13);
    const local = join(cliServer.server().home, 'orders-export.bin');
    await writeFile(local, original);
    await aws('s3', 'cp', local, `s3://${BUCKET}/exports/orders-export.bin`, '--no-progress');

    const head = await aws<{ ETag: string; ContentLength: number; VersionId?: string }>('s3api', 'head-object', '--bucket', BUCKET, '--key', 'exports/orders-export.bin');
    // Three parts: 8 + 8 + 4 MiB.
    expect(head.ETag).toBe(multipartEtag(original, CHUNK));
    expect(head.ETag.endsWith('-3"')).toBe(true);
    expect(head.ContentLength).toBe(original.length);
    expect(head.VersionId).toMatch(/^[A-Za-z0-9._]{32}$/);
    const lastPart = await aws<{ ContentLength: number; PartsCount: number }>('s3api', 'head-object', '--bucket', BUCKET, '--key', 'exports/orders-export.bin', '--part-number', '3');
    expect([lastPart.ContentLength, lastPart.PartsCount]).toEqual([4 * MiB, 3]);
    const { Uploads } = await aws<{ Uploads?: Upload[] }>('s3api', 'list-multipart-uploads', '--bucket', BUCKET);
    expect(Uploads ?? []).toEqual([]);

    const back = join(cliServer.server().home, 'orders-export.back.bin');
    await aws('s3', 'cp', `s3://${BUCKET}/exports/orders-export.bin`, back, '--no-progress');
    expect((await readFile(back)).equals(original)).toBe(true);
  }, CLI_TIMEOUT);

  it('s3api: upload-part, list-parts and abort; list-multipart-uploads paged one upload at a time', async () => {
    const started: Upload[] = [];
    for (const key of ['staging/b.bin', 'staging/a.bin', 'staging/a.bin']) {
      const { UploadId } = await aws<{ UploadId: string }>('s3api', 'create-multipart-upload', '--bucket', BUCKET, '--key', key);
      started.push({ Key: key, UploadId });
    }
    // The CLI's paginator asks for one upload per page and follows NextKeyMarker and NextUploadIdMarker to the end.
    const listed = await aws<{ Uploads: Upload[] }>('s3api', 'list-multipart-uploads', '--bucket', BUCKET, '--prefix', 'staging/', '--page-size', '1');
    expect(listed.Uploads.map((u) => [u.Key, u.UploadId])).toEqual([started[1]!, started[2]!, started[0]!].map((u) => [u.Key, u.UploadId]));

    const target = started[0]!;
    const part = join(cliServer.server().home, 'part.bin');
    await writeFile(part, bytes(MiB, 5));
    const { ETag } = await aws<{ ETag: string }>('s3api', 'upload-part', '--bucket', BUCKET, '--key', target.Key, '--upload-id', target.UploadId, '--part-number', '1', '--body', part);
    expect(ETag).toBe(`"${md5(bytes(MiB, 5)).toString('hex')}"`);
    const { Parts } = await aws<{ Parts: { PartNumber: number; Size: number; ETag: string }[] }>(
      's3api',
      'list-parts',
      '--bucket',
      BUCKET,
      '--key',
      target.Key,
      '--upload-id',
      target.UploadId,
    );
    expect(Parts.map((p) => [p.PartNumber, p.Size, p.ETag])).toEqual([[1, MiB, ETag]]);

    for (const upload of started) await aws('s3api', 'abort-multipart-upload', '--bucket', BUCKET, '--key', upload.Key, '--upload-id', upload.UploadId);
    const after = await aws<{ Uploads?: Upload[] }>('s3api', 'list-multipart-uploads', '--bucket', BUCKET, '--prefix', 'staging/');
    expect(after.Uploads ?? []).toEqual([]);
    await expect(aws('s3api', 'list-parts', '--bucket', BUCKET, '--key', target.Key, '--upload-id', target.UploadId)).rejects.toThrow(/NoSuchUpload/);
  }, CLI_TIMEOUT);
});
