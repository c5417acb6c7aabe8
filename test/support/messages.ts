import { generateMessages } from '@cucumber/gherkin';
import { IdGenerator, SourceMediaType, TestStepResultStatus, type Envelope } from '@cucumber/messages';
import { EVENT_MEDIA_TYPE, type TimelineEvent } from '../../src/harness/events.js';
import { SCENARIO_MEDIA_TYPE, STEP_MEDIA_TYPE, type ScenarioSummary, type StepClock } from '../../src/run/attachments.js';

/**
 * Cucumber message streams written by hand, as a run's step library and
 * hooks would attach to them: for in-process tests of what is built from
 * messages (ResultsBuilder, the renderers) without running cucumber.
 */

/** The gherkin document and pickles of one feature file, as cucumber sends them first. */
export function featureMessages(text: string, uri: string): Envelope[] {
  return [
    ...generateMessages(text, uri, SourceMediaType.TEXT_X_CUCUMBER_GHERKIN_PLAIN, {
      includeGherkinDocument: true,
      includePickles: true,
      includeSource: false,
      newId: IdGenerator.incrementing(),
    }),
  ].map((envelope) => (envelope.gherkinDocument ? { ...envelope, gherkinDocument: { ...envelope.gherkinDocument, uri } } : envelope));
}

/** A timeline event as the harness attaches it under a step. */
export type Attached = TimelineEvent;

export interface StepSpec {
  status: TestStepResultStatus;
  /** Seconds on the target's clock at which the step started and ended (the step hooks' attachments); none for a skipped step. */
  clock?: StepClock;
  /** Timeline events the step emitted, in order. */
  events?: Attached[];
  /** A failed step's error as cucumber reports it. */
  error?: { type: string; message: string };
}

export interface AttemptSpec {
  /** Which pickle of the stream (by order). */
  pickle: number;
  steps: StepSpec[];
  /** The After hook: its status (a scenario with breaches fails there with ObjectivesBreached) and the summary it attaches. */
  after?: { status: TestStepResultStatus; error?: { type: string; message: string } };
  summary?: Partial<ScenarioSummary>;
  /** Wall-clock epoch seconds at which cucumber started and finished the test case. */
  startedAt?: number;
  finishedAt?: number;
}

const duration = { seconds: 0, nanos: 1_000_000 };

function result(status: TestStepResultStatus, error?: { type: string; message: string }) {
  return { status, duration, ...(error ? { exception: { type: error.type, message: error.message }, message: `${error.type}: ${error.message}\n    at somewhere (file.ts:1:1)` } : {}) };
}

/** One attempt of a pickle: its test case, each step's attachments and result, the After hook's summary, its end. */
export function attemptMessages(source: readonly Envelope[], spec: AttemptSpec): Envelope[] {
  const pickle = source.filter((e) => e.pickle)[spec.pickle]!.pickle!;
  const testCaseId = `tc-${spec.pickle}`;
  const started = `started-${spec.pickle}`;
  const stepIds = pickle.steps.map((_, i) => `${testCaseId}-step-${i}`);
  const hook = `${testCaseId}-after`;
  const startedAt = { seconds: spec.startedAt ?? 1, nanos: 0 };
  const finishedAt = { seconds: spec.finishedAt ?? spec.startedAt ?? 1, nanos: 0 };
  const attach = (testStepId: string, mediaType: string, body: unknown): Envelope =>
    ({ attachment: { testCaseStartedId: started, testStepId, mediaType, body: JSON.stringify(body), contentEncoding: 'IDENTITY' } }) as Envelope;
  const summary: ScenarioSummary = { target: 'sim', rto: null, rpo: null, breaches: [], experiments: [], simulatedSeconds: 0, ...spec.summary };
  const after = spec.after ?? { status: TestStepResultStatus.PASSED };
  return [
    { testCase: { id: testCaseId, pickleId: pickle.id, testSteps: [...pickle.steps.map((step, i) => ({ id: stepIds[i]!, pickleStepId: step.id })), { id: hook, hookId: 'after' }] } },
    { testCaseStarted: { id: started, testCaseId, attempt: 0, timestamp: startedAt } },
    ...spec.steps.flatMap((step, i) => [
      ...(step.clock ? [attach(stepIds[i]!, STEP_MEDIA_TYPE, { startT: step.clock.startT })] : []),
      ...(step.events ?? []).map((event) => attach(stepIds[i]!, EVENT_MEDIA_TYPE, event)),
      ...(step.clock?.endT !== undefined ? [attach(stepIds[i]!, STEP_MEDIA_TYPE, step.clock)] : []),
      { testStepFinished: { testCaseStartedId: started, testStepId: stepIds[i]!, testStepResult: result(step.status, step.error), timestamp: startedAt } },
    ]),
    attach(hook, SCENARIO_MEDIA_TYPE, summary),
    { testStepFinished: { testCaseStartedId: started, testStepId: hook, testStepResult: result(after.status, after.error), timestamp: finishedAt } },
    { testCaseFinished: { testCaseStartedId: started, timestamp: finishedAt, willBeRetried: false } },
  ] as Envelope[];
}
