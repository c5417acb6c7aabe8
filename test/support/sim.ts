import { buildSimulator, SIM_START } from '../../src/aws/sim-target.js';
import { VirtualClock } from '../../src/clock/index.js';
import { DEFAULT_SIM_ACCOUNT_ID, type SimEnvironment } from '../../src/env/index.js';
import type { Simulator } from '../../src/sim/index.js';
import { simEnvironment } from './scenario.js';
import type { ClientConfig, TransportHarness } from './transport.js';

/** The account the sim answers as unless an environment says otherwise. */
export const ACCOUNT = DEFAULT_SIM_ACCOUNT_ID;
/** Where the sim's virtual clock starts: Monday 5 January 2026, 09:00 UTC (SIM_START, as a run has it). */
export const START = SIM_START;
export const EAST = 'us-east-1';
export const WEST = 'us-west-2';
export const EU = 'eu-west-1';

export interface SecureCartSim {
  env: SimEnvironment;
  clock: VirtualClock;
  sim: Simulator;
  /** SDK client configuration for `region` over the harness's transport. */
  config(region?: string): Promise<ClientConfig>;
}

/**
 * SecureCart's steady state seeded into a simulator on a virtual clock that
 * the test drives (clock.advance), reached over `via`: what a run on the sim
 * target starts from, without the harness.
 */
export async function securecartOver(via: TransportHarness, seed = 42): Promise<SecureCartSim> {
  const env = await simEnvironment();
  const clock = new VirtualClock({ start: START });
  const sim = buildSimulator({ clock, seed, env });
  return { env, clock, sim, config: (region = EAST) => via.config(sim, clock, region) };
}
