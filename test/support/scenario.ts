import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSimTarget } from '../../src/aws/targets.js';
import { loadEnvironment, type SimEnvironment } from '../../src/env/index.js';
import { CleanupStack, type JournalEntry } from '../../src/harness/cleanup.js';
import type { EmitEvent } from '../../src/harness/events.js';
import { executorFor } from '../../src/harness/journal.js';
import { ScenarioContext } from '../../src/harness/scenario.js';
import type { Target } from '../../src/harness/target.js';

/** The repository root, for the shipped environments and fixtures. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** SecureCart, the environment the shipped features run in. */
export const SECURECART = join(ROOT, 'scenarios/environments/securecart.yaml');

/** A sim environment file, loaded as a run loads it. */
export async function simEnvironment(file = SECURECART): Promise<SimEnvironment> {
  const env = await loadEnvironment(file);
  if (env.target !== 'sim') throw new Error(`${file} is not a sim environment`);
  return env;
}

/** The timeline events a scenario emitted, in order. */
export type Emitted = Parameters<EmitEvent>[0];

export interface SimScenario {
  target: Target;
  ctx: ScenarioContext;
  /** What the scenario emitted (its timeline), in order. */
  events: Emitted[];
  /** The cleanup journal, kept in memory. */
  entries: JournalEntry[];
  interrupt: AbortController;
  /** Run `fn` as an actor on the target's virtual clock (at speed max, time moves while every actor waits). */
  step<T>(fn: () => Promise<T>): Promise<T>;
}

export interface SimScenarioOptions {
  /** A sim environment already loaded (its fields may be changed by the test first); SecureCart when absent. */
  env?: SimEnvironment;
  seed?: number;
  /** Sees each journal entry as it is appended. */
  onJournal?: (entry: JournalEntry) => void;
}

/**
 * One scenario in process on the sim target, as the steps see it (a
 * ScenarioContext over the embedded simulator at speed max), with no
 * cucumber and no child process: for tests of what the harness measures
 * rather than of the CLI. Close it with `target.close()`.
 */
export async function simScenario(options: SimScenarioOptions = {}): Promise<SimScenario> {
  const env = options.env ?? (await simEnvironment());
  const target = createSimTarget({ env, seed: options.seed ?? 42, speed: 'max' });
  const events: Emitted[] = [];
  const entries: JournalEntry[] = [];
  const interrupt = new AbortController();
  const emit: EmitEvent = (event) => events.push(event);
  const journal = {
    append: (entry: JournalEntry) => {
      entries.push(entry);
      options.onJournal?.(entry);
    },
  };
  const cleanup = new CleanupStack(journal, executorFor(target), emit, { runId: 'r1', scenario: 'scenario.feature:3', now: () => target.clock.now() });
  const ctx = new ScenarioContext({ name: 'scenario', uri: 'scenario.feature', line: 3, runId: 'r1' }, target, emit, cleanup, interrupt.signal);
  return { target, ctx, events, entries, interrupt, step: (fn) => target.clock.run('step', fn) };
}
