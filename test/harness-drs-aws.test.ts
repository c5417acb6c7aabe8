import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrsModule } from '../src/sim/services/drs/index.js';
import { CLI_TEST_TIMEOUT, ROOT, gameday, readRun, removeTemporary } from './fixtures/features/run-cli.js';
import { startSecureCartServer, type SecureCartServer } from './support/securecart-server.js';
import { stagingRunnerEnv } from './support/transport.js';
import { WEST } from './support/sim.js';

/**
 * The Elastic Disaster Recovery drill through the aws target, as a staging
 * run would make it: the DRS client's own calls over HTTP to `gameday sim
 * serve` (scenarios/environments/rehearsal.yaml), the runner's clock wall
 * time, the sim's eleven months behind it at 1× real time. DRS is
 * calibrated to seconds here (snapshot, conversion, launch, boot) so the
 * drill takes seconds, not minutes; the truth is read from the server's own
 * DRS model, on its clock, and compared as durations.
 */

const REHEARSAL = 'scenarios/environments/rehearsal.yaml';
const DRILL = 'features/elastic-disaster-recovery.feature:13';

/** Seconds for each step of a DRS launch, with no slow tail: what keeps the drill short at real time. */
const QUICK_DRS = [
  'drs.snapshot: { minSeconds: 1, maxSeconds: 2, tailShare: 0 }',
  'drs.conversion: { minSeconds: 2, maxSeconds: 4, tailShare: 0 }',
  'drs.launch: { minSeconds: 1, maxSeconds: 2, tailShare: 0 }',
  'drs.boot: { minSeconds: 3, maxSeconds: 5, tailShare: 0 }',
  'drs.terminate: { minSeconds: 1, maxSeconds: 2, tailShare: 0 }',
];

let served: SecureCartServer;
const sim = () => served.sim();

beforeAll(async () => {
  served = await startSecureCartServer({
    folder: 'gameday-drs-aws',
    edit: (text) => {
      const quick = text.replace(/^  calibration:\n/m, `  calibration:\n${QUICK_DRS.map((line) => `    ${line}\n`).join('')}`);
      expect(quick).toContain('    drs.boot: { minSeconds: 3');
      return quick;
    },
  });
}, 60_000);

afterAll(async () => {
  await served?.close();
  await removeTemporary();
});

describe('a DRS drill through the aws target against gameday sim serve', () => {
  it(
    'measures RTO and RPO on the runner’s clock within resolution of the sim’s truth, and terminates the drill’s instances at the end',
    async () => {
      const drs = sim().world.module<DrsModule>('drs').model;
      const before = new Set(drs.allRecoveryInstances().map((i) => i.id));
      const run = await gameday([DRILL, '--env', REHEARSAL, '--ui', 'plain'], { env: stagingRunnerEnv(served.server.url) });
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      const dir = await readRun(run.out);
      const [scenario] = dir.results.scenarios;
      expect(dir.results.target).toBe('aws');
      expect(scenario!.status).toBe('passed');
      expect(scenario!.incident).toMatchObject({ kind: 'planned', what: 'DRS drill of the backend servers in us-west-2' });

      // The truth, from the server's DRS model: the drill's job and the two instances it launched.
      const instances = drs.allRecoveryInstances().filter((i) => !before.has(i.id));
      expect(instances.map((i) => [i.region, i.isDrill])).toEqual([
        [WEST, true],
        [WEST, true],
      ]);
      const job = drs.job(WEST, instances[0]!.jobId);
      expect(job.initiatedBy).toBe('START_DRILL');
      const answering = Math.max(...instances.map((i) => i.answeringAt!));
      const rtoTruth = (answering - job.createdAt) / 1000;
      const rpoTruth = Math.max(...instances.map((i) => (job.createdAt - i.consistentAt) / 1000));
      expect(rtoTruth).toBeGreaterThan(5);

      // The runner's clock and AWS's: a Date header bounds the skew to a second, and the network adds milliseconds.
      const { rto, rpo } = scenario!;
      expect(rto!.truthSeconds, 'no truth from a target that is not the sim').toBeUndefined();
      expect(Math.abs(rto!.measuredSeconds! - rtoTruth), `RTO measured ${rto!.measuredSeconds} s, truth ${rtoTruth} s`).toBeLessThanOrEqual(rto!.resolutionSeconds + 1.5);
      expect(rpo!.measuredSeconds).toBeGreaterThan(0);
      expect(Math.abs(rpo!.measuredSeconds! - rpoTruth), `RPO measured ${rpo!.measuredSeconds} s, truth ${rpoTruth} s`).toBeLessThanOrEqual(rpo!.resolutionSeconds + 1.5);

      // The drill's undo ran against the server: its instances are shutting down or gone, and nothing is left changed.
      expect(scenario!.timeline.filter((e) => e.kind === 'cleanup.step').map((e) => e.detail)).toContainEqual({
        step: 'TerminateRecoveryInstances (DRS drill of securecart-backend-1, securecart-backend-2 in us-west-2)',
        outcome: 'done',
      });
      for (const instance of instances) expect(instance.terminatingAt, `${instance.id} terminating`).toBeDefined();
      expect(dir.results.leftChanged).toBeUndefined();
    },
    CLI_TEST_TIMEOUT,
  );
});
