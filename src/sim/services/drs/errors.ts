import type { JsonValue } from '../../protocols/rest-json.js';
import { AwsError } from '../../types.js';

/**
 * A DRS error: its exceptions carry members besides the message (`code`,
 * `resourceId`, `resourceType`, a ValidationException's `reason` and
 * `fieldList`), which the binding puts in the error body so the SDK's typed
 * exception has them.
 */
export class DrsError extends AwsError {
  constructor(
    code: string,
    message: string,
    statusCode: number,
    readonly members: Readonly<Record<string, JsonValue>> = {},
  ) {
    super(code, message, statusCode);
  }
}

/**
 * DRS's errors for the mistakes a game day makes. The API reference lists,
 * for StartRecovery and TerminateRecoveryInstances, ConflictException (409),
 * ValidationException (400) and UninitializedAccountException (400) among
 * others, and no ResourceNotFoundException: an id DRS does not know is a
 * field that fails validation.
 */
export const drsErrors = {
  uninitialized: () =>
    new DrsError('UninitializedAccountException', 'Account is not initialized. Please initialize the account with InitializeService.', 400),
  validation: (message: string, field?: { name: string; message: string }) =>
    new DrsError('ValidationException', message, 400, {
      reason: field ? 'fieldValidationFailed' : 'other',
      ...(field ? { fieldList: [{ name: field.name, message: field.message }] } : {}),
    }),
  unknownSourceServer: (id: string, field: string) =>
    drsErrors.validation(`Source server ${id} does not exist in this region.`, { name: field, message: `Source server ${id} not found` }),
  unknownRecoveryInstance: (id: string) =>
    drsErrors.validation(`Recovery instance ${id} does not exist in this region.`, { name: 'recoveryInstanceIDs', message: `Recovery instance ${id} not found` }),
  unknownSnapshot: (id: string, sourceServerId: string) =>
    drsErrors.validation(`Recovery snapshot ${id} does not belong to source server ${sourceServerId}.`, {
      name: 'sourceServers.recoverySnapshotID',
      message: `Snapshot ${id} not found`,
    }),
  unknownJob: (id: string) => new DrsError('ResourceNotFoundException', `Job ${id} not found.`, 404, { resourceId: id, resourceType: 'JOB' }),
  notReady: (id: string, why: string) =>
    new DrsError('ConflictException', `Source server ${id} is not ready for recovery: ${why}.`, 409, { resourceId: id, resourceType: 'SOURCE_SERVER' }),
  conflict: (id: string, resourceType: string, why: string) => new DrsError('ConflictException', why, 409, { resourceId: id, resourceType }),
};
