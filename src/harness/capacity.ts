import { autoScalingGroupOf, type Environment, type OrdersApi } from '../env/index.js';
import { BadInputError } from '../errors.js';
import { action, waitUntil } from './wait.js';
import type { ScenarioContext } from './scenario.js';
import { region as knownRegion } from './checks.js';
import { step } from './types.js';

/** EC2 Auto Scaling: the orders API's standby fleet in a region, scaled to full and back at cleanup. */

/** The orders API deployment in a region, and its EC2 Auto Scaling group: what "the standby capacity in <region>" scales. */
function standbyFleet(env: Environment, region: string): { service: OrdersApi; group: string } {
  const service = Object.values(env.resources).find((r): r is OrdersApi => r.kind === 'orders-api' && Object.hasOwn(r.regions, region));
  if (!service) throw new BadInputError(`no orders-api in ${env.file} runs in ${region}`);
  // On aws a deployment without autoScalingGroup is an EnvironmentError at its file:line.
  return { service, group: autoScalingGroupOf(env, service.alias, region) };
}

/**
 * Scale the region's fleet to full: SetDesiredCapacity to the group's
 * maximum, journalled with its undo (back to the desired capacity it had)
 * before it is made, then wait until that many instances are InService.
 */
export async function scaleUpStandby(ctx: ScenarioContext, region: string): Promise<void> {
  const { service } = standbyFleet(ctx.env, region);
  const { capacity } = ctx.target;
  await action(ctx, 'autoscaling', 'scale up standby', `${service.alias} in ${region}`, region, async () => {
    const { group, desired: previous, max } = await capacity.fleet(service.alias, region);
    if (previous < max) {
      const input = { AutoScalingGroupName: group, DesiredCapacity: max, HonorCooldown: false };
      ctx.cleanup
        .begin(`scale-up of ${group}`, { service: 'autoscaling', region, operation: 'SetDesiredCapacity', input })
        .undoWith({ service: 'autoscaling', region, operation: 'SetDesiredCapacity', input: { ...input, DesiredCapacity: previous } });
      await capacity.setDesired(service.alias, region, max);
    }
    await waitUntil(ctx, `${service.alias} in ${region} to run at full capacity`, async () => ((await capacity.atFull(service.alias, region)) ? true : undefined));
    return { group, previous, max };
  }, ({ group, previous, max }) => (previous < max ? `${group}: desired capacity ${previous} → ${max}, all InService` : `${group} was already at its maximum of ${max}`));
}

export const standbyScaledUp = step({
  keyword: 'When',
  phrase: 'the standby capacity in {string} is scaled up',
  check: ([region], context) => {
    knownRegion(region, context);
    standbyFleet(context.env, region);
  },
  calls: ([region], env) => {
    const { group } = standbyFleet(env, region);
    return [
      `autoscaling:DescribeAutoScalingGroups ${group} in ${region}`,
      `autoscaling:SetDesiredCapacity (mutating) of ${group} to its MaxSize, then autoscaling:DescribeAutoScalingGroups until that many are InService`,
      `cleanup: autoscaling:SetDesiredCapacity of ${group} back to its desired capacity before`,
    ];
  },
  run: (ctx, [region]) => scaleUpStandby(ctx, region),
});
