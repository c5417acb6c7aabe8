import type { Writable } from 'node:stream';
import type { Speed } from '../clock/types.js';
import { ExitCode, type ExitCodeValue } from '../errors.js';
import { type RunControl, type RunEnvironment, type RunEvent, runGameDay, type RunOptions, type RunOutcome, type Shard } from '../run/index.js';
import { jsonRenderer, plainRenderer, plural } from '../ui/index.js';
import { Interrupts, type RunWhere } from './interrupts.js';
import { LiveView } from './live-view.js';
import { specsCommit } from './specs-commit.js';
import { chooseUi } from './ui-mode.js';

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
  /** --samples: seeds per scenario (sim only). */
  samples?: number;
  /** --shard i/n: the slice of the run to run. */
  shard?: Shard;
  cwd: string;
  stdout: Writable;
  stderr: Writable;
  wallNow: () => number;
  interrupt: AbortSignal;
  /** The process's environment variables, handed on to --parallel workers (their AWS credential chain reads them). */
  processEnv: Record<string, string | undefined>;
  version?: string;
  /** This process's id, for run.json. */
  pid?: number;
  /**
   * The process's own streams, for the live view: Ink draws on stdout (its
   * size, its resize events) and reads keys from stdin when that is a terminal.
   * `isTTY`: stdout is a terminal. Without them, every view is plain lines.
   */
  terminal?: { stdout: NodeJS.WriteStream; stdin: () => NodeJS.ReadStream; isTTY: boolean };
  /** Interrupts after the first (Ctrl-C again): `listener` hears each. Returns its unsubscribe. */
  onInterruptAgain?: (listener: () => void) => () => void;
  /** End the process now (a third Ctrl-C abandons cleanup). */
  exit?: (code: number) => void;
}

/** `gameday run`: flags in, runGameDay, an exit code out. */
export async function run(options: RunCommandOptions): Promise<ExitCodeValue> {
  const { stdout, stderr, terminal } = options;
  const chosen = options.dryRun ? 'plain' : chooseUi(options.ui, { isTTY: terminal?.isTTY === true, env: options.processEnv });
  // Ink needs the process's own streams; an embedding that passes none gets plain lines.
  const ui = chosen === 'ink' && !terminal ? 'plain' : chosen;
  const render: (event: RunEvent) => void = ui === 'json' ? jsonRenderer(stdout) : plainRenderer(stdout);
  const paths = options.paths.length ? options.paths : ['features'];

  let where: RunWhere | undefined;
  let control: RunControl | undefined;
  const interrupts = new Interrupts({
    cwd: options.cwd,
    stderr,
    where: () => where,
    abort: () => control?.abort(),
    ...(options.exit ? { exit: options.exit } : {}),
  });
  const pressed = () => void interrupts.press();
  options.interrupt.addEventListener('abort', pressed, { once: true });
  const unsubscribe = options.onInterruptAgain?.(pressed);
  // Ink is loaded only to draw: CI's plain lines need not pay for React.
  const view = ui === 'ink' && terminal ? new LiveView({ terminal, env: options.processEnv, wallNow: options.wallNow, interrupts }) : undefined;
  const commit = options.dryRun ? undefined : await specsCommit(options.cwd, paths);

  const onEvent = (event: RunEvent) => {
    if (event.kind === 'run.started') where = { dir: event.dir, target: event.target };
    if (view) return view.onEvent(event);
    try {
      render(event);
    } catch (error) {
      // A renderer that throws must not stop the game day; say so once per event.
      stderr.write(`gameday: the ${ui} renderer failed on ${event.kind}: ${(error as Error).message}\n`);
    }
  };
  const runOptions: RunOptions = {
    paths,
    ...(options.env ? { env: options.env } : {}),
    ...(options.tags ? { tags: options.tags } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    speed: options.speed,
    outDir: options.out,
    parallel: options.parallel,
    dryRun: options.dryRun,
    ...(options.samples !== undefined ? { samples: options.samples } : {}),
    ...(options.shard ? { shard: options.shard } : {}),
  };
  const environment: RunEnvironment = {
    cwd: options.cwd,
    wallNow: options.wallNow,
    interrupt: options.interrupt,
    env: options.processEnv,
    ...(options.version ? { version: options.version } : {}),
    ...(options.pid !== undefined ? { pid: options.pid } : {}),
    ...(commit ? { specsCommit: commit } : {}),
    onControl: (given) => {
      control = given;
      view?.start(given);
    },
  };
  let outcome: RunOutcome;
  try {
    outcome = await runGameDay(runOptions, environment, onEvent);
  } finally {
    options.interrupt.removeEventListener('abort', pressed);
    unsubscribe?.();
    // The terminal back (raw mode off, the last frame left) before anything else is written: an error, the outcome.
    await view?.finish();
  }
  if (outcome.plan) {
    const environments = [...new Set(outcome.plan.map((s) => s.environment))].join(', ');
    const checked = outcome.templateChecks ?? [];
    const templates = checked.reduce((n, t) => n + t.checks.length, 0);
    const calls = checked.length === 0 ? 'no AWS call was made' : `read-only AWS calls only (${plural(templates, 'FIS template')} checked); nothing was changed`;
    stdout.write(`dry run: ${plural(outcome.plan.length, 'scenario')} in ${environments} (target ${outcome.env.target}); ${calls}\n`);
    for (const warning of outcome.warnings) stdout.write(`warning: ${warning.uri}:${warning.line}: ${warning.message}\n`);
    for (const { environment, account, checks } of checked) {
      stdout.write(`\nFIS templates of ${environment}, as FIS in account ${account} takes them, and what their targets select now:\n`);
      for (const check of checks) {
        stdout.write(`  ${check.fault}: ${check.templateFile} in ${check.region}: its actions, parameters and targets as FIS takes them\n`);
        for (const line of check.checked) stdout.write(`    ✓ ${line}\n`);
        for (const line of check.unchecked) stdout.write(`    - not checked: ${line}\n`);
      }
    }
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
    // The live view's last frame says so already.
    if (ui !== 'ink') stderr.write(`gameday: interrupted; experiments were stopped and cleanup ran (see ${outcome.dir}/journal.ndjson)\n`);
    return ExitCode.interrupted;
  }
  return outcome.exitCode as ExitCodeValue;
}
