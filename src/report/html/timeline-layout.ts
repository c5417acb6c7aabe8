/**
 * A scenario's timeline as lanes and marks on one time axis, before any
 * drawing: what TimelineChart draws and what its text alternative says.
 * Times are seconds since the scenario started, on the target's clock.
 */
import type { Note } from '../types.js';
import { clock, duration } from './format.js';
import type { CanaryTrack, ProbeTrack, ScenarioReport } from './types.js';

export type SpanLane = 'fault' | 'recovery' | 'dns';

export interface Span {
  lane: SpanLane;
  label: string;
  startT: number;
  /** null: still running when the scenario ended (interrupted, or an experiment left to cleanup). */
  endT: number | null;
  /** The whole story, for the tooltip and the table under the chart. */
  title: string;
}

/** An instant: a fault without an experiment (a data fault) drawn in the fault lane. */
export interface Instant {
  lane: SpanLane;
  t: number;
  label: string;
}

export type MarkKind = 'incident' | 'recovered' | 'rto-target' | 'note' | 'cleanup';

export interface Mark {
  kind: MarkKind;
  t: number;
  label: string;
  title: string;
}

export interface StepSegment {
  index: number;
  startT: number;
  endT: number;
  title: string;
}

export interface TimelineLayout {
  /** The axis runs from 0 to endT: the scenario's end, stretched to show an RTO target just past it. */
  endT: number;
  /** When the scenario ended. */
  scenarioEndT: number;
  ticks: number[];
  steps: StepSegment[];
  spans: Span[];
  instants: Instant[];
  probes: ProbeTrack[];
  canaries: CanaryTrack[];
  marks: Mark[];
  /** Marks past the axis end (an RTO target hours after a fast recovery), named in a note under the chart. */
  offChart: Mark[];
  /** The writes the RPO allows to lose: from incident − target to the incident. */
  rpoWindow: { fromT: number; toT: number } | null;
  /** The chart in one paragraph, for screen readers (aria-label) and anyone without the picture. */
  summary: string;
}

const TICK_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400];

/** Tick positions: the smallest step that gives at most `most` intervals. */
export function ticksFor(endT: number, most = 8): number[] {
  const step = TICK_STEPS.find((s) => endT / s <= most) ?? Math.ceil(endT / most);
  const ticks: number[] = [];
  for (let t = 0; t <= endT + 1e-9; t += step) ticks.push(t);
  return ticks;
}

/** Seconds since the scenario's start of an ISO instant on the target's clock, from any event's (at, t) pair. */
function scenarioClock(scenario: ScenarioReport): (iso: string) => number | null {
  const anchor = scenario.events[0];
  if (!anchor) return () => null;
  const zero = Date.parse(anchor.at) - anchor.t * 1000;
  return (iso) => {
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? null : (ms - zero) / 1000;
  };
}

function isDnsAction(action: string, region: string | undefined): boolean {
  return /\bdns\b|route ?53/i.test(action) || region === 'global';
}

export function timelineLayout(scenario: ScenarioReport, notes: readonly Note[] = scenario.notes): TimelineLayout {
  const tOf = scenarioClock(scenario);
  const spans: Span[] = [];
  const instants: Instant[] = [];

  for (const experiment of scenario.experiments) {
    const actions = (experiment.actions ?? []).filter((a) => a.startTime !== undefined);
    for (const action of actions) {
      const startT = tOf(action.startTime!);
      if (startT === null) continue;
      const endT = action.endTime !== undefined ? tOf(action.endTime) : null;
      spans.push({
        lane: 'fault',
        label: `${experiment.fault}: ${action.name}`,
        startT,
        endT,
        title: `FIS ${experiment.id} (${experiment.templateId}) ${action.name} (${action.actionId}), ${action.state}${endT !== null ? `, ${clock(startT)}–${clock(endT)}` : `, from ${clock(startT)}`}`,
      });
    }
  }
  for (const event of scenario.events) {
    if (event.kind !== 'fault.injected') continue;
    const { experimentId, fault, action } = event.detail;
    if (experimentId === '') {
      instants.push({ lane: 'fault', t: event.t, label: fault });
      continue;
    }
    // Experiments that report no actions still show, from the injection to their end state.
    if (scenario.experiments.find((x) => x.id === experimentId)?.actions?.some((a) => a.startTime !== undefined)) continue;
    const end = scenario.events.find(
      (e) => e.kind === 'experiment.state' && e.detail.experimentId === experimentId && ['completed', 'stopped', 'failed', 'cancelled'].includes(e.detail.state),
    );
    const endT = end?.kind === 'experiment.state' ? (end.detail.endedAt !== undefined ? tOf(end.detail.endedAt) : end.t) : null;
    spans.push({ lane: 'fault', label: `${fault}: ${action}`, startT: event.t, endT, title: `FIS ${experimentId} ${fault}: ${action}, from ${clock(event.t)}` });
  }

  const open: { action: string; target: string; region?: string; t: number }[] = [];
  for (const event of scenario.events) {
    if (event.kind === 'action.started') open.push({ ...event.detail, t: event.t });
    else if (event.kind === 'action.completed') {
      const index = open.findIndex((o) => o.action === event.detail.action && o.target === event.detail.target);
      const started = index >= 0 ? open.splice(index, 1)[0]! : undefined;
      const startT = started?.t ?? event.t - event.detail.seconds;
      const outcome = event.detail.outcome ? `: ${event.detail.outcome}` : '';
      spans.push({
        lane: isDnsAction(event.detail.action, event.detail.region) ? 'dns' : 'recovery',
        label: `${event.detail.action} ${event.detail.target}`,
        startT,
        endT: event.t,
        title: `${event.detail.action} ${event.detail.target}${event.detail.region ? ` (${event.detail.region})` : ''}, ${clock(startT)}–${clock(event.t)}, ${duration(event.detail.seconds)}${outcome}`,
      });
    }
  }
  for (const started of open) {
    spans.push({
      lane: isDnsAction(started.action, started.region) ? 'dns' : 'recovery',
      label: `${started.action} ${started.target}`,
      startT: started.t,
      endT: null,
      title: `${started.action} ${started.target}${started.region ? ` (${started.region})` : ''}, from ${clock(started.t)}, not finished when the scenario ended`,
    });
  }
  spans.sort((a, b) => a.startT - b.startT);

  const lastT = Math.max(
    0,
    scenario.simulatedSeconds ?? 0,
    ...scenario.events.map((e) => e.t),
    ...scenario.probes.flatMap((p) => p.runs.map((r) => r[1])),
    ...scenario.canaries.flatMap((c) => c.runs.map((r) => r[1])),
    ...scenario.steps.map((s) => s.endT ?? 0),
  );

  const marks: Mark[] = [];
  const incident = scenario.incident;
  if (incident) {
    const planned = incident.kind === 'planned';
    marks.push({ kind: 'incident', t: incident.t, label: planned ? 'planned incident' : 'incident', title: `${planned ? 'Planned incident (drill)' : 'Incident'} at ${clock(incident.t)}: ${incident.what}` });
  }
  for (const event of scenario.events) {
    if (event.kind !== 'recovered') continue;
    // The event comes when recovery is confirmed; the instant itself is `seconds` after the incident.
    const t = incident ? incident.t + event.detail.seconds : event.t;
    marks.push({ kind: 'recovered', t, label: `recovered +${duration(event.detail.seconds)}`, title: `${event.detail.target} healthy again at ${clock(t)}, ${duration(event.detail.seconds)} after the incident` });
  }
  const offChart: Mark[] = [];
  let endT = lastT;
  // The target as set, also when the scenario stopped before measuring it.
  const rtoTarget = scenario.rto?.targetSeconds ?? scenario.targets?.rtoSeconds;
  const rpoTarget = scenario.rpo?.targetSeconds ?? scenario.targets?.rpoSeconds;
  if (incident && rtoTarget !== undefined) {
    const t = incident.t + rtoTarget;
    const mark: Mark = { kind: 'rto-target', t, label: `RTO target ${duration(rtoTarget)}`, title: `RTO target: healthy again by ${clock(t)} (incident + ${duration(rtoTarget)})` };
    // Stretch the axis for a target just past the end; one far past it would squash the chart.
    if (t <= lastT) marks.push(mark);
    else if (t <= lastT * 1.25) {
      endT = t;
      marks.push(mark);
    } else offChart.push(mark);
  }
  const cleanup = scenario.events.find((e) => e.kind === 'cleanup.started' || e.kind === 'cleanup.step');
  if (cleanup) marks.push({ kind: 'cleanup', t: cleanup.t, label: 'cleanup', title: `Cleanup began at ${clock(cleanup.t)}` });
  notes.forEach((note, index) => {
    if (note.t === undefined) return;
    marks.push({ kind: 'note', t: note.t, label: `✎${index + 1}`, title: `Note ${index + 1}${note.by ? ` (${note.by})` : ''} at ${clock(note.t)}: ${note.text}` });
  });

  const rpoWindow = incident && rpoTarget !== undefined && rpoTarget > 0 ? { fromT: Math.max(0, incident.t - rpoTarget), toT: incident.t } : null;

  const steps: StepSegment[] = scenario.steps.flatMap((step, index) =>
    step.startT !== undefined && step.endT !== undefined && step.endT > step.startT
      ? [{ index, startT: step.startT, endT: step.endT, title: `Step ${index + 1}: ${step.keyword.trim()} ${step.text} (${clock(step.startT)}–${clock(step.endT)})` }]
      : [],
  );

  const layout: TimelineLayout = {
    endT,
    scenarioEndT: lastT,
    ticks: endT > 0 ? ticksFor(endT) : [],
    steps,
    spans,
    instants,
    probes: scenario.probes,
    canaries: scenario.canaries,
    marks: marks.sort((a, b) => a.t - b.t),
    offChart,
    rpoWindow,
    summary: '',
  };
  layout.summary = summarize(scenario, layout);
  return layout;
}

/** Where a probe was down: `orders-api down 0:13–20:01`. */
function downtimes(track: ProbeTrack): string[] {
  const spans: string[] = [];
  const runs = track.runs;
  runs.forEach((run, index) => {
    if (run[3]) return;
    const previous = runs[index - 1];
    if (previous && !previous[3]) return;
    let last = index;
    while (runs[last + 1] && !runs[last + 1]![3]) last++;
    const back = runs[last + 1];
    spans.push(`${track.target ?? track.probe} down ${clock(run[0])}–${back ? clock(back[0]) : `${clock(runs[last]![1])} (still down)`}`);
  });
  return spans;
}

function summarize(scenario: ScenarioReport, layout: TimelineLayout): string {
  const parts: string[] = [`Timeline of “${scenario.name}” over ${clock(layout.scenarioEndT)}`];
  for (const span of layout.spans) {
    const kind = span.lane === 'fault' ? 'fault' : span.lane === 'dns' ? 'DNS change' : 'recovery';
    parts.push(`${kind} ${span.label} ${clock(span.startT)}–${span.endT !== null ? clock(span.endT) : 'end'}`);
  }
  for (const instant of layout.instants) parts.push(`fault ${instant.label} at ${clock(instant.t)}`);
  for (const track of layout.probes) {
    const down = downtimes(track);
    parts.push(down.length > 0 ? down.join(', ') : `${track.target ?? track.probe} up throughout (${track.up} samples)`);
  }
  for (const mark of layout.marks) if (mark.kind !== 'note' && mark.kind !== 'cleanup') parts.push(`${mark.label} at ${clock(mark.t)}`);
  for (const mark of layout.offChart) parts.push(`${mark.label} at ${clock(mark.t)}, past the end of the chart`);
  for (const canary of layout.canaries) {
    parts.push(
      canary.lost.length > 0
        ? `${canary.lost.length} acknowledged ${canary.lost.length === 1 ? 'write' : 'writes'} to ${canary.canary} lost (${canary.lost.map((l) => `#${l.seq}`).join(', ')})`
        : `${canary.acknowledged} acknowledged writes to ${canary.canary}${canary.survived !== undefined ? ', none lost' : ''}`,
    );
  }
  return `${parts.join('; ')}.`;
}
