import type { Envelope } from '@cucumber/messages';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createAwsTarget } from '../aws/aws-target.js';
import { loadEnvironment } from '../env/index.js';
import { BadInputError } from '../errors.js';
import type { AwsCall, JournalEntry } from '../harness/cleanup.js';
import { executorFor } from '../harness/journal.js';
import { buildResults, type RunResults } from '../report/results.js';

/** run.json: what a run needs to be re-rendered or cleaned up after the process is gone. */
export interface RunManifest {
  runId: string;
  seed: number;
  target: 'sim' | 'aws';
  environment: string;
  envOverride?: string;
  envFiles: Record<string, string>;
  startedAt: string;
  finishedAt?: string;
}

async function readManifest(dir: string): Promise<RunManifest> {
  try {
    return JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as RunManifest;
  } catch (error) {
    throw new BadInputError(`${join(dir, 'run.json')}: not a gameday run directory (${(error as Error).message})`);
  }
}

/** `gameday report RUN_DIR`: rebuild results.json from messages.ndjson, the same facts the live UI saw. */
export async function rerender(cwd: string, runDir: string): Promise<RunResults> {
  const dir = resolve(cwd, runDir);
  const manifest = await readManifest(dir);
  const text = await readFile(join(dir, 'messages.ndjson'), 'utf8').catch((error: Error) => {
    throw new BadInputError(`${join(runDir, 'messages.ndjson')}: ${error.message}`);
  });
  const envelopes: Envelope[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    try {
      envelopes.push(JSON.parse(line) as Envelope);
    } catch {
      throw new BadInputError(`${join(runDir, 'messages.ndjson')}:${index + 1}: not a JSON message`);
    }
  });
  const results = buildResults(envelopes, {
    runId: manifest.runId,
    target: manifest.target,
    seed: manifest.seed,
    environment: manifest.environment,
    startedAt: manifest.startedAt,
    finishedAt: manifest.finishedAt ?? manifest.startedAt,
  });
  await writeFile(join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  return results;
}

export interface CleanupOutcome {
  pending: number;
  undone: number;
  failed: { description: string; error: string }[];
  /** Why nothing was attempted, when nothing was. */
  note?: string;
}

/** Undos journalled and never marked undone, newest first. */
export function pendingUndos(entries: readonly JournalEntry[]): JournalEntry[] {
  const finished = new Set(entries.filter((e) => e.kind === 'undone').map((e) => `${e.scenario}#${e.id}`));
  return entries.filter((e) => e.kind === 'undo' && e.undo && !finished.has(`${e.scenario}#${e.id}`)).reverse();
}

/**
 * `gameday cleanup [RUN_DIR]`: after a crash, undo what the journal says is
 * still broken, newest first, and journal each outcome.
 */
export async function cleanUpAfter(cwd: string, runDir: string, now: () => number): Promise<CleanupOutcome> {
  const dir = resolve(cwd, runDir);
  const manifest = await readManifest(dir);
  const journalPath = join(dir, 'journal.ndjson');
  const entries = (await readFile(journalPath, 'utf8'))
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as JournalEntry);
  const pending = pendingUndos(entries);
  if (pending.length === 0) return { pending: 0, undone: 0, failed: [] };
  if (manifest.target === 'sim') {
    return { pending: pending.length, undone: 0, failed: [], note: 'the run was on the simulator: its state ended with the process, so there is nothing left to undo' };
  }
  if (!manifest.envOverride) throw new BadInputError(`${join(runDir, 'run.json')}: an aws run must name its environment file (--env)`);
  const env = await loadEnvironment(manifest.envOverride, (path) => readFile(resolve(cwd, path), 'utf8'));
  if (env.target !== 'aws') throw new BadInputError(`${manifest.envOverride}: expected an aws environment`);
  // The run's id names the role sessions, as during the run (`gameday-<runId>` in CloudTrail).
  const target = await createAwsTarget(env, { runId: manifest.runId });
  const execute = executorFor(target);
  const outcome: CleanupOutcome = { pending: pending.length, undone: 0, failed: [] };
  try {
    for (const entry of pending) {
      const undo = entry.undo as AwsCall;
      const base = { runId: entry.runId, scenario: entry.scenario, id: entry.id, description: entry.description, at: new Date(now()).toISOString(), undo };
      try {
        await execute(undo);
        await appendFile(journalPath, `${JSON.stringify({ ...base, kind: 'undone' })}\n`);
        outcome.undone++;
      } catch (error) {
        const message = (error as Error).message;
        await appendFile(journalPath, `${JSON.stringify({ ...base, kind: 'undo-failed', error: message })}\n`);
        outcome.failed.push({ description: `${undo.service}:${undo.operation} (${entry.description})`, error: message });
      }
    }
  } finally {
    target.close();
  }
  return outcome;
}
