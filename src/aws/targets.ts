import { BackupClient } from '@aws-sdk/client-backup';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { FisClient } from '@aws-sdk/client-fis';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { RealClock } from '../clock/real-clock.js';
import { VirtualClock } from '../clock/virtual-clock.js';
import type { Speed } from '../clock/types.js';
import { regionsOf, type AwsEnvironment, type Environment, type SimEnvironment } from '../env/index.js';
import { BadInputError, SafetyGuardError } from '../errors.js';
import type { Capacity, DatabaseRef, HttpClient, OrdersStore, SimControl, Target, TargetClients, WriteOutcome } from '../harness/target.js';
import type { AppModule } from '../sim/app/index.js';
import { simClientConfig, type Simulator } from '../sim/index.js';
import { DatabaseUnavailableError, type RdsModel, type RdsModule } from '../sim/services/rds/index.js';
import { buildSimulator, SIM_START } from './sim-target.js';

/** One client per (service, region), made on first use. */
function clientCache<C extends { destroy(): void }>(make: (region: string) => C) {
  const made = new Map<string, C>();
  return {
    get(region: string): C {
      let client = made.get(region);
      if (!client) made.set(region, (client = make(region)));
      return client;
    },
    destroy(): void {
      for (const client of made.values()) client.destroy();
      made.clear();
    },
  };
}

function makeClients(config: (region: string) => object): TargetClients & { destroy(): void } {
  const caches = {
    rds: clientCache((region) => new RDSClient(config(region))),
    fis: clientCache((region) => new FisClient(config(region))),
    sts: clientCache((region) => new STSClient(config(region))),
    dynamodb: clientCache((region) => new DynamoDBClient(config(region))),
    s3: clientCache((region) => new S3Client(config(region))),
    route53: clientCache((region) => new Route53Client(config(region))),
    backup: clientCache((region) => new BackupClient(config(region))),
    ec2: clientCache((region) => new EC2Client(config(region))),
    cloudtrail: clientCache((region) => new CloudTrailClient(config(region))),
    cloudwatch: clientCache((region) => new CloudWatchClient(config(region))),
    guardduty: clientCache((region) => new GuardDutyClient(config(region))),
  };
  return {
    rds: (region) => caches.rds.get(region),
    fis: (region) => caches.fis.get(region),
    // Global services sign for us-east-1.
    sts: () => caches.sts.get('us-east-1'),
    route53: () => caches.route53.get('us-east-1'),
    dynamodb: (region) => caches.dynamodb.get(region),
    s3: (region) => caches.s3.get(region),
    backup: (region) => caches.backup.get(region),
    ec2: (region) => caches.ec2.get(region),
    cloudtrail: (region) => caches.cloudtrail.get(region),
    cloudwatch: (region) => caches.cloudwatch.get(region),
    guardduty: (region) => caches.guardduty.get(region),
    destroy: () => {
      for (const cache of Object.values(caches)) cache.destroy();
    },
  };
}

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

/**
 * Ground truth from the sim's own state: writability of every RDS database,
 * re-evaluated after each state change (state only changes on events).
 */
class SimTruth implements SimControl {
  /** "region/identifier" → [instant, writable] transitions. */
  private readonly history = new Map<string, [number, boolean][]>();

  constructor(
    readonly seed: number,
    sim: Simulator,
    private readonly rds: RdsModel,
    regions: readonly string[],
  ) {
    const observe = () => {
      const now = sim.world.clock.now();
      for (const region of regions) {
        for (const instance of rds.instancesIn(region)) this.note(`${region}/${instance.id}`, now, rds.isWritable(region, instance.id));
      }
    };
    observe();
    // After the event's task has finished mutating state: same virtual instant, next microtask.
    sim.world.onEvent(() => queueMicrotask(observe));
  }

  private note(key: string, at: number, writable: boolean): void {
    let transitions = this.history.get(key);
    if (!transitions) this.history.set(key, (transitions = []));
    if (transitions.at(-1)?.[1] !== writable) transitions.push([at, writable]);
  }

  writableFrom(db: DatabaseRef, since: number): number | undefined {
    const transitions = this.history.get(`${db.region}/${db.identifier}`) ?? [];
    const last = transitions.at(-1);
    if (!last?.[1]) return undefined;
    return Math.max(last[0], since);
  }

  lossWindowSeconds(original: DatabaseRef, current: DatabaseRef, faultAt: number): number {
    const before = this.rds.writesOf(original.region, original.identifier).filter((w) => w.committedAt <= faultAt);
    const survived = new Set(this.rds.writesOf(current.region, current.identifier).map((w) => `${w.origin}#${w.seq}`));
    const kept = before.filter((w) => survived.has(`${w.origin}#${w.seq}`));
    if (kept.length === before.length) return 0;
    const newest = kept.at(-1)?.committedAt ?? before[0]?.committedAt ?? faultAt;
    return (faultAt - newest) / 1000;
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
  const rds = sim.world.module<RdsModule>('rds').model;
  const clients = makeClients((region) => simClientConfig(sim, region));
  const app = sim.world.module<AppModule>('app');
  const asRole = new Map<string, TargetClients & { destroy(): void }>();
  const capacity: Capacity = {
    scaleUp: async (_service, region) => void app.scaleUp(region),
    atFull: async (_service, region) => {
      const { running, full } = app.service(region).capacity;
      return running >= full;
    },
  };
  return {
    kind: 'sim',
    env,
    clock,
    clients,
    orders: new SimOrders(rds),
    sim: new SimTruth(seed, sim, rds, regionsOf(env)),
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

/** Orders on a real account travel over HTTP to an endpoint the environment names; none is declared yet. */
class UndeclaredOrders implements OrdersStore {
  constructor(private readonly env: AwsEnvironment) {}

  private refuse(): never {
    throw new BadInputError(
      `${this.env.file}: canaries on the aws target write through an orders endpoint the environment names, and this environment names none`,
    );
  }

  write(): Promise<WriteOutcome> {
    this.refuse();
  }

  readBack(): Promise<number[]> {
    this.refuse();
  }

  deleteNewest(): Promise<number[]> {
    this.refuse();
  }

  async writable(): Promise<undefined> {
    return undefined;
  }
}

/**
 * Real AWS (staging): the standard credential chain, wall time. The account
 * guard runs before anything else: STS must name an allowed account.
 */
export async function createAwsTarget(env: AwsEnvironment): Promise<Target> {
  const clients = makeClients((region) => ({ region }));
  const identity = await clients.sts().send(new GetCallerIdentityCommand({}));
  if (!identity.Account || !env.allowedAccountIds.includes(identity.Account)) {
    clients.destroy();
    throw new SafetyGuardError(
      `${env.file}: the credentials belong to account ${identity.Account ?? '(unknown)'}, which is not in allowedAccountIds (${env.allowedAccountIds.join(', ')}); refusing to touch it`,
    );
  }
  const clock = new RealClock();
  return {
    kind: 'aws',
    env,
    clock,
    clients,
    orders: new UndeclaredOrders(env),
    http: () => ({
      request: async ({ method, url, body, timeoutMs = 5000 }) => {
        const started = clock.now();
        try {
          const response = await fetch(url, {
            method,
            signal: AbortSignal.timeout(timeoutMs),
            ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
          });
          await response.arrayBuffer();
          return { status: response.status, latencyMs: clock.now() - started };
        } catch (error) {
          return { status: 0, error: (error as Error).name === 'TimeoutError' ? 'timeout' : (error as Error).message, latencyMs: clock.now() - started };
        }
      },
    }),
    capacity: {
      scaleUp: async () => {
        throw new BadInputError(`${env.file}: scaling standby capacity on AWS needs the service's Auto Scaling groups, which this environment does not name`);
      },
      atFull: async () => {
        throw new BadInputError(`${env.file}: checking standby capacity on AWS needs the service's Auto Scaling groups, which this environment does not name`);
      },
    },
    clientsAs: (role) => {
      throw new BadInputError(`${env.file}: acting as the role "${role}" on AWS needs a role to assume, which this environment does not name`);
    },
    close: () => clients.destroy(),
  };
}

export async function createTarget(env: Environment, options: { seed: number; speed: Speed }): Promise<Target> {
  return env.target === 'sim' ? createSimTarget({ env, ...options }) : createAwsTarget(env);
}
