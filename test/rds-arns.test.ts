import {
  BackupClient,
  CreateBackupVaultCommand,
  DeleteRecoveryPointCommand,
  DescribeBackupJobCommand,
  StartBackupJobCommand,
} from '@aws-sdk/client-backup';
import {
  DBClusterNotFoundFault,
  DBInstanceNotFoundFault,
  DBSnapshotNotFoundFault,
  DeleteDBSnapshotCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  FailoverDBClusterCommand,
  RDSClient,
  RDSServiceException,
} from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { createSimulator } from '../src/sim/index.js';
import { createBackupModule } from '../src/sim/services/backup/index.js';
import { createRdsModule, type RdsModule } from '../src/sim/services/rds/index.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { ACCOUNT, EAST, ROLE, rejection } from './support/backup.js';
import { START } from './support/sim.js';

/**
 * RDS resolves a resource named by ARN only in its own account and region:
 * instances, clusters and snapshots alike, one lookup path for all three.
 * And a snapshot AWS Backup made is SnapshotType `awsbackup`, which only AWS
 * Backup deletes.
 */

const OTHER = '210987654321';

async function setupOver(via: TransportHarness) {
  const clock = new VirtualClock({ start: START });
  const sim = createSimulator({ clock, seed: 42, services: [createRdsModule, createBackupModule] });
  const model = sim.world.module<RdsModule>('rds').model;
  model.seedInstance({ identifier: 'orders-db', region: EAST });
  model.seedCluster({ identifier: 'orders-cluster', region: EAST, engine: 'aurora-postgresql' });
  return { clock, sim, model, rds: new RDSClient(await via.config(sim, clock, EAST)), backup: new BackupClient(await via.config(sim, clock, EAST)) };
}

describe.each(transports)('RDS lookups by ARN over the %s transport', (transport) => {
  const via = useTransport(transport);

  it('a cluster ARN of another account is DBClusterNotFoundFault, as an instance ARN of another account is DBInstanceNotFoundFault', async () => {
    const { rds } = await setupOver(via);
    const own = `arn:aws:rds:${EAST}:${ACCOUNT}:cluster:orders-cluster`;
    const foreign = `arn:aws:rds:${EAST}:${OTHER}:cluster:orders-cluster`;
    expect((await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: own }))).DBClusters?.[0]?.DBClusterIdentifier).toBe('orders-cluster');
    const described = await rejection(rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: foreign })), DBClusterNotFoundFault);
    expect(described.$metadata.httpStatusCode).toBe(404);
    expect(described.message).toContain(foreign);
    await rejection(rds.send(new FailoverDBClusterCommand({ DBClusterIdentifier: foreign })), DBClusterNotFoundFault);
    // Another region's ARN names nothing here either.
    await rejection(rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: `arn:aws:rds:us-west-2:${ACCOUNT}:cluster:orders-cluster` })), DBClusterNotFoundFault);

    expect((await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: `arn:aws:rds:${EAST}:${ACCOUNT}:db:orders-db` }))).DBInstances).toHaveLength(1);
    await rejection(rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: `arn:aws:rds:${EAST}:${OTHER}:db:orders-db` })), DBInstanceNotFoundFault);
  });

  it('a snapshot ARN of another account is DBSnapshotNotFoundFault', async () => {
    const { rds, model } = await setupOver(via);
    model.seedDBSnapshot({ region: EAST, instanceId: 'orders-db', snapshotId: 'orders-before-release', createdAt: START - 3_600_000 });
    const own = `arn:aws:rds:${EAST}:${ACCOUNT}:snapshot:orders-before-release`;
    const found = (await rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: own }))).DBSnapshots![0]!;
    expect(found).toMatchObject({ SnapshotType: 'manual', Status: 'available', SnapshotCreateTime: new Date(START - 3_600_000) });
    await rejection(
      rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: `arn:aws:rds:${EAST}:${OTHER}:snapshot:orders-before-release` })),
      DBSnapshotNotFoundFault,
    );
  });

  it('a snapshot AWS Backup made is SnapshotType awsbackup: listed as such, not deletable through RDS, deleted with its recovery point', async () => {
    const { rds, backup, clock } = await setupOver(via);
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: 'vault' }));
    const { BackupJobId } = await backup.send(new StartBackupJobCommand({ BackupVaultName: 'vault', ResourceArn: `arn:aws:rds:${EAST}:${ACCOUNT}:db:orders-db`, IamRoleArn: ROLE }));
    const job = async () => backup.send(new DescribeBackupJobCommand({ BackupJobId: BackupJobId! }));
    while ((await job()).State !== 'COMPLETED') await clock.advance(30_000);
    const arn = (await job()).RecoveryPointArn!;
    const id = arn.split(':snapshot:')[1]!;
    expect(id).toBe(`awsbackup:job-${BackupJobId!.toLowerCase()}`);

    const ids = async (SnapshotType?: string) => ((await rds.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: 'orders-db', SnapshotType }))).DBSnapshots ?? []).map((s) => s.DBSnapshotIdentifier);
    expect(await ids('awsbackup')).toEqual([id]);
    expect(await ids('manual')).toEqual([]);
    expect(await ids()).toContain(id);

    const refused = await rejection(rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: id })), RDSServiceException);
    expect(refused.name).toBe('InvalidParameterValue');
    expect(refused.message).toContain('AWS Backup');
    expect(await ids('awsbackup')).toEqual([id]);

    await backup.send(new DeleteRecoveryPointCommand({ BackupVaultName: 'vault', RecoveryPointArn: arn }));
    expect(await ids('awsbackup')).toEqual([]);
  });
});
