import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeTableCommand, ListTablesCommand, ListTagsOfResourceCommand } from '@aws-sdk/client-dynamodb';
import type {
  DescribeInstancesCommand as DescribeInstances,
  DescribeSubnetsCommand as DescribeSubnets,
  DescribeTransitGatewayPeeringAttachmentsCommand as DescribeTransitGatewayPeeringAttachments,
  DescribeTransitGatewaysCommand as DescribeTransitGateways,
  DescribeVolumesCommand as DescribeVolumes,
  Filter as Ec2Filter,
} from '@aws-sdk/client-ec2';
import type {
  DescribeLoadBalancersCommand as DescribeLoadBalancers,
  DescribeTagsCommand as DescribeLoadBalancerTags,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetActionCommand, ListActionsCommand, type Action } from '@aws-sdk/client-fis';
import type { GetRoleCommand as GetRole, ListRolesCommand as ListRoles, ListRoleTagsCommand as ListRoleTags } from '@aws-sdk/client-iam';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { GetBucketTaggingCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { createRequire } from 'node:module';
import { didYouMean, formatPath, listOf, partitionOf, type Fault, type FisTarget } from '../env/index.js';
import { notServedCode } from './aws-error.js';
import type { TargetClients } from './target.js';
import { checkDeclaredZones } from './template-zones.js';

/**
 * The aws target's dry run, for each fault its scenarios inject: the
 * template checked as FIS itself checks it on CreateExperimentTemplate
 * (every actionId one the account's FIS knows, every parameter and target
 * key one that action takes, its required parameters given, each target of
 * the resource type the action expects; from FIS's own ListActions and
 * GetAction), and each target resolved now, read-only, the way FIS resolves
 * it when the experiment starts (resourceArns that exist, resourceTags,
 * filters and parameters that select something in the fault's region; with
 * the services' own Describe and List calls, which `gameday sim serve`
 * answers as AWS does, where the Resource Groups Tagging API is not served).
 * Nothing here creates, tags or changes anything.
 */

/** Something FIS would refuse, or a target that would resolve to nothing, at its place in the template file. */
export interface TemplateProblem {
  fault: string;
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
}

/** What the dry run found about one fault's template. */
export interface TemplateCheck {
  fault: string;
  templateFile: string;
  region: string;
  /** What was checked, in words: one line per target. */
  checked: string[];
  /** What could not be checked from here, and why. */
  unchecked: string[];
  problems: TemplateProblem[];
}

const require = createRequire(import.meta.url);
/** The EC2 client package is loaded only where it is needed (see aws/clients.ts). */
const ec2Commands = () =>
  require('@aws-sdk/client-ec2') as {
    DescribeInstancesCommand: typeof DescribeInstances;
    DescribeSubnetsCommand: typeof DescribeSubnets;
    DescribeVolumesCommand: typeof DescribeVolumes;
    DescribeTransitGatewaysCommand: typeof DescribeTransitGateways;
    DescribeTransitGatewayPeeringAttachmentsCommand: typeof DescribeTransitGatewayPeeringAttachments;
  };

/** IAM and ELBv2 are read only here: their packages are loaded on the first dry run that needs them. */
const iamCommands = () =>
  require('@aws-sdk/client-iam') as { GetRoleCommand: typeof GetRole; ListRolesCommand: typeof ListRoles; ListRoleTagsCommand: typeof ListRoleTags };
const elbv2Commands = () =>
  require('@aws-sdk/client-elastic-load-balancing-v2') as {
    DescribeLoadBalancersCommand: typeof DescribeLoadBalancers;
    DescribeTagsCommand: typeof DescribeLoadBalancerTags;
  };

/** A resource as FIS sees it when it resolves a target: its ARN, tags, and the service's API shape that filters' paths read. */
interface Candidate {
  arn: string;
  tags: Record<string, string>;
  shape: unknown;
}

/** How the resources of one FIS resource type are listed in a region. */
interface Lister {
  /** The calls the listing makes for a target (`ec2:DescribeInstances`), as the dry run names them. */
  calls: string | ((target: FisTarget) => string);
  list(clients: TargetClients, region: string, where: { account: string; partition: string; tags: Record<string, string>; arns: readonly string[] | undefined }): Promise<Candidate[]>;
  /**
   * What the listing leaves out, for a resource type FIS resolves among more
   * kinds of resource than gameday lists: an ARN it does not cover, or a
   * target it finds nothing for, is "not checked" rather than a problem.
   */
  partial?: { covers(arn: string): boolean; leavesOut: string };
  /** The type's resources are the account's, not a region's (IAM roles). */
  global?: boolean;
  /** How the calls say an ARN is not there, where that is not by leaving it out of a listing. */
  notFound?: string;
}

type Tag = { Key?: string | undefined; Value?: string | undefined };

function pairs(list: readonly Tag[] | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).flatMap((t) => (t.Key !== undefined ? [[t.Key, t.Value ?? '']] : [])));
}

/** EC2's own tag filters, so an account's thousands of instances are not all listed to find a few. */
function tagFilters(tags: Record<string, string>): Ec2Filter[] | undefined {
  const filters = Object.entries(tags).map(([key, value]) => ({ Name: `tag:${key}`, Values: [value] }));
  return filters.length > 0 ? filters : undefined;
}

/** Every page of a paged call: `next` is the token the last answer gave, undefined for the first. */
async function allPages<T>(page: (next: string | undefined) => Promise<{ items: T[] | undefined; next: string | undefined }>): Promise<T[]> {
  const out: T[] = [];
  let next: string | undefined;
  do {
    const answer = await page(next);
    out.push(...(answer.items ?? []));
    next = answer.next;
  } while (next);
  return out;
}

const listers: Record<string, Lister> = {
  'aws:ec2:instance': {
    calls: 'ec2:DescribeInstances',
    async list(clients, region, { account, partition, tags }) {
      const { DescribeInstancesCommand } = ec2Commands();
      const filters = tagFilters(tags);
      const reservations = await allPages(async (next) => {
        const answer = await clients.ec2(region).send(new DescribeInstancesCommand({ ...(filters ? { Filters: filters } : {}), ...(next ? { NextToken: next } : {}) }));
        return { items: answer.Reservations, next: answer.NextToken };
      });
      return reservations.flatMap((r) => r.Instances ?? []).map((i) => ({ arn: `arn:${partition}:ec2:${region}:${account}:instance/${i.InstanceId}`, tags: pairs(i.Tags), shape: i }));
    },
  },
  'aws:ec2:subnet': {
    calls: 'ec2:DescribeSubnets',
    async list(clients, region, { account, partition, tags }) {
      const { DescribeSubnetsCommand } = ec2Commands();
      const filters = tagFilters(tags);
      const subnets = await allPages(async (next) => {
        const answer = await clients.ec2(region).send(new DescribeSubnetsCommand({ ...(filters ? { Filters: filters } : {}), ...(next ? { NextToken: next } : {}) }));
        return { items: answer.Subnets, next: answer.NextToken };
      });
      return subnets.map((s) => ({ arn: s.SubnetArn ?? `arn:${partition}:ec2:${region}:${account}:subnet/${s.SubnetId}`, tags: pairs(s.Tags), shape: s }));
    },
  },
  'aws:ec2:ebs-volume': {
    calls: 'ec2:DescribeVolumes',
    async list(clients, region, { account, partition, tags }) {
      const { DescribeVolumesCommand } = ec2Commands();
      const filters = tagFilters(tags);
      const volumes = await allPages(async (next) => {
        const answer = await clients.ec2(region).send(new DescribeVolumesCommand({ ...(filters ? { Filters: filters } : {}), ...(next ? { NextToken: next } : {}) }));
        return { items: answer.Volumes, next: answer.NextToken };
      });
      return volumes.map((v) => ({ arn: `arn:${partition}:ec2:${region}:${account}:volume/${v.VolumeId}`, tags: pairs(v.Tags), shape: v }));
    },
  },
  'aws:ec2:transit-gateway': {
    calls: 'ec2:DescribeTransitGateways',
    async list(clients, region, { account, partition, tags }) {
      const { DescribeTransitGatewaysCommand } = ec2Commands();
      const filters = tagFilters(tags);
      const gateways = await allPages(async (next) => {
        const answer = await clients.ec2(region).send(new DescribeTransitGatewaysCommand({ ...(filters ? { Filters: filters } : {}), ...(next ? { NextToken: next } : {}) }));
        return { items: answer.TransitGateways, next: answer.NextToken };
      });
      return gateways.map((g) => ({ arn: g.TransitGatewayArn ?? `arn:${partition}:ec2:${region}:${account}:transit-gateway/${g.TransitGatewayId}`, tags: pairs(g.Tags), shape: g }));
    },
  },
  'aws:ec2:autoscaling-group': {
    calls: 'autoscaling:DescribeAutoScalingGroups',
    async list(clients, region, { tags }) {
      const filters = Object.entries(tags).map(([key, value]) => ({ Name: `tag:${key}`, Values: [value] }));
      const groups = await allPages(async (next) => {
        const answer = await clients.autoscaling(region).send(new DescribeAutoScalingGroupsCommand({ ...(filters.length ? { Filters: filters } : {}), ...(next ? { NextToken: next } : {}) }));
        return { items: answer.AutoScalingGroups, next: answer.NextToken };
      });
      return groups.map((g) => ({ arn: g.AutoScalingGroupARN ?? '', tags: pairs(g.Tags), shape: g }));
    },
  },
  'aws:rds:db': {
    calls: 'rds:DescribeDBInstances',
    async list(clients, region) {
      const instances = await allPages(async (next) => {
        const answer = await clients.rds(region).send(new DescribeDBInstancesCommand({ ...(next ? { Marker: next } : {}) }));
        return { items: answer.DBInstances, next: answer.Marker };
      });
      return instances.map((i) => ({ arn: i.DBInstanceArn ?? '', tags: pairs(i.TagList), shape: i }));
    },
  },
  'aws:rds:cluster': {
    calls: 'rds:DescribeDBClusters',
    async list(clients, region) {
      const clusters = await allPages(async (next) => {
        const answer = await clients.rds(region).send(new DescribeDBClustersCommand({ ...(next ? { Marker: next } : {}) }));
        return { items: answer.DBClusters, next: answer.Marker };
      });
      return clusters.map((c) => ({ arn: c.DBClusterArn ?? '', tags: pairs(c.TagList), shape: c }));
    },
  },
  'aws:s3:bucket': {
    calls: 's3:ListBuckets, s3:GetBucketTagging',
    async list(clients, region, { partition }) {
      const s3 = clients.s3(region);
      // BucketRegion: S3 names only the buckets of the fault's region, the ones FIS targets there.
      const buckets = await allPages(async (next) => {
        const answer = await s3.send(new ListBucketsCommand({ BucketRegion: region, MaxBuckets: 1000, ...(next ? { ContinuationToken: next } : {}) }));
        return { items: answer.Buckets, next: answer.ContinuationToken };
      });
      const out: Candidate[] = [];
      for (const bucket of buckets) {
        if (!bucket.Name || (bucket.BucketRegion !== undefined && bucket.BucketRegion !== region)) continue;
        const tagging = await s3.send(new GetBucketTaggingCommand({ Bucket: bucket.Name })).catch((error: { name?: string }) => {
          if (error.name === 'NoSuchTagSet') return { TagSet: [] };
          throw error;
        });
        out.push({ arn: `arn:${partition}:s3:::${bucket.Name}`, tags: pairs(tagging.TagSet), shape: bucket });
      }
      return out;
    },
  },
  'aws:dynamodb:global-table': {
    calls: 'dynamodb:ListTables, dynamodb:DescribeTable, dynamodb:ListTagsOfResource',
    async list(clients, region) {
      const dynamodb = clients.dynamodb(region);
      const names = await allPages(async (next) => {
        const answer = await dynamodb.send(new ListTablesCommand({ ...(next ? { ExclusiveStartTableName: next } : {}) }));
        return { items: answer.TableNames, next: answer.LastEvaluatedTableName };
      });
      const out: Candidate[] = [];
      for (const name of names) {
        const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
        // A table without replicas is no global table, and FIS does not target it as one.
        if (!Table?.TableArn || (Table.Replicas?.length ?? 0) === 0) continue;
        const { Tags } = await dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: Table.TableArn }));
        out.push({ arn: Table.TableArn, tags: pairs(Tags), shape: Table });
      }
      return out;
    },
  },
  'aws:iam:role': {
    // By ARN each role is read; by tags they are listed, and each one's tags read.
    calls: (target) => (target.resourceArns ? 'iam:GetRole' : 'iam:ListRoles, iam:ListRoleTags'),
    global: true,
    notFound: 'iam:GetRole answers NoSuchEntity',
    async list(clients, _region, { tags, arns }) {
      const { GetRoleCommand, ListRolesCommand, ListRoleTagsCommand } = iamCommands();
      const iam = clients.iam();
      // A role named by ARN is read by its name (the ARN's last path part); roles by tags are listed.
      if (arns) {
        const out: Candidate[] = [];
        for (const arn of arns) {
          const name = arn.split('/').at(-1) ?? '';
          const answer = await iam.send(new GetRoleCommand({ RoleName: name })).catch((error: { name?: string }) => {
            if (error.name === 'NoSuchEntityException' || error.name === 'NoSuchEntity') return undefined;
            throw error;
          });
          if (answer?.Role?.Arn) out.push({ arn: answer.Role.Arn, tags: pairs(answer.Role.Tags), shape: answer.Role });
        }
        return out;
      }
      const roles = await allPages(async (next) => {
        const answer = await iam.send(new ListRolesCommand({ ...(next ? { Marker: next } : {}) }));
        return { items: answer.Roles, next: answer.IsTruncated ? answer.Marker : undefined };
      });
      const out: Candidate[] = [];
      for (const role of roles) {
        if (!role.Arn || !role.RoleName) continue;
        // ListRoles answers no tags: read each role's only when the target selects by them.
        const roleTags =
          Object.keys(tags).length === 0
            ? []
            : await allPages(async (next) => {
                const answer = await iam.send(new ListRoleTagsCommand({ RoleName: role.RoleName!, ...(next ? { Marker: next } : {}) }));
                return { items: answer.Tags, next: answer.IsTruncated ? answer.Marker : undefined };
              });
        out.push({ arn: role.Arn, tags: pairs(roleTags), shape: role });
      }
      return out;
    },
  },
  'aws:arc:zonal-shift-managed-resource': {
    calls: 'elasticloadbalancing:DescribeLoadBalancers, elasticloadbalancing:DescribeTags',
    async list(clients, region, { tags }) {
      const { DescribeLoadBalancersCommand, DescribeTagsCommand } = elbv2Commands();
      const elbv2 = clients.elbv2(region);
      const balancers = await allPages(async (next) => {
        const answer = await elbv2.send(new DescribeLoadBalancersCommand({ ...(next ? { Marker: next } : {}) }));
        return { items: answer.LoadBalancers, next: answer.NextMarker };
      });
      // ARC manages Application and Network Load Balancers (a Gateway Load Balancer is not one).
      const managed = balancers.filter((b) => b.LoadBalancerArn && (b.Type === 'application' || b.Type === 'network'));
      const tagsByArn = new Map<string, Record<string, string>>();
      // DescribeTags takes 20 ARNs a call; needed only when the target selects by tags.
      for (let i = 0; Object.keys(tags).length > 0 && i < managed.length; i += 20) {
        const answer = await elbv2.send(new DescribeTagsCommand({ ResourceArns: managed.slice(i, i + 20).map((b) => b.LoadBalancerArn!) }));
        for (const description of answer.TagDescriptions ?? []) if (description.ResourceArn) tagsByArn.set(description.ResourceArn, pairs(description.Tags));
      }
      return managed.map((b) => ({ arn: b.LoadBalancerArn!, tags: tagsByArn.get(b.LoadBalancerArn!) ?? {}, shape: b }));
    },
    partial: {
      covers: (arn) => arn.split(':')[2] === 'elasticloadbalancing',
      leavesOut: "ARC's other managed resources (EKS clusters, Auto Scaling groups with zonal shift enabled) are not listed here; FIS resolves them when the experiment starts",
    },
  },
};

/**
 * Target parameters FIS takes per resource type, each a selection on a path
 * of the resource's API shape. A zone may be given by name or by zone ID.
 */
const targetParameters: Record<string, Record<string, { paths: string[] }>> = {
  'aws:ec2:subnet': { availabilityZoneIdentifier: { paths: ['AvailabilityZone', 'AvailabilityZoneId'] }, vpc: { paths: ['VpcId'] } },
  'aws:ec2:ebs-volume': { availabilityZoneIdentifier: { paths: ['AvailabilityZone', 'AvailabilityZoneId'] } },
  'aws:rds:db': { availabilityZoneIdentifiers: { paths: ['AvailabilityZone'] } },
};

/** The scalars a dotted path reaches in an API shape, as strings; lists along the way fan out (as FIS's filters read them). */
function valuesAt(shape: unknown, path: string): string[] {
  let current: unknown[] = [shape];
  for (const key of path.split('.')) {
    const next: unknown[] = [];
    for (const value of current) {
      if (typeof value !== 'object' || value === null) continue;
      const child = (value as Record<string, unknown>)[key];
      if (Array.isArray(child)) next.push(...(child as unknown[]));
      else if (child !== undefined) next.push(child);
    }
    current = next;
  }
  return current.flatMap((value) => (typeof value === 'string' ? [value] : typeof value === 'number' || typeof value === 'boolean' ? [String(value)] : []));
}

/** FIS's catalog in one region: every action id (ListActions, paged) and, for those a template uses, the action (GetAction). */
class FisCatalog {
  private ids: Promise<Set<string>> | undefined;
  private readonly actions = new Map<string, Promise<Action | undefined>>();

  constructor(
    private readonly clients: TargetClients,
    private readonly region: string,
  ) {}

  known(): Promise<Set<string>> {
    this.ids ??= allPages(async (next) => {
      const answer = await this.clients.fis(this.region).send(new ListActionsCommand({ ...(next ? { nextToken: next } : {}) }));
      return { items: answer.actions, next: answer.nextToken };
    }).then((actions) => new Set(actions.flatMap((a) => (a.id ? [a.id] : []))));
    return this.ids;
  }

  async action(id: string): Promise<Action | undefined> {
    if (!(await this.known()).has(id)) return undefined;
    let found = this.actions.get(id);
    if (!found) {
      found = this.clients
        .fis(this.region)
        .send(new GetActionCommand({ id }))
        .then((answer) => answer.action);
      this.actions.set(id, found);
    }
    return found;
  }
}

/**
 * Check each fault's template against the account the credentials are in
 * (`account`, already through the account guard), read-only. Errors AWS
 * answers other than "this operation is not served here" are thrown: the
 * caller says AWS could not be asked.
 */
export async function checkTemplates(clients: TargetClients, faults: readonly Fault[], account: string): Promise<TemplateCheck[]> {
  const catalogs = new Map<string, FisCatalog>();
  const checks: TemplateCheck[] = [];
  for (const fault of faults) {
    let catalog = catalogs.get(fault.region);
    if (!catalog) catalogs.set(fault.region, (catalog = new FisCatalog(clients, fault.region)));
    checks.push(await checkTemplate(clients, catalog, fault, account));
  }
  return checks;
}

async function checkTemplate(clients: TargetClients, catalog: FisCatalog, fault: Fault, account: string): Promise<TemplateCheck> {
  const { template, region } = fault;
  const check: TemplateCheck = { fault: fault.name, templateFile: fault.templateFile, region, checked: [], unchecked: [], problems: [] };
  const problem = (path: readonly PropertyKey[], message: string) => {
    // The innermost part of the path the loader saw (a key it names may be a template's own mistake, and so exist).
    let at = [...path];
    while (at.length > 0 && !fault.templateLocations?.[formatPath(at)]) at = at.slice(0, -1);
    const location = fault.templateLocations?.[formatPath(at)] ?? { line: 1, column: 1 };
    check.problems.push({ fault: fault.name, file: fault.templateFile, ...location, path: formatPath(path), message });
  };
  const targets = template.targets ?? {};
  const known = await catalog.known();

  for (const [name, action] of Object.entries(template.actions)) {
    const definition = await catalog.action(action.actionId);
    if (!definition) {
      problem(['actions', name, 'actionId'], `${action.actionId} is not an action FIS knows in ${region} of account ${account}${didYouMean(action.actionId, known)}`);
      continue;
    }
    const parameters = definition.parameters ?? {};
    for (const key of Object.keys(action.parameters ?? {})) {
      if (!Object.hasOwn(parameters, key)) {
        const takes = Object.keys(parameters);
        problem(['actions', name, 'parameters', key], `${action.actionId} takes no parameter "${key}"${didYouMean(key, takes)}; it takes ${takes.length ? listOf(takes) : 'none'}`);
      }
    }
    for (const [key, parameter] of Object.entries(parameters)) {
      if (parameter.required && !Object.hasOwn(action.parameters ?? {}, key)) {
        problem(['actions', name, 'parameters'], `${action.actionId} requires the parameter "${key}"${parameter.description ? ` (${parameter.description})` : ''}`);
      }
    }
    const wanted = definition.targets ?? {};
    for (const [key, targetName] of Object.entries(action.targets ?? {})) {
      const expected = wanted[key]?.resourceType;
      if (!Object.hasOwn(wanted, key)) {
        const takes = Object.keys(wanted);
        problem(['actions', name, 'targets', key], `${action.actionId} takes no target "${key}"${didYouMean(key, takes)}; it takes ${takes.length ? listOf(takes) : 'none'}`);
        continue;
      }
      const target = targets[targetName];
      if (target && expected && target.resourceType !== expected) {
        problem(['actions', name, 'targets', key], `${action.actionId} takes ${expected} for ${key}, but target "${targetName}" is ${target.resourceType}`);
      }
    }
    for (const [key, target] of Object.entries(wanted)) {
      if (!Object.hasOwn(action.targets ?? {}, key)) problem(['actions', name], `${action.actionId} needs a target for ${key}${target.resourceType ? ` (${target.resourceType})` : ''}`);
    }
  }

  const skipEmpty = template.experimentOptions?.emptyTargetResolutionMode === 'skip';
  /** What each target resolved to now, for the checks of the actions that need more of it than that it exists. */
  const resolved = new Map<string, Candidate[]>();
  for (const [name, target] of Object.entries(targets)) {
    const label = `target "${name}" (${target.resourceType})`;
    const lister = listers[target.resourceType];
    if (!lister) {
      check.unchecked.push(`${label}: gameday has no read call for ${target.resourceType}; FIS resolves it when the experiment starts`);
      continue;
    }
    const calls = typeof lister.calls === 'string' ? lister.calls : lister.calls(target);
    let candidates: Candidate[];
    try {
      candidates = await lister.list(clients, region, { account, partition: partitionOf(region), tags: target.resourceTags ?? {}, arns: target.resourceArns });
    } catch (error) {
      const code = notServedCode(error);
      if (code === undefined) throw error;
      check.unchecked.push(`${label}: ${calls} is not served here (${code})`);
      continue;
    }
    const selection = select(candidates, target);
    const scope = lister.global ? `account ${account}` : region;
    for (const missing of selection.missingArns) {
      if (lister.partial && !lister.partial.covers(missing)) {
        check.unchecked.push(`${label}: ${missing}: ${lister.partial.leavesOut}`);
        continue;
      }
      const index = target.resourceArns!.indexOf(missing);
      problem(['targets', name, 'resourceArns', index], `${missing} does not exist in ${scope} (${lister.notFound ?? `${calls} does not list it`})`);
    }
    if (selection.ignoredParameters.length > 0) {
      check.unchecked.push(`${label}: its parameters ${listOf(selection.ignoredParameters)} are not applied here; FIS applies them when the experiment starts`);
    }
    if (selection.selected.length === 0 && selection.missingArns.length === 0) {
      const message = `selects nothing in ${scope} now: ${whyNothing(target, selection.tagged, scope)} (${calls})`;
      if (lister.partial) check.unchecked.push(`${label}: ${message}; ${lister.partial.leavesOut}`);
      else if (skipEmpty) check.unchecked.push(`${label}: ${message}; emptyTargetResolutionMode skip lets the experiment run without it`);
      else problem(['targets', name], `${message}; FIS would fail the experiment`);
      continue;
    }
    check.checked.push(`${label}: ${selection.selected.length} now (${calls})`);
    resolved.set(name, selection.selected);
  }
  for (const [name, action] of Object.entries(template.actions)) {
    if (action.actionId !== CROSS_REGION_TGW) continue;
    const targetName = action.targets?.['TransitGateways'];
    const gateways = targetName !== undefined ? resolved.get(targetName) : undefined;
    const other = action.parameters?.['region'];
    if (!gateways || !other) continue;
    let peered: string[];
    try {
      peered = await peeredGateways(clients, region, gateways, other);
    } catch (error) {
      const code = notServedCode(error);
      if (code === undefined) throw error;
      check.unchecked.push(`action "${name}": whether its transit gateways are peered with ${other}: ec2:DescribeTransitGatewayPeeringAttachments is not served here (${code})`);
      continue;
    }
    if (peered.length === 0) {
      problem(
        ['actions', name, 'parameters', 'region'],
        `none of the ${gateways.length} transit gateways target "${targetName}" selects in ${region} has a peering attachment to ${other} (ec2:DescribeTransitGatewayPeeringAttachments): the action would cut nothing`,
      );
    } else {
      check.checked.push(`action "${name}": ${peered.length} of the ${gateways.length} transit gateways peered with ${other} (ec2:DescribeTransitGatewayPeeringAttachments)`);
    }
  }
  await checkDeclaredZones(clients, fault, check);
  return check;
}

/** The FIS action that cuts a transit gateway's peering attachments to one region. */
const CROSS_REGION_TGW = 'aws:network:transit-gateway-disrupt-cross-region-connectivity';

/**
 * The gateways among `gateways` with a peering attachment to `other`, as the
 * action finds them: it cuts the attachments whose other side is in that
 * region, and nothing else.
 */
async function peeredGateways(clients: TargetClients, region: string, gateways: readonly Candidate[], other: string): Promise<string[]> {
  const { DescribeTransitGatewayPeeringAttachmentsCommand } = ec2Commands();
  const ids = gateways.map((g) => (g.shape as { TransitGatewayId?: string }).TransitGatewayId ?? '').filter(Boolean);
  const attachments = await allPages(async (next) => {
    const answer = await clients
      .ec2(region)
      .send(new DescribeTransitGatewayPeeringAttachmentsCommand({ Filters: [{ Name: 'transit-gateway-id', Values: ids }], ...(next ? { NextToken: next } : {}) }));
    return { items: answer.TransitGatewayPeeringAttachments, next: answer.NextToken };
  });
  const peered = new Set<string>();
  for (const attachment of attachments) {
    const sides = [attachment.RequesterTgwInfo, attachment.AccepterTgwInfo];
    const local = sides.find((side) => side?.Region === region && side.TransitGatewayId !== undefined && ids.includes(side.TransitGatewayId));
    const remote = sides.find((side) => side !== local);
    if (local?.TransitGatewayId && remote?.Region === other && attachment.State !== 'deleted' && attachment.State !== 'rejected') peered.add(local.TransitGatewayId);
  }
  return ids.filter((id) => peered.has(id));
}

/** FIS's selection, before its selectionMode picks among the matches; `tagged`: how many carry the target's tags. */
function select(candidates: readonly Candidate[], target: FisTarget): { selected: Candidate[]; tagged: number; missingArns: string[]; ignoredParameters: string[] } {
  if (target.resourceArns) {
    const byArn = new Map(candidates.map((c) => [c.arn, c]));
    const selected = target.resourceArns.flatMap((arn) => byArn.get(arn) ?? []);
    return { selected, tagged: selected.length, missingArns: target.resourceArns.filter((arn) => !byArn.has(arn)), ignoredParameters: [] };
  }
  let selected = candidates.filter((c) => Object.entries(target.resourceTags ?? {}).every(([key, value]) => c.tags[key] === value));
  const tagged = selected.length;
  for (const filter of target.filters ?? []) {
    selected = selected.filter((c) => valuesAt(c.shape, filter.path).some((value) => filter.values.includes(value)));
  }
  const ignoredParameters: string[] = [];
  for (const [name, value] of Object.entries(target.parameters ?? {})) {
    const parameter = targetParameters[target.resourceType]?.[name];
    if (!parameter) {
      ignoredParameters.push(name);
      continue;
    }
    const wanted = value.split(',').map((v) => v.trim()).filter(Boolean);
    selected = selected.filter((c) => parameter.paths.some((path) => valuesAt(c.shape, path).some((v) => wanted.includes(v))));
  }
  return { selected, tagged, missingArns: [], ignoredParameters };
}

/** Why a target selected nothing: `of the 6 aws:ec2:instance tagged app=securecart, none has Placement.AvailabilityZone us-east-1c`. */
function whyNothing(target: FisTarget, tagged: number, where: string): string {
  const tags = Object.entries(target.resourceTags ?? {}).map(([key, value]) => `${key}=${value}`);
  const conditions = [
    ...(target.filters ?? []).map((f) => `${f.path} ${f.values.join(' or ')}`),
    ...Object.entries(target.parameters ?? {}).map(([key, value]) => `${key} ${value}`),
  ];
  const kind = target.resourceType;
  if (tagged === 0) return tags.length ? `no ${kind} in ${where} is tagged ${tags.join(', ')}` : `there is no ${kind} in ${where}`;
  return `of the ${tagged} ${kind} ${tags.length ? `tagged ${tags.join(', ')}` : `in ${where}`}, none has ${conditions.join(' and ')}`;
}
