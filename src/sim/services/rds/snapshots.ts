import type { EpochMs } from '../../../clock/types.js';
import { storageScale } from '../../calibration.js';
import { automatedSnapshotTimes, entriesAsOf, retainedBackupExpired } from './backups.js';
import { rdsErrors } from './errors.js';
import type { RdsModel } from './model.js';
import { applyFilters, automatedSnapshotId, checkIdentifier, isArn, matchesIdOrArn, paginate, parseRdsArn, rdsArn } from './naming.js';
import { instanceRecord, tagsOf } from './records.js';
import type {
  CopyDBSnapshotInput,
  CreateDBSnapshotInput,
  DbInstance,
  DbSnapshot,
  DeleteDBSnapshotInput,
  DescribeDBSnapshotsInput,
  Page,
  RetainedBackup,
  SeedDBSnapshotSpec,
  SnapshotCaller,
  SnapshotType,
  Tag,
} from './types.js';

/**
 * DB snapshots: manual ones (and final snapshots), AWS Backup's
 * (`awsbackup:` identifiers, deleted only through Backup), copies within and
 * across regions (which progress only while the link is up), and the
 * automated snapshots derived from an instance's backup state rather than
 * stored. A snapshot holds the writes its instance held when it was taken.
 */

/** What AWS Backup names the snapshots it takes and copies. */
const BACKUP_SNAPSHOT_ID = /^awsbackup:(job|copyjob)-[a-zA-Z0-9-]+$/;

/**
 * A snapshot taken before t = 0 (AWS Backup's seeded history): available
 * from the start, SnapshotCreateTime `createdAt`, holding the instance's
 * data of that instant (a copy: its source's). Nothing goes on the clock.
 */
export function seedDBSnapshot(model: RdsModel, spec: SeedDBSnapshotSpec): DbSnapshot {
  if (spec.createdAt > model.now()) throw new Error(`seedDBSnapshot ${spec.snapshotId}: createdAt lies in the future`);
  const caller: SnapshotCaller = spec.managedBy ? { managedBy: spec.managedBy } : {};
  const id = requireNewSnapshotId(model, spec.region, spec.snapshotId, caller);
  const arn = rdsArn(spec.region, model.world.accountId, 'snapshot', id);
  const common = { id, region: spec.region, arn, type: snapshotTypeFor(caller), status: 'available' as const, createdAt: spec.createdAt, percentProgress: 100 };
  let snapshot: DbSnapshot;
  if (spec.sourceSnapshotArn !== undefined) {
    const parsed = parseRdsArn(spec.sourceSnapshotArn);
    if (!parsed) throw new Error(`seedDBSnapshot ${id}: invalid source ARN ${spec.sourceSnapshotArn}`);
    const source = model.snapshot(parsed.region, spec.sourceSnapshotArn);
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
    const instance = model.instance(spec.region, spec.instanceId);
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
  model.snapshots.set(model.key(spec.region, id), snapshot);
  model.world.emit('rds.snapshot.status', { region: spec.region, id, arn, status: 'available', seeded: true, createdAt: spec.createdAt });
  return snapshot;
}

/**
 * A new snapshot's identifier. AWS Backup names its snapshots
 * `awsbackup:job-…` (`awsbackup:copyjob-…` for copies), a colon no caller
 * of the RDS API may use.
 */
export function requireNewSnapshotId(model: RdsModel, region: string, raw: string, caller: SnapshotCaller = {}): string {
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
  if (model.snapshots.has(model.key(region, id))) throw rdsErrors.dbSnapshotAlreadyExists(id);
  return id;
}

function snapshotTypeFor(caller: SnapshotCaller): SnapshotType {
  return caller.managedBy === 'backup' ? 'awsbackup' : 'manual';
}

/** Snapshot an instance's data now; `creating` until the calibrated time has passed. */
export function takeSnapshot(model: RdsModel, instance: DbInstance, id: string, tags: Tag[], type: SnapshotType): DbSnapshot {
  const arn = rdsArn(instance.region, model.world.accountId, 'snapshot', id);
  const now = model.now();
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
  model.snapshots.set(model.key(instance.region, id), snapshot);
  model.world.emit('rds.snapshot.status', { region: snapshot.region, id, arn, status: 'creating', instanceId: instance.id });
  const rng = model.rngFor(arn);
  model.after(snapshot, model.world.duration('rds.snapshot.create', rng, storageScale(instance.allocatedStorage)), `rds ${snapshot.region}/${id}: snapshot done`, () => {
    snapshot.status = 'available';
    snapshot.percentProgress = 100;
    model.world.emit('rds.snapshot.status', { region: snapshot.region, id, arn, status: 'available' });
    const live = model.findInstance(instance.region, instance.id);
    if (live === instance && instance.status === 'backing-up' && !snapshotInProgress(model, instance)) model.setStatus(instance, 'available');
  });
  return snapshot;
}

function snapshotInProgress(model: RdsModel, instance: DbInstance): boolean {
  for (const s of model.snapshots.values()) {
    if (s.status === 'creating' && s.resourceId === instance.resourceId && s.region === instance.region && !s.sourceSnapshotArn) return true;
  }
  return false;
}

/** `caller.managedBy: 'backup'`: AWS Backup taking a recovery point (SnapshotType `awsbackup`). */
export function createDBSnapshot(model: RdsModel, region: string, input: CreateDBSnapshotInput, caller: SnapshotCaller = {}): DbSnapshot {
  const instance = model.instance(region, input.DBInstanceIdentifier);
  const id = requireNewSnapshotId(model, region, input.DBSnapshotIdentifier, caller);
  if (instance.clusterId) {
    throw rdsErrors.invalidParameterCombination(`DB instance ${instance.id} is in a DB cluster: snapshot the cluster instead.`);
  }
  if (instance.status !== 'available') {
    throw rdsErrors.invalidDBInstanceState(
      `Cannot create a snapshot because the database instance ${instance.id} is not currently in the available state.`,
    );
  }
  const snapshot = takeSnapshot(model, instance, id, input.Tags ?? [], snapshotTypeFor(caller));
  model.setStatus(instance, 'backing-up');
  return snapshot;
}

/** Automated snapshots of live instances and of retained backups in a region, derived from their backup state. */
function automatedSnapshots(model: RdsModel, region: string): DbSnapshot[] {
  const now = model.now();
  const out: DbSnapshot[] = [];
  for (const instance of model.instancesIn(region)) {
    if (instance.clusterId) continue;
    const { origin, retentionDays } = instance.backup;
    for (const at of automatedSnapshotTimes(origin, retentionDays, now, now)) {
      out.push(automatedSnapshot(model, region, instance, at));
    }
  }
  for (const backup of model.retained.values()) {
    if (backup.region !== region || retainedBackupExpired(backup.deletedAt, backup.retentionDays, now)) continue;
    for (const at of automatedSnapshotTimes(backup.origin, backup.retentionDays, backup.deletedAt, now)) {
      out.push(automatedSnapshot(model, region, backup, at));
    }
  }
  return out;
}

function automatedSnapshot(
  model: RdsModel,
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
    arn: rdsArn(region, model.world.accountId, 'snapshot', id),
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
export function snapshot(model: RdsModel, region: string, ref: string): DbSnapshot {
  const id = model.nameOf(region, ref, 'snapshot');
  if (id === undefined) throw rdsErrors.dbSnapshotNotFound(ref);
  const lower = id.toLowerCase();
  if (lower.startsWith('rds:')) {
    const found = automatedSnapshots(model, region).find((s) => s.id === lower);
    if (found) return found;
    throw rdsErrors.dbSnapshotNotFound(ref);
  }
  const manual = model.snapshots.get(model.key(region, lower));
  if (!manual) throw rdsErrors.dbSnapshotNotFound(ref);
  return manual;
}

export function describeDBSnapshots(model: RdsModel, region: string, input: DescribeDBSnapshotsInput): Page<DbSnapshot> {
  if (input.DBSnapshotIdentifier !== undefined) {
    const one = model.snapshot(region, input.DBSnapshotIdentifier);
    const matches = input.DBInstanceIdentifier === undefined || one.instanceId === input.DBInstanceIdentifier.toLowerCase();
    return paginate(matches ? [one] : [], (s) => s.id, input);
  }
  const type = input.SnapshotType;
  let all: DbSnapshot[] = [];
  // Without a type, AWS Backup's snapshots are listed beside the manual and automated ones.
  all.push(...[...model.snapshots.values()].filter((s) => s.region === region && (type === undefined || s.type === type)));
  if (type === undefined || type === 'automated') all.push(...automatedSnapshots(model, region));
  if (input.DBInstanceIdentifier !== undefined) {
    const ref = input.DBInstanceIdentifier;
    all = all.filter((s) => matchesIdOrArn(s.instanceId, rdsArn(region, model.world.accountId, 'db', s.instanceId), [ref]));
  }
  if (input.DbiResourceId !== undefined) all = all.filter((s) => s.resourceId === input.DbiResourceId);
  all = applyFilters(all, input.Filters, {
    'db-instance-id': (s, values) => matchesIdOrArn(s.instanceId, rdsArn(region, model.world.accountId, 'db', s.instanceId), values),
    'db-snapshot-id': (s, values) => matchesIdOrArn(s.id, s.arn, values),
    'dbi-resource-id': (s, values) => values.includes(s.resourceId),
    'snapshot-type': (s, values) => values.includes(s.type),
    engine: (s, values) => values.includes(s.engine),
  });
  all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return paginate(all, (s) => s.id, input);
}

/** `caller.managedBy: 'backup'`: AWS Backup deleting its recovery point, the only way an `awsbackup` snapshot goes. */
export function deleteDBSnapshot(model: RdsModel, region: string, input: DeleteDBSnapshotInput, caller: SnapshotCaller = {}): DbSnapshot {
  const snapshot = model.snapshot(region, input.DBSnapshotIdentifier);
  if (snapshot.type === 'automated') {
    throw rdsErrors.invalidDBSnapshotState('Only manual snapshots may be deleted; automated snapshots expire with their retention period.');
  }
  if (snapshot.type === 'awsbackup' && caller.managedBy !== 'backup') throw rdsErrors.managedByBackup(snapshot.id);
  if (snapshot.status !== 'available') {
    throw rdsErrors.invalidDBSnapshotState(`Cannot delete snapshot ${snapshot.id}: it is ${snapshot.status}.`);
  }
  model.snapshots.delete(model.key(region, snapshot.id));
  model.world.emit('rds.snapshot.status', { region, id: snapshot.id, arn: snapshot.arn, status: 'deleted' });
  return snapshot;
}

/**
 * Called in the destination region; across regions the source is named by
 * its ARN. The copy makes progress only while the link between the two
 * regions is up.
 */
export function copyDBSnapshot(model: RdsModel, region: string, input: CopyDBSnapshotInput, caller: SnapshotCaller = {}): DbSnapshot {
  const sourceRef = input.SourceDBSnapshotIdentifier;
  let sourceRegion = region;
  if (isArn(sourceRef)) {
    const arn = parseRdsArn(sourceRef);
    if (!arn || arn.kind !== 'snapshot') throw rdsErrors.invalidParameterValue(`Invalid source snapshot ARN: ${sourceRef}`);
    sourceRegion = arn.region;
  }
  const source = model.snapshot(sourceRegion, sourceRef);
  if (source.status !== 'available') {
    throw rdsErrors.invalidDBSnapshotState(`Snapshot ${source.id} is not available for copy (it is ${source.status}).`);
  }
  const id = requireNewSnapshotId(model, region, input.TargetDBSnapshotIdentifier, caller);
  const arn = rdsArn(region, model.world.accountId, 'snapshot', id);
  const copy: DbSnapshot = {
    ...source,
    id,
    region,
    arn,
    type: snapshotTypeFor(caller),
    status: 'creating',
    createdAt: model.now(),
    entries: [...source.entries],
    tags: input.Tags && input.Tags.length > 0 ? [...input.Tags] : input.CopyTags ? [...source.tags] : [],
    percentProgress: 0,
    ...(sourceRegion !== region ? { sourceRegion } : {}),
    sourceSnapshotArn: source.arn,
    originalCreatedAt: source.originalCreatedAt,
    timers: new Set(),
  };
  model.snapshots.set(model.key(region, id), copy);
  model.world.emit('rds.snapshot.status', { region, id, arn, status: 'creating', sourceArn: source.arn });
  const rng = model.rngFor(arn);
  const finish = (): void => {
    if (model.snapshots.get(model.key(region, id)) !== copy) return;
    if (!model.world.faults.isLinkUp(sourceRegion, region)) {
      model.linkWaiters.push({ from: sourceRegion, to: region, run: finish });
      return;
    }
    copy.status = 'available';
    copy.percentProgress = 100;
    model.world.emit('rds.snapshot.status', { region, id, arn, status: 'available' });
  };
  model.after(copy, model.world.duration('rds.snapshot.copy', rng, storageScale(copy.allocatedStorage)), `rds ${region}/${id}: copy done`, finish);
  return copy;
}
