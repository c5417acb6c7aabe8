import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketReplicationCommand,
  DeleteObjectCommand,
  GetBucketReplicationCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketReplicationCommand,
  type PutBucketReplicationCommandInput,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  CreateExperimentTemplateCommand,
  FisClient,
  GetExperimentCommand,
  StartExperimentCommand,
  StopExperimentCommand,
} from '@aws-sdk/client-fis';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { defaultCalibration, longestSeconds, type Calibration } from '../src/sim/calibration.js';
import { createSimulator, type Simulator } from '../src/sim/index.js';
import { createFisModule } from '../src/sim/services/fis/index.js';
import { createS3Module, RTC_BOUND_MS, type S3Module } from '../src/sim/services/s3/index.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { MINUTE, SECOND } from './support/time.js';
import { ACCOUNT, START } from './support/sim.js';
import { rejection } from './support/rejection.js';

const ROLE = `arn:aws:iam::${ACCOUNT}:role/s3-replication`;
// calibration's s3.replication.lag: seconds, with its slow tail up to twice the top.
const LAG = { min: defaultCalibration['s3.replication.lag'].minSeconds * SECOND, max: longestSeconds(defaultCalibration['s3.replication.lag']) * SECOND };

const thrown = (promise: Promise<unknown>) => rejection(promise, S3ServiceException);

interface Setup {
  clock: VirtualClock;
  sim: Simulator;
  s3: S3Module;
  east: S3Client;
  west: S3Client;
}

interface SetupOptions {
  forcePathStyle?: boolean;
  calibration?: Partial<Calibration>;
  seed?: number;
}

async function setupOver(via: TransportHarness, options: SetupOptions = {}): Promise<Setup> {
  const clock = new VirtualClock({ start: START });
  const sim = createSimulator({ clock, seed: options.seed ?? 42, services: [], ...(options.calibration ? { calibration: options.calibration } : {}) });
  const s3 = sim.world.register(createS3Module(sim.world));
  sim.world.register(createFisModule(sim.world));
  // Virtual-hosted style needs a host name per bucket that resolves to the
  // server, which 127.0.0.1 is not: over HTTP the default is path style.
  const forcePathStyle = options.forcePathStyle ?? via.transport === 'http';
  const client = async (region: string) => new S3Client({ ...(await via.config(sim, clock, region)), forcePathStyle });
  return { clock, sim, s3, east: await client('us-east-1'), west: await client('us-west-2') };
}

/** invoices (us-east-1) → invoices-dr (us-west-2), both versioned, seeded in steady state. */
function seedPair(s3: S3Module, replication: { rtc?: boolean; deleteMarkerReplication?: boolean; prefix?: string } = {}): void {
  s3.model.seedBucket({ name: 'invoices-dr', region: 'us-west-2', versioning: 'Enabled' });
  s3.model.seedBucket({
    name: 'invoices',
    region: 'us-east-1',
    versioning: 'Enabled',
    tags: { critical: 'true' },
    replication: { destinationBucket: 'invoices-dr', ...replication },
    objects: [{ key: 'seed/0001.pdf', body: 'steady state', contentType: 'application/pdf' }],
  });
}

const status = async (client: S3Client, Bucket: string, Key: string, VersionId?: string) =>
  (await client.send(new HeadObjectCommand({ Bucket, Key, ...(VersionId ? { VersionId } : {}) }))).ReplicationStatus;

const replicationInput = (overrides: Partial<PutBucketReplicationCommandInput['ReplicationConfiguration']> = {}): PutBucketReplicationCommandInput => ({
  Bucket: 'orders-export',
  ReplicationConfiguration: {
    Role: ROLE,
    Rules: [
      {
        ID: 'to-dr',
        Priority: 1,
        Status: 'Enabled',
        Filter: { Prefix: 'exports/' },
        Destination: {
          Bucket: 'arn:aws:s3:::orders-export-dr',
          StorageClass: 'STANDARD_IA',
          ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
          Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
        },
        DeleteMarkerReplication: { Status: 'Enabled' },
      },
    ],
    ...overrides,
  },
});

describe.each(transports)('S3 replication over the %s transport', (transport) => {
  const via = useTransport(transport);
  const setup = (options?: SetupOptions) => setupOver(via, options);

  // Path style only over HTTP: see setupOver.
  describe.each(transport === 'http' ? [true] : [false, true])('replication configuration (forcePathStyle %s)', (forcePathStyle) => {
    async function buckets(env: Setup, versioned = { source: true, destination: true }) {
      await env.east.send(new CreateBucketCommand({ Bucket: 'orders-export' }));
      await env.west.send(new CreateBucketCommand({ Bucket: 'orders-export-dr' }));
      if (versioned.source) {
        await env.east.send(new PutBucketVersioningCommand({ Bucket: 'orders-export', VersioningConfiguration: { Status: 'Enabled' } }));
      }
      if (versioned.destination) {
        await env.west.send(new PutBucketVersioningCommand({ Bucket: 'orders-export-dr', VersioningConfiguration: { Status: 'Enabled' } }));
      }
    }

    it('puts and gets a replication configuration with RTC, metrics, filter, priority and delete marker replication', async () => {
      const env = await setup({ forcePathStyle });
      await buckets(env);
      const none = await thrown(env.east.send(new GetBucketReplicationCommand({ Bucket: 'orders-export' })));
      expect(none.name).toBe('ReplicationConfigurationNotFoundError');
      expect(none.$metadata.httpStatusCode).toBe(404);

      await env.east.send(new PutBucketReplicationCommand(replicationInput()));
      const got = await env.east.send(new GetBucketReplicationCommand({ Bucket: 'orders-export' }));
      expect(got.ReplicationConfiguration).toEqual({
        Role: ROLE,
        Rules: [
          {
            ID: 'to-dr',
            Priority: 1,
            Status: 'Enabled',
            Filter: { Prefix: 'exports/' },
            Destination: {
              Bucket: 'arn:aws:s3:::orders-export-dr',
              StorageClass: 'STANDARD_IA',
              ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
              Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
            },
            DeleteMarkerReplication: { Status: 'Enabled' },
          },
        ],
      });

      // Two rules: a tag filter (no delete markers with tags), distinct priorities, generated IDs.
      await env.east.send(
        new PutBucketReplicationCommand({
          Bucket: 'orders-export',
          ReplicationConfiguration: {
            Role: ROLE,
            Rules: [
              { Priority: 2, Status: 'Enabled', Filter: { Tag: { Key: 'replicate', Value: 'yes' } }, Destination: { Bucket: 'arn:aws:s3:::orders-export-dr' }, DeleteMarkerReplication: { Status: 'Disabled' } },
              {
                Priority: 1,
                Status: 'Disabled',
                Filter: { And: { Prefix: 'a/', Tags: [{ Key: 'x', Value: '1' }, { Key: 'y', Value: '2' }] } },
                Destination: { Bucket: 'arn:aws:s3:::orders-export-dr' },
                DeleteMarkerReplication: { Status: 'Disabled' },
              },
            ],
          },
        }),
      );
      const two = await env.east.send(new GetBucketReplicationCommand({ Bucket: 'orders-export' }));
      expect(two.ReplicationConfiguration?.Rules?.map((r) => [r.Priority, r.Status, r.ID?.length])).toEqual([
        [2, 'Enabled', 48],
        [1, 'Disabled', 48],
      ]);
      expect(two.ReplicationConfiguration?.Rules?.[1]?.Filter?.And?.Tags).toEqual([{ Key: 'x', Value: '1' }, { Key: 'y', Value: '2' }]);

      const suspend = await thrown(env.east.send(new PutBucketVersioningCommand({ Bucket: 'orders-export', VersioningConfiguration: { Status: 'Suspended' } })));
      expect(suspend.name).toBe('InvalidBucketState');
      await env.east.send(new DeleteBucketReplicationCommand({ Bucket: 'orders-export' }));
      expect((await thrown(env.east.send(new GetBucketReplicationCommand({ Bucket: 'orders-export' })))).name).toBe('ReplicationConfigurationNotFoundError');
    });

    it('replicates matching keys into the rule\'s storage class', async () => {
      const env = await setup({ forcePathStyle });
      await buckets(env);
      await env.east.send(new PutBucketReplicationCommand(replicationInput()));
      const put = await env.east.send(new PutObjectCommand({ Bucket: 'orders-export', Key: 'exports/2026-01-05.csv', Body: 'id\n1\n' }));
      await env.east.send(new PutObjectCommand({ Bucket: 'orders-export', Key: 'scratch/tmp', Body: 'x' }));
      await env.clock.advance(LAG.max);
      const replica = await env.west.send(new HeadObjectCommand({ Bucket: 'orders-export-dr', Key: 'exports/2026-01-05.csv' }));
      expect(replica).toMatchObject({ ReplicationStatus: 'REPLICA', StorageClass: 'STANDARD_IA', VersionId: put.VersionId });
      expect(await status(env.east, 'orders-export', 'scratch/tmp')).toBeUndefined();
    });

    it('refuses a configuration unless versioning is enabled on source and destination', async () => {
      const env = await setup({ forcePathStyle });
      await buckets(env, { source: false, destination: false });
      const source = await thrown(env.east.send(new PutBucketReplicationCommand(replicationInput())));
      expect(source.name).toBe('InvalidRequest');
      expect(source.message).toBe("Versioning must be 'Enabled' on the bucket to apply a replication configuration");
      await env.east.send(new PutBucketVersioningCommand({ Bucket: 'orders-export', VersioningConfiguration: { Status: 'Enabled' } }));
      const destination = await thrown(env.east.send(new PutBucketReplicationCommand(replicationInput())));
      expect(destination.name).toBe('InvalidRequest');
      expect(destination.message).toBe('Destination bucket must have versioning enabled.');

      const missing = await thrown(
        env.east.send(
          new PutBucketReplicationCommand(
            replicationInput({ Rules: [{ ...replicationInput().ReplicationConfiguration!.Rules![0]!, Destination: { Bucket: 'arn:aws:s3:::nowhere-bucket' } }] }),
          ),
        ),
      );
      expect(missing.message).toBe('Destination bucket must exist.');
      await env.west.send(new PutBucketVersioningCommand({ Bucket: 'orders-export-dr', VersioningConfiguration: { Status: 'Enabled' } }));
      const rule = replicationInput().ReplicationConfiguration!.Rules![0]!;
      const noDeleteMarkers = await thrown(
        env.east.send(new PutBucketReplicationCommand(replicationInput({ Rules: [{ ...rule, DeleteMarkerReplication: undefined }] }))),
      );
      expect(noDeleteMarkers.message).toMatch(/^DeleteMarkerReplication must be specified/);
      const rtcWithoutMetrics = await thrown(
        env.east.send(
          new PutBucketReplicationCommand(
            replicationInput({ Rules: [{ ...rule, Destination: { ...rule.Destination!, Metrics: { Status: 'Disabled' } } }] }),
          ),
        ),
      );
      expect(rtcWithoutMetrics.name).toBe('InvalidRequest');
      const badRole = await thrown(env.east.send(new PutBucketReplicationCommand(replicationInput({ Role: 'not-a-role' }))));
      expect(badRole.name).toBe('InvalidArgument');
    });
  });

  describe('replication of new versions', () => {
    it('marks a new version PENDING, then COMPLETED once its replica lands with the same version id', async () => {
      const { clock, s3, east, west } = await setup();
      seedPair(s3, { rtc: true });
      const put = await east.send(new PutObjectCommand({ Bucket: 'invoices', Key: '2026/inv-7.pdf', Body: 'seven', Metadata: { customer: 'c-7' } }));
      expect(await status(east, 'invoices', '2026/inv-7.pdf')).toBe('PENDING');
      expect(s3.model.replicationBacklog('invoices')).toHaveLength(1);
      const notYet = await thrown(west.send(new GetObjectCommand({ Bucket: 'invoices-dr', Key: '2026/inv-7.pdf' })));
      expect(notYet.name).toBe('NoSuchKey');

      await clock.advance(LAG.max);
      expect(await status(east, 'invoices', '2026/inv-7.pdf')).toBe('COMPLETED');
      const replica = await west.send(new GetObjectCommand({ Bucket: 'invoices-dr', Key: '2026/inv-7.pdf' }));
      expect(await replica.Body?.transformToString()).toBe('seven');
      expect(replica.ReplicationStatus).toBe('REPLICA');
      expect(replica.VersionId).toBe(put.VersionId);
      expect(replica.Metadata).toEqual({ customer: 'c-7' });
      expect(replica.ETag).toBe(put.ETag);

      const lag = s3.model.replicationLagOf('invoices', '2026/inv-7.pdf', put.VersionId!)!;
      expect(lag).toBeGreaterThanOrEqual(LAG.min);
      expect(lag).toBeLessThanOrEqual(LAG.max);
      expect(lag).toBeLessThanOrEqual(RTC_BOUND_MS);
      expect(s3.model.replicationBacklog('invoices')).toEqual([]);
      const event = s3.model.replicationOutcomes('invoices', '2026/inv-7.pdf', put.VersionId!)[0]!;
      expect(event).toMatchObject({ status: 'COMPLETED', destinationBucket: 'invoices-dr', createdAt: START });
    });

    it('keeps seeded objects replicated from the first second', async () => {
      const { s3, east, west } = await setup();
      seedPair(s3);
      expect(await status(east, 'invoices', 'seed/0001.pdf')).toBe('COMPLETED');
      const replica = await west.send(new HeadObjectCommand({ Bucket: 'invoices-dr', Key: 'seed/0001.pdf' }));
      expect(replica.ReplicationStatus).toBe('REPLICA');
      expect(replica.ContentType).toBe('application/pdf');
    });

    it('draws lags inside the calibrated range, and Replication Time Control bounds them by 15 minutes', async () => {
      const slow = { 's3.replication.lag': { minSeconds: 20 * 60, maxSeconds: 60 * 60 } };
      for (const rtc of [false, true]) {
        const { clock, s3, east } = await setup({ calibration: slow, seed: 3 });
        seedPair(s3, { rtc });
        const versions: string[] = [];
        for (let i = 0; i < 20; i++) versions.push((await east.send(new PutObjectCommand({ Bucket: 'invoices', Key: `k${i}`, Body: `${i}` }))).VersionId!);
        await clock.advance(61 * MINUTE);
        const lags = versions.map((v, i) => s3.model.replicationLagOf('invoices', `k${i}`, v)!);
        if (rtc) expect(lags.every((lag) => lag === RTC_BOUND_MS)).toBe(true);
        else {
          expect(Math.min(...lags)).toBeGreaterThanOrEqual(20 * MINUTE);
          expect(Math.max(...lags)).toBeLessThanOrEqual(60 * MINUTE);
        }
      }
      // Default calibration: seconds, spread over the range, the same for the same seed.
      const runs = [1, 2].map(async () => {
        const { clock, s3, east } = await setup({ seed: 11 });
        seedPair(s3, { rtc: true });
        const ids: string[] = [];
        for (let i = 0; i < 30; i++) ids.push((await east.send(new PutObjectCommand({ Bucket: 'invoices', Key: `k${i}`, Body: 'x' }))).VersionId!);
        await clock.advance(LAG.max);
        return ids.map((v, i) => s3.model.replicationLagOf('invoices', `k${i}`, v)!);
      });
      const [first, second] = await Promise.all(runs);
      expect(first).toEqual(second);
      expect(Math.min(...first!)).toBeGreaterThanOrEqual(LAG.min);
      expect(Math.max(...first!)).toBeLessThanOrEqual(LAG.max);
      expect(new Set(first).size).toBeGreaterThan(20);
    });

    it('replicates only keys under the rule prefix', async () => {
      const { clock, s3, east, west } = await setup();
      seedPair(s3, { prefix: 'invoices/' });
      await east.send(new PutObjectCommand({ Bucket: 'invoices', Key: 'invoices/a', Body: 'a' }));
      await east.send(new PutObjectCommand({ Bucket: 'invoices', Key: 'tmp/b', Body: 'b' }));
      expect(await status(east, 'invoices', 'tmp/b')).toBeUndefined();
      await clock.advance(LAG.max);
      expect(await status(east, 'invoices', 'invoices/a')).toBe('COMPLETED');
      expect(await status(west, 'invoices-dr', 'invoices/a')).toBe('REPLICA');
      expect((await thrown(west.send(new HeadObjectCommand({ Bucket: 'invoices-dr', Key: 'tmp/b' })))).$metadata.httpStatusCode).toBe(404);
    });

    it('replicates delete markers only when DeleteMarkerReplication is Enabled, and never permanent deletes', async () => {
      for (const deleteMarkerReplication of [true, false]) {
        const { clock, s3, east, west } = await setup();
        seedPair(s3, { deleteMarkerReplication });
        const put = await east.send(new PutObjectCommand({ Bucket: 'invoices', Key: 'doomed', Body: 'x' }));
        await clock.advance(LAG.max);
        const marker = await east.send(new DeleteObjectCommand({ Bucket: 'invoices', Key: 'doomed' }));
        await clock.advance(LAG.max);
        const destination = await west.send(new ListObjectVersionsCommand({ Bucket: 'invoices-dr', Prefix: 'doomed' }));
        if (deleteMarkerReplication) {
          expect(destination.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest])).toEqual([[marker.VersionId, true]]);
          expect((await thrown(west.send(new GetObjectCommand({ Bucket: 'invoices-dr', Key: 'doomed' })))).name).toBe('NoSuchKey');
        } else {
          expect(destination.DeleteMarkers).toBeUndefined();
          expect(await status(west, 'invoices-dr', 'doomed')).toBe('REPLICA');
        }
        // Permanently deleting the version at the source leaves the replica alone.
        await east.send(new DeleteObjectCommand({ Bucket: 'invoices', Key: 'doomed', VersionId: put.VersionId }));
        await clock.advance(LAG.max);
        const after = await west.send(new ListObjectVersionsCommand({ Bucket: 'invoices-dr', Prefix: 'doomed' }));
        expect(after.Versions?.map((v) => v.VersionId)).toEqual([put.VersionId]);
      }
    });

    it('replicates a restore-by-copy like any new version', async () => {
      const { clock, s3, east, west } = await setup();
      seedPair(s3);
      const good = await east.send(new PutObjectCommand({ Bucket: 'invoices', Key: 'ledger', Body: 'good' }));
      await clock.advance(LAG.max);
      await east.send(new PutObjectCommand({ Bucket: 'invoices', Key: 'ledger', Body: 'bad' }));
      await clock.advance(LAG.max);
      const restored = await east.send(new CopyObjectCommand({ Bucket: 'invoices', Key: 'ledger', CopySource: `invoices/ledger?versionId=${good.VersionId}` }));
      expect(await status(east, 'invoices', 'ledger')).toBe('PENDING');
      await clock.advance(LAG.max);
      const replica = await west.send(new GetObjectCommand({ Bucket: 'invoices-dr', Key: 'ledger' }));
      expect(replica.VersionId).toBe(restored.VersionId);
      expect(await replica.Body?.transformToString()).toBe('good');
    });
  });

  describe('replication under faults', () => {
    it('fails when the destination region is down, and does not retry when it returns', async () => {
      const { clock, sim, s3, east, west } = await setup();
      seedPair(s3);
      sim.world.faults.setRegionUp('us-west-2', false, 'test outage');
      const lost = await east.send(new PutObjectCommand({ Bucket: 'invoices', Key: 'during-outage', Body: 'x' }));
      expect(await status(east, 'invoices', 'during-outage')).toBe('PENDING');
      await clock.advance(LAG.max);
      expect(await status(east, 'invoices', 'during-outage')).toBe('FAILED');
      expect(s3.model.replicationOutcomes('invoices', 'during-outage', lost.VersionId!)[0]).toMatchObject({
        status: 'FAILED',
        reason: 'destination region us-west-2 is unavailable',
      });
      expect(s3.model.replicationLagOf('invoices', 'during-outage', lost.VersionId!)).toBeUndefined();

      sim.world.faults.setRegionUp('us-west-2', true, 'test outage');
      await clock.advance(10 * MINUTE);
      expect(await status(east, 'invoices', 'during-outage')).toBe('FAILED');
      expect((await thrown(west.send(new HeadObjectCommand({ Bucket: 'invoices-dr', Key: 'during-outage' })))).$metadata.httpStatusCode).toBe(404);
      // New writes replicate again.
      await east.send(new PutObjectCommand({ Bucket: 'invoices', Key: 'after-outage', Body: 'y' }));
      await clock.advance(LAG.max);
      expect(await status(east, 'invoices', 'after-outage')).toBe('COMPLETED');

      // S3 Batch Replication re-drives the failed one; its lag counts from the original write.
      expect(s3.model.retryFailedReplication('invoices')).toBe(1);
      expect(await status(east, 'invoices', 'during-outage')).toBe('PENDING');
      await clock.advance(LAG.max);
      expect(await status(east, 'invoices', 'during-outage')).toBe('COMPLETED');
      expect(s3.model.replicationLagOf('invoices', 'during-outage', lost.VersionId!)).toBeGreaterThan(10 * MINUTE);
    });

    it('fails when the link between the regions is cut', async () => {
      const { clock, sim, s3, east } = await setup();
      seedPair(s3);
      sim.world.faults.setLinkUp('us-east-1', 'us-west-2', false, 'test cut');
      await east.send(new PutObjectCommand({ Bucket: 'invoices', Key: 'cut', Body: 'x' }));
      await clock.advance(LAG.max);
      expect(await status(east, 'invoices', 'cut')).toBe('FAILED');
    });

    it('refuses a cross-region copy whose source region is cut off', async () => {
      const { sim, s3, west } = await setup();
      seedPair(s3);
      sim.world.faults.setLinkUp('us-east-1', 'us-west-2', false, 'test cut');
      const refused = await thrown(west.send(new CopyObjectCommand({ Bucket: 'invoices-dr', Key: 'manual-copy', CopySource: 'invoices/seed/0001.pdf' })));
      expect(refused.name).toBe('ServiceUnavailable');
      expect(refused.$metadata.httpStatusCode).toBe(503);
      sim.world.faults.setLinkUp('us-east-1', 'us-west-2', true, 'test cut');
      await west.send(new CopyObjectCommand({ Bucket: 'invoices-dr', Key: 'manual-copy', CopySource: 'invoices/seed/0001.pdf' }));
      expect(await (await west.send(new GetObjectCommand({ Bucket: 'invoices-dr', Key: 'manual-copy' }))).Body?.transformToString()).toBe('steady state');
    });

    it('holds versions while the source region is down and replicates them when it returns', async () => {
      const { clock, sim, s3, east, west } = await setup();
      seedPair(s3);
      const put = await east.send(new PutObjectCommand({ Bucket: 'invoices', Key: 'before-outage', Body: 'x' }));
      sim.world.faults.setRegionUp('us-east-1', false, 'test outage');
      await clock.advance(5 * MINUTE);
      expect(s3.model.replicationBacklog('invoices')).toEqual([
        expect.objectContaining({ key: 'before-outage', versionId: put.VersionId, held: 'source-region-down' }),
      ]);
      sim.world.faults.setRegionUp('us-east-1', true, 'test outage');
      await clock.advance(LAG.max);
      expect(await status(east, 'invoices', 'before-outage')).toBe('COMPLETED');
      expect(await status(west, 'invoices-dr', 'before-outage')).toBe('REPLICA');
    });
  });

  describe('FIS aws:s3:bucket-pause-replication', () => {
    async function pauseTemplate(sim: Simulator, clock: VirtualClock, duration: string): Promise<{ fis: FisClient; templateId: string }> {
      const fis = new FisClient(await via.config(sim, clock, 'us-east-1'));
      const template = await fis.send(
        new CreateExperimentTemplateCommand({
          description: 'Pause invoice replication',
          roleArn: `arn:aws:iam::${ACCOUNT}:role/fis`,
          stopConditions: [{ source: 'none' }],
          targets: { CriticalBuckets: { resourceType: 'aws:s3:bucket', resourceTags: { critical: 'true' }, selectionMode: 'ALL' } },
          actions: {
            pause: {
              actionId: 'aws:s3:bucket-pause-replication',
              parameters: { duration, region: 'us-west-2' },
              targets: { Buckets: 'CriticalBuckets' },
            },
          },
        }),
      );
      return { fis, templateId: template.experimentTemplate!.id! };
    }

    // Reads the module's FIS targets directly: no request crosses a transport, so once is enough.
    it.runIf(transport === 'in-process')('lists tagged buckets as targets', async () => {
      const { s3 } = await setup();
      seedPair(s3);
      expect(s3.targetable('aws:s3:bucket', 'us-east-1')).toEqual([
        { arn: 'arn:aws:s3:::invoices', type: 'aws:s3:bucket', region: 'us-east-1', tags: { critical: 'true' }, BucketName: 'invoices' },
      ]);
      expect(s3.targetable('aws:s3:bucket', 'us-west-2').map((b) => b.arn)).toEqual(['arn:aws:s3:::invoices-dr']);
      expect(s3.targetable('aws:rds:db', 'us-east-1')).toEqual([]);
    });

    it('queues writes during the pause and replicates the backlog after it', async () => {
      const { clock, sim, s3, east, west } = await setup();
      seedPair(s3, { rtc: true });
      const { fis, templateId } = await pauseTemplate(sim, clock, 'PT10M');
      const started = await fis.send(new StartExperimentCommand({ experimentTemplateId: templateId }));
      await clock.advance(10 * SECOND);
      expect((await fis.send(new GetExperimentCommand({ id: started.experiment!.id }))).experiment?.state?.status).toBe('running');
      const pausedAt = clock.now();

      const written: { key: string; versionId: string }[] = [];
      for (let i = 0; i < 5; i++) {
        const key = `paused/${i}`;
        written.push({ key, versionId: (await east.send(new PutObjectCommand({ Bucket: 'invoices', Key: key, Body: key }))).VersionId! });
        await clock.advance(MINUTE);
      }
      expect(s3.model.replicationBacklog('invoices').map((b) => b.key)).toEqual(written.map((w) => w.key));
      expect(s3.model.replicationBacklog('invoices').filter((b) => b.held === 'paused').length).toBeGreaterThanOrEqual(4);
      for (const { key } of written) expect(await status(east, 'invoices', key)).toBe('PENDING');
      expect((await thrown(west.send(new HeadObjectCommand({ Bucket: 'invoices-dr', Key: 'paused/0' })))).$metadata.httpStatusCode).toBe(404);

      await clock.advance(pausedAt + 10 * MINUTE - clock.now() + LAG.max);
      expect((await fis.send(new GetExperimentCommand({ id: started.experiment!.id }))).experiment?.state?.status).toBe('completed');
      expect(s3.model.replicationBacklog('invoices')).toEqual([]);
      for (const { key, versionId } of written) {
        expect(await status(east, 'invoices', key)).toBe('COMPLETED');
        expect((await west.send(new HeadObjectCommand({ Bucket: 'invoices-dr', Key: key }))).VersionId).toBe(versionId);
        // The pause held them past their lag: replicated after it ended.
        const lag = s3.model.replicationLagOf('invoices', key, versionId)!;
        expect(START + lag).toBeGreaterThan(pausedAt);
      }
      const first = written[0]!;
      expect(s3.model.replicationLagOf('invoices', first.key, first.versionId)).toBeGreaterThan(9 * MINUTE);
      const kinds = sim.world.events.map((e) => e.kind);
      expect(kinds).toContain('s3.replication.paused');
      expect(kinds).toContain('s3.replication.resumed');
    });

    it('releases the backlog when the experiment is stopped early', async () => {
      const { clock, sim, s3, east } = await setup();
      seedPair(s3);
      const { fis, templateId } = await pauseTemplate(sim, clock, 'PT1H');
      const started = await fis.send(new StartExperimentCommand({ experimentTemplateId: templateId }));
      await clock.advance(10 * SECOND);
      await east.send(new PutObjectCommand({ Bucket: 'invoices', Key: 'held', Body: 'x' }));
      await clock.advance(5 * MINUTE);
      expect(s3.model.replicationBacklog('invoices')).toEqual([expect.objectContaining({ key: 'held', held: 'paused' })]);
      await fis.send(new StopExperimentCommand({ id: started.experiment!.id }));
      await clock.advance(LAG.max);
      expect((await fis.send(new GetExperimentCommand({ id: started.experiment!.id }))).experiment?.state?.status).toBe('stopped');
      expect(await status(east, 'invoices', 'held')).toBe('COMPLETED');
    });

    it('pauses only rules towards the region named', async () => {
      const { clock, s3, east } = await setup();
      seedPair(s3);
      const pauseId = s3.model.pauseReplication({ sourceBucket: 'invoices', region: 'eu-west-1' });
      await east.send(new PutObjectCommand({ Bucket: 'invoices', Key: 'unaffected', Body: 'x' }));
      await clock.advance(LAG.max);
      expect(await status(east, 'invoices', 'unaffected')).toBe('COMPLETED');
      s3.model.resumeReplication(pauseId);
    });
  });
});
