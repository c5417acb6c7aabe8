import { DescribeDBClustersCommand, DescribeDBInstancesCommand, FailoverDBClusterCommand, type DBCluster } from '@aws-sdk/client-rds';
import { resolveAlias, type Environment, type RdsCluster } from '../env/index.js';
import { BadInputError } from '../errors.js';
import { alias } from './checks.js';
import type { CheckContext } from './types.js';
import { errorCode } from './aws-error.js';
import { canaryEvidence } from './canary.js';
import type { Sampler } from './probes.js';
import { action, waitUntil } from './wait.js';
import type { ScenarioContext } from './scenario.js';
import { writerFailBackJournalled } from './steady-state.js';
import { step } from './types.js';

/**
 * Aurora DB clusters (`rds-cluster`): a writer and readers across zones on
 * one shared volume. The orders service writes through the cluster endpoint,
 * which names whichever instance is the writer; a failover (FailoverDBCluster,
 * FIS's aws:rds:failover-db-cluster, or the writer's zone losing power)
 * promotes a reader, and writes fail until it has taken over. What was
 * acknowledged is on the shared volume, so nothing acknowledged is lost.
 *
 * The cluster is judged by its writer: healthy while DescribeDBClusters says
 * `available`, a member is the writer, and (where the target can tell
 * without writing) a write would be taken.
 */

const CLUSTER: readonly ['rds-cluster'] = ['rds-cluster'];

function cluster(env: Environment, name: string): RdsCluster {
  return resolveAlias(env, name, CLUSTER);
}

async function describeCluster(ctx: ScenarioContext, db: RdsCluster): Promise<DBCluster> {
  const { DBClusters } = await ctx.target.clients.rds(db.region).send(new DescribeDBClustersCommand({ DBClusterIdentifier: db.identifier }));
  const found = DBClusters?.[0];
  if (!found) throw new Error(`DB cluster ${db.identifier} not found in ${db.region}`);
  return found;
}

function writerOf(described: DBCluster): string | undefined {
  return described.DBClusterMembers?.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier;
}

/** The writer instance now: its identifier, zone and promotion tier. */
async function currentWriter(ctx: ScenarioContext, db: RdsCluster): Promise<{ id: string; zone?: string; tier?: number; status: string }> {
  const described = await describeCluster(ctx, db);
  const id = writerOf(described);
  if (!id) throw new Error(`${db.identifier} has no writer (the cluster is ${described.Status ?? 'in no status'})`);
  const { DBInstances } = await ctx.target.clients.rds(db.region).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
  const instance = DBInstances?.[0];
  return {
    id,
    ...(instance?.AvailabilityZone ? { zone: instance.AvailabilityZone } : {}),
    ...(instance?.PromotionTier !== undefined ? { tier: instance.PromotionTier } : {}),
    status: described.Status ?? 'missing',
  };
}

/** A probe of a cluster: available, with a writer that takes writes. */
export function clusterSampler(ctx: ScenarioContext, db: RdsCluster): Sampler {
  const dataPath = canaryEvidence(ctx, db.alias);
  return async () => {
    try {
      const described = await describeCluster(ctx, db);
      const status = described.Status ?? 'missing';
      const writer = writerOf(described);
      if (status !== 'available') return dataPath.serving(false, { ok: false, status });
      if (!writer) return dataPath.serving(false, { ok: false, status: `${status}, no writer` });
      const write = (await ctx.target.orders.writable({ region: db.region, identifier: db.identifier })) ?? dataPath.lastOrder();
      if (write && !write.ok) return { ok: false, status: `${status}, writer ${writer}, but writes fail: ${write.error}` };
      return dataPath.serving(true, { ok: true, status: `${status}, writer ${writer}` });
    } catch (error) {
      return dataPath.serving(false, { ok: false, status: errorCode(error) });
    }
  };
}

/**
 * FailoverDBCluster without a target: RDS promotes the reader it ranks first
 * (promotion tier, then size). Journalled with its fail-back (a failover to
 * the writer the scenario found), made at the end of the scenario only if
 * the writer is still elsewhere. Waits until the cluster is available with
 * another writer.
 */
export async function failOverCluster(ctx: ScenarioContext, name: string): Promise<void> {
  const db = cluster(ctx.env, name);
  const rds = ctx.target.clients.rds(db.region);
  await action(ctx, 'rds', 'cluster failover', name, db.region, async () => {
    const before = await currentWriter(ctx, db);
    const failover = { service: 'rds' as const, region: db.region, operation: 'FailoverDBCluster', input: { DBClusterIdentifier: db.identifier } };
    const journalled = ctx.cleanup.begin(`failover of cluster ${db.identifier}`, failover);
    const back = { ...failover, input: { DBClusterIdentifier: db.identifier, TargetDBInstanceIdentifier: before.id } };
    // Back only if the writer is still away (a later step or fault may have moved it home).
    journalled.failBackWith(back, async () => writerOf(await describeCluster(ctx, db)) !== before.id);
    writerFailBackJournalled(ctx, db.region, db.identifier);
    // In a drill (no fault before it), the failover is the incident: writes fail from the moment it starts.
    ctx.markIncident('planned', ctx.clock.now(), `failover of cluster ${db.identifier}`);
    await rds.send(new FailoverDBClusterCommand({ DBClusterIdentifier: db.identifier }));
    await waitUntil(ctx, `${db.identifier} to have a new writer`, async () => {
      const described = await describeCluster(ctx, db);
      const writer = writerOf(described);
      return described.Status === 'available' && writer !== undefined && writer !== before.id ? writer : undefined;
    });
    const after = await currentWriter(ctx, db);
    return { before, after };
  }, ({ before, after }) => `writer moved from ${before.id} (${before.zone ?? '?'}) to ${after.id} (${after.zone ?? '?'}, promotion tier ${after.tier ?? '?'})`);
}

function checkZone(name: string, zone: string, context: CheckContext): void {
  alias(CLUSTER)(name, context);
  const db = cluster(context.env, name);
  if (!zone.startsWith(db.region) || !/^[a-z]{2}(-[a-z]+)+-\d+[a-z]$/.test(zone)) {
    throw new BadInputError(`"${zone}" is not an Availability Zone of ${db.region}, where "${name}" runs (like ${db.region}a)`);
  }
}

function checkTier(tier: number): void {
  if (!Number.isInteger(tier) || tier < 0 || tier > 15) {
    throw new BadInputError(`promotion tier ${tier} does not exist: RDS ranks readers from tier 0 to tier 15`);
  }
}

/** Where the writer is now, said as evidence either way. */
async function checkWriter(ctx: ScenarioContext, name: string, what: string, ok: (writer: Awaited<ReturnType<typeof currentWriter>>) => boolean): Promise<void> {
  const db = cluster(ctx.env, name);
  const writer = await currentWriter(ctx, db);
  const evidence = `the writer is ${writer.id}, in ${writer.zone ?? 'no zone'}, promotion tier ${writer.tier ?? '?'} (${what} required)`;
  const passed = ok(writer);
  ctx.emit({ kind: passed ? 'check.passed' : 'check.failed', detail: { check: 'cluster writer', subject: name, evidence } });
  if (!passed) throw new Error(`${name}: ${evidence}`);
}

export const failsOverToReader = step({
  keyword: 'When',
  phrase: '{string} fails over to a reader',
  incident: 'planned',
  calls: ([name], env) => {
    const db = cluster(env, name);
    return [
      `rds:FailoverDBCluster ${db.identifier} (mutating) in ${db.region}`,
      'rds:DescribeDBClusters until available with a new writer',
      `cleanup: rds:FailoverDBCluster back to the writer it had, if still away`,
    ];
  },
  check: ([name], context) => alias(CLUSTER)(name, context),
  run: async (ctx, [name]) => failOverCluster(ctx, name),
});

export const writerInZone = step({
  keyword: 'Then',
  phrase: 'the writer of {string} is in {string}',
  calls: () => ['rds:DescribeDBClusters, rds:DescribeDBInstances of the writer'],
  check: ([name, zone], context) => checkZone(name, zone, context),
  run: async (ctx, [name, zone]) => checkWriter(ctx, name, `in ${zone}`, (w) => w.zone === zone),
});

export const writerHasTier = step({
  keyword: 'Then',
  phrase: 'the writer of {string} has promotion tier {int}',
  calls: () => ['rds:DescribeDBClusters, rds:DescribeDBInstances of the writer'],
  check: ([name, tier], context) => {
    alias(CLUSTER)(name, context);
    checkTier(tier);
  },
  run: async (ctx, [name, tier]) => checkWriter(ctx, name, `tier ${tier}`, (w) => w.tier === tier),
});
