import * as z from 'zod';
import { defaultCalibration, isCalibrationKey } from '../sim/calibration.js';
import { CronError, parseCron } from '../sim/services/backup/cron.js';
import { parseDuration } from '../harness/duration.js';
import { MAX_SAMPLES } from '../harness/seed.js';
import { didYouMean } from './suggest.js';
import { auroraEngines, backupAuditControls, drStrategies, ebsVolumeTypes, rdsEngines } from './types.js';

/**
 * The shape of an environment file and of the FIS templates it references.
 * Objects are strict: a misspelt key (`multiAz`) is an error, not a silently
 * ignored setting. Rules that relate one part of the file to another
 * (aliases, regions, accounts, template files) live in checks.ts, where they
 * can name both places.
 *
 * Descriptions (`.describe()`) are for editors: `npm run schemas` turns this
 * schema into schemas/environment.schema.json (src/env/json-schema.ts). A
 * `.meta()` that restates a refinement in JSON Schema keywords is there
 * because JSON Schema cannot run the refinement; it changes nothing zod
 * accepts.
 */

export const DEFAULT_SEED = 42;
/** The sim's account when the file names none; the sim's own default (src/sim/world.ts). */
export const DEFAULT_SIM_ACCOUNT_ID = '123456789012';
export const DEFAULT_PROBE_RESOLUTION_SECONDS = 5;
export const DEFAULT_CONSECUTIVE_SUCCESSES = 3;
/** On aws, how long a scenario waits for steady state before it is skipped. */
export const DEFAULT_STEADY_STATE_SECONDS = 15 * 60;
/** With samples: the share of them that must meet an objective for it to count as met. */
export const DEFAULT_CONFIDENCE = 0.95;

const pattern = (regex: RegExp, what: string) => z.string().regex(regex, { error: `expected ${what}` });

const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const region = pattern(regionPattern, 'an AWS region like us-east-1').describe('An AWS region, like us-east-1.');
const availabilityZone = pattern(/^[a-z]{2}(-[a-z]+)+-\d+[a-z]$/, 'an Availability Zone like us-east-1a').describe(
  'An Availability Zone, like us-east-1a.',
);
const accountId = pattern(/^\d{12}$/, 'a 12-digit AWS account id').describe('A 12-digit AWS account id, quoted (unquoted, YAML reads it as a number).');

/** Aliases and fault names: what features quote. */
const name = pattern(/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/, 'a name of letters, digits, ".", "-" and "_"').describe(
  'A name of letters, digits, ".", "-" and "_", starting and ending with a letter or digit.',
);

// RDS: 1–63 letters, digits or hyphens; starts with a letter; no "--", no trailing "-".
const rdsIdentifier = pattern(/^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}$/, 'an RDS identifier (a letter, then up to 62 letters, digits or single hyphens)')
  .refine((id) => !id.endsWith('-'), { error: 'an RDS identifier cannot end with a hyphen' })
  .meta({ not: { pattern: '-$' } });
const instanceClass = pattern(/^db\.[a-z0-9-]+\.[a-z0-9]+$/, 'an RDS instance class like db.r6g.large').describe(
  'The DB instance class, like db.r6g.large.',
);
const subnetIdPattern = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;
const subnetId = pattern(subnetIdPattern, 'a subnet id like subnet-0123456789abcdef0').describe('A subnet id, like subnet-0123456789abcdef0.');
const roleName = pattern(/^[\w+=,.@-]{1,64}$/, 'an IAM role name').describe('An IAM role name, like backup-admin.');
const iamRoleArnPattern = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const accessKeyId = pattern(/^\w{16,128}$/, 'an access key id like AKIAIOSFODNN7EXAMPLE').describe('An access key id, like AKIAIOSFODNN7EXAMPLE.');
const alarmArnPattern = /^arn:aws[a-z-]*:cloudwatch:([a-z0-9-]+):(\d{12}):alarm:(.+)$/;
const alarmArn = pattern(alarmArnPattern, 'a CloudWatch alarm ARN like arn:aws:cloudwatch:us-east-1:123456789012:alarm:name').describe(
  'A CloudWatch alarm ARN, like arn:aws:cloudwatch:us-east-1:123456789012:alarm:name.',
);

const tagKey = z
  .string()
  .min(1)
  .max(128)
  .refine((key) => !key.toLowerCase().startsWith('aws:'), { error: 'tag keys starting with "aws:" are reserved for AWS' })
  .meta({ not: { pattern: '^[Aa][Ww][Ss]:' } });
const tags = z.record(tagKey, z.string().max(256)).describe('AWS tags: key → value.');

const seconds = z.number().nonnegative();

const resourceKind = <K extends string>(kind: K) => z.literal(kind).describe('What the resource is; the other keys depend on it.');

// ── resources ────────────────────────────────────────────────────────────

export const rdsInstanceSchema = z.strictObject({
  kind: resourceKind('rds-instance'),
  identifier: rdsIdentifier.describe('The DBInstanceIdentifier.'),
  region,
  engine: z.enum(rdsEngines).describe('The database engine.'),
  engineVersion: z.string().min(1).optional().describe('The engine version, like 16.3.'),
  instanceClass,
  allocatedStorageGiB: z.int().min(20).max(65536).describe('Allocated storage, in GiB.'),
  multiAZ: z.boolean().describe('A synchronous standby in a second Availability Zone, so a failover loses no committed write.'),
  /** Where the primary starts out (RDS picks one when unset; the sim then draws it from the seed). */
  availabilityZone: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, 'expected an Availability Zone like us-east-1a')
    .optional()
    .describe('Where the primary starts out; when unset, RDS picks one (the sim draws it from the seed).'),
  backupRetentionDays: z
    .int()
    .min(0)
    .max(35)
    .describe('Days of automated backups, the point-in-time recovery window; 0 disables them (and with them PITR and read replicas).'),
  tags: tags.default({}),
  subnetIds: z.array(subnetId).default([]).describe("The DB subnet group's subnets."),
}).describe('An RDS DB instance (not an Aurora cluster member).');

export const rdsReadReplicaSchema = z.strictObject({
  kind: resourceKind('rds-read-replica'),
  identifier: rdsIdentifier.describe('The DBInstanceIdentifier.'),
  source: name.describe('Alias of the source rds-instance.'),
  region,
  instanceClass: instanceClass.optional().describe("The DB instance class; the source's when unset."),
  multiAZ: z.boolean().default(false).describe("A synchronous standby of the replica in a second Availability Zone."),
  tags: tags.default({}),
  subnetIds: z.array(subnetId).default([]).describe("The DB subnet group's subnets."),
}).describe('A read replica of an rds-instance, in the same or another region.');

const clusterInstance = z.strictObject({
  identifier: rdsIdentifier.describe("The instance's DBInstanceIdentifier."),
  availabilityZone: availabilityZone.describe('Where the instance runs, in the cluster\'s region.'),
  promotionTier: z
    .int()
    .min(0)
    .max(15)
    .default(1)
    .describe("Failover priority, 0 (promoted first) to 15; RDS's default is 1. Between readers of one tier, the largest is promoted."),
  instanceClass: instanceClass.optional().describe("The DB instance class; the cluster's instanceClass when unset."),
});

export const rdsClusterSchema = z.strictObject({
  kind: resourceKind('rds-cluster'),
  identifier: rdsIdentifier.describe('The DBClusterIdentifier.'),
  region,
  engine: z.enum(auroraEngines).describe('The Aurora engine.'),
  engineVersion: z.string().min(1).optional().describe('The engine version, like 16.4.'),
  instanceClass: instanceClass.describe("The DB instance class of the cluster's instances, unless one says otherwise."),
  backupRetentionDays: z
    .int()
    .min(1)
    .max(35)
    .describe('Days of automated backups of the cluster volume, the point-in-time recovery window (Aurora keeps at least 1).'),
  writer: clusterInstance.describe('The instance that is the writer at the start: it takes every write, through the cluster endpoint.'),
  readers: z
    .array(clusterInstance)
    .default([])
    .describe('The readers (Aurora Replicas), in other zones: a failover promotes one, by promotion tier, then size.'),
  tags: tags.default({}).describe("The cluster's tags: what FIS templates select it by (aws:rds:cluster)."),
  subnetIds: z
    .array(subnetId)
    .default([])
    .describe("The DB subnet group's subnets: each instance runs in the one of its zone, so a network disruption of that subnet cuts it off."),
}).describe('An Aurora DB cluster: a writer and readers across Availability Zones on one shared volume, so a failover loses no acknowledged write.');

// DynamoDB: 3–255 of letters, digits, "_", "-" and ".".
const tableName = pattern(/^[A-Za-z0-9_.-]{3,255}$/, 'a DynamoDB table name (3 to 255 letters, digits, "_", "-" or ".")');
const keyAttribute = z.strictObject({
  name: z.string().min(1).max(255).describe("The attribute's name."),
  type: z.enum(['S', 'N', 'B']).describe('S (string), N (number) or B (binary).'),
});

export const dynamoDbTableSchema = z.strictObject({
  kind: resourceKind('dynamodb-table'),
  identifier: tableName.describe('The TableName, the same in every replica region.'),
  region: region.describe('Where the table is created; its replicas are in replicaRegions.'),
  /** Global table (2019.11.21) replicas besides `region`. */
  replicaRegions: z.array(region).default([]).describe('Global table (version 2019.11.21) replica regions besides region.'),
  // Off unless asked for, as CreateTable leaves it.
  pointInTimeRecovery: z.boolean().default(false).describe('Continuous backups for point-in-time recovery.'),
  // On-demand unless the file says: PROVISIONED would also need capacities and, for a global table, auto scaling.
  billingMode: z.enum(['PAY_PER_REQUEST', 'PROVISIONED']).default('PAY_PER_REQUEST').describe('On-demand (PAY_PER_REQUEST) or PROVISIONED capacity.'),
  partitionKey: keyAttribute.describe('The partition (hash) key attribute.'),
  sortKey: keyAttribute.optional().describe('The sort (range) key attribute, if the table has one.'),
  tags: tags.default({}),
  seedItems: z.int().min(0).max(100_000).default(0).describe('Items that exist at t = 0 on the sim, generated from the alias and an index.'),
}).describe('A DynamoDB table; with replicaRegions, a global table.');

// S3 (general purpose buckets): 3–63 lower-case letters, digits, "." and "-", starting and ending with a letter or digit.
const bucketName = pattern(
  /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  'an S3 bucket name (3 to 63 lower-case letters, digits, "." or "-", starting and ending with a letter or digit)',
);

export const s3BucketSchema = z.strictObject({
  kind: resourceKind('s3-bucket'),
  identifier: bucketName.describe('The bucket name (globally unique).'),
  region,
  versioning: z.boolean().default(false).describe('S3 Versioning: an overwrite or a delete keeps the previous version; replication needs it on both buckets.'),
  tags: tags.default({}),
  replication: z
    .strictObject({
      /** Alias of the destination s3-bucket. */
      destination: name.describe('Alias of the destination s3-bucket: in another region, versioned.'),
      replicationTimeControl: z.boolean().default(false).describe('S3 Replication Time Control: 99.99% of objects within 15 minutes.'),
      // S3's own default for a rule with a filter: delete markers stay at the source.
      deleteMarkerReplication: z
        .boolean()
        .default(false)
        .describe('Replicate delete markers; when off, a delete at the source leaves the copy readable.'),
    })
    .optional()
    .describe('Replication of every object to another s3-bucket (both versioned).'),
  seedObjects: z
    .int()
    .min(0)
    .max(100_000)
    .default(0)
    .describe('Objects that exist at t = 0 on the sim, generated from the alias and an index, already replicated.'),
}).describe('An S3 general purpose bucket.');

const volumeId = pattern(/^vol-([0-9a-f]{8}|[0-9a-f]{17})$/, 'an EBS volume id like vol-0123456789abcdef0').describe(
  'The volume id, like vol-0123456789abcdef0.',
);

export const ebsVolumeSchema = z.strictObject({
  kind: resourceKind('ebs-volume'),
  identifier: volumeId,
  region,
  availabilityZone,
  sizeGiB: z.int().min(1).describe('The volume size, in GiB.'),
  volumeType: z.enum(ebsVolumeTypes).default('gp3').describe('The EBS volume type.'),
  tags: tags.default({}),
}).describe('An EBS volume.');

const backupPlanName = pattern(/^[A-Za-z0-9_.-]{1,50}$/, 'a backup plan name (1 to 50 letters, digits, "-", "_" or ".")');
const backupRuleName = pattern(/^[A-Za-z0-9_.-]{1,50}$/, 'a backup rule name (1 to 50 letters, digits, "-", "_" or ".")').describe("The rule's name.");
const vaultName = pattern(/^[A-Za-z0-9_-]{2,50}$/, 'a backup vault name (2 to 50 letters, digits, "-" or "_")').describe('A backup vault name.');
// AWS Backup's schedules are cron expressions of six fields (minutes to year), in UTC; the sim's parser says what is wrong.
const cronSchedule = z
  .string()
  .superRefine((expression, ctx) => {
    try {
      parseCron(expression);
    } catch (error) {
      if (!(error instanceof CronError)) throw error;
      ctx.addIssue({ code: 'custom', message: `expected a schedule like cron(0 5 ? * * *): ${error.message}` });
    }
  })
  // Only parseCron's outer form: the fields themselves are beyond a pattern worth reading.
  .meta({ pattern: '^\\s*cron\\(.*\\)\\s*$' })
  .describe('A cron expression of six fields (minutes to year), in UTC, like cron(0 5 ? * * *).');
const retentionDays = z.int().min(1).max(36500);

export const backupPlanSchema = z.strictObject({
  kind: resourceKind('backup-plan'),
  identifier: backupPlanName.describe("The plan's name."),
  region,
  vault: vaultName.describe("The rules' target vault, in the plan's region."),
  rules: z
    .array(
      z.strictObject({
        name: backupRuleName,
        schedule: cronSchedule,
        deleteAfterDays: retentionDays.describe('Days each recovery point is kept.'),
        copyTo: z
          .strictObject({
            region,
            vault: vaultName,
            deleteAfterDays: retentionDays.optional().describe("The copy's retention; the rule's when unset."),
          })
          .optional()
          .describe('Where each recovery point is copied, usually a vault in the DR region.'),
      }),
    )
    .min(1)
    .describe('When to back up and how long to keep the recovery points.'),
  selection: z.strictObject({
    /** Resources carrying any of these tags. */
    tags: tags.default({}).describe('Resources carrying any of these tags.'),
    /** Aliases of resources in the plan's region. */
    resources: z.array(name).default([]).describe("Aliases of resources in the plan's region."),
  }).describe('Which resources the plan protects: those carrying any of the tags, and those named (either is enough).'),
}).describe('An AWS Backup plan with its vault, rules and one selection.');

const hostName = pattern(
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/,
  'a lower-case DNS name like orders.us-east-1.securecart.internal',
);

/** The URL's path, query and fragment; undefined when it does not parse (the format check says so). */
function beyondHost(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return `${parsed.pathname === '/' ? '' : parsed.pathname}${parsed.search}${parsed.hash}`;
  } catch {
    return undefined;
  }
}

const serviceUrl = z
  .url({ protocol: /^https?$/, hostname: z.regexes.domain, error: 'expected an http or https URL like https://api.securecart.example' })
  .refine((url) => !beyondHost(url), {
    error: 'the URL names the service only, without a path, query or fragment (health checks add healthPath)',
  });

// EC2 Auto Scaling: "any ASCII character 33 to 126 … You cannot use a colon (:) in the name", at most 255.
const autoScalingGroupName = pattern(
  /^[\x21-\x39\x3b-\x7e]{1,255}$/,
  'an Auto Scaling group name (1 to 255 printable ASCII characters without spaces or ":")',
);

export const ordersApiSchema = z.strictObject({
  kind: resourceKind('orders-api'),
  url: serviceUrl.describe('The public URL clients and probes use, scheme and host only, like https://api.securecart.example.'),
  healthPath: pattern(/^\/[^\s?#]*$/, 'a path starting with "/" like /health')
    .default('/health')
    .describe('What health checks call on each regional endpoint; it answers 200 while the service is healthy.'),
  /** Region → the deployment there. */
  regions: z
    .record(
      region,
      z.strictObject({
        endpoint: hostName.describe('The regional endpoint name, like orders.us-east-1.securecart.internal.'),
        /** Alias of the rds-instance, rds-read-replica or rds-cluster it writes to. */
        database: name.describe('Alias of the rds-instance, rds-read-replica or rds-cluster (through its writer) the deployment writes to.'),
        capacity: z
          .enum(['full', 'reduced', 'none'])
          .describe("How much of its fleet the region runs: all of it, a warm standby's share, or none (pilot light)."),
        instances: z.int().min(1).max(1000).describe('The full fleet size, what a scale-up brings the region to.'),
        /** The EC2 Auto Scaling group of the fleet; on the sim `<alias>-<region>` unless given (see autoScalingGroupOf). */
        autoScalingGroup: autoScalingGroupName
          .optional()
          .describe("The fleet's EC2 Auto Scaling group; on the sim <alias>-<region> unless given, on aws a scale-up needs it."),
      }),
    )
    .refine((regions) => Object.keys(regions).length > 0, { error: 'an orders-api needs at least one region' })
    .meta({ minProperties: 1 })
    .describe('Region → the deployment there.'),
  tags: tags
    .default({})
    .describe("Tags of the fleets' Auto Scaling groups, their instances and load balancers: what FIS templates select them by."),
}).describe('The orders service: one deployment per region behind one public URL.');

const failoverTarget = z.strictObject({ region, service: name.describe('Alias of an orders-api deployed in region.') });

export const dnsFailoverRecordSchema = z.strictObject({
  kind: resourceKind('dns-failover-record'),
  identifier: hostName.describe('The record name, like api.securecart.example.'),
  zone: hostName.describe('The public hosted zone the record is in, like securecart.example.'),
  ttlSeconds: z.int().min(0).max(2_147_483_647).describe('How long clients keep an answer before asking again.'),
  primary: failoverTarget.describe('What the PRIMARY record answers with while its health check passes.'),
  secondary: failoverTarget.describe('What the SECONDARY record answers with once the primary is unhealthy.'),
  healthCheck: z
    .strictObject({
      intervalSeconds: z
        .int()
        .refine((seconds): seconds is 10 | 30 => seconds === 10 || seconds === 30, {
          error: (issue) => `expected 10 or 30 (Route 53 checks every 10 or every 30 seconds), got ${String(issue.input)}`,
        })
        .meta({ enum: [10, 30] })
        .describe('Seconds between checks: Route 53 checks every 10 or every 30 seconds.'),
      failureThreshold: z.int().min(1).max(10).describe('Failed checks in a row before the primary counts as unhealthy.'),
    })
    .describe("The Route 53 health check of each record's regional endpoint."),
}).describe("A Route 53 failover pair: PRIMARY and SECONDARY records, each with a health check of its region's service.");

// EC2 hostnames: letters, digits and hyphens in dot-separated labels.
const serverHostname = pattern(/^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/, 'a hostname like securecart-backend-1');
const ec2InstanceType = pattern(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'an EC2 instance type like m6i.large');

export const drsSourceServersSchema = z.strictObject({
  kind: resourceKind('drs-source-servers'),
  region: region.describe('The DRS region: where the servers replicate to (their staging area) and where they are recovered, usually the secondary region.'),
  sourceRegion: region.describe('Where the servers run, usually the primary region.'),
  servers: z
    .array(
      z.strictObject({
        hostname: serverHostname.describe('The server\'s hostname, as the DRS agent reports it (IdentificationHints.hostname): how the game day finds its source server.'),
        instanceType: ec2InstanceType.default('m6i.large').describe('The EC2 instance type it runs as, and is recovered as.'),
        diskGiB: z.int().min(1).max(65536).default(100).describe('Its replicated disks, in GiB (conversion takes longer for larger disks).'),
      }),
    )
    .min(1)
    .describe('The servers, each found in DRS by its hostname.'),
  tags: tags.default({}),
}).describe('Servers that AWS Elastic Disaster Recovery replicates continuously into a staging area in region, and recovers there.');

// AWS Backup Audit Manager: frameworks and report plans are named with a letter, then letters, digits and underscores.
const auditName = pattern(/^[a-zA-Z][_a-zA-Z0-9]{0,255}$/, 'a name of letters, digits and underscores starting with a letter, like securecart_dr_posture');

export const backupFrameworkSchema = z.strictObject({
  kind: resourceKind('backup-framework'),
  identifier: auditName.describe("The framework's name in AWS Backup Audit Manager."),
  region,
  description: z.string().max(1024).optional().describe('What the framework asserts, for people.'),
  controls: z
    .array(
      z.strictObject({
        name: z.enum(backupAuditControls).describe('The control, as AWS Backup Audit Manager names it.'),
        parameters: z
          .record(z.string().min(1), z.union([z.string(), z.number()]).transform(String))
          .default({})
          .describe('ControlInputParameters: parameter name → value, like requiredRetentionDays: 7; the control\'s defaults for the rest.'),
        scope: z
          .strictObject({
            resourceTypes: z.array(z.string().min(1)).optional().describe('ComplianceResourceTypes, as AWS Backup names them: RDS, DynamoDB, EBS, …'),
            tags: tags.optional().describe('Only resources carrying these tags.'),
          })
          .optional()
          .describe('What the control evaluates; everything it applies to in the region when unset.'),
      }),
    )
    .min(1)
    .describe('The controls the framework holds its resources to.'),
  report: z
    .strictObject({
      plan: auditName.describe("The report plan that reports on the framework's resources (RESOURCE_COMPLIANCE_REPORT, JSON)."),
      bucket: name.describe('Alias of the s3-bucket the reports are written to.'),
      prefix: z.string().min(1).optional().describe('The key prefix of the reports in the bucket.'),
    })
    .describe('Where the compliance reports the game day reads go: a report plan over this framework, writing to an S3 bucket.'),
}).describe('An AWS Backup Audit Manager framework: controls over the backups of its region, and the report plan that reports their compliance.');

/** Add a kind: one schema here, one interface in types.ts. */
export const resourceSchema = z.discriminatedUnion('kind', [
  rdsInstanceSchema,
  rdsReadReplicaSchema,
  rdsClusterSchema,
  dynamoDbTableSchema,
  s3BucketSchema,
  ebsVolumeSchema,
  backupPlanSchema,
  ordersApiSchema,
  dnsFailoverRecordSchema,
  drsSourceServersSchema,
  backupFrameworkSchema,
]);

export type ResourceEntry = z.output<typeof resourceSchema>;

// ── faults ───────────────────────────────────────────────────────────────

export const faultSchema = z
  .preprocess(
    // `name: ../templates/x.json` is short for `name: { template: ../templates/x.json }`.
    (value) => (typeof value === 'string' ? { template: value } : value),
    z.strictObject({
      template: z.string().min(1).describe("The FIS experiment template's file, relative to this file."),
      /** The experiment's region; the primary region when absent. */
      region: region.optional().describe("The experiment's region; the primary region when unset."),
      description: z.string().optional().describe('What the fault is, for people.'),
    }),
  )
  .describe("An FIS experiment template's file, relative to this file, or { template, region, description }.");

export type FaultEntry = z.output<typeof faultSchema>;

// ── the sim ──────────────────────────────────────────────────────────────

const calibrationKey = z
  .string()
  .refine(isCalibrationKey, {
    error: (issue) => {
      const key = String(issue.input);
      return `unknown calibration key ${JSON.stringify(key)}${didYouMean(key, Object.keys(defaultCalibration))}`;
    },
  })
  .meta({ enum: Object.keys(defaultCalibration) });

const calibrationOverride = z
  .strictObject({
    minSeconds: seconds.optional().describe('The fewest seconds the operation takes.'),
    maxSeconds: seconds.optional().describe('The most seconds the operation takes, slow tail aside.'),
    tailShare: z
      .number()
      .min(0)
      .max(0.2)
      .optional()
      .describe('Fraction of draws in the slow tail above maxSeconds (0 for none); the default keeps the calibrated share.'),
    tailFactor: z
      .number()
      .min(1)
      .max(10)
      .optional()
      .describe("The slow tail's ceiling as a multiple of maxSeconds; the default keeps the calibrated factor."),
  })
  .refine((range) => Object.values(range).some((value) => value !== undefined), {
    error: 'give minSeconds, maxSeconds, tailShare or tailFactor',
  })
  .meta({ minProperties: 1 })
  .describe('Seconds the operation takes at least and at most, and its slow tail; the default stays for what is left out.');

const simSubnet = z.strictObject({
  id: subnetId,
  availabilityZone,
  tags: tags.default({}).describe('What FIS network actions select the subnet by.'),
});

const simTransitGateway = z.strictObject({
  id: z
    .string()
    .regex(/^tgw-[0-9a-f]{8,17}$/, { error: 'expected a transit gateway id (tgw-…)' })
    .describe('The transit gateway id, tgw-…'),
  peerRegions: z.array(region).optional().describe('Regions its peering attachments reach; default: every other region this file gives a transit gateway.'),
  tags: tags.default({}).describe('What FIS selects it by.'),
});

export const simSchema = z.strictObject({
  seed: z
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .default(DEFAULT_SEED)
    .describe('The default seed; --seed on the command line wins. Same seed, same timeline.'),
  accountId: accountId.default(DEFAULT_SIM_ACCOUNT_ID).describe('The account the sim pretends to be.'),
  /** Region → its subnets. */
  subnets: z
    .record(region, z.array(simSubnet))
    .default({})
    .describe('Region → its subnets, for DB subnet groups and FIS network actions (aws:network:*).'),
  transitGateways: z
    .record(region, z.array(simTransitGateway))
    .default({})
    .describe('Region → its transit gateways, peered across regions (aws:network:transit-gateway-disrupt-cross-region-connectivity).'),
  roles: z
    .array(roleName)
    .default([])
    .describe('IAM roles in the simulated account; an access key not listed under identities acts as gameday-runner.'),
  identities: z.record(accessKeyId, roleName).default({}).describe('Access key id → the role its calls are made as.'),
  calibration: z
    .partialRecord(calibrationKey, calibrationOverride)
    .default({})
    .describe("Calibration key → durations overriding the sim's defaults from AWS's published figures (src/sim/calibration.ts)."),
  samples: z
    .int()
    .min(1)
    .max(MAX_SAMPLES)
    .optional()
    .describe(
      'How many seeds each scenario runs under (gameday run --samples wins): sample 0 is the plain run, the others derive from the seed, and results.json gets the distribution of each objective. Default 1, the plain run alone.',
    ),
  confidence: z
    .number()
    .gt(0)
    .max(1)
    .default(DEFAULT_CONFIDENCE)
    .describe('With more than one sample: the share of samples that must meet an objective for it to count as met (its metFraction). Default 0.95.'),
});

export type SimEntry = z.output<typeof simSchema>;

// ── the file ─────────────────────────────────────────────────────────────

export const regionsSchema = z.strictObject({
  primary: region.describe('The region that serves traffic.'),
  secondary: region.optional().describe('The DR region, where the service recovers to; unset for a single-region environment.'),
  availabilityZones: z
    .record(region, z.array(availabilityZone).min(1))
    .optional()
    .describe(
      "Region → its Availability Zones, each once: what ${gameday:AvailabilityZones} in a fault's template becomes there (comma-joined, as FIS's availabilityZoneIdentifiers takes them). On aws, a template that uses it needs its region here, and the dry run checks the zones exist (ec2:DescribeAvailabilityZones); on the sim, a region not listed has the sim's zones.",
    ),
});

export const stopConditionSchema = z.strictObject({
  alarm: alarmArn,
  description: z.string().optional().describe('What the alarm means, for people.'),
});

/** Seconds, or a duration as steps write them ("2 hours", "90 minutes", "PT2H"). */
const durationSeconds = z.union([
  z.number().positive(),
  z.string().transform((text, context) => {
    const seconds = parseDuration(text);
    if (seconds === undefined || seconds <= 0) {
      context.addIssue({ code: 'custom', message: `expected a duration like "2 hours", "90 minutes" or "PT2H", or a number of seconds, got "${text}"` });
      return z.NEVER;
    }
    return seconds;
  }),
]);

export const probesSchema = z.strictObject({
  resolutionSeconds: z
    .number()
    .positive()
    .default(DEFAULT_PROBE_RESOLUTION_SECONDS)
    .describe('Seconds between probe samples: the resolution of a measured RTO.'),
  consecutiveSuccesses: z
    .int()
    .min(1)
    .default(DEFAULT_CONSECUTIVE_SUCCESSES)
    .describe('Healthy answers in a row before a service counts as recovered.'),
  observeAfterBreach: durationSeconds
    .optional()
    .describe(
      'How long after the incident a breached RTO is still watched for recovery, so the breach reports by how much it was missed: seconds, or a duration ("2 hours"). Default: 4× the target, from 5 minutes to 2 hours.',
    ),
  steadyStateWithin: durationSeconds
    .default(DEFAULT_STEADY_STATE_SECONDS)
    .describe(
      "On aws: how long a scenario waits, before its first step, for every service it judges to answer healthy and every Multi-AZ primary to be available (the previous scenario's fail-back, a lingering fault); past it the scenario is skipped with the reason. Seconds, or a duration (\"15 minutes\"). Default: 15 minutes.",
    ),
});

/**
 * A role the aws target assumes to act as someone else: its ARN, or the ARN
 * and the external ID its trust policy asks for. A union, not a preprocess:
 * zod then reports a bad ARN written as a string at the string itself.
 */
const assumableRoleArn = pattern(iamRoleArnPattern, 'an IAM role ARN like arn:aws:iam::111122223333:role/gameday-backup-admin').describe(
  "The role's ARN, like arn:aws:iam::111122223333:role/gameday-backup-admin, in one of allowedAccountIds.",
);
export const assumedRoleSchema = z.union([
  assumableRoleArn,
  z.strictObject({
    roleArn: assumableRoleArn,
    // STS: 2 to 1224 characters of letters, digits and +=,.@:/-.
    externalId: pattern(/^[\w+=,.@:/-]{2,1224}$/, 'an external ID (2 to 1224 letters, digits or +=,.@:/-)')
      .optional()
      .describe("Sent as ExternalId, where the role's trust policy asks for one."),
  }),
]).describe('The IAM role to assume: its ARN, or { roleArn, externalId }.');

export type AssumedRoleEntry = z.output<typeof assumedRoleSchema>;

export const environmentFileSchema = z
  .strictObject({
    description: z.string().optional().describe('What this environment is, for people.'),
    strategy: z
      .enum(drStrategies)
      .optional()
      .describe('The DR strategy this environment implements, for scenarios whose tags name none (@backup-and-restore, @pilot-light, @warm-standby, @active-active): reports group objectives by strategy.'),
    target: z
      .enum(['sim', 'aws'])
      .default('sim')
      .describe("Where the game day's AWS calls go: sim (the embedded, deterministic simulation) or aws (real AWS, guarded by allowedAccountIds)."),
    /** Required for `aws` (checks.ts says so with a reason); on the sim the guard checks the sim's account. */
    allowedAccountIds: z
      .array(accountId)
      .min(1)
      .optional()
      .describe("The account guard: STS GetCallerIdentity must name one of these before any other call. Required for aws; on the sim the guard checks the sim's account."),
    regions: regionsSchema.describe('The primary region serves traffic; the secondary is where the service recovers to.'),
    resources: z
      .record(name, resourceSchema)
      .default({})
      .describe('Resources by alias, the name features use; kind says what each is, identifier is its real name in AWS.'),
    faults: z
      .record(name, faultSchema)
      .default({})
      .describe('Fault names, as features use them → FIS experiment templates. An experiment runs in the primary region unless its entry says.'),
    stopConditions: z
      .array(stopConditionSchema)
      .default([])
      .describe('Alarms added to every experiment as stop conditions: when one goes into ALARM, FIS stops the experiment.'),
    probes: probesSchema
      .default({
        resolutionSeconds: DEFAULT_PROBE_RESOLUTION_SECONDS,
        consecutiveSuccesses: DEFAULT_CONSECUTIVE_SUCCESSES,
        steadyStateWithin: DEFAULT_STEADY_STATE_SECONDS,
      })
      .describe('How services are probed while a fault runs; a step may override them for its own probe.'),
    afterScenario: z
      .enum(['failBack', 'leave'])
      .optional()
      .describe(
        'What the end of a scenario does with a primary a recovery action moved (a Multi-AZ failover, a DNS failover): failBack moves it back, leave keeps it where it is and lists it as left changed. Default: failBack (on the sim too, so a rehearsal journals what staging would).',
      ),
    requireTag: z
      .record(tagKey, z.string().max(256))
      .refine((tags) => Object.keys(tags).length === 1, { error: 'requireTag names one tag: { key: value }' })
      .meta({ minProperties: 1, maxProperties: 1 })
      .optional()
      .describe(
        'aws only: the tag every resource a game day touches must carry (one key: value), checked read-only before any mutating call; templates must select by tags that include it. A resource without it refuses the run (exit 3).',
      ),
    httpVia: z
      .enum(['endpoint-url'])
      .optional()
      .describe(
        'aws only: endpoint-url sends the HTTP requests of probes and canaries to the endpoint override (AWS_ENDPOINT_URL) with the service\'s host in the Host header: a rehearsal against `gameday sim serve`, whose one port also answers the orders service.',
      ),
    /** aws only: role name (as features say it) → the IAM role to assume for it. */
    roles: z
      .record(roleName, assumedRoleSchema)
      .optional()
      .describe('aws only: role name, as features say it → the IAM role the runner assumes (STS AssumeRole) to act as it.'),
    sim: simSchema
      .optional()
      .describe('What only the simulator needs: its seed, account, subnets, roles, identities and calibration overrides.'),
  })
  .describe(
    'A gameday environment file: the target, its regions, resources by alias, fault names → FIS experiment templates, stop conditions, probe settings and, for the simulator, its settings.',
  );

export type EnvironmentFile = z.output<typeof environmentFileSchema>;

// ── FIS experiment templates (CreateExperimentTemplate input) ────────────

const fisTarget = z.strictObject({
  resourceType: pattern(/^[a-z]+:[a-z0-9-]+:[a-z0-9-]+$/, 'an FIS resource type like aws:rds:db'),
  resourceArns: z.array(z.string().startsWith('arn:', { error: 'expected an ARN' })).min(1).optional(),
  resourceTags: z.record(z.string().min(1), z.string()).optional(),
  filters: z.array(z.strictObject({ path: z.string().min(1), values: z.array(z.string()).min(1) })).optional(),
  selectionMode: pattern(/^(ALL|COUNT\(\d+\)|PERCENT\(\d+\))$/, 'ALL, COUNT(n) or PERCENT(n)'),
  parameters: z.record(z.string(), z.string()).optional(),
});

const fisAction = z.strictObject({
  actionId: pattern(/^[a-z]+:[a-z0-9-]+:[a-z0-9-]+$/, 'an FIS action id like aws:rds:reboot-db-instances'),
  description: z.string().optional(),
  // FIS takes every parameter as a string, "true" and "PT5M" included.
  parameters: z.record(z.string(), z.string()).optional(),
  targets: z.record(z.string(), z.string()).optional(),
  startAfter: z.array(z.string()).optional(),
});

export const fisTemplateSchema = z.strictObject({
  description: z.string().min(1),
  roleArn: pattern(iamRoleArnPattern, 'an IAM role ARN like arn:aws:iam::123456789012:role/name'),
  targets: z.record(z.string(), fisTarget).optional(),
  actions: z.record(z.string(), fisAction).refine((actions) => Object.keys(actions).length > 0, {
    error: 'a template needs at least one action',
  }),
  stopConditions: z
    .array(z.strictObject({ source: z.enum(['aws:cloudwatch:alarm', 'none']), value: z.string().optional() }))
    .min(1),
  tags: z.record(z.string(), z.string()).optional(),
  logConfiguration: z
    .strictObject({
      logSchemaVersion: z.int(),
      cloudWatchLogsConfiguration: z.strictObject({ logGroupArn: z.string() }).optional(),
      s3Configuration: z.strictObject({ bucketName: z.string(), prefix: z.string().optional() }).optional(),
    })
    .optional(),
  experimentOptions: z
    .strictObject({
      accountTargeting: z.enum(['single-account', 'multi-account']).optional(),
      emptyTargetResolutionMode: z.enum(['fail', 'skip']).optional(),
    })
    .optional(),
});
