import { createHash } from 'node:crypto';
import type { EpochMs } from '../../../clock/types.js';
import type { CallContext, Rng, SimWorld } from '../../types.js';
import { checksumAlgorithms, computeChecksum, md5Base64, md5Hex } from './checksums.js';
import { S3Error, s3Errors } from './errors.js';
import { bucketNameOfArn, ReplicationEngine, RTC_BOUND_MS } from './replication.js';
import type {
  Bucket,
  CopyObjectInput,
  CopyObjectResult,
  CreateBucketInput,
  DeleteObjectResult,
  GetObjectInput,
  GetObjectResult,
  IntegrityClaims,
  ListBucketsInput,
  PutObjectInput,
  ReadConditions,
  ChecksumAlgorithm,
  DeleteMarker,
  ObjectVersion,
  ReplicationBacklogEntry,
  ReplicationConfiguration,
  ReplicationOutcome,
  ReplicationPause,
  ReplicationRule,
  SeedBucketSpec,
  SeedObjectSpec,
  StoredChecksum,
  Tag,
  VersionEntry,
} from './types.js';

const VERSION_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';
const VERSION_ID_PATTERN = /^[A-Za-z0-9._]{32}$/;
const NULL_VERSION = 'null';
const MAX_KEY_BYTES = 1024;
export const MAX_LIST_KEYS = 1000;

export const storageClasses: readonly string[] = [
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'DEEP_ARCHIVE',
  'GLACIER_IR',
  'OUTPOSTS',
  'SNOW',
  'EXPRESS_ONEZONE',
];
/** Archived objects must be restored before a GET. */
const archived = new Set(['GLACIER', 'DEEP_ARCHIVE']);

/**
 * Check a body against what the request claims; BadDigest on a mismatch,
 * as S3 refuses the whole request rather than store corrupted data.
 */
export function verifyIntegrity(body: Uint8Array, claims: IntegrityClaims): void {
  if (claims.contentMd5 !== undefined) {
    const raw = Buffer.from(claims.contentMd5, 'base64');
    if (raw.length !== 16 || raw.toString('base64') !== claims.contentMd5) throw s3Errors.invalidDigest();
    if (md5Base64(body) !== claims.contentMd5) throw s3Errors.badContentMd5();
  }
  for (const algorithm of checksumAlgorithms) {
    const claimed = claims.checksums[algorithm];
    if (claimed === undefined) continue;
    if (computeChecksum(algorithm, body) !== claimed) throw s3Errors.badDigest(algorithm);
  }
}

/** UTF-8 binary order, the order S3 lists keys in (not JavaScript's UTF-16 order). */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Bucket naming rules for general purpose buckets (S3 User Guide, "Bucket naming rules"). */
export function isValidBucketName(name: string): boolean {
  if (name.length < 3 || name.length > 63) return false;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return false;
  if (name.includes('..')) return false;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return false;
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) return false;
  if (/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name)) return false;
  return true;
}

const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function clone<T>(value: T): T {
  return structuredClone(value);
}

/**
 * A copy of a version for callers, sharing its body: bodies are written once
 * and never changed in place, and copying megabytes on every read or list
 * would be all cost and no safety.
 */
export function snapshot<T extends VersionEntry>(entry: T): T {
  if (entry.kind === 'delete-marker') return { ...entry };
  const object = entry as ObjectVersion;
  return {
    ...object,
    headers: { ...object.headers },
    metadata: { ...object.metadata },
    tags: object.tags.map((t) => ({ ...t })),
    checksum: { ...object.checksum },
    ...(object.partSizes ? { partSizes: [...object.partSizes] } : {}),
  } as T;
}

export function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeToken(token: string, name: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Not one of ours: answered below as S3 does.
  }
  throw s3Errors.invalidArgument('The continuation token provided is incorrect', name, token);
}

function stripQuotes(etag: string): string {
  return etag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
}

function etagMatches(condition: string, etag: string): boolean {
  return condition
    .split(',')
    .map((part) => part.trim())
    .some((part) => part === '*' || stripQuotes(part) === stripQuotes(etag));
}

/**
 * The simulated Amazon S3: buckets in one global namespace, each homed in a
 * region; versioning with delete markers; tagging; replication with lag on
 * the virtual clock. Knows nothing of XML or HTTP.
 *
 * Buckets, objects and their versions, seeding and ground truth live here;
 * listing in listing.ts, bucket configuration (versioning, tagging,
 * replication) in bucket-config.ts, multipart uploads in multipart.ts, and
 * replication's engine in replication.ts: they work on this model's state.
 */
export class S3Model {
  private readonly buckets = new Map<string, Bucket>();
  /**
   * Seeded contents not written yet. A bucket's seeded objects are facts of
   * t = 0, but most scenarios never look at them: they are written (dated
   * t = 0, drawing the same version ids) the first time anything reads or
   * reconfigures a bucket's contents.
   */
  private pendingSeeds: (() => void)[] = [];
  private seeding = false;
  private readonly versionRngs = new Map<string, Rng>();
  private readonly ids: Rng;
  readonly replication: ReplicationEngine;

  constructor(readonly world: SimWorld) {
    this.ids = world.rng.fork('s3.ids');
    this.replication = new ReplicationEngine(world, {
      bucket: (name) => this.buckets.get(name),
      entry: (bucket, key, versionId) => bucket.objects.get(key)?.find((e) => e.versionId === versionId),
      applyReplica: (destination, source, storageClass) => this.applyReplica(destination, source, storageClass),
    });
  }

  private now(): EpochMs {
    return this.world.clock.now();
  }

  /** The canonical user id S3 shows as an owner: 64 hex characters per account. */
  canonicalUserId(accountId: string): string {
    return createHash('sha256').update(`gameday-sim-canonical-user:${accountId}`).digest('hex');
  }

  // ---- buckets ----------------------------------------------------------

  /** A bucket the caller owns, addressed through its own region's endpoint. */
  bucketFor(ctx: CallContext, name: string): Bucket {
    const bucket = this.buckets.get(name);
    if (!bucket) throw s3Errors.noSuchBucket(name);
    if (bucket.accountId !== ctx.accountId) throw s3Errors.accessDenied();
    if (bucket.region !== ctx.region) throw s3Errors.permanentRedirect(name, bucket.region);
    return bucket;
  }

  /** The caller's bucket in the caller's region (multipart.ts), with S3's errors otherwise. */
  bucketForCall(ctx: CallContext, name: string): Bucket {
    return this.bucketFor(ctx, name);
  }

  /** What a PUT checks of its key and storage class before any byte: CreateMultipartUpload checks them up front too. */
  checkNewObject(key: string, storageClass: string | undefined): void {
    this.checkKey(key);
    this.checkStorageClass(storageClass);
  }

  /**
   * The object a copy reads (CopyObject, UploadPartCopy): the source's
   * version, refused as S3 refuses delete markers, and when the source's
   * region cannot be reached from the target's.
   */
  copySourceFor(ctx: CallContext, copySource: string, target: Bucket): { bucket: Bucket; version: ObjectVersion; versionIdGiven: boolean } {
    const source = parseCopySource(copySource);
    const sourceBucket = this.ownedBucket(ctx, source.bucket);
    if (!this.world.faults.isLinkUp(sourceBucket.region, target.region)) {
      throw new S3Error('ServiceUnavailable', `The source bucket's region ${sourceBucket.region} cannot be reached.`, 503);
    }
    const entry = this.find(sourceBucket, source.key, source.versionId);
    if (entry.kind === 'delete-marker') {
      if (source.versionId !== undefined) {
        throw s3Errors.invalidRequest('The source of a copy request may not specifically refer to a delete marker by version id.');
      }
      throw s3Errors.noSuchKey(source.key);
    }
    return { bucket: sourceBucket, version: entry, versionIdGiven: source.versionId !== undefined };
  }

  /**
   * Store an object assembled from a multipart upload as a new version of
   * its key: versioned, replicated and announced as a single PUT is.
   */
  commitAssembled(
    bucket: Bucket,
    key: string,
    body: Uint8Array,
    rest: Pick<ObjectVersion, 'headers' | 'metadata' | 'storageClass' | 'tags' | 'checksum' | 'partSizes'>,
    etag: string,
  ): ObjectVersion {
    this.checkKey(key);
    const version = { ...this.newObject(bucket, key, body, this.now(), rest), etag };
    this.store(bucket, version);
    this.world.emit('s3.object.put', { bucket: bucket.name, key, versionId: version.versionId, size: body.byteLength, etag, multipart: true });
    this.replication.enqueue(bucket, version);
    return snapshot(version);
  }

  /** A bucket the caller owns, in any region (the source of a CopyObject). */
  private ownedBucket(ctx: CallContext, name: string): Bucket {
    const bucket = this.buckets.get(name);
    if (!bucket) throw s3Errors.noSuchBucket(name);
    if (bucket.accountId !== ctx.accountId) throw s3Errors.accessDenied();
    return bucket;
  }

  createBucket(ctx: CallContext, input: CreateBucketInput): { bucket: Bucket; created: boolean } {
    const { bucket: name } = input;
    const constraint = input.locationConstraint === '' ? undefined : input.locationConstraint;
    if (!isValidBucketName(name)) throw s3Errors.invalidBucketName(name);
    // `EU` is the legacy name of eu-west-1.
    const region = constraint === undefined ? 'us-east-1' : constraint === 'EU' ? 'eu-west-1' : constraint;
    if (constraint !== undefined && constraint !== 'EU' && !regionPattern.test(constraint)) throw s3Errors.invalidLocationConstraint();
    if (ctx.region === 'us-east-1') {
      if (constraint === 'us-east-1') throw s3Errors.invalidLocationConstraint();
      if (constraint !== undefined) throw s3Errors.illegalLocationConstraint(constraint);
    } else if (region !== ctx.region) {
      throw s3Errors.illegalLocationConstraint(constraint);
    }
    const existing = this.buckets.get(name);
    if (existing) {
      if (existing.accountId !== ctx.accountId) throw s3Errors.bucketAlreadyExists(name);
      // "For legacy compatibility, if you re-create an existing bucket that you
      // already own in the North Virginia Region, Amazon S3 returns 200 OK."
      if (ctx.region === 'us-east-1' && existing.region === 'us-east-1') return { bucket: existing, created: false };
      throw s3Errors.bucketAlreadyOwnedByYou(name);
    }
    if (input.tags) this.validateTags(input.tags);
    const bucket = this.addBucket(name, region, ctx.accountId);
    if (input.tags && input.tags.length > 0) bucket.tags = clone(input.tags);
    return { bucket, created: true };
  }

  private addBucket(name: string, region: string, accountId: string): Bucket {
    const objects = new Map<string, VersionEntry[]>();
    const bucket = {
      name,
      region,
      arn: `arn:aws:s3:::${name}`,
      accountId,
      creationDate: this.now(),
    } as Bucket;
    // Not enumerable: copies of a bucket's settings leave its contents (and the seeding) alone.
    Object.defineProperty(bucket, 'objects', {
      get: () => {
        this.writePendingSeeds();
        return objects;
      },
      enumerable: false,
    });
    this.buckets.set(name, bucket);
    this.world.emit('s3.bucket.created', { bucket: name, region });
    return bucket;
  }

  listBuckets(ctx: CallContext, input: ListBucketsInput): { buckets: Bucket[]; continuationToken?: string } {
    if (input.maxBuckets !== undefined && (input.maxBuckets < 1 || input.maxBuckets > 10_000)) {
      throw s3Errors.invalidArgument('Argument max-buckets must be an integer between 1 and 10000', 'max-buckets', String(input.maxBuckets));
    }
    let after: string | undefined;
    if (input.continuationToken !== undefined) {
      const token = decodeToken(input.continuationToken, 'continuation-token');
      if (typeof token['after'] !== 'string') throw s3Errors.invalidArgument('The continuation token provided is incorrect', 'continuation-token');
      after = token['after'];
    }
    const all = [...this.buckets.values()]
      .filter((b) => b.accountId === ctx.accountId)
      .filter((b) => input.prefix === undefined || b.name.startsWith(input.prefix))
      .filter((b) => input.bucketRegion === undefined || b.region === input.bucketRegion)
      .filter((b) => after === undefined || b.name > after)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const size = input.maxBuckets ?? all.length;
    const page = all.slice(0, size);
    const last = page[page.length - 1];
    return {
      buckets: page,
      ...(all.length > size && last ? { continuationToken: encodeToken({ after: last.name }) } : {}),
    };
  }

  headBucket(ctx: CallContext, name: string): Bucket {
    return this.bucketFor(ctx, name);
  }

  /** GetBucketLocation answers through any regional endpoint: it is how clients find a bucket's region. */
  bucketLocation(ctx: CallContext, name: string): string {
    return this.ownedBucket(ctx, name).region;
  }


  deleteBucket(ctx: CallContext, name: string): void {
    const bucket = this.bucketFor(ctx, name);
    if (bucket.objects.size > 0) throw s3Errors.bucketNotEmpty(name);
    this.buckets.delete(name);
    this.replication.forgetBucket(name);
    this.world.emit('s3.bucket.deleted', { bucket: name, region: bucket.region });
  }

  // ---- tagging ----------------------------------------------------------

  validateTags(tags: readonly Tag[]): void {
    if (tags.length > 50) throw s3Errors.invalidTag('Bucket tag count cannot be greater than 50');
    const seen = new Set<string>();
    for (const tag of tags) {
      if (tag.Key.length < 1 || tag.Key.length > 128) throw s3Errors.invalidTag('The TagKey you have provided is invalid');
      if (tag.Value.length > 256) throw s3Errors.invalidTag('The TagValue you have provided is invalid');
      if (tag.Key.toLowerCase().startsWith('aws:')) throw s3Errors.invalidTag('Your TagKey cannot be prefixed with aws:');
      if (seen.has(tag.Key)) throw s3Errors.invalidTag('Cannot provide multiple Tags with the same key');
      seen.add(tag.Key);
    }
  }

  /** PutBucketReplication's checks, in S3's order; returns the configuration as stored (IDs and priorities filled in). */
  validateReplication(bucket: Bucket, config: ReplicationConfiguration): ReplicationConfiguration {
    if (bucket.versioning !== 'Enabled') {
      throw s3Errors.invalidRequest("Versioning must be 'Enabled' on the bucket to apply a replication configuration");
    }
    if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(config.role)) {
      throw s3Errors.invalidArgument('Invalid Role specified in replication configuration', 'Role', config.role);
    }
    if (config.rules.length === 0) throw s3Errors.malformedXml();
    if (config.rules.length > 1000) throw s3Errors.invalidRequest('Number of rules in the replication configuration exceeds the maximum of 1000');
    const v2 = config.rules.some((r) => r.filter !== undefined);
    if (v2 && config.rules.some((r) => r.filter === undefined || r.prefix !== undefined)) throw s3Errors.malformedXml();
    const ids = new Set<string>();
    const priorities = new Set<number>();
    const rules: ReplicationRule[] = [];
    for (const input of config.rules) {
      const rule = clone(input);
      if (rule.status !== 'Enabled' && rule.status !== 'Disabled') throw s3Errors.malformedXml();
      rule.id ??= this.ids.alnum(48);
      if (rule.id.length > 255) throw s3Errors.invalidArgument('ID length should not exceed allowed limit of 255', 'ID', rule.id);
      if (ids.has(rule.id)) throw s3Errors.invalidArgument('Rule Id must be unique', 'ID', rule.id);
      ids.add(rule.id);
      if (v2) {
        const filter = rule.filter!;
        const parts = [filter.prefix !== undefined, filter.tag !== undefined, filter.and !== undefined].filter(Boolean).length;
        if (parts > 1) throw s3Errors.malformedXml();
        if (!rule.deleteMarkerReplication) {
          throw s3Errors.invalidRequest('DeleteMarkerReplication must be specified for this version of Cross Region Replication configuration schema.');
        }
        const tagged = filter.tag !== undefined || (filter.and?.tags.length ?? 0) > 0;
        if (tagged && rule.deleteMarkerReplication.status === 'Enabled') {
          throw s3Errors.invalidRequest(
            'Delete marker replication is not supported if any Tag filter is specified. Please refer to S3 Developer Guide for more information.',
          );
        }
        rule.priority ??= 0;
        if (priorities.has(rule.priority)) {
          throw s3Errors.invalidRequest(`Found overlapping priorities: priority ${rule.priority} is used by more than one rule`);
        }
        priorities.add(rule.priority);
      } else if (rule.deleteMarkerReplication || rule.priority !== undefined) {
        throw s3Errors.invalidRequest('Priority and DeleteMarkerReplication need a Filter: they belong to the V2 replication configuration schema.');
      }
      this.validateDestination(bucket, rule);
      rules.push(rule);
    }
    return { role: config.role, rules };
  }

  private validateDestination(source: Bucket, rule: ReplicationRule): void {
    const { destination } = rule;
    const name = bucketNameOfArn(destination.bucket);
    if (name === undefined) throw s3Errors.invalidArgument('Invalid bucket ARN', 'Bucket', destination.bucket);
    if (name === source.name) throw s3Errors.invalidRequest('Destination bucket cannot be the same as the source bucket.');
    const target = this.buckets.get(name);
    if (!target) throw s3Errors.invalidRequest('Destination bucket must exist.');
    if (target.versioning !== 'Enabled') throw s3Errors.invalidRequest('Destination bucket must have versioning enabled.');
    if (destination.storageClass !== undefined && !storageClasses.includes(destination.storageClass)) {
      throw new S3Error('InvalidStorageClass', 'The storage class you specified is not valid', 400);
    }
    const rtc = destination.replicationTime;
    if (rtc) {
      if (rtc.status !== 'Enabled' && rtc.status !== 'Disabled') throw s3Errors.malformedXml();
      if (rtc.status === 'Enabled') {
        if (rtc.minutes !== RTC_BOUND_MS / 60_000) {
          throw s3Errors.invalidArgument('ReplicationTime Time Minutes must be 15', 'Minutes', String(rtc.minutes ?? ''));
        }
        if (destination.metrics?.status !== 'Enabled') {
          throw s3Errors.invalidRequest('Replication Time Control must be used in conjunction with replication metrics: set Metrics Status to Enabled.');
        }
      }
    }
    const metrics = destination.metrics;
    if (metrics) {
      if (metrics.status !== 'Enabled' && metrics.status !== 'Disabled') throw s3Errors.malformedXml();
      if (metrics.status === 'Enabled' && metrics.eventThresholdMinutes !== undefined && metrics.eventThresholdMinutes !== 15) {
        throw s3Errors.invalidArgument('Metrics EventThreshold Minutes must be 15', 'Minutes', String(metrics.eventThresholdMinutes));
      }
    }
  }

  // ---- objects ----------------------------------------------------------

  private versionRng(bucket: Bucket): Rng {
    let rng = this.versionRngs.get(bucket.arn);
    if (!rng) {
      rng = this.world.rng.fork(`s3:versions:${bucket.arn}`);
      this.versionRngs.set(bucket.arn, rng);
    }
    return rng;
  }

  private newVersionId(bucket: Bucket, key: string): string {
    const taken = new Set((bucket.objects.get(key) ?? []).map((e) => e.versionId));
    for (;;) {
      const id = this.versionRng(bucket).alnum(32, VERSION_ID_ALPHABET);
      if (!taken.has(id)) return id;
    }
  }

  private checkKey(key: string): void {
    if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw s3Errors.keyTooLong();
  }

  checkVersionId(versionId: string): void {
    if (versionId !== NULL_VERSION && !VERSION_ID_PATTERN.test(versionId)) {
      throw s3Errors.invalidArgument('Invalid version id specified', 'versionId', versionId);
    }
  }

  private checkStorageClass(storageClass: string | undefined): void {
    if (storageClass !== undefined && !storageClasses.includes(storageClass)) {
      throw new S3Error('InvalidStorageClass', 'The storage class you specified is not valid', 400, { StorageClassRequested: storageClass });
    }
  }

  /**
   * Store a new version on top: a `null` version replaces the previous
   * `null` version (object or delete marker). The caller queues it for
   * replication once it has recorded the write.
   */
  private store(bucket: Bucket, entry: VersionEntry): void {
    const entries = bucket.objects.get(entry.key) ?? [];
    const kept = entry.versionId === NULL_VERSION ? entries.filter((e) => e.versionId !== NULL_VERSION) : entries;
    bucket.objects.set(entry.key, [entry, ...kept]);
  }

  private versionIdFor(bucket: Bucket, key: string): string {
    return bucket.versioning === 'Enabled' ? this.newVersionId(bucket, key) : NULL_VERSION;
  }

  putObject(ctx: CallContext, input: PutObjectInput): { bucket: Bucket; version: ObjectVersion } {
    const bucket = this.bucketFor(ctx, input.bucket);
    this.checkKey(input.key);
    this.checkStorageClass(input.storageClass);
    const claims = input.integrity ?? { checksums: {} };
    verifyIntegrity(input.body, claims);
    const current = this.latest(bucket, input.key);
    const currentObject = current?.kind === 'object' ? current : undefined;
    if (input.ifNoneMatch !== undefined) {
      if (input.ifNoneMatch !== '*') throw s3Errors.notImplemented('If-None-Match');
      if (currentObject) throw s3Errors.preconditionFailed('If-None-Match');
    }
    if (input.ifMatch !== undefined) {
      if (!currentObject) throw s3Errors.noSuchKey(input.key);
      if (!etagMatches(input.ifMatch, currentObject.etag)) throw s3Errors.preconditionFailed('If-Match');
    }
    const version = this.newObject(bucket, input.key, input.body, this.now(), {
      headers: { contentType: 'binary/octet-stream', ...input.headers },
      metadata: input.metadata ?? {},
      storageClass: input.storageClass ?? 'STANDARD',
      tags: input.tags ?? [],
      checksum: this.checksumFor(input.body, claims),
    });
    this.store(bucket, version);
    this.world.emit('s3.object.put', {
      bucket: bucket.name,
      key: version.key,
      versionId: version.versionId,
      size: version.body.byteLength,
      etag: version.etag,
    });
    this.replication.enqueue(bucket, version);
    return { bucket, version: snapshot(version) };
  }

  /** The checksum S3 keeps: the one the client sent, else CRC64NVME (S3's default for uploads without one). */
  private checksumFor(body: Uint8Array, claims: IntegrityClaims): StoredChecksum {
    for (const algorithm of checksumAlgorithms) {
      const value = claims.checksums[algorithm];
      if (value !== undefined) return { algorithm, value };
    }
    return { algorithm: 'CRC64NVME', value: computeChecksum('CRC64NVME', body) };
  }

  private newObject(
    bucket: Bucket,
    key: string,
    body: Uint8Array,
    at: EpochMs,
    rest: Pick<ObjectVersion, 'headers' | 'metadata' | 'storageClass' | 'tags' | 'checksum' | 'partSizes'>,
  ): ObjectVersion {
    return {
      kind: 'object',
      key,
      versionId: this.versionIdFor(bucket, key),
      body: new Uint8Array(body),
      etag: `"${md5Hex(body)}"`,
      lastModified: at,
      ...rest,
    };
  }

  latest(bucket: Bucket, key: string): VersionEntry | undefined {
    return bucket.objects.get(key)?.[0];
  }

  /** The version a read names: the latest, or the one `versionId` names. */
  private find(bucket: Bucket, key: string, versionId: string | undefined): VersionEntry {
    if (versionId === undefined) {
      const latest = this.latest(bucket, key);
      if (!latest) throw s3Errors.noSuchKey(key);
      return latest;
    }
    this.checkVersionId(versionId);
    const entry = bucket.objects.get(key)?.find((e) => e.versionId === versionId);
    if (!entry) throw s3Errors.noSuchVersion(key, versionId);
    return entry;
  }

  /** GET/HEAD: the object version, or the errors S3 gives for delete markers, archived objects and failed conditions. */
  getObject(ctx: CallContext, input: GetObjectInput): GetObjectResult {
    const bucket = this.bucketFor(ctx, input.bucket);
    const entry = this.find(bucket, input.key, input.versionId);
    if (entry.kind === 'delete-marker') {
      if (input.versionId !== undefined) {
        throw s3Errors.methodNotAllowed({
          'x-amz-delete-marker': 'true',
          'x-amz-version-id': entry.versionId,
          'last-modified': new Date(entry.lastModified).toUTCString(),
          allow: 'DELETE',
        });
      }
      throw s3Errors.noSuchKey(input.key, { 'x-amz-delete-marker': 'true', 'x-amz-version-id': entry.versionId });
    }
    if (archived.has(entry.storageClass)) {
      throw new S3Error('InvalidObjectState', "The operation is not valid for the object's storage class", 403, {
        StorageClass: entry.storageClass,
      });
    }
    this.checkConditions(entry, input.conditions ?? {});
    if (input.partNumber !== undefined) {
      if (input.range !== undefined) throw s3Errors.invalidRequest('Cannot specify both Range header and partNumber query parameter');
      return { bucket, version: snapshot(entry), ...S3Model.partOf(entry, input.partNumber) };
    }
    const range = input.range === undefined ? undefined : parseRange(input.range, entry.body.byteLength);
    return { bucket, version: snapshot(entry), ...(range ? { range } : {}) };
  }

  /**
   * The bytes of part `number`: of a multipart object, its `number`th part
   * in order; of an object written whole, part 1 is all of it (S3 answers
   * both as ranged reads). By position, not by the number a part was
   * uploaded under: AWS does not document an upload completed with gaps in
   * its numbers, and downloaders read parts 1 to PartsCount.
   */
  private static partOf(entry: ObjectVersion, number: number): Pick<GetObjectResult, 'range' | 'partsCount'> {
    if (!Number.isInteger(number) || number < 1 || number > 10_000) {
      throw s3Errors.invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', String(number));
    }
    const size = entry.body.byteLength;
    const parts = entry.partSizes;
    const notSatisfiable = () =>
      new S3Error('InvalidPartNumber', 'The requested partnumber is not satisfiable', 416, { PartNumberRequested: String(number), ActualPartCount: String(parts?.length ?? 1) });
    if (!parts) {
      if (number !== 1) throw notSatisfiable();
      return size > 0 ? { range: { start: 0, end: size - 1 } } : {};
    }
    if (number > parts.length) throw notSatisfiable();
    const start = parts.slice(0, number - 1).reduce((sum, n) => sum + n, 0);
    return { range: { start, end: start + parts[number - 1]! - 1 }, partsCount: parts.length };
  }

  /** RFC 7232 as S3 applies it: If-Match wins over If-Unmodified-Since, If-None-Match over If-Modified-Since. */
  private checkConditions(entry: ObjectVersion, conditions: ReadConditions): void {
    const modifiedSecond = Math.floor(entry.lastModified / 1000) * 1000;
    if (conditions.ifMatch !== undefined) {
      if (!etagMatches(conditions.ifMatch, entry.etag)) throw s3Errors.preconditionFailed('If-Match');
    } else if (conditions.ifUnmodifiedSince !== undefined && modifiedSecond > conditions.ifUnmodifiedSince) {
      throw s3Errors.preconditionFailed('If-Unmodified-Since');
    }
    if (conditions.ifNoneMatch !== undefined) {
      if (etagMatches(conditions.ifNoneMatch, entry.etag)) throw s3Errors.notModified();
    } else if (conditions.ifModifiedSince !== undefined && modifiedSecond <= conditions.ifModifiedSince) {
      throw s3Errors.notModified();
    }
  }

  deleteObject(ctx: CallContext, input: { bucket: string; key: string; versionId?: string }): DeleteObjectResult {
    const bucket = this.bucketFor(ctx, input.bucket);
    const { key, versionId } = input;
    if (versionId !== undefined) {
      this.checkVersionId(versionId);
      const entries = bucket.objects.get(key) ?? [];
      const entry = entries.find((e) => e.versionId === versionId);
      if (!entry) return { deleteMarker: false, versionId };
      this.removeVersion(bucket, key, versionId);
      // A permanent delete is never replicated: the destination keeps its copy.
      this.world.emit('s3.version.deleted', { bucket: bucket.name, key, versionId, deleteMarker: entry.kind === 'delete-marker' });
      return { deleteMarker: entry.kind === 'delete-marker', versionId };
    }
    if (bucket.versioning === undefined) {
      if (this.latest(bucket, key)) {
        this.removeVersion(bucket, key, NULL_VERSION);
        this.world.emit('s3.object.deleted', { bucket: bucket.name, key });
      }
      return { deleteMarker: false };
    }
    const marker: DeleteMarker = { kind: 'delete-marker', key, versionId: this.versionIdFor(bucket, key), lastModified: this.now() };
    this.store(bucket, marker);
    this.world.emit('s3.delete-marker.created', { bucket: bucket.name, key, versionId: marker.versionId });
    this.replication.enqueue(bucket, marker);
    return { deleteMarker: true, versionId: marker.versionId };
  }

  private removeVersion(bucket: Bucket, key: string, versionId: string): void {
    const left = (bucket.objects.get(key) ?? []).filter((e) => e.versionId !== versionId);
    if (left.length > 0) bucket.objects.set(key, left);
    else bucket.objects.delete(key);
  }


  /** A bucket's keys in S3's listing order. */
  sortedKeys(bucket: Bucket): string[] {
    return [...bucket.objects.keys()].sort(compareKeys);
  }

  copyObject(ctx: CallContext, input: CopyObjectInput): CopyObjectResult {
    const target = this.bucketFor(ctx, input.bucket);
    this.checkKey(input.key);
    this.checkStorageClass(input.storageClass);
    const directive = input.metadataDirective ?? 'COPY';
    if (directive !== 'COPY' && directive !== 'REPLACE') throw s3Errors.invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', directive);
    const taggingDirective = input.taggingDirective ?? 'COPY';
    if (taggingDirective !== 'COPY' && taggingDirective !== 'REPLACE') {
      throw s3Errors.invalidArgument('Unknown tagging directive.', 'x-amz-tagging-directive', taggingDirective);
    }
    let checksumAlgorithm: ChecksumAlgorithm | undefined;
    if (input.checksumAlgorithm !== undefined) {
      const upper = input.checksumAlgorithm.toUpperCase();
      if (!(checksumAlgorithms as readonly string[]).includes(upper)) {
        throw s3Errors.invalidRequest('Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]');
      }
      checksumAlgorithm = upper as ChecksumAlgorithm;
    }
    // The copy reads the source through its own region: down, or cut off from this one, it cannot be read.
    const { bucket: sourceBucket, version: entry } = this.copySourceFor(ctx, input.copySource, target);
    const ontoItself = sourceBucket === target && entry.key === input.key && this.latest(target, input.key) === entry;
    if (ontoItself && directive === 'COPY' && input.storageClass === undefined && checksumAlgorithm === undefined) {
      throw s3Errors.invalidRequest(
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      );
    }
    const version = this.newObject(target, input.key, entry.body, this.now(), {
      headers: directive === 'COPY' ? { ...entry.headers } : { contentType: 'binary/octet-stream', ...input.headers },
      metadata: directive === 'COPY' ? { ...entry.metadata } : { ...input.metadata },
      storageClass: input.storageClass ?? 'STANDARD',
      tags: taggingDirective === 'COPY' ? clone(entry.tags) : clone(input.tags ?? []),
      checksum:
        checksumAlgorithm === undefined || checksumAlgorithm === entry.checksum.algorithm
          ? { ...entry.checksum }
          : { algorithm: checksumAlgorithm, value: computeChecksum(checksumAlgorithm, entry.body) },
    });
    this.store(target, version);
    this.world.emit('s3.object.copied', {
      bucket: target.name,
      key: version.key,
      versionId: version.versionId,
      source: { bucket: sourceBucket.name, key: entry.key, versionId: entry.versionId },
    });
    this.replication.enqueue(target, version);
    return {
      bucket: target,
      version: snapshot(version),
      ...(sourceBucket.versioning !== undefined ? { sourceVersionId: entry.versionId } : {}),
    };
  }

  /** A replica lands in the destination with the source's version id; older than the destination's newest, it is not the latest. */
  private applyReplica(destination: Bucket, source: VersionEntry, storageClass: string | undefined): void {
    const entries = destination.objects.get(source.key) ?? [];
    if (entries.some((e) => e.versionId === source.versionId)) return;
    const replica: VersionEntry =
      source.kind === 'object'
        ? { ...snapshot(source), storageClass: storageClass ?? source.storageClass, replicationStatus: 'REPLICA' }
        : { ...snapshot(source), replicationStatus: 'REPLICA' };
    const at = entries.findIndex((e) => e.lastModified <= replica.lastModified);
    const next = [...entries];
    next.splice(at < 0 ? next.length : at, 0, replica);
    destination.objects.set(source.key, next);
  }

  // ---- seeding and ground truth ------------------------------------------

  /**
   * A bucket in its steady state at t=0: created, versioned, tagged,
   * replicating (its destination must already exist, versioned), with its
   * objects written and already replicated.
   */
  /** Write every bucket's seeded contents not written yet, in the order they were seeded. */
  writePendingSeeds(): void {
    if (this.seeding || this.pendingSeeds.length === 0) return;
    this.seeding = true;
    try {
      const pending = this.pendingSeeds;
      this.pendingSeeds = [];
      for (const write of pending) write();
    } finally {
      this.seeding = false;
    }
  }

  seedBucket(spec: SeedBucketSpec): Bucket {
    if (!isValidBucketName(spec.name)) throw new Error(`seedBucket: "${spec.name}" is not a valid bucket name`);
    if (this.buckets.has(spec.name)) throw new Error(`seedBucket: bucket ${spec.name} already exists`);
    const bucket = this.addBucket(spec.name, spec.region, spec.accountId ?? this.world.accountId);
    if (spec.versioning) bucket.versioning = spec.versioning;
    if (spec.tags) {
      const tags = Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value }));
      this.validateTags(tags);
      if (tags.length > 0) bucket.tags = tags;
    }
    if (spec.replication) {
      const r = spec.replication;
      const rule: ReplicationRule = {
        id: r.ruleId ?? `replicate-to-${r.destinationBucket}`,
        priority: r.priority ?? 1,
        status: 'Enabled',
        filter: { prefix: r.prefix ?? '' },
        destination: {
          bucket: `arn:aws:s3:::${r.destinationBucket}`,
          ...(r.storageClass ? { storageClass: r.storageClass } : {}),
          ...(r.rtc ? { replicationTime: { status: 'Enabled' as const, minutes: 15 }, metrics: { status: 'Enabled' as const, eventThresholdMinutes: 15 } } : {}),
        },
        deleteMarkerReplication: { status: r.deleteMarkerReplication ? 'Enabled' : 'Disabled' },
      };
      const role = r.role ?? `arn:aws:iam::${bucket.accountId}:role/s3-replication-${spec.name}`;
      try {
        bucket.replication = this.validateReplication(bucket, { role, rules: [rule] });
      } catch (error) {
        this.buckets.delete(spec.name);
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`seedBucket ${spec.name}: replication to ${r.destinationBucket} refused: ${message}`);
      }
    }
    const objects = spec.objects ?? [];
    if (objects.length > 0) {
      for (const object of objects) this.checkKey(object.key);
      const at = this.now();
      this.pendingSeeds.push(() => {
        for (const object of objects) this.putSeeded(bucket, object, at);
      });
      // One event for the bucket's contents, not one per object: t = 0 is one fact.
      const bytes = objects.reduce((sum, o) => sum + (typeof o.body === 'string' ? Buffer.byteLength(o.body, 'utf8') : o.body.byteLength), 0);
      this.world.emit('s3.bucket.objects-seeded', { bucket: bucket.name, objects: objects.length, bytes });
    }
    return bucket;
  }

  /** An object written as part of the steady state: replicated already if its bucket replicates. */
  seedObject(bucketName: string, spec: SeedObjectSpec): ObjectVersion {
    const bucket = this.buckets.get(bucketName);
    if (!bucket) throw new Error(`seedObject: no bucket ${bucketName}`);
    this.writePendingSeeds();
    const version = this.putSeeded(bucket, spec, this.now());
    this.world.emit('s3.object.put', { bucket: bucket.name, key: version.key, versionId: version.versionId, size: version.body.byteLength, seeded: true });
    return snapshot(version);
  }

  private putSeeded(bucket: Bucket, spec: SeedObjectSpec, at: EpochMs): ObjectVersion {
    this.checkKey(spec.key);
    const body = typeof spec.body === 'string' ? Buffer.from(spec.body, 'utf8') : spec.body;
    const version = this.newObject(bucket, spec.key, body, at, {
      headers: { contentType: spec.contentType ?? 'binary/octet-stream' },
      metadata: { ...spec.metadata },
      storageClass: 'STANDARD',
      tags: [],
      checksum: this.checksumFor(body, { checksums: {} }),
    });
    this.store(bucket, version);
    this.replication.seedReplicated(bucket, version, at);
    return version;
  }

  /** Every bucket, for ground truth (objects left out). */
  allBuckets(): Omit<Bucket, 'objects'>[] {
    // A spread leaves `objects` out (not enumerable).
    return [...this.buckets.values()].map((bucket) => clone({ ...bucket }));
  }

  bucketsIn(region: string): Omit<Bucket, 'objects'>[] {
    return this.allBuckets().filter((b) => b.region === region);
  }

  hasBucket(name: string): boolean {
    return this.buckets.has(name);
  }

  /** The key's latest version is an object (not absent, not a delete marker). */
  hasObject(bucket: string, key: string): boolean {
    return this.buckets.get(bucket)?.objects.get(key)?.[0]?.kind === 'object';
  }

  replicationConfigured(name: string): boolean {
    return this.buckets.get(name)?.replication !== undefined;
  }

  /** Every version of `key`, newest first (ground truth; empty when none). */
  versionsOf(bucket: string, key: string): VersionEntry[] {
    return (this.buckets.get(bucket)?.objects.get(key) ?? []).map(snapshot);
  }

  /** The object a plain GET would return now, or undefined (no key, or a delete marker on top). */
  currentObject(bucket: string, key: string): ObjectVersion | undefined {
    const latest = this.buckets.get(bucket)?.objects.get(key)?.[0];
    return latest?.kind === 'object' ? snapshot(latest) : undefined;
  }

  /** Keys whose latest version is an object, in list order. */
  currentKeys(bucket: string): string[] {
    const found = this.buckets.get(bucket);
    if (!found) return [];
    return this.sortedKeys(found).filter((key) => found.objects.get(key)?.[0]?.kind === 'object');
  }

  /** Versions of `bucket` still to replicate (queued, or held by a pause or a source-region outage). */
  replicationBacklog(bucket: string): ReplicationBacklogEntry[] {
    this.writePendingSeeds();
    return this.replication.backlog(bucket);
  }

  /** Milliseconds from the write to its replica, once it replicated (first destination); undefined before or when it failed. */
  replicationLagOf(bucket: string, key: string, versionId: string): number | undefined {
    this.writePendingSeeds();
    const done = this.replication.outcomesOf(bucket, key, versionId).find((o) => o.status === 'COMPLETED');
    return done ? done.finishedAt - done.createdAt : undefined;
  }

  replicationOutcomes(bucket: string, key: string, versionId: string): ReplicationOutcome[] {
    this.writePendingSeeds();
    return this.replication.outcomesOf(bucket, key, versionId);
  }

  /** Pause replication from a source bucket (what FIS aws:s3:bucket-pause-replication does); returns the pause id. */
  pauseReplication(spec: Omit<ReplicationPause, 'id' | 'since'>): string {
    this.writePendingSeeds();
    if (!this.buckets.has(spec.sourceBucket)) throw new Error(`pauseReplication: no bucket ${spec.sourceBucket}`);
    return this.replication.pause(spec);
  }

  resumeReplication(pauseId: string): void {
    this.replication.resume(pauseId);
  }

  /** S3 Batch Replication of a bucket's FAILED versions; returns how many were queued again. */
  retryFailedReplication(bucket: string): number {
    const found = this.buckets.get(bucket);
    if (!found) throw new Error(`retryFailedReplication: no bucket ${bucket}`);
    return this.replication.retryFailed(found);
  }
}

/** `[/]bucket/key[?versionId=id]`, percent-encoded, as x-amz-copy-source carries it. */
export function parseCopySource(raw: string): { bucket: string; key: string; versionId?: string } {
  const invalid = () => s3Errors.invalidArgument('Invalid copy source object key', 'x-amz-copy-source', raw);
  const [pathPart, queryPart] = splitOnce(raw, '?');
  let path: string;
  try {
    path = decodeURIComponent(pathPart);
  } catch {
    throw invalid();
  }
  if (path.startsWith('/')) path = path.slice(1);
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) throw invalid();
  const bucket = path.slice(0, slash);
  const key = path.slice(slash + 1);
  let versionId: string | undefined;
  if (queryPart !== undefined) {
    const params = new URLSearchParams(queryPart);
    const value = params.get('versionId');
    if (value === null) throw invalid();
    versionId = value;
  }
  return { bucket, key, ...(versionId !== undefined ? { versionId } : {}) };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + separator.length)];
}

/**
 * A `Range: bytes=…` header against an object of `size` bytes: the inclusive
 * range served, undefined to serve the whole object (S3 ignores a Range it
 * cannot parse, and multiple ranges), InvalidRange when unsatisfiable.
 */
export function parseRange(header: string, size: number): { start: number; end: number } | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const [, from, to] = match;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0 || size === 0) throw s3Errors.invalidRange(size, header);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (to !== '' && Number(to) < start) return undefined;
  if (start >= size) throw s3Errors.invalidRange(size, header);
  return { start, end };
}
