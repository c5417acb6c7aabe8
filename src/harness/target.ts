import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { BackupClient } from '@aws-sdk/client-backup';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { DrsClient } from '@aws-sdk/client-drs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { FisClient } from '@aws-sdk/client-fis';
import type { GuardDutyClient } from '@aws-sdk/client-guardduty';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { Route53Client } from '@aws-sdk/client-route-53';
import type { S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
import type { Clock } from '../clock/types.js';
import type { Environment } from '../env/index.js';

/**
 * What the harness gets to work with: SDK clients, a clock, and on the sim a
 * small control client for ground truth. The harness never imports sim/:
 * the code that runs in CI on the simulator is the code that runs on staging.
 */
export interface Target {
  readonly kind: 'sim' | 'aws';
  readonly env: Environment;
  readonly clock: Clock;
  readonly clients: TargetClients;
  /** The canary's data path: orders written to and read back from a database. */
  readonly orders: OrdersStore;
  /** An HTTP client of its own (its own DNS cache), for a probe or a canary. */
  http(name: string): HttpClient;
  /** Scaling a region's standby fleet (warm standby, pilot light). */
  readonly capacity: Capacity;
  /** SDK clients that act as another role the environment names (an intruder, a backup admin). */
  clientsAs(role: string): TargetClients;
  /**
   * AWS's clock as the runner sees it: instants AWS reports (an FIS action's
   * startTime, a latest restorable time) converted to the runner's clock,
   * and back for instants AWS is asked about (a point-in-time restore's
   * target). Measurements are on the runner's clock only. The sim has one clock.
   */
  readonly awsClock: AwsClock;
  /** Only on the sim: ground truth and sim-only levers. */
  readonly sim?: SimControl;
  /** Release what the target holds (clients, sockets). */
  close(): void;
}

export interface AwsClock {
  toRunner(awsMs: number): number;
  toServer(runnerMs: number): number;
  /** AWS's clock − the runner's, in ms, as seen so far; undefined before any response (or on the sim). */
  readonly offsetMs: number | undefined;
}

/** The sim's AWS and the harness share one clock. */
export const SAME_CLOCK: AwsClock = { toRunner: (ms) => ms, toServer: (ms) => ms, offsetMs: undefined };

export interface TargetClients {
  rds(region: string): RDSClient;
  fis(region: string): FisClient;
  sts(): STSClient;
  dynamodb(region: string): DynamoDBClient;
  s3(region: string): S3Client;
  route53(): Route53Client;
  backup(region: string): BackupClient;
  ec2(region: string): EC2Client;
  cloudtrail(region: string): CloudTrailClient;
  cloudwatch(region: string): CloudWatchClient;
  guardduty(region: string): GuardDutyClient;
  autoscaling(region: string): AutoScalingClient;
  drs(region: string): DrsClient;
  /** IAM is global: one client, signed for us-east-1. */
  iam(): IAMClient;
  elbv2(region: string): ElasticLoadBalancingV2Client;
}

export interface HttpResult {
  /** HTTP status; 0 when no response came (see `error`). */
  status: number;
  error?: string;
  /** The region that answered, where the target can tell. */
  servedBy?: string;
  latencyMs: number;
  /** The answer's JSON body, parsed; undefined when there was none or it was not JSON. */
  body?: unknown;
}

export interface HttpClient {
  request(request: { method: string; url: string; body?: Record<string, unknown>; timeoutMs?: number }): Promise<HttpResult>;
}

/**
 * A region's fleet of a service, through its EC2 Auto Scaling group (the
 * environment names it): the same calls on the sim and on AWS.
 */
export interface Capacity {
  /** The service's fleet in `region` as its group reports it now (DescribeAutoScalingGroups). */
  fleet(serviceAlias: string, region: string): Promise<Fleet>;
  /** Set the group's desired capacity (SetDesiredCapacity, cooldown not honoured); resolves when AWS accepted it. */
  setDesired(serviceAlias: string, region: string, desired: number): Promise<void>;
  /** Whether the fleet in `region` runs at full capacity: desired = max, and that many instances InService. */
  atFull(serviceAlias: string, region: string): Promise<boolean>;
}

export interface Fleet {
  group: string;
  desired: number;
  max: number;
  inService: number;
}

/** A database as AWS names it. */
export interface DatabaseRef {
  region: string;
  identifier: string;
}

export type WriteOutcome = { ok: true } | { ok: false; error: string };

/** Sequence-numbered orders written by a canary, and what a database holds afterwards. */
export interface OrdersStore {
  /** Commit one order; resolves ok: false (with why) when the write was refused or failed. */
  write(db: DatabaseRef, seq: number): Promise<WriteOutcome>;
  /** The order numbers the database holds now (deleted ones excluded). */
  readBack(db: DatabaseRef): Promise<number[]>;
  /** Delete the `count` newest orders, as a mistaken batch job would; returns their numbers. */
  deleteNewest(db: DatabaseRef, count: number): Promise<number[]>;
  /**
   * Whether the database would take a write now, through the data path;
   * undefined where the target cannot tell without writing (a probe then
   * judges by the instance's status alone).
   */
  writable(db: DatabaseRef): Promise<WriteOutcome | undefined>;
}

/** A DynamoDB table as AWS names it, and the regions that hold a copy of it (its home first). */
export interface TableRef {
  identifier: string;
  regions: readonly string[];
}

/** An S3 bucket as AWS names it, in its region. */
export interface BucketRef {
  region: string;
  identifier: string;
}

/**
 * Ground truth the simulator knows and a real account does not. Each
 * `…From(…, since)` answers: the first instant at or after `since` from which
 * the thing has held without interruption until now; undefined if it does
 * not hold now. Loss windows are in seconds.
 */
export interface SimControl {
  readonly seed: number;
  /** The database takes writes. */
  writableFrom(db: DatabaseRef, since: number): number | undefined;
  /**
   * The true data-loss window at `faultAt`: 0 when every write committed on
   * `original` at or before it is on `current`; else `faultAt` − the commit
   * time of the newest such write that is, in seconds.
   */
  lossWindowSeconds(original: DatabaseRef, current: DatabaseRef, faultAt: number): number;
  /**
   * A GET of `url` (a service's health path) sent by the HTTP client named
   * `client` (made by `Target.http(client)`) would be answered 200: through
   * the answer that client's DNS cache held, or Route 53 gave, at each instant.
   * Undefined also when there is no such client.
   */
  servingFrom(client: string, url: string, since: number): number | undefined;
  /** DescribeTable answers ACTIVE or UPDATING in at least one of the table's regions. */
  tableAnsweringFrom(table: TableRef, since: number): number | undefined;
  /** HeadBucket in the bucket's region succeeds. */
  bucketReachableFrom(bucket: BucketRef, since: number): number | undefined;
  /**
   * The true data-loss window at `faultAt` of the items written to `original`
   * (any of its regions), as the first of `current`'s regions that answers
   * holds them now: 0 when every write taken at or before `faultAt` survived
   * (it, or a later version of its item, is there); else `faultAt` − the
   * commit time of the newest write that survived. Undefined when no region
   * of `current` answers.
   */
  tableLossWindowSeconds(original: TableRef, current: TableRef, faultAt: number): number | undefined;
  /**
   * Every one of the DRS recovery instances named (in `region`) answers:
   * launched, booted until its agent is seen, not terminating, its region up.
   * Undefined also when the sim knows none of them.
   */
  recoveryInstancesAnsweringFrom(region: string, recoveryInstanceIds: readonly string[], since: number): number | undefined;
  /**
   * The true data-loss window at `incidentAt` of the servers the recovery
   * instances were launched for: the largest `incidentAt` − the source's
   * newest write the instance's snapshot holds (0 when it holds everything
   * up to the incident), in seconds. Undefined for instances the sim does not know.
   */
  recoveryLossWindowSeconds(region: string, recoveryInstanceIds: readonly string[], incidentAt: number): number | undefined;
}
