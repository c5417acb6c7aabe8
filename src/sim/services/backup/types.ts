import type { EpochMs, TimerHandle } from '../../../clock/types.js';
import type { Rng } from '../../types.js';
import type { CronSchedule } from './cron.js';

/** The resource types the sim backs up, as AWS Backup names them. */
export type BackupResourceType = 'RDS' | 'EBS' | 'DynamoDB';

export interface Lifecycle {
  MoveToColdStorageAfterDays?: number;
  DeleteAfterDays?: number;
}

export interface BackupVault {
  readonly name: string;
  readonly region: string;
  readonly arn: string;
  readonly createdAt: EpochMs;
  readonly encryptionKeyArn: string;
  creatorRequestId?: string;
  tags: Record<string, string>;
}

export interface CopyAction {
  DestinationBackupVaultArn: string;
  Lifecycle?: Lifecycle;
}

export interface BackupRule {
  RuleId: string;
  RuleName: string;
  TargetBackupVaultName: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone: string;
  StartWindowMinutes: number;
  CompletionWindowMinutes: number;
  Lifecycle?: Lifecycle;
  RecoveryPointTags?: Record<string, string>;
  CopyActions: CopyAction[];
  EnableContinuousBackup?: boolean;
  /** Parsed ScheduleExpression. */
  schedule: CronSchedule;
}

export interface BackupPlanVersion {
  versionId: string;
  name: string;
  rules: BackupRule[];
  createdAt: EpochMs;
}

export interface BackupPlan {
  readonly id: string;
  readonly region: string;
  readonly arn: string;
  readonly createdAt: EpochMs;
  creatorRequestId?: string;
  /** Oldest first; the last is the plan in force. */
  versions: BackupPlanVersion[];
  deletedAt?: EpochMs;
  lastExecutionAt?: EpochMs;
  tags: Record<string, string>;
  /** The next run of each rule, by RuleId. */
  timers: Map<string, TimerHandle>;
}

export interface TagCondition {
  ConditionType: 'STRINGEQUALS';
  ConditionKey: string;
  ConditionValue: string;
}

export interface ConditionParameter {
  ConditionKey: string;
  ConditionValue: string;
}

export interface SelectionConditions {
  StringEquals?: ConditionParameter[];
  StringNotEquals?: ConditionParameter[];
  StringLike?: ConditionParameter[];
  StringNotLike?: ConditionParameter[];
}

export interface BackupSelection {
  readonly id: string;
  readonly planId: string;
  readonly createdAt: EpochMs;
  name: string;
  iamRoleArn: string;
  resources: string[];
  notResources: string[];
  listOfTags: TagCondition[];
  conditions: SelectionConditions;
  creatorRequestId?: string;
}

/** Who made a recovery point: the plan and rule, when it was not an on-demand job. */
export interface RecoveryPointCreator {
  BackupPlanId: string;
  BackupPlanArn: string;
  BackupPlanName: string;
  BackupPlanVersion: string;
  BackupRuleId: string;
  BackupRuleName: string;
  BackupRuleCron: string;
  BackupRuleTimezone: string;
}

export type BackupJobState = 'CREATED' | 'PENDING' | 'RUNNING' | 'ABORTING' | 'ABORTED' | 'COMPLETED' | 'FAILED' | 'EXPIRED' | 'PARTIAL';
export type CopyJobState = 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'PARTIAL';
export type RestoreJobStatus = 'PENDING' | 'RUNNING' | 'COMPLETED' | 'ABORTED' | 'FAILED';
export type RecoveryPointStatus = 'COMPLETED' | 'PARTIAL' | 'DELETING' | 'EXPIRED' | 'AVAILABLE' | 'STOPPED' | 'CREATING';

export interface BackupJob {
  readonly id: string;
  readonly region: string;
  readonly vaultName: string;
  readonly vaultArn: string;
  readonly resourceArn: string;
  readonly resourceType: BackupResourceType;
  readonly resourceName?: string;
  readonly iamRoleArn: string;
  readonly createdAt: EpochMs;
  /** When the job may begin (after the calibrated `backup.job.start`). */
  readyAt: EpochMs;
  /** The end of the start window: a job not begun by then expires. */
  startBy: EpochMs;
  state: BackupJobState;
  statusMessage?: string;
  percentDone: number;
  /** When the service's own snapshot began (the job went RUNNING). */
  initiatedAt?: EpochMs;
  completedAt?: EpochMs;
  recoveryPointArn?: string;
  backupSizeInBytes?: number;
  lifecycle?: Lifecycle;
  recoveryPointTags?: Record<string, string>;
  createdBy?: RecoveryPointCreator;
  copyActions: CopyAction[];
  rng: Rng;
  timers: Set<TimerHandle>;
}

export interface RecoveryPoint {
  readonly arn: string;
  readonly region: string;
  readonly vaultName: string;
  readonly vaultArn: string;
  readonly resourceArn: string;
  readonly resourceType: BackupResourceType;
  readonly resourceName?: string;
  readonly iamRoleArn: string;
  /** When the backup (or copy) job that made it was created. */
  readonly createdAt: EpochMs;
  readonly initiatedAt: EpochMs;
  completedAt?: EpochMs;
  status: RecoveryPointStatus;
  statusMessage?: string;
  backupSizeInBytes?: number;
  lifecycle?: Lifecycle;
  createdBy?: RecoveryPointCreator;
  /** Set on a copy: the vault the source recovery point is in. */
  sourceBackupVaultArn?: string;
  encryptionKeyArn: string;
  lastRestoreAt?: EpochMs;
  tags: Record<string, string>;
}

export interface CopyJob {
  readonly id: string;
  /** The source region, where the copy job is listed. */
  readonly region: string;
  readonly sourceVaultArn: string;
  readonly sourceRecoveryPointArn: string;
  readonly destinationVaultArn: string;
  readonly resourceArn: string;
  readonly resourceType: BackupResourceType;
  readonly resourceName?: string;
  readonly iamRoleArn: string;
  readonly createdAt: EpochMs;
  readyAt: EpochMs;
  state: CopyJobState;
  statusMessage?: string;
  completedAt?: EpochMs;
  destinationRecoveryPointArn?: string;
  destinationLifecycle?: Lifecycle;
  backupSizeInBytes?: number;
  createdBy?: RecoveryPointCreator;
  createdByBackupJobId?: string;
  rng: Rng;
  timers: Set<TimerHandle>;
}

export interface RestoreJob {
  readonly id: string;
  readonly region: string;
  readonly recoveryPointArn: string;
  readonly recoveryPointCreatedAt: EpochMs;
  readonly vaultArn: string;
  readonly sourceResourceArn: string;
  readonly resourceType: BackupResourceType;
  readonly iamRoleArn: string;
  readonly metadata: Record<string, string>;
  readonly createdAt: EpochMs;
  readyAt: EpochMs;
  status: RestoreJobStatus;
  statusMessage?: string;
  percentDone: number;
  completedAt?: EpochMs;
  createdResourceArn?: string;
  backupSizeInBytes?: number;
  rng: Rng;
  timers: Set<TimerHandle>;
}

/** One page of a List call. */
export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export interface PageInput {
  MaxResults?: number;
  NextToken?: string;
}

// ── Inputs, named as AWS Backup names them, already read from the wire ─────

export interface CreateBackupVaultInput {
  BackupVaultName: string;
  BackupVaultTags?: Record<string, string>;
  EncryptionKeyArn?: string;
  CreatorRequestId?: string;
}

export interface BackupRuleInput {
  RuleName?: string;
  TargetBackupVaultName?: string;
  ScheduleExpression?: string;
  ScheduleExpressionTimezone?: string;
  StartWindowMinutes?: number;
  CompletionWindowMinutes?: number;
  Lifecycle?: Lifecycle;
  RecoveryPointTags?: Record<string, string>;
  CopyActions?: CopyAction[];
  EnableContinuousBackup?: boolean;
}

export interface BackupPlanInput {
  BackupPlanName?: string;
  Rules?: BackupRuleInput[];
}

export interface CreateBackupPlanInput {
  BackupPlan?: BackupPlanInput;
  BackupPlanTags?: Record<string, string>;
  CreatorRequestId?: string;
}

export interface BackupSelectionInput {
  SelectionName?: string;
  IamRoleArn?: string;
  Resources?: string[];
  NotResources?: string[];
  ListOfTags?: { ConditionType?: string; ConditionKey?: string; ConditionValue?: string }[];
  Conditions?: SelectionConditions;
}

export interface StartBackupJobInput {
  BackupVaultName?: string;
  ResourceArn?: string;
  IamRoleArn?: string;
  IdempotencyToken?: string;
  StartWindowMinutes?: number;
  CompleteWindowMinutes?: number;
  Lifecycle?: Lifecycle;
  RecoveryPointTags?: Record<string, string>;
}

export interface StartRestoreJobInput {
  RecoveryPointArn?: string;
  Metadata?: Record<string, string>;
  IamRoleArn?: string;
  IdempotencyToken?: string;
  ResourceType?: string;
  CopySourceTagsToRestoredResource?: boolean;
}

export interface StartCopyJobInput {
  RecoveryPointArn?: string;
  SourceBackupVaultName?: string;
  DestinationBackupVaultArn?: string;
  IamRoleArn?: string;
  IdempotencyToken?: string;
  Lifecycle?: Lifecycle;
}

/**
 * A region's AWS Backup settings (DescribeRegionSettings): which resource
 * types tag-based selections take, and which types Backup fully manages
 * (DynamoDB: its advanced features, so recovery points are Backup's own and
 * can be copied across regions).
 */
export interface RegionSettings {
  ResourceTypeOptInPreference: Record<string, boolean>;
  ResourceTypeManagementPreference: Record<string, boolean>;
}

export interface UpdateRegionSettingsInput {
  ResourceTypeOptInPreference?: Record<string, boolean>;
  ResourceTypeManagementPreference?: Record<string, boolean>;
}

export interface ListBackupJobsInput extends PageInput {
  ByResourceArn?: string;
  ByState?: string;
  ByBackupVaultName?: string;
  ByCreatedBefore?: EpochMs;
  ByCreatedAfter?: EpochMs;
  ByResourceType?: string;
  ByAccountId?: string;
  ByCompleteBefore?: EpochMs;
  ByCompleteAfter?: EpochMs;
}

export interface ListRecoveryPointsInput extends PageInput {
  ByResourceArn?: string;
  ByResourceType?: string;
  ByBackupPlanId?: string;
  ByCreatedBefore?: EpochMs;
  ByCreatedAfter?: EpochMs;
}

export interface ListRestoreJobsInput extends PageInput {
  ByStatus?: string;
  ByResourceType?: string;
  ByCreatedBefore?: EpochMs;
  ByCreatedAfter?: EpochMs;
  ByCompleteBefore?: EpochMs;
  ByCompleteAfter?: EpochMs;
}

export interface ListCopyJobsInput extends PageInput {
  ByResourceArn?: string;
  ByState?: string;
  ByDestinationVaultArn?: string;
  ByCreatedBefore?: EpochMs;
  ByCreatedAfter?: EpochMs;
  ByResourceType?: string;
  BySourceRecoveryPointArn?: string;
  ByCompleteBefore?: EpochMs;
  ByCompleteAfter?: EpochMs;
}

// ── Seeding (DESIGN §6: steady state at t = 0) ──────────────────────────────

export interface SeedBackupRuleSpec {
  name: string;
  /** The target vault, in the plan's region. */
  vault: string;
  /** `cron(0 5 ? * * *)` unless told (AWS Backup's default daily rule). */
  schedule?: string;
  startWindowMinutes?: number;
  completionWindowMinutes?: number;
  deleteAfterDays?: number;
  /** Copy every recovery point to these vaults (usually in another region). */
  copyTo?: { region: string; vault: string; deleteAfterDays?: number }[];
}

export interface SeedBackupSelectionSpec {
  name: string;
  /** Resource ARNs (wildcards `*` allowed). */
  resources?: string[];
  notResources?: string[];
  /** Resources carrying any of these tags (ListOfTags is an OR). */
  tags?: Record<string, string>;
  iamRoleArn?: string;
}

export interface SeedBackupPlanSpec {
  name: string;
  region: string;
  /** Vaults to create (those the rules and copies name are created anyway). */
  vaults?: { name: string; region: string }[];
  rules: SeedBackupRuleSpec[];
  selections: SeedBackupSelectionSpec[];
  /** Recovery points (and their copies) as far back as each rule's retention implies; default true. */
  history?: boolean;
  /**
   * Opt the plan's region into AWS Backup's advanced DynamoDB features
   * (ResourceTypeManagementPreference DynamoDB) before the history is made,
   * so DynamoDB recovery points are Backup's own and their cross-region
   * copies exist. Default: on when a rule copies to another region and the
   * plan selects a DynamoDB table, as such a plan only works with them;
   * `false` leaves the region's settings as they are.
   */
  advancedDynamoDbBackup?: boolean;
}

export interface SeededBackupPlan {
  plan: BackupPlan;
  selections: BackupSelection[];
  recoveryPoints: RecoveryPoint[];
  /** Recovery points that could not be made, with why (the resource did not exist yet; a DynamoDB copy without advanced features). */
  skipped: { resourceArn: string; at: EpochMs; reason: string }[];
}

// ── Compliance (Backup Audit Manager's idea) ────────────────────────────────

export interface ComplianceOptions {
  /** Every protecting rule must keep recovery points at least this long. */
  minRetentionDays: number;
  /** Recovery points must be copied to another region (a rule says so, and a copy exists). */
  requireCrossRegionCopy?: boolean;
  /** The latest completed recovery point must be at most this old. */
  maxRecoveryPointAgeHours?: number;
  /** Resources to evaluate; default: every supported resource in `regions`. */
  resourceArns?: string[];
  /** Default: every region with a backup plan or vault. */
  regions?: string[];
}

export interface PlanCoverage {
  planId: string;
  planName: string;
  planRegion: string;
  selectionName: string;
  ruleName: string;
  vaultName: string;
  /** DeleteAfterDays, or null when recovery points are kept until deleted. */
  retentionDays: number | null;
  copyRegions: string[];
}

export interface ResourceCompliance {
  resourceArn: string;
  resourceType: BackupResourceType | 'unknown';
  region: string;
  coveredBy: PlanCoverage[];
  /** The longest retention of any protecting rule (null: indefinite; 0: not protected). */
  retentionDays: number | null;
  /** Regions other than the resource's holding a completed recovery point of it. */
  copiedToRegions: string[];
  latestRecoveryPoint?: { arn: string; region: string; completedAt: EpochMs };
  completedRecoveryPoints: number;
  compliant: boolean;
  reasons: string[];
}

export interface ComplianceReport {
  evaluatedAt: EpochMs;
  compliant: boolean;
  resources: ResourceCompliance[];
}

// ── Backup Audit Manager (audit.ts) ─────────────────────────────────────────

/** The controls the sim evaluates from its own state: the ones DR posture needs. */
export type AuditControlName =
  | 'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK'
  | 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK'
  | 'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN'
  | 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION'
  | 'BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED';

/** FrameworkControl, as CreateFramework takes it. */
export interface FrameworkControlInput {
  ControlName: string;
  ControlInputParameters?: { ParameterName: string; ParameterValue: string }[];
  ControlScope?: { ComplianceResourceIds?: string[]; ComplianceResourceTypes?: string[]; Tags?: Record<string, string> };
}

export interface FrameworkControl {
  name: AuditControlName;
  /** Parameter name → value, as given (defaults are the control's own). */
  parameters: Record<string, string>;
  scope: { resourceIds: string[]; resourceTypes: string[]; tags: Record<string, string> };
}

export interface Framework {
  readonly name: string;
  readonly region: string;
  readonly arn: string;
  readonly createdAt: EpochMs;
  description: string;
  controls: FrameworkControl[];
  readonly idempotencyToken?: string;
  readonly tags: Record<string, string>;
}

export interface CreateFrameworkInput {
  FrameworkName?: string;
  FrameworkDescription?: string;
  FrameworkControls?: FrameworkControlInput[];
  IdempotencyToken?: string;
  FrameworkTags?: Record<string, string>;
}

export type ComplianceStatus = 'COMPLIANT' | 'NON_COMPLIANT';

/** One resource as one control judges it (a RESOURCE_COMPLIANCE_REPORT row). */
export interface ResourceEvaluation {
  control: AuditControlName;
  /** `AWS::RDS::DBInstance`, `AWS::Backup::BackupPlan`, … */
  resourceType: string;
  /** The resource's ARN (or a backup plan's id). */
  resourceId: string;
  resourceName: string;
  status: ComplianceStatus;
  /** Why, in words, for people. */
  annotation: string;
}

export interface ControlEvaluation {
  control: FrameworkControl;
  status: ComplianceStatus;
  resources: ResourceEvaluation[];
}

export interface FrameworkEvaluation {
  framework: Framework;
  evaluatedAt: EpochMs;
  status: ComplianceStatus;
  controls: ControlEvaluation[];
}

export type ReportTemplate = 'RESOURCE_COMPLIANCE_REPORT' | 'CONTROL_COMPLIANCE_REPORT';

export interface ReportPlanInput {
  ReportPlanName?: string;
  ReportPlanDescription?: string;
  ReportDeliveryChannel?: { S3BucketName?: string; S3KeyPrefix?: string; Formats?: string[] };
  ReportSetting?: { ReportTemplate?: string; FrameworkArns?: string[]; NumberOfFrameworks?: number; Accounts?: string[]; OrganizationUnits?: string[]; Regions?: string[] };
  ReportPlanTags?: Record<string, string>;
  IdempotencyToken?: string;
}

export interface ReportPlan {
  readonly name: string;
  readonly region: string;
  readonly arn: string;
  readonly createdAt: EpochMs;
  description: string;
  delivery: { bucket: string; prefix?: string; formats: ('CSV' | 'JSON')[] };
  setting: { template: ReportTemplate; frameworkArns: string[]; accounts: string[]; organizationUnits: string[]; regions: string[] };
  readonly tags: Record<string, string>;
  readonly idempotencyToken?: string;
  lastAttemptedAt?: EpochMs;
  lastSucceededAt?: EpochMs;
}

export type ReportJobStatus = 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED';

export interface ReportJob {
  readonly id: string;
  readonly region: string;
  readonly planName: string;
  readonly planArn: string;
  readonly template: ReportTemplate;
  readonly createdAt: EpochMs;
  status: ReportJobStatus;
  statusMessage?: string;
  completedAt?: EpochMs;
  destination?: { bucket: string; keys: string[] };
  readonly timers: Set<TimerHandle>;
}
