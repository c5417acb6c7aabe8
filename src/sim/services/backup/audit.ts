import type { EpochMs } from '../../../clock/types.js';
import { cancelOwned, scheduleOwned } from '../../owned-timers.js';
import type { CallContext, Rng, SimWorld } from '../../types.js';
import { runsBetween } from './cron.js';
import { backupErrors } from './errors.js';
import type { BackupModel } from './model.js';
import { paginate } from './paging.js';
import type { ProtectedResource } from './resources.js';
import type {
  AuditControlName,
  BackupPlan,
  BackupVault,
  ComplianceStatus,
  ControlEvaluation,
  CreateFrameworkInput,
  Framework,
  FrameworkControl,
  FrameworkControlInput,
  FrameworkEvaluation,
  Page,
  PageInput,
  RecoveryPoint,
  ReportJob,
  ReportPlan,
  ReportPlanInput,
  ReportTemplate,
  ResourceEvaluation,
} from './types.js';

/**
 * AWS Backup Audit Manager over the Backup model: frameworks of controls,
 * each control evaluated from the model's state whenever it is asked (the
 * sim has no AWS Config to deploy rules to, so a framework is COMPLETED and
 * ACTIVE at once), report plans, and report jobs that write their report
 * (CSV and/or JSON) into an S3 bucket of the sim. Also the vaults' access
 * policies, which only the manual-deletion control reads: the sim's IAM
 * refuses deletions by role whatever a vault's policy says.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const HEX = '0123456789abcdef';
/** AWS Backup Audit Manager: "You can use up to 50 controls per account per Region". */
const MAX_CONTROLS = 50;
const nameRule = /^[a-zA-Z][_a-zA-Z0-9]{0,255}$/;

/** The actions a vault's Deny must cover for the manual-deletion control (AWS Config's backup-recovery-point-manual-deletion-disabled). */
const DELETION_ACTIONS = ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle', 'backup:PutBackupVaultAccessPolicy'];

/** Resource types by how AWS Backup names them in a control's scope and how AWS Config names them in a report. */
const CONFIG_TYPES: Record<string, string> = { RDS: 'AWS::RDS::DBInstance', DynamoDB: 'AWS::DynamoDB::Table', EBS: 'AWS::EC2::Volume' };

interface ControlDefinition {
  /** Parameter name → its default, for those the control takes. */
  defaults: Record<string, string>;
  check(parameters: Record<string, string>): string | undefined;
  evaluate(audit: BackupAudit, region: string, control: FrameworkControl): ResourceEvaluation[];
}

const positiveInt = (value: string | undefined, max = Number.MAX_SAFE_INTEGER): boolean => value !== undefined && /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= max;

const controls: Record<AuditControlName, ControlDefinition> = {
  BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN: {
    defaults: {},
    check: () => undefined,
    evaluate: (audit, region, control) => {
      const protectedBy = audit.protectingPlans(region);
      return audit.resourcesInScope(region, control).map((resource) => {
        const plans = protectedBy.get(resource.arn) ?? [];
        return audit.judge(control, resource, plans.length > 0, plans.length > 0 ? `selected by ${plans.join(', ')}` : 'not selected by any backup plan');
      });
    },
  },
  BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION: {
    defaults: {},
    check: (p) => (p['crossRegionList'] !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+(,[a-z]{2}(-[a-z]+)+-\d+)*$/.test(p['crossRegionList'].replace(/\s/g, '')) ? 'crossRegionList must be regions separated by commas' : undefined),
    evaluate: (audit, region, control) => {
      const wanted = (control.parameters['crossRegionList'] ?? '').split(',').map((r) => r.trim()).filter((r) => r !== '');
      const copies = audit.copyRegionsByResource(region);
      return audit.resourcesInScope(region, control).map((resource) => {
        const regions = [...(copies.get(resource.arn) ?? [])].sort();
        const missing = wanted.filter((r) => !regions.includes(r));
        const ok = regions.length > 0 && missing.length === 0;
        const annotation = ok
          ? `copied to ${regions.join(', ')}`
          : regions.length === 0
            ? 'no backup rule copies its recovery points to another region'
            : `copied to ${regions.join(', ')}, not to ${missing.join(', ')}`;
        return audit.judge(control, resource, ok, annotation);
      });
    },
  },
  BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK: {
    defaults: { requiredFrequencyUnit: 'days', requiredFrequencyValue: '1', requiredRetentionDays: '35' },
    check: (p) => {
      const unit = p['requiredFrequencyUnit'];
      if (unit !== 'hours' && unit !== 'days') return `requiredFrequencyUnit must be hours or days, not ${unit}`;
      if (!positiveInt(p['requiredFrequencyValue'], unit === 'hours' ? 24 : 31)) return `requiredFrequencyValue must be 1 to ${unit === 'hours' ? 24 : 31} ${unit}`;
      if (!positiveInt(p['requiredRetentionDays'])) return 'requiredRetentionDays must be a whole number of days, at least 1';
      return undefined;
    },
    evaluate: (audit, region, control) => {
      const p = control.parameters;
      const everyMs = Number(p['requiredFrequencyValue']) * (p['requiredFrequencyUnit'] === 'hours' ? HOUR_MS : DAY_MS);
      const days = Number(p['requiredRetentionDays']);
      return audit.livePlans(region).filter((plan) => audit.inScopeByTags(plan.tags, control) && audit.inScopeByIds([plan.id, plan.arn], control)).map((plan) => {
        const version = audit.backup.planVersion(plan);
        const rules = version.rules.map((rule) => {
          const gap = audit.longestGapMs(rule.schedule);
          const kept = rule.Lifecycle?.DeleteAfterDays;
          return { rule, ok: gap <= everyMs && (kept === undefined || kept >= days), text: `${rule.RuleName}: every ${formatHours(gap)}, kept ${kept === undefined ? 'until deleted' : `${kept} days`}` };
        });
        const ok = rules.some((r) => r.ok);
        const annotation = `${ok ? 'a rule' : 'no rule'} backs up at least every ${formatHours(everyMs)} and keeps ${days} days (${rules.map((r) => r.text).join('; ')})`;
        return { control: control.name, resourceType: 'AWS::Backup::BackupPlan', resourceId: plan.id, resourceName: version.name, status: status(ok), annotation };
      });
    },
  },
  BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK: {
    defaults: { requiredRetentionDays: '35' },
    check: (p) => (positiveInt(p['requiredRetentionDays']) ? undefined : 'requiredRetentionDays must be a whole number of days, at least 1'),
    evaluate: (audit, region, control) => {
      const days = Number(control.parameters['requiredRetentionDays']);
      return audit.recoveryPointsInScope(region, control).map((rp) => {
        const deleteAt = audit.backup.deleteAtOf(rp);
        const kept = deleteAt === undefined ? undefined : (deleteAt - rp.createdAt) / DAY_MS;
        const ok = kept === undefined || kept >= days;
        const annotation = `of ${rp.resourceName ?? rp.resourceArn}, kept ${kept === undefined ? 'until deleted' : `${Number(kept.toFixed(2))} days`} (at least ${days} required)`;
        return { control: control.name, resourceType: 'AWS::Backup::RecoveryPoint', resourceId: rp.arn, resourceName: rp.arn, status: status(ok), annotation };
      });
    },
  },
  BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED: {
    defaults: {},
    check: () => undefined,
    evaluate: (audit, region, control) => {
      const allowed = (control.parameters['principalArnList'] ?? '').split(',').map((a) => a.trim()).filter((a) => a !== '');
      return audit.vaults(region).map((vault) => {
        const verdict = deletionDenied(audit.accessPolicy(vault.arn), allowed);
        return { control: control.name, resourceType: 'AWS::Backup::BackupVault', resourceId: vault.arn, resourceName: vault.name, status: status(verdict.ok), annotation: verdict.why };
      });
    },
  },
};

const status = (ok: boolean): ComplianceStatus => (ok ? 'COMPLIANT' : 'NON_COMPLIANT');

function formatHours(ms: number): string {
  const hours = ms / HOUR_MS;
  return hours >= 24 && hours % 24 === 0 ? `${hours / 24} day${hours === 24 ? '' : 's'}` : `${Number(hours.toFixed(1))} h`;
}

export function isAuditControl(name: string): name is AuditControlName {
  return Object.hasOwn(controls, name);
}

type Statement = { Effect?: unknown; Principal?: unknown; Action?: unknown; Resource?: unknown; Condition?: unknown };

const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : []);

/**
 * Whether a vault policy denies manual deletion to everyone (Principal and
 * Resource `*`, the three actions), its exceptions (a condition on
 * aws:PrincipalArn) all among the principals the control allows.
 */
function deletionDenied(policy: string | undefined, allowed: readonly string[]): { ok: boolean; why: string } {
  if (policy === undefined) return { ok: false, why: 'the vault has no access policy, so nothing in it denies deleting recovery points' };
  let document: { Statement?: unknown };
  try {
    document = JSON.parse(policy) as { Statement?: unknown };
  } catch {
    return { ok: false, why: 'the vault access policy is not JSON' };
  }
  const statements = (Array.isArray(document.Statement) ? document.Statement : [document.Statement]).filter((s): s is Statement => typeof s === 'object' && s !== null);
  const everyone = (principal: unknown) => principal === '*' || list((principal as { AWS?: unknown } | undefined)?.AWS).includes('*');
  const covers = (actions: string[], action: string) => actions.some((a) => a === action || a === 'backup:*' || a === '*');
  const denying = statements.filter((s) => s.Effect === 'Deny' && everyone(s.Principal) && list(s.Resource).includes('*'));
  const full = denying.find((s) => DELETION_ACTIONS.every((action) => covers(list(s.Action), action)));
  if (!full) return { ok: false, why: `no Deny for every principal on every resource covers ${DELETION_ACTIONS.join(', ')}` };
  const exempt: string[] = [];
  for (const operator of Object.values((full.Condition ?? {}) as Record<string, unknown>)) {
    if (typeof operator !== 'object' || operator === null) continue;
    for (const [key, value] of Object.entries(operator)) if (key.toLowerCase() === 'aws:principalarn') exempt.push(...list(value));
  }
  const extra = exempt.filter((arn) => !allowed.includes(arn));
  if (extra.length > 0) return { ok: false, why: `the vault lets ${extra.join(', ')} delete recovery points, which the control does not allow` };
  return { ok: true, why: exempt.length ? `deleting recovery points is denied to all but ${exempt.join(', ')}` : 'deleting recovery points is denied to everyone' };
}

export class BackupAudit {
  private readonly frameworks = new Map<string, Framework>();
  private readonly reportPlans = new Map<string, ReportPlan>();
  private readonly reportJobs = new Map<string, ReportJob>();
  /** Vault ARN → its access policy document, as put. */
  private readonly policies = new Map<string, string>();
  private readonly ids: Rng;

  constructor(
    private readonly world: SimWorld,
    readonly backup: BackupModel,
  ) {
    this.ids = world.rng.fork('backup:audit-ids');
  }

  private now(): EpochMs {
    return this.world.clock.now();
  }

  private uuid(): string {
    const r = this.ids;
    return `${r.alnum(8, HEX)}-${r.alnum(4, HEX)}-4${r.alnum(3, HEX)}-${r.pick(['8', '9', 'a', 'b'])}${r.alnum(3, HEX)}-${r.alnum(12, HEX)}`;
  }

  private key(region: string, name: string): string {
    return `${region}/${name}`;
  }

  // ── Vault access policies ───────────────────────────────────────────────

  putVaultAccessPolicy(region: string, vaultName: string, policy: string | undefined): void {
    const vault = this.backup.vault(region, vaultName);
    if (policy === undefined || policy === '') throw backupErrors.missingParameter('Policy');
    try {
      JSON.parse(policy);
    } catch {
      throw backupErrors.invalidParameterValue('The policy is not valid JSON.');
    }
    this.policies.set(vault.arn, policy);
    this.world.emit('backup.vault.policy-put', { region, vault: vaultName });
  }

  vaultAccessPolicy(region: string, vaultName: string): { vault: BackupVault; policy: string } {
    const vault = this.backup.vault(region, vaultName);
    const policy = this.policies.get(vault.arn);
    if (policy === undefined) throw backupErrors.resourceNotFound(`Backup vault ${vaultName} has no access policy.`);
    return { vault, policy };
  }

  deleteVaultAccessPolicy(region: string, vaultName: string): void {
    const vault = this.backup.vault(region, vaultName);
    this.policies.delete(vault.arn);
    this.world.emit('backup.vault.policy-deleted', { region, vault: vaultName });
  }

  accessPolicy(vaultArn: string): string | undefined {
    return this.policies.get(vaultArn);
  }

  // ── What the controls read ──────────────────────────────────────────────

  livePlans(region: string): BackupPlan[] {
    return this.backup.listBackupPlans(region, { MaxResults: 1000 }).items;
  }

  vaults(region: string): BackupVault[] {
    return this.backup.listBackupVaults(region, { MaxResults: 1000 }).items;
  }

  /** Resource ARN → the names of the live plans in `region` that protect it. */
  protectingPlans(region: string): Map<string, string[]> {
    const byArn = new Map<string, string[]>();
    for (const plan of this.livePlans(region)) {
      const name = this.backup.planVersion(plan).name;
      for (const resource of this.backup.selectedResources(plan)) byArn.set(resource.arn, [...(byArn.get(resource.arn) ?? []), name]);
    }
    return byArn;
  }

  /** Resource ARN → the other regions the rules of the plans protecting it copy to. */
  copyRegionsByResource(region: string): Map<string, Set<string>> {
    const byArn = new Map<string, Set<string>>();
    for (const plan of this.livePlans(region)) {
      const copies = this.backup
        .planVersion(plan)
        .rules.flatMap((rule) => rule.CopyActions.map((a) => a.DestinationBackupVaultArn.split(':')[3] ?? ''))
        .filter((r) => r !== '' && r !== region);
      if (copies.length === 0) continue;
      for (const resource of this.backup.selectedResources(plan)) {
        const set = byArn.get(resource.arn) ?? new Set<string>();
        for (const r of copies) set.add(r);
        byArn.set(resource.arn, set);
      }
    }
    return byArn;
  }

  inScopeByTags(tags: Record<string, string>, control: FrameworkControl): boolean {
    return Object.entries(control.scope.tags).every(([k, v]) => tags[k] === v || (v === '' && k in tags));
  }

  inScopeByIds(ids: readonly string[], control: FrameworkControl): boolean {
    return control.scope.resourceIds.length === 0 || ids.some((id) => control.scope.resourceIds.includes(id));
  }

  private inScopeByType(type: string, control: FrameworkControl): boolean {
    return control.scope.resourceTypes.length === 0 || control.scope.resourceTypes.includes(type);
  }

  resourcesInScope(region: string, control: FrameworkControl): ProtectedResource[] {
    return this.backup.adapters
      .filter((a) => this.inScopeByType(a.type, control))
      .flatMap((a) => a.list(region))
      .filter((r) => this.inScopeByTags(r.tags, control) && this.inScopeByIds([r.arn], control));
  }

  recoveryPointsInScope(region: string, control: FrameworkControl): RecoveryPoint[] {
    return this.vaults(region)
      .flatMap((vault) => this.backup.recoveryPointsIn(vault))
      .filter((rp) => rp.status === 'COMPLETED' && this.inScopeByType(rp.resourceType, control) && this.inScopeByIds([rp.resourceArn, rp.arn], control))
      .sort((a, b) => a.createdAt - b.createdAt || (a.arn < b.arn ? -1 : 1));
  }

  judge(control: FrameworkControl, resource: ProtectedResource, ok: boolean, annotation: string): ResourceEvaluation {
    return { control: control.name, resourceType: CONFIG_TYPES[resource.type] ?? resource.type, resourceId: resource.arn, resourceName: resource.name ?? resource.arn, status: status(ok), annotation };
  }

  /** The longest stretch between two runs of a schedule, over the next eight days (a weekly rule's week and then some). */
  longestGapMs(schedule: Parameters<typeof runsBetween>[0]): number {
    const from = this.now();
    const runs = runsBetween(schedule, from, from + 8 * DAY_MS, 8 * 24 * 60 + 1);
    if (runs.length < 2) return Number.POSITIVE_INFINITY;
    let gap = 0;
    for (let i = 1; i < runs.length; i++) gap = Math.max(gap, runs[i]! - runs[i - 1]!);
    return gap;
  }

  // ── Frameworks ──────────────────────────────────────────────────────────

  private readControls(inputs: FrameworkControlInput[] | undefined): FrameworkControl[] {
    if (!inputs || inputs.length === 0) throw backupErrors.missingParameter('FrameworkControls');
    return inputs.map((input, i) => {
      const where = `FrameworkControls[${i}]`;
      if (!isAuditControl(input.ControlName)) {
        throw backupErrors.invalidParameterValue(`${where}: the simulator evaluates ${Object.keys(controls).join(', ')}; not ${input.ControlName}.`);
      }
      const definition = controls[input.ControlName];
      const given = Object.fromEntries((input.ControlInputParameters ?? []).map((p) => [p.ParameterName, p.ParameterValue]));
      const parameters = { ...definition.defaults, ...given };
      const problem = definition.check(parameters);
      if (problem) throw backupErrors.invalidParameterValue(`${where} ${input.ControlName}: ${problem}.`);
      const scope = input.ControlScope ?? {};
      return {
        name: input.ControlName,
        parameters: given,
        scope: { resourceIds: [...(scope.ComplianceResourceIds ?? [])], resourceTypes: [...(scope.ComplianceResourceTypes ?? [])], tags: { ...scope.Tags } },
      };
    });
  }

  createFramework(region: string, input: CreateFrameworkInput): Framework {
    const name = input.FrameworkName;
    if (name === undefined) throw backupErrors.missingParameter('FrameworkName');
    if (!nameRule.test(name)) throw backupErrors.invalidParameterValue(`Invalid framework name ${name}: a letter, then up to 255 letters, digits or underscores.`);
    const existing = this.frameworks.get(this.key(region, name));
    if (existing) {
      if (input.IdempotencyToken !== undefined && input.IdempotencyToken === existing.idempotencyToken) return existing;
      throw backupErrors.alreadyExists(`Framework with the name ${name} already exists.`);
    }
    const controlsRead = this.readControls(input.FrameworkControls);
    const inRegion = [...this.frameworks.values()].filter((f) => f.region === region).reduce((n, f) => n + f.controls.length, 0);
    if (inRegion + controlsRead.length > MAX_CONTROLS) {
      throw backupErrors.limitExceeded(`An account may use ${MAX_CONTROLS} controls per Region; this framework would make ${inRegion + controlsRead.length}.`);
    }
    const framework: Framework = {
      name,
      region,
      arn: `arn:aws:backup:${region}:${this.world.accountId}:framework:${name}-${this.uuid()}`,
      createdAt: this.now(),
      description: input.FrameworkDescription ?? '',
      controls: controlsRead,
      ...(input.IdempotencyToken !== undefined ? { idempotencyToken: input.IdempotencyToken } : {}),
      tags: { ...input.FrameworkTags },
    };
    this.frameworks.set(this.key(region, name), framework);
    this.world.emit('backup.framework.created', { region, name, arn: framework.arn, controls: controlsRead.map((c) => c.name) });
    return framework;
  }

  framework(region: string, name: string): Framework {
    const found = this.frameworks.get(this.key(region, name));
    if (!found) throw backupErrors.resourceNotFound(`Framework ${name} was not found.`);
    return found;
  }

  frameworkByArn(arn: string): Framework | undefined {
    return [...this.frameworks.values()].find((f) => f.arn === arn);
  }

  listFrameworks(region: string, page: PageInput): Page<Framework> {
    return paginate([...this.frameworks.values()].filter((f) => f.region === region).sort((a, b) => a.createdAt - b.createdAt || (a.name < b.name ? -1 : 1)), page);
  }

  updateFramework(region: string, name: string, input: { FrameworkDescription?: string; FrameworkControls?: FrameworkControlInput[] }): Framework {
    const framework = this.framework(region, name);
    if (input.FrameworkControls !== undefined) framework.controls = this.readControls(input.FrameworkControls);
    if (input.FrameworkDescription !== undefined) framework.description = input.FrameworkDescription;
    this.world.emit('backup.framework.updated', { region, name });
    return framework;
  }

  deleteFramework(region: string, name: string): void {
    const framework = this.framework(region, name);
    const using = [...this.reportPlans.values()].filter((p) => p.setting.frameworkArns.includes(framework.arn));
    if (using.length > 0) throw backupErrors.conflict(`Framework ${name} is used by the report plan ${using.map((p) => p.name).join(', ')}.`);
    this.frameworks.delete(this.key(region, name));
    this.world.emit('backup.framework.deleted', { region, name });
  }

  /** Every control of a framework, evaluated now from the model's state. */
  evaluate(framework: Framework): FrameworkEvaluation {
    const evaluated: ControlEvaluation[] = framework.controls.map((control) => {
      const withDefaults = { ...control, parameters: { ...controls[control.name].defaults, ...control.parameters } };
      const resources = controls[control.name].evaluate(this, framework.region, withDefaults);
      return { control, status: status(resources.every((r) => r.status === 'COMPLIANT')), resources };
    });
    return { framework, evaluatedAt: this.now(), status: status(evaluated.every((c) => c.status === 'COMPLIANT')), controls: evaluated };
  }

  // ── Report plans ────────────────────────────────────────────────────────

  private readPlan(region: string, input: ReportPlanInput, current?: ReportPlan): Pick<ReportPlan, 'delivery' | 'setting'> {
    const channel = input.ReportDeliveryChannel;
    const delivery = channel
      ? (() => {
          if (!channel.S3BucketName) throw backupErrors.missingParameter('ReportDeliveryChannel.S3BucketName');
          const formats = channel.Formats ?? ['CSV'];
          for (const format of formats) if (format !== 'CSV' && format !== 'JSON') throw backupErrors.invalidParameterValue(`Invalid report format ${format}: CSV or JSON.`);
          return { bucket: channel.S3BucketName, ...(channel.S3KeyPrefix ? { prefix: channel.S3KeyPrefix } : {}), formats: [...new Set(formats)] as ('CSV' | 'JSON')[] };
        })()
      : current?.delivery;
    if (!delivery) throw backupErrors.missingParameter('ReportDeliveryChannel');
    const setting = input.ReportSetting
      ? (() => {
          const template = input.ReportSetting.ReportTemplate;
          if (!template) throw backupErrors.missingParameter('ReportSetting.ReportTemplate');
          if (template !== 'RESOURCE_COMPLIANCE_REPORT' && template !== 'CONTROL_COMPLIANCE_REPORT') {
            throw backupErrors.invalidParameterValue(`The simulator writes RESOURCE_COMPLIANCE_REPORT and CONTROL_COMPLIANCE_REPORT reports; not ${template}.`);
          }
          const arns = input.ReportSetting.FrameworkArns ?? [];
          if (arns.length !== 1) throw backupErrors.invalidParameterValue(`${template} takes exactly one framework in FrameworkArns.`);
          for (const arn of arns) {
            const framework = this.frameworkByArn(arn);
            if (!framework || framework.region !== region) throw backupErrors.invalidParameterValue(`Framework ${arn} was not found in ${region}.`);
          }
          return {
            template: template as ReportTemplate,
            frameworkArns: [...arns],
            accounts: [...(input.ReportSetting.Accounts ?? [])],
            organizationUnits: [...(input.ReportSetting.OrganizationUnits ?? [])],
            regions: [...(input.ReportSetting.Regions ?? [])],
          };
        })()
      : current?.setting;
    if (!setting) throw backupErrors.missingParameter('ReportSetting');
    return { delivery, setting };
  }

  createReportPlan(region: string, input: ReportPlanInput): ReportPlan {
    const name = input.ReportPlanName;
    if (name === undefined) throw backupErrors.missingParameter('ReportPlanName');
    if (!nameRule.test(name)) throw backupErrors.invalidParameterValue(`Invalid report plan name ${name}: a letter, then up to 255 letters, digits or underscores.`);
    const existing = this.reportPlans.get(this.key(region, name));
    if (existing) {
      if (input.IdempotencyToken !== undefined && input.IdempotencyToken === existing.idempotencyToken) return existing;
      throw backupErrors.alreadyExists(`Report plan with the name ${name} already exists.`);
    }
    const plan: ReportPlan = {
      name,
      region,
      arn: `arn:aws:backup:${region}:${this.world.accountId}:report-plan:${name}-${this.uuid()}`,
      createdAt: this.now(),
      description: input.ReportPlanDescription ?? '',
      ...this.readPlan(region, input),
      tags: { ...input.ReportPlanTags },
      ...(input.IdempotencyToken !== undefined ? { idempotencyToken: input.IdempotencyToken } : {}),
    };
    this.reportPlans.set(this.key(region, name), plan);
    this.world.emit('backup.report-plan.created', { region, name, arn: plan.arn, template: plan.setting.template });
    return plan;
  }

  reportPlan(region: string, name: string): ReportPlan {
    const plan = this.reportPlans.get(this.key(region, name));
    if (!plan) throw backupErrors.resourceNotFound(`Report plan ${name} was not found.`);
    return plan;
  }

  listReportPlans(region: string, page: PageInput): Page<ReportPlan> {
    return paginate([...this.reportPlans.values()].filter((p) => p.region === region).sort((a, b) => a.createdAt - b.createdAt || (a.name < b.name ? -1 : 1)), page);
  }

  updateReportPlan(region: string, name: string, input: ReportPlanInput): ReportPlan {
    const plan = this.reportPlan(region, name);
    Object.assign(plan, this.readPlan(region, input, plan));
    if (input.ReportPlanDescription !== undefined) plan.description = input.ReportPlanDescription;
    this.world.emit('backup.report-plan.updated', { region, name });
    return plan;
  }

  deleteReportPlan(region: string, name: string): void {
    this.reportPlan(region, name);
    this.reportPlans.delete(this.key(region, name));
    this.world.emit('backup.report-plan.deleted', { region, name });
  }

  // ── Report jobs ─────────────────────────────────────────────────────────

  /** StartReportJob: the job runs for a calibrated while, then evaluates the plan's framework and writes the report to S3. */
  startReportJob(region: string, planName: string): ReportJob {
    const plan = this.reportPlan(region, planName);
    const job: ReportJob = {
      id: this.uuid(),
      region,
      planName: plan.name,
      planArn: plan.arn,
      template: plan.setting.template,
      createdAt: this.now(),
      status: 'CREATED',
      timers: new Set(),
    };
    this.reportJobs.set(job.id, job);
    plan.lastAttemptedAt = job.createdAt;
    this.world.emit('backup.report-job.created', { region, id: job.id, plan: plan.name });
    const rng = this.ids.fork(`report-job:${job.id}`);
    scheduleOwned(this.world.clock, job, this.now(), `backup ${region}: report job ${job.id} runs`, () => {
      job.status = 'RUNNING';
      scheduleOwned(this.world.clock, job, this.now() + this.world.duration('backup.report-job', rng), `backup ${region}: report job ${job.id} writes`, () => this.writeReport(job, plan));
    });
    return job;
  }

  private writeReport(job: ReportJob, plan: ReportPlan): void {
    const framework = this.frameworkByArn(plan.setting.frameworkArns[0] ?? '');
    if (!framework) return this.finishReport(job, 'FAILED', `The framework ${plan.setting.frameworkArns[0]} of the report plan no longer exists.`);
    const s3 = this.world.findModule('s3');
    const bucket = s3?.model?.allBuckets().find((b) => b.name === plan.delivery.bucket);
    if (!s3?.model || !bucket) return this.finishReport(job, 'FAILED', `The S3 bucket ${plan.delivery.bucket} does not exist.`);
    if (!this.world.faults.isRegionUp(bucket.region)) return this.finishReport(job, 'FAILED', `The S3 bucket ${plan.delivery.bucket} is unavailable: ${bucket.region} is down.`);
    const evaluation = this.evaluate(framework);
    const rows = reportRows(evaluation, job.template, this.world.accountId);
    const date = new Date(this.now());
    const day = `${date.getUTCFullYear()}/${String(date.getUTCMonth() + 1).padStart(2, '0')}/${String(date.getUTCDate()).padStart(2, '0')}`;
    const base = `${plan.delivery.prefix ? `${plan.delivery.prefix.replace(/\/+$/, '')}/` : ''}Backup/${job.region}/${day}/${plan.name}_${job.id}`;
    const ctx: CallContext = {
      region: bucket.region,
      accountId: this.world.accountId,
      identity: { accessKeyId: 'AWSBACKUPREPORTS', role: 'AWSServiceRoleForBackupReports', arn: `arn:aws:sts::${this.world.accountId}:assumed-role/AWSServiceRoleForBackupReports/AWSBackup-Reports` },
      requestId: this.uuid(),
      world: this.world,
    };
    const keys: string[] = [];
    for (const format of plan.delivery.formats) {
      const key = `${base}.${format.toLowerCase()}`;
      const body = format === 'JSON' ? JSON.stringify({ reportItems: rows }, null, 2) : toCsv(rows);
      s3.model.putObject(ctx, { bucket: bucket.name, key, body: Buffer.from(body, 'utf8'), headers: { contentType: format === 'JSON' ? 'application/json' : 'text/csv' } });
      keys.push(key);
    }
    job.destination = { bucket: bucket.name, keys };
    plan.lastSucceededAt = this.now();
    this.finishReport(job, 'COMPLETED');
  }

  private finishReport(job: ReportJob, outcome: 'COMPLETED' | 'FAILED', message?: string): void {
    job.status = outcome;
    job.completedAt = this.now();
    if (message !== undefined) job.statusMessage = message;
    cancelOwned(this.world.clock, job);
    this.world.emit('backup.report-job.finished', { region: job.region, id: job.id, status: outcome, ...(message ? { message } : {}), ...(job.destination ? { keys: job.destination.keys } : {}) });
  }

  reportJob(region: string, id: string): ReportJob {
    const job = this.reportJobs.get(id);
    if (!job || job.region !== region) throw backupErrors.resourceNotFound(`Report job ${id} was not found.`);
    return job;
  }

  listReportJobs(region: string, filter: { planName?: string; status?: string; before?: EpochMs; after?: EpochMs }, page: PageInput): Page<ReportJob> {
    const jobs = [...this.reportJobs.values()]
      .filter((j) => j.region === region && (filter.planName === undefined || j.planName === filter.planName) && (filter.status === undefined || j.status === filter.status))
      .filter((j) => (filter.before === undefined || j.createdAt <= filter.before) && (filter.after === undefined || j.createdAt >= filter.after))
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
    return paginate(jobs, page);
  }
}

type ReportRow = Record<string, string | number>;

/** The rows of a compliance report, with the members AWS Backup Audit Manager's JSON reports use. */
export function reportRows(evaluation: FrameworkEvaluation, template: ReportTemplate, accountId: string): ReportRow[] {
  const base = {
    accountId,
    region: evaluation.framework.region,
    frameworkName: evaluation.framework.name,
    frameworkDescription: evaluation.framework.description,
  };
  const evaluatedAt = new Date(evaluation.evaluatedAt).toISOString();
  if (template === 'CONTROL_COMPLIANCE_REPORT') {
    return evaluation.controls.map((c) => ({
      ...base,
      controlName: c.control.name,
      controlComplianceStatus: c.status,
      lastEvaluationTime: evaluatedAt,
      numResourcesCompliant: c.resources.filter((r) => r.status === 'COMPLIANT').length,
      numResourcesNonCompliant: c.resources.filter((r) => r.status === 'NON_COMPLIANT').length,
      controlScope: JSON.stringify(c.control.scope),
      controlParameters: JSON.stringify(c.control.parameters),
    }));
  }
  return evaluation.controls.flatMap((c) =>
    c.resources.map((r) => ({
      ...base,
      controlName: c.control.name,
      resourceName: r.resourceName,
      resourceId: r.resourceId,
      resourceType: r.resourceType,
      resourceComplianceStatus: r.status,
      lastEvaluationTime: evaluatedAt,
      // Not in AWS's reports: the sim says why, for the people reading its game days.
      annotation: r.annotation,
    })),
  );
}

function toCsv(rows: readonly ReportRow[]): string {
  if (rows.length === 0) return '';
  const columns = Object.keys(rows[0]!);
  const cell = (value: string | number) => {
    const text = String(value);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [columns.join(','), ...rows.map((row) => columns.map((c) => cell(row[c] ?? '')).join(','))].join('\n') + '\n';
}
