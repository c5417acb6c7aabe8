import { assumedRoleOf, regionsOf, resolveAlias, type ResourceKind } from '../env/index.js';
import { BadInputError } from '../errors.js';
import type { CheckContext } from './types.js';

/** A step argument names a resource of one of these kinds (any kind when none), or one an earlier step created. */
export function alias(kinds: readonly ResourceKind[] = []) {
  return (name: string, { env, created }: CheckContext): void => {
    if (created.has(name)) return;
    resolveAlias(env, name, kinds);
  };
}

/** A step argument names one of the environment's regions. */
export function region(name: string, { env }: CheckContext): void {
  const known = regionsOf(env);
  if (!known.includes(name)) {
    throw new BadInputError(`"${name}" is not one of the environment's regions (${known.join(', ')})`);
  }
}

/** A step argument is an interval at which something repeats: zero would never let time pass. */
export function interval(seconds: number, what: string): void {
  if (!(seconds > 0)) throw new BadInputError(`${what} must be written at an interval above zero`);
}

/** An RTO finer than the probes sample cannot be told from one a sample later: say so before the run. */
export function rtoResolution(seconds: number, { env, warn }: CheckContext): void {
  const resolution = env.probes.resolutionSeconds;
  if (seconds < resolution) {
    warn(`an RTO of ${seconds} s is finer than the probes' resolution of ${resolution} s (probes.resolutionSeconds in ${env.file}): recovery is measured to within ${resolution} s`);
  }
}

/**
 * On a real account canaries write through the orders API (README: canary
 * endpoint contract), so an RDS database takes orders only where an
 * orders-api deployment uses it. A DynamoDB table is written with the SDK.
 */
export function canaryReachable(name: string, { env, created }: CheckContext): void {
  if (env.target !== 'aws' || created.has(name)) return;
  const resource = env.resources[name];
  if (resource?.kind !== 'rds-instance' && resource?.kind !== 'rds-read-replica' && resource?.kind !== 'rds-cluster') return;
  const served = Object.values(env.resources).some((r) => r.kind === 'orders-api' && Object.values(r.regions).some((d) => d.database === resource.alias));
  if (!served) {
    throw new BadInputError(
      `${env.file}: on the aws target orders reach "${name}" only through the orders API that uses it (README: canary endpoint contract), and no orders-api deployment names it as its database`,
    );
  }
}

/** The sim acts as a role through an access key of sim.identities; aws assumes the role the environment declares under roles. */
export function knownRole(name: string, { env }: CheckContext): void {
  if (env.target === 'aws') {
    assumedRoleOf(env, name);
    return;
  }
  if (!Object.values(env.sim.identities).includes(name)) {
    throw new BadInputError(`no access key under sim.identities acts as the role "${name}" (roles with keys: ${[...new Set(Object.values(env.sim.identities))].join(', ')})`);
  }
}
