import type { TimerHandle } from '../../../clock/types.js';
import {
  AwsError,
  type CallContext,
  type FisActionDefinition,
  type FisActionRun,
  type Rng,
  type SimWorld,
  type TargetableResource,
} from '../../types.js';
import { CloudWatchModule, type AlarmChange } from '../cloudwatch/index.js';
import { createFisActions } from './actions.js';
import {
  defaultFisQuotas,
  type ActionStatus,
  type CreateTemplateInput,
  type Experiment,
  type ExperimentAction,
  type ExperimentOptions,
  type ExperimentStatus,
  type ExperimentTemplate,
  type FisQuotas,
  type Page,
  type PageRequest,
  type StartExperimentInput,
  type TemplateTarget,
  type UpdateTemplateInput,
} from './types.js';
import { missing, parseSelectionMode, targetParameters, validateTemplate, validation, zoneNameOf } from './validation.js';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** FIS's wording of states, kept in one place so tests and the harness can match them. */
export const reasons = {
  experimentPending: 'Experiment is pending.',
  experimentInitiating: 'Experiment is initiating.',
  experimentRunning: 'Experiment is running.',
  experimentCompleted: 'Experiment completed.',
  experimentStopping: 'Experiment is stopping.',
  stoppedByUser: 'Experiment stopped by user.',
  stoppedByCondition: (alarmArn: string) => `Experiment halted by stop condition: alarm ${alarmArn} is in ALARM state.`,
  alarmInAlarmAtStart: (alarmArn: string) => `Experiment could not start: stop condition alarm ${alarmArn} is in ALARM state.`,
  alarmMissing: (alarmArn: string) => `Experiment could not start: stop condition alarm ${alarmArn} does not exist.`,
  noTargets: (target: string) => `Target resolution failed: no resources match target "${target}".`,
  actionFailed: (action: string, message: string) => `Action "${action}" failed: ${message}`,
  actionPending: 'Initial state',
  actionInitiating: 'Action is initiating.',
  actionRunning: 'Action is running.',
  actionCompleted: 'Action completed.',
  actionCancelled: 'Experiment ended before the action started.',
  actionStopping: 'Action is stopping.',
  actionStopped: 'Action stopped with the experiment.',
  actionSkipped: (target: string) => `No resources match target "${target}"; the action was skipped.`,
} as const;

const terminalExperiment: ReadonlySet<ExperimentStatus> = new Set(['completed', 'stopped', 'failed']);
const doneAction: ReadonlySet<ActionStatus> = new Set(['completed', 'skipped']);

/** What an experiment in flight needs besides its public record. */
interface Run {
  experiment: Experiment;
  ctx: CallContext;
  rng: Rng;
  timer?: TimerHandle;
  /** Action name → abort controller, for actions whose start() has not settled. */
  inFlight: Map<string, AbortController>;
  /** Set once the experiment is halting: the status and reason it ends with. */
  halt?: { status: 'stopped' | 'failed'; reason: string };
}

function notFound(message: string): AwsError {
  return new AwsError('ResourceNotFoundException', message, 404);
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/**
 * The FIS model: templates, experiments and their state machines on the
 * virtual clock. Actions come from every registered module's `fisActions`,
 * so FIS runs an RDS failover without knowing RDS.
 */
export class FisModel {
  private readonly templates = new Map<string, ExperimentTemplate>();
  private readonly experiments = new Map<string, Run>();
  private readonly ids: Rng;
  private readonly ownActions: FisActionDefinition[];
  private readonly templateTokens = new Map<string, { templateId: string; fingerprint: string }>();
  private readonly experimentTokens = new Map<string, { experimentId: string; templateId: string }>();
  private alarmSubscription: CloudWatchModule | undefined;

  constructor(
    private readonly world: SimWorld,
    private readonly quotas: FisQuotas = defaultFisQuotas,
  ) {
    this.ids = world.rng.fork('fis.ids');
    this.ownActions = createFisActions();
  }

  /** FIS's own actions, for the module to register. */
  get fisActions(): FisActionDefinition[] {
    return this.ownActions;
  }

  // ---- actions ----------------------------------------------------------

  /** Every action definition the world offers, FIS's own first; the first module to register an id wins. */
  actionDefinitions(): FisActionDefinition[] {
    const byId = new Map<string, FisActionDefinition>();
    for (const action of this.ownActions) byId.set(action.id, action);
    for (const module of this.world.modules()) {
      for (const action of module.fisActions ?? []) if (!byId.has(action.id)) byId.set(action.id, action);
    }
    return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  action(id: string): FisActionDefinition | undefined {
    return this.actionDefinitions().find((action) => action.id === id);
  }

  getAction(id: string): FisActionDefinition {
    const found = this.action(id);
    if (!found) throw notFound(`Action ${id} not found.`);
    return found;
  }

  listActions(page: PageRequest): Page<FisActionDefinition> {
    return paginate('actions', this.actionDefinitions(), page);
  }

  // ---- templates --------------------------------------------------------

  createTemplate(ctx: CallContext, input: CreateTemplateInput): ExperimentTemplate {
    if (input.clientToken) {
      const earlier = this.templateTokens.get(`${ctx.region}|${input.clientToken}`);
      if (earlier) {
        if (earlier.fingerprint !== fingerprint(input)) {
          throw new AwsError('ConflictException', 'The client token was already used with different parameters.', 409);
        }
        const template = this.templates.get(earlier.templateId);
        if (template) return clone(template);
      }
    }
    if (input.description === undefined) throw missing('description');
    if (input.stopConditions === undefined) throw missing('stopConditions');
    if (input.actions === undefined) throw missing('actions');
    if (input.roleArn === undefined) throw missing('roleArn');
    const spec = { targets: input.targets ?? {}, actions: input.actions, stopConditions: input.stopConditions };
    validateTemplate(spec, (id) => this.action(id));
    const options = experimentOptions(input.experimentOptions);
    const inRegion = [...this.templates.values()].filter((t) => t.region === ctx.region).length;
    if (inRegion >= this.quotas.templates) {
      throw new AwsError(
        'ServiceQuotaExceededException',
        `You have reached the maximum of ${this.quotas.templates} experiment templates in ${ctx.region}.`,
        402,
      );
    }
    const id = this.newId('EXT', (candidate) => this.templates.has(candidate));
    const now = this.world.clock.now();
    const template: ExperimentTemplate = {
      id,
      arn: `arn:aws:fis:${ctx.region}:${ctx.accountId}:experiment-template/${id}`,
      region: ctx.region,
      description: input.description,
      ...clone(spec),
      roleArn: input.roleArn,
      tags: { ...input.tags },
      experimentOptions: options,
      ...(input.logConfiguration ? { logConfiguration: clone(input.logConfiguration) } : {}),
      creationTime: now,
      lastUpdateTime: now,
    };
    this.templates.set(id, template);
    if (input.clientToken) {
      this.templateTokens.set(`${ctx.region}|${input.clientToken}`, { templateId: id, fingerprint: fingerprint(input) });
    }
    this.world.emit('fis.template.created', { templateId: id, region: ctx.region });
    return clone(template);
  }

  getTemplate(ctx: CallContext, id: string): ExperimentTemplate {
    return clone(this.template(ctx, id));
  }

  listTemplates(ctx: CallContext, page: PageRequest): Page<ExperimentTemplate> {
    const inRegion = [...this.templates.values()].filter((t) => t.region === ctx.region);
    const result = paginate('experimentTemplates', inRegion, page);
    return { ...result, items: result.items.map(clone) };
  }

  updateTemplate(ctx: CallContext, id: string, input: UpdateTemplateInput): ExperimentTemplate {
    const current = this.template(ctx, id);
    const next: ExperimentTemplate = {
      ...clone(current),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.targets !== undefined ? { targets: clone(input.targets) } : {}),
      ...(input.actions !== undefined ? { actions: clone(input.actions) } : {}),
      ...(input.stopConditions !== undefined ? { stopConditions: clone(input.stopConditions) } : {}),
      ...(input.roleArn !== undefined ? { roleArn: input.roleArn } : {}),
      ...(input.logConfiguration !== undefined ? { logConfiguration: clone(input.logConfiguration) } : {}),
      experimentOptions: experimentOptions({ ...current.experimentOptions, ...input.experimentOptions }),
      lastUpdateTime: this.world.clock.now(),
    };
    validateTemplate(next, (actionId) => this.action(actionId));
    this.templates.set(id, next);
    this.world.emit('fis.template.updated', { templateId: id, region: ctx.region });
    return clone(next);
  }

  deleteTemplate(ctx: CallContext, id: string): ExperimentTemplate {
    const template = this.template(ctx, id);
    this.templates.delete(id);
    this.world.emit('fis.template.deleted', { templateId: id, region: ctx.region });
    return clone(template);
  }

  private template(ctx: CallContext, id: string): ExperimentTemplate {
    const template = this.templates.get(id);
    if (!template || template.region !== ctx.region) throw notFound(`Experiment template ${id} not found.`);
    return template;
  }

  // ---- tags -------------------------------------------------------------

  tagResource(arn: string, tags: Record<string, string>): void {
    const resource = this.taggable(arn);
    Object.assign(resource.tags, tags);
  }

  untagResource(arn: string, keys: string[]): void {
    const resource = this.taggable(arn);
    for (const key of keys) delete resource.tags[key];
  }

  tagsOf(arn: string): Record<string, string> {
    return { ...this.taggable(arn).tags };
  }

  private taggable(arn: string): { tags: Record<string, string> } {
    for (const template of this.templates.values()) if (template.arn === arn) return template;
    for (const run of this.experiments.values()) if (run.experiment.arn === arn) return run.experiment;
    throw notFound(`Resource ${arn} not found.`);
  }

  // ---- experiments ------------------------------------------------------

  getExperiment(ctx: CallContext, id: string): Experiment {
    return clone(this.run(ctx, id).experiment);
  }

  listExperiments(ctx: CallContext, page: PageRequest): Page<Experiment> {
    const inRegion = [...this.experiments.values()].filter((r) => r.experiment.region === ctx.region).map((r) => r.experiment);
    const result = paginate('experiments', inRegion, page);
    return { ...result, items: result.items.map(clone) };
  }

  /** Experiments in every region, for ground truth and the control surface. */
  allExperiments(): Experiment[] {
    return [...this.experiments.values()].map((r) => clone(r.experiment));
  }

  private run(ctx: CallContext, id: string): Run {
    const run = this.experiments.get(id);
    if (!run || run.experiment.region !== ctx.region) throw notFound(`Experiment ${id} not found.`);
    return run;
  }

  startExperiment(ctx: CallContext, input: StartExperimentInput): Experiment {
    if (!input.experimentTemplateId) throw missing('experimentTemplateId');
    const tokenKey = input.clientToken ? `${ctx.region}|${input.clientToken}` : undefined;
    if (tokenKey) {
      const earlier = this.experimentTokens.get(tokenKey);
      if (earlier) {
        if (earlier.templateId !== input.experimentTemplateId) {
          throw new AwsError('ConflictException', 'The client token was already used to start a different experiment.', 409);
        }
        return clone(this.experiments.get(earlier.experimentId)!.experiment);
      }
    }
    const template = this.template(ctx, input.experimentTemplateId);
    const active = [...this.experiments.values()].filter(
      (r) => r.experiment.region === ctx.region && !terminalExperiment.has(r.experiment.status),
    ).length;
    if (active >= this.quotas.activeExperiments) {
      throw new AwsError(
        'ServiceQuotaExceededException',
        `You have reached the maximum of ${this.quotas.activeExperiments} active experiments in ${ctx.region}.`,
        402,
      );
    }
    this.watchAlarms();
    const id = this.newId('EXP', (candidate) => this.experiments.has(candidate));
    const now = this.world.clock.now();
    const actions: Record<string, ExperimentAction> = {};
    for (const [name, action] of Object.entries(template.actions)) {
      actions[name] = { ...clone(action), status: 'pending', reason: reasons.actionPending };
    }
    const experiment: Experiment = {
      id,
      arn: `arn:aws:fis:${ctx.region}:${ctx.accountId}:experiment/${id}`,
      region: ctx.region,
      experimentTemplateId: template.id,
      roleArn: template.roleArn,
      status: 'pending',
      reason: reasons.experimentPending,
      targets: clone(template.targets),
      actions,
      stopConditions: clone(template.stopConditions),
      experimentOptions: { ...template.experimentOptions },
      ...(template.logConfiguration ? { logConfiguration: clone(template.logConfiguration) } : {}),
      tags: { ...template.tags, ...input.tags },
      creationTime: now,
      resolvedTargets: {},
    };
    const run: Run = { experiment, ctx, rng: this.world.rng.fork(`fis.experiment/${id}`), inFlight: new Map() };
    this.experiments.set(id, run);
    if (tokenKey) this.experimentTokens.set(tokenKey, { experimentId: id, templateId: template.id });
    this.world.emit('fis.experiment.state', this.stateDetail(run));
    run.timer = this.world.clock.schedule(now, () => this.initiate(run), `fis ${id}: initiate`);
    return clone(experiment);
  }

  stopExperiment(ctx: CallContext, id: string): Experiment {
    const run = this.run(ctx, id);
    const status = run.experiment.status;
    if (terminalExperiment.has(status)) {
      throw validation(`Experiment ${id} is already ${status}; only a pending, initiating or running experiment can be stopped.`);
    }
    if (!run.halt) this.halt(run, 'stopped', reasons.stoppedByUser);
    return clone(run.experiment);
  }

  private initiate(run: Run): void {
    run.timer = undefined;
    this.setExperimentState(run, 'initiating', reasons.experimentInitiating);
    const at = this.world.clock.now() + this.world.duration('fis.experiment.initiating', run.rng);
    run.timer = this.world.clock.schedule(at, () => this.begin(run), `fis ${run.experiment.id}: run`);
  }

  /** End of initiating: check stop conditions, resolve targets, start the first actions. */
  private begin(run: Run): void {
    run.timer = undefined;
    this.watchAlarms();
    const { experiment } = run;
    for (const condition of experiment.stopConditions) {
      if (condition.source !== 'aws:cloudwatch:alarm' || !condition.value) continue;
      const alarm = this.cloudWatch()?.alarmByArn(condition.value);
      if (!alarm) return this.finish(run, 'failed', reasons.alarmMissing(condition.value));
      if (alarm.state === 'ALARM') return this.finish(run, 'failed', reasons.alarmInAlarmAtStart(condition.value));
    }
    const empty: string[] = [];
    for (const [name, target] of Object.entries(experiment.targets)) {
      const arns = this.resolveTarget(target, experiment.region, run.rng);
      experiment.resolvedTargets[name] = arns;
      if (arns.length === 0) empty.push(name);
    }
    if (empty.length > 0 && experiment.experimentOptions.emptyTargetResolutionMode === 'fail') {
      return this.finish(run, 'failed', reasons.noTargets(empty[0]!));
    }
    experiment.startTime = this.world.clock.now();
    this.setExperimentState(run, 'running', reasons.experimentRunning);
    for (const [name, action] of Object.entries(experiment.actions)) {
      const emptyTarget = Object.values(action.targets).find((target) => empty.includes(target));
      if (emptyTarget) this.setActionState(run, name, 'skipped', reasons.actionSkipped(emptyTarget));
    }
    this.advance(run);
  }

  /** Start every pending action whose predecessors are done; complete the experiment when nothing is left. */
  private advance(run: Run): void {
    if (run.halt || run.experiment.status !== 'running') return;
    const { actions } = run.experiment;
    for (const [name, action] of Object.entries(actions)) {
      if (action.status !== 'pending') continue;
      if (action.startAfter.every((before) => doneAction.has(actions[before]!.status))) this.startAction(run, name);
      if (run.halt) return;
    }
    if (Object.values(actions).every((action) => doneAction.has(action.status))) {
      this.finish(run, 'completed', reasons.experimentCompleted);
    }
  }

  private startAction(run: Run, name: string): void {
    const { experiment } = run;
    const action = experiment.actions[name]!;
    this.setActionState(run, name, 'initiating', reasons.actionInitiating);
    const definition = this.action(action.actionId);
    if (!definition) {
      this.actionSettled(run, name, new Error(`action type ${action.actionId} is no longer available`));
      return;
    }
    const targets: Record<string, string[]> = {};
    for (const [key, targetName] of Object.entries(action.targets)) targets[key] = [...(experiment.resolvedTargets[targetName] ?? [])];
    const controller = new AbortController();
    run.inFlight.set(name, controller);
    const actionRun: FisActionRun = {
      world: this.world,
      region: experiment.region,
      targets,
      parameters: { ...action.parameters },
      signal: controller.signal,
      ctx: run.ctx,
    };
    action.startTime = this.world.clock.now();
    this.setActionState(run, name, 'running', reasons.actionRunning);
    let done: Promise<void>;
    try {
      done = definition.start(actionRun);
    } catch (error) {
      done = Promise.reject(error);
    }
    done.then(
      () => this.actionSettled(run, name),
      (error: unknown) => this.actionSettled(run, name, error instanceof Error ? error : new Error(String(error))),
    );
  }

  private actionSettled(run: Run, name: string, error?: Error): void {
    run.inFlight.delete(name);
    const action = run.experiment.actions[name]!;
    action.endTime = this.world.clock.now();
    if (run.halt) {
      // Stopped under way: whatever the action reports now, it was stopped.
      this.setActionState(run, name, 'stopped', reasons.actionStopped);
      if (run.inFlight.size === 0) this.finish(run, run.halt.status, run.halt.reason);
      return;
    }
    if (error) {
      this.setActionState(run, name, 'failed', error.message);
      this.halt(run, 'failed', reasons.actionFailed(name, error.message));
      return;
    }
    this.setActionState(run, name, 'completed', reasons.actionCompleted);
    this.advance(run);
  }

  /**
   * Stop an experiment on its way to `status`: nothing more starts, pending
   * actions are cancelled, running ones are told to stop (their faults roll
   * back) and the experiment ends once every one of them has.
   */
  private halt(run: Run, status: 'stopped' | 'failed', reason: string): void {
    run.halt = { status, reason };
    if (run.timer) {
      this.world.clock.cancel(run.timer);
      run.timer = undefined;
    }
    for (const [name, action] of Object.entries(run.experiment.actions)) {
      if (action.status === 'pending') this.setActionState(run, name, 'cancelled', reasons.actionCancelled);
    }
    if (run.inFlight.size === 0) return this.finish(run, status, reason);
    if (status === 'stopped') this.setExperimentState(run, 'stopping', reasons.experimentStopping);
    for (const [name, controller] of [...run.inFlight]) {
      this.setActionState(run, name, 'stopping', reasons.actionStopping);
      controller.abort(new Error(reason));
    }
  }

  private finish(run: Run, status: 'completed' | 'stopped' | 'failed', reason: string): void {
    if (run.timer) {
      this.world.clock.cancel(run.timer);
      run.timer = undefined;
    }
    for (const [name, action] of Object.entries(run.experiment.actions)) {
      if (action.status === 'pending') this.setActionState(run, name, 'cancelled', reasons.actionCancelled);
    }
    run.experiment.endTime = this.world.clock.now();
    this.setExperimentState(run, status, reason);
  }

  private setExperimentState(run: Run, status: ExperimentStatus, reason: string): void {
    run.experiment.status = status;
    run.experiment.reason = reason;
    this.world.emit('fis.experiment.state', this.stateDetail(run));
  }

  private stateDetail(run: Run): Record<string, unknown> {
    const { experiment } = run;
    return {
      experimentId: experiment.id,
      templateId: experiment.experimentTemplateId,
      region: experiment.region,
      status: experiment.status,
      reason: experiment.reason,
    };
  }

  private setActionState(run: Run, name: string, status: ActionStatus, reason: string): void {
    const action = run.experiment.actions[name]!;
    action.status = status;
    action.reason = reason;
    this.world.emit('fis.action.state', {
      experimentId: run.experiment.id,
      action: name,
      actionId: action.actionId,
      status,
      reason,
    });
  }

  // ---- targets ----------------------------------------------------------

  /** The ARNs a target names at this moment, chosen per its selection mode with the experiment's RNG. */
  resolveTarget(target: TemplateTarget, region: string, rng: Rng): string[] {
    const seen = new Map<string, TargetableResource>();
    for (const module of this.world.modules()) {
      for (const resource of module.targetable?.(target.resourceType, region) ?? []) {
        if (resource.type === target.resourceType && !seen.has(resource.arn)) seen.set(resource.arn, resource);
      }
    }
    let matched: TargetableResource[];
    if (target.resourceArns && target.resourceArns.length > 0) {
      matched = target.resourceArns.map((arn) => seen.get(arn)).filter((r): r is TargetableResource => r !== undefined);
    } else {
      const tags = Object.entries(target.resourceTags ?? {});
      matched = [...seen.values()].filter((r) => tags.every(([key, value]) => r.tags[key] === value));
    }
    // Filters are paths into the resource's API shape (`Placement.AvailabilityZone`, `State.Name`); a
    // path through a list matches when any of its items does. Every filter must match, any of its values.
    for (const filter of target.filters ?? []) {
      matched = matched.filter((resource) => valuesAt(resource, filter.path).some((value) => filter.values.includes(value)));
    }
    // Target parameters select by zone (or VPC) for the types that take them.
    for (const [name, value] of Object.entries(target.parameters ?? {})) {
      const parameter = targetParameters[target.resourceType]?.[name];
      if (!parameter) continue;
      const wanted = value.split(',').map((v) => v.trim()).filter(Boolean).map((v) => (parameter.zones ? zoneNameOf(v, region) : v));
      matched = matched.filter((resource) => valuesAt(resource, parameter.path).some((v) => wanted.includes(v)));
    }
    const selection = parseSelectionMode(target.selectionMode) ?? { kind: 'ALL' as const };
    const arns = matched.map((r) => r.arn);
    if (selection.kind === 'ALL') return arns;
    const count =
      selection.kind === 'COUNT'
        ? Math.min(selection.n, arns.length)
        : // FIS picks a share of the matches; rounding up keeps PERCENT(n) of a small fleet from choosing nothing.
          Math.ceil((arns.length * selection.n) / 100);
    return choose(arns, count, rng);
  }

  // ---- stop conditions --------------------------------------------------

  private cloudWatch(): CloudWatchModule | undefined {
    const module = this.world.modules().find((m) => m.name === 'cloudwatch');
    return module instanceof CloudWatchModule ? module : undefined;
  }

  /** Subscribe to alarm changes once a CloudWatch module is there (it may register after FIS). */
  private watchAlarms(): void {
    const cloudWatch = this.cloudWatch();
    if (!cloudWatch || this.alarmSubscription === cloudWatch) return;
    this.alarmSubscription = cloudWatch;
    cloudWatch.onAlarmChange((change) => this.alarmChanged(change));
  }

  private alarmChanged({ alarm }: AlarmChange): void {
    if (alarm.state !== 'ALARM') return;
    for (const run of this.experiments.values()) {
      // Before running, the check at the end of initiating fails the start instead.
      if (run.experiment.status !== 'running' || run.halt) continue;
      const watched = run.experiment.stopConditions.some((c) => c.source === 'aws:cloudwatch:alarm' && c.value === alarm.arn);
      if (watched) this.halt(run, 'stopped', reasons.stoppedByCondition(alarm.arn));
    }
  }

  // ---- ids --------------------------------------------------------------

  private newId(prefix: string, taken: (id: string) => boolean): string {
    for (;;) {
      const id = prefix + this.ids.alnum(14, ID_ALPHABET);
      if (!taken(id)) return id;
    }
  }
}

function experimentOptions(input: Partial<ExperimentOptions> | undefined): ExperimentOptions {
  const accountTargeting = input?.accountTargeting ?? 'single-account';
  const emptyTargetResolutionMode = input?.emptyTargetResolutionMode ?? 'fail';
  if (accountTargeting !== 'single-account' && accountTargeting !== 'multi-account') {
    throw validation(`experimentOptions.accountTargeting "${String(accountTargeting)}" must be single-account or multi-account.`);
  }
  if (accountTargeting === 'multi-account') {
    throw validation('The simulator runs a single account: multi-account experiments are not supported.');
  }
  if (emptyTargetResolutionMode !== 'fail' && emptyTargetResolutionMode !== 'skip') {
    throw validation(`experimentOptions.emptyTargetResolutionMode "${String(emptyTargetResolutionMode)}" must be fail or skip.`);
  }
  return { accountTargeting, emptyTargetResolutionMode };
}

function fingerprint(input: CreateTemplateInput): string {
  const { clientToken: _token, ...rest } = input;
  return JSON.stringify(rest);
}

/** `count` of `items` chosen at random, kept in their original order. */
function choose<T>(items: readonly T[], count: number, rng: Rng): T[] {
  const indexes = items.map((_, i) => i);
  for (let i = indexes.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [indexes[i], indexes[j]] = [indexes[j]!, indexes[i]!];
  }
  return indexes
    .slice(0, count)
    .sort((a, b) => a - b)
    .map((i) => items[i]!);
}

/** The scalars a dotted path reaches in a resource record, as strings; lists along the way fan out. */
function valuesAt(resource: TargetableResource, path: string): string[] {
  let current: unknown[] = [resource];
  for (const key of path.split('.')) {
    const next: unknown[] = [];
    for (const value of current) {
      if (typeof value !== 'object' || value === null) continue;
      const child = (value as Record<string, unknown>)[key];
      if (Array.isArray(child)) next.push(...child);
      else if (child !== undefined) next.push(child);
    }
    current = next;
  }
  return current.flatMap((value) => (typeof value === 'string' ? [value] : typeof value === 'number' || typeof value === 'boolean' ? [String(value)] : []));
}

const MAX_PAGE = 100;

/** Offset pagination with opaque tokens that name the list they belong to. */
function paginate<T>(list: string, items: readonly T[], page: PageRequest): Page<T> {
  const size = page.maxResults ?? MAX_PAGE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) {
    throw validation(
      `1 validation error detected: Value '${page.maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and ${MAX_PAGE}`,
    );
  }
  let start = 0;
  if (page.nextToken !== undefined) {
    const decoded = Buffer.from(page.nextToken, 'base64url').toString('utf8');
    const match = new RegExp(`^${list}:(\\d+)$`).exec(decoded);
    if (!match) throw validation(`The nextToken "${page.nextToken}" is not valid.`);
    start = Number(match[1]);
  }
  const slice = items.slice(start, start + size);
  const next = start + size;
  return next < items.length ? { items: slice, nextToken: Buffer.from(`${list}:${next}`).toString('base64url') } : { items: slice };
}
