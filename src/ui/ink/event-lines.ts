/**
 * One line per notable timeline event, for the live event tail and the
 * finished scenario's block in scrollback. Probe samples and canary writes
 * come by the thousand and have panels of their own (the strip, the RPO
 * line): they get no line here.
 */
import type { TimelineEvent } from '../../harness/events.js';
import { count, formatSeconds, scenarioClock } from './format.js';

/** How a line reads at a glance; a colour only where colour is wanted, and never the only sign (the mark and words say it too). */
export type Tone = 'plain' | 'ok' | 'warn' | 'bad' | 'dim' | 'accent';

export interface LogLine {
  /** Seconds since the scenario started; absent for lines that belong to no instant (a note without one). */
  t?: number;
  /** One narrow glyph: the live region counts columns, and emoji are two wide in some terminals and one in others. */
  mark: string;
  text: string;
  tone: Tone;
}

export function describeEvent(event: TimelineEvent): LogLine | undefined {
  const t = event.t;
  switch (event.kind) {
    case 'fault.injected': {
      const d = event.detail;
      return { t, mark: '↯', tone: 'warn', text: `fault ${d.fault}: ${d.action}${d.experimentId ? ` (${d.experimentId})` : ''} in ${d.region}` };
    }
    case 'experiment.state': {
      const d = event.detail;
      const tone = d.state === 'failed' ? 'bad' : d.state === 'completed' || d.state === 'stopped' ? 'ok' : 'plain';
      return { t, mark: '•', tone, text: `FIS ${d.experimentId} ${d.state}${d.reason ? `: ${d.reason}` : ''}` };
    }
    case 'incident':
      return { t, mark: '!', tone: 'warn', text: `incident at ${scenarioClock(event.detail.t)}: ${event.detail.what}` };
    case 'action.started': {
      const d = event.detail;
      return { t, mark: '→', tone: 'plain', text: `${d.action} ${d.target}${d.region ? ` (${d.region})` : ''}` };
    }
    case 'action.completed': {
      const d = event.detail;
      return { t, mark: '✔', tone: 'ok', text: `${d.action} ${d.target} done in ${formatSeconds(d.seconds)}${d.outcome ? `: ${d.outcome}` : ''}` };
    }
    case 'probe.started': {
      const d = event.detail;
      return { t, mark: '~', tone: 'dim', text: `probing ${d.target} (${d.kind}) every ${formatSeconds(d.resolutionSeconds)}` };
    }
    case 'canary.readback': {
      const d = event.detail;
      return { t, mark: d.lost.length ? '✘' : '✔', tone: d.lost.length ? 'warn' : 'ok', text: `canary ${d.canary}: ${d.written} acknowledged, ${d.survived} survived, ${d.lost.length} lost` };
    }
    case 'recovered':
      return { t, mark: '♥', tone: 'ok', text: `${event.detail.target} healthy again ${formatSeconds(event.detail.seconds)} after the incident` };
    case 'objective.checked': {
      const d = event.detail;
      const measured = d.measuredSeconds === null ? 'not recovered' : `${formatSeconds(d.measuredSeconds)} ±${formatSeconds(d.resolutionSeconds)}`;
      const lost = d.lostWrites !== undefined ? `, ${count(d.lostWrites, 'write')} lost` : '';
      return {
        t,
        mark: d.met ? '✔' : '✘',
        tone: d.met ? 'ok' : 'bad',
        text: `${d.objective.toUpperCase()} ${d.target}: ${measured} of ${formatSeconds(d.targetSeconds)}${lost}: ${d.met ? 'met' : 'BREACHED'}`,
      };
    }
    case 'check.passed':
    case 'check.failed': {
      const passed = event.kind === 'check.passed';
      const d = event.detail;
      return { t, mark: passed ? '✔' : '✘', tone: passed ? 'ok' : 'bad', text: `${d.check} ${d.subject}: ${d.evidence}` };
    }
    case 'cleanup.started':
      return { t, mark: '↺', tone: 'accent', text: `cleanup: ${count(event.detail.steps.length, 'undo')} to run` };
    case 'cleanup.step': {
      const d = event.detail;
      return { t, mark: d.outcome === 'failed' ? '✘' : '↺', tone: d.outcome === 'failed' ? 'bad' : 'dim', text: `cleanup ${d.step}: ${d.outcome}${d.error ? ` (${d.error})` : ''}` };
    }
    case 'info':
      return { t, mark: 'i', tone: 'dim', text: event.detail.message };
    case 'scenario.started':
    case 'objectives.set':
    case 'probe.sample':
    case 'canary.write':
      return undefined;
  }
}
