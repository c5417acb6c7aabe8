/**
 * The game-day harness, measured in process (after start-up, which `npm start`
 * pays once): the whole SecureCart suite's wall and simulated time, the
 * per-scenario overhead of a 200-row Scenario Outline, and peak memory.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { runGameDay } from '../src/run/run-game-day.js';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface HarnessFigures {
  suiteWallSeconds: number;
  suiteSimulatedSeconds: number;
  scenarios: number;
  perScenarioOverheadMs: number;
  peakRssMb: number;
}

async function run(paths: string[], out: string): Promise<{ wallSeconds: number; simulatedSeconds: number; scenarios: number; failed: number }> {
  const started = performance.now();
  const outcome = await runGameDay(
    { paths, speed: 'max', outDir: out, parallel: 0, dryRun: false },
    { cwd: root, wallNow: () => Date.now() },
    () => {},
  );
  const wallSeconds = (performance.now() - started) / 1000;
  const scenarios = outcome.results?.scenarios ?? [];
  return {
    wallSeconds,
    simulatedSeconds: scenarios.reduce((sum, s) => sum + (s.simulatedSeconds ?? 0), 0),
    scenarios: scenarios.length,
    failed: outcome.results?.summary.failed ?? 0,
  };
}

const OUTLINE_ROWS = 200;

function outline(rows: number): string {
  const examples = Array.from({ length: rows }, (_, i) => `      | ${1 + (i % 7)} |`).join('\n');
  return `Feature: Per-scenario overhead
  Scenario Outline: Retention of at least <days> days
    Given the "securecart" environment
    Then every RDS instance keeps automated backups for at least <days> days

    Examples:
      | days |
${examples}
`;
}

export async function harnessBench(report: (name: string, value: number, unit: string, note?: string) => void): Promise<HarnessFigures> {
  const out = await mkdtemp(join(tmpdir(), 'gameday-bench-'));
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  try {
    // Warm-up: module loading and cucumber's support code load once per process.
    await run(['features/backup-posture.feature'], out);
    const suite = await run(['features'], out);
    if (suite.failed) console.log(`  (${suite.failed} scenarios of the suite failed)`);
    report('SecureCart suite: wall time (in process, after start-up)', suite.wallSeconds, 's', `${suite.scenarios} scenarios; target < 5 s`);
    report('SecureCart suite: simulated time', suite.simulatedSeconds, 's');
    report('SecureCart suite: simulated ÷ wall', suite.simulatedSeconds / suite.wallSeconds, '×', 'target > 2,000×');

    const featureDir = await mkdtemp(join(tmpdir(), 'gameday-outline-'));
    const one = join(featureDir, 'one.feature');
    const many = join(featureDir, 'many.feature');
    await writeFile(one, outline(1));
    await writeFile(many, outline(OUTLINE_ROWS));
    const single = await run([one], out);
    const outlined = await run([many], out);
    const overheadMs = ((outlined.wallSeconds - single.wallSeconds) / (OUTLINE_ROWS - 1)) * 1000;
    report(`per-scenario overhead, ${OUTLINE_ROWS}-row Scenario Outline`, overheadMs, 'ms', 'target < 50 ms');
    await rm(featureDir, { recursive: true, force: true });
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    report('peak RSS of the harness process', peakRss / 1024 / 1024, 'MB', 'target < 300 MB');
    return {
      suiteWallSeconds: suite.wallSeconds,
      suiteSimulatedSeconds: suite.simulatedSeconds,
      scenarios: suite.scenarios,
      perScenarioOverheadMs: overheadMs,
      peakRssMb: peakRss / 1024 / 1024,
    };
  } finally {
    clearInterval(sampler);
    await rm(out, { recursive: true, force: true });
  }
}
