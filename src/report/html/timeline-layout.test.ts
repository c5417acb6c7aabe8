import { describe, expect, it } from 'vitest';
import type { RunResults, ScenarioResult, TimelineEntry } from '../types.js';
import { reportData } from './report-data.js';
import { ticksFor, timelineLayout } from './timeline-layout.js';

const T0 = Date.parse('2026-01-05T09:00:00.000Z');
const at = (t: number) => new Date(T0 + t * 1000).toISOString();
const event = (t: number, rest: Omit<TimelineEntry, 'at' | 't'>) => ({ at: at(t), t, ...rest }) as TimelineEntry;

function layoutOf(scenario: Partial<ScenarioResult>) {
  const results: RunResults = {
    schemaVersion: 1,
    runId: 'run',
    target: 'sim',
    seed: 1,
    environment: 'securecart',
    regions: ['us-east-1', 'us-west-2'],
    startedAt: at(0),
    finishedAt: at(1),
    interrupted: false,
    exitCode: 0,
    summary: { scenarios: 1, passed: 1, failed: 0, skipped: 0, objectives: { met: 0, breached: 0 } },
    warnings: [],
    notes: [{ at: at(0), text: 'replica promoted by hand', scenarioId: 'f#s', t: 40 }],
    scenarios: [
      {
        id: 'f#s',
        name: 's',
        uri: 'f',
        line: 1,
        tags: [],
        environment: 'securecart',
        status: 'passed',
        breaches: [],
        incident: { kind: 'fault', at: at(10), t: 10, what: 'primary-region-outage: region-outage' },
        rto: { targetSeconds: 100, measuredSeconds: 80, resolutionSeconds: 5, met: true },
        rpo: { targetSeconds: 60, measuredSeconds: 0, resolutionSeconds: 5, met: true },
        objectives: [],
        experiments: [
          {
            id: 'EXP1',
            templateId: 'EXT1',
            fault: 'primary-region-outage',
            state: 'stopped',
            actions: [
              { name: 'region-outage', actionId: 'gameday:sim:region-outage', state: 'stopped', startTime: at(10), endTime: at(100) },
              { name: 'wait', actionId: 'aws:fis:wait', state: 'running', startTime: at(20) },
            ],
          },
        ],
        simulatedSeconds: 100,
        wallSeconds: 1,
        steps: [],
        timeline: [
          event(0, { kind: 'scenario.started', detail: { name: 's', uri: 'f', line: 1, target: 'sim' } }),
          event(10, { kind: 'action.started', detail: { action: 'promote read replica', target: 'orders-db-replica', region: 'us-west-2' } }),
          event(60, { kind: 'action.completed', detail: { action: 'promote read replica', target: 'orders-db-replica', region: 'us-west-2', seconds: 50 } }),
          event(60, { kind: 'action.started', detail: { action: 'DNS failover', target: 'api.securecart.example → us-west-2', region: 'global' } }),
          event(85, { kind: 'action.completed', detail: { action: 'DNS failover', target: 'api.securecart.example → us-west-2', region: 'global', seconds: 25 } }),
          event(95, { kind: 'recovered', detail: { probe: 'probe:orders-api', target: 'orders-api', seconds: 80 } }),
        ],
        ...scenario,
      },
    ],
  };
  return timelineLayout(reportData({ results, journal: [], history: [] }).scenarios[0]!);
}

describe('ticksFor', () => {
  it('picks the smallest round step that gives at most eight intervals', () => {
    expect(ticksFor(1211)).toEqual([0, 300, 600, 900, 1200]);
    expect(ticksFor(19)).toEqual([0, 5, 10, 15]);
    expect(ticksFor(5407)).toEqual([0, 900, 1800, 2700, 3600, 4500, 5400]);
  });
});

describe('timelineLayout', () => {
  const layout = layoutOf({});

  it('places FIS actions by their own start and end times, one still running open-ended', () => {
    expect(layout.spans.filter((s) => s.lane === 'fault').map((s) => [s.label, s.startT, s.endT])).toEqual([
      ['primary-region-outage: region-outage', 10, 100],
      ['primary-region-outage: wait', 20, null],
    ]);
  });

  it('puts recovery actions and DNS changes in their own lanes', () => {
    expect(layout.spans.filter((s) => s.lane !== 'fault').map((s) => [s.lane, s.startT, s.endT])).toEqual([
      ['recovery', 10, 60],
      ['dns', 60, 85],
    ]);
  });

  it('marks the recovery instant at the incident plus the recovered seconds, not when the event came', () => {
    expect(layout.marks.find((m) => m.kind === 'recovered')?.t).toBe(90);
  });

  it('stretches the axis to an RTO target just past the end, and notes one far past it', () => {
    expect(layout.endT).toBe(110);
    expect(layout.marks.find((m) => m.kind === 'rto-target')?.t).toBe(110);
    const far = layoutOf({ rto: { targetSeconds: 3600, measuredSeconds: 80, resolutionSeconds: 5, met: true } });
    expect(far.endT).toBe(100);
    expect(far.offChart.map((m) => m.t)).toEqual([3610]);
  });

  it('shades the writes the RPO allows to lose, and pins the room’s notes', () => {
    expect(layout.rpoWindow).toEqual({ fromT: 0, toT: 10 });
    expect(layout.marks.find((m) => m.kind === 'note')).toMatchObject({ t: 40, label: '✎1' });
  });
});
