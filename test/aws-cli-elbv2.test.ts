import { describe, expect, it } from 'vitest';
import { useCliServer } from './support/aws-cli.js';

/**
 * The real AWS CLI v2 against `gameday sim serve` (SecureCart): `elbv2
 * describe-load-balancers` and `describe-tags` list the orders services'
 * Application Load Balancers, the resources ARC's zonal shift manages and
 * FIS's aws:arc:zonal-shift-managed-resource targets select by their tags;
 * a load balancer that is not there is LoadBalancerNotFound. Skipped, saying
 * why, where no AWS CLI v2 is installed.
 */

const credentials = { accessKeyId: 'AKIACLIV2TEST0000005', secretAccessKey: 'gameday-sim-secret' };

const cliServer = useCliServer('test/aws-cli-elbv2.test.ts', { credentials, region: 'us-east-1', timeoutMs: 30_000 });
const { cli } = cliServer;
const aws = <T>(...args: string[]) => cliServer.aws<T>(...args);

interface LoadBalancer {
  LoadBalancerArn: string;
  LoadBalancerName: string;
  DNSName: string;
  Type: string;
  State: { Code: string };
  AvailabilityZones: { ZoneName: string; SubnetId: string }[];
  CreatedTime: string;
}

describe.skipIf(!cli.path)(`the AWS CLI v2 against gameday sim serve: ELBv2 load balancers (${cli.why})`, () => {
  it('elbv2 describe-load-balancers and describe-tags list the orders and checkout load balancers with their zones and tags; one that is not there is LoadBalancerNotFound', async () => {
    const { LoadBalancers } = await aws<{ LoadBalancers: LoadBalancer[] }>('elbv2', 'describe-load-balancers');
    // SecureCart's us-east-1 runs the orders and the checkout APIs, each behind its own.
    expect(LoadBalancers.map((b) => b.LoadBalancerName).sort()).toEqual(['checkout-api', 'orders-api']);
    const balancer = LoadBalancers.find((b) => b.LoadBalancerName === 'orders-api');
    expect(balancer).toMatchObject({ Type: 'application', State: { Code: 'active' } });
    expect(balancer!.LoadBalancerArn).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer\/app\/orders-api\/[0-9a-f]{16}$/);
    expect(balancer!.AvailabilityZones.map((z) => z.ZoneName)).toEqual(['us-east-1a', 'us-east-1b']);
    expect(Number.isNaN(Date.parse(balancer!.CreatedTime))).toBe(false);

    const { TagDescriptions } = await aws<{ TagDescriptions: unknown[] }>('elbv2', 'describe-tags', '--resource-arns', balancer!.LoadBalancerArn);
    expect(TagDescriptions).toEqual([{ ResourceArn: balancer!.LoadBalancerArn, Tags: [{ Key: 'app', Value: 'securecart' }] }]);

    const byName = await aws<{ LoadBalancers: LoadBalancer[] }>('elbv2', 'describe-load-balancers', '--names', balancer!.LoadBalancerName);
    expect(byName.LoadBalancers.map((b) => b.LoadBalancerArn)).toEqual([balancer!.LoadBalancerArn]);

    const failed = await aws('elbv2', 'describe-load-balancers', '--names', 'no-such-balancer').then(
      () => undefined,
      (error: { stderr?: string }) => error,
    );
    expect(failed?.stderr).toContain('An error occurred (LoadBalancerNotFound) when calling the DescribeLoadBalancers operation: One or more load balancers not found');
  });
});
