import type { EpochMs } from '../../../clock/types.js';
import { cloneItem, itemSize } from './attribute-values.js';
import { dynamoErrors } from './errors.js';
import { checkTableName, PITR_MAX_DAYS, type DynamoDbModel } from './model.js';
import { isServing, type Table } from './table.js';
import type {
  AttributeMap,
  Backup,
  BackupType,
  BillingMode,
  ListBackupsInput,
  RestoreTableFromBackupInput,
  RestoreTableToPointInTimeInput,
  SeedBackupSpec,
  Throughput,
} from './types.js';

/**
 * Point-in-time recovery and on-demand backups. A regional table keeps every
 * key's history, so a restore to any second inside the window rebuilds
 * exactly the items the table held then; a backup keeps the items as they
 * were when it was taken.
 */

const DAY = 86_400_000;

export interface PitrWindow {
  status: 'ENABLED' | 'DISABLED';
  recoveryPeriodDays?: number;
  earliest?: EpochMs;
  latest?: EpochMs;
}

/**
 * The restorable window: from when recovery was enabled (or the table was
 * created, or the recovery period ago, whichever is latest) to
 * LatestRestorableDateTime, which trails now by `dynamodb.pitr.trail`.
 */
export function pitrWindow(model: DynamoDbModel, table: Table): PitrWindow {
  if (!table.pitr.enabled) return { status: 'DISABLED' };
  const now = model.now();
  const earliest = Math.max(table.pitr.enabledAt ?? table.createdAt, table.createdAt, now - table.pitr.recoveryPeriodDays * DAY);
  const latest = Math.max(earliest, now - table.pitr.trailMs);
  return { status: 'ENABLED', recoveryPeriodDays: table.pitr.recoveryPeriodDays, earliest, latest };
}

function backupTable(model: DynamoDbModel, region: string, name: string): Table {
  checkTableName(name);
  const table = model.tableIn(region, name);
  if (!table) throw dynamoErrors.tableNotFound(name);
  return table;
}

export function describeContinuousBackups(model: DynamoDbModel, region: string, name: string): PitrWindow {
  return pitrWindow(model, backupTable(model, region, name));
}

export function updateContinuousBackups(
  model: DynamoDbModel,
  region: string,
  name: string,
  spec: { enabled: boolean; recoveryPeriodDays?: number },
): PitrWindow {
  const table = backupTable(model, region, name);
  if (table.status === 'CREATING') throw dynamoErrors.continuousBackupsUnavailable(name);
  const days = spec.recoveryPeriodDays;
  if (days !== undefined) {
    if (!spec.enabled) throw dynamoErrors.invalidParameters('RecoveryPeriodInDays can only be specified when PointInTimeRecoveryEnabled is true');
    if (days < 1 || days > PITR_MAX_DAYS) {
      throw dynamoErrors.constraint(
        'PointInTimeRecoverySpecification.RecoveryPeriodInDays',
        `Member must have value between 1 and ${PITR_MAX_DAYS}`,
        days,
      );
    }
  }
  const was = table.pitr.enabled;
  if (spec.enabled) {
    table.pitr = {
      ...table.pitr,
      enabled: true,
      enabledAt: was ? table.pitr.enabledAt! : model.now(),
      recoveryPeriodDays: days ?? table.pitr.recoveryPeriodDays,
    };
  } else {
    // Turning recovery off discards the window: turned on again, it starts afresh.
    const { enabledAt: _dropped, ...rest } = table.pitr;
    table.pitr = { ...rest, enabled: false };
  }
  if (was !== spec.enabled || days !== undefined) {
    model.world.emit('dynamodb.pitr.status', {
      region,
      table: name,
      arn: table.arn,
      enabled: spec.enabled,
      recoveryPeriodDays: table.pitr.recoveryPeriodDays,
    });
  }
  return pitrWindow(model, table);
}

function billingOf(
  source: { billingMode: BillingMode; provisioned?: Throughput },
  override?: string,
  throughput?: Throughput,
): { billingMode: BillingMode; provisioned?: Throughput } {
  const mode = override ?? source.billingMode;
  if (mode !== 'PROVISIONED' && mode !== 'PAY_PER_REQUEST') {
    throw dynamoErrors.constraint('BillingModeOverride', 'Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]', mode);
  }
  if (mode === 'PAY_PER_REQUEST') {
    if (throughput) {
      throw dynamoErrors.invalidParameters('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
    }
    return { billingMode: mode };
  }
  const provisioned = throughput ?? source.provisioned;
  if (!provisioned) {
    throw dynamoErrors.invalidParameters('ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
  }
  return { billingMode: mode, provisioned };
}

const iso = (ms: EpochMs) => new Date(ms).toISOString();

export function restoreTableToPointInTime(model: DynamoDbModel, region: string, input: RestoreTableToPointInTimeInput): Table {
  checkTableName(input.targetTableName, 'TargetTableName');
  if (input.sourceTableArn === undefined && input.sourceTableName === undefined) {
    throw dynamoErrors.validation('Either SourceTableArn or SourceTableName must be specified');
  }
  if (input.sourceTableArn !== undefined && input.sourceTableName !== undefined) {
    throw dynamoErrors.validation('Only one of SourceTableArn or SourceTableName can be specified');
  }
  let source: Table | undefined;
  if (input.sourceTableName !== undefined) {
    checkTableName(input.sourceTableName, 'SourceTableName');
    source = model.tableIn(region, input.sourceTableName);
    if (!source) throw dynamoErrors.tableNotFound(input.sourceTableName);
  } else {
    // A source ARN in another region is a cross-region restore into this one.
    source = model.tableByArn(input.sourceTableArn!);
    if (!source) throw dynamoErrors.tableNotFound(input.sourceTableArn!);
  }
  if (model.tableIn(region, input.targetTableName)) throw dynamoErrors.tableAlreadyExists(input.targetTableName);
  const useLatest = input.useLatestRestorableTime ?? false;
  if (useLatest && input.restoreDateTime !== undefined) {
    throw dynamoErrors.validation('Only one of RestoreDateTime or UseLatestRestorableTime can be specified');
  }
  if (!useLatest && input.restoreDateTime === undefined) {
    throw dynamoErrors.validation('RestoreDateTime must be specified when UseLatestRestorableTime is not true');
  }
  const window = pitrWindow(model, source);
  if (window.status !== 'ENABLED') throw dynamoErrors.pointInTimeRecoveryUnavailable(source.name);
  const at = useLatest ? window.latest! : input.restoreDateTime!;
  if (at < window.earliest! || at > window.latest!) {
    throw dynamoErrors.invalidRestoreTime(
      `Restore time ${iso(at)} is not within the restorable window of table ${source.name}: earliest restorable time ${iso(window.earliest!)}, latest restorable time ${iso(window.latest!)}`,
    );
  }
  const billing = billingOf(source, input.billingModeOverride, input.provisionedThroughputOverride);
  return model.createRestoredTable(region, {
    name: input.targetTableName,
    keySchema: source.keySchema,
    ...billing,
    items: source.store.asOf(at),
    restore: { sourceTableArn: source.arn, restoreDateTime: at },
    ...(source.nominalSizeBytes !== undefined ? { nominalSizeBytes: source.nominalSizeBytes } : {}),
  });
}

// ---- on-demand backups -------------------------------------------------------------

const backupNamePattern = /^[a-zA-Z0-9_.-]+$/;

/**
 * An on-demand backup of the table as it is now, AVAILABLE after the
 * calibrated time. `options.arn`: AWS Backup with its advanced DynamoDB
 * features names the backup itself (its recovery point ARN,
 * `arn:aws:backup:…:recovery-point:…`); otherwise DynamoDB does.
 */
export function createBackup(
  model: DynamoDbModel,
  region: string,
  tableName: string,
  backupName: string,
  type: BackupType = 'USER',
  options: { arn?: string } = {},
): Backup {
  checkBackupName(backupName);
  const table = backupTable(model, region, tableName);
  if (!isServing(table)) {
    if (table.status === 'CREATING') throw dynamoErrors.continuousBackupsUnavailable(tableName);
    throw dynamoErrors.tableInUse(`Table is being deleted: ${tableName}`);
  }
  const now = model.now();
  const backup = backupOf(model, table, {
    arn: options.arn ?? backupArnOf(model, table, now),
    name: backupName,
    region,
    type,
    createdAt: now,
    items: table.store.scanOrder().map((item) => cloneItem(item)),
    status: 'CREATING',
  });
  model.backups.set(backup.arn, backup);
  model.world.emit('dynamodb.backup.status', { region, arn: backup.arn, table: tableName, name: backupName, status: 'CREATING', items: backup.items.length });
  becomeAvailable(model, backup, model.world.duration('dynamodb.backup.create', table.rng));
  return backup;
}

/** DynamoDB's backup ARNs: the creation time in 14-digit epoch milliseconds, then a random suffix. */
function backupArnOf(model: DynamoDbModel, table: Table, at: EpochMs): string {
  return `${table.arn}/backup/${String(at).padStart(14, '0')}-${model.hexSuffix()}`;
}

function checkBackupName(backupName: string): void {
  if (backupName.length < 3) throw dynamoErrors.constraint('BackupName', 'Member must have length greater than or equal to 3', backupName);
  if (backupName.length > 255) throw dynamoErrors.constraint('BackupName', 'Member must have length less than or equal to 255', backupName);
  if (!backupNamePattern.test(backupName)) {
    throw dynamoErrors.constraint('BackupName', 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+', backupName);
  }
}

/** A backup of `table` holding `items`, with the table's details as they stand. */
function backupOf(
  model: DynamoDbModel,
  table: Table,
  spec: {
    arn: string;
    name: string;
    region: string;
    type: BackupType;
    createdAt: EpochMs;
    items: readonly AttributeMap[];
    sizeBytes?: number;
    status: 'CREATING' | 'AVAILABLE';
  },
): Backup {
  const sizeBytes = spec.sizeBytes ?? spec.items.reduce((sum, item) => sum + itemSize(item), 0);
  return {
    arn: spec.arn,
    name: spec.name,
    region: spec.region,
    status: spec.status,
    type: spec.type,
    createdAt: spec.createdAt,
    sizeBytes,
    items: spec.items,
    source: {
      tableName: table.name,
      tableId: table.id,
      tableArn: table.arn,
      keySchema: table.keySchema,
      tableCreatedAt: table.createdAt,
      billingMode: table.billingMode,
      ...(table.provisioned ? { provisioned: { ...table.provisioned } } : {}),
      itemCount: spec.items.length,
      sizeBytes,
    },
  };
}

function becomeAvailable(model: DynamoDbModel, backup: Backup, afterMs: number, ready: () => boolean = () => true): void {
  const finish = (): void => {
    if (backup.status !== 'CREATING') return;
    // A copy waits for the network between its regions; it looks again a minute later.
    if (!ready()) {
      model.world.clock.schedule(model.now() + 60_000, finish, `dynamodb backup ${backup.name}: waits for its source region`);
      return;
    }
    backup.status = 'AVAILABLE';
    model.world.emit('dynamodb.backup.status', { region: backup.region, arn: backup.arn, table: backup.source.tableName, name: backup.name, status: 'AVAILABLE' });
  };
  model.world.clock.schedule(model.now() + afterMs, finish, `dynamodb backup ${backup.name}`);
}

/**
 * AWS Backup copying one of its (Backup-managed) DynamoDB backups to
 * another region, under the ARN of the destination recovery point. The copy
 * holds the source's items and becomes AVAILABLE once the data has crossed
 * (the calibrated backup time; the network between the regions must be up).
 */
export function copyBackup(model: DynamoDbModel, sourceArn: string, destinationRegion: string, spec: { arn: string; name: string }): Backup {
  const source = model.backups.get(sourceArn);
  if (!source || source.status === 'DELETED') throw dynamoErrors.backupNotFound(sourceArn);
  if (source.status !== 'AVAILABLE') throw dynamoErrors.backupInUse(`Backup is being created: ${sourceArn}`);
  const copy: Backup = { ...source, arn: spec.arn, name: spec.name, region: destinationRegion, status: 'CREATING', createdAt: model.now() };
  model.backups.set(copy.arn, copy);
  model.world.emit('dynamodb.backup.status', {
    region: destinationRegion,
    arn: copy.arn,
    table: copy.source.tableName,
    name: copy.name,
    status: 'CREATING',
    copyOf: sourceArn,
  });
  const rng = model.world.rng.fork(`dynamodb:backup-copy:${copy.arn}`);
  // No calibrated figure of its own yet: a copy takes what a backup of the same table takes.
  becomeAvailable(model, copy, model.world.duration('dynamodb.backup.create', rng), () => model.world.faults.isLinkUp(source.region, destinationRegion));
  return copy;
}

/**
 * A backup that exists at t = 0 (seeding AWS Backup's history): AVAILABLE,
 * taken at `createdAt` with the items the table held then, or a copy in
 * another region of a backup seeded before it (`copyOf`). Nothing goes on
 * the clock.
 */
export function seedBackup(model: DynamoDbModel, spec: SeedBackupSpec): Backup {
  if (spec.createdAt > model.now()) throw new Error(`seedBackup ${spec.name}: createdAt lies in the future`);
  checkBackupName(spec.name);
  let backup: Backup;
  if (spec.copyOf !== undefined) {
    const source = model.backups.get(spec.copyOf);
    if (!source || source.status !== 'AVAILABLE') throw new Error(`seedBackup ${spec.name}: no available backup ${spec.copyOf} to copy`);
    if (spec.arn === undefined) throw new Error(`seedBackup ${spec.name}: a copy needs the ARN AWS Backup gives it`);
    backup = { ...source, arn: spec.arn, name: spec.name, region: spec.region, createdAt: spec.createdAt };
  } else {
    const table = model.tableIn(spec.region, spec.tableName ?? '');
    if (!table) throw new Error(`seedBackup ${spec.name}: no table ${spec.tableName} in ${spec.region}`);
    if (spec.createdAt < table.createdAt) throw new Error(`seedBackup ${spec.name}: table ${table.name} did not exist yet at ${iso(spec.createdAt)}`);
    // Seeding makes a week or more of backups per table: they share the store's items rather than copy them.
    const { items, sizeBytes } = table.store.sharedAsOf(spec.createdAt);
    backup = backupOf(model, table, {
      arn: spec.arn ?? backupArnOf(model, table, spec.createdAt),
      name: spec.name,
      region: spec.region,
      type: spec.type ?? 'USER',
      createdAt: spec.createdAt,
      items,
      sizeBytes,
      status: 'AVAILABLE',
    });
  }
  model.backups.set(backup.arn, backup);
  model.world.emit('dynamodb.backup.status', {
    region: backup.region,
    arn: backup.arn,
    table: backup.source.tableName,
    name: backup.name,
    status: 'AVAILABLE',
    seeded: true,
    createdAt: backup.createdAt,
  });
  return backup;
}

export function findBackup(model: DynamoDbModel, region: string, arn: string): Backup {
  if (arn.length < 37) throw dynamoErrors.constraint('BackupArn', 'Member must have length greater than or equal to 37', arn);
  const backup = model.backups.get(arn);
  if (!backup || backup.region !== region || backup.status === 'DELETED') throw dynamoErrors.backupNotFound(arn);
  return backup;
}

export function listBackups(model: DynamoDbModel, region: string, input: ListBackupsInput): { backups: Backup[]; lastEvaluatedArn?: string } {
  const limit = input.limit ?? 100;
  if (limit < 1) throw dynamoErrors.constraint('Limit', 'Member must have value greater than or equal to 1', limit);
  if (limit > 100) throw dynamoErrors.constraint('Limit', 'Member must have value less than or equal to 100', limit);
  const type = input.backupType ?? 'USER';
  if (!['USER', 'SYSTEM', 'AWS_BACKUP', 'ALL'].includes(type)) {
    throw dynamoErrors.constraint('BackupType', 'Member must satisfy enum value set: [USER, SYSTEM, AWS_BACKUP, ALL]', type);
  }
  if (input.tableName !== undefined) checkTableName(input.tableName);
  const { timeRangeLowerBound: lower, timeRangeUpperBound: upper } = input;
  if (lower !== undefined && upper !== undefined && lower > upper) {
    throw dynamoErrors.validation('TimeRangeUpperBound must be greater than TimeRangeLowerBound');
  }
  let backups = [...model.backups.values()]
    .filter((b) => b.region === region && b.status !== 'DELETED')
    .filter((b) => input.tableName === undefined || b.source.tableName === input.tableName)
    .filter((b) => type === 'ALL' || b.type === type)
    .filter((b) => (lower === undefined || b.createdAt >= lower) && (upper === undefined || b.createdAt < upper))
    .sort((a, b) => a.createdAt - b.createdAt || (a.arn < b.arn ? -1 : 1));
  if (input.exclusiveStartBackupArn !== undefined) {
    const at = backups.findIndex((b) => b.arn === input.exclusiveStartBackupArn);
    if (at < 0) throw dynamoErrors.validation(`Invalid ExclusiveStartBackupArn: ${input.exclusiveStartBackupArn}`);
    backups = backups.slice(at + 1);
  }
  const page = backups.slice(0, limit);
  return backups.length > limit ? { backups: page, lastEvaluatedArn: page[page.length - 1]!.arn } : { backups: page };
}

export function deleteBackup(model: DynamoDbModel, region: string, arn: string): Backup {
  const backup = findBackup(model, region, arn);
  if (backup.status === 'CREATING') throw dynamoErrors.backupInUse(`Backup is being created: ${arn}`);
  backup.status = 'DELETED';
  model.backups.delete(arn);
  model.world.emit('dynamodb.backup.status', { region, arn, table: backup.source.tableName, name: backup.name, status: 'DELETED' });
  return backup;
}

export function restoreTableFromBackup(model: DynamoDbModel, region: string, input: RestoreTableFromBackupInput): Table {
  checkTableName(input.targetTableName, 'TargetTableName');
  const backup = findBackup(model, region, input.backupArn);
  if (backup.status !== 'AVAILABLE') throw dynamoErrors.backupInUse(`Backup is being created: ${backup.arn}`);
  if (model.tableIn(region, input.targetTableName)) throw dynamoErrors.tableAlreadyExists(input.targetTableName);
  const billing = billingOf(backup.source, input.billingModeOverride, input.provisionedThroughputOverride);
  const source = model.tableIn(region, backup.source.tableName);
  return model.createRestoredTable(region, {
    name: input.targetTableName,
    keySchema: backup.source.keySchema,
    ...billing,
    items: backup.items,
    restore: { sourceBackupArn: backup.arn, sourceTableArn: backup.source.tableArn, restoreDateTime: backup.createdAt },
    nominalSizeBytes: Math.max(backup.sizeBytes, source?.nominalSizeBytes ?? 0),
  });
}
