import type { ServiceBinding, ServiceModule, SimWorld } from '../../types.js';
import type { AccessDenial, AccessDenialObserver } from '../iam/types.js';
import { createGuardDutyBinding } from './binding.js';
import { GuardDutyModel } from './model.js';
import type { Finding } from './types.js';

export { guardDutyOperations } from './binding.js';
export { GuardDutyModel, guardDutyErrors } from './model.js';
export { BACKUP_BUCKET_TAG, DENIED_DELETION_FINDING_TYPE, DENIED_DELETION_SEVERITY, S3_DELETION_FINDING_TYPE, S3_DELETION_SEVERITY } from './types.js';
export type * from './types.js';

/** Amazon GuardDuty: a detector per region and findings from refused backup deletions, over restJson1. */
export interface GuardDutyModule extends ServiceModule, AccessDenialObserver {
  readonly name: 'guardduty';
  readonly binding: ServiceBinding;
  readonly model: GuardDutyModel;
  /** Findings of a region, or of every region, oldest first (for the harness and its steps). */
  findings(region?: string): Finding[];
}

export function createGuardDutyModule(world: SimWorld): GuardDutyModule {
  const model = new GuardDutyModel(world);
  return {
    name: 'guardduty',
    binding: createGuardDutyBinding(model),
    model,
    findings: (region) => model.findings(region),
    observeAccessDenial: (denial: AccessDenial) => model.observeAccessDenial(denial),
  };
}
