import type { FisActionDefinition, FisActionRun, ServiceModule, SimWorld, TargetableResource } from '../../types.js';
import { durationParameter, injectFor } from '../fis/action-run.js';

/**
 * The network as FIS breaks it: subnets and IAM roles that experiments
 * target, and the sim-level fault actions (subnet disruption, cross-region
 * isolation, whole-region outage). Every fault is rolled back when its
 * duration ends or when its experiment stops, whichever comes first: an SRE
 * expects a stopped experiment to leave nothing broken.
 */

export interface SubnetSpec {
  id: string;
  region: string;
  /** Availability zone, e.g. `us-east-1a`. */
  az: string;
  vpcId?: string;
  tags?: Record<string, string>;
}

/** A subnet as FIS sees it; `AvailabilityZone`, `SubnetId` and `VpcId` are usable as target filter paths. */
export interface SubnetResource extends TargetableResource {
  SubnetId: string;
  AvailabilityZone: string;
  VpcId?: string;
}

export interface RoleResource extends TargetableResource {
  RoleName: string;
  /** When it was declared (IAM's CreateDate). */
  createdAt: number;
}

/** A transit gateway with peering attachments to other regions (aws:network:transit-gateway-disrupt-cross-region-connectivity). */
export interface TransitGatewayResource extends TargetableResource {
  TransitGatewayId: string;
  /** The regions its peering attachments reach. */
  peerRegions: string[];
  /** When it was declared (EC2's CreationTime for it and its peering attachments). */
  createdAt: number;
}

export interface TransitGatewaySpec {
  id: string;
  region: string;
  /** Regions its peering attachments reach. */
  peerRegions: string[];
  tags?: Record<string, string>;
}

const SUBNET = 'aws:ec2:subnet';
const ROLE = 'aws:iam:role';
const TRANSIT_GATEWAY = 'aws:ec2:transit-gateway';
const scopes = ['all', 'availability-zone', 'dynamodb', 'prefix-list', 's3'];

/**
 * Counts who holds a fault, so two experiments on one region do not restore
 * it under each other, and a fault someone else set is not lifted by us.
 */
class FaultHolds {
  private readonly held = new Map<string, { count: number; ours: boolean }>();

  acquire(key: string, alreadyFaulted: boolean, apply: () => void): void {
    const entry = this.held.get(key);
    if (entry) {
      entry.count++;
      return;
    }
    this.held.set(key, { count: 1, ours: !alreadyFaulted });
    if (!alreadyFaulted) apply();
  }

  release(key: string, restore: () => void): void {
    const entry = this.held.get(key);
    if (!entry) return;
    if (--entry.count > 0) return;
    this.held.delete(key);
    if (entry.ours) restore();
  }
}

export class NetworkModule implements ServiceModule {
  readonly name = 'network';
  readonly fisActions: FisActionDefinition[];
  private readonly subnetsById = new Map<string, SubnetResource>();
  private readonly rolesByName = new Map<string, RoleResource>();
  private readonly transitGateways = new Map<string, TransitGatewayResource>();
  private readonly holds = new FaultHolds();

  constructor(private readonly world: SimWorld) {
    this.fisActions = [
      this.disruptConnectivity(),
      this.crossRegionConnectivity(),
      this.transitGatewayConnectivity(),
      this.regionOutage(),
      this.zonePowerInterruption(),
    ];
  }

  /** Declare a transit gateway FIS can target; returns its ARN. */
  addTransitGateway(spec: TransitGatewaySpec): string {
    const arn = `arn:aws:ec2:${spec.region}:${this.world.accountId}:transit-gateway/${spec.id}`;
    this.transitGateways.set(spec.id, {
      arn,
      type: TRANSIT_GATEWAY,
      region: spec.region,
      tags: { ...spec.tags },
      TransitGatewayId: spec.id,
      peerRegions: [...spec.peerRegions],
      createdAt: this.world.clock.now(),
    });
    return arn;
  }

  /** Declare a subnet FIS can target; returns its ARN. */
  addSubnet(spec: SubnetSpec): string {
    const arn = `arn:aws:ec2:${spec.region}:${this.world.accountId}:subnet/${spec.id}`;
    this.subnetsById.set(spec.id, {
      arn,
      type: SUBNET,
      region: spec.region,
      tags: { ...spec.tags },
      SubnetId: spec.id,
      AvailabilityZone: spec.az,
      // One VPC per region unless told: drawn from the region's name, the same every run.
      VpcId: spec.vpcId ?? `vpc-${this.world.rng.fork(`ec2:vpc:${spec.region}`).alnum(17, '0123456789abcdef')}`,
    });
    return arn;
  }

  /** Declare an IAM role FIS can target (API error injection); returns its ARN. */
  addRole(name: string, tags: Record<string, string> = {}): string {
    const arn = `arn:aws:iam::${this.world.accountId}:role/${name}`;
    // IAM is global: a role is a target in every region.
    this.rolesByName.set(name, { arn, type: ROLE, region: 'global', tags: { ...tags }, RoleName: name, createdAt: this.world.clock.now() });
    return arn;
  }

  subnets(): SubnetResource[] {
    return [...this.subnetsById.values()];
  }

  roles(): RoleResource[] {
    return [...this.rolesByName.values()];
  }

  targetable(type: string, region: string): TargetableResource[] {
    if (type === SUBNET) return this.subnets().filter((s) => s.region === region);
    if (type === ROLE) return this.roles();
    if (type === TRANSIT_GATEWAY) return [...this.transitGateways.values()].filter((t) => t.region === region);
    return [];
  }

  private subnetOf(arn: string): { id: string; region: string } {
    const id = arn.split('/').pop() ?? arn;
    const known = this.subnetsById.get(id);
    return { id, region: known?.region ?? arn.split(':')[3] ?? '' };
  }

  /** The link itself is cut (not merely unreachable because one of its regions is down). */
  private linkCut(a: string, b: string): boolean {
    const { faults } = this.world;
    return faults.isRegionUp(a) && faults.isRegionUp(b) && !faults.isLinkUp(a, b);
  }

  private disruptConnectivity(): FisActionDefinition {
    return {
      id: 'aws:network:disrupt-connectivity',
      description: 'Deny network traffic to and from the target subnets.',
      targets: { Subnets: SUBNET },
      parameters: {
        duration: { description: 'The duration, ISO 8601 (PT1M to PT12H).', required: true },
        scope: {
          description:
            'all, availability-zone, dynamodb, prefix-list or s3. The sim models a subnet as reachable or not, so every scope cuts the subnet off.',
          required: false,
        },
      },
      start: async (run: FisActionRun) => {
        const ms = durationParameter(run);
        const scope = run.parameters['scope'] ?? 'all';
        if (!scopes.includes(scope)) throw new Error(`parameter scope "${scope}" must be one of ${scopes.join(', ')}`);
        const subnets = (run.targets['Subnets'] ?? []).map((arn) => this.subnetOf(arn).id);
        const cause = 'FIS aws:network:disrupt-connectivity';
        await injectFor(
          run,
          ms,
          {
            apply: () => {
              for (const id of subnets) {
                this.holds.acquire(`subnet|${id}`, !this.world.faults.isSubnetUp(id), () =>
                  this.world.faults.setSubnetUp(id, false, cause),
                );
              }
            },
            rollback: () => {
              for (const id of subnets) this.holds.release(`subnet|${id}`, () => this.world.faults.setSubnetUp(id, true, cause));
            },
          },
          cause,
        );
      },
    };
  }

  private crossRegionConnectivity(): FisActionDefinition {
    return {
      id: 'aws:network:route-table-disrupt-cross-region-connectivity',
      description: 'Block traffic from the target subnets to another region.',
      targets: { Subnets: SUBNET },
      parameters: {
        region: { description: 'The region to isolate the subnets from.', required: true },
        duration: { description: 'The duration, ISO 8601 (PT1M to PT12H).', required: true },
      },
      start: async (run: FisActionRun) => {
        const ms = durationParameter(run);
        const other = run.parameters['region'];
        if (!other) throw new Error('parameter region is required');
        const regions = [...new Set((run.targets['Subnets'] ?? []).map((arn) => this.subnetOf(arn).region))].filter((r) => r !== other);
        const key = (region: string) => `link|${[region, other].sort().join('|')}`;
        const cause = 'FIS aws:network:route-table-disrupt-cross-region-connectivity';
        await injectFor(
          run,
          ms,
          {
            apply: () => {
              for (const region of regions) {
                this.holds.acquire(key(region), this.linkCut(region, other), () =>
                  this.world.faults.setLinkUp(region, other, false, cause),
                );
              }
            },
            rollback: () => {
              for (const region of regions) {
                this.holds.release(key(region), () => this.world.faults.setLinkUp(region, other, true, cause));
              }
            },
          },
          cause,
        );
      },
    };
  }

  private transitGatewayConnectivity(): FisActionDefinition {
    return {
      id: 'aws:network:transit-gateway-disrupt-cross-region-connectivity',
      description: "Block traffic on the target transit gateways' peering attachments to another region.",
      targets: { TransitGateways: TRANSIT_GATEWAY },
      parameters: {
        region: { description: 'The region of the peering attachments to disrupt.', required: true },
        duration: { description: 'The duration, ISO 8601 (PT1M to PT12H).', required: true },
      },
      start: async (run: FisActionRun) => {
        const ms = durationParameter(run);
        const other = run.parameters['region'];
        if (!other) throw new Error('parameter region is required');
        const gateways = (run.targets['TransitGateways'] ?? []).map((arn) => {
          const found = [...this.transitGateways.values()].find((t) => t.arn === arn);
          if (!found) throw new Error(`target ${arn} is not a transit gateway`);
          return found;
        });
        // Only gateways peered with that region carry traffic to it.
        const regions = [...new Set(gateways.filter((g) => g.peerRegions.includes(other)).map((g) => g.region))].filter((r) => r !== other);
        const key = (region: string) => `link|${[region, other].sort().join('|')}`;
        const cause = 'FIS aws:network:transit-gateway-disrupt-cross-region-connectivity';
        await injectFor(
          run,
          ms,
          {
            apply: () => {
              for (const region of regions) {
                this.holds.acquire(key(region), this.linkCut(region, other), () => this.world.faults.setLinkUp(region, other, false, cause));
              }
            },
            rollback: () => {
              for (const region of regions) this.holds.release(key(region), () => this.world.faults.setLinkUp(region, other, true, cause));
            },
          },
          cause,
        );
      },
    };
  }

  /**
   * Simulator only: an Availability Zone loses power for the duration, as
   * in a real AZ power event. Everything in the zone reacts in its own
   * model: instances stop (and their Auto Scaling groups replace them
   * elsewhere), volumes stall, a Multi-AZ database or cluster writer there
   * fails over, launches there fail. FIS itself cannot cut a zone's power:
   * on AWS the scenario library's AZ power interruption stands in for it
   * (scenarios/templates/az-power-interruption.json), on the sim too.
   */
  private zonePowerInterruption(): FisActionDefinition {
    return {
      id: 'gameday:sim:az-power-interruption',
      description: 'Simulator only: an Availability Zone loses power for the duration.',
      targets: {},
      parameters: {
        availabilityZone: { description: 'The zone that loses power, e.g. us-east-1a.', required: true },
        duration: { description: 'The duration, ISO 8601.', required: true },
      },
      start: async (run: FisActionRun) => {
        const ms = durationParameter(run);
        const zone = run.parameters['availabilityZone'];
        if (!zone || !/^[a-z]{2}(-[a-z]+)+-\d[a-f]$/.test(zone)) throw new Error(`parameter availabilityZone "${zone ?? ''}" is not an Availability Zone name`);
        const cause = 'FIS gameday:sim:az-power-interruption';
        const faults = this.world.faults;
        await injectFor(
          run,
          ms,
          {
            apply: () => this.holds.acquire(`zone|${zone}`, !faults.isZonePowered(zone), () => faults.setZonePowered(zone, false, cause)),
            rollback: () => this.holds.release(`zone|${zone}`, () => faults.setZonePowered(zone, true, cause)),
          },
          cause,
        );
      },
    };
  }

  private regionOutage(): FisActionDefinition {
    return {
      id: 'gameday:sim:region-outage',
      description: 'Simulator only: take a whole region down (its service endpoints, its network) for the duration.',
      targets: {},
      parameters: {
        region: { description: "The region to take down; the experiment's own region when left out.", required: false },
        duration: { description: 'The duration, ISO 8601.', required: true },
      },
      start: async (run: FisActionRun) => {
        const ms = durationParameter(run);
        const region = run.parameters['region'] || run.region;
        const cause = 'FIS gameday:sim:region-outage';
        const faults = this.world.faults;
        await injectFor(
          run,
          ms,
          {
            apply: () => this.holds.acquire(`region|${region}`, !faults.isRegionUp(region), () => faults.setRegionUp(region, false, cause)),
            rollback: () => this.holds.release(`region|${region}`, () => faults.setRegionUp(region, true, cause)),
          },
          cause,
        );
      },
    };
  }
}

export function createNetworkModule(world: SimWorld): NetworkModule {
  return new NetworkModule(world);
}
