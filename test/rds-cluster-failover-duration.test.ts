import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { defaultCalibration, longestSeconds } from '../src/sim/calibration.js';
import { createSimulator } from '../src/sim/index.js';
import { createRdsModule, type RdsModule } from '../src/sim/services/rds/index.js';

/**
 * An Aurora cluster's failover, as the RDS model times it, over 1,000
 * seeds: the calibrated `rds.cluster.failover` (15–35 s bulk, a slow tail
 * of a few in a hundred up to twice the top), not a duration of its own.
 */

const SEEDS = 1000;

async function failoverSeconds(seed: number): Promise<number> {
  const clock = new VirtualClock({ start: Date.UTC(2026, 0, 5) });
  const sim = createSimulator({ clock, seed, services: [createRdsModule] });
  const model = sim.world.module<RdsModule>('rds').model;
  model.seedCluster({ identifier: 'checkout', region: 'us-east-1', engine: 'aurora-postgresql' });
  model.failoverDBCluster('us-east-1', { DBClusterIdentifier: 'checkout' });
  await clock.advance(longestSeconds(defaultCalibration['rds.cluster.failover']) * 1000 + 1000);
  const completed = sim.world.events.find((e) => e.kind === 'rds.failover.completed');
  if (!completed) throw new Error(`seed ${seed}: the failover did not complete`);
  return Number(completed.detail['durationMs']) / 1000;
}

describe('an Aurora cluster failover over 1,000 seeds', () => {
  it('takes 15–35 s, but for a slow tail of about 4% up to 70 s', async () => {
    const model = defaultCalibration['rds.cluster.failover'];
    const draws: number[] = [];
    for (let seed = 0; seed < SEEDS; seed++) draws.push(await failoverSeconds(seed));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(15);
    expect(Math.max(...draws)).toBeLessThanOrEqual(70);
    const tail = draws.filter((s) => s > model.maxSeconds);
    const expected = model.tail!.share * SEEDS;
    const sigma = Math.sqrt(SEEDS * model.tail!.share * (1 - model.tail!.share));
    expect(tail.length).toBeGreaterThanOrEqual(expected - 4 * sigma);
    expect(tail.length).toBeLessThanOrEqual(expected + 4 * sigma);
    // The bulk spans the published range.
    expect(draws.some((s) => s <= 17)).toBe(true);
    expect(draws.some((s) => s >= 33 && s <= 35)).toBe(true);
  });
});
