import * as z from 'zod';
import { defaultCalibration, isCalibrationKey } from '../sim/calibration.js';
import { CronError, parseCron } from '../sim/services/backup/cron.js';
import { didYouMean } from './suggest.js';
import { ebsVolumeTypes, rdsEngines } from './types.js';

/**
 * The shape of an environment file and of the FIS templates it references.
 * Objects are strict: a misspelt key (`multiAz`) is an error, not a silently
 * ignored setting. Rules that relate one part of the file to another
 * (aliases, regions, accounts, template files) live in checks.ts, where they
 * can name both places.
 */

export const DEFAULT_SEED = 42;
/** The sim's account when the file names none; the sim's own default (src/sim/world.ts). */
export const DEFAULT_SIM_ACCOUNT_ID = '123456789012';
export const DEFAULT_PROBE_RESOLUTION_SECONDS = 5;
export const DEFAULT_CONSECUTIVE_SUCCESSES = 3;

const pattern = (regex: RegExp, what: string) => z.string().regex(regex, { error: `expected ${what}` });

const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const region = pattern(regionPattern, 'an AWS region like us-east-1');
const availabilityZone = pattern(/^[a-z]{2}(-[a-z]+)+-\d+[a-z]$/, 'an Availability Zone like us-east-1a');
const accountId = pattern(/^\d{12}$/, 'a 12-digit AWS account id');

/** Aliases and fault names: what features quote. */
const name = pattern(/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/, 'a name of letters, digits, ".", "-" and "_"');

// RDS: 1–63 letters, digits or hyphens; starts with a letter; no "--", no trailing "-".
const rdsIdentifier = pattern(/^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}$/, 'an RDS identifier (a letter, then up to 62 letters, digits or single hyphens)')
  .refine((id) => !id.endsWith('-'), { error: 'an RDS identifier cannot end with a hyphen' });
const instanceClass = pattern(/^db\.[a-z0-9-]+\.[a-z0-9]+$/, 'an RDS instance class like db.r6g.large');
const subnetIdPattern = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;
const subnetId = pattern(subnetIdPattern, 'a subnet id like subnet-0123456789abcdef0');
const roleName = pattern(/^[\w+=,.@-]{1,64}$/, 'an IAM role name');
const iamRoleArnPattern = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const accessKeyId = pattern(/^\w{16,128}$/, 'an access key id like AKIAIOSFODNN7EXAMPLE');
const alarmArnPattern = /^arn:aws[a-z-]*:cloudwatch:([a-z0-9-]+):(\d{12}):alarm:(.+)$/;
const alarmArn = pattern(alarmArnPattern, 'a CloudWatch alarm ARN like arn:aws:cloudwatch:us-east-1:123456789012:alarm:name');

const tagKey = z
  .string()
  .min(1)
  .max(128)
  .refine((key) => !key.toLowerCase().startsWith('aws:'), { error: 'tag keys starting with "aws:" are reserved for AWS' });
const tags = z.record(tagKey, z.string().max(256));

const seconds = z.number().nonnegative();

// ── resources ────────────────────────────────────────────────────────────

export const rdsInstanceSchema = z.strictObject({
  kind: z.literal('rds-instance'),
  identifier: rdsIdentifier,
  region,
  engine: z.enum(rdsEngines),
  engineVersion: z.string().min(1).optional(),
  instanceClass,
  allocatedStorageGiB: z.int().min(20).max(65536),
  multiAZ: z.boolean(),
  /** Where the primary starts out (RDS picks one when unset; the sim then draws it from the seed). */
  availabilityZone: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, 'expected an Availability Zone like us-east-1a').optional(),
  backupRetentionDays: z.int().min(0).max(35),
  tags: tags.default({}),
  subnetIds: z.array(subnetId).default([]),
});

export const rdsReadReplicaSchema = z.strictObject({
  kind: z.literal('rds-read-replica'),
  identifier: rdsIdentifier,
  source: name,
  region,
  instanceClass: instanceClass.optional(),
  multiAZ: z.boolean().default(false),
  tags: tags.default({}),
  subnetIds: z.array(subnetId).default([]),
});

// DynamoDB: 3–255 of letters, digits, "_", "-" and ".".
const tableName = pattern(/^[A-Za-z0-9_.-]{3,255}$/, 'a DynamoDB table name (3 to 255 letters, digits, "_", "-" or ".")');
const keyAttribute = z.strictObject({ name: z.string().min(1).max(255), type: z.enum(['S', 'N', 'B']) });

export const dynamoDbTableSchema = z.strictObject({
  kind: z.literal('dynamodb-table'),
  identifier: tableName,
  region,
  /** Global table (2019.11.21) replicas besides `region`. */
  replicaRegions: z.array(region).default([]),
  // Off unless asked for, as CreateTable leaves it.
  pointInTimeRecovery: z.boolean().default(false),
  // On-demand unless the file says: PROVISIONED would also need capacities and, for a global table, auto scaling.
  billingMode: z.enum(['PAY_PER_REQUEST', 'PROVISIONED']).default('PAY_PER_REQUEST'),
  partitionKey: keyAttribute,
  sortKey: keyAttribute.optional(),
  tags: tags.default({}),
  seedItems: z.int().min(0).max(100_000).default(0),
});

// S3 (general purpose buckets): 3–63 lower-case letters, digits, "." and "-", starting and ending with a letter or digit.
const bucketName = pattern(
  /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  'an S3 bucket name (3 to 63 lower-case letters, digits, "." or "-", starting and ending with a letter or digit)',
);

export const s3BucketSchema = z.strictObject({
  kind: z.literal('s3-bucket'),
  identifier: bucketName,
  region,
  versioning: z.boolean().default(false),
  tags: tags.default({}),
  replication: z
    .strictObject({
      /** Alias of the destination s3-bucket. */
      destination: name,
      replicationTimeControl: z.boolean().default(false),
      // S3's own default for a rule with a filter: delete markers stay at the source.
      deleteMarkerReplication: z.boolean().default(false),
    })
    .optional(),
  seedObjects: z.int().min(0).max(100_000).default(0),
});

const volumeId = pattern(/^vol-([0-9a-f]{8}|[0-9a-f]{17})$/, 'an EBS volume id like vol-0123456789abcdef0');

export const ebsVolumeSchema = z.strictObject({
  kind: z.literal('ebs-volume'),
  identifier: volumeId,
  region,
  availabilityZone,
  sizeGiB: z.int().min(1),
  volumeType: z.enum(ebsVolumeTypes).default('gp3'),
  tags: tags.default({}),
});

const backupPlanName = pattern(/^[A-Za-z0-9_.-]{1,50}$/, 'a backup plan name (1 to 50 letters, digits, "-", "_" or ".")');
const backupRuleName = pattern(/^[A-Za-z0-9_.-]{1,50}$/, 'a backup rule name (1 to 50 letters, digits, "-", "_" or ".")');
const vaultName = pattern(/^[A-Za-z0-9_-]{2,50}$/, 'a backup vault name (2 to 50 letters, digits, "-" or "_")');
// AWS Backup's schedules are cron expressions of six fields (minutes to year), in UTC; the sim's parser says what is wrong.
const cronSchedule = z.string().superRefine((expression, ctx) => {
  try {
    parseCron(expression);
  } catch (error) {
    if (!(error instanceof CronError)) throw error;
    ctx.addIssue({ code: 'custom', message: `expected a schedule like cron(0 5 ? * * *): ${error.message}` });
  }
});
const retentionDays = z.int().min(1).max(36500);

export const backupPlanSchema = z.strictObject({
  kind: z.literal('backup-plan'),
  identifier: backupPlanName,
  region,
  vault: vaultName,
  rules: z
    .array(
      z.strictObject({
        name: backupRuleName,
        schedule: cronSchedule,
        deleteAfterDays: retentionDays,
        copyTo: z.strictObject({ region, vault: vaultName, deleteAfterDays: retentionDays.optional() }).optional(),
      }),
    )
    .min(1),
  selection: z.strictObject({
    /** Resources carrying any of these tags. */
    tags: tags.default({}),
    /** Aliases of resources in the plan's region. */
    resources: z.array(name).default([]),
  }),
});

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
  kind: z.literal('orders-api'),
  url: serviceUrl,
  healthPath: pattern(/^\/[^\s?#]*$/, 'a path starting with "/" like /health').default('/health'),
  /** Region → the deployment there. */
  regions: z
    .record(
      region,
      z.strictObject({
        endpoint: hostName,
        /** Alias of the rds-instance or rds-read-replica it writes to. */
        database: name,
        capacity: z.enum(['full', 'reduced', 'none']),
        instances: z.int().min(1).max(1000),
        /** The EC2 Auto Scaling group of the fleet; on the sim `<alias>-<region>` unless given (see autoScalingGroupOf). */
        autoScalingGroup: autoScalingGroupName.optional(),
      }),
    )
    .refine((regions) => Object.keys(regions).length > 0, { error: 'an orders-api needs at least one region' }),
});

const failoverTarget = z.strictObject({ region, service: name });

export const dnsFailoverRecordSchema = z.strictObject({
  kind: z.literal('dns-failover-record'),
  identifier: hostName,
  zone: hostName,
  ttlSeconds: z.int().min(0).max(2_147_483_647),
  primary: failoverTarget,
  secondary: failoverTarget,
  healthCheck: z.strictObject({
    intervalSeconds: z
      .int()
      .refine((seconds): seconds is 10 | 30 => seconds === 10 || seconds === 30, {
        error: (issue) => `expected 10 or 30 (Route 53 checks every 10 or every 30 seconds), got ${String(issue.input)}`,
      }),
    failureThreshold: z.int().min(1).max(10),
  }),
});

/** Add a kind: one schema here, one interface in types.ts. */
export const resourceSchema = z.discriminatedUnion('kind', [
  rdsInstanceSchema,
  rdsReadReplicaSchema,
  dynamoDbTableSchema,
  s3BucketSchema,
  ebsVolumeSchema,
  backupPlanSchema,
  ordersApiSchema,
  dnsFailoverRecordSchema,
]);

export type ResourceEntry = z.output<typeof resourceSchema>;

// ── faults ───────────────────────────────────────────────────────────────

export const faultSchema = z.preprocess(
  // `name: ../templates/x.json` is short for `name: { template: ../templates/x.json }`.
  (value) => (typeof value === 'string' ? { template: value } : value),
  z.strictObject({
    template: z.string().min(1),
    /** The experiment's region; the primary region when absent. */
    region: region.optional(),
    description: z.string().optional(),
  }),
);

export type FaultEntry = z.output<typeof faultSchema>;

// ── the sim ──────────────────────────────────────────────────────────────

const calibrationKey = z.string().refine(isCalibrationKey, {
  error: (issue) => {
    const key = String(issue.input);
    return `unknown calibration key ${JSON.stringify(key)}${didYouMean(key, Object.keys(defaultCalibration))}`;
  },
});

const calibrationOverride = z
  .strictObject({ minSeconds: seconds.optional(), maxSeconds: seconds.optional() })
  .refine((range) => range.minSeconds !== undefined || range.maxSeconds !== undefined, {
    error: 'give minSeconds, maxSeconds or both',
  });

const simSubnet = z.strictObject({
  id: subnetId,
  availabilityZone,
  tags: tags.default({}),
});

export const simSchema = z.strictObject({
  seed: z.int().min(0).max(Number.MAX_SAFE_INTEGER).default(DEFAULT_SEED),
  accountId: accountId.default(DEFAULT_SIM_ACCOUNT_ID),
  /** Region → its subnets. */
  subnets: z.record(region, z.array(simSubnet)).default({}),
  roles: z.array(roleName).default([]),
  identities: z.record(accessKeyId, roleName).default({}),
  calibration: z.partialRecord(calibrationKey, calibrationOverride).default({}),
});

export type SimEntry = z.output<typeof simSchema>;

// ── the file ─────────────────────────────────────────────────────────────

export const regionsSchema = z.strictObject({ primary: region, secondary: region.optional() });

export const stopConditionSchema = z.strictObject({ alarm: alarmArn, description: z.string().optional() });

export const probesSchema = z.strictObject({
  resolutionSeconds: z.number().positive().default(DEFAULT_PROBE_RESOLUTION_SECONDS),
  consecutiveSuccesses: z.int().min(1).default(DEFAULT_CONSECUTIVE_SUCCESSES),
});

/**
 * A role the aws target assumes to act as someone else: its ARN, or the ARN
 * and the external ID its trust policy asks for. A union, not a preprocess:
 * zod then reports a bad ARN written as a string at the string itself.
 */
const assumableRoleArn = pattern(iamRoleArnPattern, 'an IAM role ARN like arn:aws:iam::111122223333:role/gameday-backup-admin');
export const assumedRoleSchema = z.union([
  assumableRoleArn,
  z.strictObject({
    roleArn: assumableRoleArn,
    // STS: 2 to 1224 characters of letters, digits and +=,.@:/-.
    externalId: pattern(/^[\w+=,.@:/-]{2,1224}$/, 'an external ID (2 to 1224 letters, digits or +=,.@:/-)').optional(),
  }),
]);

export type AssumedRoleEntry = z.output<typeof assumedRoleSchema>;

export const environmentFileSchema = z.strictObject({
  description: z.string().optional(),
  target: z.enum(['sim', 'aws']).default('sim'),
  /** Required for `aws` (checks.ts says so with a reason); on the sim the guard checks the sim's account. */
  allowedAccountIds: z.array(accountId).min(1).optional(),
  regions: regionsSchema,
  resources: z.record(name, resourceSchema).default({}),
  faults: z.record(name, faultSchema).default({}),
  stopConditions: z.array(stopConditionSchema).default([]),
  probes: probesSchema.default({
    resolutionSeconds: DEFAULT_PROBE_RESOLUTION_SECONDS,
    consecutiveSuccesses: DEFAULT_CONSECUTIVE_SUCCESSES,
  }),
  /** aws only: role name (as features say it) → the IAM role to assume for it. */
  roles: z.record(roleName, assumedRoleSchema).optional(),
  sim: simSchema.optional(),
});

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
