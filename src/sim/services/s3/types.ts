import type { EpochMs, TimerHandle } from '../../../clock/types.js';

/** A bucket's versioning state; `undefined` on a bucket whose versioning was never configured. */
export type VersioningStatus = 'Enabled' | 'Suspended';

/** `x-amz-replication-status`: PENDING/COMPLETED/FAILED on the source, REPLICA on the destination. */
export type ReplicationStatus = 'PENDING' | 'COMPLETED' | 'FAILED' | 'REPLICA';

/** The full-object checksum algorithms S3 stores and the SDK can validate. */
export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';

export interface StoredChecksum {
  algorithm: ChecksumAlgorithm;
  /** Base64 of the big-endian digest, as the `x-amz-checksum-*` headers carry it (`…-N` for a composite one). */
  value: string;
  /** A multipart upload's checksum of its parts' checksums is COMPOSITE; every other is of the whole object. */
  type?: 'FULL_OBJECT' | 'COMPOSITE';
}

export interface Tag {
  Key: string;
  Value: string;
}

/** Headers stored with an object and returned on GET/HEAD. */
export interface ObjectHeaders {
  contentType: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
}

/** One version of an object (or the only one, `versionId` `null`, in an unversioned bucket). */
export interface ObjectVersion {
  kind: 'object';
  key: string;
  /** `null` (the string) for a version written while versioning was off or suspended. */
  versionId: string;
  body: Uint8Array;
  /** Quoted hex MD5 of the body. */
  etag: string;
  lastModified: EpochMs;
  headers: ObjectHeaders;
  /** User metadata (`x-amz-meta-*`), names lower-cased. */
  metadata: Record<string, string>;
  storageClass: string;
  /** Object tags (`x-amz-tagging`), which replication rule filters can match. */
  tags: Tag[];
  checksum: StoredChecksum;
  /** The sizes of the parts a multipart upload assembled it from, in order (GET and HEAD `?partNumber`); absent for an object written whole. */
  partSizes?: number[];
  replicationStatus?: ReplicationStatus;
}

export interface DeleteMarker {
  kind: 'delete-marker';
  key: string;
  versionId: string;
  lastModified: EpochMs;
  replicationStatus?: ReplicationStatus;
}

export type VersionEntry = ObjectVersion | DeleteMarker;

export interface ReplicationRuleFilter {
  prefix?: string;
  tag?: Tag;
  and?: { prefix?: string; tags: Tag[] };
}

export interface ReplicationDestination {
  /** `arn:aws:s3:::name`. */
  bucket: string;
  account?: string;
  storageClass?: string;
  /** Replication Time Control: S3 replicates 99.99% of objects within `minutes` (always 15). */
  replicationTime?: { status: 'Enabled' | 'Disabled'; minutes?: number };
  metrics?: { status: 'Enabled' | 'Disabled'; eventThresholdMinutes?: number };
}

export interface ReplicationRule {
  id?: string;
  priority?: number;
  status: 'Enabled' | 'Disabled';
  /**
   * The V1 schema's rule-level prefix. A rule with `filter` instead uses the
   * V2 schema, where delete markers replicate only when
   * `deleteMarkerReplication` says so.
   */
  prefix?: string;
  filter?: ReplicationRuleFilter;
  destination: ReplicationDestination;
  deleteMarkerReplication?: { status: 'Enabled' | 'Disabled' };
  existingObjectReplication?: { status: 'Enabled' | 'Disabled' };
  sourceSelectionCriteria?: {
    sseKmsEncryptedObjects?: { status: 'Enabled' | 'Disabled' };
    replicaModifications?: { status: 'Enabled' | 'Disabled' };
  };
}

export interface ReplicationConfiguration {
  role: string;
  rules: ReplicationRule[];
}

export interface Bucket {
  name: string;
  region: string;
  arn: string;
  /** The owning account; another account's bucket only makes its name unavailable. */
  accountId: string;
  creationDate: EpochMs;
  versioning?: VersioningStatus;
  mfaDelete?: 'Enabled' | 'Disabled';
  /** `undefined` until tags are put: GetBucketTagging answers NoSuchTagSet. */
  tags?: Tag[];
  replication?: ReplicationConfiguration;
  /** Key → its versions, newest first. */
  objects: Map<string, VersionEntry[]>;
}

/** One version waiting to be replicated (ground truth: `replicationBacklog`). */
export interface ReplicationTask {
  sourceBucket: string;
  key: string;
  versionId: string;
  kind: VersionEntry['kind'];
  destinationBucket: string;
  destinationRegion: string;
  ruleId?: string;
  /** The rule's filter prefix, matched against a pause's `prefixes`. */
  rulePrefix: string;
  /** When the version was written at the source. */
  createdAt: EpochMs;
  /** When the next attempt runs; undefined while held (paused, or the source region is down). */
  dueAt?: EpochMs;
  timer?: TimerHandle;
  /** Why it waits without a timer. */
  held?: 'paused' | 'source-region-down';
  /** Replication Time Control bounds the lag of this version. */
  rtc: boolean;
  /** The rule's destination storage class for the replica; the source's when unset. */
  storageClass?: string;
}

export interface ReplicationBacklogEntry {
  key: string;
  versionId: string;
  kind: VersionEntry['kind'];
  destinationBucket: string;
  createdAt: EpochMs;
  /** Next attempt; undefined while held. */
  dueAt?: EpochMs;
  held?: 'paused' | 'source-region-down';
}

/** How a version's replication ended, kept for ground truth. */
export interface ReplicationOutcome {
  status: 'COMPLETED' | 'FAILED';
  destinationBucket: string;
  createdAt: EpochMs;
  finishedAt: EpochMs;
  reason?: string;
}

export interface SeedObjectSpec {
  key: string;
  body: string | Uint8Array;
  contentType?: string;
  metadata?: Record<string, string>;
}

/** A bucket as an environment declares it, in its steady state. */
export interface SeedBucketSpec {
  name: string;
  region: string;
  versioning?: VersioningStatus;
  tags?: Record<string, string>;
  /**
   * A replication rule to a destination bucket that already exists with
   * versioning enabled. Seeded objects start replicated (in sync).
   */
  replication?: SeedReplicationSpec;
  objects?: SeedObjectSpec[];
  /** Owned by another account: its name is taken, its contents are not ours to see. */
  accountId?: string;
}

export interface SeedReplicationSpec {
  destinationBucket: string;
  /** IAM role S3 assumes; a conventional one when left out. */
  role?: string;
  ruleId?: string;
  priority?: number;
  /** Filter prefix ('' = every object). */
  prefix?: string;
  /** Replication Time Control with its 15-minute bound (and metrics). */
  rtc?: boolean;
  /** Replicate delete markers (DeleteMarkerReplication Enabled); S3's default is Disabled. */
  deleteMarkerReplication?: boolean;
  storageClass?: string;
}

/** A pause of replication from one source bucket (FIS aws:s3:bucket-pause-replication). */
export interface ReplicationPause {
  id: string;
  sourceBucket: string;
  /** Only rules whose destination bucket is in this region. */
  region: string;
  /** Only these destination buckets (names), when given. */
  destinationBuckets?: string[];
  /** Only rules whose filter prefix is one of these, when given. */
  prefixes?: string[];
  since: EpochMs;
}

// ---- requests and results of the model's operations ----------------------

/** What a request claims about its body: `x-amz-checksum-*` (header or trailer) and `Content-MD5`. */
export interface IntegrityClaims {
  checksums: Partial<Record<ChecksumAlgorithm, string>>;
  contentMd5?: string;
}

export interface CreateBucketInput {
  bucket: string;
  locationConstraint?: string;
  tags?: Tag[];
}

export interface ListBucketsInput {
  maxBuckets?: number;
  continuationToken?: string;
  prefix?: string;
  bucketRegion?: string;
}

export interface PutObjectInput {
  bucket: string;
  key: string;
  body: Uint8Array;
  headers?: Partial<ObjectHeaders>;
  metadata?: Record<string, string>;
  storageClass?: string;
  tags?: Tag[];
  integrity?: IntegrityClaims;
  /** Conditional write: `*` refuses to overwrite an existing object. */
  ifNoneMatch?: string;
  ifMatch?: string;
}

export interface ReadConditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: EpochMs;
  ifUnmodifiedSince?: EpochMs;
}

export interface GetObjectInput {
  bucket: string;
  key: string;
  versionId?: string;
  /** The `Range` header, e.g. `bytes=0-99`. */
  range?: string;
  /** `?partNumber`: the bytes of one part of a multipart object, as a ranged read. */
  partNumber?: number;
  conditions?: ReadConditions;
}

export interface GetObjectResult {
  bucket: Bucket;
  version: ObjectVersion;
  /** Inclusive byte range served, when a satisfiable Range (or a part) was asked for. */
  range?: { start: number; end: number };
  /** The object's number of parts, when a part of a multipart object was asked for (`x-amz-mp-parts-count`). */
  partsCount?: number;
}

export interface DeleteObjectResult {
  deleteMarker: boolean;
  versionId?: string;
}

export interface ListObjectsInput {
  bucket: string;
  prefix?: string;
  delimiter?: string;
  maxKeys?: number;
  continuationToken?: string;
  startAfter?: string;
}

export interface ListObjectsResult {
  bucket: Bucket;
  contents: ObjectVersion[];
  commonPrefixes: string[];
  isTruncated: boolean;
  maxKeys: number;
  nextContinuationToken?: string;
  /** The last key or common prefix returned (ListObjects V1's NextMarker). */
  lastReturned?: string;
}

export interface ListVersionsInput {
  bucket: string;
  prefix?: string;
  delimiter?: string;
  maxKeys?: number;
  keyMarker?: string;
  versionIdMarker?: string;
}

export interface ListVersionsResult {
  bucket: Bucket;
  entries: { entry: VersionEntry; isLatest: boolean }[];
  commonPrefixes: string[];
  isTruncated: boolean;
  maxKeys: number;
  nextKeyMarker?: string;
  nextVersionIdMarker?: string;
}

export interface CopyObjectInput {
  bucket: string;
  key: string;
  /** The `x-amz-copy-source` header: `[/]bucket/key[?versionId=id]`, URL-encoded. */
  copySource: string;
  metadataDirective?: string;
  taggingDirective?: string;
  headers?: Partial<ObjectHeaders>;
  metadata?: Record<string, string>;
  tags?: Tag[];
  storageClass?: string;
  checksumAlgorithm?: string;
}

export interface CopyObjectResult {
  bucket: Bucket;
  version: ObjectVersion;
  /** The source's version id, when its bucket is versioned. */
  sourceVersionId?: string;
}
