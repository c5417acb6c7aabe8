import { type Environment, resolveFault } from '../env/index.js';
import { BadInputError } from '../errors.js';
import { startProbe } from './probes.js';
import { waitUntil } from './wait.js';
import { alias, interval, canaryReachable, region, rtoResolution } from './checks.js';
import { step } from './types.js';
import { startCanary } from './canary.js';
import { injectFault } from './faults.js';
import { checkDataLoss, checkRecovery } from './objectives.js';
import { restoreToLatestRestorableTime, restoreToPointInTime } from './recovery.js';
import { checkRestoredTable, restoreTable, restoreTableToLatest } from './dynamodb.js';
import { checkRestoredObject } from './s3.js';
import { checkRestoredDatabase, ORDER_DATABASES, RDS_KINDS, rdsRegion } from './rds.js';

/**
 * The steps of a game day itself, whatever the service: the environment,
 * the objectives, canaries and probes, FIS faults, the restores that go to
 * RDS or DynamoDB by the resource's kind, and the judgments of recovery
 * and loss.
 */

function faultCalls(env: Environment, name: string): string[] {
  const fault = resolveFault(env, name);
  const actions = Object.values(fault.template.actions).map((a) => a.actionId).join(', ');
  return [
    `fis:CreateExperimentTemplate (mutating) in ${fault.region} from ${fault.templateFile}: ${actions}`,
    `fis:StartExperiment (mutating), then fis:GetExperiment until it ends`,
  ];
}

/** --dry-run: what a point-in-time restore of an RDS instance or a DynamoDB table calls. */
function restoreCalls(env: Environment, name: string, as: string, to: string): string[] {
  const resource = env.resources[name];
  if (resource?.kind === 'dynamodb-table') {
    return [`dynamodb:RestoreTableToPointInTime (mutating) in ${resource.region} as ${as}, ${to}`, 'dynamodb:DescribeTable until ACTIVE', `cleanup: dynamodb:DeleteTable ${as}`];
  }
  return [`rds:RestoreDBInstanceToPointInTime (mutating) in ${rdsRegion(env, name)} as ${as}, ${to}`, 'rds:DescribeDBInstances until available', `cleanup: rds:DeleteDBInstance ${as}`];
}

const PRIMARY_REGION_OUTAGE = 'primary-region-outage';

export const environment = step({
  keyword: 'Given',
  phrase: 'the {string} environment',
  check: ([name], { env, overridden }) => {
    if (name !== env.name && !overridden) {
      throw new BadInputError(`the scenario asks for the "${name}" environment, but this run uses "${env.name}" (${env.file})`);
    }
  },
  run: async (ctx) => {
    ctx.emit({ kind: 'info', detail: { message: `environment ${ctx.env.name} (${ctx.env.file}) on the ${ctx.target.kind} target` } });
  },
});

export const objectivesStated = step({
  keyword: 'Given',
  phrase: 'the recovery objectives are RTO {duration} and RPO {duration}',
  check: ([rto], context) => rtoResolution(rto, context),
  objectives: ([rto, rpo]) => ({ rtoSeconds: rto, rpoSeconds: rpo }),
  run: async (ctx, [rto, rpo]) => {
    ctx.objectives = { rtoSeconds: rto, rpoSeconds: rpo };
    ctx.emit({ kind: 'objectives.set', detail: ctx.objectives });
  },
});

export const ordersWritten = step({
  keyword: 'Given',
  phrase: 'orders are written to {string} every {duration}',
  check: ([name, every], context) => {
    alias([...ORDER_DATABASES, 'dynamodb-table'])(name, context);
    interval(every, 'orders');
    canaryReachable(name, context);
  },
  run: async (ctx, [name, every]) => {
    const canary = startCanary(ctx, name, every);
    // Before any fault the service takes orders: a canary none of whose first writes is acknowledged measures nothing.
    await ctx.clock.wait(canary.started, `the first order to ${name} to be acknowledged`);
  },
});

export const healthy = step({
  keyword: 'Given',
  phrase: '{string} is healthy',
  check: ([name], context) => alias()(name, context),
  run: async (ctx, [name]) => {
    const probe = startProbe(ctx, name);
    // The latest look where the probe already runs (it may have waited for steady state), else its first.
    const first = probe.samples.at(-1) ?? (await ctx.clock.wait(probe.firstSample, `the first sample of ${name}`));
    if (!first.ok) throw new Error(`${name} is not healthy before the game day starts: ${first.status}`);
  },
});

export const businessAsUsual = step({
  keyword: 'Given',
  // An extension of DESIGN §8: business as usual for a while, so canaries
  // have history (a point-in-time restore needs orders from before its target).
  phrase: '{duration} of business as usual passes',
  run: async (ctx, [duration]) => {
    const until = ctx.clock.now() + (duration) * 1000;
    // In slices, so that an interrupt is noticed on a real clock too.
    while (ctx.clock.now() < until) {
      ctx.checkInterrupted();
      await ctx.clock.sleep(Math.min(60_000, until - ctx.clock.now()), 'business as usual', ctx.signal);
    }
  },
});

export const experimentRuns = step({
  keyword: 'When',
  phrase: 'the FIS experiment {string} runs',
  incident: 'fault',
  faults: ([fault]) => [fault],
  calls: ([fault], env) => faultCalls(env, fault),
  check: ([fault], { env }) => void resolveFault(env, fault),
  run: async (ctx, [fault]) => {
    await injectFault(ctx, fault);
  },
});

export const experimentRunsToCompletion = step({
  keyword: 'When',
  phrase: 'the FIS experiment {string} runs to completion',
  incident: 'fault',
  faults: ([fault]) => [fault],
  calls: ([fault], env) => faultCalls(env, fault),
  check: ([fault], { env }) => void resolveFault(env, fault),
  run: async (ctx, [fault]) => {
    const running = await injectFault(ctx, fault);
    const record = await ctx.clock.wait(running.finished, `experiment ${running.record.experimentId} to end`);
    // Following stops on Ctrl-C with the experiment still running: that is the interrupt, not how it ended.
    ctx.checkInterrupted();
    if (record.state !== 'completed') throw new Error(`the FIS experiment "${fault}" ended ${record.state}${record.reason ? `: ${record.reason}` : ''}`);
  },
});

export const primaryRegionUnavailable = step({
  keyword: 'When',
  phrase: 'the primary region {string} becomes unavailable',
  incident: 'fault',
  faults: () => [PRIMARY_REGION_OUTAGE],
  calls: (_, env) => faultCalls(env, PRIMARY_REGION_OUTAGE),
  check: ([name], context) => {
    region(name, context);
    if (name !== context.env.regions.primary) {
      throw new BadInputError(`"${name}" is not the primary region of ${context.env.name} (${context.env.regions.primary})`);
    }
    resolveFault(context.env, PRIMARY_REGION_OUTAGE);
  },
  run: async (ctx) => {
    await injectFault(ctx, PRIMARY_REGION_OUTAGE);
  },
});

export const restoredBeforeIncident = step({
  keyword: 'When',
  phrase: '{string} is restored to {duration} before the incident as {string}',
  needsIncident: true,
  // RDS: RestoreDBInstanceToPointInTime; DynamoDB: RestoreTableToPointInTime.
  calls: ([name, , as], env) => restoreCalls(env, name, as, 'RestoreTime: the incident − the duration'),
  check: ([name, before, as], context) => {
    alias([...RDS_KINDS, 'dynamodb-table'])(name, context);
    if (before === 0) {
      // The latest restorable time trails now by up to 5 minutes, so "the incident itself" is often not restorable yet.
      throw new BadInputError(
        `restoring to the incident instant itself is refused by AWS until the latest restorable time has passed it (up to 5 minutes later); to restore as late as possible, write: "${name}" is restored to its latest restorable time as "${as}"`,
      );
    }
    context.created.add(as);
  },
  run: async (ctx, [name, before, as]) =>
    ctx.env.resources[name]?.kind === 'dynamodb-table'
      ? restoreTable(ctx, name, before, as, ctx.incidentAt())
      : restoreToPointInTime(ctx, name, before, as, ctx.incidentAt()),
});

export const restoredToLatest = step({
  keyword: 'When',
  // Extension: the newest point a point-in-time restore can reach (the latest restorable time).
  phrase: '{string} is restored to its latest restorable time as {string}',
  calls: ([name, as], env) => restoreCalls(env, name, as, 'UseLatestRestorableTime'),
  check: ([name, as], context) => {
    alias([...RDS_KINDS, 'dynamodb-table'])(name, context);
    context.created.add(as);
  },
  run: async (ctx, [name, as]) =>
    ctx.env.resources[name]?.kind === 'dynamodb-table'
      ? restoreTableToLatest(ctx, name, as)
      : restoreToLatestRestorableTime(ctx, name, as),
});

export const healthyAgainWithinRto = step({
  keyword: 'Then',
  phrase: '{string} is healthy again within the RTO',
  needsIncident: true,
  watches: ([name]) => [name],
  check: ([name], context) => alias()(name, context),
  run: async (ctx, [name]) => {
    await checkRecovery(ctx, name, ctx.requireObjectives().rtoSeconds, true);
  },
});

export const healthyAgainWithin = step({
  keyword: 'Then',
  phrase: '{string} is healthy again within {duration}',
  needsIncident: true,
  watches: ([name]) => [name],
  // The scenario's RTO is this step's, whatever a Background stated before it.
  objectives: ([, within]) => ({ rtoSeconds: within }),
  check: ([name, within], context) => {
    alias()(name, context);
    rtoResolution(within, context);
  },
  run: async (ctx, [name, within]) => {
    await checkRecovery(ctx, name, within, false);
  },
});

export const ordersLostWithinRpo = step({
  keyword: 'Then',
  phrase: 'no more than the RPO of orders is lost',
  needsIncident: true,
  run: async (ctx) => {
    await checkDataLoss(ctx, undefined, ctx.requireObjectives().rpoSeconds, true);
  },
});

export const writesLostAtMost = step({
  keyword: 'Then',
  phrase: 'at most {duration} of writes to {string} are lost',
  needsIncident: true,
  objectives: ([within]) => ({ rpoSeconds: within }),
  check: ([, name], context) => alias([...ORDER_DATABASES, 'dynamodb-table'])(name, context),
  run: async (ctx, [within, name]) => {
    await checkDataLoss(ctx, name, within, false);
  },
});

export const restoredHoldsData = step({
  keyword: 'Then',
  phrase: 'the restored {string} holds the data from before the incident',
  check: ([name], { created, env }) => {
    // A bucket is restored in place (its previous version made current again).
    if (env.resources[name]?.kind === 's3-bucket') return;
    if (!created.has(name)) throw new BadInputError(`"${name}" is not restored by an earlier step of this scenario`);
  },
  run: async (ctx, [name]) => {
    if (ctx.env.resources[name]?.kind === 's3-bucket') return checkRestoredObject(ctx, name);
    if (ctx.createdTables.has(name)) return checkRestoredTable(ctx, name);
    return checkRestoredDatabase(ctx, name);
  },
});

export const stoppedByStopCondition = step({
  keyword: 'Then',
  phrase: 'the experiment is stopped by its stop condition',
  run: async (ctx) => {
    const last = ctx.experiments.at(-1);
    if (!last) throw new Error('no FIS experiment was started in this scenario');
    const ended = await waitUntil(ctx, `experiment ${last.experimentId} to end`, async () =>
      ['completed', 'stopped', 'failed', 'cancelled'].includes(last.state) ? last : undefined,
    );
    if (ended.state !== 'stopped') {
      throw new Error(`experiment ${ended.experimentId} ended ${ended.state}${ended.reason ? ` (${ended.reason})` : ''}, not stopped by its stop condition`);
    }
    ctx.emit({ kind: 'check.passed', detail: { check: 'stop condition', subject: ended.fault, evidence: ended.reason ?? 'stopped' } });
  },
});
