import type { ServiceModule, SimWorld } from '../../types.js';
import { createBackupBinding } from './binding.js';
import { BackupModel } from './model.js';

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

/** AWS Backup: its model (seeding, compliance, running a plan now) behind a restJson1 binding. */
export interface BackupModule extends ServiceModule {
  readonly name: 'backup';
  readonly model: BackupModel;
}

export function createBackupModule(world: SimWorld): BackupModule {
  const model = new BackupModel(world);
  return { name: 'backup', model, binding: createBackupBinding(model) };
}
