import type { EpochMs } from '../../../clock/types.js';

/**
 * DynamoDB's data as the model keeps it. Attribute values stay in DynamoDB
 * JSON (`{ "S": "x" }`, binary as base64), with numbers canonicalized
 * (`1.50` → `1.5`) the way DynamoDB returns them.
 */

export type ScalarType = 'S' | 'N' | 'B';
export type AttributeType = ScalarType | 'BOOL' | 'NULL' | 'M' | 'L' | 'SS' | 'NS' | 'BS';

export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { M: AttributeMap }
  | { L: AttributeValue[] }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] };

export type AttributeMap = { [name: string]: AttributeValue };

export interface KeyAttribute {
  name: string;
  type: ScalarType;
}

/** The primary key: a partition (HASH) key and, optionally, a sort (RANGE) key. */
export interface KeySchema {
  hash: KeyAttribute;
  range?: KeyAttribute;
}

export type TableStatus = 'CREATING' | 'UPDATING' | 'DELETING' | 'ACTIVE';
export type BillingMode = 'PROVISIONED' | 'PAY_PER_REQUEST';
export type ReplicaStatus = 'CREATING' | 'ACTIVE' | 'DELETING';

export interface Throughput {
  readCapacityUnits: number;
  writeCapacityUnits: number;
}

/**
 * A write's place in last-writer-wins order: its commit time, then a
 * sim-wide sequence number, so two writes in the same millisecond still
 * have a total, deterministic order (the later call wins everywhere).
 */
export interface VersionStamp {
  at: EpochMs;
  seq: number;
  /** The region whose table accepted the write. */
  region: string;
}

/** One entry of a key's history in one regional table: what the key held from `appliedAt` on. */
export interface ItemVersion {
  /** When this table's copy changed (for a replicated write: when it arrived). */
  appliedAt: EpochMs;
  stamp: VersionStamp;
  /** The item, or null once deleted (a tombstone, kept for last-writer-wins and point-in-time reads). */
  item: AttributeMap | null;
}

export interface PitrState {
  enabled: boolean;
  /** When recovery was last enabled: the window never reaches before it. */
  enabledAt?: EpochMs;
  recoveryPeriodDays: number;
  /** LatestRestorableDateTime trails now by this much. */
  trailMs: number;
}

export interface RestoreInfo {
  sourceTableArn?: string;
  sourceBackupArn?: string;
  restoreDateTime: EpochMs;
  inProgress: boolean;
}

/** A replica that is in the group but may not be serving yet. */
export interface ReplicaState {
  region: string;
  status: ReplicaStatus;
}

/** The regional tables of one global table (version 2019.11.21), by region. */
export interface GlobalTableGroup {
  readonly name: string;
  readonly replicas: Map<string, ReplicaState>;
}

export type BackupStatus = 'CREATING' | 'AVAILABLE' | 'DELETED';
export type BackupType = 'USER' | 'SYSTEM' | 'AWS_BACKUP';

export interface SourceTableDetails {
  tableName: string;
  tableId: string;
  tableArn: string;
  keySchema: KeySchema;
  tableCreatedAt: EpochMs;
  billingMode: BillingMode;
  provisioned?: Throughput;
  itemCount: number;
  sizeBytes: number;
}

export interface Backup {
  arn: string;
  name: string;
  region: string;
  status: BackupStatus;
  type: BackupType;
  createdAt: EpochMs;
  expiresAt?: EpochMs;
  sizeBytes: number;
  /** The items as they were when the backup was taken (never modified: copies and seeded backups share them). */
  items: readonly AttributeMap[];
  source: SourceTableDetails;
}

/** A backup that exists at t = 0 (seeding), taken in the past. */
export interface SeedBackupSpec {
  region: string;
  name: string;
  createdAt: EpochMs;
  /** The table backed up, in `region` (an original). */
  tableName?: string;
  /** The backup copied, by ARN (a copy AWS Backup made into `region`). */
  copyOf?: string;
  /** The ARN to give it: AWS Backup's recovery point ARN for a Backup-managed backup; DynamoDB's own otherwise. */
  arn?: string;
  type?: BackupType;
}

/** A write on its way from one regional table to another. */
export interface ReplicationRecord {
  table: string;
  from: string;
  to: string;
  /** The item's key, encoded (see `encodeKey`). */
  key: string;
  stamp: VersionStamp;
  item: AttributeMap | null;
  /** When it would arrive if nothing held it up. */
  dueAt: EpochMs;
}

/** What the environment loader says exists at t = 0 (DESIGN §6, Seeding). */
export interface SeedTableSpec {
  name: string;
  region: string;
  /** Partition key, and sort key if any. */
  key: { hash: KeyAttribute; range?: KeyAttribute };
  billingMode?: BillingMode;
  provisioned?: Throughput;
  /** When the table was created; a year before now unless given. */
  createdAt?: EpochMs;
  /** Point-in-time recovery, on since creation (so the window reaches back 35 days, or to creation). Default true. */
  pitr?: boolean;
  /** Other regions holding a replica (a global table, version 2019.11.21), in sync at t = 0. */
  replicaRegions?: string[];
  /** Items present since creation, in DynamoDB JSON. */
  items?: AttributeMap[];
  tags?: Record<string, string>;
  /**
   * How big the production table this one stands for is, for size-dependent
   * durations (restore, adding a replica); the seeded items' own size otherwise.
   */
  nominalSizeBytes?: number;
  deletionProtection?: boolean;
}

// ---- operation inputs, as the binding reads them off the wire ----------------

export interface CreateTableInput {
  tableName: string;
  attributeDefinitions: { name: string; type: string }[];
  keySchema: { name: string; keyType: string }[];
  billingMode?: string;
  provisioned?: Throughput;
  tags?: { key: string; value: string }[];
  deletionProtection?: boolean;
  /** Secondary indexes asked for; the sim does not model them and says so. */
  secondaryIndexes?: boolean;
}

export type ReplicaUpdate = { create: string } | { delete: string };

export interface UpdateTableInput {
  tableName: string;
  billingMode?: string;
  provisioned?: Throughput;
  deletionProtection?: boolean;
  replicaUpdates?: ReplicaUpdate[];
  attributeDefinitions?: { name: string; type: string }[];
}

export interface ExpressionInput {
  expressionAttributeNames?: Record<string, string>;
  expressionAttributeValues?: AttributeMap;
  returnConsumedCapacity?: string;
}

export interface PutItemInput extends ExpressionInput {
  tableName: string;
  item: AttributeMap;
  conditionExpression?: string;
  returnValues?: string;
  returnValuesOnConditionCheckFailure?: string;
}

export interface GetItemInput extends ExpressionInput {
  tableName: string;
  key: AttributeMap;
  consistentRead?: boolean;
  projectionExpression?: string;
  attributesToGet?: string[];
}

export interface DeleteItemInput extends ExpressionInput {
  tableName: string;
  key: AttributeMap;
  conditionExpression?: string;
  returnValues?: string;
  returnValuesOnConditionCheckFailure?: string;
}

export interface UpdateItemInput extends ExpressionInput {
  tableName: string;
  key: AttributeMap;
  updateExpression?: string;
  conditionExpression?: string;
  returnValues?: string;
  returnValuesOnConditionCheckFailure?: string;
}

export interface ReadInput extends ExpressionInput {
  tableName: string;
  indexName?: string;
  filterExpression?: string;
  projectionExpression?: string;
  attributesToGet?: string[];
  select?: string;
  limit?: number;
  exclusiveStartKey?: AttributeMap;
  consistentRead?: boolean;
}

export interface QueryInput extends ReadInput {
  keyConditionExpression?: string;
  scanIndexForward?: boolean;
}

export interface ScanInput extends ReadInput {
  segment?: number;
  totalSegments?: number;
}

export type WriteRequest = { put: AttributeMap } | { delete: AttributeMap };

export interface BatchWriteItemInput {
  requestItems: Record<string, WriteRequest[]>;
  returnConsumedCapacity?: string;
}

export interface BatchGetItemInput {
  requestItems: Record<
    string,
    {
      keys: AttributeMap[];
      projectionExpression?: string;
      expressionAttributeNames?: Record<string, string>;
      attributesToGet?: string[];
      consistentRead?: boolean;
    }
  >;
  returnConsumedCapacity?: string;
}

export interface ConsumedCapacity {
  tableName: string;
  capacityUnits: number;
  readCapacityUnits?: number;
  writeCapacityUnits?: number;
}

export interface RestoreTableToPointInTimeInput {
  targetTableName: string;
  sourceTableName?: string;
  sourceTableArn?: string;
  restoreDateTime?: EpochMs;
  useLatestRestorableTime?: boolean;
  billingModeOverride?: string;
  provisionedThroughputOverride?: Throughput;
}

export interface RestoreTableFromBackupInput {
  targetTableName: string;
  backupArn: string;
  billingModeOverride?: string;
  provisionedThroughputOverride?: Throughput;
}

export interface ListBackupsInput {
  tableName?: string;
  limit?: number;
  timeRangeLowerBound?: EpochMs;
  timeRangeUpperBound?: EpochMs;
  exclusiveStartBackupArn?: string;
  backupType?: string;
}
