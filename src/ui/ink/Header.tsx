import { Fragment } from 'react';
import { Line } from './Line.js';
import { Span } from './Span.js';
import type { Tone } from './event-lines.js';
import { count, formatSeconds, speedLabel } from './format.js';
import { packChips } from './layout.js';
import { virtualSeconds, wallSeconds, type ViewState } from './state.js';

interface HeaderChip {
  text: string;
  tone?: Tone;
  bold?: boolean;
}

/**
 * The header's lines at `width`: where the run is (environment, target,
 * account, regions, run id), then how far it is (scenario n of m, virtual and
 * wall time, seed, the sim's pace). Each packed into as few lines as fit, so
 * a run id is never cut at 80 columns; the layout asks how many that is.
 */
export function headerLines(view: ViewState, width: number): HeaderChip[][] {
  const run = view.run;
  if (!run) return [[{ text: 'gameday starting…', bold: true }]];
  const where: HeaderChip[] = [{ text: `${run.environment} on ${run.target === 'aws' ? `aws ${run.account ?? '(account unknown)'}` : 'sim'}`, bold: true }];
  if (run.regions.length) where.push({ text: run.regions.join(', ') });
  where.push({ text: `run ${run.runId}` });
  const total = view.order.length;
  const progress: HeaderChip[] = [
    { text: view.finished ? `${count(total, 'scenario')} done` : `scenario ${Math.max(view.started.size, 1)} of ${total}` },
  ];
  if (!view.finished && view.running.length > 1) progress.push({ text: `${view.running.length} running` });
  // Samples after the plain run send no scenario events of their own: their count is the progress.
  if (!view.finished && view.sampling) progress.push({ text: `${view.sampling.done} of ${view.sampling.samples} samples done`, bold: true });
  // A shard's counts are its slice's: say whose, so "3 of 3 samples" is not read as the whole study.
  if (run.shard) progress.push({ text: `shard ${run.shard.index}/${run.shard.count} of the ${run.shard.of}` });
  progress.push({ text: `virtual ${formatSeconds(virtualSeconds(view))}` }, { text: `wall ${formatSeconds(wallSeconds(view))}` }, { text: `seed ${run.seed}` });
  // Under --parallel the scenarios' clocks are in the worker processes: the keys cannot reach them.
  if (run.target === 'sim') progress.push({ text: `speed ${speedLabel(view.speed)}${run.parallel > 0 ? ' (fixed under --parallel)' : ''}` });
  if (view.paused) progress.push({ text: 'PAUSED', tone: 'warn', bold: true });
  if (view.notes > 0) progress.push({ text: count(view.notes, 'note') });
  return [...packChips(where, width), ...packChips(progress, width)];
}

/** Where the run is and how far it has come. */
export function Header({ view, width }: { view: ViewState; width: number }) {
  return (
    <>
      {headerLines(view, width).map((chips, index) => (
        <Line key={index} width={width}>
          {chips.map((chip, at) => (
            <Fragment key={at}>
              {at > 0 ? ' · ' : ''}
              <Span tone={chip.tone} bold={chip.bold ?? false}>
                {chip.text}
              </Span>
            </Fragment>
          ))}
        </Line>
      ))}
    </>
  );
}
