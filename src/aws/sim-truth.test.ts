import { DynamoDBClient, PutItemCommand, RestoreTableToPointInTimeCommand } from '@aws-sdk/client-dynamodb';
import { PromoteReadReplicaCommand, RDSClient } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/virtual-clock.js';
import { loadEnvironment, regionsOf, type SimEnvironment } from '../env/index.js';
import type { AppModule } from '../sim/app/index.js';
import { simClientConfig, type Simulator } from '../sim/index.js';
import type { DynamoDbModule } from '../sim/services/dynamodb/index.js';
import type { Route53Module } from '../sim/services/route53/index.js';
import { SimTruth } from './sim-truth.js';
import { buildSimulator, SIM_START } from './sim-target.js';

/**
 * Ground truth against what really happens in the sim: the truth's instant is
 * when a request (or an SDK call) starts to succeed and keeps succeeding,
 * checked here by making those requests, not by reading the truth's own state.
 */

const SECOND = 1000;
const API = 'https://api.securecart.example/health';
const TABLE = 'securecart-order-history';

interface Sim {
  env: SimEnvironment;
  clock: VirtualClock;
  sim: Simulator;
  truth: SimTruth;
  app: AppModule;
}

async function environment(name: string): Promise<SimEnvironment> {
  const env = await loadEnvironment(`scenarios/environments/${name}.yaml`);
  if (env.target !== 'sim') throw new Error(`${name} is not a sim environment`);
  return env;
}

async function start(name: string, seed = 42): Promise<Sim> {
  const env = await environment(name);
  const clock = new VirtualClock({ start: SIM_START });
  const sim = buildSimulator({ clock, seed, env });
  return { env, clock, sim, truth: new SimTruth(seed, sim, regionsOf(env)), app: sim.world.module<AppModule>('app') };
}

/**
 * Warm standby: us-east-1 lost at t = 10 s, the replica in us-west-2 promoted
 * at once; Route 53's health checks then move the name over. Steps the clock
 * a second at a time to find when Route 53 answers with us-west-2; with
 * `lateClientAt`, a client named "probe:late" sends its first request then.
 */
async function warmStandbyOutage(seed: number, lateClientAt?: number) {
  const s = await start('securecart-warm-standby', seed);
  const { clock, sim, app, env } = s;
  const replica = env.resources['orders-db-replica'];
  if (replica?.kind !== 'rds-read-replica') throw new Error('the environment has no orders-db-replica');
  const early = app.createClient('early');
  await clock.run('early request', () => app.request(early, { method: 'GET', url: API }));
  await clock.advance(10 * SECOND);
  const faultAt = clock.now();
  sim.world.faults.setRegionUp('us-east-1', false, 'test');
  const rds = new RDSClient(simClientConfig(sim, 'us-west-2'));
  await clock.run('promote', () => rds.send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: replica.identifier })));
  rds.destroy();
  const route53 = sim.world.module<Route53Module>('route53').model;
  const west = app.service('us-west-2').ipAddress;
  const answersWest = () => route53.answer('api.securecart.example', 'A').records.some((r) => r.value === west);
  for (let t = faultAt; t < faultAt + 30 * 60 * SECOND; t += SECOND) {
    await clock.runUntil(t);
    if (t === lateClientAt) {
      const answer = await clock.run('late request', () => app.request(app.createClient('probe:late'), { method: 'GET', url: API }));
      expect(answer, 'the late client still goes to the lost region').toMatchObject({ status: 0, error: 'timeout' });
    }
    if (answersWest()) return { ...s, faultAt, flipAt: t };
  }
  throw new Error('Route 53 never moved the name to us-west-2');
}

describe('truth for HTTP through DNS', () => {
  it('is the instant Route 53 moves the name to the healthy region, for a client whose cached answer has expired', async () => {
    const s = await warmStandbyOutage(42);
    const { clock, app, truth, faultAt, flipAt } = s;
    expect(flipAt).toBeGreaterThan(faultAt);
    // The early client's answer (cached at t = 0 for 60 s) is long gone: it sees what Route 53 says.
    await clock.advance(60 * SECOND);
    const from = truth.servingFrom('early', API, faultAt)!;
    // Route 53 answers once its health check turns healthy, within the second found above.
    expect(from).toBeGreaterThan(flipAt - SECOND);
    expect(from).toBeLessThanOrEqual(flipAt);
    const late = await clock.run('request', () => app.request(app.client('early')!, { method: 'GET', url: API }));
    expect(late).toMatchObject({ status: 200, servedBy: 'us-west-2' });
    expect(truth.servingFrom('nobody', API, faultAt)).toBeUndefined();
  });

  it("is held back by the client's own DNS cache: a client that resolved just before the move keeps the lost region for the TTL", async () => {
    const undisturbed = await warmStandbyOutage(7);
    const cachedAt = undisturbed.flipAt - 5 * SECOND;
    const s = await warmStandbyOutage(7, cachedAt);
    const { clock, app, truth, faultAt, flipAt } = s;
    expect(flipAt).toBe(undisturbed.flipAt);
    const expiresAt = cachedAt + 60 * SECOND;
    await clock.runUntil(expiresAt - SECOND);
    expect(truth.servingFrom('probe:late', API, faultAt)).toBeUndefined();
    // Before its answer expires, the late client still goes to us-east-1 and times out.
    const stale = await clock.run('stale', () => app.request(app.client('probe:late')!, { method: 'GET', url: API }));
    expect(stale).toMatchObject({ status: 0, error: 'timeout', resolved: { address: app.service('us-east-1').ipAddress } });
    await clock.runUntil(expiresAt + 10 * SECOND);
    expect(truth.servingFrom('probe:late', API, faultAt)).toBe(expiresAt);
    // Another client, with no stale answer, was served from the move on.
    expect(truth.servingFrom('early', API, faultAt)).toBeLessThanOrEqual(flipAt);
    const fresh = await clock.run('fresh', () => app.request(app.client('probe:late')!, { method: 'GET', url: API }));
    expect(fresh).toMatchObject({ status: 200, servedBy: 'us-west-2' });
  });
});

describe('truth for DynamoDB', () => {
  it('a global table answers throughout the loss of one region; a restored table from the instant it is ACTIVE', async () => {
    const { clock, sim, truth } = await start('securecart');
    await clock.advance(20 * 60 * SECOND);
    const faultAt = clock.now();
    sim.world.faults.setRegionUp('us-east-1', false, 'test');
    await clock.advance(30 * SECOND);
    expect(truth.tableAnsweringFrom({ identifier: TABLE, regions: ['us-east-1', 'us-west-2'] }, faultAt)).toBe(faultAt);
    expect(truth.tableAnsweringFrom({ identifier: TABLE, regions: ['us-east-1'] }, faultAt)).toBeUndefined();

    const west = new DynamoDBClient(simClientConfig(sim, 'us-west-2'));
    await clock.run('restore', () =>
      west.send(new RestoreTableToPointInTimeCommand({ SourceTableName: TABLE, TargetTableName: 'restored', RestoreDateTime: new Date(faultAt - 10 * 60 * SECOND) })),
    );
    const restored = { identifier: 'restored', regions: ['us-west-2'] };
    expect(truth.tableAnsweringFrom(restored, faultAt)).toBeUndefined();
    await clock.advance(3 * 3600 * SECOND);
    const active = sim.world.events.find((e) => e.kind === 'dynamodb.table.status' && e.detail['table'] === 'restored' && e.detail['status'] === 'ACTIVE');
    expect(active).toBeDefined();
    expect(truth.tableAnsweringFrom(restored, faultAt)).toBe(active!.at);
    west.destroy();
  });

  it('the loss window of a global table under region loss: the newest write that reached the surviving region', async () => {
    const { clock, sim, truth } = await start('securecart', 3);
    const east = new DynamoDBClient(simClientConfig(sim, 'us-east-1'));
    const written: { id: string; at: number }[] = [];
    const put = async (id: string) => {
      written.push({ id, at: clock.now() });
      await clock.run('put', () => east.send(new PutItemCommand({ TableName: TABLE, Item: { orderId: { S: id } } })));
    };
    const table = { identifier: TABLE, regions: ['us-east-1', 'us-west-2'] };
    for (let i = 0; i < 5; i++) {
      await put(`early-${i}`);
      await clock.advance(SECOND);
    }
    // Everything has long reached us-west-2: nothing is lost whatever the fault instant.
    await clock.advance(60 * SECOND);
    expect(truth.tableLossWindowSeconds(table, table, clock.now())).toBe(0);
    for (let i = 0; i < 8; i++) {
      await put(`late-${i}`);
      await clock.advance(250);
    }
    const faultAt = clock.now();
    sim.world.faults.setRegionUp('us-east-1', false, 'test');
    await clock.advance(60 * SECOND);
    const dynamodb = sim.world.module<DynamoDbModule>('dynamodb').model;
    const inWest = new Set(dynamodb.items('us-west-2', TABLE).map((item) => (item['orderId'] as { S?: string } | undefined)?.S));
    const lost = written.filter((w) => !inWest.has(w.id));
    // Replication takes 0.5–2.5 s: the last quarter-second writes cannot all have made it.
    expect(lost.length).toBeGreaterThan(0);
    const newestKept = Math.max(...written.filter((w) => inWest.has(w.id)).map((w) => w.at));
    // us-east-1 is down, so what is read back is us-west-2's copy.
    expect(truth.tableLossWindowSeconds(table, table, faultAt)).toBe((faultAt - newestKept) / 1000);
    expect(truth.tableLossWindowSeconds(table, { identifier: TABLE, regions: ['us-east-1'] }, faultAt)).toBeUndefined();
    east.destroy();
  });
});

describe('truth for S3', () => {
  it('a bucket is reachable again from the instant its region is back', async () => {
    const { clock, sim, truth, env } = await start('securecart');
    const invoices = env.resources['invoices'];
    if (invoices?.kind !== 's3-bucket') throw new Error('the environment has no invoices bucket');
    const bucket = { region: invoices.region, identifier: invoices.identifier };
    await clock.advance(60 * SECOND);
    const faultAt = clock.now();
    expect(truth.bucketReachableFrom(bucket, faultAt)).toBe(faultAt);
    sim.world.faults.setRegionUp(invoices.region, false, 'test');
    await clock.advance(5 * 60 * SECOND);
    expect(truth.bucketReachableFrom(bucket, faultAt)).toBeUndefined();
    const backAt = clock.now();
    sim.world.faults.setRegionUp(invoices.region, true, 'test');
    await clock.advance(60 * SECOND);
    expect(truth.bucketReachableFrom(bucket, faultAt)).toBe(backAt);
    expect(truth.bucketReachableFrom({ ...bucket, identifier: 'no-such-bucket' }, faultAt)).toBeUndefined();
  });
});
