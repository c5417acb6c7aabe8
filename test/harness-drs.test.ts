import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../src/report/types.js';
import { CLI_TEST_TIMEOUT, SETUP_TIMEOUT, finishedRun, gameday, memo, removeTemporary } from './fixtures/features/run-cli.js';

/**
 * Elastic Disaster Recovery through `gameday run`
 * (features/elastic-disaster-recovery.feature): a drill, measured from its
 * StartRecovery and cleaned up by terminating its instances; a recovery
 * after the primary region is lost, measured from the outage and left
 * running; both RTO and RPO against the sim's ground truth. And the
 * mistakes validation refuses before anything runs.
 */

const FEATURE = 'features/elastic-disaster-recovery.feature';
const MISTAKES = 'test/fixtures/features/issue16/drs-mistakes.feature';
const runs = {
  run: memo(() => finishedRun([FEATURE, '--ui', 'plain'])),
  dryRun: memo(() => gameday([FEATURE, '--dry-run', '--ui', 'plain'])),
  mistakes: memo(() => gameday([MISTAKES, '--ui', 'plain'])),
  mistakesDryRun: memo(() => gameday([MISTAKES, '--dry-run', '--ui', 'plain'])),
};

beforeAll(async () => {
  await Promise.all(Object.values(runs).map((run) => run()));
}, SETUP_TIMEOUT);

afterAll(removeTemporary);

interface JournalLine {
  kind: string;
  scenario: string;
  id: number;
  description: string;
  call?: { operation: string; input: Record<string, unknown> };
  undo?: { operation: string; input: Record<string, unknown> } | null;
}

async function journal(): Promise<JournalLine[]> {
  const { dir } = await runs.run();
  return dir.journal.trim().split('\n').map((line) => JSON.parse(line) as JournalLine);
}

async function scenario(name: RegExp): Promise<ScenarioResult> {
  const { dir } = await runs.run();
  const found = dir.results.scenarios.find((s) => name.test(s.name));
  if (!found) throw new Error(`no scenario matches ${name}`);
  return found;
}

describe('the backend servers recovered with Elastic Disaster Recovery', () => {
  it(
    'measures a drill from its StartRecovery to the servers answering, and its RPO from the data it launched from, within resolution of the truth',
    async () => {
      const s = await scenario(/A recovery drill/);
      expect(s.status).toBe('passed');
      const incident = s.timeline.find((e) => e.kind === 'incident');
      expect(incident?.detail).toMatchObject({ kind: 'planned', what: 'DRS drill of the backend servers in us-west-2' });
      const started = s.timeline.find((e) => e.kind === 'action.started');
      expect(started?.detail).toEqual({ action: 'DRS drill', service: 'drs', target: 'backend servers (securecart-backend-1, securecart-backend-2)', region: 'us-west-2' });
      // DRS launches in minutes: snapshot, conversion, launch, then the OS boots.
      expect(s.rto?.measuredSeconds).toBeGreaterThan(3 * 60);
      expect(s.rto?.measuredSeconds).toBeLessThan(30 * 60);
      for (const o of [s.rto!, s.rpo!]) {
        expect(o.truthSeconds).toBeDefined();
        const late = o.measuredSeconds! - o.truthSeconds!;
        expect(late).toBeGreaterThanOrEqual(0);
        expect(late).toBeLessThanOrEqual(o.resolutionSeconds + 1);
      }
      // A drill loses the replication lag at the moment it is declared: seconds.
      expect(s.rpo?.resolutionSeconds).toBe(1);
      expect(s.rpo?.measuredSeconds).toBeLessThanOrEqual(10);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'journals the drill with its undo once DRS names the instances, and terminates them at the end of the scenario',
    async () => {
      const s = await scenario(/A recovery drill/);
      const entries = (await journal()).filter((e) => e.scenario === s.id);
      const call = entries.find((e) => e.kind === 'call' && e.call?.operation === 'StartRecovery')!;
      expect(call.call!.input).toMatchObject({ isDrill: true, sourceServers: [{ sourceServerID: expect.stringMatching(/^s-/) }, { sourceServerID: expect.stringMatching(/^s-/) }] });
      const undo = entries.find((e) => e.kind === 'undo' && e.id === call.id)!;
      expect(undo.undo).toEqual({ service: 'drs', region: 'us-west-2', operation: 'TerminateRecoveryInstances', input: { recoveryInstanceIDs: [expect.stringMatching(/^i-/), expect.stringMatching(/^i-/)] } });
      expect(entries.some((e) => e.kind === 'undone' && e.id === call.id)).toBe(true);
      const cleanup = s.timeline.filter((e) => e.kind === 'cleanup.step').map((e) => e.detail);
      expect(cleanup).toContainEqual({ step: 'TerminateRecoveryInstances (DRS drill of securecart-backend-1, securecart-backend-2 in us-west-2)', outcome: 'done' });
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'measures a recovery after the region is lost from the outage, with the data frozen when it went, and leaves the recovered servers running',
    async () => {
      const s = await scenario(/when us-east-1 is lost/);
      expect(s.status).toBe('passed');
      expect(s.timeline.find((e) => e.kind === 'incident')?.detail).toMatchObject({ kind: 'fault' });
      expect(s.rpo?.truthSeconds).toBeGreaterThan(0);
      const late = s.rpo!.measuredSeconds! - s.rpo!.truthSeconds!;
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThanOrEqual(2);
      const entries = (await journal()).filter((e) => e.scenario === s.id);
      const call = entries.find((e) => e.kind === 'call' && e.call?.operation === 'StartRecovery')!;
      expect(call.call!.input).toMatchObject({ isDrill: false });
      // Irreversible: no undo, so the run lists it as left changed.
      expect(entries.find((e) => e.kind === 'undo' && e.id === call.id)?.undo).toBeNull();
      const infos = s.timeline.filter((e) => e.kind === 'info').map((e) => (e.detail as { message: string }).message);
      expect(infos.some((m) => /^the recovery instances i-\w+, i-\w+ keep running in us-west-2: a real recovery is not undone/.test(m))).toBe(true);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'says under --dry-run which DRS calls it would make, the drill with its cleanup and the recovery without',
    async () => {
      const run = await runs.dryRun();
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('drs:StartRecovery isDrill=true (mutating) of securecart-backend-1, securecart-backend-2 from their latest data, then drs:DescribeJobs until COMPLETED');
      expect(run.stdout).toContain("cleanup: drs:TerminateRecoveryInstances of the drill's recovery instances");
      expect(run.stdout).toContain('drs:StartRecovery isDrill=false (mutating)');
      expect(run.stdout).toContain('no undo: the recovery instances are left running, and listed as left changed');
      expect(run.stdout).toContain('drs:DescribeJobs and drs:DescribeRecoveryInstances in us-west-2 every 5 s until every recovered server answers');
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'refuses, before anything runs and under --dry-run alike, answering or losing data with nothing recovered, and recovering where no servers replicate',
    async () => {
      for (const run of [await runs.mistakes(), await runs.mistakesDryRun()]) {
        expect(run.code).toBe(2);
        expect(run.stderr).toContain('nothing was run');
        const problems = run.stderr.split('\n').filter((l) => l.includes(MISTAKES));
        expect(problems).toEqual([
          expect.stringMatching(/drs-mistakes\.feature:7: no earlier step of this scenario recovers the backend servers in "us-west-2": add "When the backend servers are recovered in "us-west-2" with Elastic Disaster Recovery as a drill"/),
          expect.stringMatching(/drs-mistakes\.feature:11: no drs-source-servers in scenarios\/environments\/securecart\.yaml recover into "us-east-1" \(their DRS regions: us-west-2\)/),
          expect.stringMatching(/drs-mistakes\.feature:15: "eu-west-1" is not one of the environment's regions \(us-east-1, us-west-2\)/),
          expect.stringMatching(/drs-mistakes\.feature:21: no earlier step of this scenario recovers the backend servers/),
          expect.stringMatching(
            /drs-mistakes\.feature:25: no drs-source-servers in scenarios\/environments\/securecart-warm-standby\.yaml recover into "us-west-2": declare the backend servers as a drs-source-servers resource/,
          ),
        ]);
      }
    },
    CLI_TEST_TIMEOUT,
  );
});
