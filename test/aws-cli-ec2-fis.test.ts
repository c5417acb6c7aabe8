import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliServer } from './support/aws-cli.js';
import { CATALOG } from './support/fis-catalog.js';

/**
 * The real AWS CLI v2 against `gameday sim serve` (SecureCart) for issue
 * 13's EC2 part: `fis list-actions` lists the catalog, `ec2
 * describe-instances` and `describe-subnets` describe the orders API's
 * instances and the environment's subnets, and an experiment of
 * aws:ec2:stop-instances on one zone's instances stops them while their
 * Auto Scaling group replaces them in the other zone. Skipped, saying why,
 * where no AWS CLI v2 is installed.
 */

const credentials = { accessKeyId: 'AKIACLIV2TEST0000002', secretAccessKey: 'gameday-sim-secret' };
const GROUP = 'orders-api-us-east-1';

const cliServer = useCliServer('test/aws-cli-ec2-fis.test.ts', { credentials, region: 'us-east-1' });
const { cli } = cliServer;
const aws = <T>(...args: string[]) => cliServer.aws<T>(...args);
const advance = (seconds: number) => cliServer.advance(seconds);

interface Instance {
  InstanceId: string;
  State: { Name: string };
  Placement: { AvailabilityZone: string };
  Tags?: { Key: string; Value: string }[];
}

/** The orders API's fleet (securecart.yaml's checkout API runs instances tagged app: securecart in us-east-1 too). */
const ORDERS_FLEET = 'Name=tag:gameday:service,Values=orders-api';

async function describeInstances(...filters: string[]): Promise<Instance[]> {
  const { Reservations } = await aws<{ Reservations: { Instances: Instance[] }[] }>('ec2', 'describe-instances', ...(filters.length > 0 ? ['--filters', ...filters] : []));
  return Reservations.flatMap((r) => r.Instances);
}

describe.skipIf(!cli.path)(`the AWS CLI v2 against gameday sim serve: EC2 and FIS (${cli.why})`, () => {
  it('fis list-actions lists every action of the catalog; ec2 describe-instances and describe-subnets describe the fleet and its subnets', async () => {
    const { actions } = await aws<{ actions: { id: string }[] }>('fis', 'list-actions');
    const ids = actions.map((a) => a.id);
    for (const id of CATALOG) expect(ids, id).toContain(id);

    expect(await describeInstances('Name=tag:app,Values=securecart')).toHaveLength(9);
    const all = await describeInstances(ORDERS_FLEET);
    expect(all).toHaveLength(6);
    expect(all.every((i) => i.State.Name === 'running')).toBe(true);
    expect(all.every((i) => i.Tags?.some((t) => t.Key === 'aws:autoscaling:groupName' && t.Value === GROUP))).toBe(true);
    const inA = await describeInstances('Name=availability-zone,Values=us-east-1a', 'Name=instance-state-name,Values=running', 'Name=tag:app,Values=securecart', ORDERS_FLEET);
    expect(inA.map((i) => i.Placement.AvailabilityZone)).toEqual(['us-east-1a', 'us-east-1a', 'us-east-1a']);

    const { Subnets } = await aws<{ Subnets: { SubnetId: string; AvailabilityZone: string; State: string }[] }>('ec2', 'describe-subnets');
    expect(Subnets.map((s) => [s.SubnetId, s.AvailabilityZone, s.State])).toEqual([
      ['subnet-0e1a0000000000001', 'us-east-1a', 'available'],
      ['subnet-0e1b0000000000001', 'us-east-1b', 'available'],
    ]);
    const { Subnets: inB } = await aws<{ Subnets: { SubnetId: string }[] }>('ec2', 'describe-subnets', '--filters', 'Name=availability-zone,Values=us-east-1b');
    expect(inB.map((s) => s.SubnetId)).toEqual(['subnet-0e1b0000000000001']);
  }, 120_000);

  it("an experiment of aws:ec2:stop-instances on one zone's instances stops them, and their Auto Scaling group replaces them in the other zone", async () => {
    const inA = (await describeInstances('Name=availability-zone,Values=us-east-1a', ORDERS_FLEET)).map((i) => i.InstanceId);
    expect(inA).toHaveLength(3);
    // The scenario library's AZ power interruption, as far as the fleet goes: its instances stop, and the group cannot launch there.
    const template = {
      description: 'Stop the fleet in us-east-1a',
      roleArn: 'arn:aws:iam::123456789012:role/gameday-fis',
      stopConditions: [{ source: 'none' }],
      targets: {
        'fleet-in-a': {
          resourceType: 'aws:ec2:instance',
          resourceTags: { app: 'securecart' },
          filters: [
            { path: 'Placement.AvailabilityZone', values: ['us-east-1a'] },
            { path: 'State.Name', values: ['running'] },
          ],
          selectionMode: 'ALL',
        },
        groups: { resourceType: 'aws:ec2:autoscaling-group', resourceTags: { app: 'securecart' }, selectionMode: 'ALL' },
      },
      actions: {
        'stop-instances': {
          actionId: 'aws:ec2:stop-instances',
          parameters: { startInstancesAfterDuration: 'PT30M', completeIfInstancesTerminated: 'true' },
          targets: { Instances: 'fleet-in-a' },
        },
        'no-capacity-in-a': {
          actionId: 'aws:ec2:asg-insufficient-instance-capacity-error',
          parameters: { availabilityZoneIdentifiers: 'us-east-1a', duration: 'PT30M' },
          targets: { AutoScalingGroups: 'groups' },
        },
      },
    };
    const file = join(cliServer.server().home, 'template.json');
    await writeFile(file, JSON.stringify(template));
    const { experimentTemplate } = await aws<{ experimentTemplate: { id: string } }>('fis', 'create-experiment-template', '--cli-input-json', `file://${file}`);
    const { experiment } = await aws<{ experiment: { id: string } }>('fis', 'start-experiment', '--experiment-template-id', experimentTemplate.id);

    // Past FIS's initiation and the slowest stop: the zone's instances are stopped, or already being replaced.
    await advance(120);
    const running = await aws<{ experiment: { state: { status: string } } }>('fis', 'get-experiment', '--id', experiment.id);
    expect(running.experiment.state.status).toBe('running');
    const stopped = (await describeInstances('Name=availability-zone,Values=us-east-1a')).filter((i) => inA.includes(i.InstanceId));
    expect(stopped.every((i) => ['stopped', 'shutting-down', 'terminated'].includes(i.State.Name))).toBe(true);

    // Past the group's health check and a warm launch activity.
    await advance(15 * 60);
    const { AutoScalingGroups } = await aws<{ AutoScalingGroups: { Instances: { InstanceId: string; AvailabilityZone: string; LifecycleState: string }[] }[] }>(
      'autoscaling',
      'describe-auto-scaling-groups',
      '--auto-scaling-group-names',
      GROUP,
    );
    const members = AutoScalingGroups[0]!.Instances;
    expect(members.filter((m) => m.LifecycleState === 'InService').map((m) => m.AvailabilityZone)).toEqual(Array(6).fill('us-east-1b'));
    expect(members.some((m) => inA.includes(m.InstanceId))).toBe(false);
    const inB = await describeInstances('Name=availability-zone,Values=us-east-1b', 'Name=instance-state-name,Values=running', ORDERS_FLEET);
    expect(inB).toHaveLength(6);

    // When FIS would start them again the group has terminated them: completeIfInstancesTerminated lets the action complete.
    await advance(30 * 60);
    const done = await aws<{ experiment: { state: { status: string } } }>('fis', 'get-experiment', '--id', experiment.id);
    expect(done.experiment.state.status).toBe('completed');
    const gone = (await describeInstances('Name=instance-state-name,Values=terminated')).map((i) => i.InstanceId);
    expect(gone).toEqual(expect.arrayContaining(inA));
  }, 180_000);
});
