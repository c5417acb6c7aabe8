import type { EpochMs } from '../../../clock/types.js';
import type { TimerOwner } from '../../owned-timers.js';
import type { Rng } from '../../types.js';

/**
 * AWS Elastic Disaster Recovery as game days need it. DRS is regional: a
 * source server belongs to the region it replicates into (its staging area
 * and the place it is recovered), whatever region the machine itself runs
 * in. Member names are the SDK's (`@aws-sdk/client-drs`), camelCase.
 */

/** `DataReplicationState` as DescribeSourceServers reports it (the states the sim reaches). */
export type DataReplicationState = 'CONTINUOUS' | 'DISCONNECTED' | 'BACKLOG';

/** One stretch during which the source could not reach its staging area. */
export interface ReplicationOutage {
  stoppedAt: EpochMs;
  /** The staging area's last consistent instant: what it held when the link went. */
  frozenAt: EpochMs;
  /** Replication reconnected (the backlog then drains). */
  resumedAt?: EpochMs;
  /** The backlog drained: replication is continuous again. */
  caughtUpAt?: EpochMs;
}

/** What the sim is told of a source server (from the environment's drs-source-servers). */
export interface SeedSourceServerSpec {
  /** The DRS region: where the staging area is and where recovery launches. */
  region: string;
  hostname: string;
  /** Where the machine runs. */
  sourceRegion: string;
  sourceAvailabilityZone?: string;
  instanceType: string;
  diskGiB: number;
  tags?: Record<string, string>;
}

export type LastLaunchResult = 'NOT_STARTED' | 'PENDING' | 'SUCCEEDED' | 'FAILED';

export interface SourceServer {
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly hostname: string;
  readonly sourceRegion: string;
  readonly sourceAvailabilityZone: string;
  /** The EC2 instance the agent runs on (IdentificationHints.awsInstanceID). */
  readonly sourceInstanceId: string;
  readonly sourceIp: string;
  readonly instanceType: string;
  readonly diskGiB: number;
  readonly tags: Record<string, string>;
  readonly addedAt: EpochMs;
  readonly rng: Rng;
  /** Replication stops, oldest first; the last may be open. */
  readonly outages: ReplicationOutage[];
  /** DisconnectSourceServer: replication stopped for good and its snapshots deleted. */
  disconnectedAt?: EpochMs;
  lastLaunch?: { jobId: string; type: 'DRILL' | 'RECOVERY'; at: EpochMs; result: LastLaunchResult };
  /** Its current recovery instance, if one exists. */
  recoveryInstanceId?: string;
  /** A launch job not finished yet. */
  activeJobId?: string;
}

export type Ec2InstanceState = 'PENDING' | 'RUNNING' | 'SHUTTING-DOWN' | 'TERMINATED';

export interface RecoveryInstance extends TimerOwner {
  /** The recovery instance id, which DRS makes the EC2 instance id. */
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly sourceServerId: string;
  readonly jobId: string;
  readonly isDrill: boolean;
  readonly availabilityZone: string;
  readonly privateIp: string;
  /** The snapshot launched from (PointInTimeSnapshotDateTime). */
  readonly pointInTime: EpochMs;
  /** The source's last write the recovered disks hold: what the snapshot captured of the staging area. */
  readonly consistentAt: EpochMs;
  readonly tags: Record<string, string>;
  state: Ec2InstanceState;
  launchedAt: EpochMs;
  runningAt?: EpochMs;
  /** The OS booted and its SSM agent was seen (LaunchActionsStatus.ssmAgentDiscoveryDatetime): the server answers. */
  answeringAt?: EpochMs;
  terminatingAt?: EpochMs;
  terminatedAt?: EpochMs;
}

export type JobStatus = 'PENDING' | 'STARTED' | 'COMPLETED';
export type LaunchStatus = 'PENDING' | 'IN_PROGRESS' | 'LAUNCHED' | 'FAILED' | 'TERMINATED';
export type JobLogEvent =
  | 'JOB_START'
  | 'SNAPSHOT_START'
  | 'SNAPSHOT_END'
  | 'USING_PREVIOUS_SNAPSHOT'
  | 'CONVERSION_START'
  | 'CONVERSION_END'
  | 'CONVERSION_FAIL'
  | 'LAUNCH_START'
  | 'LAUNCH_FAILED'
  | 'CLEANUP_START'
  | 'CLEANUP_END'
  | 'JOB_END';

export interface JobLogItem {
  at: EpochMs;
  event: JobLogEvent;
  sourceServerId?: string;
  conversionServerId?: string;
  targetInstanceId?: string;
  rawError?: string;
}

export interface ParticipatingServer {
  sourceServerId: string;
  recoveryInstanceId?: string;
  launchStatus: LaunchStatus;
}

export interface Job extends TimerOwner {
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly type: 'LAUNCH' | 'TERMINATE';
  readonly initiatedBy: 'START_RECOVERY' | 'START_DRILL' | 'TERMINATE_RECOVERY_INSTANCES';
  readonly createdAt: EpochMs;
  readonly tags: Record<string, string>;
  readonly participating: ParticipatingServer[];
  readonly log: JobLogItem[];
  status: JobStatus;
  endedAt?: EpochMs;
}

/** A point-in-time snapshot of a source server's staging disks (DescribeRecoverySnapshots). */
export interface RecoverySnapshot {
  id: string;
  sourceServerId: string;
  /** When the policy wanted it, and when it was taken: the same instant in the sim. */
  at: EpochMs;
  /** The source's last write it holds. */
  consistentAt: EpochMs;
}

export interface StartRecoveryInput {
  isDrill: boolean;
  sourceServers: { sourceServerID: string; recoverySnapshotID?: string }[];
  tags: Record<string, string>;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}
