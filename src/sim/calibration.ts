import type { DurationModel, DurationRange, SlowTail } from './types.js';

/**
 * How long things take in the sim, from AWS's published figures (DESIGN §6).
 * Each duration's bulk is drawn from the seeded RNG inside its published
 * range, and most have a slow tail: a few draws in a hundred take longer, up
 * to twice the range's top, as real failovers and restores sometimes do.
 * `calibrationTable` cites where each figure comes from; an environment file
 * may override any of them. To add one: a key here, a row in
 * `calibrationTable` with its source, a row in the README's table.
 */
export interface Calibration {
  /** CreateDBInstance: creating → backing-up → available. */
  'rds.instance.create': DurationModel;
  /** Multi-AZ instance failover (RebootDBInstance ForceFailover, FIS reboot): "typically 60–120 seconds". */
  'rds.instance.failover': DurationModel;
  /** Plain reboot without failover. */
  'rds.instance.reboot': DurationModel;
  /** ModifyDBInstance applied immediately (retention change and the like). */
  'rds.instance.modify': DurationModel;
  /** Converting Single-AZ to Multi-AZ: the standby is built from a snapshot. */
  'rds.instance.multi-az-conversion': DurationModel;
  'rds.instance.delete': DurationModel;
  /** Multi-AZ DB cluster / Aurora failover: < 35 s. */
  'rds.cluster.failover': DurationModel;
  /** Cross-region read replica lag per write. */
  'rds.replica.lag': DurationModel;
  /** CreateDBInstanceReadReplica until available (size-dependent). */
  'rds.replica.create': DurationModel;
  /** PromoteReadReplica: "several minutes or longer" (size-dependent). */
  'rds.replica.promote': DurationModel;
  /** CreateDBSnapshot (size-dependent). */
  'rds.snapshot.create': DurationModel;
  /** CopyDBSnapshot across regions (size-dependent). */
  'rds.snapshot.copy': DurationModel;
  /** Restore from snapshot or to a point in time (size-dependent). */
  'rds.restore': DurationModel;
  /** Transaction logs ship to S3 this often; LatestRestorableTime is the last shipment. */
  'rds.pitr.log-interval': DurationModel;
  /** FIS experiment from pending through initiating to running. */
  'fis.experiment.initiating': DurationModel;

  /** CreateTable until ACTIVE. */
  'dynamodb.table.create': DurationModel;
  /** Global table replication per write: "usually within a second". */
  'dynamodb.replication.lag': DurationModel;
  /** Adding a replica region to a global table (CREATING → ACTIVE), size-dependent. */
  'dynamodb.replica.create': DurationModel;
  /** LatestRestorableDateTime trails now by this much. */
  'dynamodb.pitr.trail': DurationModel;
  /** On-demand backup until AVAILABLE. */
  'dynamodb.backup.create': DurationModel;
  /** RestoreTableToPointInTime / RestoreTableFromBackup: the new table is CREATING this long (size-dependent). */
  'dynamodb.restore': DurationModel;

  /** ChangeResourceRecordSets PENDING → INSYNC: "within 60 seconds". */
  'route53.change.propagation': DurationModel;
  /** Round trip of one health checker request to a healthy endpoint. */
  'route53.health-check.latency': DurationModel;

  /** The orders API answering one request. */
  'app.request.latency': DurationModel;
  /** Warm standby: scaling the reduced fleet to full capacity. */
  'app.scale-up.warm': DurationModel;
  /** Pilot light: starting the fleet from nothing. */
  'app.scale-up.cold': DurationModel;

  /** S3 replication of one new version: seconds, under RTC's 15-minute bound. */
  's3.replication.lag': DurationModel;

  /** EBS CreateSnapshot until completed (size-dependent). */
  'ec2.snapshot.create': DurationModel;
  /** EBS CopySnapshot across regions (size-dependent). */
  'ec2.snapshot.copy': DurationModel;
  /** Creating a volume from a snapshot until available. */
  'ec2.volume.restore': DurationModel;
  /** An instance launched or started: pending until running. */
  'ec2.instance.launch': DurationModel;
  /** StopInstances: stopping until stopped. */
  'ec2.instance.stop': DurationModel;
  /** TerminateInstances: shutting-down until terminated. */
  'ec2.instance.terminate': DurationModel;
  /** RebootInstances: the OS restarts; the instance stays running but serves nothing meanwhile. */
  'ec2.instance.reboot': DurationModel;
  /** How long an Auto Scaling group takes to notice an instance that is no longer running. */
  'autoscaling.health-check': DurationModel;
  /** AWS Backup job overhead before the service's own snapshot starts. */
  'backup.job.start': DurationModel;
  /** Backup Audit Manager: an on-demand report job until its report is in S3. */
  'backup.report-job': DurationModel;

  /** DRS continuous replication: how far the staging area trails the source server. */
  'drs.replication.lag': DurationModel;
  /** DRS: draining the backlog once a disconnected source server reaches its staging area again. */
  'drs.replication.catch-up': DurationModel;
  /** DRS launch: the on-demand snapshot of the staging disks (size-dependent). */
  'drs.snapshot': DurationModel;
  /** DRS launch: converting the disks to boot on EC2 (size-dependent). */
  'drs.conversion': DurationModel;
  /** DRS launch: the recovery instance from pending to running. */
  'drs.launch': DurationModel;
  /** DRS launch: the recovered OS booting until its agent is seen (the server answers). */
  'drs.boot': DurationModel;
  /** A recovery instance shutting down until terminated. */
  'drs.terminate': DurationModel;
}

export type CalibrationKey = keyof Calibration;

/** One calibrated duration and where its figures come from. */
export interface CalibrationEntry {
  readonly model: DurationModel;
  /** The published figure (document and what it says), or why there is none. */
  readonly source: string;
}

const minutes = (min: number, max: number): DurationRange => ({ minSeconds: min * 60, maxSeconds: max * 60 });
const seconds = (min: number, max: number): DurationRange => ({ minSeconds: min, maxSeconds: max });
/** The default slow tail: 3% of draws, up to twice the range's top. */
const SLOW: SlowTail = { share: 0.03, factor: 2 };

function entry(range: DurationRange, tail: SlowTail | null, source: string): CalibrationEntry {
  return { model: tail ? { ...range, tail } : { ...range }, source };
}

/** Every calibrated duration with its source (README "What the simulator models" lists the same). */
export const calibrationTable: { readonly [K in CalibrationKey]: CalibrationEntry } = {
  'rds.instance.create': entry(minutes(5, 12), SLOW, 'RDS User Guide, Creating a DB instance: no figure published ("can take several minutes"); observed 5–12 min for small instances.'),
  'rds.instance.failover': entry(
    seconds(60, 120),
    { share: 0.04, factor: 2 },
    'RDS User Guide, Multi-AZ DB instance deployments: failovers "typically complete within 60–120 seconds"; large transactions or a lengthy recovery make them longer (the tail).',
  ),
  'rds.instance.reboot': entry(seconds(20, 60), SLOW, 'RDS User Guide, Rebooting a DB instance: depends on the engine\'s crash recovery; no figure published.'),
  'rds.instance.modify': entry(seconds(30, 90), SLOW, 'RDS User Guide, Modifying a DB instance: no figure published for changes applied immediately.'),
  'rds.instance.multi-az-conversion': entry(
    minutes(10, 25),
    SLOW,
    'RDS User Guide, Modifying a DB instance to be Multi-AZ: a snapshot of the primary is restored into the standby; no figure published (size-dependent).',
  ),
  'rds.instance.delete': entry(seconds(60, 180), SLOW, 'RDS User Guide, Deleting a DB instance: no figure published.'),
  'rds.cluster.failover': entry(
    seconds(15, 35),
    { share: 0.04, factor: 2 },
    'RDS User Guide, Multi-AZ DB cluster deployments: failover "typically under 35 seconds"; Aurora User Guide, High availability: a reader is promoted and service restored "typically in less than 30 seconds".',
  ),
  'rds.replica.lag': entry(
    seconds(1, 5),
    { share: 0.05, factor: 2 },
    'RDS User Guide, Working with read replicas (ReplicaLag CloudWatch metric): seconds across regions, with spikes under write load (a 5% tail).',
  ),
  'rds.replica.create': entry(minutes(10, 30), SLOW, 'RDS User Guide, Creating a read replica: built from a snapshot of the source; no figure published (size-dependent).'),
  'rds.replica.promote': entry(
    minutes(3, 8),
    SLOW,
    'RDS User Guide, Promoting a read replica: the replica reboots and becomes writable, "several minutes or longer" depending on its size.',
  ),
  'rds.snapshot.create': entry(minutes(2, 10), SLOW, 'RDS User Guide, Creating a DB snapshot: no figure published; the first snapshot is full, the next incremental (size-dependent).'),
  'rds.snapshot.copy': entry(minutes(5, 20), SLOW, 'RDS User Guide, Copying a DB snapshot: cross-region copies take longer than in-region; no figure published (size-dependent).'),
  'rds.restore': entry(
    minutes(10, 40),
    SLOW,
    'RDS User Guide, Restoring from a DB snapshot / to a point in time: no figure published; restored volumes load lazily from S3 (size-dependent).',
  ),
  'rds.pitr.log-interval': entry(
    seconds(300, 300),
    null,
    'RDS User Guide, Point-in-time recovery: "RDS uploads transaction logs for DB instances to Amazon S3 every 5 minutes". A schedule, not a duration: no tail.',
  ),
  'fis.experiment.initiating': entry(seconds(2, 8), SLOW, 'FIS User Guide, Experiment states (pending → initiating → running): no figure published; seconds in practice.'),

  'dynamodb.table.create': entry(seconds(5, 30), SLOW, 'DynamoDB Developer Guide, CreateTable: CREATING until ACTIVE, no figure published; seconds for an empty on-demand table.'),
  'dynamodb.replication.lag': entry(
    seconds(0.5, 2.5),
    SLOW,
    'DynamoDB Developer Guide, Global tables: changes are "usually" propagated "within a second" (ReplicationLatency metric).',
  ),
  'dynamodb.replica.create': entry(minutes(5, 20), SLOW, 'DynamoDB Developer Guide, Adding a replica to a global table: no figure published (size-dependent).'),
  'dynamodb.pitr.trail': entry(
    seconds(300, 300),
    null,
    'DynamoDB Developer Guide, Point-in-time recovery: LatestRestorableDateTime is "typically five minutes before the current time". A lag of the log, not a duration: no tail.',
  ),
  'dynamodb.backup.create': entry(seconds(2, 20), SLOW, 'DynamoDB Developer Guide, On-demand backup: backups complete "within seconds" regardless of table size.'),
  'dynamodb.restore': entry(minutes(10, 60), SLOW, 'DynamoDB Developer Guide, Restoring a table: time depends on the table, not only its size; no figure published.'),

  'route53.change.propagation': entry(
    seconds(30, 60),
    SLOW,
    'Route 53 API Reference, GetChange: changes "generally propagate to all Route 53 name servers within 60 seconds".',
  ),
  'route53.health-check.latency': entry(
    seconds(0.05, 0.4),
    SLOW,
    'Route 53 Developer Guide, How health checks work: a healthy endpoint answers well inside the checker\'s 2-second response timeout; no figure published.',
  ),

  'app.request.latency': entry(seconds(0.02, 0.25), SLOW, "SecureCart's orders API, not an AWS figure: an API Gateway/ALB request's usual latency."),
  'app.scale-up.warm': entry(
    minutes(3, 8),
    SLOW,
    'EC2 Auto Scaling User Guide, instance warm-up (default 300 s) plus launch and health checks: no figure published.',
  ),
  'app.scale-up.cold': entry(
    minutes(10, 20),
    SLOW,
    'AWS whitepaper Disaster Recovery of Workloads on AWS, pilot light: the fleet is started from nothing (AMI launch, bootstrap, warm-up); no figure published.',
  ),

  's3.replication.lag': entry(
    seconds(2, 30),
    SLOW,
    'S3 User Guide, Replication Time Control: "replicates 99.99 percent of new objects within 15 minutes", most within seconds. The tail stays far under that bound.',
  ),

  'ec2.snapshot.create': entry(minutes(2, 15), SLOW, 'EBS User Guide, Create snapshots: asynchronous and incremental; no figure published (size-dependent).'),
  'ec2.snapshot.copy': entry(minutes(5, 30), SLOW, 'EBS User Guide, Copy a snapshot: cross-region copies are full on first copy; no figure published (size-dependent).'),
  'ec2.volume.restore': entry(
    minutes(1, 5),
    SLOW,
    'EBS User Guide, Create a volume from a snapshot: available in minutes, blocks then load lazily; no figure published.',
  ),
  'ec2.instance.launch': entry(
    seconds(15, 45),
    SLOW,
    'EC2 User Guide, Instance state changes: pending until running, "usually within a minute" for an EBS-backed Linux AMI; no figure published.',
  ),
  'ec2.instance.stop': entry(seconds(15, 60), SLOW, 'EC2 User Guide, Stop and start Amazon EC2 instances: stopping until stopped while the OS shuts down; no figure published.'),
  'ec2.instance.terminate': entry(
    seconds(15, 60),
    SLOW,
    'EC2 User Guide, Terminate Amazon EC2 instances: shutting-down until terminated; the instance stays visible for about an hour afterwards.',
  ),
  'ec2.instance.reboot': entry(
    seconds(60, 180),
    SLOW,
    'EC2 User Guide, Reboot your instance: "equivalent to an operating system reboot. In most cases, it takes only a few minutes".',
  ),
  'autoscaling.health-check': entry(
    seconds(10, 60),
    SLOW,
    'EC2 Auto Scaling User Guide, Health checks: an instance in any state but running is unhealthy, found by the periodic EC2 status checks; no figure published.',
  ),
  'backup.job.start': entry(seconds(30, 120), SLOW, "AWS Backup Developer Guide, on-demand backup: the job is CREATED then RUNNING before the service's own snapshot; no figure published."),
  'backup.report-job': entry(
    seconds(30, 180),
    SLOW,
    'AWS Backup Developer Guide, Creating on-demand reports (Backup Audit Manager): the report job runs, then writes its CSV/JSON to S3; no figure published.',
  ),

  'drs.replication.lag': entry(
    seconds(0.5, 5),
    { share: 0.05, factor: 2 },
    'AWS Elastic Disaster Recovery product page and FAQ: continuous block-level replication with "RPOs of seconds" (DataReplicationInfo.lagDuration); write bursts make it spike (a 5% tail).',
  ),
  'drs.replication.catch-up': entry(
    minutes(1, 10),
    SLOW,
    'DRS User Guide, data replication states: after a reconnect the backlog (BACKLOG) drains before replication is CONTINUOUS again; no figure published (it depends on what changed meanwhile).',
  ),
  'drs.snapshot': entry(
    seconds(10, 60),
    SLOW,
    'DRS User Guide, Launching recovery instances: without a point in time, DRS takes an on-demand EBS snapshot of the staging disks, which holds what they held when it began; no figure published (size-dependent).',
  ),
  'drs.conversion': entry(
    minutes(2, 8),
    SLOW,
    'DRS User Guide, Launching recovery instances: a conversion server makes the disks boot on EC2 (drivers, boot loader); no figure published; DRS advertises "RTOs of minutes" end to end (size-dependent).',
  ),
  'drs.launch': entry(seconds(30, 90), SLOW, 'EC2 User Guide, Instance lifecycle: the recovery instance is pending until running; no figure published, a minute or so in practice.'),
  'drs.boot': entry(
    seconds(60, 240),
    SLOW,
    'DRS User Guide, Post-launch actions: the recovered OS boots until its SSM agent is seen (ssmAgentDiscoveryDatetime); depends on the OS and its services; no figure published.',
  ),
  'drs.terminate': entry(seconds(30, 90), SLOW, 'EC2 User Guide, Instance lifecycle: shutting-down until terminated; no figure published, a minute or so in practice.'),
};

export const defaultCalibration: Calibration = Object.fromEntries(
  Object.entries(calibrationTable).map(([key, calibrated]) => [key, calibrated.model]),
) as unknown as Calibration;

export function isCalibrationKey(key: string): key is CalibrationKey {
  return Object.hasOwn(defaultCalibration, key);
}

/** The longest a draw can take: the tail's ceiling, or the range's top where there is no tail. */
export function longestSeconds(model: DurationModel): number {
  return model.tail && model.tail.share > 0 ? model.maxSeconds * model.tail.factor : model.maxSeconds;
}

/**
 * A duration from `model`, with one draw of `rng` whatever the outcome (so a
 * tail never shifts the draws that follow it).
 *
 * The bulk is uniform in [min, max]. `scale` in [0, 1] places size-dependent
 * work: 0 is the smallest resource, 1 the largest; the bulk then jitters
 * ±15% of the range around that point, clamped to the range.
 *
 * With probability `tail.share` the draw is slow instead: above the range's
 * top (or, for sized work, above the size's point) by up to (factor − 1)×,
 * squared so that most slow draws are only a little slow.
 */
export function drawSeconds(model: DurationModel, rng: { next(): number }, scale?: number): number {
  const u = rng.next();
  const span = model.maxSeconds - model.minSeconds;
  const share = model.tail?.share ?? 0;
  const centre = scale === undefined ? undefined : model.minSeconds + span * Math.min(1, Math.max(0, scale));
  if (model.tail && share > 0 && u < share) {
    const t = u / share;
    const base = centre ?? model.maxSeconds;
    return base * (1 + (model.tail.factor - 1) * t * t);
  }
  const v = share > 0 ? (u - share) / (1 - share) : u;
  if (centre === undefined) return model.minSeconds + span * v;
  const jittered = centre + span * 0.15 * (v * 2 - 1);
  return Math.min(model.maxSeconds, Math.max(model.minSeconds, jittered));
}

/** Where a storage size sits between 20 GiB (0) and 16 TiB (1), on a log scale. */
export function storageScale(allocatedGiB: number): number {
  const lo = Math.log(20);
  const hi = Math.log(16384);
  return Math.min(1, Math.max(0, (Math.log(Math.max(1, allocatedGiB)) - lo) / (hi - lo)));
}
