import {
  BackupClient,
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  DescribeBackupJobCommand,
  DescribeCopyJobCommand,
  DescribeRecoveryPointCommand,
  DescribeRegionSettingsCommand,
  DescribeRestoreJobCommand,
  InvalidParameterValueException,
  ListCopyJobsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ResourceNotFoundException,
  StartBackupJobCommand,
  StartCopyJobCommand,
  StartRestoreJobCommand,
  UpdateRegionSettingsCommand,
  type CopyJob,
} from '@aws-sdk/client-backup';
import { DescribeBackupCommand, DescribeTableCommand, DynamoDBClient, ListBackupsCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { createSimulator } from '../src/sim/index.js';
import { createBackupModule, type BackupModule } from '../src/sim/services/backup/index.js';
import { createDynamoDbModule, type DynamoDbModule } from '../src/sim/services/dynamodb/index.js';
import { createEc2Module } from '../src/sim/services/ec2/index.js';
import { createRdsModule, type RdsModule } from '../src/sim/services/rds/index.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { SECOND, MINUTE, HOUR, ACCOUNT, EAST, WEST, ROLE, rejection } from './support/backup.js';
import { START } from './support/sim.js';

/**
 * AWS Backup's advanced DynamoDB features: a region opted in with
 * UpdateRegionSettings (ResourceTypeManagementPreference DynamoDB) makes
 * DynamoDB recovery points Backup's own, which copy to another region and
 * restore there; without them a copy job fails.
 */

const HISTORY_ARN = `arn:aws:dynamodb:${EAST}:${ACCOUNT}:table/order-history`;
const ORDERS_ARN = `arn:aws:rds:${EAST}:${ACCOUNT}:db:orders-db`;
const DR_VAULT = `arn:aws:backup:${WEST}:${ACCOUNT}:backup-vault:dr-vault`;
const MANAGED_RP = (region: string) => new RegExp(`^arn:aws:backup:${region}:${ACCOUNT}:recovery-point:[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$`);

async function setupOver(via: TransportHarness) {
  const clock = new VirtualClock({ start: START });
  const sim = createSimulator({ clock, seed: 42, services: [createRdsModule, createEc2Module, createDynamoDbModule, createBackupModule] });
  sim.world.module<RdsModule>('rds').model.seedInstance({ identifier: 'orders-db', region: EAST, tags: { backup: 'daily' } });
  sim.world.module<DynamoDbModule>('dynamodb').model.seedTable({
    name: 'order-history',
    region: EAST,
    key: { hash: { name: 'orderId', type: 'S' } },
    items: [{ orderId: { S: 'o-1' } }, { orderId: { S: 'o-2' } }],
    tags: { backup: 'daily' },
  });
  const env = {
    clock,
    sim,
    backup: sim.world.module<BackupModule>('backup').model,
    east: new BackupClient(await via.config(sim, clock, EAST)),
    west: new BackupClient(await via.config(sim, clock, WEST)),
    ddbEast: new DynamoDBClient(await via.config(sim, clock, EAST)),
    ddbWest: new DynamoDBClient(await via.config(sim, clock, WEST)),
  };
  await env.east.send(new CreateBackupVaultCommand({ BackupVaultName: 'vault' }));
  await env.west.send(new CreateBackupVaultCommand({ BackupVaultName: 'dr-vault' }));
  return env;
}

type Env = Awaited<ReturnType<typeof setupOver>>;

async function until(clock: VirtualClock, done: () => Promise<boolean>, stepMs = 30 * SECOND, limitMs = 4 * HOUR): Promise<void> {
  const from = clock.now();
  while (!(await done())) {
    if (clock.now() - from > limitMs) throw new Error('condition not reached in time');
    await clock.advance(stepMs);
  }
}

/** An on-demand backup of the table, run to completion; its recovery point ARN. */
async function backUp(env: Env, resourceArn = HISTORY_ARN): Promise<string> {
  const { BackupJobId } = await env.east.send(new StartBackupJobCommand({ BackupVaultName: 'vault', ResourceArn: resourceArn, IamRoleArn: ROLE }));
  const state = async () => env.east.send(new DescribeBackupJobCommand({ BackupJobId: BackupJobId! }));
  await until(env.clock, async () => ['COMPLETED', 'FAILED'].includes((await state()).State!));
  const job = await state();
  expect(job.State).toBe('COMPLETED');
  return job.RecoveryPointArn!;
}

async function copy(env: Env, recoveryPointArn: string): Promise<CopyJob> {
  const { CopyJobId } = await env.east.send(
    new StartCopyJobCommand({ RecoveryPointArn: recoveryPointArn, SourceBackupVaultName: 'vault', DestinationBackupVaultArn: DR_VAULT, IamRoleArn: ROLE }),
  );
  const job = async () => (await env.east.send(new DescribeCopyJobCommand({ CopyJobId: CopyJobId! }))).CopyJob!;
  await until(env.clock, async () => ['COMPLETED', 'FAILED'].includes((await job()).State!));
  return job();
}

const optIn = (env: Env, on = true) => env.east.send(new UpdateRegionSettingsCommand({ ResourceTypeManagementPreference: { DynamoDB: on } }));

describe.each(transports)('AWS Backup advanced DynamoDB backups over the %s transport', (transport) => {
  const via = useTransport(transport);
  const setup = () => setupOver(via);

  it('DescribeRegionSettings shows the defaults; UpdateRegionSettings changes one region and refuses unknown types', async () => {
    const env = await setup();
    const before = await env.east.send(new DescribeRegionSettingsCommand({}));
    expect(before.ResourceTypeManagementPreference).toEqual({ DynamoDB: false, EFS: false });
    expect(before.ResourceTypeOptInPreference).toMatchObject({ RDS: true, EBS: true, DynamoDB: true, S3: false });
    await optIn(env);
    expect((await env.east.send(new DescribeRegionSettingsCommand({}))).ResourceTypeManagementPreference).toEqual({ DynamoDB: true, EFS: false });
    expect((await env.west.send(new DescribeRegionSettingsCommand({}))).ResourceTypeManagementPreference).toEqual({ DynamoDB: false, EFS: false });
    const unknown = await rejection(env.east.send(new UpdateRegionSettingsCommand({ ResourceTypeManagementPreference: { RDS: true } })), InvalidParameterValueException);
    expect(unknown.message).toContain('RDS');
    await rejection(env.east.send(new UpdateRegionSettingsCommand({ ResourceTypeOptInPreference: { Mainframe: true } })), InvalidParameterValueException);
    expect(env.backup.fullyManages(EAST, 'DynamoDB')).toBe(true);
  });

  it('without advanced features the recovery point is DynamoDB’s backup, and copying it to another region fails', async () => {
    const env = await setup();
    const rp = await backUp(env);
    expect(rp).toMatch(/^arn:aws:dynamodb:us-east-1:123456789012:table\/order-history\/backup\/\d{14}-[0-9a-f]{8}$/);
    const job = await copy(env, rp);
    expect(job).toMatchObject({ State: 'FAILED', ResourceType: 'DynamoDB', SourceRecoveryPointArn: rp, DestinationBackupVaultArn: DR_VAULT });
    expect(job.StatusMessage).toMatch(/^InvalidRequestException: .*advanced features for Amazon DynamoDB/);
    expect((await env.west.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'dr-vault' }))).RecoveryPoints).toEqual([]);
    // Opting in afterwards does not make an earlier backup copyable.
    await optIn(env);
    expect((await copy(env, rp)).State).toBe('FAILED');
  });

  it('with advanced features the recovery point is Backup’s own; its copy lands in us-west-2 and restores to a table there', async () => {
    const env = await setup();
    await optIn(env);
    const rp = await backUp(env);
    expect(rp).toMatch(MANAGED_RP(EAST));
    // DynamoDB lists it as an AWS Backup backup under that ARN.
    const { BackupSummaries } = await env.ddbEast.send(new ListBackupsCommand({ TableName: 'order-history', BackupType: 'AWS_BACKUP' }));
    expect(BackupSummaries?.map((b) => [b.BackupArn, b.BackupStatus])).toEqual([[rp, 'AVAILABLE']]);
    expect((await env.ddbEast.send(new DescribeBackupCommand({ BackupArn: rp }))).BackupDescription?.SourceTableDetails?.ItemCount).toBe(2);
    // Written after the backup: not in it, nor in its copy.
    await env.ddbEast.send(new PutItemCommand({ TableName: 'order-history', Item: { orderId: { S: 'o-3' } } }));

    const job = await copy(env, rp);
    expect(job).toMatchObject({ State: 'COMPLETED', SourceRecoveryPointArn: rp, ResourceArn: HISTORY_ARN });
    expect(job.DestinationRecoveryPointArn).toMatch(MANAGED_RP(WEST));
    const copied = await env.west.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'dr-vault', RecoveryPointArn: job.DestinationRecoveryPointArn! }));
    expect(copied).toMatchObject({ Status: 'COMPLETED', ResourceType: 'DynamoDB', ResourceArn: HISTORY_ARN, SourceBackupVaultArn: `arn:aws:backup:${EAST}:${ACCOUNT}:backup-vault:vault` });

    // us-east-1 goes down: the copy still restores in us-west-2.
    env.sim.world.faults.setRegionUp(EAST, false, 'game day');
    const { RestoreJobId } = await env.west.send(
      new StartRestoreJobCommand({ RecoveryPointArn: job.DestinationRecoveryPointArn!, IamRoleArn: ROLE, Metadata: { targetTableName: 'order-history-dr' } }),
    );
    const restore = async () => env.west.send(new DescribeRestoreJobCommand({ RestoreJobId: RestoreJobId! }));
    await until(env.clock, async () => ['COMPLETED', 'FAILED'].includes((await restore()).Status!), MINUTE);
    const done = await restore();
    expect(done).toMatchObject({ Status: 'COMPLETED', CreatedResourceArn: `arn:aws:dynamodb:${WEST}:${ACCOUNT}:table/order-history-dr` });
    expect((await env.ddbWest.send(new DescribeTableCommand({ TableName: 'order-history-dr' }))).Table?.TableStatus).toBe('ACTIVE');
    const items = (await env.ddbWest.send(new ScanCommand({ TableName: 'order-history-dr' }))).Items ?? [];
    expect(items.map((i) => i['orderId']?.S).sort()).toEqual(['o-1', 'o-2']);
  });

  it('a plan’s copy action copies DynamoDB once the region is opted in', async () => {
    const env = await setup();
    await optIn(env);
    const { BackupPlanId } = await env.east.send(
      new CreateBackupPlanCommand({
        BackupPlan: { BackupPlanName: 'tables', Rules: [{ RuleName: 'daily', TargetBackupVaultName: 'vault', CopyActions: [{ DestinationBackupVaultArn: DR_VAULT, Lifecycle: { DeleteAfterDays: 14 } }] }] },
      }),
    );
    await env.east.send(new CreateBackupSelectionCommand({ BackupPlanId: BackupPlanId!, BackupSelection: { SelectionName: 't', IamRoleArn: ROLE, Resources: [HISTORY_ARN] } }));
    env.backup.runPlanNow(EAST, 'tables');
    const completed = async () => (await env.east.send(new ListCopyJobsCommand({ ByState: 'COMPLETED' }))).CopyJobs ?? [];
    await until(env.clock, async () => (await completed()).length === 1);
    const [job] = await completed();
    expect(job).toMatchObject({ ResourceType: 'DynamoDB', CreatedBy: { BackupPlanId }, DestinationRecoveryPointLifecycle: { DeleteAfterDays: 14 } });
    expect(job!.DestinationRecoveryPointArn).toMatch(MANAGED_RP(WEST));
  });

  it('a copy waits while the network between the regions is down, and lands once it is back', async () => {
    const env = await setup();
    await optIn(env);
    const rp = await backUp(env);
    env.sim.world.faults.setLinkUp(EAST, WEST, false, 'cross-region connectivity');
    const { CopyJobId } = await env.east.send(
      new StartCopyJobCommand({ RecoveryPointArn: rp, SourceBackupVaultName: 'vault', DestinationBackupVaultArn: DR_VAULT, IamRoleArn: ROLE }),
    );
    const state = async () => (await env.east.send(new DescribeCopyJobCommand({ CopyJobId: CopyJobId! }))).CopyJob!.State;
    await env.clock.advance(HOUR);
    expect(await state()).toBe('RUNNING');
    env.sim.world.faults.setLinkUp(EAST, WEST, true, 'cross-region connectivity');
    await until(env.clock, async () => (await state()) === 'COMPLETED', 10 * SECOND, 5 * MINUTE);
  });

  it('StartCopyJob copies other types too, and refuses what AWS Backup refuses', async () => {
    const env = await setup();
    const rp = await backUp(env, ORDERS_ARN);
    const job = await copy(env, rp);
    expect(job.State).toBe('COMPLETED');
    expect(job.DestinationRecoveryPointArn).toMatch(/^arn:aws:rds:us-west-2:123456789012:snapshot:awsbackup:copyjob-/);
    const start = (input: Partial<ConstructorParameters<typeof StartCopyJobCommand>[0]>) =>
      env.east.send(new StartCopyJobCommand({ RecoveryPointArn: rp, SourceBackupVaultName: 'vault', DestinationBackupVaultArn: DR_VAULT, IamRoleArn: ROLE, ...input }));
    await rejection(start({ DestinationBackupVaultArn: 'dr-vault' }), InvalidParameterValueException);
    await rejection(start({ IamRoleArn: 'backup-role' }), InvalidParameterValueException);
    await rejection(start({ RecoveryPointArn: `${rp}-gone` }), ResourceNotFoundException);
    await rejection(start({ SourceBackupVaultName: 'no-such-vault' }), ResourceNotFoundException);
    // The same IdempotencyToken within the window names the same job.
    const first = await start({ IdempotencyToken: 'copy-once' });
    const again = await start({ IdempotencyToken: 'copy-once' });
    expect(again.CopyJobId).toBe(first.CopyJobId);
  });

  it('a region opted out of DynamoDB in tag-based selections leaves the table out, unless a selection names it', async () => {
    const env = await setup();
    await env.east.send(new UpdateRegionSettingsCommand({ ResourceTypeOptInPreference: { DynamoDB: false } }));
    const plan = async (name: string, selection: { ListOfTags?: { ConditionType: 'STRINGEQUALS'; ConditionKey: string; ConditionValue: string }[]; Resources?: string[] }) => {
      const { BackupPlanId } = await env.east.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: name, Rules: [{ RuleName: 'daily', TargetBackupVaultName: 'vault' }] } }));
      await env.east.send(new CreateBackupSelectionCommand({ BackupPlanId: BackupPlanId!, BackupSelection: { SelectionName: 's', IamRoleArn: ROLE, ...selection } }));
      return env.backup.plan(EAST, BackupPlanId!);
    };
    const byTag = await plan('by-tag', { ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'daily' }] });
    expect(env.backup.selectedResources(byTag).map((r) => r.arn)).toEqual([ORDERS_ARN]);
    const byArn = await plan('by-arn', { Resources: [HISTORY_ARN] });
    expect(env.backup.selectedResources(byArn).map((r) => r.arn)).toEqual([HISTORY_ARN]);
    const compliance = env.backup.evaluateCompliance({ minRetentionDays: 0, resourceArns: [HISTORY_ARN] }).resources[0]!;
    expect(compliance.coveredBy.map((c) => c.planName)).toEqual(['by-arn']);
  });
});
