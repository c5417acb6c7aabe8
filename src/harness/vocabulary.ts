import { BadInputError } from '../errors.js';
import { parseDuration } from './duration.js';
import type { StepDefinition } from './types.js';
import { frameworkCompliant } from './audit-framework.js';
import { alarmFires, auditTrailRecords, findingRaised, requestDenied } from './audit.js';
import { backupPlanRuns, everyTaggedResourceBackedUp, restoredFromRecoveryPoint, roleDeletesRecoveryPoint } from './backup.js';
import { standbyScaledUp } from './capacity.js';
import { failsOverToReader, writerHasTier, writerInZone } from './cluster.js';
import { dnsFailsOver } from './dns.js';
import { recoveredServersAnswer, serverDataLostWithinRpo, serversRecovered, serversRecoveredInDrill } from './drs.js';
import { itemsCorrupted } from './dynamodb.js';
import {
  businessAsUsual,
  environment,
  experimentRuns,
  experimentRunsToCompletion,
  healthy,
  healthyAgainWithin,
  healthyAgainWithinRto,
  objectivesStated,
  ordersLostWithinRpo,
  ordersWritten,
  primaryRegionUnavailable,
  restoredBeforeIncident,
  restoredHoldsData,
  restoredToLatest,
  stoppedByStopCondition,
  writesLostAtMost,
} from './game-day.js';
import { everyTableHasPitr, everyTaggedBucketProtected, pitrEnabled, replicates, versioningEnabled } from './posture.js';
import { backupsRetained, everyInstanceKeepsBackups, failsOverToStandby, ordersDeleted, replicaPromoted, restoredFromSnapshot, snapshotCopied, snapshotted } from './rds.js';
import { roleDeletesObjectVersion } from './s3-deletion-attempt.js';
import { objectOverwritten, objectsReplicatedWithin, objectsWritten, previousVersionRestored } from './s3.js';

export type { CheckContext, StepDefinition } from './types.js';

/**
 * `{duration}` (DESIGN §8): loose on purpose, so that "RTO 15 minuets" is
 * reported as an unparsable duration at its file:line rather than as an
 * undefined step.
 */
export const DURATION_PARAMETER = {
  name: 'duration',
  // Starts with a digit or ISO-8601's P, so "within the RTO" is not a duration.
  regexp: /(?:\d|P)[A-Za-z0-9.]*(?: [A-Za-z0-9.]+)*?/,
  transform(text: string): number {
    const seconds = parseDuration(text);
    if (seconds === undefined) {
      throw new BadInputError(`"${text}" is not a duration: write it like "90 seconds", "15 minutes", "1 hour", "1h30m" or "PT15M"`);
    }
    return seconds;
  },
};

/** The step that names a scenario's environment: the run looks for it before anything else, to know which environment to load. */
export const environmentStep: StepDefinition = environment;

/**
 * Every step a feature can use, in the order of the README's step
 * vocabulary. The steps of a game day itself (environment, objectives,
 * canaries and probes, FIS faults, recovery and loss) are in game-day.ts;
 * each service's steps are in the file of that service, beside its actions.
 */
export const vocabulary: readonly StepDefinition[] = [
  // Given
  environment,
  objectivesStated,
  ordersWritten,
  healthy,
  backupsRetained,
  pitrEnabled,
  versioningEnabled,
  replicates,
  businessAsUsual,
  objectsWritten,
  // When
  experimentRuns,
  experimentRunsToCompletion,
  primaryRegionUnavailable,
  itemsCorrupted,
  ordersDeleted,
  objectOverwritten,
  failsOverToStandby,
  failsOverToReader,
  replicaPromoted,
  dnsFailsOver,
  restoredBeforeIncident,
  restoredToLatest,
  restoredFromSnapshot,
  snapshotted,
  snapshotCopied,
  backupPlanRuns,
  standbyScaledUp,
  previousVersionRestored,
  restoredFromRecoveryPoint,
  roleDeletesRecoveryPoint,
  roleDeletesObjectVersion,
  serversRecovered,
  serversRecoveredInDrill,
  alarmFires,
  // Then
  healthyAgainWithinRto,
  healthyAgainWithin,
  ordersLostWithinRpo,
  writesLostAtMost,
  restoredHoldsData,
  everyInstanceKeepsBackups,
  everyTableHasPitr,
  everyTaggedBucketProtected,
  objectsReplicatedWithin,
  everyTaggedResourceBackedUp,
  auditTrailRecords,
  requestDenied,
  findingRaised,
  stoppedByStopCondition,
  recoveredServersAnswer,
  serverDataLostWithinRpo,
  frameworkCompliant,
  writerInZone,
  writerHasTier,
];
