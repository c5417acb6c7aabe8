import { DescribeDBInstancesCommand, RDSClient, type DBInstance } from '@aws-sdk/client-rds';
import { CreateExperimentTemplateCommand, FisClient, GetExperimentCommand, StartExperimentCommand } from '@aws-sdk/client-fis';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSimulator, requireSimEnvironment, SIM_START } from '../src/aws/sim-target.js';
import { VirtualClock } from '../src/clock/index.js';
import { loadEnvironment, resolveAlias, resolveFault, type SimEnvironment } from '../src/env/index.js';
import type { Simulator } from '../src/sim/index.js';
import type { CloudWatchModule } from '../src/sim/services/cloudwatch/index.js';
import { fisReasons } from '../src/sim/services/fis/index.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { MINUTE, SECOND } from './support/time.js';

/**
 * A stop condition firing while an FIS experiment's RDS failover is under
 * way: FIS stops the experiment, RDS finishes the failover it started (an
 * instance does not un-fail-over because the experiment that asked for it
 * was halted).
 */

let env: SimEnvironment;
beforeAll(async () => {
  env = requireSimEnvironment(await loadEnvironment('scenarios/environments/securecart.yaml'));
});

/** The game day's abort switch: an alarm in ALARM, set the way each transport can. */
async function raiseAlarm(via: TransportHarness, sim: Simulator, clock: VirtualClock, alarmArn: string, reason: string): Promise<void> {
  if (via.transport === 'in-process') {
    sim.world.module<CloudWatchModule>('cloudwatch').setAlarmState(alarmArn, 'ALARM', reason);
    return;
  }
  const { url } = await via.server(sim, clock);
  const name = alarmArn.split(':').pop();
  const response = await fetch(`${url}/_gameday/alarms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ alarm: name, state: 'ALARM', region: 'us-east-1', reason }),
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ alarm: alarmArn, state: 'ALARM' });
}

describe.each(transports)('an FIS stop condition during an RDS failover, over the %s transport', (transport) => {
  const via = useTransport(transport);

  it('stops the experiment with its reason, and the failover still completes in the other AZ within 60–120 s', async () => {
    const clock = new VirtualClock({ start: SIM_START });
    const sim = buildSimulator({ clock, seed: 42, env });
    const orders = resolveAlias(env, 'orders-db', ['rds-instance']);
    const fault = resolveFault(env, 'rds-reboot-with-failover');
    const alarmArn = env.stopConditions[0]!.value;
    const rds = new RDSClient(await via.config(sim, clock, orders.region));
    const fis = new FisClient(await via.config(sim, clock, fault.region));
    const describe1 = async (): Promise<DBInstance> =>
      (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: orders.identifier }))).DBInstances![0]!;

    const before = await describe1();
    expect(before).toMatchObject({ DBInstanceStatus: 'available', MultiAZ: true });
    const { experimentTemplate } = await fis.send(
      new CreateExperimentTemplateCommand({
        description: 'reboot orders-db with failover, then hold for ten minutes',
        roleArn: fault.template.roleArn,
        stopConditions: [{ source: 'aws:cloudwatch:alarm', value: alarmArn }],
        targets: { db: { resourceType: 'aws:rds:db', resourceTags: { app: 'securecart', tier: 'critical' }, selectionMode: 'ALL' } },
        actions: {
          reboot: { actionId: 'aws:rds:reboot-db-instances', parameters: { forceFailover: 'true' }, targets: { DBInstances: 'db' } },
          hold: { actionId: 'aws:fis:wait', parameters: { duration: 'PT10M' }, startAfter: ['reboot'] },
        },
      }),
    );
    const { experiment } = await fis.send(new StartExperimentCommand({ experimentTemplateId: experimentTemplate!.id }));
    const id = experiment!.id!;

    // Past initiating (at most 8 s): the reboot completed once the failover began, the hold runs.
    await clock.advance(10 * SECOND);
    const running = (await fis.send(new GetExperimentCommand({ id }))).experiment!;
    expect(running.state?.status).toBe('running');
    expect(running.actions?.['reboot']?.state?.status).toBe('completed');
    expect(running.actions?.['hold']?.state?.status).toBe('running');
    expect((await describe1()).DBInstanceStatus).toBe('rebooting');

    await clock.advance(20 * SECOND);
    const stoppedAt = clock.now();
    await raiseAlarm(via, sim, clock, alarmArn, 'the game day was aborted');

    const stopped = (await fis.send(new GetExperimentCommand({ id }))).experiment!;
    expect(stopped.state).toEqual({ status: 'stopped', reason: fisReasons.stoppedByCondition(alarmArn) });
    expect(stopped.state?.reason).toContain(alarmArn);
    expect(stopped.actions?.['reboot']?.state?.status).toBe('completed');
    expect(stopped.actions?.['hold']?.state?.status).toBe('stopped');
    expect(stopped.endTime).toEqual(new Date(stoppedAt));
    // The failover the experiment started runs on: RDS does not undo it.
    expect((await describe1()).DBInstanceStatus).toBe('rebooting');

    await clock.advance(2 * MINUTE);
    const after = await describe1();
    expect(after.DBInstanceStatus).toBe('available');
    expect(after.AvailabilityZone).toBe(before.SecondaryAvailabilityZone);
    expect(after.SecondaryAvailabilityZone).toBe(before.AvailabilityZone);
    const started = sim.world.events.find((e) => e.kind === 'rds.failover.started')!;
    const completed = sim.world.events.find((e) => e.kind === 'rds.failover.completed')!;
    expect(started.detail).toMatchObject({ id: orders.identifier, from: before.AvailabilityZone, to: before.SecondaryAvailabilityZone });
    expect(completed.at).toBeGreaterThan(stoppedAt);
    expect(completed.at - started.at).toBeGreaterThanOrEqual(60 * SECOND);
    expect(completed.at - started.at).toBeLessThanOrEqual(120 * SECOND);
    // Nothing else of the experiment happened after it stopped.
    const experimentStates = sim.world.events.filter((e) => e.kind === 'fis.experiment.state').map((e) => e.detail['status']);
    expect(experimentStates).toEqual(['pending', 'initiating', 'running', 'stopping', 'stopped']);
  });
});
