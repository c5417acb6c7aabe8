import type { EpochMs } from '../../../clock/types.js';
import { runsBetween } from './cron.js';
import { DAY_MS, DEFAULT_SCHEDULE, MINUTE_MS, vaultArnPattern } from './limits.js';
import type { BackupModel } from './model.js';
import type { ProtectedResource } from './resources.js';
import type {
  BackupJob,
  BackupPlan,
  BackupRule,
  BackupVault,
  CopyJob,
  Lifecycle,
  RecoveryPoint,
  RecoveryPointCreator,
  SeedBackupPlanSpec,
  SeededBackupPlan,
} from './types.js';

/**
 * Seeding, for the environment loader at t = 0: a backup plan as if it had
 * always been in force, with the completed jobs and recovery points its
 * past runs left. It works on the model's plans, vaults and recovery points
 * and on its jobs' records (jobs.ts); BackupModel.seedBackupPlan is its entry.
 */

/**
 * A plan in steady state: its vaults, rules and selections exist, and
 * every run its rules made within their retention has left a completed
 * recovery point (and, for copy actions, a completed copy) made through
 * the service's model (an RDS `awsbackup:job-…` snapshot, an EBS
 * snapshot, a DynamoDB backup) and dated at its run, as if the plan had
 * always been in force. A plan that copies DynamoDB across regions opts
 * its region into advanced DynamoDB backups first (`advancedDynamoDbBackup`).
 * Runs still in progress at t = 0 are not seeded; the scheduler takes
 * over from the next run. Nothing is scheduled per recovery point.
 */
export function seedBackupPlan(model: BackupModel, spec: SeedBackupPlanSpec): SeededBackupPlan {
  for (const vault of spec.vaults ?? []) model.seedVault(vault);
  for (const rule of spec.rules) {
    model.seedVault({ name: rule.vault, region: spec.region });
    for (const copy of rule.copyTo ?? []) model.seedVault({ name: copy.vault, region: copy.region });
  }
  const { plan } = model.createBackupPlan(spec.region, {
    BackupPlan: {
      BackupPlanName: spec.name,
      Rules: spec.rules.map((rule) => ({
        RuleName: rule.name,
        TargetBackupVaultName: rule.vault,
        ScheduleExpression: rule.schedule ?? DEFAULT_SCHEDULE,
        ...(rule.startWindowMinutes !== undefined ? { StartWindowMinutes: rule.startWindowMinutes } : {}),
        ...(rule.completionWindowMinutes !== undefined ? { CompletionWindowMinutes: rule.completionWindowMinutes } : {}),
        ...(rule.deleteAfterDays !== undefined ? { Lifecycle: { DeleteAfterDays: rule.deleteAfterDays } } : {}),
        CopyActions: (rule.copyTo ?? []).map((copy) => ({
          DestinationBackupVaultArn: model.vaultArn(copy.region, copy.vault),
          ...(copy.deleteAfterDays !== undefined ? { Lifecycle: { DeleteAfterDays: copy.deleteAfterDays } } : {}),
        })),
      })),
    },
  });
  const defaultRole = `arn:aws:iam::${model.world.accountId}:role/service-role/AWSBackupDefaultServiceRole`;
  const selections = spec.selections.map((selection) =>
    model.createBackupSelection(spec.region, plan.id, {
      SelectionName: selection.name,
      IamRoleArn: selection.iamRoleArn ?? defaultRole,
      ...(selection.resources ? { Resources: selection.resources } : {}),
      ...(selection.notResources ? { NotResources: selection.notResources } : {}),
      ...(selection.tags
        ? { ListOfTags: Object.entries(selection.tags).map(([key, value]) => ({ ConditionType: 'STRINGEQUALS', ConditionKey: key, ConditionValue: value })) }
        : {}),
    }),
  );
  const seeded: SeededBackupPlan = { plan, selections, recoveryPoints: [], skipped: [] };
  if (spec.advancedDynamoDbBackup ?? copiesDynamoDbAcrossRegions(model, plan)) {
    if (!model.fullyManages(spec.region, 'DynamoDB')) model.updateRegionSettings(spec.region, { ResourceTypeManagementPreference: { DynamoDB: true } });
  }
  if (spec.history === false) return seeded;
  const now = model.now();
  for (const rule of model.planVersion(plan).rules) {
    const retentionDays = rule.Lifecycle?.DeleteAfterDays ?? 35;
    const copyRetention = Math.max(0, ...rule.CopyActions.map((a) => a.Lifecycle?.DeleteAfterDays ?? retentionDays));
    const horizon = Math.max(retentionDays, copyRetention) * DAY_MS;
    const runs = runsBetween(rule.schedule, now - horizon, now, 2000);
    for (const resource of model.selectedResources(plan)) {
      for (const at of runs) seedRun(model, plan, rule, resource, at, seeded);
    }
    if (runs.length > 0) plan.lastExecutionAt = Math.max(plan.lastExecutionAt ?? 0, runs[runs.length - 1]!);
  }
  model.world.emit('backup.plan.seeded', {
    region: plan.region,
    planId: plan.id,
    name: spec.name,
    recoveryPoints: seeded.recoveryPoints.length,
    skipped: seeded.skipped.length,
  });
  return seeded;
}

/** A rule of the plan copies to another region, and the plan protects a DynamoDB table. */
function copiesDynamoDbAcrossRegions(model: BackupModel, plan: BackupPlan): boolean {
  const copies = model.planVersion(plan).rules.some((rule) =>
    rule.CopyActions.some((action) => vaultArnPattern.exec(action.DestinationBackupVaultArn)?.[1] !== plan.region),
  );
  return copies && model.selectedResources(plan).some((resource) => resource.type === 'DynamoDB');
}

function seedRun(model: BackupModel, plan: BackupPlan, rule: BackupRule, resource: ProtectedResource, at: EpochMs, seeded: SeededBackupPlan): void {
  const now = model.now();
  const adapter = model.adapterOfType(resource.type);
  const vault = model.vault(plan.region, rule.TargetBackupVaultName);
  const id = model.jobId();
  const rng = model.world.rng.fork(`backup:job:${id}`);
  const startedAt = at + model.world.duration('backup.job.start', rng);
  const retained = (lifecycle: Lifecycle | undefined, createdAt: EpochMs) =>
    lifecycle?.DeleteAfterDays === undefined || createdAt + lifecycle.DeleteAfterDays * DAY_MS > now;
  if (startedAt >= now) return;
  // A source whose retention ran out is gone, but its copies (kept longer) may outlive it.
  const sourceKept = retained(rule.Lifecycle, at);
  if (!sourceKept && !rule.CopyActions.some((action) => retained(action.Lifecycle, at))) return;
  const made = adapter.seedBackup(resource, startedAt, { ...model.backupJobRef(adapter, plan.region, id), rng });
  if ('skipped' in made) {
    seeded.skipped.push({ resourceArn: resource.arn, at, reason: made.skipped });
    return;
  }
  const createdBy = model.creator(plan, rule);
  const job: BackupJob = {
    id,
    region: plan.region,
    vaultName: vault.name,
    vaultArn: vault.arn,
    resourceArn: resource.arn,
    resourceType: resource.type,
    ...(resource.name !== undefined ? { resourceName: resource.name } : {}),
    iamRoleArn: model.selectionsOf(plan).find((s) => model.selects(s, resource))?.iamRoleArn ?? '',
    createdAt: at,
    readyAt: startedAt,
    startBy: at + rule.StartWindowMinutes * MINUTE_MS,
    state: 'COMPLETED',
    percentDone: 100,
    initiatedAt: startedAt,
    completedAt: made.completedAt,
    recoveryPointArn: made.arn,
    backupSizeInBytes: resource.sizeBytes,
    ...(rule.Lifecycle ? { lifecycle: rule.Lifecycle } : {}),
    createdBy,
    copyActions: rule.CopyActions,
    rng,
    timers: new Set(),
  };
  model.jobs.backupJobs.set(id, job);
  const rp = seedRecoveryPoint(model, {
    arn: made.arn,
    region: plan.region,
    vault,
    resource,
    iamRoleArn: job.iamRoleArn,
    createdAt: at,
    initiatedAt: startedAt,
    completedAt: made.completedAt,
    ...(rule.Lifecycle ? { lifecycle: rule.Lifecycle } : {}),
    createdBy,
  });
  if (sourceKept) seeded.recoveryPoints.push(rp);
  for (const action of rule.CopyActions) {
    const destination = model.vaultByArn(action.DestinationBackupVaultArn);
    if (!destination) continue;
    const copyId = model.jobId();
    const copyRng = model.world.rng.fork(`backup:copy-job:${copyId}`);
    const copyCreatedAt = made.completedAt;
    const copyStartedAt = copyCreatedAt + model.world.duration('backup.job.start', copyRng);
    if (copyStartedAt >= now || !retained(action.Lifecycle, copyCreatedAt)) continue;
    const copy = adapter.seedCopy(made.arn, destination.region, copyStartedAt, { ...model.copyJobRef(made.arn, destination.region, copyId), rng: copyRng });
    if ('skipped' in copy) {
      seeded.skipped.push({ resourceArn: resource.arn, at: copyCreatedAt, reason: copy.skipped });
      continue;
    }
    const copyJob: CopyJob = {
      id: copyId,
      region: plan.region,
      sourceVaultArn: vault.arn,
      sourceRecoveryPointArn: made.arn,
      destinationVaultArn: destination.arn,
      resourceArn: resource.arn,
      resourceType: resource.type,
      ...(resource.name !== undefined ? { resourceName: resource.name } : {}),
      iamRoleArn: job.iamRoleArn,
      createdAt: copyCreatedAt,
      readyAt: copyStartedAt,
      state: 'COMPLETED',
      completedAt: copy.completedAt,
      destinationRecoveryPointArn: copy.arn,
      ...(action.Lifecycle ? { destinationLifecycle: action.Lifecycle } : {}),
      backupSizeInBytes: resource.sizeBytes,
      createdBy,
      createdByBackupJobId: id,
      rng: copyRng,
      timers: new Set(),
    };
    model.jobs.copyJobs.set(copyId, copyJob);
    seeded.recoveryPoints.push(
      seedRecoveryPoint(model, {
        arn: copy.arn,
        region: destination.region,
        vault: destination,
        resource,
        iamRoleArn: job.iamRoleArn,
        createdAt: copyCreatedAt,
        initiatedAt: copyStartedAt,
        completedAt: copy.completedAt,
        ...(action.Lifecycle ? { lifecycle: action.Lifecycle } : {}),
        createdBy,
        sourceBackupVaultArn: vault.arn,
      }),
    );
  }
  // The source snapshot was needed to seed its copies; a source past its retention goes now.
  if (!sourceKept) {
    model.recoveryPoints.delete(rp.arn);
    adapter.deleteRecoveryPoint(rp.arn);
  }
}

function seedRecoveryPoint(model: BackupModel, args: {
  arn: string;
  region: string;
  vault: BackupVault;
  resource: ProtectedResource;
  iamRoleArn: string;
  createdAt: EpochMs;
  initiatedAt: EpochMs;
  completedAt: EpochMs;
  lifecycle?: Lifecycle;
  createdBy: RecoveryPointCreator;
  sourceBackupVaultArn?: string;
}): RecoveryPoint {
  const rp: RecoveryPoint = {
    arn: args.arn,
    region: args.region,
    vaultName: args.vault.name,
    vaultArn: args.vault.arn,
    resourceArn: args.resource.arn,
    resourceType: args.resource.type,
    ...(args.resource.name !== undefined ? { resourceName: args.resource.name } : {}),
    iamRoleArn: args.iamRoleArn,
    createdAt: args.createdAt,
    initiatedAt: args.initiatedAt,
    completedAt: args.completedAt,
    status: 'COMPLETED',
    backupSizeInBytes: args.resource.sizeBytes,
    ...(args.lifecycle ? { lifecycle: args.lifecycle } : {}),
    createdBy: args.createdBy,
    ...(args.sourceBackupVaultArn ? { sourceBackupVaultArn: args.sourceBackupVaultArn } : {}),
    encryptionKeyArn: args.vault.encryptionKeyArn,
    tags: {},
  };
  model.recoveryPoints.set(rp.arn, rp);
  // A source kept only to seed its copies is gone again at once: it needs no sweep.
  const deleteAt = model.deleteAtOf(rp);
  if (deleteAt !== undefined && deleteAt > model.now()) model.sweepBy(deleteAt);
  return rp;
}
