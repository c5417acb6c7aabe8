/**
 * Samples 1…N−1 of a run with --samples, after the plain run (sample 0;
 * under --shard, the shard's samples after its first):
 * in this process one after another, or under --parallel W spread over W
 * worker processes (sample-worker.ts), each taking every W-th sample. Either
 * way each sample is the same cucumber pass (sample-pass.ts) under the same
 * run seed, so its figures do not depend on where it ran; the records come
 * back as each sample finishes, in whatever order, and are put in sample
 * order when they are added up.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sampleSeed } from '../harness/index.js';
import type { SampleRecord } from '../report/index.js';
import { childExecArgv, runSamplePass, support, type SamplePassConfig } from './sample-pass.js';
import type { FromWorker, ToWorker } from './sample-worker.js';

const WORKER = fileURLToPath(new URL(`./sample-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

export interface SamplesRun {
  config: SamplePassConfig;
  /** The run's seed: sample 0's. */
  seed: number;
  /**
   * The samples to run here, by number (from 1; the plain run before them
   * was sample 0): 1…N−1, or under --shard the shard's own after its first.
   */
  samples: readonly number[];
  /** Worker processes; 0 runs the samples in this process. */
  parallel: number;
  /** Aborts when the run is interrupted: no further sample starts, the running ones stop and clean up. */
  signal: AbortSignal;
  /** Called with each sample's records as it finishes. */
  onSample: (sample: number, seed: number, records: SampleRecord[]) => void;
}

export async function runSamples(run: SamplesRun): Promise<void> {
  const all = run.samples.map((sample) => ({ sample, seed: sampleSeed(run.seed, sample) }));
  if (all.length === 0) return;
  if (run.parallel <= 0) {
    const library = await support(run.config.cwd);
    for (const { sample, seed } of all) {
      if (run.signal.aborted) return;
      run.onSample(sample, seed, await runSamplePass(run.config, library, sample, seed));
    }
    return;
  }
  const workers = Math.min(run.parallel, all.length);
  const slices = Array.from({ length: workers }, (_, w) => all.filter((_, i) => i % workers === w));
  await Promise.all(slices.map((slice) => inWorker(run, slice)));
}

/** One worker process through its slice of the samples. */
function inWorker(run: SamplesRun, slice: { sample: number; seed: number }[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = fork(WORKER, [], {
      cwd: run.config.cwd,
      // Without the run's own variables, the worker inherits this process's, as Node's fork does.
      ...(run.config.env ? { env: run.config.env } : {}),
      execArgv: childExecArgv(),
      // Its output is cucumber's and the steps': the run reports what matters from the records.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    let ended = false;
    const stop = () => child.connected && child.send({ kind: 'stop' } satisfies ToWorker);
    const end = (error?: Error) => {
      if (ended) return;
      ended = true;
      run.signal.removeEventListener('abort', stop);
      // Done with it: the worker exits once disconnected (sample-worker.ts).
      if (child.connected) child.disconnect();
      if (error) reject(error);
      else resolve();
    };
    run.signal.addEventListener('abort', stop, { once: true });
    child.on('message', (message: FromWorker) => {
      if (message.kind === 'ready') {
        child.send({ kind: 'run', config: run.config, samples: slice } satisfies ToWorker);
        if (run.signal.aborted) stop();
      } else if (message.kind === 'sample') run.onSample(message.sample, message.seed, message.records);
      else if (message.kind === 'done') end();
      else end(new Error(`a sample worker failed: ${message.message}`));
    });
    child.on('error', (error) => end(error));
    child.on('exit', (code, signal) => {
      // An interrupt reaches the worker too (the terminal's process group): its samples stop with the run's.
      if (run.signal.aborted) end();
      else end(new Error(`a sample worker exited with ${signal ?? `code ${code}`} before its samples were done`));
    });
  });
}
