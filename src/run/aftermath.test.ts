import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../harness/cleanup.js';
import { cleanUpAfter, pendingUndos } from './aftermath.js';

const base = { runId: 'r1', at: '2026-01-05T09:00:00.000Z', description: 'd' };
const call = (id: number, scenario = 'a.feature:3'): JournalEntry => ({ ...base, scenario, id, kind: 'call', call: { service: 'rds', region: 'us-east-1', operation: 'CreateDBSnapshot', input: {} } });
const undo = (id: number, operation: string, scenario = 'a.feature:3'): JournalEntry => ({
  ...base,
  scenario,
  id,
  kind: 'undo',
  undo: { service: 'rds', region: 'us-east-1', operation, input: { n: id } },
});
const undone = (id: number, scenario = 'a.feature:3'): JournalEntry => ({ ...base, scenario, id, kind: 'undone' });

describe('pendingUndos', () => {
  it('lists undos never marked undone, newest first, per scenario', () => {
    const entries = [
      call(1), undo(1, 'DeleteDBSnapshot'),
      call(2), undo(2, 'DeleteDBInstance'),
      call(3), { ...base, scenario: 'a.feature:3', id: 3, kind: 'undo' as const, undo: null }, // irreversible
      call(1, 'b.feature:9'), undo(1, 'StopExperiment', 'b.feature:9'),
      undone(2),
      undone(1, 'b.feature:9'),
    ];
    expect(pendingUndos(entries).map((e) => `${e.scenario}#${e.id} ${e.undo?.operation}`)).toEqual(['a.feature:3#1 DeleteDBSnapshot']);
  });

  it('keeps the order in which the calls were made, reversed (LIFO)', () => {
    const entries = [call(1), undo(1, 'First'), call(2), undo(2, 'Second'), call(3), undo(3, 'Third')];
    expect(pendingUndos(entries).map((e) => e.undo?.operation)).toEqual(['Third', 'Second', 'First']);
  });
});

describe('cleanUpAfter', () => {
  it('says a sim run left nothing behind, and touches nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gameday-cleanup-'));
    await writeFile(join(dir, 'run.json'), JSON.stringify({ runId: 'r1', seed: 1, target: 'sim', environment: 'securecart', envFiles: {}, startedAt: base.at }));
    const journal = [call(1), undo(1, 'DeleteDBSnapshot')].map((e) => JSON.stringify(e)).join('\n') + '\n';
    await writeFile(join(dir, 'journal.ndjson'), journal);
    const outcome = await cleanUpAfter('/', dir, { now: () => 0, sleep: async () => {} });
    expect(outcome).toMatchObject({ pending: 1, undone: 0, failed: [], steps: [] });
    expect(outcome.note).toMatch(/simulator/);
    expect(await readFile(join(dir, 'journal.ndjson'), 'utf8')).toBe(journal);
  });

  it('refuses a folder that is not a run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gameday-cleanup-'));
    await expect(cleanUpAfter('/', dir, { now: () => 0, sleep: async () => {} })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('leaves a run whose process is alive alone, whatever its journal says', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gameday-cleanup-'));
    await writeFile(
      join(dir, 'run.json'),
      JSON.stringify({ runId: 'r1', state: 'running', owner: { pid: 4242 }, seed: 1, target: 'aws', environment: 'staging', envOverride: 'nowhere.yaml', envFiles: {}, startedAt: base.at }),
    );
    const journal = [call(1), undo(1, 'DeleteDBSnapshot')].map((e) => JSON.stringify(e)).join('\n') + '\n';
    await writeFile(join(dir, 'journal.ndjson'), journal);
    const outcome = await cleanUpAfter('/', dir, { now: () => 0, sleep: async () => {}, isAlive: (pid) => pid === 4242 });
    expect(outcome).toMatchObject({ pending: 1, undone: 0, steps: [] });
    expect(outcome.note).toMatch(/still going \(process 4242\)/);
    expect(await readFile(join(dir, 'journal.ndjson'), 'utf8')).toBe(journal);
  });
});
