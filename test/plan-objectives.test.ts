import { afterAll, describe, expect, it } from 'vitest';
import type { PlannedScenario } from '../src/run/types.js';
import { CLI_TEST_TIMEOUT, finishedRun, lines, removeTemporary } from './fixtures/features/run-cli.js';

/**
 * The run's plan (run.started) states each scenario's targets before anything
 * is measured: what the live view's RTO budget counts against. They must be
 * the targets the objectives are judged by. In multi-az-failover.feature the
 * Background says RTO 5 minutes, and the second scenario judges its recovery
 * "within 3 minutes": its plan must say 3 minutes, not the Background's 5.
 */

afterAll(removeTemporary);

describe('the plan states the targets the objectives are judged by', () => {
  it(
    "a step's own target (healthy again within 3 minutes) stands over the Background's",
    async () => {
      const { run, dir } = await finishedRun(['features/multi-az-failover.feature', '--ui', 'json']);
      const started = JSON.parse(lines(run.stdout)[0]!) as { kind: string; plan: PlannedScenario[] };
      expect(started.kind).toBe('run.started');
      const judged = dir.results.scenarios.map((s) => ({ name: s.name, rtoSeconds: s.rto?.targetSeconds, rpoSeconds: s.rpo?.targetSeconds }));
      const planned = dir.results.scenarios.map((s) => {
        const plan = started.plan.find((p) => p.id === s.id)!;
        return { name: s.name, rtoSeconds: plan.objectives?.rtoSeconds, rpoSeconds: plan.objectives?.rpoSeconds };
      });
      expect(planned).toEqual(judged);
      expect(judged.map((s) => s.rtoSeconds)).toEqual([300, 180]);
    },
    CLI_TEST_TIMEOUT,
  );
});
