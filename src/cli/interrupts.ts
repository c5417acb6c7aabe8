import type { Writable } from 'node:stream';
import { join, relative } from 'node:path';
import { pendingLabel, pendingUndos, RunFolder } from '../run/index.js';

/**
 * What Ctrl-C does during `gameday run` (SIGINT or SIGTERM, or the live
 * view's Ctrl-C and `q`), whoever it came from:
 *
 *   1. stop safely: experiments stop, each scenario's cleanup undoes what it
 *      did, and the run exits 130 after cleanup. Said at once.
 *   2. cleanup goes on; say what is still to undo (the run's journal) and the
 *      command that would finish it, should the person not wait.
 *   3. abandon: exit 130 at once, saying the command again.
 *
 * Before this, the second Ctrl-C killed the process silently, mid-cleanup,
 * with experiments still running and nothing said about them.
 */

export const FIRST_INTERRUPT_LINE = 'interrupt: stopping experiments and cleaning up (Ctrl-C again to see what is left)';

/** Where the run is, once it has started (`run.started`). */
export interface RunWhere {
  dir: string;
  target: 'sim' | 'aws';
}

/** What a cleanup stopped now would leave: the journal's pending undos, named as cleanup events name them. */
export interface LeftBehind {
  undos: string[];
  simulator: boolean;
  /** Why the journal could not be read (a line being written as it was read). */
  error?: string;
}

/** The undos the run folder's journal still holds pending, newest first. */
export async function leftInJournal(cwd: string, where: RunWhere): Promise<LeftBehind> {
  const simulator = where.target === 'sim';
  try {
    const folder = await RunFolder.open(cwd, where.dir);
    const undos = pendingUndos(await folder.readJournal()).map(pendingLabel);
    return { undos, simulator };
  } catch (error) {
    return { undos: [], simulator, error: (error as Error).message };
  }
}

/** A path as the person can type it from where they are: relative below the working directory, else whole. */
function shown(cwd: string, path: string): string {
  const near = relative(cwd, path);
  return near && !near.startsWith('..') ? near : path;
}

/** `gameday cleanup <dir>`: what finishes an abandoned cleanup. */
export function cleanupCommand(cwd: string, dir: string): string {
  return `gameday cleanup ${shown(cwd, dir)}`;
}

const ON_THE_SIMULATOR = 'on the simulator nothing is left on a real account: its state ends with the process';

/** The lines a second Ctrl-C prints in plain mode. */
export function leftLines(cwd: string, where: RunWhere | undefined, left: LeftBehind | undefined): string[] {
  const lines = ['interrupt: cleanup goes on; Ctrl-C again abandons it (exit 130 at once)'];
  if (!where || !left) return [...lines, '  no scenario had started: nothing to undo'];
  const journal = shown(cwd, join(where.dir, 'journal.ndjson'));
  if (left.error) lines.push(`  could not read ${journal}: ${left.error}`);
  else if (left.undos.length === 0) lines.push('  the journal holds no pending undo: cleanup is finishing');
  else {
    lines.push(`  still to undo (${journal}, newest first):`);
    for (const undo of left.undos) lines.push(`    ○ ${undo}`);
  }
  lines.push(left.simulator ? `  ${ON_THE_SIMULATOR}` : `  if abandoned, finish it with: ${cleanupCommand(cwd, where.dir)}`);
  return lines;
}

/** The line a third Ctrl-C prints, as the process goes. */
export function abandonLine(cwd: string, where: RunWhere | undefined): string {
  if (!where) return 'interrupt: abandoned before any scenario started';
  return where.target === 'sim'
    ? `interrupt: cleanup abandoned; ${ON_THE_SIMULATOR}`
    : `interrupt: cleanup abandoned; finish it with: ${cleanupCommand(cwd, where.dir)}`;
}

/** The live view's side of an interrupt (src/ui/ink): it shows each stage itself. */
export interface InterruptView {
  interrupted(): void;
  showLeft(left: { undos: string[]; simulator: boolean; command?: string }): void;
  finish(): Promise<void>;
}

export interface InterruptOptions {
  cwd: string;
  stderr: Writable;
  /** Where the run is, once it started. */
  where(): RunWhere | undefined;
  /** The run's own abort (RunControl.abort), once the run handed it over; the signal reaches the run without it. */
  abort(): void;
  /** End the process now with this code; without it, a third Ctrl-C only says so. */
  exit?: (code: number) => void;
}

/** Counts interrupts from every source and does what each stage says. */
export class Interrupts {
  private count = 0;
  private view: InterruptView | undefined;

  constructor(private readonly options: InterruptOptions) {}

  get pressed(): number {
    return this.count;
  }

  /** The live view is drawn from now on; it is shown the stages pressed before it was. */
  attach(view: InterruptView): void {
    this.view = view;
    for (let i = 0; i < Math.min(this.count, 3); i++) view.interrupted();
  }

  /** The view is gone: stages are printed again. */
  detach(): void {
    this.view = undefined;
  }

  /** One more interrupt. `fromView`: the view's keys, which showed the stage already. */
  async press(fromView = false): Promise<void> {
    this.count++;
    const { cwd, stderr } = this.options;
    const view = this.view;
    if (view && !fromView) view.interrupted();
    switch (this.count) {
      case 1:
        if (!view) stderr.write(`${FIRST_INTERRUPT_LINE}\n`);
        this.options.abort();
        return;
      case 2: {
        const where = this.options.where();
        const left = where ? await leftInJournal(cwd, where) : undefined;
        if (this.view && left) this.view.showLeft({ ...left, ...(where && !left.simulator ? { command: cleanupCommand(cwd, where.dir) } : {}) });
        else if (!this.view) stderr.write(`${leftLines(cwd, where, left).join('\n')}\n`);
        return;
      }
      case 3: {
        // The terminal first: out of raw mode, the cursor back, the last frame left as it was.
        await this.view?.finish();
        stderr.write(`${abandonLine(cwd, this.options.where())}\n`);
        this.options.exit?.(130);
        return;
      }
      default:
        return;
    }
  }
}
