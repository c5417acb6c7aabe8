import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { formatSeconds } from './duration.js';
import type { ProbeHandle, ScenarioContext } from './scenario.js';

/**
 * A scenario leaves staging as it found it: each Multi-AZ primary in the
 * Availability Zone it started in (a fault, or a failover step, may have
 * moved it), and the next scenario starts only once every service it will
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

/**
 * Where each Multi-AZ primary of the environment is as the scenario starts
 * (read-only), once each is available: a fail-back from the scenario before
 * may still be moving one. Only where the environment fails back. Returns
 * why not, when an instance stays unavailable past the limit.
 */
export async function recordPrimaryHomes(ctx: ScenarioContext, limitMs = steadyStateLimitMs(ctx)): Promise<string | undefined> {
  if (ctx.env.afterScenario !== 'failBack') return undefined;
  const started = ctx.clock.now();
  for (const resource of Object.values(ctx.env.resources)) {
    if (resource.kind !== 'rds-instance' || !resource.multiAZ) continue;
    for (let look = 0; ; look++) {
      const now = await describe(ctx, resource.region, resource.identifier);
      if (!now || now.status === 'available') {
        if (now?.zone) {
          const home = key(resource.region, resource.identifier);
          ctx.primaryHomes.set(home, now.zone);
          ctx.homeEntries.set(home, ctx.cleanup.home(`primary of ${resource.identifier} back in ${now.zone}`, failOver(resource.region, resource.identifier), now.zone));
        }
        break;
      }
      if (look === 0) {
        ctx.emit({ kind: 'info', detail: { message: `waiting for ${resource.identifier} (${now.status ?? 'no status'}) to be available before the scenario, to know where its primary belongs` } });
      }
      if (ctx.clock.now() - started >= limitMs) {
        const evidence = `${resource.identifier} is still ${now.status} after ${formatSeconds(limitMs / 1000)}`;
        ctx.emit({ kind: 'check.failed', detail: { check: 'steady state', subject: 'before the scenario', evidence } });
        return `skipped: the services were not in steady state before it started (${evidence})`;
      }
      ctx.checkInterrupted();
      await ctx.clock.sleep(10_000, `${resource.identifier} to be available before the scenario`, ctx.signal);
    }
  }
  return undefined;
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
