#!/usr/bin/env node
// The golden results of the shipped SecureCart suite: `gameday run` over
// features/ on the sim target with the environment the features name, under
// seeds 1, 2 and 42, each results.json with its wall-clock fields normalised
// (test/golden.test.ts compares them byte for byte with test/golden/).
//
//   npm run golden                       build, then rewrite test/golden/ (a behaviour change is intended)
//   node scripts/golden.mjs --out DIR    write them to DIR instead (what the test does)
//
// Through the build in dist/, in one Node process for the three seeds, as
// runGameDay runs for the CLI: under vitest, cucumber's step files and the run
// would each get their own copy of our modules.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SEEDS = [1, 2, 42];
export const GOLDEN_DIR = 'test/golden';
export const goldenFile = (seed) => `results-seed-${seed}.json`;

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * What in results.json depends on when and where the run happened rather
 * than on the features, the environment and the seed: the run id (the wall
 * clock at its start, the run folder's name), its start and end, the wall
 * seconds of each scenario and step, the instants of notes typed during the
 * run, and the git commit the features were read at (left out). Everything else must be
 * the same, byte for byte, run after run.
 */
export function normaliseResults(text) {
  const results = JSON.parse(text);
  // The comparison is of the file as written: refuse a results.json this
  // re-serialisation would not give back unchanged (another indentation, key order kept by JSON.parse).
  if (`${JSON.stringify(results, null, 2)}\n` !== text) throw new Error('results.json is not JSON.stringify(results, null, 2) + newline: the normaliser would change more than it means to');
  results.runId = '<run-id>';
  results.startedAt = '<wall-clock>';
  results.finishedAt = '<wall-clock>';
  // The CLI asks git at the edge; a run in process is told none.
  delete results.specsCommit;
  for (const note of results.notes ?? []) note.at = '<wall-clock>';
  for (const scenario of results.scenarios) {
    scenario.wallSeconds = 0;
    for (const step of scenario.steps) step.wallSeconds = 0;
  }
  return `${JSON.stringify(results, null, 2)}\n`;
}

/** Run the suite under each seed and write its normalised results.json to `outDir`. */
export async function writeGolden(outDir) {
  const { runGameDay } = await import(join(root, 'dist', 'src', 'run', 'run-game-day.js'));
  const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  const reports = await mkdtemp(join(tmpdir(), 'gameday-golden-'));
  await mkdir(outDir, { recursive: true });
  try {
    for (const seed of SEEDS) {
      const outcome = await runGameDay(
        { paths: ['features'], seed, speed: 'max', outDir: reports, parallel: 0, dryRun: false },
        { cwd: root, wallNow: () => Date.now(), version },
        () => {},
      );
      if (!outcome.dir) throw new Error(`seed ${seed}: the run wrote no run folder (exit ${outcome.exitCode})`);
      const text = await readFile(join(outcome.dir, 'results.json'), 'utf8');
      await writeFile(join(outDir, goldenFile(seed)), normaliseResults(text));
    }
  } finally {
    await rm(reports, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--out');
  const outDir = at >= 0 ? process.argv[at + 1] : join(root, GOLDEN_DIR);
  if (!outDir) throw new Error('--out needs a folder');
  await writeGolden(outDir);
  console.log(`wrote ${SEEDS.map(goldenFile).join(', ')} in ${outDir}`);
}
