import type { VirtualClock } from '../../src/clock/index.js';
import { SIM_RUNNER_KEY, type Simulator } from '../../src/sim/index.js';
import type { ClientConfig, TransportHarness } from './transport.js';

export interface ClientConfigs {
  /** Start what `sim` needs on this transport (its HTTP server); `config` answers for `sim` only after this. */
  prepare(sim: Simulator, clock: VirtualClock): Promise<void>;
  /** `simClientConfig`'s signature, over the harness's transport. */
  config(sim: Simulator, region: string, accessKeyId?: string): ClientConfig;
}

/**
 * Client configurations that can be made synchronously, like
 * `simClientConfig`'s, once the simulator is prepared: suites build clients
 * inline (`sts(INTRUDER).send(…)`, one per region or role), and over HTTP the
 * server behind the endpoint has to be listening first.
 */
export function clientConfigs(via: TransportHarness): ClientConfigs {
  const templates = new WeakMap<Simulator, ClientConfig>();
  return {
    async prepare(sim, clock) {
      templates.set(sim, await via.config(sim, clock, 'us-east-1'));
    },
    config(sim, region, accessKeyId = SIM_RUNNER_KEY) {
      const template = templates.get(sim);
      if (!template) throw new Error('clientConfigs: prepare(sim, clock) before config(sim, …)');
      // Only region and key differ between a simulator's clients; the rest is the transport's.
      return { ...template, region, credentials: { ...template.credentials, accessKeyId } };
    },
  };
}
