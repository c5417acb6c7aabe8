import { AwsError } from '../../types.js';

/**
 * EC2 Auto Scaling's errors, with the codes and statuses of its awsQuery
 * API. Bad input of any kind is `ValidationError` (400), which the SDK has no
 * class for: it throws AutoScalingServiceException named ValidationError.
 */
export const autoScalingErrors = {
  validation: (message: string) => new AwsError('ValidationError', message, 400),
  /** The framework's constraint check, in AWS's words (`member` is the camelCase member name). */
  constraint: (value: unknown, member: string, constraint: string) =>
    new AwsError(
      'ValidationError',
      `1 validation error detected: Value ${value === null ? 'null' : `'${String(value)}'`} at '${member}' failed to satisfy constraint: ${constraint}`,
      400,
    ),
  groupNotFound: (name: string) => new AwsError('ValidationError', `AutoScalingGroup name not found - AutoScalingGroup ${name} not found`, 400),
  invalidNextToken: () => new AwsError('InvalidNextToken', 'The token provided is not valid.', 400),
  scalingActivityInProgress: (name: string, why: string) =>
    new AwsError('ScalingActivityInProgress', `Scaling activity is in progress and blocks this action: ${why} (AutoScalingGroup ${name}).`, 400),
};
