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

/** Build results.json from the run's cucumber messages: the same facts the UI saw. */
export function buildResults(
  envelopes: readonly Envelope[],
  meta: Omit<RunResults, 'summary' | 'scenarios'>,
): RunResults {
  const pickles = new Map<string, { name: string; uri: string }>();
  const testCases = new Map<string, string>(); // testCase id → pickle id
  const started = new Map<string, string>(); // testCaseStarted id → testCase id
  const perAttempt = new Map<string, { statuses: TestStepResultStatus[]; error?: string; events: TimelineEvent[]; summary?: ScenarioSummary }>();
  const finished: string[] = [];

  for (const envelope of envelopes) {
    if (envelope.pickle) pickles.set(envelope.pickle.id, { name: envelope.pickle.name, uri: envelope.pickle.uri });
    else if (envelope.testCase) testCases.set(envelope.testCase.id, envelope.testCase.pickleId);
    else if (envelope.testCaseStarted) {
      started.set(envelope.testCaseStarted.id, envelope.testCaseStarted.testCaseId);
      perAttempt.set(envelope.testCaseStarted.id, { statuses: [], events: [] });
    } else if (envelope.testStepFinished) {
      const attempt = perAttempt.get(envelope.testStepFinished.testCaseStartedId);
      const result = envelope.testStepFinished.testStepResult;
      attempt?.statuses.push(result.status);
      if (attempt && result.status === 'FAILED' && !attempt.error) attempt.error = result.message?.split('\n')[0] ?? 'failed';
    } else if (envelope.attachment?.testCaseStartedId) {
      const attempt = perAttempt.get(envelope.attachment.testCaseStartedId);
      if (!attempt) continue;
      if (envelope.attachment.mediaType === EVENT_MEDIA_TYPE) attempt.events.push(JSON.parse(envelope.attachment.body) as TimelineEvent);
      else if (envelope.attachment.mediaType === SCENARIO_MEDIA_TYPE) attempt.summary = JSON.parse(envelope.attachment.body) as ScenarioSummary;
    } else if (envelope.testCaseFinished && !envelope.testCaseFinished.willBeRetried) {
      finished.push(envelope.testCaseFinished.testCaseStartedId);
    }
  }

  const scenarios: ScenarioResult[] = [];
  for (const startedId of finished) {
    const attempt = perAttempt.get(startedId)!;
    const pickle = pickles.get(testCases.get(started.get(startedId) ?? '') ?? '');
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
