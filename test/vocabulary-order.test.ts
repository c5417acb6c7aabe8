import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vocabulary } from '../src/harness/vocabulary.js';

/**
 * The phrase table (src/harness/vocabulary.ts) lists every step in the order
 * of the README's step vocabulary, so a reader can go from one to the other;
 * a step added to one and not the other, or in another place, fails here.
 */
describe('the phrase table', () => {
  it("holds the README's step vocabulary, in its order", () => {
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### The step vocabulary'), readme.indexOf('`{duration}`: '));
    const phrases = new Set(vocabulary.map((d) => d.phrase));
    const listed = [...section.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).filter((p, i, all) => phrases.has(p) && all.indexOf(p) === i);
    expect(vocabulary.map((d) => d.phrase)).toEqual(listed);
  });
});
