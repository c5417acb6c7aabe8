import { World, type IWorldOptions } from '@cucumber/cucumber';
import { ExitCode, exitCodeOf } from '../src/errors.js';
import { type EmitEvent, EVENT_MEDIA_TYPE, type ScenarioContext, type TimelineEvent } from '../src/harness/index.js';

/** Run-wide settings, as JSON: cucumber hands them to every worker under --parallel. */
export interface GameDayParameters {
  runId: string;
  cwd: string;
  /** --env: one environment file for every scenario, relative to cwd. */
  envOverride?: string;
  /** Otherwise: environment name → file, relative to cwd (as messages show it). */
  envFiles: Record<string, string>;
  seed: number;
  speed: 'max' | number;
  journalFile: string;
  /**
   * Who each selected scenario is, by `uri:line` of its pickle (an outline's
   * example row): its stable id and the key its seed derives from (run/identity.ts).
   */
  scenarios: Record<string, { id: string; identityKey: string }>;
}

/**
 * One scenario's world: the ScenarioContext (target, clock, cleanup,
 * objectives) and the emitter that turns timeline events into cucumber
 * attachments, so the UI and the report read them from the message stream.
 */
export class GameDayWorld extends World<GameDayParameters> {
  ctx: ScenarioContext | undefined;
  /** The most severe exit code an error of this scenario asks for (bad input: 2, a safety guard: 3). */
  exitCode: 2 | 3 | undefined;
  /** Target-clock ms at which the running step started. */
  stepStartedAt: number | undefined;
  /** Stops the run's interrupt reaching this scenario's own signal (the After hook calls it). */
  releaseInterrupt: (() => void) | undefined;

  constructor(options: IWorldOptions<GameDayParameters>) {
    super(options);
  }

  /** The emitter for this scenario; `startedAt` is t = 0 on the target's clock. */
  emitter(now: () => number, startedAt: number): EmitEvent {
    return (event) => {
      const at = now();
      const full = { ...event, at: new Date(at).toISOString(), t: (at - startedAt) / 1000 } as TimelineEvent;
      void this.attach(JSON.stringify(full), EVENT_MEDIA_TYPE);
    };
  }

  /** Remember what an error that ends the scenario means for the run's exit code, and let it go on. */
  noteError(error: unknown): void {
    const code = exitCodeOf(error);
    if (code === ExitCode.refusedBySafetyGuard || (code === ExitCode.badInput && this.exitCode === undefined)) this.exitCode = code;
  }

  get scenario(): ScenarioContext {
    if (!this.ctx) throw new Error('the scenario has no game-day context: its Before hook did not run');
    return this.ctx;
  }
}
