import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../src/report/types.js';
import { CLI_TEST_TIMEOUT, SETUP_TIMEOUT, finishedRun, memo, removeTemporary, type RunDir } from './fixtures/features/run-cli.js';

/**
 * Measurement accuracy (DESIGN §6, ground truth): on the sim every measured
 * RTO and RPO comes with `truthSeconds`, the instant the sim knows service
 * came back / the last write that truly survived. A probe or canary can only
 * see recovery after it happened, and at most one sample interval (plus one
 * probe's latency) late: 0 ≤ measured − truth ≤ resolution + 1 s.
 *
 * Runs the shipped features as users do (`gameday run`, default seed), and
 * again over four other seeds: every scenario that sets or checks an
 * objective, whatever it probes (RDS writability, the orders API through
 * DNS, a DynamoDB table) and wherever its canary writes (RDS, DynamoDB),
 * must have a truth to be judged against.
 */

/** With the shipped run's default seed (the environment's, 42), five seeds in all. */
const SEEDS = [1, 2, 3, 4];
/** One probe's latency on top of the sample interval. */
const LATENCY_SECONDS = 1;

const shipped = memo(async () => (await finishedRun(['--ui', 'plain'])).dir);
const seeded = SEEDS.map((seed) => memo(async () => (await finishedRun(['features', '--seed', String(seed), '--ui', 'plain'])).dir));

beforeAll(async () => {
  await Promise.all([shipped(), ...seeded.map((run) => run())]);
}, SETUP_TIMEOUT);

afterAll(removeTemporary);

async function allRuns(): Promise<RunDir[]> {
  return Promise.all([shipped(), ...seeded.map((run) => run())]);
}

interface Measurement {
  where: string;
  objective: 'rto' | 'rpo';
  measuredSeconds: number | null;
  truthSeconds?: number;
  resolutionSeconds: number;
  /** The scenario promoted a read replica before this was measured. */
  afterPromotion: boolean;
}

/** Every objective measured in a run: results.json's rto/rpo and each objective.checked on the timelines. */
function measurements(dir: RunDir): Measurement[] {
  return dir.results.scenarios.flatMap((s) => {
    const where = `seed ${dir.results.seed} ${s.uri}:${s.line} (${s.name})`;
    const afterPromotion = promoted(s);
    const fromResults = (['rto', 'rpo'] as const).flatMap((objective) => {
      const o = s[objective];
      return o ? [{ where: `${where} results.${objective}`, objective, measuredSeconds: o.measuredSeconds, resolutionSeconds: o.resolutionSeconds, afterPromotion, ...(o.truthSeconds !== undefined ? { truthSeconds: o.truthSeconds } : {}) }] : [];
    });
    const fromTimeline = s.timeline.flatMap((e) =>
      e.kind === 'objective.checked'
        ? [{ where: `${where} objective.checked ${e.detail.objective} at t=${e.t}`, objective: e.detail.objective, measuredSeconds: e.detail.measuredSeconds, resolutionSeconds: e.detail.resolutionSeconds, afterPromotion, ...(e.detail.truthSeconds !== undefined ? { truthSeconds: e.detail.truthSeconds } : {}) }]
        : [],
    );
    return [...fromResults, ...fromTimeline];
  });
}

function promoted(s: ScenarioResult): boolean {
  return s.timeline.some((e) => e.kind === 'action.started' && e.detail.action === 'promote read replica');
}

/** What is off in one measurement against the truth, given how late it may be; undefined when it is fine. */
function inaccuracy(m: Measurement, lateBy: number): string | undefined {
  if (m.truthSeconds === undefined || m.measuredSeconds === null) return undefined;
  const late = m.measuredSeconds - m.truthSeconds;
  if (late >= 0 && late <= lateBy) return undefined;
  return `${m.where}: measured ${m.measuredSeconds} s, truth ${m.truthSeconds} s (${late >= 0 ? `${late.toFixed(3)} s late` : `${(-late).toFixed(3)} s before the truth`}, allowed 0–${lateBy} s)`;
}

describe('measured RTO and RPO against the ground truth', () => {
  it(
    'every objective checked has a measured value',
    async () => {
      const problems: string[] = [];
      for (const dir of await allRuns()) {
        for (const m of measurements(dir)) {
          if (m.measuredSeconds === null) problems.push(`${m.where}: nothing measured`);
        }
        for (const s of dir.results.scenarios) {
          for (const o of [s.rto, s.rpo]) if (o && typeof o.measuredSeconds !== 'number') problems.push(`${s.uri}:${s.line}: ${JSON.stringify(o)} has no measured value`);
        }
      }
      expect(problems).toEqual([]);
      // The accuracy checks below are not vacuous: both objectives are measured with ground truth, on every seed.
      for (const dir of await allRuns()) {
        const judged = measurements(dir).filter((m) => m.truthSeconds !== undefined && m.measuredSeconds !== null);
        expect(judged.filter((m) => m.objective === 'rto').length, `RTOs with truth at seed ${dir.results.seed}`).toBeGreaterThanOrEqual(3);
        expect(judged.filter((m) => m.objective === 'rpo').length, `RPOs with truth at seed ${dir.results.seed}`).toBeGreaterThanOrEqual(1);
      }
      expect(new Set((await allRuns()).map((dir) => dir.results.seed)).size).toBe(SEEDS.length + 1);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'every scenario that sets or checks an objective has the truth for each measurement, on every seed',
    async () => {
      const problems: string[] = [];
      const judged = new Map<number, Set<string>>();
      for (const dir of await allRuns()) {
        const scenarios = new Set<string>();
        for (const s of dir.results.scenarios) {
          const sets = s.timeline.some((e) => e.kind === 'objectives.set');
          const checks = s.timeline.some((e) => e.kind === 'objective.checked');
          if (!sets && !checks) continue;
          scenarios.add(`${s.uri}:${s.line}`);
          for (const m of measurements(dir).filter((m) => m.where.startsWith(`seed ${dir.results.seed} ${s.uri}:${s.line} `))) {
            if (m.truthSeconds === undefined) problems.push(`${m.where}: no truthSeconds`);
          }
        }
        judged.set(dir.results.seed, scenarios);
      }
      expect(problems).toEqual([]);
      // Every area with objectives is covered, on every seed: RDS failover and restores,
      // the orders API through DNS (pilot light, warm standby), DynamoDB (active-active, PITR), AWS Backup,
      // the backend servers through Elastic Disaster Recovery (a drill, and a recovery after a region outage),
      // the FIS scenario library's AZ power interruption and cross-region connectivity loss,
      // an Aurora cluster failing over (FIS's aws:rds:failover-db-cluster, and a planned drill).
      const expected = [
        'features/active-active.feature:8',
        'features/aurora-cluster-failover.feature:14',
        'features/aurora-cluster-failover.feature:23',
        'features/aws-backup.feature:7',
        'features/az-power-interruption.feature:14',
        'features/az-power-interruption.feature:21',
        'features/backup-and-restore.feature:10',
        'features/backup-and-restore.feature:22',
        'features/cross-region-connectivity.feature:19',
        'features/dynamodb-recovery.feature:6',
        'features/elastic-disaster-recovery.feature:13',
        'features/elastic-disaster-recovery.feature:24',
        'features/multi-az-failover.feature:12',
        'features/multi-az-failover.feature:19',
        'features/pilot-light.feature:14',
        'features/pilot-light.feature:24',
        'features/warm-standby.feature:9',
      ];
      for (const [seed, scenarios] of judged) expect([...scenarios].sort(), `scenarios with objectives at seed ${seed}`).toEqual(expected);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    `0 ≤ measured − truth ≤ resolution + ${LATENCY_SECONDS} s for every objective, for the default seed and seeds ${SEEDS.join(', ')}`,
    async () => {
      const problems: string[] = [];
      for (const dir of await allRuns()) {
        for (const m of measurements(dir)) {
          const problem = inaccuracy(m, m.resolutionSeconds + LATENCY_SECONDS);
          if (problem) problems.push(problem);
        }
      }
      expect(problems).toEqual([]);
    },
    CLI_TEST_TIMEOUT,
  );

  // Regression (was a product bug, now fixed): src/harness/recovery.ts promote() records the
  // replica as the alias's successor only after its DescribeDBInstances poll
  // (every 10 s) has seen it available, and the probe samples the successor; so
  // after a promotion the measured RTO lags the truth by up to a poll interval
  // more than the probe's resolution (e.g. pilot-light.feature at the default
  // seed: measured 251.0 s, truth 244.6 s).
  it(
    `regression: after a read replica promotion too, measured RTO − truth ≤ resolution + ${LATENCY_SECONDS} s`,
    async () => {
      const problems = (await allRuns())
        .flatMap(measurements)
        .filter((m) => m.objective === 'rto' && m.afterPromotion)
        .flatMap((m) => inaccuracy(m, m.resolutionSeconds + LATENCY_SECONDS) ?? []);
      expect(problems).toEqual([]);
    },
    CLI_TEST_TIMEOUT,
  );

  // Regression (was a product bug, now fixed): multi-az-failover.feature's second scenario
  // sets objectives (Background: RTO 5 minutes and RPO 0 seconds) and measures
  // recovery and loss ("healthy again within 3 minutes", "at most 0 seconds of
  // writes … are lost"), yet results.json has rto and rpo null; DESIGN §7 has
  // them null only "where a scenario sets no objective".
  it(
    'regression: every scenario that sets objectives reports measured rto and rpo in results.json',
    async () => {
      const problems: string[] = [];
      for (const dir of await allRuns()) {
        for (const s of dir.results.scenarios) {
          if (!s.timeline.some((e) => e.kind === 'objectives.set')) continue;
          if (!s.timeline.some((e) => e.kind === 'objective.checked')) continue;
          for (const objective of ['rto', 'rpo'] as const) {
            if (typeof s[objective]?.measuredSeconds !== 'number') problems.push(`seed ${dir.results.seed} ${s.uri}:${s.line}: ${objective} is ${JSON.stringify(s[objective])}`);
          }
        }
      }
      expect(problems).toEqual([]);
    },
    CLI_TEST_TIMEOUT,
  );
});

describe('experiment ends on the timeline', () => {
  it(
    'an experiment that ended says when FIS ended it, at most 30 s before the harness saw it (the follow interval backs off to 30 s)',
    async () => {
      const ends: string[] = [];
      const problems: string[] = [];
      for (const dir of await allRuns()) {
        for (const s of dir.results.scenarios) {
          for (const e of s.timeline) {
            if (e.kind !== 'experiment.state' || !['completed', 'stopped', 'failed', 'cancelled'].includes(String(e.detail.state))) continue;
            const where = `seed ${dir.results.seed} ${s.uri}:${s.line} ${String(e.detail.experimentId)} ${String(e.detail.state)} at t=${e.t}`;
            const { endedAt } = e.detail;
            if (typeof endedAt !== 'string') {
              problems.push(`${where}: no endedAt`);
              continue;
            }
            ends.push(where);
            const seenAfter = Date.parse(e.at) - Date.parse(endedAt);
            if (seenAfter < 0 || seenAfter > 30_000) problems.push(`${where}: ended ${endedAt}, seen ${seenAfter / 1000} s later`);
          }
        }
      }
      expect(problems).toEqual([]);
      // The abort alarm halts one experiment in every run.
      expect(ends.length).toBeGreaterThanOrEqual(SEEDS.length + 1);
    },
    CLI_TEST_TIMEOUT,
  );
});

describe('the seed (DESIGN §5)', () => {
  it(
    'another --seed changes measured values of the same scenarios',
    async () => {
      const [one, two] = await Promise.all([seeded[0]!(), seeded[1]!()]);
      const values = (dir: RunDir) => dir.results.scenarios.map((s) => [`${s.uri}:${s.line}`, s.rto?.measuredSeconds, s.rto?.truthSeconds]);
      expect(values(one).map(([where]) => where)).toEqual(values(two).map(([where]) => where));
      expect(values(one)).not.toEqual(values(two));
    },
    CLI_TEST_TIMEOUT,
  );
});

describe('cleanup', () => {
  it(
    'every run journals its mutating calls and ends with every undo done, none failed',
    async () => {
      const problems: string[] = [];
      for (const dir of await allRuns()) {
        const entries = dir.journal
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as { kind: string; scenario: string; id: number; description: string; undo?: unknown; error?: string });
        for (const entry of entries) {
          const where = `seed ${dir.results.seed} ${entry.scenario} #${entry.id} ${entry.description}`;
          if (entry.kind === 'undo-failed') problems.push(`${where}: undo failed: ${entry.error ?? ''}`);
          if (entry.kind === 'undo' && entry.undo !== null) {
            const done = entries.some((e) => e.kind === 'undone' && e.scenario === entry.scenario && e.id === entry.id);
            if (!done) problems.push(`${where}: never undone`);
          }
        }
      }
      expect(problems).toEqual([]);
    },
    CLI_TEST_TIMEOUT,
  );
});
