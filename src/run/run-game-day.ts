import { loadSupport, runCucumber, type ISupportCodeLibrary } from '@cucumber/cucumber/api';
import type { Envelope } from '@cucumber/messages';
import { createRequire } from 'node:module';
import { mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { extname, join, relative, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Speed } from '../clock/types.js';
import { loadEnvironment, shareEnvironments, type Environment } from '../env/index.js';
import { BadInputError } from '../errors.js';
import type { TimelineEvent } from '../harness/events.js';
import { ResultsBuilder, type RunResults } from '../report/results.js';
import { BufferedFile } from './buffered-file.js';
import type { RunManifest } from './aftermath.js';
import { planScenarios, ValidationError, type FeatureSource, type PlannedScenario } from './validate.js';

export interface RunOptions {
  /** Feature files or folders; default `features/`. */
  paths: string[];
  /** Environment file; default: the one the features name (`the "securecart" environment`). */
  env?: string;
  tags?: string;
  /** Default: the environment's `sim.seed`. */
  seed?: number;
  speed: Speed;
  /** Where runs go: `<outDir>/<runId>/`; default `reports`. */
  outDir: string;
  parallel: number;
  dryRun: boolean;
}

/** The world a run depends on, passed in (cucumber-js's IRunEnvironment). */
export interface RunEnvironment {
  cwd: string;
  /** Aborts on Ctrl-C / SIGTERM; the run then reports itself interrupted. */
  interrupt?: AbortSignal;
  /** Wall-clock epoch ms: run ids and the run's start and end times. */
  wallNow: () => number;
  /**
   * Environment variables of the worker processes under --parallel (their
   * AWS credential chain reads them: AWS_PROFILE, AWS_REGION, …); none if left out.
   */
  env?: Record<string, string | undefined>;
}

/** What a live renderer (Ink, plain lines, JSON lines) receives. */
export type RunEvent =
  | { kind: 'run.started'; runId: string; dir: string; environment: string; target: 'sim' | 'aws'; seed: number; scenarios: number; wallMs: number }
  | { kind: 'scenario.finished'; scenario: string; status: string; error?: string; wallMs: number }
  | { kind: 'run.finished'; results: RunResults; dir: string; wallMs: number }
  | (TimelineEvent & { scenario: string; wallMs: number });

export interface RunOutcome {
  exitCode: 0 | 1;
  /** Ctrl-C or SIGTERM arrived: scenarios stopped and cleaned up (exit 130). */
  interrupted?: boolean;
  results?: RunResults;
  dir?: string;
  /** With --dry-run: what would run. */
  plan?: PlannedScenario[];
  env: Environment;
}

/**
 * The step library beside this module: `steps/index.ts` when running from the
 * TypeScript sources (vitest, tsx), `dist/steps/index.js` when compiled.
 */
const STEPS = fileURLToPath(new URL(`../../steps/index${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/** `features/x.feature:12:30` → the file and the scenario lines asked for (cucumber's own syntax). */
function splitLines(path: string): { file: string; lines: number[] } {
  const match = /^(.*?\.feature)((?::\d+)+)$/.exec(path);
  if (!match) return { file: path, lines: [] };
  return { file: match[1]!, lines: match[2]!.slice(1).split(':').map(Number) };
}

async function featureFiles(cwd: string, paths: string[]): Promise<{ files: string[]; lines: Map<string, number[]> }> {
  const found: string[] = [];
  const lines = new Map<string, number[]>();
  const walk = async (path: string): Promise<void> => {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new BadInputError(`${relative(cwd, path) || path}: no such file or folder`);
    if (info.isDirectory()) {
      for (const entry of (await readdir(path)).sort()) {
        const child = join(path, entry);
        if (entry.endsWith('.feature') || (await stat(child)).isDirectory()) await walk(child);
      }
    } else found.push(path);
  };
  for (const path of paths) {
    const { file, lines: wanted } = splitLines(path);
    await walk(resolve(cwd, file));
    if (wanted.length) lines.set(relative(cwd, resolve(cwd, file)), [...(lines.get(relative(cwd, resolve(cwd, file))) ?? []), ...wanted]);
  }
  if (found.length === 0) throw new BadInputError(`no .feature files in ${paths.join(', ')}`);
  return { files: [...new Set(found)], lines };
}

const ENVIRONMENT_LINE = /^\s*(?:Given|And|\*)\s+the "([^"]+)" environment\s*$/;

/** The environments the features name, when --env does not say: `scenarios/environments/<name>.yaml`. */
function namedEnvironments(sources: readonly FeatureSource[]): string[] {
  const names = new Set<string>();
  for (const source of sources) {
    for (const line of source.text.split('\n')) {
      const match = ENVIRONMENT_LINE.exec(line);
      if (match) names.add(match[1]!);
    }
  }
  if (names.size === 0) throw new BadInputError('the features name no environment (Given the "…" environment) and no --env was given');
  return [...names];
}

export function environmentFile(name: string): string {
  return `scenarios/environments/${name}.yaml`;
}

let supportLibrary: Promise<ISupportCodeLibrary> | undefined;

/**
 * Cucumber's step registry is a module singleton and ESM imports are cached,
 * so support code can only be loaded once per process: later runs reuse it.
 */
function support(cwd: string): Promise<ISupportCodeLibrary> {
  supportLibrary ??= loadSupport(
    {
      sources: { paths: [], defaultDialect: 'en', names: [], tagExpression: '', order: 'defined' },
      support: { importPaths: [STEPS], requireModules: [], requirePaths: [], loaders: [] },
    },
    { cwd },
  );
  return supportLibrary;
}

/**
 * Under --parallel, cucumber forks workers that import the step files again
 * from the library's coordinates. Compiled, they import as they are. From the
 * TypeScript sources, the workers are fresh Node processes without the
 * TypeScript loader this one has (vitest, tsx): have them import
 * tsx's ESM entry first, which registers its hooks as `node --import tsx/esm`
 * does. (Cucumber's `loaders` cannot: tsx refuses hooks registered without its
 * own API.) Only the workers' coordinates, so this process does not register tsx twice.
 */
function forWorkers(library: ISupportCodeLibrary): ISupportCodeLibrary {
  const { originalCoordinates } = library;
  if (!STEPS.endsWith('.ts')) return library;
  // A path, not a specifier: workers resolve nothing relative to their own cwd.
  const tsx = createRequire(import.meta.url).resolve('tsx/esm');
  return { ...library, originalCoordinates: { ...originalCoordinates, importPaths: [tsx, ...originalCoordinates.importPaths] } };
}

class Sink extends Writable {
  override _write(_chunk: unknown, _encoding: string, callback: () => void): void {
    callback();
  }
}

function runIdOf(wallMs: number, seed: number): string {
  return `${new Date(wallMs).toISOString().replace(/[:.]/g, '-')}-seed${seed}`;
}

/**
 * The product: validate the features against the environment and the step
 * vocabulary (exit 2 before any AWS call), then run them through cucumber's
 * runCucumber API, streaming timeline events to `onEvent`, and write
 * reports/<runId>/ (results.json, messages.ndjson, junit.xml, journal.ndjson).
 */
export async function runGameDay(options: RunOptions, environment: RunEnvironment, onEvent: (event: RunEvent) => void): Promise<RunOutcome> {
  const { cwd } = environment;
  const { files, lines } = await featureFiles(cwd, options.paths);
  const sources: FeatureSource[] = await Promise.all(
    files.map(async (file) => ({ uri: relative(cwd, file), text: await readFile(file, 'utf8') })),
  );
  const read = (path: string) => readFile(resolve(cwd, path), 'utf8');
  const override = options.env ? await loadEnvironment(options.env, read) : undefined;
  const byName = new Map<string, Environment>();
  /** What was loaded, by file as the steps name it: they take it from here (shareEnvironments). */
  const byFile = new Map<string, Environment>(override && options.env ? [[options.env, override]] : []);
  if (!override) {
    for (const name of namedEnvironments(sources)) {
      // A missing file is bad input at the step that names it, with its line, rather than here.
      const loaded = await loadEnvironment(environmentFile(name), read).catch((error: unknown) => {
        if ((error as { problems?: { line: number }[] }).problems?.[0]?.line === 0) return undefined;
        throw error;
      });
      if (loaded) {
        byName.set(name, loaded);
        byFile.set(environmentFile(name), loaded);
      }
    }
  }
  const env = override ?? [...byName.values()][0];
  if (!env) throw new BadInputError(`no environment file found for ${namedEnvironments(sources).map(environmentFile).join(', ')}`);
  const planned = planScenarios(sources, { ...(override ? { override } : {}), byName }, options.tags);
  const problems = planned.problems;
  // Scenarios asked for by line: a scenario's own line, or any line inside it (cucumber's rule is the former).
  const scenarios = planned.scenarios.filter((s) => !lines.has(s.uri) || lines.get(s.uri)!.includes(s.line));
  if (problems.length > 0) throw new ValidationError(problems);
  if (scenarios.length === 0) throw new BadInputError(`no scenario in ${options.paths.join(', ')} matches${options.tags ? ` --tags "${options.tags}"` : ''}`);
  if (options.dryRun) return { exitCode: 0, plan: scenarios, env };
  const seed = options.seed ?? (env.target === 'sim' ? env.sim.seed : 0);

  const startedMs = environment.wallNow();
  const runId = runIdOf(startedMs, seed);
  const reports = resolve(cwd, options.outDir);
  const dir = join(reports, runId);
  await mkdir(dir, { recursive: true });
  const journalFile = join(dir, 'journal.ndjson');
  await writeFile(journalFile, '');
  const manifest: RunManifest = {
    runId,
    seed,
    target: env.target,
    environment: env.name,
    ...(options.env ? { envOverride: options.env } : {}),
    envFiles: Object.fromEntries([...byName.keys()].map((name) => [name, environmentFile(name)])),
    startedAt: new Date(startedMs).toISOString(),
  };
  await writeFile(join(dir, 'run.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  onEvent({ kind: 'run.started', runId, dir, environment: env.name, target: env.target, seed, scenarios: scenarios.length, wallMs: startedMs });

  const builder = new ResultsBuilder();
  // The message formatter writes through this: one write call per scenario rather than one per message.
  const messages = new BufferedFile(join(dir, 'messages.ndjson'));
  const onMessage = (envelope: Envelope) => {
    const event = builder.add(envelope);
    if (event && envelope.attachment?.testCaseStartedId) {
      onEvent({ ...event, scenario: builder.nameOf(envelope.attachment.testCaseStartedId), wallMs: environment.wallNow() });
    }
    const caseFinished = envelope.testCaseFinished;
    if (caseFinished) messages.flush();
    if (caseFinished && !caseFinished.willBeRetried) {
      const error = builder.errorOf(caseFinished.testCaseStartedId);
      onEvent({
        kind: 'scenario.finished',
        scenario: builder.nameOf(caseFinished.testCaseStartedId),
        status: error ? 'failed' : 'passed',
        ...(error ? { error } : {}),
        wallMs: environment.wallNow(),
      });
    }
  };

  const library = await support(cwd);
  const unshare = shareEnvironments(runId, byFile);
  const result = await runCucumber(
    {
      sources: { paths: files.map((file) => { const wanted = lines.get(relative(cwd, file)); return wanted ? `${file}:${wanted.join(':')}` : file; }), defaultDialect: 'en', names: [], tagExpression: options.tags ?? '', order: 'defined' },
      support: options.parallel > 0 ? forWorkers(library) : library,
      runtime: {
        dryRun: false,
        failFast: false,
        filterStacktraces: true,
        parallel: options.parallel,
        retry: 0,
        retryTagFilter: '',
        strict: true,
        worldParameters: {
          runId,
          cwd,
          ...(manifest.envOverride ? { envOverride: manifest.envOverride } : {}),
          envFiles: manifest.envFiles,
          seed,
          speed: options.speed,
          journalFile,
        },
      },
      formats: {
        stdout: 'message',
        files: { [join(dir, 'junit.xml')]: 'junit' },
        publish: false,
        options: {},
      },
    },
    { cwd, stdout: messages, stderr: new Sink(), env: { ...environment.env } },
    onMessage,
  ).finally(() => {
    unshare();
    return new Promise<void>((done, failed) => messages.end((error?: Error | null) => (error ? failed(error) : done())));
  });

  const finishedMs = environment.wallNow();
  const results = builder.build({
    runId,
    target: env.target,
    seed,
    environment: env.name,
    startedAt: new Date(startedMs).toISOString(),
    finishedAt: new Date(finishedMs).toISOString(),
  });
  await writeFile(join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(join(dir, 'run.json'), `${JSON.stringify({ ...manifest, finishedAt: results.finishedAt }, null, 2)}\n`);
  const latest = join(reports, 'latest');
  await rm(latest, { force: true });
  await symlink(runId, latest);
  onEvent({ kind: 'run.finished', results, dir, wallMs: finishedMs });
  return {
    exitCode: result.success && results.summary.failed === 0 ? 0 : 1,
    ...(environment.interrupt?.aborted ? { interrupted: true } : {}),
    results,
    dir,
    env,
  };
}
