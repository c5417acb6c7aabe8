import type { EmitEvent } from './events.js';

/**
 * An AWS call as data, so an undo can be replayed from the journal by
 * `gameday cleanup` after a crash, when no closure survives.
 */
export interface AwsCall {
  service: 'rds' | 'fis' | 'dynamodb' | 's3' | 'route53' | 'backup' | 'autoscaling' | 'drs';
  region: string;
  operation: string;
  input: Record<string, unknown>;
}

export interface JournalEntry {
  runId: string;
  /** The scenario's stable id (results.json's `id`). */
  scenario: string;
  /** ISO time on the target's clock. */
  at: string;
  /**
   * `left`: a fail-back the environment says to leave undone (`afterScenario: leave`).
   * `home`: where a Multi-AZ primary was (or which instance a cluster's writer was) as the scenario
   * started, with the fail-back that would bring it there (`undo`); not a call. The scenario's end settles it (`settled`: nothing to fail
   * back, or a step's own fail-back covers it) or turns it into an `undo` of the same id. A run
   * killed before that leaves it open, and `gameday cleanup` fails the primary back if a fault
   * moved it.
   */
  kind: 'call' | 'undo' | 'undone' | 'undo-failed' | 'left' | 'home' | 'settled';
  id: number;
  description: string;
  call?: AwsCall;
  undo?: AwsCall | null;
  /** The undo moves a primary back where it was (a failover's): done or left per the environment's `afterScenario`. */
  failBack?: boolean;
  /**
   * The Availability Zone the primary belongs in, or for a cluster the instance that was its writer:
   * the fail-back applies only while it is elsewhere, which `gameday cleanup` asks (once the instance,
   * or the cluster, is available) before making it.
   */
  home?: string;
  error?: string;
}

/**
 * Append-only record of mutating calls with their undo, written before the
 * call is made. A write failure stops the run (callers let it throw): a game
 * day on a real account must never make a change it could not undo after a
 * crash.
 */
export interface Journal {
  append(entry: JournalEntry): void;
}

export type ExecuteCall = (call: AwsCall) => Promise<unknown>;

export interface PendingCall {
  undoWith(undo: AwsCall, stillNeeded?: () => Promise<boolean>): void;
  /**
   * The undo moves a primary back where it was (a failover, a DNS failover): made or left per
   * `afterScenario`. `home`: the Availability Zone it belongs in, for `gameday cleanup` after a crash.
   */
  failBackWith(undo: AwsCall, stillNeeded?: () => Promise<boolean>, home?: string): void;
  irreversible(): void;
}

interface PendingUndo {
  id: number;
  description: string;
  undo: AwsCall;
  /** Skip the undo when it no longer applies (the experiment already ended). */
  stillNeeded?: () => Promise<boolean>;
  failBack?: boolean;
}

/** A primary's home as journalled at the scenario's start (`CleanupStack.home`). */
export interface HomeEntry {
  id: number;
  description: string;
  undo: AwsCall;
  home: string;
}

/** What the end of a scenario does with a primary a recovery action moved: move it back, or leave it (and say so). */
export type AfterScenario = 'failBack' | 'leave';

/** LIFO stack of undos for one scenario; runs on failure, abort and normal end alike. */
export class CleanupStack {
  private readonly pending: PendingUndo[] = [];
  private nextId = 1;

  constructor(
    private readonly journal: Journal,
    private readonly execute: ExecuteCall,
    private readonly emit: EmitEvent,
    private readonly context: { runId: string; scenario: string; now: () => number; afterScenario?: AfterScenario },
  ) {}

  /**
   * Journal a mutating call before it is made. Once it succeeded, say how to
   * undo it with `undoWith` (the undo often needs the id the call returned);
   * a call that cannot be undone (a promotion) is journalled with `irreversible`.
   */
  begin(description: string, call: AwsCall): PendingCall {
    const id = this.nextId++;
    this.journal.append({ ...this.base(id, description), kind: 'call', call });
    return {
      undoWith: (undo, stillNeeded) => {
        this.journal.append({ ...this.base(id, description), kind: 'undo', undo });
        this.pending.push({ id, description, undo, ...(stillNeeded ? { stillNeeded } : {}) });
      },
      failBackWith: (undo, stillNeeded, home) => {
        this.journal.append({ ...this.base(id, description), kind: 'undo', undo, failBack: true, ...(home ? { home } : {}) });
        this.pending.push({ id, description, undo, failBack: true, ...(stillNeeded ? { stillNeeded } : {}) });
      },
      irreversible: () => {
        this.journal.append({ ...this.base(id, description), kind: 'undo', undo: null });
      },
    };
  }

  /**
   * Where a primary is as the scenario starts, journalled before any step
   * can move it: a fault may, and a run killed before the scenario's end
   * would otherwise leave no word of it. `settle` or `failBack` closes it.
   */
  home(description: string, undo: AwsCall, home: string): HomeEntry {
    const id = this.nextId++;
    this.journal.append({ ...this.base(id, description), kind: 'home', undo, failBack: true, home });
    return { id, description, undo, home };
  }

  /** Nothing to fail back for a home (the primary is there, or a step's own fail-back covers it). */
  settle(entry: HomeEntry): void {
    this.journal.append({ ...this.base(entry.id, entry.description), kind: 'settled', home: entry.home });
  }

  /**
   * A fail-back of something no call of ours changed (a fault moved a
   * primary): journalled as an undo, under its home's id, with no call;
   * made last by `run`, or left per `afterScenario`.
   */
  failBack(entry: HomeEntry, stillNeeded?: () => Promise<boolean>): void {
    const { id, description, undo, home } = entry;
    this.journal.append({ ...this.base(id, description), kind: 'undo', undo, failBack: true, home });
    this.pending.push({ id, description, undo, failBack: true, ...(stillNeeded ? { stillNeeded } : {}) });
  }

  /**
   * Undo everything still pending, newest first, fail-backs last (once the
   * experiments that might still disrupt are stopped). Failures are
   * reported and journalled, never thrown.
   */
  async run(): Promise<void> {
    const order = [...this.pending.filter((p) => p.failBack), ...this.pending.filter((p) => !p.failBack)];
    this.pending.length = 0;
    this.pending.push(...order);
    if (this.pending.length > 0) this.emit({ kind: 'cleanup.started', detail: { steps: this.pending.map(labelOf).reverse() } });
    while (this.pending.length > 0) {
      const step = this.pending.pop()!;
      const label = labelOf(step);
      if (step.failBack && this.context.afterScenario === 'leave') {
        this.journal.append({ ...this.base(step.id, step.description), kind: 'left', undo: step.undo, failBack: true });
        this.emit({ kind: 'cleanup.step', detail: { step: label, outcome: 'left' } });
        continue;
      }
      try {
        if (step.stillNeeded && !(await step.stillNeeded())) {
          this.journal.append({ ...this.base(step.id, step.description), kind: 'undone', undo: step.undo });
          this.emit({ kind: 'cleanup.step', detail: { step: label, outcome: 'skipped' } });
          continue;
        }
        await this.execute(step.undo);
        this.journal.append({ ...this.base(step.id, step.description), kind: 'undone', undo: step.undo });
        this.emit({ kind: 'cleanup.step', detail: { step: label, outcome: 'done' } });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.journal.append({ ...this.base(step.id, step.description), kind: 'undo-failed', undo: step.undo, error: message });
        this.emit({ kind: 'cleanup.step', detail: { step: label, outcome: 'failed', error: message } });
      }
    }
  }

  private base(id: number, description: string) {
    return {
      runId: this.context.runId,
      scenario: this.context.scenario,
      at: new Date(this.context.now()).toISOString(),
      id,
      description,
    };
  }
}

/** How a cleanup step is named in events: the undo's operation and what it undoes. */
function labelOf(step: PendingUndo): string {
  return `${step.undo.operation} (${step.description})`;
}
