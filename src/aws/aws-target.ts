import { DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import { AssumeRoleCommand, GetCallerIdentityCommand, type AssumeRoleCommandOutput } from '@aws-sdk/client-sts';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { RealClock } from '../clock/real-clock.js';
import type { Clock } from '../clock/types.js';
import { assumedRoleOf, autoScalingGroupOf, type AssumedRole, type AwsEnvironment, type Environment } from '../env/index.js';
import { BadInputError, SafetyGuardError } from '../errors.js';
import type { Capacity, Fleet, HttpClient, OrdersStore, Target, TargetClients, WriteOutcome } from '../harness/target.js';
import { makeClients } from './clients.js';
import { dateHeaderMiddleware, ServerClock } from './server-clock.js';
import { canaryIdOf, declaresOrdersApi, HttpOrders } from './http-orders.js';

/** Canaries on a real account travel over HTTP to the orders API the environment names; this one names none. */
class UndeclaredOrders implements OrdersStore {
  constructor(private readonly env: AwsEnvironment) {}

  private refuse(): never {
    throw new BadInputError(
      `${this.env.file}: canaries on the aws target write through the orders API (an orders-api resource with the README's canary endpoint contract), and this environment declares none`,
    );
  }

  async write(): Promise<WriteOutcome> {
    this.refuse();
  }

  async readBack(): Promise<number[]> {
    this.refuse();
  }

  async deleteNewest(): Promise<number[]> {
    this.refuse();
  }

  async writable(): Promise<undefined> {
    return undefined;
  }
}

/**
 * Standby capacity through EC2 Auto Scaling, the same calls on the sim and
 * on AWS: a fleet is its group's desired and maximum capacity and its
 * InService instances; it runs at full once desired = max and that many are
 * InService.
 */
export class AutoScalingCapacity implements Capacity {
  constructor(
    private readonly env: Environment,
    private readonly clients: Pick<TargetClients, 'autoscaling'>,
  ) {}

  async fleet(serviceAlias: string, region: string): Promise<Fleet> {
    const name = autoScalingGroupOf(this.env, serviceAlias, region);
    const { AutoScalingGroups } = await this.clients.autoscaling(region).send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
    const group = AutoScalingGroups?.find((g) => g.AutoScalingGroupName === name);
    if (!group) throw new Error(`${this.env.file}: the Auto Scaling group ${name} of ${serviceAlias} does not exist in ${region}`);
    if (group.DesiredCapacity === undefined || group.MaxSize === undefined) throw new Error(`the Auto Scaling group ${name} reports no DesiredCapacity or MaxSize`);
    const inService = (group.Instances ?? []).filter((i) => i.LifecycleState === 'InService').length;
    return { group: name, desired: group.DesiredCapacity, max: group.MaxSize, inService };
  }

  async setDesired(serviceAlias: string, region: string, desired: number): Promise<void> {
    const name = autoScalingGroupOf(this.env, serviceAlias, region);
    await this.clients.autoscaling(region).send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: desired, HonorCooldown: false }));
  }

  async atFull(serviceAlias: string, region: string): Promise<boolean> {
    const { desired, max, inService } = await this.fleet(serviceAlias, region);
    return desired === max && inService >= desired;
  }
}

/** Credentials as SDK v3 takes them from a provider function. */
export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** The part of an STS client AssumeRole needs (a test can hand in a fake). */
export interface AssumeRoleClient {
  send(command: AssumeRoleCommand): Promise<AssumeRoleCommandOutput>;
}

export interface AssumeRoleCredentialsOptions {
  sts: AssumeRoleClient;
  role: AssumedRole;
  /** RoleSessionName: what CloudTrail shows as the session (`gameday-<runId>`). */
  sessionName: string;
  clock: Pick<Clock, 'now'>;
  /** Assume the role again this long before the credentials expire; 5 minutes unless told. */
  refreshBeforeMs?: number;
}

const REFRESH_BEFORE_MS = 5 * 60 * 1000;
/** What AssumeRole grants when not asked for a DurationSeconds (and the harness never asks). */
const DEFAULT_SESSION_MS = 3600 * 1000;

/** RoleSessionName allows 2 to 64 of letters, digits and +=,.@-. */
export function sessionNameOf(runId: string | undefined): string {
  return `gameday-${runId ?? 'run'}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

/**
 * A credentials provider for SDK v3 clients (`credentials` in the client
 * config) that assumes the role with STS and assumes it again before the
 * credentials expire. Concurrent calls share one AssumeRole. A refusal is
 * not passed on as the role's own AccessDenied: a step that expects the
 * role's call to be denied must not pass because the role could not be
 * assumed at all.
 */
export function assumeRoleCredentials(options: AssumeRoleCredentialsOptions): () => Promise<TemporaryCredentials> {
  const { sts, role, sessionName, clock } = options;
  const refreshBefore = options.refreshBeforeMs ?? REFRESH_BEFORE_MS;
  let current: TemporaryCredentials | undefined;
  let assuming: Promise<TemporaryCredentials> | undefined;

  const assume = async (): Promise<TemporaryCredentials> => {
    let output: AssumeRoleCommandOutput;
    try {
      output = await sts.send(
        new AssumeRoleCommand({ RoleArn: role.roleArn, RoleSessionName: sessionName, ...(role.externalId !== undefined ? { ExternalId: role.externalId } : {}) }),
      );
    } catch (error) {
      const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new AssumeRoleError(`could not assume ${role.roleArn} to act as "${role.name}": ${why}`, { cause: error });
    }
    const issued = output.Credentials;
    if (!issued?.AccessKeyId || !issued.SecretAccessKey) throw new AssumeRoleError(`STS AssumeRole of ${role.roleArn} returned no credentials`);
    // STS's clock need not be ours: `gameday sim serve` answers in its virtual
    // time, which may lag the wall clock by months. Credentials that look
    // expired on arrival are counted from their receipt for the hour STS
    // grants by default, rather than assumed again before every call.
    const receivedAt = clock.now();
    let expiration = issued.Expiration;
    if (expiration !== undefined && expiration.getTime() - receivedAt <= refreshBefore) expiration = new Date(receivedAt + DEFAULT_SESSION_MS);
    current = {
      accessKeyId: issued.AccessKeyId,
      secretAccessKey: issued.SecretAccessKey,
      ...(issued.SessionToken !== undefined ? { sessionToken: issued.SessionToken } : {}),
      ...(expiration !== undefined ? { expiration } : {}),
    };
    return current;
  };

  return async () => {
    const fresh = current && (current.expiration === undefined || current.expiration.getTime() - clock.now() > refreshBefore);
    if (fresh) return current!;
    assuming ??= assume().finally(() => {
      assuming = undefined;
    });
    return assuming;
  };
}

/** The runner could not become the role (it is not allowed to, or the role does not exist). */
export class AssumeRoleError extends Error {
  override readonly name = 'AssumeRoleError';
}

/** An answer's JSON body, or undefined (an HTML error page from a load balancer, say: the status says enough). */
function jsonOf(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Requests that connect to `via` (the endpoint override: `gameday sim serve`)
 * whatever their URL's host, naming that host in the Host header, as curl's
 * --connect-to does: a rehearsal reaches the orders service's regional
 * endpoints through the one port the sim serves. (fetch cannot: it sets
 * Host from the URL.)
 */
function viaClient(clock: Clock, via: URL): HttpClient {
  return {
    request: ({ method, url, body, timeoutMs = 5000 }) =>
      new Promise((resolve) => {
        const started = clock.now();
        const target = new URL(url);
        const payload = body ? JSON.stringify(body) : undefined;
        const request = (via.protocol === 'https:' ? httpsRequest : httpRequest)(
          {
            host: via.hostname,
            port: via.port || (via.protocol === 'https:' ? 443 : 80),
            method,
            path: `${target.pathname}${target.search}`,
            headers: { host: target.host, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
            timeout: timeoutMs,
          },
          (response) => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (text += chunk));
            response.on('end', () => {
              const json = jsonOf(text);
              resolve({ status: response.statusCode ?? 0, latencyMs: clock.now() - started, ...(json !== undefined ? { body: json } : {}) });
            });
          },
        );
        request.on('timeout', () => request.destroy(new Error('timeout')));
        request.on('error', (error) => resolve({ status: 0, error: error.message === 'timeout' ? 'timeout' : error.message, latencyMs: clock.now() - started }));
        request.end(payload);
      }),
  };
}

/** Requests over the network, with the answer's JSON body for the canary contract. */
function fetchClient(clock: Clock): HttpClient {
  return {
    request: async ({ method, url, body, timeoutMs = 5000 }) => {
      const started = clock.now();
      try {
        const response = await fetch(url, {
          method,
          signal: AbortSignal.timeout(timeoutMs),
          ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
        });
        const json = jsonOf(await response.text());
        return { status: response.status, latencyMs: clock.now() - started, ...(json !== undefined ? { body: json } : {}) };
      } catch (error) {
        return { status: 0, error: (error as Error).name === 'TimeoutError' ? 'timeout' : (error as Error).message, latencyMs: clock.now() - started };
      }
    },
  };
}

export interface AwsTargetOptions {
  /** The run's id: names the role sessions (`gameday-<runId>`) and the canary's orders. */
  runId?: string;
  /**
   * SDK client configuration for a region, credentials included. The
   * standard credential chain and AWS's own endpoints unless a test points
   * the clients elsewhere (`gameday sim serve`).
   */
  clientConfig?: (region: string) => Record<string, unknown>;
  /** Wall time unless told. */
  clock?: Clock;
  /** The HTTP client of probes and canaries; fetch unless told. */
  http?: (name: string) => HttpClient;
  /**
   * The endpoint override the SDK clients use (AWS_ENDPOINT_URL, read at the
   * edge): where an environment with `httpVia: endpoint-url` sends its HTTP
   * requests (a rehearsal against `gameday sim serve`).
   */
  endpointUrl?: string;
}

/** What the credential chain's errors are called when it found nothing usable. */
const NO_CREDENTIALS = new Set(['CredentialsProviderError', 'TokenProviderError']);
/** What STS answers to credentials it does not take. */
const BAD_CREDENTIALS = new Set(['ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId', 'SignatureDoesNotMatch', 'UnrecognizedClientException']);

/**
 * The account guard (DESIGN §9): STS GetCallerIdentity must name one of the
 * environment's allowedAccountIds, or nothing runs (SafetyGuardError, exit
 * 3). Credentials the chain cannot find, or that STS does not take, are bad
 * input (exit 2), with what to set. Returns the account.
 */
export async function verifyAccount(sts: { send(command: GetCallerIdentityCommand): Promise<{ Account?: string }> }, env: AwsEnvironment): Promise<string> {
  let account: string | undefined;
  try {
    account = (await sts.send(new GetCallerIdentityCommand({}))).Account;
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    const message = (error as Error).message;
    if (NO_CREDENTIALS.has(name)) {
      throw new BadInputError(
        `${env.file}: no AWS credentials could be found for the aws target (${message.split('\n')[0]}). ` +
          'Set AWS_PROFILE (after `aws sso login` for an SSO profile), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where an instance or container role is available',
      );
    }
    if (BAD_CREDENTIALS.has(name)) {
      throw new BadInputError(`${env.file}: STS refused the credentials of the aws target (${name}: ${message}); refresh them (\`aws sso login\`, or new keys) and run again`);
    }
    throw error;
  }
  if (!account || !env.allowedAccountIds.includes(account)) {
    throw new SafetyGuardError(
      `${env.file}: the credentials belong to account ${account ?? '(unknown)'}, which is not in allowedAccountIds (${env.allowedAccountIds.join(', ')}); refusing to touch it`,
    );
  }
  return account;
}

/**
 * Real AWS (staging): the standard credential chain, wall time. The account
 * guard runs before anything else: STS must name an allowed account.
 */
export async function createAwsTarget(env: AwsEnvironment, options: AwsTargetOptions = {}): Promise<Target> {
  const config = options.clientConfig ?? ((region: string) => ({ region }));
  const clock = options.clock ?? new RealClock();
  // Every response's Date header tells how far AWS's clock is from ours.
  const awsClock = new ServerClock();
  const observe = dateHeaderMiddleware(() => clock.now(), (date, sentAt, receivedAt) => awsClock.observe(date, sentAt, receivedAt));
  const clients = makeClients(config, observe);
  try {
    await verifyAccount(clients.sts(), env);
  } catch (error) {
    clients.destroy();
    throw error;
  }
  if (env.httpVia === 'endpoint-url' && !options.endpointUrl) {
    throw new BadInputError(`${env.file}: httpVia: endpoint-url sends the orders service's requests to the endpoint override, and none is set: set AWS_ENDPOINT_URL (the address of \`gameday sim serve\`)`);
  }
  const via = env.httpVia === 'endpoint-url' && options.endpointUrl ? new URL(options.endpointUrl) : undefined;
  const http = options.http ?? (() => (via ? viaClient(clock, via) : fetchClient(clock)));
  const asRole = new Map<string, TargetClients & { destroy(): void }>();
  const orders: OrdersStore = declaresOrdersApi(env)
    ? new HttpOrders({ env, http: http('canary'), canary: canaryIdOf(options.runId, clock.now().toString(36)) })
    : new UndeclaredOrders(env);
  return {
    kind: 'aws',
    env,
    clock,
    awsClock,
    clients,
    orders,
    http,
    capacity: new AutoScalingCapacity(env, clients),
    clientsAs: (name) => {
      let made = asRole.get(name);
      if (!made) {
        const role = assumedRoleOf(env, name);
        // The runner's own STS client assumes the role; the clients then sign with what it got.
        const credentials = assumeRoleCredentials({ sts: clients.sts(), role, sessionName: sessionNameOf(options.runId), clock });
        asRole.set(name, (made = makeClients((region) => ({ ...config(region), credentials }), observe)));
      }
      return made;
    },
    close: () => {
      clients.destroy();
      for (const made of asRole.values()) made.destroy();
    },
  };
}
