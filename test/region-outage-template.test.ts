import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { CreateExperimentTemplateCommand, FisClient, GetExperimentCommand, StartExperimentCommand, type CreateExperimentTemplateCommandInput } from '@aws-sdk/client-fis';
import { DescribeSourceServersCommand, DrsClient } from '@aws-sdk/client-drs';
import { describe, expect, it } from 'vitest';
import { resolveFault } from '../src/env/index.js';
import type { AppModule } from '../src/sim/app/index.js';
import type { RdsModule } from '../src/sim/services/rds/index.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { EAST, securecartOver, WEST } from './support/sim.js';
import { MINUTE, SECOND } from './support/time.js';

/**
 * The region outage the shipped features inject, scenarios/templates/
 * primary-region-outage.json (real FIS actions only), on SecureCart: what
 * each of its actions does to what the features measure comes from the
 * models (subnets, instances, replication), not from a region switch.
 */

async function outage(via: TransportHarness) {
  const { env, clock, sim, config: configIn } = await securecartOver(via);
  const config = await configIn(EAST);
  const fis = new FisClient(config);
  // As the harness has it: the shipped file, its pseudo parameters filled in with the sim's account and region.
  const template = resolveFault(env, 'primary-region-outage').template as CreateExperimentTemplateCommandInput;
  // The abort alarm is the environment's business; this test watches the effects alone.
  const { experimentTemplate } = await fis.send(new CreateExperimentTemplateCommand({ ...template, stopConditions: [{ source: 'none' }] }));
  return { env, clock, sim, fis, config, templateId: experimentTemplate!.id! };
}

describe.each(transports)('the region outage of real FIS actions on SecureCart, over the %s transport', (transport) => {
  const via = useTransport(transport);

  it('cuts the orders database and API off without failing the database over, stops replication at the outage’s instant, and lets it catch up after two hours', async () => {
    const { clock, sim, fis, config, templateId } = await outage(via);
    const rds = sim.world.module<RdsModule>('rds').model;
    const app = sim.world.module<AppModule>('app');
    const rdsEast = new RDSClient(config);
    const drsWest = new DrsClient(await via.config(sim, clock, WEST));
    const zoneBefore = (await rdsEast.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'securecart-orders' }))).DBInstances![0]!.AvailabilityZone;
    // Business as usual: an order every half second until FIS starts the actions, so some are
    // still on their way to the replica (a lag of seconds) at the outage's first instant.
    await clock.advance(MINUTE);
    const { experiment } = await fis.send(new StartExperimentCommand({ experimentTemplateId: templateId }));
    let orders = 0;
    while (!sim.world.events.some((e) => e.kind === 'fis.action.state' && e.detail['status'] === 'running')) {
      if (rds.isWritable(EAST, 'securecart-orders')) rds.write(EAST, 'securecart-orders', { key: `order-${++orders}` });
      await clock.advance(SECOND / 2);
    }
    await clock.advance(10 * SECOND);
    expect((await fis.send(new GetExperimentCommand({ id: experiment!.id! }))).experiment!.state!.status).toBe('running');
    const startedAt = sim.world.events.find((e) => e.kind === 'fis.action.state' && e.detail['status'] === 'running')!.at;

    // No region is down: FIS cannot do that. Its APIs answer; the database says available, in the zone it was in.
    expect(sim.world.events.some((e) => e.kind === 'region.down')).toBe(false);
    const described = (await rdsEast.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'securecart-orders' }))).DBInstances![0]!;
    expect([described.DBInstanceStatus, described.AvailabilityZone]).toEqual(['available', zoneBefore]);
    expect(sim.world.events.some((e) => e.kind.startsWith('rds.failover'))).toBe(false);
    // …but nobody reaches it, nor the orders API in front of it.
    expect(rds.whyNotWritable(EAST, 'securecart-orders')?.reason).toBe('subnet-down');
    expect(app.healthOf(EAST, 'orders-api')).toMatchObject({ healthy: false, reason: 'network-isolated' });
    // The region's instances stop.
    expect(sim.world.events.some((e) => e.kind === 'ec2.instance.state' && e.detail['region'] === EAST && e.detail['state'] === 'stopping')).toBe(true);

    // Replication to us-west-2 stopped at the outage's first instant: the read replica holds back,
    // the global table and the buckets hold their records, the backend servers' agents stop.
    const interrupted = sim.world.events.find((e) => e.kind === 'rds.replication.interrupted' && e.detail['id'] === 'securecart-orders-replica');
    expect(interrupted!.at).toBeGreaterThanOrEqual(startedAt);
    expect(interrupted!.detail['pendingWrites']).toBeGreaterThan(0);
    const committed = rds.writesOf(EAST, 'securecart-orders').length;
    const replicated = () => rds.writesOf(WEST, 'securecart-orders-replica').length;
    expect(replicated()).toBeLessThan(committed);
    const servers = (await drsWest.send(new DescribeSourceServersCommand({}))).items ?? [];
    expect(servers.length).toBe(2);
    for (const server of servers) expect(server.dataReplicationInfo?.dataReplicationState).toBe('DISCONNECTED');

    // Two hours later the network is back, the database takes writes in its own zone, and the
    // replica catches up with what was held back; the experiment completes once the stopped
    // instances have started again.
    await clock.advance(2 * 60 * MINUTE);
    expect(rds.isWritable(EAST, 'securecart-orders')).toBe(true);
    expect(app.healthOf(EAST, 'orders-api').reason).not.toBe('network-isolated');
    expect(sim.world.events.some((e) => e.kind === 'rds.replication.resumed' && e.detail['id'] === 'securecart-orders-replica')).toBe(true);
    await clock.advance(10 * MINUTE);
    expect(rds.replicaLagSeconds(WEST, 'securecart-orders-replica')).toBe(0);
    expect(replicated()).toBe(committed);
    expect((await fis.send(new GetExperimentCommand({ id: experiment!.id! }))).experiment!.state!.status).toBe('completed');
    expect(sim.world.events.some((e) => e.kind.startsWith('rds.failover'))).toBe(false);
  });
});

