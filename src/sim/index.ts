import type { SchedulingClock } from '../clock/types.js';
import type { Calibration } from './calibration.js';
import { Dispatcher, SimHttpHandler } from './handler.js';
import { World } from './world.js';

export interface SimulatorOptions {
  clock: SchedulingClock;
  seed: number;
  accountId?: string;
  calibration?: Partial<Calibration>;
  identities?: Record<string, string>;
}

export interface Simulator {
  world: World;
  dispatcher: Dispatcher;
  /** Give this to any AWS SDK v3 client as `requestHandler`. */
  handler: SimHttpHandler;
}

export function createSimulator(options: SimulatorOptions): Simulator {
  const world = new World(options);
  const dispatcher = new Dispatcher(world);
  return { world, dispatcher, handler: new SimHttpHandler(dispatcher) };
}

/** The access key the game-day runner signs with on the sim. */
export const SIM_RUNNER_KEY = 'AKIAGAMEDAYRUNNER000';

/**
 * Client configuration for an SDK v3 client that runs in process against the
 * sim. The endpoint stays AWS's own: the handler never opens a socket.
 */
export function simClientConfig(sim: Simulator, region: string, accessKeyId = SIM_RUNNER_KEY) {
  return {
    region,
    credentials: { accessKeyId, secretAccessKey: 'gameday-sim-secret' },
    requestHandler: sim.handler,
    // Retries would back off on real timers; the sim answers deterministically, so one attempt.
    maxAttempts: 1,
  };
}
