import type { Envelope, TestStepResultStatus } from '@cucumber/messages';
import { EVENT_MEDIA_TYPE, type TimelineEvent } from '../harness/events.js';
import type { ObjectiveResult } from '../harness/scenario.js';

export const SCENARIO_MEDIA_TYPE = 'application/vnd.gameday.scenario+json';

/** What the World attaches at the end of each scenario. */
export interface ScenarioSummary {
  uri: string;
  line: number;
  name: string;
  target: 'sim' | 'aws';
  seed?: number;
  passed: boolean;
  rto: ObjectiveResult | null;
  rpo: ObjectiveResult | null;
  experiments: { id: string; templateId: string; fault: string; state: string; reason?: string }[];
  simulatedSeconds: number;
}

export type ScenarioStatus = 'passed' | 'failed' | 'skipped' | 'undefined';

export interface ScenarioResult {
  name: string;
  uri: string;
  line: number;
  status: ScenarioStatus;
  /** The failing step's message, when it failed. */
  error?: string;
  seed?: number;
  rto: ObjectiveResult | null;
  rpo: ObjectiveResult | null;
  experiments: ScenarioSummary['experiments'];
  simulatedSeconds?: number;
  timeline: TimelineEvent[];
}

/** results.json (DESIGN §7); extend, don't break. */
export interface RunResults {
  runId: string;
  target: 'sim' | 'aws';
  seed: number;
  environment: string;
  startedAt: string;
  finishedAt: string;
  summary: { scenarios: number; passed: number; failed: number; skipped: number };
  scenarios: ScenarioResult[];
}

function statusOf(statuses: TestStepResultStatus[]): ScenarioStatus {
  if (statuses.some((s) => s === 'FAILED' || s === 'AMBIGUOUS')) return 'failed';
  if (statuses.some((s) => s === 'UNDEFINED')) return 'undefined';
  if (statuses.some((s) => s === 'SKIPPED' || s === 'PENDING')) return 'skipped';
  return 'passed';
}

/**
 * results.json built as the run's cucumber messages arrive (the same facts
 * the UI saw), keeping what it needs and not the messages themselves.
 */
export class ResultsBuilder {
  private readonly pickles = new Map<string, { name: string; uri: string }>();
  private readonly testCases = new Map<string, string>(); // testCase id → pickle id
  private readonly started = new Map<string, string>(); // testCaseStarted id → testCase id
  private readonly perAttempt = new Map<string, { statuses: TestStepResultStatus[]; error?: string; events: TimelineEvent[]; summary?: ScenarioSummary }>();
  private readonly finished: string[] = [];

  /** Take one message; returns the timeline event it carried, if any. */
  add(envelope: Envelope): TimelineEvent | undefined {
    if (envelope.pickle) this.pickles.set(envelope.pickle.id, { name: envelope.pickle.name, uri: envelope.pickle.uri });
    else if (envelope.testCase) this.testCases.set(envelope.testCase.id, envelope.testCase.pickleId);
    else if (envelope.testCaseStarted) {
      this.started.set(envelope.testCaseStarted.id, envelope.testCaseStarted.testCaseId);
      this.perAttempt.set(envelope.testCaseStarted.id, { statuses: [], events: [] });
    } else if (envelope.testStepFinished) {
      const attempt = this.perAttempt.get(envelope.testStepFinished.testCaseStartedId);
      const result = envelope.testStepFinished.testStepResult;
      attempt?.statuses.push(result.status);
      if (attempt && result.status === 'FAILED' && !attempt.error) attempt.error = result.message?.split('\n')[0] ?? 'failed';
    } else if (envelope.attachment?.testCaseStartedId) {
      const attempt = this.perAttempt.get(envelope.attachment.testCaseStartedId);
      if (!attempt) return undefined;
      if (envelope.attachment.mediaType === EVENT_MEDIA_TYPE) {
        const event = JSON.parse(envelope.attachment.body) as TimelineEvent;
        attempt.events.push(event);
        return event;
      }
      if (envelope.attachment.mediaType === SCENARIO_MEDIA_TYPE) attempt.summary = JSON.parse(envelope.attachment.body) as ScenarioSummary;
    } else if (envelope.testCaseFinished && !envelope.testCaseFinished.willBeRetried) {
      this.finished.push(envelope.testCaseFinished.testCaseStartedId);
    }
    return undefined;
  }

  /** The scenario a test case attempt runs. */
  nameOf(testCaseStartedId: string): string {
    const pickle = this.pickles.get(this.testCases.get(this.started.get(testCaseStartedId) ?? '') ?? '');
    return pickle?.name ?? testCaseStartedId;
  }

  /** The first failing step's message, if the attempt has failed so far. */
  errorOf(testCaseStartedId: string): string | undefined {
    return this.perAttempt.get(testCaseStartedId)?.error;
  }

  build(meta: Omit<RunResults, 'summary' | 'scenarios'>): RunResults {
    const scenarios: ScenarioResult[] = [];
    for (const startedId of this.finished) {
      const attempt = this.perAttempt.get(startedId)!;
      const pickle = this.pickles.get(this.testCases.get(this.started.get(startedId) ?? '') ?? '');
      const summary = attempt.summary;
      const status = statusOf(attempt.statuses);
      scenarios.push({
        name: summary?.name ?? pickle?.name ?? '?',
        uri: summary?.uri ?? pickle?.uri ?? '?',
        line: summary?.line ?? 0,
        status,
        ...(status === 'failed' && attempt.error ? { error: attempt.error } : {}),
        ...(summary?.seed !== undefined ? { seed: summary.seed } : {}),
        rto: summary?.rto ?? null,
        rpo: summary?.rpo ?? null,
        experiments: summary?.experiments ?? [],
        ...(summary ? { simulatedSeconds: summary.simulatedSeconds } : {}),
        timeline: attempt.events,
      });
    }
    // Order by place in the suite, not by finishing order (stable under --parallel).
    scenarios.sort((a, b) => a.uri.localeCompare(b.uri) || a.line - b.line);
    const passed = scenarios.filter((s) => s.status === 'passed').length;
    const failed = scenarios.filter((s) => s.status === 'failed' || s.status === 'undefined').length;
    return {
      ...meta,
      summary: { scenarios: scenarios.length, passed, failed, skipped: scenarios.length - passed - failed },
      scenarios,
    };
  }
}

/** Build results.json from a run's cucumber messages (`gameday report`). */
export function buildResults(envelopes: Iterable<Envelope>, meta: Omit<RunResults, 'summary' | 'scenarios'>): RunResults {
  const builder = new ResultsBuilder();
  for (const envelope of envelopes) builder.add(envelope);
  return builder.build(meta);
}
