import {
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client,
  ElasticLoadBalancingV2ServiceException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateExperimentTemplateCommand, FisClient, GetExperimentCommand, StartExperimentCommand } from '@aws-sdk/client-fis';
import { GetRoleCommand, IAMClient, IAMServiceException, ListRoleTagsCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { rejection } from './support/rejection.js';
import { ACCOUNT, EAST, securecartOver, WEST } from './support/sim.js';
import { MINUTE } from './support/time.js';
import { transports, useTransport } from './support/transport.js';

/**
 * What the aws target's dry run reads of the resources FIS's IAM-role and
 * ARC zonal-shift targets resolve to, through the real SDK clients over both
 * transports: ELBv2's DescribeLoadBalancers and DescribeTags for the orders
 * services' Application Load Balancers (the resources ARC's zonal shift
 * manages; SecureCart's carry the orders API's tags), and IAM's GetRole and
 * ListRoleTags for the declared roles.
 */

describe.each(transports)('the load balancers and roles FIS targets, over the %s transport', (transport) => {
  const via = useTransport(transport);
  const refusedByElb = (promise: Promise<unknown>) => rejection(promise, ElasticLoadBalancingV2ServiceException);
  const refusedByIam = (promise: Promise<unknown>) => rejection(promise, IAMServiceException);

  it('DescribeLoadBalancers lists each region’s load balancers (one a service) with their zones; DescribeTags gives the tags FIS selects it by', async () => {
    const { config, sim } = await securecartOver(via);
    const elbv2 = new ElasticLoadBalancingV2Client(await config(EAST));
    const { LoadBalancers, NextMarker } = await elbv2.send(new DescribeLoadBalancersCommand({}));
    expect(NextMarker).toBeUndefined();
    // us-east-1 runs two services, each behind its own load balancer: orders and checkout.
    const app = sim.world.module('app');
    const arns = { orders: app.service(EAST, 'orders-api').loadBalancerArn, checkout: app.service(EAST, 'checkout-api').loadBalancerArn };
    expect(LoadBalancers?.map((b) => b.LoadBalancerArn)).toEqual([arns.checkout, arns.orders].sort());
    const balancer = LoadBalancers!.find((b) => b.LoadBalancerArn === arns.orders);
    const arn = arns.orders;
    expect(balancer).toMatchObject({ LoadBalancerName: 'orders-api', Type: 'application', Scheme: 'internet-facing', State: { Code: 'active' }, IpAddressType: 'ipv4' });
    expect(balancer!.LoadBalancerArn).toMatch(new RegExp(`^arn:aws:elasticloadbalancing:${EAST}:${ACCOUNT}:loadbalancer/app/orders-api/[0-9a-f]{16}$`));
    expect(balancer!.DNSName).toMatch(new RegExp(`^orders-api-\\d+\\.${EAST}\\.elb\\.amazonaws\\.com$`));
    // Its nodes are in the subnets SecureCart declares in the region, one a zone.
    expect(balancer!.AvailabilityZones?.map((z) => z.ZoneName)).toEqual(['us-east-1a', 'us-east-1b']);
    expect(balancer!.AvailabilityZones?.every((z) => z.SubnetId?.startsWith('subnet-'))).toBe(true);
    expect(balancer!.VpcId).toMatch(/^vpc-/);

    const { TagDescriptions } = await elbv2.send(new DescribeTagsCommand({ ResourceArns: [arn, arns.checkout] }));
    expect(TagDescriptions).toEqual([
      { ResourceArn: arn, Tags: [{ Key: 'app', Value: 'securecart' }] },
      { ResourceArn: arns.checkout, Tags: [{ Key: 'app', Value: 'securecart' }] },
    ]);

    // Paged, by name and by ARN; one that is not there refuses the whole call, as ELBv2 does.
    const first = await elbv2.send(new DescribeLoadBalancersCommand({ PageSize: 1 }));
    const second = await elbv2.send(new DescribeLoadBalancersCommand({ PageSize: 1, Marker: first.NextMarker }));
    expect([...first.LoadBalancers!, ...second.LoadBalancers!].map((b) => b.LoadBalancerArn)).toEqual(LoadBalancers!.map((b) => b.LoadBalancerArn));
    expect(second.NextMarker).toBeUndefined();
    const byName = await elbv2.send(new DescribeLoadBalancersCommand({ Names: ['orders-api'] }));
    expect(byName.LoadBalancers?.map((b) => b.LoadBalancerArn)).toEqual([arn]);
    const missing = await refusedByElb(elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn, arn.replace(/[0-9a-f]{16}$/, '0000000000000000')] })));
    expect(missing).toMatchObject({ name: 'LoadBalancerNotFoundException', message: 'One or more load balancers not found' });
    const both = await refusedByElb(elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn], Names: ['orders-api'] })));
    expect(both).toMatchObject({ name: 'ValidationError' });
    const tagsMissing = await refusedByElb(elbv2.send(new DescribeTagsCommand({ ResourceArns: [arn.replace(/[0-9a-f]{16}$/, '0000000000000000')] })));
    expect(tagsMissing).toMatchObject({ name: 'LoadBalancerNotFoundException' });

    // Another region's is its own.
    const west = new ElasticLoadBalancingV2Client(await config(WEST));
    const other = await west.send(new DescribeLoadBalancersCommand({ PageSize: 1 }));
    expect(other.LoadBalancers?.map((b) => b.LoadBalancerArn)).toEqual([app.service(WEST).loadBalancerArn]);
  });

  it('the load balancer DescribeLoadBalancers lists is the one an ARC zonal-shift experiment shifts', async () => {
    const { config, clock } = await securecartOver(via);
    const settings = await config(EAST);
    const { LoadBalancers } = await new ElasticLoadBalancingV2Client(settings).send(new DescribeLoadBalancersCommand({ Names: ['orders-api'] }));
    const fis = new FisClient(settings);
    const { experimentTemplate } = await fis.send(
      new CreateExperimentTemplateCommand({
        description: 'shift by the listed ARN',
        roleArn: `arn:aws:iam::${ACCOUNT}:role/gameday-fis`,
        stopConditions: [{ source: 'none' }],
        targets: { lb: { resourceType: 'aws:arc:zonal-shift-managed-resource', resourceArns: [LoadBalancers![0]!.LoadBalancerArn!], selectionMode: 'ALL' } },
        actions: { shift: { actionId: 'aws:arc:start-zonal-autoshift', parameters: { availabilityZoneIdentifier: 'us-east-1a', duration: 'PT5M' }, targets: { ManagedResources: 'lb' } } },
      }),
    );
    const { experiment } = await fis.send(new StartExperimentCommand({ experimentTemplateId: experimentTemplate!.id }));
    await clock.advance(MINUTE);
    const running = (await fis.send(new GetExperimentCommand({ id: experiment!.id }))).experiment;
    expect(running?.state?.status).toBe('running');
    expect(running?.targets?.['lb']).toBeDefined();
  });

  it('GetRole and ListRoleTags read a declared role; one that is not there is NoSuchEntity', async () => {
    const { config } = await securecartOver(via);
    // IAM is global: signed for us-east-1 from anywhere.
    const iam = new IAMClient(await config(EAST));
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'securecart-app' }));
    expect(Role).toMatchObject({ RoleName: 'securecart-app', Arn: `arn:aws:iam::${ACCOUNT}:role/securecart-app`, Path: '/' });
    const { Tags, IsTruncated } = await iam.send(new ListRoleTagsCommand({ RoleName: 'securecart-app' }));
    expect(Tags).toEqual([]);
    expect(IsTruncated).toBe(false);
    const missing = await refusedByIam(iam.send(new ListRoleTagsCommand({ RoleName: 'nobody' })));
    expect(missing).toMatchObject({ name: 'NoSuchEntityException', message: 'The role with name nobody cannot be found.' });
  });
});
