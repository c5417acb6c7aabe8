import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * No source file in src/ or steps/ over 1,000 lines (issue 15): past that a
 * file is several concerns in one, and the next reader has to find the seams
 * the author did not cut. Split such a file by concern (as
 * src/sim/services/dynamodb/ and rds/ are: a model holding the state, and a
 * file of functions over it per concern) rather than raising the limit.
 * Tests are left out: a suite's length follows the behaviour it covers.
 */
const LIMIT = 1_000;
const ROOT = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))
    .sort();
}

/** Lines as an editor numbers them: a final newline does not start another. */
function lineCount(file: string): number {
  const text = readFileSync(join(ROOT, file), 'utf8');
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

describe(`source files in src/ and steps/ (at most ${LIMIT} lines each)`, () => {
  const files = [...sources('src'), ...sources('steps')];

  it('finds the sources it measures', () => {
    expect(files).toContain('src/sim/services/rds/model.ts');
    expect(files.some((f) => f.startsWith('steps/'))).toBe(true);
  });

  it('has none over the limit', () => {
    const over = files.map((file) => ({ file, lines: lineCount(file) })).filter((f) => f.lines > LIMIT);
    expect(over.map((f) => `${f.file}: ${f.lines} lines (limit ${LIMIT}); split it by concern`)).toEqual([]);
  });
});
