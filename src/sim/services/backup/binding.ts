import { member, RestJsonCodec, renderRestJsonError, type JsonObject, type RestJsonInput, type WireValue } from '../../protocols/rest-json.js';
import { AwsError, type CallContext, type InvokeResult, type ServiceBinding, type SimResponse } from '../../types.js';
import type { BackupAudit } from './audit.js';
import { auditOperations } from './audit-binding.js';
import type { BackupModel } from './model.js';
import type {
  BackupJob,
  BackupPlan,
  BackupPlanInput,
  BackupRule,
  BackupRuleInput,
  BackupSelection,
  BackupSelectionInput,
  BackupVault,
  ConditionParameter,
  CopyAction,
  CopyJob,
  Lifecycle,
  PageInput,
  RecoveryPoint,
  RecoveryPointCreator,
  RestoreJob,
  SelectionConditions,
} from './types.js';

/**
 * AWS Backup on the wire (restJson1): one row per operation, each reading
 * its input from the decoded request, calling the model and shaping the
 * output as the SDK's schema names it (PascalCase members, timestamps as
 * epoch seconds).
 */

type Wire = { [key: string]: WireValue };

interface BackupOperation {
  name: string;
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  path: string;
  call(backup: BackupModel, input: RestJsonInput, ctx: CallContext): { output: Wire; resources?: { type: string; name: string }[] };
}

const VAULT = 'AWS::Backup::BackupVault';
const PLAN = 'AWS::Backup::BackupPlan';
const RECOVERY_POINT = 'AWS::Backup::RecoveryPoint';

const operations: BackupOperation[] = [
  {
    name: 'CreateBackupVault',
    method: 'PUT',
    path: '/backup-vaults/{BackupVaultName}',
    call: (backup, input, ctx) => {
      const b = input.body;
      const vault = backup.createBackupVault(ctx.region, {
        BackupVaultName: input.label('BackupVaultName'),
        ...optional('BackupVaultTags', member.stringMap(b, 'BackupVaultTags')),
        ...optional('EncryptionKeyArn', member.string(b, 'EncryptionKeyArn')),
        ...optional('CreatorRequestId', member.string(b, 'CreatorRequestId')),
      });
      return {
        output: { BackupVaultName: vault.name, BackupVaultArn: vault.arn, CreationDate: at(vault.createdAt) },
        resources: [{ type: VAULT, name: vault.name }],
      };
    },
  },
  {
    name: 'DescribeBackupVault',
    method: 'GET',
    path: '/backup-vaults/{BackupVaultName}',
    call: (backup, input, ctx) => {
      const vault = backup.vault(ctx.region, input.label('BackupVaultName'));
      return { output: vaultOut(backup, vault), resources: [{ type: VAULT, name: vault.name }] };
    },
  },
  {
    name: 'ListBackupVaults',
    method: 'GET',
    path: '/backup-vaults',
    call: (backup, input, ctx) => {
      const page = backup.listBackupVaults(ctx.region, pageOf(input));
      return { output: { BackupVaultList: page.items.map((v) => vaultOut(backup, v)), NextToken: page.nextToken } };
    },
  },
  {
    name: 'DeleteBackupVault',
    method: 'DELETE',
    path: '/backup-vaults/{BackupVaultName}',
    call: (backup, input, ctx) => {
      const name = input.label('BackupVaultName');
      backup.deleteBackupVault(ctx.region, name);
      return { output: {}, resources: [{ type: VAULT, name }] };
    },
  },
  {
    name: 'CreateBackupPlan',
    method: 'PUT',
    path: '/backup/plans',
    call: (backup, input, ctx) => {
      const b = input.body;
      const plan = member.object(b, 'BackupPlan');
      const { plan: created, version } = backup.createBackupPlan(ctx.region, {
        ...optional('BackupPlan', plan ? readPlan(plan) : undefined),
        ...optional('BackupPlanTags', member.stringMap(b, 'BackupPlanTags')),
        ...optional('CreatorRequestId', member.string(b, 'CreatorRequestId')),
      });
      return {
        output: { BackupPlanId: created.id, BackupPlanArn: created.arn, CreationDate: at(created.createdAt), VersionId: version.versionId },
        resources: [{ type: PLAN, name: created.id }],
      };
    },
  },
  {
    name: 'GetBackupPlan',
    method: 'GET',
    path: '/backup/plans/{BackupPlanId}',
    call: (backup, input, ctx) => {
      const plan = backup.plan(ctx.region, input.label('BackupPlanId'));
      const version = backup.planVersion(plan, input.queryString('versionId'));
      return {
        output: {
          BackupPlan: { BackupPlanName: version.name, Rules: version.rules.map(ruleOut) },
          BackupPlanId: plan.id,
          BackupPlanArn: plan.arn,
          VersionId: version.versionId,
          CreatorRequestId: plan.creatorRequestId,
          CreationDate: at(version.createdAt),
          DeletionDate: at(plan.deletedAt),
          LastExecutionDate: at(plan.lastExecutionAt),
        },
        resources: [{ type: PLAN, name: plan.id }],
      };
    },
  },
  {
    name: 'ListBackupPlans',
    method: 'GET',
    path: '/backup/plans',
    call: (backup, input, ctx) => {
      const page = backup.listBackupPlans(ctx.region, { ...pageOf(input), IncludeDeleted: input.queryString('includeDeleted') === 'true' });
      return { output: { BackupPlansList: page.items.map((p) => planSummaryOut(backup, p)), NextToken: page.nextToken } };
    },
  },
  {
    name: 'UpdateBackupPlan',
    method: 'POST',
    path: '/backup/plans/{BackupPlanId}',
    call: (backup, input, ctx) => {
      const plan = member.object(input.body, 'BackupPlan');
      const { plan: updated, version } = backup.updateBackupPlan(ctx.region, input.label('BackupPlanId'), plan ? readPlan(plan) : undefined);
      return {
        output: { BackupPlanId: updated.id, BackupPlanArn: updated.arn, CreationDate: at(version.createdAt), VersionId: version.versionId },
        resources: [{ type: PLAN, name: updated.id }],
      };
    },
  },
  {
    name: 'DeleteBackupPlan',
    method: 'DELETE',
    path: '/backup/plans/{BackupPlanId}',
    call: (backup, input, ctx) => {
      const plan = backup.deleteBackupPlan(ctx.region, input.label('BackupPlanId'));
      return {
        output: { BackupPlanId: plan.id, BackupPlanArn: plan.arn, DeletionDate: at(plan.deletedAt), VersionId: backup.planVersion(plan).versionId },
        resources: [{ type: PLAN, name: plan.id }],
      };
    },
  },
  {
    name: 'CreateBackupSelection',
    method: 'PUT',
    path: '/backup/plans/{BackupPlanId}/selections',
    call: (backup, input, ctx) => {
      const planId = input.label('BackupPlanId');
      const selection = member.object(input.body, 'BackupSelection');
      const created = backup.createBackupSelection(
        ctx.region,
        planId,
        selection ? readSelection(selection) : undefined,
        member.string(input.body, 'CreatorRequestId'),
      );
      return {
        output: { SelectionId: created.id, BackupPlanId: created.planId, CreationDate: at(created.createdAt) },
        resources: [{ type: PLAN, name: planId }],
      };
    },
  },
  {
    name: 'GetBackupSelection',
    method: 'GET',
    path: '/backup/plans/{BackupPlanId}/selections/{SelectionId}',
    call: (backup, input, ctx) => {
      const selection = backup.selection(ctx.region, input.label('BackupPlanId'), input.label('SelectionId'));
      return {
        output: {
          BackupSelection: selectionOut(selection),
          SelectionId: selection.id,
          BackupPlanId: selection.planId,
          CreationDate: at(selection.createdAt),
          CreatorRequestId: selection.creatorRequestId,
        },
      };
    },
  },
  {
    name: 'ListBackupSelections',
    method: 'GET',
    path: '/backup/plans/{BackupPlanId}/selections',
    call: (backup, input, ctx) => {
      const page = backup.listBackupSelections(ctx.region, input.label('BackupPlanId'), pageOf(input));
      return {
        output: {
          BackupSelectionsList: page.items.map((s) => ({
            SelectionId: s.id,
            SelectionName: s.name,
            BackupPlanId: s.planId,
            CreationDate: at(s.createdAt),
            CreatorRequestId: s.creatorRequestId,
            IamRoleArn: s.iamRoleArn,
          })),
          NextToken: page.nextToken,
        },
      };
    },
  },
  {
    name: 'DeleteBackupSelection',
    method: 'DELETE',
    path: '/backup/plans/{BackupPlanId}/selections/{SelectionId}',
    call: (backup, input, ctx) => {
      const planId = input.label('BackupPlanId');
      backup.deleteBackupSelection(ctx.region, planId, input.label('SelectionId'));
      return { output: {}, resources: [{ type: PLAN, name: planId }] };
    },
  },
  {
    name: 'StartBackupJob',
    method: 'PUT',
    path: '/backup-jobs',
    call: (backup, input, ctx) => {
      const b = input.body;
      const job = backup.jobs.startBackupJob(ctx.region, {
        ...optional('BackupVaultName', member.string(b, 'BackupVaultName')),
        ...optional('ResourceArn', member.string(b, 'ResourceArn')),
        ...optional('IamRoleArn', member.string(b, 'IamRoleArn')),
        ...optional('IdempotencyToken', member.string(b, 'IdempotencyToken')),
        ...optional('StartWindowMinutes', member.integer(b, 'StartWindowMinutes')),
        ...optional('CompleteWindowMinutes', member.integer(b, 'CompleteWindowMinutes')),
        ...optional('Lifecycle', readLifecycle(b, 'Lifecycle')),
        ...optional('RecoveryPointTags', member.stringMap(b, 'RecoveryPointTags')),
      });
      return {
        output: { BackupJobId: job.id, CreationDate: at(job.createdAt), IsParent: false },
        resources: [
          { type: 'AWS::Backup::BackupJob', name: job.id },
          { type: 'ARN', name: job.resourceArn },
        ],
      };
    },
  },
  {
    name: 'DescribeBackupJob',
    method: 'GET',
    path: '/backup-jobs/{BackupJobId}',
    call: (backup, input, ctx) => ({ output: backupJobOut(backup.jobs.backupJob(ctx.region, input.label('BackupJobId')), ctx) }),
  },
  {
    name: 'ListBackupJobs',
    method: 'GET',
    path: '/backup-jobs',
    call: (backup, input, ctx) => {
      const page = backup.jobs.listBackupJobs(ctx.region, {
        ...pageOf(input),
        ...optional('ByResourceArn', input.queryString('resourceArn')),
        ...optional('ByState', input.queryString('state')),
        ...optional('ByBackupVaultName', input.queryString('backupVaultName')),
        ...optional('ByCreatedBefore', queryTime(input, 'createdBefore')),
        ...optional('ByCreatedAfter', queryTime(input, 'createdAfter')),
        ...optional('ByResourceType', input.queryString('resourceType')),
        ...optional('ByAccountId', input.queryString('accountId')),
        ...optional('ByCompleteBefore', queryTime(input, 'completeBefore')),
        ...optional('ByCompleteAfter', queryTime(input, 'completeAfter')),
      });
      return { output: { BackupJobs: page.items.map((j) => backupJobOut(j, ctx)), NextToken: page.nextToken } };
    },
  },
  {
    name: 'ListRecoveryPointsByBackupVault',
    method: 'GET',
    path: '/backup-vaults/{BackupVaultName}/recovery-points',
    call: (backup, input, ctx) => {
      const page = backup.listRecoveryPointsByBackupVault(ctx.region, input.label('BackupVaultName'), {
        ...pageOf(input),
        ...optional('ByResourceArn', input.queryString('resourceArn')),
        ...optional('ByResourceType', input.queryString('resourceType')),
        ...optional('ByBackupPlanId', input.queryString('backupPlanId')),
        ...optional('ByCreatedBefore', queryTime(input, 'createdBefore')),
        ...optional('ByCreatedAfter', queryTime(input, 'createdAfter')),
      });
      return { output: { RecoveryPoints: page.items.map((rp) => recoveryPointOut(backup, rp)), NextToken: page.nextToken } };
    },
  },
  {
    name: 'DescribeRecoveryPoint',
    method: 'GET',
    path: '/backup-vaults/{BackupVaultName}/recovery-points/{RecoveryPointArn}',
    call: (backup, input, ctx) => {
      const rp = backup.recoveryPoint(ctx.region, input.label('BackupVaultName'), input.label('RecoveryPointArn'));
      return { output: { ...recoveryPointOut(backup, rp), StorageClass: 'WARM' }, resources: [{ type: RECOVERY_POINT, name: rp.arn }] };
    },
  },
  {
    name: 'DeleteRecoveryPoint',
    method: 'DELETE',
    path: '/backup-vaults/{BackupVaultName}/recovery-points/{RecoveryPointArn}',
    call: (backup, input, ctx) => {
      const rp = backup.deleteRecoveryPoint(ctx.region, input.label('BackupVaultName'), input.label('RecoveryPointArn'));
      return { output: {}, resources: [{ type: RECOVERY_POINT, name: rp.arn }] };
    },
  },
  {
    name: 'StartRestoreJob',
    method: 'PUT',
    path: '/restore-jobs',
    call: (backup, input, ctx) => {
      const b = input.body;
      const job = backup.jobs.startRestoreJob(ctx.region, {
        ...optional('RecoveryPointArn', member.string(b, 'RecoveryPointArn')),
        ...optional('Metadata', member.stringMap(b, 'Metadata')),
        ...optional('IamRoleArn', member.string(b, 'IamRoleArn')),
        ...optional('IdempotencyToken', member.string(b, 'IdempotencyToken')),
        ...optional('ResourceType', member.string(b, 'ResourceType')),
        ...optional('CopySourceTagsToRestoredResource', member.boolean(b, 'CopySourceTagsToRestoredResource')),
      });
      return {
        output: { RestoreJobId: job.id },
        resources: [
          { type: 'AWS::Backup::RestoreJob', name: job.id },
          { type: RECOVERY_POINT, name: job.recoveryPointArn },
        ],
      };
    },
  },
  {
    name: 'DescribeRestoreJob',
    method: 'GET',
    path: '/restore-jobs/{RestoreJobId}',
    call: (backup, input, ctx) => ({ output: restoreJobOut(backup.jobs.restoreJob(ctx.region, input.label('RestoreJobId')), ctx) }),
  },
  {
    name: 'ListRestoreJobs',
    method: 'GET',
    path: '/restore-jobs',
    call: (backup, input, ctx) => {
      const page = backup.jobs.listRestoreJobs(ctx.region, {
        ...pageOf(input),
        ...optional('ByStatus', input.queryString('status')),
        ...optional('ByResourceType', input.queryString('resourceType')),
        ...optional('ByCreatedBefore', queryTime(input, 'createdBefore')),
        ...optional('ByCreatedAfter', queryTime(input, 'createdAfter')),
        ...optional('ByCompleteBefore', queryTime(input, 'completeBefore')),
        ...optional('ByCompleteAfter', queryTime(input, 'completeAfter')),
      });
      return { output: { RestoreJobs: page.items.map((j) => restoreJobOut(j, ctx)), NextToken: page.nextToken } };
    },
  },
  {
    name: 'StartCopyJob',
    method: 'PUT',
    path: '/copy-jobs',
    call: (backup, input, ctx) => {
      const b = input.body;
      const job = backup.jobs.startCopyJob(ctx.region, {
        ...optional('RecoveryPointArn', member.string(b, 'RecoveryPointArn')),
        ...optional('SourceBackupVaultName', member.string(b, 'SourceBackupVaultName')),
        ...optional('DestinationBackupVaultArn', member.string(b, 'DestinationBackupVaultArn')),
        ...optional('IamRoleArn', member.string(b, 'IamRoleArn')),
        ...optional('IdempotencyToken', member.string(b, 'IdempotencyToken')),
        ...optional('Lifecycle', readLifecycle(b, 'Lifecycle')),
      });
      return {
        output: { CopyJobId: job.id, CreationDate: at(job.createdAt), IsParent: false },
        resources: [
          { type: 'AWS::Backup::CopyJob', name: job.id },
          { type: RECOVERY_POINT, name: job.sourceRecoveryPointArn },
        ],
      };
    },
  },
  {
    name: 'DescribeCopyJob',
    method: 'GET',
    path: '/copy-jobs/{CopyJobId}',
    call: (backup, input, ctx) => ({ output: { CopyJob: copyJobOut(backup.jobs.copyJob(ctx.region, input.label('CopyJobId')), ctx) } }),
  },
  {
    name: 'ListCopyJobs',
    method: 'GET',
    path: '/copy-jobs',
    call: (backup, input, ctx) => {
      const page = backup.jobs.listCopyJobs(ctx.region, {
        ...pageOf(input),
        ...optional('ByResourceArn', input.queryString('resourceArn')),
        ...optional('ByState', input.queryString('state')),
        ...optional('ByDestinationVaultArn', input.queryString('destinationVaultArn')),
        ...optional('ByCreatedBefore', queryTime(input, 'createdBefore')),
        ...optional('ByCreatedAfter', queryTime(input, 'createdAfter')),
        ...optional('ByResourceType', input.queryString('resourceType')),
        ...optional('BySourceRecoveryPointArn', input.queryString('sourceRecoveryPointArn')),
        ...optional('ByCompleteBefore', queryTime(input, 'completeBefore')),
        ...optional('ByCompleteAfter', queryTime(input, 'completeAfter')),
      });
      return { output: { CopyJobs: page.items.map((j) => copyJobOut(j, ctx)), NextToken: page.nextToken } };
    },
  },
  {
    name: 'DescribeRegionSettings',
    method: 'GET',
    path: '/account-settings',
    call: (backup, _input, ctx) => ({ output: { ...backup.describeRegionSettings(ctx.region) } }),
  },
  {
    name: 'UpdateRegionSettings',
    method: 'PUT',
    path: '/account-settings',
    call: (backup, input, ctx) => {
      backup.updateRegionSettings(ctx.region, {
        ...optional('ResourceTypeOptInPreference', booleanMap(input.body, 'ResourceTypeOptInPreference')),
        ...optional('ResourceTypeManagementPreference', booleanMap(input.body, 'ResourceTypeManagementPreference')),
      });
      return { output: {} };
    },
  },
];

export function createBackupBinding(backup: BackupModel, audit: BackupAudit): ServiceBinding {
  const codec = new RestJsonCodec([...operations, ...auditOperations].map((op) => ({ operation: op.name, method: op.method, path: op.path })));
  const byName = new Map(operations.map((op) => [op.name, op]));
  // Backup Audit Manager's rows (audit-binding.ts) call BackupAudit, the rest the model.
  const auditByName = new Map(auditOperations.map((op) => [op.name, op]));
  return {
    signingName: 'backup',
    eventSource: 'backup.amazonaws.com',
    operationOf: (request) => codec.operationOf(request),
    invoke: async (operation, request, ctx): Promise<InvokeResult> => {
      const input = codec.decode(operation, request);
      const auditOp = auditByName.get(operation);
      const { output, resources } = auditOp ? auditOp.call(audit, input, ctx) : byName.get(operation)!.call(backup, input, ctx);
      return { response: codec.encode(operation, output, ctx.requestId), ...(resources ? { resources } : {}) };
    },
    renderError: (error, ctx) => renderBackupError(error, ctx.requestId),
  };
}

/** The operation names AWS Backup answers, in table order. */
export const backupOperations: readonly string[] = [...operations, ...auditOperations].map((op) => op.name);

/**
 * Backup's error body carries `Code` and `Message` (its exceptions' members).
 * The dispatcher's region outage is Backup's ServiceUnavailableException.
 */
export function renderBackupError(error: AwsError, requestId: string): SimResponse {
  const named = error.code === 'ServiceUnavailable' ? new AwsError('ServiceUnavailableException', error.message, error.statusCode) : error;
  const response = renderRestJsonError(named, requestId);
  return { ...response, body: JSON.stringify({ Code: named.code, Message: named.message }) };
}

// ── input ──────────────────────────────────────────────────────────────────

/** `{ key: value }` when the value is there, `{}` otherwise: model inputs leave absent members out. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function pageOf(input: RestJsonInput): PageInput {
  return { ...optional('MaxResults', input.queryInteger('maxResults')), ...optional('NextToken', input.queryString('nextToken')) };
}

/** A timestamp query parameter (ISO-8601, as the SDK writes one). */
function queryTime(input: RestJsonInput, name: string): number | undefined {
  const raw = input.queryString(name);
  if (raw === undefined || raw === '') return undefined;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new AwsError('SerializationException', `Value "${raw}" of query parameter ${name} is not a timestamp.`, 400);
  return ms;
}

/** A map of resource type → boolean (the region settings' preferences). */
function booleanMap(body: JsonObject, name: string): Record<string, boolean> | undefined {
  const value = member.object(body, name);
  if (!value) return undefined;
  const out: Record<string, boolean> = {};
  for (const key of Object.keys(value)) {
    const flag = member.boolean(value, key);
    if (flag !== undefined) out[key] = flag;
  }
  return out;
}

function readLifecycle(body: JsonObject, name: string): Lifecycle | undefined {
  const value = member.object(body, name);
  if (!value) return undefined;
  return {
    ...optional('MoveToColdStorageAfterDays', member.integer(value, 'MoveToColdStorageAfterDays')),
    ...optional('DeleteAfterDays', member.integer(value, 'DeleteAfterDays')),
  };
}

function readPlan(body: JsonObject): BackupPlanInput {
  return {
    ...optional('BackupPlanName', member.string(body, 'BackupPlanName')),
    ...optional('Rules', member.objectList(body, 'Rules', readRule)),
  };
}

function readRule(rule: JsonObject): BackupRuleInput {
  return {
    ...optional('RuleName', member.string(rule, 'RuleName')),
    ...optional('TargetBackupVaultName', member.string(rule, 'TargetBackupVaultName')),
    ...optional('ScheduleExpression', member.string(rule, 'ScheduleExpression')),
    ...optional('ScheduleExpressionTimezone', member.string(rule, 'ScheduleExpressionTimezone')),
    ...optional('StartWindowMinutes', member.integer(rule, 'StartWindowMinutes')),
    ...optional('CompletionWindowMinutes', member.integer(rule, 'CompletionWindowMinutes')),
    ...optional('Lifecycle', readLifecycle(rule, 'Lifecycle')),
    ...optional('RecoveryPointTags', member.stringMap(rule, 'RecoveryPointTags')),
    ...optional('EnableContinuousBackup', member.boolean(rule, 'EnableContinuousBackup')),
    ...optional(
      'CopyActions',
      member.objectList(rule, 'CopyActions', (action): CopyAction => ({
        DestinationBackupVaultArn: member.string(action, 'DestinationBackupVaultArn') ?? '',
        ...optional('Lifecycle', readLifecycle(action, 'Lifecycle')),
      })),
    ),
  };
}

function readConditionList(body: JsonObject, name: string): ConditionParameter[] | undefined {
  return member.objectList(body, name, (c) => ({ ConditionKey: member.string(c, 'ConditionKey') ?? '', ConditionValue: member.string(c, 'ConditionValue') ?? '' }));
}

function readSelection(body: JsonObject): BackupSelectionInput {
  const conditions = member.object(body, 'Conditions');
  return {
    ...optional('SelectionName', member.string(body, 'SelectionName')),
    ...optional('IamRoleArn', member.string(body, 'IamRoleArn')),
    ...optional('Resources', member.stringList(body, 'Resources')),
    ...optional('NotResources', member.stringList(body, 'NotResources')),
    ...optional(
      'ListOfTags',
      member.objectList(body, 'ListOfTags', (c) => ({
        ...optional('ConditionType', member.string(c, 'ConditionType')),
        ...optional('ConditionKey', member.string(c, 'ConditionKey')),
        ...optional('ConditionValue', member.string(c, 'ConditionValue')),
      })),
    ),
    ...optional(
      'Conditions',
      conditions
        ? ({
            ...optional('StringEquals', readConditionList(conditions, 'StringEquals')),
            ...optional('StringNotEquals', readConditionList(conditions, 'StringNotEquals')),
            ...optional('StringLike', readConditionList(conditions, 'StringLike')),
            ...optional('StringNotLike', readConditionList(conditions, 'StringNotLike')),
          } satisfies SelectionConditions)
        : undefined,
    ),
  };
}

// ── output ─────────────────────────────────────────────────────────────────

const at = (ms: number | undefined): Date | undefined => (ms === undefined ? undefined : new Date(ms));

/** Backup reports PercentDone as a string with one decimal, `"42.0"`. */
const percent = (value: number): string => value.toFixed(1);

function lifecycleOut(lifecycle: Lifecycle | undefined): Wire | undefined {
  return lifecycle ? { ...lifecycle } : undefined;
}

function creatorOut(creator: RecoveryPointCreator | undefined): Wire | undefined {
  return creator ? { ...creator } : undefined;
}

function vaultOut(backup: BackupModel, vault: BackupVault): Wire {
  return {
    BackupVaultName: vault.name,
    BackupVaultArn: vault.arn,
    VaultType: 'BACKUP_VAULT',
    VaultState: 'AVAILABLE',
    EncryptionKeyArn: vault.encryptionKeyArn,
    CreationDate: at(vault.createdAt),
    CreatorRequestId: vault.creatorRequestId,
    NumberOfRecoveryPoints: backup.recoveryPointsIn(vault).length,
    Locked: false,
  };
}

function ruleOut(rule: BackupRule): Wire {
  return {
    RuleName: rule.RuleName,
    TargetBackupVaultName: rule.TargetBackupVaultName,
    ScheduleExpression: rule.ScheduleExpression,
    ScheduleExpressionTimezone: rule.ScheduleExpressionTimezone,
    StartWindowMinutes: rule.StartWindowMinutes,
    CompletionWindowMinutes: rule.CompletionWindowMinutes,
    Lifecycle: lifecycleOut(rule.Lifecycle),
    RecoveryPointTags: rule.RecoveryPointTags,
    RuleId: rule.RuleId,
    CopyActions: rule.CopyActions.map((a) => ({ DestinationBackupVaultArn: a.DestinationBackupVaultArn, Lifecycle: lifecycleOut(a.Lifecycle) })),
    EnableContinuousBackup: rule.EnableContinuousBackup,
  };
}

function planSummaryOut(backup: BackupModel, plan: BackupPlan): Wire {
  const version = backup.planVersion(plan);
  return {
    BackupPlanArn: plan.arn,
    BackupPlanId: plan.id,
    CreationDate: at(plan.createdAt),
    DeletionDate: at(plan.deletedAt),
    VersionId: version.versionId,
    BackupPlanName: version.name,
    CreatorRequestId: plan.creatorRequestId,
    LastExecutionDate: at(plan.lastExecutionAt),
  };
}

function selectionOut(selection: BackupSelection): Wire {
  const conditions = (list: ConditionParameter[] | undefined) => (list ?? []).map((c) => ({ ConditionKey: c.ConditionKey, ConditionValue: c.ConditionValue }));
  return {
    SelectionName: selection.name,
    IamRoleArn: selection.iamRoleArn,
    Resources: selection.resources,
    NotResources: selection.notResources,
    ListOfTags: selection.listOfTags.map((t) => ({ ConditionType: t.ConditionType, ConditionKey: t.ConditionKey, ConditionValue: t.ConditionValue })),
    Conditions: {
      StringEquals: conditions(selection.conditions.StringEquals),
      StringNotEquals: conditions(selection.conditions.StringNotEquals),
      StringLike: conditions(selection.conditions.StringLike),
      StringNotLike: conditions(selection.conditions.StringNotLike),
    },
  };
}

function backupJobOut(job: BackupJob, ctx: CallContext): Wire {
  return {
    AccountId: ctx.accountId,
    BackupJobId: job.id,
    BackupVaultName: job.vaultName,
    BackupVaultArn: job.vaultArn,
    VaultType: 'BACKUP_VAULT',
    RecoveryPointArn: job.recoveryPointArn,
    RecoveryPointLifecycle: lifecycleOut(job.lifecycle),
    ResourceArn: job.resourceArn,
    ResourceType: job.resourceType,
    ResourceName: job.resourceName,
    CreationDate: at(job.createdAt),
    InitiationDate: at(job.initiatedAt),
    CompletionDate: at(job.completedAt),
    StartBy: at(job.startBy),
    State: job.state,
    StatusMessage: job.statusMessage,
    PercentDone: percent(job.percentDone),
    BackupSizeInBytes: job.backupSizeInBytes,
    IamRoleArn: job.iamRoleArn,
    CreatedBy: creatorOut(job.createdBy),
    IsParent: false,
  };
}

function recoveryPointOut(backup: BackupModel, rp: RecoveryPoint): Wire {
  const deleteAt = backup.deleteAtOf(rp);
  return {
    RecoveryPointArn: rp.arn,
    BackupVaultName: rp.vaultName,
    BackupVaultArn: rp.vaultArn,
    SourceBackupVaultArn: rp.sourceBackupVaultArn,
    ResourceArn: rp.resourceArn,
    ResourceType: rp.resourceType,
    ResourceName: rp.resourceName,
    CreatedBy: creatorOut(rp.createdBy),
    IamRoleArn: rp.iamRoleArn,
    Status: rp.status,
    StatusMessage: rp.statusMessage,
    CreationDate: at(rp.createdAt),
    InitiationDate: at(rp.initiatedAt),
    CompletionDate: at(rp.completedAt),
    BackupSizeInBytes: rp.backupSizeInBytes,
    CalculatedLifecycle: deleteAt !== undefined ? { DeleteAt: at(deleteAt) } : undefined,
    Lifecycle: lifecycleOut(rp.lifecycle),
    EncryptionKeyArn: rp.encryptionKeyArn,
    IsEncrypted: true,
    LastRestoreTime: at(rp.lastRestoreAt),
    IsParent: false,
    VaultType: 'BACKUP_VAULT',
  };
}

function copyJobOut(job: CopyJob, ctx: CallContext): Wire {
  return {
    AccountId: ctx.accountId,
    CopyJobId: job.id,
    SourceBackupVaultArn: job.sourceVaultArn,
    SourceRecoveryPointArn: job.sourceRecoveryPointArn,
    DestinationBackupVaultArn: job.destinationVaultArn,
    DestinationVaultType: 'BACKUP_VAULT',
    DestinationRecoveryPointArn: job.destinationRecoveryPointArn,
    DestinationRecoveryPointLifecycle: lifecycleOut(job.destinationLifecycle),
    ResourceArn: job.resourceArn,
    ResourceType: job.resourceType,
    ResourceName: job.resourceName,
    CreationDate: at(job.createdAt),
    CompletionDate: at(job.completedAt),
    State: job.state,
    StatusMessage: job.statusMessage,
    BackupSizeInBytes: job.backupSizeInBytes,
    IamRoleArn: job.iamRoleArn,
    CreatedBy: creatorOut(job.createdBy),
    CreatedByBackupJobId: job.createdByBackupJobId,
    IsParent: false,
  };
}

function restoreJobOut(job: RestoreJob, ctx: CallContext): Wire {
  return {
    AccountId: ctx.accountId,
    RestoreJobId: job.id,
    RecoveryPointArn: job.recoveryPointArn,
    RecoveryPointCreationDate: at(job.recoveryPointCreatedAt),
    SourceResourceArn: job.sourceResourceArn,
    BackupVaultArn: job.vaultArn,
    CreationDate: at(job.createdAt),
    CompletionDate: at(job.completedAt),
    Status: job.status,
    StatusMessage: job.statusMessage,
    PercentDone: percent(job.percentDone),
    BackupSizeInBytes: job.backupSizeInBytes,
    IamRoleArn: job.iamRoleArn,
    CreatedResourceArn: job.createdResourceArn,
    ResourceType: job.resourceType,
    IsParent: false,
  };
}
