import { Text } from 'ink';
import { useContext, type ReactNode } from 'react';
import { ColourContext, TONE_COLOURS } from './colour.js';
import type { Tone } from './event-lines.js';

/** Text in a tone: coloured when colour is wanted, plain otherwise (the words and marks around it carry the meaning either way). */
export function Span({ tone = 'plain', bold, children }: { tone?: Tone | undefined; bold?: boolean; children: ReactNode }) {
  const colour = useContext(ColourContext);
  const color = colour ? TONE_COLOURS[tone] : undefined;
  return (
    <Text {...(color ? { color } : {})} dimColor={colour && tone === 'dim'} bold={bold ?? false}>
      {children}
    </Text>
  );
}
