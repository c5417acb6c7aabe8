import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/sim/index.js';
import type { SimServer } from '../src/sim/server.js';
import { CLI_TEST_TIMEOUT, exists, FIXTURES, gameday, lines, memo, removeTemporary, SETUP_TIMEOUT, type CliRun } from './fixtures/features/run-cli.js';
import { serveStillSecureCart } from './support/securecart-server.js';

/**
 * `gameday run --dry-run` on an aws environment: the steps that need more of
 * it than the sim does (an Auto Scaling group for the standby fleet, a role
 * to assume) are checked before anything runs, with the feature's file:line
 * and the environment's; a sound file lists the Auto Scaling and STS calls.
 * The AWS SDK is pointed at a sim (AWS_ENDPOINT_URL) so that "no call was
 * made" is something the test can see.
 */

const FEATURE = `${FIXTURES}/aws/standby-and-roles.feature`;
const NO_GROUP = 'test/fixtures/env/aws/no-standby-group.yaml';
const STAGING_ON_SIM = 'test/fixtures/env/aws/staging-on-sim.yaml';

let server: SimServer | undefined;
let sim: Simulator | undefined;
let awsEnv: Record<string, string> = {};

const runs = {
  noGroup: memo(() => gameday([FEATURE, '--env', NO_GROUP, '--dry-run', '--ui', 'plain'], { env: awsEnv })),
  sound: memo(() => gameday([FEATURE, '--env', STAGING_ON_SIM, '--dry-run', '--ui', 'plain'], { env: awsEnv })),
};

beforeAll(async () => {
  ({ server, sim, awsEnv } = await serveStillSecureCart());
  await Promise.all(Object.values(runs).map((run) => run()));
}, SETUP_TIMEOUT);

afterAll(async () => {
  await server?.close();
  await removeTemporary();
});

/** The problem lines on stderr that name `file:line`. */
function problemsAt(run: CliRun, file: string, line: number): string[] {
  return run.stderr.split('\n').filter((text) => text.startsWith('  ') && text.includes(`${file}:${line}:`));
}

describe('gameday run --dry-run on an aws environment without what the steps need', () => {
  it(
    'exits 2 before any AWS call, and makes no run folder',
    async () => {
      const run = await runs.noGroup();
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/^gameday: 2 problems in the game day's features and environment; nothing was run:$/m);
      expect(run.stdout).not.toContain('dry run:');
      expect(await exists(run.out)).toBe(false);
      expect(sim!.world.audit).toEqual([]);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    "the standby scale-up: the step's line, and the deployment that names no Auto Scaling group at its own file:line:column",
    async () => {
      const run = await runs.noGroup();
      const found = problemsAt(run, FEATURE, 14);
      expect(found, run.stderr).toHaveLength(1);
      expect(found[0]).toBe(
        `  ${FEATURE}:14: ${NO_GROUP}:52:7: resources.orders-api.regions.us-west-2: scaling orders-api in us-west-2 on AWS goes through its EC2 Auto Scaling group, ` +
          `which this deployment does not name; add autoScalingGroup: <the group's name> (in "the standby capacity in "us-west-2" is scaled up")`,
      );
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'acting as a role the environment does not declare: the step\'s line, the file and the roles it does declare',
    async () => {
      const run = await runs.noGroup();
      const found = problemsAt(run, FEATURE, 12);
      expect(found, run.stderr).toHaveLength(1);
      expect(found[0]).toContain(`${NO_GROUP}: acting as "intruder" on AWS needs a role to assume under roles; it declares "backup-admin"`);
      // The neighbouring steps are fine.
      expect(problemsAt(run, FEATURE, 13)).toEqual([]);
    },
    CLI_TEST_TIMEOUT,
  );
});

describe('gameday run --dry-run on a sound aws environment', () => {
  it(
    'exits 0 without a call, listing DescribeAutoScalingGroups then SetDesiredCapacity (mutating) for the scale-up, and the AssumeRole for the role',
    async () => {
      const run = await runs.sound();
      expect(run.code, run.stderr).toBe(0);
      expect(sim!.world.audit).toEqual([]);
      const out = lines(run.stdout);
      expect(out[0]).toBe('dry run: 1 scenario in staging-on-sim (target aws); no AWS call was made');
      const step = out.findIndex((line) => /^\s+14 {2}When the standby capacity in "us-west-2" is scaled up$/.test(line));
      expect(step, run.stdout).toBeGreaterThan(0);
      expect(out.slice(step + 1, step + 4).map((line) => line.trim())).toEqual([
        '· autoscaling:DescribeAutoScalingGroups orders-api-us-west-2 in us-west-2',
        '· autoscaling:SetDesiredCapacity (mutating) of orders-api-us-west-2 to its MaxSize, then autoscaling:DescribeAutoScalingGroups until that many are InService',
        '· cleanup: autoscaling:SetDesiredCapacity of orders-api-us-west-2 back to its desired capacity before',
      ]);
      const role = out.findIndex((line) => /^\s+12 {2}When the "intruder" role tries to delete/.test(line));
      expect(out[role + 1]?.trim()).toBe('· sts:AssumeRole arn:aws:iam::123456789012:role/intruder (session gameday-<run id>)');
    },
    CLI_TEST_TIMEOUT,
  );
});
