import {
  BackupClient,
  DescribeRegionSettingsCommand,
  DescribeRestoreJobCommand,
  ListCopyJobsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  StartRestoreJobCommand,
  type RecoveryPointByBackupVault,
} from '@aws-sdk/client-backup';
import { DescribeTableCommand, DynamoDBClient, GetItemCommand, ListBackupsCommand, PutItemCommand, RestoreTableFromBackupCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DescribeDBInstancesCommand, DescribeDBSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSimulator, requireSimEnvironment, SIM_START } from '../src/aws/sim-target.js';
import { VirtualClock } from '../src/clock/index.js';
import { loadEnvironment, type SimEnvironment } from '../src/env/index.js';
import { defaultCalibration, longestSeconds } from '../src/sim/calibration.js';
import { createSimulator, simClientConfig, type Simulator } from '../src/sim/index.js';
import { createBackupModule, type BackupModule } from '../src/sim/services/backup/index.js';
import { createDynamoDbModule, type DynamoDbModule } from '../src/sim/services/dynamodb/index.js';
import { createEc2Module, type Ec2Module } from '../src/sim/services/ec2/index.js';
import { createRdsModule, type RdsModule } from '../src/sim/services/rds/index.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { SECOND, MINUTE, HOUR, DAY, ACCOUNT, EAST, WEST, ROLE } from './support/backup.js';

/**
 * AWS Backup's history at t = 0 (DESIGN §6, Seeding): a daily plan with a
 * week's retention has left one recovery point per protected resource per
 * day, RDS and DynamoDB as well as EBS, each a real snapshot or backup in
 * its service dated in the past, copied to the DR region, and restorable.
 */

const ORDERS_ARN = `arn:aws:rds:${EAST}:${ACCOUNT}:db:securecart-orders`;
const HISTORY_ARN = `arn:aws:dynamodb:${EAST}:${ACCOUNT}:table/securecart-order-history`;
const VOLUME_ARN = `arn:aws:ec2:${EAST}:${ACCOUNT}:volume/vol-0e1a000000000b001`;
const EAST_VAULT = `arn:aws:backup:${EAST}:${ACCOUNT}:backup-vault:securecart-vault`;
/** The daily 05:00 UTC runs of the last week, oldest first: the game day starts on 5 January at 09:00. */
const RUNS = Array.from({ length: 7 }, (_, i) => Date.UTC(2025, 11, 30 + i, 5));

let env: SimEnvironment;
beforeAll(async () => {
  env = requireSimEnvironment(await loadEnvironment('scenarios/environments/securecart.yaml'));
});

async function until(clock: VirtualClock, done: () => Promise<boolean>, stepMs = MINUTE, limitMs = 3 * HOUR): Promise<void> {
  const from = clock.now();
  while (!(await done())) {
    if (clock.now() - from > limitMs) throw new Error('condition not reached in time');
    await clock.advance(stepMs);
  }
}

const creation = (points: RecoveryPointByBackupVault[]) => points.map((p) => p.CreationDate!.getTime()).sort((a, b) => a - b);
const oldestFirst = (points: RecoveryPointByBackupVault[]) => [...points].sort((a, b) => a.CreationDate!.getTime() - b.CreationDate!.getTime());

describe.each(transports)('AWS Backup history seeded at t = 0 over the %s transport', (transport) => {
  const via: TransportHarness = useTransport(transport);

  async function secureCart() {
    const clock = new VirtualClock({ start: SIM_START });
    const sim = buildSimulator({ clock, seed: 42, env });
    const client = async <T>(make: new (config: never) => T, region: string): Promise<T> => new make((await via.config(sim, clock, region)) as never);
    return {
      clock,
      sim,
      backupEast: await client(BackupClient, EAST),
      backupWest: await client(BackupClient, WEST),
      rdsEast: await client(RDSClient, EAST),
      rdsWest: await client(RDSClient, WEST),
      ddbEast: await client(DynamoDBClient, EAST),
      ddbWest: await client(DynamoDBClient, WEST),
    };
  }

  async function points(client: BackupClient, vault: string): Promise<RecoveryPointByBackupVault[]> {
    return (await client.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: vault }))).RecoveryPoints ?? [];
  }

  it('securecart-daily has left one recovery point per protected resource per day, each copied to us-west-2', async () => {
    const { backupEast, backupWest } = await secureCart();
    const east = await points(backupEast, 'securecart-vault');
    const west = await points(backupWest, 'securecart-vault-dr');
    for (const [type, arn] of [
      ['RDS', ORDERS_ARN],
      ['DynamoDB', HISTORY_ARN],
      ['EBS', VOLUME_ARN],
    ] as const) {
      const primary = east.filter((p) => p.ResourceArn === arn);
      const copies = west.filter((p) => p.ResourceArn === arn);
      expect(primary.map((p) => p.ResourceType)).toEqual(Array(7).fill(type));
      expect(creation(primary), type).toEqual(RUNS);
      // Each copy is made once its source completed, a few minutes after the run.
      expect(copies).toHaveLength(7);
      creation(copies).forEach((at, day) => expect(at - RUNS[day]!).toBeGreaterThan(0));
      creation(copies).forEach((at, day) => expect(at - RUNS[day]!).toBeLessThan(HOUR));
      for (const point of [...primary, ...copies]) {
        expect(point.Status).toBe('COMPLETED');
        expect(point.CompletionDate!.getTime()).toBeGreaterThan(point.CreationDate!.getTime());
        expect(point.CompletionDate!.getTime()).toBeLessThanOrEqual(SIM_START);
        expect(point.CreatedBy).toMatchObject({ BackupPlanName: 'securecart-daily', BackupRuleName: 'daily' });
      }
      for (const point of primary) {
        expect(point.Lifecycle).toEqual({ DeleteAfterDays: 7 });
        expect(point.CalculatedLifecycle?.DeleteAt?.getTime()).toBe(point.CreationDate!.getTime() + 7 * DAY);
      }
      expect(copies.every((p) => p.SourceBackupVaultArn === EAST_VAULT)).toBe(true);
    }
    expect(east).toHaveLength(21);
    expect(west).toHaveLength(21);
    // RDS recovery points are the snapshots AWS Backup names; DynamoDB's are Backup's own (advanced DynamoDB backups).
    const ofType = (list: RecoveryPointByBackupVault[], type: string) => list.filter((p) => p.ResourceType === type).map((p) => p.RecoveryPointArn!);
    for (const arn of ofType(east, 'RDS')) expect(arn).toMatch(/^arn:aws:rds:us-east-1:123456789012:snapshot:awsbackup:job-[0-9a-f-]{36}$/);
    for (const arn of ofType(west, 'RDS')) expect(arn).toMatch(/^arn:aws:rds:us-west-2:123456789012:snapshot:awsbackup:copyjob-[0-9a-f-]{36}$/);
    for (const arn of ofType(east, 'DynamoDB')) expect(arn).toMatch(/^arn:aws:backup:us-east-1:123456789012:recovery-point:[0-9A-F-]{36}$/);
    for (const arn of ofType(west, 'DynamoDB')) expect(arn).toMatch(/^arn:aws:backup:us-west-2:123456789012:recovery-point:[0-9A-F-]{36}$/);
    const copyJobs = (await backupEast.send(new ListCopyJobsCommand({ ByState: 'COMPLETED' }))).CopyJobs ?? [];
    expect(copyJobs).toHaveLength(21);
  });

  it('the history is in RDS and DynamoDB themselves, dated in the past, and the plan’s region uses advanced DynamoDB backups', async () => {
    const { backupEast, backupWest, rdsEast, rdsWest, ddbEast, ddbWest } = await secureCart();
    const east = (await rdsEast.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: 'securecart-orders', SnapshotType: 'awsbackup' }))).DBSnapshots ?? [];
    expect(east).toHaveLength(7);
    const eastPoints = (await points(backupEast, 'securecart-vault')).filter((p) => p.ResourceType === 'RDS');
    for (const snapshot of east) {
      expect(snapshot).toMatchObject({ Status: 'available', SnapshotType: 'awsbackup', PercentProgress: 100, DBInstanceIdentifier: 'securecart-orders' });
      expect(snapshot.DBSnapshotIdentifier).toMatch(/^awsbackup:job-/);
      const point = eastPoints.find((p) => p.RecoveryPointArn === snapshot.DBSnapshotArn)!;
      // The snapshot begins once the job has started, within its first minutes (backup.job.start, slow tail included).
      expect(snapshot.SnapshotCreateTime!.getTime() - point.CreationDate!.getTime()).toBeGreaterThan(0);
      expect(snapshot.SnapshotCreateTime!.getTime() - point.CreationDate!.getTime()).toBeLessThanOrEqual(longestSeconds(defaultCalibration['backup.job.start']) * SECOND);
    }
    const west = (await rdsWest.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'awsbackup' }))).DBSnapshots ?? [];
    expect(west).toHaveLength(7);
    expect(west.every((s) => s.SourceRegion === EAST && s.DBSnapshotIdentifier!.startsWith('awsbackup:copyjob-'))).toBe(true);
    expect(west.every((s) => s.SnapshotCreateTime!.getTime() < SIM_START)).toBe(true);
    // Backup's snapshots are neither manual nor automated ones.
    expect((await rdsEast.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: 'securecart-orders', SnapshotType: 'manual' }))).DBSnapshots).toEqual([]);

    const listed = (await ddbEast.send(new ListBackupsCommand({ TableName: 'securecart-order-history', BackupType: 'AWS_BACKUP' }))).BackupSummaries ?? [];
    expect(listed).toHaveLength(7);
    const ddbPoints = (await points(backupEast, 'securecart-vault')).filter((p) => p.ResourceType === 'DynamoDB');
    expect(listed.map((b) => b.BackupArn).sort()).toEqual(ddbPoints.map((p) => p.RecoveryPointArn).sort());
    expect(listed.every((b) => b.BackupStatus === 'AVAILABLE' && b.BackupCreationDateTime!.getTime() < SIM_START)).toBe(true);
    expect((await ddbWest.send(new ListBackupsCommand({ BackupType: 'AWS_BACKUP' }))).BackupSummaries).toHaveLength(7);

    const settings = await backupEast.send(new DescribeRegionSettingsCommand({}));
    expect(settings.ResourceTypeManagementPreference).toMatchObject({ DynamoDB: true });
    expect(settings.ResourceTypeOptInPreference).toMatchObject({ RDS: true, EBS: true, DynamoDB: true });
    // us-west-2 holds the copies; nothing opted it in.
    expect((await backupWest.send(new DescribeRegionSettingsCommand({}))).ResourceTypeManagementPreference).toMatchObject({ DynamoDB: false });
  });

  it('restore jobs of seeded RDS and DynamoDB recovery points, and of their copies in us-west-2, make working instances and tables of that day', async () => {
    const { clock, sim, backupEast, backupWest, rdsEast, rdsWest, ddbEast, ddbWest } = await secureCart();
    const rds = sim.world.module<RdsModule>('rds').model;
    // Written at t = 0: after every seeded recovery point.
    rds.write(EAST, 'securecart-orders', { key: 'order-after-backups' });
    await ddbEast.send(new PutItemCommand({ TableName: 'securecart-order-history', Item: { orderId: { S: 'order-after-backups' } } }));

    const east = await points(backupEast, 'securecart-vault');
    const west = await points(backupWest, 'securecart-vault-dr');
    const oldest = (list: RecoveryPointByBackupVault[], type: string) => oldestFirst(list.filter((p) => p.ResourceType === type))[0]!.RecoveryPointArn!;
    const newest = (list: RecoveryPointByBackupVault[], type: string) => oldestFirst(list.filter((p) => p.ResourceType === type)).at(-1)!.RecoveryPointArn!;
    const start = async (client: BackupClient, arn: string, metadata: Record<string, string>) =>
      (await client.send(new StartRestoreJobCommand({ RecoveryPointArn: arn, IamRoleArn: ROLE, Metadata: metadata }))).RestoreJobId!;
    const jobs: [BackupClient, string][] = [
      [backupEast, await start(backupEast, oldest(east, 'RDS'), { DBInstanceIdentifier: 'orders-week-ago' })],
      [backupEast, await start(backupEast, oldest(east, 'DynamoDB'), { targetTableName: 'order-history-week-ago' })],
      [backupWest, await start(backupWest, newest(west, 'RDS'), { DBInstanceIdentifier: 'orders-dr' })],
      [backupWest, await start(backupWest, newest(west, 'DynamoDB'), { targetTableName: 'order-history-dr' })],
    ];
    const statuses = async () => Promise.all(jobs.map(async ([client, id]) => (await client.send(new DescribeRestoreJobCommand({ RestoreJobId: id }))).Status));
    await until(clock, async () => (await statuses()).every((s) => s === 'COMPLETED' || s === 'FAILED'));
    expect(await statuses()).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED']);

    for (const [client, id, region] of [
      [rdsEast, 'orders-week-ago', EAST],
      [rdsWest, 'orders-dr', WEST],
    ] as const) {
      const instance = (await client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances![0]!;
      expect(instance).toMatchObject({ DBInstanceStatus: 'available', Engine: 'postgres', AllocatedStorage: 200 });
      expect(rds.isWritable(region, id)).toBe(true);
      expect(rds.writesOf(region, id).map((w) => w.key)).not.toContain('order-after-backups');
    }
    for (const [client, table] of [
      [ddbEast, 'order-history-week-ago'],
      [ddbWest, 'order-history-dr'],
    ] as const) {
      expect((await client.send(new DescribeTableCommand({ TableName: table }))).Table?.TableStatus).toBe('ACTIVE');
      expect((await client.send(new ScanCommand({ TableName: table, Select: 'COUNT' }))).Count).toBe(200);
      const after = await client.send(new GetItemCommand({ TableName: table, Key: { orderId: { S: 'order-after-backups' } } }));
      expect(after.Item).toBeUndefined();
      await client.send(new PutItemCommand({ TableName: table, Item: { orderId: { S: 'written-after-restore' } } }));
    }
  });
});

describe('seeding AWS Backup history, model level', () => {
  const START = Date.UTC(2026, 0, 5, 9);
  const ORDERS = `arn:aws:rds:${EAST}:${ACCOUNT}:db:orders-db`;
  const HISTORY = `arn:aws:dynamodb:${EAST}:${ACCOUNT}:table/order-history`;
  const BACKEND = `arn:aws:ec2:${EAST}:${ACCOUNT}:volume/vol-0a1b2c3d4e5f60718`;

  function world() {
    const clock = new VirtualClock({ start: START });
    const sim: Simulator = createSimulator({ clock, seed: 7, services: [createRdsModule, createEc2Module, createDynamoDbModule, createBackupModule] });
    sim.world.module<RdsModule>('rds').model.seedInstance({ identifier: 'orders-db', region: EAST, backupRetentionDays: 7, tags: { backup: 'daily' } });
    sim.world.module<Ec2Module>('ec2').model.seedVolume({ id: 'vol-0a1b2c3d4e5f60718', region: EAST, sizeGiB: 100, tags: { backup: 'daily' } });
    const dynamodb = sim.world.module<DynamoDbModule>('dynamodb').model;
    // Created ten days ago with one order; another arrived three days ago.
    dynamodb.seedTable({ name: 'order-history', region: EAST, createdAt: START - 10 * DAY, key: { hash: { name: 'orderId', type: 'S' } }, items: [{ orderId: { S: 'o-1' } }], tags: { backup: 'daily' } });
    return { clock, sim, backup: sim.world.module<BackupModule>('backup').model, dynamodb };
  }

  it('costs a rule timer and one lifecycle timer, however many recovery points it makes', () => {
    const { clock, backup } = world();
    const before = clock.pendingTimers();
    const seeded = backup.seedBackupPlan({
      name: 'monthly-keep',
      region: EAST,
      rules: [{ name: 'daily', vault: 'vault', deleteAfterDays: 35, copyTo: [{ region: WEST, vault: 'dr-vault', deleteAfterDays: 35 }] }],
      selections: [{ name: 'tagged', tags: { backup: 'daily' } }],
    });
    // 35 days of the database and the volume, 10 of the table (created ten days ago), each with its copy.
    expect(seeded.recoveryPoints).toHaveLength(2 * (35 + 35 + 10));
    expect(new Set(seeded.skipped.map((s) => s.resourceArn))).toEqual(new Set([HISTORY]));
    expect(clock.pendingTimers() - before).toBe(2);
  });

  it('without a cross-region copy, DynamoDB recovery points are DynamoDB’s own backups of that day, restorable with RestoreTableFromBackup', async () => {
    const { clock, sim, backup, dynamodb } = world();
    const table = dynamodb.tableIn(EAST, 'order-history')!;
    table.store.apply('o-2', { orderId: { S: 'o-2' } }, dynamodb.nextStamp(EAST, START - 3 * DAY), START - 3 * DAY);
    const seeded = backup.seedBackupPlan({
      name: 'local-only',
      region: EAST,
      rules: [{ name: 'daily', vault: 'vault', deleteAfterDays: 7 }],
      selections: [{ name: 'tables', resources: [HISTORY] }],
    });
    expect(backup.fullyManages(EAST, 'DynamoDB')).toBe(false);
    const history = seeded.recoveryPoints.filter((rp) => rp.resourceArn === HISTORY).sort((a, b) => a.createdAt - b.createdAt);
    expect(history.map((rp) => rp.createdAt)).toEqual(RUNS);
    for (const rp of history) expect(rp.arn).toMatch(/^arn:aws:dynamodb:us-east-1:123456789012:table\/order-history\/backup\/\d{14}-[0-9a-f]{8}$/);
    // Each backup holds what the table held at its run: o-2 only from three days ago on.
    const counts = history.map((rp) => dynamodb.backups.get(rp.arn)!.items.length);
    expect(counts).toEqual([1, 1, 1, 1, 2, 2, 2]);

    const client = new DynamoDBClient(simClientConfig(sim, EAST));
    const restored = await client.send(new RestoreTableFromBackupCommand({ TargetTableName: 'order-history-dec-30', BackupArn: history[0]!.arn }));
    expect(restored.TableDescription?.RestoreSummary?.RestoreDateTime?.getTime()).toBe(dynamodb.backups.get(history[0]!.arn)!.createdAt);
    await until(clock, async () => (await client.send(new DescribeTableCommand({ TableName: 'order-history-dec-30' }))).Table?.TableStatus === 'ACTIVE');
    const items = (await client.send(new ScanCommand({ TableName: 'order-history-dec-30' }))).Items ?? [];
    expect(items.map((i) => i['orderId']?.S)).toEqual(['o-1']);
  });

  it('a table younger than the retention has recovery points only from its creation on', () => {
    const { backup, dynamodb } = world();
    dynamodb.seedTable({ name: 'new-table', region: EAST, createdAt: START - 2 * DAY - HOUR, key: { hash: { name: 'pk', type: 'S' } }, tags: { backup: 'daily' } });
    const seeded = backup.seedBackupPlan({
      name: 'tables',
      region: EAST,
      rules: [{ name: 'daily', vault: 'vault', deleteAfterDays: 7 }],
      selections: [{ name: 'tagged', tags: { backup: 'daily' } }],
    });
    const young = `arn:aws:dynamodb:${EAST}:${ACCOUNT}:table/new-table`;
    expect(seeded.recoveryPoints.filter((rp) => rp.resourceArn === young).map((rp) => rp.createdAt)).toEqual(RUNS.slice(-2));
    expect(seeded.skipped.filter((s) => s.resourceArn === young)).toHaveLength(5);
    expect(seeded.skipped.every((s) => s.reason.includes('did not exist yet'))).toBe(true);
  });

  it('advancedDynamoDbBackup: false keeps DynamoDB backups DynamoDB’s own, and their copies are not made', () => {
    const { backup } = world();
    const seeded = backup.seedBackupPlan({
      name: 'dr',
      region: EAST,
      rules: [{ name: 'daily', vault: 'vault', deleteAfterDays: 7, copyTo: [{ region: WEST, vault: 'dr-vault' }] }],
      selections: [{ name: 'tagged', tags: { backup: 'daily' } }],
      advancedDynamoDbBackup: false,
    });
    expect(backup.fullyManages(EAST, 'DynamoDB')).toBe(false);
    const copiesOf = (arn: string) => seeded.recoveryPoints.filter((rp) => rp.resourceArn === arn && rp.region === WEST);
    expect(copiesOf(ORDERS)).toHaveLength(7);
    expect(copiesOf(BACKEND)).toHaveLength(7);
    expect(copiesOf(HISTORY)).toHaveLength(0);
    expect(seeded.skipped.filter((s) => s.resourceArn === HISTORY)).toHaveLength(7);
    expect(seeded.skipped.every((s) => s.reason.includes('advanced features'))).toBe(true);
  });

  it('the seeded window slides: the lifecycle deletes each day’s oldest recovery point and its snapshot', async () => {
    const { clock, sim, backup } = world();
    backup.seedBackupPlan({
      name: 'dr',
      region: EAST,
      rules: [{ name: 'daily', vault: 'vault', deleteAfterDays: 7, copyTo: [{ region: WEST, vault: 'dr-vault', deleteAfterDays: 7 }] }],
      selections: [{ name: 'tagged', tags: { backup: 'daily' } }],
    });
    const oldestRds = backup.recoveryPointsOf(ORDERS).find((rp) => rp.region === EAST)!;
    const oldestTable = backup.recoveryPointsOf(HISTORY).find((rp) => rp.region === EAST)!;
    expect(oldestRds.createdAt).toBe(RUNS[0]);
    await clock.runUntil(RUNS[0]! + 7 * DAY);
    expect(backup.recoveryPointByArn(oldestRds.arn)).toBeUndefined();
    expect(backup.recoveryPointByArn(oldestTable.arn)).toBeUndefined();
    expect(() => sim.world.module<RdsModule>('rds').model.snapshot(EAST, oldestRds.arn)).toThrow(/not found/);
    expect(sim.world.module<DynamoDbModule>('dynamodb').model.backups.has(oldestTable.arn)).toBe(false);
    // Six of the week remain until the 05:00 run adds today's.
    expect(backup.recoveryPointsOf(ORDERS).filter((rp) => rp.region === EAST)).toHaveLength(6);
  });
});

