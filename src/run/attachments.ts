/**
 * What the step library attaches to the cucumber message stream besides
 * timeline events (EVENT_MEDIA_TYPE), for the results builder: the two sides
 * of the stream agree on these shapes, and `gameday report` reads them back
 * from messages.ndjson.
 */
import type { ExperimentResult, ObjectiveResult } from '../report/index.js';

/** The end of a scenario: what only the harness knows (attached by the After hook). */
export const SCENARIO_MEDIA_TYPE = 'application/vnd.gameday.scenario+json';

export interface ScenarioSummary {
  target: 'sim' | 'aws';
  seed?: number;
  rto: ObjectiveResult | null;
  rpo: ObjectiveResult | null;
  breaches: string[];
  experiments: ExperimentResult[];
  simulatedSeconds: number;
  /** An error of bad input (2) or a safety guard (3) ended the scenario: the run exits with it. */
  exitCode?: 2 | 3;
  /** aws: AWS's clock − the runner's, in seconds, as the scenario's responses showed it (their Date headers). */
  awsClockOffsetSeconds?: number;
}

/**
 * When a step ran on the target's clock, attached under the step: by the
 * BeforeStep hook as it starts (no `endT`), by the AfterStep hook as it ends.
 */
export const STEP_MEDIA_TYPE = 'application/vnd.gameday.step+json';

export interface StepClock {
  /** Seconds since the scenario started, on the target's clock. */
  startT: number;
  endT?: number;
}
