import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadEnvironment, parseEnvironment, resolveAlias, type Environment } from '../src/env/index.js';
import { environmentProblems } from './support/environment.js';

/**
 * The environment kinds of issue 16: the backend servers Elastic Disaster
 * Recovery replicates (drs-source-servers), and a Backup Audit Manager
 * framework with the report plan the game day reads (backup-framework).
 */

const root = fileURLToPath(new URL('..', import.meta.url));

const HEAD = `
target: sim
regions: { primary: us-east-1, secondary: us-west-2 }
resources:
  reports: { kind: s3-bucket, identifier: acme-audit-reports, region: us-east-1 }
`;

const problems = (text: string) => environmentProblems(text);

describe('drs-source-servers', () => {
  it("loads SecureCart's backend servers: replicating into us-west-2 from us-east-1, found by hostname, defaults filled in", async () => {
    const env = await loadEnvironment(path.relative(process.cwd(), path.join(root, 'scenarios/environments/securecart.yaml')));
    expect(resolveAlias(env, 'backend-servers', ['drs-source-servers'])).toEqual({
      kind: 'drs-source-servers',
      alias: 'backend-servers',
      region: 'us-west-2',
      sourceRegion: 'us-east-1',
      servers: [
        { hostname: 'securecart-backend-1', instanceType: 'm6i.large', diskGiB: 100 },
        { hostname: 'securecart-backend-2', instanceType: 'm6i.large', diskGiB: 100 },
      ],
      tags: { app: 'securecart', role: 'backend' },
    });
    const minimal: Environment = await parseEnvironment(`${HEAD}  web: { kind: drs-source-servers, region: us-west-2, sourceRegion: us-east-1, servers: [{ hostname: web-1 }] }\n`, 'acme.yaml');
    expect(resolveAlias(minimal, 'web', ['drs-source-servers']).servers).toEqual([{ hostname: 'web-1', instanceType: 'm6i.large', diskGiB: 100 }]);
  });

  it('refuses a recovery into the region the servers run in, a region outside the environment, a hostname twice in one DRS region', async () => {
    expect(await problems(`${HEAD}  web: { kind: drs-source-servers, region: us-east-1, sourceRegion: us-east-1, servers: [{ hostname: web-1 }] }\n`)).toEqual([
      'acme.yaml:6:36: resources.web.region: the servers run in us-east-1 and would recover there too; DRS recovers into another region (usually the secondary)',
    ]);
    const outside = await problems(`${HEAD}  web: { kind: drs-source-servers, region: us-west-2, sourceRegion: eu-west-1, servers: [{ hostname: web-1 }] }\n`);
    expect(outside).toHaveLength(1);
    expect(outside[0]).toMatch(/^acme\.yaml:6:\d+: resources\.web\.sourceRegion: .*eu-west-1/);
    expect(
      await problems(
        `${HEAD}  web: { kind: drs-source-servers, region: us-west-2, sourceRegion: us-east-1, servers: [{ hostname: web-1 }] }\n  api: { kind: drs-source-servers, region: us-west-2, sourceRegion: us-east-1, servers: [{ hostname: WEB-1 }] }\n`,
      ),
    ).toEqual([expect.stringMatching(/^acme\.yaml:7:\d+: resources\.api\.servers\[0\]\.hostname: WEB-1 is already the identifier of web in us-west-2; a hostname names one source server per DRS region$/)]);
    const empty = await problems(`${HEAD}  web: { kind: drs-source-servers, region: us-west-2, sourceRegion: us-east-1, servers: [] }\n`);
    expect(empty[0]).toMatch(/resources\.web\.servers/);
  });
});

describe('backup-framework', () => {
  it("loads SecureCart's audit framework: its controls with their parameters as strings, its report plan and bucket", async () => {
    const env = await loadEnvironment(path.relative(process.cwd(), path.join(root, 'scenarios/environments/securecart.yaml')));
    const framework = resolveAlias(env, 'dr-posture', ['backup-framework']);
    expect(framework).toMatchObject({ identifier: 'securecart_dr_posture', region: 'us-east-1', report: { plan: 'securecart_dr_posture_report', bucket: 'audit-reports', prefix: 'backup-audit' } });
    expect(framework.controls.map((c) => [c.name, c.parameters])).toEqual([
      ['BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN', {}],
      ['BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK', { requiredFrequencyUnit: 'days', requiredFrequencyValue: '1', requiredRetentionDays: '7' }],
      ['BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK', { requiredRetentionDays: '7' }],
      ['BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION', { crossRegionList: 'us-west-2' }],
      ['BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED', { principalArnList: 'arn:aws:iam::123456789012:role/backup-admin' }],
    ]);
  });

  it('refuses a control the simulator does not evaluate, a report bucket that is not a bucket, a name AWS would refuse', async () => {
    const framework = (fields: string) => `${HEAD}  posture:\n    kind: backup-framework\n    region: us-east-1\n${fields}`;
    const unknownControl = await problems(framework('    identifier: posture\n    controls: [{ name: BACKUP_LAST_RECOVERY_POINT_CREATED }]\n    report: { plan: posture_report, bucket: reports }\n'));
    expect(unknownControl).toHaveLength(1);
    expect(unknownControl[0]).toMatch(/^acme\.yaml:10:\d+: resources\.posture\.controls\[0\]\.name: expected one of "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN", .* got "BACKUP_LAST_RECOVERY_POINT_CREATED"$/);
    expect(await problems(framework('    identifier: posture\n    controls: [{ name: BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN }]\n    report: { plan: posture_report, bucket: nowhere }\n'))).toEqual([
      'acme.yaml:11:37: resources.posture.report.bucket: no resource is called "nowhere"; s3-bucket aliases: "reports"',
    ]);
    const badName = await problems(framework('    identifier: 9-posture\n    controls: [{ name: BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN }]\n    report: { plan: posture_report, bucket: reports }\n'));
    expect(badName).toEqual([expect.stringMatching(/resources\.posture\.identifier: expected a name of letters, digits and underscores starting with a letter/)]);
  });
});
