import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript beside the launcher, without declarations
import { staleBuild } from '../bin/stale-build.js';

/**
 * bin/gameday.js runs the compiled dist/; in a source checkout it refuses a
 * build older than the sources (exit 2, naming the file) instead of running
 * yesterday's code. Checked on a folder of its own: touching this checkout's
 * sources would stop every other test's CLI.
 */
describe('a stale or missing build', () => {
  let root: string;
  const at = (seconds: number) => new Date(1_800_000_000_000 + seconds * 1000);

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'gameday-stale-'));
    await mkdir(join(root, 'src', 'cli'), { recursive: true });
    await mkdir(join(root, 'steps'));
    await mkdir(join(root, 'dist'));
    await writeFile(join(root, 'src', 'cli', 'main.ts'), 'export {};\n');
    await writeFile(join(root, 'src', 'cli', 'main.test.ts'), 'export {};\n');
    await writeFile(join(root, 'steps', 'index.ts'), 'export {};\n');
    await writeFile(join(root, 'dist', 'BUILT'), 'built\n');
    await utimes(join(root, 'src', 'cli', 'main.ts'), at(0), at(0));
    await utimes(join(root, 'src', 'cli', 'main.test.ts'), at(0), at(0));
    await utimes(join(root, 'steps', 'index.ts'), at(0), at(0));
    await utimes(join(root, 'dist', 'BUILT'), at(10), at(10));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('accepts a build newer than every source module', () => {
    expect(staleBuild(root)).toBeUndefined();
  });

  it('names the first source module changed since the build', async () => {
    await utimes(join(root, 'steps', 'index.ts'), at(20), at(20));
    expect(staleBuild(root)).toBe('steps/index.ts changed after dist/ was built');
  });

  it('ignores tests changed since the build (they are not compiled)', async () => {
    await utimes(join(root, 'src', 'cli', 'main.test.ts'), at(20), at(20));
    expect(staleBuild(root)).toBeUndefined();
  });

  it('says when there is no build at all', async () => {
    await rm(join(root, 'dist'), { recursive: true });
    expect(staleBuild(root)).toBe('dist/ is missing');
  });

  it('accepts an installed package: dist/ without the sources', async () => {
    await rm(join(root, 'src'), { recursive: true });
    await rm(join(root, 'steps'), { recursive: true });
    expect(staleBuild(root)).toBeUndefined();
  });

  it('makes the CLI refuse to start, with exit code 2 and what to run', async () => {
    await mkdir(join(root, 'bin'));
    for (const file of ['gameday.js', 'stale-build.js']) await copyFile(join(import.meta.dirname, '..', 'bin', file), join(root, 'bin', file));
    await utimes(join(root, 'src', 'cli', 'main.ts'), at(20), at(20));
    const cli = spawnSync(process.execPath, [join(root, 'bin', 'gameday.js'), 'run'], { encoding: 'utf8' });
    expect(cli.status).toBe(2);
    expect(cli.stderr).toBe('gameday: src/cli/main.ts changed after dist/ was built: run `npm run build` first\n');
    expect(cli.stdout).toBe('');
  });
});
