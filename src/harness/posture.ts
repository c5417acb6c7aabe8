import { DescribeContinuousBackupsCommand, DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import {
  GetBucketLocationCommand,
  GetBucketReplicationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  ListBucketsCommand,
} from '@aws-sdk/client-s3';
import { regionsOf, resolveAlias } from '../env/index.js';
import { errorCode } from './aws-error.js';
import type { ScenarioContext } from './scenario.js';
import { alias, region as knownRegion } from './checks.js';
import { step } from './types.js';
import { answeringRegion } from './dynamodb.js';
import { bucket } from './s3.js';

/**
 * Posture checks made before or after a game day, without changing
 * anything: point-in-time recovery, versioning, replication, and the same
 * across every table or every tagged bucket.
 */

export async function checkPitrEnabled(ctx: ScenarioContext, alias: string): Promise<void> {
  const resource = ctx.createdTables.get(alias) ?? resolveAlias(ctx.env, alias, ['dynamodb-table', 'rds-instance']);
  let ok: boolean;
  let evidence: string;
  if (resource.kind === 'dynamodb-table') {
    const region = await answeringRegion(ctx, resource);
    const { ContinuousBackupsDescription } = await ctx.target.clients.dynamodb(region).send(new DescribeContinuousBackupsCommand({ TableName: resource.identifier }));
    const status = ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus ?? 'DISABLED';
    ok = status === 'ENABLED';
    evidence = `PointInTimeRecoveryStatus ${status}`;
  } else {
    const { DBInstances } = await ctx.target.clients.rds(resource.region).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: resource.identifier }));
    const days = DBInstances?.[0]?.BackupRetentionPeriod ?? 0;
    ok = days > 0;
    evidence = `BackupRetentionPeriod ${days} days; LatestRestorableTime ${DBInstances?.[0]?.LatestRestorableTime?.toISOString() ?? 'none'}`;
  }
  ctx.emit({ kind: ok ? 'check.passed' : 'check.failed', detail: { check: 'point-in-time recovery', subject: alias, evidence } });
  if (!ok) throw new Error(`point-in-time recovery is not enabled on ${alias}: ${evidence}`);
}

export async function checkEveryTablePitr(ctx: ScenarioContext): Promise<void> {
  const failures: string[] = [];
  for (const region of regionsOf(ctx.env)) {
    const dynamodb = ctx.target.clients.dynamodb(region);
    let ExclusiveStartTableName: string | undefined;
    do {
      const page = await dynamodb.send(new ListTablesCommand({ ExclusiveStartTableName }));
      for (const name of page.TableNames ?? []) {
        const { ContinuousBackupsDescription } = await dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: name }));
        const status = ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus ?? 'DISABLED';
        const ok = status === 'ENABLED';
        ctx.emit({ kind: ok ? 'check.passed' : 'check.failed', detail: { check: 'point-in-time recovery', subject: `${name} (${region})`, evidence: `PointInTimeRecoveryStatus ${status}` } });
        if (!ok) failures.push(`${name} (${region}): ${status}`);
      }
      ExclusiveStartTableName = page.LastEvaluatedTableName;
    } while (ExclusiveStartTableName);
  }
  if (failures.length) throw new Error(`point-in-time recovery is off on: ${failures.join('; ')}`);
}

export async function checkVersioning(ctx: ScenarioContext, alias: string): Promise<void> {
  const target = bucket(ctx, alias);
  const { Status } = await ctx.target.clients.s3(target.region).send(new GetBucketVersioningCommand({ Bucket: target.identifier }));
  const ok = Status === 'Enabled';
  ctx.emit({ kind: ok ? 'check.passed' : 'check.failed', detail: { check: 'versioning', subject: alias, evidence: `versioning ${Status ?? 'never enabled'}` } });
  if (!ok) throw new Error(`versioning is ${Status ?? 'not enabled'} on ${target.identifier}`);
}

async function bucketRegion(ctx: ScenarioContext, name: string): Promise<string> {
  const { LocationConstraint } = await ctx.target.clients.s3(ctx.env.regions.primary).send(new GetBucketLocationCommand({ Bucket: name }));
  return LocationConstraint || 'us-east-1';
}

/** The bucket replicates to another bucket in another region, or the table has a replica there. */
export async function checkReplicates(ctx: ScenarioContext, alias: string, to: string): Promise<void> {
  const resource = resolveAlias(ctx.env, alias, ['s3-bucket', 'dynamodb-table']);
  let evidence: string;
  let ok: boolean;
  if (resource.kind === 's3-bucket') {
    const destination = bucket(ctx, to);
    try {
      const { ReplicationConfiguration } = await ctx.target.clients.s3(resource.region).send(new GetBucketReplicationCommand({ Bucket: resource.identifier }));
      const rule = ReplicationConfiguration?.Rules?.find((r) => r.Status === 'Enabled' && r.Destination?.Bucket === `arn:aws:s3:::${destination.identifier}`);
      ok = rule !== undefined;
      evidence = rule ? `rule ${rule.ID ?? '(unnamed)'} replicates to ${destination.identifier}${rule.Destination?.ReplicationTime?.Status === 'Enabled' ? ' with RTC' : ''}` : `no enabled rule replicates to ${destination.identifier}`;
    } catch (error) {
      ok = false;
      evidence = errorCode(error);
    }
  } else {
    const { Table } = await ctx.target.clients.dynamodb(resource.region).send(new DescribeTableCommand({ TableName: resource.identifier }));
    const replica = Table?.Replicas?.find((r) => r.RegionName === to);
    ok = replica?.ReplicaStatus === 'ACTIVE';
    evidence = replica ? `replica in ${to} is ${replica.ReplicaStatus}` : `no replica in ${to}`;
  }
  ctx.emit({ kind: ok ? 'check.passed' : 'check.failed', detail: { check: 'replication', subject: `${alias} → ${to}`, evidence } });
  if (!ok) throw new Error(`${alias} does not replicate to ${to}: ${evidence}`);
}

/** Every bucket with the tag (key, or key=value) is versioned and replicates to a bucket in another region. */
export async function checkTaggedBuckets(ctx: ScenarioContext, tag: string): Promise<void> {
  const [key, value] = tag.includes('=') ? tag.split('=', 2) : [tag, undefined];
  const s3 = ctx.target.clients.s3(ctx.env.regions.primary);
  const { Buckets } = await s3.send(new ListBucketsCommand({}));
  const failures: string[] = [];
  let checked = 0;
  for (const { Name } of Buckets ?? []) {
    if (!Name) continue;
    const region = await bucketRegion(ctx, Name);
    const client = ctx.target.clients.s3(region);
    const tags = await client.send(new GetBucketTaggingCommand({ Bucket: Name })).then((t) => t.TagSet ?? [], () => []);
    if (!tags.some((t) => t.Key === key && (value === undefined || t.Value === value))) continue;
    checked++;
    const problems: string[] = [];
    const { Status } = await client.send(new GetBucketVersioningCommand({ Bucket: Name }));
    if (Status !== 'Enabled') problems.push(`versioning ${Status ?? 'off'}`);
    const replication = await client.send(new GetBucketReplicationCommand({ Bucket: Name })).catch(() => undefined);
    const destinations = (replication?.ReplicationConfiguration?.Rules ?? []).filter((r) => r.Status === 'Enabled').map((r) => r.Destination?.Bucket?.replace('arn:aws:s3:::', '') ?? '');
    const crossRegion: string[] = [];
    for (const destination of destinations) if (destination && (await bucketRegion(ctx, destination)) !== region) crossRegion.push(destination);
    if (crossRegion.length === 0) problems.push('no cross-region replication');
    const ok = problems.length === 0;
    ctx.emit({ kind: ok ? 'check.passed' : 'check.failed', detail: { check: 'bucket protection', subject: Name, evidence: ok ? `versioned, replicating to ${crossRegion.join(', ')}` : problems.join(', ') } });
    if (!ok) failures.push(`${Name}: ${problems.join(', ')}`);
  }
  if (checked === 0) throw new Error(`no bucket is tagged ${tag}`);
  if (failures.length) throw new Error(`buckets tagged ${tag} without versioning and cross-region replication: ${failures.join('; ')}`);
}

export const pitrEnabled = step({
  keyword: 'Given',
  phrase: 'point-in-time recovery is enabled on {string}',
  check: ([name], context) => alias(['dynamodb-table', 'rds-instance'])(name, context),
  run: (ctx, [name]) => checkPitrEnabled(ctx, name),
});

export const versioningEnabled = step({
  keyword: 'Given',
  phrase: 'versioning is enabled on {string}',
  check: ([name], context) => alias(['s3-bucket'])(name, context),
  run: (ctx, [name]) => checkVersioning(ctx, name),
});

export const replicates = step({
  keyword: 'Given',
  phrase: '{string} replicates to {string}',
  check: ([name, to], context) => {
    alias(['s3-bucket', 'dynamodb-table'])(name, context);
    if (context.env.resources[name]?.kind === 's3-bucket') alias(['s3-bucket'])(to, context);
    else knownRegion(to, context);
  },
  run: (ctx, [name, to]) => checkReplicates(ctx, name, to),
});

export const everyTableHasPitr = step({
  keyword: 'Then',
  phrase: 'every DynamoDB table has point-in-time recovery enabled',
  run: (ctx) => checkEveryTablePitr(ctx),
});

export const everyTaggedBucketProtected = step({
  keyword: 'Then',
  phrase: 'every bucket tagged {string} has versioning and cross-region replication',
  run: (ctx, [tag]) => checkTaggedBuckets(ctx, tag),
});
