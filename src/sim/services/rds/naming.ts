import { rdsErrors } from './errors.js';
import type { FilterInput, Page, PageInput } from './types.js';

/** RDS resource ARNs: `arn:aws:rds:REGION:ACCOUNT:KIND:NAME` (automated snapshot names contain a colon). */
export interface RdsArn {
  region: string;
  accountId: string;
  /** `db`, `cluster`, `snapshot`, `auto-backup`, … */
  kind: string;
  name: string;
}

export function rdsArn(region: string, accountId: string, kind: string, name: string): string {
  return `arn:aws:rds:${region}:${accountId}:${kind}:${name}`;
}

export function parseRdsArn(text: string): RdsArn | undefined {
  const parts = text.split(':');
  if (parts.length < 7 || parts[0] !== 'arn' || parts[2] !== 'rds') return undefined;
  const [, , , region, accountId, kind] = parts;
  const name = parts.slice(6).join(':');
  if (!region || !accountId || !kind || !name) return undefined;
  return { region, accountId, kind, name };
}

export const isArn = (text: string): boolean => text.startsWith('arn:');

/**
 * RDS's identifier rule (instances, clusters, snapshots): 1–63 letters,
 * digits or hyphens, starting with a letter, no trailing or double hyphen.
 * RDS keeps identifiers in lower case.
 */
export function checkIdentifier(parameter: string, value: string): string {
  if (!/^[a-zA-Z][a-zA-Z0-9-]{0,62}$/.test(value) || value.endsWith('-') || value.includes('--')) {
    throw rdsErrors.invalidParameterValue(
      `The parameter ${parameter} is not a valid identifier. Identifiers must begin with a letter; ` +
        'must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.',
    );
  }
  return value.toLowerCase();
}

const DEFAULT_MAX_RECORDS = 100;

/** One page of `items` (already in a stable order): `Marker` continues after the key it names. */
export function paginate<T>(items: readonly T[], keyOf: (item: T) => string, input: PageInput): Page<T> {
  const max = input.MaxRecords ?? DEFAULT_MAX_RECORDS;
  if (max < 20 || max > 100) {
    throw rdsErrors.invalidParameterValue(`Invalid value ${max} for MaxRecords. Must be between 20 and 100`);
  }
  let start = 0;
  if (input.Marker !== undefined && input.Marker !== '') {
    const after = decodeMarker(input.Marker);
    start = items.findIndex((item) => keyOf(item) > after);
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + max);
  const last = page[page.length - 1];
  const more = start + max < items.length;
  return { items: page, ...(more && last !== undefined ? { marker: encodeMarker(keyOf(last)) } : {}) };
}

function encodeMarker(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

function decodeMarker(marker: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(marker)) throw rdsErrors.invalidParameterValue(`The marker ${marker} is not valid.`);
  return Buffer.from(marker, 'base64url').toString('utf8');
}

/**
 * Filters as RDS applies them: each named filter must match one of its
 * values; an unknown filter name is an error.
 */
export function applyFilters<T>(
  items: readonly T[],
  filters: readonly FilterInput[] | undefined,
  known: Record<string, (item: T, values: readonly string[]) => boolean>,
): T[] {
  if (!filters || filters.length === 0) return [...items];
  for (const filter of filters) {
    if (!Object.hasOwn(known, filter.Name)) throw rdsErrors.invalidParameterValue(`Unrecognized filter name: ${filter.Name}`);
    if (filter.Values.length === 0) throw rdsErrors.invalidParameterValue(`The filter ${filter.Name} needs at least one value.`);
  }
  return items.filter((item) => filters.every((filter) => known[filter.Name]!(item, filter.Values)));
}

/** Matches an identifier or an ARN naming it (filters accept both). */
export function matchesIdOrArn(id: string, arn: string, values: readonly string[]): boolean {
  return values.some((value) => value.toLowerCase() === id || value === arn);
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `rds:orders-db-2026-01-04-03-15`, the name RDS gives an automated snapshot. */
export function automatedSnapshotId(instanceId: string, at: number): string {
  const d = new Date(at);
  return `rds:${instanceId}-${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}-${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}`;
}

/** `hh:mm-hh:mm`: a 30-minute window starting at `at`'s time of day. */
export function backupWindowAt(at: number): string {
  const d = new Date(at);
  const start = d.getUTCHours() * 60 + d.getUTCMinutes();
  const end = (start + 30) % (24 * 60);
  return `${pad(Math.floor(start / 60))}:${pad(start % 60)}-${pad(Math.floor(end / 60))}:${pad(end % 60)}`;
}
