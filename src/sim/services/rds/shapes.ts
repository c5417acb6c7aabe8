import type { EpochMs } from '../../../clock/types.js';
import { earliestRestorableTime } from './backups.js';
import type { RdsModel } from './model.js';
import type { DbCluster, DbInstance, DbSnapshot, PitrSource, Tag } from './types.js';

/**
 * RDS's output shapes (`DBInstance`, `DBCluster`, `DBSnapshot`,
 * `DBInstanceAutomatedBackup`) from the model's state. Plain data with AWS's
 * member names; the codec turns them into XML.
 */

type TagShape = { Key: string; Value: string };

export type DBInstanceShape = {
  DBInstanceIdentifier: string;
  DBInstanceClass: string;
  Engine: string;
  EngineVersion: string;
  DBInstanceStatus: string;
  MasterUsername: string;
  DBName?: string;
  Endpoint?: { Address: string; Port: number; HostedZoneId: string };
  AllocatedStorage: number;
  InstanceCreateTime?: Date;
  PreferredBackupWindow: string;
  BackupRetentionPeriod: number;
  VpcSecurityGroups: { VpcSecurityGroupId: string; Status: string }[];
  AvailabilityZone: string;
  DBSubnetGroup?: {
    DBSubnetGroupName: string;
    DBSubnetGroupDescription: string;
    SubnetGroupStatus: string;
    Subnets: { SubnetIdentifier: string; SubnetAvailabilityZone: { Name: string }; SubnetStatus: string }[];
  };
  PendingModifiedValues: { BackupRetentionPeriod?: number; MultiAZ?: boolean; DBInstanceClass?: string };
  LatestRestorableTime?: Date;
  MultiAZ: boolean;
  SecondaryAvailabilityZone?: string;
  AutoMinorVersionUpgrade: boolean;
  ReadReplicaSourceDBInstanceIdentifier?: string;
  ReadReplicaDBInstanceIdentifiers: string[];
  StatusInfos?: { StatusType: string; Normal: boolean; Status: string; Message?: string }[];
  StorageType: string;
  DbInstancePort: number;
  DBClusterIdentifier?: string;
  StorageEncrypted: boolean;
  DbiResourceId: string;
  CopyTagsToSnapshot: boolean;
  PromotionTier?: number;
  DBInstanceArn: string;
  DeletionProtection: boolean;
  TagList: TagShape[];
  BackupTarget: string;
};

const HOSTED_ZONES: Record<string, string> = {
  'us-east-1': 'Z2R2ITUGPM61AM',
  'us-east-2': 'ZTFHVIXEKOAQ',
  'us-west-1': 'Z10WI91S59XXQN',
  'us-west-2': 'Z1PVIF0B656C1W',
  'eu-west-1': 'Z29XKXDKYMONMX',
  'eu-central-1': 'Z1RLNUO7B9Q6NB',
};

const date = (at: EpochMs | undefined): Date | undefined => (at === undefined ? undefined : new Date(at));
const tags = (list: readonly Tag[]): TagShape[] => list.map((t) => ({ Key: t.Key, Value: t.Value }));

/** Creating instances have no endpoint yet, as in RDS. */
const hasEndpoint = (instance: DbInstance): boolean => instance.status !== 'creating';

export function dbInstanceShape(model: RdsModel, instance: DbInstance): DBInstanceShape {
  const replication = instance.replication;
  return {
    DBInstanceIdentifier: instance.id,
    DBInstanceClass: instance.instanceClass,
    Engine: instance.engine,
    EngineVersion: instance.engineVersion,
    DBInstanceStatus: instance.status,
    MasterUsername: instance.masterUsername,
    ...(instance.dbName !== undefined ? { DBName: instance.dbName } : {}),
    ...(hasEndpoint(instance)
      ? { Endpoint: { Address: instance.address, Port: instance.port, HostedZoneId: HOSTED_ZONES[instance.region] ?? 'Z2R2ITUGPM61AM' } }
      : {}),
    AllocatedStorage: instance.allocatedStorage,
    ...(hasEndpoint(instance) ? { InstanceCreateTime: new Date(instance.createdAt) } : {}),
    PreferredBackupWindow: instance.preferredBackupWindow,
    BackupRetentionPeriod: model.backupRetentionOf(instance),
    VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-0' + instance.resourceId.slice(3, 19).toLowerCase(), Status: 'active' }],
    AvailabilityZone: instance.availabilityZone,
    ...(instance.dbSubnetGroupName !== undefined
      ? {
          DBSubnetGroup: {
            DBSubnetGroupName: instance.dbSubnetGroupName,
            DBSubnetGroupDescription: `Subnets of ${instance.clusterId ?? instance.id}`,
            SubnetGroupStatus: 'Complete',
            Subnets: instance.subnets.map((subnet) => ({
              SubnetIdentifier: subnet.id,
              SubnetAvailabilityZone: { Name: subnet.zone },
              SubnetStatus: 'Active',
            })),
          },
        }
      : {}),
    PendingModifiedValues: { ...instance.pending },
    ...(instance.clusterId === undefined ? { LatestRestorableTime: date(model.latestRestorableTime(instance)) } : {}),
    MultiAZ: instance.multiAZ,
    ...(instance.multiAZ && instance.secondaryAvailabilityZone ? { SecondaryAvailabilityZone: instance.secondaryAvailabilityZone } : {}),
    AutoMinorVersionUpgrade: true,
    ...(replication ? { ReadReplicaSourceDBInstanceIdentifier: model.displayRef(instance, replication.sourceArn) } : {}),
    ReadReplicaDBInstanceIdentifiers: instance.replicaArns.map((arn) => model.displayRef(instance, arn)),
    ...(replication
      ? {
          StatusInfos: [
            replication.held
              ? {
                  StatusType: 'read replication',
                  Normal: false,
                  Status: 'error',
                  Message: `Replication from ${replication.sourceRegion} is interrupted: the source is unreachable.`,
                }
              : { StatusType: 'read replication', Normal: true, Status: 'replicating' },
          ],
        }
      : {}),
    StorageType: instance.storageType,
    DbInstancePort: 0,
    ...(instance.clusterId !== undefined ? { DBClusterIdentifier: instance.clusterId, PromotionTier: instance.promotionTier } : {}),
    StorageEncrypted: true,
    DbiResourceId: instance.resourceId,
    CopyTagsToSnapshot: instance.copyTagsToSnapshot,
    DBInstanceArn: instance.arn,
    DeletionProtection: instance.deletionProtection,
    TagList: tags(instance.tags),
    BackupTarget: 'region',
  };
}

export type DBClusterShape = {
  DBClusterIdentifier: string;
  DBClusterArn: string;
  DbClusterResourceId: string;
  Status: string;
  Engine: string;
  EngineVersion: string;
  EngineMode: string;
  Endpoint: string;
  ReaderEndpoint: string;
  Port: number;
  MultiAZ: boolean;
  AvailabilityZones: string[];
  /** The DB subnet group's name only: DescribeDBInstances of a member gives its subnets. */
  DBSubnetGroup?: string;
  AllocatedStorage: number;
  DBClusterInstanceClass?: string;
  BackupRetentionPeriod: number;
  EarliestRestorableTime?: Date;
  LatestRestorableTime?: Date;
  ClusterCreateTime: Date;
  MasterUsername: string;
  DatabaseName?: string;
  DBClusterMembers: { DBInstanceIdentifier: string; IsClusterWriter: boolean; DBClusterParameterGroupStatus: string; PromotionTier: number }[];
  StorageEncrypted: boolean;
  DeletionProtection: boolean;
  TagList: TagShape[];
};

export function dbClusterShape(model: RdsModel, cluster: DbCluster): DBClusterShape {
  return {
    DBClusterIdentifier: cluster.id,
    DBClusterArn: cluster.arn,
    DbClusterResourceId: cluster.resourceId,
    Status: cluster.status,
    Engine: cluster.engine,
    EngineVersion: cluster.engineVersion,
    EngineMode: 'provisioned',
    Endpoint: cluster.endpoint,
    ReaderEndpoint: cluster.readerEndpoint,
    Port: cluster.port,
    MultiAZ: cluster.members.length > 1,
    AvailabilityZones: [...cluster.availabilityZones],
    ...(cluster.dbSubnetGroupName !== undefined ? { DBSubnetGroup: cluster.dbSubnetGroupName } : {}),
    AllocatedStorage: cluster.allocatedStorage,
    ...(cluster.instanceClass !== undefined && cluster.multiAZCluster ? { DBClusterInstanceClass: cluster.instanceClass } : {}),
    BackupRetentionPeriod: cluster.backup.retentionDays,
    EarliestRestorableTime: date(model.clusterEarliestRestorableTime(cluster)),
    LatestRestorableTime: date(model.clusterLatestRestorableTime(cluster)),
    ClusterCreateTime: new Date(cluster.createdAt),
    MasterUsername: cluster.masterUsername,
    ...(cluster.databaseName !== undefined ? { DatabaseName: cluster.databaseName } : {}),
    DBClusterMembers: cluster.members.map((id) => ({
      DBInstanceIdentifier: id,
      IsClusterWriter: id === cluster.writerId,
      DBClusterParameterGroupStatus: 'in-sync',
      PromotionTier: model.findInstance(cluster.region, id)?.promotionTier ?? 1,
    })),
    StorageEncrypted: true,
    DeletionProtection: false,
    TagList: tags(cluster.tags),
  };
}

export type DBSnapshotShape = {
  DBSnapshotIdentifier: string;
  DBInstanceIdentifier: string;
  SnapshotCreateTime?: Date;
  Engine: string;
  AllocatedStorage: number;
  Status: string;
  Port: number;
  AvailabilityZone: string;
  InstanceCreateTime: Date;
  MasterUsername: string;
  EngineVersion: string;
  LicenseModel: string;
  SnapshotType: string;
  PercentProgress: number;
  SourceRegion?: string;
  SourceDBSnapshotIdentifier?: string;
  StorageType: string;
  Encrypted: boolean;
  DBSnapshotArn: string;
  DbiResourceId: string;
  TagList: TagShape[];
  OriginalSnapshotCreateTime: Date;
  SnapshotDatabaseTime: Date;
  SnapshotTarget: string;
};

export function dbSnapshotShape(snapshot: DbSnapshot, status: string = snapshot.status): DBSnapshotShape {
  return {
    DBSnapshotIdentifier: snapshot.id,
    DBInstanceIdentifier: snapshot.instanceId,
    ...(snapshot.status === 'available' ? { SnapshotCreateTime: new Date(snapshot.createdAt) } : {}),
    Engine: snapshot.engine,
    AllocatedStorage: snapshot.allocatedStorage,
    Status: status,
    Port: snapshot.port,
    AvailabilityZone: snapshot.availabilityZone,
    InstanceCreateTime: new Date(snapshot.instanceCreatedAt),
    MasterUsername: snapshot.masterUsername,
    EngineVersion: snapshot.engineVersion,
    LicenseModel: snapshot.engine.startsWith('postgres') ? 'postgresql-license' : 'general-public-license',
    SnapshotType: snapshot.type,
    PercentProgress: snapshot.percentProgress,
    ...(snapshot.sourceRegion !== undefined ? { SourceRegion: snapshot.sourceRegion } : {}),
    ...(snapshot.sourceSnapshotArn !== undefined ? { SourceDBSnapshotIdentifier: snapshot.sourceSnapshotArn } : {}),
    StorageType: snapshot.storageType,
    Encrypted: true,
    DBSnapshotArn: snapshot.arn,
    DbiResourceId: snapshot.resourceId,
    TagList: tags(snapshot.tags),
    OriginalSnapshotCreateTime: new Date(snapshot.originalCreatedAt),
    SnapshotDatabaseTime: new Date(snapshot.originalCreatedAt),
    SnapshotTarget: 'region',
  };
}

export type DBInstanceAutomatedBackupShape = {
  DBInstanceArn: string;
  DbiResourceId: string;
  Region: string;
  DBInstanceIdentifier: string;
  RestoreWindow: { EarliestTime?: Date; LatestTime?: Date };
  AllocatedStorage: number;
  Status: string;
  Port: number;
  AvailabilityZone: string;
  InstanceCreateTime: Date;
  MasterUsername: string;
  Engine: string;
  EngineVersion: string;
  Encrypted: boolean;
  StorageType: string;
  BackupRetentionPeriod: number;
  PreferredBackupWindow: string;
  DBInstanceAutomatedBackupsArn: string;
  BackupTarget: string;
  TagList: TagShape[];
};

export function automatedBackupShape(model: RdsModel, status: 'active' | 'retained', source: PitrSource): DBInstanceAutomatedBackupShape {
  if (source.kind === 'instance') {
    const instance = source.instance;
    return {
      DBInstanceArn: instance.arn,
      DbiResourceId: instance.resourceId,
      Region: instance.region,
      DBInstanceIdentifier: instance.id,
      RestoreWindow: {
        EarliestTime: date(model.earliestRestorableTime(instance)),
        LatestTime: date(model.latestRestorableTime(instance)),
      },
      AllocatedStorage: instance.allocatedStorage,
      Status: status,
      Port: instance.port,
      AvailabilityZone: instance.availabilityZone,
      InstanceCreateTime: new Date(instance.createdAt),
      MasterUsername: instance.masterUsername,
      Engine: instance.engine,
      EngineVersion: instance.engineVersion,
      Encrypted: true,
      StorageType: instance.storageType,
      BackupRetentionPeriod: instance.backup.retentionDays,
      PreferredBackupWindow: instance.preferredBackupWindow,
      DBInstanceAutomatedBackupsArn: instance.backup.arn,
      BackupTarget: 'region',
      TagList: tags(instance.tags),
    };
  }
  const backup = source.backup;
  return {
    DBInstanceArn: backup.instanceArn,
    DbiResourceId: backup.resourceId,
    Region: backup.region,
    DBInstanceIdentifier: backup.instanceId,
    RestoreWindow: {
      EarliestTime: date(earliestRestorableTime(backup.origin, backup.retentionDays, model.clockNow())),
      LatestTime: new Date(backup.latestRestorableTime),
    },
    AllocatedStorage: backup.allocatedStorage,
    Status: status,
    Port: backup.port,
    AvailabilityZone: backup.availabilityZone,
    InstanceCreateTime: new Date(backup.instanceCreatedAt),
    MasterUsername: backup.masterUsername,
    Engine: backup.engine,
    EngineVersion: backup.engineVersion,
    Encrypted: true,
    StorageType: backup.storageType,
    BackupRetentionPeriod: backup.retentionDays,
    PreferredBackupWindow: backup.preferredBackupWindow,
    DBInstanceAutomatedBackupsArn: backup.arn,
    BackupTarget: 'region',
    TagList: tags(backup.tags),
  };
}
