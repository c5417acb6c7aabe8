import { execFileSync, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CI_VARIABLES } from '../src/cli/ui-mode.js';
import { CLI_TEST_TIMEOUT, freshOut, removeTemporary, ROOT } from './fixtures/features/run-cli.js';

/**
 * The live view in a real terminal: `gameday run` with `--ui auto` inside
 * tmux at 100×30 and 80×24, its screen read with `capture-pane`, keys sent
 * with `send-keys`. Its own tmux server (`-L`), so a person's sessions are
 * never touched. Skipped, saying why, where tmux is not installed (.ci/run
 * installs it).
 */

const TMUX = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
const missing = TMUX.error || TMUX.status !== 0 ? 'tmux is not installed here (apt-get install tmux)' : undefined;
if (missing) console.warn(`test/ui-tmux.test.ts skipped: ${missing}`);

const SOCKET = `gameday-ui-test-${process.pid}`;
const SCENARIO = 'features/pilot-light.feature:14';

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

/** The screen as the person sees it now (no scrollback), trailing blanks trimmed. */
function screen(session: string): string {
  return tmux('capture-pane', '-p', '-t', session).replace(/\s+$/, '');
}

/** The screen once `seen` says it shows what the test waits for; polled, never a fixed sleep. */
async function screenWhen(session: string, what: string, seen: (text: string) => boolean, ms = 90_000, everyMs = 50): Promise<string> {
  const started = Date.now();
  let last = '';
  for (;;) {
    last = screen(session);
    if (seen(last)) return last;
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}; the screen:\n${last}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Start `gameday run` in a fresh tmux session of `columns`×`rows`; the pane stays after it exits, saying its exit code. */
async function startInTerminal(name: string, size: { columns: number; rows: number }, args: string[], set: string[] = []): Promise<{ session: string; out: string }> {
  const out = await freshOut();
  // A person's terminal: none of the CI variables (this suite may run under CI), no test runner's.
  const unset = [...CI_VARIABLES, 'NODE_OPTIONS', 'VITEST', 'VITEST_WORKER_ID', 'VITEST_POOL_ID', 'NODE_ENV', 'NO_COLOR', 'FORCE_COLOR'].flatMap((v) => ['-u', v]);
  const command = ['env', ...unset, 'TERM=xterm-256color', ...set, process.execPath, 'bin/gameday.js', 'run', ...args, '--out', out].map(quote).join(' ');
  const session = `${name}-${size.columns}x${size.rows}`;
  tmux('new-session', '-d', '-s', session, '-x', String(size.columns), '-y', String(size.rows), '-c', ROOT, `${command}; echo "gameday exited $?"; sleep 600`);
  return { session, out };
}

function quote(word: string): string {
  return /^[\w./:=@-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Lines Ink wrapped at the terminal's width joined again, and runs of spaces made one: what a reader reads. */
function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

function widest(text: string): number {
  return Math.max(...text.split('\n').map((line) => [...line].length));
}

const sizes = [
  { columns: 100, rows: 30 },
  { columns: 80, rows: 24 },
];

describe.skipIf(missing !== undefined)(`gameday run in a real terminal (tmux)${missing ? `: skipped, ${missing}` : ''}`, () => {
  afterAll(async () => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
    await removeTemporary();
  });

  it(
    '--ui ink where CI is set (a runner\'s shell, a devcontainer) still draws live frames, not only the last',
    async () => {
      const { session } = await startInTerminal('ci', sizes[0]!, [SCENARIO, '--speed', '60', '--ui', 'ink'], ['CI=true', 'CONTINUOUS_INTEGRATION=1']);
      const during = await screenWhen(session, 'the RTO budget running after the incident', (text) => /^RTO [░▓█]+ .*\d+ (s|min).* of 15 min/m.test(text));
      expect(during).toContain('▶ The primary region loses its orders database');
      const end = await screenWhen(session, 'the exit', (text) => text.includes('gameday exited'));
      expect(end).toContain('gameday exited 0');
    },
    CLI_TEST_TIMEOUT,
  );

  describe.each(sizes)('at $columns×$rows', (size) => {
    it(
      'shows the header and the running scenario with its RTO budget, then the summary table and the report path; exit 0',
      async () => {
        const { session, out } = await startInTerminal('whole', size, [SCENARIO, '--speed', '60']);
        const header = await screenWhen(session, 'the header', (text) => text.includes('securecart on sim') && text.includes('scenario 1 of 1'));
        expect(header).toMatch(/virtual \d/);
        expect(header).toContain('speed 60×');
        expect(header).toContain('q abort · n note · +/- speed · space pause');
        const during = await screenWhen(session, 'the RTO budget running after the incident', (text) => /^RTO [░▓█]+ .*\d+ (s|min).* of 15 min/m.test(text));
        expect(during).toContain('▶ The primary region loses its orders database');
        expect(widest(during)).toBeLessThanOrEqual(size.columns);
        const end = await screenWhen(session, 'the exit', (text) => text.includes('gameday exited'));
        const runId = (await readFile(join(out, 'latest', 'run.json'), 'utf8').then((t) => JSON.parse(t) as { runId: string })).runId;
        expect(end).toMatch(/Scenario\s+RTO measured\/target\s+RPO measured\/target\s+Verdict/);
        // The name gives way first at 80 columns, so the figures and the verdict stay on the row.
        expect(end).toMatch(/^The primary region lose.* ✔ met .* ✔ met +✔ passed$/m);
        expect(flat(end)).toContain(`report: ${join(out, runId, 'index.html')}`);
        expect(end).toContain('gameday exited 0');
        if (size.columns === 100) await writeFile(join(out, 'screen-during.txt'), `${during}\n`);
      },
      CLI_TEST_TIMEOUT,
    );

    it(
      'q during the fault switches to the cleanup view, and the run exits 130 once cleanup ran',
      async () => {
        const { session } = await startInTerminal('abort', size, [SCENARIO, '--speed', '60']);
        await screenWhen(session, 'the region outage running', (text) => /FIS \S+ primary-region-outage: running/.test(text));
        tmux('send-keys', '-t', session, 'q');
        const aborting = await screenWhen(session, 'the cleanup view', (text) => text.includes('ABORTING'), 10_000);
        expect(aborting).toContain('✘ ABORTING: stopping experiments, undoing changes; exit 130 after cleanup');
        expect(aborting).toContain('Ctrl-C again: see what is left (cleanup goes on)');
        const end = await screenWhen(session, 'the exit', (text) => text.includes('gameday exited'));
        expect(end).toContain('interrupted: experiments were stopped and cleanup ran; exit 130');
        expect(end).toContain('gameday exited 130');
        const all = flat(tmux('capture-pane', '-p', '-t', session, '-S', '-'));
        expect(all).toContain('↺ cleanup StopExperiment (experiment for primary-region-outage): done');
      },
      CLI_TEST_TIMEOUT,
    );
  });
});
