import type { RestXmlInput, RestXmlOutcome, RestXmlRoute, XmlReader } from '../../protocols/rest-xml.js';
import type { CallContext } from '../../types.js';
import { S3Error, s3Errors } from './errors.js';
import type { S3Model } from './model.js';
import type { MultipartUploads } from './multipart.js';
import type { Bucket, ObjectHeaders, Tag } from './types.js';
import type { Payload, S3Address } from './wire.js';

/**
 * What an S3 operation's handler is given, and the helpers the operation
 * tables (binding.ts, multipart-binding.ts) share to read a call's input and
 * shape its output.
 */

export const BUCKET = 'AWS::S3::Bucket';
export const OBJECT = 'AWS::S3::Object';

/** One call as a handler sees it. */
export interface S3Call {
  input: RestXmlInput;
  address: S3Address;
  /** The decoded object payload, for operations whose body is not XML. */
  payload: Payload;
  ctx: CallContext;
  multipart: MultipartUploads;
}

/**
 * One row of an operation table: the codec's route (paths are path-style,
 * `/{Bucket}` or `/{Bucket}/{Key+}`, then distinguishing query keys;
 * `rawPayload` marks an operation whose body is the object itself) and the
 * handler the binding calls.
 */
export interface S3Operation extends RestXmlRoute {
  handle(model: S3Model, call: S3Call): RestXmlOutcome;
}

// ---- reading inputs ---------------------------------------------------------

export function bucketOf(call: S3Call): string {
  // Routing guarantees a bucket for every bucket or object operation.
  return call.address.bucket!;
}

/** The object key: taken from the raw path, so `dir/` keeps its slash (the codec's greedy label would not). */
export function keyOf(call: S3Call): string {
  const key = call.address.key;
  if (key === undefined || key === '') throw new S3Error('InvalidRequest', 'A key must be specified', 400);
  return key;
}

export function header(call: S3Call, name: string): string | undefined {
  return call.input.header(name);
}

export function queryString(call: S3Call, name: string): string | undefined {
  return call.input.queryString(name);
}

export function queryInteger(call: S3Call, name: string): number | undefined {
  const raw = queryString(call, name);
  if (raw === undefined || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(Number(raw))) {
    throw s3Errors.invalidArgument(`Provided ${name} not an integer or within integer range`, name, raw);
  }
  return Number(raw);
}

export function requireBody(call: S3Call, root: string): XmlReader {
  if (call.input.bodyRoot !== root) throw s3Errors.malformedXml();
  return call.input.body;
}

export function metadataOf(headers: Readonly<Record<string, string>>): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-amz-meta-') && value !== undefined) metadata[name.slice('x-amz-meta-'.length)] = value;
  }
  return metadata;
}

export function objectHeadersOf(call: S3Call, contentEncoding: string | undefined): Partial<ObjectHeaders> {
  const out: Partial<ObjectHeaders> = {};
  const contentType = header(call, 'content-type');
  if (contentType) out.contentType = contentType;
  const cacheControl = header(call, 'cache-control');
  if (cacheControl) out.cacheControl = cacheControl;
  const disposition = header(call, 'content-disposition');
  if (disposition) out.contentDisposition = disposition;
  if (contentEncoding) out.contentEncoding = contentEncoding;
  const language = header(call, 'content-language');
  if (language) out.contentLanguage = language;
  return out;
}

/** `x-amz-tagging`: a URL-encoded query string of tags. */
export function taggingHeader(value: string | undefined): Tag[] | undefined {
  if (value === undefined) return undefined;
  const tags: Tag[] = [];
  for (const [Key, Value] of new URLSearchParams(value)) tags.push({ Key, Value });
  return tags;
}

/** `x-amz-expected-bucket-owner`: the caller's guard against writing into someone else's bucket. */
export function checkExpectedOwner(call: S3Call): void {
  const expected = header(call, 'x-amz-expected-bucket-owner');
  if (expected !== undefined && expected !== call.ctx.accountId) throw s3Errors.accessDenied();
}

// ---- writing outputs --------------------------------------------------------

export const xmlHeaders = { 'content-type': 'application/xml' };

export function ownerOf(model: S3Model, bucket: Bucket): { ID: string } {
  return { ID: model.canonicalUserId(bucket.accountId) };
}

export function versionIdHeader(bucket: Bucket, versionId: string): Record<string, string> {
  // A bucket whose versioning was never configured has no version ids to show.
  return bucket.versioning === undefined ? {} : { 'x-amz-version-id': versionId };
}

/** `encoding-type=url`: keys and prefixes come back percent-encoded (keys may hold characters XML 1.0 cannot). */
export function encoderOf(call: S3Call): { encode: (text: string) => string; encodingType?: string } {
  const type = queryString(call, 'encoding-type');
  if (type === undefined) return { encode: (text) => text };
  if (type !== 'url') throw s3Errors.invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', type);
  return { encode: (text) => encodeURIComponent(text).replace(/%2F/g, '/'), encodingType: 'url' };
}

export const bucketResource = (name: string) => [{ type: BUCKET, name }];

export const objectResources = (bucket: string, key: string) => [
  { type: BUCKET, name: bucket },
  { type: OBJECT, name: `${bucket}/${key}` },
];
