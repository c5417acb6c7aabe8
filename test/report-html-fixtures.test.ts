import { describe, expect, it } from 'vitest';
import { FIXTURE_RUNS, loadFixtureRun } from './fixtures/runs/fixture-runs.js';
import { fixtureTypeErrors } from './fixtures/runs/type-check.js';
import { validateAgainst } from './support/json-schema.js';

describe('the HTML report’s fixture runs', () => {
  it('match RunResults, JournalEntry and HistoryEntry exactly (checked by the TypeScript compiler)', { timeout: 120_000 }, () => {
    expect(fixtureTypeErrors()).toEqual([]);
  });

  it.each(FIXTURE_RUNS)('%s: results.json matches schemas/results.schema.json', (name) => {
    expect(validateAgainst('schemas/results.schema.json', loadFixtureRun(name).results)).toEqual([]);
  });

  it.each(FIXTURE_RUNS)('%s: summary agrees with its scenarios, and every event sits under a step that ran', (name) => {
    const { results, journal } = loadFixtureRun(name);
    const scenarios = results.scenarios;
    const passed = scenarios.filter((s) => s.status === 'passed').length;
    const skipped = scenarios.filter((s) => s.status === 'skipped').length;
    const checks = scenarios.flatMap((s) => s.objectives);
    expect(results.summary).toEqual({
      scenarios: scenarios.length,
      passed,
      failed: scenarios.length - passed - skipped,
      skipped,
      objectives: { met: checks.filter((c) => c.met).length, breached: checks.filter((c) => !c.met).length },
    });
    for (const scenario of scenarios) {
      for (const event of scenario.timeline) {
        if (event.step !== undefined) expect(scenario.steps[event.step]?.status, `${scenario.name}: ${event.kind} at ${event.t}`).not.toBe('skipped');
      }
    }
    // The journal names a scenario by `uri:line` (it is written before results exist); the report also takes its id.
    const names = new Set(scenarios.flatMap((s) => [s.id, `${s.uri}:${s.line}`]));
    for (const entry of journal) expect(names, `journal entry ${entry.id} of ${entry.scenario}`).toContain(entry.scenario);
  });
});
