import type { ScenarioStatus } from '../types.js';
import { STATUS_GLYPH, STATUS_WORD } from './format.js';

/** A status as shape and word (✔ passed, ✘ failed, ○ not run), coloured as well but never only coloured. */
export function StatusBadge({ status }: { status: ScenarioStatus }) {
  return (
    <span className={`st-${status} nowrap`}>
      {STATUS_GLYPH[status]} {STATUS_WORD[status]}
    </span>
  );
}

/** An objective's verdict: `✔ met` or `✘ BREACHED`. */
export function MetBadge({ met }: { met: boolean }) {
  return <span className={met ? 'ok nowrap' : 'bad nowrap'}>{met ? '✔ met' : '✘ BREACHED'}</span>;
}
