import type { ServiceModule, SimWorld } from '../../types.js';
import { createAutoScalingBinding } from './binding.js';
import { AUTO_SCALING_GROUP, AutoScalingModel } from './model.js';

export { AutoScalingModel, AUTO_SCALING_GROUP } from './model.js';
export { AUTOSCALING_VERSION, AUTOSCALING_XML_NAMESPACE, autoScalingMemberNames } from './binding.js';
export { autoScalingErrors } from './errors.js';
export type { AutoScalingGroup, Fleet, GroupInstance, GroupView, LaunchActivity, LifecycleState, SeedGroupSpec } from './types.js';

/** The simulated EC2 Auto Scaling: groups of EC2 instances (the app's regional fleets), on awsQuery. */
export interface AutoScalingModule extends ServiceModule {
  readonly name: 'autoscaling';
  readonly model: AutoScalingModel;
}

export function createAutoScalingModule(world: SimWorld): AutoScalingModule {
  const model = new AutoScalingModel(world);
  return {
    name: 'autoscaling',
    model,
    binding: createAutoScalingBinding(model),
    targetable: (type, region) => (type === AUTO_SCALING_GROUP ? model.targetable(region) : []),
  };
}
