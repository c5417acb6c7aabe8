import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createAwsTarget } from '../aws/aws-target.js';
import { loadEnvironment } from '../env/index.js';
import { BadInputError } from '../errors.js';
import type { AwsCall, JournalEntry } from '../harness/cleanup.js';
import { executorFor } from '../harness/journal.js';
import { JunitReport } from '../report/junit.js';
import { ResultsBuilder } from '../report/results.js';
import type { RunResults } from '../report/types.js';
import { RunFolder } from './run-folder.js';

/**
 * `gameday report RUN_DIR`: rebuild results.json (and junit.xml) from the run
 * folder: messages.ndjson, run.json and notes.ndjson, the same facts the
 * live view saw.
 */
export async function rerender(cwd: string, runDir: string): Promise<RunResults> {
  const folder = await RunFolder.open(cwd, runDir);
  const { manifest } = folder;
  const builder = new ResultsBuilder(new Map(Object.entries(manifest.scenarios)));
  const junit = new JunitReport(`gameday ${manifest.runId}`);
  let success = true;
  for (const envelope of await folder.readMessages()) {
    builder.add(envelope);
    junit.add(envelope);
    if (envelope.testRunFinished) success = envelope.testRunFinished.success;
  }
  const interrupted = manifest.state === 'interrupted';
  const results = builder.build({
    runId: manifest.runId,
    target: manifest.target,
    seed: manifest.seed,
    environment: manifest.environment,
    ...(manifest.account ? { account: manifest.account } : {}),
    regions: manifest.regions,
    ...(manifest.gamedayVersion ? { gamedayVersion: manifest.gamedayVersion } : {}),
    ...(manifest.specsCommit ? { specsCommit: manifest.specsCommit } : {}),
    startedAt: manifest.startedAt,
    finishedAt: manifest.finishedAt ?? manifest.startedAt,
    interrupted,
    exitCode: manifest.exitCode ?? (interrupted ? 130 : (builder.exitCode() ?? (success ? 0 : 1))),
    warnings: manifest.warnings,
    notes: await folder.readNotes(),
  });
  await folder.writeResults(results);
  await folder.writeJunit(junit.xml(results));
  await folder.writeReports();
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
  const folder = await RunFolder.open(cwd, runDir);
  const { manifest } = folder;
  const entries = await folder.readJournal();
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
        await folder.appendJournal({ ...base, kind: 'undone' });
        outcome.undone++;
      } catch (error) {
        const message = (error as Error).message;
        await folder.appendJournal({ ...base, kind: 'undo-failed', error: message });
        outcome.failed.push({ description: `${undo.service}:${undo.operation} (${entry.description})`, error: message });
      }
    }
  } finally {
    target.close();
  }
  return outcome;
}
