import { describe, expect, it } from 'vitest';
import { useCliServer } from './support/aws-cli.js';

/**
 * The real AWS CLI v2 against `gameday sim serve` (SecureCart) for issue
 * 13's Aurora part: `rds describe-db-clusters` describes the checkout
 * cluster (its members, writer and promotion tiers, its endpoints), and
 * `rds failover-db-cluster` moves the writer role to the reader Aurora ranks
 * first, within the calibrated tail's ceiling (70 s), with RDS's own
 * error shapes for an unknown cluster and a target that is the writer.
 * Skipped, saying why, where no AWS CLI v2 is installed.
 */

const credentials = { accessKeyId: 'AKIACLIV2TEST0000003', secretAccessKey: 'gameday-sim-secret' };
const CLUSTER = 'securecart-checkout';

const cliServer = useCliServer('test/aws-cli-rds-cluster.test.ts', { credentials, region: 'us-east-1' });
const { cli } = cliServer;
const aws = <T>(...args: string[]) => cliServer.aws<T>(...args);

interface Cluster {
  DBClusterIdentifier: string;
  Status: string;
  Engine: string;
  Endpoint: string;
  ReaderEndpoint: string;
  BackupRetentionPeriod: number;
  DBClusterMembers: { DBInstanceIdentifier: string; IsClusterWriter: boolean; PromotionTier: number }[];
}

async function describeCluster(): Promise<Cluster> {
  const { DBClusters } = await aws<{ DBClusters: Cluster[] }>('rds', 'describe-db-clusters', '--db-cluster-identifier', CLUSTER);
  expect(DBClusters).toHaveLength(1);
  return DBClusters[0]!;
}

/** What the CLI printed on stderr when a call failed. */
async function failure(...args: string[]): Promise<string> {
  try {
    await aws(...args);
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error);
  }
  throw new Error(`aws ${args.join(' ')} succeeded`);
}

describe.skipIf(!cli.path)(`the AWS CLI v2 against gameday sim serve: an Aurora cluster (${cli.why})`, () => {
  it('describes the checkout cluster and fails it over to its tier-0 reader and back; refuses an unknown cluster and a target that is already the writer as RDS does', async () => {
    const before = await describeCluster();
    expect(before).toMatchObject({ Status: 'available', Engine: 'aurora-postgresql', BackupRetentionPeriod: 7 });
    expect(before.Endpoint).toMatch(/^securecart-checkout\.cluster-c[a-z0-9]{11}\.us-east-1\.rds\.amazonaws\.com$/);
    expect(before.ReaderEndpoint).toMatch(/^securecart-checkout\.cluster-ro-c[a-z0-9]{11}\.us-east-1\.rds\.amazonaws\.com$/);
    expect(before.DBClusterMembers.map((m) => [m.DBInstanceIdentifier, m.IsClusterWriter, m.PromotionTier])).toEqual([
      ['securecart-checkout-1', true, 0],
      ['securecart-checkout-2', false, 0],
      ['securecart-checkout-3', false, 1],
    ]);

    // RDS's error shapes, as the CLI prints them. (A second failover while one runs, InvalidDBClusterStateFault, is
    // tested through the SDK on a virtual clock: this server's clock runs on at real time between CLI calls.)
    expect(await failure('rds', 'describe-db-clusters', '--db-cluster-identifier', 'ghost')).toMatch(/\(DBClusterNotFoundFault\) when calling the DescribeDBClusters operation: DBCluster ghost not found/);
    expect(await failure('rds', 'failover-db-cluster', '--db-cluster-identifier', 'ghost')).toMatch(/\(DBClusterNotFoundFault\) when calling the FailoverDBCluster operation/);
    expect(
      await failure('rds', 'failover-db-cluster', '--db-cluster-identifier', CLUSTER, '--target-db-instance-identifier', 'securecart-checkout-1'),
    ).toMatch(/\(InvalidParameterValue\) when calling the FailoverDBCluster operation: DB instance securecart-checkout-1 is already the writer/);

    const started = await aws<{ DBCluster: Cluster }>('rds', 'failover-db-cluster', '--db-cluster-identifier', CLUSTER);
    expect(started.DBCluster.Status).toBe('failing-over');

    // Over by the calibrated tail's ceiling (70 s); the server's clock also runs on at real time, so no lower bound is read here.
    await cliServer.advance(75);
    const after = await describeCluster();
    expect(after.Status).toBe('available');
    expect(after.DBClusterMembers.filter((m) => m.IsClusterWriter).map((m) => m.DBInstanceIdentifier)).toEqual(['securecart-checkout-2']);
    const { DBInstances } = await aws<{ DBInstances: { AvailabilityZone: string }[] }>('rds', 'describe-db-instances', '--db-instance-identifier', 'securecart-checkout-2');
    expect(DBInstances[0]!.AvailabilityZone).toBe('us-east-1b');

    // Back to the writer it had, by name.
    await aws('rds', 'failover-db-cluster', '--db-cluster-identifier', CLUSTER, '--target-db-instance-identifier', 'securecart-checkout-1');
    await cliServer.advance(75);
    expect((await describeCluster()).DBClusterMembers.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier).toBe('securecart-checkout-1');
  }, 240_000);
});
