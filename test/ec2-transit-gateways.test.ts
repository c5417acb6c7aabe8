import {
  DescribeTransitGatewayPeeringAttachmentsCommand,
  DescribeTransitGatewaysCommand,
  EC2Client,
  EC2ServiceException,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { EAST, securecartOver, START, WEST } from './support/sim.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { rejection } from './support/rejection.js';

/**
 * SecureCart's transit gateways through the EC2 API, as an account running
 * the scenario library's Cross-Region: Connectivity answers: described with
 * filters and tags (what FIS and the aws target's dry run resolve an
 * aws:ec2:transit-gateway target with), and their peering attachment across
 * the two regions, listed in both under one id.
 */

const EAST_TGW = 'tgw-0e1a0000000000001';
const WEST_TGW = 'tgw-0b2a0000000000001';
async function securecart(via: TransportHarness) {
  const { sim, config } = await securecartOver(via);
  return { sim, east: new EC2Client(await config(EAST)), west: new EC2Client(await config(WEST)) };
}

const failure = (promise: Promise<unknown>) => rejection(promise, EC2ServiceException);

describe.each(transports)('EC2 transit gateways over the %s transport', (transport) => {
  const via = useTransport(transport);

  it('DescribeTransitGateways lists the region’s gateways with their ARN, state, options and tags; filters by tag, id and state', async () => {
    const { east, west } = await securecart(via);
    const { TransitGateways } = await east.send(new DescribeTransitGatewaysCommand({}));
    expect(TransitGateways).toHaveLength(1);
    const gateway = TransitGateways![0]!;
    expect(gateway).toMatchObject({
      TransitGatewayId: EAST_TGW,
      TransitGatewayArn: `arn:aws:ec2:${EAST}:123456789012:transit-gateway/${EAST_TGW}`,
      State: 'available',
      OwnerId: '123456789012',
      Tags: [{ Key: 'app', Value: 'securecart' }],
      Options: { AmazonSideAsn: 64512, DefaultRouteTableAssociation: 'enable', DefaultRouteTablePropagation: 'enable' },
    });
    expect(gateway.CreationTime).toEqual(new Date(START));
    expect(gateway.Options?.AssociationDefaultRouteTableId).toMatch(/^tgw-rtb-[0-9a-f]{17}$/);

    const tagged = async (client: EC2Client, value: string) =>
      (await client.send(new DescribeTransitGatewaysCommand({ Filters: [{ Name: 'tag:app', Values: [value] }] }))).TransitGateways?.map((g) => g.TransitGatewayId);
    expect(await tagged(east, 'securecart')).toEqual([EAST_TGW]);
    expect(await tagged(west, 'secure*')).toEqual([WEST_TGW]);
    expect(await tagged(east, 'other')).toEqual([]);
    const byState = await east.send(new DescribeTransitGatewaysCommand({ Filters: [{ Name: 'state', Values: ['pending'] }] }));
    expect(byState.TransitGateways).toEqual([]);
    const byId = await west.send(new DescribeTransitGatewaysCommand({ TransitGatewayIds: [WEST_TGW] }));
    expect(byId.TransitGateways?.map((g) => g.TransitGatewayId)).toEqual([WEST_TGW]);
  });

  it('an id that is not there, a malformed id and an unknown filter are refused as EC2 refuses them', async () => {
    const { east } = await securecart(via);
    // A gateway of the other region is not in this one.
    const missing = await failure(east.send(new DescribeTransitGatewaysCommand({ TransitGatewayIds: [WEST_TGW] })));
    expect(missing.name).toBe('InvalidTransitGatewayID.NotFound');
    expect(missing.message).toContain(WEST_TGW);
    expect((await failure(east.send(new DescribeTransitGatewaysCommand({ TransitGatewayIds: ['vpc-123'] })))).name).toBe('InvalidParameterValue');
    const filter = await failure(east.send(new DescribeTransitGatewaysCommand({ Filters: [{ Name: 'colour', Values: ['blue'] }] })));
    expect(filter).toMatchObject({ name: 'InvalidParameterValue', message: "The filter 'colour' is invalid" });
  });

  it('the gateways’ peering attachment is listed in both regions under one id, requested from the region that sorts first', async () => {
    const { east, west } = await securecart(via);
    const fromEast = (await east.send(new DescribeTransitGatewayPeeringAttachmentsCommand({}))).TransitGatewayPeeringAttachments ?? [];
    const fromWest = (await west.send(new DescribeTransitGatewayPeeringAttachmentsCommand({}))).TransitGatewayPeeringAttachments ?? [];
    expect(fromEast).toHaveLength(1);
    expect(fromEast[0]).toMatchObject({
      State: 'available',
      Status: { Code: 'available' },
      RequesterTgwInfo: { TransitGatewayId: EAST_TGW, Region: EAST, OwnerId: '123456789012' },
      AccepterTgwInfo: { TransitGatewayId: WEST_TGW, Region: WEST, OwnerId: '123456789012' },
    });
    expect(fromEast[0]!.TransitGatewayAttachmentId).toMatch(/^tgw-attach-[0-9a-f]{17}$/);
    expect(fromWest.map((a) => a.TransitGatewayAttachmentId)).toEqual(fromEast.map((a) => a.TransitGatewayAttachmentId));
    // By the local gateway's id, as the dry run and FIS look them up.
    const mine = await west.send(new DescribeTransitGatewayPeeringAttachmentsCommand({ Filters: [{ Name: 'transit-gateway-id', Values: [WEST_TGW] }] }));
    expect(mine.TransitGatewayPeeringAttachments).toHaveLength(1);
    const theirs = await west.send(new DescribeTransitGatewayPeeringAttachmentsCommand({ Filters: [{ Name: 'transit-gateway-id', Values: [EAST_TGW] }] }));
    expect(theirs.TransitGatewayPeeringAttachments).toEqual([]);
    const missing = await failure(east.send(new DescribeTransitGatewayPeeringAttachmentsCommand({ TransitGatewayAttachmentIds: ['tgw-attach-00000000000000000'] })));
    expect(missing.name).toBe('InvalidTransitGatewayAttachmentID.NotFound');
  });
});
