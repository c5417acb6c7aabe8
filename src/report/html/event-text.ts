import type { TimelineEntry } from '../types.js';
import { duration } from './format.js';

/** One recorded event as a line a person reads (the terminal's plain renderer says much the same). */
export function eventText(event: TimelineEntry): string {
  switch (event.kind) {
    case 'scenario.started':
      return `scenario started on ${event.detail.target}${event.detail.seed !== undefined ? ` (seed ${event.detail.seed})` : ''}`;
    case 'objectives.set':
      return `objectives set: RTO ${duration(event.detail.rtoSeconds)}, RPO ${duration(event.detail.rpoSeconds)}`;
    case 'fault.injected':
      return `⚡ fault ${event.detail.fault}: ${event.detail.action}${event.detail.experimentId ? ` (${event.detail.experimentId})` : ''} in ${event.detail.region}`;
    case 'experiment.state':
      return `FIS ${event.detail.experimentId} ${event.detail.state}${event.detail.reason ? `: ${event.detail.reason}` : ''}`;
    case 'action.started':
      return `→ ${event.detail.action} ${event.detail.target}${event.detail.region ? ` (${event.detail.region})` : ''}`;
    case 'action.completed':
      return `✓ ${event.detail.action} ${event.detail.target} in ${duration(event.detail.seconds)}${event.detail.outcome ? `: ${event.detail.outcome}` : ''}`;
    case 'probe.started':
      return `probe ${event.detail.probe} (${event.detail.kind}) on ${event.detail.target}, every ${duration(event.detail.resolutionSeconds)}`;
    case 'probe.sample':
      return `${event.detail.probe} ${event.detail.ok ? 'up' : 'DOWN'}${event.detail.status ? `: ${event.detail.status}` : ''}`;
    case 'canary.write':
      return `write #${event.detail.seq} to ${event.detail.canary} ${event.detail.ok ? 'acknowledged' : `refused${event.detail.error ? `: ${event.detail.error}` : ''}`}`;
    case 'canary.readback':
      return `read back ${event.detail.canary}: ${event.detail.survived} of ${event.detail.written} acknowledged writes survived${event.detail.lost.length > 0 ? `, lost ${event.detail.lost.map((s) => `#${s}`).join(', ')}` : ''}`;
    case 'recovered':
      return `♥ ${event.detail.target} healthy again ${duration(event.detail.seconds)} after the incident`;
    case 'objective.checked': {
      const d = event.detail;
      const figure = d.measuredSeconds === null ? `not recovered${d.observedSeconds !== undefined ? ` (watched ${duration(d.observedSeconds)})` : ''}` : `${duration(d.measuredSeconds)} ±${duration(d.resolutionSeconds)}`;
      return `${d.met ? '✔' : '✘'} ${d.objective.toUpperCase()} ${d.target}: ${figure} (target ${duration(d.targetSeconds)}) ${d.met ? 'met' : 'BREACHED'}`;
    }
    case 'check.passed':
      return `✔ ${event.detail.check} ${event.detail.subject}: ${event.detail.evidence}`;
    case 'check.failed':
      return `✘ ${event.detail.check} ${event.detail.subject}: ${event.detail.evidence}`;
    case 'incident':
      return `${event.detail.kind === 'planned' ? 'planned incident (drill)' : 'incident'}: ${event.detail.what}`;
    case 'cleanup.started':
      return `cleanup: ${event.detail.steps.length} ${event.detail.steps.length === 1 ? 'undo' : 'undos'} pending`;
    case 'cleanup.step':
      return `↺ ${event.detail.step}: ${event.detail.outcome}${event.detail.error ? ` (${event.detail.error})` : ''}`;
    case 'info':
      return event.detail.message;
  }
}
