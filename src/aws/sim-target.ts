import type { SchedulingClock } from '../clock/types.js';
import type { Environment, SimEnvironment } from '../env/index.js';
import { BadInputError } from '../errors.js';
import { createSimulator, type Simulator } from '../sim/index.js';
import { DEFAULT_ROLE } from '../sim/world.js';
import type { CloudWatchModule } from '../sim/services/cloudwatch/index.js';
import type { NetworkModule } from '../sim/services/network/index.js';
import type { RdsModule } from '../sim/services/rds/index.js';

/** Virtual t = 0 of every sim run: a Monday morning game day. Fixed, so runs are reproducible. */
export const SIM_START = Date.UTC(2026, 0, 5, 9, 0, 0);

export function requireSimEnvironment(env: Environment): SimEnvironment {
  if (env.target !== 'sim') {
    throw new BadInputError(`${env.file}: this environment targets "${env.target}", but the command runs on the simulator`);
  }
  return env;
}

export interface SimTargetOptions {
  clock: SchedulingClock;
  seed: number;
  env?: SimEnvironment;
}

/**
 * The simulated AWS account an environment describes, in its steady state at
 * t = 0: resources exist and are available, replicas in sync, backups as far
 * back as retention implies, the stop-condition alarms in OK.
 */
export function buildSimulator({ clock, seed, env }: SimTargetOptions): Simulator {
  const sim = createSimulator({
    clock,
    seed,
    ...(env ? { accountId: env.sim.accountId, calibration: env.sim.calibration, identities: env.sim.identities } : {}),
  });
  if (env) seedEnvironment(sim, env);
  return sim;
}

function seedEnvironment(sim: Simulator, env: SimEnvironment): void {
  const { world } = sim;
  const network = world.module<NetworkModule>('network');
  for (const subnet of env.sim.subnets) {
    network.addSubnet({ id: subnet.id, region: subnet.region, az: subnet.availabilityZone, tags: { ...subnet.tags } });
  }
  for (const role of new Set([DEFAULT_ROLE, ...env.sim.roles])) network.addRole(role);

  const cloudwatch = world.module<CloudWatchModule>('cloudwatch');
  for (const condition of env.stopConditions) {
    const [, , , region, , , name] = condition.value.split(':');
    if (region && name) cloudwatch.putAlarm({ region, name });
  }

  const rds = world.module<RdsModule>('rds').model;
  for (const resource of Object.values(env.resources)) {
    if (resource.kind !== 'rds-instance') continue;
    rds.seedInstance({
      identifier: resource.identifier,
      region: resource.region,
      engine: resource.engine,
      ...(resource.engineVersion ? { engineVersion: resource.engineVersion } : {}),
      instanceClass: resource.instanceClass,
      allocatedStorage: resource.allocatedStorageGiB,
      multiAZ: resource.multiAZ,
      ...(resource.availabilityZone ? { availabilityZone: resource.availabilityZone } : {}),
      backupRetentionDays: resource.backupRetentionDays,
      tags: { ...resource.tags },
      subnetIds: [...resource.subnetIds],
    });
  }
  // Replicas after every source exists, whatever the file's order.
  for (const resource of Object.values(env.resources)) {
    if (resource.kind !== 'rds-read-replica') continue;
    const source = env.resources[resource.source];
    if (source?.kind !== 'rds-instance') continue; // the loader already refused this
    rds.seedReadReplica({
      identifier: resource.identifier,
      region: resource.region,
      source: { identifier: source.identifier, region: source.region },
      instanceClass: resource.instanceClass,
      multiAZ: resource.multiAZ,
      tags: { ...resource.tags },
      subnetIds: [...resource.subnetIds],
    });
  }
}
