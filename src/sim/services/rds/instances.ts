import { storageScale } from '../../calibration.js';
import { startBackups, stopBackups } from './backups.js';
import { addClusterMember, removeClusterMember } from './clusters.js';
import { isAurora } from './engines.js';
import { rdsErrors } from './errors.js';
import type { RdsModel } from './model.js';
import { applyFilters, backupWindowAt, matchesIdOrArn, paginate, rdsArn } from './naming.js';
import { instanceRecord } from './records.js';
import { detachReplica, promote } from './replication.js';
import { requireNewSnapshotId, takeSnapshot } from './snapshots.js';
import type {
  CreateDBInstanceInput,
  DbInstance,
  DeleteDBInstanceInput,
  DescribeDBInstancesInput,
  ModifyDBInstanceInput,
  Page,
  RebootDBInstanceInput,
  RetainedBackup,
} from './types.js';

/**
 * A DB instance's own life: creation, the Describe view, modification
 * (retention, Multi-AZ, class), reboot and the Multi-AZ standby's failover,
 * and deletion (final snapshot, retained automated backups, what becomes of
 * its read replicas). Each function works on the model's state.
 */

export function createDBInstance(model: RdsModel, region: string, input: CreateDBInstanceInput): DbInstance {
  const id = model.requireNewInstanceId(region, input.DBInstanceIdentifier);
  const engine = model.checkEngine(input.Engine);
  const retentionDays = model.checkRetention(input.BackupRetentionPeriod) ?? 1;
  if (input.MultiAZ && input.AvailabilityZone) {
    throw rdsErrors.invalidParameterCombination('Requesting a specific availability zone is not valid for Multi-AZ instances.');
  }
  if (input.PromotionTier !== undefined && (!Number.isInteger(input.PromotionTier) || input.PromotionTier < 0 || input.PromotionTier > 15)) {
    throw rdsErrors.invalidParameterValue(`Invalid PromotionTier: ${input.PromotionTier}. Must be an integer from 0 to 15.`);
  }
  if (input.DBClusterIdentifier !== undefined) {
    const cluster = model.cluster(region, input.DBClusterIdentifier);
    if (cluster.multiAZCluster) {
      throw rdsErrors.invalidParameterCombination(`Cannot add instances to the Multi-AZ DB cluster ${cluster.id}.`);
    }
    if (cluster.engine !== engine) {
      throw rdsErrors.invalidParameterCombination(`The engine ${engine} does not match the engine ${cluster.engine} of cluster ${cluster.id}.`);
    }
    const member = addClusterMember(model, cluster, id, cluster.members.length, 'creating', input);
    model.provision(member, model.world.duration('rds.instance.create', member.rng, storageScale(cluster.allocatedStorage)));
    return member;
  }
  if (isAurora(engine)) {
    throw rdsErrors.invalidParameterCombination('An Aurora DB instance must be created in a DB cluster: specify DBClusterIdentifier.');
  }
  if (input.AllocatedStorage === undefined) throw rdsErrors.invalidParameterValue('The parameter AllocatedStorage must be provided.');
  if (input.AllocatedStorage < 20 || input.AllocatedStorage > 65536) {
    throw rdsErrors.invalidParameterValue(`Invalid storage size for engine name ${engine} and storage type gp3: ${input.AllocatedStorage}`);
  }
  const instance = model.newInstance({
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
  model.register(instance);
  model.provision(instance, model.world.duration('rds.instance.create', instance.rng, storageScale(instance.allocatedStorage)));
  return instance;
}

export function describeDBInstances(model: RdsModel, region: string, input: DescribeDBInstancesInput): Page<DbInstance> {
  if (input.DBInstanceIdentifier !== undefined) {
    const one = model.instance(region, input.DBInstanceIdentifier);
    return paginate([one], (i) => i.id, input);
  }
  const all = applyFilters(model.instancesIn(region), input.Filters, {
    'db-instance-id': (i, values) => matchesIdOrArn(i.id, i.arn, values),
    'db-cluster-id': (i, values) =>
      i.clusterId !== undefined && matchesIdOrArn(i.clusterId, rdsArn(i.region, model.world.accountId, 'cluster', i.clusterId), values),
    'dbi-resource-id': (i, values) => values.includes(i.resourceId),
    engine: (i, values) => values.includes(i.engine),
  });
  return paginate(all, (i) => i.id, input);
}

export function deleteDBInstance(model: RdsModel, region: string, input: DeleteDBInstanceInput): DbInstance {
  const instance = model.instance(region, input.DBInstanceIdentifier);
  if (instance.status === 'deleting') throw rdsErrors.invalidDBInstanceState(`Instance ${instance.id} is already being deleted.`);
  if (instance.deletionProtection) {
    throw rdsErrors.invalidParameterCombination('Cannot delete protected DB Instance, please disable deletion protection and try again.');
  }
  const cluster = instance.clusterId ? model.findCluster(region, instance.clusterId) : undefined;
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
      finalSnapshotId = requireNewSnapshotId(model, region, input.FinalDBSnapshotIdentifier);
    }
  }
  model.cancelTimers(instance);
  instance.failingOver = false;
  if (instance.replication) detachReplica(model, instance, 'deleted');
  // RDS promotes the read replicas of a deleted source to standalone instances.
  for (const arn of [...instance.replicaArns]) {
    const replica = model.instanceByArn(arn);
    if (replica?.status === 'available') promote(model, replica, undefined, 'source-deleted');
    else if (replica) detachReplica(model, replica, 'source-deleted');
  }
  instance.replicaArns = [];
  if (finalSnapshotId !== undefined) takeSnapshot(model, instance, finalSnapshotId, [], 'manual');
  const keepBackups = input.DeleteAutomatedBackups === false;
  const lrt = model.latestRestorableTime(instance);
  if (keepBackups && standalone && instance.backup.origin !== undefined && instance.backup.retentionDays > 0 && lrt !== undefined) {
    const backup: RetainedBackup = {
      arn: instance.backup.arn,
      region,
      ...instanceRecord(instance),
      instanceArn: instance.arn,
      deletedAt: model.now(),
      retentionDays: instance.backup.retentionDays,
      origin: instance.backup.origin,
      latestRestorableTime: lrt,
      preferredBackupWindow: instance.preferredBackupWindow,
      entries: [...instance.volume.entries],
      tags: [...instance.tags],
    };
    model.retained.set(backup.arn, backup);
    model.world.emit('rds.automated-backup.retained', { region, id: instance.id, arn: backup.arn, resourceId: instance.resourceId });
  }
  model.setStatus(instance, 'deleting');
  model.after(instance, model.world.duration('rds.instance.delete', instance.rng), `rds ${region}/${instance.id}: deleted`, () => {
    model.instances.delete(model.key(region, instance.id));
    if (cluster) removeClusterMember(model, cluster, instance.id);
    model.world.emit('rds.instance.deleted', { region, id: instance.id, arn: instance.arn });
  });
  return instance;
}

export function modifyDBInstance(model: RdsModel, region: string, input: ModifyDBInstanceInput): DbInstance {
  const instance = model.instance(region, input.DBInstanceIdentifier);
  if (instance.status !== 'available') {
    throw rdsErrors.invalidDBInstanceState(`Database instance ${instance.id} is not in available state (it is ${instance.status}).`);
  }
  const retention = model.checkRetention(input.BackupRetentionPeriod);
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
  const ms = model.world.duration(key, instance.rng, key === 'rds.instance.multi-az-conversion' ? storageScale(instance.allocatedStorage) : undefined);
  model.setStatus(instance, 'modifying');
  model.after(instance, ms, `rds ${region}/${instance.id}: modified`, () => {
    applyModifications(model, instance, applyNow);
    for (const field of Object.keys(applyNow) as (keyof typeof applyNow)[]) delete instance.pending[field];
    model.setStatus(instance, 'available');
  });
  return instance;
}

function applyModifications(model: RdsModel, instance: DbInstance, changes: DbInstance['pending']): void {
  if (changes.BackupRetentionPeriod !== undefined) {
    const before = instance.backup.retentionDays;
    instance.backup.retentionDays = changes.BackupRetentionPeriod;
    if (changes.BackupRetentionPeriod === 0) stopBackups(instance.backup);
    else if (before === 0 || instance.backup.origin === undefined) {
      startBackups(model.world, instance.backup, model.now());
      instance.preferredBackupWindow = backupWindowAt(model.now());
    }
  }
  if (changes.MultiAZ !== undefined) {
    instance.multiAZ = changes.MultiAZ;
    if (changes.MultiAZ) {
      const others = model.zonesOf(instance.region, instance.subnets).filter((z) => z !== instance.availabilityZone);
      if (others.length > 0) instance.secondaryAvailabilityZone = instance.rng.pick(others);
    } else {
      delete instance.secondaryAvailabilityZone;
    }
  }
  if (changes.DBInstanceClass !== undefined) instance.instanceClass = changes.DBInstanceClass;
}

export function rebootDBInstance(model: RdsModel, region: string, input: RebootDBInstanceInput): DbInstance {
  const instance = model.instance(region, input.DBInstanceIdentifier);
  if (input.ForceFailover && !instance.multiAZ) {
    throw rdsErrors.invalidParameterCombination(`Cannot force a failover: DB instance ${instance.id} is not a Multi-AZ deployment.`);
  }
  return model.reboot(instance, input.ForceFailover ?? false);
}

/**
 * Reboot, failing over to the standby when asked and the instance is
 * Multi-AZ (the FIS action asks regardless, as its `forceFailover` means
 * "if Multi-AZ"). The standby is synchronous: no committed write is lost.
 */
export function reboot(model: RdsModel, instance: DbInstance, forceFailover: boolean): DbInstance {
  if (instance.status !== 'available') {
    throw rdsErrors.invalidDBInstanceState(`DB instance ${instance.id} is not in available state (it is ${instance.status}).`);
  }
  const label = `rds ${instance.region}/${instance.id}`;
  const failover = forceFailover && instance.multiAZ && instance.secondaryAvailabilityZone !== undefined;
  if (!failover) {
    model.setStatus(instance, 'rebooting');
    model.after(instance, model.world.duration('rds.instance.reboot', instance.rng), `${label}: rebooted`, () => model.setStatus(instance, 'available'));
    return instance;
  }
  return failOverInstance(model, instance, 'reboot');
}

/** The standby takes over after the calibrated failover time; synchronous, so no committed write is lost. */
export function failOverInstance(model: RdsModel, instance: DbInstance, cause: 'reboot' | 'zone-power-loss'): DbInstance {
  const label = `rds ${instance.region}/${instance.id}`;
  model.setStatus(instance, 'rebooting');
  const from = instance.availabilityZone;
  const to = instance.secondaryAvailabilityZone!;
  const startedAt = model.now();
  instance.failingOver = true;
  model.world.emit('rds.failover.started', { kind: 'instance', region: instance.region, id: instance.id, arn: instance.arn, from, to, ...(cause !== 'reboot' ? { cause } : {}) });
  model.after(instance, model.world.duration('rds.instance.failover', instance.rng), `${label}: failed over`, () => {
    instance.availabilityZone = to;
    instance.secondaryAvailabilityZone = from;
    instance.failingOver = false;
    model.setStatus(instance, 'available');
    model.world.emit('rds.failover.completed', {
      kind: 'instance',
      region: instance.region,
      id: instance.id,
      arn: instance.arn,
      from,
      to,
      durationMs: model.now() - startedAt,
    });
  });
  return instance;
}
