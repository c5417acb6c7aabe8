import {
  CopyDBSnapshotCommand,
  CreateDBSnapshotCommand,
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  PromoteReadReplicaCommand,
  RDSClient,
  RebootDBInstanceCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
  RestoreDBInstanceToPointInTimeCommand,
  type DBInstance,
} from '@aws-sdk/client-rds';
import { CreateExperimentTemplateCommand, FisClient, GetExperimentCommand, StartExperimentCommand } from '@aws-sdk/client-fis';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { defaultCalibration, longestSeconds } from '../src/sim/calibration.js';
import { createSimulator } from '../src/sim/index.js';
import { createRdsModule, DatabaseUnavailableError, type RdsModule, type WriteRecord } from '../src/sim/services/rds/index.js';
import type { FisActionRun } from '../src/sim/types.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { MINUTE, SECOND } from './support/time.js';
import { ACCOUNT, EAST, WEST } from './support/sim.js';

const START = Date.UTC(2026, 0, 5);
const DAY = 24 * 60 * MINUTE;
const arnOf = (region: string, kind: string, name: string) => `arn:aws:rds:${region}:${ACCOUNT}:${kind}:${name}`;

async function setupOver(via: TransportHarness, seed = 42) {
  const clock = new VirtualClock({ start: START });
  const sim = createSimulator({ clock, seed, services: [createRdsModule] });
  const rds = sim.world.module<RdsModule>('rds');
  return {
    clock,
    sim,
    rds,
    model: rds.model,
    east: new RDSClient(await via.config(sim, clock, EAST)),
    west: new RDSClient(await via.config(sim, clock, WEST)),
  };
}

/** SecureCart's orders database: Multi-AZ in us-east-1, 7-day backups, a replica in us-west-2. */
async function securecartOver(via: TransportHarness, seed = 42) {
  const env = await setupOver(via, seed);
  env.model.seedInstance({ identifier: 'orders-db', region: EAST, multiAZ: true, backupRetentionDays: 7, subnetIds: ['subnet-a', 'subnet-b'] });
  env.model.seedReadReplica({ identifier: 'orders-db-replica', region: WEST, source: { identifier: 'orders-db', region: EAST } });
  return env;
}

async function describe1(client: RDSClient, id: string): Promise<DBInstance> {
  return (await client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances![0]!;
}

function refusal(fn: () => unknown): DatabaseUnavailableError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DatabaseUnavailableError) return error;
    throw error;
  }
  throw new Error('expected the write to be refused');
}

const keys = (writes: readonly WriteRecord[]) => writes.map((w) => w.key);

describe.each(transports)('RDS recovery over the %s transport', (transport) => {
  const via = useTransport(transport);
  const setup = (seed?: number) => setupOver(via, seed);
  const securecart = (seed?: number) => securecartOver(via, seed);

  describe('seeding', () => {
    it('starts in steady state: available, replica in sync, backups as far back as retention', async () => {
      const { sim, model, east, west } = await securecart();
      const primary = await describe1(east, 'orders-db');
      expect(primary).toMatchObject({
        DBInstanceStatus: 'available',
        MultiAZ: true,
        BackupRetentionPeriod: 7,
        ReadReplicaDBInstanceIdentifiers: [arnOf(WEST, 'db', 'orders-db-replica')],
        DBSubnetGroup: { Subnets: [{ SubnetIdentifier: 'subnet-a' }, { SubnetIdentifier: 'subnet-b' }] },
      });
      expect(primary.InstanceCreateTime!.getTime()).toBeLessThan(START - 7 * DAY);
      const lrt = primary.LatestRestorableTime!.getTime();
      expect(lrt).toBeLessThanOrEqual(START);
      expect(lrt).toBeGreaterThan(START - 5 * MINUTE);
      expect(await describe1(west, 'orders-db-replica')).toMatchObject({
        DBInstanceStatus: 'available',
        ReadReplicaSourceDBInstanceIdentifier: arnOf(EAST, 'db', 'orders-db'),
        StatusInfos: [{ Status: 'replicating', Normal: true }],
      });
      expect(model.replicaLagSeconds(WEST, 'orders-db-replica')).toBe(0);
      expect(model.isWritable(EAST, 'orders-db')).toBe(true);
      expect(model.isReachable(WEST, 'orders-db-replica')).toBe(true);
      expect(refusal(() => model.write(WEST, 'orders-db-replica', { key: 'x' })).reason).toBe('read-only');
      // Seeding schedules nothing: the clock is idle until something happens.
      expect(sim.world.events.every((e) => e.at === START)).toBe(true);
    });
  });

  describe('Multi-AZ failover', () => {
    it('is unavailable for 60–120 s, swaps AZs and loses no committed write', async () => {
      const { clock, sim, model, east } = await securecart();
      const acknowledged: string[] = [];
      const refused: { at: number; reason: string }[] = [];
      let n = 0;
      const writeOne = () => {
        const key = `order-${++n}`;
        try {
          model.write(EAST, 'orders-db', { key });
          acknowledged.push(key);
        } catch (error) {
          if (!(error instanceof DatabaseUnavailableError)) throw error;
          refused.push({ at: clock.now(), reason: error.reason });
        }
      };
      for (let i = 0; i < 6; i++) {
        writeOne();
        await clock.advance(5 * SECOND);
      }
      const before = await describe1(east, 'orders-db');
      await east.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'orders-db', ForceFailover: true }));
      const failoverAt = clock.now();
      for (let i = 0; i < 40; i++) {
        writeOne();
        await clock.advance(5 * SECOND);
      }
      const after = await describe1(east, 'orders-db');
      expect(after.AvailabilityZone).toBe(before.SecondaryAvailabilityZone);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.every((r) => r.reason === 'unavailable')).toBe(true);
      const outage = refused[refused.length - 1]!.at - failoverAt;
      expect(outage).toBeGreaterThanOrEqual(55 * SECOND);
      expect(outage).toBeLessThanOrEqual(120 * SECOND);
      const completed = sim.world.events.find((e) => e.kind === 'rds.failover.completed')!;
      expect(Number(completed.detail['durationMs'])).toBeGreaterThanOrEqual(60 * SECOND);
      expect(Number(completed.detail['durationMs'])).toBeLessThanOrEqual(120 * SECOND);
      // Synchronous standby: every acknowledged write survived, in order.
      expect(keys(model.writesOf(EAST, 'orders-db'))).toEqual(acknowledged);
    });

    it('brings an instance whose subnet is cut back by failing over to the other AZ', async () => {
      const { clock, sim, model, east } = await securecart();
      const primary = await describe1(east, 'orders-db');
      const cut = primary.DBSubnetGroup!.Subnets!.find((s) => s.SubnetAvailabilityZone!.Name === primary.AvailabilityZone)!.SubnetIdentifier!;
      sim.world.faults.setSubnetUp(cut, false, 'test');
      expect(refusal(() => model.write(EAST, 'orders-db', { key: 'lost' })).reason).toBe('subnet-down');
      expect(model.isReachable(EAST, 'orders-db')).toBe(false);
      await east.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'orders-db', ForceFailover: true }));
      await clock.advance(2 * MINUTE);
      expect(model.isWritable(EAST, 'orders-db')).toBe(true);
      expect(model.write(EAST, 'orders-db', { key: 'after' }).committedAt).toBe(clock.now());
    });
  });

  describe('cross-region replication', () => {
    it('delivers each write after the calibrated 1–5 s lag, in order', async () => {
      const { clock, model } = await securecart();
      const committed: WriteRecord[] = [];
      const arrived = new Map<string, number>();
      for (let i = 0; i < 20; i++) {
        committed.push(model.write(EAST, 'orders-db', { key: `order-${i}`, value: String(i) }));
        for (let s = 0; s < 2; s++) {
          await clock.advance(SECOND);
          for (const w of model.writesOf(WEST, 'orders-db-replica')) if (!arrived.has(w.key)) arrived.set(w.key, clock.now());
        }
      }
      for (let s = 0; s < 6; s++) {
        await clock.advance(SECOND);
        for (const w of model.writesOf(WEST, 'orders-db-replica')) if (!arrived.has(w.key)) arrived.set(w.key, clock.now());
      }
      const replica = model.writesOf(WEST, 'orders-db-replica');
      expect(replica).toEqual(committed);
      for (const w of committed) {
        const lag = arrived.get(w.key)! - w.committedAt;
        expect(lag).toBeGreaterThanOrEqual(1 * SECOND);
        // At most 5 s (a write never overtakes the one before it), seen at whole-second polls.
        expect(lag).toBeLessThanOrEqual(6 * SECOND);
      }
    });

    it('reports the lag while a write is on its way', async () => {
      const { clock, model } = await securecart();
      model.write(EAST, 'orders-db', { key: 'order-1' });
      expect(model.writesOf(WEST, 'orders-db-replica')).toEqual([]);
      await clock.advance(500);
      expect(model.replicaLagSeconds(WEST, 'orders-db-replica')).toBe(0.5);
      await clock.advance(5 * SECOND);
      expect(model.replicaLagSeconds(WEST, 'orders-db-replica')).toBe(0);
      expect(keys(model.writesOf(WEST, 'orders-db-replica'))).toEqual(['order-1']);
      expect(model.replicaLagSeconds(EAST, 'orders-db')).toBeUndefined();
    });

    it('holds writes back while the link is down and delivers them in order once it returns', async () => {
      const { clock, sim, model, west } = await securecart();
      model.write(EAST, 'orders-db', { key: 'before' });
      await clock.advance(10 * SECOND);
      sim.world.faults.setLinkUp(EAST, WEST, false, 'test');
      for (let i = 1; i <= 5; i++) {
        model.write(EAST, 'orders-db', { key: `during-${i}` });
        await clock.advance(10 * SECOND);
      }
      await clock.advance(MINUTE);
      expect(keys(model.writesOf(WEST, 'orders-db-replica'))).toEqual(['before']);
      expect((await describe1(west, 'orders-db-replica')).StatusInfos).toEqual([
        expect.objectContaining({ StatusType: 'read replication', Normal: false, Status: 'error' }),
      ]);
      expect(model.replicaLagSeconds(WEST, 'orders-db-replica')).toBe(110);
      sim.world.faults.setLinkUp(EAST, WEST, true, 'test');
      const restoredAt = clock.now();
      await clock.advance(longestSeconds(defaultCalibration['rds.replica.lag']) * SECOND);
      expect(keys(model.writesOf(WEST, 'orders-db-replica'))).toEqual(['before', 'during-1', 'during-2', 'during-3', 'during-4', 'during-5']);
      expect((await describe1(west, 'orders-db-replica')).StatusInfos).toEqual([
        expect.objectContaining({ Normal: true, Status: 'replicating' }),
      ]);
      const interrupted = sim.world.events.find((e) => e.kind === 'rds.replication.interrupted')!;
      const resumed = sim.world.events.find((e) => e.kind === 'rds.replication.resumed')!;
      expect(interrupted.detail).toMatchObject({ id: 'orders-db-replica', sourceArn: arnOf(EAST, 'db', 'orders-db') });
      expect(resumed.at).toBe(restoredAt);
    });

    it('reads of the state change nothing: ground truth and Describe* while writes are held back and once the link returns', async () => {
      const { clock, sim, model, west } = await securecart();
      const read = async () => {
        model.writesOf(WEST, 'orders-db-replica');
        model.replicaLagSeconds(WEST, 'orders-db-replica');
        model.whyNotWritable(WEST, 'orders-db-replica');
        model.isWritable(EAST, 'orders-db');
        await describe1(west, 'orders-db-replica');
      };
      /** What a read could disturb: the sim's events (a resumed replication is one) and its timers. */
      const state = () => ({ events: sim.world.events.length, timers: clock.pendingTimers() });
      sim.world.faults.setLinkUp(EAST, WEST, false, 'test');
      model.write(EAST, 'orders-db', { key: 'held' });
      await clock.advance(MINUTE);
      for (const moment of ['held back', 'link back']) {
        const before = state();
        for (let i = 0; i < 3; i++) await read();
        expect(state(), moment).toEqual(before);
        sim.world.faults.setLinkUp(EAST, WEST, true, 'test');
      }
      await clock.advance(MINUTE);
      expect(keys(model.writesOf(WEST, 'orders-db-replica'))).toEqual(['held']);
    });

    it('stops when the source region goes down; the replica keeps what it had', async () => {
      const { clock, sim, model } = await securecart();
      model.write(EAST, 'orders-db', { key: 'order-1' });
      await clock.advance(10 * SECOND);
      model.write(EAST, 'orders-db', { key: 'order-2' });
      sim.world.faults.setRegionUp(EAST, false, 'test');
      expect(refusal(() => model.write(EAST, 'orders-db', { key: 'order-3' })).reason).toBe('region-down');
      expect(model.isReachable(EAST, 'orders-db')).toBe(false);
      await clock.advance(MINUTE);
      expect(keys(model.writesOf(WEST, 'orders-db-replica'))).toEqual(['order-1']);
      expect(model.isReachable(WEST, 'orders-db-replica')).toBe(true);
    });

    it('a replica promoted while the link is down loses the unreplicated writes, for good', async () => {
      const { clock, sim, model, west } = await securecart();
      for (let i = 1; i <= 5; i++) {
        model.write(EAST, 'orders-db', { key: `order-${i}` });
        await clock.advance(10 * SECOND);
      }
      sim.world.faults.setLinkUp(EAST, WEST, false, 'test');
      for (let i = 6; i <= 10; i++) {
        model.write(EAST, 'orders-db', { key: `order-${i}` });
        await clock.advance(10 * SECOND);
      }
      await west.send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: 'orders-db-replica' }));
      expect(refusal(() => model.write(WEST, 'orders-db-replica', { key: 'too-early' })).reason).toBe('read-only');
      const stopped = sim.world.events.find((e) => e.kind === 'rds.replication.stopped')!;
      expect(stopped.detail).toMatchObject({ id: 'orders-db-replica', why: 'promoted', lostWrites: 5, lastAppliedSeq: 5 });
      await clock.advance(9 * MINUTE);
      expect((await describe1(west, 'orders-db-replica')).DBInstanceStatus).toBe('available');
      sim.world.faults.setLinkUp(EAST, WEST, true, 'test');
      await clock.advance(MINUTE);
      const survived = keys(model.writesOf(WEST, 'orders-db-replica'));
      expect(survived).toEqual(['order-1', 'order-2', 'order-3', 'order-4', 'order-5']);
      // The primary still has all ten; the promoted replica takes new writes of its own.
      expect(model.writesOf(EAST, 'orders-db')).toHaveLength(10);
      const next = model.write(WEST, 'orders-db-replica', { key: 'order-11' });
      expect(next).toMatchObject({ seq: 6, origin: arnOf(WEST, 'db', 'orders-db-replica') });
      model.write(EAST, 'orders-db', { key: 'order-12' });
      await clock.advance(10 * SECOND);
      expect(keys(model.writesOf(WEST, 'orders-db-replica'))).not.toContain('order-12');
    });
  });

  describe('deleting a source', () => {
    it('promotes its replica to a standalone instance, which then takes writes', async () => {
      const { clock, sim, model, east, west } = await securecart();
      model.write(EAST, 'orders-db', { key: 'order-1' });
      await clock.advance(10 * SECOND);
      await east.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'orders-db', SkipFinalSnapshot: true }));
      expect(sim.world.events.find((e) => e.kind === 'rds.replication.stopped')?.detail).toMatchObject({ why: 'source-deleted', lostWrites: 0 });
      expect((await describe1(west, 'orders-db-replica')).DBInstanceStatus).toBe('modifying');
      await clock.advance(9 * MINUTE);
      const replica = await describe1(west, 'orders-db-replica');
      expect(replica.DBInstanceStatus).toBe('available');
      expect(replica.ReadReplicaSourceDBInstanceIdentifier).toBeUndefined();
      expect(keys(model.writesOf(WEST, 'orders-db-replica'))).toEqual(['order-1']);
      expect(model.isWritable(WEST, 'orders-db-replica')).toBe(true);
    });
  });

  describe('backups and restores carry the data', () => {
    it('restores exactly the writes up to RestoreTime', async () => {
      const { clock, sim, model, east } = await securecart();
      const written: WriteRecord[] = [];
      for (let i = 0; i < 180; i++) {
        written.push(model.write(EAST, 'orders-db', { key: `order-${i}` }));
        await clock.advance(10 * SECOND);
      }
      const restoreTime = START + 12 * MINUTE + 5 * SECOND;
      await east.send(
        new RestoreDBInstanceToPointInTimeCommand({
          TargetDBInstanceIdentifier: 'orders-db-pitr',
          SourceDBInstanceIdentifier: 'orders-db',
          RestoreTime: new Date(restoreTime),
        }),
      );
      const latest = (await describe1(east, 'orders-db')).LatestRestorableTime!.getTime();
      expect(clock.now() - latest).toBeLessThanOrEqual(5 * MINUTE);
      await east.send(
        new RestoreDBInstanceToPointInTimeCommand({
          TargetDBInstanceIdentifier: 'orders-db-latest',
          SourceDBInstanceIdentifier: 'orders-db',
          UseLatestRestorableTime: true,
        }),
      );
      expect(refusal(() => model.write(EAST, 'orders-db-pitr', { key: 'x' })).reason).toBe('unavailable');
      await clock.advance(41 * MINUTE);
      expect((await describe1(east, 'orders-db-pitr')).DBInstanceStatus).toBe('available');
      expect(model.writesOf(EAST, 'orders-db-pitr')).toEqual(written.filter((w) => w.committedAt <= restoreTime));
      expect(model.writesOf(EAST, 'orders-db-pitr')).toHaveLength(73);
      expect(model.writesOf(EAST, 'orders-db-latest')).toEqual(written.filter((w) => w.committedAt <= latest));
      const started = sim.world.events.filter((e) => e.kind === 'rds.restore.started').map((e) => e.detail['restoreTime']);
      expect(started).toEqual([restoreTime, latest]);
      // The restored instance takes writes of its own, after its copied history.
      expect(model.write(EAST, 'orders-db-pitr', { key: 'new' }).seq).toBe(74);
    });

    it('a snapshot holds the writes up to its creation; a cross-region copy restores them in the other region', async () => {
      const { clock, model, east, west } = await securecart();
      model.write(EAST, 'orders-db', { key: 'order-1' });
      await clock.advance(SECOND);
      model.write(EAST, 'orders-db', { key: 'order-2' });
      await east.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders-db', DBSnapshotIdentifier: 'nightly' }));
      model.write(EAST, 'orders-db', { key: 'order-3' });
      await clock.advance(11 * MINUTE);
      expect(keys(model.writesOfSnapshot(EAST, 'nightly'))).toEqual(['order-1', 'order-2']);
      await west.send(new CopyDBSnapshotCommand({ SourceDBSnapshotIdentifier: arnOf(EAST, 'snapshot', 'nightly'), TargetDBSnapshotIdentifier: 'nightly' }));
      await clock.advance(21 * MINUTE);
      await west.send(new RestoreDBInstanceFromDBSnapshotCommand({ DBInstanceIdentifier: 'orders-db-dr', DBSnapshotIdentifier: 'nightly' }));
      await clock.advance(41 * MINUTE);
      expect((await describe1(west, 'orders-db-dr')).DBInstanceStatus).toBe('available');
      expect(keys(model.writesOf(WEST, 'orders-db-dr'))).toEqual(['order-1', 'order-2']);
    });

    it('a cross-region copy stalls while the link is down and finishes after it returns', async () => {
      const { clock, sim, model, west } = await securecart();
      await clock.advance(MINUTE);
      const automated = model.describeDBSnapshots(EAST, { SnapshotType: 'automated' }).items.pop()!;
      await west.send(new CopyDBSnapshotCommand({ SourceDBSnapshotIdentifier: automated.arn, TargetDBSnapshotIdentifier: 'copy' }));
      sim.world.faults.setLinkUp(EAST, WEST, false, 'test');
      await clock.advance(30 * MINUTE);
      expect(model.snapshot(WEST, 'copy').status).toBe('creating');
      sim.world.faults.setLinkUp(EAST, WEST, true, 'test');
      expect(model.snapshot(WEST, 'copy').status).toBe('available');
    });

    it('restores the data of an automated snapshot as of its time', async () => {
      const { clock, model, east } = await securecart();
      model.write(EAST, 'orders-db', { key: 'day-0' });
      await clock.advance(DAY + MINUTE);
      model.write(EAST, 'orders-db', { key: 'day-1' });
      const snapshots = model.describeDBSnapshots(EAST, { SnapshotType: 'automated', DBInstanceIdentifier: 'orders-db' }).items;
      const latest = snapshots[snapshots.length - 1]!;
      expect(latest.createdAt).toBe(START + DAY);
      expect(keys(model.writesOfSnapshot(EAST, latest.id))).toEqual(['day-0']);
      await east.send(new RestoreDBInstanceFromDBSnapshotCommand({ DBInstanceIdentifier: 'from-auto', DBSnapshotIdentifier: latest.id }));
      await clock.advance(41 * MINUTE);
      expect(keys(model.writesOf(EAST, 'from-auto'))).toEqual(['day-0']);
    });
  });

  describe('clusters keep one volume', () => {
    it('refuses writes while failing over, then takes them on the new writer, losing none', async () => {
      const { clock, model } = await setup();
      model.seedCluster({ identifier: 'orders-cluster', region: EAST, engine: 'postgres' });
      model.write(EAST, 'orders-cluster', { key: 'a' });
      expect(refusal(() => model.write(EAST, 'orders-cluster-instance-2', { key: 'x' })).reason).toBe('read-only');
      model.failoverDBCluster(EAST, { DBClusterIdentifier: 'orders-cluster', TargetDBInstanceIdentifier: 'orders-cluster-instance-2' });
      expect(refusal(() => model.write(EAST, 'orders-cluster', { key: 'b' })).reason).toBe('unavailable');
      expect(model.isReachable(EAST, 'orders-cluster')).toBe(false);
      await clock.advance(35 * SECOND);
      model.write(EAST, 'orders-cluster-instance-2', { key: 'c' });
      expect(refusal(() => model.write(EAST, 'orders-cluster-instance-1', { key: 'x' })).reason).toBe('read-only');
      expect(keys(model.writesOf(EAST, 'orders-cluster'))).toEqual(['a', 'c']);
      expect(keys(model.writesOf(EAST, 'orders-cluster-instance-3'))).toEqual(['a', 'c']);
    });
  });

  describe('which reader a cluster promotes', () => {
    const member = (identifier: string, promotionTier: number, instanceClass = 'db.r6g.large') => ({ identifier, promotionTier, instanceClass });

    it('takes the lowest promotion tier first, whatever the size or the name', async () => {
      const { clock, model } = await setup();
      model.seedCluster({ identifier: 'c', region: EAST, members: [member('w', 0), member('a-big', 3, 'db.r6g.16xlarge'), member('z-small', 2, 'db.r6g.large')] });
      model.failoverDBCluster(EAST, { DBClusterIdentifier: 'c' });
      await clock.advance(80 * SECOND);
      expect(model.cluster(EAST, 'c').writerId).toBe('z-small');
    });

    it('within a tier, takes the largest reader', async () => {
      const { clock, model } = await setup();
      model.seedCluster({ identifier: 'c', region: EAST, members: [member('w', 1), member('a', 1, 'db.r6g.xlarge'), member('b', 1, 'db.r6g.4xlarge'), member('c', 1, 'db.r6g.2xlarge')] });
      model.failoverDBCluster(EAST, { DBClusterIdentifier: 'c' });
      await clock.advance(80 * SECOND);
      expect(model.cluster(EAST, 'c').writerId).toBe('b');
    });

    it('between readers of the same tier and size, takes one arbitrarily: the same for a seed, both over seeds', async () => {
      const picks = new Map<number, string>();
      for (let seed = 1; seed <= 20; seed++) {
        const { clock, model } = await setup(seed);
        model.seedCluster({ identifier: 'c', region: EAST, members: [member('w', 1), member('r1', 1), member('r2', 1)] });
        model.failoverDBCluster(EAST, { DBClusterIdentifier: 'c' });
        await clock.advance(80 * SECOND);
        picks.set(seed, model.cluster(EAST, 'c').writerId!);
      }
      expect(new Set(picks.values())).toEqual(new Set(['r1', 'r2']));
      const again = await setup(7);
      again.model.seedCluster({ identifier: 'c', region: EAST, members: [member('w', 1), member('r1', 1), member('r2', 1)] });
      again.model.failoverDBCluster(EAST, { DBClusterIdentifier: 'c' });
      await again.clock.advance(80 * SECOND);
      expect(again.model.cluster(EAST, 'c').writerId).toBe(picks.get(7));
    });

    it('passes over a reader whose zone has no power', async () => {
      const { clock, model, sim } = await setup();
      model.seedCluster({
        identifier: 'c',
        region: EAST,
        members: [
          { identifier: 'w', availabilityZone: 'us-east-1a', promotionTier: 0 },
          { identifier: 'r0', availabilityZone: 'us-east-1b', promotionTier: 0 },
          { identifier: 'r5', availabilityZone: 'us-east-1c', promotionTier: 5 },
        ],
      });
      sim.world.faults.setZonePowered('us-east-1b', false, 'test: the zone loses power');
      model.failoverDBCluster(EAST, { DBClusterIdentifier: 'c' });
      await clock.advance(80 * SECOND);
      expect(model.cluster(EAST, 'c').writerId).toBe('r5');
    });
  });

  describe('FIS actions', () => {
    function run(env: Awaited<ReturnType<typeof setup>>, targets: Record<string, string[]>, parameters: Record<string, string>): FisActionRun {
      const world = env.sim.world;
      return {
        world,
        region: EAST,
        targets,
        parameters,
        signal: new AbortController().signal,
        ctx: { region: EAST, accountId: ACCOUNT, identity: world.identityOf('AKIAFIS'), requestId: 'fis-1', world },
      };
    }

    it('lists targets by type with ARN and tags', async () => {
      const env = await securecart();
      env.model.seedInstance({ identifier: 'batch-db', region: EAST, tags: { critical: 'false' } });
      env.model.seedCluster({ identifier: 'orders-cluster', region: EAST, tags: { critical: 'true' } });
      const dbs = env.rds.targetable('aws:rds:db', EAST);
      expect(dbs.map((t) => t.arn)).toContain(arnOf(EAST, 'db', 'orders-db'));
      expect(dbs.find((t) => t.arn === arnOf(EAST, 'db', 'batch-db'))).toMatchObject({ type: 'aws:rds:db', region: EAST, tags: { critical: 'false' } });
      expect(env.rds.targetable('aws:rds:db', WEST).map((t) => t.arn)).toEqual([arnOf(WEST, 'db', 'orders-db-replica')]);
      expect(env.rds.targetable('aws:rds:cluster', EAST)).toEqual([
        expect.objectContaining({ arn: arnOf(EAST, 'cluster', 'orders-cluster'), tags: { critical: 'true' } }),
      ]);
      expect(env.rds.targetable('aws:ec2:subnet', EAST)).toEqual([]);
      expect(env.rds.fisActions.map((a) => [a.id, a.targets])).toEqual([
        ['aws:rds:reboot-db-instances', { DBInstances: 'aws:rds:db' }],
        ['aws:rds:failover-db-cluster', { Clusters: 'aws:rds:cluster' }],
      ]);
    });

    it('aws:rds:reboot-db-instances fails a Multi-AZ instance over, reboots a single-AZ one, and completes once initiated', async () => {
      const env = await securecart();
      env.model.seedInstance({ identifier: 'batch-db', region: EAST });
      const action = env.rds.fisActions.find((a) => a.id === 'aws:rds:reboot-db-instances')!;
      await action.start(run(env, { DBInstances: [arnOf(EAST, 'db', 'orders-db'), arnOf(EAST, 'db', 'batch-db')] }, { forceFailover: 'true' }));
      expect(env.clock.now()).toBe(START);
      expect(env.model.instance(EAST, 'orders-db')).toMatchObject({ status: 'rebooting', failingOver: true });
      expect(env.model.instance(EAST, 'batch-db')).toMatchObject({ status: 'rebooting', failingOver: false });
      const failovers = env.sim.world.events.filter((e) => e.kind === 'rds.failover.started').map((e) => e.detail['id']);
      expect(failovers).toEqual(['orders-db']);
      await env.clock.advance(2 * MINUTE);
      expect(env.model.instance(EAST, 'orders-db').status).toBe('available');
      await expect(action.start(run(env, { DBInstances: [arnOf(EAST, 'db', 'ghost')] }, {}))).rejects.toThrow(/not an RDS DB instance/);
      await expect(action.start(run(env, { DBInstances: [arnOf(EAST, 'db', 'orders-db')] }, { forceFailover: 'sometimes' }))).rejects.toThrow(
        /forceFailover/,
      );
    });

    it('runs through a real FIS experiment, targets picked by tag', async () => {
      const clock = new VirtualClock({ start: START });
      const sim = createSimulator({ clock, seed: 42 });
      const model = sim.world.module<RdsModule>('rds').model;
      model.seedInstance({ identifier: 'orders-db', region: EAST, multiAZ: true, tags: { gameday: 'target' } });
      model.seedInstance({ identifier: 'bystander', region: EAST, multiAZ: true });
      const fis = new FisClient(await via.config(sim, clock, EAST));
      const template = await fis.send(
        new CreateExperimentTemplateCommand({
          description: 'rds-reboot-with-failover',
          roleArn: `arn:aws:iam::${ACCOUNT}:role/fis`,
          stopConditions: [{ source: 'none' }],
          targets: { dbs: { resourceType: 'aws:rds:db', resourceTags: { gameday: 'target' }, selectionMode: 'ALL' } },
          actions: { reboot: { actionId: 'aws:rds:reboot-db-instances', parameters: { forceFailover: 'true' }, targets: { DBInstances: 'dbs' } } },
        }),
      );
      const started = await fis.send(new StartExperimentCommand({ experimentTemplateId: template.experimentTemplate!.id! }));
      await clock.advance(MINUTE);
      const experiment = await fis.send(new GetExperimentCommand({ id: started.experiment!.id! }));
      expect(experiment.experiment?.state?.status).toBe('completed');
      const failovers = sim.world.events.filter((e) => e.kind === 'rds.failover.started');
      expect(failovers.map((e) => e.detail['id'])).toEqual(['orders-db']);
      // The action completed when the failover was initiated (initiating takes ≥ 2 s, the failover ≥ 60 s): it runs on.
      expect(sim.world.events.some((e) => e.kind === 'rds.failover.completed')).toBe(false);
      expect(model.instance(EAST, 'orders-db').status).toBe('rebooting');
      await clock.advance(2 * MINUTE);
      expect(model.instance(EAST, 'orders-db').status).toBe('available');
      expect(model.instance(EAST, 'bystander').status).toBe('available');
    });

    it('aws:rds:failover-db-cluster moves the writer role', async () => {
      const env = await setup();
      env.model.seedCluster({
        identifier: 'orders-cluster',
        region: EAST,
        members: ['orders-cluster-instance-1', { identifier: 'orders-cluster-instance-2', promotionTier: 0 }, { identifier: 'orders-cluster-instance-3', promotionTier: 2 }],
      });
      const action = env.rds.fisActions.find((a) => a.id === 'aws:rds:failover-db-cluster')!;
      await action.start(run(env, { Clusters: [arnOf(EAST, 'cluster', 'orders-cluster')] }, {}));
      expect(env.model.cluster(EAST, 'orders-cluster').status).toBe('failing-over');
      await env.clock.advance(35 * SECOND);
      expect(env.model.cluster(EAST, 'orders-cluster')).toMatchObject({ status: 'available', writerId: 'orders-cluster-instance-2' });
    });
  });

  describe('determinism', () => {
    async function scenario(seed: number) {
      const { clock, sim, model, east, west } = await securecart(seed);
      for (let i = 0; i < 10; i++) {
        model.write(EAST, 'orders-db', { key: `order-${i}` });
        await clock.advance(3 * SECOND);
      }
      await east.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'orders-db', ForceFailover: true }));
      await west.send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: 'orders-db-replica' }));
      await east.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders-db-replica', DBSnapshotIdentifier: 'never' })).catch(() => undefined);
      await clock.advance(15 * MINUTE);
      return { events: JSON.stringify(sim.world.events), replica: model.writesOf(WEST, 'orders-db-replica') };
    }

    it('gives the same timeline for the same seed, a different one for another seed', async () => {
      const a = await scenario(42);
      const b = await scenario(42);
      const c = await scenario(7);
      expect(a.events).toBe(b.events);
      expect(a.replica).toEqual(b.replica);
      expect(c.events).not.toBe(a.events);
    });

    it('draws one resource independently of another resource being created first', async () => {
      const failoverTime = async (extra: boolean) => {
        const env = await setup(42);
        if (extra) env.model.seedInstance({ identifier: 'aaa-first', region: EAST, multiAZ: true });
        env.model.seedInstance({ identifier: 'orders-db', region: EAST, multiAZ: true });
        env.model.rebootDBInstance(EAST, { DBInstanceIdentifier: 'orders-db', ForceFailover: true });
        await env.clock.advance(3 * MINUTE);
        const done = env.sim.world.events.find((e) => e.kind === 'rds.failover.completed')!;
        return { ms: done.detail['durationMs'], resourceId: env.model.instance(EAST, 'orders-db').resourceId };
      };
      expect(await failoverTime(true)).toEqual(await failoverTime(false));
    });

    it('gives a re-created instance a new resource id', async () => {
      const { clock, model } = await setup();
      const first = model.seedInstance({ identifier: 'orders-db', region: EAST }).resourceId;
      model.deleteDBInstance(EAST, { DBInstanceIdentifier: 'orders-db', SkipFinalSnapshot: true });
      await clock.advance(4 * MINUTE);
      const second = model.seedInstance({ identifier: 'orders-db', region: EAST }).resourceId;
      expect(second).not.toBe(first);
      expect(second).toMatch(/^db-[A-Z0-9]{26}$/);
    });
  });
});
