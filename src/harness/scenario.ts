import type { Clock } from '../clock/types.js';
import { BadInputError } from '../errors.js';
import type { ExperimentActionResult, ObjectiveResult } from '../report/types.js';
import { resolveAlias, UnknownAliasError, type DynamoDbTable, type Environment } from '../env/index.js';
import type { CleanupStack, HomeEntry } from './cleanup.js';
import type { EmitEvent } from './events.js';
import type { DatabaseRef, Target } from './target.js';

/** The run was interrupted (Ctrl-C, SIGTERM): the scenario stops where it is and cleans up. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
  constructor() {
    super('interrupted: stopping the experiments and cleaning up');
  }
}

export interface ScenarioInfo {
  name: string;
  uri: string;
  line: number;
  runId: string;
}

export interface Objectives {
  rtoSeconds: number;
  rpoSeconds: number;
}

export type { ObjectiveResult } from '../report/types.js';
export type ExperimentAction = ExperimentActionResult;

/** One FIS experiment the scenario started. */
export interface ExperimentRecord {
  fault: string;
  region: string;
  templateId: string;
  experimentId: string;
  state: string;
  reason?: string;
  /** Its actions, as FIS last reported them. */
  actions?: ExperimentAction[];
}

/** The instant objectives are measured from (report/types.ts Incident). */
export interface IncidentRecord {
  kind: 'fault' | 'planned';
  /** Epoch ms on the target's clock. */
  at: number;
  what: string;
}

/** One sample of a probe: when, and whether the target answered healthily. */
export interface ProbeSample {
  at: number;
  ok: boolean;
  status: string;
}

export interface ProbeHandle {
  readonly name: string;
  readonly target: string;
  readonly resolutionSeconds: number;
  readonly samples: readonly ProbeSample[];
  /** Settles with the probe's first sample, taken as it starts. */
  readonly firstSample: Promise<ProbeSample>;
  stop(): void;
}

export interface CanaryWrite {
  seq: number;
  at: number;
  ok: boolean;
  /** Why the order was not acknowledged. */
  error?: string;
}

export interface CanaryHandle {
  readonly database: string;
  readonly intervalSeconds: number;
  readonly writes: readonly CanaryWrite[];
  /** The order numbers the data store holds now. */
  readBack(): Promise<number[]>;
  stop(): void;
  /** Whether it still writes (it stops when its orders are read back). */
  readonly running: boolean;
}

/** An AWS error a step caught on purpose, for "the request is denied". */
export interface CaughtError {
  code: string;
  message: string;
  operation: string;
}

/**
 * Per-scenario state, target-agnostic. Steps read and write it; the World owns it.
 */
export class ScenarioContext {
  objectives: Objectives | undefined;
  /** The fault (the start of its first action), or in a drill the first disruptive recovery action. */
  incident: IncidentRecord | undefined;
  /** Each breached objective's message: the scenario goes on measuring, and fails at its end with all of them. */
  readonly breaches: string[] = [];
  /** Where each Multi-AZ primary was as the scenario started (`region:identifier` → AZ), where the environment fails back. */
  readonly primaryHomes = new Map<string, string>();
  /** Those homes as journalled (`region:identifier` → entry), for the scenario's end to settle or fail back. */
  readonly homeEntries = new Map<string, HomeEntry>();
  /** Primaries whose fail-back a step journalled already (`region:identifier`). */
  readonly failBacks = new Set<string>();
  /** Where each cluster's writer was as the scenario started (`region:cluster` → entry whose home is the writer instance). */
  readonly writerHomes = new Map<string, HomeEntry>();
  /** Clusters whose writer's fail-back a step journalled already (`region:cluster`). */
  readonly writerFailBacks = new Set<string>();
  readonly experiments: ExperimentRecord[] = [];
  readonly probes = new Map<string, ProbeHandle>();
  readonly canaries = new Map<string, CanaryHandle>();
  /** alias → the alias that holds its data now (after a promotion or a restore). */
  readonly successors = new Map<string, string>();
  /** alias of a restored copy → the instant it was restored to (for "holds the data from before"). */
  readonly restoredTo = new Map<string, { source: string; at: number }>();
  /** Databases the scenario created (restores, named by their `as "…"`), by alias. */
  readonly createdDatabases = new Map<string, DatabaseRef>();
  /** DynamoDB tables the scenario restored, by alias: a table of its own, in one region. */
  readonly createdTables = new Map<string, DynamoDbTable>();
  /** Items a step corrupted, by table alias: key (JSON) → the item's image before (JSON). */
  readonly corrupted = new Map<string, Map<string, string>>();
  /** Objects a step overwrote, by bucket alias. */
  readonly overwritten = new Map<string, { key: string; body: string; versionId?: string }>();
  /** Object canaries, by bucket alias. */
  readonly objectCanaries = new Map<string, { written: { key: string; at: number; versionId?: string }[]; intervalSeconds: number; stop(): void }>();
  /** Aliases a "healthy again" step will judge: probed from the start, or from when a step creates them. */
  readonly watched = new Set<string>();
  rto: ObjectiveResult | undefined;
  rpo: ObjectiveResult | undefined;
  lastError: CaughtError | undefined;
  readonly startedAt: number;

  constructor(
    readonly info: ScenarioInfo,
    readonly target: Target,
    readonly emit: EmitEvent,
    readonly cleanup: CleanupStack,
    /** Aborts on Ctrl-C / SIGTERM: waits end, the After hook cleans up. */
    readonly signal: AbortSignal = new AbortController().signal,
  ) {
    this.startedAt = target.clock.now();
  }

  /** Throw if the run was interrupted: every wait loop asks before it sleeps again. */
  checkInterrupted(): void {
    if (this.signal.aborted) throw new InterruptedError();
  }

  get clock(): Clock {
    return this.target.clock;
  }

  get env(): Environment {
    return this.target.env;
  }

  /** Where an alias's data lives now, following promotions and restores. */
  current(alias: string): string {
    let at = alias;
    for (let hops = 0; this.successors.has(at) && hops < 32; hops++) at = this.successors.get(at)!;
    return at;
  }

  /** The database an alias names: one the environment declares, or one this scenario restored. */
  database(alias: string): DatabaseRef {
    const created = this.createdDatabases.get(alias);
    if (created) return created;
    try {
      // A cluster is written to through its writer, which the cluster's identifier names (its endpoint).
      const resource = resolveAlias(this.env, alias, ['rds-instance', 'rds-read-replica', 'rds-cluster']);
      return { region: resource.region, identifier: resource.identifier };
    } catch (error) {
      if (error instanceof UnknownAliasError && this.createdDatabases.size > 0) {
        const created = [...this.createdDatabases.keys()];
        throw new UnknownAliasError(
          `${error.message} (restored in this scenario: ${created.join(', ')})`,
          alias,
          error.environment,
          error.expectedKinds,
          [...error.known, ...created],
        );
      }
      throw error;
    }
  }

  requireObjectives(): Objectives {
    if (!this.objectives) {
      throw new BadInputError('this step checks "the RTO"/"the RPO", but the scenario never set them: add "Given the recovery objectives are RTO … and RPO …"');
    }
    return this.objectives;
  }

  /**
   * Record the incident, unless there is one: the first fault, or in a drill
   * the first disruptive recovery action. A fault action that started before
   * the incident recorded so far (two experiments, the second one's action
   * first) moves it earlier.
   */
  markIncident(kind: IncidentRecord['kind'], at: number, what: string): void {
    const current = this.incident;
    if (current && !(kind === 'fault' && current.kind === 'fault' && at < current.at)) return;
    this.incident = { kind, at, what };
    this.emit({ kind: 'incident', detail: { kind, at: new Date(at).toISOString(), t: (at - this.startedAt) / 1000, what } });
  }

  /** The incident instant. Validation refuses steps that measure from it where nothing makes one; this says so if it happens all the same. */
  incidentAt(): number {
    if (this.incident === undefined) {
      throw new Error('there has been no incident in this scenario (no fault, and no disruptive recovery action in a drill), so there is nothing to measure from');
    }
    return this.incident.at;
  }
}
