import { afterAll, describe, expect, it } from 'vitest';
import { CLI_TEST_TIMEOUT, FIXTURES, finishedRun, removeTemporary } from './fixtures/features/run-cli.js';

/**
 * A canary whose every write fails before any fault (here: a read-only
 * replica; on staging, a wrong endpoint or a missing route) fails its step
 * once its grace of writes is spent, with the first error, instead of
 * leaving every RPO of the scenario meaningless in silence.
 */

afterAll(removeTemporary);

describe('a canary refused from the start', () => {
  it(
    'fails its step after the grace of three writes, naming the first error',
    async () => {
      const { run, dir } = await finishedRun([`${FIXTURES}/canary/refused.feature`, '--ui', 'plain']);
      expect(run.code).toBe(1);
      const [scenario] = dir.results.scenarios;
      expect(scenario!.status).toBe('failed');
      expect(scenario!.error).toMatch(/^orders written to "orders-db-replica" are not acknowledged: 3 writes failed in a row, the first with: .+/);
      const writes = scenario!.timeline.filter((e) => e.kind === 'canary.write');
      expect(writes.slice(0, 3).map((e) => e.detail.ok)).toEqual([false, false, false]);
      // The step failed, so the scenario did not go on to the business-as-usual wait.
      expect(run.stdout).toContain('✘ step failed: orders are written to "orders-db-replica" every 5 seconds');
    },
    CLI_TEST_TIMEOUT,
  );
});
