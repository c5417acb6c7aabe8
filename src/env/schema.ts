import * as z from 'zod';
import { defaultCalibration, isCalibrationKey } from '../sim/calibration.js';
import { didYouMean } from './suggest.js';
import { rdsEngines } from './types.js';

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

/** Add a kind: one schema here, one interface in types.ts. */
export const resourceSchema = z.discriminatedUnion('kind', [rdsInstanceSchema, rdsReadReplicaSchema]);

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
  sim: simSchema.optional(),
});

export type EnvironmentFile = z.output<typeof environmentFileSchema>;

// ── FIS experiment templates (CreateExperimentTemplate input) ────────────

const iamRoleArnPattern = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;

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
