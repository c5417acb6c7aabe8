import { RebootDBInstanceCommand } from '@aws-sdk/client-rds';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProbeSettings } from '../src/env/index.js';
import { startCanary } from '../src/harness/canary.js';
import { formatSeconds } from '../src/harness/duration.js';
import { checkDataLoss, checkRecovery, observationWindowSeconds } from '../src/harness/objectives.js';
import { startProbe } from '../src/harness/probes.js';
import { simEnvironment, simScenario, type SimScenario } from './support/scenario.js';
import { MINUTE } from './support/time.js';

/**
 * The RTO and RPO checks (src/harness/objectives.ts) in process on the sim
 * target, without cucumber or a child process: what they measure, when they
 * call it a breach and how they word it. The CLI tests (harness-run) keep
 * what the run does with a breach (exit code, summary, results.json).
 */

const PROBES: ProbeSettings = { resolutionSeconds: 5, consecutiveSuccesses: 3, steadyStateWithinSeconds: 15 * 60 };

describe('how long recovery is watched after the incident', () => {
  it('4× the target, at least 5 minutes and at most 2 hours', () => {
    expect(observationWindowSeconds(PROBES, 30)).toBe(5 * 60);
    expect(observationWindowSeconds(PROBES, 10 * 60)).toBe(40 * 60);
    expect(observationWindowSeconds(PROBES, 24 * 3600)).toBe(24 * 3600);
    expect(observationWindowSeconds(PROBES, 45 * 60)).toBe(2 * 3600);
  });

  it("the environment's observeAfterBreach instead, but never shorter than the target", () => {
    expect(observationWindowSeconds({ ...PROBES, observeAfterBreachSeconds: 40 }, 30)).toBe(40);
    expect(observationWindowSeconds({ ...PROBES, observeAfterBreachSeconds: 40 }, 90)).toBe(90);
  });
});

const scenarios: SimScenario[] = [];
afterEach(() => {
  for (const { target } of scenarios.splice(0)) target.close();
});

/** SecureCart on the sim with `orders-db` probed and written to every 5 seconds, a minute of business as usual gone by. */
async function ordersDbUnderWatch(options: { observeAfterBreachSeconds?: number } = {}): Promise<SimScenario> {
  const env = await simEnvironment();
  const { observeAfterBreachSeconds } = options;
  const scenario = await simScenario({ env: observeAfterBreachSeconds === undefined ? env : { ...env, probes: { ...env.probes, observeAfterBreachSeconds } } });
  scenarios.push(scenario);
  const { ctx, step } = scenario;
  await step(async () => {
    startProbe(ctx, 'orders-db');
    // As the step does: the first acknowledged order comes from the canary actor, so the step waits on the clock.
    await ctx.clock.wait(startCanary(ctx, 'orders-db', 5).started, 'the first order');
    await ctx.clock.sleep(MINUTE, 'business as usual');
  });
  return scenario;
}

/** A Multi-AZ failover of orders-db (60–120 s on the sim), marked as the incident. */
async function failOver({ ctx, step }: SimScenario): Promise<number> {
  return step(async () => {
    const at = ctx.clock.now();
    ctx.markIncident('fault', at, 'reboot orders-db with failover');
    await ctx.target.clients.rds('us-east-1').send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'securecart-orders', ForceFailover: true }));
    return at;
  });
}

describe('the RTO: recovery instant − incident, against the target', () => {
  it('a failover against 30 seconds: breached, by a figure within the probe resolution of the truth, and worded with both', async () => {
    const scenario = await ordersDbUnderWatch();
    const { ctx, step, events } = scenario;
    await failOver(scenario);
    const result = await step(() => checkRecovery(ctx, 'orders-db', 30, true));

    expect(result.met).toBe(false);
    expect(result.resolutionSeconds).toBe(5);
    // A failover takes 60–120 s on the sim; the probe sees it a sample late at most, 3 samples in a row count.
    expect(result.measuredSeconds).toBeGreaterThanOrEqual(60);
    expect(result.measuredSeconds).toBeLessThanOrEqual(130);
    expect(result.truthSeconds).toBeDefined();
    expect(Math.abs(result.measuredSeconds! - result.truthSeconds!)).toBeLessThanOrEqual(result.resolutionSeconds);
    expect(result.observedSeconds).toBeUndefined();
    expect(ctx.rto).toBe(result);
    expect(ctx.breaches).toEqual([`RTO breached: orders-db recovered after ${formatSeconds(result.measuredSeconds!)} (±5 s), over the target of 30 s`]);
    expect(events.find((e) => e.kind === 'recovered')?.detail).toEqual({ probe: 'probe:orders-db', target: 'orders-db', seconds: result.measuredSeconds });
    expect(events.find((e) => e.kind === 'objective.checked')?.detail).toMatchObject({ objective: 'rto', target: 'orders-db', scenarioObjective: true, met: false, breach: ctx.breaches[0] });
  });

  it('the same failover against 5 minutes: met, nothing recorded as a breach', async () => {
    const scenario = await ordersDbUnderWatch();
    const { ctx, step, events } = scenario;
    await failOver(scenario);
    const result = await step(() => checkRecovery(ctx, 'orders-db', 5 * 60, true));
    expect(result).toMatchObject({ targetSeconds: 300, met: true, resolutionSeconds: 5 });
    expect(result.measuredSeconds).toBeLessThanOrEqual(130);
    expect(ctx.breaches).toEqual([]);
    expect(events.find((e) => e.kind === 'objective.checked')?.detail).not.toHaveProperty('breach');
  });

  it('recovery watched for less time than the failover takes: "not recovered within", with how long it was watched', async () => {
    const scenario = await ordersDbUnderWatch({ observeAfterBreachSeconds: 40 });
    const { ctx, step, events } = scenario;
    const incidentAt = await failOver(scenario);
    const result = await step(() => checkRecovery(ctx, 'orders-db', 30, true));
    expect(result.measuredSeconds).toBeNull();
    expect(result.met).toBe(false);
    // The watch ends at the first sample at or past the window's close.
    expect(result.observedSeconds).toBeGreaterThanOrEqual(40);
    expect(result.observedSeconds).toBe((ctx.clock.now() - incidentAt) / 1000);
    expect(ctx.breaches).toEqual([`RTO breached: orders-db did not recover within ${formatSeconds(result.observedSeconds!)} of the incident (target 30 s)`]);
    expect(events.some((e) => e.kind === 'recovered')).toBe(false);
  });

  it('an explicit limit is kept as the RTO only where the scenario has no RTO check of its own', async () => {
    const scenario = await ordersDbUnderWatch();
    const { ctx, step } = scenario;
    await failOver(scenario);
    const rto = await step(() => checkRecovery(ctx, 'orders-db', 5 * 60, true));
    const limit = await step(() => checkRecovery(ctx, 'orders-db', 10 * 60, false));
    expect(limit.targetSeconds).toBe(600);
    expect(ctx.rto).toBe(rto);
  });

  it('with no incident there is nothing to measure from', async () => {
    const { ctx, step } = await ordersDbUnderWatch();
    await expect(step(() => checkRecovery(ctx, 'orders-db', 30, true))).rejects.toThrow(/there has been no incident in this scenario/);
  });
});

describe('the RPO: acknowledged orders read back after the incident', () => {
  it('a Multi-AZ failover loses no acknowledged order: a window of 0, met against 0 seconds, as the truth says', async () => {
    const scenario = await ordersDbUnderWatch();
    const { ctx, step, events } = scenario;
    await failOver(scenario);
    await step(() => checkRecovery(ctx, 'orders-db', 5 * 60, true));
    const result = await step(() => checkDataLoss(ctx, 'orders-db', 0, true));
    expect(result).toMatchObject({ targetSeconds: 0, measuredSeconds: 0, resolutionSeconds: 5, met: true, lostWrites: 0, truthSeconds: 0 });
    expect(ctx.rpo).toBe(result);
    const readback = events.find((e) => e.kind === 'canary.readback')?.detail;
    expect(readback).toMatchObject({ canary: 'orders-db', lost: [] });
    expect(readback!.written).toBeGreaterThan(12);
    expect(readback!.survived).toBe(readback!.written);
  });

  it('orders gone from the database after the incident: each lost one named, the window from the newest survivor to the incident', async () => {
    const scenario = await ordersDbUnderWatch();
    const { ctx, step } = scenario;
    const incidentAt = await step(async () => {
      const at = ctx.clock.now();
      ctx.markIncident('fault', at, 'orders deleted by mistake');
      return at;
    });
    const deleted = await step(() => ctx.target.orders.deleteNewest({ region: 'us-east-1', identifier: 'securecart-orders' }, 2));
    const result = await step(() => checkDataLoss(ctx, 'orders-db', 5, true));

    const canary = ctx.canaries.get('orders-db')!;
    const acknowledged = canary.writes.filter((w) => w.ok);
    const newestSurvivor = acknowledged.filter((w) => w.at <= incidentAt && !deleted.includes(w.seq)).at(-1)!;
    expect(deleted).toHaveLength(2);
    expect(result.lostWrites).toBe(2);
    expect(result.measuredSeconds).toBe((incidentAt - newestSurvivor.at) / 1000);
    expect(result.measuredSeconds).toBeGreaterThanOrEqual(5);
    expect(result.met).toBe(false);
    expect(ctx.breaches).toEqual([
      `RPO breached: 2 acknowledged orders were lost (${deleted.join(', ')}): a data-loss window of ${formatSeconds(result.measuredSeconds!)} (±5 s), over the target of 5 s`,
    ]);
  });

  it('no orders written in the scenario: the message says which step to add', async () => {
    const scenario = await simScenario();
    scenarios.push(scenario);
    const { ctx, step } = scenario;
    await step(async () => ctx.markIncident('fault', ctx.clock.now(), 'something'));
    await expect(step(() => checkDataLoss(ctx, 'orders-db', 0, true))).rejects.toThrow(
      'no orders are being written to "orders-db" in this scenario: add "Given orders are written to "orders-db" every 5 seconds"',
    );
  });
});
