import { storageScale } from '../../calibration.js';
import { DAY_MS, seedBackups, startBackups } from './backups.js';
import { rdsErrors } from './errors.js';
import type { RdsModel } from './model.js';
import { backupWindowAt, isArn, parseRdsArn } from './naming.js';
import { tagsOf } from './records.js';
import type { CreateDBInstanceReadReplicaInput, DbInstance, PromoteReadReplicaInput, SeedReadReplicaSpec, WriteRecord } from './types.js';

/**
 * Read replicas: a replica starts from its source's write log and receives
 * each later write after the calibrated replica lag, in commit order, while
 * the link between the two regions is up; writes held back by a cut link
 * resume when the network returns (as do snapshot copies waiting on a link).
 * Promotion stops replication at once, so writes still on their way are
 * lost to the new primary: that is the loss a cross-region failover
 * measures.
 */

/** Put a write on its way to a replica: it lands after the replica lag, in commit order. */
export function ship(model: RdsModel, replica: DbInstance, record: WriteRecord): void {
  const replication = replica.replication;
  if (!replication) return;
  const now = model.now();
  const dueAt = Math.max(now + model.world.duration('rds.replica.lag', replication.rng), replication.lastDueAt);
  replication.lastDueAt = dueAt;
  replication.inbound.push({ record, dueAt });
  model.after(replica, dueAt - now, `rds ${replica.region}/${replica.id}: replicate write ${record.seq}`, () => pump(model, replica));
}

/** Apply the writes that are due, while the link from the source is up. */
function pump(model: RdsModel, replica: DbInstance): void {
  const replication = replica.replication;
  if (!replication) return;
  const now = model.now();
  while (replication.inbound.length > 0 && replication.inbound[0]!.dueAt <= now) {
    if (!model.world.faults.isLinkUp(replication.sourceRegion, replica.region)) {
      if (!replication.held) {
        replication.held = true;
        model.world.emit('rds.replication.interrupted', {
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
export function resumeLinks(model: RdsModel): void {
  const now = model.now();
  for (const replica of model.instances.values()) {
    const replication = replica.replication;
    if (!replication?.held || !model.world.faults.isLinkUp(replication.sourceRegion, replica.region)) continue;
    replication.held = false;
    model.world.emit('rds.replication.resumed', {
      region: replica.region,
      id: replica.id,
      sourceArn: replication.sourceArn,
      pendingWrites: replication.inbound.length,
    });
    // Redraw every delivery from now, keeping commit order.
    let last = now;
    for (const item of replication.inbound) {
      item.dueAt = Math.max(now + model.world.duration('rds.replica.lag', replication.rng), last);
      last = item.dueAt;
    }
    replication.lastDueAt = Math.max(replication.lastDueAt, last);
    for (const dueAt of new Set(replication.inbound.map((i) => i.dueAt))) {
      model.after(replica, dueAt - now, `rds ${replica.region}/${replica.id}: replicate held writes`, () => pump(model, replica));
    }
  }
  if (model.linkWaiters.length > 0) {
    const waiting = model.linkWaiters;
    model.linkWaiters = [];
    for (const waiter of waiting) {
      if (model.world.faults.isLinkUp(waiter.from, waiter.to)) waiter.run();
      else model.linkWaiters.push(waiter);
    }
  }
}

/** Stop replicating: what is still on its way is lost to this replica. */
export function detachReplica(model: RdsModel, replica: DbInstance, why: 'promoted' | 'source-deleted' | 'deleted'): void {
  const replication = replica.replication;
  if (!replication) return;
  const source = model.instanceByArn(replication.sourceArn);
  if (source) source.replicaArns = source.replicaArns.filter((arn) => arn !== replica.arn);
  const last = replica.volume.entries[replica.volume.entries.length - 1];
  model.world.emit('rds.replication.stopped', {
    region: replica.region,
    id: replica.id,
    sourceArn: replication.sourceArn,
    why,
    lostWrites: replication.inbound.length,
    lastAppliedSeq: last?.record.seq ?? 0,
  });
  delete replica.replication;
}

function attachReplica(model: RdsModel, replica: DbInstance, source: DbInstance): void {
  replica.volume = { entries: [...source.volume.entries], nextSeq: source.volume.nextSeq };
  replica.replication = {
    sourceArn: source.arn,
    sourceRegion: source.region,
    sourceId: source.id,
    inbound: [],
    lastDueAt: model.now(),
    held: false,
    rng: model.world.rng.fork(`rds:${replica.arn}:replication#${model.incarnations.get(replica.arn)}`),
  };
  source.replicaArns.push(replica.arn);
}

/** A read replica already in sync with its source. */
export function seedReadReplica(model: RdsModel, spec: SeedReadReplicaSpec): DbInstance {
  const region = spec.region;
  const id = model.requireNewInstanceId(region, spec.identifier);
  const source = 'arn' in spec.source ? model.instanceByArn(spec.source.arn) : model.findInstance(spec.source.region, spec.source.identifier);
  if (!source) throw new Error(`seedReadReplica ${id}: no source instance ${JSON.stringify(spec.source)}`);
  const replica = model.newInstance({
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
    retentionDays: model.checkRetention(spec.backupRetentionDays) ?? 0,
    tags: tagsOf(spec.tags),
    status: 'available',
  });
  replica.createdAt = model.now() - 30 * DAY_MS;
  seedBackups(model.world, replica.backup, model.now());
  attachReplica(model, replica, source);
  return model.register(replica);
}

/**
 * Called in the replica's region; `SourceDBInstanceIdentifier` is the
 * source's ARN across regions (the SDK then adds a PreSignedUrl, which the
 * sim accepts without checking: it has no secret to check it against).
 */
export function createDBInstanceReadReplica(model: RdsModel, region: string, input: CreateDBInstanceReadReplicaInput): DbInstance {
  const id = model.requireNewInstanceId(region, input.DBInstanceIdentifier);
  const sourceRef = input.SourceDBInstanceIdentifier;
  let source: DbInstance | undefined;
  if (isArn(sourceRef)) {
    const arn = parseRdsArn(sourceRef);
    if (!arn || arn.kind !== 'db') throw rdsErrors.invalidParameterValue(`Invalid source DB instance ARN: ${sourceRef}`);
    source = model.findInstance(arn.region, sourceRef);
  } else {
    source = model.findInstance(region, sourceRef);
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
  const replica = model.newInstance({
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
  attachReplica(model, replica, source);
  model.register(replica);
  model.provision(replica, model.world.duration('rds.replica.create', replica.rng, storageScale(replica.allocatedStorage)));
  return replica;
}

/**
 * Replication stops at once (writes still on their way are lost to the
 * replica); the instance goes modifying → rebooting → available and only
 * then takes writes.
 */
export function promoteReadReplica(model: RdsModel, region: string, input: PromoteReadReplicaInput): DbInstance {
  const instance = model.instance(region, input.DBInstanceIdentifier);
  if (!instance.replication) throw rdsErrors.invalidDBInstanceState(`DB Instance ${instance.id} is not a read replica.`);
  if (instance.status !== 'available') {
    throw rdsErrors.invalidDBInstanceState(`DB instance ${instance.id} is not in available state (it is ${instance.status}).`);
  }
  return promote(model, instance, model.checkRetention(input.BackupRetentionPeriod), 'promoted');
}

export function promote(model: RdsModel, instance: DbInstance, retentionDays: number | undefined, why: 'promoted' | 'source-deleted'): DbInstance {
  const retention = retentionDays ?? Math.max(1, instance.backup.retentionDays);
  const sourceArn = instance.replication?.sourceArn;
  const region = instance.region;
  resumeLinks(model);
  pump(model, instance);
  detachReplica(model, instance, why);
  model.cancelTimers(instance);
  instance.promoting = true;
  model.setStatus(instance, 'modifying');
  const label = `rds ${region}/${instance.id}`;
  const total = model.world.duration('rds.replica.promote', instance.rng, storageScale(instance.allocatedStorage));
  const rebootMs = Math.min(Math.round(total / 2), model.world.duration('rds.instance.reboot', instance.rng));
  const startedAt = model.now();
  model.after(instance, total - rebootMs, `${label}: promotion rebooting`, () => {
    model.setStatus(instance, 'rebooting');
    model.after(instance, rebootMs, `${label}: promoted`, () => {
      instance.promoting = false;
      instance.backup.retentionDays = retention;
      if (retention > 0) {
        startBackups(model.world, instance.backup, model.now());
        instance.preferredBackupWindow = backupWindowAt(model.now());
      }
      model.setStatus(instance, 'available');
      model.world.emit('rds.replica.promoted', { region, id: instance.id, arn: instance.arn, sourceArn, durationMs: model.now() - startedAt });
    });
  });
  return instance;
}
