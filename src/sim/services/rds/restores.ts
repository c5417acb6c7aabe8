import type { EpochMs } from '../../../clock/types.js';
import { storageScale } from '../../calibration.js';
import { earliestRestorableTime, entriesAsOf, retainedBackupExpired } from './backups.js';
import { rdsErrors } from './errors.js';
import type { RdsModel } from './model.js';
import { applyFilters, matchesIdOrArn, paginate, rdsArn } from './naming.js';
import type {
  DbInstance,
  DescribeDBInstanceAutomatedBackupsInput,
  LogEntry,
  Page,
  PitrSource,
  RestoreDBInstanceFromDBSnapshotInput,
  RestoreDBInstanceToPointInTimeInput,
} from './types.js';

/**
 * Restores: from a snapshot, or to a point in time from a live instance or
 * an automated backup retained after its instance was deleted; the new
 * instance holds exactly the writes its source held at that time. The
 * automated-backups listing is here because its rows are the sources a
 * point-in-time restore can name.
 */

function restoredInstance(
  model: RdsModel,
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
  // What a snapshot restore and a point-in-time restore both let the caller change.
  input: Omit<RestoreDBInstanceFromDBSnapshotInput, 'DBInstanceIdentifier' | 'DBSnapshotIdentifier'>,
): DbInstance {
  if (input.MultiAZ && input.AvailabilityZone) {
    throw rdsErrors.invalidParameterCombination('Requesting a specific availability zone is not valid for Multi-AZ instances.');
  }
  const instance = model.newInstance({
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
    retentionDays: model.checkRetention(input.BackupRetentionPeriod) ?? from.retentionDays,
    tags: input.Tags ?? [],
    status: 'creating',
    ...(input.DeletionProtection !== undefined ? { deletionProtection: input.DeletionProtection } : {}),
  });
  const entries = [...from.entries];
  instance.volume = { entries, nextSeq: entries.reduce((max, e) => Math.max(max, e.record.seq + 1), 1) };
  model.register(instance);
  model.provision(instance, model.world.duration('rds.restore', instance.rng, storageScale(instance.allocatedStorage)));
  return instance;
}

export function restoreDBInstanceFromDBSnapshot(model: RdsModel, region: string, input: RestoreDBInstanceFromDBSnapshotInput): DbInstance {
  const id = model.requireNewInstanceId(region, input.DBInstanceIdentifier);
  const snapshot = model.snapshot(region, input.DBSnapshotIdentifier);
  if (snapshot.status !== 'available') {
    throw rdsErrors.invalidDBSnapshotState(`Snapshot ${snapshot.id} is not available (it is ${snapshot.status}).`);
  }
  const restored = restoredInstance(model, region, id, { ...snapshot, retentionDays: snapshot.backupRetentionDays }, input);
  model.world.emit('rds.restore.started', { kind: 'snapshot', region, id, arn: restored.arn, snapshotArn: snapshot.arn });
  return restored;
}

/** The restorable window of a PITR source: [earliest, latest]. */
export function restoreWindow(model: RdsModel, source: PitrSource): { earliest: EpochMs; latest: EpochMs } | undefined {
  const now = model.now();
  if (source.kind === 'retained') {
    if (retainedBackupExpired(source.backup.deletedAt, source.backup.retentionDays, now)) return undefined;
    const earliest = earliestRestorableTime(source.backup.origin, source.backup.retentionDays, now);
    if (earliest === undefined || earliest > source.backup.latestRestorableTime) return undefined;
    return { earliest, latest: source.backup.latestRestorableTime };
  }
  const earliest = model.earliestRestorableTime(source.instance);
  const latest = model.latestRestorableTime(source.instance);
  return earliest === undefined || latest === undefined ? undefined : { earliest, latest };
}

function pitrSource(model: RdsModel, region: string, input: RestoreDBInstanceToPointInTimeInput): PitrSource {
  const given = [input.SourceDBInstanceIdentifier, input.SourceDbiResourceId, input.SourceDBInstanceAutomatedBackupsArn].filter(
    (v) => v !== undefined,
  ).length;
  if (given !== 1) {
    throw rdsErrors.invalidParameterCombination(
      'Specify exactly one of SourceDBInstanceIdentifier, SourceDbiResourceId and SourceDBInstanceAutomatedBackupsArn.',
    );
  }
  if (input.SourceDBInstanceIdentifier !== undefined) {
    return { kind: 'instance', instance: model.instance(region, input.SourceDBInstanceIdentifier) };
  }
  if (input.SourceDbiResourceId !== undefined) {
    const resourceId = input.SourceDbiResourceId;
    const live = model.instancesIn(region).find((i) => i.resourceId === resourceId);
    if (live) return { kind: 'instance', instance: live };
    const kept = [...model.retained.values()].find((b) => b.region === region && b.resourceId === resourceId);
    if (kept) return { kind: 'retained', backup: kept };
    throw rdsErrors.automatedBackupNotFound(`DbiResourceId ${resourceId}`);
  }
  const arn = input.SourceDBInstanceAutomatedBackupsArn!;
  const kept = model.retained.get(arn);
  if (kept && kept.region === region) return { kind: 'retained', backup: kept };
  const live = model.instancesIn(region).find((i) => i.backup.arn === arn && i.backup.origin !== undefined);
  if (live) return { kind: 'instance', instance: live };
  throw rdsErrors.automatedBackupNotFound(arn);
}

/** A new instance holding exactly the writes its source held at RestoreTime. */
export function restoreDBInstanceToPointInTime(model: RdsModel, region: string, input: RestoreDBInstanceToPointInTimeInput): DbInstance {
  const id = model.requireNewInstanceId(region, input.TargetDBInstanceIdentifier);
  if (input.RestoreTime !== undefined && input.UseLatestRestorableTime) {
    throw rdsErrors.invalidParameterCombination('Cannot specify both RestoreTime and UseLatestRestorableTime.');
  }
  if (input.RestoreTime === undefined && !input.UseLatestRestorableTime) {
    throw rdsErrors.invalidParameterCombination('Specify either RestoreTime or UseLatestRestorableTime.');
  }
  const source = pitrSource(model, region, input);
  if (source.kind === 'instance' && source.instance.clusterId) {
    throw rdsErrors.invalidParameterCombination(`DB instance ${source.instance.id} is in a DB cluster: restore the cluster instead.`);
  }
  const window = model.restoreWindow(source);
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
  const restored = restoredInstance(model, region, id, from, input);
  model.world.emit('rds.restore.started', {
    kind: 'point-in-time',
    region,
    id,
    arn: restored.arn,
    restoreTime: at,
    sourceResourceId: source.kind === 'instance' ? source.instance.resourceId : source.backup.resourceId,
  });
  return restored;
}

/** Automated backups in a region: those of live instances (`active`) and retained ones (`retained`). */
export function describeDBInstanceAutomatedBackups(
  model: RdsModel,
  region: string,
  input: DescribeDBInstanceAutomatedBackupsInput,
): Page<{ status: 'active' | 'retained'; source: PitrSource }> {
  type Row = { status: 'active' | 'retained'; source: PitrSource; arn: string; id: string; resourceId: string };
  let rows: Row[] = [];
  for (const instance of model.instancesIn(region)) {
    if (instance.clusterId || instance.backup.origin === undefined || instance.backup.retentionDays === 0) continue;
    rows.push({ status: 'active', source: { kind: 'instance', instance }, arn: instance.backup.arn, id: instance.id, resourceId: instance.resourceId });
  }
  for (const backup of model.retained.values()) {
    if (backup.region !== region || !model.restoreWindow({ kind: 'retained', backup })) continue;
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
    'db-instance-id': (r, values) => matchesIdOrArn(r.id, rdsArn(region, model.world.accountId, 'db', r.id), values),
    'dbi-resource-id': (r, values) => values.includes(r.resourceId),
    status: (r, values) => values.includes(r.status),
  });
  rows.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  const page = paginate(rows, (r) => r.arn, input);
  return { items: page.items.map(({ status, source }) => ({ status, source })), ...(page.marker ? { marker: page.marker } : {}) };
}
