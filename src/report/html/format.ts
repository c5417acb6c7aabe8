/**
 * How the report words figures. Nothing here reads the clock or the
 * locale: the same run folder renders the same bytes on any machine.
 */
import { formatSeconds } from '../../harness/duration.js';
import type { ObjectiveResult, ScenarioStatus } from '../types.js';

/** `95.2 s`, `4 min 35 s`, `1 h 30 min`: the terminal's wording. */
export function duration(seconds: number): string {
  return formatSeconds(seconds);
}

/** Scenario time as a clock reading: `0:05`, `4:35`, `1:25:13`. */
export function clock(t: number): string {
  const whole = Math.max(0, Math.round(t));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** An ISO-8601 instant as `2026-02-17 06:00:04 UTC` (seconds are enough for a reader; the data keeps the rest). */
export function instant(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A verdict is carried by a shape and a word as well as a colour. */
export const STATUS_GLYPH: Record<ScenarioStatus, string> = {
  passed: '✔',
  failed: '✘',
  skipped: '○',
  undefined: '?',
  ambiguous: '?',
  pending: '…',
};

export const STATUS_WORD: Record<ScenarioStatus, string> = {
  passed: 'passed',
  failed: 'failed',
  skipped: 'not run',
  undefined: 'undefined step',
  ambiguous: 'ambiguous step',
  pending: 'pending step',
};

/** `4 min 35 s ±5 s`, or `not recovered (watched 1 h 30 min)`. */
export function measured(objective: ObjectiveResult): string {
  if (objective.measuredSeconds === null) {
    return objective.observedSeconds !== undefined ? `not recovered (watched ${duration(objective.observedSeconds)})` : 'not recovered';
  }
  return `${duration(objective.measuredSeconds)} ±${duration(objective.resolutionSeconds)}`;
}

export function metWord(objective: Pick<ObjectiveResult, 'met'>): string {
  return objective.met ? '✔ met' : '✘ BREACHED';
}

/** A short, readable form of a number for SVG coordinates: one decimal is a tenth of a pixel. */
export function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}
