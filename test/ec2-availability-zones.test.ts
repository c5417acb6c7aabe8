import { DescribeAvailabilityZonesCommand, EC2Client, EC2ServiceException, type DescribeAvailabilityZonesCommandInput } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { regionZones, zoneIdOf } from '../src/sim/services/ec2/zones.js';
import { zoneName } from '../src/sim/services/ec2/index.js';
import { rejection } from './support/rejection.js';
import { EAST, EU, securecartOver, WEST } from './support/sim.js';
import { transports, useTransport } from './support/transport.js';

/**
 * EC2's DescribeAvailabilityZones on the sim (SecureCart): each region's
 * zones as AWS shapes them, from the one list the sim places things by
 * (src/sim/services/ec2/zones.ts), which the aws target's dry run reads to
 * check the zones an environment declares.
 */

const failure = (promise: Promise<unknown>) => rejection(promise, EC2ServiceException);

describe.each(transports)('DescribeAvailabilityZones over the %s transport', (transport) => {
  const via = useTransport(transport);

  it("lists the region's zones as AWS shapes them: name, ID, available, the region, availability-zone", async () => {
    const { config } = await securecartOver(via);
    const ec2 = new EC2Client(await config(EAST));
    const { AvailabilityZones } = await ec2.send(new DescribeAvailabilityZonesCommand({}));
    expect(AvailabilityZones).toEqual(
      ['a', 'b', 'c'].map((letter, i) => ({
        ZoneName: `us-east-1${letter}`,
        ZoneId: `use1-az${i + 1}`,
        State: 'available',
        RegionName: 'us-east-1',
        ZoneType: 'availability-zone',
        OptInStatus: 'opt-in-not-required',
        GroupName: 'us-east-1',
        NetworkBorderGroup: 'us-east-1',
        Messages: [],
      })),
    );
    const west = new EC2Client(await config(WEST));
    expect((await west.send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones?.map((z) => [z.ZoneName, z.ZoneId])).toEqual([
      ['us-west-2a', 'usw2-az1'],
      ['us-west-2b', 'usw2-az2'],
      ['us-west-2c', 'usw2-az3'],
    ]);
  });

  it('filters by zone-name and state, takes ZoneNames and ZoneIds, and refuses a zone the region does not have', async () => {
    const { config } = await securecartOver(via);
    const ec2 = new EC2Client(await config(EAST));
    const names = async (input: DescribeAvailabilityZonesCommandInput) =>
      (await ec2.send(new DescribeAvailabilityZonesCommand(input))).AvailabilityZones?.map((z) => z.ZoneName);
    expect(await names({ Filters: [{ Name: 'zone-name', Values: ['us-east-1b', 'us-east-1d'] }] })).toEqual(['us-east-1b']);
    expect(await names({ Filters: [{ Name: 'state', Values: ['available'] }] })).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(await names({ Filters: [{ Name: 'state', Values: ['impaired'] }] })).toEqual([]);
    expect(await names({ ZoneNames: ['us-east-1c'] })).toEqual(['us-east-1c']);
    expect(await names({ ZoneIds: ['use1-az2'] })).toEqual(['us-east-1b']);
    const unknown = await failure(ec2.send(new DescribeAvailabilityZonesCommand({ ZoneNames: ['us-east-1d'] })));
    expect([unknown.name, unknown.message]).toEqual(['InvalidParameterValue', 'Invalid availability zone: [us-east-1d]']);
    expect((await failure(ec2.send(new DescribeAvailabilityZonesCommand({ Filters: [{ Name: 'colour', Values: ['x'] }] })))).name).toBe('InvalidParameterValue');
    expect((await failure(ec2.send(new DescribeAvailabilityZonesCommand({ DryRun: true })))).name).toBe('DryRunOperation');
  });
});

describe("the sim's zones of a region", () => {
  it('are a, b and c, and any other zone of the region a subnet is declared in', () => {
    expect(regionZones(EU)).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(regionZones(EAST, ['us-east-1d', 'us-east-1a', 'us-west-2d'])).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d']);
  });

  it("have zone IDs in AWS's short region form, which FIS's zone parameters read back as the same zone", () => {
    expect(['us-east-1b', 'eu-central-1a', 'ap-southeast-2c', 'us-gov-west-1a'].map(zoneIdOf)).toEqual(['use1-az2', 'euc1-az1', 'apse2-az3', 'usgw1-az1']);
    for (const zone of regionZones('ap-northeast-1', ['ap-northeast-1d'])) expect(zoneName(zoneIdOf(zone), 'ap-northeast-1')).toBe(zone);
  });
});
