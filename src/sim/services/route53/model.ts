import type { EpochMs } from '../../../clock/types.js';
import type { Rng, SimWorld } from '../../types.js';
import { route53Errors } from './errors.js';
import { HealthChecks, pageSize } from './health-checks.js';
import { compareNames, isWithin, nameProblem, normalizeName, reversedName, valueProblem, wildcardFor, wireName } from './names.js';
import {
  RECORD_TYPES,
  type AnswerOptions,
  type ChangeInfo,
  type ChangeSpec,
  type DnsAnswer,
  type HostedZone,
  type Page,
  type RecordSet,
  type RecordSetSpec,
  type RecordType,
  type SeedHealthCheckSpec,
  type SeedHostedZoneSpec,
} from './types.js';

/**
 * Amazon Route 53's state and rules: hosted zones with a control plane (what
 * the API lists, changed as soon as a change batch is accepted) and a data
 * plane (what the name servers answer, changed when the change is INSYNC),
 * change batches validated the way Route 53 validates them, health checks,
 * and DNS answers with failover and weighted routing. Knows nothing of XML.
 */

const SOA_TTL = 900;
const NS_TTL = 172800;
/** Negative answers are cached for the SOA's TTL (it is below the SOA minimum). */
const NEGATIVE_TTL = SOA_TTL;
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ROUTING_FIELDS = 'Weight, Region, Failover, GeoLocation, MultiValueAnswer, GeoProximityLocation, or CidrRoutingConfig';

const recordKey = (name: string, type: string, setIdentifier?: string): string => `${name}|${type}|${setIdentifier ?? ''}`;
const keyOf = (record: RecordSet): string => recordKey(record.name, record.type, record.setIdentifier);

/** Route 53's way of naming a record set in messages. */
function describe(record: { name: string; type: string; setIdentifier?: string }): string {
  const id = record.setIdentifier !== undefined ? `, set-identifier='${record.setIdentifier}'` : '';
  return `[name='${wireName(record.name)}', type='${record.type}'${id}]`;
}

function routingPolicy(record: RecordSet): string | undefined {
  if (record.failover) return 'failover';
  if (record.weight !== undefined) return 'weighted';
  if (record.region !== undefined) return 'latency';
  if (record.geoLocation) return 'geolocation';
  if (record.multiValueAnswer !== undefined) return 'multivalue answer';
  return undefined;
}

/** A change a batch makes to a zone's records, replayed on the data plane when it is INSYNC. */
type Edit = { kind: 'put'; record: RecordSet } | { kind: 'delete'; key: string };

export class Route53Model {
  private readonly zones = new Map<string, HostedZone>();
  /** CallerReferences ever used by CreateHostedZone (deleted zones' too). */
  private readonly zoneCallerReferences = new Set<string>();
  private readonly changes = new Map<string, ChangeInfo>();
  private readonly ids: Rng;
  private readonly dnsRng: Rng;
  private readonly propagationRng: Rng;
  /** Changes reach the name servers in the order they were made. */
  private lastInsyncAt: EpochMs = 0;
  readonly healthChecks: HealthChecks;

  constructor(private readonly world: SimWorld) {
    this.ids = world.rng.fork('route53:ids');
    this.dnsRng = world.rng.fork('route53:dns');
    this.propagationRng = world.rng.fork('route53:propagation');
    this.healthChecks = new HealthChecks(world, world.rng.fork('route53:health-check-ids'));
  }

  private now(): EpochMs {
    return this.world.clock.now();
  }

  // ── Hosted zones ─────────────────────────────────────────────────────────

  zone(id: string): HostedZone {
    const zone = this.zones.get(id);
    if (!zone) throw route53Errors.noSuchHostedZone(id);
    return zone;
  }

  findZone(id: string): HostedZone | undefined {
    return this.zones.get(id);
  }

  /** Zones in Id order (ListHostedZones pages by Id). */
  allZones(): HostedZone[] {
    return [...this.zones.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** The zones named `name` (public and private zones may share a name). */
  zonesNamed(name: string): HostedZone[] {
    const normalized = normalizeName(name);
    return this.allZones().filter((z) => z.name === normalized);
  }

  createHostedZone(input: {
    name: string;
    callerReference: string;
    comment?: string;
    privateZone?: boolean;
    vpc?: { region?: string; id?: string };
    delegationSetId?: string;
  }): { zone: HostedZone; change: ChangeInfo } {
    if (input.callerReference.length < 1 || input.callerReference.length > 128) {
      throw route53Errors.validation('callerReference', input.callerReference, 'Member must have length between 1 and 128');
    }
    if (input.delegationSetId !== undefined) throw route53Errors.noSuchDelegationSet(input.delegationSetId);
    const problem = nameProblem(input.name);
    if (problem) throw route53Errors.invalidDomainName(input.name, problem);
    const name = normalizeName(input.name);
    if (!name.slice(0, -1).includes('.') && name.length < 3) throw route53Errors.invalidDomainName(input.name, 'a hosted zone needs a domain name');
    if (this.zoneCallerReferences.has(input.callerReference)) throw route53Errors.hostedZoneAlreadyExists(name, input.callerReference);
    let vpcs: { region: string; id: string }[] = [];
    if (input.vpc) {
      if (!input.vpc.id || !input.vpc.region) throw route53Errors.invalidInput('Invalid parameter : a VPC needs both VPCId and VPCRegion.');
      vpcs = [{ region: input.vpc.region, id: input.vpc.id }];
    } else if (input.privateZone) {
      throw route53Errors.invalidInput('Invalid parameter : When you create a private hosted zone, you must specify a VPC.');
    }
    const zone = this.addZone({
      name,
      callerReference: input.callerReference,
      ...(input.comment !== undefined ? { comment: input.comment } : {}),
      vpcs,
    });
    const change = this.newChange(input.comment);
    this.world.emit('route53.hosted-zone.created', { id: zone.id, name: zone.name, privateZone: zone.privateZone, changeId: change.id });
    return { zone, change };
  }

  /** A zone already in steady state: its records published, nothing pending. */
  seedHostedZone(spec: SeedHostedZoneSpec): HostedZone {
    const problem = nameProblem(spec.name);
    if (problem) throw new Error(`seedHostedZone ${spec.name}: ${problem}`);
    const zone = this.addZone({
      name: normalizeName(spec.name),
      callerReference: spec.callerReference ?? `gameday-seed-${normalizeName(spec.name)}`,
      ...(spec.comment !== undefined ? { comment: spec.comment } : {}),
      vpcs: spec.vpcs ?? [],
      ...(spec.id !== undefined ? { id: spec.id } : {}),
    });
    this.world.emit('route53.hosted-zone.created', { id: zone.id, name: zone.name, privateZone: zone.privateZone, seeded: true });
    if (spec.records?.length) this.seedRecords(zone.id, spec.records);
    return zone;
  }

  /** Records that exist at t = 0: validated like a change batch, published at once. */
  seedRecords(zoneId: string, records: RecordSetSpec[]): void {
    const zone = this.zone(zoneId);
    const edits = this.validateBatch(zone, records.map((recordSet) => ({ action: 'UPSERT', recordSet })));
    this.applyEdits(zone.records, edits);
    this.applyEdits(zone.published, edits);
    this.world.emit('route53.records.changed', { zoneId: zone.id, changes: records.length, seeded: true });
  }

  private addZone(args: { name: string; callerReference: string; comment?: string; vpcs: { region: string; id: string }[]; id?: string }): HostedZone {
    const id = args.id ?? this.newZoneId();
    if (this.zones.has(id)) throw new Error(`hosted zone ${id} exists already`);
    const privateZone = args.vpcs.length > 0;
    const nameServers = privateZone ? [] : this.newNameServers();
    const zone: HostedZone = {
      id,
      name: args.name,
      callerReference: args.callerReference,
      ...(args.comment !== undefined ? { comment: args.comment } : {}),
      privateZone,
      vpcs: args.vpcs,
      nameServers,
      createdAt: this.now(),
      records: new Map(),
      published: new Map(),
    };
    const primary = nameServers[0] ?? 'ns-0.awsdns-00.com';
    const soa: RecordSet = {
      name: args.name,
      type: 'SOA',
      ttl: SOA_TTL,
      values: [`${primary}. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400`],
    };
    const ns: RecordSet = {
      name: args.name,
      type: 'NS',
      ttl: NS_TTL,
      values: (privateZone ? ['ns-0.awsdns-00.com', 'ns-512.awsdns-00.net', 'ns-1024.awsdns-00.org', 'ns-1536.awsdns-00.co.uk'] : nameServers).map((n) => `${n}.`),
    };
    for (const record of [ns, soa]) {
      zone.records.set(keyOf(record), record);
      zone.published.set(keyOf(record), { ...record, values: [...record.values] });
    }
    this.zones.set(id, zone);
    this.zoneCallerReferences.add(args.callerReference);
    return zone;
  }

  private newZoneId(): string {
    for (;;) {
      const id = `Z${this.ids.alnum(20, ID_CHARS)}`;
      if (!this.zones.has(id)) return id;
    }
  }

  /** Four name servers, one in each of Route 53's top-level domains. */
  private newNameServers(): string[] {
    return ['com', 'net', 'org', 'co.uk'].map((tld, i) => {
      const n = i * 512 + this.ids.int(0, 511);
      return `ns-${n}.awsdns-${String(Math.floor(n / 32) % 64).padStart(2, '0')}.${tld}`;
    });
  }

  listHostedZones(marker: string | undefined, maxItems: number | undefined, privateOnly = false): Page<HostedZone> & { nextMarker?: string } {
    const max = pageSize(maxItems, 100, 100);
    const all = this.allZones().filter((z) => !privateOnly || z.privateZone);
    const start = marker === undefined ? 0 : all.findIndex((z) => z.id >= marker);
    const from = start < 0 ? all.length : start;
    const items = all.slice(from, from + max);
    const next = all[from + max];
    return { items, isTruncated: next !== undefined, maxItems: max, ...(next ? { nextMarker: next.id } : {}) };
  }

  /** Zones ordered by reversed name, then Id, starting at (dnsName, hostedZoneId). */
  listHostedZonesByName(
    dnsName: string | undefined,
    hostedZoneId: string | undefined,
    maxItems: number | undefined,
  ): Page<HostedZone> & { nextDnsName?: string; nextHostedZoneId?: string } {
    if (hostedZoneId !== undefined && dnsName === undefined) {
      throw route53Errors.invalidInput('Invalid parameter : If you specify hostedzoneid, you must also specify dnsname.');
    }
    if (dnsName !== undefined) {
      const problem = nameProblem(dnsName);
      if (problem) throw route53Errors.invalidDomainName(dnsName, problem);
    }
    const max = pageSize(maxItems, 100, 100);
    const sortKey = (name: string, id: string) => `${reversedName(name)}\u0000${id}`;
    const all = [...this.zones.values()].sort((a, b) => {
      const ka = sortKey(a.name, a.id);
      const kb = sortKey(b.name, b.id);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    const startKey = dnsName === undefined ? undefined : sortKey(normalizeName(dnsName), hostedZoneId ?? '');
    const start = startKey === undefined ? 0 : all.findIndex((z) => sortKey(z.name, z.id) >= startKey);
    const from = start < 0 ? all.length : start;
    const items = all.slice(from, from + max);
    const next = all[from + max];
    return { items, isTruncated: next !== undefined, maxItems: max, ...(next ? { nextDnsName: next.name, nextHostedZoneId: next.id } : {}) };
  }

  deleteHostedZone(id: string): ChangeInfo {
    const zone = this.zone(id);
    for (const record of zone.records.values()) {
      const required = record.name === zone.name && (record.type === 'SOA' || record.type === 'NS') && record.setIdentifier === undefined;
      if (!required) throw route53Errors.hostedZoneNotEmpty();
    }
    this.zones.delete(id);
    const change = this.newChange(undefined);
    this.world.emit('route53.hosted-zone.deleted', { id, name: zone.name, changeId: change.id });
    return change;
  }

  /** ResourceRecordSetCount: every record set, the zone's own SOA and NS included. */
  recordCount(zone: HostedZone): number {
    return zone.records.size;
  }

  // ── Changes ──────────────────────────────────────────────────────────────

  /** A change PENDING now and INSYNC after propagation, when `apply` (if any) runs on the data plane. */
  private newChange(comment: string | undefined, apply?: () => void): ChangeInfo {
    const id = `C${this.ids.alnum(20, ID_CHARS)}`;
    const now = this.now();
    // INSYNC in submission order: a later change never overtakes an earlier one.
    const insyncAt = Math.max(now + this.world.duration('route53.change.propagation', this.propagationRng), this.lastInsyncAt);
    this.lastInsyncAt = insyncAt;
    const change: ChangeInfo = { id, status: 'PENDING', submittedAt: now, insyncAt, ...(comment !== undefined ? { comment } : {}) };
    this.changes.set(id, change);
    this.world.clock.schedule(
      insyncAt,
      () => {
        apply?.();
        change.status = 'INSYNC';
        this.world.emit('route53.change.insync', { id, submittedAt: now });
      },
      `route53 change ${id} INSYNC`,
    );
    return change;
  }

  getChange(id: string): ChangeInfo {
    const change = this.changes.get(id);
    if (!change) throw route53Errors.noSuchChange(id);
    return change;
  }

  /**
   * ChangeResourceRecordSets: all or nothing. The control plane changes now;
   * the name servers answer with the new records once the change is INSYNC.
   */
  changeResourceRecordSets(zoneId: string, changes: ChangeSpec[], comment?: string): ChangeInfo {
    const zone = this.zone(zoneId);
    if (changes.length === 0) {
      throw route53Errors.validation('changeBatch.changes', '[]', 'Member must have length greater than or equal to 1');
    }
    const edits = this.validateBatch(zone, changes);
    this.applyEdits(zone.records, edits);
    const change = this.newChange(comment, () => {
      // The zone may have been deleted meanwhile; then there is nothing left to publish to.
      if (this.zones.get(zone.id) === zone) this.applyEdits(zone.published, edits);
    });
    this.world.emit('route53.records.changed', {
      zoneId: zone.id,
      changeId: change.id,
      changes: changes.map((c) => ({
        action: c.action,
        name: normalizeName(c.recordSet.name),
        type: c.recordSet.type,
        ...(c.recordSet.setIdentifier !== undefined ? { setIdentifier: c.recordSet.setIdentifier } : {}),
      })),
    });
    return change;
  }

  private applyEdits(target: Map<string, RecordSet>, edits: readonly Edit[]): void {
    for (const edit of edits) {
      if (edit.kind === 'put') target.set(keyOf(edit.record), cloneRecord(edit.record));
      else target.delete(edit.key);
    }
  }

  /**
   * Route 53's checks on a change batch, against the records as each change
   * leaves them. Structural problems with one change are InvalidInput at
   * once; conflicts with the zone's records are gathered into one
   * InvalidChangeBatch.
   */
  private validateBatch(zone: HostedZone, changes: readonly ChangeSpec[]): Edit[] {
    const scratch = new Map<string, RecordSet>();
    for (const [key, record] of zone.records) scratch.set(key, record);
    const messages: string[] = [];
    const edits: Edit[] = [];
    const touched = new Set<string>();
    changes.forEach((change, index) => {
      const record = this.readRecord(change, index);
      const key = keyOf(record);
      if (touched.has(key)) {
        messages.push(`The request contains an invalid set of changes for a resource record set '${record.type} ${wireName(record.name)}'`);
        return;
      }
      touched.add(key);
      const problems = this.checkChange(zone, scratch, change.action, record);
      if (problems.length > 0) {
        messages.push(...problems);
        return;
      }
      if (change.action === 'DELETE') {
        scratch.delete(key);
        edits.push({ kind: 'delete', key });
      } else {
        scratch.set(key, record);
        edits.push({ kind: 'put', record });
      }
    });
    if (messages.length > 0) throw route53Errors.invalidChangeBatch(messages);
    return edits;
  }

  /** A change's record set, normalized; InvalidInput for a change Route 53 cannot even read. */
  private readRecord(change: ChangeSpec, index: number): RecordSet {
    const spec = change.recordSet;
    const at = `changeBatch.changes.${index + 1}.member`;
    if (!['CREATE', 'DELETE', 'UPSERT'].includes(change.action)) {
      throw route53Errors.validation(`${at}.action`, change.action, 'Member must satisfy enum value set: [CREATE, DELETE, UPSERT]');
    }
    if (!(RECORD_TYPES as readonly string[]).includes(spec.type)) {
      throw route53Errors.validation(`${at}.resourceRecordSet.type`, spec.type, `Member must satisfy enum value set: [${RECORD_TYPES.join(', ')}]`);
    }
    const nameIssue = nameProblem(spec.name);
    if (nameIssue) throw route53Errors.invalidInput(`Invalid request: ${spec.name} is not a valid DNS name: ${nameIssue}`);
    const name = normalizeName(spec.name);
    const where = `in Change with [Action=${change.action}, Name=${wireName(name)}, Type=${spec.type}, SetIdentifier=${spec.setIdentifier ?? 'null'}]`;
    const routing = [
      spec.weight !== undefined,
      spec.region !== undefined,
      spec.failover !== undefined,
      spec.geoLocation !== undefined,
      spec.multiValueAnswer !== undefined,
    ].filter(Boolean).length;
    if (routing > 1) throw route53Errors.invalidInput(`Invalid request: Expected exactly one of [${ROUTING_FIELDS}], but found more than one ${where}`);
    if (routing === 1 && spec.setIdentifier === undefined) throw route53Errors.invalidInput(`Invalid request: Missing field 'SetIdentifier' ${where}`);
    if (routing === 0 && spec.setIdentifier !== undefined) {
      throw route53Errors.invalidInput(`Invalid request: Expected exactly one of [${ROUTING_FIELDS}], but found none ${where}`);
    }
    if (spec.setIdentifier !== undefined && (spec.setIdentifier.length < 1 || spec.setIdentifier.length > 128)) {
      throw route53Errors.validation(`${at}.resourceRecordSet.setIdentifier`, spec.setIdentifier, 'Member must have length between 1 and 128');
    }
    const hasAlias = spec.aliasTarget !== undefined;
    const hasRecords = spec.ttl !== undefined || (spec.values !== undefined && spec.values.length > 0);
    if (hasAlias && hasRecords) {
      throw route53Errors.invalidInput(`Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found more than one ${where}`);
    }
    if (!hasAlias && (spec.ttl === undefined || spec.values === undefined || spec.values.length === 0)) {
      const missing = spec.ttl === undefined && !spec.values?.length ? 'none' : spec.ttl === undefined ? "no 'TTL'" : "no 'ResourceRecords'";
      throw route53Errors.invalidInput(
        `Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found ${missing} ${where}`,
      );
    }
    if (spec.ttl !== undefined && (!Number.isInteger(spec.ttl) || spec.ttl < 0 || spec.ttl > 2147483647)) {
      throw route53Errors.validation(`${at}.resourceRecordSet.TTL`, spec.ttl, 'Member must have value between 0 and 2147483647');
    }
    if (spec.weight !== undefined && (!Number.isInteger(spec.weight) || spec.weight < 0 || spec.weight > 255)) {
      throw route53Errors.validation(`${at}.resourceRecordSet.weight`, spec.weight, 'Member must have value between 0 and 255');
    }
    if (spec.failover !== undefined && spec.failover !== 'PRIMARY' && spec.failover !== 'SECONDARY') {
      throw route53Errors.validation(`${at}.resourceRecordSet.failover`, spec.failover, 'Member must satisfy enum value set: [PRIMARY, SECONDARY]');
    }
    if ((spec.values?.length ?? 0) > 400) {
      throw route53Errors.validation(`${at}.resourceRecordSet.resourceRecords`, '[…]', 'Member must have length less than or equal to 400');
    }
    const record: RecordSet = {
      name,
      type: spec.type,
      values: hasAlias ? [] : [...(spec.values ?? [])],
      ...(spec.setIdentifier !== undefined ? { setIdentifier: spec.setIdentifier } : {}),
      ...(spec.weight !== undefined ? { weight: spec.weight } : {}),
      ...(spec.region !== undefined ? { region: spec.region } : {}),
      ...(spec.failover !== undefined ? { failover: spec.failover } : {}),
      ...(spec.multiValueAnswer !== undefined ? { multiValueAnswer: spec.multiValueAnswer } : {}),
      ...(spec.geoLocation !== undefined ? { geoLocation: { ...spec.geoLocation } } : {}),
      ...(spec.ttl !== undefined && !hasAlias ? { ttl: spec.ttl } : {}),
      ...(spec.healthCheckId !== undefined ? { healthCheckId: spec.healthCheckId } : {}),
    };
    if (spec.aliasTarget) {
      const target = spec.aliasTarget;
      const targetProblem = nameProblem(target.dnsName);
      if (targetProblem) throw route53Errors.invalidInput(`Invalid request: AliasTarget DNSName ${target.dnsName} is not a valid DNS name: ${targetProblem}`);
      record.aliasTarget = {
        hostedZoneId: target.hostedZoneId.replace(/^\/hostedzone\//, ''),
        dnsName: normalizeName(target.dnsName),
        evaluateTargetHealth: target.evaluateTargetHealth ?? false,
      };
    }
    return record;
  }

  /** Problems with one change against the records as the batch has left them so far. */
  private checkChange(zone: HostedZone, scratch: Map<string, RecordSet>, action: string, record: RecordSet): string[] {
    const key = keyOf(record);
    const existing = scratch.get(key);
    const zoneName = wireName(zone.name);
    if (!isWithin(record.name, zone.name)) return [`RRSet with DNS name ${wireName(record.name)} is not permitted in zone ${zoneName}`];
    if (action === 'DELETE') {
      if (!existing) return [`Tried to delete resource record set ${describe(record)} but it was not found`];
      if (!sameRecord(existing, record)) return [`Tried to delete resource record set ${describe(record)} but the values provided do not match the current values`];
      if (record.name === zone.name && record.type === 'SOA') return ['A HostedZone must contain exactly one SOA record.'];
      if (record.name === zone.name && record.type === 'NS') return ['A HostedZone must contain at least one NS record for the zone itself.'];
      return [];
    }
    if (action === 'CREATE' && existing) return [`Tried to create resource record set ${describe(record)} but it already exists`];
    const problems: string[] = [];
    if (record.type === 'SOA' && record.name !== zone.name) problems.push(`RRSet of type SOA with DNS name ${wireName(record.name)} is not permitted because SOA records are only allowed at the zone apex`);
    if (record.type === 'SOA' && action === 'CREATE') problems.push('A HostedZone must contain exactly one SOA record.');
    for (const value of record.values) {
      const problem = valueProblem(record.type, value);
      if (problem) problems.push(problem);
    }
    if ((record.type === 'CNAME' || record.type === 'SOA') && record.values.length > 1) {
      problems.push(`RRSet of type ${record.type} with DNS name ${wireName(record.name)} has more than one resource record`);
    }
    const sameName = [...scratch.values()].filter((r) => r.name === record.name && keyOf(r) !== key);
    if (record.type === 'CNAME') {
      if (record.name === zone.name) problems.push(`RRSet of type CNAME with DNS name ${wireName(record.name)} is not permitted at apex in zone ${zoneName}`);
      else if (sameName.some((r) => r.type !== 'CNAME')) {
        problems.push(`RRSet of type CNAME with DNS name ${wireName(record.name)} is not permitted as it conflicts with other records with the same DNS name in zone ${zoneName}`);
      }
    } else if (sameName.some((r) => r.type === 'CNAME')) {
      problems.push(
        `RRSet of type ${record.type} with DNS name ${wireName(record.name)} is not permitted because a conflicting RRSet of type CNAME with the same DNS name already exists in zone ${zoneName}`,
      );
    }
    // Record sets of one name and type: one simple set, or sets of one routing policy.
    const siblings = sameName.filter((r) => r.type === record.type);
    const policy = routingPolicy(record);
    for (const sibling of siblings) {
      const theirs = routingPolicy(sibling);
      if (policy === undefined || theirs === undefined) {
        problems.push(
          `RRSet with DNS name ${wireName(record.name)}, type ${record.type}${record.setIdentifier !== undefined ? `, SetIdentifier ${record.setIdentifier}` : ''} cannot be created because a ${theirs === undefined ? 'non-routing-policy' : theirs} RRSet with the same name and type exists.`,
        );
        break;
      }
      if (theirs !== policy) {
        problems.push(
          `RRSet with DNS name ${wireName(record.name)}, type ${record.type}, SetIdentifier ${record.setIdentifier} cannot be created because a ${theirs} RRSet (SetIdentifier ${sibling.setIdentifier}) with the same name and type exists.`,
        );
        break;
      }
      if (policy === 'failover' && sibling.failover === record.failover) {
        problems.push(
          `Tried to create resource record set ${describe(record)} with Failover ${record.failover}, but ${describe(sibling)} already has that value`,
        );
        break;
      }
      if (policy === 'latency' && sibling.region === record.region) {
        problems.push(`Tried to create resource record set ${describe(record)} with Region ${record.region}, but ${describe(sibling)} already has that value`);
        break;
      }
    }
    if (record.healthCheckId !== undefined && !this.healthChecks.find(record.healthCheckId)) {
      // Route 53 answers this one with its own exception, not within the batch.
      throw route53Errors.noSuchHealthCheck(record.healthCheckId);
    }
    if (record.aliasTarget) problems.push(...this.checkAliasTarget(zone, scratch, record));
    return problems;
  }

  private checkAliasTarget(zone: HostedZone, scratch: Map<string, RecordSet>, record: RecordSet): string[] {
    const target = record.aliasTarget!;
    const targetZone = this.zones.get(target.hostedZoneId);
    // Another service's zone (an ELB, CloudFront, S3 website): the sim cannot look inside, so it takes the target on trust.
    if (!targetZone) return [];
    const describeTarget = `Tried to create an alias that targets ${wireName(target.dnsName)}, type ${record.type} in zone ${target.hostedZoneId}`;
    if (!isWithin(target.dnsName, targetZone.name)) return [`${describeTarget}, but the alias target name does not lie within the target zone`];
    const records = targetZone === zone ? scratch : targetZone.records;
    const found = [...records.values()].some((r) => r.name === target.dnsName && (r.type === record.type || r.type === 'CNAME'));
    if (!found) return [`${describeTarget}, but that target was not found`];
    if (targetZone === zone && target.dnsName === record.name && !record.setIdentifier) return [`${describeTarget}, but an alias cannot target itself`];
    return [];
  }

  /** A page of record sets in Route 53's order: reversed name, then type, then set identifier. */
  listResourceRecordSets(
    zoneId: string,
    start: { name?: string; type?: string; identifier?: string },
    maxItems: number | undefined,
  ): Page<RecordSet> & { next?: { name: string; type: string; identifier?: string } } {
    const zone = this.zone(zoneId);
    if (start.type !== undefined && start.name === undefined) {
      throw route53Errors.invalidInput('The input is not valid: a record type (type) requires a record name (name).');
    }
    if (start.identifier !== undefined && (start.name === undefined || start.type === undefined)) {
      throw route53Errors.invalidInput('The input is not valid: a set identifier (identifier) requires a record name (name) and type (type).');
    }
    if (start.type !== undefined && !(RECORD_TYPES as readonly string[]).includes(start.type)) {
      throw route53Errors.validation('startRecordType', start.type, `Member must satisfy enum value set: [${RECORD_TYPES.join(', ')}]`);
    }
    if (start.name !== undefined) {
      const problem = nameProblem(start.name);
      if (problem) throw route53Errors.invalidInput(`The input is not valid: ${start.name}: ${problem}`);
    }
    const max = pageSize(maxItems, 300, 300);
    const sorted = [...zone.records.values()].sort(compareRecords);
    let from = 0;
    if (start.name !== undefined) {
      const probe: RecordSet = {
        name: normalizeName(start.name),
        type: (start.type ?? '') as RecordType,
        values: [],
        ...(start.identifier !== undefined ? { setIdentifier: start.identifier } : {}),
      };
      from = sorted.findIndex((r) => compareRecords(r, probe) >= 0);
      if (from < 0) from = sorted.length;
    }
    const items = sorted.slice(from, from + max);
    const next = sorted[from + max];
    return {
      items,
      isTruncated: next !== undefined,
      maxItems: max,
      ...(next ? { next: { name: next.name, type: next.type, ...(next.setIdentifier !== undefined ? { identifier: next.setIdentifier } : {}) } } : {}),
    };
  }

  // ── Health checks ────────────────────────────────────────────────────────

  /** A health check already running at t = 0, healthy until its checkers say otherwise. */
  seedHealthCheck(spec: SeedHealthCheckSpec) {
    const { id, callerReference, ...config } = spec;
    const reference = callerReference ?? `gameday-seed-${id ?? this.ids.alnum(12)}`;
    // Seeded in steady state: the checkers have long agreed on what the endpoint answers.
    return this.healthChecks.create(reference, config, { ...(id ? { fixedId: id } : {}), steadyState: true }).check;
  }

  // ── DNS: what the name servers answer ────────────────────────────────────

  /**
   * Answer a DNS question the way Route 53's name servers would now: the
   * most specific zone that holds the name (a private zone only for clients
   * in its VPC's region, and before a public zone of the same name there),
   * its published records, failover and weighted routing by health.
   * REFUSED when no zone here is authoritative for the name.
   */
  answer(name: string, type: string, options: AnswerOptions = {}): DnsAnswer {
    const qname = nameProblem(name) === undefined ? normalizeName(name) : name.toLowerCase();
    const zone = this.authoritativeZone(qname, options.clientRegion);
    if (!zone) return { rcode: 'REFUSED', name: qname, type, records: [], ttlSeconds: 0 };
    return this.answerInZone(zone, qname, type, options);
  }

  /** TestDNSAnswer: the answer from one zone's name servers, whether or not a more specific zone exists. */
  answerFromZone(zoneId: string, name: string, type: string, options: AnswerOptions = {}): DnsAnswer & { nameserver: string } {
    const zone = this.zone(zoneId);
    const qname = normalizeName(name);
    const nameserver = zone.nameServers[0] ?? 'ns-0.awsdns-00.com';
    if (!isWithin(qname, zone.name)) return { rcode: 'REFUSED', name: qname, type, records: [], ttlSeconds: 0, zoneId: zone.id, nameserver };
    return { ...this.answerInZone(zone, qname, type, options), nameserver };
  }

  private authoritativeZone(qname: string, clientRegion: string | undefined): HostedZone | undefined {
    let best: HostedZone | undefined;
    for (const zone of this.allZones()) {
      if (!isWithin(qname, zone.name)) continue;
      if (zone.privateZone && !zone.vpcs.some((v) => v.region === clientRegion)) continue;
      if (!best || zone.name.length > best.name.length || (zone.name.length === best.name.length && zone.privateZone && !best.privateZone)) {
        best = zone;
      }
    }
    return best;
  }

  private answerInZone(zone: HostedZone, qname: string, type: string, options: AnswerOptions, depth = 0): DnsAnswer {
    const rng = options.rng ?? this.dnsRng;
    const published = [...zone.published.values()];
    let owner = qname;
    let atName = published.filter((r) => r.name === owner);
    if (atName.length === 0) {
      // Nothing at the name: a wildcard one level up may cover it, unless the name has records below it.
      const below = published.some((r) => r.name.endsWith(`.${qname}`));
      const wildcard = below ? undefined : wildcardFor(qname);
      const matches = wildcard && isWithin(wildcard, zone.name) ? published.filter((r) => r.name === wildcard) : [];
      if (matches.length === 0) {
        return { rcode: below ? 'NOERROR' : 'NXDOMAIN', name: qname, type, records: [], ttlSeconds: NEGATIVE_TTL, zoneId: zone.id };
      }
      owner = wildcard!;
      atName = matches;
    }
    const cname = atName.filter((r) => r.type === 'CNAME');
    const candidates = type !== 'CNAME' && cname.length > 0 ? cname : atName.filter((r) => r.type === type);
    if (candidates.length === 0) return { rcode: 'NOERROR', name: qname, type, records: [], ttlSeconds: NEGATIVE_TTL, zoneId: zone.id };
    const chosen = this.route(candidates, rng, options, depth);
    const first = chosen[0]!;
    const answered = { rcode: 'NOERROR' as const, name: qname, type, zoneId: zone.id };
    const recordSet = {
      name: owner,
      type: first.type,
      ...(first.setIdentifier !== undefined ? { setIdentifier: first.setIdentifier } : {}),
      ...(first.failover !== undefined ? { failover: first.failover } : {}),
    };
    if (first.aliasTarget) {
      const target = first.aliasTarget;
      const targetZone = this.zones.get(target.hostedZoneId);
      if (!targetZone || depth >= 8) {
        // An alias to another service's endpoint: answer with its name for the resolver to follow.
        return { ...answered, records: [{ type: 'CNAME', value: target.dnsName }], ttlSeconds: 60, recordSet };
      }
      const inner = this.answerInZone(targetZone, target.dnsName, first.type === 'CNAME' ? 'CNAME' : type, options, depth + 1);
      return { ...inner, name: qname, type, recordSet };
    }
    const records = chosen.flatMap((r) => r.values.map((value) => ({ type: r.type, value })));
    return { ...answered, records, ttlSeconds: first.ttl ?? 0, recordSet };
  }

  /** Pick among record sets of one name and type by their routing policy and health. */
  private route(candidates: RecordSet[], rng: Rng, options: AnswerOptions, depth: number): RecordSet[] {
    if (candidates.length === 1 && candidates[0]!.setIdentifier === undefined) return candidates;
    const sorted = [...candidates].sort((a, b) => ((a.setIdentifier ?? '') < (b.setIdentifier ?? '') ? -1 : 1));
    const health = new Map(sorted.map((r) => [r, this.isRecordHealthy(r, depth)]));
    // When every record is unhealthy Route 53 treats them all as healthy.
    const healthy = sorted.filter((r) => health.get(r));
    const pool = healthy.length > 0 ? healthy : sorted;
    const policy = routingPolicy(sorted[0]!);
    if (policy === 'failover') {
      const primary = sorted.find((r) => r.failover === 'PRIMARY');
      const secondary = sorted.find((r) => r.failover === 'SECONDARY');
      if (primary && health.get(primary)) return [primary];
      if (secondary && health.get(secondary)) return [secondary];
      return [primary ?? secondary!];
    }
    if (policy === 'weighted') {
      const weighted = pool.filter((r) => (r.weight ?? 0) > 0);
      const choices = weighted.length > 0 ? weighted : pool;
      const total = choices.reduce((sum, r) => sum + (weighted.length > 0 ? r.weight! : 1), 0);
      let draw = rng.next() * total;
      for (const r of choices) {
        draw -= weighted.length > 0 ? r.weight! : 1;
        if (draw < 0) return [r];
      }
      return [choices[choices.length - 1]!];
    }
    if (policy === 'latency') {
      const near = options.clientRegion ? pool.find((r) => r.region === options.clientRegion) : undefined;
      return [near ?? pool[0]!];
    }
    if (policy === 'multivalue answer') return pool.slice(0, 8);
    if (policy === 'geolocation') {
      return [pool.find((r) => r.geoLocation?.countryCode === '*') ?? pool[0]!];
    }
    return [pool[0]!];
  }

  /** A record's health for routing: its health check, and its alias target's health when it evaluates it. */
  isRecordHealthy(record: RecordSet, depth = 0): boolean {
    if (record.healthCheckId !== undefined && !this.healthChecks.isHealthy(record.healthCheckId)) return false;
    const target = record.aliasTarget;
    if (!target || !target.evaluateTargetHealth || depth >= 8) return true;
    const zone = this.zones.get(target.hostedZoneId);
    if (!zone) return true;
    const targets = [...zone.published.values()].filter((r) => r.name === target.dnsName && (r.type === record.type || r.type === 'CNAME'));
    // An alias target is healthy when at least one of its record sets is.
    return targets.length === 0 ? false : targets.some((r) => this.isRecordHealthy(r, depth + 1));
  }
}

function cloneRecord(record: RecordSet): RecordSet {
  return {
    ...record,
    values: [...record.values],
    ...(record.aliasTarget ? { aliasTarget: { ...record.aliasTarget } } : {}),
    ...(record.geoLocation ? { geoLocation: { ...record.geoLocation } } : {}),
  };
}

/** DELETE must name the record set exactly as it is. */
function sameRecord(a: RecordSet, b: RecordSet): boolean {
  const norm = (r: RecordSet) =>
    JSON.stringify({
      ttl: r.ttl,
      values: [...r.values].sort(),
      weight: r.weight,
      region: r.region,
      failover: r.failover,
      multiValueAnswer: r.multiValueAnswer,
      geo: r.geoLocation,
      alias: r.aliasTarget,
      hc: r.healthCheckId,
    });
  return norm(a) === norm(b);
}

function compareRecords(a: RecordSet, b: RecordSet): number {
  const byName = compareNames(a.name, b.name);
  if (byName !== 0) return byName;
  if (a.type !== b.type) return a.type < b.type ? -1 : 1;
  const ia = a.setIdentifier ?? '';
  const ib = b.setIdentifier ?? '';
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}
