import { binLabel } from '../histogram.js';
import { metText } from '../samples.js';
import type { ObjectiveDistribution, ScenarioSamples } from '../types.js';
import { duration, px } from './format.js';
import { MetBadge } from './StatusBadge.js';

const WIDTH = 600;
/** Room above the bars for their counts, and below for the axis labels. */
const TOP = 14;
const BARS_H = 70;
const BOTTOM = 34;
const GAP = 2;

function figure(seconds: number | null): string {
  return seconds === null ? 'not recovered' : duration(seconds);
}

/**
 * With --samples: each objective's distribution over the samples as a
 * histogram (ObjectiveDistribution.histogram), the target as a line between
 * bins (the bins' edges are laid through it; an arrow where it lies off the
 * axis), the samples that did not recover as a hatched bar of their own at
 * the right.
 */
export function SampleDistributions({ samples }: { samples: ScenarioSamples }) {
  const objectives = (['rto', 'rpo'] as const).flatMap((which) => {
    const distribution = samples[which];
    return distribution ? [{ which, distribution }] : [];
  });
  if (objectives.length === 0) return <p className="muted">No sample measured an objective.</p>;
  return (
    <div className="objectives distributions">
      {objectives.map(({ which, distribution }) => (
        <SampleHistogram key={which} name={which.toUpperCase()} distribution={distribution} confidence={samples.confidence} />
      ))}
    </div>
  );
}

interface Column {
  label: string;
  count: number;
  className: string;
}

export function SampleHistogram({ name, distribution: d, confidence }: { name: string; distribution: ObjectiveDistribution; confidence: number }) {
  const histogram = d.histogram;
  const columns: Column[] = (histogram?.bins ?? []).map((bin) => ({
    label: binLabel(bin.toSeconds, histogram!.binSeconds),
    count: bin.count,
    className: bin.toSeconds <= d.targetSeconds ? 'bar-met' : 'bar-breached',
  }));
  const recoveredColumns = columns.length;
  if (d.unrecovered > 0) columns.push({ label: 'not recovered', count: d.unrecovered, className: 'bar-unknown' });
  // A column's gap before the unrecovered one sets it apart from the axis of seconds.
  const slots = columns.length + (d.unrecovered > 0 && recoveredColumns > 0 ? 0.5 : 0);
  const slot = WIDTH / Math.max(slots, 1);
  const xOf = (index: number) => (index < recoveredColumns ? index : index + (recoveredColumns > 0 ? 0.5 : 0)) * slot;
  const most = Math.max(1, ...columns.map((c) => c.count));
  const baseline = TOP + BARS_H;
  // The target is a bin edge: the line falls between the last met bin and the first breached one.
  const metBins = histogram ? histogram.bins.filter((bin) => bin.toSeconds <= d.targetSeconds + 1e-9).length : 0;
  const targetX = recoveredColumns > 0 ? metBins * slot : 0;
  // The axis spans the bins only: a target beyond them (every figure far under a long RTO, or far over
  // a short one) is drawn at the axis's end, and its label points the way it lies, not to scale.
  const beyond = histogram !== undefined && d.targetSeconds > histogram.bins.at(-1)!.toSeconds + 1e-9;
  const before = histogram !== undefined && d.targetSeconds < histogram.bins[0]!.toSeconds - histogram.binSeconds - 1e-9;
  const targetText = `${before ? '← ' : ''}target ${duration(d.targetSeconds)}${beyond ? ' →' : ''}`;
  const label = `${name} over ${d.count} samples: p50 ${figure(d.p50Seconds)}, p95 ${figure(d.p95Seconds)}, max ${figure(d.maxSeconds)}, against a target of ${duration(d.targetSeconds)}; ${metText(d)}; ${
    d.met ? 'reaches' : 'below'
  } the confidence of ${Math.round(confidence * 1000) / 10}%`;
  const first = histogram?.bins[0];
  const last = histogram?.bins.at(-1);
  // Where every sample measured the same, the lines above say all a chart would (as the plain output has it).
  const flat = d.maxSeconds === d.minSeconds && d.unrecovered === 0;
  return (
    <div className="objective">
      <div className="what">
        <div>
          <strong>{name}</strong> over {d.count} samples <MetBadge met={d.met} />
        </div>
        <div>
          p50 <strong>{figure(d.p50Seconds)}</strong> · p95 <strong>{figure(d.p95Seconds)}</strong> · max <strong>{figure(d.maxSeconds)}</strong> vs target {duration(d.targetSeconds)}
        </div>
        <div className="muted small">
          {metText(d)}; {d.met ? 'reaches' : 'below'} the confidence of {Math.round(confidence * 1000) / 10}%
        </div>
      </div>
      {flat ? (
        <p className="muted small">
          Every sample measured {figure(d.minSeconds)}: no spread to chart.
        </p>
      ) : (
        <svg viewBox={`0 0 ${WIDTH} ${TOP + BARS_H + BOTTOM}`} role="img" aria-label={label} className="histogram">
          <title>{label}</title>
          <rect className="bar-track" x="0" y={baseline} width={WIDTH} height="1" />
          {columns.map((column, index) => {
            const h = column.count === 0 ? 0 : Math.max(2, (column.count / most) * BARS_H);
            const x = xOf(index);
            return (
              <g key={index}>
                <title>{`${column.label}: ${column.count} ${column.count === 1 ? 'sample' : 'samples'}`}</title>
                {h > 0 ? <rect className={column.className} x={px(x + GAP / 2)} y={px(baseline - h)} width={px(Math.max(slot - GAP, 1))} height={px(h)} rx="1" /> : null}
                {column.count > 0 ? (
                  <text x={px(x + slot / 2)} y={px(baseline - h - 3)} textAnchor="middle" className="muted-text">
                    {column.count}
                  </text>
                ) : null}
              </g>
            );
          })}
          {first && last && histogram ? (
            <>
              <text x="0" y={baseline + 13} textAnchor="start" className="muted-text">
                {duration(Math.max(0, first.toSeconds - histogram.binSeconds))}
              </text>
              {duration(last.toSeconds) !== duration(Math.max(0, first.toSeconds - histogram.binSeconds)) ? (
                <text x={px(recoveredColumns * slot)} y={baseline + 13} textAnchor={d.unrecovered > 0 ? 'middle' : 'end'} className="muted-text">
                  {duration(last.toSeconds)}
                </text>
              ) : null}
            </>
          ) : null}
          {d.unrecovered > 0 ? (
            <text x={px(xOf(recoveredColumns) + slot / 2)} y={baseline + 13} textAnchor="middle" className="muted-text">
              not recovered
            </text>
          ) : null}
          <line className="target-line" x1={px(targetX)} x2={px(targetX)} y1={TOP - 8} y2={baseline + 16} />
          <text x={px(targetX)} y={baseline + 28} textAnchor={targetX > WIDTH - 90 ? 'end' : targetX < 90 ? 'start' : 'middle'} className="muted-text">
            {targetText}
          </text>
        </svg>
      )}
    </div>
  );
}
