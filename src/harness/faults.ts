import {
  CreateExperimentTemplateCommand,
  GetExperimentCommand,
  StartExperimentCommand,
  type Experiment,
} from '@aws-sdk/client-fis';
import { createHash } from 'node:crypto';
import { resolveFault } from '../env/index.js';
import { RUN_ID_TAG } from './tags.js';
import { pollDelay } from './wait.js';
import { InterruptedError, type ExperimentAction, type ExperimentRecord, type ScenarioContext } from './scenario.js';

const TERMINAL = new Set(['completed', 'stopped', 'failed', 'cancelled']);
/**
 * How often the harness looks at an experiment: every second until its first
 * action starts (steps wait for that), then as waits do (pollDelay: every 10 s,
 * backing off to every 30 s for long experiments). The fault instant comes from
 * FIS's action start times and the end from the experiment's end time, not
 * from this polling.
 */
const FOLLOW_UNTIL_INJECTED_MS = 1000;

/**
 * FIS's idempotency token (at most 64 characters): one per run, scenario,
 * fault and call, so a retried request is recognised and two scenarios of
 * one run never share one. A digest, because the parts are longer than 64
 * characters together and a truncation made different scenarios' tokens
 * equal (FIS then refused the second: "The client token was already used
 * with different parameters").
 */
function clientToken(ctx: ScenarioContext, faultName: string, call: 'template' | 'start'): string {
  const digest = createHash('sha256').update(`${ctx.info.runId}\n${ctx.info.uri}\n${ctx.info.line}\n${faultName}\n${call}`).digest('hex');
  return `gameday-${call}-${digest}`.slice(0, 64);
}

export interface RunningFault {
  record: ExperimentRecord;
  /** Resolves when the experiment reaches a terminal state. */
  finished: Promise<ExperimentRecord>;
}

/**
 * Create the fault's FIS experiment template (tagged with the run id, with
 * the environment's stop conditions added), start it, and resolve once its
 * first action has started: the fault instant. An actor keeps following the
 * experiment's state until it ends.
 */
export async function injectFault(ctx: ScenarioContext, faultName: string): Promise<RunningFault> {
  const fault = resolveFault(ctx.env, faultName);
  const fis = ctx.target.clients.fis(fault.region);
  const runTags = { [RUN_ID_TAG]: ctx.info.runId, 'gameday:scenario': ctx.info.name.slice(0, 256) };
  const stopConditions = [...fault.template.stopConditions];
  for (const condition of ctx.env.stopConditions) {
    if (!stopConditions.some((c) => c.source === condition.source && c.value === condition.value)) stopConditions.push({ ...condition });
  }
  const input = {
    ...fault.template,
    stopConditions: stopConditions.filter((c) => c.source !== 'none' || stopConditions.length === 1),
    tags: { ...fault.template.tags, ...runTags },
    clientToken: clientToken(ctx, faultName, 'template'),
  };

  const creating = ctx.cleanup.begin(`experiment template for ${faultName}`, {
    service: 'fis',
    region: fault.region,
    operation: 'CreateExperimentTemplate',
    input: { description: input.description, tags: input.tags },
  });
  const { experimentTemplate } = await fis.send(new CreateExperimentTemplateCommand(input));
  const templateId = experimentTemplate?.id ?? '';
  creating.undoWith({ service: 'fis', region: fault.region, operation: 'DeleteExperimentTemplate', input: { id: templateId } });

  const starting = ctx.cleanup.begin(`experiment for ${faultName}`, {
    service: 'fis',
    region: fault.region,
    operation: 'StartExperiment',
    input: { experimentTemplateId: templateId, tags: runTags },
  });
  const { experiment } = await fis.send(
    new StartExperimentCommand({
      experimentTemplateId: templateId,
      tags: runTags,
      clientToken: clientToken(ctx, faultName, 'start'),
    }),
  );
  const experimentId = experiment?.id ?? '';
  const record: ExperimentRecord = { fault: faultName, region: fault.region, templateId, experimentId, state: experiment?.state?.status ?? 'pending' };
  ctx.experiments.push(record);
  starting.undoWith(
    { service: 'fis', region: fault.region, operation: 'StopExperiment', input: { id: experimentId } },
    async () => !TERMINAL.has(record.state),
  );
  ctx.emit({ kind: 'experiment.state', detail: { experimentId, templateId, fault: faultName, state: record.state } });

  let injected: () => void;
  let refused: (error: Error) => void;
  const faultStarted = new Promise<void>((resolve, reject) => {
    injected = resolve;
    refused = reject;
  });
  const finished = ctx.clock.spawn(`experiment:${faultName}`, async () => {
    let announced: number | undefined;
    for (;;) {
      const { experiment: now } = await fis.send(new GetExperimentCommand({ id: experimentId }));
      const state = now?.state?.status ?? 'unknown';
      const reason = now?.state?.reason;
      const actions = actionsOf(now, ctx);
      const actionStates = (list: readonly ExperimentAction[] | undefined) => (list ?? []).map((a) => `${a.name}:${a.state}`).join(',');
      if (state !== record.state || reason !== record.reason || actionStates(actions) !== actionStates(record.actions)) {
        record.state = state;
        if (reason) record.reason = reason;
        const ended = TERMINAL.has(state) ? now?.endTime : undefined;
        const endedAt = ended ? new Date(ctx.target.awsClock.toRunner(ended.getTime())).toISOString() : undefined;
        ctx.emit({
          kind: 'experiment.state',
          detail: { experimentId, templateId, fault: faultName, state, ...(reason ? { reason } : {}), ...(endedAt ? { endedAt } : {}), actions },
        });
      }
      record.actions = actions;
      const started = firstActionStart(now, ctx);
      if (announced === undefined && started) {
        announced = ctx.clock.now();
        ctx.markIncident('fault', started.at, `${faultName}: ${started.action}`);
        ctx.emit({ kind: 'fault.injected', detail: { fault: faultName, experimentId, action: started.action, region: fault.region } });
        injected();
      }
      if (TERMINAL.has(state) || ctx.signal.aborted) {
        if (announced === undefined) {
          // Ctrl-C before the first action started is an interrupt, not an experiment that ended early.
          refused(TERMINAL.has(state) ? new Error(`the FIS experiment for "${faultName}" ended ${state} before any action started${reason ? `: ${reason}` : ''}`) : new InterruptedError());
        }
        return record;
      }
      await ctx.clock.sleep(announced === undefined ? FOLLOW_UNTIL_INJECTED_MS : pollDelay(ctx.clock.now() - announced), `following experiment ${experimentId}`, ctx.signal);
    }
  });
  await ctx.clock.wait(faultStarted, `the first action of ${experimentId} to start`);
  return { record, finished };
}

/** Read each experiment's state once more (after cleanup stopped some). Errors leave the last state seen. */
export async function refreshExperiments(ctx: ScenarioContext): Promise<void> {
  for (const record of ctx.experiments) {
    try {
      const { experiment } = await ctx.target.clients.fis(record.region).send(new GetExperimentCommand({ id: record.experimentId }));
      if (experiment?.state?.status) record.state = experiment.state.status;
      if (experiment?.state?.reason) record.reason = experiment.state.reason;
      if (experiment) record.actions = actionsOf(experiment, ctx);
    } catch (error) {
      ctx.emit({ kind: 'info', detail: { message: `could not read experiment ${record.experimentId} after cleanup: ${(error as Error).message}` } });
    }
  }
}

/** The experiment's actions as FIS reports them now, their times on the runner's clock. */
function actionsOf(experiment: Experiment | undefined, ctx: ScenarioContext): ExperimentAction[] {
  const onRunner = (at: Date) => new Date(ctx.target.awsClock.toRunner(at.getTime())).toISOString();
  return Object.entries(experiment?.actions ?? {}).map(([name, action]) => ({
    name,
    actionId: action.actionId ?? '?',
    state: action.state?.status ?? 'unknown',
    ...(action.startTime ? { startTime: onRunner(action.startTime) } : {}),
    ...(action.endTime ? { endTime: onRunner(action.endTime) } : {}),
  }));
}

/** When the experiment's first action started, on the runner's clock: the fault instant. */
function firstActionStart(experiment: Experiment | undefined, ctx: ScenarioContext): { at: number; action: string } | undefined {
  let first: { at: number; action: string } | undefined;
  for (const [name, action] of Object.entries(experiment?.actions ?? {})) {
    const at = action.startTime ? ctx.target.awsClock.toRunner(action.startTime.getTime()) : undefined;
    if (at !== undefined && (first === undefined || at < first.at)) first = { at, action: `${name} (${action.actionId})` };
  }
  return first;
}
