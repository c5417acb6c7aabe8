/**
 * Fixtures for the view's tests: a SecureCart-like plan and event streams
 * typed with the real RunEvent, so a change to the contract breaks them
 * here first. And a fake terminal (streams Ink accepts) of a chosen size.
 * No test framework imports: the build compiles this file with the rest.
 */
import { EventEmitter } from 'node:events';
import type { TimelineEvent } from '../../harness/events.js';
import type { Note, ObjectiveResult, RunResults, ScenarioResult, ScenarioStatus, StepStatus } from '../../report/types.js';
import type { NoteAdded, PlannedScenario, RunEvent, RunFinished, RunStarted, ScenarioEvent, ScenarioFinished, ScenarioScope, StepFinished, StepStarted } from '../../run/types.js';

export const RUN_ID = '2026-12-07T13-00-00-000Z-seed42';
export const RUN_DIR = `reports/${RUN_ID}`;
const WALL_START = Date.UTC(2026, 11, 7, 13, 0, 0);
const VIRTUAL_START = Date.UTC(2026, 11, 7, 13, 0, 0);
/** Virtual seconds per wall second in these runs (the sim at --speed 100). */
const PACE = 100;

type TimelineBody = TimelineEvent extends infer E ? (E extends TimelineEvent ? Omit<E, 'at' | 't'> : never) : never;

const background = { keyword: 'Given ', text: 'the "securecart" environment', line: 11 };

export const MULTI_AZ: PlannedScenario = {
  id: 'features/multi-az-failover.feature#a-forced-failover-injected-by-fis-loses-no-confirmed-order',
  pickleId: 'pickle-1',
  name: 'A forced failover injected by FIS loses no confirmed order',
  uri: 'features/multi-az-failover.feature',
  line: 12,
  tags: ['@rds', '@multi-az'],
  environment: 'securecart',
  strategy: 'warm-standby',
  objectives: { rtoSeconds: 300, rpoSeconds: 0 },
  steps: [
    { keyword: 'Given ', text: 'the "securecart" environment', line: 8 },
    { keyword: 'And ', text: 'the recovery objectives are RTO 5 minutes and RPO 0 seconds', line: 9 },
    { keyword: 'Given ', text: 'orders are written to "orders-db" every 5 seconds', line: 13 },
    { keyword: 'And ', text: '"orders-db" is healthy', line: 14 },
    { keyword: 'When ', text: 'the FIS experiment "rds-reboot-with-failover" runs', line: 15 },
    { keyword: 'Then ', text: '"orders-db" is healthy again within the RTO', line: 16 },
    { keyword: 'And ', text: 'no more than the RPO of orders is lost', line: 17 },
  ],
};

export const PILOT_LIGHT: PlannedScenario = {
  id: 'features/pilot-light.feature#the-primary-region-loses-its-orders-database',
  pickleId: 'pickle-2',
  name: 'The primary region loses its orders database',
  uri: 'features/pilot-light.feature',
  line: 14,
  tags: ['@pilot-light', '@region-outage', '@rds'],
  environment: 'securecart',
  strategy: 'pilot-light',
  objectives: { rtoSeconds: 900, rpoSeconds: 60 },
  steps: [
    background,
    { keyword: 'Given ', text: 'the recovery objectives are RTO 15 minutes and RPO 1 minute', line: 15 },
    { keyword: 'And ', text: 'orders are written to "orders-db" every 5 seconds', line: 16 },
    { keyword: 'And ', text: '"orders-db" is healthy', line: 17 },
    { keyword: 'When ', text: 'the primary region "us-east-1" becomes unavailable', line: 18 },
    { keyword: 'And ', text: 'the read replica "orders-db-replica" is promoted', line: 19 },
    { keyword: 'Then ', text: '"orders-db" is healthy again within the RTO', line: 20 },
    { keyword: 'And ', text: 'no more than the RPO of orders is lost', line: 21 },
  ],
};

export const DNS_FAILOVER: PlannedScenario = {
  id: 'features/pilot-light.feature#customers-reach-the-orders-service-in-us-west-2-again',
  pickleId: 'pickle-3',
  name: 'Customers reach the orders service in us-west-2 again',
  uri: 'features/pilot-light.feature',
  line: 24,
  tags: ['@pilot-light', '@region-outage', '@dns'],
  environment: 'securecart',
  strategy: 'pilot-light',
  objectives: { rtoSeconds: 2700, rpoSeconds: 60 },
  steps: [
    background,
    { keyword: 'Given ', text: 'the recovery objectives are RTO 45 minutes and RPO 1 minute', line: 25 },
    { keyword: 'And ', text: 'orders are written to "orders-db" every 5 seconds', line: 26 },
    { keyword: 'And ', text: '"orders-api" is healthy', line: 27 },
    { keyword: 'When ', text: 'the primary region "us-east-1" becomes unavailable', line: 28 },
    { keyword: 'And ', text: 'the read replica "orders-db-replica" is promoted', line: 29 },
    { keyword: 'And ', text: 'the standby capacity in "us-west-2" is scaled up', line: 30 },
    { keyword: 'And ', text: 'DNS for "api.securecart.example" fails over to "us-west-2"', line: 31 },
    { keyword: 'Then ', text: '"orders-api" is healthy again within the RTO', line: 32 },
    { keyword: 'And ', text: 'no more than the RPO of orders is lost', line: 33 },
  ],
};

export const PLAN: PlannedScenario[] = [MULTI_AZ, PILOT_LIGHT, DNS_FAILOVER];

/** The plan with `extra` more scenarios after it: a game day of a dozen. */
export function longPlan(extra: number): PlannedScenario[] {
  const more = Array.from({ length: extra }, (_, index) => ({
    ...DNS_FAILOVER,
    id: `features/warm-standby.feature#standby-${index + 1}`,
    pickleId: `pickle-${index + 4}`,
    name: `Warm standby takes the traffic, drill ${index + 1}`,
    uri: 'features/warm-standby.feature',
    line: 10 + index * 12,
  }));
  return [...PLAN, ...more];
}

export function runStarted(overrides: Partial<RunStarted> = {}): RunStarted {
  return {
    kind: 'run.started',
    wallMs: WALL_START,
    runId: RUN_ID,
    dir: RUN_DIR,
    environment: 'securecart',
    target: 'sim',
    account: '000000000000',
    regions: ['us-east-1', 'us-west-2'],
    seed: 42,
    speed: 100,
    parallel: 0,
    plan: PLAN,
    warnings: [],
    ...overrides,
  };
}

export function scopeOf(planned: PlannedScenario, attempt = 1): ScenarioScope {
  return { scenarioId: planned.id, scenario: planned.name, pickleId: planned.pickleId, testCaseStartedId: `${planned.pickleId}-attempt-${attempt}` };
}

const wallAt = (t: number, offset = 0) => WALL_START + offset + Math.round((t / PACE) * 1000);
const isoAt = (t: number) => new Date(VIRTUAL_START + t * 1000).toISOString();

/** A timeline event of `planned` at virtual second `t` (of its scenario), during step `step`. */
export function timeline(planned: PlannedScenario, t: number, body: TimelineBody, step?: number): ScenarioEvent {
  return { ...scopeOf(planned), wallMs: wallAt(t), at: isoAt(t), t, ...(step !== undefined ? { step, testStepId: `step-${step}` } : {}), ...body } as ScenarioEvent;
}

export function stepStarted(planned: PlannedScenario, step: number, t: number): StepStarted {
  return { kind: 'step.started', ...scopeOf(planned), wallMs: wallAt(t), step, text: planned.steps[step]!.text, startT: t };
}

export function stepFinished(planned: PlannedScenario, step: number, startT: number, endT: number, status: StepStatus = 'passed', error?: string): StepFinished {
  return {
    kind: 'step.finished',
    ...scopeOf(planned),
    wallMs: wallAt(endT),
    step,
    text: planned.steps[step]!.text,
    status,
    ...(error !== undefined ? { error } : {}),
    wallSeconds: (endT - startT) / PACE,
    startT,
    endT,
  };
}

export function objective(targetSeconds: number, measuredSeconds: number | null, resolutionSeconds: number, extra: Partial<ObjectiveResult> = {}): ObjectiveResult {
  return { targetSeconds, measuredSeconds, resolutionSeconds, met: measuredSeconds !== null && measuredSeconds <= targetSeconds, ...extra };
}

export function scenarioResult(planned: PlannedScenario, status: ScenarioStatus, figures: { rto?: ObjectiveResult | null; rpo?: ObjectiveResult | null; error?: string; simulatedSeconds?: number } = {}): ScenarioResult {
  const rto = figures.rto ?? null;
  const rpo = figures.rpo ?? null;
  const breaches = [rto && !rto.met ? 'RTO breached' : '', rpo && !rpo.met ? 'RPO breached' : ''].filter(Boolean);
  return {
    id: planned.id,
    name: planned.name,
    uri: planned.uri,
    line: planned.line,
    tags: planned.tags,
    environment: planned.environment,
    ...(planned.strategy ? { strategy: planned.strategy } : {}),
    status,
    ...(figures.error !== undefined ? { error: figures.error } : {}),
    breaches,
    seed: 42,
    incident: { kind: 'fault', at: isoAt(60), t: 60, what: 'primary-region-outage: gameday:sim:region-outage' },
    rto,
    rpo,
    objectives: [],
    experiments: [],
    ...(figures.simulatedSeconds !== undefined ? { simulatedSeconds: figures.simulatedSeconds } : {}),
    wallSeconds: (figures.simulatedSeconds ?? 0) / PACE,
    steps: planned.steps.map((step) => ({ ...step, status: status === 'passed' ? 'passed' : 'skipped', wallSeconds: 0.1 })),
    timeline: [],
  };
}

export function scenarioFinished(planned: PlannedScenario, result: ScenarioResult, t: number): ScenarioFinished {
  const { timeline: _timeline, ...rest } = result;
  return { kind: 'scenario.finished', ...scopeOf(planned), wallMs: wallAt(t, 5), status: result.status, ...(result.error !== undefined ? { error: result.error } : {}), result: rest };
}

/** What a person typed during the run (the `n` key), as the run reports it back. */
export function noteAdded(note: Note): NoteAdded {
  return { kind: 'note', wallMs: WALL_START + 30_000, note };
}

export function runResults(scenarios: ScenarioResult[], overrides: Partial<RunResults> = {}): RunResults {
  const passed = scenarios.filter((s) => s.status === 'passed').length;
  const skipped = scenarios.filter((s) => s.status === 'skipped').length;
  const objectives = scenarios.flatMap((s) => [s.rto, s.rpo]).filter((o): o is ObjectiveResult => o !== null);
  const met = objectives.filter((o) => o.met).length;
  return {
    schemaVersion: 1,
    runId: RUN_ID,
    target: 'sim',
    seed: 42,
    environment: 'securecart',
    account: '000000000000',
    regions: ['us-east-1', 'us-west-2'],
    startedAt: new Date(WALL_START).toISOString(),
    finishedAt: new Date(WALL_START + 60_000).toISOString(),
    interrupted: false,
    exitCode: passed + skipped === scenarios.length ? 0 : 1,
    summary: { scenarios: scenarios.length, passed, failed: scenarios.length - passed - skipped, skipped, objectives: { met, breached: objectives.length - met } },
    warnings: [],
    notes: [],
    scenarios,
    ...overrides,
  };
}

export function runFinished(results: RunResults): RunFinished {
  return { kind: 'run.finished', wallMs: WALL_START + 60_000, results, dir: RUN_DIR, report: `${RUN_DIR}/index.html`, exitCode: results.exitCode };
}

export interface StoryOptions {
  /** Virtual second of the incident (the region goes down). */
  incidentAt?: number;
  /** Seconds after the incident at which the probe sees the service healthy again; undefined: it never does. */
  recoverAfter?: number;
  /** Events up to this virtual second only: the moment the test looks. */
  until?: number;
  /** Acknowledged writes lost at the readback (their sequence numbers). */
  lost?: number[];
  /** Seconds between probe samples and between canary writes. */
  every?: number;
}

/**
 * The pilot-light scenario as the harness tells it, in order: environment,
 * objectives, canary and probe, the region outage (an FIS experiment), the
 * replica's promotion, recovery, the objectives measured, cleanup, the end.
 * With `until`, only what happened by then (a scenario still running).
 */
export function pilotLightStory(options: StoryOptions = {}): RunEvent[] {
  const p = PILOT_LIGHT;
  const incidentAt = options.incidentAt ?? 60;
  const every = options.every ?? 5;
  const recoveredAt = options.recoverAfter !== undefined ? incidentAt + options.recoverAfter : undefined;
  const end = recoveredAt !== undefined ? recoveredAt + 20 : incidentAt + 1200;
  const promotedAt = recoveredAt !== undefined ? recoveredAt - 15 : undefined;
  const lost = options.lost ?? [];
  const rto = objectiveOf(900, recoveredAt !== undefined ? recoveredAt - incidentAt : null, every);
  const rpoSeconds = lost.length ? lost.length * every : 0;
  const rpo = objectiveOf(60, rpoSeconds, every);

  const events: { t: number; event: RunEvent }[] = [];
  const at = (t: number, event: RunEvent) => events.push({ t, event });
  const step = (index: number, from: number, to: number, status: StepStatus = 'passed', error?: string) => {
    at(from, stepStarted(p, index, from));
    at(to, stepFinished(p, index, from, to, status, error));
  };

  at(0, timeline(p, 0, { kind: 'scenario.started', detail: { name: p.name, uri: p.uri, line: p.line, target: 'sim', seed: 42 } }));
  step(0, 0, 0);
  at(0, timeline(p, 0, { kind: 'info', detail: { message: 'environment securecart (scenarios/environments/securecart.yaml) on the sim target' } }, 0));
  step(1, 0, 0);
  at(0, timeline(p, 0, { kind: 'objectives.set', detail: { rtoSeconds: 900, rpoSeconds: 60 } }, 1));
  step(2, 0, 1);
  step(3, 1, 10);
  at(1, timeline(p, 1, { kind: 'probe.started', detail: { probe: 'probe:orders-db', kind: 'sql', target: 'orders-db', resolutionSeconds: every } }, 3));
  const stopAt = options.until ?? end;
  for (let t = 5, seq = 1; t <= Math.min(end, stopAt); t += every, seq++) {
    const down = t >= incidentAt && (recoveredAt === undefined || t < recoveredAt);
    at(t, timeline(p, t, { kind: 'probe.sample', detail: { probe: 'probe:orders-db', ok: !down, status: down ? 'ECONNREFUSED' : '200' } }));
    at(t, timeline(p, t, { kind: 'canary.write', detail: { canary: 'orders-db', seq, ok: !down, ...(down ? { error: 'ECONNREFUSED' } : {}) } }));
  }
  step(4, incidentAt - 2, incidentAt + 2);
  at(incidentAt - 2, timeline(p, incidentAt - 2, { kind: 'experiment.state', detail: { experimentId: 'EXP7f3a9c', templateId: 'EXT1region', fault: 'primary-region-outage', state: 'initiating' } }, 4));
  at(incidentAt, timeline(p, incidentAt, { kind: 'experiment.state', detail: { experimentId: 'EXP7f3a9c', templateId: 'EXT1region', fault: 'primary-region-outage', state: 'running' } }, 4));
  at(incidentAt, timeline(p, incidentAt, { kind: 'fault.injected', detail: { fault: 'primary-region-outage', experimentId: 'EXP7f3a9c', action: 'gameday:sim:region-outage', region: 'us-east-1' } }, 4));
  at(incidentAt, timeline(p, incidentAt, { kind: 'incident', detail: { kind: 'fault', at: isoAt(incidentAt), t: incidentAt, what: 'primary-region-outage: gameday:sim:region-outage' } }, 4));
  at(incidentAt + 2, timeline(p, incidentAt + 2, { kind: 'action.started', detail: { action: 'promote read replica', target: 'orders-db-replica', region: 'us-west-2' } }, 5));
  if (promotedAt !== undefined && recoveredAt !== undefined) {
    step(5, incidentAt + 2, promotedAt);
    at(promotedAt, timeline(p, promotedAt, { kind: 'action.completed', detail: { action: 'promote read replica', target: 'orders-db-replica', region: 'us-west-2', seconds: promotedAt - incidentAt - 2, outcome: 'available, writable' } }, 5));
    step(6, promotedAt, recoveredAt + 1, rto.met ? 'passed' : 'failed', rto.met ? undefined : 'RTO breached');
    at(recoveredAt, timeline(p, recoveredAt, { kind: 'recovered', detail: { probe: 'probe:orders-db', target: 'orders-db', seconds: recoveredAt - incidentAt } }, 6));
    at(recoveredAt + 1, timeline(p, recoveredAt + 1, { kind: 'objective.checked', detail: { objective: 'rto', target: 'orders-db', ...rto, scenarioObjective: true } }, 6));
    step(7, recoveredAt + 1, recoveredAt + 3);
    at(recoveredAt + 2, timeline(p, recoveredAt + 2, { kind: 'canary.readback', detail: { canary: 'orders-db', written: 30, survived: 30 - lost.length, lost } }, 7));
    at(recoveredAt + 3, timeline(p, recoveredAt + 3, { kind: 'objective.checked', detail: { objective: 'rpo', target: 'orders-db', ...rpo, lostWrites: lost.length, scenarioObjective: true } }, 7));
    at(end - 10, timeline(p, end - 10, { kind: 'cleanup.started', detail: { steps: ['StopExperiment (primary-region-outage)', 'RestoreRegion (us-east-1)'] } }));
    at(end - 9, timeline(p, end - 9, { kind: 'cleanup.step', detail: { step: 'StopExperiment (primary-region-outage)', outcome: 'skipped' } }));
    at(end - 5, timeline(p, end - 5, { kind: 'cleanup.step', detail: { step: 'RestoreRegion (us-east-1)', outcome: 'done' } }));
    const status: ScenarioStatus = rto.met && rpo.met ? 'passed' : 'failed';
    const result = scenarioResult(p, status, { rto, rpo: { ...rpo, lostWrites: lost.length }, simulatedSeconds: end, ...(status === 'failed' ? { error: 'RTO breached' } : {}) });
    at(end, scenarioFinished(p, result, end));
  }
  const cut = options.until;
  return events
    .map((entry, seq) => ({ ...entry, seq }))
    .filter((entry) => cut === undefined || entry.t <= cut)
    .sort((a, b) => a.t - b.t || a.seq - b.seq)
    .map((entry) => entry.event);
}

function objectiveOf(targetSeconds: number, measuredSeconds: number | null, resolutionSeconds: number): ObjectiveResult {
  return objective(targetSeconds, measuredSeconds, resolutionSeconds, { ...(measuredSeconds === null ? { observedSeconds: 1200 } : {}), truthSeconds: measuredSeconds ?? 0 });
}

/** The multi-AZ scenario, over quickly: passed, RTO 95 s of 5 min, nothing lost. */
export function multiAzFinished(): RunEvent[] {
  const p = MULTI_AZ;
  const events: RunEvent[] = [];
  p.steps.forEach((_, index) => {
    events.push(stepStarted(p, index, index * 20));
    if (index === 4) {
      const experiment = { experimentId: 'EXP11aa22', templateId: 'EXT2reboot', fault: 'rds-reboot-with-failover' };
      events.push(timeline(p, 80, { kind: 'experiment.state', detail: { ...experiment, state: 'running' } }, 4));
      events.push(timeline(p, 80, { kind: 'fault.injected', detail: { fault: 'rds-reboot-with-failover', experimentId: 'EXP11aa22', action: 'aws:rds:reboot-db-instances', region: 'us-east-1' } }, 4));
      events.push(timeline(p, 100, { kind: 'experiment.state', detail: { ...experiment, state: 'completed', endedAt: '2026-12-07T13:01:40.000Z' } }, 4));
    }
    events.push(stepFinished(p, index, index * 20, index * 20 + 20));
  });
  const rto = objective(300, 95, 5, { truthSeconds: 93.2 });
  const rpo = objective(0, 0, 5, { lostWrites: 0, truthSeconds: 0 });
  events.push(scenarioFinished(p, scenarioResult(p, 'passed', { rto, rpo, simulatedSeconds: 240 }), 240));
  return events;
}

/** A terminal of `columns` × `rows` that Ink can draw on: what it was sent, and keys to send it. */
export function fakeTerminal(size: { columns: number; rows: number }) {
  const stdout = Object.assign(new EventEmitter(), {
    columns: size.columns,
    rows: size.rows,
    isTTY: true,
    written: [] as string[],
    write(chunk: string, callback?: () => void) {
      stdout.written.push(chunk);
      callback?.();
      return true;
    },
  });
  const stdin = Object.assign(new EventEmitter(), {
    isTTY: true,
    pending: [] as string[],
    setEncoding() {},
    setRawMode() {},
    ref() {},
    unref() {},
    resume() {},
    pause() {},
    read(): string | null {
      return stdin.pending.shift() ?? null;
    },
    /** A key or a paste, as the terminal would send it. */
    press(data: string) {
      stdin.pending.push(data);
      stdin.emit('readable');
    },
  });
  return {
    stdout,
    stdin,
    asStdout: stdout as unknown as NodeJS.WriteStream,
    asStdin: stdin as unknown as NodeJS.ReadStream,
    resize(columns: number, rows: number) {
      stdout.columns = columns;
      stdout.rows = rows;
      stdout.emit('resize');
    },
  };
}
