import { FisClient, ListExperimentsCommand, ListExperimentTemplatesCommand } from '@aws-sdk/client-fis';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildSimulator, SIM_START } from '../src/aws/sim-target.js';
import { VirtualClock } from '../src/clock/index.js';
import { loadEnvironment } from '../src/env/index.js';
import type { JournalEntry } from '../src/harness/cleanup.js';
import { pendingUndos } from '../src/run/aftermath.js';
import type { Simulator } from '../src/sim/index.js';
import { startSimServer, type SimServer } from '../src/sim/server.js';
import { CLI_TEST_TIMEOUT, FIXTURES, lines, removeTemporary, ROOT, startGameday, type StartedRun } from './fixtures/features/run-cli.js';
import { STAGING_RUNNER, stagingRunnerEnv } from './support/transport.js';

/**
 * Ctrl-C during `gameday run` (issue 17): the first is acknowledged at once
 * and every wait wakes within a second of wall time, even on a real clock;
 * cleanup runs and the run exits 130; a second says what the journal still
 * holds to undo and the command that finishes it, while cleanup goes on; a
 * third abandons at once. An aws environment against `gameday sim serve` at
 * 1× real time: the run's waits are real-clock sleeps, as against AWS.
 */

const FEATURE = `${FIXTURES}/aws/interrupted-fault.feature`;
const ENV = 'test/fixtures/env/aws/interrupt-on-sim.yaml';
const FIRST = 'interrupt: stopping experiments and cleaning up (Ctrl-C again to see what is left)';
const STOP = 'StopExperiment (experiment for long-wait)';
const DELETE_TEMPLATE = 'DeleteExperimentTemplate (experiment template for long-wait)';

afterAll(() => removeTemporary());

/** Resolves once `condition` holds, polling every 20 ms; rejects after `ms` or when the run ended first. */
async function until(what: string, condition: () => boolean, run?: StartedRun, ms = 60_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (condition()) return performance.now();
    if (run && (run.child.exitCode !== null || run.child.signalCode !== null)) throw new Error(`the run ended before ${what}:\n${run.stdout()}`);
    if (performance.now() - started > ms) throw new Error(`timed out waiting for ${what}${run ? `:\n${run.stdout()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** stderr so far of a started run (startGameday keeps stdout; this listens for stderr too). */
function stderrOf(run: StartedRun): () => string {
  let text = '';
  run.child.stderr!.on('data', (chunk: string) => (text += chunk));
  return () => text;
}

/**
 * A proxy in front of the sim server that can hold FIS StopExperiment calls
 * (`DELETE /experiments/{id}`): cleanup is then still going on when the test
 * presses Ctrl-C again. A held call whose client has gone is dropped, as a
 * request in flight is when its process dies.
 */
async function holdingProxy(upstream: string) {
  const target = new URL(upstream);
  const seen: { method: string; path: string; at: number }[] = [];
  let holding = false;
  const held: { forward: () => void; req: IncomingMessage }[] = [];
  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const out = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => res.destroy());
    out.end(body);
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method ?? '', path: req.url ?? '', at: performance.now() });
      if (holding && req.method === 'DELETE' && req.url?.startsWith('/experiments/')) held.push({ req, forward: () => forward(req, res, body) });
      else forward(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    held: () => held.length,
    hold: () => (holding = true),
    release: () => {
      holding = false;
      for (const call of held.splice(0)) if (!call.req.socket.destroyed) call.forward();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('Ctrl-C during gameday run, on an aws environment against the sim at 1× real time', () => {
  let server: SimServer | undefined;
  let proxy: Awaited<ReturnType<typeof holdingProxy>> | undefined;
  let sim: Simulator | undefined;

  afterEach(async () => {
    proxy?.release();
    await proxy?.close();
    await server?.close();
    proxy = undefined;
    server = undefined;
  });

  async function serve(): Promise<{ url: string; fis: FisClient }> {
    const env = await loadEnvironment(join(ROOT, 'scenarios/environments/securecart.yaml'));
    if (env.target !== 'sim') throw new Error('securecart.yaml is a sim environment');
    const clock = new VirtualClock({ start: SIM_START, speed: 1 });
    sim = buildSimulator({ clock, seed: 42, env });
    server = await startSimServer({ host: '127.0.0.1', port: 0, create: () => ({ sim: sim!, clock }) });
    proxy = await holdingProxy(server.url);
    return { url: proxy.url, fis: new FisClient({ region: 'us-east-1', endpoint: server.url, credentials: STAGING_RUNNER, maxAttempts: 1 }) };
  }

  /** The run, once its experiment's action has started and it follows the experiment (a sleep of 10 s or more between looks). */
  async function runUntilTheFault(url: string) {
    const run = await startGameday([FEATURE, '--env', ENV, '--ui', 'plain'], { env: stagingRunnerEnv(url) });
    const stderr = stderrOf(run);
    await until('the fault', () => run.stdout().includes('⚡ fault long-wait'), run);
    // A moment for the follower to go back to sleep after the look that saw the action start.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { run, stderr };
  }

  async function theAccount(fis: FisClient) {
    const { experiments } = await fis.send(new ListExperimentsCommand({}));
    const { experimentTemplates } = await fis.send(new ListExperimentTemplatesCommand({}));
    return { states: (experiments ?? []).map((e) => e.state?.status), templates: (experimentTemplates ?? []).length };
  }

  async function journalOf(dir: string): Promise<JournalEntry[]> {
    return lines(await readFile(join(dir, 'journal.ndjson'), 'utf8')).map((line) => JSON.parse(line) as JournalEntry);
  }

  async function runDir(out: string): Promise<string> {
    const runId = JSON.parse(await readFile(join(out, 'latest', 'run.json'), 'utf8')) as { runId: string };
    return join(out, runId.runId);
  }

  it(
    'the first is acknowledged within a second of wall time, the waits wake within a second, and the run exits 130 with everything undone',
    async () => {
      const { url, fis } = await serve();
      const { run, stderr } = await runUntilTheFault(url);
      expect((await theAccount(fis)).states).toEqual(['running']);
      const pressed = performance.now();
      run.child.kill('SIGINT');
      const acknowledged = await until('the acknowledgement', () => stderr().includes(FIRST), run, 5000);
      // The follower slept 10 s between looks at FIS: its StopExperiment comes from a wait that woke.
      const stopped = await until('StopExperiment', () => proxy!.seen.some((r) => r.method === 'DELETE' && r.path.startsWith('/experiments/')), run, 5000);
      const done = await run.result;
      expect(acknowledged - pressed).toBeLessThan(1000);
      expect(stopped - pressed).toBeLessThan(1000);
      expect(done.signal).toBeNull();
      expect(done.code, `${done.stdout}\n${done.stderr}`).toBe(130);
      expect(done.stdout).toContain('↺ cleanup: 2 undos to make, newest first');
      expect(done.stdout).toContain(`↺ cleanup ${STOP}: done`);
      expect(done.stdout).toContain(`↺ cleanup ${DELETE_TEMPLATE}: done`);
      expect(done.stdout).toContain('✘ An experiment holds until Ctrl-C: failed: interrupted');
      expect(done.stdout).toContain('✘ Nothing starts after Ctrl-C: skipped');
      expect(await theAccount(fis)).toEqual({ states: ['stopped'], templates: 0 });
      const dir = await runDir(done.out);
      expect(pendingUndos(await journalOf(dir))).toEqual([]);
      expect(JSON.parse(await readFile(join(dir, 'run.json'), 'utf8'))).toMatchObject({ state: 'interrupted', exitCode: 130 });
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'a second prints what the journal still holds and the command that would finish it; cleanup goes on, then exit 130',
    async () => {
      const { url, fis } = await serve();
      const { run, stderr } = await runUntilTheFault(url);
      proxy!.hold();
      run.child.kill('SIGINT');
      await until('StopExperiment, held', () => proxy!.held() === 1, run, 5000);
      run.child.kill('SIGINT');
      await until('what is left', () => stderr().includes('finish it with'), run, 5000);
      const dir = await runDir(run.out);
      expect(lines(stderr())).toEqual([
        FIRST,
        'interrupt: cleanup goes on; Ctrl-C again abandons it (exit 130 at once)',
        `  still to undo (${dir}/journal.ndjson, newest first):`,
        `    ○ ${STOP}`,
        `    ○ ${DELETE_TEMPLATE}`,
        `  if abandoned, finish it with: gameday cleanup ${dir}`,
      ]);
      proxy!.release();
      const done = await run.result;
      expect(done.code, `${done.stdout}\n${done.stderr}`).toBe(130);
      expect(await theAccount(fis)).toEqual({ states: ['stopped'], templates: 0 });
      expect(pendingUndos(await journalOf(dir))).toEqual([]);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'a third abandons at once with exit 130; run.json still says running, and the command printed finishes the cleanup',
    async () => {
      const { url, fis } = await serve();
      const { run, stderr } = await runUntilTheFault(url);
      proxy!.hold();
      run.child.kill('SIGINT');
      await until('StopExperiment, held', () => proxy!.held() === 1, run, 5000);
      run.child.kill('SIGINT');
      await until('what is left', () => stderr().includes('finish it with'), run, 5000);
      const pressed = performance.now();
      run.child.kill('SIGINT');
      const done = await run.result;
      expect(performance.now() - pressed).toBeLessThan(2000);
      expect(done.signal).toBeNull();
      expect(done.code).toBe(130);
      const dir = await runDir(done.out);
      expect(lines(done.stderr).at(-1)).toBe(`interrupt: cleanup abandoned; finish it with: gameday cleanup ${dir}`);
      // The held StopExperiment dies with the process: the experiment runs on, as after a crash.
      proxy!.release();
      expect(await theAccount(fis)).toEqual({ states: ['running'], templates: 1 });
      expect(JSON.parse(await readFile(join(dir, 'run.json'), 'utf8'))).toMatchObject({ state: 'running' });
      expect(pendingUndos(await journalOf(dir)).map((e) => e.description)).toEqual(['experiment for long-wait', 'experiment template for long-wait']);

      // The command it printed, as the person would type it.
      const cleanup = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
        const child = spawn(process.execPath, ['bin/gameday.js', 'cleanup', dir], { cwd: ROOT, env: { ...process.env, ...stagingRunnerEnv(url) } });
        let stdout = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout }));
      });
      expect(cleanup.code, cleanup.stdout).toBe(0);
      expect(await theAccount(fis)).toEqual({ states: ['stopped'], templates: 0 });
    },
    CLI_TEST_TIMEOUT,
  );
});

describe('Ctrl-C during gameday run on the simulator', () => {
  it(
    'a second Ctrl-C says that nothing is left on a real account: the simulator ends with the process',
    async () => {
      const run = await startGameday(['features/multi-az-failover.feature:12', '--speed', '5', '--ui', 'plain']);
      const stderr = stderrOf(run);
      await until('the fault', () => run.stdout().includes('⚡ fault rds-reboot-with-failover'), run);
      run.child.kill('SIGINT');
      await until('the acknowledgement', () => stderr().includes(FIRST), run, 5000);
      run.child.kill('SIGINT');
      const done = await run.result;
      expect(done.code, `${done.stdout}\n${done.stderr}`).toBe(130);
      expect(done.stderr).toContain('  on the simulator nothing is left on a real account: its state ends with the process');
      expect(done.stderr).not.toContain('gameday cleanup');
    },
    CLI_TEST_TIMEOUT,
  );
});
