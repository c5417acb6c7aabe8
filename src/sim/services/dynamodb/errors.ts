import { AwsJsonError } from '../../protocols/aws-json.js';
import { AwsError } from '../../types.js';
import type { AttributeMap } from './types.js';

/**
 * DynamoDB's errors with the codes and words it puts on the wire. The codes
 * are the SDK's modelled exception names, so the client throws its typed
 * class; ValidationException and SerializationException are framework errors
 * the SDK has no class for (it throws DynamoDBServiceException named so).
 */
export const dynamoErrors = {
  /** Free-form validation, e.g. `One or more parameter values were invalid: …`. */
  validation: (message: string) => new AwsError('ValidationException', message, 400),
  /** A member constraint, worded as DynamoDB's framework words it (member names in lowerCamelCase). */
  constraint: (member: string, constraint: string, value: unknown = null) => {
    const shown = value === null || value === undefined ? 'null' : `'${String(value)}'`;
    return new AwsError(
      'ValidationException',
      `1 validation error detected: Value ${shown} at '${lowerCamel(member)}' failed to satisfy constraint: ${constraint}`,
      400,
    );
  },
  invalidParameters: (why: string) => new AwsError('ValidationException', `One or more parameter values were invalid: ${why}`, 400),
  serialization: (message: string) => new AwsError('SerializationException', message, 400),
  resourceNotFound: (what?: string) =>
    new AwsError('ResourceNotFoundException', what ? `Requested resource not found: ${what}` : 'Requested resource not found', 400),
  tableNotFoundForOperation: (name: string) =>
    new AwsError('ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`, 400),
  resourceInUse: (message: string) => new AwsError('ResourceInUseException', message, 400),
  conditionalCheckFailed: (item?: AttributeMap) =>
    item ? new AwsJsonError('ConditionalCheckFailedException', 'The conditional request failed', 400, { Item: item }) : new AwsError('ConditionalCheckFailedException', 'The conditional request failed', 400),
  tableNotFound: (name: string) => new AwsError('TableNotFoundException', `Table not found: ${name}`, 400),
  tableAlreadyExists: (name: string) => new AwsError('TableAlreadyExistsException', `Table already exists: ${name}`, 400),
  tableInUse: (message: string) => new AwsError('TableInUseException', message, 400),
  pointInTimeRecoveryUnavailable: (name: string) =>
    new AwsError('PointInTimeRecoveryUnavailableException', `Point in time recovery is not enabled for table '${name}'`, 400),
  continuousBackupsUnavailable: (name: string) =>
    new AwsError('ContinuousBackupsUnavailableException', `Backups are being enabled for the table: ${name}. Please retry later`, 400),
  invalidRestoreTime: (message: string) => new AwsError('InvalidRestoreTimeException', message, 400),
  backupNotFound: (arn: string) => new AwsError('BackupNotFoundException', `Backup not found: ${arn}`, 400),
  backupInUse: (message: string) => new AwsError('BackupInUseException', message, 400),
  replicaAlreadyExists: (message: string) => new AwsError('ReplicaAlreadyExistsException', message, 400),
  replicaNotFound: (message: string) => new AwsError('ReplicaNotFoundException', message, 400),
  limitExceeded: (message: string) => new AwsError('LimitExceededException', message, 400),
};

function lowerCamel(path: string): string {
  return path
    .split('.')
    .map((part) => part.charAt(0).toLowerCase() + part.slice(1))
    .join('.');
}
