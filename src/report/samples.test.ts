import { describe, expect, it } from 'vitest';
import { sampleSeed, scenarioSeed } from '../harness/seed.js';
import { distributionOf, nearestRank, replayCommand, sampleRecord, scenarioSamples, summarizeSampled, wilsonInterval, withSamples, type SampleRecord } from './samples.js';
import type { ObjectiveCheck, ScenarioResult, TimelineEntry } from './types.js';

/**
 * The statistics of `--samples` on values whose answers are published or
 * can be counted by hand, and the verdict they give a scenario.
 */

describe('nearestRank', () => {
  // Wikipedia's worked example of the nearest-rank method.
  const list = [15, 20, 35, 40, 50];

  it('takes the smallest value with at least p% of the values at or below it', () => {
    expect(nearestRank(list, 5)).toBe(15);
    expect(nearestRank(list, 30)).toBe(20);
    expect(nearestRank(list, 40)).toBe(20);
    expect(nearestRank(list, 50)).toBe(35);
    expect(nearestRank(list, 100)).toBe(50);
  });

  it('puts p95 of 20 values on the 19th, despite 0.95 × 20 in floating point', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(nearestRank(twenty, 95)).toBe(19);
    expect(nearestRank(twenty, 99)).toBe(20);
    expect(nearestRank(twenty, 50)).toBe(10);
  });

  it('refuses no values and a percentile outside (0, 100]', () => {
    expect(() => nearestRank([], 50)).toThrow(/no values/);
    expect(() => nearestRank([1], 0)).toThrow(/\(0, 100\]/);
    expect(() => nearestRank([1], 101)).toThrow(/\(0, 100\]/);
  });
});

describe('wilsonInterval', () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, method 3 (score, no continuity correction).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i of %i: %f–%f (Newcombe 1998)', (successes, trials, lower, upper) => {
    const interval = wilsonInterval(successes, trials);
    expect(interval.lower).toBeCloseTo(lower, 4);
    expect(interval.upper).toBeCloseTo(upper, 4);
  });

  it('is exactly 1 at N of N and exactly 0 at 0 of N, and not zero-width there', () => {
    expect(wilsonInterval(10, 10)).toEqual({ lower: expect.closeTo(0.7225, 4), upper: 1 });
    expect(wilsonInterval(0, 10)).toEqual({ lower: 0, upper: expect.closeTo(0.2775, 4) });
  });
});

describe('sampleSeed', () => {
  it('is the run seed for sample 0 and a distinct run seed for each other sample, the same every time', () => {
    expect(sampleSeed(42, 0)).toBe(42);
    const seeds = Array.from({ length: 1000 }, (_, i) => sampleSeed(42, i));
    expect(new Set(seeds).size).toBe(1000);
    expect(Array.from({ length: 1000 }, (_, i) => sampleSeed(42, i))).toEqual(seeds);
    // A run seed --seed accepts: a non-negative integer.
    for (const seed of seeds) expect(Number.isSafeInteger(seed) && seed >= 0).toBe(true);
    // Another run seed, other samples.
    expect(sampleSeed(43, 1)).not.toBe(sampleSeed(42, 1));
  });

  it("gives each scenario the seed a run with --seed <sample's seed> gives it", () => {
    const key = 'features/x.feature\nA scenario';
    expect(scenarioSeed(sampleSeed(42, 7), key)).toBe(scenarioSeed(sampleSeed(42, 7), key));
    expect(scenarioSeed(sampleSeed(42, 7), key)).not.toBe(scenarioSeed(42, key));
  });
});

const replay = replayCommand('features/x.feature', 12);

/** A sample whose RTO (target 300 s) took `rto` seconds (null: not recovered) and whose failover took `failover`. */
function sample(n: number, rto: number | null, durations: Record<string, number> = {}): SampleRecord {
  return {
    scenarioId: 'features/x.feature#a-scenario',
    sample: n,
    seed: 1000 + n,
    scenarioSeed: 5000 + n,
    status: rto !== null && rto <= 300 ? 'passed' : 'failed',
    rto: { targetSeconds: 300, measuredSeconds: rto, met: rto !== null && rto <= 300 },
    rpo: { targetSeconds: 0, measuredSeconds: 0, met: true },
    durations,
  };
}

describe('distributionOf', () => {
  // 20 samples: RTOs 61…80 s except sample 19, which did not recover, and sample 18, at 400 s.
  const records = Array.from({ length: 20 }, (_, i) =>
    sample(i, i === 19 ? null : i === 18 ? 400 : 61 + i, { 'failover orders-db': i >= 18 ? 300 : 60 + i, 'step: the FIS experiment "x" runs': 4 }),
  );

  it('gives min, nearest-rank percentiles and max, unrecovered ranking above every figure', () => {
    const d = distributionOf(records, 'rto', 0.95, replay)!;
    expect(d).toMatchObject({ targetSeconds: 300, count: 20, minSeconds: 61, p50Seconds: 70, p95Seconds: 400, p99Seconds: null, maxSeconds: null, unrecovered: 1 });
  });

  it('counts the samples that met the target, with the Wilson interval, and misses a confidence of 95% at 18 of 20', () => {
    const d = distributionOf(records, 'rto', 0.95, replay)!;
    expect(d.metCount).toBe(18);
    expect(d.metFraction).toBe(0.9);
    expect(d.metInterval).toEqual(wilsonInterval(18, 20));
    expect(d.met).toBe(false);
    expect(d.breach).toBe('RTO of 5 min met in 18 of 20 samples (90%, 95% interval 69.9%–97.2%), below the confidence of 95%; p95 6 min 40 s');
    expect(distributionOf(records, 'rto', 0.9, replay)!.met).toBe(true);
  });

  it('lists the slowest 5% (one of 20), slowest first, with the command that replays it', () => {
    const d = distributionOf(records, 'rto', 0.95, replay)!;
    expect(d.slowest).toEqual([{ sample: 19, seed: 1019, scenarioSeed: 5019, measuredSeconds: null, met: false, replay: 'gameday run features/x.feature:12 --seed 1019' }]);
    const forty = Array.from({ length: 40 }, (_, i) => sample(i, 100 + i));
    expect(distributionOf(forty, 'rto', 0.95, replay)!.slowest.map((s) => s.sample)).toEqual([39, 38]);
  });

  it('says what the slow samples have in common: the duration that grew most against the median sample', () => {
    const d = distributionOf(records, 'rto', 0.95, replay)!;
    // The slowest sample's failover took 300 s; the median's (the 10th of 60…77, 300, 300) 69 s. The FIS step took 4 s in every sample.
    expect(d.slowCause).toEqual({ what: 'failover orders-db', slowSeconds: 300, medianSeconds: 69, samples: 1 });
  });

  it('names no slow cause where every sample measured the same', () => {
    const d = distributionOf(records, 'rpo', 0.95, replay)!;
    expect(d).toMatchObject({ minSeconds: 0, maxSeconds: 0, metFraction: 1, met: true });
    expect(d.slowCause).toBeUndefined();
  });

  it('is null for an objective no sample measured', () => {
    expect(distributionOf([{ ...sample(0, 60), rto: null }], 'rto', 0.95, replay)).toBeNull();
  });
});

/** Sample 0's result of a scenario whose RTO check measured `rto` seconds against 300. */
function plainResult(rto: number): ScenarioResult {
  const met = rto <= 300;
  const breach = met ? undefined : `RTO breached: orders-db recovered after ${rto} s (±5 s), over the target of 5 min`;
  const check: ObjectiveCheck = { objective: 'rto', subject: 'orders-db', scenarioObjective: true, targetSeconds: 300, measuredSeconds: rto, resolutionSeconds: 5, met, step: 4 };
  const event = {
    kind: 'objective.checked',
    at: '2026-01-05T09:05:00.000Z',
    t: 300,
    step: 4,
    detail: { objective: 'rto', target: 'orders-db', scenarioObjective: true, targetSeconds: 300, measuredSeconds: rto, resolutionSeconds: 5, met, ...(breach ? { breach } : {}) },
  } as TimelineEntry;
  return {
    id: 'features/x.feature#a-scenario',
    name: 'A scenario',
    uri: 'features/x.feature',
    line: 12,
    tags: [],
    environment: 'securecart',
    status: met ? 'passed' : 'failed',
    ...(breach ? { error: breach } : {}),
    breaches: breach ? [breach] : [],
    seed: 5000,
    incident: null,
    rto: { targetSeconds: 300, measuredSeconds: rto, resolutionSeconds: 5, met },
    rpo: null,
    objectives: [check],
    experiments: [],
    wallSeconds: 1,
    steps: [
      { keyword: 'Given ', text: 'orders are written', line: 13, status: 'passed', wallSeconds: 0, startT: 0, endT: 0 },
      { keyword: 'When ', text: 'the FIS experiment "x" runs', line: 14, status: 'passed', wallSeconds: 0, startT: 0, endT: 4 },
      { keyword: 'And ', text: '"orders-db" fails over to its standby', line: 15, status: 'passed', wallSeconds: 0, startT: 4, endT: 90 },
      { keyword: 'Then ', text: '"orders-db" is healthy again within the RTO', line: 16, status: met ? 'passed' : 'failed', wallSeconds: 0, startT: 90, endT: 300 },
    ],
    timeline: [
      { kind: 'action.completed', at: '2026-01-05T09:01:30.000Z', t: 90, step: 2, detail: { action: 'failover', target: 'orders-db', seconds: 86 } },
      event,
    ],
  };
}

describe('sampleRecord', () => {
  it('keeps the figures and the durations of When steps, recovery actions and FIS actions, not Then steps', () => {
    const record = sampleRecord(plainResult(320), 0, 42);
    expect(record).toEqual({
      scenarioId: 'features/x.feature#a-scenario',
      sample: 0,
      seed: 42,
      scenarioSeed: 5000,
      status: 'failed',
      rto: { targetSeconds: 300, measuredSeconds: 320, met: false },
      rpo: null,
      durations: { 'step: the FIS experiment "x" runs': 4, 'step: "orders-db" fails over to its standby': 86, 'failover orders-db': 86 },
    });
  });

  it('says why a sample failed other than by a breach', () => {
    const failed = { ...plainResult(320), error: 'InvalidDBInstanceState: the instance is rebooting\nRTO breached: orders-db recovered after 320 s (±5 s), over the target of 5 min' };
    expect(sampleRecord(failed, 3, 7).error).toBe('InvalidDBInstanceState: the instance is rebooting');
  });
});

describe('the verdict with samples', () => {
  it('passes a scenario whose plain run breached when enough samples met the objective', () => {
    const plain = plainResult(320);
    const records = [sampleRecord(plain, 0, 42), ...Array.from({ length: 19 }, (_, i) => sample(i + 1, 100))];
    const judged = withSamples(plain, scenarioSamples(records, 0.95, replay));
    expect(judged.status).toBe('passed');
    expect(judged.breaches).toEqual([]);
    expect(judged.error).toBeUndefined();
    // Sample 0's own measurement stays what it was.
    expect(judged.rto).toMatchObject({ measuredSeconds: 320, met: false });
    expect(judged.samples?.rto).toMatchObject({ metCount: 19, count: 20, met: true });
    expect(summarizeSampled([judged])).toEqual({ scenarios: 1, passed: 1, failed: 0, skipped: 0, objectives: { met: 1, breached: 0 } });
  });

  it('fails a scenario whose plain run met the objective when too few samples did, saying the fraction and the interval', () => {
    const plain = plainResult(100);
    const records = [sampleRecord(plain, 0, 42), ...Array.from({ length: 9 }, (_, i) => sample(i + 1, i < 3 ? 400 : 100))];
    const judged = withSamples(plain, scenarioSamples(records, 0.95, replay));
    expect(judged.status).toBe('failed');
    expect(judged.breaches).toEqual(['RTO of 5 min met in 7 of 10 samples (70%, 95% interval 39.7%–89.2%), below the confidence of 95%; p95 6 min 40 s']);
    expect(judged.error).toBe(judged.breaches[0]);
    expect(summarizeSampled([judged]).objectives).toEqual({ met: 0, breached: 1 });
  });

  it('fails a scenario when a sample failed other than by a breach, naming how to replay it', () => {
    const plain = plainResult(100);
    const broken: SampleRecord = { ...sample(4, null), rto: null, error: 'InvalidDBInstanceState: the instance is rebooting' };
    const records = [sampleRecord(plain, 0, 42), sample(1, 90), sample(2, 95), sample(3, 99), broken];
    const judged = withSamples(plain, scenarioSamples(records, 0.75, replay));
    expect(judged.status).toBe('failed');
    expect(judged.error).toBe('1 of 5 samples failed; the first: InvalidDBInstanceState: the instance is rebooting (replay: gameday run features/x.feature:12 --seed 1004)');
    expect(judged.samples).toMatchObject({ count: 5, failed: 1, rto: { count: 4, metCount: 4 } });
  });
});
