import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { relative } from 'node:path';
import type { Writable } from 'node:stream';
import { BadInputError, ExitCode, exitCodeOf, type ExitCodeValue } from '../errors.js';
import type { Speed } from '../clock/types.js';
// Not through harness/index.ts, which loads the whole harness: the CLI loads what a command needs, lazily.
import { MAX_SAMPLES } from '../harness/seed.js';
import { parseShard, type Shard } from '../run/shard.js';
import { quietWhenClosed } from './output.js';

// Each command loads what it needs when it runs: `--help` and `sim serve`
// need neither cucumber nor the AWS SDK clients.

/** Everything the command depends on, passed in (cucumber-js's IRunEnvironment). */
export interface CliIo {
  argv: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: Writable;
  stderr: Writable;
  /**
   * The process's own stdout and stdin, for the live view (Ink measures,
   * redraws and reads keys on them); `isTTY`: stdout is a terminal. stdin
   * is opened only if asked for: a terminal's stdin, once read, holds the process open.
   */
  terminal?: { stdout: NodeJS.WriteStream; stdin: () => NodeJS.ReadStream; isTTY: boolean };
  /**
   * Ctrl-C / SIGTERM after the first: each reaches `listener`. Returns its
   * unsubscribe. With no listener, the edge ends the process (exit 130), as
   * the signal would have.
   */
  onInterruptAgain?: (listener: () => void) => () => void;
  /** End the process now with `code` (a third Ctrl-C abandons a run's cleanup). */
  exit?: (code: number) => void;
  /** Aborts on Ctrl-C / SIGTERM. */
  interrupt: AbortSignal;
  /** Wall-clock epoch milliseconds (Date.now at the edge): run ids, start and end times, wall durations. */
  wallNow: () => number;
  /** gameday's version (package.json), for `--version`. */
  version?: string;
  /** This process's id (run.json names it, so `gameday cleanup` leaves a live run alone). */
  pid?: number;
  /** Whether a process is alive on this machine. */
  isAlive?: (pid: number) => boolean;
}

export function parseSpeed(value: string): Speed {
  if (value === 'max') return 'max';
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected "max" or a positive number, got "${value}"`);
  return n;
}

export function parseSeed(value: string): number {
  if (!/^\d{1,15}$/.test(value)) throw new InvalidArgumentError(`expected a non-negative integer, got "${value}"`);
  return Number(value);
}

function parseUi(value: string): 'auto' | 'ink' | 'plain' | 'json' {
  if (value === 'auto' || value === 'ink' || value === 'plain' || value === 'json') return value;
  throw new InvalidArgumentError(`expected auto, ink, plain or json, got "${value}"`);
}

function parseWorkers(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 64) throw new InvalidArgumentError(`expected a number of workers 0–64, got "${value}"`);
  return n;
}

function parseSamples(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_SAMPLES) throw new InvalidArgumentError(`expected a number of samples 1–${MAX_SAMPLES}, got "${value}"`);
  return n;
}

function parseShardFlag(value: string): Shard {
  try {
    return parseShard(value);
  } catch (error) {
    // Commander names the flag and the value itself.
    throw new InvalidArgumentError((error as Error).message.replace(/^--shard [^:]*: /, ''));
  }
}

function parseInstant(value: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new InvalidArgumentError(`expected an ISO-8601 instant like 2026-01-05T09:00:00Z, got "${value}"`);
  return ms;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`expected a port number 0–65535, got "${value}"`);
  return n;
}

/** Parse flags, call the library, map typed errors to exit codes: nothing else happens here. */
export async function main(io: CliIo): Promise<ExitCodeValue> {
  let exitCode: ExitCodeValue = ExitCode.ok;
  const program = new Command('gameday')
    .description('Disaster-recovery game days as executable specs, on AWS or on an embedded simulation of it')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(run gameday --help for usage)');
  if (io.version) program.version(io.version, '-V, --version', "print gameday's version");

  program
    .command('run')
    .description('run game-day features against the environment (the embedded simulator by default)')
    .argument('[paths...]', 'feature files or folders', [])
    .option('--env <file>', 'environment file (default: the one the features name)')
    .option('--tags <expression>', 'only scenarios matching this tag expression, e.g. "@rds and not @slow"')
    .option('--seed <n>', "seed of the simulation (default: the environment's)", parseSeed)
    .option('--speed <n>', 'max, or virtual seconds per real second (sim)', parseSpeed, 'max')
    .option('--ui <mode>', 'auto | ink | plain | json', parseUi, 'auto')
    .option('--out <dir>', 'where run reports go', 'reports')
    .option('--parallel <n>', 'scenarios run at once', parseWorkers, 0)
    .option('--dry-run', 'validate everything and print the calls it would make; make no AWS call', false)
    .option('--samples <n>', "sim: run each scenario under n seeds derived from the run's, for the distribution of its RTO and RPO (default: the environment's sim.samples, else 1)", parseSamples)
    .option(
      '--shard <i/n>',
      'run only the i-th of n slices (from 1, e.g. 2/4): of each scenario\'s samples with --samples, else of the scenarios; put the shards\' run folders together with gameday report --merge',
      parseShardFlag,
    )
    .action(async (paths: string[], options: { env?: string; tags?: string; seed?: number; speed: Speed; ui: 'auto' | 'ink' | 'plain' | 'json'; out: string; parallel: number; dryRun: boolean; samples?: number; shard?: Shard }) => {
      const { run } = await import('./run.js');
      exitCode = await run({
        ...options,
        paths,
        ...(io.terminal ? { terminal: io.terminal } : {}),
        ...(io.onInterruptAgain ? { onInterruptAgain: io.onInterruptAgain } : {}),
        ...(io.exit ? { exit: io.exit } : {}),
        cwd: io.cwd,
        stdout: quietWhenClosed(io.stdout),
        stderr: quietWhenClosed(io.stderr),
        wallNow: io.wallNow,
        interrupt: io.interrupt,
        processEnv: io.env,
        ...(io.version ? { version: io.version } : {}),
        ...(io.pid !== undefined ? { pid: io.pid } : {}),
      });
    });

  program
    .command('report')
    .description(
      "rebuild a run's results.json, junit.xml, index.html and cucumber.html from its folder; or, with --merge, put the run folders of a run's shards (gameday run --shard i/n) together into one run folder",
    )
    .argument('[run-dir]', 'a run directory, e.g. reports/latest')
    .option('--merge <dirs...>', "the run folders of every shard of one run: their distributions are recomputed from all their samples, as the unsharded run's")
    .option('--out <dir>', 'with --merge: where the merged run folder goes', 'reports')
    .action(async (runDir: string | undefined, options: { merge?: string[]; out: string }) => {
      const { summaryLine } = await import('../ui/plain.js');
      if (options.merge) {
        if (runDir !== undefined) throw new BadInputError(`gameday report: give a run directory (${runDir}) or --merge with the shards' run folders, not both`);
        const { mergeRuns } = await import('../run/merge.js');
        const merged = await mergeRuns(io.cwd, options.merge, options.out);
        const near = relative(io.cwd, merged.dir);
        const where = near && !near.startsWith('..') ? near : merged.dir;
        io.stdout.write(`${where}: ${options.merge.length} shards merged; ${summaryLine(merged.results)}; results.json, junit.xml, index.html and cucumber.html written\n`);
        exitCode = merged.results.summary.failed === 0 ? ExitCode.ok : ExitCode.failed;
        return;
      }
      if (runDir === undefined) throw new BadInputError('gameday report: give a run directory (e.g. reports/latest), or --merge with the run folders of a run\'s shards');
      const { rerender } = await import('../run/aftermath.js');
      const results = await rerender(io.cwd, runDir);
      io.stdout.write(`${runDir}: ${summaryLine(results)}; results.json, junit.xml, index.html and cucumber.html written\n`);
      exitCode = results.summary.failed === 0 ? ExitCode.ok : ExitCode.failed;
    });
  program
    .command('cleanup')
    .description("undo what crashed runs' journals say is still broken: one run folder, or every run under --out with undos pending")
    .argument('[run-dir]', 'a run directory (default: every run under --out)')
    .option('--out <dir>', 'where run reports are', 'reports')
    .action(async (runDir: string | undefined, options: { out: string }) => {
      const { cleanUpAfter, cleanUpAll } = await import('../run/aftermath.js');
      const { plural } = await import('../ui/plain.js');
      const world = {
        now: io.wallNow,
        sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
        ...(io.env['AWS_ENDPOINT_URL'] ? { endpointUrl: io.env['AWS_ENDPOINT_URL'] } : {}),
        ...(io.isAlive ? { isAlive: io.isAlive } : {}),
      };
      const step = (step: { description: string; call: string; outcome: string; error?: string }) =>
        io.stdout.write(`  ↺ ${step.call} (${step.description}): ${step.outcome}${step.error ? `: ${step.error}` : ''}\n`);
      const wait = (message: string) => io.stdout.write(`  … ${message}\n`);
      const outcomes = runDir ? [await cleanUpAfter(io.cwd, runDir, world, step, wait)] : await cleanUpAll(io.cwd, options.out, world, (_, s) => step(s), (_, m) => wait(m));
      if (outcomes.length === 0) io.stdout.write(`${options.out}: no run has undos pending\n`);
      for (const outcome of outcomes) {
        if (outcome.note) io.stdout.write(`${outcome.runDir}: ${plural(outcome.pending, 'undo')} pending; ${outcome.note}\n`);
        else io.stdout.write(`${outcome.runDir}: ${outcome.undone} of ${plural(outcome.pending, 'pending undo')} done${outcome.failed.length ? `, ${outcome.failed.length} failed (run gameday cleanup again to retry them)` : ''}\n`);
      }
      exitCode = outcomes.every((o) => o.failed.length === 0) ? ExitCode.ok : ExitCode.failed;
    });

  const sim = program.command('sim').description('the embedded, virtual-time simulation of AWS');
  sim
    .command('serve')
    .description('serve the simulated AWS on one HTTP port for any AWS client (SDKs, aws --endpoint-url)')
    .option('--port <port>', 'port to listen on (0 picks a free one)', parsePort, 4566)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--env <file>', 'environment file whose resources the sim starts with')
    .option('--seed <n>', "seed of the simulation RNG (default: the environment's, else 1)", parseSeed)
    .option('--speed <n>', 'virtual seconds per real second', parseSpeed, 1)
    .option('--start <instant>', "where the sim's clock starts, ISO-8601 (default: now, so a rehearsal at --speed 1 reads the runner's clock)", parseInstant)
    .action(async (options: { port: number; host: string; env?: string; seed?: number; speed: Speed; start?: number }) => {
      const { serve } = await import('./serve.js');
      exitCode = await serve({ ...options, cwd: io.cwd, stdout: io.stdout, stderr: io.stderr, interrupt: io.interrupt, wallNow: io.wallNow });
    });
  sim
    .command('demo')
    .description('rehearse a Multi-AZ failover of SecureCart on the sim and print its timeline')
    .option('--env <file>', 'environment file', 'scenarios/environments/securecart.yaml')
    .option('--seed <n>', 'seed of the simulation RNG', parseSeed, 42)
    .option('--speed <n>', 'max, or virtual seconds per real second', parseSpeed, 'max')
    .action(async (options: { env: string; seed: number; speed: Speed }) => {
      const { demo } = await import('./demo.js');
      exitCode = await demo({ ...options, cwd: io.cwd, stdout: io.stdout, interrupt: io.interrupt, wallNow: io.wallNow });
    });

  try {
    await program.parseAsync(io.argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successful exits; anything else commander refuses is bad input.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
    }
    const code = exitCodeOf(error);
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`gameday: ${message}\n`);
    if (code === ExitCode.failed && error instanceof Error && !(error instanceof BadInputError) && error.stack) {
      io.stderr.write(`${error.stack}\n`);
    }
    return code;
  }
}
