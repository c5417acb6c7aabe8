import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../harness/cleanup.js';
import type { HistoryEntry, RunResults, ScenarioResult, TimelineEntry } from '../types.js';
import { canaryTracks, journalCalls, probeTracks, trendOf, verdictOf } from './report-data.js';

const T0 = Date.parse('2026-01-05T09:00:00.000Z');
const at = (t: number) => new Date(T0 + t * 1000).toISOString();

function sample(t: number, ok: boolean, status = ok ? 'HTTP 200 from us-east-1' : 'timeout'): TimelineEntry {
  return { at: at(t), t, kind: 'probe.sample', detail: { probe: 'probe:orders-api', ok, status } };
}

function write(t: number, seq: number, ok: boolean): TimelineEntry {
  return { at: at(t), t, kind: 'canary.write', detail: { canary: 'orders-db', seq, ok, ...(ok ? {} : { error: 'read-only' }) } };
}

describe('probeTracks', () => {
  it('folds samples into runs of one outcome and status', () => {
    const timeline: TimelineEntry[] = [
      { at: at(0), t: 0, kind: 'probe.started', detail: { probe: 'probe:orders-api', kind: 'http', target: 'orders-api', resolutionSeconds: 5 } },
      sample(0, true),
      sample(5, true),
      sample(10, false),
      sample(15, false),
      sample(20, false),
      sample(25, true, 'HTTP 200 from us-west-2'),
    ];
    expect(probeTracks(timeline)).toEqual([
      {
        probe: 'probe:orders-api',
        target: 'orders-api',
        kind: 'http',
        resolutionSeconds: 5,
        runs: [
          [0, 5, 2, true, 'HTTP 200 from us-east-1'],
          [10, 20, 3, false, 'timeout'],
          [25, 25, 1, true, 'HTTP 200 from us-west-2'],
        ],
        up: 3,
        down: 3,
      },
    ]);
  });
});

describe('canaryTracks', () => {
  it('folds writes into runs and dates the lost ones by their acknowledgement', () => {
    const timeline: TimelineEntry[] = [
      write(0, 1, true),
      write(5, 2, true),
      write(10, 3, false),
      write(15, 4, true),
      { at: at(20), t: 20, kind: 'canary.readback', detail: { canary: 'orders-db', written: 3, survived: 2, lost: [2, 9] } },
    ];
    expect(canaryTracks(timeline)).toEqual([
      {
        canary: 'orders-db',
        runs: [
          [0, 5, 2, true, 1, ''],
          [10, 10, 1, false, 3, 'read-only'],
          [15, 15, 1, true, 4, ''],
        ],
        acknowledged: 3,
        failed: 1,
        lost: [
          { seq: 2, t: 5 },
          { seq: 9, t: null },
        ],
        written: 3,
        survived: 2,
      },
    ]);
  });
});

describe('journalCalls', () => {
  const call = { service: 'rds', region: 'us-west-2', operation: 'PromoteReadReplica', input: {} } as const;
  const undo = { service: 'fis', region: 'us-east-1', operation: 'StopExperiment', input: { id: 'EXP1' } } as const;
  const entry = (id: number, kind: JournalEntry['kind'], extra: Partial<JournalEntry> = {}): JournalEntry => ({
    runId: 'run',
    scenario: 'features/x.feature#x',
    at: at(id),
    kind,
    id,
    description: `change ${id}`,
    ...extra,
  });

  it('gives each mutating call what became of its undo', () => {
    const calls = journalCalls([
      entry(1, 'call', { call: undo }),
      entry(1, 'undo', { undo }),
      entry(2, 'call', { call }),
      entry(2, 'undo', { undo: null }),
      entry(3, 'call', { call: undo }),
      entry(3, 'undo', { undo }),
      entry(4, 'call', { call: undo }),
      entry(4, 'undo', { undo }),
      entry(5, 'call', { call: undo }),
      entry(4, 'undo-failed', { undo, error: 'ThrottlingException: Rate exceeded' }),
      entry(1, 'undone', { undo }),
    ]);
    expect(calls.map((c) => [c.id, c.outcome, c.error])).toEqual([
      [1, 'undone', undefined],
      [2, 'irreversible', undefined],
      [3, 'pending', undefined],
      [4, 'undo-failed', 'ThrottlingException: Rate exceeded'],
      [5, 'no-undo', undefined],
    ]);
    expect(calls[0]).toMatchObject({ at: at(1), undoneAt: at(1), call: undo, undo });
  });

  it('keeps calls of different scenarios apart (each scenario numbers its calls from 1)', () => {
    const calls = journalCalls([entry(1, 'call'), { ...entry(1, 'call'), scenario: 'features/y.feature#y' }]);
    expect(calls).toHaveLength(2);
  });
});

function run(overrides: Partial<RunResults> = {}): RunResults {
  return {
    schemaVersion: 1,
    runId: 'run-now',
    target: 'sim',
    seed: 42,
    environment: 'securecart',
    regions: ['us-east-1'],
    startedAt: '2026-02-17T06:00:00.000Z',
    finishedAt: '2026-02-17T06:00:05.000Z',
    interrupted: false,
    exitCode: 0,
    summary: { scenarios: 0, passed: 0, failed: 0, skipped: 0, objectives: { met: 0, breached: 0 } },
    warnings: [],
    notes: [],
    scenarios: [],
    ...overrides,
  };
}

function scenario(overrides: Partial<ScenarioResult> = {}): ScenarioResult {
  return {
    id: 'features/pilot-light.feature#the-primary-region-loses-its-orders-database',
    name: 'The primary region loses its orders database',
    uri: 'features/pilot-light.feature',
    line: 14,
    tags: [],
    environment: 'securecart',
    status: 'passed',
    breaches: [],
    incident: null,
    rto: { targetSeconds: 900, measuredSeconds: 300, resolutionSeconds: 5, met: true },
    rpo: null,
    objectives: [],
    experiments: [],
    wallSeconds: 1,
    steps: [],
    timeline: [],
    ...overrides,
  };
}

describe('trendOf', () => {
  const own = scenario();
  const entry = (runId: string, startedAt: string, measuredSeconds: number | null, overrides: Partial<HistoryEntry> = {}): HistoryEntry => ({
    runId,
    startedAt,
    environment: 'securecart',
    target: 'sim',
    seed: 1,
    exitCode: 0,
    scenarios: [{ id: own.id, name: own.name, status: 'passed', rto: { measuredSeconds, targetSeconds: 900, met: measuredSeconds !== null }, rpo: null }],
    ...overrides,
  });

  it('takes earlier runs on the same environment and target, oldest first, this run last', () => {
    const trend = trendOf(own, run({ scenarios: [own] }), [
      entry('b', '2026-02-10T06:00:00.000Z', 280),
      entry('a', '2026-02-09T06:00:00.000Z', null),
      entry('staging', '2026-02-11T06:00:00.000Z', 400, { environment: 'staging' }),
      entry('aws', '2026-02-12T06:00:00.000Z', 500, { target: 'aws' }),
      entry('later', '2026-02-18T06:00:00.000Z', 600),
      entry('run-now', '2026-02-17T06:00:00.000Z', 300),
      entry('b', '2026-02-10T06:00:00.000Z', 280),
    ]);
    expect(trend?.points.map((p) => [p.runId, p.rto?.measuredSeconds, p.current])).toEqual([
      ['a', null, false],
      ['b', 280, false],
      ['run-now', 300, true],
    ]);
  });

  it('shows the last ten runs, this one included', () => {
    const history = Array.from({ length: 15 }, (_, i) => entry(`r${i}`, `2026-02-0${Math.floor(i / 10)}T0${i % 10}:00:00.000Z`, 100 + i));
    const trend = trendOf(own, run({ scenarios: [own] }), history);
    expect(trend?.points).toHaveLength(10);
    expect(trend?.points[0]?.runId).toBe('r6');
  });

  it('is null for a scenario that never has an RTO or RPO', () => {
    expect(trendOf(scenario({ rto: null }), run(), [])).toBeNull();
  });
});

describe('verdictOf', () => {
  const passed = scenario();
  const failed = scenario({ status: 'failed' });
  const skipped = scenario({ status: 'skipped' });

  it.each([
    [run({ scenarios: [passed] }), 'passed', 'PASSED'],
    [run({ scenarios: [passed, failed], exitCode: 1 }), 'failed', 'FAILED'],
    [run({ scenarios: [passed, failed, skipped], interrupted: true, exitCode: 130 }), 'interrupted', 'INTERRUPTED'],
    [run({ exitCode: 3 }), 'refused', 'REFUSED'],
    [run({ exitCode: 2 }), 'bad-input', 'BAD INPUT'],
    [run(), 'empty', 'NOTHING RAN'],
  ] as const)('%#: %s', (results, outcome, headline) => {
    expect(verdictOf(results)).toMatchObject({ outcome, headline });
  });

  it('fails a run whose scenarios passed but whose objective was breached', () => {
    const breached = scenario({ objectives: [{ objective: 'rto', subject: 'x', scenarioObjective: true, targetSeconds: 60, measuredSeconds: 90, resolutionSeconds: 5, met: false }] });
    expect(verdictOf(run({ scenarios: [breached] })).outcome).toBe('failed');
  });
});
