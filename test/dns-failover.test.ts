import {
  ChangeResourceRecordSetsCommand,
  CreateHealthCheckCommand,
  CreateHostedZoneCommand,
  GetChangeCommand,
  Route53Client,
  TestDNSAnswerCommand,
} from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { createAppModule, type AppClient, type AppModule, type AppResponse } from '../src/sim/app/index.js';
import { createSimulator, simClientConfig, type Simulator } from '../src/sim/index.js';
import { createRdsModule, type RdsModule } from '../src/sim/services/rds/index.js';
import { CONNECT_TIMEOUT_MS, HEALTHY_SHARE, createRoute53Module, type Route53Module } from '../src/sim/services/route53/index.js';
import { SECOND } from './support/time.js';
import { START } from './support/sim.js';

/**
 * DNS failover end to end on the virtual clock: SecureCart's
 * api.securecart.example has a PRIMARY failover record for us-east-1 and a
 * SECONDARY for us-west-2, both with health checks (30 s × 3) and TTL 60,
 * all set up through the real Route 53 SDK client. us-east-1 goes down; the
 * health check notices after interval × threshold; clients get the secondary
 * once the answer they cached has expired.
 */

const INTERVAL = 30;
const THRESHOLD = 3;
const TTL = 60;
const API = 'https://api.securecart.example/health';

interface SecureCart {
  clock: VirtualClock;
  sim: Simulator;
  r53: Route53Client;
  route53: Route53Module;
  app: AppModule;
  eastCheck: string;
  westCheck: string;
  eastIp: string;
  westIp: string;
  zoneId: string;
}

async function secureCart(seed: number): Promise<SecureCart> {
  const clock = new VirtualClock({ start: START });
  const sim = createSimulator({ clock, seed, services: [createRdsModule, createRoute53Module, createAppModule] });
  const rds = sim.world.module<RdsModule>('rds');
  const app = sim.world.module<AppModule>('app');
  rds.model.seedInstance({ identifier: 'orders-db', region: 'us-east-1', multiAZ: true });
  rds.model.seedInstance({ identifier: 'orders-db-west', region: 'us-west-2' });
  const east = app.seedOrdersService({ region: 'us-east-1', database: { engine: 'rds', region: 'us-east-1', id: 'orders-db' } });
  const west = app.seedOrdersService({ region: 'us-west-2', database: { engine: 'rds', region: 'us-west-2', id: 'orders-db-west' } });

  const r53 = new Route53Client(simClientConfig(sim, 'us-east-1'));
  const healthCheck = async (ref: string, fqdn: string) =>
    (
      await r53.send(
        new CreateHealthCheckCommand({
          CallerReference: ref,
          HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: fqdn, ResourcePath: '/health', RequestInterval: INTERVAL, FailureThreshold: THRESHOLD },
        }),
      )
    ).HealthCheck!.Id!;
  const eastCheck = await healthCheck('orders-east', east.endpoint);
  const westCheck = await healthCheck('orders-west', west.endpoint);
  const zone = await r53.send(new CreateHostedZoneCommand({ Name: 'securecart.example', CallerReference: 'securecart' }));
  const zoneId = zone.HostedZone!.Id!;
  const failover = (id: string, role: 'PRIMARY' | 'SECONDARY', ip: string, check: string) => ({
    Action: 'CREATE' as const,
    ResourceRecordSet: { Name: 'api.securecart.example', Type: 'A' as const, SetIdentifier: id, Failover: role, TTL, ResourceRecords: [{ Value: ip }], HealthCheckId: check },
  });
  const changed = await r53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: { Comment: 'api failover', Changes: [failover('us-east-1', 'PRIMARY', east.ipAddress, eastCheck), failover('us-west-2', 'SECONDARY', west.ipAddress, westCheck)] },
    }),
  );
  // Wait for the change to reach the name servers, as a deployment would.
  for (;;) {
    const status = await r53.send(new GetChangeCommand({ Id: changed.ChangeInfo!.Id }));
    if (status.ChangeInfo!.Status === 'INSYNC') break;
    await clock.advance(10 * SECOND);
  }
  return {
    clock,
    sim,
    r53,
    route53: sim.world.module<Route53Module>('route53'),
    app,
    eastCheck,
    westCheck,
    eastIp: east.ipAddress,
    westIp: west.ipAddress,
    zoneId,
  };
}

/**
 * When the primary's health check turns unhealthy after an outage at
 * `outage`, from its checkers' phases: each checker's first failing check is
 * its first one after the outage, its verdict flips with the THRESHOLD-th
 * failure (each known when the 4 s connect timeout ends), and the check is
 * unhealthy once no more than 18% of the checkers that can still report
 * (those outside the dead region) say healthy.
 */
function expectedUnhealthyAt(s: SecureCart, outage: number): number {
  const checkers = s.route53.model.healthChecks.checkersOf(s.eastCheck).filter((c) => s.sim.world.faults.isRegionUp(c.region));
  const intervalMs = INTERVAL * SECOND;
  const flips = checkers
    .map((c) => {
      const firstFailing = c.firstCheckAt + Math.ceil((outage + 1 - c.firstCheckAt) / intervalMs) * intervalMs;
      return firstFailing + (THRESHOLD - 1) * intervalMs + CONNECT_TIMEOUT_MS;
    })
    .sort((a, b) => a - b);
  const mayStayHealthy = Math.floor(checkers.length * HEALTHY_SHARE + 1e-9);
  return flips[checkers.length - mayStayHealthy - 1]!;
}

const servedBy = (response: AppResponse) => response.servedBy ?? response.error;

describe('DNS failover for api.securecart.example', () => {
  it('answers with the primary while healthy, and fails over when us-east-1 goes down', async () => {
    const s = await secureCart(42);
    const { clock, sim, app, route53 } = s;
    await clock.advance(5 * 60 * SECOND);
    const early = app.createClient('early');
    const steady = await clock.run('early', () => app.request(early, { method: 'GET', url: API }));
    expect(steady).toMatchObject({ status: 200, servedBy: 'us-east-1', resolved: { host: 'api.securecart.example', address: s.eastIp } });

    const outage = clock.now();
    sim.world.faults.setRegionUp('us-east-1', false, 'test');
    const unhealthyAt = expectedUnhealthyAt(s, outage);
    // interval × threshold, give or take the checkers' phase and the connect timeout.
    expect(unhealthyAt - outage).toBeGreaterThan((THRESHOLD - 1) * INTERVAL * SECOND);
    expect(unhealthyAt - outage).toBeLessThanOrEqual(THRESHOLD * INTERVAL * SECOND + CONNECT_TIMEOUT_MS);

    // A client that resolves just before the flip holds the primary's address for the whole TTL.
    await clock.runUntil(unhealthyAt - 10 * SECOND);
    expect(route53.model.healthChecks.isHealthy(s.eastCheck)).toBe(true);
    const late = app.createClient('late');
    const beforeFlip = late.resolver.resolve('api.securecart.example');
    expect(beforeFlip).toMatchObject({ ok: true, addresses: [s.eastIp] });
    const lateExpiry = beforeFlip.ok ? beforeFlip.expiresAt : 0;
    expect(lateExpiry).toBe(unhealthyAt - 10 * SECOND + TTL * SECOND);

    await clock.runUntil(unhealthyAt - 1);
    expect(route53.model.healthChecks.isHealthy(s.eastCheck)).toBe(true);
    await clock.runUntil(unhealthyAt);
    expect(route53.model.healthChecks.isHealthy(s.eastCheck)).toBe(false);
    const flip = sim.world.events.find((e) => e.kind === 'route53.health-check.status' && e.detail['id'] === s.eastCheck)!;
    expect(flip).toMatchObject({ at: unhealthyAt, detail: { healthy: false, status: 'Unhealthy' } });
    const answer = await s.r53.send(new TestDNSAnswerCommand({ HostedZoneId: s.zoneId, RecordName: 'api.securecart.example', RecordType: 'A' }));
    expect(answer.RecordData).toEqual([s.westIp]);

    // A fresh client gets the secondary at once; the late one still times out on the primary.
    const fresh = app.createClient('fresh');
    expect(await clock.run('fresh', () => app.request(fresh, { method: 'GET', url: API }))).toMatchObject({ status: 200, servedBy: 'us-west-2' });
    const stale = await clock.run('late', () => app.request(late, { method: 'GET', url: API }));
    expect(stale).toMatchObject({ status: 0, error: 'timeout', resolved: { address: s.eastIp } });

    await clock.runUntil(lateExpiry - 1);
    expect(late.resolver.resolve('api.securecart.example')).toMatchObject({ ok: true, addresses: [s.eastIp] });
    await clock.runUntil(lateExpiry);
    expect(late.resolver.resolve('api.securecart.example')).toMatchObject({ ok: true, addresses: [s.westIp] });
    expect(await clock.run('late', () => app.request(late, { method: 'GET', url: API }))).toMatchObject({ status: 200, servedBy: 'us-west-2' });
  });

  it('fails back once us-east-1 recovers and its health check passes threshold times', async () => {
    const s = await secureCart(7);
    const { clock, sim, route53 } = s;
    await clock.advance(60 * SECOND);
    sim.world.faults.setRegionUp('us-east-1', false, 'test');
    await clock.advance(3 * 60 * SECOND);
    expect(route53.model.answer('api.securecart.example', 'A').records).toEqual([{ type: 'A', value: s.westIp }]);
    const restored = clock.now();
    sim.world.faults.setRegionUp('us-east-1', true, 'test');
    await clock.advance(2 * 60 * SECOND);
    expect(route53.model.answer('api.securecart.example', 'A')).toMatchObject({ records: [{ type: 'A', value: s.eastIp }], recordSet: { setIdentifier: 'us-east-1', failover: 'PRIMARY' } });
    const back = sim.world.events.filter((e) => e.kind === 'route53.health-check.status' && e.detail['id'] === s.eastCheck);
    expect(back.map((e) => e.detail['healthy'])).toEqual([false, true]);
    // Healthy again after THRESHOLD passing checks: at least (THRESHOLD - 1) intervals, at most THRESHOLD plus the round trip.
    expect(back[1]!.at - restored).toBeGreaterThan((THRESHOLD - 1) * INTERVAL * SECOND);
    expect(back[1]!.at - restored).toBeLessThan(THRESHOLD * INTERVAL * SECOND + SECOND);
  });

  it('reaches the secondary within interval × threshold + one interval of phase + TTL + latency, for 50 seeds', async () => {
    const results: { seed: number; reachedMs: number; unhealthyMs: number }[] = [];
    for (let seed = 1; seed <= 50; seed++) {
      const s = await secureCart(seed);
      const { clock, sim, app } = s;
      const probe: AppClient = app.createClient('probe');
      const period = SECOND;
      const calibration = sim.world.calibration['app.request.latency'];
      const reached = await clock.run('probe', async () => {
        // Steady state first; the probe's cached answer is some seed-dependent age when the region goes down.
        await clock.sleep(60 * SECOND);
        expect((await app.request(probe, { method: 'GET', url: API })).servedBy).toBe('us-east-1');
        await clock.sleep(Math.floor(sim.world.rng.fork('test:cache-age').uniform(0, TTL * SECOND)));
        const outage = clock.now();
        sim.world.faults.setRegionUp('us-east-1', false, 'test');
        const unhealthyAt = expectedUnhealthyAt(s, outage);
        for (;;) {
          const response = await app.request(probe, { method: 'GET', url: API });
          if (response.servedBy === 'us-west-2') {
            expect(response.status).toBe(200);
            return { outage, reachedMs: clock.now() - outage, unhealthyMs: unhealthyAt - outage };
          }
          expect(servedBy(response)).toBe('timeout');
          await clock.sleep(period);
        }
      });
      const flip = sim.world.events.find((e) => e.kind === 'route53.health-check.status' && e.detail['id'] === s.eastCheck)!;
      expect(flip.at - reached.outage, `seed ${seed}`).toBe(reached.unhealthyMs);
      results.push({ seed, reachedMs: reached.reachedMs, unhealthyMs: reached.unhealthyMs });
      // The calibration's prediction: interval × threshold + up to one interval of phase + up to TTL + request latency.
      const bound = (THRESHOLD * INTERVAL + INTERVAL + TTL) * SECOND + calibration.maxSeconds * SECOND;
      expect(reached.reachedMs, `seed ${seed}`).toBeLessThanOrEqual(bound);
      // Never before the health check noticed, nor later than its cached answer can last plus one probe round.
      expect(reached.reachedMs, `seed ${seed}`).toBeGreaterThan(reached.unhealthyMs);
      // (a probe round is at most one timeout, 3 s, and one period).
      expect(reached.reachedMs, `seed ${seed}`).toBeLessThanOrEqual(reached.unhealthyMs + TTL * SECOND + probe.timeoutMs + period + calibration.maxSeconds * SECOND);
    }
    const times = results.map((r) => r.reachedMs);
    // The phase and the cache age make it vary from seed to seed.
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(20 * SECOND);
    expect(Math.min(...times)).toBeGreaterThan((THRESHOLD - 1) * INTERVAL * SECOND);
    // Fifty simulated outages: a few seconds of CPU, more on a shared CI machine.
  }, 120_000);

  it('gives the same timeline for the same seed', async () => {
    const timeline = async () => {
      const s = await secureCart(11);
      await s.clock.advance(90 * SECOND);
      s.sim.world.faults.setRegionUp('us-east-1', false, 'test');
      await s.clock.advance(4 * 60 * SECOND);
      return s.sim.world.events.map((e) => `${e.at} ${e.kind} ${JSON.stringify(e.detail)}`);
    };
    const first = await timeline();
    expect(first.some((line) => line.includes('route53.health-check.status'))).toBe(true);
    expect(await timeline()).toEqual(first);
  });
});
