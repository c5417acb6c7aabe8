import { describe, expect, it } from 'vitest';
import { histogramLines, histogramOf } from '../src/report/histogram.js';
import { renderReport } from '../src/report/html/index.js';
import { applySamples, replayCommand, type SampleRecord } from '../src/report/samples.js';
import type { RunResults } from '../src/report/types.js';
import { sampleLines } from '../src/ui/plain.js';
import { loadFixtureRun } from './fixtures/runs/fixture-runs.js';
import { validateAgainst } from './support/json-schema.js';

/**
 * Each objective's distribution under --samples as a histogram with the
 * target marked (issue 14): the bins results.json keeps, the text the plain
 * output draws, and the inline SVG of the HTML report, over the SecureCart
 * fixture run with samples added to its Multi-AZ scenario.
 */

describe('histogramOf', () => {
  it('lays the bins on a grid through the target, so the target is an edge and a figure equal to it falls below it', () => {
    const histogram = histogramOf([61, 75, 80, 80, 119, 120, 121, 200], 120)!;
    expect(histogram.binSeconds).toBe(15);
    expect(histogram.bins[0]).toEqual({ toSeconds: 75, count: 2 });
    expect(histogram.bins.every((bin) => (bin.toSeconds - 120) % 15 === 0)).toBe(true);
    // (105, 120] holds 119 and 120: met; 121 is in the next bin.
    expect(histogram.bins.find((bin) => bin.toSeconds === 120)).toEqual({ toSeconds: 120, count: 2 });
    expect(histogram.bins.find((bin) => bin.toSeconds === 135)).toEqual({ toSeconds: 135, count: 1 });
    // Empty bins are kept: the gap before the slow tail shows.
    expect(histogram.bins.at(-1)).toEqual({ toSeconds: 210, count: 1 });
    expect(histogram.bins.reduce((sum, bin) => sum + bin.count, 0)).toBe(8);
    expect(histogram.bins.length).toBeLessThanOrEqual(12);
  });

  it('keeps every figure the same in one bin, zero included, and has no histogram without a recovered figure', () => {
    expect(histogramOf([0, 0, 0], 0)).toEqual({ binSeconds: 1, bins: [{ toSeconds: 0, count: 3 }] });
    expect(histogramOf([], 300)).toBeUndefined();
  });

  it('widens its bins to stay within 12 over a long tail', () => {
    const histogram = histogramOf([60, 90, 7200], 900)!;
    expect(histogram.bins.length).toBeLessThanOrEqual(12);
    expect(histogram.binSeconds).toBe(900);
    expect(histogram.bins.map((b) => [b.toSeconds, b.count])).toEqual([[900, 2], [1800, 0], [2700, 0], [3600, 0], [4500, 0], [5400, 0], [6300, 0], [7200, 1]]);
  });
});

describe('the text histogram', () => {
  it('draws a bar per bin and the target line between the met bins and the breached ones, unrecovered samples last', () => {
    const lines = histogramLines(histogramOf([61, 75, 80, 125, 130], 120)!, { targetSeconds: 120, unrecovered: 1 }, '  ');
    expect(lines).toEqual([
      '       1 min – 1 min 10 s │███████████████ 1',
      '  1 min 10 s – 1 min 20 s │██████████████████████████████ 2',
      '  1 min 20 s – 1 min 30 s │0',
      '  1 min 30 s – 1 min 40 s │0',
      '  1 min 40 s – 1 min 50 s │0',
      '       1 min 50 s – 2 min │0',
      '                          ┼┄┄ target 2 min ┄┄ (met above, breached below)',
      '       2 min – 2 min 10 s │██████████████████████████████ 2',
      '            not recovered │███████████████ 1',
    ]);
  });
});

/**
 * Twelve samples of the fixture's first Multi-AZ scenario: by default its RTO spread over 70–200 s against
 * 5 min, one never recovered.
 */
function sampled(figures: readonly (number | null)[] = [70, 75, 80, 80, 95, 100, 100, 110, 130, 200, 350, null], target = 300): RunResults {
  const { results } = loadFixtureRun('securecart');
  const scenario = results.scenarios.find((s) => s.rto && s.uri.includes('multi-az'))!;
  const records: SampleRecord[] = figures.map((measuredSeconds, sample) => ({
    scenarioId: scenario.id,
    sample,
    seed: 1000 + sample,
    status: measuredSeconds !== null && measuredSeconds <= target ? 'passed' : 'failed',
    rto: { targetSeconds: target, measuredSeconds, met: measuredSeconds !== null && measuredSeconds <= target },
    rpo: { targetSeconds: 0, measuredSeconds: 0, met: true },
    durations: { 'failover orders-db': measuredSeconds ?? 400 },
  }));
  return applySamples(results, figures.length, new Map([[scenario.id, records]]), () => 0.8, (s) => replayCommand(s.uri, s.line));
}

describe('results.json', () => {
  it('keeps each distribution with its histogram, as the schema says', () => {
    const results = sampled();
    expect(validateAgainst('schemas/results.schema.json', results)).toEqual([]);
    const rto = results.scenarios.find((s) => s.samples)!.samples!.rto!;
    expect(rto.histogram!.bins.reduce((sum, bin) => sum + bin.count, 0) + rto.unrecovered).toBe(12);
  });
});

describe('plain output', () => {
  it('shows the RTO histogram with the target under the distribution line, and none where every sample measured the same', () => {
    const text = sampleLines(sampled());
    const lines = text.split('\n');
    const rtoAt = lines.findIndex((l) => l.includes('RTO p50'));
    const rpoAt = lines.findIndex((l) => l.includes('RPO p50'));
    const between = lines.slice(rtoAt + 1, rpoAt);
    expect(between.some((l) => /┼┄┄ target 5 min ┄┄/.test(l))).toBe(true);
    expect(between.some((l) => /not recovered │█+ 1$/.test(l))).toBe(true);
    expect(between.filter((l) => / │/.test(l)).length).toBeGreaterThan(3);
    // The RPO was 0 s in every sample: no histogram after it.
    expect(lines.slice(rpoAt + 1).some((l) => l.includes('┼┄┄'))).toBe(false);
  });
});

describe('the HTML report', () => {
  const html = renderReport({ ...loadFixtureRun('securecart'), results: sampled() });

  it('draws a histogram per objective as inline SVG, the target line among its bins, server-rendered; none where every sample measured the same', () => {
    const svgs = [...html.matchAll(/<svg viewBox="[^"]*" role="img" aria-label="([^"]*)" class="histogram">([\s\S]*?)<\/svg>/g)];
    // The RPO was 0 s in every sample: said in a line, as the plain output does, not drawn as one full bar.
    expect(svgs.map(([, label]) => label!.slice(0, 20))).toEqual(['RTO over 12 samples:']);
    expect(html).toContain('Every sample measured 0 s: no spread to chart.');
    const rto = svgs[0]![2]!;
    expect(rto).toContain('class="target-line"');
    expect(rto).toContain('target 5 min');
    // Met bins, the breached 350 s, the unrecovered sample as its own hatched bar.
    expect(rto).toMatch(/class="bar-met"/);
    expect(rto).toMatch(/class="bar-breached"/);
    expect(rto).toMatch(/class="bar-unknown"/);
    expect(rto).toContain('not recovered');
    expect(svgs[0]![1]).toContain('met in 10 of 12 samples');
    expect(html).toContain('Over 12 samples');
  });

  it('points the label of the target off the axis where the target lies beyond every bin, or before them', () => {
    const rtoSvg = (results: RunResults) => /<svg viewBox="[^"]*" role="img" aria-label="RTO[^"]*" class="histogram">([\s\S]*?)<\/svg>/.exec(renderReport({ ...loadFixtureRun('securecart'), results }))![1]!;
    // Every failover within 1–2 min against a 45-minute RTO: the axis spans the bins, not the 45 minutes.
    const far = rtoSvg(sampled([70, 75, 80, 90, 100, 110], 45 * 60));
    expect(far).toContain('target 45 min →');
    expect(far).not.toMatch(/class="bar-breached"/);
    // Every figure over a 30-second target: the target lies before the first bin.
    const short = rtoSvg(sampled([300, 320, 360, 400], 30));
    expect(short).toContain('← target 30 s');
    expect(short).not.toMatch(/class="bar-met"/);
    // A target among the bins gets no arrow.
    expect(html).not.toMatch(/← target|target [^<]*→/);
  });

  it('stays one self-contained file: no script of its own for the histogram', () => {
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag);
    expect(scripts).toEqual(['<script type="application/json" id="gameday-report-data">', '<script>']);
    expect(html).not.toMatch(/<(img|link|iframe)\b/);
  });
});
