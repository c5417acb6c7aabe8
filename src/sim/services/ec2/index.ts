import type { ServiceModule, SimWorld, TargetableResource } from '../../types.js';
import { createEc2Binding } from './binding.js';
import { Ec2Model } from './model.js';

export { Ec2Model, parseEc2Arn, type SnapshotOptions } from './model.js';
export { EC2_VERSION, EC2_XML_NAMESPACE } from './binding.js';
export type { EbsSnapshot, EbsVolume, SeedSnapshotSpec, SeedVolumeSpec, VolumeData } from './types.js';

/** FIS's resource type for EBS volumes. */
export const EBS_VOLUME = 'aws:ec2:ebs-volume';

/** The simulated EC2 API's EBS part: its model (for seeding, the app's writes and AWS Backup) and its ec2Query binding. */
export interface Ec2Module extends ServiceModule {
  readonly name: 'ec2';
  readonly model: Ec2Model;
  targetable(type: string, region: string): TargetableResource[];
}

export function createEc2Module(world: SimWorld): Ec2Module {
  const model = new Ec2Model(world);
  return {
    name: 'ec2',
    model,
    binding: createEc2Binding(model),
    targetable: (type, region) => (type === EBS_VOLUME ? model.targetableVolumes(region) : []),
  };
}
