import { duration, px } from './format.js';
import { ticksFor } from './timeline-layout.js';
import type { Trend, TrendPoint } from './types.js';

const WIDTH = 460;
const HEIGHT = 150;
const LEFT = 62;
const RIGHT = 24;
const TOP = 16;
const BOTTOM = 34;

/** RTO and RPO of the scenario over the last runs on the same environment and target, this run circled. */
export function TrendCharts({ trend, environment }: { trend: Trend | null; environment: string }) {
  if (!trend) return null;
  if (trend.points.length < 2) {
    return <p className="muted">No earlier run of this scenario on {environment} in the history: trends start with the next run.</p>;
  }
  return (
    <div className="two-col trend">
      {trend.points.some((p) => p.rto) ? <TrendChart points={trend.points} objective="rto" /> : null}
      {trend.points.some((p) => p.rpo) ? <TrendChart points={trend.points} objective="rpo" /> : null}
    </div>
  );
}

function day(iso: string): string {
  return iso.slice(5, 10);
}

function TrendChart({ points, objective }: { points: TrendPoint[]; objective: 'rto' | 'rpo' }) {
  const name = objective.toUpperCase();
  const figures = points.map((p) => p[objective]);
  const measuredMost = Math.max(0, ...figures.flatMap((f) => (f && f.measuredSeconds !== null ? [f.measuredSeconds] : [])));
  const targetMost = Math.max(0, ...figures.flatMap((f) => (f ? [f.targetSeconds] : [])));
  // A target far above every measurement would flatten them into the baseline: then the scale follows
  // the measurements and the target is named at the top instead of drawn.
  const targetShown = targetMost <= Math.max(measuredMost * 2.5, 1);
  const highest = Math.max(1, measuredMost, targetShown ? targetMost : 0);
  const ticks = ticksFor(highest * 1.15, 3);
  const top = Math.max(highest * 1.15, ticks[ticks.length - 1]!);
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const x = (i: number) => LEFT + (points.length === 1 ? plotW / 2 : (i / (points.length - 1)) * plotW);
  const y = (seconds: number) => TOP + plotH - (Math.min(seconds, top) / top) * plotH;

  let measuredPath = '';
  let targetPath = '';
  figures.forEach((f, i) => {
    if (!f) return;
    if (targetShown) targetPath += `${targetPath ? 'L' : 'M'}${px(x(i))} ${px(y(f.targetSeconds))}`;
    if (f.measuredSeconds !== null) measuredPath += `${measuredPath ? 'L' : 'M'}${px(x(i))} ${px(y(f.measuredSeconds))}`;
  });
  const described = points
    .map((p, i) => {
      const f = figures[i];
      const when = p.current ? 'this run' : day(p.startedAt);
      if (!f) return `${when}: no ${name}`;
      return `${when}: ${f.measuredSeconds === null ? 'not recovered' : duration(f.measuredSeconds)} ${f.met ? 'met' : 'BREACHED'} (target ${duration(f.targetSeconds)})`;
    })
    .join('; ');
  const label = `${name} over the last ${points.length} runs: ${described}`;

  return (
    <figure>
      <figcaption>
        {name} over the last {points.length} runs <span className="small">(● met, ✕ breached, ▲ not recovered, ◯ this run, dashed: target)</span>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label}>
        <desc>{label}</desc>
        {ticks.map((t) => (
          <g key={t}>
            <line className="grid" x1={LEFT} x2={WIDTH - RIGHT} y1={px(y(t))} y2={px(y(t))} />
            <text x={LEFT - 6} y={px(y(t) + 4)} textAnchor="end" className="muted-text">
              {duration(t)}
            </text>
          </g>
        ))}
        {targetPath ? <path className="trend-target" d={targetPath} /> : null}
        {!targetShown ? (
          <text x={WIDTH - RIGHT} y={TOP - 4} textAnchor="end" className="muted-text">
            {`target ${duration(targetMost)}, above the scale`}
          </text>
        ) : null}
        {measuredPath ? <path className="trend-line" d={measuredPath} /> : null}
        {points.map((point, i) => {
          const f = figures[i];
          const cx = x(i);
          const title = `${point.runId}: ${f ? (f.measuredSeconds === null ? 'not recovered' : duration(f.measuredSeconds)) : `no ${name}`}${f ? (f.met ? ', met' : ', BREACHED') : ''}`;
          return (
            <g key={point.runId}>
              {f && f.measuredSeconds === null ? (
                <path className="pt-breached" d={`M${px(cx)} ${TOP}l5 9h-10z`}>
                  <title>{title}</title>
                </path>
              ) : f && f.met ? (
                <circle className="pt-met" cx={px(cx)} cy={px(y(f.measuredSeconds!))} r="4">
                  <title>{title}</title>
                </circle>
              ) : f ? (
                <path className="pt-breached" d={`M${px(cx - 4.5)} ${px(y(f.measuredSeconds!) - 4.5)}l9 9m0 -9l-9 9`}>
                  <title>{title}</title>
                </path>
              ) : null}
              {point.current && f ? <circle className="pt-current" cx={px(cx)} cy={px(f.measuredSeconds === null ? TOP + 5 : y(f.measuredSeconds))} r="8" /> : null}
              <text x={px(cx)} y={HEIGHT - BOTTOM + 16} textAnchor="middle" className={point.current ? 'current-label' : 'muted-text'}>
                {day(point.startedAt)}
              </text>
              {point.current ? (
                <text x={px(cx)} y={HEIGHT - BOTTOM + 28} textAnchor="middle" className="current-label">
                  this run
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
