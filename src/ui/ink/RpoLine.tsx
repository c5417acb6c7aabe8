import { Line } from './Line.js';
import { Span } from './Span.js';
import { count, formatSeconds } from './format.js';
import type { ScenarioView } from './state.js';

/** The RPO so far, from the canary: writes acknowledged and refused, then lost once read back, then the verdict. */
export function RpoLine({ scenario, width }: { scenario: ScenarioView; width: number }) {
  const verdict = scenario.rpo;
  const canary = scenario.canaries[0];
  const target = verdict?.targetSeconds ?? scenario.targets.rpoSeconds;
  const targetText = target === undefined ? 'no target' : formatSeconds(target);
  const writes = canary ? `${canary.name} ${canary.acknowledged} acknowledged${canary.failed ? `, ${canary.failed} refused` : ''}` : 'no canary writes yet';
  if (verdict) {
    const measured = verdict.measuredSeconds === null ? 'unknown' : `${formatSeconds(verdict.measuredSeconds)} ±${formatSeconds(verdict.resolutionSeconds)}`;
    const lost = verdict.lostWrites !== undefined ? ` · ${count(verdict.lostWrites, 'write')} lost` : '';
    return (
      <Line width={width}>
        RPO{' '}
        <Span tone={verdict.met ? 'ok' : 'bad'}>
          {measured} of {formatSeconds(verdict.targetSeconds)}: {verdict.met ? '✔ met' : '✘ BREACHED'}
        </Span>
        {lost} · {writes}
      </Line>
    );
  }
  const lost = canary?.lost;
  return (
    <Line width={width}>
      RPO {targetText} · {writes} ·{' '}
      {lost === undefined ? (
        <Span tone="dim">lost ? (read back after recovery)</Span>
      ) : (
        <Span tone={lost.length ? 'warn' : 'ok'}>
          {lost.length} lost{lost.length ? ` (seq ${lost.slice(0, 5).join(', ')}${lost.length > 5 ? ', …' : ''})` : ''}
        </Span>
      )}
    </Line>
  );
}
