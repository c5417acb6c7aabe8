import { AwsError } from '../../types.js';

/**
 * RDS's errors with the codes it puts on the wire. Where the SDK models a
 * fault, the code is the fault's `awsQueryError` code (`DBInstanceNotFound`,
 * not `DBInstanceNotFoundFault`) and the status its HTTP status, so the SDK
 * throws the typed exception; `InvalidParameterValue` and
 * `InvalidParameterCombination` are common errors the SDK has no class for.
 */
export const rdsErrors = {
  dbInstanceNotFound: (id: string) => new AwsError('DBInstanceNotFound', `DBInstance ${id} not found.`, 404),
  dbInstanceAlreadyExists: () => new AwsError('DBInstanceAlreadyExists', 'DB instance already exists', 400),
  invalidDBInstanceState: (message: string) => new AwsError('InvalidDBInstanceState', message, 400),
  dbSnapshotNotFound: (id: string) => new AwsError('DBSnapshotNotFound', `DBSnapshot ${id} not found.`, 404),
  dbSnapshotAlreadyExists: (id: string) =>
    new AwsError('DBSnapshotAlreadyExists', `Cannot create the snapshot because a snapshot with the identifier ${id} already exists.`, 400),
  invalidDBSnapshotState: (message: string) => new AwsError('InvalidDBSnapshotState', message, 400),
  dbClusterNotFound: (id: string) => new AwsError('DBClusterNotFoundFault', `DBCluster ${id} not found.`, 404),
  dbClusterAlreadyExists: () => new AwsError('DBClusterAlreadyExistsFault', 'DB Cluster already exists', 400),
  invalidDBClusterState: (message: string) => new AwsError('InvalidDBClusterStateFault', message, 400),
  automatedBackupNotFound: (what: string) =>
    new AwsError('DBInstanceAutomatedBackupNotFound', `No automated backup found for ${what}.`, 404),
  pointInTimeRestoreNotEnabled: (id: string) =>
    new AwsError('PointInTimeRestoreNotEnabled', `Point-in-time restore is not enabled for DB instance ${id}: it has no automated backups.`, 400),
  /**
   * A restore time outside the restorable window. The SDK models
   * `InvalidRestoreFault` for RestoreDBInstanceToPointInTime; RDS's wording
   * for this case is not published, so the message says what is wrong.
   */
  invalidRestore: (message: string) => new AwsError('InvalidRestoreFault', message, 400),
  invalidParameterValue: (message: string) => new AwsError('InvalidParameterValue', message, 400),
  /** A snapshot AWS Backup made goes only through AWS Backup (DeleteRecoveryPoint); the wording is the sim's. */
  managedByBackup: (id: string) =>
    new AwsError(
      'InvalidParameterValue',
      `The snapshot ${id} is managed by AWS Backup and cannot be deleted through the Amazon RDS API. Delete its recovery point with AWS Backup instead.`,
      400,
    ),
  invalidParameterCombination: (message: string) => new AwsError('InvalidParameterCombination', message, 400),
};
