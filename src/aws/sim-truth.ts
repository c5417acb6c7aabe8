import { isIP } from 'node:net';
import type { EpochMs } from '../clock/types.js';
import type { BucketRef, DatabaseRef, SimControl, TableRef } from '../harness/target.js';
import { resolveHost, type AppModule, type ResolvedStep } from '../sim/app/index.js';
import type { Simulator } from '../sim/index.js';
import type { DrsModule } from '../sim/services/drs/index.js';
import type { AttributeMap, DynamoDbModule, ItemVersion } from '../sim/services/dynamodb/index.js';
import type { RdsModule } from '../sim/services/rds/index.js';
import { normalizeName, type DnsAnswer, type Route53Module } from '../sim/services/route53/index.js';
import type { S3Module } from '../sim/services/s3/index.js';
import type { Rng } from '../sim/types.js';

/**
 * A value over virtual time, as its changes. A value that lasted no time at
 * all (changed twice within one instant) is dropped: no request could see it.
 */
class Timeline<T> {
  private readonly changes: { at: EpochMs; value: T }[] = [];

  constructor(private readonly same: (a: T, b: T) => boolean = Object.is) {}

  note(at: EpochMs, value: T): void {
    const last = this.changes.at(-1);
    if (last && this.same(last.value, value)) return;
    if (last?.at === at) {
      this.changes.pop();
      const before = this.changes.at(-1);
      if (before && this.same(before.value, value)) return;
    }
    this.changes.push({ at, value });
  }

  /** The value in force at `t` (after every change at `t`); undefined before the first. */
  at(t: EpochMs): T | undefined {
    let lo = 0;
    let hi = this.changes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.changes[mid]!.at <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? undefined : this.changes[lo - 1]!.value;
  }

  instants(): EpochMs[] {
    return this.changes.map((c) => c.at);
  }
}

/** Timelines by key, made on first note. */
class Timelines<T> {
  private readonly byKey = new Map<string, Timeline<T>>();

  constructor(private readonly same?: (a: T, b: T) => boolean) {}

  note(key: string, at: EpochMs, value: T): void {
    let timeline = this.byKey.get(key);
    if (!timeline) this.byKey.set(key, (timeline = new Timeline(this.same)));
    timeline.note(at, value);
  }

  at(key: string, t: EpochMs): T | undefined {
    return this.byKey.get(key)?.at(t);
  }

  keys(): string[] {
    return [...this.byKey.keys()];
  }

  instants(keys: Iterable<string> = this.byKey.keys()): EpochMs[] {
    return [...keys].flatMap((key) => this.byKey.get(key)?.instants() ?? []);
  }
}

/**
 * The first instant at or after `since` from which `ok` holds without
 * interruption until `now`; undefined when it does not hold now. `ok` must
 * change only at `instants` (every change of whatever it reads).
 */
function okFrom(ok: (t: EpochMs) => boolean, instants: readonly EpochMs[], since: EpochMs, now: EpochMs): EpochMs | undefined {
  const points = [...new Set([since, ...instants.filter((t) => t > since && t <= now)])].sort((a, b) => a - b);
  if (!ok(points.at(-1)!)) return undefined;
  for (let i = points.length - 1; i > 0; i--) if (!ok(points[i - 1]!)) return points[i]!;
  return since;
}

/** An item's content, independent of attribute order; a deletion as the empty string. */
function contentOf(item: AttributeMap | null | undefined): string {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
    }
    return value;
  };
  return item ? JSON.stringify(canonical(item)) : '';
}

const sameAnswer = (a: DnsAnswer, b: DnsAnswer) => a.rcode === b.rcode && a.ttlSeconds === b.ttlSeconds && JSON.stringify(a.records) === JSON.stringify(b.records);

/** DescribeTable reports these while item operations work; the probe counts them as up. */
const TABLE_ANSWERS = new Set(['ACTIVE', 'UPDATING']);

/** What changed since the last look: each aspect is looked at again only after events that can change it. */
type Aspect = 'regions' | 'dns' | 'tables' | 'buckets';

/**
 * Ground truth from the sim's own state, kept as timelines: every RDS
 * database's writability, every orders service's health, what Route 53
 * answers for every name it serves, every DynamoDB table's status, every
 * bucket, every region. State changes only on events, so each is looked at
 * again after the events that can change it.
 */
export class SimTruth implements SimControl {
  private readonly rds: RdsModule['model'];
  private readonly app: AppModule | undefined;
  private readonly route53: Route53Module['model'] | undefined;
  private readonly dynamodb: DynamoDbModule['model'] | undefined;
  private readonly s3: S3Module['model'] | undefined;
  private readonly drs: DrsModule['model'] | undefined;
  /** Weighted answers draw; this stream is the truth's own, so looking changes nothing in the sim. */
  private readonly dnsDraws: Rng;

  /** "region/identifier" → writable. */
  private readonly writable = new Timelines<boolean>();
  /** region → the orders service answers /health with 200. */
  private readonly healthy = new Timelines<boolean>();
  /** region → up. */
  private readonly regionUp = new Timelines<boolean>();
  /** Fully qualified name → Route 53's answer to "A?" (for a client without a region). */
  private readonly answers = new Timelines<DnsAnswer>(sameAnswer);
  /** "region|table" → status ("absent" when there is none). */
  private readonly tableStatus = new Timelines<string>();
  /** bucket name → its region while it exists, "" otherwise. */
  private readonly buckets = new Timelines<string>();
  private readonly dirty = new Set<Aspect>();
  private queued = false;

  constructor(
    readonly seed: number,
    private readonly sim: Simulator,
    private readonly regions: readonly string[],
  ) {
    const world = sim.world;
    this.rds = world.module('rds').model;
    this.app = world.findModule('app');
    this.route53 = world.findModule('route53')?.model;
    this.dynamodb = world.findModule('dynamodb')?.model;
    this.s3 = world.findModule('s3')?.model;
    this.drs = world.findModule('drs')?.model;
    this.dnsDraws = world.rng.fork('gameday:truth:dns');
    for (const aspect of ['regions', 'dns', 'tables', 'buckets'] as const) this.dirty.add(aspect);
    this.observe();
    world.onEvent((event) => {
      const kind = event.kind;
      if (kind.startsWith('region.')) this.dirty.add('regions');
      if (kind.startsWith('route53.')) this.dirty.add('dns');
      if (kind.startsWith('dynamodb.') || kind.startsWith('region.')) this.dirty.add('tables');
      if (kind === 's3.bucket.created' || kind === 's3.bucket.deleted') this.dirty.add('buckets');
      if (this.queued) return;
      this.queued = true;
      // After the event's task has finished mutating state: same virtual instant, next microtask.
      queueMicrotask(() => this.observe());
    });
  }

  private observe(): void {
    this.queued = false;
    const now = this.sim.world.clock.now();
    const faults = this.sim.world.faults;
    for (const region of this.regions) {
      for (const instance of this.rds.instancesIn(region)) this.writable.note(`${region}/${instance.id}`, now, this.rds.isWritable(region, instance.id));
      // A cluster takes writes through whichever instance is its writer.
      for (const cluster of this.rds.clustersIn(region)) this.writable.note(`${region}/${cluster.id}`, now, this.rds.isWritable(region, cluster.id));
    }
    // By endpoint: a region may run several services, each healthy or not on its own.
    for (const service of this.app?.services() ?? []) this.healthy.note(service.endpoint, now, this.app!.healthOf(service.region, service.service).healthy);
    if (this.dirty.has('regions')) for (const region of this.regions) this.regionUp.note(region, now, faults.isRegionUp(region));
    if (this.dirty.has('dns') && this.route53) {
      for (const name of this.servedNames()) this.answers.note(name, now, this.route53.answer(name, 'A', { rng: this.dnsDraws }));
    }
    if (this.dirty.has('tables') && this.dynamodb) {
      const seen = new Set<string>();
      for (const region of this.regions) {
        for (const table of this.dynamodb.tablesIn(region)) {
          seen.add(`${region}|${table.name}`);
          this.tableStatus.note(`${region}|${table.name}`, now, table.status);
        }
      }
      for (const key of this.tableStatus.keys()) if (!seen.has(key)) this.tableStatus.note(key, now, 'absent');
    }
    if (this.dirty.has('buckets') && this.s3) {
      const present = new Map(this.s3.allBuckets().map((b) => [b.name, b.region]));
      for (const name of new Set([...present.keys(), ...this.buckets.keys()])) this.buckets.note(name, now, present.get(name) ?? '');
    }
    this.dirty.clear();
  }

  /** Every name a hosted zone publishes records at. */
  private servedNames(): Set<string> {
    const names = new Set<string>();
    for (const zone of this.route53?.allZones() ?? []) for (const record of zone.published.values()) names.add(record.name);
    return names;
  }

  private get now(): EpochMs {
    return this.sim.world.clock.now();
  }

  // ── RDS ──────────────────────────────────────────────────────────────────

  writableFrom(db: DatabaseRef, since: number): number | undefined {
    const key = `${db.region}/${db.identifier}`;
    return okFrom((t) => this.writable.at(key, t) === true, this.writable.instants([key]), since, this.now);
  }

  lossWindowSeconds(original: DatabaseRef, current: DatabaseRef, faultAt: number): number {
    const before = this.rds.writesOf(original.region, original.identifier).filter((w) => w.committedAt <= faultAt);
    const survived = new Set(this.rds.writesOf(current.region, current.identifier).map((w) => `${w.origin}#${w.seq}`));
    const kept = before.filter((w) => survived.has(`${w.origin}#${w.seq}`));
    if (kept.length === before.length) return 0;
    const newest = kept.at(-1)?.committedAt ?? before[0]?.committedAt ?? faultAt;
    return (faultAt - newest) / 1000;
  }

  // ── HTTP through DNS ─────────────────────────────────────────────────────

  /**
   * A GET of `url` by the client at instant t succeeds when the address its
   * resolver would use then (the answer its cache held at t if it held one,
   * else Route 53's answer at t, chased through CNAMEs like the resolver
   * does) belongs to an orders service that listens on the port and is
   * healthy at t. The client is one without a region (the target's clients).
   */
  servingFrom(clientName: string, url: string, since: number): number | undefined {
    const app = this.app;
    const client = app?.client(clientName);
    if (!app || !client || client.region !== undefined) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
    const question = (name: string, t: EpochMs): ResolvedStep => {
      const qname = normalizeName(name);
      const cached = client.resolver.cachedAt(qname, 'A', t);
      if (cached) return { name: qname, answer: cached.answer, fromCache: true, expiresAt: cached.expiresAt };
      const answer: DnsAnswer = this.answers.at(qname, t) ?? this.route53?.answer(qname, 'A', { rng: this.dnsDraws }) ?? { rcode: 'REFUSED', name: qname, type: 'A', records: [], ttlSeconds: 0 };
      return { name: qname, answer, fromCache: false, expiresAt: t + answer.ttlSeconds * 1000 };
    };
    const ok = (t: EpochMs): boolean => {
      let addresses = [host];
      if (!isIP(host)) {
        const resolution = resolveHost(host, (name) => question(name, t), (name) => app.localHosts(name));
        if (!resolution.ok) return false;
        addresses = resolution.addresses;
      }
      // Several addresses: the client picks one at random, so each must serve.
      return addresses.every((address) => {
        const service = app.services().find((s) => s.ipAddress === address);
        return service !== undefined && service.ports.includes(port) && this.healthy.at(service.endpoint, t) === true;
      });
    };
    const names = new Set([normalizeName(host), ...this.answers.keys()]);
    const cacheInstants = [...names].flatMap((name) => {
      const { answers, flushes } = client.resolver.history(name, 'A');
      return [...answers.flatMap((a) => [a.storedAt, a.expiresAt]), ...flushes];
    });
    return okFrom(ok, [...this.healthy.instants(), ...this.answers.instants(), ...cacheInstants], since, this.now);
  }

  // ── DynamoDB ─────────────────────────────────────────────────────────────

  /** Whether DescribeTable in `region` answers with a status in which items can be read and written. */
  private tableAnswers(region: string, table: string, t: EpochMs): boolean {
    return this.regionUp.at(region, t) === true && TABLE_ANSWERS.has(this.tableStatus.at(`${region}|${table}`, t) ?? 'absent');
  }

  tableAnsweringFrom(table: TableRef, since: number): number | undefined {
    const ok = (t: EpochMs) => table.regions.some((region) => this.tableAnswers(region, table.identifier, t));
    const instants = [...this.regionUp.instants(table.regions), ...this.tableStatus.instants(table.regions.map((r) => `${r}|${table.identifier}`))];
    return okFrom(ok, instants, since, this.now);
  }

  /**
   * Every item version the original table's copies took at or before the
   * fault (each write once, by its stamp) against what the copy read back now
   * holds (the first of `current`'s regions that answers). A write survived
   * when the copy holds it or a later version of its item; a key the copy
   * holds in a version the original never had was rewritten after recovery
   * and tells nothing, so it is left out.
   */
  tableLossWindowSeconds(original: TableRef, current: TableRef, faultAt: number): number | undefined {
    const dynamodb = this.dynamodb;
    if (!dynamodb) return undefined;
    const reading = current.regions.find((region) => this.sim.world.faults.isRegionUp(region) && TABLE_ANSWERS.has(dynamodb.tableIn(region, current.identifier)?.status ?? 'absent'));
    const copy = reading === undefined ? undefined : dynamodb.tableIn(reading, current.identifier);
    if (!copy) return undefined;
    const versions = new Map<string, Map<number, ItemVersion>>();
    for (const region of original.regions) {
      const table = dynamodb.tableIn(region, original.identifier);
      for (const { key } of table?.store.entries() ?? []) {
        let byStamp = versions.get(key);
        if (!byStamp) versions.set(key, (byStamp = new Map()));
        for (const version of table!.store.history(key)) byStamp.set(version.stamp.seq, version);
      }
    }
    const kept: EpochMs[] = [];
    const lost: EpochMs[] = [];
    for (const [key, byStamp] of versions) {
      const history = [...byStamp.values()].sort((a, b) => a.stamp.at - b.stamp.at || a.stamp.seq - b.stamp.seq);
      const held = contentOf(copy.store.get(key));
      let last = -1;
      for (let i = history.length - 1; i >= 0; i--) {
        if (contentOf(history[i]!.item) === held) {
          last = i;
          break;
        }
      }
      if (last < 0 && held !== '') continue;
      history.forEach((version, i) => {
        if (version.item === null || version.stamp.at > faultAt) return;
        (i <= last ? kept : lost).push(version.stamp.at);
      });
    }
    if (lost.length === 0) return 0;
    const newest = kept.length > 0 ? kept.reduce((a, b) => Math.max(a, b)) : lost.reduce((a, b) => Math.min(a, b));
    return (faultAt - newest) / 1000;
  }

  // ── S3 ───────────────────────────────────────────────────────────────────

  bucketReachableFrom(bucket: BucketRef, since: number): number | undefined {
    const ok = (t: EpochMs) => this.regionUp.at(bucket.region, t) === true && this.buckets.at(bucket.identifier, t) === bucket.region;
    return okFrom(ok, [...this.regionUp.instants([bucket.region]), ...this.buckets.instants([bucket.identifier])], since, this.now);
  }

  // ── Elastic Disaster Recovery ────────────────────────────────────────────

  /** Each instance answers from the moment its agent is seen until it starts terminating; none answers from a dark region. */
  recoveryInstancesAnsweringFrom(region: string, recoveryInstanceIds: readonly string[], since: number): number | undefined {
    const drs = this.drs;
    const instances = recoveryInstanceIds.map((id) => drs?.recoveryInstanceById(id));
    if (!drs || instances.length === 0 || instances.some((i) => i === undefined || i.region !== region)) return undefined;
    const known = instances as NonNullable<(typeof instances)[number]>[];
    const ok = (t: EpochMs) => this.regionUp.at(region, t) === true && known.every((instance) => drs.answersAt(instance, t));
    const instants = [...this.regionUp.instants([region]), ...known.flatMap((i) => [i.answeringAt, i.terminatingAt].filter((t): t is number => t !== undefined))];
    return okFrom(ok, instants, since, this.now);
  }

  /** What each recovered copy misses of its source at the incident: the writes after the instant its snapshot holds. */
  recoveryLossWindowSeconds(region: string, recoveryInstanceIds: readonly string[], incidentAt: number): number | undefined {
    const instances = recoveryInstanceIds.map((id) => this.drs?.recoveryInstanceById(id));
    if (instances.length === 0 || instances.some((i) => i === undefined || i.region !== region)) return undefined;
    return Math.max(...instances.map((i) => Math.max(0, incidentAt - i!.consistentAt) / 1000));
  }
}
