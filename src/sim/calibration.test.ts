import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/virtual-clock.js';
import { calibrationTable, defaultCalibration, drawSeconds, longestSeconds, type CalibrationKey } from './calibration.js';
import { createRng } from './rng.js';
import { World } from './world.js';

const SEEDS = 1000;
const keys = Object.keys(calibrationTable) as CalibrationKey[];

/** One draw per seed, each from a fresh world as a model makes it (a stream forked per resource). */
function drawsOver(key: CalibrationKey, scale?: number): number[] {
  const out: number[] = [];
  for (let seed = 0; seed < SEEDS; seed++) {
    const world = new World({ clock: new VirtualClock({ start: 0 }), seed });
    out.push(world.duration(key, world.rng.fork(`resource/${key}`), scale) / 1000);
  }
  return out;
}

describe('calibrated durations over 1,000 seeds', () => {
  it('cites a source for every duration and keeps every tail within 2–5% and 2× the top', () => {
    for (const key of keys) {
      const { model, source } = calibrationTable[key];
      expect(source.length, key).toBeGreaterThan(40);
      expect(model.minSeconds, key).toBeLessThanOrEqual(model.maxSeconds);
      if (!model.tail) {
        // Only fixed schedules go without a tail, and they say so.
        expect(model.minSeconds, key).toBe(model.maxSeconds);
        expect(source, key).toMatch(/no tail/);
        continue;
      }
      expect(model.tail.share, key).toBeGreaterThanOrEqual(0.02);
      expect(model.tail.share, key).toBeLessThanOrEqual(0.05);
      expect(model.tail.factor, key).toBeLessThanOrEqual(2);
    }
  });

  for (const key of keys) {
    const model = defaultCalibration[key];
    if (!model.tail) {
      it(`${key}: a fixed schedule, the same every seed`, () => {
        const draws = drawsOver(key);
        expect(new Set(draws)).toEqual(new Set([model.maxSeconds]));
      });
      continue;
    }
    it(`${key}: bulk in ${model.minSeconds}–${model.maxSeconds} s, a tail of ~${model.tail.share * 100}% up to ${longestSeconds(model)} s`, () => {
      const draws = drawsOver(key);
      const bulk = draws.filter((s) => s >= model.minSeconds && s <= model.maxSeconds);
      const tail = draws.filter((s) => s > model.maxSeconds);
      // Nothing faster than published, nothing slower than the tail's ceiling.
      expect(Math.min(...draws)).toBeGreaterThanOrEqual(model.minSeconds);
      expect(Math.max(...draws)).toBeLessThanOrEqual(longestSeconds(model));
      expect(bulk.length + tail.length).toBe(SEEDS);
      // The tail is there, and about as big as calibrated: share ± a binomial's 4σ at 1,000 draws.
      const expected = model.tail!.share * SEEDS;
      const sigma = Math.sqrt(SEEDS * model.tail!.share * (1 - model.tail!.share));
      expect(tail.length).toBeGreaterThanOrEqual(Math.max(1, expected - 4 * sigma));
      expect(tail.length).toBeLessThanOrEqual(expected + 4 * sigma);
      // The bulk covers the published range: draws in its lowest and highest tenth.
      const span = model.maxSeconds - model.minSeconds;
      expect(bulk.some((s) => s <= model.minSeconds + span / 10)).toBe(true);
      expect(bulk.some((s) => s >= model.maxSeconds - span / 10)).toBe(true);
      // Most slow draws are a little slow: the median tail draw is in the tail's lower half.
      const sorted = [...tail].sort((a, b) => a - b);
      expect(sorted[Math.floor(sorted.length / 2)]!).toBeLessThan(model.maxSeconds + (longestSeconds(model) - model.maxSeconds) / 2);
    });
  }

  it('sized work keeps its tail bounded too, at the smallest and the largest size', () => {
    const model = defaultCalibration['rds.restore'];
    for (const scale of [0, 1]) {
      const draws = drawsOver('rds.restore', scale);
      const centre = model.minSeconds + (model.maxSeconds - model.minSeconds) * scale;
      const jitter = (model.maxSeconds - model.minSeconds) * 0.15;
      const slow = draws.filter((s) => s > Math.min(model.maxSeconds, centre + jitter));
      expect(Math.min(...draws)).toBeGreaterThanOrEqual(model.minSeconds);
      expect(Math.max(...draws)).toBeLessThanOrEqual(longestSeconds(model));
      expect(slow.length).toBeGreaterThan(0);
      expect(slow.length).toBeLessThan(SEEDS * 0.06);
    }
  });

  it('takes one draw from the stream whatever it lands on, so a slow draw shifts nothing after it', () => {
    const model = defaultCalibration['rds.instance.failover'];
    for (let seed = 0; seed < 200; seed++) {
      const a = createRng(seed);
      const b = createRng(seed);
      drawSeconds(model, a);
      b.next();
      expect(a.next()).toBe(b.next());
    }
  });

  it('draws no tail where an override sets its share to 0', () => {
    const world = new World({
      clock: new VirtualClock({ start: 0 }),
      seed: 1,
      calibration: { 'rds.instance.failover': { minSeconds: 60, maxSeconds: 120 } },
    });
    const draws = Array.from({ length: SEEDS }, (_, i) => world.duration('rds.instance.failover', world.rng.fork(String(i))));
    expect(Math.max(...draws)).toBeLessThanOrEqual(120_000);
  });
});

/** The README writes a duration in minutes when its range starts at 2 minutes or more, else in seconds. */
function readmeCells(key: CalibrationKey): string {
  const model = defaultCalibration[key];
  const inMinutes = model.minSeconds >= 120 && model.minSeconds % 60 === 0 && model.maxSeconds % 60 === 0;
  const [unit, per] = inMinutes ? ['min', 60] : ['s', 1];
  const bulk = model.minSeconds === model.maxSeconds ? `${model.minSeconds / per}` : `${model.minSeconds / per}–${model.maxSeconds / per}`;
  const tail = model.tail ? `${Math.round(model.tail.share * 100)}% up to ${longestSeconds(model) / per} ${unit}` : 'none';
  return `| \`${key}\` | ${bulk} ${unit} | ${tail} |`;
}

describe("the README's calibration table", () => {
  it('lists every calibrated duration with its range and tail', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const missing = keys.filter((key) => !readme.split('\n').some((line) => line.startsWith(readmeCells(key))));
    expect(missing.map(readmeCells)).toEqual([]);
  });
});
