/**
 * `gameday run --samples N`: what a scenario's N samples add up to. Each
 * sample is kept as a small record (its figures and how long its recovery
 * steps took), never as its messages or timeline, so a run's memory grows
 * with N only by those records; the run writes them to samples.ndjson, from
 * which `gameday report` computes the same distributions again.
 */
import { DEFAULT_CONFIDENCE } from '../env/schema.js';
import { formatSeconds } from '../harness/duration.js';
import { histogramOf } from './histogram.js';
import type { TimelineEvent } from '../harness/index.js';
import type {
  FailedSample,
  ObjectiveCheck,
  ObjectiveDistribution,
  RunResults,
  RunSummary,
  ScenarioResult,
  ScenarioSamples,
  ScenarioStatus,
  SlowCause,
  SlowSample,
  TimelineEntry,
} from './types.js';

/** The normal quantile of a two-sided 95% interval. */
const Z95 = 1.959963984540054;
/** The share of samples counted as the slow ones. */
const SLOW_SHARE = 0.05;
/** How many slow samples results.json lists per objective. */
const SLOWEST_LISTED = 10;
/** How many failed samples it lists per scenario. */
const FAILED_LISTED = 10;

/** One objective's figure in one sample. */
export interface SampledObjective {
  targetSeconds: number;
  /** null: not recovered within the observation window. */
  measuredSeconds: number | null;
  met: boolean;
}

/** One line of samples.ndjson: one scenario in one sample. */
export interface SampleRecord {
  /** ScenarioResult.id. */
  scenarioId: string;
  sample: number;
  /** The run seed of the sample (what --seed replays it with). */
  seed: number;
  /** The scenario's own seed under it. */
  scenarioSeed?: number;
  status: ScenarioStatus;
  /** Why the scenario failed other than by a breach (a step's error), if it did. */
  error?: string;
  rto: SampledObjective | null;
  rpo: SampledObjective | null;
  /**
   * Seconds each recovery step (a When step), recovery action and FIS action
   * took in this sample, by what it is: what the slow samples are compared on.
   */
  durations: Record<string, number>;
}

/**
 * The nearest-rank percentile of values sorted ascending: the smallest value
 * with at least p% of them at or below it. Always one of the values (so the
 * sample it came from can be replayed); p in (0, 100].
 */
export function nearestRank<T>(sorted: readonly T[], p: number): T {
  if (sorted.length === 0) throw new Error('no values to take a percentile of');
  if (!(p > 0 && p <= 100)) throw new Error(`a percentile is in (0, 100], not ${p}`);
  // The epsilon keeps 95% of 20 at rank 19 despite 0.95 * 20 = 19.000000000000004.
  const rank = Math.ceil((p / 100) * sorted.length - 1e-9);
  return sorted[Math.max(1, rank) - 1]!;
}

/**
 * The Wilson score interval of a proportion (`successes` of `trials`) at
 * the given normal quantile (95% by default). Unlike the normal
 * approximation it stays inside [0, 1] and is not zero-width at 0 or N of N,
 * which is where a sampled RTO usually is.
 */
export function wilsonInterval(successes: number, trials: number, z = Z95): { lower: number; upper: number } {
  if (trials <= 0) return { lower: 0, upper: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  // At 0 or N of N the bound is exactly 0 or 1; the arithmetic would leave 1 − 1e-16.
  return { lower: successes <= 0 ? 0 : Math.max(0, centre - half), upper: successes >= trials ? 1 : Math.min(1, centre + half) };
}

/** The keyword a step runs under: And and But take the one before them. */
function effectiveKeywords(steps: readonly { keyword: string }[]): string[] {
  let last = 'Given';
  return steps.map(({ keyword }) => {
    const word = keyword.trim();
    if (word !== 'And' && word !== 'But' && word !== '*') last = word;
    return last;
  });
}

/** Failure messages of a scenario other than its breaches: its `error` without them. */
function failuresOf(result: Pick<ScenarioResult, 'error' | 'breaches'>): string[] {
  if (!result.error) return [];
  const breaches = new Set(result.breaches);
  return result.error.split('\n').filter((line) => line.trim() !== '' && !breaches.has(line));
}

/** What one scenario's run (one sample of it) is kept as. */
export function sampleRecord(result: ScenarioResult, sample: number, seed: number): SampleRecord {
  const durations: Record<string, number> = {};
  const add = (what: string, seconds: number) => {
    if (Number.isFinite(seconds) && seconds >= 0) durations[what] = (durations[what] ?? 0) + seconds;
  };
  const keywords = effectiveKeywords(result.steps);
  result.steps.forEach((step, index) => {
    // Faults and recoveries are When steps; Then steps wait on what they did, so they would only echo the RTO.
    if (keywords[index] === 'When' && step.startT !== undefined && step.endT !== undefined) add(`step: ${step.text}`, step.endT - step.startT);
  });
  for (const event of result.timeline) {
    if (event.kind === 'action.completed') add(`${event.detail.action} ${event.detail.target}`, event.detail.seconds);
  }
  for (const experiment of result.experiments) {
    for (const action of experiment.actions ?? []) {
      if (action.startTime && action.endTime) add(`${experiment.fault}: ${action.name} (${action.actionId})`, (Date.parse(action.endTime) - Date.parse(action.startTime)) / 1000);
    }
  }
  const failures = result.status === 'passed' || result.status === 'skipped' ? [] : failuresOf(result);
  const objective = (o: ScenarioResult['rto']): SampledObjective | null =>
    o ? { targetSeconds: o.targetSeconds, measuredSeconds: o.measuredSeconds, met: o.met } : null;
  return {
    scenarioId: result.id,
    sample,
    seed,
    ...(result.seed !== undefined ? { scenarioSeed: result.seed } : {}),
    status: result.status,
    ...(failures.length ? { error: failures.join('\n') } : result.status !== 'passed' && result.status !== 'failed' && result.status !== 'skipped' ? { error: result.status } : {}),
    rto: objective(result.rto),
    rpo: objective(result.rpo),
    durations,
  };
}

/** How a sample is replayed: `gameday run <uri>:<line> --seed S`, with the run's --env if it had one. */
export type ReplayCommand = (seed: number) => string;

export function replayCommand(uri: string, line: number, envOverride?: string, environmentSamples = false): ReplayCommand {
  // An environment that sets sim.samples would sample the replay too: one is what is asked for.
  return (seed) => `gameday run ${uri}:${line} --seed ${seed}${envOverride ? ` --env ${envOverride}` : ''}${environmentSamples ? ' --samples 1' : ''}`;
}

/** Unrecovered (null) ranks above every figure. */
const figure = (o: SampledObjective): number => o.measuredSeconds ?? Number.POSITIVE_INFINITY;
const orNull = (seconds: number): number | null => (Number.isFinite(seconds) ? seconds : null);

/** Slowest first; equal figures by sample number, so the order is the same in every run. */
function slowestFirst(a: { record: SampleRecord; objective: SampledObjective }, b: { record: SampleRecord; objective: SampledObjective }): number {
  return figure(b.objective) - figure(a.objective) || a.record.sample - b.record.sample;
}

function percent(fraction: number): string {
  const value = fraction * 100;
  return `${Number.isInteger(value) ? value : value.toFixed(1)}%`;
}

/** "met in 188 of 200 samples (94%, 95% interval 89.8–96.5%)". */
export function metText(distribution: Pick<ObjectiveDistribution, 'metCount' | 'count' | 'metFraction' | 'metInterval'>): string {
  const { lower, upper } = distribution.metInterval;
  return `met in ${distribution.metCount} of ${distribution.count} samples (${percent(distribution.metFraction)}, 95% interval ${percent(lower)}–${percent(upper)})`;
}

/**
 * The component whose duration grew most in the slow samples against the
 * median sample; none when nothing took longer there.
 */
function slowCauseOf(all: readonly SampleRecord[], slow: readonly SampleRecord[]): SlowCause | undefined {
  const keys = [...new Set(all.flatMap((r) => Object.keys(r.durations)))].sort();
  let best: SlowCause | undefined;
  for (const what of keys) {
    const everywhere = all.flatMap((r) => (r.durations[what] === undefined ? [] : [r.durations[what]])).sort((a, b) => a - b);
    const inSlow = slow.flatMap((r) => (r.durations[what] === undefined ? [] : [r.durations[what]])).sort((a, b) => a - b);
    if (everywhere.length === 0 || inSlow.length === 0) continue;
    const medianSeconds = nearestRank(everywhere, 50);
    const slowSeconds = nearestRank(inSlow, 50);
    if (slowSeconds - medianSeconds <= 0) continue;
    if (!best || slowSeconds - medianSeconds > best.slowSeconds - best.medianSeconds) best = { what, slowSeconds, medianSeconds, samples: inSlow.length };
  }
  return best;
}

function histogramField(recovered: readonly number[], targetSeconds: number): Pick<ObjectiveDistribution, 'histogram'> {
  const histogram = histogramOf(recovered, targetSeconds);
  return histogram ? { histogram } : {};
}

/** One objective over a scenario's samples; null when no sample measured it. */
export function distributionOf(records: readonly SampleRecord[], which: 'rto' | 'rpo', confidence: number, replay: ReplayCommand): ObjectiveDistribution | null {
  const measured = records.flatMap((record) => {
    const objective = record[which];
    return objective ? [{ record, objective }] : [];
  });
  if (measured.length === 0) return null;
  const ascending = measured.map((m) => figure(m.objective)).sort((a, b) => a - b);
  const count = measured.length;
  const metCount = measured.filter((m) => m.objective.met).length;
  const metFraction = metCount / count;
  const met = metCount >= confidence * count - 1e-9;
  const bySlowness = [...measured].sort(slowestFirst);
  const slowCount = Math.max(1, Math.ceil(SLOW_SHARE * count - 1e-9));
  const slowest: SlowSample[] = bySlowness.slice(0, Math.min(slowCount, SLOWEST_LISTED)).map(({ record, objective }) => ({
    sample: record.sample,
    seed: record.seed,
    ...(record.scenarioSeed !== undefined ? { scenarioSeed: record.scenarioSeed } : {}),
    measuredSeconds: objective.measuredSeconds,
    met: objective.met,
    replay: replay(record.seed),
  }));
  // Compared only over samples slower than the median one: among equal figures none is slow.
  const median = nearestRank(ascending, 50);
  const slow = bySlowness.slice(0, slowCount).filter((m) => figure(m.objective) > median);
  const slowCause = slow.length > 0 ? slowCauseOf(measured.map((m) => m.record), slow.map((m) => m.record)) : undefined;
  // The target as the plain run (sample 0) stated it; every sample runs the same steps.
  const targetSeconds = (measured.find((m) => m.record.sample === 0) ?? measured[0]!).objective.targetSeconds;
  const distribution: ObjectiveDistribution = {
    targetSeconds,
    count,
    minSeconds: orNull(ascending[0]!),
    p50Seconds: orNull(nearestRank(ascending, 50)),
    p95Seconds: orNull(nearestRank(ascending, 95)),
    p99Seconds: orNull(nearestRank(ascending, 99)),
    maxSeconds: orNull(ascending[count - 1]!),
    unrecovered: measured.filter((m) => m.objective.measuredSeconds === null).length,
    metCount,
    metFraction,
    metInterval: wilsonInterval(metCount, count),
    met,
    slowest,
    ...(slowCause ? { slowCause } : {}),
    ...histogramField(ascending.filter(Number.isFinite), targetSeconds),
  };
  if (!met) {
    const p95 = distribution.p95Seconds === null ? 'not recovered' : formatSeconds(distribution.p95Seconds);
    distribution.breach = `${which.toUpperCase()} of ${formatSeconds(targetSeconds)} ${metText(distribution)}, below the confidence of ${percent(confidence)}; p95 ${p95}`;
  }
  return distribution;
}

/** A scenario's samples added up; `records` are its samples in any order (sample 0 among them). */
export function scenarioSamples(records: readonly SampleRecord[], confidence: number, replay: ReplayCommand): ScenarioSamples {
  // A skipped scenario did not run (an interrupt came first): it is no sample.
  const ordered = records.filter((r) => r.status !== 'skipped').sort((a, b) => a.sample - b.sample);
  const failedRecords = ordered.filter((r) => r.error !== undefined);
  const failedSamples: FailedSample[] = failedRecords.slice(0, FAILED_LISTED).map((r) => ({ sample: r.sample, seed: r.seed, error: r.error!, replay: replay(r.seed) }));
  return {
    count: ordered.length,
    confidence,
    failed: failedRecords.length,
    failedSamples,
    rto: distributionOf(ordered, 'rto', confidence, replay),
    rpo: distributionOf(ordered, 'rpo', confidence, replay),
  };
}

/**
 * The objective check that is the scenario's RTO (or RPO), as the harness
 * chooses it (objectives.ts): the last check of the scenario's own
 * objective, else the first check of that kind.
 */
function scenarioCheck<T extends { objective: 'rto' | 'rpo'; scenarioObjective: boolean }>(checks: readonly T[], which: 'rto' | 'rpo'): T | undefined {
  return checks.findLast((c) => c.objective === which && c.scenarioObjective) ?? checks.find((c) => c.objective === which);
}

/** The breach sample 0 recorded for its RTO (or RPO), which the samples' verdict replaces. */
function supersededBreach(timeline: readonly TimelineEntry[], which: 'rto' | 'rpo'): string | undefined {
  const checks = timeline.flatMap((e) => (e.kind === 'objective.checked' ? [(e as Extract<TimelineEvent, { kind: 'objective.checked' }>).detail] : []));
  return scenarioCheck(checks, which)?.breach;
}

/**
 * A scenario with its samples' verdict: its RTO and RPO are met when their
 * metFraction reaches the confidence, whatever sample 0 alone measured; a
 * sample that failed other than by a breach fails the scenario, saying how
 * to replay it. Other breaches and failures of sample 0 stand.
 */
export function withSamples(result: ScenarioResult, samples: ScenarioSamples): ScenarioResult {
  const superseded = new Set(
    (['rto', 'rpo'] as const).flatMap((which) => {
      const breach = samples[which] ? supersededBreach(result.timeline, which) : undefined;
      return breach ? [breach] : [];
    }),
  );
  const ownBreaches = result.breaches.filter((b) => !superseded.has(b));
  const sampled = [samples.rto?.breach, samples.rpo?.breach].filter((b): b is string => b !== undefined);
  const breaches = [...ownBreaches, ...sampled];
  // Sample 0's own failures are among the samples' failures: named once, with the rest.
  const failures =
    samples.failed > 0
      ? [
          `${samples.failed} of ${samples.count} samples failed; the first: ${samples.failedSamples[0]!.error.split('\n')[0]} (replay: ${samples.failedSamples[0]!.replay})`,
        ]
      : [];
  const judged = result.status === 'passed' || result.status === 'failed';
  const status: ScenarioStatus = judged ? (failures.length || breaches.length ? 'failed' : 'passed') : result.status;
  const errors = judged ? [...failures, ...breaches] : failuresOf(result);
  const { error: _error, ...rest } = result;
  return { ...rest, status, ...(status !== 'passed' && status !== 'skipped' && errors.length ? { error: errors.join('\n') } : {}), breaches, samples };
}

/**
 * The summary of scenarios some of which were sampled: each objective check
 * counts as met or breached, except a sampled scenario's RTO and RPO, which
 * count as their samples' verdict.
 */
export function summarizeSampled(scenarios: readonly ScenarioResult[]): RunSummary {
  const passed = scenarios.filter((s) => s.status === 'passed').length;
  const skipped = scenarios.filter((s) => s.status === 'skipped').length;
  let met = 0;
  let breached = 0;
  for (const scenario of scenarios) {
    const verdicts = new Map<ObjectiveCheck, boolean>();
    for (const which of ['rto', 'rpo'] as const) {
      const check = scenarioCheck(scenario.objectives, which);
      const distribution = scenario.samples?.[which];
      if (check && distribution) verdicts.set(check, distribution.met);
    }
    for (const check of scenario.objectives) {
      if (verdicts.get(check) ?? check.met) met++;
      else breached++;
    }
  }
  return { scenarios: scenarios.length, passed, failed: scenarios.length - passed - skipped, skipped, objectives: { met, breached } };
}

/**
 * results.json with every sampled scenario's distributions and verdict, its
 * summary and exit code following them (an interrupt, bad input or a
 * safety guard keep theirs).
 */
export function applySamples(
  results: RunResults,
  count: number,
  records: ReadonlyMap<string, readonly SampleRecord[]>,
  confidenceOf: (scenario: ScenarioResult) => number,
  replayOf: (scenario: ScenarioResult) => ReplayCommand,
): RunResults {
  const scenarios = results.scenarios.map((scenario) => {
    const own = records.get(scenario.id);
    return own?.length ? withSamples(scenario, scenarioSamples(own, confidenceOf(scenario), replayOf(scenario))) : scenario;
  });
  const summary = summarizeSampled(scenarios);
  const exitCode: RunResults['exitCode'] = results.exitCode === 0 || results.exitCode === 1 ? (summary.failed > 0 ? 1 : 0) : results.exitCode;
  return { ...results, exitCode, summary, samples: { count }, scenarios };
}

/**
 * results.json of a run with --samples (run.json's `samples` and
 * `envOverride`): each scenario's distributions and its verdict against its
 * environment's `sim.confidence`. The run and `gameday report` (from
 * samples.ndjson) both make it here, so they agree.
 */
export function withSampleVerdicts(
  results: RunResults,
  manifest: { samples?: { count: number; confidence: Record<string, number>; environmentSamples?: Record<string, number> }; envOverride?: string },
  records: ReadonlyMap<string, readonly SampleRecord[]>,
): RunResults {
  const settings = manifest.samples;
  if (!settings) return results;
  return applySamples(
    results,
    settings.count,
    records,
    (scenario) => settings.confidence[scenario.environment] ?? DEFAULT_CONFIDENCE,
    (scenario) => replayCommand(scenario.uri, scenario.line, manifest.envOverride, (settings.environmentSamples?.[scenario.environment] ?? 1) > 1),
  );
}
