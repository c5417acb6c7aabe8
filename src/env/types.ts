import type { Calibration } from '../sim/calibration.js';

/**
 * An environment file, parsed and checked (DESIGN §3, §6, §9). Everything
 * here has been validated: aliases resolve, templates exist and parse, ARNs
 * name an allowed account. Consumers narrow on `target` to reach the sim's
 * settings or the account guard's list.
 */
export type Environment = SimEnvironment | AwsEnvironment;

export type Target = Environment['target'];

interface EnvironmentCommon {
  /** The file's base name without extension: `securecart` for `…/securecart.yaml`. */
  readonly name: string;
  /** The path the environment was loaded from, as given (messages show it). */
  readonly file: string;
  readonly description?: string;
  readonly regions: Regions;
  /** Resources by alias, in file order. The alias is what features quote. */
  readonly resources: Readonly<Record<string, Resource>>;
  /** Fault name → its FIS experiment template, in file order. */
  readonly faults: Readonly<Record<string, Fault>>;
  /** Added to every FIS experiment this environment runs (DESIGN §9). */
  readonly stopConditions: readonly StopCondition[];
  readonly probes: ProbeSettings;
}

export interface SimEnvironment extends EnvironmentCommon {
  readonly target: 'sim';
  /** Optional on the sim; when set, the account guard checks the sim's account against it too. */
  readonly allowedAccountIds: readonly string[];
  readonly sim: SimSettings;
}

export interface AwsEnvironment extends EnvironmentCommon {
  readonly target: 'aws';
  /** STS GetCallerIdentity must name one of these before anything runs; never empty. */
  readonly allowedAccountIds: readonly [string, ...string[]];
}

export interface Regions {
  readonly primary: string;
  /** The DR region; absent for a single-region environment. */
  readonly secondary?: string;
}

/** Probing defaults; a step may override them for its own probe. */
export interface ProbeSettings {
  /** Seconds between probe samples: the resolution of a measured RTO. */
  readonly resolutionSeconds: number;
  /** Healthy answers in a row before a service counts as recovered. */
  readonly consecutiveSuccesses: number;
}

/** An FIS stop condition, in CreateExperimentTemplate's shape. */
export interface StopCondition {
  readonly source: 'aws:cloudwatch:alarm';
  /** The alarm's ARN. */
  readonly value: string;
}

// ── Resources ────────────────────────────────────────────────────────────
// One interface per kind, discriminated by `kind`. New kinds (dynamodb-table,
// s3-bucket, ebs-volume, backup-plan, route53-record, orders-api, …) join
// the `Resource` union; `resolveAlias` and the checks pick them up by kind.

export type Resource = RdsInstance | RdsReadReplica;

export type ResourceKind = Resource['kind'];

export type ResourceOfKind<K extends ResourceKind> = Extract<Resource, { kind: K }>;

export type AwsTags = Readonly<Record<string, string>>;

export const rdsEngines = [
  'postgres',
  'mysql',
  'mariadb',
  'oracle-ee',
  'oracle-se2',
  'sqlserver-ee',
  'sqlserver-se',
  'sqlserver-ex',
  'sqlserver-web',
] as const;

export type RdsEngine = (typeof rdsEngines)[number];

/** An RDS DB instance (not an Aurora cluster member). */
export interface RdsInstance {
  readonly kind: 'rds-instance';
  readonly alias: string;
  /** The real DBInstanceIdentifier. */
  readonly identifier: string;
  readonly region: string;
  readonly engine: RdsEngine;
  readonly engineVersion?: string;
  readonly instanceClass: string;
  readonly allocatedStorageGiB: number;
  readonly multiAZ: boolean;
  /** Where the primary starts out; unset, the sim draws it from the seed. */
  readonly availabilityZone?: string;
  /** 0 disables automated backups (and with them PITR and read replicas). */
  readonly backupRetentionDays: number;
  readonly tags: AwsTags;
  /** The DB subnet group's subnets; empty when the environment does not say. */
  readonly subnetIds: readonly string[];
}

/** A read replica of an `rds-instance`, in the same or another region. */
export interface RdsReadReplica {
  readonly kind: 'rds-read-replica';
  readonly alias: string;
  readonly identifier: string;
  /** Alias of the source `rds-instance`. */
  readonly source: string;
  readonly region: string;
  /** The source's class unless the file sets one. */
  readonly instanceClass: string;
  readonly multiAZ: boolean;
  readonly tags: AwsTags;
  readonly subnetIds: readonly string[];
}

// ── Faults ───────────────────────────────────────────────────────────────

/** A named fault: an FIS experiment template and the region it runs in. */
export interface Fault {
  readonly name: string;
  /** Region the experiment is created in; the primary region unless the file says. */
  readonly region: string;
  /** Path of the template file, resolved against the environment file's folder. */
  readonly templateFile: string;
  readonly template: FisExperimentTemplate;
}

/**
 * FIS CreateExperimentTemplate input without `clientToken`, as written in
 * `scenarios/templates/*.json`. Assignable to the SDK's input type (the env
 * tests check that at compile time).
 */
export interface FisExperimentTemplate {
  description: string;
  roleArn: string;
  targets?: Record<string, FisTarget>;
  actions: Record<string, FisAction>;
  stopConditions: FisStopCondition[];
  tags?: Record<string, string>;
  logConfiguration?: FisLogConfiguration;
  experimentOptions?: FisExperimentOptions;
}

export interface FisTarget {
  /** `aws:rds:db`, `aws:ec2:subnet`, `aws:iam:role`, … */
  resourceType: string;
  resourceArns?: string[];
  resourceTags?: Record<string, string>;
  filters?: { path: string; values: string[] }[];
  /** `ALL`, `COUNT(n)` or `PERCENT(n)`. */
  selectionMode: string;
  parameters?: Record<string, string>;
}

export interface FisAction {
  /** `aws:rds:reboot-db-instances`, or the sim-only `gameday:sim:region-outage`. */
  actionId: string;
  description?: string;
  parameters?: Record<string, string>;
  /** Action target key (`DBInstances`) → name of a template target. */
  targets?: Record<string, string>;
  startAfter?: string[];
}

export interface FisStopCondition {
  /** `aws:cloudwatch:alarm` or `none`. */
  source: string;
  value?: string;
}

export interface FisLogConfiguration {
  logSchemaVersion: number;
  cloudWatchLogsConfiguration?: { logGroupArn: string };
  s3Configuration?: { bucketName: string; prefix?: string };
}

export interface FisExperimentOptions {
  accountTargeting?: 'single-account' | 'multi-account';
  emptyTargetResolutionMode?: 'fail' | 'skip';
}

// ── The sim ──────────────────────────────────────────────────────────────

export interface SimSettings {
  /** Used when the command line gives no `--seed`. */
  readonly seed: number;
  readonly accountId: string;
  /** Ranges the file overrides, each complete (a half-given range is filled from the default). */
  readonly calibration: Readonly<Partial<Calibration>>;
  /** IAM role names that exist in the simulated account (targets for `aws:fis:inject-api-*`). */
  readonly roles: readonly string[];
  /** Access key id → role name; keys not listed act as the game-day runner. */
  readonly identities: Readonly<Record<string, string>>;
  /** Subnets FIS can disrupt (`aws:ec2:subnet`). */
  readonly subnets: readonly SimSubnet[];
}

export interface SimSubnet {
  readonly id: string;
  readonly region: string;
  readonly availabilityZone: string;
  readonly tags: AwsTags;
}

// ── Problems ─────────────────────────────────────────────────────────────

/** One thing wrong with an environment file or a template it references. */
export interface EnvironmentProblem {
  /** The file the problem is in (the environment file or a template). */
  readonly file: string;
  /** 1-based; 0 when the problem concerns the file as a whole (it cannot be read). */
  readonly line: number;
  readonly column: number;
  /** Where in the document, e.g. `resources.orders-db.multiAZ`; empty for the document itself. */
  readonly path: string;
  readonly message: string;
}

/** Reads a file as UTF-8 text; rejects with a Node-style `code` (`ENOENT`) when it cannot. */
export type ReadTextFile = (path: string) => Promise<string>;
