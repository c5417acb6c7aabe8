import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  RestoreTableToPointInTimeCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { resolveAlias, type DynamoDbTable } from '../env/index.js';
import { errorCode } from './aws-error.js';
import { startProbe } from './probes.js';
import { action, waitUntil } from './wait.js';
import type { ScenarioContext } from './scenario.js';
import { alias } from './checks.js';
import { step } from './types.js';

/**
 * DynamoDB: corrupting items as a bad deployment would, point-in-time
 * restores into a new table (in the first of the table's regions that
 * answers, as an active-active client would), and the check that the
 * corrupted items are back.
 */

/** The first of the table's regions that answers: what an active-active client uses. */
export async function answeringRegion(ctx: ScenarioContext, table: DynamoDbTable): Promise<string> {
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

export const itemsCorrupted = step({
  keyword: 'When',
  phrase: '{int} items of {string} are corrupted',
  incident: 'fault',
  check: ([, name], context) => alias(['dynamodb-table'])(name, context),
  calls: ([count, name]) => [`dynamodb:Scan, then dynamodb:UpdateItem × ${count} (mutating, data) on ${name}`],
  run: (ctx, [count, name]) => corruptItems(ctx, name, count),
});
