import { describe, expect, it } from 'vitest';
import { scenarioSeed } from '../harness/seed.js';
import { identify } from './identity.js';

describe('scenario identities', () => {
  it('come from the path, the name and the example values, never the line', () => {
    const one = identify([{ uri: 'features/a.feature', name: 'The region is lost', line: 7 }]);
    const moved = identify([{ uri: 'features/a.feature', name: 'The region is lost', line: 30 }]);
    expect(one.identities).toEqual(moved.identities);
    expect(one.identities[0]!.id).toBe('features/a.feature#the-region-is-lost');
    expect(scenarioSeed(42, one.identities[0]!.key)).toBe(scenarioSeed(42, moved.identities[0]!.key));
    expect(one.warnings).toEqual([]);
  });

  it("tell an outline's examples apart by their values, and differ with the run's seed", () => {
    const { identities } = identify([
      { uri: 'x.feature', name: 'Restore <size>', line: 10, example: { headers: ['size'], values: ['small'] } },
      { uri: 'x.feature', name: 'Restore <size>', line: 11, example: { headers: ['size'], values: ['large'] } },
    ]);
    expect(identities.map((i) => i.id)).toEqual(['x.feature#restore-size:small', 'x.feature#restore-size:large']);
    expect(scenarioSeed(1, identities[0]!.key)).not.toBe(scenarioSeed(1, identities[1]!.key));
    expect(scenarioSeed(1, identities[0]!.key)).not.toBe(scenarioSeed(2, identities[0]!.key));
  });

  it('tell same-named scenarios of one file apart by their order, with a warning at the second', () => {
    const { identities, warnings } = identify([
      { uri: 'x.feature', name: 'Backups', line: 3 },
      { uri: 'y.feature', name: 'Backups', line: 3 },
      { uri: 'x.feature', name: 'Backups', line: 9 },
    ]);
    expect(identities.map((i) => i.id)).toEqual(['x.feature#backups', 'y.feature#backups', 'x.feature#backups~2']);
    expect(new Set(identities.map((i) => i.key)).size).toBe(3);
    expect(warnings).toEqual([{ uri: 'x.feature', line: 9, message: expect.stringContaining('(line 3)') }]);
  });

  it('stay unique when two names differ only in punctuation', () => {
    const { identities, warnings } = identify([
      { uri: 'x.feature', name: "The primary's zone", line: 3 },
      { uri: 'x.feature', name: 'The primary s zone', line: 9 },
    ]);
    expect(identities[0]!.id).not.toBe(identities[1]!.id);
    expect(identities[0]!.key).not.toBe(identities[1]!.key);
    expect(warnings).toEqual([]);
  });
});
