import { runCucumber, type ISupportCodeLibrary } from '@cucumber/cucumber/api';
import type { Envelope } from '@cucumber/messages';
import { createRequire } from 'node:module';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { Writable } from 'node:stream';
import type { GameDayParameters } from '../../steps/world.js';
import { checkRequiredTag, makeClients, verifyAccount } from '../aws/index.js';
import type { Speed } from '../clock/types.js';
import { loadEnvironment, regionsOf, shareEnvironments, type Environment } from '../env/index.js';
import { BadInputError, SafetyGuardError, TargetUnavailableError } from '../errors.js';
import { errorCode, sampleSeed } from '../harness/index.js';
import { JunitReport, type Note, type PlannedIdentity, ResultsBuilder, type RunResults, sampleRecord, type SampleRecord, type Warning, withSampleVerdicts } from '../report/index.js';
import { leftChangedOf } from './aftermath.js';
import { checkDryRunTemplates, type DryRunTemplates } from './dry-run-templates.js';
import { RunFolder, shardOfResults, type RunManifest } from './run-folder.js';
import { Sink, STEPS, support } from './sample-pass.js';
import { runSamples } from './samples.js';
import { inputsDigest, inShard, shardProblem, shardText, type Shard } from './shard.js';
import type { RunControl, RunEvent } from './types.js';
import { environmentNamedBy, planScenarios, ValidationError, type CheckedScenario, type FeatureSource } from './validate.js';

export interface RunOptions {
  /** Feature files or folders; default `features/`. `file.feature:LINE` selects as cucumber-js does. */
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
  /**
   * Seeds each scenario runs under (sim only; default the environment's
   * `sim.samples`, else 1): sample 0 is the plain run, the others follow it
   * in this process, and results.json gets each objective's distribution.
   */
  samples?: number;
  /**
   * `--shard i/n`: run only the i-th of n slices: with samples, the samples
   * whose number is i−1 modulo n (the first of them as the plain run); else
   * the selected scenarios at positions i−1 modulo n. See shard.ts.
   */
  shard?: Shard;
}

/** The world a run depends on, passed in (cucumber-js's IRunEnvironment). */
export interface RunEnvironment {
  cwd: string;
  /** Aborts on Ctrl-C / SIGTERM; the run then stops its scenarios, cleans up and reports itself interrupted. */
  interrupt?: AbortSignal;
  /** Wall-clock epoch ms: run ids, the run's start and end times, notes. */
  wallNow: () => number;
  /**
   * Environment variables of the worker processes under --parallel (their
   * AWS credential chain reads them: AWS_PROFILE, AWS_REGION, …); none if left out.
   */
  env?: Record<string, string | undefined>;
  /** gameday's version, for results.json and the report. */
  version?: string;
  /** The git commit the features come from, when known (the CLI asks git at the edge). */
  specsCommit?: string;
  /** This process's id, in run.json: `gameday cleanup` leaves a run whose process is alive alone. */
  pid?: number;
  /** Called once the run has started, with what a live view may ask of it (notes, abort). */
  onControl?: (control: RunControl) => void;
}

export type { RunEvent } from './types.js';

export interface RunOutcome {
  /** What `gameday run` exits with (DESIGN §7). */
  exitCode: RunResults['exitCode'];
  /** Ctrl-C or SIGTERM arrived: scenarios stopped and cleaned up (exit 130). */
  interrupted?: boolean;
  results?: RunResults;
  dir?: string;
  /** With --dry-run: what would run. */
  plan?: CheckedScenario[];
  /** With --dry-run on aws: the faults' templates as the account's FIS and resources took them (read-only calls). */
  templateChecks?: DryRunTemplates[];
  /** Problems that do not stop the run. */
  warnings: Warning[];
  env: Environment;
  /** Why index.html or cucumber.html could not be written (results.json and junit.xml were). */
  reportError?: string;
}


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
    const uri = relative(cwd, resolve(cwd, file));
    if (wanted.length) lines.set(uri, [...(lines.get(uri) ?? []), ...wanted]);
  }
  if (found.length === 0) throw new BadInputError(`no .feature files in ${paths.join(', ')}`);
  return { files: [...new Set(found)], lines };
}

// A Given step's line; the phrase it holds is the vocabulary's to recognise.
const GIVEN_LINE = /^\s*(?:Given|And|\*)\s+(.*?)\s*$/;

/** The environments the features name, when --env does not say: `scenarios/environments/<name>.yaml`. */
function namedEnvironments(sources: readonly FeatureSource[]): string[] {
  const names = new Set<string>();
  for (const source of sources) {
    for (const line of source.text.split('\n')) {
      const text = GIVEN_LINE.exec(line)?.[1];
      const name = text === undefined ? undefined : environmentNamedBy(text);
      if (name !== undefined) names.add(name);
    }
  }
  if (names.size === 0) throw new BadInputError('the features name no environment (Given the "…" environment) and no --env was given');
  return [...names];
}

export function environmentFile(name: string): string {
  return `scenarios/environments/${name}.yaml`;
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

function runIdOf(wallMs: number, seed: number): string {
  return `${new Date(wallMs).toISOString().replace(/[:.]/g, '-')}-seed${seed}`;
}

/**
 * Where the steps of this process listen for an interrupt (steps/index.ts):
 * a run in process reaches them here; workers under --parallel hear the
 * terminal's signal themselves.
 */
const INTERRUPT_SCENARIOS = Symbol.for('gameday.interruptScenarios');

function interruptScenarios(runId: string): void {
  (globalThis as { [INTERRUPT_SCENARIOS]?: (runId: string) => void })[INTERRUPT_SCENARIOS]?.(runId);
}

/**
 * Where the steps of this process take the sim's pace (steps/index.ts): the
 * scenarios' virtual clocks are made there, one per scenario, so the run
 * reaches them as it reaches their interrupt. Workers under --parallel are
 * other processes: the run offers no pace there (RunControl.setSpeed is absent).
 */
const PACE_SCENARIOS = Symbol.for('gameday.paceScenarios');

function paceScenarios(runId: string, pace: { speed: Speed; paused: boolean }): void {
  (globalThis as { [PACE_SCENARIOS]?: (runId: string, pace: { speed: Speed; paused: boolean }) => void })[PACE_SCENARIOS]?.(runId, pace);
}

/** The environments the run's scenarios use, loaded once: --env's, or those the features name. */
async function loadEnvironments(
  cwd: string,
  envFile: string | undefined,
  sources: readonly FeatureSource[],
  /** Every file the environments were read from, with its text (a shard's inputs digest). */
  read: { path: string; text: string }[] = [],
): Promise<{ override?: Environment; byName: Map<string, Environment>; byFile: Map<string, Environment> }> {
  const readOne = async (path: string) => {
    const text = await readFile(resolve(cwd, path), 'utf8');
    read.push({ path, text });
    return text;
  };
  if (envFile) {
    const override = await loadEnvironment(envFile, readOne);
    return { override, byName: new Map(), byFile: new Map([[envFile, override]]) };
  }
  const byName = new Map<string, Environment>();
  const byFile = new Map<string, Environment>();
  for (const name of namedEnvironments(sources)) {
    // A missing file is bad input at the step that names it, with its line, rather than here.
    const loaded = await loadEnvironment(environmentFile(name), readOne).catch((error: unknown) => {
      if ((error as { problems?: { line: number }[] }).problems?.[0]?.line === 0) return undefined;
      throw error;
    });
    if (loaded) {
      byName.set(name, loaded);
      byFile.set(environmentFile(name), loaded);
    }
  }
  return { byName, byFile };
}

/**
 * The account guard, once per aws environment before anything runs: exit 3
 * for an account not allowed, 2 for credentials that cannot be found. The
 * sim's account is the environment's own.
 */
/** An error from an AWS SDK call: a service's answer, or the network failing under the client (the SDK tags both with `$metadata`). */
function isAwsError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && '$metadata' in error;
}

async function accountOf(envs: Iterable<Environment>, scenarios: readonly CheckedScenario[]): Promise<string | undefined> {
  let account: string | undefined;
  for (const env of envs) {
    if (env.target === 'sim') {
      account ??= env.sim.accountId;
      continue;
    }
    const clients = makeClients((region) => ({ region }));
    try {
      account = await verifyAccount(clients.sts(), env);
      // The tag guard, read-only too: what this environment's scenarios name and the templates of the faults they inject.
      const own = scenarios.filter((s) => s.environment === env.name);
      const aliases = new Set(own.flatMap((s) => s.steps.flatMap((step) => step.args.filter((arg): arg is string => typeof arg === 'string' && arg in env.resources))));
      const faults = new Set(own.flatMap((s) => s.steps.flatMap((step) => step.definition.faults?.(step.args) ?? [])));
      await checkRequiredTag(env, clients, aliases, faults);
    } catch (error) {
      // An answer of AWS's own (an outage, throttling, a network error): no verdict on the environment or on the game day.
      if (error instanceof BadInputError || error instanceof SafetyGuardError || !isAwsError(error)) throw error;
      const code = errorCode(error);
      const message = (error as Error).message.split('\n')[0];
      throw new TargetUnavailableError(
        `${env.file}: AWS could not be asked what the run checks before it starts (the account, the tags requireTag reads): ${code === 'Error' ? message : `${code}: ${message}`}. Nothing was changed; run again once AWS answers`,
      );
    } finally {
      clients.destroy();
    }
  }
  return account;
}

/**
 * The product: validate the features against the environment and the step
 * vocabulary (exit 2 before any AWS call), check the account (exit 3), then
 * run them through cucumber's runCucumber API, streaming live events to
 * `onEvent`, and write the run folder (results.json, messages.ndjson,
 * junit.xml, journal.ndjson, run.json; history.jsonl beside it).
 */
export async function runGameDay(options: RunOptions, environment: RunEnvironment, onEvent: (event: RunEvent) => void): Promise<RunOutcome> {
  const { cwd } = environment;
  const { files, lines } = await featureFiles(cwd, options.paths);
  const sources: FeatureSource[] = await Promise.all(files.map(async (file) => ({ uri: relative(cwd, file), text: await readFile(file, 'utf8') })));
  const shard = options.shard;
  const shardInvalid = shard ? shardProblem(shard) : undefined;
  if (shardInvalid) throw new BadInputError(`--shard ${shardText(shard!)}: ${shardInvalid}`);
  const inputs: { path: string; text: string }[] = sources.map((source) => ({ path: source.uri, text: source.text }));
  const { override, byName, byFile } = await loadEnvironments(cwd, options.env, sources, inputs);
  const env = override ?? [...byName.values()][0];
  if (!env) throw new BadInputError(`no environment file found for ${namedEnvironments(sources).map(environmentFile).join(', ')}`);
  const planned = planScenarios(sources, { ...(override ? { override } : {}), byName }, { ...(options.tags ? { tags: options.tags } : {}), lines });
  if (planned.problems.length > 0) throw new ValidationError(planned.problems);
  const { scenarios, warnings } = planned;
  if (scenarios.length === 0) throw new BadInputError(`no scenario in ${options.paths.join(', ')} matches${options.tags ? ` --tags "${options.tags}"` : ''}`);
  const used = new Set(scenarios.map((s) => s.environment));
  const usedEnvironments = override ? [override] : [...byName.values()].filter((e) => used.has(e.name));
  const onAws = usedEnvironments.find((e) => e.target === 'aws');
  if (options.samples !== undefined && onAws) {
    throw new BadInputError(
      `--samples ${options.samples}: ${onAws.file} targets aws, where a game day is one sample of real time; --samples reruns scenarios under other seeds of the simulator (target sim) only`,
    );
  }
  // sim.samples cannot be on aws (the sim section is refused there), so only the flag needed the check above.
  const samples = options.samples ?? (env.target === 'sim' ? env.sim.samples : undefined) ?? 1;
  // With samples a shard runs every scenario under its slice of the samples; without, its slice of the scenarios.
  const shardOf = samples > 1 ? 'samples' : 'scenarios';
  const mine = shardOf === 'scenarios' ? scenarios.filter((_, position) => inShard(shard, position)) : scenarios;
  const mySamples = Array.from({ length: samples }, (_, sample) => sample).filter((sample) => shardOf === 'scenarios' || inShard(shard, sample));
  if (options.dryRun) {
    const templateChecks = await checkDryRunTemplates(usedEnvironments, mine);
    return { exitCode: 0, plan: mine, warnings, env, ...(templateChecks.length > 0 ? { templateChecks } : {}) };
  }
  const seed = options.seed ?? (env.target === 'sim' ? env.sim.seed : 0);
  /**
   * The sample the plain run is (its messages, timeline and journal are the
   * run's): sample 0, or a shard's first; none for a shard given nothing to run.
   */
  const plainSample = mine.length > 0 ? mySamples[0] : undefined;
  const plainSeed = sampleSeed(seed, plainSample ?? 0);
  for (const e of usedEnvironments) {
    if (e.target === 'aws' && e.httpVia === 'endpoint-url' && environment.env && !environment.env['AWS_ENDPOINT_URL']) {
      throw new BadInputError(`${e.file}: httpVia: endpoint-url sends the orders service's requests to the endpoint override, and AWS_ENDPOINT_URL is not set (the address of \`gameday sim serve\`)`);
    }
  }
  const account = await accountOf(usedEnvironments, scenarios);

  const startedMs = environment.wallNow();
  const runId = runIdOf(startedMs, seed);
  const reports = resolve(cwd, options.outDir);
  const identities = Object.fromEntries(
    scenarios.map((s) => [`${s.uri}:${s.line}`, { id: s.id, environment: s.environment, ...(s.strategy ? { strategy: s.strategy } : {}) } satisfies PlannedIdentity]),
  );
  const folder = await RunFolder.create(reports, {
    runId,
    state: 'running',
    seed,
    target: env.target,
    environment: env.name,
    ...(options.env ? { envOverride: options.env } : {}),
    envFiles: Object.fromEntries([...byName.keys()].map((name) => [name, environmentFile(name)])),
    ...(account ? { account } : {}),
    regions: regionsOf(env),
    ...(environment.version ? { gamedayVersion: environment.version } : {}),
    ...(environment.specsCommit ? { specsCommit: environment.specsCommit } : {}),
    startedAt: new Date(startedMs).toISOString(),
    scenarios: identities,
    warnings,
    ...(environment.pid !== undefined ? { owner: { pid: environment.pid } } : {}),
    ...(samples > 1 ? { samples: samplingOf(samples, usedEnvironments) } : {}),
    ...(shard ? { shard: { index: shard.index, count: shard.count, of: shardOf, inputs: inputsDigest(inputs) } } : {}),
  });
  const { dir } = folder;
  const manifest = folder.manifest;

  const builder = new ResultsBuilder(new Map(Object.entries(identities)));
  const junit = new JunitReport(`gameday ${runId}`);
  const notes: Note[] = [];
  /** The scenarios running now, by their attempt: where a note lands, and at which virtual second. */
  const running = new Map<string, { scenarioId: string; t: number }>();
  const pickleIds = new Map<string, string>();
  let announced = false;
  const announce = () => {
    if (announced) return;
    announced = true;
    onEvent({
      kind: 'run.started',
      runId,
      dir,
      environment: env.name,
      target: env.target,
      ...(account ? { account } : {}),
      regions: manifest.regions,
      seed,
      speed: options.speed,
      parallel: options.parallel,
      ...(shard ? { shard: { index: shard.index, count: shard.count, of: shardOf } } : {}),
      plan: mine.map((s) => ({
        id: s.id,
        pickleId: pickleIds.get(`${s.uri}:${s.line}`) ?? '',
        name: s.name,
        uri: s.uri,
        line: s.line,
        tags: s.tags,
        environment: s.environment,
        ...(s.strategy ? { strategy: s.strategy } : {}),
        ...(s.objectives ? { objectives: s.objectives } : {}),
        steps: s.steps.map(({ keyword, text, line }) => ({ keyword, text, line })),
      })),
      warnings,
      wallMs: startedMs,
    });
  };

  const messages = folder.messagesStream();
  const onMessage = (envelope: Envelope) => {
    junit.add(envelope);
    if (envelope.pickle) pickleIds.set(`${envelope.pickle.uri}:${envelope.pickle.location?.line ?? 0}`, envelope.pickle.id);
    if (envelope.testRunStarted) announce();
    for (const event of builder.add(envelope)) {
      if ('t' in event) running.set(event.testCaseStartedId, { scenarioId: event.scenarioId, t: event.t });
      if (event.kind === 'scenario.finished') running.delete(event.testCaseStartedId);
      onEvent({ ...event, wallMs: environment.wallNow() } as RunEvent);
    }
    if (envelope.testCaseFinished) messages.flush();
  };

  const note = (text: string, by?: string) => {
    const [where] = running.values();
    const added: Note = {
      at: new Date(environment.wallNow()).toISOString(),
      text,
      ...(by ? { by } : {}),
      ...(where ? { scenarioId: where.scenarioId, t: where.t } : {}),
    };
    notes.push(added);
    folder.appendNote(added);
    onEvent({ kind: 'note', note: added, wallMs: environment.wallNow() });
  };
  const pace = { speed: options.speed, paused: false };
  const setPace = (change: Partial<typeof pace>) => {
    Object.assign(pace, change);
    paceScenarios(runId, pace);
    onEvent({ kind: 'run.pace', ...pace, wallMs: environment.wallNow() });
  };
  const stop = new AbortController();
  const abort = () => {
    if (stop.signal.aborted) return;
    stop.abort();
    // Cleanup waits on the clock too (an experiment stopping): a paused one would hold it forever.
    if (pace.paused) setPace({ paused: false });
    interruptScenarios(runId);
  };
  // The steps (support code) must be loaded before an interrupt can reach them.
  const library = await support(cwd);
  if (environment.interrupt?.aborted) abort();
  environment.interrupt?.addEventListener('abort', abort, { once: true });
  const paceable = options.parallel === 0 && usedEnvironments.every((e) => e.target === 'sim');
  environment.onControl?.({
    abort,
    note,
    ...(paceable
      ? {
          setSpeed: (speed: Speed) => setPace({ speed }),
          setPaused: (paused: boolean) => setPace({ paused: paused && !stop.signal.aborted }),
        }
      : {}),
  });

  const unshare = shareEnvironments(runId, byFile);
  // Cucumber selects by the lines it knows (a scenario's, an example row's): hand it each selected pickle's own.
  const selectedLines = new Map<string, number[]>();
  // A shard of the scenarios selects its own by line, and leaves out the files it has none of.
  const byLine = shardOf === 'scenarios' && shard !== undefined;
  for (const s of mine) if (byLine || lines.has(s.uri)) selectedLines.set(s.uri, [...(selectedLines.get(s.uri) ?? []), s.line]);
  const sourcePaths = files.flatMap((file) => {
    const wanted = selectedLines.get(relative(cwd, file));
    if (byLine && !wanted) return [];
    return [wanted ? `${file}:${wanted.join(':')}` : file];
  });
  const scenarioKeys = Object.fromEntries(scenarios.map((s) => [`${s.uri}:${s.line}`, { id: s.id, identityKey: s.identityKey }]));
  /**
   * The plain run (sample 0): one pass of cucumber over the selected
   * scenarios, its messages in messages.ndjson and journal in journal.ndjson
   * (further samples: samples.ts).
   */
  const cucumber = (runSeed: number, journalFile: string, parallel: number, stdout: Writable, listener: (envelope: Envelope) => void) =>
    runCucumber(
      {
        sources: {
          paths: sourcePaths,
          defaultDialect: 'en',
          names: [],
          tagExpression: options.tags ?? '',
          order: 'defined',
        },
        support: parallel > 0 ? forWorkers(library) : library,
        runtime: {
          dryRun: false,
          failFast: false,
          filterStacktraces: true,
          parallel,
          retry: 0,
          retryTagFilter: '',
          strict: true,
          worldParameters: {
            runId,
            cwd,
            ...(manifest.envOverride ? { envOverride: manifest.envOverride } : {}),
            envFiles: manifest.envFiles,
            seed: runSeed,
            speed: options.speed,
            journalFile,
            scenarios: scenarioKeys,
          } satisfies GameDayParameters,
        },
        formats: { stdout: 'message', files: {}, publish: false, options: {} },
      },
      { cwd, stdout, stderr: new Sink(), env: { ...environment.env } },
      listener,
    );

  const sampled = new Map<string, SampleRecord[]>();
  const keep = (records: readonly SampleRecord[]) => {
    for (const record of records) {
      let own = sampled.get(record.scenarioId);
      if (!own) sampled.set(record.scenarioId, (own = []));
      own.push(record);
    }
    folder.appendSamples(records);
  };

  let result: { success: boolean } = { success: true };
  try {
    // A shard given nothing to run (more shards than scenarios or samples) still leaves its run folder, empty.
    if (plainSample !== undefined) result = await cucumber(plainSeed, folder.path('journal'), options.parallel, messages, onMessage);
    if (samples > 1 && plainSample !== undefined && !stop.signal.aborted) {
      // The plain run's records come from its own results, before the others.
      keep(builder.scenarios().map((scenario) => sampleRecord(scenario, plainSample, plainSeed)));
      let done = 1;
      await runSamples({
        config: {
          cwd,
          runId,
          paths: sourcePaths,
          tags: options.tags ?? '',
          speed: options.speed,
          ...(manifest.envOverride ? { envOverride: manifest.envOverride } : {}),
          envFiles: manifest.envFiles,
          scenarios: scenarioKeys,
          identities,
          ...(environment.env ? { env: environment.env } : {}),
        },
        seed,
        samples: mySamples.slice(1),
        parallel: options.parallel,
        signal: stop.signal,
        onSample: (sample, seedOfSample, records) => {
          keep(records);
          done++;
          onEvent({ kind: 'sample.finished', sample, samples: mySamples.length, done, seed: seedOfSample, scenarios: records.length, wallMs: environment.wallNow() });
        },
      });
    }
  } finally {
    environment.interrupt?.removeEventListener('abort', abort);
    unshare();
    await new Promise<void>((done, failed) => messages.end((error?: Error | null) => (error ? failed(error) : done())));
  }
  announce();

  const interrupted = stop.signal.aborted;
  const exitCode: RunResults['exitCode'] = interrupted ? 130 : (builder.exitCode() ?? (result.success ? 0 : 1));
  const finishedMs = environment.wallNow();
  const plain = builder.build({
    runId,
    target: env.target,
    seed,
    environment: env.name,
    ...(account ? { account } : {}),
    regions: manifest.regions,
    ...(environment.version ? { gamedayVersion: environment.version } : {}),
    ...(environment.specsCommit ? { specsCommit: environment.specsCommit } : {}),
    startedAt: manifest.startedAt,
    finishedAt: new Date(finishedMs).toISOString(),
    interrupted,
    exitCode,
    warnings,
    notes,
    ...leftChangedOf(await folder.readJournal()),
    ...shardOfResults(manifest),
  });
  const results = sampled.size > 0 ? withSampleVerdicts(plain, manifest, sampled) : plain;
  await folder.writeResults(results);
  await folder.writeJunit(junit.xml(results));
  await folder.appendHistory(results);
  // The report is the run's evidence, not its verdict: one that cannot be written is said, and the run's exit code stands.
  const reportError = await folder.writeReports().then(
    () => undefined,
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  const offset = builder.awsClockOffsetSeconds();
  await folder.updateManifest({
    state: interrupted ? 'interrupted' : 'finished',
    finishedAt: results.finishedAt,
    exitCode: results.exitCode,
    ...(offset !== undefined ? { awsClockOffsetSeconds: offset } : {}),
  });
  onEvent({ kind: 'run.finished', results, dir, report: folder.path('html'), exitCode: results.exitCode, wallMs: environment.wallNow() });
  return { exitCode: results.exitCode, ...(interrupted ? { interrupted } : {}), results, dir, warnings, env, ...(reportError ? { reportError } : {}) };
}

/** What run.json keeps of a sampled run's settings (RunManifest.samples). */
function samplingOf(count: number, environments: readonly Environment[]): NonNullable<RunManifest['samples']> {
  const confidence: Record<string, number> = {};
  const environmentSamples: Record<string, number> = {};
  for (const e of environments) {
    // Only sim environments get this far with samples (the aws check above).
    if (e.target !== 'sim') continue;
    confidence[e.name] = e.sim.confidence;
    if (e.sim.samples !== undefined) environmentSamples[e.name] = e.sim.samples;
  }
  return { count, confidence, ...(Object.keys(environmentSamples).length ? { environmentSamples } : {}) };
}

