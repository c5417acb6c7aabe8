import { isIP } from 'node:net';
import type { FisActionDefinition, Rng, ServiceModule, SimWorld, TargetableResource } from '../types.js';
import { DatabaseUnavailableError, type RdsModule } from '../services/rds/index.js';
import { normalizeName } from '../services/route53/names.js';
import type { EndpointHost, EndpointProbe, HealthCheckTarget } from '../services/route53/types.js';
import { DnsResolver, type DnsSource } from './dns.js';
import { createLoadBalancerBinding, type LoadBalancerHost, type LoadBalancerView } from './load-balancers.js';
import { ZONAL_SHIFT_RESOURCE, zonalAutoshiftAction } from './zonal-shift.js';
import type {
  AppClient,
  AppRequest,
  AppResponse,
  Capacity,
  DatabaseRef,
  Fleet,
  ZonalShift,
  HealthReason,
  OrdersService,
  OrdersServiceSpec,
  ServiceHealth,
  StandbyMode,
} from './types.js';

/**
 * SecureCart's orders API as the sim runs it: per region an orders service
 * (or several, such as orders and checkout, each with its own database)
 * behind a public address and an internal endpoint name, healthy while its
 * region is up, its load balancer reachable (not every one of its subnets
 * cut off), it has running capacity and its database takes writes.
 * Clients reach it through their own caching DNS resolver (so DNS failover
 * reaches them only when their cached answer expires), with request latency
 * spent on the virtual clock. Route 53's health checkers probe it too.
 */

const DEFAULT_FULL = 4;
const DEFAULT_TIMEOUT_MS = 3000;
const DEFAULT_PORTS = [80, 443];

type Json = Record<string, unknown>;

/** The capacity a standby mode keeps running out of a full fleet. */
export function standbyCapacity(mode: StandbyMode, full = DEFAULT_FULL): Capacity {
  switch (mode) {
    case 'pilot-light':
      return { running: 0, desired: 0, full };
    case 'warm-standby': {
      const reduced = Math.max(1, Math.floor(full / 4));
      return { running: reduced, desired: reduced, full };
    }
    case 'active-active':
      return { running: full, desired: full, full };
  }
}

function capacityOf(spec: OrdersServiceSpec['capacity']): Capacity {
  if (spec === undefined) return standbyCapacity('active-active');
  if (typeof spec === 'string') return standbyCapacity(spec);
  const full = spec.full ?? DEFAULT_FULL;
  const running = spec.running ?? full;
  const capacity = { running, desired: spec.desired ?? running, full };
  if (![capacity.running, capacity.desired, capacity.full].every((n) => Number.isInteger(n) && n >= 0) || capacity.running > capacity.full) {
    throw new RangeError(`capacity ${JSON.stringify(capacity)} must be whole numbers with running ≤ full`);
  }
  return capacity;
}

const refusalReason: Record<DatabaseUnavailableError['reason'], HealthReason> = {
  'not-found': 'database-not-found',
  'region-down': 'database-unreachable',
  'subnet-down': 'database-unreachable',
  'zone-down': 'database-unreachable',
  unavailable: 'database-unavailable',
  'read-only': 'database-read-only',
};

/** Where a canary's order lives in the database: one row per (canary, sequence number). */
const canaryKey = (canary: string, seq: number): string => `canary/${canary}/${seq}`;
const CANARY_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A POST body that is a canary's order (`{canary, seq}`), checked; undefined for any other order. */
function canaryOrder(order: Json): { canary: string; seq: number } | { error: string } | undefined {
  if (!('canary' in order)) return undefined;
  const { canary, seq } = order;
  if (typeof canary !== 'string' || !CANARY_ID.test(canary)) return { error: 'canary must be 1 to 128 letters, digits, ".", "_", ":" or "-"' };
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return { error: 'seq must be a whole number ≥ 1' };
  return { canary, seq };
}

function canaryParameter(query: URLSearchParams): { id: string } | { error: string } {
  const id = query.get('canary');
  if (id === null || !CANARY_ID.test(id)) return { error: 'give canary=ID (1 to 128 letters, digits, ".", "_", ":" or "-")' };
  return { id };
}

/** The canary's sequence numbers whose latest row is not a deletion, ascending. */
function survivingSeqs(rows: readonly { key: string; value?: string }[], canary: string): number[] {
  const prefix = canaryKey(canary, 0).slice(0, -1);
  const present = new Map<number, boolean>();
  for (const row of rows) {
    if (!row.key.startsWith(prefix)) continue;
    const seq = Number(row.key.slice(prefix.length));
    if (Number.isSafeInteger(seq)) present.set(seq, row.value !== undefined);
  }
  return [...present].filter(([, live]) => live).map(([seq]) => seq).sort((a, b) => a - b);
}

export class AppModule implements ServiceModule, EndpointHost, LoadBalancerHost {
  readonly name = 'app';
  readonly fisActions: FisActionDefinition[] = [zonalAutoshiftAction(this)];
  /** ELBv2's read calls for the services' load balancers (what ARC's zonal shift manages). */
  readonly binding = createLoadBalancerBinding(this);
  /** By endpoint: a region may run several services (orders, checkout), each behind its own name. */
  private readonly byEndpoint = new Map<string, OrdersService>();
  private readonly lastHealth = new Map<OrdersService, ServiceHealth>();
  private readonly clients = new Map<string, AppClient>();
  private healthCheckQueued = false;
  /** Weighted answers for Route 53's health checkers, who resolve names afresh for every check. */
  private readonly checkerDns: Rng;
  /** Weighted answers for clients on the internet (`gameday sim serve`), forked when the first one asks. */
  private internetDns: Rng | undefined;

  constructor(private readonly world: SimWorld) {
    this.checkerDns = world.rng.fork('app:health-checker-dns');
    // The true instant a service goes down or comes back is ground truth; health
    // changes follow other models' events, so look again whenever one is emitted.
    world.onEvent((event) => {
      if (event.kind !== 'app.health') this.queueHealthCheck();
    });
  }

  // ── Services ─────────────────────────────────────────────────────────────

  /** An orders service in steady state at t = 0; a region may run several, each its own service name and endpoint. */
  seedOrdersService(spec: OrdersServiceSpec): OrdersService {
    const name = spec.service ?? 'orders-api';
    const neighbours = this.services().filter((s) => s.region === spec.region);
    if (neighbours.some((s) => s.service === name)) throw new Error(`the orders service ${name} already runs in ${spec.region}`);
    // The region's first service keeps the stream it had when a region ran one service, so a
    // second service added to an environment leaves the first's address and draws as they were.
    const rng = this.world.rng.fork(neighbours.length === 0 ? `app:orders:${spec.region}` : `app:orders:${spec.region}:${name}`);
    const endpoint = (spec.endpoint ?? `orders.${spec.region}.securecart.internal`).toLowerCase().replace(/\.$/, '');
    const ipAddress = spec.ipAddress ?? this.newAddress(rng);
    if (this.services().some((s) => s.ipAddress === ipAddress || s.endpoint === endpoint)) {
      throw new Error(`orders service in ${spec.region}: address ${ipAddress} or endpoint ${endpoint} is taken`);
    }
    const service: OrdersService = {
      region: spec.region,
      service: name,
      endpoint,
      ipAddress,
      ports: spec.ports ?? DEFAULT_PORTS,
      healthPath: spec.healthPath ?? '/health',
      database: { ...spec.database },
      capacity: capacityOf(spec.capacity),
      zonalShifts: [],
      loadBalancerArn: `arn:aws:elasticloadbalancing:${spec.region}:${this.world.accountId}:loadbalancer/app/${name.slice(0, 24)}/${rng.fork('load-balancer').alnum(16, '0123456789abcdef')}`,
      createdAt: this.world.clock.now(),
      rng,
      orders: 0,
    };
    this.byEndpoint.set(endpoint, service);
    this.lastHealth.set(service, this.healthOfService(service));
    this.world.emit('app.service.seeded', {
      region: service.region,
      service: service.service,
      endpoint,
      ipAddress,
      database: { ...service.database },
      capacity: { ...service.capacity },
      healthy: this.lastHealth.get(service)!.healthy,
    });
    return service;
  }

  /**
   * The orders service `name` runs in `region`; without a name, the region's
   * only one (a region that runs several needs the name: which one would be a guess).
   */
  service(region: string, name?: string): OrdersService {
    const found = this.services().filter((s) => s.region === region && (name === undefined || s.service === name));
    if (found.length === 1) return found[0]!;
    if (found.length === 0) throw new Error(`no orders service${name === undefined ? '' : ` ${name}`} in ${region}`);
    throw new Error(`${found.length} orders services run in ${region} (${found.map((s) => s.service).join(', ')}): name one`);
  }

  services(): OrdersService[] {
    return [...this.byEndpoint.values()];
  }

  private newAddress(rng: Rng): string {
    for (;;) {
      // 52.0.0.0/8 is AWS's public space: Route 53 health checks accept only public addresses.
      const address = `52.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
      if (!this.services().some((s) => s.ipAddress === address)) return address;
    }
  }

  /** Each service's load balancer, with its nodes' zones (the zones of the subnets it has nodes in) and its tags. */
  loadBalancers(region: string): LoadBalancerView[] {
    return this.services()
      .filter((s) => s.region === region)
      .map((service) => ({ service, zones: this.loadBalancerNodes(service), tags: { ...this.tagsOf(service) } }));
  }

  /**
   * The subnets the service's load balancer has its nodes in, and their
   * zones: every subnet the network declares in its region (an
   * internet-facing load balancer spans the VPC's zones), read through the
   * generic `targetable`, as RDS finds its subnets, so the app does not
   * depend on the network module.
   */
  private loadBalancerNodes(service: OrdersService): LoadBalancerView['zones'] {
    const nodes: LoadBalancerView['zones'] = [];
    for (const module of this.world.modules()) {
      for (const resource of module.targetable?.('aws:ec2:subnet', service.region) ?? []) {
        const { SubnetId, AvailabilityZone, VpcId } = resource as { SubnetId?: unknown; AvailabilityZone?: unknown; VpcId?: unknown };
        if (typeof SubnetId === 'string' && typeof AvailabilityZone === 'string') {
          nodes.push({ zone: AvailabilityZone, subnetId: SubnetId, ...(typeof VpcId === 'string' ? { vpcId: VpcId } : {}) });
        }
      }
    }
    return nodes;
  }

  /**
   * Nothing reaches the load balancer: every subnet it has a node in is cut
   * off. One reachable subnet is enough (a zone's outage leaves the others
   * serving); a region whose network declares no subnets is never isolated.
   */
  private isolated(service: OrdersService): boolean {
    const nodes = this.loadBalancerNodes(service);
    return nodes.length > 0 && nodes.every((n) => !this.world.faults.isSubnetUp(n.subnetId));
  }

  /** Whether the regional service would answer /health with 200 now, and if not, why. */
  healthOf(region: string, name?: string): ServiceHealth {
    return this.healthOfService(this.service(region, name));
  }

  private healthOfService(service: OrdersService): ServiceHealth {
    const region = service.region;
    if (!this.world.faults.isRegionUp(region)) return { healthy: false, reason: 'region-down', detail: `region ${region} is down` };
    if (this.isolated(service)) return { healthy: false, reason: 'network-isolated', detail: `every subnet of the load balancer in ${region} is cut off` };
    if (this.running(service) === 0) {
      const { launching } = this.capacityOfService(service);
      const shifted = service.zonalShifts.length > 0 ? ` (traffic shifted away from ${service.zonalShifts.map((s) => s.zone).join(', ')})` : '';
      return { healthy: false, reason: 'no-capacity', detail: `no running instances in ${region}${shifted}${launching > 0 ? `; ${launching} launching` : ''}` };
    }
    const problem = this.databaseProblem(service);
    return problem ?? { healthy: true };
  }

  private databaseProblem(service: OrdersService): ServiceHealth | undefined {
    const db = service.database;
    const where = `${db.id} (${db.region})`;
    if (db.region !== service.region && !this.world.faults.isLinkUp(service.region, db.region)) {
      return { healthy: false, reason: 'database-unreachable', detail: `${where} is unreachable from ${service.region}` };
    }
    const rds = this.rds();
    if (!rds) return { healthy: false, reason: 'database-not-found', detail: `${where}: there is no RDS in this simulation` };
    const refusal = rds.model.whyNotWritable(db.region, db.id);
    return refusal ? { healthy: false, reason: refusalReason[refusal.reason], detail: refusal.message } : undefined;
  }

  private rds(): RdsModule | undefined {
    return this.world.findModule('rds');
  }

  /**
   * The region's instances from now on are its Auto Scaling group's: the
   * service serves from those in service and running, in zones traffic is
   * not shifted away from.
   */
  attachFleet(region: string, fleet: Fleet, name?: string): void {
    const service = this.service(region, name);
    if (service.fleet) throw new Error(`the orders service ${service.service} in ${region} already serves from a fleet`);
    service.fleet = fleet;
    this.queueHealthCheck();
  }

  /** Instances serving, launching and wanted in the region, and a full fleet. */
  capacityOf(region: string, name?: string): { running: number; launching: number; desired: number; full: number } {
    return this.capacityOfService(this.service(region, name));
  }

  private capacityOfService(service: OrdersService): { running: number; launching: number; desired: number; full: number } {
    if (!service.fleet) return { running: service.capacity.running, launching: Math.max(0, service.capacity.desired - service.capacity.running), desired: service.capacity.desired, full: service.capacity.full };
    const state = service.fleet.state();
    return { running: this.running(service), launching: state.launching, desired: state.desired, full: service.capacity.full };
  }

  /** Instances that take traffic: the fleet's serving ones outside shifted zones (all of them for a fleet without zones). */
  private running(service: OrdersService): number {
    if (!service.fleet) return service.capacity.running;
    const { servingByZone } = service.fleet.state();
    const shifted = new Set(service.zonalShifts.map((s) => s.zone));
    let running = 0;
    for (const [zone, count] of Object.entries(servingByZone)) if (!shifted.has(zone)) running += count;
    return running;
  }

  // ── Zonal shifts (ARC) ───────────────────────────────────────────────────

  /** The load balancers as FIS targets them (`aws:arc:zonal-shift-managed-resource`). */
  targetable(type: string, region: string): TargetableResource[] {
    if (type !== ZONAL_SHIFT_RESOURCE) return [];
    return this.zonalShiftResources(region).map((r) => ({ arn: r.arn, type, region, tags: r.tags, ResourceName: r.service }));
  }

  /** The load balancers in front of the orders services, as ARC's zonal shift manages them (FIS targets). */
  zonalShiftResources(region: string): { arn: string; region: string; service: string; tags: Record<string, string> }[] {
    return this.services()
      .filter((s) => s.region === region)
      .map((s) => ({ arn: s.loadBalancerArn, region, service: s.service, tags: { ...this.tagsOf(s) } }));
  }

  private readonly serviceTags = new Map<OrdersService, Record<string, string>>();

  /** Tags of a service's load balancer (the environment's orders-api tags). */
  tagsOf(service: OrdersService): Record<string, string> {
    return this.serviceTags.get(service) ?? {};
  }

  setTags(region: string, tags: Record<string, string>, name?: string): void {
    this.serviceTags.set(this.service(region, name), { ...tags });
  }

  /** Move traffic away from `zone` until `endsAt`: the load balancer stops sending requests there. */
  startZonalShift(loadBalancerArn: string, zone: string, endsAt: number, id: string): ZonalShift {
    const service = this.services().find((s) => s.loadBalancerArn === loadBalancerArn);
    if (!service) throw new Error(`no load balancer ${loadBalancerArn}`);
    if (!zone.startsWith(service.region)) throw new Error(`${zone} is not an Availability Zone of ${service.region}`);
    const shift: ZonalShift = { id, zone, endsAt };
    service.zonalShifts.push(shift);
    this.world.emit('app.zonal-shift.started', { region: service.region, service: service.service, zone, id, endsAt });
    return shift;
  }

  endZonalShift(id: string): void {
    for (const service of this.services()) {
      const at = service.zonalShifts.findIndex((s) => s.id === id);
      if (at < 0) continue;
      const [shift] = service.zonalShifts.splice(at, 1);
      this.world.emit('app.zonal-shift.ended', { region: service.region, service: service.service, zone: shift!.zone, id });
    }
  }

  /** Point the region's writes at another database (after a replica is promoted, say). */
  setDatabase(region: string, ref: DatabaseRef, name?: string): void {
    const service = this.service(region, name);
    const previous = service.database;
    service.database = { ...ref };
    this.world.emit('app.database.repointed', { region, service: service.service, from: { ...previous }, to: { ...ref } });
  }

  // ── Health as ground truth ───────────────────────────────────────────────

  /** Look at every service again once the current instant's work is done (events arrive mid-change). */
  private queueHealthCheck(): void {
    if (this.healthCheckQueued || this.byEndpoint.size === 0) return;
    this.healthCheckQueued = true;
    this.world.clock.schedule(this.world.clock.now(), () => {
      this.healthCheckQueued = false;
      this.checkHealth();
    }, 'app: health');
  }

  /** Emit `app.health` for each service whose health changed since last seen. */
  checkHealth(): void {
    for (const service of this.services()) {
      const health = this.healthOfService(service);
      const last = this.lastHealth.get(service);
      if (last && last.healthy === health.healthy && last.reason === health.reason) continue;
      this.lastHealth.set(service, health);
      this.world.emit('app.health', { region: service.region, service: service.service, ...health });
    }
  }

  // ── Clients ──────────────────────────────────────────────────────────────

  /** A client with its own DNS cache and random stream. */
  createClient(name: string, options: { region?: string; timeoutMs?: number } = {}): AppClient {
    const rng = this.world.rng.fork(`app:client:${name}`);
    const resolver = new DnsResolver({
      clock: this.world.clock,
      source: () => this.dnsSource(),
      localHosts: (host) => this.localHosts(host),
      rng: this.world.rng.fork(`app:client:${name}:dns`),
      ...(options.region ? { clientRegion: options.region } : {}),
    });
    const client: AppClient = { name, ...(options.region ? { region: options.region } : {}), resolver, rng, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS };
    this.clients.set(name, client);
    return client;
  }

  /** The client last created under `name` (its DNS cache's history is ground truth for what it saw). */
  client(name: string): AppClient | undefined {
    return this.clients.get(name);
  }

  private dnsSource(): DnsSource | undefined {
    const route53 = this.world.findModule('route53');
    return route53?.model;
  }

  /** The regional endpoint names, as the VPC's own DNS would answer them. */
  localHosts(name: string): string[] | undefined {
    const bare = normalizeName(name).slice(0, -1);
    const service = this.services().find((s) => s.endpoint === bare);
    return service ? [service.ipAddress] : undefined;
  }

  private serviceAt(address: string): OrdersService | undefined {
    return this.services().find((s) => s.ipAddress === address);
  }

  private reachable(service: OrdersService, clientRegion: string | undefined): boolean {
    const faults = this.world.faults;
    if (!faults.isRegionUp(service.region) || this.isolated(service)) return false;
    return clientRegion === undefined || faults.isLinkUp(clientRegion, service.region);
  }

  /**
   * A fetch-like request: the URL's host through the client's DNS resolver,
   * the address to a regional service, latency on the clock. No response
   * (DNS failure, unreachable region) comes back as status 0 with an error
   * kind, never as a throw.
   */
  async request(client: AppClient, request: AppRequest): Promise<AppResponse> {
    const clock = this.world.clock;
    const started = clock.now();
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return { status: 0, error: 'invalid-url', message: `${request.url} is not a URL`, latencyMs: 0 };
    }
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    let address = host;
    let canonicalName: string | undefined;
    if (!isIP(host)) {
      const resolution = client.resolver.resolve(host);
      if (!resolution.ok) return { status: 0, error: 'dns', message: `${host}: ${resolution.rcode}`, latencyMs: 0 };
      address = resolution.addresses.length === 1 ? resolution.addresses[0]! : client.rng.pick(resolution.addresses);
      canonicalName = resolution.canonicalName;
    }
    const resolved = { host, address, ...(canonicalName ? { canonicalName } : {}) };
    const giveUp = async (message: string): Promise<AppResponse> => {
      await clock.sleep(Math.max(0, started + client.timeoutMs - clock.now()), `${client.name}: waiting for ${host}`);
      return { status: 0, error: 'timeout', message, latencyMs: clock.now() - started, resolved };
    };
    const service = this.serviceAt(address);
    if (!service) return giveUp(`${address}:${port} does not answer`);
    if (!this.reachable(service, client.region)) return giveUp(`${address}:${port} (${service.region}) is unreachable`);
    const latency = this.world.duration('app.request.latency', client.rng);
    const outbound = Math.floor(latency / 2);
    await clock.sleep(outbound, `${client.name}: ${request.method} ${url.pathname}`);
    // The region may have gone down while the request was on its way.
    if (!this.reachable(service, client.region)) return giveUp(`${address}:${port} (${service.region}) stopped answering`);
    if (!service.ports.includes(port)) {
      await clock.sleep(latency - outbound, `${client.name}: connection refused`);
      return { status: 0, error: 'refused', message: `${address}:${port} refused the connection`, latencyMs: clock.now() - started, resolved };
    }
    const { status, body } = this.serve(service, request.method, url.pathname, request.body, url.searchParams);
    await clock.sleep(latency - outbound, `${client.name}: ${request.method} ${url.pathname} response`);
    return { status, body, servedBy: service.region, latencyMs: clock.now() - started, resolved };
  }

  /** The orders service's own routes, answered at the instant the request arrives. */
  private serve(
    service: OrdersService,
    method: string,
    path: string,
    body: AppRequest['body'],
    query: URLSearchParams = new URLSearchParams(),
  ): { status: number; body: Json } {
    const verb = method.toUpperCase();
    const base = { region: service.region, service: service.service };
    if (path === service.healthPath) {
      if (verb !== 'GET' && verb !== 'HEAD') return { status: 405, body: { ...base, error: 'method-not-allowed' } };
      const health = this.healthOfService(service);
      return health.healthy
        ? { status: 200, body: { ...base, status: 'healthy', database: { ...service.database } } }
        : { status: 503, body: { ...base, status: 'unhealthy', reason: health.reason, detail: health.detail } };
    }
    if (path === '/orders') {
      if (verb === 'POST') return this.writeOrder(service, body);
      if (verb === 'GET') return this.canaryOrders(service, query);
      // Only a canary's orders may be deleted; the collection as a whole takes no DELETE.
      if (verb === 'DELETE' && query.has('canary')) return this.deleteCanaryOrders(service, query);
      return { status: 405, body: { ...base, error: 'method-not-allowed' } };
    }
    if (path === '/') return { status: 200, body: { ...base } };
    return { status: 404, body: { ...base, error: 'not-found' } };
  }

  private writeOrder(service: OrdersService, raw: AppRequest['body']): { status: number; body: Json } {
    const base = { region: service.region, service: service.service };
    let order: Json;
    try {
      order = typeof raw === 'string' ? (JSON.parse(raw) as Json) : (raw ?? {});
    } catch {
      return { status: 400, body: { ...base, error: 'bad-request', detail: 'the body is not JSON' } };
    }
    if (typeof order !== 'object' || order === null || Array.isArray(order)) {
      return { status: 400, body: { ...base, error: 'bad-request', detail: 'the body must be a JSON object' } };
    }
    if (this.running(service) === 0) {
      return { status: 503, body: { ...base, error: 'no-capacity', detail: `no running instances in ${service.region}` } };
    }
    const unreachable = this.databaseProblem(service);
    if (unreachable?.reason === 'database-unreachable' || unreachable?.reason === 'database-not-found') {
      return { status: 503, body: { ...base, error: unreachable.reason, detail: unreachable.detail } };
    }
    const rds = this.rds()!;
    const canary = canaryOrder(order);
    if (canary && 'error' in canary) return { status: 400, body: { ...base, error: 'bad-request', detail: canary.error } };
    const key = canary
      ? canaryKey(canary.canary, canary.seq)
      : typeof order['orderId'] === 'string'
        ? order['orderId']
        : typeof order['key'] === 'string'
          ? order['key']
          : `order-${service.region}-${++service.orders}`;
    const value = typeof order['value'] === 'string' ? order['value'] : JSON.stringify(order);
    const db = service.database;
    try {
      const record = rds.model.write(db.region, db.id, { key, value });
      return {
        status: 201,
        body: { ...base, orderId: key, seq: record.seq, committedAt: new Date(record.committedAt).toISOString(), database: { ...db } },
      };
    } catch (error) {
      if (error instanceof DatabaseUnavailableError) {
        return { status: 503, body: { ...base, error: refusalReason[error.reason], detail: error.message } };
      }
      throw error;
    }
  }

  /** GET /orders?canary=ID: the canary's orders the service's database holds now (README, "Canary endpoint contract"). */
  private canaryOrders(service: OrdersService, query: URLSearchParams): { status: number; body: Json } {
    const base = { region: service.region, service: service.service };
    const canary = canaryParameter(query);
    if ('error' in canary) return { status: 400, body: { ...base, error: 'bad-request', detail: canary.error } };
    const refused = this.unreadable(service);
    if (refused) return refused;
    const db = service.database;
    return { status: 200, body: { ...base, canary: canary.id, seqs: survivingSeqs(this.rds()!.model.writesOf(db.region, db.id), canary.id) } };
  }

  /** DELETE /orders?canary=ID&newest=N: delete the canary's N newest orders, as a mistaken batch job would. */
  private deleteCanaryOrders(service: OrdersService, query: URLSearchParams): { status: number; body: Json } {
    const base = { region: service.region, service: service.service };
    const canary = canaryParameter(query);
    if ('error' in canary) return { status: 400, body: { ...base, error: 'bad-request', detail: canary.error } };
    const newest = Number(query.get('newest'));
    if (!Number.isSafeInteger(newest) || newest < 1) {
      return { status: 400, body: { ...base, error: 'bad-request', detail: 'newest must be a whole number ≥ 1' } };
    }
    const refused = this.unreadable(service);
    if (refused) return refused;
    const db = service.database;
    const rds = this.rds()!;
    const doomed = survivingSeqs(rds.model.writesOf(db.region, db.id), canary.id).slice(-newest);
    try {
      // A deletion is a write: a record without a value (a tombstone), replicated like any other.
      for (const seq of doomed) rds.model.write(db.region, db.id, { key: canaryKey(canary.id, seq) });
    } catch (error) {
      if (error instanceof DatabaseUnavailableError) {
        return { status: 503, body: { ...base, error: refusalReason[error.reason], detail: error.message } };
      }
      throw error;
    }
    return { status: 200, body: { ...base, canary: canary.id, seqs: doomed } };
  }

  /** Why the service cannot read its database now (no instances, the database out of reach), as its 503. */
  private unreadable(service: OrdersService): { status: number; body: Json } | undefined {
    const base = { region: service.region, service: service.service };
    if (this.running(service) === 0) {
      return { status: 503, body: { ...base, error: 'no-capacity', detail: `no running instances in ${service.region}` } };
    }
    const db = service.database;
    const where = `${db.id} (${db.region})`;
    if (db.region !== service.region && !this.world.faults.isLinkUp(service.region, db.region)) {
      return { status: 503, body: { ...base, error: 'database-unreachable', detail: `${where} is unreachable from ${service.region}` } };
    }
    const rds = this.rds();
    if (!rds) return { status: 503, body: { ...base, error: 'database-not-found', detail: `${where}: there is no RDS in this simulation` } };
    // Reads need a reachable database, not a writable one: a read replica answers them.
    if (!rds.model.isReachable(db.region, db.id)) {
      const why = rds.model.whyNotWritable(db.region, db.id);
      return { status: 503, body: { ...base, error: why ? refusalReason[why.reason] : 'database-unreachable', detail: why?.message ?? `${where} does not answer` } };
    }
    return undefined;
  }

  // ── Clients on the internet (`gameday sim serve`) ────────────────────────

  /**
   * A request that reached `gameday sim serve` for one of the orders
   * service's names (its Host header): a regional endpoint, or a public name
   * resolved through Route 53 afresh, as a client on the internet would, with
   * no cache of its own. `undefined` when the host is none of the service's
   * (an AWS API request); `unreachable` when the service's region is down
   * or its load balancer's subnets are all cut off: the caller lets the
   * connection fail, as the service would not answer.
   */
  serveFromInternet(host: string, request: { method: string; path: string; query: URLSearchParams; body?: string }): { status: number; body: Json } | 'unreachable' | undefined {
    const name = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
    if (isIP(name) || !name.includes('.')) return undefined;
    let service = this.services().find((s) => s.endpoint === name);
    if (!service) {
      // Draws of its own: requests from outside must not shift what the sim's own clients and checkers draw.
      this.internetDns ??= this.world.rng.fork('app:internet-dns');
      const resolver = new DnsResolver({ clock: this.world.clock, source: () => this.dnsSource(), localHosts: (h) => this.localHosts(h), rng: this.internetDns });
      const resolution = resolver.resolve(name);
      if (!resolution.ok) return undefined;
      service = resolution.addresses.map((a) => this.serviceAt(a)).find((s) => s !== undefined);
    }
    if (!service) return undefined;
    if (!this.reachable(service, undefined)) return 'unreachable';
    return this.serve(service, request.method, request.path, request.body, request.query);
  }

  // ── Route 53's health checkers ───────────────────────────────────────────

  probeEndpoint(target: HealthCheckTarget, _from: { region: string }): EndpointProbe {
    let service: OrdersService | undefined;
    if (target.ipAddress !== undefined) {
      service = this.serviceAt(target.ipAddress);
    } else if (target.fullyQualifiedDomainName !== undefined) {
      // Checkers resolve the name afresh for every check, with no cache of their own.
      const resolver = new DnsResolver({
        clock: this.world.clock,
        source: () => this.dnsSource(),
        localHosts: (host) => this.localHosts(host),
        rng: this.checkerDns,
      });
      const resolution = resolver.resolve(target.fullyQualifiedDomainName);
      if (!resolution.ok) return { kind: 'dns-failure', rcode: resolution.rcode === 'SERVFAIL' ? 'SERVFAIL' : 'NXDOMAIN' };
      service = resolution.addresses.map((a) => this.serviceAt(a)).find((s) => s !== undefined);
    }
    // Checkers come from the internet: only the endpoint's own region and network matter.
    if (!service || !this.reachable(service, undefined)) return { kind: 'timeout' };
    if (!service.ports.includes(target.port)) return { kind: 'refused' };
    if (target.protocol === 'TCP') return { kind: 'connected' };
    const path = target.resourcePath.split('?')[0] ?? '/';
    const { status, body } = this.serve(service, 'GET', path, undefined);
    return { kind: 'response', status, body: JSON.stringify(body) };
  }
}

export function createAppModule(world: SimWorld): AppModule {
  return new AppModule(world);
}
