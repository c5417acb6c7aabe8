import type { AwsJsonOutput } from '../../protocols/aws-json.js';
import { GLOBAL_TABLE_VERSION } from './model.js';
import type { PitrWindow } from './recovery.js';
import type { Table } from './table.js';
import type { Backup, ConsumedCapacity, KeySchema, SourceTableDetails } from './types.js';

/** DynamoDB's output shapes, member names as the SDK's schema has them. */

function keySchemaOut(schema: KeySchema): AwsJsonOutput[] {
  return [
    { AttributeName: schema.hash.name, KeyType: 'HASH' },
    ...(schema.range ? [{ AttributeName: schema.range.name, KeyType: 'RANGE' }] : []),
  ];
}

function attributeDefinitionsOut(schema: KeySchema): AwsJsonOutput[] {
  return [
    { AttributeName: schema.hash.name, AttributeType: schema.hash.type },
    ...(schema.range ? [{ AttributeName: schema.range.name, AttributeType: schema.range.type }] : []),
  ];
}

export function tableDescription(table: Table, replicaTable: (region: string) => Table | undefined): AwsJsonOutput {
  const provisioned = table.billingMode === 'PROVISIONED' ? table.provisioned : undefined;
  const group = table.group;
  const replicas = group
    ? [...group.replicas.values()]
        .filter((r) => r.region !== table.region)
        .sort((a, b) => (a.region < b.region ? -1 : 1))
        .map((r) => {
          const regional = replicaTable(r.region);
          return {
            RegionName: r.region,
            ReplicaStatus: r.status,
            ...(regional ? { ReplicaArn: regional.arn } : {}),
          };
        })
    : undefined;
  return {
    AttributeDefinitions: attributeDefinitionsOut(table.keySchema),
    TableName: table.name,
    KeySchema: keySchemaOut(table.keySchema),
    TableStatus: table.status,
    CreationDateTime: new Date(table.createdAt),
    ProvisionedThroughput: {
      NumberOfDecreasesToday: 0,
      ReadCapacityUnits: provisioned?.readCapacityUnits ?? 0,
      WriteCapacityUnits: provisioned?.writeCapacityUnits ?? 0,
    },
    TableSizeBytes: table.store.sizeBytes,
    ItemCount: table.store.itemCount,
    TableArn: table.arn,
    TableId: table.id,
    BillingModeSummary:
      table.billingMode === 'PAY_PER_REQUEST' || table.lastUpdateToPayPerRequest !== undefined
        ? {
            BillingMode: table.billingMode,
            ...(table.lastUpdateToPayPerRequest !== undefined ? { LastUpdateToPayPerRequestDateTime: new Date(table.lastUpdateToPayPerRequest) } : {}),
          }
        : undefined,
    ...(group ? { GlobalTableVersion: GLOBAL_TABLE_VERSION, Replicas: replicas } : {}),
    RestoreSummary: table.restore
      ? {
          SourceBackupArn: table.restore.sourceBackupArn,
          SourceTableArn: table.restore.sourceTableArn,
          RestoreDateTime: new Date(table.restore.restoreDateTime),
          RestoreInProgress: table.restore.inProgress,
        }
      : undefined,
    DeletionProtectionEnabled: table.deletionProtection,
  };
}

export function continuousBackupsOut(window: PitrWindow): AwsJsonOutput {
  return {
    ContinuousBackupsStatus: 'ENABLED',
    PointInTimeRecoveryDescription: {
      PointInTimeRecoveryStatus: window.status,
      RecoveryPeriodInDays: window.recoveryPeriodDays,
      EarliestRestorableDateTime: window.earliest === undefined ? undefined : new Date(window.earliest),
      LatestRestorableDateTime: window.latest === undefined ? undefined : new Date(window.latest),
    },
  };
}

export function backupDetailsOut(backup: Backup): AwsJsonOutput {
  return {
    BackupArn: backup.arn,
    BackupName: backup.name,
    BackupSizeBytes: backup.sizeBytes,
    BackupStatus: backup.status,
    BackupType: backup.type,
    BackupCreationDateTime: new Date(backup.createdAt),
    BackupExpiryDateTime: backup.expiresAt === undefined ? undefined : new Date(backup.expiresAt),
  };
}

function sourceTableOut(source: SourceTableDetails): AwsJsonOutput {
  return {
    TableName: source.tableName,
    TableId: source.tableId,
    TableArn: source.tableArn,
    TableSizeBytes: source.sizeBytes,
    KeySchema: keySchemaOut(source.keySchema),
    TableCreationDateTime: new Date(source.tableCreatedAt),
    ProvisionedThroughput: {
      ReadCapacityUnits: source.billingMode === 'PROVISIONED' ? (source.provisioned?.readCapacityUnits ?? 0) : 0,
      WriteCapacityUnits: source.billingMode === 'PROVISIONED' ? (source.provisioned?.writeCapacityUnits ?? 0) : 0,
    },
    ItemCount: source.itemCount,
    BillingMode: source.billingMode,
  };
}

export function backupDescriptionOut(backup: Backup): AwsJsonOutput {
  return {
    BackupDetails: backupDetailsOut(backup),
    SourceTableDetails: sourceTableOut(backup.source),
    SourceTableFeatureDetails: {},
  };
}

export function backupSummaryOut(backup: Backup): AwsJsonOutput {
  return {
    TableName: backup.source.tableName,
    TableId: backup.source.tableId,
    TableArn: backup.source.tableArn,
    BackupArn: backup.arn,
    BackupName: backup.name,
    BackupCreationDateTime: new Date(backup.createdAt),
    BackupExpiryDateTime: backup.expiresAt === undefined ? undefined : new Date(backup.expiresAt),
    BackupStatus: backup.status,
    BackupType: backup.type,
    BackupSizeBytes: backup.sizeBytes,
  };
}

export function consumedCapacityOut(consumed: ConsumedCapacity): AwsJsonOutput {
  return { TableName: consumed.tableName, CapacityUnits: consumed.capacityUnits };
}
