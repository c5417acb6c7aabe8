import { cancelOwned, scheduleOwned, type TimerOwner } from '../../owned-timers.js';
import type { EpochMs } from '../../../clock/types.js';
import { storageScale } from '../../calibration.js';
import type { Rng, SimEvent, SimWorld } from '../../types.js';
import {
  automatedSnapshotTimes,
  DAY_MS,
  earliestRestorableTime,
  entriesAsOf,
  latestRestorableTime,
  newBackupState,
  retainedBackupExpired,
  seedBackups,
  startBackups,
  stopBackups,
} from './backups.js';
import { rdsErrors } from './errors.js';
import { applyFilters, automatedSnapshotId, backupWindowAt, checkIdentifier, isArn, matchesIdOrArn, paginate, parseRdsArn, rdsArn } from './naming.js';
import {
  DatabaseUnavailableError,
  type AddTagsToResourceInput,
  type BackupState,
  type CopyDBSnapshotInput,
  type CreateDBClusterInput,
  type CreateDBInstanceInput,
  type CreateDBInstanceReadReplicaInput,
  type CreateDBSnapshotInput,
  type DbCluster,
  type DbInstance,
  type DbSnapshot,
  type DeleteDBInstanceInput,
  type DeleteDBSnapshotInput,
  type DescribeDBClustersInput,
  type DescribeDBInstanceAutomatedBackupsInput,
  type DescribeDBInstancesInput,
  type DescribeDBSnapshotsInput,
  type FailoverDBClusterInput,
  type InstanceStatus,
  type ListTagsForResourceInput,
  type LogEntry,
  type ModifyDBInstanceInput,
  type Page,
  type PitrSource,
  type PromoteReadReplicaInput,
  type RebootDBInstanceInput,
  type RemoveTagsFromResourceInput,
  type RestoreDBInstanceFromDBSnapshotInput,
  type RestoreDBInstanceToPointInTimeInput,
  type RetainedBackup,
  type SeedClusterSpec,
  type SeedDBSnapshotSpec,
  type SnapshotCaller,
  type SnapshotType,
  type SeedInstanceSpec,
  type SeedReadReplicaSpec,
  type Tag,
  type Volume,
  type WriteRecord,
} from './types.js';

const engineDefaults: Record<string, { version: string; port: number; user: string }> = {
  postgres: { version: '16.4', port: 5432, user: 'postgres' },
  mysql: { version: '8.0.39', port: 3306, user: 'admin' },
  mariadb: { version: '10.11.9', port: 3306, user: 'admin' },
  'aurora-postgresql': { version: '16.4', port: 5432, user: 'postgres' },
  'aurora-mysql': { version: '8.0.mysql_aurora.3.07.1', port: 3306, user: 'admin' },
  'oracle-ee': { version: '19.0.0.0.ru-2024-10.rur-2024-10.r1', port: 1521, user: 'admin' },
  'oracle-se2': { version: '19.0.0.0.ru-2024-10.rur-2024-10.r1', port: 1521, user: 'admin' },
  'sqlserver-ee': { version: '16.00.4150.1.v1', port: 1433, user: 'admin' },
  'sqlserver-se': { version: '16.00.4150.1.v1', port: 1433, user: 'admin' },
  'sqlserver-ex': { version: '16.00.4150.1.v1', port: 1433, user: 'admin' },
  'sqlserver-web': { version: '16.00.4150.1.v1', port: 1433, user: 'admin' },
};

const isAurora = (engine: string): boolean => engine.startsWith('aurora');

/** What AWS Backup names the snapshots it takes and copies. */
const BACKUP_SNAPSHOT_ID = /^awsbackup:(job|copyjob)-[a-zA-Z0-9-]+$/;

/** Statuses in which an instance answers connections. */
const reachableStatuses: ReadonlySet<InstanceStatus> = new Set(['available', 'backing-up', 'modifying']);

/** The share of a creation or restore spent in `creating`; the rest is the first backup (`backing-up`). */
const CREATING_SHARE = 0.85;

/** A database the app model can write to: an instance, or a cluster through its writer. */
type WriteTarget = { volume: Volume; arn: string; replicas: DbInstance[] };

/**
 * The simulated Amazon RDS: instances (Multi-AZ standby, read replicas),
 * Multi-AZ DB clusters and Aurora-style clusters, snapshots, automated
 * backups and point-in-time restore, and the data each database holds (a
 * write log) so that recovery objectives can be measured. State and rules
 * only: the wire is the binding's business.
 */
export class RdsModel {
  private readonly instances = new Map<string, DbInstance>();
  private readonly clusters = new Map<string, DbCluster>();
  /** Manual snapshots (automated ones are derived from their instance's backups). */
  private readonly snapshots = new Map<string, DbSnapshot>();
  /** Automated backups kept after their instance was deleted, by ARN. */
  private readonly retained = new Map<string, RetainedBackup>();
  /** How often each ARN has been created, so a re-created resource draws a fresh RNG stream. */
  private readonly incarnations = new Map<string, number>();
  private readonly endpointHashes = new Map<string, string>();
  /** Work that waits for a cross-region link (snapshot copies). */
  private linkWaiters: { from: string; to: string; run: () => void }[] = [];

  constructor(private readonly world: SimWorld) {
    // Held-back replication and stalled copies resume the moment the network
    // comes back: every region and link restoration is an event, so reads
    // (ground truth, Describe*) never need to, and change nothing.
    world.onEvent((event) => {
      if (event.kind === 'link.restored' || event.kind === 'region.restored') this.resumeLinks();
      if (event.kind === 'zone.power-lost' && typeof event.detail['zone'] === 'string') this.zoneLostPower(event.detail['zone']);
    });
  }

  /**
   * What RDS does when an Availability Zone loses power: a Multi-AZ
   * instance whose primary is there fails over to its standby on its own; a
   * cluster whose writer is there fails over to a reader elsewhere. A
   * Single-AZ instance there is dark until the power returns. (A network
   * disruption alone makes RDS do nothing: the primary still runs.)
   */
  private zoneLostPower(zone: string): void {
    for (const instance of [...this.instances.values()].sort((a, b) => (a.arn < b.arn ? -1 : 1))) {
      if (instance.availabilityZone !== zone || instance.clusterId || instance.failingOver) continue;
      if (!reachableStatuses.has(instance.status)) continue;
      const standby = instance.secondaryAvailabilityZone;
      if (instance.multiAZ && standby !== undefined && this.world.faults.isZonePowered(standby)) this.failOverInstance(instance, 'zone-power-loss');
    }
    for (const cluster of [...this.clusters.values()].sort((a, b) => (a.arn < b.arn ? -1 : 1))) {
      const writer = cluster.writerId !== undefined ? this.findInstance(cluster.region, cluster.writerId) : undefined;
      if (!writer || writer.availabilityZone !== zone || cluster.status !== 'available') continue;
      const reader = this.pickReader(cluster);
      if (reader) this.failoverCluster(cluster, reader.id, 'zone-power-loss');
    }
  }

  private now(): EpochMs {
    return this.world.clock.now();
  }

  /** The virtual time the model's derived values are computed at. */
  clockNow(): EpochMs {
    return this.now();
  }

  // ── Lookup ──────────────────────────────────────────────────────────────

  private key(region: string, id: string): string {
    return `${region}/${id.toLowerCase()}`;
  }

  /** An instance by identifier or ARN, in `region`; DBInstanceNotFound otherwise. */
  instance(region: string, ref: string): DbInstance {
    const found = this.findInstance(region, ref);
    if (!found) throw rdsErrors.dbInstanceNotFound(ref);
    return found;
  }

  findInstance(region: string, ref: string): DbInstance | undefined {
    const name = this.nameOf(region, ref, 'db');
    return name === undefined ? undefined : this.instances.get(this.key(region, name));
  }

  /**
   * The identifier a reference names in `region`: the identifier itself, or
   * the name in an ARN of `kind` in this region and this account (another
   * account's ARN names nothing here). Undefined for an ARN that does not fit.
   */
  private nameOf(region: string, ref: string, kind: 'db' | 'cluster' | 'snapshot'): string | undefined {
    if (!isArn(ref)) return ref;
    const arn = parseRdsArn(ref);
    if (!arn || arn.kind !== kind || arn.region !== region || arn.accountId !== this.world.accountId) return undefined;
    return arn.name;
  }

  /** An instance in any region, by ARN. */
  instanceByArn(arn: string): DbInstance | undefined {
    const parsed = parseRdsArn(arn);
    return parsed ? this.findInstance(parsed.region, arn) : undefined;
  }

  cluster(region: string, ref: string): DbCluster {
    const found = this.findCluster(region, ref);
    if (!found) throw rdsErrors.dbClusterNotFound(ref);
    return found;
  }

  findCluster(region: string, ref: string): DbCluster | undefined {
    const name = this.nameOf(region, ref, 'cluster');
    return name === undefined ? undefined : this.clusters.get(this.key(region, name));
  }

  /** Instances and clusters in a region, by identifier, for FIS targets and listings. */
  instancesIn(region: string): DbInstance[] {
    return [...this.instances.values()].filter((i) => i.region === region).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  clustersIn(region: string): DbCluster[] {
    return [...this.clusters.values()].filter((c) => c.region === region).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  // ── Derived state the shapes show ───────────────────────────────────────

  latestRestorableTime(instance: DbInstance): EpochMs | undefined {
    if (instance.clusterId) {
      const cluster = this.findCluster(instance.region, instance.clusterId);
      return cluster ? latestRestorableTime(this.world, cluster.backup, this.now()) : undefined;
    }
    return latestRestorableTime(this.world, instance.backup, this.now());
  }

  earliestRestorableTime(instance: DbInstance): EpochMs | undefined {
    const backup = this.backupOf(instance);
    return earliestRestorableTime(backup.origin, backup.retentionDays, this.now());
  }

  clusterLatestRestorableTime(cluster: DbCluster): EpochMs | undefined {
    return latestRestorableTime(this.world, cluster.backup, this.now());
  }

  clusterEarliestRestorableTime(cluster: DbCluster): EpochMs | undefined {
    return earliestRestorableTime(cluster.backup.origin, cluster.backup.retentionDays, this.now());
  }

  backupRetentionOf(instance: DbInstance): number {
    return this.backupOf(instance).retentionDays;
  }

  private backupOf(instance: DbInstance): BackupState {
    if (instance.clusterId) {
      const cluster = this.findCluster(instance.region, instance.clusterId);
      if (cluster) return cluster.backup;
    }
    return instance.backup;
  }

  /** How an instance names another: its identifier in the same region, its ARN across regions. */
  displayRef(from: DbInstance, arn: string): string {
    const parsed = parseRdsArn(arn);
    return parsed && parsed.region === from.region ? parsed.name : arn;
  }

  /** Seconds the replica trails its source (the oldest write on its way), 0 when in sync; undefined for a non-replica. */
  replicaLagSeconds(region: string, instanceId: string): number | undefined {
    const instance = this.findInstance(region, instanceId);
    if (!instance?.replication) return undefined;
    const oldest = instance.replication.inbound[0];
    return oldest ? Math.max(0, (this.now() - oldest.record.committedAt) / 1000) : 0;
  }

  // ── Data: the write log (model methods, not AWS APIs) ───────────────────

  /**
   * Commit a write on an instance (or a cluster's writer) at clock.now().
   * Throws DatabaseUnavailableError when the database cannot take it: not
   * there, its region or subnet is down, it is mid-reboot or failover,
   * being created or deleted, or it is a read replica.
   */
  write(region: string, databaseId: string, record: { key: string; value?: string }): WriteRecord {
    const target = this.writeTarget(region, databaseId);
    const volume = target.volume;
    const committed: WriteRecord = {
      seq: volume.nextSeq++,
      key: record.key,
      ...(record.value !== undefined ? { value: record.value } : {}),
      committedAt: this.now(),
      origin: target.arn,
    };
    volume.entries.push({ record: committed, appliedAt: committed.committedAt });
    for (const replica of target.replicas) this.ship(replica, committed);
    return committed;
  }

  /** The writes a database holds now (a replica: those applied so far), in order. */
  writesOf(region: string, databaseId: string): WriteRecord[] {
    const instance = this.findInstance(region, databaseId);
    if (instance) return instance.volume.entries.map((e) => e.record);
    const cluster = this.findCluster(region, databaseId);
    if (cluster) return cluster.volume.entries.map((e) => e.record);
    throw new DatabaseUnavailableError('not-found', `No RDS database ${databaseId} in ${region}.`);
  }

  /** The writes a snapshot holds (manual or automated), by identifier or ARN. */
  writesOfSnapshot(region: string, snapshotRef: string): WriteRecord[] {
    return this.snapshot(region, snapshotRef).entries.map((e) => e.record);
  }

  isWritable(region: string, databaseId: string): boolean {
    return this.whyNotWritable(region, databaseId) === undefined;
  }

  /** Why a write would be refused now, or undefined when it would be committed. */
  whyNotWritable(region: string, databaseId: string): DatabaseUnavailableError | undefined {
    try {
      this.writeTarget(region, databaseId);
      return undefined;
    } catch (error) {
      if (error instanceof DatabaseUnavailableError) return error;
      throw error;
    }
  }

  /** Answers connections (reads): exists, its region and subnet are up, not rebooting/creating/deleting. */
  isReachable(region: string, databaseId: string): boolean {
    const instance = this.findInstance(region, databaseId);
    if (instance) return this.unreachableBecause(instance) === undefined;
    const cluster = this.findCluster(region, databaseId);
    if (!cluster?.writerId || cluster.status === 'failing-over' || cluster.status === 'creating') return false;
    const writer = this.findInstance(region, cluster.writerId);
    return writer !== undefined && this.unreachableBecause(writer) === undefined;
  }

  private unreachableBecause(instance: DbInstance): DatabaseUnavailableError | undefined {
    const where = `${instance.id} (${instance.region})`;
    if (!this.world.faults.isRegionUp(instance.region)) {
      return new DatabaseUnavailableError('region-down', `${where} is unreachable: region ${instance.region} is down.`);
    }
    const subnet = this.subnetOf(instance);
    if (subnet !== undefined && !this.world.faults.isSubnetUp(subnet)) {
      return new DatabaseUnavailableError('subnet-down', `${where} is unreachable: its subnet ${subnet} is disrupted.`);
    }
    if (!this.world.faults.isZonePowered(instance.availabilityZone)) {
      return new DatabaseUnavailableError('zone-down', `${where} is unreachable: its Availability Zone ${instance.availabilityZone} has no power.`);
    }
    if (!reachableStatuses.has(instance.status) || instance.failingOver) {
      return new DatabaseUnavailableError('unavailable', `${where} is unavailable: ${instance.status}.`);
    }
    if (instance.clusterId) {
      const cluster = this.findCluster(instance.region, instance.clusterId);
      if (cluster && cluster.status !== 'available') {
        return new DatabaseUnavailableError('unavailable', `${where} is unavailable: cluster ${cluster.id} is ${cluster.status}.`);
      }
    }
    return undefined;
  }

  private writeTarget(region: string, databaseId: string): WriteTarget {
    let instance = this.findInstance(region, databaseId);
    if (!instance) {
      const cluster = this.findCluster(region, databaseId);
      if (!cluster) throw new DatabaseUnavailableError('not-found', `No RDS database ${databaseId} in ${region}.`);
      if (!cluster.writerId) throw new DatabaseUnavailableError('unavailable', `Cluster ${cluster.id} has no writer instance.`);
      instance = this.findInstance(region, cluster.writerId);
      if (!instance) throw new DatabaseUnavailableError('unavailable', `Cluster ${cluster.id} has no writer instance.`);
    }
    const unreachable = this.unreachableBecause(instance);
    if (unreachable) throw unreachable;
    if (instance.replication || instance.promoting) {
      throw new DatabaseUnavailableError('read-only', `${instance.id} (${region}) is a read replica: it is read-only until promoted.`);
    }
    if (instance.clusterId) {
      const cluster = this.cluster(region, instance.clusterId);
      if (cluster.writerId !== instance.id) {
        throw new DatabaseUnavailableError('read-only', `${instance.id} is a reader in cluster ${cluster.id}.`);
      }
      return { volume: cluster.volume, arn: cluster.arn, replicas: [] };
    }
    const replicas = instance.replicaArns.map((arn) => this.instanceByArn(arn)).filter((r): r is DbInstance => r !== undefined);
    return { volume: instance.volume, arn: instance.arn, replicas };
  }

  /** The subnet the instance's current (primary) AZ puts it in. */
  private subnetOf(instance: DbInstance): string | undefined {
    return instance.subnets.find((s) => s.zone === instance.availabilityZone)?.id;
  }

  /**
   * Where each subnet is: the network module's subnets are FIS targets with
   * their AZ, found through the generic `targetable` so RDS does not depend
   * on that module; otherwise the i-th subnet is taken to be in the i-th AZ.
   */
  private subnetsOf(region: string, subnetIds: readonly string[]): { id: string; zone: string }[] {
    const known = new Map<string, string>();
    for (const module of this.world.modules()) {
      for (const resource of module.targetable?.('aws:ec2:subnet', region) ?? []) {
        const zone = (resource as { AvailabilityZone?: unknown }).AvailabilityZone;
        const id = resource.arn.split('/').pop();
        if (id && typeof zone === 'string') known.set(id, zone);
      }
    }
    return subnetIds.map((id, i) => ({ id, zone: known.get(id) ?? region + String.fromCharCode('a'.charCodeAt(0) + i) }));
  }

  // ── Replication ─────────────────────────────────────────────────────────

  /** Put a write on its way to a replica: it lands after the replica lag, in commit order. */
  private ship(replica: DbInstance, record: WriteRecord): void {
    const replication = replica.replication;
    if (!replication) return;
    const now = this.now();
    const dueAt = Math.max(now + this.world.duration('rds.replica.lag', replication.rng), replication.lastDueAt);
    replication.lastDueAt = dueAt;
    replication.inbound.push({ record, dueAt });
    this.after(replica, dueAt - now, `rds ${replica.region}/${replica.id}: replicate write ${record.seq}`, () => this.pump(replica));
  }

  /** Apply the writes that are due, while the link from the source is up. */
  private pump(replica: DbInstance): void {
    const replication = replica.replication;
    if (!replication) return;
    const now = this.now();
    while (replication.inbound.length > 0 && replication.inbound[0]!.dueAt <= now) {
      if (!this.world.faults.isLinkUp(replication.sourceRegion, replica.region)) {
        if (!replication.held) {
          replication.held = true;
          this.world.emit('rds.replication.interrupted', {
            region: replica.region,
            id: replica.id,
            sourceArn: replication.sourceArn,
            pendingWrites: replication.inbound.length,
          });
        }
        return;
      }
      const { record } = replication.inbound.shift()!;
      replica.volume.entries.push({ record, appliedAt: now });
      replica.volume.nextSeq = Math.max(replica.volume.nextSeq, record.seq + 1);
    }
  }

  /** The network came back: held-back writes and stalled copies go on. */
  private resumeLinks(): void {
    const now = this.now();
    for (const replica of this.instances.values()) {
      const replication = replica.replication;
      if (!replication?.held || !this.world.faults.isLinkUp(replication.sourceRegion, replica.region)) continue;
      replication.held = false;
      this.world.emit('rds.replication.resumed', {
        region: replica.region,
        id: replica.id,
        sourceArn: replication.sourceArn,
        pendingWrites: replication.inbound.length,
      });
      // Redraw every delivery from now, keeping commit order.
      let last = now;
      for (const item of replication.inbound) {
        item.dueAt = Math.max(now + this.world.duration('rds.replica.lag', replication.rng), last);
        last = item.dueAt;
      }
      replication.lastDueAt = Math.max(replication.lastDueAt, last);
      for (const dueAt of new Set(replication.inbound.map((i) => i.dueAt))) {
        this.after(replica, dueAt - now, `rds ${replica.region}/${replica.id}: replicate held writes`, () => this.pump(replica));
      }
    }
    if (this.linkWaiters.length > 0) {
      const waiting = this.linkWaiters;
      this.linkWaiters = [];
      for (const waiter of waiting) {
        if (this.world.faults.isLinkUp(waiter.from, waiter.to)) waiter.run();
        else this.linkWaiters.push(waiter);
      }
    }
  }

  /** Stop replicating: what is still on its way is lost to this replica. */
  private detachReplica(replica: DbInstance, why: 'promoted' | 'source-deleted' | 'deleted'): void {
    const replication = replica.replication;
    if (!replication) return;
    const source = this.instanceByArn(replication.sourceArn);
    if (source) source.replicaArns = source.replicaArns.filter((arn) => arn !== replica.arn);
    const last = replica.volume.entries[replica.volume.entries.length - 1];
    this.world.emit('rds.replication.stopped', {
      region: replica.region,
      id: replica.id,
      sourceArn: replication.sourceArn,
      why,
      lostWrites: replication.inbound.length,
      lastAppliedSeq: last?.record.seq ?? 0,
    });
    delete replica.replication;
  }

  // ── Scheduling and status ───────────────────────────────────────────────

  private after(owner: TimerOwner, ms: number, label: string, task: () => void): void {
    scheduleOwned(this.world.clock, owner, this.now() + Math.max(0, ms), label, task);
  }

  private cancelTimers(owner: TimerOwner): void {
    cancelOwned(this.world.clock, owner);
  }

  private setStatus(instance: DbInstance, status: InstanceStatus): void {
    if (instance.status === status) return;
    const previous = instance.status;
    instance.status = status;
    this.world.emit('rds.instance.status', { region: instance.region, id: instance.id, arn: instance.arn, status, previous });
  }

  private setClusterStatus(cluster: DbCluster, status: DbCluster['status']): void {
    if (cluster.status === status) return;
    const previous = cluster.status;
    cluster.status = status;
    this.world.emit('rds.cluster.status', { region: cluster.region, id: cluster.id, arn: cluster.arn, status, previous });
  }

  /**
   * creating → backing-up → available over `totalMs`: the first automated
   * backup is the tail of creation, so the whole stays inside the calibrated
   * range. Without backups the instance is `creating` throughout.
   */
  private provision(instance: DbInstance, totalMs: number): void {
    const label = `rds ${instance.region}/${instance.id}`;
    const withBackup = instance.backup.retentionDays > 0 && !instance.clusterId;
    const creatingMs = withBackup ? Math.round(totalMs * CREATING_SHARE) : totalMs;
    this.after(instance, creatingMs, `${label}: created`, () => {
      if (!withBackup) {
        this.setStatus(instance, 'available');
        return;
      }
      this.setStatus(instance, 'backing-up');
      startBackups(this.world, instance.backup, this.now());
      this.after(instance, totalMs - creatingMs, `${label}: first backup done`, () => this.setStatus(instance, 'available'));
    });
  }

  // ── Construction ────────────────────────────────────────────────────────

  /** One RNG stream per resource incarnation, so draws do not depend on other resources' order. */
  private rngFor(arn: string): Rng {
    const n = (this.incarnations.get(arn) ?? 0) + 1;
    this.incarnations.set(arn, n);
    return this.world.rng.fork(n === 1 ? `rds:${arn}` : `rds:${arn}#${n}`);
  }

  private endpointHash(region: string): string {
    let hash = this.endpointHashes.get(region);
    if (!hash) {
      hash = 'c' + this.world.rng.fork(`rds:endpoint-hash:${this.world.accountId}:${region}`).alnum(11);
      this.endpointHashes.set(region, hash);
    }
    return hash;
  }

  /** The AZs an instance may live in: its subnets', or the region's first three. */
  private zonesOf(region: string, subnets: readonly { zone: string }[]): string[] {
    if (subnets.length > 0) return [...new Set(subnets.map((s) => s.zone))].sort();
    return ['a', 'b', 'c'].map((letter) => region + letter);
  }

  private newInstance(args: {
    id: string;
    region: string;
    engine: string;
    engineVersion?: string;
    instanceClass: string;
    allocatedStorage: number;
    storageType?: string;
    port?: number;
    masterUsername?: string;
    dbName?: string;
    multiAZ: boolean;
    availabilityZone?: string;
    subnetIds?: string[];
    dbSubnetGroupName?: string;
    retentionDays: number;
    tags?: Tag[];
    status: InstanceStatus;
    clusterId?: string;
    volume?: Volume;
    promotionTier?: number;
    deletionProtection?: boolean;
    copyTagsToSnapshot?: boolean;
  }): DbInstance {
    const arn = rdsArn(args.region, this.world.accountId, 'db', args.id);
    const rng = this.rngFor(arn);
    const defaults = engineDefaults[args.engine];
    const subnets = this.subnetsOf(args.region, args.subnetIds ?? []);
    const zones = this.zonesOf(args.region, subnets);
    const availabilityZone = args.availabilityZone ?? rng.pick(zones);
    const others = zones.filter((z) => z !== availabilityZone);
    const instance: DbInstance = {
      id: args.id,
      region: args.region,
      arn,
      resourceId: 'db-' + rng.alnum(26, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'),
      engine: args.engine,
      engineVersion: args.engineVersion ?? defaults?.version ?? '1.0',
      instanceClass: args.instanceClass,
      allocatedStorage: args.allocatedStorage,
      storageType: args.storageType ?? (isAurora(args.engine) ? 'aurora' : 'gp3'),
      port: args.port ?? defaults?.port ?? 5432,
      address: `${args.id}.${this.endpointHash(args.region)}.${args.region}.rds.amazonaws.com`,
      masterUsername: args.masterUsername ?? defaults?.user ?? 'admin',
      ...(args.dbName !== undefined ? { dbName: args.dbName } : {}),
      status: args.status,
      multiAZ: args.multiAZ,
      availabilityZone,
      ...(args.multiAZ && others.length > 0 ? { secondaryAvailabilityZone: rng.pick(others) } : {}),
      subnets,
      ...(args.dbSubnetGroupName !== undefined ? { dbSubnetGroupName: args.dbSubnetGroupName } : {}),
      createdAt: this.now(),
      tags: [...(args.tags ?? [])],
      backup: newBackupState(
        rdsArn(args.region, this.world.accountId, 'auto-backup', 'ab-' + rng.alnum(41)),
        args.retentionDays,
        this.world.rng.fork(`rds:${arn}:log-shipping#${this.incarnations.get(arn)}`),
      ),
      preferredBackupWindow: backupWindowAt(this.now()),
      pending: {},
      volume: args.volume ?? { entries: [], nextSeq: 1 },
      ...(args.clusterId !== undefined ? { clusterId: args.clusterId } : {}),
      promotionTier: args.promotionTier ?? 1,
      replicaArns: [],
      failingOver: false,
      promoting: false,
      deletionProtection: args.deletionProtection ?? false,
      copyTagsToSnapshot: args.copyTagsToSnapshot ?? false,
      rng,
      timers: new Set(),
    };
    return instance;
  }

  private register(instance: DbInstance): DbInstance {
    this.instances.set(this.key(instance.region, instance.id), instance);
    this.world.emit('rds.instance.status', { region: instance.region, id: instance.id, arn: instance.arn, status: instance.status });
    return instance;
  }

  private requireNewInstanceId(region: string, raw: string): string {
    const id = checkIdentifier('DBInstanceIdentifier', raw);
    if (this.instances.has(this.key(region, id))) throw rdsErrors.dbInstanceAlreadyExists();
    return id;
  }

  private checkEngine(engine: string): string {
    const name = engine.toLowerCase();
    if (!Object.hasOwn(engineDefaults, name)) throw rdsErrors.invalidParameterValue(`Invalid DB engine: ${engine}`);
    return name;
  }

  private checkRetention(days: number | undefined): number | undefined {
    if (days !== undefined && (days < 0 || days > 35)) {
      throw rdsErrors.invalidParameterValue(`Invalid backup retention period: ${days}. Must be between 0 and 35 days.`);
    }
    return days;
  }

  // ── Seeding (the environment loader, at t = 0) ──────────────────────────

  /** An instance already in steady state: available, with automated backups as far back as its retention. */
  seedInstance(spec: SeedInstanceSpec): DbInstance {
    const region = spec.region;
    const id = this.requireNewInstanceId(region, spec.identifier);
    const engine = this.checkEngine(spec.engine ?? 'postgres');
    const instance = this.newInstance({
      id,
      region,
      engine,
      ...(spec.engineVersion !== undefined ? { engineVersion: spec.engineVersion } : {}),
      instanceClass: spec.instanceClass ?? 'db.r6g.large',
      allocatedStorage: spec.allocatedStorage ?? 100,
      ...(spec.port !== undefined ? { port: spec.port } : {}),
      ...(spec.masterUsername !== undefined ? { masterUsername: spec.masterUsername } : {}),
      ...(spec.dbName !== undefined ? { dbName: spec.dbName } : {}),
      multiAZ: spec.multiAZ ?? false,
      ...(spec.subnetIds?.length ? { subnetIds: [...spec.subnetIds], dbSubnetGroupName: `${id}-subnets` } : {}),
      ...(spec.availabilityZone !== undefined ? { availabilityZone: spec.availabilityZone } : {}),
      retentionDays: this.checkRetention(spec.backupRetentionDays) ?? 7,
      tags: tagsOf(spec.tags),
      status: 'available',
    });
    instance.createdAt = this.now() - (instance.backup.retentionDays + 30) * DAY_MS;
    seedBackups(this.world, instance.backup, this.now());
    if (instance.backup.origin !== undefined) instance.preferredBackupWindow = backupWindowAt(instance.backup.origin);
    return this.register(instance);
  }

  /** A read replica already in sync with its source. */
  seedReadReplica(spec: SeedReadReplicaSpec): DbInstance {
    const region = spec.region;
    const id = this.requireNewInstanceId(region, spec.identifier);
    const source = 'arn' in spec.source ? this.instanceByArn(spec.source.arn) : this.findInstance(spec.source.region, spec.source.identifier);
    if (!source) throw new Error(`seedReadReplica ${id}: no source instance ${JSON.stringify(spec.source)}`);
    const replica = this.newInstance({
      id,
      region,
      engine: source.engine,
      engineVersion: source.engineVersion,
      instanceClass: spec.instanceClass ?? source.instanceClass,
      allocatedStorage: spec.allocatedStorage ?? source.allocatedStorage,
      port: spec.port ?? source.port,
      masterUsername: source.masterUsername,
      ...(source.dbName !== undefined ? { dbName: source.dbName } : {}),
      multiAZ: spec.multiAZ ?? false,
      ...(spec.subnetIds?.length ? { subnetIds: [...spec.subnetIds], dbSubnetGroupName: `${id}-subnets` } : {}),
      retentionDays: this.checkRetention(spec.backupRetentionDays) ?? 0,
      tags: tagsOf(spec.tags),
      status: 'available',
    });
    replica.createdAt = this.now() - 30 * DAY_MS;
    seedBackups(this.world, replica.backup, this.now());
    this.attachReplica(replica, source);
    return this.register(replica);
  }

  /** A Multi-AZ DB cluster (or an Aurora cluster for `aurora-*` engines) with its members, available. */
  seedCluster(spec: SeedClusterSpec): DbCluster {
    const engine = this.checkEngine(spec.engine ?? 'aurora-postgresql');
    const cluster = this.newCluster({
      id: checkIdentifier('DBClusterIdentifier', spec.identifier),
      region: spec.region,
      engine,
      ...(spec.engineVersion !== undefined ? { engineVersion: spec.engineVersion } : {}),
      instanceClass: spec.instanceClass ?? 'db.r6g.large',
      allocatedStorage: spec.allocatedStorage ?? 100,
      retentionDays: this.checkRetention(spec.backupRetentionDays) ?? 7,
      tags: tagsOf(spec.tags),
      status: 'available',
    });
    cluster.createdAt = this.now() - (cluster.backup.retentionDays + 30) * DAY_MS;
    seedBackups(this.world, cluster.backup, this.now());
    const members = spec.members ?? [1, 2, 3].map((n) => `${cluster.id}-instance-${n}`);
    members.forEach((member, i) => {
      const m = typeof member === 'string' ? { identifier: member } : member;
      this.addClusterMember(cluster, m.identifier, i, 'available', {
        ...(m.availabilityZone !== undefined ? { AvailabilityZone: m.availabilityZone } : {}),
        ...(m.promotionTier !== undefined ? { PromotionTier: m.promotionTier } : {}),
        ...(m.instanceClass !== undefined ? { DBInstanceClass: m.instanceClass } : {}),
      });
    });
    return cluster;
  }

  /**
   * A snapshot taken before t = 0 (AWS Backup's seeded history): available
   * from the start, SnapshotCreateTime `createdAt`, holding the instance's
   * data of that instant (a copy: its source's). Nothing goes on the clock.
   */
  seedDBSnapshot(spec: SeedDBSnapshotSpec): DbSnapshot {
    if (spec.createdAt > this.now()) throw new Error(`seedDBSnapshot ${spec.snapshotId}: createdAt lies in the future`);
    const caller: SnapshotCaller = spec.managedBy ? { managedBy: spec.managedBy } : {};
    const id = this.requireNewSnapshotId(spec.region, spec.snapshotId, caller);
    const arn = rdsArn(spec.region, this.world.accountId, 'snapshot', id);
    const common = { id, region: spec.region, arn, type: this.snapshotTypeFor(caller), status: 'available' as const, createdAt: spec.createdAt, percentProgress: 100 };
    let snapshot: DbSnapshot;
    if (spec.sourceSnapshotArn !== undefined) {
      const parsed = parseRdsArn(spec.sourceSnapshotArn);
      if (!parsed) throw new Error(`seedDBSnapshot ${id}: invalid source ARN ${spec.sourceSnapshotArn}`);
      const source = this.snapshot(parsed.region, spec.sourceSnapshotArn);
      snapshot = {
        ...source,
        ...common,
        entries: source.entries,
        tags: spec.tags ? tagsOf(spec.tags) : [...source.tags],
        ...(parsed.region !== spec.region ? { sourceRegion: parsed.region } : {}),
        sourceSnapshotArn: source.arn,
        originalCreatedAt: source.originalCreatedAt,
        timers: new Set(),
      };
    } else {
      if (spec.instanceId === undefined) throw new Error(`seedDBSnapshot ${id}: neither instanceId nor sourceSnapshotArn`);
      const instance = this.instance(spec.region, spec.instanceId);
      snapshot = {
        ...common,
        ...instanceRecord(instance),
        backupRetentionDays: instance.backup.retentionDays,
        entries: entriesAsOf(instance.volume.entries, spec.createdAt),
        tags: tagsOf(spec.tags),
        originalCreatedAt: spec.createdAt,
        timers: new Set(),
      };
    }
    this.snapshots.set(this.key(spec.region, id), snapshot);
    this.world.emit('rds.snapshot.status', { region: spec.region, id, arn, status: 'available', seeded: true, createdAt: spec.createdAt });
    return snapshot;
  }

  // ── Instances ───────────────────────────────────────────────────────────

  createDBInstance(region: string, input: CreateDBInstanceInput): DbInstance {
    const id = this.requireNewInstanceId(region, input.DBInstanceIdentifier);
    const engine = this.checkEngine(input.Engine);
    const retentionDays = this.checkRetention(input.BackupRetentionPeriod) ?? 1;
    if (input.MultiAZ && input.AvailabilityZone) {
      throw rdsErrors.invalidParameterCombination('Requesting a specific availability zone is not valid for Multi-AZ instances.');
    }
    if (input.PromotionTier !== undefined && (!Number.isInteger(input.PromotionTier) || input.PromotionTier < 0 || input.PromotionTier > 15)) {
      throw rdsErrors.invalidParameterValue(`Invalid PromotionTier: ${input.PromotionTier}. Must be an integer from 0 to 15.`);
    }
    if (input.DBClusterIdentifier !== undefined) {
      const cluster = this.cluster(region, input.DBClusterIdentifier);
      if (cluster.multiAZCluster) {
        throw rdsErrors.invalidParameterCombination(`Cannot add instances to the Multi-AZ DB cluster ${cluster.id}.`);
      }
      if (cluster.engine !== engine) {
        throw rdsErrors.invalidParameterCombination(`The engine ${engine} does not match the engine ${cluster.engine} of cluster ${cluster.id}.`);
      }
      const member = this.addClusterMember(cluster, id, cluster.members.length, 'creating', input);
      this.provision(member, this.world.duration('rds.instance.create', member.rng, storageScale(cluster.allocatedStorage)));
      return member;
    }
    if (isAurora(engine)) {
      throw rdsErrors.invalidParameterCombination('An Aurora DB instance must be created in a DB cluster: specify DBClusterIdentifier.');
    }
    if (input.AllocatedStorage === undefined) throw rdsErrors.invalidParameterValue('The parameter AllocatedStorage must be provided.');
    if (input.AllocatedStorage < 20 || input.AllocatedStorage > 65536) {
      throw rdsErrors.invalidParameterValue(`Invalid storage size for engine name ${engine} and storage type gp3: ${input.AllocatedStorage}`);
    }
    const instance = this.newInstance({
      id,
      region,
      engine,
      ...(input.EngineVersion !== undefined ? { engineVersion: input.EngineVersion } : {}),
      instanceClass: input.DBInstanceClass,
      allocatedStorage: input.AllocatedStorage,
      ...(input.StorageType !== undefined ? { storageType: input.StorageType } : {}),
      ...(input.Port !== undefined ? { port: input.Port } : {}),
      ...(input.MasterUsername !== undefined ? { masterUsername: input.MasterUsername } : {}),
      ...(input.DBName !== undefined ? { dbName: input.DBName } : {}),
      multiAZ: input.MultiAZ ?? false,
      ...(input.AvailabilityZone !== undefined ? { availabilityZone: input.AvailabilityZone } : {}),
      ...(input.DBSubnetGroupName !== undefined ? { dbSubnetGroupName: input.DBSubnetGroupName } : {}),
      retentionDays,
      tags: input.Tags ?? [],
      status: 'creating',
      ...(input.DeletionProtection !== undefined ? { deletionProtection: input.DeletionProtection } : {}),
      ...(input.CopyTagsToSnapshot !== undefined ? { copyTagsToSnapshot: input.CopyTagsToSnapshot } : {}),
    });
    this.register(instance);
    this.provision(instance, this.world.duration('rds.instance.create', instance.rng, storageScale(instance.allocatedStorage)));
    return instance;
  }

  describeDBInstances(region: string, input: DescribeDBInstancesInput): Page<DbInstance> {
    if (input.DBInstanceIdentifier !== undefined) {
      const one = this.instance(region, input.DBInstanceIdentifier);
      return paginate([one], (i) => i.id, input);
    }
    const all = applyFilters(this.instancesIn(region), input.Filters, {
      'db-instance-id': (i, values) => matchesIdOrArn(i.id, i.arn, values),
      'db-cluster-id': (i, values) =>
        i.clusterId !== undefined && matchesIdOrArn(i.clusterId, rdsArn(i.region, this.world.accountId, 'cluster', i.clusterId), values),
      'dbi-resource-id': (i, values) => values.includes(i.resourceId),
      engine: (i, values) => values.includes(i.engine),
    });
    return paginate(all, (i) => i.id, input);
  }

  deleteDBInstance(region: string, input: DeleteDBInstanceInput): DbInstance {
    const instance = this.instance(region, input.DBInstanceIdentifier);
    if (instance.status === 'deleting') throw rdsErrors.invalidDBInstanceState(`Instance ${instance.id} is already being deleted.`);
    if (instance.deletionProtection) {
      throw rdsErrors.invalidParameterCombination('Cannot delete protected DB Instance, please disable deletion protection and try again.');
    }
    const cluster = instance.clusterId ? this.findCluster(region, instance.clusterId) : undefined;
    if (cluster?.multiAZCluster) {
      throw rdsErrors.invalidDBClusterState(`DB instance ${instance.id} belongs to the Multi-AZ DB cluster ${cluster.id}; delete the cluster instead.`);
    }
    // Replicas and cluster members never take a final snapshot: their data lives elsewhere.
    const standalone = !instance.replication && !instance.clusterId;
    let finalSnapshotId: string | undefined;
    if (standalone) {
      const skip = input.SkipFinalSnapshot ?? false;
      if (skip && input.FinalDBSnapshotIdentifier !== undefined) {
        throw rdsErrors.invalidParameterCombination('Cannot specify a FinalDBSnapshotIdentifier when SkipFinalSnapshot is true.');
      }
      if (!skip) {
        if (input.FinalDBSnapshotIdentifier === undefined) {
          throw rdsErrors.invalidParameterCombination('FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.');
        }
        finalSnapshotId = this.requireNewSnapshotId(region, input.FinalDBSnapshotIdentifier);
      }
    }
    this.cancelTimers(instance);
    instance.failingOver = false;
    if (instance.replication) this.detachReplica(instance, 'deleted');
    // RDS promotes the read replicas of a deleted source to standalone instances.
    for (const arn of [...instance.replicaArns]) {
      const replica = this.instanceByArn(arn);
      if (replica?.status === 'available') this.promote(replica, undefined, 'source-deleted');
      else if (replica) this.detachReplica(replica, 'source-deleted');
    }
    instance.replicaArns = [];
    if (finalSnapshotId !== undefined) this.takeSnapshot(instance, finalSnapshotId, [], 'manual');
    const keepBackups = input.DeleteAutomatedBackups === false;
    const lrt = this.latestRestorableTime(instance);
    if (keepBackups && standalone && instance.backup.origin !== undefined && instance.backup.retentionDays > 0 && lrt !== undefined) {
      const backup: RetainedBackup = {
        arn: instance.backup.arn,
        region,
        ...instanceRecord(instance),
        instanceArn: instance.arn,
        deletedAt: this.now(),
        retentionDays: instance.backup.retentionDays,
        origin: instance.backup.origin,
        latestRestorableTime: lrt,
        preferredBackupWindow: instance.preferredBackupWindow,
        entries: [...instance.volume.entries],
        tags: [...instance.tags],
      };
      this.retained.set(backup.arn, backup);
      this.world.emit('rds.automated-backup.retained', { region, id: instance.id, arn: backup.arn, resourceId: instance.resourceId });
    }
    this.setStatus(instance, 'deleting');
    this.after(instance, this.world.duration('rds.instance.delete', instance.rng), `rds ${region}/${instance.id}: deleted`, () => {
      this.instances.delete(this.key(region, instance.id));
      if (cluster) this.removeClusterMember(cluster, instance.id);
      this.world.emit('rds.instance.deleted', { region, id: instance.id, arn: instance.arn });
    });
    return instance;
  }

  modifyDBInstance(region: string, input: ModifyDBInstanceInput): DbInstance {
    const instance = this.instance(region, input.DBInstanceIdentifier);
    if (instance.status !== 'available') {
      throw rdsErrors.invalidDBInstanceState(`Database instance ${instance.id} is not in available state (it is ${instance.status}).`);
    }
    const retention = this.checkRetention(input.BackupRetentionPeriod);
    if ((input.MultiAZ !== undefined || retention !== undefined) && instance.clusterId) {
      throw rdsErrors.invalidParameterCombination(`DB instance ${instance.id} is in a DB cluster: modify the cluster instead.`);
    }
    if (retention === 0 && instance.replicaArns.length > 0) {
      throw rdsErrors.invalidParameterCombination('Cannot set the backup retention period to 0 for a DB instance that has read replicas.');
    }
    if (input.DeletionProtection !== undefined) instance.deletionProtection = input.DeletionProtection;
    const immediately = input.ApplyImmediately ?? false;
    const applyNow: DbInstance['pending'] = {};
    const current = instance.backup.retentionDays;
    if (retention !== undefined && retention !== current) {
      // RDS applies a change between two non-zero retentions as soon as
      // possible whatever ApplyImmediately says; turning backups on or off
      // waits for the maintenance window unless applied immediately.
      if (immediately || (retention > 0 && current > 0)) applyNow.BackupRetentionPeriod = retention;
      else instance.pending.BackupRetentionPeriod = retention;
    }
    if (input.MultiAZ !== undefined && input.MultiAZ !== instance.multiAZ) {
      if (immediately) applyNow.MultiAZ = input.MultiAZ;
      else instance.pending.MultiAZ = input.MultiAZ;
    }
    if (input.DBInstanceClass !== undefined && input.DBInstanceClass !== instance.instanceClass) {
      if (immediately) applyNow.DBInstanceClass = input.DBInstanceClass;
      else instance.pending.DBInstanceClass = input.DBInstanceClass;
    }
    if (Object.keys(applyNow).length === 0) return instance;
    Object.assign(instance.pending, applyNow);
    const key = applyNow.MultiAZ === true ? 'rds.instance.multi-az-conversion' : 'rds.instance.modify';
    const ms = this.world.duration(key, instance.rng, key === 'rds.instance.multi-az-conversion' ? storageScale(instance.allocatedStorage) : undefined);
    this.setStatus(instance, 'modifying');
    this.after(instance, ms, `rds ${region}/${instance.id}: modified`, () => {
      this.applyModifications(instance, applyNow);
      for (const field of Object.keys(applyNow) as (keyof typeof applyNow)[]) delete instance.pending[field];
      this.setStatus(instance, 'available');
    });
    return instance;
  }

  private applyModifications(instance: DbInstance, changes: DbInstance['pending']): void {
    if (changes.BackupRetentionPeriod !== undefined) {
      const before = instance.backup.retentionDays;
      instance.backup.retentionDays = changes.BackupRetentionPeriod;
      if (changes.BackupRetentionPeriod === 0) stopBackups(instance.backup);
      else if (before === 0 || instance.backup.origin === undefined) {
        startBackups(this.world, instance.backup, this.now());
        instance.preferredBackupWindow = backupWindowAt(this.now());
      }
    }
    if (changes.MultiAZ !== undefined) {
      instance.multiAZ = changes.MultiAZ;
      if (changes.MultiAZ) {
        const others = this.zonesOf(instance.region, instance.subnets).filter((z) => z !== instance.availabilityZone);
        if (others.length > 0) instance.secondaryAvailabilityZone = instance.rng.pick(others);
      } else {
        delete instance.secondaryAvailabilityZone;
      }
    }
    if (changes.DBInstanceClass !== undefined) instance.instanceClass = changes.DBInstanceClass;
  }

  rebootDBInstance(region: string, input: RebootDBInstanceInput): DbInstance {
    const instance = this.instance(region, input.DBInstanceIdentifier);
    if (input.ForceFailover && !instance.multiAZ) {
      throw rdsErrors.invalidParameterCombination(`Cannot force a failover: DB instance ${instance.id} is not a Multi-AZ deployment.`);
    }
    return this.reboot(instance, input.ForceFailover ?? false);
  }

  /**
   * Reboot, failing over to the standby when asked and the instance is
   * Multi-AZ (the FIS action asks regardless, as its `forceFailover` means
   * "if Multi-AZ"). The standby is synchronous: no committed write is lost.
   */
  reboot(instance: DbInstance, forceFailover: boolean): DbInstance {
    if (instance.status !== 'available') {
      throw rdsErrors.invalidDBInstanceState(`DB instance ${instance.id} is not in available state (it is ${instance.status}).`);
    }
    const label = `rds ${instance.region}/${instance.id}`;
    const failover = forceFailover && instance.multiAZ && instance.secondaryAvailabilityZone !== undefined;
    if (!failover) {
      this.setStatus(instance, 'rebooting');
      this.after(instance, this.world.duration('rds.instance.reboot', instance.rng), `${label}: rebooted`, () => this.setStatus(instance, 'available'));
      return instance;
    }
    return this.failOverInstance(instance, 'reboot');
  }

  /** The standby takes over after the calibrated failover time; synchronous, so no committed write is lost. */
  private failOverInstance(instance: DbInstance, cause: 'reboot' | 'zone-power-loss'): DbInstance {
    const label = `rds ${instance.region}/${instance.id}`;
    this.setStatus(instance, 'rebooting');
    const from = instance.availabilityZone;
    const to = instance.secondaryAvailabilityZone!;
    const startedAt = this.now();
    instance.failingOver = true;
    this.world.emit('rds.failover.started', { kind: 'instance', region: instance.region, id: instance.id, arn: instance.arn, from, to, ...(cause !== 'reboot' ? { cause } : {}) });
    this.after(instance, this.world.duration('rds.instance.failover', instance.rng), `${label}: failed over`, () => {
      instance.availabilityZone = to;
      instance.secondaryAvailabilityZone = from;
      instance.failingOver = false;
      this.setStatus(instance, 'available');
      this.world.emit('rds.failover.completed', {
        kind: 'instance',
        region: instance.region,
        id: instance.id,
        arn: instance.arn,
        from,
        to,
        durationMs: this.now() - startedAt,
      });
    });
    return instance;
  }

  // ── Read replicas ───────────────────────────────────────────────────────

  private attachReplica(replica: DbInstance, source: DbInstance): void {
    replica.volume = { entries: [...source.volume.entries], nextSeq: source.volume.nextSeq };
    replica.replication = {
      sourceArn: source.arn,
      sourceRegion: source.region,
      sourceId: source.id,
      inbound: [],
      lastDueAt: this.now(),
      held: false,
      rng: this.world.rng.fork(`rds:${replica.arn}:replication#${this.incarnations.get(replica.arn)}`),
    };
    source.replicaArns.push(replica.arn);
  }

  /**
   * Called in the replica's region; `SourceDBInstanceIdentifier` is the
   * source's ARN across regions (the SDK then adds a PreSignedUrl, which the
   * sim accepts without checking: it has no secret to check it against).
   */
  createDBInstanceReadReplica(region: string, input: CreateDBInstanceReadReplicaInput): DbInstance {
    const id = this.requireNewInstanceId(region, input.DBInstanceIdentifier);
    const sourceRef = input.SourceDBInstanceIdentifier;
    let source: DbInstance | undefined;
    if (isArn(sourceRef)) {
      const arn = parseRdsArn(sourceRef);
      if (!arn || arn.kind !== 'db') throw rdsErrors.invalidParameterValue(`Invalid source DB instance ARN: ${sourceRef}`);
      source = this.findInstance(arn.region, sourceRef);
    } else {
      source = this.findInstance(region, sourceRef);
    }
    if (!source) throw rdsErrors.dbInstanceNotFound(sourceRef);
    if (source.replication) throw rdsErrors.invalidDBInstanceState(`DB instance ${source.id} is itself a read replica.`);
    if (source.clusterId) throw rdsErrors.invalidDBInstanceState(`DB instance ${source.id} belongs to a DB cluster.`);
    if (source.status !== 'available' && source.status !== 'backing-up' && source.status !== 'modifying') {
      throw rdsErrors.invalidDBInstanceState(`DB instance ${source.id} is not in available state (it is ${source.status}).`);
    }
    if (source.backup.retentionDays === 0) {
      throw rdsErrors.invalidDBInstanceState(
        'Automated backups are not enabled for this database instance. To enable automated backups, use ModifyDBInstance to set the backup retention period to a non-zero value.',
      );
    }
    if (input.MultiAZ && input.AvailabilityZone) {
      throw rdsErrors.invalidParameterCombination('Requesting a specific availability zone is not valid for Multi-AZ instances.');
    }
    const replica = this.newInstance({
      id,
      region,
      engine: source.engine,
      engineVersion: source.engineVersion,
      instanceClass: input.DBInstanceClass ?? source.instanceClass,
      allocatedStorage: source.allocatedStorage,
      storageType: input.StorageType ?? source.storageType,
      port: input.Port ?? source.port,
      masterUsername: source.masterUsername,
      ...(source.dbName !== undefined ? { dbName: source.dbName } : {}),
      multiAZ: input.MultiAZ ?? false,
      ...(input.AvailabilityZone !== undefined ? { availabilityZone: input.AvailabilityZone } : {}),
      ...(input.DBSubnetGroupName !== undefined ? { dbSubnetGroupName: input.DBSubnetGroupName } : {}),
      retentionDays: 0,
      tags: input.Tags ?? [],
      status: 'creating',
      ...(input.DeletionProtection !== undefined ? { deletionProtection: input.DeletionProtection } : {}),
    });
    this.attachReplica(replica, source);
    this.register(replica);
    this.provision(replica, this.world.duration('rds.replica.create', replica.rng, storageScale(replica.allocatedStorage)));
    return replica;
  }

  /**
   * Replication stops at once (writes still on their way are lost to the
   * replica); the instance goes modifying → rebooting → available and only
   * then takes writes.
   */
  promoteReadReplica(region: string, input: PromoteReadReplicaInput): DbInstance {
    const instance = this.instance(region, input.DBInstanceIdentifier);
    if (!instance.replication) throw rdsErrors.invalidDBInstanceState(`DB Instance ${instance.id} is not a read replica.`);
    if (instance.status !== 'available') {
      throw rdsErrors.invalidDBInstanceState(`DB instance ${instance.id} is not in available state (it is ${instance.status}).`);
    }
    return this.promote(instance, this.checkRetention(input.BackupRetentionPeriod), 'promoted');
  }

  private promote(instance: DbInstance, retentionDays: number | undefined, why: 'promoted' | 'source-deleted'): DbInstance {
    const retention = retentionDays ?? Math.max(1, instance.backup.retentionDays);
    const sourceArn = instance.replication?.sourceArn;
    const region = instance.region;
    this.resumeLinks();
    this.pump(instance);
    this.detachReplica(instance, why);
    this.cancelTimers(instance);
    instance.promoting = true;
    this.setStatus(instance, 'modifying');
    const label = `rds ${region}/${instance.id}`;
    const total = this.world.duration('rds.replica.promote', instance.rng, storageScale(instance.allocatedStorage));
    const rebootMs = Math.min(Math.round(total / 2), this.world.duration('rds.instance.reboot', instance.rng));
    const startedAt = this.now();
    this.after(instance, total - rebootMs, `${label}: promotion rebooting`, () => {
      this.setStatus(instance, 'rebooting');
      this.after(instance, rebootMs, `${label}: promoted`, () => {
        instance.promoting = false;
        instance.backup.retentionDays = retention;
        if (retention > 0) {
          startBackups(this.world, instance.backup, this.now());
          instance.preferredBackupWindow = backupWindowAt(this.now());
        }
        this.setStatus(instance, 'available');
        this.world.emit('rds.replica.promoted', { region, id: instance.id, arn: instance.arn, sourceArn, durationMs: this.now() - startedAt });
      });
    });
    return instance;
  }

  // ── Clusters ────────────────────────────────────────────────────────────

  private newCluster(args: {
    id: string;
    region: string;
    engine: string;
    engineVersion?: string;
    instanceClass?: string;
    allocatedStorage?: number;
    storageType?: string;
    port?: number;
    masterUsername?: string;
    databaseName?: string;
    retentionDays: number;
    availabilityZones?: string[];
    tags: Tag[];
    status: DbCluster['status'];
  }): DbCluster {
    if (this.clusters.has(this.key(args.region, args.id))) throw rdsErrors.dbClusterAlreadyExists();
    const arn = rdsArn(args.region, this.world.accountId, 'cluster', args.id);
    const rng = this.rngFor(arn);
    const defaults = engineDefaults[args.engine];
    const hash = this.endpointHash(args.region);
    const aurora = isAurora(args.engine);
    const cluster: DbCluster = {
      id: args.id,
      region: args.region,
      arn,
      resourceId: 'cluster-' + rng.alnum(26, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'),
      engine: args.engine,
      engineVersion: args.engineVersion ?? defaults?.version ?? '1.0',
      status: args.status,
      multiAZCluster: !aurora,
      ...(args.instanceClass !== undefined ? { instanceClass: args.instanceClass } : {}),
      allocatedStorage: args.allocatedStorage ?? 1,
      port: args.port ?? defaults?.port ?? 5432,
      endpoint: `${args.id}.cluster-${hash}.${args.region}.rds.amazonaws.com`,
      readerEndpoint: `${args.id}.cluster-ro-${hash}.${args.region}.rds.amazonaws.com`,
      masterUsername: args.masterUsername ?? defaults?.user ?? 'admin',
      ...(args.databaseName !== undefined ? { databaseName: args.databaseName } : {}),
      availabilityZones: args.availabilityZones ?? this.zonesOf(args.region, []),
      members: [],
      createdAt: this.now(),
      tags: args.tags,
      backup: newBackupState(
        rdsArn(args.region, this.world.accountId, 'cluster-auto-backup', 'cab-' + rng.alnum(41)),
        args.retentionDays,
        this.world.rng.fork(`rds:${arn}:log-shipping#${this.incarnations.get(arn)}`),
      ),
      volume: { entries: [], nextSeq: 1 },
      promotionRng: this.world.rng.fork(`rds:${arn}:promotion#${this.incarnations.get(arn)}`),
      rng,
      timers: new Set(),
    };
    this.clusters.set(this.key(args.region, args.id), cluster);
    this.world.emit('rds.cluster.status', { region: cluster.region, id: cluster.id, arn: cluster.arn, status: cluster.status });
    return cluster;
  }

  private addClusterMember(
    cluster: DbCluster,
    rawId: string,
    index: number,
    status: InstanceStatus,
    input?: Partial<CreateDBInstanceInput>,
  ): DbInstance {
    const id = this.requireNewInstanceId(cluster.region, rawId);
    const zones = cluster.availabilityZones;
    const member = this.newInstance({
      id,
      region: cluster.region,
      engine: cluster.engine,
      engineVersion: cluster.engineVersion,
      instanceClass: input?.DBInstanceClass ?? cluster.instanceClass ?? 'db.r6g.large',
      allocatedStorage: cluster.allocatedStorage,
      port: cluster.port,
      masterUsername: cluster.masterUsername,
      multiAZ: false,
      ...(input?.AvailabilityZone !== undefined
        ? { availabilityZone: input.AvailabilityZone }
        : cluster.multiAZCluster && zones.length > 0
          ? { availabilityZone: zones[index % zones.length]! }
          : {}),
      retentionDays: 0,
      tags: input?.Tags ?? [],
      status,
      clusterId: cluster.id,
      volume: cluster.volume,
      promotionTier: input?.PromotionTier ?? 1,
    });
    member.createdAt = cluster.createdAt;
    if (status !== 'available') member.createdAt = this.now();
    cluster.members.push(member.id);
    cluster.writerId ??= member.id;
    return this.register(member);
  }

  private removeClusterMember(cluster: DbCluster, id: string): void {
    cluster.members = cluster.members.filter((m) => m !== id);
    if (cluster.writerId === id) {
      const next = this.pickReader(cluster);
      if (next) cluster.writerId = next.id;
      else delete cluster.writerId;
      this.world.emit('rds.cluster.writer', { region: cluster.region, id: cluster.id, writer: cluster.writerId ?? null });
    }
  }

  /**
   * The reader RDS promotes when it picks one itself. Aurora User Guide,
   * "Fault tolerance for an Aurora DB cluster": Aurora "promotes the Aurora
   * Replica that has the highest priority" (tier-0 first, then tier-1, … up
   * to tier-15); "If two or more Aurora Replicas share the same priority,
   * then Amazon RDS promotes the replica that is largest in size. If two or
   * more Aurora Replicas share the same priority and size, then Amazon RDS
   * promotes an arbitrary replica in the same promotion tier." Arbitrary is
   * a draw from the cluster's own stream, not the identifier order, so a
   * drill cannot come to rely on which of two equal readers wins. A reader
   * that cannot take over (being deleted, created, or in a zone without
   * power) is passed over.
   */
  private pickReader(cluster: DbCluster): DbInstance | undefined {
    const candidates = cluster.members
      .filter((m) => m !== cluster.writerId)
      .map((m) => this.findInstance(cluster.region, m))
      .filter((m): m is DbInstance => m !== undefined && reachableStatuses.has(m.status) && this.world.faults.isZonePowered(m.availabilityZone))
      .sort((a, b) => a.promotionTier - b.promotionTier || instanceClassSize(b.instanceClass) - instanceClassSize(a.instanceClass) || (a.id < b.id ? -1 : 1));
    const best = candidates[0];
    if (!best) return undefined;
    const tied = candidates.filter((m) => m.promotionTier === best.promotionTier && instanceClassSize(m.instanceClass) === instanceClassSize(best.instanceClass));
    return tied.length === 1 ? best : cluster.promotionRng.pick(tied);
  }

  /**
   * Aurora engines create an empty cluster (instances join through
   * CreateDBInstance); mysql/postgres with DBClusterInstanceClass create a
   * Multi-AZ DB cluster with a writer and two readers in three AZs.
   */
  createDBCluster(region: string, input: CreateDBClusterInput): DbCluster {
    const id = checkIdentifier('DBClusterIdentifier', input.DBClusterIdentifier);
    const engine = this.checkEngine(input.Engine);
    const aurora = isAurora(engine);
    if (!aurora && (input.DBClusterInstanceClass === undefined || input.AllocatedStorage === undefined)) {
      throw rdsErrors.invalidParameterCombination(
        'A Multi-AZ DB cluster needs DBClusterInstanceClass and AllocatedStorage (or use an aurora-mysql or aurora-postgresql engine).',
      );
    }
    if (!aurora && engine !== 'mysql' && engine !== 'postgres') {
      throw rdsErrors.invalidParameterValue(`Multi-AZ DB clusters are not available for engine ${engine}.`);
    }
    // Check the members' names before anything exists, so a refusal leaves no half-made cluster.
    const memberIds = aurora ? [] : [1, 2, 3].map((n) => `${id}-instance-${n}`);
    for (const memberId of memberIds) this.requireNewInstanceId(region, memberId);
    const cluster = this.newCluster({
      id,
      region,
      engine,
      ...(input.EngineVersion !== undefined ? { engineVersion: input.EngineVersion } : {}),
      ...(input.DBClusterInstanceClass !== undefined ? { instanceClass: input.DBClusterInstanceClass } : {}),
      ...(input.AllocatedStorage !== undefined ? { allocatedStorage: input.AllocatedStorage } : {}),
      ...(input.Port !== undefined ? { port: input.Port } : {}),
      ...(input.MasterUsername !== undefined ? { masterUsername: input.MasterUsername } : {}),
      ...(input.DatabaseName !== undefined ? { databaseName: input.DatabaseName } : {}),
      retentionDays: this.checkRetention(input.BackupRetentionPeriod) ?? 1,
      ...(input.AvailabilityZones !== undefined && input.AvailabilityZones.length > 0 ? { availabilityZones: input.AvailabilityZones } : {}),
      tags: input.Tags ?? [],
      status: 'creating',
    });
    const members = memberIds.map((memberId, i) => this.addClusterMember(cluster, memberId, i, 'creating'));
    const ms = this.world.duration('rds.instance.create', cluster.rng, storageScale(cluster.allocatedStorage));
    this.after(cluster, ms, `rds ${region}/${id}: cluster created`, () => {
      this.setClusterStatus(cluster, 'available');
      if (cluster.backup.retentionDays > 0) startBackups(this.world, cluster.backup, this.now());
      for (const member of members) if (member.status === 'creating') this.setStatus(member, 'available');
    });
    return cluster;
  }

  describeDBClusters(region: string, input: DescribeDBClustersInput): Page<DbCluster> {
    if (input.DBClusterIdentifier !== undefined) {
      return paginate([this.cluster(region, input.DBClusterIdentifier)], (c) => c.id, input);
    }
    const all = applyFilters(this.clustersIn(region), input.Filters, {
      'db-cluster-id': (c, values) => matchesIdOrArn(c.id, c.arn, values),
      'db-cluster-resource-id': (c, values) => values.includes(c.resourceId),
      engine: (c, values) => values.includes(c.engine),
    });
    return paginate(all, (c) => c.id, input);
  }

  /** The writer role moves to the target (or the best reader) after the calibrated 15–35 s; writes fail meanwhile. */
  failoverDBCluster(region: string, input: FailoverDBClusterInput): DbCluster {
    const cluster = this.cluster(region, input.DBClusterIdentifier);
    return this.failoverCluster(cluster, input.TargetDBInstanceIdentifier);
  }

  failoverCluster(cluster: DbCluster, targetRef?: string, cause?: 'zone-power-loss'): DbCluster {
    if (cluster.status !== 'available') {
      throw rdsErrors.invalidDBClusterState(`DB cluster ${cluster.id} is not in available state (it is ${cluster.status}).`);
    }
    let target: DbInstance | undefined;
    if (targetRef !== undefined) {
      target = this.findInstance(cluster.region, targetRef);
      if (!target || target.clusterId !== cluster.id) {
        throw rdsErrors.invalidParameterValue(`DB instance ${targetRef} is not a member of DB cluster ${cluster.id}.`);
      }
      if (target.id === cluster.writerId) {
        throw rdsErrors.invalidParameterValue(`DB instance ${targetRef} is already the writer of DB cluster ${cluster.id}.`);
      }
    } else {
      target = this.pickReader(cluster);
    }
    if (!target) throw rdsErrors.invalidDBClusterState(`DB cluster ${cluster.id} has no reader to fail over to.`);
    if (target.status !== 'available') {
      throw rdsErrors.invalidDBInstanceState(`DB instance ${target.id} is not in available state (it is ${target.status}).`);
    }
    const from = cluster.writerId ?? null;
    const to = target.id;
    const startedAt = this.now();
    this.setClusterStatus(cluster, 'failing-over');
    this.world.emit('rds.failover.started', { kind: 'cluster', region: cluster.region, id: cluster.id, arn: cluster.arn, from, to, ...(cause ? { cause } : {}) });
    this.after(cluster, this.world.duration('rds.cluster.failover', cluster.rng), `rds ${cluster.region}/${cluster.id}: failed over`, () => {
      if (cluster.members.includes(to)) cluster.writerId = to;
      this.setClusterStatus(cluster, 'available');
      this.world.emit('rds.failover.completed', {
        kind: 'cluster',
        region: cluster.region,
        id: cluster.id,
        arn: cluster.arn,
        from,
        to: cluster.writerId ?? null,
        durationMs: this.now() - startedAt,
      });
    });
    return cluster;
  }

  // ── Snapshots ───────────────────────────────────────────────────────────

  /**
   * A new snapshot's identifier. AWS Backup names its snapshots
   * `awsbackup:job-…` (`awsbackup:copyjob-…` for copies), a colon no caller
   * of the RDS API may use.
   */
  private requireNewSnapshotId(region: string, raw: string, caller: SnapshotCaller = {}): string {
    let id: string;
    if (caller.managedBy === 'backup') {
      if (!BACKUP_SNAPSHOT_ID.test(raw)) throw new Error(`AWS Backup snapshot identifier ${raw} is not awsbackup:job-… or awsbackup:copyjob-…`);
      id = raw.toLowerCase();
    } else {
      if (raw.toLowerCase().startsWith('rds:')) {
        throw rdsErrors.invalidParameterValue('Snapshot identifiers starting with "rds:" are reserved for automated snapshots.');
      }
      id = checkIdentifier('DBSnapshotIdentifier', raw);
    }
    if (this.snapshots.has(this.key(region, id))) throw rdsErrors.dbSnapshotAlreadyExists(id);
    return id;
  }

  private snapshotTypeFor(caller: SnapshotCaller): SnapshotType {
    return caller.managedBy === 'backup' ? 'awsbackup' : 'manual';
  }

  /** Snapshot an instance's data now; `creating` until the calibrated time has passed. */
  private takeSnapshot(instance: DbInstance, id: string, tags: Tag[], type: SnapshotType): DbSnapshot {
    const arn = rdsArn(instance.region, this.world.accountId, 'snapshot', id);
    const now = this.now();
    const snapshot: DbSnapshot = {
      id,
      region: instance.region,
      arn,
      type,
      status: 'creating',
      ...instanceRecord(instance),
      backupRetentionDays: instance.backup.retentionDays,
      createdAt: now,
      entries: entriesAsOf(instance.volume.entries, now),
      tags: instance.copyTagsToSnapshot && tags.length === 0 ? [...instance.tags] : [...tags],
      percentProgress: 0,
      originalCreatedAt: now,
      timers: new Set(),
    };
    this.snapshots.set(this.key(instance.region, id), snapshot);
    this.world.emit('rds.snapshot.status', { region: snapshot.region, id, arn, status: 'creating', instanceId: instance.id });
    const rng = this.rngFor(arn);
    this.after(snapshot, this.world.duration('rds.snapshot.create', rng, storageScale(instance.allocatedStorage)), `rds ${snapshot.region}/${id}: snapshot done`, () => {
      snapshot.status = 'available';
      snapshot.percentProgress = 100;
      this.world.emit('rds.snapshot.status', { region: snapshot.region, id, arn, status: 'available' });
      const live = this.findInstance(instance.region, instance.id);
      if (live === instance && instance.status === 'backing-up' && !this.snapshotInProgress(instance)) this.setStatus(instance, 'available');
    });
    return snapshot;
  }

  private snapshotInProgress(instance: DbInstance): boolean {
    for (const s of this.snapshots.values()) {
      if (s.status === 'creating' && s.resourceId === instance.resourceId && s.region === instance.region && !s.sourceSnapshotArn) return true;
    }
    return false;
  }

  /** `caller.managedBy: 'backup'`: AWS Backup taking a recovery point (SnapshotType `awsbackup`). */
  createDBSnapshot(region: string, input: CreateDBSnapshotInput, caller: SnapshotCaller = {}): DbSnapshot {
    const instance = this.instance(region, input.DBInstanceIdentifier);
    const id = this.requireNewSnapshotId(region, input.DBSnapshotIdentifier, caller);
    if (instance.clusterId) {
      throw rdsErrors.invalidParameterCombination(`DB instance ${instance.id} is in a DB cluster: snapshot the cluster instead.`);
    }
    if (instance.status !== 'available') {
      throw rdsErrors.invalidDBInstanceState(
        `Cannot create a snapshot because the database instance ${instance.id} is not currently in the available state.`,
      );
    }
    const snapshot = this.takeSnapshot(instance, id, input.Tags ?? [], this.snapshotTypeFor(caller));
    this.setStatus(instance, 'backing-up');
    return snapshot;
  }

  /** Automated snapshots of live instances and of retained backups in a region, derived from their backup state. */
  private automatedSnapshots(region: string): DbSnapshot[] {
    const now = this.now();
    const out: DbSnapshot[] = [];
    for (const instance of this.instancesIn(region)) {
      if (instance.clusterId) continue;
      const { origin, retentionDays } = instance.backup;
      for (const at of automatedSnapshotTimes(origin, retentionDays, now, now)) {
        out.push(this.automatedSnapshot(region, instance, at));
      }
    }
    for (const backup of this.retained.values()) {
      if (backup.region !== region || retainedBackupExpired(backup.deletedAt, backup.retentionDays, now)) continue;
      for (const at of automatedSnapshotTimes(backup.origin, backup.retentionDays, backup.deletedAt, now)) {
        out.push(this.automatedSnapshot(region, backup, at));
      }
    }
    return out;
  }

  private automatedSnapshot(
    region: string,
    from: DbInstance | RetainedBackup,
    at: EpochMs,
  ): DbSnapshot {
    const isInstance = 'volume' in from;
    const instanceId = isInstance ? from.id : from.instanceId;
    const id = automatedSnapshotId(instanceId, at);
    return {
      id,
      region,
      arn: rdsArn(region, this.world.accountId, 'snapshot', id),
      type: 'automated',
      status: 'available',
      instanceId,
      resourceId: from.resourceId,
      engine: from.engine,
      engineVersion: from.engineVersion,
      allocatedStorage: from.allocatedStorage,
      storageType: from.storageType,
      port: from.port,
      availabilityZone: from.availabilityZone,
      masterUsername: from.masterUsername,
      instanceClass: from.instanceClass,
      backupRetentionDays: isInstance ? from.backup.retentionDays : from.retentionDays,
      instanceCreatedAt: isInstance ? from.createdAt : from.instanceCreatedAt,
      createdAt: at,
      entries: entriesAsOf(isInstance ? from.volume.entries : from.entries, at),
      tags: [],
      percentProgress: 100,
      originalCreatedAt: at,
      timers: new Set(),
    };
  }

  /** A snapshot (manual or automated) by identifier or ARN in `region`; DBSnapshotNotFound otherwise. */
  snapshot(region: string, ref: string): DbSnapshot {
    const id = this.nameOf(region, ref, 'snapshot');
    if (id === undefined) throw rdsErrors.dbSnapshotNotFound(ref);
    const lower = id.toLowerCase();
    if (lower.startsWith('rds:')) {
      const found = this.automatedSnapshots(region).find((s) => s.id === lower);
      if (found) return found;
      throw rdsErrors.dbSnapshotNotFound(ref);
    }
    const manual = this.snapshots.get(this.key(region, lower));
    if (!manual) throw rdsErrors.dbSnapshotNotFound(ref);
    return manual;
  }

  describeDBSnapshots(region: string, input: DescribeDBSnapshotsInput): Page<DbSnapshot> {
    if (input.DBSnapshotIdentifier !== undefined) {
      const one = this.snapshot(region, input.DBSnapshotIdentifier);
      const matches = input.DBInstanceIdentifier === undefined || one.instanceId === input.DBInstanceIdentifier.toLowerCase();
      return paginate(matches ? [one] : [], (s) => s.id, input);
    }
    const type = input.SnapshotType;
    let all: DbSnapshot[] = [];
    // Without a type, AWS Backup's snapshots are listed beside the manual and automated ones.
    all.push(...[...this.snapshots.values()].filter((s) => s.region === region && (type === undefined || s.type === type)));
    if (type === undefined || type === 'automated') all.push(...this.automatedSnapshots(region));
    if (input.DBInstanceIdentifier !== undefined) {
      const ref = input.DBInstanceIdentifier;
      all = all.filter((s) => matchesIdOrArn(s.instanceId, rdsArn(region, this.world.accountId, 'db', s.instanceId), [ref]));
    }
    if (input.DbiResourceId !== undefined) all = all.filter((s) => s.resourceId === input.DbiResourceId);
    all = applyFilters(all, input.Filters, {
      'db-instance-id': (s, values) => matchesIdOrArn(s.instanceId, rdsArn(region, this.world.accountId, 'db', s.instanceId), values),
      'db-snapshot-id': (s, values) => matchesIdOrArn(s.id, s.arn, values),
      'dbi-resource-id': (s, values) => values.includes(s.resourceId),
      'snapshot-type': (s, values) => values.includes(s.type),
      engine: (s, values) => values.includes(s.engine),
    });
    all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return paginate(all, (s) => s.id, input);
  }

  /** `caller.managedBy: 'backup'`: AWS Backup deleting its recovery point, the only way an `awsbackup` snapshot goes. */
  deleteDBSnapshot(region: string, input: DeleteDBSnapshotInput, caller: SnapshotCaller = {}): DbSnapshot {
    const snapshot = this.snapshot(region, input.DBSnapshotIdentifier);
    if (snapshot.type === 'automated') {
      throw rdsErrors.invalidDBSnapshotState('Only manual snapshots may be deleted; automated snapshots expire with their retention period.');
    }
    if (snapshot.type === 'awsbackup' && caller.managedBy !== 'backup') throw rdsErrors.managedByBackup(snapshot.id);
    if (snapshot.status !== 'available') {
      throw rdsErrors.invalidDBSnapshotState(`Cannot delete snapshot ${snapshot.id}: it is ${snapshot.status}.`);
    }
    this.snapshots.delete(this.key(region, snapshot.id));
    this.world.emit('rds.snapshot.status', { region, id: snapshot.id, arn: snapshot.arn, status: 'deleted' });
    return snapshot;
  }

  /**
   * Called in the destination region; across regions the source is named by
   * its ARN. The copy makes progress only while the link between the two
   * regions is up.
   */
  copyDBSnapshot(region: string, input: CopyDBSnapshotInput, caller: SnapshotCaller = {}): DbSnapshot {
    const sourceRef = input.SourceDBSnapshotIdentifier;
    let sourceRegion = region;
    if (isArn(sourceRef)) {
      const arn = parseRdsArn(sourceRef);
      if (!arn || arn.kind !== 'snapshot') throw rdsErrors.invalidParameterValue(`Invalid source snapshot ARN: ${sourceRef}`);
      sourceRegion = arn.region;
    }
    const source = this.snapshot(sourceRegion, sourceRef);
    if (source.status !== 'available') {
      throw rdsErrors.invalidDBSnapshotState(`Snapshot ${source.id} is not available for copy (it is ${source.status}).`);
    }
    const id = this.requireNewSnapshotId(region, input.TargetDBSnapshotIdentifier, caller);
    const arn = rdsArn(region, this.world.accountId, 'snapshot', id);
    const copy: DbSnapshot = {
      ...source,
      id,
      region,
      arn,
      type: this.snapshotTypeFor(caller),
      status: 'creating',
      createdAt: this.now(),
      entries: [...source.entries],
      tags: input.Tags && input.Tags.length > 0 ? [...input.Tags] : input.CopyTags ? [...source.tags] : [],
      percentProgress: 0,
      ...(sourceRegion !== region ? { sourceRegion } : {}),
      sourceSnapshotArn: source.arn,
      originalCreatedAt: source.originalCreatedAt,
      timers: new Set(),
    };
    this.snapshots.set(this.key(region, id), copy);
    this.world.emit('rds.snapshot.status', { region, id, arn, status: 'creating', sourceArn: source.arn });
    const rng = this.rngFor(arn);
    const finish = (): void => {
      if (this.snapshots.get(this.key(region, id)) !== copy) return;
      if (!this.world.faults.isLinkUp(sourceRegion, region)) {
        this.linkWaiters.push({ from: sourceRegion, to: region, run: finish });
        return;
      }
      copy.status = 'available';
      copy.percentProgress = 100;
      this.world.emit('rds.snapshot.status', { region, id, arn, status: 'available' });
    };
    this.after(copy, this.world.duration('rds.snapshot.copy', rng, storageScale(copy.allocatedStorage)), `rds ${region}/${id}: copy done`, finish);
    return copy;
  }

  // ── Restores ────────────────────────────────────────────────────────────

  private restoredInstance(
    region: string,
    id: string,
    from: {
      engine: string;
      engineVersion: string;
      instanceClass: string;
      allocatedStorage: number;
      storageType: string;
      port: number;
      masterUsername: string;
      retentionDays: number;
      entries: LogEntry[];
    },
    input: {
      DBInstanceClass?: string;
      Port?: number;
      AvailabilityZone?: string;
      MultiAZ?: boolean;
      DBSubnetGroupName?: string;
      StorageType?: string;
      AllocatedStorage?: number;
      BackupRetentionPeriod?: number;
      DeletionProtection?: boolean;
      Tags?: Tag[];
    },
  ): DbInstance {
    if (input.MultiAZ && input.AvailabilityZone) {
      throw rdsErrors.invalidParameterCombination('Requesting a specific availability zone is not valid for Multi-AZ instances.');
    }
    const instance = this.newInstance({
      id,
      region,
      engine: from.engine,
      engineVersion: from.engineVersion,
      instanceClass: input.DBInstanceClass ?? from.instanceClass,
      allocatedStorage: Math.max(input.AllocatedStorage ?? 0, from.allocatedStorage),
      storageType: input.StorageType ?? from.storageType,
      port: input.Port ?? from.port,
      masterUsername: from.masterUsername,
      multiAZ: input.MultiAZ ?? false,
      ...(input.AvailabilityZone !== undefined ? { availabilityZone: input.AvailabilityZone } : {}),
      ...(input.DBSubnetGroupName !== undefined ? { dbSubnetGroupName: input.DBSubnetGroupName } : {}),
      retentionDays: this.checkRetention(input.BackupRetentionPeriod) ?? from.retentionDays,
      tags: input.Tags ?? [],
      status: 'creating',
      ...(input.DeletionProtection !== undefined ? { deletionProtection: input.DeletionProtection } : {}),
    });
    const entries = [...from.entries];
    instance.volume = { entries, nextSeq: entries.reduce((max, e) => Math.max(max, e.record.seq + 1), 1) };
    this.register(instance);
    this.provision(instance, this.world.duration('rds.restore', instance.rng, storageScale(instance.allocatedStorage)));
    return instance;
  }

  restoreDBInstanceFromDBSnapshot(region: string, input: RestoreDBInstanceFromDBSnapshotInput): DbInstance {
    const id = this.requireNewInstanceId(region, input.DBInstanceIdentifier);
    const snapshot = this.snapshot(region, input.DBSnapshotIdentifier);
    if (snapshot.status !== 'available') {
      throw rdsErrors.invalidDBSnapshotState(`Snapshot ${snapshot.id} is not available (it is ${snapshot.status}).`);
    }
    const restored = this.restoredInstance(region, id, { ...snapshot, retentionDays: snapshot.backupRetentionDays }, input);
    this.world.emit('rds.restore.started', { kind: 'snapshot', region, id, arn: restored.arn, snapshotArn: snapshot.arn });
    return restored;
  }

  /** The restorable window of a PITR source: [earliest, latest]. */
  restoreWindow(source: PitrSource): { earliest: EpochMs; latest: EpochMs } | undefined {
    const now = this.now();
    if (source.kind === 'retained') {
      if (retainedBackupExpired(source.backup.deletedAt, source.backup.retentionDays, now)) return undefined;
      const earliest = earliestRestorableTime(source.backup.origin, source.backup.retentionDays, now);
      if (earliest === undefined || earliest > source.backup.latestRestorableTime) return undefined;
      return { earliest, latest: source.backup.latestRestorableTime };
    }
    const earliest = this.earliestRestorableTime(source.instance);
    const latest = this.latestRestorableTime(source.instance);
    return earliest === undefined || latest === undefined ? undefined : { earliest, latest };
  }

  private pitrSource(region: string, input: RestoreDBInstanceToPointInTimeInput): PitrSource {
    const given = [input.SourceDBInstanceIdentifier, input.SourceDbiResourceId, input.SourceDBInstanceAutomatedBackupsArn].filter(
      (v) => v !== undefined,
    ).length;
    if (given !== 1) {
      throw rdsErrors.invalidParameterCombination(
        'Specify exactly one of SourceDBInstanceIdentifier, SourceDbiResourceId and SourceDBInstanceAutomatedBackupsArn.',
      );
    }
    if (input.SourceDBInstanceIdentifier !== undefined) {
      return { kind: 'instance', instance: this.instance(region, input.SourceDBInstanceIdentifier) };
    }
    if (input.SourceDbiResourceId !== undefined) {
      const resourceId = input.SourceDbiResourceId;
      const live = this.instancesIn(region).find((i) => i.resourceId === resourceId);
      if (live) return { kind: 'instance', instance: live };
      const kept = [...this.retained.values()].find((b) => b.region === region && b.resourceId === resourceId);
      if (kept) return { kind: 'retained', backup: kept };
      throw rdsErrors.automatedBackupNotFound(`DbiResourceId ${resourceId}`);
    }
    const arn = input.SourceDBInstanceAutomatedBackupsArn!;
    const kept = this.retained.get(arn);
    if (kept && kept.region === region) return { kind: 'retained', backup: kept };
    const live = this.instancesIn(region).find((i) => i.backup.arn === arn && i.backup.origin !== undefined);
    if (live) return { kind: 'instance', instance: live };
    throw rdsErrors.automatedBackupNotFound(arn);
  }

  /** A new instance holding exactly the writes its source held at RestoreTime. */
  restoreDBInstanceToPointInTime(region: string, input: RestoreDBInstanceToPointInTimeInput): DbInstance {
    const id = this.requireNewInstanceId(region, input.TargetDBInstanceIdentifier);
    if (input.RestoreTime !== undefined && input.UseLatestRestorableTime) {
      throw rdsErrors.invalidParameterCombination('Cannot specify both RestoreTime and UseLatestRestorableTime.');
    }
    if (input.RestoreTime === undefined && !input.UseLatestRestorableTime) {
      throw rdsErrors.invalidParameterCombination('Specify either RestoreTime or UseLatestRestorableTime.');
    }
    const source = this.pitrSource(region, input);
    if (source.kind === 'instance' && source.instance.clusterId) {
      throw rdsErrors.invalidParameterCombination(`DB instance ${source.instance.id} is in a DB cluster: restore the cluster instead.`);
    }
    const window = this.restoreWindow(source);
    if (!window) {
      const name = source.kind === 'instance' ? source.instance.id : source.backup.instanceId;
      throw rdsErrors.pointInTimeRestoreNotEnabled(name);
    }
    const at = input.RestoreTime ? input.RestoreTime.getTime() : window.latest;
    if (at > window.latest || at < window.earliest) {
      throw rdsErrors.invalidRestore(
        `The restore time ${new Date(at).toISOString()} is outside the restorable window ` +
          `${new Date(window.earliest).toISOString()} to ${new Date(window.latest).toISOString()}.`,
      );
    }
    const from =
      source.kind === 'instance'
        ? { ...source.instance, retentionDays: source.instance.backup.retentionDays, entries: entriesAsOf(source.instance.volume.entries, at) }
        : { ...source.backup, entries: entriesAsOf(source.backup.entries, at) };
    const restored = this.restoredInstance(region, id, from, input);
    this.world.emit('rds.restore.started', {
      kind: 'point-in-time',
      region,
      id,
      arn: restored.arn,
      restoreTime: at,
      sourceResourceId: source.kind === 'instance' ? source.instance.resourceId : source.backup.resourceId,
    });
    return restored;
  }

  // ── Automated backups ───────────────────────────────────────────────────

  /** Automated backups in a region: those of live instances (`active`) and retained ones (`retained`). */
  describeDBInstanceAutomatedBackups(
    region: string,
    input: DescribeDBInstanceAutomatedBackupsInput,
  ): Page<{ status: 'active' | 'retained'; source: PitrSource }> {
    type Row = { status: 'active' | 'retained'; source: PitrSource; arn: string; id: string; resourceId: string };
    let rows: Row[] = [];
    for (const instance of this.instancesIn(region)) {
      if (instance.clusterId || instance.backup.origin === undefined || instance.backup.retentionDays === 0) continue;
      rows.push({ status: 'active', source: { kind: 'instance', instance }, arn: instance.backup.arn, id: instance.id, resourceId: instance.resourceId });
    }
    for (const backup of this.retained.values()) {
      if (backup.region !== region || !this.restoreWindow({ kind: 'retained', backup })) continue;
      rows.push({ status: 'retained', source: { kind: 'retained', backup }, arn: backup.arn, id: backup.instanceId, resourceId: backup.resourceId });
    }
    if (input.DbiResourceId !== undefined) rows = rows.filter((r) => r.resourceId === input.DbiResourceId);
    if (input.DBInstanceIdentifier !== undefined) rows = rows.filter((r) => r.id === input.DBInstanceIdentifier!.toLowerCase());
    if (input.DBInstanceAutomatedBackupsArn !== undefined) rows = rows.filter((r) => r.arn === input.DBInstanceAutomatedBackupsArn);
    if (
      rows.length === 0 &&
      (input.DbiResourceId !== undefined || input.DBInstanceAutomatedBackupsArn !== undefined) &&
      !input.Filters?.length
    ) {
      throw rdsErrors.automatedBackupNotFound(input.DBInstanceAutomatedBackupsArn ?? `DbiResourceId ${input.DbiResourceId}`);
    }
    rows = applyFilters(rows, input.Filters, {
      'db-instance-id': (r, values) => matchesIdOrArn(r.id, rdsArn(region, this.world.accountId, 'db', r.id), values),
      'dbi-resource-id': (r, values) => values.includes(r.resourceId),
      status: (r, values) => values.includes(r.status),
    });
    rows.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
    const page = paginate(rows, (r) => r.arn, input);
    return { items: page.items.map(({ status, source }) => ({ status, source })), ...(page.marker ? { marker: page.marker } : {}) };
  }

  // ── Tags ────────────────────────────────────────────────────────────────

  private taggable(region: string, resourceName: string): { tags: Tag[]; set(tags: Tag[]): void } {
    const arn = parseRdsArn(resourceName);
    if (!arn || arn.region !== region || arn.accountId !== this.world.accountId) {
      throw rdsErrors.invalidParameterValue(`The specified resource name does not match an RDS resource in this Region: ${resourceName}`);
    }
    const holder = ((): { tags: Tag[] } => {
      switch (arn.kind) {
        case 'db':
          return this.instance(region, resourceName);
        case 'cluster':
          return this.cluster(region, resourceName);
        case 'snapshot': {
          const snapshot = this.snapshot(region, resourceName);
          if (snapshot.type === 'automated') throw rdsErrors.invalidParameterValue('Automated snapshots cannot be tagged.');
          return snapshot;
        }
        default:
          throw rdsErrors.invalidParameterValue(`Tagging is not supported for RDS resources of type ${arn.kind} in the simulator.`);
      }
    })();
    return {
      tags: holder.tags,
      set: (tags) => {
        holder.tags = tags;
      },
    };
  }

  addTagsToResource(region: string, input: AddTagsToResourceInput): void {
    const target = this.taggable(region, input.ResourceName);
    const tags = [...target.tags];
    for (const tag of input.Tags) {
      const at = tags.findIndex((t) => t.Key === tag.Key);
      if (at >= 0) tags[at] = { Key: tag.Key, Value: tag.Value };
      else tags.push({ Key: tag.Key, Value: tag.Value });
    }
    if (tags.length > 50) throw rdsErrors.invalidParameterValue('A resource can have at most 50 tags.');
    target.set(tags);
  }

  listTagsForResource(region: string, input: ListTagsForResourceInput): Tag[] {
    return [...this.taggable(region, input.ResourceName).tags];
  }

  removeTagsFromResource(region: string, input: RemoveTagsFromResourceInput): void {
    const target = this.taggable(region, input.ResourceName);
    target.set(target.tags.filter((t) => !input.TagKeys.includes(t.Key)));
  }
}

/** What a snapshot or a retained backup keeps of the instance it came from. */
function instanceRecord(instance: DbInstance) {
  return {
    instanceId: instance.id,
    resourceId: instance.resourceId,
    engine: instance.engine,
    engineVersion: instance.engineVersion,
    allocatedStorage: instance.allocatedStorage,
    storageType: instance.storageType,
    port: instance.port,
    availabilityZone: instance.availabilityZone,
    masterUsername: instance.masterUsername,
    instanceClass: instance.instanceClass,
    instanceCreatedAt: instance.createdAt,
  };
}

/**
 * How large an instance class is, by its size (`large` < `xlarge` <
 * `2xlarge` < … < `metal`), for "the replica that is largest in size";
 * the family is not compared (RDS does not say how it weighs one).
 */
export function instanceClassSize(instanceClass: string): number {
  const size = instanceClass.split('.').pop() ?? '';
  const small: Record<string, number> = { nano: 1, micro: 2, small: 3, medium: 4, large: 5, xlarge: 6 };
  if (Object.hasOwn(small, size)) return small[size]!;
  const multiple = /^(\d+)xlarge$/.exec(size);
  if (multiple) return 6 + Number(multiple[1]);
  return size === 'metal' ? 1000 : 0;
}

function tagsOf(tags: Record<string, string> | undefined): Tag[] {
  return Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
}
