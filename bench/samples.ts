/**
 * `gameday run --samples` (issue 14), measured in a process of its own (so
 * that what the other benches allocated does not count): 200 samples of
 * features/multi-az-failover.feature after start-up, in this process and
 * spread over two worker processes (--parallel 2), the wall time per sample,
 * and the process's RSS after 50 and after 200 samples (a sample keeps only
 * its records, so the second should not grow with the count); then the
 * whole SecureCart suite at --samples 100 --parallel 2 (GAMEDAY_BENCH_SUITE_SAMPLES
 * changes the count; 0 leaves it out). Run compiled (`npm run bench` builds dist/ first), with the CLI's
 * heap settings, it measures what runs.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { tuneHeap } from '../src/cli/heap.js';
import { runGameDay } from '../src/run/run-game-day.js';
import { reportFromChild, type Report } from './child.js';
import { packageRoot } from './root.js';

const root = packageRoot(import.meta.url);
const FEATURE = 'features/multi-az-failover.feature';
const SAMPLES = 200;
/** The whole SecureCart suite (features/) at `--samples 100 --parallel 2`, issue 14's second figure: minutes, not seconds. */
const SUITE = 'features';
const SUITE_SAMPLES_DEFAULT = 100;

/** GAMEDAY_BENCH_SUITE_SAMPLES: fewer samples of the whole suite for a quicker look (0 leaves it out). */
export function suiteSamplesFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env['GAMEDAY_BENCH_SUITE_SAMPLES'];
  if (raw === undefined || raw === '') return SUITE_SAMPLES_DEFAULT;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0 || n === 1) throw new Error(`GAMEDAY_BENCH_SUITE_SAMPLES=${raw}: give a whole number of samples, 0 (leave the suite out) or at least 2`);
  return n;
}

/**
 * CPU seconds this process and its finished children (the sample workers)
 * have used: unlike wall time, it does not grow when the machine is shared.
 * Children's from /proc (Linux, in clock ticks of 1/100 s); elsewhere this
 * process's only.
 */
function cpuSeconds(): number {
  const own = process.cpuUsage();
  let children = 0;
  try {
    // Fields after the command name, which is in parentheses and may hold spaces: cutime and cstime are the 14th and 15th.
    const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /s, '').split(' ');
    children = (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    children = 0;
  }
  return (own.user + own.system) / 1e6 + children;
}

async function sampled(samples: number, out: string, parallel = 0, paths = [FEATURE]): Promise<{ wallSeconds: number; cpuSeconds: number; scenarios: number }> {
  const started = performance.now();
  const cpuBefore = cpuSeconds();
  const outcome = await runGameDay({ paths, speed: 'max', outDir: out, parallel, dryRun: false, samples }, { cwd: root, wallNow: () => Date.now() }, () => {});
  return { wallSeconds: (performance.now() - started) / 1000, cpuSeconds: cpuSeconds() - cpuBefore, scenarios: outcome.results?.scenarios.length ?? 0 };
}

/** Run in this process: the figures, as the child prints them. */
async function measure(report: Report): Promise<void> {
  const out = await mkdtemp(join(tmpdir(), 'gameday-bench-samples-'));
  try {
    // Warm-up: module loading and cucumber's support code load once per process.
    await sampled(2, out);
    const fewer = await sampled(50, out);
    const rssAfter50 = process.memoryUsage().rss / 2 ** 20;
    const many = await sampled(SAMPLES, out);
    const rssAfter200 = process.memoryUsage().rss / 2 ** 20;
    report(`--samples ${SAMPLES} of ${FEATURE}: wall time`, many.wallSeconds, 's', `${many.scenarios} scenarios each; target < 60 s on 2 cores`);
    const spread = await sampled(SAMPLES, out, 2);
    report(`--samples ${SAMPLES} --parallel 2: wall time`, spread.wallSeconds, 's', 'the plain run, then two sample workers');
    // What the machine's load cannot inflate: with two idle cores, --parallel 2's wall time is about half of it.
    report(`--samples ${SAMPLES}: CPU time`, many.cpuSeconds, 's', `in one process; wall ÷ CPU ${(many.wallSeconds / many.cpuSeconds).toFixed(2)} (above 1: the machine is shared)`);
    report(`--samples ${SAMPLES} --parallel 2: CPU time`, spread.cpuSeconds, 's', 'this process and its two workers: on 2 idle cores, wall ≈ half of it');
    report('--samples: wall time per sample of one scenario', (many.wallSeconds / (SAMPLES * many.scenarios)) * 1000, 'ms');
    report('--samples: wall time per sample, 50 against 200 samples', ((fewer.wallSeconds / 50) / (many.wallSeconds / SAMPLES)) * 100, '%', 'about 100%: no cost grows with the count');
    report('--samples: RSS after 50 samples', rssAfter50, 'MB');
    report(`--samples: RSS after ${SAMPLES} more`, rssAfter200, 'MB', 'flat: only per-sample records are kept');
    const suiteSamples = suiteSamplesFromEnv(process.env);
    if (suiteSamples > 0) {
      console.log(`  (the SecureCart suite at --samples ${suiteSamples} --parallel 2 takes minutes; GAMEDAY_BENCH_SUITE_SAMPLES=0 leaves it out)`);
      const suite = await sampled(suiteSamples, out, 2, [SUITE]);
      report(`SecureCart suite --samples ${suiteSamples} --parallel 2: wall time`, suite.wallSeconds / 60, 'min', `${suite.scenarios} scenarios each; target < 10 min on 2 cores`);
      report(`SecureCart suite --samples ${suiteSamples} --parallel 2: CPU time`, suite.cpuSeconds / 60, 'min', `on 2 idle cores, wall ≈ half of it: ${(suite.cpuSeconds / 120).toFixed(1)} min`);
      report('SecureCart suite: CPU time per sample of one scenario', (suite.cpuSeconds / (suiteSamples * suite.scenarios)) * 1000, 'ms');
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/** Spawn the measuring child (this file, `--child`) and pass its figures on. */
export async function samplesBench(report: Report): Promise<void> {
  await reportFromChild(import.meta.url, 'samples', report);
}

if (process.argv.includes('--child')) {
  // As bin/gameday.js does: the figures are those of the CLI a user runs.
  tuneHeap();
  await measure((name, value, unit, note) => console.log(JSON.stringify({ name, value, unit, ...(note ? { note } : {}) })));
}
