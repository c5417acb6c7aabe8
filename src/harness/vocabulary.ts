import { DescribeDBInstancesCommand, type DBInstance } from '@aws-sdk/client-rds';
import { regionsOf, resolveAlias, resolveFault, type Environment, type ResourceKind } from '../env/index.js';
import { BadInputError } from '../errors.js';
import { startCanary } from './canary.js';
import { parseDuration } from './duration.js';
import { injectFault } from './faults.js';
import { checkDataLoss, checkRecovery } from './objectives.js';
import { startProbe } from './probes.js';
import { copySnapshot, failOver, promote, restoreFromLatestSnapshot, restoreToLatestRestorableTime, restoreToPointInTime, snapshot } from './recovery.js';
import { waitUntil } from './wait.js';
import { alias, canaryReachable, interval, region, rtoResolution } from './checks.js';
import { step, type StepDefinition } from './types.js';
import type { ScenarioContext } from './scenario.js';
import { checkRestoredObject, checkRestoredTable, restoreTable, restoreTableToLatest, serviceSteps } from './services.js';
import { auditFrameworkSteps } from './audit-framework.js';
import { clusterSteps } from './cluster.js';
import { drsSteps } from './drs.js';
import { s3DeletionSteps } from './s3-deletion-attempt.js';

/**
 * `{duration}` (DESIGN §8): loose on purpose, so that "RTO 15 minuets" is
 * reported as an unparsable duration at its file:line rather than as an
 * undefined step.
 */
export const DURATION_PARAMETER = {
  name: 'duration',
  // Starts with a digit or ISO-8601's P, so "within the RTO" is not a duration.
  regexp: /(?:\d|P)[A-Za-z0-9.]*(?: [A-Za-z0-9.]+)*?/,
  transform(text: string): number {
    const seconds = parseDuration(text);
    if (seconds === undefined) {
      throw new BadInputError(`"${text}" is not a duration: write it like "90 seconds", "15 minutes", "1 hour", "1h30m" or "PT15M"`);
    }
    return seconds;
  },
};

export type { CheckContext, StepDefinition } from './types.js';

function faultCalls(env: Environment, name: string): string[] {
  const fault = resolveFault(env, name);
  const actions = Object.values(fault.template.actions).map((a) => a.actionId).join(', ');
  return [
    `fis:CreateExperimentTemplate (mutating) in ${fault.region} from ${fault.templateFile}: ${actions}`,
    `fis:StartExperiment (mutating), then fis:GetExperiment until it ends`,
  ];
}

function rdsRegion(env: Environment, name: string): string {
  const resource = env.resources[name];
  return resource && 'region' in resource ? resource.region : '?';
}

const RDS_KINDS: readonly ResourceKind[] = ['rds-instance', 'rds-read-replica'];
/** Databases orders can be written to and lost from: RDS instances, and Aurora clusters through their writer. */
const ORDER_DATABASES: readonly ResourceKind[] = [...RDS_KINDS, 'rds-cluster'];

/** --dry-run: what a point-in-time restore of an RDS instance or a DynamoDB table calls. */
function restoreCalls(env: Environment, name: string, as: string, to: string): string[] {
  const resource = env.resources[name];
  if (resource?.kind === 'dynamodb-table') {
    return [`dynamodb:RestoreTableToPointInTime (mutating) in ${resource.region} as ${as}, ${to}`, 'dynamodb:DescribeTable until ACTIVE', `cleanup: dynamodb:DeleteTable ${as}`];
  }
  return [`rds:RestoreDBInstanceToPointInTime (mutating) in ${rdsRegion(env, name)} as ${as}, ${to}`, 'rds:DescribeDBInstances until available', `cleanup: rds:DeleteDBInstance ${as}`];
}

async function describe(ctx: ScenarioContext, aliasName: string): Promise<DBInstance> {
  const db = ctx.database(ctx.current(aliasName));
  const { DBInstances } = await ctx.target.clients.rds(db.region).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: db.identifier }));
  const instance = DBInstances?.[0];
  if (!instance) throw new Error(`${db.identifier} not found in ${db.region}`);
  return instance;
}

function retentionCheck(instance: DBInstance, days: number, subject: string, ctx: ScenarioContext): boolean {
  const kept = instance.BackupRetentionPeriod ?? 0;
  const ok = kept >= days;
  const evidence = `BackupRetentionPeriod ${kept} day${kept === 1 ? '' : 's'} (at least ${days} required)`;
  ctx.emit({ kind: ok ? 'check.passed' : 'check.failed', detail: { check: 'automated backup retention', subject, evidence } });
  return ok;
}

const PRIMARY_REGION_OUTAGE = 'primary-region-outage';

const rdsSteps: readonly StepDefinition[] = [
  // ── Given ────────────────────────────────────────────────────────────────
  step({
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
  }),
  step({
    keyword: 'Given',
    phrase: 'the recovery objectives are RTO {duration} and RPO {duration}',
    check: ([rto], context) => rtoResolution(rto, context),
    objectives: ([rto, rpo]) => ({ rtoSeconds: rto, rpoSeconds: rpo }),
    run: async (ctx, [rto, rpo]) => {
      ctx.objectives = { rtoSeconds: rto, rpoSeconds: rpo };
      ctx.emit({ kind: 'objectives.set', detail: ctx.objectives });
    },
  }),
  step({
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
  }),
  step({
    keyword: 'Given',
    phrase: '{string} is healthy',
    check: ([name], context) => alias()(name, context),
    run: async (ctx, [name]) => {
      const probe = startProbe(ctx, name);
      // The latest look where the probe already runs (it may have waited for steady state), else its first.
      const first = probe.samples.at(-1) ?? (await ctx.clock.wait(probe.firstSample, `the first sample of ${name}`));
      if (!first.ok) throw new Error(`${name} is not healthy before the game day starts: ${first.status}`);
    },
  }),
  step({
    keyword: 'Given',
    phrase: 'automated backups of {string} are retained for at least {int} days',
    check: ([name], context) => alias(['rds-instance'])(name, context),
    run: async (ctx, [name, days]) => {
      const instance = await describe(ctx, name);
      if (!retentionCheck(instance, days, name, ctx)) {
        throw new Error(`${name} keeps automated backups for ${instance.BackupRetentionPeriod ?? 0} days, fewer than ${days}`);
      }
    },
  }),

  step({
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
  }),

  // ── When: faults ─────────────────────────────────────────────────────────
  step({
    keyword: 'When',
    phrase: 'the FIS experiment {string} runs',
    incident: 'fault',
    faults: ([fault]) => [fault],
    calls: ([fault], env) => faultCalls(env, fault),
    check: ([fault], { env }) => void resolveFault(env, fault),
    run: async (ctx, [fault]) => {
      await injectFault(ctx, fault);
    },
  }),
  step({
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
  }),
  step({
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
  }),
  step({
    keyword: 'When',
    phrase: '{int} orders are deleted from {string} by mistake',
    incident: 'fault',
    calls: ([count, name]) => [`orders: delete the ${count} newest orders in ${name} (mutating, data)`],
    check: ([, name], context) => {
      alias(RDS_KINDS)(name, context);
      canaryReachable(name, context);
    },
    run: async (ctx, [count, name]) => {
      const deleted = await ctx.target.orders.deleteNewest(ctx.database(ctx.current(name)), count);
      if (deleted.length < (count)) throw new Error(`${name} held only ${deleted.length} orders to delete`);
      ctx.markIncident('fault', ctx.clock.now(), `${count} orders deleted from ${name} by mistake`);
      ctx.emit({ kind: 'fault.injected', detail: { fault: `${count} orders deleted by mistake`, experimentId: '', action: 'delete orders', region: ctx.database(name).region } });
    },
  }),

  // ── When: recovery ───────────────────────────────────────────────────────
  step({
    keyword: 'When',
    phrase: '{string} fails over to its standby',
    incident: 'planned',
    calls: ([name], env) => [`rds:RebootDBInstance ForceFailover (mutating) in ${rdsRegion(env, name)}`, 'rds:DescribeDBInstances until available'],
    check: ([name], context) => alias(['rds-instance'])(name, context),
    run: async (ctx, [name]) => failOver(ctx, name),
  }),
  step({
    keyword: 'When',
    phrase: 'the read replica {string} is promoted',
    incident: 'planned',
    calls: ([name], env) => [`rds:PromoteReadReplica (mutating, irreversible) in ${rdsRegion(env, name)}`, 'rds:DescribeDBInstances until available'],
    check: ([name], context) => alias(['rds-read-replica'])(name, context),
    run: async (ctx, [name]) => promote(ctx, name),
  }),
  step({
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
  }),
  step({
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
  }),
  step({
    keyword: 'When',
    phrase: '{string} is restored from its latest snapshot as {string}',
    calls: ([, as]) => ['rds:DescribeDBSnapshots in every region', `rds:RestoreDBInstanceFromDBSnapshot (mutating) as ${as}`, `cleanup: rds:DeleteDBInstance ${as}`],
    check: ([name, as], context) => {
      alias(RDS_KINDS)(name, context);
      context.created.add(as);
    },
    run: async (ctx, [name, as]) => restoreFromLatestSnapshot(ctx, name, as),
  }),
  step({
    keyword: 'When',
    phrase: '{string} is snapshotted as {string}',
    calls: ([name, as], env) => [`rds:CreateDBSnapshot ${as} (mutating) in ${rdsRegion(env, name)}`, `cleanup: rds:DeleteDBSnapshot ${as}`],
    check: ([name], context) => alias(RDS_KINDS)(name, context),
    run: async (ctx, [name, as]) => snapshot(ctx, name, as),
  }),
  step({
    keyword: 'When',
    phrase: 'the snapshot {string} is copied to {string}',
    calls: ([name, to]) => [`rds:CopyDBSnapshot ${name} (mutating) into ${to}`, `cleanup: rds:DeleteDBSnapshot ${name} in ${to}`],
    check: ([, to], context) => region(to, context),
    run: async (ctx, [name, to]) => copySnapshot(ctx, name, to),
  }),

  // ── Then ─────────────────────────────────────────────────────────────────
  step({
    keyword: 'Then',
    phrase: '{string} is healthy again within the RTO',
    needsIncident: true,
    check: ([name], context) => alias()(name, context),
    run: async (ctx, [name]) => {
      await checkRecovery(ctx, name, ctx.requireObjectives().rtoSeconds, true);
    },
  }),
  step({
    keyword: 'Then',
    phrase: '{string} is healthy again within {duration}',
    needsIncident: true,
    // The scenario's RTO is this step's, whatever a Background stated before it.
    objectives: ([, within]) => ({ rtoSeconds: within }),
    check: ([name, within], context) => {
      alias()(name, context);
      rtoResolution(within, context);
    },
    run: async (ctx, [name, within]) => {
      await checkRecovery(ctx, name, within, false);
    },
  }),
  step({
    keyword: 'Then',
    phrase: 'no more than the RPO of orders is lost',
    needsIncident: true,
    run: async (ctx) => {
      await checkDataLoss(ctx, undefined, ctx.requireObjectives().rpoSeconds, true);
    },
  }),
  step({
    keyword: 'Then',
    phrase: 'at most {duration} of writes to {string} are lost',
    needsIncident: true,
    objectives: ([within]) => ({ rpoSeconds: within }),
    check: ([, name], context) => alias([...ORDER_DATABASES, 'dynamodb-table'])(name, context),
    run: async (ctx, [within, name]) => {
      await checkDataLoss(ctx, name, within, false);
    },
  }),
  step({
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
      const restored = ctx.restoredTo.get(name);
      if (!restored) throw new Error(`"${name}" was not restored in this scenario`);
      const canary = ctx.canaries.get(restored.source) ?? [...ctx.canaries.values()][0];
      if (!canary) throw new Error('no orders were written in this scenario, so there is nothing to compare the restore with');
      const present = new Set(await ctx.target.orders.readBack(ctx.database(name)));
      // Strictly before: a write in the very millisecond of the snapshot may or may not be in it.
      const expected = canary.writes.filter((w) => w.ok && w.at < restored.at).map((w) => w.seq);
      const missing = expected.filter((seq) => !present.has(seq));
      const evidence = `${expected.length - missing.length} of the ${expected.length} orders written before ${new Date(restored.at).toISOString()} are in ${name}`;
      ctx.emit({ kind: missing.length ? 'check.failed' : 'check.passed', detail: { check: 'restored data', subject: name, evidence } });
      if (missing.length) throw new Error(`${evidence}; missing: ${missing.slice(0, 20).join(', ')}`);
    },
  }),
  step({
    keyword: 'Then',
    phrase: 'every RDS instance keeps automated backups for at least {int} days',
    run: async (ctx, [days]) => {
      const failures: string[] = [];
      const regions = regionsOf(ctx.env);
      for (const where of regions) {
        let Marker: string | undefined;
        do {
          const page = await ctx.target.clients.rds(where).send(new DescribeDBInstancesCommand({ Marker }));
          for (const instance of page.DBInstances ?? []) {
            // Read replicas take their backups from the source; RDS refuses retention on most of them.
            if (instance.ReadReplicaSourceDBInstanceIdentifier) continue;
            if (!retentionCheck(instance, days, `${instance.DBInstanceIdentifier} (${where})`, ctx)) {
              failures.push(`${instance.DBInstanceIdentifier} (${where}): ${instance.BackupRetentionPeriod ?? 0} days`);
            }
          }
          Marker = page.Marker;
        } while (Marker);
      }
      if (failures.length) throw new Error(`automated backups kept for fewer than ${days} days: ${failures.join('; ')}`);
    },
  }),
  step({
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
  }),
];

export const vocabulary: readonly StepDefinition[] = [...rdsSteps, ...clusterSteps, ...serviceSteps, ...drsSteps, ...auditFrameworkSteps, ...s3DeletionSteps];
