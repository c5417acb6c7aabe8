import { abortRows, CleanupView, leftRows } from './CleanupView.js';
import { Header, headerLines } from './Header.js';
import { planLiveRegion } from './layout.js';
import { Line } from './Line.js';
import { NoteInput } from './NoteInput.js';
import { fisLines, RunningScenario, ScenarioOneLiner } from './RunningScenario.js';
import { ScenarioList } from './ScenarioList.js';
import { Span } from './Span.js';
import { focusedScenario, rtoBudget, type ScenarioView, type ViewState } from './state.js';

/** Which sim keys do something: the CLI passes the callbacks, and only the sim's clock can be paced or paused. */
export interface KeyAbilities {
  speed: boolean;
  pause: boolean;
}

/**
 * Everything Ink redraws in place, under the printed blocks: never taller
 * than the terminal allows (layout.ts), never wider than its columns.
 */
export function LiveRegion({ view, abilities }: { view: ViewState; abilities: KeyAbilities }) {
  if (view.finished) return null;
  const width = Math.max(20, view.terminal.columns);
  const focused = focusedScenario(view);
  const cleanup = view.interrupts === 1 ? abortRows(view) : undefined;
  const left = view.interrupts >= 2 ? leftRows(view) : undefined;
  const others = view.running.filter((id) => id !== focused?.id).map((id) => view.scenarios.get(id)!);
  const lines = planLiveRegion(view.terminal, {
    header: headerLines(view, width).length,
    scenarios: view.order.length,
    others: others.length,
    focused: focused !== undefined,
    steps: focused?.steps.length ?? 0,
    fis: focused ? fisLines(focused) : 0,
    budget: focused !== undefined && rtoBudget(focused) !== undefined,
    rpo: focused !== undefined && wantsRpoLine(focused),
    probes: (focused?.probes.length ?? 0) > 0,
    tail: focused?.recent.length ?? 0,
    noteOpen: view.noteDraft !== null,
    ...(cleanup ? { cleanup: cleanup.length } : {}),
    ...(left ? { left: left.length } : {}),
  });
  return (
    <>
      {lines.header ? <Header view={view} width={width} /> : null}
      <ScenarioList view={view} width={width} lines={lines.scenarios ?? 0} />
      {others.slice(0, lines.others ?? 0).map((scenario) => (
        <ScenarioOneLiner key={scenario.id} scenario={scenario} width={width} />
      ))}
      {left ? <CleanupView rows={left} lines={lines.left ?? 0} width={width} /> : null}
      {cleanup ? <CleanupView rows={cleanup} lines={lines.cleanup ?? 0} width={width} /> : null}
      {focused && !cleanup && !left ? <RunningScenario scenario={focused} lines={lines} width={width} /> : null}
      {view.noteDraft !== null && lines.note ? <NoteInput draft={view.noteDraft} width={width} /> : null}
      {lines.keys && !view.closed ? <Keys view={view} abilities={abilities} width={width} /> : null}
    </>
  );
}

function wantsRpoLine(scenario: ScenarioView): boolean {
  return scenario.canaries.length > 0 || scenario.rpo !== undefined || scenario.targets.rpoSeconds !== undefined;
}

function Keys({ view, abilities, width }: { view: ViewState; abilities: KeyAbilities; width: number }) {
  if (view.interrupts >= 2) {
    return (
      <Line width={width}>
        <Span tone="dim">{view.interrupts === 3 ? 'cleanup abandoned: gameday stops now (exit 130)' : 'Ctrl-C again: abandon cleanup, exit 130 at once · n note'}</Span>
      </Line>
    );
  }
  if (view.interrupts === 1) {
    return (
      <Line width={width}>
        <Span tone="dim">Ctrl-C again: see what is left (cleanup goes on) · n note</Span>
      </Line>
    );
  }
  const keys = ['q abort', 'n note'];
  if (abilities.speed) keys.push('+/- speed');
  if (abilities.pause) keys.push(`space ${view.paused ? 'resume' : 'pause'}`);
  return (
    <Line width={width}>
      <Span tone="dim">{keys.join(' · ')}</Span>
    </Line>
  );
}
