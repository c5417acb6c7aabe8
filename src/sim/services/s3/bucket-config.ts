import type { CallContext } from '../../types.js';
import { S3Error, s3Errors } from './errors.js';
import { clone, type S3Model } from './model.js';
import type { ReplicationConfiguration, Tag, VersioningStatus } from './types.js';

/** A bucket's configuration: versioning, tagging and replication, each put, got and deleted over the model's buckets. */

// ---- versioning -------------------------------------------------------

export function putBucketVersioning(model: S3Model, ctx: CallContext, name: string, input: { status?: string; mfaDelete?: string }): void {
  model.writePendingSeeds();
  const bucket = model.bucketFor(ctx, name);
  if (input.status === undefined && input.mfaDelete === undefined) throw s3Errors.malformedXml();
  if (input.status !== undefined && input.status !== 'Enabled' && input.status !== 'Suspended') throw s3Errors.malformedXml();
  if (input.mfaDelete !== undefined && input.mfaDelete !== 'Enabled' && input.mfaDelete !== 'Disabled') throw s3Errors.malformedXml();
  if (input.mfaDelete === 'Enabled') {
    // The sim has no MFA devices, so no request can carry a valid x-amz-mfa.
    throw new S3Error('AccessDenied', 'Mfa Authentication must be used for this request', 403);
  }
  if (input.status === 'Suspended' && bucket.replication) {
    throw s3Errors.invalidBucketState(
      'A replication configuration is present on this bucket, so you cannot change the versioning state. To change the versioning state, first delete the replication configuration.',
    );
  }
  if (input.mfaDelete !== undefined) bucket.mfaDelete = input.mfaDelete;
  if (input.status !== undefined && input.status !== bucket.versioning) {
    bucket.versioning = input.status;
    model.world.emit('s3.bucket.versioning', { bucket: name, status: input.status });
  }
}

export function getBucketVersioning(model: S3Model, ctx: CallContext, name: string): { status?: VersioningStatus; mfaDelete?: 'Enabled' | 'Disabled' } {
  const bucket = model.bucketFor(ctx, name);
  return {
    ...(bucket.versioning ? { status: bucket.versioning } : {}),
    ...(bucket.mfaDelete ? { mfaDelete: bucket.mfaDelete } : {}),
  };
}

export function putBucketTagging(model: S3Model, ctx: CallContext, name: string, tags: Tag[]): void {
  const bucket = model.bucketFor(ctx, name);
  model.validateTags(tags);
  bucket.tags = tags.length > 0 ? clone(tags) : undefined;
  model.world.emit('s3.bucket.tagged', { bucket: name, tags: Object.fromEntries(tags.map((t) => [t.Key, t.Value])) });
}

export function getBucketTagging(model: S3Model, ctx: CallContext, name: string): Tag[] {
  const bucket = model.bucketFor(ctx, name);
  if (!bucket.tags) throw s3Errors.noSuchTagSet(name);
  return clone(bucket.tags);
}

export function deleteBucketTagging(model: S3Model, ctx: CallContext, name: string): void {
  const bucket = model.bucketFor(ctx, name);
  bucket.tags = undefined;
  model.world.emit('s3.bucket.tagged', { bucket: name, tags: {} });
}

// ---- replication configuration ---------------------------------------

export function putBucketReplication(model: S3Model, ctx: CallContext, name: string, config: ReplicationConfiguration): void {
  model.writePendingSeeds();
  const bucket = model.bucketFor(ctx, name);
  bucket.replication = model.validateReplication(bucket, config);
  model.world.emit('s3.bucket.replication', {
    bucket: name,
    rules: bucket.replication.rules.map((r) => ({ id: r.id, destination: r.destination.bucket, status: r.status })),
  });
}

export function getBucketReplication(model: S3Model, ctx: CallContext, name: string): ReplicationConfiguration {
  const bucket = model.bucketFor(ctx, name);
  if (!bucket.replication) throw s3Errors.replicationConfigurationNotFound(name);
  return clone(bucket.replication);
}

export function deleteBucketReplication(model: S3Model, ctx: CallContext, name: string): void {
  model.writePendingSeeds();
  const bucket = model.bucketFor(ctx, name);
  bucket.replication = undefined;
  model.world.emit('s3.bucket.replication', { bucket: name, rules: [] });
}
