import {
  CreateDBSnapshotCommand,
  PromoteReadReplicaCommand,
  RDSClient,
  RestoreDBInstanceToPointInTimeCommand,
} from '@aws-sdk/client-rds';
import { CreateExperimentTemplateCommand, FisClient, GetExperimentCommand, StartExperimentCommand } from '@aws-sdk/client-fis';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSimulator, requireSimEnvironment, SIM_START } from '../src/aws/sim-target.js';
import { VirtualClock } from '../src/clock/index.js';
import { loadEnvironment, resolveAlias, resolveFault, type SimEnvironment } from '../src/env/index.js';
import { defaultCalibration, longestSeconds, type CalibrationKey } from '../src/sim/calibration.js';
import type { SdkHttpRequest } from '../src/sim/handler.js';
import { simClientConfig, type Simulator } from '../src/sim/index.js';
import type { RdsModule } from '../src/sim/services/rds/index.js';
import type { SimEvent } from '../src/sim/types.js';
import { MINUTE, SECOND } from './support/time.js';

/**
 * DESIGN §5: the same environment and seed give the same timeline, event for
 * event; another seed gives other durations, each inside its calibrated range.
 */

const longest = (key: CalibrationKey): number => longestSeconds(defaultCalibration[key]) * SECOND;

let env: SimEnvironment;
beforeAll(async () => {
  env = requireSimEnvironment(await loadEnvironment('scenarios/environments/securecart.yaml'));
});

/**
 * SecureCart's game day in miniature, through the real SDK clients: orders
 * written, the FIS experiment `rds-reboot-with-failover`, the replica
 * promoted, a point-in-time restore and a manual snapshot of the primary.
 */
async function gameDay(seed: number, topology: SimEnvironment = env) {
  const clock = new VirtualClock({ start: SIM_START });
  const sim = buildSimulator({ clock, seed, env: topology });
  const orders = resolveAlias(env, 'orders-db', ['rds-instance']);
  const replica = resolveAlias(env, 'orders-db-replica', ['rds-read-replica']);
  const fault = resolveFault(env, 'rds-reboot-with-failover');
  const primary = clientsFor(sim, orders.region).rds;
  const secondary = clientsFor(sim, replica.region).rds;
  const fis = clientsFor(sim, fault.region).fis;
  const model = sim.world.module<RdsModule>('rds').model;

  for (let i = 0; i < 12; i++) {
    model.write(orders.region, orders.identifier, { key: `order-${i}` });
    await clock.advance(5 * SECOND);
  }
  const { experimentTemplate } = await fis.send(new CreateExperimentTemplateCommand({ ...fault.template, clientToken: 'determinism' }));
  const { experiment } = await fis.send(new StartExperimentCommand({ experimentTemplateId: experimentTemplate!.id }));
  // Initiating, then the failover, each at most its slow tail's ceiling.
  await clock.advance(longest('fis.experiment.initiating') + longest('rds.instance.failover') + MINUTE);
  const done = await fis.send(new GetExperimentCommand({ id: experiment!.id }));
  expect(done.experiment?.state?.status).toBe('completed');

  await secondary.send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: replica.identifier, BackupRetentionPeriod: 7 }));
  await primary.send(
    new RestoreDBInstanceToPointInTimeCommand({
      SourceDBInstanceIdentifier: orders.identifier,
      TargetDBInstanceIdentifier: 'securecart-orders-pitr',
      UseLatestRestorableTime: true,
    }),
  );
  await primary.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: orders.identifier, DBSnapshotIdentifier: 'before-the-game-day-ends' }));
  // The longest of them, the restore, takes at most its slow tail's ceiling.
  await clock.advance(longest('rds.restore') + 5 * MINUTE);
  return sim.world;
}

/**
 * SDK clients whose requests go to whichever simulator the current game day
 * built. Three clients per seed would cost the 200-seed run about a quarter
 * of its time in resolving client configuration; the requests themselves go
 * through the real clients all the same.
 */
let current: Simulator | undefined;
const handler = {
  metadata: { handlerProtocol: 'gameday-sim' },
  handle: (request: SdkHttpRequest) => current!.handler.handle(request),
  updateHttpClientConfig: () => {},
  httpHandlerConfigs: () => ({}),
  destroy: () => {},
};
const clients = new Map<string, { rds: RDSClient; fis: FisClient }>();
function clientsFor(sim: Simulator, region: string): { rds: RDSClient; fis: FisClient } {
  current = sim;
  let found = clients.get(region);
  if (!found) {
    const config = { ...simClientConfig(sim, region), requestHandler: handler };
    found = { rds: new RDSClient(config), fis: new FisClient(config) };
    clients.set(region, found);
  }
  return found;
}

interface Span {
  what: 'failover' | 'promotion' | 'restore' | 'fis-initiating' | 'snapshot';
  key: CalibrationKey;
  subject: string;
  ms: number;
}

const find = (events: readonly SimEvent[], from: number, match: (e: SimEvent) => boolean): SimEvent | undefined =>
  events.slice(from).find(match);

/** Every drawn duration of the run, read from the sim's own event log: from the event that starts it to the one that ends it. */
function spans(events: readonly SimEvent[]): Span[] {
  const out: Span[] = [];
  events.forEach((start, i) => {
    const d = start.detail;
    const span = (what: Span['what'], key: CalibrationKey, subject: string, end: ((e: SimEvent) => boolean) | undefined) => {
      const ended = end && find(events, i + 1, end);
      if (!ended) throw new Error(`${what} of ${subject} started at ${new Date(start.at).toISOString()} never ended`);
      out.push({ what, key, subject, ms: ended.at - start.at });
    };
    if (start.kind === 'rds.failover.started' && d['kind'] === 'instance') {
      span('failover', 'rds.instance.failover', String(d['arn']), (e) => e.kind === 'rds.failover.completed' && e.detail['arn'] === d['arn']);
    } else if (start.kind === 'rds.replication.stopped' && d['why'] === 'promoted') {
      span('promotion', 'rds.replica.promote', String(d['id']), (e) => e.kind === 'rds.replica.promoted' && e.detail['id'] === d['id']);
    } else if (start.kind === 'rds.restore.started') {
      const done = (e: SimEvent) =>
        e.kind === 'rds.instance.status' && e.detail['arn'] === d['arn'] && e.detail['status'] === 'available';
      span('restore', 'rds.restore', String(d['arn']), done);
    } else if (start.kind === 'fis.experiment.state' && d['status'] === 'initiating') {
      const running = (e: SimEvent) =>
        e.kind === 'fis.experiment.state' && e.detail['experimentId'] === d['experimentId'] && e.detail['status'] === 'running';
      span('fis-initiating', 'fis.experiment.initiating', String(d['experimentId']), running);
    } else if (start.kind === 'rds.snapshot.status' && d['status'] === 'creating' && d['instanceId'] !== undefined) {
      const available = (e: SimEvent) =>
        e.kind === 'rds.snapshot.status' && e.detail['arn'] === d['arn'] && e.detail['status'] === 'available';
      span('snapshot', 'rds.snapshot.create', String(d['arn']), available);
    }
  });
  return out;
}

describe('determinism', () => {
  it('gives the same timeline and audit trail for the same seed, event for event', async () => {
    const first = await gameDay(42);
    const second = await gameDay(42);
    expect(first.events.length).toBeGreaterThan(20);
    expect(second.events).toEqual(first.events);
    expect(second.audit).toEqual(first.audit);
    // The workload did what it says: each kind of drawn duration is in the log once.
    expect(spans(first.events).map((s) => s.what).sort()).toEqual(['failover', 'fis-initiating', 'promotion', 'restore', 'snapshot']);
  });

  it('draws different durations for a different seed', async () => {
    const a = spans((await gameDay(42)).events);
    const b = spans((await gameDay(7)).events);
    expect(b.map((s) => s.what)).toEqual(a.map((s) => s.what));
    b.forEach((span, i) => expect(span.ms, span.what).not.toBe(a[i]!.ms));
  });

  it('keeps every drawn duration inside its calibrated range and slow tail, over 200 seeds', async () => {
    // The environment restates the failover range; everything else is the sim's default calibration.
    const calibration = { ...defaultCalibration, ...env.sim.calibration };
    const seen = new Map<Span['what'], number>();
    // Only RDS and FIS durations are read here: seed the RDS part of SecureCart
    // alone, so 200 simulated game days stay quick (Route 53's health checkers
    // and the rest would tick through every one of them).
    const rdsOnly: SimEnvironment = {
      ...env,
      resources: Object.fromEntries(Object.entries(env.resources).filter(([, r]) => r.kind === 'rds-instance' || r.kind === 'rds-read-replica')),
    };
    for (let seed = 1; seed <= 200; seed++) {
      const world = await gameDay(seed, rdsOnly);
      expect(world.calibration).toEqual(calibration);
      for (const span of spans(world.events)) {
        const range = calibration[span.key];
        const where = `seed ${seed}: ${span.what} of ${span.subject} took ${span.ms} ms`;
        expect(span.ms, where).toBeGreaterThanOrEqual(range.minSeconds * SECOND);
        expect(span.ms, where).toBeLessThanOrEqual(longestSeconds(range) * SECOND);
        seen.set(span.what, (seen.get(span.what) ?? 0) + 1);
      }
    }
    expect(Object.fromEntries(seen)).toEqual({ failover: 200, 'fis-initiating': 200, promotion: 200, restore: 200, snapshot: 200 });
  }, 120_000);
});
