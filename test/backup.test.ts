import {
  AlreadyExistsException,
  BackupClient,
  BackupServiceException,
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  DeleteBackupPlanCommand,
  DeleteBackupSelectionCommand,
  DeleteBackupVaultCommand,
  DeleteRecoveryPointCommand,
  DescribeBackupJobCommand,
  DescribeBackupVaultCommand,
  DescribeCopyJobCommand,
  DescribeRecoveryPointCommand,
  GetBackupPlanCommand,
  GetBackupSelectionCommand,
  InvalidParameterValueException,
  InvalidRequestException,
  InvalidResourceStateException,
  ListBackupJobsCommand,
  ListBackupPlansCommand,
  ListBackupSelectionsCommand,
  ListBackupVaultsCommand,
  ListCopyJobsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  MissingParameterValueException,
  ResourceNotFoundException,
  ServiceUnavailableException,
  StartBackupJobCommand,
  UpdateBackupPlanCommand,
  type BackupRuleInput,
  type DescribeBackupJobCommandOutput,
} from '@aws-sdk/client-backup';
import { DeleteSnapshotCommand, DescribeSnapshotsCommand, EC2Client, EC2ServiceException } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { defaultCalibration, longestSeconds } from '../src/sim/calibration.js';
import { createSimulator } from '../src/sim/index.js';
import { createBackupModule, CronError, nextRun, parseCron, type BackupModule } from '../src/sim/services/backup/index.js';
import { createEc2Module, type Ec2Module } from '../src/sim/services/ec2/index.js';
import { createRdsModule, type RdsModule } from '../src/sim/services/rds/index.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { SECOND, MINUTE, HOUR, DAY, ACCOUNT, EAST, WEST, ROLE, rejection } from './support/backup.js';
import { START } from './support/sim.js';

const BACKEND = 'vol-0a1b2c3d4e5f60718';
const BACKEND_ARN = `arn:aws:ec2:${EAST}:${ACCOUNT}:volume/${BACKEND}`;
const SCRATCH = 'vol-00000000000000009';
const SCRATCH_ARN = `arn:aws:ec2:${EAST}:${ACCOUNT}:volume/${SCRATCH}`;
const ORDERS_ARN = `arn:aws:rds:${EAST}:${ACCOUNT}:db:orders-db`;
const vaultArn = (region: string, name: string) => `arn:aws:backup:${region}:${ACCOUNT}:backup-vault:${name}`;

async function setupOver(via: TransportHarness, seed = 42) {
  const clock = new VirtualClock({ start: START });
  const sim = createSimulator({ clock, seed, services: [createRdsModule, createEc2Module, createBackupModule] });
  const rds = sim.world.module<RdsModule>('rds').model;
  const ec2 = sim.world.module<Ec2Module>('ec2').model;
  const backup = sim.world.module<BackupModule>('backup').model;
  rds.seedInstance({ identifier: 'orders-db', region: EAST, multiAZ: true, backupRetentionDays: 7, tags: { backup: 'daily' } });
  ec2.seedVolume({ id: BACKEND, region: EAST, sizeGiB: 200, tags: { backup: 'daily', Name: 'backend-volume' } });
  ec2.seedVolume({ id: SCRATCH, region: EAST, sizeGiB: 20, tags: { Name: 'scratch' } });
  return {
    clock,
    sim,
    rds,
    ec2,
    backup,
    east: new BackupClient(await via.config(sim, clock, EAST)),
    west: new BackupClient(await via.config(sim, clock, WEST)),
    ec2East: new EC2Client(await via.config(sim, clock, EAST)),
    ec2West: new EC2Client(await via.config(sim, clock, WEST)),
  };
}

type Env = Awaited<ReturnType<typeof setupOver>>;

/** Advance in steps until `done`, returning the virtual time it took. */
async function until(clock: VirtualClock, done: () => Promise<boolean> | boolean, stepMs = 10 * SECOND, limitMs = 6 * HOUR): Promise<number> {
  const from = clock.now();
  while (!(await done())) {
    if (clock.now() - from > limitMs) throw new Error('condition not reached in time');
    await clock.advance(stepMs);
  }
  return clock.now() - from;
}

async function job(client: BackupClient, id: string): Promise<DescribeBackupJobCommandOutput> {
  return client.send(new DescribeBackupJobCommand({ BackupJobId: id }));
}

async function vaults(env: Env): Promise<void> {
  await env.east.send(new CreateBackupVaultCommand({ BackupVaultName: 'securecart-vault' }));
  await env.west.send(new CreateBackupVaultCommand({ BackupVaultName: 'securecart-dr-vault' }));
}

const dailyRule = (overrides: Partial<BackupRuleInput> = {}): BackupRuleInput => ({
  RuleName: 'daily',
  TargetBackupVaultName: 'securecart-vault',
  ScheduleExpression: 'cron(0 5 ? * * *)',
  StartWindowMinutes: 60,
  Lifecycle: { DeleteAfterDays: 7 },
  CopyActions: [{ DestinationBackupVaultArn: vaultArn(WEST, 'securecart-dr-vault'), Lifecycle: { DeleteAfterDays: 14 } }],
  ...overrides,
});

describe('cron expressions', () => {
  const next = (expression: string, after: number) => new Date(nextRun(parseCron(expression), after)!).toISOString();

  it('computes the next run after now, in UTC', () => {
    expect(next('cron(0 5 ? * * *)', START)).toBe('2026-01-06T05:00:00.000Z');
    expect(next('cron(0 5 ? * * *)', Date.UTC(2026, 0, 6, 4, 59))).toBe('2026-01-06T05:00:00.000Z');
    expect(next('cron(0 5 ? * * *)', Date.UTC(2026, 0, 6, 5, 0))).toBe('2026-01-07T05:00:00.000Z');
    expect(next('cron(30 * ? * * *)', START)).toBe('2026-01-05T09:30:00.000Z');
    expect(next('cron(0 3 ? * SUN *)', START)).toBe('2026-01-11T03:00:00.000Z');
    expect(next('cron(0 3 ? * MON-FRI *)', Date.UTC(2026, 0, 9, 12))).toBe('2026-01-12T03:00:00.000Z');
    expect(next('cron(0 0 1 * ? *)', START)).toBe('2026-02-01T00:00:00.000Z');
    expect(next('cron(0 0 L * ? *)', Date.UTC(2026, 1, 2))).toBe('2026-02-28T00:00:00.000Z');
    expect(next('cron(0 0 ? * 6L *)', START)).toBe('2026-01-30T00:00:00.000Z');
    expect(next('cron(0 0 ? * 2#1 *)', START)).toBe('2026-02-02T00:00:00.000Z');
    expect(next('cron(0 0 15W * ? *)', Date.UTC(2026, 1, 1))).toBe('2026-02-16T00:00:00.000Z'); // the 15th is a Sunday
    expect(next('cron(0 0/6 ? * * *)', START)).toBe('2026-01-05T12:00:00.000Z');
    expect(next('cron(0 12 1 JAN ? 2027)', START)).toBe('2027-01-01T12:00:00.000Z');
    expect(nextRun(parseCron('cron(0 12 1 JAN ? 2025)'), START)).toBeUndefined();
  });

  it('refuses what AWS refuses', () => {
    for (const bad of ['rate(1 day)', 'cron(0 5 * * *)', 'cron(0 5 * * * *)', 'cron(0 5 ? * ? *)', 'cron(60 5 ? * * *)', 'cron(0 5 ? * FUNDAY *)', 'cron(0 5 32 * ? *)']) {
      expect(() => parseCron(bad), bad).toThrow(CronError);
    }
  });
});

describe.each(transports)('AWS Backup over the %s transport', (transport) => {
  const via = useTransport(transport);
  const setup = (seed?: number) => setupOver(via, seed);

  describe('backup vaults', () => {
    it('creates, describes, lists and deletes vaults per region', async () => {
      const env = await setup();
      const created = await env.east.send(new CreateBackupVaultCommand({ BackupVaultName: 'securecart-vault', BackupVaultTags: { team: 'sre' } }));
      expect(created).toMatchObject({ BackupVaultName: 'securecart-vault', BackupVaultArn: vaultArn(EAST, 'securecart-vault') });
      expect(created.CreationDate!.getTime()).toBe(START);
      const described = await env.east.send(new DescribeBackupVaultCommand({ BackupVaultName: 'securecart-vault' }));
      expect(described).toMatchObject({ BackupVaultName: 'securecart-vault', NumberOfRecoveryPoints: 0, VaultType: 'BACKUP_VAULT', Locked: false });
      expect(described.EncryptionKeyArn).toMatch(/^arn:aws:kms:us-east-1:123456789012:key\//);
      expect((await env.east.send(new ListBackupVaultsCommand({}))).BackupVaultList!.map((v) => v.BackupVaultName)).toEqual(['securecart-vault']);
      expect((await env.west.send(new ListBackupVaultsCommand({}))).BackupVaultList).toEqual([]);
      await rejection(env.east.send(new CreateBackupVaultCommand({ BackupVaultName: 'securecart-vault' })), AlreadyExistsException);
      await rejection(env.west.send(new DescribeBackupVaultCommand({ BackupVaultName: 'securecart-vault' })), ResourceNotFoundException);
      const invalid = await rejection(env.east.send(new CreateBackupVaultCommand({ BackupVaultName: 'no spaces allowed' })), InvalidParameterValueException);
      expect(invalid.$metadata.httpStatusCode).toBe(400);
      await env.east.send(new DeleteBackupVaultCommand({ BackupVaultName: 'securecart-vault' }));
      await rejection(env.east.send(new DescribeBackupVaultCommand({ BackupVaultName: 'securecart-vault' })), ResourceNotFoundException);
    });
  });

  describe('backup plans and selections', () => {
    it('creates a plan with defaults filled in, versions it, lists it and deletes it once its selections are gone', async () => {
      const env = await setup();
      await vaults(env);
      const created = await env.east.send(
        new CreateBackupPlanCommand({
          BackupPlan: { BackupPlanName: 'securecart-daily', Rules: [dailyRule(), { RuleName: 'weekly', TargetBackupVaultName: 'securecart-vault' }] },
        }),
      );
      expect(created.BackupPlanId).toMatch(/^[0-9a-f-]{36}$/);
      expect(created.BackupPlanArn).toBe(`arn:aws:backup:${EAST}:${ACCOUNT}:backup-plan:${created.BackupPlanId}`);
      const got = await env.east.send(new GetBackupPlanCommand({ BackupPlanId: created.BackupPlanId! }));
      expect(got.VersionId).toBe(created.VersionId);
      expect(got.BackupPlan!.BackupPlanName).toBe('securecart-daily');
      const [daily, weekly] = got.BackupPlan!.Rules!;
      expect(daily).toMatchObject({
        RuleName: 'daily',
        ScheduleExpression: 'cron(0 5 ? * * *)',
        StartWindowMinutes: 60,
        CompletionWindowMinutes: 10080,
        Lifecycle: { DeleteAfterDays: 7 },
        CopyActions: [{ DestinationBackupVaultArn: vaultArn(WEST, 'securecart-dr-vault'), Lifecycle: { DeleteAfterDays: 14 } }],
        ScheduleExpressionTimezone: 'Etc/UTC',
      });
      expect(daily!.RuleId).toMatch(/^[0-9a-f-]{36}$/);
      // AWS Backup's defaults: daily at 05:00 UTC, an 8-hour start window, a 7-day completion window.
      expect(weekly).toMatchObject({ ScheduleExpression: 'cron(0 5 ? * * *)', StartWindowMinutes: 480, CompletionWindowMinutes: 10080 });
      await rejection(env.east.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: 'securecart-daily', Rules: [dailyRule()] } })), AlreadyExistsException);

      const updated = await env.east.send(
        new UpdateBackupPlanCommand({ BackupPlanId: created.BackupPlanId!, BackupPlan: { BackupPlanName: 'securecart-daily', Rules: [dailyRule({ Lifecycle: { DeleteAfterDays: 30 } })] } }),
      );
      expect(updated.VersionId).not.toBe(created.VersionId);
      const latest = await env.east.send(new GetBackupPlanCommand({ BackupPlanId: created.BackupPlanId! }));
      expect(latest.BackupPlan!.Rules).toHaveLength(1);
      expect(latest.BackupPlan!.Rules![0]).toMatchObject({ RuleId: daily!.RuleId, Lifecycle: { DeleteAfterDays: 30 } });
      const old = await env.east.send(new GetBackupPlanCommand({ BackupPlanId: created.BackupPlanId!, VersionId: created.VersionId! }));
      expect(old.BackupPlan!.Rules).toHaveLength(2);

      const selection = await env.east.send(
        new CreateBackupSelectionCommand({
          BackupPlanId: created.BackupPlanId!,
          BackupSelection: { SelectionName: 'tagged', IamRoleArn: ROLE, ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'daily' }] },
        }),
      );
      expect((await env.east.send(new ListBackupPlansCommand({}))).BackupPlansList!.map((p) => p.BackupPlanName)).toEqual(['securecart-daily']);
      await rejection(env.east.send(new DeleteBackupPlanCommand({ BackupPlanId: created.BackupPlanId! })), InvalidRequestException);
      await env.east.send(new DeleteBackupSelectionCommand({ BackupPlanId: created.BackupPlanId!, SelectionId: selection.SelectionId! }));
      const deleted = await env.east.send(new DeleteBackupPlanCommand({ BackupPlanId: created.BackupPlanId! }));
      expect(deleted.DeletionDate!.getTime()).toBe(START);
      expect((await env.east.send(new ListBackupPlansCommand({}))).BackupPlansList).toEqual([]);
      const withDeleted = await env.east.send(new ListBackupPlansCommand({ IncludeDeleted: true }));
      expect(withDeleted.BackupPlansList!.map((p) => p.DeletionDate?.getTime())).toEqual([START]);
    });

    it('refuses bad rules with InvalidParameterValueException and missing members with MissingParameterValueException', async () => {
      const env = await setup();
      await vaults(env);
      const plan = (rule: BackupRuleInput) => env.east.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: 'p', Rules: [rule] } }));
      const badCron = await rejection(plan(dailyRule({ ScheduleExpression: 'cron(0 5 * * * *)' })), InvalidParameterValueException);
      expect(badCron.message).toContain('ScheduleExpression');
      await rejection(plan(dailyRule({ ScheduleExpression: 'cron(0/30 * ? * * *)' })), InvalidParameterValueException);
      await rejection(plan(dailyRule({ TargetBackupVaultName: 'nowhere' })), InvalidParameterValueException);
      await rejection(plan(dailyRule({ StartWindowMinutes: 10 })), InvalidParameterValueException);
      await rejection(plan(dailyRule({ Lifecycle: { DeleteAfterDays: 0 } })), InvalidParameterValueException);
      await rejection(plan(dailyRule({ CopyActions: [{ DestinationBackupVaultArn: 'arn:aws:s3:::bucket' }] })), InvalidParameterValueException);
      const missing = await rejection(plan({ RuleName: 'r' } as BackupRuleInput), MissingParameterValueException);
      expect(missing.message).toContain('TargetBackupVaultName');
      expect(missing).toBeInstanceOf(BackupServiceException);
      await rejection(env.east.send(new GetBackupPlanCommand({ BackupPlanId: '00000000-0000-4000-8000-000000000000' })), ResourceNotFoundException);
    });

    it('selects resources by tag, by ARN (with wildcards) and by conditions', async () => {
      const env = await setup();
      await vaults(env);
      const { BackupPlanId } = await env.east.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: 'p', Rules: [dailyRule()] } }));
      const byTag = await env.east.send(
        new CreateBackupSelectionCommand({
          BackupPlanId: BackupPlanId!,
          BackupSelection: { SelectionName: 'by-tag', IamRoleArn: ROLE, ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'daily' }] },
        }),
      );
      const got = await env.east.send(new GetBackupSelectionCommand({ BackupPlanId: BackupPlanId!, SelectionId: byTag.SelectionId! }));
      expect(got.BackupSelection).toMatchObject({ SelectionName: 'by-tag', IamRoleArn: ROLE, ListOfTags: [{ ConditionKey: 'backup', ConditionValue: 'daily' }] });
      const plan = env.backup.plan(EAST, BackupPlanId!);
      expect(env.backup.selectedResources(plan).map((r) => r.arn).sort()).toEqual([BACKEND_ARN, ORDERS_ARN].sort());

      await env.east.send(
        new CreateBackupSelectionCommand({
          BackupPlanId: BackupPlanId!,
          BackupSelection: {
            SelectionName: 'all-volumes-but-backend',
            IamRoleArn: ROLE,
            Resources: [`arn:aws:ec2:*:*:volume/*`],
            NotResources: [BACKEND_ARN],
          },
        }),
      );
      expect(env.backup.selectedResources(plan).map((r) => r.arn).sort()).toEqual([BACKEND_ARN, ORDERS_ARN, SCRATCH_ARN].sort());
      const listed = await env.east.send(new ListBackupSelectionsCommand({ BackupPlanId: BackupPlanId! }));
      expect(listed.BackupSelectionsList!.map((s) => s.SelectionName).sort()).toEqual(['all-volumes-but-backend', 'by-tag']);

      const { BackupPlanId: other } = await env.east.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: 'named', Rules: [dailyRule()] } }));
      await env.east.send(
        new CreateBackupSelectionCommand({
          BackupPlanId: other!,
          BackupSelection: {
            SelectionName: 'conditions',
            IamRoleArn: ROLE,
            Resources: ['*'],
            Conditions: { StringLike: [{ ConditionKey: 'aws:ResourceTag/Name', ConditionValue: 'back*' }] },
          },
        }),
      );
      expect(env.backup.selectedResources(env.backup.plan(EAST, other!)).map((r) => r.arn)).toEqual([BACKEND_ARN]);

      const noRole = await rejection(
        env.east.send(new CreateBackupSelectionCommand({ BackupPlanId: BackupPlanId!, BackupSelection: { SelectionName: 'x', Resources: ['*'] } as never })),
        MissingParameterValueException,
      );
      expect(noRole.message).toContain('IamRoleArn');
      await rejection(
        env.east.send(new CreateBackupSelectionCommand({ BackupPlanId: '00000000-0000-4000-8000-000000000000', BackupSelection: { SelectionName: 'x', IamRoleArn: ROLE, Resources: ['*'] } })),
        ResourceNotFoundException,
      );
    });
  });

  describe('backup jobs (EBS)', () => {
    it('goes CREATED → RUNNING after the job overhead → COMPLETED when the EBS snapshot completes', async () => {
      const env = await setup();
      await vaults(env);
      const started = await env.east.send(new StartBackupJobCommand({ BackupVaultName: 'securecart-vault', ResourceArn: BACKEND_ARN, IamRoleArn: ROLE }));
      const id = started.BackupJobId!;
      expect(id).toMatch(/^[0-9A-F-]{36}$/);
      expect(started.CreationDate!.getTime()).toBe(START);
      const created = await job(env.east, id);
      expect(created).toMatchObject({
        State: 'CREATED',
        ResourceArn: BACKEND_ARN,
        ResourceType: 'EBS',
        ResourceName: 'backend-volume',
        BackupVaultName: 'securecart-vault',
        BackupVaultArn: vaultArn(EAST, 'securecart-vault'),
        IamRoleArn: ROLE,
        PercentDone: '0.0',
        AccountId: ACCOUNT,
      });
      expect(created.StartBy!.getTime()).toBe(START + 480 * MINUTE);
      const toRunning = await until(env.clock, async () => (await job(env.east, id)).State === 'RUNNING', SECOND);
      const start = defaultCalibration['backup.job.start'];
      expect(toRunning).toBeGreaterThanOrEqual(start.minSeconds * SECOND);
      expect(toRunning).toBeLessThanOrEqual(longestSeconds(start) * SECOND + SECOND);
      const running = await job(env.east, id);
      const snapshotArn = running.RecoveryPointArn!;
      expect(snapshotArn).toMatch(/^arn:aws:ec2:us-east-1::snapshot\/snap-[0-9a-f]{17}$/);
      const snapshotId = snapshotArn.split('/')[1]!;
      const snapshot = (await env.ec2East.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }))).Snapshots![0]!;
      expect(snapshot).toMatchObject({ VolumeId: BACKEND, State: 'pending', Description: 'This snapshot is created by the AWS Backup service.' });
      const creating = await env.east.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'securecart-vault' }));
      expect(creating.RecoveryPoints!.map((rp) => rp.Status)).toEqual(['CREATING']);
      await rejection(env.east.send(new DeleteRecoveryPointCommand({ BackupVaultName: 'securecart-vault', RecoveryPointArn: snapshotArn })), InvalidResourceStateException);

      await until(env.clock, async () => (await job(env.east, id)).State === 'COMPLETED');
      const done = await job(env.east, id);
      const ebs = (await env.ec2East.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }))).Snapshots![0]!;
      expect(ebs.State).toBe('completed');
      // The job completes when its snapshot does (within the step this test advances by).
      expect(done.CompletionDate!.getTime() - ebs.CompletionTime!.getTime()).toBeLessThan(10 * SECOND);
      expect(done).toMatchObject({ PercentDone: '100.0', BackupSizeInBytes: 200 * 1024 ** 3 });
      expect(done.CreatedBy).toBeUndefined();
      const rp = await env.east.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'securecart-vault', RecoveryPointArn: snapshotArn }));
      expect(rp).toMatchObject({ Status: 'COMPLETED', ResourceArn: BACKEND_ARN, ResourceType: 'EBS', StorageClass: 'WARM', IsEncrypted: true });
      expect((await env.east.send(new DescribeBackupVaultCommand({ BackupVaultName: 'securecart-vault' }))).NumberOfRecoveryPoints).toBe(1);

      // EC2 refuses to delete a snapshot AWS Backup manages; Backup deletes it.
      const refused = await rejection(env.ec2East.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId })), EC2ServiceException);
      expect(refused.name).toBe('InvalidParameterValue');
      expect(refused.message).toContain('managed by the AWS Backup service');
      await env.east.send(new DeleteRecoveryPointCommand({ BackupVaultName: 'securecart-vault', RecoveryPointArn: snapshotArn }));
      expect((await env.ec2East.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }))).Snapshots).toEqual([]);
      await rejection(env.east.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'securecart-vault', RecoveryPointArn: snapshotArn })), ResourceNotFoundException);
      expect(env.sim.world.events.filter((e) => e.kind === 'backup.job.state' && e.detail['jobId'] === id).map((e) => e.detail['state'])).toEqual([
        'CREATED',
        'RUNNING',
        'COMPLETED',
      ]);
    });

    it('lists jobs by state, resource and vault', async () => {
      const env = await setup();
      await vaults(env);
      const a = (await env.east.send(new StartBackupJobCommand({ BackupVaultName: 'securecart-vault', ResourceArn: BACKEND_ARN, IamRoleArn: ROLE }))).BackupJobId!;
      await env.clock.advance(MINUTE);
      const b = (await env.east.send(new StartBackupJobCommand({ BackupVaultName: 'securecart-vault', ResourceArn: SCRATCH_ARN, IamRoleArn: ROLE }))).BackupJobId!;
      const ids = async (input: ConstructorParameters<typeof ListBackupJobsCommand>[0] & object) =>
        ((await env.east.send(new ListBackupJobsCommand(input))).BackupJobs ?? []).map((j) => j.BackupJobId);
      expect(await ids({})).toEqual([b, a]);
      expect(await ids({ ByResourceArn: SCRATCH_ARN })).toEqual([b]);
      expect(await ids({ ByBackupVaultName: 'securecart-vault', ByResourceType: 'EBS' })).toEqual([b, a]);
      expect(await ids({ ByState: 'COMPLETED' })).toEqual([]);
      expect(await ids({ ByCreatedAfter: new Date(START + 30 * SECOND) })).toEqual([b]);
      await until(env.clock, async () => (await ids({ ByState: 'COMPLETED' })).length === 2);
      expect((await env.west.send(new ListBackupJobsCommand({}))).BackupJobs).toEqual([]);
      const first = await env.east.send(new ListBackupJobsCommand({ MaxResults: 1 }));
      expect(first.BackupJobs).toHaveLength(1);
      const second = await env.east.send(new ListBackupJobsCommand({ MaxResults: 1, NextToken: first.NextToken! }));
      expect(second.BackupJobs!.map((j) => j.BackupJobId)).toEqual([a]);
      expect(second.NextToken).toBeUndefined();
    });

    it('fails with a StatusMessage when the resource is gone, and refuses what it cannot back up', async () => {
      const env = await setup();
      await vaults(env);
      const ghost = `arn:aws:ec2:${EAST}:${ACCOUNT}:volume/vol-0ffffffffffffffff`;
      const { BackupJobId } = await env.east.send(new StartBackupJobCommand({ BackupVaultName: 'securecart-vault', ResourceArn: ghost, IamRoleArn: ROLE }));
      await until(env.clock, async () => (await job(env.east, BackupJobId!)).State !== 'CREATED', SECOND);
      const failed = await job(env.east, BackupJobId!);
      expect(failed.State).toBe('FAILED');
      expect(failed.StatusMessage).toContain('was not found');
      await rejection(env.east.send(new StartBackupJobCommand({ BackupVaultName: 'nowhere', ResourceArn: BACKEND_ARN, IamRoleArn: ROLE })), ResourceNotFoundException);
      await rejection(
        env.east.send(new StartBackupJobCommand({ BackupVaultName: 'securecart-vault', ResourceArn: 'arn:aws:s3:::invoices', IamRoleArn: ROLE })),
        InvalidParameterValueException,
      );
      await rejection(
        env.west.send(new StartBackupJobCommand({ BackupVaultName: 'securecart-dr-vault', ResourceArn: BACKEND_ARN, IamRoleArn: ROLE })),
        InvalidParameterValueException,
      );
      await rejection(env.east.send(new StartBackupJobCommand({ BackupVaultName: 'securecart-vault', ResourceArn: BACKEND_ARN } as never)), MissingParameterValueException);
      await rejection(env.east.send(new DescribeBackupJobCommand({ BackupJobId: '00000000-0000-4000-8000-000000000000' })), ResourceNotFoundException);
    });

    it('an IdempotencyToken names the same job', async () => {
      const env = await setup();
      await vaults(env);
      const input = { BackupVaultName: 'securecart-vault', ResourceArn: BACKEND_ARN, IamRoleArn: ROLE, IdempotencyToken: 'token-1' };
      const a = await env.east.send(new StartBackupJobCommand(input));
      const b = await env.east.send(new StartBackupJobCommand(input));
      expect(b.BackupJobId).toBe(a.BackupJobId);
    });

    it('expires a job that cannot start within its start window (its region is down)', async () => {
      const env = await setup();
      await vaults(env);
      const { BackupJobId } = await env.east.send(
        new StartBackupJobCommand({ BackupVaultName: 'securecart-vault', ResourceArn: BACKEND_ARN, IamRoleArn: ROLE, StartWindowMinutes: 60 }),
      );
      env.sim.world.faults.setRegionUp(EAST, false, 'test');
      await rejection(env.east.send(new DescribeBackupJobCommand({ BackupJobId: BackupJobId! })), ServiceUnavailableException);
      await env.clock.advance(61 * MINUTE);
      env.sim.world.faults.setRegionUp(EAST, true, 'test');
      const expired = await job(env.east, BackupJobId!);
      expect(expired.State).toBe('EXPIRED');
      expect(expired.StatusMessage).toContain('start window');
    });

    it('a job held back by an outage starts when the region comes back', async () => {
      const env = await setup();
      await vaults(env);
      const { BackupJobId } = await env.east.send(new StartBackupJobCommand({ BackupVaultName: 'securecart-vault', ResourceArn: BACKEND_ARN, IamRoleArn: ROLE }));
      env.sim.world.faults.setRegionUp(EAST, false, 'test');
      await env.clock.advance(30 * MINUTE);
      env.sim.world.faults.setRegionUp(EAST, true, 'test');
      expect((await job(env.east, BackupJobId!)).State).toBe('CREATED');
      await env.clock.advance(SECOND);
      const running = await job(env.east, BackupJobId!);
      expect(running.State).toBe('RUNNING');
      expect(running.InitiationDate!.getTime()).toBe(START + 30 * MINUTE);
    });
  });

  describe('lifecycle', () => {
    it('deletes a recovery point DeleteAfterDays after its job was created, with its snapshot', async () => {
      const env = await setup();
      await vaults(env);
      const { BackupJobId } = await env.east.send(
        new StartBackupJobCommand({ BackupVaultName: 'securecart-vault', ResourceArn: BACKEND_ARN, IamRoleArn: ROLE, Lifecycle: { DeleteAfterDays: 1 } }),
      );
      await until(env.clock, async () => (await job(env.east, BackupJobId!)).State === 'COMPLETED');
      const arn = (await job(env.east, BackupJobId!)).RecoveryPointArn!;
      const rp = await env.east.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'securecart-vault', RecoveryPointArn: arn }));
      expect(rp.Lifecycle).toEqual({ DeleteAfterDays: 1 });
      expect(rp.CalculatedLifecycle!.DeleteAt!.getTime()).toBe(START + DAY);
      await env.clock.runUntil(START + DAY - SECOND);
      expect((await env.east.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'securecart-vault' }))).RecoveryPoints).toHaveLength(1);
      await env.clock.runUntil(START + DAY);
      expect((await env.east.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'securecart-vault' }))).RecoveryPoints).toEqual([]);
      expect((await env.ec2East.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }))).Snapshots).toEqual([]);
      expect(env.sim.world.events.find((e) => e.kind === 'backup.recovery-point.expired')).toMatchObject({ at: START + DAY, detail: { arn } });
    });
  });

  describe('scheduled rules on the virtual clock', () => {
    it('fires at the cron time, backs up every selected resource, and keeps firing', async () => {
      const env = await setup();
      await vaults(env);
      const { BackupPlanId } = await env.east.send(
        new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: 'securecart-daily', Rules: [dailyRule({ CopyActions: [] })] } }),
      );
      await env.east.send(
        new CreateBackupSelectionCommand({ BackupPlanId: BackupPlanId!, BackupSelection: { SelectionName: 'tagged', IamRoleArn: ROLE, ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'daily' }] } }),
      );
      const fireAt = Date.UTC(2026, 0, 6, 5);
      await env.clock.runUntil(fireAt - SECOND);
      expect((await env.east.send(new ListBackupJobsCommand({}))).BackupJobs).toEqual([]);
      await env.clock.runUntil(fireAt);
      const jobs = (await env.east.send(new ListBackupJobsCommand({}))).BackupJobs!;
      expect(jobs.map((j) => j.ResourceArn).sort()).toEqual([BACKEND_ARN, ORDERS_ARN].sort());
      for (const j of jobs) {
        expect(j.CreationDate!.getTime()).toBe(fireAt);
        expect(j.StartBy!.getTime()).toBe(fireAt + HOUR);
        expect(j.CreatedBy).toMatchObject({ BackupPlanId, BackupRuleName: 'daily', BackupRuleCron: 'cron(0 5 ? * * *)', BackupPlanName: 'securecart-daily' });
        expect(j.RecoveryPointLifecycle).toEqual({ DeleteAfterDays: 7 });
      }
      const plan = await env.east.send(new GetBackupPlanCommand({ BackupPlanId: BackupPlanId! }));
      expect(plan.LastExecutionDate!.getTime()).toBe(fireAt);
      await until(env.clock, async () => ((await env.east.send(new ListBackupJobsCommand({ ByState: 'COMPLETED' }))).BackupJobs ?? []).length === 2, MINUTE);
      // The RDS recovery point is an RDS snapshot named after the job.
      const rdsJob = jobs.find((j) => j.ResourceType === 'RDS')!;
      expect((await job(env.east, rdsJob.BackupJobId!)).RecoveryPointArn).toBe(`arn:aws:rds:${EAST}:${ACCOUNT}:snapshot:awsbackup:job-${rdsJob.BackupJobId!.toLowerCase()}`);
      await env.clock.runUntil(fireAt + DAY);
      const after = (await env.east.send(new ListBackupJobsCommand({ ByCreatedAfter: new Date(fireAt + HOUR) }))).BackupJobs!;
      expect(after.map((j) => j.CreationDate!.getTime())).toEqual([fireAt + DAY, fireAt + DAY]);
      expect(env.sim.world.events.filter((e) => e.kind === 'backup.rule.fired').map((e) => e.at)).toEqual([fireAt, fireAt + DAY]);
    });

    it('stops firing when the plan is deleted', async () => {
      const env = await setup();
      await vaults(env);
      const { BackupPlanId } = await env.east.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: 'p', Rules: [dailyRule({ CopyActions: [] })] } }));
      await env.east.send(new DeleteBackupPlanCommand({ BackupPlanId: BackupPlanId! }));
      await env.clock.runUntil(START + 2 * DAY);
      expect(env.sim.world.events.filter((e) => e.kind === 'backup.rule.fired')).toEqual([]);
    });
  });

  describe('copy to the other region', () => {
    it('after the backup completes, a copy job puts a copy into the other region’s vault', async () => {
      const env = await setup();
      await vaults(env);
      const { BackupPlanId } = await env.east.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: 'securecart-daily', Rules: [dailyRule()] } }));
      await env.east.send(new CreateBackupSelectionCommand({ BackupPlanId: BackupPlanId!, BackupSelection: { SelectionName: 'backend', IamRoleArn: ROLE, Resources: [BACKEND_ARN] } }));
      const [started] = env.backup.runPlanNow(EAST, 'securecart-daily');
      await until(env.clock, async () => (await job(env.east, started!.id)).State === 'COMPLETED');
      const source = (await job(env.east, started!.id)).RecoveryPointArn!;
      const copies = (await env.east.send(new ListCopyJobsCommand({}))).CopyJobs!;
      expect(copies).toHaveLength(1);
      expect(copies[0]).toMatchObject({
        SourceRecoveryPointArn: source,
        SourceBackupVaultArn: vaultArn(EAST, 'securecart-vault'),
        DestinationBackupVaultArn: vaultArn(WEST, 'securecart-dr-vault'),
        ResourceArn: BACKEND_ARN,
        ResourceType: 'EBS',
        CreatedByBackupJobId: started!.id,
        DestinationRecoveryPointLifecycle: { DeleteAfterDays: 14 },
      });
      const copyId = copies[0]!.CopyJobId!;
      await until(env.clock, async () => (await env.east.send(new DescribeCopyJobCommand({ CopyJobId: copyId }))).CopyJob!.State === 'COMPLETED', MINUTE);
      const copy = (await env.east.send(new DescribeCopyJobCommand({ CopyJobId: copyId }))).CopyJob!;
      const destination = copy.DestinationRecoveryPointArn!;
      expect(destination).toMatch(/^arn:aws:ec2:us-west-2::snapshot\/snap-/);
      const inWest = (await env.west.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'securecart-dr-vault' }))).RecoveryPoints!;
      expect(inWest).toHaveLength(1);
      expect(inWest[0]).toMatchObject({
        RecoveryPointArn: destination,
        Status: 'COMPLETED',
        SourceBackupVaultArn: vaultArn(EAST, 'securecart-vault'),
        ResourceArn: BACKEND_ARN,
        Lifecycle: { DeleteAfterDays: 14 },
      });
      const westSnapshot = (await env.ec2West.send(new DescribeSnapshotsCommand({ SnapshotIds: [destination.split('/')[1]!] }))).Snapshots![0]!;
      expect(westSnapshot.State).toBe('completed');
      expect(env.ec2.snapshotDataOf(WEST, westSnapshot.SnapshotId!)).toEqual(env.ec2.snapshotDataOf(EAST, source.split('/')[1]!));
      await rejection(env.west.send(new DescribeCopyJobCommand({ CopyJobId: copyId })), ResourceNotFoundException);
    });

    it('fails the copy job when the destination vault does not exist', async () => {
      const env = await setup();
      await env.east.send(new CreateBackupVaultCommand({ BackupVaultName: 'securecart-vault' }));
      await env.east.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: 'p', Rules: [dailyRule()] } }));
      const plan = (await env.east.send(new ListBackupPlansCommand({}))).BackupPlansList![0]!;
      await env.east.send(new CreateBackupSelectionCommand({ BackupPlanId: plan.BackupPlanId!, BackupSelection: { SelectionName: 's', IamRoleArn: ROLE, Resources: [SCRATCH_ARN] } }));
      env.backup.runPlanNow(EAST, 'p');
      await until(env.clock, async () => ((await env.east.send(new ListCopyJobsCommand({}))).CopyJobs ?? []).some((j) => j.State === 'FAILED'), MINUTE);
      const failed = (await env.east.send(new ListCopyJobsCommand({ ByState: 'FAILED' }))).CopyJobs![0]!;
      expect(failed.StatusMessage).toContain('does not exist');
    });
  });

  describe('determinism', () => {
    async function run(seed: number) {
      const env = await setup(seed);
      env.backup.seedBackupPlan({
        name: 'securecart-daily',
        region: EAST,
        rules: [{ name: 'daily', vault: 'securecart-vault', deleteAfterDays: 3, copyTo: [{ region: WEST, vault: 'securecart-dr-vault', deleteAfterDays: 3 }] }],
        selections: [{ name: 'tagged', tags: { backup: 'daily' } }],
      });
      await env.clock.runUntil(START + 2 * DAY);
      return JSON.stringify(env.sim.world.events.filter((e) => e.kind.startsWith('backup.') || e.kind.startsWith('ec2.')));
    }

    // Scheduled rules only, no request: nothing crosses a transport, so once is enough.
    it.runIf(transport === 'in-process')('the same seed gives the same backup timeline, byte for byte', async () => {
      const a = await run(7);
      expect(a).toContain('backup.copy-job.state');
      expect(await run(7)).toBe(a);
      expect(await run(8)).not.toBe(a);
    });
  });
});
