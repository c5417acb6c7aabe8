/**
 * The timeline: the only way the harness talks to the outside (DESIGN §4).
 * Each event travels as a cucumber attachment with media type
 * `application/vnd.gameday.event+json`, so the live UI, the report and
 * `gameday report` see the same facts, also under --parallel.
 */
import type { ExperimentActionResult } from '../report/types.js';

export const EVENT_MEDIA_TYPE = 'application/vnd.gameday.event+json';

interface EventBase {
  /** ISO-8601 of the target's clock (virtual on the sim). */
  at: string;
  /** Seconds since the scenario started, on the target's clock. */
  t: number;
}

export type TimelineEvent = EventBase &
  (
    | { kind: 'scenario.started'; detail: { name: string; uri: string; line: number; target: 'sim' | 'aws'; seed?: number } }
    | { kind: 'objectives.set'; detail: { rtoSeconds: number; rpoSeconds: number } }
    | { kind: 'fault.injected'; detail: { fault: string; experimentId: string; action: string; region: string } }
    /** `endedAt`: FIS's own end time, on the state that ends the experiment (it is seen up to a follow interval later). */
    | {
        kind: 'experiment.state';
        /** Said when the experiment's state or one of its actions' states changes; `actions`: each as FIS reports it then. */
        detail: { experimentId: string; templateId: string; fault: string; state: string; reason?: string; endedAt?: string; actions?: ExperimentActionResult[] };
      }
    /** A recovery action the harness started: `service` is the AWS service it drives ("route53" for a DNS change). */
    | { kind: 'action.started'; detail: { action: string; service?: ActionService; target: string; region?: string } }
    | { kind: 'action.completed'; detail: { action: string; service?: ActionService; target: string; region?: string; seconds: number; outcome?: string } }
    | { kind: 'probe.started'; detail: { probe: string; kind: string; target: string; resolutionSeconds: number } }
    | { kind: 'probe.sample'; detail: { probe: string; ok: boolean; status?: string; latencyMs?: number; servedBy?: string } }
    | { kind: 'canary.write'; detail: { canary: string; seq: number; ok: boolean; error?: string } }
    | { kind: 'canary.readback'; detail: { canary: string; written: number; survived: number; lost: number[] } }
    /** `seconds`: from the incident to the recovery instant (the first of the healthy samples in a row), not to this event. */
    | { kind: 'recovered'; detail: { probe: string; target: string; seconds: number } }
    | {
        kind: 'objective.checked';
        detail: {
          objective: 'rto' | 'rpo';
          target: string;
          targetSeconds: number;
          measuredSeconds: number | null;
          resolutionSeconds: number;
          truthSeconds?: number;
          met: boolean;
          lostWrites?: number;
          /** RTO not recovered within the observation window: how long it was watched. */
          observedSeconds?: number;
          /** The scenario's own objective ("within the RTO") rather than a limit the step states. */
          scenarioObjective: boolean;
          /** When breached: the breach as the scenario's failure message words it. */
          breach?: string;
        };
      }
    | { kind: 'check.passed'; detail: { check: string; subject: string; evidence: string } }
    | { kind: 'check.failed'; detail: { check: string; subject: string; evidence: string } }
    /** The incident instant objectives are measured from (see report/types.ts Incident); `at` is when it happened, which may precede the event. */
    | { kind: 'incident'; detail: { kind: 'fault' | 'planned'; at: string; t: number; what: string } }
    /** Cleanup begins: the undos still pending, newest first (each then reports a `cleanup.step`). */
    | { kind: 'cleanup.started'; detail: { steps: string[] } }
    /** `left`: a fail-back the environment says to leave (`afterScenario: leave`). */
    | { kind: 'cleanup.step'; detail: { step: string; outcome: 'done' | 'failed' | 'skipped' | 'left'; error?: string } }
    /** Something the harness says along the way (a person's notes are run-level `note` events, not these). */
    | { kind: 'info'; detail: { message: string } }
  );

export type TimelineEventKind = TimelineEvent['kind'];

/** The AWS service a recovery action drives. */
export type ActionService = 'rds' | 'dynamodb' | 's3' | 'route53' | 'backup' | 'autoscaling' | 'drs';

/** What every part of the harness gets to report with. */
export type EmitEvent = (event: DistributiveOmit<TimelineEvent, 'at' | 't'>) => void;

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
