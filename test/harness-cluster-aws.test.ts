import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gameday, readRun, removeTemporary } from './fixtures/features/run-cli.js';
import { startSecureCartServer, type SecureCartServer } from './support/securecart-server.js';
import { stagingRunnerEnv } from './support/transport.js';
import { EAST } from './support/sim.js';

/**
 * The Aurora cluster's failover through the aws target, as a staging run
 * would make it: every call over HTTP to `gameday sim serve`, the runner's
 * clock wall time, the canary's orders through the HTTP contract of
 * SecureCart's checkout API, whose database is the checkout cluster (in
 * securecart.yaml, which the server runs, and in rehearsal.yaml, the aws
 * environment `npm run rehearse` uses, unchanged), so a failover is an
 * outage of the service's writes for its duration. The
 * cluster failover is calibrated to 8–12 s without a tail to keep the
 * scenarios short at real time. The truth is read from the server's own
 * RDS events (when each failover started and completed), and compared with
 * what was measured as durations.
 */

const FEATURE = 'features/aurora-cluster-failover.feature';
const REHEARSAL = 'scenarios/environments/rehearsal.yaml';

let served: SecureCartServer;
const sim = () => served.sim();

beforeAll(async () => {
  served = await startSecureCartServer({
    folder: 'gameday-cluster-aws',
    edit: (text) => {
      const quick = text.replace(/^  calibration:\n/m, '  calibration:\n    rds.cluster.failover: { minSeconds: 8, maxSeconds: 12, tailShare: 0 }\n');
      expect(quick).toContain('rds.cluster.failover');
      return quick;
    },
  });
}, 60_000);

afterAll(async () => {
  await served?.close();
  await removeTemporary();
});

/** The server's cluster failovers, as its RDS model recorded them: when each started and how long the writes were refused. */
function clusterFailovers(): { startedAt: number; seconds: number; from: unknown; to: unknown }[] {
  const events = sim().world.events.filter((e) => e.detail['kind'] === 'cluster' && e.detail['id'] === 'securecart-checkout');
  const started = events.filter((e) => e.kind === 'rds.failover.started');
  const completed = events.filter((e) => e.kind === 'rds.failover.completed');
  // The last (the drill's fail-back, made as the run ends) may still be under way.
  return started.map((s, i) => ({ startedAt: s.at, seconds: completed[i] ? (completed[i].at - s.at) / 1000 : Number.NaN, from: s.detail['from'], to: s.detail['to'] }));
}

describe('an Aurora cluster failover through the aws target against gameday sim serve', () => {
  it(
    'measures both scenarios over HTTP (FIS and the drill) within resolution of the server’s truth, loses no order, and fails the drill back',
    async () => {
      const run = await gameday([FEATURE, '--env', REHEARSAL, '--ui', 'plain'], { env: stagingRunnerEnv(served.server.url) });
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      const dir = await readRun(run.out);
      expect(dir.results.target).toBe('aws');
      const [fis, drill] = dir.results.scenarios;
      expect(fis!.status).toBe('passed');
      expect(drill!.status).toBe('passed');
      expect(fis!.incident).toMatchObject({ kind: 'fault' });
      expect(drill!.incident).toMatchObject({ kind: 'planned', what: 'failover of cluster securecart-checkout' });

      // The truth: the FIS failover and its fail-back, the drill's failover and its fail-back.
      const failovers = clusterFailovers();
      expect(failovers.map((f) => [f.from, f.to])).toEqual([
        ['securecart-checkout-1', 'securecart-checkout-2'],
        // The FIS scenario's end fails the writer FIS moved back to the one it found (journalled as the scenario started),
        // so the drill starts from checkout-1 too, and its own fail-back brings it there again.
        ['securecart-checkout-2', 'securecart-checkout-1'],
        ['securecart-checkout-1', 'securecart-checkout-2'],
        ['securecart-checkout-2', 'securecart-checkout-1'],
      ]);
      expect(fis!.timeline.filter((e) => e.kind === 'cleanup.step').map((e) => e.detail)).toContainEqual({
        step: 'FailoverDBCluster (writer of securecart-checkout back to securecart-checkout-1)',
        outcome: 'done',
      });
      for (const [scenario, truth] of [
        [fis!, failovers[0]!],
        [drill!, failovers[2]!],
      ] as const) {
        const { rto, rpo } = scenario;
        expect(rto!.truthSeconds, 'no truth from a target that is not the sim').toBeUndefined();
        // Writes are refused from the failover's start to its end; the probe sees it within its resolution, plus the network's and the clocks' second.
        expect(rto!.measuredSeconds! - truth.seconds, `${scenario.name}: RTO measured ${rto!.measuredSeconds} s, failover took ${truth.seconds} s`).toBeGreaterThanOrEqual(-1.5);
        expect(rto!.measuredSeconds! - truth.seconds, `${scenario.name}: RTO measured ${rto!.measuredSeconds} s, failover took ${truth.seconds} s`).toBeLessThanOrEqual(rto!.resolutionSeconds + 1.5);
        expect(rpo).toMatchObject({ measuredSeconds: 0, lostWrites: 0, met: true });
        // The canary really wrote through the service during the failover: some orders were refused.
        expect(scenario.timeline.some((e) => e.kind === 'canary.write' && e.detail.ok === false), `${scenario.name}: refused orders`).toBe(true);
      }
      // The canary's orders went through the checkout API into the cluster, and none into orders-db, which the orders API writes to.
      const rds = sim().world.module('rds').model;
      const canaryRows = (id: string) => rds.writesOf(EAST, id).filter((w) => w.key.startsWith('canary/'));
      expect(canaryRows('securecart-checkout').length).toBeGreaterThan(0);
      expect(canaryRows('securecart-orders')).toEqual([]);
      expect(drill!.timeline.filter((e) => e.kind === 'cleanup.step').map((e) => e.detail)).toContainEqual({
        step: 'FailoverDBCluster (failover of cluster securecart-checkout)',
        outcome: 'done',
      });
    },
    300_000,
  );
});
