import { createQueryBinding, q, queryOperation, type QueryBinding } from '../../protocols/query.js';
import type { RdsModel } from './model.js';
import { automatedBackupShape, dbClusterShape, dbInstanceShape, dbSnapshotShape } from './shapes.js';

/** RDS's API version and the XML namespace of its responses. */
export const RDS_VERSION = '2014-10-31';
export const RDS_XML_NAMESPACE = `http://rds.amazonaws.com/doc/${RDS_VERSION}/`;

/**
 * The element wrapping each member of an output list, from the SDK's own
 * schema (`@aws-sdk/client-rds`, the authority for what parses;
 * test/rds-wire.test.ts walks it against this table). `Parent.Field` keys
 * are for fields whose member name differs by shape. Lists of plain strings
 * without a name in the schema use `member`.
 */
export const rdsMemberNames: Readonly<Record<string, string>> = {
  DBInstances: 'DBInstance',
  DBClusters: 'DBCluster',
  DBSnapshots: 'DBSnapshot',
  DBInstanceAutomatedBackups: 'DBInstanceAutomatedBackup',
  TagList: 'Tag',
  VpcSecurityGroups: 'VpcSecurityGroupMembership',
  DBSecurityGroups: 'DBSecurityGroup',
  DBParameterGroups: 'DBParameterGroup',
  Subnets: 'Subnet',
  ReadReplicaDBInstanceIdentifiers: 'ReadReplicaDBInstanceIdentifier',
  ReadReplicaDBClusterIdentifiers: 'ReadReplicaDBClusterIdentifier',
  ReadReplicaIdentifiers: 'ReadReplicaIdentifier',
  OptionGroupMemberships: 'OptionGroupMembership',
  'DBInstance.StatusInfos': 'DBInstanceStatusInfo',
  'DBCluster.StatusInfos': 'DBClusterStatusInfo',
  DBClusterMembers: 'DBClusterMember',
  DBClusterOptionGroupMemberships: 'DBClusterOptionGroup',
  AvailabilityZones: 'AvailabilityZone',
  DomainMemberships: 'DomainMembership',
  ProcessorFeatures: 'ProcessorFeature',
  'DBInstance.AssociatedRoles': 'DBInstanceRole',
  'DBCluster.AssociatedRoles': 'DBClusterRole',
  DBInstanceAutomatedBackupsReplications: 'DBInstanceAutomatedBackupsReplication',
};

const tag = q.struct({ Key: q.string(), Value: q.string().optional().default('') });
const tags = q.list(tag).optional();
const filters = q.list(q.struct({ Name: q.string(), Values: q.list(q.string()) })).optional();
const page = { MaxRecords: q.integer().optional(), Marker: q.string().optional() };

const dbInstance = (name: string) => [{ type: 'AWS::RDS::DBInstance', name }];
const dbSnapshot = (name: string) => [{ type: 'AWS::RDS::DBSnapshot', name }];
const dbCluster = (name: string) => [{ type: 'AWS::RDS::DBCluster', name }];

/** One row per operation: name → input schema → model method → output shape. */
export function createRdsBinding(model: RdsModel): QueryBinding {
  return createQueryBinding({
    signingName: 'rds',
    eventSource: 'rds.amazonaws.com',
    xmlNamespace: RDS_XML_NAMESPACE,
    memberNames: rdsMemberNames,
    operations: {
      CreateDBInstance: queryOperation({
        input: q.struct({
          DBInstanceIdentifier: q.string(),
          DBInstanceClass: q.string(),
          Engine: q.string(),
          EngineVersion: q.string().optional(),
          AllocatedStorage: q.integer().optional(),
          StorageType: q.string().optional(),
          MasterUsername: q.string().optional(),
          DBName: q.string().optional(),
          Port: q.integer().optional(),
          MultiAZ: q.boolean().optional(),
          AvailabilityZone: q.string().optional(),
          BackupRetentionPeriod: q.integer().optional(),
          DBSubnetGroupName: q.string().optional(),
          DBClusterIdentifier: q.string().optional(),
          PromotionTier: q.integer().optional(),
          DeletionProtection: q.boolean().optional(),
          CopyTagsToSnapshot: q.boolean().optional(),
          Tags: tags,
        }),
        run: (input, ctx) => ({ DBInstance: dbInstanceShape(model, model.createDBInstance(ctx.region, input)) }),
        resources: (input) => dbInstance(input.DBInstanceIdentifier),
      }),
      DescribeDBInstances: queryOperation({
        input: q.struct({ DBInstanceIdentifier: q.string().optional(), Filters: filters, ...page }),
        run: (input, ctx) => {
          const result = model.describeDBInstances(ctx.region, input);
          return { Marker: result.marker, DBInstances: result.items.map((i) => dbInstanceShape(model, i)) };
        },
      }),
      DeleteDBInstance: queryOperation({
        input: q.struct({
          DBInstanceIdentifier: q.string(),
          SkipFinalSnapshot: q.boolean().optional(),
          FinalDBSnapshotIdentifier: q.string().optional(),
          DeleteAutomatedBackups: q.boolean().optional(),
        }),
        run: (input, ctx) => ({ DBInstance: dbInstanceShape(model, model.deleteDBInstance(ctx.region, input)) }),
        resources: (input) => dbInstance(input.DBInstanceIdentifier),
      }),
      ModifyDBInstance: queryOperation({
        input: q.struct({
          DBInstanceIdentifier: q.string(),
          BackupRetentionPeriod: q.integer().optional(),
          MultiAZ: q.boolean().optional(),
          DBInstanceClass: q.string().optional(),
          ApplyImmediately: q.boolean().optional(),
          DeletionProtection: q.boolean().optional(),
        }),
        run: (input, ctx) => ({ DBInstance: dbInstanceShape(model, model.modifyDBInstance(ctx.region, input)) }),
        resources: (input) => dbInstance(input.DBInstanceIdentifier),
      }),
      RebootDBInstance: queryOperation({
        input: q.struct({ DBInstanceIdentifier: q.string(), ForceFailover: q.boolean().optional() }),
        run: (input, ctx) => ({ DBInstance: dbInstanceShape(model, model.rebootDBInstance(ctx.region, input)) }),
        resources: (input) => dbInstance(input.DBInstanceIdentifier),
      }),
      CreateDBInstanceReadReplica: queryOperation({
        input: q.struct({
          DBInstanceIdentifier: q.string(),
          SourceDBInstanceIdentifier: q.string(),
          DBInstanceClass: q.string().optional(),
          AvailabilityZone: q.string().optional(),
          Port: q.integer().optional(),
          MultiAZ: q.boolean().optional(),
          StorageType: q.string().optional(),
          DBSubnetGroupName: q.string().optional(),
          PreSignedUrl: q.string().optional(),
          KmsKeyId: q.string().optional(),
          DeletionProtection: q.boolean().optional(),
          Tags: tags,
        }),
        run: (input, ctx) => ({ DBInstance: dbInstanceShape(model, model.createDBInstanceReadReplica(ctx.region, input)) }),
        resources: (input) => dbInstance(input.DBInstanceIdentifier),
      }),
      PromoteReadReplica: queryOperation({
        input: q.struct({ DBInstanceIdentifier: q.string(), BackupRetentionPeriod: q.integer().optional() }),
        run: (input, ctx) => ({ DBInstance: dbInstanceShape(model, model.promoteReadReplica(ctx.region, input)) }),
        resources: (input) => dbInstance(input.DBInstanceIdentifier),
      }),
      CreateDBCluster: queryOperation({
        input: q.struct({
          DBClusterIdentifier: q.string(),
          Engine: q.string(),
          EngineVersion: q.string().optional(),
          DBClusterInstanceClass: q.string().optional(),
          AllocatedStorage: q.integer().optional(),
          StorageType: q.string().optional(),
          MasterUsername: q.string().optional(),
          DatabaseName: q.string().optional(),
          Port: q.integer().optional(),
          BackupRetentionPeriod: q.integer().optional(),
          AvailabilityZones: q.list(q.string()).optional(),
          Tags: tags,
        }),
        run: (input, ctx) => ({ DBCluster: dbClusterShape(model, model.createDBCluster(ctx.region, input)) }),
        resources: (input) => dbCluster(input.DBClusterIdentifier),
      }),
      DescribeDBClusters: queryOperation({
        input: q.struct({ DBClusterIdentifier: q.string().optional(), Filters: filters, IncludeShared: q.boolean().optional(), ...page }),
        run: (input, ctx) => {
          const result = model.describeDBClusters(ctx.region, input);
          return { Marker: result.marker, DBClusters: result.items.map((c) => dbClusterShape(model, c)) };
        },
      }),
      FailoverDBCluster: queryOperation({
        input: q.struct({ DBClusterIdentifier: q.string(), TargetDBInstanceIdentifier: q.string().optional() }),
        run: (input, ctx) => ({ DBCluster: dbClusterShape(model, model.failoverDBCluster(ctx.region, input)) }),
        resources: (input) => dbCluster(input.DBClusterIdentifier),
      }),
      CreateDBSnapshot: queryOperation({
        input: q.struct({ DBSnapshotIdentifier: q.string(), DBInstanceIdentifier: q.string(), Tags: tags }),
        run: (input, ctx) => ({ DBSnapshot: dbSnapshotShape(model.createDBSnapshot(ctx.region, input)) }),
        resources: (input) => dbSnapshot(input.DBSnapshotIdentifier),
      }),
      DescribeDBSnapshots: queryOperation({
        input: q.struct({
          DBInstanceIdentifier: q.string().optional(),
          DBSnapshotIdentifier: q.string().optional(),
          SnapshotType: q.string().optional(),
          DbiResourceId: q.string().optional(),
          IncludeShared: q.boolean().optional(),
          IncludePublic: q.boolean().optional(),
          Filters: filters,
          ...page,
        }),
        run: (input, ctx) => {
          const result = model.describeDBSnapshots(ctx.region, input);
          return { Marker: result.marker, DBSnapshots: result.items.map((s) => dbSnapshotShape(s)) };
        },
      }),
      DeleteDBSnapshot: queryOperation({
        input: q.struct({ DBSnapshotIdentifier: q.string() }),
        run: (input, ctx) => ({ DBSnapshot: dbSnapshotShape(model.deleteDBSnapshot(ctx.region, input), 'deleted') }),
        resources: (input) => dbSnapshot(input.DBSnapshotIdentifier),
      }),
      CopyDBSnapshot: queryOperation({
        input: q.struct({
          SourceDBSnapshotIdentifier: q.string(),
          TargetDBSnapshotIdentifier: q.string(),
          KmsKeyId: q.string().optional(),
          PreSignedUrl: q.string().optional(),
          CopyTags: q.boolean().optional(),
          Tags: tags,
        }),
        run: (input, ctx) => ({ DBSnapshot: dbSnapshotShape(model.copyDBSnapshot(ctx.region, input)) }),
        resources: (input) => dbSnapshot(input.TargetDBSnapshotIdentifier),
      }),
      RestoreDBInstanceFromDBSnapshot: queryOperation({
        input: q.struct({
          DBInstanceIdentifier: q.string(),
          DBSnapshotIdentifier: q.string(),
          DBInstanceClass: q.string().optional(),
          Port: q.integer().optional(),
          AvailabilityZone: q.string().optional(),
          MultiAZ: q.boolean().optional(),
          DBSubnetGroupName: q.string().optional(),
          StorageType: q.string().optional(),
          AllocatedStorage: q.integer().optional(),
          BackupRetentionPeriod: q.integer().optional(),
          DeletionProtection: q.boolean().optional(),
          Tags: tags,
        }),
        run: (input, ctx) => ({ DBInstance: dbInstanceShape(model, model.restoreDBInstanceFromDBSnapshot(ctx.region, input)) }),
        resources: (input) => dbInstance(input.DBInstanceIdentifier),
      }),
      RestoreDBInstanceToPointInTime: queryOperation({
        input: q.struct({
          TargetDBInstanceIdentifier: q.string(),
          SourceDBInstanceIdentifier: q.string().optional(),
          SourceDbiResourceId: q.string().optional(),
          SourceDBInstanceAutomatedBackupsArn: q.string().optional(),
          RestoreTime: q.timestamp().optional(),
          UseLatestRestorableTime: q.boolean().optional(),
          DBInstanceClass: q.string().optional(),
          Port: q.integer().optional(),
          AvailabilityZone: q.string().optional(),
          MultiAZ: q.boolean().optional(),
          DBSubnetGroupName: q.string().optional(),
          StorageType: q.string().optional(),
          AllocatedStorage: q.integer().optional(),
          BackupRetentionPeriod: q.integer().optional(),
          DeletionProtection: q.boolean().optional(),
          Tags: tags,
        }),
        run: (input, ctx) => ({ DBInstance: dbInstanceShape(model, model.restoreDBInstanceToPointInTime(ctx.region, input)) }),
        resources: (input) => dbInstance(input.TargetDBInstanceIdentifier),
      }),
      DescribeDBInstanceAutomatedBackups: queryOperation({
        input: q.struct({
          DbiResourceId: q.string().optional(),
          DBInstanceIdentifier: q.string().optional(),
          DBInstanceAutomatedBackupsArn: q.string().optional(),
          Filters: filters,
          ...page,
        }),
        run: (input, ctx) => {
          const result = model.describeDBInstanceAutomatedBackups(ctx.region, input);
          return {
            Marker: result.marker,
            DBInstanceAutomatedBackups: result.items.map((b) => automatedBackupShape(model, b.status, b.source)),
          };
        },
      }),
      AddTagsToResource: queryOperation({
        input: q.struct({ ResourceName: q.string(), Tags: q.list(tag) }),
        run: (input, ctx) => model.addTagsToResource(ctx.region, input),
        resources: (input) => [{ type: 'AWS::RDS::Resource', name: input.ResourceName }],
      }),
      ListTagsForResource: queryOperation({
        input: q.struct({ ResourceName: q.string(), Filters: filters }),
        run: (input, ctx) => ({ TagList: model.listTagsForResource(ctx.region, input).map((t) => ({ Key: t.Key, Value: t.Value })) }),
      }),
      RemoveTagsFromResource: queryOperation({
        input: q.struct({ ResourceName: q.string(), TagKeys: q.list(q.string()) }),
        run: (input, ctx) => model.removeTagsFromResource(ctx.region, input),
        resources: (input) => [{ type: 'AWS::RDS::Resource', name: input.ResourceName }],
      }),
    },
  });
}
