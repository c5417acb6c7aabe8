import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** `gameday --version` and `--help`: the compiled CLI answers without loading cucumber or the SDK, exit 0. */
describe('gameday --version and --help', () => {
  const root = join(import.meta.dirname, '..');
  const cli = (...args: string[]) => spawnSync(process.execPath, [join(root, 'bin', 'gameday.js'), ...args], { cwd: root, encoding: 'utf8' });

  it("prints package.json's version", () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const run = cli(flag);
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(`${version}\n`);
    }
  });

  it('lists the commands and the version flag', () => {
    const run = cli('--help');
    expect(run.status).toBe(0);
    for (const text of ['-V, --version', 'run [options] [paths...]', 'sim', 'report', 'cleanup']) expect(run.stdout).toContain(text);
  });
});
