import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript beside the launcher, without declarations
import { staleBuild } from '../bin/stale-build.js';
// @ts-expect-error plain JavaScript script, without declarations
import { GOLDEN_DIR, SEEDS, goldenFile } from '../scripts/golden.mjs';

/**
 * Behaviour pinned: results.json of the shipped SecureCart suite (`gameday
 * run` over features/, sim target, the environment the features name) under
 * seeds 1, 2 and 42 is byte for byte the file in test/golden/, once the
 * fields that depend on the wall clock, the run folder or the git checkout
 * are normalised (scripts/golden.mjs, normaliseResults, says which).
 *
 * A change that is meant to change what a run measures or reports: run
 * `npm run golden` (builds, then rewrites test/golden/), read the diff of
 * test/golden/ and commit it with the change that caused it. A change that is
 * not meant to (a re-cut, a refactor) must leave this test green untouched.
 *
 * The three seeds run one after another in one Node process on dist/, as the
 * CLI runs them (scripts/golden.mjs; `npm test` builds first): under vitest,
 * cucumber's step files and the run would get two copies of each module.
 */
const ROOT = join(import.meta.dirname, '..');
const seeds = SEEDS as number[];
const fileOf = goldenFile as (seed: number) => string;

/** Where two texts first differ, by line, with a few lines around it: the whole of a 1 MB file helps nobody. */
function firstDifference(actual: string, golden: string): string {
  const a = actual.split('\n');
  const g = golden.split('\n');
  let line = 0;
  while (line < Math.max(a.length, g.length) && a[line] === g[line]) line++;
  const around = (lines: string[]) => lines.slice(Math.max(0, line - 3), line + 4).join('\n');
  return `first difference at line ${line + 1}\n--- golden\n${around(g)}\n--- this run\n${around(a)}`;
}

describe('results.json of the SecureCart suite under seeds 1, 2 and 42', () => {
  let dir: string;

  beforeAll(async () => {
    expect(staleBuild(ROOT), 'dist/ must be built from these sources: npm run build').toBeUndefined();
    dir = await mkdtemp(join(tmpdir(), 'gameday-golden-test-'));
    await promisify(execFile)(process.execPath, [join(ROOT, 'scripts', 'golden.mjs'), '--out', dir], {
      cwd: ROOT,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
  }, 300_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each(seeds)('seed %i: the same as test/golden/ byte for byte (wall-clock fields normalised)', async (seed) => {
    const golden = await readFile(join(ROOT, GOLDEN_DIR as string, fileOf(seed)), 'utf8');
    const actual = await readFile(join(dir, fileOf(seed)), 'utf8');
    const why = actual === golden ? '' : `${fileOf(seed)} differs from ${GOLDEN_DIR}/ (if the change is intended: npm run golden, and commit the diff)\n${firstDifference(actual, golden)}`;
    expect(actual === golden, why).toBe(true);
  });
});
