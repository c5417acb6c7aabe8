import type { EpochMs } from '../../../clock/types.js';
import type { SimWorld } from '../../types.js';
import type { DataReplicationState, RecoverySnapshot, SourceServer } from './types.js';

/**
 * Continuous block-level replication of a source server into its staging
 * area, as a function of time: the staging area's consistent instant (the
 * source's newest write it holds) trails now by the replication lag, and
 * freezes while the source cannot reach it (its region or the link between
 * the regions down), until the backlog has drained after a reconnect.
 *
 * The lag is drawn per minute of virtual time from a stream forked by the
 * server and the minute, so any instant can be asked about in any order
 * with the same answer (ground truth asks about the past). At a minute's
 * boundary the consistent instant never goes back: a longer lag sets in as
 * time passes, not as a jump into the past.
 */

/** How long one lag draw holds. */
const TICK_MS = 60_000;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * DRS's default point-in-time policy (the replication configuration
 * template's pitPolicy): a snapshot every 10 minutes kept for an hour, every
 * hour kept for a day, every day kept for 7 days.
 */
const PIT_POLICY: readonly { intervalMs: number; retentionMs: number }[] = [
  { intervalMs: 10 * MINUTE_MS, retentionMs: HOUR_MS },
  { intervalMs: HOUR_MS, retentionMs: DAY_MS },
  { intervalMs: DAY_MS, retentionMs: 7 * DAY_MS },
];

export class Replication {
  /** server id → minute → lag in ms. */
  private readonly lags = new Map<string, Map<number, number>>();

  constructor(private readonly world: SimWorld) {}

  private lag(server: SourceServer, minute: number): number {
    let byMinute = this.lags.get(server.id);
    if (!byMinute) this.lags.set(server.id, (byMinute = new Map()));
    let lag = byMinute.get(minute);
    if (lag === undefined) {
      lag = this.world.duration('drs.replication.lag', server.rng.fork(`lag:${minute}`));
      byMinute.set(minute, lag);
    }
    return lag;
  }

  /** The consistent instant while replication streams, outages aside. */
  private streaming(server: SourceServer, t: EpochMs): EpochMs {
    const minute = Math.floor(t / TICK_MS);
    const boundary = minute * TICK_MS;
    return Math.max(boundary - this.lag(server, minute - 1), t - this.lag(server, minute));
  }

  /** The newest instant of the source's writes the staging area holds at `t`. */
  consistentAt(server: SourceServer, t: EpochMs): EpochMs {
    for (let i = server.outages.length - 1; i >= 0; i--) {
      const outage = server.outages[i]!;
      if (outage.stoppedAt > t) continue;
      if (outage.caughtUpAt === undefined || t < outage.caughtUpAt) return outage.frozenAt;
      return Math.max(outage.frozenAt, this.streaming(server, t));
    }
    return this.streaming(server, t);
  }

  lagMs(server: SourceServer, t: EpochMs): number {
    return t - this.consistentAt(server, t);
  }

  state(server: SourceServer, t: EpochMs): DataReplicationState {
    if (server.disconnectedAt !== undefined && server.disconnectedAt <= t) return 'DISCONNECTED';
    const outage = server.outages.at(-1);
    if (!outage || outage.stoppedAt > t || (outage.caughtUpAt !== undefined && t >= outage.caughtUpAt)) return 'CONTINUOUS';
    return outage.resumedAt !== undefined && t >= outage.resumedAt ? 'BACKLOG' : 'DISCONNECTED';
  }

  /** Whether the source reaches its staging area now. */
  connected(server: SourceServer): boolean {
    const outage = server.outages.at(-1);
    return !outage || outage.resumedAt !== undefined;
  }

  /** The source lost its way to the staging area at `at`: what it holds freezes. */
  stop(server: SourceServer, at: EpochMs): void {
    if (!this.connected(server)) return;
    const frozenAt = this.consistentAt(server, at);
    // A stop during the previous backlog: that drain never finishes.
    const last = server.outages.at(-1);
    if (last && last.caughtUpAt !== undefined && last.caughtUpAt > at) delete last.caughtUpAt;
    server.outages.push({ stoppedAt: at, frozenAt });
    this.world.emit('drs.replication.stopped', { sourceServerID: server.id, region: server.region, frozenAt: new Date(frozenAt).toISOString() });
  }

  /** The source reaches its staging area again at `at`; the backlog drains over a calibrated stretch. */
  resume(server: SourceServer, at: EpochMs): void {
    const outage = server.outages.at(-1);
    if (!outage || outage.resumedAt !== undefined) return;
    outage.resumedAt = at;
    outage.caughtUpAt = at + this.world.duration('drs.replication.catch-up', server.rng.fork(`catch-up:${server.outages.length}`));
    this.world.emit('drs.replication.resumed', { sourceServerID: server.id, region: server.region, caughtUpAt: new Date(outage.caughtUpAt).toISOString() });
  }

  /**
   * The point-in-time snapshots the policy keeps at `now`: each policy
   * rule's marks within its retention, taken only where replication was
   * streaming at the mark (a disconnected staging area has nothing new to
   * keep) and after the server joined. Newest first.
   */
  snapshots(server: SourceServer, now: EpochMs): RecoverySnapshot[] {
    if (server.disconnectedAt !== undefined) return [];
    const marks = new Set<EpochMs>();
    for (const rule of PIT_POLICY) {
      const oldest = Math.max(server.addedAt, now - rule.retentionMs);
      for (let mark = Math.floor(now / rule.intervalMs) * rule.intervalMs; mark >= oldest; mark -= rule.intervalMs) marks.add(mark);
    }
    return [...marks]
      .filter((mark) => this.state(server, mark) === 'CONTINUOUS')
      .sort((a, b) => b - a)
      .map((at) => ({ id: `pit-${server.rng.fork(`pit:${at}`).alnum(17, '0123456789abcdef')}`, sourceServerId: server.id, at, consistentAt: this.consistentAt(server, at) }));
  }
}
