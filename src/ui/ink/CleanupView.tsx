import type { Tone } from './event-lines.js';
import { Line } from './Line.js';
import { Span } from './Span.js';
import { isExperimentEnded, leftBehind, scenariosCleaningUp, type CleanupStepView, type ViewState } from './state.js';

export interface CleanupRow {
  glyph: string;
  tone: Tone;
  text: string;
  bold?: boolean;
}

/** After the first Ctrl-C (or `q`): each scenario's undo list with each undo's state, and the promise of exit 130. */
export function abortRows(view: ViewState): CleanupRow[] {
  const rows: CleanupRow[] = [{ glyph: '✘', tone: 'warn', bold: true, text: 'ABORTING: stopping experiments, undoing changes; exit 130 after cleanup' }];
  const scenarios = scenariosCleaningUp(view);
  if (scenarios.length === 0) rows.push({ glyph: ' ', tone: 'dim', text: 'nothing left to undo; finishing the run' });
  for (const scenario of scenarios) {
    if (scenarios.length > 1) rows.push({ glyph: '▶', tone: 'accent', text: scenario.name });
    if (!scenario.cleanup) {
      for (const experiment of scenario.experiments.filter((e) => !isExperimentEnded(e))) {
        rows.push({ glyph: '○', tone: 'plain', text: `stop FIS experiment ${experiment.id} (${experiment.fault}, ${experiment.state || 'starting'})` });
      }
      rows.push({ glyph: '…', tone: 'dim', text: 'waiting for the scenario to stop and its cleanup to begin' });
      continue;
    }
    const current = scenario.cleanup.find((step) => step.outcome === 'pending');
    for (const step of scenario.cleanup) rows.push(cleanupRow(step, step === current));
  }
  return rows;
}

function cleanupRow(step: CleanupStepView, current: boolean): CleanupRow {
  switch (step.outcome) {
    case 'pending':
      return current ? { glyph: '▶', tone: 'accent', text: `${step.step}: undoing` } : { glyph: '○', tone: 'dim', text: `${step.step}: pending` };
    case 'done':
      return { glyph: '✔', tone: 'ok', text: `${step.step}: done` };
    case 'skipped':
      return { glyph: '–', tone: 'dim', text: `${step.step}: skipped, no longer needed` };
    case 'left':
      return { glyph: '⚠', tone: 'warn', text: `${step.step}: left as it is (afterScenario: leave)` };
    case 'failed':
      return { glyph: '✘', tone: 'bad', text: `${step.step}: FAILED${step.error ? `: ${step.error}` : ''}` };
  }
}

/** The command that finishes what an interrupted cleanup left. */
export function cleanupCommand(view: ViewState): string {
  return view.run ? `gameday cleanup ${view.run.dir}` : 'gameday cleanup';
}

/**
 * After a second Ctrl-C: cleanup goes on, and this is what would stay
 * changed if the person abandoned it now (a third Ctrl-C), with the command
 * that finishes it then. The undos are the journal's (the CLI reads them,
 * `view.left`), each with the state cleanup has reached since; until they
 * are read, what the events say.
 */
export function leftRows(view: ViewState): CleanupRow[] {
  const simulator = view.left?.simulator ?? view.run?.target === 'sim';
  const rows: CleanupRow[] = [{ glyph: '✘', tone: 'warn', bold: true, text: 'CLEANUP GOES ON; a third Ctrl-C abandons it, leaving what is below' }];
  if (simulator) rows.push({ glyph: '→', tone: 'accent', bold: true, text: 'on the simulator: nothing is left on a real account once gameday ends' });
  else rows.push({ glyph: '→', tone: 'accent', bold: true, text: 'if abandoned, finish it later with:' }, { glyph: ' ', tone: 'accent', bold: true, text: view.left?.command ?? cleanupCommand(view) });
  if (view.left) {
    if (view.left.undos.length === 0) rows.push({ glyph: ' ', tone: 'dim', text: 'the journal holds no pending undo: cleanup is finishing' });
    const states = cleanupStates(view);
    for (const undo of view.left.undos) {
      // Two scenarios may journal the same undo: each journal line takes the next state of its name.
      const at = states.findIndex((state) => state.step === undo);
      const [state] = at >= 0 ? states.splice(at, 1) : [];
      rows.push(journalRow(undo, state));
    }
    return rows;
  }
  const left = leftBehind(view);
  if (left.length === 0) rows.push({ glyph: ' ', tone: 'dim', text: 'reading the journal…' });
  for (const { scenario, undos, experiments } of left) {
    if (left.length > 1) rows.push({ glyph: '▶', tone: 'accent', text: scenario });
    for (const experiment of experiments) rows.push({ glyph: '!', tone: 'warn', text: `FIS experiment ${experiment.id} (${experiment.fault}) still ${experiment.state || 'starting'}` });
    for (const undo of undos) rows.push(journalRow(undo.step, undo));
  }
  return rows;
}

/** Every cleanup step the events told of, in plan order; the first pending one of each scenario is being undone. */
function cleanupStates(view: ViewState): (CleanupStepView & { current: boolean })[] {
  const states: (CleanupStepView & { current: boolean })[] = [];
  for (const id of view.order) {
    const steps = view.scenarios.get(id)?.cleanup ?? [];
    const current = steps.find((step) => step.outcome === 'pending');
    for (const step of steps) states.push({ ...step, current: step === current });
  }
  return states;
}

function journalRow(label: string, state: (CleanupStepView & { current?: boolean }) | undefined): CleanupRow {
  switch (state?.outcome) {
    case 'done':
      return { glyph: '✔', tone: 'ok', text: `${label}: done` };
    case 'skipped':
      return { glyph: '–', tone: 'dim', text: `${label}: skipped, no longer needed` };
    case 'left':
      return { glyph: '⚠', tone: 'warn', text: `${label}: left as it is (afterScenario: leave)` };
    case 'failed':
      return { glyph: '✘', tone: 'bad', text: `${label}: undo FAILED${state.error ? `: ${state.error}` : ''}` };
    default:
      return state?.current ? { glyph: '▶', tone: 'accent', text: `${label}: undoing` } : { glyph: '○', tone: 'plain', text: `${label}: not undone yet` };
  }
}

/** The rows, cut to `lines`: the first rows say what is happening and stay; a last row counts what was cut. */
export function CleanupView({ rows, lines, width }: { rows: CleanupRow[]; lines: number; width: number }) {
  if (lines <= 0) return null;
  const cut = rows.length > lines;
  const shown = cut ? rows.slice(0, Math.max(1, lines - 1)) : rows;
  return (
    <>
      {shown.map((row, index) => (
        <Line key={index} width={width}>
          <Span tone={row.tone} bold={row.bold ?? false}>
            {index === 0 || row.bold ? '' : '  '}
            {row.glyph} {row.text}
          </Span>
        </Line>
      ))}
      {cut && lines > 1 ? <Line width={width}>{`  … ${rows.length - shown.length} more`}</Line> : null}
    </>
  );
}
