/**
 * One sample of a run with --samples (sample 1 and on): a cucumber pass over
 * the run's selected scenarios under the sample's run seed, in the process
 * that calls it, kept as one record per scenario. The run calls it in its
 * own process, and under --parallel each sample worker (sample-worker.ts)
 * calls it in its own: the same code, so a sample's figures do not depend
 * on where it ran.
 */
import { loadSupport, runCucumber, type ISupportCodeLibrary } from '@cucumber/cucumber/api';
import { createRequire } from 'node:module';
import { devNull } from 'node:os';
import { extname } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { GameDayParameters } from '../../steps/world.js';
import type { Speed } from '../clock/types.js';
import { type PlannedIdentity, ResultsBuilder, sampleRecord, type SampleRecord } from '../report/index.js';

/** What a sample pass needs of its run: plain JSON, so it can be sent to a worker process. */
export interface SamplePassConfig {
  cwd: string;
  runId: string;
  /** Feature files, each with the selected scenarios' lines (`file.feature:12:30`) as cucumber takes them. */
  paths: string[];
  tags: string;
  speed: Speed;
  envOverride?: string;
  envFiles: Record<string, string>;
  /** The selected scenarios by `uri:line`: their ids and the keys their seeds derive from. */
  scenarios: GameDayParameters['scenarios'];
  /** The same scenarios' identities, for their results. */
  identities: Record<string, PlannedIdentity>;
  /** The run's environment variables (RunEnvironment.env), for cucumber and the sample workers; absent: the process's own. */
  env?: Record<string, string | undefined>;
}

/**
 * The step library beside this module: `steps/index.ts` when running from the
 * TypeScript sources (vitest, tsx), `dist/steps/index.js` when compiled.
 */
export const STEPS = fileURLToPath(new URL(`../../steps/index${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

let supportLibrary: Promise<ISupportCodeLibrary> | undefined;

/**
 * Cucumber's step registry is a module singleton and ESM imports are cached,
 * so support code can only be loaded once per process: later runs reuse it.
 */
export function support(cwd: string): Promise<ISupportCodeLibrary> {
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
 * The `node` arguments a child process needs to import this package's
 * modules: none when compiled; from the TypeScript sources (vitest, tsx),
 * tsx's ESM entry, which registers its hooks as `node --import tsx/esm` does.
 * A path, not a specifier: the child resolves nothing relative to its cwd.
 */
export function childExecArgv(): string[] {
  return STEPS.endsWith('.ts') ? ['--import', createRequire(import.meta.url).resolve('tsx/esm')] : [];
}

export class Sink extends Writable {
  override _write(_chunk: unknown, _encoding: string, callback: () => void): void {
    callback();
  }
}

/**
 * Run sample `sample` under `runSeed`. Only each scenario's record is kept;
 * the messages go nowhere and the journal to the null device: the sim's
 * resources die with their scenario, so nothing a sample changes could be
 * left for `gameday cleanup`.
 */
export async function runSamplePass(config: SamplePassConfig, library: ISupportCodeLibrary, sample: number, runSeed: number): Promise<SampleRecord[]> {
  const builder = new ResultsBuilder(new Map(Object.entries(config.identities)));
  await runCucumber(
    {
      sources: { paths: config.paths, defaultDialect: 'en', names: [], tagExpression: config.tags, order: 'defined' },
      support: library,
      runtime: {
        dryRun: false,
        failFast: false,
        filterStacktraces: true,
        parallel: 0,
        retry: 0,
        retryTagFilter: '',
        strict: true,
        worldParameters: {
          runId: config.runId,
          cwd: config.cwd,
          ...(config.envOverride ? { envOverride: config.envOverride } : {}),
          envFiles: config.envFiles,
          seed: runSeed,
          speed: config.speed,
          journalFile: devNull,
          scenarios: config.scenarios,
        } satisfies GameDayParameters,
      },
      formats: { stdout: 'message', files: {}, publish: false, options: {} },
    },
    { cwd: config.cwd, stdout: new Sink(), stderr: new Sink(), env: { ...config.env } },
    (envelope) => void builder.add(envelope),
  );
  return builder.scenarios().map((result) => sampleRecord(result, sample, runSeed));
}
