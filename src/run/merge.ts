/**
 * `gameday report --merge DIR…`: the run folders of a run's shards
 * (`gameday run --shard i/n`) put together into one run folder, whose
 * results.json is then rebuilt exactly as `gameday report` rebuilds any
 * run's (aftermath.ts's rerender), from the merged folder's files: so the
 * distributions are recomputed from every shard's samples, and the result
 * is the unsharded run's but for its run id and wall-clock fields.
 *
 * What each shard keeps that the merge needs: run.json (the run's identity
 * and which shard it is), samples.ndjson (each sample's figures and the
 * step durations the slow-cause analysis compares), messages.ndjson and
 * journal.ndjson (the plain run's), notes.ndjson.
 */
import { isDeepStrictEqual } from 'node:util';
import { relative, resolve } from 'node:path';
import { BadInputError } from '../errors.js';
import type { RunResults, SampleRecord } from '../report/index.js';
import { rerender } from './aftermath.js';
import { parseJsonLines, readOptional, RunFolder, type RunManifest } from './run-folder.js';
import { writeFile } from 'node:fs/promises';

export interface MergeOutcome {
  /** The merged run folder: `<out>/<runId>`. */
  dir: string;
  results: RunResults;
}

/** What must be the same in every shard of one run, with how to say it when it is not. */
const SAME: readonly { what: string; of: (m: RunManifest) => unknown }[] = [
  { what: 'number of shards', of: (m) => m.shard?.count },
  { what: 'seed', of: (m) => m.seed },
  { what: 'target', of: (m) => m.target },
  { what: 'environment', of: (m) => m.envOverride ?? m.environment },
  { what: 'environment files', of: (m) => m.envFiles },
  { what: 'samples (--samples, sim.samples, sim.confidence)', of: (m) => m.samples ?? null },
  { what: 'selected scenarios (paths, lines, --tags)', of: (m) => m.scenarios },
  { what: 'feature and environment files (their contents)', of: (m) => m.shard?.inputs },
  { what: 'gameday version', of: (m) => m.gamedayVersion ?? null },
];

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** The shards, checked to be all of one run, in shard order; the reason they are not otherwise. */
async function openShards(cwd: string, dirs: readonly string[]): Promise<{ dir: string; folder: RunFolder }[]> {
  if (dirs.length === 0) throw new BadInputError('--merge: no run folders given (the run folders of `gameday run --shard i/n`, one per shard)');
  const shards: { dir: string; folder: RunFolder }[] = [];
  for (const dir of dirs) {
    const folder = await RunFolder.open(cwd, dir);
    const { manifest } = folder;
    if (!manifest.shard) throw new BadInputError(`${dir}: run ${manifest.runId} is not a shard (it ran without --shard), so there is nothing to merge it with`);
    if (manifest.state === 'running') {
      throw new BadInputError(`${dir}: shard ${manifest.shard.index}/${manifest.shard.count} has not finished (run.json says running: still going, or its process died; see gameday cleanup)`);
    }
    shards.push({ dir, folder });
  }
  const [first] = shards;
  for (const other of shards.slice(1)) {
    for (const { what, of } of SAME) {
      const a = of(first!.folder.manifest);
      const b = of(other.folder.manifest);
      if (!isDeepStrictEqual(a, b)) {
        const detail = what.startsWith('selected') || what.startsWith('feature') || what.startsWith('environment files') ? '' : ` (${shown(a)} vs ${shown(b)})`;
        throw new BadInputError(`${first!.dir} and ${other.dir} are shards of different runs: their ${what} differ${detail}`);
      }
    }
  }
  const count = first!.folder.manifest.shard!.count;
  const byIndex = new Map<number, string>();
  for (const { dir, folder } of shards) {
    const { index } = folder.manifest.shard!;
    const twice = byIndex.get(index);
    if (twice !== undefined) throw new BadInputError(`shard ${index}/${count} is given twice: ${twice} and ${dir}`);
    byIndex.set(index, dir);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !byIndex.has(index));
  if (missing.length > 0) {
    throw new BadInputError(
      `${missing.length === 1 ? 'shard' : 'shards'} ${missing.map((index) => `${index}/${count}`).join(', ')} missing: a merge needs every shard of the run (given: ${[...byIndex.keys()]
        .sort((a, b) => a - b)
        .map((index) => `${index}/${count}`)
        .join(', ')})`,
    );
  }
  return shards.sort((a, b) => a.folder.manifest.shard!.index - b.folder.manifest.shard!.index);
}

/** The texts of JSON-lines files one after another, each ending its last line. */
function joined(texts: readonly string[]): string {
  return texts
    .filter((text) => text.trim() !== '')
    .map((text) => (text.endsWith('\n') ? text : `${text}\n`))
    .join('');
}

/**
 * A journal's lines with each scenario's entries together, scenarios in the
 * run's plan order (run.json lists them so), as one process running them one
 * after another writes them; each scenario's own entries keep their order.
 */
function inPlanOrder(journal: string, manifest: RunManifest): string {
  const place = new Map(Object.values(manifest.scenarios).map((identity, index) => [identity.id, index]));
  const lines = journal.split('\n').filter((line) => line.trim() !== '');
  const placed = lines.map((line, at) => {
    let scenario: string | undefined;
    try {
      scenario = (JSON.parse(line) as { scenario?: string }).scenario;
    } catch {
      // A line a crash cut short stays where it was found, at the end: `gameday cleanup` names it.
    }
    return { line, at, place: (scenario !== undefined ? place.get(scenario) : undefined) ?? Number.MAX_SAFE_INTEGER };
  });
  placed.sort((a, b) => a.place - b.place || a.at - b.at);
  return placed.map(({ line }) => `${line}\n`).join('');
}

/**
 * Merge the shards' run folders into `<outDir>/<runId>/` (`latest` then
 * points at it, and history.jsonl beside it gets its line) and rebuild its
 * results.json, junit.xml, index.html and cucumber.html.
 */
export async function mergeRuns(cwd: string, dirs: readonly string[], outDir: string): Promise<MergeOutcome> {
  const shards = await openShards(cwd, dirs);
  const manifests = shards.map((s) => s.folder.manifest);
  const first = manifests[0]!;
  const startedAt = manifests.map((m) => m.startedAt).sort()[0]!;
  const finishedAt = manifests.map((m) => m.finishedAt ?? m.startedAt).sort().at(-1)!;
  const interrupted = manifests.some((m) => m.state === 'interrupted');
  const { shard: _shard, owner: _owner, exitCode: _exitCode, awsClockOffsetSeconds: _offset, finishedAt: _finished, ...common } = first;
  const manifest: RunManifest = {
    ...common,
    runId: `${startedAt.replace(/[:.]/g, '-')}-seed${first.seed}-merged`,
    state: interrupted ? 'interrupted' : 'finished',
    startedAt,
    finishedAt,
    // Otherwise the exit code is the merged messages' and samples' own, as `gameday report` finds it.
    ...(interrupted ? { exitCode: 130 as const } : {}),
    merged: { runIds: manifests.map((m) => m.runId) },
  };
  const reports = resolve(cwd, outDir);
  if (shards.some((s) => s.folder.dir === resolve(reports, manifest.runId))) {
    throw new BadInputError(`${outDir}: the merged run would overwrite a shard's own folder; give another --out`);
  }
  const folder = await RunFolder.create(reports, manifest);
  // With --samples every shard ran every scenario and only shard 1's plain run is sample 0, the run's
  // own: its messages and journal are the merged run's. Shards of the scenarios each ran their own.
  const plain = first.shard!.of === 'samples' ? shards.slice(0, 1) : shards;
  const read = (file: 'messages' | 'journal' | 'notes', from: typeof shards) => Promise.all(from.map((s) => readOptional(s.folder.path(file))));
  await writeFile(folder.path('messages'), joined(await read('messages', plain)));
  await writeFile(folder.path('journal'), inPlanOrder(joined(await read('journal', plain)), first));
  const notes = joined(await read('notes', shards));
  if (notes) await writeFile(folder.path('notes'), notes);
  if (first.samples) {
    const records: SampleRecord[] = [];
    for (const shard of shards) {
      const file = shard.folder.path('samples');
      records.push(...parseJsonLines<SampleRecord>(await readOptional(file), relative(cwd, file)));
    }
    // In sample order, as an unsharded run in one process writes them.
    folder.appendSamples(records.map((record, at) => ({ record, at })).sort((a, b) => a.record.sample - b.record.sample || a.at - b.at).map(({ record }) => record));
  }
  const results = await rerender(cwd, folder.dir, { appendHistory: true });
  return { dir: folder.dir, results };
}
