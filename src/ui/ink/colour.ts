/**
 * Whether the view colours its text. Ink's chalk decides whether colour
 * codes can be written at all (FORCE_COLOR, a TTY), but the chalk Ink 6.8
 * ships does not read NO_COLOR (https://no-color.org): the view does, and
 * then asks chalk for no colour at all. Nothing here forces colour on.
 */
import { createContext } from 'react';
import type { Tone } from './event-lines.js';

/**
 * false when NO_COLOR is set to anything but the empty string, unless
 * FORCE_COLOR says otherwise (as Node's own tty.getColorDepth ranks them).
 */
export function colourWanted(env: Record<string, string | undefined>): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  const noColor = env['NO_COLOR'];
  return noColor === undefined || noColor === '';
}

export const ColourContext = createContext(true);

/** Tones as colours; 'plain' and 'dim' are no colour (dim is a weight). */
export const TONE_COLOURS: Record<Tone, string | undefined> = {
  plain: undefined,
  dim: undefined,
  ok: 'green',
  warn: 'yellow',
  bad: 'red',
  accent: 'cyan',
};
