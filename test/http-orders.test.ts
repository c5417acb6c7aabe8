import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { canaryIdOf, declaresOrdersApi, HttpOrders, ordersBaseUrl } from '../src/aws/http-orders.js';
import { buildSimulator } from '../src/aws/sim-target.js';
import { createSimTarget } from '../src/aws/targets.js';
import { VirtualClock } from '../src/clock/index.js';
import { loadEnvironment, parseEnvironment, type SimEnvironment } from '../src/env/index.js';
import type { DatabaseRef, HttpClient, HttpResult } from '../src/harness/target.js';
import type { AppModule } from '../src/sim/app/index.js';
import { defaultCalibration, longestSeconds } from '../src/sim/calibration.js';
import type { Simulator } from '../src/sim/index.js';
import type { RdsModule } from '../src/sim/services/rds/index.js';
import { SECOND } from './support/time.js';
import { EAST, START, WEST } from './support/sim.js';

/**
 * The canary endpoint contract (README) end to end: HttpOrders, the store the
 * aws target's canaries use, against the sim's orders API, which serves the
 * same contract, through the sim's HTTP plumbing (a client with its own DNS
 * cache, latency on the virtual clock), as `target.http(...)` hands it out.
 */

const PRIMARY: DatabaseRef = { region: EAST, identifier: 'securecart-orders' };
const REPLICA: DatabaseRef = { region: WEST, identifier: 'securecart-orders-replica' };
const repo = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

interface World {
  env: SimEnvironment;
  clock: VirtualClock;
  sim: Simulator;
  app: AppModule;
  rds: RdsModule['model'];
  /** An HttpClient over the sim's orders API, as target.http(name) is one over it. */
  http(name: string): HttpClient;
  /** Run as the clock's main actor: requests spend their latency on the virtual clock. */
  run<T>(fn: () => Promise<T>): Promise<T>;
}

async function securecart(): Promise<World> {
  const env = await loadEnvironment(repo('scenarios/environments/securecart.yaml'));
  if (env.target !== 'sim') throw new Error('securecart.yaml is a sim environment');
  const clock = new VirtualClock({ start: START });
  const sim = buildSimulator({ clock, seed: 42, env });
  const app = sim.world.module<AppModule>('app');
  return {
    env,
    clock,
    sim,
    app,
    rds: sim.world.module<RdsModule>('rds').model,
    http: (name) => {
      const client = app.createClient(name);
      return {
        request: async ({ method, url, body }): Promise<HttpResult> => {
          const answer = await app.request(client, { method, url, ...(body ? { body } : {}) });
          return {
            status: answer.status,
            latencyMs: answer.latencyMs,
            ...(answer.body ? { body: answer.body } : {}),
            ...(answer.error ? { error: answer.error } : {}),
            ...(answer.servedBy ? { servedBy: answer.servedBy } : {}),
          };
        },
      };
    },
    run: (fn) => clock.run('test', fn),
  };
}

function canary(w: World, id = 'gameday-test-canary'): HttpOrders {
  return new HttpOrders({ env: w.env, http: w.http(id), canary: id });
}

async function writeAll(w: World, orders: HttpOrders, db: DatabaseRef, seqs: number[]) {
  return w.run(async () => {
    const outcomes = [];
    for (const seq of seqs) outcomes.push(await orders.write(db, seq));
    return outcomes;
  });
}

describe('HttpOrders against the sim orders API', () => {
  it("writes orders with POST /orders into the service's database and lists them with GET /orders?canary=", async () => {
    const w = await securecart();
    const orders = canary(w);
    expect(await writeAll(w, orders, PRIMARY, [1, 2, 3, 4, 5])).toEqual(Array(5).fill({ ok: true }));
    const rows = w.rds.writesOf(EAST, 'securecart-orders').filter((r) => r.key.startsWith('canary/'));
    expect(rows.map((r) => r.key)).toEqual([1, 2, 3, 4, 5].map((n) => `canary/gameday-test-canary/${n}`));
    expect(JSON.parse(rows[0]!.value!)).toEqual({ canary: 'gameday-test-canary', seq: 1 });
    expect(await w.run(() => orders.readBack(PRIMARY))).toEqual([1, 2, 3, 4, 5]);
    // Another canary's orders are its own.
    const other = canary(w, 'gameday-other');
    await writeAll(w, other, PRIMARY, [1]);
    expect(await w.run(() => other.readBack(PRIMARY))).toEqual([1]);
    expect(await w.run(() => orders.readBack(PRIMARY))).toEqual([1, 2, 3, 4, 5]);
    expect(await orders.writable()).toBeUndefined();
  });

  it('deletes the newest with DELETE /orders?canary=&newest=; the deletions replicate like any write', async () => {
    const w = await securecart();
    const orders = canary(w);
    await writeAll(w, orders, PRIMARY, [1, 2, 3, 4, 5]);
    expect(await w.run(() => orders.deleteNewest(PRIMARY, 2))).toEqual([4, 5]);
    expect(await w.run(() => orders.readBack(PRIMARY))).toEqual([1, 2, 3]);
    // The pilot light in us-west-2 runs no instances: it cannot answer for its replica yet.
    await expect(w.run(() => orders.readBack(REPLICA))).rejects.toThrow(/GET https:\/\/orders\.us-west-2\.securecart\.internal\/orders\?canary=gameday-test-canary .*HTTP 503 no-capacity/);
    // Through the region's Auto Scaling group, as the standby scale-up step does.
    w.app.service(WEST).fleet!.setDesired(2);
    await w.clock.advance(longestSeconds(defaultCalibration['app.scale-up.cold']) * 1000);
    expect(await w.run(() => orders.readBack(REPLICA))).toEqual([1, 2, 3]);
    // A replica takes no writes: not acknowledged, and the reason comes back.
    const [refused] = await writeAll(w, orders, REPLICA, [6]);
    expect(refused).toEqual({ ok: false, error: expect.stringMatching(/^HTTP 503 database-read-only: /) });
  });

  it('follows the database to the region whose service uses it after a region outage and a promotion', async () => {
    const w = await securecart();
    const orders = canary(w);
    await writeAll(w, orders, PRIMARY, [1, 2, 3]);
    await w.clock.advance(30 * SECOND); // replication catches up
    w.sim.world.faults.setRegionUp(EAST, false, 'test');
    const [lost] = await writeAll(w, orders, PRIMARY, [4]);
    expect(lost).toEqual({ ok: false, error: 'timeout' });
    w.rds.promoteReadReplica(WEST, { DBInstanceIdentifier: 'securecart-orders-replica' });
    w.app.service(WEST).fleet!.setDesired(6);
    await w.clock.advance(longestSeconds(defaultCalibration['app.scale-up.cold']) * SECOND);
    expect(await writeAll(w, orders, REPLICA, [5, 6])).toEqual([{ ok: true }, { ok: true }]);
    expect(await w.run(() => orders.readBack(REPLICA))).toEqual([1, 2, 3, 5, 6]);
  });

  it('is refused by the service for malformed canary requests, and other methods are not allowed', async () => {
    const w = await securecart();
    const http = w.http('raw');
    const base = 'https://orders.us-east-1.securecart.internal/orders';
    const ask = (method: string, url: string, body?: Record<string, unknown>) =>
      w.run(() => http.request({ method, url, ...(body ? { body } : {}) }));
    expect(await ask('POST', base, { canary: 'no spaces allowed', seq: 1 })).toMatchObject({ status: 400, body: { error: 'bad-request' } });
    expect(await ask('POST', base, { canary: 'ok', seq: 0 })).toMatchObject({ status: 400, body: { detail: 'seq must be a whole number ≥ 1' } });
    expect(await ask('GET', base)).toMatchObject({ status: 400, body: { error: 'bad-request' } });
    expect(await ask('DELETE', `${base}?canary=ok&newest=0`)).toMatchObject({ status: 400, body: { detail: 'newest must be a whole number ≥ 1' } });
    expect(await ask('DELETE', base)).toMatchObject({ status: 405 });
    expect(await ask('PUT', `${base}?canary=ok`)).toMatchObject({ status: 405 });
    // An order that is not a canary's is written as before.
    expect(await ask('POST', base, { orderId: 'o-1', value: 'two widgets' })).toMatchObject({ status: 201, body: { orderId: 'o-1' } });
  });
});

describe("HttpOrders over the sim target's own http()", () => {
  it('gets the JSON bodies it reads through target.http(name): the sim target passes them on', async () => {
    const env = await loadEnvironment(repo('scenarios/environments/securecart.yaml'));
    if (env.target !== 'sim') throw new Error('securecart.yaml is a sim environment');
    const target = createSimTarget({ env, seed: 42, speed: 'max' });
    try {
      const http = target.http('canary');
      const orders = new HttpOrders({ env, http, canary: 'gameday-target-canary' });
      const listed = await target.clock.run('test', async () => {
        const health = await http.request({ method: 'GET', url: 'https://api.securecart.example/health' });
        expect(health).toMatchObject({ status: 200, body: expect.any(Object) });
        for (const seq of [1, 2, 3]) expect(await orders.write(PRIMARY, seq)).toEqual({ ok: true });
        const unknown = await http.request({ method: 'GET', url: 'https://orders.us-east-1.securecart.internal/orders' });
        expect(unknown.status).toBeGreaterThanOrEqual(400);
        expect(unknown.body).toMatchObject({ error: expect.any(String) });
        return orders.readBack(PRIMARY);
      });
      expect(listed).toEqual([1, 2, 3]);
    } finally {
      target.close();
    }
  });
});

describe('HttpOrders on its own', () => {
  it('finds the regional endpoint of the deployment that writes to a database', async () => {
    const w = await securecart();
    expect(declaresOrdersApi(w.env)).toBe(true);
    expect(ordersBaseUrl(w.env, PRIMARY)).toBe('https://orders.us-east-1.securecart.internal');
    expect(ordersBaseUrl(w.env, { region: WEST, identifier: 'SecureCart-Orders-Replica' })).toBe('https://orders.us-west-2.securecart.internal');
    expect(() => ordersBaseUrl(w.env, { region: EAST, identifier: 'orders-restored' })).toThrow(
      /no orders-api deployment in .*securecart\.yaml writes to orders-restored \(us-east-1\)/,
    );
    const bare = await parseEnvironment('regions: { primary: us-east-1 }\n', 'bare.yaml', async () => '');
    expect(declaresOrdersApi(bare)).toBe(false);
  });

  it('names canaries in the characters the contract allows, and refuses other ids', async () => {
    expect(canaryIdOf('2026-01-05T09-00-00-000Z-seed42', 'lk3h')).toBe('gameday-2026-01-05T09-00-00-000Z-seed42-lk3h');
    expect(canaryIdOf(undefined, 'a b/c')).toBe('gameday-run-a-b-c');
    const w = await securecart();
    expect(() => new HttpOrders({ env: w.env, http: w.http('x'), canary: 'not ok' })).toThrow(RangeError);
  });

  it('says what was wrong when an answer breaks the contract', async () => {
    const w = await securecart();
    const answers: HttpResult[] = [
      { status: 200, latencyMs: 1, body: { seqs: ['1'] } },
      { status: 500, latencyMs: 1, body: { error: 'internal', detail: 'boom' } },
      { status: 0, latencyMs: 1, error: 'timeout' },
      { status: 202, latencyMs: 1 },
    ];
    const sent: { method: string; url: string; body?: Record<string, unknown> }[] = [];
    const fake: HttpClient = {
      request: async (request) => {
        sent.push(request);
        return answers.shift()!;
      },
    };
    const orders = new HttpOrders({ env: w.env, http: fake, canary: 'c-1', timeoutMs: 1234 });
    await expect(orders.readBack(PRIMARY)).rejects.toThrow('the body is not {"seqs": [whole numbers]}');
    await expect(orders.deleteNewest(PRIMARY, 3)).rejects.toThrow(/DELETE .*newest=3 did not delete the canary's orders: HTTP 500 internal: boom/);
    expect(await orders.write(PRIMARY, 7)).toEqual({ ok: false, error: 'timeout' });
    expect(await orders.write(PRIMARY, 8)).toEqual({ ok: true });
    expect(sent.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET https://orders.us-east-1.securecart.internal/orders?canary=c-1',
      'DELETE https://orders.us-east-1.securecart.internal/orders?canary=c-1&newest=3',
      'POST https://orders.us-east-1.securecart.internal/orders',
      'POST https://orders.us-east-1.securecart.internal/orders',
    ]);
    expect(sent[3]).toMatchObject({ body: { canary: 'c-1', seq: 8 }, timeoutMs: 1234 });
  });
});
