import { BadInputError } from '../errors.js';
import { EnvironmentError, UnknownAliasError, UnknownFaultError } from './errors.js';
import { formatPath } from './source.js';
import { didYouMean, listOf, withArticle } from './suggest.js';
import type { AssumedRole, AwsEnvironment, Environment, EnvironmentProblem, Fault, Resource, ResourceKind, ResourceOfKind } from './types.js';

/** Aliases of the given kinds (all kinds when none are given), in file order. */
export function aliasesOf(env: Environment, kinds: readonly ResourceKind[] = []): string[] {
  return Object.values(env.resources)
    .filter((resource) => kinds.length === 0 || kinds.includes(resource.kind))
    .map((resource) => resource.alias);
}

/**
 * The resource a feature names. Throws UnknownAliasError, naming what was
 * typed and the aliases that would do, when there is no such alias or it is
 * of a kind the step cannot use.
 */
export function resolveAlias(env: Environment, alias: string): Resource;
export function resolveAlias<K extends ResourceKind>(env: Environment, alias: string, expectedKinds: readonly K[]): ResourceOfKind<K>;
export function resolveAlias(env: Environment, alias: string, expectedKinds: readonly ResourceKind[] = []): Resource {
  const known = aliasesOf(env, expectedKinds);
  const what = expectedKinds.length === 0 ? 'aliases' : `${expectedKinds.join(' or ')} aliases`;
  const where = `environment ${JSON.stringify(env.name)} (${env.file})`;
  const resource = Object.hasOwn(env.resources, alias) ? env.resources[alias] : undefined;
  if (!resource) {
    const message = `unknown alias ${JSON.stringify(alias)} in ${where}${didYouMean(alias, known)}; known ${what}: ${listOf(known)}`;
    throw new UnknownAliasError(message, alias, env.name, expectedKinds, known);
  }
  if (expectedKinds.length > 0 && !expectedKinds.includes(resource.kind)) {
    const message =
      `${JSON.stringify(alias)} in ${where} is ${withArticle(resource.kind)}, but this step needs ${expectedKinds.map(withArticle).join(' or ')}; ` +
      `known ${what}: ${listOf(known)}`;
    throw new UnknownAliasError(message, alias, env.name, expectedKinds, known, resource.kind);
  }
  return resource;
}

/** The fault a feature names (`the FIS experiment "…" runs`). */
export function resolveFault(env: Environment, name: string): Fault {
  const fault = Object.hasOwn(env.faults, name) ? env.faults[name] : undefined;
  if (fault) return fault;
  const known = Object.keys(env.faults);
  const message = `unknown fault ${JSON.stringify(name)} in environment ${JSON.stringify(env.name)} (${env.file})${didYouMean(name, known)}; known faults: ${listOf(known)}`;
  throw new UnknownFaultError(message, name, env.name, known);
}


/** The environment's regions: the primary first, then the secondary if there is one. */
export function regionsOf(env: Environment): string[] {
  return [env.regions.primary, ...(env.regions.secondary ? [env.regions.secondary] : [])];
}

/** A problem at `path` in the environment's file, at the line the loader recorded for it (the file alone otherwise). */
export function problemAt(env: Environment, path: readonly string[], message: string): EnvironmentProblem {
  const key = formatPath(path);
  const at = env.locations?.[key];
  return { file: env.file, line: at?.line ?? 0, column: at?.column ?? 0, path: key, message };
}

/**
 * The EC2 Auto Scaling group of a service's fleet in a region: the one the
 * deployment names, or on the sim `<alias>-<region>` (the group the sim
 * seeds). On aws a deployment without one cannot be scaled: an
 * EnvironmentError (bad input) pointing at the deployment says what to add.
 */
export function autoScalingGroupOf(env: Environment, serviceAlias: string, region: string): string {
  const api = resolveAlias(env, serviceAlias, ['orders-api']);
  const deployment = Object.hasOwn(api.regions, region) ? api.regions[region] : undefined;
  if (!deployment) {
    throw new BadInputError(`${env.file}: ${serviceAlias} does not run in ${region} (its regions: ${Object.keys(api.regions).join(', ')})`);
  }
  if (deployment.autoScalingGroup !== undefined) return deployment.autoScalingGroup;
  if (env.target === 'sim') return `${serviceAlias}-${region}`;
  throw new EnvironmentError([
    problemAt(
      env,
      ['resources', serviceAlias, 'regions', region],
      `scaling ${serviceAlias} in ${region} on AWS goes through its EC2 Auto Scaling group, which this deployment does not name; add autoScalingGroup: <the group's name>`,
    ),
  ]);
}

/** The role an aws environment assumes to act as `name`; BadInputError naming the file and the roles it declares otherwise. */
export function assumedRoleOf(env: AwsEnvironment, name: string): AssumedRole {
  const role = Object.hasOwn(env.roles, name) ? env.roles[name] : undefined;
  if (role) return role;
  const known = Object.keys(env.roles);
  const declared = known.length > 0 ? `it declares ${listOf(known)}` : 'it declares none (add roles: { <name>: <role ARN> })';
  throw new BadInputError(`${env.file}: acting as "${name}" on AWS needs a role to assume under roles${didYouMean(name, known)}; ${declared}`);
}
