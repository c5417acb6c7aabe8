import { defaultCalibration } from '../sim/calibration.js';
import { DEFAULT_ROLE } from '../sim/world.js';
import type { FaultEntry, ResourceEntry, SimEntry } from './schema.js';
import type { SourceText } from './source.js';
import { didYouMean, listOf, withArticle } from './suggest.js';
import type { EnvironmentProblem, Regions } from './types.js';

/**
 * What of the file parsed, section by section and entry by entry, so one
 * broken resource does not hide a dangling reference in another: every
 * problem in the file is reported in one go.
 */
export interface Parts {
  target?: 'sim' | 'aws';
  /** Whether the file has the key at all (its value may still be invalid). */
  hasAllowedAccountIds: boolean;
  allowedAccountIds?: string[];
  regions?: Regions;
  /** Valid resource entries, by alias, in file order. */
  resources: Map<string, ResourceEntry>;
  /** The `kind` every alias claims, valid or not, so references to a broken entry do not also read as dangling. */
  claimedKinds: Map<string, unknown>;
  faults: Map<string, FaultEntry>;
  stopConditions: Map<number, { alarm: string }>;
  hasSim: boolean;
  sim: Partial<SimEntry>;
}

/** The accounts ARNs in this environment may name, and how to say so. */
export interface AccountScope {
  accounts: readonly string[];
  describe: string;
}

export function accountScope(parts: Parts): AccountScope | undefined {
  if (parts.target === 'aws') {
    const accounts = parts.allowedAccountIds;
    return accounts ? { accounts, describe: `one of allowedAccountIds (${accounts.join(', ')})` } : undefined;
  }
  const account = parts.sim.accountId;
  if (parts.target !== 'sim' || account === undefined) return undefined;
  return { accounts: [account], describe: `the sim's account ${account} (sim.accountId)` };
}

/** Cross-references and rules that span sections. Shape errors are zod's, reported before this runs. */
export function checkEnvironment(parts: Parts, source: SourceText): EnvironmentProblem[] {
  return [
    ...checkTarget(parts, source),
    ...checkRegions(parts, source),
    ...checkResources(parts, source),
    ...checkSim(parts, source),
    ...checkStopConditions(parts, source),
    ...checkFaultRegions(parts, source),
  ];
}

function checkTarget(parts: Parts, source: SourceText): EnvironmentProblem[] {
  const problems: EnvironmentProblem[] = [];
  if (parts.target === 'aws' && !parts.hasAllowedAccountIds) {
    problems.push(
      source.problem(
        ['target'],
        'an aws environment needs allowedAccountIds: the account guard refuses to run against an account the environment does not name',
      ),
    );
  }
  if (parts.target === 'aws' && parts.hasSim) {
    problems.push(source.problem(['sim'], 'the sim section is only for target sim; this environment targets aws'));
  }
  return problems;
}

function regionList(regions: Regions): string {
  return regions.secondary ? `${regions.primary} or ${regions.secondary}` : regions.primary;
}

/** A problem if `region` is not one of the environment's regions. */
function outsideRegions(parts: Parts, source: SourceText, path: readonly PropertyKey[], region: string): EnvironmentProblem[] {
  const regions = parts.regions;
  if (!regions || region === regions.primary || region === regions.secondary) return [];
  return [source.problem(path, `${region} is not a region of this environment (regions: ${regionList(regions)})`)];
}

function checkRegions(parts: Parts, source: SourceText): EnvironmentProblem[] {
  const regions = parts.regions;
  if (regions?.secondary !== undefined && regions.secondary === regions.primary) {
    return [source.problem(['regions', 'secondary'], `the secondary region must differ from the primary (${regions.primary})`)];
  }
  return [];
}

function checkResources(parts: Parts, source: SourceText): EnvironmentProblem[] {
  const problems: EnvironmentProblem[] = [];
  const identifiers = new Map<string, string>();
  const instances = [...parts.resources].filter(([, r]) => r.kind === 'rds-instance').map(([alias]) => alias);

  for (const [alias, resource] of parts.resources) {
    const at = (...path: PropertyKey[]) => ['resources', alias, ...path];
    problems.push(...outsideRegions(parts, source, at('region'), resource.region));

    // DBInstanceIdentifier is unique per account and region, and case-insensitive.
    const identity = `${resource.region}/${resource.identifier.toLowerCase()}`;
    const owner = identifiers.get(identity);
    if (owner !== undefined) {
      problems.push(
        source.problem(
          at('identifier'),
          `${resource.identifier} is already the identifier of ${owner} in ${resource.region}; RDS identifiers are unique per account and region`,
        ),
      );
    } else {
      identifiers.set(identity, alias);
    }

    if (resource.kind === 'rds-read-replica') problems.push(...checkReplicaSource(parts, source, alias, resource.source, instances));
    problems.push(...checkSubnetGroup(parts, source, alias, resource));
  }
  return problems;
}

function checkReplicaSource(
  parts: Parts,
  source: SourceText,
  alias: string,
  sourceAlias: string,
  instances: readonly string[],
): EnvironmentProblem[] {
  const path = ['resources', alias, 'source'];
  if (!parts.claimedKinds.has(sourceAlias)) {
    return [
      source.problem(
        path,
        `no resource is called ${JSON.stringify(sourceAlias)}${didYouMean(sourceAlias, instances)}; rds-instance aliases: ${listOf(instances)}`,
      ),
    ];
  }
  const kind = parts.claimedKinds.get(sourceAlias);
  if (kind !== 'rds-instance') {
    const what = typeof kind === 'string' ? withArticle(kind) : 'not an rds-instance';
    return [
      source.problem(
        path,
        `${JSON.stringify(sourceAlias)} is ${what}; a read replica's source must be an rds-instance (rds-instance aliases: ${listOf(instances)})`,
      ),
    ];
  }
  const primary = parts.resources.get(sourceAlias);
  if (primary?.kind === 'rds-instance' && primary.backupRetentionDays === 0) {
    return [
      source.problem(
        path,
        `${sourceAlias} has backupRetentionDays 0; RDS creates read replicas only from instances with automated backups`,
      ),
    ];
  }
  return [];
}

/**
 * On the sim the environment is the whole network, so a DB subnet group must
 * name subnets it declares. On aws the subnets exist already and RDS checks them.
 */
function checkSubnetGroup(parts: Parts, source: SourceText, alias: string, resource: ResourceEntry): EnvironmentProblem[] {
  if (parts.target !== 'sim' || resource.subnetIds.length === 0 || !parts.sim.subnets) return [];
  const declared = parts.sim.subnets[resource.region] ?? [];
  const problems: EnvironmentProblem[] = [];
  const zones = new Set<string>();
  resource.subnetIds.forEach((id, index) => {
    const subnet = declared.find((s) => s.id === id);
    if (subnet) {
      zones.add(subnet.availabilityZone);
      return;
    }
    problems.push(
      source.problem(
        ['resources', alias, 'subnetIds', index],
        `${id} is not one of the sim's subnets in ${resource.region} (sim.subnets.${resource.region}: ${listOf(declared.map((s) => s.id))})`,
      ),
    );
  });
  if (problems.length === 0 && zones.size < 2) {
    problems.push(
      source.problem(
        ['resources', alias, 'subnetIds'],
        `a DB subnet group needs subnets in at least two Availability Zones; these are all in ${[...zones].join(', ')}`,
      ),
    );
  }
  return problems;
}

function checkSim(parts: Parts, source: SourceText): EnvironmentProblem[] {
  const problems: EnvironmentProblem[] = [];
  const sim = parts.sim;

  const seen = new Map<string, string>();
  for (const [region, subnets] of Object.entries(sim.subnets ?? {})) {
    problems.push(...outsideRegions(parts, source, ['sim', 'subnets', region], region));
    subnets.forEach((subnet, index) => {
      const at = ['sim', 'subnets', region, index];
      const zoneRegion = subnet.availabilityZone.slice(0, -1);
      if (zoneRegion !== region) {
        problems.push(source.problem([...at, 'availabilityZone'], `${subnet.availabilityZone} is not in ${region}`));
      }
      const first = seen.get(subnet.id);
      if (first !== undefined) problems.push(source.problem([...at, 'id'], `${subnet.id} is declared twice (first in ${first})`));
      else seen.set(subnet.id, region);
    });
  }

  if (sim.identities && sim.roles) {
    const roles = [DEFAULT_ROLE, ...sim.roles];
    for (const [key, role] of Object.entries(sim.identities)) {
      if (!roles.includes(role)) {
        problems.push(
          source.problem(['sim', 'identities', key], `role ${JSON.stringify(role)} is not in sim.roles${didYouMean(role, roles)}; roles: ${listOf(roles)}`),
        );
      }
    }
  }

  for (const [key, override] of Object.entries(sim.calibration ?? {})) {
    const fallback = defaultCalibration[key as keyof typeof defaultCalibration];
    const min = override.minSeconds ?? fallback.minSeconds;
    const max = override.maxSeconds ?? fallback.maxSeconds;
    if (min <= max) continue;
    const which = (given: number | undefined) => (given === undefined ? ' (the default)' : '');
    problems.push(
      source.problem(
        ['sim', 'calibration', key],
        `minSeconds ${min}${which(override.minSeconds)} is greater than maxSeconds ${max}${which(override.maxSeconds)}`,
      ),
    );
  }
  return problems;
}

function checkStopConditions(parts: Parts, source: SourceText): EnvironmentProblem[] {
  const scope = accountScope(parts);
  const problems: EnvironmentProblem[] = [];
  for (const [index, condition] of parts.stopConditions) {
    const [, , , region = '', account = ''] = condition.alarm.split(':');
    const path = ['stopConditions', index, 'alarm'];
    problems.push(...outsideRegions(parts, source, path, region));
    if (scope && !scope.accounts.includes(account)) {
      problems.push(source.problem(path, `the alarm is in account ${account}, not ${scope.describe}`));
    }
  }
  return problems;
}

function checkFaultRegions(parts: Parts, source: SourceText): EnvironmentProblem[] {
  return [...parts.faults].flatMap(([name, fault]) =>
    fault.region === undefined ? [] : outsideRegions(parts, source, ['faults', name, 'region'], fault.region),
  );
}

