import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { BackupClient } from '@aws-sdk/client-backup';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DrsClient } from '@aws-sdk/client-drs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { FisClient } from '@aws-sdk/client-fis';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import type { IAMClient } from '@aws-sdk/client-iam';
import { RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { createRequire } from 'node:module';
import type { TargetClients } from '../harness/target.js';

// The EC2 package alone keeps ~60 MB resident once loaded, and only EBS
// steps need it: load it when the first EC2 client is made. IAM and ELBv2
// are read only by the aws target's dry run: the same.
const require = createRequire(import.meta.url);
const ec2Client = (config: object): EC2Client => {
  const { EC2Client: Client } = require('@aws-sdk/client-ec2') as typeof import('@aws-sdk/client-ec2');
  return new Client(config);
};
const iamClient = (config: object): IAMClient => {
  const { IAMClient: Client } = require('@aws-sdk/client-iam') as typeof import('@aws-sdk/client-iam');
  return new Client(config);
};
const elbv2Client = (config: object): ElasticLoadBalancingV2Client => {
  const { ElasticLoadBalancingV2Client: Client } = require('@aws-sdk/client-elastic-load-balancing-v2') as typeof import('@aws-sdk/client-elastic-load-balancing-v2');
  return new Client(config);
};

/** One client per (service, region), made on first use. */
function clientCache<C extends { destroy(): void }>(make: (region: string) => C) {
  const made = new Map<string, C>();
  return {
    get(region: string): C {
      let client = made.get(region);
      if (!client) made.set(region, (client = make(region)));
      return client;
    },
    destroy(): void {
      for (const client of made.values()) client.destroy();
      made.clear();
    },
  };
}

/** Middleware every client of a target gets before its first call (the SDK's deserialize step). */
export type ClientMiddleware = (next: (args: unknown) => Promise<{ response: unknown }>) => (args: unknown) => Promise<{ response: unknown }>;

export function makeClients(settings: (region: string) => object, middleware?: ClientMiddleware): TargetClients & { destroy(): void } {
  // A game day sends the same few commands thousands of times (probes,
  // waiters): resolve each command's middleware stack once per client. Nothing
  // here adds middleware after the first call, which this requires.
  const config = (region: string): object => ({ cacheMiddleware: true, ...settings(region) });
  const withMiddleware = <C extends { middlewareStack: { add(m: never, o: object): void } }>(client: C): C => {
    if (middleware) client.middlewareStack.add(middleware as never, { step: 'deserialize', name: 'gameday-observe', priority: 'low' });
    return client;
  };
  const caches = {
    rds: clientCache((region) => withMiddleware(new RDSClient(config(region)))),
    fis: clientCache((region) => withMiddleware(new FisClient(config(region)))),
    sts: clientCache((region) => withMiddleware(new STSClient(config(region)))),
    dynamodb: clientCache((region) => withMiddleware(new DynamoDBClient(config(region)))),
    s3: clientCache((region) => withMiddleware(new S3Client(config(region)))),
    route53: clientCache((region) => withMiddleware(new Route53Client(config(region)))),
    backup: clientCache((region) => withMiddleware(new BackupClient(config(region)))),
    ec2: clientCache((region) => withMiddleware(ec2Client(config(region)))),
    cloudtrail: clientCache((region) => withMiddleware(new CloudTrailClient(config(region)))),
    cloudwatch: clientCache((region) => withMiddleware(new CloudWatchClient(config(region)))),
    guardduty: clientCache((region) => withMiddleware(new GuardDutyClient(config(region)))),
    autoscaling: clientCache((region) => withMiddleware(new AutoScalingClient(config(region)))),
    // An older SDK generation (3.523.0, the newest the registry serves), with its own smithy copy.
    drs: clientCache((region) => withMiddleware(new DrsClient(config(region)))),
    iam: clientCache((region) => withMiddleware(iamClient(config(region)))),
    // ELBv2 at 3.1142.0 (the newest the registry serves), with its own smithy copy.
    elbv2: clientCache((region) => withMiddleware(elbv2Client(config(region)))),
  };
  return {
    rds: (region) => caches.rds.get(region),
    fis: (region) => caches.fis.get(region),
    // Global services sign for us-east-1.
    sts: () => caches.sts.get('us-east-1'),
    route53: () => caches.route53.get('us-east-1'),
    dynamodb: (region) => caches.dynamodb.get(region),
    s3: (region) => caches.s3.get(region),
    backup: (region) => caches.backup.get(region),
    ec2: (region) => caches.ec2.get(region),
    cloudtrail: (region) => caches.cloudtrail.get(region),
    cloudwatch: (region) => caches.cloudwatch.get(region),
    guardduty: (region) => caches.guardduty.get(region),
    autoscaling: (region) => caches.autoscaling.get(region),
    drs: (region) => caches.drs.get(region),
    iam: () => caches.iam.get('us-east-1'),
    elbv2: (region) => caches.elbv2.get(region),
    destroy: () => {
      for (const cache of Object.values(caches)) cache.destroy();
    },
  };
}
