import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BufferedFile } from './buffered-file.js';

describe('BufferedFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'buffered-file-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('holds small writes until the buffer fills, a flush, or the end', async () => {
    const path = join(dir, 'messages.ndjson');
    const file = new BufferedFile(path, 64);
    file.write('{"a":1}\n');
    expect(await readFile(path, 'utf8')).toBe('');
    file.flush();
    expect(await readFile(path, 'utf8')).toBe('{"a":1}\n');
    file.write(`${'x'.repeat(70)}\n`); // over the limit: written at once
    expect((await readFile(path, 'utf8')).length).toBe(8 + 71);
    file.write('é\n');
    file.end();
    await finished(file);
    expect(await readFile(path, 'utf8')).toBe(`{"a":1}\n${'x'.repeat(70)}\né\n`);
  });

  it('refuses a path it cannot open, naming it', () => {
    expect(() => new BufferedFile(join(dir, 'missing', 'messages.ndjson'))).toThrow(/missing/);
  });
});
