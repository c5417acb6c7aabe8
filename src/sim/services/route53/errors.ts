import { AwsError } from '../../types.js';

/**
 * Route 53's errors with the codes and HTTP statuses of the SDK's error
 * schemas (`@aws-sdk/client-route-53`), so the SDK throws the typed
 * exception. Messages follow Route 53's own wording where it is known.
 */
export const route53Errors = {
  noSuchHostedZone: (id: string) => new AwsError('NoSuchHostedZone', `No hosted zone found with ID: ${id}`, 404),
  noSuchHealthCheck: (id: string) => new AwsError('NoSuchHealthCheck', `A health check with id ${id} does not exist.`, 404),
  noSuchChange: (id: string) => new AwsError('NoSuchChange', `A change with the specified change ID ${id} does not exist.`, 404),
  noSuchDelegationSet: (id: string) => new AwsError('NoSuchDelegationSet', `A reusable delegation set with the ID ${id} does not exist.`, 400),
  hostedZoneAlreadyExists: (name: string, callerReference: string) =>
    new AwsError(
      'HostedZoneAlreadyExists',
      `A hosted zone has already been created with the specified caller reference: ${callerReference} (${name}).`,
      409,
    ),
  hostedZoneNotEmpty: () =>
    new AwsError('HostedZoneNotEmpty', 'The specified hosted zone contains non-required resource record sets and so cannot be deleted.', 400),
  healthCheckAlreadyExists: (callerReference: string) =>
    new AwsError(
      'HealthCheckAlreadyExists',
      `A health check with the caller reference ${callerReference} already exists, with different settings or already deleted.`,
      409,
    ),
  healthCheckVersionMismatch: () =>
    new AwsError(
      'HealthCheckVersionMismatch',
      'The value of HealthCheckVersion in the request doesn\'t match the value of HealthCheckVersion in the health check.',
      409,
    ),
  invalidDomainName: (name: string, why: string) => new AwsError('InvalidDomainName', `${name} is not a valid domain name: ${why}`, 400),
  invalidInput: (message: string) => new AwsError('InvalidInput', message, 400),
  /** A constraint on one member, in the words of AWS's validation layer. */
  validation: (path: string, value: unknown, constraint: string) =>
    new AwsError(
      'InvalidInput',
      `1 validation error detected: Value ${value === null || value === undefined ? 'null' : `'${String(value)}'`} at '${path}' failed to satisfy constraint: ${constraint}`,
      400,
    ),
  /**
   * Route 53 puts every problem with a change batch in one InvalidChangeBatch,
   * the messages in brackets (`[Tried to create resource record set … but it
   * already exists]`); the SDK reads it from the common ErrorResponse envelope.
   */
  invalidChangeBatch: (messages: readonly string[]) => new AwsError('InvalidChangeBatch', `[${messages.join(', ')}]`, 400),
  priorRequestNotComplete: () =>
    new AwsError('PriorRequestNotComplete', 'The request was rejected because Route 53 was still processing a prior request.', 400),
};
