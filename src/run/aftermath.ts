import { GetExperimentCommand } from '@aws-sdk/client-fis';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createAwsTarget } from '../aws/index.js';
import { loadEnvironment } from '../env/index.js';
import { BadInputError } from '../errors.js';
import { type AwsCall, executorFor, type JournalEntry, type Target } from '../harness/index.js';
import { JunitReport, type LeftChange, ResultsBuilder, type RunResults, type SampleRecord, withSampleVerdicts } from '../report/index.js';
import { RUN_FILES, RunFolder, shardOfResults } from './run-folder.js';

/**
 * `gameday report RUN_DIR`: rebuild results.json (and junit.xml) from the run
 * folder: messages.ndjson, run.json and notes.ndjson, the same facts the
 * live view saw.
 */
export async function rerender(cwd: string, runDir: string, options: { appendHistory?: boolean } = {}): Promise<RunResults> {
  const folder = await RunFolder.open(cwd, runDir);
  const { manifest } = folder;
  const builder = new ResultsBuilder(new Map(Object.entries(manifest.scenarios)));
  const junit = new JunitReport(`gameday ${manifest.runId}`);
  let success = true;
  for (const envelope of await folder.readMessages()) {
    builder.add(envelope);
    junit.add(envelope);
    // A merged folder's messages are its shards' one after another: it succeeded if each did.
    if (envelope.testRunFinished) success &&= envelope.testRunFinished.success;
  }
  const interrupted = manifest.state === 'interrupted';
  const plain = builder.build({
    runId: manifest.runId,
    target: manifest.target,
    seed: manifest.seed,
    environment: manifest.environment,
    ...(manifest.account ? { account: manifest.account } : {}),
    regions: manifest.regions,
    ...(manifest.gamedayVersion ? { gamedayVersion: manifest.gamedayVersion } : {}),
    ...(manifest.specsCommit ? { specsCommit: manifest.specsCommit } : {}),
    startedAt: manifest.startedAt,
    finishedAt: manifest.finishedAt ?? manifest.startedAt,
    interrupted,
    exitCode: manifest.exitCode ?? (interrupted ? 130 : (builder.exitCode() ?? (success ? 0 : 1))),
    warnings: manifest.warnings,
    notes: await folder.readNotes(),
    ...leftChangedOf(await folder.readJournal()),
    ...shardOfResults(manifest),
  });
  // With --samples, the verdict is the samples': recomputed from samples.ndjson as the run computed it.
  const sampled = manifest.samples ? await folder.readSamples() : new Map<string, SampleRecord[]>();
  const results = sampled.size > 0 ? withSampleVerdicts(plain, manifest, sampled) : plain;
  await folder.writeResults(results);
  await folder.writeJunit(junit.xml(results));
  // A run folder made afresh (`gameday report --merge`) is a run of its own: its trend line, before its report as a run's.
  if (options.appendHistory) await folder.appendHistory(results);
  await folder.writeReports();
  return results;
}

/** One undo `gameday cleanup` made (or found already made). */
export interface CleanupStep {
  description: string;
  /** `service:Operation`. */
  call: string;
  /** `left`: a fail-back the environment says to leave (`afterScenario: leave`). */
  outcome: 'done' | 'already done' | 'failed' | 'left';
  error?: string;
}

export interface CleanupOutcome {
  runDir: string;
  pending: number;
  undone: number;
  failed: { description: string; error: string }[];
  steps: CleanupStep[];
  /** Why nothing was attempted, when nothing was. */
  note?: string;
}

/** What `gameday cleanup` needs from the world, passed in at the edge. */
export interface CleanupWorld {
  now: () => number;
  /** Real time passing, while a primary finishes failing over before it is failed back. */
  sleep: (ms: number) => Promise<void>;
  /** The SDK's endpoint override (AWS_ENDPOINT_URL), for an environment that rehearses against `gameday sim serve`. */
  endpointUrl?: string;
  /** Whether a process with this id is alive on this machine (a run still going is not cleaned up under its feet). */
  isAlive?: (pid: number) => boolean;
}

/**
 * Undos journalled and never made (nor left on purpose, `afterScenario:
 * leave`), newest first; with them the homes of primaries no scenario end
 * settled (the run was killed first): fail-backs to make if a fault moved one.
 */
export function pendingUndos(entries: readonly JournalEntry[]): JournalEntry[] {
  const key = (e: JournalEntry) => `${e.scenario}#${e.id}`;
  const finished = new Set(entries.filter((e) => e.kind === 'undone' || e.kind === 'left' || e.kind === 'settled').map(key));
  // A home the scenario's end turned into an undo (same id) is that undo's to finish.
  const undos = new Set(entries.filter((e) => e.kind === 'undo').map(key));
  const open = (e: JournalEntry) => e.undo && !finished.has(key(e)) && (e.kind === 'undo' || (e.kind === 'home' && !undos.has(key(e))));
  return entries.filter(open).reverse();
}

/** How a pending undo reads in a list of what is left: a home's fail-back is made only if its primary moved. */
export function pendingLabel(entry: JournalEntry): string {
  return `${entry.undo!.operation} (${entry.description}${entry.kind === 'home' ? ', if it moved' : ''})`;
}

/** `leftChanged` for results.json: absent when nothing was left changed. */
export function leftChangedOf(entries: readonly JournalEntry[]): { leftChanged?: LeftChange[] } {
  const left = leftChanged(entries);
  return left.length ? { leftChanged: left } : {};
}

/** What a run changed and did not put back: irreversible changes (a promotion) and fail-backs left on purpose. */
export function leftChanged(entries: readonly JournalEntry[]): LeftChange[] {
  const left = new Set(entries.filter((e) => e.kind === 'left').map((e) => `${e.scenario}#${e.id}`));
  return entries.flatMap((e): LeftChange[] => {
    if (e.kind !== 'undo') return [];
    if (e.undo === null) return [{ scenario: e.scenario, description: e.description, why: 'irreversible' }];
    return left.has(`${e.scenario}#${e.id}`) ? [{ scenario: e.scenario, description: e.description, why: 'left' }] : [];
  });
}

/** AWS's answer that what an undo would remove is gone already (a template deleted, an instance deleted). */
function alreadyGone(error: unknown): boolean {
  const name = (error as { name?: string }).name ?? '';
  return /NotFound(Fault|Exception)?$|^NoSuch/.test(name);
}

/** How often, and how long at most, `gameday cleanup` looks at a primary still failing over before failing it back. */
const AVAILABLE_POLL_MS = 10_000;

/** What a home's primary (or cluster writer) looks like now: whether RDS is done moving it, and whether it is away from home. */
interface HomeLook {
  /** `available`: no failover under way, so where it is now is where it stays. */
  still: boolean;
  away: boolean;
  /** Its status, in words for a wait message. */
  status: string;
}

/** A look at the primary or cluster writer a `home` entry's fail-back is for; undefined for an undo that is no fail-back. */
async function lookHome(target: Target, entry: JournalEntry): Promise<HomeLook | undefined> {
  const undo = entry.undo as AwsCall;
  if (entry.home === undefined || undo.service !== 'rds') return undefined;
  if (undo.operation === 'RebootDBInstance') {
    const { DBInstances } = await target.clients.rds(undo.region).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: String(undo.input['DBInstanceIdentifier']) }));
    const instance = DBInstances?.[0];
    const still = !instance || instance.DBInstanceStatus === 'available';
    return { still, away: instance?.AvailabilityZone !== undefined && instance.AvailabilityZone !== entry.home, status: instance?.DBInstanceStatus ?? 'no status' };
  }
  if (undo.operation === 'FailoverDBCluster') {
    const { DBClusters } = await target.clients.rds(undo.region).send(new DescribeDBClustersCommand({ DBClusterIdentifier: String(undo.input['DBClusterIdentifier']) }));
    const cluster = DBClusters?.[0];
    const writer = cluster?.DBClusterMembers?.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier;
    return { still: !cluster || cluster.Status === 'available', away: writer !== undefined && writer !== entry.home, status: cluster?.Status ?? 'no status' };
  }
  return undefined;
}

/** The fail-back a `home` entry makes, by hand, for when `gameday cleanup` cannot wait any longer. */
function byHand(entry: JournalEntry): string {
  const undo = entry.undo as AwsCall;
  return undo.operation === 'FailoverDBCluster'
    ? `aws rds failover-db-cluster --db-cluster-identifier ${String(undo.input['DBClusterIdentifier'])} --target-db-instance-identifier ${entry.home}`
    : `aws rds reboot-db-instance --db-instance-identifier ${String(undo.input['DBInstanceIdentifier'])} --force-failover`;
}

/** The primary's instance, or the cluster, a home entry is about. */
function homeOf(entry: JournalEntry): string {
  const { input } = entry.undo as AwsCall;
  return String(input['DBClusterIdentifier'] ?? input['DBInstanceIdentifier']);
}

type HomeWait = { world: CleanupWorld; limitMs: number; onWait: (message: string) => void };

/** Look at a home until RDS is done moving it (and, with `home`, until it is back there); the last look. */
async function waitForHome(target: Target, entry: JournalEntry, wait: HomeWait, until: 'still' | 'home'): Promise<HomeLook> {
  const identifier = homeOf(entry);
  const cluster = (entry.undo as AwsCall).operation === 'FailoverDBCluster';
  const back = cluster ? { whether: `its writer is ${entry.home} again`, with: `${entry.home} writing again` } : { whether: `its primary is back in ${entry.home}`, with: `its primary back in ${entry.home}` };
  const started = wait.world.now();
  for (let look = 0; ; look++) {
    const now = (await lookHome(target, entry))!;
    if (now.still && (until === 'still' || !now.away)) return now;
    if (wait.world.now() - started >= wait.limitMs) {
      throw new Error(
        until === 'still'
          ? `${identifier} is still ${now.status} after ${Math.round(wait.limitMs / 1000)} s: fail it back by hand once it is available (${byHand(entry)})`
          : `failed ${identifier} back, but after ${Math.round(wait.limitMs / 1000)} s it is ${now.status}${now.away ? `, not yet with ${back.with}` : ''}: look at it (${byHand(entry)})`,
      );
    }
    if (look === 0) {
      wait.onWait(
        until === 'still'
          ? `waiting for ${identifier} (${now.status}) to be available, to know whether ${back.whether}`
          : `waiting for ${identifier} (${now.status}) to be available with ${back.with}`,
      );
    }
    await wait.world.sleep(AVAILABLE_POLL_MS);
  }
}

/**
 * Whether an undo still has something to do, asked read-only before it is
 * made: an experiment that ended needs no StopExperiment (FIS refuses one);
 * a fail-back with a home is needed only while the primary is elsewhere (or
 * another instance is the cluster's writer),
 * which is known once the instance is available again (a failover a fault
 * started may still be under way, and RDS refuses to reboot it meanwhile).
 */
async function stillNeeded(target: Target, entry: JournalEntry, wait: HomeWait): Promise<boolean> {
  const undo = entry.undo as AwsCall;
  if (undo.service === 'fis' && undo.operation === 'StopExperiment') {
    const { experiment } = await target.clients.fis(undo.region).send(new GetExperimentCommand({ id: String(undo.input['id']) }));
    return !['completed', 'stopped', 'failed', 'cancelled'].includes(experiment?.state?.status ?? '');
  }
  if ((await lookHome(target, entry)) === undefined) return true;
  return (await waitForHome(target, entry, wait, 'still')).away;
}

/**
 * `gameday cleanup RUN_DIR`: after a crash, undo what the journal says is
 * still broken, newest first, and journal each outcome. Idempotent: what
 * was undone is journalled as such and not done twice; what AWS says is gone
 * already counts as done. A run whose process is still alive is left alone.
 */
export async function cleanUpAfter(cwd: string, runDir: string, world: CleanupWorld, onStep: (step: CleanupStep) => void = () => {}, onWait: (message: string) => void = () => {}): Promise<CleanupOutcome> {
  const folder = await RunFolder.open(cwd, runDir);
  const { manifest } = folder;
  const entries = await folder.readJournal();
  const pending = pendingUndos(entries);
  const none: CleanupOutcome = { runDir, pending: pending.length, undone: 0, failed: [], steps: [] };
  if (pending.length === 0) return none;
  if (manifest.state === 'running' && manifest.owner && world.isAlive?.(manifest.owner.pid)) {
    return { ...none, note: `the run is still going (process ${manifest.owner.pid}): stop it first (Ctrl-C cleans up after itself)` };
  }
  if (manifest.target === 'sim') {
    return { ...none, note: 'the run was on the simulator: its state ended with the process, so there is nothing left to undo' };
  }
  if (!manifest.envOverride) throw new BadInputError(`${join(runDir, 'run.json')}: an aws run must name its environment file (--env)`);
  const env = await loadEnvironment(manifest.envOverride, (path) => readFile(resolve(cwd, path), 'utf8'));
  if (env.target !== 'aws') throw new BadInputError(`${manifest.envOverride}: expected an aws environment`);
  // The run's id names the role sessions, as during the run (`gameday-<runId>` in CloudTrail).
  const target = await createAwsTarget(env, { runId: manifest.runId, ...(world.endpointUrl ? { endpointUrl: world.endpointUrl } : {}) });
  const execute = executorFor(target);
  const outcome: CleanupOutcome = { ...none };
  try {
    // Fail-backs last, once experiments that might still disrupt are stopped (as at the end of a scenario).
    for (const entry of [...pending.filter((e) => !e.failBack), ...pending.filter((e) => e.failBack)]) {
      const undo = entry.undo as AwsCall;
      const base = { runId: entry.runId, scenario: entry.scenario, id: entry.id, description: entry.description, at: new Date(world.now()).toISOString(), undo };
      const call = `${undo.service}:${undo.operation}`;
      let step: CleanupStep;
      if (entry.failBack && env.afterScenario === 'leave') {
        await folder.appendJournal({ ...base, kind: 'left', failBack: true });
        step = { description: entry.description, call, outcome: 'left' };
        outcome.steps.push(step);
        onStep(step);
        continue;
      }
      try {
        const wait = { world, limitMs: env.probes.steadyStateWithinSeconds * 1000, onWait };
        const needed = await stillNeeded(target, entry, wait);
        if (needed) await execute(undo);
        // A fail-back is itself a failover: cleanup is done once the primary (or writer) is home and available, not when it was asked to move.
        if (needed && entry.home !== undefined) await waitForHome(target, entry, wait, 'home');
        // A home whose primary never left settles; anything else made (or found made) is undone.
        await folder.appendJournal({ ...base, kind: entry.kind === 'home' && !needed ? 'settled' : 'undone' });
        step = { description: entry.description, call, outcome: needed ? 'done' : 'already done' };
      } catch (error) {
        if (alreadyGone(error)) {
          await folder.appendJournal({ ...base, kind: 'undone' });
          step = { description: entry.description, call, outcome: 'already done' };
        } else {
          const message = (error as Error).message;
          await folder.appendJournal({ ...base, kind: 'undo-failed', error: message });
          outcome.failed.push({ description: `${call} (${entry.description})`, error: message });
          step = { description: entry.description, call, outcome: 'failed', error: message };
        }
      }
      if (step.outcome === 'done' || step.outcome === 'already done') outcome.undone++;
      outcome.steps.push(step);
      onStep(step);
    }
  } finally {
    target.close();
  }
  return outcome;
}

/**
 * `gameday cleanup` with no run folder: every run under `outDir` whose
 * journal has undos pending (a crashed run, or one whose cleanup failed),
 * oldest first.
 */
export async function cleanUpAll(cwd: string, outDir: string, world: CleanupWorld, onStep: (runDir: string, step: CleanupStep) => void = () => {}, onWait: (runDir: string, message: string) => void = () => {}): Promise<CleanupOutcome[]> {
  const root = resolve(cwd, outDir);
  const entries = await readdir(root, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new BadInputError(`${outDir}: no such folder (runs write their reports there; give --out where yours are)`);
    throw error;
  });
  const outcomes: CleanupOutcome[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const runDir = join(outDir, entry.name);
    if (!(await stat(join(root, entry.name, RUN_FILES.manifest)).catch(() => undefined))) continue;
    const outcome = await cleanUpAfter(cwd, runDir, world, (step) => onStep(runDir, step), (message) => onWait(runDir, message));
    if (outcome.pending > 0) outcomes.push(outcome);
  }
  return outcomes;
}
