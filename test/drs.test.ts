import {
  ConflictException,
  DescribeJobLogItemsCommand,
  DescribeJobsCommand,
  DescribeRecoveryInstancesCommand,
  DescribeRecoverySnapshotsCommand,
  DescribeSourceServersCommand,
  DisconnectSourceServerCommand,
  DrsClient,
  InitializeServiceCommand,
  StartRecoveryCommand,
  TerminateRecoveryInstancesCommand,
  UninitializedAccountException,
  ValidationException,
  type Job,
  type SourceServer,
} from '@aws-sdk/client-drs';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { defaultCalibration, longestSeconds } from '../src/sim/calibration.js';
import { createSimulator } from '../src/sim/index.js';
import { createDrsModule, type DrsModule } from '../src/sim/services/drs/index.js';
import { createNetworkModule, type NetworkModule } from '../src/sim/services/network/index.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { SECOND, MINUTE } from './support/time.js';
import { EAST, EU, START, WEST } from './support/sim.js';

const HOSTS = ['securecart-backend-1', 'securecart-backend-2'];

async function setupOver(via: TransportHarness, seed = 42) {
  const clock = new VirtualClock({ start: START });
  const sim = createSimulator({ clock, seed, services: [createNetworkModule, createDrsModule] });
  const drs = sim.world.module<DrsModule>('drs').model;
  const servers = HOSTS.map((hostname) =>
    drs.seedSourceServer({ region: WEST, hostname, sourceRegion: EAST, instanceType: 'm6i.large', diskGiB: 100, tags: { app: 'securecart', role: 'backend' } }),
  );
  return {
    clock,
    sim,
    drs,
    servers,
    west: new DrsClient(await via.config(sim, clock, WEST)),
    eu: new DrsClient(await via.config(sim, clock, EU)),
  };
}

type Setup = Awaited<ReturnType<typeof setupOver>>;

async function describeServers(w: Setup): Promise<SourceServer[]> {
  return (await w.west.send(new DescribeSourceServersCommand({}))).items ?? [];
}

async function job(w: Setup, id: string): Promise<Job> {
  const { items } = await w.west.send(new DescribeJobsCommand({ filters: { jobIDs: [id] } }));
  expect(items).toHaveLength(1);
  return items![0]!;
}

/** Seconds of an ISO-8601 duration as DRS writes it (`PT3S`). */
const durationSeconds = (text: string | undefined) => Number(/^PT(\d+)S$/.exec(text ?? '')?.[1] ?? NaN);

/** The longest a launch can take: snapshot, conversion, launch, boot, each at its tail's ceiling. */
const LONGEST_LAUNCH_MS = (['drs.snapshot', 'drs.conversion', 'drs.launch', 'drs.boot'] as const).reduce((sum, key) => sum + longestSeconds(defaultCalibration[key]) * SECOND, 0);

for (const transport of transports) {
  describe(`Elastic Disaster Recovery on the sim (${transport})`, () => {
    const via = useTransport(transport);

    it('lists the source servers replicating continuously into the DR region, their lag in seconds', async () => {
      const w = await setupOver(via);
      const servers = await describeServers(w);
      expect(servers.map((s) => s.sourceProperties?.identificationHints?.hostname)).toEqual(HOSTS);
      for (const server of servers) {
        expect(server.sourceServerID).toMatch(/^s-[0-9a-f]{17}$/);
        expect(server.arn).toBe(`arn:aws:drs:${WEST}:123456789012:source-server/${server.sourceServerID}`);
        expect(server.dataReplicationInfo?.dataReplicationState).toBe('CONTINUOUS');
        expect(server.sourceCloudProperties?.originRegion).toBe(EAST);
        expect(server.lastLaunchResult).toBe('NOT_STARTED');
        const lag = durationSeconds(server.dataReplicationInfo?.lagDuration);
        expect(lag).toBeGreaterThanOrEqual(1);
        expect(lag).toBeLessThanOrEqual(Math.ceil(longestSeconds(defaultCalibration['drs.replication.lag'])));
      }
      // The point-in-time policy is full at t = 0: 10-minute, hourly and daily snapshots.
      const { items: snapshots } = await w.west.send(new DescribeRecoverySnapshotsCommand({ sourceServerID: servers[0]!.sourceServerID, order: 'DESC' }));
      expect(snapshots!.length).toBeGreaterThanOrEqual(6 + 23 + 6);
      expect(Date.parse(snapshots![0]!.timestamp!)).toBeLessThanOrEqual(START);
      expect(Date.parse(snapshots!.at(-1)!.timestamp!)).toBeGreaterThanOrEqual(START - 7 * 86_400_000);
    });

    it('answers UninitializedAccountException where the service was never initialized, until InitializeService', async () => {
      const w = await setupOver(via);
      await expect(w.eu.send(new DescribeSourceServersCommand({}))).rejects.toBeInstanceOf(UninitializedAccountException);
      await w.eu.send(new InitializeServiceCommand({}));
      expect((await w.eu.send(new DescribeSourceServersCommand({}))).items).toEqual([]);
    });

    it('runs a drill: a job whose recovery instances launch in minutes and then answer, from a snapshot holding the source up to its lag', async () => {
      const w = await setupOver(via);
      const ids = w.servers.map((s) => s.id);
      const startedAt = w.clock.now();
      const lagAtStart = w.servers.map((s) => w.drs.replication.lagMs(s, startedAt));
      const { job: started } = await w.west.send(new StartRecoveryCommand({ isDrill: true, sourceServers: ids.map((sourceServerID) => ({ sourceServerID })), tags: { 'gameday:run-id': 'r1' } }));
      expect(started?.jobID).toMatch(/^drsjob-[0-9a-zA-Z]{17}$/);
      expect(started?.initiatedBy).toBe('START_DRILL');
      expect(started?.status).toBe('STARTED');
      expect(started?.participatingServers?.map((p) => p.launchStatus)).toEqual(['PENDING', 'PENDING']);

      // Poll as a user would, every 10 seconds, until the job completes.
      let seen = started!;
      while (seen.status !== 'COMPLETED' && w.clock.now() - startedAt < LONGEST_LAUNCH_MS) {
        await w.clock.advance(10 * SECOND);
        seen = await job(w, started!.jobID!);
      }
      expect(seen.status).toBe('COMPLETED');
      const completedAfter = Date.parse(seen.endDateTime!) - startedAt;
      expect(completedAfter).toBeGreaterThan(2 * MINUTE);
      expect(seen.participatingServers?.map((p) => p.launchStatus)).toEqual(['LAUNCHED', 'LAUNCHED']);

      const instanceIds = seen.participatingServers!.map((p) => p.recoveryInstanceID!);
      const { items: instances } = await w.west.send(new DescribeRecoveryInstancesCommand({ filters: { recoveryInstanceIDs: instanceIds } }));
      expect(instances!.map((i) => [i.sourceServerID, i.ec2InstanceState, i.isDrill, i.jobID])).toEqual(ids.map((id) => [id, 'RUNNING', true, started!.jobID]));
      // The on-demand snapshot was taken as the job started; it holds the source up to the lag then.
      for (const [n, instance] of instances!.entries()) {
        expect(Date.parse(instance.pointInTimeSnapshotDateTime!)).toBe(startedAt);
        const truth = w.drs.recoveryInstanceById(instance.recoveryInstanceID!)!;
        expect(startedAt - truth.consistentAt).toBe(lagAtStart[n]);
      }

      // Booting after launch: the SSM agent is seen a few minutes later, and the servers answer.
      await w.clock.advance(longestSeconds(defaultCalibration['drs.boot']) * SECOND);
      const booted = await job(w, started!.jobID!);
      for (const p of booted.participatingServers!) {
        const discovered = Date.parse(p.launchActionsStatus!.ssmAgentDiscoveryDatetime!);
        expect(discovered).toBeGreaterThan(completedAfter + startedAt - LONGEST_LAUNCH_MS);
        expect(discovered).toBeLessThanOrEqual(w.clock.now());
      }
      const logged = (await w.west.send(new DescribeJobLogItemsCommand({ jobID: started!.jobID! }))).items!.map((i) => i.event);
      expect(logged[0]).toBe('JOB_START');
      expect(logged.at(-1)).toBe('JOB_END');
      for (const event of ['SNAPSHOT_START', 'SNAPSHOT_END', 'CONVERSION_START', 'CONVERSION_END', 'LAUNCH_START']) expect(logged.filter((e) => e === event)).toHaveLength(2);
      const servers = await describeServers(w);
      expect(servers.map((s) => [s.lastLaunchResult, s.recoveryInstanceId, s.lifeCycle?.lastLaunch?.initiated?.type])).toEqual(
        instanceIds.map((id) => ['SUCCEEDED', id, 'DRILL']),
      );

      // Terminating the drill instances: a TERMINATE job, the instances gone once it completes.
      const { job: terminating } = await w.west.send(new TerminateRecoveryInstancesCommand({ recoveryInstanceIDs: instanceIds }));
      expect([terminating?.type, terminating?.initiatedBy]).toEqual(['TERMINATE', 'TERMINATE_RECOVERY_INSTANCES']);
      const shutting = (await w.west.send(new DescribeRecoveryInstancesCommand({}))).items!.map((i) => i.ec2InstanceState);
      expect(shutting).toEqual(['SHUTTING-DOWN', 'SHUTTING-DOWN']);
      await w.clock.advance(longestSeconds(defaultCalibration['drs.terminate']) * SECOND);
      expect((await job(w, terminating!.jobID!)).status).toBe('COMPLETED');
      expect((await w.west.send(new DescribeRecoveryInstancesCommand({}))).items).toEqual([]);
      expect((await job(w, started!.jobID!)).participatingServers!.map((p) => p.launchStatus)).toEqual(['TERMINATED', 'TERMINATED']);
    });

    it('freezes the last consistent point while the source region is down, and recovers from it', async () => {
      const w = await setupOver(via);
      await w.clock.advance(5 * MINUTE);
      const downAt = w.clock.now();
      const frozen = w.servers.map((s) => w.drs.replication.consistentAt(s, downAt));
      w.sim.world.faults.setRegionUp(EAST, false, 'test: us-east-1 is lost');
      await w.clock.advance(20 * MINUTE);
      const servers = await describeServers(w);
      for (const [n, server] of servers.entries()) {
        expect(server.dataReplicationInfo?.dataReplicationState).toBe('DISCONNECTED');
        expect(server.dataReplicationInfo?.dataReplicationError?.error).toBe('AGENT_NOT_SEEN');
        // The lag is now the whole outage plus what it trailed by when it began.
        expect(durationSeconds(server.dataReplicationInfo?.lagDuration)).toBe(Math.ceil((w.clock.now() - frozen[n]!) / SECOND));
        expect(Date.parse(server.lifeCycle!.lastSeenByServiceDateTime!)).toBe(downAt);
      }
      // No point-in-time snapshot is taken of a staging area that holds nothing new.
      const { items: snapshots } = await w.west.send(new DescribeRecoverySnapshotsCommand({ sourceServerID: w.servers[0]!.id, order: 'DESC' }));
      expect(Date.parse(snapshots![0]!.timestamp!)).toBeLessThanOrEqual(downAt);

      const { job: started } = await w.west.send(new StartRecoveryCommand({ isDrill: false, sourceServers: w.servers.map((s) => ({ sourceServerID: s.id })) }));
      expect(started?.initiatedBy).toBe('START_RECOVERY');
      await w.clock.advance(LONGEST_LAUNCH_MS);
      const { items: instances } = await w.west.send(new DescribeRecoveryInstancesCommand({}));
      expect(instances!.map((i) => [i.isDrill, i.ec2InstanceState])).toEqual([
        [false, 'RUNNING'],
        [false, 'RUNNING'],
      ]);
      expect(instances!.map((i) => w.drs.recoveryInstanceById(i.recoveryInstanceID!)!.consistentAt)).toEqual(frozen);

      // Back online: the backlog drains, then replication is continuous again.
      w.sim.world.faults.setRegionUp(EAST, true, 'test: us-east-1 is back');
      expect((await describeServers(w)).map((s) => s.dataReplicationInfo?.dataReplicationState)).toEqual(['BACKLOG', 'BACKLOG']);
      await w.clock.advance(longestSeconds(defaultCalibration['drs.replication.catch-up']) * SECOND);
      const resumed = await describeServers(w);
      expect(resumed.map((s) => s.dataReplicationInfo?.dataReplicationState)).toEqual(['CONTINUOUS', 'CONTINUOUS']);
      for (const server of resumed) expect(durationSeconds(server.dataReplicationInfo?.lagDuration)).toBeLessThanOrEqual(10);
    });

    it('stops replicating a server whose own subnet is cut off (its agent sends over the customer network), the others replicating on', async () => {
      const w = await setupOver(via);
      const network = w.sim.world.module<NetworkModule>('network');
      for (const zone of ['a', 'b', 'c']) network.addSubnet({ id: `subnet-0e1${zone}000000000000${zone === 'a' ? 1 : zone === 'b' ? 2 : 3}`, region: EAST, az: `${EAST}${zone}`, tags: { app: 'securecart' } });
      await w.clock.advance(5 * MINUTE);
      const zone = w.servers[0]!.sourceAvailabilityZone;
      const subnet = network.subnets().find((s) => s.AvailabilityZone === zone)!.SubnetId;
      const inZone = w.servers.map((s) => s.sourceAvailabilityZone === zone);
      w.sim.world.faults.setSubnetUp(subnet, false, 'test: the subnet is isolated');
      await w.clock.advance(10 * MINUTE);
      expect((await describeServers(w)).map((s) => s.dataReplicationInfo?.dataReplicationState)).toEqual(inZone.map((cut) => (cut ? 'DISCONNECTED' : 'CONTINUOUS')));
      w.sim.world.faults.setSubnetUp(subnet, true, 'test: the subnet is back');
      expect((await describeServers(w)).map((s) => s.dataReplicationInfo?.dataReplicationState)).toEqual(inZone.map((cut) => (cut ? 'BACKLOG' : 'CONTINUOUS')));
    });

    it('launches from a point-in-time snapshot when one is named', async () => {
      const w = await setupOver(via);
      const server = w.servers[0]!;
      const { items } = await w.west.send(new DescribeRecoverySnapshotsCommand({ sourceServerID: server.id, order: 'DESC' }));
      const hourAgo = items!.find((s) => Date.parse(s.timestamp!) <= START - 3_600_000)!;
      const { job: started } = await w.west.send(new StartRecoveryCommand({ isDrill: true, sourceServers: [{ sourceServerID: server.id, recoverySnapshotID: hourAgo.snapshotID }] }));
      await w.clock.advance(LONGEST_LAUNCH_MS);
      const { items: instances } = await w.west.send(new DescribeRecoveryInstancesCommand({ filters: { sourceServerIDs: [server.id] } }));
      expect(instances!.map((i) => i.pointInTimeSnapshotDateTime)).toEqual([hourAgo.timestamp]);
      const logged = (await w.west.send(new DescribeJobLogItemsCommand({ jobID: started!.jobID! }))).items!.map((i) => i.event);
      expect(logged).toContain('USING_PREVIOUS_SNAPSHOT');
      expect(logged).not.toContain('SNAPSHOT_START');
    });

    it('refuses a drill on an unknown server, a server not ready for recovery, and a second launch while one runs, in DRS error shapes', async () => {
      const w = await setupOver(via);
      const unknown = await w.west.send(new StartRecoveryCommand({ isDrill: true, sourceServers: [{ sourceServerID: 's-0123456789abcdef0' }] })).catch((e: unknown) => e);
      expect(unknown).toBeInstanceOf(ValidationException);
      expect((unknown as ValidationException).reason).toBe('fieldValidationFailed');
      expect((unknown as ValidationException).fieldList?.[0]?.name).toBe('sourceServers.sourceServerID');
      expect((unknown as ValidationException).$metadata.httpStatusCode).toBe(400);

      const [first, second] = w.servers;
      await w.west.send(new DisconnectSourceServerCommand({ sourceServerID: second!.id }));
      const notReady = await w.west.send(new StartRecoveryCommand({ isDrill: true, sourceServers: [{ sourceServerID: second!.id }] })).catch((e: unknown) => e);
      expect(notReady).toBeInstanceOf(ConflictException);
      expect((notReady as ConflictException).message).toMatch(/not ready for recovery: it was disconnected/);
      expect([(notReady as ConflictException).resourceId, (notReady as ConflictException).resourceType]).toEqual([second!.id, 'SOURCE_SERVER']);
      expect((notReady as ConflictException).$metadata.httpStatusCode).toBe(409);
      // Refused as a whole: the ready server named with it did not start either.
      await expect(w.west.send(new StartRecoveryCommand({ isDrill: true, sourceServers: [{ sourceServerID: first!.id }, { sourceServerID: second!.id }] }))).rejects.toBeInstanceOf(ConflictException);
      expect((await w.west.send(new DescribeJobsCommand({}))).items).toEqual([]);

      await w.west.send(new StartRecoveryCommand({ isDrill: true, sourceServers: [{ sourceServerID: first!.id }] }));
      await expect(w.west.send(new StartRecoveryCommand({ isDrill: true, sourceServers: [{ sourceServerID: first!.id }] }))).rejects.toBeInstanceOf(ConflictException);
      await expect(w.west.send(new TerminateRecoveryInstancesCommand({ recoveryInstanceIDs: ['i-0123456789abcdef0'] }))).rejects.toBeInstanceOf(ValidationException);
    });

    it('replaces a server\'s recovery instance when it is launched again', async () => {
      const w = await setupOver(via);
      const server = w.servers[0]!;
      await w.west.send(new StartRecoveryCommand({ isDrill: true, sourceServers: [{ sourceServerID: server.id }] }));
      await w.clock.advance(LONGEST_LAUNCH_MS);
      const [before] = (await w.west.send(new DescribeRecoveryInstancesCommand({}))).items!;
      await w.west.send(new StartRecoveryCommand({ isDrill: true, sourceServers: [{ sourceServerID: server.id }] }));
      await w.clock.advance(LONGEST_LAUNCH_MS);
      const after = (await w.west.send(new DescribeRecoveryInstancesCommand({}))).items!;
      expect(after).toHaveLength(1);
      expect(after[0]!.recoveryInstanceID).not.toBe(before!.recoveryInstanceID);
    });
  });
}

describe('Elastic Disaster Recovery determinism', () => {
  const via = useTransport('in-process');

  it('gives the same ids, lags and launch times for the same seed, and others for another', async () => {
    const run = async (seed: number) => {
      const w = await setupOver(via, seed);
      await w.west.send(new StartRecoveryCommand({ isDrill: true, sourceServers: w.servers.map((s) => ({ sourceServerID: s.id })) }));
      await w.clock.advance(LONGEST_LAUNCH_MS);
      return JSON.stringify(w.sim.world.events.filter((e) => e.kind.startsWith('drs.')));
    };
    expect(await run(7)).toBe(await run(7));
    expect(await run(7)).not.toBe(await run(8));
  });
});
