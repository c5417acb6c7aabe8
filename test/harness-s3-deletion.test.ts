import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_TEST_TIMEOUT, SETUP_TIMEOUT, finishedRun, gameday, memo, removeTemporary } from './fixtures/features/run-cli.js';

/**
 * The attempt to delete backups kept in S3 (features/security.feature),
 * through `gameday run`: the intruder's DeleteObject of a version in the
 * bucket of backup exports is refused, and GuardDuty's S3 finding for it is
 * raised; --dry-run names the calls, the deletion as mutating if allowed.
 */

const SCENARIO = 'features/security.feature:21';
const runs = {
  run: memo(() => finishedRun([SCENARIO, '--ui', 'plain'])),
  dryRun: memo(() => gameday([SCENARIO, '--dry-run', '--ui', 'plain'])),
};

beforeAll(async () => {
  await Promise.all(Object.values(runs).map((run) => run()));
}, SETUP_TIMEOUT);

afterAll(removeTemporary);

describe('an intruder tries to delete the backups kept in S3', () => {
  it(
    'is refused, and GuardDuty raises Impact:S3/AnomalousBehavior.Delete',
    async () => {
      const { run, dir } = await runs.run();
      expect(run.code).toBe(0);
      const [s] = dir.results.scenarios;
      expect([s?.name, s?.status]).toEqual(['An intruder cannot delete the backups kept in S3', 'passed']);
      const checks = s!.timeline.filter((e) => e.kind === 'check.passed').map((e) => e.detail as { check: string; subject: string; evidence: string });
      expect(checks.find((c) => c.check === 'request denied')?.evidence).toMatch(
        /^DeleteObject answered AccessDenied: User: arn:aws:sts::123456789012:assumed-role\/intruder\/gameday is not authorized to perform: s3:DeleteObjectVersion on resource: arn:aws:s3:::securecart-backup-exports\//,
      );
      expect(checks.find((c) => c.check === 'finding')).toEqual({
        check: 'finding',
        subject: 'Impact:S3/AnomalousBehavior.Delete',
        evidence: 'Anomalous S3 delete API calls were invoked on the bucket securecart-backup-exports. (severity 8)',
      });
      // Refused, it changed nothing: the run does not list it as left changed.
      expect(dir.results.leftChanged).toBeUndefined();
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'names its calls under --dry-run',
    async () => {
      const run = await runs.dryRun();
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('s3:ListObjectVersions of backup-exports (its first version)');
      expect(run.stdout).toContain('s3:DeleteObject of that version, as intruder (mutating if allowed: the version is gone)');
    },
    CLI_TEST_TIMEOUT,
  );
});
