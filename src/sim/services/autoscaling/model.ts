import type { SimWorld } from '../../types.js';
import { autoScalingErrors } from './errors.js';
import type {
  AutoScalingGroup,
  DescribeGroupsInput,
  GroupInstance,
  GroupPage,
  GroupView,
  SeedGroupSpec,
  SetDesiredCapacityInput,
  UpdateGroupInput,
} from './types.js';

const DEFAULT_RECORDS = 50;
const MAX_RECORDS = 100;
const DEFAULT_COOLDOWN_SECONDS = 300;
const DEFAULT_GRACE_PERIOD_SECONDS = 300;
const MAX_NAME_LENGTH = 255;

/**
 * The groups of every region. Capacity is the fleet's: a group reads how
 * many instances serve and launch from its fleet and hands it new desired
 * capacities, so the group never disagrees with what the app serves. The
 * instances a Describe shows are reconciled with the fleet when looked at:
 * launching ones are Pending, serving ones InService, and the newest go
 * first when the fleet shrinks.
 */
export class AutoScalingModel {
  /** `region/name` → group. */
  private readonly groups = new Map<string, AutoScalingGroup>();

  constructor(private readonly world: SimWorld) {}

  private key(region: string, name: string): string {
    return `${region}/${name}`;
  }

  /** A group in its steady state at t = 0, over a fleet whose desired capacity is within its bounds. */
  seedGroup(spec: SeedGroupSpec): AutoScalingGroup {
    const key = this.key(spec.region, spec.name);
    if (this.groups.has(key)) throw new Error(`an Auto Scaling group ${spec.name} already exists in ${spec.region}`);
    if ([...this.groups.values()].some((g) => g.fleet === spec.fleet)) throw new Error(`the fleet of ${spec.name} already has a group`);
    const minSize = spec.minSize ?? 0;
    const { desired } = spec.fleet.state();
    if (!(Number.isInteger(minSize) && Number.isInteger(spec.maxSize) && minSize >= 0 && minSize <= desired && desired <= spec.maxSize)) {
      throw new RangeError(`group ${spec.name}: needs whole numbers with 0 ≤ min (${minSize}) ≤ desired (${desired}) ≤ max (${spec.maxSize})`);
    }
    const rng = this.world.rng.fork(`autoscaling:${key}`);
    const hex = (n: number) => rng.alnum(n, '0123456789abcdef');
    const arn = `arn:aws:autoscaling:${spec.region}:${this.world.accountId}:autoScalingGroup:${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}:autoScalingGroupName/${spec.name}`;
    const group: AutoScalingGroup = {
      name: spec.name,
      region: spec.region,
      arn,
      createdAt: this.world.clock.now(),
      minSize,
      maxSize: spec.maxSize,
      defaultCooldown: DEFAULT_COOLDOWN_SECONDS,
      healthCheckType: 'EC2',
      healthCheckGracePeriod: DEFAULT_GRACE_PERIOD_SECONDS,
      availabilityZones: spec.availabilityZones ?? [`${spec.region}a`, `${spec.region}b`],
      instanceType: spec.instanceType ?? 'm6g.large',
      launchTemplate: { id: `lt-${hex(17)}`, name: spec.name, version: '$Default' },
      tags: Object.entries(spec.tags ?? {}).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
      fleet: spec.fleet,
      instances: [],
      launches: 0,
      rng,
    };
    this.groups.set(key, group);
    this.reconcile(group);
    this.world.emit('autoscaling.group.seeded', { region: group.region, group: group.name, minSize, maxSize: group.maxSize, desired });
    return group;
  }

  /** Groups of a region, by name. */
  groupsIn(region: string): AutoScalingGroup[] {
    return [...this.groups.values()].filter((g) => g.region === region).sort((a, b) => compare(a.name, b.name));
  }

  view(group: AutoScalingGroup): GroupView {
    this.reconcile(group);
    return { group, desired: group.fleet.state().desired, instances: [...group.instances] };
  }

  private find(region: string, name: string): AutoScalingGroup {
    const group = this.groups.get(this.key(region, name));
    if (!group) throw autoScalingErrors.groupNotFound(name);
    return group;
  }

  // ── The API ──────────────────────────────────────────────────────────────

  /** Named groups that exist (unknown names are simply absent), or all of them; filtered by tags; in name order, a page at a time. */
  describeAutoScalingGroups(region: string, input: DescribeGroupsInput): GroupPage {
    const max = input.MaxRecords ?? DEFAULT_RECORDS;
    if (max < 1) throw autoScalingErrors.constraint(max, 'maxRecords', 'Member must have value greater than or equal to 1');
    if (max > MAX_RECORDS) throw autoScalingErrors.constraint(max, 'maxRecords', `Member must have value less than or equal to ${MAX_RECORDS}`);
    const names = input.AutoScalingGroupNames;
    if (names) {
      // "By default, you can only specify up to 50 names. You can optionally increase this limit using MaxRecords."
      const limit = Math.max(DEFAULT_RECORDS, max);
      if (names.length > limit) {
        throw autoScalingErrors.validation(`The number of group names (${names.length}) exceeds the limit (${limit}); raise it with MaxRecords (at most ${MAX_RECORDS}).`);
      }
      names.forEach((name, index) => checkName(name, `autoScalingGroupNames.${index + 1}.member`));
    }
    let groups = this.groupsIn(region);
    if (names) groups = groups.filter((g) => names.includes(g.name));
    for (const filter of input.Filters ?? []) groups = groups.filter(filterOf(filter.Name, filter.Values));

    let start = 0;
    if (input.NextToken !== undefined && input.NextToken !== '') {
      const after = decodeToken(input.NextToken);
      start = groups.findIndex((g) => compare(g.name, after) > 0);
      if (start < 0) start = groups.length;
    }
    const page = groups.slice(start, start + max);
    const last = page.at(-1);
    const more = start + max < groups.length;
    return { groups: page.map((g) => this.view(g)), ...(more && last ? { nextToken: encodeToken(last.name) } : {}) };
  }

  setDesiredCapacity(region: string, input: SetDesiredCapacityInput): void {
    checkName(input.AutoScalingGroupName, 'autoScalingGroupName');
    const group = this.find(region, input.AutoScalingGroupName);
    const desired = input.DesiredCapacity;
    if (desired > group.maxSize) {
      throw autoScalingErrors.validation(`New SetDesiredCapacity value ${desired} is above max value ${group.maxSize} for the AutoScalingGroup.`);
    }
    if (desired < group.minSize) {
      throw autoScalingErrors.validation(`New SetDesiredCapacity value ${desired} is below min value ${group.minSize} for the AutoScalingGroup.`);
    }
    if (input.HonorCooldown) this.refuseDuringCooldown(group);
    this.changeDesired(group, desired, 'SetDesiredCapacity');
  }

  updateAutoScalingGroup(region: string, input: UpdateGroupInput): void {
    checkName(input.AutoScalingGroupName, 'autoScalingGroupName');
    for (const [member, value] of [
      ['minSize', input.MinSize],
      ['maxSize', input.MaxSize],
      ['desiredCapacity', input.DesiredCapacity],
      ['defaultCooldown', input.DefaultCooldown],
      ['healthCheckGracePeriod', input.HealthCheckGracePeriod],
    ] as const) {
      if (value !== undefined && value < 0) throw autoScalingErrors.constraint(value, member, 'Member must have value greater than or equal to 0');
    }
    if (input.HealthCheckType !== undefined && (input.HealthCheckType.length < 1 || input.HealthCheckType.length > 32)) {
      throw autoScalingErrors.constraint(input.HealthCheckType, 'healthCheckType', 'Member must have length between 1 and 32');
    }
    const group = this.find(region, input.AutoScalingGroupName);
    const minSize = input.MinSize ?? group.minSize;
    const maxSize = input.MaxSize ?? group.maxSize;
    if (minSize > maxSize) throw autoScalingErrors.validation(`Max bound, ${maxSize}, must be greater than or equal to min bound, ${minSize}`);
    const current = group.fleet.state().desired;
    let desired: number;
    if (input.DesiredCapacity !== undefined) {
      desired = input.DesiredCapacity;
      if (desired < minSize || desired > maxSize) {
        throw autoScalingErrors.validation(`Desired capacity:${desired} must be between the specified min size:${minSize} and max size:${maxSize}`);
      }
    } else {
      // AWS moves the desired capacity into new bounds rather than refuse them.
      desired = Math.min(maxSize, Math.max(minSize, current));
    }
    const before = { minSize: group.minSize, maxSize: group.maxSize, desired: current };
    group.minSize = minSize;
    group.maxSize = maxSize;
    if (input.DefaultCooldown !== undefined) group.defaultCooldown = input.DefaultCooldown;
    if (input.HealthCheckType !== undefined) group.healthCheckType = input.HealthCheckType;
    if (input.HealthCheckGracePeriod !== undefined) group.healthCheckGracePeriod = input.HealthCheckGracePeriod;
    this.world.emit('autoscaling.group.updated', { region, group: group.name, before, after: { minSize, maxSize, desired } });
    this.changeDesired(group, desired, 'UpdateAutoScalingGroup');
  }

  // ── Rules ────────────────────────────────────────────────────────────────

  private refuseDuringCooldown(group: AutoScalingGroup): void {
    const { launching } = group.fleet.state();
    if (launching > 0) throw autoScalingErrors.scalingActivityInProgress(group.name, `${launching} instances are launching`);
    const now = this.world.clock.now();
    if (group.lastScalingAt !== undefined && now < group.lastScalingAt + group.defaultCooldown * 1000) {
      const ends = new Date(group.lastScalingAt + group.defaultCooldown * 1000).toISOString();
      throw autoScalingErrors.scalingActivityInProgress(group.name, `the cooldown of ${group.defaultCooldown} seconds lasts until ${ends}`);
    }
  }

  private changeDesired(group: AutoScalingGroup, desired: number, cause: string): void {
    const before = group.fleet.state().desired;
    if (desired === before) return;
    group.lastScalingAt = this.world.clock.now();
    group.fleet.setDesired(desired);
    this.reconcile(group);
    this.world.emit('autoscaling.desired-capacity.set', { region: group.region, group: group.name, from: before, to: desired, cause });
  }

  /**
   * Make the instance list agree with the fleet: launching instances are
   * Pending (the oldest come into service first), serving ones InService,
   * and when the fleet shrinks the newest go.
   */
  private reconcile(group: AutoScalingGroup): void {
    const { running, launching } = group.fleet.state();
    const inService = group.instances.filter((i) => i.state === 'InService');
    const pending = group.instances.filter((i) => i.state === 'Pending');
    while (inService.length < running) {
      const next = pending.shift() ?? this.launch(group, [...inService, ...pending]);
      next.state = 'InService';
      inService.push(next);
    }
    inService.sort((a, b) => a.launchIndex - b.launchIndex).splice(running);
    while (pending.length < launching) pending.push(this.launch(group, [...inService, ...pending]));
    pending.splice(launching);
    group.instances = [...inService, ...pending].sort((a, b) => a.launchIndex - b.launchIndex);
  }

  /** A new Pending instance in the Availability Zone with the fewest of the group's instances (balanced, as AWS keeps them). */
  private launch(group: AutoScalingGroup, current: readonly GroupInstance[]): GroupInstance {
    const count = (az: string) => current.filter((i) => i.availabilityZone === az).length;
    const availabilityZone = group.availabilityZones.reduce((best, az) => (count(az) < count(best) ? az : best));
    return { id: `i-${group.rng.alnum(17, '0123456789abcdef')}`, availabilityZone, state: 'Pending', launchIndex: group.launches++ };
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function checkName(name: string, member: string): void {
  if (name.length < 1) throw autoScalingErrors.constraint(name, member, 'Member must have length greater than or equal to 1');
  if (name.length > MAX_NAME_LENGTH) {
    throw autoScalingErrors.constraint(name, member, `Member must have length less than or equal to ${MAX_NAME_LENGTH}`);
  }
}

/** The filters DescribeAutoScalingGroups takes: `tag:<key>`, `tag-key` and `tag-value`; any of a filter's values matches. */
function filterOf(name: string, values: readonly string[]): (group: AutoScalingGroup) => boolean {
  if (name.startsWith('tag:')) {
    const key = name.slice('tag:'.length);
    return (g) => g.tags.some((t) => t.key === key && values.includes(t.value));
  }
  if (name === 'tag-key') return (g) => g.tags.some((t) => values.includes(t.key));
  if (name === 'tag-value') return (g) => g.tags.some((t) => values.includes(t.value));
  throw autoScalingErrors.validation(`Filter name ${name} is not valid; use tag:<key>, tag-key or tag-value.`);
}

function encodeToken(name: string): string {
  return Buffer.from(`asg:${name}`, 'utf8').toString('base64url');
}

function decodeToken(token: string): string {
  const text = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, 'base64url').toString('utf8') : '';
  if (!text.startsWith('asg:')) throw autoScalingErrors.invalidNextToken();
  return text.slice('asg:'.length);
}
