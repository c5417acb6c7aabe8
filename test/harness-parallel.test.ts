import type { Envelope } from '@cucumber/messages';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../src/run/types.js';
import type { ScenarioResult } from '../src/report/types.js';
import { CLI_TEST_TIMEOUT, FIXTURES, SETUP_TIMEOUT, finishedRun, lines, memo, removeTemporary, type RunDir } from './fixtures/features/run-cli.js';

/**
 * `gameday run --parallel N` (DESIGN §4: "one stream carries everything …
 * also under --parallel"): cucumber's workers are separate Node processes that
 * load the TypeScript steps themselves, and their events come back through
 * the message stream. Each scenario's sim is seeded from the run's seed and
 * the scenario's place (uri, line), not from the order scenarios run in, so a
 * parallel run must give every scenario exactly the results of the serial run
 * with the same seed; and exit codes and reports must be the same.
 */

/** Objectives too tight (exit 1), a region outage with a promotion, the DynamoDB global table. */
const BREACHING = [`${FIXTURES}/objectives`, 'features/pilot-light.feature', 'features/active-active.feature'];
/** At this seed the pilot-light fixture's zero-RPO scenario loses an order (see harness-run.test.ts). */
const SEED = 1;
/** Two environment files in one run (securecart and securecart-warm-standby); every scenario passes. */
const PASSING = ['features/multi-az-failover.feature', 'features/warm-standby.feature'];

const runs = {
  serial: memo(() => finishedRun([...BREACHING, '--seed', String(SEED), '--ui', 'plain'])),
  parallel: memo(() => finishedRun([...BREACHING, '--seed', String(SEED), '--ui', 'json', '--parallel', '2'])),
  passingSerial: memo(() => finishedRun([...PASSING, '--ui', 'plain'])),
  passingParallel: memo(() => finishedRun([...PASSING, '--ui', 'plain', '--parallel', '2'])),
};

beforeAll(async () => {
  await Promise.all(Object.values(runs).map((run) => run()));
}, SETUP_TIMEOUT);

afterAll(removeTemporary);

const where = (s: ScenarioResult) => `${s.uri}:${s.line}`;

/** Scenarios by place, in place order (a parallel run lists them as they finish), without what the wall clock decides. */
function byPlace(dir: RunDir): Map<string, ScenarioResult> {
  const onVirtualTime = (s: ScenarioResult): ScenarioResult => ({ ...s, wallSeconds: 0, steps: s.steps.map((step) => ({ ...step, wallSeconds: 0 })) });
  return new Map(dir.results.scenarios.map((s) => [where(s), onVirtualTime(s)] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function envelopes(dir: RunDir): Envelope[] {
  return lines(dir.messages).map((line) => JSON.parse(line) as Envelope);
}

describe('gameday run --parallel 2', () => {
  it(
    'runs every scenario in worker processes',
    async () => {
      for (const { dir } of [await runs.parallel(), await runs.passingParallel()]) {
        const started = envelopes(dir).flatMap((e) => (e.testCaseStarted ? [e.testCaseStarted] : []));
        expect(started.length).toBe(dir.results.scenarios.length);
        // Cucumber names the worker that ran each test case only under --parallel.
        expect(started.every((s) => s.workerId !== undefined), JSON.stringify(started)).toBe(true);
        // Never more workers than asked for. How the scenarios spread over them depends on
        // which worker comes up first (on a loaded machine one may take them all), so not asserted.
        expect(new Set(started.map((s) => s.workerId)).size).toBeLessThanOrEqual(2);
      }
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'gives every scenario the results of the serial run with the same seed: status, objectives, experiments, timeline',
    async () => {
      for (const [serial, parallel] of [
        [await runs.serial(), await runs.parallel()],
        [await runs.passingSerial(), await runs.passingParallel()],
      ] as const) {
        const one = byPlace(serial.dir);
        const other = byPlace(parallel.dir);
        expect([...other.keys()]).toEqual([...one.keys()]);
        for (const [place, s] of one) expect(other.get(place), place).toEqual(s);
        expect(parallel.dir.results.summary).toEqual(serial.dir.results.summary);
        expect(parallel.dir.results.seed).toBe(serial.dir.results.seed);
      }
      // Not vacuous: both objectives measured, with ground truth, in several scenarios.
      const measured = [...byPlace((await runs.parallel()).dir).values()].filter((s) => s.rto?.truthSeconds !== undefined && s.rpo?.truthSeconds !== undefined);
      expect(measured.length).toBeGreaterThanOrEqual(4);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'exits as the serial run does: 1 when an objective is breached, 0 when every scenario passes',
    async () => {
      const [serial, parallel, passingSerial, passingParallel] = await Promise.all([runs.serial(), runs.parallel(), runs.passingSerial(), runs.passingParallel()]);
      expect(serial.run.code, serial.run.stderr).toBe(1);
      expect(parallel.run.code, parallel.run.stderr).toBe(1);
      expect(parallel.dir.results.summary.failed).toBeGreaterThan(0);
      expect(passingSerial.run.code, passingSerial.run.stderr).toBe(0);
      expect(passingParallel.run.code, passingParallel.run.stderr).toBe(0);
      expect(passingParallel.dir.results.summary).toMatchObject({ scenarios: 3, passed: 3, failed: 0 });
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    "brings the workers' events to the live stream, each under its scenario: --ui json has every timeline event of results.json",
    async () => {
      const { run, dir } = await runs.parallel();
      const events = lines(run.stdout).map((line) => JSON.parse(line) as RunEvent);
      expect(events[0]!.kind).toBe('run.started');
      expect(events.at(-1)!.kind).toBe('run.finished');
      for (const s of dir.results.scenarios) {
        // By the scenario's stable id: outlines and same-named scenarios do not merge.
        const own = events.filter((e) => 'scenarioId' in e && e.scenarioId === s.id);
        const finishedEvents = own.filter((e) => e.kind === 'scenario.finished');
        expect(finishedEvents, s.name).toHaveLength(1);
        expect(finishedEvents[0]).toMatchObject({ status: s.status, scenario: s.name });
        // Every step started and finished, in order, with the status results.json has.
        const stepsFinished = own.flatMap((e) => (e.kind === 'step.finished' ? [[e.step, e.status]] : []));
        expect(stepsFinished, s.name).toEqual(s.steps.flatMap((step, index) => (step.status === 'skipped' ? [] : [[index, step.status]])));
        // The same timeline, in the same order, as the report's, each event under the step it happened in.
        const timeline = own
          .filter((e) => !['scenario.finished', 'step.started', 'step.finished'].includes(e.kind))
          .map((e) => ({ kind: e.kind, detail: 'detail' in e ? e.detail : undefined, step: 'step' in e ? e.step : undefined }));
        expect(timeline, s.name).toEqual(s.timeline.map((e) => ({ kind: e.kind, detail: e.detail, step: e.step })));
      }
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'writes the same reports: messages.ndjson, junit.xml with the breaches, a journal with every undo done, latest',
    async () => {
      const [serial, parallel] = await Promise.all([runs.serial(), runs.parallel()]);
      const { dir } = parallel;
      expect(dir.runs).toEqual([dir.runId]);
      const count = (all: Envelope[], key: keyof Envelope) => all.filter((e) => e[key] !== undefined).length;
      const messages = envelopes(dir);
      const scenarios = dir.results.scenarios.length;
      expect(count(messages, 'testRunStarted')).toBe(1);
      expect(count(messages, 'testRunFinished')).toBe(1);
      expect(count(messages, 'testCaseFinished')).toBe(scenarios);
      for (const key of ['pickle', 'testCaseFinished', 'attachment'] as const) expect(count(messages, key), key).toBe(count(envelopes(serial.dir), key));

      expect(XMLValidator.validate(dir.junit)).toBe(true);
      const suite = (xml: string) =>
        (new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
          testsuite: { tests: string; failures: string; testcase: { name: string; failure?: { message?: string } }[] };
        }).testsuite;
      const junit = suite(dir.junit);
      expect(Number(junit.tests)).toBe(scenarios);
      expect(Number(junit.failures)).toBe(dir.results.summary.failed);
      const failedIn = (s: ReturnType<typeof suite>) => s.testcase.filter((c) => c.failure).map((c) => `${c.name}: ${c.failure!.message ?? ''}`).sort();
      expect(failedIn(junit)).toEqual(failedIn(suite(serial.dir.junit)));

      // Workers append to one journal: every scenario's calls are there, each undo done.
      const journal = lines(dir.journal).map((line) => JSON.parse(line) as { scenario: string; id: number; kind: string; undo?: unknown });
      const journaled = new Set(journal.map((e) => e.scenario));
      for (const s of dir.results.scenarios) if (s.experiments.length > 0) expect(journaled.has(s.id), s.id).toBe(true);
      for (const entry of journal.filter((e) => e.kind === 'undo' && e.undo !== null)) {
        expect(journal.some((e) => e.kind === 'undone' && e.scenario === entry.scenario && e.id === entry.id), `${entry.scenario} #${entry.id} undone`).toBe(true);
      }
      const sorted = (text: string, runId: string) => lines(text.replaceAll(runId, '<run>')).sort();
      expect(sorted(dir.journal, dir.runId)).toEqual(sorted(serial.dir.journal, serial.dir.runId));
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'plain lines say which scenario they belong to, by its place in the plan, since scenarios interleave',
    async () => {
      const { run, dir } = await runs.passingParallel();
      const out = lines(run.stdout);
      for (const [index, s] of dir.results.scenarios.entries()) {
        expect(out.some((line) => line.includes(`[${index + 1}] ▶ ${s.name}  (${s.uri}:${s.line})`)), `[${index + 1}] ▶ ${s.name} in:\n${run.stdout}`).toBe(true);
      }
      // The serial run needs no prefix.
      expect((await runs.passingSerial()).run.stdout).not.toMatch(/\[\d+\] ▶/);
    },
    CLI_TEST_TIMEOUT,
  );
});
