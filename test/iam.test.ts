import { CreateDBSnapshotCommand, DeleteDBSnapshotCommand, DescribeDBSnapshotsCommand, RDSClient, RDSServiceException } from '@aws-sdk/client-rds';
import { GetFindingsCommand, ListDetectorsCommand, ListFindingsCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { createSimulator, simClientConfig, type Simulator } from '../src/sim/index.js';
import { createGuardDutyModule } from '../src/sim/services/guardduty/index.js';
import { createIamModule, protectionRules, type IamModule, type ProtectionPolicy } from '../src/sim/services/iam/index.js';
import { createRdsModule, type RdsModule } from '../src/sim/services/rds/index.js';
import { createEc2Module } from '../src/sim/services/ec2/index.js';
import { DeleteSnapshotCommand, DescribeSnapshotsCommand, EC2Client, EC2ServiceException } from '@aws-sdk/client-ec2';
import { AwsError, type AuthorizationRequest, type ServiceModule, type SimRequest, type SimWorld } from '../src/sim/types.js';
import { MINUTE } from './support/time.js';
import { ACCOUNT, START } from './support/sim.js';

const INTRUDER = 'AKIAINTRUDER00000001';
const ADMIN = 'AKIABACKUPADMIN00001';
const INTRUDER_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/intruder/gameday`;
const SNAPSHOT_ARN = `arn:aws:rds:us-east-1:${ACCOUNT}:snapshot:orders-before-release`;

/** A stand-in for the S3 model's versioning answer, so DeleteBucket's rule can be checked without S3 itself. */
function bucketsWithVersioning(versioned: Record<string, 'Enabled' | 'Suspended'>): ServiceModule & { bucketVersioning(name: string): 'Enabled' | 'Suspended' | undefined } {
  return { name: 's3', bucketVersioning: (name) => versioned[name] };
}

async function setup(extra: ((world: SimWorld) => ServiceModule)[] = [], policy?: ProtectionPolicy) {
  const clock = new VirtualClock({ start: START });
  const sim = createSimulator({
    clock,
    seed: 42,
    services: [createRdsModule],
    identities: { [INTRUDER]: 'intruder', [ADMIN]: 'backup-admin' },
  });
  const guardduty = sim.world.register(createGuardDutyModule(sim.world));
  const iam = sim.world.register(createIamModule(sim.world, policy ? { policy } : {}));
  for (const create of extra) sim.world.register(create(sim.world));
  sim.world.module<RdsModule>('rds').model.seedInstance({ identifier: 'orders-db', region: 'us-east-1', multiAZ: true });
  const rds = (key?: string) => new RDSClient(simClientConfig(sim, 'us-east-1', key));
  await rds().send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders-db', DBSnapshotIdentifier: 'orders-before-release' }));
  await clock.advance(60 * MINUTE);
  return { clock, sim, iam, guardduty, rds, gd: new GuardDutyClient(simClientConfig(sim, 'us-east-1')) };
}

async function snapshotIds(rds: RDSClient): Promise<string[]> {
  const out = await rds.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'manual' }));
  return (out.DBSnapshots ?? []).map((s) => s.DBSnapshotIdentifier ?? '');
}

describe('the sim IAM: deleting backups needs backup-admin', () => {
  it('lets anyone delete a snapshot carrying the exempt tag its builder names, and only then (the sim knows no tag of its own)', async () => {
    const tagged = 'made-by-a-game-day';
    const deleteTagged = async (policy: ProtectionPolicy | undefined) => {
      const { rds, clock } = await setup([], policy);
      await rds().send(
        new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders-db', DBSnapshotIdentifier: tagged, Tags: [{ Key: 'gameday:run-id', Value: 'run-1' }] }),
      );
      await clock.advance(60 * MINUTE);
      const error = await rds(INTRUDER)
        .send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: tagged }))
        .then(() => undefined, (e: unknown) => (e as Error).name);
      return { error, left: (await snapshotIds(rds())).includes(tagged) };
    };
    expect(await deleteTagged({ exemptTag: 'gameday:run-id' })).toEqual({ error: undefined, left: false });
    expect(await deleteTagged({ exemptTag: 'another-tag' })).toEqual({ error: 'AccessDenied', left: true });
    expect(await deleteTagged(undefined)).toEqual({ error: 'AccessDenied', left: true });
  });

  it('refuses an intruder DeleteDBSnapshot with RDS AccessDenied and IAM wording, and keeps the snapshot', async () => {
    const { rds, sim, iam } = await setup();
    const error = await rds(INTRUDER)
      .send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'orders-before-release' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RDSServiceException);
    expect(error).toMatchObject({
      name: 'AccessDenied',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
      message:
        `User: ${INTRUDER_ARN} is not authorized to perform: rds:DeleteDBSnapshot on resource: ${SNAPSHOT_ARN} ` +
        'because no identity-based policy allows the rds:DeleteDBSnapshot action',
    });
    expect(await snapshotIds(rds())).toEqual(['orders-before-release']);

    const refused = sim.world.audit.filter((r) => r.eventName === 'DeleteDBSnapshot');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ errorCode: 'AccessDenied', identity: { role: 'intruder' }, eventSource: 'rds.amazonaws.com' });
    expect(iam.denials()).toHaveLength(1);
    expect(iam.denialOf(refused[0]!.requestId)?.target.resources).toEqual([{ type: 'AWS::RDS::DBSnapshot', name: 'orders-before-release' }]);
    expect(sim.world.events.find((e) => e.kind === 'iam.access-denied')?.detail).toMatchObject({
      role: 'intruder',
      action: 'rds:DeleteDBSnapshot',
      resource: SNAPSHOT_ARN,
    });
  });

  it('raises a GuardDuty finding for the refusal, listed and fetched through the GuardDuty API', async () => {
    const { rds, gd, clock, guardduty } = await setup();
    await rds(INTRUDER).send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: SNAPSHOT_ARN })).catch(() => undefined);

    const [detectorId] = (await gd.send(new ListDetectorsCommand({}))).DetectorIds ?? [];
    expect(detectorId).toMatch(/^[0-9a-f]{32}$/);
    const ids = (await gd.send(new ListFindingsCommand({ DetectorId: detectorId, FindingCriteria: { Criterion: { type: { Eq: ['Impact:IAMUser/AnomalousBehavior'] } } } })))
      .FindingIds;
    expect(ids).toHaveLength(1);
    const [finding] = (await gd.send(new GetFindingsCommand({ DetectorId: detectorId, FindingIds: ids }))).Findings ?? [];
    expect(finding).toMatchObject({
      AccountId: ACCOUNT,
      Region: 'us-east-1',
      Type: 'Impact:IAMUser/AnomalousBehavior',
      Severity: 8,
      CreatedAt: new Date(clock.now()).toISOString(),
      Resource: { ResourceType: 'AccessKey', AccessKeyDetails: { AccessKeyId: INTRUDER, UserName: 'intruder', UserType: 'AssumedRole' } },
      Service: {
        Count: 1,
        Archived: false,
        DetectorId: detectorId,
        Action: {
          ActionType: 'AWS_API_CALL',
          AwsApiCallAction: {
            Api: 'DeleteDBSnapshot',
            ServiceName: 'rds.amazonaws.com',
            ErrorCode: 'AccessDenied',
            AffectedResources: { 'AWS::RDS::DBSnapshot': SNAPSHOT_ARN },
          },
        },
      },
    });
    expect(finding?.Description).toContain(INTRUDER_ARN);
    expect(finding?.Description).toContain(SNAPSHOT_ARN);
    expect(finding?.Arn).toBe(`arn:aws:guardduty:us-east-1:${ACCOUNT}:detector/${detectorId}/finding/${finding?.Id}`);
    expect(guardduty.findings('us-east-1').map((f) => f.id)).toEqual(ids);
    expect(guardduty.findings('us-west-2')).toEqual([]);
  });

  it('lets backup-admin delete the snapshot, and raises nothing', async () => {
    const { rds, guardduty, iam } = await setup();
    const out = await rds(ADMIN).send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'orders-before-release' }));
    expect(out.DBSnapshot?.DBSnapshotIdentifier).toBe('orders-before-release');
    expect(await snapshotIds(rds())).toEqual([]);
    expect(iam.denials()).toEqual([]);
    expect(guardduty.findings()).toEqual([]);
  });

  it('refuses the game-day runner too: only backup-admin may delete backups', async () => {
    const { rds } = await setup();
    const error = await rds().send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'orders-before-release' })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AccessDenied', message: expect.stringContaining('assumed-role/gameday-runner/gameday') });
  });

  it('leaves other RDS calls alone, and lets validation answer a request that names no snapshot', async () => {
    const { rds, iam } = await setup();
    expect(await snapshotIds(rds(INTRUDER))).toEqual(['orders-before-release']);
    const missing = await rds(INTRUDER).send(new DeleteDBSnapshotCommand({} as never)).catch((e: unknown) => e);
    expect(missing).toMatchObject({ name: 'MissingParameter' });
    expect(iam.denials()).toEqual([]);
  });
});

describe('the sim IAM over EC2', () => {
  it('refuses an intruder DeleteSnapshot with UnauthorizedOperation, and lets backup-admin delete it', async () => {
    const { sim, guardduty } = await setup([createEc2Module]);
    const model = sim.world.module<ReturnType<typeof createEc2Module>>('ec2').model;
    model.seedVolume({ id: 'vol-00000000000000001', region: 'us-east-1', sizeGiB: 20 });
    const snapshot = model.seedSnapshot({ region: 'us-east-1', volumeId: 'vol-00000000000000001', startedAt: START - 60 * MINUTE });
    const ec2 = (key: string) => new EC2Client(simClientConfig(sim, 'us-east-1', key));

    const error = await ec2(INTRUDER).send(new DeleteSnapshotCommand({ SnapshotId: snapshot.id })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EC2ServiceException);
    expect(error).toMatchObject({
      name: 'UnauthorizedOperation',
      $metadata: { httpStatusCode: 403 },
      message: expect.stringContaining(`is not authorized to perform: ec2:DeleteSnapshot on resource: arn:aws:ec2:us-east-1::snapshot/${snapshot.id}`),
    });
    expect(guardduty.findings()[0]).toMatchObject({ apiCall: { api: 'DeleteSnapshot', serviceName: 'ec2.amazonaws.com', errorCode: 'UnauthorizedOperation' } });

    await ec2(ADMIN).send(new DeleteSnapshotCommand({ SnapshotId: snapshot.id }));
    const left = await ec2(ADMIN).send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
    expect((left.Snapshots ?? []).map((s) => s.SnapshotId)).not.toContain(snapshot.id);
  });
});

// ---- the other rows, through authorize() directly ----------------------------

function call(sim: Simulator, service: string, operation: string, request: Partial<SimRequest>, accessKeyId = INTRUDER, region = 'us-east-1'): AuthorizationRequest {
  return {
    service,
    operation,
    request: { method: 'POST', path: '/', query: {}, headers: {}, body: new Uint8Array(), ...request },
    ctx: { region, accountId: ACCOUNT, identity: sim.world.identityOf(accessKeyId), requestId: `req-${operation}`, world: sim.world },
  };
}

const form = (params: Record<string, string>) => Buffer.from(new URLSearchParams(params).toString());
const json = (body: unknown) => Buffer.from(JSON.stringify(body));

describe('the IAM rule table', () => {
  it('has one row per protected operation', () => {
    const keys = protectionRules.map((r) => `${r.service}:${r.operation}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(
      expect.arrayContaining([
        'rds:DeleteDBSnapshot',
        'rds:DeleteDBClusterSnapshot',
        'ec2:DeleteSnapshot',
        'dynamodb:DeleteBackup',
        'backup:DeleteRecoveryPoint',
        's3:DeleteObject',
        's3:DeleteObjects',
        's3:DeleteBucket',
      ]),
    );
  });

  const cases: { name: string; service: string; operation: string; request: Partial<SimRequest>; code: string; status: number; action: string; resource: string }[] = [
    {
      name: 'RDS DeleteDBClusterSnapshot',
      service: 'rds',
      operation: 'DeleteDBClusterSnapshot',
      request: { body: form({ Action: 'DeleteDBClusterSnapshot', Version: '2014-10-31', DBClusterSnapshotIdentifier: 'orders-cluster-snap' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      code: 'AccessDenied',
      status: 403,
      action: 'rds:DeleteDBClusterSnapshot',
      resource: `arn:aws:rds:us-east-1:${ACCOUNT}:cluster-snapshot:orders-cluster-snap`,
    },
    {
      name: 'EC2 DeleteSnapshot',
      service: 'ec2',
      operation: 'DeleteSnapshot',
      request: { body: form({ Action: 'DeleteSnapshot', Version: '2016-11-15', SnapshotId: 'snap-0123456789abcdef0' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      code: 'UnauthorizedOperation',
      status: 403,
      action: 'ec2:DeleteSnapshot',
      resource: 'arn:aws:ec2:us-east-1::snapshot/snap-0123456789abcdef0',
    },
    {
      name: 'DynamoDB DeleteBackup',
      service: 'dynamodb',
      operation: 'DeleteBackup',
      request: { body: json({ BackupArn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/order-history/backup/01767603600000-abcdefgh` }) },
      code: 'AccessDeniedException',
      status: 400,
      action: 'dynamodb:DeleteBackup',
      resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/order-history/backup/01767603600000-abcdefgh`,
    },
    {
      name: 'Backup DeleteRecoveryPoint',
      service: 'backup',
      operation: 'DeleteRecoveryPoint',
      request: {
        method: 'DELETE',
        path: `/backup-vaults/securecart-vault/recovery-points/${encodeURIComponent(`arn:aws:rds:us-east-1:${ACCOUNT}:snapshot:awsbackup:job-1234`)}`,
      },
      code: 'AccessDeniedException',
      status: 403,
      action: 'backup:DeleteRecoveryPoint',
      resource: `arn:aws:rds:us-east-1:${ACCOUNT}:snapshot:awsbackup:job-1234`,
    },
    {
      name: 'S3 DeleteObject of a version (virtual-hosted)',
      service: 's3',
      operation: 'DeleteObject',
      request: { method: 'DELETE', path: '/2026/01/inv%2042.pdf', query: { versionId: '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY' }, headers: { host: 'invoices.s3.us-east-1.amazonaws.com' } },
      code: 'AccessDenied',
      status: 403,
      action: 's3:DeleteObjectVersion',
      resource: 'arn:aws:s3:::invoices/2026/01/inv 42.pdf',
    },
    {
      name: 'S3 DeleteObject of a version (path-style)',
      service: 's3',
      operation: 'DeleteObject',
      request: { method: 'DELETE', path: '/logs/app.log', query: { 'x-id': 'DeleteObject', versionId: 'v1' }, headers: { host: '127.0.0.1:4566' } },
      code: 'AccessDenied',
      status: 403,
      action: 's3:DeleteObjectVersion',
      resource: 'arn:aws:s3:::logs/app.log',
    },
    {
      name: 'S3 DeleteObjects naming versions',
      service: 's3',
      operation: 'DeleteObjects',
      request: {
        path: '/',
        query: { delete: '' },
        headers: { host: 'invoices.s3.us-east-1.amazonaws.com' },
        body: Buffer.from(
          '<?xml version="1.0" encoding="UTF-8"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>a.pdf</Key></Object><Object><Key>0001</Key><VersionId>123</VersionId></Object></Delete>',
        ),
      },
      code: 'AccessDenied',
      status: 403,
      action: 's3:DeleteObjectVersion',
      resource: 'arn:aws:s3:::invoices/0001',
    },
    {
      name: 'S3 DeleteBucket of a versioned bucket',
      service: 's3',
      operation: 'DeleteBucket',
      request: { method: 'DELETE', path: '/', headers: { host: 'invoices.s3.us-east-1.amazonaws.com' } },
      code: 'AccessDenied',
      status: 403,
      action: 's3:DeleteBucket',
      resource: 'arn:aws:s3:::invoices',
    },
  ];

  it.each(cases)('refuses $name in the service’s own error shape, and lets backup-admin through', async ({ service, operation, request, code, status, action, resource }) => {
    const { sim, iam, guardduty } = await setup([() => bucketsWithVersioning({ invoices: 'Enabled' })]);
    const denied = iam.authorize(call(sim, service, operation, request));
    expect(denied).toBeInstanceOf(AwsError);
    expect(denied).toMatchObject({ code, statusCode: status });
    expect(denied?.message).toContain(`User: ${INTRUDER_ARN} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`);
    expect(guardduty.findings()).toHaveLength(1);
    expect(guardduty.findings()[0]).toMatchObject({ resourceArn: resource, apiCall: { api: operation, errorCode: code, serviceName: `${service}.amazonaws.com` } });
    expect(iam.authorize(call(sim, service, operation, request, ADMIN))).toBeUndefined();
  });

  it('lets through what deletes no backup: DeleteObject without a version, DeleteObjects without versions, an unversioned bucket', async () => {
    const { sim, iam } = await setup([() => bucketsWithVersioning({ invoices: 'Suspended' })]);
    const host = { host: 'scratch.s3.us-east-1.amazonaws.com' };
    expect(iam.authorize(call(sim, 's3', 'DeleteObject', { method: 'DELETE', path: '/a.txt', headers: host }))).toBeUndefined();
    const plain = Buffer.from('<Delete><Object><Key>a.txt</Key></Object></Delete>');
    expect(iam.authorize(call(sim, 's3', 'DeleteObjects', { path: '/', query: { delete: '' }, headers: host, body: plain }))).toBeUndefined();
    expect(iam.authorize(call(sim, 's3', 'DeleteBucket', { method: 'DELETE', path: '/', headers: host }))).toBeUndefined();
    // A suspended bucket still holds its versions.
    expect(iam.authorize(call(sim, 's3', 'DeleteBucket', { method: 'DELETE', path: '/', headers: { host: 'invoices.s3.us-east-1.amazonaws.com' } }))).toMatchObject({ code: 'AccessDenied' });
    expect(iam.authorize(call(sim, 'rds', 'DescribeDBSnapshots', {}))).toBeUndefined();
    expect(iam.authorize(call(sim, 's3', 'DeleteObjects', { path: '/', query: { delete: '' }, headers: host, body: Buffer.from('<Delete><not xml') }))).toBeUndefined();
  });

  it('aggregates a repeated refusal into one finding and keeps distinct resources apart', async () => {
    const { sim, iam, guardduty, clock } = await setup();
    const snap = (id: string) => call(sim, 'ec2', 'DeleteSnapshot', { body: form({ Action: 'DeleteSnapshot', SnapshotId: id }) });
    iam.authorize(snap('snap-0000000000000000a'));
    await clock.advance(5 * MINUTE);
    iam.authorize(snap('snap-0000000000000000a'));
    iam.authorize(snap('snap-0000000000000000b'));
    const findings = guardduty.findings();
    expect(findings.map((f) => [f.resourceArn.slice(-1), f.count])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    expect(findings[0]!.updatedAt - findings[0]!.createdAt).toBe(5 * MINUTE);
    expect(iam.denials()).toHaveLength(3);
  });

  it('raises no finding where no GuardDuty module is registered, but still refuses', () => {
    const clock = new VirtualClock({ start: START });
    const sim = createSimulator({ clock, seed: 1, services: [], identities: { [INTRUDER]: 'intruder' } });
    const iam: IamModule = sim.world.register(createIamModule(sim.world));
    expect(iam.authorize(call(sim, 'ec2', 'DeleteSnapshot', { body: form({ SnapshotId: 'snap-1' }) }))).toMatchObject({ code: 'UnauthorizedOperation' });
    expect(sim.world.modules().some((m) => m.name === 'guardduty')).toBe(false);
  });
});

