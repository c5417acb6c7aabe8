import { AwsError } from '../../types.js';

/**
 * AWS Backup's errors. The codes are the SDK's modeled exception names, so
 * the real client throws ResourceNotFoundException,
 * InvalidParameterValueException and so on; all are client faults (400)
 * except ServiceUnavailableException.
 */
export const backupErrors = {
  vaultNotFound: (name: string) => new AwsError('ResourceNotFoundException', `Backup vault with the name ${name} was not found.`, 400),
  planNotFound: (id: string) => new AwsError('ResourceNotFoundException', `Failed reading Backup plan with provided version ${id}`, 400),
  selectionNotFound: (id: string) => new AwsError('ResourceNotFoundException', `Backup selection ${id} was not found.`, 400),
  jobNotFound: (kind: 'Backup' | 'Copy' | 'Restore', id: string) =>
    new AwsError('ResourceNotFoundException', `${kind} job with the ID ${id} was not found.`, 400),
  recoveryPointNotFound: (arn: string) => new AwsError('ResourceNotFoundException', `Recovery point ${arn} was not found.`, 400),
  alreadyExists: (message: string) => new AwsError('AlreadyExistsException', message, 400),
  invalidParameterValue: (message: string) => new AwsError('InvalidParameterValueException', message, 400),
  missingParameter: (name: string) => new AwsError('MissingParameterValueException', `The parameter ${name} is required.`, 400),
  invalidRequest: (message: string) => new AwsError('InvalidRequestException', message, 400),
  invalidResourceState: (message: string) => new AwsError('InvalidResourceStateException', message, 400),
  resourceNotFound: (message: string) => new AwsError('ResourceNotFoundException', message, 400),
  conflict: (message: string) => new AwsError('ConflictException', message, 400),
  limitExceeded: (message: string) => new AwsError('LimitExceededException', message, 400),
};
