import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript beside the launcher, without declarations
import { staleBuild } from '../bin/stale-build.js';
import type { RunResults } from '../src/report/types.js';
import { CLI_TEST_TIMEOUT, FIXTURES, ROOT } from './fixtures/features/run-cli.js';

/**
 * The live view's sim keys, on the run's side: RunControl.setSpeed and
 * setPaused reach the scenario clocks of this process, each change is
 * answered by a `run.pace` event, and a paced or paused run measures exactly
 * what an unpaced one does. In a Node process of its own on the compiled
 * dist/, as the CLI runs it (cucumber's step files must be the run's modules).
 */
describe('pacing the sim during a run (RunControl.setSpeed, setPaused)', () => {
  let dir: string;

  beforeAll(async () => {
    expect(staleBuild(ROOT), 'dist/ must be built from these sources: npm run build').toBeUndefined();
    dir = await mkdtemp(join(tmpdir(), 'gameday-pace-'));
    await cp(join(ROOT, 'scenarios'), join(dir, 'scenarios'), { recursive: true });
    await cp(join(ROOT, FIXTURES, 'objectives', 'pilot-light-rpo.feature'), join(dir, 'pilot-light.feature'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  interface Outcome {
    results: RunResults;
    paces: { speed: string | number; paused: boolean }[];
    /** Virtual seconds of the events that arrived while the run was paused, and where it was paused. */
    whilePaused: number[];
    pausedAt?: number;
    controls: string[];
  }

  async function run(pace: boolean): Promise<Outcome> {
    const script = `
      import { runGameDay } from ${JSON.stringify(join(ROOT, 'dist', 'src', 'run', 'run-game-day.js'))};
      let control;
      const paces = [];
      const whilePaused = [];
      let pausedAt;
      let paused = false;
      const outcome = await runGameDay(
        { paths: ['pilot-light.feature'], seed: 7, speed: 'max', outDir: 'reports', parallel: 0, dryRun: false },
        { cwd: process.cwd(), wallNow: () => Date.now(), onControl: (c) => (control = c) },
        (event) => {
          if (event.kind === 'run.pace') paces.push({ speed: event.speed, paused: event.paused });
          if (paused && 't' in event) whilePaused.push(event.t);
          if (!${pace}) return;
          if (event.kind === 'fault.injected' && pausedAt === undefined) {
            pausedAt = event.t;
            paused = true;
            control.setPaused(true);
            // A third of a second of wall time paused, then on at 500×, then as fast as it goes again.
            setTimeout(() => {
              paused = false;
              control.setSpeed(500);
              control.setPaused(false);
            }, 300);
          }
          if (event.kind === 'recovered') control.setSpeed('max');
        },
      );
      console.log(JSON.stringify({ results: outcome.results, paces, whilePaused, pausedAt, controls: Object.keys(control).sort() }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: dir,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(stdout) as Outcome;
  }

  it(
    'holds virtual time still while paused, answers each change with run.pace, and measures what an unpaced run measures',
    async () => {
      const [paced, unpaced] = [await run(true), await run(false)];
      expect(paced.controls).toEqual(['abort', 'note', 'setPaused', 'setSpeed']);
      expect(paced.paces).toEqual([
        { speed: 'max', paused: true },
        { speed: 500, paused: true },
        { speed: 500, paused: false },
        { speed: 'max', paused: false },
      ]);
      // What was in flight when the pause came finished at that instant; nothing after it happened.
      expect(paced.pausedAt).toBeDefined();
      for (const t of paced.whilePaused) expect(t).toBe(paced.pausedAt);
      expect(unpaced.paces).toEqual([]);
      const [a, b] = [paced.results.scenarios[0]!, unpaced.results.scenarios[0]!];
      expect(a.rto).toEqual(b.rto);
      expect(a.rpo).toEqual(b.rpo);
      expect(a.timeline.map((e) => [e.t, e.kind, e.detail])).toEqual(b.timeline.map((e) => [e.t, e.kind, e.detail]));
    },
    CLI_TEST_TIMEOUT,
  );
});
