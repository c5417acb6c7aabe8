import type { EpochMs, TimerHandle } from '../../../clock/types.js';
import type { Rng } from '../../types.js';

/**
 * EC2 Auto Scaling groups over real EC2 instances: a group keeps its desired
 * capacity of instances, spread over its Availability Zones, launching them
 * through the EC2 model (where a zone without capacity or power refuses
 * them, and the group tries the others), bringing them into service
 * together once a launch activity completes, and replacing instances that
 * stop running once its health check notices, after their grace period.
 * The orders API serves from a group's in-service, running instances.
 */

/**
 * A group as the app sees it: how many instances could take traffic now,
 * per Availability Zone, how many are on their way, how many are wanted;
 * and setting the last.
 */
export interface Fleet {
  state(): { running: number; launching: number; desired: number; servingByZone: Readonly<Record<string, number>> };
  setDesired(count: number): void;
}

/** The lifecycle states the sim's instances pass through (AWS has more: warm pools, lifecycle hooks). */
export type LifecycleState = 'Pending' | 'InService' | 'Terminating';

export interface GroupInstance {
  /** The EC2 instance's id. */
  readonly id: string;
  readonly availabilityZone: string;
  state: LifecycleState;
  health: 'Healthy' | 'Unhealthy';
  /** When it came into service: the health check grace period runs from here. */
  inServiceAt?: EpochMs;
  /** Launch order within the group, for picking the newest to terminate. */
  readonly launchIndex: number;
}

export interface GroupTag {
  readonly key: string;
  readonly value: string;
  readonly propagateAtLaunch: boolean;
}

/** Instances launched together, in service together when it completes. */
export interface LaunchActivity {
  kind: 'warm' | 'cold';
  startedAt: EpochMs;
  completesAt: EpochMs;
  instanceIds: string[];
}

export interface AutoScalingGroup {
  readonly name: string;
  readonly region: string;
  readonly arn: string;
  readonly createdAt: EpochMs;
  minSize: number;
  maxSize: number;
  desired: number;
  /** Seconds after a scaling activity before another may start (honoured only when a call asks). */
  defaultCooldown: number;
  healthCheckType: string;
  /** Seconds after an instance comes into service before the group checks its health. */
  healthCheckGracePeriod: number;
  readonly availabilityZones: readonly string[];
  readonly instanceType: string;
  readonly launchTemplate: { readonly id: string; readonly name: string; readonly version: string };
  readonly tags: readonly GroupTag[];
  instances: GroupInstance[];
  launches: number;
  activity?: LaunchActivity;
  /** When the desired capacity last changed. */
  lastScalingAt?: EpochMs;
  readonly rng: Rng;
  timers: Set<TimerHandle>;
}

export interface SeedGroupSpec {
  name: string;
  region: string;
  /** 0 unless told. */
  minSize?: number;
  maxSize: number;
  /** Instances running and in service at t = 0. */
  desired: number;
  /** The region's subnets' zones (else its a and b) unless told. */
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
