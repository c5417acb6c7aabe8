/**
 * The HTML report's data (types only): what `report-data.ts` derives from a
 * run folder, what the components render, and what the page embeds as JSON
 * (`<script type="application/json" id="gameday-report-data">`) for tools
 * that read a report without a browser. Everything here is plain JSON.
 *
 * The bulk of a timeline, one `probe.sample` per probe interval and one
 * `canary.write` per write, is not embedded event by event: probes become
 * runs of equal samples and canaries runs of equal outcomes, plus the writes
 * that were lost. Every other event is embedded as the run recorded it.
 */
import type { AwsCall, JournalEntry } from '../../harness/index.js';
import type {
  DrStrategy,
  ExperimentResult,
  HistoryEntry,
  Incident,
  Note,
  ObjectiveCheck,
  ObjectiveResult,
  RunResults,
  ScenarioSamples,
  ScenarioStatus,
  StepResult,
  TimelineEntry,
  Warning,
} from '../types.js';

/** What a report is made from: a run folder's contents, read by the caller (`writeReport` reads them from disk). */
export interface ReportInput {
  results: RunResults;
  /** journal.ndjson, in file order (empty when the run made no mutating call or the file is missing). */
  journal: JournalEntry[];
  /** reports/history.jsonl, any order; entries of other environments and of later runs are ignored. */
  history: HistoryEntry[];
  /** The commit of the feature files, when the caller knows it (`git rev-parse HEAD` at the edge). */
  specsCommit?: string;
  /** Lines of the run folder's files that could not be read (a crash can cut the journal's last line). */
  readProblems?: string[];
}

/** The format of the embedded data; bumped when a reader would misread it. */
export const REPORT_DATA_FORMAT = 'gameday-report/1';

export interface ReportData {
  format: typeof REPORT_DATA_FORMAT;
  run: RunFacts;
  verdict: Verdict;
  score: ResilienceScore;
  strategies: StrategyGroup[];
  scenarios: ScenarioReport[];
  /** Notes not tied to a scenario (written before the first or between scenarios). */
  notes: Note[];
  warnings: Warning[];
  /** Journal entries of no scenario of this run (a scenario id the results do not know). */
  unmatchedJournal: JournalCall[];
  readProblems: string[];
}

export interface RunFacts {
  runId: string;
  /** The run's environment, and every other one a scenario ran in (warm standby has its own file). */
  environment: string;
  environments: string[];
  target: RunResults['target'];
  account?: string;
  regions: string[];
  seed: number;
  startedAt: string;
  finishedAt: string;
  /** finishedAt − startedAt on the wall clock. */
  wallSeconds: number;
  /** Sum of the scenarios' time on the target's clock (virtual on the sim). */
  simulatedSeconds: number;
  gamedayVersion?: string;
  specsCommit?: string;
  interrupted: boolean;
  exitCode: RunResults['exitCode'];
  /** Every incident was planned (a drill: nothing was broken on purpose). */
  drill: boolean;
}

export type VerdictOutcome = 'passed' | 'failed' | 'interrupted' | 'refused' | 'bad-input' | 'empty';

export interface Verdict {
  outcome: VerdictOutcome;
  /** One or two words, upper case, carried by text and not by colour: `PASSED`, `FAILED`, `INTERRUPTED`. */
  headline: string;
  /** The sentence under it: what passed, what failed, what was not run. */
  detail: string;
}

/** The resilience score and the figures it was computed from (see score.ts for the formula and why). */
export interface ResilienceScore {
  /** 0–100, rounded down: 100 only when every scenario passed and every objective was met. */
  value: number;
  weights: { objectives: number; scenarios: number };
  objectives: { met: number; measured: number };
  scenarios: { passed: number; planned: number };
  /** The formula as printed on the page. */
  formula: string;
  /** This run's figures put into it. */
  worked: string;
}

export interface StrategyGroup {
  /** null: scenarios with no DR strategy tag (in-region resilience such as Multi-AZ, posture checks). */
  strategy: DrStrategy | null;
  label: string;
  rows: StrategyRow[];
}

export interface StrategyRow {
  scenarioId: string;
  anchor: string;
  name: string;
  status: ScenarioStatus;
  rto: ObjectiveResult | null;
  rpo: ObjectiveResult | null;
  targets: ObjectiveTargets | null;
}

/** The objectives a scenario set (`objectives.set`), measured or not: an interrupted scenario sets them and measures nothing. */
export interface ObjectiveTargets {
  rtoSeconds: number;
  rpoSeconds: number;
}

export interface ScenarioReport {
  id: string;
  /** The element id of the scenario's section (ids are paths with `#`: not usable as fragments as they are). */
  anchor: string;
  name: string;
  uri: string;
  line: number;
  tags: string[];
  environment: string;
  strategy?: DrStrategy;
  status: ScenarioStatus;
  /**
   * false: the scenario never started (an interrupt came first; cucumber
   * still reports it, failed, every step skipped, with no event).
   */
  started: boolean;
  error?: string;
  breaches: string[];
  seed?: number;
  incident: Incident | null;
  rto: ObjectiveResult | null;
  rpo: ObjectiveResult | null;
  targets: ObjectiveTargets | null;
  objectives: ObjectiveCheck[];
  experiments: ExperimentResult[];
  simulatedSeconds?: number;
  wallSeconds: number;
  steps: StepResult[];
  /** The timeline without probe.sample and canary.write events (those are in `probes` and `canaries`). */
  events: TimelineEntry[];
  probes: ProbeTrack[];
  canaries: CanaryTrack[];
  journal: JournalCall[];
  notes: Note[];
  trend: Trend | null;
  /** With --samples: the scenario's samples and each objective's distribution (results.json's, as it is). */
  samples?: ScenarioSamples;
}

/**
 * Consecutive samples of one probe with the same outcome and status:
 * [first sample's t, last sample's t, how many, up?, status as the probe saw it].
 */
export type SampleRun = [firstT: number, lastT: number, count: number, ok: boolean, status: string];

export interface ProbeTrack {
  probe: string;
  /** The alias it probes, and how (from `probe.started`; absent when that event is missing). */
  target?: string;
  kind?: string;
  resolutionSeconds?: number;
  runs: SampleRun[];
  up: number;
  down: number;
}

/** Consecutive canary writes with the same outcome: [first t, last t, how many, acknowledged?, first seq, the refusal's error ('' when acknowledged)]. */
export type WriteRun = [firstT: number, lastT: number, count: number, ok: boolean, firstSeq: number, error: string];

export interface CanaryTrack {
  canary: string;
  runs: WriteRun[];
  acknowledged: number;
  failed: number;
  /** Acknowledged writes missing after recovery (canary.readback), with when they were acknowledged. */
  lost: LostWrite[];
  /** From canary.readback, when the scenario read the canary back. */
  written?: number;
  survived?: number;
}

export interface LostWrite {
  seq: number;
  /** When it was written (null when its write event is not in the timeline). */
  t: number | null;
}

/** One mutating call of the journal with what became of its undo. */
export interface JournalCall {
  id: number;
  scenario: string;
  description: string;
  /** When the call was journalled (before it was made), on the target's clock. */
  at: string;
  call?: AwsCall;
  /** The undo registered for it: null when the call cannot be undone (a promotion), absent if none was registered yet. */
  undo?: AwsCall | null;
  outcome: UndoOutcome;
  /** When the undo ran or failed. */
  undoneAt?: string;
  error?: string;
}

/**
 * - undone: the undo ran (or was found no longer needed);
 * - undo-failed: it ran and failed: something may still be changed;
 * - irreversible: the call has no undo (a promoted replica stays promoted);
 * - pending: an undo was registered and never ran (a crash: `gameday cleanup` finds these);
 * - no-undo: the call was journalled and no undo followed (it failed, or the run stopped in between).
 */
export type UndoOutcome = 'undone' | 'undo-failed' | 'irreversible' | 'pending' | 'no-undo';

/** A scenario's RTO and RPO over the last runs on the same environment, oldest first, this run last. */
export interface Trend {
  points: TrendPoint[];
}

export interface TrendPoint {
  runId: string;
  startedAt: string;
  status: ScenarioStatus;
  current: boolean;
  rto: TrendFigure | null;
  rpo: TrendFigure | null;
}

export type TrendFigure = Pick<ObjectiveResult, 'measuredSeconds' | 'targetSeconds' | 'met'>;

