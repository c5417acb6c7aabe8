import { Line } from './Line.js';
import { Span } from './Span.js';
import type { Tone } from './event-lines.js';
import { formatSeconds } from './format.js';
import type { RtoBudget } from './state.js';

/** How much of the RTO is spent, and how it reads: the colour changes AND a mark appears at 75% and 100%. */
export function budgetStanding(budget: RtoBudget): { fraction: number; tone: Tone; mark: string } {
  const fraction = budget.elapsedSeconds === undefined ? 0 : budget.elapsedSeconds / budget.targetSeconds;
  if (budget.verdict) return { fraction, tone: budget.verdict.met ? 'ok' : 'bad', mark: budget.verdict.met ? '✔ met' : '✘ BREACHED' };
  if (fraction > 1) return { fraction, tone: 'bad', mark: 'OVER' };
  if (fraction >= 0.75) return { fraction, tone: 'warn', mark: '75%!' };
  return { fraction, tone: 'ok', mark: '' };
}

const BAR_MIN = 8;
const BAR_MAX = 40;

/** The RTO budget: time since the incident against the target, as a bar with the figures beside it. */
export function BudgetBar({ budget, width }: { budget: RtoBudget | undefined; width: number }) {
  if (!budget) {
    return (
      <Line width={width}>
        <Span tone="dim">RTO no target set</Span>
      </Line>
    );
  }
  const target = formatSeconds(budget.targetSeconds);
  if (budget.elapsedSeconds === undefined) {
    return (
      <Line width={width}>
        RTO {target} <Span tone="dim">budget starts at the incident</Span>
      </Line>
    );
  }
  const { fraction, tone, mark } = budgetStanding(budget);
  const percent = `${Math.floor(fraction * 100)}%`;
  const verdict = budget.verdict;
  const figures =
    verdict && verdict.measuredSeconds === null
      ? `not recovered after ${formatSeconds(verdict.observedSeconds ?? budget.elapsedSeconds)} of ${target}`
      : `${budget.recovered ? 'recovered in ' : ''}${formatSeconds(budget.elapsedSeconds)}${verdict ? ` ±${formatSeconds(verdict.resolutionSeconds)}` : ''} of ${target}`;
  const text = ` ${figures} ${percent}${mark ? ` ${mark}` : ''}`;
  const barWidth = Math.min(BAR_MAX, width - 4 - text.length);
  const filled = barWidth > 0 ? Math.round(Math.min(fraction, 1) * barWidth) : 0;
  return (
    <Line width={width}>
      RTO{' '}
      {barWidth >= BAR_MIN ? (
        <>
          <Span tone={tone}>{'█'.repeat(filled)}</Span>
          <Span tone="dim">{'░'.repeat(barWidth - filled)}</Span>
        </>
      ) : null}
      <Span tone={mark ? tone : 'plain'}>{text}</Span>
    </Line>
  );
}
