import { Line } from './Line.js';
import { Span } from './Span.js';
import { fit, shortSeconds } from './format.js';
import { objectiveCell, scenarioMark } from './marks.js';
import { rtoBudget, type ObjectiveFigure, type ScenarioView, type ViewState } from './state.js';

/**
 * The plan, one line a scenario: its mark, and its RTO/RPO against target
 * once known. Cut to `lines`: running scenarios first, then those next in
 * line, then the latest finished (the others are in the blocks above).
 */
/** ` RTO 21m30s/15m ✘`: room for one objective's figures. */
const FIGURE_WIDTH = 18;

export function ScenarioList({ view, width, lines }: { view: ViewState; width: number; lines: number }) {
  if (lines <= 0) return null;
  const all = view.order.map((id) => view.scenarios.get(id)!);
  const shown = pickScenarios(all, lines);
  const hidden = all.length - shown.length;
  const figuresWidth = width >= 70 ? 2 * FIGURE_WIDTH : 0;
  const nameWidth = Math.max(10, width - 2 - figuresWidth);
  return (
    <>
      {shown.map((scenario) => (
        <ScenarioRow key={scenario.id} scenario={scenario} width={width} nameWidth={nameWidth} figures={figuresWidth > 0} />
      ))}
      {hidden > 0 ? <Line width={width}>{hiddenSummary(all, shown)}</Line> : null}
    </>
  );
}

function ScenarioRow({ scenario, width, nameWidth, figures }: { scenario: ScenarioView; width: number; nameWidth: number; figures: boolean }) {
  const mark = scenarioMark(scenario.state);
  return (
    <Line width={width}>
      <Span tone={mark.tone}>{mark.glyph}</Span> {fit(scenario.name, nameWidth)}
      {figures ? <Figures scenario={scenario} /> : null}
    </Line>
  );
}

function Figures({ scenario }: { scenario: ScenarioView }) {
  if (scenario.state === 'running') {
    const budget = rtoBudget(scenario);
    const spent = budget?.elapsedSeconds !== undefined ? ` RTO ${Math.floor((budget.elapsedSeconds / budget.targetSeconds) * 100)}% of ${shortSeconds(budget.targetSeconds)}` : '';
    return <Span tone="accent">{` running${spent}`}</Span>;
  }
  return (
    <>
      <Objective label="RTO" figure={scenario.rto} target={scenario.targets.rtoSeconds} />
      <Objective label="RPO" figure={scenario.rpo} target={scenario.targets.rpoSeconds} />
    </>
  );
}

function Objective({ label, figure, target }: { label: string; figure: ObjectiveFigure | undefined; target: number | undefined }) {
  if (figure) {
    const cell = objectiveCell(figure);
    return <Span tone={cell.tone}>{` ${label} ${cell.text}`.padEnd(FIGURE_WIDTH)}</Span>;
  }
  return <Span tone="dim">{(target !== undefined ? ` ${label} –/${shortSeconds(target)}` : '').padEnd(FIGURE_WIDTH)}</Span>;
}

/** `lines` scenarios, in plan order; with a line kept for "… n more" when some must go. */
export function pickScenarios(all: ScenarioView[], lines: number): ScenarioView[] {
  if (all.length <= lines) return all;
  const room = Math.max(0, lines - 1);
  const rank = (s: ScenarioView, index: number): number => {
    if (s.state === 'running') return index;
    if (s.state === 'queued') return all.length + index;
    // Finished: the latest first, after everything still to come.
    return 3 * all.length - index;
  };
  const chosen = new Set(
    all
      .map((scenario, index) => ({ scenario, score: rank(scenario, index) }))
      .sort((a, b) => a.score - b.score)
      .slice(0, room)
      .map((entry) => entry.scenario),
  );
  return all.filter((scenario) => chosen.has(scenario));
}

function hiddenSummary(all: ScenarioView[], shown: ScenarioView[]): string {
  const hidden = all.filter((scenario) => !shown.includes(scenario));
  const done = hidden.filter((s) => s.state !== 'queued' && s.state !== 'running').length;
  const queued = hidden.filter((s) => s.state === 'queued').length;
  const parts = [done ? `${done} done above` : '', queued ? `${queued} more to run` : ''].filter(Boolean);
  return `  … ${parts.join(', ')}`;
}
