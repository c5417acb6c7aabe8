import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliServer } from './support/aws-cli.js';

/**
 * The real AWS CLI v2 against `gameday sim serve` (SecureCart): Elastic
 * Disaster Recovery's drill from describe-source-servers to a COMPLETED job
 * with its recovery instances, and Backup Audit Manager's framework, its
 * compliance in the report a report job writes into S3. Skipped, saying
 * why, where no AWS CLI v2 is installed (version 1 speaks neither as v2 does).
 */

const credentials = { accessKeyId: 'AKIACLIV2TEST0000001', secretAccessKey: 'gameday-sim-secret' };

  // Path-style addressing: the sim answers on 127.0.0.1, which no bucket name can prefix.
const cliServer = useCliServer('test/aws-cli-drs-audit.test.ts', { credentials, config: '[default]\ns3 =\n    addressing_style = path\n' });
const { cli } = cliServer;
const aws = <T>(...args: string[]) => cliServer.aws<T>(...args);
const advance = (seconds: number) => cliServer.advance(seconds);

interface DrsJob {
  jobID: string;
  status: string;
  initiatedBy: string;
  participatingServers: { sourceServerID: string; recoveryInstanceID?: string; launchStatus: string }[];
}

describe.skipIf(!cli.path)(`the AWS CLI v2 against gameday sim serve (${cli.why})`, () => {
  it('drs describe-source-servers, start-recovery --is-drill, describe-jobs until COMPLETED with its recovery instances', async () => {
    const { items: servers } = await aws<{ items: { sourceServerID: string; sourceProperties: { identificationHints: { hostname: string } }; dataReplicationInfo: { dataReplicationState: string; lagDuration: string } }[] }>(
      'drs',
      'describe-source-servers',
      '--region',
      'us-west-2',
    );
    expect(servers.map((s) => [s.sourceProperties.identificationHints.hostname, s.dataReplicationInfo.dataReplicationState])).toEqual([
      ['securecart-backend-1', 'CONTINUOUS'],
      ['securecart-backend-2', 'CONTINUOUS'],
    ]);
    expect(servers[0]!.dataReplicationInfo.lagDuration).toMatch(/^PT\d+S$/);

    const { job } = await aws<{ job: DrsJob }>(
      'drs',
      'start-recovery',
      '--is-drill',
      '--source-servers',
      ...servers.map((s) => `sourceServerID=${s.sourceServerID}`),
      '--region',
      'us-west-2',
    );
    expect([job.initiatedBy, job.status]).toEqual(['START_DRILL', 'STARTED']);

    // An hour of virtual time: past the slowest snapshot, conversion, launch and boot.
    await advance(3600);
    const { items: jobs } = await aws<{ items: DrsJob[] }>('drs', 'describe-jobs', '--filters', `jobIDs=${job.jobID}`, '--region', 'us-west-2');
    expect(jobs.map((j) => j.status)).toEqual(['COMPLETED']);
    const launched = jobs[0]!.participatingServers;
    expect(launched.map((p) => p.launchStatus)).toEqual(['LAUNCHED', 'LAUNCHED']);
    const ids = launched.map((p) => p.recoveryInstanceID!);
    const { items: instances } = await aws<{ items: { recoveryInstanceID: string; ec2InstanceState: string; isDrill: boolean; jobID: string }[] }>(
      'drs',
      'describe-recovery-instances',
      '--filters',
      `recoveryInstanceIDs=${ids.join(',')}`,
      '--region',
      'us-west-2',
    );
    expect(instances.map((i) => [i.recoveryInstanceID, i.ec2InstanceState, i.isDrill, i.jobID])).toEqual(ids.map((id) => [id, 'RUNNING', true, job.jobID]));
  }, 120_000);

  it('backup create-framework, describe-framework, and its compliance in the report start-report-job writes to S3', async () => {
    const controls = [{ ControlName: 'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK', ControlInputParameters: [{ ParameterName: 'requiredRetentionDays', ParameterValue: '30' }], ControlScope: { ComplianceResourceTypes: ['RDS'] } }];
    const created = await aws<{ FrameworkName: string; FrameworkArn: string }>(
      'backup',
      'create-framework',
      '--framework-name',
      'cli_month_of_backups',
      '--framework-controls',
      JSON.stringify(controls),
      '--region',
      'us-east-1',
    );
    expect(created.FrameworkArn).toMatch(/^arn:aws:backup:us-east-1:123456789012:framework:cli_month_of_backups-/);
    const described = await aws<{ FrameworkArn: string; DeploymentStatus: string; FrameworkStatus: string; FrameworkControls: { ControlName: string; ControlInputParameters: unknown[] }[] }>(
      'backup',
      'describe-framework',
      '--framework-name',
      'cli_month_of_backups',
      '--region',
      'us-east-1',
    );
    expect([described.FrameworkArn, described.DeploymentStatus, described.FrameworkStatus]).toEqual([created.FrameworkArn, 'COMPLETED', 'ACTIVE']);
    expect(described.FrameworkControls).toEqual([{ ControlName: 'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK', ControlInputParameters: [{ ParameterName: 'requiredRetentionDays', ParameterValue: '30' }], ControlScope: { ComplianceResourceTypes: ['RDS'] } }]);

    await aws(
      'backup',
      'create-report-plan',
      '--report-plan-name',
      'cli_month_report',
      '--report-delivery-channel',
      JSON.stringify({ S3BucketName: 'securecart-audit-reports', S3KeyPrefix: 'cli', Formats: ['JSON'] }),
      '--report-setting',
      JSON.stringify({ ReportTemplate: 'RESOURCE_COMPLIANCE_REPORT', FrameworkArns: [created.FrameworkArn] }),
      '--region',
      'us-east-1',
    );
    const { ReportJobId } = await aws<{ ReportJobId: string }>('backup', 'start-report-job', '--report-plan-name', 'cli_month_report', '--region', 'us-east-1');
    await advance(600);
    const { ReportJob } = await aws<{ ReportJob: { Status: string; ReportDestination: { S3BucketName: string; S3Keys: string[] } } }>(
      'backup',
      'describe-report-job',
      '--report-job-id',
      ReportJobId,
      '--region',
      'us-east-1',
    );
    expect(ReportJob.Status).toBe('COMPLETED');
    const [key] = ReportJob.ReportDestination.S3Keys;
    expect(key).toMatch(/^cli\/Backup\/us-east-1\/\d{4}\/\d{2}\/\d{2}\/cli_month_report_[0-9a-f-]+\.json$/);
    const file = join(cliServer.server().home, 'report.json');
    await aws('s3api', 'get-object', '--bucket', ReportJob.ReportDestination.S3BucketName, '--key', key!, file, '--region', 'us-east-1');
    const { reportItems } = JSON.parse(await readFile(file, 'utf8')) as { reportItems: { controlName: string; resourceType: string; resourceComplianceStatus: string }[] };
    // SecureCart keeps its RDS recovery points 7 days: every one falls short of 30.
    expect(reportItems.length).toBeGreaterThan(0);
    expect(new Set(reportItems.map((i) => `${i.controlName} ${i.resourceType} ${i.resourceComplianceStatus}`))).toEqual(
      new Set(['BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK AWS::Backup::RecoveryPoint NON_COMPLIANT']),
    );
  }, 120_000);
});
