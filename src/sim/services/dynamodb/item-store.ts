import type { EpochMs } from '../../../clock/types.js';
import { cloneItem, compareScalars, encodeKey, itemSize } from './attribute-values.js';
import type { AttributeMap, ItemVersion, KeySchema, VersionStamp } from './types.js';

/** Last-writer-wins order: commit time, then the sim-wide sequence. */
export function compareStamps(a: VersionStamp, b: VersionStamp): number {
  return a.at - b.at || a.seq - b.seq;
}

/**
 * One regional table's items: the current item per key, and every key's
 * history as a log of versions with the time each took effect here, so the
 * table can be rebuilt exactly as it was at any instant (point-in-time
 * recovery, ground truth). Deletes stay as tombstones, because last-writer-
 * wins must know that a delete was newer than a late replicated put.
 */
export class ItemStore {
  private readonly latest = new Map<string, ItemVersion>();
  private readonly histories = new Map<string, ItemVersion[]>();
  /** Live items by partition, then by full key. */
  private readonly partitions = new Map<string, Map<string, AttributeMap>>();
  private liveCount = 0;
  private liveBytes = 0;
  /** Each stored item's size, worked out once when it was stored. */
  private readonly sizes = new WeakMap<AttributeMap, number>();

  constructor(readonly schema: KeySchema) {}

  keyOf(item: AttributeMap): string {
    return encodeKey(item, this.schema);
  }

  private partitionOf(item: AttributeMap): string {
    return encodeKey(item, { hash: this.schema.hash });
  }

  get(key: string): AttributeMap | undefined {
    return this.latest.get(key)?.item ?? undefined;
  }

  /** The stamp of the key's newest version, a delete included. */
  stampOf(key: string): VersionStamp | undefined {
    return this.latest.get(key)?.stamp;
  }

  get itemCount(): number {
    return this.liveCount;
  }

  get sizeBytes(): number {
    return this.liveBytes;
  }

  /**
   * Record a version; with `onlyIfNewer` (a replicated write) it is dropped
   * when this table already holds a newer one. Returns whether it applied.
   */
  apply(key: string, item: AttributeMap | null, stamp: VersionStamp, appliedAt: EpochMs, onlyIfNewer = false): boolean {
    const previous = this.latest.get(key);
    if (onlyIfNewer && previous && compareStamps(previous.stamp, stamp) >= 0) return false;
    const stored = item ? cloneItem(item) : null;
    const version: ItemVersion = { appliedAt, stamp, item: stored };
    this.latest.set(key, version);
    let history = this.histories.get(key);
    if (!history) this.histories.set(key, (history = []));
    history.push(version);

    const old = previous?.item ?? null;
    if (old) {
      this.liveCount--;
      this.liveBytes -= itemSize(old);
      const partition = this.partitions.get(this.partitionOf(old));
      partition?.delete(key);
      if (partition && partition.size === 0) this.partitions.delete(this.partitionOf(old));
    }
    if (stored) {
      const size = itemSize(stored);
      this.sizes.set(stored, size);
      this.liveCount++;
      this.liveBytes += size;
      const partitionKey = this.partitionOf(stored);
      let partition = this.partitions.get(partitionKey);
      if (!partition) this.partitions.set(partitionKey, (partition = new Map()));
      partition.set(key, stored);
    }
    return true;
  }

  /** Live items of one partition in sort-key order. */
  partition(hashOnlyKey: AttributeMap): AttributeMap[] {
    const items = [...(this.partitions.get(this.partitionOf(hashOnlyKey))?.values() ?? [])];
    const range = this.schema.range;
    if (range) items.sort((a, b) => compareScalars(a[range.name]!, b[range.name]!));
    return items;
  }

  /**
   * Every live item in scan order: partitions in the order of a hash of
   * their key (as DynamoDB's are spread over its keyspace, so callers cannot
   * lean on any order), items within one by sort key.
   */
  scanOrder(): AttributeMap[] {
    const keys = [...this.partitions.keys()].sort((a, b) => partitionHash(a) - partitionHash(b) || (a < b ? -1 : a > b ? 1 : 0));
    return keys.flatMap((key) => {
      const first = this.partitions.get(key)!.values().next().value!;
      return this.partition(first);
    });
  }

  /** Where a key sits in scan order, for ExclusiveStartKey (the key need not exist any more). */
  compareScanPosition(a: AttributeMap, b: AttributeMap): number {
    const pa = this.partitionOf(a);
    const pb = this.partitionOf(b);
    if (pa !== pb) return partitionHash(pa) - partitionHash(pb) || (pa < pb ? -1 : 1);
    const range = this.schema.range;
    return range ? compareScalars(a[range.name]!, b[range.name]!) : 0;
  }

  /** Which of `total` parallel-scan segments an item falls in (by its partition, as DynamoDB splits them). */
  segmentOf(item: AttributeMap, total: number): number {
    return partitionHash(this.partitionOf(item)) % total;
  }

  /** Every key's newest version with its stamp, deletes included, for backfilling a new replica. */
  entries(): { key: string; item: AttributeMap | null; stamp: VersionStamp }[] {
    return [...this.latest].map(([key, version]) => ({ key, item: version.item, stamp: version.stamp }));
  }

  /** The live items as this table held them at `time` (versions that took effect at or before it). */
  asOf(time: EpochMs): AttributeMap[] {
    const out: AttributeMap[] = [];
    for (const history of this.histories.values()) {
      const found = versionAt(history, time);
      if (found?.item) out.push(cloneItem(found.item));
    }
    return out;
  }

  /**
   * The live items at `time` and their total size, without copying them:
   * the items are the store's own (a stored version never changes), so the
   * caller must not modify them. For backups, which keep items as they were.
   */
  sharedAsOf(time: EpochMs): { items: readonly AttributeMap[]; sizeBytes: number } {
    const items: AttributeMap[] = [];
    let sizeBytes = 0;
    for (const history of this.histories.values()) {
      const found = versionAt(history, time);
      if (!found?.item) continue;
      items.push(found.item);
      sizeBytes += this.sizes.get(found.item) ?? itemSize(found.item);
    }
    return { items, sizeBytes };
  }

  /** A key's versions, oldest first. */
  history(key: string): readonly ItemVersion[] {
    return this.histories.get(key) ?? [];
  }
}

/** The version of a key's history (oldest first) in effect at `time`: the last applied at or before it. */
function versionAt(history: readonly ItemVersion[], time: EpochMs): ItemVersion | undefined {
  for (let i = history.length - 1; i >= 0; i--) if (history[i]!.appliedAt <= time) return history[i];
  return undefined;
}

/** FNV-1a, 32 bits: a stable stand-in for DynamoDB's partition hash. */
function partitionHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
