import type { Envelope } from '@cucumber/messages';
import { appendFileSync } from 'node:fs';
import { appendFile, mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { BadInputError } from '../errors.js';
import type { JournalEntry } from '../harness/index.js';
import type { HistoryEntry, Note, PlannedIdentity, RunResults, SampleRecord, Warning } from '../report/index.js';
import { BufferedFile } from './buffered-file.js';

/**
 * run.json: what a run needs to be re-rendered or cleaned up after the
 * process is gone, and whether it is still going.
 */
export interface RunManifest {
  runId: string;
  /** running until the run ends; a run whose process died stays "running" (`gameday cleanup` finds it). */
  state: 'running' | 'finished' | 'interrupted';
  seed: number;
  target: 'sim' | 'aws';
  environment: string;
  envOverride?: string;
  envFiles: Record<string, string>;
  account?: string;
  regions: string[];
  gamedayVersion?: string;
  specsCommit?: string;
  startedAt: string;
  finishedAt?: string;
  exitCode?: RunResults['exitCode'];
  /**
   * aws: AWS's clock − the runner's, in seconds, from its responses' Date
   * headers: every instant AWS reported was converted with it, so all
   * measurements are on the runner's clock.
   */
  awsClockOffsetSeconds?: number;
  /** The process running it, so `gameday cleanup` leaves a run that is still going alone. */
  owner?: { pid: number };
  /** Who each scenario is, by `uri:line` of its pickle: what results.json calls it. */
  scenarios: Record<string, PlannedIdentity>;
  warnings: Warning[];
  /**
   * With --samples N (N > 1): N; each environment's `sim.confidence`, by
   * environment name; and the `sim.samples` of those that set it (a replay
   * of one sample then says --samples 1).
   */
  samples?: { count: number; confidence: Record<string, number>; environmentSamples?: Record<string, number> };
  /**
   * With --shard i/n: which slice this run is, of what (`samples` with
   * --samples, else `scenarios`), and a digest of the feature and
   * environment files it read (`gameday report --merge` refuses shards whose
   * inputs differ). `scenarios` above lists every selected scenario, this
   * shard's or not.
   */
  shard?: RunShard;
  /** A run folder `gameday report --merge` made: the shards' run ids, in shard order. */
  merged?: { runIds: string[] };
}

export interface RunShard {
  index: number;
  count: number;
  of: 'samples' | 'scenarios';
  inputs: string;
}

/** What results.json says of a shard (run.json's `shard` without its inputs digest) or of a merged run. */
export function shardOfResults(manifest: Pick<RunManifest, 'shard' | 'merged'>): Pick<RunResults, 'shard' | 'merged'> {
  return {
    ...(manifest.shard ? { shard: { index: manifest.shard.index, count: manifest.shard.count, of: manifest.shard.of } } : {}),
    ...(manifest.merged ? { merged: manifest.merged } : {}),
  };
}

/** The files of a run folder, by name. */
export const RUN_FILES = {
  manifest: 'run.json',
  results: 'results.json',
  messages: 'messages.ndjson',
  junit: 'junit.xml',
  journal: 'journal.ndjson',
  notes: 'notes.ndjson',
  html: 'index.html',
  cucumberHtml: 'cucumber.html',
  /** With --samples: one line per scenario per sample (report/samples.ts's SampleRecord). */
  samples: 'samples.ndjson',
} as const;

/**
 * The values of a JSON-lines file's text. A line that is not JSON is bad
 * input, unless `problems` is given: then it is named there and left out (a
 * crash can cut a journal's last line short, and a report should still show
 * the rest).
 */
export function parseJsonLines<T>(text: string, file: string, problems?: string[]): T[] {
  const out: T[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    try {
      out.push(JSON.parse(line) as T);
    } catch (error) {
      if (!problems) throw new BadInputError(`${file}:${index + 1}: not a JSON line`);
      problems.push(`${basename(file)} line ${index + 1}: ${(error as Error).message}`);
    }
  });
  return out;
}

/** The text of a file that may not exist (then empty). */
export async function readOptional(path: string): Promise<string> {
  return readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
}

/**
 * `reports/<runId>/` and everything in it: the only code that knows its file
 * names and formats. `reports/latest` points at the newest run from the
 * moment it starts (run.json says whether it is still running), and
 * `reports/history.jsonl` gets a line per finished run.
 */
export class RunFolder {
  private constructor(
    readonly dir: string,
    private manifestNow: RunManifest,
  ) {}

  /** Make `<reports>/<runId>/` with its run.json and an empty journal, and point `latest` at it. */
  static async create(reports: string, manifest: RunManifest): Promise<RunFolder> {
    const dir = join(reports, manifest.runId);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, RUN_FILES.journal), '');
    const folder = new RunFolder(dir, manifest);
    await folder.writeManifest();
    // Replace the link in one step: a reader never finds `latest` missing.
    const link = join(reports, `.latest-${manifest.runId}`);
    await symlink(manifest.runId, link);
    await rename(link, join(reports, 'latest'));
    return folder;
  }

  /** A run folder as a run left it (`gameday report`, `gameday cleanup`). */
  static async open(cwd: string, runDir: string): Promise<RunFolder> {
    const dir = resolve(cwd, runDir);
    let manifest: RunManifest;
    try {
      manifest = JSON.parse(await readFile(join(dir, RUN_FILES.manifest), 'utf8')) as RunManifest;
    } catch (error) {
      throw new BadInputError(`${join(runDir, RUN_FILES.manifest)}: not a gameday run directory (${(error as Error).message})`);
    }
    return new RunFolder(dir, { ...manifest, scenarios: manifest.scenarios ?? {}, warnings: manifest.warnings ?? [], regions: manifest.regions ?? [] });
  }

  get manifest(): RunManifest {
    return this.manifestNow;
  }

  path(file: keyof typeof RUN_FILES): string {
    return join(this.dir, RUN_FILES[file]);
  }

  /** Where `history.jsonl` is: beside the run folders. */
  get historyFile(): string {
    return join(dirname(this.dir), 'history.jsonl');
  }

  async updateManifest(change: Partial<RunManifest>): Promise<void> {
    this.manifestNow = { ...this.manifestNow, ...change };
    await this.writeManifest();
  }

  private async writeManifest(): Promise<void> {
    await writeFile(this.path('manifest'), `${JSON.stringify(this.manifestNow, null, 2)}\n`);
  }

  /** messages.ndjson, written in large pieces (cucumber's message formatter writes through it). */
  messagesStream(): BufferedFile {
    return new BufferedFile(this.path('messages'));
  }

  async readMessages(): Promise<Envelope[]> {
    const file = this.path('messages');
    const text = await readFile(file, 'utf8').catch((error: Error) => {
      throw new BadInputError(`${relative(process.cwd(), file)}: ${error.message}`);
    });
    return parseJsonLines<Envelope>(text, file);
  }

  async readJournal(): Promise<JournalEntry[]> {
    return parseJsonLines<JournalEntry>(await readOptional(this.path('journal')), this.path('journal'));
  }

  async appendJournal(entry: JournalEntry): Promise<void> {
    await appendFile(this.path('journal'), `${JSON.stringify(entry)}\n`);
  }

  /** A note is on disk when this returns: what the scribe typed survives a crash. */
  appendNote(note: Note): void {
    appendFileSync(this.path('notes'), `${JSON.stringify(note)}\n`);
  }

  async readNotes(): Promise<Note[]> {
    return parseJsonLines<Note>(await readOptional(this.path('notes')), this.path('notes'));
  }

  /** Append samples' records (with --samples); synchronous, as the journal is, so a crash leaves whole lines. */
  appendSamples(records: readonly SampleRecord[]): void {
    if (records.length === 0) return;
    appendFileSync(this.path('samples'), records.map((record) => `${JSON.stringify(record)}\n`).join(''));
  }

  /** The samples' records by scenario id (none without --samples). */
  async readSamples(): Promise<Map<string, SampleRecord[]>> {
    const byScenario = new Map<string, SampleRecord[]>();
    for (const record of parseJsonLines<SampleRecord>(await readOptional(this.path('samples')), this.path('samples'))) {
      let own = byScenario.get(record.scenarioId);
      if (!own) byScenario.set(record.scenarioId, (own = []));
      own.push(record);
    }
    return byScenario;
  }

  async writeResults(results: RunResults): Promise<void> {
    await writeFile(this.path('results'), `${JSON.stringify(results, null, 2)}\n`);
  }

  async readResults(): Promise<RunResults> {
    return JSON.parse(await readFile(this.path('results'), 'utf8')) as RunResults;
  }

  async writeJunit(xml: string): Promise<void> {
    await writeFile(this.path('junit'), xml);
  }

  /** One line in `history.jsonl` for this run (trends across runs). */
  async appendHistory(results: RunResults): Promise<void> {
    const entry: HistoryEntry = {
      runId: results.runId,
      startedAt: results.startedAt,
      environment: results.environment,
      target: results.target,
      seed: results.seed,
      ...(results.specsCommit ? { specsCommit: results.specsCommit } : {}),
      exitCode: results.exitCode,
      scenarios: results.scenarios.map((s) => ({
        id: s.id,
        name: s.name,
        status: s.status,
        rto: s.rto ? { measuredSeconds: s.rto.measuredSeconds, targetSeconds: s.rto.targetSeconds, met: s.rto.met } : null,
        rpo: s.rpo ? { measuredSeconds: s.rpo.measuredSeconds, targetSeconds: s.rpo.targetSeconds, met: s.rpo.met } : null,
      })),
    };
    await appendFile(this.historyFile, `${JSON.stringify(entry)}\n`);
  }

  async readHistory(): Promise<HistoryEntry[]> {
    return parseJsonLines<HistoryEntry>(await readOptional(this.historyFile), this.historyFile);
  }

  /**
   * index.html (gameday's report, with the trend from history.jsonl) and
   * cucumber.html beside it, from what the folder holds. Loaded when called:
   * React's server renderer and cucumber's HTML formatter are needed only here.
   */
  async writeReports(): Promise<void> {
    const [{ writeReport }, { writeCucumberHtml }] = await Promise.all([import('../report/html/index.js'), import('../report/cucumber-html.js')]);
    await writeReport(this.dir, { historyFile: this.historyFile });
    await writeCucumberHtml(this.path('messages'), this.path('cucumberHtml'));
  }

  async remove(file: keyof typeof RUN_FILES): Promise<void> {
    await rm(this.path(file), { force: true });
  }
}
