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
