import {
  AutoScalingClient,
  AutoScalingServiceException,
  DescribeAutoScalingGroupsCommand,
  InvalidNextToken,
  paginateDescribeAutoScalingGroups,
  ScalingActivityInProgressFault,
  SetDesiredCapacityCommand,
  UpdateAutoScalingGroupCommand,
  type AutoScalingGroup,
  type SetDesiredCapacityCommandInput,
} from '@aws-sdk/client-auto-scaling';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildSimulator } from '../src/aws/sim-target.js';
import { VirtualClock } from '../src/clock/index.js';
import { loadEnvironment } from '../src/env/index.js';
import { createAppModule, type AppModule } from '../src/sim/app/index.js';
import { defaultCalibration, longestSeconds } from '../src/sim/calibration.js';
import { createSimulator, type Simulator } from '../src/sim/index.js';
import { AUTOSCALING_XML_NAMESPACE, createAutoScalingModule, type AutoScalingModule } from '../src/sim/services/autoscaling/index.js';
import { createEc2Module, type Ec2Module } from '../src/sim/services/ec2/index.js';
import { createRdsModule, type RdsModule } from '../src/sim/services/rds/index.js';
import type { SimRequest } from '../src/sim/types.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { SECOND } from './support/time.js';
import { EAST, EU, START, WEST } from './support/sim.js';
import { rejection } from './support/rejection.js';

const EAST_GROUP = 'orders-api-us-east-1';
const WEST_GROUP = 'orders-api-us-west-2';
const repo = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

async function setupOver(via: TransportHarness) {
  const clock = new VirtualClock({ start: START });
  const sim = createSimulator({ clock, seed: 42, services: [createRdsModule, createEc2Module, createAppModule, createAutoScalingModule] });
  const rds = sim.world.module<RdsModule>('rds').model;
  rds.seedInstance({ identifier: 'orders-db', region: EAST, multiAZ: true });
  rds.seedReadReplica({ identifier: 'orders-db-replica', region: WEST, source: { identifier: 'orders-db', region: EAST } });
  const app = sim.world.module<AppModule>('app');
  // us-east-1 a warm fleet (2 of 6), us-west-2 a pilot light (0 of 4).
  app.seedOrdersService({ region: EAST, database: { engine: 'rds', region: EAST, id: 'orders-db' }, capacity: { running: 2, full: 6 } });
  app.seedOrdersService({ region: WEST, database: { engine: 'rds', region: WEST, id: 'orders-db-replica' }, capacity: 'pilot-light' });
  const model = sim.world.module<AutoScalingModule>('autoscaling').model;
  const eastGroup = model.seedGroup({ name: EAST_GROUP, region: EAST, desired: 2, maxSize: 6, tags: { 'gameday:service': 'orders-api', tier: 'primary' } });
  const westGroup = model.seedGroup({ name: WEST_GROUP, region: WEST, desired: 0, maxSize: 4, tags: { 'gameday:service': 'orders-api', tier: 'standby' } });
  app.attachFleet(EAST, model.fleet(eastGroup));
  app.attachFleet(WEST, model.fleet(westGroup));
  /** When the launch activity under way in the region's group completes. */
  const completesAt = (region: string) => model.group(region, region === EAST ? EAST_GROUP : WEST_GROUP)!.activity!.completesAt;
  return {
    completesAt,
    clock,
    sim,
    app,
    model,
    east: new AutoScalingClient(await via.config(sim, clock, EAST)),
    west: new AutoScalingClient(await via.config(sim, clock, WEST)),
    eu: new AutoScalingClient(await via.config(sim, clock, EU)),
  };
}

async function group(client: AutoScalingClient, name: string): Promise<AutoScalingGroup> {
  const { AutoScalingGroups } = await client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
  expect(AutoScalingGroups).toHaveLength(1);
  return AutoScalingGroups![0]!;
}

const states = (g: AutoScalingGroup) => (g.Instances ?? []).map((i) => i.LifecycleState);
const ids = (g: AutoScalingGroup, state?: string) => (g.Instances ?? []).filter((i) => !state || i.LifecycleState === state).map((i) => i.InstanceId);

/** The SDK models no ValidationError class: it throws AutoScalingServiceException named after the wire code. */
const failure = (promise: Promise<unknown>) => rejection(promise, AutoScalingServiceException);

async function validationError(promise: Promise<unknown>): Promise<string> {
  const error = await failure(promise);
  expect(error.name).toBe('ValidationError');
  expect(error.$metadata.httpStatusCode).toBe(400);
  expect(error.$fault).toBe('client');
  return error.message;
}

describe.each(transports)('EC2 Auto Scaling over the %s transport', (transport) => {
  const via = useTransport(transport);
  const setup = () => setupOver(via);

  describe('DescribeAutoScalingGroups', () => {
    it('describes a group over its fleet: bounds, desired capacity, InService instances spread over its zones', async () => {
      const { east, sim } = await setup();
      const described = await group(east, EAST_GROUP);
      expect(described).toMatchObject({
        AutoScalingGroupName: EAST_GROUP,
        MinSize: 0,
        MaxSize: 6,
        DesiredCapacity: 2,
        DefaultCooldown: 300,
        HealthCheckType: 'EC2',
        HealthCheckGracePeriod: 300,
        AvailabilityZones: ['us-east-1a', 'us-east-1b'],
        CreatedTime: new Date(START),
        TerminationPolicies: ['Default'],
        NewInstancesProtectedFromScaleIn: false,
        LaunchTemplate: { LaunchTemplateName: EAST_GROUP, Version: '$Default' },
      });
      expect(described.AutoScalingGroupARN).toMatch(
        new RegExp(`^arn:aws:autoscaling:us-east-1:${sim.world.accountId}:autoScalingGroup:[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}:autoScalingGroupName/${EAST_GROUP}$`),
      );
      expect(described.LaunchTemplate?.LaunchTemplateId).toMatch(/^lt-[0-9a-f]{17}$/);
      expect(described.Tags).toEqual([
        { ResourceId: EAST_GROUP, ResourceType: 'auto-scaling-group', Key: 'gameday:service', Value: 'orders-api', PropagateAtLaunch: true },
        { ResourceId: EAST_GROUP, ResourceType: 'auto-scaling-group', Key: 'tier', Value: 'primary', PropagateAtLaunch: true },
      ]);
      expect(described.Instances).toHaveLength(2);
      for (const instance of described.Instances!) {
        expect(instance).toMatchObject({ LifecycleState: 'InService', HealthStatus: 'Healthy', ProtectedFromScaleIn: false, InstanceType: 'm6g.large' });
        expect(instance.InstanceId).toMatch(/^i-[0-9a-f]{17}$/);
      }
      expect(described.Instances!.map((i) => i.AvailabilityZone).sort()).toEqual(['us-east-1a', 'us-east-1b']);
      // Instances keep their ids from one look to the next.
      expect(ids(await group(east, EAST_GROUP))).toEqual(ids(described));
    });

    it("lists the caller's region only; named groups that do not exist are simply absent", async () => {
      const { east, west } = await setup();
      expect((await east.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups?.map((g) => g.AutoScalingGroupName)).toEqual([EAST_GROUP]);
      const pilot = await group(west, WEST_GROUP);
      expect(pilot).toMatchObject({ MinSize: 0, MaxSize: 4, DesiredCapacity: 0 });
      expect(pilot.Instances ?? []).toEqual([]);
      const named = await east.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['no-such-group', EAST_GROUP, WEST_GROUP] }));
      expect(named.AutoScalingGroups?.map((g) => g.AutoScalingGroupName)).toEqual([EAST_GROUP]);
      const none = await east.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['no-such-group'] }));
      expect(none.AutoScalingGroups ?? []).toEqual([]);
      expect(none.NextToken).toBeUndefined();
      const bare = await east.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [EAST_GROUP], IncludeInstances: false }));
      expect(bare.AutoScalingGroups?.[0]?.Instances).toBeUndefined();
      expect(bare.AutoScalingGroups?.[0]?.DesiredCapacity).toBe(2);
    });

    it('pages through the groups in name order, within a list of names too', async () => {
      const { eu, model } = await setup();
      for (const n of [5, 2, 7, 1, 4, 6, 3]) model.seedGroup({ name: `worker-0${n}`, region: EU, desired: 1, maxSize: 2 });
      const first = await eu.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 3 }));
      expect(first.AutoScalingGroups?.map((g) => g.AutoScalingGroupName)).toEqual(['worker-01', 'worker-02', 'worker-03']);
      expect(first.NextToken).toBeTruthy();
      const pages: string[][] = [];
      for await (const page of paginateDescribeAutoScalingGroups({ client: eu, pageSize: 3 }, {})) {
        pages.push(page.AutoScalingGroups?.map((g) => g.AutoScalingGroupName!) ?? []);
      }
      expect(pages).toEqual([
        ['worker-01', 'worker-02', 'worker-03'],
        ['worker-04', 'worker-05', 'worker-06'],
        ['worker-07'],
      ]);
      const names = ['worker-06', 'worker-02', 'nope', 'worker-04'];
      const one = await eu.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: names, MaxRecords: 2 }));
      expect(one.AutoScalingGroups?.map((g) => g.AutoScalingGroupName)).toEqual(['worker-02', 'worker-04']);
      const two = await eu.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: names, MaxRecords: 2, NextToken: one.NextToken }));
      expect(two.AutoScalingGroups?.map((g) => g.AutoScalingGroupName)).toEqual(['worker-06']);
      expect(two.NextToken).toBeUndefined();
    });

    it('refuses a token it did not issue, a page size outside 1..100, and more names than the page allows', async () => {
      const { east } = await setup();
      const token = await failure(east.send(new DescribeAutoScalingGroupsCommand({ NextToken: 'not-a-token' })));
      expect(token).toBeInstanceOf(InvalidNextToken);
      expect(token.$metadata.httpStatusCode).toBe(400);
      expect(await validationError(east.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 101 })))).toBe(
        "1 validation error detected: Value '101' at 'maxRecords' failed to satisfy constraint: Member must have value less than or equal to 100",
      );
      expect(await validationError(east.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 0 })))).toMatch(/greater than or equal to 1/);
      const many = Array.from({ length: 51 }, (_, i) => `group-${i}`);
      expect(await validationError(east.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: many })))).toMatch(/51.*exceeds the limit \(50\)/);
      const allowed = await east.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [...many, EAST_GROUP], MaxRecords: 100 }));
      expect(allowed.AutoScalingGroups?.map((g) => g.AutoScalingGroupName)).toEqual([EAST_GROUP]);
      expect(await validationError(east.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['x'.repeat(256)] })))).toMatch(
        /at 'autoScalingGroupNames\.1\.member' failed to satisfy constraint: Member must have length less than or equal to 255/,
      );
    });

    it('filters by tag: tag:<key>, tag-key and tag-value', async () => {
      const { eu, model } = await setup();
      model.seedGroup({ name: 'api', region: EU, desired: 1, maxSize: 2, tags: { tier: 'front', team: 'orders' } });
      model.seedGroup({ name: 'jobs', region: EU, desired: 1, maxSize: 2, tags: { tier: 'back' } });
      const names = async (Filters: { Name: string; Values: string[] }[]) =>
        (await eu.send(new DescribeAutoScalingGroupsCommand({ Filters }))).AutoScalingGroups?.map((g) => g.AutoScalingGroupName) ?? [];
      expect(await names([{ Name: 'tag:tier', Values: ['front', 'middle'] }])).toEqual(['api']);
      expect(await names([{ Name: 'tag-key', Values: ['tier'] }])).toEqual(['api', 'jobs']);
      expect(await names([{ Name: 'tag-key', Values: ['tier'] }, { Name: 'tag-value', Values: ['back'] }])).toEqual(['jobs']);
      expect(await names([{ Name: 'tag:team', Values: ['payments'] }])).toEqual([]);
      expect(await validationError(eu.send(new DescribeAutoScalingGroupsCommand({ Filters: [{ Name: 'instance-type', Values: ['x'] }] })))).toMatch(
        /Filter name instance-type is not valid/,
      );
    });
  });

  describe('SetDesiredCapacity', () => {
    it('launches EC2 instances that come InService together after the calibrated warm launch delay', async () => {
      const { east, clock, sim, app, completesAt: activityEnd } = await setup();
      const before = ids(await group(east, EAST_GROUP));
      await east.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: EAST_GROUP, DesiredCapacity: 6 }));
      const launching = await group(east, EAST_GROUP);
      expect(launching.DesiredCapacity).toBe(6);
      expect(states(launching)).toEqual(['InService', 'InService', 'Pending', 'Pending', 'Pending', 'Pending']);
      expect(ids(launching, 'InService')).toEqual(before);
      expect(app.capacityOf(EAST)).toMatchObject({ running: 2, desired: 6, launching: 4 });
      // Real EC2 instances, pending then running long before the group puts them in service.
      const ec2 = sim.world.module<Ec2Module>('ec2').model.instances;
      expect(ids(launching, 'Pending').map((id) => ec2.find(EAST, id!)?.state)).toEqual(Array(4).fill('pending'));
      const completesAt = activityEnd(EAST);
      const { minSeconds } = defaultCalibration['app.scale-up.warm'];
      const maxSeconds = longestSeconds(defaultCalibration['app.scale-up.warm']);
      expect(completesAt - START).toBeGreaterThanOrEqual(minSeconds * SECOND);
      expect(completesAt - START).toBeLessThanOrEqual(maxSeconds * SECOND);

      await clock.runUntil(completesAt - 1);
      expect(states(await group(east, EAST_GROUP)).filter((s) => s === 'Pending')).toHaveLength(4);
      await clock.runUntil(completesAt);
      const full = await group(east, EAST_GROUP);
      expect(states(full)).toEqual(Array(6).fill('InService'));
      // The instances that were Pending are the ones now InService.
      expect(ids(full)).toEqual(ids(launching));
      const zones = full.Instances!.map((i) => i.AvailabilityZone);
      expect(zones.filter((z) => z === 'us-east-1a')).toHaveLength(3);
      expect(app.capacityOf(EAST).running).toBe(6);
      expect(full.Instances!.every((i) => ec2.find(EAST, i.InstanceId!)?.tags.some((t) => t.Key === 'aws:autoscaling:groupName' && t.Value === EAST_GROUP))).toBe(true);
      expect(sim.world.events.find((e) => e.kind === 'autoscaling.desired-capacity.set')?.detail).toEqual({
        region: EAST,
        group: EAST_GROUP,
        from: 2,
        to: 6,
        cause: 'SetDesiredCapacity',
      });
      expect(sim.world.audit.find((r) => r.eventName === 'SetDesiredCapacity')).toMatchObject({
        eventSource: 'autoscaling.amazonaws.com',
        awsRegion: EAST,
        readOnly: false,
        resources: [{ type: 'AWS::AutoScaling::AutoScalingGroup', name: EAST_GROUP }],
      });
    });

    it('starts a pilot light from nothing in the cold launch delay; the service is unhealthy until then', async () => {
      const { west, clock, app, model } = await setup();
      await west.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: WEST_GROUP, DesiredCapacity: 4 }));
      expect(states(await group(west, WEST_GROUP))).toEqual(Array(4).fill('Pending'));
      const scaling = model.group(WEST, WEST_GROUP)!.activity!;
      expect(scaling.kind).toBe('cold');
      const { minSeconds } = defaultCalibration['app.scale-up.cold'];
      const maxSeconds = longestSeconds(defaultCalibration['app.scale-up.cold']);
      expect(scaling.completesAt - START).toBeGreaterThanOrEqual(minSeconds * SECOND);
      expect(scaling.completesAt - START).toBeLessThanOrEqual(maxSeconds * SECOND);
      expect(app.healthOf(WEST)).toMatchObject({ healthy: false, reason: 'no-capacity' });
      await clock.runUntil(scaling.completesAt);
      expect(states(await group(west, WEST_GROUP))).toEqual(Array(4).fill('InService'));
      expect(app.healthOf(WEST).reason).not.toBe('no-capacity');
    });

    it('takes the newest instances out of service at once when scaling in, and stops a launch no longer wanted', async () => {
      const { east, clock, app, completesAt } = await setup();
      await east.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: EAST_GROUP, DesiredCapacity: 6 }));
      await clock.runUntil(completesAt(EAST));
      const six = ids(await group(east, EAST_GROUP));
      await east.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: EAST_GROUP, DesiredCapacity: 3 }));
      const three = await group(east, EAST_GROUP);
      expect(three.DesiredCapacity).toBe(3);
      // The newest are Terminating (their instances shutting down), the oldest stay in service.
      expect(ids(three, 'InService')).toEqual(six.slice(0, 3));
      expect(ids(three, 'Terminating')).toEqual(six.slice(3));
      expect(app.capacityOf(EAST)).toMatchObject({ running: 3, desired: 3 });
      await clock.advance(longestSeconds(defaultCalibration['ec2.instance.terminate']) * SECOND);
      expect(ids(await group(east, EAST_GROUP))).toEqual(six.slice(0, 3));

      await east.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: EAST_GROUP, DesiredCapacity: 5 }));
      expect(states(await group(east, EAST_GROUP))).toEqual(['InService', 'InService', 'InService', 'Pending', 'Pending']);
      await east.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: EAST_GROUP, DesiredCapacity: 1 }));
      const one = await group(east, EAST_GROUP);
      expect(ids(one, 'InService')).toEqual(six.slice(0, 1));
      expect(states(one).filter((state) => state === 'Pending')).toEqual([]);
      await clock.advance(30 * 60 * SECOND);
      expect(app.capacityOf(EAST)).toMatchObject({ running: 1, desired: 1, launching: 0 });
      expect(ids(await group(east, EAST_GROUP))).toEqual(six.slice(0, 1));
    });

    it('refuses a capacity outside the bounds, an unknown group and a missing or malformed capacity', async () => {
      const { east, sim, clock } = await setup();
      const set = (input: SetDesiredCapacityCommandInput) => east.send(new SetDesiredCapacityCommand(input));
      expect(await validationError(set({ AutoScalingGroupName: EAST_GROUP, DesiredCapacity: 7 }))).toBe(
        'New SetDesiredCapacity value 7 is above max value 6 for the AutoScalingGroup.',
      );
      await east.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: EAST_GROUP, MinSize: 2 }));
      expect(await validationError(set({ AutoScalingGroupName: EAST_GROUP, DesiredCapacity: 1 }))).toBe(
        'New SetDesiredCapacity value 1 is below min value 2 for the AutoScalingGroup.',
      );
      expect(await validationError(set({ AutoScalingGroupName: 'no-such-group', DesiredCapacity: 1 }))).toBe(
        'AutoScalingGroup name not found - AutoScalingGroup no-such-group not found',
      );
      expect(await validationError(set({ AutoScalingGroupName: EAST_GROUP } as SetDesiredCapacityCommandInput))).toBe(
        "1 validation error detected: Value null at 'desiredCapacity' failed to satisfy constraint: Member must not be null",
      );
      expect((await group(east, EAST_GROUP)).DesiredCapacity).toBe(2);

      const raw = (body: string): SimRequest => ({
        method: 'POST',
        path: '/',
        query: {},
        headers: {
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          authorization: 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260105/us-east-1/autoscaling/aws4_request, SignedHeaders=host, Signature=0',
        },
        body: Buffer.from(body, 'utf8'),
      });
      const malformed = await via.send(sim, clock, raw(`Action=SetDesiredCapacity&Version=2011-01-01&AutoScalingGroupName=${EAST_GROUP}&DesiredCapacity=lots`));
      expect(malformed.statusCode).toBe(400);
      expect(String(malformed.body)).toContain(
        `<ErrorResponse xmlns="${AUTOSCALING_XML_NAMESPACE}"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>1 validation error detected: Value &apos;lots&apos; at &apos;desiredCapacity&apos; failed to satisfy constraint: Expected an integer</Message></Error>`,
      );
      const unknown = await via.send(sim, clock, raw('Action=CreateAutoScalingGroup&Version=2011-01-01'));
      expect(unknown.statusCode).toBe(400);
      expect(String(unknown.body)).toContain('<Code>InvalidAction</Code>');
      const ok = await via.send(sim, clock, raw(`Action=SetDesiredCapacity&Version=2011-01-01&AutoScalingGroupName=${EAST_GROUP}&DesiredCapacity=3`));
      expect(ok.statusCode).toBe(200);
      expect(String(ok.body)).toMatch(
        new RegExp(`^<\\?xml version="1.0" encoding="UTF-8"\\?>\\n<SetDesiredCapacityResponse xmlns="${AUTOSCALING_XML_NAMESPACE}"><ResponseMetadata><RequestId>[0-9a-f-]+</RequestId></ResponseMetadata></SetDesiredCapacityResponse>$`),
      );
    });

    it('honours the cooldown only when asked: refused while instances launch and for DefaultCooldown after a change', async () => {
      const { east, clock, completesAt } = await setup();
      await east.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: EAST_GROUP, DesiredCapacity: 4, HonorCooldown: true }));
      const refused = await failure(east.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: EAST_GROUP, DesiredCapacity: 5, HonorCooldown: true })));
      expect(refused).toBeInstanceOf(ScalingActivityInProgressFault);
      expect(refused.$metadata.httpStatusCode).toBe(400);
      expect(refused.message).toMatch(/2 instances are launching/);
      await clock.runUntil(completesAt(EAST));
      // A scale-in takes effect at once; the cooldown counts from it.
      await east.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: EAST_GROUP, DesiredCapacity: 3 }));
      const changedAt = clock.now();
      const cooling = await failure(east.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: EAST_GROUP, DesiredCapacity: 2, HonorCooldown: true })));
      expect(cooling).toBeInstanceOf(ScalingActivityInProgressFault);
      expect(cooling.message).toContain(`the cooldown of 300 seconds lasts until ${new Date(changedAt + 300 * SECOND).toISOString()}`);
      await clock.runUntil(changedAt + 300 * SECOND);
      await east.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: EAST_GROUP, DesiredCapacity: 2, HonorCooldown: true }));
      expect((await group(east, EAST_GROUP)).DesiredCapacity).toBe(2);
      // Without HonorCooldown (how the harness calls it) a change goes through at once.
      await east.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: EAST_GROUP, DesiredCapacity: 3 }));
      expect((await group(east, EAST_GROUP)).DesiredCapacity).toBe(3);
    });
  });

  describe('UpdateAutoScalingGroup', () => {
    it('sets min, max and desired together; the fleet follows', async () => {
      const { east, app } = await setup();
      await east.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: EAST_GROUP, MinSize: 1, MaxSize: 8, DesiredCapacity: 5, DefaultCooldown: 60 }));
      expect(await group(east, EAST_GROUP)).toMatchObject({ MinSize: 1, MaxSize: 8, DesiredCapacity: 5, DefaultCooldown: 60 });
      expect(app.capacityOf(EAST)).toMatchObject({ running: 2, desired: 5, launching: 3 });
    });

    it('moves the desired capacity into new bounds when it is not given', async () => {
      const { east, app, clock, completesAt } = await setup();
      await east.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: EAST_GROUP, MinSize: 4 }));
      const raised = await group(east, EAST_GROUP);
      expect(raised).toMatchObject({ MinSize: 4, MaxSize: 6, DesiredCapacity: 4 });
      expect(states(raised)).toEqual(['InService', 'InService', 'Pending', 'Pending']);
      await clock.runUntil(completesAt(EAST));
      await east.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: EAST_GROUP, MinSize: 0, MaxSize: 3 }));
      const lowered = await group(east, EAST_GROUP);
      expect(lowered).toMatchObject({ MinSize: 0, MaxSize: 3, DesiredCapacity: 3 });
      expect(states(lowered)).toEqual([...Array(3).fill('InService'), 'Terminating']);
      expect(app.capacityOf(EAST)).toMatchObject({ running: 3, desired: 3 });
    });

    it('refuses crossed bounds, a desired capacity outside them, negative sizes and an unknown group', async () => {
      const { east } = await setup();
      const update = (input: ConstructorParameters<typeof UpdateAutoScalingGroupCommand>[0]) => east.send(new UpdateAutoScalingGroupCommand(input));
      expect(await validationError(update({ AutoScalingGroupName: EAST_GROUP, MinSize: 3, MaxSize: 2 }))).toBe(
        'Max bound, 2, must be greater than or equal to min bound, 3',
      );
      expect(await validationError(update({ AutoScalingGroupName: EAST_GROUP, DesiredCapacity: 9 }))).toBe(
        'Desired capacity:9 must be between the specified min size:0 and max size:6',
      );
      expect(await validationError(update({ AutoScalingGroupName: EAST_GROUP, MinSize: 1, MaxSize: 4, DesiredCapacity: 5 }))).toBe(
        'Desired capacity:5 must be between the specified min size:1 and max size:4',
      );
      expect(await validationError(update({ AutoScalingGroupName: EAST_GROUP, MinSize: -1 }))).toBe(
        "1 validation error detected: Value '-1' at 'minSize' failed to satisfy constraint: Member must have value greater than or equal to 0",
      );
      expect(await validationError(update({ AutoScalingGroupName: 'no-such-group', MaxSize: 2 }))).toBe(
        'AutoScalingGroup name not found - AutoScalingGroup no-such-group not found',
      );
      // Nothing changed.
      expect(await group(east, EAST_GROUP)).toMatchObject({ MinSize: 0, MaxSize: 6, DesiredCapacity: 2 });
    });
  });

  it('is unavailable while its region is down', async () => {
    const { east, sim } = await setup();
    sim.world.faults.setRegionUp(EAST, false, 'test');
    const error = await failure(east.send(new DescribeAutoScalingGroupsCommand({})));
    expect(error.$metadata.httpStatusCode).toBe(503);
  });
});

describe('the groups the sim target seeds', () => {
  async function seeded(file: string): Promise<Simulator> {
    const env = await loadEnvironment(repo(file));
    if (env.target !== 'sim') throw new Error(`${file} is not a sim environment`);
    return buildSimulator({ clock: new VirtualClock({ start: START }), seed: 42, env });
  }

  const view = (sim: Simulator, region: string) =>
    sim.world
      .module<AutoScalingModule>('autoscaling')
      .model.groupsIn(region)
      .map((g) => {
        const { desired, instances } = sim.world.module<AutoScalingModule>('autoscaling').model.view(g);
        return { name: g.name, min: g.minSize, max: g.maxSize, desired, inService: instances.filter((i) => i.state === 'InService').length };
      });

  it('one per orders-api deployment, <alias>-<region>: min 0, max the full fleet, desired what runs', async () => {
    const pilot = await seeded('scenarios/environments/securecart.yaml');
    expect(view(pilot, EAST)).toEqual([
      { name: 'checkout-api-us-east-1', min: 0, max: 3, desired: 3, inService: 3 },
      { name: EAST_GROUP, min: 0, max: 6, desired: 6, inService: 6 },
    ]);
    expect(view(pilot, WEST)).toEqual([{ name: WEST_GROUP, min: 0, max: 6, desired: 0, inService: 0 }]);
    const warm = await seeded('scenarios/environments/securecart-warm-standby.yaml');
    expect(view(warm, WEST)).toEqual([{ name: WEST_GROUP, min: 0, max: 6, desired: 1, inService: 1 }]);
  });
});
