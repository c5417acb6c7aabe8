import { createQueryBinding, q, queryOperation, type QueryBinding, type QueryOutput } from '../protocols/query.js';
import { AwsError } from '../types.js';
import type { OrdersService } from './types.js';

/** Elastic Load Balancing (v2)'s API version and the XML namespace of its responses. */
export const ELBV2_VERSION = '2015-12-01';
export const ELBV2_XML_NAMESPACE = `http://elasticloadbalancing.amazonaws.com/doc/${ELBV2_VERSION}/`;

/** A load balancer as the app knows it: the one in front of an orders service, and where its nodes are. */
export interface LoadBalancerView {
  service: OrdersService;
  /** Its nodes' subnets and their zones, in the order the network declares them. */
  zones: { zone: string; subnetId: string; vpcId?: string }[];
  tags: Record<string, string>;
}

/** What the binding reads of the app: every load balancer in a region. */
export interface LoadBalancerHost {
  loadBalancers(region: string): LoadBalancerView[];
}

/** `arn:…:loadbalancer/app/<name>/<id>` → name and id. */
function nameAndId(arn: string): { name: string; id: string } {
  const [, , name = '', id = ''] = arn.split(':').at(-1)!.split('/');
  return { name, id };
}

const notFound = () => new AwsError('LoadBalancerNotFound', 'One or more load balancers not found', 400);

/**
 * ELBv2's read calls for the orders services' Application Load Balancers:
 * DescribeLoadBalancers and DescribeTags, as an account answers whoever
 * lists what ARC's zonal shift manages (FIS's
 * `aws:arc:zonal-shift-managed-resource`, resolved by the load balancers'
 * own tags).
 */
export function createLoadBalancerBinding(host: LoadBalancerHost): QueryBinding {
  const shape = (view: LoadBalancerView, region: string): QueryOutput => {
    const { name, id } = nameAndId(view.service.loadBalancerArn);
    const vpcId = view.zones.find((z) => z.vpcId !== undefined)?.vpcId;
    return {
      LoadBalancerArn: view.service.loadBalancerArn,
      // ALB DNS names carry a number derived from the load balancer; its id's first bytes stand in for it.
      DNSName: `${name}-${parseInt(id.slice(0, 8) || '0', 16)}.${region}.elb.amazonaws.com`,
      CreatedTime: new Date(view.service.createdAt),
      LoadBalancerName: name,
      Scheme: 'internet-facing',
      ...(vpcId !== undefined ? { VpcId: vpcId } : {}),
      State: { Code: 'active' },
      Type: 'application',
      AvailabilityZones: view.zones.map((z) => ({ ZoneName: z.zone, SubnetId: z.subnetId })),
      IpAddressType: 'ipv4',
    };
  };
  return createQueryBinding({
    signingName: 'elasticloadbalancing',
    eventSource: 'elasticloadbalancing.amazonaws.com',
    xmlNamespace: ELBV2_XML_NAMESPACE,
    memberNames: {},
    operations: {
      DescribeLoadBalancers: queryOperation({
        input: q.struct({
          LoadBalancerArns: q.list(q.string()).optional(),
          Names: q.list(q.string()).optional(),
          Marker: q.string().optional(),
          PageSize: q.integer().optional(),
        }),
        run: (input, ctx) => {
          if (input.PageSize !== undefined && (input.PageSize < 1 || input.PageSize > 400)) {
            throw new AwsError('ValidationError', `1 validation error detected: Value '${input.PageSize}' at 'pageSize' failed to satisfy constraint: Member must have value between 1 and 400`, 400);
          }
          if (input.LoadBalancerArns?.length && input.Names?.length) {
            throw new AwsError('ValidationError', 'Load balancer names and load balancer ARNs cannot be specified at the same time', 400);
          }
          let all = host.loadBalancers(ctx.region).sort((a, b) => (a.service.loadBalancerArn < b.service.loadBalancerArn ? -1 : 1));
          const asked = input.LoadBalancerArns?.length ? input.LoadBalancerArns : input.Names?.length ? input.Names : undefined;
          if (asked) {
            const key = (v: LoadBalancerView) => (input.LoadBalancerArns?.length ? v.service.loadBalancerArn : nameAndId(v.service.loadBalancerArn).name);
            all = all.filter((v) => asked.includes(key(v)));
            // AWS refuses the whole call when any one named is missing.
            if (new Set(all.map(key)).size < new Set(asked).size) throw notFound();
          }
          const from = input.Marker ? Number.parseInt(Buffer.from(input.Marker, 'base64url').toString('utf8'), 10) : 0;
          if (!Number.isSafeInteger(from) || from < 0) throw new AwsError('ValidationError', 'Invalid marker', 400);
          const page = all.slice(from, from + (input.PageSize ?? 400));
          const next = from + page.length < all.length ? Buffer.from(String(from + page.length), 'utf8').toString('base64url') : undefined;
          return { LoadBalancers: page.map((v) => shape(v, ctx.region)), ...(next ? { NextMarker: next } : {}) };
        },
      }),
      DescribeTags: queryOperation({
        input: q.struct({ ResourceArns: q.list(q.string()) }),
        run: (input, ctx) => {
          if (input.ResourceArns.length < 1 || input.ResourceArns.length > 20) {
            throw new AwsError('ValidationError', `1 validation error detected: Value at 'resourceArns' failed to satisfy constraint: Member must have length between 1 and 20`, 400);
          }
          const views = host.loadBalancers(ctx.region);
          return {
            TagDescriptions: input.ResourceArns.map((arn) => {
              const view = views.find((v) => v.service.loadBalancerArn === arn);
              if (!view) throw notFound();
              return { ResourceArn: arn, Tags: Object.entries(view.tags).map(([Key, Value]) => ({ Key, Value })) };
            }),
          };
        },
        resources: (input) => input.ResourceArns.map((arn) => ({ type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', name: arn })),
      }),
    },
  });
}
