import { BudgetBar } from './BudgetBar.js';
import type { LogLine } from './event-lines.js';
import { formatSeconds, scenarioClock } from './format.js';
import type { Allocation } from './layout.js';
import { windowAround } from './layout.js';
import { Line } from './Line.js';
import { stepMark } from './marks.js';
import { ProbeStrip } from './ProbeStrip.js';
import { RpoLine } from './RpoLine.js';
import { Span } from './Span.js';
import { isExperimentEnded, rtoBudget, stepText, type ActionView, type ExperimentView, type ScenarioView, type StepView } from './state.js';

/** The scenario shown in detail: its steps, FIS and recovery actions, RTO budget, RPO so far, probe strip and latest events. */
export function RunningScenario({ scenario, lines, width }: { scenario: ScenarioView; lines: Allocation; width: number }) {
  const probe = scenario.probes[scenario.probes.length - 1];
  return (
    <>
      {lines.title ? <Title scenario={scenario} width={width} /> : null}
      <Steps scenario={scenario} lines={lines.steps ?? 0} width={width} />
      <Fis scenario={scenario} lines={lines.fis ?? 0} width={width} />
      {lines.budget ? <BudgetBar budget={rtoBudget(scenario)} width={width} /> : null}
      {lines.rpo ? <RpoLine scenario={scenario} width={width} /> : null}
      {lines.probes && probe ? <ProbeStrip probe={probe} width={width} /> : null}
      <EventTail lines={scenario.recent.slice(-(lines.tail ?? 0))} width={width} show={(lines.tail ?? 0) > 0} />
    </>
  );
}

/** How many lines the detail would like, for the layout. */
export function fisLines(scenario: ScenarioView): number {
  return scenario.experiments.length + scenario.actions.length;
}

function Title({ scenario, width }: { scenario: ScenarioView; width: number }) {
  const current = scenario.currentStep;
  const stepOf = current !== undefined ? ` · step ${current + 1} of ${scenario.steps.length}` : '';
  return (
    <Line width={width}>
      <Span tone="accent" bold>
        ▶ {scenario.name}
      </Span>
      <Span tone="dim">{` ${scenarioClock(scenario.now)}${stepOf}`}</Span>
    </Line>
  );
}

function Steps({ scenario, lines, width }: { scenario: ScenarioView; lines: number; width: number }) {
  if (lines <= 0) return null;
  const { steps } = scenario;
  const focus = scenario.currentStep ?? 0;
  const { start, end, before, after } = windowAround(steps.length, focus, lines);
  return (
    <>
      {before ? <Line width={width}>{`  … ${before} earlier step${before === 1 ? '' : 's'}`}</Line> : null}
      {steps.slice(start, end).map((step, index) => (
        <StepRow key={start + index} step={step} now={scenario.now} width={width} />
      ))}
      {after ? <Line width={width}>{`  … ${after} more step${after === 1 ? '' : 's'}`}</Line> : null}
    </>
  );
}

function StepRow({ step, now, width }: { step: StepView; now: number; width: number }) {
  const mark = stepMark(step.state);
  const duration = stepDuration(step, now);
  const text = stepText(step);
  const room = Math.max(10, width - 4 - duration.length - 1);
  return (
    <Line width={width}>
      {'  '}
      <Span tone={mark.tone}>{mark.glyph}</Span> {text.length > room ? `${text.slice(0, room - 1)}…` : text.padEnd(room)}{' '}
      <Span tone="dim">{duration}</Span>
    </Line>
  );
}

/** On the target's clock where known (what a game day measures), else wall time. A running step counts up. */
function stepDuration(step: StepView, now: number): string {
  if (step.state === 'queued') return '';
  if (step.state === 'running') return step.startT !== undefined ? `${formatSeconds(Math.max(0, now - step.startT))}…` : '…';
  if (step.startT !== undefined && step.endT !== undefined) return formatSeconds(step.endT - step.startT);
  return step.wallSeconds !== undefined ? `${formatSeconds(step.wallSeconds)} wall` : '';
}

function Fis({ scenario, lines, width }: { scenario: ScenarioView; lines: number; width: number }) {
  if (lines <= 0) return null;
  const rows: ({ kind: 'experiment'; experiment: ExperimentView } | { kind: 'action'; action: ActionView })[] = [
    ...scenario.experiments.map((experiment) => ({ kind: 'experiment' as const, experiment })),
    ...scenario.actions.map((action) => ({ kind: 'action' as const, action })),
  ];
  // The newest are what is happening now.
  return (
    <>
      {rows.slice(-lines).map((row, index) =>
        row.kind === 'experiment' ? (
          <ExperimentRow key={`e${index}`} experiment={row.experiment} width={width} />
        ) : (
          <ActionRow key={`a${index}`} action={row.action} now={scenario.now} width={width} />
        ),
      )}
    </>
  );
}

function ExperimentRow({ experiment, width }: { experiment: ExperimentView; width: number }) {
  const ended = isExperimentEnded(experiment);
  const tone = experiment.state === 'failed' ? 'bad' : ended ? 'ok' : 'warn';
  const injected = experiment.action ? ` · ${experiment.action}${experiment.region ? ` in ${experiment.region}` : ''}` : '';
  return (
    <Line width={width}>
      {'  FIS '}
      {experiment.id} {experiment.fault}: <Span tone={tone}>{experiment.state || 'starting'}</Span>
      {experiment.reason ? ` (${experiment.reason})` : ''}
      {injected}
    </Line>
  );
}

function ActionRow({ action, now, width }: { action: ActionView; now: number; width: number }) {
  const where = `${action.action} ${action.target}${action.region ? ` (${action.region})` : ''}`;
  if (action.seconds === undefined) {
    return (
      <Line width={width}>
        {'  '}
        <Span tone="accent">→</Span> {where} <Span tone="accent">running {formatSeconds(Math.max(0, now - action.startT))}</Span>
      </Line>
    );
  }
  return (
    <Line width={width}>
      {'  '}
      <Span tone="ok">✔</Span> {where} done in {formatSeconds(action.seconds)}
      {action.outcome ? `: ${action.outcome}` : ''}
    </Line>
  );
}

export function EventTail({ lines, width, show }: { lines: LogLine[]; width: number; show: boolean }) {
  if (!show) return null;
  return (
    <>
      {lines.map((line, index) => (
        <Line key={index} width={width}>
          <Span tone="dim">{line.t !== undefined ? scenarioClock(line.t) : '       '}</Span> <Span tone={line.tone}>{line.mark}</Span> {line.text}
        </Line>
      ))}
    </>
  );
}

/** Another running scenario (--parallel), in one line. */
export function ScenarioOneLiner({ scenario, width }: { scenario: ScenarioView; width: number }) {
  const budget = rtoBudget(scenario);
  const step = scenario.currentStep !== undefined ? ` · step ${scenario.currentStep + 1}/${scenario.steps.length}` : '';
  const spent = budget?.elapsedSeconds !== undefined ? ` · RTO ${Math.floor((budget.elapsedSeconds / budget.targetSeconds) * 100)}%` : '';
  return (
    <Line width={width}>
      <Span tone="accent">▶</Span> {scenario.name}
      <Span tone="dim">{` ${scenarioClock(scenario.now)}${step}${spent}`}</Span>
    </Line>
  );
}
