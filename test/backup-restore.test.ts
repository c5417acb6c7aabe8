import {
  BackupClient,
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  DescribeBackupJobCommand,
  DescribeRecoveryPointCommand,
  DescribeRestoreJobCommand,
  InvalidParameterValueException,
  InvalidRequestException,
  ListCopyJobsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListRestoreJobsCommand,
  ResourceNotFoundException,
  StartBackupJobCommand,
  StartRestoreJobCommand,
  type DescribeRestoreJobCommandOutput,
} from '@aws-sdk/client-backup';
import { DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeDBInstancesCommand, DescribeDBSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { defaultCalibration } from '../src/sim/calibration.js';
import { createSimulator } from '../src/sim/index.js';
import { createBackupModule, type BackupModule } from '../src/sim/services/backup/index.js';
import { createDynamoDbModule, type DynamoDbModule } from '../src/sim/services/dynamodb/index.js';
import { createEc2Module, type Ec2Module } from '../src/sim/services/ec2/index.js';
import { createRdsModule, type RdsModule } from '../src/sim/services/rds/index.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { SECOND, MINUTE, HOUR, DAY, ACCOUNT, EAST, WEST, ROLE, rejection } from './support/backup.js';
import { START } from './support/sim.js';

const BACKEND = 'vol-0a1b2c3d4e5f60718';
const BACKEND_ARN = `arn:aws:ec2:${EAST}:${ACCOUNT}:volume/${BACKEND}`;
const ORDERS_ARN = `arn:aws:rds:${EAST}:${ACCOUNT}:db:orders-db`;
const HISTORY_ARN = `arn:aws:dynamodb:${EAST}:${ACCOUNT}:table/order-history`;
const vaultArn = (region: string, name: string) => `arn:aws:backup:${region}:${ACCOUNT}:backup-vault:${name}`;

async function setupOver(via: TransportHarness, seed = 42) {
  const clock = new VirtualClock({ start: START });
  const sim = createSimulator({ clock, seed, services: [createRdsModule, createEc2Module, createDynamoDbModule, createBackupModule] });
  const rds = sim.world.module<RdsModule>('rds').model;
  const ec2 = sim.world.module<Ec2Module>('ec2').model;
  const dynamodb = sim.world.module<DynamoDbModule>('dynamodb').model;
  const backup = sim.world.module<BackupModule>('backup').model;
  rds.seedInstance({ identifier: 'orders-db', region: EAST, multiAZ: true, backupRetentionDays: 7, allocatedStorage: 100, tags: { backup: 'daily' } });
  ec2.seedVolume({ id: BACKEND, region: EAST, az: 'us-east-1b', sizeGiB: 200, tags: { backup: 'daily', Name: 'backend-volume' } });
  dynamodb.seedTable({ name: 'order-history', region: EAST, key: { hash: { name: 'orderId', type: 'S' } }, items: [{ orderId: { S: 'o-1' } }], tags: { backup: 'daily' } });
  return {
    clock,
    sim,
    rds,
    ec2,
    dynamodb,
    backup,
    east: new BackupClient(await via.config(sim, clock, EAST)),
    west: new BackupClient(await via.config(sim, clock, WEST)),
    rdsEast: new RDSClient(await via.config(sim, clock, EAST)),
    rdsWest: new RDSClient(await via.config(sim, clock, WEST)),
    ec2East: new EC2Client(await via.config(sim, clock, EAST)),
    ec2West: new EC2Client(await via.config(sim, clock, WEST)),
    ddbEast: new DynamoDBClient(await via.config(sim, clock, EAST)),
  };
}

type Env = Awaited<ReturnType<typeof setupOver>>;

async function until(clock: VirtualClock, done: () => Promise<boolean> | boolean, stepMs = 30 * SECOND, limitMs = 4 * HOUR): Promise<number> {
  const from = clock.now();
  while (!(await done())) {
    if (clock.now() - from > limitMs) throw new Error('condition not reached in time');
    await clock.advance(stepMs);
  }
  return clock.now() - from;
}

async function vaults(env: Env): Promise<void> {
  await env.east.send(new CreateBackupVaultCommand({ BackupVaultName: 'securecart-vault' }));
  await env.west.send(new CreateBackupVaultCommand({ BackupVaultName: 'securecart-dr-vault' }));
}

/** An on-demand backup job, run to completion; its recovery point ARN. */
async function backUp(env: Env, resourceArn: string): Promise<string> {
  const { BackupJobId } = await env.east.send(new StartBackupJobCommand({ BackupVaultName: 'securecart-vault', ResourceArn: resourceArn, IamRoleArn: ROLE }));
  await until(env.clock, async () => {
    const job = await env.east.send(new DescribeBackupJobCommand({ BackupJobId: BackupJobId! }));
    if (job.State === 'FAILED') throw new Error(`backup job failed: ${job.StatusMessage}`);
    return job.State === 'COMPLETED';
  });
  return (await env.east.send(new DescribeBackupJobCommand({ BackupJobId: BackupJobId! }))).RecoveryPointArn!;
}

async function restoreJob(client: BackupClient, id: string): Promise<DescribeRestoreJobCommandOutput> {
  return client.send(new DescribeRestoreJobCommand({ RestoreJobId: id }));
}

describe.each(transports)('AWS Backup restores over the %s transport', (transport) => {
  const via = useTransport(transport);
  const setup = (seed?: number) => setupOver(via, seed);

  describe('RDS: a backup job, then a restore job producing a working instance', () => {
    it('the recovery point is an RDS snapshot; the restored instance is described by RDS and holds the snapshot data', async () => {
      const env = await setup();
      await vaults(env);
      env.rds.write(EAST, 'orders-db', { key: 'order-1' });
      env.rds.write(EAST, 'orders-db', { key: 'order-2' });
      const rpArn = await backUp(env, ORDERS_ARN);
      expect(rpArn).toMatch(/^arn:aws:rds:us-east-1:123456789012:snapshot:awsbackup:job-[0-9a-f-]{36}$/);
      const snapshotId = rpArn.split(':snapshot:')[1]!;
      const snapshot = (await env.rdsEast.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: snapshotId }))).DBSnapshots![0]!;
      expect(snapshot).toMatchObject({ Status: 'available', DBInstanceIdentifier: 'orders-db', SnapshotType: 'awsbackup' });
      // Writes after the backup are not in it.
      await until(env.clock, () => env.rds.isWritable(EAST, 'orders-db'), 10 * SECOND);
      env.rds.write(EAST, 'orders-db', { key: 'order-3' });

      const { RestoreJobId } = await env.east.send(
        new StartRestoreJobCommand({ RecoveryPointArn: rpArn, IamRoleArn: ROLE, Metadata: { DBInstanceIdentifier: 'orders-db-restored', DBInstanceClass: 'db.r6g.large' } }),
      );
      const pending = await restoreJob(env.east, RestoreJobId!);
      expect(pending).toMatchObject({ Status: 'PENDING', RecoveryPointArn: rpArn, SourceResourceArn: ORDERS_ARN, ResourceType: 'RDS', PercentDone: '0.0' });
      await until(env.clock, async () => (await restoreJob(env.east, RestoreJobId!)).Status === 'RUNNING', 10 * SECOND);
      const running = await restoreJob(env.east, RestoreJobId!);
      expect(running.CreatedResourceArn).toBe(`arn:aws:rds:${EAST}:${ACCOUNT}:db:orders-db-restored`);
      const creating = (await env.rdsEast.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'orders-db-restored' }))).DBInstances![0]!;
      expect(creating.DBInstanceStatus).toBe('creating');

      const took = await until(env.clock, async () => (await restoreJob(env.east, RestoreJobId!)).Status === 'COMPLETED', MINUTE);
      expect(took).toBeGreaterThanOrEqual(defaultCalibration['rds.restore'].minSeconds * SECOND);
      const done = await restoreJob(env.east, RestoreJobId!);
      expect(done.PercentDone).toBe('100.0');
      expect(done.CompletionDate!.getTime()).toBeGreaterThan(done.CreationDate!.getTime());
      const restored = (await env.rdsEast.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'orders-db-restored' }))).DBInstances![0]!;
      expect(restored).toMatchObject({ DBInstanceStatus: 'available', DBInstanceClass: 'db.r6g.large', Engine: 'postgres' });
      expect(env.rds.writesOf(EAST, 'orders-db-restored').map((w) => w.key)).toEqual(['order-1', 'order-2']);
      expect(env.rds.writesOf(EAST, 'orders-db-restored')).toEqual(env.rds.writesOfSnapshot(EAST, snapshotId));
      expect(env.rds.isWritable(EAST, 'orders-db-restored')).toBe(true);
      const rp = await env.east.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'securecart-vault', RecoveryPointArn: rpArn }));
      // LastRestoreTime: when the restore began, after the job's own start-up overhead.
      expect(rp.LastRestoreTime!.getTime()).toBeGreaterThan(done.CreationDate!.getTime());
      expect(rp.LastRestoreTime!.getTime()).toBeLessThan(done.CompletionDate!.getTime());
      const listed = await env.east.send(new ListRestoreJobsCommand({ ByStatus: 'COMPLETED', ByResourceType: 'RDS' }));
      expect(listed.RestoreJobs!.map((j) => j.RestoreJobId)).toEqual([RestoreJobId]);
    });

    it('fails the restore job, with the RDS error as StatusMessage, when the instance name is taken', async () => {
      const env = await setup();
      await vaults(env);
      const rpArn = await backUp(env, ORDERS_ARN);
      const { RestoreJobId } = await env.east.send(new StartRestoreJobCommand({ RecoveryPointArn: rpArn, IamRoleArn: ROLE, Metadata: { DBInstanceIdentifier: 'orders-db' } }));
      await until(env.clock, async () => (await restoreJob(env.east, RestoreJobId!)).Status === 'FAILED', 10 * SECOND, 10 * MINUTE);
      expect((await restoreJob(env.east, RestoreJobId!)).StatusMessage).toContain('DBInstanceAlreadyExists');
    });

    it('refuses metadata, recovery points and states Backup refuses', async () => {
      const env = await setup();
      await vaults(env);
      const rpArn = await backUp(env, ORDERS_ARN);
      const noName = await rejection(env.east.send(new StartRestoreJobCommand({ RecoveryPointArn: rpArn, IamRoleArn: ROLE, Metadata: {} })), InvalidParameterValueException);
      expect(noName.message).toContain('DBInstanceIdentifier');
      await rejection(
        env.east.send(new StartRestoreJobCommand({ RecoveryPointArn: rpArn, IamRoleArn: ROLE, Metadata: { DBInstanceIdentifier: 'x', MultiAZ: 'maybe' } })),
        InvalidParameterValueException,
      );
      await rejection(
        env.east.send(new StartRestoreJobCommand({ RecoveryPointArn: `${rpArn}-nope`, IamRoleArn: ROLE, Metadata: { DBInstanceIdentifier: 'x' } })),
        ResourceNotFoundException,
      );
      await rejection(env.west.send(new StartRestoreJobCommand({ RecoveryPointArn: rpArn, IamRoleArn: ROLE, Metadata: { DBInstanceIdentifier: 'x' } })), ResourceNotFoundException);
      // A recovery point still being created cannot be restored.
      const { BackupJobId } = await env.east.send(new StartBackupJobCommand({ BackupVaultName: 'securecart-vault', ResourceArn: BACKEND_ARN, IamRoleArn: ROLE }));
      await until(env.clock, async () => (await env.east.send(new DescribeBackupJobCommand({ BackupJobId: BackupJobId! }))).State === 'RUNNING', 10 * SECOND);
      const creating = (await env.east.send(new DescribeBackupJobCommand({ BackupJobId: BackupJobId! }))).RecoveryPointArn!;
      await rejection(
        env.east.send(new StartRestoreJobCommand({ RecoveryPointArn: creating, IamRoleArn: ROLE, Metadata: { availabilityZone: 'us-east-1a' } })),
        InvalidRequestException,
      );
      await rejection(env.east.send(new DescribeRestoreJobCommand({ RestoreJobId: 'AAAAAAAA-0000-4000-8000-000000000000' })), ResourceNotFoundException);
    });
  });

  describe('EBS: a backup job, then a restore job producing a working volume', () => {
    it('the restored volume is described by EC2 and holds the snapshot data', async () => {
      const env = await setup();
      await vaults(env);
      const before = env.ec2.writeVolume(EAST, BACKEND, 'orders up to the backup');
      const rpArn = await backUp(env, BACKEND_ARN);
      env.ec2.writeVolume(EAST, BACKEND, 'ransomware');
      const noZone = await rejection(env.east.send(new StartRestoreJobCommand({ RecoveryPointArn: rpArn, IamRoleArn: ROLE, Metadata: {} })), InvalidParameterValueException);
      expect(noZone.message).toContain('availabilityZone');
      const { RestoreJobId } = await env.east.send(
        new StartRestoreJobCommand({ RecoveryPointArn: rpArn, IamRoleArn: ROLE, ResourceType: 'EBS', Metadata: { availabilityZone: 'us-east-1c' } }),
      );
      await until(env.clock, async () => (await restoreJob(env.east, RestoreJobId!)).Status === 'COMPLETED', 10 * SECOND);
      const done = await restoreJob(env.east, RestoreJobId!);
      const volumeArn = done.CreatedResourceArn!;
      expect(volumeArn).toMatch(/^arn:aws:ec2:us-east-1:123456789012:volume\/vol-[0-9a-f]{17}$/);
      const volumeId = volumeArn.split('/')[1]!;
      const volume = (await env.ec2East.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }))).Volumes![0]!;
      expect(volume).toMatchObject({ State: 'available', AvailabilityZone: 'us-east-1c', Size: 200, VolumeType: 'gp3', SnapshotId: rpArn.split('/')[1] });
      expect(env.ec2.dataOf(EAST, volumeId)).toEqual(before);
      expect(env.ec2.dataOf(EAST, volumeId).checksum).not.toBe(env.ec2.dataOf(EAST, BACKEND).checksum);
    });
  });

  describe('DynamoDB: a backup job, then a restore job producing a working table', () => {
    it('the recovery point is a DynamoDB backup; the restored table holds its items', async () => {
      const env = await setup();
      await vaults(env);
      await env.ddbEast.send(new PutItemCommand({ TableName: 'order-history', Item: { orderId: { S: 'o-2' } } }));
      const rpArn = await backUp(env, HISTORY_ARN);
      expect(rpArn).toMatch(/^arn:aws:dynamodb:us-east-1:123456789012:table\/order-history\/backup\/\d{14}-[0-9a-f]{8}$/);
      expect(env.dynamodb.backups.get(rpArn)).toMatchObject({ type: 'AWS_BACKUP', status: 'AVAILABLE' });
      await env.ddbEast.send(new PutItemCommand({ TableName: 'order-history', Item: { orderId: { S: 'o-3' } } }));
      const { RestoreJobId } = await env.east.send(
        new StartRestoreJobCommand({ RecoveryPointArn: rpArn, IamRoleArn: ROLE, Metadata: { targetTableName: 'order-history-restored' } }),
      );
      await until(env.clock, async () => (await restoreJob(env.east, RestoreJobId!)).Status === 'COMPLETED', MINUTE);
      const done = await restoreJob(env.east, RestoreJobId!);
      expect(done.CreatedResourceArn).toBe(`arn:aws:dynamodb:${EAST}:${ACCOUNT}:table/order-history-restored`);
      const scanned = await env.ddbEast.send(new ScanCommand({ TableName: 'order-history-restored' }));
      expect(scanned.Items!.map((i) => i['orderId']!.S).sort()).toEqual(['o-1', 'o-2']);
    });

    it('a copy action for a DynamoDB recovery point fails with a StatusMessage when the region has not enabled advanced DynamoDB backups', async () => {
      const env = await setup();
      await vaults(env);
      const { BackupPlanId } = await env.east.send(
        new CreateBackupPlanCommand({
          BackupPlan: {
            BackupPlanName: 'tables',
            Rules: [{ RuleName: 'daily', TargetBackupVaultName: 'securecart-vault', CopyActions: [{ DestinationBackupVaultArn: vaultArn(WEST, 'securecart-dr-vault') }] }],
          },
        }),
      );
      await env.east.send(new CreateBackupSelectionCommand({ BackupPlanId: BackupPlanId!, BackupSelection: { SelectionName: 't', IamRoleArn: ROLE, Resources: [HISTORY_ARN] } }));
      env.backup.runPlanNow(EAST, 'tables');
      await until(env.clock, async () => ((await env.east.send(new ListCopyJobsCommand({ ByState: 'FAILED' }))).CopyJobs ?? []).length === 1);
      const failed = (await env.east.send(new ListCopyJobsCommand({ ByState: 'FAILED' }))).CopyJobs![0]!;
      expect(failed.StatusMessage).toContain('advanced features');
    });
  });

  describe('cross-region: restore in the other region from the copy', () => {
    it('copies an RDS recovery point to us-west-2 and restores an instance there from it', async () => {
      const env = await setup();
      await vaults(env);
      env.rds.write(EAST, 'orders-db', { key: 'order-1' });
      const { BackupPlanId } = await env.east.send(
        new CreateBackupPlanCommand({
          BackupPlan: {
            BackupPlanName: 'securecart-daily',
            Rules: [
              {
                RuleName: 'daily',
                TargetBackupVaultName: 'securecart-vault',
                Lifecycle: { DeleteAfterDays: 7 },
                CopyActions: [{ DestinationBackupVaultArn: vaultArn(WEST, 'securecart-dr-vault'), Lifecycle: { DeleteAfterDays: 7 } }],
              },
            ],
          },
        }),
      );
      await env.east.send(new CreateBackupSelectionCommand({ BackupPlanId: BackupPlanId!, BackupSelection: { SelectionName: 'db', IamRoleArn: ROLE, Resources: [ORDERS_ARN] } }));
      env.backup.runPlanNow(EAST, 'securecart-daily');
      await until(env.clock, async () => ((await env.west.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'securecart-dr-vault' }))).RecoveryPoints ?? []).some((rp) => rp.Status === 'COMPLETED'), MINUTE);
      const copy = (await env.west.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'securecart-dr-vault' }))).RecoveryPoints![0]!;
      expect(copy.RecoveryPointArn).toMatch(/^arn:aws:rds:us-west-2:123456789012:snapshot:awsbackup:copyjob-/);
      const westSnapshot = copy.RecoveryPointArn!.split(':snapshot:')[1]!;
      expect((await env.rdsWest.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: westSnapshot }))).DBSnapshots![0]!.Status).toBe('available');

      // The primary region goes down; the DR copy still restores in us-west-2.
      env.sim.world.faults.setRegionUp(EAST, false, 'game day');
      const { RestoreJobId } = await env.west.send(
        new StartRestoreJobCommand({ RecoveryPointArn: copy.RecoveryPointArn!, IamRoleArn: ROLE, Metadata: { DBInstanceIdentifier: 'orders-db-dr' } }),
      );
      await until(env.clock, async () => (await restoreJob(env.west, RestoreJobId!)).Status === 'COMPLETED', MINUTE);
      const restored = (await env.rdsWest.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'orders-db-dr' }))).DBInstances![0]!;
      expect(restored.DBInstanceStatus).toBe('available');
      expect(env.rds.writesOf(WEST, 'orders-db-dr').map((w) => w.key)).toEqual(['order-1']);
    });
  });

  describe('seeding: steady state at t = 0', () => {
    it('seeds vaults in two regions, rules, selections by tag, and recovery points (and copies) as far back as retention', async () => {
      const env = await setup();
      env.ec2.seedVolume({ id: 'vol-00000000000000009', region: EAST, sizeGiB: 20, tags: { Name: 'scratch' } });
      const seeded = env.backup.seedBackupPlan({
        name: 'securecart-daily',
        region: EAST,
        rules: [
          {
            name: 'daily',
            vault: 'securecart-vault',
            schedule: 'cron(0 5 ? * * *)',
            deleteAfterDays: 7,
            copyTo: [{ region: WEST, vault: 'securecart-dr-vault', deleteAfterDays: 14 }],
          },
        ],
        selections: [{ name: 'tagged', tags: { backup: 'daily' } }],
      });
      const eastPoints = (await env.east.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'securecart-vault' }))).RecoveryPoints!;
      const ebsEast = eastPoints.filter((rp) => rp.ResourceArn === BACKEND_ARN);
      // Runs at 05:00 on each of the last 7 days (the oldest, 7 days ago at 05:00, expired at 05:00 today).
      expect(ebsEast).toHaveLength(7);
      expect(ebsEast.every((rp) => rp.Status === 'COMPLETED' && rp.CreatedBy?.BackupRuleName === 'daily')).toBe(true);
      expect(ebsEast.map((rp) => rp.CreationDate!.getTime()).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 7 }, (_, i) => Date.UTC(2025, 11, 30 + i, 5)),
      );
      const westPoints = (await env.west.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'securecart-dr-vault' }))).RecoveryPoints!;
      const ebsWest = westPoints.filter((rp) => rp.ResourceArn === BACKEND_ARN);
      expect(ebsWest).toHaveLength(14);
      expect(westPoints.every((rp) => rp.SourceBackupVaultArn === vaultArn(EAST, 'securecart-vault'))).toBe(true);
      // Every EBS recovery point is a real, completed snapshot in its region.
      const eastSnaps = await env.ec2East.send(new DescribeVolumesCommand({ Filters: [{ Name: 'tag:backup', Values: ['daily'] }] }));
      expect(eastSnaps.Volumes!.map((v) => v.VolumeId)).toEqual([BACKEND]);
      for (const rp of [...ebsEast, ...ebsWest]) {
        const region = rp.RecoveryPointArn!.split(':')[3]!;
        expect(env.ec2.findSnapshot(region, rp.RecoveryPointArn!.split('/')[1]!)?.state).toBe('completed');
      }
      // The untagged volume is not selected; the database and the table have their history too (the table's copies
      // because a plan that copies DynamoDB across regions opts its region into Backup's advanced DynamoDB features).
      expect(eastPoints.some((rp) => rp.ResourceArn!.includes('vol-00000000000000009'))).toBe(false);
      expect(seeded.skipped).toEqual([]);
      for (const arn of [ORDERS_ARN, HISTORY_ARN]) {
        expect(eastPoints.filter((rp) => rp.ResourceArn === arn)).toHaveLength(7);
        expect(westPoints.filter((rp) => rp.ResourceArn === arn)).toHaveLength(14);
      }

      // Lifecycle keeps the window sliding: the oldest expires, the 05:00 run adds one.
      const oldest = Math.min(...ebsEast.map((rp) => rp.CreationDate!.getTime()));
      await env.clock.runUntil(oldest + 7 * DAY);
      const after = (await env.east.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'securecart-vault', ByResourceArn: BACKEND_ARN }))).RecoveryPoints!;
      expect(after.some((rp) => rp.CreationDate!.getTime() === oldest)).toBe(false);
      await env.clock.runUntil(Date.UTC(2026, 0, 6, 8));
      const steady = (await env.east.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'securecart-vault', ByResourceArn: BACKEND_ARN }))).RecoveryPoints!;
      expect(steady).toHaveLength(7);
      expect(steady.map((rp) => rp.CreationDate!.getTime())).toContain(Date.UTC(2026, 0, 6, 5));
    });
  });

  describe('compliance evaluation (Backup Audit Manager)', () => {
    // Evaluates the model directly, no request: nothing crosses a transport, so once is enough.
    it.runIf(transport === 'in-process')('reports coverage, retention and cross-region copies per resource, with reasons', async () => {
      const env = await setup();
      env.ec2.seedVolume({ id: 'vol-00000000000000009', region: EAST, sizeGiB: 20, tags: { Name: 'scratch' } });
      env.backup.seedBackupPlan({
        name: 'securecart-daily',
        region: EAST,
        rules: [{ name: 'daily', vault: 'securecart-vault', deleteAfterDays: 7, copyTo: [{ region: WEST, vault: 'securecart-dr-vault', deleteAfterDays: 7 }] }],
        selections: [{ name: 'tagged', tags: { backup: 'daily' } }],
      });
      const report = env.backup.evaluateCompliance({ minRetentionDays: 7, requireCrossRegionCopy: true });
      const byArn = Object.fromEntries(report.resources.map((r) => [r.resourceArn, r]));
      expect(report.compliant).toBe(false);
      expect(byArn[BACKEND_ARN]).toMatchObject({
        resourceType: 'EBS',
        compliant: true,
        retentionDays: 7,
        copiedToRegions: [WEST],
        coveredBy: [{ planName: 'securecart-daily', ruleName: 'daily', vaultName: 'securecart-vault', retentionDays: 7, copyRegions: [WEST] }],
        reasons: [],
      });
      expect(byArn[BACKEND_ARN]!.completedRecoveryPoints).toBe(14);
      const scratch = byArn[`arn:aws:ec2:${EAST}:${ACCOUNT}:volume/vol-00000000000000009`]!;
      expect(scratch.compliant).toBe(false);
      expect(scratch.reasons).toEqual(['Not protected by any backup plan.']);
      // The database's seeded history has its copies in us-west-2.
      expect(byArn[ORDERS_ARN]).toMatchObject({ compliant: true, copiedToRegions: [WEST], completedRecoveryPoints: 14 });

      const strict = env.backup.evaluateCompliance({ minRetentionDays: 30, resourceArns: [BACKEND_ARN], maxRecoveryPointAgeHours: 1 });
      expect(strict.resources).toHaveLength(1);
      expect(strict.resources[0]!.reasons).toEqual([
        'Recovery points are kept 7 days, less than the required 30.',
        expect.stringMatching(/^The latest recovery point is \d+ hours old, more than 1\.$/),
      ]);

      // A database tagged after the fact is covered but has no copy in us-west-2 yet.
      const latecomer = env.rds.seedInstance({ identifier: 'latecomer-db', region: EAST, tags: { backup: 'daily' } });
      const late = () => env.backup.evaluateCompliance({ minRetentionDays: 7, requireCrossRegionCopy: true, resourceArns: [latecomer.arn] }).resources[0]!;
      expect(late().reasons).toEqual(['No completed recovery point has been copied to us-west-2 yet.']);
      // The plan runs and its copy lands: the database becomes compliant.
      env.backup.runPlanNow(EAST, 'securecart-daily');
      await until(env.clock, () => late().compliant, MINUTE);
      expect(late()).toMatchObject({ compliant: true, copiedToRegions: [WEST], completedRecoveryPoints: 2 });
      expect(late().latestRecoveryPoint!.region).toBe(WEST);
    });
  });
});
