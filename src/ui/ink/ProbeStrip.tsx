import { Line } from './Line.js';
import { Span } from './Span.js';
import type { ProbeView } from './state.js';

/** The newest probe samples, oldest left: `▇` up, `x` down (two shapes, not two colours). */
export function ProbeStrip({ probe, width }: { probe: ProbeView; width: number }) {
  const label = `probe ${probe.target}`;
  const last = probe.samples[probe.samples.length - 1];
  const tally = ` up ${probe.up} · down ${probe.down}${last === undefined ? '' : last ? ' · UP now' : ' · DOWN now'}`;
  const room = Math.max(0, width - label.length - 1 - tally.length);
  const samples = probe.samples.slice(-room);
  // Runs of one state as one Span: a strip of 60 samples is a handful of Text nodes, not 60.
  const runs: { ok: boolean; length: number }[] = [];
  for (const ok of samples) {
    const run = runs[runs.length - 1];
    if (run && run.ok === ok) run.length++;
    else runs.push({ ok, length: 1 });
  }
  return (
    <Line width={width}>
      {label}
      {runs.length ? ' ' : ''}
      {runs.map((run, index) => (
        <Span key={index} tone={run.ok ? 'ok' : 'bad'}>
          {(run.ok ? '▇' : 'x').repeat(run.length)}
        </Span>
      ))}
      <Span tone={last === false ? 'bad' : 'plain'}>{tally}</Span>
    </Line>
  );
}
