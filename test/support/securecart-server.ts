import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSimulator, SIM_START } from '../../src/aws/sim-target.js';
import { VirtualClock } from '../../src/clock/index.js';
import { loadEnvironment, type SimEnvironment } from '../../src/env/index.js';
import type { Simulator } from '../../src/sim/index.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { ROOT } from '../fixtures/features/run-cli.js';
import { stagingRunnerEnv } from './transport.js';

/** `gameday sim serve` with SecureCart, in this process, as the aws-target suites rehearse against it. */
export interface SecureCartServer {
  server: SimServer;
  /** The simulator the server runs now (a reset builds a new one). */
  sim(): Simulator;
  /** A folder of the test's own, where securecart.yaml was written; gone after `close`. */
  work: string;
  close(): Promise<void>;
}

/**
 * SecureCart served at 1× real time from SIM_START, seed 42, as a staging
 * rehearsal sees it: securecart.yaml written to a fresh folder with its
 * templates named from where they are, then `edit` applied (a quicker
 * calibration, a different database for the orders API).
 */
export async function startSecureCartServer(options: { folder: string; edit?: (text: string) => string }): Promise<SecureCartServer> {
  const work = await mkdtemp(join(tmpdir(), `${options.folder}-`));
  const text = (await readFile(join(ROOT, 'scenarios/environments/securecart.yaml'), 'utf8')).replaceAll('../templates/', `${join(ROOT, 'scenarios/templates')}/`);
  await writeFile(join(work, 'securecart.yaml'), options.edit ? options.edit(text) : text);
  const env = (await loadEnvironment(join(work, 'securecart.yaml'))) as SimEnvironment;
  const { server, sim } = await serveInRealTime(env);
  return {
    server,
    sim,
    work,
    close: async () => {
      await server.close();
      await rm(work, { recursive: true, force: true });
    },
  };
}

/** `gameday sim serve` of `env` in this process, at 1× real time from SIM_START, seed 42; `sim` is the one it runs now (a reset builds a new one). */
export async function serveInRealTime(env: SimEnvironment): Promise<{ server: SimServer; sim(): Simulator }> {
  let sim: Simulator | undefined;
  const server = await startSimServer({
    host: '127.0.0.1',
    port: 0,
    create: () => {
      const clock = new VirtualClock({ start: SIM_START, speed: 1 });
      sim = buildSimulator({ clock, seed: 42, env });
      return { sim, clock };
    },
  });
  return { server, sim: () => sim! };
}

/** SecureCart served in this process on a virtual clock that stands still, and what an aws run needs to reach it. */
export interface StillSecureCart {
  server: SimServer;
  sim: Simulator;
  /** The variables that send the aws target to this server as the staging runner (stagingRunnerEnv). */
  awsEnv: Record<string, string>;
}

/**
 * SecureCart from SIM_START, seed 42, behind an in-process `gameday sim
 * serve` whose clock does not run on its own: what the aws target's dry runs
 * are checked against, so that every call they make is in the sim's audit
 * trail and nothing moves between them. Close its server after the suite.
 */
export async function serveStillSecureCart(): Promise<StillSecureCart> {
  const env = await loadEnvironment(join(ROOT, 'scenarios/environments/securecart.yaml'));
  if (env.target !== 'sim') throw new Error('securecart.yaml is a sim environment');
  const clock = new VirtualClock({ start: SIM_START });
  const sim = buildSimulator({ clock, seed: 42, env });
  const server = await startSimServer({ host: '127.0.0.1', port: 0, create: () => ({ sim, clock }), freeRunning: false });
  return { server, sim, awsEnv: stagingRunnerEnv(server.url) };
}
