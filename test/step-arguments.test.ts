import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Step arguments are typed from their phrase (`step()` in
 * src/harness/types.ts), so a step needs no `as string` / `as number` of its
 * own (issue 15: at most 5 such casts left in src/harness/ and steps/). A
 * cast that creeps back means an argument lost its type somewhere, and the
 * compiler stopped checking what the phrase hands the step.
 */
const LIMIT = 5;
const CAST = / as (string|number|boolean)\b/g;
const ROOT = join(import.meta.dirname, '..');

function casts(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    if (!/\.tsx?$/.test(name)) continue;
    const lines = readFileSync(join(ROOT, dir, name), 'utf8').split('\n');
    lines.forEach((line, i) => {
      for (const _ of line.matchAll(CAST)) found.push(`${dir}/${name}:${i + 1}: ${line.trim()}`);
    });
  }
  return found;
}

describe('casts of step arguments in src/harness/ and steps/', () => {
  it(`are at most ${LIMIT}`, () => {
    const found = [...casts('src/harness'), ...casts('steps')];
    expect(found.length, `casts to string, number or boolean:\n${found.join('\n')}`).toBeLessThanOrEqual(LIMIT);
  });

  it('are what the count sees: a cast in a step is found', () => {
    expect('run: (ctx, [name]) => promote(ctx, name as string),'.match(CAST)).toHaveLength(1);
  });
});
