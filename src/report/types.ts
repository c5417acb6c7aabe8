/**
 * results.json (DESIGN §7): types only, shared by the results writer
 * (`results.ts`), the HTML report and anything else that reads a run folder.
 * `schemas/results.schema.json` says the same for readers outside
 * TypeScript; tests validate every results.json they produce against it.
 * Extend, don't break: a new field is optional or has a documented default,
 * and a change a reader must know of bumps `schemaVersion`.
 */
import type { DrStrategy } from '../env/types.js';
import type { TimelineEvent } from '../harness/index.js';

/** How a scenario, or a step of it, ended: cucumber's statuses, lower-cased. Live and in results.json alike. */
export type ScenarioStatus = 'passed' | 'failed' | 'skipped' | 'undefined' | 'ambiguous' | 'pending';
export type StepStatus = ScenarioStatus;

/** A recovery objective measured against its target. */
export interface ObjectiveResult {
  targetSeconds: number;
  /**
   * RTO: incident → recovery instant; RPO: incident → newest surviving write
   * before it (0 when nothing was lost). null: not recovered within the
   * observation window (`observedSeconds` says how long was watched).
   */
  measuredSeconds: number | null;
  /** The measurement's resolution: the probe's sampling interval (RTO), the canary's write interval (RPO). */
  resolutionSeconds: number;
  /** On the sim: the simulator's ground truth of the same figure. */
  truthSeconds?: number;
  met: boolean;
  /** RPO: acknowledged writes missing after recovery. */
  lostWrites?: number;
  /** RTO not recovered: seconds from the incident until the harness stopped watching. */
  observedSeconds?: number;
}

/** One objective step's measurement, in the order the scenario checked them. */
export interface ObjectiveCheck extends ObjectiveResult {
  objective: 'rto' | 'rpo';
  /** What was judged: the probed alias (RTO), the canary's database (RPO). */
  subject: string;
  /** The scenario's own objective ("within the RTO", "the RPO"), or a limit the step states ("within 3 minutes"). */
  scenarioObjective: boolean;
  /** Index in the scenario's `steps` of the step that measured it. */
  step?: number;
}

/**
 * The instant objectives are measured from: the start of the first fault
 * action (an FIS action's startTime, or a data fault's call), or, in a drill
 * with no fault, the start of the first disruptive recovery action (a
 * failover, a promotion, a DNS change).
 */
export interface Incident {
  kind: 'fault' | 'planned';
  /** ISO-8601 on the target's clock. */
  at: string;
  /** Seconds since the scenario started. */
  t: number;
  /** What happened: the fault and its first action, or the recovery action. */
  what: string;
  /** Index in the scenario's `steps` of the step that caused it. */
  step?: number;
}

/** One step of a scenario (Background steps included), as it ran. */
export interface StepResult {
  keyword: string;
  text: string;
  line: number;
  status: StepStatus;
  /** The user-facing message, when it failed (for an objective step: the breach). */
  error?: string;
  /** Wall-clock seconds the step took. */
  wallSeconds: number;
  /** Seconds since the scenario started on the target's clock, when the step started and ended (absent if it did not run). */
  startT?: number;
  endT?: number;
}

export interface ExperimentActionResult {
  name: string;
  actionId: string;
  state: string;
  /** ISO-8601, as FIS reports them. */
  startTime?: string;
  endTime?: string;
}

/** An FIS experiment a scenario started, in the state it ended in. */
export interface ExperimentResult {
  id: string;
  templateId: string;
  fault: string;
  region?: string;
  state: string;
  reason?: string;
  actions?: ExperimentActionResult[];
}

/** A timeline event, placed under the step during which it happened (none: a hook, e.g. cleanup). */
export type TimelineEntry = TimelineEvent & { step?: number };

/** A problem found before the run that does not stop it (an RTO finer than the probes can measure). */
export interface Warning {
  uri: string;
  line: number;
  message: string;
}

/** Something a person wrote down during the run (the game day's scribe). */
export interface Note {
  /** ISO-8601, wall clock. */
  at: string;
  text: string;
  /** Who wrote it, when known. */
  by?: string;
  /** The scenario running when it was written (the first of them under --parallel). */
  scenarioId?: string;
  /** Seconds since that scenario started, on its clock. */
  t?: number;
}

export interface ScenarioResult {
  /**
   * Stable across runs and edits of other scenarios: the feature's path, the
   * scenario's name, an outline's example values, and an ordinal when one
   * file has several scenarios of the same name. Never a line number.
   */
  id: string;
  name: string;
  uri: string;
  line: number;
  tags: string[];
  /** The environment the scenario ran in. */
  environment: string;
  /** The DR strategy it exercises, from its tags (`@pilot-light`, …). */
  strategy?: DrStrategy;
  status: ScenarioStatus;
  /** Why it failed, as a person reads it: the failing step's message, then every breached objective. */
  error?: string;
  /** Each breached objective's message (the scenario went on after each). */
  breaches: string[];
  seed?: number;
  incident: Incident | null;
  /** The scenario's RTO and RPO ("within the RTO", "no more than the RPO"); else the first stated limit. */
  rto: ObjectiveResult | null;
  rpo: ObjectiveResult | null;
  /** Every objective the scenario measured. */
  objectives: ObjectiveCheck[];
  experiments: ExperimentResult[];
  /** Seconds on the target's clock from the scenario's start to its end (virtual on the sim). */
  simulatedSeconds?: number;
  wallSeconds: number;
  steps: StepResult[];
  timeline: TimelineEntry[];
  /**
   * With `--samples N` (N > 1): the scenario run under N seeds, this result
   * being sample 0's. Its status and breaches are then the samples' verdict
   * (an objective is met when its metFraction reaches `confidence`); `rto`,
   * `rpo`, `objectives`, `steps` and `timeline` stay sample 0's as measured.
   */
  samples?: ScenarioSamples;
}

/** A scenario run under many seeds: its objectives' distributions and the verdict on them. */
export interface ScenarioSamples {
  /** Samples run (sample 0, the plain run, included). */
  count: number;
  /** The environment's `sim.confidence`: the metFraction an objective must reach to count as met. */
  confidence: number;
  /** Samples in which the scenario failed other than by a breach (a step's error), with the first few, to replay. */
  failed: number;
  failedSamples: FailedSample[];
  rto: ObjectiveDistribution | null;
  rpo: ObjectiveDistribution | null;
}

/**
 * One objective over the samples. Percentiles are nearest-rank (each is one
 * sample's own figure, so it can be replayed); a sample that did not recover
 * within the observation window ranks above every figure, and a percentile
 * that falls on one is null.
 */
export interface ObjectiveDistribution {
  targetSeconds: number;
  /** Samples that measured this objective. */
  count: number;
  minSeconds: number | null;
  p50Seconds: number | null;
  p95Seconds: number | null;
  p99Seconds: number | null;
  maxSeconds: number | null;
  /** RTO: samples that did not recover within the observation window. */
  unrecovered: number;
  /** Samples that met the target. */
  metCount: number;
  metFraction: number;
  /** The 95% Wilson score interval of metFraction. */
  metInterval: { lower: number; upper: number };
  /** metFraction ≥ confidence. */
  met: boolean;
  /** Why not, worded as a breach (the scenario's `breaches` hold it too). */
  breach?: string;
  /** The slowest samples (the slowest 5%, at least one, at most 10), slowest first. */
  slowest: SlowSample[];
  /** What the slowest samples have in common, when something stands out. */
  slowCause?: SlowCause;
  /** How the recovered samples' figures spread, against the target; absent when none recovered. */
  histogram?: Histogram;
}

/**
 * Samples counted in bins of equal width laid on a grid through the target
 * (so the target is a bin edge): bin `i` holds the figures in
 * (bins[i].toSeconds − binSeconds, bins[i].toSeconds], ascending, empty
 * bins included. Unrecovered samples are not in it (`unrecovered`).
 */
export interface Histogram {
  binSeconds: number;
  bins: { toSeconds: number; count: number }[];
}

/** One sample, as `gameday run <uri>:<line> --seed <seed>` replays it. */
export interface SlowSample {
  /** Which sample (0: the plain run). */
  sample: number;
  /** The run seed it ran under: pass it as --seed. */
  seed: number;
  /** The scenario's own seed under it (ScenarioResult.seed of the replay). */
  scenarioSeed?: number;
  measuredSeconds: number | null;
  met: boolean;
  /** The command that replays it. */
  replay: string;
}

export interface FailedSample {
  sample: number;
  seed: number;
  error: string;
  replay: string;
}

/**
 * The recovery step, recovery action or fault action whose duration grew
 * most in the slowest samples, against the median sample.
 */
export interface SlowCause {
  /** What it is, as the timeline names it ("promote orders-db-replica", "When the FIS experiment …"). */
  what: string;
  /** Its median duration over the slowest samples. */
  slowSeconds: number;
  /** Its median duration over every sample. */
  medianSeconds: number;
  /** How many slow samples it was compared over. */
  samples: number;
}

export type { DrStrategy } from '../env/types.js';

export interface RunSummary {
  scenarios: number;
  passed: number;
  /** Failed, undefined, ambiguous and pending scenarios. */
  failed: number;
  skipped: number;
  objectives: { met: number; breached: number };
}

/** Something a run changed and did not put back: an irreversible change (a promotion), or a fail-back left on purpose (`afterScenario: leave`). */
export interface LeftChange {
  /** The scenario's id. */
  scenario: string;
  description: string;
  why: 'irreversible' | 'left';
}

/** results.json. */
export interface RunResults {
  schemaVersion: 1;
  runId: string;
  target: 'sim' | 'aws';
  seed: number;
  environment: string;
  /** The account the credentials belong to (aws), or the sim's. */
  account?: string;
  regions: string[];
  gamedayVersion?: string;
  /** The git commit of the features, when they are in a repository (`+dirty` when they have uncommitted changes). */
  specsCommit?: string;
  startedAt: string;
  finishedAt: string;
  /** Ctrl-C or SIGTERM ended the run early; cleanup ran. */
  interrupted: boolean;
  /** What `gameday run` exited with (DESIGN §7). */
  exitCode: 0 | 1 | 2 | 3 | 130;
  summary: RunSummary;
  warnings: Warning[];
  notes: Note[];
  /** What the run changed and left so (from the journal); absent when nothing. */
  leftChanged?: LeftChange[];
  /** With `--samples N` (N > 1): every scenario ran under N seeds derived from `seed` (see ScenarioResult.samples). */
  samples?: { count: number };
  /**
   * With `--shard i/n`: this run is the i-th of n slices of a run (`of`:
   * of each scenario's samples with --samples, else of the scenarios);
   * `gameday report --merge` puts the slices together. With --samples, the
   * scenarios' results are the shard's first sample's (sample i−1) and
   * their `samples` cover the shard's samples only.
   */
  shard?: { index: number; count: number; of: 'samples' | 'scenarios' };
  /** Made by `gameday report --merge` from these shards' runs, in shard order. */
  merged?: { runIds: string[] };
  scenarios: ScenarioResult[];
}

/** One line of `reports/history.jsonl`: a finished run, for trends across runs. */
export interface HistoryEntry {
  runId: string;
  startedAt: string;
  environment: string;
  target: 'sim' | 'aws';
  seed: number;
  specsCommit?: string;
  exitCode: RunResults['exitCode'];
  scenarios: {
    id: string;
    name: string;
    status: ScenarioStatus;
    rto: { measuredSeconds: number | null; targetSeconds: number; met: boolean } | null;
    rpo: { measuredSeconds: number | null; targetSeconds: number; met: boolean } | null;
  }[];
}
