import { formatSeconds } from './duration.js';
import { measureLoss, truthLossWindow } from './canary.js';
import { recoveryInstant, startProbe, truthRecoveredFrom } from './probes.js';
import type { ObjectiveResult, ScenarioContext } from './scenario.js';

/** An objective was breached: the message carries the measured value. */
export class ObjectiveBreached extends Error {
  override readonly name = 'ObjectiveBreached';
}

/**
 * Wait until the probe on `alias` sees K healthy samples in a row after the
 * fault, then compare recovery instant − fault instant with the target. Waits
 * up to twice the target so a breach still reports how long recovery took.
 */
export async function checkRecovery(ctx: ScenarioContext, alias: string, targetSeconds: number, asRto: boolean): Promise<ObjectiveResult> {
  const faultAt = ctx.requireFault();
  const probe = startProbe(ctx, alias);
  const consecutive = ctx.env.probes.consecutiveSuccesses;
  const deadline = faultAt + Math.max(2 * targetSeconds, targetSeconds + 300) * 1000;
  let recoveredAt = recoveryInstant(probe.samples, faultAt, consecutive);
  while (recoveredAt === undefined && ctx.clock.now() < deadline) {
    ctx.checkInterrupted();
    await ctx.clock.sleep(probe.resolutionSeconds * 1000, `${alias} to recover`);
    recoveredAt = recoveryInstant(probe.samples, faultAt, consecutive);
  }
  const measuredSeconds = recoveredAt === undefined ? null : (recoveredAt - faultAt) / 1000;
  const truth = truthRecovery(ctx, alias, faultAt);
  const result: ObjectiveResult = {
    targetSeconds,
    measuredSeconds,
    resolutionSeconds: probe.resolutionSeconds,
    ...(truth !== undefined ? { truthSeconds: truth } : {}),
    met: measuredSeconds !== null && measuredSeconds <= targetSeconds,
  };
  if (recoveredAt !== undefined) ctx.emit({ kind: 'recovered', detail: { probe: probe.name, target: alias, seconds: measuredSeconds! } });
  ctx.emit({ kind: 'objective.checked', detail: { objective: 'rto', target: alias, ...result } });
  // An explicit limit ("within 3 minutes") is recorded too, unless the scenario's RTO check is.
  if (asRto || ctx.rto === undefined) ctx.rto = result;
  if (!result.met) {
    throw new ObjectiveBreached(
      measuredSeconds === null
        ? `${alias} did not recover within ${formatSeconds((deadline - faultAt) / 1000)} of the fault (target ${formatSeconds(targetSeconds)})`
        : `${alias} recovered after ${formatSeconds(measuredSeconds)} (±${probe.resolutionSeconds} s), over the target of ${formatSeconds(targetSeconds)}`,
    );
  }
  return result;
}

/** On the sim: seconds from the fault to the true recovery of what the probe on `alias` samples. */
function truthRecovery(ctx: ScenarioContext, alias: string, faultAt: number): number | undefined {
  const sim = ctx.target.sim;
  if (!sim) return undefined;
  const from = truthRecoveredFrom(ctx, sim, alias, faultAt);
  return from === undefined ? undefined : (from - faultAt) / 1000;
}

/** Read back what the canary on `database` wrote and compare the loss window with the target. */
export async function checkDataLoss(ctx: ScenarioContext, database: string | undefined, targetSeconds: number, asRpo: boolean): Promise<ObjectiveResult> {
  const faultAt = ctx.requireFault();
  const canary = database ? ctx.canaries.get(database) : [...ctx.canaries.values()][0];
  if (!canary) {
    throw new Error(
      database
        ? `no orders are being written to "${database}" in this scenario: add "Given orders are written to "${database}" every 5 seconds"`
        : 'no orders are being written in this scenario: add "Given orders are written to "…" every 5 seconds"',
    );
  }
  const loss = await measureLoss(ctx, canary, faultAt);
  const sim = ctx.target.sim;
  const truth = sim ? truthLossWindow(ctx, sim, canary, faultAt) : undefined;
  const result: ObjectiveResult = {
    targetSeconds,
    measuredSeconds: loss.windowSeconds,
    resolutionSeconds: canary.intervalSeconds,
    ...(truth !== undefined ? { truthSeconds: truth } : {}),
    met: loss.windowSeconds <= targetSeconds,
    lostWrites: loss.lost.length,
  };
  ctx.emit({ kind: 'objective.checked', detail: { objective: 'rpo', target: canary.database, ...result } });
  if (asRpo || ctx.rpo === undefined) ctx.rpo = result;
  if (!result.met) {
    throw new ObjectiveBreached(
      `${loss.lost.length} acknowledged order${loss.lost.length === 1 ? ' was' : 's were'} lost (${loss.lost.slice(0, 10).join(', ')}${loss.lost.length > 10 ? ', …' : ''}): ` +
        `a data-loss window of ${formatSeconds(loss.windowSeconds)} (±${canary.intervalSeconds} s), over the target of ${formatSeconds(targetSeconds)}`,
    );
  }
  return result;
}
