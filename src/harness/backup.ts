import {
  GetBackupPlanCommand,
  GetBackupSelectionCommand,
  ListBackupPlansCommand,
  ListBackupSelectionsCommand,
  DescribeBackupJobCommand,
  DescribeRestoreJobCommand,
  DeleteRecoveryPointCommand,
  ListRecoveryPointsByBackupVaultCommand,
  StartBackupJobCommand,
  StartRestoreJobCommand,
  type RecoveryPointByBackupVault,
} from '@aws-sdk/client-backup';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { assumedRoleOf, regionsOf, resolveAlias, type BackupPlan, type Environment, type Resource } from '../env/index.js';
import { errorCode } from './aws-error.js';
import { startProbe } from './probes.js';
import { action, waitUntil } from './wait.js';
import type { ScenarioContext } from './scenario.js';
import { alias, knownRole, region as knownRegion } from './checks.js';
import { step } from './types.js';

/**
 * AWS Backup: running a plan on demand, restore jobs from recovery points,
 * an unauthorised deletion of one, and plan coverage of tagged resources.
 */

async function accountId(ctx: ScenarioContext): Promise<string> {
  const { Account } = await ctx.target.clients.sts().send(new GetCallerIdentityCommand({}));
  if (!Account) throw new Error('STS GetCallerIdentity named no account');
  return Account;
}

function arnOf(resource: Resource, account: string): string {
  switch (resource.kind) {
    case 'rds-instance':
    case 'rds-read-replica':
      return `arn:aws:rds:${resource.region}:${account}:db:${resource.identifier}`;
    case 'dynamodb-table':
      return `arn:aws:dynamodb:${resource.region}:${account}:table/${resource.identifier}`;
    case 'ebs-volume':
      return `arn:aws:ec2:${resource.region}:${account}:volume/${resource.identifier}`;
    case 's3-bucket':
      return `arn:aws:s3:::${resource.identifier}`;
    default:
      throw new Error(`"${resource.alias}" (${resource.kind}) cannot be backed up`);
  }
}

function plan(ctx: ScenarioContext, alias: string): BackupPlan {
  return resolveAlias(ctx.env, alias, ['backup-plan']);
}

/** The environment's resources a plan selects, by its tags or by alias. */
export function selected(env: Environment, backupPlan: BackupPlan): Resource[] {
  return Object.values(env.resources).filter((resource) => {
    if (backupPlan.selection.resources.includes(resource.alias)) return true;
    const tags = 'tags' in resource ? resource.tags : {};
    const wanted = Object.entries(backupPlan.selection.tags);
    return wanted.length > 0 && wanted.every(([k, v]) => tags[k] === v);
  });
}

/** On-demand backup jobs for every resource the plan selects, with its first rule's vault and lifecycle. */
export async function runBackupPlan(ctx: ScenarioContext, alias: string): Promise<void> {
  const backupPlan = plan(ctx, alias);
  const rule = backupPlan.rules[0];
  if (!rule) throw new Error(`the backup plan "${alias}" has no rules`);
  const account = await accountId(ctx);
  const backup = ctx.target.clients.backup(backupPlan.region);
  const resources = selected(ctx.env, backupPlan).filter((r) => 'region' in r && r.region === backupPlan.region);
  if (resources.length === 0) throw new Error(`the backup plan "${alias}" selects nothing in ${backupPlan.region}`);
  await action(ctx, 'backup', 'backup plan run', `${alias} (${resources.length} resources)`, backupPlan.region, async () => {
    const jobs: string[] = [];
    for (const resource of resources) {
      const input = {
        BackupVaultName: backupPlan.vault,
        ResourceArn: arnOf(resource, account),
        IamRoleArn: `arn:aws:iam::${account}:role/service-role/AWSBackupDefaultServiceRole`,
        Lifecycle: { DeleteAfterDays: rule.deleteAfterDays },
      };
      const started = await backup.send(new StartBackupJobCommand(input));
      if (started.BackupJobId) jobs.push(started.BackupJobId);
    }
    for (const id of jobs) {
      const job = await waitUntil(ctx, `backup job ${id}`, async () => {
        const now = await backup.send(new DescribeBackupJobCommand({ BackupJobId: id }));
        return ['COMPLETED', 'FAILED', 'ABORTED', 'EXPIRED'].includes(now.State ?? '') ? now : undefined;
      });
      if (job.State !== 'COMPLETED') throw new Error(`backup job ${id} of ${job.ResourceArn} ended ${job.State}: ${job.StatusMessage ?? ''}`);
    }
    return jobs.length;
  }, (count) => `${count} recovery points in ${backupPlan.vault}`);
}

async function latestRecoveryPoint(ctx: ScenarioContext, backupPlan: BackupPlan, resourceArn: string): Promise<RecoveryPointByBackupVault> {
  const points: RecoveryPointByBackupVault[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ctx.target.clients.backup(backupPlan.region).send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: backupPlan.vault, ByResourceArn: resourceArn, NextToken }));
    points.push(...(page.RecoveryPoints ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  const latest = points.filter((p) => p.Status === 'COMPLETED').sort((a, b) => (b.CreationDate?.getTime() ?? 0) - (a.CreationDate?.getTime() ?? 0))[0];
  if (!latest?.RecoveryPointArn) throw new Error(`no completed recovery point of ${resourceArn} in ${backupPlan.vault}`);
  return latest;
}

function planFor(ctx: ScenarioContext, resource: Resource): BackupPlan {
  const found = Object.values(ctx.env.resources).find((r): r is BackupPlan => r.kind === 'backup-plan' && selected(ctx.env, r).some((s) => s.alias === resource.alias));
  if (!found) throw new Error(`no backup plan in ${ctx.env.file} selects "${resource.alias}"`);
  return found;
}

/** StartRestoreJob from the resource's latest recovery point, as a new resource named after the alias. */
export async function restoreFromRecoveryPoint(ctx: ScenarioContext, alias: string, newAlias: string): Promise<void> {
  const resource = resolveAlias(ctx.env, alias, ['rds-instance', 'dynamodb-table']);
  const backupPlan = planFor(ctx, resource);
  const account = await accountId(ctx);
  const point = await latestRecoveryPoint(ctx, backupPlan, arnOf(resource, account));
  const backup = ctx.target.clients.backup(backupPlan.region);
  const metadata: Record<string, string> =
    resource.kind === 'rds-instance' ? { DBInstanceIdentifier: newAlias } : { targetTableName: newAlias };
  await action(ctx, 'backup', 'restore job', `${alias} → ${newAlias}`, backupPlan.region, async () => {
    ctx.cleanup
      .begin(`restore job ${newAlias}`, { service: 'backup', region: backupPlan.region, operation: 'StartRestoreJob', input: { RecoveryPointArn: point.RecoveryPointArn, Metadata: metadata } })
      .undoWith(
        resource.kind === 'rds-instance'
          ? { service: 'rds', region: resource.region, operation: 'DeleteDBInstance', input: { DBInstanceIdentifier: newAlias, SkipFinalSnapshot: true } }
          : { service: 'dynamodb', region: resource.region, operation: 'DeleteTable', input: { TableName: newAlias } },
      );
    const { RestoreJobId } = await backup.send(
      new StartRestoreJobCommand({ RecoveryPointArn: point.RecoveryPointArn, Metadata: metadata, IamRoleArn: `arn:aws:iam::${account}:role/service-role/AWSBackupDefaultServiceRole` }),
    );
    if (resource.kind === 'rds-instance') ctx.createdDatabases.set(newAlias, { region: resource.region, identifier: newAlias });
    else ctx.createdTables.set(newAlias, { ...resource, alias: newAlias, identifier: newAlias, replicaRegions: [] });
    if (ctx.watched.has(newAlias)) startProbe(ctx, newAlias);
    const job = await waitUntil(ctx, `restore job ${RestoreJobId}`, async () => {
      const now = await backup.send(new DescribeRestoreJobCommand({ RestoreJobId }));
      return ['COMPLETED', 'FAILED', 'ABORTED'].includes(now.Status ?? '') ? now : undefined;
    });
    if (job.Status !== 'COMPLETED') throw new Error(`restore job ${RestoreJobId} ended ${job.Status}: ${job.StatusMessage ?? ''}`);
    return job.CreatedResourceArn;
  }, (arn) => `created ${arn} from ${point.RecoveryPointArn}`);
  ctx.restoredTo.set(newAlias, { source: alias, at: point.CreationDate ? ctx.target.awsClock.toRunner(point.CreationDate.getTime()) : ctx.clock.now() });
  ctx.successors.set(alias, newAlias);
}

/** Try to delete the resource's latest recovery point as another role; the answer is kept for "the request is denied". */
export async function tryDeleteRecoveryPoint(ctx: ScenarioContext, role: string, alias: string): Promise<void> {
  const resource = resolveAlias(ctx.env, alias, ['rds-instance', 'dynamodb-table', 'ebs-volume']);
  const backupPlan = planFor(ctx, resource);
  const point = await latestRecoveryPoint(ctx, backupPlan, arnOf(resource, await accountId(ctx)));
  // Journalled before it is tried; irreversible only if it is not refused (a refusal changed nothing).
  const attempt = ctx.cleanup.begin(`deletion attempt by ${role}`, {
    service: 'backup',
    region: backupPlan.region,
    operation: 'DeleteRecoveryPoint',
    input: { BackupVaultName: backupPlan.vault, RecoveryPointArn: point.RecoveryPointArn },
  });
  try {
    await ctx.target.clientsAs(role).backup(backupPlan.region).send(new DeleteRecoveryPointCommand({ BackupVaultName: backupPlan.vault, RecoveryPointArn: point.RecoveryPointArn }));
    attempt.irreversible();
    ctx.lastError = undefined;
    ctx.emit({ kind: 'info', detail: { message: `${role} deleted ${point.RecoveryPointArn}` } });
  } catch (error) {
    ctx.lastError = { code: errorCode(error), message: (error as Error).message, operation: 'DeleteRecoveryPoint' };
    ctx.emit({ kind: 'info', detail: { message: `${role}'s DeleteRecoveryPoint was refused: ${ctx.lastError.code}` } });
  }
}

/**
 * Plan coverage, Backup Audit Manager's idea through the Backup API: every
 * resource the environment tags so is selected by a plan (by ARN or by a tag
 * condition) whose rule keeps recovery points long enough and copies them to
 * the region named.
 */
export async function checkCoverage(ctx: ScenarioContext, tag: string, days: number, copyRegion: string): Promise<void> {
  const [key, value] = tag.includes('=') ? tag.split('=', 2) : [tag, undefined];
  const account = await accountId(ctx);
  const resources = Object.values(ctx.env.resources).filter((r) => {
    const tags = 'tags' in r ? r.tags : {};
    return r.kind !== 'backup-plan' && key !== undefined && key in tags && (value === undefined || tags[key] === value);
  });
  if (resources.length === 0) throw new Error(`no resource of ${ctx.env.name} is tagged ${tag}`);
  const covering = new Map<string, string[]>();
  for (const region of regionsOf(ctx.env)) {
    const backup = ctx.target.clients.backup(region);
    const { BackupPlansList } = await backup.send(new ListBackupPlansCommand({}));
    for (const summary of BackupPlansList ?? []) {
      const { BackupPlan } = await backup.send(new GetBackupPlanCommand({ BackupPlanId: summary.BackupPlanId }));
      const rules = (BackupPlan?.Rules ?? []).filter(
        (rule) => (rule.Lifecycle?.DeleteAfterDays ?? Infinity) >= days && (rule.CopyActions ?? []).some((c) => c.DestinationBackupVaultArn?.split(':')[3] === copyRegion),
      );
      if (rules.length === 0) continue;
      const { BackupSelectionsList } = await backup.send(new ListBackupSelectionsCommand({ BackupPlanId: summary.BackupPlanId }));
      for (const listed of BackupSelectionsList ?? []) {
        const { BackupSelection } = await backup.send(new GetBackupSelectionCommand({ BackupPlanId: summary.BackupPlanId, SelectionId: listed.SelectionId }));
        for (const resource of resources) {
          if (!('region' in resource) || resource.region !== region) continue;
          const arn = arnOf(resource, account);
          const tags = 'tags' in resource ? resource.tags : {};
          const byArn = BackupSelection?.Resources?.includes(arn) ?? false;
          const byTag = (BackupSelection?.ListOfTags ?? []).some((c) => c.ConditionKey !== undefined && tags[c.ConditionKey] === c.ConditionValue);
          if (byArn || byTag) covering.set(resource.alias, [...(covering.get(resource.alias) ?? []), summary.BackupPlanName ?? summary.BackupPlanId ?? '?']);
        }
      }
    }
  }
  const uncovered: string[] = [];
  for (const resource of resources) {
    const plans = covering.get(resource.alias);
    ctx.emit({
      kind: plans ? 'check.passed' : 'check.failed',
      detail: { check: 'backup coverage', subject: resource.alias, evidence: plans ? `covered by ${[...new Set(plans)].join(', ')}` : `no plan keeps it ${days} days with a copy in ${copyRegion}` },
    });
    if (!plans) uncovered.push(resource.alias);
  }
  if (uncovered.length) throw new Error(`not backed up for ${days} days with a copy in ${copyRegion}: ${uncovered.join(', ')}`);
}

export const backupPlanRuns = step({
  keyword: 'When',
  phrase: 'the {string} backup plan runs',
  check: ([name], context) => alias(['backup-plan'])(name, context),
  calls: ([name]) => [`backup:StartBackupJob for each resource ${name} selects (mutating)`, 'backup:DescribeBackupJob until COMPLETED'],
  run: (ctx, [name]) => runBackupPlan(ctx, name),
});

export const restoredFromRecoveryPoint = step({
  keyword: 'When',
  // Extension: an AWS Backup restore job.
  phrase: '{string} is restored from its latest recovery point as {string}',
  check: ([name, as], context) => {
    alias(['rds-instance', 'dynamodb-table'])(name, context);
    context.created.add(as);
  },
  calls: ([name, as]) => [`backup:ListRecoveryPointsByBackupVault for ${name}`, `backup:StartRestoreJob as ${as} (mutating)`, 'backup:DescribeRestoreJob until COMPLETED'],
  run: (ctx, [name, as]) => restoreFromRecoveryPoint(ctx, name, as),
});

export const roleDeletesRecoveryPoint = step({
  keyword: 'When',
  // Extension: an unauthorised deletion, made with the role's own credentials.
  phrase: 'the {string} role tries to delete the latest recovery point of {string}',
  check: ([role, name], context) => {
    knownRole(role, context);
    alias(['rds-instance', 'dynamodb-table', 'ebs-volume'])(name, context);
  },
  calls: ([role, name], env) => [
    ...(env.target === 'aws' ? [`sts:AssumeRole ${assumedRoleOf(env, role).roleArn} (session gameday-<run id>)`] : []),
    `backup:DeleteRecoveryPoint of ${name}'s latest recovery point, as ${role} (mutating if allowed)`,
  ],
  run: (ctx, [role, name]) => tryDeleteRecoveryPoint(ctx, role, name),
});

export const everyTaggedResourceBackedUp = step({
  keyword: 'Then',
  // Extension: plan coverage (Backup Audit Manager's idea, through the Backup API).
  phrase: 'every resource tagged {string} is backed up for at least {int} days with a copy in {string}',
  check: ([, , region], context) => knownRegion(region, context),
  run: (ctx, [tag, days, region]) => checkCoverage(ctx, tag, days, region),
});
