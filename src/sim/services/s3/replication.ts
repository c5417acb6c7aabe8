import type { EpochMs } from '../../../clock/types.js';
import type { Rng, SimWorld } from '../../types.js';
import type {
  Bucket,
  ReplicationBacklogEntry,
  ReplicationOutcome,
  ReplicationPause,
  ReplicationRule,
  ReplicationTask,
  Tag,
  VersionEntry,
} from './types.js';

/** Replication Time Control: "replicates 99.99 percent of new objects within 15 minutes". */
export const RTC_BOUND_MS = 15 * 60_000;

/** What the replication engine needs of the model. */
export interface ReplicationHost {
  bucket(name: string): Bucket | undefined;
  /** A version as the source bucket holds it now (gone when permanently deleted meanwhile). */
  entry(bucket: Bucket, key: string, versionId: string): VersionEntry | undefined;
  /** Write a replica into `destination`, keeping the version id. */
  applyReplica(destination: Bucket, source: VersionEntry, storageClass: string | undefined): void;
}

/** `arn:aws:s3:::name` → `name`. */
export function bucketNameOfArn(arn: string): string | undefined {
  const match = /^arn:aws[a-z-]*:s3:::([^/]+)$/.exec(arn);
  return match?.[1];
}

/** The prefix a rule filters on ('' for every key), as FIS's `prefixes` parameter names rules. */
export function rulePrefix(rule: ReplicationRule): string {
  return rule.filter?.prefix ?? rule.filter?.and?.prefix ?? rule.prefix ?? '';
}

/** V1 rules (rule-level Prefix, no Filter) replicate delete markers; V2 rules only with DeleteMarkerReplication Enabled. */
function replicatesDeleteMarkers(rule: ReplicationRule): boolean {
  if (!rule.filter) return true;
  return rule.deleteMarkerReplication?.status === 'Enabled';
}

function ruleMatches(rule: ReplicationRule, key: string, tags: readonly Tag[]): boolean {
  if (rule.status !== 'Enabled') return false;
  const hasTag = (tag: Tag) => tags.some((t) => t.Key === tag.Key && t.Value === tag.Value);
  if (!rule.filter) return key.startsWith(rule.prefix ?? '');
  const { prefix, tag, and } = rule.filter;
  if (prefix !== undefined && !key.startsWith(prefix)) return false;
  if (tag && !hasTag(tag)) return false;
  if (and) {
    if (and.prefix !== undefined && !key.startsWith(and.prefix)) return false;
    if (!and.tags.every(hasTag)) return false;
  }
  return true;
}

const versionKey = (bucket: string, key: string, versionId: string) => `${bucket}\u0000${key}\u0000${versionId}`;

/**
 * S3 replication on the virtual clock. Each new version on a bucket with a
 * matching rule is PENDING, then copied to each destination after a lag
 * drawn from `s3.replication.lag` (Replication Time Control bounds it by 15
 * minutes). The source then reads COMPLETED, or FAILED when the destination
 * was unreachable at that moment: its region down, the link between the
 * regions cut, the bucket gone or no longer versioned.
 *
 * FAILED is final, as in S3, which does not retry a failed replication on
 * its own: a version that failed stays un-replicated when the link comes
 * back, which is exactly the data a game day should see at risk. Re-driving
 * failed versions is S3 Batch Replication's job; `retryFailed` models it.
 *
 * Held, not failed: versions due while replication is paused (FIS
 * `aws:s3:bucket-pause-replication`) wait in the backlog and replicate after
 * the pause, and versions due while the source region itself is down wait
 * for it to return (its replication workers are down with it, the
 * destination is not at fault).
 */
export class ReplicationEngine {
  private readonly tasks = new Map<string, ReplicationTask[]>();
  private readonly outcomes = new Map<string, ReplicationOutcome[]>();
  private readonly pauses = new Map<string, ReplicationPause>();
  private readonly rngs = new Map<string, Rng>();
  private pauseSeq = 0;

  constructor(
    private readonly world: SimWorld,
    private readonly host: ReplicationHost,
  ) {
    // Held versions resume the moment their region is back.
    world.onEvent((event) => {
      if (event.kind === 'region.restored') this.resumeIfRegionsBack();
    });
  }

  private now(): EpochMs {
    return this.world.clock.now();
  }

  private rngOf(bucket: Bucket): Rng {
    let rng = this.rngs.get(bucket.arn);
    if (!rng) {
      rng = this.world.rng.fork(`s3:replication:${bucket.arn}`);
      this.rngs.set(bucket.arn, rng);
    }
    return rng;
  }

  /** One destination per rule set: the highest-priority matching rule for each destination bucket. */
  private rulesFor(bucket: Bucket, entry: VersionEntry): ReplicationRule[] {
    const config = bucket.replication;
    if (!config) return [];
    const tags = entry.kind === 'object' ? entry.tags : [];
    const byDestination = new Map<string, ReplicationRule>();
    for (const rule of config.rules) {
      if (!ruleMatches(rule, entry.key, tags)) continue;
      if (entry.kind === 'delete-marker' && !replicatesDeleteMarkers(rule)) continue;
      const current = byDestination.get(rule.destination.bucket);
      if (!current || (rule.priority ?? 0) > (current.priority ?? 0)) byDestination.set(rule.destination.bucket, rule);
    }
    return [...byDestination.values()];
  }

  /**
   * A new version was written at the source: mark it PENDING and queue it for
   * every destination whose rule matches. Replicas themselves are never
   * replicated again.
   */
  enqueue(bucket: Bucket, entry: VersionEntry): void {
    this.resumeIfRegionsBack();
    if (entry.replicationStatus === 'REPLICA') return;
    const rules = this.rulesFor(bucket, entry);
    if (rules.length === 0) return;
    entry.replicationStatus = 'PENDING';
    const id = versionKey(bucket.name, entry.key, entry.versionId);
    const queued: ReplicationTask[] = [];
    for (const rule of rules) {
      const destinationName = bucketNameOfArn(rule.destination.bucket) ?? rule.destination.bucket;
      const destination = this.host.bucket(destinationName);
      const task: ReplicationTask = {
        sourceBucket: bucket.name,
        key: entry.key,
        versionId: entry.versionId,
        kind: entry.kind,
        destinationBucket: destinationName,
        destinationRegion: destination?.region ?? bucket.region,
        ...(rule.id !== undefined ? { ruleId: rule.id } : {}),
        rulePrefix: rulePrefix(rule),
        createdAt: this.now(),
        rtc: rule.destination.replicationTime?.status === 'Enabled',
        ...(rule.destination.storageClass !== undefined ? { storageClass: rule.destination.storageClass } : {}),
      };
      queued.push(task);
      this.schedule(bucket, task);
    }
    this.tasks.set(id, [...(this.tasks.get(id) ?? []), ...queued]);
    this.world.emit('s3.replication.pending', {
      bucket: bucket.name,
      key: entry.key,
      versionId: entry.versionId,
      kind: entry.kind,
      destinations: queued.map((t) => t.destinationBucket),
    });
  }

  /** Seeded versions start replicated: the replica exists, the source reads COMPLETED. */
  seedReplicated(bucket: Bucket, entry: VersionEntry, at: EpochMs): void {
    for (const rule of this.rulesFor(bucket, entry)) {
      const destinationName = bucketNameOfArn(rule.destination.bucket) ?? rule.destination.bucket;
      const destination = this.host.bucket(destinationName);
      if (!destination) throw new Error(`seed: replication destination bucket ${destinationName} does not exist`);
      this.host.applyReplica(destination, entry, rule.destination.storageClass);
      entry.replicationStatus = 'COMPLETED';
      this.record(bucket.name, entry, { status: 'COMPLETED', destinationBucket: destinationName, createdAt: at, finishedAt: at });
    }
  }

  private schedule(bucket: Bucket, task: ReplicationTask): void {
    let lag = this.world.duration('s3.replication.lag', this.rngOf(bucket));
    if (task.rtc) lag = Math.min(lag, RTC_BOUND_MS);
    task.held = undefined;
    task.dueAt = this.now() + lag;
    task.timer = this.world.clock.schedule(
      task.dueAt,
      () => this.attempt(task),
      `s3 replicate ${task.sourceBucket}/${task.key}@${task.versionId} → ${task.destinationBucket}`,
    );
  }

  private hold(task: ReplicationTask, why: 'paused' | 'source-region-down'): void {
    task.timer = undefined;
    task.dueAt = undefined;
    task.held = why;
    this.world.emit('s3.replication.held', {
      bucket: task.sourceBucket,
      key: task.key,
      versionId: task.versionId,
      destination: task.destinationBucket,
      reason: why,
    });
  }

  private attempt(task: ReplicationTask): void {
    task.timer = undefined;
    const source = this.host.bucket(task.sourceBucket);
    const entry = source && this.host.entry(source, task.key, task.versionId);
    if (!source || !entry) {
      // Permanently deleted (or its bucket deleted) before it replicated: nothing left to copy.
      this.drop(task);
      this.world.emit('s3.replication.dropped', { bucket: task.sourceBucket, key: task.key, versionId: task.versionId });
      return;
    }
    if (this.isPaused(task)) return this.hold(task, 'paused');
    if (!this.world.faults.isRegionUp(source.region)) return this.hold(task, 'source-region-down');
    const destination = this.host.bucket(task.destinationBucket);
    let failure: string | undefined;
    if (!destination) failure = `destination bucket ${task.destinationBucket} does not exist`;
    else if (!this.world.faults.isRegionUp(destination.region)) failure = `destination region ${destination.region} is unavailable`;
    else if (!this.world.faults.isLinkUp(source.region, destination.region)) {
      failure = `the network between ${source.region} and ${destination.region} is down`;
    } else if (destination.versioning !== 'Enabled') failure = `destination bucket ${destination.name} does not have versioning enabled`;
    if (failure === undefined && destination) this.host.applyReplica(destination, entry, task.storageClass);
    this.finish(source, entry, task, failure);
  }

  private finish(source: Bucket, entry: VersionEntry, task: ReplicationTask, failure: string | undefined): void {
    this.drop(task);
    const outcome: ReplicationOutcome = {
      status: failure === undefined ? 'COMPLETED' : 'FAILED',
      destinationBucket: task.destinationBucket,
      createdAt: task.createdAt,
      finishedAt: this.now(),
      ...(failure !== undefined ? { reason: failure } : {}),
    };
    this.record(source.name, entry, outcome);
    const id = versionKey(source.name, entry.key, entry.versionId);
    const stillQueued = (this.tasks.get(id) ?? []).length > 0;
    const outcomes = this.outcomes.get(id) ?? [];
    // With several destinations the source reads PENDING until every one is done, FAILED if any failed.
    if (!stillQueued) entry.replicationStatus = outcomes.some((o) => o.status === 'FAILED') ? 'FAILED' : 'COMPLETED';
    this.world.emit(failure === undefined ? 's3.replication.completed' : 's3.replication.failed', {
      bucket: source.name,
      key: entry.key,
      versionId: entry.versionId,
      kind: entry.kind,
      destination: task.destinationBucket,
      lagMs: outcome.finishedAt - outcome.createdAt,
      ...(failure !== undefined ? { reason: failure } : {}),
    });
  }

  private record(bucket: string, entry: VersionEntry, outcome: ReplicationOutcome): void {
    const id = versionKey(bucket, entry.key, entry.versionId);
    const kept = (this.outcomes.get(id) ?? []).filter((o) => o.destinationBucket !== outcome.destinationBucket);
    this.outcomes.set(id, [...kept, outcome]);
  }

  private drop(task: ReplicationTask): void {
    if (task.timer) this.world.clock.cancel(task.timer);
    task.timer = undefined;
    const id = versionKey(task.sourceBucket, task.key, task.versionId);
    const left = (this.tasks.get(id) ?? []).filter((t) => t !== task);
    if (left.length > 0) this.tasks.set(id, left);
    else this.tasks.delete(id);
  }

  // ---- pauses -------------------------------------------------------------

  private isPaused(task: ReplicationTask): boolean {
    for (const pause of this.pauses.values()) {
      if (pause.sourceBucket !== task.sourceBucket) continue;
      if (pause.region !== task.destinationRegion) continue;
      if (pause.destinationBuckets && !pause.destinationBuckets.includes(task.destinationBucket)) continue;
      if (pause.prefixes && !pause.prefixes.includes(task.rulePrefix)) continue;
      return true;
    }
    return false;
  }

  /** Pause replication from `sourceBucket` to destinations in `region`; returns the pause's id. */
  pause(spec: Omit<ReplicationPause, 'id' | 'since'>): string {
    const id = `pause-${++this.pauseSeq}`;
    this.pauses.set(id, { ...spec, id, since: this.now() });
    this.world.emit('s3.replication.paused', { pauseId: id, ...spec });
    return id;
  }

  /** Lift a pause: its held backlog replicates, each version after a fresh lag. */
  resume(id: string): void {
    const pause = this.pauses.get(id);
    if (!pause) return;
    this.pauses.delete(id);
    this.world.emit('s3.replication.resumed', { pauseId: id, bucket: pause.sourceBucket, region: pause.region });
    for (const task of this.allTasks()) {
      if (task.held !== 'paused' || this.isPaused(task)) continue;
      const source = this.host.bucket(task.sourceBucket);
      if (source) this.schedule(source, task);
    }
  }

  activePauses(): ReplicationPause[] {
    return [...this.pauses.values()].map((p) => ({ ...p }));
  }

  /** Versions held while their source region was down go back on the clock once it is up. */
  resumeIfRegionsBack(): void {
    for (const task of this.allTasks()) {
      if (task.held !== 'source-region-down') continue;
      const source = this.host.bucket(task.sourceBucket);
      if (!source) continue;
      if (this.world.faults.isRegionUp(source.region)) this.schedule(source, task);
    }
  }

  // ---- S3 Batch Replication ---------------------------------------------

  /**
   * Re-drive FAILED versions of `bucket` (what an S3 Batch Replication job
   * does): they are PENDING again and replicate after a fresh lag. Returns
   * how many were queued.
   */
  retryFailed(bucket: Bucket): number {
    let queued = 0;
    for (const entries of bucket.objects.values()) {
      for (const entry of entries) {
        if (entry.replicationStatus !== 'FAILED') continue;
        const id = versionKey(bucket.name, entry.key, entry.versionId);
        const failed = (this.outcomes.get(id) ?? []).filter((o) => o.status === 'FAILED');
        for (const outcome of failed) {
          const rule = bucket.replication?.rules.find(
            (r) => (bucketNameOfArn(r.destination.bucket) ?? r.destination.bucket) === outcome.destinationBucket,
          );
          const destination = this.host.bucket(outcome.destinationBucket);
          const task: ReplicationTask = {
            sourceBucket: bucket.name,
            key: entry.key,
            versionId: entry.versionId,
            kind: entry.kind,
            destinationBucket: outcome.destinationBucket,
            destinationRegion: destination?.region ?? bucket.region,
            ...(rule?.id !== undefined ? { ruleId: rule.id } : {}),
            rulePrefix: rule ? rulePrefix(rule) : '',
            // Lag counts from the original write: the RPO the data was exposed to.
            createdAt: outcome.createdAt,
            rtc: rule?.destination.replicationTime?.status === 'Enabled',
            ...(rule?.destination.storageClass !== undefined ? { storageClass: rule.destination.storageClass } : {}),
          };
          this.tasks.set(id, [...(this.tasks.get(id) ?? []), task]);
          this.schedule(bucket, task);
          queued++;
        }
        if (failed.length > 0) entry.replicationStatus = 'PENDING';
      }
    }
    if (queued > 0) this.world.emit('s3.replication.redriven', { bucket: bucket.name, versions: queued });
    return queued;
  }

  // ---- ground truth -----------------------------------------------------

  private allTasks(): ReplicationTask[] {
    return [...this.tasks.values()].flat();
  }

  backlog(bucket: string): ReplicationBacklogEntry[] {
    this.resumeIfRegionsBack();
    return this.allTasks()
      .filter((t) => t.sourceBucket === bucket)
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((t) => ({
        key: t.key,
        versionId: t.versionId,
        kind: t.kind,
        destinationBucket: t.destinationBucket,
        createdAt: t.createdAt,
        ...(t.dueAt !== undefined ? { dueAt: t.dueAt } : {}),
        ...(t.held ? { held: t.held } : {}),
      }));
  }

  outcomesOf(bucket: string, key: string, versionId: string): ReplicationOutcome[] {
    return (this.outcomes.get(versionKey(bucket, key, versionId)) ?? []).map((o) => ({ ...o }));
  }

  /** Forget a bucket's queue when the bucket itself is deleted. */
  forgetBucket(bucket: string): void {
    for (const task of this.allTasks()) if (task.sourceBucket === bucket) this.drop(task);
  }
}
