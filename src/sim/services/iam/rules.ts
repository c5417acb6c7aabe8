import { AwsError, type AuthorizationRequest, type SimWorld } from '../../types.js';
import { jsonString, pathLabels, queryParameter, queryStringValue, s3Address, s3DeleteEntries } from './request.js';
import { isBucketVersioningSource, type ProtectedTarget, type ProtectionRule } from './types.js';

/**
 * The sim's IAM policy: deleting backups, object versions and recovery
 * points needs the backup-admin role (DESIGN §6). One row per protected
 * operation: service, operation, the IAM action, and what the request acts
 * on (which also decides whether the row applies to it at all).
 */

const one = (type: string, name: string, arn: string): ProtectedTarget => ({
  arn,
  resources: [{ type, name }],
  affected: { [type]: arn },
});

/** An identifier that may be given as a name or as its ARN (RDS accepts both). */
const nameOf = (identifier: string, marker: string): string => {
  const at = identifier.startsWith('arn:') ? identifier.lastIndexOf(marker) : -1;
  return at < 0 ? identifier : identifier.slice(at + marker.length);
};

function s3Object(bucket: string, key: string): ProtectedTarget {
  const arn = `arn:aws:s3:::${bucket}/${key}`;
  return {
    arn,
    resources: [
      { type: 'AWS::S3::Bucket', name: bucket },
      { type: 'AWS::S3::Object', name: `${bucket}/${key}` },
    ],
    affected: { 'AWS::S3::Bucket': `arn:aws:s3:::${bucket}`, 'AWS::S3::Object': arn },
  };
}

function isVersionedBucket(world: SimWorld, bucket: string): boolean {
  const s3 = world.modules().find((m) => m.name === 's3');
  // Without an S3 model that can say, no bucket is known to hold versions.
  if (!s3 || !isBucketVersioningSource(s3)) return false;
  return s3.bucketVersioning(bucket) !== undefined;
}

/** Whether the snapshot carries the exempt tag (ProtectionPolicy.exemptTag); never, when there is none. */
function carriesExemptTag(world: SimWorld, region: string, snapshot: string, exemptTag: string | undefined): boolean {
  if (exemptTag === undefined) return false;
  const rds = world.findModule('rds');
  try {
    return rds?.model.snapshot(region, snapshot).tags.some((t) => t.Key === exemptTag) ?? false;
  } catch {
    // No such snapshot: RDS answers DBSnapshotNotFound itself.
    return false;
  }
}

export const protectionRules: readonly ProtectionRule[] = [
  {
    service: 'rds',
    operation: 'DeleteDBSnapshot',
    action: 'rds:DeleteDBSnapshot',
    target: ({ request, ctx }, policy) => {
      const id = queryParameter(request, 'DBSnapshotIdentifier');
      if (!id) return undefined;
      const name = nameOf(id, ':snapshot:');
      // Like an IAM condition on aws:ResourceTag: whoever carries the exempt tag may remove the snapshot.
      if (carriesExemptTag(ctx.world, ctx.region, name, policy.exemptTag)) return undefined;
      return one('AWS::RDS::DBSnapshot', name, `arn:aws:rds:${ctx.region}:${ctx.accountId}:snapshot:${name}`);
    },
  },
  {
    service: 'rds',
    operation: 'DeleteDBClusterSnapshot',
    action: 'rds:DeleteDBClusterSnapshot',
    target: ({ request, ctx }) => {
      const id = queryParameter(request, 'DBClusterSnapshotIdentifier');
      if (!id) return undefined;
      const name = nameOf(id, ':cluster-snapshot:');
      return one('AWS::RDS::DBClusterSnapshot', name, `arn:aws:rds:${ctx.region}:${ctx.accountId}:cluster-snapshot:${name}`);
    },
  },
  {
    service: 'ec2',
    operation: 'DeleteSnapshot',
    action: 'ec2:DeleteSnapshot',
    target: ({ request, ctx }) => {
      const id = queryParameter(request, 'SnapshotId');
      return id ? one('AWS::EC2::Snapshot', id, `arn:aws:ec2:${ctx.region}::snapshot/${id}`) : undefined;
    },
  },
  {
    service: 'dynamodb',
    operation: 'DeleteBackup',
    action: 'dynamodb:DeleteBackup',
    target: ({ request }) => {
      const arn = jsonString(request, 'BackupArn');
      return arn ? one('AWS::DynamoDB::Backup', arn, arn) : undefined;
    },
  },
  {
    service: 'backup',
    operation: 'DeleteRecoveryPoint',
    action: 'backup:DeleteRecoveryPoint',
    target: ({ request }) => {
      const labels = pathLabels(request, '/backup-vaults/{BackupVaultName}/recovery-points/{RecoveryPointArn}');
      const arn = labels?.['RecoveryPointArn'];
      if (!arn) return undefined;
      const target = one('AWS::Backup::RecoveryPoint', arn, arn);
      target.resources.push({ type: 'AWS::Backup::BackupVault', name: labels['BackupVaultName']! });
      return target;
    },
  },
  {
    service: 's3',
    operation: 'DeleteObject',
    action: 's3:DeleteObjectVersion',
    target: ({ request }) => {
      // Without a version id DeleteObject only adds a delete marker: the data stays, no rule applies.
      if (!queryStringValue(request, 'versionId')) return undefined;
      const { bucket, key } = s3Address(request);
      return bucket && key !== undefined ? s3Object(bucket, key) : undefined;
    },
  },
  {
    service: 's3',
    operation: 'DeleteObjects',
    action: 's3:DeleteObjectVersion',
    target: ({ request }) => {
      const { bucket } = s3Address(request);
      const versioned = s3DeleteEntries(request).filter((e) => e.versionId !== undefined);
      if (!bucket || versioned.length === 0) return undefined;
      const target = s3Object(bucket, versioned[0]!.key);
      for (const entry of versioned.slice(1)) target.resources.push({ type: 'AWS::S3::Object', name: `${bucket}/${entry.key}` });
      return target;
    },
  },
  {
    service: 's3',
    operation: 'DeleteBucket',
    action: 's3:DeleteBucket',
    target: ({ request, ctx }) => {
      const { bucket, key } = s3Address(request);
      if (!bucket || key !== undefined || !isVersionedBucket(ctx.world, bucket)) return undefined;
      return one('AWS::S3::Bucket', bucket, `arn:aws:s3:::${bucket}`);
    },
  },
];

/**
 * AccessDenied in each service's own code and status, so the SDK throws
 * what it throws against AWS. The message is IAM's.
 */
const denialShapes: Record<string, (message: string) => AwsError> = {
  rds: (message) => new AwsError('AccessDenied', message, 403),
  s3: (message) => new AwsError('AccessDenied', message, 403),
  backup: (message) => new AwsError('AccessDeniedException', message, 403),
  ec2: (message) => new AwsError('UnauthorizedOperation', `You are not authorized to perform this operation. ${message}`, 403),
  // DynamoDB answers AccessDeniedException with 400, not 403.
  dynamodb: (message) => new AwsError('AccessDeniedException', message, 400),
};

/** IAM's wording for an implicit deny. */
export function notAuthorizedMessage(call: AuthorizationRequest, action: string, resourceArn: string): string {
  return `User: ${call.ctx.identity.arn} is not authorized to perform: ${action} on resource: ${resourceArn} because no identity-based policy allows the ${action} action`;
}

export function accessDenied(call: AuthorizationRequest, action: string, resourceArn: string): AwsError {
  const message = notAuthorizedMessage(call, action, resourceArn);
  const shape = denialShapes[call.service] ?? ((m: string) => new AwsError('AccessDeniedException', m, 403));
  return shape(message);
}
