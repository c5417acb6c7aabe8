import type { EpochMs, TimerHandle } from '../../../clock/types.js';
import type { Rng } from '../../types.js';

export interface Tag {
  Key: string;
  Value: string;
}

/**
 * What a volume holds, reduced to what a game day can check: a version that
 * every write bumps and a checksum over the write history. A snapshot keeps
 * the data of its volume at the instant it was started; a volume created
 * from it starts with exactly that data.
 */
export interface VolumeData {
  readonly version: number;
  readonly checksum: string;
  /** When this version was written. */
  readonly writtenAt: EpochMs;
}

export type VolumeState = 'creating' | 'available' | 'in-use' | 'deleting' | 'deleted' | 'error';

export type SnapshotState = 'pending' | 'completed' | 'error';

export interface VolumeAttachment {
  instanceId: string;
  device: string;
  attachedAt: EpochMs;
  deleteOnTermination: boolean;
}

export interface EbsVolume {
  readonly id: string;
  readonly region: string;
  readonly arn: string;
  availabilityZone: string;
  sizeGiB: number;
  volumeType: string;
  iops?: number;
  throughput?: number;
  encrypted: boolean;
  kmsKeyId?: string;
  state: VolumeState;
  createdAt: EpochMs;
  /** The snapshot the volume was created from. */
  snapshotId?: string;
  attachment?: VolumeAttachment;
  tags: Tag[];
  /** Every version the volume has held, oldest first; the last is its data now. */
  history: VolumeData[];
  rng: Rng;
  timers: Set<TimerHandle>;
}

export interface EbsSnapshot {
  readonly id: string;
  readonly region: string;
  readonly arn: string;
  volumeId: string;
  volumeSize: number;
  description: string;
  state: SnapshotState;
  stateMessage?: string;
  startedAt: EpochMs;
  /** When the snapshot is (or was) due to complete; progress is interpolated towards it. */
  dueAt: EpochMs;
  completedAt?: EpochMs;
  encrypted: boolean;
  kmsKeyId?: string;
  tags: Tag[];
  /** The volume's data at `startedAt`. */
  data: VolumeData;
  /** Set on a copy. */
  sourceRegion?: string;
  sourceSnapshotId?: string;
  /** Created by AWS Backup: EC2 refuses to delete it (only Backup may). */
  managedBy?: 'backup';
  timers: Set<TimerHandle>;
}

export interface FilterInput {
  Name: string;
  Value: string[];
}

export interface TagSpecificationInput {
  ResourceType?: string;
  Tag: Tag[];
}

/** Inputs as EC2 names them on the wire (ec2Query keys), already typed by the codec. */
export interface DescribeVolumesInput {
  VolumeId?: string[];
  Filter?: FilterInput[];
  MaxResults?: number;
  NextToken?: string;
}

export interface CreateSnapshotInput {
  VolumeId: string;
  Description?: string;
  TagSpecification?: TagSpecificationInput[];
}

export interface DescribeSnapshotsInput {
  SnapshotId?: string[];
  Owner?: string[];
  Filter?: FilterInput[];
  MaxResults?: number;
  NextToken?: string;
}

export interface CopySnapshotInput {
  SourceRegion: string;
  SourceSnapshotId: string;
  Description?: string;
  DestinationRegion?: string;
  PresignedUrl?: string;
  Encrypted?: boolean;
  KmsKeyId?: string;
  TagSpecification?: TagSpecificationInput[];
}

export interface DeleteSnapshotInput {
  SnapshotId: string;
}

export interface CreateVolumeInput {
  AvailabilityZone?: string;
  Size?: number;
  SnapshotId?: string;
  VolumeType?: string;
  Iops?: number;
  Throughput?: number;
  Encrypted?: boolean;
  KmsKeyId?: string;
  TagSpecification?: TagSpecificationInput[];
}

export interface DeleteVolumeInput {
  VolumeId: string;
}

export interface CreateTagsInput {
  ResourceId: string[];
  Tag: Tag[];
}

export interface DescribeTagsInput {
  Filter?: FilterInput[];
  MaxResults?: number;
  NextToken?: string;
}

export interface DescribeAvailabilityZonesInput {
  ZoneName?: string[];
  ZoneId?: string[];
  AllAvailabilityZones?: boolean;
  Filter?: FilterInput[];
}

/** An Availability Zone as DescribeAvailabilityZones gives it: the sim's are all available, none opt-in. */
export interface Ec2AvailabilityZone {
  readonly name: string;
  readonly id: string;
  readonly region: string;
}

export interface TagDescription {
  resourceId: string;
  resourceType: 'volume' | 'snapshot' | 'instance';
  key: string;
  value: string;
}

/** One page of a Describe call. */
export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** What the environment declares at t = 0 (DESIGN §6, Seeding). */
export interface SeedVolumeSpec {
  id: string;
  region: string;
  /** Default: the region's `a` zone. */
  az?: string;
  sizeGiB: number;
  /** Default gp3. */
  type?: string;
  tags?: Record<string, string>;
  encrypted?: boolean;
  /** The instance the volume is attached to (the volume is then `in-use`). */
  attachedTo?: { instanceId: string; device?: string };
}

export interface SeedSnapshotSpec {
  region: string;
  volumeId: string;
  /** When the snapshot was started (in the past); it completed long ago. */
  startedAt: EpochMs;
  description?: string;
  tags?: Record<string, string>;
  managedBy?: 'backup';
  /** A completed copy of a snapshot in another region. */
  copyOf?: { region: string; snapshotId: string };
}

// ── Instances and subnets ─────────────────────────────────────────────────

/** EC2's instance states, with the codes DescribeInstances gives them. */
export type InstanceStateName = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

export const instanceStateCodes: Readonly<Record<InstanceStateName, number>> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export interface Ec2Instance {
  readonly id: string;
  readonly region: string;
  readonly arn: string;
  readonly availabilityZone: string;
  readonly subnetId: string;
  readonly vpcId: string;
  readonly privateIpAddress: string;
  readonly instanceType: string;
  readonly imageId: string;
  readonly reservationId: string;
  /** When it was last started (LaunchTime). */
  launchedAt: EpochMs;
  state: InstanceStateName;
  /** StateTransitionReason, e.g. `User initiated (2026-01-05 09:12:00 GMT)`. */
  transitionReason: string;
  /** StateReason, e.g. `Client.UserInitiatedShutdown`, set on stops and terminations. */
  stateReason?: { code: string; message: string };
  tags: Tag[];
  /** The OS is restarting (RebootInstances): the instance is `running` but serves nothing until then. */
  rebootingUntil?: EpochMs;
  /** Stopped because its Availability Zone lost power: it starts again when the power returns. */
  stoppedByPowerLoss?: boolean;
  /** When it reached `terminated`: EC2 keeps showing it for an hour, then forgets it. */
  terminatedAt?: EpochMs;
  readonly rng: Rng;
  timers: Set<TimerHandle>;
}

/** A subnet as EC2 describes it; the network module holds where it is and whether it is reachable. */
export interface Ec2Subnet {
  readonly id: string;
  readonly region: string;
  readonly arn: string;
  readonly availabilityZone: string;
  readonly vpcId: string;
  readonly cidrBlock: string;
  readonly tags: readonly Tag[];
}

/** What launches an instance: the API (RunInstances), an Auto Scaling group, or the environment at t = 0. */
export interface LaunchSpec {
  region: string;
  availabilityZone: string;
  /** Default: the zone's first subnet the network knows, else a subnet id made from the zone. */
  subnetId?: string;
  instanceType?: string;
  imageId?: string;
  tags?: Record<string, string>;
  /** Who launches: `RunInstances` by a role, or an Auto Scaling group by name (for capacity faults). */
  launchedBy: { role: string } | { autoScalingGroup: string };
  /** Already running at t = 0 (seeding): no pending, no launch draw. */
  running?: boolean;
}

/**
 * Injected InsufficientInstanceCapacity (FIS aws:ec2:api-… and
 * aws:ec2:asg-insufficient-instance-capacity-error): launches and starts in
 * `zones` by the roles or groups named fail `percentage` of the time.
 */
export interface CapacityFault {
  id: string;
  zones: readonly string[];
  percentage: number;
  roles?: readonly string[];
  autoScalingGroups?: readonly string[];
}

export interface DescribeInstancesInput {
  InstanceId?: string[];
  Filter?: FilterInput[];
  MaxResults?: number;
  NextToken?: string;
}

export interface DescribeSubnetsInput {
  SubnetId?: string[];
  Filter?: FilterInput[];
  MaxResults?: number;
  NextToken?: string;
}

export interface InstanceIdsInput {
  InstanceId: string[];
  Force?: boolean;
}

export interface RunInstancesInput {
  ImageId?: string;
  InstanceType?: string;
  MinCount: number;
  MaxCount: number;
  SubnetId?: string;
  Placement?: { AvailabilityZone?: string };
  TagSpecification?: TagSpecificationInput[];
}

/** One instance's change of state, as Start/Stop/TerminateInstances answer. */
export interface StateChange {
  instanceId: string;
  previous: InstanceStateName;
  current: InstanceStateName;
}
