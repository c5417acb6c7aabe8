import type { EpochMs } from '../../../clock/types.js';
import { vaultArnPattern } from './limits.js';
import type { BackupModel } from './model.js';
import { regionOfArn } from './resources.js';
import type { ComplianceOptions, ComplianceReport, PlanCoverage, RecoveryPoint, ResourceCompliance } from './types.js';

/**
 * Compliance, Backup Audit Manager's idea of it, over the model's plans,
 * selections and recovery points: BackupModel.evaluateCompliance is its
 * entry, and audit.ts's controls read it.
 */


/**
 * Evaluate resources against the controls Backup Audit Manager offers:
 * protected by a backup plan, minimum retention, cross-region copy, and
 * (optionally) a recent enough recovery point.
 */
export function evaluateCompliance(model: BackupModel, options: ComplianceOptions): ComplianceReport {
  const now = model.now();
  const planRegions = [...model.plans.values()].filter((p) => p.deletedAt === undefined).map((p) => p.region);
  const regions = options.regions ?? [...new Set([...planRegions, ...[...model.vaults.values()].map((v) => v.region)])].sort();
  const arns = options.resourceArns ?? regions.flatMap((region) => model.adapters.flatMap((a) => a.list(region).map((r) => r.arn)));
  const resources = [...new Set(arns)].map((arn) => evaluateResource(model, arn, options, now));
  return { evaluatedAt: now, compliant: resources.every((r) => r.compliant), resources };
}

function evaluateResource(model: BackupModel, resourceArn: string, options: ComplianceOptions, now: EpochMs): ResourceCompliance {
  const adapter = model.adapterFor(resourceArn);
  const region = regionOfArn(resourceArn) ?? '';
  const resource = adapter?.find(resourceArn);
  const reasons: string[] = [];
  const coveredBy: PlanCoverage[] = [];
  if (!adapter) reasons.push('AWS Backup in the simulator does not protect this resource type.');
  else if (!resource) reasons.push('The resource does not exist.');
  if (resource) {
    for (const plan of model.plans.values()) {
      if (plan.deletedAt !== undefined || plan.region !== resource.region) continue;
      const selection = model.selectionsOf(plan).find((s) => model.protects(s, resource));
      if (!selection) continue;
      const version = model.planVersion(plan);
      for (const rule of version.rules) {
        coveredBy.push({
          planId: plan.id,
          planName: version.name,
          planRegion: plan.region,
          selectionName: selection.name,
          ruleName: rule.RuleName,
          vaultName: rule.TargetBackupVaultName,
          retentionDays: rule.Lifecycle?.DeleteAfterDays ?? null,
          copyRegions: [...new Set(rule.CopyActions.map((a) => vaultArnPattern.exec(a.DestinationBackupVaultArn)?.[1] ?? ''))].filter((r) => r !== ''),
        });
      }
    }
  }
  const points = model.recoveryPointsOf(resourceArn).filter((rp) => rp.status === 'COMPLETED' && rp.completedAt !== undefined);
  const latest = points.reduce<RecoveryPoint | undefined>((best, rp) => (!best || rp.completedAt! > best.completedAt! ? rp : best), undefined);
  const copiedToRegions = [...new Set(points.filter((rp) => rp.region !== region).map((rp) => rp.region))].sort();
  const retentionDays =
    coveredBy.length === 0 ? 0 : coveredBy.some((c) => c.retentionDays === null) ? null : Math.max(...coveredBy.map((c) => c.retentionDays!));
  if (resource && coveredBy.length === 0) reasons.push('Not protected by any backup plan.');
  if (coveredBy.length > 0 && retentionDays !== null && retentionDays < options.minRetentionDays) {
    reasons.push(`Recovery points are kept ${retentionDays} days, less than the required ${options.minRetentionDays}.`);
  }
  if (options.requireCrossRegionCopy && coveredBy.length > 0) {
    const copyRegions = new Set(coveredBy.flatMap((c) => c.copyRegions).filter((r) => r !== region));
    if (copyRegions.size === 0) reasons.push('No backup rule copies its recovery points to another region.');
    else if (copiedToRegions.length === 0) reasons.push(`No completed recovery point has been copied to ${[...copyRegions].sort().join(', ')} yet.`);
  }
  if (options.maxRecoveryPointAgeHours !== undefined && resource) {
    const limit = options.maxRecoveryPointAgeHours * 3_600_000;
    if (!latest) reasons.push('There is no completed recovery point.');
    else if (now - latest.completedAt! > limit) {
      reasons.push(`The latest recovery point is ${Math.floor((now - latest.completedAt!) / 3_600_000)} hours old, more than ${options.maxRecoveryPointAgeHours}.`);
    }
  }
  return {
    resourceArn,
    resourceType: adapter?.type ?? 'unknown',
    region,
    coveredBy,
    retentionDays,
    copiedToRegions,
    ...(latest ? { latestRecoveryPoint: { arn: latest.arn, region: latest.region, completedAt: latest.completedAt! } } : {}),
    completedRecoveryPoints: points.length,
    compliant: reasons.length === 0,
    reasons,
  };
}
