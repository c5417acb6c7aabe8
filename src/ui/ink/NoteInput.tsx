import { Line } from './Line.js';
import { Span } from './Span.js';

const HINT = '  Enter saves · Esc cancels';

/** The one-line note input; the end of the text stays in sight as it grows. */
export function NoteInput({ draft, width }: { draft: string; width: number }) {
  const prompt = 'note> ';
  const room = Math.max(1, width - prompt.length - HINT.length - 1);
  const visible = draft.length > room ? `…${draft.slice(-(room - 1))}` : draft;
  return (
    <Line width={width}>
      <Span tone="accent" bold>
        {prompt}
      </Span>
      {visible}
      <Span tone="accent">▏</Span>
      <Span tone="dim">{HINT}</Span>
    </Line>
  );
}
