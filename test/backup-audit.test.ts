import {
  AlreadyExistsException,
  BackupClient,
  ConflictException,
  CreateFrameworkCommand,
  CreateReportPlanCommand,
  DeleteBackupVaultAccessPolicyCommand,
  DeleteFrameworkCommand,
  DeleteReportPlanCommand,
  DescribeFrameworkCommand,
  DescribeReportJobCommand,
  DescribeReportPlanCommand,
  GetBackupVaultAccessPolicyCommand,
  InvalidParameterValueException,
  ListFrameworksCommand,
  ListReportJobsCommand,
  ListReportPlansCommand,
  PutBackupVaultAccessPolicyCommand,
  ResourceNotFoundException,
  StartReportJobCommand,
  UpdateBackupPlanCommand,
  UpdateFrameworkCommand,
  ListBackupPlansCommand,
  GetBackupPlanCommand,
  type ReportJob,
} from '@aws-sdk/client-backup';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildSimulator } from '../src/aws/sim-target.js';
import { VirtualClock } from '../src/clock/index.js';
import { loadEnvironment } from '../src/env/index.js';
import { defaultCalibration, longestSeconds } from '../src/sim/calibration.js';
import type { BackupModule } from '../src/sim/services/backup/index.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { ACCOUNT, EAST, SECOND, rejection } from './support/backup.js';
import { START } from './support/sim.js';

const repo = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const FRAMEWORK = 'securecart_dr_posture';
const REPORT_PLAN = 'securecart_dr_posture_report';
const REPORT_BUCKET = 'securecart-audit-reports';
const LONGEST_REPORT_MS = longestSeconds(defaultCalibration['backup.report-job']) * SECOND;

interface ReportItem {
  controlName: string;
  resourceId: string;
  resourceName: string;
  resourceType: string;
  resourceComplianceStatus: string;
  annotation: string;
}

async function setupOver(via: TransportHarness) {
  const env = await loadEnvironment(repo('scenarios/environments/securecart.yaml'));
  if (env.target !== 'sim') throw new Error('securecart.yaml is not a sim environment');
  const clock = new VirtualClock({ start: START });
  const sim = buildSimulator({ clock, seed: 42, env });
  return {
    clock,
    sim,
    audit: sim.world.module<BackupModule>('backup').audit,
    east: new BackupClient(await via.config(sim, clock, EAST)),
    s3: new S3Client(await via.config(sim, clock, EAST)),
  };
}

type Setup = Awaited<ReturnType<typeof setupOver>>;

/** Run the plan's report job to its end; the job and, when it wrote one, its JSON report's rows. */
async function report(w: Setup, plan = REPORT_PLAN): Promise<{ job: ReportJob; items: ReportItem[]; csv: string }> {
  const { ReportJobId } = await w.east.send(new StartReportJobCommand({ ReportPlanName: plan }));
  const created = (await w.east.send(new DescribeReportJobCommand({ ReportJobId }))).ReportJob!;
  expect(['CREATED', 'RUNNING']).toContain(created.Status);
  await w.clock.advance(LONGEST_REPORT_MS);
  const job = (await w.east.send(new DescribeReportJobCommand({ ReportJobId }))).ReportJob!;
  if (job.Status !== 'COMPLETED') return { job, items: [], csv: '' };
  const read = async (suffix: string) => {
    const key = job.ReportDestination!.S3Keys!.find((k) => k.endsWith(suffix));
    if (key === undefined) return '';
    const object = await w.s3.send(new GetObjectCommand({ Bucket: job.ReportDestination!.S3BucketName, Key: key }));
    return object.Body!.transformToString();
  };
  return { job, items: (JSON.parse(await read('.json')) as { reportItems: ReportItem[] }).reportItems, csv: await read('.csv') };
}

const nonCompliant = (items: ReportItem[]) => items.filter((i) => i.resourceComplianceStatus === 'NON_COMPLIANT').map((i) => [i.controlName, i.resourceName]);

for (const transport of transports) {
  describe(`Backup Audit Manager on the sim (${transport})`, () => {
    const via = useTransport(transport);

    it('describes the environment\'s framework, deployed and active, with its controls and parameters', async () => {
      const w = await setupOver(via);
      const framework = await w.east.send(new DescribeFrameworkCommand({ FrameworkName: FRAMEWORK }));
      expect(framework.FrameworkArn).toMatch(new RegExp(`^arn:aws:backup:${EAST}:${ACCOUNT}:framework:${FRAMEWORK}-[0-9a-f-]{36}$`));
      expect([framework.DeploymentStatus, framework.FrameworkStatus]).toEqual(['COMPLETED', 'ACTIVE']);
      expect(framework.FrameworkControls?.map((c) => c.ControlName)).toEqual([
        'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN',
        'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK',
        'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK',
        'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION',
        'BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED',
      ]);
      expect(framework.FrameworkControls?.[2]?.ControlInputParameters).toEqual([{ ParameterName: 'requiredRetentionDays', ParameterValue: '7' }]);
      const { Frameworks } = await w.east.send(new ListFrameworksCommand({}));
      expect(Frameworks?.map((f) => [f.FrameworkName, f.NumberOfControls, f.DeploymentStatus])).toEqual([[FRAMEWORK, 5, 'COMPLETED']]);
      const { ReportPlan } = await w.east.send(new DescribeReportPlanCommand({ ReportPlanName: REPORT_PLAN }));
      expect(ReportPlan?.ReportSetting).toMatchObject({ ReportTemplate: 'RESOURCE_COMPLIANCE_REPORT', FrameworkArns: [framework.FrameworkArn] });
      expect(ReportPlan?.ReportDeliveryChannel).toEqual({ S3BucketName: REPORT_BUCKET, S3KeyPrefix: 'backup-audit', Formats: ['CSV', 'JSON'] });
    });

    it('writes a compliance report of every resource into S3, as CSV and JSON, all compliant in the steady state', async () => {
      const w = await setupOver(via);
      const { job, items, csv } = await report(w);
      expect(job.Status).toBe('COMPLETED');
      expect(job.ReportDestination?.S3Keys?.map((k) => k.replace(/_[0-9a-f-]{36}\./, '_<id>.'))).toEqual([
        `backup-audit/Backup/${EAST}/2026/01/05/${REPORT_PLAN}_<id>.csv`,
        `backup-audit/Backup/${EAST}/2026/01/05/${REPORT_PLAN}_<id>.json`,
      ]);
      expect(nonCompliant(items)).toEqual([]);
      const byControl = (name: string) => items.filter((i) => i.controlName === name);
      expect(byControl('BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN').map((i) => i.resourceType).sort()).toEqual(['AWS::DynamoDB::Table', 'AWS::EC2::Volume', 'AWS::RDS::DBInstance']);
      expect(byControl('BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK').map((i) => i.resourceName)).toEqual(['securecart-daily']);
      // A week of daily recovery points of three resources in us-east-1's vault.
      expect(byControl('BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK').length).toBeGreaterThanOrEqual(18);
      expect(byControl('BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED').map((i) => [i.resourceName, i.annotation])).toEqual([
        ['securecart-vault', `deleting recovery points is denied to all but arn:aws:iam::${ACCOUNT}:role/backup-admin`],
      ]);
      expect(csv.split('\n')[0]).toBe('accountId,region,frameworkName,frameworkDescription,controlName,resourceName,resourceId,resourceType,resourceComplianceStatus,lastEvaluationTime,annotation');
      expect(csv.trim().split('\n')).toHaveLength(items.length + 1);
      const { ReportJobs } = await w.east.send(new ListReportJobsCommand({ ByReportPlanName: REPORT_PLAN }));
      expect(ReportJobs?.map((j) => j.ReportJobId)).toEqual([job.ReportJobId]);
      const { ReportPlan } = await w.east.send(new DescribeReportPlanCommand({ ReportPlanName: REPORT_PLAN }));
      expect(ReportPlan?.LastSuccessfulExecutionTime?.getTime()).toBe(job.CompletionTime?.getTime());
    });

    it('names the resources and controls that fall short: a plan kept 3 days, a vault open to deletion', async () => {
      const w = await setupOver(via);
      const { BackupPlansList } = await w.east.send(new ListBackupPlansCommand({}));
      const planId = BackupPlansList![0]!.BackupPlanId!;
      const { BackupPlan } = await w.east.send(new GetBackupPlanCommand({ BackupPlanId: planId }));
      const rules = BackupPlan!.Rules!.map((r) => ({ ...r, Lifecycle: { DeleteAfterDays: 3 }, CopyActions: [] }));
      await w.east.send(new UpdateBackupPlanCommand({ BackupPlanId: planId, BackupPlan: { BackupPlanName: BackupPlan!.BackupPlanName!, Rules: rules } }));
      await w.east.send(new DeleteBackupVaultAccessPolicyCommand({ BackupVaultName: 'securecart-vault' }));
      const { items } = await report(w);
      const failing = nonCompliant(items);
      expect(failing).toContainEqual(['BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK', 'securecart-daily']);
      expect(failing).toContainEqual(['BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED', 'securecart-vault']);
      expect(failing.filter(([control]) => control === 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION')).toHaveLength(3);
      // Recovery points made before the change keep the week they were given.
      expect(failing.filter(([control]) => control === 'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK')).toEqual([]);
      expect(items.find((i) => i.controlName === 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK')?.annotation).toMatch(/no rule backs up at least every 1 day and keeps 7 days \(daily: every 1 day, kept 3 days\)/);
    });

    it('creates, updates and deletes frameworks and report plans, refusing in Backup\'s error shapes', async () => {
      const w = await setupOver(via);
      const controls = [{ ControlName: 'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK', ControlInputParameters: [{ ParameterName: 'requiredRetentionDays', ParameterValue: '30' }], ControlScope: { ComplianceResourceTypes: ['RDS'] } }];
      const created = await w.east.send(new CreateFrameworkCommand({ FrameworkName: 'month_long', FrameworkControls: controls, IdempotencyToken: 't1' }));
      // The same request again is the same framework; another with its name is refused.
      expect((await w.east.send(new CreateFrameworkCommand({ FrameworkName: 'month_long', FrameworkControls: controls, IdempotencyToken: 't1' }))).FrameworkArn).toBe(created.FrameworkArn);
      await rejection(w.east.send(new CreateFrameworkCommand({ FrameworkName: 'month_long', FrameworkControls: controls })), AlreadyExistsException);
      await rejection(w.east.send(new CreateFrameworkCommand({ FrameworkName: 'bad', FrameworkControls: [{ ControlName: 'BACKUP_LAST_RECOVERY_POINT_CREATED' }] })), InvalidParameterValueException);
      const badParameter = await rejection(
        w.east.send(new CreateFrameworkCommand({ FrameworkName: 'bad', FrameworkControls: [{ ControlName: 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK', ControlInputParameters: [{ ParameterName: 'requiredFrequencyUnit', ParameterValue: 'weeks' }] }] })),
        InvalidParameterValueException,
      );
      expect(badParameter.message).toMatch(/requiredFrequencyUnit must be hours or days/);
      await rejection(w.east.send(new DescribeFrameworkCommand({ FrameworkName: 'nope' })), ResourceNotFoundException);

      await w.east.send(
        new CreateReportPlanCommand({
          ReportPlanName: 'month_long_report',
          ReportDeliveryChannel: { S3BucketName: REPORT_BUCKET, Formats: ['JSON'] },
          ReportSetting: { ReportTemplate: 'RESOURCE_COMPLIANCE_REPORT', FrameworkArns: [created.FrameworkArn!] },
        }),
      );
      // Only RDS recovery points, held to 30 days: the week-long ones fall short.
      const { items } = await report(w, 'month_long_report');
      expect(items.length).toBeGreaterThan(0);
      expect(new Set(items.map((i) => i.resourceComplianceStatus))).toEqual(new Set(['NON_COMPLIANT']));
      expect(items.every((i) => i.annotation.includes('kept 7 days (at least 30 required)'))).toBe(true);

      // A framework in use by a report plan cannot go; once the plan is gone it can.
      await rejection(w.east.send(new DeleteFrameworkCommand({ FrameworkName: 'month_long' })), ConflictException);
      await w.east.send(new UpdateFrameworkCommand({ FrameworkName: 'month_long', FrameworkDescription: 'a month', FrameworkControls: controls }));
      expect((await w.east.send(new DescribeFrameworkCommand({ FrameworkName: 'month_long' }))).FrameworkDescription).toBe('a month');
      await w.east.send(new DeleteReportPlanCommand({ ReportPlanName: 'month_long_report' }));
      await w.east.send(new DeleteFrameworkCommand({ FrameworkName: 'month_long' }));
      expect((await w.east.send(new ListFrameworksCommand({}))).Frameworks?.map((f) => f.FrameworkName)).toEqual([FRAMEWORK]);
      expect((await w.east.send(new ListReportPlansCommand({}))).ReportPlans?.map((p) => p.ReportPlanName)).toEqual([REPORT_PLAN]);
      await rejection(
        w.east.send(new CreateReportPlanCommand({ ReportPlanName: 'jobs', ReportDeliveryChannel: { S3BucketName: REPORT_BUCKET }, ReportSetting: { ReportTemplate: 'BACKUP_JOB_REPORT' } })),
        InvalidParameterValueException,
      );
    });

    it('fails a report job whose bucket does not exist, and says so', async () => {
      const w = await setupOver(via);
      const { FrameworkArn } = await w.east.send(new DescribeFrameworkCommand({ FrameworkName: FRAMEWORK }));
      await w.east.send(
        new CreateReportPlanCommand({
          ReportPlanName: 'nowhere',
          ReportDeliveryChannel: { S3BucketName: 'securecart-no-such-bucket' },
          ReportSetting: { ReportTemplate: 'CONTROL_COMPLIANCE_REPORT', FrameworkArns: [FrameworkArn!] },
        }),
      );
      const { job } = await report(w, 'nowhere');
      expect([job.Status, job.StatusMessage]).toEqual(['FAILED', 'The S3 bucket securecart-no-such-bucket does not exist.']);
    });

    it('keeps vault access policies: the seeded one, a new one, none', async () => {
      const w = await setupOver(via);
      const seeded = await w.east.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: 'securecart-vault' }));
      expect(JSON.parse(seeded.Policy!).Statement[0]).toMatchObject({ Effect: 'Deny', Principal: '*', Resource: '*' });
      const open = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 'backup:*', Resource: '*' }] });
      await w.east.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: 'securecart-vault', Policy: open }));
      expect((await w.east.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: 'securecart-vault' }))).Policy).toBe(open);
      await w.east.send(new DeleteBackupVaultAccessPolicyCommand({ BackupVaultName: 'securecart-vault' }));
      await rejection(w.east.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: 'securecart-vault' })), ResourceNotFoundException);
    });
  });
}
