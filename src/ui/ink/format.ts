/**
 * Text the panels share: figures, clocks and marks. Plain functions, so a
 * panel stays a layout of strings whose width the layout can count.
 */
import type { Speed } from '../../clock/types.js';
import { formatSeconds } from '../../harness/duration.js';

export { formatSeconds };

/** `6m12s`, `15m`, `1h30m`, `4.2s`: figures in the scenario list, where a column is narrow. */
export function shortSeconds(seconds: number): string {
  if (seconds < 59.95) return `${Number(seconds.toFixed(1))}s`;
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  if (h > 0) return m > 0 ? `${h}h${m}m` : `${h}h`;
  return s > 0 ? `${m}m${s}s` : `${m}m`;
}

/** `t+04:12`, `t+1:02:03`: virtual seconds since the scenario started, as the plain renderer prints them. */
export function scenarioClock(t: number): string {
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = Math.floor(t % 60);
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `t+${h}:${mm}:${ss}` : `t+${mm}:${ss}`;
}

export function speedLabel(speed: Speed): string {
  return speed === 'max' ? 'max' : `${speed}×`;
}

/** `2 writes`, `1 write`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * The steps `+` and `-` move along: round factors a person can read in the
 * header, ending at `max` (as fast as the sim goes), which `--speed` also takes.
 */
export const SPEED_LADDER: readonly Speed[] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 'max'];

/** The next speed up (`+1`) or down (`-1`) the ladder; a speed between rungs moves to the nearest rung that way. */
export function nextSpeed(speed: Speed, direction: 1 | -1): Speed {
  const asNumber = (s: Speed) => (s === 'max' ? Number.POSITIVE_INFINITY : s);
  const current = asNumber(speed);
  if (direction > 0) return SPEED_LADDER.find((rung) => asNumber(rung) > current) ?? 'max';
  return [...SPEED_LADDER].reverse().find((rung) => asNumber(rung) < current) ?? SPEED_LADDER[0]!;
}

/** `text` cut to `width` columns with an ellipsis, or padded to it, so what follows lines up. */
export function fit(text: string, width: number): string {
  if (text.length <= width) return text.padEnd(width);
  return `${text.slice(0, Math.max(0, width - 1))}…`;
}

/**
 * Columns a string takes on a terminal: one a code point, two for the East
 * Asian wide and emoji ranges. A cheap stand-in for string-width, whose
 * grapheme segmentation Ink runs on every line it has to wrap (most of what
 * printing a scenario's log cost): text measured here is wrapped before Ink
 * sees it. Should it count a rare character short, Ink wraps the line
 * itself, so the screen is right either way.
 */
export function cellWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    // Combining marks, the zero-width joiner, variation selectors: no column of their own.
    if ((code >= 0x300 && code <= 0x36f) || code === 0x200d || (code >= 0xfe00 && code <= 0xfe0f)) continue;
    if (code < 0x1100) width += 1;
    else if (
      code <= 0x115f ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) ||
      (code >= 0x1f300 && code <= 0x1faff) ||
      (code >= 0x20000 && code <= 0x3fffd)
    ) {
      width += 2;
    } else width += 1;
  }
  return width;
}

/** `text` cut into lines of at most `width` columns at spaces; a word longer than a line is cut where each line ends. */
export function wrapWords(text: string, width: number): string[] {
  const room = Math.max(1, width);
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const word of text.split(' ')) {
    const size = cellWidth(word);
    if (used > 0 && used + 1 + size <= room) {
      line += ` ${word}`;
      used += 1 + size;
      continue;
    }
    if (used > 0) lines.push(line);
    let rest = word;
    let restWidth = size;
    while (restWidth > room) {
      let cut = '';
      let cutWidth = 0;
      for (const char of rest) {
        const w = cellWidth(char);
        // At least one character a line, even one wider than the line.
        if (cut !== '' && cutWidth + w > room) break;
        cut += char;
        cutWidth += w;
      }
      lines.push(cut);
      rest = rest.slice(cut.length);
      restWidth -= cutWidth;
    }
    line = rest;
    used = restWidth;
  }
  lines.push(line);
  return lines;
}
