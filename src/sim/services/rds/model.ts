import { cancelOwned, scheduleOwned, type TimerOwner } from '../../owned-timers.js';
import type { EpochMs } from '../../../clock/types.js';
import type { Rng, SimWorld } from '../../types.js';
import {
  DAY_MS,
  earliestRestorableTime,
  latestRestorableTime,
  newBackupState,
  seedBackups,
  startBackups,
} from './backups.js';
import { regionZones } from '../ec2/zones.js';
import { rdsErrors } from './errors.js';
import { backupWindowAt, checkIdentifier, isArn, parseRdsArn, rdsArn } from './naming.js';
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
  type SeedInstanceSpec,
  type SeedReadReplicaSpec,
  type Tag,
  type Volume,
  type WriteRecord,
} from './types.js';

import {
  createDBInstance,
  deleteDBInstance,
  describeDBInstances,
  failOverInstance,
  modifyDBInstance,
  reboot,
  rebootDBInstance,
} from './instances.js';
import { createDBInstanceReadReplica, promoteReadReplica, resumeLinks, seedReadReplica, ship } from './replication.js';
import { copyDBSnapshot, createDBSnapshot, deleteDBSnapshot, describeDBSnapshots, seedDBSnapshot, snapshot } from './snapshots.js';
import { describeDBInstanceAutomatedBackups, restoreDBInstanceFromDBSnapshot, restoreDBInstanceToPointInTime, restoreWindow } from './restores.js';
import { createDBCluster, describeDBClusters, failoverCluster, failoverDBCluster, pickReader, seedCluster } from './clusters.js';
import { engineDefaults, isAurora, reachableStatuses } from './engines.js';
import { tagsOf } from './records.js';

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
 *
 * This class holds the state, the lookups, the write log and what every
 * concern shares (timers, status changes, building an instance); the rules
 * of each concern live beside it as functions over the model: instances.ts
 * (create, modify, reboot, Multi-AZ failover, delete), replication.ts (read
 * replicas, their write shipping, promotion), snapshots.ts (manual,
 * automated, AWS Backup's, copies), restores.ts (from a snapshot, to a point
 * in time, automated backups) and clusters.ts (Multi-AZ DB and Aurora-style
 * clusters, their failover). The API methods below only hand over to them,
 * so callers keep one object to talk to. Members without `private` that no
 * caller outside rds/ uses are there for those files, not for callers.
 */
export class RdsModel {
  readonly instances = new Map<string, DbInstance>();
  readonly clusters = new Map<string, DbCluster>();
  /** Manual snapshots (automated ones are derived from their instance's backups). */
  readonly snapshots = new Map<string, DbSnapshot>();
  /** Automated backups kept after their instance was deleted, by ARN. */
  readonly retained = new Map<string, RetainedBackup>();
  /** How often each ARN has been created, so a re-created resource draws a fresh RNG stream. */
  readonly incarnations = new Map<string, number>();
  private readonly endpointHashes = new Map<string, string>();
  /** Work that waits for a cross-region link (snapshot copies). */
  linkWaiters: { from: string; to: string; run: () => void }[] = [];

  constructor(readonly world: SimWorld) {
    // Held-back replication and stalled copies resume the moment the network
    // comes back: every region and link restoration is an event, so reads
    // (ground truth, Describe*) never need to, and change nothing.
    world.onEvent((event) => {
      if (event.kind === 'link.restored' || event.kind === 'region.restored') resumeLinks(this);
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
      if (instance.multiAZ && standby !== undefined && this.world.faults.isZonePowered(standby)) failOverInstance(this, instance, 'zone-power-loss');
    }
    for (const cluster of [...this.clusters.values()].sort((a, b) => (a.arn < b.arn ? -1 : 1))) {
      const writer = cluster.writerId !== undefined ? this.findInstance(cluster.region, cluster.writerId) : undefined;
      if (!writer || writer.availabilityZone !== zone || cluster.status !== 'available') continue;
      const reader = pickReader(this, cluster);
      if (reader) this.failoverCluster(cluster, reader.id, 'zone-power-loss');
    }
  }

  now(): EpochMs {
    return this.world.clock.now();
  }

  /** The virtual time the model's derived values are computed at. */
  clockNow(): EpochMs {
    return this.now();
  }

  // ── Lookup ──────────────────────────────────────────────────────────────

  key(region: string, id: string): string {
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
  nameOf(region: string, ref: string, kind: 'db' | 'cluster' | 'snapshot'): string | undefined {
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
    for (const replica of target.replicas) ship(this, replica, committed);
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
  subnetsOf(region: string, subnetIds: readonly string[]): { id: string; zone: string }[] {
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

  // ── Scheduling and status (shared by the concern files) ─────────────────

  after(owner: TimerOwner, ms: number, label: string, task: () => void): void {
    scheduleOwned(this.world.clock, owner, this.now() + Math.max(0, ms), label, task);
  }

  cancelTimers(owner: TimerOwner): void {
    cancelOwned(this.world.clock, owner);
  }

  setStatus(instance: DbInstance, status: InstanceStatus): void {
    if (instance.status === status) return;
    const previous = instance.status;
    instance.status = status;
    this.world.emit('rds.instance.status', { region: instance.region, id: instance.id, arn: instance.arn, status, previous });
  }

  setClusterStatus(cluster: DbCluster, status: DbCluster['status']): void {
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
  provision(instance: DbInstance, totalMs: number): void {
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

  // ── Construction (shared by the concern files) ──────────────────────────

  /** One RNG stream per resource incarnation, so draws do not depend on other resources' order. */
  rngFor(arn: string): Rng {
    const n = (this.incarnations.get(arn) ?? 0) + 1;
    this.incarnations.set(arn, n);
    return this.world.rng.fork(n === 1 ? `rds:${arn}` : `rds:${arn}#${n}`);
  }

  endpointHash(region: string): string {
    let hash = this.endpointHashes.get(region);
    if (!hash) {
      hash = 'c' + this.world.rng.fork(`rds:endpoint-hash:${this.world.accountId}:${region}`).alnum(11);
      this.endpointHashes.set(region, hash);
    }
    return hash;
  }

  /** The AZs an instance may live in: its subnets', or the region's (the sim's zones, ec2/zones.ts). */
  zonesOf(region: string, subnets: readonly { zone: string }[]): string[] {
    if (subnets.length > 0) return [...new Set(subnets.map((s) => s.zone))].sort();
    return regionZones(region);
  }

  newInstance(args: {
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

  register(instance: DbInstance): DbInstance {
    this.instances.set(this.key(instance.region, instance.id), instance);
    this.world.emit('rds.instance.status', { region: instance.region, id: instance.id, arn: instance.arn, status: instance.status });
    return instance;
  }

  requireNewInstanceId(region: string, raw: string): string {
    const id = checkIdentifier('DBInstanceIdentifier', raw);
    if (this.instances.has(this.key(region, id))) throw rdsErrors.dbInstanceAlreadyExists();
    return id;
  }

  checkEngine(engine: string): string {
    const name = engine.toLowerCase();
    if (!Object.hasOwn(engineDefaults, name)) throw rdsErrors.invalidParameterValue(`Invalid DB engine: ${engine}`);
    return name;
  }

  checkRetention(days: number | undefined): number | undefined {
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

  seedReadReplica(spec: SeedReadReplicaSpec): DbInstance {
    return seedReadReplica(this, spec);
  }

  seedCluster(spec: SeedClusterSpec): DbCluster {
    return seedCluster(this, spec);
  }

  seedDBSnapshot(spec: SeedDBSnapshotSpec): DbSnapshot {
    return seedDBSnapshot(this, spec);
  }

  // ── Instances (instances.ts) ────────────────────────────────────────────

  createDBInstance(region: string, input: CreateDBInstanceInput): DbInstance {
    return createDBInstance(this, region, input);
  }

  describeDBInstances(region: string, input: DescribeDBInstancesInput): Page<DbInstance> {
    return describeDBInstances(this, region, input);
  }

  deleteDBInstance(region: string, input: DeleteDBInstanceInput): DbInstance {
    return deleteDBInstance(this, region, input);
  }

  modifyDBInstance(region: string, input: ModifyDBInstanceInput): DbInstance {
    return modifyDBInstance(this, region, input);
  }

  rebootDBInstance(region: string, input: RebootDBInstanceInput): DbInstance {
    return rebootDBInstance(this, region, input);
  }

  reboot(instance: DbInstance, forceFailover: boolean): DbInstance {
    return reboot(this, instance, forceFailover);
  }

  // ── Read replicas (replication.ts) ──────────────────────────────────────

  createDBInstanceReadReplica(region: string, input: CreateDBInstanceReadReplicaInput): DbInstance {
    return createDBInstanceReadReplica(this, region, input);
  }

  promoteReadReplica(region: string, input: PromoteReadReplicaInput): DbInstance {
    return promoteReadReplica(this, region, input);
  }

  // ── Clusters (clusters.ts) ──────────────────────────────────────────────

  createDBCluster(region: string, input: CreateDBClusterInput): DbCluster {
    return createDBCluster(this, region, input);
  }

  describeDBClusters(region: string, input: DescribeDBClustersInput): Page<DbCluster> {
    return describeDBClusters(this, region, input);
  }

  failoverDBCluster(region: string, input: FailoverDBClusterInput): DbCluster {
    return failoverDBCluster(this, region, input);
  }

  failoverCluster(cluster: DbCluster, targetRef?: string, cause?: 'zone-power-loss'): DbCluster {
    return failoverCluster(this, cluster, targetRef, cause);
  }

  // ── Snapshots (snapshots.ts) ────────────────────────────────────────────

  createDBSnapshot(region: string, input: CreateDBSnapshotInput, caller: SnapshotCaller = {}): DbSnapshot {
    return createDBSnapshot(this, region, input, caller);
  }

  snapshot(region: string, ref: string): DbSnapshot {
    return snapshot(this, region, ref);
  }

  describeDBSnapshots(region: string, input: DescribeDBSnapshotsInput): Page<DbSnapshot> {
    return describeDBSnapshots(this, region, input);
  }

  deleteDBSnapshot(region: string, input: DeleteDBSnapshotInput, caller: SnapshotCaller = {}): DbSnapshot {
    return deleteDBSnapshot(this, region, input, caller);
  }

  copyDBSnapshot(region: string, input: CopyDBSnapshotInput, caller: SnapshotCaller = {}): DbSnapshot {
    return copyDBSnapshot(this, region, input, caller);
  }

  // ── Restores and automated backups (restores.ts) ────────────────────────

  restoreDBInstanceFromDBSnapshot(region: string, input: RestoreDBInstanceFromDBSnapshotInput): DbInstance {
    return restoreDBInstanceFromDBSnapshot(this, region, input);
  }

  restoreWindow(source: PitrSource): { earliest: EpochMs; latest: EpochMs } | undefined {
    return restoreWindow(this, source);
  }

  restoreDBInstanceToPointInTime(region: string, input: RestoreDBInstanceToPointInTimeInput): DbInstance {
    return restoreDBInstanceToPointInTime(this, region, input);
  }

  describeDBInstanceAutomatedBackups(
    region: string,
    input: DescribeDBInstanceAutomatedBackupsInput,
  ): Page<{ status: 'active' | 'retained'; source: PitrSource }> {
    return describeDBInstanceAutomatedBackups(this, region, input);
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
