import type { Envelope } from '@cucumber/messages';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../src/report/types.js';
import { join } from 'node:path';
import { CLI_TEST_TIMEOUT, SETUP_TIMEOUT, FIXTURES, exists, finishedRun, lines, memo, printedSeconds, removeTemporary, type RunDir } from './fixtures/features/run-cli.js';

/**
 * A game day whose objectives are too tight (test/fixtures/features/objectives)
 * run through the real `gameday run`: breaches exit 1 with the measured value
 * and the target; the same seed gives the same results.json; the run folder
 * holds what DESIGN §7 promises (results.json, messages.ndjson, junit.xml,
 * journal.ndjson, latest), and --ui json / --ui plain print what they promise.
 */

const OBJECTIVES = `${FIXTURES}/objectives`;
const MULTI_AZ = `${OBJECTIVES}/multi-az-rto.feature`;
const PILOT_LIGHT = `${OBJECTIVES}/pilot-light-rpo.feature`;

/** At --seed 1 the pilot-light fixture's promoted replica has lost the last acknowledged order (found by trying seeds 1–30). */
const SEED = 1;

const TOO_TIGHT_RTO = 'A Multi-AZ failover cannot meet an RTO of 30 seconds';
const MET_RTO = 'The same failover meets an RTO of 5 minutes';
const NO_OBJECTIVE = 'A check that sets no recovery objective';
const ZERO_RPO = 'A promoted read replica cannot promise zero data loss';

const runs = {
  plain: memo(() => finishedRun([OBJECTIVES, '--seed', String(SEED), '--ui', 'plain'])),
  // The same game day and seed, another renderer: results.json must not change.
  json: memo(() => finishedRun([OBJECTIVES, '--seed', String(SEED), '--ui', 'json'])),
  // One scenario asked for by its line: the first (so the only) one its process runs.
  alone: memo(() => finishedRun([`${MULTI_AZ}:18`, '--seed', String(SEED), '--ui', 'plain'])),
};

beforeAll(async () => {
  await Promise.all(Object.values(runs).map((run) => run()));
}, SETUP_TIMEOUT);

afterAll(removeTemporary);

function scenario(dir: RunDir, name: string): ScenarioResult {
  const found = dir.results.scenarios.find((s) => s.name === name);
  expect(found, `scenario "${name}" in results.json`).toBeDefined();
  return found!;
}

/** The `✘ name: failed: …` line the plain UI prints when a scenario ends. */
function finishedLine(stdout: string, name: string): string {
  const found = lines(stdout).filter((line) => line.includes(`✘ ${name}: failed: `));
  expect(found, `a "✘ ${name}: failed" line in:\n${stdout}`).toHaveLength(1);
  return found[0]!;
}

describe('objectives that are too tight', () => {
  it(
    'exit 1, and the summary counts the breached scenarios as failed',
    async () => {
      const { run, dir } = await runs.plain();
      expect(run.code, run.stderr).toBe(1);
      expect(dir.results.summary).toMatchObject({ scenarios: 4, passed: 2, failed: 2 });
      expect(scenario(dir, MET_RTO).status).toBe('passed');
      expect(scenario(dir, NO_OBJECTIVE).status).toBe('passed');
      // Every objective is measured, the RPO after a breached RTO too.
      expect(lines(run.stdout)).toContain('4 scenarios: 2 passed, 2 failed; 6 objectives: 4 met, 2 breached');
      expect(dir.results.summary.objectives).toEqual({ met: 4, breached: 2 });
      expect(dir.results.exitCode).toBe(1);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'a Multi-AZ failover against RTO 30 seconds: the message has the measured recovery time and the target',
    async () => {
      const { run, dir } = await runs.plain();
      const result = scenario(dir, TOO_TIGHT_RTO);
      expect(result.status).toBe('failed');
      expect(result.uri).toBe(MULTI_AZ);
      expect(result.line).toBe(10);
      const rto = result.rto!;
      expect(rto).toMatchObject({ targetSeconds: 30, resolutionSeconds: 5, met: false });
      // Failover takes 60–120 s on the sim, plus up to a probe interval to see it.
      expect(rto.measuredSeconds).toBeGreaterThan(60);
      expect(rto.measuredSeconds).toBeLessThanOrEqual(130);

      // e.g. "orders-db recovered after 1 min 52 s (±5 s), over the target of 30 s"
      const line = finishedLine(run.stdout, TOO_TIGHT_RTO);
      const match = /orders-db recovered after (.+?) \(±5 s\), over the target of 30 s/.exec(line);
      expect(match, line).not.toBeNull();
      expect(Math.abs(printedSeconds(match![1]!)! - rto.measuredSeconds!), `${match![1]} vs ${rto.measuredSeconds} s`).toBeLessThanOrEqual(0.5);
      expect(result.error).toContain(match![0]);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    `pilot light against RPO 0 seconds (--seed ${SEED} loses a write): the message has the data-loss window and the target`,
    async () => {
      const { run, dir } = await runs.plain();
      const result = scenario(dir, ZERO_RPO);
      expect(result.status).toBe('failed');
      expect(result.uri).toBe(PILOT_LIGHT);
      expect(result.line).toBe(8);
      // The RTO of 15 minutes is met; only the RPO is breached.
      expect(result.rto).toMatchObject({ targetSeconds: 900, met: true });
      const rpo = result.rpo!;
      expect(rpo).toMatchObject({ targetSeconds: 0, resolutionSeconds: 5, met: false });
      expect(rpo.measuredSeconds).toBeGreaterThan(0);
      expect(rpo.lostWrites).toBeGreaterThanOrEqual(1);

      // e.g. "1 acknowledged orders were lost (2): a data-loss window of 5.9 s (±5 s), over the target of 0 s"
      const line = finishedLine(run.stdout, ZERO_RPO);
      const match = /(\d+) acknowledged orders? (?:was|were) lost \([\d, …]+\): a data-loss window of (.+?) \(±5 s\), over the target of 0 s/.exec(line);
      expect(match, line).not.toBeNull();
      expect(Number(match![1])).toBe(rpo.lostWrites);
      expect(Math.abs(printedSeconds(match![2]!)! - rpo.measuredSeconds!)).toBeLessThanOrEqual(0.05);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'junit.xml marks exactly the breached scenarios failed, with the breach as the message',
    async () => {
      const { dir } = await runs.plain();
      expect(XMLValidator.validate(dir.junit)).toBe(true);
      const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(dir.junit) as {
        testsuite: { tests: string; failures: string; testcase: { name: string; failure?: { type?: string; message?: string } }[] };
      };
      const suite = parsed.testsuite;
      expect(Number(suite.tests)).toBe(4);
      expect(Number(suite.failures)).toBe(2);
      const byName = new Map(suite.testcase.map((c) => [c.name, c]));
      expect(byName.get(TOO_TIGHT_RTO)?.failure?.message).toMatch(/over the target of 30 s/);
      expect(byName.get(ZERO_RPO)?.failure?.message).toMatch(/over the target of 0 s/);
      expect(byName.get(MET_RTO)?.failure).toBeUndefined();
      expect(byName.get(NO_OBJECTIVE)?.failure).toBeUndefined();
    },
    CLI_TEST_TIMEOUT,
  );
});

/** A scenario's result without what depends on the wall clock (how long its steps took in real time). */
function scenarioWithoutWallClock(result: ScenarioResult): unknown {
  return { ...result, wallSeconds: 0, steps: result.steps.map((step) => ({ ...step, wallSeconds: 0 })) };
}

/** results.json without what depends on the wall clock. */
function withoutWallClock(dir: RunDir): unknown {
  const { runId: _runId, startedAt: _startedAt, finishedAt: _finishedAt, ...rest } = dir.results;
  return { ...rest, scenarios: rest.scenarios.map(scenarioWithoutWallClock) };
}

describe('determinism (DESIGN §5)', () => {
  it(
    'the same features and --seed give the same results.json, apart from runId, startedAt and finishedAt',
    async () => {
      const [a, b] = await Promise.all([runs.plain(), runs.json()]);
      expect(withoutWallClock(b.dir)).toEqual(withoutWallClock(a.dir));
      // The journal is on virtual time too: the same calls, undos and instants.
      const journal = (dir: RunDir) => dir.journal.replaceAll(dir.runId, '<run>');
      expect(journal(b.dir)).toBe(journal(a.dir));
    },
    CLI_TEST_TIMEOUT,
  );
  it(
    'a scenario run alone (file:line) gives the results it gives among the others: what a scenario does at one instant comes in one order',
    async () => {
      const [{ dir: all }, { dir: alone }] = await Promise.all([runs.plain(), runs.alone()]);
      expect(alone.results.scenarios.map((s) => s.name)).toEqual([MET_RTO]);
      expect(scenarioWithoutWallClock(alone.results.scenarios[0]!)).toEqual(scenarioWithoutWallClock(scenario(all, MET_RTO)));
    },
    CLI_TEST_TIMEOUT,
  );
  // That another --seed changes measured values is checked in harness-accuracy.test.ts, on its seeded runs.
});

const REQUIRED_KINDS = [
  'scenario.started',
  'fault.injected',
  'experiment.state',
  'probe.sample',
  'canary.write',
  'recovered',
  'objective.checked',
  'cleanup.step',
] as const;

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

interface JournalEntry {
  runId: string;
  scenario: string;
  at: string;
  id: number;
  description: string;
  kind: string;
  call?: { service: string; region: string; operation: string; input: unknown };
  undo?: { service: string; region: string; operation: string; input: unknown } | null;
  failBack?: boolean;
  error?: string;
}

function journalEntries(dir: RunDir): JournalEntry[] {
  return lines(dir.journal).map((line) => JSON.parse(line) as JournalEntry);
}

describe('the run folder (DESIGN §7)', () => {
  it(
    'results.json has the run fields, and `latest` points at the run',
    async () => {
      const { run, dir } = await runs.plain();
      const results = dir.results;
      expect(dir.runs).toEqual([dir.runId]);
      expect(results.runId).toBe(dir.runId);
      expect(results.target).toBe('sim');
      expect(results.seed).toBe(SEED);
      expect(results.startedAt).toMatch(ISO);
      expect(results.finishedAt).toMatch(ISO);
      expect(Date.parse(results.finishedAt)).toBeGreaterThanOrEqual(Date.parse(results.startedAt));
      expect(results.summary).toMatchObject({ scenarios: results.scenarios.length });
      expect(results.summary.passed + results.summary.failed).toBeLessThanOrEqual(results.summary.scenarios);
      // The plain UI says where the report is.
      expect(lines(run.stdout)).toContain(`report: ${dir.dir}/index.html`);
      // The report and cucumber's own HTML view beside it.
      for (const file of ['index.html', 'cucumber.html']) expect(await exists(join(dir.dir, file)), file).toBe(true);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'every scenario has name, uri, line, status, rto/rpo (null without objectives), experiments and a timeline',
    async () => {
      const { dir } = await runs.plain();
      for (const s of dir.results.scenarios) {
        expect(typeof s.name).toBe('string');
        expect(s.uri.startsWith(`${OBJECTIVES}/`), s.uri).toBe(true);
        expect(Number.isInteger(s.line) && s.line > 0).toBe(true);
        expect(['passed', 'failed', 'skipped', 'undefined', 'ambiguous', 'pending']).toContain(s.status);
        for (const objective of [s.rto, s.rpo]) {
          if (objective === null) continue;
          expect(typeof objective.targetSeconds).toBe('number');
          expect(typeof objective.resolutionSeconds).toBe('number');
          expect(typeof objective.met).toBe('boolean');
          expect(objective.truthSeconds, 'truthSeconds on the sim').toEqual(expect.any(Number));
        }
        for (const experiment of s.experiments) {
          expect(experiment.id).toMatch(/^EXP/);
          expect(experiment.templateId).toMatch(/^EXT/);
          expect(typeof experiment.state).toBe('string');
        }
        expect(s.timeline.length).toBeGreaterThan(0);
        let previous = 0;
        const startedAt = Date.parse(s.timeline[0]!.at);
        for (const event of s.timeline) {
          expect(event.at).toMatch(ISO);
          expect(typeof event.t).toBe('number');
          expect(event.t).toBeGreaterThanOrEqual(previous);
          // t is the virtual seconds since the scenario started, the same instant as `at`.
          expect(Math.abs((Date.parse(event.at) - startedAt) / 1000 - event.t)).toBeLessThan(0.002);
          expect(typeof event.kind).toBe('string');
          expect(typeof event.detail).toBe('object');
          previous = event.t;
        }
        expect(s.timeline[0]!.kind).toBe('scenario.started');
      }
      const noObjective = scenario(dir, NO_OBJECTIVE);
      expect(noObjective.rto).toBeNull();
      expect(noObjective.rpo).toBeNull();
      expect(noObjective.experiments).toEqual([]);
      const met = scenario(dir, MET_RTO);
      expect(met.rto).toMatchObject({ targetSeconds: 300, met: true });
      expect(met.rpo).toMatchObject({ targetSeconds: 0, measuredSeconds: 0, lostWrites: 0, met: true });
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'a scenario with a fault has every kind of timeline event, and its experiments match the faults injected',
    async () => {
      const { dir } = await runs.plain();
      for (const name of [MET_RTO, ZERO_RPO]) {
        const s = scenario(dir, name);
        const kinds = new Set(s.timeline.map((e) => e.kind));
        for (const kind of REQUIRED_KINDS) expect(kinds.has(kind), `${kind} on the timeline of "${name}"`).toBe(true);
        const injected = s.timeline.flatMap((e) => (e.kind === 'fault.injected' ? [e.detail.experimentId] : []));
        expect(s.experiments.map((e) => e.id)).toEqual(injected);
        const states = s.timeline.flatMap((e) => (e.kind === 'experiment.state' ? [e.detail] : []));
        for (const experiment of s.experiments) {
          expect(states.some((st) => st.experimentId === experiment.id && st.templateId === experiment.templateId)).toBe(true);
        }
        // The objective checks on the timeline are the ones in results.json.
        const checked = s.timeline.flatMap((e) => (e.kind === 'objective.checked' ? [e.detail] : []));
        expect(checked.find((c) => c.objective === 'rto')).toMatchObject(s.rto!);
        expect(checked.find((c) => c.objective === 'rpo')).toMatchObject(s.rpo!);
      }
    },
    CLI_TEST_TIMEOUT,
  );

  // Regression (was a product bug, now fixed): the experiment record a scenario reports is
  // the last state seen before cleanup; cleanup's StopExperiment is not read
  // back, so results.json says "running" for an experiment the run stopped.
  //
  it(
    'regression: no experiment is reported still running (or pending) after the run stopped it',
    async () => {
      const { dir } = await runs.plain();
      const experiments = dir.results.scenarios.flatMap((s) => s.experiments);
      expect(experiments.length).toBeGreaterThan(0);
      for (const experiment of experiments) expect(['pending', 'initiating', 'running', 'stopping']).not.toContain(experiment.state);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'messages.ndjson is cucumber messages, one envelope per line, with the timeline as gameday attachments',
    async () => {
      const { dir } = await runs.plain();
      const envelopes = lines(dir.messages).map((line) => JSON.parse(line) as Envelope);
      for (const envelope of envelopes) expect(Object.keys(envelope)).toHaveLength(1);
      expect(Object.keys(envelopes[0]!)).toEqual(['meta']);
      expect(envelopes[0]!.meta?.implementation.name).toBe('cucumber-js');
      expect(Object.keys(envelopes.at(-1)!)).toEqual(['testRunFinished']);
      const count = (key: keyof Envelope) => envelopes.filter((e) => e[key] !== undefined).length;
      expect(count('testRunStarted')).toBe(1);
      expect(count('pickle')).toBe(4);
      expect(count('testCaseStarted')).toBe(4);
      expect(count('testCaseFinished')).toBe(4);
      const events = envelopes.filter((e) => e.attachment?.mediaType === 'application/vnd.gameday.event+json');
      // Every timeline event in results.json came through the message stream.
      expect(events.length).toBe(dir.results.scenarios.reduce((n, s) => n + s.timeline.length, 0));
      // A breached objective does not stop its scenario: each fails once, at its end (the After hook), with every breach.
      const failedSteps = envelopes.filter((e) => e.testStepFinished?.testStepResult.status === 'FAILED');
      expect(failedSteps).toHaveLength(2);
      for (const failed of failedSteps) expect(failed.testStepFinished!.testStepResult.exception?.type).toBe('ObjectivesBreached');
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'journal.ndjson lists each mutating call with its undo and ends with every undo done, last made first undone',
    async () => {
      const { dir } = await runs.plain();
      const entries = journalEntries(dir);
      expect(entries.length).toBeGreaterThan(0);
      for (const entry of entries) {
        expect(entry.runId).toBe(dir.runId);
        expect(['call', 'undo', 'undone', 'undo-failed', 'home', 'settled']).toContain(entry.kind);
      }
      expect(entries.filter((e) => e.kind === 'undo-failed')).toEqual([]);
      // Each primary's home, journalled as its scenario starts, is closed by the scenario's end:
      // settled, or made the fail-back undo of the same id and undone.
      for (const home of entries.filter((e) => e.kind === 'home')) {
        const closing = entries.filter((e) => e.scenario === home.scenario && e.id === home.id && e.kind !== 'home').map((e) => e.kind);
        expect([['settled'], ['undo', 'undone']], `${home.scenario} #${home.id} ${home.description}`).toContainEqual(closing);
      }

      // Calls and undos, homes aside (they are no calls).
      const byScenario = new Map<string, JournalEntry[]>();
      const closesHome = (e: JournalEntry) => entries.some((h) => h.kind === 'home' && h.scenario === e.scenario && h.id === e.id);
      for (const entry of entries.filter((e) => e.kind !== 'home' && !(e.kind === 'settled' && closesHome(e)))) {
        byScenario.set(entry.scenario, [...(byScenario.get(entry.scenario) ?? []), entry]);
      }
      // Entries name their scenario by its stable id, as results.json does.
      const idOf = (name: string) => scenario(dir, name).id;
      const operations = (name: string) => (byScenario.get(idOf(name)) ?? []).filter((e) => e.kind === 'call').map((e) => e.call!.operation);
      expect(operations(TOO_TIGHT_RTO)).toEqual(['CreateExperimentTemplate', 'StartExperiment']);
      expect(operations(MET_RTO)).toEqual(['CreateExperimentTemplate', 'StartExperiment']);
      expect(operations(ZERO_RPO)).toEqual(['CreateExperimentTemplate', 'StartExperiment', 'PromoteReadReplica']);
      // A read-only check makes no mutating call.
      expect(byScenario.has(idOf(NO_OBJECTIVE))).toBe(false);

      for (const [key, list] of byScenario) {
        const calls = list.filter((e) => e.kind === 'call');
        const undone: number[] = [];
        for (const call of calls) {
          const at = list.indexOf(call);
          const undo = list.find((e) => e.kind === 'undo' && e.id === call.id);
          expect(undo, `${key} #${call.id} ${call.call?.operation}: its undo is journaled`).toBeDefined();
          expect(list.indexOf(undo!)).toBeGreaterThan(at);
          if (undo!.undo === null) continue; // irreversible (a promotion), and journaled as such
          const done = list.find((e) => e.kind === 'undone' && e.id === call.id);
          expect(done, `${key} #${call.id} ${call.call?.operation} is undone by ${undo!.undo?.operation}`).toBeDefined();
          expect(done!.undo).toEqual(undo!.undo);
          undone.push(call.id);
        }
        // A fail-back of a primary a fault moved (no call of ours moved it): an undo with no call,
        // made after every call's undo (once nothing can disrupt it any more), as afterScenario failBack says.
        const failBacks: number[] = [];
        for (const undo of list.filter((e) => e.kind === 'undo' && !calls.some((call) => call.id === e.id))) {
          expect(undo.failBack, `${key} #${undo.id}: an undo with no call is a fail-back`).toBe(true);
          expect(list.find((e) => e.kind === 'undone' && e.id === undo.id), `${key} #${undo.id} ${undo.undo?.operation} is made`).toBeDefined();
          failBacks.push(undo.id);
        }
        // The journal of each scenario ends with its undos, newest call first (LIFO), then its fail-backs.
        const tail = list.filter((e) => e.kind === 'undone').map((e) => e.id);
        expect(tail).toEqual([...[...undone].sort((x, y) => y - x), ...failBacks.sort((x, y) => y - x)]);
        expect(list.at(-1)!.kind, `${key}: the last journal entry`).toBe('undone');
      }
      // The irreversible promotion is journaled with no undo rather than left out.
      const promotion = byScenario.get(idOf(ZERO_RPO))!.find((e) => e.kind === 'undo' && e.description.includes('promotion'));
      expect(promotion?.undo).toBeNull();
    },
    CLI_TEST_TIMEOUT,
  );
});

describe('renderers', () => {
  it(
    '--ui json prints one JSON object per line: run.started, the timeline and scenario ends, then run.finished',
    async () => {
      const { run, dir } = await runs.json();
      expect(run.code, run.stderr).toBe(1);
      const events = lines(run.stdout).map((line) => {
        const parsed = JSON.parse(line) as unknown;
        expect(parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed), line).toBe(true);
        return parsed as { kind: string; [key: string]: unknown };
      });
      for (const event of events) expect(typeof event.kind).toBe('string');
      expect(events[0]).toMatchObject({ kind: 'run.started', runId: dir.runId, target: 'sim', seed: SEED, environment: 'securecart' });
      expect((events[0]!.plan as { id: string }[]).map((s) => s.id)).toEqual(dir.results.scenarios.map((s) => s.id));
      expect(events.at(-1)).toMatchObject({ kind: 'run.finished', exitCode: 1, summary: dir.results.summary });
      const finishedScenarios = events.filter((e) => e.kind === 'scenario.finished');
      expect(finishedScenarios.map((e) => [e.scenario, e.status])).toEqual([
        [TOO_TIGHT_RTO, 'failed'],
        [MET_RTO, 'passed'],
        [NO_OBJECTIVE, 'passed'],
        [ZERO_RPO, 'failed'],
      ]);
      expect(String(finishedScenarios[0]!.error)).toMatch(/over the target of 30 s/);
      // The timeline events, each tagged with its scenario, as many as in results.json.
      const timeline = events.filter((e) => !['run.started', 'step.started', 'step.finished', 'scenario.finished', 'run.finished'].includes(e.kind));
      expect(timeline.length).toBe(dir.results.scenarios.reduce((n, s) => n + s.timeline.length, 0));
      const rtoChecks = timeline.filter((e) => e.kind === 'objective.checked' && (e.detail as { objective: string }).objective === 'rto');
      expect(rtoChecks.map((e) => e.scenario)).toEqual([TOO_TIGHT_RTO, MET_RTO, ZERO_RPO]);
      // Nothing but JSON lines on stdout.
      expect(run.stdout).not.toContain('▶');
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    '--ui plain prints a line per scenario and per objective checked, met or BREACHED with target and truth',
    async () => {
      const { run, dir } = await runs.plain();
      const out = lines(run.stdout);
      expect(out[0]).toBe(`gameday run ${dir.runId}: 4 scenarios, environment securecart on the simulator, seed ${SEED}`);
      for (const s of dir.results.scenarios) {
        expect(out.some((line) => line.includes(`▶ ${s.name}  (${s.uri}:${s.line})`)), `▶ line of ${s.name}`).toBe(true);
      }
      const objectiveLines = out.filter((line) => /[✔✘] (RTO|RPO) /.test(line));
      expect(objectiveLines).toHaveLength(6); // RTO breached then its RPO measured all the same, RTO + RPO met, RTO met + RPO breached
      expect(objectiveLines[0]).toMatch(/✘ RTO orders-db: .+ ±5 s \(target 30 s, truth .+\) BREACHED$/);
      expect(objectiveLines[1]).toMatch(/✔ RPO orders-db: 0 s ±5 s \(target 0 s, truth 0 s, 0 writes lost\) met$/);
      expect(objectiveLines[2]).toMatch(/✔ RTO orders-db: .+ ±5 s \(target 5 min, truth .+\) met$/);
      expect(objectiveLines[3]).toMatch(/✔ RPO orders-db: 0 s ±5 s \(target 0 s, truth 0 s, 0 writes lost\) met$/);
      expect(objectiveLines[4]).toMatch(/✔ RTO orders-db: .+ ±5 s \(target 15 min, truth .+\) met$/);
      expect(objectiveLines[5]).toMatch(/✘ RPO orders-db: .+ ±5 s \(target 0 s, truth .+, [1-9]\d* writes? lost\) BREACHED$/);
      // The measured value printed is results.json's.
      const rto = scenario(dir, TOO_TIGHT_RTO).rto!;
      const printed = /RTO orders-db: (.+?) ±5 s/.exec(objectiveLines[0]!)![1]!;
      expect(Math.abs(printedSeconds(printed)! - rto.measuredSeconds!)).toBeLessThanOrEqual(0.5);
      // Per-sample events are left to --ui json.
      expect(run.stdout).not.toMatch(/probe\.sample|canary\.write/);
    },
    CLI_TEST_TIMEOUT,
  );
});
