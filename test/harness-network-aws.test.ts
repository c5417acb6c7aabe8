import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvironment, type SimEnvironment } from '../src/env/index.js';
import type { Simulator } from '../src/sim/index.js';
import type { SimServer } from '../src/sim/server.js';
import { gameday, readRun, removeTemporary, ROOT, RUN_TIMEOUT, SETUP_TIMEOUT } from './fixtures/features/run-cli.js';
import { serveInRealTime } from './support/securecart-server.js';
import { stagingRunnerEnv } from './support/transport.js';

/**
 * A network disruption under an Aurora writer through the aws target, as a
 * staging run would see it: every call over HTTP to `gameday sim serve` at
 * real time, the canary's orders through the ledger API's HTTP contract.
 * FIS's aws:network:disrupt-connectivity cuts the writer's subnet off for
 * 20 s; RDS fails nothing over, so the control plane says `available` all
 * along while every order is refused. The probe takes the canary's orders
 * as the data path's evidence there: the RTO measured is the outage the
 * writes had, not the first `available` after the fault (which was ~4 s
 * before the canary's orders counted, and the RPO step then failed reading
 * back through a still-cut database).
 */

const FOLDER = 'test/fixtures/env/aws/network';
const SECONDS = 20;

let server: SimServer;
let sim: () => Simulator;

beforeAll(async () => {
  const env = (await loadEnvironment(join(ROOT, FOLDER, 'ledger-on-sim.yaml'))) as SimEnvironment;
  ({ server, sim } = await serveInRealTime(env));
}, SETUP_TIMEOUT);

afterAll(async () => {
  await server?.close();
  await removeTemporary();
});

describe('a network disruption under an Aurora writer, through the aws target against gameday sim serve', () => {
  it(
    'measures the outage of the writes (the canary’s orders), though RDS says available throughout; loses no order; the writer stays',
    async () => {
      const run = await gameday([`${FOLDER}/zone-a-network.feature`, '--env', `${FOLDER}/ledger-aws.yaml`, '--ui', 'plain'], { env: stagingRunnerEnv(server.url) });
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      const { results } = await readRun(run.out);
      const [scenario] = results.scenarios;
      expect(scenario!.status).toBe('passed');
      expect(scenario!.incident).toMatchObject({ kind: 'fault' });
      const rto = scenario!.rto!;
      // The subnet was cut for 20 s from the action's start, about when the incident is marked (the server's clock is read
      // from Date headers, to the second); the probe sees the first acknowledged order after it within its resolution plus
      // the canary's interval (5 s each, the defaults: three samples in a row span more than one order's interval, so an
      // order placed before the cut bit cannot vouch for all three) and that second.
      expect(rto.measuredSeconds!, JSON.stringify(rto)).toBeGreaterThanOrEqual(SECONDS - rto.resolutionSeconds - 1);
      expect(rto.measuredSeconds!, JSON.stringify(rto)).toBeLessThanOrEqual(SECONDS + rto.resolutionSeconds + 5 + 1);
      expect(scenario!.rpo).toMatchObject({ measuredSeconds: 0, met: true });
      // The server's truth: the writer was refused for its subnet, and no failover started.
      const events = sim().world.events;
      expect(events.filter((e) => e.kind === 'rds.failover.started')).toEqual([]);
      const probes = scenario!.timeline.flatMap((e) => (e.kind === 'probe.sample' && !e.detail.ok ? [e.detail.status ?? ''] : []));
      expect(probes.length).toBeGreaterThan(0);
      expect(probes.every((status) => status.includes('available, writer ledger-1, but writes fail') && status.includes('subnet subnet-0aaa0000000000001 is disrupted'))).toBe(true);
    },
    RUN_TIMEOUT,
  );
});
