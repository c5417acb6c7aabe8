/**
 * A scenario's own seed, from the run's seed and where the scenario is:
 * independent of the order scenarios run in (and of --parallel).
 */
export function scenarioSeed(runSeed: number, uri: string, line: number): number {
  // FNV-1a, 32 bits.
  let hash = 0x811c9dc5;
  for (const char of `${runSeed}:${uri}:${line}`) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
