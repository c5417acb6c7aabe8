import { decodeParams, paramsOf } from '../../protocols/query.js';
import type { JsonObject, JsonValue } from '../../protocols/rest-json.js';
import type { AuthorizationRequest, SimRequest } from '../../types.js';
import { jsonBody, pathLabels, queryStringValue, s3Address } from '../iam/request.js';
import type { AuditResource, RequestDetails } from './types.js';

/**
 * What CloudTrail writes about a request that the audit record does not
 * keep: its parameters (CloudTrail's `requestParameters`, member names
 * with a lower-case first letter as CloudTrail writes them), the resources
 * it names, where it came from. Knows each protocol's shape, not each
 * service's model; a malformed request simply yields fewer details.
 */

const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';
const secretName = /password|secret/i;

/**
 * Data-plane operations: CloudTrail logs them as data events (only to
 * trails that ask for them, never to Event history), and logs only what
 * identifies the item or object, never its contents. For S3 that is every
 * object-level call, listing a bucket's objects and versions included;
 * bucket-level calls (CreateBucket, HeadBucket, ListBuckets,
 * Put/GetBucketVersioning …) are management events.
 */
const dataEvents: Record<string, ReadonlySet<string>> = {
  s3: new Set([
    'GetObject',
    'PutObject',
    'DeleteObject',
    'DeleteObjects',
    'HeadObject',
    'CopyObject',
    'GetObjectAttributes',
    'RestoreObject',
    'GetObjectAcl',
    'PutObjectAcl',
    'GetObjectTagging',
    'PutObjectTagging',
    'DeleteObjectTagging',
    'CreateMultipartUpload',
    'UploadPart',
    'UploadPartCopy',
    'CompleteMultipartUpload',
    'AbortMultipartUpload',
    'ListParts',
    'ListObjects',
    'ListObjectsV2',
    'ListObjectVersions',
  ]),
  dynamodb: new Set([
    'GetItem',
    'PutItem',
    'UpdateItem',
    'DeleteItem',
    'Query',
    'Scan',
    'BatchGetItem',
    'BatchWriteItem',
    'TransactGetItems',
    'TransactWriteItems',
  ]),
};

export function isDataEvent(service: string, operation: string): boolean {
  return dataEvents[service]?.has(operation) ?? false;
}

/**
 * Request parameters that name a resource, by service: parameter → the
 * CloudFormation-style type CloudTrail's Resources use. Used for calls
 * whose binding reported no resources, refused calls among them.
 */
const resourceParameters: Record<string, Record<string, string>> = {
  rds: {
    DBInstanceIdentifier: 'AWS::RDS::DBInstance',
    SourceDBInstanceIdentifier: 'AWS::RDS::DBInstance',
    TargetDBInstanceIdentifier: 'AWS::RDS::DBInstance',
    DBSnapshotIdentifier: 'AWS::RDS::DBSnapshot',
    SourceDBSnapshotIdentifier: 'AWS::RDS::DBSnapshot',
    TargetDBSnapshotIdentifier: 'AWS::RDS::DBSnapshot',
    DBClusterIdentifier: 'AWS::RDS::DBCluster',
    DBClusterSnapshotIdentifier: 'AWS::RDS::DBClusterSnapshot',
  },
  ec2: {
    SnapshotId: 'AWS::EC2::Snapshot',
    SourceSnapshotId: 'AWS::EC2::Snapshot',
    VolumeId: 'AWS::EC2::Volume',
  },
  dynamodb: {
    TableName: 'AWS::DynamoDB::Table',
    SourceTableName: 'AWS::DynamoDB::Table',
    TargetTableName: 'AWS::DynamoDB::Table',
    BackupArn: 'AWS::DynamoDB::Backup',
  },
  backup: {
    BackupVaultName: 'AWS::Backup::BackupVault',
    RecoveryPointArn: 'AWS::Backup::RecoveryPoint',
    BackupPlanId: 'AWS::Backup::BackupPlan',
    ResourceArn: 'AWS::Backup::ProtectedResource',
  },
};

/** AWS Backup's routes whose path names a resource, for the labels in them. */
const backupPaths = [
  '/backup-vaults/{BackupVaultName}/recovery-points/{RecoveryPointArn}',
  '/backup-vaults/{BackupVaultName}/recovery-points/{RecoveryPointArn}/restore-metadata',
  '/backup-vaults/{BackupVaultName}/recovery-points',
  '/backup-vaults/{BackupVaultName}',
  '/backup/plans/{BackupPlanId}',
];

export function requestDetailsOf(call: AuthorizationRequest): RequestDetails {
  const { request, service, operation } = call;
  const named = namedParameters(call);
  const data = isDataEvent(service, operation);
  return {
    requestParameters: named ? cloudTrailParameters(named, data ? identifyingOnly(service) : undefined) : null,
    resources: named ? resourcesIn(service, named) : [],
    sourceIPAddress: request.headers['x-forwarded-for']?.split(',')[0]?.trim() || '127.0.0.1',
    userAgent: request.headers['user-agent'] ?? request.headers['x-amz-user-agent'] ?? '',
  };
}

/** The request's parameters with their wire names, by protocol; undefined when it carries none we can read. */
function namedParameters({ request, service }: AuthorizationRequest): JsonObject | undefined {
  if (service === 's3') return s3Parameters(request);
  if (request.headers['x-amz-target']) return jsonBody(request) as JsonObject | undefined;
  const contentType = (request.headers['content-type'] ?? '').toLowerCase();
  if (contentType.startsWith('application/x-www-form-urlencoded') || request.query['Action'] !== undefined) {
    try {
      return decodeParams(paramsOf(request), { flattenLists: service === 'ec2' }) as JsonObject;
    } catch {
      return undefined;
    }
  }
  if (service === 'backup') {
    const labels = backupPaths.map((path) => pathLabels(request, path)).find((found) => found !== undefined);
    return { ...(jsonBody(request) as JsonObject | undefined), ...labels };
  }
  return jsonBody(request) as JsonObject | undefined;
}

function s3Parameters(request: SimRequest): JsonObject {
  const { bucket, key } = s3Address(request);
  const versionId = queryStringValue(request, 'versionId');
  return {
    ...(bucket ? { BucketName: bucket } : {}),
    ...(key !== undefined ? { Key: key } : {}),
    ...(versionId ? { VersionId: versionId } : {}),
    ...(request.headers['host'] ? { Host: request.headers['host'] } : {}),
  };
}

/** For data events: which top-level members identify the item or object. */
function identifyingOnly(service: string): ReadonlySet<string> {
  return service === 'dynamodb' ? new Set(['TableName', 'Key', 'IndexName']) : new Set(['BucketName', 'Key', 'VersionId', 'Host']);
}

function cloudTrailParameters(params: JsonObject, keep?: ReadonlySet<string>): JsonObject {
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(params)) {
    if (keep && !keep.has(name)) continue;
    out[lowerFirst(name)] = secretName.test(name) ? HIDDEN : renamed(value);
  }
  return out;
}

function renamed(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(renamed);
  if (typeof value === 'object' && value !== null) return cloudTrailParameters(value);
  return value;
}

function lowerFirst(name: string): string {
  return name === '' ? name : name[0]!.toLowerCase() + name.slice(1);
}

function resourcesIn(service: string, params: JsonObject): AuditResource[] {
  if (service === 's3') {
    const bucket = params['BucketName'];
    const key = params['Key'];
    if (typeof bucket !== 'string') return [];
    const out: AuditResource[] = [{ type: 'AWS::S3::Bucket', name: bucket }];
    if (typeof key === 'string') out.push({ type: 'AWS::S3::Object', name: `${bucket}/${key}` });
    return out;
  }
  const table = resourceParameters[service];
  if (!table) return [];
  const out: AuditResource[] = [];
  for (const [parameter, type] of Object.entries(table)) {
    const value = params[parameter];
    if (typeof value === 'string' && value !== '') out.push({ type, name: value });
  }
  return out;
}
