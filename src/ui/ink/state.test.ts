import { describe, expect, test } from 'vitest';
import {
  createViewState,
  focusedScenario,
  leftBehind,
  LOG_LINES_KEPT,
  PROBE_SAMPLES_KEPT,
  reduce,
  rtoBudget,
  virtualSeconds,
  type ViewInput,
  type ViewState,
} from './state.js';
import { DNS_FAILOVER, multiAzFinished, noteAdded, PILOT_LIGHT, pilotLightStory, RUN_DIR, runFinished, runResults, runStarted, scenarioResult, scopeOf, stepStarted, timeline } from './test-support.js';

function fold(events: ViewInput[], state: ViewState = createViewState()): ViewState {
  for (const event of events) reduce(state, event);
  return state;
}

describe('reduce', () => {
  test('run.started lays out the plan, every scenario queued, and prints the run line once', () => {
    const state = fold([runStarted()]);
    expect(state.order).toEqual([
      'features/multi-az-failover.feature#a-forced-failover-injected-by-fis-loses-no-confirmed-order',
      PILOT_LIGHT.id,
      DNS_FAILOVER.id,
    ]);
    expect([...state.scenarios.values()].map((s) => s.state)).toEqual(['queued', 'queued', 'queued']);
    expect(state.scenarios.get(PILOT_LIGHT.id)!.targets).toEqual({ rtoSeconds: 900, rpoSeconds: 60 });
    expect(state.printed.map((block) => block.kind)).toEqual(['run']);
    expect(state.speed).toBe(100);
  });

  test("the plan's targets stand over objectives.set: a step's own (healthy again within 15 minutes) is what the RTO is judged against", () => {
    const stated = timeline(PILOT_LIGHT, 0, { kind: 'objectives.set', detail: { rtoSeconds: 180, rpoSeconds: 0 } });
    const planned = fold([runStarted(), stated]);
    expect(planned.scenarios.get(PILOT_LIGHT.id)!.targets).toEqual({ rtoSeconds: 900, rpoSeconds: 60 });
    // A plan that could not say them: the event does.
    const { objectives: _stated, ...unstated } = PILOT_LIGHT;
    const unplanned = fold([runStarted({ plan: [unstated] }), stated]);
    expect(unplanned.scenarios.get(PILOT_LIGHT.id)!.targets).toEqual({ rtoSeconds: 180, rpoSeconds: 0 });
  });

  test('steps take their state and the scenario its current step', () => {
    const state = fold([runStarted(), ...pilotLightStory({ until: 61 })]);
    const scenario = state.scenarios.get(PILOT_LIGHT.id)!;
    expect(scenario.state).toBe('running');
    expect(scenario.steps.map((s) => s.state)).toEqual(['passed', 'passed', 'passed', 'passed', 'running', 'queued', 'queued', 'queued']);
    expect(scenario.currentStep).toBe(4);
    expect(scenario.steps[3]).toMatchObject({ startT: 1, endT: 10 });
  });

  test('before the incident the RTO budget has a target and nothing spent', () => {
    const state = fold([runStarted(), ...pilotLightStory({ until: 50 })]);
    expect(rtoBudget(state.scenarios.get(PILOT_LIGHT.id)!)).toEqual({ targetSeconds: 900, recovered: false });
  });

  test('during recovery the budget spent is the latest t seen less the incident instant', () => {
    const state = fold([runStarted(), ...pilotLightStory({ incidentAt: 60, recoverAfter: 800, until: 460 })]);
    const scenario = state.scenarios.get(PILOT_LIGHT.id)!;
    expect(scenario.now).toBe(460);
    expect(scenario.incident).toEqual({ t: 60, what: 'primary-region-outage: gameday:sim:region-outage', kind: 'fault' });
    expect(rtoBudget(scenario)).toEqual({ targetSeconds: 900, elapsedSeconds: 400, recovered: false });
  });

  test('recovery freezes the budget at the measured figure, however long the scenario goes on', () => {
    const state = fold([runStarted(), ...pilotLightStory({ recoverAfter: 400, until: 475 })]);
    const budget = rtoBudget(state.scenarios.get(PILOT_LIGHT.id)!)!;
    expect(budget.elapsedSeconds).toBe(400);
    expect(budget.recovered).toBe(true);
    expect(budget.verdict).toMatchObject({ measuredSeconds: 400, met: true });
  });

  test('the canary counts acknowledged and refused writes, and the readback says which were lost', () => {
    const during = fold([runStarted(), ...pilotLightStory({ incidentAt: 60, recoverAfter: 100, until: 100 })]);
    expect(during.scenarios.get(PILOT_LIGHT.id)!.canaries).toEqual([{ name: 'orders-db', acknowledged: 11, failed: 9 }]);
    const after = fold([runStarted(), ...pilotLightStory({ incidentAt: 60, recoverAfter: 100, lost: [11, 12] })]);
    expect(after.scenarios.get(PILOT_LIGHT.id)!.canaries[0]!.lost).toEqual([11, 12]);
  });

  test('probe samples are counted in full but kept only as many as the strip can show', () => {
    const state = fold([runStarted()]);
    for (let t = 1; t <= 10_000; t++) reduce(state, timeline(PILOT_LIGHT, t, { kind: 'probe.sample', detail: { probe: 'probe:orders-db', ok: t % 10 !== 0 } }));
    const probe = state.scenarios.get(PILOT_LIGHT.id)!.probes[0]!;
    expect(probe.up).toBe(9000);
    expect(probe.down).toBe(1000);
    expect(probe.samples.length).toBeLessThan(PROBE_SAMPLES_KEPT * 2);
    expect(probe.samples.at(-1)).toBe(false);
    expect(probe.samples.at(-2)).toBe(true);
  });

  test('an experiment polled in the same state adds one line, not one per look', () => {
    const body = { kind: 'experiment.state', detail: { experimentId: 'EXP1', templateId: 'EXT1', fault: 'rds-reboot-with-failover', state: 'running' } } as const;
    const state = fold([runStarted(), timeline(PILOT_LIGHT, 10, body), timeline(PILOT_LIGHT, 20, body), timeline(PILOT_LIGHT, 30, body)]);
    const scenario = state.scenarios.get(PILOT_LIGHT.id)!;
    expect(scenario.log.filter((line) => line.text.startsWith('FIS EXP1'))).toHaveLength(1);
    expect(scenario.experiments).toEqual([{ id: 'EXP1', templateId: 'EXT1', fault: 'rds-reboot-with-failover', state: 'running' }]);
  });

  test('a finished scenario leaves the running list and is printed once, in a new array (Static compares arrays by identity)', () => {
    const state = fold([runStarted()]);
    const before = state.printed;
    fold(multiAzFinished(), state);
    expect(state.running).toEqual([]);
    expect(state.printed).not.toBe(before);
    expect(state.printed.map((block) => block.kind)).toEqual(['run', 'scenario']);
    const block = state.printed[1]!;
    expect(block).toMatchObject({ kind: 'scenario', state: 'passed', rto: { measuredSeconds: 95, met: true }, rpo: { measuredSeconds: 0, met: true } });
  });

  test('a scenario that never recovers is failed with the RTO breached', () => {
    const events = pilotLightStory({ until: 700 });
    const rto = { targetSeconds: 900, measuredSeconds: null, resolutionSeconds: 5, met: false, observedSeconds: 1200 };
    const finished = { ...scopeOf(PILOT_LIGHT), kind: 'scenario.finished' as const, wallMs: 0, status: 'failed' as const, error: 'orders-db was not healthy again within 15 min', result: (({ timeline: _t, ...r }) => r)(scenarioResult(PILOT_LIGHT, 'failed', { rto, error: 'orders-db was not healthy again within 15 min' })) };
    const state = fold([runStarted(), ...events, finished]);
    const scenario = state.scenarios.get(PILOT_LIGHT.id)!;
    expect(scenario.state).toBe('failed');
    expect(scenario.rto).toMatchObject({ measuredSeconds: null, met: false, observedSeconds: 1200 });
    expect(state.printed.at(-1)).toMatchObject({ kind: 'scenario', state: 'failed', error: 'orders-db was not healthy again within 15 min' });
  });

  test('a retry (a new attempt) starts the scenario afresh', () => {
    const state = fold([runStarted(), ...pilotLightStory({ until: 100 })]);
    reduce(state, { ...stepStarted(PILOT_LIGHT, 0, 0), ...scopeOf(PILOT_LIGHT, 2) });
    const scenario = state.scenarios.get(PILOT_LIGHT.id)!;
    expect(scenario.attempt).toBe(scopeOf(PILOT_LIGHT, 2).testCaseStartedId);
    expect(scenario.steps.map((s) => s.state)).toEqual(['running', 'queued', 'queued', 'queued', 'queued', 'queued', 'queued', 'queued']);
    expect(scenario.probes).toEqual([]);
    expect(scenario.incident).toBeUndefined();
  });

  test("a person's note goes with the scenario running; the harness's own info stays a dim remark", () => {
    const state = fold([runStarted(), ...pilotLightStory({ until: 70 })]);
    reduce(state, noteAdded({ at: '2026-12-07T13:01:00Z', text: 'replica lag spiked', by: 'dana', scenarioId: PILOT_LIGHT.id, t: 70 }));
    const scenario = state.scenarios.get(PILOT_LIGHT.id)!;
    expect(state.notes).toBe(1);
    expect(scenario.recent.at(-1)).toEqual({ t: 70, mark: '✎', tone: 'accent', text: 'note (dana): replica lag spiked' });
    expect(scenario.log.find((line) => line.mark === 'i')).toMatchObject({ tone: 'dim', text: expect.stringContaining('environment securecart') });
  });

  test('a note while nothing runs is printed on its own', () => {
    const state = fold([runStarted()]);
    reduce(state, noteAdded({ at: '2026-12-07T13:01:00Z', text: 'coffee break' }));
    expect(state.printed.at(-1)).toMatchObject({ kind: 'note', text: 'coffee break' });
  });

  test('cleanup steps settle one by one; what is left lists undos not done and experiments not ended', () => {
    const state = fold([runStarted(), ...pilotLightStory({ until: 200 }), { kind: 'view.interrupt' }]);
    reduce(state, timeline(PILOT_LIGHT, 201, { kind: 'cleanup.started', detail: { steps: ['StopExperiment (primary-region-outage)', 'PromoteReadReplica (orders-db-replica)', 'RestoreRegion (us-east-1)'] } }));
    reduce(state, timeline(PILOT_LIGHT, 202, { kind: 'cleanup.step', detail: { step: 'StopExperiment (primary-region-outage)', outcome: 'done' } }));
    reduce(state, timeline(PILOT_LIGHT, 203, { kind: 'cleanup.step', detail: { step: 'PromoteReadReplica (orders-db-replica)', outcome: 'failed', error: 'InvalidDBInstanceState' } }));
    const scenario = state.scenarios.get(PILOT_LIGHT.id)!;
    expect(scenario.cleanup!.map((s) => s.outcome)).toEqual(['done', 'failed', 'pending']);
    expect(leftBehind(state)).toEqual([
      {
        scenario: PILOT_LIGHT.name,
        undos: [
          { step: 'PromoteReadReplica (orders-db-replica)', outcome: 'failed', error: 'InvalidDBInstanceState' },
          { step: 'RestoreRegion (us-east-1)', outcome: 'pending' },
        ],
        experiments: [expect.objectContaining({ id: 'EXP7f3a9c', state: 'running' })],
      },
    ]);
  });

  test('an event of a kind the view does not know, outside any scenario, changes nothing', () => {
    const state = fold([runStarted()]);
    const unknown = JSON.parse('{"kind":"run.heartbeat","wallMs":5}') as ViewInput;
    expect(() => reduce(state, unknown)).not.toThrow();
    expect([...state.scenarios.keys()]).toHaveLength(3);
  });

  test('interrupts count to three (abort, what is left, abandon) and no further', () => {
    const state = fold([{ kind: 'view.interrupt' }, { kind: 'view.interrupt' }, { kind: 'view.interrupt' }, { kind: 'view.interrupt' }]);
    expect(state.interrupts).toBe(3);
  });

  test('run.pace settles the speed and pause the keys asked for on what the run applied', () => {
    const state = fold([runStarted(), { kind: 'view.pause', paused: true }, { kind: 'run.pace', speed: 50, paused: false, wallMs: 1 }]);
    expect(state.speed).toBe(50);
    expect(state.paused).toBe(false);
  });

  test('run.finished prints the summary with the run folder', () => {
    const results = runResults([scenarioResult(PILOT_LIGHT, 'passed')]);
    const state = fold([runStarted(), runFinished(results)]);
    expect(state.finished).toEqual({ results, dir: RUN_DIR });
    expect(state.printed.at(-1)).toMatchObject({ kind: 'summary', dir: RUN_DIR });
  });

  test('under --parallel the newest scenario started is shown in detail; virtual time adds up each clock', () => {
    const state = fold([runStarted({ parallel: 2 }), ...pilotLightStory({ until: 100 })]);
    reduce(state, timeline(DNS_FAILOVER, 30, { kind: 'scenario.started', detail: { name: DNS_FAILOVER.name, uri: DNS_FAILOVER.uri, line: DNS_FAILOVER.line, target: 'sim' } }));
    expect(state.running).toEqual([PILOT_LIGHT.id, DNS_FAILOVER.id]);
    expect(focusedScenario(state)!.id).toBe(DNS_FAILOVER.id);
    expect(virtualSeconds(state)).toBe(130);
  });

  test('a long scenario keeps the first lines for its printed block and counts the rest', () => {
    const state = fold([runStarted()]);
    for (let t = 0; t < LOG_LINES_KEPT + 25; t++) reduce(state, timeline(PILOT_LIGHT, t, { kind: 'info', detail: { message: `look ${t}` } }));
    const scenario = state.scenarios.get(PILOT_LIGHT.id)!;
    expect(scenario.log).toHaveLength(LOG_LINES_KEPT);
    expect(scenario.logDropped).toBe(25);
    expect(scenario.recent.at(-1)!.text).toBe(`look ${LOG_LINES_KEPT + 24}`);
  });
});
