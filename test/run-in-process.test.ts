import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript beside the launcher, without declarations
import { staleBuild } from '../bin/stale-build.js';

/**
 * runGameDay called twice in one process (as the bench does, or a tool that
 * embeds gameday): the second run reads the environment file as it is then,
 * in its validation and in its steps alike (the steps take the environments
 * their run loaded). In a Node process of its own on the compiled dist/
 * (which `npm test` builds first), as the CLI runs it: vitest's module graph
 * would give the run and cucumber's step files two copies of each module.
 */
describe('two runs in one process', () => {
  let dir: string;
  const root = join(import.meta.dirname, '..');

  beforeAll(async () => {
    expect(staleBuild(root), 'dist/ must be built from these sources: npm run build').toBeUndefined();
    dir = await mkdtemp(join(tmpdir(), 'gameday-in-process-'));
    await cp(join(root, 'scenarios'), join(dir, 'scenarios'), { recursive: true });
    await cp(join(root, 'test', 'fixtures', 'features', 'objectives', 'multi-az-rto.feature'), join(dir, 'multi-az-rto.feature'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const script = `
    import { readFile, writeFile } from 'node:fs/promises';
    import { runGameDay } from ${JSON.stringify(join(root, 'dist', 'src', 'run', 'run-game-day.js'))};
    const run = async () => {
      const outcome = await runGameDay(
        { paths: ['multi-az-rto.feature'], speed: 'max', outDir: 'reports', parallel: 0, dryRun: false },
        { cwd: process.cwd(), wallNow: () => Date.now() },
        () => {},
      );
      return { validated: outcome.env.probes.resolutionSeconds, measured: outcome.results.scenarios.map((s) => s.rto?.resolutionSeconds) };
    };
    const first = await run();
    const file = 'scenarios/environments/securecart.yaml';
    const text = await readFile(file, 'utf8');
    if (!/resolutionSeconds: 5\\b/.test(text)) throw new Error('the environment no longer sets resolutionSeconds: 5');
    await writeFile(file, text.replace(/resolutionSeconds: 5\\b/, 'resolutionSeconds: 10'));
    const second = await run();
    console.log(JSON.stringify({ first, second }));
  `;

  it('takes the environment file as it is at each run', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: dir,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    const { first, second } = JSON.parse(stdout) as Record<'first' | 'second', { validated: number; measured: (number | null)[] }>;
    // The fixture's third scenario sets no objective, so it measures no RTO.
    expect(first).toEqual({ validated: 5, measured: [5, 5, null] });
    expect(second).toEqual({ validated: 10, measured: [10, 10, null] });
  }, 60_000);
});
