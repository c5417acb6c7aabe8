import type { Writable } from 'node:stream';
import { formatSeconds } from '../harness/duration.js';
import type { RunEvent } from '../run/run-game-day.js';

/**
 * One line per meaningful event, for CI logs and pipes: virtual time since the
 * scenario started, wall time since the run started, what happened.
 */
export function plainRenderer(out: Writable): (event: RunEvent) => void {
  let wallStart = 0;
  const write = (wallMs: number, t: number | undefined, text: string) => {
    const virtual = t === undefined ? ''.padStart(9) : `t+${formatClock(t)}`.padStart(9);
    const wall = `${((wallMs - wallStart) / 1000).toFixed(2)}s`.padStart(8);
    out.write(`${virtual} ${wall}  ${text}\n`);
  };
  return (event) => {
    switch (event.kind) {
      case 'run.started':
        wallStart = event.wallMs;
        out.write(`gameday run ${event.runId}: ${event.scenarios} scenario${event.scenarios === 1 ? '' : 's'}, environment ${event.environment} on ${event.target}, seed ${event.seed}\n`);
        return;
      case 'scenario.started':
        return write(event.wallMs, event.t, `▶ ${event.scenario}  (${event.detail.uri}:${event.detail.line})`);
      case 'scenario.finished':
        return write(event.wallMs, undefined, `${event.status === 'passed' ? '✔' : '✘'} ${event.scenario}: ${event.status}${event.error ? `: ${event.error}` : ''}`);
      case 'fault.injected':
        return write(event.wallMs, event.t, `  ⚡ fault ${event.detail.fault}: ${event.detail.action}${event.detail.experimentId ? ` (${event.detail.experimentId})` : ''}`);
      case 'experiment.state': {
        const { endedAt } = event.detail;
        const seenAfter = endedAt ? (Date.parse(event.at) - Date.parse(endedAt)) / 1000 : 0;
        const ended = seenAfter > 0 ? ` (ended ${formatSeconds(seenAfter)} before this look)` : '';
        return write(event.wallMs, event.t, `  FIS ${event.detail.experimentId} ${event.detail.state}${ended}${event.detail.reason ? `: ${event.detail.reason}` : ''}`);
      }
      case 'action.started':
        return write(event.wallMs, event.t, `  → ${event.detail.action} ${event.detail.target}${event.detail.region ? ` (${event.detail.region})` : ''}`);
      case 'action.completed':
        return write(event.wallMs, event.t, `  ✓ ${event.detail.action} ${event.detail.target} in ${formatSeconds(event.detail.seconds)}${event.detail.outcome ? `: ${event.detail.outcome}` : ''}`);
      case 'recovered':
        return write(event.wallMs, event.t, `  ♥ ${event.detail.target} healthy again ${formatSeconds(event.detail.seconds)} after the fault`);
      case 'objective.checked': {
        const d = event.detail;
        const measured = d.measuredSeconds === null ? 'not recovered' : `${formatSeconds(d.measuredSeconds)} ±${d.resolutionSeconds} s`;
        const truth = d.truthSeconds !== undefined ? `, truth ${formatSeconds(d.truthSeconds)}` : '';
        const lost = d.lostWrites !== undefined ? `, ${d.lostWrites} write${d.lostWrites === 1 ? '' : 's'} lost` : '';
        return write(event.wallMs, event.t, `  ${d.met ? '✔' : '✘'} ${d.objective.toUpperCase()} ${d.target}: ${measured} (target ${formatSeconds(d.targetSeconds)}${truth}${lost}) ${d.met ? 'met' : 'BREACHED'}`);
      }
      case 'check.passed':
      case 'check.failed':
        return write(event.wallMs, event.t, `  ${event.kind === 'check.passed' ? '✔' : '✘'} ${event.detail.check} ${event.detail.subject}: ${event.detail.evidence}`);
      case 'cleanup.step':
        return write(event.wallMs, event.t, `  ↺ cleanup ${event.detail.step}: ${event.detail.outcome}${event.detail.error ? ` (${event.detail.error})` : ''}`);
      case 'run.finished': {
        const { summary } = event.results;
        out.write(`\n${summary.scenarios} scenarios: ${summary.passed} passed, ${summary.failed} failed${summary.skipped ? `, ${summary.skipped} skipped` : ''}\n`);
        out.write(`report: ${event.dir}\n`);
        return;
      }
      default:
        // probe.sample, canary.write and the like are too many for a line each; the JSON renderer has them.
        return;
    }
  };
}

function formatClock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}
