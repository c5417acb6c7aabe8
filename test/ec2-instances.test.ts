import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  CreateTagsCommand,
  DescribeInstancesCommand,
  DescribeSubnetsCommand,
  EC2Client,
  EC2ServiceException,
  RebootInstancesCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type Instance,
} from '@aws-sdk/client-ec2';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildSimulator, SIM_START } from '../src/aws/sim-target.js';
import { VirtualClock } from '../src/clock/index.js';
import { loadEnvironment } from '../src/env/index.js';
import type { AppModule } from '../src/sim/app/index.js';
import { defaultCalibration, longestSeconds, type CalibrationKey } from '../src/sim/calibration.js';
import type { Simulator } from '../src/sim/index.js';
import type { AutoScalingModule } from '../src/sim/services/autoscaling/index.js';
import type { Ec2Module } from '../src/sim/services/ec2/index.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { SECOND, MINUTE } from './support/time.js';
import { EAST } from './support/sim.js';
import { rejection } from './support/rejection.js';

/**
 * EC2 instances and subnets as API objects on SecureCart (its orders API's
 * Auto Scaling groups own real instances): describing and filtering them,
 * their state machine and its timings, and a group replacing instances that
 * stop running, in another zone when theirs has no capacity.
 */

const GROUP = 'orders-api-us-east-1';
const repo = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const longest = (key: CalibrationKey) => longestSeconds(defaultCalibration[key]) * SECOND;
const shortest = (key: CalibrationKey) => defaultCalibration[key].minSeconds * SECOND;

async function securecart(via: TransportHarness) {
  const env = await loadEnvironment(repo('scenarios/environments/securecart.yaml'));
  if (env.target !== 'sim') throw new Error('securecart.yaml is a sim environment');
  const clock = new VirtualClock({ start: SIM_START });
  const sim: Simulator = buildSimulator({ clock, seed: 42, env });
  const config = await via.config(sim, clock, EAST);
  return {
    clock,
    sim,
    ec2: new EC2Client(config),
    autoscaling: new AutoScalingClient(config),
    app: sim.world.module<AppModule>('app'),
    instances: sim.world.module<Ec2Module>('ec2').model.instances,
    groups: sim.world.module<AutoScalingModule>('autoscaling').model,
  };
}

async function described(ec2: EC2Client, input: ConstructorParameters<typeof DescribeInstancesCommand>[0] = {}): Promise<Instance[]> {
  const { Reservations } = await ec2.send(new DescribeInstancesCommand(input));
  return (Reservations ?? []).flatMap((r) => r.Instances ?? []);
}

/** The orders API's instances: securecart.yaml's checkout API runs a fleet of its own in us-east-1 beside it. */
const ORDERS_FLEET = { Name: 'tag:aws:autoscaling:groupName', Values: [GROUP] };
const fleet = (ec2: EC2Client, ...filters: { Name: string; Values: string[] }[]) => described(ec2, { Filters: [ORDERS_FLEET, ...filters] });

const failure = (promise: Promise<unknown>) => rejection(promise, EC2ServiceException);

describe.each(transports)('EC2 instances over the %s transport', (transport) => {
  const via = useTransport(transport);

  it("describes the orders API's instances: running, spread over the group's zones, tagged by the group", async () => {
    const { ec2 } = await securecart(via);
    expect(await described(ec2)).toHaveLength(9);
    const all = await fleet(ec2);
    expect(all).toHaveLength(6);
    for (const instance of all) {
      expect(instance.InstanceId).toMatch(/^i-[0-9a-f]{17}$/);
      expect(instance).toMatchObject({ State: { Code: 16, Name: 'running' }, InstanceType: 'm6g.large', Architecture: 'arm64', RootDeviceType: 'ebs' });
      expect(instance.SubnetId).toMatch(/^subnet-/);
      expect(instance.VpcId).toMatch(/^vpc-[0-9a-f]{17}$/);
      expect(instance.PrivateIpAddress).toMatch(/^10\.0\.\d+\.\d+$/);
      expect(instance.LaunchTime).toBeInstanceOf(Date);
      expect(instance.Tags).toEqual(
        expect.arrayContaining([
          { Key: 'aws:autoscaling:groupName', Value: GROUP },
          { Key: 'app', Value: 'securecart' },
        ]),
      );
    }
    const zones = all.map((i) => i.Placement?.AvailabilityZone).sort();
    expect(zones).toEqual(['us-east-1a', 'us-east-1a', 'us-east-1a', 'us-east-1b', 'us-east-1b', 'us-east-1b']);
    // Each instance is in its zone's subnet.
    const { Subnets } = await ec2.send(new DescribeSubnetsCommand({}));
    for (const instance of all) {
      expect(Subnets?.find((s) => s.SubnetId === instance.SubnetId)?.AvailabilityZone).toBe(instance.Placement?.AvailabilityZone);
    }
  });

  it('filters by availability-zone, instance-state-name, tag:* and instance-id, and pages', async () => {
    const { ec2, instances } = await securecart(via);
    const inA = await fleet(ec2, { Name: 'availability-zone', Values: ['us-east-1a'] });
    expect(inA).toHaveLength(3);
    const tagged = await described(ec2, { Filters: [{ Name: 'tag:aws:autoscaling:groupName', Values: [GROUP] }, { Name: 'instance-state-name', Values: ['running'] }] });
    expect(tagged).toHaveLength(6);
    expect(await described(ec2, { Filters: [{ Name: 'tag:app', Values: ['nope'] }] })).toEqual([]);
    const one = instances.find(EAST, inA[0]!.InstanceId!)!;
    instances.stop(one);
    expect((await described(ec2, { Filters: [{ Name: 'instance-state-name', Values: ['stopping', 'stopped'] }] })).map((i) => i.InstanceId)).toEqual([one.id]);
    expect((await described(ec2, { InstanceIds: [one.id] }))[0]?.State).toEqual({ Code: 64, Name: 'stopping' });
    const first = await ec2.send(new DescribeInstancesCommand({ MaxResults: 5 }));
    expect(first.Reservations?.flatMap((r) => r.Instances ?? [])).toHaveLength(5);
    const rest = await ec2.send(new DescribeInstancesCommand({ MaxResults: 5, NextToken: first.NextToken }));
    expect(rest.Reservations?.flatMap((r) => r.Instances ?? [])).toHaveLength(4);
    expect((await failure(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })))).name).toBe('InvalidInstanceID.NotFound');
    expect((await failure(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['instance-1'] })))).name).toBe('InvalidInstanceID.Malformed');
    expect((await failure(ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'flavour', Values: ['x'] }] })))).name).toBe('InvalidParameterValue');
  });

  it("describes the environment's subnets: zone, VPC, CIDR, tags; filtered by zone and tag", async () => {
    const { ec2 } = await securecart(via);
    const { Subnets } = await ec2.send(new DescribeSubnetsCommand({}));
    expect(Subnets?.map((s) => [s.SubnetId, s.AvailabilityZone])).toEqual([
      ['subnet-0e1a0000000000001', 'us-east-1a'],
      ['subnet-0e1b0000000000001', 'us-east-1b'],
    ]);
    for (const subnet of Subnets!) {
      expect(subnet).toMatchObject({ State: 'available', DefaultForAz: false, MapPublicIpOnLaunch: false, Tags: [{ Key: 'app', Value: 'securecart' }] });
      expect(subnet.CidrBlock).toMatch(/^10\.0\.\d+\.0\/20$/);
      expect(subnet.SubnetArn).toBe(`arn:aws:ec2:us-east-1:123456789012:subnet/${subnet.SubnetId}`);
    }
    expect(new Set(Subnets!.map((s) => s.VpcId)).size).toBe(1);
    const inB = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'availability-zone', Values: ['us-east-1b'] }, { Name: 'tag:app', Values: ['securecart'] }] }));
    expect(inB.Subnets?.map((s) => s.SubnetId)).toEqual(['subnet-0e1b0000000000001']);
    expect((await failure(ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-0fffffffffffffff0'] })))).name).toBe('InvalidSubnetID.NotFound');
  });

  it('moves instances through stopping → stopped → pending → running and shutting-down → terminated in the calibrated times', async () => {
    const { ec2, clock } = await securecart(via);
    const launched = await ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-0abcdef1234567890',
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 1,
        SubnetId: 'subnet-0e1b0000000000001',
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'role', Value: 'bastion' }] }],
      }),
    );
    const id = launched.Instances![0]!.InstanceId!;
    expect(launched.Instances![0]).toMatchObject({ State: { Name: 'pending' }, Placement: { AvailabilityZone: 'us-east-1b' }, Tags: [{ Key: 'role', Value: 'bastion' }] });
    const state = async () => (await described(ec2, { InstanceIds: [id] }))[0]!.State?.Name;
    await clock.advance(shortest('ec2.instance.launch') - 1);
    expect(await state()).toBe('pending');
    await clock.advance(longest('ec2.instance.launch'));
    expect(await state()).toBe('running');

    const stopped = await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    expect(stopped.StoppingInstances).toEqual([{ InstanceId: id, CurrentState: { Code: 64, Name: 'stopping' }, PreviousState: { Code: 16, Name: 'running' } }]);
    await clock.advance(longest('ec2.instance.stop'));
    const after = (await described(ec2, { InstanceIds: [id] }))[0]!;
    expect(after.State?.Name).toBe('stopped');
    expect(after.StateReason).toEqual({ Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' });
    expect(after.StateTransitionReason).toMatch(/^User initiated \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\)$/);
    expect((await failure(ec2.send(new RebootInstancesCommand({ InstanceIds: [id] })))).name).toBe('IncorrectInstanceState');

    const started = await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    expect(started.StartingInstances?.[0]).toMatchObject({ CurrentState: { Name: 'pending' }, PreviousState: { Name: 'stopped' } });
    await clock.advance(longest('ec2.instance.launch'));
    expect(await state()).toBe('running');
    await ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'owner', Value: 'sre' }] }));
    expect((await described(ec2, { Filters: [{ Name: 'tag:owner', Values: ['sre'] }] })).map((i) => i.InstanceId)).toEqual([id]);

    const terminated = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect(terminated.TerminatingInstances?.[0]).toMatchObject({ CurrentState: { Code: 32, Name: 'shutting-down' } });
    await clock.advance(longest('ec2.instance.terminate'));
    expect(await state()).toBe('terminated');
    expect((await failure(ec2.send(new StartInstancesCommand({ InstanceIds: [id] })))).name).toBe('IncorrectInstanceState');
    // Terminated instances are described for about an hour, then gone.
    await clock.advance(61 * MINUTE);
    expect((await failure(ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] })))).name).toBe('InvalidInstanceID.NotFound');
  });

  it('reboots a running instance: still running, serving nothing until its OS is back', async () => {
    const { ec2, instances, app, clock } = await securecart(via);
    const [first] = await fleet(ec2);
    const instance = instances.find(EAST, first!.InstanceId!)!;
    await ec2.send(new RebootInstancesCommand({ InstanceIds: [instance.id] }));
    expect((await described(ec2, { InstanceIds: [instance.id] }))[0]!.State?.Name).toBe('running');
    expect(instances.whyNotServing(instance)).toBe('rebooting');
    expect(app.capacityOf(EAST, 'orders-api').running).toBe(5);
    await clock.advance(longest('ec2.instance.reboot'));
    expect(instances.whyNotServing(instance)).toBeUndefined();
    expect(app.capacityOf(EAST, 'orders-api').running).toBe(6);
  });

  it('the Auto Scaling group replaces an instance that stops running, once its health check notices', async () => {
    const { ec2, autoscaling, clock, sim, app } = await securecart(via);
    const [victim] = await fleet(ec2, { Name: 'availability-zone', Values: ['us-east-1a'] });
    await ec2.send(new StopInstancesCommand({ InstanceIds: [victim!.InstanceId!] }));
    expect(app.capacityOf(EAST, 'orders-api').running).toBe(5);
    await clock.advance(longest('autoscaling.health-check') + longest('ec2.instance.stop'));
    const unhealthy = sim.world.events.find((e) => e.kind === 'autoscaling.instance.unhealthy');
    expect(unhealthy?.detail).toMatchObject({ group: GROUP, instanceId: victim!.InstanceId, availabilityZone: 'us-east-1a' });
    const { AutoScalingGroups } = await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [GROUP] }));
    const members = AutoScalingGroups![0]!.Instances!;
    // Terminated by the group (and gone from it once terminated), replaced where the group is short: the same zone, which has capacity.
    expect(sim.world.events.find((e) => e.kind === 'autoscaling.instance.lifecycle' && e.detail['instanceId'] === victim!.InstanceId)?.detail).toMatchObject({
      state: 'Terminating',
      why: 'unhealthy',
    });
    expect(members.filter((m) => m.InstanceId === victim!.InstanceId && m.LifecycleState !== 'Terminating')).toEqual([]);
    const replacement = members.find((m) => m.LifecycleState === 'Pending')!;
    expect(replacement.AvailabilityZone).toBe('us-east-1a');
    // Not before the health check could notice.
    expect(unhealthy!.at - SIM_START).toBeGreaterThanOrEqual(shortest('autoscaling.health-check'));
    await clock.advance(longest('app.scale-up.warm'));
    expect(app.capacityOf(EAST, 'orders-api')).toMatchObject({ running: 6, launching: 0 });
    expect((await described(ec2, { InstanceIds: [victim!.InstanceId!] }))[0]!.State?.Name).toBe('terminated');
  });

  it('an Availability Zone without power: its instances stop at once, the group relaunches them in the other zone, and launches there fail', async () => {
    const { ec2, clock, sim, app, groups } = await securecart(via);
    sim.world.faults.setZonePowered('us-east-1a', false, 'test');
    const inA = await fleet(ec2, { Name: 'availability-zone', Values: ['us-east-1a'] });
    expect(inA.map((i) => i.State?.Name)).toEqual(['stopped', 'stopped', 'stopped']);
    expect(inA[0]!.StateReason?.Code).toBe('Server.InternalError');
    expect(app.capacityOf(EAST, 'orders-api').running).toBe(3);
    const refused = await failure(ec2.send(new RunInstancesCommand({ ImageId: 'ami-0abcdef1234567890', MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: 'us-east-1a' } })));
    expect(refused.name).toBe('InsufficientInstanceCapacity');
    expect(refused.$metadata.httpStatusCode).toBe(500);
    await clock.advance(longest('autoscaling.health-check') + longest('app.scale-up.warm') + MINUTE);
    const group = groups.group(EAST, GROUP)!;
    const live = group.instances.filter((i) => i.state === 'InService');
    expect(live.map((i) => i.availabilityZone).sort()).toEqual(['us-east-1b', 'us-east-1b', 'us-east-1b', 'us-east-1b', 'us-east-1b', 'us-east-1b']);
    expect(app.capacityOf(EAST, 'orders-api').running).toBe(6);
    expect(sim.world.events.filter((e) => e.kind === 'autoscaling.launch.failed' && e.detail['availabilityZone'] === 'us-east-1a').length).toBeGreaterThan(0);
  });
});
