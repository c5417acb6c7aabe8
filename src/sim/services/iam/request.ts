import { XMLParser } from 'fast-xml-parser';
import { paramsOf } from '../../protocols/query.js';
import type { SimRequest } from '../../types.js';

/**
 * Reading a request's parameters before its binding does, protocol by
 * protocol, for rules that must look at them. Every reader answers
 * `undefined` for input it cannot read: a malformed request is the
 * binding's to refuse, in its own protocol's words.
 */

/** A top-level awsQuery / EC2 query parameter (query string or form body). */
export function queryParameter(request: SimRequest, name: string): string | undefined {
  try {
    const pairs = paramsOf(request).filter(([key]) => key === name);
    const value = pairs[pairs.length - 1]?.[1];
    return value === '' ? undefined : value;
  } catch {
    // Broken percent-encoding: the binding answers MalformedQueryString.
    return undefined;
  }
}

/** The request's JSON body (awsJson, restJson), or undefined when it has none or it does not parse. */
export function jsonBody(request: SimRequest): Record<string, unknown> | undefined {
  if (request.body.byteLength === 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength).toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A string member of the JSON body. */
export function jsonString(request: SimRequest, name: string): string | undefined {
  const value = jsonBody(request)?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The labels of a REST path template (`/backup-vaults/{BackupVaultName}`),
 * percent-decoded, or undefined when the path does not fit it.
 */
export function pathLabels(request: SimRequest, template: string): Record<string, string> | undefined {
  const want = template.split('/').filter((s) => s !== '');
  const have = request.path.split('/').filter((s) => s !== '');
  if (want.length !== have.length) return undefined;
  const labels: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!;
    const part = have[i]!;
    const label = /^\{(\w+)\}$/.exec(segment);
    if (!label) {
      if (segment !== part) return undefined;
      continue;
    }
    const decoded = percentDecode(part);
    if (decoded === undefined) return undefined;
    labels[label[1]!] = decoded;
  }
  return labels;
}

function percentDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** The bucket and key an S3 request addresses, virtual-hosted (`bucket.s3.region.amazonaws.com/key`) or path-style (`/bucket/key`). */
export function s3Address(request: SimRequest): { bucket?: string; key?: string } {
  const host = (request.headers['host'] ?? '').replace(/:\d+$/, '');
  const virtual = /^(.+?)\.s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com$/.exec(host);
  const path = request.path.startsWith('/') ? request.path.slice(1) : request.path;
  if (virtual) {
    const key = path === '' ? undefined : percentDecode(path);
    return { bucket: virtual[1]!, ...(key !== undefined ? { key } : {}) };
  }
  const slash = path.indexOf('/');
  const bucket = percentDecode(slash < 0 ? path : path.slice(0, slash));
  const rawKey = slash < 0 ? '' : path.slice(slash + 1);
  const key = rawKey === '' ? undefined : percentDecode(rawKey);
  return { ...(bucket ? { bucket } : {}), ...(key !== undefined ? { key } : {}) };
}

/** A query-string parameter given as a single value (S3's `versionId`). */
export function queryStringValue(request: SimRequest, name: string): string | undefined {
  const value = request.query[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}

const deleteParser = new XMLParser({
  ignoreAttributes: true,
  // Keys and version ids are strings, even when they look like numbers.
  parseTagValue: false,
  isArray: (name) => name === 'Object',
});

/** The objects an S3 DeleteObjects request names (`<Delete><Object><Key/><VersionId/></Object>…`). */
export function s3DeleteEntries(request: SimRequest): { key: string; versionId?: string }[] {
  if (request.body.byteLength === 0) return [];
  let parsed: unknown;
  try {
    parsed = deleteParser.parse(Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength).toString('utf8'));
  } catch {
    return [];
  }
  const objects = (parsed as { Delete?: { Object?: unknown } } | undefined)?.Delete?.Object;
  if (!Array.isArray(objects)) return [];
  const entries: { key: string; versionId?: string }[] = [];
  for (const item of objects as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const { Key, VersionId } = item as { Key?: unknown; VersionId?: unknown };
    if (typeof Key !== 'string') continue;
    entries.push({ key: Key, ...(typeof VersionId === 'string' && VersionId !== '' ? { versionId: VersionId } : {}) });
  }
  return entries;
}
