import type { FisActionDefinition } from '../types.js';
import { durationParameter, injectFor } from '../services/fis/action-run.js';
import { zoneName } from '../services/ec2/index.js';

/** FIS's resource type for what ARC zonal shift manages (load balancers here). */
export const ZONAL_SHIFT_RESOURCE = 'aws:arc:zonal-shift-managed-resource';

/** What the action needs of the app: start and end a shift on a load balancer. */
export interface ZonalShiftHost {
  startZonalShift(loadBalancerArn: string, zone: string, endsAt: number, id: string): unknown;
  endZonalShift(id: string): void;
}

/**
 * `aws:arc:start-zonal-autoshift`: ARC moves the target load balancers'
 * traffic away from one Availability Zone for the duration; the orders
 * service then serves only from its other zones' instances. The shift ends
 * when the duration does or the experiment stops.
 */
export function zonalAutoshiftAction(host: ZonalShiftHost): FisActionDefinition {
  let shifts = 0;
  return {
    id: 'aws:arc:start-zonal-autoshift',
    description: 'Shift traffic for the target managed resources away from an Availability Zone, as zonal autoshift does.',
    targets: { ManagedResources: ZONAL_SHIFT_RESOURCE },
    parameters: {
      availabilityZoneIdentifier: { description: 'The Availability Zone (name or ID) traffic moves away from.', required: true },
      duration: { description: 'The duration, ISO 8601 (PT1M to PT12H).', required: true },
    },
    start: async (run) => {
      const ms = durationParameter(run);
      const raw = run.parameters['availabilityZoneIdentifier'];
      if (!raw) throw new Error('parameter availabilityZoneIdentifier is required');
      const zone = zoneName(raw, run.region);
      const arns = run.targets['ManagedResources'] ?? [];
      const ids = arns.map(() => `fis-zonal-shift-${++shifts}`);
      const endsAt = run.world.clock.now() + ms;
      await injectFor(
        run,
        ms,
        {
          apply: () => arns.forEach((arn, i) => host.startZonalShift(arn, zone, endsAt, ids[i]!)),
          rollback: () => ids.forEach((id) => host.endZonalShift(id)),
        },
        'aws:arc:start-zonal-autoshift',
      );
    },
  };
}
