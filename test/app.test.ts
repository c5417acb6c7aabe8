import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { createAppModule, standbyCapacity, type AppModule, type OrdersServiceSpec } from '../src/sim/app/index.js';
import { longestSeconds } from '../src/sim/calibration.js';
import { createSimulator, type Simulator } from '../src/sim/index.js';
import { createRdsModule, type RdsModule } from '../src/sim/services/rds/index.js';
import { createRoute53Module, type Route53Module } from '../src/sim/services/route53/index.js';
import { createAutoScalingModule, type AutoScalingModule } from '../src/sim/services/autoscaling/index.js';
import { createEc2Module, type Ec2Module } from '../src/sim/services/ec2/index.js';
import { createNetworkModule, type NetworkModule } from '../src/sim/services/network/index.js';
import { SECOND, MINUTE } from './support/time.js';
import { START } from './support/sim.js';

interface World {
  clock: VirtualClock;
  sim: Simulator;
  app: AppModule;
  rds: RdsModule;
  route53: Route53Module;
}

/** SecureCart's databases: the primary in us-east-1, its cross-region read replica in us-west-2. */
function securecart(seed = 42): World {
  const clock = new VirtualClock({ start: START });
  const sim = createSimulator({ clock, seed, services: [createRdsModule, createRoute53Module, createEc2Module, createAppModule, createAutoScalingModule] });
  const rds = sim.world.module<RdsModule>('rds');
  rds.model.seedInstance({ identifier: 'orders-db', region: 'us-east-1', multiAZ: true });
  rds.model.seedReadReplica({ identifier: 'orders-db-replica', region: 'us-west-2', source: { identifier: 'orders-db', region: 'us-east-1' } });
  return { clock, sim, rds, app: sim.world.module<AppModule>('app'), route53: sim.world.module<Route53Module>('route53') };
}

const primaryDb = { engine: 'rds', region: 'us-east-1', id: 'orders-db' } as const;
const replicaDb = { engine: 'rds', region: 'us-west-2', id: 'orders-db-replica' } as const;

function east(w: World, extra: Partial<OrdersServiceSpec> = {}) {
  return w.app.seedOrdersService({ region: 'us-east-1', database: primaryDb, ...extra });
}

/** Run `fn` as an actor and let the clock drive itself until it settles. */
function run<T>(w: World, fn: () => Promise<T>): Promise<T> {
  return w.clock.run('test', fn);
}

const healthEvents = (w: World, region: string) =>
  w.sim.world.events.filter((e) => e.kind === 'app.health' && e.detail['region'] === region).map((e) => ({ at: e.at - START, healthy: e.detail['healthy'], reason: e.detail['reason'] }));

describe('orders service health', () => {
  it('is healthy with its region up, instances running and a writable database; writes land in RDS', async () => {
    const w = securecart();
    const service = east(w);
    expect(service).toMatchObject({ endpoint: 'orders.us-east-1.securecart.internal', ports: [80, 443], capacity: { running: 4, desired: 4, full: 4 } });
    expect(service.ipAddress).toMatch(/^52\.\d+\.\d+\.\d+$/);
    expect(w.app.healthOf('us-east-1')).toEqual({ healthy: true });
    const client = w.app.createClient('canary');
    const health = await run(w, () => w.app.request(client, { method: 'GET', url: `https://${service.ipAddress}/health` }));
    expect(health).toMatchObject({ status: 200, servedBy: 'us-east-1', body: { status: 'healthy', database: primaryDb } });
    const sentAt = w.clock.now();
    const written = await run(w, () => w.app.request(client, { method: 'POST', url: `https://${service.ipAddress}/orders`, body: { orderId: 'o-1', value: 'two widgets' } }));
    expect(written).toMatchObject({ status: 201, body: { orderId: 'o-1', seq: 1, database: primaryDb } });
    const rows = w.rds.model.writesOf('us-east-1', 'orders-db');
    expect(rows).toEqual([expect.objectContaining({ seq: 1, key: 'o-1', value: 'two widgets' })]);
    // Committed when the request arrived, half its latency in.
    expect(rows[0]!.committedAt - sentAt).toBe(Math.floor(written.latencyMs / 2));
    const generated = await run(w, () => w.app.request(client, { method: 'POST', url: `https://${service.ipAddress}/orders`, body: '{"qty":3}' }));
    expect(generated.body).toMatchObject({ orderId: 'order-us-east-1-1', seq: 2 });
  });

  it('spends the calibrated request latency on the virtual clock', async () => {
    const w = securecart();
    const service = east(w);
    const client = w.app.createClient('probe');
    const latency = w.sim.world.calibration['app.request.latency'];
    const { minSeconds } = latency;
    const maxSeconds = longestSeconds(latency);
    const latencies: number[] = [];
    await run(w, async () => {
      for (let i = 0; i < 40; i++) {
        const before = w.clock.now();
        const response = await w.app.request(client, { method: 'GET', url: `http://${service.ipAddress}/health` });
        expect(w.clock.now() - before).toBe(response.latencyMs);
        latencies.push(response.latencyMs);
      }
    });
    for (const ms of latencies) {
      expect(ms).toBeGreaterThanOrEqual(minSeconds * 1000);
      expect(ms).toBeLessThanOrEqual(maxSeconds * 1000);
    }
    expect(new Set(latencies).size).toBeGreaterThan(30);
  });

  it('is unhealthy while its database is a read replica: not writable until promoted', async () => {
    const w = securecart();
    w.app.seedOrdersService({ region: 'us-west-2', database: replicaDb, capacity: 'active-active' });
    expect(w.app.healthOf('us-west-2')).toMatchObject({ healthy: false, reason: 'database-read-only' });
    expect(w.app.healthOf('us-west-2').detail).toMatch(/read replica: it is read-only until promoted/);
    const client = w.app.createClient('canary');
    const west = w.app.service('us-west-2');
    const refused = await run(w, () => w.app.request(client, { method: 'POST', url: `https://${west.ipAddress}/orders`, body: { orderId: 'o-1' } }));
    expect(refused).toMatchObject({ status: 503, servedBy: 'us-west-2', body: { error: 'database-read-only' } });
    const health = await run(w, () => w.app.request(client, { method: 'GET', url: `https://${west.ipAddress}/health` }));
    expect(health).toMatchObject({ status: 503, body: { status: 'unhealthy', reason: 'database-read-only' } });

    w.rds.model.promoteReadReplica('us-west-2', { DBInstanceIdentifier: 'orders-db-replica' });
    // Promotion takes minutes; the replica stays read-only meanwhile.
    await w.clock.advance(MINUTE);
    expect(w.app.healthOf('us-west-2').healthy).toBe(false);
    await w.clock.advance(10 * MINUTE);
    expect(w.app.healthOf('us-west-2')).toEqual({ healthy: true });
    const promoted = w.sim.world.events.find((e) => e.kind === 'rds.replica.promoted')!;
    const rebooting = w.sim.world.events.find((e) => e.kind === 'rds.instance.status' && e.detail['status'] === 'rebooting')!;
    // Ground truth: down for another reason while the promotion reboots, back the instant it completes.
    expect(healthEvents(w, 'us-west-2')).toEqual([
      { at: rebooting.at - START, healthy: false, reason: 'database-unavailable' },
      { at: promoted.at - START, healthy: true, reason: undefined },
    ]);
  });

  it('repoints a region at the promoted replica after the primary region is lost', async () => {
    const w = securecart();
    east(w);
    // Warm standby in us-west-2 writes across regions to the primary until the failover.
    w.app.seedOrdersService({ region: 'us-west-2', database: primaryDb, capacity: 'warm-standby' });
    expect(w.app.healthOf('us-west-2')).toEqual({ healthy: true });
    const client = w.app.createClient('canary');
    const west = w.app.service('us-west-2');
    const before = await run(w, () => w.app.request(client, { method: 'POST', url: `https://${west.ipAddress}/orders`, body: { orderId: 'before' } }));
    expect(before).toMatchObject({ status: 201, body: { database: primaryDb } });

    await w.clock.advance(30 * SECOND);
    w.sim.world.faults.setRegionUp('us-east-1', false, 'test');
    await w.clock.advance(SECOND);
    expect(w.app.healthOf('us-east-1')).toMatchObject({ healthy: false, reason: 'region-down' });
    expect(w.app.healthOf('us-west-2')).toMatchObject({ healthy: false, reason: 'database-unreachable' });

    w.rds.model.promoteReadReplica('us-west-2', { DBInstanceIdentifier: 'orders-db-replica' });
    await w.clock.advance(10 * MINUTE);
    // Promoted, but the service still points at the lost primary.
    expect(w.app.healthOf('us-west-2')).toMatchObject({ healthy: false, reason: 'database-unreachable' });
    const repointedAt = w.clock.now();
    w.app.setDatabase('us-west-2', replicaDb);
    await w.clock.advance(0);
    expect(w.app.healthOf('us-west-2')).toEqual({ healthy: true });
    const after = await run(w, () => w.app.request(client, { method: 'POST', url: `https://${west.ipAddress}/orders`, body: { orderId: 'after' } }));
    expect(after).toMatchObject({ status: 201, body: { database: replicaDb } });
    const rows = w.rds.model.writesOf('us-west-2', 'orders-db-replica').map((r) => r.key);
    expect(rows).toContain('after');
    // The write before the outage replicated (1–5 s lag) before the region went down 30 s later.
    expect(rows).toContain('before');
    expect(healthEvents(w, 'us-west-2')).toEqual([
      { at: 30 * SECOND + Math.floor(before.latencyMs), healthy: false, reason: 'database-unreachable' },
      { at: repointedAt - START, healthy: true, reason: undefined },
    ]);
    const repointed = w.sim.world.events.find((e) => e.kind === 'app.database.repointed')!;
    expect(repointed.detail).toMatchObject({ region: 'us-west-2', from: primaryDb, to: replicaDb });
  });

  it('is unhealthy when the link to a database in another region is cut', async () => {
    const w = securecart();
    w.app.seedOrdersService({ region: 'us-west-2', database: primaryDb });
    w.sim.world.faults.setLinkUp('us-east-1', 'us-west-2', false, 'test');
    expect(w.app.healthOf('us-west-2')).toMatchObject({ healthy: false, reason: 'database-unreachable', detail: 'orders-db (us-east-1) is unreachable from us-west-2' });
  });

  it('is unhealthy while its Multi-AZ database fails over', async () => {
    const w = securecart();
    east(w);
    w.rds.model.rebootDBInstance('us-east-1', { DBInstanceIdentifier: 'orders-db', ForceFailover: true });
    expect(w.app.healthOf('us-east-1')).toMatchObject({ healthy: false, reason: 'database-unavailable' });
    await w.clock.advance(3 * MINUTE);
    expect(w.app.healthOf('us-east-1')).toEqual({ healthy: true });
    const done = w.sim.world.events.find((e) => e.kind === 'rds.failover.completed')!;
    expect(healthEvents(w, 'us-east-1').map((e) => e.healthy)).toEqual([false, true]);
    expect(healthEvents(w, 'us-east-1')[1]!.at).toBe(done.at - START);
  });

  it('runs several services in one region, each on its own endpoint and database, healthy or not on its own', async () => {
    const w = securecart();
    w.rds.model.seedCluster({ identifier: 'checkout', region: 'us-east-1', engine: 'aurora-postgresql' });
    const orders = east(w);
    const checkoutDb = { engine: 'rds', region: 'us-east-1', id: 'checkout' } as const;
    const checkout = w.app.seedOrdersService({ region: 'us-east-1', service: 'checkout-api', endpoint: 'checkout.us-east-1.securecart.internal', database: checkoutDb });
    // The region's first service draws what it drew when it ran alone.
    expect(orders.ipAddress).toBe(east(securecart()).ipAddress);
    expect(checkout.ipAddress).not.toBe(orders.ipAddress);
    expect(w.app.service('us-east-1', 'checkout-api')).toBe(checkout);
    expect(w.app.service('us-east-1', 'orders-api')).toBe(orders);
    expect(() => w.app.service('us-east-1')).toThrow('2 orders services run in us-east-1 (orders-api, checkout-api): name one');
    expect(() => w.app.seedOrdersService({ region: 'us-east-1', service: 'checkout-api', endpoint: 'other.securecart.internal', database: checkoutDb })).toThrow(
      'the orders service checkout-api already runs in us-east-1',
    );

    const order = (seq: number) =>
      w.app.serveFromInternet('checkout.us-east-1.securecart.internal', { method: 'POST', path: '/orders', query: new URLSearchParams(), body: JSON.stringify({ canary: 'c-1', seq }) });
    expect(order(1)).toMatchObject({ status: 201, body: { service: 'checkout-api', database: checkoutDb } });
    w.rds.model.failoverDBCluster('us-east-1', { DBClusterIdentifier: 'checkout' });
    expect(w.app.healthOf('us-east-1', 'checkout-api')).toMatchObject({ healthy: false, reason: 'database-unavailable' });
    expect(w.app.healthOf('us-east-1', 'orders-api')).toEqual({ healthy: true });
    expect(order(2)).toMatchObject({ status: 503, body: { service: 'checkout-api', error: 'database-unavailable' } });
    await w.clock.advance(2 * MINUTE);
    expect(w.app.healthOf('us-east-1', 'checkout-api')).toEqual({ healthy: true });
    expect(order(3)).toMatchObject({ status: 201 });

    // The checkout orders are the cluster's; orders-db took none of them.
    expect(w.rds.model.writesOf('us-east-1', 'checkout').map((r) => r.key)).toEqual(['canary/c-1/1', 'canary/c-1/3']);
    expect(w.rds.model.writesOf('us-east-1', 'orders-db')).toEqual([]);
    const health = w.sim.world.events.filter((e) => e.kind === 'app.health').map((e) => [e.detail['service'], e.detail['healthy']]);
    expect(health).toEqual([
      ['checkout-api', false],
      ['checkout-api', true],
    ]);
  });
});

describe('standby capacity', () => {
  it('keeps none for pilot light, a reduced fleet for warm standby, all of it for active-active', () => {
    expect(standbyCapacity('pilot-light')).toEqual({ running: 0, desired: 0, full: 4 });
    expect(standbyCapacity('warm-standby', 8)).toEqual({ running: 2, desired: 2, full: 8 });
    expect(standbyCapacity('active-active', 6)).toEqual({ running: 6, desired: 6, full: 6 });
  });

  it('serves from its Auto Scaling group once one is attached: a pilot light is unhealthy until the group has instances in service', async () => {
    const w = securecart();
    const service = w.app.seedOrdersService({ region: 'us-east-1', database: primaryDb, capacity: 'pilot-light' });
    expect(w.app.healthOf('us-east-1')).toMatchObject({ healthy: false, reason: 'no-capacity' });
    const client = w.app.createClient('canary');
    const refused = await run(w, () => w.app.request(client, { method: 'POST', url: `https://${service.ipAddress}/orders`, body: {} }));
    expect(refused).toMatchObject({ status: 503, body: { error: 'no-capacity' } });

    const autoscaling = w.sim.world.module<AutoScalingModule>('autoscaling').model;
    const group = autoscaling.seedGroup({ name: 'orders', region: 'us-east-1', desired: 0, maxSize: 4 });
    w.app.attachFleet('us-east-1', autoscaling.fleet(group));
    const started = w.clock.now();
    autoscaling.fleet(group).setDesired(4);
    const activity = group.activity!;
    expect(activity.kind).toBe('cold');
    const cold = w.sim.world.calibration['app.scale-up.cold'];
    expect(activity.completesAt - started).toBeGreaterThanOrEqual(cold.minSeconds * 1000);
    expect(activity.completesAt - started).toBeLessThanOrEqual(longestSeconds(cold) * 1000);
    expect(w.app.capacityOf('us-east-1')).toEqual({ running: 0, launching: 4, desired: 4, full: 4 });
    await w.clock.runUntil(activity.completesAt - 1);
    expect(w.app.healthOf('us-east-1')).toMatchObject({ healthy: false, reason: 'no-capacity' });
    expect(w.app.healthOf('us-east-1').detail).toMatch(/4 launching/);
    await w.clock.runUntil(activity.completesAt);
    expect(w.app.healthOf('us-east-1')).toEqual({ healthy: true });
    expect(w.app.capacityOf('us-east-1')).toEqual({ running: 4, launching: 0, desired: 4, full: 4 });
    expect(healthEvents(w, 'us-east-1')).toEqual([{ at: activity.completesAt - START, healthy: true, reason: undefined }]);
  });

  it("serves from the group's running instances only: stopped ones, and zones traffic is shifted away from, do not count", async () => {
    const w = securecart();
    w.app.seedOrdersService({ region: 'us-east-1', database: primaryDb, capacity: { running: 2, full: 4 } });
    const autoscaling = w.sim.world.module<AutoScalingModule>('autoscaling').model;
    const group = autoscaling.seedGroup({ name: 'orders', region: 'us-east-1', desired: 2, maxSize: 4 });
    w.app.attachFleet('us-east-1', autoscaling.fleet(group));
    expect(w.app.capacityOf('us-east-1').running).toBe(2);
    const ec2 = w.sim.world.module<Ec2Module>('ec2').model.instances;
    const [a, b] = group.instances.map((i) => ec2.find('us-east-1', i.id)!);
    expect([a!.availabilityZone, b!.availabilityZone]).toEqual(['us-east-1a', 'us-east-1b']);
    ec2.stop(a!);
    expect(w.app.capacityOf('us-east-1').running).toBe(1);
    const service = w.app.service('us-east-1');
    w.app.startZonalShift(service.loadBalancerArn, 'us-east-1b', w.clock.now() + MINUTE, 'shift-1');
    expect(w.app.healthOf('us-east-1')).toMatchObject({ healthy: false, reason: 'no-capacity' });
    expect(w.app.healthOf('us-east-1').detail).toMatch(/shifted away from us-east-1b/);
    w.app.endZonalShift('shift-1');
    expect(w.app.healthOf('us-east-1')).toEqual({ healthy: true });
  });

  it('rejects a capacity that makes no sense', () => {
    const w = securecart();
    expect(() => w.app.seedOrdersService({ region: 'us-east-1', database: primaryDb, capacity: { running: 5, full: 4 } })).toThrow(/running ≤ full/);
  });
});

describe('requests that get no answer', () => {
  it('times out (status 0, no throw) when the region is down, after the client timeout', async () => {
    const w = securecart();
    const service = east(w);
    const client = w.app.createClient('probe', { timeoutMs: 2500 });
    w.sim.world.faults.setRegionUp('us-east-1', false, 'test');
    const response = await run(w, () => w.app.request(client, { method: 'GET', url: `https://${service.ipAddress}/health` }));
    expect(response).toMatchObject({ status: 0, error: 'timeout', latencyMs: 2500 });
    expect(response.servedBy).toBeUndefined();
  });

  it('times out for a client in a region whose link to the service is cut', async () => {
    const w = securecart();
    const service = east(w);
    const inside = w.app.createClient('inside', { region: 'us-west-2' });
    const outside = w.app.createClient('outside');
    w.sim.world.faults.setLinkUp('us-east-1', 'us-west-2', false, 'test');
    expect((await run(w, () => w.app.request(inside, { method: 'GET', url: `https://${service.ipAddress}/health` }))).error).toBe('timeout');
    expect((await run(w, () => w.app.request(outside, { method: 'GET', url: `https://${service.ipAddress}/health` }))).status).toBe(200);
  });

  it('times out once every subnet of the region its load balancer spans is cut off; one zone cut off leaves it answering', async () => {
    const clock = new VirtualClock({ start: START });
    const sim = createSimulator({ clock, seed: 42, services: [createNetworkModule, createRdsModule, createRoute53Module, createEc2Module, createAppModule, createAutoScalingModule] });
    const network = sim.world.module<NetworkModule>('network');
    network.addSubnet({ id: 'subnet-0e1a0000000000001', region: 'us-east-1', az: 'us-east-1a' });
    network.addSubnet({ id: 'subnet-0e1b0000000000001', region: 'us-east-1', az: 'us-east-1b' });
    const rds = sim.world.module<RdsModule>('rds');
    // The database in its DB subnet group's subnets: unreachable only once its own zone's subnet is cut off.
    rds.model.seedInstance({ identifier: 'orders-db', region: 'us-east-1', multiAZ: true, subnetIds: ['subnet-0e1a0000000000001', 'subnet-0e1b0000000000001'] });
    const w: World = { clock, sim, rds, app: sim.world.module<AppModule>('app'), route53: sim.world.module<Route53Module>('route53') };
    const service = east(w);
    const client = w.app.createClient('probe', { timeoutMs: 2500 });
    const health = () => run(w, () => w.app.request(client, { method: 'GET', url: `https://${service.ipAddress}/health` }));
    const { faults } = sim.world;
    faults.setSubnetUp('subnet-0e1b0000000000001', false, 'test: zone b isolated');
    expect((await health()).status).toBe(200);
    faults.setSubnetUp('subnet-0e1a0000000000001', false, 'test: zone a isolated too');
    expect(await health()).toMatchObject({ status: 0, error: 'timeout', latencyMs: 2500 });
    expect(w.app.healthOf('us-east-1')).toMatchObject({ healthy: false, reason: 'network-isolated' });
    // Route 53's checkers, from the internet, get no answer either; nor does a client of `gameday sim serve`.
    expect(w.app.probeEndpoint({ ipAddress: service.ipAddress, port: 443, protocol: 'HTTPS', resourcePath: '/health' } as Parameters<AppModule['probeEndpoint']>[0], { region: 'us-west-2' })).toEqual({ kind: 'timeout' });
    expect(w.app.serveFromInternet(service.endpoint, { method: 'GET', path: '/health', query: new URLSearchParams() })).toBe('unreachable');
    faults.setSubnetUp('subnet-0e1a0000000000001', true, 'test: zone a back');
    faults.setSubnetUp('subnet-0e1b0000000000001', true, 'test: zone b back');
    expect((await health()).status).toBe(200);
  });

  it('answers bad URLs, unknown names, closed ports, unknown paths and wrong methods', async () => {
    const w = securecart();
    const service = east(w);
    const client = w.app.createClient('probe');
    const ask = (method: string, url: string) => run(w, () => w.app.request(client, { method, url }));
    expect(await ask('GET', 'not a url')).toMatchObject({ status: 0, error: 'invalid-url' });
    expect(await ask('GET', 'https://nowhere.securecart.example/health')).toMatchObject({ status: 0, error: 'dns', message: 'nowhere.securecart.example: NXDOMAIN' });
    expect(await ask('GET', `http://${service.ipAddress}:8080/health`)).toMatchObject({ status: 0, error: 'refused' });
    expect(await ask('GET', 'http://52.0.0.1/health')).toMatchObject({ status: 0, error: 'timeout' });
    expect(await ask('GET', `https://${service.ipAddress}/nope`)).toMatchObject({ status: 404 });
    expect(await ask('DELETE', `https://${service.ipAddress}/orders`)).toMatchObject({ status: 405 });
    expect(await ask('GET', `https://${service.endpoint}/health`)).toMatchObject({ status: 200, resolved: { host: service.endpoint, address: service.ipAddress } });
  });
});

describe('DNS clients', () => {
  it('cache an answer for its TTL on the virtual clock and follow CNAMEs to the regional endpoints', async () => {
    const w = securecart();
    const service = east(w);
    const zone = w.route53.model.seedHostedZone({
      name: 'securecart.example',
      records: [
        { name: 'api.securecart.example', type: 'CNAME', ttl: 60, values: [service.endpoint] },
        { name: 'static.securecart.example', type: 'A', ttl: 0, values: ['52.0.0.7'] },
      ],
    });
    const client = w.app.createClient('probe');
    const first = client.resolver.resolve('api.securecart.example');
    expect(first).toMatchObject({ ok: true, addresses: [service.ipAddress], canonicalName: `${service.endpoint}.`, expiresAt: START + 60 * SECOND });
    // The record changes; this client keeps its answer until the TTL runs out.
    w.route53.model.seedRecords(zone.id, [{ name: 'api.securecart.example', type: 'CNAME', ttl: 60, values: ['elsewhere.securecart.example'] }]);
    await w.clock.advance(59 * SECOND);
    const cached = client.resolver.resolve('api.securecart.example');
    expect(cached.ok && cached.addresses).toEqual([service.ipAddress]);
    expect(cached.steps[0]!.fromCache).toBe(true);
    const fresh = w.app.createClient('fresh').resolver.resolve('api.securecart.example');
    expect(fresh).toMatchObject({ ok: false, rcode: 'NXDOMAIN' });
    await w.clock.advance(SECOND);
    expect(client.resolver.resolve('api.securecart.example')).toMatchObject({ ok: false, rcode: 'NXDOMAIN' });
    // TTL 0: never cached.
    client.resolver.resolve('static.securecart.example');
    expect(client.resolver.cached('static.securecart.example')).toBeUndefined();
    // Negative answers are cached too, for the SOA's TTL.
    expect(client.resolver.cached('elsewhere.securecart.example')!.expiresAt).toBe(w.clock.now() + 900 * SECOND);
    client.resolver.flush();
    expect(client.resolver.cached('elsewhere.securecart.example')).toBeUndefined();
  });

  it('answer the internal endpoint names without Route 53, and nothing else', () => {
    const clock = new VirtualClock({ start: START });
    const sim = createSimulator({ clock, seed: 1, services: [createRdsModule, createAppModule] });
    const app = sim.world.module<AppModule>('app');
    const service = app.seedOrdersService({ region: 'eu-west-1', database: primaryDb });
    const client = app.createClient('probe');
    expect(client.resolver.resolve('ORDERS.eu-west-1.securecart.internal.')).toMatchObject({ ok: true, addresses: [service.ipAddress] });
    expect(client.resolver.resolve('api.securecart.example')).toMatchObject({ ok: false, rcode: 'NXDOMAIN' });
  });
});
