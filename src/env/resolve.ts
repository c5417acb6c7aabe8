import { UnknownAliasError, UnknownFaultError } from './errors.js';
import { didYouMean, listOf, withArticle } from './suggest.js';
import type { Environment, Fault, Resource, ResourceKind, ResourceOfKind } from './types.js';

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
