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
