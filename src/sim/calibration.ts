import type { DurationRange } from './types.js';

/**
 * How long things take in the sim, from AWS's published figures (DESIGN §6).
 * Durations are drawn from the seeded RNG inside these ranges; an environment
 * file may override any of them.
 */
export interface Calibration {
  /** CreateDBInstance: creating → backing-up → available. */
  'rds.instance.create': DurationRange;
  /** Multi-AZ instance failover (RebootDBInstance ForceFailover, FIS reboot): "typically 60–120 seconds". */
  'rds.instance.failover': DurationRange;
  /** Plain reboot without failover. */
  'rds.instance.reboot': DurationRange;
  /** ModifyDBInstance applied immediately (retention change and the like). */
  'rds.instance.modify': DurationRange;
  /** Converting Single-AZ to Multi-AZ: the standby is built from a snapshot. */
  'rds.instance.multi-az-conversion': DurationRange;
  'rds.instance.delete': DurationRange;
  /** Multi-AZ DB cluster / Aurora failover: < 35 s. */
  'rds.cluster.failover': DurationRange;
  /** Cross-region read replica lag per write. */
  'rds.replica.lag': DurationRange;
  /** CreateDBInstanceReadReplica until available (size-dependent). */
  'rds.replica.create': DurationRange;
  /** PromoteReadReplica: "several minutes or longer" (size-dependent). */
  'rds.replica.promote': DurationRange;
  /** CreateDBSnapshot (size-dependent). */
  'rds.snapshot.create': DurationRange;
  /** CopyDBSnapshot across regions (size-dependent). */
  'rds.snapshot.copy': DurationRange;
  /** Restore from snapshot or to a point in time (size-dependent). */
  'rds.restore': DurationRange;
  /** Transaction logs ship to S3 this often; LatestRestorableTime is the last shipment. */
  'rds.pitr.log-interval': DurationRange;
  /** FIS experiment from pending through initiating to running. */
  'fis.experiment.initiating': DurationRange;

  /** CreateTable until ACTIVE. */
  'dynamodb.table.create': DurationRange;
  /** Global table replication per write: "usually within a second". */
  'dynamodb.replication.lag': DurationRange;
  /** Adding a replica region to a global table (CREATING → ACTIVE), size-dependent. */
  'dynamodb.replica.create': DurationRange;
  /** LatestRestorableDateTime trails now by this much. */
  'dynamodb.pitr.trail': DurationRange;
  /** On-demand backup until AVAILABLE. */
  'dynamodb.backup.create': DurationRange;
  /** RestoreTableToPointInTime / RestoreTableFromBackup: the new table is CREATING this long (size-dependent). */
  'dynamodb.restore': DurationRange;

  /** ChangeResourceRecordSets PENDING → INSYNC: "within 60 seconds". */
  'route53.change.propagation': DurationRange;
  /** Round trip of one health checker request to a healthy endpoint. */
  'route53.health-check.latency': DurationRange;

  /** The orders API answering one request. */
  'app.request.latency': DurationRange;
  /** Warm standby: scaling the reduced fleet to full capacity. */
  'app.scale-up.warm': DurationRange;
  /** Pilot light: starting the fleet from nothing. */
  'app.scale-up.cold': DurationRange;

  /** S3 replication of one new version: seconds, under RTC's 15-minute bound. */
  's3.replication.lag': DurationRange;

  /** EBS CreateSnapshot until completed (size-dependent). */
  'ec2.snapshot.create': DurationRange;
  /** EBS CopySnapshot across regions (size-dependent). */
  'ec2.snapshot.copy': DurationRange;
  /** Creating a volume from a snapshot until available. */
  'ec2.volume.restore': DurationRange;
  /** AWS Backup job overhead before the service's own snapshot starts. */
  'backup.job.start': DurationRange;
}

export type CalibrationKey = keyof Calibration;

const minutes = (min: number, max: number): DurationRange => ({ minSeconds: min * 60, maxSeconds: max * 60 });
const seconds = (min: number, max: number): DurationRange => ({ minSeconds: min, maxSeconds: max });

export const defaultCalibration: Calibration = {
  'rds.instance.create': minutes(5, 12),
  'rds.instance.failover': seconds(60, 120),
  'rds.instance.reboot': seconds(20, 60),
  'rds.instance.modify': seconds(30, 90),
  'rds.instance.multi-az-conversion': minutes(10, 25),
  'rds.instance.delete': seconds(60, 180),
  'rds.cluster.failover': seconds(15, 35),
  'rds.replica.lag': seconds(1, 5),
  'rds.replica.create': minutes(10, 30),
  'rds.replica.promote': minutes(3, 8),
  'rds.snapshot.create': minutes(2, 10),
  'rds.snapshot.copy': minutes(5, 20),
  'rds.restore': minutes(10, 40),
  'rds.pitr.log-interval': seconds(300, 300),
  'fis.experiment.initiating': seconds(2, 8),
  'dynamodb.table.create': seconds(5, 30),
  'dynamodb.replication.lag': seconds(0.5, 2.5),
  'dynamodb.replica.create': minutes(5, 20),
  'dynamodb.pitr.trail': seconds(300, 300),
  'dynamodb.backup.create': seconds(2, 20),
  'dynamodb.restore': minutes(10, 60),
  'route53.change.propagation': seconds(30, 60),
  'route53.health-check.latency': seconds(0.05, 0.4),
  'app.request.latency': seconds(0.02, 0.25),
  'app.scale-up.warm': minutes(3, 8),
  'app.scale-up.cold': minutes(10, 20),
  's3.replication.lag': seconds(2, 30),
  'ec2.snapshot.create': minutes(2, 15),
  'ec2.snapshot.copy': minutes(5, 30),
  'ec2.volume.restore': minutes(1, 5),
  'backup.job.start': seconds(30, 120),
};

export function isCalibrationKey(key: string): key is CalibrationKey {
  return Object.hasOwn(defaultCalibration, key);
}

/**
 * A duration inside `range`. `scale` in [0, 1] places size-dependent work:
 * 0 is the smallest resource, 1 the largest; the draw then jitters ±15% of
 * the range around that point, clamped to the range.
 */
export function drawSeconds(range: DurationRange, rng: { next(): number }, scale?: number): number {
  const span = range.maxSeconds - range.minSeconds;
  if (scale === undefined) return range.minSeconds + span * rng.next();
  const centre = range.minSeconds + span * Math.min(1, Math.max(0, scale));
  const jittered = centre + span * 0.15 * (rng.next() * 2 - 1);
  return Math.min(range.maxSeconds, Math.max(range.minSeconds, jittered));
}

/** Where a storage size sits between 20 GiB (0) and 16 TiB (1), on a log scale. */
export function storageScale(allocatedGiB: number): number {
  const lo = Math.log(20);
  const hi = Math.log(16384);
  return Math.min(1, Math.max(0, (Math.log(Math.max(1, allocatedGiB)) - lo) / (hi - lo)));
}
