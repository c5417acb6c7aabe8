import type { ReactNode } from 'react';
import { clock, px } from './format.js';
import { lostRanges } from './report-data.js';
import type { Mark, Span, SpanLane, TimelineLayout } from './timeline-layout.js';
import type { CanaryTrack, ProbeTrack } from './types.js';

const WIDTH = 1000;
const LEFT = 150;
const RIGHT = 18;
const PLOT = WIDTH - LEFT - RIGHT;
const LANE = 24;
const GAP = 5;
const SUB_ROW = 16;
const LABEL_ROW = 14;
const CHAR = 6.1;

const LANE_LABEL: Record<SpanLane, string> = { fault: 'Faults', recovery: 'Recovery actions', dns: 'DNS changes' };

/**
 * The scenario on one time axis: FIS actions, recovery actions and DNS
 * changes as spans; probes as up (tall) and down (short) bands with a tick
 * per sample; canary writes as ticks with lost writes crossed out; the
 * incident, recovery, RTO target, cleanup and the room's notes as vertical
 * lines. Up and down differ in shape as well as colour.
 */
export function TimelineChart({ layout }: { layout: TimelineLayout }) {
  const x = (t: number) => LEFT + (Math.max(0, Math.min(t, layout.endT)) / layout.endT) * PLOT;
  const labelRows = placeLabels(layout.marks, x);
  const rowsUsed = labelRows.reduce((most, row) => Math.max(most, row + 1), 0);
  let y = 4 + rowsUsed * LABEL_ROW + 4;
  const lanesTop = y;
  const parts: ReactNode[] = [];

  if (layout.steps.length > 0) {
    const top = y;
    parts.push(
      <g key="steps">
        <text className="lane-label" x={LEFT - 8} y={top + 12} textAnchor="end">
          Steps
        </text>
        {layout.steps.map((step) => {
          const x0 = x(step.startT);
          const w = Math.max(1, x(step.endT) - x0);
          return (
            <g key={step.index}>
              <rect className="step-seg" x={px(x0)} y={top + 2} width={px(w)} height={14} rx="2">
                <title>{step.title}</title>
              </rect>
              {w > 14 ? (
                <text className="step-text" x={px(x0 + w / 2)} y={top + 12.5} textAnchor="middle">
                  {step.index + 1}
                </text>
              ) : null}
            </g>
          );
        })}
      </g>,
    );
    y += 18 + GAP;
  }

  for (const lane of ['fault', 'recovery', 'dns'] as const) {
    const spans = layout.spans.filter((s) => s.lane === lane);
    const instants = layout.instants.filter((i) => i.lane === lane);
    if (spans.length === 0 && instants.length === 0) continue;
    const rows = stackSpans(spans, x);
    const height = Math.max(LANE, rows.count * SUB_ROW + 6);
    const top = y;
    parts.push(
      <g key={lane}>
        <rect className="lane-bg" x={LEFT} y={top} width={PLOT} height={height} />
        <text className="lane-label" x={LEFT - 8} y={top + height / 2 + 4} textAnchor="end">
          {LANE_LABEL[lane]}
        </text>
        {spans.map((span, index) => (
          <SpanBar key={index} span={span} x={x} y={top + 3 + rows.row[index]! * SUB_ROW} endT={layout.endT} />
        ))}
        {instants.map((instant, index) => {
          const cx = x(instant.t);
          return (
            <g key={`i${index}`}>
              <path className={`span-${lane}`} d={`M${px(cx)} ${top + 4}l6 ${height - 8}h-12z`}>
                <title>{`${instant.label} at ${clock(instant.t)}`}</title>
              </path>
              <text
                x={px(cx > WIDTH - RIGHT - instant.label.length * CHAR - 12 ? cx - 8 : cx + 8)}
                y={top + height / 2 + 4}
                textAnchor={cx > WIDTH - RIGHT - instant.label.length * CHAR - 12 ? 'end' : 'start'}
                className="muted-text"
              >
                {instant.label}
              </text>
            </g>
          );
        })}
      </g>,
    );
    y += height + GAP;
  }

  for (const probe of layout.probes) {
    parts.push(<ProbeLane key={`p${probe.probe}`} track={probe} top={y} x={x} endT={layout.endT} />);
    y += LANE + GAP;
  }
  const canaryTop = y;
  for (const canary of layout.canaries) {
    parts.push(<CanaryLane key={`c${canary.canary}`} track={canary} top={y} x={x} />);
    y += LANE + GAP;
  }
  const lanesBottom = y - GAP;
  const rpo = layout.rpoWindow && layout.canaries.length > 0 ? layout.rpoWindow : null;

  return (
    <svg viewBox={`0 0 ${WIDTH} ${lanesBottom + 26}`} role="img" aria-label={layout.summary}>
      <desc>{layout.summary}</desc>
      <g className="axis">
        {layout.ticks.map((t) => (
          <g key={t}>
            <line className="grid" x1={px(x(t))} x2={px(x(t))} y1={lanesTop} y2={lanesBottom + 4} />
            <text x={px(x(t))} y={lanesBottom + 17} textAnchor={t === 0 ? 'start' : x(t) > WIDTH - RIGHT - 24 ? 'end' : 'middle'} className="muted-text">
              {clock(t)}
            </text>
          </g>
        ))}
      </g>
      {parts}
      {rpo ? (
        <rect className="rpo-window" x={px(x(rpo.fromT))} y={canaryTop} width={px(Math.max(2, x(rpo.toT) - x(rpo.fromT)))} height={lanesBottom - canaryTop}>
          <title>{`Writes from ${clock(rpo.fromT)} to the incident at ${clock(rpo.toT)} may be lost within the RPO`}</title>
        </rect>
      ) : null}
      {layout.marks.map((mark, index) => {
        const mx = x(mark.t);
        const right = mx > WIDTH - RIGHT - mark.label.length * CHAR - 4;
        const labelY = 4 + (labelRows[index]! + 1) * LABEL_ROW - 3;
        return (
          <g key={`m${index}`}>
            <line className={`mark-${mark.kind}`} x1={px(mx)} x2={px(mx)} y1={labelY + 3} y2={lanesBottom + 4}>
              <title>{mark.title}</title>
            </line>
            <text className={`label-${mark.kind}`} x={px(right ? mx - 3 : mx + 3)} y={labelY} textAnchor={right ? 'end' : 'start'}>
              {mark.label}
              <title>{mark.title}</title>
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function SpanBar({ span, x, y, endT }: { span: Span; x: (t: number) => number; y: number; endT: number }) {
  const x0 = x(span.startT);
  const x1 = x(span.endT ?? endT);
  const w = Math.max(3, x1 - x0);
  const fits = span.label.length * CHAR + 8 < w;
  return (
    <g>
      <rect className={`span-${span.lane}${span.endT === null ? ' span-open' : ''}`} x={px(x0)} y={y} width={px(w)} height={SUB_ROW - 3} rx="2">
        <title>{span.title}</title>
      </rect>
      {fits ? (
        <text className="span-text" x={px(x0 + 4)} y={y + 10}>
          {span.label}
          {span.endT === null ? ' …' : ''}
        </text>
      ) : null}
    </g>
  );
}

/** Sub-rows for spans of one lane that overlap in time (or whose labels would). */
function stackSpans(spans: readonly Span[], x: (t: number) => number): { row: number[]; count: number } {
  const ends: number[] = [];
  const row = spans.map((span) => {
    const start = x(span.startT);
    const end = Math.max(x(span.endT ?? Number.MAX_SAFE_INTEGER), start + 3);
    let index = ends.findIndex((e) => e <= start + 0.5);
    if (index < 0) index = ends.push(end) - 1;
    else ends[index] = end;
    return index;
  });
  return { row, count: Math.max(1, ends.length) };
}

/** A label row for each mark so that no two labels overlap (greedy, in time order). */
function placeLabels(marks: readonly Mark[], x: (t: number) => number): number[] {
  const rowEnds: number[] = [];
  return marks.map((mark) => {
    const mx = x(mark.t);
    const width = mark.label.length * CHAR + 8;
    const right = mx > WIDTH - RIGHT - width;
    const [start, end] = right ? [mx - width, mx] : [mx, mx + width];
    let row = rowEnds.findIndex((e) => e <= start);
    if (row < 0) row = rowEnds.push(end) - 1;
    else rowEnds[row] = end;
    return row;
  });
}

/**
 * Where to draw the ticks of a run of n samples from firstT to lastT (the
 * run keeps no more than that), at most one a pixel: a day of one-second
 * writes would otherwise be 86,400 ticks drawn on top of each other.
 */
function tickXs(firstT: number, lastT: number, count: number, x: (t: number) => number): string[] {
  const xs: string[] = [];
  const step = count <= 1 ? 0 : (lastT - firstT) / (count - 1);
  let previous = '';
  for (let i = 0; i < count; i++) {
    const tx = String(Math.round(x(firstT + i * step)));
    if (tx !== previous) xs.push(tx);
    previous = tx;
  }
  return xs;
}

/** A probe's or canary's lane label on two lines (`probe` over the alias), an alias too long for the margin cut with an ellipsis. */
function LaneLabel({ kind, name, top }: { kind: string; name: string; top: number }) {
  const room = Math.floor((LEFT - 12) / CHAR);
  const shown = name.length > room ? `${name.slice(0, room - 1)}…` : name;
  return (
    <text className="lane-label" x={LEFT - 8} y={top + 10} textAnchor="end">
      <title>{`${kind} ${name}`}</title>
      <tspan className="lane-kind">{kind}</tspan>
      <tspan x={LEFT - 8} dy="11">
        {shown}
      </tspan>
    </text>
  );
}

function ProbeLane({ track, top, x, endT }: { track: ProbeTrack; top: number; x: (t: number) => number; endT: number }) {
  const resolution = track.resolutionSeconds ?? 0;
  let upTicks = '';
  let downTicks = '';
  const bands = track.runs.map((run, index) => {
    const [firstT, lastT, count, ok, status] = run;
    const next = track.runs[index + 1];
    const x0 = x(firstT);
    const x1 = x(next ? next[0] : Math.min(endT, lastT + resolution));
    for (const tx of tickXs(firstT, lastT, count, x)) {
      if (ok) upTicks += `M${tx} ${top}v3`;
      else downTicks += `M${tx} ${top + LANE - 3}v3`;
    }
    const title = `${ok ? 'up' : 'DOWN'} ${clock(firstT)}–${clock(lastT)}: ${count} ${count === 1 ? 'sample' : 'samples'}${status ? `, ${status}` : ''}`;
    return ok ? (
      <rect key={index} className="up" x={px(x0)} y={top + 4} width={px(Math.max(1, x1 - x0))} height={LANE - 8}>
        <title>{title}</title>
      </rect>
    ) : (
      <rect key={index} className="down" x={px(x0)} y={top + LANE / 2 + 2} width={px(Math.max(1, x1 - x0))} height={LANE / 2 - 6}>
        <title>{title}</title>
      </rect>
    );
  });
  return (
    <g>
      <rect className="lane-bg" x={LEFT} y={top} width={PLOT} height={LANE} />
      <LaneLabel kind="probe" name={track.target ?? track.probe} top={top} />
      {bands}
      {upTicks ? <path className="tick-up" d={upTicks} /> : null}
      {downTicks ? <path className="tick-down" d={downTicks} /> : null}
    </g>
  );
}

function CanaryLane({ track, top, x }: { track: CanaryTrack; top: number; x: (t: number) => number }) {
  let acknowledged = '';
  let refused = '';
  for (const [firstT, lastT, count, ok] of track.runs) {
    for (const tx of tickXs(firstT, lastT, count, x)) {
      if (ok) acknowledged += `M${tx} ${top + 4}v${LANE - 8}`;
      else refused += `M${tx} ${top + LANE - 9}v5`;
    }
  }
  return (
    <g>
      <rect className="lane-bg" x={LEFT} y={top} width={PLOT} height={LANE} />
      <LaneLabel kind="canary" name={track.canary} top={top} />
      {acknowledged ? (
        <path className="write-ok" d={acknowledged}>
          <title>{`${track.acknowledged} writes acknowledged`}</title>
        </path>
      ) : null}
      {refused ? (
        <path className="write-refused" d={refused}>
          <title>{`${track.failed} writes refused (not acknowledged, so not counted as lost)`}</title>
        </path>
      ) : null}
      {lostRanges(track.lost.filter((l) => l.t !== null)).map((range) => {
        const first = range[0]!;
        const last = range[range.length - 1]!;
        const cross = (t: number) => `M${px(x(t) - 5)} ${top + 3}l10 ${LANE - 6}M${px(x(t) + 5)} ${top + 3}l-10 ${LANE - 6}`;
        // A stretch of lost writes is one hatched band between two crosses, not a smear of crosses.
        if (range.length <= 3) {
          return (
            <path key={first.seq} className="lost" d={range.map((l) => cross(l.t!)).join('')}>
              <title>{range.map((l) => `write #${l.seq} acknowledged at ${clock(l.t!)} and lost`).join('; ')}</title>
            </path>
          );
        }
        return (
          <g key={first.seq}>
            <rect className="bar-unknown" x={px(x(first.t!))} y={top + 5} width={px(Math.max(2, x(last.t!) - x(first.t!)))} height={LANE - 10} />
            <path className="lost" d={cross(first.t!) + cross(last.t!)}>
              <title>{`writes #${first.seq}–#${last.seq} (${range.length}) acknowledged from ${clock(first.t!)} to ${clock(last.t!)} and lost`}</title>
            </path>
          </g>
        );
      })}
    </g>
  );
}

/** What the chart's colours and shapes mean, for what this chart shows (its text alternative says it in words). */
export function TimelineLegend({ layout }: { layout: TimelineLayout }) {
  const lanes = new Set(layout.spans.map((s) => s.lane));
  const marks = new Set(layout.marks.map((m) => m.kind));
  const entries: [string, string][] = [];
  if (lanes.has('fault') || layout.instants.length > 0) entries.push(['sw sw-fault', layout.instants.length > 0 ? 'fault (▲ instant)' : 'FIS action']);
  if (lanes.has('recovery')) entries.push(['sw sw-recovery', 'recovery action']);
  if (lanes.has('dns')) entries.push(['sw sw-dns', 'DNS change']);
  if (layout.probes.some((p) => p.up > 0)) entries.push(['sw sw-up', 'probe up (tall)']);
  if (layout.probes.some((p) => p.down > 0)) entries.push(['sw sw-down', 'probe down (short)']);
  if (layout.canaries.some((c) => c.acknowledged > 0)) entries.push(['sw-tick sw-ok', 'write acknowledged (tall)']);
  if (layout.canaries.some((c) => c.failed > 0)) entries.push(['sw-tick sw-refused', 'write refused (short)']);
  if (layout.canaries.some((c) => c.lost.length > 0)) entries.push(['sw-x', 'write lost']);
  if (layout.rpoWindow && layout.canaries.length > 0) entries.push(['sw sw-rpo', 'writes the RPO allows to lose']);
  if (marks.has('incident')) entries.push(['sw-line sw-incident', 'incident']);
  if (marks.has('recovered')) entries.push(['sw-line sw-recovered', 'recovered']);
  if (marks.has('rto-target') || layout.offChart.length > 0) entries.push(['sw-line sw-target', 'RTO target']);
  if (marks.has('note')) entries.push(['sw-line sw-note', '✎ note from the room']);
  if (marks.has('cleanup')) entries.push(['sw-line sw-cleanup', 'cleanup']);
  return (
    <div className="legend" aria-hidden="true">
      {entries.map(([swatch, label]) => (
        <span key={label}>
          <span className={swatch} />
          {label}
        </span>
      ))}
    </div>
  );
}
