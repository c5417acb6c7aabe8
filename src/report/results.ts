import type { Envelope, GherkinDocument, TestStepResult, TestStepResultStatus } from '@cucumber/messages';
import { EVENT_MEDIA_TYPE, type TimelineEvent } from '../harness/events.js';
import { SCENARIO_MEDIA_TYPE, STEP_MEDIA_TYPE, type ScenarioSummary, type StepClock } from '../run/attachments.js';
import { nodeIndex, pickleLine, type NodeIndex } from '../run/lines.js';
import type { ScenarioEvent, ScenarioFinished, ScenarioScope, StepFinished, StepStarted } from '../run/types.js';
import type { Incident, ObjectiveCheck, RunResults, RunSummary, ScenarioResult, ScenarioStatus, StepResult, StepStatus, TimelineEntry } from './types.js';

export const RESULTS_SCHEMA_VERSION = 1;

/** What the run planned for each scenario, by `uri:line` of its pickle (run.json keeps it for `gameday report`). */
export interface PlannedIdentity {
  id: string;
  environment: string;
  strategy?: ScenarioResult['strategy'];
}

/** A live event as the builder derives it from one message; the run stamps it with the wall clock. */
export type DerivedEvent =
  | Omit<StepStarted, 'wallMs'>
  | Omit<StepFinished, 'wallMs'>
  | Omit<ScenarioFinished, 'wallMs'>
  | Omit<ScenarioEvent, 'wallMs'>;

interface PickleInfo {
  id: string;
  name: string;
  uri: string;
  line: number;
  tags: string[];
  steps: { id: string; keyword: string; text: string; line: number }[];
}

interface Attempt {
  scope: ScenarioScope;
  pickle: PickleInfo;
  plan: PlannedIdentity | undefined;
  /** testStep id → index in the pickle's steps; hooks are not there. */
  stepIndex: Map<string, number>;
  startedMs: number;
  finishedMs?: number;
  steps: (StepResult & { ran: boolean })[];
  /** Every step and hook result, in order, for the scenario's status and message. */
  results: { step?: number; result: TestStepResult; hook: boolean }[];
  events: TimelineEntry[];
  summary?: ScenarioSummary;
}

const SEVERITY: readonly TestStepResultStatus[] = ['UNKNOWN', 'PASSED', 'SKIPPED', 'PENDING', 'UNDEFINED', 'AMBIGUOUS', 'FAILED'] as TestStepResultStatus[];

function statusOf(status: TestStepResultStatus): StepStatus {
  switch (status) {
    case 'PASSED':
    case 'FAILED':
    case 'SKIPPED':
    case 'UNDEFINED':
    case 'AMBIGUOUS':
    case 'PENDING':
      return status.toLowerCase() as StepStatus;
    default:
      return 'skipped';
  }
}

function worst(results: readonly { result: TestStepResult }[]): ScenarioStatus {
  let found: TestStepResultStatus = 'PASSED' as TestStepResultStatus;
  for (const { result } of results) if (SEVERITY.indexOf(result.status) > SEVERITY.indexOf(found)) found = result.status;
  return statusOf(found);
}

function seconds(duration: { seconds: number; nanos: number } | undefined): number {
  return duration ? duration.seconds + duration.nanos / 1e9 : 0;
}

function epochMs(timestamp: { seconds: number; nanos: number }): number {
  return timestamp.seconds * 1000 + Math.round(timestamp.nanos / 1e6);
}

/** A step's or hook's message as a person reads it: the error's own message, without a stack. */
function messageOf(result: TestStepResult, stepText?: string): string {
  if (result.status === 'UNDEFINED') return `undefined step: ${stepText ?? '?'}`;
  if (result.status === 'PENDING') return `pending step: ${stepText ?? '?'}`;
  return result.exception?.message ?? result.message?.split('\n')[0] ?? result.status.toLowerCase();
}

/**
 * results.json built as the run's cucumber messages arrive (the same facts
 * the live UI saw), keeping what it needs and not the messages themselves.
 * The same code turns each message into the live events (`add`), so a run
 * and `gameday report` agree.
 */
export class ResultsBuilder {
  private readonly documents = new Map<string, NodeIndex>();
  private readonly pickles = new Map<string, PickleInfo>();
  private readonly testCases = new Map<string, { pickleId: string; steps: { id: string; pickleStepId?: string }[] }>();
  private readonly attempts = new Map<string, Attempt>();
  private readonly finished: string[] = [];

  /** `plan`: the run's scenarios by `uri:line` of their pickles. */
  constructor(private readonly plan: ReadonlyMap<string, PlannedIdentity>) {}

  /** Take one message; returns the live events it makes. */
  add(envelope: Envelope): DerivedEvent[] {
    if (envelope.gherkinDocument) this.addDocument(envelope.gherkinDocument);
    else if (envelope.pickle) {
      const { pickle } = envelope;
      const index = this.documents.get(pickle.uri);
      this.pickles.set(pickle.id, {
        id: pickle.id,
        name: pickle.name,
        uri: pickle.uri,
        line: index ? pickleLine(pickle, index.lines) : (pickle.location?.line ?? 0),
        tags: pickle.tags.map((t) => t.name),
        steps: pickle.steps.map((step) => {
          const node = step.astNodeIds[0];
          return { id: step.id, keyword: index?.keywords.get(node ?? '') ?? '*', text: step.text, line: index?.lines.get(node ?? '') ?? 0 };
        }),
      });
    } else if (envelope.testCase) {
      this.testCases.set(envelope.testCase.id, { pickleId: envelope.testCase.pickleId, steps: envelope.testCase.testSteps.map((s) => ({ id: s.id, ...(s.pickleStepId ? { pickleStepId: s.pickleStepId } : {}) })) });
    } else if (envelope.testCaseStarted) {
      this.start(envelope.testCaseStarted.id, envelope.testCaseStarted.testCaseId, epochMs(envelope.testCaseStarted.timestamp));
    } else if (envelope.testStepFinished) {
      return this.stepFinished(envelope.testStepFinished.testCaseStartedId, envelope.testStepFinished.testStepId, envelope.testStepFinished.testStepResult);
    } else if (envelope.attachment?.testCaseStartedId) {
      return this.attachment(envelope.attachment.testCaseStartedId, envelope.attachment.testStepId, envelope.attachment.mediaType, envelope.attachment.body);
    } else if (envelope.testCaseFinished && !envelope.testCaseFinished.willBeRetried) {
      const attempt = this.attempts.get(envelope.testCaseFinished.testCaseStartedId);
      if (!attempt) return [];
      attempt.finishedMs = epochMs(envelope.testCaseFinished.timestamp);
      this.finished.push(envelope.testCaseFinished.testCaseStartedId);
      const { timeline: _timeline, ...result } = this.resultOf(attempt);
      return [{ kind: 'scenario.finished', ...attempt.scope, status: result.status, ...(result.error ? { error: result.error } : {}), result }];
    }
    return [];
  }

  private addDocument(document: GherkinDocument): void {
    if (document.uri) this.documents.set(document.uri, nodeIndex(document));
  }

  private start(startedId: string, testCaseId: string, startedMs: number): void {
    const testCase = this.testCases.get(testCaseId);
    const pickle = testCase ? this.pickles.get(testCase.pickleId) : undefined;
    if (!testCase || !pickle) return;
    const plan = this.plan.get(`${pickle.uri}:${pickle.line}`);
    const stepIndex = new Map<string, number>();
    for (const step of testCase.steps) {
      const index = step.pickleStepId === undefined ? -1 : pickle.steps.findIndex((s) => s.id === step.pickleStepId);
      if (index >= 0) stepIndex.set(step.id, index);
    }
    this.attempts.set(startedId, {
      scope: { scenarioId: plan?.id ?? `${pickle.uri}:${pickle.line}`, scenario: pickle.name, pickleId: pickle.id, testCaseStartedId: startedId },
      pickle,
      plan,
      stepIndex,
      startedMs,
      steps: pickle.steps.map((s) => ({ keyword: s.keyword, text: s.text, line: s.line, status: 'skipped', wallSeconds: 0, ran: false })),
      results: [],
      events: [],
    });
  }

  private stepFinished(startedId: string, testStepId: string, result: TestStepResult): DerivedEvent[] {
    const attempt = this.attempts.get(startedId);
    if (!attempt) return [];
    const index = attempt.stepIndex.get(testStepId);
    attempt.results.push({ ...(index !== undefined ? { step: index } : {}), result, hook: index === undefined });
    if (index === undefined) return [];
    const step = attempt.steps[index]!;
    step.ran = true;
    step.wallSeconds = seconds(result.duration);
    step.status = statusOf(result.status);
    if (step.status !== 'passed' && step.status !== 'skipped') step.error = messageOf(result, step.text);
    // An objective step passes in cucumber so the scenario goes on; it failed all the same.
    const breach = this.breachIn(attempt, index);
    if (breach && step.status === 'passed') {
      step.status = 'failed';
      step.error = breach;
    }
    const { ran: _ran, keyword: _keyword, line: _line, ...rest } = step;
    return [{ kind: 'step.finished', ...attempt.scope, step: index, ...rest, ...(breach ? { breached: true } : {}) }];
  }

  /** The breach an objective step recorded, as the harness worded it. */
  private breachIn(attempt: Attempt, index: number): string | undefined {
    for (const event of attempt.events) {
      if (event.kind === 'objective.checked' && event.step === index && event.detail.breach) return event.detail.breach;
    }
    return undefined;
  }

  private attachment(startedId: string, testStepId: string | undefined, mediaType: string, body: string): DerivedEvent[] {
    const attempt = this.attempts.get(startedId);
    if (!attempt) return [];
    const step = testStepId === undefined ? undefined : attempt.stepIndex.get(testStepId);
    if (mediaType === EVENT_MEDIA_TYPE) {
      const event = JSON.parse(body) as TimelineEvent;
      const entry: TimelineEntry = step === undefined ? event : { ...event, step };
      attempt.events.push(entry);
      return [{ ...attempt.scope, ...event, ...(testStepId ? { testStepId } : {}), ...(step !== undefined ? { step } : {}) } as Omit<ScenarioEvent, 'wallMs'>];
    }
    if (mediaType === STEP_MEDIA_TYPE && step !== undefined) {
      const clock = JSON.parse(body) as StepClock;
      const result = attempt.steps[step]!;
      result.startT = clock.startT;
      if (clock.endT !== undefined) {
        result.endT = clock.endT;
        return [];
      }
      // A step that runs (skipped ones do not) starts when its BeforeStep hook says so, on the target's clock.
      return [{ kind: 'step.started', ...attempt.scope, step, text: result.text, startT: clock.startT }];
    }
    if (mediaType === SCENARIO_MEDIA_TYPE) attempt.summary = JSON.parse(body) as ScenarioSummary;
    return [];
  }

  /** AWS's clock − the runner's, in seconds, as the last scenario that talked to AWS saw it. */
  awsClockOffsetSeconds(): number | undefined {
    let offset: number | undefined;
    for (const id of this.finished) offset = this.attempts.get(id)?.summary?.awsClockOffsetSeconds ?? offset;
    return offset;
  }

  /** The most severe exit code a scenario's error asked for (2: bad input, 3: a safety guard), if any. */
  exitCode(): 2 | 3 | undefined {
    let code: 2 | 3 | undefined;
    for (const id of this.finished) {
      const asked = this.attempts.get(id)?.summary?.exitCode;
      if (asked === 3 || (asked === 2 && code === undefined)) code = asked;
    }
    return code;
  }

  private resultOf(attempt: Attempt): ScenarioResult {
    const { pickle, summary, plan } = attempt;
    const status = worst(attempt.results);
    const steps = attempt.steps.map(({ ran: _ran, ...step }, index) => {
      // Breaches are worded once the summary is there (the After hook): put them on their steps.
      const breach = this.breachIn(attempt, index);
      return breach && step.status !== 'skipped' ? { ...step, status: 'failed' as const, error: breach } : step;
    });
    const breaches = summary?.breaches ?? [];
    const failures = attempt.results
      .filter(({ result, hook }) => ['FAILED', 'AMBIGUOUS', 'UNDEFINED', 'PENDING'].includes(result.status) && !(hook && result.exception?.type === 'ObjectivesBreached'))
      .map(({ result, step }) => messageOf(result, step !== undefined ? pickle.steps[step]?.text : undefined));
    const errors = [...failures, ...breaches];
    const incidentEvent = attempt.events.findLast((e): e is Extract<TimelineEntry, { kind: 'incident' }> => e.kind === 'incident');
    const incident: Incident | null = incidentEvent
      ? { ...incidentEvent.detail, ...(incidentEvent.step !== undefined ? { step: incidentEvent.step } : {}) }
      : null;
    const objectives: ObjectiveCheck[] = attempt.events.flatMap((e) => {
      if (e.kind !== 'objective.checked') return [];
      const { objective, target, scenarioObjective, breach: _breach, ...figures } = e.detail;
      return [{ objective, subject: target, scenarioObjective, ...figures, ...(e.step !== undefined ? { step: e.step } : {}) }];
    });
    return {
      id: attempt.scope.scenarioId,
      name: pickle.name,
      uri: pickle.uri,
      line: pickle.line,
      tags: pickle.tags,
      environment: plan?.environment ?? '?',
      ...(plan?.strategy ? { strategy: plan.strategy } : {}),
      status,
      ...(status !== 'passed' && status !== 'skipped' && errors.length ? { error: errors.join('\n') } : {}),
      breaches,
      ...(summary?.seed !== undefined ? { seed: summary.seed } : {}),
      incident,
      rto: summary?.rto ?? null,
      rpo: summary?.rpo ?? null,
      objectives,
      experiments: summary?.experiments ?? [],
      ...(summary ? { simulatedSeconds: summary.simulatedSeconds } : {}),
      wallSeconds: ((attempt.finishedMs ?? attempt.startedMs) - attempt.startedMs) / 1000,
      steps,
      timeline: attempt.events,
    };
  }

  /** The finished scenarios' results, by place in the suite, not by finishing order (stable under --parallel). */
  scenarios(): ScenarioResult[] {
    const scenarios = this.finished.map((id) => this.resultOf(this.attempts.get(id)!));
    scenarios.sort((a, b) => a.uri.localeCompare(b.uri) || a.line - b.line);
    return scenarios;
  }

  build(meta: Omit<RunResults, 'schemaVersion' | 'summary' | 'scenarios'>): RunResults {
    const scenarios = this.scenarios();
    return { schemaVersion: RESULTS_SCHEMA_VERSION, ...meta, summary: summarize(scenarios), scenarios };
  }
}

export function summarize(scenarios: readonly ScenarioResult[]): RunSummary {
  const passed = scenarios.filter((s) => s.status === 'passed').length;
  const skipped = scenarios.filter((s) => s.status === 'skipped').length;
  const objectives = scenarios.flatMap((s) => s.objectives);
  const met = objectives.filter((o) => o.met).length;
  return { scenarios: scenarios.length, passed, failed: scenarios.length - passed - skipped, skipped, objectives: { met, breached: objectives.length - met } };
}
