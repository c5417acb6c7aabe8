import { VirtualClock } from '../clock/virtual-clock.js';
import type { Speed } from '../clock/types.js';
import { regionsOf, type Environment, type SimEnvironment } from '../env/index.js';
import { BadInputError } from '../errors.js';
import { SAME_CLOCK, type Capacity, type DatabaseRef, type HttpClient, type OrdersStore, type Target, type TargetClients, type WriteOutcome } from '../harness/target.js';
import { simClientConfig } from '../sim/index.js';
import { DatabaseUnavailableError, type RdsModel } from '../sim/services/rds/index.js';
import { AutoScalingCapacity, createAwsTarget } from './aws-target.js';
import { makeClients } from './clients.js';
import { SimTruth } from './sim-truth.js';
import { buildSimulator, SIM_START } from './sim-target.js';

const DELETED = '__deleted__';
const ORDER_PREFIX = 'order-';

/**
 * Orders on the sim go straight into the database's write log, the way the
 * orders service commits them: what survives a failover is what the RDS
 * model kept.
 */
class SimOrders implements OrdersStore {
  constructor(private readonly rds: RdsModel) {}

  async write(db: DatabaseRef, seq: number): Promise<WriteOutcome> {
    try {
      this.rds.write(db.region, db.identifier, { key: `${ORDER_PREFIX}${seq}`, value: 'placed' });
      return { ok: true };
    } catch (error) {
      if (error instanceof DatabaseUnavailableError) return { ok: false, error: error.message };
      throw error;
    }
  }

  async readBack(db: DatabaseRef): Promise<number[]> {
    const live = new Map<number, boolean>();
    for (const record of this.rds.writesOf(db.region, db.identifier)) {
      if (!record.key.startsWith(ORDER_PREFIX)) continue;
      live.set(Number(record.key.slice(ORDER_PREFIX.length)), record.value !== DELETED);
    }
    return [...live].filter(([, present]) => present).map(([seq]) => seq).sort((a, b) => a - b);
  }

  async writable(db: DatabaseRef): Promise<WriteOutcome> {
    const why = this.rds.whyNotWritable(db.region, db.identifier);
    return why ? { ok: false, error: why.message } : { ok: true };
  }

  async deleteNewest(db: DatabaseRef, count: number): Promise<number[]> {
    const newest = (await this.readBack(db)).slice(-count);
    for (const seq of newest) this.rds.write(db.region, db.identifier, { key: `${ORDER_PREFIX}${seq}`, value: DELETED });
    return newest;
  }
}

export interface SimTargetOptions {
  env: SimEnvironment;
  seed: number;
  speed: Speed;
}

/** The embedded simulator, seeded with the environment's steady state, on a virtual clock. */
export function createSimTarget({ env, seed, speed }: SimTargetOptions): Target {
  const clock = new VirtualClock({ start: SIM_START, speed });
  const sim = buildSimulator({ clock, seed, env });
  const rds = sim.world.module('rds').model;
  const clients = makeClients((region) => simClientConfig(sim, region));
  const app = sim.world.module('app');
  const asRole = new Map<string, TargetClients & { destroy(): void }>();
  // The Auto Scaling groups the sim seeds over the app's fleets: the calls staging gets.
  const capacity: Capacity = new AutoScalingCapacity(env, clients);
  return {
    kind: 'sim',
    env,
    clock,
    awsClock: SAME_CLOCK,
    clients,
    orders: new SimOrders(rds),
    sim: new SimTruth(seed, sim, regionsOf(env)),
    // Requests go to SecureCart's orders API in the sim, through a DNS client that caches for the record's TTL.
    http: (name): HttpClient => {
      const client = app.createClient(name);
      return {
        request: async ({ method, url, body }) => {
          const answer = await app.request(client, { method, url, ...(body ? { body } : {}) });
          return {
            status: answer.status,
            latencyMs: answer.latencyMs,
            ...(answer.error ? { error: answer.message ? `${answer.error}: ${answer.message}` : answer.error } : {}),
            ...(answer.servedBy ? { servedBy: answer.servedBy } : {}),
            ...(answer.body !== undefined ? { body: answer.body } : {}),
          };
        },
      };
    },
    capacity,
    clientsAs: (role) => {
      let made = asRole.get(role);
      if (!made) {
        const key = Object.entries(env.sim.identities).find(([, named]) => named === role)?.[0];
        if (!key) throw new BadInputError(`${env.file}: no access key under sim.identities acts as the role "${role}"`);
        asRole.set(role, (made = makeClients((region) => simClientConfig(sim, region, key))));
      }
      return made;
    },
    close: () => {
      clients.destroy();
      for (const made of asRole.values()) made.destroy();
    },
  };
}

/**
 * `runId` names the role sessions on aws (`gameday-<runId>`) and the canary's
 * orders; `endpointUrl` is the SDK's endpoint override (AWS_ENDPOINT_URL, read
 * at the edge), for an environment that rehearses against `gameday sim serve`.
 */
export async function createTarget(env: Environment, { seed, speed, runId, endpointUrl }: { seed: number; speed: Speed; runId?: string; endpointUrl?: string }): Promise<Target> {
  return env.target === 'sim'
    ? createSimTarget({ env, seed, speed })
    : createAwsTarget(env, { ...(runId !== undefined ? { runId } : {}), ...(endpointUrl ? { endpointUrl } : {}) });
}
