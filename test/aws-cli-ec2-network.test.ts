import { describe, expect, it } from 'vitest';
import { useCliServer } from './support/aws-cli.js';

/**
 * The real AWS CLI v2 against `gameday sim serve` (SecureCart): `ec2
 * describe-transit-gateways` with a tag filter and `describe-transit-gateway-peering-attachments`
 * answer as an account running the scenario library's Cross-Region:
 * Connectivity does, `describe-availability-zones` lists the region's zones
 * (what the aws target's dry run checks declared zones against), and a call the sim does not serve (`ec2 describe-vpcs`)
 * fails as AWS fails an unknown action, naming it, and CloudTrail's
 * LookupEvents finds it under its own name. Skipped, saying why, where no
 * AWS CLI v2 is installed.
 */

const credentials = { accessKeyId: 'AKIACLIV2TEST0000003', secretAccessKey: 'gameday-sim-secret' };
const EAST_TGW = 'tgw-0e1a0000000000001';
const WEST_TGW = 'tgw-0b2a0000000000001';

const cliServer = useCliServer('test/aws-cli-ec2-network.test.ts', { credentials, region: 'us-east-1', timeoutMs: 30_000 });
const { cli } = cliServer;
const aws = <T>(...args: string[]) => cliServer.aws<T>(...args);

describe.skipIf(!cli.path)(`the AWS CLI v2 against gameday sim serve: transit gateways, and an operation it does not serve (${cli.why})`, () => {
  it('ec2 describe-transit-gateways by tag, and the peering attachment to us-west-2', async () => {
    const { TransitGateways } = await aws<{ TransitGateways: { TransitGatewayId: string; State: string; Tags: { Key: string; Value: string }[] }[] }>(
      'ec2',
      'describe-transit-gateways',
      '--filters',
      'Name=tag:app,Values=securecart',
    );
    expect(TransitGateways.map((g) => [g.TransitGatewayId, g.State])).toEqual([[EAST_TGW, 'available']]);
    expect(TransitGateways[0]!.Tags).toEqual([{ Key: 'app', Value: 'securecart' }]);
    const { TransitGatewayPeeringAttachments } = await aws<{
      TransitGatewayPeeringAttachments: { State: string; RequesterTgwInfo: { TransitGatewayId: string; Region: string }; AccepterTgwInfo: { TransitGatewayId: string; Region: string } }[];
    }>('ec2', 'describe-transit-gateway-peering-attachments', '--filters', `Name=transit-gateway-id,Values=${EAST_TGW}`);
    expect(TransitGatewayPeeringAttachments).toEqual([
      expect.objectContaining({
        State: 'available',
        RequesterTgwInfo: expect.objectContaining({ TransitGatewayId: EAST_TGW, Region: 'us-east-1' }),
        AccepterTgwInfo: expect.objectContaining({ TransitGatewayId: WEST_TGW, Region: 'us-west-2' }),
      }),
    ]);
  });

  it("ec2 describe-availability-zones: the region's zones, filtered by zone-name and state", async () => {
    type Zones = { AvailabilityZones: { ZoneName: string; ZoneId: string; State: string; RegionName: string; ZoneType: string }[] };
    const { AvailabilityZones } = await aws<Zones>('ec2', 'describe-availability-zones', '--filters', 'Name=state,Values=available');
    expect(AvailabilityZones.map((z) => [z.ZoneName, z.ZoneId, z.State, z.RegionName, z.ZoneType])).toEqual(
      ['a', 'b', 'c'].map((letter, i) => [`us-east-1${letter}`, `use1-az${i + 1}`, 'available', 'us-east-1', 'availability-zone']),
    );
    const named = await aws<Zones>('ec2', 'describe-availability-zones', '--filters', 'Name=zone-name,Values=us-east-1c,us-east-1d');
    expect(named.AvailabilityZones.map((z) => z.ZoneName)).toEqual(['us-east-1c']);
  });

  it('ec2 describe-vpcs, which the sim does not serve: InvalidAction naming it, and CloudTrail records DescribeVpcs', async () => {
    const failed = await aws('ec2', 'describe-vpcs').then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failed?.code).toBe(254);
    expect(failed?.stderr).toContain('An error occurred (InvalidAction) when calling the DescribeVpcs operation: The action DescribeVpcs is not valid for this web service.');
    const { Events } = await aws<{ Events: { EventName: string; ReadOnly: string; CloudTrailEvent: string }[] }>(
      'cloudtrail',
      'lookup-events',
      '--lookup-attributes',
      'AttributeKey=EventName,AttributeValue=DescribeVpcs',
    );
    expect(Events.length).toBeGreaterThan(0);
    for (const event of Events) {
      expect(event.EventName).toBe('DescribeVpcs');
      expect(event.ReadOnly).toBe('false');
      expect(JSON.parse(event.CloudTrailEvent)).toMatchObject({ errorCode: 'InvalidAction', eventSource: 'ec2.amazonaws.com' });
    }
  });
});
