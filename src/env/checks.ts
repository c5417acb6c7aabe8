import { defaultCalibration } from '../sim/calibration.js';
import { regionZones } from '../sim/services/ec2/zones.js';
import { DEFAULT_ROLE } from '../sim/world.js';
import type { FaultEntry, ResourceEntry, SimEntry } from './schema.js';
import type { SourceText } from './source.js';
import { didYouMean, listOf, withArticle } from './suggest.js';
import type { EnvironmentProblem, Regions } from './types.js';

/** A valid resource entry of one kind (the schema's output, before build adds the alias). */
export type EntryOfKind<K extends ResourceEntry['kind']> = Extract<ResourceEntry, { kind: K }>;

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
  /** Whether the file has the key at all. */
  hasRoles: boolean;
  /** Valid role entries, by name, and whether each was written as a bare ARN or as a mapping. */
  roles: Map<string, { roleArn: string; externalId?: string; written: 'arn' | 'object' }>;
  hasHttpVia: boolean;
  hasRequireTag: boolean;
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
    ...checkRoles(parts, source),
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
  if (parts.target !== 'aws' && parts.hasRequireTag) {
    problems.push(source.problem(['requireTag'], 'requireTag guards a real account (target aws); the sim has nothing to protect'));
  }
  if (parts.target !== 'aws' && parts.hasHttpVia) {
    problems.push(source.problem(['httpVia'], "httpVia is for target aws (a rehearsal against gameday sim serve); the sim's own clients reach its orders service already"));
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
  const problems: EnvironmentProblem[] = [];
  if (regions?.secondary !== undefined && regions.secondary === regions.primary) {
    problems.push(source.problem(['regions', 'secondary'], `the secondary region must differ from the primary (${regions.primary})`));
  }
  for (const [region, zones] of Object.entries(regions?.availabilityZones ?? {})) {
    const at = ['regions', 'availabilityZones', region];
    problems.push(...outsideRegions(parts, source, at, region));
    // On aws the dry run asks the account whether the zones exist (harness/template-zones.ts); the sim's are known now.
    const onSim = parts.target === 'sim' ? simZones(parts, region) : undefined;
    zones.forEach((zone, index) => {
      if (zone.slice(0, -1) !== region) problems.push(source.problem([...at, index], `${zone} is not in ${region}`));
      else if (zones.indexOf(zone) !== index) problems.push(source.problem([...at, index], `${zone} is listed twice for ${region}`));
      else if (onSim && !onSim.includes(zone)) {
        problems.push(source.problem([...at, index], `the sim has no ${zone}: its zones of ${region} are ${onSim.join(', ')} (a sim subnet in another zone adds that zone)`));
      }
    });
  }
  return problems;
}

/** The sim's zones of `region` as this environment seeds it: the sim's own (sim/services/ec2/zones.ts), and those of its subnets there. */
export function simZones(parts: Pick<Parts, 'sim'>, region: string): string[] {
  return regionZones(region, (parts.sim.subnets?.[region] ?? []).map((subnet) => subnet.availabilityZone));
}

/** Who owns an identifier, and where its uniqueness applies. */
interface Identity {
  identifier: string;
  /** What must be unique: `rds/us-east-1/securecart-orders`. */
  key: string;
  /** How the rule reads: "RDS identifiers are unique per account and region". */
  rule: string;
  /** Where the clash is, for the message: `in us-east-1`, or empty for a global name. */
  where: string;
  /** Where in the resource the identifier is written; `identifier` unless said. */
  path?: PropertyKey[];
}

function identitiesOf(resource: ResourceEntry): Identity[] {
  switch (resource.kind) {
    case 'rds-instance':
    case 'rds-read-replica':
      // DBInstanceIdentifier is unique per account and region, and case-insensitive.
      return [
        {
          identifier: resource.identifier,
          key: `rds/${resource.region}/${resource.identifier.toLowerCase()}`,
          rule: 'RDS identifiers are unique per account and region',
          where: ` in ${resource.region}`,
        },
      ];
    case 'rds-cluster':
      // DBClusterIdentifier is unique per account and region; its instances share the namespace of every DB instance.
      return [
        {
          identifier: resource.identifier,
          key: `rds-cluster/${resource.region}/${resource.identifier.toLowerCase()}`,
          rule: 'RDS cluster identifiers are unique per account and region',
          where: ` in ${resource.region}`,
        },
        ...[resource.writer, ...resource.readers].map((instance, i) => ({
          identifier: instance.identifier,
          key: `rds/${resource.region}/${instance.identifier.toLowerCase()}`,
          rule: 'RDS identifiers are unique per account and region',
          where: ` in ${resource.region}`,
          path: i === 0 ? ['writer', 'identifier'] : ['readers', i - 1, 'identifier'],
        })),
      ];
    case 'dynamodb-table':
      // A global table takes its name in every replica region.
      return [...new Set([resource.region, ...resource.replicaRegions])].map((region) => ({
        identifier: resource.identifier,
        key: `dynamodb/${region}/${resource.identifier}`,
        rule: 'DynamoDB table names are unique per account and region (a global table takes its name in every replica region)',
        where: ` in ${region}`,
      }));
    case 's3-bucket':
      return [{ identifier: resource.identifier, key: `s3/${resource.identifier}`, rule: 'S3 bucket names are globally unique', where: '' }];
    case 'ebs-volume':
      return [{ identifier: resource.identifier, key: `ebs/${resource.region}/${resource.identifier}`, rule: 'EBS volume ids are unique per region', where: ` in ${resource.region}` }];
    case 'backup-plan':
      return [
        {
          identifier: resource.identifier,
          key: `backup-plan/${resource.region}/${resource.identifier}`,
          rule: 'AWS Backup plan names are unique per account and region',
          where: ` in ${resource.region}`,
        },
      ];
    case 'dns-failover-record':
      return [
        {
          identifier: resource.identifier,
          key: `dns/${resource.identifier.toLowerCase()}`,
          rule: 'a record name has one failover pair',
          where: '',
        },
      ];
    case 'orders-api':
      return [];
    case 'backup-framework':
      return [
        {
          identifier: resource.identifier,
          key: `backup-framework/${resource.region}/${resource.identifier}`,
          rule: 'Backup Audit Manager framework names are unique per account and region',
          where: ` in ${resource.region}`,
        },
        {
          identifier: resource.report.plan,
          key: `backup-report-plan/${resource.region}/${resource.report.plan}`,
          rule: 'Backup Audit Manager report plan names are unique per account and region',
          where: ` in ${resource.region}`,
          path: ['report', 'plan'],
        },
      ];
    case 'drs-source-servers':
      // DRS tells a region's source servers apart by hostname, so a game day can find each.
      return resource.servers.map((server, i) => ({
        identifier: server.hostname,
        key: `drs/${resource.region}/${server.hostname.toLowerCase()}`,
        rule: 'a hostname names one source server per DRS region',
        where: ` in ${resource.region}`,
        path: ['servers', i, 'hostname'],
      }));
  }
}

function checkResources(parts: Parts, source: SourceText): EnvironmentProblem[] {
  const problems: EnvironmentProblem[] = [];
  const identifiers = new Map<string, string>();
  const endpoints = new Map<string, string>();
  const groups = new Map<string, string>();

  for (const [alias, resource] of parts.resources) {
    const at = (...path: PropertyKey[]) => ['resources', alias, ...path];
    if ('region' in resource) problems.push(...outsideRegions(parts, source, at('region'), resource.region));

    for (const identity of identitiesOf(resource)) {
      const owner = identifiers.get(identity.key);
      if (owner !== undefined) {
        const what = resource.kind === 'dns-failover-record' ? 'the record name' : 'the identifier';
        problems.push(source.problem(at(...(identity.path ?? ['identifier'])), `${identity.identifier} is already ${what} of ${owner}${identity.where}; ${identity.rule}`));
        break;
      }
      identifiers.set(identity.key, alias);
    }

    switch (resource.kind) {
      case 'rds-instance':
        problems.push(...checkSubnetGroup(parts, source, alias, resource));
        break;
      case 'rds-read-replica':
        problems.push(...checkReplicaSource(parts, source, alias, resource.source, aliasesOfKind(parts, 'rds-instance')));
        problems.push(...checkSubnetGroup(parts, source, alias, resource));
        break;
      case 'rds-cluster': {
        const zones = checkClusterZones(source, alias, resource);
        problems.push(...zones);
        const group = checkSubnetGroup(parts, source, alias, resource);
        problems.push(...group);
        if (zones.length === 0 && group.length === 0) problems.push(...checkClusterSubnets(parts, source, alias, resource));
        break;
      }
      case 'dynamodb-table':
        problems.push(...checkTableReplicas(parts, source, alias, resource));
        break;
      case 's3-bucket':
        if (resource.replication) problems.push(...checkBucketReplication(parts, source, alias, resource));
        break;
      case 'ebs-volume':
        problems.push(...checkVolume(source, alias, resource));
        break;
      case 'backup-plan':
        problems.push(...checkBackupPlan(parts, source, alias, resource));
        break;
      case 'orders-api':
        for (const [region, deployment] of Object.entries(resource.regions)) {
          problems.push(...outsideRegions(parts, source, at('regions', region), region));
          problems.push(
            ...checkReference(parts, source, at('regions', region, 'database'), deployment.database, ['rds-instance', 'rds-read-replica', 'rds-cluster'], "an orders-api's database"),
          );
          const taken = endpoints.get(deployment.endpoint);
          if (taken !== undefined) {
            problems.push(source.problem(at('regions', region, 'endpoint'), `${deployment.endpoint} is already the endpoint of ${taken}; each regional endpoint has one name`));
          } else {
            endpoints.set(deployment.endpoint, `${alias} in ${region}`);
          }
          // The sim seeds one group per deployment, named `<alias>-<region>` unless the file says.
          const group = deployment.autoScalingGroup ?? (parts.target === 'sim' ? `${alias}-${region}` : undefined);
          if (group !== undefined) {
            const key = `${region}/${group}`;
            const owner = groups.get(key);
            if (owner !== undefined) {
              const path = deployment.autoScalingGroup !== undefined ? at('regions', region, 'autoScalingGroup') : at('regions', region);
              problems.push(source.problem(path, `${group} is already the Auto Scaling group of ${owner}; group names are unique per account and region`));
            } else {
              groups.set(key, `${alias} in ${region}`);
            }
          }
        }
        break;
      case 'dns-failover-record':
        problems.push(...checkFailoverRecord(parts, source, alias, resource));
        break;
      case 'backup-framework':
        problems.push(...checkReference(parts, source, at('report', 'bucket'), resource.report.bucket, ['s3-bucket'], "a framework's report bucket"));
        break;
      case 'drs-source-servers':
        problems.push(...outsideRegions(parts, source, at('sourceRegion'), resource.sourceRegion));
        if (resource.sourceRegion === resource.region) {
          problems.push(source.problem(at('region'), `the servers run in ${resource.region} and would recover there too; DRS recovers into another region (usually the secondary)`));
        }
        break;
    }
  }
  return problems;
}

/** `a`, `a or b`, `a, b or c`. */
function eitherOf(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)!}`;
}

/** Aliases of valid entries of the given kinds, in file order. */
function aliasesOfKind(parts: Parts, ...kinds: ResourceEntry['kind'][]): string[] {
  return [...parts.resources].filter(([, r]) => kinds.includes(r.kind)).map(([alias]) => alias);
}

/**
 * A problem if `target` names no resource, or one of another kind. `role`
 * says what the reference is for: "a replication destination".
 */
function checkReference(
  parts: Parts,
  source: SourceText,
  path: readonly PropertyKey[],
  target: string,
  kinds: readonly ResourceEntry['kind'][],
  role: string,
): EnvironmentProblem[] {
  const candidates = aliasesOfKind(parts, ...kinds);
  const kindList = eitherOf(kinds);
  if (!parts.claimedKinds.has(target)) {
    return [
      source.problem(path, `no resource is called ${JSON.stringify(target)}${didYouMean(target, candidates)}; ${kindList} aliases: ${listOf(candidates)}`),
    ];
  }
  const kind = parts.claimedKinds.get(target);
  if (typeof kind === 'string' && !(kinds as readonly string[]).includes(kind)) {
    const needs = eitherOf(kinds.map(withArticle));
    return [source.problem(path, `${JSON.stringify(target)} is ${withArticle(kind)}; ${role} must be ${needs} (${kindList} aliases: ${listOf(candidates)})`)];
  }
  return [];
}

function checkTableReplicas(parts: Parts, source: SourceText, alias: string, table: EntryOfKind<'dynamodb-table'>): EnvironmentProblem[] {
  const problems: EnvironmentProblem[] = [];
  const seen = new Set<string>();
  table.replicaRegions.forEach((region, index) => {
    const path = ['resources', alias, 'replicaRegions', index];
    if (region === table.region) {
      problems.push(source.problem(path, `${region} is the table's own region; replicaRegions lists only the other regions of the global table`));
    } else if (seen.has(region)) {
      problems.push(source.problem(path, `${region} is listed twice`));
    } else {
      problems.push(...outsideRegions(parts, source, path, region));
    }
    seen.add(region);
  });
  return problems;
}

function checkBucketReplication(parts: Parts, source: SourceText, alias: string, bucket: EntryOfKind<'s3-bucket'>): EnvironmentProblem[] {
  const replication = bucket.replication!;
  const at = (...path: PropertyKey[]) => ['resources', alias, ...path];
  const problems: EnvironmentProblem[] = [];
  if (!bucket.versioning) {
    problems.push(
      source.problem(Object.hasOwn(rawEntry(source, alias), 'versioning') ? at('versioning') : at('replication'), 'S3 replicates only from a versioned bucket: set versioning: true'),
    );
  }
  const reference = checkReference(parts, source, at('replication', 'destination'), replication.destination, ['s3-bucket'], 'a replication destination');
  problems.push(...reference);
  const destination = parts.resources.get(replication.destination);
  if (reference.length > 0 || destination?.kind !== 's3-bucket') return problems;
  if (destination.region === bucket.region) {
    problems.push(
      source.problem(
        at('replication', 'destination'),
        `${replication.destination} is in ${bucket.region} too; cross-region replication needs a destination in another region`,
      ),
    );
  }
  if (!destination.versioning) {
    problems.push(source.problem(at('replication', 'destination'), `${replication.destination} is not versioned; S3 replicates only to a versioned bucket`));
  }
  if (parts.target === 'sim' && replicationLeadsBack(parts, alias)) {
    problems.push(
      source.problem(
        at('replication', 'destination'),
        `replication from ${alias} leads back to it; the simulator seeds each destination before its source, so it cannot seed replication in a cycle`,
      ),
    );
  }
  return problems;
}

function replicationLeadsBack(parts: Parts, start: string): boolean {
  const seen = new Set<string>();
  let current = parts.resources.get(start);
  while (current?.kind === 's3-bucket' && current.replication) {
    const next = current.replication.destination;
    if (next === start) return true;
    if (seen.has(next)) return false;
    seen.add(next);
    current = parts.resources.get(next);
  }
  return false;
}

/** EBS's size limits per volume type, in GiB. */
export const ebsSizeLimits: Readonly<Record<EntryOfKind<'ebs-volume'>['volumeType'], { min: number; max: number }>> = {
  gp3: { min: 1, max: 65536 },
  gp2: { min: 1, max: 16384 },
  io2: { min: 4, max: 65536 },
  st1: { min: 125, max: 16384 },
};

function checkVolume(source: SourceText, alias: string, volume: EntryOfKind<'ebs-volume'>): EnvironmentProblem[] {
  const problems: EnvironmentProblem[] = [];
  if (volume.availabilityZone.slice(0, -1) !== volume.region) {
    problems.push(source.problem(['resources', alias, 'availabilityZone'], `${volume.availabilityZone} is not in ${volume.region}`));
  }
  const { min, max } = ebsSizeLimits[volume.volumeType];
  if (volume.sizeGiB < min || volume.sizeGiB > max) {
    problems.push(source.problem(['resources', alias, 'sizeGiB'], `a ${volume.volumeType} volume is ${min} to ${max} GiB, not ${volume.sizeGiB}`));
  }
  return problems;
}

/** The kinds AWS Backup protects, and those the sim's AWS Backup models (it has no S3 backups). */
const backupKinds = ['rds-instance', 'rds-read-replica', 'dynamodb-table', 'ebs-volume', 's3-bucket'] as const;
const simBackupKinds: readonly string[] = ['rds-instance', 'rds-read-replica', 'dynamodb-table', 'ebs-volume'];

/** The regions a resource is in: a global table is in each of its replicas' regions. */
function regionsOf(resource: ResourceEntry): string[] {
  if (resource.kind === 'dynamodb-table') return [resource.region, ...resource.replicaRegions];
  return 'region' in resource ? [resource.region] : [];
}

function checkBackupPlan(parts: Parts, source: SourceText, alias: string, plan: EntryOfKind<'backup-plan'>): EnvironmentProblem[] {
  const problems: EnvironmentProblem[] = [];
  const at = (...path: PropertyKey[]) => ['resources', alias, ...path];
  plan.rules.forEach((rule, index) => {
    if (rule.copyTo) problems.push(...outsideRegions(parts, source, at('rules', index, 'copyTo', 'region'), rule.copyTo.region));
    const names = plan.rules.slice(0, index).map((r) => r.name);
    if (names.includes(rule.name)) problems.push(source.problem(at('rules', index, 'name'), `${rule.name} is the name of an earlier rule; rule names are unique in a plan`));
  });

  const { tags, resources } = plan.selection;
  if (Object.keys(tags).length === 0 && resources.length === 0) {
    problems.push(source.problem(at('selection'), 'the selection selects nothing: give tags, resources or both'));
    return problems;
  }
  let referencesOk = true;
  resources.forEach((target, index) => {
    const path = at('selection', 'resources', index);
    const refs = checkReference(parts, source, path, target, backupKinds, 'a resource AWS Backup protects');
    problems.push(...refs);
    const resource = parts.resources.get(target);
    if (refs.length > 0 || !resource) {
      referencesOk = false;
      return;
    }
    if (!regionsOf(resource).includes(plan.region)) {
      referencesOk = false;
      problems.push(source.problem(path, `${target} is in ${regionsOf(resource).join(', ')}; a backup plan protects resources in its own region (${plan.region})`));
    } else if (parts.target === 'sim' && !simBackupKinds.includes(resource.kind)) {
      problems.push(source.problem(path, `the simulator's AWS Backup protects RDS, DynamoDB and EBS, not ${withArticle(resource.kind)}`));
    }
  });
  // On the sim the environment is the whole account, so a tag that matches nothing is a mistake to show now.
  if (parts.target === 'sim' && referencesOk && resources.length === 0) {
    const selected = [...parts.resources.values()].some(
      (r) => simBackupKinds.includes(r.kind) && regionsOf(r).includes(plan.region) && 'tags' in r && Object.entries(tags).some(([k, v]) => r.tags[k] === v),
    );
    if (!selected) {
      const wanted = Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(' or ');
      problems.push(source.problem(at('selection', 'tags'), `selects nothing: no RDS instance, DynamoDB table or EBS volume in ${plan.region} is tagged ${wanted}`));
    }
  }
  return problems;
}

function checkFailoverRecord(parts: Parts, source: SourceText, alias: string, record: EntryOfKind<'dns-failover-record'>): EnvironmentProblem[] {
  const problems: EnvironmentProblem[] = [];
  const at = (...path: PropertyKey[]) => ['resources', alias, ...path];
  if (record.identifier !== record.zone && !record.identifier.endsWith(`.${record.zone}`)) {
    problems.push(source.problem(at('identifier'), `${record.identifier} is not in the zone ${record.zone}`));
  }
  for (const role of ['primary', 'secondary'] as const) {
    const target = record[role];
    const regionProblems = outsideRegions(parts, source, at(role, 'region'), target.region);
    problems.push(...regionProblems);
    if (role === 'secondary' && target.region === record.primary.region) {
      problems.push(source.problem(at(role, 'region'), `the secondary must be in another region than the primary (${record.primary.region})`));
    }
    const refs = checkReference(parts, source, at(role, 'service'), target.service, ['orders-api'], 'a failover target');
    problems.push(...refs);
    const service = parts.resources.get(target.service);
    if (refs.length === 0 && regionProblems.length === 0 && service?.kind === 'orders-api' && !Object.hasOwn(service.regions, target.region)) {
      problems.push(
        source.problem(
          at(role, 'service'),
          `${target.service} does not run in ${target.region} (its regions: ${Object.keys(service.regions).join(', ')})`,
        ),
      );
    }
  }
  return problems;
}

/** The entry as written (before defaults), to tell a key given as false from one left out. */
function rawEntry(source: SourceText, alias: string): Record<string, unknown> {
  const raw = source.doc.getIn(['resources', alias], false);
  return raw && typeof raw === 'object' && 'toJSON' in raw ? ((raw as { toJSON(): unknown }).toJSON() as Record<string, unknown>) : {};
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

/** A cluster's instances run in its own region, and readers in other zones than the writer's are what survives a zone. */
function checkClusterZones(source: SourceText, alias: string, cluster: EntryOfKind<'rds-cluster'>): EnvironmentProblem[] {
  const problems: EnvironmentProblem[] = [];
  const instances: [PropertyKey[], { availabilityZone: string }][] = [
    [['writer'], cluster.writer],
    ...cluster.readers.map((reader, i): [PropertyKey[], { availabilityZone: string }] => [['readers', i], reader]),
  ];
  for (const [path, instance] of instances) {
    if (instance.availabilityZone.slice(0, -1) !== cluster.region) {
      problems.push(source.problem(['resources', alias, ...path, 'availabilityZone'], `${instance.availabilityZone} is not in the cluster's region, ${cluster.region}`));
    }
  }
  return problems;
}

/**
 * RDS puts a cluster's instance in its DB subnet group's subnet of the
 * instance's zone, and refuses an instance in a zone the group has no subnet
 * in; on the sim such an instance would sit in no subnet, and a network
 * disruption of its zone would pass it by. Checked where the subnets' zones
 * are known: on the sim, against the subnets it declares.
 */
function checkClusterSubnets(parts: Parts, source: SourceText, alias: string, cluster: EntryOfKind<'rds-cluster'>): EnvironmentProblem[] {
  if (parts.target !== 'sim' || cluster.subnetIds.length === 0 || !parts.sim.subnets) return [];
  const declared = parts.sim.subnets[cluster.region] ?? [];
  const zones = new Set(declared.filter((s) => cluster.subnetIds.includes(s.id)).map((s) => s.availabilityZone));
  const instances: [PropertyKey[], { identifier: string; availabilityZone: string }][] = [
    [['writer'], cluster.writer],
    ...cluster.readers.map((reader, i): [PropertyKey[], { identifier: string; availabilityZone: string }] => [['readers', i], reader]),
  ];
  return instances
    .filter(([, instance]) => !zones.has(instance.availabilityZone))
    .map(([path, instance]) =>
      source.problem(
        ['resources', alias, ...path, 'availabilityZone'],
        `${instance.identifier} is in ${instance.availabilityZone}, where the cluster's subnetIds have no subnet (theirs are in ${listOf([...zones].sort())}); RDS places each instance in its zone's subnet of the DB subnet group`,
      ),
    );
}

/**
 * On the sim the environment is the whole network, so a DB subnet group must
 * name subnets it declares. On aws the subnets exist already and RDS checks them.
 */
function checkSubnetGroup(
  parts: Parts,
  source: SourceText,
  alias: string,
  resource: EntryOfKind<'rds-instance'> | EntryOfKind<'rds-read-replica'> | EntryOfKind<'rds-cluster'>,
): EnvironmentProblem[] {
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

/**
 * Roles to assume are an aws setting (the sim maps access keys to roles in
 * sim.identities), and each must be in an account the guard allows: acting
 * as a role elsewhere would reach an account nobody checked.
 */
function checkRoles(parts: Parts, source: SourceText): EnvironmentProblem[] {
  if (parts.target === 'sim') {
    return parts.hasRoles
      ? [source.problem(['roles'], 'roles (IAM roles to assume) are for target aws; on the sim, sim.identities maps access keys to the roles in sim.roles')]
      : [];
  }
  const scope = parts.target === 'aws' ? accountScope(parts) : undefined;
  if (!scope) return [];
  const problems: EnvironmentProblem[] = [];
  for (const [name, role] of parts.roles) {
    const account = role.roleArn.split(':')[4] ?? '';
    if (scope.accounts.includes(account)) continue;
    const path = role.written === 'arn' ? ['roles', name] : ['roles', name, 'roleArn'];
    problems.push(source.problem(path, `the role is in account ${account}, not ${scope.describe}; the game day acts only in accounts the guard allows`));
  }
  return problems;
}

function checkFaultRegions(parts: Parts, source: SourceText): EnvironmentProblem[] {
  return [...parts.faults].flatMap(([name, fault]) =>
    fault.region === undefined ? [] : outsideRegions(parts, source, ['faults', name, 'region'], fault.region),
  );
}

