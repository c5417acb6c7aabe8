import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DeleteRecoveryPointCommand, ListRecoveryPointsByBackupVaultCommand } from '@aws-sdk/client-backup';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSServiceException, type AssumeRoleCommandOutput } from '@aws-sdk/client-sts';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AssumeRoleError, assumeRoleCredentials, createAwsTarget, sessionNameOf, type AwsTargetOptions } from '../src/aws/aws-target.js';
import { HttpOrders } from '../src/aws/http-orders.js';
import { buildSimulator } from '../src/aws/sim-target.js';
import { createTarget } from '../src/aws/targets.js';
import { VirtualClock } from '../src/clock/index.js';
import { EnvironmentError, loadEnvironment, parseEnvironment, type AwsEnvironment } from '../src/env/index.js';
import { BadInputError, exitCodeOf, SafetyGuardError } from '../src/errors.js';
import type { Target } from '../src/harness/target.js';
import { simClientConfig, type Simulator } from '../src/sim/index.js';
import type { StsModule } from '../src/sim/services/sts/index.js';
import { createTransportHarness, STAGING_RUNNER, stagingRunnerEnv } from './support/transport.js';
import { MINUTE } from './support/time.js';
import { ACCOUNT, EAST, START, WEST } from './support/sim.js';

/**
 * The aws target without AWS: its SDK clients pointed at the simulator
 * (`gameday sim serve`'s HTTP server, or in process), seeded from
 * securecart.yaml in the account an aws environment below allows.
 */

const RUNNER = STAGING_RUNNER;
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
    expect(await target.capacity.fleet('orders-api', WEST)).toEqual({ group: 'orders-api-us-west-2', desired: 0, max: 6, inService: 0 });
    await target.capacity.setDesired('orders-api', WEST, 6);
    expect(calls(sim, 'SetDesiredCapacity')).toMatchObject([{ awsRegion: WEST, resources: [{ name: 'orders-api-us-west-2' }], identity: { role: 'gameday-runner' } }]);
    const { AutoScalingGroups } = await target.clients.autoscaling(WEST).send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['orders-api-us-west-2'] }));
    expect(AutoScalingGroups?.[0]).toMatchObject({ DesiredCapacity: 6, MaxSize: 6 });
    // Desired is at max, but the new instances are still launching.
    expect(await target.capacity.atFull('orders-api', WEST)).toBe(false);
    await clock.advance(30 * MINUTE);
    expect(await target.capacity.atFull('orders-api', WEST)).toBe(true);
    expect(await target.capacity.fleet('orders-api', WEST)).toEqual({ group: 'orders-api-us-west-2', desired: 6, max: 6, inService: 6 });
  });

  it('points at the deployment, file:line, when a scale-up needs an Auto Scaling group the environment does not name; no AWS call is made', async () => {
    const { sim, clock } = await securecartSim();
    const target = await overHttp(await staging(), sim, clock);
    const before = sim.world.audit.length;
    const error = await target.capacity.fleet('orders-api', EAST).catch((e: unknown) => e);
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
    await expect(target.capacity.fleet('orders-api', WEST)).rejects.toThrow('staging-test.yaml: the Auto Scaling group orders-standby of orders-api does not exist in us-west-2');
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

describe("acting as another role on the aws target, through the sim's STS AssumeRole", () => {
  const RUN_ID = '2026-01-05T09-00-00-000Z-seed42';
  const sessionArn = (role: string) => `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/gameday-${RUN_ID}`;

  it('over HTTP (gameday sim serve): clientsAs(role) clients act as the role, in a session named after the run, with the external ID', async () => {
    const { sim, clock } = await securecartSim();
    // The sim's clock, so the credentials' Expiration (virtual) reads as an hour away.
    const target = await overHttp(await staging(), sim, clock, { runId: RUN_ID, clock });
    const admin = target.clientsAs('backup-admin');
    expect(await admin.sts().send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: ACCOUNT, Arn: sessionArn('backup-admin') });
    await admin.autoscaling(EAST).send(new DescribeAutoScalingGroupsCommand({}));
    await admin.autoscaling(WEST).send(new DescribeAutoScalingGroupsCommand({}));
    await target.clientsAs('intruder').autoscaling(EAST).send(new DescribeAutoScalingGroupsCommand({}));
    await target.clients.autoscaling(EAST).send(new DescribeAutoScalingGroupsCommand({}));
    expect(calls(sim, 'DescribeAutoScalingGroups').map((r) => r.identity.arn)).toEqual([
      sessionArn('backup-admin'),
      sessionArn('backup-admin'),
      sessionArn('intruder'),
      `arn:aws:sts::${ACCOUNT}:assumed-role/gameday-runner/gameday`,
    ]);
    // One AssumeRole per role, made by the runner, whatever the number of clients and regions.
    expect(calls(sim, 'AssumeRole').map((r) => [r.identity.role, r.resources[0]?.name])).toEqual([
      ['gameday-runner', `arn:aws:iam::${ACCOUNT}:role/backup-admin`],
      ['gameday-runner', `arn:aws:iam::${ACCOUNT}:role/intruder`],
    ]);
    const sessions = sim.world.module<StsModule>('sts').model.issuedSessions();
    expect(sessions.map((s) => [s.role, s.sessionName, s.externalId])).toEqual([
      ['backup-admin', `gameday-${RUN_ID}`, undefined],
      ['intruder', `gameday-${RUN_ID}`, 'gameday-drill'],
    ]);
    expect(sessions.every((s) => s.accessKeyId.startsWith('ASIA'))).toBe(true);
    expect(target.clientsAs('intruder')).toBe(target.clientsAs('intruder'));
  });

  it("makes the role's calls subject to the sim's IAM as that role: the intruder may not delete a recovery point", async () => {
    const { sim, clock } = await securecartSim();
    const target = await overHttp(await staging(), sim, clock, { runId: RUN_ID, clock });
    const backup = target.clients.backup(EAST);
    const { RecoveryPoints } = await backup.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'securecart-vault' }));
    const point = RecoveryPoints?.find((p) => p.Status === 'COMPLETED');
    expect(point?.RecoveryPointArn).toBeDefined();
    const refused = await target
      .clientsAs('intruder')
      .backup(EAST)
      .send(new DeleteRecoveryPointCommand({ BackupVaultName: 'securecart-vault', RecoveryPointArn: point!.RecoveryPointArn }))
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'AccessDeniedException' });
    expect((refused as Error).message).toContain(`User: ${sessionArn('intruder')} is not authorized to perform: backup:DeleteRecoveryPoint`);
  });

  it('does not pass a refused AssumeRole off as the role being denied', async () => {
    const { sim, clock } = await securecartSim();
    const env = await staging(STAGING.replace(`role/backup-admin`, 'role/backup-admin-that-was-never-created'));
    const target = await overHttp(env, sim, clock, { runId: RUN_ID, clock });
    const error = await target.clientsAs('backup-admin').autoscaling(EAST).send(new DescribeAutoScalingGroupsCommand({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AssumeRoleError);
    expect((error as Error).name).toBe('AssumeRoleError');
    expect((error as Error).message).toBe(
      `could not assume arn:aws:iam::${ACCOUNT}:role/backup-admin-that-was-never-created to act as "backup-admin": AccessDenied: ` +
        `User: arn:aws:sts::${ACCOUNT}:assumed-role/gameday-runner/gameday is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${ACCOUNT}:role/backup-admin-that-was-never-created`,
    );
    expect(calls(sim, 'DescribeAutoScalingGroups')).toEqual([]);
  });

  it('names the file and the roles it declares for an unknown role', async () => {
    const { sim } = await securecartSim();
    const inProcess = (env: AwsEnvironment) => createAwsTarget(env, { runId: RUN_ID, clientConfig: (region) => simClientConfig(sim, region, RUNNER.accessKeyId) });
    const target = await inProcess(await staging());
    targets.push(target);
    const error = (() => {
      try {
        target.clientsAs('auditor');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as Error).message).toBe('staging-test.yaml: acting as "auditor" on AWS needs a role to assume under roles; it declares "backup-admin" and "intruder"');
    const bare = await inProcess(await staging(STAGING.slice(0, STAGING.indexOf('roles:'))));
    targets.push(bare);
    expect(() => bare.clientsAs('intruder')).toThrow(/it declares none \(add roles: \{ <name>: <role ARN> \}\)/);
    expect(calls(sim, 'AssumeRole')).toEqual([]);
  });
});

describe('createTarget on an aws environment', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("hands the run id on, so role sessions are named gameday-<runId> (the standard credential chain and AWS_ENDPOINT_URL reach the sim)", async () => {
    const { sim, clock } = await securecartSim();
    const { url } = await transport.server(sim, clock);
    for (const [name, value] of Object.entries(stagingRunnerEnv(url))) vi.stubEnv(name, value);
    const target = await createTarget(await staging(), { seed: 1, speed: 'max', runId: 'run-7' });
    targets.push(target);
    expect(target.kind).toBe('aws');
    const who = await target.clientsAs('backup-admin').sts().send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/backup-admin/gameday-run-7`);
    expect(sim.world.module<StsModule>('sts').model.issuedSessions().map((s) => s.sessionName)).toEqual(['gameday-run-7']);
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

  it("counts credentials that look expired on arrival (an STS on another clock: gameday sim serve's virtual time) from their receipt, for STS's default hour", async () => {
    let now = START;
    const clock = { now: () => now };
    const behind = fakeSts({ now: () => now - 300 * 24 * 60 * MINUTE }, 60 * MINUTE);
    const credentials = assumeRoleCredentials({ sts: behind, role, sessionName: 's1', clock });
    expect((await credentials()).expiration).toEqual(new Date(START + 60 * MINUTE));
    now += 54 * MINUTE;
    await credentials();
    expect(behind.inputs).toHaveLength(1);
    now += 1 * MINUTE;
    await credentials();
    expect(behind.inputs).toHaveLength(2);
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
