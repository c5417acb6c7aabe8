import { member, type JsonObject, type RestJsonInput, type WireValue } from '../../protocols/rest-json.js';
import { AwsError, type CallContext } from '../../types.js';
import type { BackupAudit } from './audit.js';
import type { Framework, FrameworkControl, FrameworkControlInput, PageInput, ReportJob, ReportPlan, ReportPlanInput } from './types.js';

/**
 * Backup Audit Manager's operations (and the vault access policy they
 * read) on AWS Backup's restJson1 wire: the same table as binding.ts, rows
 * over BackupAudit. Member names are the SDK's.
 */

type Wire = { [key: string]: WireValue };

export interface AuditOperation {
  name: string;
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  path: string;
  call(audit: BackupAudit, input: RestJsonInput, ctx: CallContext): { output: Wire; resources?: { type: string; name: string }[] };
}

const FRAMEWORK = 'AWS::Backup::Framework';
const REPORT_PLAN = 'AWS::Backup::ReportPlan';
const VAULT = 'AWS::Backup::BackupVault';

export const auditOperations: AuditOperation[] = [
  {
    name: 'PutBackupVaultAccessPolicy',
    method: 'PUT',
    path: '/backup-vaults/{BackupVaultName}/access-policy',
    call: (audit, input, ctx) => {
      const name = input.label('BackupVaultName');
      audit.putVaultAccessPolicy(ctx.region, name, member.string(input.body, 'Policy'));
      return { output: {}, resources: [{ type: VAULT, name }] };
    },
  },
  {
    name: 'GetBackupVaultAccessPolicy',
    method: 'GET',
    path: '/backup-vaults/{BackupVaultName}/access-policy',
    call: (audit, input, ctx) => {
      const { vault, policy } = audit.vaultAccessPolicy(ctx.region, input.label('BackupVaultName'));
      return { output: { BackupVaultName: vault.name, BackupVaultArn: vault.arn, Policy: policy }, resources: [{ type: VAULT, name: vault.name }] };
    },
  },
  {
    name: 'DeleteBackupVaultAccessPolicy',
    method: 'DELETE',
    path: '/backup-vaults/{BackupVaultName}/access-policy',
    call: (audit, input, ctx) => {
      const name = input.label('BackupVaultName');
      audit.deleteVaultAccessPolicy(ctx.region, name);
      return { output: {}, resources: [{ type: VAULT, name }] };
    },
  },
  {
    name: 'CreateFramework',
    method: 'POST',
    path: '/audit/frameworks',
    call: (audit, input, ctx) => {
      const b = input.body;
      const framework = audit.createFramework(ctx.region, {
        ...optional('FrameworkName', member.string(b, 'FrameworkName')),
        ...optional('FrameworkDescription', member.string(b, 'FrameworkDescription')),
        ...optional('FrameworkControls', member.objectList(b, 'FrameworkControls', readControl)),
        ...optional('IdempotencyToken', member.string(b, 'IdempotencyToken')),
        ...optional('FrameworkTags', member.stringMap(b, 'FrameworkTags')),
      });
      return { output: { FrameworkName: framework.name, FrameworkArn: framework.arn }, resources: [{ type: FRAMEWORK, name: framework.name }] };
    },
  },
  {
    name: 'DescribeFramework',
    method: 'GET',
    path: '/audit/frameworks/{FrameworkName}',
    call: (audit, input, ctx) => {
      const framework = audit.framework(ctx.region, input.label('FrameworkName'));
      return {
        output: {
          FrameworkName: framework.name,
          FrameworkArn: framework.arn,
          FrameworkDescription: framework.description,
          FrameworkControls: framework.controls.map(controlOut),
          CreationTime: new Date(framework.createdAt),
          // No AWS Config rules to deploy in the sim: the controls evaluate its state when asked.
          DeploymentStatus: 'COMPLETED',
          FrameworkStatus: 'ACTIVE',
          IdempotencyToken: framework.idempotencyToken,
        },
        resources: [{ type: FRAMEWORK, name: framework.name }],
      };
    },
  },
  {
    name: 'ListFrameworks',
    method: 'GET',
    path: '/audit/frameworks',
    call: (audit, input, ctx) => {
      const page = audit.listFrameworks(ctx.region, pageOf(input));
      return { output: { Frameworks: page.items.map(frameworkSummary), NextToken: page.nextToken } };
    },
  },
  {
    name: 'UpdateFramework',
    method: 'PUT',
    path: '/audit/frameworks/{FrameworkName}',
    call: (audit, input, ctx) => {
      const b = input.body;
      const framework = audit.updateFramework(ctx.region, input.label('FrameworkName'), {
        ...optional('FrameworkDescription', member.string(b, 'FrameworkDescription')),
        ...optional('FrameworkControls', member.objectList(b, 'FrameworkControls', readControl)),
      });
      return { output: { FrameworkName: framework.name, FrameworkArn: framework.arn, CreationTime: new Date(framework.createdAt) }, resources: [{ type: FRAMEWORK, name: framework.name }] };
    },
  },
  {
    name: 'DeleteFramework',
    method: 'DELETE',
    path: '/audit/frameworks/{FrameworkName}',
    call: (audit, input, ctx) => {
      const name = input.label('FrameworkName');
      audit.deleteFramework(ctx.region, name);
      return { output: {}, resources: [{ type: FRAMEWORK, name }] };
    },
  },
  {
    name: 'CreateReportPlan',
    method: 'POST',
    path: '/audit/report-plans',
    call: (audit, input, ctx) => {
      const plan = audit.createReportPlan(ctx.region, readReportPlan(input.body));
      return { output: { ReportPlanName: plan.name, ReportPlanArn: plan.arn, CreationTime: new Date(plan.createdAt) }, resources: [{ type: REPORT_PLAN, name: plan.name }] };
    },
  },
  {
    name: 'DescribeReportPlan',
    method: 'GET',
    path: '/audit/report-plans/{ReportPlanName}',
    call: (audit, input, ctx) => {
      const plan = audit.reportPlan(ctx.region, input.label('ReportPlanName'));
      return { output: { ReportPlan: reportPlanOut(plan) }, resources: [{ type: REPORT_PLAN, name: plan.name }] };
    },
  },
  {
    name: 'ListReportPlans',
    method: 'GET',
    path: '/audit/report-plans',
    call: (audit, input, ctx) => {
      const page = audit.listReportPlans(ctx.region, pageOf(input));
      return { output: { ReportPlans: page.items.map(reportPlanOut), NextToken: page.nextToken } };
    },
  },
  {
    name: 'UpdateReportPlan',
    method: 'PUT',
    path: '/audit/report-plans/{ReportPlanName}',
    call: (audit, input, ctx) => {
      const plan = audit.updateReportPlan(ctx.region, input.label('ReportPlanName'), readReportPlan(input.body));
      return { output: { ReportPlanName: plan.name, ReportPlanArn: plan.arn, CreationTime: new Date(plan.createdAt) }, resources: [{ type: REPORT_PLAN, name: plan.name }] };
    },
  },
  {
    name: 'DeleteReportPlan',
    method: 'DELETE',
    path: '/audit/report-plans/{ReportPlanName}',
    call: (audit, input, ctx) => {
      const name = input.label('ReportPlanName');
      audit.deleteReportPlan(ctx.region, name);
      return { output: {}, resources: [{ type: REPORT_PLAN, name }] };
    },
  },
  {
    name: 'StartReportJob',
    method: 'POST',
    path: '/audit/report-jobs/{ReportPlanName}',
    call: (audit, input, ctx) => {
      const name = input.label('ReportPlanName');
      const job = audit.startReportJob(ctx.region, name);
      return { output: { ReportJobId: job.id }, resources: [{ type: REPORT_PLAN, name }] };
    },
  },
  {
    name: 'DescribeReportJob',
    method: 'GET',
    path: '/audit/report-jobs/{ReportJobId}',
    call: (audit, input, ctx) => ({ output: { ReportJob: reportJobOut(audit.reportJob(ctx.region, input.label('ReportJobId'))) } }),
  },
  {
    name: 'ListReportJobs',
    method: 'GET',
    path: '/audit/report-jobs',
    call: (audit, input, ctx) => {
      const page = audit.listReportJobs(
        ctx.region,
        {
          ...optional('planName', input.queryString('ReportPlanName')),
          ...optional('status', input.queryString('Status')),
          ...optional('before', queryTime(input, 'CreationBefore')),
          ...optional('after', queryTime(input, 'CreationAfter')),
        },
        pageOf(input),
      );
      return { output: { ReportJobs: page.items.map(reportJobOut), NextToken: page.nextToken } };
    },
  },
];

// ── input ──────────────────────────────────────────────────────────────────

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Audit Manager's list operations take MaxResults and NextToken in the query, capitalised (unlike Backup's older ones). */
function pageOf(input: RestJsonInput): PageInput {
  return { ...optional('MaxResults', input.queryInteger('MaxResults')), ...optional('NextToken', input.queryString('NextToken')) };
}

function queryTime(input: RestJsonInput, name: string): number | undefined {
  const raw = input.queryString(name);
  if (raw === undefined || raw === '') return undefined;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new AwsError('SerializationException', `Value "${raw}" of query parameter ${name} is not a timestamp.`, 400);
  return ms;
}

function readControl(body: JsonObject): FrameworkControlInput {
  const scope = member.object(body, 'ControlScope');
  return {
    ControlName: member.string(body, 'ControlName') ?? '',
    ...optional(
      'ControlInputParameters',
      member.objectList(body, 'ControlInputParameters', (p) => ({ ParameterName: member.string(p, 'ParameterName') ?? '', ParameterValue: member.string(p, 'ParameterValue') ?? '' })),
    ),
    ...optional(
      'ControlScope',
      scope
        ? {
            ...optional('ComplianceResourceIds', member.stringList(scope, 'ComplianceResourceIds')),
            ...optional('ComplianceResourceTypes', member.stringList(scope, 'ComplianceResourceTypes')),
            ...optional('Tags', member.stringMap(scope, 'Tags')),
          }
        : undefined,
    ),
  };
}

function readReportPlan(body: JsonObject): ReportPlanInput {
  const channel = member.object(body, 'ReportDeliveryChannel');
  const setting = member.object(body, 'ReportSetting');
  return {
    ...optional('ReportPlanName', member.string(body, 'ReportPlanName')),
    ...optional('ReportPlanDescription', member.string(body, 'ReportPlanDescription')),
    ...optional(
      'ReportDeliveryChannel',
      channel
        ? {
            ...optional('S3BucketName', member.string(channel, 'S3BucketName')),
            ...optional('S3KeyPrefix', member.string(channel, 'S3KeyPrefix')),
            ...optional('Formats', member.stringList(channel, 'Formats')),
          }
        : undefined,
    ),
    ...optional(
      'ReportSetting',
      setting
        ? {
            ...optional('ReportTemplate', member.string(setting, 'ReportTemplate')),
            ...optional('FrameworkArns', member.stringList(setting, 'FrameworkArns')),
            ...optional('NumberOfFrameworks', member.integer(setting, 'NumberOfFrameworks')),
            ...optional('Accounts', member.stringList(setting, 'Accounts')),
            ...optional('OrganizationUnits', member.stringList(setting, 'OrganizationUnits')),
            ...optional('Regions', member.stringList(setting, 'Regions')),
          }
        : undefined,
    ),
    ...optional('ReportPlanTags', member.stringMap(body, 'ReportPlanTags')),
    ...optional('IdempotencyToken', member.string(body, 'IdempotencyToken')),
  };
}

// ── output ─────────────────────────────────────────────────────────────────

const at = (ms: number | undefined): Date | undefined => (ms === undefined ? undefined : new Date(ms));

function controlOut(control: FrameworkControl): Wire {
  return {
    ControlName: control.name,
    ControlInputParameters: Object.entries(control.parameters).map(([ParameterName, ParameterValue]) => ({ ParameterName, ParameterValue })),
    ControlScope: {
      ...(control.scope.resourceIds.length ? { ComplianceResourceIds: control.scope.resourceIds } : {}),
      ...(control.scope.resourceTypes.length ? { ComplianceResourceTypes: control.scope.resourceTypes } : {}),
      ...(Object.keys(control.scope.tags).length ? { Tags: control.scope.tags } : {}),
    },
  };
}

function frameworkSummary(framework: Framework): Wire {
  return {
    FrameworkName: framework.name,
    FrameworkArn: framework.arn,
    FrameworkDescription: framework.description,
    NumberOfControls: framework.controls.length,
    CreationTime: at(framework.createdAt),
    DeploymentStatus: 'COMPLETED',
  };
}

function reportPlanOut(plan: ReportPlan): Wire {
  return {
    ReportPlanArn: plan.arn,
    ReportPlanName: plan.name,
    ReportPlanDescription: plan.description,
    ReportSetting: {
      ReportTemplate: plan.setting.template,
      FrameworkArns: plan.setting.frameworkArns,
      NumberOfFrameworks: plan.setting.frameworkArns.length,
      ...(plan.setting.accounts.length ? { Accounts: plan.setting.accounts } : {}),
      ...(plan.setting.organizationUnits.length ? { OrganizationUnits: plan.setting.organizationUnits } : {}),
      ...(plan.setting.regions.length ? { Regions: plan.setting.regions } : {}),
    },
    ReportDeliveryChannel: { S3BucketName: plan.delivery.bucket, S3KeyPrefix: plan.delivery.prefix, Formats: plan.delivery.formats },
    DeploymentStatus: 'COMPLETED',
    CreationTime: at(plan.createdAt),
    LastAttemptedExecutionTime: at(plan.lastAttemptedAt),
    LastSuccessfulExecutionTime: at(plan.lastSucceededAt),
  };
}

function reportJobOut(job: ReportJob): Wire {
  return {
    ReportJobId: job.id,
    ReportPlanArn: job.planArn,
    ReportTemplate: job.template,
    CreationTime: at(job.createdAt),
    CompletionTime: at(job.completedAt),
    Status: job.status,
    StatusMessage: job.statusMessage,
    ReportDestination: job.destination ? { S3BucketName: job.destination.bucket, S3Keys: job.destination.keys } : undefined,
  };
}
