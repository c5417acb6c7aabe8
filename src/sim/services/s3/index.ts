import type { FisActionDefinition, ServiceModule, SimWorld, TargetableResource } from '../../types.js';
import { createS3Binding } from './binding.js';
import { S3_BUCKET, s3FisActions } from './fis-actions.js';
import { S3Model } from './model.js';
import { MultipartUploads } from './multipart.js';

export { S3Model, compareKeys, isValidBucketName, parseCopySource, parseRange, verifyIntegrity } from './model.js';
export { S3_XML_NAMESPACE, s3Flattened, s3MemberNames, s3Operations } from './binding.js';
export { S3Error, s3Errors } from './errors.js';
export { RTC_BOUND_MS, bucketNameOfArn } from './replication.js';
export { S3_BUCKET } from './fis-actions.js';
export { MultipartUploads, MAX_PARTS, MIN_PART_BYTES } from './multipart.js';
export type {
  Bucket,
  ChecksumAlgorithm,
  DeleteMarker,
  ObjectVersion,
  ReplicationBacklogEntry,
  ReplicationConfiguration,
  ReplicationOutcome,
  ReplicationPause,
  ReplicationRule,
  ReplicationStatus,
  SeedBucketSpec,
  SeedObjectSpec,
  SeedReplicationSpec,
  VersionEntry,
  VersioningStatus,
} from './types.js';

/** A bucket as FIS sees it; `BucketName` and `BucketRegion` are usable as target filter paths. */
export interface BucketResource extends TargetableResource {
  BucketName: string;
}

/** The simulated Amazon S3: its model (seeding, ground truth), its restXml binding, its FIS action. */
export interface S3Module extends ServiceModule {
  readonly name: 's3';
  readonly model: S3Model;
  readonly multipart: MultipartUploads;
  readonly fisActions: FisActionDefinition[];
  targetable(type: string, region: string): TargetableResource[];
}

export function createS3Module(world: SimWorld): S3Module {
  const model = new S3Model(world);
  const multipart = new MultipartUploads(model, world);
  return {
    name: 's3',
    model,
    multipart,
    binding: createS3Binding(model, multipart),
    fisActions: s3FisActions(model),
    targetable(type, region): BucketResource[] {
      if (type !== S3_BUCKET) return [];
      return model
        .bucketsIn(region)
        .filter((bucket) => bucket.accountId === world.accountId)
        .map((bucket) => ({
          arn: bucket.arn,
          type,
          region,
          tags: Object.fromEntries((bucket.tags ?? []).map((t) => [t.Key, t.Value])),
          BucketName: bucket.name,
        }));
    },
  };
}
