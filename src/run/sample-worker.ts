/**
 * A sample worker under `gameday run --samples N --parallel W`: a process of
 * its own, forked by the run (samples.ts), that runs the samples it is
 * given one after another with the same code the run uses in process
 * (sample-pass.ts) and sends each sample's records back as it finishes.
 * This file is the worker's edge: it reads messages from its parent, and
 * nothing else.
 */
import type { SampleRecord } from '../report/index.js';
import { runSamplePass, support, type SamplePassConfig } from './sample-pass.js';

/** What the run sends a worker. */
export type ToWorker = { kind: 'run'; config: SamplePassConfig; samples: { sample: number; seed: number }[] } | { kind: 'stop' };

/** What a worker sends back: `ready` first, once it listens (a message sent before would be lost). */
export type FromWorker = { kind: 'ready' } | { kind: 'sample'; sample: number; seed: number; records: SampleRecord[] } | { kind: 'done' } | { kind: 'failed'; message: string };

/** The steps' own interrupt (steps/index.ts), as runGameDay reaches it in its process. */
const INTERRUPT_SCENARIOS = Symbol.for('gameday.interruptScenarios');

let runId: string | undefined;
let stopped = false;

function send(message: FromWorker): Promise<void> {
  return new Promise((resolve) => process.send!(message, undefined, {}, () => resolve()));
}

async function run(config: SamplePassConfig, samples: readonly { sample: number; seed: number }[]): Promise<void> {
  runId = config.runId;
  const library = await support(config.cwd);
  for (const { sample, seed } of samples) {
    if (stopped) break;
    const records = await runSamplePass(config, library, sample, seed);
    await send({ kind: 'sample', sample, seed, records });
  }
}

process.on('message', (message: ToWorker) => {
  if (message.kind === 'stop') {
    stopped = true;
    // The scenario running now stops waiting and cleans up; the next does not start.
    if (runId) (globalThis as { [INTERRUPT_SCENARIOS]?: (runId: string) => void })[INTERRUPT_SCENARIOS]?.(runId);
    return;
  }
  run(message.config, message.samples).then(
    () => send({ kind: 'done' }),
    (error: unknown) => send({ kind: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});

// The run disconnects once it has the answer, or gives up: then this process is done. It must
// exit itself: the steps hold SIGTERM for cleanup (a first one only interrupts the scenarios).
process.on('disconnect', () => process.exit(stopped ? 130 : 0));

void send({ kind: 'ready' });
