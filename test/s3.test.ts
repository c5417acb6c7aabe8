import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  BucketAlreadyExists,
  BucketAlreadyOwnedByYou,
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketTaggingCommand,
  DeleteObjectCommand,
  GetBucketAclCommand,
  GetBucketLocationCommand,
  GetBucketTaggingCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  NoSuchBucket,
  NoSuchKey,
  NotFound,
  paginateListObjectsV2,
  PutBucketTaggingCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { createSimulator, type Simulator } from '../src/sim/index.js';
import { crc32, crc32c, crc64nvme, computeChecksum } from '../src/sim/services/s3/checksums.js';
import { createS3Module, type S3Module } from '../src/sim/services/s3/index.js';
import { addressOf, decodeAwsChunked } from '../src/sim/services/s3/wire.js';
import type { SimRequest, SimResponse } from '../src/sim/types.js';
import { transports, useTransport } from './support/transport.js';
import { clientConfigs } from './support/transport-extra.js';
import { START } from './support/sim.js';
import { rejection } from './support/rejection.js';

const MiB = 1024 * 1024;

interface Setup {
  clock: VirtualClock;
  sim: Simulator;
  s3: S3Module;
  /** Every request the dispatcher saw, with its response. */
  seen: { request: SimRequest; response: SimResponse }[];
}

function createSetup(): Setup {
  const clock = new VirtualClock({ start: START });
  const sim = createSimulator({ clock, seed: 42, services: [] });
  const s3 = sim.world.register(createS3Module(sim.world));
  const seen: Setup['seen'] = [];
  const dispatch = sim.dispatcher.dispatch.bind(sim.dispatcher);
  sim.dispatcher.dispatch = async (request) => {
    const response = await dispatch(request);
    seen.push({ request, response });
    return response;
  };
  return { clock, sim, s3, seen };
}

/** Bytes that differ from offset to offset, so a misplaced chunk shows. */
function pattern(size: number, salt = 0): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + (i >>> 11) * 7 + salt) & 0xff;
  return out;
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

const thrown = (promise: Promise<unknown>) => rejection(promise, S3ServiceException);

describe('checksums', () => {
  it('match the published check values of CRC-32, CRC-32C and CRC-64/NVME', () => {
    const check = Buffer.from('123456789');
    expect(crc32(check)).toBe(0xcbf43926);
    expect(crc32c(check)).toBe(0xe3069283);
    expect(Buffer.from(crc64nvme(check)).toString('hex')).toBe('ae8b14860a799888');
    expect(computeChecksum('SHA256', check)).toBe(createHash('sha256').update(check).digest('base64'));
  });

  it('decode an aws-chunked body with its trailer', () => {
    const data = pattern(9000);
    const wire = Buffer.concat([
      Buffer.from('2000;chunk-signature=abc\r\n'),
      data.subarray(0, 0x2000),
      Buffer.from('\r\n'),
      Buffer.from((9000 - 0x2000).toString(16) + '\r\n'),
      data.subarray(0x2000),
      Buffer.from('\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n'),
    ]);
    const decoded = decodeAwsChunked(wire);
    expect(Buffer.from(decoded.body).equals(data)).toBe(true);
    expect(decoded.trailers).toEqual({ 'x-amz-checksum-crc32': 'AAAAAA==' });
  });
});

describe('addressing', () => {
  const request = (host: string, path: string): SimRequest => ({ method: 'GET', path, query: {}, headers: { host }, body: new Uint8Array() });

  it('takes the bucket from the Host header for virtual-hosted-style requests', () => {
    expect(addressOf(request('invoices.s3.us-east-1.amazonaws.com', '/2026/01/a.pdf'))).toEqual({
      style: 'virtual-hosted',
      bucket: 'invoices',
      key: '2026/01/a.pdf',
    });
    expect(addressOf(request('my.s3.bucket.s3.us-west-2.amazonaws.com', '/'))).toEqual({ style: 'virtual-hosted', bucket: 'my.s3.bucket' });
    expect(addressOf(request('logs.s3.amazonaws.com', '/x')).bucket).toBe('logs');
    expect(addressOf(request('logs.localhost:4566', '/x')).bucket).toBe('logs');
  });

  it('takes the bucket from the first path segment for path-style requests, keeping slashes in keys', () => {
    expect(addressOf(request('s3.us-east-1.amazonaws.com', '/invoices/dir/'))).toEqual({ style: 'path', bucket: 'invoices', key: 'dir/' });
    expect(addressOf(request('127.0.0.1:4566', '/invoices//a%20b'))).toEqual({ style: 'path', bucket: 'invoices', key: '/a b' });
    expect(addressOf(request('s3.us-east-1.amazonaws.com', '/'))).toEqual({ style: 'path' });
  });
});

const styles = [
  { name: 'virtual-hosted style', forcePathStyle: false },
  { name: 'path style', forcePathStyle: true },
] as const;

// Virtual-hosted style over HTTP needs a host name per bucket that resolves to
// the server, which 127.0.0.1 is not: over HTTP the SDK suite runs path style.
describe.each(transports)('S3 through the SDK and on the wire, over the %s transport', (transport) => {
  const via = useTransport(transport);
  const configs = clientConfigs(via);
  const setup = async (): Promise<Setup> => {
    const s = createSetup();
    await configs.prepare(s.sim, s.clock);
    return s;
  };

  describe.each(transport === 'http' ? styles.filter((s) => s.forcePathStyle) : styles)('S3 over the SDK, $name', ({ forcePathStyle }) => {
    const client = (sim: Simulator, region = 'us-east-1', extra: Record<string, unknown> = {}) =>
      new S3Client({ ...configs.config(sim, region), forcePathStyle, ...extra });

    it('sends requests in the addressing style asked for', async () => {
      const { sim, clock, seen } = await setup();
      await client(sim).send(new CreateBucketCommand({ Bucket: 'style-check' }));
      const { request } = seen[0]!;
      if (forcePathStyle) {
        expect(request.headers['host']).toBe(transport === 'http' ? new URL((await via.server(sim, clock)).url).host : 's3.us-east-1.amazonaws.com');
        expect(request.path.startsWith('/style-check')).toBe(true);
      } else {
        expect(request.headers['host']).toBe('style-check.s3.us-east-1.amazonaws.com');
        expect(request.path).toBe('/');
      }
    });

    it('creates, lists, heads and deletes buckets in their regions', async () => {
      const { sim, clock } = await setup();
      const east = client(sim);
      const west = client(sim, 'us-west-2');
      await east.send(new CreateBucketCommand({ Bucket: 'orders-archive' }));
      await clock.advance(1000);
      // The SDK adds CreateBucketConfiguration/LocationConstraint for a client outside us-east-1.
      const created = await west.send(new CreateBucketCommand({ Bucket: 'orders-archive-dr' }));
      expect(created.Location).toBe('http://orders-archive-dr.s3.amazonaws.com/');
      await west.send(new CreateBucketCommand({ Bucket: 'zz-eu', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } }));

      const listed = await east.send(new ListBucketsCommand({}));
      expect(listed.Buckets?.map((b) => [b.Name, b.BucketRegion])).toEqual([
        ['orders-archive', 'us-east-1'],
        ['orders-archive-dr', 'us-west-2'],
        ['zz-eu', 'us-west-2'],
      ]);
      expect(listed.Buckets?.[1]?.CreationDate?.getTime()).toBe(START + 1000);
      expect(listed.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);

      const page1 = await east.send(new ListBucketsCommand({ MaxBuckets: 2 }));
      expect(page1.Buckets?.map((b) => b.Name)).toEqual(['orders-archive', 'orders-archive-dr']);
      expect(page1.ContinuationToken).toBeDefined();
      const page2 = await east.send(new ListBucketsCommand({ MaxBuckets: 2, ContinuationToken: page1.ContinuationToken }));
      expect(page2.Buckets?.map((b) => b.Name)).toEqual(['zz-eu']);
      expect(page2.ContinuationToken).toBeUndefined();
      const inWest = await east.send(new ListBucketsCommand({ BucketRegion: 'us-west-2', Prefix: 'orders' }));
      expect(inWest.Buckets?.map((b) => b.Name)).toEqual(['orders-archive-dr']);

      const head = await west.send(new HeadBucketCommand({ Bucket: 'orders-archive-dr' }));
      expect(head.BucketRegion).toBe('us-west-2');
      const location = await east.send(new GetBucketLocationCommand({ Bucket: 'orders-archive-dr' }));
      expect(location.LocationConstraint).toBe('us-west-2');
      expect((await east.send(new GetBucketLocationCommand({ Bucket: 'orders-archive' }))).LocationConstraint).toBeUndefined();

      await west.send(new DeleteBucketCommand({ Bucket: 'zz-eu' }));
      expect(await thrown(west.send(new HeadBucketCommand({ Bucket: 'zz-eu' })))).toBeInstanceOf(NotFound);
    });

    it('answers bucket errors with the typed exceptions', async () => {
      const { sim, s3 } = await setup();
      s3.model.seedBucket({ name: 'someone-elses', region: 'us-east-1', accountId: '999999999999' });
      const east = client(sim);
      const west = client(sim, 'us-west-2');
      await west.send(new CreateBucketCommand({ Bucket: 'mine-west' }));
      await east.send(new CreateBucketCommand({ Bucket: 'mine-east' }));

      const taken = await thrown(east.send(new CreateBucketCommand({ Bucket: 'someone-elses' })));
      expect(taken).toBeInstanceOf(BucketAlreadyExists);
      expect(taken.$metadata.httpStatusCode).toBe(409);
      const owned = await thrown(west.send(new CreateBucketCommand({ Bucket: 'mine-west' })));
      expect(owned).toBeInstanceOf(BucketAlreadyOwnedByYou);
      // "For legacy compatibility … in the North Virginia Region, Amazon S3 returns 200 OK."
      await expect(east.send(new CreateBucketCommand({ Bucket: 'mine-east' }))).resolves.toBeDefined();

      const missing = await thrown(east.send(new GetObjectCommand({ Bucket: 'no-such-bucket-here', Key: 'k' })));
      expect(missing).toBeInstanceOf(NoSuchBucket);
      expect(missing.message).toBe('The specified bucket does not exist');
      expect((missing as NoSuchBucket & { BucketName?: string }).BucketName).toBe('no-such-bucket-here');
      expect(await thrown(east.send(new HeadBucketCommand({ Bucket: 'no-such-bucket-here' })))).toBeInstanceOf(NotFound);
      expect((await thrown(east.send(new HeadBucketCommand({ Bucket: 'someone-elses' })))).$metadata.httpStatusCode).toBe(403);

      const invalid = await thrown(east.send(new CreateBucketCommand({ Bucket: 'Bad_Name' })));
      expect(invalid.name).toBe('InvalidBucketName');
      const illegal = await thrown(east.send(new CreateBucketCommand({ Bucket: 'elsewhere', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })));
      expect(illegal.name).toBe('IllegalLocationConstraintException');
      expect(illegal.message).toBe('The eu-west-1 location constraint is incompatible for the region specific endpoint this request was sent to.');

      await east.send(new PutObjectCommand({ Bucket: 'mine-east', Key: 'keep', Body: 'x' }));
      const notEmpty = await thrown(east.send(new DeleteBucketCommand({ Bucket: 'mine-east' })));
      expect(notEmpty.name).toBe('BucketNotEmpty');
      expect(notEmpty.$metadata.httpStatusCode).toBe(409);
      await east.send(new DeleteObjectCommand({ Bucket: 'mine-east', Key: 'keep' }));
      await east.send(new DeleteBucketCommand({ Bucket: 'mine-east' }));
    });

    it('redirects a bucket addressed through another region, and the SDK can follow it', async () => {
      const { sim } = await setup();
      await client(sim, 'us-west-2').send(new CreateBucketCommand({ Bucket: 'far-away' }));
      await client(sim, 'us-west-2').send(new PutObjectCommand({ Bucket: 'far-away', Key: 'k', Body: 'v' }));
      const redirect = await thrown(client(sim).send(new GetObjectCommand({ Bucket: 'far-away', Key: 'k' })));
      expect(redirect.name).toBe('PermanentRedirect');
      expect(redirect.$metadata.httpStatusCode).toBe(301);
      expect(redirect.$response?.headers['x-amz-bucket-region']).toBe('us-west-2');
      const followed = await client(sim, 'us-east-1', { followRegionRedirects: true }).send(new GetObjectCommand({ Bucket: 'far-away', Key: 'k' }));
      expect(await followed.Body?.transformToString()).toBe('v');
    });

    it('tags buckets', async () => {
      const { sim } = await setup();
      const s3 = client(sim);
      await s3.send(new CreateBucketCommand({ Bucket: 'invoices' }));
      const none = await thrown(s3.send(new GetBucketTaggingCommand({ Bucket: 'invoices' })));
      expect(none.name).toBe('NoSuchTagSet');
      expect(none.$metadata.httpStatusCode).toBe(404);
      await s3.send(
        new PutBucketTaggingCommand({
          Bucket: 'invoices',
          Tagging: { TagSet: [{ Key: 'critical', Value: 'true' }, { Key: 'team', Value: 'billing & tax' }] },
        }),
      );
      const got = await s3.send(new GetBucketTaggingCommand({ Bucket: 'invoices' }));
      expect(got.TagSet).toEqual([{ Key: 'critical', Value: 'true' }, { Key: 'team', Value: 'billing & tax' }]);
      const duplicate = await thrown(
        s3.send(new PutBucketTaggingCommand({ Bucket: 'invoices', Tagging: { TagSet: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] } })),
      );
      expect(duplicate.name).toBe('InvalidTag');
      await s3.send(new DeleteBucketTaggingCommand({ Bucket: 'invoices' }));
      expect((await thrown(s3.send(new GetBucketTaggingCommand({ Bucket: 'invoices' })))).name).toBe('NoSuchTagSet');
    });

    it('puts, gets and heads objects with metadata, checksums and ranges', async () => {
      const { sim, seen } = await setup();
      const s3 = client(sim);
      await s3.send(new CreateBucketCommand({ Bucket: 'invoices' }));
      const body = 'invoice #1001: 42.00 EUR';
      const put = await s3.send(
        new PutObjectCommand({
          Bucket: 'invoices',
          Key: '2026/01/inv-1001.txt',
          Body: body,
          ContentType: 'text/plain',
          Metadata: { customer: 'c-7' },
          CacheControl: 'no-cache',
        }),
      );
      expect(put.ETag).toBe(`"${createHash('md5').update(body).digest('hex')}"`);
      expect(put.ChecksumCRC32).toBe(computeChecksum('CRC32', Buffer.from(body)));
      expect(put.VersionId).toBeUndefined();

      const got = await s3.send(new GetObjectCommand({ Bucket: 'invoices', Key: '2026/01/inv-1001.txt' }));
      expect(await got.Body?.transformToString()).toBe(body);
      expect(got.ContentType).toBe('text/plain');
      expect(got.CacheControl).toBe('no-cache');
      expect(got.Metadata).toEqual({ customer: 'c-7' });
      expect(got.ETag).toBe(put.ETag);
      expect(got.ContentLength).toBe(body.length);
      expect(got.LastModified?.getTime()).toBe(START);
      // The SDK asked for checksums (ChecksumMode ENABLED) and validated this one.
      expect(got.ChecksumCRC32).toBe(put.ChecksumCRC32);
      expect(got.ChecksumType).toBe('FULL_OBJECT');

      const part = await s3.send(new GetObjectCommand({ Bucket: 'invoices', Key: '2026/01/inv-1001.txt', Range: 'bytes=0-6' }));
      expect(part.$metadata.httpStatusCode).toBe(206);
      expect(part.ContentRange).toBe(`bytes 0-6/${body.length}`);
      expect(await part.Body?.transformToString()).toBe('invoice');
      const tail = await s3.send(new GetObjectCommand({ Bucket: 'invoices', Key: '2026/01/inv-1001.txt', Range: 'bytes=-3' }));
      expect(await tail.Body?.transformToString()).toBe('EUR');
      const beyond = await thrown(s3.send(new GetObjectCommand({ Bucket: 'invoices', Key: '2026/01/inv-1001.txt', Range: 'bytes=500-' })));
      expect(beyond.name).toBe('InvalidRange');
      expect(beyond.$metadata.httpStatusCode).toBe(416);

      const head = await s3.send(new HeadObjectCommand({ Bucket: 'invoices', Key: '2026/01/inv-1001.txt' }));
      expect(head.ETag).toBe(put.ETag);
      expect(head.Metadata).toEqual({ customer: 'c-7' });
      expect(head.ContentType).toBe('text/plain');
      // The binding's Content-Length for a HEAD is the object's; see the report on SimHttpHandler.
      expect(seen[seen.length - 1]!.response.headers['content-length']).toBe(String(body.length));

      const missingKey = await thrown(s3.send(new GetObjectCommand({ Bucket: 'invoices', Key: 'nope' })));
      expect(missingKey).toBeInstanceOf(NoSuchKey);
      expect((missingKey as NoSuchKey & { Key?: string }).Key).toBe('nope');
      expect(await thrown(s3.send(new HeadObjectCommand({ Bucket: 'invoices', Key: 'nope' })))).toBeInstanceOf(NotFound);

      const stale = await thrown(s3.send(new GetObjectCommand({ Bucket: 'invoices', Key: '2026/01/inv-1001.txt', IfMatch: '"0000"' })));
      expect(stale.name).toBe('PreconditionFailed');
      expect(stale.$metadata.httpStatusCode).toBe(412);
      const exists = await thrown(s3.send(new PutObjectCommand({ Bucket: 'invoices', Key: '2026/01/inv-1001.txt', Body: 'x', IfNoneMatch: '*' })));
      expect(exists.name).toBe('PreconditionFailed');
    });

    it('streams a large object up (aws-chunked) and down, byte for byte', async () => {
      const { sim, seen } = await setup();
      const s3 = client(sim);
      await s3.send(new CreateBucketCommand({ Bucket: 'backups' }));
      const data = pattern(6 * MiB + 123);
      const chunks = Array.from({ length: Math.ceil(data.length / (512 * 1024)) }, (_, i) => data.subarray(i * 512 * 1024, (i + 1) * 512 * 1024));
      await s3.send(new PutObjectCommand({ Bucket: 'backups', Key: 'db/dump.bin', Body: Readable.from(chunks), ContentLength: data.length }));
      const upload = seen.find((s) => s.request.method === 'PUT' && s.request.path.endsWith('dump.bin'))!.request;
      expect(upload.headers['content-encoding']).toBe('aws-chunked');
      expect(upload.headers['x-amz-trailer']).toBe('x-amz-checksum-crc32');

      const got = await s3.send(new GetObjectCommand({ Bucket: 'backups', Key: 'db/dump.bin' }));
      expect(got.ContentLength).toBe(data.length);
      const received: Buffer[] = [];
      for await (const chunk of got.Body as Readable) received.push(Buffer.from(chunk as Uint8Array));
      const whole = Buffer.concat(received);
      expect(whole.length).toBe(data.length);
      expect(sha256(whole)).toBe(sha256(data));
      expect(got.ChecksumCRC32).toBe(computeChecksum('CRC32', data));
    });

    it('refuses small aws-chunked chunks as S3 does, and takes them buffered', async () => {
      const { sim } = await setup();
      const s3 = client(sim);
      await s3.send(new CreateBucketCommand({ Bucket: 'logs' }));
      const data = pattern(40 * 1024, 3);
      const small = () => Readable.from(Array.from({ length: 40 }, (_, i) => data.subarray(i * 1024, (i + 1) * 1024)));
      const refused = await thrown(s3.send(new PutObjectCommand({ Bucket: 'logs', Key: 'app.log', Body: small(), ContentLength: data.length })));
      expect(refused.name).toBe('InvalidChunkSizeError');
      const buffered = client(sim, 'us-east-1', { requestStreamBufferSize: 64 * 1024 });
      await buffered.send(new PutObjectCommand({ Bucket: 'logs', Key: 'app.log', Body: small(), ContentLength: data.length }));
      const got = await s3.send(new GetObjectCommand({ Bucket: 'logs', Key: 'app.log' }));
      expect(Buffer.from(await got.Body!.transformToByteArray()).equals(data)).toBe(true);
    });

    it('refuses a body that does not match its checksum or Content-MD5', async () => {
      const { sim } = await setup();
      const s3 = client(sim);
      await s3.send(new CreateBucketCommand({ Bucket: 'invoices' }));
      const wrongCrc = await thrown(s3.send(new PutObjectCommand({ Bucket: 'invoices', Key: 'k', Body: 'abc', ChecksumCRC32: 'AAAAAA==' })));
      expect(wrongCrc.name).toBe('BadDigest');
      expect(wrongCrc.message).toBe('The CRC32 you specified did not match the calculated checksum.');
      const wrongMd5 = await thrown(
        s3.send(new PutObjectCommand({ Bucket: 'invoices', Key: 'k', Body: 'abc', ContentMD5: createHash('md5').update('abd').digest('base64') })),
      );
      expect(wrongMd5.name).toBe('BadDigest');
      const sha = await s3.send(new PutObjectCommand({ Bucket: 'invoices', Key: 'k', Body: 'abc', ChecksumAlgorithm: 'SHA256' }));
      expect(sha.ChecksumSHA256).toBe(createHash('sha256').update('abc').digest('base64'));
      const got = await s3.send(new GetObjectCommand({ Bucket: 'invoices', Key: 'k' }));
      expect(got.ChecksumSHA256).toBe(sha.ChecksumSHA256);
      expect(await got.Body?.transformToString()).toBe('abc');
    });

    it('serves seeded objects with the CRC64NVME checksum S3 computes by default, validated by the SDK', async () => {
      const { sim, s3: module } = await setup();
      const data = pattern(300 * 1024, 9);
      module.model.seedBucket({ name: 'seeded', region: 'us-east-1', objects: [{ key: 'blob', body: data, contentType: 'application/pdf' }] });
      const got = await client(sim).send(new GetObjectCommand({ Bucket: 'seeded', Key: 'blob' }));
      expect(got.ChecksumCRC64NVME).toBe(computeChecksum('CRC64NVME', data));
      expect(got.ContentType).toBe('application/pdf');
      expect(Buffer.from(await got.Body!.transformToByteArray()).equals(data)).toBe(true);
    });

    it('lists objects with prefix, delimiter, max-keys and continuation tokens', async () => {
      const { sim } = await setup();
      const s3 = client(sim);
      await s3.send(new CreateBucketCommand({ Bucket: 'invoices' }));
      const keys = ['2025/12/a', '2026/01/a', '2026/01/b', '2026/02/a', 'readme', 'z/'];
      for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: 'invoices', Key, Body: Key }));

      const all = await s3.send(new ListObjectsV2Command({ Bucket: 'invoices' }));
      expect(all.Contents?.map((o) => o.Key)).toEqual(keys);
      expect(all.KeyCount).toBe(keys.length);
      expect(all.IsTruncated).toBe(false);
      expect(all.Contents?.[0]).toMatchObject({ Size: 9, StorageClass: 'STANDARD', ChecksumAlgorithm: ['CRC32'] });

      const top = await s3.send(new ListObjectsV2Command({ Bucket: 'invoices', Delimiter: '/' }));
      expect(top.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['2025/', '2026/', 'z/']);
      expect(top.Contents?.map((o) => o.Key)).toEqual(['readme']);
      const months = await s3.send(new ListObjectsV2Command({ Bucket: 'invoices', Prefix: '2026/', Delimiter: '/' }));
      expect(months.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['2026/01/', '2026/02/']);
      expect(months.KeyCount).toBe(2);

      const pages: string[][] = [];
      for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: 'invoices', MaxKeys: 4 })) {
        pages.push((page.Contents ?? []).map((o) => o.Key!));
      }
      expect(pages).toEqual([keys.slice(0, 4), keys.slice(4)]);
      const delimited: string[] = [];
      for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: 'invoices', MaxKeys: 1, Delimiter: '/' })) {
        delimited.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix!), ...(page.Contents ?? []).map((o) => o.Key!));
      }
      expect(delimited).toEqual(['2025/', '2026/', 'readme', 'z/']);

      const after = await s3.send(new ListObjectsV2Command({ Bucket: 'invoices', StartAfter: '2026/01/b' }));
      expect(after.Contents?.map((o) => o.Key)).toEqual(['2026/02/a', 'readme', 'z/']);
      const v1 = await s3.send(new ListObjectsCommand({ Bucket: 'invoices', MaxKeys: 2 }));
      expect(v1.Contents?.map((o) => o.Key)).toEqual(['2025/12/a', '2026/01/a']);
      expect(v1.IsTruncated).toBe(true);
      const badToken = await thrown(s3.send(new ListObjectsV2Command({ Bucket: 'invoices', ContinuationToken: 'not-a-token' })));
      expect(badToken.name).toBe('InvalidArgument');
    });

    it('deletes objects and copies them, with metadata copied or replaced', async () => {
      const { sim } = await setup();
      const s3 = client(sim);
      const west = client(sim, 'us-west-2');
      await s3.send(new CreateBucketCommand({ Bucket: 'invoices' }));
      await west.send(new CreateBucketCommand({ Bucket: 'invoices-copy' }));
      await s3.send(new PutObjectCommand({ Bucket: 'invoices', Key: 'a b+c.txt', Body: 'original', ContentType: 'text/plain', Metadata: { v: '1' } }));

      // Across regions: the target bucket's endpoint takes it, the source may be anywhere.
      const copied = await west.send(
        new CopyObjectCommand({ Bucket: 'invoices-copy', Key: 'copy.txt', CopySource: `invoices/${encodeURIComponent('a b+c.txt')}` }),
      );
      expect(copied.CopyObjectResult?.ETag).toBe(`"${createHash('md5').update('original').digest('hex')}"`);
      const copy = await west.send(new GetObjectCommand({ Bucket: 'invoices-copy', Key: 'copy.txt' }));
      expect(await copy.Body?.transformToString()).toBe('original');
      expect(copy.Metadata).toEqual({ v: '1' });
      expect(copy.ContentType).toBe('text/plain');

      await s3.send(
        new CopyObjectCommand({
          Bucket: 'invoices',
          Key: 'a b+c.txt',
          CopySource: `invoices/${encodeURIComponent('a b+c.txt')}`,
          MetadataDirective: 'REPLACE',
          ContentType: 'text/markdown',
          Metadata: { v: '2' },
        }),
      );
      const replaced = await s3.send(new HeadObjectCommand({ Bucket: 'invoices', Key: 'a b+c.txt' }));
      expect(replaced.Metadata).toEqual({ v: '2' });
      expect(replaced.ContentType).toBe('text/markdown');

      const ontoItself = await thrown(s3.send(new CopyObjectCommand({ Bucket: 'invoices', Key: 'a b+c.txt', CopySource: 'invoices/a%20b%2Bc.txt' })));
      expect(ontoItself.name).toBe('InvalidRequest');
      const noSource = await thrown(s3.send(new CopyObjectCommand({ Bucket: 'invoices', Key: 'x', CopySource: 'invoices/missing' })));
      expect(noSource).toBeInstanceOf(NoSuchKey);

      const deleted = await s3.send(new DeleteObjectCommand({ Bucket: 'invoices', Key: 'a b+c.txt' }));
      expect(deleted.DeleteMarker).toBeUndefined();
      expect(deleted.$metadata.httpStatusCode).toBe(204);
      expect(await thrown(s3.send(new GetObjectCommand({ Bucket: 'invoices', Key: 'a b+c.txt' })))).toBeInstanceOf(NoSuchKey);
      // Deleting what is not there succeeds, as in S3.
      await expect(s3.send(new DeleteObjectCommand({ Bucket: 'invoices', Key: 'never-was' }))).resolves.toBeDefined();
    });
  });

  describe('S3 on the wire', () => {
    const send = (sim: Simulator, clock: VirtualClock, request: Partial<SimRequest> & { path: string }) =>
      via.send(sim, clock, {
        method: 'GET',
        query: {},
        body: new Uint8Array(),
        ...request,
        headers: {
          authorization: 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260105/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=x',
          host: 's3.us-east-1.amazonaws.com',
          ...request.headers,
        },
      });
    const text = (response: SimResponse) => (typeof response.body === 'string' ? response.body : Buffer.from(response.body).toString('utf8'));

    it("answers malformed XML with S3's bare Error document", async () => {
      const { sim, clock } = await setup();
      await send(sim, clock, { method: 'PUT', path: '/tagged' });
      const response = await send(sim, clock, {
        method: 'PUT',
        path: '/tagged',
        query: { tagging: '' },
        headers: { 'content-type': 'application/xml' },
        body: Buffer.from('<Tagging><TagSet><Tag><Key>a</Key></TagSet></Tagging>'),
      });
      expect(response.statusCode).toBe(400);
      expect(text(response)).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>MalformedXML<\/Code><Message>/);
      expect(text(response)).toContain(`<RequestId>${response.headers['x-amz-request-id']}</RequestId>`);
    });

    it('stores an XML object as it is, without parsing it', async () => {
      const { sim, clock, s3 } = await setup();
      await send(sim, clock, { method: 'PUT', path: '/docs' });
      const body = Buffer.from('<not><well-formed>');
      const response = await send(sim, clock, { method: 'PUT', path: '/docs/a.xml', headers: { 'content-type': 'application/xml' }, body });
      expect(response.statusCode).toBe(200);
      expect(Buffer.from(s3.model.currentObject('docs', 'a.xml')!.body).equals(body)).toBe(true);
    });

    it('answers a HEAD error without a body, and a GET of a missing key with its Key element', async () => {
      const { sim, clock } = await setup();
      await send(sim, clock, { method: 'PUT', path: '/bkt1' });
      const head = await send(sim, clock, { method: 'HEAD', path: '/bkt1/missing' });
      expect(head.statusCode).toBe(404);
      expect(text(head)).toBe('');
      const get = await send(sim, clock, { method: 'GET', path: '/bkt1/missing' });
      expect(text(get)).toContain('<Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>missing</Key>');
    });

    it('answers NotImplemented for subresources it does not model, rather than a listing or the object', async () => {
      const { sim } = await setup();
      const s3 = new S3Client({ ...configs.config(sim, 'us-east-1'), forcePathStyle: transport === 'http' });
      await s3.send(new CreateBucketCommand({ Bucket: 'plain' }));
      await s3.send(new PutObjectCommand({ Bucket: 'plain', Key: 'k', Body: 'v' }));
      const acl = await thrown(s3.send(new GetBucketAclCommand({ Bucket: 'plain' })));
      expect(acl.name).toBe('NotImplemented');
      expect(acl.$metadata.httpStatusCode).toBe(501);
      expect((await thrown(s3.send(new GetObjectTaggingCommand({ Bucket: 'plain', Key: 'k' })))).name).toBe('NotImplemented');
    });

    it('speaks S3 for injected faults and region outages, and records the audit trail', async () => {
      const { sim } = await setup();
      const s3 = new S3Client({ ...configs.config(sim, 'us-east-1'), forcePathStyle: transport === 'http' });
      await s3.send(new CreateBucketCommand({ Bucket: 'audited' }));
      sim.world.faults.addApiErrorInjection({ id: 'slow', kind: 'throttle-error', service: 's3', operations: ['PutObject'], roles: ['gameday-runner'], percentage: 100 });
      const slow = await thrown(s3.send(new PutObjectCommand({ Bucket: 'audited', Key: 'k', Body: 'v' })));
      expect(slow.name).toBe('SlowDown');
      expect(slow.$metadata.httpStatusCode).toBe(503);
      sim.world.faults.removeApiErrorInjection('slow');
      sim.world.faults.setRegionUp('us-east-1', false, 'test');
      const down = await thrown(s3.send(new ListBucketsCommand({})));
      expect(down.name).toBe('ServiceUnavailable');
      sim.world.faults.setRegionUp('us-east-1', true, 'test');

      const audit = sim.world.audit.filter((a) => a.eventSource === 's3.amazonaws.com');
      expect(audit.map((a) => [a.eventName, a.errorCode])).toEqual([
        ['CreateBucket', undefined],
        ['PutObject', 'ThrottlingException'],
        ['ListBuckets', 'ServiceUnavailable'],
      ]);
      expect(audit[0]!.resources).toEqual([{ type: 'AWS::S3::Bucket', name: 'audited' }]);
    });
  });
});

describe.each(transports)('S3 over the %s transport', (transport) => {
  const harness = useTransport(transport);

  it('round-trips buckets and objects', async () => {
    const { sim, clock } = createSetup();
    const s3 = new S3Client({ ...(await harness.config(sim, clock, 'us-east-1')), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'over-the-wire' }));
    const data = pattern(2 * MiB, 5);
    await s3.send(new PutObjectCommand({ Bucket: 'over-the-wire', Key: 'nested/key.bin', Body: Readable.from([data]), ContentLength: data.length }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'over-the-wire', Key: 'nested/key.bin' }));
    expect(sha256(Buffer.from(await got.Body!.transformToByteArray()))).toBe(sha256(data));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'over-the-wire', Prefix: 'nested/' }));
    expect(listed.Contents?.map((o) => [o.Key, o.Size])).toEqual([['nested/key.bin', data.length]]);
    expect(await thrown(s3.send(new GetObjectCommand({ Bucket: 'over-the-wire', Key: 'nope' })))).toBeInstanceOf(NoSuchKey);
  });
});
