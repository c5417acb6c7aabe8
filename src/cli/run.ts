import type { Writable } from 'node:stream';
import type { Speed } from '../clock/types.js';
import { ExitCode, type ExitCodeValue } from '../errors.js';
import { runGameDay, type RunEvent } from '../run/run-game-day.js';
import { jsonRenderer } from '../ui/json.js';
import { plainRenderer } from '../ui/plain.js';

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
}

/** `gameday run`: flags in, runGameDay, an exit code out. */
export async function run(options: RunCommandOptions): Promise<ExitCodeValue> {
  // The Ink UI lands with its own issue; until then every mode but json prints plain lines.
  const render: (event: RunEvent) => void = options.ui === 'json' ? jsonRenderer(options.stdout) : plainRenderer(options.stdout);
  const outcome = await runGameDay(
    {
      paths: options.paths.length ? options.paths : ['features'],
      ...(options.env ? { env: options.env } : {}),
      ...(options.tags ? { tags: options.tags } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      speed: options.speed,
      outDir: options.out,
      parallel: options.parallel,
      dryRun: options.dryRun,
    },
    { cwd: options.cwd, wallNow: options.wallNow, interrupt: options.interrupt, env: options.processEnv },
    (event) => {
      try {
        render(event);
      } catch (error) {
        // A renderer that throws must not stop the game day; say so once per event.
        options.stderr.write(`gameday: the ${options.ui} renderer failed on ${event.kind}: ${(error as Error).message}\n`);
      }
    },
  );
  if (outcome.plan) {
    const out = options.stdout;
    const environments = [...new Set(outcome.plan.map((s) => s.environment))].join(', ');
    out.write(`dry run: ${outcome.plan.length} scenario${outcome.plan.length === 1 ? '' : 's'} in ${environments} (target ${outcome.env.target}); no AWS call was made\n`);
    for (const scenario of outcome.plan) {
      out.write(`\n${scenario.uri}:${scenario.line}  ${scenario.name}  [${scenario.environment}]\n`);
      for (const step of scenario.steps) {
        out.write(`  ${String(step.line).padStart(4)}  ${step.text}\n`);
        for (const call of step.definition.calls?.(step.args, outcome.env) ?? []) out.write(`          · ${call}\n`);
      }
    }
    return ExitCode.ok;
  }
  if (outcome.interrupted) {
    options.stderr.write(`gameday: interrupted; experiments were stopped and cleanup ran (see ${outcome.dir}/journal.ndjson)\n`);
    return ExitCode.interrupted;
  }
  return outcome.exitCode === 0 ? ExitCode.ok : ExitCode.failed;
}
