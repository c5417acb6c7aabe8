import type { EpochMs, TimerHandle } from '../../../clock/types.js';
import { AwsError, type Rng, type SimWorld } from '../../types.js';
import { evaluateCompliance } from './compliance.js';
import { CronError, nextRun, parseCron, type CronSchedule } from './cron.js';
import { backupErrors } from './errors.js';
import { BackupJobs } from './jobs.js';
import { DAY_MS, DEFAULT_SCHEDULE, DEFAULT_START_WINDOW_MINUTES, roleArnPattern, vaultArnPattern } from './limits.js';
import { compare, newestFirst, paginate, within } from './paging.js';
import { seedBackupPlan } from './seeding.js';
import { isBackupManagedArn, resourceAdapters, type JobRef, type ProtectedResource, type ResourceAdapter } from './resources.js';
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
  CreateBackupPlanInput,
  CreateBackupVaultInput,
  Lifecycle,
  ListRecoveryPointsInput,
  Page,
  PageInput,
  RecoveryPoint,
  RecoveryPointCreator,
  RegionSettings,
  SeedBackupPlanSpec,
  SeededBackupPlan,
  SelectionConditions,
  TagCondition,
  UpdateRegionSettingsInput,
} from './types.js';

const HEX = '0123456789abcdef';

/** AWS Backup's default for a rule that does not say (the others are in limits.ts). */
const DEFAULT_COMPLETION_WINDOW_MINUTES = 10_080;
/** The schedules the sim evaluates: AWS Backup's default, UTC. */
const UTC_ZONES = new Set(['Etc/UTC', 'UTC', 'GMT', 'Etc/GMT']);

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

/**
 * The simulated AWS Backup: vaults, plans whose rules fire on the virtual
 * clock, selections by ARN and tag, backup, copy and restore jobs, recovery
 * points with lifecycles. A recovery point is a real snapshot in its
 * service's model (through the adapters), so what Backup restores is what
 * that service's API then describes. State and rules only.
 *
 * This file holds ids and ARNs, region settings, vaults, plans and their
 * rules' schedule, selections and recovery points with their lifecycle.
 * The job state machines live in jobs.ts (`this.jobs`), seeding a plan's
 * history in seeding.ts, compliance in compliance.ts; they work on this
 * model's state, which is why some members here are not private.
 */
export class BackupModel {
  readonly vaults = new Map<string, BackupVault>();
  readonly plans = new Map<string, BackupPlan>();
  private readonly selections = new Map<string, BackupSelection>();
  /** Every recovery point by ARN; jobs.ts and seeding.ts add and remove them. */
  readonly recoveryPoints = new Map<string, RecoveryPoint>();
  private readonly regionSettings = new Map<string, RegionSettings>();
  private readonly ids: Rng;
  /** One timer for every lifecycle: it fires at the earliest deletion due and sets itself for the next. */
  private lifecycleSweep?: { at: EpochMs; handle: TimerHandle };
  readonly adapters: readonly ResourceAdapter[];

  /** Backup, copy and restore jobs (jobs.ts). */
  readonly jobs: BackupJobs;

  constructor(
    readonly world: SimWorld,
    adapters?: readonly ResourceAdapter[],
  ) {
    this.ids = world.rng.fork('backup:ids');
    this.adapters = adapters ?? resourceAdapters(world);
    this.jobs = new BackupJobs(this);
  }

  now(): EpochMs {
    return this.world.clock.now();
  }

  // ── Ids and names ───────────────────────────────────────────────────────

  private uuid(): string {
    const r = this.ids;
    return `${r.alnum(8, HEX)}-${r.alnum(4, HEX)}-4${r.alnum(3, HEX)}-${r.pick(['8', '9', 'a', 'b'])}${r.alnum(3, HEX)}-${r.alnum(12, HEX)}`;
  }

  jobId(): string {
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
  backupJobRef(adapter: ResourceAdapter, region: string, jobId: string): JobRef {
    return adapter.fullManagement && this.fullyManages(region, adapter.type) ? { jobId, managedArn: this.managedRecoveryPointArn(region) } : { jobId };
  }

  /** A copy of a Backup-managed recovery point is Backup-managed too, in the destination region. */
  copyJobRef(sourceArn: string, destinationRegion: string, jobId: string): JobRef {
    return isBackupManagedArn(sourceArn) ? { jobId, managedArn: this.managedRecoveryPointArn(destinationRegion) } : { jobId };
  }

  adapterFor(resourceArn: string): ResourceAdapter | undefined {
    return this.adapters.find((a) => a.owns(resourceArn));
  }

  adapterOfType(type: BackupResourceType): ResourceAdapter {
    const adapter = this.adapters.find((a) => a.type === type);
    if (!adapter) throw new Error(`no adapter for resource type ${type}`);
    return adapter;
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

  checkLifecycle(lifecycle: Lifecycle | undefined, where: string): Lifecycle | undefined {
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
      this.jobs.createBackupJob(plan.region, {
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

  creator(plan: BackupPlan, rule: BackupRule): RecoveryPointCreator {
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
  protects(selection: BackupSelection, resource: ProtectedResource): boolean {
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

  completeRecoveryPoint(rp: RecoveryPoint, sizeBytes: number | undefined): void {
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

  sweepBy(at: EpochMs): void {
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

  // ── Seeding (the environment loader, at t = 0) ──────────────────────────

  /** A vault that exists from the start (no-op when it already does). */
  seedVault(spec: { name: string; region: string }): BackupVault {
    return this.findVault(spec.region, spec.name) ?? this.createBackupVault(spec.region, { BackupVaultName: spec.name });
  }

  /**
   * A plan in steady state, as if it had always been in force: its vaults,
   * rules and selections, and the recovery points its past runs left
   * (seeding.ts says how).
   */
  seedBackupPlan(spec: SeedBackupPlanSpec): SeededBackupPlan {
    return seedBackupPlan(this, spec);
  }

  // ── Compliance (Backup Audit Manager's idea; a model method) ────────────

  /**
   * Evaluate resources against the controls Backup Audit Manager offers:
   * protected by a backup plan, minimum retention, cross-region copy, and
   * (optionally) a recent enough recovery point (compliance.ts).
   */
  evaluateCompliance(options: ComplianceOptions): ComplianceReport {
    return evaluateCompliance(this, options);
  }
}

// ── Helpers ───────────────────────────────────────────────────────────────

/** `aws:ResourceTag/Key` and plain `Key` both name the tag `Key`. */
function tagKey(conditionKey: string): string {
  return conditionKey.startsWith('aws:ResourceTag/') ? conditionKey.slice('aws:ResourceTag/'.length) : conditionKey;
}

/** `*` matches any run of characters (ARNs in selections, StringLike values). */
function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 's');
}
