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
import { alias, canaryReachable, interval, region, rtoResolution, type CheckContext } from './checks.js';
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

export type { CheckContext } from './checks.js';

export interface StepDefinition {
  keyword: 'Given' | 'When' | 'Then';
  /** A cucumber expression; the readable contract (DESIGN §8). */
  phrase: string;
  /** Checks made before anything runs: aliases, faults, regions. Throws BadInputError. */
  check?: (args: readonly unknown[], context: CheckContext) => void;
  /**
   * The step starts the incident that objectives are measured from, unless an
   * earlier step did: a fault, or in a drill with no fault, a disruptive
   * recovery action (the first instant it disrupts service).
   */
  incident?: 'fault' | 'planned';
  /** The step measures from the incident: validation refuses it where no earlier step makes one. */
  needsIncident?: boolean;
  /** The faults (environment names) the step injects: the tag guard checks their templates before the run. */
  faults?: (args: readonly unknown[]) => string[];
  /** Recovery objectives the step states, for the run's plan (what the UI shows before they are measured). */
  objectives?: (args: readonly unknown[]) => { rtoSeconds?: number; rpoSeconds?: number };
  run: (ctx: ScenarioContext, args: readonly unknown[]) => Promise<void>;
  /** The AWS calls the step would make, for --dry-run (mutating ones marked). */
  calls?: (args: readonly unknown[], env: Environment) => string[];
}

function faultCalls(env: Environment, name: string): string[] {
  const fault = resolveFault(env, name);
  const actions = Object.values(fault.template.actions).map((a) => a.actionId).join(', ');
  return [
    `fis:CreateExperimentTemplate (mutating) in ${fault.region} from ${fault.templateFile}: ${actions}`,
    `fis:StartExperiment (mutating), then fis:GetExperiment until it ends`,
  ];
}

function rdsRegion(env: Environment, name: unknown): string {
  const resource = env.resources[String(name)];
  return resource && 'region' in resource ? resource.region : '?';
}

const RDS_KINDS: readonly ResourceKind[] = ['rds-instance', 'rds-read-replica'];
/** Databases orders can be written to and lost from: RDS instances, and Aurora clusters through their writer. */
const ORDER_DATABASES: readonly ResourceKind[] = [...RDS_KINDS, 'rds-cluster'];

/** --dry-run: what a point-in-time restore of an RDS instance or a DynamoDB table calls. */
function restoreCalls(env: Environment, name: unknown, as: unknown, to: string): string[] {
  const resource = env.resources[String(name)];
  if (resource?.kind === 'dynamodb-table') {
    return [`dynamodb:RestoreTableToPointInTime (mutating) in ${resource.region} as ${String(as)}, ${to}`, 'dynamodb:DescribeTable until ACTIVE', `cleanup: dynamodb:DeleteTable ${String(as)}`];
  }
  return [`rds:RestoreDBInstanceToPointInTime (mutating) in ${rdsRegion(env, name)} as ${String(as)}, ${to}`, 'rds:DescribeDBInstances until available', `cleanup: rds:DeleteDBInstance ${String(as)}`];
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
  {
    keyword: 'Given',
    phrase: 'the {string} environment',
    check: ([name], { env, overridden }) => {
      if (name !== env.name && !overridden) {
        throw new BadInputError(`the scenario asks for the "${String(name)}" environment, but this run uses "${env.name}" (${env.file})`);
      }
    },
    run: async (ctx) => {
      ctx.emit({ kind: 'info', detail: { message: `environment ${ctx.env.name} (${ctx.env.file}) on the ${ctx.target.kind} target` } });
    },
  },
  {
    keyword: 'Given',
    phrase: 'the recovery objectives are RTO {duration} and RPO {duration}',
    check: ([rto], context) => rtoResolution(rto, context),
    objectives: ([rto, rpo]) => ({ rtoSeconds: rto as number, rpoSeconds: rpo as number }),
    run: async (ctx, [rto, rpo]) => {
      ctx.objectives = { rtoSeconds: rto as number, rpoSeconds: rpo as number };
      ctx.emit({ kind: 'objectives.set', detail: ctx.objectives });
    },
  },
  {
    keyword: 'Given',
    phrase: 'orders are written to {string} every {duration}',
    check: ([name, every], context) => {
      alias([...ORDER_DATABASES, 'dynamodb-table'])(name, context);
      interval(every, 'orders');
      canaryReachable(name, context);
    },
    run: async (ctx, [name, every]) => {
      const canary = startCanary(ctx, name as string, every as number);
      // Before any fault the service takes orders: a canary none of whose first writes is acknowledged measures nothing.
      await ctx.clock.wait(canary.started, `the first order to ${String(name)} to be acknowledged`);
    },
  },
  {
    keyword: 'Given',
    phrase: '{string} is healthy',
    check: ([name], context) => alias()(name, context),
    run: async (ctx, [name]) => {
      const probe = startProbe(ctx, name as string);
      // The latest look where the probe already runs (it may have waited for steady state), else its first.
      const first = probe.samples.at(-1) ?? (await ctx.clock.wait(probe.firstSample, `the first sample of ${String(name)}`));
      if (!first.ok) throw new Error(`${String(name)} is not healthy before the game day starts: ${first.status}`);
    },
  },
  {
    keyword: 'Given',
    phrase: 'automated backups of {string} are retained for at least {int} days',
    check: ([name], context) => alias(['rds-instance'])(name, context),
    run: async (ctx, [name, days]) => {
      const instance = await describe(ctx, name as string);
      if (!retentionCheck(instance, days as number, name as string, ctx)) {
        throw new Error(`${String(name)} keeps automated backups for ${instance.BackupRetentionPeriod ?? 0} days, fewer than ${String(days)}`);
      }
    },
  },

  {
    keyword: 'Given',
    // An extension of DESIGN §8: business as usual for a while, so canaries
    // have history (a point-in-time restore needs orders from before its target).
    phrase: '{duration} of business as usual passes',
    run: async (ctx, [duration]) => {
      const until = ctx.clock.now() + (duration as number) * 1000;
      // In slices, so that an interrupt is noticed on a real clock too.
      while (ctx.clock.now() < until) {
        ctx.checkInterrupted();
        await ctx.clock.sleep(Math.min(60_000, until - ctx.clock.now()), 'business as usual', ctx.signal);
      }
    },
  },

  // ── When: faults ─────────────────────────────────────────────────────────
  {
    keyword: 'When',
    phrase: 'the FIS experiment {string} runs',
    incident: 'fault',
    faults: ([fault]) => [String(fault)],
    calls: ([fault], env) => faultCalls(env, String(fault)),
    check: ([fault], { env }) => void resolveFault(env, String(fault)),
    run: async (ctx, [fault]) => {
      await injectFault(ctx, fault as string);
    },
  },
  {
    keyword: 'When',
    phrase: 'the FIS experiment {string} runs to completion',
    incident: 'fault',
    faults: ([fault]) => [String(fault)],
    calls: ([fault], env) => faultCalls(env, String(fault)),
    check: ([fault], { env }) => void resolveFault(env, String(fault)),
    run: async (ctx, [fault]) => {
      const running = await injectFault(ctx, fault as string);
      const record = await ctx.clock.wait(running.finished, `experiment ${running.record.experimentId} to end`);
      // Following stops on Ctrl-C with the experiment still running: that is the interrupt, not how it ended.
      ctx.checkInterrupted();
      if (record.state !== 'completed') throw new Error(`the FIS experiment "${String(fault)}" ended ${record.state}${record.reason ? `: ${record.reason}` : ''}`);
    },
  },
  {
    keyword: 'When',
    phrase: 'the primary region {string} becomes unavailable',
    incident: 'fault',
    faults: () => [PRIMARY_REGION_OUTAGE],
    calls: (_, env) => faultCalls(env, PRIMARY_REGION_OUTAGE),
    check: ([name], context) => {
      region(name, context);
      if (name !== context.env.regions.primary) {
        throw new BadInputError(`"${String(name)}" is not the primary region of ${context.env.name} (${context.env.regions.primary})`);
      }
      resolveFault(context.env, PRIMARY_REGION_OUTAGE);
    },
    run: async (ctx) => {
      await injectFault(ctx, PRIMARY_REGION_OUTAGE);
    },
  },
  {
    keyword: 'When',
    phrase: '{int} orders are deleted from {string} by mistake',
    incident: 'fault',
    calls: ([count, name]) => [`orders: delete the ${String(count)} newest orders in ${String(name)} (mutating, data)`],
    check: ([, name], context) => {
      alias(RDS_KINDS)(name, context);
      canaryReachable(name, context);
    },
    run: async (ctx, [count, name]) => {
      const deleted = await ctx.target.orders.deleteNewest(ctx.database(ctx.current(name as string)), count as number);
      if (deleted.length < (count as number)) throw new Error(`${String(name)} held only ${deleted.length} orders to delete`);
      ctx.markIncident('fault', ctx.clock.now(), `${String(count)} orders deleted from ${String(name)} by mistake`);
      ctx.emit({ kind: 'fault.injected', detail: { fault: `${String(count)} orders deleted by mistake`, experimentId: '', action: 'delete orders', region: ctx.database(name as string).region } });
    },
  },

  // ── When: recovery ───────────────────────────────────────────────────────
  {
    keyword: 'When',
    phrase: '{string} fails over to its standby',
    incident: 'planned',
    calls: ([name], env) => [`rds:RebootDBInstance ForceFailover (mutating) in ${rdsRegion(env, name)}`, 'rds:DescribeDBInstances until available'],
    check: ([name], context) => alias(['rds-instance'])(name, context),
    run: async (ctx, [name]) => failOver(ctx, name as string),
  },
  {
    keyword: 'When',
    phrase: 'the read replica {string} is promoted',
    incident: 'planned',
    calls: ([name], env) => [`rds:PromoteReadReplica (mutating, irreversible) in ${rdsRegion(env, name)}`, 'rds:DescribeDBInstances until available'],
    check: ([name], context) => alias(['rds-read-replica'])(name, context),
    run: async (ctx, [name]) => promote(ctx, name as string),
  },
  {
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
          `restoring to the incident instant itself is refused by AWS until the latest restorable time has passed it (up to 5 minutes later); to restore as late as possible, write: "${String(name)}" is restored to its latest restorable time as "${String(as)}"`,
        );
      }
      context.created.add(String(as));
    },
    run: async (ctx, [name, before, as]) =>
      ctx.env.resources[name as string]?.kind === 'dynamodb-table'
        ? restoreTable(ctx, name as string, before as number, as as string, ctx.incidentAt())
        : restoreToPointInTime(ctx, name as string, before as number, as as string, ctx.incidentAt()),
  },
  {
    keyword: 'When',
    // Extension: the newest point a point-in-time restore can reach (the latest restorable time).
    phrase: '{string} is restored to its latest restorable time as {string}',
    calls: ([name, as], env) => restoreCalls(env, name, as, 'UseLatestRestorableTime'),
    check: ([name, as], context) => {
      alias([...RDS_KINDS, 'dynamodb-table'])(name, context);
      context.created.add(String(as));
    },
    run: async (ctx, [name, as]) =>
      ctx.env.resources[name as string]?.kind === 'dynamodb-table'
        ? restoreTableToLatest(ctx, name as string, as as string)
        : restoreToLatestRestorableTime(ctx, name as string, as as string),
  },
  {
    keyword: 'When',
    phrase: '{string} is restored from its latest snapshot as {string}',
    calls: ([, as]) => ['rds:DescribeDBSnapshots in every region', `rds:RestoreDBInstanceFromDBSnapshot (mutating) as ${String(as)}`, `cleanup: rds:DeleteDBInstance ${String(as)}`],
    check: ([name, as], context) => {
      alias(RDS_KINDS)(name, context);
      context.created.add(String(as));
    },
    run: async (ctx, [name, as]) => restoreFromLatestSnapshot(ctx, name as string, as as string),
  },
  {
    keyword: 'When',
    phrase: '{string} is snapshotted as {string}',
    calls: ([name, as], env) => [`rds:CreateDBSnapshot ${String(as)} (mutating) in ${rdsRegion(env, name)}`, `cleanup: rds:DeleteDBSnapshot ${String(as)}`],
    check: ([name], context) => alias(RDS_KINDS)(name, context),
    run: async (ctx, [name, as]) => snapshot(ctx, name as string, as as string),
  },
  {
    keyword: 'When',
    phrase: 'the snapshot {string} is copied to {string}',
    calls: ([name, to]) => [`rds:CopyDBSnapshot ${String(name)} (mutating) into ${String(to)}`, `cleanup: rds:DeleteDBSnapshot ${String(name)} in ${String(to)}`],
    check: ([, to], context) => region(to, context),
    run: async (ctx, [name, to]) => copySnapshot(ctx, name as string, to as string),
  },

  // ── Then ─────────────────────────────────────────────────────────────────
  {
    keyword: 'Then',
    phrase: '{string} is healthy again within the RTO',
    needsIncident: true,
    check: ([name], context) => alias()(name, context),
    run: async (ctx, [name]) => {
      await checkRecovery(ctx, name as string, ctx.requireObjectives().rtoSeconds, true);
    },
  },
  {
    keyword: 'Then',
    phrase: '{string} is healthy again within {duration}',
    needsIncident: true,
    // The scenario's RTO is this step's, whatever a Background stated before it.
    objectives: ([, within]) => ({ rtoSeconds: within as number }),
    check: ([name, within], context) => {
      alias()(name, context);
      rtoResolution(within, context);
    },
    run: async (ctx, [name, within]) => {
      await checkRecovery(ctx, name as string, within as number, false);
    },
  },
  {
    keyword: 'Then',
    phrase: 'no more than the RPO of orders is lost',
    needsIncident: true,
    run: async (ctx) => {
      await checkDataLoss(ctx, undefined, ctx.requireObjectives().rpoSeconds, true);
    },
  },
  {
    keyword: 'Then',
    phrase: 'at most {duration} of writes to {string} are lost',
    needsIncident: true,
    objectives: ([within]) => ({ rpoSeconds: within as number }),
    check: ([, name], context) => alias([...ORDER_DATABASES, 'dynamodb-table'])(name, context),
    run: async (ctx, [within, name]) => {
      await checkDataLoss(ctx, name as string, within as number, false);
    },
  },
  {
    keyword: 'Then',
    phrase: 'the restored {string} holds the data from before the incident',
    check: ([name], { created, env }) => {
      // A bucket is restored in place (its previous version made current again).
      if (env.resources[String(name)]?.kind === 's3-bucket') return;
      if (!created.has(String(name))) throw new BadInputError(`"${String(name)}" is not restored by an earlier step of this scenario`);
    },
    run: async (ctx, [name]) => {
      if (ctx.env.resources[name as string]?.kind === 's3-bucket') return checkRestoredObject(ctx, name as string);
      if (ctx.createdTables.has(name as string)) return checkRestoredTable(ctx, name as string);
      const restored = ctx.restoredTo.get(name as string);
      if (!restored) throw new Error(`"${String(name)}" was not restored in this scenario`);
      const canary = ctx.canaries.get(restored.source) ?? [...ctx.canaries.values()][0];
      if (!canary) throw new Error('no orders were written in this scenario, so there is nothing to compare the restore with');
      const present = new Set(await ctx.target.orders.readBack(ctx.database(name as string)));
      // Strictly before: a write in the very millisecond of the snapshot may or may not be in it.
      const expected = canary.writes.filter((w) => w.ok && w.at < restored.at).map((w) => w.seq);
      const missing = expected.filter((seq) => !present.has(seq));
      const evidence = `${expected.length - missing.length} of the ${expected.length} orders written before ${new Date(restored.at).toISOString()} are in ${String(name)}`;
      ctx.emit({ kind: missing.length ? 'check.failed' : 'check.passed', detail: { check: 'restored data', subject: name as string, evidence } });
      if (missing.length) throw new Error(`${evidence}; missing: ${missing.slice(0, 20).join(', ')}`);
    },
  },
  {
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
            if (!retentionCheck(instance, days as number, `${instance.DBInstanceIdentifier} (${where})`, ctx)) {
              failures.push(`${instance.DBInstanceIdentifier} (${where}): ${instance.BackupRetentionPeriod ?? 0} days`);
            }
          }
          Marker = page.Marker;
        } while (Marker);
      }
      if (failures.length) throw new Error(`automated backups kept for fewer than ${String(days)} days: ${failures.join('; ')}`);
    },
  },
  {
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
  },
];

export const vocabulary: readonly StepDefinition[] = [...rdsSteps, ...clusterSteps, ...serviceSteps, ...drsSteps, ...auditFrameworkSteps, ...s3DeletionSteps];
