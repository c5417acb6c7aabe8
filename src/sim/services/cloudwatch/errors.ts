import { AwsError } from '../../types.js';

/**
 * CloudWatch's errors. CloudWatch speaks awsJson 1.0 but is
 * awsQuery-compatible: the body's `__type` names the error shape
 * (`InvalidParameterValueException`) and the `x-amzn-query-error` header the
 * Query code (`InvalidParameterValue`), which is what the SDK matches its
 * typed exceptions by. `queryErrorCodes` maps one to the other.
 */
export const queryErrorCodes: Readonly<Record<string, string>> = {
  InvalidParameterValueException: 'InvalidParameterValue',
  InvalidParameterCombinationException: 'InvalidParameterCombination',
  MissingRequiredParameterException: 'MissingParameter',
  InvalidFormatFault: 'InvalidFormat',
  LimitExceededFault: 'LimitExceeded',
  InternalServiceFault: 'InternalServiceError',
  ValidationException: 'ValidationError',
};

export const cloudWatchErrors = {
  resourceNotFound: (message: string) => new AwsError('ResourceNotFound', message, 404),
  invalidParameterValue: (message: string) => new AwsError('InvalidParameterValueException', message, 400),
  invalidParameterCombination: (message: string) => new AwsError('InvalidParameterCombinationException', message, 400),
  missingParameter: (name: string) => new AwsError('MissingRequiredParameterException', `The parameter ${name} is required.`, 400),
  invalidFormat: (message: string) => new AwsError('InvalidFormatFault', message, 400),
  invalidNextToken: () => new AwsError('InvalidNextToken', 'The next token specified is invalid.', 400),
  /** The framework's constraint check, in AWS's words. */
  validation: (value: unknown, member: string, constraint: string) =>
    new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`,
      400,
    ),
};
