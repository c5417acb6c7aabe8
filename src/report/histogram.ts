/**
 * The histogram of an objective's figures over a run's samples: what
 * results.json keeps (ObjectiveDistribution.histogram), and the text the
 * plain output draws of it. The HTML report draws the same bins as SVG
 * (html/SampleHistogram.tsx).
 *
 * The bin edges are laid on a grid through the target, so that the target
 * is always an edge: every bin is then wholly met or wholly breached, and
 * the target line falls between bins, never across one. Bins hold
 * (to − width, to], closed above as the verdict is (a figure equal to its
 * target meets it).
 */
import { formatSeconds } from '../harness/duration.js';
import type { Histogram } from './types.js';

/** At most this many bins: enough to show a shape, few enough for a line each in a CI log. */
export const MAX_BINS = 12;

/** Bin widths people read at a glance: seconds, then minutes, then hours. */
const WIDTHS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** Which bin a figure falls in: the number of widths its bin's upper edge is above the target. */
function binOf(seconds: number, targetSeconds: number, width: number): number {
  // The epsilon keeps a figure on an edge in the bin below it despite floating point.
  return Math.ceil((seconds - targetSeconds) / width - 1e-9);
}

/**
 * The histogram of the recovered figures (`measured`, in any order) against
 * the target; none when no sample recovered. Unrecovered samples are not in
 * it: ObjectiveDistribution.unrecovered counts them.
 */
export function histogramOf(measured: readonly number[], targetSeconds: number): Histogram | undefined {
  if (measured.length === 0) return undefined;
  const min = Math.min(...measured);
  const max = Math.max(...measured);
  const fits = (width: number) => binOf(max, targetSeconds, width) - binOf(min, targetSeconds, width) + 1 <= MAX_BINS;
  let width = WIDTHS.find(fits);
  for (width ??= WIDTHS.at(-1)! * 2; !fits(width); ) width *= 2;
  const first = binOf(min, targetSeconds, width);
  const counts = new Array<number>(binOf(max, targetSeconds, width) - first + 1).fill(0);
  for (const seconds of measured) counts[binOf(seconds, targetSeconds, width) - first]!++;
  return { binSeconds: width, bins: counts.map((count, i) => ({ toSeconds: targetSeconds + (first + i) * width, count })) };
}

/** A bin as a person reads it: "1 min 10 s – 1 min 20 s", or "0 s" for the bin that holds only zero. */
export function binLabel(toSeconds: number, binSeconds: number): string {
  if (toSeconds <= 0) return formatSeconds(0);
  return `${formatSeconds(Math.max(0, toSeconds - binSeconds))} – ${formatSeconds(toSeconds)}`;
}

/** The widest bar of the text histogram, in characters. */
const BAR = 30;

/**
 * The text histogram: a line per bin (its range, a bar of █, its count), a
 * dashed line where the target is (above it: met), and the samples that did
 * not recover on a line of their own. Plain characters, so it survives a CI
 * log; `indent` goes before every line.
 */
export function histogramLines(
  histogram: Histogram,
  distribution: { targetSeconds: number; unrecovered: number },
  indent = '',
): string[] {
  const rows = histogram.bins.map((bin) => ({ label: binLabel(bin.toSeconds, histogram.binSeconds), count: bin.count, to: bin.toSeconds }));
  if (distribution.unrecovered > 0) rows.push({ label: 'not recovered', count: distribution.unrecovered, to: Number.POSITIVE_INFINITY });
  const most = Math.max(...rows.map((r) => r.count));
  const labelWidth = Math.max(...rows.map((r) => r.label.length));
  const line = (row: (typeof rows)[number]) => {
    const bar = row.count === 0 ? '' : '█'.repeat(Math.max(1, Math.round((row.count / most) * BAR)));
    return `${indent}${row.label.padStart(labelWidth)} │${bar}${bar ? ' ' : ''}${row.count}`;
  };
  const target = `${indent}${''.padStart(labelWidth)} ┼┄┄ target ${formatSeconds(distribution.targetSeconds)} ┄┄ (met above, breached below)`;
  const lines: string[] = [];
  let marked = false;
  for (const row of rows) {
    // Bins end on the target's grid: the line goes before the first bin above the target.
    if (!marked && row.to > distribution.targetSeconds + 1e-9) {
      lines.push(target);
      marked = true;
    }
    lines.push(line(row));
  }
  if (!marked) lines.push(target);
  return lines;
}
