/**
 * Marks for states: a glyph and a word, so a verdict reads the same without
 * colour (NO_COLOR, a colour-blind reader, a screenshot in black and white).
 */
import type { Tone } from './event-lines.js';
import type { ObjectiveFigure, ScenarioState, StepState } from './state.js';
import { shortSeconds } from './format.js';

export interface Mark {
  glyph: string;
  word: string;
  tone: Tone;
}

export function scenarioMark(state: ScenarioState): Mark {
  switch (state) {
    case 'queued':
      return { glyph: '○', word: 'queued', tone: 'dim' };
    case 'running':
      return { glyph: '▶', word: 'running', tone: 'accent' };
    case 'passed':
      return { glyph: '✔', word: 'passed', tone: 'ok' };
    case 'skipped':
      return { glyph: '–', word: 'skipped', tone: 'dim' };
    case 'failed':
    case 'undefined':
    case 'ambiguous':
    case 'pending':
      return { glyph: '✘', word: state, tone: 'bad' };
  }
}

export function stepMark(state: StepState): Mark {
  return state === 'queued' ? { glyph: '·', word: 'queued', tone: 'dim' } : scenarioMark(state);
}

/** `6m12s/15m ✔`, or with `words` `none/15m ✘ BREACHED`: an objective in a narrow column. */
export function objectiveCell(figure: ObjectiveFigure, words = false): { text: string; tone: Tone } {
  const measured = figure.measuredSeconds === null ? 'none' : shortSeconds(figure.measuredSeconds);
  const verdict = figure.met ? (words ? '✔ met' : '✔') : words ? '✘ BREACHED' : '✘';
  return { text: `${measured}/${shortSeconds(figure.targetSeconds)} ${verdict}`, tone: figure.met ? 'ok' : 'bad' };
}
