import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../src/report/types.js';
import { CLI_TEST_TIMEOUT, SETUP_TIMEOUT, finishedRun, gameday, memo, removeTemporary } from './fixtures/features/run-cli.js';

/**
 * `the backup audit framework "…" is compliant` through `gameday run`: on
 * SecureCart the report job's report finds every control met; on a posture
 * that keeps backups 3 days and copies them nowhere, the step fails naming
 * each control that falls short and the resources it finds wanting, and the
 * report stays in its bucket (journalled as left changed).
 */

const WEAK = 'test/fixtures/features/issue16/weak-posture.yaml';
const runs = {
  securecart: memo(() => finishedRun(['features/backup-posture.feature', '--ui', 'plain'])),
  weak: memo(() => finishedRun(['test/fixtures/features/issue16/posture.feature', '--env', WEAK, '--ui', 'plain'])),
  dryRun: memo(() => gameday(['features/backup-posture.feature', '--dry-run', '--ui', 'plain'])),
};

beforeAll(async () => {
  await Promise.all(Object.values(runs).map((run) => run()));
}, SETUP_TIMEOUT);

afterAll(removeTemporary);

const scenario = (scenarios: ScenarioResult[], name: RegExp) => {
  const found = scenarios.find((s) => name.test(s.name));
  if (!found) throw new Error(`no scenario matches ${name}`);
  return found;
};

describe('the backup audit framework step', () => {
  it(
    "finds SecureCart's framework compliant, control by control, from the report its report job wrote",
    async () => {
      const { dir } = await runs.securecart();
      const s = scenario(dir.results.scenarios, /Backup Audit Manager finds/);
      expect(s.status).toBe('passed');
      const checks = s.timeline.filter((e) => e.kind === 'check.passed' && e.detail.check === 'backup audit control');
      expect(checks.map((e) => (e.detail as { subject: string }).subject)).toEqual([
        'securecart_dr_posture: BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN',
        'securecart_dr_posture: BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK',
        'securecart_dr_posture: BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK',
        'securecart_dr_posture: BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION',
        'securecart_dr_posture: BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED',
      ]);
      expect((checks[0]!.detail as { evidence: string }).evidence).toMatch(/^3 of 3 resources compliant \(s3:\/\/securecart-audit-reports\/backup-audit\/Backup\/us-east-1\/2026\/01\/05\/securecart_dr_posture_report_[0-9a-f-]+\.json\)$/);
      // The report job is journalled: its report stays in the bucket as evidence.
      const journal = dir.journal.trim().split('\n').map((line) => JSON.parse(line) as { kind: string; description: string; call?: { operation: string }; undo?: unknown });
      const call = journal.find((e) => e.kind === 'call' && e.call?.operation === 'StartReportJob');
      expect(call?.description).toBe('compliance report of securecart_dr_posture');
      expect(journal.find((e) => e.kind === 'undo' && e.description === call?.description)?.undo).toBeNull();
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'fails on a weak posture, naming each control that falls short and the resources it finds wanting',
    async () => {
      const { run, dir } = await runs.weak();
      expect(run.code).toBe(1);
      const [s] = dir.results.scenarios;
      expect(s?.status).toBe('failed');
      const failed = s!.timeline.filter((e) => e.kind === 'check.failed').map((e) => (e.detail as { subject: string }).subject);
      expect(failed).toEqual(['shop_posture: BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK', 'shop_posture: BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION']);
      const passed = s!.timeline.filter((e) => e.kind === 'check.passed').map((e) => (e.detail as { subject?: string }).subject);
      expect(passed).toContain('shop_posture: BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN');
      const junit = await readFile(join(dir.dir, 'junit.xml'), 'utf8');
      expect(junit).toContain('the backup audit framework &quot;posture&quot; (shop_posture) is not compliant');
      expect(junit).toMatch(/BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK: \S+ \(of shop-db, kept 3 days \(at least 7 required\)\)/);
      expect(junit).toContain('BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION: shop-db (no backup rule copies its recovery points to another region)');
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'says under --dry-run which calls it would make, the report job as mutating',
    async () => {
      const run = await runs.dryRun();
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('backup:DescribeFramework securecart_dr_posture and backup:DescribeReportPlan securecart_dr_posture_report in us-east-1');
      expect(run.stdout).toContain('backup:StartReportJob securecart_dr_posture_report (mutating: writes a compliance report into the audit-reports bucket), then backup:DescribeReportJob until COMPLETED');
    },
    CLI_TEST_TIMEOUT,
  );
});
