import { regionsOf, resolveAlias, type Environment, type ResourceKind } from '../env/index.js';
import { BadInputError } from '../errors.js';

/** What the static check of a scenario knows while it walks the steps in order. */
export interface CheckContext {
  env: Environment;
  /** Aliases created by earlier steps of the scenario (`… as "orders-db-restored"`). */
  created: Set<string>;
  /** The run gave --env: the environment a scenario names is then informational. */
  overridden?: boolean;
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
