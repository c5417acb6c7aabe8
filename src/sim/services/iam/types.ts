import type { EpochMs } from '../../../clock/types.js';
import type { AuthorizationRequest, AwsError, Identity } from '../../types.js';

/** The role that may delete backups, versions and recovery points (DESIGN §6, Identity). */
export const BACKUP_ADMIN_ROLE = 'backup-admin';

/** What a protected call acts on: the ARN IAM evaluates, and the resources the audit trail names. */
export interface ProtectedTarget {
  arn: string;
  /** For CloudTrail's Resources (`AWS::RDS::DBSnapshot` / `orders-snap`). */
  resources: { type: string; name: string }[];
  /** For GuardDuty's AffectedResources: resource type → ARN. */
  affected: Record<string, string>;
}

/**
 * One row of the sim's IAM: an operation that only some roles may call.
 * Adding a protected operation is adding a row.
 */
export interface ProtectionRule {
  /** SigV4 signing name of the service (`rds`, `s3`, `backup`, `ec2`, `dynamodb`). */
  service: string;
  operation: string;
  /** The IAM action AWS evaluates (`rds:DeleteDBSnapshot`). */
  action: string;
  /**
   * What this request would act on, or undefined when the rule does not
   * apply to it (DeleteObject without a versionId) or the request names no
   * resource (the service's own validation answers that).
   */
  target(call: AuthorizationRequest, policy: ProtectionPolicy): ProtectedTarget | undefined;
}

/** What the policy is told by whoever builds the sim, for the rules that depend on it. */
export interface ProtectionPolicy {
  /**
   * An RDS snapshot carrying a tag with this key may be deleted by any role,
   * like an IAM condition on aws:ResourceTag: the tag the game-day harness
   * puts on what it makes, so a game day may remove the snapshots it made
   * itself. The sim knows nothing of game days: the tag comes in from where
   * the sim is built for a run (src/aws/sim-target.ts); none when not given.
   */
  exemptTag?: string;
}

/** A refused call, kept for the harness and handed to every AccessDenialObserver (GuardDuty). */
export interface AccessDenial {
  at: EpochMs;
  region: string;
  accountId: string;
  /** Signing name, e.g. `rds`. */
  service: string;
  /** `rds.amazonaws.com`. */
  eventSource: string;
  operation: string;
  action: string;
  target: ProtectedTarget;
  identity: Identity;
  requestId: string;
  error: AwsError;
}

/** A module that wants to hear about refused calls (GuardDuty raises findings from them). */
export interface AccessDenialObserver {
  observeAccessDenial(denial: AccessDenial): void;
}

export function isAccessDenialObserver(value: object): value is AccessDenialObserver {
  return typeof (value as Partial<AccessDenialObserver>).observeAccessDenial === 'function';
}

/**
 * What the S3 rules ask the S3 model: a bucket's versioning status
 * (`undefined` for a bucket that never had versioning or does not exist).
 * The S3 module offers it as `bucketVersioning` on its module object.
 */
export interface BucketVersioningSource {
  bucketVersioning(bucket: string): 'Enabled' | 'Suspended' | undefined;
}

export function isBucketVersioningSource(value: object): value is BucketVersioningSource {
  return typeof (value as Partial<BucketVersioningSource>).bucketVersioning === 'function';
}
