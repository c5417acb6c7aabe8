import type { FisActionDefinition, ServiceModule, SimWorld, TargetableResource } from '../../types.js';
import { createEc2Binding } from './binding.js';
import { EBS_VOLUME, ec2FisActions } from './fis-actions.js';
import { EC2_INSTANCE } from './instances.js';
import { Ec2Model } from './model.js';

export { Ec2Model, parseEc2Arn, type SnapshotOptions } from './model.js';
export { Ec2Instances, EC2_INSTANCE, type InstanceResource, type NotServing } from './instances.js';
export { AUTO_SCALING_GROUP, EBS_VOLUME, groupNameOf, zoneName } from './fis-actions.js';
export { EC2_VERSION, EC2_XML_NAMESPACE } from './binding.js';
export type { CapacityFault, EbsSnapshot, EbsVolume, Ec2Instance, Ec2Subnet, InstanceStateName, LaunchSpec, SeedSnapshotSpec, SeedVolumeSpec, VolumeData } from './types.js';

/** The simulated EC2 API: instances, subnets and EBS; its model (for seeding, Auto Scaling, the app and AWS Backup) and its ec2Query binding. */
export interface Ec2Module extends ServiceModule {
  readonly name: 'ec2';
  readonly model: Ec2Model;
  readonly fisActions: FisActionDefinition[];
  targetable(type: string, region: string): TargetableResource[];
}

export function createEc2Module(world: SimWorld): Ec2Module {
  const model = new Ec2Model(world);
  return {
    name: 'ec2',
    model,
    binding: createEc2Binding(model),
    fisActions: ec2FisActions(model),
    targetable: (type, region) => (type === EBS_VOLUME ? model.targetableVolumes(region) : type === EC2_INSTANCE ? model.instances.targetable(region) : []),
  };
}
