import type { EpochMs } from '../../../clock/types.js';
import { storageScale } from '../../calibration.js';
import { AwsError, type Rng, type SimWorld } from '../../types.js';
import { copyBackup, createBackup, deleteBackup, restoreTableFromBackup, seedBackup, type DynamoDbModule } from '../dynamodb/index.js';
import type { Ec2Module } from '../ec2/index.js';
import { parseEc2Arn } from '../ec2/model.js';
import type { RdsModule } from '../rds/index.js';
import { backupErrors } from './errors.js';
import type { BackupResourceType } from './types.js';

/**
 * How AWS Backup reaches each service it protects. A recovery point is a
 * real snapshot in the service's own model (an RDS DB snapshot, an EBS
 * snapshot, a DynamoDB backup), so the service's API describes it and a restore makes a real
 * instance, volume or table. Each adapter finds its service module in the world
 * when asked, so Backup works with whichever services a world registers.
 */

const GIB = 1024 ** 3;

export interface ProtectedResource {
  arn: string;
  type: BackupResourceType;
  region: string;
  /** The non-unique name Backup shows: the DB instance id, the volume's Name tag. */
  name?: string;
  tags: Record<string, string>;
  sizeBytes: number;
}

/** Where a snapshot, copy or restore stands in the service's model. */
export type Progress = { state: 'running'; percent: number } | { state: 'done'; sizeBytes?: number } | { state: 'failed'; message: string };

export interface Seeded {
  arn: string;
  completedAt: EpochMs;
}

/**
 * The job a backup or copy is made for. `managedArn` is set when AWS Backup
 * fully manages the resource type in the region (advanced DynamoDB
 * backups): the recovery point is then Backup's own, under this ARN, not
 * the service's snapshot ARN.
 */
export interface JobRef {
  jobId: string;
  managedArn?: string;
}

/** A seeded job: also the job's random stream, for the service's calibrated durations. */
export interface SeedJobRef extends JobRef {
  rng: Rng;
}

export interface ResourceAdapter {
  readonly type: BackupResourceType;
  /** Event kinds starting with this mean the service's state may have moved. */
  readonly eventPrefix: string;
  /** AWS Backup can fully manage this type's backups (ResourceTypeManagementPreference). */
  readonly fullManagement: boolean;
  /** The resource ARN is of this type (whether or not the resource exists). */
  owns(resourceArn: string): boolean;
  list(region: string): ProtectedResource[];
  find(resourceArn: string): ProtectedResource | undefined;
  /** Start the service's snapshot; returns the recovery point ARN. Throws (an AwsError from the service) when refused. */
  startBackup(resource: ProtectedResource, job: JobRef): string;
  progress(recoveryPointArn: string): Progress;
  /** Start a copy of the snapshot in `destinationRegion`; returns the copy's ARN. Throws (an AwsError) when the copy is refused. */
  copy(recoveryPointArn: string, destinationRegion: string, job: JobRef): string;
  /** Refuse restore metadata Backup would refuse (InvalidParameterValueException), before any job exists. */
  checkRestoreMetadata(metadata: Readonly<Record<string, string>>): void;
  /** Start the restore; returns the ARN of the resource being created. */
  restore(recoveryPointArn: string, metadata: Readonly<Record<string, string>>): string;
  restoreProgress(createdResourceArn: string): Progress;
  deleteRecoveryPoint(recoveryPointArn: string): void;
  /** A snapshot completed before t = 0 (seeding), or why the service cannot make one. */
  seedBackup(resource: ProtectedResource, startedAt: EpochMs, job: SeedJobRef): Seeded | { skipped: string };
  seedCopy(recoveryPointArn: string, destinationRegion: string, startedAt: EpochMs, job: SeedJobRef): Seeded | { skipped: string };
}

/** When seeded work that began at `startedAt` and takes `ms` finished: never after t = 0. */
function finishedBy(world: SimWorld, startedAt: EpochMs, ms: number): EpochMs {
  return Math.min(world.clock.now(), startedAt + ms);
}


/** `true`/`false` metadata values, as Backup takes them. */
function booleanOf(metadata: Readonly<Record<string, string>>, key: string): boolean | undefined {
  const raw = metadata[key];
  if (raw === undefined) return undefined;
  if (raw.toLowerCase() === 'true') return true;
  if (raw.toLowerCase() === 'false') return false;
  throw backupErrors.invalidParameterValue(`Invalid value for restore metadata ${key}: ${raw} (expected true or false).`);
}

function integerOf(metadata: Readonly<Record<string, string>>, key: string): number | undefined {
  const raw = metadata[key];
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw backupErrors.invalidParameterValue(`Invalid value for restore metadata ${key}: ${raw} (expected an integer).`);
  return Number(raw);
}

function requiredOf(metadata: Readonly<Record<string, string>>, key: string, type: string): string {
  const value = metadata[key];
  if (value === undefined || value === '') {
    throw backupErrors.invalidParameterValue(`The restore metadata of a ${type} recovery point must contain ${key}.`);
  }
  return value;
}

// ── RDS ───────────────────────────────────────────────────────────────────

/** `arn:aws:rds:REGION:ACCOUNT:KIND:NAME` */
function parseRdsArn(arn: string): { region: string; accountId: string; kind: string; name: string } | undefined {
  const parts = arn.split(':');
  if (parts.length < 7 || parts[0] !== 'arn' || parts[2] !== 'rds') return undefined;
  const name = parts.slice(6).join(':');
  if (!parts[3] || !parts[4] || !parts[5] || !name) return undefined;
  return { region: parts[3], accountId: parts[4], kind: parts[5], name };
}

/** RDS names the snapshots AWS Backup makes `awsbackup:job-…`, and their copies `awsbackup:copyjob-…` (SnapshotType `awsbackup`). */
export const rdsRecoveryPointName = (jobId: string): string => `awsbackup:job-${jobId.toLowerCase()}`;
export const rdsCopyName = (copyJobId: string): string => `awsbackup:copyjob-${copyJobId.toLowerCase()}`;

const BY_BACKUP = { managedBy: 'backup' } as const;

export function rdsAdapter(world: SimWorld): ResourceAdapter {
  const rds = (): RdsModule => {
    const found = world.findModule('rds');
    if (!found) throw new Error('RDS is not simulated in this world.');
    return found;
  };
  const snapshotOf = (arn: string) => {
    const parsed = parseRdsArn(arn);
    if (!parsed || parsed.kind !== 'snapshot') return undefined;
    try {
      return rds().model.snapshot(parsed.region, parsed.name);
    } catch (error) {
      // DBSnapshotNotFound: the recovery point's snapshot is gone (the RDS model has no finder that does not throw).
      if (error instanceof AwsError && error.code === 'DBSnapshotNotFound') return undefined;
      throw error;
    }
  };
  const toResource = (instance: { arn: string; id: string; region: string; tags: { Key: string; Value: string }[]; allocatedStorage: number }): ProtectedResource => ({
    arn: instance.arn,
    type: 'RDS',
    region: instance.region,
    name: instance.id,
    tags: Object.fromEntries(instance.tags.map((t) => [t.Key, t.Value])),
    sizeBytes: instance.allocatedStorage * GIB,
  });
  return {
    type: 'RDS',
    eventPrefix: 'rds.',
    fullManagement: false,
    owns: (arn) => parseRdsArn(arn)?.kind === 'db',
    list(region) {
      const module = world.findModule('rds');
      if (!module) return [];
      // Cluster members are backed up as their cluster (Aurora), which the sim's Backup does not cover.
      return module.model.instancesIn(region).filter((i) => !i.clusterId && i.status !== 'deleting').map(toResource);
    },
    find(arn) {
      const module = world.findModule('rds');
      const instance = module?.model.instanceByArn(arn);
      return instance && !instance.clusterId && instance.status !== 'deleting' ? toResource(instance) : undefined;
    },
    startBackup(resource, job) {
      const parsed = parseRdsArn(resource.arn)!;
      return rds().model.createDBSnapshot(parsed.region, { DBSnapshotIdentifier: rdsRecoveryPointName(job.jobId), DBInstanceIdentifier: parsed.name }, BY_BACKUP).arn;
    },
    progress(arn) {
      const snapshot = snapshotOf(arn);
      if (!snapshot) return { state: 'failed', message: `The DB snapshot ${arn} no longer exists.` };
      if (snapshot.status === 'available') return { state: 'done', sizeBytes: snapshot.allocatedStorage * GIB };
      return { state: 'running', percent: snapshot.percentProgress };
    },
    copy(arn, destinationRegion, job) {
      return rds().model.copyDBSnapshot(
        destinationRegion,
        { SourceDBSnapshotIdentifier: arn, TargetDBSnapshotIdentifier: rdsCopyName(job.jobId), CopyTags: true },
        BY_BACKUP,
      ).arn;
    },
    checkRestoreMetadata(metadata) {
      requiredOf(metadata, 'DBInstanceIdentifier', 'RDS');
      booleanOf(metadata, 'MultiAZ');
      integerOf(metadata, 'Port');
      integerOf(metadata, 'AllocatedStorage');
    },
    restore(arn, metadata) {
      const parsed = parseRdsArn(arn);
      if (!parsed) throw backupErrors.invalidParameterValue(`Invalid recovery point ARN ${arn}`);
      const multiAZ = booleanOf(metadata, 'MultiAZ');
      const port = integerOf(metadata, 'Port');
      const storage = integerOf(metadata, 'AllocatedStorage');
      const instance = rds().model.restoreDBInstanceFromDBSnapshot(parsed.region, {
        DBInstanceIdentifier: requiredOf(metadata, 'DBInstanceIdentifier', 'RDS'),
        DBSnapshotIdentifier: parsed.name,
        ...(metadata['DBInstanceClass'] !== undefined ? { DBInstanceClass: metadata['DBInstanceClass'] } : {}),
        ...(metadata['AvailabilityZone'] !== undefined ? { AvailabilityZone: metadata['AvailabilityZone'] } : {}),
        ...(metadata['DBSubnetGroupName'] !== undefined ? { DBSubnetGroupName: metadata['DBSubnetGroupName'] } : {}),
        ...(metadata['StorageType'] !== undefined ? { StorageType: metadata['StorageType'] } : {}),
        ...(multiAZ !== undefined ? { MultiAZ: multiAZ } : {}),
        ...(port !== undefined ? { Port: port } : {}),
        ...(storage !== undefined ? { AllocatedStorage: storage } : {}),
      });
      return instance.arn;
    },
    restoreProgress(arn) {
      const instance = world.findModule('rds')?.model.instanceByArn(arn);
      if (!instance || instance.status === 'deleting') return { state: 'failed', message: `The restored DB instance ${arn} no longer exists.` };
      if (instance.status === 'available') return { state: 'done', sizeBytes: instance.allocatedStorage * GIB };
      return { state: 'running', percent: 0 };
    },
    deleteRecoveryPoint(arn) {
      const parsed = parseRdsArn(arn);
      if (!parsed) return;
      if (!snapshotOf(arn)) return;
      rds().model.deleteDBSnapshot(parsed.region, { DBSnapshotIdentifier: parsed.name }, BY_BACKUP);
    },
    seedBackup(resource, startedAt, job) {
      const model = rds().model;
      const instance = model.instanceByArn(resource.arn);
      if (!instance) return { skipped: `no DB instance ${resource.arn}` };
      if (instance.createdAt > startedAt) return { skipped: `DB instance ${instance.id} did not exist yet` };
      const snapshot = model.seedDBSnapshot({
        region: instance.region,
        instanceId: instance.id,
        snapshotId: rdsRecoveryPointName(job.jobId),
        createdAt: startedAt,
        managedBy: 'backup',
      });
      const ms = world.duration('rds.snapshot.create', job.rng, storageScale(snapshot.allocatedStorage));
      return { arn: snapshot.arn, completedAt: finishedBy(world, startedAt, ms) };
    },
    seedCopy(arn, destinationRegion, startedAt, job) {
      if (!snapshotOf(arn)) return { skipped: `no source snapshot ${arn}` };
      const snapshot = rds().model.seedDBSnapshot({
        region: destinationRegion,
        snapshotId: rdsCopyName(job.jobId),
        createdAt: startedAt,
        sourceSnapshotArn: arn,
        managedBy: 'backup',
      });
      const ms = world.duration('rds.snapshot.copy', job.rng, storageScale(snapshot.allocatedStorage));
      return { arn: snapshot.arn, completedAt: finishedBy(world, startedAt, ms) };
    },
  };
}

// ── EBS ───────────────────────────────────────────────────────────────────

const EBS_DESCRIPTION = 'This snapshot is created by the AWS Backup service.';

export function ebsAdapter(world: SimWorld): ResourceAdapter {
  const ec2 = (): Ec2Module => {
    const found = world.findModule('ec2');
    if (!found) throw new Error('EC2 (EBS) is not simulated in this world.');
    return found;
  };
  const toResource = (volume: { arn: string; region: string; tags: { Key: string; Value: string }[]; sizeGiB: number }): ProtectedResource => {
    const tags = Object.fromEntries(volume.tags.map((t) => [t.Key, t.Value]));
    return { arn: volume.arn, type: 'EBS', region: volume.region, ...(tags['Name'] !== undefined ? { name: tags['Name'] } : {}), tags, sizeBytes: volume.sizeGiB * GIB };
  };
  const snapshotOf = (arn: string) => world.findModule('ec2')?.model.snapshotByArn(arn);
  return {
    type: 'EBS',
    eventPrefix: 'ec2.',
    fullManagement: false,
    owns: (arn) => parseEc2Arn(arn)?.kind === 'volume',
    list: (region) => world.findModule('ec2')?.model.volumesIn(region).filter((v) => v.state !== 'deleting').map(toResource) ?? [],
    find(arn) {
      const volume = world.findModule('ec2')?.model.volumeByArn(arn);
      return volume ? toResource(volume) : undefined;
    },
    startBackup(resource) {
      const parsed = parseEc2Arn(resource.arn)!;
      return ec2().model.createSnapshot(parsed.region, { VolumeId: parsed.id, Description: EBS_DESCRIPTION }, { managedBy: 'backup' }).arn;
    },
    progress(arn) {
      const snapshot = snapshotOf(arn);
      if (!snapshot) return { state: 'failed', message: `The EBS snapshot ${arn} no longer exists.` };
      if (snapshot.state === 'completed') return { state: 'done', sizeBytes: snapshot.volumeSize * GIB };
      if (snapshot.state === 'error') return { state: 'failed', message: snapshot.stateMessage ?? 'The EBS snapshot failed.' };
      return { state: 'running', percent: ec2().model.progressOf(snapshot) };
    },
    copy(arn, destinationRegion) {
      const parsed = parseEc2Arn(arn);
      if (!parsed) throw backupErrors.invalidParameterValue(`Invalid recovery point ARN ${arn}`);
      return ec2().model.copySnapshot(
        destinationRegion,
        { SourceRegion: parsed.region, SourceSnapshotId: parsed.id, Description: EBS_DESCRIPTION },
        { managedBy: 'backup' },
      ).arn;
    },
    checkRestoreMetadata(metadata) {
      requiredOf(metadata, 'availabilityZone', 'EBS');
      booleanOf(metadata, 'encrypted');
      integerOf(metadata, 'volumeSize');
      integerOf(metadata, 'iops');
      integerOf(metadata, 'throughput');
    },
    restore(arn, metadata) {
      const parsed = parseEc2Arn(arn);
      if (!parsed) throw backupErrors.invalidParameterValue(`Invalid recovery point ARN ${arn}`);
      const model = ec2().model;
      const snapshot = model.snapshot(parsed.region, parsed.id);
      const source = model.findVolume(parsed.region, snapshot.volumeId);
      const encrypted = booleanOf(metadata, 'encrypted');
      const size = integerOf(metadata, 'volumeSize');
      const iops = integerOf(metadata, 'iops');
      const throughput = integerOf(metadata, 'throughput');
      const volume = model.createVolume(parsed.region, {
        AvailabilityZone: requiredOf(metadata, 'availabilityZone', 'EBS'),
        SnapshotId: parsed.id,
        VolumeType: metadata['volumeType'] ?? source?.volumeType ?? 'gp3',
        ...(size !== undefined ? { Size: size } : {}),
        ...(iops !== undefined ? { Iops: iops } : {}),
        ...(throughput !== undefined ? { Throughput: throughput } : {}),
        ...(encrypted !== undefined ? { Encrypted: encrypted } : {}),
        ...(metadata['kmsKeyId'] !== undefined ? { KmsKeyId: metadata['kmsKeyId'] } : {}),
      });
      return volume.arn;
    },
    restoreProgress(arn) {
      const volume = world.findModule('ec2')?.model.volumeByArn(arn);
      if (!volume || volume.state === 'deleting' || volume.state === 'deleted') return { state: 'failed', message: `The restored volume ${arn} no longer exists.` };
      if (volume.state === 'error') return { state: 'failed', message: `The restored volume ${arn} failed.` };
      if (volume.state === 'available' || volume.state === 'in-use') return { state: 'done', sizeBytes: volume.sizeGiB * GIB };
      return { state: 'running', percent: 0 };
    },
    deleteRecoveryPoint(arn) {
      const parsed = parseEc2Arn(arn);
      if (!parsed || !snapshotOf(arn)) return;
      ec2().model.deleteSnapshot(parsed.region, { SnapshotId: parsed.id }, { managedBy: 'backup' });
    },
    seedBackup(resource, startedAt) {
      const parsed = parseEc2Arn(resource.arn)!;
      const snapshot = ec2().model.seedSnapshot({ region: parsed.region, volumeId: parsed.id, startedAt, description: EBS_DESCRIPTION, managedBy: 'backup' });
      return { arn: snapshot.arn, completedAt: snapshot.completedAt ?? startedAt };
    },
    seedCopy(arn, destinationRegion, startedAt) {
      const parsed = parseEc2Arn(arn);
      const source = snapshotOf(arn);
      if (!parsed || !source) return { skipped: `no source snapshot ${arn}` };
      const snapshot = ec2().model.seedSnapshot({
        region: destinationRegion,
        volumeId: source.volumeId,
        startedAt,
        description: EBS_DESCRIPTION,
        managedBy: 'backup',
        copyOf: { region: parsed.region, snapshotId: parsed.id },
      });
      return { arn: snapshot.arn, completedAt: snapshot.completedAt ?? startedAt };
    },
  };
}

// ── DynamoDB ──────────────────────────────────────────────────────────────

const tableArnPattern = /^arn:aws:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]+$/;

/** The backup name DynamoDB shows for one AWS Backup makes. */
export const dynamoDbBackupName = (jobId: string): string => `awsbackup-job-${jobId.toLowerCase()}`;
export const dynamoDbCopyName = (copyJobId: string): string => `awsbackup-copyjob-${copyJobId.toLowerCase()}`;

/** A recovery point AWS Backup manages itself (advanced DynamoDB backups), rather than a service's snapshot. */
export const isBackupManagedArn = (arn: string): boolean => /^arn:aws:backup:[a-z0-9-]+:\d{12}:recovery-point:/.test(arn);

/**
 * Without AWS Backup's advanced DynamoDB features a DynamoDB recovery point
 * is DynamoDB's own on-demand backup, which AWS Backup cannot copy to
 * another region or account. The wording is the sim's.
 */
export function dynamoDbCopyRefused(recoveryPointArn: string): AwsError {
  return backupErrors.invalidRequest(
    `Cannot copy recovery point ${recoveryPointArn}: copying a DynamoDB backup to another Region requires AWS Backup's advanced features for Amazon DynamoDB, ` +
      'which were not enabled when it was created. Enable them with UpdateRegionSettings (ResourceTypeManagementPreference DynamoDB=true); later backups can then be copied.',
  );
}

export function dynamoDbAdapter(world: SimWorld): ResourceAdapter {
  const dynamodb = (): DynamoDbModule => {
    const found = world.findModule('dynamodb');
    if (!found) throw new Error('DynamoDB is not simulated in this world.');
    return found;
  };
  type TableView = { arn: string; name: string; region: string; tags: Record<string, string>; nominalSizeBytes?: number; store: { sizeBytes: number } };
  const toResource = (table: TableView): ProtectedResource => ({
    arn: table.arn,
    type: 'DynamoDB',
    region: table.region,
    name: table.name,
    tags: { ...table.tags },
    sizeBytes: Math.max(table.nominalSizeBytes ?? 0, table.store.sizeBytes),
  });
  const serving = (status: string): boolean => status === 'ACTIVE' || status === 'UPDATING';
  return {
    type: 'DynamoDB',
    eventPrefix: 'dynamodb.',
    fullManagement: true,
    owns: (arn) => tableArnPattern.test(arn),
    list: (region) => world.findModule('dynamodb')?.model.tablesIn(region).filter((t) => serving(t.status)).map(toResource) ?? [],
    find(arn) {
      const table = world.findModule('dynamodb')?.model.tableByArn(arn);
      return table && serving(table.status) ? toResource(table) : undefined;
    },
    startBackup(resource, job) {
      const model = dynamodb().model;
      const table = model.tableByArn(resource.arn)!;
      return createBackup(model, table.region, table.name, dynamoDbBackupName(job.jobId), 'AWS_BACKUP', job.managedArn ? { arn: job.managedArn } : {}).arn;
    },
    progress(arn) {
      const backup = world.findModule('dynamodb')?.model.backups.get(arn);
      if (!backup || backup.status === 'DELETED') return { state: 'failed', message: `The DynamoDB backup ${arn} no longer exists.` };
      if (backup.status === 'AVAILABLE') return { state: 'done', sizeBytes: backup.sizeBytes };
      return { state: 'running', percent: 0 };
    },
    copy(arn, destinationRegion, job) {
      if (!isBackupManagedArn(arn) || job.managedArn === undefined) throw dynamoDbCopyRefused(arn);
      return copyBackup(dynamodb().model, arn, destinationRegion, { arn: job.managedArn, name: dynamoDbCopyName(job.jobId) }).arn;
    },
    checkRestoreMetadata(metadata) {
      requiredOf(metadata, 'targetTableName', 'DynamoDB');
    },
    restore(arn, metadata) {
      const region = regionOfArn(arn);
      if (!region) throw backupErrors.invalidParameterValue(`Invalid recovery point ARN ${arn}`);
      const table = restoreTableFromBackup(dynamodb().model, region, {
        targetTableName: requiredOf(metadata, 'targetTableName', 'DynamoDB'),
        backupArn: arn,
        ...(metadata['billingMode'] !== undefined ? { billingModeOverride: metadata['billingMode'] } : {}),
      });
      return table.arn;
    },
    restoreProgress(arn) {
      const table = world.findModule('dynamodb')?.model.tableByArn(arn);
      if (!table || table.status === 'DELETING') return { state: 'failed', message: `The restored table ${arn} no longer exists.` };
      if (serving(table.status)) return { state: 'done', sizeBytes: toResource(table).sizeBytes };
      return { state: 'running', percent: 0 };
    },
    deleteRecoveryPoint(arn) {
      const model = dynamodb().model;
      const backup = model.backups.get(arn);
      if (!backup || backup.status === 'DELETED') return;
      deleteBackup(model, backup.region, arn);
    },
    seedBackup(resource, startedAt, job) {
      const model = dynamodb().model;
      const table = model.tableByArn(resource.arn);
      if (!table) return { skipped: `no DynamoDB table ${resource.arn}` };
      if (table.createdAt > startedAt) return { skipped: `table ${table.name} did not exist yet` };
      const backup = seedBackup(model, {
        region: table.region,
        tableName: table.name,
        name: dynamoDbBackupName(job.jobId),
        createdAt: startedAt,
        type: 'AWS_BACKUP',
        ...(job.managedArn ? { arn: job.managedArn } : {}),
      });
      return { arn: backup.arn, completedAt: finishedBy(world, startedAt, world.duration('dynamodb.backup.create', job.rng)) };
    },
    seedCopy(arn, destinationRegion, startedAt, job) {
      if (!isBackupManagedArn(arn) || job.managedArn === undefined) return { skipped: dynamoDbCopyRefused(arn).message };
      const backup = seedBackup(dynamodb().model, {
        region: destinationRegion,
        name: dynamoDbCopyName(job.jobId),
        createdAt: startedAt,
        copyOf: arn,
        arn: job.managedArn,
      });
      return { arn: backup.arn, completedAt: finishedBy(world, startedAt, world.duration('dynamodb.backup.create', job.rng)) };
    },
  };
}

/** Every resource type the sim's AWS Backup protects. */
export function resourceAdapters(world: SimWorld): ResourceAdapter[] {
  return [rdsAdapter(world), ebsAdapter(world), dynamoDbAdapter(world)];
}

/** The region in a resource or recovery point ARN. */
export function regionOfArn(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts[0] === 'arn' && parts[3] ? parts[3] : undefined;
}
