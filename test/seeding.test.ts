import {
  BackupClient,
  GetBackupPlanCommand,
  GetBackupSelectionCommand,
  ListBackupPlansCommand,
  ListBackupSelectionsCommand,
  ListRecoveryPointsByBackupVaultCommand,
} from '@aws-sdk/client-backup';
import { DescribeContinuousBackupsCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateExperimentTemplateCommand, FisClient, GetExperimentCommand, StartExperimentCommand } from '@aws-sdk/client-fis';
import {
  GetHealthCheckCommand,
  GetHealthCheckStatusCommand,
  ListHostedZonesByNameCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  TestDNSAnswerCommand,
} from '@aws-sdk/client-route-53';
import {
  GetBucketReplicationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  PutBucketVersioningCommand,
  DeleteBucketReplicationCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSimulator, requireSimEnvironment, seedItems, seedObjects, SIM_START } from '../src/aws/sim-target.js';
import { VirtualClock } from '../src/clock/index.js';
import { loadEnvironment, resolveAlias, resolveFault, type SimEnvironment } from '../src/env/index.js';
import type { AppModule } from '../src/sim/app/index.js';
import { simClientConfig, type Simulator } from '../src/sim/index.js';
import type { BackupModule } from '../src/sim/services/backup/index.js';
import type { Route53Module } from '../src/sim/services/route53/index.js';
import type { S3Module } from '../src/sim/services/s3/index.js';
import { MINUTE, SECOND } from './support/time.js';
import { ACCOUNT } from './support/sim.js';

/**
 * The shipped securecart.yaml, seeded into the simulator, seen through the
 * real SDK clients: every resource the file declares is there at t = 0 in
 * its steady state (DESIGN §6, Seeding).
 */

let env: SimEnvironment;
beforeAll(async () => {
  env = requireSimEnvironment(await loadEnvironment('scenarios/environments/securecart.yaml'));
});

function secureCart(seed = 42): { clock: VirtualClock; sim: Simulator } {
  const clock = new VirtualClock({ start: SIM_START });
  return { clock, sim: buildSimulator({ clock, seed, env }) };
}

describe('seeding securecart.yaml', () => {
  it('order-history: a global table ACTIVE in us-east-1 and us-west-2, PITR on, on-demand, with its 200 items in both replicas', async () => {
    const { sim } = secureCart();
    const table = resolveAlias(env, 'order-history', ['dynamodb-table']);
    for (const [region, other] of [
      ['us-east-1', 'us-west-2'],
      ['us-west-2', 'us-east-1'],
    ] as const) {
      const dynamodb = new DynamoDBClient(simClientConfig(sim, region));
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: table.identifier }));
      expect(Table).toMatchObject({
        TableName: 'securecart-order-history',
        TableStatus: 'ACTIVE',
        KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'orderId', AttributeType: 'S' }],
        BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
        GlobalTableVersion: '2019.11.21',
        ItemCount: 200,
      });
      expect(Table?.Replicas?.map((r) => [r.RegionName, r.ReplicaStatus])).toContainEqual([other, 'ACTIVE']);
      expect(Table?.Replicas?.every((r) => r.ReplicaStatus === 'ACTIVE')).toBe(true);

      const { ContinuousBackupsDescription } = await dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: table.identifier }));
      expect(ContinuousBackupsDescription?.ContinuousBackupsStatus).toBe('ENABLED');
      expect(ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus).toBe('ENABLED');

      const { Item } = await dynamodb.send(new GetItemCommand({ TableName: table.identifier, Key: { orderId: { S: 'order-history-000200' } } }));
      expect(Item).toEqual({ orderId: { S: 'order-history-000200' }, seq: { N: '200' }, seededFrom: { S: 'order-history' } });
      const { Count } = await dynamodb.send(new ScanCommand({ TableName: table.identifier, Select: 'COUNT' }));
      expect(Count).toBe(200);
    }
  });

  it('invoices and logs: versioned, tagged critical, replicating with RTC to versioned buckets in us-west-2; invoices already replicated', async () => {
    const { sim } = secureCart();
    const east = new S3Client(simClientConfig(sim, 'us-east-1'));
    const west = new S3Client(simClientConfig(sim, 'us-west-2'));
    for (const [alias, destination] of [
      ['invoices', 'securecart-invoices-dr'],
      ['logs', 'securecart-logs-dr'],
    ] as const) {
      const bucket = resolveAlias(env, alias, ['s3-bucket']);
      expect((await east.send(new GetBucketVersioningCommand({ Bucket: bucket.identifier }))).Status).toBe('Enabled');
      expect((await west.send(new GetBucketVersioningCommand({ Bucket: destination }))).Status).toBe('Enabled');
      const { TagSet } = await east.send(new GetBucketTaggingCommand({ Bucket: bucket.identifier }));
      expect(TagSet).toContainEqual({ Key: 'critical', Value: 'true' });

      const { ReplicationConfiguration } = await east.send(new GetBucketReplicationCommand({ Bucket: bucket.identifier }));
      expect(ReplicationConfiguration?.Rules).toHaveLength(1);
      expect(ReplicationConfiguration?.Rules?.[0]).toMatchObject({
        Status: 'Enabled',
        Destination: {
          Bucket: `arn:aws:s3:::${destination}`,
          ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
          Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
        },
        DeleteMarkerReplication: { Status: 'Disabled' },
      });
    }

    // 300 invoices at t = 0, each already in the DR bucket as a replica of the same version.
    const listed = await east.send(new ListObjectsV2Command({ Bucket: 'securecart-invoices', MaxKeys: 1000 }));
    expect(listed.KeyCount).toBe(300);
    expect(listed.Contents?.[0]?.Key).toBe('invoices/000001.json');
    expect((await west.send(new ListObjectsV2Command({ Bucket: 'securecart-invoices-dr', MaxKeys: 1000 }))).KeyCount).toBe(300);
    const source = await east.send(new HeadObjectCommand({ Bucket: 'securecart-invoices', Key: 'invoices/000042.json' }));
    const replica = await west.send(new HeadObjectCommand({ Bucket: 'securecart-invoices-dr', Key: 'invoices/000042.json' }));
    expect(source).toMatchObject({ ReplicationStatus: 'COMPLETED', ContentType: 'application/json' });
    expect(replica).toMatchObject({ ReplicationStatus: 'REPLICA', VersionId: source.VersionId, ETag: source.ETag });
    expect((await east.send(new ListObjectsV2Command({ Bucket: 'securecart-logs' }))).KeyCount).toBe(0);
  });

  it('a new invoice replicates to us-west-2 well within the RTC bound', async () => {
    const { clock, sim } = secureCart();
    const east = new S3Client(simClientConfig(sim, 'us-east-1'));
    const west = new S3Client(simClientConfig(sim, 'us-west-2'));
    const put = await east.send(new PutObjectCommand({ Bucket: 'securecart-invoices', Key: 'invoices/new.pdf', Body: 'invoice' }));
    await clock.advance(15 * MINUTE);
    const replica = await west.send(new HeadObjectCommand({ Bucket: 'securecart-invoices-dr', Key: 'invoices/new.pdf' }));
    expect(replica).toMatchObject({ ReplicationStatus: 'REPLICA', VersionId: put.VersionId });
  });

  it('backend-volume: an available gp3 volume of 100 GiB in us-east-1a', async () => {
    const { sim } = secureCart();
    const volume = resolveAlias(env, 'backend-volume', ['ebs-volume']);
    const ec2 = new EC2Client(simClientConfig(sim, 'us-east-1'));
    const { Volumes } = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [volume.identifier] }));
    expect(Volumes).toHaveLength(1);
    expect(Volumes?.[0]).toMatchObject({
      VolumeId: 'vol-0e1a000000000b001',
      State: 'available',
      Size: 100,
      VolumeType: 'gp3',
      AvailabilityZone: 'us-east-1a',
    });
    expect(Volumes?.[0]?.Tags).toContainEqual({ Key: 'backup', Value: 'daily' });
  });

  it('securecart-daily: a daily rule with 7-day retention and a copy to us-west-2, selecting by tag; a week of EBS recovery points in both vaults', async () => {
    const { sim } = secureCart();
    const backup = new BackupClient(simClientConfig(sim, 'us-east-1'));
    const { BackupPlansList } = await backup.send(new ListBackupPlansCommand({}));
    expect(BackupPlansList?.map((p) => p.BackupPlanName)).toEqual(['securecart-daily']);
    const planId = BackupPlansList![0]!.BackupPlanId!;

    const { BackupPlan } = await backup.send(new GetBackupPlanCommand({ BackupPlanId: planId }));
    expect(BackupPlan?.Rules).toHaveLength(1);
    expect(BackupPlan?.Rules?.[0]).toMatchObject({
      RuleName: 'daily',
      TargetBackupVaultName: 'securecart-vault',
      ScheduleExpression: 'cron(0 5 ? * * *)',
      Lifecycle: { DeleteAfterDays: 7 },
      CopyActions: [{ DestinationBackupVaultArn: `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:securecart-vault-dr` }],
    });

    const { BackupSelectionsList } = await backup.send(new ListBackupSelectionsCommand({ BackupPlanId: planId }));
    expect(BackupSelectionsList).toHaveLength(1);
    const { BackupSelection } = await backup.send(
      new GetBackupSelectionCommand({ BackupPlanId: planId, SelectionId: BackupSelectionsList![0]!.SelectionId! }),
    );
    expect(BackupSelection?.ListOfTags).toEqual([{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'daily' }]);

    // Ground truth: the tag selects orders-db, order-history and backend-volume, and nothing else.
    const model = sim.world.module<BackupModule>('backup').model;
    const plan = model.plan('us-east-1', planId);
    expect(model.selectedResources(plan).map((r) => r.arn).sort()).toEqual(
      [
        `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/securecart-order-history`,
        `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-0e1a000000000b001`,
        `arn:aws:rds:us-east-1:${ACCOUNT}:db:securecart-orders`,
      ].sort(),
    );

    // The daily runs of the last week left recovery points of the volume, and their copies in the DR vault.
    const points = async (region: string, vault: string) =>
      (await new BackupClient(simClientConfig(sim, region)).send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: vault }))).RecoveryPoints ?? [];
    const primary = (await points('us-east-1', 'securecart-vault')).filter((p) => p.ResourceType === 'EBS');
    const copies = (await points('us-west-2', 'securecart-vault-dr')).filter((p) => p.ResourceType === 'EBS');
    expect(primary).toHaveLength(7);
    expect(copies).toHaveLength(7);
    expect(primary.every((p) => p.Status === 'COMPLETED' && p.Lifecycle?.DeleteAfterDays === 7)).toBe(true);
    expect(copies.every((p) => p.SourceBackupVaultArn === `arn:aws:backup:us-east-1:${ACCOUNT}:backup-vault:securecart-vault`)).toBe(true);
    const newest = Math.max(...primary.map((p) => p.CreationDate!.getTime()));
    // 05:00 UTC today: the game day starts at 09:00.
    expect(newest).toBe(Date.UTC(2026, 0, 5, 5, 0, 0));
  });

  it('api.securecart.example: a PRIMARY record for us-east-1 and a SECONDARY for us-west-2, each with an HTTPS health check of its region', async () => {
    const { clock, sim } = secureCart();
    const route53 = new Route53Client(simClientConfig(sim, 'us-east-1'));
    const app = sim.world.module<AppModule>('app');
    const { HostedZones } = await route53.send(new ListHostedZonesByNameCommand({ DNSName: 'securecart.example' }));
    expect(HostedZones?.[0]?.Name).toBe('securecart.example.');
    const zoneId = HostedZones![0]!.Id!;

    const { ResourceRecordSets } = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
    const failover = (ResourceRecordSets ?? []).filter((r) => r.Name === 'api.securecart.example.');
    expect(failover.map((r) => [r.Type, r.Failover, r.SetIdentifier, r.TTL, r.ResourceRecords?.map((v) => v.Value)])).toEqual([
      ['A', 'PRIMARY', 'us-east-1', 60, [app.service('us-east-1', 'orders-api').ipAddress]],
      ['A', 'SECONDARY', 'us-west-2', 60, [app.service('us-west-2').ipAddress]],
    ]);

    const checks = [];
    for (const [record, region] of [
      [failover[0]!, 'us-east-1'],
      [failover[1]!, 'us-west-2'],
    ] as const) {
      const { HealthCheck } = await route53.send(new GetHealthCheckCommand({ HealthCheckId: record.HealthCheckId }));
      // The checkers connect to the public address and name the internal endpoint as Host.
      expect(HealthCheck?.HealthCheckConfig).toMatchObject({
        Type: 'HTTPS',
        IPAddress: app.service(region, 'orders-api').ipAddress,
        FullyQualifiedDomainName: `orders.${region}.securecart.internal`,
        ResourcePath: '/health',
        Port: 443,
        RequestInterval: 30,
        FailureThreshold: 3,
      });
      checks.push(HealthCheck!.Id!);
    }

    // Steady state: each check already says what its endpoint answers. The
    // pilot light in us-west-2 runs no instances, so its check is unhealthy
    // from t = 0 (not ~90 s in, as a freshly created check would be), and DNS
    // answers with the primary.
    const route53Model = sim.world.module<Route53Module>('route53').model;
    expect(app.healthOf('us-west-2')).toMatchObject({ healthy: false, reason: 'no-capacity' });
    expect(checks.map((id) => route53Model.healthChecks.isHealthy(id))).toEqual([true, false]);
    const answer = await route53.send(new TestDNSAnswerCommand({ HostedZoneId: zoneId, RecordName: 'api.securecart.example', RecordType: 'A' }));
    expect(answer.RecordData).toEqual([app.service('us-east-1', 'orders-api').ipAddress]);

    // Every checker that has looked at us-east-1 got its 200.
    await clock.advance(2 * MINUTE);
    const { HealthCheckObservations } = await route53.send(new GetHealthCheckStatusCommand({ HealthCheckId: checks[0] }));
    expect(HealthCheckObservations?.length).toBeGreaterThan(0);
    expect(HealthCheckObservations?.every((o) => o.StatusReport?.Status?.startsWith('Success: HTTP Status Code 200'))).toBe(true);
    // Nothing changed in those two minutes, and the check of us-west-2 never flipped.
    expect(route53Model.healthChecks.isHealthy(checks[1]!)).toBe(false);
    expect(route53Model.healthChecks.observations(checks[1]!).every((o) => o.status.startsWith('Failure'))).toBe(true);
    expect(route53Model.healthChecks.isHealthy(checks[0]!)).toBe(true);
    // The pilot light in us-west-2 runs no instances, so its health check fails until the standby is scaled up.
    const west = await route53.send(new GetHealthCheckStatusCommand({ HealthCheckId: checks[1] }));
    expect(west.HealthCheckObservations?.every((o) => o.StatusReport?.Status?.startsWith('Failure: HTTP Status Code 503'))).toBe(true);
    expect(route53Model.healthChecks.isHealthy(checks[1]!)).toBe(false);
  });

  it('the orders API answers 200 from us-east-1 through DNS, and us-west-2 stands by without capacity on the replica', async () => {
    const { clock, sim } = secureCart();
    const app = sim.world.module<AppModule>('app');
    const client = app.createClient('seeding-probe');
    const response = await clock.run('seeding-probe', () => app.request(client, { method: 'GET', url: 'https://api.securecart.example/health' }));
    expect(response).toMatchObject({
      status: 200,
      servedBy: 'us-east-1',
      body: { status: 'healthy', service: 'orders-api', database: { engine: 'rds', region: 'us-east-1', id: 'securecart-orders' } },
      resolved: { host: 'api.securecart.example', address: app.service('us-east-1', 'orders-api').ipAddress },
    });
    expect(app.service('us-east-1', 'orders-api').capacity).toEqual({ running: 6, desired: 6, full: 6 });
    expect(app.service('us-west-2')).toMatchObject({
      endpoint: 'orders.us-west-2.securecart.internal',
      database: { engine: 'rds', region: 'us-west-2', id: 'securecart-orders-replica' },
      capacity: { running: 0, desired: 0, full: 6 },
    });
    expect(app.healthOf('us-west-2')).toMatchObject({ healthy: false, reason: 'no-capacity' });
  });

  it('pause-global-table-replication and pause-invoice-replication start experiments that find their targets', async () => {
    const { clock, sim } = secureCart();
    for (const name of ['pause-global-table-replication', 'pause-invoice-replication']) {
      const fault = resolveFault(env, name);
      const fis = new FisClient(simClientConfig(sim, fault.region));
      const { experimentTemplate } = await fis.send(new CreateExperimentTemplateCommand({ clientToken: name, ...fault.template }));
      const { experiment } = await fis.send(new StartExperimentCommand({ experimentTemplateId: experimentTemplate!.id }));
      await clock.advance(30 * SECOND);
      const running = (await fis.send(new GetExperimentCommand({ id: experiment!.id }))).experiment!;
      expect(running.state?.status).toBe('running');
      expect(Object.values(running.actions ?? {}).map((a) => a.state?.status)).toEqual(['running']);
    }
    // The invoices pause holds new versions at the source; the table pause holds new orders in us-east-1.
    const east = new S3Client(simClientConfig(sim, 'us-east-1'));
    await east.send(new PutObjectCommand({ Bucket: 'securecart-invoices', Key: 'invoices/held.pdf', Body: 'held' }));
    const history = new DynamoDBClient(simClientConfig(sim, 'us-east-1'));
    await history.send(new PutItemCommand({ TableName: 'securecart-order-history', Item: { orderId: { S: 'held-order' } } }));
    await clock.advance(5 * MINUTE);
    expect((await east.send(new HeadObjectCommand({ Bucket: 'securecart-invoices', Key: 'invoices/held.pdf' }))).ReplicationStatus).toBe('PENDING');
    expect(sim.world.module<S3Module>('s3').model.replicationBacklog('securecart-invoices').map((t) => t.key)).toEqual(['invoices/held.pdf']);
    const westHistory = new DynamoDBClient(simClientConfig(sim, 'us-west-2'));
    const held = await westHistory.send(new GetItemCommand({ TableName: 'securecart-order-history', Key: { orderId: { S: 'held-order' } } }));
    expect(held.Item).toBeUndefined();
  });

  it('a bucket\'s seeded contents are facts of t = 0, whenever they are first looked at and whatever was reconfigured first', async () => {
    const { clock, sim } = secureCart();
    const east = new S3Client(simClientConfig(sim, 'us-east-1'));
    const west = new S3Client(simClientConfig(sim, 'us-west-2'));
    // A day in, replication is removed and versioning suspended before anyone has read a seeded object.
    await clock.advance(24 * 60 * MINUTE);
    await east.send(new DeleteBucketReplicationCommand({ Bucket: 'securecart-invoices' }));
    await east.send(new PutBucketVersioningCommand({ Bucket: 'securecart-invoices', VersioningConfiguration: { Status: 'Suspended' } }));
    const head = await east.send(new HeadObjectCommand({ Bucket: 'securecart-invoices', Key: 'invoices/000007.json' }));
    expect(head.LastModified?.getTime()).toBe(SIM_START);
    // Written while versioning was on: a real version id, and replicated at t = 0.
    expect(head.VersionId).toMatch(/^[A-Za-z0-9._]{32}$/);
    expect(head.ReplicationStatus).toBe('COMPLETED');
    const replica = await west.send(new HeadObjectCommand({ Bucket: 'securecart-invoices-dr', Key: 'invoices/000007.json' }));
    expect(replica).toMatchObject({ VersionId: head.VersionId, ReplicationStatus: 'REPLICA' });
    expect(replica.LastModified?.getTime()).toBe(SIM_START);
    // The same version ids as a simulator whose contents were read at once.
    const eager = secureCart().sim;
    const now = await new S3Client(simClientConfig(eager, 'us-east-1')).send(new HeadObjectCommand({ Bucket: 'securecart-invoices', Key: 'invoices/000007.json' }));
    expect(now.VersionId).toBe(head.VersionId);
  });

  it('seeds any file the loader accepts: sort keys, warm standbys, HTTP health checks on another path, a record at the zone apex', async () => {
    const other = requireSimEnvironment(await loadEnvironment('test/fixtures/env/kinds/defaults.yaml'));
    const clock = new VirtualClock({ start: SIM_START });
    const sim = buildSimulator({ clock, seed: 7, env: other });
    const dynamodb = new DynamoDBClient(simClientConfig(sim, 'eu-west-1'));
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: 'shop-carts' }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'cartId', KeyType: 'HASH' },
      { AttributeName: 'line', KeyType: 'RANGE' },
    ]);
    expect(Table?.Replicas ?? []).toEqual([]);
    const backups = await dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: 'shop-carts' }));
    expect(backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus).toBe('DISABLED');
    const s3 = new S3Client(simClientConfig(sim, 'eu-west-1'));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'shop-receipts' }))).Status).toBeUndefined();

    const app = sim.world.module<AppModule>('app');
    expect(app.service('eu-west-1').capacity).toEqual({ running: 2, desired: 2, full: 8 });
    expect(app.service('eu-central-1')).toMatchObject({ service: 'shop-api-dr', capacity: { running: 0, full: 2 } });

    const route53 = new Route53Client(simClientConfig(sim, 'us-east-1'));
    const { HostedZones } = await route53.send(new ListHostedZonesByNameCommand({ DNSName: 'shop.example' }));
    const { ResourceRecordSets } = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: HostedZones![0]!.Id }));
    // Route 53 lists a name's records by set identifier: eu-central-1 (the secondary) first.
    const pair = (ResourceRecordSets ?? []).filter((r) => r.Failover !== undefined);
    expect(pair.map((r) => [r.Name, r.SetIdentifier, r.Failover, r.TTL])).toEqual([
      ['shop.example.', 'eu-central-1', 'SECONDARY', 30],
      ['shop.example.', 'eu-west-1', 'PRIMARY', 30],
    ]);
    const { HealthCheck } = await route53.send(new GetHealthCheckCommand({ HealthCheckId: pair[0]!.HealthCheckId }));
    expect(HealthCheck?.HealthCheckConfig).toMatchObject({
      Type: 'HTTP',
      Port: 80,
      FullyQualifiedDomainName: 'api.eu-central-1.shop.internal',
      ResourcePath: '/ping',
      RequestInterval: 10,
      FailureThreshold: 2,
    });

    const client = app.createClient('shop-probe');
    const response = await clock.run('shop-probe', () => app.request(client, { method: 'GET', url: 'http://shop.example/health' }));
    expect(response).toMatchObject({ status: 200, servedBy: 'eu-west-1' });
  });

  it('generates seed items and objects from the alias and an index, the same for every seed', () => {
    const table = resolveAlias(env, 'order-history', ['dynamodb-table']);
    const bucket = resolveAlias(env, 'invoices', ['s3-bucket']);
    expect(seedItems(table).slice(0, 2)).toEqual([
      { orderId: { S: 'order-history-000001' }, seq: { N: '1' }, seededFrom: { S: 'order-history' } },
      { orderId: { S: 'order-history-000002' }, seq: { N: '2' }, seededFrom: { S: 'order-history' } },
    ]);
    expect(seedObjects(bucket)[299]).toEqual({ key: 'invoices/000300.json', body: '{"bucket":"invoices","seq":300}', contentType: 'application/json' });
    expect(seedItems({ ...table, alias: 'x', seedItems: 1, partitionKey: { name: 'pk', type: 'N' }, sortKey: { name: 'seq', type: 'B' } })).toEqual([
      { pk: { N: '1' }, seq: { B: Buffer.from('000001').toString('base64') }, seededFrom: { S: 'x' } },
    ]);

    // Two seeds differ in what they draw (addresses, ids), never in what the file declares.
    const a = secureCart(1).sim;
    const b = secureCart(2).sim;
    const keys = (sim: Simulator) => sim.world.module<S3Module>('s3').model.allBuckets().map((x) => x.name);
    expect(keys(a)).toEqual(keys(b));
    const seeded = (sim: Simulator) => sim.world.events.filter((e) => e.kind === 's3.bucket.objects-seeded').map((e) => e.detail);
    expect(seeded(a)).toEqual(seeded(b));
    expect(seeded(a)).toContainEqual({ bucket: 'securecart-invoices', objects: 300, bytes: expect.any(Number) });
  });
});
