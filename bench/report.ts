/**
 * The HTML report (issue "The HTML game-day report"): how big the SecureCart
 * run's index.html is (target < 1.5 MB), and how long `gameday report`
 * takes to rebuild it from the run folder (target < 1 s), the report alone
 * and everything it rebuilds (results.json, junit.xml, index.html,
 * cucumber.html). After one run of the suite, in this process.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeReport } from '../src/report/html/index.js';
import { rerender } from '../src/run/aftermath.js';
import { runGameDay } from '../src/run/run-game-day.js';

type Report = (figure: { name: string; value: number; unit: string; note?: string }) => void;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(times: number, work: () => Promise<unknown>): Promise<number> {
  const seconds: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await work();
    seconds.push((performance.now() - started) / 1000);
  }
  return median(seconds);
}

export async function reportBench(root: string, report: Report): Promise<void> {
  const out = await mkdtemp(join(tmpdir(), 'gameday-report-bench-'));
  try {
    const outcome = await runGameDay({ paths: ['features'], speed: 'max', outDir: out, parallel: 0, dryRun: false }, { cwd: root, wallNow: () => Date.now() }, () => {});
    const dir = outcome.dir!;
    const size = async (file: string) => (await stat(join(dir, file))).size / (1024 * 1024);
    report({ name: 'SecureCart index.html (the HTML report)', value: await size('index.html'), unit: 'MB', note: 'target < 1.5 MB' });
    report({ name: 'SecureCart cucumber.html (cucumber’s own view)', value: await size('cucumber.html'), unit: 'MB' });
    // The first render loads React's server renderer: measured apart, then the median of five.
    const first = await timed(1, () => writeReport(dir));
    report({ name: 'index.html rebuilt from the run folder (median of 5)', value: await timed(5, () => writeReport(dir)), unit: 's', note: `target < 1 s; the first, loading the renderer: ${first.toFixed(2)} s` });
    report({ name: '`gameday report`: results, junit, index.html, cucumber.html (median of 3)', value: await timed(3, () => rerender(root, dir)), unit: 's' });
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
