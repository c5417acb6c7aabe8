import { DescribeDBClustersCommand, DescribeDBInstancesCommand, FailoverDBClusterCommand, RDSClient, RebootDBInstanceCommand } from '@aws-sdk/client-rds';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { buildSimulator, SIM_START } from '../src/aws/sim-target.js';
import { VirtualClock } from '../src/clock/index.js';
import { loadEnvironment, type SimEnvironment } from '../src/env/index.js';
import type { AwsCall, JournalEntry } from '../src/harness/cleanup.js';
import { cleanUpAfter, pendingLabel, pendingUndos } from '../src/run/aftermath.js';
import { finishedRun, lines, removeTemporary, ROOT, RUN_TIMEOUT } from './fixtures/features/run-cli.js';
import { createTransportHarness, STAGING_RUNNER, stagingRunnerEnv } from './support/transport.js';
import { EAST } from './support/sim.js';

/**
 * A run killed while a fault had moved a Multi-AZ primary (issue 17): the
 * scenario's end, which fails it back, never came. Each scenario journals
 * where every primary was as it started (`home`), so `gameday cleanup` can
 * fail back what a fault moved, once the failover the fault started is over.
 */

const ORDERS = 'securecart-orders';
const STAGING_ON_SIM = 'test/fixtures/env/aws/staging-on-sim.yaml';
const SCENARIO = 'features/multi-az-failover.feature:12';
const reboot: AwsCall = { service: 'rds', region: EAST, operation: 'RebootDBInstance', input: { DBInstanceIdentifier: ORDERS, ForceFailover: true } };
const at = new Date(SIM_START).toISOString();
const entry = (kind: JournalEntry['kind'], id: number, home: string, extra: Partial<JournalEntry> = {}): JournalEntry => ({
  runId: 'r-killed',
  scenario: SCENARIO,
  at,
  id,
  kind,
  description: `primary of ${ORDERS} back in ${home}`,
  undo: reboot,
  failBack: true,
  home,
  ...extra,
});

describe('pendingUndos with homes', () => {
  it('a home the scenario end settled is done; one it turned into an undo is that undo; one left open is pending, said to be conditional', () => {
    const settled = [entry('home', 1, 'us-east-1a'), { ...entry('settled', 1, 'us-east-1a'), undo: undefined }];
    expect(pendingUndos(settled)).toEqual([]);
    const failedBack = [entry('home', 1, 'us-east-1a'), entry('undo', 1, 'us-east-1a')];
    expect(pendingUndos(failedBack).map((e) => e.kind)).toEqual(['undo']);
    expect(pendingUndos([...failedBack, { ...entry('undone', 1, 'us-east-1a'), undo: reboot }])).toEqual([]);
    const open = pendingUndos([entry('home', 1, 'us-east-1a')]);
    expect(open.map(pendingLabel)).toEqual([`RebootDBInstance (primary of ${ORDERS} back in us-east-1a, if it moved)`]);
  });
});

describe('gameday cleanup of a run killed during a fault that moved a primary', () => {
  const transport = createTransportHarness('http');
  afterEach(async () => {
    vi.unstubAllEnvs();
    await transport.close();
  });

  async function killedRun(journal: JournalEntry[]) {
    const env = await loadEnvironment(join(ROOT, 'scenarios/environments/securecart.yaml'));
    const clock = new VirtualClock({ start: SIM_START });
    const sim = buildSimulator({ clock, seed: 42, env: env as SimEnvironment });
    const { url } = await transport.server(sim, clock);
    for (const [name, value] of Object.entries(stagingRunnerEnv(url))) vi.stubEnv(name, value);
    const rds = new RDSClient({ region: EAST, endpoint: url, credentials: STAGING_RUNNER, maxAttempts: 1 });
    const dir = await mkdtemp(join(tmpdir(), 'gameday-cleanup-home-'));
    await writeFile(join(dir, 'run.json'), JSON.stringify({ runId: 'r-killed', seed: 0, target: 'aws', environment: 'staging-on-sim', envOverride: STAGING_ON_SIM, envFiles: {}, startedAt: at }));
    const write = (entries: JournalEntry[]) => writeFile(join(dir, 'journal.ndjson'), entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    await write(journal);
    const describe = async () => (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: ORDERS }))).DBInstances![0]!;
    const waits: string[] = [];
    // Real time for `gameday cleanup` is the sim's virtual time here: a sleep moves its clock.
    const cleanup = () => cleanUpAfter(ROOT, dir, { now: () => clock.now(), sleep: (ms) => clock.advance(ms), endpointUrl: url }, () => {}, (message) => waits.push(message));
    const journalNow = async () => lines(await readFile(join(dir, 'journal.ndjson'), 'utf8')).map((line) => JSON.parse(line) as JournalEntry);
    return { sim, clock, rds, describe, write, cleanup, waits, journalNow };
  }

  it('waits for the failover the fault started to end, then fails the primary back to where the scenario found it; a second cleanup has nothing to do', async () => {
    const probe = await killedRun([]);
    const home = (await probe.describe()).AvailabilityZone!;
    await probe.write([entry('home', 1, home)]);
    // The fault's failover, under way as the run was killed.
    await probe.rds.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: ORDERS, ForceFailover: true }));
    expect((await probe.describe()).DBInstanceStatus).toBe('rebooting');

    const outcome = await probe.cleanup();
    expect(outcome).toMatchObject({ pending: 1, undone: 1, failed: [] });
    expect(outcome.steps).toEqual([{ description: `primary of ${ORDERS} back in ${home}`, call: 'rds:RebootDBInstance', outcome: 'done' }]);
    // The fail-back is a failover of its own: cleanup is done once it is over, the primary home and available.
    expect(probe.waits).toEqual([
      `waiting for ${ORDERS} (rebooting) to be available, to know whether its primary is back in ${home}`,
      `waiting for ${ORDERS} (rebooting) to be available with its primary back in ${home}`,
    ]);
    expect(await probe.describe()).toMatchObject({ AvailabilityZone: home, DBInstanceStatus: 'available' });
    expect((await probe.journalNow()).at(-1)).toMatchObject({ kind: 'undone', id: 1, undo: reboot });
    expect(await probe.cleanup()).toMatchObject({ pending: 0, undone: 0, steps: [] });
  });

  const CLUSTER = 'securecart-checkout';
  const failBackTo = (writer: string): AwsCall => ({ service: 'rds', region: EAST, operation: 'FailoverDBCluster', input: { DBClusterIdentifier: CLUSTER, TargetDBInstanceIdentifier: writer } });
  const writerHome = (id: number, writer: string): JournalEntry => ({ ...entry('home', id, writer), description: `writer of ${CLUSTER} back to ${writer}`, undo: failBackTo(writer) });
  const cluster = async (rds: RDSClient) => {
    const found = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: CLUSTER }))).DBClusters![0]!;
    return { status: found.Status, writer: found.DBClusterMembers?.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier };
  };

  it('a cluster whose writer a fault moved: waits for the failover to end, then fails over back to the writer the scenario found', async () => {
    const probe = await killedRun([]);
    const home = (await cluster(probe.rds)).writer!;
    await probe.write([writerHome(1, home)]);
    // The fault's failover (FIS aws:rds:failover-db-cluster), under way as the run was killed.
    await probe.rds.send(new FailoverDBClusterCommand({ DBClusterIdentifier: CLUSTER }));
    expect((await cluster(probe.rds)).status).toBe('failing-over');

    const outcome = await probe.cleanup();
    expect(outcome).toMatchObject({ pending: 1, undone: 1, failed: [] });
    expect(outcome.steps).toEqual([{ description: `writer of ${CLUSTER} back to ${home}`, call: 'rds:FailoverDBCluster', outcome: 'done' }]);
    expect(probe.waits).toEqual([
      `waiting for ${CLUSTER} (failing-over) to be available, to know whether its writer is ${home} again`,
      `waiting for ${CLUSTER} (failing-over) to be available with ${home} writing again`,
    ]);
    const failovers = probe.sim.world.audit.filter((r) => r.eventName === 'FailoverDBCluster');
    expect(failovers).toHaveLength(2);
    // Done means home: the writer is back and the cluster available as cleanup returns.
    expect(await cluster(probe.rds)).toEqual({ status: 'available', writer: home });
    expect((await probe.journalNow()).at(-1)).toMatchObject({ kind: 'undone', id: 1, undo: failBackTo(home) });
    expect(await probe.cleanup()).toMatchObject({ pending: 0, undone: 0, steps: [] });
  });

  it('a cluster whose writer never moved is not failed over: its home is settled', async () => {
    const probe = await killedRun([]);
    const home = (await cluster(probe.rds)).writer!;
    await probe.write([writerHome(1, home)]);
    const audited = probe.sim.world.audit.length;
    expect(pendingUndos(await probe.journalNow()).map(pendingLabel)).toEqual([`FailoverDBCluster (writer of ${CLUSTER} back to ${home}, if it moved)`]);

    const outcome = await probe.cleanup();
    expect(outcome.steps).toEqual([{ description: `writer of ${CLUSTER} back to ${home}`, call: 'rds:FailoverDBCluster', outcome: 'already done' }]);
    expect(probe.sim.world.audit.slice(audited).map((r) => r.eventName)).not.toContain('FailoverDBCluster');
    expect((await probe.journalNow()).at(-1)).toMatchObject({ kind: 'settled', id: 1 });
  });

  it('a primary the fault never moved is not touched: its home is settled', async () => {
    const probe = await killedRun([]);
    const home = (await probe.describe()).AvailabilityZone!;
    await probe.write([entry('home', 1, home)]);
    const audited = probe.sim.world.audit.length;

    const outcome = await probe.cleanup();
    expect(outcome.steps).toEqual([{ description: `primary of ${ORDERS} back in ${home}`, call: 'rds:RebootDBInstance', outcome: 'already done' }]);
    expect(probe.sim.world.audit.slice(audited).map((r) => r.eventName)).not.toContain('RebootDBInstance');
    expect((await probe.journalNow()).at(-1)).toMatchObject({ kind: 'settled', id: 1 });
    expect(await probe.cleanup()).toMatchObject({ pending: 0 });
  });
});

describe('a scenario whose fault moves a cluster writer', () => {
  afterAll(removeTemporary);

  it(
    'journals the writer as the scenario starts, and its end fails the cluster back to it: home, then undo and undone under one id; the drill’s own fail-back is not doubled',
    async () => {
      const { run, dir } = await finishedRun(['features/aurora-cluster-failover.feature', '--seed', '42', '--ui', 'plain']);
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      const entries = lines(dir.journal).map((line) => JSON.parse(line) as JournalEntry);
      const homes = entries.filter((e) => e.kind === 'home' && e.undo?.operation === 'FailoverDBCluster');
      expect(homes.map((e) => e.description)).toEqual(['writer of securecart-checkout back to securecart-checkout-1', 'writer of securecart-checkout back to securecart-checkout-1']);
      const [fault, drill] = homes.map((home) => entries.filter((e) => e.scenario === home.scenario && e.id === home.id).map((e) => e.kind));
      // FIS moved the writer: the scenario's end fails it back.
      expect(fault).toEqual(['home', 'undo', 'undone']);
      expect(entries.find((e) => e.scenario === homes[0]!.scenario && e.kind === 'undone' && e.id === homes[0]!.id)?.undo).toEqual({
        service: 'rds',
        region: 'us-east-1',
        operation: 'FailoverDBCluster',
        input: { DBClusterIdentifier: 'securecart-checkout', TargetDBInstanceIdentifier: 'securecart-checkout-1' },
      });
      // The drill journalled its own fail-back with its failover: the home is settled.
      expect(drill).toEqual(['home', 'settled']);
    },
    RUN_TIMEOUT,
  );
});
