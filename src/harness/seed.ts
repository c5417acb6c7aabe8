/**
 * A scenario's own seed, from the run's seed and what the scenario is (its
 * identity key: the feature's path, its name, an outline's example values,
 * an ordinal among same-named ones): independent of the order scenarios run
 * in, of --parallel, and of lines added elsewhere in the file.
 */
export function scenarioSeed(runSeed: number, identityKey: string): number {
  // FNV-1a, 32 bits.
  let hash = 0x811c9dc5;
  for (const char of `${runSeed}\u0000${identityKey}`) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The most seeds a scenario runs under (`--samples`, `sim.samples`). */
export const MAX_SAMPLES = 100_000;

/**
 * The run seed of sample `sample` of a run with `--samples`: sample 0 is the
 * run's own seed (the plain run), the others are hashed from it and the
 * sample's number. A run seed, not a scenario's: `gameday run file:LINE
 * --seed S` with it replays that sample of any scenario exactly, because the
 * scenario's seed then derives from S as it did in the sample.
 */
export function sampleSeed(runSeed: number, sample: number): number {
  if (sample === 0) return runSeed;
  return scenarioSeed(runSeed, `sample\u0000${sample}`);
}
