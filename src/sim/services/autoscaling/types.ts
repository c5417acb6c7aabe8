import type { EpochMs } from '../../../clock/types.js';
import type { Rng } from '../../types.js';

/**
 * EC2 Auto Scaling groups, as far as a game day needs them: a standby
 * region's fleet is scaled up by setting its group's desired capacity, and
 * is at full once as many instances are InService as are desired. A group
 * launches into a fleet (in the sim, a regional orders service of the app),
 * which decides when instances come into service; the group keeps its
 * bounds and names the instances it sees.
 */

/**
 * What a group launches into. The fleet is the truth about capacity: how
 * many instances serve, how many are launching, how many are wanted.
 */
export interface Fleet {
  state(): { running: number; launching: number; desired: number };
  setDesired(count: number): void;
}

/** The lifecycle states the sim's instances pass through (AWS has more: warm pools, lifecycle hooks). */
export type LifecycleState = 'Pending' | 'InService';

export interface GroupInstance {
  readonly id: string;
  readonly availabilityZone: string;
  state: LifecycleState;
  /** Launch order within the group, for picking the newest to terminate. */
  readonly launchIndex: number;
}

export interface GroupTag {
  readonly key: string;
  readonly value: string;
  readonly propagateAtLaunch: boolean;
}

export interface AutoScalingGroup {
  readonly name: string;
  readonly region: string;
  readonly arn: string;
  readonly createdAt: EpochMs;
  minSize: number;
  maxSize: number;
  /** Seconds after a scaling activity before another may start (honoured only when a call asks). */
  defaultCooldown: number;
  healthCheckType: string;
  healthCheckGracePeriod: number;
  readonly availabilityZones: readonly string[];
  readonly instanceType: string;
  readonly launchTemplate: { readonly id: string; readonly name: string; readonly version: string };
  readonly tags: readonly GroupTag[];
  readonly fleet: Fleet;
  /** The instances as last reconciled with the fleet. */
  instances: GroupInstance[];
  launches: number;
  /** When the desired capacity last changed. */
  lastScalingAt?: EpochMs;
  readonly rng: Rng;
}

export interface SeedGroupSpec {
  name: string;
  region: string;
  fleet: Fleet;
  /** 0 unless told. */
  minSize?: number;
  maxSize: number;
  /** `<region>a` and `<region>b` unless told. */
  availabilityZones?: string[];
  instanceType?: string;
  tags?: Record<string, string>;
}

export interface DescribeGroupsInput {
  AutoScalingGroupNames?: string[];
  Filters?: { Name: string; Values: string[] }[];
  IncludeInstances?: boolean;
  MaxRecords?: number;
  NextToken?: string;
}

export interface SetDesiredCapacityInput {
  AutoScalingGroupName: string;
  DesiredCapacity: number;
  HonorCooldown?: boolean;
}

export interface UpdateGroupInput {
  AutoScalingGroupName: string;
  MinSize?: number;
  MaxSize?: number;
  DesiredCapacity?: number;
  DefaultCooldown?: number;
  HealthCheckType?: string;
  HealthCheckGracePeriod?: number;
}

/** A group as Describe shows it: bounds, the fleet's desired capacity, the instances now. */
export interface GroupView {
  group: AutoScalingGroup;
  desired: number;
  instances: readonly GroupInstance[];
}

export interface GroupPage {
  groups: GroupView[];
  nextToken?: string;
}
