import type { SimWorld, TargetableResource } from '../../types.js';
import { ec2Errors } from './errors.js';
import { applyFilters, byId, paginate, tagsOfResource } from './listing.js';
import type { FilterInput, Page, Tag } from './types.js';

/**
 * Transit gateways and their peering attachments through the EC2 API, as an
 * account that runs the scenario library's Cross-Region: Connectivity
 * answers them: DescribeTransitGateways (what FIS resolves an
 * `aws:ec2:transit-gateway` target with) and
 * DescribeTransitGatewayPeeringAttachments (what
 * aws:network:transit-gateway-disrupt-cross-region-connectivity reads to find
 * the attachments to the region it cuts). The gateways themselves are the
 * network module's (declared by the environment); EC2 only lists them.
 */

const TRANSIT_GATEWAY = 'aws:ec2:transit-gateway';
const HEX = '0123456789abcdef';
/** The ASN AWS gives a transit gateway created without one. */
const DEFAULT_AMAZON_SIDE_ASN = 64512;

export interface TransitGateway {
  id: string;
  arn: string;
  region: string;
  tags: Tag[];
  /** The regions its peering attachments reach. */
  peerRegions: string[];
  /** Its default route table, where associations and propagations go unless told otherwise. */
  routeTableId: string;
  createdAt: number;
}

/** One side's view of a peering attachment: EC2 lists it in both regions, under one id. */
export interface PeeringAttachment {
  id: string;
  requester: { transitGatewayId: string; region: string };
  accepter: { transitGatewayId: string; region: string };
  tags: Tag[];
  /** Once both its gateways exist. */
  createdAt: number;
}

/** What the network module declares of a transit gateway (structural: EC2 does not import the network module). */
interface DeclaredGateway extends TargetableResource {
  TransitGatewayId: string;
  peerRegions: string[];
  createdAt: number;
}

export interface DescribeTransitGatewaysInput {
  TransitGatewayIds?: string[];
  Filter?: FilterInput[];
  MaxResults?: number;
  NextToken?: string;
}

export interface DescribeTransitGatewayPeeringAttachmentsInput {
  TransitGatewayAttachmentIds?: string[];
  Filter?: FilterInput[];
  MaxResults?: number;
  NextToken?: string;
}

const gatewayIdPattern = /^tgw-[0-9a-f]{8,17}$/;
const attachmentIdPattern = /^tgw-attach-[0-9a-f]{8,17}$/;

export class TransitGateways {
  constructor(private readonly world: SimWorld) {}

  private declaredIn(region: string): DeclaredGateway[] {
    const out: DeclaredGateway[] = [];
    for (const module of this.world.modules()) {
      for (const resource of module.targetable?.(TRANSIT_GATEWAY, region) ?? []) {
        const gateway = resource as Partial<DeclaredGateway>;
        if (typeof gateway.TransitGatewayId === 'string' && Array.isArray(gateway.peerRegions) && typeof gateway.createdAt === 'number') out.push(resource as DeclaredGateway);
      }
    }
    return out;
  }

  /** Ids the account did not declare (a default route table, an attachment), drawn from what they belong to: the same every run. */
  private derivedId(prefix: string, of: string): string {
    return `${prefix}-${this.world.rng.fork(`ec2:${prefix}:${of}`).alnum(17, HEX)}`;
  }

  gatewaysIn(region: string): TransitGateway[] {
    return this.declaredIn(region)
      .map((g) => ({
        id: g.TransitGatewayId,
        arn: g.arn,
        region: g.region,
        tags: Object.entries(g.tags).map(([Key, Value]) => ({ Key, Value })),
        peerRegions: [...g.peerRegions],
        routeTableId: this.derivedId('tgw-rtb', g.TransitGatewayId),
        createdAt: g.createdAt,
      }))
      .sort(byId);
  }

  describeTransitGateways(region: string, input: DescribeTransitGatewaysInput): Page<TransitGateway> {
    let gateways = this.gatewaysIn(region);
    if (input.TransitGatewayIds?.length) {
      for (const id of input.TransitGatewayIds) {
        if (!gatewayIdPattern.test(id)) throw ec2Errors.invalidParameterValue(`The transitGateway ID '${id}' is malformed`);
        if (!gateways.some((g) => g.id === id)) throw ec2Errors.transitGatewayNotFound(id);
      }
      const wanted = new Set(input.TransitGatewayIds);
      gateways = gateways.filter((g) => wanted.has(g.id));
    }
    const filtered = applyFilters(
      gateways,
      input.Filter,
      {
        'transit-gateway-id': (g) => [g.id],
        state: () => ['available'],
        'owner-id': () => [this.world.accountId],
        'options.amazon-side-asn': () => [String(DEFAULT_AMAZON_SIDE_ASN)],
        'options.association-default-route-table-id': (g) => [g.routeTableId],
        'options.propagation-default-route-table-id': (g) => [g.routeTableId],
        'options.auto-accept-shared-attachments': () => ['disable'],
        'options.default-route-table-association': () => ['enable'],
        'options.default-route-table-propagation': () => ['enable'],
        'options.dns-support': () => ['enable'],
        'options.vpn-ecmp-support': () => ['enable'],
      },
      tagsOfResource,
    );
    return paginate(filtered, input, { min: 5, max: 1000 });
  }

  /**
   * Every peering attachment of the region's gateways: one per pair of
   * gateways peered across regions, requested by the one in the region that
   * sorts first (so both regions list it under one id). A peer region with no
   * gateway the account declared is a gateway of another account's, or one
   * the environment left out: its id is drawn.
   */
  peeringAttachmentsIn(region: string): PeeringAttachment[] {
    const out: PeeringAttachment[] = [];
    for (const gateway of this.gatewaysIn(region)) {
      for (const peerRegion of gateway.peerRegions) {
        if (peerRegion === region) continue;
        const peer = this.gatewaysIn(peerRegion).find((g) => g.peerRegions.includes(region));
        const peerId = peer?.id ?? this.derivedId('tgw', `${peerRegion}:${gateway.id}`);
        const ours = { transitGatewayId: gateway.id, region };
        const theirs = { transitGatewayId: peerId, region: peerRegion };
        const [requester, accepter] = region < peerRegion ? [ours, theirs] : [theirs, ours];
        out.push({ id: this.derivedId('tgw-attach', `${requester.transitGatewayId}|${accepter.transitGatewayId}`), requester, accepter, tags: [], createdAt: Math.max(gateway.createdAt, peer?.createdAt ?? gateway.createdAt) });
      }
    }
    return out.sort(byId);
  }

  describePeeringAttachments(region: string, input: DescribeTransitGatewayPeeringAttachmentsInput): Page<PeeringAttachment> {
    let attachments = this.peeringAttachmentsIn(region);
    if (input.TransitGatewayAttachmentIds?.length) {
      for (const id of input.TransitGatewayAttachmentIds) {
        if (!attachmentIdPattern.test(id)) throw ec2Errors.invalidParameterValue(`The transitGatewayAttachment ID '${id}' is malformed`);
        if (!attachments.some((a) => a.id === id)) throw ec2Errors.transitGatewayAttachmentNotFound(id);
      }
      const wanted = new Set(input.TransitGatewayAttachmentIds);
      attachments = attachments.filter((a) => wanted.has(a.id));
    }
    const local = (a: PeeringAttachment) => (a.requester.region === region ? a.requester : a.accepter);
    const filtered = applyFilters(
      attachments,
      input.Filter,
      {
        'transit-gateway-attachment-id': (a) => [a.id],
        'transit-gateway-id': (a) => [local(a).transitGatewayId],
        'local-owner-id': () => [this.world.accountId],
        'remote-owner-id': () => [this.world.accountId],
        state: () => ['available'],
      },
      tagsOfResource,
    );
    return paginate(filtered, input, { min: 5, max: 1000 });
  }
}
