import type { AuthorizationRequest, ServiceBinding, ServiceModule, SimWorld } from '../../types.js';
import { createCloudTrailBinding } from './binding.js';
import { CloudTrailModel } from './model.js';
import type { TrailEvent } from './types.js';

export { CLOUDTRAIL_TARGET_PREFIX } from './binding.js';
export { CloudTrailModel, cloudTrailErrors } from './model.js';
export { isDataEvent, requestDetailsOf } from './request-details.js';
export type * from './types.js';

/** AWS CloudTrail's event history (LookupEvents) over the sim's audit trail, on awsJson 1.1. */
export interface CloudTrailModule extends ServiceModule {
  readonly name: 'cloudtrail';
  readonly binding: ServiceBinding;
  readonly model: CloudTrailModel;
  /** Every recorded event of a region (or all regions), oldest first, in LookupEvents' shape. */
  events(region?: string): TrailEvent[];
}

export function createCloudTrailModule(world: SimWorld): CloudTrailModule {
  const model = new CloudTrailModel(world);
  return {
    name: 'cloudtrail',
    binding: createCloudTrailBinding(model),
    model,
    events: (region) => model.events(region),
    // Every call, also one an outage or IAM then refuses: its request parameters go in the record.
    observe(call: AuthorizationRequest): void {
      model.observe(call);
    },
  };
}
