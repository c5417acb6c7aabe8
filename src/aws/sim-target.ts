import type { SchedulingClock } from '../clock/types.js';
import type {
  BackupPlan,
  DnsFailoverRecord,
  DynamoDbKeyAttribute,
  DynamoDbTable,
  Environment,
  OrdersApi,
  OrdersCapacity,
  Resource,
  S3Bucket,
  SimEnvironment,
} from '../env/index.js';
import { BadInputError } from '../errors.js';
import { RUN_ID_TAG } from '../harness/tags.js';
import { standbyCapacity, type AppModule, type OrdersServiceSpec } from '../sim/app/index.js';
import { createSimulator, type Simulator } from '../sim/index.js';
import { DEFAULT_ROLE } from '../sim/world.js';
import { BACKUP_ADMIN_ROLE } from '../sim/services/iam/index.js';
import type { AttributeMap, AttributeValue } from '../sim/services/dynamodb/index.js';
import type { RecordSetSpec, Route53Module } from '../sim/services/route53/index.js';
import type { SeedObjectSpec } from '../sim/services/s3/index.js';
import { autoScalingGroupOf, regionsOf } from '../env/index.js';

/** Virtual t = 0 of every sim run: a Monday morning game day. Fixed, so runs are reproducible. */
export const SIM_START = Date.UTC(2026, 0, 5, 9, 0, 0);

export function requireSimEnvironment(env: Environment): SimEnvironment {
  if (env.target !== 'sim') {
    throw new BadInputError(`${env.file}: this environment targets "${env.target}", but the command runs on the simulator`);
  }
  return env;
}

export interface SimTargetOptions {
  clock: SchedulingClock;
  seed: number;
  env?: SimEnvironment;
}

/**
 * The simulated AWS account an environment describes, in its steady state at
 * t = 0: resources exist and are available, replicas in sync, backups as far
 * back as retention implies, the stop-condition alarms in OK, the orders API
 * serving behind its failover record.
 */
export function buildSimulator({ clock, seed, env }: SimTargetOptions): Simulator {
  const sim = createSimulator({
    clock,
    seed,
    // A game day may delete the snapshots it made itself: they carry its run tag.
    protection: { exemptTag: RUN_ID_TAG },
    ...(env ? { accountId: env.sim.accountId, calibration: env.sim.calibration, identities: env.sim.identities } : {}),
  });
  if (env) seedEnvironment(sim, env);
  return sim;
}

function ofKind<K extends Resource['kind']>(env: SimEnvironment, kind: K): Extract<Resource, { kind: K }>[] {
  return Object.values(env.resources).filter((r): r is Extract<Resource, { kind: K }> => r.kind === kind);
}

/**
 * Each service in the order its dependencies need: databases before the
 * orders services that write to them, the services before the health checks
 * that probe them and the records that point at them, and every protected
 * resource before the backup plan whose history is seeded from them.
 */
function seedEnvironment(sim: Simulator, env: SimEnvironment): void {
  seedNetwork(sim, env);
  seedAlarms(sim, env);
  seedRds(sim, env);
  seedVolumes(sim, env);
  seedTables(sim, env);
  seedBuckets(sim, env);
  seedOrdersServices(sim, env);
  seedAutoScalingGroups(sim, env);
  seedFailoverRecords(sim, env);
  seedBackupPlans(sim, env);
  seedBackupAudit(sim, env);
  seedDrsSourceServers(sim, env);
}

function seedNetwork(sim: Simulator, env: SimEnvironment): void {
  const network = sim.world.module('network');
  for (const subnet of env.sim.subnets) {
    network.addSubnet({ id: subnet.id, region: subnet.region, az: subnet.availabilityZone, tags: { ...subnet.tags } });
  }
  for (const gateway of env.sim.transitGateways) network.addTransitGateway({ id: gateway.id, region: gateway.region, peerRegions: [...gateway.peerRegions], tags: { ...gateway.tags } });
  for (const role of new Set([DEFAULT_ROLE, ...env.sim.roles])) network.addRole(role);
}

function seedAlarms(sim: Simulator, env: SimEnvironment): void {
  const cloudwatch = sim.world.module('cloudwatch');
  for (const condition of env.stopConditions) {
    const [, , , region, , , name] = condition.value.split(':');
    if (region && name) cloudwatch.putAlarm({ region, name });
  }
}

function seedRds(sim: Simulator, env: SimEnvironment): void {
  const rds = sim.world.module('rds').model;
  for (const resource of ofKind(env, 'rds-instance')) {
    rds.seedInstance({
      identifier: resource.identifier,
      region: resource.region,
      engine: resource.engine,
      ...(resource.engineVersion ? { engineVersion: resource.engineVersion } : {}),
      instanceClass: resource.instanceClass,
      allocatedStorage: resource.allocatedStorageGiB,
      multiAZ: resource.multiAZ,
      ...(resource.availabilityZone ? { availabilityZone: resource.availabilityZone } : {}),
      backupRetentionDays: resource.backupRetentionDays,
      tags: { ...resource.tags },
      subnetIds: [...resource.subnetIds],
    });
  }
  // Aurora clusters: the writer first (the model makes the first member the writer), then the readers.
  for (const resource of ofKind(env, 'rds-cluster')) {
    rds.seedCluster({
      identifier: resource.identifier,
      region: resource.region,
      engine: resource.engine,
      ...(resource.engineVersion ? { engineVersion: resource.engineVersion } : {}),
      instanceClass: resource.instanceClass,
      backupRetentionDays: resource.backupRetentionDays,
      tags: { ...resource.tags },
      subnetIds: [...resource.subnetIds],
      members: [resource.writer, ...resource.readers].map((instance) => ({
        identifier: instance.identifier,
        availabilityZone: instance.availabilityZone,
        promotionTier: instance.promotionTier,
        ...(instance.instanceClass ? { instanceClass: instance.instanceClass } : {}),
      })),
    });
  }
  // Replicas after every source exists, whatever the file's order.
  for (const resource of ofKind(env, 'rds-read-replica')) {
    const source = env.resources[resource.source];
    if (source?.kind !== 'rds-instance') continue; // the loader already refused this
    rds.seedReadReplica({
      identifier: resource.identifier,
      region: resource.region,
      source: { identifier: source.identifier, region: source.region },
      instanceClass: resource.instanceClass,
      multiAZ: resource.multiAZ,
      tags: { ...resource.tags },
      subnetIds: [...resource.subnetIds],
    });
  }
}

function seedVolumes(sim: Simulator, env: SimEnvironment): void {
  const ec2 = sim.world.module('ec2').model;
  for (const volume of ofKind(env, 'ebs-volume')) {
    ec2.seedVolume({
      id: volume.identifier,
      region: volume.region,
      az: volume.availabilityZone,
      sizeGiB: volume.sizeGiB,
      type: volume.volumeType,
      tags: { ...volume.tags },
    });
  }
}

function seedTables(sim: Simulator, env: SimEnvironment): void {
  const dynamodb = sim.world.module('dynamodb').model;
  for (const table of ofKind(env, 'dynamodb-table')) {
    dynamodb.seedTable({
      name: table.identifier,
      region: table.region,
      key: { hash: { ...table.partitionKey }, ...(table.sortKey ? { range: { ...table.sortKey } } : {}) },
      billingMode: table.billingMode,
      pitr: table.pointInTimeRecovery,
      replicaRegions: [...table.replicaRegions],
      items: seedItems(table),
      tags: { ...table.tags },
    });
  }
}

/**
 * The items a table holds at t = 0, made from its alias and an index (never
 * from the RNG), so adding a resource to the file changes no other stream.
 */
export function seedItems(table: DynamoDbTable): AttributeMap[] {
  return Array.from({ length: table.seedItems }, (_, index) => {
    const item: AttributeMap = { seq: { N: String(index + 1) }, seededFrom: { S: table.alias } };
    // Keys last, so a key attribute called `seq` keeps its declared type.
    item[table.partitionKey.name] = keyValue(table.partitionKey, `${table.alias}-${seedNumber(index)}`, index);
    if (table.sortKey) item[table.sortKey.name] = keyValue(table.sortKey, seedNumber(index), index);
    return item;
  });
}

function keyValue(attribute: DynamoDbKeyAttribute, text: string, index: number): AttributeValue {
  switch (attribute.type) {
    case 'S':
      return { S: text };
    case 'N':
      return { N: String(index + 1) };
    case 'B':
      return { B: Buffer.from(text, 'utf8').toString('base64') };
  }
}

const seedNumber = (index: number) => String(index + 1).padStart(6, '0');

function seedBuckets(sim: Simulator, env: SimEnvironment): void {
  const s3 = sim.world.module('s3').model;
  const seeded = new Set<string>();
  // A destination must exist (versioned) before a bucket can replicate to it.
  const seed = (bucket: S3Bucket): void => {
    if (seeded.has(bucket.alias)) return;
    seeded.add(bucket.alias);
    const destination = bucket.replication ? env.resources[bucket.replication.destination] : undefined;
    if (destination?.kind === 's3-bucket') seed(destination);
    s3.seedBucket({
      name: bucket.identifier,
      region: bucket.region,
      ...(bucket.versioning ? { versioning: 'Enabled' as const } : {}),
      tags: { ...bucket.tags },
      ...(bucket.replication && destination?.kind === 's3-bucket'
        ? {
            replication: {
              destinationBucket: destination.identifier,
              rtc: bucket.replication.replicationTimeControl,
              deleteMarkerReplication: bucket.replication.deleteMarkerReplication,
            },
          }
        : {}),
      objects: seedObjects(bucket),
    });
  };
  for (const bucket of ofKind(env, 's3-bucket')) seed(bucket);
}

/** The objects a bucket holds at t = 0, made from its alias and an index (never from the RNG). */
export function seedObjects(bucket: S3Bucket): SeedObjectSpec[] {
  return Array.from({ length: bucket.seedObjects }, (_, index) => ({
    key: `${bucket.alias}/${seedNumber(index)}.json`,
    body: JSON.stringify({ bucket: bucket.alias, seq: index + 1 }),
    contentType: 'application/json',
  }));
}

const orderCapacity = (capacity: OrdersCapacity, instances: number): OrdersServiceSpec['capacity'] => {
  switch (capacity) {
    case 'full':
      return standbyCapacity('active-active', instances);
    case 'reduced':
      return standbyCapacity('warm-standby', instances);
    case 'none':
      return standbyCapacity('pilot-light', instances);
  }
};

function seedOrdersServices(sim: Simulator, env: SimEnvironment): void {
  const app = sim.world.module('app');
  for (const api of ofKind(env, 'orders-api')) {
    for (const [region, deployment] of Object.entries(api.regions)) {
      const database = env.resources[deployment.database];
      // The loader guarantees an RDS alias; a cluster is written to through its writer (the cluster's identifier).
      if (database?.kind !== 'rds-instance' && database?.kind !== 'rds-read-replica' && database?.kind !== 'rds-cluster') continue;
      app.seedOrdersService({
        region,
        service: api.alias,
        endpoint: deployment.endpoint,
        healthPath: api.healthPath,
        database: { engine: 'rds', region: database.region, id: database.identifier },
        capacity: orderCapacity(deployment.capacity, deployment.instances),
      });
    }
  }
}

function seedFailoverRecords(sim: Simulator, env: SimEnvironment): void {
  const records = ofKind(env, 'dns-failover-record');
  if (records.length === 0) return;
  const route53 = sim.world.module('route53').model;
  const app = sim.world.module('app');
  const zones = new Map<string, string>();
  for (const record of records) {
    let zoneId = zones.get(record.zone);
    if (zoneId === undefined) {
      zoneId = route53.seedHostedZone({ name: record.zone, comment: `${env.name}: ${record.zone}` }).id;
      zones.set(record.zone, zoneId);
    }
    route53.seedRecords(zoneId, [failoverRecord(env, app, route53, record, 'PRIMARY'), failoverRecord(env, app, route53, record, 'SECONDARY')]);
  }
}

/** One record of the pair, with a health check of its region's orders endpoint. */
function failoverRecord(
  env: SimEnvironment,
  app: AppModule,
  route53: Route53Module['model'],
  record: DnsFailoverRecord,
  role: 'PRIMARY' | 'SECONDARY',
): RecordSetSpec {
  const target = role === 'PRIMARY' ? record.primary : record.secondary;
  const api = env.resources[target.service] as OrdersApi; // the loader guarantees an orders-api in that region
  const deployment = api.regions[target.region]!;
  const check = route53.seedHealthCheck({
    callerReference: `gameday-seed-${record.alias}-${target.region}`,
    type: new URL(api.url).protocol === 'http:' ? 'HTTP' : 'HTTPS',
    // Route 53's checkers are on the internet and cannot resolve an internal
    // name: they connect to the service's public address and send the
    // endpoint name as Host (and SNI), as a health check with both set does.
    ipAddress: app.service(target.region, target.service).ipAddress,
    fullyQualifiedDomainName: deployment.endpoint,
    resourcePath: api.healthPath,
    requestInterval: record.healthCheck.intervalSeconds,
    failureThreshold: record.healthCheck.failureThreshold,
  });
  return {
    name: record.identifier,
    type: 'A',
    ttl: record.ttlSeconds,
    setIdentifier: target.region,
    failover: role,
    values: [app.service(target.region, target.service).ipAddress],
    healthCheckId: check.id,
  };
}

function seedBackupPlans(sim: Simulator, env: SimEnvironment): void {
  const plans = ofKind(env, 'backup-plan');
  if (plans.length === 0) return;
  const backup = sim.world.module('backup').model;
  for (const plan of plans) {
    const resources = plan.selection.resources.flatMap((alias) => {
      const arn = backupArn(env, plan, alias);
      return arn ? [arn] : [];
    });
    backup.seedBackupPlan({
      name: plan.identifier,
      region: plan.region,
      rules: plan.rules.map((rule) => ({
        name: rule.name,
        vault: plan.vault,
        schedule: rule.schedule,
        deleteAfterDays: rule.deleteAfterDays,
        ...(rule.copyTo ? { copyTo: [{ ...rule.copyTo }] } : {}),
      })),
      selections: [
        {
          name: `${plan.identifier}-selection`.slice(0, 50),
          ...(resources.length > 0 ? { resources } : {}),
          ...(Object.keys(plan.selection.tags).length > 0 ? { tags: { ...plan.selection.tags } } : {}),
        },
      ],
    });
  }
}

/** The ARN AWS Backup knows a selected resource by, in the plan's region. */
function backupArn(env: SimEnvironment, plan: BackupPlan, alias: string): string | undefined {
  const resource = env.resources[alias];
  const account = env.sim.accountId;
  switch (resource?.kind) {
    case 'rds-instance':
    case 'rds-read-replica':
      return `arn:aws:rds:${resource.region}:${account}:db:${resource.identifier.toLowerCase()}`;
    case 'dynamodb-table':
      return `arn:aws:dynamodb:${plan.region}:${account}:table/${resource.identifier}`;
    case 'ebs-volume':
      return `arn:aws:ec2:${resource.region}:${account}:volume/${resource.identifier}`;
    case 's3-bucket':
      return `arn:aws:s3:::${resource.identifier}`;
    default:
      return undefined;
  }
}

/**
 * One EC2 Auto Scaling group per orders-api deployment, with its instances:
 * min 0, max the full fleet, desired what runs at t = 0, spread over the
 * region's zones, tagged with the orders-api's tags. The service serves
 * from the group's instances; scaling the standby up is SetDesiredCapacity,
 * the same call as on AWS, and FIS stops or terminates the same instances.
 */
function seedAutoScalingGroups(sim: Simulator, env: SimEnvironment): void {
  const app = sim.world.module('app');
  const autoscaling = sim.world.module('autoscaling').model;
  for (const api of ofKind(env, 'orders-api')) {
    for (const region of Object.keys(api.regions)) {
      // seedOrdersServices seeds every deployment whose database is RDS, which the loader guarantees.
      if (!app.services().some((service) => service.region === region && service.service === api.alias)) continue;
      const { capacity } = app.service(region, api.alias);
      app.setTags(region, { ...api.tags }, api.alias);
      const group = autoscaling.seedGroup({
        name: autoScalingGroupOf(env, api.alias, region),
        region,
        minSize: 0,
        maxSize: capacity.full,
        desired: capacity.running,
        tags: { ...api.tags, 'gameday:service': api.alias },
      });
      app.attachFleet(region, autoscaling.fleet(group), api.alias);
    }
  }
}

/**
 * The sim's IAM lets only the backup-admin role delete recovery points; the
 * vaults it seeds say the same in their access policy, which is what Backup
 * Audit Manager's manual-deletion control reads. Then each backup-framework
 * and the report plan that reports on it.
 */
function seedBackupAudit(sim: Simulator, env: SimEnvironment): void {
  const backup = sim.world.module('backup');
  const account = env.sim.accountId;
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'OnlyBackupAdminsDeleteRecoveryPoints',
        Effect: 'Deny',
        Principal: '*',
        Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle', 'backup:PutBackupVaultAccessPolicy'],
        Resource: '*',
        Condition: { ArnNotLike: { 'aws:PrincipalArn': [`arn:aws:iam::${account}:role/${BACKUP_ADMIN_ROLE}`] } },
      },
    ],
  });
  for (const region of regionsOf(env)) {
    for (const vault of backup.model.listBackupVaults(region, { MaxResults: 1000 }).items) backup.audit.putVaultAccessPolicy(region, vault.name, policy);
  }
  for (const framework of ofKind(env, 'backup-framework')) {
    const created = backup.audit.createFramework(framework.region, {
      FrameworkName: framework.identifier,
      ...(framework.description !== undefined ? { FrameworkDescription: framework.description } : {}),
      FrameworkControls: framework.controls.map((control) => ({
        ControlName: control.name,
        ControlInputParameters: Object.entries(control.parameters).map(([ParameterName, ParameterValue]) => ({ ParameterName, ParameterValue })),
        ...(control.scope
          ? { ControlScope: { ...(control.scope.resourceTypes ? { ComplianceResourceTypes: [...control.scope.resourceTypes] } : {}), ...(control.scope.tags ? { Tags: { ...control.scope.tags } } : {}) } }
          : {}),
      })),
    });
    const bucket = env.resources[framework.report.bucket];
    // The loader guarantees an s3-bucket.
    if (bucket?.kind !== 's3-bucket') continue;
    backup.audit.createReportPlan(framework.region, {
      ReportPlanName: framework.report.plan,
      ReportPlanDescription: `Resource compliance of ${framework.identifier}`,
      ReportDeliveryChannel: { S3BucketName: bucket.identifier, ...(framework.report.prefix ? { S3KeyPrefix: framework.report.prefix } : {}), Formats: ['CSV', 'JSON'] },
      ReportSetting: { ReportTemplate: 'RESOURCE_COMPLIANCE_REPORT', FrameworkArns: [created.arn] },
    });
  }
}

/** Each drs-source-servers entry's servers, replicating continuously into their DRS region since long before t = 0. */
function seedDrsSourceServers(sim: Simulator, env: SimEnvironment): void {
  const drs = sim.world.module('drs').model;
  for (const group of ofKind(env, 'drs-source-servers')) {
    for (const server of group.servers) {
      drs.seedSourceServer({
        region: group.region,
        hostname: server.hostname,
        sourceRegion: group.sourceRegion,
        instanceType: server.instanceType,
        diskGiB: server.diskGiB,
        tags: { ...group.tags },
      });
    }
  }
}
