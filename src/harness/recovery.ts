import { regionsOf } from '../env/index.js';
import {
  CopyDBSnapshotCommand,
  CreateDBSnapshotCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  PromoteReadReplicaCommand,
  RebootDBInstanceCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
  RestoreDBInstanceToPointInTimeCommand,
  type DBInstance,
  type DBSnapshot,
} from '@aws-sdk/client-rds';
import { RUN_ID_TAG } from './tags.js';
import { startProbe } from './probes.js';
import { awayFromHome, failBackJournalled } from './steady-state.js';
import { action, waitUntil } from './wait.js';
import type { ScenarioContext } from './scenario.js';
import type { DatabaseRef } from './target.js';

async function describeInstance(ctx: ScenarioContext, db: DatabaseRef): Promise<DBInstance | undefined> {
  try {
    const { DBInstances } = await ctx.target.clients.rds(db.region).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: db.identifier }));
    return DBInstances?.[0];
  } catch (error) {
    if ((error as { name?: string }).name === 'DBInstanceNotFoundFault') return undefined;
    throw error;
  }
}

async function untilAvailable(ctx: ScenarioContext, db: DatabaseRef, extra?: (instance: DBInstance) => boolean): Promise<DBInstance> {
  return waitUntil(ctx, `${db.identifier} to be available`, async () => {
    const instance = await describeInstance(ctx, db);
    return instance?.DBInstanceStatus === 'available' && (extra?.(instance) ?? true) ? instance : undefined;
  });
}

/** RebootDBInstance with ForceFailover: the Multi-AZ standby takes over. Waits until the instance is available again. */
export async function failOver(ctx: ScenarioContext, alias: string): Promise<void> {
  const db = ctx.database(ctx.current(alias));
  await action(ctx, 'rds', 'failover', alias, db.region, async () => {
    const reboot = { service: 'rds' as const, region: db.region, operation: 'RebootDBInstance', input: { DBInstanceIdentifier: db.identifier, ForceFailover: true } };
    const journalled = ctx.cleanup.begin(`forced failover of ${db.identifier}`, reboot);
    const before = await describeInstance(ctx, db);
    // Failing back is failing over again, if the primary is away from where the scenario found it.
    journalled.failBackWith(reboot, awayFromHome(ctx, db.region, db.identifier, before?.AvailabilityZone), ctx.primaryHomes.get(`${db.region}:${db.identifier}`) ?? before?.AvailabilityZone);
    failBackJournalled(ctx, db.region, db.identifier);
    // In a drill (no fault before it), the failover is the incident: service drops as the reboot starts.
    ctx.markIncident('planned', ctx.clock.now(), `forced failover of ${db.identifier}`);
    await ctx.target.clients.rds(db.region).send(new RebootDBInstanceCommand({ DBInstanceIdentifier: db.identifier, ForceFailover: true }));
    const after = await untilAvailable(ctx, db);
    return { from: before?.AvailabilityZone, to: after.AvailabilityZone };
  }, ({ from, to }) => `primary moved from ${from} to ${to}`);
}

/** PromoteReadReplica: the replica becomes a standalone, writable primary; its source's data now lives there. */
export async function promote(ctx: ScenarioContext, replicaAlias: string): Promise<void> {
  const replica = ctx.database(replicaAlias);
  const before = await describeInstance(ctx, replica);
  const sourceAlias = sourceAliasOf(ctx, replicaAlias, before);
  await action(ctx, 'rds', 'promote read replica', replicaAlias, replica.region, async () => {
    ctx.cleanup
      .begin(`promotion of ${replica.identifier}`, { service: 'rds', region: replica.region, operation: 'PromoteReadReplica', input: { DBInstanceIdentifier: replica.identifier } })
      .irreversible();
    ctx.markIncident('planned', ctx.clock.now(), `promotion of ${replica.identifier}`);
    await ctx.target.clients.rds(replica.region).send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: replica.identifier, BackupRetentionPeriod: 7 }));
    // The source's data lives in the replica from now on: probes and canaries
    // follow at once (a probe reports the replica unhealthy until it takes writes).
    if (sourceAlias) ctx.successors.set(sourceAlias, replicaAlias);
    await untilAvailable(ctx, replica, (instance) => !instance.ReadReplicaSourceDBInstanceIdentifier);
  });
}

function sourceAliasOf(ctx: ScenarioContext, replicaAlias: string, instance: DBInstance | undefined): string | undefined {
  const declared = ctx.env.resources[replicaAlias];
  if (declared?.kind === 'rds-read-replica') return declared.source;
  if (!instance?.ReadReplicaSourceDBInstanceIdentifier) {
    throw new Error(`"${replicaAlias}" (${instance?.DBInstanceIdentifier ?? 'not found'}) is not a read replica, so it cannot be promoted`);
  }
  return undefined;
}

function restoredCleanup(ctx: ScenarioContext, db: DatabaseRef, operation: string, input: Record<string, unknown>): void {
  ctx.cleanup
    .begin(`restore of ${db.identifier}`, { service: 'rds', region: db.region, operation, input })
    .undoWith({ service: 'rds', region: db.region, operation: 'DeleteDBInstance', input: { DBInstanceIdentifier: db.identifier, SkipFinalSnapshot: true } });
}

/** RestoreDBInstanceToPointInTime to `secondsBefore` the incident, as a new instance named after the alias. */
export async function restoreToPointInTime(ctx: ScenarioContext, sourceAlias: string, secondsBefore: number, newAlias: string, incidentAt: number): Promise<void> {
  await restoreInstanceTo(ctx, sourceAlias, newAlias, new Date(incidentAt - secondsBefore * 1000));
}

/** RestoreDBInstanceToPointInTime with UseLatestRestorableTime: as late as the instance's transaction logs reach now. */
export async function restoreToLatestRestorableTime(ctx: ScenarioContext, sourceAlias: string, newAlias: string): Promise<void> {
  await restoreInstanceTo(ctx, sourceAlias, newAlias, 'latest');
}

async function restoreInstanceTo(ctx: ScenarioContext, sourceAlias: string, newAlias: string, to: Date | 'latest'): Promise<void> {
  const source = ctx.database(ctx.current(sourceAlias));
  const target = { region: source.region, identifier: newAlias };
  // On the runner's clock: the latest restorable time as the restore is asked for (what the copy holds at least), or the instant asked for.
  const latest = to === 'latest' ? (await describeInstance(ctx, source))?.LatestRestorableTime : undefined;
  const restoreTime = to === 'latest' ? new Date(latest ? ctx.target.awsClock.toRunner(latest.getTime()) : ctx.clock.now()) : to;
  // AWS reads RestoreTime on its own clock.
  const asked = to === 'latest' ? undefined : new Date(ctx.target.awsClock.toServer(restoreTime.getTime()));
  const when = asked ? { RestoreTime: asked } : { UseLatestRestorableTime: true };
  await action(ctx, 'rds', 'point-in-time restore', `${sourceAlias} → ${newAlias}`, source.region, async () => {
    const input = { SourceDBInstanceIdentifier: source.identifier, TargetDBInstanceIdentifier: target.identifier, ...when };
    restoredCleanup(ctx, target, 'RestoreDBInstanceToPointInTime', asked ? { ...input, RestoreTime: asked.toISOString() } : input);
    await ctx.target.clients.rds(source.region).send(new RestoreDBInstanceToPointInTimeCommand(input));
    ctx.createdDatabases.set(newAlias, target);
    if (ctx.watched.has(newAlias)) startProbe(ctx, newAlias);
    await untilAvailable(ctx, target);
  }, () => `restored to ${to === 'latest' ? 'its latest restorable time, ' : ''}${restoreTime.toISOString()}`);
  ctx.restoredTo.set(newAlias, { source: sourceAlias, at: restoreTime.getTime() });
  // The business recovers into the restored copy: canaries and "what was lost" follow it.
  ctx.successors.set(sourceAlias, newAlias);
}

/**
 * Restore from the newest snapshot of the alias's instance found in any of
 * the environment's regions (a cross-region copy counts), in that region.
 */
export async function restoreFromLatestSnapshot(ctx: ScenarioContext, sourceAlias: string, newAlias: string): Promise<void> {
  const source = ctx.database(sourceAlias);
  const regions = regionsOf(ctx.env);
  let newest: { snapshot: DBSnapshot; region: string } | undefined;
  const unreachable: string[] = [];
  for (const region of regions) {
    let snapshots: DBSnapshot[];
    try {
      snapshots = await allSnapshots(ctx, region);
    } catch (error) {
      unreachable.push(`${region} (${(error as Error).name})`);
      continue;
    }
    for (const snapshot of snapshots) {
      if (snapshot.Status !== 'available' || snapshot.DBInstanceIdentifier !== source.identifier) continue;
      const at = (snapshot.OriginalSnapshotCreateTime ?? snapshot.SnapshotCreateTime)?.getTime() ?? 0;
      const best = newest ? (newest.snapshot.OriginalSnapshotCreateTime ?? newest.snapshot.SnapshotCreateTime)?.getTime() ?? 0 : -1;
      if (at > best || (at === best && region !== ctx.env.regions.primary)) newest = { snapshot, region };
    }
  }
  if (!newest) {
    throw new Error(`no available snapshot of ${source.identifier} in ${regions.join(' or ')}${unreachable.length ? ` (unreachable: ${unreachable.join(', ')})` : ''}`);
  }
  const { snapshot, region } = newest;
  const target = { region, identifier: newAlias };
  // On the runner's clock, to compare with when the canary's orders were written.
  const snapshotTime = new Date(ctx.target.awsClock.toRunner((snapshot.OriginalSnapshotCreateTime ?? snapshot.SnapshotCreateTime)!.getTime()));
  await action(ctx, 'rds', 'restore from snapshot', `${sourceAlias} → ${newAlias}`, region, async () => {
    const input = { DBInstanceIdentifier: target.identifier, DBSnapshotIdentifier: snapshot.DBSnapshotArn ?? snapshot.DBSnapshotIdentifier };
    restoredCleanup(ctx, target, 'RestoreDBInstanceFromDBSnapshot', input);
    await ctx.target.clients.rds(region).send(new RestoreDBInstanceFromDBSnapshotCommand(input));
    ctx.createdDatabases.set(newAlias, target);
    if (ctx.watched.has(newAlias)) startProbe(ctx, newAlias);
    await untilAvailable(ctx, target);
  }, () => `from ${snapshot.DBSnapshotIdentifier} (${snapshotTime.toISOString()}) in ${region}`);
  ctx.restoredTo.set(newAlias, { source: sourceAlias, at: snapshotTime.getTime() });
  ctx.successors.set(sourceAlias, newAlias);
}

async function allSnapshots(ctx: ScenarioContext, region: string): Promise<DBSnapshot[]> {
  const out: DBSnapshot[] = [];
  let Marker: string | undefined;
  do {
    const page = await ctx.target.clients.rds(region).send(new DescribeDBSnapshotsCommand({ Marker, MaxRecords: 100 }));
    out.push(...(page.DBSnapshots ?? []));
    Marker = page.Marker;
  } while (Marker);
  return out;
}

/** CreateDBSnapshot, waiting until it is available. The snapshot is named by the feature. */
export async function snapshot(ctx: ScenarioContext, alias: string, snapshotName: string): Promise<void> {
  const db = ctx.database(ctx.current(alias));
  await action(ctx, 'rds', 'snapshot', `${alias} → ${snapshotName}`, db.region, async () => {
    const input = { DBInstanceIdentifier: db.identifier, DBSnapshotIdentifier: snapshotName, Tags: [{ Key: RUN_ID_TAG, Value: ctx.info.runId }] };
    ctx.cleanup
      .begin(`snapshot ${snapshotName}`, { service: 'rds', region: db.region, operation: 'CreateDBSnapshot', input })
      .undoWith({ service: 'rds', region: db.region, operation: 'DeleteDBSnapshot', input: { DBSnapshotIdentifier: snapshotName } });
    await ctx.target.clients.rds(db.region).send(new CreateDBSnapshotCommand(input));
    await untilSnapshotAvailable(ctx, db.region, snapshotName);
  });
}

async function untilSnapshotAvailable(ctx: ScenarioContext, region: string, identifier: string): Promise<DBSnapshot> {
  return waitUntil(ctx, `snapshot ${identifier} in ${region}`, async () => {
    const { DBSnapshots } = await ctx.target.clients.rds(region).send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: identifier }));
    const found = DBSnapshots?.[0];
    return found?.Status === 'available' ? found : undefined;
  });
}

/** CopyDBSnapshot into another region (called there, with the source ARN), waiting until the copy is available. */
export async function copySnapshot(ctx: ScenarioContext, snapshotName: string, toRegion: string): Promise<void> {
  const sourceRegion = await regionOfSnapshot(ctx, snapshotName, toRegion);
  const { DBSnapshots } = await ctx.target.clients.rds(sourceRegion).send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: snapshotName }));
  const source = DBSnapshots?.[0];
  if (!source?.DBSnapshotArn) throw new Error(`snapshot ${snapshotName} not found in ${sourceRegion}`);
  await action(ctx, 'rds', 'copy snapshot', `${snapshotName} → ${toRegion}`, toRegion, async () => {
    const input = {
      SourceDBSnapshotIdentifier: source.DBSnapshotArn,
      TargetDBSnapshotIdentifier: snapshotName,
      SourceRegion: sourceRegion,
      Tags: [{ Key: RUN_ID_TAG, Value: ctx.info.runId }],
    };
    ctx.cleanup
      .begin(`copy of ${snapshotName} to ${toRegion}`, { service: 'rds', region: toRegion, operation: 'CopyDBSnapshot', input })
      .undoWith({ service: 'rds', region: toRegion, operation: 'DeleteDBSnapshot', input: { DBSnapshotIdentifier: snapshotName } });
    await ctx.target.clients.rds(toRegion).send(new CopyDBSnapshotCommand(input));
    await untilSnapshotAvailable(ctx, toRegion, snapshotName);
  });
}

async function regionOfSnapshot(ctx: ScenarioContext, snapshotName: string, notRegion: string): Promise<string> {
  const regions = regionsOf(ctx.env).filter((r) => r !== notRegion);
  for (const region of regions) {
    try {
      const { DBSnapshots } = await ctx.target.clients.rds(region).send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: snapshotName }));
      if (DBSnapshots?.length) return region;
    } catch (error) {
      if ((error as { name?: string }).name !== 'DBSnapshotNotFoundFault') throw error;
    }
  }
  throw new Error(`snapshot ${snapshotName} not found in ${regions.join(', ')}`);
}
