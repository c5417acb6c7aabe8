import { DescribeDBInstancesCommand, type DBInstance } from '@aws-sdk/client-rds';
import { regionsOf, type Environment, type ResourceKind } from '../env/index.js';
import type { ScenarioContext } from './scenario.js';
import { alias, canaryReachable, region } from './checks.js';
import { step } from './types.js';
import { copySnapshot, failOver, promote, restoreFromLatestSnapshot, snapshot } from './recovery.js';

/**
 * RDS instances: the steps that fail over, promote, restore, snapshot and
 * copy (their actions in recovery.ts), deleting orders by mistake, backup
 * retention, and the check of a restored database's orders. Aurora clusters
 * are in cluster.ts.
 */

export function rdsRegion(env: Environment, name: string): string {
  const resource = env.resources[name];
  return resource && 'region' in resource ? resource.region : '?';
}

export const RDS_KINDS: readonly ResourceKind[] = ['rds-instance', 'rds-read-replica'];
/** Databases orders can be written to and lost from: RDS instances, and Aurora clusters through their writer. */
export const ORDER_DATABASES: readonly ResourceKind[] = [...RDS_KINDS, 'rds-cluster'];

async function describe(ctx: ScenarioContext, aliasName: string): Promise<DBInstance> {
  const db = ctx.database(ctx.current(aliasName));
  const { DBInstances } = await ctx.target.clients.rds(db.region).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: db.identifier }));
  const instance = DBInstances?.[0];
  if (!instance) throw new Error(`${db.identifier} not found in ${db.region}`);
  return instance;
}

function retentionCheck(instance: DBInstance, days: number, subject: string, ctx: ScenarioContext): boolean {
  const kept = instance.BackupRetentionPeriod ?? 0;
  const ok = kept >= days;
  const evidence = `BackupRetentionPeriod ${kept} day${kept === 1 ? '' : 's'} (at least ${days} required)`;
  ctx.emit({ kind: ok ? 'check.passed' : 'check.failed', detail: { check: 'automated backup retention', subject, evidence } });
  return ok;
}

/** Every order acknowledged before the instant the restore reaches is in the restored database. */
export async function checkRestoredDatabase(ctx: ScenarioContext, name: string): Promise<void> {
  const restored = ctx.restoredTo.get(name);
  if (!restored) throw new Error(`"${name}" was not restored in this scenario`);
  const canary = ctx.canaries.get(restored.source) ?? [...ctx.canaries.values()][0];
  if (!canary) throw new Error('no orders were written in this scenario, so there is nothing to compare the restore with');
  const present = new Set(await ctx.target.orders.readBack(ctx.database(name)));
  // Strictly before: a write in the very millisecond of the snapshot may or may not be in it.
  const expected = canary.writes.filter((w) => w.ok && w.at < restored.at).map((w) => w.seq);
  const missing = expected.filter((seq) => !present.has(seq));
  const evidence = `${expected.length - missing.length} of the ${expected.length} orders written before ${new Date(restored.at).toISOString()} are in ${name}`;
  ctx.emit({ kind: missing.length ? 'check.failed' : 'check.passed', detail: { check: 'restored data', subject: name, evidence } });
  if (missing.length) throw new Error(`${evidence}; missing: ${missing.slice(0, 20).join(', ')}`);
}

export const backupsRetained = step({
  keyword: 'Given',
  phrase: 'automated backups of {string} are retained for at least {int} days',
  check: ([name], context) => alias(['rds-instance'])(name, context),
  run: async (ctx, [name, days]) => {
    const instance = await describe(ctx, name);
    if (!retentionCheck(instance, days, name, ctx)) {
      throw new Error(`${name} keeps automated backups for ${instance.BackupRetentionPeriod ?? 0} days, fewer than ${days}`);
    }
  },
});

export const ordersDeleted = step({
  keyword: 'When',
  phrase: '{int} orders are deleted from {string} by mistake',
  incident: 'fault',
  calls: ([count, name]) => [`orders: delete the ${count} newest orders in ${name} (mutating, data)`],
  check: ([, name], context) => {
    alias(RDS_KINDS)(name, context);
    canaryReachable(name, context);
  },
  run: async (ctx, [count, name]) => {
    const deleted = await ctx.target.orders.deleteNewest(ctx.database(ctx.current(name)), count);
    if (deleted.length < (count)) throw new Error(`${name} held only ${deleted.length} orders to delete`);
    ctx.markIncident('fault', ctx.clock.now(), `${count} orders deleted from ${name} by mistake`);
    ctx.emit({ kind: 'fault.injected', detail: { fault: `${count} orders deleted by mistake`, experimentId: '', action: 'delete orders', region: ctx.database(name).region } });
  },
});

export const failsOverToStandby = step({
  keyword: 'When',
  phrase: '{string} fails over to its standby',
  incident: 'planned',
  calls: ([name], env) => [`rds:RebootDBInstance ForceFailover (mutating) in ${rdsRegion(env, name)}`, 'rds:DescribeDBInstances until available'],
  check: ([name], context) => alias(['rds-instance'])(name, context),
  run: async (ctx, [name]) => failOver(ctx, name),
});

export const replicaPromoted = step({
  keyword: 'When',
  phrase: 'the read replica {string} is promoted',
  incident: 'planned',
  calls: ([name], env) => [`rds:PromoteReadReplica (mutating, irreversible) in ${rdsRegion(env, name)}`, 'rds:DescribeDBInstances until available'],
  check: ([name], context) => alias(['rds-read-replica'])(name, context),
  run: async (ctx, [name]) => promote(ctx, name),
});

export const restoredFromSnapshot = step({
  keyword: 'When',
  phrase: '{string} is restored from its latest snapshot as {string}',
  calls: ([, as]) => ['rds:DescribeDBSnapshots in every region', `rds:RestoreDBInstanceFromDBSnapshot (mutating) as ${as}`, `cleanup: rds:DeleteDBInstance ${as}`],
  check: ([name, as], context) => {
    alias(RDS_KINDS)(name, context);
    context.created.add(as);
  },
  run: async (ctx, [name, as]) => restoreFromLatestSnapshot(ctx, name, as),
});

export const snapshotted = step({
  keyword: 'When',
  phrase: '{string} is snapshotted as {string}',
  calls: ([name, as], env) => [`rds:CreateDBSnapshot ${as} (mutating) in ${rdsRegion(env, name)}`, `cleanup: rds:DeleteDBSnapshot ${as}`],
  check: ([name], context) => alias(RDS_KINDS)(name, context),
  run: async (ctx, [name, as]) => snapshot(ctx, name, as),
});

export const snapshotCopied = step({
  keyword: 'When',
  phrase: 'the snapshot {string} is copied to {string}',
  calls: ([name, to]) => [`rds:CopyDBSnapshot ${name} (mutating) into ${to}`, `cleanup: rds:DeleteDBSnapshot ${name} in ${to}`],
  check: ([, to], context) => region(to, context),
  run: async (ctx, [name, to]) => copySnapshot(ctx, name, to),
});

export const everyInstanceKeepsBackups = step({
  keyword: 'Then',
  phrase: 'every RDS instance keeps automated backups for at least {int} days',
  run: async (ctx, [days]) => {
    const failures: string[] = [];
    const regions = regionsOf(ctx.env);
    for (const where of regions) {
      let Marker: string | undefined;
      do {
        const page = await ctx.target.clients.rds(where).send(new DescribeDBInstancesCommand({ Marker }));
        for (const instance of page.DBInstances ?? []) {
          // Read replicas take their backups from the source; RDS refuses retention on most of them.
          if (instance.ReadReplicaSourceDBInstanceIdentifier) continue;
          if (!retentionCheck(instance, days, `${instance.DBInstanceIdentifier} (${where})`, ctx)) {
            failures.push(`${instance.DBInstanceIdentifier} (${where}): ${instance.BackupRetentionPeriod ?? 0} days`);
          }
        }
        Marker = page.Marker;
      } while (Marker);
    }
    if (failures.length) throw new Error(`automated backups kept for fewer than ${days} days: ${failures.join('; ')}`);
  },
});
