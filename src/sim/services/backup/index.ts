import type { ServiceModule, SimWorld } from '../../types.js';
import { BackupAudit } from './audit.js';
import { createBackupBinding } from './binding.js';
import { BackupModel } from './model.js';

export { BackupAudit, isAuditControl, reportRows } from './audit.js';
export { BackupModel } from './model.js';
export { backupOperations } from './binding.js';
export { CronError, nextRun, parseCron, runsBetween, type CronSchedule } from './cron.js';
export {
  isBackupManagedArn,
  rdsCopyName,
  rdsRecoveryPointName,
  type JobRef,
  type ProtectedResource,
  type ResourceAdapter,
  type SeedJobRef,
} from './resources.js';
export type * from './types.js';

/** AWS Backup: its model (seeding, compliance, running a plan now) and Backup Audit Manager, behind a restJson1 binding. */
export interface BackupModule extends ServiceModule {
  readonly name: 'backup';
  readonly model: BackupModel;
  readonly audit: BackupAudit;
}

export function createBackupModule(world: SimWorld): BackupModule {
  const model = new BackupModel(world);
  const audit = new BackupAudit(world, model);
  return { name: 'backup', model, audit, binding: createBackupBinding(model, audit) };
}
