import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/sim/index.js';
import type { SimServer } from '../src/sim/server.js';
import { CLI_TEST_TIMEOUT, FIXTURES, gameday, lines, memo, removeTemporary, ROOT, SETUP_TIMEOUT } from './fixtures/features/run-cli.js';
import { serveStillSecureCart } from './support/securecart-server.js';
import { STAGING_RUNNER } from './support/transport.js';

/**
 * The aws target's dry run checks each injected fault's template against
 * the account, as FIS would on CreateExperimentTemplate (its actions from
 * FIS's own ListActions and GetAction) and as it would resolve the targets
 * when the experiment starts (the services' Describe and List calls),
 * against `gameday sim serve` over HTTP: the shipped scenario-library
 * templates pass with staging-on-sim.yaml, and a mistyped action, a
 * mistyped parameter and a target that selects nothing are each bad input
 * (exit 2) at their line in the template. Read-only throughout: the sim's
 * audit trail and CloudTrail's LookupEvents show no mutating call.
 */

const STAGING_ON_SIM = 'test/fixtures/env/aws/staging-on-sim.yaml';
const BAD_TEMPLATES = 'test/fixtures/env/aws/bad-templates-on-sim.yaml';
const TEMPLATES = 'test/fixtures/env/aws/templates';

let server: SimServer | undefined;
let sim: Simulator | undefined;
let awsEnv: Record<string, string> = {};
let work: string;

const runs = {
  library: memo(() => gameday([`${FIXTURES}/aws/scenario-library.feature`, '--env', STAGING_ON_SIM, '--dry-run', '--ui', 'plain'], { env: awsEnv })),
  bad: memo(() => gameday([`${FIXTURES}/aws/fault-templates.feature`, '--env', BAD_TEMPLATES, '--dry-run', '--ui', 'plain'], { env: awsEnv })),
};

/** Every event the sim's audit trail holds, by name. */
const audited = () => sim!.world.audit.map((r) => ({ eventName: r.eventName, readOnly: r.readOnly, errorCode: r.errorCode }));

/** The 1-based line of the first line of `text` that contains `needle` after the line containing `after`. */
function lineOf(text: string, needle: string, after = ''): number {
  const all = text.split('\n');
  const start = after ? all.findIndex((line) => line.includes(after)) : 0;
  return all.findIndex((line, index) => index >= start && line.includes(needle)) + 1;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'gameday-templates-'));
  ({ server, sim, awsEnv } = await serveStillSecureCart());
  // One after the other: the audit trail of each is read in order below.
  await runs.library();
  await runs.bad();
}, SETUP_TIMEOUT);

afterAll(async () => {
  await server?.close();
  await rm(work, { recursive: true, force: true });
  await removeTemporary();
});

describe('gameday run --dry-run on aws checks the faults’ templates against the account', () => {
  it(
    'the shipped scenario-library templates, with staging-on-sim: clean, each target’s selection listed, what cannot be read from here said so',
    async () => {
      const run = await runs.library();
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      const out = lines(run.stdout);
      expect(out[0]).toBe('dry run: 2 scenarios in staging-on-sim (target aws); read-only AWS calls only (2 FIS templates checked); nothing was changed');
      expect(out).toContain('FIS templates of staging-on-sim, as FIS in account 123456789012 takes them, and what their targets select now:');
      expect(out).toContain('  az-power-interruption: scenarios/templates/az-power-interruption.json in us-east-1: its actions, parameters and targets as FIS takes them');
      // What securecart.yaml seeds in us-east-1a, found through the services' own calls: the orders API's
      // three instances there and two of the checkout API's, the two services' Auto Scaling groups.
      expect(out).toEqual(
        expect.arrayContaining([
          '    ✓ target "instances-in-a" (aws:ec2:instance): 5 now (ec2:DescribeInstances)',
          '    ✓ target "groups" (aws:ec2:autoscaling-group): 2 now (autoscaling:DescribeAutoScalingGroups)',
          '    ✓ target "volumes-in-a" (aws:ec2:ebs-volume): 1 now (ec2:DescribeVolumes)',
          '    ✓ target "subnets-in-a" (aws:ec2:subnet): 1 now (ec2:DescribeSubnets)',
          '    ✓ target "databases-in-a" (aws:rds:db): 1 now (rds:DescribeDBInstances)',
          '    ✓ target "subnets" (aws:ec2:subnet): 2 now (ec2:DescribeSubnets)',
          '    ✓ target "buckets" (aws:s3:bucket): 2 now (s3:ListBuckets, s3:GetBucketTagging)',
          '    ✓ target "global-tables" (aws:dynamodb:global-table): 1 now (dynamodb:ListTables, dynamodb:DescribeTable, dynamodb:ListTagsOfResource)',
          // The transit gateway by its tags, and its peering to the region the action cuts it off from.
          '    ✓ target "transit-gateways" (aws:ec2:transit-gateway): 1 now (ec2:DescribeTransitGateways)',
          '    ✓ action "Disrupt-Xregion-Connectivity-TGW": 1 of the 1 transit gateways peered with us-west-2 (ec2:DescribeTransitGatewayPeeringAttachments)',
          // The role the capacity-error action acts on, by its ARN; the load balancers ARC shifts traffic for, by their tags.
          '    ✓ target "app-role" (aws:iam:role): 1 now (iam:GetRole)',
          '    ✓ target "load-balancers" (aws:arc:zonal-shift-managed-resource): 2 now (elasticloadbalancing:DescribeLoadBalancers, elasticloadbalancing:DescribeTags)',
        ]),
      );
      // Every target of the shipped templates is read from here: none is left "not checked".
      expect(out.filter((line) => line.startsWith('    - not checked: '))).toEqual([]);
      // The calls it made: the account guard first, FIS's catalog, then reads of the resources.
      const names = audited().map((e) => e.eventName);
      expect(names[0]).toBe('GetCallerIdentity');
      expect(names).toEqual(
        expect.arrayContaining(['ListActions', 'GetAction', 'DescribeInstances', 'DescribeAutoScalingGroups', 'DescribeDBInstances', 'ListBuckets', 'DescribeTable', 'GetRole', 'DescribeLoadBalancers', 'DescribeTags']),
      );
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'an unknown action, a parameter the action does not take and a target that selects nothing: exit 2, each at its line in its template with the fault’s name',
    async () => {
      const run = await runs.bad();
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(2);
      expect(run.stdout).not.toContain('dry run:');
      expect(lines(run.stderr)).toEqual([
        "gameday: 3 problems in the game day's features and environment; nothing was run:",
        `  ${TEMPLATES}/unknown-action.json:12: actions.stop.actionId: aws:ec2:stop-instance is not an action FIS knows in us-east-1 of account 123456789012 (did you mean "aws:ec2:stop-instances"?) (template of fault unknown-action)`,
        `  ${TEMPLATES}/bad-parameter.json:13: actions.reboot.parameters.forceFailOver: aws:rds:reboot-db-instances takes no parameter "forceFailOver" (did you mean "forceFailover"?); it takes "forceFailover" (template of fault bad-parameter)`,
        `  ${TEMPLATES}/selects-nothing.json:4: targets.instances-in-c: selects nothing in us-east-1 now: of the 9 aws:ec2:instance tagged app=securecart, none has Placement.AvailabilityZone us-east-1c (ec2:DescribeInstances); FIS would fail the experiment (template of fault selects-nothing)`,
      ]);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'a required parameter left out, a target key the action does not take, a target of the wrong resource type and an ARN that does not exist',
    async () => {
      const template = {
        description: 'four more mistakes only FIS and the account can show',
        targets: {
          groups: { resourceType: 'aws:ec2:autoscaling-group', resourceTags: { app: 'securecart' }, selectionMode: 'ALL' },
          volume: { resourceType: 'aws:ec2:ebs-volume', resourceArns: ['arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:volume/vol-0000000000000dead'], selectionMode: 'ALL' },
        },
        actions: {
          pause: { actionId: 'aws:ebs:pause-volume-io', parameters: {}, targets: { Volumes: 'volume' } },
          stop: { actionId: 'aws:ec2:stop-instances', targets: { Instances: 'groups', Groups: 'groups' } },
        },
        stopConditions: [{ source: 'none' }],
        roleArn: 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/gameday-fis',
      };
      const text = JSON.stringify(template, null, 2);
      await writeFile(join(work, 'more.json'), text);
      const env = (await readFile(join(ROOT, BAD_TEMPLATES), 'utf8')).replace(/^faults:[\s\S]*$/m, `faults:\n  more: ${join(work, 'more.json')}\n`);
      await writeFile(join(work, 'bad-templates-on-sim.yaml'), env);
      const feature = join(work, 'more.feature');
      await writeFile(feature, 'Feature: more\n  Scenario: more\n    Given the "bad-templates-on-sim" environment\n    When the FIS experiment "more" runs to completion\n');
      const run = await gameday([feature, '--env', join(work, 'bad-templates-on-sim.yaml'), '--dry-run', '--ui', 'plain'], { env: awsEnv });
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(2);
      const file = join(work, 'more.json');
      expect(lines(run.stderr).slice(1)).toEqual([
        `  ${file}:${lineOf(text, '"parameters": {}')}: actions.pause.parameters: aws:ebs:pause-volume-io requires the parameter "duration" (The duration, ISO 8601 (PT1S to PT12H).) (template of fault more)`,
        `  ${file}:${lineOf(text, '"Instances"', '"stop"')}: actions.stop.targets.Instances: aws:ec2:stop-instances takes aws:ec2:instance for Instances, but target "groups" is aws:ec2:autoscaling-group (template of fault more)`,
        `  ${file}:${lineOf(text, '"Groups"', '"stop"')}: actions.stop.targets.Groups: aws:ec2:stop-instances takes no target "Groups"; it takes "Instances" (template of fault more)`,
        `  ${file}:${lineOf(text, 'vol-0000000000000dead')}: targets.volume.resourceArns[0]: arn:aws:ec2:us-east-1:123456789012:volume/vol-0000000000000dead does not exist in us-east-1 (ec2:DescribeVolumes does not list it) (template of fault more)`,
      ]);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'IAM roles and ARC managed resources: a role that does not exist and a role by tags none has are problems; load balancers by tags none has, and an EKS cluster, are not checked, as ARC manages more than load balancers',
    async () => {
      const template = {
        description: 'roles and zonal-shift targets the account does not have',
        targets: {
          'no-role': { resourceType: 'aws:iam:role', resourceArns: ['arn:${AWS::Partition}:iam::${AWS::AccountId}:role/nobody'], selectionMode: 'ALL' },
          'team-roles': { resourceType: 'aws:iam:role', resourceTags: { team: 'payments' }, selectionMode: 'ALL' },
        },
        actions: {
          launches: {
            actionId: 'aws:ec2:api-insufficient-instance-capacity-error',
            parameters: { availabilityZoneIdentifiers: 'us-east-1a', percentage: '100', duration: 'PT5M' },
            targets: { Roles: 'no-role' },
          },
          more: {
            actionId: 'aws:ec2:api-insufficient-instance-capacity-error',
            parameters: { availabilityZoneIdentifiers: 'us-east-1a', percentage: '100', duration: 'PT5M' },
            targets: { Roles: 'team-roles' },
          },
        },
        stopConditions: [{ source: 'none' }],
        roleArn: 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/gameday-fis',
      };
      const shifts = {
        description: 'zonal shifts of what gameday cannot list, or lists and finds none of',
        targets: {
          'other-balancers': { resourceType: 'aws:arc:zonal-shift-managed-resource', resourceTags: { app: 'elsewhere' }, selectionMode: 'ALL' },
          cluster: { resourceType: 'aws:arc:zonal-shift-managed-resource', resourceArns: ['arn:${AWS::Partition}:eks:${AWS::Region}:${AWS::AccountId}:cluster/orders'], selectionMode: 'ALL' },
        },
        actions: {
          shift: { actionId: 'aws:arc:start-zonal-autoshift', parameters: { availabilityZoneIdentifier: 'us-east-1a', duration: 'PT5M' }, targets: { ManagedResources: 'other-balancers' } },
          'shift-cluster': { actionId: 'aws:arc:start-zonal-autoshift', parameters: { availabilityZoneIdentifier: 'us-east-1a', duration: 'PT5M' }, targets: { ManagedResources: 'cluster' } },
        },
        stopConditions: [{ source: 'none' }],
        roleArn: 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/gameday-fis',
      };
      /** A dry run of the one fault `name`, whose template is `body`. */
      const dryRun = async (name: string, body: object) => {
        await writeFile(join(work, `${name}.json`), JSON.stringify(body, null, 2));
        const env = (await readFile(join(ROOT, BAD_TEMPLATES), 'utf8')).replace(/^faults:[\s\S]*$/m, `faults:\n  ${name}: ${join(work, `${name}.json`)}\n`);
        await writeFile(join(work, `${name}-on-sim.yaml`), env);
        const feature = join(work, `${name}.feature`);
        await writeFile(feature, `Feature: ${name}\n  Scenario: ${name}\n    Given the "bad-templates-on-sim" environment\n    When the FIS experiment "${name}" runs to completion\n`);
        return gameday([feature, '--env', join(work, `${name}-on-sim.yaml`), '--dry-run', '--ui', 'plain'], { env: awsEnv });
      };
      const text = JSON.stringify(template, null, 2);
      const before = sim!.world.audit.length;
      const run = await dryRun('roles', template);
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(2);
      const file = join(work, 'roles.json');
      expect(lines(run.stderr).slice(1)).toEqual([
        `  ${file}:${lineOf(text, 'role/nobody')}: targets.no-role.resourceArns[0]: arn:aws:iam::123456789012:role/nobody does not exist in account 123456789012 (iam:GetRole answers NoSuchEntity) (template of fault roles)`,
        `  ${file}:${lineOf(text, '"team-roles"')}: targets.team-roles: selects nothing in account 123456789012 now: no aws:iam:role in account 123456789012 is tagged team=payments (iam:ListRoles, iam:ListRoleTags); FIS would fail the experiment (template of fault roles)`,
      ]);
      // The role by tags read each role's tags: ListRoles answers none.
      expect(sim!.world.audit.slice(before).map((r) => r.eventName)).toEqual(expect.arrayContaining(['GetRole', 'ListRoles', 'ListRoleTags']));

      const shifted = await dryRun('shifts', shifts);
      expect(shifted.code, `${shifted.stdout}\n${shifted.stderr}`).toBe(0);
      const leftOut = "ARC's other managed resources (EKS clusters, Auto Scaling groups with zonal shift enabled) are not listed here; FIS resolves them when the experiment starts";
      expect(lines(shifted.stdout).filter((line) => line.startsWith('    - not checked: '))).toEqual([
        `    - not checked: target "other-balancers" (aws:arc:zonal-shift-managed-resource): selects nothing in us-east-1 now: no aws:arc:zonal-shift-managed-resource in us-east-1 is tagged app=elsewhere (elasticloadbalancing:DescribeLoadBalancers, elasticloadbalancing:DescribeTags); ${leftOut}`,
        `    - not checked: target "cluster" (aws:arc:zonal-shift-managed-resource): arn:aws:eks:us-east-1:123456789012:cluster/orders: ${leftOut}`,
      ]);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'a transit gateway action cutting the peering to a region its gateways are not peered with (here, their own): exit 2 at the action’s region, as it would cut nothing',
    async () => {
      const template = {
        description: 'the peering to the gateways’ own region, which no peering attachment reaches',
        targets: { 'transit-gateways': { resourceType: 'aws:ec2:transit-gateway', resourceTags: { app: 'securecart' }, selectionMode: 'ALL' } },
        actions: {
          cut: {
            actionId: 'aws:network:transit-gateway-disrupt-cross-region-connectivity',
            parameters: { region: 'us-east-1', duration: 'PT5M' },
            targets: { TransitGateways: 'transit-gateways' },
          },
        },
        stopConditions: [{ source: 'none' }],
        roleArn: 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/gameday-fis',
      };
      const text = JSON.stringify(template, null, 2);
      await writeFile(join(work, 'unpeered.json'), text);
      const env = (await readFile(join(ROOT, BAD_TEMPLATES), 'utf8')).replace(/^faults:[\s\S]*$/m, `faults:\n  unpeered: ${join(work, 'unpeered.json')}\n`);
      await writeFile(join(work, 'unpeered-on-sim.yaml'), env);
      const feature = join(work, 'unpeered.feature');
      await writeFile(feature, 'Feature: unpeered\n  Scenario: unpeered\n    Given the "bad-templates-on-sim" environment\n    When the FIS experiment "unpeered" runs to completion\n');
      const run = await gameday([feature, '--env', join(work, 'unpeered-on-sim.yaml'), '--dry-run', '--ui', 'plain'], { env: awsEnv });
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(2);
      expect(run.stderr).toContain(
        `${join(work, 'unpeered.json')}:${lineOf(text, '"region"')}: actions.cut.parameters.region: none of the 1 transit gateways target "transit-gateways" selects in us-east-1 has a peering attachment to us-east-1 (ec2:DescribeTransitGatewayPeeringAttachments): the action would cut nothing (template of fault unpeered)`,
      );
      // The heading and that one problem.
      expect(lines(run.stderr)).toHaveLength(2);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'credentials of an account the environment does not allow: exit 3 at the account guard, before FIS or any resource is asked',
    async () => {
      const env = (await readFile(join(ROOT, STAGING_ON_SIM), 'utf8'))
        .replace('allowedAccountIds: ["123456789012"]', 'allowedAccountIds: ["999999999999"]')
        .replace(/intruder: \{[^}]*\}/, 'intruder: arn:aws:iam::999999999999:role/intruder')
        .replace('arn:aws:iam::123456789012:role/backup-admin', 'arn:aws:iam::999999999999:role/backup-admin')
        .replaceAll('../../../../scenarios/templates/', `${join(ROOT, 'scenarios/templates')}/`);
      await writeFile(join(work, 'staging-on-sim.yaml'), env);
      const before = sim!.world.audit.length;
      const run = await gameday([`${FIXTURES}/aws/scenario-library.feature`, '--env', join(work, 'staging-on-sim.yaml'), '--dry-run', '--ui', 'plain'], { env: awsEnv });
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(3);
      expect(run.stderr).toContain('the credentials belong to account 123456789012, which is not in allowedAccountIds (999999999999); refusing to touch it');
      expect(sim!.world.audit.slice(before).map((r) => r.eventName)).toEqual(['GetCallerIdentity']);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'changes nothing: every call in the audit trail reads, CloudTrail has no event that is not read-only, and FIS holds no template',
    async () => {
      // Every call the dry runs made is one the sim serves, and a read.
      expect(audited().filter((event) => event.errorCode === 'InvalidAction')).toEqual([]);
      const all = audited();
      expect(all.length).toBeGreaterThan(20);
      for (const event of all) {
        expect(event.eventName, 'a read').toMatch(/^(GetCallerIdentity|Describe|List|Get)/);
        expect(event.readOnly, event.eventName).toBe(true);
      }
      const cloudtrail = new CloudTrailClient({ region: 'us-east-1', endpoint: server!.url, credentials: STAGING_RUNNER, maxAttempts: 1 });
      const { Events } = await cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'false' }] }));
      expect((Events ?? []).map((e) => e.EventName)).toEqual([]);
      expect(sim!.world.events.filter((e) => e.kind.startsWith('fis.template') || e.kind === 'fis.experiment.state')).toEqual([]);
    },
    CLI_TEST_TIMEOUT,
  );
});
