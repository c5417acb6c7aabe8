import { regionsOf, resolveAlias, type Environment, type ResourceKind } from '../env/index.js';
import { BadInputError } from '../errors.js';

/** What the static check of a scenario knows while it walks the steps in order. */
export interface CheckContext {
  env: Environment;
  /** Aliases created by earlier steps of the scenario (`… as "orders-db-restored"`). */
  created: Set<string>;
  /** The run gave --env: the environment a scenario names is then informational. */
  overridden?: boolean;
  /** Note something that will not stop the run but deserves a look (shown with the step's file:line). */
  warn: (message: string) => void;
}

/** A step argument names a resource of one of these kinds (any kind when none), or one an earlier step created. */
export function alias(kinds: readonly ResourceKind[] = []) {
  return (name: unknown, { env, created }: CheckContext): void => {
    if (created.has(String(name))) return;
    resolveAlias(env, String(name), kinds);
  };
}

/** A step argument names one of the environment's regions. */
export function region(name: unknown, { env }: CheckContext): void {
  const known = regionsOf(env);
  if (!known.includes(String(name))) {
    throw new BadInputError(`"${String(name)}" is not one of the environment's regions (${known.join(', ')})`);
  }
}

/** A step argument is an interval at which something repeats: zero would never let time pass. */
export function interval(seconds: unknown, what: string): void {
  if (typeof seconds !== 'number' || !(seconds > 0)) throw new BadInputError(`${what} must be written at an interval above zero`);
}

/** An RTO finer than the probes sample cannot be told from one a sample later: say so before the run. */
export function rtoResolution(seconds: unknown, { env, warn }: CheckContext): void {
  const resolution = env.probes.resolutionSeconds;
  if (typeof seconds === 'number' && seconds < resolution) {
    warn(`an RTO of ${seconds} s is finer than the probes' resolution of ${resolution} s (probes.resolutionSeconds in ${env.file}): recovery is measured to within ${resolution} s`);
  }
}

/**
 * On a real account canaries write through the orders API (README: canary
 * endpoint contract), so an RDS database takes orders only where an
 * orders-api deployment uses it. A DynamoDB table is written with the SDK.
 */
export function canaryReachable(name: unknown, { env, created }: CheckContext): void {
  if (env.target !== 'aws' || created.has(String(name))) return;
  const resource = env.resources[String(name)];
  if (resource?.kind !== 'rds-instance' && resource?.kind !== 'rds-read-replica' && resource?.kind !== 'rds-cluster') return;
  const served = Object.values(env.resources).some((r) => r.kind === 'orders-api' && Object.values(r.regions).some((d) => d.database === resource.alias));
  if (!served) {
    throw new BadInputError(
      `${env.file}: on the aws target orders reach "${String(name)}" only through the orders API that uses it (README: canary endpoint contract), and no orders-api deployment names it as its database`,
    );
  }
}
