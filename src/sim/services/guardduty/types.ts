import type { EpochMs } from '../../../clock/types.js';

/**
 * GuardDuty as game days need it: one detector per region, enabled from the
 * start, and findings raised from refused backup deletions (the sim's IAM
 * hands them over). A refused deletion of a backup, snapshot, object
 * version or recovery point raises `Impact:IAMUser/AnomalousBehavior`,
 * GuardDuty's finding for "an API commonly used to tamper with data or
 * processes" called by an IAM principal under unusual circumstances, at
 * High severity (8): a principal without the backup-admin role trying to
 * delete backups is the opening move of ransomware.
 */
export const DENIED_DELETION_FINDING_TYPE = 'Impact:IAMUser/AnomalousBehavior';
export const DENIED_DELETION_SEVERITY = 8;

/**
 * A refused deletion of an object version in a bucket that holds backups
 * (tagged `purpose: backups`) raises `Impact:S3/AnomalousBehavior.Delete`,
 * GuardDuty's S3 Protection finding for "an IAM entity invoked an S3 API
 * that attempts to delete data in an anomalous way" (CloudTrail data events
 * for S3; default severity High), with the bucket as its resource
 * (S3Bucket). GuardDuty itself knows no tags: the tag is how the sim knows
 * which buckets nobody but a backup admin ever deletes from.
 */
export const S3_DELETION_FINDING_TYPE = 'Impact:S3/AnomalousBehavior.Delete';
export const S3_DELETION_SEVERITY = 8;
/** The tag that marks a bucket as holding backups. */
export const BACKUP_BUCKET_TAG = { key: 'purpose', value: 'backups' } as const;

export interface Detector {
  readonly id: string;
  readonly region: string;
  readonly createdAt: EpochMs;
}

/** Who made the call, as GuardDuty's AccessKeyDetails put it. */
export interface FindingPrincipal {
  accessKeyId: string;
  principalId: string;
  userName: string;
  userType: 'AssumedRole';
  arn: string;
}

/** The API call a finding is about (Service.Action.AwsApiCallAction). */
export interface FindingApiCall {
  api: string;
  /** `rds.amazonaws.com`. */
  serviceName: string;
  errorCode: string;
  /** Resource type → ARN. */
  affectedResources: Record<string, string>;
}

export interface Finding {
  readonly id: string;
  readonly arn: string;
  readonly detectorId: string;
  readonly region: string;
  readonly accountId: string;
  readonly type: string;
  readonly severity: number;
  readonly title: string;
  readonly description: string;
  readonly principal: FindingPrincipal;
  readonly apiCall: FindingApiCall;
  /** The ARN the refused call acted on. */
  readonly resourceArn: string;
  /** What the finding is about: the caller's access key, or (S3 Protection) the bucket. */
  readonly resourceType: 'AccessKey' | 'S3Bucket';
  /** The bucket, for an S3Bucket finding. */
  readonly bucket?: FindingBucket;
  readonly createdAt: EpochMs;
  readonly updatedAt: EpochMs;
  readonly eventFirstSeen: EpochMs;
  readonly eventLastSeen: EpochMs;
  /** How many times the same activity was seen; repeats update one finding, as GuardDuty aggregates. */
  readonly count: number;
  readonly archived: boolean;
}

/**
 * Resource.S3BucketDetails of an S3 finding. Without CreatedAt, which
 * GuardDuty's S3BucketDetail has: findings here have never carried it (S3's
 * buckets know it as creationDate), and adding it would change what a
 * finding says; it would go on the wire as epoch seconds, a timestamp
 * member unlike the finding's own ISO strings.
 */
export interface FindingBucket {
  name: string;
  arn: string;
  tags: { key: string; value: string }[];
}

/** A FindingCriteria condition, with the deprecated long names folded into the short ones. */
export interface FindingCondition {
  eq?: string[];
  neq?: string[];
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  /** Patterns where `*` stands for any run of characters. */
  matches?: string[];
  notMatches?: string[];
}

export interface ListFindingsInput {
  criteria?: Record<string, FindingCondition>;
  sort?: { attributeName?: string; orderBy?: 'ASC' | 'DESC' };
  maxResults?: number;
  nextToken?: string;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}
