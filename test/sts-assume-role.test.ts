import { CreateDBSnapshotCommand, DeleteDBSnapshotCommand, DescribeDBSnapshotsCommand, RDSClient, RDSServiceException } from '@aws-sdk/client-rds';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, STSServiceException, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { createSimulator, SIM_RUNNER_KEY, type Simulator } from '../src/sim/index.js';
import { createIamModule } from '../src/sim/services/iam/index.js';
import { createNetworkModule, type NetworkModule } from '../src/sim/services/network/index.js';
import { createRdsModule, type RdsModule } from '../src/sim/services/rds/index.js';
import { createStsModule, type StsModule } from '../src/sim/services/sts/index.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { clientConfigs } from './support/transport-extra.js';
import { MINUTE } from './support/time.js';
import { ACCOUNT, START } from './support/sim.js';

/**
 * STS AssumeRole on the sim: temporary credentials for a role of the
 * account, and from then on calls signed with them act as that role
 * (GetCallerIdentity, the audit trail and the sim's IAM rules see the role
 * session), over both transports.
 */

const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/backup-admin`;
const INTRUDER_ROLE = `arn:aws:iam::${ACCOUNT}:role/intruder`;
const RUNNER_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/gameday-runner/gameday`;

async function setupOver(via: TransportHarness, seed = 42) {
  const clock = new VirtualClock({ start: START });
  const sim = createSimulator({ clock, seed, services: [createIamModule, createStsModule, createNetworkModule, createRdsModule] });
  const network = sim.world.module<NetworkModule>('network');
  for (const role of ['gameday-runner', 'backup-admin', 'intruder']) network.addRole(role);
  const configs = clientConfigs(via);
  await configs.prepare(sim, clock);
  const runner = new STSClient(configs.config(sim, 'us-east-1'));
  /** Clients signed with temporary credentials, as the SDK's credential providers hand them over. */
  const as = (credentials: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined, region = 'us-east-1') => {
    const base = configs.config(sim, region);
    return {
      ...base,
      credentials: { accessKeyId: credentials!.AccessKeyId!, secretAccessKey: credentials!.SecretAccessKey!, sessionToken: credentials!.SessionToken! },
    };
  };
  return { clock, sim, runner, as, configs, sts: sim.world.module<StsModule>('sts') };
}

async function refusal(promise: Promise<unknown>): Promise<STSServiceException> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(STSServiceException);
  return error as STSServiceException;
}

describe.each(transports)('STS AssumeRole over the %s transport', (transport) => {
  const via = useTransport(transport);
  const setup = (seed?: number) => setupOver(via, seed);

  it('issues temporary credentials for an hour, and the role session they act as', async () => {
    const { runner, sim } = await setup();
    const out = await runner.send(new AssumeRoleCommand({ RoleArn: ADMIN_ROLE, RoleSessionName: 'gameday-r1' }));
    const credentials = out.Credentials!;
    expect(credentials.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(credentials.SecretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(credentials.SessionToken!.length).toBeGreaterThan(100);
    expect(credentials.Expiration).toEqual(new Date(START + 60 * MINUTE));
    expect(out.AssumedRoleUser).toEqual({
      Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/backup-admin/gameday-r1`,
      AssumedRoleId: expect.stringMatching(/^AROA[A-Z2-7]{17}:gameday-r1$/),
    });
    expect(sim.world.audit.filter((r) => r.eventName === 'AssumeRole')).toMatchObject([
      { eventSource: 'sts.amazonaws.com', identity: { role: 'gameday-runner', arn: RUNNER_ARN }, resources: [{ type: 'AWS::IAM::Role', name: ADMIN_ROLE }] },
    ]);
    // The timeline says who became whom; the secret and the token stay out of it.
    const event = sim.world.events.find((e) => e.kind === 'sts.role-assumed')!;
    expect(event.detail).toEqual({
      role: 'backup-admin',
      roleArn: ADMIN_ROLE,
      sessionName: 'gameday-r1',
      accessKeyId: credentials.AccessKeyId,
      assumedBy: RUNNER_ARN,
      expiresAt: START + 60 * MINUTE,
    });
    expect(JSON.stringify(sim.world.events)).not.toContain(credentials.SecretAccessKey);
    expect(JSON.stringify(sim.world.events)).not.toContain(credentials.SessionToken);
  });

  it('makes calls signed with the temporary key act as the role: GetCallerIdentity answers the assumed-role ARN, in any region', async () => {
    const { runner, as, sim } = await setup();
    const { Credentials, AssumedRoleUser } = await runner.send(new AssumeRoleCommand({ RoleArn: INTRUDER_ROLE, RoleSessionName: 'drill@securecart' }));
    for (const region of ['us-east-1', 'us-west-2']) {
      const who = await new STSClient(as(Credentials, region)).send(new GetCallerIdentityCommand({}));
      expect(who).toMatchObject({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/intruder/drill@securecart`, UserId: AssumedRoleUser!.AssumedRoleId });
    }
    expect(sim.world.audit.filter((r) => r.eventName === 'GetCallerIdentity').map((r) => [r.identity.role, r.identity.arn, r.identity.accessKeyId])).toEqual([
      ['intruder', AssumedRoleUser!.Arn, Credentials!.AccessKeyId],
      ['intruder', AssumedRoleUser!.Arn, Credentials!.AccessKeyId],
    ]);
    // The runner's own key is untouched by the session.
    expect((await runner.send(new GetCallerIdentityCommand({}))).Arn).toBe(RUNNER_ARN);
  });

  it("applies the sim's IAM rules by the assumed role: only backup-admin's session may delete a snapshot", async () => {
    const { runner, as, clock, configs, sim } = await setup();
    sim.world.module<RdsModule>('rds').model.seedInstance({ identifier: 'orders-db', region: 'us-east-1', multiAZ: true });
    const rds = new RDSClient(configs.config(sim, 'us-east-1', SIM_RUNNER_KEY));
    await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders-db', DBSnapshotIdentifier: 'before-release' }));
    await clock.advance(60 * MINUTE);

    const intruder = await runner.send(new AssumeRoleCommand({ RoleArn: INTRUDER_ROLE, RoleSessionName: 'gameday-r1' }));
    const denied = await new RDSClient(as(intruder.Credentials)).send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'before-release' })).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(RDSServiceException);
    expect(denied).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    expect((denied as Error).message).toMatch(new RegExp(`^User: arn:aws:sts::${ACCOUNT}:assumed-role/intruder/gameday-r1 is not authorized to perform: rds:DeleteDBSnapshot`));

    const admin = await runner.send(new AssumeRoleCommand({ RoleArn: ADMIN_ROLE, RoleSessionName: 'gameday-r1' }));
    await new RDSClient(as(admin.Credentials)).send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'before-release' }));
    const { DBSnapshots } = await rds.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'manual' }));
    expect((DBSnapshots ?? []).filter((s) => s.Status !== 'deleting').map((s) => s.DBSnapshotIdentifier)).toEqual([]);
    expect(sim.world.audit.filter((r) => r.eventName === 'DeleteDBSnapshot').map((r) => [r.identity.role, r.errorCode ?? 'ok'])).toEqual([
      ['intruder', 'AccessDenied'],
      ['backup-admin', 'ok'],
    ]);
  });

  it('takes DurationSeconds from 900 to 43200 and refuses the rest with ValidationError', async () => {
    const { runner, clock } = await setup();
    const shortest = await runner.send(new AssumeRoleCommand({ RoleArn: ADMIN_ROLE, RoleSessionName: 'short', DurationSeconds: 900 }));
    expect(shortest.Credentials?.Expiration).toEqual(new Date(clock.now() + 900_000));
    const longest = await runner.send(new AssumeRoleCommand({ RoleArn: ADMIN_ROLE, RoleSessionName: 'long', DurationSeconds: 43_200 }));
    expect(longest.Credentials?.Expiration).toEqual(new Date(clock.now() + 43_200_000));
    const tooShort = await refusal(runner.send(new AssumeRoleCommand({ RoleArn: ADMIN_ROLE, RoleSessionName: 's1', DurationSeconds: 899 })));
    expect(tooShort).toMatchObject({
      name: 'ValidationError',
      $metadata: { httpStatusCode: 400 },
      message: "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    });
    const tooLong = await refusal(runner.send(new AssumeRoleCommand({ RoleArn: ADMIN_ROLE, RoleSessionName: 's1', DurationSeconds: 43_201 })));
    expect(tooLong.message).toMatch(/Member must have value less than or equal to 43200$/);
  });

  it('refuses a session name STS would not take, and a missing one, with every problem at once', async () => {
    const { runner } = await setup();
    const spaced = await refusal(runner.send(new AssumeRoleCommand({ RoleArn: ADMIN_ROLE, RoleSessionName: 'game day' })));
    expect(spaced).toMatchObject({ name: 'ValidationError', $metadata: { httpStatusCode: 400 } });
    expect(spaced.message).toBe("1 validation error detected: Value 'game day' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
    const long = await refusal(runner.send(new AssumeRoleCommand({ RoleArn: ADMIN_ROLE, RoleSessionName: 'x'.repeat(65) })));
    expect(long.message).toMatch(/at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64$/);
    const missing = await refusal(runner.send(new AssumeRoleCommand({ DurationSeconds: 100 } as AssumeRoleCommandInput)));
    expect(missing.message).toBe(
      '3 validation errors detected: ' +
        "Value null at 'roleArn' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null; " +
        "Value '100' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    );
  });

  it('denies a role that does not exist, or lives in another account, the way STS does; a malformed ARN is a ValidationError', async () => {
    const { runner, sim } = await setup();
    const ghost = `arn:aws:iam::${ACCOUNT}:role/auditor`;
    const unknown = await refusal(runner.send(new AssumeRoleCommand({ RoleArn: ghost, RoleSessionName: 'gameday-r1' })));
    expect(unknown).toMatchObject({
      name: 'AccessDenied',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
      message: `User: ${RUNNER_ARN} is not authorized to perform: sts:AssumeRole on resource: ${ghost}`,
    });
    const elsewhere = await refusal(runner.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::210987654321:role/backup-admin', RoleSessionName: 'gameday-r1' })));
    expect(elsewhere.name).toBe('AccessDenied');
    const malformed = await refusal(runner.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:user/backup-admin`, RoleSessionName: 'gameday-r1' })));
    expect(malformed).toMatchObject({ name: 'ValidationError', $metadata: { httpStatusCode: 400 } });
    expect(sim.world.events.filter((e) => e.kind === 'sts.role-assumed')).toEqual([]);
    expect(sim.world.audit.filter((r) => r.eventName === 'AssumeRole').map((r) => r.errorCode)).toEqual(['AccessDenied', 'AccessDenied', 'ValidationError']);
  });

  it('accepts and records an external ID', async () => {
    const { runner, sts, sim } = await setup();
    const { Credentials } = await runner.send(new AssumeRoleCommand({ RoleArn: INTRUDER_ROLE, RoleSessionName: 'gameday-r1', ExternalId: 'securecart-gameday' }));
    expect(sts.model.issuedSessions()).toMatchObject([{ accessKeyId: Credentials!.AccessKeyId, role: 'intruder', externalId: 'securecart-gameday' }]);
    expect(sim.world.events.find((e) => e.kind === 'sts.role-assumed')?.detail).toMatchObject({ externalId: 'securecart-gameday' });
    const tooShort = await refusal(runner.send(new AssumeRoleCommand({ RoleArn: INTRUDER_ROLE, RoleSessionName: 'gameday-r1', ExternalId: 'x' })));
    expect(tooShort.message).toMatch(/at 'externalId' failed to satisfy constraint: Member must have length greater than or equal to 2$/);
  });

  it('issues the same keys for the same seed and calls, and other keys for another seed', async () => {
    const keys = async (seed: number) => {
      const { runner } = await setup(seed);
      const out = [];
      for (const role of [ADMIN_ROLE, INTRUDER_ROLE]) out.push((await runner.send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 's1' }))).Credentials!.AccessKeyId);
      return out;
    };
    const first = await keys(42);
    expect(await keys(42)).toEqual(first);
    expect(await keys(7)).not.toEqual(first);
    expect(new Set(first).size).toBe(2);
  });
});

describe('a world without STS sessions', () => {
  it('keeps acting on the identities it was given: a key STS never issued is the runner', async () => {
    const clock = new VirtualClock({ start: START });
    const sim: Simulator = createSimulator({ clock, seed: 1, services: [createStsModule], identities: { AKIAINTRUDER00000001: 'intruder' } });
    expect(sim.world.identityOf('AKIAINTRUDER00000001').role).toBe('intruder');
    expect(sim.world.identityOf('ASIAAAAAAAAAAAAAAAAA')).toEqual({ accessKeyId: 'ASIAAAAAAAAAAAAAAAAA', role: 'gameday-runner', arn: RUNNER_ARN });
  });
});
