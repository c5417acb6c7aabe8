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
  /** The DR strategy the environment implements, for scenarios whose tags name none. */
  readonly strategy?: DrStrategy;
  /**
   * What the end of a scenario does with a primary a recovery action moved:
   * move it back, or leave it (listed as left changed). failBack unless the
   * file says: on the sim too, so a rehearsal journals what staging would.
   */
  readonly afterScenario: 'failBack' | 'leave';
  readonly regions: Regions;
  /** Resources by alias, in file order. The alias is what features quote. */
  readonly resources: Readonly<Record<string, Resource>>;
  /** Fault name → its FIS experiment template, in file order. */
  readonly faults: Readonly<Record<string, Fault>>;
  /** Added to every FIS experiment this environment runs (DESIGN §9). */
  readonly stopConditions: readonly StopCondition[];
  readonly probes: ProbeSettings;
  /**
   * Where entries are in `file`, for messages about them after loading: keys
   * are paths as problems show them (`resources.orders-api.regions.us-west-2`);
   * the loader records each resource and each orders-api deployment.
   */
  readonly locations?: Readonly<Record<string, SourceLocation>>;
}

/** 1-based line and column in the environment file. */
export interface SourceLocation {
  readonly line: number;
  readonly column: number;
}

export interface SimEnvironment extends EnvironmentCommon {
  readonly target: 'sim';
  /** Optional on the sim; when set, the account guard checks the sim's account against it too. */
  readonly allowedAccountIds: readonly string[];
  readonly sim: SimSettings;
}

export interface AwsEnvironment extends EnvironmentCommon {
  readonly target: 'aws';
  /**
   * `endpoint-url`: HTTP requests to the orders service (probes, canaries)
   * connect to the endpoint override (AWS_ENDPOINT_URL) and name the
   * service's host in their Host header: a rehearsal against `gameday sim serve`.
   */
  readonly httpVia?: 'endpoint-url';
  /** The tag every resource a game day touches must carry (one key: value), checked before any mutating call. */
  readonly requireTag?: Readonly<Record<string, string>>;
  /** STS GetCallerIdentity must name one of these before anything runs; never empty. */
  readonly allowedAccountIds: readonly [string, ...string[]];
  /** Role name (as features say it: "backup-admin") → the IAM role the target assumes to act as it. */
  readonly roles: Readonly<Record<string, AssumedRole>>;
}

/** An IAM role in one of allowedAccountIds, assumed with STS AssumeRole. */
export interface AssumedRole {
  readonly name: string;
  readonly roleArn: string;
  /** Sent as ExternalId when the role's trust policy asks for one. */
  readonly externalId?: string;
}

export interface Regions {
  readonly primary: string;
  /** The DR region; absent for a single-region environment. */
  readonly secondary?: string;
  /** Region → the Availability Zones `${gameday:AvailabilityZones}` names there, where the file declares them. */
  readonly availabilityZones?: Readonly<Record<string, readonly string[]>>;
}

/** Probing defaults; a step may override them for its own probe. */
export interface ProbeSettings {
  /** Seconds between probe samples: the resolution of a measured RTO. */
  readonly resolutionSeconds: number;
  /** Healthy answers in a row before a service counts as recovered. */
  readonly consecutiveSuccesses: number;
  /**
   * How long after the incident a breached RTO is still watched for recovery
   * (`probes.observeAfterBreach`); unset: 4× the target, from 5 minutes to 2 hours.
   */
  readonly observeAfterBreachSeconds?: number;
  /**
   * On aws, how long a scenario waits before its first step for steady state
   * (`probes.steadyStateWithin`) before it is skipped; default 15 minutes.
   */
  readonly steadyStateWithinSeconds: number;
}

/** An FIS stop condition, in CreateExperimentTemplate's shape. */
export interface StopCondition {
  readonly source: 'aws:cloudwatch:alarm';
  /** The alarm's ARN. */
  readonly value: string;
}

// ── Resources ────────────────────────────────────────────────────────────
// One interface per kind, discriminated by `kind`. A new kind joins the
// `Resource` union (and `resourceKinds`); `resolveAlias` and the checks pick
// it up by kind. Most kinds have an `identifier` (the real AWS name) and a
// `region`; an orders-api spans regions and a DNS record is global, so code
// that handles any resource narrows on `kind` (or `'region' in resource`).

export type Resource =
  | RdsInstance
  | RdsReadReplica
  | RdsCluster
  | DynamoDbTable
  | S3Bucket
  | EbsVolume
  | BackupPlan
  | OrdersApi
  | DnsFailoverRecord
  | DrsSourceServers
  | BackupFramework;

export type ResourceKind = Resource['kind'];

export type ResourceOfKind<K extends ResourceKind> = Extract<Resource, { kind: K }>;

export type AwsTags = Readonly<Record<string, string>>;

/** The DR strategies of AWS's disaster-recovery whitepaper, as scenario tags name them (`@pilot-light`). */
export const drStrategies = ['backup-and-restore', 'pilot-light', 'warm-standby', 'active-active'] as const;
export type DrStrategy = (typeof drStrategies)[number];

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

export const auroraEngines = ['aurora-postgresql', 'aurora-mysql'] as const;

export type AuroraEngine = (typeof auroraEngines)[number];

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

/** One DB instance of an `rds-cluster`: where it runs and how RDS ranks it for promotion. */
export interface RdsClusterInstance {
  readonly identifier: string;
  readonly availabilityZone: string;
  /** 0 (promoted first) to 15; 1 unless the file says, as RDS defaults it. */
  readonly promotionTier: number;
  /** The cluster's `instanceClass` unless the file sets one. */
  readonly instanceClass?: string;
}

/**
 * An Aurora DB cluster: the writer and its readers share one volume, so a
 * failover (a reader promoted, 15–35 s) loses no acknowledged write. An
 * orders-api writes through its writer (the cluster endpoint).
 */
export interface RdsCluster {
  readonly kind: 'rds-cluster';
  readonly alias: string;
  /** The real DBClusterIdentifier. */
  readonly identifier: string;
  readonly region: string;
  readonly engine: AuroraEngine;
  readonly engineVersion?: string;
  /** The instances' class, unless one says otherwise. */
  readonly instanceClass: string;
  /** 1–35: Aurora always keeps automated backups. */
  readonly backupRetentionDays: number;
  /** The writer at t = 0. */
  readonly writer: RdsClusterInstance;
  readonly readers: readonly RdsClusterInstance[];
  readonly tags: AwsTags;
  /** The DB subnet group's subnets, one per instance's zone at least; empty when the environment does not say. */
  readonly subnetIds: readonly string[];
}

export type DynamoDbKeyType = 'S' | 'N' | 'B';

export interface DynamoDbKeyAttribute {
  readonly name: string;
  readonly type: DynamoDbKeyType;
}

/** A DynamoDB table; with `replicaRegions`, a global table (version 2019.11.21). */
export interface DynamoDbTable {
  readonly kind: 'dynamodb-table';
  readonly alias: string;
  /** The real TableName, the same in every replica region. */
  readonly identifier: string;
  /** Where the table was created; its replicas are in `replicaRegions`. */
  readonly region: string;
  /** Global table (2019.11.21) replicas, not including `region`; empty for a single-region table. */
  readonly replicaRegions: readonly string[];
  readonly pointInTimeRecovery: boolean;
  readonly billingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
  readonly partitionKey: DynamoDbKeyAttribute;
  readonly sortKey?: DynamoDbKeyAttribute;
  readonly tags: AwsTags;
  /** Items that exist at t = 0 (the sim generates them from the alias and an index). */
  readonly seedItems: number;
}

/** Cross-region replication of an `s3-bucket` (one rule, every object). */
export interface S3Replication {
  /** Alias of another `s3-bucket`, in another region, versioned. */
  readonly destination: string;
  /** S3 Replication Time Control: 99.99% of objects within 15 minutes. */
  readonly replicationTimeControl: boolean;
  readonly deleteMarkerReplication: boolean;
}

export interface S3Bucket {
  readonly kind: 's3-bucket';
  readonly alias: string;
  /** The bucket name (globally unique). */
  readonly identifier: string;
  readonly region: string;
  readonly versioning: boolean;
  readonly tags: AwsTags;
  readonly replication?: S3Replication;
  /** Objects that exist at t = 0 (generated from the alias and an index), already replicated. */
  readonly seedObjects: number;
}

export const ebsVolumeTypes = ['gp3', 'gp2', 'io2', 'st1'] as const;

export type EbsVolumeType = (typeof ebsVolumeTypes)[number];

export interface EbsVolume {
  readonly kind: 'ebs-volume';
  readonly alias: string;
  /** The volume id, `vol-` and 8 or 17 hex digits. */
  readonly identifier: string;
  readonly region: string;
  readonly availabilityZone: string;
  readonly sizeGiB: number;
  readonly volumeType: EbsVolumeType;
  readonly tags: AwsTags;
}

/** Where a backup rule copies its recovery points (usually the DR region). */
export interface BackupCopyAction {
  readonly region: string;
  readonly vault: string;
  /** The copy's retention; the rule's when absent. */
  readonly deleteAfterDays?: number;
}

export interface BackupRule {
  readonly name: string;
  /** `cron(…)` in UTC, as AWS Backup takes it. */
  readonly schedule: string;
  readonly deleteAfterDays: number;
  readonly copyTo?: BackupCopyAction;
}

/** Which resources a plan protects: those carrying any of the tags, and those named (either is enough). */
export interface BackupSelection {
  readonly tags: AwsTags;
  /** Aliases of resources in the plan's region. */
  readonly resources: readonly string[];
}

/** An AWS Backup plan with its vault, rules and one selection. */
export interface BackupPlan {
  readonly kind: 'backup-plan';
  readonly alias: string;
  /** The plan's name. */
  readonly identifier: string;
  readonly region: string;
  /** The rules' target vault, in the plan's region. */
  readonly vault: string;
  readonly rules: readonly BackupRule[];
  readonly selection: BackupSelection;
}

/** How much of its fleet a region of the orders API runs: all of it, a warm standby's share, or none (pilot light). */
export type OrdersCapacity = 'full' | 'reduced' | 'none';

export interface OrdersApiRegion {
  /** The regional endpoint name, e.g. `orders.us-east-1.securecart.internal`. */
  readonly endpoint: string;
  /** Alias of the `rds-instance`, `rds-read-replica` or `rds-cluster` the region's service writes to. */
  readonly database: string;
  readonly capacity: OrdersCapacity;
  /** The full fleet size, what a scale-up brings the region to. */
  readonly instances: number;
  /**
   * The fleet's EC2 Auto Scaling group, as written. On the sim it defaults to
   * `<alias>-<region>`; on aws a scale-up needs it. Read it through
   * `autoScalingGroupOf`, which applies the default and says what is missing.
   */
  readonly autoScalingGroup?: string;
}

/** SecureCart's orders service: one regional deployment per region, one public URL. */
export interface OrdersApi {
  readonly kind: 'orders-api';
  readonly alias: string;
  /** The public URL clients and probes use, e.g. `https://api.securecart.example`. */
  readonly url: string;
  /** Answers 200 while the service is healthy; `/health` unless the file says. */
  readonly healthPath: string;
  /** Region → its deployment, in file order. */
  readonly regions: Readonly<Record<string, OrdersApiRegion>>;
  /** Tags of its Auto Scaling groups, their instances and its load balancers (what FIS selects them by). */
  readonly tags: Readonly<Record<string, string>>;
}

export interface DnsFailoverTarget {
  readonly region: string;
  /** Alias of an `orders-api` deployed in `region`. */
  readonly service: string;
}

/** A Route 53 failover pair (PRIMARY and SECONDARY records, each with a health check of its region's service). */
export interface DnsFailoverRecord {
  readonly kind: 'dns-failover-record';
  readonly alias: string;
  /** The record name, e.g. `api.securecart.example`. */
  readonly identifier: string;
  /** The public hosted zone the record is in, e.g. `securecart.example`. */
  readonly zone: string;
  readonly ttlSeconds: number;
  readonly primary: DnsFailoverTarget;
  readonly secondary: DnsFailoverTarget;
  readonly healthCheck: { readonly intervalSeconds: 10 | 30; readonly failureThreshold: number };
}

/** One server DRS replicates. */
export interface DrsSourceServer {
  /** As the DRS agent reports it (IdentificationHints.hostname): how the game day finds its source server. */
  readonly hostname: string;
  readonly instanceType: string;
  readonly diskGiB: number;
}

/**
 * Servers AWS Elastic Disaster Recovery replicates into a staging area in
 * `region` (DRS is regional: a source server belongs to the region it
 * replicates into) and recovers there. Declared on their own rather than
 * derived from an orders-api fleet: DRS replicates named machines, while an
 * Auto Scaling fleet's instances come and go.
 */
export interface DrsSourceServers {
  readonly kind: 'drs-source-servers';
  readonly alias: string;
  /** The DRS region, where recovery launches. */
  readonly region: string;
  /** Where the servers run. */
  readonly sourceRegion: string;
  readonly servers: readonly DrsSourceServer[];
  readonly tags: AwsTags;
}

/** The Backup Audit Manager controls an environment's frameworks may hold (the ones the simulator evaluates). */
export const backupAuditControls = [
  'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN',
  'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK',
  'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK',
  'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION',
  'BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED',
] as const;

export type BackupAuditControl = (typeof backupAuditControls)[number];

export interface BackupFrameworkControl {
  readonly name: BackupAuditControl;
  /** ControlInputParameters, name → value; the control's defaults for the rest. */
  readonly parameters: Readonly<Record<string, string>>;
  readonly scope?: { readonly resourceTypes?: readonly string[]; readonly tags?: AwsTags };
}

/** An AWS Backup Audit Manager framework and the report plan the game day reads its compliance from. */
export interface BackupFramework {
  readonly kind: 'backup-framework';
  readonly alias: string;
  /** The framework's name. */
  readonly identifier: string;
  readonly region: string;
  readonly description?: string;
  readonly controls: readonly BackupFrameworkControl[];
  /** A RESOURCE_COMPLIANCE_REPORT plan over the framework, writing JSON to the bucket (an s3-bucket alias). */
  readonly report: { readonly plan: string; readonly bucket: string; readonly prefix?: string };
}

// ── Faults ───────────────────────────────────────────────────────────────

/** A named fault: an FIS experiment template and the region it runs in. */
export interface Fault {
  readonly name: string;
  /** Region the experiment is created in; the primary region unless the file says. */
  readonly region: string;
  /** Path of the template file, resolved against the environment file's folder. */
  readonly templateFile: string;
  /** As written, with its pseudo parameters (`${AWS::AccountId}`, …) resolved for this fault's account and region. */
  readonly template: FisExperimentTemplate;
  /** Where each key of the template is in `templateFile`, by its path as problems show it (`actions.reboot.actionId`). */
  readonly templateLocations?: Readonly<Record<string, SourceLocation>>;
  /**
   * Where the template says `${gameday:AvailabilityZones}` and the environment
   * declares the region's zones: those zones, and where each is written in the
   * environment file, for the aws target's dry run to check they exist.
   */
  readonly declaredZones?: { readonly zones: readonly string[]; readonly file: string; readonly locations: readonly SourceLocation[] };
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
  /** Seeds each scenario runs under when the command line gives no `--samples` (absent: 1, the plain run). */
  readonly samples?: number;
  /** With samples: the share of them that must meet an objective for it to count as met. */
  readonly confidence: number;
  readonly accountId: string;
  /** Durations the file overrides, each complete (what it leaves out, range end or tail, is the default's). */
  readonly calibration: Readonly<Partial<Calibration>>;
  /** IAM role names that exist in the simulated account (targets for `aws:fis:inject-api-*`). */
  readonly roles: readonly string[];
  /** Access key id → role name; keys not listed act as the game-day runner. */
  readonly identities: Readonly<Record<string, string>>;
  /** Subnets FIS can disrupt (`aws:ec2:subnet`). */
  readonly subnets: readonly SimSubnet[];
  /** Transit gateways whose cross-region peering FIS can disrupt (`aws:ec2:transit-gateway`). */
  readonly transitGateways: readonly SimTransitGateway[];
}

export interface SimTransitGateway {
  readonly id: string;
  readonly region: string;
  /** Regions its peering attachments reach (every other region with a transit gateway, unless the file says). */
  readonly peerRegions: readonly string[];
  readonly tags: AwsTags;
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
