import {
  DescribeJobsCommand,
  DescribeRecoveryInstancesCommand,
  DescribeSourceServersCommand,
  StartRecoveryCommand,
  type Job,
  type SourceServer,
} from '@aws-sdk/client-drs';
import type { DrsSourceServers, Environment } from '../env/index.js';
import { BadInputError } from '../errors.js';
import type { ObjectiveResult } from '../report/types.js';
import { region as knownRegion } from './checks.js';
import type { CheckContext } from './types.js';
import { formatSeconds } from './duration.js';
import { RUN_ID_TAG } from './tags.js';
import { observationWindowSeconds } from './objectives.js';
import { errorCode } from './aws-error.js';
import { recoveryInstant } from './probes.js';
import { action, waitUntil } from './wait.js';
import type { ProbeHandle, ProbeSample, ScenarioContext } from './scenario.js';
import { step } from './types.js';

/**
 * AWS Elastic Disaster Recovery: the backend servers recovered in the DR
 * region, as a drill or for real, and measured.
 *
 * The incident. A drill touches nothing in production (the source servers
 * run on, replication goes on), yet it rehearses a recovery that starts the
 * moment a disaster is declared: in a scenario without a fault, the drill's
 * StartRecovery is the incident (kind `planned`), so the RTO runs from it to
 * the recovered servers answering, and the RPO is the age at that instant of
 * the data they were launched from, what a real recovery declared then would
 * have lost. After a fault, the fault stays the incident and the recovery is
 * measured from it like any other.
 *
 * Answering. A recovery instance answers once it runs and DRS has seen the
 * SSM agent on its booted OS (`LaunchActionsStatus.ssmAgentDiscoveryDatetime`,
 * which needs post-launch actions enabled in the servers' launch settings):
 * DRS's own word that the machine is up, read with the same calls on the
 * sim and on AWS, where the runner rarely reaches the DR network itself.
 *
 * The recovery point. DRS launches from a snapshot of the staging disks
 * (`pointInTimeSnapshotDateTime`), which hold the source up to the
 * replication lag: the recovered data is as of the snapshot − the lag. The
 * lag is read (DescribeSourceServers, whole seconds) as the recovery starts,
 * so the RPO is measured to the second.
 */

/** Recovery instances' state every probe sample asks about, and DRS's lag, are reported to the second. */
const RPO_RESOLUTION_SECONDS = 1;
/** Without an RTO to judge by, how long to wait for the servers to answer. */
const ANSWER_LIMIT_SECONDS = 2 * 3600;

interface RecoveredServer {
  id: string;
  hostname: string;
  /** DRS's replication lag for it as the recovery started, in seconds. */
  lagSeconds: number;
}

interface DrsRecovery {
  region: string;
  drill: boolean;
  jobId: string;
  servers: RecoveredServer[];
  /** The recovery instances, once DRS has launched them. */
  instanceIds: string[];
  probe: ProbeHandle;
}

/** The recoveries a scenario started, by region (the context is the harness's; this concern's state stays here). */
const recoveries = new WeakMap<ScenarioContext, Map<string, DrsRecovery>>();
/** Regions an earlier step of a scenario recovers into, for validation (keyed by the scenario's `created` set, which lives as long as its check). */
const checkedRecoveries = new WeakMap<Set<string>, Set<string>>();

/** The environment's backend servers DRS recovers into `region`. */
export function backendServersIn(env: Environment, region: string): DrsSourceServers[] {
  return Object.values(env.resources).filter((r): r is DrsSourceServers => r.kind === 'drs-source-servers' && r.region === region);
}

function hostnamesIn(env: Environment, region: string): string[] {
  return backendServersIn(env, region).flatMap((group) => group.servers.map((s) => s.hostname));
}

/** ISO-8601 durations as DRS writes them (`PT3S`, `PT1H2M3.5S`), in seconds; undefined when there is none. */
export function durationSeconds(text: string | undefined): number | undefined {
  const match = text ? /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text) : null;
  if (!match) return undefined;
  const [, d, h, m, s] = match;
  return Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0);
}

/** The source servers DRS has in `region` for the environment's hostnames, found by IdentificationHints.hostname. */
async function findSourceServers(ctx: ScenarioContext, region: string): Promise<{ server: SourceServer; hostname: string }[]> {
  const wanted = hostnamesIn(ctx.env, region);
  const known: SourceServer[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ctx.target.clients.drs(region).send(new DescribeSourceServersCommand({ ...(nextToken ? { nextToken } : {}) }));
    known.push(...(page.items ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const byHost = new Map(known.map((s) => [s.sourceProperties?.identificationHints?.hostname?.toLowerCase() ?? '', s]));
  const missing = wanted.filter((h) => !byHost.has(h.toLowerCase()));
  if (missing.length > 0) {
    const seen = [...byHost.keys()].filter((h) => h !== '');
    throw new Error(`Elastic Disaster Recovery in ${region} has no source server for ${missing.join(', ')} (it replicates ${seen.length ? seen.join(', ') : 'none'})`);
  }
  return wanted.map((hostname) => ({ hostname, server: byHost.get(hostname.toLowerCase())! }));
}

async function describeJob(ctx: ScenarioContext, region: string, jobId: string): Promise<Job> {
  const { items } = await ctx.target.clients.drs(region).send(new DescribeJobsCommand({ filters: { jobIDs: [jobId] } }));
  const job = items?.[0];
  if (!job) throw new Error(`DRS job ${jobId} is not found in ${region}`);
  return job;
}

/** Whether every recovered server answers now: each launched, its agent seen, its instance running. */
async function sampleAnswering(ctx: ScenarioContext, region: string, jobId: string): Promise<{ ok: boolean; status: string }> {
  try {
    const job = await describeJob(ctx, region, jobId);
    const servers = job.participatingServers ?? [];
    const answering = servers.filter((p) => p.launchStatus === 'LAUNCHED' && p.launchActionsStatus?.ssmAgentDiscoveryDatetime);
    if (answering.length < servers.length || servers.length === 0) {
      return { ok: false, status: `${answering.length} of ${servers.length} answering (job ${job.status?.toLowerCase() ?? 'unknown'})` };
    }
    const ids = servers.map((p) => p.recoveryInstanceID!);
    const { items } = await ctx.target.clients.drs(region).send(new DescribeRecoveryInstancesCommand({ filters: { recoveryInstanceIDs: ids } }));
    const running = (items ?? []).filter((i) => i.ec2InstanceState === 'RUNNING').length;
    if (running < ids.length) return { ok: false, status: `${running} of ${ids.length} recovery instances running` };
    return { ok: true, status: `${ids.length} of ${ids.length} answering` };
  } catch (error) {
    return { ok: false, status: errorCode(error) };
  }
}

/** Sample the recovery every resolution seconds, as an actor on the clock, from the moment it starts. */
function startAnswerProbe(ctx: ScenarioContext, region: string, jobId: string): ProbeHandle {
  const resolutionSeconds = ctx.env.probes.resolutionSeconds;
  const samples: (ProbeSample & { sentAt: number })[] = [];
  let stopped = false;
  let first: (sample: ProbeSample) => void = () => {};
  const handle: ProbeHandle = {
    name: `probe:drs:${region}`,
    target: `recovered servers in ${region}`,
    resolutionSeconds,
    samples,
    firstSample: new Promise((resolve) => (first = resolve)),
    stop: () => {
      stopped = true;
    },
  };
  ctx.probes.set(`drs:${region}`, handle);
  ctx.emit({ kind: 'probe.started', detail: { probe: handle.name, kind: 'drs', target: handle.target, resolutionSeconds } });
  void ctx.clock.spawn(handle.name, async () => {
    while (!stopped && !ctx.signal.aborted) {
      const sentAt = ctx.clock.now();
      const { ok, status } = await sampleAnswering(ctx, region, jobId);
      const taken = { at: ctx.clock.now(), sentAt, ok, status };
      samples.push(taken);
      if (samples.length === 1) first(taken);
      ctx.emit({ kind: 'probe.sample', detail: { probe: handle.name, ok, status } });
      await ctx.clock.sleep(Math.max(0, sentAt + resolutionSeconds * 1000 - ctx.clock.now()), 'until the next sample', ctx.signal);
    }
  });
  return handle;
}

function recoveryIn(ctx: ScenarioContext, region: string): DrsRecovery {
  const recovery = recoveries.get(ctx)?.get(region);
  if (!recovery) throw new Error(`the backend servers were not recovered in ${region} in this scenario`);
  return recovery;
}

/**
 * StartRecovery of the environment's backend servers in `region` from their
 * latest data, then follow the job until every recovery instance runs. A
 * drill is journalled with its undo (TerminateRecoveryInstances, once DRS
 * names the instances), so the scenario's cleanup terminates them; a real
 * recovery is journalled as irreversible and its instances left running.
 */
export async function recoverBackendServers(ctx: ScenarioContext, region: string, drill: boolean): Promise<void> {
  const found = await findSourceServers(ctx, region);
  const hostnames = found.map((f) => f.hostname).join(', ');
  const servers: RecoveredServer[] = found.map(({ server, hostname }) => ({
    id: server.sourceServerID!,
    hostname,
    // Read as the recovery starts: the snapshot DRS takes then holds the source up to this lag.
    lagSeconds: durationSeconds(server.dataReplicationInfo?.lagDuration) ?? 0,
  }));
  const what = drill ? 'DRS drill' : 'DRS recovery';
  const drs = ctx.target.clients.drs(region);
  const recovery = await action(ctx, 'drs', what, `backend servers (${hostnames})`, region, async () => {
    const input = { isDrill: drill, sourceServers: servers.map((s) => ({ sourceServerID: s.id })), tags: { [RUN_ID_TAG]: ctx.info.runId } };
    const pending = ctx.cleanup.begin(`${what} of ${hostnames} in ${region}`, { service: 'drs', region, operation: 'StartRecovery', input });
    if (!drill) pending.irreversible();
    // In a drill (no fault before it), declaring the disaster is the incident.
    ctx.markIncident('planned', ctx.clock.now(), `${what} of the backend servers in ${region}`);
    const { job } = await drs.send(new StartRecoveryCommand(input));
    if (!job?.jobID) throw new Error(`StartRecovery in ${region} answered without a job`);
    const started: DrsRecovery = { region, drill, jobId: job.jobID, servers, instanceIds: [], probe: startAnswerProbe(ctx, region, job.jobID) };
    let byRegion = recoveries.get(ctx);
    if (!byRegion) recoveries.set(ctx, (byRegion = new Map()));
    byRegion.set(region, started);
    let undoRegistered = false;
    const done = await waitUntil(ctx, `DRS job ${job.jobID}`, async () => {
      const now = await describeJob(ctx, region, job.jobID!);
      const launched = (now.participatingServers ?? []).flatMap((p) => (p.recoveryInstanceID ? [p.recoveryInstanceID] : []));
      // As soon as DRS names every instance: what a crash would leave running is then in the journal.
      if (drill && !undoRegistered && launched.length === servers.length) {
        undoRegistered = true;
        pending.undoWith({ service: 'drs', region, operation: 'TerminateRecoveryInstances', input: { recoveryInstanceIDs: launched } }, async () => {
          const { items } = await drs.send(new DescribeRecoveryInstancesCommand({ filters: { recoveryInstanceIDs: launched } }));
          return (items ?? []).some((i) => i.ec2InstanceState !== 'TERMINATED' && i.ec2InstanceState !== 'SHUTTING-DOWN');
        });
      }
      started.instanceIds = launched;
      return now.status === 'COMPLETED' ? now : undefined;
    });
    const failed = (done.participatingServers ?? []).filter((p) => p.launchStatus !== 'LAUNCHED');
    if (failed.length > 0) {
      throw new Error(`DRS job ${done.jobID} completed without launching ${failed.map((p) => `${p.sourceServerID} (${p.launchStatus})`).join(', ')}`);
    }
    return started;
  }, (r) => `job ${r.jobId}: ${r.instanceIds.length} recovery instance${r.instanceIds.length === 1 ? '' : 's'} running (${r.instanceIds.join(', ')})`);
  if (!drill) {
    ctx.emit({
      kind: 'info',
      detail: {
        message: `the recovery instances ${recovery.instanceIds.join(', ')} keep running in ${region}: a real recovery is not undone (terminate them with TerminateRecoveryInstances once the servers have failed back)`,
      },
    });
  }
}

/**
 * Wait until every recovered server answers, and measure from the incident.
 * With recovery objectives set it is the scenario's RTO; without, the step
 * waits up to two hours and reports what it saw.
 */
export async function checkAnswering(ctx: ScenarioContext, region: string): Promise<void> {
  const incidentAt = ctx.incidentAt();
  const recovery = recoveryIn(ctx, region);
  const probe = recovery.probe;
  const targetSeconds = ctx.objectives?.rtoSeconds;
  const consecutive = ctx.env.probes.consecutiveSuccesses;
  const windowSeconds = targetSeconds === undefined ? ANSWER_LIMIT_SECONDS : observationWindowSeconds(ctx.env.probes, targetSeconds);
  const deadline = incidentAt + windowSeconds * 1000;
  let answeredAt = recoveryInstant(probe.samples, incidentAt, consecutive);
  while (answeredAt === undefined && ctx.clock.now() < deadline) {
    ctx.checkInterrupted();
    await ctx.clock.sleep(Math.min(probe.resolutionSeconds * 1000, Math.max(1, deadline - ctx.clock.now())), `the recovered servers in ${region} to answer`, ctx.signal);
    answeredAt = recoveryInstant(probe.samples, incidentAt, consecutive);
  }
  const subject = probe.target;
  const measuredSeconds = answeredAt === undefined ? null : (answeredAt - incidentAt) / 1000;
  if (answeredAt !== undefined) ctx.emit({ kind: 'recovered', detail: { probe: probe.name, target: subject, seconds: measuredSeconds! } });
  if (targetSeconds === undefined) {
    const evidence =
      measuredSeconds === null ? `not answering ${formatSeconds((ctx.clock.now() - incidentAt) / 1000)} after the incident` : `answering ${formatSeconds(measuredSeconds)} after the incident (±${probe.resolutionSeconds} s)`;
    ctx.emit({ kind: measuredSeconds === null ? 'check.failed' : 'check.passed', detail: { check: 'recovered servers answer', subject, evidence } });
    if (measuredSeconds === null) throw new Error(`the recovered servers in ${region} are ${evidence}`);
    return;
  }
  const truthFrom = ctx.target.sim?.recoveryInstancesAnsweringFrom(region, recovery.instanceIds, incidentAt);
  const result: ObjectiveResult = {
    targetSeconds,
    measuredSeconds,
    resolutionSeconds: probe.resolutionSeconds,
    ...(truthFrom !== undefined ? { truthSeconds: (truthFrom - incidentAt) / 1000 } : {}),
    met: measuredSeconds !== null && measuredSeconds <= targetSeconds,
    ...(measuredSeconds === null ? { observedSeconds: (ctx.clock.now() - incidentAt) / 1000 } : {}),
  };
  const breach = result.met
    ? undefined
    : measuredSeconds === null
      ? `RTO breached: the recovered servers in ${region} did not answer within ${formatSeconds(result.observedSeconds!)} of the incident (target ${formatSeconds(targetSeconds)})`
      : `RTO breached: the recovered servers in ${region} answered after ${formatSeconds(measuredSeconds)} (±${probe.resolutionSeconds} s), over the target of ${formatSeconds(targetSeconds)}`;
  ctx.emit({ kind: 'objective.checked', detail: { objective: 'rto', target: subject, scenarioObjective: true, ...result, ...(breach ? { breach } : {}) } });
  ctx.rto = result;
  if (breach) ctx.breaches.push(breach);
}

/**
 * The RPO of the recovered servers: how old, at the incident, the data each
 * was launched from was (its snapshot − the lag read as the recovery
 * started), the oldest of them. A breach is recorded, not thrown.
 */
export async function checkServerDataLoss(ctx: ScenarioContext, region: string): Promise<void> {
  const incidentAt = ctx.incidentAt();
  const { rpoSeconds: targetSeconds } = ctx.requireObjectives();
  const recovery = recoveryIn(ctx, region);
  if (recovery.instanceIds.length === 0) throw new Error(`DRS launched no recovery instance in ${region}`);
  const { items } = await ctx.target.clients.drs(region).send(new DescribeRecoveryInstancesCommand({ filters: { recoveryInstanceIDs: recovery.instanceIds } }));
  const losses = recovery.servers.map((server) => {
    const instance = (items ?? []).find((i) => i.sourceServerID === server.id);
    if (!instance?.pointInTimeSnapshotDateTime) throw new Error(`the recovery instance of ${server.hostname} is gone, so the point in time it was launched from is unknown`);
    const snapshotAt = ctx.target.awsClock.toRunner(Date.parse(instance.pointInTimeSnapshotDateTime));
    const holdsUpTo = snapshotAt - server.lagSeconds * 1000;
    return { server, holdsUpTo, seconds: Math.max(0, incidentAt - holdsUpTo) / 1000 };
  });
  const worst = losses.reduce((a, b) => (b.seconds > a.seconds ? b : a));
  const measuredSeconds = worst.seconds;
  const truth = ctx.target.sim?.recoveryLossWindowSeconds(region, recovery.instanceIds, incidentAt);
  const result: ObjectiveResult = {
    targetSeconds,
    measuredSeconds,
    resolutionSeconds: RPO_RESOLUTION_SECONDS,
    ...(truth !== undefined ? { truthSeconds: truth } : {}),
    met: measuredSeconds <= targetSeconds,
  };
  const breach = result.met
    ? undefined
    : `RPO breached: ${worst.server.hostname} was recovered with data from ${formatSeconds(measuredSeconds)} before the incident (±${RPO_RESOLUTION_SECONDS} s), over the target of ${formatSeconds(targetSeconds)}`;
  const subject = `recovered servers in ${region}`;
  ctx.emit({
    kind: 'check.passed',
    detail: {
      check: 'recovery point',
      subject,
      evidence: losses.map((l) => `${l.server.hostname}: data up to ${new Date(l.holdsUpTo).toISOString()}`).join('; '),
    },
  });
  ctx.emit({ kind: 'objective.checked', detail: { objective: 'rpo', target: subject, scenarioObjective: true, ...result, ...(breach ? { breach } : {}) } });
  ctx.rpo = result;
  if (breach) ctx.breaches.push(breach);
}

// ── Phrases ────────────────────────────────────────────────────────────────

function checkRecoverable(name: string, context: CheckContext): void {
  knownRegion(name, context);
  if (backendServersIn(context.env, name).length === 0) {
    const regions = [...new Set(Object.values(context.env.resources).flatMap((r) => (r.kind === 'drs-source-servers' ? [r.region] : [])))];
    throw new BadInputError(
      `no drs-source-servers in ${context.env.file} recover into "${name}"${regions.length ? ` (their DRS regions: ${regions.join(', ')})` : ': declare the backend servers as a drs-source-servers resource'}`,
    );
  }
  let regions = checkedRecoveries.get(context.created);
  if (!regions) checkedRecoveries.set(context.created, (regions = new Set()));
  regions.add(name);
}

function checkRecovered(name: string, context: CheckContext): void {
  knownRegion(name, context);
  if (!checkedRecoveries.get(context.created)?.has(name)) {
    throw new BadInputError(`no earlier step of this scenario recovers the backend servers in "${name}": add "When the backend servers are recovered in "${name}" with Elastic Disaster Recovery as a drill"`);
  }
}

function recoverCalls(region: string, env: Environment, drill: boolean): string[] {
  const hosts = hostnamesIn(env, region).join(', ');
  return [
    `drs:DescribeSourceServers in ${region} (${hosts}, and their replication lag)`,
    `drs:StartRecovery isDrill=${drill} (mutating) of ${hosts} from their latest data, then drs:DescribeJobs until COMPLETED`,
    drill ? `cleanup: drs:TerminateRecoveryInstances of the drill's recovery instances` : `no undo: the recovery instances are left running, and listed as left changed`,
  ];
}

export const serversRecovered = step({
  keyword: 'When',
  // DESIGN §6 extension (issue 16): a DRS recovery, the recovery step being the experiment (FIS has no action for it).
  phrase: 'the backend servers are recovered in {string} with Elastic Disaster Recovery',
  incident: 'planned',
  check: ([name], context) => checkRecoverable(name, context),
  calls: ([name], env) => recoverCalls(name, env, false),
  run: (ctx, [name]) => recoverBackendServers(ctx, name, false),
});

export const serversRecoveredInDrill = step({
  keyword: 'When',
  phrase: 'the backend servers are recovered in {string} with Elastic Disaster Recovery as a drill',
  incident: 'planned',
  check: ([name], context) => checkRecoverable(name, context),
  calls: ([name], env) => recoverCalls(name, env, true),
  run: (ctx, [name]) => recoverBackendServers(ctx, name, true),
});

export const recoveredServersAnswer = step({
  keyword: 'Then',
  phrase: 'the recovered servers answer in {string}',
  needsIncident: true,
  check: ([name], context) => checkRecovered(name, context),
  calls: ([name], env) => [`drs:DescribeJobs and drs:DescribeRecoveryInstances in ${name} every ${env.probes.resolutionSeconds} s until every recovered server answers`],
  run: (ctx, [name]) => checkAnswering(ctx, name),
});

export const serverDataLostWithinRpo = step({
  keyword: 'Then',
  phrase: "no more than the RPO of the backend servers' data is lost",
  needsIncident: true,
  check: (_args, context) => {
    if (!checkedRecoveries.get(context.created)?.size) {
      throw new BadInputError('no earlier step of this scenario recovers the backend servers: add "When the backend servers are recovered in "…" with Elastic Disaster Recovery as a drill"');
    }
  },
  calls: () => ['drs:DescribeRecoveryInstances (the point in time each was launched from)'],
  run: async (ctx) => {
    const regions = [...(recoveries.get(ctx)?.keys() ?? [])];
    if (regions.length === 0) throw new Error('the backend servers were not recovered in this scenario');
    for (const region of regions) await checkServerDataLoss(ctx, region);
  },
});
