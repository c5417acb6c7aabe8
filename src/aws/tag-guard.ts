import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { ListBackupPlansCommand, ListTagsCommand } from '@aws-sdk/client-backup';
import { DescribeTableCommand, ListTagsOfResourceCommand } from '@aws-sdk/client-dynamodb';
import type { DescribeVolumesCommand as DescribeVolumes } from '@aws-sdk/client-ec2';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { GetBucketTaggingCommand } from '@aws-sdk/client-s3';
import { createRequire } from 'node:module';
import type { AwsEnvironment, Fault, Resource } from '../env/index.js';
import { SafetyGuardError } from '../errors.js';
import type { TargetClients } from '../harness/target.js';

/**
 * The tag guard (`requireTag` in an aws environment): every resource a
 * scenario's steps name, and every resource its FIS templates can select,
 * must carry the tag, checked read-only before any mutating call. A game
 * day on staging then cannot touch what someone did not mark as fair game,
 * whatever an alias or a template says. Templates that select by tags must
 * include the tag among them (FIS then picks only tagged resources); ARNs
 * in a template are looked up like aliases.
 */

type Tags = Record<string, string>;

const require = createRequire(import.meta.url);

function pairs(list: readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined): Tags {
  return Object.fromEntries((list ?? []).flatMap((t) => (t.Key !== undefined ? [[t.Key, t.Value ?? '']] : [])));
}

/** The tags AWS holds for a resource the environment declares, or why they cannot be read. */
async function tagsOf(clients: TargetClients, resource: Resource): Promise<Tags | string> {
  switch (resource.kind) {
    case 'rds-instance':
    case 'rds-read-replica': {
      const { DBInstances } = await clients.rds(resource.region).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: resource.identifier }));
      return pairs(DBInstances?.[0]?.TagList);
    }
    case 'dynamodb-table': {
      const dynamodb = clients.dynamodb(resource.region);
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: resource.identifier }));
      if (!Table?.TableArn) return `DescribeTable named no ARN for ${resource.identifier}`;
      const { Tags: list } = await dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: Table.TableArn }));
      return pairs(list);
    }
    case 's3-bucket': {
      const answer = await clients
        .s3(resource.region)
        .send(new GetBucketTaggingCommand({ Bucket: resource.identifier }))
        .catch((error: { name?: string }) => {
          if (error.name === 'NoSuchTagSet') return { TagSet: [] };
          throw error;
        });
      return pairs(answer.TagSet);
    }
    case 'ebs-volume': {
      // The EC2 client package is loaded only where it is needed (see aws/clients.ts).
      const { DescribeVolumesCommand } = require('@aws-sdk/client-ec2') as { DescribeVolumesCommand: typeof DescribeVolumes };
      const { Volumes } = await clients.ec2(resource.region).send(new DescribeVolumesCommand({ VolumeIds: [resource.identifier] }));
      return pairs(Volumes?.[0]?.Tags);
    }
    case 'orders-api': {
      // The service's fleets: their Auto Scaling groups carry its tags.
      const tags: Tags[] = [];
      for (const [region, deployment] of Object.entries(resource.regions)) {
        if (!deployment.autoScalingGroup) continue;
        const { AutoScalingGroups } = await clients.autoscaling(region).send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [deployment.autoScalingGroup] }));
        tags.push(pairs(AutoScalingGroups?.[0]?.Tags));
      }
      if (tags.length === 0) return 'it names no Auto Scaling group to read tags from';
      // Every fleet must carry the tag: keep only what all share.
      return Object.fromEntries(Object.entries(tags[0]!).filter(([k, v]) => tags.every((t) => t[k] === v)));
    }
    case 'backup-plan': {
      const { BackupPlansList } = await clients.backup(resource.region).send(new ListBackupPlansCommand({}));
      const plan = BackupPlansList?.find((p) => p.BackupPlanName === resource.identifier);
      if (!plan?.BackupPlanArn) return `no backup plan named ${resource.identifier} in ${resource.region}`;
      const { Tags: map } = await clients.backup(resource.region).send(new ListTagsCommand({ ResourceArn: plan.BackupPlanArn }));
      return map ?? {};
    }
    default:
      // Route 53 record sets carry no tags, and the other kinds have no AWS resource of their own.
      return 'it has no tags of its own to check';
  }
}

/** What a template's targets can select that does not carry the tag, in words; empty when all is well. */
function untaggedTargets(fault: Fault, key: string, value: string): string[] {
  return Object.entries(fault.template.targets ?? {}).flatMap(([name, target]) => {
    if (target.resourceTags) {
      return target.resourceTags[key] === value ? [] : [`the target "${name}" of ${fault.templateFile} selects by tags without ${key}=${value}, so FIS may pick resources without it`];
    }
    if (target.resourceArns) return [`the target "${name}" of ${fault.templateFile} names ARNs: select by tags including ${key}=${value} instead, so that FIS picks only tagged resources`];
    return [];
  });
}

/**
 * Check the environment's `requireTag` against the resources the run's
 * scenarios name (`aliases`) and the faults they inject, read-only.
 * Throws SafetyGuardError (exit 3) naming each resource refused.
 */
export async function checkRequiredTag(env: AwsEnvironment, clients: TargetClients, aliases: ReadonlySet<string>, faults: ReadonlySet<string>): Promise<void> {
  if (!env.requireTag) return;
  const [[key, value]] = Object.entries(env.requireTag) as [[string, string]];
  const refused: string[] = [];
  for (const alias of [...aliases].sort()) {
    const resource = env.resources[alias];
    if (!resource) continue;
    const tags = await tagsOf(clients, resource).catch((error: Error) => `its tags could not be read (${error.name}: ${error.message})`);
    if (typeof tags === 'string') {
      if (resource.kind === 'dns-failover-record') continue;
      refused.push(`"${alias}" (${resource.kind}): ${tags}`);
    } else if (tags[key] !== value) {
      refused.push(`"${alias}" (${resource.kind} ${'identifier' in resource ? resource.identifier : alias}) does not carry ${key}=${value}${tags[key] !== undefined ? ` (it has ${key}=${tags[key]})` : ''}`);
    }
  }
  for (const name of [...faults].sort()) {
    const fault = env.faults[name];
    if (fault) refused.push(...untaggedTargets(fault, key, value));
  }
  if (refused.length > 0) {
    throw new SafetyGuardError(`${env.file}: requireTag ${key}=${value} refuses what this run would touch; nothing was changed:\n${refused.map((r) => `  ${r}`).join('\n')}`);
  }
}
