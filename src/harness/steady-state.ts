import { DescribeDBClustersCommand, DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { formatSeconds } from './duration.js';
import type { ProbeHandle, ScenarioContext } from './scenario.js';

/**
 * A scenario leaves staging as it found it: each Multi-AZ primary in the
 * Availability Zone it started in, each cluster's writer the instance it
 * started as (a fault, or a failover step, may have moved either), and the next scenario starts only once every service it will
 * judge is healthy again.
 */

const key = (region: string, identifier: string) => `${region}:${identifier}`;

/** How long the scenario waits for steady state before it is skipped: the environment's `probes.steadyStateWithin`. */
const steadyStateLimitMs = (ctx: ScenarioContext) => ctx.env.probes.steadyStateWithinSeconds * 1000;

async function describe(ctx: ScenarioContext, region: string, identifier: string): Promise<{ zone?: string; status?: string } | undefined> {
  try {
    const { DBInstances } = await ctx.target.clients.rds(region).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }));
    const instance = DBInstances?.[0];
    return instance ? { ...(instance.AvailabilityZone ? { zone: instance.AvailabilityZone } : {}), ...(instance.DBInstanceStatus ? { status: instance.DBInstanceStatus } : {}) } : undefined;
  } catch {
    // Unreachable (a region outage) or gone: nothing to compare with; the fail-back check asks again at the end.
    return undefined;
  }
}

async function availabilityZoneOf(ctx: ScenarioContext, region: string, identifier: string): Promise<string | undefined> {
  return (await describe(ctx, region, identifier))?.zone;
}

/** A cluster's status and writer now (read-only); undefined when it cannot be asked, as for an instance. */
async function describeWriter(ctx: ScenarioContext, region: string, identifier: string): Promise<{ writer?: string; status?: string } | undefined> {
  try {
    const { DBClusters } = await ctx.target.clients.rds(region).send(new DescribeDBClustersCommand({ DBClusterIdentifier: identifier }));
    const cluster = DBClusters?.[0];
    const writer = cluster?.DBClusterMembers?.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier;
    return cluster ? { ...(writer ? { writer } : {}), ...(cluster.Status ? { status: cluster.Status } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where each Multi-AZ primary and each cluster writer of the environment is
 * as the scenario starts (read-only), once each is available: a fail-back
 * from the scenario before may still be moving one. Only where the
 * environment fails back. Returns why not, when one stays unavailable past
 * the limit.
 */
export async function recordPrimaryHomes(ctx: ScenarioContext, limitMs = steadyStateLimitMs(ctx)): Promise<string | undefined> {
  if (ctx.env.afterScenario !== 'failBack') return undefined;
  const started = ctx.clock.now();
  for (const resource of Object.values(ctx.env.resources)) {
    if (resource.kind === 'rds-instance' && resource.multiAZ) {
      const { region, identifier } = resource;
      const now = await untilAvailable(ctx, identifier, 'where its primary belongs', () => describe(ctx, region, identifier), started, limitMs);
      if (typeof now === 'string') return now;
      if (now?.zone) {
        const home = key(region, identifier);
        ctx.primaryHomes.set(home, now.zone);
        ctx.homeEntries.set(home, ctx.cleanup.home(`primary of ${identifier} back in ${now.zone}`, failOver(region, identifier), now.zone));
      }
    } else if (resource.kind === 'rds-cluster') {
      const { region, identifier } = resource;
      const now = await untilAvailable(ctx, identifier, 'which instance is its writer', () => describeWriter(ctx, region, identifier), started, limitMs);
      if (typeof now === 'string') return now;
      if (now?.writer) {
        ctx.writerHomes.set(key(region, identifier), ctx.cleanup.home(`writer of ${identifier} back to ${now.writer}`, failOverTo(region, identifier, now.writer), now.writer));
      }
    }
  }
  return undefined;
}

/**
 * `look` until what it describes is available (or cannot be asked); why the
 * scenario is skipped instead, once `limitMs` from `started` has passed.
 */
async function untilAvailable<T extends { status?: string }>(
  ctx: ScenarioContext,
  identifier: string,
  toKnow: string,
  look: () => Promise<T | undefined>,
  started: number,
  limitMs: number,
): Promise<T | undefined | string> {
  for (let n = 0; ; n++) {
    const now = await look();
    if (!now || now.status === 'available') return now;
    if (n === 0) ctx.emit({ kind: 'info', detail: { message: `waiting for ${identifier} (${now.status ?? 'no status'}) to be available before the scenario, to know ${toKnow}` } });
    if (ctx.clock.now() - started >= limitMs) {
      const evidence = `${identifier} is still ${now.status} after ${formatSeconds(limitMs / 1000)}`;
      ctx.emit({ kind: 'check.failed', detail: { check: 'steady state', subject: 'before the scenario', evidence } });
      return `skipped: the services were not in steady state before it started (${evidence})`;
    }
    ctx.checkInterrupted();
    await ctx.clock.sleep(10_000, `${identifier} to be available before the scenario`, ctx.signal);
  }
}

/** Whether the primary of `identifier` is away from where the scenario found it (read-only). */
export function awayFromHome(ctx: ScenarioContext, region: string, identifier: string, otherwise?: string): () => Promise<boolean> {
  return async () => {
    const home = ctx.primaryHomes.get(key(region, identifier)) ?? otherwise;
    const zone = await availabilityZoneOf(ctx, region, identifier);
    return home !== undefined && zone !== undefined && zone !== home;
  };
}

/** Mark a primary whose fail-back a step has journalled already (its failover). */
export function failBackJournalled(ctx: ScenarioContext, region: string, identifier: string): void {
  ctx.failBacks.add(key(region, identifier));
}

/** Mark a cluster whose writer's fail-back a step has journalled already (its failover drill). */
export function writerFailBackJournalled(ctx: ScenarioContext, region: string, identifier: string): void {
  ctx.writerFailBacks.add(key(region, identifier));
}

/** Whether the writer of cluster `identifier` is another instance than the one the scenario found writing (read-only). */
function writerAway(ctx: ScenarioContext, region: string, identifier: string, home: string): () => Promise<boolean> {
  return async () => {
    const writer = (await describeWriter(ctx, region, identifier))?.writer;
    return writer !== undefined && writer !== home;
  };
}

/** A cluster writer's fail-back: a failover to the instance that was the writer. */
function failOverTo(region: string, identifier: string, writer: string) {
  return { service: 'rds' as const, region, operation: 'FailoverDBCluster', input: { DBClusterIdentifier: identifier, TargetDBInstanceIdentifier: writer } };
}

/** A Multi-AZ primary's fail-back: failing over again. */
function failOver(region: string, identifier: string) {
  return { service: 'rds' as const, region, operation: 'RebootDBInstance', input: { DBInstanceIdentifier: identifier, ForceFailover: true } };
}

/**
 * At the end of a scenario, before its cleanup runs: a fail-back for each
 * primary a fault moved (no step of ours did, so nothing journalled one),
 * made last by the cleanup, or left and listed per `afterScenario`; every
 * other home journalled at the start is settled.
 */
export async function failBackMovedPrimaries(ctx: ScenarioContext): Promise<void> {
  for (const [home, entry] of ctx.homeEntries) {
    const [region, identifier] = home.split(/:(.*)/s) as [string, string];
    if (!ctx.failBacks.has(home) && (await awayFromHome(ctx, region, identifier)())) ctx.cleanup.failBack(entry, awayFromHome(ctx, region, identifier));
    else ctx.cleanup.settle(entry);
  }
  for (const [cluster, entry] of ctx.writerHomes) {
    const [region, identifier] = cluster.split(/:(.*)/s) as [string, string];
    const away = writerAway(ctx, region, identifier, entry.home);
    if (!ctx.writerFailBacks.has(cluster) && (await away())) ctx.cleanup.failBack(entry, away);
    else ctx.cleanup.settle(entry);
  }
}

/**
 * On a real account, before the scenario's first step: wait until every
 * probe the scenario started answers healthy (the previous scenario's
 * fail-back, a lingering fault), up to a limit. Undefined when steady;
 * otherwise why not, and the scenario is skipped.
 */
export async function awaitSteadyState(ctx: ScenarioContext, limitMs = steadyStateLimitMs(ctx)): Promise<string | undefined> {
  if (ctx.target.kind !== 'aws' || ctx.probes.size === 0) return undefined;
  const started = ctx.clock.now();
  // Each probe's first look, taken as it starts: most scenarios begin in steady state and wait no longer.
  await ctx.clock.wait(Promise.all([...ctx.probes.values()].map((probe) => probe.firstSample)), 'the first sample of every probe');
  const unhealthy = () => [...ctx.probes.values()].filter((probe) => !probe.samples.at(-1)?.ok);
  const named = (probes: readonly ProbeHandle[]) => probes.map((p) => `${p.target} (${p.samples.at(-1)?.status ?? 'no answer'})`).join(', ');
  for (let look = 0; ; look++) {
    const waiting = unhealthy();
    // Said once, as the wait begins: a wait of minutes with nothing on screen reads as a hang.
    if (look === 0 && waiting.length > 0) {
      ctx.emit({ kind: 'info', detail: { message: `waiting up to ${formatSeconds(limitMs / 1000)} for steady state before the scenario: ${named(waiting)}` } });
    }
    if (waiting.length === 0) {
      if (ctx.clock.now() > started) ctx.emit({ kind: 'check.passed', detail: { check: 'steady state', subject: 'before the scenario', evidence: `every probe healthy after ${formatSeconds((ctx.clock.now() - started) / 1000)}` } });
      return undefined;
    }
    if (ctx.clock.now() - started >= limitMs) {
      const evidence = `not healthy after ${formatSeconds(limitMs / 1000)}: ${named(waiting)}`;
      ctx.emit({ kind: 'check.failed', detail: { check: 'steady state', subject: 'before the scenario', evidence } });
      return `skipped: the services were not in steady state before it started (${evidence})`;
    }
    ctx.checkInterrupted();
    const resolution = Math.min(...[...ctx.probes.values()].map((p) => p.resolutionSeconds));
    await ctx.clock.sleep(resolution * 1000, 'steady state before the scenario', ctx.signal);
  }
}
