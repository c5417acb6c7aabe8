import type { EpochMs, TimerHandle } from '../../../clock/types.js';
import type { Rng } from '../../types.js';

/** DBInstanceStatus values the sim uses (a subset of RDS's). */
export type InstanceStatus =
  | 'creating'
  | 'backing-up'
  | 'available'
  | 'modifying'
  | 'rebooting'
  | 'deleting';

export type ClusterStatus = 'creating' | 'available' | 'failing-over' | 'modifying';

export type SnapshotStatus = 'creating' | 'available';

export interface Tag {
  Key: string;
  Value: string;
}

/** One committed write, as the app model sees it. */
export interface WriteRecord {
  /** Position in the log of the instance that committed it (1, 2, 3, …). */
  readonly seq: number;
  readonly key: string;
  readonly value?: string;
  /** When the instance that took the write committed it. */
  readonly committedAt: EpochMs;
  /** ARN of the instance (or cluster) that committed it. */
  readonly origin: string;
}

/** A write as a database holds it: replicas and restores apply records later than they were committed. */
export interface LogEntry {
  readonly record: WriteRecord;
  /** When this database's storage held it. */
  readonly appliedAt: EpochMs;
}

/** A database's data: the write log its storage holds. Clusters share one between their members. */
export interface Volume {
  entries: LogEntry[];
  /** Sequence for the next write committed here. */
  nextSeq: number;
}

/** Why a write was refused; the app model maps these to its own health. */
export type WriteRefusal = 'not-found' | 'region-down' | 'subnet-down' | 'zone-down' | 'unavailable' | 'read-only';

export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  readonly reason: WriteRefusal;
  constructor(reason: WriteRefusal, message: string) {
    // Made for every probe and canary write while a database is down, and only its reason and message are
    // read: capturing a stack trace each time was the sim's largest single cost under --samples.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.reason = reason;
  }
}

/** Automated backups: daily snapshots plus transaction logs shipped every few minutes. */
export interface BackupState {
  /** Retention in days; 0 means automated backups are off. */
  retentionDays: number;
  /** When automated backups began (the first automated snapshot); undefined while off or not yet taken. */
  origin?: EpochMs;
  /** The last transaction-log shipment found so far (extended lazily, never past now). */
  lastShipment?: EpochMs;
  /** The shipment after it, drawn from `shippingRng`. */
  nextShipment?: EpochMs;
  shippingRng: Rng;
  /** `arn:aws:rds:REGION:ACCOUNT:auto-backup:ab-…` */
  arn: string;
}

export interface PendingModifications {
  BackupRetentionPeriod?: number;
  MultiAZ?: boolean;
  DBInstanceClass?: string;
}

/** Where a replica gets its writes from, and what is on the way. */
export interface ReplicationState {
  /** The source instance's ARN. */
  sourceArn: string;
  sourceRegion: string;
  sourceId: string;
  /** Committed on the source, not yet applied here, in commit order. */
  inbound: { record: WriteRecord; dueAt: EpochMs }[];
  /** Delivery time of the last record put on the way (deliveries stay in order). */
  lastDueAt: EpochMs;
  /** The link was down when a delivery fell due; records wait for it. */
  held: boolean;
  rng: Rng;
}

export interface DbInstance {
  readonly id: string;
  readonly region: string;
  readonly arn: string;
  readonly resourceId: string;
  engine: string;
  engineVersion: string;
  instanceClass: string;
  allocatedStorage: number;
  storageType: string;
  port: number;
  address: string;
  masterUsername: string;
  dbName?: string;
  status: InstanceStatus;
  multiAZ: boolean;
  availabilityZone: string;
  secondaryAvailabilityZone?: string;
  /** The DB subnet group's subnets and their AZs; empty when nobody said. */
  subnets: { id: string; zone: string }[];
  dbSubnetGroupName?: string;
  createdAt: EpochMs;
  tags: Tag[];
  backup: BackupState;
  preferredBackupWindow: string;
  pending: PendingModifications;
  /** The data. Shared with the cluster for cluster members. */
  volume: Volume;
  clusterId?: string;
  promotionTier: number;
  /** Set while this is a read replica. */
  replication?: ReplicationState;
  /** ARNs of this instance's read replicas. */
  replicaArns: string[];
  /** A Multi-AZ failover is under way (status `rebooting`). */
  failingOver: boolean;
  /** PromoteReadReplica is under way: no longer replicating, not yet writable. */
  promoting: boolean;
  deletionProtection: boolean;
  copyTagsToSnapshot: boolean;
  rng: Rng;
  timers: Set<TimerHandle>;
}

export interface DbCluster {
  readonly id: string;
  readonly region: string;
  readonly arn: string;
  readonly resourceId: string;
  engine: string;
  engineVersion: string;
  status: ClusterStatus;
  /** Multi-AZ DB cluster (RDS for MySQL/PostgreSQL): members are created with the cluster. */
  multiAZCluster: boolean;
  instanceClass?: string;
  allocatedStorage: number;
  port: number;
  endpoint: string;
  readerEndpoint: string;
  masterUsername: string;
  databaseName?: string;
  availabilityZones: string[];
  /**
   * The DB subnet group's subnets, which every member joins: each sits in
   * the one of its AZ, so cutting that subnet off cuts the member off.
   * Empty when nobody said.
   */
  subnetIds: string[];
  dbSubnetGroupName?: string;
  /** Instance ids; the writer is `writerId`. */
  members: string[];
  writerId?: string;
  /** Picks among readers RDS could promote alike (same tier, same size): "an arbitrary replica". */
  promotionRng: Rng;
  createdAt: EpochMs;
  tags: Tag[];
  backup: BackupState;
  volume: Volume;
  rng: Rng;
  timers: Set<TimerHandle>;
}

/** `awsbackup`: a snapshot AWS Backup made (a recovery point), which only AWS Backup may delete. */
export type SnapshotType = 'manual' | 'automated' | 'awsbackup';

/** Who is asking the model for a snapshot change: AWS Backup, for its own recovery points. */
export interface SnapshotCaller {
  managedBy?: 'backup';
}

export interface DbSnapshot {
  readonly id: string;
  readonly region: string;
  readonly arn: string;
  readonly type: SnapshotType;
  status: SnapshotStatus;
  instanceId: string;
  resourceId: string;
  engine: string;
  engineVersion: string;
  allocatedStorage: number;
  storageType: string;
  port: number;
  availabilityZone: string;
  masterUsername: string;
  instanceClass: string;
  backupRetentionDays: number;
  instanceCreatedAt: EpochMs;
  createdAt: EpochMs;
  /** The data as of `createdAt`. */
  entries: LogEntry[];
  tags: Tag[];
  percentProgress: number;
  sourceRegion?: string;
  sourceSnapshotArn?: string;
  originalCreatedAt: EpochMs;
  timers: Set<TimerHandle>;
}

/** Automated backups kept after their instance was deleted (DeleteAutomatedBackups=false). */
export interface RetainedBackup {
  readonly arn: string;
  readonly region: string;
  readonly resourceId: string;
  readonly instanceId: string;
  readonly instanceArn: string;
  engine: string;
  engineVersion: string;
  allocatedStorage: number;
  storageType: string;
  port: number;
  availabilityZone: string;
  masterUsername: string;
  instanceClass: string;
  instanceCreatedAt: EpochMs;
  deletedAt: EpochMs;
  retentionDays: number;
  origin: EpochMs;
  latestRestorableTime: EpochMs;
  preferredBackupWindow: string;
  entries: LogEntry[];
  tags: Tag[];
}

/** A backup source for point-in-time restore: a live instance or its retained automated backups. */
export type PitrSource = { kind: 'instance'; instance: DbInstance } | { kind: 'retained'; backup: RetainedBackup };

/** What the environment loader says exists at t = 0 (DESIGN §6, Seeding). */
export interface SeedInstanceSpec {
  identifier: string;
  region: string;
  engine?: string;
  engineVersion?: string;
  instanceClass?: string;
  allocatedStorage?: number;
  multiAZ?: boolean;
  backupRetentionDays?: number;
  tags?: Record<string, string>;
  /**
   * The DB subnet group's subnets. Their AZs come from the subnets the
   * network module knows (FIS targets); a subnet it does not know is taken
   * to sit in the region's i-th AZ (`a`, `b`, `c`, …).
   */
  subnetIds?: string[];
  /** The primary's AZ; drawn from the instance's RNG among its subnets' AZs when unset. */
  availabilityZone?: string;
  port?: number;
  dbName?: string;
  masterUsername?: string;
}

export interface SeedReadReplicaSpec extends Omit<SeedInstanceSpec, 'engine' | 'engineVersion' | 'allocatedStorage'> {
  /** The source: its identifier and region, or its ARN. */
  source: { identifier: string; region: string } | { arn: string };
  allocatedStorage?: number;
}

/**
 * A snapshot that already exists at t = 0 (seeding): available, taken at
 * `createdAt` (in the past) with the instance's data of that instant, or a
 * copy in another region of a snapshot seeded before it.
 */
export interface SeedDBSnapshotSpec {
  region: string;
  snapshotId: string;
  createdAt: EpochMs;
  /** The instance snapshotted, in `region` (an original). */
  instanceId?: string;
  /** The snapshot copied, by ARN (a copy, usually from another region). */
  sourceSnapshotArn?: string;
  /** `backup`: an AWS Backup recovery point (`awsbackup:job-…`, SnapshotType `awsbackup`). */
  managedBy?: 'backup';
  tags?: Record<string, string>;
}

/** One member of a seeded cluster: its identifier, or where it runs and how RDS ranks it for promotion. */
export interface SeedClusterMemberSpec {
  identifier: string;
  /** Drawn from the instance's RNG among the cluster's AZs when unset (Aurora); a Multi-AZ DB cluster spreads its members. */
  availabilityZone?: string;
  /** 0 (promoted first) to 15; RDS's default is 1. */
  promotionTier?: number;
  /** The cluster's class when unset. */
  instanceClass?: string;
}

export interface SeedClusterSpec {
  identifier: string;
  region: string;
  engine?: string;
  engineVersion?: string;
  instanceClass?: string;
  allocatedStorage?: number;
  /** Members, the first being the writer; default `<id>-instance-1..3`. */
  members?: (string | SeedClusterMemberSpec)[];
  /**
   * The DB subnet group's subnets, as for an instance (SeedInstanceSpec):
   * they also make the cluster's AvailabilityZones, and each member is in
   * the subnet of its zone.
   */
  subnetIds?: string[];
  backupRetentionDays?: number;
  tags?: Record<string, string>;
}

/** Inputs of the API operations, named as RDS names them, already typed by the codec. */
export interface CreateDBInstanceInput {
  DBInstanceIdentifier: string;
  DBInstanceClass: string;
  Engine: string;
  EngineVersion?: string;
  AllocatedStorage?: number;
  StorageType?: string;
  MasterUsername?: string;
  DBName?: string;
  Port?: number;
  MultiAZ?: boolean;
  AvailabilityZone?: string;
  BackupRetentionPeriod?: number;
  DBSubnetGroupName?: string;
  DBClusterIdentifier?: string;
  PromotionTier?: number;
  DeletionProtection?: boolean;
  CopyTagsToSnapshot?: boolean;
  Tags?: Tag[];
}

export interface FilterInput {
  Name: string;
  Values: string[];
}

export interface PageInput {
  MaxRecords?: number;
  Marker?: string;
}

export interface DescribeDBInstancesInput extends PageInput {
  DBInstanceIdentifier?: string;
  Filters?: FilterInput[];
}

export interface DeleteDBInstanceInput {
  DBInstanceIdentifier: string;
  SkipFinalSnapshot?: boolean;
  FinalDBSnapshotIdentifier?: string;
  DeleteAutomatedBackups?: boolean;
}

export interface ModifyDBInstanceInput {
  DBInstanceIdentifier: string;
  BackupRetentionPeriod?: number;
  MultiAZ?: boolean;
  DBInstanceClass?: string;
  ApplyImmediately?: boolean;
  DeletionProtection?: boolean;
}

export interface RebootDBInstanceInput {
  DBInstanceIdentifier: string;
  ForceFailover?: boolean;
}

export interface CreateDBClusterInput {
  DBClusterIdentifier: string;
  Engine: string;
  EngineVersion?: string;
  DBClusterInstanceClass?: string;
  AllocatedStorage?: number;
  StorageType?: string;
  MasterUsername?: string;
  DatabaseName?: string;
  Port?: number;
  BackupRetentionPeriod?: number;
  AvailabilityZones?: string[];
  Tags?: Tag[];
}

export interface DescribeDBClustersInput extends PageInput {
  DBClusterIdentifier?: string;
  Filters?: FilterInput[];
}

export interface FailoverDBClusterInput {
  DBClusterIdentifier: string;
  TargetDBInstanceIdentifier?: string;
}

export interface CreateDBInstanceReadReplicaInput {
  DBInstanceIdentifier: string;
  SourceDBInstanceIdentifier: string;
  DBInstanceClass?: string;
  AvailabilityZone?: string;
  Port?: number;
  MultiAZ?: boolean;
  StorageType?: string;
  DBSubnetGroupName?: string;
  PreSignedUrl?: string;
  KmsKeyId?: string;
  DeletionProtection?: boolean;
  Tags?: Tag[];
}

export interface PromoteReadReplicaInput {
  DBInstanceIdentifier: string;
  BackupRetentionPeriod?: number;
}

export interface CreateDBSnapshotInput {
  DBSnapshotIdentifier: string;
  DBInstanceIdentifier: string;
  Tags?: Tag[];
}

export interface DescribeDBSnapshotsInput extends PageInput {
  DBInstanceIdentifier?: string;
  DBSnapshotIdentifier?: string;
  SnapshotType?: string;
  DbiResourceId?: string;
  Filters?: FilterInput[];
}

export interface DeleteDBSnapshotInput {
  DBSnapshotIdentifier: string;
}

export interface CopyDBSnapshotInput {
  SourceDBSnapshotIdentifier: string;
  TargetDBSnapshotIdentifier: string;
  KmsKeyId?: string;
  PreSignedUrl?: string;
  CopyTags?: boolean;
  Tags?: Tag[];
}

export interface RestoreDBInstanceFromDBSnapshotInput {
  DBInstanceIdentifier: string;
  DBSnapshotIdentifier: string;
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
}

export interface RestoreDBInstanceToPointInTimeInput {
  TargetDBInstanceIdentifier: string;
  SourceDBInstanceIdentifier?: string;
  SourceDbiResourceId?: string;
  SourceDBInstanceAutomatedBackupsArn?: string;
  RestoreTime?: Date;
  UseLatestRestorableTime?: boolean;
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
}

export interface DescribeDBInstanceAutomatedBackupsInput extends PageInput {
  DbiResourceId?: string;
  DBInstanceIdentifier?: string;
  DBInstanceAutomatedBackupsArn?: string;
  Filters?: FilterInput[];
}

export interface AddTagsToResourceInput {
  ResourceName: string;
  Tags: Tag[];
}

export interface ListTagsForResourceInput {
  ResourceName: string;
}

export interface RemoveTagsFromResourceInput {
  ResourceName: string;
  TagKeys: string[];
}

/** One page of a Describe call. */
export interface Page<T> {
  items: T[];
  marker?: string;
}
