import type { FisActionDefinition, FisActionRun } from '../../types.js';
import { booleanParameter, durationParameter, holdFor, injectFor, listParameter, parseIsoDuration, percentageParameter, until } from '../fis/action-run.js';
import { roleNameOf } from '../fis/actions.js';
import { zoneNameOf } from '../fis/validation.js';
import { EC2_INSTANCE } from './instances.js';
import type { Ec2Model } from './model.js';
import type { Ec2Instance } from './types.js';

export const EBS_VOLUME = 'aws:ec2:ebs-volume';
export const AUTO_SCALING_GROUP = 'aws:ec2:autoscaling-group';
const IAM_ROLE = 'aws:iam:role';

/** The group's name in an Auto Scaling group ARN (`…:autoScalingGroupName/<name>`). */
export function groupNameOf(arn: string): string | undefined {
  return /:autoScalingGroupName\/(.+)$/.exec(arn)?.[1];
}

const durationSpec = { description: 'The duration, ISO 8601 (PT1M to PT12H).', required: true };
const zonesSpec = {
  description: 'Comma-separated Availability Zones (names such as us-east-1a, or zone IDs) whose launches fail.',
  required: true,
};
const percentageSpec = { description: 'The percentage (1-100) of launch requests that fail. Default 100.', required: false };

/**
 * The FIS actions EC2 implements: stopping, terminating and rebooting
 * instances, starving launches of capacity (for a role's RunInstances and
 * StartInstances calls, or for Auto Scaling groups), and pausing EBS
 * volumes' I/O. Parameters and targets as FIS's GetAction describes them.
 */
export function ec2FisActions(model: Ec2Model): FisActionDefinition[] {
  const instancesOf = (run: FisActionRun): Ec2Instance[] =>
    (run.targets['Instances'] ?? []).map((arn) => {
      const instance = model.instances.byArn(arn);
      if (!instance) throw new Error(`target ${arn} is not an EC2 instance`);
      return instance;
    });
  let faults = 0;

  return [
    {
      id: 'aws:ec2:stop-instances',
      description: 'Stop the target EC2 instances, and start them again after startInstancesAfterDuration.',
      targets: { Instances: EC2_INSTANCE },
      parameters: {
        startInstancesAfterDuration: {
          description: 'The time to wait before starting the instances again, ISO 8601 (PT1M to PT12H); they stay stopped when left out.',
          required: false,
        },
        completeIfInstancesTerminated: {
          description: 'Complete, rather than fail, when an instance was terminated before it could be started again (an Auto Scaling group replaced it). Default false.',
          required: false,
        },
      },
      start: async (run) => {
        const restartRaw = run.parameters['startInstancesAfterDuration'];
        const restartAfter = restartRaw === undefined ? undefined : parseIsoDuration(restartRaw);
        if (restartRaw !== undefined && restartAfter === undefined) throw new Error(`parameter startInstancesAfterDuration "${restartRaw}" is not an ISO 8601 duration`);
        const toleratesTerminated = booleanParameter(run, 'completeIfInstancesTerminated');
        const instances = instancesOf(run);
        const gone = instances.find((i) => i.state === 'shutting-down' || i.state === 'terminated');
        if (gone) throw new Error(`instance ${gone.id} is ${gone.state}`);
        for (const instance of instances) model.instances.stop(instance);
        await until(run, () => instances.every((i) => i.state === 'stopped' || i.state === 'terminated'));
        if (restartAfter === undefined) return;
        // The instances come back however the wait ends: a stopped experiment leaves nothing stopped behind.
        await holdFor(run, restartAfter, 'aws:ec2:stop-instances');
        const terminated: string[] = [];
        for (const instance of instances) {
          if (instance.state === 'terminated' || instance.state === 'shutting-down' || model.instances.find(instance.region, instance.id) !== instance) {
            terminated.push(instance.id);
            continue;
          }
          if (instance.state !== 'stopped') continue;
          try {
            model.instances.start(instance, { role: 'fis' });
          } catch (error) {
            // A zone that cannot start it (no capacity, no power) leaves it stopped, as the StartInstances call FIS makes would.
            run.world.emit('fis.action.warning', { action: 'aws:ec2:stop-instances', instanceId: instance.id, message: error instanceof Error ? error.message : String(error) });
          }
        }
        if (terminated.length > 0 && !toleratesTerminated) {
          throw new Error(`instances ${terminated.join(', ')} were terminated before they could be started again (set completeIfInstancesTerminated to true where an Auto Scaling group replaces them)`);
        }
      },
    },
    {
      id: 'aws:ec2:terminate-instances',
      description: 'Terminate the target EC2 instances.',
      targets: { Instances: EC2_INSTANCE },
      parameters: {},
      start: async (run) => {
        const instances = instancesOf(run);
        for (const instance of instances) model.instances.terminate(instance);
        await until(run, () => instances.every((i) => i.state === 'terminated'));
      },
    },
    {
      id: 'aws:ec2:reboot-instances',
      description: 'Reboot the target EC2 instances.',
      targets: { Instances: EC2_INSTANCE },
      parameters: {},
      start: async (run) => {
        const instances = instancesOf(run);
        const notRunning = instances.find((i) => i.state !== 'running');
        if (notRunning) throw new Error(`instance ${notRunning.id} is ${notRunning.state}, not running`);
        for (const instance of instances) model.instances.reboot(instance);
      },
    },
    {
      id: 'aws:ec2:api-insufficient-instance-capacity-error',
      description: 'Return InsufficientInstanceCapacity to RunInstances and StartInstances requests made by the target IAM roles in the given Availability Zones.',
      targets: { Roles: IAM_ROLE },
      parameters: { availabilityZoneIdentifiers: zonesSpec, percentage: percentageSpec, duration: durationSpec },
      start: async (run) => {
        const ms = durationParameter(run);
        const zones = zonesParameter(run);
        const percentage = percentageParameter(run);
        const roles = [...new Set((run.targets['Roles'] ?? []).map(roleNameOf))];
        const id = `fis-api-ice-${++faults}`;
        await injectFor(
          run,
          ms,
          { apply: () => model.instances.addCapacityFault({ id, zones, percentage, roles }), rollback: () => model.instances.removeCapacityFault(id) },
          `fis ${id}`,
        );
      },
    },
    {
      id: 'aws:ec2:asg-insufficient-instance-capacity-error',
      description: 'Make launches by the target Auto Scaling groups in the given Availability Zones fail with InsufficientInstanceCapacity.',
      targets: { AutoScalingGroups: AUTO_SCALING_GROUP },
      parameters: { availabilityZoneIdentifiers: zonesSpec, percentage: percentageSpec, duration: durationSpec },
      start: async (run) => {
        const ms = durationParameter(run);
        const zones = zonesParameter(run);
        const percentage = percentageParameter(run);
        const groups = (run.targets['AutoScalingGroups'] ?? []).map((arn) => {
          const name = groupNameOf(arn);
          if (!name) throw new Error(`target ${arn} is not an Auto Scaling group`);
          return name;
        });
        const id = `fis-asg-ice-${++faults}`;
        await injectFor(
          run,
          ms,
          {
            apply: () => model.instances.addCapacityFault({ id, zones, percentage, autoScalingGroups: groups }),
            rollback: () => model.instances.removeCapacityFault(id),
          },
          `fis ${id}`,
        );
      },
    },
    {
      id: 'aws:ebs:pause-volume-io',
      description: 'Pause I/O operations on the target EBS volumes.',
      targets: { Volumes: EBS_VOLUME },
      parameters: { duration: { description: 'The duration, ISO 8601 (PT1S to PT12H).', required: true } },
      start: async (run) => {
        const ms = durationParameter(run);
        const volumes = (run.targets['Volumes'] ?? []).map((arn) => {
          const volume = model.volumeByArn(arn);
          if (!volume) throw new Error(`target ${arn} is not an EBS volume`);
          return volume;
        });
        const holder = `fis-pause-io-${++faults}`;
        await injectFor(
          run,
          ms,
          {
            apply: () => volumes.forEach((v) => model.pauseIo(v, holder)),
            rollback: () => volumes.forEach((v) => model.resumeIo(v, holder)),
          },
          `fis ${holder}`,
        );
      },
    },
  ];
}

/** availabilityZoneIdentifiers: zone names; the sim's zone IDs (`use1-az1`) name the same zones by letter. */
function zonesParameter(run: FisActionRun): string[] {
  const zones = listParameter(run, 'availabilityZoneIdentifiers');
  if (zones.length === 0) throw new Error('parameter availabilityZoneIdentifiers is required');
  return zones.map((zone) => zoneNameOf(zone, run.region));
}

export { zoneNameOf as zoneName } from '../fis/validation.js';
