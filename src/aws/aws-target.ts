import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { RealClock } from '../clock/real-clock.js';
import type { AwsEnvironment } from '../env/index.js';
import { BadInputError, SafetyGuardError } from '../errors.js';
import type { OrdersStore, Target, WriteOutcome } from '../harness/target.js';
import { makeClients } from './clients.js';

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
