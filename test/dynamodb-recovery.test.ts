import {
  BackupInUseException,
  BackupNotFoundException,
  ContinuousBackupsUnavailableException,
  CreateBackupCommand,
  CreateTableCommand,
  DeleteBackupCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeBackupCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  GetItemCommand,
  InvalidRestoreTimeException,
  ListBackupsCommand,
  PointInTimeRecoveryUnavailableException,
  PutItemCommand,
  ResourceNotFoundException,
  RestoreTableFromBackupCommand,
  RestoreTableToPointInTimeCommand,
  ScanCommand,
  TableAlreadyExistsException,
  TableNotFoundException,
  UpdateContinuousBackupsCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { defaultCalibration, longestSeconds } from '../src/sim/calibration.js';
import { createSimulator, type Simulator } from '../src/sim/index.js';
import { createDynamoDbModule, type AttributeMap, type DynamoDbModule } from '../src/sim/services/dynamodb/index.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { SECOND, MINUTE, HOUR } from './support/time.js';
import { START } from './support/sim.js';
import { rejection as failure } from './support/rejection.js';

const DAY = 24 * HOUR;

interface Setup {
  clock: VirtualClock;
  sim: Simulator;
  ddb: DynamoDBClient;
  west: DynamoDBClient;
  dynamodb: DynamoDbModule;
}

async function setupOver(via: TransportHarness): Promise<Setup> {
  const clock = new VirtualClock({ start: START });
  const sim = createSimulator({ clock, seed: 42, services: [] });
  const dynamodb = sim.world.register(createDynamoDbModule(sim.world));
  return {
    clock,
    sim,
    ddb: new DynamoDBClient(await via.config(sim, clock, 'us-east-1')),
    west: new DynamoDBClient(await via.config(sim, clock, 'us-west-2')),
    dynamodb,
  };
}

const S = (s: string): AttributeValue => ({ S: s });
const N = (n: number): AttributeValue => ({ N: String(n) });

/** SecureCart's order history, seeded in its steady state: PITR on, created a year ago. */
function seedHistory(s: Setup, extra: { createdAt?: number; nominalSizeBytes?: number; name?: string } = {}): void {
  s.dynamodb.model.seedTable({
    name: extra.name ?? 'order-history',
    region: 'us-east-1',
    key: { hash: { name: 'customer', type: 'S' }, range: { name: 'order', type: 'N' } },
    items: [
      { customer: { S: 'ada' }, order: { N: '1' }, state: { S: 'placed' } },
      { customer: { S: 'bob' }, order: { N: '1' }, state: { S: 'placed' } },
    ],
    ...(extra.createdAt !== undefined ? { createdAt: extra.createdAt } : {}),
    ...(extra.nominalSizeBytes !== undefined ? { nominalSizeBytes: extra.nominalSizeBytes } : {}),
  });
}

async function scanAll(client: DynamoDBClient, table: string): Promise<Record<string, AttributeValue>[]> {
  const items = (await client.send(new ScanCommand({ TableName: table }))).Items ?? [];
  return sortItems(items);
}

function sortItems<T extends Record<string, unknown>>(items: T[]): T[] {
  return [...items].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

/** Wait until a restored table is ACTIVE (restores take 10–60 minutes). */
async function untilActive(s: Setup, client: DynamoDBClient, table: string): Promise<void> {
  for (let i = 0; i < 70; i++) {
    const status = (await client.send(new DescribeTableCommand({ TableName: table }))).Table?.TableStatus;
    if (status === 'ACTIVE') return;
    await s.clock.advance(MINUTE);
  }
  throw new Error(`${table} never became ACTIVE`);
}

describe.each(transports)('DynamoDB recovery over the %s transport', (transport) => {
  const via = useTransport(transport);
  const setup = () => setupOver(via);

  describe('DynamoDB point-in-time recovery', () => {
    it('reports a seeded table’s window: 35 days back, up to now minus dynamodb.pitr.trail (5 minutes)', async () => {
      const s = await setup();
      seedHistory(s);
      const out = await s.ddb.send(new DescribeContinuousBackupsCommand({ TableName: 'order-history' }));
      expect(out.ContinuousBackupsDescription).toEqual({
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: {
          PointInTimeRecoveryStatus: 'ENABLED',
          RecoveryPeriodInDays: 35,
          EarliestRestorableDateTime: new Date(START - 35 * DAY),
          LatestRestorableDateTime: new Date(START - 5 * MINUTE),
        },
      });
      await s.clock.advance(HOUR);
      const later = await s.ddb.send(new DescribeContinuousBackupsCommand({ TableName: 'order-history' }));
      expect(later.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.LatestRestorableDateTime).toEqual(new Date(START + HOUR - 5 * MINUTE));

      const young = await setup();
      seedHistory(young, { createdAt: START - 2 * HOUR });
      const window = await young.ddb.send(new DescribeContinuousBackupsCommand({ TableName: 'order-history' }));
      expect(window.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.EarliestRestorableDateTime).toEqual(new Date(START - 2 * HOUR));
    });

    it('restores exactly the items the table held at the chosen second, as a new table CREATING for dynamodb.restore', async () => {
      const s = await setup();
      seedHistory(s);
      const write = async (at: number, send: () => Promise<unknown>) => {
        await s.clock.runUntil(START + at);
        await send();
      };
      await write(10 * SECOND, () =>
        s.ddb.send(new PutItemCommand({ TableName: 'order-history', Item: { customer: S('cy'), order: N(1), state: S('placed') } })),
      );
      await write(20 * SECOND, () =>
        s.ddb.send(
          new UpdateItemCommand({
            TableName: 'order-history',
            Key: { customer: S('ada'), order: N(1) },
            UpdateExpression: 'SET #s = :shipped',
            ExpressionAttributeNames: { '#s': 'state' },
            ExpressionAttributeValues: { ':shipped': S('shipped') },
          }),
        ),
      );
      await write(30 * SECOND, () => s.ddb.send(new DeleteItemCommand({ TableName: 'order-history', Key: { customer: S('bob'), order: N(1) } })));
      await write(40 * SECOND, () =>
        s.ddb.send(new PutItemCommand({ TableName: 'order-history', Item: { customer: S('dee'), order: N(1), state: S('placed') } })),
      );
      await s.clock.runUntil(START + 20 * MINUTE);

      const restoreAt = new Date(START + 25 * SECOND);
      const restored = await s.ddb.send(
        new RestoreTableToPointInTimeCommand({ SourceTableName: 'order-history', TargetTableName: 'order-history-restored', RestoreDateTime: restoreAt }),
      );
      expect(restored.TableDescription).toMatchObject({
        TableName: 'order-history-restored',
        TableStatus: 'CREATING',
        RestoreSummary: {
          SourceTableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/order-history',
          RestoreDateTime: restoreAt,
          RestoreInProgress: true,
        },
      });
      await failure(
        s.ddb.send(new GetItemCommand({ TableName: 'order-history-restored', Key: { customer: S('ada'), order: N(1) } })),
        ResourceNotFoundException,
      );
      const started = s.sim.world.events.find((e) => e.kind === 'dynamodb.restore.started')!;
      expect(started.detail['durationMs']).toBeGreaterThanOrEqual(10 * MINUTE);
      expect(started.detail['durationMs']).toBeLessThanOrEqual(60 * MINUTE);

      await untilActive(s, s.ddb, 'order-history-restored');
      const expected = [
        { customer: S('ada'), order: N(1), state: S('shipped') },
        { customer: S('bob'), order: N(1), state: S('placed') },
        { customer: S('cy'), order: N(1), state: S('placed') },
      ];
      expect(await scanAll(s.ddb, 'order-history-restored')).toEqual(sortItems(expected));
      expect(sortItems(s.dynamodb.model.itemsAsOf('us-east-1', 'order-history', restoreAt.getTime()))).toEqual(sortItems(expected as AttributeMap[]));
      const description = await s.ddb.send(new DescribeTableCommand({ TableName: 'order-history-restored' }));
      expect(description.Table?.RestoreSummary?.RestoreInProgress).toBe(false);
      expect(description.Table?.ItemCount).toBe(3);

      // The second of a write is included: restoring to 00:00:30 sees bob deleted.
      await s.ddb.send(
        new RestoreTableToPointInTimeCommand({
          SourceTableName: 'order-history',
          TargetTableName: 'at-the-delete',
          RestoreDateTime: new Date(START + 30 * SECOND),
        }),
      );
      await untilActive(s, s.ddb, 'at-the-delete');
      expect((await scanAll(s.ddb, 'at-the-delete')).map((i) => i['customer']!.S)).toEqual(['ada', 'cy']);
    });

    it('restores to the latest restorable time and across regions by source ARN', async () => {
      const s = await setup();
      seedHistory(s);
      await s.clock.advance(HOUR);
      await s.ddb.send(new PutItemCommand({ TableName: 'order-history', Item: { customer: S('late'), order: N(1) } }));
      const out = await s.west.send(
        new RestoreTableToPointInTimeCommand({
          SourceTableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/order-history',
          TargetTableName: 'order-history-west',
          UseLatestRestorableTime: true,
        }),
      );
      expect(out.TableDescription?.TableArn).toBe('arn:aws:dynamodb:us-west-2:123456789012:table/order-history-west');
      expect(out.TableDescription?.RestoreSummary?.RestoreDateTime).toEqual(new Date(START + HOUR - 5 * MINUTE));
      await untilActive(s, s.west, 'order-history-west');
      // The write a moment ago is inside the trailing five minutes: not restorable yet.
      expect((await scanAll(s.west, 'order-history-west')).map((i) => i['customer']!.S)).toEqual(['ada', 'bob']);
    });

    it('refuses restore times outside the window with InvalidRestoreTimeException', async () => {
      const s = await setup();
      seedHistory(s);
      const restore = (at: number, target: string) =>
        s.ddb.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'order-history', TargetTableName: target, RestoreDateTime: new Date(at) }));
      const tooRecent = await failure(restore(START - MINUTE, 'too-recent'), InvalidRestoreTimeException);
      expect(tooRecent.message).toMatch(/not within the restorable window/);
      await failure(restore(START - 36 * DAY, 'too-old'), InvalidRestoreTimeException);
      const both = await failure(
        s.ddb.send(
          new RestoreTableToPointInTimeCommand({
            SourceTableName: 'order-history',
            TargetTableName: 'both',
            RestoreDateTime: new Date(START - HOUR),
            UseLatestRestorableTime: true,
          }),
        ),
        DynamoDBServiceException,
      );
      expect(both.name).toBe('ValidationException');
    });

    it('refuses a missing source, an existing target and a table without PITR with their typed exceptions', async () => {
      const s = await setup();
      seedHistory(s);
      const missing = await failure(
        s.ddb.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'ghost', TargetTableName: 'x-restored', UseLatestRestorableTime: true })),
        TableNotFoundException,
      );
      expect(missing.message).toBe('Table not found: ghost');
      const exists = await failure(
        s.ddb.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'order-history', TargetTableName: 'order-history', UseLatestRestorableTime: true })),
        TableAlreadyExistsException,
      );
      expect(exists.message).toBe('Table already exists: order-history');
      await failure(s.ddb.send(new DescribeContinuousBackupsCommand({ TableName: 'ghost' })), TableNotFoundException);

      s.dynamodb.model.seedTable({ name: 'no-pitr', region: 'us-east-1', key: { hash: { name: 'id', type: 'S' } }, pitr: false });
      const unavailable = await failure(
        s.ddb.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'no-pitr', TargetTableName: 'no-pitr-2', UseLatestRestorableTime: true })),
        PointInTimeRecoveryUnavailableException,
      );
      expect(unavailable.message).toBe("Point in time recovery is not enabled for table 'no-pitr'");
    });

    it('enables and disables PITR: the window starts at enabling, honours RecoveryPeriodInDays, and is refused while the table is created', async () => {
      const s = await setup();
      await s.ddb.send(
        new CreateTableCommand({
          TableName: 'fresh',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      await failure(
        s.ddb.send(new UpdateContinuousBackupsCommand({ TableName: 'fresh', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })),
        ContinuousBackupsUnavailableException,
      );
      await s.clock.advance(MINUTE);
      const off = await s.ddb.send(new DescribeContinuousBackupsCommand({ TableName: 'fresh' }));
      expect(off.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus).toBe('DISABLED');

      const on = await s.ddb.send(
        new UpdateContinuousBackupsCommand({ TableName: 'fresh', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 } }),
      );
      expect(on.ContinuousBackupsDescription?.PointInTimeRecoveryDescription).toEqual({
        PointInTimeRecoveryStatus: 'ENABLED',
        RecoveryPeriodInDays: 7,
        EarliestRestorableDateTime: new Date(START + MINUTE),
        LatestRestorableDateTime: new Date(START + MINUTE),
      });
      await s.clock.advance(10 * DAY);
      const week = await s.ddb.send(new DescribeContinuousBackupsCommand({ TableName: 'fresh' }));
      expect(week.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.EarliestRestorableDateTime).toEqual(new Date(START + MINUTE + 3 * DAY));

      await s.ddb.send(new UpdateContinuousBackupsCommand({ TableName: 'fresh', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } }));
      await failure(
        s.ddb.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'fresh', TargetTableName: 'fresh-2', UseLatestRestorableTime: true })),
        PointInTimeRecoveryUnavailableException,
      );
      const tooLong = await failure(
        s.ddb.send(
          new UpdateContinuousBackupsCommand({ TableName: 'fresh', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 36 } }),
        ),
        DynamoDBServiceException,
      );
      expect(tooLong.name).toBe('ValidationException');
    });

    it('takes longer to restore a bigger table', async () => {
      const durationFor = async (nominalSizeBytes: number) => {
        const s = await setup();
        seedHistory(s, { nominalSizeBytes });
        await s.ddb.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'order-history', TargetTableName: 'copy', UseLatestRestorableTime: true }));
        return s.sim.world.events.find((e) => e.kind === 'dynamodb.restore.started')!.detail['durationMs'] as number;
      };
      const small = await durationFor(1024 * 1024);
      const huge = await durationFor(1024 ** 4);
      expect(small).toBeLessThan(20 * MINUTE);
      expect(huge).toBeGreaterThan(50 * MINUTE);
    });
  });

  describe('DynamoDB on-demand backups', () => {
    it('creates a backup (CREATING → AVAILABLE), describes it, and restores the items as they were when it was taken', async () => {
      const s = await setup();
      seedHistory(s);
      const created = await s.ddb.send(new CreateBackupCommand({ TableName: 'order-history', BackupName: 'before-migration' }));
      const arn = created.BackupDetails!.BackupArn!;
      expect(arn).toMatch(/^arn:aws:dynamodb:us-east-1:123456789012:table\/order-history\/backup\/\d{14}-[0-9a-f]{8}$/);
      expect(created.BackupDetails).toMatchObject({ BackupName: 'before-migration', BackupStatus: 'CREATING', BackupType: 'USER' });
      expect(created.BackupDetails?.BackupCreationDateTime).toEqual(new Date(START));

      await s.ddb.send(new PutItemCommand({ TableName: 'order-history', Item: { customer: S('after'), order: N(1) } }));
      const early = await failure(
        s.ddb.send(new RestoreTableFromBackupCommand({ BackupArn: arn, TargetTableName: 'from-backup' })),
        BackupInUseException,
      );
      expect(early.message).toMatch(/being created/);

      await s.clock.advance(longestSeconds(defaultCalibration['dynamodb.backup.create']) * SECOND);
      const described = await s.ddb.send(new DescribeBackupCommand({ BackupArn: arn }));
      expect(described.BackupDescription?.BackupDetails?.BackupStatus).toBe('AVAILABLE');
      expect(described.BackupDescription?.SourceTableDetails).toMatchObject({
        TableName: 'order-history',
        TableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/order-history',
        ItemCount: 2,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'customer', KeyType: 'HASH' },
          { AttributeName: 'order', KeyType: 'RANGE' },
        ],
      });

      const restored = await s.ddb.send(new RestoreTableFromBackupCommand({ BackupArn: arn, TargetTableName: 'from-backup' }));
      expect(restored.TableDescription?.RestoreSummary).toMatchObject({ SourceBackupArn: arn, RestoreInProgress: true });
      await untilActive(s, s.ddb, 'from-backup');
      expect((await scanAll(s.ddb, 'from-backup')).map((i) => i['customer']!.S)).toEqual(['ada', 'bob']);
      await failure(s.ddb.send(new RestoreTableFromBackupCommand({ BackupArn: arn, TargetTableName: 'from-backup' })), TableAlreadyExistsException);
    });

    it('lists backups by table and time range, in pages', async () => {
      const s = await setup();
      seedHistory(s);
      seedHistory(s, { name: 'other-table' });
      const arns: string[] = [];
      for (const [table, name] of [
        ['order-history', 'bk1'],
        ['other-table', 'bk2'],
        ['order-history', 'bk3'],
      ] as const) {
        arns.push((await s.ddb.send(new CreateBackupCommand({ TableName: table, BackupName: name }))).BackupDetails!.BackupArn!);
        await s.clock.advance(HOUR);
      }
      const all = await s.ddb.send(new ListBackupsCommand({}));
      expect(all.BackupSummaries?.map((b) => b.BackupName)).toEqual(['bk1', 'bk2', 'bk3']);
      expect(all.BackupSummaries?.[0]).toMatchObject({ TableName: 'order-history', BackupStatus: 'AVAILABLE', BackupType: 'USER' });
      const mine = await s.ddb.send(new ListBackupsCommand({ TableName: 'order-history' }));
      expect(mine.BackupSummaries?.map((b) => b.BackupName)).toEqual(['bk1', 'bk3']);
      const first = await s.ddb.send(new ListBackupsCommand({ Limit: 2 }));
      expect(first.BackupSummaries?.map((b) => b.BackupName)).toEqual(['bk1', 'bk2']);
      expect(first.LastEvaluatedBackupArn).toBe(arns[1]);
      const rest = await s.ddb.send(new ListBackupsCommand({ Limit: 2, ExclusiveStartBackupArn: first.LastEvaluatedBackupArn }));
      expect(rest.BackupSummaries?.map((b) => b.BackupName)).toEqual(['bk3']);
      expect(rest.LastEvaluatedBackupArn).toBeUndefined();
      const window = await s.ddb.send(new ListBackupsCommand({ TimeRangeLowerBound: new Date(START + 30 * MINUTE), TimeRangeUpperBound: new Date(START + 2 * HOUR) }));
      expect(window.BackupSummaries?.map((b) => b.BackupName)).toEqual(['bk2']);
      expect((await s.west.send(new ListBackupsCommand({}))).BackupSummaries).toEqual([]);
    });

    it('deletes a backup; a deleted or unknown backup is BackupNotFoundException; backups outlive their table', async () => {
      const s = await setup();
      seedHistory(s);
      const arn = (await s.ddb.send(new CreateBackupCommand({ TableName: 'order-history', BackupName: 'keep' }))).BackupDetails!.BackupArn!;
      const doomed = (await s.ddb.send(new CreateBackupCommand({ TableName: 'order-history', BackupName: 'doomed' }))).BackupDetails!.BackupArn!;
      await failure(s.ddb.send(new DeleteBackupCommand({ BackupArn: doomed })), BackupInUseException);
      await s.clock.advance(MINUTE);
      const deleted = await s.ddb.send(new DeleteBackupCommand({ BackupArn: doomed }));
      expect(deleted.BackupDescription?.BackupDetails?.BackupStatus).toBe('DELETED');
      const gone = await failure(s.ddb.send(new DescribeBackupCommand({ BackupArn: doomed })), BackupNotFoundException);
      expect(gone.message).toBe(`Backup not found: ${doomed}`);
      await failure(s.ddb.send(new DeleteBackupCommand({ BackupArn: `${doomed}0` })), BackupNotFoundException);

      await s.ddb.send(new DeleteTableCommand({ TableName: 'order-history' }));
      expect((await s.ddb.send(new DescribeBackupCommand({ BackupArn: arn }))).BackupDescription?.BackupDetails?.BackupStatus).toBe('AVAILABLE');
      await s.ddb.send(new RestoreTableFromBackupCommand({ BackupArn: arn, TargetTableName: 'order-history' }));
      await untilActive(s, s.ddb, 'order-history');
      expect((await scanAll(s.ddb, 'order-history')).length).toBe(2);
      await failure(s.ddb.send(new CreateBackupCommand({ TableName: 'ghost', BackupName: 'x1x' })), TableNotFoundException);
    });
  });
});
