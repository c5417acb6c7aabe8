import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_TEST_TIMEOUT, SETUP_TIMEOUT, finishedRun, gameday, memo, removeTemporary } from './fixtures/features/run-cli.js';

/**
 * The Aurora cluster steps (issue 13) as users meet them: the shipped
 * feature on the sim (the reader Aurora ranks first takes over, no order
 * lost, the drill journalled with its fail-back), what `--dry-run` says it
 * would call, and the mistakes refused at file:line before anything runs.
 */

const FEATURE = 'features/aurora-cluster-failover.feature';
const MISTAKES = 'test/fixtures/features/cluster/cluster-mistakes.feature';
const runs = {
  run: memo(() => finishedRun([FEATURE, '--ui', 'plain'])),
  dryRun: memo(() => gameday([FEATURE, '--dry-run', '--ui', 'plain'])),
  mistakes: memo(() => gameday([MISTAKES, '--dry-run', '--ui', 'plain'])),
};

beforeAll(async () => {
  await Promise.all(Object.values(runs).map((run) => run()));
}, SETUP_TIMEOUT);

afterAll(removeTemporary);

describe('Aurora cluster steps', () => {
  it(
    'fail the checkout cluster over to its tier-0 reader, by FIS and by hand, within the RTO and losing nothing; the drill is journalled with its fail-back',
    async () => {
      const { run, dir } = await runs.run();
      expect(run.code, run.stderr).toBe(0);
      const [fis, drill] = dir.results.scenarios;
      for (const scenario of [fis!, drill!]) {
        expect(scenario.status).toBe('passed');
        expect(scenario.rto!.measuredSeconds!).toBeGreaterThanOrEqual(15);
        expect(scenario.rto!.measuredSeconds!).toBeLessThanOrEqual(scenario.rto!.targetSeconds);
        expect(scenario.rpo).toMatchObject({ measuredSeconds: 0, truthSeconds: 0, lostWrites: 0 });
      }
      expect(fis!.experiments.map((e) => e.state)).toEqual(['completed']);
      expect(fis!.timeline.flatMap((e) => (e.kind === 'check.passed' && e.detail.check === 'cluster writer' ? [e.detail.evidence] : []))).toEqual([
        'the writer is securecart-checkout-2, in us-east-1b, promotion tier 0 (in us-east-1b required)',
        'the writer is securecart-checkout-2, in us-east-1b, promotion tier 0 (tier 0 required)',
      ]);
      expect(drill!.incident).toMatchObject({ kind: 'planned', what: 'failover of cluster securecart-checkout' });
      expect(drill!.timeline.find((e) => e.kind === 'action.completed')?.detail).toMatchObject({
        action: 'cluster failover',
        outcome: 'writer moved from securecart-checkout-1 (us-east-1a) to securecart-checkout-2 (us-east-1b, promotion tier 0)',
      });
      expect(drill!.timeline.filter((e) => e.kind === 'cleanup.step').map((e) => e.detail)).toContainEqual({
        step: 'FailoverDBCluster (failover of cluster securecart-checkout)',
        outcome: 'done',
      });
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    '--dry-run lists the calls: FailoverDBCluster and its fail-back, the FIS template, the writer checks',
    async () => {
      const run = await runs.dryRun();
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('rds:FailoverDBCluster securecart-checkout (mutating) in us-east-1');
      expect(run.stdout).toContain('cleanup: rds:FailoverDBCluster back to the writer it had, if still away');
      expect(run.stdout).toContain('from scenarios/templates/aurora-cluster-failover.json: aws:rds:failover-db-cluster');
      expect(run.stdout).toContain('rds:DescribeDBClusters, rds:DescribeDBInstances of the writer');
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'refuses at file:line, before anything runs: an instance failed over to a reader, a zone of another region, a tier past 15, a cluster failed over to a standby',
    async () => {
      const run = await runs.mistakes();
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('nothing was run');
      expect(run.stderr.split('\n').filter((l) => l.includes(MISTAKES))).toEqual([
        expect.stringMatching(/cluster-mistakes\.feature:5: "orders-db" .* is an rds-instance, but this step needs an rds-cluster; known rds-cluster aliases: "checkout-cluster"/),
        expect.stringMatching(/cluster-mistakes\.feature:9: "us-west-2a" is not an Availability Zone of us-east-1, where "checkout-cluster" runs/),
        expect.stringMatching(/cluster-mistakes\.feature:13: promotion tier 16 does not exist: RDS ranks readers from tier 0 to tier 15/),
        expect.stringMatching(/cluster-mistakes\.feature:17: "checkout-cluster" .* is an rds-cluster, but this step needs an rds-instance/),
      ]);
    },
    CLI_TEST_TIMEOUT,
  );
});
