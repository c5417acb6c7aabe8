import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand, EC2Client, RunInstancesCommand, type Instance } from '@aws-sdk/client-ec2';
import {
  CreateExperimentTemplateCommand,
  FisClient,
  GetActionCommand,
  GetExperimentCommand,
  ListActionsCommand,
  StartExperimentCommand,
  type CreateExperimentTemplateCommandInput,
  type Experiment,
} from '@aws-sdk/client-fis';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import type { AppModule } from '../src/sim/app/index.js';
import { defaultCalibration, longestSeconds, type CalibrationKey } from '../src/sim/calibration.js';
import type { CloudWatchModule } from '../src/sim/services/cloudwatch/index.js';
import type { Ec2Module } from '../src/sim/services/ec2/index.js';
import type { FisModule } from '../src/sim/services/fis/index.js';
import type { RdsModule } from '../src/sim/services/rds/index.js';
import { CATALOG } from './support/fis-catalog.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { ACCOUNT, EAST, securecartOver } from './support/sim.js';
import { MINUTE, SECOND } from './support/time.js';

/**
 * FIS's fault catalog on SecureCart through the SDK: every action FIS's
 * ListActions offers, target resolution as FIS does it (tags, ARNs, filters
 * on the API shape, target parameters, COUNT/PERCENT, an empty target
 * failing the experiment), and what each EC2, EBS, ARC and CloudWatch action
 * does. The done-when experiment: stopping one zone's instances, their Auto
 * Scaling group replaces them in the other zone.
 */

const GROUP = 'orders-api-us-east-1';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/gameday-fis`;
const longest = (key: CalibrationKey) => longestSeconds(defaultCalibration[key]) * SECOND;

async function securecart(via: TransportHarness) {
  const { clock, sim, config: configIn } = await securecartOver(via);
  const config = await configIn(EAST);
  const fis = new FisClient(config);
  /** Create a template of `targets` and `actions` (no stop condition) and start it; returns the experiment's id. */
  const start = async (targets: CreateExperimentTemplateCommandInput['targets'], actions: CreateExperimentTemplateCommandInput['actions']): Promise<string> => {
    const { experimentTemplate } = await fis.send(
      new CreateExperimentTemplateCommand({ description: 'test', roleArn: ROLE, stopConditions: [{ source: 'none' }], targets, actions }),
    );
    const { experiment } = await fis.send(new StartExperimentCommand({ experimentTemplateId: experimentTemplate!.id }));
    return experiment!.id!;
  };
  const get = async (id: string): Promise<Experiment> => (await fis.send(new GetExperimentCommand({ id }))).experiment!;
  return {
    clock,
    sim,
    fis,
    start,
    get,
    ec2: new EC2Client(config),
    autoscaling: new AutoScalingClient(config),
    rds: new RDSClient(config),
    app: sim.world.module<AppModule>('app'),
    ec2Model: sim.world.module<Ec2Module>('ec2').model,
  };
}

async function instances(ec2: EC2Client, zone?: string): Promise<Instance[]> {
  const { Reservations } = await ec2.send(new DescribeInstancesCommand(zone ? { Filters: [{ Name: 'availability-zone', Values: [zone] }] } : {}));
  return (Reservations ?? []).flatMap((r) => r.Instances ?? []);
}

// The orders API's fleet: SecureCart's checkout API runs instances tagged app: securecart in us-east-1 too.
const fleetTarget = { resourceType: 'aws:ec2:instance', resourceTags: { app: 'securecart', 'gameday:service': 'orders-api' }, selectionMode: 'ALL' };

describe.each(transports)('FIS fault catalog over the %s transport', (transport) => {
  const via = useTransport(transport);

  it('lists every action of the catalog, and describes each with its targets and parameters', async () => {
    const { fis } = await securecart(via);
    const { actions } = await fis.send(new ListActionsCommand({}));
    const ids = actions!.map((a) => a.id);
    for (const id of CATALOG) expect(ids, id).toContain(id);
    expect(ids).toContain('gameday:sim:region-outage');
    const { action } = await fis.send(new GetActionCommand({ id: 'aws:ec2:stop-instances' }));
    expect(action).toMatchObject({
      id: 'aws:ec2:stop-instances',
      targets: { Instances: { resourceType: 'aws:ec2:instance' } },
      parameters: { startInstancesAfterDuration: { required: false }, completeIfInstancesTerminated: { required: false } },
    });
    const ice = (await fis.send(new GetActionCommand({ id: 'aws:ec2:asg-insufficient-instance-capacity-error' }))).action;
    expect(ice).toMatchObject({
      targets: { AutoScalingGroups: { resourceType: 'aws:ec2:autoscaling-group' } },
      parameters: { availabilityZoneIdentifiers: { required: true }, duration: { required: true }, percentage: { required: false } },
    });
    expect((await fis.send(new GetActionCommand({ id: 'aws:arc:start-zonal-autoshift' }))).action?.targets).toEqual({
      ManagedResources: { resourceType: 'aws:arc:zonal-shift-managed-resource' },
    });
  });

  it("stops one zone's instances; their Auto Scaling group replaces them in the other zone, where launches still succeed", async () => {
    const { start, get, clock, ec2, autoscaling, app, sim } = await securecart(via);
    const inA = (await instances(ec2, 'us-east-1a')).filter((i) => i.Tags?.some((t) => t.Key === 'gameday:service' && t.Value === 'orders-api')).map((i) => i.InstanceId);
    expect(inA).toHaveLength(3);
    const id = await start(
      {
        'zone-a': { ...fleetTarget, filters: [{ path: 'Placement.AvailabilityZone', values: ['us-east-1a'] }, { path: 'State.Name', values: ['running'] }] },
        groups: { resourceType: 'aws:ec2:autoscaling-group', resourceTags: { app: 'securecart' }, selectionMode: 'ALL' },
      },
      {
        'stop-zone-a': {
          actionId: 'aws:ec2:stop-instances',
          parameters: { startInstancesAfterDuration: 'PT30M', completeIfInstancesTerminated: 'true' },
          targets: { Instances: 'zone-a' },
        },
        'no-capacity-in-a': {
          actionId: 'aws:ec2:asg-insufficient-instance-capacity-error',
          parameters: { availabilityZoneIdentifiers: 'us-east-1a', duration: 'PT30M' },
          targets: { AutoScalingGroups: 'groups' },
        },
      },
    );
    await clock.advance(longest('fis.experiment.initiating') + longest('ec2.instance.stop'));
    const experiment = await get(id);
    expect(experiment.state?.status).toBe('running');
    // Stopped by FIS (the group may already be terminating them: its health check found them not running).
    for (const instance of inA) {
      const states = sim.world.events.filter((e) => e.kind === 'ec2.instance.state' && e.detail['instanceId'] === instance).map((e) => e.detail['state']);
      expect(states.slice(0, 2)).toEqual(['running', 'stopping']);
    }
    expect(app.capacityOf(EAST, 'orders-api').running).toBe(3);

    await clock.advance(longest('autoscaling.health-check') + longest('app.scale-up.warm') + MINUTE);
    const { AutoScalingGroups } = await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [GROUP] }));
    const members = AutoScalingGroups![0]!.Instances!;
    const inService = members.filter((m) => m.LifecycleState === 'InService');
    expect(inService).toHaveLength(6);
    expect(inService.map((m) => m.AvailabilityZone).filter((z) => z === 'us-east-1b')).toHaveLength(6);
    expect(members.some((m) => inA.includes(m.InstanceId))).toBe(false);
    expect(app.capacityOf(EAST, 'orders-api').running).toBe(6);
    // At 30 minutes FIS would start them again, but the group has terminated them: with completeIfInstancesTerminated the action completes.
    await clock.advance(30 * MINUTE);
    const done = await get(id);
    expect(done.state?.status).toBe('completed');
    expect(done.actions?.['stop-zone-a']?.state?.status).toBe('completed');
    expect((await instances(ec2, 'us-east-1a')).filter((i) => inA.includes(i.InstanceId)).map((i) => i.State?.Name)).toEqual(['terminated', 'terminated', 'terminated']);
  });

  it('restarts the stopped instances after startInstancesAfterDuration, and fails when they were terminated meanwhile without completeIfInstancesTerminated', async () => {
    const { start, get, clock, ec2, sim } = await securecart(via);
    // A bastion no group owns: started again after five minutes.
    const { Instances } = await ec2.send(
      new RunInstancesCommand({ ImageId: 'ami-0abcdef1234567890', MinCount: 1, MaxCount: 1, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'role', Value: 'bastion' }] }] }),
    );
    const bastion = Instances![0]!.InstanceId!;
    await clock.advance(longest('ec2.instance.launch'));
    const restarted = await start(
      { bastion: { resourceType: 'aws:ec2:instance', resourceTags: { role: 'bastion' }, selectionMode: 'ALL' } },
      { stop: { actionId: 'aws:ec2:stop-instances', parameters: { startInstancesAfterDuration: 'PT5M' }, targets: { Instances: 'bastion' } } },
    );
    await clock.advance(longest('fis.experiment.initiating') + 5 * MINUTE + longest('ec2.instance.stop') + longest('ec2.instance.launch'));
    expect((await get(restarted)).state?.status).toBe('completed');
    expect((await instances(ec2)).find((i) => i.InstanceId === bastion)?.State?.Name).toBe('running');
    const stops = sim.world.events.filter((e) => e.kind === 'ec2.instance.state' && e.detail['instanceId'] === bastion).map((e) => e.detail['state']);
    expect(stops).toEqual(['pending', 'running', 'stopping', 'stopped', 'pending', 'running']);

    // The group's instances, stopped for longer than its health check takes to replace them.
    const failed = await start(
      { fleet: { ...fleetTarget, selectionMode: 'COUNT(1)' } },
      { stop: { actionId: 'aws:ec2:stop-instances', parameters: { startInstancesAfterDuration: 'PT20M' }, targets: { Instances: 'fleet' } } },
    );
    await clock.advance(25 * MINUTE);
    const ended = await get(failed);
    expect(ended.state?.status).toBe('failed');
    expect(ended.actions?.['stop']?.state?.reason).toMatch(/were terminated before they could be started again/);
  });

  it('resolves targets as FIS does: COUNT(n), PERCENT(n), resourceArns, filters on the API shape, target parameters', async () => {
    const { start, get, clock, ec2, sim } = await securecart(via);
    const all = (await instances(ec2)).map((i) => i.InstanceId!);
    const resolved = async (target: Record<string, unknown>): Promise<string[]> => {
      const id = await start({ t: target as never }, { wait: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' }, startAfter: [] } });
      await clock.advance(longest('fis.experiment.initiating'));
      expect((await get(id)).state?.status).toBe('running');
      await clock.advance(MINUTE);
      return sim.world.module<FisModule>('fis').model.allExperiments().find((e) => e.id === id)!.resolvedTargets['t']!;
    };
    expect(await resolved({ ...fleetTarget, selectionMode: 'COUNT(2)' })).toHaveLength(2);
    expect(await resolved({ ...fleetTarget, selectionMode: 'PERCENT(50)' })).toHaveLength(3);
    const arn = (id: string) => `arn:aws:ec2:us-east-1:123456789012:instance/${id}`;
    expect(await resolved({ resourceType: 'aws:ec2:instance', resourceArns: [arn(all[0]!), arn(all[1]!)], selectionMode: 'ALL' })).toEqual([arn(all[0]!), arn(all[1]!)]);
    expect(await resolved({ ...fleetTarget, filters: [{ path: 'Placement.AvailabilityZone', values: ['us-east-1b'] }] })).toHaveLength(3);
    // Zone IDs name the region's zones by number.
    expect(await resolved({ resourceType: 'aws:ec2:subnet', resourceTags: { app: 'securecart' }, parameters: { availabilityZoneIdentifier: 'use1-az1' }, selectionMode: 'ALL' })).toEqual([
      'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0e1a0000000000001',
    ]);
    expect(await resolved({ resourceType: 'aws:rds:db', resourceTags: { app: 'securecart' }, filters: [{ path: 'AvailabilityZone', values: ['us-east-1a'] }], selectionMode: 'ALL' })).toEqual([
      'arn:aws:rds:us-east-1:123456789012:db:securecart-orders',
    ]);
  });

  it('fails an experiment whose target resolves to nothing, before any action starts', async () => {
    const { start, get, clock } = await securecart(via);
    const id = await start(
      { nothing: { ...fleetTarget, filters: [{ path: 'Placement.AvailabilityZone', values: ['us-east-1f'] }] } },
      { stop: { actionId: 'aws:ec2:stop-instances', targets: { Instances: 'nothing' } } },
    );
    await clock.advance(longest('fis.experiment.initiating'));
    const failed = await get(id);
    expect(failed.state).toEqual({ status: 'failed', reason: 'Target resolution failed: no resources match target "nothing".' });
    expect(failed.actions?.['stop']?.state?.status).toBe('cancelled');
  });

  it('reboots and terminates instances; refuses a target parameter the type does not take', async () => {
    const { start, get, clock, ec2, fis } = await securecart(via);
    const [one] = await instances(ec2, 'us-east-1b');
    const arn = `arn:aws:ec2:us-east-1:123456789012:instance/${one!.InstanceId}`;
    const id = await start(
      { one: { resourceType: 'aws:ec2:instance', resourceArns: [arn], selectionMode: 'ALL' } },
      { reboot: { actionId: 'aws:ec2:reboot-instances', targets: { Instances: 'one' } }, terminate: { actionId: 'aws:ec2:terminate-instances', targets: { Instances: 'one' }, startAfter: ['reboot'] } },
    );
    await clock.advance(longest('fis.experiment.initiating') + longest('ec2.instance.terminate'));
    expect((await get(id)).state?.status).toBe('completed');
    expect((await instances(ec2)).find((i) => i.InstanceId === one!.InstanceId)?.State?.Name).toBe('terminated');
    const refused = await fis
      .send(
        new CreateExperimentTemplateCommand({
          description: 'bad',
          roleArn: ROLE,
          stopConditions: [{ source: 'none' }],
          targets: { t: { ...fleetTarget, parameters: { availabilityZoneIdentifier: 'us-east-1a' } } },
          actions: { stop: { actionId: 'aws:ec2:stop-instances', targets: { Instances: 't' } } },
        }),
      )
      .catch((e: Error) => e);
    expect(refused).toMatchObject({ name: 'ValidationException' });
    expect((refused as Error).message).toMatch(/has no parameter "availabilityZoneIdentifier"; it takes none/);
  });

  it("pauses an EBS volume's I/O for the duration, and starves a role's launches in one zone", async () => {
    const { start, get, clock, ec2, ec2Model } = await securecart(via);
    const volume = ec2Model.findVolume(EAST, 'vol-0e1a000000000b001')!;
    const paused = await start(
      {
        backend: { resourceType: 'aws:ec2:ebs-volume', resourceTags: { app: 'securecart' }, parameters: { availabilityZoneIdentifier: 'us-east-1a' }, selectionMode: 'ALL' },
        runner: { resourceType: 'aws:iam:role', resourceArns: ['arn:aws:iam::123456789012:role/gameday-runner'], selectionMode: 'ALL' },
      },
      {
        pause: { actionId: 'aws:ebs:pause-volume-io', parameters: { duration: 'PT10M' }, targets: { Volumes: 'backend' } },
        ice: { actionId: 'aws:ec2:api-insufficient-instance-capacity-error', parameters: { availabilityZoneIdentifiers: 'us-east-1a', duration: 'PT10M' }, targets: { Roles: 'runner' } },
      },
    );
    await clock.advance(longest('fis.experiment.initiating'));
    expect(ec2Model.isIoPaused(volume)).toBe(true);
    expect(() => ec2Model.writeVolume(EAST, volume.id, 'during')).toThrow(/paused/);
    const run = (zone: string) => ec2.send(new RunInstancesCommand({ ImageId: 'ami-0abcdef1234567890', MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: zone } }));
    await expect(run('us-east-1a')).rejects.toMatchObject({ name: 'InsufficientInstanceCapacity' });
    await expect(run('us-east-1b')).resolves.toMatchObject({ Instances: [expect.objectContaining({ Placement: expect.objectContaining({ AvailabilityZone: 'us-east-1b' }) })] });
    await clock.advance(10 * MINUTE);
    expect((await get(paused)).state?.status).toBe('completed');
    expect(ec2Model.isIoPaused(volume)).toBe(false);
    expect(ec2Model.writeVolume(EAST, volume.id, 'after').version).toBeGreaterThan(1);
    await expect(run('us-east-1a')).resolves.toBeDefined();
  });

  it("cuts the transit gateways' peering to another region for the duration, and only theirs", async () => {
    const { start, get, clock, sim } = await securecart(via);
    const faults = sim.world.faults;
    const id = await start(
      { tgw: { resourceType: 'aws:ec2:transit-gateway', resourceTags: { app: 'securecart' }, selectionMode: 'ALL' } },
      { cut: { actionId: 'aws:network:transit-gateway-disrupt-cross-region-connectivity', parameters: { region: 'us-west-2', duration: 'PT10M' }, targets: { TransitGateways: 'tgw' } } },
    );
    await clock.advance(longest('fis.experiment.initiating'));
    expect((await get(id)).state?.status).toBe('running');
    expect(sim.world.module<FisModule>('fis').model.allExperiments().find((e) => e.id === id)!.resolvedTargets['tgw']).toEqual([
      'arn:aws:ec2:us-east-1:123456789012:transit-gateway/tgw-0e1a0000000000001',
    ]);
    expect([faults.isLinkUp(EAST, 'us-west-2'), faults.isLinkUp('us-west-2', EAST)]).toEqual([false, false]);
    expect([faults.isRegionUp(EAST), faults.isRegionUp('us-west-2')]).toEqual([true, true]);
    await clock.advance(10 * MINUTE);
    expect((await get(id)).state?.status).toBe('completed');
    expect(faults.isLinkUp(EAST, 'us-west-2')).toBe(true);
    // Peered with nothing in that region: the action completes having cut nothing.
    const elsewhere = await start(
      { tgw: { resourceType: 'aws:ec2:transit-gateway', resourceTags: { app: 'securecart' }, selectionMode: 'ALL' } },
      { cut: { actionId: 'aws:network:transit-gateway-disrupt-cross-region-connectivity', parameters: { region: 'eu-west-1', duration: 'PT1M' }, targets: { TransitGateways: 'tgw' } } },
    );
    await clock.advance(longest('fis.experiment.initiating'));
    expect(faults.isLinkUp(EAST, 'us-west-2')).toBe(true);
    await clock.advance(MINUTE);
    expect((await get(elsewhere)).state?.status).toBe('completed');
  });

  it('asserts alarm states: completes while the alarm is in one of them, fails the experiment naming it otherwise', async () => {
    const { start, get, clock, sim } = await securecart(via);
    const alarm = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:securecart-gameday-abort';
    const passed = await start({}, { ok: { actionId: 'aws:cloudwatch:assert-alarm-state', parameters: { alarmArns: alarm, alarmStates: 'OK' } } });
    await clock.advance(longest('fis.experiment.initiating'));
    expect((await get(passed)).state?.status).toBe('completed');
    sim.world.module<CloudWatchModule>('cloudwatch').setAlarmState(alarm, 'ALARM', 'test');
    const asserted = await start({}, { ok: { actionId: 'aws:cloudwatch:assert-alarm-state', parameters: { alarmArns: alarm, alarmStates: 'OK,INSUFFICIENT_DATA' } } });
    await clock.advance(longest('fis.experiment.initiating'));
    const failed = await get(asserted);
    expect(failed.state?.status).toBe('failed');
    expect(failed.actions?.['ok']?.state?.reason).toBe('alarm securecart-gameday-abort is in ALARM, not OK or INSUFFICIENT_DATA');
  });

  it('shifts traffic away from a zone (ARC zonal autoshift) after asserting the alarm is OK: the app serves from the other zone until the shift ends', async () => {
    const { start, get, clock, app } = await securecart(via);
    const alarm = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:securecart-gameday-abort';
    const id = await start(
      { lb: { resourceType: 'aws:arc:zonal-shift-managed-resource', resourceTags: { app: 'securecart' }, selectionMode: 'ALL' } },
      {
        ok: { actionId: 'aws:cloudwatch:assert-alarm-state', parameters: { alarmArns: alarm, alarmStates: 'OK' } },
        shift: { actionId: 'aws:arc:start-zonal-autoshift', parameters: { availabilityZoneIdentifier: 'us-east-1a', duration: 'PT5M' }, targets: { ManagedResources: 'lb' }, startAfter: ['ok'] },
      },
    );
    await clock.advance(longest('fis.experiment.initiating'));
    expect(app.capacityOf(EAST, 'orders-api').running).toBe(3);
    expect(app.healthOf(EAST, 'orders-api')).toEqual({ healthy: true });
    await clock.advance(5 * MINUTE);
    expect((await get(id)).state?.status).toBe('completed');
    expect(app.capacityOf(EAST, 'orders-api').running).toBe(6);
  });

  it('an Availability Zone losing power (gameday:sim:az-power-interruption): the Multi-AZ database whose primary is there fails over on its own, instances stop, volumes stall', async () => {
    const { start, get, clock, rds, ec2, ec2Model, sim } = await securecart(via);
    const db = async () => (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'securecart-orders' }))).DBInstances![0]!;
    expect((await db()).AvailabilityZone).toBe('us-east-1a');
    const id = await start({}, { power: { actionId: 'gameday:sim:az-power-interruption', parameters: { availabilityZone: 'us-east-1a', duration: 'PT30M' } } });
    await clock.advance(longest('fis.experiment.initiating'));
    expect((await instances(ec2, 'us-east-1a')).every((i) => i.State?.Name === 'stopped')).toBe(true);
    expect(ec2Model.isIoPaused(ec2Model.findVolume(EAST, 'vol-0e1a000000000b001')!)).toBe(true);
    const started = sim.world.events.find((e) => e.kind === 'rds.failover.started')!;
    expect(started.detail).toMatchObject({ kind: 'instance', from: 'us-east-1a', to: 'us-east-1b', cause: 'zone-power-loss' });
    await clock.advance(longest('rds.instance.failover'));
    expect(await db()).toMatchObject({ DBInstanceStatus: 'available', AvailabilityZone: 'us-east-1b' });
    await clock.advance(30 * MINUTE);
    expect((await get(id)).state?.status).toBe('completed');
    expect(ec2Model.isIoPaused(ec2Model.findVolume(EAST, 'vol-0e1a000000000b001')!)).toBe(false);
  });

  it('a network-only disruption of the primary zone does not make RDS fail over: the database is unreachable until the disruption ends', async () => {
    const { start, clock, sim } = await securecart(via);
    await start(
      { 'zone-a': { resourceType: 'aws:ec2:subnet', resourceTags: { app: 'securecart' }, parameters: { availabilityZoneIdentifier: 'us-east-1a' }, selectionMode: 'ALL' } },
      { cut: { actionId: 'aws:network:disrupt-connectivity', parameters: { duration: 'PT10M', scope: 'availability-zone' }, targets: { Subnets: 'zone-a' } } },
    );
    await clock.advance(longest('fis.experiment.initiating') + 5 * MINUTE);
    const rdsModel = sim.world.module<RdsModule>('rds').model;
    expect(rdsModel.whyNotWritable(EAST, 'securecart-orders')?.reason).toBe('subnet-down');
    expect(sim.world.events.some((e) => e.kind === 'rds.failover.started')).toBe(false);
    await clock.advance(10 * MINUTE);
    expect(rdsModel.whyNotWritable(EAST, 'securecart-orders')).toBeUndefined();
  });
});
