import { RestXmlCodec, type XmlReader } from '../../protocols/rest-xml.js';
import { escapeXml, XML_DECLARATION, type XmlValue } from '../../protocols/xml.js';
import { AwsError, type CallContext, type InvokeResult, type ServiceBinding, type SimRequest, type SimResponse } from '../../types.js';
import {
  deleteBucketReplication,
  deleteBucketTagging,
  getBucketReplication,
  getBucketTagging,
  getBucketVersioning,
  putBucketReplication,
  putBucketTagging,
  putBucketVersioning,
} from './bucket-config.js';
import { checksumHeader } from './checksums.js';
import { S3Error, s3Errors } from './errors.js';
import { listObjectsV2, listObjectVersions } from './listing.js';
import { verifyIntegrity, type S3Model } from './model.js';
import { multipartOperations } from './multipart-binding.js';
import type { MultipartUploads } from './multipart.js';
import {
  BUCKET,
  bucketOf,
  bucketResource,
  checkExpectedOwner,
  encoderOf,
  header,
  keyOf,
  metadataOf,
  OBJECT,
  objectHeadersOf,
  objectResources,
  ownerOf,
  queryInteger,
  queryString,
  requireBody,
  taggingHeader,
  versionIdHeader,
  xmlHeaders,
  type S3Call,
  type S3Operation,
} from './operation.js';
import type { Bucket, ObjectVersion, ReplicationConfiguration, ReplicationRule, ReplicationRuleFilter, Tag, VersionEntry } from './types.js';
import { addressOf, httpDate, integrityOf, parseHttpDate, pathStylePath, payloadOf, type Payload } from './wire.js';

/** The namespace on every S3 response document. */
export const S3_XML_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/**
 * List fields and the element wrapping each member, from the SDK's schema
 * (`@aws-sdk/client-s3`): `<TagSet><Tag/>…</TagSet>`, `<Buckets><Bucket/>…`.
 */
export const s3MemberNames: Readonly<Record<string, string>> = {
  Buckets: 'Bucket',
  TagSet: 'Tag',
  'CreateBucketConfiguration.Tags': 'Tag',
};

/** Elements that repeat directly inside their parent (the schema's `xmlFlattened` lists). */
export const s3Flattened: readonly string[] = [
  'Contents',
  'CommonPrefixes',
  'Version',
  'DeleteMarker',
  'ReplicationConfiguration.Rule',
  'Delete.Object',
  'DeleteResult.Deleted',
  'DeleteResult.Error',
  'And.Tag',
  'Contents.ChecksumAlgorithm',
  'Version.ChecksumAlgorithm',
  'CompleteMultipartUpload.Part',
  'ListPartsResult.Part',
  'ListMultipartUploadsResult.Upload',
];

function readTag(reader: XmlReader): Tag {
  return { Key: reader.required('Key', (r, n) => r.string(n)), Value: reader.string('Value') ?? '' };
}

function readStatus(reader: XmlReader | undefined): { status: 'Enabled' | 'Disabled' } | undefined {
  if (!reader) return undefined;
  const status = reader.required('Status', (r, n) => r.string(n));
  if (status !== 'Enabled' && status !== 'Disabled') throw s3Errors.malformedXml();
  return { status };
}

function readFilter(reader: XmlReader): ReplicationRuleFilter {
  const filter: ReplicationRuleFilter = {};
  const prefix = reader.string('Prefix');
  if (prefix !== undefined) filter.prefix = prefix;
  const tag = reader.object('Tag');
  if (tag) filter.tag = readTag(tag);
  const and = reader.object('And');
  if (and) {
    const andPrefix = and.string('Prefix');
    filter.and = { ...(andPrefix !== undefined ? { prefix: andPrefix } : {}), tags: (and.objectList('Tag') ?? []).map(readTag) };
  }
  return filter;
}

function readRule(reader: XmlReader): ReplicationRule {
  const status = reader.required('Status', (r, n) => r.string(n));
  const destination = reader.required('Destination', (r, n) => r.object(n));
  const rule: ReplicationRule = {
    status: status as ReplicationRule['status'],
    destination: { bucket: destination.required('Bucket', (r, n) => r.string(n)) },
  };
  const id = reader.string('ID');
  if (id !== undefined) rule.id = id;
  const priority = reader.integer('Priority');
  if (priority !== undefined) rule.priority = priority;
  const prefix = reader.string('Prefix');
  if (prefix !== undefined) rule.prefix = prefix;
  const filter = reader.object('Filter');
  if (filter) rule.filter = readFilter(filter);
  const account = destination.string('Account');
  if (account !== undefined) rule.destination.account = account;
  const storageClass = destination.string('StorageClass');
  if (storageClass !== undefined) rule.destination.storageClass = storageClass;
  const rtc = destination.object('ReplicationTime');
  if (rtc) {
    const minutes = rtc.object('Time')?.integer('Minutes');
    rule.destination.replicationTime = {
      status: rtc.required('Status', (r, n) => r.string(n)) as 'Enabled',
      ...(minutes !== undefined ? { minutes } : {}),
    };
  }
  const metrics = destination.object('Metrics');
  if (metrics) {
    const threshold = metrics.object('EventThreshold')?.integer('Minutes');
    rule.destination.metrics = {
      status: metrics.required('Status', (r, n) => r.string(n)) as 'Enabled',
      ...(threshold !== undefined ? { eventThresholdMinutes: threshold } : {}),
    };
  }
  const deleteMarkers = readStatus(reader.object('DeleteMarkerReplication'));
  if (deleteMarkers) rule.deleteMarkerReplication = deleteMarkers;
  const existing = readStatus(reader.object('ExistingObjectReplication'));
  if (existing) rule.existingObjectReplication = existing;
  const criteria = reader.object('SourceSelectionCriteria');
  if (criteria) {
    const sse = readStatus(criteria.object('SseKmsEncryptedObjects'));
    const replicas = readStatus(criteria.object('ReplicaModifications'));
    rule.sourceSelectionCriteria = { ...(sse ? { sseKmsEncryptedObjects: sse } : {}), ...(replicas ? { replicaModifications: replicas } : {}) };
  }
  return rule;
}

function readReplication(body: XmlReader): ReplicationConfiguration {
  return {
    role: body.required('Role', (r, n) => r.string(n)),
    rules: body.required('Rule', (r, n) => r.objectList(n)).map(readRule),
  };
}

// ---- writing outputs --------------------------------------------------------

function checksumHeaders(version: ObjectVersion): Record<string, string> {
  return { [checksumHeader(version.checksum.algorithm)]: version.checksum.value, 'x-amz-checksum-type': version.checksum.type ?? 'FULL_OBJECT' };
}

/** Headers S3 returns with an object on GET and HEAD. */
function objectResponseHeaders(bucket: Bucket, version: ObjectVersion, call: S3Call): Record<string, string> {
  const h = version.headers;
  const headers: Record<string, string> = {
    'last-modified': httpDate(version.lastModified),
    etag: version.etag,
    'content-type': h.contentType,
    'accept-ranges': 'bytes',
    'x-amz-server-side-encryption': 'AES256',
    ...versionIdHeader(bucket, version.versionId),
  };
  if (h.cacheControl) headers['cache-control'] = h.cacheControl;
  if (h.contentDisposition) headers['content-disposition'] = h.contentDisposition;
  if (h.contentEncoding) headers['content-encoding'] = h.contentEncoding;
  if (h.contentLanguage) headers['content-language'] = h.contentLanguage;
  if (version.storageClass !== 'STANDARD') headers['x-amz-storage-class'] = version.storageClass;
  if (version.replicationStatus) headers['x-amz-replication-status'] = version.replicationStatus;
  if (version.tags.length > 0) headers['x-amz-tagging-count'] = String(version.tags.length);
  for (const [name, value] of Object.entries(version.metadata)) headers[`x-amz-meta-${name}`] = value;
  // Response overrides (presigned downloads use them to name the file).
  const overrides: [string, string][] = [
    ['response-content-type', 'content-type'],
    ['response-content-language', 'content-language'],
    ['response-expires', 'expires'],
    ['response-cache-control', 'cache-control'],
    ['response-content-disposition', 'content-disposition'],
    ['response-content-encoding', 'content-encoding'],
  ];
  for (const [param, name] of overrides) {
    const value = queryString(call, param);
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

function readObject(model: S3Model, call: S3Call) {
  const ifMatch = header(call, 'if-match');
  const ifNoneMatch = header(call, 'if-none-match');
  const ifModifiedSince = parseHttpDate(header(call, 'if-modified-since'));
  const ifUnmodifiedSince = parseHttpDate(header(call, 'if-unmodified-since'));
  const conditions = {
    ...(ifMatch !== undefined ? { ifMatch } : {}),
    ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}),
    ...(ifModifiedSince !== undefined ? { ifModifiedSince } : {}),
    ...(ifUnmodifiedSince !== undefined ? { ifUnmodifiedSince } : {}),
  };
  const versionId = queryString(call, 'versionId');
  const range = header(call, 'range');
  const partNumber = queryInteger(call, 'partNumber');
  const result = model.getObject(call.ctx, {
    bucket: bucketOf(call),
    key: keyOf(call),
    ...(versionId !== undefined ? { versionId } : {}),
    ...(range !== undefined ? { range } : {}),
    ...(partNumber !== undefined ? { partNumber } : {}),
    conditions,
  });
  const { bucket, version } = result;
  const size = version.body.byteLength;
  const headers = objectResponseHeaders(bucket, version, call);
  let body = version.body;
  let status = 200;
  if (result.range) {
    const { start, end } = result.range;
    body = version.body.subarray(start, end + 1);
    status = 206;
    headers['content-range'] = `bytes ${start}-${end}/${size}`;
    if (result.partsCount !== undefined) headers['x-amz-mp-parts-count'] = String(result.partsCount);
  } else if ((header(call, 'x-amz-checksum-mode') ?? '').toUpperCase() === 'ENABLED') {
    // Only for the whole object: a part of it has no full-object checksum to validate.
    Object.assign(headers, checksumHeaders(version));
  }
  headers['content-length'] = String(body.byteLength);
  return { bucket, version, headers, body, status };
}

function objectSummary(version: ObjectVersion, encode: (text: string) => string, owner?: { ID: string }): { [key: string]: XmlValue } {
  return {
    Key: encode(version.key),
    LastModified: new Date(version.lastModified),
    ETag: version.etag,
    ChecksumAlgorithm: [version.checksum.algorithm],
    ChecksumType: 'FULL_OBJECT',
    Size: version.body.byteLength,
    StorageClass: version.storageClass,
    Owner: owner,
  };
}

function versionEntryOut(model: S3Model, bucket: Bucket, entry: VersionEntry, isLatest: boolean, encode: (text: string) => string) {
  if (entry.kind === 'delete-marker') {
    return {
      Owner: ownerOf(model, bucket),
      Key: encode(entry.key),
      VersionId: entry.versionId,
      IsLatest: isLatest,
      LastModified: new Date(entry.lastModified),
    };
  }
  return {
    ETag: entry.etag,
    ChecksumAlgorithm: [entry.checksum.algorithm],
    ChecksumType: 'FULL_OBJECT',
    Size: entry.body.byteLength,
    StorageClass: entry.storageClass,
    Key: encode(entry.key),
    VersionId: entry.versionId,
    IsLatest: isLatest,
    LastModified: new Date(entry.lastModified),
    Owner: ownerOf(model, bucket),
  };
}

function filterOut(filter: ReplicationRuleFilter): { [key: string]: XmlValue } {
  return {
    Prefix: filter.prefix,
    Tag: filter.tag ? { ...filter.tag } : undefined,
    And: filter.and ? { Prefix: filter.and.prefix, Tag: filter.and.tags.map((t) => ({ ...t })) } : undefined,
  };
}

function ruleOut(rule: ReplicationRule): { [key: string]: XmlValue } {
  const d = rule.destination;
  return {
    ID: rule.id,
    Priority: rule.priority,
    Prefix: rule.prefix,
    Filter: rule.filter ? filterOut(rule.filter) : undefined,
    Status: rule.status,
    SourceSelectionCriteria: rule.sourceSelectionCriteria
      ? {
          SseKmsEncryptedObjects: rule.sourceSelectionCriteria.sseKmsEncryptedObjects
            ? { Status: rule.sourceSelectionCriteria.sseKmsEncryptedObjects.status }
            : undefined,
          ReplicaModifications: rule.sourceSelectionCriteria.replicaModifications
            ? { Status: rule.sourceSelectionCriteria.replicaModifications.status }
            : undefined,
        }
      : undefined,
    ExistingObjectReplication: rule.existingObjectReplication ? { Status: rule.existingObjectReplication.status } : undefined,
    Destination: {
      Bucket: d.bucket,
      Account: d.account,
      StorageClass: d.storageClass,
      ReplicationTime: d.replicationTime
        ? { Status: d.replicationTime.status, Time: d.replicationTime.minutes !== undefined ? { Minutes: d.replicationTime.minutes } : undefined }
        : undefined,
      Metrics: d.metrics
        ? {
            Status: d.metrics.status,
            EventThreshold: d.metrics.eventThresholdMinutes !== undefined ? { Minutes: d.metrics.eventThresholdMinutes } : undefined,
          }
        : undefined,
    },
    DeleteMarkerReplication: rule.deleteMarkerReplication ? { Status: rule.deleteMarkerReplication.status } : undefined,
  };
}


// ---- the operation table ----------------------------------------------------

const operations: S3Operation[] = [
  {
    operation: 'ListBuckets',
    method: 'GET',
    path: '/',
    responseRoot: 'ListAllMyBucketsResult',
    handle: (model, call) => {
      const maxBuckets = queryInteger(call, 'max-buckets');
      const continuationToken = queryString(call, 'continuation-token');
      const prefix = queryString(call, 'prefix');
      const bucketRegion = queryString(call, 'bucket-region');
      const page = model.listBuckets(call.ctx, {
        ...(maxBuckets !== undefined ? { maxBuckets } : {}),
        ...(continuationToken !== undefined ? { continuationToken } : {}),
        ...(prefix !== undefined ? { prefix } : {}),
        ...(bucketRegion !== undefined ? { bucketRegion } : {}),
      });
      return {
        headers: xmlHeaders,
        body: {
          Buckets: page.buckets.map((b) => ({ Name: b.name, CreationDate: new Date(b.creationDate), BucketRegion: b.region })),
          Owner: { ID: model.canonicalUserId(call.ctx.accountId) },
          ContinuationToken: page.continuationToken,
          Prefix: prefix,
        },
      };
    },
  },
  {
    operation: 'CreateBucket',
    method: 'PUT',
    path: '/{Bucket}',
    responseRoot: null,
    requestRoot: 'CreateBucketConfiguration',
    handle: (model, call) => {
      const config = call.input.bodyRoot === undefined ? undefined : call.input.body;
      const constraint = config?.string('LocationConstraint');
      const tags = config?.objectList('Tags')?.map(readTag);
      const { bucket } = model.createBucket(call.ctx, {
        bucket: bucketOf(call),
        ...(constraint !== undefined ? { locationConstraint: constraint } : {}),
        ...(tags !== undefined ? { tags } : {}),
      });
      const location = bucket.region === 'us-east-1' ? `/${bucket.name}` : `http://${bucket.name}.s3.amazonaws.com/`;
      return { headers: { location }, resources: bucketResource(bucket.name) };
    },
  },
  {
    operation: 'HeadBucket',
    method: 'HEAD',
    path: '/{Bucket}',
    responseRoot: null,
    handle: (model, call) => {
      const bucket = model.headBucket(call.ctx, bucketOf(call));
      checkExpectedOwner(call);
      return {
        headers: { 'x-amz-bucket-region': bucket.region, 'x-amz-access-point-alias': 'false' },
        resources: bucketResource(bucket.name),
      };
    },
  },
  {
    operation: 'DeleteBucket',
    method: 'DELETE',
    path: '/{Bucket}',
    successStatus: 204,
    responseRoot: null,
    handle: (model, call) => {
      checkExpectedOwner(call);
      model.deleteBucket(call.ctx, bucketOf(call));
      return { resources: bucketResource(bucketOf(call)) };
    },
  },
  {
    operation: 'GetBucketLocation',
    method: 'GET',
    path: '/{Bucket}?location',
    handle: (model, call) => {
      const region = model.bucketLocation(call.ctx, bucketOf(call));
      // The root element holds text, which the codec's structured output cannot say.
      const constraint = region === 'us-east-1' ? '' : escapeXml(region);
      return {
        raw: {
          contentType: 'application/xml',
          body: `${XML_DECLARATION}<LocationConstraint xmlns="${S3_XML_NAMESPACE}">${constraint}</LocationConstraint>`,
        },
        resources: bucketResource(bucketOf(call)),
      };
    },
  },
  {
    operation: 'PutBucketVersioning',
    method: 'PUT',
    path: '/{Bucket}?versioning',
    responseRoot: null,
    requestRoot: 'VersioningConfiguration',
    handle: (model, call) => {
      const body = requireBody(call, 'VersioningConfiguration');
      const status = body.string('Status');
      const mfaDelete = body.string('MfaDelete');
      checkExpectedOwner(call);
      putBucketVersioning(model, call.ctx, bucketOf(call), {
        ...(status !== undefined ? { status } : {}),
        ...(mfaDelete !== undefined ? { mfaDelete } : {}),
      });
      return { resources: bucketResource(bucketOf(call)) };
    },
  },
  {
    operation: 'GetBucketVersioning',
    method: 'GET',
    path: '/{Bucket}?versioning',
    responseRoot: 'VersioningConfiguration',
    handle: (model, call) => {
      const result = getBucketVersioning(model, call.ctx, bucketOf(call));
      return { headers: xmlHeaders, body: { Status: result.status, MfaDelete: result.mfaDelete }, resources: bucketResource(bucketOf(call)) };
    },
  },
  {
    operation: 'PutBucketTagging',
    method: 'PUT',
    path: '/{Bucket}?tagging',
    successStatus: 204,
    responseRoot: null,
    requestRoot: 'Tagging',
    handle: (model, call) => {
      const body = requireBody(call, 'Tagging');
      const tags = body.required('TagSet', (r, n) => r.objectList(n)).map(readTag);
      checkExpectedOwner(call);
      putBucketTagging(model, call.ctx, bucketOf(call), tags);
      return { resources: bucketResource(bucketOf(call)) };
    },
  },
  {
    operation: 'GetBucketTagging',
    method: 'GET',
    path: '/{Bucket}?tagging',
    responseRoot: 'Tagging',
    handle: (model, call) => {
      const tags = getBucketTagging(model, call.ctx, bucketOf(call));
      return { headers: xmlHeaders, body: { TagSet: tags.map((t) => ({ Key: t.Key, Value: t.Value })) }, resources: bucketResource(bucketOf(call)) };
    },
  },
  {
    operation: 'DeleteBucketTagging',
    method: 'DELETE',
    path: '/{Bucket}?tagging',
    successStatus: 204,
    responseRoot: null,
    handle: (model, call) => {
      deleteBucketTagging(model, call.ctx, bucketOf(call));
      return { resources: bucketResource(bucketOf(call)) };
    },
  },
  {
    operation: 'PutBucketReplication',
    method: 'PUT',
    path: '/{Bucket}?replication',
    responseRoot: null,
    requestRoot: 'ReplicationConfiguration',
    handle: (model, call) => {
      const config = readReplication(requireBody(call, 'ReplicationConfiguration'));
      checkExpectedOwner(call);
      putBucketReplication(model, call.ctx, bucketOf(call), config);
      return { resources: bucketResource(bucketOf(call)) };
    },
  },
  {
    operation: 'GetBucketReplication',
    method: 'GET',
    path: '/{Bucket}?replication',
    responseRoot: 'ReplicationConfiguration',
    handle: (model, call) => {
      const config = getBucketReplication(model, call.ctx, bucketOf(call));
      return { headers: xmlHeaders, body: { Role: config.role, Rule: config.rules.map(ruleOut) }, resources: bucketResource(bucketOf(call)) };
    },
  },
  {
    operation: 'DeleteBucketReplication',
    method: 'DELETE',
    path: '/{Bucket}?replication',
    successStatus: 204,
    responseRoot: null,
    handle: (model, call) => {
      deleteBucketReplication(model, call.ctx, bucketOf(call));
      return { resources: bucketResource(bucketOf(call)) };
    },
  },
  {
    operation: 'ListObjectsV2',
    method: 'GET',
    path: '/{Bucket}?list-type=2',
    responseRoot: 'ListBucketResult',
    handle: (model, call) => {
      const { encode, encodingType } = encoderOf(call);
      const prefix = queryString(call, 'prefix');
      const delimiter = queryString(call, 'delimiter') || undefined;
      const maxKeys = queryInteger(call, 'max-keys');
      const continuationToken = queryString(call, 'continuation-token');
      const startAfter = queryString(call, 'start-after');
      const result = listObjectsV2(model, call.ctx, {
        bucket: bucketOf(call),
        ...(prefix !== undefined ? { prefix } : {}),
        ...(delimiter !== undefined ? { delimiter } : {}),
        ...(maxKeys !== undefined ? { maxKeys } : {}),
        ...(continuationToken !== undefined ? { continuationToken } : {}),
        ...(startAfter !== undefined ? { startAfter } : {}),
      });
      const owner = queryString(call, 'fetch-owner') === 'true' ? ownerOf(model, result.bucket) : undefined;
      return {
        headers: xmlHeaders,
        body: {
          Name: result.bucket.name,
          Prefix: encode(prefix ?? ''),
          Delimiter: delimiter === undefined ? undefined : encode(delimiter),
          MaxKeys: result.maxKeys,
          EncodingType: encodingType,
          KeyCount: result.contents.length + result.commonPrefixes.length,
          IsTruncated: result.isTruncated,
          ContinuationToken: continuationToken,
          NextContinuationToken: result.nextContinuationToken,
          StartAfter: startAfter === undefined ? undefined : encode(startAfter),
          Contents: result.contents.map((v) => objectSummary(v, encode, owner)),
          CommonPrefixes: result.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
        },
        resources: bucketResource(result.bucket.name),
      };
    },
  },
  {
    operation: 'ListObjects',
    method: 'GET',
    path: '/{Bucket}',
    responseRoot: 'ListBucketResult',
    handle: (model, call) => {
      const { encode, encodingType } = encoderOf(call);
      const prefix = queryString(call, 'prefix');
      const delimiter = queryString(call, 'delimiter') || undefined;
      const maxKeys = queryInteger(call, 'max-keys');
      const marker = queryString(call, 'marker');
      const result = listObjectsV2(model, call.ctx, {
        bucket: bucketOf(call),
        ...(prefix !== undefined ? { prefix } : {}),
        ...(delimiter !== undefined ? { delimiter } : {}),
        ...(maxKeys !== undefined ? { maxKeys } : {}),
        ...(marker ? { startAfter: marker } : {}),
      });
      const owner = ownerOf(model, result.bucket);
      return {
        headers: xmlHeaders,
        body: {
          Name: result.bucket.name,
          Prefix: encode(prefix ?? ''),
          Marker: encode(marker ?? ''),
          NextMarker: result.isTruncated && result.lastReturned !== undefined ? encode(result.lastReturned) : undefined,
          MaxKeys: result.maxKeys,
          Delimiter: delimiter === undefined ? undefined : encode(delimiter),
          EncodingType: encodingType,
          IsTruncated: result.isTruncated,
          Contents: result.contents.map((v) => objectSummary(v, encode, owner)),
          CommonPrefixes: result.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
        },
        resources: bucketResource(result.bucket.name),
      };
    },
  },
  {
    operation: 'ListObjectVersions',
    method: 'GET',
    path: '/{Bucket}?versions',
    responseRoot: 'ListVersionsResult',
    handle: (model, call) => {
      const { encode, encodingType } = encoderOf(call);
      const prefix = queryString(call, 'prefix');
      const delimiter = queryString(call, 'delimiter') || undefined;
      const maxKeys = queryInteger(call, 'max-keys');
      const keyMarker = queryString(call, 'key-marker');
      const versionIdMarker = queryString(call, 'version-id-marker');
      const result = listObjectVersions(model, call.ctx, {
        bucket: bucketOf(call),
        ...(prefix !== undefined ? { prefix } : {}),
        ...(delimiter !== undefined ? { delimiter } : {}),
        ...(maxKeys !== undefined ? { maxKeys } : {}),
        ...(keyMarker !== undefined ? { keyMarker } : {}),
        ...(versionIdMarker !== undefined ? { versionIdMarker } : {}),
      });
      const bucket = result.bucket;
      return {
        headers: xmlHeaders,
        body: {
          Name: bucket.name,
          Prefix: encode(prefix ?? ''),
          KeyMarker: encode(keyMarker ?? ''),
          VersionIdMarker: versionIdMarker ?? '',
          NextKeyMarker: result.nextKeyMarker === undefined ? undefined : encode(result.nextKeyMarker),
          NextVersionIdMarker: result.nextVersionIdMarker,
          MaxKeys: result.maxKeys,
          Delimiter: delimiter === undefined ? undefined : encode(delimiter),
          EncodingType: encodingType,
          IsTruncated: result.isTruncated,
          Version: result.entries.filter((e) => e.entry.kind === 'object').map((e) => versionEntryOut(model, bucket, e.entry, e.isLatest, encode)),
          DeleteMarker: result.entries
            .filter((e) => e.entry.kind === 'delete-marker')
            .map((e) => versionEntryOut(model, bucket, e.entry, e.isLatest, encode)),
          CommonPrefixes: result.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
        },
        resources: bucketResource(bucket.name),
      };
    },
  },
  {
    operation: 'DeleteObjects',
    method: 'POST',
    path: '/{Bucket}?delete',
    responseRoot: 'DeleteResult',
    requestRoot: 'Delete',
    handle: (model, call) => {
      const body = requireBody(call, 'Delete');
      const headers = call.input.headers;
      // S3 insists on an integrity check for a multi-object delete.
      if (headers['content-md5'] === undefined && !Object.keys(headers).some((h) => h.startsWith('x-amz-checksum-'))) {
        throw s3Errors.invalidRequest('Missing required header for this request: Content-Md5');
      }
      const objects = body.required('Object', (r, n) => r.objectList(n));
      if (objects.length === 0 || objects.length > 1000) throw s3Errors.malformedXml();
      const quiet = body.boolean('Quiet') ?? false;
      checkExpectedOwner(call);
      const bucket = bucketOf(call);
      // A missing bucket fails the whole request, not each object.
      model.headBucket(call.ctx, bucket);
      const deleted: { [key: string]: XmlValue }[] = [];
      const errors: { [key: string]: XmlValue }[] = [];
      for (const object of objects) {
        const key = object.required('Key', (r, n) => r.string(n));
        const versionId = object.string('VersionId');
        try {
          const result = model.deleteObject(call.ctx, { bucket, key, ...(versionId !== undefined ? { versionId } : {}) });
          if (quiet) continue;
          deleted.push({
            Key: key,
            VersionId: versionId,
            DeleteMarker: result.deleteMarker ? true : undefined,
            DeleteMarkerVersionId: result.deleteMarker ? result.versionId : undefined,
          });
        } catch (error) {
          if (!(error instanceof S3Error)) throw error;
          errors.push({ Key: key, VersionId: versionId, Code: error.code, Message: error.message });
        }
      }
      return {
        headers: xmlHeaders,
        body: { Deleted: deleted, Error: errors },
        resources: [
          { type: BUCKET, name: bucket },
          ...objects.map((o) => ({ type: OBJECT, name: `${bucket}/${o.string('Key') ?? ''}` })),
        ],
      };
    },
  },
  {
    operation: 'PutObject',
    method: 'PUT',
    path: '/{Bucket}/{Key+}',
    responseRoot: null,
    rawPayload: true,
    handle: (model, call) => {
      const key = keyOf(call);
      checkExpectedOwner(call);
      const storageClass = header(call, 'x-amz-storage-class');
      const tags = taggingHeader(header(call, 'x-amz-tagging'));
      const ifNoneMatch = header(call, 'if-none-match');
      const ifMatch = header(call, 'if-match');
      const { bucket, version } = model.putObject(call.ctx, {
        bucket: bucketOf(call),
        key,
        body: call.payload.body,
        headers: objectHeadersOf(call, call.payload.contentEncoding),
        metadata: metadataOf(call.input.headers),
        integrity: integrityOf(call.input.headers, call.payload.trailers),
        ...(storageClass !== undefined ? { storageClass } : {}),
        ...(tags !== undefined ? { tags } : {}),
        ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}),
        ...(ifMatch !== undefined ? { ifMatch } : {}),
      });
      return {
        headers: {
          etag: version.etag,
          'x-amz-server-side-encryption': 'AES256',
          ...versionIdHeader(bucket, version.versionId),
          ...checksumHeaders(version),
        },
        resources: objectResources(bucket.name, key),
      };
    },
  },
  {
    // Same method and path as PutObject; the x-amz-copy-source header tells them apart (see operationOf).
    operation: 'CopyObject',
    method: 'PUT',
    path: '/{Bucket}/{Key+}?x-id=CopyObject',
    responseRoot: 'CopyObjectResult',
    handle: (model, call) => {
      const key = keyOf(call);
      const copySource = header(call, 'x-amz-copy-source');
      if (copySource === undefined) throw s3Errors.invalidArgument('Copy Source must mention the source bucket and key: sourcebucket/sourcekey', 'x-amz-copy-source');
      checkExpectedOwner(call);
      const metadataDirective = header(call, 'x-amz-metadata-directive');
      const taggingDirective = header(call, 'x-amz-tagging-directive');
      const storageClass = header(call, 'x-amz-storage-class');
      const checksumAlgorithm = header(call, 'x-amz-checksum-algorithm');
      const tags = taggingHeader(header(call, 'x-amz-tagging'));
      const result = model.copyObject(call.ctx, {
        bucket: bucketOf(call),
        key,
        copySource,
        headers: objectHeadersOf(call, header(call, 'content-encoding')),
        metadata: metadataOf(call.input.headers),
        ...(metadataDirective !== undefined ? { metadataDirective } : {}),
        ...(taggingDirective !== undefined ? { taggingDirective } : {}),
        ...(storageClass !== undefined ? { storageClass } : {}),
        ...(checksumAlgorithm !== undefined ? { checksumAlgorithm } : {}),
        ...(tags !== undefined ? { tags } : {}),
      });
      const { version } = result;
      return {
        headers: {
          ...xmlHeaders,
          'x-amz-server-side-encryption': 'AES256',
          ...versionIdHeader(result.bucket, version.versionId),
          ...(result.sourceVersionId !== undefined ? { 'x-amz-copy-source-version-id': result.sourceVersionId } : {}),
        },
        body: {
          ETag: version.etag,
          LastModified: new Date(version.lastModified),
          ChecksumType: 'FULL_OBJECT',
          [`Checksum${version.checksum.algorithm}`]: version.checksum.value,
        },
        resources: objectResources(bucketOf(call), key),
      };
    },
  },
  {
    operation: 'GetObject',
    method: 'GET',
    path: '/{Bucket}/{Key+}',
    handle: (model, call) => {
      const { bucket, version, headers, body, status } = readObject(model, call);
      return { status, headers, raw: { body, contentType: version.headers.contentType }, resources: objectResources(bucket.name, version.key) };
    },
  },
  {
    operation: 'HeadObject',
    method: 'HEAD',
    path: '/{Bucket}/{Key+}',
    responseRoot: null,
    handle: (model, call) => {
      const { bucket, version, headers, status } = readObject(model, call);
      return { status, headers, resources: objectResources(bucket.name, version.key) };
    },
  },
  {
    operation: 'DeleteObject',
    method: 'DELETE',
    path: '/{Bucket}/{Key+}',
    successStatus: 204,
    responseRoot: null,
    handle: (model, call) => {
      const key = keyOf(call);
      checkExpectedOwner(call);
      const versionId = queryString(call, 'versionId');
      const result = model.deleteObject(call.ctx, { bucket: bucketOf(call), key, ...(versionId !== undefined ? { versionId } : {}) });
      return {
        headers: {
          ...(result.deleteMarker ? { 'x-amz-delete-marker': 'true' } : {}),
          ...(result.versionId !== undefined ? { 'x-amz-version-id': result.versionId } : {}),
        },
        resources: objectResources(bucketOf(call), key),
      };
    },
  },
  ...multipartOperations,
];

/** The operation names S3 answers, in table order. */
export const s3Operations: readonly string[] = operations.map((op) => op.operation);

/**
 * Query keys that name an S3 subresource or API the sim does not implement.
 * Without this guard `GET /bucket?acl` would be answered as a ListObjects and
 * `GET /bucket/key?tagging` as a GetObject: wrong data instead of an honest
 * NotImplemented.
 */
const subresources = [
  'accelerate', 'acl', 'analytics', 'attributes', 'cors', 'delete', 'encryption', 'intelligent-tiering', 'inventory',
  'legal-hold', 'lifecycle', 'location', 'logging', 'metadataConfiguration', 'metadataTable', 'metrics', 'notification',
  'object-lock', 'ownershipControls', 'policy', 'policyStatus', 'publicAccessBlock', 'replication', 'requestPayment',
  'restore', 'retention', 'select', 'session', 'tagging', 'torrent', 'uploadId', 'uploads', 'versioning', 'versions', 'website',
];

function queryKeysOf(path: string): Set<string> {
  const q = path.indexOf('?');
  if (q < 0) return new Set();
  return new Set(
    path
      .slice(q + 1)
      .split('&')
      .map((part) => part.split('=')[0]!),
  );
}

/** Errors from outside the model (the dispatcher's injected faults) in S3's own codes. */
function inS3Terms(error: AwsError): AwsError {
  if (error instanceof S3Error) return error;
  switch (error.code) {
    case 'ThrottlingException':
      return new S3Error('SlowDown', 'Please reduce your request rate.', 503);
    case 'InternalFailure':
      return new S3Error('InternalError', 'We encountered an internal error. Please try again.', 500);
    case 'ServiceUnavailable':
      return new S3Error('ServiceUnavailable', error.message, 503);
    default:
      return error;
  }
}

export function createS3Binding(model: S3Model, multipart: MultipartUploads): ServiceBinding & { codec: RestXmlCodec } {
  const codec = new RestXmlCodec({
    xmlNamespace: S3_XML_NAMESPACE,
    errorEnvelope: 'Error',
    memberNames: s3MemberNames,
    flattened: s3Flattened,
    requestIdHeader: 'x-amz-request-id',
    routes: operations.map(({ handle: _handle, ...route }) => route),
    pathOf: pathStylePath,
    errors: {
      malformed: () => s3Errors.malformedXml(),
      invalidValue: () => s3Errors.malformedXml(),
      missing: () => s3Errors.malformedXml(),
      unknownOperation: () => s3Errors.methodNotAllowed({}),
    },
  });
  const byName = new Map(operations.map((op) => [op.operation, op]));
  const routedKeys = new Map(operations.map((op) => [op.operation, queryKeysOf(op.path)]));
  // renderError receives only the context, but a HEAD must be answered
  // without a body (the SDK then goes by the status). Requests seen by invoke
  // are known by id; errors while routing are rendered before another request
  // can come in between.
  const methods = new Map<string, string>();
  let routing = 'GET';

  return {
    codec,
    signingName: 's3',
    eventSource: 's3.amazonaws.com',
    operationOf(request: SimRequest): string {
      routing = request.method;
      // Bucket and key come from the raw path; a malformed one fails here, in S3's words.
      addressOf(request);
      let operation = codec.operationOf(request);
      if (operation === 'PutObject' && request.headers['x-amz-copy-source'] !== undefined) operation = 'CopyObject';
      else if (operation === 'CopyObject' && request.headers['x-amz-copy-source'] === undefined) operation = 'PutObject';
      else if (operation === 'UploadPart' && request.headers['x-amz-copy-source'] !== undefined) operation = 'UploadPartCopy';
      else if (operation === 'UploadPartCopy' && request.headers['x-amz-copy-source'] === undefined) operation = 'UploadPart';
      const unsupported = subresources.find((key) => Object.hasOwn(request.query, key) && !routedKeys.get(operation)!.has(key));
      if (unsupported !== undefined) {
        throw new S3Error('NotImplemented', `The simulator does not implement ${request.method} with the ?${unsupported} subresource.`, 501);
      }
      return operation;
    },
    async invoke(operation: string, request: SimRequest, ctx: CallContext): Promise<InvokeResult> {
      methods.set(ctx.requestId, request.method);
      const op = byName.get(operation)!;
      const address = addressOf(request);
      let payload: Payload = { body: request.body, trailers: {} };
      let forCodec = request;
      if (op.rawPayload) {
        payload = payloadOf(request);
        // The object is not XML, whatever its Content-Type says: keep it away from the XML parser.
        forCodec = { ...request, body: new Uint8Array() };
      } else if (request.body.byteLength > 0) {
        // Configuration bodies carry a checksum too (the SDK requires one for PutBucketTagging and friends).
        verifyIntegrity(request.body, integrityOf(request.headers));
      }
      const input = codec.decode(operation, forCodec);
      const { resources, ...output } = op.handle(model, { input, address, payload, ctx, multipart });
      methods.delete(ctx.requestId);
      const response = codec.encode(operation, output, ctx.requestId);
      response.headers['x-amz-id-2'] = hostId(ctx.requestId);
      return { response, ...(resources ? { resources } : {}) };
    },
    renderError(error: AwsError, ctx: CallContext): SimResponse {
      const method = methods.get(ctx.requestId) ?? routing;
      methods.delete(ctx.requestId);
      return renderS3Error(codec, inS3Terms(error), ctx.requestId, method);
    },
  };
}

/** S3's extended request id (`x-amz-id-2`, `<HostId>`). */
function hostId(requestId: string): string {
  return Buffer.from(`gameday-sim/${requestId}`).toString('base64');
}

/** S3's bare `<Error>` document with its headers (`x-amz-delete-marker`, `x-amz-bucket-region`), and no body for a HEAD or a 304. */
function renderS3Error(codec: RestXmlCodec, error: AwsError, requestId: string, method: string): SimResponse {
  const bodyless = method.toUpperCase() === 'HEAD' || error.statusCode === 304;
  const response = codec.renderError(error, requestId, bodyless ? 'HEAD' : method);
  const headers: Record<string, string> = { ...response.headers, 'content-type': 'application/xml', 'x-amz-id-2': hostId(requestId) };
  if (error instanceof S3Error) Object.assign(headers, error.headers);
  return { ...response, headers };
}
