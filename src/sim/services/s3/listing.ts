import type { CallContext } from '../../types.js';
import { s3Errors } from './errors.js';
import { compareKeys, decodeToken, encodeToken, MAX_LIST_KEYS, snapshot, type S3Model } from './model.js';
import type { ListObjectsInput, ListObjectsResult, ListVersionsInput, ListVersionsResult, ObjectVersion, VersionEntry } from './types.js';

/** ListObjectsV2 (ListObjects v1 reads through it) and ListObjectVersions over the model's buckets, in S3's key order. */

function maxKeysOf(maxKeys: number | undefined): number {
  if (maxKeys === undefined) return MAX_LIST_KEYS;
  if (maxKeys < 0) throw s3Errors.invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', String(maxKeys));
  return Math.min(maxKeys, MAX_LIST_KEYS);
}

/** The common prefix `key` rolls up into under `prefix` and `delimiter`, if any. */
function rollUp(key: string, prefix: string, delimiter: string | undefined): string | undefined {
  if (!delimiter) return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? undefined : key.slice(0, at + delimiter.length);
}

export function listObjectsV2(model: S3Model, ctx: CallContext, input: ListObjectsInput): ListObjectsResult {
  const bucket = model.bucketFor(ctx, input.bucket);
  const maxKeys = maxKeysOf(input.maxKeys);
  const prefix = input.prefix ?? '';
  let marker = input.startAfter;
  if (input.continuationToken !== undefined) {
    const token = decodeToken(input.continuationToken, 'continuation-token');
    if (typeof token['after'] !== 'string') throw s3Errors.invalidArgument('The continuation token provided is incorrect', 'continuation-token');
    marker = token['after'];
  }
  const contents: ObjectVersion[] = [];
  const commonPrefixes: string[] = [];
  let last: string | undefined;
  let isTruncated = false;
  for (const key of model.sortedKeys(bucket)) {
    if (!key.startsWith(prefix)) continue;
    if (marker !== undefined && compareKeys(key, marker) <= 0) continue;
    const latest = model.latest(bucket, key);
    if (!latest || latest.kind !== 'object') continue;
    const rolled = rollUp(key, prefix, input.delimiter);
    if (rolled !== undefined && (rolled === marker || rolled === commonPrefixes[commonPrefixes.length - 1])) continue;
    if (contents.length + commonPrefixes.length >= maxKeys) {
      isTruncated = true;
      break;
    }
    if (rolled !== undefined) {
      commonPrefixes.push(rolled);
      last = rolled;
    } else {
      contents.push(snapshot(latest));
      last = key;
    }
  }
  return {
    bucket,
    contents,
    commonPrefixes,
    isTruncated,
    maxKeys,
    ...(isTruncated && last !== undefined ? { nextContinuationToken: encodeToken({ after: last }) } : {}),
    ...(last !== undefined ? { lastReturned: last } : {}),
  };
}

export function listObjectVersions(model: S3Model, ctx: CallContext, input: ListVersionsInput): ListVersionsResult {
  const bucket = model.bucketFor(ctx, input.bucket);
  const maxKeys = maxKeysOf(input.maxKeys);
  const prefix = input.prefix ?? '';
  if (input.versionIdMarker !== undefined && input.versionIdMarker !== '' && !input.keyMarker) {
    throw s3Errors.invalidArgument('A version-id marker cannot be specified without a key marker.', 'version-id-marker', input.versionIdMarker);
  }
  if (input.versionIdMarker) model.checkVersionId(input.versionIdMarker);
  const keyMarker = input.keyMarker || undefined;
  const versionIdMarker = input.versionIdMarker || undefined;
  const entries: { entry: VersionEntry; isLatest: boolean }[] = [];
  const commonPrefixes: string[] = [];
  let isTruncated = false;
  let nextKeyMarker: string | undefined;
  let nextVersionIdMarker: string | undefined;
  const count = () => entries.length + commonPrefixes.length;
  outer: for (const key of model.sortedKeys(bucket)) {
    if (!key.startsWith(prefix)) continue;
    const versions = bucket.objects.get(key)!;
    let start = 0;
    if (keyMarker !== undefined) {
      const order = compareKeys(key, keyMarker);
      if (order < 0 || (order === 0 && versionIdMarker === undefined)) continue;
      if (order === 0) {
        const at = versions.findIndex((v) => v.versionId === versionIdMarker);
        start = at < 0 ? versions.length : at + 1;
      }
    }
    const rolled = rollUp(key, prefix, input.delimiter);
    if (rolled !== undefined) {
      if (rolled === keyMarker || rolled === commonPrefixes[commonPrefixes.length - 1]) continue;
      if (count() >= maxKeys) {
        isTruncated = true;
        break;
      }
      commonPrefixes.push(rolled);
      nextKeyMarker = rolled;
      nextVersionIdMarker = undefined;
      continue;
    }
    for (let i = start; i < versions.length; i++) {
      if (count() >= maxKeys) {
        isTruncated = true;
        break outer;
      }
      const entry = versions[i]!;
      entries.push({ entry: snapshot(entry), isLatest: i === 0 });
      nextKeyMarker = key;
      nextVersionIdMarker = entry.versionId;
    }
  }
  return {
    bucket,
    entries,
    commonPrefixes,
    isTruncated,
    maxKeys,
    ...(isTruncated && nextKeyMarker !== undefined ? { nextKeyMarker } : {}),
    ...(isTruncated && nextVersionIdMarker !== undefined ? { nextVersionIdMarker } : {}),
  };
}
