import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildSimulator, SIM_START } from '../src/aws/sim-target.js';
import { VirtualClock } from '../src/clock/index.js';
import { loadEnvironment, parseEnvironment, resolveAlias, type SimEnvironment } from '../src/env/index.js';
import type { AppModule } from '../src/sim/app/index.js';
import type { RdsModule } from '../src/sim/services/rds/index.js';
import { environmentProblems } from './support/environment.js';

/**
 * The rds-cluster kind (issue 13): an Aurora cluster as an SRE writes it
 * (the writer and its readers, each with its zone and promotion tier),
 * checked with file:line, seeded by the sim, and usable as an orders-api's
 * database (written through its writer).
 */

const root = fileURLToPath(new URL('..', import.meta.url));

const HEAD = `
target: sim
regions: { primary: us-east-1, secondary: us-west-2 }
resources:
`;

const CLUSTER = `  carts:
    kind: rds-cluster
    identifier: acme-carts
    region: us-east-1
    engine: aurora-postgresql
    instanceClass: db.r6g.large
    backupRetentionDays: 7
    writer: { identifier: acme-carts-1, availabilityZone: us-east-1a }
    readers:
      - { identifier: acme-carts-2, availabilityZone: us-east-1b, promotionTier: 0 }
      - { identifier: acme-carts-3, availabilityZone: us-east-1c, promotionTier: 2, instanceClass: db.r6g.xlarge }
`;

const problems = (text: string) => environmentProblems(text);

describe('rds-cluster', () => {
  it("reads SecureCart's checkout cluster: the writer, the readers with their zones and tiers (1 unless said)", async () => {
    const env = await loadEnvironment(path.join(root, 'scenarios/environments/securecart.yaml'));
    expect(resolveAlias(env, 'checkout-cluster', ['rds-cluster'])).toEqual({
      kind: 'rds-cluster',
      alias: 'checkout-cluster',
      identifier: 'securecart-checkout',
      region: 'us-east-1',
      engine: 'aurora-postgresql',
      instanceClass: 'db.r6g.large',
      backupRetentionDays: 7,
      writer: { identifier: 'securecart-checkout-1', availabilityZone: 'us-east-1a', promotionTier: 0 },
      readers: [
        { identifier: 'securecart-checkout-2', availabilityZone: 'us-east-1b', promotionTier: 0 },
        { identifier: 'securecart-checkout-3', availabilityZone: 'us-east-1c', promotionTier: 1, instanceClass: 'db.r6g.xlarge' },
      ],
      tags: { app: 'securecart', tier: 'checkout' },
      subnetIds: [],
    });
    const minimal = await parseEnvironment(`${HEAD}${CLUSTER}`, 'acme.yaml');
    expect(resolveAlias(minimal, 'carts', ['rds-cluster']).writer).toEqual({ identifier: 'acme-carts-1', availabilityZone: 'us-east-1a', promotionTier: 1 });
  });

  it('refuses, naming file and line: a zone outside the region, a tier past 15, an engine that is not Aurora, an instance identifier taken by another database', async () => {
    expect(await problems(`${HEAD}${CLUSTER.replace('availabilityZone: us-east-1b', 'availabilityZone: us-west-2b')}`)).toEqual([
      expect.stringMatching(/^acme\.yaml:14:\d+: resources\.carts\.readers\[0\]\.availabilityZone: us-west-2b is not in the cluster's region, us-east-1$/),
    ]);
    expect(await problems(`${HEAD}${CLUSTER.replace('promotionTier: 2', 'promotionTier: 16')}`)).toEqual([
      expect.stringMatching(/^acme\.yaml:15:\d+: resources\.carts\.readers\[1\]\.promotionTier: .*15/),
    ]);
    expect(await problems(`${HEAD}${CLUSTER.replace('engine: aurora-postgresql', 'engine: postgres')}`)).toEqual([
      expect.stringMatching(/^acme\.yaml:9:\d+: resources\.carts\.engine: .*aurora-postgresql/),
    ]);
    const db = '  orders: { kind: rds-instance, identifier: acme-carts-2, region: us-east-1, engine: postgres, instanceClass: db.r6g.large, allocatedStorageGiB: 100, multiAZ: true, backupRetentionDays: 7 }\n';
    expect(await problems(`${HEAD}${db}${CLUSTER}`)).toEqual([
      expect.stringMatching(/^acme\.yaml:15:\d+: resources\.carts\.readers\[0\]\.identifier: acme-carts-2 is already the identifier of orders in us-east-1; RDS identifiers are unique per account and region$/),
    ]);
  });

  it('refuses DB subnets, naming file and line: one the sim does not declare, all in one zone, none in an instance’s zone', async () => {
    const subnets = (ids: string) => `    subnetIds: [${ids}]\n`;
    const sim = `sim:
  subnets:
    us-east-1:
      - { id: subnet-0aaa0000000000001, availabilityZone: us-east-1a }
      - { id: subnet-0bbb0000000000001, availabilityZone: us-east-1b }
      - { id: subnet-0aaa0000000000002, availabilityZone: us-east-1a }
`;
    expect(await problems(`${HEAD}${CLUSTER}${subnets('subnet-0aaa0000000000001, subnet-0fff0000000000001')}${sim}`)).toEqual([
      expect.stringMatching(
        /^acme\.yaml:16:\d+: resources\.carts\.subnetIds\[1\]: subnet-0fff0000000000001 is not one of the sim's subnets in us-east-1 \(sim\.subnets\.us-east-1: /,
      ),
    ]);
    expect(await problems(`${HEAD}${CLUSTER}${subnets('subnet-0aaa0000000000001, subnet-0aaa0000000000002')}${sim}`)).toEqual([
      expect.stringMatching(/^acme\.yaml:16:\d+: resources\.carts\.subnetIds: a DB subnet group needs subnets in at least two Availability Zones; these are all in us-east-1a$/),
    ]);
    expect(await problems(`${HEAD}${CLUSTER}${subnets('subnet-0aaa0000000000001, subnet-0bbb0000000000001')}${sim}`)).toEqual([
      expect.stringMatching(
        /^acme\.yaml:15:\d+: resources\.carts\.readers\[1\]\.availabilityZone: acme-carts-3 is in us-east-1c, where the cluster's subnetIds have no subnet \(theirs are in "us-east-1a" and "us-east-1b"\); RDS places each instance in its zone's subnet of the DB subnet group$/,
      ),
    ]);
  });

  it('is an orders-api database the sim seeds: the writer, the readers in their zones, and the service writing through the writer', async () => {
    const api = `  orders-api:
    kind: orders-api
    url: https://api.acme.example
    regions:
      us-east-1: { endpoint: orders.us-east-1.acme.internal, database: carts, capacity: full, instances: 2 }
`;
    const env = (await parseEnvironment(`${HEAD}${CLUSTER}${api}`, 'acme.yaml')) as SimEnvironment;
    const sim = buildSimulator({ clock: new VirtualClock({ start: SIM_START }), seed: 42, env });
    const rds = sim.world.module<RdsModule>('rds').model;
    const cluster = rds.cluster('us-east-1', 'acme-carts');
    expect(cluster).toMatchObject({ status: 'available', writerId: 'acme-carts-1', members: ['acme-carts-1', 'acme-carts-2', 'acme-carts-3'] });
    expect(cluster.backup.retentionDays).toBe(7);
    expect(['acme-carts-1', 'acme-carts-2', 'acme-carts-3'].map((id) => rds.instance('us-east-1', id)).map((i) => [i.availabilityZone, i.promotionTier, i.instanceClass])).toEqual([
      ['us-east-1a', 1, 'db.r6g.large'],
      ['us-east-1b', 0, 'db.r6g.large'],
      ['us-east-1c', 2, 'db.r6g.xlarge'],
    ]);
    const app = sim.world.module<AppModule>('app');
    expect(app.service('us-east-1').database).toEqual({ engine: 'rds', region: 'us-east-1', id: 'acme-carts' });
    expect(app.healthOf('us-east-1').healthy).toBe(true);
    rds.failoverDBCluster('us-east-1', { DBClusterIdentifier: 'acme-carts' });
    expect(app.healthOf('us-east-1')).toMatchObject({ healthy: false, reason: 'database-unavailable' });
  });
});
