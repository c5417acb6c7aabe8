import { AwsError } from '../../types.js';

/**
 * EC2's errors with the codes it puts on the wire. The EC2 SDK models no
 * exception classes: it throws `EC2ServiceException` named after the code,
 * so the code (and status) is all that has to match.
 */
export const ec2Errors = {
  volumeNotFound: (id: string) => new AwsError('InvalidVolume.NotFound', `The volume '${id}' does not exist.`, 400),
  snapshotNotFound: (id: string) => new AwsError('InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`, 400),
  volumeIdMalformed: (id: string) => new AwsError('InvalidVolumeID.Malformed', `Invalid id: "${id}" (expecting "vol-...")`, 400),
  snapshotIdMalformed: (id: string) => new AwsError('InvalidSnapshotID.Malformed', `Invalid id: "${id}" (expecting "snap-...")`, 400),
  invalidId: (id: string) => new AwsError('InvalidID', `The ID '${id}' is not valid`, 400),
  zoneNotFound: (zone: string) => new AwsError('InvalidZone.NotFound', `The zone '${zone}' does not exist.`, 400),
  invalidParameterValue: (message: string) => new AwsError('InvalidParameterValue', message, 400),
  invalidParameterCombination: (message: string) => new AwsError('InvalidParameterCombination', message, 400),
  missingParameter: (name: string) => new AwsError('MissingParameter', `The request must contain the parameter ${name}`, 400),
  incorrectState: (message: string) => new AwsError('IncorrectState', message, 400),
  volumeInUse: (id: string, instanceId: string) => new AwsError('VolumeInUse', `Volume ${id} is currently attached to ${instanceId}`, 400),
  invalidFilter: (name: string) => new AwsError('InvalidParameterValue', `The filter '${name}' is invalid`, 400),
  invalidNextToken: (token: string) => new AwsError('InvalidParameterValue', `Invalid value '${token}' for nextToken`, 400),
  instanceNotFound: (ids: string) => new AwsError('InvalidInstanceID.NotFound', `The instance ID '${ids}' does not exist`, 400),
  instanceIdMalformed: (id: string) => new AwsError('InvalidInstanceID.Malformed', `Invalid id: "${id}" (expecting "i-...")`, 400),
  subnetNotFound: (id: string) => new AwsError('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`, 400),
  transitGatewayNotFound: (id: string) => new AwsError('InvalidTransitGatewayID.NotFound', `Transit Gateway ${id} was deleted or does not exist.`, 400),
  transitGatewayAttachmentNotFound: (id: string) =>
    new AwsError('InvalidTransitGatewayAttachmentID.NotFound', `Transit Gateway Attachment ${id} was deleted or does not exist.`, 400),
  subnetIdMalformed: (id: string) => new AwsError('InvalidSubnetID.Malformed', `Invalid id: "${id}" (expecting "subnet-...")`, 400),
  incorrectInstanceState: (id: string, state: string, verb: string) =>
    new AwsError('IncorrectInstanceState', `The instance '${id}' is not in a state from which it can be ${verb}. (it is ${state})`, 400),
  /** A server error in EC2's list: the zone has no capacity for the type (or, in the sim, no power). */
  insufficientCapacity: (type: string, zone: string) =>
    new AwsError(
      'InsufficientInstanceCapacity',
      `We currently do not have sufficient ${type} capacity in the Availability Zone you requested (${zone}). Our system will be working on provisioning additional capacity. You can currently get ${type} capacity by not specifying an Availability Zone in your request or choosing a different Availability Zone.`,
      500,
    ),
  dryRun: () => new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412),
  managedByBackup: () =>
    new AwsError(
      'InvalidParameterValue',
      'This snapshot is managed by the AWS Backup service and cannot be deleted via EC2 APIs. If you wish to delete this snapshot, please do so via the Backup console.',
      400,
    ),
};
