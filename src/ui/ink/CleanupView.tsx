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
    case 'failed':
      return { glyph: '✘', tone: 'bad', text: `${step.step}: FAILED${step.error ? `: ${step.error}` : ''}` };
  }
}

/** The command that finishes what an interrupted cleanup left. */
export function cleanupCommand(view: ViewState): string {
  return view.run ? `gameday cleanup ${view.run.dir}` : 'gameday cleanup';
}

/** After a second Ctrl-C: what is still changed, and the command that undoes it. */
export function leftRows(view: ViewState): CleanupRow[] {
  const rows: CleanupRow[] = [
    { glyph: '✘', tone: 'bad', bold: true, text: 'CLEANUP INTERRUPTED: what is listed below may still be changed' },
    { glyph: '→', tone: 'accent', bold: true, text: `finish it with: ${cleanupCommand(view)}` },
  ];
  const left = leftBehind(view);
  if (left.length === 0) rows.push({ glyph: ' ', tone: 'dim', text: 'no pending undo that the events mention; run the command above to be sure' });
  for (const { scenario, undos, experiments } of left) {
    if (left.length > 1) rows.push({ glyph: '▶', tone: 'accent', text: scenario });
    for (const experiment of experiments) rows.push({ glyph: '!', tone: 'warn', text: `FIS experiment ${experiment.id} (${experiment.fault}) still ${experiment.state || 'starting'}` });
    for (const undo of undos) {
      rows.push(undo.outcome === 'failed' ? { glyph: '✘', tone: 'bad', text: `${undo.step}: undo FAILED${undo.error ? `: ${undo.error}` : ''}` } : { glyph: '○', tone: 'plain', text: `${undo.step}: not undone` });
    }
  }
  return rows;
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
