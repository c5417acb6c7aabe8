/**
 * The live event contract (DESIGN §4): types only. `runGameDay` hands these
 * to its `onEvent`; the plain and JSON renderers, the Ink UI and anything
 * embedding gameday consume them. They are built from the cucumber message
 * stream (timeline events travel as attachments), so they say the same
 * under --parallel as in one process, and `gameday report` can rebuild
 * what they said from messages.ndjson.
 */
import type { Speed } from '../clock/types.js';
import type { TimelineEvent } from '../harness/index.js';
import type { DrStrategy, Note, RunResults, ScenarioResult, ScenarioStatus, StepStatus, Warning } from '../report/index.js';

export type { DrStrategy, Note, ScenarioStatus, StepStatus, Warning } from '../report/index.js';

/** A step as written in the feature (Background steps included, in order). */
export interface PlannedStep {
  keyword: string;
  text: string;
  line: number;
}

/** One scenario the run will run (an outline: one per example row). */
export interface PlannedScenario {
  /** Stable id: the same in results.json and across runs (see ScenarioResult.id). */
  id: string;
  /** Cucumber's pickle id in this run, to match events that carry it. */
  pickleId: string;
  name: string;
  uri: string;
  line: number;
  tags: string[];
  environment: string;
  strategy?: DrStrategy;
  /** Targets the scenario states, when its steps say them (`the recovery objectives are RTO … and RPO …`). */
  objectives?: { rtoSeconds?: number; rpoSeconds?: number };
  steps: PlannedStep[];
}

/** Which scenario attempt an event belongs to. */
export interface ScenarioScope {
  /** Stable id (PlannedScenario.id). */
  scenarioId: string;
  /** The scenario's name, for display. */
  scenario: string;
  pickleId: string;
  /** Cucumber's id of this attempt of the scenario: unique within the run. */
  testCaseStartedId: string;
}

/** Wall-clock epoch ms at which the runner saw the event. */
interface Wall {
  wallMs: number;
}

export type RunStarted = Wall & {
  kind: 'run.started';
  runId: string;
  /** The run folder: reports/<runId>. */
  dir: string;
  environment: string;
  target: 'sim' | 'aws';
  /** The account the credentials belong to (aws; checked against allowedAccountIds), or the sim's. */
  account?: string;
  regions: string[];
  seed: number;
  speed: Speed;
  /** Scenarios run at once (0: one at a time, in this process). */
  parallel: number;
  /** With --shard i/n: which slice of the run this is, and of what (RunResults.shard). */
  shard?: { index: number; count: number; of: 'samples' | 'scenarios' };
  /** The scenarios this run runs (under --shard of the scenarios, the shard's). */
  plan: PlannedScenario[];
  warnings: Warning[];
};

export type StepStarted = Wall &
  ScenarioScope & {
    kind: 'step.started';
    /** Index in the scenario's planned steps. */
    step: number;
    text: string;
    /** Seconds since the scenario started, on the target's clock. */
    startT: number;
  };

export type StepFinished = Wall &
  ScenarioScope & {
    kind: 'step.finished';
    step: number;
    text: string;
    status: StepStatus;
    /** The user-facing message of a failed step, or of an objective it found breached. */
    error?: string;
    /** The step measured an objective and found it breached: "failed", though the scenario went on. */
    breached?: boolean;
    wallSeconds: number;
    /** Seconds since the scenario started, on the target's clock, when the step started and ended. */
    startT?: number;
    endT?: number;
  };

export type ScenarioFinished = Wall &
  ScenarioScope & {
    kind: 'scenario.finished';
    status: ScenarioStatus;
    error?: string;
    /** The scenario's result as results.json will hold it, without its timeline (the events carried it). */
    result: Omit<ScenarioResult, 'timeline'>;
  };

/** What a person wrote down during the run. */
export type NoteAdded = Wall & { kind: 'note'; note: Note };

export type RunFinished = Wall & {
  kind: 'run.finished';
  results: RunResults;
  dir: string;
  /** The HTML report: `<dir>/index.html`. */
  report: string;
  exitCode: RunResults['exitCode'];
};

/** A timeline event of the harness, with the scenario and step it happened in. */
export type ScenarioEvent = Wall &
  ScenarioScope &
  TimelineEvent & {
    /** Cucumber's test step id; absent in hooks (Before, After: cleanup). */
    testStepId?: string;
    /** Index in the scenario's planned steps; absent in hooks. */
    step?: number;
  };

/**
 * The simulator's pace as the run applied it (RunControl.setSpeed/setPaused):
 * it holds for the scenario clocks running now and for those yet to start.
 * Virtual time only; what the run measures does not change with it.
 */
export type RunPace = Wall & { kind: 'run.pace'; speed: Speed; paused: boolean };

/**
 * With --samples: one more sample of every selected scenario has run (sample
 * 0, the plain run, is the one whose events came before). Its own events are
 * not sent: only its figures are kept, for results.json.
 */
export type SampleFinished = Wall & {
  kind: 'sample.finished';
  /** Which sample, from 1. */
  sample: number;
  /** How many the run takes in all (sample 0 included; under --shard, the shard's). */
  samples: number;
  /** How many have finished, sample 0 included (under --parallel they finish out of order). */
  done: number;
  /** The sample's run seed: `--seed` replays it. */
  seed: number;
  /** Scenarios that ran in it. */
  scenarios: number;
};

export type RunEvent = RunStarted | StepStarted | StepFinished | ScenarioFinished | NoteAdded | RunPace | SampleFinished | RunFinished | ScenarioEvent;

export type RunEventKind = RunEvent['kind'];

/**
 * What a live view may ask of the run (it never drives it otherwise): the
 * Ink UI's keys. Handed to the view by the CLI.
 */
export interface RunControl {
  /** Stop safely, as Ctrl-C does: experiments stop, cleanup runs, the run exits 130. */
  abort(): void;
  /** Record what a person noticed: a `note` event, kept in results.json and the report. */
  note(text: string, by?: string): void;
  /**
   * Pace virtual time at N× real time, or `max`; answered by a `run.pace`
   * event. Only on the sim, in one process: absent against AWS (real time
   * cannot be paced) and under --parallel (the workers' clocks are in other processes).
   */
  setSpeed?(speed: Speed): void;
  /** Hold virtual time still, or let it go on; as setSpeed. An abort lets it go on: cleanup needs time to pass. */
  setPaused?(paused: boolean): void;
}
