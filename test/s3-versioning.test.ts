import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  NoSuchKey,
  NotFound,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { createSimulator, type Simulator } from '../src/sim/index.js';
import { createS3Module, type S3Module } from '../src/sim/services/s3/index.js';
import { transports, useTransport } from './support/transport.js';
import { SECOND } from './support/time.js';
import { START } from './support/sim.js';
import { rejection } from './support/rejection.js';

const thrown = (promise: Promise<unknown>) => rejection(promise, S3ServiceException);

const styles = [
  { name: 'virtual-hosted style', forcePathStyle: false },
  { name: 'path style', forcePathStyle: true },
] as const;

// Virtual-hosted style over HTTP needs a host name per bucket that resolves to
// the server, which 127.0.0.1 is not: over HTTP the suite runs path style.
describe.each(transports)('S3 versioning over the %s transport', (transport) => {
  const via = useTransport(transport);

  describe.each(transport === 'http' ? styles.filter((s) => s.forcePathStyle) : styles)('S3 versioning, $name', ({ forcePathStyle }) => {
    async function setup(): Promise<{ clock: VirtualClock; sim: Simulator; s3: S3Client; module: S3Module }> {
      const clock = new VirtualClock({ start: START });
      const sim = createSimulator({ clock, seed: 7, services: [] });
      const module = sim.world.register(createS3Module(sim.world));
      return { clock, sim, module, s3: new S3Client({ ...(await via.config(sim, clock, 'us-east-1')), forcePathStyle }) };
    }

    async function versionedBucket(s3: S3Client, name = 'invoices'): Promise<void> {
      await s3.send(new CreateBucketCommand({ Bucket: name }));
      await s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }));
    }

    const read = async (s3: S3Client, Key: string, VersionId?: string) =>
      (await s3.send(new GetObjectCommand({ Bucket: 'invoices', Key, ...(VersionId ? { VersionId } : {}) }))).Body!.transformToString();

    it('reports versioning as never configured, enabled, then suspended', async () => {
      const { s3 } = await setup();
      await s3.send(new CreateBucketCommand({ Bucket: 'invoices' }));
      const never = await s3.send(new GetBucketVersioningCommand({ Bucket: 'invoices' }));
      expect(never.Status).toBeUndefined();
      await s3.send(new PutBucketVersioningCommand({ Bucket: 'invoices', VersioningConfiguration: { Status: 'Enabled' } }));
      expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'invoices' }))).Status).toBe('Enabled');
      await s3.send(new PutBucketVersioningCommand({ Bucket: 'invoices', VersioningConfiguration: { Status: 'Suspended' } }));
      expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'invoices' }))).Status).toBe('Suspended');
      const bad = await thrown(
        s3.send(new PutBucketVersioningCommand({ Bucket: 'invoices', VersioningConfiguration: { Status: 'On' as 'Enabled' } })),
      );
      expect(bad.name).toBe('MalformedXML');
    });

    it('keeps every version and reads any of them by VersionId', async () => {
      const { s3, clock } = await setup();
      await versionedBucket(s3);
      const v1 = await s3.send(new PutObjectCommand({ Bucket: 'invoices', Key: 'inv.txt', Body: 'first' }));
      await clock.advance(SECOND);
      const v2 = await s3.send(new PutObjectCommand({ Bucket: 'invoices', Key: 'inv.txt', Body: 'second' }));
      expect(v1.VersionId).toMatch(/^[A-Za-z0-9._]{32}$/);
      expect(v2.VersionId).not.toBe(v1.VersionId);
      expect(await read(s3, 'inv.txt')).toBe('second');
      expect(await read(s3, 'inv.txt', v1.VersionId)).toBe('first');
      const latest = await s3.send(new HeadObjectCommand({ Bucket: 'invoices', Key: 'inv.txt' }));
      expect(latest.VersionId).toBe(v2.VersionId);

      const gone = await thrown(s3.send(new GetObjectCommand({ Bucket: 'invoices', Key: 'inv.txt', VersionId: 'A'.repeat(32) })));
      expect(gone.name).toBe('NoSuchVersion');
      expect(gone.$metadata.httpStatusCode).toBe(404);
      const invalid = await thrown(s3.send(new GetObjectCommand({ Bucket: 'invoices', Key: 'inv.txt', VersionId: 'not-a-version' })));
      expect(invalid.name).toBe('InvalidArgument');
    });

    it('deletes with a delete marker, and restores by removing the marker', async () => {
      const { s3, clock } = await setup();
      await versionedBucket(s3);
      const v1 = await s3.send(new PutObjectCommand({ Bucket: 'invoices', Key: 'inv.txt', Body: 'kept' }));
      await clock.advance(SECOND);
      const deleted = await s3.send(new DeleteObjectCommand({ Bucket: 'invoices', Key: 'inv.txt' }));
      expect(deleted.DeleteMarker).toBe(true);
      expect(deleted.VersionId).toMatch(/^[A-Za-z0-9._]{32}$/);

      const missing = await thrown(s3.send(new GetObjectCommand({ Bucket: 'invoices', Key: 'inv.txt' })));
      expect(missing).toBeInstanceOf(NoSuchKey);
      expect(missing.$response?.headers['x-amz-delete-marker']).toBe('true');
      expect(missing.$response?.headers['x-amz-version-id']).toBe(deleted.VersionId);
      expect(await thrown(s3.send(new HeadObjectCommand({ Bucket: 'invoices', Key: 'inv.txt' })))).toBeInstanceOf(NotFound);
      const onMarker = await thrown(s3.send(new GetObjectCommand({ Bucket: 'invoices', Key: 'inv.txt', VersionId: deleted.VersionId })));
      expect(onMarker.name).toBe('MethodNotAllowed');
      expect(onMarker.$metadata.httpStatusCode).toBe(405);
      // The data is still there, by version.
      expect(await read(s3, 'inv.txt', v1.VersionId)).toBe('kept');
      expect((await s3.send(new ListObjectsV2Command({ Bucket: 'invoices' }))).KeyCount).toBe(0);

      const removed = await s3.send(new DeleteObjectCommand({ Bucket: 'invoices', Key: 'inv.txt', VersionId: deleted.VersionId }));
      expect(removed.DeleteMarker).toBe(true);
      expect(removed.VersionId).toBe(deleted.VersionId);
      expect(await read(s3, 'inv.txt')).toBe('kept');
    });

    it('restores a previous version by copying it over the current one', async () => {
      const { s3, clock } = await setup();
      await versionedBucket(s3);
      const good = await s3.send(new PutObjectCommand({ Bucket: 'invoices', Key: 'ledger.csv', Body: 'id,amount\n1,42\n', ContentType: 'text/csv' }));
      await clock.advance(SECOND);
      const bad = await s3.send(new PutObjectCommand({ Bucket: 'invoices', Key: 'ledger.csv', Body: 'corrupted', ContentType: 'text/csv' }));
      await clock.advance(SECOND);

      const restored = await s3.send(
        new CopyObjectCommand({ Bucket: 'invoices', Key: 'ledger.csv', CopySource: `invoices/ledger.csv?versionId=${good.VersionId}` }),
      );
      expect(restored.CopySourceVersionId).toBe(good.VersionId);
      expect(restored.VersionId).not.toBe(bad.VersionId);
      expect(restored.CopyObjectResult?.LastModified?.getTime()).toBe(START + 2 * SECOND);
      expect(await read(s3, 'ledger.csv')).toBe('id,amount\n1,42\n');

      const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: 'invoices', Prefix: 'ledger.csv' }));
      expect(versions.Versions?.map((v) => [v.VersionId, v.IsLatest])).toEqual([
        [restored.VersionId, true],
        [bad.VersionId, false],
        [good.VersionId, false],
      ]);

      // A delete marker cannot be the source, and a deleted key has no current version to copy.
      const marker = await s3.send(new DeleteObjectCommand({ Bucket: 'invoices', Key: 'ledger.csv' }));
      const fromMarker = await thrown(
        s3.send(new CopyObjectCommand({ Bucket: 'invoices', Key: 'x', CopySource: `invoices/ledger.csv?versionId=${marker.VersionId}` })),
      );
      expect(fromMarker.name).toBe('InvalidRequest');
      expect(await thrown(s3.send(new CopyObjectCommand({ Bucket: 'invoices', Key: 'x', CopySource: 'invoices/ledger.csv' })))).toBeInstanceOf(NoSuchKey);
    });

    it('deletes a version permanently by VersionId', async () => {
      const { s3, clock } = await setup();
      await versionedBucket(s3);
      const v1 = await s3.send(new PutObjectCommand({ Bucket: 'invoices', Key: 'k', Body: 'one' }));
      await clock.advance(SECOND);
      const v2 = await s3.send(new PutObjectCommand({ Bucket: 'invoices', Key: 'k', Body: 'two' }));
      const result = await s3.send(new DeleteObjectCommand({ Bucket: 'invoices', Key: 'k', VersionId: v2.VersionId }));
      expect(result.VersionId).toBe(v2.VersionId);
      expect(result.DeleteMarker).toBeUndefined();
      expect(await read(s3, 'k')).toBe('one');
      const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: 'invoices' }));
      expect(versions.Versions?.map((v) => v.VersionId)).toEqual([v1.VersionId]);
      expect(versions.DeleteMarkers).toBeUndefined();
    });

    it('lists versions and delete markers, paging by key and version-id markers', async () => {
      const { s3, clock } = await setup();
      await versionedBucket(s3);
      const ids: Record<string, string[]> = { a: [], b: [], 'c/1': [], 'c/2': [] };
      for (const key of ['a', 'b', 'a', 'c/1', 'c/2', 'a']) {
        await clock.advance(SECOND);
        ids[key]!.unshift((await s3.send(new PutObjectCommand({ Bucket: 'invoices', Key: key, Body: key }))).VersionId!);
      }
      await clock.advance(SECOND);
      const marker = (await s3.send(new DeleteObjectCommand({ Bucket: 'invoices', Key: 'b' }))).VersionId!;

      const all = await s3.send(new ListObjectVersionsCommand({ Bucket: 'invoices' }));
      expect(all.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest])).toEqual([
        ['a', ids['a']![0], true],
        ['a', ids['a']![1], false],
        ['a', ids['a']![2], false],
        ['b', ids['b']![0], false],
        ['c/1', ids['c/1']![0], true],
        ['c/2', ids['c/2']![0], true],
      ]);
      expect(all.DeleteMarkers?.map((m) => [m.Key, m.VersionId, m.IsLatest])).toEqual([['b', marker, true]]);
      expect(all.DeleteMarkers?.[0]?.LastModified?.getTime()).toBe(START + 7 * SECOND);
      expect(all.Versions?.[0]).toMatchObject({ Size: 1, StorageClass: 'STANDARD', ETag: expect.stringMatching(/^"[0-9a-f]{32}"$/) });

      const seen: string[] = [];
      let keyMarker: string | undefined;
      let versionIdMarker: string | undefined;
      let pages = 0;
      for (;;) {
        const page = await s3.send(
          new ListObjectVersionsCommand({ Bucket: 'invoices', MaxKeys: 2, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }),
        );
        pages++;
        const entries = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])];
        expect(entries.length).toBeLessThanOrEqual(2);
        seen.push(...entries.map((e) => `${e.Key}@${e.VersionId}`));
        if (!page.IsTruncated) break;
        keyMarker = page.NextKeyMarker;
        versionIdMarker = page.NextVersionIdMarker;
      }
      expect(pages).toBe(4);
      expect(new Set(seen).size).toBe(7);

      const grouped = await s3.send(new ListObjectVersionsCommand({ Bucket: 'invoices', Delimiter: '/' }));
      expect(grouped.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['c/']);
      const afterA = await s3.send(new ListObjectVersionsCommand({ Bucket: 'invoices', KeyMarker: 'a', VersionIdMarker: ids['a']![0] }));
      expect(afterA.Versions?.[0]?.VersionId).toBe(ids['a']![1]);
      const lonely = await thrown(s3.send(new ListObjectVersionsCommand({ Bucket: 'invoices', VersionIdMarker: ids['a']![0] })));
      expect(lonely.name).toBe('InvalidArgument');
    });

    it('deletes many objects at once, versions and delete markers included', async () => {
      const { s3, clock } = await setup();
      await versionedBucket(s3);
      const a = await s3.send(new PutObjectCommand({ Bucket: 'invoices', Key: 'a', Body: 'a' }));
      await s3.send(new PutObjectCommand({ Bucket: 'invoices', Key: 'b', Body: 'b' }));
      await clock.advance(SECOND);
      const result = await s3.send(
        new DeleteObjectsCommand({
          Bucket: 'invoices',
          Delete: { Objects: [{ Key: 'a', VersionId: a.VersionId }, { Key: 'b' }, { Key: 'c', VersionId: 'bogus' }] },
        }),
      );
      expect(result.Deleted).toEqual([
        { Key: 'a', VersionId: a.VersionId },
        { Key: 'b', DeleteMarker: true, DeleteMarkerVersionId: expect.stringMatching(/^[A-Za-z0-9._]{32}$/) },
      ]);
      expect(result.Errors).toEqual([{ Key: 'c', VersionId: 'bogus', Code: 'InvalidArgument', Message: 'Invalid version id specified' }]);
      expect((await s3.send(new ListObjectVersionsCommand({ Bucket: 'invoices', Prefix: 'a' }))).Versions).toBeUndefined();
      expect((await s3.send(new ListObjectsV2Command({ Bucket: 'invoices' }))).KeyCount).toBe(0);

      const quiet = await s3.send(new DeleteObjectsCommand({ Bucket: 'invoices', Delete: { Quiet: true, Objects: [{ Key: 'b' }] } }));
      expect(quiet.Deleted).toBeUndefined();
      expect(quiet.Errors).toBeUndefined();
    });

    it('writes null versions while suspended, replacing the previous null version', async () => {
      const { s3, clock, module } = await setup();
      await s3.send(new CreateBucketCommand({ Bucket: 'invoices' }));
      const unversioned = await s3.send(new PutObjectCommand({ Bucket: 'invoices', Key: 'k', Body: 'pre-versioning' }));
      expect(unversioned.VersionId).toBeUndefined();
      await s3.send(new PutBucketVersioningCommand({ Bucket: 'invoices', VersioningConfiguration: { Status: 'Enabled' } }));
      await clock.advance(SECOND);
      const enabled = await s3.send(new PutObjectCommand({ Bucket: 'invoices', Key: 'k', Body: 'versioned' }));
      await s3.send(new PutBucketVersioningCommand({ Bucket: 'invoices', VersioningConfiguration: { Status: 'Suspended' } }));
      await clock.advance(SECOND);
      const suspended = await s3.send(new PutObjectCommand({ Bucket: 'invoices', Key: 'k', Body: 'suspended' }));
      expect(suspended.VersionId).toBe('null');
      // The pre-versioning object was the null version; the suspended write replaced it.
      expect(module.model.versionsOf('invoices', 'k').map((v) => v.versionId)).toEqual(['null', enabled.VersionId]);
      expect(await read(s3, 'k', 'null')).toBe('suspended');

      const marker = await s3.send(new DeleteObjectCommand({ Bucket: 'invoices', Key: 'k' }));
      expect(marker).toMatchObject({ DeleteMarker: true, VersionId: 'null' });
      expect(module.model.versionsOf('invoices', 'k').map((v) => [v.kind, v.versionId])).toEqual([
        ['delete-marker', 'null'],
        ['object', enabled.VersionId],
      ]);
    });
  });
});
