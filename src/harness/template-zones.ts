import type { DescribeAvailabilityZonesCommand as DescribeAvailabilityZones } from '@aws-sdk/client-ec2';
import { createRequire } from 'node:module';
import { formatPath, type Fault } from '../env/index.js';
import { notServedCode } from './aws-error.js';
import type { TargetClients } from './target.js';
import type { TemplateCheck } from './template-check.js';

const require = createRequire(import.meta.url);
/** The EC2 client package is loaded only where it is needed (see aws/clients.ts). */
const ec2Commands = () => require('@aws-sdk/client-ec2') as { DescribeAvailabilityZonesCommand: typeof DescribeAvailabilityZones };

/**
 * The aws target's dry run, for a fault whose template names its region's
 * zones with `${gameday:AvailabilityZones}`: each zone the environment
 * declares for that region (regions.availabilityZones) exists there
 * (ec2:DescribeAvailabilityZones, read-only). A zone the account does not
 * have would make FIS refuse the action, or starve nothing; it is a problem
 * at its line in the environment file, where the mistake is, not in the
 * template. Adds to `check` what it found; throws what AWS answers other
 * than "not served here", as the rest of the dry run does.
 */
export async function checkDeclaredZones(clients: TargetClients, fault: Fault, check: TemplateCheck): Promise<void> {
  const declared = fault.declaredZones;
  if (!declared) return;
  const { region } = fault;
  const { DescribeAvailabilityZonesCommand } = ec2Commands();
  let zones: string[];
  try {
    // No ZoneNames: EC2 refuses the whole call for one unknown name, and every missing one is worth a line.
    const answer = await clients.ec2(region).send(new DescribeAvailabilityZonesCommand({}));
    zones = (answer.AvailabilityZones ?? []).flatMap((zone) => (zone.ZoneName !== undefined ? [zone.ZoneName] : []));
  } catch (error) {
    const code = notServedCode(error);
    if (code === undefined) throw error;
    check.unchecked.push(`the Availability Zones declared for ${region}: ec2:DescribeAvailabilityZones is not served here (${code})`);
    return;
  }
  const missing = declared.zones.flatMap((zone, index) => (zones.includes(zone) ? [] : [{ zone, index }]));
  for (const { zone, index } of missing) {
    check.problems.push({
      fault: fault.name,
      file: declared.file,
      ...(declared.locations[index] ?? { line: 1, column: 1 }),
      path: formatPath(['regions', 'availabilityZones', region, index]),
      message: `${zone} is not an Availability Zone of ${region} in this account (ec2:DescribeAvailabilityZones lists ${zones.length > 0 ? zones.join(', ') : 'none'}); it fills \${gameday:AvailabilityZones}`,
    });
  }
  if (missing.length === 0) check.checked.push(`the Availability Zones declared for ${region}: ${declared.zones.join(', ')}, all in the account (ec2:DescribeAvailabilityZones)`);
}
