/**
 * What of the live region fits the terminal. Ink redraws the live region in
 * place until a frame is as tall as the terminal; from then on it clears the
 * whole screen, scrollback included, on every frame (ink.js: `outputHeight
 * >= stdout.rows` → `clearTerminal`). So the live region is budgeted by
 * rows and cut to fit, and every line of it is cut to the columns (a wrapped
 * line would be a row the budget did not count).
 */

/** The sections of the live region, in the order they are kept when rows run short (the last is dropped first). */
export type SectionId =
  | 'header'
  | 'keys'
  | 'note'
  | 'title'
  | 'budget'
  | 'rpo'
  | 'steps'
  | 'scenarios'
  | 'others'
  | 'fis'
  | 'probes'
  | 'tail'
  | 'cleanup'
  | 'left';

export interface SectionDemand {
  id: SectionId;
  /** Lines it would use, given all the room it wants. */
  want: number;
  /** Lines it needs to say anything useful; granted first, in order, while rows last. */
  min: number;
}

export type Allocation = Partial<Record<SectionId, number>>;

/**
 * Rows the live region may use: two fewer than the terminal's. One because
 * Ink writes a newline after the frame (the cursor's row); one spare, because
 * a frame one row too tall costs the person their scrollback, and a glyph a
 * terminal draws wider than we count could push a line over.
 */
export function liveRows(rows: number): number {
  return Math.max(1, rows - 2);
}

/** Below this many columns the probe strip and the event tail have too little room to say anything; they go first. */
export const NARROW_COLUMNS = 72;

/**
 * Share `budget` rows among sections: first each section's `min` in priority
 * order while rows last, then the rest of what each wants, again in order.
 */
export function allocate(budget: number, demands: readonly SectionDemand[]): Allocation {
  const given: Allocation = {};
  let left = budget;
  for (const demand of demands) {
    const lines = Math.min(demand.min, demand.want, left);
    given[demand.id] = lines;
    left -= lines;
  }
  for (const demand of demands) {
    const lines = Math.min(demand.want - (given[demand.id] ?? 0), left);
    given[demand.id] = (given[demand.id] ?? 0) + lines;
    left -= lines;
  }
  return given;
}

export function totalLines(allocation: Allocation): number {
  return Object.values(allocation).reduce((sum, lines) => sum + lines, 0);
}

/** A piece of a line that must not be cut in the middle (a figure, a name). */
export interface Chip {
  text: string;
}

/** Chips joined by ` · ` into as few lines of `width` as they fit, in order; a chip wider than a line gets one of its own (cut when drawn). */
export function packChips<C extends Chip>(chips: readonly C[], width: number): C[][] {
  const lines: C[][] = [];
  let used = 0;
  for (const chip of chips) {
    const line = lines[lines.length - 1];
    if (line && used + 3 + chip.text.length <= width) {
      line.push(chip);
      used += 3 + chip.text.length;
    } else {
      lines.push([chip]);
      used = chip.text.length;
    }
  }
  return lines;
}

/** What the running view has to show; sizes in lines. */
export interface RunningDemand {
  /** Lines the header needs at this width (it is always shown whole). */
  header: number;
  /** Scenarios in the plan. */
  scenarios: number;
  /** Running scenarios besides the one shown in detail (--parallel). */
  others: number;
  /** Whether a scenario is shown in detail (none between scenarios and after the run). */
  focused: boolean;
  steps: number;
  /** Experiment and recovery-action lines. */
  fis: number;
  budget: boolean;
  rpo: boolean;
  probes: boolean;
  tail: number;
  noteOpen: boolean;
  /** Lines of the abort view (the cleanup list) while aborting; replaces the scenario detail. */
  cleanup?: number;
  /** Lines of the "what is left" view after a second Ctrl-C. */
  left?: number;
}

export function planLiveRegion(size: { columns: number; rows: number }, demand: RunningDemand): Allocation {
  const narrow = size.columns < NARROW_COLUMNS;
  const detail = demand.focused && demand.cleanup === undefined && demand.left === undefined;
  const demands: SectionDemand[] = [
    { id: 'header', want: demand.header, min: demand.header },
    { id: 'keys', want: 1, min: 1 },
    { id: 'note', want: demand.noteOpen ? 1 : 0, min: 1 },
    { id: 'left', want: demand.left ?? 0, min: 4 },
    { id: 'cleanup', want: demand.cleanup ?? 0, min: 4 },
    { id: 'title', want: detail ? 1 : 0, min: 1 },
    { id: 'budget', want: detail && demand.budget ? 1 : 0, min: 1 },
    { id: 'rpo', want: detail && demand.rpo ? 1 : 0, min: 1 },
    { id: 'steps', want: detail ? demand.steps : 0, min: 3 },
    { id: 'scenarios', want: demand.scenarios, min: 2 },
    { id: 'others', want: demand.others, min: 2 },
    { id: 'fis', want: detail ? demand.fis : 0, min: 2 },
    { id: 'probes', want: detail && demand.probes && !narrow ? 1 : 0, min: 1 },
    { id: 'tail', want: detail && !narrow ? demand.tail : 0, min: 1 },
  ];
  return allocate(liveRows(size.rows), demands);
}

/**
 * Which of `count` items fit `lines` rows with item `focus` and the one before
 * it among them: items `[start, end)`, plus a row each saying how many are
 * cut before and after (`before`/`after`, 0 when no such row is shown).
 */
export function windowAround(count: number, focus: number, lines: number): { start: number; end: number; before: number; after: number } {
  if (count <= lines) return { start: 0, end: count, before: 0, after: 0 };
  if (lines <= 0) return { start: 0, end: 0, before: 0, after: 0 };
  const at = Math.min(Math.max(focus, 0), count - 1);
  for (let inner = lines; inner >= 1; inner--) {
    const start = Math.max(0, Math.min(at - 1, count - inner));
    const end = start + inner;
    const markers = (start > 0 ? 1 : 0) + (end < count ? 1 : 0);
    if (inner + markers <= lines) return { start, end, before: start, after: count - end };
  }
  // One row, and items on both sides: the focused item alone says most.
  return { start: at, end: at + 1, before: 0, after: 0 };
}
