import { CreateExperimentTemplateCommand, FisClient, GetExperimentCommand, StartExperimentCommand } from '@aws-sdk/client-fis';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { buildSimulator, SIM_START } from '../src/aws/sim-target.js';
import { createSimTarget } from '../src/aws/targets.js';
import { VirtualClock } from '../src/clock/index.js';
import { parseEnvironment, type SimEnvironment } from '../src/env/index.js';
import type { AppModule } from '../src/sim/app/index.js';
import { defaultCalibration, longestSeconds } from '../src/sim/calibration.js';
import { DatabaseUnavailableError, type RdsModule } from '../src/sim/services/rds/index.js';
import { ACCOUNT, EAST } from './support/sim.js';
import { MINUTE, SECOND } from './support/time.js';
import { transports, useTransport } from './support/transport.js';

/**
 * An Aurora cluster's instances live in its DB subnet group's subnets, one
 * per zone (issue 13), so FIS's aws:network:disrupt-connectivity on the
 * writer's zone cuts the writer off as it does an rds-instance's primary:
 * writes through the cluster endpoint fail for the disruption's length, RDS
 * does not fail over (the writer still runs), and the same writer takes
 * writes again after. A reader in another zone is not touched.
 */

const SUBNETS = { a: 'subnet-0aaa0000000000001', b: 'subnet-0bbb0000000000001', c: 'subnet-0ccc0000000000001' };

const ENVIRONMENT = `
target: sim
regions: { primary: us-east-1, secondary: us-west-2 }
resources:
  carts:
    kind: rds-cluster
    identifier: acme-carts
    region: us-east-1
    engine: aurora-postgresql
    instanceClass: db.r6g.large
    backupRetentionDays: 7
    subnetIds: [${SUBNETS.a}, ${SUBNETS.b}, ${SUBNETS.c}]
    writer: { identifier: acme-carts-1, availabilityZone: us-east-1a, promotionTier: 0 }
    readers:
      - { identifier: acme-carts-2, availabilityZone: us-east-1b, promotionTier: 0 }
      - { identifier: acme-carts-3, availabilityZone: us-east-1c, promotionTier: 1 }
    tags: { app: acme }
  orders-api:
    kind: orders-api
    url: https://api.acme.example
    regions:
      us-east-1: { endpoint: orders.us-east-1.acme.internal, database: carts, capacity: full, instances: 2 }
sim:
  subnets:
    us-east-1:
      - { id: ${SUBNETS.a}, availabilityZone: us-east-1a, tags: { app: acme } }
      - { id: ${SUBNETS.b}, availabilityZone: us-east-1b, tags: { app: acme } }
      - { id: ${SUBNETS.c}, availabilityZone: us-east-1c, tags: { app: acme } }
`;

const initiating = longestSeconds(defaultCalibration['fis.experiment.initiating']) * SECOND;

const acmeEnvironment = async () => (await parseEnvironment(ENVIRONMENT, 'acme.yaml')) as SimEnvironment;

async function acme() {
  const env = await acmeEnvironment();
  const clock = new VirtualClock({ start: SIM_START });
  const sim = buildSimulator({ clock, seed: 42, env });
  return { clock, sim, rdsModel: sim.world.module<RdsModule>('rds').model, app: sim.world.module<AppModule>('app') };
}

/** Start an FIS experiment that cuts the us-east-1a subnets off for ten minutes (aws:network:disrupt-connectivity); its id. */
async function cutWriterZone(fis: FisClient): Promise<string> {
  const { experimentTemplate } = await fis.send(
    new CreateExperimentTemplateCommand({
      description: 'cut the writer’s zone off for ten minutes',
      roleArn: `arn:aws:iam::${ACCOUNT}:role/gameday-fis`,
      stopConditions: [{ source: 'none' }],
      targets: {
        'zone-a': {
          resourceType: 'aws:ec2:subnet',
          resourceTags: { app: 'acme' },
          filters: [{ path: 'AvailabilityZone', values: ['us-east-1a'] }],
          selectionMode: 'ALL',
        },
      },
      actions: { cut: { actionId: 'aws:network:disrupt-connectivity', parameters: { duration: 'PT10M', scope: 'all' }, targets: { Subnets: 'zone-a' } } },
    }),
  );
  const { experiment } = await fis.send(new StartExperimentCommand({ experimentTemplateId: experimentTemplate!.id }));
  return experiment!.id!;
}

/** What the canary's write to the cluster meets: undefined when it is committed, else the refusal's reason. */
function writeRefusal(rdsModel: RdsModule['model'], seq: number): string | undefined {
  try {
    rdsModel.write(EAST, 'acme-carts', { key: `canary-${seq}`, value: 'placed' });
    return undefined;
  } catch (error) {
    if (error instanceof DatabaseUnavailableError) return error.reason;
    throw error;
  }
}

describe.each(transports)('an Aurora cluster in its subnets, over the %s transport', (transport) => {
  const via = useTransport(transport);

  it('answers its DB subnet group: the cluster by name and its AZs, each member with the group’s subnets and the zone it is in', async () => {
    const { sim, clock } = await acme();
    const rds = new RDSClient(await via.config(sim, clock, EAST));
    const { DBClusters } = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'acme-carts' }));
    expect(DBClusters![0]).toMatchObject({ DBSubnetGroup: 'acme-carts-subnets', AvailabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] });
    const { DBInstances } = await rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: ['acme-carts'] }] }));
    expect(DBInstances!.map((i) => [i.DBInstanceIdentifier, i.AvailabilityZone])).toEqual([
      ['acme-carts-1', 'us-east-1a'],
      ['acme-carts-2', 'us-east-1b'],
      ['acme-carts-3', 'us-east-1c'],
    ]);
    for (const instance of DBInstances!) {
      expect(instance.DBSubnetGroup).toEqual({
        DBSubnetGroupName: 'acme-carts-subnets',
        DBSubnetGroupDescription: 'Subnets of acme-carts',
        SubnetGroupStatus: 'Complete',
        Subnets: [
          { SubnetIdentifier: SUBNETS.a, SubnetAvailabilityZone: { Name: 'us-east-1a' }, SubnetStatus: 'Active' },
          { SubnetIdentifier: SUBNETS.b, SubnetAvailabilityZone: { Name: 'us-east-1b' }, SubnetStatus: 'Active' },
          { SubnetIdentifier: SUBNETS.c, SubnetAvailabilityZone: { Name: 'us-east-1c' }, SubnetStatus: 'Active' },
        ],
      });
    }
  });

  it('disrupt-connectivity on the writer’s zone: writes through the cluster endpoint fail for its duration, no failover, the same writer after; the readers elsewhere answer throughout', async () => {
    const { sim, clock, rdsModel, app } = await acme();
    const config = await via.config(sim, clock, EAST);
    const rds = new RDSClient(config);
    const fis = new FisClient(config);
    const cluster = async () => (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'acme-carts' }))).DBClusters![0]!;
    const writerId = async () => (await cluster()).DBClusterMembers!.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier;

    expect(writeRefusal(rdsModel, 1)).toBeUndefined();
    expect(app.healthOf(EAST).healthy).toBe(true);
    const experimentId = await cutWriterZone(fis);
    await clock.advance(initiating + MINUTE);

    expect(sim.world.faults.isSubnetUp(SUBNETS.a)).toBe(false);
    expect(writeRefusal(rdsModel, 2)).toBe('subnet-down');
    expect(rdsModel.whyNotWritable(EAST, 'acme-carts')?.message).toBe(`acme-carts-1 (us-east-1) is unreachable: its subnet ${SUBNETS.a} is disrupted.`);
    expect(app.healthOf(EAST)).toMatchObject({ healthy: false, reason: 'database-unreachable' });
    expect(rdsModel.isReachable(EAST, 'acme-carts-2')).toBe(true);
    expect(rdsModel.isReachable(EAST, 'acme-carts-3')).toBe(true);
    // The control plane still answers: the cluster is available, its writer unchanged.
    expect((await cluster()).Status).toBe('available');
    expect(await writerId()).toBe('acme-carts-1');

    // Up to the disruption's last instant the writer stays cut off and RDS leaves it the writer.
    await clock.advance(8 * MINUTE);
    expect(writeRefusal(rdsModel, 3)).toBe('subnet-down');
    await clock.advance(2 * MINUTE);
    expect((await fis.send(new GetExperimentCommand({ id: experimentId }))).experiment?.state?.status).toBe('completed');
    expect(sim.world.faults.isSubnetUp(SUBNETS.a)).toBe(true);
    expect(writeRefusal(rdsModel, 4)).toBeUndefined();
    expect(app.healthOf(EAST).healthy).toBe(true);
    expect(await writerId()).toBe('acme-carts-1');
    expect(sim.world.events.filter((e) => e.kind === 'rds.failover.started')).toEqual([]);
    // The writes the writer took before and after are on the cluster's volume; those refused are not.
    expect(rdsModel.writesOf(EAST, 'acme-carts').map((w) => w.key)).toEqual(['canary-1', 'canary-4']);
  });
});

it('the canary sees it: a run on the sim target has its orders refused through the cluster endpoint while the writer is cut off, and taken again after', async () => {
  const target = createSimTarget({ env: await acmeEnvironment(), seed: 42, speed: 'max' });
  const db = { region: EAST, identifier: 'acme-carts' };
  try {
    await target.clock.run('test', async () => {
      expect(await target.orders.write(db, 1)).toEqual({ ok: true });
      await cutWriterZone(target.clients.fis(EAST));
      await target.clock.sleep(initiating + MINUTE);
      expect(await target.orders.write(db, 2)).toEqual({ ok: false, error: `acme-carts-1 (us-east-1) is unreachable: its subnet ${SUBNETS.a} is disrupted.` });
      await target.clock.sleep(10 * MINUTE);
      expect(await target.orders.write(db, 3)).toEqual({ ok: true });
      expect(await target.orders.readBack(db)).toEqual([1, 3]);
    });
  } finally {
    target.close();
  }
});
