import type { ObjectiveCheck } from '../types.js';
import { duration, measured, px } from './format.js';
import { MetBadge } from './StatusBadge.js';
import type { ObjectiveTargets } from './types.js';

const WIDTH = 600;
const BAR_Y = 8;
const BAR_H = 14;

/** Each objective measured, as a bar against its target: the figure, its resolution, the sim's truth, the verdict. */
export function ObjectiveBars({ objectives, targets }: { objectives: ObjectiveCheck[]; targets: ObjectiveTargets | null }) {
  if (objectives.length === 0) {
    return targets ? (
      <p className="warn">
        ⚠ Objectives set (RTO {duration(targets.rtoSeconds)}, RPO {duration(targets.rpoSeconds)}) but not measured: the scenario ended before its objective steps.
      </p>
    ) : (
      <p className="muted">This scenario measures no recovery objective.</p>
    );
  }
  return (
    <div className="objectives">
      {objectives.map((objective, index) => (
        <ObjectiveBar key={index} objective={objective} />
      ))}
    </div>
  );
}

function ObjectiveBar({ objective }: { objective: ObjectiveCheck }) {
  const name = objective.objective.toUpperCase();
  const value = objective.measuredSeconds ?? objective.observedSeconds ?? objective.targetSeconds;
  const scale = Math.max(objective.targetSeconds, value + objective.resolutionSeconds, objective.truthSeconds ?? 0, 1) * 1.1;
  const x = (seconds: number) => (Math.min(seconds, scale) / scale) * WIDTH;
  const notRecovered = objective.measuredSeconds === null;
  const barClass = notRecovered ? 'bar-unknown' : objective.met ? 'bar-met' : 'bar-breached';
  const label = `${name} of ${objective.subject}: ${measured(objective)} against a target of ${duration(objective.targetSeconds)}, ${objective.met ? 'met' : 'breached'}${
    objective.truthSeconds !== undefined ? `; simulator's truth ${duration(objective.truthSeconds)}` : ''
  }`;
  const measuredX = x(value);
  return (
    <div className="objective">
      <div className="what">
        <div>
          <strong>{name}</strong> {objective.subject}{' '}
          <span className="muted small">{objective.scenarioObjective ? '(the scenario’s objective)' : '(limit stated by the step)'}</span>
        </div>
        <div>
          <strong>{measured(objective)}</strong> vs target {duration(objective.targetSeconds)} <MetBadge met={objective.met} />
        </div>
        {objective.truthSeconds !== undefined || objective.lostWrites !== undefined ? (
          <div className="muted small">
            {objective.truthSeconds !== undefined ? `truth ${duration(objective.truthSeconds)}` : ''}
            {objective.truthSeconds !== undefined && objective.lostWrites !== undefined ? ' · ' : ''}
            {objective.lostWrites !== undefined ? `${objective.lostWrites} acknowledged ${objective.lostWrites === 1 ? 'write' : 'writes'} lost` : ''}
          </div>
        ) : null}
      </div>
      <svg viewBox={`0 0 ${WIDTH} 34`} role="img" aria-label={label}>
        <title>{label}</title>
        <rect className="bar-track" x="0" y={BAR_Y} width={WIDTH} height={BAR_H} rx="2" />
        {measuredX > 0 ? <rect className={barClass} x="0" y={BAR_Y} width={px(Math.max(measuredX, 2))} height={BAR_H} rx="2" /> : null}
        {objective.measuredSeconds !== null && objective.resolutionSeconds > 0 ? (
          <path
            className="whisker"
            d={`M${px(x(Math.max(0, value - objective.resolutionSeconds)))} ${BAR_Y + BAR_H / 2}H${px(x(value + objective.resolutionSeconds))}M${px(x(Math.max(0, value - objective.resolutionSeconds)))} ${BAR_Y + 3}v${BAR_H - 6}M${px(x(value + objective.resolutionSeconds))} ${BAR_Y + 3}v${BAR_H - 6}`}
          />
        ) : null}
        {objective.truthSeconds !== undefined ? <circle className="truth" cx={px(x(objective.truthSeconds))} cy={BAR_Y + BAR_H / 2} r="3.5" /> : null}
        <line className="target-line" x1={px(x(objective.targetSeconds))} x2={px(x(objective.targetSeconds))} y1={BAR_Y - 5} y2={BAR_Y + BAR_H + 5} />
        <text x={px(x(objective.targetSeconds))} y={BAR_Y + BAR_H + 15} textAnchor={x(objective.targetSeconds) > WIDTH - 60 ? 'end' : x(objective.targetSeconds) < 40 ? 'start' : 'middle'} className="muted-text">
          target {duration(objective.targetSeconds)}
        </text>
      </svg>
    </div>
  );
}
