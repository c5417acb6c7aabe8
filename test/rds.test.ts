import {
  AddTagsToResourceCommand,
  CopyDBSnapshotCommand,
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  CreateDBInstanceReadReplicaCommand,
  CreateDBSnapshotCommand,
  DBClusterNotFoundFault,
  DBInstanceAlreadyExistsFault,
  DBInstanceAutomatedBackupNotFoundFault,
  DBInstanceNotFoundFault,
  DBSnapshotAlreadyExistsFault,
  DBSnapshotNotFoundFault,
  DeleteDBInstanceCommand,
  DeleteDBSnapshotCommand,
  DescribeDBClustersCommand,
  DescribeDBInstanceAutomatedBackupsCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  FailoverDBClusterCommand,
  InvalidDBClusterStateFault,
  InvalidDBInstanceStateFault,
  InvalidDBSnapshotStateFault,
  InvalidRestoreFault,
  ListTagsForResourceCommand,
  ModifyDBInstanceCommand,
  PointInTimeRestoreNotEnabledFault,
  PromoteReadReplicaCommand,
  RDSClient,
  RDSServiceException,
  RebootDBInstanceCommand,
  RemoveTagsFromResourceCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
  RestoreDBInstanceToPointInTimeCommand,
  type DBInstance,
} from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { createSimulator, type Simulator } from '../src/sim/index.js';
import { createRdsModule, type RdsModule } from '../src/sim/services/rds/index.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { MINUTE, SECOND } from './support/time.js';
import { ACCOUNT } from './support/sim.js';

const START = Date.UTC(2026, 0, 5);
const DAY = 24 * 60 * MINUTE;
const arnOf = (region: string, kind: string, name: string) => `arn:aws:rds:${region}:${ACCOUNT}:${kind}:${name}`;

async function setupOver(via: TransportHarness, seed = 42) {
  const clock = new VirtualClock({ start: START });
  const sim = createSimulator({ clock, seed, services: [createRdsModule] });
  const model = sim.world.module<RdsModule>('rds').model;
  const east = new RDSClient(await via.config(sim, clock, 'us-east-1'));
  const west = new RDSClient(await via.config(sim, clock, 'us-west-2'));
  return { clock, sim, model, east, west };
}

/** An instance's status changes, from the sim's own event log. */
function statuses(sim: Simulator, id: string, region = 'us-east-1'): { at: number; status: string }[] {
  return sim.world.events
    .filter((e) => e.kind === 'rds.instance.status' && e.detail['id'] === id && e.detail['region'] === region)
    .map((e) => ({ at: e.at, status: String(e.detail['status']) }));
}

/** The form bodies the SDK sends, as the sim receives them. */
function recordBodies(sim: Simulator): string[] {
  const bodies: string[] = [];
  const dispatch = sim.dispatcher.dispatch.bind(sim.dispatcher);
  sim.dispatcher.dispatch = (request) => {
    bodies.push(Buffer.from(request.body).toString('utf8'));
    return dispatch(request);
  };
  return bodies;
}

async function describe1(client: RDSClient, id: string): Promise<DBInstance> {
  const out = await client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
  expect(out.DBInstances).toHaveLength(1);
  return out.DBInstances![0]!;
}

const createPostgres = (id: string, extra: Record<string, unknown> = {}) =>
  new CreateDBInstanceCommand({
    DBInstanceIdentifier: id,
    DBInstanceClass: 'db.r6g.large',
    Engine: 'postgres',
    AllocatedStorage: 100,
    ...extra,
  });

describe.each(transports)('RDS over the %s transport', (transport) => {
  const via = useTransport(transport);
  const setup = (seed?: number) => setupOver(via, seed);

  describe('CreateDBInstance and DescribeDBInstances', () => {
    it('creates an instance that goes creating → backing-up → available inside the calibrated time', async () => {
      const { clock, sim, east } = await setup();
      const created = await east.send(createPostgres('orders-db', { MultiAZ: true, BackupRetentionPeriod: 7, Tags: [{ Key: 'team', Value: 'orders' }] }));
      const db = created.DBInstance!;
      expect(db).toMatchObject({
        DBInstanceIdentifier: 'orders-db',
        DBInstanceStatus: 'creating',
        Engine: 'postgres',
        MultiAZ: true,
        BackupRetentionPeriod: 7,
        DBInstanceArn: arnOf('us-east-1', 'db', 'orders-db'),
        TagList: [{ Key: 'team', Value: 'orders' }],
      });
      expect(db.DbiResourceId).toMatch(/^db-[A-Z0-9]{26}$/);
      expect(db.Endpoint).toBeUndefined();

      await clock.advance(13 * MINUTE);
      const changes = statuses(sim, 'orders-db');
      expect(changes.map((c) => c.status)).toEqual(['creating', 'backing-up', 'available']);
      const total = changes[2]!.at - changes[0]!.at;
      expect(total).toBeGreaterThanOrEqual(5 * MINUTE);
      expect(total).toBeLessThanOrEqual(12 * MINUTE);

      const now = await describe1(east, 'orders-db');
      expect(now.DBInstanceStatus).toBe('available');
      expect(now.Endpoint).toEqual({
        Address: expect.stringMatching(/^orders-db\.c[a-z0-9]{11}\.us-east-1\.rds\.amazonaws\.com$/),
        Port: 5432,
        HostedZoneId: expect.any(String),
      });
      expect(now.InstanceCreateTime).toEqual(new Date(START));
      expect(now.AvailabilityZone).toMatch(/^us-east-1[abc]$/);
      expect(now.SecondaryAvailabilityZone).toMatch(/^us-east-1[abc]$/);
      expect(now.SecondaryAvailabilityZone).not.toBe(now.AvailabilityZone);
      const lrt = now.LatestRestorableTime!.getTime();
      expect(lrt).toBeLessThanOrEqual(clock.now());
      expect(lrt).toBeGreaterThan(clock.now() - 5 * MINUTE);
    });

    it('refuses a duplicate, a bad identifier and a Multi-AZ instance pinned to one AZ', async () => {
      const { east } = await setup();
      await east.send(createPostgres('orders-db'));
      await expect(east.send(createPostgres('orders-db'))).rejects.toBeInstanceOf(DBInstanceAlreadyExistsFault);
      await expect(east.send(createPostgres('Orders-DB'))).rejects.toBeInstanceOf(DBInstanceAlreadyExistsFault);
      await expect(east.send(createPostgres('1-orders'))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
      await expect(east.send(createPostgres('orders--db'))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
      await expect(east.send(createPostgres('other', { MultiAZ: true, AvailabilityZone: 'us-east-1a' }))).rejects.toMatchObject({
        name: 'InvalidParameterCombination',
      });
      await expect(east.send(createPostgres('other', { Engine: 'dbase' }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
      await expect(east.send(createPostgres('other', { BackupRetentionPeriod: 36 }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    });

    it('keeps regions apart', async () => {
      const { east, west } = await setup();
      await east.send(createPostgres('orders-db'));
      await expect(west.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'orders-db' }))).rejects.toBeInstanceOf(
        DBInstanceNotFoundFault,
      );
      expect((await west.send(new DescribeDBInstancesCommand({}))).DBInstances).toEqual([]);
      const error = await east.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'ghost' })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DBInstanceNotFoundFault);
      expect(error).toMatchObject({ message: 'DBInstance ghost not found.', $metadata: { httpStatusCode: 404 } });
    });

    it('pages with MaxRecords and Marker, and refuses MaxRecords outside 20–100', async () => {
      const { model, east } = await setup();
      const ids = Array.from({ length: 45 }, (_, i) => `db-${String(i).padStart(2, '0')}`);
      for (const id of [...ids].reverse()) model.seedInstance({ identifier: id, region: 'us-east-1' });
      const seen: string[] = [];
      const pages: number[] = [];
      let marker: string | undefined;
      do {
        const page = await east.send(new DescribeDBInstancesCommand({ MaxRecords: 20, ...(marker ? { Marker: marker } : {}) }));
        pages.push(page.DBInstances!.length);
        seen.push(...page.DBInstances!.map((d) => d.DBInstanceIdentifier!));
        marker = page.Marker;
      } while (marker);
      expect(pages).toEqual([20, 20, 5]);
      expect(seen).toEqual(ids);
      expect((await east.send(new DescribeDBInstancesCommand({}))).DBInstances).toHaveLength(45);
      for (const MaxRecords of [19, 101]) {
        await expect(east.send(new DescribeDBInstancesCommand({ MaxRecords }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
      }
    });

    it('filters by db-instance-id (identifier or ARN), engine and db-cluster-id', async () => {
      const { model, east } = await setup();
      model.seedInstance({ identifier: 'pg-1', region: 'us-east-1', engine: 'postgres' });
      model.seedInstance({ identifier: 'my-1', region: 'us-east-1', engine: 'mysql' });
      model.seedCluster({ identifier: 'orders-cluster', region: 'us-east-1', engine: 'aurora-postgresql' });
      const ids = async (Filters: { Name: string; Values: string[] }[]) =>
        (await east.send(new DescribeDBInstancesCommand({ Filters }))).DBInstances!.map((d) => d.DBInstanceIdentifier);
      expect(await ids([{ Name: 'engine', Values: ['mysql'] }])).toEqual(['my-1']);
      expect(await ids([{ Name: 'db-instance-id', Values: ['pg-1', arnOf('us-east-1', 'db', 'my-1')] }])).toEqual(['my-1', 'pg-1']);
      expect(await ids([{ Name: 'db-cluster-id', Values: ['orders-cluster'] }])).toEqual([
        'orders-cluster-instance-1',
        'orders-cluster-instance-2',
        'orders-cluster-instance-3',
      ]);
      expect(await ids([{ Name: 'engine', Values: ['postgres'] }, { Name: 'db-instance-id', Values: ['my-1'] }])).toEqual([]);
      await expect(ids([{ Name: 'colour', Values: ['blue'] }])).rejects.toMatchObject({ name: 'InvalidParameterValue' });
      expect((await describe1(east, arnOf('us-east-1', 'db', 'pg-1'))).DBInstanceIdentifier).toBe('pg-1');
    });
  });

  describe('DeleteDBInstance', () => {
    it('needs a final snapshot unless told to skip it, takes it, and is gone after the calibrated time', async () => {
      const { clock, sim, model, east } = await setup();
      model.seedInstance({ identifier: 'orders-db', region: 'us-east-1' });
      await expect(east.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'orders-db' }))).rejects.toMatchObject({
        name: 'InvalidParameterCombination',
      });
      await expect(
        east.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'orders-db', SkipFinalSnapshot: true, FinalDBSnapshotIdentifier: 'x' })),
      ).rejects.toMatchObject({ name: 'InvalidParameterCombination' });
      const deleted = await east.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'orders-db', FinalDBSnapshotIdentifier: 'orders-final' }));
      expect(deleted.DBInstance?.DBInstanceStatus).toBe('deleting');
      await expect(east.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'orders-db', SkipFinalSnapshot: true }))).rejects.toBeInstanceOf(
        InvalidDBInstanceStateFault,
      );
      const final = await east.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'orders-final' }));
      expect(final.DBSnapshots?.[0]).toMatchObject({ DBInstanceIdentifier: 'orders-db', SnapshotType: 'manual' });

      await clock.advance(3 * MINUTE);
      await expect(east.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'orders-db' }))).rejects.toBeInstanceOf(
        DBInstanceNotFoundFault,
      );
      const gone = sim.world.events.find((e) => e.kind === 'rds.instance.deleted');
      expect(gone!.at - START).toBeGreaterThanOrEqual(60 * SECOND);
      expect(gone!.at - START).toBeLessThanOrEqual(180 * SECOND);
      // Automated backups went with it (DeleteAutomatedBackups defaults to true).
      expect((await east.send(new DescribeDBInstanceAutomatedBackupsCommand({}))).DBInstanceAutomatedBackups).toEqual([]);
      expect((await east.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'automated' }))).DBSnapshots).toEqual([]);
    });

    it('retains automated backups when asked, restorable until retention runs out', async () => {
      const { clock, model, east } = await setup();
      const seeded = model.seedInstance({ identifier: 'orders-db', region: 'us-east-1', backupRetentionDays: 3 });
      model.write('us-east-1', 'orders-db', { key: 'order-1' });
      await clock.advance(10 * MINUTE);
      await east.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'orders-db', SkipFinalSnapshot: true, DeleteAutomatedBackups: false }));
      await clock.advance(5 * MINUTE);
      const backups = (await east.send(new DescribeDBInstanceAutomatedBackupsCommand({}))).DBInstanceAutomatedBackups!;
      expect(backups).toHaveLength(1);
      expect(backups[0]).toMatchObject({ Status: 'retained', DBInstanceIdentifier: 'orders-db', DbiResourceId: seeded.resourceId, BackupRetentionPeriod: 3 });
      const automated = (await east.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: 'orders-db', SnapshotType: 'automated' }))).DBSnapshots!;
      expect(automated).toHaveLength(4);

      await east.send(
        new RestoreDBInstanceToPointInTimeCommand({
          TargetDBInstanceIdentifier: 'orders-db-back',
          SourceDBInstanceAutomatedBackupsArn: backups[0]!.DBInstanceAutomatedBackupsArn!,
          UseLatestRestorableTime: true,
        }),
      );
      await east.send(
        new RestoreDBInstanceToPointInTimeCommand({
          TargetDBInstanceIdentifier: 'orders-db-back-2',
          SourceDbiResourceId: seeded.resourceId,
          UseLatestRestorableTime: true,
        }),
      );
      await clock.advance(41 * MINUTE);
      expect(model.writesOf('us-east-1', 'orders-db-back').map((w) => w.key)).toEqual(['order-1']);
      expect(model.writesOf('us-east-1', 'orders-db-back-2').map((w) => w.key)).toEqual(['order-1']);

      await clock.advance(3 * DAY);
      expect((await east.send(new DescribeDBInstanceAutomatedBackupsCommand({ Filters: [{ Name: 'status', Values: ['retained'] }] }))).DBInstanceAutomatedBackups).toEqual([]);
      await expect(
        east.send(
          new RestoreDBInstanceToPointInTimeCommand({ TargetDBInstanceIdentifier: 'too-late', SourceDbiResourceId: seeded.resourceId, UseLatestRestorableTime: true }),
        ),
      ).rejects.toBeInstanceOf(PointInTimeRestoreNotEnabledFault);
    });
  });

  describe('ModifyDBInstance', () => {
    it('applies a retention change while modifying, showing it as pending meanwhile', async () => {
      const { clock, sim, model, east } = await setup();
      model.seedInstance({ identifier: 'orders-db', region: 'us-east-1', backupRetentionDays: 7 });
      const out = await east.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'orders-db', BackupRetentionPeriod: 14, ApplyImmediately: true }));
      expect(out.DBInstance).toMatchObject({ DBInstanceStatus: 'modifying', BackupRetentionPeriod: 7, PendingModifiedValues: { BackupRetentionPeriod: 14 } });
      await expect(east.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'orders-db' }))).rejects.toBeInstanceOf(InvalidDBInstanceStateFault);
      await clock.advance(2 * MINUTE);
      const after = await describe1(east, 'orders-db');
      expect(after).toMatchObject({ DBInstanceStatus: 'available', BackupRetentionPeriod: 14, PendingModifiedValues: {} });
      const changes = statuses(sim, 'orders-db');
      const modifying = changes[changes.length - 1]!.at - changes[changes.length - 2]!.at;
      expect(modifying).toBeGreaterThanOrEqual(30 * SECOND);
      expect(modifying).toBeLessThanOrEqual(90 * SECOND);
    });

    it('converts to Multi-AZ now when applied immediately, at the maintenance window otherwise', async () => {
      const { clock, sim, model, east } = await setup();
      model.seedInstance({ identifier: 'now-db', region: 'us-east-1' });
      model.seedInstance({ identifier: 'later-db', region: 'us-east-1' });
      const later = await east.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'later-db', MultiAZ: true }));
      expect(later.DBInstance).toMatchObject({ DBInstanceStatus: 'available', MultiAZ: false, PendingModifiedValues: { MultiAZ: true } });
      await east.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'now-db', MultiAZ: true, ApplyImmediately: true }));
      await clock.advance(26 * MINUTE);
      const now = await describe1(east, 'now-db');
      expect(now.MultiAZ).toBe(true);
      expect(now.SecondaryAvailabilityZone).toBeDefined();
      expect(now.SecondaryAvailabilityZone).not.toBe(now.AvailabilityZone);
      const [modifying, available] = statuses(sim, 'now-db').slice(-2);
      expect(available!.at - modifying!.at).toBeGreaterThanOrEqual(10 * MINUTE);
      expect(available!.at - modifying!.at).toBeLessThanOrEqual(25 * MINUTE);
      expect((await describe1(east, 'later-db')).MultiAZ).toBe(false);
    });

    it('turns automated backups off and PITR with them', async () => {
      const { clock, model, east } = await setup();
      model.seedInstance({ identifier: 'orders-db', region: 'us-east-1' });
      await east.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'orders-db', BackupRetentionPeriod: 0, ApplyImmediately: true }));
      await clock.advance(2 * MINUTE);
      expect((await describe1(east, 'orders-db')).LatestRestorableTime).toBeUndefined();
      await expect(
        east.send(
          new RestoreDBInstanceToPointInTimeCommand({
            TargetDBInstanceIdentifier: 'restored',
            SourceDBInstanceIdentifier: 'orders-db',
            UseLatestRestorableTime: true,
          }),
        ),
      ).rejects.toBeInstanceOf(PointInTimeRestoreNotEnabledFault);
    });
  });

  describe('RebootDBInstance', () => {
    it('reboots in the calibrated time and refuses a reboot while rebooting', async () => {
      const { clock, sim, model, east } = await setup();
      model.seedInstance({ identifier: 'orders-db', region: 'us-east-1' });
      const out = await east.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'orders-db' }));
      expect(out.DBInstance?.DBInstanceStatus).toBe('rebooting');
      await expect(east.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'orders-db' }))).rejects.toBeInstanceOf(InvalidDBInstanceStateFault);
      await clock.advance(MINUTE);
      const [rebooting, available] = statuses(sim, 'orders-db').slice(-2);
      expect([rebooting!.status, available!.status]).toEqual(['rebooting', 'available']);
      expect(available!.at - rebooting!.at).toBeGreaterThanOrEqual(20 * SECOND);
      expect(available!.at - rebooting!.at).toBeLessThanOrEqual(60 * SECOND);
    });

    it('fails over only a Multi-AZ instance, swapping AZs in 60–120 s', async () => {
      const { clock, sim, model, east } = await setup();
      model.seedInstance({ identifier: 'single', region: 'us-east-1' });
      model.seedInstance({ identifier: 'orders-db', region: 'us-east-1', multiAZ: true });
      await expect(east.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'single', ForceFailover: true }))).rejects.toMatchObject({
        name: 'InvalidParameterCombination',
      });
      const before = await describe1(east, 'orders-db');
      await east.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'orders-db', ForceFailover: true }));
      await clock.advance(2 * MINUTE);
      const after = await describe1(east, 'orders-db');
      expect(after.AvailabilityZone).toBe(before.SecondaryAvailabilityZone);
      expect(after.SecondaryAvailabilityZone).toBe(before.AvailabilityZone);
      const started = sim.world.events.find((e) => e.kind === 'rds.failover.started')!;
      const completed = sim.world.events.find((e) => e.kind === 'rds.failover.completed')!;
      expect(started.detail).toMatchObject({ kind: 'instance', id: 'orders-db', from: before.AvailabilityZone, to: before.SecondaryAvailabilityZone });
      expect(completed.at - started.at).toBeGreaterThanOrEqual(60 * SECOND);
      expect(completed.at - started.at).toBeLessThanOrEqual(120 * SECOND);
    });
  });

  describe('tags', () => {
    it('adds, lists and removes tags on instances, clusters and snapshots', async () => {
      const { model, east } = await setup();
      model.seedInstance({ identifier: 'orders-db', region: 'us-east-1', tags: { critical: 'true' } });
      model.seedCluster({ identifier: 'orders-cluster', region: 'us-east-1' });
      const db = arnOf('us-east-1', 'db', 'orders-db');
      await east.send(new AddTagsToResourceCommand({ ResourceName: db, Tags: [{ Key: 'team', Value: 'orders' }, { Key: 'critical', Value: 'yes' }] }));
      expect((await east.send(new ListTagsForResourceCommand({ ResourceName: db }))).TagList).toEqual([
        { Key: 'critical', Value: 'yes' },
        { Key: 'team', Value: 'orders' },
      ]);
      await east.send(new RemoveTagsFromResourceCommand({ ResourceName: db, TagKeys: ['critical'] }));
      expect((await describe1(east, 'orders-db')).TagList).toEqual([{ Key: 'team', Value: 'orders' }]);

      const cluster = arnOf('us-east-1', 'cluster', 'orders-cluster');
      await east.send(new AddTagsToResourceCommand({ ResourceName: cluster, Tags: [{ Key: 'tier', Value: 'gold' }] }));
      expect((await east.send(new ListTagsForResourceCommand({ ResourceName: cluster }))).TagList).toEqual([{ Key: 'tier', Value: 'gold' }]);

      await east.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders-db', DBSnapshotIdentifier: 'snap-1', Tags: [{ Key: 'k', Value: 'v' }] }));
      expect((await east.send(new ListTagsForResourceCommand({ ResourceName: arnOf('us-east-1', 'snapshot', 'snap-1') }))).TagList).toEqual([
        { Key: 'k', Value: 'v' },
      ]);

      await expect(east.send(new ListTagsForResourceCommand({ ResourceName: arnOf('us-east-1', 'db', 'ghost') }))).rejects.toBeInstanceOf(
        DBInstanceNotFoundFault,
      );
      await expect(east.send(new ListTagsForResourceCommand({ ResourceName: arnOf('us-east-1', 'cluster', 'ghost') }))).rejects.toBeInstanceOf(
        DBClusterNotFoundFault,
      );
      await expect(east.send(new ListTagsForResourceCommand({ ResourceName: 'orders-db' }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
      await expect(east.send(new ListTagsForResourceCommand({ ResourceName: arnOf('us-west-2', 'db', 'orders-db') }))).rejects.toMatchObject({
        name: 'InvalidParameterValue',
      });
    });
  });

  describe('snapshots', () => {
    it('creates a manual snapshot (instance backing-up meanwhile) in the calibrated time', async () => {
      const { clock, sim, model, east } = await setup();
      model.seedInstance({ identifier: 'orders-db', region: 'us-east-1', allocatedStorage: 100 });
      const out = await east.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders-db', DBSnapshotIdentifier: 'before-change' }));
      expect(out.DBSnapshot).toMatchObject({
        DBSnapshotIdentifier: 'before-change',
        DBInstanceIdentifier: 'orders-db',
        Status: 'creating',
        SnapshotType: 'manual',
        DBSnapshotArn: arnOf('us-east-1', 'snapshot', 'before-change'),
      });
      expect((await describe1(east, 'orders-db')).DBInstanceStatus).toBe('backing-up');
      await expect(east.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders-db', DBSnapshotIdentifier: 'before-change' }))).rejects.toBeInstanceOf(
        DBSnapshotAlreadyExistsFault,
      );
      await expect(east.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'before-change' }))).rejects.toBeInstanceOf(InvalidDBSnapshotStateFault);
      await clock.advance(11 * MINUTE);
      const done = sim.world.events.find((e) => e.kind === 'rds.snapshot.status' && e.detail['status'] === 'available')!;
      expect(done.at - START).toBeGreaterThanOrEqual(2 * MINUTE);
      expect(done.at - START).toBeLessThanOrEqual(10 * MINUTE);
      const snapshot = (await east.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'before-change' }))).DBSnapshots![0]!;
      expect(snapshot).toMatchObject({ Status: 'available', PercentProgress: 100, SnapshotCreateTime: new Date(START) });
      expect((await describe1(east, 'orders-db')).DBInstanceStatus).toBe('available');
    });

    it('refuses to snapshot an instance that is not available', async () => {
      const { model, east } = await setup();
      model.seedInstance({ identifier: 'orders-db', region: 'us-east-1' });
      await east.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'orders-db' }));
      await expect(east.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders-db', DBSnapshotIdentifier: 's' }))).rejects.toBeInstanceOf(
        InvalidDBInstanceStateFault,
      );
      await expect(east.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'ghost', DBSnapshotIdentifier: 's' }))).rejects.toBeInstanceOf(
        DBInstanceNotFoundFault,
      );
    });

    it('lists automated snapshots, one a day back to the retention, and filters by type and instance', async () => {
      const { clock, model, east } = await setup();
      model.seedInstance({ identifier: 'orders-db', region: 'us-east-1', backupRetentionDays: 7 });
      model.seedInstance({ identifier: 'other-db', region: 'us-east-1', backupRetentionDays: 1 });
      await east.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders-db', DBSnapshotIdentifier: 'manual-1' }));
      await clock.advance(11 * MINUTE);
      const automated = (await east.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: 'orders-db', SnapshotType: 'automated' }))).DBSnapshots!;
      expect(automated.map((s) => s.DBSnapshotIdentifier)).toEqual([
        'rds:orders-db-2025-12-29-00-00',
        'rds:orders-db-2025-12-30-00-00',
        'rds:orders-db-2025-12-31-00-00',
        'rds:orders-db-2026-01-01-00-00',
        'rds:orders-db-2026-01-02-00-00',
        'rds:orders-db-2026-01-03-00-00',
        'rds:orders-db-2026-01-04-00-00',
        'rds:orders-db-2026-01-05-00-00',
      ]);
      expect(automated.every((s) => s.SnapshotType === 'automated' && s.Status === 'available')).toBe(true);
      expect(automated[0]!.SnapshotCreateTime).toEqual(new Date(START - 7 * DAY));
      const manual = (await east.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'manual' }))).DBSnapshots!;
      expect(manual.map((s) => s.DBSnapshotIdentifier)).toEqual(['manual-1']);
      const all = (await east.send(new DescribeDBSnapshotsCommand({}))).DBSnapshots!;
      expect(all).toHaveLength(8 + 2 + 1);
      const filtered = (
        await east.send(new DescribeDBSnapshotsCommand({ Filters: [{ Name: 'db-instance-id', Values: ['other-db'] }, { Name: 'snapshot-type', Values: ['automated'] }] }))
      ).DBSnapshots!;
      expect(filtered.map((s) => s.DBSnapshotIdentifier)).toEqual(['rds:other-db-2026-01-04-00-00', 'rds:other-db-2026-01-05-00-00']);
      await expect(east.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: automated[0]!.DBSnapshotIdentifier! }))).rejects.toBeInstanceOf(
        InvalidDBSnapshotStateFault,
      );
      // A day later the oldest has expired and a new one exists.
      await clock.advance(DAY);
      const nextDay = (await east.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: 'orders-db', SnapshotType: 'automated' }))).DBSnapshots!;
      expect(nextDay[0]!.DBSnapshotIdentifier).toBe('rds:orders-db-2025-12-30-00-00');
      expect(nextDay[nextDay.length - 1]!.DBSnapshotIdentifier).toBe('rds:orders-db-2026-01-06-00-00');
    });

    it('pages snapshots and deletes a manual one', async () => {
      const { clock, model, east } = await setup();
      model.seedInstance({ identifier: 'orders-db', region: 'us-east-1', backupRetentionDays: 0 });
      for (let i = 0; i < 25; i++) {
        await east.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders-db', DBSnapshotIdentifier: `snap-${String(i).padStart(2, '0')}` }));
        await clock.advance(11 * MINUTE);
      }
      const first = await east.send(new DescribeDBSnapshotsCommand({ MaxRecords: 20 }));
      expect(first.DBSnapshots).toHaveLength(20);
      const second = await east.send(new DescribeDBSnapshotsCommand({ MaxRecords: 20, Marker: first.Marker! }));
      expect(second.DBSnapshots!.map((s) => s.DBSnapshotIdentifier)).toEqual(['snap-20', 'snap-21', 'snap-22', 'snap-23', 'snap-24']);
      expect(second.Marker).toBeUndefined();

      const deleted = await east.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'snap-03' }));
      expect(deleted.DBSnapshot).toMatchObject({ DBSnapshotIdentifier: 'snap-03', Status: 'deleted' });
      await expect(east.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'snap-03' }))).rejects.toBeInstanceOf(DBSnapshotNotFoundFault);
      await expect(east.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'snap-03' }))).rejects.toBeInstanceOf(DBSnapshotNotFoundFault);
    });

    it('copies a snapshot across regions, called in the destination with the source ARN', async () => {
      const { clock, sim, model, east, west } = await setup();
      model.seedInstance({ identifier: 'orders-db', region: 'us-east-1', tags: { team: 'orders' } });
      await east.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders-db', DBSnapshotIdentifier: 'nightly' }));
      const source = arnOf('us-east-1', 'snapshot', 'nightly');
      await expect(west.send(new CopyDBSnapshotCommand({ SourceDBSnapshotIdentifier: source, TargetDBSnapshotIdentifier: 'nightly-west' }))).rejects.toBeInstanceOf(
        InvalidDBSnapshotStateFault,
      );
      await clock.advance(11 * MINUTE);
      const copyStart = clock.now();
      const bodies = recordBodies(sim);
      const out = await west.send(new CopyDBSnapshotCommand({ SourceDBSnapshotIdentifier: source, TargetDBSnapshotIdentifier: 'nightly-west' }));
      expect(new URLSearchParams(bodies[0]).get('PreSignedUrl')).toContain('Action=CopyDBSnapshot');
      expect(out.DBSnapshot).toMatchObject({
        DBSnapshotIdentifier: 'nightly-west',
        Status: 'creating',
        SourceRegion: 'us-east-1',
        SourceDBSnapshotIdentifier: source,
        DBSnapshotArn: arnOf('us-west-2', 'snapshot', 'nightly-west'),
      });
      await clock.advance(21 * MINUTE);
      const copied = (await west.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'nightly-west' }))).DBSnapshots![0]!;
      expect(copied.Status).toBe('available');
      const done = sim.world.events.find((e) => e.kind === 'rds.snapshot.status' && e.detail['id'] === 'nightly-west' && e.detail['status'] === 'available')!;
      expect(done.at - copyStart).toBeGreaterThanOrEqual(5 * MINUTE);
      expect(done.at - copyStart).toBeLessThanOrEqual(20 * MINUTE);
      await expect(
        west.send(new CopyDBSnapshotCommand({ SourceDBSnapshotIdentifier: arnOf('us-east-1', 'snapshot', 'ghost'), TargetDBSnapshotIdentifier: 'x' })),
      ).rejects.toBeInstanceOf(DBSnapshotNotFoundFault);
      // An automated snapshot copies as a manual one.
      const automated = (await east.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'automated' }))).DBSnapshots![0]!;
      const copy = await west.send(new CopyDBSnapshotCommand({ SourceDBSnapshotIdentifier: automated.DBSnapshotArn!, TargetDBSnapshotIdentifier: 'auto-copy' }));
      expect(copy.DBSnapshot?.SnapshotType).toBe('manual');
    });
  });

  describe('read replicas', () => {
    it('creates a cross-region replica from the source ARN and links the two', async () => {
      const { clock, sim, model, east, west } = await setup();
      model.seedInstance({ identifier: 'orders-db', region: 'us-east-1', allocatedStorage: 200 });
      const sourceArn = arnOf('us-east-1', 'db', 'orders-db');
      const bodies = recordBodies(sim);
      const out = await west.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: 'orders-db-replica', SourceDBInstanceIdentifier: sourceArn }));
      expect(out.DBInstance).toMatchObject({
        DBInstanceIdentifier: 'orders-db-replica',
        DBInstanceStatus: 'creating',
        ReadReplicaSourceDBInstanceIdentifier: sourceArn,
        DBInstanceArn: arnOf('us-west-2', 'db', 'orders-db-replica'),
      });
      // The SDK presigned a URL for the source region (middleware-sdk-rds); the sim took the call.
      const sent = new URLSearchParams(bodies[0]);
      // With an endpoint override (HTTP), the SDK keeps the override's port when it swaps in the source region's host.
      const port = transport === 'http' ? `:${(await via.server(sim, clock)).port}` : '';
      expect(sent.get('PreSignedUrl')).toMatch(new RegExp(`^https://rds\\.us-east-1\\.amazonaws\\.com${port}/\\?.*DestinationRegion=us-west-2`));
      expect(sim.world.audit[sim.world.audit.length - 1]).toMatchObject({ eventName: 'CreateDBInstanceReadReplica', awsRegion: 'us-west-2' });
      expect((await describe1(east, 'orders-db')).ReadReplicaDBInstanceIdentifiers).toEqual([arnOf('us-west-2', 'db', 'orders-db-replica')]);

      await clock.advance(31 * MINUTE);
      const replica = await describe1(west, 'orders-db-replica');
      expect(replica).toMatchObject({
        DBInstanceStatus: 'available',
        BackupRetentionPeriod: 0,
        StatusInfos: [{ StatusType: 'read replication', Normal: true, Status: 'replicating' }],
      });
      const changes = statuses(sim, 'orders-db-replica', 'us-west-2');
      const took = changes[changes.length - 1]!.at - changes[0]!.at;
      expect(took).toBeGreaterThanOrEqual(10 * MINUTE);
      expect(took).toBeLessThanOrEqual(30 * MINUTE);
    });

    it('names same-region replicas by identifier, and refuses bad sources', async () => {
      const { model, east } = await setup();
      model.seedInstance({ identifier: 'orders-db', region: 'us-east-1' });
      model.seedInstance({ identifier: 'no-backups', region: 'us-east-1', backupRetentionDays: 0 });
      const out = await east.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: 'reader', SourceDBInstanceIdentifier: 'orders-db' }));
      expect(out.DBInstance?.ReadReplicaSourceDBInstanceIdentifier).toBe('orders-db');
      expect((await describe1(east, 'orders-db')).ReadReplicaDBInstanceIdentifiers).toEqual(['reader']);
      await expect(east.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: 'r2', SourceDBInstanceIdentifier: 'no-backups' }))).rejects.toBeInstanceOf(
        InvalidDBInstanceStateFault,
      );
      await expect(east.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: 'r3', SourceDBInstanceIdentifier: 'ghost' }))).rejects.toBeInstanceOf(
        DBInstanceNotFoundFault,
      );
      await expect(east.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: 'reader', SourceDBInstanceIdentifier: 'orders-db' }))).rejects.toBeInstanceOf(
        DBInstanceAlreadyExistsFault,
      );
    });

    it('promotes a replica: modifying → rebooting → available in 3–8 minutes, then standalone', async () => {
      const { clock, sim, model, east, west } = await setup();
      model.seedInstance({ identifier: 'orders-db', region: 'us-east-1' });
      model.seedReadReplica({ identifier: 'orders-db-replica', region: 'us-west-2', source: { identifier: 'orders-db', region: 'us-east-1' } });
      await expect(east.send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: 'orders-db' }))).rejects.toBeInstanceOf(InvalidDBInstanceStateFault);
      const out = await west.send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: 'orders-db-replica', BackupRetentionPeriod: 7 }));
      expect(out.DBInstance?.DBInstanceStatus).toBe('modifying');
      await clock.advance(9 * MINUTE);
      const changes = statuses(sim, 'orders-db-replica', 'us-west-2').slice(1);
      expect(changes.map((c) => c.status)).toEqual(['modifying', 'rebooting', 'available']);
      const took = changes[2]!.at - changes[0]!.at;
      expect(took).toBeGreaterThanOrEqual(3 * MINUTE);
      expect(took).toBeLessThanOrEqual(8 * MINUTE);
      const promoted = await describe1(west, 'orders-db-replica');
      expect(promoted.ReadReplicaSourceDBInstanceIdentifier).toBeUndefined();
      expect(promoted.StatusInfos).toBeUndefined();
      expect(promoted.BackupRetentionPeriod).toBe(7);
      expect((await describe1(east, 'orders-db')).ReadReplicaDBInstanceIdentifiers).toEqual([]);
      expect(model.isWritable('us-west-2', 'orders-db-replica')).toBe(true);
    });
  });

  describe('clusters', () => {
    it('creates a Multi-AZ DB cluster with a writer and two readers in three AZs', async () => {
      const { clock, east } = await setup();
      const out = await east.send(
        new CreateDBClusterCommand({
          DBClusterIdentifier: 'orders-cluster',
          Engine: 'postgres',
          DBClusterInstanceClass: 'db.m6gd.large',
          AllocatedStorage: 100,
          Tags: [{ Key: 'team', Value: 'orders' }],
        }),
      );
      expect(out.DBCluster).toMatchObject({ DBClusterIdentifier: 'orders-cluster', Status: 'creating', DBClusterArn: arnOf('us-east-1', 'cluster', 'orders-cluster') });
      await clock.advance(13 * MINUTE);
      const cluster = (await east.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'orders-cluster' }))).DBClusters![0]!;
      expect(cluster).toMatchObject({
        Status: 'available',
        MultiAZ: true,
        AvailabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
        DBClusterMembers: [
          { DBInstanceIdentifier: 'orders-cluster-instance-1', IsClusterWriter: true },
          { DBInstanceIdentifier: 'orders-cluster-instance-2', IsClusterWriter: false },
          { DBInstanceIdentifier: 'orders-cluster-instance-3', IsClusterWriter: false },
        ],
        TagList: [{ Key: 'team', Value: 'orders' }],
      });
      expect(cluster.Endpoint).toMatch(/^orders-cluster\.cluster-c[a-z0-9]{11}\.us-east-1\.rds\.amazonaws\.com$/);
      const members = (await east.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: ['orders-cluster'] }] }))).DBInstances!;
      expect(members.map((m) => [m.DBInstanceStatus, m.AvailabilityZone, m.DBClusterIdentifier])).toEqual([
        ['available', 'us-east-1a', 'orders-cluster'],
        ['available', 'us-east-1b', 'orders-cluster'],
        ['available', 'us-east-1c', 'orders-cluster'],
      ]);
      await expect(east.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'bad', Engine: 'postgres' }))).rejects.toMatchObject({
        name: 'InvalidParameterCombination',
      });
    });

    it('fails an Aurora cluster over to the named reader in 15–35 s', async () => {
      const { clock, sim, east } = await setup();
      await east.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'aurora', Engine: 'aurora-postgresql' }));
      // Promotion tiers: aurora-a 1, aurora-b 2, aurora-c 1.
      for (const [id, tier] of [['aurora-a', 1], ['aurora-b', 2], ['aurora-c', 1]] as const) {
        await east.send(
          new CreateDBInstanceCommand({ DBInstanceIdentifier: id, DBInstanceClass: 'db.r6g.large', Engine: 'aurora-postgresql', DBClusterIdentifier: 'aurora', PromotionTier: tier }),
        );
      }
      await expect(
        east.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'aurora-d', DBInstanceClass: 'db.r6g.large', Engine: 'aurora-postgresql', DBClusterIdentifier: 'aurora', PromotionTier: 16 })),
      ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
      await expect(
        east.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'aurora-d', DBInstanceClass: 'db.r6g.large', Engine: 'aurora-postgresql', DBClusterIdentifier: 'ghost' })),
      ).rejects.toBeInstanceOf(DBClusterNotFoundFault);
      await expect(
        east.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'lonely', DBInstanceClass: 'db.r6g.large', Engine: 'aurora-postgresql' })),
      ).rejects.toMatchObject({ name: 'InvalidParameterCombination' });
      await clock.advance(13 * MINUTE);
      const out = await east.send(new FailoverDBClusterCommand({ DBClusterIdentifier: 'aurora', TargetDBInstanceIdentifier: 'aurora-c' }));
      expect(out.DBCluster?.Status).toBe('failing-over');
      await expect(east.send(new FailoverDBClusterCommand({ DBClusterIdentifier: 'aurora' }))).rejects.toBeInstanceOf(InvalidDBClusterStateFault);
      await clock.advance(40 * SECOND);
      const cluster = (await east.send(new DescribeDBClustersCommand({}))).DBClusters![0]!;
      expect(cluster.Status).toBe('available');
      expect(cluster.DBClusterMembers!.map((m) => [m.DBInstanceIdentifier, m.IsClusterWriter, m.PromotionTier])).toEqual([
        ['aurora-a', false, 1],
        ['aurora-b', false, 2],
        ['aurora-c', true, 1],
      ]);
      expect(cluster.Endpoint).toMatch(/^aurora\.cluster-c[a-z0-9]{11}\.us-east-1\.rds\.amazonaws\.com$/);
      expect(cluster.ReaderEndpoint).toMatch(/^aurora\.cluster-ro-c[a-z0-9]{11}\.us-east-1\.rds\.amazonaws\.com$/);
      const started = sim.world.events.find((e) => e.kind === 'rds.failover.started')!;
      const completed = sim.world.events.find((e) => e.kind === 'rds.failover.completed')!;
      expect(completed.detail).toMatchObject({ kind: 'cluster', from: 'aurora-a', to: 'aurora-c' });
      expect(completed.at - started.at).toBeGreaterThanOrEqual(15 * SECOND);
      expect(completed.at - started.at).toBeLessThanOrEqual(35 * SECOND);

      // Without a target, the writer role goes to the reader of the lowest tier (aurora-a 1, not aurora-b 2).
      await east.send(new FailoverDBClusterCommand({ DBClusterIdentifier: 'aurora' }));
      await clock.advance(40 * SECOND);
      const again = (await east.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'aurora' }))).DBClusters![0]!;
      expect(again.DBClusterMembers!.filter((m) => m.IsClusterWriter).map((m) => m.DBInstanceIdentifier)).toEqual(['aurora-a']);
      await expect(east.send(new FailoverDBClusterCommand({ DBClusterIdentifier: 'ghost' }))).rejects.toBeInstanceOf(DBClusterNotFoundFault);
      await expect(east.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'ghost' }))).rejects.toBeInstanceOf(DBClusterNotFoundFault);
      await expect(east.send(new FailoverDBClusterCommand({ DBClusterIdentifier: 'aurora', TargetDBInstanceIdentifier: 'aurora-a' }))).rejects.toMatchObject({
        name: 'InvalidParameterValue',
      });
    });
  });

  describe('restores', () => {
    it('restores from a snapshot into a new instance after the calibrated time', async () => {
      const { clock, sim, model, east } = await setup();
      model.seedInstance({ identifier: 'orders-db', region: 'us-east-1', allocatedStorage: 500 });
      await east.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders-db', DBSnapshotIdentifier: 'nightly' }));
      await expect(
        east.send(new RestoreDBInstanceFromDBSnapshotCommand({ DBInstanceIdentifier: 'restored', DBSnapshotIdentifier: 'nightly' })),
      ).rejects.toBeInstanceOf(InvalidDBSnapshotStateFault);
      await clock.advance(11 * MINUTE);
      const out = await east.send(
        new RestoreDBInstanceFromDBSnapshotCommand({ DBInstanceIdentifier: 'restored', DBSnapshotIdentifier: 'nightly', DBInstanceClass: 'db.r6g.xlarge' }),
      );
      expect(out.DBInstance).toMatchObject({ DBInstanceStatus: 'creating', DBInstanceClass: 'db.r6g.xlarge', AllocatedStorage: 500, Engine: 'postgres' });
      await clock.advance(41 * MINUTE);
      const changes = statuses(sim, 'restored');
      expect(changes.map((c) => c.status)).toEqual(['creating', 'backing-up', 'available']);
      const took = changes[2]!.at - changes[0]!.at;
      expect(took).toBeGreaterThanOrEqual(10 * MINUTE);
      expect(took).toBeLessThanOrEqual(40 * MINUTE);
      await expect(
        east.send(new RestoreDBInstanceFromDBSnapshotCommand({ DBInstanceIdentifier: 'restored', DBSnapshotIdentifier: 'nightly' })),
      ).rejects.toBeInstanceOf(DBInstanceAlreadyExistsFault);
      await expect(
        east.send(new RestoreDBInstanceFromDBSnapshotCommand({ DBInstanceIdentifier: 'other', DBSnapshotIdentifier: 'ghost' })),
      ).rejects.toBeInstanceOf(DBSnapshotNotFoundFault);
    });

    it('refuses point-in-time restores outside the restorable window or with contradicting parameters', async () => {
      const { clock, model, east } = await setup();
      model.seedInstance({ identifier: 'orders-db', region: 'us-east-1', backupRetentionDays: 7 });
      await clock.advance(30 * MINUTE);
      const db = await describe1(east, 'orders-db');
      const latest = db.LatestRestorableTime!;
      const restore = (input: Record<string, unknown>) =>
        east.send(new RestoreDBInstanceToPointInTimeCommand({ TargetDBInstanceIdentifier: 'restored', SourceDBInstanceIdentifier: 'orders-db', ...input }));
      await expect(restore({ RestoreTime: new Date(latest.getTime() + SECOND) })).rejects.toBeInstanceOf(InvalidRestoreFault);
      // The oldest automated snapshot kept bounds the window: seeded 7 days before t = 0.
      expect(db.LatestRestorableTime!.getTime()).toBeGreaterThan(clock.now() - 5 * MINUTE);
      await expect(restore({ RestoreTime: new Date(START - 7 * DAY - SECOND) })).rejects.toBeInstanceOf(InvalidRestoreFault);
      await expect(restore({ RestoreTime: latest, UseLatestRestorableTime: true })).rejects.toMatchObject({ name: 'InvalidParameterCombination' });
      await expect(restore({})).rejects.toMatchObject({ name: 'InvalidParameterCombination' });
      await expect(restore({ SourceDBInstanceIdentifier: 'ghost', UseLatestRestorableTime: true })).rejects.toBeInstanceOf(DBInstanceNotFoundFault);
      await expect(
        east.send(new RestoreDBInstanceToPointInTimeCommand({ TargetDBInstanceIdentifier: 'restored', SourceDbiResourceId: 'db-NOPE', UseLatestRestorableTime: true })),
      ).rejects.toBeInstanceOf(DBInstanceAutomatedBackupNotFoundFault);
      await expect(restore({ TargetDBInstanceIdentifier: 'orders-db', UseLatestRestorableTime: true })).rejects.toBeInstanceOf(DBInstanceAlreadyExistsFault);
      // The window's edges themselves are restorable.
      await restore({ RestoreTime: latest });
      await restore({ TargetDBInstanceIdentifier: 'oldest', RestoreTime: new Date(START - 7 * DAY) });
      expect(model.findInstance('us-east-1', 'oldest')?.status).toBe('creating');
    });

    it('describes automated backups with their restore window', async () => {
      const { clock, model, east } = await setup();
      const seeded = model.seedInstance({ identifier: 'orders-db', region: 'us-east-1', backupRetentionDays: 7 });
      model.seedInstance({ identifier: 'no-backups', region: 'us-east-1', backupRetentionDays: 0 });
      await clock.advance(2 * MINUTE);
      const all = (await east.send(new DescribeDBInstanceAutomatedBackupsCommand({}))).DBInstanceAutomatedBackups!;
      expect(all).toHaveLength(1);
      const backup = all[0]!;
      expect(backup).toMatchObject({
        DBInstanceIdentifier: 'orders-db',
        DbiResourceId: seeded.resourceId,
        DBInstanceArn: arnOf('us-east-1', 'db', 'orders-db'),
        Region: 'us-east-1',
        Status: 'active',
        BackupRetentionPeriod: 7,
      });
      expect(backup.DBInstanceAutomatedBackupsArn).toMatch(/^arn:aws:rds:us-east-1:123456789012:auto-backup:ab-[a-z0-9]{41}$/);
      expect(backup.RestoreWindow!.EarliestTime).toEqual(new Date(START - 7 * DAY));
      expect(backup.RestoreWindow!.LatestTime!.getTime()).toBeGreaterThan(clock.now() - 5 * MINUTE);
      const byId = await east.send(new DescribeDBInstanceAutomatedBackupsCommand({ DbiResourceId: seeded.resourceId }));
      expect(byId.DBInstanceAutomatedBackups).toHaveLength(1);
      await expect(east.send(new DescribeDBInstanceAutomatedBackupsCommand({ DbiResourceId: 'db-NOPE' }))).rejects.toBeInstanceOf(
        DBInstanceAutomatedBackupNotFoundFault,
      );
    });
  });

  describe('errors reach the caller as the SDK types them', () => {
    it('carries the code, the message and the status', async () => {
      const { east } = await setup();
      const error = await east.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'ghost' })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DBInstanceNotFoundFault);
      expect(error).toBeInstanceOf(RDSServiceException);
      expect(error).toMatchObject({ name: 'DBInstanceNotFoundFault', $fault: 'client', Error: { Code: 'DBInstanceNotFound', Type: 'Sender' } });
    });
  });
});
