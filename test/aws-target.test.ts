import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { AssumeRoleCommand, STSServiceException, type AssumeRoleCommandOutput } from '@aws-sdk/client-sts';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { AssumeRoleError, assumeRoleCredentials, createAwsTarget, sessionNameOf, type AwsTargetOptions } from '../src/aws/aws-target.js';
import { HttpOrders } from '../src/aws/http-orders.js';
import { buildSimulator } from '../src/aws/sim-target.js';
import { VirtualClock } from '../src/clock/index.js';
import { EnvironmentError, loadEnvironment, parseEnvironment, type AwsEnvironment } from '../src/env/index.js';
import { BadInputError, exitCodeOf, SafetyGuardError } from '../src/errors.js';
import type { Target } from '../src/harness/target.js';
import type { SdkHttpRequest } from '../src/sim/handler.js';
import type { Simulator } from '../src/sim/index.js';
import { createTransportHarness, SIM_SECRET } from './support/transport.js';

/**
 * The aws target without AWS: its SDK clients pointed at the simulator
 * (`gameday sim serve`'s HTTP server, or in process), seeded from
 * securecart.yaml in the account an aws environment below allows.
 */

const START = Date.UTC(2026, 0, 5, 9);
const MINUTE = 60_000;
const EAST = 'us-east-1';
const WEST = 'us-west-2';
const ACCOUNT = '123456789012';
const RUNNER = { accessKeyId: 'AKIASTAGINGRUNNER001', secretAccessKey: SIM_SECRET };
const repo = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

const STAGING = `target: aws
allowedAccountIds: ["${ACCOUNT}"]
regions: { primary: us-east-1, secondary: us-west-2 }
resources:
  orders-db:
    kind: rds-instance
    identifier: securecart-orders
    region: us-east-1
    engine: postgres
    instanceClass: db.r6g.large
    allocatedStorageGiB: 200
    multiAZ: true
    backupRetentionDays: 7
  orders-db-replica:
    kind: rds-read-replica
    identifier: securecart-orders-replica
    source: orders-db
    region: us-west-2
  orders-api:
    kind: orders-api
    url: https://api.securecart.example
    regions:
      us-east-1:
        endpoint: orders.us-east-1.securecart.internal
        database: orders-db
        capacity: full
        instances: 6
      us-west-2:
        endpoint: orders.us-west-2.securecart.internal
        database: orders-db-replica
        capacity: none
        instances: 6
        autoScalingGroup: orders-api-us-west-2
roles:
  backup-admin: arn:aws:iam::${ACCOUNT}:role/backup-admin
  intruder: { roleArn: "arn:aws:iam::${ACCOUNT}:role/intruder", externalId: gameday-drill }
`;
/** Where `us-east-1:` under orders-api's regions is in STAGING (1-based). */
const EAST_DEPLOYMENT_LINE = STAGING.split('\n').findIndex((line) => line === '      us-east-1:') + 1;

const noFiles = async (path: string): Promise<string> => {
  throw Object.assign(new Error(`no file ${path}`), { code: 'ENOENT' });
};

async function staging(text = STAGING): Promise<AwsEnvironment> {
  const env = await parseEnvironment(text, 'staging-test.yaml', noFiles);
  if (env.target !== 'aws') throw new Error('expected an aws environment');
  return env;
}

async function securecartSim(): Promise<{ sim: Simulator; clock: VirtualClock }> {
  const env = await loadEnvironment(repo('scenarios/environments/securecart.yaml'));
  if (env.target !== 'sim') throw new Error('securecart.yaml is a sim environment');
  const clock = new VirtualClock({ start: START });
  return { sim: buildSimulator({ clock, seed: 42, env }), clock };
}

const targets: Target[] = [];
const transport = createTransportHarness('http');
afterEach(async () => {
  for (const target of targets.splice(0)) target.close();
  await transport.close();
});

/** An aws target whose clients reach the sim over HTTP, as they would reach `gameday sim serve --port …`. */
async function overHttp(env: AwsEnvironment, sim: Simulator, clock: VirtualClock, options: Omit<AwsTargetOptions, 'clientConfig'> = {}): Promise<Target> {
  const { url } = await transport.server(sim, clock);
  const target = await createAwsTarget(env, { ...options, clientConfig: (region) => ({ region, endpoint: url, credentials: RUNNER, maxAttempts: 1 }) });
  targets.push(target);
  return target;
}

const calls = (sim: Simulator, eventName: string) => sim.world.audit.filter((r) => r.eventName === eventName);

describe('createAwsTarget against the sim over HTTP', () => {
  it('passes the account guard, then scales standby capacity through Auto Scaling: SetDesiredCapacity to max, at full once InService', async () => {
    const { sim, clock } = await securecartSim();
    const target = await overHttp(await staging(), sim, clock);
    expect(target.kind).toBe('aws');
    expect(calls(sim, 'GetCallerIdentity')).toHaveLength(1);

    expect(await target.capacity.atFull('orders-api', WEST)).toBe(false);
    await target.capacity.scaleUp('orders-api', WEST);
    expect(calls(sim, 'SetDesiredCapacity')).toMatchObject([{ awsRegion: WEST, resources: [{ name: 'orders-api-us-west-2' }], identity: { role: 'gameday-runner' } }]);
    const { AutoScalingGroups } = await target.clients.autoscaling(WEST).send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['orders-api-us-west-2'] }));
    expect(AutoScalingGroups?.[0]).toMatchObject({ DesiredCapacity: 6, MaxSize: 6 });
    expect(await target.capacity.atFull('orders-api', WEST)).toBe(false);
    await clock.advance(30 * MINUTE);
    expect(await target.capacity.atFull('orders-api', WEST)).toBe(true);
    // Already at its maximum: nothing more to ask.
    await target.capacity.scaleUp('orders-api', WEST);
    expect(calls(sim, 'SetDesiredCapacity')).toHaveLength(1);
  });

  it('points at the deployment, file:line, when a scale-up needs an Auto Scaling group the environment does not name; no AWS call is made', async () => {
    const { sim, clock } = await securecartSim();
    const target = await overHttp(await staging(), sim, clock);
    const before = sim.world.audit.length;
    const error = await target.capacity.scaleUp('orders-api', EAST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(exitCodeOf(error)).toBe(2);
    expect((error as Error).message).toBe(
      `staging-test.yaml:${EAST_DEPLOYMENT_LINE}:7: resources.orders-api.regions.us-east-1: scaling orders-api in us-east-1 on AWS goes through its EC2 Auto Scaling group, which this deployment does not name; add autoScalingGroup: <the group's name>`,
    );
    await expect(target.capacity.atFull('orders-api', EAST)).rejects.toThrow(EnvironmentError);
    expect(sim.world.audit.length).toBe(before);
  });

  it('fails clearly when the group the environment names does not exist in the account', async () => {
    const { sim, clock } = await securecartSim();
    const env = await staging(STAGING.replace('autoScalingGroup: orders-api-us-west-2', 'autoScalingGroup: orders-standby'));
    const target = await overHttp(env, sim, clock);
    await expect(target.capacity.scaleUp('orders-api', WEST)).rejects.toThrow('staging-test.yaml: the Auto Scaling group orders-standby of orders-api does not exist in us-west-2');
    expect(calls(sim, 'SetDesiredCapacity')).toHaveLength(0);
  });

  it('refuses an account the environment does not allow, before anything else', async () => {
    const { sim, clock } = await securecartSim();
    const env = await staging(STAGING.replace(`allowedAccountIds: ["${ACCOUNT}"]`, 'allowedAccountIds: ["111122223333"]').replaceAll(`iam::${ACCOUNT}`, 'iam::111122223333'));
    const error = await overHttp(env, sim, clock).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SafetyGuardError);
    expect(exitCodeOf(error)).toBe(3);
    expect((error as Error).message).toMatch(/account 123456789012, which is not in allowedAccountIds \(111122223333\)/);
    expect(sim.world.audit.map((r) => r.eventName)).toEqual(['GetCallerIdentity']);
  });

  it('canaries through the orders API when the environment declares one, and refuses clearly when it does not', async () => {
    const { sim, clock } = await securecartSim();
    expect((await overHttp(await staging(), sim, clock, { runId: 'r1' })).orders).toBeInstanceOf(HttpOrders);
    const bare = await staging(`target: aws\nallowedAccountIds: ["${ACCOUNT}"]\nregions: { primary: us-east-1 }\n`);
    const target = await overHttp(bare, sim, clock);
    const refused = await target.orders.write({ region: EAST, identifier: 'securecart-orders' }, 1).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BadInputError);
    expect((refused as Error).message).toMatch(/^staging-test\.yaml: canaries on the aws target write through the orders API .* declares none$/);
    expect(await target.orders.writable({ region: EAST, identifier: 'securecart-orders' })).toBeUndefined();
  });

  it("fetches over the network for probes and canaries, with the answer's JSON body", async () => {
    const { sim, clock } = await securecartSim();
    const target = await overHttp(await staging(), sim, clock);
    const { url } = await transport.server(sim, clock);
    const health = await target.http('probe').request({ method: 'GET', url: `${url}/_gameday/health` });
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(health.latencyMs).toBeGreaterThanOrEqual(0);
    const refused = await target.http('probe').request({ method: 'GET', url: 'http://127.0.0.1:1/health', timeoutMs: 2000 });
    expect(refused.status).toBe(0);
    expect(refused.error).toBeTruthy();
  });
});

describe('acting as another role on the aws target', () => {
  /**
   * The sim's STS has no AssumeRole: this handler answers it as STS would,
   * with an access key the sim's identities map to the role, and hands every
   * other request to the sim in process. Test scaffolding, not product code.
   */
  function assumeRoleAnswering(sim: Simulator, keys: Record<string, string>) {
    const seen: URLSearchParams[] = [];
    const handler = {
      metadata: { handlerProtocol: 'gameday-test' },
      async handle(request: SdkHttpRequest) {
        const body = typeof request.body === 'string' ? request.body : request.body instanceof Uint8Array ? Buffer.from(request.body).toString('utf8') : '';
        const params = new URLSearchParams(body);
        if (params.get('Action') !== 'AssumeRole') return sim.handler.handle(request);
        seen.push(params);
        const arn = params.get('RoleArn') ?? '';
        const key = keys[arn];
        const xml = key
          ? `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>${key}</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>${arn}</Arn><AssumedRoleId>AROA:x</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>`
          : `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed to assume ${arn}</Message></Error><RequestId>1</RequestId></ErrorResponse>`;
        return { response: { statusCode: key ? 200 : 403, headers: { 'content-type': 'text/xml' }, body: Readable.from([Buffer.from(xml)]) } };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
      destroy() {},
    };
    return { handler, seen };
  }

  async function inProcess(env: AwsEnvironment, keys: Record<string, string>) {
    const { sim, clock } = await securecartSim();
    const { handler, seen } = assumeRoleAnswering(sim, keys);
    const target = await createAwsTarget(env, {
      runId: '2026-01-05T09-00-00-000Z-seed42',
      clientConfig: (region) => ({ region, credentials: RUNNER, requestHandler: handler, maxAttempts: 1 }),
    });
    targets.push(target);
    return { sim, clock, target, seen };
  }

  it('makes clients whose calls are made as the assumed role, with the run in the session name and the external ID', async () => {
    const env = await staging();
    const { sim, target, seen } = await inProcess(env, {
      [`arn:aws:iam::${ACCOUNT}:role/backup-admin`]: 'AKIABACKUPADMIN00001',
      [`arn:aws:iam::${ACCOUNT}:role/intruder`]: 'AKIAINTRUDER00000001',
    });
    await target.clientsAs('backup-admin').autoscaling(EAST).send(new DescribeAutoScalingGroupsCommand({}));
    await target.clientsAs('backup-admin').autoscaling(WEST).send(new DescribeAutoScalingGroupsCommand({}));
    await target.clientsAs('intruder').autoscaling(EAST).send(new DescribeAutoScalingGroupsCommand({}));
    await target.clients.autoscaling(EAST).send(new DescribeAutoScalingGroupsCommand({}));
    expect(calls(sim, 'DescribeAutoScalingGroups').map((r) => r.identity.role)).toEqual(['backup-admin', 'backup-admin', 'intruder', 'gameday-runner']);
    // One AssumeRole per role, whatever the number of clients: the credentials are good until 2099.
    expect(seen.map((p) => Object.fromEntries(p))).toEqual([
      expect.objectContaining({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/backup-admin`, RoleSessionName: 'gameday-2026-01-05T09-00-00-000Z-seed42' }),
      expect.objectContaining({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/intruder`, ExternalId: 'gameday-drill' }),
    ]);
    expect(seen[0]!.has('ExternalId')).toBe(false);
    expect(target.clientsAs('intruder')).toBe(target.clientsAs('intruder'));
  });

  it('does not pass a refused AssumeRole off as the role being denied', async () => {
    const env = await staging();
    const { target } = await inProcess(env, {});
    const error = await target.clientsAs('backup-admin').autoscaling(EAST).send(new DescribeAutoScalingGroupsCommand({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AssumeRoleError);
    expect((error as Error).name).toBe('AssumeRoleError');
    expect((error as Error).message).toMatch(/could not assume arn:aws:iam::123456789012:role\/backup-admin to act as "backup-admin": AccessDenied: not allowed/);
  });

  it('names the file and the roles it declares for an unknown role', async () => {
    const { target } = await inProcess(await staging(), {});
    const error = (() => {
      try {
        target.clientsAs('auditor');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as Error).message).toBe('staging-test.yaml: acting as "auditor" on AWS needs a role to assume under roles; it declares "backup-admin" and "intruder"');
    const { target: bare } = await inProcess(await staging(STAGING.slice(0, STAGING.indexOf('roles:'))), {});
    expect(() => bare.clientsAs('intruder')).toThrow(/it declares none \(add roles: \{ <name>: <role ARN> \}\)/);
  });
});

describe('assumeRoleCredentials', () => {
  const role = { name: 'backup-admin', roleArn: `arn:aws:iam::${ACCOUNT}:role/backup-admin`, externalId: 'x-1' };

  /** STS that issues numbered credentials valid for `validMs` from the fake clock's now, one call at a time. */
  function fakeSts(clock: { now(): number }, validMs: number | undefined) {
    const inputs: AssumeRoleCommand['input'][] = [];
    let issued = 0;
    return {
      inputs,
      send: async (command: AssumeRoleCommand): Promise<AssumeRoleCommandOutput> => {
        inputs.push(command.input);
        await Promise.resolve();
        issued++;
        return {
          $metadata: {},
          Credentials: {
            AccessKeyId: `ASIA${issued}`,
            SecretAccessKey: 'secret',
            SessionToken: 'token',
            ...(validMs === undefined ? {} : { Expiration: new Date(clock.now() + validMs) }),
          } as NonNullable<AssumeRoleCommandOutput['Credentials']>,
        };
      },
    };
  }

  it('assumes the role once, shares it between concurrent callers, and assumes it again 5 minutes before expiry', async () => {
    let now = START;
    const clock = { now: () => now };
    const sts = fakeSts(clock, 60 * MINUTE);
    const credentials = assumeRoleCredentials({ sts, role, sessionName: 'gameday-r1', clock });
    const [a, b] = await Promise.all([credentials(), credentials()]);
    expect(a).toEqual({ accessKeyId: 'ASIA1', secretAccessKey: 'secret', sessionToken: 'token', expiration: new Date(START + 60 * MINUTE) });
    expect(b).toBe(a);
    expect(sts.inputs).toEqual([{ RoleArn: role.roleArn, RoleSessionName: 'gameday-r1', ExternalId: 'x-1' }]);
    now = START + 54 * MINUTE;
    expect((await credentials()).accessKeyId).toBe('ASIA1');
    now = START + 55 * MINUTE;
    expect((await credentials()).accessKeyId).toBe('ASIA2');
    expect((await credentials()).accessKeyId).toBe('ASIA2');
    expect(sts.inputs).toHaveLength(2);
  });

  it('keeps credentials that do not expire, and takes its refresh margin from the caller', async () => {
    let now = START;
    const clock = { now: () => now };
    const forever = fakeSts(clock, undefined);
    const lasting = assumeRoleCredentials({ sts: forever, role, sessionName: 's1', clock });
    await lasting();
    now += 1000 * MINUTE;
    await lasting();
    expect(forever.inputs).toHaveLength(1);

    const short = fakeSts(clock, 10 * MINUTE);
    const tight = assumeRoleCredentials({ sts: short, role, sessionName: 's1', clock, refreshBeforeMs: MINUTE });
    await tight();
    now += 8 * MINUTE;
    await tight();
    expect(short.inputs).toHaveLength(1);
    now += 1 * MINUTE;
    await tight();
    expect(short.inputs).toHaveLength(2);
  });

  it('reports a refusal or an empty answer as AssumeRoleError, and tries again on the next call', async () => {
    const clock = { now: () => START };
    let refuse = true;
    const sts = {
      send: async (): Promise<AssumeRoleCommandOutput> => {
        if (refuse) throw new STSServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: {}, message: 'User is not authorized to perform: sts:AssumeRole' });
        return { $metadata: {} };
      },
    };
    const credentials = assumeRoleCredentials({ sts, role, sessionName: 's', clock });
    const denied = await credentials().catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(AssumeRoleError);
    expect((denied as Error).message).toBe(`could not assume ${role.roleArn} to act as "backup-admin": AccessDenied: User is not authorized to perform: sts:AssumeRole`);
    expect((denied as Error).cause).toBeInstanceOf(STSServiceException);
    refuse = false;
    await expect(credentials()).rejects.toThrow(`STS AssumeRole of ${role.roleArn} returned no credentials`);
  });

  it('makes a session name STS accepts from any run id', () => {
    expect(sessionNameOf('2026-01-05T09-00-00-000Z-seed42')).toBe('gameday-2026-01-05T09-00-00-000Z-seed42');
    expect(sessionNameOf(undefined)).toBe('gameday-run');
    expect(sessionNameOf('a run/with spaces:and colons'.repeat(4))).toMatch(/^gameday-a-run-with-spaces-and-colons[\w+=,.@-]*$/);
    expect(sessionNameOf('x'.repeat(100))).toHaveLength(64);
  });
});
