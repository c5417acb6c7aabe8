import type { EpochMs } from '../../../clock/types.js';
import { cancelOwned, scheduleOwned, type TimerOwner } from '../../owned-timers.js';
import type { CallContext, Rng, SimWorld, TargetableResource } from '../../types.js';
import { ec2Errors } from './errors.js';
import { applyFilters, byId, paginate, tagsFor, tagsOf, tagsOfResource } from './listing.js';
import { regionZones, zoneIdOf } from './zones.js';
import {
  instanceStateCodes,
  type CapacityFault,
  type DescribeAvailabilityZonesInput,
  type DescribeInstancesInput,
  type DescribeSubnetsInput,
  type Ec2AvailabilityZone,
  type Ec2Instance,
  type Ec2Subnet,
  type InstanceStateName,
  type LaunchSpec,
  type Page,
  type RunInstancesInput,
  type StateChange,
  type Tag,
} from './types.js';

const HEX = '0123456789abcdef';
const instanceIdPattern = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const subnetIdPattern = /^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
/** EC2 keeps describing a terminated instance for about an hour. */
const TERMINATED_VISIBLE_MS = 60 * 60_000;
const DAY_MS = 86_400_000;
const DEFAULT_TYPE = 'm6g.large';
const DEFAULT_IMAGE = 'ami-0c02fb55956c7d316';

/** FIS's resource type for EC2 instances. */
export const EC2_INSTANCE = 'aws:ec2:instance';

/** An instance as FIS sees it: target filters are paths into DescribeInstances' shape. */
export interface InstanceResource extends TargetableResource {
  InstanceId: string;
  InstanceType: string;
  ImageId: string;
  SubnetId: string;
  VpcId: string;
  Placement: { AvailabilityZone: string };
  State: { Name: InstanceStateName; Code: number };
}

/** The subnets a network module declares (read through `targetable`, so EC2 does not depend on it). */
interface NetworkSubnet extends TargetableResource {
  SubnetId: string;
  AvailabilityZone: string;
  VpcId?: string;
}

/** Why an instance serves nothing even though it may be `running`. */
export type NotServing = 'not-running' | 'rebooting' | 'zone-unpowered' | 'subnet-down' | 'region-down';

/**
 * EC2 instances: launches (RunInstances, an Auto Scaling group, the
 * environment at t = 0), the state machine pending → running → stopping →
 * stopped → pending …, shutting-down → terminated with AWS's calibrated
 * timings, reboots, and what an Availability Zone's power does to them.
 * Subnets come from the network module. Injected capacity faults make
 * launches and starts in a zone fail with InsufficientInstanceCapacity.
 * Works on the EC2 model's world; the binding shapes the wire.
 */
export class Ec2Instances {
  private readonly byKey = new Map<string, Ec2Instance>();
  private readonly capacityFaults: CapacityFault[] = [];
  private readonly ids: Rng;
  private readonly faultDraws: Rng;
  private readonly vpcIds = new Map<string, string>();

  constructor(private readonly world: SimWorld) {
    this.ids = world.rng.fork('ec2:instance-ids');
    this.faultDraws = world.rng.fork('ec2:capacity-faults');
    world.onEvent((event) => {
      const zone = event.detail['zone'];
      if (typeof zone !== 'string') return;
      if (event.kind === 'zone.power-lost') this.powerLost(zone);
      else if (event.kind === 'zone.power-restored') this.powerRestored(zone);
    });
  }

  private now(): EpochMs {
    return this.world.clock.now();
  }

  private key(region: string, id: string): string {
    return `${region}/${id}`;
  }

  // ── Lookup ──────────────────────────────────────────────────────────────

  find(region: string, id: string): Ec2Instance | undefined {
    return this.byKey.get(this.key(region, id));
  }

  instance(region: string, id: string): Ec2Instance {
    if (!instanceIdPattern.test(id)) throw ec2Errors.instanceIdMalformed(id);
    const found = this.find(region, id);
    if (!found) throw ec2Errors.instanceNotFound(id);
    return found;
  }

  byArn(arn: string): Ec2Instance | undefined {
    const match = /^arn:aws:ec2:([a-z0-9-]+):\d{12}:instance\/(i-[0-9a-f]+)$/.exec(arn);
    return match ? this.find(match[1]!, match[2]!) : undefined;
  }

  inRegion(region: string): Ec2Instance[] {
    return [...this.byKey.values()].filter((i) => i.region === region).sort(byId);
  }

  arnOf(region: string, id: string): string {
    return `arn:aws:ec2:${region}:${this.world.accountId}:instance/${id}`;
  }

  /** Running, its OS up, its zone powered and its subnet reachable: what a load balancer would send traffic to. */
  whyNotServing(instance: Ec2Instance): NotServing | undefined {
    if (!this.world.faults.isRegionUp(instance.region)) return 'region-down';
    if (instance.state !== 'running') return 'not-running';
    if (!this.world.faults.isZonePowered(instance.availabilityZone)) return 'zone-unpowered';
    if (!this.world.faults.isSubnetUp(instance.subnetId)) return 'subnet-down';
    if (instance.rebootingUntil !== undefined && instance.rebootingUntil > this.now()) return 'rebooting';
    return undefined;
  }

  // ── Subnets (the network module's, as EC2 describes them) ───────────────

  private networkSubnets(region: string): NetworkSubnet[] {
    const out: NetworkSubnet[] = [];
    for (const module of this.world.modules()) {
      for (const resource of module.targetable?.('aws:ec2:subnet', region) ?? []) {
        const subnet = resource as Partial<NetworkSubnet>;
        if (typeof subnet.SubnetId === 'string' && typeof subnet.AvailabilityZone === 'string') out.push(resource as NetworkSubnet);
      }
    }
    return out.sort((a, b) => (a.SubnetId < b.SubnetId ? -1 : a.SubnetId > b.SubnetId ? 1 : 0));
  }

  /** The region's default VPC id when the network names none: one per region, drawn once. */
  private vpcOf(region: string): string {
    let id = this.vpcIds.get(region);
    if (!id) {
      id = `vpc-${this.world.rng.fork(`ec2:vpc:${region}`).alnum(17, HEX)}`;
      this.vpcIds.set(region, id);
    }
    return id;
  }

  subnetsIn(region: string): Ec2Subnet[] {
    return this.networkSubnets(region).map((s, i) => ({
      id: s.SubnetId,
      region,
      arn: s.arn,
      availabilityZone: s.AvailabilityZone,
      vpcId: s.VpcId ?? this.vpcOf(region),
      // /20s of a 10.0.0.0/16, in subnet id order.
      cidrBlock: `10.0.${(i * 16) % 256}.0/20`,
      tags: Object.entries(s.tags).map(([Key, Value]) => ({ Key, Value })),
    }));
  }

  describeSubnets(region: string, input: DescribeSubnetsInput): Page<Ec2Subnet> {
    let subnets = this.subnetsIn(region);
    if (input.SubnetId?.length) {
      const wanted = new Set(input.SubnetId);
      for (const id of wanted) {
        if (!subnetIdPattern.test(id)) throw ec2Errors.subnetIdMalformed(id);
        if (!subnets.some((s) => s.id === id)) throw ec2Errors.subnetNotFound(id);
      }
      subnets = subnets.filter((s) => wanted.has(s.id));
    }
    const filtered = applyFilters(
      subnets,
      input.Filter,
      {
        'subnet-id': (s) => [s.id],
        'availability-zone': (s) => [s.availabilityZone],
        'vpc-id': (s) => [s.vpcId],
        'cidr-block': (s) => [s.cidrBlock],
        cidr: (s) => [s.cidrBlock],
        state: () => ['available'],
        'subnet-arn': (s) => [s.arn],
        'owner-id': () => [this.world.accountId],
        'default-for-az': () => ['false'],
      },
      tagsOfResource,
    );
    return paginate(filtered, input, { min: 5, max: 1000 });
  }

  /** The subnet a launch into `zone` uses: the network's first in that zone, or one named after the zone. */
  private subnetFor(region: string, zone: string): { id: string; vpcId: string } {
    const known = this.subnetsIn(region).find((s) => s.availabilityZone === zone);
    if (known) return { id: known.id, vpcId: known.vpcId };
    const hex = this.world.rng.fork(`ec2:subnet:${zone}`).alnum(17, HEX);
    return { id: `subnet-${hex}`, vpcId: this.vpcOf(region) };
  }

  /** The zones a region offers for launches: its subnets' zones, or all of the region's. */
  zonesOf(region: string): string[] {
    const zones = [...new Set(this.subnetsIn(region).map((s) => s.availabilityZone))].sort();
    return zones.length > 0 ? zones : regionZones(region);
  }

  /** Every zone of the region (zones.ts), whether or not a subnet is in it, as DescribeAvailabilityZones lists them. */
  availabilityZones(region: string): Ec2AvailabilityZone[] {
    return regionZones(region, this.subnetsIn(region).map((s) => s.availabilityZone)).map((name) => ({ name, id: zoneIdOf(name), region }));
  }

  /**
   * DescribeAvailabilityZones: a zone name or ID the region does not have
   * is an error, as on AWS. AllAvailabilityZones adds Local and Wavelength
   * Zones on AWS; the sim has none, so it changes nothing.
   */
  describeAvailabilityZones(region: string, input: DescribeAvailabilityZonesInput): Ec2AvailabilityZone[] {
    let zones = this.availabilityZones(region);
    if (input.ZoneName?.length) {
      const unknown = input.ZoneName.filter((name) => !zones.some((z) => z.name === name));
      if (unknown.length > 0) throw ec2Errors.invalidParameterValue(`Invalid availability zone: [${unknown.join(', ')}]`);
      zones = zones.filter((z) => input.ZoneName!.includes(z.name));
    }
    if (input.ZoneId?.length) {
      const unknown = input.ZoneId.filter((id) => !zones.some((z) => z.id === id));
      if (unknown.length > 0) throw ec2Errors.invalidParameterValue(`Invalid availability zone ID: [${unknown.join(', ')}]`);
      zones = zones.filter((z) => input.ZoneId!.includes(z.id));
    }
    return applyFilters(zones, input.Filter, {
      'zone-name': (z) => [z.name],
      'zone-id': (z) => [z.id],
      'region-name': (z) => [z.region],
      'group-name': (z) => [z.region],
      'network-border-group': (z) => [z.region],
      state: () => ['available'],
      'zone-type': () => ['availability-zone'],
      'opt-in-status': () => ['opt-in-not-required'],
    });
  }

  // ── Capacity faults ─────────────────────────────────────────────────────

  addCapacityFault(fault: CapacityFault): void {
    this.capacityFaults.push(fault);
    this.world.emit('ec2.capacity-fault.added', { id: fault.id, zones: [...fault.zones], percentage: fault.percentage });
  }

  removeCapacityFault(id: string): void {
    const at = this.capacityFaults.findIndex((f) => f.id === id);
    if (at < 0) return;
    this.capacityFaults.splice(at, 1);
    this.world.emit('ec2.capacity-fault.removed', { id });
  }

  /** Refuse a launch or start in `zone` when its power is out or an injected fault says so. */
  private checkCapacity(zone: string, type: string, by: LaunchSpec['launchedBy']): void {
    if (!this.world.faults.isZonePowered(zone)) throw ec2Errors.insufficientCapacity(type, zone);
    for (const fault of this.capacityFaults) {
      if (!fault.zones.includes(zone)) continue;
      const applies = 'role' in by ? fault.roles?.includes(by.role) : fault.autoScalingGroups?.includes(by.autoScalingGroup);
      if (applies && this.faultDraws.next() * 100 < fault.percentage) throw ec2Errors.insufficientCapacity(type, zone);
    }
  }

  // ── Launching ───────────────────────────────────────────────────────────

  /**
   * A new instance in `spec.availabilityZone`: pending for the calibrated
   * launch time, then running (or running at once when seeded). Throws
   * InsufficientInstanceCapacity when the zone cannot take it.
   */
  launch(spec: LaunchSpec, reservationId = this.newReservationId()): Ec2Instance {
    const type = spec.instanceType ?? DEFAULT_TYPE;
    if (!spec.running) this.checkCapacity(spec.availabilityZone, type, spec.launchedBy);
    const subnet = spec.subnetId !== undefined ? { id: spec.subnetId, vpcId: this.subnetsIn(spec.region).find((s) => s.id === spec.subnetId)?.vpcId ?? this.vpcOf(spec.region) } : this.subnetFor(spec.region, spec.availabilityZone);
    const id = `i-${this.ids.alnum(17, HEX)}`;
    const arn = this.arnOf(spec.region, id);
    const rng = this.world.rng.fork(`ec2:${arn}`);
    const now = this.now();
    const instance: Ec2Instance = {
      id,
      region: spec.region,
      arn,
      availabilityZone: spec.availabilityZone,
      subnetId: subnet.id,
      vpcId: subnet.vpcId,
      privateIpAddress: `10.0.${rng.int(0, 255)}.${rng.int(4, 254)}`,
      instanceType: type,
      imageId: spec.imageId ?? DEFAULT_IMAGE,
      reservationId,
      launchedAt: spec.running ? now - 30 * DAY_MS : now,
      state: spec.running ? 'running' : 'pending',
      transitionReason: '',
      tags: tagsOf(spec.tags),
      rng,
      timers: new Set(),
    };
    this.byKey.set(this.key(spec.region, id), instance);
    this.emitState(instance, undefined);
    if (!spec.running) this.scheduleRunning(instance);
    return instance;
  }

  newReservationId(): string {
    return `r-${this.ids.alnum(17, HEX)}`;
  }

  private scheduleRunning(instance: Ec2Instance): void {
    this.after(instance, this.world.duration('ec2.instance.launch', instance.rng), 'running', () => this.setState(instance, 'running'));
  }

  // ── State ───────────────────────────────────────────────────────────────

  private after(instance: TimerOwner & Ec2Instance, ms: number, what: string, task: () => void): void {
    scheduleOwned(this.world.clock, instance, this.now() + Math.max(0, ms), `ec2 ${instance.region}/${instance.id}: ${what}`, task);
  }

  private emitState(instance: Ec2Instance, previous: InstanceStateName | undefined): void {
    this.world.emit('ec2.instance.state', {
      region: instance.region,
      instanceId: instance.id,
      arn: instance.arn,
      availabilityZone: instance.availabilityZone,
      state: instance.state,
      ...(previous !== undefined ? { previous } : {}),
      ...(instance.stateReason ? { reason: instance.stateReason.code } : {}),
    });
  }

  private setState(instance: Ec2Instance, state: InstanceStateName): void {
    if (instance.state === state) return;
    const previous = instance.state;
    instance.state = state;
    if (state === 'running') {
      instance.launchedAt = this.now();
      delete instance.stateReason;
      instance.transitionReason = '';
    }
    if (state === 'terminated') {
      instance.terminatedAt = this.now();
      // A terminated instance is described for an hour, then forgotten: a long-running server does not keep them.
      this.after(instance, TERMINATED_VISIBLE_MS, 'forgotten', () => {
        this.byKey.delete(this.key(instance.region, instance.id));
        this.world.emit('ec2.instance.forgotten', { region: instance.region, instanceId: instance.id });
      });
    }
    this.emitState(instance, previous);
  }

  private userInitiated(): string {
    const at = new Date(this.now()).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' GMT');
    return `User initiated (${at})`;
  }

  /** StopInstances on one instance: stopping, then stopped after the calibrated time. */
  stop(instance: Ec2Instance, reason = { code: 'Client.UserInitiatedShutdown', message: 'Client.UserInitiatedShutdown: User initiated shutdown' }): StateChange {
    const previous = instance.state;
    if (previous === 'stopping' || previous === 'stopped') return { instanceId: instance.id, previous, current: previous };
    if (previous === 'shutting-down' || previous === 'terminated') throw ec2Errors.incorrectInstanceState(instance.id, previous, 'stopped');
    cancelOwned(this.world.clock, instance);
    delete instance.rebootingUntil;
    instance.stateReason = reason;
    instance.transitionReason = this.userInitiated();
    this.setState(instance, 'stopping');
    this.after(instance, this.world.duration('ec2.instance.stop', instance.rng), 'stopped', () => this.setState(instance, 'stopped'));
    return { instanceId: instance.id, previous, current: 'stopping' };
  }

  /** StartInstances on one instance: pending, then running; refused where the zone has no capacity. */
  start(instance: Ec2Instance, by: LaunchSpec['launchedBy']): StateChange {
    const previous = instance.state;
    if (previous === 'pending' || previous === 'running') return { instanceId: instance.id, previous, current: previous };
    if (previous !== 'stopped') throw ec2Errors.incorrectInstanceState(instance.id, previous, 'started');
    this.checkCapacity(instance.availabilityZone, instance.instanceType, by);
    delete instance.stoppedByPowerLoss;
    this.setState(instance, 'pending');
    this.scheduleRunning(instance);
    return { instanceId: instance.id, previous, current: 'pending' };
  }

  /** TerminateInstances on one instance: shutting-down, then terminated. */
  terminate(instance: Ec2Instance, reason = { code: 'Client.UserInitiatedShutdown', message: 'Client.UserInitiatedShutdown: User initiated shutdown' }): StateChange {
    const previous = instance.state;
    if (previous === 'shutting-down' || previous === 'terminated') return { instanceId: instance.id, previous, current: previous };
    cancelOwned(this.world.clock, instance);
    delete instance.rebootingUntil;
    instance.stateReason = reason;
    instance.transitionReason = this.userInitiated();
    this.setState(instance, 'shutting-down');
    this.after(instance, this.world.duration('ec2.instance.terminate', instance.rng), 'terminated', () => this.setState(instance, 'terminated'));
    return { instanceId: instance.id, previous, current: 'shutting-down' };
  }

  /** RebootInstances on one instance: still running, but its OS is down for the calibrated reboot time. */
  reboot(instance: Ec2Instance): void {
    if (instance.state !== 'running') throw ec2Errors.incorrectInstanceState(instance.id, instance.state, 'rebooted');
    const until = this.now() + this.world.duration('ec2.instance.reboot', instance.rng);
    instance.rebootingUntil = until;
    this.world.emit('ec2.instance.rebooting', { region: instance.region, instanceId: instance.id, arn: instance.arn, until });
    this.after(instance, until - this.now(), 'rebooted', () => {
      if (instance.rebootingUntil !== until) return;
      delete instance.rebootingUntil;
      this.world.emit('ec2.instance.rebooted', { region: instance.region, instanceId: instance.id, arn: instance.arn });
    });
  }

  // ── An Availability Zone's power ────────────────────────────────────────

  /** Everything running in the zone stops at once: no orderly shutdown without power. */
  private powerLost(zone: string): void {
    for (const instance of this.byKey.values()) {
      if (instance.availabilityZone !== zone) continue;
      if (instance.state !== 'pending' && instance.state !== 'running' && instance.state !== 'stopping') continue;
      cancelOwned(this.world.clock, instance);
      delete instance.rebootingUntil;
      instance.stoppedByPowerLoss = true;
      instance.stateReason = { code: 'Server.InternalError', message: 'Server.InternalError: the Availability Zone lost power' };
      instance.transitionReason = 'Server initiated: power loss in the Availability Zone';
      this.setState(instance, 'stopped');
    }
  }

  /** What the power loss stopped comes back once the power does (EC2 restarts EBS-backed instances). */
  private powerRestored(zone: string): void {
    for (const instance of [...this.byKey.values()].sort(byId)) {
      if (instance.availabilityZone !== zone || !instance.stoppedByPowerLoss || instance.state !== 'stopped') continue;
      delete instance.stoppedByPowerLoss;
      this.setState(instance, 'pending');
      this.scheduleRunning(instance);
    }
  }

  // ── The API ─────────────────────────────────────────────────────────────

  describeInstances(region: string, input: DescribeInstancesInput): Page<Ec2Instance> {
    if (input.InstanceId?.length && input.MaxResults !== undefined) {
      throw ec2Errors.invalidParameterCombination('The parameter instancesSet cannot be used with the parameter maxResults');
    }
    let instances: Ec2Instance[];
    if (input.InstanceId?.length) {
      const missing: string[] = [];
      instances = [];
      for (const id of new Set(input.InstanceId)) {
        if (!instanceIdPattern.test(id)) throw ec2Errors.instanceIdMalformed(id);
        const found = this.find(region, id);
        if (found) instances.push(found);
        else missing.push(id);
      }
      if (missing.length > 0) throw ec2Errors.instanceNotFound(missing.join(', '));
      instances.sort(byId);
    } else {
      instances = this.inRegion(region);
    }
    const filtered = applyFilters(
      instances,
      input.Filter,
      {
        'instance-id': (i) => [i.id],
        'instance-state-name': (i) => [i.state],
        'instance-state-code': (i) => [String(instanceStateCodes[i.state])],
        'availability-zone': (i) => [i.availabilityZone],
        'instance-type': (i) => [i.instanceType],
        'image-id': (i) => [i.imageId],
        'subnet-id': (i) => [i.subnetId],
        'vpc-id': (i) => [i.vpcId],
        'private-ip-address': (i) => [i.privateIpAddress],
        'reservation-id': (i) => [i.reservationId],
        'owner-id': () => [this.world.accountId],
        'state-reason-code': (i) => (i.stateReason ? [i.stateReason.code] : []),
      },
      tagsOfResource,
    );
    return paginate(filtered, input, { min: 5, max: 1000 });
  }

  runInstances(region: string, input: RunInstancesInput, ctx: CallContext): Ec2Instance[] {
    if (input.ImageId === undefined) throw ec2Errors.missingParameter('ImageId');
    if (!Number.isInteger(input.MinCount) || input.MinCount < 1) throw ec2Errors.invalidParameterValue(`Value (${input.MinCount}) for parameter minCount is invalid. Expected a positive integer.`);
    if (!Number.isInteger(input.MaxCount) || input.MaxCount < input.MinCount) {
      throw ec2Errors.invalidParameterValue(`Value (${input.MaxCount}) for parameter maxCount is invalid. Expected an integer of at least minCount.`);
    }
    let zone = input.Placement?.AvailabilityZone;
    let subnetId = input.SubnetId;
    if (subnetId !== undefined) {
      if (!subnetIdPattern.test(subnetId)) throw ec2Errors.subnetIdMalformed(subnetId);
      const subnet = this.subnetsIn(region).find((s) => s.id === subnetId);
      if (!subnet) throw ec2Errors.subnetNotFound(subnetId);
      if (zone !== undefined && zone !== subnet.availabilityZone) {
        throw ec2Errors.invalidParameterValue(`The subnet ${subnetId} is in ${subnet.availabilityZone}, not ${zone}.`);
      }
      zone = subnet.availabilityZone;
    }
    zone ??= this.zonesOf(region)[0]!;
    if (!zone.startsWith(region) || zone.length !== region.length + 1) throw ec2Errors.zoneNotFound(zone);
    const tags = Object.fromEntries(tagsFor('instance', input.TagSpecification).map((t: Tag) => [t.Key, t.Value]));
    const type = input.InstanceType ?? 'm1.small';
    // Capacity is checked once for the whole request: EC2 launches all of MinCount or none.
    this.checkCapacity(zone, type, { role: ctx.identity.role });
    const reservationId = this.newReservationId();
    return Array.from({ length: input.MaxCount }, () =>
      this.launch(
        { region, availabilityZone: zone!, ...(subnetId !== undefined ? { subnetId } : {}), instanceType: type, imageId: input.ImageId!, tags, launchedBy: { role: ctx.identity.role }, running: false },
        reservationId,
      ),
    );
  }

  private many(region: string, ids: readonly string[]): Ec2Instance[] {
    if (ids.length === 0) throw ec2Errors.missingParameter('InstanceId');
    const missing: string[] = [];
    const found: Ec2Instance[] = [];
    for (const id of ids) {
      if (!instanceIdPattern.test(id)) throw ec2Errors.instanceIdMalformed(id);
      const instance = this.find(region, id);
      if (instance) found.push(instance);
      else missing.push(id);
    }
    if (missing.length > 0) throw ec2Errors.instanceNotFound(missing.join(', '));
    return found;
  }

  startInstances(region: string, ids: readonly string[], ctx: CallContext): StateChange[] {
    const instances = this.many(region, ids);
    // Every instance is checked before any starts: EC2 starts all or none.
    for (const i of instances) if (i.state !== 'stopped' && i.state !== 'pending' && i.state !== 'running') throw ec2Errors.incorrectInstanceState(i.id, i.state, 'started');
    return instances.map((i) => this.start(i, { role: ctx.identity.role }));
  }

  stopInstances(region: string, ids: readonly string[]): StateChange[] {
    const instances = this.many(region, ids);
    for (const i of instances) if (i.state === 'shutting-down' || i.state === 'terminated') throw ec2Errors.incorrectInstanceState(i.id, i.state, 'stopped');
    return instances.map((i) => this.stop(i));
  }

  terminateInstances(region: string, ids: readonly string[]): StateChange[] {
    return this.many(region, ids).map((i) => this.terminate(i));
  }

  rebootInstances(region: string, ids: readonly string[]): void {
    const instances = this.many(region, ids);
    for (const i of instances) if (i.state !== 'running') throw ec2Errors.incorrectInstanceState(i.id, i.state, 'rebooted');
    for (const i of instances) this.reboot(i);
  }

  // ── FIS targets ─────────────────────────────────────────────────────────

  targetable(region: string): InstanceResource[] {
    return this.inRegion(region)
      .filter((i) => i.state !== 'terminated')
      .map((i) => ({
        arn: i.arn,
        type: EC2_INSTANCE,
        region,
        tags: Object.fromEntries(i.tags.map((t) => [t.Key, t.Value])),
        InstanceId: i.id,
        InstanceType: i.instanceType,
        ImageId: i.imageId,
        SubnetId: i.subnetId,
        VpcId: i.vpcId,
        Placement: { AvailabilityZone: i.availabilityZone },
        State: { Name: i.state, Code: instanceStateCodes[i.state] },
      }));
  }
}
