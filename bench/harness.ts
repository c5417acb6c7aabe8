/**
 * The game-day harness, measured in a process of its own (so that what the
 * other benches allocated does not count): the whole SecureCart suite's wall
 * and simulated time in process after start-up, the per-scenario overhead of
 * a 200-row Scenario Outline, the process's peak RSS, and `npm start` end to
 * end (start-up included) as a user runs it. Run compiled (`npm run bench`
 * builds dist/ first), with the CLI's heap settings, it measures what runs.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { tuneHeap } from '../src/cli/heap.js';
import { runGameDay } from '../src/run/run-game-day.js';
import { reportFromChild, type Report } from './child.js';
import { packageRoot } from './root.js';

const root = packageRoot(import.meta.url);

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

/** Run in this process: the figures, as the child prints them. */
async function measure(report: Report): Promise<void> {
  const out = await mkdtemp(join(tmpdir(), 'gameday-bench-'));
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
    // The kernel's high-water mark of this process, not a sample of it.
    report('peak RSS of the harness process', process.resourceUsage().maxRSS / 1024, 'MB', 'target < 300 MB');
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/** The time of a command, start-up included; rejects if it fails. */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve((performance.now() - started) / 1000) : reject(new Error(`${command} ${args.join(' ')} exited ${code}`))));
  });
}

/** Spawn the measuring child (this file, `--child`) and pass its figures on; then time `npm start`'s command. */
export async function harnessBench(report: Report): Promise<void> {
  await reportFromChild(import.meta.url, 'harness', report);
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const out = await mkdtemp(join(tmpdir(), 'gameday-start-'));
  try {
    const seconds = await timed(process.execPath, ['bin/gameday.js', 'run', '--ui', 'json', '--out', out], env);
    report('npm start end to end (start-up, whole suite, reports)', seconds, 's');
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

if (process.argv.includes('--child')) {
  // As bin/gameday.js does: the figures are those of the CLI a user runs.
  tuneHeap();
  await measure((name, value, unit, note) => console.log(JSON.stringify({ name, value, unit, ...(note ? { note } : {}) })));
}
