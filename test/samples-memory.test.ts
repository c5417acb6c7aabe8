import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript beside the launcher, without declarations
import { staleBuild } from '../bin/stale-build.js';

/**
 * `--samples` keeps only each sample's records (issue 14: memory flat over
 * many samples): the heap after a garbage collection is about the same
 * after 100 more samples as after 20. In a Node process of its own on the
 * compiled dist/ (which `npm test` builds first), with --expose-gc, as
 * run-in-process.test.ts runs runGameDay. Regression: every scenario's
 * sleepers registered on the run's interrupt signal, which outlives the
 * run, so each sample's simulator stayed reachable (~0.8 MB a sample).
 */
describe('memory over many samples', () => {
  const root = join(import.meta.dirname, '..');
  let out: string;

  beforeAll(async () => {
    expect(staleBuild(root), 'dist/ must be built from these sources: npm run build').toBeUndefined();
    out = await mkdtemp(join(tmpdir(), 'gameday-samples-memory-'));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  const script = (outDir: string) => `
    import { runGameDay } from ${JSON.stringify(join(root, 'dist', 'src', 'run', 'run-game-day.js'))};
    const run = (samples) => runGameDay(
      { paths: ['test/fixtures/features/samples/failover.feature:11'], env: 'test/fixtures/features/samples/orders-only.yaml', speed: 'max', outDir: ${JSON.stringify(outDir)}, parallel: 0, dryRun: false, samples },
      { cwd: ${JSON.stringify(root)}, wallNow: () => Date.now() },
      () => {},
    );
    const heapMb = () => { globalThis.gc(); globalThis.gc(); return process.memoryUsage().heapUsed / 2 ** 20; };
    await run(20);
    const after20 = heapMb();
    await run(100);
    const after100 = heapMb();
    console.log(JSON.stringify({ after20, after100 }));
  `;

  it('does not grow with the number of samples', { timeout: 600_000 }, async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--input-type=module', '-e', script(out)], {
      cwd: root,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      maxBuffer: 1 << 20,
    });
    const { after20, after100 } = JSON.parse(stdout.trim().split('\n').at(-1)!) as { after20: number; after100: number };
    // 100 samples' records are a few kilobytes each; a leaked simulator per sample would add tens of megabytes.
    expect(after100 - after20).toBeLessThan(15);
  });
});
