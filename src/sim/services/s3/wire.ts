import type { SimRequest } from '../../types.js';
import { checksumAlgorithms, checksumHeader } from './checksums.js';
import { S3Error, s3Errors } from './errors.js';
import type { IntegrityClaims } from './types.js';

/**
 * The parts of S3's wire that no generic restXml codec knows: where the
 * bucket is named (Host header or first path segment), object keys that
 * keep every slash, and `aws-chunked` request bodies with trailing
 * checksums.
 */

/** Where a request names its bucket and key. */
export interface S3Address {
  style: 'virtual-hosted' | 'path';
  bucket?: string;
  /** Percent-decoded; undefined for a bucket-level request. */
  key?: string;
}

// `bucket.s3.us-east-1.amazonaws.com`, `bucket.s3.amazonaws.com`, `bucket.s3-us-west-2.amazonaws.com`,
// `bucket.s3.dualstack.us-east-1.amazonaws.com`, `bucket.s3-fips.us-east-1.amazonaws.com`. Greedy
// `(.+)` makes the endpoint the shortest suffix that is one, so a bucket may contain `s3` labels.
const awsVirtualHost = /^(.+)\.(s3(?:-fips)?(?:\.dualstack)?(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?)$/;
// Local endpoints the way emulators serve them: `bucket.localhost`, `bucket.s3.localhost.localstack.cloud`.
const localVirtualHost = /^(.+?)\.(localhost|s3\.localhost\.[a-z0-9.-]+)$/;

function invalidUri(): S3Error {
  return new S3Error('InvalidURI', "Couldn't parse the specified URI.", 400);
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw invalidUri();
  }
}

/** The bucket a Host header names, for virtual-hosted-style requests. */
export function bucketOfHost(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const hostname = host.replace(/:\d+$/, '').toLowerCase();
  const match = awsVirtualHost.exec(hostname) ?? localVirtualHost.exec(hostname);
  return match?.[1];
}

/**
 * Bucket and key of a request: virtual-hosted style when the Host header
 * names the bucket (the SDK's default), else path style (`forcePathStyle`,
 * dotted bucket names over HTTPS, custom endpoints). Keys are taken from
 * the raw path so a trailing or doubled slash stays part of the key.
 */
export function addressOf(request: SimRequest): S3Address {
  const path = request.path.startsWith('/') ? request.path : `/${request.path}`;
  const hosted = bucketOfHost(request.headers['host']);
  if (hosted !== undefined) {
    const raw = path.slice(1);
    return { style: 'virtual-hosted', bucket: hosted, ...(raw !== '' ? { key: decode(raw) } : {}) };
  }
  const rest = path.slice(1);
  if (rest === '') return { style: 'path' };
  const slash = rest.indexOf('/');
  const bucket = decode(slash < 0 ? rest : rest.slice(0, slash));
  const raw = slash < 0 ? '' : rest.slice(slash + 1);
  return { style: 'path', bucket, ...(raw !== '' ? { key: decode(raw) } : {}) };
}

/** The path-style path of a request, for routing: `/bucket` or `/bucket/key` (key still encoded). */
export function pathStylePath(request: SimRequest): string {
  const path = request.path.startsWith('/') ? request.path : `/${request.path}`;
  const hosted = bucketOfHost(request.headers['host']);
  if (hosted === undefined) return path;
  return `/${encodeURIComponent(hosted)}${path === '/' ? '' : path}`;
}

// ---- bodies -----------------------------------------------------------------

/** A request body as S3 reads it: the payload, and the trailers of an aws-chunked body. */
export interface Payload {
  body: Uint8Array;
  trailers: Record<string, string>;
  /** Content-Encoding with `aws-chunked` taken out (S3 stores what is left). */
  contentEncoding?: string;
}

const MIN_CHUNK = 8192;
const CRLF = Buffer.from('\r\n');

function contentEncodings(headers: Readonly<Record<string, string>>): string[] {
  return (headers['content-encoding'] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
}

/**
 * The payload of a request. An `aws-chunked` body (what the SDK sends for a
 * streamed PutObject with a flexible checksum) is decoded: hex-sized chunks,
 * optional `;chunk-signature=` extensions, a zero chunk, then trailer
 * headers such as `x-amz-checksum-crc32`. As S3 does, every chunk but the
 * last must hold at least 8 KiB, and the decoded length must match
 * `x-amz-decoded-content-length`.
 */
export function payloadOf(request: SimRequest): Payload {
  const encodings = contentEncodings(request.headers);
  const sha = request.headers['x-amz-content-sha256'] ?? '';
  const chunked = encodings.includes('aws-chunked') || sha.startsWith('STREAMING-');
  const rest = encodings.filter((e) => e !== 'aws-chunked');
  const contentEncoding = rest.length > 0 ? rest.join(',') : undefined;
  if (!chunked) return { body: request.body, trailers: {}, ...(contentEncoding ? { contentEncoding } : {}) };
  const declared = request.headers['x-amz-decoded-content-length'];
  if (declared === undefined || !/^\d+$/.test(declared)) throw s3Errors.missingContentLength();
  const { body, trailers } = decodeAwsChunked(Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength));
  if (body.byteLength !== Number(declared)) throw s3Errors.incompleteBody();
  return { body, trailers, ...(contentEncoding ? { contentEncoding } : {}) };
}

export function decodeAwsChunked(data: Buffer): { body: Uint8Array; trailers: Record<string, string> } {
  const chunks: Buffer[] = [];
  const sizes: number[] = [];
  let at = 0;
  const line = (): string => {
    const end = data.indexOf(CRLF, at);
    if (end < 0) throw s3Errors.incompleteBody();
    const text = data.subarray(at, end).toString('latin1');
    at = end + 2;
    return text;
  };
  for (;;) {
    const header = line();
    const sizeText = header.split(';')[0]!.trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw new S3Error('InvalidRequest', 'Invalid chunk size in aws-chunked body', 400);
    const size = parseInt(sizeText, 16);
    if (size === 0) break;
    if (at + size + 2 > data.length) throw s3Errors.incompleteBody();
    chunks.push(data.subarray(at, at + size));
    sizes.push(size);
    at += size;
    if (data[at] !== 0x0d || data[at + 1] !== 0x0a) throw s3Errors.incompleteBody();
    at += 2;
  }
  if (sizes.slice(0, -1).some((size) => size < MIN_CHUNK)) throw s3Errors.invalidChunkSize();
  const trailers: Record<string, string> = {};
  while (at < data.length) {
    const text = line();
    if (text === '') break;
    const colon = text.indexOf(':');
    if (colon <= 0) throw new S3Error('InvalidRequest', 'Malformed trailing header in aws-chunked body', 400);
    trailers[text.slice(0, colon).trim().toLowerCase()] = text.slice(colon + 1).trim();
  }
  return { body: Buffer.concat(chunks), trailers };
}

/** What the request claims about its payload: checksum headers or trailers, and Content-MD5. */
export function integrityOf(headers: Readonly<Record<string, string>>, trailers: Readonly<Record<string, string>> = {}): IntegrityClaims {
  const checksums: IntegrityClaims['checksums'] = {};
  for (const algorithm of checksumAlgorithms) {
    const name = checksumHeader(algorithm);
    const value = trailers[name] ?? headers[name];
    if (value !== undefined) checksums[algorithm] = value;
  }
  const contentMd5 = headers['content-md5'];
  return { checksums, ...(contentMd5 !== undefined ? { contentMd5 } : {}) };
}

/** RFC 7231 IMF-fixdate, as S3 writes Last-Modified. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** An HTTP date header as epoch milliseconds; undefined when absent or unparsable (S3 ignores a bad one). */
export function parseHttpDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
