import { scheduleOwned, type TimerOwner } from '../../owned-timers.js';
import type { EpochMs, TimerHandle } from '../../../clock/types.js';
import { AwsError, type Rng, type SimEvent, type SimWorld } from '../../types.js';
import { CronError, nextRun, parseCron, runsBetween, type CronSchedule } from './cron.js';
import { backupErrors } from './errors.js';
import { isBackupManagedArn, regionOfArn, resourceAdapters, type JobRef, type ProtectedResource, type ResourceAdapter } from './resources.js';
import type {
  BackupJob,
  BackupPlan,
  BackupPlanInput,
  BackupPlanVersion,
  BackupResourceType,
  BackupRule,
  BackupRuleInput,
  BackupSelection,
  BackupSelectionInput,
  BackupVault,
  ComplianceOptions,
  ComplianceReport,
  CopyAction,
  CopyJob,
  CreateBackupPlanInput,
  CreateBackupVaultInput,
  Lifecycle,
  ListBackupJobsInput,
  ListCopyJobsInput,
  ListRecoveryPointsInput,
  ListRestoreJobsInput,
  Page,
  PageInput,
  PlanCoverage,
  RecoveryPoint,
  RecoveryPointCreator,
  RegionSettings,
  ResourceCompliance,
  RestoreJob,
  SeedBackupPlanSpec,
  SeededBackupPlan,
  SelectionConditions,
  StartBackupJobInput,
  StartCopyJobInput,
  StartRestoreJobInput,
  TagCondition,
  UpdateRegionSettingsInput,
} from './types.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const HEX = '0123456789abcdef';

/** AWS Backup's defaults for a rule that does not say. */
const DEFAULT_SCHEDULE = 'cron(0 5 ? * * *)';
const DEFAULT_START_WINDOW_MINUTES = 480;
const DEFAULT_COMPLETION_WINDOW_MINUTES = 10_080;
/** The schedules the sim evaluates: AWS Backup's default, UTC. */
const UTC_ZONES = new Set(['Etc/UTC', 'UTC', 'GMT', 'Etc/GMT']);
/** How long an IdempotencyToken names the same job. */
const IDEMPOTENCY_MS = 15 * MINUTE_MS;

/**
 * The resource types AWS Backup's region settings name, and whether a
 * region takes each in tag-based selections before anyone says otherwise
 * (the sim's defaults: on AWS they depend on when the account started using
 * the Region). The sim backs up RDS, EBS and DynamoDB; the others are
 * accepted and shown.
 */
const OPT_IN_DEFAULTS: Readonly<Record<string, boolean>> = {
  Aurora: true,
  CloudFormation: false,
  DocumentDB: true,
  DynamoDB: true,
  EBS: true,
  EC2: true,
  EFS: true,
  FSx: true,
  Neptune: true,
  RDS: true,
  Redshift: false,
  S3: false,
  'SAP HANA on Amazon EC2': false,
  'Storage Gateway': true,
  Timestream: false,
  VirtualMachine: true,
};
/** The types AWS Backup can fully manage (ResourceTypeManagementPreference), off until a region opts in. */
const MANAGEMENT_DEFAULTS: Readonly<Record<string, boolean>> = { DynamoDB: false, EFS: false };

const namePattern = /^[a-zA-Z0-9\-_]{2,50}$/;
const ruleNamePattern = /^[a-zA-Z0-9\-_.]{1,50}$/;
const roleArnPattern = /^arn:aws:iam::\d{12}:role\/.+$/;
const vaultArnPattern = /^arn:aws:backup:([a-z0-9-]+):(\d{12}):backup-vault:([a-zA-Z0-9\-_]{2,50})$/;

type Job = BackupJob | CopyJob | RestoreJob;

/**
 * The simulated AWS Backup: vaults, plans whose rules fire on the virtual
 * clock, selections by ARN and tag, backup, copy and restore jobs, recovery
 * points with lifecycles. A recovery point is a real snapshot in its
 * service's model (through the adapters), so what Backup restores is what
 * that service's API then describes. State and rules only.
 */
export class BackupModel {
  private readonly vaults = new Map<string, BackupVault>();
  private readonly plans = new Map<string, BackupPlan>();
  private readonly selections = new Map<string, BackupSelection>();
  private readonly recoveryPoints = new Map<string, RecoveryPoint>();
  private readonly backupJobs = new Map<string, BackupJob>();
  private readonly copyJobs = new Map<string, CopyJob>();
  private readonly restoreJobs = new Map<string, RestoreJob>();
  /** Jobs not yet in a final state, in creation order. */
  private readonly active = new Set<Job>();
  private readonly idempotency = new Map<string, { jobId: string; at: EpochMs }>();
  private readonly regionSettings = new Map<string, RegionSettings>();
  private readonly ids: Rng;
  private recheckQueued = false;
  /** One timer for every lifecycle: it fires at the earliest deletion due and sets itself for the next. */
  private lifecycleSweep?: { at: EpochMs; handle: TimerHandle };
  readonly adapters: readonly ResourceAdapter[];

  constructor(
    private readonly world: SimWorld,
    adapters?: readonly ResourceAdapter[],
  ) {
    this.ids = world.rng.fork('backup:ids');
    this.adapters = adapters ?? resourceAdapters(world);
    // Jobs follow their service's snapshot, copy or restore: whenever one of
    // those services (or the network) changes state, running jobs look again.
    const prefixes = this.adapters.map((a) => a.eventPrefix);
    world.onEvent((event) => {
      if (this.active.size === 0) return;
      if (event.kind === 'region.restored' || event.kind === 'link.restored' || prefixes.some((p) => event.kind.startsWith(p))) {
        this.queueRecheck();
      }
    });
  }

  private now(): EpochMs {
    return this.world.clock.now();
  }

  // ── Ids and names ───────────────────────────────────────────────────────

  private uuid(): string {
    const r = this.ids;
    return `${r.alnum(8, HEX)}-${r.alnum(4, HEX)}-4${r.alnum(3, HEX)}-${r.pick(['8', '9', 'a', 'b'])}${r.alnum(3, HEX)}-${r.alnum(12, HEX)}`;
  }

  private jobId(): string {
    return this.uuid().toUpperCase();
  }

  private versionId(): string {
    return Buffer.from(this.uuid(), 'utf8').toString('base64');
  }

  vaultArn(region: string, name: string): string {
    return `arn:aws:backup:${region}:${this.world.accountId}:backup-vault:${name}`;
  }

  private planArn(region: string, id: string): string {
    return `arn:aws:backup:${region}:${this.world.accountId}:backup-plan:${id}`;
  }

  /** AWS Backup's own recovery points (fully managed types): `arn:aws:backup:…:recovery-point:<ID>`. */
  private managedRecoveryPointArn(region: string): string {
    return `arn:aws:backup:${region}:${this.world.accountId}:recovery-point:${this.jobId()}`;
  }

  /** The job a backup of `adapter`'s type in `region` is made for: Backup-managed when the region fully manages the type. */
  private backupJobRef(adapter: ResourceAdapter, region: string, jobId: string): JobRef {
    return adapter.fullManagement && this.fullyManages(region, adapter.type) ? { jobId, managedArn: this.managedRecoveryPointArn(region) } : { jobId };
  }

  /** A copy of a Backup-managed recovery point is Backup-managed too, in the destination region. */
  private copyJobRef(sourceArn: string, destinationRegion: string, jobId: string): JobRef {
    return isBackupManagedArn(sourceArn) ? { jobId, managedArn: this.managedRecoveryPointArn(destinationRegion) } : { jobId };
  }

  private adapterFor(resourceArn: string): ResourceAdapter | undefined {
    return this.adapters.find((a) => a.owns(resourceArn));
  }

  private adapterOfType(type: BackupResourceType): ResourceAdapter {
    const adapter = this.adapters.find((a) => a.type === type);
    if (!adapter) throw new Error(`no adapter for resource type ${type}`);
    return adapter;
  }

  // ── Scheduling ──────────────────────────────────────────────────────────

  private after(owner: TimerOwner, at: EpochMs, label: string, task: () => void): void {
    scheduleOwned(this.world.clock, owner, at, label, task);
  }

  /** Look at every running job once more, after whatever is happening at this instant has finished. */
  private queueRecheck(): void {
    if (this.recheckQueued) return;
    this.recheckQueued = true;
    this.world.clock.schedule(
      this.now(),
      () => {
        this.recheckQueued = false;
        for (const job of [...this.active]) this.advance(job);
      },
      'backup: check jobs',
    );
  }

  private advance(job: Job): void {
    if ('sourceRecoveryPointArn' in job) this.advanceCopyJob(job);
    else if ('metadata' in job) this.advanceRestoreJob(job);
    else this.advanceBackupJob(job);
  }

  // ── Region settings ─────────────────────────────────────────────────────

  describeRegionSettings(region: string): RegionSettings {
    const settings = this.regionSettings.get(region);
    return {
      ResourceTypeOptInPreference: { ...OPT_IN_DEFAULTS, ...settings?.ResourceTypeOptInPreference },
      ResourceTypeManagementPreference: { ...MANAGEMENT_DEFAULTS, ...settings?.ResourceTypeManagementPreference },
    };
  }

  /**
   * Opt resource types in or out of tag-based selections, and in or out of
   * full AWS Backup management (DynamoDB: the advanced features). Turning
   * management on or off changes the backups made from then on; recovery
   * points already made keep what they are.
   */
  updateRegionSettings(region: string, input: UpdateRegionSettingsInput): RegionSettings {
    const check = (map: Record<string, boolean> | undefined, known: Readonly<Record<string, boolean>>, member: string) => {
      for (const type of Object.keys(map ?? {})) {
        if (!Object.hasOwn(known, type)) throw backupErrors.invalidParameterValue(`Unsupported resource type ${type} in ${member}.`);
      }
    };
    check(input.ResourceTypeOptInPreference, OPT_IN_DEFAULTS, 'ResourceTypeOptInPreference');
    check(input.ResourceTypeManagementPreference, MANAGEMENT_DEFAULTS, 'ResourceTypeManagementPreference');
    const current = this.regionSettings.get(region) ?? { ResourceTypeOptInPreference: {}, ResourceTypeManagementPreference: {} };
    const updated: RegionSettings = {
      ResourceTypeOptInPreference: { ...current.ResourceTypeOptInPreference, ...input.ResourceTypeOptInPreference },
      ResourceTypeManagementPreference: { ...current.ResourceTypeManagementPreference, ...input.ResourceTypeManagementPreference },
    };
    this.regionSettings.set(region, updated);
    this.world.emit('backup.region-settings.updated', { region, ...this.describeRegionSettings(region) });
    return this.describeRegionSettings(region);
  }

  /** Whether AWS Backup fully manages `type`'s backups in `region` (for DynamoDB, its advanced features). */
  fullyManages(region: string, type: BackupResourceType): boolean {
    return this.describeRegionSettings(region).ResourceTypeManagementPreference[type] === true;
  }

  private optedIn(region: string, type: BackupResourceType): boolean {
    return this.describeRegionSettings(region).ResourceTypeOptInPreference[type] !== false;
  }

  // ── Vaults ──────────────────────────────────────────────────────────────

  private vaultKey(region: string, name: string): string {
    return `${region}/${name}`;
  }

  findVault(region: string, name: string): BackupVault | undefined {
    return this.vaults.get(this.vaultKey(region, name));
  }

  vault(region: string, name: string): BackupVault {
    const found = this.findVault(region, name);
    if (!found) throw backupErrors.vaultNotFound(name);
    return found;
  }

  vaultByArn(arn: string): BackupVault | undefined {
    const match = vaultArnPattern.exec(arn);
    if (!match || match[2] !== this.world.accountId) return undefined;
    return this.findVault(match[1]!, match[3]!);
  }

  createBackupVault(region: string, input: CreateBackupVaultInput): BackupVault {
    if (!namePattern.test(input.BackupVaultName)) {
      throw backupErrors.invalidParameterValue(
        `Invalid backup vault name ${input.BackupVaultName}: 2 to 50 letters, digits, hyphens and underscores.`,
      );
    }
    const existing = this.findVault(region, input.BackupVaultName);
    if (existing) {
      // The same request retried (same CreatorRequestId) gets the same vault.
      if (input.CreatorRequestId !== undefined && input.CreatorRequestId === existing.creatorRequestId) return existing;
      throw backupErrors.alreadyExists(`Backup vault with the same name ${input.BackupVaultName} already exists`);
    }
    const vault: BackupVault = {
      name: input.BackupVaultName,
      region,
      arn: this.vaultArn(region, input.BackupVaultName),
      createdAt: this.now(),
      encryptionKeyArn: input.EncryptionKeyArn ?? `arn:aws:kms:${region}:${this.world.accountId}:key/${this.uuid()}`,
      ...(input.CreatorRequestId !== undefined ? { creatorRequestId: input.CreatorRequestId } : {}),
      tags: { ...input.BackupVaultTags },
    };
    this.vaults.set(this.vaultKey(region, vault.name), vault);
    this.world.emit('backup.vault.created', { region, name: vault.name, arn: vault.arn });
    return vault;
  }

  listBackupVaults(region: string, page: PageInput): Page<BackupVault> {
    const vaults = [...this.vaults.values()].filter((v) => v.region === region).sort((a, b) => a.createdAt - b.createdAt || compare(a.name, b.name));
    return paginate(vaults, page);
  }

  deleteBackupVault(region: string, name: string): void {
    const vault = this.vault(region, name);
    const count = this.recoveryPointsIn(vault).length;
    if (count > 0) throw backupErrors.invalidRequest(`Backup vault cannot be deleted because it contains ${count} recovery points.`);
    this.vaults.delete(this.vaultKey(region, name));
    this.world.emit('backup.vault.deleted', { region, name, arn: vault.arn });
  }

  recoveryPointsIn(vault: BackupVault): RecoveryPoint[] {
    return [...this.recoveryPoints.values()].filter((rp) => rp.vaultArn === vault.arn);
  }

  // ── Plans ───────────────────────────────────────────────────────────────

  plan(region: string, id: string): BackupPlan {
    const plan = this.plans.get(id);
    if (!plan || plan.region !== region) throw backupErrors.planNotFound(id);
    return plan;
  }

  /** The version in force (or the one asked for). */
  planVersion(plan: BackupPlan, versionId?: string): BackupPlanVersion {
    if (versionId === undefined) return plan.versions[plan.versions.length - 1]!;
    const found = plan.versions.find((v) => v.versionId === versionId);
    if (!found) throw backupErrors.planNotFound(`${plan.id} ${versionId}`);
    return found;
  }

  private livePlan(region: string, id: string): BackupPlan {
    const plan = this.plan(region, id);
    if (plan.deletedAt !== undefined) throw backupErrors.planNotFound(id);
    return plan;
  }

  private checkLifecycle(lifecycle: Lifecycle | undefined, where: string): Lifecycle | undefined {
    if (!lifecycle) return undefined;
    const { DeleteAfterDays, MoveToColdStorageAfterDays } = lifecycle;
    if (DeleteAfterDays !== undefined && DeleteAfterDays < 1) {
      throw backupErrors.invalidParameterValue(`${where}: DeleteAfterDays must be at least 1.`);
    }
    if (MoveToColdStorageAfterDays !== undefined && DeleteAfterDays !== undefined && DeleteAfterDays < MoveToColdStorageAfterDays + 90) {
      throw backupErrors.invalidParameterValue(`${where}: DeleteAfterDays must be at least 90 days greater than MoveToColdStorageAfterDays.`);
    }
    return {
      ...(DeleteAfterDays !== undefined ? { DeleteAfterDays } : {}),
      ...(MoveToColdStorageAfterDays !== undefined ? { MoveToColdStorageAfterDays } : {}),
    };
  }

  private readRules(region: string, input: BackupPlanInput | undefined): { name: string; rules: BackupRule[] } {
    if (!input) throw backupErrors.missingParameter('BackupPlan');
    const name = input.BackupPlanName;
    if (name === undefined) throw backupErrors.missingParameter('BackupPlan.BackupPlanName');
    if (!/^[a-zA-Z0-9\-_.]{1,50}$/.test(name)) throw backupErrors.invalidParameterValue(`Invalid backup plan name ${name}.`);
    if (!input.Rules || input.Rules.length === 0) throw backupErrors.missingParameter('BackupPlan.Rules');
    const seen = new Set<string>();
    const rules = input.Rules.map((rule, i) => {
      const built = this.readRule(region, rule, `BackupPlan.Rules[${i}]`);
      if (seen.has(built.RuleName)) throw backupErrors.invalidParameterValue(`Rule names must be unique within a backup plan: ${built.RuleName}.`);
      seen.add(built.RuleName);
      return built;
    });
    return { name, rules };
  }

  private readRule(region: string, input: BackupRuleInput, where: string): BackupRule {
    if (input.RuleName === undefined) throw backupErrors.missingParameter(`${where}.RuleName`);
    if (!ruleNamePattern.test(input.RuleName)) throw backupErrors.invalidParameterValue(`${where}: invalid rule name ${input.RuleName}.`);
    if (input.TargetBackupVaultName === undefined) throw backupErrors.missingParameter(`${where}.TargetBackupVaultName`);
    if (!this.findVault(region, input.TargetBackupVaultName)) {
      throw backupErrors.invalidParameterValue(`${where}: backup vault ${input.TargetBackupVaultName} does not exist in ${region}.`);
    }
    const expression = input.ScheduleExpression ?? DEFAULT_SCHEDULE;
    let schedule: CronSchedule;
    try {
      schedule = parseCron(expression);
    } catch (error) {
      if (error instanceof CronError) throw backupErrors.invalidParameterValue(`${where}: invalid ScheduleExpression ${expression}: ${error.message}.`);
      throw error;
    }
    // Two runs in one hour: AWS Backup's most frequent schedule is hourly.
    if (schedule.minutes.length > 1) {
      throw backupErrors.invalidParameterValue(`${where}: the backup frequency must be at least 60 minutes (${expression}).`);
    }
    const timezone = input.ScheduleExpressionTimezone ?? 'Etc/UTC';
    if (!UTC_ZONES.has(timezone)) {
      throw backupErrors.invalidParameterValue(`${where}: ScheduleExpressionTimezone ${timezone} is not supported by the simulator (UTC only).`);
    }
    const start = input.StartWindowMinutes ?? DEFAULT_START_WINDOW_MINUTES;
    if (start < 60) throw backupErrors.invalidParameterValue(`${where}: StartWindowMinutes must be at least 60.`);
    const completion = input.CompletionWindowMinutes ?? DEFAULT_COMPLETION_WINDOW_MINUTES;
    if (completion < 60) throw backupErrors.invalidParameterValue(`${where}: CompletionWindowMinutes must be at least 60.`);
    const copyActions = (input.CopyActions ?? []).map((action, i) => {
      if (!vaultArnPattern.test(action.DestinationBackupVaultArn)) {
        throw backupErrors.invalidParameterValue(`${where}.CopyActions[${i}]: invalid DestinationBackupVaultArn ${action.DestinationBackupVaultArn}.`);
      }
      const lifecycle = this.checkLifecycle(action.Lifecycle, `${where}.CopyActions[${i}].Lifecycle`);
      return { DestinationBackupVaultArn: action.DestinationBackupVaultArn, ...(lifecycle ? { Lifecycle: lifecycle } : {}) };
    });
    const lifecycle = this.checkLifecycle(input.Lifecycle, `${where}.Lifecycle`);
    return {
      RuleId: this.uuid(),
      RuleName: input.RuleName,
      TargetBackupVaultName: input.TargetBackupVaultName,
      ScheduleExpression: schedule.expression,
      ScheduleExpressionTimezone: timezone,
      StartWindowMinutes: start,
      CompletionWindowMinutes: completion,
      ...(lifecycle ? { Lifecycle: lifecycle } : {}),
      ...(input.RecoveryPointTags ? { RecoveryPointTags: { ...input.RecoveryPointTags } } : {}),
      CopyActions: copyActions,
      ...(input.EnableContinuousBackup !== undefined ? { EnableContinuousBackup: input.EnableContinuousBackup } : {}),
      schedule,
    };
  }

  createBackupPlan(region: string, input: CreateBackupPlanInput): { plan: BackupPlan; version: BackupPlanVersion } {
    const { name, rules } = this.readRules(region, input.BackupPlan);
    for (const plan of this.plans.values()) {
      if (plan.region !== region || plan.deletedAt !== undefined) continue;
      if (this.planVersion(plan).name === name) {
        if (input.CreatorRequestId !== undefined && input.CreatorRequestId === plan.creatorRequestId) return { plan, version: this.planVersion(plan) };
        throw backupErrors.alreadyExists(`Backup plan with the same name ${name} already exists`);
      }
    }
    const id = this.uuid();
    const version: BackupPlanVersion = { versionId: this.versionId(), name, rules, createdAt: this.now() };
    const plan: BackupPlan = {
      id,
      region,
      arn: this.planArn(region, id),
      createdAt: this.now(),
      ...(input.CreatorRequestId !== undefined ? { creatorRequestId: input.CreatorRequestId } : {}),
      versions: [version],
      tags: { ...input.BackupPlanTags },
      timers: new Map(),
    };
    this.plans.set(id, plan);
    this.world.emit('backup.plan.created', { region, id, name, versionId: version.versionId, rules: rules.map((r) => r.RuleName) });
    this.scheduleRules(plan);
    return { plan, version };
  }

  updateBackupPlan(region: string, id: string, input: BackupPlanInput | undefined): { plan: BackupPlan; version: BackupPlanVersion } {
    const plan = this.livePlan(region, id);
    const { name, rules } = this.readRules(region, input);
    // Rules keep their id across versions when their name stays.
    const before = this.planVersion(plan);
    for (const rule of rules) {
      const kept = before.rules.find((r) => r.RuleName === rule.RuleName);
      if (kept) rule.RuleId = kept.RuleId;
    }
    const version: BackupPlanVersion = { versionId: this.versionId(), name, rules, createdAt: this.now() };
    plan.versions.push(version);
    this.world.emit('backup.plan.updated', { region, id, name, versionId: version.versionId });
    this.scheduleRules(plan);
    return { plan, version };
  }

  deleteBackupPlan(region: string, id: string): BackupPlan {
    const plan = this.livePlan(region, id);
    if (this.selectionsOf(plan).length > 0) {
      throw backupErrors.invalidRequest('Related backup plan selections must be deleted prior to backup plan deletion.');
    }
    plan.deletedAt = this.now();
    this.cancelRuleTimers(plan);
    this.world.emit('backup.plan.deleted', { region, id });
    return plan;
  }

  listBackupPlans(region: string, input: PageInput & { IncludeDeleted?: boolean }): Page<BackupPlan> {
    const plans = [...this.plans.values()]
      .filter((p) => p.region === region && (input.IncludeDeleted || p.deletedAt === undefined))
      .sort((a, b) => a.createdAt - b.createdAt || compare(a.id, b.id));
    return paginate(plans, input);
  }

  private cancelRuleTimers(plan: BackupPlan): void {
    for (const handle of plan.timers.values()) this.world.clock.cancel(handle);
    plan.timers.clear();
  }

  /** Put each rule's next run on the clock; each run schedules the one after. */
  private scheduleRules(plan: BackupPlan): void {
    this.cancelRuleTimers(plan);
    for (const rule of this.planVersion(plan).rules) this.scheduleRule(plan, rule);
  }

  private scheduleRule(plan: BackupPlan, rule: BackupRule): void {
    const at = nextRun(rule.schedule, this.now());
    if (at === undefined) return;
    const handle = this.world.clock.schedule(
      at,
      () => {
        plan.timers.delete(rule.RuleId);
        if (plan.deletedAt !== undefined || !this.planVersion(plan).rules.includes(rule)) return;
        this.runRule(plan, rule);
        this.scheduleRule(plan, rule);
      },
      `backup ${plan.region}: plan ${this.planVersion(plan).name} rule ${rule.RuleName}`,
    );
    plan.timers.set(rule.RuleId, handle);
  }

  /** The rule fires: one backup job per selected resource, into the rule's vault. */
  runRule(plan: BackupPlan, rule: BackupRule): BackupJob[] {
    const version = this.planVersion(plan);
    plan.lastExecutionAt = this.now();
    const resources = this.selectedResources(plan);
    this.world.emit('backup.rule.fired', {
      region: plan.region,
      planId: plan.id,
      planName: version.name,
      ruleName: rule.RuleName,
      resources: resources.map((r) => r.arn),
    });
    return resources.map((resource) =>
      this.createBackupJob(plan.region, {
        vaultName: rule.TargetBackupVaultName,
        resource,
        iamRoleArn: this.selectionsOf(plan).find((s) => this.selects(s, resource))?.iamRoleArn ?? '',
        startWindowMinutes: rule.StartWindowMinutes,
        ...(rule.Lifecycle ? { lifecycle: rule.Lifecycle } : {}),
        ...(rule.RecoveryPointTags ? { recoveryPointTags: rule.RecoveryPointTags } : {}),
        createdBy: this.creator(plan, rule),
        copyActions: rule.CopyActions,
      }),
    );
  }

  /** Run a plan's rules now, as the harness's "the … backup plan runs" does (AWS's console has no such button: this is a model method). */
  runPlanNow(region: string, planRef: string, ruleName?: string): BackupJob[] {
    const plan = [...this.plans.values()].find(
      (p) => p.region === region && p.deletedAt === undefined && (p.id === planRef || p.arn === planRef || this.planVersion(p).name === planRef),
    );
    if (!plan) throw backupErrors.planNotFound(planRef);
    const rules = this.planVersion(plan).rules.filter((r) => ruleName === undefined || r.RuleName === ruleName);
    if (rules.length === 0) throw backupErrors.invalidParameterValue(`Backup plan ${planRef} has no rule ${ruleName}.`);
    return rules.flatMap((rule) => this.runRule(plan, rule));
  }

  private creator(plan: BackupPlan, rule: BackupRule): RecoveryPointCreator {
    const version = this.planVersion(plan);
    return {
      BackupPlanId: plan.id,
      BackupPlanArn: plan.arn,
      BackupPlanName: version.name,
      BackupPlanVersion: version.versionId,
      BackupRuleId: rule.RuleId,
      BackupRuleName: rule.RuleName,
      BackupRuleCron: rule.ScheduleExpression,
      BackupRuleTimezone: rule.ScheduleExpressionTimezone,
    };
  }

  // ── Selections ──────────────────────────────────────────────────────────

  selectionsOf(plan: BackupPlan): BackupSelection[] {
    return [...this.selections.values()].filter((s) => s.planId === plan.id).sort((a, b) => a.createdAt - b.createdAt || compare(a.id, b.id));
  }

  createBackupSelection(region: string, planId: string, input: BackupSelectionInput | undefined, creatorRequestId?: string): BackupSelection {
    const plan = this.livePlan(region, planId);
    if (!input) throw backupErrors.missingParameter('BackupSelection');
    if (input.SelectionName === undefined) throw backupErrors.missingParameter('BackupSelection.SelectionName');
    if (!/^[a-zA-Z0-9\-_.]{1,50}$/.test(input.SelectionName)) {
      throw backupErrors.invalidParameterValue(`Invalid selection name ${input.SelectionName}.`);
    }
    if (input.IamRoleArn === undefined) throw backupErrors.missingParameter('BackupSelection.IamRoleArn');
    if (!roleArnPattern.test(input.IamRoleArn)) throw backupErrors.invalidParameterValue(`Invalid IAM role ARN ${input.IamRoleArn}.`);
    const listOfTags: TagCondition[] = (input.ListOfTags ?? []).map((condition, i) => {
      if (condition.ConditionType !== 'STRINGEQUALS') {
        throw backupErrors.invalidParameterValue(`BackupSelection.ListOfTags[${i}].ConditionType must be STRINGEQUALS.`);
      }
      if (condition.ConditionKey === undefined || condition.ConditionValue === undefined) {
        throw backupErrors.missingParameter(`BackupSelection.ListOfTags[${i}].ConditionKey and ConditionValue`);
      }
      return { ConditionType: 'STRINGEQUALS', ConditionKey: condition.ConditionKey, ConditionValue: condition.ConditionValue };
    });
    const conditions: SelectionConditions = input.Conditions ?? {};
    const hasConditions = Object.values(conditions).some((list) => (list?.length ?? 0) > 0);
    const resources = input.Resources ?? [];
    if (resources.length === 0 && listOfTags.length === 0 && !hasConditions) {
      throw backupErrors.invalidParameterValue('A backup selection must name Resources, ListOfTags or Conditions.');
    }
    const selection: BackupSelection = {
      id: this.uuid(),
      planId: plan.id,
      createdAt: this.now(),
      name: input.SelectionName,
      iamRoleArn: input.IamRoleArn,
      resources: [...resources],
      notResources: [...(input.NotResources ?? [])],
      listOfTags,
      conditions,
      ...(creatorRequestId !== undefined ? { creatorRequestId } : {}),
    };
    this.selections.set(selection.id, selection);
    this.world.emit('backup.selection.created', { region, planId: plan.id, selectionId: selection.id, name: selection.name });
    return selection;
  }

  selection(region: string, planId: string, selectionId: string): BackupSelection {
    this.plan(region, planId);
    const selection = this.selections.get(selectionId);
    if (!selection || selection.planId !== planId) throw backupErrors.selectionNotFound(selectionId);
    return selection;
  }

  listBackupSelections(region: string, planId: string, page: PageInput): Page<BackupSelection> {
    return paginate(this.selectionsOf(this.plan(region, planId)), page);
  }

  deleteBackupSelection(region: string, planId: string, selectionId: string): void {
    const selection = this.selection(region, planId, selectionId);
    this.selections.delete(selection.id);
    this.world.emit('backup.selection.deleted', { region, planId, selectionId });
  }

  /**
   * Whether a selection takes a resource: named by ARN (wildcards allowed)
   * or carrying one of the ListOfTags (an OR), then every Condition (an
   * AND), and not named in NotResources.
   */
  selects(selection: BackupSelection, resource: ProtectedResource): boolean {
    if (selection.notResources.some((pattern) => glob(pattern).test(resource.arn))) return false;
    const byArn = selection.resources.some((pattern) => glob(pattern).test(resource.arn));
    const byTag = selection.listOfTags.some((c) => resource.tags[tagKey(c.ConditionKey)] === c.ConditionValue);
    const base = selection.resources.length === 0 && selection.listOfTags.length === 0 ? true : byArn || byTag;
    if (!base) return false;
    const value = (key: string): string | undefined => resource.tags[tagKey(key)];
    const c = selection.conditions;
    return (
      (c.StringEquals ?? []).every((p) => value(p.ConditionKey) === p.ConditionValue) &&
      (c.StringNotEquals ?? []).every((p) => value(p.ConditionKey) !== p.ConditionValue) &&
      (c.StringLike ?? []).every((p) => {
        const v = value(p.ConditionKey);
        return v !== undefined && glob(p.ConditionValue).test(v);
      }) &&
      (c.StringNotLike ?? []).every((p) => {
        const v = value(p.ConditionKey);
        return v === undefined || !glob(p.ConditionValue).test(v);
      })
    );
  }

  /**
   * Whether a plan's selection protects a resource: it selects it, and
   * either names it by ARN or the region takes its type in tag-based
   * selections (ResourceTypeOptInPreference), as AWS Backup applies the
   * opt-in only to assignments by tag.
   */
  private protects(selection: BackupSelection, resource: ProtectedResource): boolean {
    if (!this.selects(selection, resource)) return false;
    const named = selection.resources.some((pattern) => pattern !== '*' && glob(pattern).test(resource.arn));
    return named || this.optedIn(resource.region, resource.type);
  }

  /** Resources a plan protects: those in its region that one of its selections takes. */
  selectedResources(plan: BackupPlan): ProtectedResource[] {
    const selections = this.selectionsOf(plan);
    if (selections.length === 0) return [];
    const out: ProtectedResource[] = [];
    for (const adapter of this.adapters) {
      for (const resource of adapter.list(plan.region)) {
        if (selections.some((s) => this.protects(s, resource))) out.push(resource);
      }
    }
    return out;
  }

  // ── Backup jobs ─────────────────────────────────────────────────────────

  private createBackupJob(
    region: string,
    args: {
      vaultName: string;
      resource: ProtectedResource | { arn: string; type: BackupResourceType; name?: undefined };
      iamRoleArn: string;
      startWindowMinutes: number;
      lifecycle?: Lifecycle;
      recoveryPointTags?: Record<string, string>;
      createdBy?: RecoveryPointCreator;
      copyActions?: CopyAction[];
    },
  ): BackupJob {
    const id = this.jobId();
    const now = this.now();
    const rng = this.world.rng.fork(`backup:job:${id}`);
    const job: BackupJob = {
      id,
      region,
      vaultName: args.vaultName,
      vaultArn: this.vaultArn(region, args.vaultName),
      resourceArn: args.resource.arn,
      resourceType: args.resource.type,
      ...(args.resource.name !== undefined ? { resourceName: args.resource.name } : {}),
      iamRoleArn: args.iamRoleArn,
      createdAt: now,
      readyAt: now + this.world.duration('backup.job.start', rng),
      startBy: now + args.startWindowMinutes * MINUTE_MS,
      state: 'CREATED',
      percentDone: 0,
      ...(args.lifecycle ? { lifecycle: args.lifecycle } : {}),
      ...(args.recoveryPointTags ? { recoveryPointTags: args.recoveryPointTags } : {}),
      ...(args.createdBy ? { createdBy: args.createdBy } : {}),
      copyActions: args.copyActions ?? [],
      rng,
      timers: new Set(),
    };
    this.backupJobs.set(id, job);
    this.active.add(job);
    this.emitJob(job);
    this.after(job, job.readyAt, `backup ${region}: job ${id} starts`, () => this.advanceBackupJob(job));
    this.after(job, job.startBy, `backup ${region}: job ${id} start window ends`, () => {
      if (job.state === 'CREATED') this.finishBackupJob(job, 'EXPIRED', 'The backup job did not start within its start window.');
    });
    return job;
  }

  private emitJob(job: BackupJob): void {
    this.world.emit('backup.job.state', {
      region: job.region,
      jobId: job.id,
      state: job.state,
      resourceArn: job.resourceArn,
      resourceType: job.resourceType,
      vault: job.vaultName,
      ...(job.recoveryPointArn ? { recoveryPointArn: job.recoveryPointArn } : {}),
      ...(job.statusMessage ? { statusMessage: job.statusMessage } : {}),
    });
  }

  private advanceBackupJob(job: BackupJob): void {
    const now = this.now();
    if (job.state === 'CREATED') {
      if (now < job.readyAt) return;
      // Nothing starts in a region that is down; the start window keeps running.
      if (!this.world.faults.isRegionUp(job.region)) return;
      const vault = this.findVault(job.region, job.vaultName);
      if (!vault) return this.finishBackupJob(job, 'FAILED', `Backup vault ${job.vaultName} does not exist.`);
      const adapter = this.adapterOfType(job.resourceType);
      const resource = adapter.find(job.resourceArn);
      if (!resource) return this.finishBackupJob(job, 'FAILED', `Resource ${job.resourceArn} was not found.`);
      let recoveryPointArn: string;
      try {
        recoveryPointArn = adapter.startBackup(resource, this.backupJobRef(adapter, job.region, job.id));
      } catch (error) {
        if (error instanceof AwsError) return this.finishBackupJob(job, 'FAILED', `${error.code}: ${error.message}`);
        throw error;
      }
      job.state = 'RUNNING';
      job.initiatedAt = now;
      job.recoveryPointArn = recoveryPointArn;
      job.backupSizeInBytes = resource.sizeBytes;
      this.recoveryPoints.set(recoveryPointArn, {
        arn: recoveryPointArn,
        region: job.region,
        vaultName: vault.name,
        vaultArn: vault.arn,
        resourceArn: job.resourceArn,
        resourceType: job.resourceType,
        ...(job.resourceName !== undefined ? { resourceName: job.resourceName } : {}),
        iamRoleArn: job.iamRoleArn,
        createdAt: job.createdAt,
        initiatedAt: now,
        status: 'CREATING',
        ...(job.lifecycle ? { lifecycle: job.lifecycle } : {}),
        ...(job.createdBy ? { createdBy: job.createdBy } : {}),
        encryptionKeyArn: vault.encryptionKeyArn,
        tags: { ...job.recoveryPointTags },
      });
      this.emitJob(job);
    }
    if (job.state !== 'RUNNING' || !job.recoveryPointArn) return;
    const progress = this.adapterOfType(job.resourceType).progress(job.recoveryPointArn);
    if (progress.state === 'running') {
      job.percentDone = progress.percent;
      return;
    }
    if (progress.state === 'failed') {
      this.recoveryPoints.delete(job.recoveryPointArn);
      return this.finishBackupJob(job, 'FAILED', progress.message);
    }
    if (progress.sizeBytes !== undefined) job.backupSizeInBytes = progress.sizeBytes;
    const rp = this.recoveryPoints.get(job.recoveryPointArn);
    if (rp) this.completeRecoveryPoint(rp, job.backupSizeInBytes);
    this.finishBackupJob(job, 'COMPLETED');
    if (rp) for (const action of job.copyActions) this.createCopyJob(rp, action, { backupJob: job });
  }

  private finishBackupJob(job: BackupJob, state: 'COMPLETED' | 'FAILED' | 'EXPIRED' | 'ABORTED', message?: string): void {
    job.state = state;
    if (message !== undefined) job.statusMessage = message;
    if (state === 'COMPLETED') job.percentDone = 100;
    job.completedAt = this.now();
    for (const handle of job.timers) this.world.clock.cancel(handle);
    job.timers.clear();
    this.active.delete(job);
    this.emitJob(job);
  }

  private completeRecoveryPoint(rp: RecoveryPoint, sizeBytes: number | undefined): void {
    rp.status = 'COMPLETED';
    rp.completedAt = this.now();
    if (sizeBytes !== undefined) rp.backupSizeInBytes = sizeBytes;
    this.emitRecoveryPoint(rp);
    this.scheduleExpiry(rp);
  }

  private emitRecoveryPoint(rp: RecoveryPoint, extra: Record<string, unknown> = {}): void {
    this.world.emit('backup.recovery-point.status', {
      region: rp.region,
      arn: rp.arn,
      vault: rp.vaultName,
      resourceArn: rp.resourceArn,
      status: rp.status,
      ...extra,
    });
  }

  /** When the lifecycle deletes a recovery point: DeleteAfterDays after its job was created. */
  deleteAtOf(rp: RecoveryPoint): EpochMs | undefined {
    const days = rp.lifecycle?.DeleteAfterDays;
    return days === undefined ? undefined : rp.createdAt + days * DAY_MS;
  }

  /**
   * Make sure the lifecycle sweep runs by the time `rp` is due. One timer
   * serves every recovery point (a seeded week of them costs one timer,
   * not one each): it is moved earlier when a sooner deletion comes along.
   */
  private scheduleExpiry(rp: RecoveryPoint): void {
    const at = this.deleteAtOf(rp);
    if (at !== undefined) this.sweepBy(at);
  }

  private sweepBy(at: EpochMs): void {
    if (this.lifecycleSweep && this.lifecycleSweep.at <= at) return;
    if (this.lifecycleSweep) this.world.clock.cancel(this.lifecycleSweep.handle);
    const handle = this.world.clock.schedule(at, () => this.sweepLifecycles(), 'backup: recovery point lifecycles');
    this.lifecycleSweep = { at, handle };
  }

  /** Delete every completed recovery point whose lifecycle has run out, then wait for the next one due. */
  private sweepLifecycles(): void {
    this.lifecycleSweep = undefined;
    const now = this.now();
    let next: EpochMs | undefined;
    for (const rp of [...this.recoveryPoints.values()]) {
      if (rp.status !== 'COMPLETED') continue;
      const at = this.deleteAtOf(rp);
      if (at === undefined) continue;
      if (at <= now) this.expire(rp);
      else if (next === undefined || at < next) next = at;
    }
    if (next !== undefined) this.sweepBy(next);
  }

  private expire(rp: RecoveryPoint): void {
    if (this.recoveryPoints.get(rp.arn) !== rp) return;
    try {
      this.adapterOfType(rp.resourceType).deleteRecoveryPoint(rp.arn);
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      // AWS Backup keeps a recovery point it could not delete, marked EXPIRED.
      rp.status = 'EXPIRED';
      rp.statusMessage = `The lifecycle could not delete the recovery point: ${error.message}`;
      this.emitRecoveryPoint(rp, { reason: rp.statusMessage });
      return;
    }
    this.recoveryPoints.delete(rp.arn);
    this.world.emit('backup.recovery-point.expired', { region: rp.region, arn: rp.arn, vault: rp.vaultName, resourceArn: rp.resourceArn });
  }

  startBackupJob(region: string, input: StartBackupJobInput): BackupJob {
    if (input.BackupVaultName === undefined) throw backupErrors.missingParameter('BackupVaultName');
    if (input.ResourceArn === undefined) throw backupErrors.missingParameter('ResourceArn');
    if (input.IamRoleArn === undefined) throw backupErrors.missingParameter('IamRoleArn');
    if (!roleArnPattern.test(input.IamRoleArn)) throw backupErrors.invalidParameterValue(`Invalid IAM role ARN ${input.IamRoleArn}.`);
    this.vault(region, input.BackupVaultName);
    if (input.IdempotencyToken !== undefined) {
      const seen = this.idempotency.get(input.IdempotencyToken);
      const job = seen ? this.backupJobs.get(seen.jobId) : undefined;
      if (seen && job && this.now() - seen.at < IDEMPOTENCY_MS) return job;
    }
    const adapter = this.adapterFor(input.ResourceArn);
    if (!adapter) {
      throw backupErrors.invalidParameterValue(
        `Invalid ARN ${input.ResourceArn}: not a resource type the simulator backs up (RDS DB instances, EBS volumes, DynamoDB tables).`,
      );
    }
    if (regionOfArn(input.ResourceArn) !== region) {
      throw backupErrors.invalidParameterValue(`The resource ${input.ResourceArn} is not in the Region of the backup vault, ${region}.`);
    }
    const startWindow = input.StartWindowMinutes ?? DEFAULT_START_WINDOW_MINUTES;
    if (startWindow < 60) throw backupErrors.invalidParameterValue('StartWindowMinutes must be at least 60.');
    const lifecycle = this.checkLifecycle(input.Lifecycle, 'Lifecycle');
    const resource = adapter.find(input.ResourceArn) ?? { arn: input.ResourceArn, type: adapter.type };
    const job = this.createBackupJob(region, {
      vaultName: input.BackupVaultName,
      resource,
      iamRoleArn: input.IamRoleArn,
      startWindowMinutes: startWindow,
      ...(lifecycle ? { lifecycle } : {}),
      ...(input.RecoveryPointTags ? { recoveryPointTags: input.RecoveryPointTags } : {}),
    });
    if (input.IdempotencyToken !== undefined) this.idempotency.set(input.IdempotencyToken, { jobId: job.id, at: this.now() });
    return job;
  }

  backupJob(region: string, id: string): BackupJob {
    const job = this.backupJobs.get(id);
    if (!job || job.region !== region) throw backupErrors.jobNotFound('Backup', id);
    return job;
  }

  listBackupJobs(region: string, input: ListBackupJobsInput): Page<BackupJob> {
    const jobs = [...this.backupJobs.values()].filter(
      (j) =>
        j.region === region &&
        (input.ByResourceArn === undefined || j.resourceArn === input.ByResourceArn) &&
        (input.ByState === undefined || j.state === input.ByState) &&
        (input.ByBackupVaultName === undefined || j.vaultName === input.ByBackupVaultName) &&
        (input.ByResourceType === undefined || j.resourceType === input.ByResourceType) &&
        (input.ByAccountId === undefined || input.ByAccountId === this.world.accountId) &&
        within(j.createdAt, input.ByCreatedAfter, input.ByCreatedBefore) &&
        (input.ByCompleteAfter === undefined && input.ByCompleteBefore === undefined
          ? true
          : j.completedAt !== undefined && within(j.completedAt, input.ByCompleteAfter, input.ByCompleteBefore)),
    );
    return paginate(newestFirst(jobs), input);
  }

  // ── Recovery points ─────────────────────────────────────────────────────

  recoveryPointByArn(arn: string): RecoveryPoint | undefined {
    return this.recoveryPoints.get(arn);
  }

  /** Every recovery point of a resource, in any region and vault, oldest first (a model method for the harness). */
  recoveryPointsOf(resourceArn: string): RecoveryPoint[] {
    return [...this.recoveryPoints.values()].filter((rp) => rp.resourceArn === resourceArn).sort((a, b) => a.createdAt - b.createdAt || compare(a.arn, b.arn));
  }

  listRecoveryPointsByBackupVault(region: string, vaultName: string, input: ListRecoveryPointsInput): Page<RecoveryPoint> {
    const vault = this.vault(region, vaultName);
    const points = this.recoveryPointsIn(vault).filter(
      (rp) =>
        (input.ByResourceArn === undefined || rp.resourceArn === input.ByResourceArn) &&
        (input.ByResourceType === undefined || rp.resourceType === input.ByResourceType) &&
        (input.ByBackupPlanId === undefined || rp.createdBy?.BackupPlanId === input.ByBackupPlanId) &&
        within(rp.createdAt, input.ByCreatedAfter, input.ByCreatedBefore),
    );
    return paginate(newestFirst(points), input);
  }

  recoveryPoint(region: string, vaultName: string, arn: string): RecoveryPoint {
    const vault = this.vault(region, vaultName);
    const rp = this.recoveryPoints.get(arn);
    if (!rp || rp.vaultArn !== vault.arn) throw backupErrors.recoveryPointNotFound(arn);
    return rp;
  }

  deleteRecoveryPoint(region: string, vaultName: string, arn: string): RecoveryPoint {
    const rp = this.recoveryPoint(region, vaultName, arn);
    if (rp.status === 'CREATING') throw backupErrors.invalidResourceState(`Recovery point ${arn} is being created and cannot be deleted.`);
    try {
      this.adapterOfType(rp.resourceType).deleteRecoveryPoint(arn);
    } catch (error) {
      if (error instanceof AwsError) throw backupErrors.invalidResourceState(`Recovery point ${arn} cannot be deleted: ${error.message}`);
      throw error;
    }
    this.recoveryPoints.delete(arn);
    this.world.emit('backup.recovery-point.deleted', { region, arn, vault: vaultName, resourceArn: rp.resourceArn });
    return rp;
  }

  // ── Copy jobs ───────────────────────────────────────────────────────────

  /**
   * Copy a completed recovery point to a vault, usually in another region
   * (a DR copy outside any plan). The copy job then goes as a plan's would:
   * it fails when the service cannot copy (a DynamoDB backup made without
   * AWS Backup's advanced features).
   */
  startCopyJob(region: string, input: StartCopyJobInput): CopyJob {
    if (input.RecoveryPointArn === undefined) throw backupErrors.missingParameter('RecoveryPointArn');
    if (input.SourceBackupVaultName === undefined) throw backupErrors.missingParameter('SourceBackupVaultName');
    if (input.DestinationBackupVaultArn === undefined) throw backupErrors.missingParameter('DestinationBackupVaultArn');
    if (input.IamRoleArn === undefined) throw backupErrors.missingParameter('IamRoleArn');
    if (!roleArnPattern.test(input.IamRoleArn)) throw backupErrors.invalidParameterValue(`Invalid IAM role ARN ${input.IamRoleArn}.`);
    if (!vaultArnPattern.test(input.DestinationBackupVaultArn)) {
      throw backupErrors.invalidParameterValue(`Invalid DestinationBackupVaultArn ${input.DestinationBackupVaultArn}.`);
    }
    if (input.IdempotencyToken !== undefined) {
      const seen = this.idempotency.get(input.IdempotencyToken);
      const job = seen ? this.copyJobs.get(seen.jobId) : undefined;
      if (seen && job && this.now() - seen.at < IDEMPOTENCY_MS) return job;
    }
    const source = this.recoveryPoint(region, input.SourceBackupVaultName, input.RecoveryPointArn);
    if (source.status !== 'COMPLETED') {
      throw backupErrors.invalidRequest(`Recovery point ${source.arn} is ${source.status}: only a completed recovery point can be copied.`);
    }
    const lifecycle = this.checkLifecycle(input.Lifecycle, 'Lifecycle');
    const job = this.createCopyJob(
      source,
      { DestinationBackupVaultArn: input.DestinationBackupVaultArn, ...(lifecycle ? { Lifecycle: lifecycle } : {}) },
      { iamRoleArn: input.IamRoleArn },
    );
    if (input.IdempotencyToken !== undefined) this.idempotency.set(input.IdempotencyToken, { jobId: job.id, at: this.now() });
    return job;
  }

  private createCopyJob(source: RecoveryPoint, action: CopyAction, origin: { backupJob?: BackupJob; iamRoleArn?: string } = {}): CopyJob {
    const backupJob = origin.backupJob;
    const id = this.jobId();
    const now = this.now();
    const rng = this.world.rng.fork(`backup:copy-job:${id}`);
    const job: CopyJob = {
      id,
      region: source.region,
      sourceVaultArn: source.vaultArn,
      sourceRecoveryPointArn: source.arn,
      destinationVaultArn: action.DestinationBackupVaultArn,
      resourceArn: source.resourceArn,
      resourceType: source.resourceType,
      ...(source.resourceName !== undefined ? { resourceName: source.resourceName } : {}),
      iamRoleArn: origin.iamRoleArn ?? source.iamRoleArn,
      createdAt: now,
      readyAt: now + this.world.duration('backup.job.start', rng),
      state: 'CREATED',
      ...(action.Lifecycle ? { destinationLifecycle: action.Lifecycle } : {}),
      ...(source.backupSizeInBytes !== undefined ? { backupSizeInBytes: source.backupSizeInBytes } : {}),
      ...(source.createdBy ? { createdBy: source.createdBy } : {}),
      ...(backupJob ? { createdByBackupJobId: backupJob.id } : {}),
      rng,
      timers: new Set(),
    };
    this.copyJobs.set(id, job);
    this.active.add(job);
    this.emitCopyJob(job);
    this.after(job, job.readyAt, `backup ${job.region}: copy job ${id} starts`, () => this.advanceCopyJob(job));
    return job;
  }

  private emitCopyJob(job: CopyJob): void {
    this.world.emit('backup.copy-job.state', {
      region: job.region,
      jobId: job.id,
      state: job.state,
      resourceArn: job.resourceArn,
      sourceRecoveryPointArn: job.sourceRecoveryPointArn,
      destinationVaultArn: job.destinationVaultArn,
      ...(job.destinationRecoveryPointArn ? { destinationRecoveryPointArn: job.destinationRecoveryPointArn } : {}),
      ...(job.statusMessage ? { statusMessage: job.statusMessage } : {}),
    });
  }

  private advanceCopyJob(job: CopyJob): void {
    if (job.state === 'CREATED') {
      if (this.now() < job.readyAt || !this.world.faults.isRegionUp(job.region)) return;
      const destination = this.vaultByArn(job.destinationVaultArn);
      if (!destination) return this.finishCopyJob(job, 'FAILED', `Backup vault ${job.destinationVaultArn} does not exist.`);
      const source = this.recoveryPoints.get(job.sourceRecoveryPointArn);
      if (!source || source.status !== 'COMPLETED') return this.finishCopyJob(job, 'FAILED', `Recovery point ${job.sourceRecoveryPointArn} is not available to copy.`);
      let arn: string;
      try {
        arn = this.adapterOfType(job.resourceType).copy(source.arn, destination.region, this.copyJobRef(source.arn, destination.region, job.id));
      } catch (error) {
        if (error instanceof AwsError) return this.finishCopyJob(job, 'FAILED', `${error.code}: ${error.message}`);
        throw error;
      }
      job.state = 'RUNNING';
      job.destinationRecoveryPointArn = arn;
      this.recoveryPoints.set(arn, {
        arn,
        region: destination.region,
        vaultName: destination.name,
        vaultArn: destination.arn,
        resourceArn: source.resourceArn,
        resourceType: source.resourceType,
        ...(source.resourceName !== undefined ? { resourceName: source.resourceName } : {}),
        iamRoleArn: source.iamRoleArn,
        createdAt: this.now(),
        initiatedAt: this.now(),
        status: 'CREATING',
        ...(job.destinationLifecycle ? { lifecycle: job.destinationLifecycle } : {}),
        ...(source.createdBy ? { createdBy: source.createdBy } : {}),
        sourceBackupVaultArn: source.vaultArn,
        encryptionKeyArn: destination.encryptionKeyArn,
        tags: { ...source.tags },
      });
      this.emitCopyJob(job);
    }
    if (job.state !== 'RUNNING' || !job.destinationRecoveryPointArn) return;
    const progress = this.adapterOfType(job.resourceType).progress(job.destinationRecoveryPointArn);
    if (progress.state === 'running') return;
    const rp = this.recoveryPoints.get(job.destinationRecoveryPointArn);
    if (progress.state === 'failed') {
      this.recoveryPoints.delete(job.destinationRecoveryPointArn);
      return this.finishCopyJob(job, 'FAILED', progress.message);
    }
    if (rp) this.completeRecoveryPoint(rp, progress.sizeBytes ?? job.backupSizeInBytes);
    this.finishCopyJob(job, 'COMPLETED');
  }

  private finishCopyJob(job: CopyJob, state: 'COMPLETED' | 'FAILED', message?: string): void {
    job.state = state;
    if (message !== undefined) job.statusMessage = message;
    job.completedAt = this.now();
    for (const handle of job.timers) this.world.clock.cancel(handle);
    job.timers.clear();
    this.active.delete(job);
    this.emitCopyJob(job);
  }

  copyJob(region: string, id: string): CopyJob {
    const job = this.copyJobs.get(id);
    if (!job || job.region !== region) throw backupErrors.jobNotFound('Copy', id);
    return job;
  }

  listCopyJobs(region: string, input: ListCopyJobsInput): Page<CopyJob> {
    const jobs = [...this.copyJobs.values()].filter(
      (j) =>
        j.region === region &&
        (input.ByResourceArn === undefined || j.resourceArn === input.ByResourceArn) &&
        (input.ByState === undefined || j.state === input.ByState) &&
        (input.ByDestinationVaultArn === undefined || j.destinationVaultArn === input.ByDestinationVaultArn) &&
        (input.ByResourceType === undefined || j.resourceType === input.ByResourceType) &&
        (input.BySourceRecoveryPointArn === undefined || j.sourceRecoveryPointArn === input.BySourceRecoveryPointArn) &&
        within(j.createdAt, input.ByCreatedAfter, input.ByCreatedBefore) &&
        (input.ByCompleteAfter === undefined && input.ByCompleteBefore === undefined
          ? true
          : j.completedAt !== undefined && within(j.completedAt, input.ByCompleteAfter, input.ByCompleteBefore)),
    );
    return paginate(newestFirst(jobs), input);
  }

  // ── Restore jobs ────────────────────────────────────────────────────────

  startRestoreJob(region: string, input: StartRestoreJobInput): RestoreJob {
    if (input.RecoveryPointArn === undefined) throw backupErrors.missingParameter('RecoveryPointArn');
    if (input.Metadata === undefined) throw backupErrors.missingParameter('Metadata');
    if (input.IamRoleArn !== undefined && !roleArnPattern.test(input.IamRoleArn)) {
      throw backupErrors.invalidParameterValue(`Invalid IAM role ARN ${input.IamRoleArn}.`);
    }
    if (input.IdempotencyToken !== undefined) {
      const seen = this.idempotency.get(input.IdempotencyToken);
      const job = seen ? this.restoreJobs.get(seen.jobId) : undefined;
      if (seen && job && this.now() - seen.at < IDEMPOTENCY_MS) return job;
    }
    const rp = this.recoveryPoints.get(input.RecoveryPointArn);
    if (!rp || rp.region !== region) throw backupErrors.recoveryPointNotFound(input.RecoveryPointArn);
    if (input.ResourceType !== undefined && input.ResourceType !== rp.resourceType) {
      throw backupErrors.invalidParameterValue(`ResourceType ${input.ResourceType} does not match the recovery point's ${rp.resourceType}.`);
    }
    if (rp.status !== 'COMPLETED') throw backupErrors.invalidRequest(`Recovery point ${rp.arn} is ${rp.status}: only a completed recovery point can be restored.`);
    this.adapterOfType(rp.resourceType).checkRestoreMetadata(input.Metadata);
    const id = this.jobId();
    const now = this.now();
    const rng = this.world.rng.fork(`backup:restore-job:${id}`);
    const job: RestoreJob = {
      id,
      region,
      recoveryPointArn: rp.arn,
      recoveryPointCreatedAt: rp.createdAt,
      vaultArn: rp.vaultArn,
      sourceResourceArn: rp.resourceArn,
      resourceType: rp.resourceType,
      iamRoleArn: input.IamRoleArn ?? rp.iamRoleArn,
      metadata: { ...input.Metadata },
      createdAt: now,
      readyAt: now + this.world.duration('backup.job.start', rng),
      status: 'PENDING',
      percentDone: 0,
      ...(rp.backupSizeInBytes !== undefined ? { backupSizeInBytes: rp.backupSizeInBytes } : {}),
      rng,
      timers: new Set(),
    };
    this.restoreJobs.set(id, job);
    this.active.add(job);
    if (input.IdempotencyToken !== undefined) this.idempotency.set(input.IdempotencyToken, { jobId: id, at: now });
    this.emitRestoreJob(job);
    this.after(job, job.readyAt, `backup ${region}: restore job ${id} starts`, () => this.advanceRestoreJob(job));
    return job;
  }

  private emitRestoreJob(job: RestoreJob): void {
    this.world.emit('backup.restore-job.state', {
      region: job.region,
      jobId: job.id,
      status: job.status,
      recoveryPointArn: job.recoveryPointArn,
      resourceType: job.resourceType,
      ...(job.createdResourceArn ? { createdResourceArn: job.createdResourceArn } : {}),
      ...(job.statusMessage ? { statusMessage: job.statusMessage } : {}),
    });
  }

  private advanceRestoreJob(job: RestoreJob): void {
    const adapter = this.adapterOfType(job.resourceType);
    if (job.status === 'PENDING') {
      if (this.now() < job.readyAt || !this.world.faults.isRegionUp(job.region)) return;
      const rp = this.recoveryPoints.get(job.recoveryPointArn);
      if (!rp) return this.finishRestoreJob(job, 'FAILED', `Recovery point ${job.recoveryPointArn} no longer exists.`);
      try {
        job.createdResourceArn = adapter.restore(rp.arn, job.metadata);
      } catch (error) {
        if (error instanceof AwsError) return this.finishRestoreJob(job, 'FAILED', `${error.code}: ${error.message}`);
        throw error;
      }
      rp.lastRestoreAt = this.now();
      job.status = 'RUNNING';
      this.emitRestoreJob(job);
    }
    if (job.status !== 'RUNNING' || !job.createdResourceArn) return;
    const progress = adapter.restoreProgress(job.createdResourceArn);
    if (progress.state === 'running') {
      job.percentDone = progress.percent;
      return;
    }
    if (progress.state === 'failed') return this.finishRestoreJob(job, 'FAILED', progress.message);
    this.finishRestoreJob(job, 'COMPLETED');
  }

  private finishRestoreJob(job: RestoreJob, status: 'COMPLETED' | 'FAILED', message?: string): void {
    job.status = status;
    if (message !== undefined) job.statusMessage = message;
    if (status === 'COMPLETED') job.percentDone = 100;
    job.completedAt = this.now();
    for (const handle of job.timers) this.world.clock.cancel(handle);
    job.timers.clear();
    this.active.delete(job);
    this.emitRestoreJob(job);
  }

  restoreJob(region: string, id: string): RestoreJob {
    const job = this.restoreJobs.get(id);
    if (!job || job.region !== region) throw backupErrors.jobNotFound('Restore', id);
    return job;
  }

  listRestoreJobs(region: string, input: ListRestoreJobsInput): Page<RestoreJob> {
    const jobs = [...this.restoreJobs.values()].filter(
      (j) =>
        j.region === region &&
        (input.ByStatus === undefined || j.status === input.ByStatus) &&
        (input.ByResourceType === undefined || j.resourceType === input.ByResourceType) &&
        within(j.createdAt, input.ByCreatedAfter, input.ByCreatedBefore) &&
        (input.ByCompleteAfter === undefined && input.ByCompleteBefore === undefined
          ? true
          : j.completedAt !== undefined && within(j.completedAt, input.ByCompleteAfter, input.ByCompleteBefore)),
    );
    return paginate(newestFirst(jobs), input);
  }

  // ── Seeding (the environment loader, at t = 0) ──────────────────────────

  /** A vault that exists from the start (no-op when it already does). */
  seedVault(spec: { name: string; region: string }): BackupVault {
    return this.findVault(spec.region, spec.name) ?? this.createBackupVault(spec.region, { BackupVaultName: spec.name });
  }

  /**
   * A plan in steady state: its vaults, rules and selections exist, and
   * every run its rules made within their retention has left a completed
   * recovery point (and, for copy actions, a completed copy) made through
   * the service's model (an RDS `awsbackup:job-…` snapshot, an EBS
   * snapshot, a DynamoDB backup) and dated at its run, as if the plan had
   * always been in force. A plan that copies DynamoDB across regions opts
   * its region into advanced DynamoDB backups first (`advancedDynamoDbBackup`).
   * Runs still in progress at t = 0 are not seeded; the scheduler takes
   * over from the next run. Nothing is scheduled per recovery point.
   */
  seedBackupPlan(spec: SeedBackupPlanSpec): SeededBackupPlan {
    for (const vault of spec.vaults ?? []) this.seedVault(vault);
    for (const rule of spec.rules) {
      this.seedVault({ name: rule.vault, region: spec.region });
      for (const copy of rule.copyTo ?? []) this.seedVault({ name: copy.vault, region: copy.region });
    }
    const { plan } = this.createBackupPlan(spec.region, {
      BackupPlan: {
        BackupPlanName: spec.name,
        Rules: spec.rules.map((rule) => ({
          RuleName: rule.name,
          TargetBackupVaultName: rule.vault,
          ScheduleExpression: rule.schedule ?? DEFAULT_SCHEDULE,
          ...(rule.startWindowMinutes !== undefined ? { StartWindowMinutes: rule.startWindowMinutes } : {}),
          ...(rule.completionWindowMinutes !== undefined ? { CompletionWindowMinutes: rule.completionWindowMinutes } : {}),
          ...(rule.deleteAfterDays !== undefined ? { Lifecycle: { DeleteAfterDays: rule.deleteAfterDays } } : {}),
          CopyActions: (rule.copyTo ?? []).map((copy) => ({
            DestinationBackupVaultArn: this.vaultArn(copy.region, copy.vault),
            ...(copy.deleteAfterDays !== undefined ? { Lifecycle: { DeleteAfterDays: copy.deleteAfterDays } } : {}),
          })),
        })),
      },
    });
    const defaultRole = `arn:aws:iam::${this.world.accountId}:role/service-role/AWSBackupDefaultServiceRole`;
    const selections = spec.selections.map((selection) =>
      this.createBackupSelection(spec.region, plan.id, {
        SelectionName: selection.name,
        IamRoleArn: selection.iamRoleArn ?? defaultRole,
        ...(selection.resources ? { Resources: selection.resources } : {}),
        ...(selection.notResources ? { NotResources: selection.notResources } : {}),
        ...(selection.tags
          ? { ListOfTags: Object.entries(selection.tags).map(([key, value]) => ({ ConditionType: 'STRINGEQUALS', ConditionKey: key, ConditionValue: value })) }
          : {}),
      }),
    );
    const seeded: SeededBackupPlan = { plan, selections, recoveryPoints: [], skipped: [] };
    if (spec.advancedDynamoDbBackup ?? this.copiesDynamoDbAcrossRegions(plan)) {
      if (!this.fullyManages(spec.region, 'DynamoDB')) this.updateRegionSettings(spec.region, { ResourceTypeManagementPreference: { DynamoDB: true } });
    }
    if (spec.history === false) return seeded;
    const now = this.now();
    for (const rule of this.planVersion(plan).rules) {
      const retentionDays = rule.Lifecycle?.DeleteAfterDays ?? 35;
      const copyRetention = Math.max(0, ...rule.CopyActions.map((a) => a.Lifecycle?.DeleteAfterDays ?? retentionDays));
      const horizon = Math.max(retentionDays, copyRetention) * DAY_MS;
      const runs = runsBetween(rule.schedule, now - horizon, now, 2000);
      for (const resource of this.selectedResources(plan)) {
        for (const at of runs) this.seedRun(plan, rule, resource, at, seeded);
      }
      if (runs.length > 0) plan.lastExecutionAt = Math.max(plan.lastExecutionAt ?? 0, runs[runs.length - 1]!);
    }
    this.world.emit('backup.plan.seeded', {
      region: plan.region,
      planId: plan.id,
      name: spec.name,
      recoveryPoints: seeded.recoveryPoints.length,
      skipped: seeded.skipped.length,
    });
    return seeded;
  }

  /** A rule of the plan copies to another region, and the plan protects a DynamoDB table. */
  private copiesDynamoDbAcrossRegions(plan: BackupPlan): boolean {
    const copies = this.planVersion(plan).rules.some((rule) =>
      rule.CopyActions.some((action) => vaultArnPattern.exec(action.DestinationBackupVaultArn)?.[1] !== plan.region),
    );
    return copies && this.selectedResources(plan).some((resource) => resource.type === 'DynamoDB');
  }

  private seedRun(plan: BackupPlan, rule: BackupRule, resource: ProtectedResource, at: EpochMs, seeded: SeededBackupPlan): void {
    const now = this.now();
    const adapter = this.adapterOfType(resource.type);
    const vault = this.vault(plan.region, rule.TargetBackupVaultName);
    const id = this.jobId();
    const rng = this.world.rng.fork(`backup:job:${id}`);
    const startedAt = at + this.world.duration('backup.job.start', rng);
    const retained = (lifecycle: Lifecycle | undefined, createdAt: EpochMs) =>
      lifecycle?.DeleteAfterDays === undefined || createdAt + lifecycle.DeleteAfterDays * DAY_MS > now;
    if (startedAt >= now) return;
    // A source whose retention ran out is gone, but its copies (kept longer) may outlive it.
    const sourceKept = retained(rule.Lifecycle, at);
    if (!sourceKept && !rule.CopyActions.some((action) => retained(action.Lifecycle, at))) return;
    const made = adapter.seedBackup(resource, startedAt, { ...this.backupJobRef(adapter, plan.region, id), rng });
    if ('skipped' in made) {
      seeded.skipped.push({ resourceArn: resource.arn, at, reason: made.skipped });
      return;
    }
    const createdBy = this.creator(plan, rule);
    const job: BackupJob = {
      id,
      region: plan.region,
      vaultName: vault.name,
      vaultArn: vault.arn,
      resourceArn: resource.arn,
      resourceType: resource.type,
      ...(resource.name !== undefined ? { resourceName: resource.name } : {}),
      iamRoleArn: this.selectionsOf(plan).find((s) => this.selects(s, resource))?.iamRoleArn ?? '',
      createdAt: at,
      readyAt: startedAt,
      startBy: at + rule.StartWindowMinutes * MINUTE_MS,
      state: 'COMPLETED',
      percentDone: 100,
      initiatedAt: startedAt,
      completedAt: made.completedAt,
      recoveryPointArn: made.arn,
      backupSizeInBytes: resource.sizeBytes,
      ...(rule.Lifecycle ? { lifecycle: rule.Lifecycle } : {}),
      createdBy,
      copyActions: rule.CopyActions,
      rng,
      timers: new Set(),
    };
    this.backupJobs.set(id, job);
    const rp = this.seedRecoveryPoint({
      arn: made.arn,
      region: plan.region,
      vault,
      resource,
      iamRoleArn: job.iamRoleArn,
      createdAt: at,
      initiatedAt: startedAt,
      completedAt: made.completedAt,
      ...(rule.Lifecycle ? { lifecycle: rule.Lifecycle } : {}),
      createdBy,
    });
    if (sourceKept) seeded.recoveryPoints.push(rp);
    for (const action of rule.CopyActions) {
      const destination = this.vaultByArn(action.DestinationBackupVaultArn);
      if (!destination) continue;
      const copyId = this.jobId();
      const copyRng = this.world.rng.fork(`backup:copy-job:${copyId}`);
      const copyCreatedAt = made.completedAt;
      const copyStartedAt = copyCreatedAt + this.world.duration('backup.job.start', copyRng);
      if (copyStartedAt >= now || !retained(action.Lifecycle, copyCreatedAt)) continue;
      const copy = adapter.seedCopy(made.arn, destination.region, copyStartedAt, { ...this.copyJobRef(made.arn, destination.region, copyId), rng: copyRng });
      if ('skipped' in copy) {
        seeded.skipped.push({ resourceArn: resource.arn, at: copyCreatedAt, reason: copy.skipped });
        continue;
      }
      const copyJob: CopyJob = {
        id: copyId,
        region: plan.region,
        sourceVaultArn: vault.arn,
        sourceRecoveryPointArn: made.arn,
        destinationVaultArn: destination.arn,
        resourceArn: resource.arn,
        resourceType: resource.type,
        ...(resource.name !== undefined ? { resourceName: resource.name } : {}),
        iamRoleArn: job.iamRoleArn,
        createdAt: copyCreatedAt,
        readyAt: copyStartedAt,
        state: 'COMPLETED',
        completedAt: copy.completedAt,
        destinationRecoveryPointArn: copy.arn,
        ...(action.Lifecycle ? { destinationLifecycle: action.Lifecycle } : {}),
        backupSizeInBytes: resource.sizeBytes,
        createdBy,
        createdByBackupJobId: id,
        rng: copyRng,
        timers: new Set(),
      };
      this.copyJobs.set(copyId, copyJob);
      seeded.recoveryPoints.push(
        this.seedRecoveryPoint({
          arn: copy.arn,
          region: destination.region,
          vault: destination,
          resource,
          iamRoleArn: job.iamRoleArn,
          createdAt: copyCreatedAt,
          initiatedAt: copyStartedAt,
          completedAt: copy.completedAt,
          ...(action.Lifecycle ? { lifecycle: action.Lifecycle } : {}),
          createdBy,
          sourceBackupVaultArn: vault.arn,
        }),
      );
    }
    // The source snapshot was needed to seed its copies; a source past its retention goes now.
    if (!sourceKept) {
      this.recoveryPoints.delete(rp.arn);
      adapter.deleteRecoveryPoint(rp.arn);
    }
  }

  private seedRecoveryPoint(args: {
    arn: string;
    region: string;
    vault: BackupVault;
    resource: ProtectedResource;
    iamRoleArn: string;
    createdAt: EpochMs;
    initiatedAt: EpochMs;
    completedAt: EpochMs;
    lifecycle?: Lifecycle;
    createdBy: RecoveryPointCreator;
    sourceBackupVaultArn?: string;
  }): RecoveryPoint {
    const rp: RecoveryPoint = {
      arn: args.arn,
      region: args.region,
      vaultName: args.vault.name,
      vaultArn: args.vault.arn,
      resourceArn: args.resource.arn,
      resourceType: args.resource.type,
      ...(args.resource.name !== undefined ? { resourceName: args.resource.name } : {}),
      iamRoleArn: args.iamRoleArn,
      createdAt: args.createdAt,
      initiatedAt: args.initiatedAt,
      completedAt: args.completedAt,
      status: 'COMPLETED',
      backupSizeInBytes: args.resource.sizeBytes,
      ...(args.lifecycle ? { lifecycle: args.lifecycle } : {}),
      createdBy: args.createdBy,
      ...(args.sourceBackupVaultArn ? { sourceBackupVaultArn: args.sourceBackupVaultArn } : {}),
      encryptionKeyArn: args.vault.encryptionKeyArn,
      tags: {},
    };
    this.recoveryPoints.set(rp.arn, rp);
    // A source kept only to seed its copies is gone again at once: it needs no sweep.
    const deleteAt = this.deleteAtOf(rp);
    if (deleteAt !== undefined && deleteAt > this.now()) this.sweepBy(deleteAt);
    return rp;
  }

  // ── Compliance (Backup Audit Manager's idea; a model method) ────────────

  /**
   * Evaluate resources against the controls Backup Audit Manager offers:
   * protected by a backup plan, minimum retention, cross-region copy, and
   * (optionally) a recent enough recovery point.
   */
  evaluateCompliance(options: ComplianceOptions): ComplianceReport {
    const now = this.now();
    const planRegions = [...this.plans.values()].filter((p) => p.deletedAt === undefined).map((p) => p.region);
    const regions = options.regions ?? [...new Set([...planRegions, ...[...this.vaults.values()].map((v) => v.region)])].sort();
    const arns = options.resourceArns ?? regions.flatMap((region) => this.adapters.flatMap((a) => a.list(region).map((r) => r.arn)));
    const resources = [...new Set(arns)].map((arn) => this.evaluateResource(arn, options, now));
    return { evaluatedAt: now, compliant: resources.every((r) => r.compliant), resources };
  }

  private evaluateResource(resourceArn: string, options: ComplianceOptions, now: EpochMs): ResourceCompliance {
    const adapter = this.adapterFor(resourceArn);
    const region = regionOfArn(resourceArn) ?? '';
    const resource = adapter?.find(resourceArn);
    const reasons: string[] = [];
    const coveredBy: PlanCoverage[] = [];
    if (!adapter) reasons.push('AWS Backup in the simulator does not protect this resource type.');
    else if (!resource) reasons.push('The resource does not exist.');
    if (resource) {
      for (const plan of this.plans.values()) {
        if (plan.deletedAt !== undefined || plan.region !== resource.region) continue;
        const selection = this.selectionsOf(plan).find((s) => this.protects(s, resource));
        if (!selection) continue;
        const version = this.planVersion(plan);
        for (const rule of version.rules) {
          coveredBy.push({
            planId: plan.id,
            planName: version.name,
            planRegion: plan.region,
            selectionName: selection.name,
            ruleName: rule.RuleName,
            vaultName: rule.TargetBackupVaultName,
            retentionDays: rule.Lifecycle?.DeleteAfterDays ?? null,
            copyRegions: [...new Set(rule.CopyActions.map((a) => vaultArnPattern.exec(a.DestinationBackupVaultArn)?.[1] ?? ''))].filter((r) => r !== ''),
          });
        }
      }
    }
    const points = this.recoveryPointsOf(resourceArn).filter((rp) => rp.status === 'COMPLETED' && rp.completedAt !== undefined);
    const latest = points.reduce<RecoveryPoint | undefined>((best, rp) => (!best || rp.completedAt! > best.completedAt! ? rp : best), undefined);
    const copiedToRegions = [...new Set(points.filter((rp) => rp.region !== region).map((rp) => rp.region))].sort();
    const retentionDays =
      coveredBy.length === 0 ? 0 : coveredBy.some((c) => c.retentionDays === null) ? null : Math.max(...coveredBy.map((c) => c.retentionDays!));
    if (resource && coveredBy.length === 0) reasons.push('Not protected by any backup plan.');
    if (coveredBy.length > 0 && retentionDays !== null && retentionDays < options.minRetentionDays) {
      reasons.push(`Recovery points are kept ${retentionDays} days, less than the required ${options.minRetentionDays}.`);
    }
    if (options.requireCrossRegionCopy && coveredBy.length > 0) {
      const copyRegions = new Set(coveredBy.flatMap((c) => c.copyRegions).filter((r) => r !== region));
      if (copyRegions.size === 0) reasons.push('No backup rule copies its recovery points to another region.');
      else if (copiedToRegions.length === 0) reasons.push(`No completed recovery point has been copied to ${[...copyRegions].sort().join(', ')} yet.`);
    }
    if (options.maxRecoveryPointAgeHours !== undefined && resource) {
      const limit = options.maxRecoveryPointAgeHours * 3_600_000;
      if (!latest) reasons.push('There is no completed recovery point.');
      else if (now - latest.completedAt! > limit) {
        reasons.push(`The latest recovery point is ${Math.floor((now - latest.completedAt!) / 3_600_000)} hours old, more than ${options.maxRecoveryPointAgeHours}.`);
      }
    }
    return {
      resourceArn,
      resourceType: adapter?.type ?? 'unknown',
      region,
      coveredBy,
      retentionDays,
      copiedToRegions,
      ...(latest ? { latestRecoveryPoint: { arn: latest.arn, region: latest.region, completedAt: latest.completedAt! } } : {}),
      completedRecoveryPoints: points.length,
      compliant: reasons.length === 0,
      reasons,
    };
  }
}

// ── Helpers ───────────────────────────────────────────────────────────────

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function newestFirst<T extends { createdAt: EpochMs; id?: string; arn?: string }>(items: T[]): T[] {
  return items.sort((a, b) => b.createdAt - a.createdAt || compare(a.id ?? a.arn ?? '', b.id ?? b.arn ?? ''));
}

function within(at: EpochMs, after: EpochMs | undefined, before: EpochMs | undefined): boolean {
  return (after === undefined || at >= after) && (before === undefined || at <= before);
}

/** `aws:ResourceTag/Key` and plain `Key` both name the tag `Key`. */
function tagKey(conditionKey: string): string {
  return conditionKey.startsWith('aws:ResourceTag/') ? conditionKey.slice('aws:ResourceTag/'.length) : conditionKey;
}

/** `*` matches any run of characters (ARNs in selections, StringLike values). */
function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 's');
}

/** Offset pages: NextToken is where the next page starts. */
export function paginate<T>(items: readonly T[], input: PageInput): Page<T> {
  const max = input.MaxResults ?? 1000;
  if (max < 1 || max > 1000) throw backupErrors.invalidParameterValue(`MaxResults must be between 1 and 1000, not ${max}.`);
  let start = 0;
  if (input.NextToken !== undefined && input.NextToken !== '') {
    const decoded = /^[A-Za-z0-9_-]+$/.test(input.NextToken) ? Number(Buffer.from(input.NextToken, 'base64url').toString('utf8')) : NaN;
    if (!Number.isSafeInteger(decoded) || decoded < 0) throw backupErrors.invalidParameterValue(`Invalid NextToken ${input.NextToken}.`);
    start = decoded;
  }
  const page = items.slice(start, start + max);
  const next = start + page.length;
  return { items: page, ...(next < items.length ? { nextToken: Buffer.from(String(next), 'utf8').toString('base64url') } : {}) };
}

