import { AutoScalingClient, DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand, type AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { buildSimulator, SIM_START } from '../src/aws/sim-target.js';
import { createSimTarget } from '../src/aws/targets.js';
import { VirtualClock } from '../src/clock/index.js';
import { loadEnvironment, type SimEnvironment } from '../src/env/index.js';
import { CleanupStack, type JournalEntry } from '../src/harness/cleanup.js';
import type { EmitEvent } from '../src/harness/events.js';
import { executorFor } from '../src/harness/journal.js';
import { InterruptedError, ScenarioContext } from '../src/harness/scenario.js';
import type { Target } from '../src/harness/target.js';
import { vocabulary } from '../src/harness/vocabulary.js';
import { cleanUpAfter } from '../src/run/aftermath.js';
import type { Simulator } from '../src/sim/index.js';
import { startSimServer, type SimServer } from '../src/sim/server.js';
import { CLI_TEST_TIMEOUT, FIXTURES, lines, removeTemporary, ROOT, startGameday, type CliRun } from './fixtures/features/run-cli.js';
import { createTransportHarness, STAGING_RUNNER, stagingRunnerEnv } from './support/transport.js';
import { MINUTE } from './support/time.js';
import { EAST, WEST } from './support/sim.js';

/**
 * "the standby capacity in … is scaled up" is a mutating call: it is
 * journalled with its undo (SetDesiredCapacity back to the desired capacity
 * the group had) before it is made, and the undo runs when the scenario ends,
 * when it is interrupted, and from `gameday cleanup` after a crash.
 */

const SECURECART = join(ROOT, 'scenarios/environments/securecart.yaml');
const STAGING_ON_SIM = 'test/fixtures/env/aws/staging-on-sim.yaml';
const STANDBY_FEATURE = `${FIXTURES}/aws/standby-and-roles.feature`;
const RUNNER = STAGING_RUNNER;
const SCALE_UP = vocabulary.find((d) => d.phrase === 'the standby capacity in {string} is scaled up')!;

async function securecart(): Promise<SimEnvironment> {
  const env = await loadEnvironment(SECURECART);
  if (env.target !== 'sim') throw new Error('securecart.yaml is a sim environment');
  return env;
}

async function groupOf(target: Pick<Target, 'clients'>, region: string): Promise<AutoScalingGroup> {
  const { AutoScalingGroups } = await target.clients.autoscaling(region).send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [`orders-api-${region}`] }));
  return AutoScalingGroups![0]!;
}

/** A scenario on the sim target whose journal is kept in memory; `onJournal` sees each entry as it is appended. */
async function scenario(onJournal: (entry: JournalEntry) => void = () => {}) {
  const target = createSimTarget({ env: await securecart(), seed: 42, speed: 'max' });
  const entries: JournalEntry[] = [];
  const events: Parameters<EmitEvent>[0][] = [];
  const interrupt = new AbortController();
  const emit: EmitEvent = (event) => events.push(event);
  const journal = {
    append: (entry: JournalEntry) => {
      entries.push(entry);
      onJournal(entry);
    },
  };
  const cleanup = new CleanupStack(journal, executorFor(target), emit, { runId: 'r1', scenario: 'standby.feature:3', now: () => target.clock.now() });
  const ctx = new ScenarioContext({ name: 'standby', uri: 'standby.feature', line: 3, runId: 'r1' }, target, emit, cleanup, interrupt.signal);
  return { target, ctx, entries, events, interrupt };
}

const UNDO = { service: 'autoscaling', region: WEST, operation: 'SetDesiredCapacity', input: { AutoScalingGroupName: 'orders-api-us-west-2', DesiredCapacity: 0, HonorCooldown: false } };

describe('scaling the standby fleet up is journalled with its undo (on the sim target)', () => {
  it('an interrupt during the scale-up: the cleanup stack puts the desired capacity back and the launching instances go', async () => {
    const { target, ctx, entries, events, interrupt } = await scenario();
    expect(await groupOf(target, WEST)).toMatchObject({ DesiredCapacity: 0, MaxSize: 6, Instances: [] });
    let during: AutoScalingGroup | undefined;
    const outcome = await target.clock
      .run('step', async () => {
        // Ctrl-C five minutes in: a cold start takes 10 to 20.
        void target.clock.spawn('ctrl-c', async () => {
          await target.clock.sleep(5 * MINUTE, 'until the interrupt');
          during = await groupOf(target, WEST);
          interrupt.abort();
        });
        await SCALE_UP.run(ctx, [WEST]);
      })
      .catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(InterruptedError);
    expect(during?.DesiredCapacity).toBe(6);
    expect(during?.Instances?.map((i) => i.LifecycleState)).toEqual(Array(6).fill('Pending'));
    // Journalled before it was made, with the undo: what `gameday cleanup` needs after a crash.
    expect(entries.map((e) => [e.kind, e.call ?? e.undo])).toEqual([
      ['call', { ...UNDO, input: { ...UNDO.input, DesiredCapacity: 6 } }],
      ['undo', UNDO],
    ]);

    await target.clock.run('cleanup', () => ctx.cleanup.run());
    // The launching instances are being terminated (Terminating until EC2 has shut them down), as on AWS.
    const undone = await groupOf(target, WEST);
    expect(undone?.DesiredCapacity).toBe(0);
    expect(undone?.Instances?.map((i) => i.LifecycleState)).toEqual(Array(6).fill('Terminating'));
    expect(entries.at(-1)).toMatchObject({ kind: 'undone', id: 1, undo: UNDO });
    expect(events.filter((e) => e.kind === 'cleanup.step').map((e) => e.detail)).toEqual([{ step: 'SetDesiredCapacity (scale-up of orders-api-us-west-2)', outcome: 'done' }]);
    // Nothing comes into service later: the launch was called off.
    await target.clock.run('afterwards', () => target.clock.sleep(30 * MINUTE, 'a while'));
    expect(await groupOf(target, WEST)).toMatchObject({ DesiredCapacity: 0, Instances: [] });
    target.close();
  });

  it('a scale-up that completes is undone when the scenario ends, back to the warm standby it was', async () => {
    const warm = await loadEnvironment(join(ROOT, 'scenarios/environments/securecart-warm-standby.yaml'));
    if (warm.target !== 'sim') throw new Error('securecart-warm-standby.yaml is a sim environment');
    const target = createSimTarget({ env: warm, seed: 42, speed: 'max' });
    const entries: JournalEntry[] = [];
    const events: Parameters<EmitEvent>[0][] = [];
    const emit: EmitEvent = (event) => events.push(event);
    const cleanup = new CleanupStack({ append: (e) => entries.push(e) }, executorFor(target), emit, { runId: 'r1', scenario: 's:1', now: () => target.clock.now() });
    const ctx = new ScenarioContext({ name: 's', uri: 's', line: 1, runId: 'r1' }, target, emit, cleanup);
    const before = (await groupOf(target, WEST)).DesiredCapacity!;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(6);

    await target.clock.run('step', () => SCALE_UP.run(ctx, [WEST]));
    const full = await groupOf(target, WEST);
    expect(full.DesiredCapacity).toBe(6);
    expect(full.Instances?.filter((i) => i.LifecycleState === 'InService')).toHaveLength(6);
    expect(events.find((e) => e.kind === 'action.completed')?.detail).toMatchObject({ outcome: `orders-api-us-west-2: desired capacity ${before} → 6, all InService` });

    await target.clock.run('cleanup', () => ctx.cleanup.run());
    expect(await groupOf(target, WEST)).toMatchObject({ DesiredCapacity: before });
    expect(entries.map((e) => e.kind)).toEqual(['call', 'undo', 'undone']);
    expect(entries[1]!.undo).toEqual({ ...UNDO, input: { ...UNDO.input, DesiredCapacity: before } });
    target.close();
  });

  it('a fleet already at its maximum: no call is made and nothing is journalled', async () => {
    const { target, ctx, entries, events } = await scenario();
    await target.clock.run('step', () => SCALE_UP.run(ctx, [EAST]));
    expect(entries).toEqual([]);
    expect(events.find((e) => e.kind === 'action.completed')?.detail).toMatchObject({ outcome: 'orders-api-us-east-1 was already at its maximum of 6' });
    target.close();
  });
});

describe('gameday cleanup after a crash', () => {
  const transport = createTransportHarness('http');
  afterEach(async () => {
    vi.unstubAllEnvs();
    await transport.close();
  });

  it('restores the desired capacity a journal with a pending scale-up undo names, through the aws target', async () => {
    const clock = new VirtualClock({ start: SIM_START });
    const sim = buildSimulator({ clock, seed: 42, env: await securecart() });
    const { url } = await transport.server(sim, clock);
    // The standard credential chain and endpoint settings of the aws target, pointed at the sim.
    for (const [name, value] of Object.entries(stagingRunnerEnv(url))) vi.stubEnv(name, value);
    const autoscaling = new AutoScalingClient({ region: WEST, endpoint: url, credentials: RUNNER, maxAttempts: 1 });
    // What the crashed run did: journalled the call with its undo, then scaled up.
    await autoscaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'orders-api-us-west-2', DesiredCapacity: 6 }));
    const dir = await mkdtemp(join(tmpdir(), 'gameday-cleanup-'));
    const at = new Date(SIM_START).toISOString();
    await writeFile(
      join(dir, 'run.json'),
      JSON.stringify({ runId: 'r-crashed', seed: 0, target: 'aws', environment: 'staging-on-sim', envOverride: STAGING_ON_SIM, envFiles: {}, startedAt: at }),
    );
    const base = { runId: 'r-crashed', scenario: `${STANDBY_FEATURE}:11`, at, id: 1, description: 'scale-up of orders-api-us-west-2' };
    const journal = [
      { ...base, kind: 'call', call: { ...UNDO, input: { ...UNDO.input, DesiredCapacity: 6 } } },
      { ...base, kind: 'undo', undo: UNDO },
    ];
    await writeFile(join(dir, 'journal.ndjson'), journal.map((e) => `${JSON.stringify(e)}\n`).join(''));

    const outcome = await cleanUpAfter(ROOT, dir, { now: () => SIM_START + MINUTE, sleep: async () => {}, endpointUrl: url });
    expect(outcome).toMatchObject({ pending: 1, undone: 1, failed: [] });
    expect(outcome.steps).toEqual([{ description: 'scale-up of orders-api-us-west-2', call: 'autoscaling:SetDesiredCapacity', outcome: 'done' }]);
    const { AutoScalingGroups } = await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['orders-api-us-west-2'] }));
    // Nothing launching or in service any more: what the scale-up launched is Terminating, or already gone.
    expect(AutoScalingGroups?.[0]?.DesiredCapacity).toBe(0);
    expect(AutoScalingGroups?.[0]?.Instances?.filter((i) => i.LifecycleState !== 'Terminating')).toEqual([]);
    expect(sim.world.audit.filter((r) => r.eventName === 'SetDesiredCapacity').map((r) => [r.identity.role, r.errorCode ?? 'ok'])).toEqual([
      ['gameday-runner', 'ok'],
      ['gameday-runner', 'ok'],
    ]);
    const written = lines(await readFile(join(dir, 'journal.ndjson'), 'utf8')).map((line) => JSON.parse(line) as JournalEntry);
    expect(written.at(-1)).toMatchObject({ kind: 'undone', id: 1, scenario: base.scenario, undo: UNDO, at: new Date(SIM_START + MINUTE).toISOString() });
    // Done once: a second cleanup finds nothing pending.
    expect(await cleanUpAfter(ROOT, dir, { now: () => SIM_START, sleep: async () => {} })).toMatchObject({ pending: 0, undone: 0, failed: [], steps: [] });
  });
});

describe('gameday run on an aws environment (the sim behind AWS_ENDPOINT_URL), interrupted during the scale-up', () => {
  let server: SimServer | undefined;
  let sim: Simulator | undefined;
  afterAll(async () => {
    await server?.close();
    await removeTemporary();
  });

  /** `gameday sim serve` in this process: its clock runs at 120× real time, so a 10-20 minute cold start takes seconds. */
  async function serve(): Promise<string> {
    const clock = new VirtualClock({ start: SIM_START, speed: 120 });
    sim = buildSimulator({ clock, seed: 42, env: await securecart() });
    server = await startSimServer({ host: '127.0.0.1', port: 0, create: () => ({ sim: sim!, clock }) });
    return server.url;
  }

  it(
    'exits 130 after cleanup has put the desired capacity back; the role acted in a session named after the run',
    async () => {
      const url = await serve();
      const started = await startGameday([STANDBY_FEATURE, '--env', STAGING_ON_SIM, '--ui', 'plain'], {
        env: stagingRunnerEnv(url),
      });
      const audit = sim!.world.audit;
      // Interrupted while the step waits for the instances, once the sim has
      // the SetDesiredCapacity (rather than when the step's line is printed,
      // which comes just before the call).
      const scaling = await new Promise<boolean>((resolve) => {
        const poll = setInterval(() => {
          if (audit.some((r) => r.eventName === 'SetDesiredCapacity' && r.awsRegion === WEST)) resolve(true);
          else if (started.child.exitCode !== null || started.child.signalCode !== null) resolve(false);
          else return;
          clearInterval(poll);
        }, 20);
      });
      expect(scaling, `the scale-up never started:\n${started.stdout()}`).toBe(true);
      expect(started.stdout()).toContain('→ scale up standby');
      const giveUp = setTimeout(() => started.child.kill('SIGKILL'), 60_000);
      started.child.kill('SIGINT');
      const run: CliRun = await started.result;
      clearTimeout(giveUp);
      expect(run.signal).toBeNull();
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(130);

      const scaled = audit.filter((r) => r.eventName === 'SetDesiredCapacity' && r.awsRegion === WEST);
      expect(scaled.map((r) => [r.identity.role, r.errorCode ?? 'ok'])).toEqual([
        ['gameday-runner', 'ok'],
        ['gameday-runner', 'ok'],
      ]);
      const group = new AutoScalingClient({ region: WEST, endpoint: url, credentials: RUNNER, maxAttempts: 1 });
      const { AutoScalingGroups } = await group.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['orders-api-us-west-2'] }));
      // Nothing launching or in service any more: what the scale-up launched is Terminating, or already gone.
      expect(AutoScalingGroups?.[0]?.DesiredCapacity).toBe(0);
      expect(AutoScalingGroups?.[0]?.Instances?.filter((i) => i.LifecycleState !== 'Terminating')).toEqual([]);

      const runId = (await readFile(join(run.out, 'latest', 'run.json'), 'utf8').then((text) => JSON.parse(text) as { runId: string })).runId;
      const journal = lines(await readFile(join(run.out, 'latest', 'journal.ndjson'), 'utf8')).map((line) => JSON.parse(line) as JournalEntry);
      expect(journal.filter((e) => e.kind === 'undone').map((e) => e.undo)).toEqual([UNDO]);
      // The intruder's attempt, made through STS AssumeRole in a session named after the run (steps hand createTarget the run id).
      const denied = audit.find((r) => r.eventName === 'DeleteRecoveryPoint');
      expect(denied).toMatchObject({ errorCode: 'AccessDeniedException', identity: { role: 'intruder', arn: `arn:aws:sts::123456789012:assumed-role/intruder/gameday-${runId}` } });
      expect(audit.filter((r) => r.eventName === 'AssumeRole')).toHaveLength(1);
    },
    CLI_TEST_TIMEOUT,
  );
});
