import type { EpochMs } from '../../../clock/types.js';
import type { Rng, SimWorld } from '../../types.js';
import type { BackupState, LogEntry } from './types.js';

export const DAY_MS = 86_400_000;

/**
 * Automated backups, computed lazily from when they began: a daily snapshot
 * at the same time of day, and transaction logs shipped every
 * `rds.pitr.log-interval`. Nothing is scheduled on the clock for them, so a
 * run with a seven-day retention does not carry thousands of timers; the
 * draws still come in a fixed order from the backup's own RNG stream, so the
 * result does not depend on when anyone asks.
 */
export function newBackupState(arn: string, retentionDays: number, shippingRng: Rng): BackupState {
  return { retentionDays, arn, shippingRng };
}

/** Backups begin now (creation finished, or retention went from 0 to N). */
export function startBackups(world: SimWorld, backup: BackupState, at: EpochMs): void {
  backup.origin = at;
  backup.lastShipment = at;
  backup.nextShipment = at + world.duration('rds.pitr.log-interval', backup.shippingRng);
}

/**
 * Backups that have existed as far back as the retention implies (seeding):
 * the oldest automated snapshot is `retention` days old and the last log
 * shipment happened somewhere in the last interval.
 */
export function seedBackups(world: SimWorld, backup: BackupState, now: EpochMs): void {
  if (backup.retentionDays <= 0) return;
  const interval = world.duration('rds.pitr.log-interval', backup.shippingRng);
  backup.origin = now - backup.retentionDays * DAY_MS;
  backup.lastShipment = now - Math.floor(backup.shippingRng.next() * interval);
  backup.nextShipment = backup.lastShipment + interval;
}

export function stopBackups(backup: BackupState): void {
  delete backup.origin;
  delete backup.lastShipment;
  delete backup.nextShipment;
}

/** The last log shipment at or before `now`: LatestRestorableTime. */
export function latestRestorableTime(world: SimWorld, backup: BackupState, now: EpochMs): EpochMs | undefined {
  if (backup.origin === undefined || backup.lastShipment === undefined || backup.nextShipment === undefined) return undefined;
  while (backup.nextShipment <= now) {
    backup.lastShipment = backup.nextShipment;
    // A zero-length interval would never advance; one millisecond is the floor.
    backup.nextShipment += Math.max(1, world.duration('rds.pitr.log-interval', backup.shippingRng));
  }
  return backup.lastShipment;
}

/**
 * Which daily snapshot is the oldest still kept: the last one taken at or
 * before `now − retention`, so that every instant of the retention period
 * stays restorable (RDS keeps retention + 1 daily snapshots).
 */
function oldestKept(origin: EpochMs, retentionDays: number, now: EpochMs): number {
  return Math.max(0, Math.floor((now - retentionDays * DAY_MS - origin) / DAY_MS));
}

/** The oldest restorable instant: the oldest automated snapshot kept. */
export function earliestRestorableTime(origin: EpochMs | undefined, retentionDays: number, now: EpochMs): EpochMs | undefined {
  if (origin === undefined || retentionDays <= 0) return undefined;
  return origin + oldestKept(origin, retentionDays, now) * DAY_MS;
}

/** Times of the daily automated snapshots kept at `now`, taken up to `until`. */
export function automatedSnapshotTimes(origin: EpochMs | undefined, retentionDays: number, until: EpochMs, now: EpochMs): EpochMs[] {
  if (origin === undefined || retentionDays <= 0) return [];
  const times: EpochMs[] = [];
  for (let k = oldestKept(origin, retentionDays, now); origin + k * DAY_MS <= until; k++) times.push(origin + k * DAY_MS);
  return times;
}

/** Retained automated backups are deleted once the retention period has passed since their instance was. */
export function retainedBackupExpired(deletedAt: EpochMs, retentionDays: number, now: EpochMs): boolean {
  return now > deletedAt + retentionDays * DAY_MS;
}

/** The data a database held at `at`. */
export function entriesAsOf(entries: readonly LogEntry[], at: EpochMs): LogEntry[] {
  return entries.filter((entry) => entry.appliedAt <= at);
}
