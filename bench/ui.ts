/**
 * What the live view costs: the whole SecureCart suite through `gameday run`
 * (the CLI's own main(), start-up inside it included) with `--ui ink` drawing
 * on a terminal, against `--ui plain`. Each run in a fresh process of its own,
 * the modes alternating, so neither inherits the other's warm caches; the
 * median of each is compared. The target: ink at most 10% slower.
 *
 * The terminal is a stream that says it is a 100×30 TTY and keeps nothing but
 * a count of what it was sent: what Ink computes and writes is measured, not
 * what a terminal emulator makes of it. Ink's own CI detection is switched
 * off in the child (CI variables removed), or it would draw only the last frame.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { tuneHeap } from '../src/cli/heap.js';
import { main } from '../src/cli/main.js';
import { CI_VARIABLES } from '../src/cli/ui-mode.js';
import { packageRoot } from './root.js';

const root = packageRoot(import.meta.url);
const RUNS_PER_MODE = 3;

type Mode = 'ink' | 'plain';
interface Measured {
  mode: Mode;
  seconds: number;
  /** CPU seconds of the process meanwhile (user + system): steadier than wall time on a shared machine. */
  cpuSeconds: number;
  exitCode: number;
  bytes: number;
  writes: number;
}

/** A terminal that draws nothing: Ink sees a TTY of this size; what it sends is counted. */
class CountingTerminal extends Writable {
  readonly isTTY: boolean;
  readonly columns = 100;
  readonly rows = 30;
  bytes = 0;
  writes = 0;

  constructor(isTTY: boolean) {
    super({ decodeStrings: false });
    this.isTTY = isTTY;
  }

  override _write(chunk: string | Buffer, _encoding: string, done: () => void): void {
    this.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    this.writes++;
    done();
  }
}

/** In the child: one `gameday run` of the whole suite in this mode. */
async function measureOnce(mode: Mode): Promise<Measured> {
  const out = await mkdtemp(join(tmpdir(), 'gameday-ui-bench-'));
  const stdout = new CountingTerminal(mode === 'ink');
  // Keys are not read from a stream that is not a terminal: the view only draws.
  const stdin = new PassThrough();
  try {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const exitCode = await main({
      argv: ['run', '--ui', mode, '--out', out],
      cwd: root,
      env: process.env,
      stdout,
      stderr: process.stderr,
      interrupt: new AbortController().signal,
      wallNow: () => Date.now(),
      terminal: { stdout: stdout as unknown as NodeJS.WriteStream, stdin: () => stdin as unknown as NodeJS.ReadStream, isTTY: mode === 'ink' },
    });
    const used = process.cpuUsage(cpu);
    return { mode, seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, exitCode, bytes: stdout.bytes, writes: stdout.writes };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

function child(mode: Mode): Promise<Measured> {
  // As bin/gameday.js sets them: React's production build, no SDK notice.
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NODE_ENV: process.env['NODE_ENV'] ?? 'production' };
  for (const name of CI_VARIABLES) delete env[name];
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', mode], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    proc.on('error', reject);
    proc.on('exit', (code) => {
      const line = text.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) return reject(new Error(`the ${mode} run of the UI bench exited ${code}`));
      resolve(JSON.parse(line) as Measured);
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

type Report = (figure: { name: string; value: number; unit: string; note?: string }) => void;

/** `npm run bench`'s figures for the live view. */
export async function uiBench(report: Report): Promise<void> {
  const runs: Measured[] = [];
  for (let i = 0; i < RUNS_PER_MODE; i++) for (const mode of ['plain', 'ink'] as const) runs.push(await child(mode));
  const of = (mode: Mode) => runs.filter((r) => r.mode === mode);
  const plain = median(of('plain').map((r) => r.seconds));
  const ink = median(of('ink').map((r) => r.seconds));
  const inkRuns = of('ink');
  const exits = [...new Set(runs.map((r) => r.exitCode))].join(', ');
  report({ name: 'SecureCart through gameday run --ui plain (median)', value: plain, unit: 's', note: `${RUNS_PER_MODE} runs, exit ${exits}` });
  report({
    name: 'SecureCart through gameday run --ui ink (median)',
    value: ink,
    unit: 's',
    note: `100×30 TTY, ${Math.round(median(inkRuns.map((r) => r.writes)))} writes, ${Math.round(median(inkRuns.map((r) => r.bytes)) / 1024)} kB drawn`,
  });
  report({ name: '--ui ink ÷ --ui plain, whole suite, wall time', value: ink / plain, unit: '×', note: 'target ≤ 1.10' });
  const cpu = (mode: Mode) => median(of(mode).map((r) => r.cpuSeconds));
  report({ name: '--ui ink ÷ --ui plain, whole suite, CPU time', value: cpu('ink') / cpu('plain'), unit: '×', note: `${cpu('ink').toFixed(2)} s ÷ ${cpu('plain').toFixed(2)} s; steadier on a shared machine` });
}

if (process.argv.includes('--child')) {
  // As bin/gameday.js does: the figures are those of the CLI a user runs.
  tuneHeap();
  const mode = process.argv[process.argv.indexOf('--child') + 1] === 'ink' ? 'ink' : 'plain';
  console.log(JSON.stringify(await measureOnce(mode)));
  // Ink's exit hook and the SDK's sockets may hold the loop a moment; the figure is taken.
  process.exit(0);
}
