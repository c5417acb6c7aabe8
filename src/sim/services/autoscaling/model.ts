import type { EpochMs } from '../../../clock/types.js';
import { scheduleOwned } from '../../owned-timers.js';
import { AwsError, type SimWorld, type TargetableResource } from '../../types.js';
import { AUTO_SCALING_GROUP, type Ec2Instance, type Ec2Module } from '../ec2/index.js';
import { autoScalingErrors } from './errors.js';
import type {
  AutoScalingGroup,
  DescribeGroupsInput,
  Fleet,
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
export { AUTO_SCALING_GROUP };

/**
 * The groups of every region, each keeping its desired capacity of EC2
 * instances. New instances are launched in the zone with the fewest of the
 * group's instances (a zone that refuses, for want of capacity or power, is
 * passed over for the next); they are Pending until the launch activity
 * that started them completes (`app.scale-up.warm`, or `app.scale-up.cold`
 * for a group with nothing in service) and they run, then InService
 * together. An instance that stops running is found unhealthy by the
 * group's health check (`autoscaling.health-check`, not before its grace
 * period has run since it came into service), terminated and replaced.
 * Fewer wanted: the newest go first.
 */
export class AutoScalingModel {
  /** `region/name` → group. */
  private readonly groups = new Map<string, AutoScalingGroup>();
  /** EC2 instance id → its group. */
  private readonly byInstance = new Map<string, AutoScalingGroup>();

  constructor(private readonly world: SimWorld) {
    world.onEvent((event) => {
      if (event.kind !== 'ec2.instance.state' && event.kind !== 'ec2.instance.forgotten') return;
      const id = event.detail['instanceId'];
      const group = typeof id === 'string' ? this.byInstance.get(id) : undefined;
      if (group) this.instanceChanged(group, id as string);
    });
  }

  private now(): EpochMs {
    return this.world.clock.now();
  }

  private key(region: string, name: string): string {
    return `${region}/${name}`;
  }

  private ec2(): Ec2Module['model'] {
    return this.world.module('ec2').model;
  }

  /**
   * A group in its steady state at t = 0: `desired` instances running and
   * in service, spread over its zones, their grace periods long over.
   */
  seedGroup(spec: SeedGroupSpec): AutoScalingGroup {
    const key = this.key(spec.region, spec.name);
    if (this.groups.has(key)) throw new Error(`an Auto Scaling group ${spec.name} already exists in ${spec.region}`);
    const minSize = spec.minSize ?? 0;
    const desired = spec.desired;
    if (!(Number.isInteger(minSize) && Number.isInteger(spec.maxSize) && minSize >= 0 && minSize <= desired && desired <= spec.maxSize)) {
      throw new RangeError(`group ${spec.name}: needs whole numbers with 0 ≤ min (${minSize}) ≤ desired (${desired}) ≤ max (${spec.maxSize})`);
    }
    const rng = this.world.rng.fork(`autoscaling:${key}`);
    const hex = (n: number) => rng.alnum(n, '0123456789abcdef');
    const arn = `arn:aws:autoscaling:${spec.region}:${this.world.accountId}:autoScalingGroup:${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}:autoScalingGroupName/${spec.name}`;
    const zones = spec.availabilityZones ?? this.defaultZones(spec.region);
    const group: AutoScalingGroup = {
      name: spec.name,
      region: spec.region,
      arn,
      createdAt: this.now(),
      minSize,
      maxSize: spec.maxSize,
      desired,
      defaultCooldown: DEFAULT_COOLDOWN_SECONDS,
      healthCheckType: 'EC2',
      healthCheckGracePeriod: DEFAULT_GRACE_PERIOD_SECONDS,
      availabilityZones: zones,
      instanceType: spec.instanceType ?? 'm6g.large',
      launchTemplate: { id: `lt-${hex(17)}`, name: spec.name, version: '$Default' },
      tags: Object.entries(spec.tags ?? {}).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
      instances: [],
      launches: 0,
      rng,
      timers: new Set(),
    };
    this.groups.set(key, group);
    const reservation = this.ec2().instances.newReservationId();
    for (let i = 0; i < desired; i++) {
      const zone = this.zonesByLoad(group)[0]!;
      const instance = this.ec2().instances.launch({ ...this.launchSpec(group, zone), running: true }, reservation);
      // In service since long before t = 0: the grace period is over.
      this.adopt(group, instance, 'InService', this.now() - 30 * 86_400_000);
    }
    this.world.emit('autoscaling.group.seeded', { region: group.region, group: group.name, minSize, maxSize: group.maxSize, desired });
    return group;
  }

  /** The region's subnets' zones, else its a and b. */
  private defaultZones(region: string): string[] {
    const zones = this.ec2().instances.zonesOf(region);
    return zones.length >= 2 && zones.every((z) => z.startsWith(region)) && this.ec2().instances.subnetsIn(region).length > 0 ? zones : [`${region}a`, `${region}b`];
  }

  private launchSpec(group: AutoScalingGroup, zone: string) {
    const tags: Record<string, string> = { 'aws:autoscaling:groupName': group.name };
    for (const tag of group.tags) if (tag.propagateAtLaunch) tags[tag.key] = tag.value;
    return { region: group.region, availabilityZone: zone, instanceType: group.instanceType, tags, launchedBy: { autoScalingGroup: group.name } };
  }

  private adopt(group: AutoScalingGroup, instance: Ec2Instance, state: GroupInstance['state'], inServiceAt?: EpochMs): GroupInstance {
    const member: GroupInstance = {
      id: instance.id,
      availabilityZone: instance.availabilityZone,
      state,
      health: 'Healthy',
      ...(inServiceAt !== undefined ? { inServiceAt } : {}),
      launchIndex: group.launches++,
    };
    group.instances.push(member);
    this.byInstance.set(instance.id, group);
    return member;
  }

  /** Groups of a region, by name. */
  groupsIn(region: string): AutoScalingGroup[] {
    return [...this.groups.values()].filter((g) => g.region === region).sort((a, b) => compare(a.name, b.name));
  }

  group(region: string, name: string): AutoScalingGroup | undefined {
    return this.groups.get(this.key(region, name));
  }

  view(group: AutoScalingGroup): GroupView {
    return { group, desired: group.desired, instances: [...group.instances].sort((a, b) => a.launchIndex - b.launchIndex) };
  }

  /** The group as the app sees it (one view per group). */
  fleet(group: AutoScalingGroup): Fleet {
    return {
      state: () => {
        const servingByZone: Record<string, number> = {};
        let running = 0;
        let launching = 0;
        for (const member of group.instances) {
          if (member.state === 'Pending') launching++;
          if (member.state !== 'InService' || member.health !== 'Healthy') continue;
          const instance = this.ec2().instances.find(group.region, member.id);
          if (!instance || this.ec2().instances.whyNotServing(instance) !== undefined) continue;
          servingByZone[member.availabilityZone] = (servingByZone[member.availabilityZone] ?? 0) + 1;
          running++;
        }
        return { running, launching, desired: group.desired, servingByZone };
      },
      setDesired: (count) => this.changeDesired(group, count, 'the app'),
    };
  }

  private find(region: string, name: string): AutoScalingGroup {
    const group = this.groups.get(this.key(region, name));
    if (!group) throw autoScalingErrors.groupNotFound(name);
    return group;
  }

  /** Groups as FIS sees them (`aws:ec2:autoscaling-group`), with their tags and zones. */
  targetable(region: string): TargetableResource[] {
    return this.groupsIn(region).map((g) => ({
      arn: g.arn,
      type: AUTO_SCALING_GROUP,
      region,
      tags: Object.fromEntries(g.tags.map((t) => [t.key, t.value])),
      AutoScalingGroupName: g.name,
      AvailabilityZones: [...g.availabilityZones],
    }));
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
    const current = group.desired;
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
    const launching = group.instances.filter((i) => i.state === 'Pending').length;
    if (launching > 0) throw autoScalingErrors.scalingActivityInProgress(group.name, `${launching} instances are launching`);
    const now = this.now();
    if (group.lastScalingAt !== undefined && now < group.lastScalingAt + group.defaultCooldown * 1000) {
      const ends = new Date(group.lastScalingAt + group.defaultCooldown * 1000).toISOString();
      throw autoScalingErrors.scalingActivityInProgress(group.name, `the cooldown of ${group.defaultCooldown} seconds lasts until ${ends}`);
    }
  }

  private changeDesired(group: AutoScalingGroup, desired: number, cause: string): void {
    const before = group.desired;
    if (desired === before) return;
    group.lastScalingAt = this.now();
    group.desired = desired;
    this.world.emit('autoscaling.desired-capacity.set', { region: group.region, group: group.name, from: before, to: desired, cause });
    this.reconcile(group);
  }

  /** Instances that count towards the desired capacity: on their way or in service, and healthy. */
  private live(group: AutoScalingGroup): GroupInstance[] {
    return group.instances.filter((i) => i.state !== 'Terminating' && i.health === 'Healthy');
  }

  /** The group's zones, the one with the fewest live instances first (AWS keeps a group balanced). */
  private zonesByLoad(group: AutoScalingGroup): string[] {
    const live = this.live(group);
    const count = (zone: string) => live.filter((i) => i.availabilityZone === zone).length;
    return group.availabilityZones.map((zone, order) => ({ zone, order, n: count(zone) })).sort((a, b) => a.n - b.n || a.order - b.order).map((z) => z.zone);
  }

  /**
   * Make the group hold its desired capacity: launch what is missing (each
   * in the least loaded zone that takes it), or terminate the newest when
   * there are too many. Launches no zone takes are tried again after the
   * group's next health check.
   */
  private reconcile(group: AutoScalingGroup): void {
    const live = this.live(group);
    if (live.length > group.desired) {
      const doomed = [...live].sort((a, b) => b.launchIndex - a.launchIndex).slice(0, live.length - group.desired);
      for (const member of doomed) this.terminate(group, member, 'scale-in');
      return;
    }
    const missing = group.desired - live.length;
    if (missing === 0) return;
    const launched: string[] = [];
    let refused: AwsError | undefined;
    for (let n = 0; n < missing; n++) {
      let instance: Ec2Instance | undefined;
      for (const zone of this.zonesByLoad(group)) {
        try {
          instance = this.ec2().instances.launch(this.launchSpec(group, zone));
          break;
        } catch (error) {
          if (!(error instanceof AwsError)) throw error;
          refused = error;
          this.world.emit('autoscaling.launch.failed', { region: group.region, group: group.name, availabilityZone: zone, error: error.code, message: error.message });
        }
      }
      if (!instance) break;
      this.adopt(group, instance, 'Pending');
      launched.push(instance.id);
    }
    if (launched.length > 0) this.startActivity(group, launched);
    if (launched.length < missing && refused) {
      // No zone took them: look again at the next health check, as the group retries failed launches.
      scheduleOwned(this.world.clock, group, this.now() + this.world.duration('autoscaling.health-check', group.rng), `autoscaling ${group.region}/${group.name}: retry launches`, () => this.reconcile(group));
    }
  }

  /**
   * New instances join the launch activity under way, or start one: warm
   * when the group has something in service, cold from nothing. They come
   * into service when it completes, each once it is running.
   */
  private startActivity(group: AutoScalingGroup, ids: readonly string[]): void {
    if (group.activity) {
      group.activity.instanceIds.push(...ids);
      this.world.emit('autoscaling.activity.widened', { region: group.region, group: group.name, instances: [...ids], completesAt: group.activity.completesAt });
      return;
    }
    const kind = group.instances.some((i) => i.state === 'InService' && i.health === 'Healthy') ? 'warm' : 'cold';
    const startedAt = this.now();
    const completesAt = startedAt + this.world.duration(kind === 'cold' ? 'app.scale-up.cold' : 'app.scale-up.warm', group.rng);
    group.activity = { kind, startedAt, completesAt, instanceIds: [...ids] };
    this.world.emit('autoscaling.activity.started', { region: group.region, group: group.name, kind, instances: [...ids], completesAt });
    scheduleOwned(this.world.clock, group, completesAt, `autoscaling ${group.region}/${group.name}: launch activity`, () => {
      const done = group.activity;
      group.activity = undefined;
      if (!done) return;
      this.world.emit('autoscaling.activity.completed', { region: group.region, group: group.name, kind: done.kind, instances: [...done.instanceIds], durationMs: this.now() - done.startedAt });
      for (const id of done.instanceIds) this.bringIntoService(group, id);
    });
  }

  /** Pending → InService once the activity is over and the instance runs. */
  private bringIntoService(group: AutoScalingGroup, id: string): void {
    const member = group.instances.find((i) => i.id === id);
    if (!member || member.state !== 'Pending' || group.activity?.instanceIds.includes(id)) return;
    const instance = this.ec2().instances.find(group.region, id);
    if (instance?.state !== 'running') return;
    member.state = 'InService';
    member.inServiceAt = this.now();
    this.world.emit('autoscaling.instance.lifecycle', { region: group.region, group: group.name, instanceId: id, availabilityZone: member.availabilityZone, state: 'InService' });
  }

  private terminate(group: AutoScalingGroup, member: GroupInstance, why: 'scale-in' | 'unhealthy'): void {
    member.state = 'Terminating';
    this.world.emit('autoscaling.instance.lifecycle', { region: group.region, group: group.name, instanceId: member.id, availabilityZone: member.availabilityZone, state: 'Terminating', why });
    const instance = this.ec2().instances.find(group.region, member.id);
    if (instance && instance.state !== 'terminated' && instance.state !== 'shutting-down') {
      this.ec2().instances.terminate(instance, { code: 'Client.UserInitiatedShutdown', message: `Client.UserInitiatedShutdown: terminated by the Auto Scaling group ${group.name} (${why})` });
    }
    if (!instance || instance.state === 'terminated') this.forget(group, member);
  }

  private forget(group: AutoScalingGroup, member: GroupInstance): void {
    group.instances = group.instances.filter((i) => i !== member);
    this.byInstance.delete(member.id);
    if (group.activity) group.activity.instanceIds = group.activity.instanceIds.filter((id) => id !== member.id);
  }

  /** An instance of the group changed state in EC2. */
  private instanceChanged(group: AutoScalingGroup, id: string): void {
    const member = group.instances.find((i) => i.id === id);
    if (!member) return;
    const instance = this.ec2().instances.find(group.region, id);
    if (member.state === 'Terminating') {
      if (!instance || instance.state === 'terminated') this.forget(group, member);
      return;
    }
    if (instance?.state === 'running') {
      if (member.state === 'Pending') this.bringIntoService(group, id);
      return;
    }
    if (instance && (instance.state === 'pending' || member.health === 'Unhealthy')) return;
    // No longer running: unhealthy once the health check looks, after the grace period.
    const graceEnds = (member.inServiceAt ?? this.now()) + group.healthCheckGracePeriod * 1000;
    const at = Math.max(this.now() + this.world.duration('autoscaling.health-check', group.rng), member.state === 'InService' ? graceEnds : this.now());
    scheduleOwned(this.world.clock, group, at, `autoscaling ${group.region}/${group.name}: health check of ${id}`, () => this.healthCheck(group, id));
  }

  private healthCheck(group: AutoScalingGroup, id: string): void {
    const member = group.instances.find((i) => i.id === id);
    if (!member || member.state === 'Terminating' || member.health === 'Unhealthy') return;
    const instance = this.ec2().instances.find(group.region, id);
    if (instance?.state === 'running' || instance?.state === 'pending') return;
    member.health = 'Unhealthy';
    this.world.emit('autoscaling.instance.unhealthy', { region: group.region, group: group.name, instanceId: id, availabilityZone: member.availabilityZone, ec2State: instance?.state ?? 'gone' });
    this.terminate(group, member, 'unhealthy');
    this.reconcile(group);
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
