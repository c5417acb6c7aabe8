import {
  GetBackupPlanCommand,
  GetBackupSelectionCommand,
  ListBackupPlansCommand,
  ListBackupSelectionsCommand,
  DescribeBackupJobCommand,
  DescribeRestoreJobCommand,
  DeleteRecoveryPointCommand,
  ListRecoveryPointsByBackupVaultCommand,
  StartBackupJobCommand,
  StartRestoreJobCommand,
  type RecoveryPointByBackupVault,
} from '@aws-sdk/client-backup';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  ListTablesCommand,
  PutItemCommand,
  RestoreTableToPointInTimeCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { GetFindingsCommand, ListDetectorsCommand, ListFindingsCommand } from '@aws-sdk/client-guardduty';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListHostedZonesByNameCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import {
  CopyObjectCommand,
  GetBucketLocationCommand,
  GetBucketReplicationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import {
  assumedRoleOf,
  autoScalingGroupOf,
  regionsOf,
  resolveAlias,
  type BackupPlan,
  type DynamoDbTable,
  type Environment,
  type OrdersApi,
  type Resource,
  type ResourceKind,
  type S3Bucket,
} from '../env/index.js';
import { BadInputError } from '../errors.js';
import { formatSeconds } from './duration.js';
import { errorCode } from './aws-error.js';
import { startProbe } from './probes.js';
import { action, waitUntil } from './wait.js';
import type { ScenarioContext } from './scenario.js';
import { alias, interval, region as knownRegion } from './checks.js';
import type { CheckContext } from './types.js';
import { step, type StepDefinition } from './types.js';

// ── Shared ─────────────────────────────────────────────────────────────────

async function accountId(ctx: ScenarioContext): Promise<string> {
  const { Account } = await ctx.target.clients.sts().send(new GetCallerIdentityCommand({}));
  if (!Account) throw new Error('STS GetCallerIdentity named no account');
  return Account;
}

function arnOf(resource: Resource, account: string): string {
  switch (resource.kind) {
    case 'rds-instance':
    case 'rds-read-replica':
      return `arn:aws:rds:${resource.region}:${account}:db:${resource.identifier}`;
    case 'dynamodb-table':
      return `arn:aws:dynamodb:${resource.region}:${account}:table/${resource.identifier}`;
    case 'ebs-volume':
      return `arn:aws:ec2:${resource.region}:${account}:volume/${resource.identifier}`;
    case 's3-bucket':
      return `arn:aws:s3:::${resource.identifier}`;
    default:
      throw new Error(`"${resource.alias}" (${resource.kind}) cannot be backed up`);
  }
}

// ── DynamoDB ───────────────────────────────────────────────────────────────

/** The first of the table's regions that answers: what an active-active client uses. */
async function answeringRegion(ctx: ScenarioContext, table: DynamoDbTable): Promise<string> {
  const tried: string[] = [];
  for (const region of [table.region, ...table.replicaRegions]) {
    try {
      await ctx.target.clients.dynamodb(region).send(new DescribeTableCommand({ TableName: table.identifier }));
      return region;
    } catch (error) {
      tried.push(`${region}: ${errorCode(error)}`);
    }
  }
  throw new Error(`no region of ${table.identifier} answers (${tried.join('; ')})`);
}

async function scanAll(ctx: ScenarioContext, table: string, region: string): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await ctx.target.clients.dynamodb(region).send(new ScanCommand({ TableName: table, ExclusiveStartKey, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

export function table(ctx: ScenarioContext, alias: string): DynamoDbTable {
  return ctx.createdTables.get(alias) ?? resolveAlias(ctx.env, alias, ['dynamodb-table']);
}

/** Overwrite `count` items with garbage, as a faulty deployment would; their images before are kept for the check. */
export async function corruptItems(ctx: ScenarioContext, alias: string, count: number): Promise<void> {
  const target = table(ctx, alias);
  const region = await answeringRegion(ctx, target);
  const key = [target.partitionKey.name, ...(target.sortKey ? [target.sortKey.name] : [])];
  const items = (await scanAll(ctx, target.identifier, region))
    .filter((item) => !String(Object.values(item[key[0]!] ?? {})[0] ?? '').startsWith('canary#'))
    .slice(0, count);
  if (items.length < count) throw new Error(`${target.identifier} holds only ${items.length} items to corrupt`);
  ctx.markIncident('fault', ctx.clock.now(), `${count} items of ${alias} corrupted`);
  const before = new Map<string, string>();
  for (const item of items) {
    const itemKey = Object.fromEntries(key.map((k) => [k, item[k]!]));
    before.set(JSON.stringify(itemKey), JSON.stringify(item));
    await ctx.target.clients.dynamodb(region).send(
      new UpdateItemCommand({
        TableName: target.identifier,
        Key: itemKey,
        UpdateExpression: 'SET #c = :c, #p = :p',
        ExpressionAttributeNames: { '#c': 'corrupted', '#p': 'payload' },
        ExpressionAttributeValues: { ':c': { BOOL: true }, ':p': { S: '\u0000garbage from a bad deploy' } },
      }),
    );
  }
  ctx.corrupted.set(alias, before);
  ctx.emit({ kind: 'fault.injected', detail: { fault: `${count} items of ${alias} corrupted`, experimentId: '', action: 'UpdateItem with garbage', region } });
}

/** RestoreTableToPointInTime into a new table, `secondsBefore` the incident, in the first region of the table that answers. */
export async function restoreTable(ctx: ScenarioContext, alias: string, secondsBefore: number, newAlias: string, incidentAt: number): Promise<void> {
  await restoreTableTo(ctx, alias, newAlias, new Date(incidentAt - secondsBefore * 1000));
}

/** RestoreTableToPointInTime with UseLatestRestorableTime: as late as the table's PITR reaches now. */
export async function restoreTableToLatest(ctx: ScenarioContext, alias: string, newAlias: string): Promise<void> {
  await restoreTableTo(ctx, alias, newAlias, 'latest');
}

async function restoreTableTo(ctx: ScenarioContext, alias: string, newAlias: string, to: Date | 'latest'): Promise<void> {
  const source = table(ctx, alias);
  const region = await answeringRegion(ctx, source);
  const dynamodb = ctx.target.clients.dynamodb(region);
  // On the runner's clock: the latest restorable time as the restore is asked for (what the copy holds at least), or the instant asked for.
  const latest =
    to === 'latest'
      ? (await dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: source.identifier }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.LatestRestorableDateTime
      : undefined;
  const restoreAt = to === 'latest' ? new Date(latest ? ctx.target.awsClock.toRunner(latest.getTime()) : ctx.clock.now()) : to;
  // AWS reads RestoreDateTime on its own clock.
  const asked = to === 'latest' ? undefined : new Date(ctx.target.awsClock.toServer(restoreAt.getTime()));
  const when = asked ? { RestoreDateTime: asked } : { UseLatestRestorableTime: true };
  await action(ctx, 'dynamodb', 'point-in-time restore', `${alias} → ${newAlias}`, region, async () => {
    ctx.cleanup
      .begin(`restore of table ${newAlias}`, {
        service: 'dynamodb',
        region,
        operation: 'RestoreTableToPointInTime',
        input: { SourceTableName: source.identifier, TargetTableName: newAlias, ...(asked ? { RestoreDateTime: asked.toISOString() } : when) },
      })
      .undoWith({ service: 'dynamodb', region, operation: 'DeleteTable', input: { TableName: newAlias } });
    await dynamodb.send(new RestoreTableToPointInTimeCommand({ SourceTableName: source.identifier, TargetTableName: newAlias, ...when }));
    ctx.createdTables.set(newAlias, { ...source, alias: newAlias, identifier: newAlias, region, replicaRegions: [] });
    if (ctx.watched.has(newAlias)) startProbe(ctx, newAlias);
    await waitUntil(ctx, `table ${newAlias} to be ACTIVE`, async () => {
      const { Table } = await ctx.target.clients.dynamodb(region).send(new DescribeTableCommand({ TableName: newAlias }));
      return Table?.TableStatus === 'ACTIVE' ? Table : undefined;
    });
  }, () => `restored to ${to === 'latest' ? 'its latest restorable time, ' : ''}${restoreAt.toISOString()}`);
  ctx.restoredTo.set(newAlias, { source: alias, at: restoreAt.getTime() });
  // The business recovers into the restored table: canaries and "what was lost" follow it.
  ctx.successors.set(alias, newAlias);
}

/** Every corrupted item is back in the restored table as it was before the incident. */
export async function checkRestoredTable(ctx: ScenarioContext, restoredAlias: string): Promise<void> {
  const restored = ctx.restoredTo.get(restoredAlias);
  const before = restored ? ctx.corrupted.get(restored.source) : undefined;
  if (!restored || !before) throw new Error(`no items of the table "${restored?.source ?? restoredAlias}" were corrupted in this scenario, so there is nothing to compare`);
  const target = table(ctx, restoredAlias);
  const key = [target.partitionKey.name, ...(target.sortKey ? [target.sortKey.name] : [])];
  const items = await scanAll(ctx, target.identifier, target.region);
  const found = new Map(items.map((item) => [JSON.stringify(Object.fromEntries(key.map((k) => [k, item[k]!]))), JSON.stringify(item)]));
  const wrong = [...before].filter(([itemKey, image]) => found.get(itemKey) !== image).map(([itemKey]) => itemKey);
  const evidence = `${before.size - wrong.length} of the ${before.size} corrupted items are back as they were, in ${target.identifier} (${items.length} items)`;
  ctx.emit({ kind: wrong.length ? 'check.failed' : 'check.passed', detail: { check: 'restored data', subject: restoredAlias, evidence } });
  if (wrong.length) throw new Error(`${evidence}; not restored: ${wrong.slice(0, 5).join(', ')}`);
}

// ── S3 ─────────────────────────────────────────────────────────────────────

function bucket(ctx: ScenarioContext, alias: string): S3Bucket {
  return resolveAlias(ctx.env, alias, ['s3-bucket']);
}

async function bodyText(body: unknown): Promise<string> {
  return (body as { transformToString(): Promise<string> }).transformToString();
}

/** Overwrite the bucket's first object with the wrong content; the version it replaced is kept for the check. */
export async function overwrite(ctx: ScenarioContext, alias: string): Promise<void> {
  const target = bucket(ctx, alias);
  const s3 = ctx.target.clients.s3(target.region);
  const { Contents } = await s3.send(new ListObjectsV2Command({ Bucket: target.identifier, MaxKeys: 1 }));
  const key = Contents?.[0]?.Key;
  if (!key) throw new Error(`${target.identifier} holds no object to overwrite`);
  const original = await s3.send(new GetObjectCommand({ Bucket: target.identifier, Key: key }));
  const text = await bodyText(original.Body);
  ctx.markIncident('fault', ctx.clock.now(), `${alias}/${key} overwritten`);
  await s3.send(new PutObjectCommand({ Bucket: target.identifier, Key: key, Body: 'overwritten by a runaway export job' }));
  ctx.overwritten.set(alias, { key, body: text, ...(original.VersionId ? { versionId: original.VersionId } : {}) });
  ctx.emit({ kind: 'fault.injected', detail: { fault: `${alias}/${key} overwritten`, experimentId: '', action: 'PutObject over the current version', region: target.region } });
}

/** CopyObject of the version the incident replaced over the current one: S3's restore-a-version pattern. */
export async function restorePreviousVersion(ctx: ScenarioContext, alias: string): Promise<void> {
  const target = bucket(ctx, alias);
  const incident = ctx.overwritten.get(alias);
  if (!incident) throw new Error(`nothing in "${alias}" was overwritten in this scenario`);
  const s3 = ctx.target.clients.s3(target.region);
  await action(ctx, 's3', 'restore previous version', `${alias}/${incident.key}`, target.region, async () => {
    const { Versions } = await s3.send(new ListObjectVersionsCommand({ Bucket: target.identifier, Prefix: incident.key }));
    const previous = incident.versionId ?? Versions?.filter((v) => v.Key === incident.key && !v.IsLatest)[0]?.VersionId;
    if (!previous) throw new Error(`${target.identifier}/${incident.key} has no previous version: is versioning on?`);
    ctx.cleanup
      .begin(`restore of ${incident.key}`, { service: 's3', region: target.region, operation: 'CopyObject', input: { Bucket: target.identifier, Key: incident.key, VersionId: previous } })
      .irreversible();
    await s3.send(
      new CopyObjectCommand({
        Bucket: target.identifier,
        Key: incident.key,
        CopySource: `${target.identifier}/${encodeURIComponent(incident.key)}?versionId=${encodeURIComponent(previous)}`,
      }),
    );
    return previous;
  }, (version) => `version ${version} is current again`);
  ctx.restoredTo.set(alias, { source: alias, at: ctx.incident?.at ?? ctx.clock.now() });
}

export async function checkRestoredObject(ctx: ScenarioContext, alias: string): Promise<void> {
  const incident = ctx.overwritten.get(alias);
  if (!incident) throw new Error(`nothing in "${alias}" was overwritten in this scenario`);
  const target = bucket(ctx, alias);
  const current = await ctx.target.clients.s3(target.region).send(new GetObjectCommand({ Bucket: target.identifier, Key: incident.key }));
  const text = await bodyText(current.Body);
  const same = text === incident.body;
  const evidence = `${target.identifier}/${incident.key} ${same ? 'holds' : 'does not hold'} its content from before the incident (${text.length} bytes)`;
  ctx.emit({ kind: same ? 'check.passed' : 'check.failed', detail: { check: 'restored data', subject: alias, evidence } });
  if (!same) throw new Error(evidence);
}

/** A canary for buckets: one small object per interval under gameday/<run>/, as an actor. */
export function startObjectCanary(ctx: ScenarioContext, alias: string, intervalSeconds: number): void {
  const target = bucket(ctx, alias);
  const s3 = ctx.target.clients.s3(target.region);
  const written: { key: string; at: number; versionId?: string }[] = [];
  let stopped = false;
  ctx.objectCanaries.set(alias, { written, intervalSeconds, stop: () => (stopped = true) });
  void ctx.clock.spawn(`canary:${alias}`, async () => {
    for (let seq = 1; !stopped && !ctx.signal.aborted; seq++) {
      const key = `gameday/${ctx.info.runId}/${String(seq).padStart(6, '0')}.json`;
      const at = ctx.clock.now();
      try {
        const { VersionId } = await s3.send(new PutObjectCommand({ Bucket: target.identifier, Key: key, Body: JSON.stringify({ seq, at }) }));
        written.push({ key, at, ...(VersionId ? { versionId: VersionId } : {}) });
        ctx.emit({ kind: 'canary.write', detail: { canary: alias, seq, ok: true } });
      } catch (error) {
        ctx.emit({ kind: 'canary.write', detail: { canary: alias, seq, ok: false, error: errorCode(error) } });
      }
      await ctx.clock.sleep(intervalSeconds * 1000, 'until the next object', ctx.signal);
    }
  });
}

/** Every canary object reaches the destination: replication status COMPLETED on the source, within the bound. */
export async function checkReplication(ctx: ScenarioContext, alias: string, destinationAlias: string, withinSeconds: number): Promise<void> {
  const canary = ctx.objectCanaries.get(alias);
  if (!canary) throw new Error(`no objects are being written to "${alias}": add "Given objects are written to "${alias}" every 10 seconds"`);
  canary.stop();
  const source = bucket(ctx, alias);
  const destination = bucket(ctx, destinationAlias);
  // Replication takes seconds to minutes; a 30 s look is resolution enough against a 15-minute bound.
  const pollMs = 30_000;
  const lags = new Map<string, number>();
  const deadline = Math.max(...canary.written.map((w) => w.at), ctx.clock.now()) + withinSeconds * 1000;
  for (;;) {
    for (const written of canary.written) {
      if (lags.has(written.key)) continue;
      const head = await ctx.target.clients.s3(source.region).send(new HeadObjectCommand({ Bucket: source.identifier, Key: written.key, VersionId: written.versionId }));
      if (head.ReplicationStatus === 'COMPLETED') lags.set(written.key, (ctx.clock.now() - written.at) / 1000);
      else if (head.ReplicationStatus === 'FAILED') throw new Error(`replication of ${written.key} to ${destination.identifier} FAILED`);
      // Objects written later are rarely through before this one: look at them next round.
      else break;
    }
    if (lags.size === canary.written.length || ctx.clock.now() >= deadline) break;
    ctx.checkInterrupted();
    await ctx.clock.sleep(pollMs, `objects to reach ${destination.identifier}`, ctx.signal);
  }
  const slowest = Math.max(0, ...lags.values());
  const missing = canary.written.length - lags.size;
  const evidence = `${lags.size} of ${canary.written.length} objects replicated to ${destination.identifier}; slowest seen after ${formatSeconds(slowest)} (±${pollMs / 1000} s), bound ${formatSeconds(withinSeconds)}`;
  const ok = missing === 0 && slowest <= withinSeconds;
  ctx.emit({ kind: ok ? 'check.passed' : 'check.failed', detail: { check: 'replication', subject: `${alias} → ${destinationAlias}`, evidence } });
  if (!ok) throw new Error(evidence);
}

// ── Route 53 ───────────────────────────────────────────────────────────────

/**
 * Point the failover record's PRIMARY at the target region's endpoint, without
 * its health check (an operator's manual failover), and wait until the change
 * is INSYNC. The original record is restored at cleanup.
 */
export async function failOverDns(ctx: ScenarioContext, recordName: string, region: string): Promise<void> {
  const record = Object.values(ctx.env.resources).find((r) => r.kind === 'dns-failover-record' && (r.identifier === recordName || r.alias === recordName));
  if (record?.kind !== 'dns-failover-record') throw new BadInputError(`no dns-failover-record named "${recordName}" in ${ctx.env.file}`);
  const route53 = ctx.target.clients.route53();
  const { HostedZones } = await route53.send(new ListHostedZonesByNameCommand({ DNSName: record.zone, MaxItems: 1 }));
  const zone = HostedZones?.find((z) => z.Name?.replace(/\.$/, '') === record.zone.replace(/\.$/, ''));
  if (!zone?.Id) throw new Error(`hosted zone ${record.zone} not found`);
  const { ResourceRecordSets } = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone.Id, StartRecordName: record.identifier }));
  const sets = (ResourceRecordSets ?? []).filter((s) => s.Name?.replace(/\.$/, '') === record.identifier);
  const primary = sets.find((s) => s.Failover === 'PRIMARY');
  const wanted = region === record.primary.region ? primary : sets.find((s) => s.Failover === 'SECONDARY');
  if (!primary || !wanted) throw new Error(`${record.identifier} has no PRIMARY/SECONDARY failover records in ${record.zone}`);
  await action(ctx, 'route53', 'DNS failover', `${record.identifier} → ${region}`, 'global', async () => {
    const moved: ResourceRecordSet = { ...primary, ResourceRecords: wanted.ResourceRecords };
    delete moved.HealthCheckId;
    if (wanted.AliasTarget) moved.AliasTarget = wanted.AliasTarget;
    const change = { HostedZoneId: zone.Id, ChangeBatch: { Comment: `gameday ${ctx.info.runId}: fail over to ${region}`, Changes: [{ Action: 'UPSERT' as const, ResourceRecordSet: moved }] } };
    ctx.cleanup
      .begin(`DNS failover of ${record.identifier}`, { service: 'route53', region: 'us-east-1', operation: 'ChangeResourceRecordSets', input: change as unknown as Record<string, unknown> })
      .failBackWith({ service: 'route53', region: 'us-east-1', operation: 'ChangeResourceRecordSets', input: { HostedZoneId: zone.Id, ChangeBatch: { Comment: `gameday ${ctx.info.runId}: fail back`, Changes: [{ Action: 'UPSERT', ResourceRecordSet: primary }] } } });
    // In a drill, the DNS change is what disrupts: clients follow it as their caches expire.
    ctx.markIncident('planned', ctx.clock.now(), `DNS failover of ${record.identifier} to ${region}`);
    const { ChangeInfo } = await route53.send(new ChangeResourceRecordSetsCommand(change));
    await waitUntil(ctx, `change ${ChangeInfo?.Id} to be INSYNC`, async () => {
      const { ChangeInfo: now } = await route53.send(new GetChangeCommand({ Id: ChangeInfo?.Id }));
      return now?.Status === 'INSYNC' ? now : undefined;
    });
  }, () => `PRIMARY now answers with ${wanted.ResourceRecords?.map((r) => r.Value).join(', ') ?? wanted.AliasTarget?.DNSName}`);
}

// ── Capacity ───────────────────────────────────────────────────────────────

/** The orders API deployment in a region, and its EC2 Auto Scaling group: what "the standby capacity in <region>" scales. */
function standbyFleet(env: Environment, region: string): { service: OrdersApi; group: string } {
  const service = Object.values(env.resources).find((r): r is OrdersApi => r.kind === 'orders-api' && Object.hasOwn(r.regions, region));
  if (!service) throw new BadInputError(`no orders-api in ${env.file} runs in ${region}`);
  // On aws a deployment without autoScalingGroup is an EnvironmentError at its file:line.
  return { service, group: autoScalingGroupOf(env, service.alias, region) };
}

/**
 * Scale the region's fleet to full: SetDesiredCapacity to the group's
 * maximum, journalled with its undo (back to the desired capacity it had)
 * before it is made, then wait until that many instances are InService.
 */
export async function scaleUpStandby(ctx: ScenarioContext, region: string): Promise<void> {
  const { service } = standbyFleet(ctx.env, region);
  const { capacity } = ctx.target;
  await action(ctx, 'autoscaling', 'scale up standby', `${service.alias} in ${region}`, region, async () => {
    const { group, desired: previous, max } = await capacity.fleet(service.alias, region);
    if (previous < max) {
      const input = { AutoScalingGroupName: group, DesiredCapacity: max, HonorCooldown: false };
      ctx.cleanup
        .begin(`scale-up of ${group}`, { service: 'autoscaling', region, operation: 'SetDesiredCapacity', input })
        .undoWith({ service: 'autoscaling', region, operation: 'SetDesiredCapacity', input: { ...input, DesiredCapacity: previous } });
      await capacity.setDesired(service.alias, region, max);
    }
    await waitUntil(ctx, `${service.alias} in ${region} to run at full capacity`, async () => ((await capacity.atFull(service.alias, region)) ? true : undefined));
    return { group, previous, max };
  }, ({ group, previous, max }) => (previous < max ? `${group}: desired capacity ${previous} → ${max}, all InService` : `${group} was already at its maximum of ${max}`));
}

// ── AWS Backup ─────────────────────────────────────────────────────────────

function plan(ctx: ScenarioContext, alias: string): BackupPlan {
  return resolveAlias(ctx.env, alias, ['backup-plan']);
}

/** The environment's resources a plan selects, by its tags or by alias. */
export function selected(env: Environment, backupPlan: BackupPlan): Resource[] {
  return Object.values(env.resources).filter((resource) => {
    if (backupPlan.selection.resources.includes(resource.alias)) return true;
    const tags = 'tags' in resource ? resource.tags : {};
    const wanted = Object.entries(backupPlan.selection.tags);
    return wanted.length > 0 && wanted.every(([k, v]) => tags[k] === v);
  });
}

/** On-demand backup jobs for every resource the plan selects, with its first rule's vault and lifecycle. */
export async function runBackupPlan(ctx: ScenarioContext, alias: string): Promise<void> {
  const backupPlan = plan(ctx, alias);
  const rule = backupPlan.rules[0];
  if (!rule) throw new Error(`the backup plan "${alias}" has no rules`);
  const account = await accountId(ctx);
  const backup = ctx.target.clients.backup(backupPlan.region);
  const resources = selected(ctx.env, backupPlan).filter((r) => 'region' in r && r.region === backupPlan.region);
  if (resources.length === 0) throw new Error(`the backup plan "${alias}" selects nothing in ${backupPlan.region}`);
  await action(ctx, 'backup', 'backup plan run', `${alias} (${resources.length} resources)`, backupPlan.region, async () => {
    const jobs: string[] = [];
    for (const resource of resources) {
      const input = {
        BackupVaultName: backupPlan.vault,
        ResourceArn: arnOf(resource, account),
        IamRoleArn: `arn:aws:iam::${account}:role/service-role/AWSBackupDefaultServiceRole`,
        Lifecycle: { DeleteAfterDays: rule.deleteAfterDays },
      };
      const started = await backup.send(new StartBackupJobCommand(input));
      if (started.BackupJobId) jobs.push(started.BackupJobId);
    }
    for (const id of jobs) {
      const job = await waitUntil(ctx, `backup job ${id}`, async () => {
        const now = await backup.send(new DescribeBackupJobCommand({ BackupJobId: id }));
        return ['COMPLETED', 'FAILED', 'ABORTED', 'EXPIRED'].includes(now.State ?? '') ? now : undefined;
      });
      if (job.State !== 'COMPLETED') throw new Error(`backup job ${id} of ${job.ResourceArn} ended ${job.State}: ${job.StatusMessage ?? ''}`);
    }
    return jobs.length;
  }, (count) => `${count} recovery points in ${backupPlan.vault}`);
}

async function latestRecoveryPoint(ctx: ScenarioContext, backupPlan: BackupPlan, resourceArn: string): Promise<RecoveryPointByBackupVault> {
  const points: RecoveryPointByBackupVault[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ctx.target.clients.backup(backupPlan.region).send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: backupPlan.vault, ByResourceArn: resourceArn, NextToken }));
    points.push(...(page.RecoveryPoints ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  const latest = points.filter((p) => p.Status === 'COMPLETED').sort((a, b) => (b.CreationDate?.getTime() ?? 0) - (a.CreationDate?.getTime() ?? 0))[0];
  if (!latest?.RecoveryPointArn) throw new Error(`no completed recovery point of ${resourceArn} in ${backupPlan.vault}`);
  return latest;
}

function planFor(ctx: ScenarioContext, resource: Resource): BackupPlan {
  const found = Object.values(ctx.env.resources).find((r): r is BackupPlan => r.kind === 'backup-plan' && selected(ctx.env, r).some((s) => s.alias === resource.alias));
  if (!found) throw new Error(`no backup plan in ${ctx.env.file} selects "${resource.alias}"`);
  return found;
}

/** StartRestoreJob from the resource's latest recovery point, as a new resource named after the alias. */
export async function restoreFromRecoveryPoint(ctx: ScenarioContext, alias: string, newAlias: string): Promise<void> {
  const resource = resolveAlias(ctx.env, alias, ['rds-instance', 'dynamodb-table']);
  const backupPlan = planFor(ctx, resource);
  const account = await accountId(ctx);
  const point = await latestRecoveryPoint(ctx, backupPlan, arnOf(resource, account));
  const backup = ctx.target.clients.backup(backupPlan.region);
  const metadata: Record<string, string> =
    resource.kind === 'rds-instance' ? { DBInstanceIdentifier: newAlias } : { targetTableName: newAlias };
  await action(ctx, 'backup', 'restore job', `${alias} → ${newAlias}`, backupPlan.region, async () => {
    ctx.cleanup
      .begin(`restore job ${newAlias}`, { service: 'backup', region: backupPlan.region, operation: 'StartRestoreJob', input: { RecoveryPointArn: point.RecoveryPointArn, Metadata: metadata } })
      .undoWith(
        resource.kind === 'rds-instance'
          ? { service: 'rds', region: resource.region, operation: 'DeleteDBInstance', input: { DBInstanceIdentifier: newAlias, SkipFinalSnapshot: true } }
          : { service: 'dynamodb', region: resource.region, operation: 'DeleteTable', input: { TableName: newAlias } },
      );
    const { RestoreJobId } = await backup.send(
      new StartRestoreJobCommand({ RecoveryPointArn: point.RecoveryPointArn, Metadata: metadata, IamRoleArn: `arn:aws:iam::${account}:role/service-role/AWSBackupDefaultServiceRole` }),
    );
    if (resource.kind === 'rds-instance') ctx.createdDatabases.set(newAlias, { region: resource.region, identifier: newAlias });
    else ctx.createdTables.set(newAlias, { ...resource, alias: newAlias, identifier: newAlias, replicaRegions: [] });
    if (ctx.watched.has(newAlias)) startProbe(ctx, newAlias);
    const job = await waitUntil(ctx, `restore job ${RestoreJobId}`, async () => {
      const now = await backup.send(new DescribeRestoreJobCommand({ RestoreJobId }));
      return ['COMPLETED', 'FAILED', 'ABORTED'].includes(now.Status ?? '') ? now : undefined;
    });
    if (job.Status !== 'COMPLETED') throw new Error(`restore job ${RestoreJobId} ended ${job.Status}: ${job.StatusMessage ?? ''}`);
    return job.CreatedResourceArn;
  }, (arn) => `created ${arn} from ${point.RecoveryPointArn}`);
  ctx.restoredTo.set(newAlias, { source: alias, at: point.CreationDate ? ctx.target.awsClock.toRunner(point.CreationDate.getTime()) : ctx.clock.now() });
  ctx.successors.set(alias, newAlias);
}

/** Try to delete the resource's latest recovery point as another role; the answer is kept for "the request is denied". */
export async function tryDeleteRecoveryPoint(ctx: ScenarioContext, role: string, alias: string): Promise<void> {
  const resource = resolveAlias(ctx.env, alias, ['rds-instance', 'dynamodb-table', 'ebs-volume']);
  const backupPlan = planFor(ctx, resource);
  const point = await latestRecoveryPoint(ctx, backupPlan, arnOf(resource, await accountId(ctx)));
  // Journalled before it is tried; irreversible only if it is not refused (a refusal changed nothing).
  const attempt = ctx.cleanup.begin(`deletion attempt by ${role}`, {
    service: 'backup',
    region: backupPlan.region,
    operation: 'DeleteRecoveryPoint',
    input: { BackupVaultName: backupPlan.vault, RecoveryPointArn: point.RecoveryPointArn },
  });
  try {
    await ctx.target.clientsAs(role).backup(backupPlan.region).send(new DeleteRecoveryPointCommand({ BackupVaultName: backupPlan.vault, RecoveryPointArn: point.RecoveryPointArn }));
    attempt.irreversible();
    ctx.lastError = undefined;
    ctx.emit({ kind: 'info', detail: { message: `${role} deleted ${point.RecoveryPointArn}` } });
  } catch (error) {
    ctx.lastError = { code: errorCode(error), message: (error as Error).message, operation: 'DeleteRecoveryPoint' };
    ctx.emit({ kind: 'info', detail: { message: `${role}'s DeleteRecoveryPoint was refused: ${ctx.lastError.code}` } });
  }
}

export function checkDenied(ctx: ScenarioContext): void {
  const error = ctx.lastError;
  const denied = error !== undefined && /AccessDenied|UnauthorizedOperation|Forbidden/i.test(error.code);
  const evidence = error ? `${error.operation} answered ${error.code}: ${error.message}` : 'the last request succeeded';
  ctx.emit({ kind: denied ? 'check.passed' : 'check.failed', detail: { check: 'request denied', subject: error?.operation ?? 'request', evidence } });
  if (!denied) throw new Error(evidence);
}

export async function checkFinding(ctx: ScenarioContext, type: string): Promise<void> {
  const region = ctx.env.regions.primary;
  const guardduty = ctx.target.clients.guardduty(region);
  // GuardDuty reports within minutes on AWS; the sim raises findings at once.
  const found = await waitUntil(ctx, `a ${type} finding`, async () => {
    const { DetectorIds } = await guardduty.send(new ListDetectorsCommand({}));
    for (const DetectorId of DetectorIds ?? []) {
      const { FindingIds } = await guardduty.send(new ListFindingsCommand({ DetectorId, FindingCriteria: { Criterion: { type: { Eq: [type] } } } }));
      if (FindingIds?.length) {
        const { Findings } = await guardduty.send(new GetFindingsCommand({ DetectorId, FindingIds }));
        const since = ctx.startedAt;
        const fresh = Findings?.find((f) => Date.parse(f.UpdatedAt ?? f.CreatedAt ?? '') >= since);
        if (fresh) return fresh;
      }
    }
    return undefined;
  }, 20 * 60_000);
  ctx.emit({ kind: 'check.passed', detail: { check: 'finding', subject: type, evidence: `${found.Title ?? found.Type} (severity ${found.Severity})` } });
}

// ── Alarms, audit trail ────────────────────────────────────────────────────

export async function setAlarm(ctx: ScenarioContext, name: string): Promise<void> {
  const region = ctx.env.stopConditions.find((c) => c.value.endsWith(`:alarm:${name}`))?.value.split(':')[3] ?? ctx.env.regions.primary;
  await ctx.target.clients.cloudwatch(region).send(new SetAlarmStateCommand({ AlarmName: name, StateValue: 'ALARM', StateReason: `gameday ${ctx.info.runId}: ${ctx.info.name}` }));
  ctx.emit({ kind: 'info', detail: { message: `alarm ${name} set to ALARM` } });
}

function identifierOf(ctx: ScenarioContext, alias: string): { identifier: string; region: string } {
  const created = ctx.createdDatabases.get(alias) ?? ctx.createdTables.get(alias);
  if (created) return { identifier: created.identifier, region: created.region };
  const resource = resolveAlias(ctx.env, alias);
  if (resource.kind === 'orders-api') return { identifier: resource.url, region: ctx.env.regions.primary };
  if (resource.kind === 'dns-failover-record') return { identifier: resource.identifier, region: 'us-east-1' };
  if (resource.kind === 'drs-source-servers') {
    throw new Error(`"${alias}" are servers Elastic Disaster Recovery replicates; the audit trail names them by source server id, not by alias`);
  }
  return { identifier: resource.identifier, region: resource.region };
}

/** CloudTrail LookupEvents: the call was recorded against the resource (delivery takes minutes on AWS). */
export async function checkAudit(ctx: ScenarioContext, eventName: string, alias: string): Promise<void> {
  const { identifier, region } = identifierOf(ctx, alias);
  const trail = ctx.target.clients.cloudtrail(region);
  const found = await waitUntil(ctx, `CloudTrail to record ${eventName} on ${identifier}`, async () => {
    let NextToken: string | undefined;
    do {
      const page = await trail.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }], StartTime: new Date(ctx.startedAt), NextToken }),
      );
      const match = page.Events?.find((e) => e.Resources?.some((r) => r.ResourceName?.includes(identifier)) || e.CloudTrailEvent?.includes(identifier));
      if (match) return match;
      NextToken = page.NextToken;
    } while (NextToken);
    return undefined;
  }, 20 * 60_000);
  const user = found.Username ?? 'someone';
  ctx.emit({ kind: 'check.passed', detail: { check: 'audit trail', subject: `${eventName} on ${alias}`, evidence: `${found.EventName} by ${user} at ${found.EventTime?.toISOString()} (${found.EventId})` } });
}

// ── Posture ────────────────────────────────────────────────────────────────

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


// ── Phrases (DESIGN §8 and its extensions) ───────────────────────────────────

/** The sim acts as a role through an access key of sim.identities; aws assumes the role the environment declares under roles. */
export function knownRole(name: string, { env }: CheckContext): void {
  if (env.target === 'aws') {
    assumedRoleOf(env, name);
    return;
  }
  if (!Object.values(env.sim.identities).includes(name)) {
    throw new BadInputError(`no access key under sim.identities acts as the role "${name}" (roles with keys: ${[...new Set(Object.values(env.sim.identities))].join(', ')})`);
  }
}

export const serviceSteps: readonly StepDefinition[] = [
  step({
    keyword: 'Given',
    phrase: 'point-in-time recovery is enabled on {string}',
    check: ([name], context) => alias(['dynamodb-table', 'rds-instance'])(name, context),
    run: (ctx, [name]) => checkPitrEnabled(ctx, name),
  }),
  step({
    keyword: 'Given',
    phrase: 'versioning is enabled on {string}',
    check: ([name], context) => alias(['s3-bucket'])(name, context),
    run: (ctx, [name]) => checkVersioning(ctx, name),
  }),
  step({
    keyword: 'Given',
    phrase: '{string} replicates to {string}',
    check: ([name, to], context) => {
      alias(['s3-bucket', 'dynamodb-table'])(name, context);
      if (context.env.resources[name]?.kind === 's3-bucket') alias(['s3-bucket'])(to, context);
      else knownRegion(to, context);
    },
    run: (ctx, [name, to]) => checkReplicates(ctx, name, to),
  }),
  step({
    keyword: 'Given',
    // Extension: a canary for buckets.
    phrase: 'objects are written to {string} every {duration}',
    check: ([name, every], context) => {
      alias(['s3-bucket'])(name, context);
      interval(every, 'objects');
    },
    run: async (ctx, [name, every]) => startObjectCanary(ctx, name, every),
  }),
  step({
    keyword: 'When',
    phrase: '{int} items of {string} are corrupted',
    incident: 'fault',
    check: ([, name], context) => alias(['dynamodb-table'])(name, context),
    calls: ([count, name]) => [`dynamodb:Scan, then dynamodb:UpdateItem × ${count} (mutating, data) on ${name}`],
    run: (ctx, [count, name]) => corruptItems(ctx, name, count),
  }),
  step({
    keyword: 'When',
    phrase: '{string} is overwritten',
    incident: 'fault',
    check: ([name], context) => alias(['s3-bucket'])(name, context),
    calls: ([name]) => [`s3:PutObject over the first object of ${name} (mutating, data)`],
    run: (ctx, [name]) => overwrite(ctx, name),
  }),
  step({
    keyword: 'When',
    // Extension: S3's restore-a-version pattern.
    phrase: 'the previous version in {string} is restored',
    check: ([name], context) => alias(['s3-bucket'])(name, context),
    calls: ([name]) => [`s3:ListObjectVersions, s3:CopyObject of the previous version over the current one in ${name} (mutating)`],
    run: (ctx, [name]) => restorePreviousVersion(ctx, name),
  }),
  step({
    keyword: 'When',
    phrase: 'DNS for {string} fails over to {string}',
    incident: 'planned',
    check: ([record, to], context) => {
      const found = Object.values(context.env.resources).some((r) => r.kind === 'dns-failover-record' && (r.identifier === record || r.alias === record));
      if (!found) throw new BadInputError(`no dns-failover-record named "${record}" in ${context.env.file}`);
      knownRegion(to, context);
    },
    calls: ([record, to]) => [`route53:ChangeResourceRecordSets UPSERT of ${record}'s PRIMARY to the ${to} endpoint (mutating; undone at cleanup)`, 'route53:GetChange until INSYNC'],
    run: (ctx, [record, to]) => failOverDns(ctx, record, to),
  }),
  step({
    keyword: 'When',
    phrase: 'the standby capacity in {string} is scaled up',
    check: ([region], context) => {
      knownRegion(region, context);
      standbyFleet(context.env, region);
    },
    calls: ([region], env) => {
      const { group } = standbyFleet(env, region);
      return [
        `autoscaling:DescribeAutoScalingGroups ${group} in ${region}`,
        `autoscaling:SetDesiredCapacity (mutating) of ${group} to its MaxSize, then autoscaling:DescribeAutoScalingGroups until that many are InService`,
        `cleanup: autoscaling:SetDesiredCapacity of ${group} back to its desired capacity before`,
      ];
    },
    run: (ctx, [region]) => scaleUpStandby(ctx, region),
  }),
  step({
    keyword: 'When',
    phrase: 'the {string} backup plan runs',
    check: ([name], context) => alias(['backup-plan'])(name, context),
    calls: ([name]) => [`backup:StartBackupJob for each resource ${name} selects (mutating)`, 'backup:DescribeBackupJob until COMPLETED'],
    run: (ctx, [name]) => runBackupPlan(ctx, name),
  }),
  step({
    keyword: 'When',
    // Extension: an AWS Backup restore job.
    phrase: '{string} is restored from its latest recovery point as {string}',
    check: ([name, as], context) => {
      alias(['rds-instance', 'dynamodb-table'])(name, context);
      context.created.add(as);
    },
    calls: ([name, as]) => [`backup:ListRecoveryPointsByBackupVault for ${name}`, `backup:StartRestoreJob as ${as} (mutating)`, 'backup:DescribeRestoreJob until COMPLETED'],
    run: (ctx, [name, as]) => restoreFromRecoveryPoint(ctx, name, as),
  }),
  step({
    keyword: 'When',
    // Extension: an unauthorised deletion, made with the role's own credentials.
    phrase: 'the {string} role tries to delete the latest recovery point of {string}',
    check: ([role, name], context) => {
      knownRole(role, context);
      alias(['rds-instance', 'dynamodb-table', 'ebs-volume'])(name, context);
    },
    calls: ([role, name], env) => [
      ...(env.target === 'aws' ? [`sts:AssumeRole ${assumedRoleOf(env, role).roleArn} (session gameday-<run id>)`] : []),
      `backup:DeleteRecoveryPoint of ${name}'s latest recovery point, as ${role} (mutating if allowed)`,
    ],
    run: (ctx, [role, name]) => tryDeleteRecoveryPoint(ctx, role, name),
  }),
  step({
    keyword: 'When',
    // Extension: what a metric crossing its threshold does to an FIS stop condition.
    phrase: 'the alarm {string} goes into ALARM',
    check: ([name], { env }) => {
      if (!env.stopConditions.some((c) => c.value.endsWith(`:alarm:${name}`))) {
        throw new BadInputError(`the alarm "${name}" is not one of the environment's stop conditions`);
      }
    },
    calls: ([name]) => [`cloudwatch:SetAlarmState ${name} ALARM (mutating)`],
    run: (ctx, [name]) => setAlarm(ctx, name),
  }),
  step({
    keyword: 'Then',
    phrase: 'every DynamoDB table has point-in-time recovery enabled',
    run: (ctx) => checkEveryTablePitr(ctx),
  }),
  step({
    keyword: 'Then',
    phrase: 'every bucket tagged {string} has versioning and cross-region replication',
    run: (ctx, [tag]) => checkTaggedBuckets(ctx, tag),
  }),
  step({
    keyword: 'Then',
    // Extension: plan coverage (Backup Audit Manager's idea, through the Backup API).
    phrase: 'every resource tagged {string} is backed up for at least {int} days with a copy in {string}',
    check: ([, , region], context) => knownRegion(region, context),
    run: (ctx, [tag, days, region]) => checkCoverage(ctx, tag, days, region),
  }),
  step({
    keyword: 'Then',
    // Extension: replication within a bound (S3 RTC promises 15 minutes).
    phrase: 'every object written to {string} reaches {string} within {duration}',
    check: ([from, to], context) => {
      alias(['s3-bucket'])(from, context);
      alias(['s3-bucket'])(to, context);
    },
    run: (ctx, [from, to, within]) => checkReplication(ctx, from, to, within),
  }),
  step({
    keyword: 'Then',
    phrase: 'the audit trail records {string} on {string}',
    check: ([, name], context) => alias()(name, context),
    run: (ctx, [event, name]) => checkAudit(ctx, event, name),
  }),
  step({
    keyword: 'Then',
    phrase: 'the request is denied',
    run: async (ctx) => checkDenied(ctx),
  }),
  step({
    keyword: 'Then',
    phrase: 'a {string} finding is raised',
    run: (ctx, [type]) => checkFinding(ctx, type),
  }),
];

/**
 * Plan coverage, Backup Audit Manager's idea through the Backup API: every
 * resource the environment tags so is selected by a plan (by ARN or by a tag
 * condition) whose rule keeps recovery points long enough and copies them to
 * the region named.
 */
export async function checkCoverage(ctx: ScenarioContext, tag: string, days: number, copyRegion: string): Promise<void> {
  const [key, value] = tag.includes('=') ? tag.split('=', 2) : [tag, undefined];
  const account = await accountId(ctx);
  const resources = Object.values(ctx.env.resources).filter((r) => {
    const tags = 'tags' in r ? r.tags : {};
    return r.kind !== 'backup-plan' && key !== undefined && key in tags && (value === undefined || tags[key] === value);
  });
  if (resources.length === 0) throw new Error(`no resource of ${ctx.env.name} is tagged ${tag}`);
  const covering = new Map<string, string[]>();
  for (const region of regionsOf(ctx.env)) {
    const backup = ctx.target.clients.backup(region);
    const { BackupPlansList } = await backup.send(new ListBackupPlansCommand({}));
    for (const summary of BackupPlansList ?? []) {
      const { BackupPlan } = await backup.send(new GetBackupPlanCommand({ BackupPlanId: summary.BackupPlanId }));
      const rules = (BackupPlan?.Rules ?? []).filter(
        (rule) => (rule.Lifecycle?.DeleteAfterDays ?? Infinity) >= days && (rule.CopyActions ?? []).some((c) => c.DestinationBackupVaultArn?.split(':')[3] === copyRegion),
      );
      if (rules.length === 0) continue;
      const { BackupSelectionsList } = await backup.send(new ListBackupSelectionsCommand({ BackupPlanId: summary.BackupPlanId }));
      for (const listed of BackupSelectionsList ?? []) {
        const { BackupSelection } = await backup.send(new GetBackupSelectionCommand({ BackupPlanId: summary.BackupPlanId, SelectionId: listed.SelectionId }));
        for (const resource of resources) {
          if (!('region' in resource) || resource.region !== region) continue;
          const arn = arnOf(resource, account);
          const tags = 'tags' in resource ? resource.tags : {};
          const byArn = BackupSelection?.Resources?.includes(arn) ?? false;
          const byTag = (BackupSelection?.ListOfTags ?? []).some((c) => c.ConditionKey !== undefined && tags[c.ConditionKey] === c.ConditionValue);
          if (byArn || byTag) covering.set(resource.alias, [...(covering.get(resource.alias) ?? []), summary.BackupPlanName ?? summary.BackupPlanId ?? '?']);
        }
      }
    }
  }
  const uncovered: string[] = [];
  for (const resource of resources) {
    const plans = covering.get(resource.alias);
    ctx.emit({
      kind: plans ? 'check.passed' : 'check.failed',
      detail: { check: 'backup coverage', subject: resource.alias, evidence: plans ? `covered by ${[...new Set(plans)].join(', ')}` : `no plan keeps it ${days} days with a copy in ${copyRegion}` },
    });
    if (!plans) uncovered.push(resource.alias);
  }
  if (uncovered.length) throw new Error(`not backed up for ${days} days with a copy in ${copyRegion}: ${uncovered.join(', ')}`);
}
