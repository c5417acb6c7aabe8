import type { ProbeSettings } from '../env/index.js';
import type { ObjectiveResult } from '../report/types.js';
import { formatSeconds } from './duration.js';
import { measureLoss, truthLossWindow } from './canary.js';
import { recoveryInstant, startProbe, truthRecoveredFrom } from './probes.js';
import type { ScenarioContext } from './scenario.js';

const MINUTE = 60;
const HOUR = 3600;

/**
 * How long after the incident recovery is watched for: the environment's
 * `probes.observeAfterBreach`, else 4× the target, at least 5 minutes and at
 * most 2 hours; never shorter than the target itself. Past it, a breach
 * reports "not recovered within …" rather than a figure.
 */
export function observationWindowSeconds(probes: ProbeSettings, targetSeconds: number): number {
  const window = probes.observeAfterBreachSeconds ?? Math.min(2 * HOUR, Math.max(5 * MINUTE, 4 * targetSeconds));
  return Math.max(window, targetSeconds);
}

/**
 * Wait until the probe on `alias` sees K healthy samples in a row after the
 * incident, and compare recovery instant − incident with the target. A
 * breach does not end the scenario: recovery is watched on until the
 * observation window closes, so the breach reports by how much it was
 * missed, and the steps after it (the RPO) are measured too. The scenario
 * fails at its end with every breach.
 */
export async function checkRecovery(ctx: ScenarioContext, alias: string, targetSeconds: number, asRto: boolean): Promise<ObjectiveResult> {
  const incidentAt = ctx.incidentAt();
  const probe = startProbe(ctx, alias);
  const consecutive = ctx.env.probes.consecutiveSuccesses;
  const deadline = incidentAt + observationWindowSeconds(ctx.env.probes, targetSeconds) * 1000;
  let recoveredAt = recoveryInstant(probe.samples, incidentAt, consecutive);
  while (recoveredAt === undefined && ctx.clock.now() < deadline) {
    ctx.checkInterrupted();
    await ctx.clock.sleep(Math.min(probe.resolutionSeconds * 1000, Math.max(1, deadline - ctx.clock.now())), `${alias} to recover`, ctx.signal);
    recoveredAt = recoveryInstant(probe.samples, incidentAt, consecutive);
  }
  const measuredSeconds = recoveredAt === undefined ? null : (recoveredAt - incidentAt) / 1000;
  const truth = truthRecovery(ctx, alias, incidentAt);
  const result: ObjectiveResult = {
    targetSeconds,
    measuredSeconds,
    resolutionSeconds: probe.resolutionSeconds,
    ...(truth !== undefined ? { truthSeconds: truth } : {}),
    met: measuredSeconds !== null && measuredSeconds <= targetSeconds,
    ...(measuredSeconds === null ? { observedSeconds: (ctx.clock.now() - incidentAt) / 1000 } : {}),
  };
  const breach = result.met
    ? undefined
    : measuredSeconds === null
      ? `RTO breached: ${alias} did not recover within ${formatSeconds(result.observedSeconds!)} of the incident (target ${formatSeconds(targetSeconds)})`
      : `RTO breached: ${alias} recovered after ${formatSeconds(measuredSeconds)} (±${probe.resolutionSeconds} s), over the target of ${formatSeconds(targetSeconds)}`;
  if (recoveredAt !== undefined) ctx.emit({ kind: 'recovered', detail: { probe: probe.name, target: alias, seconds: measuredSeconds! } });
  ctx.emit({ kind: 'objective.checked', detail: { objective: 'rto', target: alias, scenarioObjective: asRto, ...result, ...(breach ? { breach } : {}) } });
  // An explicit limit ("within 3 minutes") is recorded too, unless the scenario's RTO check is.
  if (asRto || ctx.rto === undefined) ctx.rto = result;
  if (breach) ctx.breaches.push(breach);
  return result;
}

/** On the sim: seconds from the incident to the true recovery of what the probe on `alias` samples. */
function truthRecovery(ctx: ScenarioContext, alias: string, incidentAt: number): number | undefined {
  const sim = ctx.target.sim;
  if (!sim) return undefined;
  const from = truthRecoveredFrom(ctx, sim, alias, incidentAt);
  return from === undefined ? undefined : (from - incidentAt) / 1000;
}

/**
 * Read back what the canary on `database` wrote and compare the loss window
 * with the target. A breach is recorded, not thrown: the scenario fails at
 * its end with every breach.
 */
export async function checkDataLoss(ctx: ScenarioContext, database: string | undefined, targetSeconds: number, asRpo: boolean): Promise<ObjectiveResult> {
  const incidentAt = ctx.incidentAt();
  const canary = database ? ctx.canaries.get(database) : [...ctx.canaries.values()][0];
  if (!canary) {
    throw new Error(
      database
        ? `no orders are being written to "${database}" in this scenario: add "Given orders are written to "${database}" every 5 seconds"`
        : 'no orders are being written in this scenario: add "Given orders are written to "…" every 5 seconds"',
    );
  }
  const loss = await measureLoss(ctx, canary, incidentAt);
  const sim = ctx.target.sim;
  const truth = sim ? truthLossWindow(ctx, sim, canary, incidentAt) : undefined;
  const result: ObjectiveResult = {
    targetSeconds,
    measuredSeconds: loss.windowSeconds,
    resolutionSeconds: canary.intervalSeconds,
    ...(truth !== undefined ? { truthSeconds: truth } : {}),
    met: loss.windowSeconds <= targetSeconds,
    lostWrites: loss.lost.length,
  };
  const breach = result.met
    ? undefined
    : `RPO breached: ${loss.lost.length} acknowledged order${loss.lost.length === 1 ? ' was' : 's were'} lost (${loss.lost.slice(0, 10).join(', ')}${loss.lost.length > 10 ? ', …' : ''}): ` +
      `a data-loss window of ${formatSeconds(loss.windowSeconds)} (±${canary.intervalSeconds} s), over the target of ${formatSeconds(targetSeconds)}`;
  ctx.emit({ kind: 'objective.checked', detail: { objective: 'rpo', target: canary.database, scenarioObjective: asRpo, ...result, ...(breach ? { breach } : {}) } });
  if (asRpo || ctx.rpo === undefined) ctx.rpo = result;
  if (breach) ctx.breaches.push(breach);
  return result;
}
