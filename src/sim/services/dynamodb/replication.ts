import type { TimerHandle } from '../../../clock/types.js';
import type { Rng, SimWorld } from '../../types.js';
import { cloneItem } from './attribute-values.js';
import type { Table } from './table.js';
import type { AttributeMap, ReplicationRecord, VersionStamp } from './types.js';

/**
 * Global table replication (version 2019.11.21): every write accepted by one
 * regional table travels to each other replica after a lag drawn from
 * `dynamodb.replication.lag`, in commit order per (source, destination)
 * stream, and is applied there only if it is newer than what the replica
 * holds (last writer wins, by commit time then the sim-wide sequence).
 *
 * A stream holds its records while it cannot flow: replication paused by FIS
 * on either end, either region down, the link between them cut, or the
 * destination replica still being created. Records that came due meanwhile
 * are delivered as soon as it can flow again, so the backlog replays. A write
 * accepted in a region that then goes down waits there: that is what an
 * active-active failover loses until the region returns.
 */

type Blocked = 'paused' | 'source-region-down' | 'destination-region-down' | 'link-down' | 'replica-creating';

interface Stream {
  table: string;
  from: string;
  to: string;
  records: ReplicationRecord[];
  /** Arrival of the newest record: a later write never overtakes an earlier one. */
  lastDue: number;
  timer?: TimerHandle;
  blocked?: Blocked;
  rng: Rng;
}

/** What replication needs from the model. */
export interface ReplicationHost {
  /** The regional table by name, whatever its status. */
  tableIn(region: string, name: string): Table | undefined;
}

export class Replication {
  private readonly streams = new Map<string, Stream>();
  private readonly pauses = new Map<string, number>();
  private kickPending = false;

  constructor(
    private readonly world: SimWorld,
    private readonly host: ReplicationHost,
  ) {
    // Streams held up by a fault resume the moment it lifts.
    world.onEvent((event) => {
      if (event.kind === 'region.restored' || event.kind === 'link.restored') this.kickSoon();
    });
  }

  private now(): number {
    return this.world.clock.now();
  }

  private stream(table: string, from: string, to: string): Stream {
    const id = `${table}|${from}|${to}`;
    let stream = this.streams.get(id);
    if (!stream) {
      stream = { table, from, to, records: [], lastDue: 0, rng: this.world.rng.fork(`dynamodb:replication:${table}:${from}->${to}`) };
      this.streams.set(id, stream);
    }
    return stream;
  }

  /** A write was committed in `source`: send it to every other replica of its global table. */
  enqueue(source: Table, key: string, item: AttributeMap | null, stamp: VersionStamp): void {
    const group = source.group;
    if (!group) return;
    for (const region of group.replicas.keys()) {
      if (region === source.region) continue;
      const stream = this.stream(source.name, source.region, region);
      const lag = this.world.duration('dynamodb.replication.lag', stream.rng);
      const dueAt = Math.max(this.now() + lag, stream.lastDue);
      stream.lastDue = dueAt;
      stream.records.push({ table: source.name, from: source.region, to: region, key, stamp, item: item ? cloneItem(item) : null, dueAt });
      this.arm(stream);
    }
  }

  private arm(stream: Stream): void {
    const head = stream.records[0];
    if (!head) return;
    if (head.dueAt <= this.now()) {
      this.deliver(stream);
      return;
    }
    if (stream.timer && stream.timer.at <= head.dueAt) return;
    if (stream.timer) this.world.clock.cancel(stream.timer);
    stream.timer = this.world.clock.schedule(
      head.dueAt,
      () => {
        stream.timer = undefined;
        this.deliver(stream);
      },
      `dynamodb replication ${stream.table} ${stream.from}→${stream.to}`,
    );
  }

  private blockedBy(stream: Stream): Blocked | undefined {
    const { faults } = this.world;
    if (this.isPaused(stream.table, stream.from) || this.isPaused(stream.table, stream.to)) return 'paused';
    if (!faults.isRegionUp(stream.from)) return 'source-region-down';
    if (!faults.isRegionUp(stream.to)) return 'destination-region-down';
    if (!faults.isLinkUp(stream.from, stream.to)) return 'link-down';
    const destination = this.host.tableIn(stream.to, stream.table);
    if (destination && destination.status === 'CREATING') return 'replica-creating';
    return undefined;
  }

  /** Deliver every record that is due, unless the stream is held up. */
  private deliver(stream: Stream): void {
    const now = this.now();
    while (stream.records.length > 0 && stream.records[0]!.dueAt <= now) {
      const blocked = this.blockedBy(stream);
      if (blocked) {
        if (stream.blocked !== blocked) {
          stream.blocked = blocked;
          this.world.emit('dynamodb.replication.held', {
            table: stream.table,
            from: stream.from,
            to: stream.to,
            reason: blocked,
            pending: stream.records.length,
          });
        }
        // Pauses and replica creation end through this model, faults through
        // world events: either kicks the stream again.
        return;
      }
      if (stream.blocked) {
        this.world.emit('dynamodb.replication.flowing', {
          table: stream.table,
          from: stream.from,
          to: stream.to,
          backlog: stream.records.filter((r) => r.dueAt <= now).length,
        });
        stream.blocked = undefined;
      }
      this.apply(stream.records.shift()!);
    }
    this.arm(stream);
  }

  private apply(record: ReplicationRecord): void {
    const destination = this.host.tableIn(record.to, record.table);
    // The replica was removed while the write was on its way.
    if (!destination) return;
    const applied = destination.store.apply(record.key, record.item, record.stamp, this.now(), true);
    if (!applied) {
      const winner = destination.store.stampOf(record.key)!;
      this.world.emit('dynamodb.replication.superseded', {
        table: record.table,
        region: record.to,
        key: record.key,
        from: record.from,
        committedAt: record.stamp.at,
        keptFrom: winner.region,
        keptCommittedAt: winner.at,
      });
    }
  }

  /** Look at every stream on the next turn of the clock (a fault was lifted somewhere). */
  private kickSoon(): void {
    if (this.kickPending) return;
    this.kickPending = true;
    this.world.clock.schedule(
      this.now(),
      () => {
        this.kickPending = false;
        this.kick();
      },
      'dynamodb replication: a fault lifted',
    );
  }

  /** Deliver what is due on every stream (of one table, if named) that can flow. */
  kick(table?: string): void {
    for (const stream of [...this.streams.values()]) {
      if (table === undefined || stream.table === table) this.deliver(stream);
    }
  }

  isPaused(table: string, region: string): boolean {
    return (this.pauses.get(`${table}|${region}`) ?? 0) > 0;
  }

  /** Hold replication to and from one regional table (FIS pause-replication); holds nest. */
  pause(table: Table): void {
    const id = `${table.name}|${table.region}`;
    const count = this.pauses.get(id) ?? 0;
    this.pauses.set(id, count + 1);
    if (count === 0) this.world.emit('dynamodb.replication.paused', { table: table.name, region: table.region, arn: table.arn });
  }

  /** Release one hold; when the last goes, the backlog replays at once. */
  resume(table: Table): void {
    const id = `${table.name}|${table.region}`;
    const count = this.pauses.get(id) ?? 0;
    if (count === 0) return;
    if (count > 1) {
      this.pauses.set(id, count - 1);
      return;
    }
    this.pauses.delete(id);
    this.world.emit('dynamodb.replication.resumed', { table: table.name, region: table.region, arn: table.arn, backlog: this.backlog(table.name).length });
    this.kick(table.name);
  }

  /** Writes accepted somewhere and not yet applied at a replica, oldest first. */
  backlog(table?: string): ReplicationRecord[] {
    const records: ReplicationRecord[] = [];
    for (const stream of this.streams.values()) {
      if (table !== undefined && stream.table !== table) continue;
      for (const record of stream.records) records.push({ ...record, stamp: { ...record.stamp }, item: record.item ? cloneItem(record.item) : null });
    }
    return records.sort((a, b) => a.stamp.at - b.stamp.at || a.stamp.seq - b.stamp.seq || (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
  }

  /** A replica left the group: nothing more goes to it. Writes it accepted still go out. */
  dropStreamsTo(table: string, region: string): void {
    for (const [id, stream] of this.streams) {
      if (stream.table !== table || stream.to !== region) continue;
      if (stream.timer) this.world.clock.cancel(stream.timer);
      this.streams.delete(id);
    }
  }

  /** A table of this name is gone from every region: forget its streams. */
  forget(table: string): void {
    for (const [id, stream] of this.streams) {
      if (stream.table !== table) continue;
      if (stream.timer) this.world.clock.cancel(stream.timer);
      this.streams.delete(id);
    }
    for (const id of [...this.pauses.keys()]) if (id.startsWith(`${table}|`)) this.pauses.delete(id);
  }
}
