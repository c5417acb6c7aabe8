import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ResultsBuilder, type DerivedEvent, type PlannedIdentity } from '../src/report/results.js';
import type { RunResults } from '../src/report/types.js';
import type { RunEvent, RunStarted } from '../src/run/types.js';
import { jsonRenderer } from '../src/ui/json.js';
import { plainRenderer, summaryLine, summaryTable } from '../src/ui/plain.js';
import { BREACH, CHECK, CHECK_LINE, FAILOVER, FAILOVER_LINE, RPO, RTO, URI, runStream } from './support/run-stream.js';

/**
 * What a run builds from cucumber's messages (results.json, the live events)
 * and what the plain and JSON renderers print from those events, in process
 * on a hand-written message stream (test/support/run-stream.ts). The CLI
 * tests (harness-run, run-contract) keep one real run per renderer.
 */

const FAILOVER_ID = 'failover-id';
const CHECK_ID = 'check-id';
const PLAN = new Map<string, PlannedIdentity>([
  [`${URI}:${FAILOVER_LINE}`, { id: FAILOVER_ID, environment: 'securecart', strategy: 'warm-standby' }],
  [`${URI}:${CHECK_LINE}`, { id: CHECK_ID, environment: 'securecart' }],
]);
const META = {
  runId: 'run-1',
  target: 'sim' as const,
  seed: 42,
  environment: 'securecart',
  regions: ['us-east-1'],
  startedAt: '2026-01-05T09:00:00.000Z',
  finishedAt: '2026-01-05T09:00:05.000Z',
  interrupted: false,
  exitCode: 1 as const,
  warnings: [],
  notes: [],
};

function built(): { builder: ResultsBuilder; events: DerivedEvent[]; results: RunResults } {
  const builder = new ResultsBuilder(PLAN);
  const events = runStream().flatMap((envelope) => builder.add(envelope));
  return { builder, events, results: builder.build(META) };
}

describe('ResultsBuilder: results.json from the message stream', () => {
  it('scenarios in their place in the feature, not in the order they finished, under the ids the plan gave them', () => {
    const { results } = built();
    expect(results.scenarios.map((s) => [s.id, s.name, s.line])).toEqual([
      [FAILOVER_ID, FAILOVER, FAILOVER_LINE],
      [CHECK_ID, CHECK, CHECK_LINE],
    ]);
    expect(results.scenarios[0]).toMatchObject({ uri: URI, environment: 'securecart', strategy: 'warm-standby', tags: ['@multi-az'], seed: 42, simulatedSeconds: 97, wallSeconds: 4 });
    expect(results.scenarios[1]).not.toHaveProperty('strategy');
  });

  it('a breached objective fails its step with the breach and the scenario with every breach, though cucumber passed the step', () => {
    const [failover, check] = built().results.scenarios;
    expect(failover!.status).toBe('failed');
    expect(failover!.error).toBe(BREACH);
    expect(failover!.breaches).toEqual([BREACH]);
    expect(failover!.steps.map((s) => s.status)).toEqual(['passed', 'passed', 'failed', 'passed']);
    expect(failover!.steps[2]).toMatchObject({ keyword: 'Then', text: '"orders-db" is healthy again within the RTO', line: 7, error: BREACH, startT: 10, endT: 97 });
    expect(check!.status).toBe('passed');
    expect(check).not.toHaveProperty('error');
  });

  it("the incident, the RTO and RPO and every objective measured, each with the step it came from", () => {
    const [failover, check] = built().results.scenarios;
    expect(failover!.incident).toEqual({ kind: 'fault', at: '2026-01-05T09:00:02.000Z', t: 2, what: 'rds-reboot-with-failover: aws:rds:reboot-db-instances', step: 1 });
    expect(failover!.rto).toEqual(RTO);
    expect(failover!.rpo).toEqual(RPO);
    expect(failover!.objectives).toEqual([
      { objective: 'rto', subject: 'orders-db', scenarioObjective: true, ...RTO, step: 2 },
      { objective: 'rpo', subject: 'orders-db', scenarioObjective: true, ...RPO, step: 3 },
    ]);
    expect(failover!.timeline.map((e) => [e.kind, e.step])).toEqual([
      ['objectives.set', 0],
      ['fault.injected', 1],
      ['incident', 1],
      ['recovered', 2],
      ['objective.checked', 2],
      ['objective.checked', 3],
    ]);
    expect(check!.incident).toBeNull();
    expect(check!.rto).toBeNull();
    expect(check!.objectives).toEqual([]);
  });

  it('the summary counts scenarios and objectives; no scenario asked for an exit code of its own', () => {
    const { builder, results } = built();
    expect(results.schemaVersion).toBe(1);
    expect(results.summary).toEqual({ scenarios: 2, passed: 1, failed: 1, skipped: 0, objectives: { met: 1, breached: 1 } });
    expect(builder.exitCode()).toBeUndefined();
  });

  it('the live events: each step starting and finishing, the timeline as it comes, each scenario as it finishes', () => {
    const { events } = built();
    const kinds = events.map((e) => `${e.kind}${'step' in e && e.step !== undefined ? ` ${e.step}` : ''}${'scenarioId' in e ? ` ${e.scenarioId}` : ''}`);
    expect(kinds).toEqual([
      `step.started 0 ${CHECK_ID}`,
      `check.passed 0 ${CHECK_ID}`,
      `step.finished 0 ${CHECK_ID}`,
      `scenario.finished ${CHECK_ID}`,
      `step.started 0 ${FAILOVER_ID}`,
      `objectives.set 0 ${FAILOVER_ID}`,
      `step.finished 0 ${FAILOVER_ID}`,
      `step.started 1 ${FAILOVER_ID}`,
      `fault.injected 1 ${FAILOVER_ID}`,
      `incident 1 ${FAILOVER_ID}`,
      `step.finished 1 ${FAILOVER_ID}`,
      `step.started 2 ${FAILOVER_ID}`,
      `recovered 2 ${FAILOVER_ID}`,
      `objective.checked 2 ${FAILOVER_ID}`,
      `step.finished 2 ${FAILOVER_ID}`,
      `step.started 3 ${FAILOVER_ID}`,
      `objective.checked 3 ${FAILOVER_ID}`,
      `step.finished 3 ${FAILOVER_ID}`,
      `scenario.finished ${FAILOVER_ID}`,
    ]);
    const breached = events.find((e) => e.kind === 'step.finished' && e.step === 2);
    expect(breached).toMatchObject({ status: 'failed', error: BREACH, breached: true });
    const finished = events.findLast((e) => e.kind === 'scenario.finished');
    expect(finished).toMatchObject({ status: 'failed', error: BREACH, scenario: FAILOVER });
    expect(finished && 'result' in finished && finished.result).not.toHaveProperty('timeline');
  });
});

/** The run's events as runGameDay hands them to a renderer: run.started, each derived event stamped with the wall clock, run.finished. */
function runEvents(parallel = 0): RunEvent[] {
  const { events, results } = built();
  const planned = (id: string, name: string, line: number) => ({ id, pickleId: `p-${id}`, name, uri: URI, line, tags: [], environment: 'securecart', steps: [] });
  const wallStart = Date.UTC(2026, 0, 5, 12);
  const started: RunStarted = {
    kind: 'run.started',
    wallMs: wallStart,
    runId: 'run-1',
    dir: 'reports/run-1',
    environment: 'securecart',
    target: 'sim',
    regions: ['us-east-1'],
    seed: 42,
    speed: 'max',
    parallel,
    plan: [planned(FAILOVER_ID, FAILOVER, FAILOVER_LINE), planned(CHECK_ID, CHECK, CHECK_LINE)],
    warnings: [{ uri: URI, line: 3, message: 'a warning' }],
  };
  return [
    started,
    ...events.map((event, i) => ({ ...event, wallMs: wallStart + (i + 1) * 250 }) as RunEvent),
    { kind: 'run.finished', wallMs: wallStart + 6000, results, dir: 'reports/run-1', report: 'reports/run-1/index.html', exitCode: 1 },
  ];
}

function rendered(make: (out: Writable) => (event: RunEvent) => void, parallel = 0): string {
  let text = '';
  const out = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  const render = make(out);
  for (const event of runEvents(parallel)) render(event);
  return text;
}

describe('the plain renderer', () => {
  const text = rendered(plainRenderer);
  const lines = text.split('\n');

  it('a header with the run, then its warnings', () => {
    expect(lines[0]).toBe('gameday run run-1: 2 scenarios, environment securecart on the simulator, seed 42');
    expect(lines[1]).toBe(`warning: ${URI}:3: a warning`);
  });

  it('a line per meaningful event: virtual time, wall time since the start, what happened', () => {
    expect(lines).toContain('  t+00:00    0.50s    ✔ backup retention orders-db: 7 days');
    expect(lines).toContain(`             1.00s  ✔ ${CHECK}: passed`);
    expect(lines).toContain('  t+00:02    2.25s    ⚡ fault rds-reboot-with-failover: aws:rds:reboot-db-instances (EXP1)');
    expect(lines).toContain('  t+00:02    2.50s    ⚑ incident (fault): rds-reboot-with-failover: aws:rds:reboot-db-instances');
    expect(lines).toContain('  t+01:27    3.25s    ♥ orders-db healthy again 1 min 25 s after the incident');
    expect(lines).toContain('  t+01:37    3.50s    ✘ RTO orders-db: 1 min 25 s ±5 s (target 30 s, truth 1 min 23 s) BREACHED');
    expect(lines).toContain('  t+01:37    4.25s    ✔ RPO orders-db: 0 s ±5 s (target 0 s, truth 0 s, 0 writes lost) met');
    expect(lines).toContain(`             4.75s  ✘ ${FAILOVER}: failed: ${BREACH}`);
  });

  it('under --parallel, each line of a scenario says which it is: its place in the plan', () => {
    const parallel = rendered(plainRenderer, 2).split('\n');
    expect(parallel).toContain('  t+00:00    0.50s  [2]   ✔ backup retention orders-db: 7 days');
    expect(parallel).toContain(`             4.75s  [1] ✘ ${FAILOVER}: failed: ${BREACH}`);
  });

  it('a breached step has no line of its own (its objective line says it); step starts and passes have none', () => {
    expect(text).not.toContain('step failed');
    expect(text).not.toContain('objectives.set');
  });

  it('ends with the table of objectives, the summary line and where the report is', () => {
    const { results } = built();
    expect(text.endsWith(`\n${summaryTable(results)}${summaryLine(results)}\nreport: reports/run-1/index.html\n`)).toBe(true);
    expect(summaryLine(results)).toBe('2 scenarios: 1 passed, 1 failed; 2 objectives: 1 met, 1 breached');
    expect(summaryTable(results).split('\n').slice(2, 4)).toEqual([
      `${FAILOVER}  1 min 25 s / 30 s ✘    0 s / 0 s              ✘ failed`,
      `${CHECK.padEnd(FAILOVER.length)}  —                      —                      ✔ passed`,
    ]);
  });
});

describe('the JSON renderer', () => {
  const lines = rendered(jsonRenderer).trimEnd().split('\n');
  const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);

  it('one JSON line per event, every event, in order', () => {
    expect(parsed.map((e) => e['kind'])).toEqual(runEvents().map((e) => e.kind));
    expect(parsed[2]).toEqual(JSON.parse(JSON.stringify(runEvents()[2])));
  });

  it("run.finished carries the summary and where the run is, not the whole results", () => {
    expect(parsed.at(-1)).toEqual({ kind: 'run.finished', dir: 'reports/run-1', exitCode: 1, summary: built().results.summary, wallMs: Date.UTC(2026, 0, 5, 12) + 6000 });
  });
});
