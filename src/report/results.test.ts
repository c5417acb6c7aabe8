import { generateMessages } from '@cucumber/gherkin';
import { IdGenerator, SourceMediaType, TestStepResultStatus, type Envelope } from '@cucumber/messages';
import { describe, expect, it } from 'vitest';
import { SCENARIO_MEDIA_TYPE, type ScenarioSummary } from '../run/attachments.js';
import { ResultsBuilder } from './results.js';

/**
 * The results builder on message streams made by hand: what a scenario's
 * status and the run's exit code are when cucumber reports what the CLI
 * tests cannot easily provoke (an ambiguous step, an error of bad input or
 * of a safety guard raised while the scenario ran).
 */

const FEATURE = `Feature: f
  Scenario: one
    Given a step
    Then another

  Scenario: two
    Given a step
`;

const duration = { seconds: 0, nanos: 1000 };
const timestamp = { seconds: 1, nanos: 0 };

function documentAndPickles(): Envelope[] {
  return [...generateMessages(FEATURE, 'f.feature', SourceMediaType.TEXT_X_CUCUMBER_GHERKIN_PLAIN, {
    includeGherkinDocument: true,
    includePickles: true,
    includeSource: false,
    newId: IdGenerator.incrementing(),
  })];
}

/** One attempt of a pickle: its steps' statuses, an After hook's, and the summary the After hook attaches. */
function attempt(pickleIndex: number, statuses: TestStepResultStatus[], after: { status: TestStepResultStatus; type?: string; message?: string }, summary: Partial<ScenarioSummary>): (pickles: Envelope[]) => Envelope[] {
  return (pickles) => {
    const pickle = pickles[pickleIndex]!.pickle!;
    const testCaseId = `tc-${pickleIndex}`;
    const started = `started-${pickleIndex}`;
    const stepIds = pickle.steps.map((_, i) => `${testCaseId}-step-${i}`);
    const hook = `${testCaseId}-after`;
    const full: ScenarioSummary = { target: 'sim', rto: null, rpo: null, breaches: [], experiments: [], simulatedSeconds: 0, ...summary };
    return [
      { testCase: { id: testCaseId, pickleId: pickle.id, testSteps: [...pickle.steps.map((step, i) => ({ id: stepIds[i]!, pickleStepId: step.id })), { id: hook, hookId: 'after' }] } },
      { testCaseStarted: { id: started, testCaseId, attempt: 0, timestamp } },
      ...statuses.map((status, i) => ({ testStepFinished: { testCaseStartedId: started, testStepId: stepIds[i]!, testStepResult: { status, duration }, timestamp } })),
      { attachment: { testCaseStartedId: started, testStepId: hook, mediaType: SCENARIO_MEDIA_TYPE, body: JSON.stringify(full), contentEncoding: 'IDENTITY' as never } },
      {
        testStepFinished: {
          testCaseStartedId: started,
          testStepId: hook,
          testStepResult: { status: after.status, duration, ...(after.type ? { exception: { type: after.type, message: after.message ?? '' }, message: `${after.type}: ${after.message}\n    at somewhere (file.ts:1:1)` } : {}) },
          timestamp,
        },
      },
      { testCaseFinished: { testCaseStartedId: started, timestamp, willBeRetried: false } },
    ] as Envelope[];
  };
}

function build(...attempts: ((pickles: Envelope[]) => Envelope[])[]) {
  const source = documentAndPickles();
  const pickles = source.filter((e) => e.pickle);
  const builder = new ResultsBuilder(new Map());
  for (const envelope of [...source, ...attempts.flatMap((make) => make(pickles))]) builder.add(envelope);
  return builder;
}

const meta = { runId: 'r', target: 'sim' as const, seed: 1, environment: 'e', regions: [], startedAt: 'a', finishedAt: 'b', interrupted: false, exitCode: 0 as const, warnings: [], notes: [] };

describe('ResultsBuilder', () => {
  it("keeps cucumber's statuses apart: an ambiguous step makes an ambiguous scenario, counted as failed", () => {
    const builder = build(attempt(0, [TestStepResultStatus.PASSED, TestStepResultStatus.AMBIGUOUS], { status: TestStepResultStatus.PASSED }, {}), attempt(1, [TestStepResultStatus.PASSED], { status: TestStepResultStatus.PASSED }, {}));
    const results = builder.build(meta);
    expect(results.scenarios.map((s) => s.status)).toEqual(['ambiguous', 'passed']);
    expect(results.summary).toMatchObject({ scenarios: 2, passed: 1, failed: 1, skipped: 0 });
    expect(builder.exitCode()).toBeUndefined();
  });

  it('an error of bad input raised at run time asks for exit 2, a safety guard for 3, whichever scenario it was in', () => {
    const badInput = attempt(0, [TestStepResultStatus.FAILED, TestStepResultStatus.SKIPPED], { status: TestStepResultStatus.PASSED }, { exitCode: 2 });
    const guard = attempt(1, [TestStepResultStatus.FAILED], { status: TestStepResultStatus.PASSED }, { exitCode: 3 });
    expect(build(badInput).exitCode()).toBe(2);
    expect(build(badInput, guard).exitCode()).toBe(3);
    expect(build(guard, badInput).exitCode()).toBe(3);
  });

  it("a scenario's error is the failing step's message without its stack, then every breach; the hook's own failure is not repeated", () => {
    const breached = attempt(
      0,
      [TestStepResultStatus.PASSED, TestStepResultStatus.PASSED],
      { status: TestStepResultStatus.FAILED, type: 'ObjectivesBreached', message: '2 objectives breached: …' },
      { breaches: ['RTO breached: a', 'RPO breached: b'] },
    );
    const [scenario] = build(breached).build(meta).scenarios;
    expect(scenario!.status).toBe('failed');
    expect(scenario!.error).toBe('RTO breached: a\nRPO breached: b');
    expect(scenario!.breaches).toEqual(['RTO breached: a', 'RPO breached: b']);
  });
});
