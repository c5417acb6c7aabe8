import { DescribeFrameworkCommand, DescribeReportJobCommand, DescribeReportPlanCommand, StartReportJobCommand } from '@aws-sdk/client-backup';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { resolveAlias, type BackupFramework } from '../env/index.js';
import { alias } from './checks.js';
import { waitUntil } from './wait.js';
import type { ScenarioContext } from './scenario.js';
import { step } from './types.js';

/**
 * AWS Backup Audit Manager: a framework's compliance, read the way an
 * auditor gets it. The environment names the framework and a report plan
 * over it (RESOURCE_COMPLIANCE_REPORT, JSON); the step runs the report job,
 * reads the report from its S3 bucket and judges every resource of every
 * control. The same calls on the sim and on AWS, where the report reflects
 * AWS Config's latest evaluation of the framework's rules.
 */

/** One row of a RESOURCE_COMPLIANCE_REPORT in JSON (`reportItems`). */
interface ReportItem {
  controlName?: string;
  resourceName?: string;
  resourceId?: string;
  resourceType?: string;
  resourceComplianceStatus?: string;
  /** The sim's own column: why, in words. */
  annotation?: string;
}

function framework(ctx: ScenarioContext, name: string): BackupFramework {
  return resolveAlias(ctx.env, name, ['backup-framework']);
}

/** The report job's JSON report, as its rows. */
async function runReport(ctx: ScenarioContext, fw: BackupFramework): Promise<{ items: ReportItem[]; where: string }> {
  const backup = ctx.target.clients.backup(fw.region);
  const described = await backup.send(new DescribeFrameworkCommand({ FrameworkName: fw.identifier }));
  if (described.DeploymentStatus !== 'COMPLETED') throw new Error(`the framework ${fw.identifier} is not deployed (${described.DeploymentStatus ?? 'no status'})`);
  const { ReportPlan: plan } = await backup.send(new DescribeReportPlanCommand({ ReportPlanName: fw.report.plan }));
  if (!plan?.ReportSetting?.FrameworkArns?.includes(described.FrameworkArn ?? '')) {
    throw new Error(`the report plan ${fw.report.plan} does not report on the framework ${fw.identifier} (${described.FrameworkArn})`);
  }
  if (plan.ReportSetting.ReportTemplate !== 'RESOURCE_COMPLIANCE_REPORT' || !plan.ReportDeliveryChannel?.Formats?.includes('JSON')) {
    throw new Error(`the report plan ${fw.report.plan} must write a RESOURCE_COMPLIANCE_REPORT in JSON (it writes ${plan.ReportSetting.ReportTemplate} as ${plan.ReportDeliveryChannel?.Formats?.join(', ') ?? 'CSV'})`);
  }
  ctx.cleanup
    .begin(`compliance report of ${fw.identifier}`, { service: 'backup', region: fw.region, operation: 'StartReportJob', input: { ReportPlanName: fw.report.plan } })
    // The report stays in its bucket: it is the evidence.
    .irreversible();
  const { ReportJobId } = await backup.send(new StartReportJobCommand({ ReportPlanName: fw.report.plan }));
  const job = await waitUntil(ctx, `report job ${ReportJobId}`, async () => {
    const { ReportJob } = await backup.send(new DescribeReportJobCommand({ ReportJobId }));
    return ReportJob?.Status === 'COMPLETED' || ReportJob?.Status === 'FAILED' ? ReportJob : undefined;
  });
  if (job.Status !== 'COMPLETED') throw new Error(`report job ${ReportJobId} failed: ${job.StatusMessage ?? 'no reason given'}`);
  const bucketName = job.ReportDestination?.S3BucketName;
  const key = job.ReportDestination?.S3Keys?.find((k) => k.endsWith('.json'));
  if (!bucketName || !key) throw new Error(`report job ${ReportJobId} wrote no JSON report`);
  const bucket = resolveAlias(ctx.env, fw.report.bucket, ['s3-bucket']);
  const object = await ctx.target.clients.s3(bucket.region).send(new GetObjectCommand({ Bucket: bucketName, Key: key }));
  const text = (await object.Body?.transformToString('utf-8')) ?? '';
  let parsed: { reportItems?: unknown };
  try {
    parsed = JSON.parse(text) as { reportItems?: unknown };
  } catch {
    throw new Error(`s3://${bucketName}/${key} is not JSON`);
  }
  if (!Array.isArray(parsed.reportItems)) throw new Error(`s3://${bucketName}/${key} has no reportItems`);
  return { items: parsed.reportItems as ReportItem[], where: `s3://${bucketName}/${key}` };
}

/**
 * Every resource of every control of the framework is compliant; the step
 * fails naming each control that is not, and the resources it finds wanting.
 */
export async function checkFrameworkCompliant(ctx: ScenarioContext, name: string): Promise<void> {
  const fw = framework(ctx, name);
  const { items, where } = await runReport(ctx, fw);
  const failures: string[] = [];
  for (const control of fw.controls) {
    const rows = items.filter((i) => i.controlName === control.name);
    const failing = rows.filter((i) => i.resourceComplianceStatus === 'NON_COMPLIANT');
    const what = (i: ReportItem) => `${i.resourceName || i.resourceId || '?'}${i.annotation ? ` (${i.annotation})` : ''}`;
    const evidence = failing.length
      ? `${failing.length} of ${rows.length} resources non-compliant: ${failing.map(what).join('; ')}`
      : `${rows.length} of ${rows.length} resources compliant (${where})`;
    ctx.emit({ kind: failing.length ? 'check.failed' : 'check.passed', detail: { check: 'backup audit control', subject: `${fw.identifier}: ${control.name}`, evidence } });
    if (failing.length) failures.push(`${control.name}: ${failing.map(what).join('; ')}`);
  }
  if (failures.length) throw new Error(`the backup audit framework "${name}" (${fw.identifier}) is not compliant:\n  - ${failures.join('\n  - ')}`);
}

export const frameworkCompliant = step({
  keyword: 'Then',
  // Issue 16: Backup Audit Manager's verdict, read from the report an auditor would get.
  phrase: 'the backup audit framework {string} is compliant',
  check: ([name], context) => alias(['backup-framework'])(name, context),
  calls: ([name], env) => {
    const fw = resolveAlias(env, name, ['backup-framework']);
    return [
      `backup:DescribeFramework ${fw.identifier} and backup:DescribeReportPlan ${fw.report.plan} in ${fw.region}`,
      `backup:StartReportJob ${fw.report.plan} (mutating: writes a compliance report into the ${fw.report.bucket} bucket), then backup:DescribeReportJob until COMPLETED`,
      "s3:GetObject of the report's JSON",
    ];
  },
  run: (ctx, [name]) => checkFrameworkCompliant(ctx, name),
});
