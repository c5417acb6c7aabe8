import { PutItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { resolveAlias } from '../env/index.js';
import type { CanaryHandle, CanaryWrite, ScenarioContext } from './scenario.js';
import type { SimControl, TableRef, WriteOutcome } from './target.js';

interface CanaryStore {
  write(seq: number): Promise<WriteOutcome>;
  readBack(): Promise<number[]>;
}

/**
 * RDS: orders go to wherever the database alias's data lives now (after a
 * promotion, the new primary: the application reconnects there too).
 */
function rdsStore(ctx: ScenarioContext, database: string): CanaryStore {
  return {
    write: (seq) => ctx.target.orders.write(ctx.database(ctx.current(database)), seq),
    readBack: () => ctx.target.orders.readBack(ctx.database(ctx.current(database))),
  };
}

/**
 * DynamoDB global table: each write goes to the first region that takes it,
 * as an active-active client would; reads come from the first that answers.
 * Plain SDK calls: the same on the sim and on AWS.
 */
function dynamodbStore(ctx: ScenarioContext, alias: string): CanaryStore {
  // Where the table's data lives now: after a restore, the restored table.
  const table = () => {
    const current = ctx.current(alias);
    return ctx.createdTables.get(current) ?? resolveAlias(ctx.env, current, ['dynamodb-table']);
  };
  const prefix = `canary#${ctx.info.runId}#`;
  const keyOf = (seq: number): Record<string, AttributeValue> => {
    const { partitionKey, sortKey } = table();
    const key: Record<string, AttributeValue> = { [partitionKey.name]: { S: `${prefix}${String(seq).padStart(6, '0')}` } };
    if (sortKey) key[sortKey.name] = sortKey.type === 'N' ? { N: '0' } : { S: 'canary' };
    return key;
  };
  return {
    write: async (seq) => {
      const errors: string[] = [];
      const { identifier, region: home, replicaRegions } = table();
      for (const region of [home, ...replicaRegions]) {
        try {
          await ctx.target.clients.dynamodb(region).send(new PutItemCommand({ TableName: identifier, Item: { ...keyOf(seq), seq: { N: String(seq) } } }));
          return { ok: true };
        } catch (error) {
          errors.push(`${region}: ${(error as Error).name}`);
        }
      }
      return { ok: false, error: errors.join('; ') };
    },
    readBack: async () => {
      const { identifier, region: home, replicaRegions, partitionKey } = table();
      for (const region of [home, ...replicaRegions]) {
        try {
          const seqs: number[] = [];
          let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
          do {
            const page = await ctx.target.clients.dynamodb(region).send(
              new ScanCommand({
                TableName: identifier,
                ConsistentRead: true,
                FilterExpression: 'begins_with(#k, :p)',
                ExpressionAttributeNames: { '#k': partitionKey.name },
                ExpressionAttributeValues: { ':p': { S: prefix } },
                ExclusiveStartKey,
              }),
            );
            for (const item of page.Items ?? []) seqs.push(Number(item['seq']?.N));
            ExclusiveStartKey = page.LastEvaluatedKey;
          } while (ExclusiveStartKey);
          return seqs.sort((a, b) => a - b);
        } catch {
          // This region does not answer (an outage): read from the next.
        }
      }
      throw new Error(`no region of ${identifier} answers, so its orders cannot be read back`);
    },
  };
}

/** Where a canary's orders go: a database, or a DynamoDB table. */
function storeKind(ctx: ScenarioContext, alias: string): 'rds' | 'dynamodb' {
  if (ctx.createdDatabases.has(alias)) return 'rds';
  if (ctx.createdTables.has(alias)) return 'dynamodb';
  return resolveAlias(ctx.env, alias, ['rds-instance', 'rds-read-replica', 'rds-cluster', 'dynamodb-table']).kind === 'dynamodb-table' ? 'dynamodb' : 'rds';
}

function storeFor(ctx: ScenarioContext, alias: string): CanaryStore {
  return storeKind(ctx, alias) === 'dynamodb' ? dynamodbStore(ctx, alias) : rdsStore(ctx, alias);
}

function tableRef(ctx: ScenarioContext, alias: string): TableRef {
  const table = ctx.createdTables.get(alias) ?? resolveAlias(ctx.env, alias, ['dynamodb-table']);
  return { identifier: table.identifier, regions: [table.region, ...table.replicaRegions] };
}

/**
 * On the sim: the true data-loss window at the fault of what the canary's
 * store held (every write to it, not only the canary's), as the copy the
 * canary reads back holds it now; undefined where the sim cannot tell.
 */
export function truthLossWindow(ctx: ScenarioContext, sim: SimControl, canary: CanaryHandle, faultAt: number): number | undefined {
  const alias = canary.database;
  const current = ctx.current(alias);
  if (storeKind(ctx, alias) === 'rds') return sim.lossWindowSeconds(ctx.database(alias), ctx.database(current), faultAt);
  return sim.tableLossWindowSeconds(tableRef(ctx, alias), tableRef(ctx, current), faultAt);
}

/**
 * How many writes in a row may fail before the canary's step does: a
 * service that refuses every order before any fault (a wrong endpoint, a
 * missing route) would otherwise make every RPO meaningless in silence.
 */
export const CANARY_GRACE_WRITES = 3;

/**
 * Write sequence-numbered orders at an interval, as an actor. `started`
 * settles with the first acknowledged write, or fails with the first error
 * once the first CANARY_GRACE_WRITES writes all failed.
 */
export function startCanary(ctx: ScenarioContext, database: string, intervalSeconds: number): CanaryHandle & { started: Promise<void> } {
  const writes: CanaryWrite[] = [];
  const store = storeFor(ctx, database);
  let stopped = false;
  let acknowledged: () => void = () => {};
  let refused: (error: Error) => void = () => {};
  const started = new Promise<void>((resolve, reject) => {
    acknowledged = resolve;
    refused = reject;
  });
  // Nobody may be waiting (a canary started outside its step): a refusal is still reported by the step that awaits it.
  started.catch(() => undefined);
  const handle: CanaryHandle & { started: Promise<void> } = {
    database,
    intervalSeconds,
    writes,
    started,
    readBack: () => store.readBack(),
    stop: () => {
      stopped = true;
    },
    get running() {
      return !stopped && !ctx.signal.aborted;
    },
  };
  ctx.canaries.set(database, handle);
  void ctx.clock.spawn(`canary:${database}`, async () => {
    let firstError: string | undefined;
    for (let seq = 1; !stopped && !ctx.signal.aborted; seq++) {
      const at = ctx.clock.now();
      const result = await store.write(seq);
      writes.push({ seq, at, ok: result.ok, ...(result.ok ? {} : { error: result.error }) });
      ctx.emit({ kind: 'canary.write', detail: { canary: database, seq, ok: result.ok, ...(result.ok ? {} : { error: result.error }) } });
      if (result.ok) acknowledged();
      else {
        firstError ??= result.error;
        if (seq === CANARY_GRACE_WRITES && !writes.some((w) => w.ok)) {
          refused(new Error(`orders written to "${database}" are not acknowledged: ${CANARY_GRACE_WRITES} writes failed in a row, the first with: ${firstError}`));
        }
      }
      await ctx.clock.sleep(intervalSeconds * 1000, 'until the next order', ctx.signal);
    }
  });
  return handle;
}

export interface Loss {
  /** Acknowledged writes missing from the database now. */
  lost: number[];
  survived: number;
  /** Fault instant − the newest surviving acknowledged write at or before it; 0 when nothing was lost. */
  windowSeconds: number;
}

/** Read back what survived and measure the data-loss window against the fault instant. */
export async function measureLoss(ctx: ScenarioContext, canary: CanaryHandle, faultAt: number): Promise<Loss> {
  canary.stop();
  const present = new Set(await canary.readBack());
  const acknowledged = canary.writes.filter((w) => w.ok);
  const lost = acknowledged.filter((w) => !present.has(w.seq)).map((w) => w.seq);
  const survivedBefore = acknowledged.filter((w) => w.at <= faultAt && present.has(w.seq));
  const lostBefore = acknowledged.some((w) => w.at <= faultAt && !present.has(w.seq));
  const newest = survivedBefore.at(-1);
  const windowSeconds = lostBefore ? (faultAt - (newest?.at ?? canary.writes[0]?.at ?? faultAt)) / 1000 : 0;
  ctx.emit({ kind: 'canary.readback', detail: { canary: canary.database, written: acknowledged.length, survived: acknowledged.length - lost.length, lost } });
  return { lost, survived: acknowledged.length - lost.length, windowSeconds };
}

/**
 * Where the target cannot tell whether a database takes writes without
 * placing an order (the aws target: `writable` is undefined), the canary's
 * own orders to the alias are the data path's evidence: a probe that reads
 * only the control plane sees an instance or cluster `available` while a
 * network disruption (`aws:network:disrupt-connectivity` on its subnet,
 * which makes RDS fail nothing over) refuses every order. The canary's
 * newest order counts once the control plane has looked serving: an order
 * that failed while the instance was down (a failover) is no news after it
 * is back, and would only delay the recovery the status already shows by up
 * to the canary's interval. While no canary writes to the alias, the status
 * alone judges, as before.
 */
export function canaryEvidence(ctx: ScenarioContext, alias: string) {
  /** When the control plane last turned to serving, as this probe saw it; undefined while it is not. */
  let servingSince: number | undefined;
  return {
    /** Note what the control plane says now, and return the sample unchanged. */
    serving<T>(serving: boolean, sample: T): T {
      servingSince = serving ? (servingSince ?? ctx.clock.now()) : undefined;
      return sample;
    },
    /** The outcome of the canary's newest order to the alias, if it was placed since the control plane looked serving. */
    lastOrder(): { ok: boolean; error?: string } | undefined {
      servingSince ??= ctx.clock.now();
      const canary = ctx.canaries.get(alias);
      const last = canary?.running ? canary.writes.at(-1) : undefined;
      if (!last || last.at < servingSince) return undefined;
      return last.ok ? { ok: true } : { ok: false, error: `the canary's order ${last.seq} was not acknowledged: ${last.error ?? 'no answer'}` };
    },
  };
}
