import type { Writable } from 'node:stream';
import type { Speed } from '../clock/types.js';
import { ExitCode, type ExitCodeValue } from '../errors.js';
import { runGameDay } from '../run/run-game-day.js';
import type { RunEvent } from '../run/types.js';
import { jsonRenderer } from '../ui/json.js';
import { plainRenderer, plural } from '../ui/plain.js';
import { specsCommit } from './specs-commit.js';

export interface RunCommandOptions {
  paths: string[];
  env?: string;
  tags?: string;
  seed?: number;
  speed: Speed;
  ui: 'auto' | 'ink' | 'plain' | 'json';
  out: string;
  parallel: number;
  dryRun: boolean;
  cwd: string;
  stdout: Writable;
  stderr: Writable;
  wallNow: () => number;
  interrupt: AbortSignal;
  /** The process's environment variables, handed on to --parallel workers (their AWS credential chain reads them). */
  processEnv: Record<string, string | undefined>;
  version?: string;
}

/** `gameday run`: flags in, runGameDay, an exit code out. */
export async function run(options: RunCommandOptions): Promise<ExitCodeValue> {
  const { stdout, stderr } = options;
  // The Ink UI lands with its own issue; until then every mode but json prints plain lines.
  const render: (event: RunEvent) => void = options.ui === 'json' ? jsonRenderer(stdout) : plainRenderer(stdout);
  const paths = options.paths.length ? options.paths : ['features'];
  const commit = options.dryRun ? undefined : await specsCommit(options.cwd, paths);
  const outcome = await runGameDay(
    {
      paths,
      ...(options.env ? { env: options.env } : {}),
      ...(options.tags ? { tags: options.tags } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      speed: options.speed,
      outDir: options.out,
      parallel: options.parallel,
      dryRun: options.dryRun,
    },
    {
      cwd: options.cwd,
      wallNow: options.wallNow,
      interrupt: options.interrupt,
      env: options.processEnv,
      ...(options.version ? { version: options.version } : {}),
      ...(commit ? { specsCommit: commit } : {}),
    },
    (event) => {
      try {
        render(event);
      } catch (error) {
        // A renderer that throws must not stop the game day; say so once per event.
        stderr.write(`gameday: the ${options.ui} renderer failed on ${event.kind}: ${(error as Error).message}\n`);
      }
    },
  );
  if (outcome.plan) {
    const environments = [...new Set(outcome.plan.map((s) => s.environment))].join(', ');
    stdout.write(`dry run: ${plural(outcome.plan.length, 'scenario')} in ${environments} (target ${outcome.env.target}); no AWS call was made\n`);
    for (const warning of outcome.warnings) stdout.write(`warning: ${warning.uri}:${warning.line}: ${warning.message}\n`);
    for (const scenario of outcome.plan) {
      stdout.write(`\n${scenario.uri}:${scenario.line}  ${scenario.name}  [${scenario.environment}]  id ${scenario.id}\n`);
      for (const step of scenario.steps) {
        stdout.write(`  ${String(step.line).padStart(4)}  ${step.keyword} ${step.text}\n`);
        for (const call of step.definition.calls?.(step.args, outcome.env) ?? []) stdout.write(`          · ${call}\n`);
      }
    }
    return ExitCode.ok;
  }
  if (outcome.reportError) stderr.write(`gameday: the HTML report could not be written (results.json and junit.xml were): ${outcome.reportError}\n`);
  if (outcome.interrupted) {
    stderr.write(`gameday: interrupted; experiments were stopped and cleanup ran (see ${outcome.dir}/journal.ndjson)\n`);
    return ExitCode.interrupted;
  }
  return outcome.exitCode as ExitCodeValue;
}
